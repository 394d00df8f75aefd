/* report_export.c: machine-readable comparisons: JSON (schema pvbench-compare/1)
 * and CSV (one row per pair and metric), both documented in reports/README.md.
 * Percentages are in keys ending in _pct; NAN is written as null / empty. */
#include "pvbench/report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COMPARE_SCHEMA "pvbench-compare/1"

static json_t *jnum(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *jpct(double frac)
{
	return jnum(frac * 100);
}

static json_t *summary_json(const struct stats_summary *s)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "n", (json_int_t)s->n, "median",
			 jnum(s->median), "mean", jnum(s->mean), "sd", jnum(s->sd), "cv_pct",
			 jpct(s->cv), "min", jnum(s->min), "max", jnum(s->max));
}

static json_t *side_json(const struct pvb_results *r, const struct pvb_variant *v)
{
	json_t *ex = json_object();

	for (int s = PVB_SKIP; ex && s < PVB_NSTATUS; s++)
		if (v->nstatus[s])
			json_object_set_new(ex, pvb_status_names[s], json_integer(v->nstatus[s]));
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "run", r->label, "path", r->path, "variant",
			 v->name, "ok", (json_int_t)v->nstatus[PVB_OK], "excluded", ex);
}

static json_t *notes_json(unsigned notes)
{
	json_t *a = json_array();

	for (int b = 0; a && b < CMP_NNOTES; b++)
		if (notes & (1u << b))
			json_array_append_new(a, json_string(cmp_note_text[b]));
	return a;
}

static json_t *tests_json(const struct cmp_metric *m)
{
	return json_pack("{s:{s:o, s:o, s:b, s:b}, s:{s:o, s:o, s:o}, s:{s:o, s:o, s:o, s:o}}",
			 "mann_whitney", "u", jnum(m->mw.u), "p", jnum(m->mw.p), "exact",
			 m->mw.exact, "ties", m->mw.ties, "welch", "t", jnum(m->welch.t), "df",
			 jnum(m->welch.df), "p", jnum(m->welch.p), "hodges_lehmann", "shift",
			 jnum(m->hl.shift), "lo", jnum(m->hl.lo), "hi", jnum(m->hl.hi),
			 "confidence", jnum(m->hl.achieved));
}

static json_t *metric_json(const struct cmp_metric *m)
{
	json_t *j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "name", m->name,
	    "unit", m->meta.unit, "better", metric_better_name(m->meta.better), "better_from",
	    m->meta.from_file ? "metrics_meta" : "name suffix", "base", summary_json(&m->base),
	    "new", summary_json(&m->new), "change_pct", jpct(m->boot.change), "ci_lo_pct",
	    jpct(m->boot.lo), "ci_hi_pct", jpct(m->boot.hi), "p_holm", jnum(m->p_holm), "mdc_pct",
	    jpct(m->mdc), "verdict", verdict_names[m->verdict], "notes", notes_json(m->notes));

	if (j && (json_object_set_new(j, "mdc_reachable", json_boolean(!isinf(m->mdc))) ||
		  json_object_set_new(j, "primary", json_boolean(m->primary)) ||
		  json_object_set_new(j, "ci_confidence", jnum(m->boot.achieved)))) {
		json_decref(j);
		return NULL;
	}
	if (j && json_object_update_new(j, tests_json(m))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *pair_json(const struct cmp_pair *p)
{
	json_t *ms = json_array();

	for (size_t i = 0; ms && i < p->nm; i++)
		if (json_array_append_new(ms, metric_json(&p->m[i]))) {
			json_decref(ms);
			return NULL;
		}
	return json_pack("{s:o, s:o, s:I, s:I, s:o}", "base", side_json(p->base_run, p->base),
			 "new", side_json(p->new_run, p->new), "only_base_metrics",
			 (json_int_t)p->only_base, "only_new_metrics", (json_int_t)p->only_new,
			 "metrics", ms);
}

static json_t *params_json(const struct cmp_opts *o)
{
	return json_pack("{s:o, s:o, s:o, s:I, s:I, s:o, s:s?}", "band_pct", jnum(o->band * 100),
			 "alpha", jnum(o->alpha), "confidence", jnum(o->conf),
			 "bootstrap_resamples", (json_int_t)o->resamples, "bootstrap_seed",
			 (json_int_t)o->seed, "mdc_power", jnum(o->power), "metrics", o->metrics);
}

static json_t *counts_json(const size_t *k)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "better", (json_int_t)k[V_BETTER], "worse",
			 (json_int_t)k[V_WORSE], "no_change", (json_int_t)k[V_NO_CHANGE],
			 "inconclusive", (json_int_t)k[V_INCONCLUSIVE]);
}

