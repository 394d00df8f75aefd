/* plan.c: variants x repetitions -> ordered steps grouped by boot (interleaved,
 * seeded random or blocked), resume, and each variant resolved into the command
 * lines, xl config and evidence probes a runner applies and checks. */
#include "pvbench/plan.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static const char *const order_names[] = {
	[PLAN_INTERLEAVED] = "interleaved",
	[PLAN_RANDOM] = "random",
	[PLAN_BLOCKED] = "blocked",
};

/* What changing a fixed key of each section costs (scenario.* is not per variant). */
static const struct {
	const char *section;
	enum scenario_scope scope;
} section_scopes[] = {
	{ "machine", SCOPE_BOOT },
	{ "guest", SCOPE_GUEST },
	{ "workload", SCOPE_RUN },
};

/* Where each domain's extra command line words come from. */
static const struct {
	enum scenario_domain d;
	const char *section, *key; /* the scenario's *_cmdline_extra */
	const char *override;	   /* the variant's <dom>.cmdline */
	const char *params;	   /* prefix of the variant's module parameters */
} cmdline_src[] = {
	{ DOM_XEN, "machine", "xen_cmdline_extra", "xen.cmdline", NULL },
	{ DOM_DOM0, "machine", "dom0_cmdline_extra", "dom0.cmdline", "dom0." },
	{ DOM_DOMU, "guest", "cmdline_extra", "domU.cmdline", "domU." },
};

const char *plan_order_name(enum plan_order o)
{
	return (size_t)o < ARRAY_SIZE(order_names) ? order_names[o] : "?";
}

/* ---- resolving a variant ---- */

static int section_scope(const char *section)
{
	for (size_t i = 0; i < ARRAY_SIZE(section_scopes); i++)
		if (!strcmp(section_scopes[i].section, section))
			return section_scopes[i].scope;
	return -1;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* machine.<key>, guest.<key>, workload.<key>: already part of the resolved keys. */
static bool is_fixed_override(const char *key)
{
	const char *dot = strchr(key, '.');
	char sect[16];

	if (!dot || dot - key >= (long)sizeof(sect))
		return false;
	memcpy(sect, key, dot - key);
	sect[dot - key] = '\0';
	return section_scope(sect) >= 0;
}

static int cmp_override(const void *a, const void *b)
{
	const struct variant_override *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

static int other_overrides(const struct variant *v, enum scenario_scope scope, struct sbuf *out)
{
	const struct variant_override **ov;
	size_t n = 0;
	int rc = 0;

	if (!v || !v->n_ov)
		return 0;
	ov = malloc(v->n_ov * sizeof(*ov));
	if (!ov)
		return -ENOMEM;
	for (size_t i = 0; i < v->n_ov; i++)
		if (v->ov[i].scope >= scope && !is_fixed_override(v->ov[i].key))
			ov[n++] = &v->ov[i];
	qsort(ov, n, sizeof(*ov), cmp_override);
	for (size_t i = 0; i < n && !rc; i++)
		rc = sb_printf(out, "%s=%s\n", ov[i]->key, ov[i]->value);
	free(ov);
	return rc;
}

int variant_scope_key(const struct scenario *sc, const struct variant *v,
		      enum scenario_scope scope, struct sbuf *out)
{
	const struct scenario_key *k;
	int rc = 0;

	for (size_t i = 0; (k = scenario_key_at(i)) && !rc; i++) {
		int s = section_scope(k->section);
		const char *val;

		if (s < 0 || s < (int)scope)
			continue;
		val = variant_get(sc, v, k->section, k->name);
		rc = sb_printf(out, "%s.%s=%s\n", k->section, k->name, val ? val : "");
	}
	return rc ? rc : other_overrides(v, scope, out);
}

static int add_words(struct sbuf *out, size_t start, const char *words)
{
	if (!words || !*words)
		return 0;
	if (out->len > start && sb_puts(out, " "))
		return -ENOMEM;
	return sb_puts(out, words);
}

int variant_cmdline(const struct scenario *sc, const struct variant *v, enum scenario_domain d,
		    struct sbuf *out)
{
	size_t start = out->len;
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cmdline_src) && !rc; i++) {
		if (cmdline_src[i].d != d)
			continue;
		rc = add_words(out, start, variant_get(sc, v, cmdline_src[i].section,
						       cmdline_src[i].key));
		if (!rc && v)
			rc = add_words(out, start, variant_override(v, cmdline_src[i].override));
		for (size_t j = 0; v && cmdline_src[i].params && j < v->n_ov && !rc; j++) {
			const struct variant_override *o = &v->ov[j];

			if (!has_prefix(o->key, cmdline_src[i].params) ||
			    !strcmp(o->key, cmdline_src[i].override))
				continue;
			if (out->len > start)
				rc = sb_puts(out, " ");
			if (!rc)
				rc = sb_printf(out, "%s=%s", o->key + strlen(cmdline_src[i].params),
					       o->value);
		}
	}
	return rc;
}

