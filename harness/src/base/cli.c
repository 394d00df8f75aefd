/* cli.c: one option table per command (cli.h): getopt_long's arguments, parsing into
 * the command's argument struct, --help and README's Markdown, all from the table. */
#include "pvbench/cli.h"
#include "pvbench/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 79    /* the longest line of --help */
#define LEFT_MAX 22 /* a longer option column has its text two spaces after it */
#define NBSP '\x1f'  /* a space that wrap() does not break at */

static bool shown(const struct cli_opt *o)
{
	return !o->hidden;
}

const char *cli_opt_name(const struct cli_opt *o, char *buf, size_t len)
{
	if (o->name)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "-%c", o->key);
	return buf;
}

static const char *full_name(const struct cli_cmd *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", CLI_PROG, c->name ? " " : "", c->name ? c->name : "");
	return buf;
}

/* The row whose getopt val is val, or NULL. */
static const struct cli_opt *row_of(const struct cli_cmd *c, int val)
{
	if (val >= 256 && (size_t)(val - 256) < c->nopts)
		return &c->opts[val - 256];
	for (size_t i = 0; val > 0 && i < c->nopts; i++)
		if (c->opts[i].key == val)
			return &c->opts[i];
	return NULL;
}

void cli_getopt(const struct cli_cmd *c, struct option *lo, char *optstring)
{
	size_t n = 0;

	if (c->ncmds)
		*optstring++ = '+'; /* the program: options end at the command */
	*optstring++ = ':';	    /* a missing argument returns ':', not '?' */
	for (size_t i = 0; i < c->nopts; i++) {
		const struct cli_opt *o = &c->opts[i];

		if (o->key) {
			*optstring++ = o->key;
			if (o->arg)
				*optstring++ = ':';
		}
		if (o->name)
			lo[n++] = (struct option){ o->name,
						   o->arg ? required_argument : no_argument, NULL,
						   o->key ? o->key : 256 + (int)i };
	}
	*optstring = '\0';
	lo[n] = (struct option){ 0 };
}

/* ---- values ---- */

int cli_long(const struct cli_opt *o, const char *value, long *out)
{
	char nb[64];

	if (!parse_long(value, (long)o->min, (long)o->max, out))
		return 0;
	pvb_err("%s: '%s' is not an integer in [%.0f, %.0f]", cli_opt_name(o, nb, sizeof(nb)),
		value, o->min, o->max);
	return -EINVAL;
}

int cli_choice(const struct cli_opt *o, const char *value)
{
	char nb[64], list[256] = "";
	size_t len = strlen(value);

	for (const char *w = o->arg; *w;) {
		size_t n = strcspn(w, "|");

		if (n == len && !strncmp(w, value, n))
			return 0;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%.*s",
			 w == o->arg ? "" : ", ", (int)n, w);
		w += n + (w[n] == '|');
	}
	pvb_err("%s: '%s' is not one of %s", cli_opt_name(o, nb, sizeof(nb)), value, list);
	return -EINVAL;
}

static int store(const struct cli_opt *o, void *dest, const char *v)
{
	char nb[64];
	double d;
	long l;

	switch (o->kind) {
	case CLI_FLAG:
	case CLI_CLEAR:
		*(bool *)dest = o->kind == CLI_FLAG;
		return 0;
	case CLI_CHOICE:
		if (cli_choice(o, v))
			return -EINVAL;
		/* fall through */
	case CLI_STR:
		*(const char **)dest = v;
		return 0;
	case CLI_INT:
	case CLI_LONG:
	case CLI_ULONG:
		if (cli_long(o, v, &l))
			return -EINVAL;
		if (o->kind == CLI_INT)
			*(int *)dest = (int)l;
		else if (o->kind == CLI_LONG)
			*(long *)dest = l;
		else
			*(unsigned long *)dest = (unsigned long)l;
		return 0;
	case CLI_DOUBLE:
	case CLI_PERCENT:
		if (parse_double(v, o->min, o->max, &d)) {
			pvb_err("%s: '%s' is not a number in [%g, %g]",
				cli_opt_name(o, nb, sizeof(nb)), v, o->min, o->max);
			return -EINVAL;
		}
		*(double *)dest = o->kind == CLI_PERCENT ? d / 100 : d;
		return 0;
	case CLI_FN:
		return o->fn(dest, v, o);
	case CLI_HELP:
		return 0;
	}
	return -EINVAL;
}

