/* report_compare.c: the output formats of `pvbench compare`: a document (text or
 * Markdown tables, also embedded in reports), JSON (pvbench-compare/1), CSV, TAP 13
 * and JUnit XML. Statistics come computed from compare.c; reports/README.md
 * documents every format. */
#include "pvbench/report.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define N 48 /* room for one formatted number */

const char *const verdict_class[V_NVERDICT] = {
    [V_BETTER] = "v-better",
    [V_WORSE] = "v-worse",
    [V_NO_CHANGE] = "v-same",
    [V_INCONCLUSIVE] = "v-unsure",
};

static const char *pair_title(const struct cmp_pair *p, char *buf, size_t len)
{
	char b[160], n[160];

	snprintf(buf, len, "%s -> %s", cmp_side_label(p, 0, b, sizeof(b)),
		 cmp_side_label(p, 1, n, sizeof(n)));
	return buf;
}

static const char *ci_str(char *buf, size_t len, double lo, double hi)
{
	char a[N], b[N];

	if (isnan(lo) || isnan(hi))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "[%s, %s]", fmt_pct(a, N, lo), fmt_pct(b, N, hi));
	return buf;
}

/* "+45", "-0.631": fmt_num with an explicit sign. */
static const char *signed_num(char *buf, size_t len, double x)
{
	char n[N];

	fmt_num(n, sizeof(n), x);
	snprintf(buf, len, "%s%s", isfinite(x) && x > 0 ? "+" : "", n);
	return buf;
}

/* Whether an interval reaches the nominal level. */
static bool at_level(double achieved, double conf)
{
	return isnan(achieved) || achieved >= conf - 1e-9;
}

/* The achieved level of an interval: "95%", "66.7%", "<=50%" for an upper bound
 * (the bootstrap's), into buf. */
static const char *level_str(char *buf, size_t len, double achieved, bool bound)
{
	snprintf(buf, len, "%s%.3g%%", bound && achieved > 0 ? "<=" : "", achieved * 100);
	return buf;
}

/* The change interval of a metric in a table cell, with its level when lvl. */
static const char *change_ci(char *buf, size_t len, const struct cmp_metric *m, double conf,
			     bool lvl)
{
	char ci[2 * N], l[N];

	ci_str(ci, sizeof(ci), m->boot.lo, m->boot.hi);
	if (lvl && !isnan(m->boot.lo))
		snprintf(buf, len, "%s %s", ci,
			 level_str(l, N, fmin(conf, m->boot.achieved),
				   !at_level(m->boot.achieved, conf)));
	else
		snprintf(buf, len, "%s", ci);
	return buf;
}

static const char *hl_ci(char *buf, size_t len, const struct cmp_metric *m, double conf, bool lvl)
{
	char lo[N], hi[N], l[N];

	snprintf(buf, len, "[%s, %s]%s%s", signed_num(lo, N, m->hl.lo), signed_num(hi, N, m->hl.hi),
		 lvl ? " " : "", lvl ? level_str(l, N, fmin(conf, m->hl.achieved), false) : "");
	return buf;
}

/* Whether every interval of a pair reaches the nominal level (then the header
 * says "95% CI"; otherwise each cell carries its level). */
static bool pair_at_level(const struct cmp_pair *p, double conf, bool hl)
{
	for (size_t i = 0; i < p->nm; i++)
		if (!at_level(hl ? p->m[i].hl.achieved : p->m[i].boot.achieved, conf))
			return false;
	return true;
}

/* "worse", or "worse (exploratory)" for a metric outside the primary family. */
static const char *verdict_str(char *buf, size_t len, const struct cmp_metric *m)
{
	snprintf(buf, len, "%s%s", verdict_names[m->verdict], m->primary ? "" : " (exploratory)");
	return buf;
}

