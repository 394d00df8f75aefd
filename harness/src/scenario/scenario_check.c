/* scenario_check.c: checking one line of a scenario file: value syntax (sizes,
 * durations, names, lists ...), whether a section or key exists for its section
 * and workload, and the words for what is wrong, with a "did you mean" when a
 * known name is close. Pure functions of the line; scenario.c adds file:line. */
#include "pvbench/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NAME_LEN_MAX 32

struct unit_suffix {
	const char *suffix;
	long mult;
};
static const struct unit_suffix size_units[] = {
	{ "", 1 }, { "k", 1L << 10 }, { "M", 1L << 20 }, { "G", 1L << 30 }, { "T", 1L << 40 },
};
static const struct unit_suffix time_units[] = {
	{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
};
static const struct {
	const char *word;
	bool value;
} bool_words[] = {
	{ "true", true }, { "yes", true }, { "on", true }, { "1", true },
	{ "false", false }, { "no", false }, { "off", false }, { "0", false },
};

static int parse_units(const char *s, const struct unit_suffix *u, size_t n, long *out)
{
	long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (LONG_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(s, u[i].suffix))
			continue;
		if (v > LONG_MAX / u[i].mult)
			return -EINVAL;
		*out = v * u[i].mult;
		return 0;
	}
	return -EINVAL;
}

static int parse_bool(const char *s, bool *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(bool_words); i++)
		if (!strcasecmp(s, bool_words[i].word)) {
			*out = bool_words[i].value;
			return 0;
		}
	return -EINVAL;
}

int scenario_parse_long(enum scenario_type type, const char *s, long *out)
{
	bool b;

	if (type == ST_INT) /* digits only: no sign or blanks, which strtol would take */
		return isdigit((unsigned char)*s) ? parse_long(s, 0, LONG_MAX, out) : -EINVAL;
	if (type == ST_SIZE)
		return parse_units(s, size_units, ARRAY_SIZE(size_units), out);
	if (type == ST_DURATION)
		return parse_units(s, time_units, ARRAY_SIZE(time_units), out);
	if (type == ST_BOOL && !parse_bool(s, &b)) {
		*out = b;
		return 0;
	}
	return -EINVAL;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

bool scenario_is_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > NAME_LEN_MAX)
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

bool scenario_text_ok(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return false;
	return true;
}

/* Is `word` one of the '|'-separated words of `list`? */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (n && p) {
		if (!strncmp(p, word, n) && (p[n] == '|' || !p[n]))
			return true;
		p = strchr(p, '|');
		p = p ? p + 1 : NULL;
	}
	return false;
}

static bool list_ok(const char *s)
{
	char item[NAME_LEN_MAX + 1];

	while (*s) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, ",");
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n || n > NAME_LEN_MAX)
			return false;
		memcpy(item, s, n);
		item[n] = '\0';
		if (!scenario_is_name(item))
			return false;
		s += strcspn(s, ",");
		if (*s == ',' && !*++s)
			return false;
	}
	return true;
}

static bool string_ok(const struct scenario_key *k, const char *v)
{
	return !(k->flags & SK_NAME) || scenario_is_name(v);
}

static bool enum_ok(const struct scenario_key *k, const char *v)
{
	return word_in(k->allowed, v);
}

static bool list_key_ok(const struct scenario_key *k, const char *v)
{
	(void)k;
	return list_ok(v);
}

static bool bool_ok(const struct scenario_key *k, const char *v)
{
	bool b;

	(void)k;
	return !parse_bool(v, &b);
}

static bool number_ok(const struct scenario_key *k, const char *v)
{
	long n;

	if ((k->flags & SK_AUTO) && !strcmp(v, "auto"))
		return true;
	if (scenario_parse_long(k->type, v, &n) || n < k->min || n > k->max)
		return false;
	if ((k->flags & SK_SECONDS) && n % 1000)
		return false;
	return !(k->flags & SK_SECTORS) || n % 512 == 0;
}