/* ---- parsing ---- */

/* How many long names start with what arg ("--x" or "--x=v") names. */
static int prefix_matches(const struct cli_cmd *c, const char *arg)
{
	size_t len = strcspn(arg + 2, "=");
	int n = 0;

	for (size_t i = 0; i < c->nopts; i++)
		n += c->opts[i].name && !strncmp(c->opts[i].name, arg + 2, len);
	return n;
}

/* getopt_long returned '?' for arg: an unknown or ambiguous option, or a value given
 * to one that takes none (then optopt is its val). */
static int bad_option(const struct cli_cmd *c, const char *arg, int opt)
{
	const struct cli_opt *o = row_of(c, opt);
	char nb[64], full[64];

	full_name(c, full, sizeof(full));
	if (o) {
		pvb_err("option %s takes no value", cli_opt_name(o, nb, sizeof(nb)));
	} else if (opt) {
		pvb_err("unknown option '-%c' (see '%s --help')", opt, full);
	} else if (!strncmp(arg, "--", 2) && prefix_matches(c, arg) > 1) {
		pvb_err("ambiguous option '%s' (see '%s --help')", arg, full);
	} else {
		pvb_err("unknown option '%s' (see '%s --help')", arg, full);
	}
	return -EINVAL;
}

static int missing_value(const struct cli_cmd *c, int opt)
{
	const struct cli_opt *o = row_of(c, opt);
	char nb[64];

	if (o)
		pvb_err("option %s needs a value (%s)", cli_opt_name(o, nb, sizeof(nb)), o->arg);
	else
		pvb_err("option '-%c' needs a value", opt);
	return -EINVAL;
}

int cli_parse(const struct cli_cmd *c, int argc, char **argv, void *args, char **pos,
	      size_t maxpos)
{
	struct option *lo = calloc(c->nopts + 1, sizeof(*lo));
	char *optstring = malloc(2 * c->nopts + 3);
	char **av = calloc((size_t)argc + 1, sizeof(*av)); /* getopt_long permutes it */
	bool help = false;
	int ch, rc = 0, n = 0;

	if (!lo || !optstring || !av) {
		pvb_err("out of memory parsing the command line");
		rc = -ENOMEM;
		goto out;
	}
	memcpy(av, argv, (size_t)argc * sizeof(*av));
	cli_getopt(c, lo, optstring);
	optind = 0; /* a fresh scan, also of a new optstring */
	opterr = 0; /* the errors are ours */
	while (!rc && (ch = getopt_long(argc, av, optstring, lo, NULL)) != -1) {
		const struct cli_opt *o = row_of(c, ch);

		if (ch == '?')
			rc = bad_option(c, av[optind - 1], optopt);
		else if (ch == ':')
			rc = missing_value(c, optopt);
		else if (!o)
			rc = -EINVAL;
		else if (o->kind == CLI_HELP)
			help = true;
		else
			rc = store(o, (char *)args + o->off, optarg);
	}
	if (!rc && !maxpos && optind < argc) {
		pvb_err("unexpected argument '%s'", av[optind]);
		rc = -EINVAL;
	}
	for (int i = optind; !rc && i < argc; i++, n++)
		if ((size_t)n < maxpos)
			pos[n] = av[i];
	if (!rc && help) {
		cli_help(stdout, c);
		rc = CLI_HELP_SHOWN;
	}
out:
	free(lo);
	free(optstring);
	free(av);
	return rc ? rc : n;
}

/* ---- --help ---- */

/* Prints n bytes of w at *col, on a new line at column indent if it would pass WIDTH
 * (unless first: the first word stays where the cursor is). */