const char *cmp_headline(char *buf, size_t len, const struct comparison *c,
			 const struct cmp_pair *p, const struct cmp_metric *m)
{
	char b[160], n[160], ch[3 * N], ci[4 * N], lv[N], pv[N];
	double conf = c->opts.conf;

	if (m->notes & NOTE_NUMERIC) {
		snprintf(ch, sizeof(ch), "not computable (values overflow)");
		ci[0] = '\0';
	} else if (cmp_on_shift(m)) {
		signed_num(pv, N, m->hl.shift);
		snprintf(ch, sizeof(ch), "shift %s%s%s", pv, *m->meta.unit ? " " : "",
			 m->meta.unit);
		ci[0] = ' ';
		hl_ci(ci + 1, sizeof(ci) - 1, m, conf, false);
		if (!at_level(m->hl.achieved, conf))
			snprintf(ci + strlen(ci), sizeof(ci) - strlen(ci), " (%s)",
				 level_str(lv, N, m->hl.achieved, false));
	} else {
		fmt_pct(ch, sizeof(ch), m->boot.change);
		snprintf(ci, sizeof(ci), " %s", ci_str(pv, sizeof(pv), m->boot.lo, m->boot.hi));
		if (!at_level(m->boot.achieved, conf))
			snprintf(ci + strlen(ci), sizeof(ci) - strlen(ci), " (%s)",
				 level_str(lv, N, m->boot.achieved, true));
	}
	snprintf(buf, len, "%s vs %s: %s %s%s, %s (p = %s, %zu + %zu repetitions, %s clock%s)",
		 cmp_side_label(p, 1, n, sizeof(n)), cmp_side_label(p, 0, b, sizeof(b)), m->name,
		 ch, ci, verdict_names[m->verdict], fmt_p(pv, N, m->p_holm), m->base.n, m->new.n,
		 cmp_clock_name(c, 1), !strcmp(cmp_clock_name(c, 1), "mixed") ? "s" : "");
	return buf;
}

/* The answer first: one sentence per primary metric of every pair. */
static void headlines(struct doc *d, const struct comparison *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->npair; i++)
		for (size_t j = 0; j < c->pair[i].nm; j++) {
			char t[1024];

			if (!c->pair[i].m[j].primary)
				continue;
			d->ops->para(d, cmp_headline(t, sizeof(t), c, &c->pair[i],
						     &c->pair[i].m[j]));
			n++;
		}
	if (!n)
		d->ops->para(d, "No primary metric was compared: every verdict below is "
				"exploratory and does not set the exit status.");
}

static const char *mdc_str(char *buf, size_t len, double mdc)
{
	if (isnan(mdc))
		snprintf(buf, len, "-");
	else if (isinf(mdc))
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%.1f%%", mdc * 100);
	return buf;
}

void report_cmp_method(struct rbuf *o, const struct cmp_opts *opts)
{
	rb_printf(o,
		  "Method: change = median(new) / median(base) - 1 with a %.0f%% percentile "
		  "bootstrap interval (%lu resamples, seed %lu); p = two-sided Mann-Whitney U "
		  "(exact without ties and n < 50, else normal approximation with tie and "
		  "continuity correction), Holm-adjusted over one family per command: every "
		  "primary metric of every pair together, and separately every exploratory one "
		  "(metrics_meta primary false; all metrics are primary in a file that marks "
		  "none). Only primary verdicts set the exit status, TAP and JUnit (with "
		  "--gate all, exploratory ones too). "
		  "Verdict: better/worse (by the metric's direction) when p(Holm) < %g and the "
		  "interval excludes 0; no change when the interval lies inside +-%g%% and each "
		  "side has at least 5 OK repetitions; otherwise inconclusive. "
		  "MDC = smallest true relative change that this verdict (Holm over the "
		  "tests of the metric's family, these repetitions) calls better or worse with "
		  "%.0f%% power, simulated from the observed spread (pooled relative sd, normal "
		  "model, 400 seeded trials; \"none\": no change up to +1000%% is detected "
		  "that often, e.g. too few repetitions for the family). Intervals below the nominal level are labelled "
		  "with the level they reach (Hodges-Lehmann: exact; bootstrap: an upper "
		  "bound, 1 - 2^(1 - n_base - n_new), 0 for a zero-width interval). "
		  "Only OK repetitions are compared.",
		  opts->conf * 100, opts->resamples, opts->seed, opts->alpha, opts->band * 100,
		  opts->power * 100);
}

