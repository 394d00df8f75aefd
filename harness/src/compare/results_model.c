/* results_model.c: the part of results.json that is not samples, loaded into the
 * model of results_load.h: the tool, environment, scenario, design, variants'
 * overrides and expectations, every repetition's record (status, evidence,
 * conformance, series, console excerpt) and the boots. Absent or mistyped fields
 * read as NULL, NAN or empty; only a failed allocation is an error. */
#include "results_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAT_KEY_MAX 256 /* bytes of a flattened key, with its NUL */

/* Registers p (may be NULL) with r, which frees it in results_free. */
static void *own(struct pvb_results *r, void *p)
{
	if (!p)
		return NULL;
	if (!(r->nowned & (r->nowned - 1))) { /* full at 0, 1, 2, 4, 8, ...: double */
		void **o = realloc(r->owned, (r->nowned ? 2 * r->nowned : 1) * sizeof(*o));

		if (!o) {
			free(p);
			return NULL;
		}
		r->owned = o;
	}
	r->owned[r->nowned++] = p;
	return p;
}

/* n zeroed elements of size bytes (a valid pointer also for n 0), owned by r. */
static void *zalloc(struct pvb_results *r, size_t n, size_t size)
{
	return own(r, calloc(n ? n : 1, size));
}

static const char *own_str(struct pvb_results *r, const char *s)
{
	return own(r, strdup(s));
}

/* A number field, NAN when absent or not a number. */
static double num(const json_t *obj, const char *key)
{
	return rj_num(obj, key, NAN);
}

const struct pvb_kv *pvb_kvs_find(const struct pvb_kvs *kvs, const char *key)
{
	for (size_t i = 0; i < kvs->n; i++)
		if (!strcmp(kvs->kv[i].key, key))
			return &kvs->kv[i];
	return NULL;
}

/* The value of a member as text (struct pvb_kv). */
static int kv_value(struct pvb_results *r, struct pvb_kv *kv, json_t *v)
{
	char n[48];

	if (json_is_string(v)) {
		kv->value = json_string_value(v);
		kv->is_string = true;
		return 0;
	}
	if (json_is_number(v)) {
		snprintf(n, sizeof(n), "%.15g", json_number_value(v));
		kv->value = own_str(r, n);
	} else {
		kv->value = own(r, json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY));
	}
	return kv->value ? 0 : -ENOMEM;
}

/* Members of obj, nested objects included (flattened). */
static size_t count_leaves(json_t *obj)
{
	const char *key;
	json_t *v;
	size_t n = 0;

	json_object_foreach(obj, key, v)
	{
		n += json_is_object(v) ? count_leaves(v) : 1;
	}
	return n;
}

static int flatten(struct pvb_results *r, struct pvb_kvs *kvs, const char *prefix, json_t *obj)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach(obj, key, v)
	{
		char k[FLAT_KEY_MAX];

		snprintf(k, sizeof(k), "%s%s%s", prefix, *prefix ? "." : "", key);
		if (json_is_object(v))
			rc = flatten(r, kvs, k, v);
		else if (!(kvs->kv[kvs->n].key = own_str(r, k)))
			rc = -ENOMEM;
		else
			rc = kv_value(r, &kvs->kv[kvs->n++], v);
		if (rc)
			return rc;
	}
	return 0;
}

/* obj's members into kvs: flattened under prefix, or as they are (prefix NULL). */
static int load_kvs(struct pvb_results *r, struct pvb_kvs *kvs, json_t *obj, const char *prefix)
{
	const char *key;
	json_t *v;

	*kvs = (struct pvb_kvs){0};
	if (!(kvs->kv =
		  zalloc(r, prefix ? count_leaves(obj) : json_object_size(obj), sizeof(*kvs->kv))))
		return -ENOMEM;
	if (prefix)
		return flatten(r, kvs, prefix, obj);
	json_object_foreach(obj, key, v)
	{
		kvs->kv[kvs->n].key = key;
		if (kv_value(r, &kvs->kv[kvs->n++], v))
			return -ENOMEM;
	}
	return 0;
}

/* The string entries of an array (others NULL when keep_slots, else left out). */
static const char **load_strings(struct pvb_results *r, json_t *arr, bool keep_slots, size_t *n)
{
	const char **s = zalloc(r, json_array_size(arr), sizeof(*s));

	*n = 0;
	for (size_t i = 0; s && i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);

		if (keep_slots || json_is_string(e))
			s[(*n)++] = json_string_value(e);
	}
	return s;
}

static int load_checks(struct pvb_results *r, struct pvb_run *run, json_t *checks)
{
	if (!(run->check = zalloc(r, json_array_size(checks), sizeof(*run->check))))
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(checks); i++) {
		json_t *c = json_array_get(checks, i);

		run->check[run->ncheck++] =
		    (struct pvb_check){rj_str(c, "key"), rj_str(c, "expected"), rj_str(c, "actual"),
				       json_is_true(json_object_get(c, "ok"))};
	}
	return 0;
}

