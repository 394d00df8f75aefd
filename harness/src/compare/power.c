/* power.c: power, minimum detectable change and sized repetitions of compare's
 * verdict procedure by seeded simulation (see power.h for the model). Every
 * simulated verdict is compare_metric() + compare_finish() on generated samples. */
#include "pvbench/power.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define MDC_SHIFT_MAX 10.0 /* +1000%: beyond this the change counts as undetectable */
#define TABLE_CV_MAX 2.0   /* a relative sd above 200% is not a benchmark */

/* One simulation: sizes, model, family, and the per-trial bisection brackets. */
struct sim {
	size_t nb, nn, k;
	double cv;
	unsigned long trials, seed;
	struct cmp_opts o, o_companion;
	gsl_rng *rng;
	double *b, *x;
	struct cmp_metric *m;
	double *no, *yes; /* per trial: largest shift known undetected, smallest detected */
	/* with brackets: per trial, its k - 1 companions once computed (they do not
	 * depend on the shift), companion[t * (k - 1) + j - 1] */
	struct cmp_metric *companion;
	bool *have;
};

static void sim_free(struct sim *s)
{
	if (s->rng)
		gsl_rng_free(s->rng);
	free(s->b);
	free(s->x);
	free(s->m);
	free(s->no);
	free(s->yes);
	free(s->companion);
	free(s->have);
}

static int sim_init(struct sim *s, double cv, size_t nb, size_t nn, size_t k,
		    const struct cmp_opts *o, const struct power_opts *po, bool brackets)
{
	memset(s, 0, sizeof(*s));
	if (!nb || !nn || !k || !po->trials || po->resamples < 2 || !(cv >= 0) ||
	    !(po->target > 0 && po->target < 1))
		return -EINVAL;
	*s = (struct sim){
	    .nb = nb, .nn = nn, .k = k, .cv = cv, .trials = po->trials, .seed = po->seed, .o = *o};
	s->o.resamples = po->resamples;
	s->o.no_mdc = true; /* compare_finish would simulate an MDC inside the simulation */
	s->o_companion = s->o;
	s->o_companion.resamples = 2; /* only a companion's p enters Holm */
	s->rng = gsl_rng_alloc(gsl_rng_taus2);
	s->b = malloc(nb * sizeof(*s->b));
	s->x = malloc(nn * sizeof(*s->x));
	s->m = calloc(k, sizeof(*s->m));
	if (brackets) {
		s->no = malloc(po->trials * sizeof(*s->no));
		s->yes = malloc(po->trials * sizeof(*s->yes));
		s->companion = malloc(po->trials * k * sizeof(*s->companion));
		s->have = calloc(po->trials, sizeof(*s->have));
	}
	if (!s->rng || !s->b || !s->x || !s->m ||
	    (brackets && (!s->no || !s->yes || !s->companion || !s->have))) {
		sim_free(s);
		return -ENOMEM;
	}
	for (unsigned long t = 0; brackets && t < po->trials; t++) {
		s->no[t] = -INFINITY;
		s->yes[t] = INFINITY;
	}
	return 0;
}

/* Trial t at the given shift: the verdict of metric 0 of the family. Metric 0's
 * values are drawn first, so taking the companions from the cache changes nothing. */
static int sim_trial(struct sim *s, unsigned long t, double shift, enum verdict *v)
{
	struct cmp_metric *cache = s->companion ? s->companion + t * (s->k - 1) : NULL;
	size_t kdraw = cache && s->have[t] ? 1 : s->k;
	unsigned long bseed;
	int rc;

	gsl_rng_set(s->rng, s->seed * 2654435761UL + t + 1);
	bseed = gsl_rng_get(s->rng);
	if (kdraw < s->k)
		memcpy(s->m + 1, cache, (s->k - 1) * sizeof(*cache));
	for (size_t j = 0; j < kdraw; j++) {
		double f = j ? 1 : 1 + shift;
		struct cmp_opts o = j ? s->o_companion : s->o;

		for (size_t i = 0; i < s->nb; i++)
			s->b[i] = 1 + s->cv * gsl_ran_gaussian_ziggurat(s->rng, 1);
		for (size_t i = 0; i < s->nn; i++)
			s->x[i] = f * (1 + s->cv * gsl_ran_gaussian_ziggurat(s->rng, 1));
		o.seed = bseed + j;
		rc = compare_metric(s->b, s->nb, s->x, s->nn, &o, &s->m[j]);
		if (rc)
			return rc;
		s->m[j].meta.better = METRIC_HIGHER;
	}
	if (cache && !s->have[t]) {
		memcpy(cache, s->m + 1, (s->k - 1) * sizeof(*cache));
		s->have[t] = true;
	}
	rc = compare_finish(s->m, s->k, &s->o);
	*v = s->m[0].verdict;
	return rc;
}

