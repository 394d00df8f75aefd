/* report_doc.c: the output buffer, escapers and number formats shared by every
 * writer, the document core (buffered tables) and its text and Markdown backends
 * (see report.h). The HTML backend is in report_html.c. */
#define _GNU_SOURCE /* vasprintf */
#include "pvbench/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void rb_putn(struct rbuf *o, const char *s, size_t n)
{
	if (!o->err && sb_append(&o->sb, s, n))
		o->err = -ENOMEM;
}

void rb_puts(struct rbuf *o, const char *s)
{
	rb_putn(o, s, strlen(s));
}

void rb_printf(struct rbuf *o, const char *fmt, ...)
{
	char small[512], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small))
		return rb_putn(o, small, n);
	big = malloc(n + 1);
	if (!big) {
		o->err = -ENOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, n + 1, fmt, ap);
	va_end(ap);
	rb_putn(o, big, n);
	free(big);
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void esc_html(struct rbuf *o, const char *s)
{
	static const char *const ent[256] = {
	    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};

	for (; s && *s; s++) {
		unsigned char c = *s;

		if (ent[c])
			rb_puts(o, ent[c]);
		else if (is_ctl(c) && c != '\n' && c != '\t')
			rb_puts(o, "\xef\xbf\xbd"); /* U+FFFD */
		else
			rb_putn(o, s, 1);
	}
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Where a Markdown character can start markup. */
static bool md_always(const char *s, size_t i)
{
	(void)s, (void)i;
	return true;
}

/* Marks rules that apply only where the text starts a line (paragraphs). */
static bool md_at_start(const char *s, size_t i)
{
	(void)s;
	return i == 0;
}

static bool md_entity(const char *s, size_t i) /* "&name;" or "&#..." */
{
	return is_alnum(s[i + 1]) || s[i + 1] == '#';
}

static bool md_not_intraword(const char *s, size_t i) /* intraword _ is not emphasis */
{
	return !(i > 0 && is_alnum(s[i - 1]) && is_alnum(s[i + 1]));
}

static bool md_image(const char *s, size_t i) /* "![" */
{
	return i > 0 && s[i - 1] == '!';
}

static bool md_link(const char *s, size_t i) /* "](", "][", "]:" */
{
	return s[i + 1] == '(' || s[i + 1] == '[' || s[i + 1] == ':';
}

/* Escapes only what can start markup where it stands, so report.md stays readable
 * as plain text in a mail or a commit message. */
static const struct md_rule {
	char c;
	const char *esc;
	bool (*applies)(const char *s, size_t i);
} md_rules[] = {
    {'<', "&lt;", md_always},  {'&', "&amp;", md_entity},      {'\\', "\\\\", md_always},
    {'`', "\\`", md_always},   {'*', "\\*", md_always},	       {'|', "\\|", md_always},
    {'~', "\\~", md_always},   {'_', "\\_", md_not_intraword}, {'[', "\\[", md_image},
    {']', "\\]", md_link},     {'#', "\\#", md_at_start},      {'>', "\\>", md_at_start},
    {'-', "\\-", md_at_start}, {'+', "\\+", md_at_start}, /* heading, quote, list */
};

static const char *md_escape_at(const char *s, size_t i, bool line_start)
{
	for (size_t k = 0; k < ARRAY_SIZE(md_rules); k++) {
		const struct md_rule *r = &md_rules[k];

		if (r->c != s[i])
			continue;
		if (r->applies == md_at_start && !line_start)
			return NULL;
		return r->applies(s, i) ? r->esc : NULL;
	}
	return NULL;
}

static void esc_md_at(struct rbuf *o, const char *s, bool line_start)
{
	for (size_t i = 0; s && s[i]; i++) {
		const char *e = md_escape_at(s, i, line_start);
		unsigned char c = s[i];

		if (e)
			rb_puts(o, e);
		else if (is_ctl(c))
			rb_puts(o, c == '\n' || c == '\t' ? " " : "?");
		else
			rb_putn(o, s + i, 1);
	}
}

void esc_md(struct rbuf *o, const char *s)
{
	esc_md_at(o, s, false);
}

void esc_text(struct rbuf *o, const char *s, bool keep_nl)
{
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '\n' && keep_nl)
			rb_putn(o, s, 1);
		else
			rb_putn(o, is_ctl(c) && c != '\t' ? "?" : s, 1);
	}
}