static void verdict_table(struct doc *d, const struct cmp_pair *p, double conf)
{
	bool lvl = !pair_at_level(p, conf, false);
	char cih[N];
	const char *const head[] = {"metric",	   "unit",	 "better", "n",
				    "base median", "new median", "change", cih,
				    "p (Holm)",	   "MDC",	 "verdict"};

	snprintf(cih, N, lvl ? "CI" : "%.0f%% CI", conf * 100);
	doc_table(d, ARRAY_SIZE(head), head, 0x3f8); /* n .. MDC right-aligned */
	for (size_t i = 0; i < p->nm; i++) {
		const struct cmp_metric *m = &p->m[i];
		char n[N], mb[N], mn[N], ch[N], ci[3 * N], pv[N], mdc[N], v[N];
		const char *row[] = {m->name,
				     m->meta.unit,
				     metric_better_name(m->meta.better),
				     n,
				     fmt_num(mb, N, m->base.median),
				     fmt_num(mn, N, m->new.median),
				     fmt_pct(ch, N, m->boot.change),
				     change_ci(ci, sizeof(ci), m, conf, lvl),
				     fmt_p(pv, N, m->p_holm),
				     mdc_str(mdc, N, m->mdc),
				     verdict_str(v, N, m)};

		snprintf(n, N, "%zu/%zu", m->base.n, m->new.n);
		doc_row(d, row, verdict_class[m->verdict]);
	}
	doc_table_end(d);
}

static void summary_rows(struct doc *d, const char *name, const char *side,
			 const struct stats_summary *s)
{
	char n[N], med[N], mean[N], sd[N], cv[N], min[N], max[N];
	const char *row[] = {name,
			     side,
			     n,
			     fmt_num(med, N, s->median),
			     fmt_num(mean, N, s->mean),
			     fmt_num(sd, N, s->sd),
			     cv,
			     fmt_num(min, N, s->min),
			     fmt_num(max, N, s->max)};

	snprintf(n, N, "%zu", s->n);
	if (isnan(s->cv))
		snprintf(cv, N, "-");
	else
		snprintf(cv, N, "%.2f%%", s->cv * 100);
	doc_row(d, row, NULL);
}

static void stats_table(struct doc *d, const struct cmp_pair *p)
{
	static const char *const head[] = {"metric", "side", "n",   "median", "mean",
					   "sd",     "CV",   "min", "max"};

	doc_table(d, ARRAY_SIZE(head), head, 0x1fc);
	for (size_t i = 0; i < p->nm; i++) {
		summary_rows(d, p->m[i].name, "base", &p->m[i].base);
		summary_rows(d, "", "new", &p->m[i].new);
	}
	doc_table_end(d);
}

static void tests_table(struct doc *d, const struct cmp_pair *p, double conf)
{
	bool lvl = !pair_at_level(p, conf, true);
	char cih[N];
	const char *const head[] = {"metric",	 "U",	     "p (MW)", "MW method", "Welch t",
				    "Welch df", "p (Welch)", "HL shift", cih};

	snprintf(cih, N, lvl ? "HL CI" : "HL %.0f%% CI", conf * 100);
	doc_table(d, ARRAY_SIZE(head), head, 0x1f6);
	for (size_t i = 0; i < p->nm; i++) {
		const struct cmp_metric *m = &p->m[i];
		char u[N], pm[N], t[N], df[N], pw[N], hl[N], lo[N], hi[N], ci[4 * N];
		const char *row[] = {m->name,
				     u,
				     fmt_p(pm, N, m->mw.p),
				     m->mw.exact ? "exact" : "normal",
				     fmt_num(t, N, m->welch.t),
				     fmt_num(df, N, m->welch.df),
				     fmt_p(pw, N, m->welch.p),
				     fmt_num(hl, N, m->hl.shift),
				     ci};

		snprintf(u, N, "%g", m->mw.u);
		snprintf(ci, sizeof(ci), "[%s, %s]", fmt_num(lo, N, m->hl.lo),
			 fmt_num(hi, N, m->hl.hi));
		if (lvl)
			snprintf(ci + strlen(ci), sizeof(ci) - strlen(ci), " %s",
				 level_str(lo, N, fmin(conf, m->hl.achieved), false));
		doc_row(d, row, NULL);
	}
	doc_table_end(d);
}