static const struct {
	const char *name;
	bool (*ok)(const struct scenario_key *k, const char *v);
	const char *expected; /* how error messages describe a valid value */
} types[] = {
	[ST_STRING] = { "string", string_ok, "text without control characters" },
	[ST_INT] = { "int", number_ok, "an integer from " },
	[ST_SIZE] = { "size", number_ok, "a size from " },
	[ST_BOOL] = { "bool", bool_ok, "true or false" },
	[ST_ENUM] = { "enum", enum_ok, "one of " },
	[ST_LIST] = { "list", list_key_ok, "comma-separated names" },
	[ST_DURATION] = { "duration", number_ok, "a duration from " },
};

const char *scenario_type_name(enum scenario_type t)
{
	return (size_t)t < ARRAY_SIZE(types) ? types[t].name : "?";
}

bool scenario_value_ok(const struct scenario_key *k, const char *v)
{
	return scenario_text_ok(v) && types[k->type].ok(k, v);
}

/* Shortest exact form: 65536 -> "64k", 600000 ms -> "10m". */
static int fmt_units(struct sbuf *out, long v, const struct unit_suffix *u, size_t n, bool ms)
{
	size_t best = ms ? 1 : 0;

	for (size_t i = 1; i < n; i++)
		if (v && v % u[i].mult == 0 && u[i].mult >= u[best].mult)
			best = i;
	if (!ms && best == 0)
		return sb_printf(out, "%ld", v);
	return sb_printf(out, "%ld%s", v / u[best].mult, u[best].suffix);
}

static int fmt_range(struct sbuf *out, const struct scenario_key *k)
{
	bool ms = k->type == ST_DURATION;
	const struct unit_suffix *u = ms ? time_units : size_units;
	size_t n = ms ? ARRAY_SIZE(time_units) : ARRAY_SIZE(size_units);
	int rc = fmt_units(out, k->min, u, n, ms);

	if (!rc)
		rc = sb_puts(out, " to ");
	return rc ? rc : fmt_units(out, k->max, u, n, ms);
}

int scenario_key_expected(const struct scenario_key *k, struct sbuf *out)
{
	int rc;

	if (k->flags & SK_NAME)
		return sb_puts(out, "a name of 1-32 characters from A-Z a-z 0-9 . _ -");
	rc = sb_puts(out, types[k->type].expected);
	if (k->type == ST_ENUM)
		for (const char *p = k->allowed; *p && !rc; p++)
			rc = sb_append(out, *p == '|' ? ", " : p, *p == '|' ? 2 : 1);
	if (k->type == ST_INT && !rc)
		rc = sb_printf(out, "%ld to %ld", k->min, k->max);
	if ((k->flags & SK_AUTO) && !rc)
		rc = sb_puts(out, ", or auto");
	if ((k->type == ST_SIZE || k->type == ST_DURATION) && !rc)
		rc = fmt_range(out, k);
	if ((k->flags & SK_SECTORS) && !rc)
		rc = sb_puts(out, ", a multiple of 512");
	if ((k->flags & SK_SECONDS) && !rc)
		rc = sb_puts(out, ", in whole seconds");
	return rc;
}

/* ---- did you mean ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[65], cur[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? sub : del;
			cur[j] = cur[j] < ins ? cur[j] : ins;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*prev));
	}
	return prev[lb];
}

struct suggest {
	const char *word, *best;
	size_t dist;
	const char *prefix; /* printed around the candidate: "machine." + best + suffix */
	int prefix_len;
	const char *suffix;
	char hint[160];
};

/* Distances are doubled so that a difference only in case counts 1, less than any
 * edit: "domu" is closer to "domU" than to "dom0". */
static void suggest_try(struct suggest *s, const char *cand)
{
	size_t d = strcasecmp(s->word, cand) ? edit_distance(s->word, cand) : 0;

	d = d == SIZE_MAX ? d : d ? 2 * d : 1;
	if (d < s->dist) {
		s->dist = d;
		s->best = cand;
	}
}

