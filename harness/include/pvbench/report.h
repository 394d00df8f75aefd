/* report.h: everything that prints statistics: the output formats of
 * `pvbench compare` (text, Markdown, JSON, CSV, TAP 13, JUnit XML) and the HTML and
 * Markdown reports of `pvbench report` with their gnuplot charts.
 *
 * Documents are written once against struct doc_ops and rendered by a backend:
 * text (aligned columns), Markdown or self-contained HTML. Backends escape every
 * string they are given, so callers pass raw text, including text that came from
 * a guest or a tool. Output accumulates in a struct rbuf whose first allocation
 * failure is sticky (err), so writers check once at the end. */
#ifndef PVBENCH_REPORT_H
#define PVBENCH_REPORT_H

#include "pvbench/compare.h"
#include "pvbench/util.h"

#include <stdio.h>

/* ---- output buffer (report_doc.c) ---- */
struct rbuf {
	struct sbuf sb;
	int err; /* 0 or the first -ENOMEM */
};
void rb_puts(struct rbuf *o, const char *s);
void rb_putn(struct rbuf *o, const char *s, size_t n);
void rb_printf(struct rbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Escapers append s to o. html: & < > " ' as entities, C0 controls other than
 * tab and newline as U+FFFD (also valid XML 1.0). md: only characters that can
 * start markup where they stand are escaped (< always, & before a word, \ ` * | ~
 * always, _ outside words, ![ and ]( style links, and in paragraphs # > - + at the start),
 * newlines
 * become spaces (safe in table cells), so the text stays readable.
 * text: C0 controls and DEL (terminal escapes) as '?', newlines kept if keep_nl. */
void esc_html(struct rbuf *o, const char *s);
void esc_md(struct rbuf *o, const char *s);
void esc_text(struct rbuf *o, const char *s, bool keep_nl);

/* Number formatting into buf (returned): "-" for NAN. num: 4-5 significant digits
 * without exponent for everyday magnitudes; pct: signed percent of a fraction,
 * "+23.0%"; p: "0.0123", "<1e-6". */
const char *fmt_num(char *buf, size_t len, double x);
const char *fmt_pct(char *buf, size_t len, double frac);
const char *fmt_p(char *buf, size_t len, double p);

/* ---- documents (report_doc.c, report_html.c) ---- */
#define DOC_MAXCOL 16

struct doc;
struct doc_ops {
	void (*begin)(struct doc *d, const char *title);
	void (*end)(struct doc *d);
	void (*heading)(struct doc *d, int level, const char *text);
	void (*para)(struct doc *d, const char *text);
	void (*banner)(struct doc *d, const char *text); /* a warning the reader must see */
	void (*pre)(struct doc *d, const char *text);	 /* verbatim block */
	void (*table)(struct doc *d);			 /* renders the buffered table */
	/* A chart: dir/charts/name.svg (inlined by HTML) or charts/name.png (linked). */
	void (*chart)(struct doc *d, const char *name, const char *caption);
};

struct doc_table {
	size_t ncol, nrow;
	const char *head[DOC_MAXCOL];
	unsigned right; /* bit i: column i is numeric, right-aligned */
	char **cell;	/* nrow * ncol copies */
	char **cls;	/* per row: CSS class or NULL (e.g. "v-worse") */
};

struct doc {
	const struct doc_ops *ops;
	struct rbuf *out;
	const char *dir; /* report directory, for charts */
	struct doc_table t;
};
extern const struct doc_ops doc_text_ops, doc_md_ops, doc_html_ops;

void doc_init(struct doc *d, const struct doc_ops *ops, struct rbuf *out, const char *dir);
/* Starts a table; head has ncol (<= DOC_MAXCOL) entries. */
void doc_table(struct doc *d, size_t ncol, const char *const *head, unsigned right);
/* Adds a row of ncol cells (copied; NULL prints as ""), with an optional class. */
void doc_row(struct doc *d, const char *const *cells, const char *cls);
/* Renders the buffered table through the backend and frees it. */
void doc_table_end(struct doc *d);
void doc_paraf(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- comparison output (report_compare.c) ---- */
#define REPORT_BRIEF 1	/* only the verdict table and summary */
#define REPORT_NESTED 2 /* inside a report: headings one level down, no method text */

/* CSS class of a verdict's table row: "v-better", "v-worse", "v-same", "v-unsure". */
extern const char *const verdict_class[V_NVERDICT];

/* Writes a comparison as a document: per pair a verdict table, descriptive
 * statistics, test details and notes, then the summary line. */
void report_cmp_doc(struct doc *d, const struct comparison *c, unsigned flags);
/* The one-paragraph description of the method and its parameters. */
void report_cmp_method(struct rbuf *o, const struct cmp_opts *opts);

typedef int (*report_cmp_fn)(struct rbuf *o, const struct comparison *c, unsigned flags);
/* Writer for "text", "md", "json" or "csv"; NULL for any other name. */
report_cmp_fn report_cmp_format(const char *name);
/* Machine-readable forms (report_export.c): JSON schema pvbench-compare/1 and CSV,
 * one row per pair and metric; flags are ignored. */
int report_cmp_json(struct rbuf *o, const struct comparison *c, unsigned flags);
int report_cmp_csv(struct rbuf *o, const struct comparison *c, unsigned flags);
int report_cmp_tap(struct rbuf *o, const struct comparison *c);
int report_cmp_junit(struct rbuf *o, const struct comparison *c);

/* ---- `pvbench report` (report.c, report_sections.c, report_chart*.c) ---- */
struct report_chart {
	char name[96]; /* file base name under DIR/charts */
	char caption[512];
	int kind;	   /* its family: enum chart_kind in report_chart.c */
	const char *group; /* the family's heading in the report, or NULL (static) */
};

struct report {
	const char *outdir;
	struct pvb_results *runs;
	size_t nruns;
	struct comparison *cmp; /* per run (its variants) then, with 2+ runs, run k vs 1 */
	size_t ncmp;
	size_t first_cross; /* index in cmp of the first run-against-run comparison */
	struct cmp_opts opts;
	struct report_chart *charts;
	size_t ncharts;
	bool emulated;		/* some run was emulated (TCG) */
	const char *argv0_line; /* the `pvbench report` command line (malloc'd, or NULL;
				 * report_free frees it) */
};

/* Loads paths[0..n-1] (n >= 1; run directories or results.json files) into r->runs,
 * labels made unique ("x", "x-2", ...), and compares them with r->opts: each run
 * with at least two variants against its baseline, then, with several runs, each
 * run against the first (pairs marked show_run), one Holm family per kind for the
 * whole report. Set r->opts (lenient for a report), r->outdir and r->argv0_line
 * first. 0; -ENOMEM ("out of memory ..." printed), or results_load's or compare_*'s
 * -errno (printed there). What was loaded stays in r: call report_free either way. */
int report_build(struct report *r, char **paths, int n);
/* Creates r->outdir, then writes the charts (report_charts), DIR/report.html and
 * DIR/report.md, and says so (pvb_info). 0; -errno when the directory or a file
 * cannot be written (printed); -EINVAL when everything was written but nothing
 * could be compared: no OK repetition in any run, or, with several runs, no
 * variant and metric shared with the first (printed: the report shows why). */
int report_write(struct report *r);
/* Frees what report_build and report_write put in r, and r->argv0_line. */
void report_free(struct report *r);

/* How a chart axis shows a unit (report_chart.c): plotted value = recorded value /
 * div (charts.gp sets "ys = <div>" and plots column(N)/ys; the .dat files keep the
 * values as recorded), the axis named by label, ticks printed with the gnuplot
 * format, which never uses exponent notation ("%.12g", fixed decimals below 1e-4,
 * "%.0f" from 1e12). */
struct chart_axis {
	double div;
	char label[64];	 /* "ms", "Mbits/s", or the unit as recorded */
	char format[16]; /* "%.12g", "%.6f", ... */
};
/* The axis for values of unit whose largest |value| is maxabs. Times (ns, us, ms, s)
 * take the unit that fits maxabs: the largest of ns, us, ms, s that it reaches (3e8
 * ns reads 300 ms, 2500 ns 2.5 us, 800 ns stays ns, 0.0004 s reads 400 us); rates and
 * sizes (bits/s, bit/s, B/s, IO/s, B) reaching 10,000 a decimal SI prefix (k, M, G,
 * T: powers of 1000); other units stay (div 1). minpos: the smallest positive value
 * on a log axis, 0 for a linear one (its ticks are then taken to reach down to a
 * tenth of maxabs). A maxabs of 0, NAN or infinity leaves the unit as it is. */
void report_chart_axis(struct chart_axis *a, const char *unit, double maxabs, double minpos);

/* Writes DIR/charts/<name>.{dat,gp,svg,png} for every chart and runs gnuplot (with
 * a timeout). A missing or failing gnuplot is a warning: the report has no charts. */
int report_charts(struct report *r);
/* Sections of the report, in order, through any backend. */
void report_sections(struct doc *d, const struct report *r);
/* Single-run-or-variant label used by charts and tables: "variant" with one run,
 * "run:variant" with several. */
const char *report_var_label(const struct report *r, size_t run, const char *variant, char *buf,
			     size_t len);

#endif
