/* sized.c: sizing a run from its pilot (see sized.h). */
#include "pvbench/sized.h"
#include "pvbench/compare.h"
#include "pvbench/power.h"
#include "pvbench/results_load.h"
#include "pvbench/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZED_MAX_PILOTS 64

struct pilots {
	struct power_pilot p[SIZED_MAX_PILOTS];
	size_t n;
	json_t *cv; /* {variant: {metric: cv_pct}} */
};

static void note_cv(struct pilots *ps, const struct pvb_variant *v, const struct pvb_series *s)
{
	json_t *o = json_object_get(ps->cv, v->name);
	double cv;

	if (power_pilot_cv(s->v, s->n, NULL, 0, &cv))
		return;
	if (!o)
		json_object_set_new(ps->cv, v->name, o = json_object());
	json_object_set_new(o, s->metric, json_real(100 * cv));
}

/* One pilot per (other variant, primary metric) with OK samples on both sides. */
static void collect(const struct pvb_results *r, struct pilots *ps)
{
	const struct pvb_variant *b = results_baseline(r);

	for (size_t i = 0; b && i < r->nvar; i++) {
		const struct pvb_variant *v = &r->var[i];

		for (size_t j = 0; j < v->nseries && ps->n < SIZED_MAX_PILOTS; j++) {
			const struct pvb_series *sn = &v->series[j];
			const struct pvb_series *sb = variant_series(b, sn->metric);

			if (!results_metric_primary(r, sn->metric) || !sb || !sb->n || !sn->n)
				continue;
			note_cv(ps, v, sn);
			if (v == b)
				continue;
			note_cv(ps, b, sb);
			ps->p[ps->n++] = (struct power_pilot){ .base = sb->v, .nb = sb->n,
							       .new = sn->v, .nn = sn->n };
		}
	}
}

static double max_cv(const struct pilots *ps)
{
	double m = 0, cv;

	for (size_t i = 0; i < ps->n; i++)
		if (!power_pilot_cv(ps->p[i].base, ps->p[i].nb, ps->p[i].new, ps->p[i].nn, &cv) &&
		    cv > m)
			m = cv;
	return m;
}

/* The largest total n the wall-time budget allows, and whether it binds. */
static int time_cap(const struct sized_request *rq, size_t nvar, int *cap)
{
	double left = rq->max_minutes - rq->elapsed_s / 60;
	size_t extra = 0;
	int rc = left > 0 ? power_time_cap(rq->sec_per_rep, nvar, left, (size_t)rq->max_reps,
					   &extra)
			  : -ERANGE;

	if (rc && rc != -ERANGE)
		return rc;
	*cap = rq->pilot + (int)extra;
	return 0;
}

static json_t *design_json(const struct sized_request *rq, const struct sized_result *res,
			   json_t *cv)
{
	return json_pack("{s:s, s:i, s:f, s:f, s:i, s:i, s:i, s:f, s:o, s:f, s:o, s:s}",
			 "repetitions", "auto", "pilot", rq->pilot, "detect_pct", 100 * rq->detect,
			 "power", res->power, "family", (int)res->family, "planned_reps", res->n,
			 "max_repetitions", rq->max_reps, "max_minutes", rq->max_minutes,
			 "capped_by", res->capped_by ? json_string(res->capped_by) : json_null(),
			 "pilot_cv_max_pct", 100 * res->cv, "pilot_cv_pct", cv, "plan", res->plan);
}

static void plan_sentence(const struct sized_request *rq, struct sized_result *res, size_t nvar)
{
	int extra = res->n - rq->pilot;

	snprintf(res->plan, sizeof(res->plan),
		 "pilot CV %.2g%%: %d more repetition%s per variant, about %.0f min (%.0f%% power "
		 "to detect %.3g%% on %zu primary comparison%s)%s%s",
		 100 * res->cv, extra, extra == 1 ? "" : "s",
		 ceil(power_wall_minutes((size_t)extra, nvar, rq->sec_per_rep)), 100 * res->power,
		 100 * rq->detect, res->family, res->family == 1 ? "" : "s",
		 res->capped_by ? "; capped by " : "", res->capped_by ? res->capped_by : "");
}

int sized_plan(const char *results_path, const struct sized_request *rq, struct sized_result *res,
	       json_t **design)
{
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct power_opts po = POWER_OPTS_DEFAULT;
	struct power_plan plan = { 0 };
	struct pilots ps = { .cv = json_object() };
	struct pvb_results r = { 0 };
	int cap = 0, rc = results_load(results_path, &r);

	memset(res, 0, sizeof(*res));
	if (rc)
		goto out;
	collect(&r, &ps);
	res->family = ps.n;
	if (!ps.n) {
		pvb_err("'%s': no primary metric has OK pilot repetitions in the baseline and "
			"another variant: cannot size the run",
			results_path);
		rc = -ENOENT;
		goto out;
	}
	if ((rc = time_cap(rq, r.nvar, &cap)))
		goto out;
	cap = cap < rq->max_reps ? cap : rq->max_reps;
	if (cap <= rq->pilot) { /* no room for more: the pilot is the run */
		plan = (struct power_plan){ .n = (size_t)rq->pilot, .cv = max_cv(&ps),
					    .cap_hit = true };
		rc = power_verdict_cv(plan.cv, rq->detect, plan.n, plan.n, ps.n, &o, &po,
				      &plan.power, NULL);
	} else {
		rc = power_reps_needed(ps.p, ps.n, ps.n, (size_t)rq->pilot, rq->detect,
				       (size_t)cap, &o, &po, &plan);
	}
	if (rc) {
		pvb_err("'%s': cannot size the run from its pilot: %s", results_path,
			rc == -EDOM ? "a primary metric's mean is not positive" : strerror(-rc));
		goto out;
	}
	res->n = (int)plan.n;
	res->cv = plan.cv;
	res->power = plan.power;
	if (plan.cap_hit)
		res->capped_by = cap < rq->max_reps ? "max_minutes" : "max_repetitions";
	plan_sentence(rq, res, r.nvar);
	*design = design_json(rq, res, json_incref(ps.cv));
out:
	json_decref(ps.cv);
	results_free(&r);
	return rc;
}