static void put_word(FILE *f, const char *w, int n, int *col, int indent, bool *first)
{
	if (!*first && *col + 1 + n > WIDTH) {
		fprintf(f, "\n%*s", indent, "");
		*col = indent;
	} else if (!*first) {
		fputc(' ', f);
		(*col)++;
	}
	for (int i = 0; i < n; i++)
		fputc(w[i] == NBSP ? ' ' : w[i], f);
	*col += n;
	*first = false;
}

/* Prints the words of text from column col, wrapped to column indent. */
static void wrap(FILE *f, const char *text, int col, int indent)
{
	bool first = true;

	for (text += strspn(text, " "); *text; text += strspn(text, " ")) {
		int n = (int)strcspn(text, " ");

		put_word(f, text, n, &col, indent, &first);
		text += n;
	}
}

/* "[--name ARG]", "[-k]": an option in a generated synopsis. */
static int synopsis_item(const struct cli_opt *o, char *buf, size_t len)
{
	char nb[64];

	return snprintf(buf, len, "[%s%s%s]", cli_opt_name(o, nb, sizeof(nb)), o->arg ? " " : "",
			o->arg ? o->arg : "");
}

static bool in_synopsis(const struct cli_opt *o)
{
	return shown(o) && o->kind != CLI_HELP;
}

static void usage_lines(FILE *f, const struct cli_cmd *c)
{
	char full[64], item[128];
	const char *u = c->usage, *lead = "usage: ";
	int col, indent;
	bool first = true;

	full_name(c, full, sizeof(full));
	for (; u && *u; lead = "       ") {
		size_t n = strcspn(u, "\n");

		fprintf(f, "%s%s %.*s\n", lead, full, (int)n, u);
		u += n + (u[n] == '\n');
	}
	if (u)
		return;
	col = fprintf(f, "usage: %s ", full);
	indent = col;
	for (size_t i = 0; i < c->nopts; i++)
		if (in_synopsis(&c->opts[i]))
			put_word(f, item, synopsis_item(&c->opts[i], item, sizeof(item)), &col,
				 indent, &first);
	fputc('\n', f);
}

static bool has_short(const struct cli_cmd *c)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (shown(&c->opts[i]) && c->opts[i].key)
			return true;
	return false;
}

/* "-o, --output DIR", "    --reps N|auto" (with shorts: the column of short names),
 * "-o DIR", "--force". */
static int opt_left(const struct cli_opt *o, bool shorts, char *buf, size_t len)
{
	char k[8] = "";

	if (o->key)
		snprintf(k, sizeof(k), "-%c%s", o->key, o->name ? ", " : "");
	else if (shorts)
		snprintf(k, sizeof(k), "    ");
	return snprintf(buf, len, "%s%s%s%s%s", k, o->name ? "--" : "", o->name ? o->name : "",
			o->arg ? " " : "", o->arg ? o->arg : "");
}

/* The help text of o with its default: "bootstrap seed (default 1)", "repetitions
 * per variant (default: the scenario's)" (a default of several words). */
static const char *opt_text(const struct cli_opt *o, char *buf, size_t len)
{
	const char *d = o->def;
	size_t n = (size_t)snprintf(buf, len, "%s%s", o->help ? o->help : "",
				    !d ? "" : strchr(d, ' ') ? " (default:" : " (default");

	if (d && n + 1 < len) /* "(default X" stays on one line */
		snprintf(buf + n, len - n, "%c%s)", NBSP, d);
	return buf;
}

static void options(FILE *f, const struct cli_cmd *c)
{
	bool shorts = has_short(c);
	char left[128], text[1024];
	int col = 0;

	for (size_t i = 0; i < c->nopts; i++) {
		int n = opt_left(&c->opts[i], shorts, left, sizeof(left));

		if (shown(&c->opts[i]) && n <= LEFT_MAX && n + 4 > col)
			col = n + 4; /* two spaces before, two after */
	}
	for (size_t i = 0; i < c->nopts; i++) {
		const struct cli_opt *o = &c->opts[i];
		int n = opt_left(o, shorts, left, sizeof(left)) + 2;

		if (!shown(o))
			continue;
		fprintf(f, "  %s", left);
		n += fprintf(f, "%*s", n + 2 > col ? 2 : col - n, "");
		wrap(f, opt_text(o, text, sizeof(text)), n, col);
		fputc('\n', f);
	}
}