static bool detected(enum verdict v, double shift)
{
	return v == (shift >= 0 ? V_BETTER : V_WORSE);
}

/* Whether at least ceil(target * trials) trials detect the shift; stops as soon as
 * that is decided. With brackets, a trial's verdict is taken from an earlier shift
 * when monotonicity settles it (the same trial at a larger shift is detected too). */
static int sim_reaches(struct sim *s, double shift, double target, bool *reached)
{
	unsigned long need = (unsigned long)ceil(target * s->trials - 1e-9), yes = 0;

	for (unsigned long t = 0; t < s->trials; t++) {
		enum verdict v;
		bool d;
		int rc;

		if (s->yes && shift >= s->yes[t]) {
			d = true;
		} else if (s->no && shift <= s->no[t]) {
			d = false;
		} else {
			if ((rc = sim_trial(s, t, shift, &v)))
				return rc;
			d = detected(v, shift);
			if (s->yes && d)
				s->yes[t] = shift;
			else if (s->no)
				s->no[t] = shift;
		}
		yes += d;
		if (yes >= need || yes + (s->trials - t - 1) < need) {
			*reached = yes >= need;
			return 0;
		}
	}
	*reached = yes >= need;
	return 0;
}

int power_pilot_cv(const double *base, size_t nb, const double *new, size_t nn, double *cv)
{
	const double *side[2] = {base, new};
	size_t n[2] = {nb, nn}, groups = 0;
	double ss = 0;

	if (!nb || !base || (nn && !new))
		return -EINVAL;
	for (int s = 0; s < 2; s++) {
		double mean = 0;

		if (!n[s])
			continue;
		groups++;
		for (size_t i = 0; i < n[s]; i++)
			mean += side[s][i] / n[s];
		if (!(mean > 0))
			return -EDOM;
		for (size_t i = 0; i < n[s]; i++)
			ss += (side[s][i] / mean - 1) * (side[s][i] / mean - 1);
	}
	if (nb + nn < groups + 1)
		return -EDOM;
	*cv = sqrt(ss / (nb + nn - groups));
	return 0;
}

int power_verdict_cv(double cv, double shift, size_t nb, size_t nn, size_t k,
		     const struct cmp_opts *o, const struct power_opts *po, double *power,
		     double frac[V_NVERDICT])
{
	unsigned long count[V_NVERDICT] = {0};
	struct sim s;
	int rc;

	if (!(shift > -1))
		return -EINVAL;
	if ((rc = sim_init(&s, cv, nb, nn, k, o, po, false)))
		return rc;
	for (unsigned long t = 0; t < s.trials && !rc; t++) {
		enum verdict v;

		rc = sim_trial(&s, t, shift, &v);
		count[v] += !rc;
	}
	sim_free(&s);
	if (rc)
		return rc;
	*power = (double)count[shift >= 0 ? V_BETTER : V_WORSE] / po->trials;
	for (int v = 0; frac && v < V_NVERDICT; v++)
		frac[v] = (double)count[v] / po->trials;
	return 0;
}

int power_verdict(const double *base, size_t nb, const double *new, size_t nn, double shift,
		  size_t n, size_t k, const struct cmp_opts *o, const struct power_opts *po,
		  double *power, double frac[V_NVERDICT])
{
	double cv;
	int rc = power_pilot_cv(base, nb, new, nn, &cv);

	return rc ? rc : power_verdict_cv(cv, shift, n, n, k, o, po, power, frac);
}

/* Bisection of the shift on [lo, hi], lo not reaching the target and hi reaching it. */
static int bisect_shift(struct sim *s, double target, double lo, double hi, double *mdc)
{
	while (hi - lo > 0.002 * hi && hi - lo > 1e-9) {
		double mid = (lo + hi) / 2;
		bool ok;
		int rc = sim_reaches(s, mid, target, &ok);

		if (rc)
			return rc;
		*(ok ? &hi : &lo) = mid;
	}
	*mdc = hi;
	return 0;
}

int power_mdc_cv(double cv, size_t nb, size_t nn, size_t k, const struct cmp_opts *o,
		 const struct power_opts *po, double *mdc)
{
	double hi = fmax(4 * cv, 0.005);
	struct sim s;
	bool ok = false;
	int rc;

	if ((rc = sim_init(&s, cv, nb, nn, k, o, po, true)))
		return rc;
	for (;;) {
		if ((rc = sim_reaches(&s, hi, po->target, &ok)) || ok || hi >= MDC_SHIFT_MAX)
			break;
		hi = fmin(2 * hi, MDC_SHIFT_MAX);
	}
	if (!rc && !ok)
		*mdc = INFINITY;
	else if (!rc)
		rc = bisect_shift(&s, po->target, 0, hi, mdc);
	sim_free(&s);
	return rc;
}

