/* scenario.c: loading scenario files: an INI reader on top of libinih that keeps
 * file and line for every section and key, applying each line through the checks
 * (scenario_check.c, scenario_keys.c) into struct scenario, the rules across keys,
 * and the resolved values seen from each variant. */
#include "pvbench/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 2048 /* key = value lines per file */

/* ---- loading ---- */

struct section {
	char *name; /* "workload", "variant 1q" */
	int line;
	bool fixed; /* [scenario], [machine], [guest] or [workload] */
	size_t variant;
};

struct entry {
	size_t sect;
	char *key, *value;
	int line;
};

struct loader {
	const char *path;
	struct scenario *sc;
	struct sbuf msg;
	int err_line; /* 0: no error yet; INT_MAX: an error without a line */
	bool nomem;
	int line;     /* the line the reader handed to inih last */
	long cur;     /* current section, -1: none yet */
	struct section *sects;
	size_t n_sects;
	struct entry *ents;
	size_t n_ents;
	const char *workload;
};

static int fail(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error as "path:line: message"; always returns -EINVAL. */
static int fail(struct loader *ld, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (ld->err_line)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		sb_printf(&ld->msg, "%s:%d: %s", ld->path, line, msg);
	else
		sb_printf(&ld->msg, "%s: %s", ld->path, msg);
	ld->err_line = line > 0 ? line : INT_MAX;
	return -EINVAL;
}

static int nomem(struct loader *ld)
{
	ld->nomem = true;
	return fail(ld, 0, "out of memory");
}

/* Fails with the reason a check put in why, and frees it. */
static int fail_why(struct loader *ld, int line, struct sbuf *why)
{
	fail(ld, line, "%s", why->buf ? why->buf : "out of memory");
	sb_free(why);
	return -EINVAL;
}

static int add_variant(struct loader *ld, const char *name, int line)
{
	struct scenario *sc = ld->sc;
	struct variant *v;

	if (sc->n_variants >= SCENARIO_MAX_VARIANTS)
		return fail(ld, line, "too many variants (max %d)", SCENARIO_MAX_VARIANTS);
	v = realloc(sc->variants, (sc->n_variants + 1) * sizeof(*v));
	if (!v)
		return nomem(ld);
	sc->variants = v;
	v += sc->n_variants;
	memset(v, 0, sizeof(*v));
	v->line = line;
	v->name = strdup(name);
	if (!v->name)
		return nomem(ld);
	sc->n_variants++;
	return 0;
}

static int add_section(struct loader *ld, const char *name, int line)
{
	struct sbuf why = { 0 };
	struct section *s;
	char canon[64];

	if (scenario_check_section(name, canon, sizeof(canon), &why))
		return fail_why(ld, line, &why);
	for (size_t i = 0; i < ld->n_sects; i++)
		if (!strcmp(ld->sects[i].name, canon))
			return fail(ld, line, "duplicate section '[%s]' (first on line %d)", canon,
				    ld->sects[i].line);
	s = realloc(ld->sects, (ld->n_sects + 1) * sizeof(*s));
	if (!s)
		return nomem(ld);
	ld->sects = s;
	s += ld->n_sects;
	*s = (struct section){ .line = line, .fixed = strncmp(canon, "variant ", 8) != 0 };
	s->name = strdup(canon);
	if (!s->name)
		return nomem(ld);
	s->variant = ld->sc->n_variants;
	ld->cur = ld->n_sects++;
	return s->fixed ? 0 : add_variant(ld, canon + 8, line);
}

/* A line starting with '['. Malformed headers are left to inih, which reports them. */
static int begin_section(struct loader *ld, const char *line, int lineno)
{
	const char *end = strchr(line + 1, ']'), *name = line + 1, *after;
	char buf[64];
	size_t n;

	if (!end)
		return 0;
	for (const char *q = name; q < end; q++)
		if (*q == ';' && isspace((unsigned char)q[-1]))
			return 0;
	after = end + 1 + strspn(end + 1, " \t\r\n");
	if (*after && *after != ';' && *after != '#')
		return fail(ld, lineno, "unexpected text after section header");
	name += strspn(name, " \t");
	n = end - name;
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (n >= sizeof(buf))
		return fail(ld, lineno, "section name too long");
	memcpy(buf, name, n);
	buf[n] = '\0';
	return add_section(ld, buf, lineno);
}

/* The same rule as results.json's writer (jansson), which stores the file's text. */
static bool utf8_ok(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);

	json_decref(j);
	return j != NULL;
}