void cli_help(FILE *f, const struct cli_cmd *c)
{
	usage_lines(f, c);
	if (c->about)
		fprintf(f, "\n%s\n", c->about);
	if (c->ncmds) {
		int w = 0;

		for (size_t i = 0; i < c->ncmds; i++)
			if ((int)strlen(c->cmds[i]->name) > w)
				w = (int)strlen(c->cmds[i]->name);
		fprintf(f, "\ncommands:\n");
		for (size_t i = 0; i < c->ncmds; i++)
			fprintf(f, "  %-*s %s\n", w + 2, c->cmds[i]->name, c->cmds[i]->summary);
	}
	fprintf(f, "\noptions:\n");
	options(f, c);
	if (c->epilog)
		fprintf(f, "\n%s\n", c->epilog);
}

/* ---- README.md ---- */

/* s in a Markdown code span inside a table: '|' would end the cell. */
static void md_code(FILE *f, const char *s, size_t n)
{
	fputc('`', f);
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '|')
			fputc('\\', f);
		fputc(s[i], f);
	}
	fputc('`', f);
}

/* s as text in a table cell: what could end the cell, start markup or a tag is
 * escaped; '_' only at the edge of a word (dom0_mem stays as it is). */
static void md_text(FILE *f, const char *s)
{
	for (const char *p = s; *p; p++) {
		bool word_edge = p == s || !isalnum((unsigned char)p[-1]) ||
				 !isalnum((unsigned char)p[1]);

		if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (strchr("|*`\\", *p) || (*p == '_' && word_edge))
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	}
}

static void md_synopsis(FILE *f, const struct cli_cmd *c)
{
	char full[64], item[128];
	struct sbuf sb = { 0 };

	full_name(c, full, sizeof(full));
	if (!c->usage) {
		sb_puts(&sb, full);
		for (size_t i = 0; i < c->nopts; i++)
			if (in_synopsis(&c->opts[i])) {
				synopsis_item(&c->opts[i], item, sizeof(item));
				sb_printf(&sb, " %s", item);
			}
		md_code(f, sb.buf ? sb.buf : "", sb.len);
		sb_free(&sb);
		return;
	}
	for (const char *u = c->usage; *u;) {
		size_t n = strcspn(u, "\n");

		sb_reset(&sb);
		sb_printf(&sb, "%s %.*s", full, (int)n, u);
		if (u != c->usage)
			fputs("<br>", f);
		md_code(f, sb.buf ? sb.buf : "", sb.len);
		u += n + (u[n] == '\n');
	}
	sb_free(&sb);
}

static void md_options(FILE *f, const struct cli_cmd *c, const char *where)
{
	char full[64], left[128];

	fprintf(f, "\n**`%s` options**%s\n\n| option | default | meaning |\n|---|---|---|\n",
		full_name(c, full, sizeof(full)), where);
	for (size_t i = 0; i < c->nopts; i++) {
		const struct cli_opt *o = &c->opts[i];

		if (!in_synopsis(o))
			continue;
		fputs("| ", f);
		md_code(f, left, (size_t)opt_left(o, false, left, sizeof(left)));
		fputs(" | ", f);
		if (o->def && strchr(o->def, ' ')) /* a phrase */
			md_text(f, o->def);
		else if (o->def)
			md_code(f, o->def, strlen(o->def));
		fputs(" | ", f);
		md_text(f, o->help ? o->help : "");
		fputs(" |\n", f);
	}
}

void cli_markdown(FILE *f, const struct cli_cmd *prog)
{
	fprintf(f, "| command | does |\n|---|---|\n");
	for (size_t i = 0; i < prog->ncmds; i++) {
		fputs("| ", f);
		md_synopsis(f, prog->cmds[i]);
		fputs(" | ", f);
		md_text(f, prog->cmds[i]->summary);
		fputs(" |\n", f);
	}
	md_options(f, prog, " (before the command)");
	for (size_t i = 0; i < prog->ncmds; i++)
		md_options(f, prog->cmds[i], "");
}
