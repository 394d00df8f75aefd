/* report_sections.c: the sections of `pvbench report`, written once through the
 * document backends (HTML, Markdown): summary verdicts, charts, comparisons,
 * environment, evidence that each feature took effect, method, failures with
 * console excerpts, and how to reproduce. Every string from results.json is raw
 * here; the backend escapes it. */
#include "pvbench/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 48
#define CONSOLE_LINES 60
#define CONSOLE_BYTES 65536
#define MAX_COMMANDS 16

static void heading_run(struct doc *d, const struct report *r, size_t i, const char *what)
{
	char t[300];

	if (r->nruns == 1 && !what)
		return;
	snprintf(t, sizeof(t), "%s%s%s", what ? what : "", what && r->nruns > 1 ? ": " : "",
		 r->nruns > 1 ? r->runs[i].label : "");
	d->ops->heading(d, 3, t);
}

/* What the runs' clock measures (cmp_clock_line over every run). */
static void clock_line(struct doc *d, const struct report *r)
{
	struct comparison c[16] = {0};
	size_t n = r->nruns < ARRAY_SIZE(c) ? r->nruns : ARRAY_SIZE(c);
	char t[1024];

	for (size_t i = 0; i < n; i++)
		c[i].run[0] = c[i].run[1] = &r->runs[i];
	d->ops->para(d, cmp_clock_line(t, sizeof(t), c, n));
}

static void sec_banners(struct doc *d, const struct report *r)
{
	if (r->emulated)
		d->ops->banner(d, "Measured under TCG emulation (environment.emulated): timings "
				  "show relative behaviour under emulation, not hardware speed.");
	clock_line(d, r);
	for (size_t i = 0; i < r->nruns; i++)
		if (!r->runs[i].complete) {
			char t[300];

			snprintf(t, sizeof(t),
				 "Run '%s' is incomplete (interrupted or still "
				 "running): it holds only the repetitions that finished.",
				 r->runs[i].label);
			d->ops->banner(d, t);
		}
}

/* "+45", "-0.631", "0": fmt_num with an explicit sign. */
static const char *signed_num(char *buf, size_t len, double x)
{
	char n[N];

	fmt_num(n, sizeof(n), x);
	snprintf(buf, len, "%s%s", isfinite(x) && x > 0 ? "+" : "", n);
	return buf;
}

/* Whether every interval of the summary reaches the nominal level. */
static bool summary_at_level(const struct report *r)
{
	for (size_t i = 0; i < r->ncmp; i++)
		for (size_t j = 0; j < r->cmp[i].npair; j++)
			for (size_t k = 0; k < r->cmp[i].pair[j].nm; k++) {
				const struct cmp_metric *m = &r->cmp[i].pair[j].m[k];
				double a = cmp_on_shift(m) ? m->hl.achieved : m->boot.achieved;

				if (!isnan(a) && a < r->opts.conf - 1e-9)
					return false;
			}
	return true;
}

/* " 95%", " 66.7%" (Hodges-Lehmann, exact) or " <=50%" (bootstrap, a bound). */
static void level_suffix(char *buf, size_t len, const struct cmp_metric *m, double conf)
{
	bool hl = cmp_on_shift(m);
	double a = hl ? m->hl.achieved : m->boot.achieved;

	if (isnan(a) || a >= conf - 1e-9)
		snprintf(buf, len, " %.3g%%", conf * 100);
	else
		snprintf(buf, len, " %s%.3g%%", hl || a == 0 ? "" : "<=", a * 100);
}

/* The answer first: one sentence per primary metric of every comparison. */
static void headlines(struct doc *d, const struct report *r)
{
	for (size_t i = 0; i < r->ncmp; i++)
		for (size_t j = 0; j < r->cmp[i].npair; j++)
			for (size_t k = 0; k < r->cmp[i].pair[j].nm; k++) {
				char t[1024];

				if (r->cmp[i].pair[j].m[k].primary)
					d->ops->para(d, cmp_headline(t, sizeof(t), &r->cmp[i],
								     &r->cmp[i].pair[j],
								     &r->cmp[i].pair[j].m[k]));
			}
}

