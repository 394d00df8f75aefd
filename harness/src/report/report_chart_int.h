/* report_chart_int.h: what the chart files of `pvbench report` share, private to
 * report/: the table of chart families (report_chart.c) and its drawing functions
 * (report_chart_metric.c: one chart per metric and the latency percentiles;
 * report_chart_series.c: the series a workload declares, throughput per interval and
 * reply rate against offered rate; report_chart_sweep.c; report_chart_boot.c), and
 * the gnuplot and data-file helpers they all use (report_chart.c). Every chart reads
 * the loaded model (results_load.h), never results.json. Not part of report.h. */
#ifndef PVBENCH_REPORT_CHART_INT_H
#define PVBENCH_REPORT_CHART_INT_H

#include "pvbench/report.h"

#define MAX_METRICS 256

/* A family of charts: its drawing function's view of the report. */
struct chart_ctx {
	struct report *r;
	struct rbuf *gp;      /* charts.gp being written */
	const char **metrics; /* every metric with samples in some run, first seen first */
	size_t nm;
	int kind;	   /* the family being drawn (enum chart_kind in report_chart.c) */
	const char *group; /* its heading in the report, or NULL */
};

/* The families (report_chart.c's table): each draws its charts (0) or fails with
 * -ENOMEM or a write error. */
int charts_metric(struct chart_ctx *c);	  /* report_chart_metric.c */
int charts_latency(struct chart_ctx *c);  /* report_chart_metric.c */
int chart_intervals(struct chart_ctx *c); /* report_chart_series.c */
int chart_rates(struct chart_ctx *c);	  /* report_chart_series.c */
int charts_sweep(struct chart_ctx *c);	  /* report_chart_sweep.c */
int chart_boot(struct chart_ctx *c);	  /* report_chart_boot.c */

/* Whether the workload of run (scenario.workload) declares chart (WL_CHART_*,
 * workload.h). */
bool chart_run_wants(const struct pvb_results *run, const char *chart);

/* Line colours, cycled. */
extern const char gp_colors[8][8];

/* Text for a gnuplot single-quoted string: letters, digits and a few harmless
 * punctuation marks; anything else becomes '?'. Into out (returned). */
const char *gp_label(char *out, size_t len, const char *in);
/* File-name token: [A-Za-z0-9_-], others '_', at most 48 characters. */
void file_token(char *out, size_t len, const char *in);
/* Adds a chart of c's family to the report (its section lists them in order). */
int add_chart(struct chart_ctx *c, const char *name, const char *caption);
/* Writes DIR/charts/<name>.dat; dat's sticky error first. */
int write_dat(const struct report *r, const char *name, struct rbuf *dat);
/* Starts a chart in the script: title, y axis (its label, tick format and the
 * divisor ys that plot clauses apply as column(N)/ys); x ticks as plain numbers. */
void gp_begin(struct rbuf *gp, const char *name, const char *title, const struct chart_axis *y);
/* Renders the chart as PNG too. */
void gp_end(struct rbuf *gp, const char *name);
/* Tick format for plotted values whose ticks reach from lo (smallest magnitude other
 * than 0) to hi. */
void axis_format(char *fmt, size_t len, double lo, double hi);

/* Largest |value| and smallest positive value (INFINITY when none) of a metric's OK
 * samples in runs [lo, hi) (report_chart_metric.c). */
double metric_range(const struct report *r, size_t lo, size_t hi, const char *metric,
		    double *minpos);
/* The linear y axis of a metric over runs [lo, hi). */
void metric_axis(const struct report *r, size_t lo, size_t hi, const char *metric, const char *unit,
		 struct chart_axis *a);
/* "metric (unit, higher is better)" into buf (returned); *unit gets the unit. */
const char *metric_title(const struct report *r, const char *metric, char *buf, size_t len,
			 const char **unit);
/* "x median lo hi": the median of a series and its distribution-free 95% CI
 * (stats_median_ci, the interval of compare's stats.c). */
void median_row(struct rbuf *dat, double x, const struct pvb_series *s);
/* "x value" per repetition, beside x. */
void points_rows(struct rbuf *dat, double x, const struct pvb_series *s);

#endif
