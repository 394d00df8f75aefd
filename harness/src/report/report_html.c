/* report_html.c: the HTML backend of the report documents (see report.h): one
 * self-contained file that phones can read. Charts are gnuplot SVGs inlined as
 * data: URIs inside <img>, so they load nothing, run nothing, and their ids cannot
 * collide; a Content-Security-Policy forbids every network fetch and script. All
 * text goes through esc_html. */
#include "pvbench/report.h"

#include <stdlib.h>
#include <string.h>

static const char html_style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "color:#1b1b1b;background:#fff}"
    "main{max-width:72rem;margin:0 auto;padding:0.75rem}"
    "h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;"
    "margin-top:2rem}h3{font-size:1.05rem}h4{font-size:0.95rem}"
    ".tw{overflow-x:auto;margin:0.5rem 0 1rem}"
    "table{border-collapse:collapse;font-size:0.85rem;white-space:nowrap}"
    "th,td{border:1px solid #d0d0d0;padding:0.2rem 0.45rem;text-align:left}"
    "th{background:#f2f2f2}td.r{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.v-better td{background:#e3f5e3}"
    "tr.v-worse td{background:#fbe0e0;font-weight:600}"
    "tr.v-same td{background:#f0f2f5}"
    "tr.v-unsure td{background:#fdf6e0}"
    ".banner{background:#fff3cd;border:2px solid #e0a800;padding:0.6rem 0.8rem;"
    "margin:0.75rem 0;font-weight:600}"
    "pre{background:#f6f6f6;border:1px solid #ddd;padding:0.5rem;overflow-x:auto;"
    "font-size:0.8rem;white-space:pre}"
    "figure{margin:0.75rem 0}img{max-width:100%;height:auto;border:1px solid #eee}"
    "figcaption{font-size:0.85rem;color:#444}"
    "@media (max-width:600px){body{font-size:14px}main{padding:0.4rem}"
    "table{font-size:0.78rem}}";

static void html_begin(struct doc *d, const char *title)
{
	rb_puts(d->out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
			"'none'; img-src data:; style-src 'unsafe-inline'\">\n<title>");
	esc_html(d->out, title);
	rb_printf(d->out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", html_style);
	esc_html(d->out, title);
	rb_puts(d->out, "</h1>\n");
}

static void html_end(struct doc *d)
{
	rb_puts(d->out, "</main>\n</body>\n</html>\n");
}

static void html_heading(struct doc *d, int level, const char *text)
{
	level = level < 2 ? 2 : level > 6 ? 6 : level;
	rb_printf(d->out, "<h%d>", level);
	esc_html(d->out, text);
	rb_printf(d->out, "</h%d>\n", level);
}

static void html_para(struct doc *d, const char *text)
{
	rb_puts(d->out, "<p>");
	esc_html(d->out, text);
	rb_puts(d->out, "</p>\n");
}

static void html_banner(struct doc *d, const char *text)
{
	rb_puts(d->out, "<div class=\"banner\" role=\"note\">");
	esc_html(d->out, text);
	rb_puts(d->out, "</div>\n");
}

static void html_pre(struct doc *d, const char *text)
{
	rb_puts(d->out, "<pre>");
	esc_html(d->out, text);
	rb_puts(d->out, "</pre>\n");
}

static void html_table(struct doc *d)
{
	const struct doc_table *t = &d->t;

	rb_puts(d->out, "<div class=\"tw\"><table>\n<thead><tr>");
	for (size_t c = 0; c < t->ncol; c++) {
		rb_puts(d->out, "<th>");
		esc_html(d->out, t->head[c]);
		rb_puts(d->out, "</th>");
	}
	rb_puts(d->out, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrow; r++) {
		rb_puts(d->out, "<tr");
		if (t->cls[r]) {
			rb_puts(d->out, " class=\"");
			esc_html(d->out, t->cls[r]);
			rb_puts(d->out, "\"");
		}
		rb_puts(d->out, ">");
		for (size_t c = 0; c < t->ncol; c++) {
			rb_puts(d->out, t->right & (1u << c) ? "<td class=\"r\">" : "<td>");
			esc_html(d->out, t->cell[r * t->ncol + c]);
			rb_puts(d->out, "</td>");
		}
		rb_puts(d->out, "</tr>\n");
	}
	rb_puts(d->out, "</tbody></table></div>\n");
}

static void base64(struct rbuf *o, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	for (size_t i = 0; i < n; i += 3) {
		unsigned v =
		    p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);

		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		rb_putn(o, q, 4);
	}
}

static void html_chart(struct doc *d, const char *name, const char *caption)
{
	char path[4096];
	size_t len;
	char *svg;

	snprintf(path, sizeof(path), "%s/charts/%s.svg", d->dir ? d->dir : ".", name);
	svg = read_file(path, &len);
	rb_puts(d->out, "<figure>");
	if (svg && len) {
		rb_puts(d->out, "<img alt=\"");
		esc_html(d->out, caption);
		rb_puts(d->out, "\" src=\"data:image/svg+xml;base64,");
		base64(d->out, (const unsigned char *)svg, len);
		rb_puts(d->out, "\">");
	} else {
		rb_puts(d->out, "<p>(chart not rendered: see charts/gnuplot.log)</p>");
	}
	rb_puts(d->out, "<figcaption>");
	esc_html(d->out, caption);
	rb_puts(d->out, "</figcaption></figure>\n");
	free(svg);
}

const struct doc_ops doc_html_ops = {
    .begin = html_begin,
    .end = html_end,
    .heading = html_heading,
    .para = html_para,
    .banner = html_banner,
    .pre = html_pre,
    .table = html_table,
    .chart = html_chart,
};