static void summary_rows(struct doc *d, const struct comparison *c, bool *shifts, bool lvl)
{
	for (size_t i = 0; i < c->npair; i++) {
		const struct cmp_pair *p = &c->pair[i];
		char b[160], n[160], t[330];

		snprintf(t, sizeof(t), "%s -> %s", cmp_side_label(p, 0, b, sizeof(b)),
			 cmp_side_label(p, 1, n, sizeof(n)));
		for (size_t j = 0; j < p->nm; j++) {
			const struct cmp_metric *m = &p->m[j];
			char ch[3 * N], lo[N], hi[N], ci[4 * N], pv[N], v[N];
			const char *row[] = {t,	 m->name, v,
					     ch, ci,	  fmt_p(pv, N, m->p_holm)};

			snprintf(v, N, "%s%s", verdict_names[m->verdict],
				 m->primary ? "" : " (exploratory)");
			if (cmp_on_shift(m)) { /* judged on the Hodges-Lehmann shift */
				snprintf(ch, sizeof(ch), "shift %s%s%s",
					 signed_num(lo, N, m->hl.shift), *m->meta.unit ? " " : "",
					 m->meta.unit);
				snprintf(ci, sizeof(ci), "[%s, %s]", signed_num(lo, N, m->hl.lo),
					 signed_num(hi, N, m->hl.hi));
				*shifts = true;
			} else {
				fmt_pct(ch, sizeof(ch), m->boot.change);
				snprintf(ci, sizeof(ci), "[%s, %s]", fmt_pct(lo, N, m->boot.lo),
					 fmt_pct(hi, N, m->boot.hi));
			}
			if (isnan(m->boot.lo) && !cmp_on_shift(m))
				snprintf(ci, sizeof(ci), "-");
			else if (lvl)
				level_suffix(ci + strlen(ci), sizeof(ci) - strlen(ci), m,
					     c->opts.conf);
			doc_row(d, row, verdict_class[m->verdict]);
		}
	}
}

static void sec_summary(struct doc *d, const struct report *r)
{
	bool lvl = !summary_at_level(r);
	char cih[N], sum[400];
	const char *const head[] = {"comparison", "metric", "verdict", "change", cih, "p (Holm)"};
	size_t count[CMP_NFAMILY][V_NVERDICT] = {{0}}, total = 0;
	bool shifts = false;

	snprintf(cih, N, lvl ? "CI" : "%.0f%% CI", r->opts.conf * 100);
	d->ops->heading(d, 2, "Summary");
	headlines(d, r);
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_scenario *sc = &r->runs[i].scenario;

		doc_paraf(d, "Run %s: scenario %s, workload %s, started %s, %zu variants.",
			  r->runs[i].label, sc->name ?: "?", sc->workload ?: "?",
			  r->runs[i].started_at ?: "?", r->runs[i].nvar);
	}
	for (size_t i = 0; i < r->ncmp; i++)
		for (int f = 0; f < CMP_NFAMILY; f++)
			for (int v = 0; v < V_NVERDICT; v++)
				count[f][v] += r->cmp[i].count[f][v], total += r->cmp[i].count[f][v];
	if (!total) {
		d->ops->para(d, "Nothing was compared: no pair of variants has OK repetitions of "
				"a common metric (see Failures).");
		return;
	}
	doc_table(d, ARRAY_SIZE(head), head, 0x38);
	for (size_t i = 0; i < r->ncmp; i++)
		summary_rows(d, &r->cmp[i], &shifts, lvl);
	doc_table_end(d);
	doc_paraf(d, "%s.", cmp_summary(sum, sizeof(sum), (const size_t(*)[V_NVERDICT])count));
	if (shifts)
		d->ops->para(d,
			     "\"shift\": the base median is not positive (e.g. no retransmits) or "
			     "the base has values <= 0, so there is no reliable relative change; "
			     "the change and its interval are the Hodges-Lehmann shift new - base "
			     "and its interval, in the metric's unit (see Comparisons).");
	if (lvl)
		d->ops->para(d, "CI levels below the nominal one are those the interval reaches: "
				"exact for a Hodges-Lehmann shift, an upper bound (<=) for the "
				"bootstrap interval of a change (few repetitions).");
}