struct reader {
	const char *p, *end;
	struct loader *ld;
};

/* inih's fgets-like reader: one whole line per call, leading blanks removed (so
 * inih's multi-line continuation never applies), section headers recorded. */
static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	const char *nl, *p = r->p;
	size_t n;

	if (p >= r->end || r->ld->err_line)
		return NULL;
	nl = memchr(p, '\n', r->end - p);
	n = nl ? (size_t)(nl - p) + 1 : (size_t)(r->end - p);
	r->p += n;
	r->ld->line++;
	if (memchr(p, '\0', n)) {
		fail(r->ld, r->ld->line, "NUL byte in line");
		return NULL;
	}
	if (!utf8_ok(p, n)) {
		fail(r->ld, r->ld->line, "invalid UTF-8");
		return NULL;
	}
	if (r->ld->line == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	for (; n && (*p == ' ' || *p == '\t'); n--)
		p++;
	if (n - (nl != NULL) + 2 > (size_t)num) { /* room for '\n' and '\0' */
		fail(r->ld, r->ld->line, "line too long (max %d characters)", num - 2);
		return NULL;
	}
	memcpy(str, p, n);
	str[n] = '\0';
	if (str[0] == '[' && begin_section(r->ld, str, r->ld->line))
		return NULL;
	return str;
}

/* inih's handler: 1 to go on, 0 for an error (recorded in ld: hence `!fail()`). */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	const char *sect = ld->cur >= 0 ? ld->sects[ld->cur].name : NULL;
	struct entry *e;

	(void)section; /* ld->cur, set by read_line, is the canonical form */
	if (ld->err_line)
		return 0;
	if (!sect)
		return !fail(ld, ld->line, "key '%s' outside any section", name);
	if (!*name)
		return !fail(ld, ld->line, "missing key name before '='");
	if (ld->n_ents >= MAX_ENTRIES)
		return !fail(ld, ld->line, "too many keys (max %d)", MAX_ENTRIES);
	for (size_t i = 0; i < ld->n_ents; i++)
		if (ld->ents[i].sect == (size_t)ld->cur && !strcmp(ld->ents[i].key, name))
			return !fail(ld, ld->line, "duplicate key '%s' in [%s] (first set on line %d)",
				     name, sect, ld->ents[i].line);
	e = realloc(ld->ents, (ld->n_ents + 1) * sizeof(*e));
	if (!e)
		return !nomem(ld);
	ld->ents = e;
	e += ld->n_ents++;
	*e = (struct entry){ .sect = ld->cur, .line = ld->line };
	e->key = strdup(name);
	e->value = strdup(value);
	return e->key && e->value ? 1 : !nomem(ld);
}