int variant_xl_config(const struct variant *v, struct sbuf *out)
{
	int rc = 0;

	for (size_t i = 0; i < v->n_ov && !rc; i++)
		if (has_prefix(v->ov[i].key, "xl."))
			rc = sb_printf(out, "%s = %s\n", v->ov[i].key + 3, v->ov[i].value);
	return rc;
}

/* ---- evidence ---- */

/* Replaces {name} placeholders in tmpl; -ENAMETOOLONG if out is too small. */
static int subst(const char *tmpl, const char *const vars[][2], size_t n, char *out, size_t len)
{
	struct sbuf sb = { 0 };
	int rc = 0;

	for (const char *p = tmpl; *p && !rc;) {
		size_t i = 0;

		while (i < n && !has_prefix(p, vars[i][0]))
			i++;
		rc = i < n ? sb_puts(&sb, vars[i][1]) : sb_append(&sb, p, 1);
		p += i < n ? strlen(vars[i][0]) : 1;
	}
	if (!rc && sb.len >= len)
		rc = -ENAMETOOLONG;
	if (!rc)
		memcpy(out, sb.buf ? sb.buf : "", sb.len + 1);
	sb_free(&sb);
	return rc;
}

int evidence_probe(const char *name, int domid, struct evidence_probe *out)
{
	const char *rest;
	const struct evidence_name *en = scenario_evidence_find(name, &rest);
	char module[64] = "", id[16];
	const char *param = "";
	size_t n;

	if (!en)
		return -EINVAL;
	n = strcspn(rest, ".");
	if (strstr(en->pattern, "<module>") && n < sizeof(module) && rest[n]) {
		memcpy(module, rest, n);
		module[n] = '\0';
		param = rest + n + 1;
	}
	snprintf(id, sizeof(id), "%d", domid);
	out->where = en->where;
	out->kind = en->kind;
	out->integer = en->integer;
	return subst(en->arg,
		     (const char *const[][2]){ { "{domid}", id },
					       { "{key}", rest },
					       { "{module}", module },
					       { "{param}", param } },
		     4, out->arg, sizeof(out->arg));
}

bool expect_holds(const char *expected, const char *actual)
{
	char buf[64];
	long a, b;
	size_t n;

	if (!strcmp(expected, "absent"))
		return !actual;
	if (!actual)
		return false;
	actual += strspn(actual, " \t\r\n");
	n = strlen(actual);
	while (n && isspace((unsigned char)actual[n - 1]))
		n--;
	if (n < sizeof(buf)) {
		memcpy(buf, actual, n);
		buf[n] = '\0';
		if (!parse_long(expected, 0, LONG_MAX, &a) && !parse_long(buf, 0, LONG_MAX, &b))
			return a == b;
	}
	return n == strlen(expected) && !memcmp(actual, expected, n);
}

/* ---- expanding the plan ---- */