int power_mdc(const double *base, size_t nb, const double *new, size_t nn, size_t k,
	      const struct cmp_opts *o, const struct power_opts *po, double *mdc)
{
	double cv;
	int rc = power_pilot_cv(base, nb, new, nn, &cv);

	return rc ? rc : power_mdc_cv(cv, nb, nn, k, o, po, mdc);
}

/* Whether n per side reaches the target for detect at this cv (fresh trials). */
static int cv_reaches(double cv, size_t n, double detect, size_t k, const struct cmp_opts *o,
		      const struct power_opts *po, bool *ok)
{
	struct sim s;
	int rc = sim_init(&s, cv, n, n, k, o, po, false);

	if (!rc)
		rc = sim_reaches(&s, detect, po->target, ok);
	sim_free(&s);
	return rc;
}

/* Largest cv at which n per side reaches the target, searched upward from hint
 * (the answer for n - 1, which it should not be below). */
static int table_cv(size_t n, double detect, size_t k, const struct cmp_opts *o,
		    const struct power_opts *po, double hint, double *cv_max)
{
	double lo = hint > 0 ? hint : 1e-6, hi;
	bool ok;
	int rc;

	if ((rc = cv_reaches(lo, n, detect, k, o, po, &ok)))
		return rc;
	if (!ok && hint > 0)
		rc = cv_reaches(lo = 1e-6, n, detect, k, o, po, &ok);
	if (rc || !ok) {
		*cv_max = 0;
		return rc;
	}
	for (hi = fmax(1.5 * lo, detect / 4);; hi *= 2) {
		if ((rc = cv_reaches(hi, n, detect, k, o, po, &ok)) || !ok)
			break;
		lo = hi;
		if (hi >= TABLE_CV_MAX)
			break;
	}
	while (!rc && ok == false && hi - lo > 0.01 * lo) {
		double mid = (lo + hi) / 2;
		bool mok;

		if ((rc = cv_reaches(mid, n, detect, k, o, po, &mok)))
			break;
		*(mok ? &lo : &hi) = mid;
	}
	*cv_max = lo;
	return rc;
}

int power_table_build(size_t n_min, size_t n_max, double detect, size_t k, const struct cmp_opts *o,
		      const struct power_opts *po, struct power_table *t)
{
	double prev = 0;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (n_min < 2 || n_max < n_min || !k || !(detect > 0))
		return -EINVAL;
	t->cv_max = calloc(n_max - n_min + 1, sizeof(*t->cv_max));
	if (!t->cv_max)
		return -ENOMEM;
	*t = (struct power_table){
	    .n_min = n_min, .n_max = n_max, .k = k, .detect = detect, .cv_max = t->cv_max};
	for (size_t n = n_min; n <= n_max && !rc; n++) {
		rc = table_cv(n, detect, k, o, po, prev, &t->cv_max[n - n_min]);
		prev = t->cv_max[n - n_min];
	}
	if (rc) {
		power_table_free(t);
		return rc;
	}
	/* Power is not monotone in n (the exact Mann-Whitney p is discrete) and each n
	 * has its own trials: keep the envelope from above, so n qualifies only when
	 * every larger n in the table does too. */
	for (size_t i = n_max - n_min; i-- > 0;)
		t->cv_max[i] = fmin(t->cv_max[i], t->cv_max[i + 1]);
	return 0;
}

void power_table_free(struct power_table *t)
{
	free(t->cv_max);
	memset(t, 0, sizeof(*t));
}

int power_plan(const struct power_table *t, const struct power_pilot *p, size_t np, size_t pilot,
	       struct power_plan *plan)
{
	double cv = 0;
	size_t n;

	if (!t->cv_max || !np || np > t->k)
		return -EINVAL;
	for (size_t i = 0; i < np; i++) {
		double c;
		int rc = power_pilot_cv(p[i].base, p[i].nb, p[i].new, p[i].nn, &c);

		if (rc)
			return rc;
		cv = fmax(cv, c);
	}
	*plan = (struct power_plan){.cv = cv, .power = NAN};
	for (n = pilot > t->n_min ? pilot : t->n_min; n <= t->n_max; n++)
		if (t->cv_max[n - t->n_min] > 0 && cv <= t->cv_max[n - t->n_min])
			break;
	if (n > t->n_max) {
		n = t->n_max > pilot ? t->n_max : pilot;
		plan->cap_hit = true;
	}
	plan->n = n;
	plan->extra = n - pilot;
	return 0;
}

int power_reps_needed(const struct power_pilot *p, size_t np, size_t k, size_t pilot, double detect,
		      size_t max_reps, const struct cmp_opts *o, const struct power_opts *po,
		      struct power_plan *plan)
{
	struct power_table t;
	size_t lo = pilot > 2 ? pilot : 2;
	int rc;

