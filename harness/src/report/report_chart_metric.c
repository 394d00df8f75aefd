/* report_chart_metric.c: the charts of `pvbench report` drawn per metric: the
 * median and its 95% CI per variant with every repetition beside it, and the latency
 * percentiles of one quantity per variant (report_chart.c's table). */
#include "report_chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double metric_range(const struct report *r, size_t lo, size_t hi, const char *metric,
		    double *minpos)
{
	double m = 0;

	*minpos = INFINITY;
	for (size_t i = lo; i < hi && i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++) {
			const struct pvb_series *s = variant_series(&r->runs[i].var[j], metric);

			for (size_t k = 0; s && k < s->n; k++)
				if (isfinite(s->v[k])) {
					m = fmax(m, fabs(s->v[k]));
					if (s->v[k] > 0)
						*minpos = fmin(*minpos, s->v[k]);
				}
		}
	return m;
}

void metric_axis(const struct report *r, size_t lo, size_t hi, const char *metric, const char *unit,
		 struct chart_axis *a)
{
	double minpos, max = metric_range(r, lo, hi, metric, &minpos);

	report_chart_axis(a, unit, max, 0);
}

void median_row(struct rbuf *dat, double x, const struct pvb_series *s)
{
	struct stats_summary sum;
	double lo, hi, ach;

	if (stats_summarise(s->v, s->n, &sum) || stats_median_ci(s->v, s->n, 0.95, &lo, &hi, &ach))
		return;
	rb_printf(dat, "%.10g %.10g %.10g %.10g\n", x, sum.median, lo, hi);
}

void points_rows(struct rbuf *dat, double x, const struct pvb_series *s)
{
	for (size_t k = 0; k < s->n; k++)
		rb_printf(dat, "%.4f %.10g\n", x + 0.22 + 0.05 * ((int)(k % 3) - 1), s->v[k]);
}

/* The unit and direction of the last run whose metrics_meta lists the metric, else
 * of the last run. */
const char *metric_title(const struct report *r, const char *metric, char *buf, size_t len,
			 const char **unit)
{
	struct result_meta m = {.unit = "", .better = METRIC_BETTER_UNKNOWN};

	for (size_t i = 0; i < r->nruns; i++) {
		struct result_meta mi;

		results_metric_meta(&r->runs[i], metric, &mi);
		if (mi.listed || i + 1 == r->nruns)
			m = mi;
	}
	*unit = m.unit;
	snprintf(buf, len, "%s (%s%s%s)", metric, m.unit, *m.unit ? ", " : "",
		 m.better == METRIC_BETTER_UNKNOWN ? "direction unknown"
		 : m.better == METRIC_HIGHER	   ? "higher is better"
						   : "lower is better");
	return buf;
}

/* Data blocks for a metric chart (0: "x median lo hi" per variant, 1: "x value" per
 * repetition) and the matching xtics; returns the number of variants plotted. */
static int metric_blocks(const struct report *r, const char *metric, struct rbuf *dat,
			 struct rbuf *tics)
{
	struct rbuf pts = {0};
	char lab[80], cap[160];
	int x = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++) {
			const struct pvb_series *s = variant_series(&r->runs[i].var[j], metric);

			if (!s)
				continue;
			median_row(dat, x, s);
			points_rows(&pts, x, s);
			report_var_label(r, i, r->runs[i].var[j].name, cap, sizeof(cap));
			rb_printf(tics, "%s'%s' %d", x ? ", " : "", gp_label(lab, sizeof(lab), cap),
				  x);
			x++;
		}
	rb_puts(dat, "\n\n");
	rb_putn(dat, pts.sb.buf ? pts.sb.buf : "", pts.sb.len);
	sb_free(&pts.sb);
	return pts.err ? 0 : x;
}