/* splitmix64: small, good enough to shuffle, the same on every host. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void shuffle(size_t *a, size_t n, uint64_t *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_next(rng) % i, t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

static long draw_seed(void)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	return x & 0x7fffffff;
}

static bool wanted(const struct plan_opts *o, const char *name)
{
	for (size_t i = 0; i < o->n_variants; i++)
		if (!strcmp(o->variants[i], name))
			return true;
	return !o->n_variants;
}

static int select_variants(const struct scenario *sc, const struct plan_opts *o, struct plan *p,
			   struct sbuf *err)
{
	struct sbuf names = { 0 };
	int rc = 0;

	for (size_t i = 0; i < o->n_variants && !rc; i++) {
		if (scenario_find_variant(sc, o->variants[i]))
			continue;
		for (size_t j = 0; j < sc->n_variants; j++)
			sb_printf(&names, "%s%s", j ? ", " : "", sc->variants[j].name);
		rc = sb_fail(err, -EINVAL, "unknown variant '%s' in %s (variants: %s)",
			     o->variants[i], sc->path, names.buf ? names.buf : "");
	}
	sb_free(&names);
	p->variants = calloc(sc->n_variants ? sc->n_variants : 1, sizeof(*p->variants));
	if (!rc && !p->variants)
		rc = -ENOMEM;
	for (size_t i = 0; i < sc->n_variants && !rc; i++)
		if (wanted(o, sc->variants[i].name))
			p->variants[p->n_variants++] = i;
	if (!rc && !p->n_variants)
		rc = sb_fail(err, -EINVAL, "no variants to run in %s", sc->path);
	return rc;
}

static int settings(const struct scenario *sc, const struct plan_opts *o, struct plan *p,
		    struct sbuf *err)
{
	const char *order = scenario_get(sc, "scenario", "order");
	long reps = 0, rpb = 0;

	if (o->reps && (o->reps < 1 || o->reps > 1000))
		return sb_fail(err, -EINVAL, "invalid repetitions %d (expected 1 to 1000)",
			       o->reps);
	if (o->seed_set && o->seed < 0)
		return sb_fail(err, -EINVAL, "invalid seed %ld (expected 0 or more)", o->seed);
	scenario_get_long(sc, NULL, "scenario", "repetitions", &reps);
	p->sized = !o->reps && (o->reps_auto || !strcmp(scenario_get(sc, "scenario", "repetitions")
								?: "", "auto"));
	if (p->sized)
		scenario_get_long(sc, NULL, "scenario", "pilot", &reps);
	scenario_get_long(sc, NULL, "scenario", "reps_per_boot", &rpb);
	p->reps = o->reps ? o->reps : reps;
	p->reps_per_boot = rpb; /* 0: all repetitions in one boot */
	if (o->reps_per_boot)
		p->reps_per_boot = o->reps_per_boot > 0 ? o->reps_per_boot : 0;
	if (p->reps_per_boot <= 0 || p->reps_per_boot > p->reps)
		p->reps_per_boot = p->reps;
	for (size_t i = 0; order && i < ARRAY_SIZE(order_names); i++)
		if (!strcmp(order, order_names[i]))
			p->order = i;
	p->has_seed = o->seed_set || !scenario_get_long(sc, NULL, "scenario", "seed", &p->seed);
	if (o->seed_set)
		p->seed = o->seed;
	if (!p->has_seed && p->order == PLAN_RANDOM) {
		p->seed = draw_seed();
		p->has_seed = true;
	}
	p->quick = o->quick;
	return p->reps > 0 ? 0 : sb_fail(err, -EINVAL, "no repetitions to run in %s", sc->path);
}

/* Expansion state; arrays are indexed by variant index. */
struct gen {
	const struct scenario *sc;
	struct plan *p;
	struct plan_step *all; /* the full plan */
	size_t n;
	size_t *boot_id, *guest_id;
	int *count;
	uint64_t rng;
};

/* Numbers the selected variants' distinct scope keys: id[variant] = group. */
static int group_by(struct gen *g, enum scenario_scope scope, size_t *id, size_t *n_groups)
{
	struct plan *p = g->p;
	struct sbuf *keys = calloc(p->n_variants, sizeof(*keys));
	int rc = keys ? 0 : -ENOMEM;

	*n_groups = 0;
	for (size_t i = 0; i < p->n_variants && !rc; i++) {
		size_t j = 0;

		rc = variant_scope_key(g->sc, &g->sc->variants[p->variants[i]], scope, &keys[i]);
		while (j < i && strcmp(keys[j].buf, keys[i].buf))
			j++;
		id[p->variants[i]] = j < i ? id[p->variants[j]] : (*n_groups)++;
	}
	for (size_t i = 0; keys && i < p->n_variants; i++)
		sb_free(&keys[i]);
	free(keys);
	return rc;
}

static void emit(struct gen *g, size_t v)
{
	struct plan_step *s = &g->all[g->n++];

	*s = (struct plan_step){ .seq = g->n, .variant = v, .rep = ++g->count[v] };
	s->group = g->boot_id[v];
}