/* " (did you mean 'x'?)" when a candidate is close, else "". */
static const char *suggest_hint(struct suggest *s)
{
	s->hint[0] = '\0';
	if (s->best && s->dist && s->dist <= 4 && s->dist * 3 <= 2 * strlen(s->word))
		snprintf(s->hint, sizeof(s->hint), " (did you mean '%.*s%s%s'?)", s->prefix_len,
			 s->prefix ? s->prefix : "", s->best, s->suffix ? s->suffix : "");
	return s->hint;
}

/* ---- sections and keys ---- */

static const char *const fixed_sections[] = { "scenario", "machine", "guest", "workload" };

static int why_printf(struct sbuf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Puts the message in why; always returns -EINVAL. */
static int why_printf(struct sbuf *why, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sb_puts(why, msg);
	return -EINVAL;
}

int scenario_check_section(const char *name, char *canon, size_t len, struct sbuf *why)
{
	struct suggest sg = { .word = name, .dist = SIZE_MAX };
	const char *vname = name + 7;

	for (size_t i = 0; i < ARRAY_SIZE(fixed_sections); i++) {
		if (!strcmp(fixed_sections[i], name))
			return snprintf(canon, len, "%s", name) < (int)len ? 0 : -ENAMETOOLONG;
		suggest_try(&sg, fixed_sections[i]);
	}
	if (strncmp(name, "variant", 7) || (*vname && *vname != ' ' && *vname != '\t'))
		return why_printf(why, "unknown section '[%s]'%s", name, suggest_hint(&sg));
	vname += strspn(vname, " \t");
	if (!*vname)
		return why_printf(why, "variant section needs a name: [variant NAME]");
	if (!scenario_is_name(vname))
		return why_printf(why, "invalid variant name '%s' (expected 1-32 characters from "
				       "A-Z a-z 0-9 . _ -)",
				  vname);
	return snprintf(canon, len, "variant %s", vname) < (int)len ? 0 : -ENAMETOOLONG;
}

static int bad_value(const struct scenario_entry *e, const char *expected, struct sbuf *why)
{
	return why_printf(why, "invalid value '%s' for '%s' in [%s] (expected %s)", e->value,
			  e->key, e->section, expected);
}

/* `name` is the end of e->key; the rest of e->key ("machine.") prefixes the hint. */
static int unknown_key(const struct scenario_entry *e, const char *section, const char *name,
		       struct sbuf *why)
{
	struct suggest sg = { .word = name, .dist = SIZE_MAX, .prefix = e->key };
	const struct scenario_key *k;

	sg.prefix_len = name - e->key;
	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		if (!strcmp(k->section, section) && (!k->workload || !strcmp(k->workload, e->workload)))
			suggest_try(&sg, k->name);
	return why_printf(why, "unknown key '%s' in [%s]%s", e->key, e->section, suggest_hint(&sg));
}

long scenario_check_fixed(const struct scenario_entry *e, const char *section, const char *name,
			  struct sbuf *why)
{
	long i = scenario_key_index(section, name);
	const struct scenario_key *k = i >= 0 ? scenario_key_at(i) : NULL;
	struct sbuf exp = { 0 };
	int rc;

	if (!k)
		return unknown_key(e, section, name, why);
	if (k->workload && strcmp(k->workload, e->workload))
		return why_printf(why, "key '%s' in [%s] belongs to workload '%s', not '%s'", e->key,
				  e->section, k->workload, e->workload);
	if (scenario_value_ok(k, e->value))
		return i;
	scenario_key_expected(k, &exp);
	rc = bad_value(e, exp.buf ? exp.buf : "?", why);
	sb_free(&exp);
	return rc;
}

/* ---- [variant NAME] keys ---- */

static int check_baseline(const struct scenario_entry *e, const struct variant_key *vk,
			  const char *rest, struct sbuf *why)
{
	long b;

	(void)vk;
	(void)rest;
	return scenario_parse_long(ST_BOOL, e->value, &b) ? bad_value(e, "true or false", why) : 0;
}

static int unknown_evidence(const struct scenario_entry *e, const char *name, struct sbuf *why)
{
	struct suggest sg = { .word = name, .dist = SIZE_MAX };
	size_t n;
	const struct evidence_name *en = scenario_evidence_names(&n);

	for (size_t i = 0; i < n; i++) {
		const char *pat = en[i].pattern;
		size_t fixed = strcspn(pat, "<");

		if (pat[fixed] && !strncmp(pat, name, fixed))
			return why_printf(why, "invalid evidence name '%s' in [%s] (expected %s%s)",
					  name, e->section, pat,
					  strstr(pat, "<module>") ? " of a known parameter" : "");
		if (!pat[fixed])
			suggest_try(&sg, pat);
	}
	return why_printf(why, "unknown evidence '%s' in [%s]%s", name, e->section,
			  suggest_hint(&sg));
}

static int check_expect(const struct scenario_entry *e, const struct variant_key *vk,
			const char *name, struct sbuf *why)
{
	const char *rest;
	const struct evidence_name *en = scenario_evidence_find(name, &rest);
	long n;

	(void)vk;
	if (!en)
		return unknown_evidence(e, name, why);
	if (!strcmp(e->value, "absent"))
		return 0;
	if (en->integer && scenario_parse_long(ST_INT, e->value, &n))
		return bad_value(e, "an integer or absent", why);
	return *e->value ? 0 : bad_value(e, "a value or absent", why);
}

static int check_cmdline(const struct scenario_entry *e, const struct variant_key *vk,
			 const char *rest, struct sbuf *why)
{
	(void)e;
	(void)vk;
	(void)rest;
	(void)why;
	return 0;
}

/* The parameter is unknown, or belongs to the other domain, or its module is unknown. */
static int unknown_param(const struct scenario_entry *e, const char *m, const char *p,
			 enum scenario_domain where, struct sbuf *why)
{
	enum scenario_domain other = where == DOM_DOM0 ? DOM_DOMU : DOM_DOM0;
	const char *dom = scenario_domain_name(other);
	struct suggest sg = { .word = p, .dist = SIZE_MAX };
	size_t n;
	const struct module_param *mp = scenario_module_params(&n);
	bool module_known = false;

	if (scenario_module_param(m, p, other))
		return why_printf(why, "'%s.%s' is a %s parameter (use '%s.%s.%s') in [%s]", m, p,
				  dom, dom, m, p, e->section);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(mp[i].module, m) && mp[i].where == where) {
			module_known = true;
			suggest_try(&sg, mp[i].param);
		}
	if (module_known)
		return why_printf(why, "unknown parameter '%s' of module '%s' in [%s]%s", p, m,
				  e->section, suggest_hint(&sg));
	sg = (struct suggest){ .word = m, .dist = SIZE_MAX };
	for (size_t i = 0; i < n; i++)
		if (mp[i].where == where)
			suggest_try(&sg, mp[i].module);
	return why_printf(why, "unknown module '%s' in '%s' in [%s]%s", m, e->key, e->section,
			  suggest_hint(&sg));
}

