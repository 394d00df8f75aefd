/* report_chart_sweep.c: the sweep charts of `pvbench report`: when every variant of
 * a run sets one override to a number, with at least 3 distinct values, each metric's
 * median and 95% CI against that parameter, repetitions as points (report_chart.c's
 * table). */
#include "report_chart_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The override key of variant v as a number (the whole string), else false. */
static bool override_num(const struct pvb_variant *v, const char *key, double *x)
{
	const struct pvb_kv *kv = pvb_kvs_find(&v->overrides, key);
	const char *s = kv && kv->is_string ? kv->value : NULL;
	char *end;

	if (!s || !*s)
		return false;
	*x = strtod(s, &end);
	return !*end && isfinite(*x);
}

/* The override key every variant sets to a number, with >= 3 distinct values. */
static const char *sweep_key(const struct pvb_results *run, double *vals)
{
	for (size_t i = 0; run->nvar && i < run->var[0].overrides.n; i++) {
		const char *key = run->var[0].overrides.kv[i].key;
		size_t j, distinct = 0;

		for (j = 0; j < run->nvar && override_num(&run->var[j], key, &vals[j]); j++) {
			size_t k = 0;

			while (k < j && vals[k] != vals[j])
				k++;
			distinct += k == j;
		}
		if (j == run->nvar && distinct >= 3)
			return key;
	}
	return NULL;
}

/* Data blocks for a sweep chart in ascending parameter order (0: medians, 1:
 * repetitions); *ratio gets max / min of the values plotted (0 if any is <= 0). */
static size_t sweep_blocks(const struct pvb_results *res, const double *vals, const char *metric,
			   struct rbuf *dat, double *ratio)
{
	struct rbuf pts = {0};
	double lo = INFINITY, hi = -INFINITY, prev = -INFINITY;
	size_t used = 0;

	for (size_t k = 0; k < res->nvar; k++) {
		const struct pvb_series *s = NULL;
		size_t best = res->nvar;

		for (size_t j = 0; j < res->nvar; j++) /* next larger value: selection order */
			if (vals[j] > prev && (best == res->nvar || vals[j] < vals[best]))
				best = j;
		if (best == res->nvar)
			break;
		prev = vals[best];
		if (!(s = variant_series(&res->var[best], metric)))
			continue;
		median_row(dat, prev, s);
		points_rows(&pts, prev - 0.22, s); /* points_rows adds 0.22 +- 0.05 */
		lo = fmin(lo, prev);
		hi = fmax(hi, prev);
		used++;
	}
	rb_puts(dat, "\n\n");
	rb_putn(dat, pts.sb.buf ? pts.sb.buf : "", pts.sb.len);
	sb_free(&pts.sb);
	*ratio = lo > 0 ? hi / lo : 0;
	return used;
}

/* Tick format of a sweep's x axis: its ticks reach from the smallest value other
 * than 0 (or a tenth of the largest, for linear steps) to the largest. */
static void sweep_xformat(const struct pvb_results *res, const double *vals, char *fmt, size_t len)
{
	double lo = INFINITY, hi = 0;

	for (size_t j = 0; j < res->nvar; j++) {
		hi = fmax(hi, fabs(vals[j]));
		if (vals[j])
			lo = fmin(lo, fabs(vals[j]));
	}
	axis_format(fmt, len, fmin(lo, hi / 10), hi);
}

static int chart_sweep(struct chart_ctx *c, size_t run, const char *key, const double *vals,
		       const char *metric, size_t idx)
{
	struct report *r = c->r;
	const struct pvb_results *res = &r->runs[run];
	struct rbuf *gp = c->gp, dat = {0};
	char name[96], tok[48], title[300], mt[200], xl[80], cap[512], xf[16];
	struct chart_axis y;
	double ratio;
	const char *unit;
	int rc = 0;

	file_token(tok, sizeof(tok), metric);
	snprintf(name, sizeof(name), "sweep%zu-%02zu-%s", run, idx, tok);
	if (sweep_blocks(res, vals, metric, &dat, &ratio) >= 3 &&
	    !(rc = write_dat(r, name, &dat))) {
		metric_title(r, metric, mt, sizeof(mt), &unit);
		snprintf(title, sizeof(title), "%s against %s", mt, key);
		metric_axis(r, run, run + 1, metric, unit, &y);
		gp_begin(gp, name, title, &y);
		sweep_xformat(res, vals, xf, sizeof(xf));
		rb_printf(gp, "set xlabel '%s'\nset format x '%s'\nunset key\n%s",
			  gp_label(xl, sizeof(xl), key), xf,
			  ratio >= 8 ? "set logscale x 2\n" : "");
		rb_printf(gp,
			  "plot '%s.dat' index 0 using "
			  "1:(column(2)/ys):(column(3)/ys):(column(4)/ys) with yerrorlines lw 2 "
			  "pt 7 lc rgb '%s', '' index 1 using 1:(column(2)/ys) with points pt 6 "
			  "lc rgb '#777777'\n",
			  name, gp_colors[0]);
		gp_end(gp, name);
		snprintf(cap, sizeof(cap),
			 "%s: median with 95%% CI per value, repetitions as points (%s)", title,
			 res->label);
		rc = add_chart(c, name, cap);
	}
	sb_free(&dat.sb);
	return rc;
}

/* For each run whose variants sweep an override (sweep_key), each metric against it. */
int charts_sweep(struct chart_ctx *c)
{
	const struct report *r = c->r;
	int rc = 0;

	for (size_t i = 0; i < r->nruns && !rc; i++) {
		double *vals = calloc(r->runs[i].nvar + 1, sizeof(*vals));
		const char *key = vals ? sweep_key(&r->runs[i], vals) : NULL;

		if (!vals)
			return -ENOMEM;
		for (size_t m = 0; key && m < c->nm && !rc; m++)
			rc = chart_sweep(c, i, key, vals, c->metrics[m], m);
		free(vals);
	}
	return rc;
}