static void sec_charts(struct doc *d, const struct report *r)
{
	int kind = -1;

	if (!r->ncharts)
		return;
	d->ops->heading(d, 2, "Charts");
	for (size_t i = 0; i < r->ncharts; i++) {
		const struct report_chart *c = &r->charts[i];

		if (c->kind != kind && c->group)
			d->ops->heading(d, 3, c->group);
		kind = c->kind;
		d->ops->chart(d, c->name, c->caption);
	}
}

static void sec_comparisons(struct doc *d, const struct report *r)
{
	d->ops->heading(d, 2, "Comparisons");
	for (size_t i = 0; i < r->ncmp; i++) {
		const struct comparison *c = &r->cmp[i];

		if (c->skipped)
			doc_paraf(d,
				  "%zu pairs left out: a side has no OK repetitions (see "
				  "Failures).",
				  c->skipped);
		if (c->npair)
			report_cmp_doc(d, c, REPORT_NESTED);
	}
	if (!r->ncmp)
		d->ops->para(d, "No comparison: every run has a single variant.");
}

/* key -> value rows (a flattened object of the model). */
static void kv_rows(struct doc *d, const struct pvb_kvs *kvs)
{
	for (size_t i = 0; i < kvs->n; i++)
		doc_row(d, (const char *const[]){kvs->kv[i].key, kvs->kv[i].value}, NULL);
}

static void sec_environment(struct doc *d, const struct report *r)
{
	static const char *const head[] = {"key", "value"};

	d->ops->heading(d, 2, "Environment");
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_results *run = &r->runs[i];
		const char *const top[][2] = {{"command", run->command},
					      {"started_at", run->started_at},
					      {"finished_at", run->finished_at},
					      {"complete", run->complete ? "true" : "false"}};

		heading_run(d, r, i, NULL);
		doc_table(d, 2, head, 0);
		kv_rows(d, &run->tool);
		for (size_t k = 0; k < ARRAY_SIZE(top); k++)
			doc_row(d, top[k], NULL);
		kv_rows(d, &run->env.all);
		doc_table_end(d);
	}
}

struct check_tally {
	const char *key, *expected;
	char actual[200];
	size_t ok, total;
};

static void tally_check(struct check_tally *t, size_t *n, size_t max, const struct pvb_check *c)
{
	const char *key = c->key ?: "?", *exp = c->expected ?: "", *act = c->actual ?: "";
	char q[160];
	size_t i = 0;

	while (i < *n && (strcmp(t[i].key, key) || strcmp(t[i].expected, exp)))
		i++;
	if (i == *n) {
		if (*n == max)
			return;
		t[(*n)++] = (struct check_tally){.key = key, .expected = exp};
	}
	t[i].total++;
	t[i].ok += c->ok;
	snprintf(q, sizeof(q), "'%s'", act);
	if (!strstr(t[i].actual, q))
		snprintf(t[i].actual + strlen(t[i].actual),
			 sizeof(t[i].actual) - strlen(t[i].actual), "%s%s",
			 *t[i].actual ? ", " : "", q);
}

static void variant_checks(struct doc *d, const struct pvb_results *run, const char *variant)
{
	static const char *const head[] = {"check", "expected", "actual (seen)", "held"};
	struct check_tally t[32];
	size_t n = 0, i;

	for (i = 0; i < run->nrun; i++)
		for (size_t k = 0; !strcmp(run->run[i].variant, variant) && k < run->run[i].ncheck;
		     k++)
			tally_check(t, &n, ARRAY_SIZE(t), &run->run[i].check[k]);
	if (!n) {
		d->ops->para(d, "No expectations were declared or checked for this variant: "
				"nothing shows that it took effect.");
		return;
	}
	doc_table(d, ARRAY_SIZE(head), head, 0x8);
	for (i = 0; i < n; i++) {
		char held[N];

		snprintf(held, N, "%zu/%zu", t[i].ok, t[i].total);
		doc_row(d, (const char *const[]){t[i].key, t[i].expected, t[i].actual, held},
			t[i].ok == t[i].total ? "v-better" : "v-worse");
	}
	doc_table_end(d);
}

