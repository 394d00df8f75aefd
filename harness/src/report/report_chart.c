/* report_chart.c: gnuplot charts for `pvbench report`, as SVG and PNG under
 * DIR/charts: per metric the median and its 95% CI per variant with every
 * repetition beside it; throughput per reporting interval (runs' "series", iperf3);
 * latency percentiles per variant; the boot timeline; and for sweeps each metric
 * against the swept parameter. The data (.dat) and the script (charts.gp) stay
 * beside the images so anyone can re-render them. Every label taken from
 * results.json is reduced to a safe character set before it reaches gnuplot, series
 * from guests are bounded and checked point by point, and gnuplot runs with a
 * timeout. */
#include "pvbench/report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define GNUPLOT_TIMEOUT_S 120
#define MAX_METRICS 256

/* Order of the groups in the report's chart section: see chart_group in
 * report_sections.c. */
enum chart_kind { CHART_METRIC, CHART_LATENCY, CHART_BOOT, CHART_SWEEP, CHART_INTERVALS, CHART_RATES };

/* Runs' "series" come from the guest's side of iperf3: at most this many entries
 * are read per repetition (iperf3_parse_json's own limit; a longer array leaves the
 * repetition out), at most SERIES_MAX_TOTAL points go into the chart, and times
 * beyond SERIES_MAX_SECONDS are not an interval of any run. */
#define SERIES_MAX_POINTS 100000
#define SERIES_MAX_TOTAL 1000000
#define SERIES_MAX_SECONDS 1e7

static const char gp_colors[][8] = {"#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c",
				    "#c92a2a", "#5c940d", "#0b7285", "#e67700"};

/* Text for a gnuplot single-quoted string: letters, digits and a few harmless
 * punctuation marks; anything else (quotes, backquotes, @, <, &, # ...) becomes '?',
 * so labels are safe in scripts, in data files and in the SVG that gnuplot writes. */
static const char *gp_label(char *out, size_t len, const char *in)
{
	static const char ok[] = " _.,:;=+-/()%";
	size_t i = 0;

	for (; in && *in && i + 1 < len; in++, i++) { /* len bounds it */
		unsigned char c = *in;
		bool good = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || (c && strchr(ok, c));

		out[i] = good ? c : '?';
	}
	out[i] = '\0';
	return out;
}

/* File-name token: [A-Za-z0-9_-], others '_'. */
static void file_token(char *out, size_t len, const char *in)
{
	size_t i = 0;

	for (; *in && i + 1 < len && i < 48; in++, i++) {
		unsigned char c = *in;

		out[i] = ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			  (c >= 'A' && c <= 'Z') || c == '-' || c == '_')
			     ? c
			     : '_';
	}
	out[i] = '\0';
}

static int add_chart(struct report *r, int kind, const char *name, const char *caption)
{
	struct report_chart *c = realloc(r->charts, (r->ncharts + 1) * sizeof(*c));

	if (!c)
		return -ENOMEM;
	r->charts = c;
	c = &r->charts[r->ncharts++];
	c->kind = kind;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->caption, sizeof(c->caption), "%s", caption);
	return 0;
}

static int write_dat(const struct report *r, const char *name, struct rbuf *dat)
{
	char path[4096];

	if (dat->err)
		return dat->err;
	snprintf(path, sizeof(path), "%s/charts/%s.dat", r->outdir, name);
	return write_file_atomic(path, dat->sb.buf ? dat->sb.buf : "", dat->sb.len);
}

/* Starts a chart in the script: title, y axis (its label, tick format and the
 * divisor ys that plot clauses apply as column(N)/ys); x ticks as plain numbers. */