/* One paragraph per kind of note, naming the metrics it applies to. */
static void notes(struct doc *d, const struct cmp_pair *p)
{
	for (int b = 0; b < CMP_NNOTES; b++) {
		struct rbuf o = {0};

		for (size_t i = 0; i < p->nm; i++)
			if (p->m[i].notes & (1u << b))
				rb_printf(&o, "%s%s", o.sb.len ? ", " : "", p->m[i].name);
		if (o.sb.len && !o.err)
			doc_paraf(d, "Note: %s: %s.", cmp_note_text[b], o.sb.buf);
		sb_free(&o.sb);
	}
	if (p->only_base || p->only_new) {
		char b[160], n[160];

		doc_paraf(d, "Not compared: %zu metrics only in %s, %zu only in %s.", p->only_base,
			  cmp_side_label(p, 0, b, sizeof(b)), p->only_new,
			  cmp_side_label(p, 1, n, sizeof(n)));
	}
}

static void pair_doc(struct doc *d, const struct cmp_pair *p, double conf, unsigned flags)
{
	char t[400], lb[160], ln[160], xb[160], xn[160];

	d->ops->heading(d, flags & REPORT_NESTED ? 3 : 2, pair_title(p, t, sizeof(t)));
	doc_paraf(d, "%s: %zu OK repetitions, excluded: %s. %s: %zu OK, excluded: %s.",
		  cmp_side_label(p, 0, lb, sizeof(lb)), p->base->nstatus[PVB_OK],
		  variant_excluded_str(p->base, xb, sizeof(xb)),
		  cmp_side_label(p, 1, ln, sizeof(ln)), p->new->nstatus[PVB_OK],
		  variant_excluded_str(p->new, xn, sizeof(xn)));
	verdict_table(d, p, conf);
	if (!(flags & REPORT_BRIEF)) {
		stats_table(d, p);
		tests_table(d, p, conf);
	}
	notes(d, p);
}

/* "primary: 1 better, 0 worse, 0 no change, 0 inconclusive; exploratory: ..." */
const char *cmp_summary(char *buf, size_t len, const size_t count[CMP_NFAMILY][V_NVERDICT])
{
	static const char *const fam[CMP_NFAMILY] = {"primary", "exploratory"};
	size_t off = 0;

	buf[0] = '\0';
	for (int f = 0; f < CMP_NFAMILY && off < len; f++) {
		const size_t *k = count[f];

		if (f && !(k[V_BETTER] + k[V_WORSE] + k[V_NO_CHANGE] + k[V_INCONCLUSIVE]))
			continue;
		off += snprintf(buf + off, len - off,
				"%s%s: %zu better, %zu worse, %zu no change, %zu inconclusive",
				f ? "; " : "", fam[f], k[V_BETTER], k[V_WORSE], k[V_NO_CHANGE],
				k[V_INCONCLUSIVE]);
	}
	return buf;
}

void report_cmp_doc(struct doc *d, const struct comparison *c, unsigned flags)
{
	char t[400];

	if (c->emulated && !(flags & REPORT_NESTED))
		d->ops->banner(d, "TCG emulation: timings show relative behaviour under "
				  "emulation, not hardware speed.");
	if (!(flags & REPORT_NESTED)) {
		headlines(d, c);
		d->ops->para(d, cmp_clock_line(t, sizeof(t), c, 1));
	}
	for (size_t i = 0; i < c->npair; i++)
		pair_doc(d, &c->pair[i], c->opts.conf, flags);
	doc_paraf(d, "Summary: %s.", cmp_summary(t, sizeof(t), c->count));
	if (!(flags & REPORT_NESTED)) {
		struct rbuf m = {0};

		report_cmp_method(&m, &c->opts);
		if (!m.err)
			d->ops->para(d, m.sb.buf);
		sb_free(&m.sb);
	}
}