/* Evidence values and log lines of the variant's first OK repetition. */
static void variant_values(struct doc *d, const struct pvb_results *run, const char *variant)
{
	static const char *const head[] = {"evidence value", "content"};
	const struct pvb_run *ok = NULL;
	struct rbuf lines = {0};

	for (size_t i = 0; i < run->nrun && !ok; i++)
		if (!strcmp(run->run[i].variant, variant) && run->run[i].status == PVB_OK)
			ok = &run->run[i];
	if (!ok)
		return;
	if (ok->values.n) {
		doc_table(d, 2, head, 0);
		kv_rows(d, &ok->values);
		doc_table_end(d);
	}
	for (size_t i = 0; i < ok->nlog && i < 20; i++)
		if (ok->log_line[i])
			rb_printf(&lines, "%s\n", ok->log_line[i]);
	if (lines.sb.len && !lines.err) {
		d->ops->para(d, "Log lines (first OK repetition):");
		d->ops->pre(d, lines.sb.buf);
	}
	sb_free(&lines.sb);
}

/* scenario.conform: the conformance checks of the variant's first repetition that
 * has them (evidence.conformance, schema pvbench-conform/1), one row each. */
static void variant_conformance(struct doc *d, const struct pvb_results *run, const char *variant)
{
	static const char *const head[] = {"conformance check", "device", "level", "result",
					   "source", "expected / actual"};
	const struct pvb_conformance *conf = NULL;

	for (size_t i = 0; i < run->nrun && !conf; i++)
		if (!strcmp(run->run[i].variant, variant) && run->run[i].conformance.present)
			conf = &run->run[i].conformance;
	if (!conf || !conf->has_checks)
		return;
	doc_paraf(d,
		  "Protocol conformance of this variant's domU (scenario.conform; pvbench "
		  "conform negotiation rules): MUST %lld passed, %lld failed; SHOULD %lld "
		  "passed, %lld failed; %lld not applicable.",
		  conf->must_pass, conf->must_fail, conf->should_pass, conf->should_fail,
		  conf->skip);
	doc_table(d, ARRAY_SIZE(head), head, 0);
	for (size_t i = 0; i < conf->ncheck; i++) {
		const struct pvb_conform_check *c = &conf->check[i];
		const char *res = c->result ?: "?";
		char ea[340];

		snprintf(ea, sizeof(ea), "%s / %s", c->expected ?: "", c->actual ?: "");
		doc_row(d,
			(const char *const[]){c->name ?: "?", c->subject ?: "", c->level ?: "", res,
					      c->source ?: "", ea},
			!strcmp(res, "pass") ? "v-better" : !strcmp(res, "fail") ? "v-worse" : NULL);
	}
	doc_table_end(d);
}

static void kv_para(struct doc *d, const char *what, const struct pvb_kvs *kvs)
{
	struct rbuf o = {0};

	for (size_t i = 0; i < kvs->n; i++)
		rb_printf(&o, "%s%s = %s", o.sb.len ? ", " : "", kvs->kv[i].key,
			  kvs->kv[i].is_string ? kvs->kv[i].value : "(not a string)");
	if (o.sb.len && !o.err)
		doc_paraf(d, "%s: %s.", what, o.sb.buf);
	sb_free(&o.sb);
}

static void sec_evidence(struct doc *d, const struct report *r)
{
	d->ops->heading(d, 2, "Evidence that each feature took effect");
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_results *run = &r->runs[i];

		for (size_t j = 0; j < run->nvar; j++) {
			char t[300];

			report_var_label(r, i, run->var[j].name, t, sizeof(t));
			d->ops->heading(d, 3, t);
			kv_para(d, "Overrides", &run->var[j].overrides);
			kv_para(d, "Expected", &run->var[j].expect);
			variant_checks(d, run, run->var[j].name);
			variant_values(d, run, run->var[j].name);
			variant_conformance(d, run, run->var[j].name);
		}
	}
}

/* The distinct workload command lines of a run ("command" of each repetition), with
 * the variants that ran each: what ran, after --quick and overrides. */
