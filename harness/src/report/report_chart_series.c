/* report_chart_series.c: the charts of `pvbench report` drawn from the repetitions'
 * "series", for the runs whose workload declares them (workload.h, charts): throughput
 * per reporting interval (WL_CHART_INTERVALS, iperf3) and reply rate against offered
 * rate (WL_CHART_RATES, httperf) (report_chart.c's table). The series come from the
 * guest's side: at most PVB_SERIES_MAX_POINTS entries are loaded per repetition
 * (results_load.h; a longer array leaves the repetition out), at most
 * SERIES_MAX_TOTAL interval points go into the chart, and times beyond
 * SERIES_MAX_SECONDS are not an interval of any run. */
#include "pvbench/workload.h"
#include "report_chart_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SERIES_MAX_TOTAL 1000000
#define SERIES_MAX_SECONDS 1e7

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

/* The measured intervals of one repetition's series into pts (room for s->n), in
 * time order. An entry counts only with finite numbers 0 <= start <= end <=
 * SERIES_MAX_SECONDS and bits_per_second >= 0 and a boolean omitted; others are
 * counted in *bad. Omitted intervals are skipped; x is the midpoint of the interval
 * less the start of the first measured one. */
static size_t interval_points(const struct pvb_run_series *s, struct ipoint *pts, size_t *bad)
{
	double t0 = INFINITY;
	size_t n = 0, i;

	for (i = 0; i < s->n; i++) {
		const struct pvb_point *e = &s->pt[i];

		if (isnan(e->start) || isnan(e->end) || isnan(e->bits_per_second) ||
		    e->omitted < 0 || e->start < 0 || e->end < e->start ||
		    e->end > SERIES_MAX_SECONDS || e->bits_per_second < 0) {
			(*bad)++;
			continue;
		}
		if (e->omitted)
			continue;
		t0 = fmin(t0, e->start);
		pts[n++] = (struct ipoint){(e->start + e->end) / 2, e->bits_per_second};
	}
	for (i = 0; i < n; i++)
		pts[i].x -= t0;
	qsort(pts, n, sizeof(*pts), cmp_ipoint);
	return n;
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
			 t->bad, t->reps_left_out, PVB_SERIES_MAX_POINTS, SERIES_MAX_TOTAL);
}

/* ---- reply rate against offered rate (runs' "series", httperf) ---- */

/* The points of one repetition's rate series into pts (room for s->n):
 * x = offered_rate x calls per connection (requests/s offered; calls_per_conn,
 * default 1), y = reply_rate (replies/s: httperf's sampled average, or replies /
 * test duration when it took no 5 s sample), in x order. Entries without finite
 * non-negative numbers there are counted in *bad. */
static size_t rate_points(const struct pvb_run_series *s, struct ipoint *pts, size_t *bad)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++) {
		double x = s->pt[i].offered_rate, y = s->pt[i].reply_rate,
		       calls = s->pt[i].num_calls;

		if (isnan(x) || isnan(y) || x < 0 || y < 0 || !(calls > 0)) {
			(*bad)++;
			continue;
		}
		pts[n++] = (struct ipoint){x * calls, y};
	}
	qsort(pts, n, sizeof(*pts), cmp_ipoint);
	return n;
}

/* One pass over the runs for a chart of series: the series of every OK repetition
 * of the runs whose workload declares the chart, read as rate points (httperf) or as
 * intervals (iperf3). */
struct series_pass {
	const char *name;   /* the chart's file name */
	const char *chart;  /* WL_CHART_RATES or WL_CHART_INTERVALS */
	bool rates;	    /* rate series, else interval series */
	struct ipoint *pts; /* room for PVB_SERIES_MAX_POINTS, allocated at first use */
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

/* One data block per OK repetition with a series, in the runs whose workload declares
 * the pass's chart, one plot clause each, coloured by variant, the legend naming each
 * variant once. Returns the number of blocks, or -ENOMEM. */
static int series_blocks(const struct report *r, struct series_pass *p)
{
	struct series_tally *t = &p->t;
	char lab[80], cap[160];
	int block = 0, color = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; chart_run_wants(&r->runs[i], p->chart) && j < r->runs[i].nvar;
		     j++) {
			const struct pvb_results *run = &r->runs[i];
			const char *var = run->var[j].name, *wl = run->scenario.workload;
			size_t drawn = 0;

			for (size_t k = 0; k < run->nrun; k++) {
				const struct pvb_run_series *series = &run->run[k].series;
				size_t n;

				if (strcmp(run->run[k].variant, var) ||
				    run->run[k].status != PVB_OK || !series->present)
					continue;
				if (!series->usable ||
				    (!p->rates && series->n > SERIES_MAX_TOTAL - t->points)) {
					t->reps_left_out++;
					continue;
				}
				if (!p->pts &&
				    !(p->pts = malloc(PVB_SERIES_MAX_POINTS * sizeof(*p->pts))))
					return -ENOMEM;
				n = p->rates ? rate_points(series, p->pts, &t->bad)
					     : interval_points(series, p->pts, &t->bad);
				if (!n)
					continue;
				for (size_t q = 0; q < n; q++) {
					rb_printf(&p->dat, "%.9g %.10g\n", p->pts[q].x,
						  p->pts[q].y);
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

/* Reply rate against offered request rate (httperf's series). */
int chart_rates(struct chart_ctx *c)
{
	struct report *r = c->r;
	struct rbuf *gp = c->gp;
	struct series_pass p = {.name = "reply-rate", .chart = WL_CHART_RATES, .rates = true};
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
		rc = add_chart(c, p.name, cap);
	}
	series_pass_free(&p);
	return rc;
}

/* Throughput per reporting interval (iperf3's series). */
int chart_intervals(struct chart_ctx *c)
{
	struct report *r = c->r;
	struct rbuf *gp = c->gp;
	struct series_pass p = {.name = "throughput-intervals", .chart = WL_CHART_INTERVALS};
	struct series_tally *t = &p.t;
	char title[128], wl[40], cap[512];
	struct chart_axis y;
	int blocks = series_blocks(r, &p), rc = blocks < 0 ? blocks : 0;

	if (blocks >= 0 && (t->bad || t->reps_left_out))
		pvb_warn("interval chart: left out %zu malformed series intervals and %zu "
			 "repetitions (series not an array, over %d intervals or over %d points "
			 "in all)",
			 t->bad, t->reps_left_out, PVB_SERIES_MAX_POINTS, SERIES_MAX_TOTAL);
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
		rc = add_chart(c, p.name, cap);
	}
	series_pass_free(&p);
	return rc;
}