static void gp_begin(struct rbuf *gp, const char *name, const char *title,
		     const struct chart_axis *y)
{
	char t[128], l[128];

	rb_printf(gp, "\n# ---- %s\nreset\n", name);
	rb_printf(gp,
		  "set terminal svg size 760,440 font 'sans,12' noenhanced background "
		  "rgb 'white'\nset output '%s.svg'\n",
		  name);
	rb_printf(gp, "set title '%s'\nset ylabel '%s'\n", gp_label(t, sizeof(t), title),
		  gp_label(l, sizeof(l), y->label));
	rb_puts(gp, "set grid ytics\nset key outside bottom center horizontal reverse Left\n"
		    "set border 3\nset tics nomirror\n");
	rb_printf(gp, "set format x '%%.12g'\nset format y '%s'\nys = %.10g\n", y->format,
		  y->div);
}

static void gp_end(struct rbuf *gp, const char *name)
{
	rb_printf(gp,
		  "set terminal pngcairo size 760,440 font 'sans,10' noenhanced background "
		  "rgb 'white'\nset output '%s.png'\nreplot\nset output\n",
		  name);
}

/* Tick format for plotted values whose ticks reach from lo (smallest magnitude
 * other than 0) to hi: gnuplot's default "%g" would print 3e+08 or 1e-05. */
static void axis_format(char *fmt, size_t len, double lo, double hi)
{
	if (isfinite(hi) && hi >= 1e12)
		snprintf(fmt, len, "%%.0f");
	else if (isfinite(lo) && lo > 0 && lo < 1e-4)
		snprintf(fmt, len, "%%.%df", (int)fmin(15, ceil(-log10(lo)) + 1));
	else
		snprintf(fmt, len, "%%.12g");
}

/* Nanoseconds in one unit of a time unit, 0 for any other unit. */
static double unit_ns(const char *unit)
{
	static const struct {
		const char *unit;
		double ns;
	} t[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};

	for (size_t i = 0; unit && i < ARRAY_SIZE(t); i++)
		if (!strcmp(unit, t[i].unit))
			return t[i].ns;
	return 0;
}

/* Times: the largest of s, ms, us, ns that maxabs reaches (ns below 1 ns). */
static double time_div(const char *unit, double maxabs, char *label, size_t len)
{
	static const char *const to[] = {"s", "ms", "us", "ns"};
	double from = unit_ns(unit);
	size_t k = 0;

	while (k + 1 < ARRAY_SIZE(to) && maxabs * from < unit_ns(to[k]))
		k++;
	snprintf(label, len, "%s", to[k]);
	return unit_ns(to[k]) / from;
}

/* Rates and sizes reaching 10000: a decimal SI prefix, so ticks read "640" beside
 * "Mbits/s" (smaller values read well as they are). */
static double si_div(const char *unit, double maxabs, char *label, size_t len)
{
	static const char *const scalable[] = {"bits/s", "bit/s", "B/s", "IO/s", "B"};
	static const struct {
		double div;
		const char *prefix;
	} pre[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};

	for (size_t i = 0; unit && i < ARRAY_SIZE(scalable); i++) {
		if (strcmp(unit, scalable[i]))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(pre) && maxabs >= 1e4; k++)
			if (maxabs >= pre[k].div) {
				snprintf(label, len, "%s%s", pre[k].prefix, unit);
				return pre[k].div;
			}
		break;
	}
	return 1;
}

void report_chart_axis(struct chart_axis *a, const char *unit, double maxabs, double minpos)
{
	double hi;

	a->div = 1;
	snprintf(a->label, sizeof(a->label), "%s", unit ? unit : "");
	if (isfinite(maxabs) && maxabs > 0)
		a->div = unit_ns(unit) ? time_div(unit, maxabs, a->label, sizeof(a->label))
				       : si_div(unit, maxabs, a->label, sizeof(a->label));
	hi = maxabs / a->div;
	axis_format(a->format, sizeof(a->format), minpos > 0 ? minpos / a->div : hi / 10, hi);
}

/* Largest |value| and smallest positive value (INFINITY when none) of a metric's
 * OK samples in runs [lo, hi). */