static void workload_commands(struct doc *d, const struct pvb_results *run)
{
	struct {
		const char *cmd, *var[8];
		size_t nvar;
		bool more_vars;
	} c[MAX_COMMANDS];
	struct rbuf o = {0};
	size_t n = 0, more = 0, k;

	for (k = 0; k < run->nrun; k++) {
		const char *cmd = run->run[k].command, *var = run->run[k].variant;
		size_t i = 0, v = 0;

		if (!cmd)
			continue;
		while (i < n && strcmp(c[i].cmd, cmd))
			i++;
		if (i == n && n == MAX_COMMANDS) {
			more++;
			continue;
		}
		if (i == n)
			c[n++] = (typeof(c[0])){.cmd = cmd};
		while (v < c[i].nvar && strcmp(c[i].var[v], var))
			v++;
		if (v == c[i].nvar && v < ARRAY_SIZE(c[i].var))
			c[i].var[c[i].nvar++] = var;
		else if (v == c[i].nvar)
			c[i].more_vars = true;
	}
	for (k = 0; k < n; k++) {
		for (size_t v = 0; v < c[k].nvar; v++)
			rb_printf(&o, "%s%s", v ? ", " : "", c[k].var[v]);
		rb_printf(&o, "%s: %s\n", c[k].more_vars ? ", ..." : "", c[k].cmd);
	}
	if (more)
		rb_printf(&o, "(%zu more distinct command lines)\n", more);
	if (n && !o.err) {
		d->ops->para(d, "Workload commands as run, after --quick and variant overrides "
				"(variants: command):");
		d->ops->pre(d, o.sb.buf);
	}
	sb_free(&o.sb);
}

/* ---- the design of a run (results.json "design", written with repetitions = auto) ---- */

#define DESIGN_MAX_CV 8 /* pilot CVs named; the rest counted */

/* A whole number in [lo, hi], else -1. */
static long long design_int(double x, long long lo, long long hi)
{
	return isfinite(x) && x == floor(x) && x >= lo && x <= hi ? (long long)x : -1;
}

/* A finite number in (lo, hi], else NAN. */
static double design_num(double x, double lo, double hi)
{
	return isfinite(x) && x > lo && x <= hi ? x : NAN;
}

/* "a pilot of 3 per variant, then 7 per variant in all (4 more)". */
static void design_reps(struct rbuf *o, const struct pvb_design *ds)
{
	long long pilot = design_int(ds->pilot, 1, 1000000);
	long long planned = design_int(ds->planned_reps, 1, 1000000);
	long long fixed = design_int(ds->repetitions, 1, 1000000);
	const char *reps = ds->repetitions_word;

	if (reps && !strcmp(reps, "auto"))
		rb_puts(o, "Repetitions sized to the question");
	else if (fixed > 0)
		rb_printf(o, "Repetitions fixed at %lld per variant", fixed);
	else
		rb_puts(o, "Repetitions");
	if (pilot > 0)
		rb_printf(o, ": a pilot of %lld per variant", pilot);
	if (planned > 0)
		rb_printf(o, "%s%lld per variant in all", pilot > 0 ? ", then " : ": ", planned);
	if (planned > 0 && pilot > 0 && planned >= pilot)
		rb_printf(o, " (%lld more)", planned - pilot);
}

/* " for 80% power to detect a 2% change on each primary metric (Holm family of 2)". */
static void design_power(struct rbuf *o, const struct pvb_design *ds)
{
	double power = design_num(ds->power, 0, 1);
	double detect = design_num(ds->detect_pct, 0, 1e6);
	long long family = design_int(ds->family, 1, 1000000);

	if (isnan(power) && isnan(detect))
		return;
	if (!isnan(power))
		rb_printf(o, " for %.3g%% power", power * 100);
	if (!isnan(detect))
		rb_printf(o, " to detect a %.3g%% change", detect);
	rb_puts(o, " on each primary metric");
	if (family > 0)
		rb_printf(o, " (Holm family of %lld test%s)", family, family == 1 ? "" : "s");
}

/* "; pilot CV mq read_iops 0.5%, mq cpu_sys_pct 3.1%" (pilot_cv_pct.<variant>.<metric>). */
static void design_cv(struct rbuf *o, const struct pvb_design *ds)
{
	size_t n = 0, more = 0;

	for (size_t i = 0; i < ds->ncv; i++) {
		double cv = ds->cv[i].cv_pct;

		if (!isfinite(cv) || cv < 0)
			continue;
		if (n == DESIGN_MAX_CV) {
			more++;
			continue;
		}
		rb_printf(o, "%s%s %s %.3g%%", n++ ? ", " : "; pilot CV ", ds->cv[i].variant,
			  ds->cv[i].metric, cv);
	}
	if (more)
		rb_printf(o, " and %zu more", more);
}

