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
		  "continuity correction), Holm-adjusted over the metrics of each pair. "
		  "Verdict: better/worse (by the metric's direction) when p(Holm) < %g and the "
		  "interval excludes 0; no change when the interval lies inside +-%g%% and each "
		  "side has at least 5 OK repetitions; otherwise inconclusive. "
		  "MDC = smallest difference of means that a two-sided Welch test at level "
		  "alpha / (metrics in the pair) detects with %.0f%% power given the observed "
		  "spread, as a percentage of the base median (\"none\": these sample sizes "
		  "cannot reach that level). "
		  "Only OK repetitions are compared.",
		  opts->conf * 100, opts->resamples, opts->seed, opts->alpha, opts->band * 100,
		  opts->power * 100);
}

static void verdict_table(struct doc *d, const struct cmp_pair *p)
{
	static const char *const head[] = {"metric",	  "unit",	"better", "n",
					   "base median", "new median", "change", "95% CI",
					   "p (Holm)",	  "MDC",	"verdict"};

	doc_table(d, ARRAY_SIZE(head), head, 0x3f8); /* n .. MDC right-aligned */
	for (size_t i = 0; i < p->nm; i++) {
		const struct cmp_metric *m = &p->m[i];
		char n[N], mb[N], mn[N], ch[N], ci[2 * N], pv[N], mdc[N];
		const char *row[] = {m->name,
				     m->meta.unit,
				     metric_better_name(m->meta.better),
				     n,
				     fmt_num(mb, N, m->base.median),
				     fmt_num(mn, N, m->new.median),
				     fmt_pct(ch, N, m->boot.change),
				     ci_str(ci, sizeof(ci), m->boot.lo, m->boot.hi),
				     fmt_p(pv, N, m->p_holm),
				     mdc_str(mdc, N, m->mdc),
				     verdict_names[m->verdict]};

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

static void tests_table(struct doc *d, const struct cmp_pair *p)
{
	static const char *const head[] = {"metric",	"U",	    "p (MW)",
					   "MW method", "Welch t",  "Welch df",
					   "p (Welch)", "HL shift", "HL 95% CI"};

	doc_table(d, ARRAY_SIZE(head), head, 0x1f6);
	for (size_t i = 0; i < p->nm; i++) {
		const struct cmp_metric *m = &p->m[i];
		char u[N], pm[N], t[N], df[N], pw[N], hl[N], lo[N], hi[N], ci[3 * N];
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
	if (p->only_base || p->only_new)
		doc_paraf(d, "Not compared: %zu metrics only in %s, %zu only in %s.", p->only_base,
			  p->base->name, p->only_new, p->new->name);
}

static void pair_doc(struct doc *d, const struct cmp_pair *p, unsigned flags)
{
	char t[400], lb[160], ln[160], xb[160], xn[160];

	d->ops->heading(d, flags & REPORT_NESTED ? 3 : 2, pair_title(p, t, sizeof(t)));
	doc_paraf(d, "%s: %zu OK repetitions, excluded: %s. %s: %zu OK, excluded: %s.",
		  cmp_side_label(p, 0, lb, sizeof(lb)), p->base->nstatus[PVB_OK],
		  variant_excluded_str(p->base, xb, sizeof(xb)),
		  cmp_side_label(p, 1, ln, sizeof(ln)), p->new->nstatus[PVB_OK],
		  variant_excluded_str(p->new, xn, sizeof(xn)));
	verdict_table(d, p);
	if (!(flags & REPORT_BRIEF)) {
		stats_table(d, p);
		tests_table(d, p);
	}
	notes(d, p);
}

void report_cmp_doc(struct doc *d, const struct comparison *c, unsigned flags)
{
	if (c->emulated && !(flags & REPORT_NESTED))
		d->ops->banner(d, "TCG emulation: timings show relative behaviour under "
				  "emulation, not hardware speed.");
	for (size_t i = 0; i < c->npair; i++)
		pair_doc(d, &c->pair[i], flags);
	doc_paraf(d, "Summary: %zu better, %zu worse, %zu no change, %zu inconclusive.",
		  c->count[V_BETTER], c->count[V_WORSE], c->count[V_NO_CHANGE],
		  c->count[V_INCONCLUSIVE]);
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

/* "better +23.0% [+19.1%, +27.2%], p(Holm) 0.004, n 7/7" for TAP and JUnit. */
static void metric_line(struct rbuf *o, const struct cmp_metric *m)
{
	char ch[N], ci[2 * N], p[N];

	rb_printf(o, "%s %s %s, p(Holm) %s, n %zu/%zu", verdict_names[m->verdict],
		  fmt_pct(ch, N, m->boot.change), ci_str(ci, sizeof(ci), m->boot.lo, m->boot.hi),
		  fmt_p(p, N, m->p_holm), m->base.n, m->new.n);
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
			metric_line(o, m);
			rb_puts(o, m->verdict == V_INCONCLUSIVE ? " # SKIP inconclusive\n" : "\n");
		}
	}
	rb_printf(o, "# %zu better, %zu worse, %zu no change, %zu inconclusive\n",
		  c->count[V_BETTER], c->count[V_WORSE], c->count[V_NO_CHANGE],
		  c->count[V_INCONCLUSIVE]);
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

static void junit_case(struct rbuf *o, const struct cmp_pair *p, const struct cmp_metric *m)
{
	char t[400];
	struct rbuf line = {0};

	metric_line(&line, m);
	rb_puts(o, "    <testcase classname=\"pvbench.compare.");
	esc_html(o, pair_title(p, t, sizeof(t)));
	rb_puts(o, "\" name=\"");
	esc_html(o, m->name);
	rb_puts(o, "\" time=\"0\">\n      ");
	rb_puts(o, junit_open[m->verdict]);
	esc_html(o, line.err ? "" : line.sb.buf);
	rb_puts(o, junit_close[m->verdict]);
	rb_puts(o, "\n    </testcase>\n");
	sb_free(&line.sb);
}

int report_cmp_junit(struct rbuf *o, const struct comparison *c)
{
	size_t total = c->count[V_BETTER] + c->count[V_WORSE] + c->count[V_NO_CHANGE] +
		       c->count[V_INCONCLUSIVE];
	char t[400];

	rb_printf(o,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pvbench "
		  "compare\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		  total, c->count[V_WORSE], c->count[V_INCONCLUSIVE]);
	for (size_t i = 0; i < c->npair; i++) {
		const struct cmp_pair *p = &c->pair[i];
		size_t fails = 0, skips = 0;

		for (size_t j = 0; j < p->nm; j++) {
			fails += p->m[j].verdict == V_WORSE;
			skips += p->m[j].verdict == V_INCONCLUSIVE;
		}
		rb_puts(o, "  <testsuite name=\"");
		esc_html(o, pair_title(p, t, sizeof(t)));
		rb_printf(o, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", p->nm, fails,
			  skips);
		for (size_t j = 0; j < p->nm; j++)
			junit_case(o, p, &p->m[j]);
		rb_puts(o, "  </testsuite>\n");
	}
	rb_puts(o, "</testsuites>\n");
	return o->err;
}
