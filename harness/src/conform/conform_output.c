/* conform_output.c: the result list of `pvbench conform` and its three writers: TAP
 * 13 (the default), JSON (schema "pvbench-conform/1") and a one-screen summary. The
 * checks themselves are in conform_rules.c, conform_states.c and conform_leaks.c. */
#include "conform_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void copy_field(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

int conform_add(struct conform_results *r, const char *name, const char *subject,
		enum conform_level level, enum conform_outcome result, const char *source,
		const char *expected, const char *actual, const char *detail_fmt, ...)
{
	struct conform_result *c;
	va_list ap;

	if (!(c = grow_one(r->v, r->n, &r->cap, sizeof(*c), 32))) {
		r->oom = true;
		return -ENOMEM;
	}
	r->v = c;
	c = &r->v[r->n++];
	memset(c, 0, sizeof(*c));
	copy_field(c->name, sizeof(c->name), name);
	copy_field(c->subject, sizeof(c->subject), subject);
	c->level = level;
	c->result = result;
	copy_field(c->source, sizeof(c->source), source);
	copy_field(c->expected, sizeof(c->expected), expected);
	copy_field(c->actual, sizeof(c->actual), actual);
	if (detail_fmt) {
		va_start(ap, detail_fmt);
		vsnprintf(c->detail, sizeof(c->detail), detail_fmt, ap);
		va_end(ap);
	}
	return 0;
}

void conform_results_free(struct conform_results *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

struct conform_counts conform_count(const struct conform_results *r)
{
	struct conform_counts c = {0};

	for (size_t i = 0; i < r->n; i++) {
		const struct conform_result *x = &r->v[i];

		if (x->result == CONF_SKIP)
			c.skip++;
		else if (x->level == CONF_MUST)
			(*(x->result == CONF_PASS ? &c.must_pass : &c.must_fail))++;
		else
			(*(x->result == CONF_PASS ? &c.should_pass : &c.should_fail))++;
	}
	return c;
}

bool conform_exit_ok(const struct conform_results *r)
{
	return !r->oom && conform_count(r).must_fail == 0;
}

/* ---- TAP 13 ---- */

/* Text for the test line: '#' would start a directive, a newline a new line. */
static void tap_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' ? '_' : (*s == '\n' || *s == '\r') ? ' ' : *s, f);
}

/* A YAML double-quoted scalar. */
static void yaml_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void tap_yaml(FILE *f, const struct conform_result *x)
{
	static const char *const keys[] = {"source", "expected", "actual", "detail"};
	const char *vals[] = {x->source, x->expected, x->actual, x->detail};

	fprintf(f, "  ---\n  level: %s\n", x->level == CONF_MUST ? "MUST" : "SHOULD");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		fprintf(f, "  %s: ", keys[i]);
		yaml_str(f, vals[i]);
		fputc('\n', f);
	}
	fputs("  ...\n", f);
}

void conform_emit_tap(const struct conform_results *r, FILE *f)
{
	fprintf(f, "TAP version 13\n1..%zu\n", r->n);
	for (size_t i = 0; i < r->n; i++) {
		const struct conform_result *x = &r->v[i];
		bool failed = x->result == CONF_FAIL;

		fprintf(f, "%s %zu - ", failed ? "not ok" : "ok", i + 1);
		tap_text(f, x->name);
		if (x->subject[0]) {
			fputs(" (", f);
			tap_text(f, x->subject);
			fputc(')', f);
		}
		if (x->result == CONF_SKIP || (failed && x->level == CONF_SHOULD)) {
			bool skip = x->result == CONF_SKIP;

			fputs(skip ? " # SKIP " : " # TODO should: ", f);
			tap_text(f, skip || !x->actual[0] ? x->detail : x->actual);
			fprintf(f, " (%s)\n", x->source);
		} else {
			fprintf(f, " # %s\n", x->source);
		}
		if (failed)
			tap_yaml(f, x);
	}
}

/* ---- JSON ---- */

static const char *const outcome_names[] = {"pass", "fail", "skip"};

static json_t *check_json(const struct conform_result *x)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", x->name, "subject",
			 x->subject, "level", x->level == CONF_MUST ? "MUST" : "SHOULD", "result",
			 outcome_names[x->result], "source", x->source, "expected", x->expected,
			 "actual", x->actual, "detail", x->detail);
}

json_t *conform_to_json(const struct conform_results *r)
{
	struct conform_counts c = conform_count(r);
	json_t *checks = json_array(), *root;

	if (!checks)
		return NULL;
	for (size_t i = 0; i < r->n; i++) {
		if (json_array_append_new(checks, check_json(&r->v[i]))) {
			json_decref(checks);
			return NULL;
		}
	}
	root = json_pack("{s:s, s:b, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "schema", CONFORM_SCHEMA,
			 "ok", conform_exit_ok(r), "checks", checks, "summary", "must_pass",
			 (json_int_t)c.must_pass, "must_fail", (json_int_t)c.must_fail,
			 "should_pass", (json_int_t)c.should_pass, "should_fail",
			 (json_int_t)c.should_fail, "skip", (json_int_t)c.skip);
	return root; /* "o" steals checks, also on failure */
}

/* ---- summary ---- */

#define SUMMARY_ROWS 20

void conform_summary(const struct conform_results *r, FILE *f)
{
	struct conform_counts c = conform_count(r);
	size_t shown = 0, bad = c.must_fail + c.should_fail;

	fprintf(f,
		"conformance: %zu checks: MUST %zu passed, %zu failed; SHOULD %zu passed, "
		"%zu warned; %zu skipped\n",
		r->n, c.must_pass, c.must_fail, c.should_pass, c.should_fail, c.skip);
	if (bad)
		fprintf(f, "%-5s %-6s %-40s %-18s %s\n", "", "level", "check", "source",
			"expected / actual");
	for (size_t i = 0; i < r->n && shown < SUMMARY_ROWS; i++) {
		const struct conform_result *x = &r->v[i];
		char name[160];

		if (x->result != CONF_FAIL)
			continue;
		snprintf(name, sizeof(name), "%s (%s)", x->name, x->subject);
		fprintf(f, "%-5s %-6s %-40s %-18s %s / %s\n",
			x->level == CONF_MUST ? "FAIL" : "WARN",
			x->level == CONF_MUST ? "MUST" : "SHOULD", name, x->source, x->expected,
			x->actual);
		shown++;
	}
	if (bad > shown)
		fprintf(f, "... and %zu more\n", bad - shown);
	if (r->oom)
		fputs("error: results lost: out of memory\n", f);
	fprintf(f, "result: %s\n", conform_exit_ok(r) ? "PASS" : "FAIL");
}