/* "; capped by max_repetitions (20)" or "; within at most 20 repetitions and 30 min". */
static void design_caps(struct rbuf *o, const struct pvb_design *ds)
{
	long long max_reps = design_int(ds->max_repetitions, 1, 1000000000);
	double max_min = design_num(ds->max_minutes, 0, 1e9);
	const char *by = ds->capped_by;
	char reps[N] = "", mins[N] = "";

	if (max_reps > 0)
		snprintf(reps, N, "%lld repetitions per variant", max_reps);
	if (!isnan(max_min))
		snprintf(mins, N, "%.4g min", max_min);
	if (by && !strcmp(by, "max_repetitions"))
		rb_printf(o, "; capped by max_repetitions%s%s%s", *reps ? " (" : "", reps,
			  *reps ? ")" : "");
	else if (by && !strcmp(by, "max_minutes"))
		rb_printf(o, "; capped by max_minutes%s%s%s", *mins ? " (" : "", mins,
			  *mins ? ")" : "");
	else if (by)
		rb_printf(o, "; capped by %s", by);
	else if (*reps || *mins)
		rb_printf(o, "; not capped (limits: %s%s%s)", reps, *reps && *mins ? ", " : "",
			  mins);
}

/* One paragraph on how the run's repetitions were chosen, when results.json has a
 * "design" object (every field optional and untrusted: wrong types are left out). */
static void design_para(struct doc *d, const struct pvb_design *ds)
{
	const char *plan = ds->plan;
	struct rbuf o = {0};

	if (!ds->present)
		return;
	design_reps(&o, ds);
	design_power(&o, ds);
	design_cv(&o, ds);
	design_caps(&o, ds);
	rb_puts(&o, ".");
	if (plan && *plan)
		rb_printf(&o, " Plan: %s%s", plan,
			  plan[strlen(plan) - 1] == '.' ? "" : ".");
	if (!o.err)
		d->ops->para(d, o.sb.buf);
	sb_free(&o.sb);
}

/* scenario.repetitions: "8", or the scenario's word ("auto"). */
static const char *scenario_reps(char *buf, size_t len, const struct pvb_scenario *sc)
{
	if (!isfinite(sc->repetitions))
		return sc->repetitions_word ?: "?";
	snprintf(buf, len, "%.0f", sc->repetitions);
	return buf;
}

static void sec_method(struct doc *d, const struct report *r)
{
	struct rbuf m = {0};

	d->ops->heading(d, 2, "Method");
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_results *run = &r->runs[i];
		const struct pvb_scenario *sc = &run->scenario;
		struct rbuf order = {0};
		char seed[N], reps[N];

		heading_run(d, r, i, NULL);
		if (isfinite(sc->seed))
			snprintf(seed, sizeof(seed), "seed %.0f", sc->seed);
		else
			snprintf(seed, sizeof(seed), "no seed");
		doc_paraf(d,
			  "Scenario %s (%s), workload %s: %s repetitions per variant, order "
			  "%s, %s.",
			  sc->name ?: "?", sc->file ?: "?", sc->workload ?: "?",
			  scenario_reps(reps, sizeof(reps), sc), sc->order ?: "?", seed);
		design_para(d, &run->design);
		kv_para(d, "Workload parameters (scenario file)", &sc->params);
		workload_commands(d, run);
		for (size_t k = 0; k < run->nrun && k < 64; k++)
			rb_printf(&order, "%s%.0f:%s#%.0f", k ? " " : "", run->run[k].seq,
				  run->run[k].variant, run->run[k].rep);
		if (order.sb.len && !order.err)
			doc_paraf(d, "Execution order (seq:variant#rep): %s%s", order.sb.buf,
				  run->nrun > 64 ? " ..." : ".");
		sb_free(&order.sb);
	}
	report_cmp_method(&m, &r->opts);
	if (!m.err)
		d->ops->para(d, m.sb.buf);
	sb_free(&m.sb);
	d->ops->para(d, "Chart intervals are per variant: the distribution-free confidence "
			"interval of the median from order statistics (binomial), or [min, max] "
			"when there are fewer than 6 repetitions (confidence 1 - 2^(1-n)).");
}