const char *fmt_num(char *buf, size_t len, double x)
{
	double a = fabs(x);

	if (!isfinite(x))
		snprintf(buf, len, "-");
	else if (a >= 1e12 || (a < 1e-3 && a > 0))
		snprintf(buf, len, "%.4g", x);
	else if (a >= 1e5)
		snprintf(buf, len, "%.0f", x);
	else if (a >= 1e3)
		snprintf(buf, len, "%.5g", x);
	else
		snprintf(buf, len, "%.4g", x);
	return buf;
}

const char *fmt_pct(char *buf, size_t len, double frac)
{
	double v = frac * 100;

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fabs(v) < 0.1 ? "%+.2f%%" : "%+.1f%%", v);
	return buf;
}

const char *fmt_p(char *buf, size_t len, double p)
{
	if (!isfinite(p))
		snprintf(buf, len, "-");
	else if (p < 1e-6)
		snprintf(buf, len, "<1e-6");
	else if (p < 1e-3)
		snprintf(buf, len, "%.1e", p);
	else
		snprintf(buf, len, "%.3g", p);
	return buf;
}

/* ---- document core ---- */

void doc_init(struct doc *d, const struct doc_ops *ops, struct rbuf *out, const char *dir)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->out = out;
	d->dir = dir;
}

void doc_table(struct doc *d, size_t ncol, const char *const *head, unsigned right)
{
	doc_table_end(d);
	d->t.ncol = ncol > DOC_MAXCOL ? DOC_MAXCOL : ncol;
	for (size_t i = 0; i < d->t.ncol; i++)
		d->t.head[i] = head[i];
	d->t.right = right;
}

void doc_row(struct doc *d, const char *const *cells, const char *cls)
{
	struct doc_table *t = &d->t;
	char **cell = realloc(t->cell, (t->nrow + 1) * t->ncol * sizeof(*cell));
	char **c2;

	if (!cell) {
		d->out->err = -ENOMEM;
		return;
	}
	t->cell = cell;
	c2 = realloc(t->cls, (t->nrow + 1) * sizeof(*c2));
	if (!c2) {
		d->out->err = -ENOMEM;
		return;
	}
	t->cls = c2;
	for (size_t i = 0; i < t->ncol; i++) {
		cell[t->nrow * t->ncol + i] = strdup(cells[i] ? cells[i] : "");
		if (!cell[t->nrow * t->ncol + i])
			d->out->err = -ENOMEM;
	}
	t->cls[t->nrow++] = cls ? strdup(cls) : NULL;
}

void doc_table_end(struct doc *d)
{
	struct doc_table *t = &d->t;

	if (!t->ncol)
		return;
	if (!d->out->err)
		d->ops->table(d);
	for (size_t i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	for (size_t i = 0; i < t->nrow; i++)
		free(t->cls[i]);
	free(t->cell);
	free(t->cls);
	memset(t, 0, sizeof(*t));
}

void doc_paraf(struct doc *d, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		d->out->err = -ENOMEM;
		return;
	}
	d->ops->para(d, s);
	free(s);
}

static const char *cell_at(const struct doc_table *t, size_t row, size_t col)
{
	return row == 0 ? t->head[col] : t->cell[(row - 1) * t->ncol + col];
}

/* Display width of UTF-8 text: code points. */
static size_t width_of(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(struct rbuf *o, size_t n)
{
	while (n--)
		rb_putn(o, " ", 1);
}

/* ---- text backend: aligned columns for terminals and logs ---- */

static void text_begin(struct doc *d, const char *title)
{
	esc_text(d->out, title, false);
	rb_puts(d->out, "\n\n");
}

static void text_end(struct doc *d)
{
	(void)d;
}

static void text_heading(struct doc *d, int level, const char *text)
{
	rb_puts(d->out, level <= 2 ? "== " : "-- ");
	esc_text(d->out, text, false);
	rb_puts(d->out, "\n");
}

static void text_para(struct doc *d, const char *text)
{
	esc_text(d->out, text, true);
	rb_puts(d->out, "\n\n");
}

static void text_banner(struct doc *d, const char *text)
{
	rb_puts(d->out, "NOTE: ");
	text_para(d, text);
}

static void text_pre(struct doc *d, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n);

		rb_puts(d->out, "    ");
		esc_text(d->out, line ? line : "", false);
		rb_puts(d->out, "\n");
		free(line);
		p += n + (nl != NULL);
	}
	rb_puts(d->out, "\n");
}