static const char *cmp_title(const struct comparison *c, char *buf, size_t len)
{
	const struct cmp_pair *p = &c->pair[0];

	if (p->base_run == p->new_run)
		snprintf(buf, len, "pvbench compare: %s, variants against %s", p->base_run->label,
			 p->base->name);
	else
		snprintf(buf, len, "pvbench compare: %s -> %s", p->base_run->label,
			 p->new_run->label);
	return buf;
}

static int write_doc(struct rbuf *o, const struct comparison *c, unsigned flags,
		     const struct doc_ops *ops)
{
	struct doc d;
	char title[300];

	doc_init(&d, ops, o, NULL);
	ops->begin(&d, cmp_title(c, title, sizeof(title)));
	report_cmp_doc(&d, c, flags);
	ops->end(&d);
	return o->err;
}

static int write_text(struct rbuf *o, const struct comparison *c, unsigned flags)
{
	return write_doc(o, c, flags, &doc_text_ops);
}

static int write_md(struct rbuf *o, const struct comparison *c, unsigned flags)
{
	return write_doc(o, c, flags, &doc_md_ops);
}

report_cmp_fn report_cmp_format(const char *name)
{
	static const struct {
		const char *name;
		report_cmp_fn fn;
	} formats[] = {
	    {"text", write_text},
	    {"md", write_md},
	    {"json", report_cmp_json},
	    {"csv", report_cmp_csv},
	};

	for (size_t i = 0; name && i < ARRAY_SIZE(formats); i++)
		if (!strcmp(name, formats[i].name))
			return formats[i].fn;
	return NULL;
}

/* "better +23.0% [+19.1%, +27.2%], p(Holm) 0.004, n 7/7" for TAP and JUnit; a metric
 * judged on the Hodges-Lehmann interval shows its shift ("shift +45 count [+3, +60]"),
 * an interval below the nominal level its level, an exploratory metric says so. */
static void metric_line(struct rbuf *o, const struct comparison *c, const struct cmp_metric *m)
{
	char ch[2 * N], ci[4 * N], p[N], l[N];
	double conf = c->opts.conf;

	if (cmp_on_shift(m)) {
		snprintf(ch, sizeof(ch), "shift %s%s%s", signed_num(p, N, m->hl.shift),
			 *m->meta.unit ? " " : "", m->meta.unit);
		hl_ci(ci, sizeof(ci), m, conf, !at_level(m->hl.achieved, conf));
	} else {
		fmt_pct(ch, sizeof(ch), m->boot.change);
		ci_str(ci, sizeof(ci), m->boot.lo, m->boot.hi);
		if (!at_level(m->boot.achieved, conf))
			snprintf(ci + strlen(ci), sizeof(ci) - strlen(ci), " %s",
				 level_str(l, N, m->boot.achieved, true));
	}
	rb_printf(o, "%s%s %s %s, p(Holm) %s, n %zu/%zu", verdict_names[m->verdict],
		  m->primary ? "" : cmp_gated(c, m) ? " (exploratory)" : " (exploratory, not gated)",
		  ch, ci, fmt_p(p, N, m->p_holm), m->base.n, m->new.n);
}

/* TAP descriptions may not hold '#' (directive) or line breaks. */
static void tap_text(struct rbuf *o, const char *s)
{
	for (; *s; s++)
		rb_putn(o, *s == '#' || (unsigned char)*s < 0x20 || *s == 0x7f ? "?" : s, 1);
}