/* dom0.<module>.<param> is SCOPE_BOOT, domU.<module>.<param> SCOPE_GUEST. */
static int check_param(const struct scenario_entry *e, const struct variant_key *vk,
		       const char *rest, struct sbuf *why)
{
	enum scenario_domain where = vk->scope == SCOPE_BOOT ? DOM_DOM0 : DOM_DOMU;
	const struct module_param *mp;
	char m[64], p[64], exp[64];
	long n;

	if (!scenario_split_param(rest, m, p, sizeof(m)))
		return why_printf(why, "invalid key '%s' in [%s] (expected %s)", e->key, e->section,
				  vk->pattern);
	mp = scenario_module_param(m, p, where);
	if (!mp)
		return unknown_param(e, m, p, where, why);
	if (mp->type == ST_BOOL)
		return strlen(e->value) == 1 && strchr("01yYnN", e->value[0])
			       ? 0
			       : bad_value(e, "0, 1, Y or N", why);
	if (!scenario_parse_long(ST_INT, e->value, &n) && n >= mp->min && n <= mp->max)
		return 0;
	snprintf(exp, sizeof(exp), "an integer from %ld to %ld", mp->min, mp->max);
	return bad_value(e, exp, why);
}

static int check_xl(const struct scenario_entry *e, const struct variant_key *vk,
		    const char *key, struct sbuf *why)
{
	const char *instead;

	(void)vk;
	if (!islower((unsigned char)*key) || key[strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_")])
		return why_printf(why, "invalid xl key '%s' in [%s]", key, e->section);
	if (scenario_xl_reserved(key, &instead) && instead)
		return why_printf(why, "xl key '%s' is set by pvbench (use '%s') in [%s]", key,
				  instead, e->section);
	if (scenario_xl_reserved(key, &instead))
		return why_printf(why, "xl key '%s' is set by pvbench in [%s]", key, e->section);
	return *e->value ? 0 : bad_value(e, "an xl value", why);
}

/* machine.<key>, guest.<key>, workload.<key>: the section is the pattern's prefix. */
static int check_override(const struct scenario_entry *e, const struct variant_key *vk,
			  const char *name, struct sbuf *why)
{
	char section[16];
	long rc;

	snprintf(section, sizeof(section), "%.*s", (int)strcspn(vk->pattern, "."), vk->pattern);
	rc = scenario_check_fixed(e, section, name, why);
	if (rc >= 0 && (scenario_key_at(rc)->flags & SK_RUN_WIDE))
		return why_printf(why,
				  "'%s' in [%s] is the same for every variant of a run (runs of "
				  "different clocks are not compared): set it in [%s]",
				  e->key, e->section, section);
	return rc < 0 ? rc : 0;
}

static int (*const variant_checks[])(const struct scenario_entry *e,
				     const struct variant_key *vk, const char *rest,
				     struct sbuf *why) = {
	[VK_BASELINE] = check_baseline, [VK_EXPECT] = check_expect, [VK_CMDLINE] = check_cmdline,
	[VK_PARAM] = check_param,	[VK_XL] = check_xl,	    [VK_FIXED] = check_override,
};

/* No pattern matched: suggest a namespace ("domu.x" -> "domU.x"). */
static int unknown_variant_key(const struct scenario_entry *e, struct sbuf *why)
{
	const char *key = e->key, *dot = strchr(key, '.');
	size_t n;
	const struct variant_key *vk = scenario_variant_keys(&n);
	char word[16], cands[16][16];
	struct suggest sg = { .word = word, .dist = SIZE_MAX, .suffix = dot ? dot : "" };

	if (!strncmp(key, "scenario.", 9))
		return why_printf(why, "[scenario] keys are the same for every variant: '%s' in [%s]",
				  key, e->section);
	snprintf(word, sizeof(word), "%.*s", (int)(dot ? dot - key : (long)strlen(key)), key);
	for (size_t i = 0; i < n && i < ARRAY_SIZE(cands); i++) {
		snprintf(cands[i], sizeof(cands[i]), "%.*s", (int)strcspn(vk[i].pattern, ".<"),
			 vk[i].pattern);
		suggest_try(&sg, cands[i]);
	}
	return why_printf(why, "unknown key '%s' in [%s]%s", key, e->section, suggest_hint(&sg));
}

int scenario_check_variant(const struct scenario_entry *e, const struct variant_key **vk,
			   const char **rest, struct sbuf *why)
{
	*vk = scenario_variant_key_match(e->key, rest);
	if (!*vk)
		return unknown_variant_key(e, why);
	return variant_checks[(*vk)->kind](e, *vk, *rest, why);
}