static void text_table(struct doc *d)
{
	const struct doc_table *t = &d->t;
	size_t w[DOC_MAXCOL] = {0};

	for (size_t r = 0; r <= t->nrow; r++)
		for (size_t c = 0; c < t->ncol; c++)
			if (width_of(cell_at(t, r, c)) > w[c])
				w[c] = width_of(cell_at(t, r, c));
	for (size_t r = 0; r <= t->nrow; r++) {
		for (size_t c = 0; c < t->ncol; c++) {
			const char *s = cell_at(t, r, c);
			size_t gap = w[c] - width_of(s);
			bool right = t->right & (1u << c), last = c + 1 == t->ncol;

			if (right)
				pad(d->out, gap);
			esc_text(d->out, s, false);
			if (!right && !last)
				pad(d->out, gap);
			rb_puts(d->out, last ? "\n" : "  ");
		}
	}
	rb_puts(d->out, "\n");
}

static void text_chart(struct doc *d, const char *name, const char *caption)
{
	rb_printf(d->out, "[chart %s: charts/", caption);
	esc_text(d->out, name, false);
	rb_puts(d->out, ".png]\n\n");
}

const struct doc_ops doc_text_ops = {
    .begin = text_begin,
    .end = text_end,
    .heading = text_heading,
    .para = text_para,
    .banner = text_banner,
    .pre = text_pre,
    .table = text_table,
    .chart = text_chart,
};

/* ---- Markdown backend: GitHub/CommonMark, readable as plain text ---- */

static void md_begin(struct doc *d, const char *title)
{
	rb_puts(d->out, "# ");
	esc_md(d->out, title);
	rb_puts(d->out, "\n\n");
}

static void md_heading(struct doc *d, int level, const char *text)
{
	for (int i = 0; i < level && i < 6; i++)
		rb_puts(d->out, "#");
	rb_puts(d->out, " ");
	esc_md(d->out, text);
	rb_puts(d->out, "\n\n");
}

static void md_para(struct doc *d, const char *text)
{
	esc_md_at(d->out, text, true);
	rb_puts(d->out, "\n\n");
}

static void md_banner(struct doc *d, const char *text)
{
	rb_puts(d->out, "> **Note:** ");
	md_para(d, text);
}

/* Fenced block with a fence longer than any backtick run inside. */
static void md_pre(struct doc *d, const char *text)
{
	size_t run = 0, longest = 0;

	for (const char *p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		rb_puts(d->out, "`");
	rb_puts(d->out, "text\n");
	esc_text(d->out, text, true);
	if (*text && text[strlen(text) - 1] != '\n')
		rb_puts(d->out, "\n");
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		rb_puts(d->out, "`");
	rb_puts(d->out, "\n\n");
}

static void md_table(struct doc *d)
{
	const struct doc_table *t = &d->t;

	for (size_t r = 0; r <= t->nrow; r++) {
		rb_puts(d->out, "|");
		for (size_t c = 0; c < t->ncol; c++) {
			rb_puts(d->out, " ");
			esc_md(d->out, cell_at(t, r, c));
			rb_puts(d->out, " |");
		}
		rb_puts(d->out, "\n");
		if (r)
			continue;
		rb_puts(d->out, "|");
		for (size_t c = 0; c < t->ncol; c++)
			rb_puts(d->out, t->right & (1u << c) ? "---:|" : "---|");
		rb_puts(d->out, "\n");
	}
	rb_puts(d->out, "\n");
}

static void md_chart(struct doc *d, const char *name, const char *caption)
{
	rb_puts(d->out, "![");
	esc_md(d->out, caption);
	rb_puts(d->out, "](charts/");
	esc_md(d->out, name);
	rb_puts(d->out, ".png)\n\n");
}

const struct doc_ops doc_md_ops = {
    .begin = md_begin,
    .end = text_end,
    .heading = md_heading,
    .para = md_para,
    .banner = md_banner,
    .pre = md_pre,
    .table = md_table,
    .chart = md_chart,
};