static double metric_range(const struct report *r, size_t lo, size_t hi, const char *metric,
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

/* The linear y axis of a metric over runs [lo, hi). */
static void metric_axis(const struct report *r, size_t lo, size_t hi, const char *metric,
			const char *unit, struct chart_axis *a)
{
	double minpos, max = metric_range(r, lo, hi, metric, &minpos);

	report_chart_axis(a, unit, max, 0);
}

/* Median and its distribution-free 95% CI for one series, as "x median lo hi". */
static void median_row(struct rbuf *dat, double x, const struct pvb_series *s)
{
	struct stats_summary sum;
	double lo, hi, ach;

	if (stats_summarise(s->v, s->n, &sum) || stats_median_ci(s->v, s->n, 0.95, &lo, &hi, &ach))
		return;
	rb_printf(dat, "%.10g %.10g %.10g %.10g\n", x, sum.median, lo, hi);
}

static void points_rows(struct rbuf *dat, double x, const struct pvb_series *s)
{
	for (size_t k = 0; k < s->n; k++)
		rb_printf(dat, "%.4f %.10g\n", x + 0.22 + 0.05 * ((int)(k % 3) - 1), s->v[k]);
}

static const char *metric_title(const struct report *r, const char *metric, char *buf, size_t len,
				const char **unit)
{
	struct result_meta m = {.unit = "", .better = METRIC_BETTER_UNKNOWN};

	for (size_t i = 0; i < r->nruns; i++)
		if (json_object_get(json_object_get(r->runs[i].root, "metrics_meta"), metric) ||
		    i + 1 == r->nruns)
			results_metric_meta(&r->runs[i], metric, &m);
	*unit = m.unit;
	snprintf(buf, len, "%s (%s%s%s)", metric, m.unit, *m.unit ? ", " : "",
		 m.better == METRIC_BETTER_UNKNOWN  ? "direction unknown"
		 : m.better == METRIC_HIGHER ? "higher is better"
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

static int chart_metric(struct report *r, struct rbuf *gp, const char *metric, size_t idx)
{
	struct rbuf dat = {0}, tics = {0};
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
		rc = add_chart(r, CHART_METRIC, name, cap);
	}
	sb_free(&dat.sb);
	sb_free(&tics.sb);
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
			rb_printf(plot,
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

static int chart_latency(struct report *r, struct rbuf *gp, const struct pct_group *g, size_t idx)
{
	struct rbuf dat = {0}, plot = {0};
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
		rc = add_chart(r, CHART_LATENCY, name, cap);
	}
	sb_free(&dat.sb);
	sb_free(&plot.sb);
	return rc;
}

static int latency_charts(struct report *r, struct rbuf *gp, const char **metrics, size_t nm)
{
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
			rc = chart_latency(r, gp, &g[k], k);
	free(g);
	return rc;
}

struct stage {
	const char *name;
	double t;
};

static int cmp_stage(const void *a, const void *b)
{
	double x = ((const struct stage *)a)->t, y = ((const struct stage *)b)->t;

	return (x > y) - (x < y);
}

/* One data block per boot: "seconds row 'stage'" in time order. */
static bool boot_block(struct rbuf *dat, json_t *timeline, int y)
{
	struct stage st[32];
	size_t n = 0;
	const char *key;
	json_t *v;
	char lab[80];

	json_object_foreach(timeline, key, v) if (json_is_number(v) && n < ARRAY_SIZE(st)) st[n++] =
	    (struct stage){key, json_number_value(v)};
	if (!n)
		return false;
	qsort(st, n, sizeof(*st), cmp_stage);
	for (size_t i = 0; i < n; i++)
		rb_printf(dat, "%.6g %d \"%s\"\n", st[i].t, y,
			  gp_label(lab, sizeof(lab), st[i].name));
	rb_puts(dat, "\n\n");
	return true;
}

static int boot_blocks(const struct report *r, struct rbuf *dat, struct rbuf *tics)
{
	char lab[80], buf[160];
	int y = 0;

	for (size_t i = 0; i < r->nruns; i++) {
		json_t *boots = json_object_get(r->runs[i].root, "boots"), *b;
		size_t k;

		json_array_foreach(boots, k, b)
		{
			if (!boot_block(dat, json_object_get(b, "timeline"), y))
				continue;
			snprintf(buf, sizeof(buf), "%s%sboot %d",
				 r->nruns > 1 ? r->runs[i].label : "", r->nruns > 1 ? " " : "",
				 (int)rj_num(b, "boot", k + 1));
			rb_printf(tics, "%s'%s' %d", y ? ", " : "", gp_label(lab, sizeof(lab), buf),
				  y);
			y++;
		}
	}
	return y;
}

static int chart_boot(struct report *r, struct rbuf *gp)
{
	struct rbuf dat = {0}, tics = {0};
	const char *name = "boot-timeline";
	int rows = boot_blocks(r, &dat, &tics), rc = 0;

	if (rows && !tics.err && !(rc = write_dat(r, name, &dat))) {
		struct chart_axis y;

		report_chart_axis(&y, "", 0, 0);
		gp_begin(gp, name, "Boot timeline: when each stage was reached", &y);
		rb_printf(gp,
			  "set xlabel 'seconds since QEMU start'\nset ytics (%s)\n"
			  "set yrange [-0.7:%d.9]\nset xrange [0:*]\nunset key\nplot ",
			  tics.sb.buf, rows - 1);
		for (int y = 0; y < rows; y++)
			rb_printf(gp,
				  "%s'%s.dat' index %d using 1:2 with linespoints pt 7 lw 2 lc rgb "
				  "'%s', '' index %d using 1:2:3 with labels rotate by 35 left "
				  "offset 0.3,0.5 font ',8'",
				  y ? ", " : "", name, y, gp_colors[y % ARRAY_SIZE(gp_colors)], y);
		rb_puts(gp, "\n");
		gp_end(gp, name);
		rc = add_chart(r, CHART_BOOT, name,
			       "Boot timeline: seconds from QEMU start until each stage, per boot");
	}
	sb_free(&dat.sb);
	sb_free(&tics.sb);
	return rc;
}

static json_t *variant_obj(const struct pvb_results *run, const char *name)
{
	json_t *vars = json_object_get(run->root, "variants"), *v;
	size_t i;

	json_array_foreach(vars, i,
			   v) if (rj_str(v, "name") && !strcmp(rj_str(v, "name"), name)) return v;
	return NULL;
}

static bool override_num(const struct pvb_results *run, size_t j, const char *key, double *x)
{
	const char *s =
	    rj_str(json_object_get(variant_obj(run, run->var[j].name), "overrides"), key);
	char *end;

	if (!s || !*s)
		return false;
	*x = strtod(s, &end);
	return !*end && isfinite(*x);
}

/* The override key every variant sets to a number, with >= 3 distinct values. */
static const char *sweep_key(const struct pvb_results *run, double *vals)
{
	json_t *first = run->nvar ? variant_obj(run, run->var[0].name) : NULL, *v;
	const char *key;

	json_object_foreach(json_object_get(first, "overrides"), key, v)
	{
		size_t j, distinct = 0;

		for (j = 0; j < run->nvar && override_num(run, j, key, &vals[j]); j++) {
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
static void sweep_xformat(const struct pvb_results *res, const double *vals, char *fmt,
			  size_t len)
{
	double lo = INFINITY, hi = 0;

	for (size_t j = 0; j < res->nvar; j++) {
		hi = fmax(hi, fabs(vals[j]));
		if (vals[j])
			lo = fmin(lo, fabs(vals[j]));
	}
	axis_format(fmt, len, fmin(lo, hi / 10), hi);
}

static int chart_sweep(struct report *r, struct rbuf *gp, size_t run, const char *key,
		       const double *vals, const char *metric, size_t idx)
{
	const struct pvb_results *res = &r->runs[run];
	struct rbuf dat = {0};
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
			  gp_label(xl, sizeof(xl), key), xf, ratio >= 8 ? "set logscale x 2\n" : "");
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
		rc = add_chart(r, CHART_SWEEP, name, cap);
	}
	sb_free(&dat.sb);
	return rc;
}

static int sweep_charts(struct report *r, struct rbuf *gp, const char **metrics, size_t nm)
{
	int rc = 0;

	for (size_t i = 0; i < r->nruns && !rc; i++) {
		double *vals = calloc(r->runs[i].nvar + 1, sizeof(*vals));
		const char *key = vals ? sweep_key(&r->runs[i], vals) : NULL;

		if (!vals)
			return -ENOMEM;
		for (size_t m = 0; key && m < nm && !rc; m++)
			rc = chart_sweep(r, gp, i, key, vals, metrics[m], m);
		free(vals);
	}
	return rc;
}

/* ---- throughput per reporting interval (runs' "series") ---- */

struct ipoint {
	double x, y; /* seconds since the measured part began (interval midpoint), bits/s */
};

struct series_tally {
	size_t reps, points;  /* plotted */
	size_t bad;	      /* entries that are not a valid interval, left out */
	size_t reps_left_out; /* series not an array, or too long for the bounds */
	double maxy;	      /* largest bits/s plotted */
	const char *workload; /* of every plotted run, or "" when they differ */
	bool one_workload;
};

static int cmp_ipoint(const void *a, const void *b)
{
	double x = ((const struct ipoint *)a)->x, y = ((const struct ipoint *)b)->x;

	return (x > y) - (x < y);
}

static bool finite_num(json_t *obj, const char *key, double *x)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_number(v))
		return false;
	*x = json_number_value(v);
	return isfinite(*x);
}

/* The measured intervals of one repetition's series into pts (room for
 * SERIES_MAX_POINTS), in time order. An entry counts only as an object with finite
 * numbers 0 <= start <= end <= SERIES_MAX_SECONDS and bits_per_second >= 0 and a
 * boolean omitted; others are counted in *bad. Omitted intervals are skipped; x is
 * the midpoint of the interval less the start of the first measured one. */
static size_t series_points(json_t *series, struct ipoint *pts, size_t *bad)
{
	double t0 = INFINITY;
	size_t n = 0, i;
	json_t *e;

	json_array_foreach(series, i, e)
	{
		double start, end, bps;
		json_t *om = json_object_get(e, "omitted");

		if (!finite_num(e, "start", &start) || !finite_num(e, "end", &end) ||
		    !finite_num(e, "bits_per_second", &bps) || !json_is_boolean(om) || start < 0 ||
		    end < start || end > SERIES_MAX_SECONDS || bps < 0) {
			(*bad)++;
			continue;
		}
		if (json_is_true(om))
			continue;
		t0 = fmin(t0, start);
		pts[n++] = (struct ipoint){(start + end) / 2, bps};
	}
	for (i = 0; i < n; i++)
		pts[i].x -= t0;
	qsort(pts, n, sizeof(*pts), cmp_ipoint);
	return n;
}

/* A series of rate points (httperf: one entry per offered rate), not of intervals. */
static bool is_rate_series(json_t *series)
{
	return json_object_get(json_array_get(series, 0), "offered_rate") != NULL;
}

static void interval_caption(char *cap, size_t len, const char *title, const struct series_tally *t)
{
	size_t off = snprintf(cap, len,
			      "%s: bits/s of each measured interval as the client reported it "
			      "(iperf3: the sender's rate for direction to_guest, the "
			      "receiver's for from_guest), at the middle of the interval; x is "
			      "seconds since the measured part began (omitted intervals left "
			      "out); one line per OK repetition (%zu), coloured by variant",
			      title, t->reps);

	if (off < len && (t->bad || t->reps_left_out))
		snprintf(cap + off, len - off,
			 "; left out: %zu malformed intervals, %zu repetitions (series not an "
			 "array, over %d intervals or over %d points in all)",
			 t->bad, t->reps_left_out, SERIES_MAX_POINTS, SERIES_MAX_TOTAL);
}

/* ---- reply rate against offered rate (runs' "series", httperf) ---- */

/* The points of one repetition's rate series into pts (room for SERIES_MAX_POINTS):
 * x = offered_rate x calls per connection (requests/s offered; calls_per_conn,
 * default 1), y = reply_rate (replies/s: httperf's sampled average, or replies /
 * test duration when it took no 5 s sample), in x order. Entries without finite
 * non-negative numbers there are counted in *bad. */
static size_t rate_points(json_t *series, struct ipoint *pts, size_t *bad)
{
	size_t n = 0, i;
	json_t *e;

	json_array_foreach(series, i, e)
	{
		double x, y, calls = 1;

		if (json_object_get(e, "num_calls") && !finite_num(e, "num_calls", &calls))
			calls = -1;
		if (!finite_num(e, "offered_rate", &x) || !finite_num(e, "reply_rate", &y) ||
		    x < 0 || y < 0 || calls <= 0) {
			(*bad)++;
			continue;
		}
		pts[n++] = (struct ipoint){ x * calls, y };
	}
	qsort(pts, n, sizeof(*pts), cmp_ipoint);
	return n;
}

/* One pass over the runs for a chart of series: the rate series (httperf) or the
 * interval series (iperf3) of every OK repetition. */
struct series_pass {
	const char *name;   /* the chart's file name */
	bool rates;	    /* rate series, else interval series */
	struct ipoint *pts; /* room for SERIES_MAX_POINTS, allocated at first use */
	struct rbuf dat, plot;
	struct series_tally t;
	double maxxy; /* largest x or y drawn */
};

static void series_pass_free(struct series_pass *p)
{
	free(p->pts);
	sb_free(&p->dat.sb);
	sb_free(&p->plot.sb);
}

/* One data block per OK repetition with a series of the pass's kind, one plot
 * clause each, coloured by variant, the legend naming each variant once. Returns the
 * number of blocks, or -ENOMEM. */
static int series_blocks(const struct report *r, struct series_pass *p)
{
	struct series_tally *t = &p->t;
	char lab[80], cap[160];
	int block = 0, color = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++) {
			const char *var = r->runs[i].var[j].name;
			const char *wl =
			    rj_str(json_object_get(r->runs[i].root, "scenario"), "workload");
			json_t *rr, *series;
			size_t k, drawn = 0;

			json_array_foreach(json_object_get(r->runs[i].root, "runs"), k, rr)
			{
				size_t n;

				if (!rj_str(rr, "variant") || strcmp(rj_str(rr, "variant"), var) ||
				    pvb_status_parse(rj_str(rr, "status")) != PVB_OK ||
				    !(series = json_object_get(rr, "series")) ||
				    is_rate_series(series) != p->rates)
					continue;
				if (!json_is_array(series) ||
				    json_array_size(series) > SERIES_MAX_POINTS ||
				    (!p->rates &&
				     json_array_size(series) > SERIES_MAX_TOTAL - t->points)) {
					t->reps_left_out++;
					continue;
				}
				if (!p->pts && !(p->pts = malloc(SERIES_MAX_POINTS * sizeof(*p->pts))))
					return -ENOMEM;
				n = p->rates ? rate_points(series, p->pts, &t->bad)
					     : series_points(series, p->pts, &t->bad);
				if (!n)
					continue;
				for (size_t q = 0; q < n; q++) {
					rb_printf(&p->dat, "%.9g %.10g\n", p->pts[q].x, p->pts[q].y);
					t->maxy = fmax(t->maxy, p->pts[q].y);
					p->maxxy = fmax(p->maxxy, fmax(p->pts[q].x, p->pts[q].y));
				}
				rb_puts(&p->dat, "\n\n");
				report_var_label(r, i, var, cap, sizeof(cap));
				rb_printf(&p->plot,
					  "%s'%s.dat' index %d using %s with %s lw 1.5 pt 7 ps %s "
					  "lc rgb '%s' ",
					  block ? ", " : "plot ", p->name, block,
					  p->rates ? "1:2" : "1:(column(2)/ys)",
					  p->rates || n <= 120 ? "linespoints" : "lines",
					  p->rates ? "0.7" : "0.6",
					  gp_colors[color % ARRAY_SIZE(gp_colors)]);
				if (drawn++)
					rb_puts(&p->plot, "notitle");
				else
					rb_printf(&p->plot, "title '%s'",
						  gp_label(lab, sizeof(lab), cap));
				if (!t->reps)
					t->workload = wl ? wl : "";
				t->one_workload =
				    !t->reps || (t->one_workload && wl && !strcmp(wl, t->workload));
				t->reps++;
				t->points += n;
				block++;
			}
			color += drawn > 0;
		}
	return block;
}

static int chart_rates(struct report *r, struct rbuf *gp)
{
	struct series_pass p = { .name = "reply-rate", .rates = true };
	char cap[512];
	int block = series_blocks(r, &p), rc = block < 0 ? block : 0;

	if (block > 0 && !p.plot.err && !p.dat.err && !(rc = write_dat(r, p.name, &p.dat))) {
		struct chart_axis y;

		report_chart_axis(&y, "replies/s", p.maxxy, 0);
		gp_begin(gp, p.name, "Reply rate against offered request rate", &y);
		rb_printf(gp,
			  "set xlabel 'offered requests/s (httperf --rate x --num-calls)'\n"
			  "set xrange [0:%.6g]\nset yrange [0:%.6g]\n%s, x with lines dt 2 lc rgb "
			  "'#888888' title 'keeping up (reply rate = offered)'\n",
			  p.maxxy * 1.05, p.maxxy * 1.05, p.plot.sb.buf);
		gp_end(gp, p.name);
		snprintf(cap, sizeof(cap),
			 "Reply rate against offered request rate: httperf's average reply rate "
			 "at each offered rate, one line per OK repetition (%zu), coloured by "
			 "variant; the dashed line is reply rate = offered rate: points below it "
			 "did not keep up%s",
			 p.t.reps, p.t.bad ? " (malformed points left out)" : "");
		rc = add_chart(r, CHART_RATES, p.name, cap);
	}
	series_pass_free(&p);
	return rc;
}

static int chart_intervals(struct report *r, struct rbuf *gp)
{
	struct series_pass p = { .name = "throughput-intervals" };
	struct series_tally *t = &p.t;
	char title[128], wl[40], cap[512];
	struct chart_axis y;
	int blocks = series_blocks(r, &p), rc = blocks < 0 ? blocks : 0;

	if (blocks >= 0 && (t->bad || t->reps_left_out))
		pvb_warn("interval chart: left out %zu malformed series intervals and %zu "
			 "repetitions (series not an array, over %d intervals or over %d points "
			 "in all)",
			 t->bad, t->reps_left_out, SERIES_MAX_POINTS, SERIES_MAX_TOTAL);
	if (blocks > 0 && !p.plot.err && !p.dat.err && !(rc = write_dat(r, p.name, &p.dat))) {
		snprintf(title, sizeof(title), "Throughput per %s interval",
			 t->one_workload && *t->workload ? gp_label(wl, sizeof(wl), t->workload)
							 : "reporting");
		report_chart_axis(&y, "bits/s", t->maxy, 0);
		gp_begin(gp, p.name, title, &y);
		rb_printf(gp,
			  "set xlabel 'seconds since the measured part began'\n"
			  "set xrange [0:*]\nset yrange [0:*]\n%s\n",
			  p.plot.sb.buf);
		gp_end(gp, p.name);
		interval_caption(cap, sizeof(cap), title, t);
		rc = add_chart(r, CHART_INTERVALS, p.name, cap);
	}
	series_pass_free(&p);
	return rc;
}

static size_t metric_union(const struct report *r, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++)
			for (size_t k = 0; k < r->runs[i].var[j].nseries; k++) {
				const char *m = r->runs[i].var[j].series[k].metric;
				size_t q = 0;

				while (q < n && strcmp(out[q], m))
					q++;
				if (q == n && n < MAX_METRICS)
					out[n++] = m;
			}
	return n;
}