static long long summary_count(json_t *summary, const char *key)
{
	return (long long)json_integer_value(json_object_get(summary, key));
}

static int load_conformance(struct pvb_results *r, struct pvb_conformance *pc, json_t *conf)
{
	json_t *checks = json_object_get(conf, "checks"), *sum = json_object_get(conf, "summary");

	pc->present = conf != NULL;
	pc->has_checks = json_is_array(checks);
	pc->must_pass = summary_count(sum, "must_pass");
	pc->must_fail = summary_count(sum, "must_fail");
	pc->should_pass = summary_count(sum, "should_pass");
	pc->should_fail = summary_count(sum, "should_fail");
	pc->skip = summary_count(sum, "skip");
	if (!(pc->check = zalloc(r, json_array_size(checks), sizeof(*pc->check))))
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(checks); i++) {
		json_t *c = json_array_get(checks, i);

		pc->check[pc->ncheck++] = (struct pvb_conform_check){
		    rj_str(c, "name"),	 rj_str(c, "subject"), rj_str(c, "level"),
		    rj_str(c, "result"), rj_str(c, "source"),  rj_str(c, "expected"),
		    rj_str(c, "actual")};
	}
	return 0;
}

/* A finite number field, else NAN. */
static double finite_num(json_t *obj, const char *key)
{
	double x = num(obj, key);

	return isfinite(x) ? x : NAN;
}

static struct pvb_point load_point(json_t *e)
{
	json_t *om = json_object_get(e, "omitted");
	struct pvb_point p = {
	    .start = finite_num(e, "start"),
	    .end = finite_num(e, "end"),
	    .bits_per_second = finite_num(e, "bits_per_second"),
	    .offered_rate = finite_num(e, "offered_rate"),
	    .num_calls = json_object_get(e, "num_calls") ? finite_num(e, "num_calls") : 1,
	    .reply_rate = finite_num(e, "reply_rate"),
	    .omitted = json_is_boolean(om) ? json_is_true(om) : -1,
	};

	return p;
}

static int load_series(struct pvb_results *r, struct pvb_run_series *s, json_t *series)
{

	s->present = series != NULL;
	s->usable = json_is_array(series) && json_array_size(series) <= PVB_SERIES_MAX_POINTS;
	if (!s->usable)
		return 0;
	if (!(s->pt = zalloc(r, json_array_size(series), sizeof(*s->pt))))
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(series); i++)
		s->pt[s->n++] = load_point(json_array_get(series, i));
	return 0;
}

static int load_run(struct pvb_results *r, struct pvb_run *run, json_t *rr)
{
	json_t *ev = json_object_get(rr, "evidence");

	run->variant = rj_str(rr, "variant");
	run->status_text = rj_str(rr, "status");
	run->status = pvb_status_parse(run->status_text);
	run->rep = rj_num(rr, "rep", 0);
	run->seq = rj_num(rr, "seq", 0);
	run->boot = num(rr, "boot");
	run->reason = rj_str(rr, "reason");
	run->command = rj_str(rr, "command");
	run->guest = rj_str(rr, "guest");
	run->guest_setup = rj_str(rr, "guest_setup");
	run->started_at = rj_str(rr, "started_at");
	run->console_excerpt = rj_str(rr, "console_excerpt");
	run->duration_s = num(rr, "duration_s");
	run->measure_s = num(rr, "measure_s");
	run->log_line = load_strings(r, json_object_get(ev, "log_lines"), true, &run->nlog);
	if (!run->log_line || load_checks(r, run, json_object_get(ev, "checks")) ||
	    load_kvs(r, &run->values, json_object_get(ev, "values"), "") ||
	    load_conformance(r, &run->conformance, json_object_get(ev, "conformance")) ||
	    load_series(r, &run->series, json_object_get(rr, "series")))
		return -ENOMEM;
	return 0;
}

static int load_runs(struct pvb_results *r)
{
	json_t *runs = json_object_get(r->root, "runs");

	if (!(r->run = zalloc(r, json_array_size(runs), sizeof(*r->run))))
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(runs); i++)
		if (load_run(r, &r->run[r->nrun++], json_array_get(runs, i)))
			return -ENOMEM;
	return 0;
}

static int load_boot(struct pvb_results *r, struct pvb_boot *b, json_t *jb, size_t i)
{
	json_t *tl = json_object_get(jb, "timeline"), *v;
	const char *key;

	b->boot = rj_num(jb, "boot", i + 1);
	b->status_text = rj_str(jb, "status");
	b->status = pvb_status_parse(b->status_text);
	b->variant = load_strings(r, json_object_get(jb, "variants"), false, &b->nvariant);
	b->stage = zalloc(r, json_object_size(tl), sizeof(*b->stage));
	if (!b->variant || !b->stage)
		return -ENOMEM;
	json_object_foreach(tl, key, v)
	{
		if (json_is_number(v))
			b->stage[b->nstage++] = (struct pvb_stage){key, json_number_value(v)};
	}
	return 0;
}