static int chart_metric(struct chart_ctx *c, const char *metric, size_t idx)
{
	struct report *r = c->r;
	struct rbuf *gp = c->gp, dat = {0}, tics = {0};
	char name[96], tok[48], title[200], cap[512];
	struct chart_axis y;
	const char *unit = "";
	int x = metric_blocks(r, metric, &dat, &tics), rc;

	file_token(tok, sizeof(tok), metric);
	snprintf(name, sizeof(name), "m%02zu-%s", idx, tok);
	rc = x ? write_dat(r, name, &dat) : 0;
	if (x && !rc && !tics.err) {
		metric_title(r, metric, title, sizeof(title), &unit);
		metric_axis(r, 0, r->nruns, metric, unit, &y);
		gp_begin(gp, name, title, &y);
		rb_printf(gp, "set xtics (%s)%s\nset xrange [-0.6:%d.6]\n", tics.sb.buf,
			  x > 5 ? " rotate by -30" : "", x - 1);
		rb_printf(gp,
			  "plot '%s.dat' index 0 using "
			  "1:(column(2)/ys):(column(3)/ys):(column(4)/ys) with yerrorbars "
			  "pt 7 ps 1.3 lw 2 lc rgb '%s' title 'median, 95%% CI', '' index 1 using "
			  "1:(column(2)/ys) with points pt 6 ps 0.9 lc rgb '#777777' title "
			  "'repetitions'\n",
			  name, gp_colors[0]);
		gp_end(gp, name);
		snprintf(cap, sizeof(cap),
			 "%s: median per variant with its 95%% confidence "
			 "interval, each repetition as a point beside it",
			 title);
		rc = add_chart(c, name, cap);
	}
	sb_free(&dat.sb);
	sb_free(&tics.sb);
	return rc;
}

/* One chart per metric. */
int charts_metric(struct chart_ctx *c)
{
	int rc = 0;

	for (size_t i = 0; i < c->nm && !rc; i++)
		rc = chart_metric(c, c->metrics[i], i);
	return rc;
}

/* "read_clat_p99_9_ns" -> prefix "read_clat", pct 99.9, unit "ns". */
static bool parse_percentile(const char *m, char *prefix, size_t plen, double *pct,
			     const char **unit)
{
	static const char *const units[] = {"_ns", "_us", "_ms", "_s"};
	const char *p = strstr(m, "_p"), *last = NULL, *u;
	char num[16];
	size_t n = 0;

	for (; p; p = strstr(p + 1, "_p"))
		if (p[2] >= '0' && p[2] <= '9')
			last = p;
	if (!last)
		return false;
	for (u = last + 2;
	     *u && ((*u >= '0' && *u <= '9') || (*u == '_' && u[1] >= '0' && u[1] <= '9')); u++)
		if (n + 1 < sizeof(num))
			num[n++] = *u == '_' ? '.' : *u;
	num[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(u, units[i])) {
			*pct = atof(num);
			*unit = units[i] + 1;
			snprintf(prefix, plen, "%.*s", (int)(last - m), m);
			return *pct > 0 && *pct < 100;
		}
	return false;
}

struct pct_group {
	char prefix[96];
	const char *unit;
	const char *metric[16];
	double pct[16];
	size_t n;
};

static void group_add(struct pct_group *g, const char *metric, double pct)
{
	size_t i = g->n;

	if (g->n == ARRAY_SIZE(g->metric))
		return;
	for (; i > 0 && g->pct[i - 1] > pct; i--) { /* keep ascending */
		g->pct[i] = g->pct[i - 1];
		g->metric[i] = g->metric[i - 1];
	}
	g->pct[i] = pct;
	g->metric[i] = metric;
	g->n++;
}