/* Runs gnuplot on charts.gp in dir, output to gnuplot.log; kills it on timeout. */
static int run_gnuplot(const char *dir)
{
	int status = 0, waited;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int log, null = open("/dev/null", O_RDONLY);

		if (chdir(dir) == 0 &&
		    (log = open("gnuplot.log", O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
			dup2(null, 0);
			dup2(log, 1);
			dup2(log, 2);
			execlp("gnuplot", "gnuplot", "charts.gp", (char *)NULL);
		}
		_exit(127);
	}
	for (waited = 0; waited < GNUPLOT_TIMEOUT_S * 20; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(50000);
	}
	if (waited == GNUPLOT_TIMEOUT_S * 20) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -ETIMEDOUT;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}

static int gnuplot_result(const char *dir, int rc)
{
	if (rc == 127)
		pvb_warn("gnuplot not found (install gnuplot-nox): the report has no charts");
	else if (rc == -ETIMEDOUT)
		pvb_warn("gnuplot took longer than %d s and was killed: see '%s/gnuplot.log'",
			 GNUPLOT_TIMEOUT_S, dir);
	else if (rc)
		pvb_warn("gnuplot failed (%d): see '%s/gnuplot.log'", rc, dir);
	return 0;
}

static int build_charts(struct report *r, struct rbuf *gp)
{
	const char **metrics = calloc(MAX_METRICS, sizeof(*metrics));
	size_t nm;
	int rc = 0;

	if (!metrics)
		return -ENOMEM;
	nm = metric_union(r, metrics);
	for (size_t i = 0; i < nm && !rc; i++)
		rc = chart_metric(r, gp, metrics[i], i);
	if (!rc)
		rc = chart_intervals(r, gp);
	if (!rc)
		rc = chart_rates(r, gp);
	if (!rc)
		rc = latency_charts(r, gp, metrics, nm);
	if (!rc)
		rc = chart_boot(r, gp);
	if (!rc)
		rc = sweep_charts(r, gp, metrics, nm);
	free(metrics);
	return rc;
}

int report_charts(struct report *r)
{
	char dir[4096], path[4200];
	struct rbuf gp = {0};
	int rc;

	snprintf(dir, sizeof(dir), "%s/charts", r->outdir);
	if ((rc = mkdir_p(dir))) {
		pvb_err("cannot create '%s': %s", dir, strerror(-rc));
		return rc;
	}
	rb_puts(&gp, "# charts.gp: written by pvbench report; re-render with 'gnuplot charts.gp'"
		     " in this directory\n");
	rc = build_charts(r, &gp);
	if (!rc)
		rc = gp.err;
	snprintf(path, sizeof(path), "%s/charts.gp", dir);
	if (!rc && (rc = write_file_atomic(path, gp.sb.buf, gp.sb.len)))
		pvb_err("cannot write '%s': %s", path, strerror(-rc));
	else if (rc)
		pvb_err("cannot write the charts in '%s': %s", dir, strerror(-rc));
	sb_free(&gp.sb);
	if (rc || !r->ncharts)
		return rc;
	return gnuplot_result(dir, run_gnuplot(dir));
}