static void failure_detail(struct doc *d, const struct report *r, size_t i,
			   const struct pvb_run *rr)
{
	const char *console = rr->console_excerpt;
	char t[300];

	snprintf(t, sizeof(t), "%s%s%s rep %.0f: %s", r->nruns > 1 ? r->runs[i].label : "",
		 r->nruns > 1 ? ":" : "", rr->variant, rr->rep, rr->status_text ?: "?");
	d->ops->heading(d, 4, t);
	for (size_t k = 0; k < rr->ncheck; k++)
		if (!rr->check[k].ok)
			doc_paraf(d, "Check %s failed: expected '%s', actual '%s'.",
				  rr->check[k].key ?: "?", rr->check[k].expected ?: "",
				  rr->check[k].actual ?: "");
	if (console && *console) {
		const char *tail = tail_lines(console, strlen(console), CONSOLE_LINES);
		size_t len = strlen(tail);

		if (len > CONSOLE_BYTES) /* one endless line: keep its end, whole characters */
			for (tail += len - CONSOLE_BYTES; (*tail & 0xc0) == 0x80; tail++)
				;
		doc_paraf(d, "Console excerpt (last %d lines, at most %d bytes):", CONSOLE_LINES,
			  CONSOLE_BYTES);
		d->ops->pre(d, tail);
	}
}

static void failure_rows(struct doc *d, const struct report *r, size_t i)
{
	const struct pvb_results *run = &r->runs[i];

	for (size_t k = 0; k < run->nrun; k++) {
		const struct pvb_run *rr = &run->run[k];
		char rep[N], seq[N];

		if (rr->status == PVB_OK)
			continue;
		snprintf(rep, N, "%.0f", rr->rep);
		snprintf(seq, N, "%.0f", rr->seq);
		doc_row(d,
			(const char *const[]){run->label, rr->variant, rep, seq, rr->status_text,
					      rr->reason},
			"v-worse");
	}
}

static void sec_failures(struct doc *d, const struct report *r)
{
	static const char *const head[] = {"run", "variant", "rep", "seq", "status", "reason"};
	size_t n = 0;

	d->ops->heading(d, 2, "Failures");
	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++)
			n += variant_excluded(&r->runs[i].var[j]);
	if (!n) {
		d->ops->para(d, "Every repetition finished OK.");
		return;
	}
	doc_table(d, ARRAY_SIZE(head), head, 0xc);
	for (size_t i = 0; i < r->nruns; i++)
		failure_rows(d, r, i);
	doc_table_end(d);
	d->ops->para(d, "Excluded from every statistic: SKIP, INVALID (an expectation did not "
			"hold), FAIL, TIMEOUT and CRASH repetitions.");
	for (size_t i = 0; i < r->nruns; i++)
		for (size_t k = 0; k < r->runs[i].nrun; k++)
			if (r->runs[i].run[k].status != PVB_OK)
				failure_detail(d, r, i, &r->runs[i].run[k]);
}

static void sec_reproduce(struct doc *d, const struct report *r)
{
	d->ops->heading(d, 2, "How to reproduce");
	for (size_t i = 0; i < r->nruns; i++) {
		const struct pvb_results *run = &r->runs[i];

		heading_run(d, r, i, NULL);
		doc_paraf(d, "Project commit %s (%s %s). Run directory %s. Command:",
			  run->tool_commit ?: run->env.commit ?: "?", run->tool_name ?: "pvbench",
			  run->tool_version ?: "?", run->dir);
		d->ops->pre(d, run->command ?: "(not recorded)");
		doc_paraf(d, "Scenario file %s:", run->scenario.file ?: "?");
		d->ops->pre(d, run->scenario.text ?: "(not recorded)");
	}
	d->ops->para(d, "This report:");
	d->ops->pre(d, r->argv0_line ? r->argv0_line : "pvbench report");
}

void report_sections(struct doc *d, const struct report *r)
{
	sec_banners(d, r);
	sec_summary(d, r);
	sec_charts(d, r);
	sec_comparisons(d, r);
	sec_environment(d, r);
	sec_evidence(d, r);
	sec_method(d, r);
	sec_failures(d, r);
	sec_reproduce(d, r);
}