int report_cmp_tap(struct rbuf *o, const struct comparison *c)
{
	size_t total = 0, k = 0;
	char t[400];

	for (size_t i = 0; i < c->npair; i++)
		total += c->pair[i].nm;
	rb_printf(o, "TAP version 13\n1..%zu\n", total);
	for (size_t i = 0; i < c->npair; i++) {
		const struct cmp_pair *p = &c->pair[i];

		for (size_t j = 0; j < p->nm; j++) {
			const struct cmp_metric *m = &p->m[j];

			rb_printf(o, "%sok %zu - ", m->verdict == V_WORSE ? "not " : "", ++k);
			tap_text(o, pair_title(p, t, sizeof(t)));
			rb_puts(o, ": ");
			tap_text(o, m->name);
			rb_puts(o, ": ");
			metric_line(o, c, m);
			if (m->verdict == V_WORSE && !cmp_gated(c, m))
				rb_puts(o, " # TODO exploratory, not gated\n");
			else
				rb_puts(o, m->verdict == V_INCONCLUSIVE ? " # SKIP inconclusive\n"
									: "\n");
		}
	}
	rb_printf(o, "# %s\n", cmp_summary(t, sizeof(t), c->count));
	return o->err;
}

/* JUnit: "worse" fails, "inconclusive" is skipped, the rest pass with a message. */
static const char *const junit_open[V_NVERDICT] = {
    [V_BETTER] = "<system-out>",
    [V_WORSE] = "<failure type=\"worse\" message=\"",
    [V_NO_CHANGE] = "<system-out>",
    [V_INCONCLUSIVE] = "<skipped message=\"",
};
static const char *const junit_close[V_NVERDICT] = {
    [V_BETTER] = "</system-out>",
    [V_WORSE] = "\"/>",
    [V_NO_CHANGE] = "</system-out>",
    [V_INCONCLUSIVE] = "\"/>",
};

static void junit_case(struct rbuf *o, const struct comparison *c, const struct cmp_pair *p,
		       const struct cmp_metric *m)
{
	char t[400];
	struct rbuf line = {0};
	/* an exploratory "worse" outside the gate passes, saying so */
	enum verdict v = m->verdict == V_WORSE && !cmp_gated(c, m) ? V_BETTER : m->verdict;

	metric_line(&line, c, m);
	rb_puts(o, "    <testcase classname=\"pvbench.compare.");
	esc_html(o, pair_title(p, t, sizeof(t)));
	rb_puts(o, "\" name=\"");
	esc_html(o, m->name);
	rb_puts(o, "\" time=\"0\">\n      ");
	rb_puts(o, junit_open[v]);
	esc_html(o, line.err ? "" : line.sb.buf);
	rb_puts(o, junit_close[v]);
	rb_puts(o, "\n    </testcase>\n");
	sb_free(&line.sb);
}

int report_cmp_junit(struct rbuf *o, const struct comparison *c)
{
	size_t total = cmp_count(c, V_BETTER) + cmp_count(c, V_WORSE) +
		       cmp_count(c, V_NO_CHANGE) + cmp_count(c, V_INCONCLUSIVE);
	char t[400];

	rb_printf(o,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pvbench "
		  "compare\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		  total, cmp_count_gated(c, V_WORSE), cmp_count(c, V_INCONCLUSIVE));
	for (size_t i = 0; i < c->npair; i++) {
		const struct cmp_pair *p = &c->pair[i];
		size_t fails = 0, skips = 0;

		for (size_t j = 0; j < p->nm; j++) {
			fails += p->m[j].verdict == V_WORSE && cmp_gated(c, &p->m[j]);
			skips += p->m[j].verdict == V_INCONCLUSIVE;
		}
		rb_puts(o, "  <testsuite name=\"");
		esc_html(o, pair_title(p, t, sizeof(t)));
		rb_printf(o, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", p->nm, fails,
			  skips);
		for (size_t j = 0; j < p->nm; j++)
			junit_case(o, c, p, &p->m[j]);
		rb_puts(o, "  </testsuite>\n");
	}
	rb_puts(o, "</testsuites>\n");
	return o->err;
}