/* A A A B B B: each boot group once, all repetitions of each variant in a row. */
static void gen_blocked(struct gen *g)
{
	const struct plan *p = g->p;

	for (size_t grp = 0; grp < p->n_groups; grp++)
		for (size_t i = 0; i < p->n_variants; i++)
			for (int r = 0; g->boot_id[p->variants[i]] == grp && r < p->reps; r++)
				emit(g, p->variants[i]);
}

/* Rounds of reps_per_boot repetitions per boot group; within a round each variant
 * of the group once, in file order or shuffled. Random also shuffles the groups. */
static void gen_rounds(struct gen *g)
{
	const struct plan *p = g->p;
	size_t groups[SCENARIO_MAX_VARIANTS], members[SCENARIO_MAX_VARIANTS];
	bool random = p->order == PLAN_RANDOM;

	for (int c = 0; c < p->reps; c += p->reps_per_boot) {
		for (size_t k = 0; k < p->n_groups; k++)
			groups[k] = k;
		if (random)
			shuffle(groups, p->n_groups, &g->rng);
		for (size_t k = 0; k < p->n_groups; k++) {
			size_t m = 0;

			for (size_t i = 0; i < p->n_variants; i++)
				if (g->boot_id[p->variants[i]] == groups[k])
					members[m++] = p->variants[i];
			for (int r = c; r < c + p->reps_per_boot && r < p->reps; r++) {
				if (random)
					shuffle(members, m, &g->rng);
				for (size_t i = 0; i < m; i++)
					emit(g, members[i]);
			}
		}
	}
}

/* Drops the steps already done (--resume). */
static int keep_pending(struct gen *g, const struct plan_opts *o)
{
	struct plan *p = g->p;
	bool *done = calloc(g->sc->n_variants * p->reps, sizeof(*done));

	if (!done)
		return -ENOMEM;
	for (size_t i = 0; i < o->n_done; i++) {
		const struct variant *v = scenario_find_variant(g->sc, o->done[i].variant);

		if (v && o->done[i].rep >= 1 && o->done[i].rep <= p->reps)
			done[(v - g->sc->variants) * p->reps + o->done[i].rep - 1] = true;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct plan_step *s = &g->all[i];

		if (done[s->variant * p->reps + s->rep - 1])
			p->n_skipped++;
		else
			p->steps[p->n_steps++] = *s;
	}
	free(done);
	return 0;
}

static void number_boots(struct gen *g)
{
	struct plan *p = g->p;

	for (size_t i = 0; i < p->n_steps; i++) {
		struct plan_step *s = &p->steps[i], *prev = i ? s - 1 : NULL;

		s->new_boot = !prev || prev->group != s->group;
		p->boots += s->new_boot;
		s->boot = p->boots;
		s->new_guest = s->new_boot || g->guest_id[prev->variant] != g->guest_id[s->variant];
	}
}

static int expand(const struct scenario *sc, const struct plan_opts *o, struct plan *p)
{
	struct gen g = { .sc = sc, .p = p, .rng = (uint64_t)p->seed };
	size_t total = p->n_variants * p->reps, n_guest;
	int rc = -ENOMEM;

	g.all = calloc(total, sizeof(*g.all));
	p->steps = calloc(total, sizeof(*p->steps));
	g.boot_id = calloc(sc->n_variants, sizeof(*g.boot_id));
	g.guest_id = calloc(sc->n_variants, sizeof(*g.guest_id));
	g.count = calloc(sc->n_variants, sizeof(*g.count));
	if (g.all && p->steps && g.boot_id && g.guest_id && g.count)
		rc = group_by(&g, SCOPE_BOOT, g.boot_id, &p->n_groups);
	if (!rc)
		rc = group_by(&g, SCOPE_GUEST, g.guest_id, &n_guest);
	if (!rc) {
		if (p->n_groups == 1 || p->order == PLAN_BLOCKED)
			p->reps_per_boot = p->reps;
		if (p->order == PLAN_BLOCKED)
			gen_blocked(&g);
		else
			gen_rounds(&g);
		p->n_total = g.n;
		rc = keep_pending(&g, o);
	}
	if (!rc)
		number_boots(&g);
	free(g.all);
	free(g.boot_id);
	free(g.guest_id);
	free(g.count);
	return rc;
}

int plan_build(const struct scenario *sc, const struct plan_opts *o, struct plan *p,
	       struct sbuf *err)
{
	static const struct plan_opts defaults;
	int rc;