/* inih found a line that is neither a section, a key nor a comment. */
static int syntax_error(struct loader *ld, const char *text, size_t len, int line)
{
	const char *p = text, *end = text + len;

	for (int l = 1; l < line && p < end; l++) {
		p = memchr(p, '\n', end - p);
		p = p ? p + 1 : end;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	sb_reset(&ld->msg);
	ld->err_line = 0;
	if (p < end && *p == '[')
		return fail(ld, line, "invalid section header");
	return fail(ld, line, "expected 'key = value', '[section]' or a comment");
}

static int parse(struct loader *ld, const char *text, size_t len)
{
	struct reader rd = { .p = text, .end = text + len, .ld = ld };
	int rc = ini_parse_stream(read_line, &rd, on_key, ld);

	if (rc > 0 && (!ld->err_line || rc < ld->err_line))
		return syntax_error(ld, text, len, rc);
	if (rc < 0 && !ld->err_line)
		return nomem(ld);
	return ld->err_line ? -EINVAL : 0;
}

/* ---- applying entries ---- */

static int apply_fixed(struct loader *ld, const struct entry *e, const struct scenario_entry *se)
{
	struct sbuf why = { 0 };
	long i = scenario_check_fixed(se, se->section, se->key, &why);

	if (i < 0)
		return fail_why(ld, e->line, &why);
	free(ld->sc->value[i]);
	ld->sc->value[i] = strdup(e->value);
	ld->sc->line[i] = e->line;
	return ld->sc->value[i] ? 0 : nomem(ld);
}

static int set_baseline(struct loader *ld, const struct entry *e, struct variant *v)
{
	const struct scenario *sc = ld->sc;
	long b = 0;

	scenario_parse_long(ST_BOOL, e->value, &b);
	for (size_t i = 0; b && i < sc->n_variants; i++)
		if (sc->variants[i].baseline)
			return fail(ld, e->line, "more than one baseline: variants '%s' and '%s'",
				    sc->variants[i].name, v->name);
	v->baseline = b;
	return 0;
}

static int add_override(struct loader *ld, const struct entry *e, struct variant *v,
			enum scenario_scope scope)
{
	struct variant_override *o = realloc(v->ov, (v->n_ov + 1) * sizeof(*o));

	if (!o)
		return nomem(ld);
	v->ov = o;
	o += v->n_ov++;
	*o = (struct variant_override){ .line = e->line, .scope = scope };
	o->key = strdup(e->key);
	o->value = strdup(e->value);
	return o->key && o->value ? 0 : nomem(ld);
}

static int add_expect(struct loader *ld, const struct entry *e, struct variant *v,
		      const char *name)
{
	struct variant_expect *x = realloc(v->ex, (v->n_ex + 1) * sizeof(*x));

	if (!x)
		return nomem(ld);
	v->ex = x;
	x += v->n_ex++;
	*x = (struct variant_expect){ .line = e->line };
	x->name = strdup(name);
	x->value = strdup(e->value);
	return x->name && x->value ? 0 : nomem(ld);
}

static int apply_variant(struct loader *ld, const struct entry *e, const struct scenario_entry *se,
			 struct variant *v)
{
	const struct variant_key *vk;
	struct sbuf why = { 0 };
	const char *rest;

	if (scenario_check_variant(se, &vk, &rest, &why))
		return fail_why(ld, e->line, &why);
	if (vk->kind == VK_BASELINE)
		return set_baseline(ld, e, v);
	if (vk->kind == VK_EXPECT)
		return add_expect(ld, e, v, rest);
	return add_override(ld, e, v, vk->scope);
}

/* [workload] keys depend on scenario.workload, which may come later in the file. */
static void resolve_workload(struct loader *ld)
{
	const struct scenario_key *k = scenario_key_find("scenario", "workload");

	for (size_t i = 0; i < ld->n_ents; i++) {
		const struct entry *e = &ld->ents[i];

		if (!strcmp(ld->sects[e->sect].name, "scenario") && !strcmp(e->key, "workload") &&
		    scenario_value_ok(k, e->value))
			ld->workload = e->value;
	}
}

static int apply_entries(struct loader *ld)
{
	resolve_workload(ld);
	for (size_t i = 0; i < ld->n_ents; i++) {
		const struct entry *e = &ld->ents[i];
		const struct section *s = &ld->sects[e->sect];
		struct scenario_entry se = { s->name, e->key, e->value, ld->workload };
		int rc;

		if (!scenario_text_ok(e->value))
			return fail(ld, e->line, "control character in the value of '%s' in [%s]",
				    e->key, s->name);
		if (s->fixed)
			rc = apply_fixed(ld, e, &se);
		else
			rc = apply_variant(ld, e, &se, &ld->sc->variants[s->variant]);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- after the last line ---- */

/* Reports a broken rule at variant v's override of one of the keys involved, else
 * at the last line of the file that set one of them. */
static int rule_fail(struct loader *ld, const struct variant *v, const char *const *keys,
		     const char *msg)
{
	int line = 0;

	for (const char *const *k = keys; *k; k++)
		for (size_t i = 0; i < v->n_ov; i++)
			if (!strcmp(v->ov[i].key, *k))
				return fail(ld, v->ov[i].line, "%s in [variant %s]", msg, v->name);
	for (const char *const *k = keys; *k; k++) {
		const char *dot = strchr(*k, '.');
		char sect[16];
		long i;

		snprintf(sect, sizeof(sect), "%.*s", (int)(dot - *k), *k);
		i = scenario_key_index(sect, dot + 1);
		if (i >= 0 && ld->sc->line[i] > line)
			line = ld->sc->line[i];
	}
	return fail(ld, line, "%s", msg);
}

static int check_rules(struct loader *ld, const struct variant *v)
{
	struct sbuf msg = { 0 };
	const char *const *keys;
	int rc = 0;

	for (size_t r = 0; !rc && scenario_rule(r); r++) {
		rc = scenario_rule_check(r, ld->sc, v, &msg, &keys);
		if (rc)
			rule_fail(ld, v, keys, msg.buf ? msg.buf : "rule broken");
	}
	sb_free(&msg);
	return rc;
}

static int check_required(struct loader *ld)
{
	const struct scenario_key *k;

	for (size_t i = 0; (k = scenario_key_at(i)); i++) {
		int line = 0;

		if (!(k->flags & SK_REQUIRED) || ld->sc->value[i] ||
		    (k->workload && strcmp(k->workload, ld->workload)))
			continue;
		for (size_t s = 0; s < ld->n_sects; s++)
			if (!strcmp(ld->sects[s].name, k->section))
				line = ld->sects[s].line;
		return fail(ld, line, "missing required key '%s' in [%s]", k->name, k->section);
	}
	return 0;
}

static int finish(struct loader *ld)
{
	struct scenario *sc = ld->sc;

	if (check_required(ld) || (!sc->n_variants && add_variant(ld, "default", 0)))
		return -EINVAL;
	sc->baseline = 0;
	for (size_t i = 0; i < sc->n_variants; i++)
		if (sc->variants[i].baseline)
			sc->baseline = i;
	sc->variants[sc->baseline].baseline = true;
	for (size_t i = 0; i < sc->n_variants; i++)
		if (check_rules(ld, &sc->variants[i]))
			return -EINVAL;
	return 0;
}

/* ---- loading and freeing ---- */

static void loader_free(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_sects; i++)
		free(ld->sects[i].name);
	for (size_t i = 0; i < ld->n_ents; i++) {
		free(ld->ents[i].key);
		free(ld->ents[i].value);
	}
	free(ld->sects);
	free(ld->ents);
	sb_free(&ld->msg);
}

void scenario_free(struct scenario *sc)
{
	for (size_t i = 0; sc->value && i < scenario_n_keys(); i++)
		free(sc->value[i]);
	for (size_t i = 0; i < sc->n_variants; i++) {
		struct variant *v = &sc->variants[i];

		for (size_t j = 0; j < v->n_ov; j++) {
			free(v->ov[j].key);
			free(v->ov[j].value);
		}
		for (size_t j = 0; j < v->n_ex; j++) {
			free(v->ex[j].name);
			free(v->ex[j].value);
		}
		free(v->ov);
		free(v->ex);
		free(v->name);
	}
	free(sc->variants);
	free(sc->value);
	free(sc->line);
	free(sc->text);
	free(sc->path);
	memset(sc, 0, sizeof(*sc));
}

static int scenario_init(struct scenario *sc, const char *name, const char *text, size_t len)
{
	sc->path = strdup(name);
	sc->text = malloc(len + 1);
	sc->value = calloc(scenario_n_keys(), sizeof(*sc->value));
	sc->line = calloc(scenario_n_keys(), sizeof(*sc->line));
	if (!sc->path || !sc->text || !sc->value || !sc->line)
		return -ENOMEM;
	memcpy(sc->text, text, len);
	sc->text[len] = '\0';
	sc->text_len = len;
	return 0;
}

int scenario_load_text(const char *name, const char *text, size_t len, struct scenario *sc,
		       struct sbuf *err)
{
	struct loader ld = { .path = name, .sc = sc, .cur = -1, .workload = "fio" };
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (len > SCENARIO_MAX_BYTES)
		fail(&ld, 0, "file too large (%zu bytes, max %d)", len, SCENARIO_MAX_BYTES);
	else if (scenario_init(sc, name, text, len))
		nomem(&ld);
	else if (!parse(&ld, text, len) && !apply_entries(&ld))
		finish(&ld);
	rc = ld.nomem ? -ENOMEM : ld.err_line ? -EINVAL : 0;
	if (rc && err)
		sb_puts(err, ld.msg.buf ? ld.msg.buf : "out of memory");
	loader_free(&ld);
	if (rc)
		scenario_free(sc);
	return rc;
}

int scenario_load(const char *path, struct scenario *sc, struct sbuf *err)
{
	size_t len;
	char *text;
	int rc;

	memset(sc, 0, sizeof(*sc));
	text = read_file(path, &len);
	if (!text) {
		rc = errno ? -errno : -EIO;
		if (err)
			sb_printf(err, "cannot read '%s': %s", path, strerror(-rc));
		return rc;
	}
	rc = scenario_load_text(path, text, len, sc, err);
	free(text);
	return rc;
}

/* ---- resolved values ---- */

const char *scenario_get(const struct scenario *sc, const char *section, const char *key)
{
	long i = scenario_key_index(section, key);

	if (i < 0)
		return NULL;
	return sc->value && sc->value[i] ? sc->value[i] : scenario_key_at(i)->def;
}

const char *variant_override(const struct variant *v, const char *key)
{
	for (size_t i = 0; i < v->n_ov; i++)
		if (!strcmp(v->ov[i].key, key))
			return v->ov[i].value;
	return NULL;
}

const char *variant_get(const struct scenario *sc, const struct variant *v, const char *section,
			const char *key)
{
	size_t n = strlen(section);

	for (size_t i = 0; v && i < v->n_ov; i++) {
		const char *k = v->ov[i].key;

		if (!strncmp(k, section, n) && k[n] == '.' && !strcmp(k + n + 1, key))
			return v->ov[i].value;
	}
	return scenario_get(sc, section, key);
}

int scenario_get_long(const struct scenario *sc, const struct variant *v, const char *section,
		      const char *key, long *out)
{
	const struct scenario_key *k = scenario_key_find(section, key);
	const char *s = variant_get(sc, v, section, key);

	if (!k || !s)
		return -ENOENT;
	return scenario_parse_long(k->type, s, out);
}

int scenario_need_long(const struct scenario *sc, const struct variant *v, const char *section,
		       const char *key, long *out)
{
	return scenario_get_long(sc, v, section, key, out) ? -EINVAL : 0;
}

const struct variant *scenario_find_variant(const struct scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_variants; i++)
		if (!strcmp(sc->variants[i].name, name))
			return &sc->variants[i];
	return NULL;
}

bool variant_needs_reboot(const struct variant *v)
{
	for (size_t i = 0; i < v->n_ov; i++)
		if (v->ov[i].scope == SCOPE_BOOT)
			return true;
	return false;
}