/* summary: the primary counts, and the exploratory ones under "exploratory". */
static json_t *summary_counts(const struct comparison *c)
{
	json_t *s = counts_json(c->count[CMP_PRIMARY]);

	if (s && json_object_set_new(s, "exploratory", counts_json(c->count[CMP_EXPLORATORY]))) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *comparison_json(const struct comparison *c)
{
	json_t *pairs = json_array();
	char line[1024];

	for (size_t i = 0; pairs && i < c->npair; i++)
		if (json_array_append_new(pairs, pair_json(&c->pair[i]))) {
			json_decref(pairs);
			return NULL;
		}
	return json_pack("{s:s, s:b, s:s, s:s, s:s, s:o, s:o, s:o, s:i}", "schema",
			 COMPARE_SCHEMA, "emulated", c->emulated, "clock", cmp_clock_name(c, 1),
			 "clock_note", cmp_clock_line(line, sizeof(line), c, 1), "gate",
			 c->opts.gate_all ? "all" : "primary", "params", params_json(&c->opts),
			 "pairs", pairs, "summary", summary_counts(c), "exit_status",
			 comparison_exit_status(c));
}

int report_cmp_json(struct rbuf *o, const struct comparison *c, unsigned flags)
{
	json_t *j = comparison_json(c);
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;

	(void)flags;
	json_decref(j);
	if (!text)
		return o->err = -ENOMEM;
	rb_puts(o, text);
	rb_puts(o, "\n");
	free(text);
	return o->err;
}

/* RFC 4180 field; a leading = + - @ is defused for spreadsheets. */
static void csv_str(struct rbuf *o, const char *s, bool last)
{
	rb_puts(o, "\"");
	if (strchr("=+-@", s[0]) && s[0])
		rb_puts(o, "'");
	for (; *s; s++)
		rb_putn(o, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	rb_puts(o, last ? "\"\n" : "\",");
}

static void csv_num(struct rbuf *o, double x)
{
	if (isfinite(x))
		rb_printf(o, "%.10g,", x);
	else if (isinf(x))
		rb_puts(o, x > 0 ? "inf," : "-inf,");
	else
		rb_puts(o, ",");
}

static const char csv_head[] =
    "base_run,base_variant,new_run,new_variant,base_ok,base_excluded,new_ok,new_excluded,"
    "metric,unit,better,"
    "base_n,base_median,base_mean,base_sd,base_cv_pct,base_min,base_max,"
    "new_n,new_median,new_mean,new_sd,new_cv_pct,new_min,new_max,"
    "change_pct,ci_lo_pct,ci_hi_pct,mw_u,mw_p,mw_exact,p_holm,welch_t,welch_df,welch_p,"
    "hl_shift,hl_lo,hl_hi,mdc_pct,verdict,family\n";

static void csv_summary(struct rbuf *o, const struct stats_summary *s)
{
	rb_printf(o, "%zu,", s->n);
	csv_num(o, s->median);
	csv_num(o, s->mean);
	csv_num(o, s->sd);
	csv_num(o, s->cv * 100);
	csv_num(o, s->min);
	csv_num(o, s->max);
}

static void csv_row(struct rbuf *o, const struct cmp_pair *p, const struct cmp_metric *m)
{
	const double nums[] = {
	    m->boot.change * 100, m->boot.lo * 100, m->boot.hi * 100, m->mw.u,	   m->mw.p,
	    m->mw.exact,	  m->p_holm,	    m->welch.t,	      m->welch.df, m->welch.p,
	    m->hl.shift,	  m->hl.lo,	    m->hl.hi,	      m->mdc * 100};
	char xb[160], xn[160];

	csv_str(o, p->base_run->label, false);
	csv_str(o, p->base->name, false);
	csv_str(o, p->new_run->label, false);
	csv_str(o, p->new->name, false);
	rb_printf(o, "%zu,", p->base->nstatus[PVB_OK]);
	csv_str(o, variant_excluded_str(p->base, xb, sizeof(xb)), false);
	rb_printf(o, "%zu,", p->new->nstatus[PVB_OK]);
	csv_str(o, variant_excluded_str(p->new, xn, sizeof(xn)), false);
	csv_str(o, m->name, false);
	csv_str(o, m->meta.unit, false);
	csv_str(o, metric_better_name(m->meta.better), false);
	csv_summary(o, &m->base);
	csv_summary(o, &m->new);
	for (size_t i = 0; i < ARRAY_SIZE(nums); i++)
		csv_num(o, nums[i]);
	csv_str(o, verdict_names[m->verdict], false);
	csv_str(o, m->primary ? "primary" : "exploratory", true);
}

int report_cmp_csv(struct rbuf *o, const struct comparison *c, unsigned flags)
{
	(void)flags;
	rb_puts(o, csv_head);
	for (size_t i = 0; i < c->npair; i++)
		for (size_t j = 0; j < c->pair[i].nm; j++)
			csv_row(o, &c->pair[i], &c->pair[i].m[j]);
	return o->err;
}