static int load_boots(struct pvb_results *r)
{
	json_t *boots = json_object_get(r->root, "boots");

	if (!(r->boot = zalloc(r, json_array_size(boots), sizeof(*r->boot))))
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(boots); i++)
		if (load_boot(r, &r->boot[r->nboot++], json_array_get(boots, i), i))
			return -ENOMEM;
	return 0;
}

/* Whether vars[i] is the first entry of "variants" called name. */
static bool first_named(json_t *vars, size_t i, const char *name)
{
	for (size_t k = 0; k < i; k++) {
		const char *other = rj_str(json_array_get(vars, k), "name");

		if (other && !strcmp(other, name))
			return false;
	}
	return true;
}

/* overrides and expect of each variant, from its first entry in "variants". */
static int load_overrides(struct pvb_results *r)
{
	json_t *vars = json_object_get(r->root, "variants"), *v;
	size_t i;

	json_array_foreach(vars, i, v)
	{
		const char *name = rj_str(v, "name");
		struct pvb_variant *pv =
		    name ? (struct pvb_variant *)results_variant(r, name) : NULL;

		if (pv && first_named(vars, i, name) &&
		    (load_kvs(r, &pv->overrides, json_object_get(v, "overrides"), NULL) ||
		     load_kvs(r, &pv->expect, json_object_get(v, "expect"), NULL)))
			return -ENOMEM;
	}
	return 0;
}

static int load_scenario(struct pvb_results *r)
{
	json_t *sc = json_object_get(r->root, "scenario");
	struct pvb_scenario *s = &r->scenario;

	s->file = rj_str(sc, "file");
	s->name = rj_str(sc, "name");
	s->description = rj_str(sc, "description");
	s->text = rj_str(sc, "text");
	s->workload = rj_str(sc, "workload");
	s->order = rj_str(sc, "order");
	s->seed = num(sc, "seed");
	s->repetitions = num(sc, "repetitions");
	s->repetitions_word = rj_str(sc, "repetitions");
	return load_kvs(r, &s->params, json_object_get(sc, "params"), NULL);
}

static int load_design(struct pvb_results *r)
{
	json_t *d = json_object_get(r->root, "design"), *per, *v;
	struct pvb_design *ds = &r->design;
	const char *var, *metric;
	size_t n = 0;

	if (!(ds->present = json_is_object(d)))
		return 0;
	ds->repetitions = num(d, "repetitions");
	ds->repetitions_word = rj_str(d, "repetitions");
	ds->pilot = num(d, "pilot");
	ds->planned_reps = num(d, "planned_reps");
	ds->detect_pct = num(d, "detect_pct");
	ds->power = num(d, "power");
	ds->family = num(d, "family");
	ds->max_repetitions = num(d, "max_repetitions");
	ds->max_minutes = num(d, "max_minutes");
	ds->capped_by = rj_str(d, "capped_by");
	ds->plan = rj_str(d, "plan");
	json_object_foreach(json_object_get(d, "pilot_cv_pct"), var, per)
	{
		n += json_object_size(per);
	}
	if (!(ds->cv = zalloc(r, n, sizeof(*ds->cv))))
		return -ENOMEM;
	json_object_foreach(json_object_get(d, "pilot_cv_pct"), var, per)
	{
		json_object_foreach(per, metric, v)
		{
			double cv = json_is_number(v) ? json_number_value(v) : NAN;

			ds->cv[ds->ncv++] = (struct pvb_design_cv){var, metric, cv};
		}
	}
	return 0;
}

static int load_top(struct pvb_results *r)
{
	json_t *env = json_object_get(r->root, "environment");
	json_t *tool = json_object_get(r->root, "tool");

	r->command = rj_str(r->root, "command");
	r->started_at = rj_str(r->root, "started_at");
	r->finished_at = rj_str(r->root, "finished_at");
	r->complete = json_is_true(json_object_get(r->root, "complete"));
	r->tool_name = rj_str(tool, "name");
	r->tool_version = rj_str(tool, "version");
	r->tool_commit = rj_str(tool, "commit");
	r->env.accel = rj_str(env, "accel");
	r->env.accel_reason = rj_str(env, "accel_reason");
	r->env.clock_reason = rj_str(env, "clock_reason");
	r->env.clock_note = rj_str(env, "clock_note");
	r->env.commit = rj_str(env, "commit");
	r->env.jobs = num(env, "jobs");
	if (load_kvs(r, &r->tool, tool, "tool") || load_kvs(r, &r->env.all, env, ""))
		return -ENOMEM;
	return 0;
}

int results_load_model(struct pvb_results *r)
{
	int rc = load_top(r);

	if (!rc)
		rc = load_scenario(r);
	if (!rc)
		rc = load_design(r);
	if (!rc)
		rc = load_overrides(r);
	if (!rc)
		rc = load_runs(r);
	if (!rc)
		rc = load_boots(r);
	return rc;
}

void results_free_model(struct pvb_results *r)
{
	for (size_t i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	r->owned = NULL;
	r->nowned = 0;
}