static void latency_series(const struct report *r, const struct pct_group *g, struct rbuf *dat,
			   struct rbuf *plot, const char *name)
{
	char lab[80], cap[160];
	int k = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++) {
			const struct pvb_variant *v = &r->runs[i].var[j];
			size_t rows = 0;

			for (size_t q = 0; q < g->n; q++) {
				const struct pvb_series *s = variant_series(v, g->metric[q]);

				if (!s)
					continue;
				median_row(dat, q, s);
				rows++;
			}
			if (!rows)
				continue;
			rb_puts(dat, "\n\n");
			report_var_label(r, i, v->name, cap, sizeof(cap));
			rb_printf(
			    plot,
			    "%s'%s.dat' index %d using "
			    "1:(column(2)/ys):(column(3)/ys):(column(4)/ys) with yerrorlines lw 2 "
			    "pt 7 lc rgb '%s' title '%s'",
			    k ? ", " : "plot ", name, k, gp_colors[k % ARRAY_SIZE(gp_colors)],
			    gp_label(lab, sizeof(lab), cap));
			k++;
		}
}

/* The log y axis of a group of percentiles: unit by the largest value, tick format
 * by the smallest positive one. */
static void latency_axis(const struct report *r, const struct pct_group *g, struct chart_axis *a)
{
	double max = 0, minpos = INFINITY;

	for (size_t q = 0; q < g->n; q++) {
		double mp, m = metric_range(r, 0, r->nruns, g->metric[q], &mp);

		max = fmax(max, m);
		minpos = fmin(minpos, mp);
	}
	report_chart_axis(a, g->unit, max, isfinite(minpos) ? minpos : 0);
}

static int chart_latency(struct chart_ctx *c, const struct pct_group *g, size_t idx)
{
	struct report *r = c->r;
	struct rbuf *gp = c->gp, dat = {0}, plot = {0};
	char name[96], tok[48], title[200], cap[512];
	struct chart_axis y;
	int rc = 0;

	file_token(tok, sizeof(tok), g->prefix);
	snprintf(name, sizeof(name), "lat%02zu-%s", idx, tok);
	latency_series(r, g, &dat, &plot, name);
	if (plot.sb.len && !plot.err && !(rc = write_dat(r, name, &dat))) {
		latency_axis(r, g, &y);
		snprintf(title, sizeof(title), "%s percentiles (%s)", g->prefix, y.label);
		gp_begin(gp, name, title, &y);
		rb_puts(gp, "set logscale y\nset xtics (");
		for (size_t q = 0; q < g->n; q++)
			rb_printf(gp, "%s'p%g' %zu", q ? ", " : "", g->pct[q], q);
		rb_printf(gp, ")\nset xrange [-0.3:%zu.3]\n%s\n", g->n - 1, plot.sb.buf);
		gp_end(gp, name);
		snprintf(cap, sizeof(cap),
			 "%s: median of each percentile per variant with its "
			 "95%% confidence interval (log scale)",
			 title);
		rc = add_chart(c, name, cap);
	}
	sb_free(&dat.sb);
	sb_free(&plot.sb);
	return rc;
}

/* One chart per group of two or more percentiles of one quantity and unit
 * ("read_clat_p50_ns", "read_clat_p99_ns", ...). */
int charts_latency(struct chart_ctx *c)
{
	const char **metrics = c->metrics;
	size_t nm = c->nm;
	struct pct_group *g = calloc(32, sizeof(*g));
	size_t ng = 0;
	int rc = 0;

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < nm; i++) {
		char prefix[96];
		const char *unit;
		double pct;
		size_t k = 0;

		if (!parse_percentile(metrics[i], prefix, sizeof(prefix), &pct, &unit))
			continue;
		while (k < ng && (strcmp(g[k].prefix, prefix) || strcmp(g[k].unit, unit)))
			k++;
		if (k == ng && ng == 32)
			continue;
		if (k == ng) {
			snprintf(g[ng].prefix, sizeof(g[ng].prefix), "%s", prefix);
			g[ng++].unit = unit;
		}
		group_add(&g[k], metrics[i], pct);
	}
	for (size_t k = 0; k < ng && !rc; k++)
		if (g[k].n >= 2)
			rc = chart_latency(c, &g[k], k);
	free(g);
	return rc;
}