	memset(p, 0, sizeof(*p));
	o = o ? o : &defaults;
	rc = select_variants(sc, o, p, err);
	if (!rc)
		rc = settings(sc, o, p, err);
	if (!rc)
		rc = expand(sc, o, p);
	if (rc == -ENOMEM && err)
		sb_puts(err, "out of memory");
	if (rc)
		plan_free(p);
	return rc;
}

void plan_free(struct plan *p)
{
	free(p->steps);
	free(p->variants);
	memset(p, 0, sizeof(*p));
}

int plan_describe(const struct scenario *sc, const struct plan *p, bool steps, struct sbuf *out)
{
	const char *name = scenario_get(sc, "scenario", "name");
	int rc;

	rc = sb_printf(out, "%s: %zu variant%s x %d %srepetition%s = %zu steps, %s", name,
		       p->n_variants, p->n_variants == 1 ? "" : "s", p->reps,
		       p->sized ? "pilot " : "", p->reps == 1 ? "" : "s", p->n_total,
		       plan_order_name(p->order));
	if (!rc && p->order == PLAN_RANDOM)
		rc = sb_printf(out, " (seed %ld)", p->seed);
	if (!rc)
		rc = sb_printf(out, ", %d boot%s", p->boots, p->boots == 1 ? "" : "s");
	if (!rc && p->n_skipped)
		rc = sb_printf(out, ", %zu already done", p->n_skipped);
	if (!rc)
		rc = sb_puts(out, "\n");
	for (size_t i = 0; steps && i < p->n_steps && !rc; i++) {
		const struct plan_step *s = &p->steps[i];

		rc = sb_printf(out, "  seq %zu  boot %d  %s  rep %d\n", s->seq, s->boot,
			       sc->variants[s->variant].name, s->rep);
	}
	return rc;
}

/* ---- results.json ---- */

static json_t *params_json(const struct scenario *sc)
{
	const char *wl = scenario_get(sc, "scenario", "workload");
	const struct scenario_key *k;
	json_t *o = json_object();

	for (size_t i = 0; o && (k = scenario_key_at(i)); i++) {
		const char *val = scenario_get(sc, k->section, k->name);

		if (strcmp(k->section, "workload") || !val || (k->workload && strcmp(k->workload, wl)))
			continue;
		if (json_object_set_new(o, k->name, json_string(val))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *variant_json(const struct variant *v)
{
	json_t *ov = json_object(), *ex = json_object();
	int bad = !ov || !ex;

	for (size_t i = 0; !bad && i < v->n_ov; i++)
		bad = json_object_set_new(ov, v->ov[i].key, json_string(v->ov[i].value));
	for (size_t i = 0; !bad && i < v->n_ex; i++)
		bad = json_object_set_new(ex, v->ex[i].name, json_string(v->ex[i].value));
	if (bad) {
		json_decref(ov);
		json_decref(ex);
		return NULL;
	}
	return json_pack("{s:s, s:b, s:o, s:o}", "name", v->name, "baseline", v->baseline,
			 "overrides", ov, "expect", ex);
}

int plan_results_json(const struct scenario *sc, const struct plan *p, json_t **scenario,
		      json_t **variants)
{
	json_t *params = params_json(sc), *vs = json_array();
	const char *desc = scenario_get(sc, "scenario", "description");

	for (size_t i = 0; vs && i < p->n_variants; i++)
		if (json_array_append_new(vs, variant_json(&sc->variants[p->variants[i]]))) {
			json_decref(vs);
			vs = NULL;
		}
	*scenario = params ? json_pack("{s:s, s:s, s:s, s:s%, s:s, s:s, s:o, s:i, s:o}", "file",
				       sc->path, "name", scenario_get(sc, "scenario", "name"),
				       "description", desc ? desc : "", "text", sc->text,
				       sc->text_len, "workload",
				       scenario_get(sc, "scenario", "workload"), "order",
				       plan_order_name(p->order), "seed",
				       p->has_seed ? json_integer(p->seed) : json_null(),
				       "repetitions", p->reps, "params", params)
			   : NULL;
	*variants = vs;
	if (*scenario && *variants)
		return 0;
	json_decref(*scenario);
	json_decref(*variants);
	*scenario = *variants = NULL;
	return -ENOMEM;
}