	if (max_reps < lo)
		return -EINVAL;
	if ((rc = power_table_build(lo, max_reps, detect, k, o, po, &t)))
		return rc;
	rc = power_plan(&t, p, np, pilot, plan);
	power_table_free(&t);
	if (!rc)
		rc = power_verdict_cv(plan->cv, detect, plan->n, plan->n, k, o, po, &plan->power,
				      NULL);
	return rc;
}

/* Fills v[from..to) of a side with the normal model, times f. */
static void draw(gsl_rng *rng, double *v, size_t from, size_t to, double cv, double f)
{
	for (size_t i = from; i < to; i++)
		v[i] = f * (1 + cv * gsl_ran_gaussian_ziggurat(rng, 1));
}

/* One trial of the procedure: plan from the pilot, complete the samples, compare. */
static int proc_trial(const struct power_table *t, gsl_rng *rng, double cv, double shift, size_t k,
		      size_t pilot, const struct cmp_opts *o, double *v, struct power_pilot *p,
		      struct cmp_metric *m, struct power_plan *plan)
{
	size_t w = t->n_max > pilot ? t->n_max : pilot;
	int rc;

	for (size_t j = 0; j < k; j++) {
		p[j] = (struct power_pilot){
		    .base = v + 2 * j * w, .new = v + (2 * j + 1) * w, .nb = pilot, .nn = pilot};
		draw(rng, v + 2 * j * w, 0, pilot, cv, 1);
		draw(rng, v + (2 * j + 1) * w, 0, pilot, cv, j ? 1 : 1 + shift);
	}
	if ((rc = power_plan(t, p, k, pilot, plan)))
		return rc;
	for (size_t j = 0; j < k; j++) {
		draw(rng, v + 2 * j * w, pilot, plan->n, cv, 1);
		draw(rng, v + (2 * j + 1) * w, pilot, plan->n, cv, j ? 1 : 1 + shift);
		rc = compare_metric(p[j].base, plan->n, p[j].new, plan->n, o, &m[j]);
		if (rc)
			return rc;
		m[j].meta.better = METRIC_HIGHER;
	}
	return compare_finish(m, k, o);
}

int power_proc_sim(const struct power_table *t, double cv, double shift, size_t k, size_t pilot,
		   unsigned long trials, unsigned long seed, const struct cmp_opts *o,
		   struct power_proc *r)
{
	size_t w = t->n_max > pilot ? t->n_max : pilot;
	unsigned long count[V_NVERDICT] = {0}, worse = 0, sum_n = 0;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
	double *v = malloc(2 * k * w * sizeof(*v));
	struct power_pilot *p = malloc(k * sizeof(*p));
	struct cmp_metric *m = calloc(k, sizeof(*m));
	struct cmp_opts oq = *o;
	int rc = rng && v && p && m ? 0 : -ENOMEM;

	if (!trials || !k || k != t->k || !pilot || !(cv >= 0) || !(shift > -1))
		rc = -EINVAL;
	oq.no_mdc = true;
	memset(r, 0, sizeof(*r));
	for (unsigned long i = 0; i < trials && !rc; i++) {
		struct power_plan plan;
		bool any = false;

		gsl_rng_set(rng, seed * 2654435761UL + i + 1);
		if ((rc = proc_trial(t, rng, cv, shift, k, pilot, &oq, v, p, m, &plan)))
			break;
		count[m[0].verdict]++;
		for (size_t j = 0; j < k; j++)
			any |= m[j].verdict == V_WORSE;
		worse += any;
		sum_n += plan.n;
		r->cap_hits += plan.cap_hit;
	}
	for (int i = 0; !rc && i < V_NVERDICT; i++)
		r->frac[i] = (double)count[i] / trials;
	if (!rc) {
		r->any_worse = (double)worse / trials;
		r->mean_n = (double)sum_n / trials;
	}
	if (rng)
		gsl_rng_free(rng);
	free(v);
	free(p);
	free(m);
	return rc;
}

int power_time_cap(double sec_per_rep, size_t nvariants, double max_minutes, size_t max_reps,
		   size_t *cap)
{
	double fit;

	if (!(sec_per_rep > 0) || !nvariants)
		return -EINVAL;
	*cap = max_reps;
	if (!(max_minutes > 0))
		return 0;
	fit = floor(max_minutes * 60 / (sec_per_rep * nvariants) + 1e-9);
	if (fit < *cap)
		*cap = (size_t)fit;
	return *cap ? 0 : -ERANGE;
}

double power_wall_minutes(size_t n, size_t nvariants, double sec_per_rep)
{
	return (double)n * nvariants * sec_per_rep / 60;
}
