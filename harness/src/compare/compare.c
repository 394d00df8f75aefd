/* compare.c: statistics and verdicts between pairs of variants (see compare.h);
 * the `pvbench compare` command that prints them is cmd/compare.c. */
#include "pvbench/compare.h"
#include "pvbench/power.h"
#include "pvbench/util.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

const char *const verdict_names[V_NVERDICT] = {
    [V_BETTER] = "better",
    [V_WORSE] = "worse",
    [V_NO_CHANGE] = "no change",
    [V_INCONCLUSIVE] = "inconclusive",
};

const char *const cmp_note_text[CMP_NNOTES] = {
    "fewer than 5 OK samples on a side: the interval and p-value are weak",
    "base median is not positive: no relative change; verdict from the Hodges-Lehmann "
    "interval",
    "direction unknown (no metrics_meta, unknown unit suffix): no better/worse verdict",
    "Welch's t undefined (fewer than 2 samples or no variance)",
    "too few repetitions for any change to be detected with 80% power after Holm's "
    "correction (MDC none): add repetitions",
    "the base has values <= 0, so a resampled base median can be <= 0: no relative "
    "interval; verdict from the Hodges-Lehmann interval",
    "values too large for the statistics (they overflow): not judged",
};

/* GSL's default handler aborts the process (e.g. lngamma of an overflowed
 * argument); off, GSL returns NAN, which the statistics check. Process-wide. */
static void gsl_quiet(void)
{
	gsl_set_error_handler_off();
}

enum verdict compare_verdict(enum metric_better better, double p_adj, double lo, double hi,
			     const struct cmp_opts *o)
{
	bool up = lo > 0, down = hi < 0;

	if (p_adj < o->alpha && (up || down)) {
		if (better == METRIC_BETTER_UNKNOWN)
			return V_INCONCLUSIVE;
		return up == (better == METRIC_HIGHER) ? V_BETTER : V_WORSE;
	}
	if (lo >= -o->band && hi <= o->band)
		return V_NO_CHANGE;
	return V_INCONCLUSIVE;
}

static void set_nan_boot(struct cmp_metric *m)
{
	m->boot.change = m->boot.lo = m->boot.hi = m->boot.achieved = NAN;
	m->notes |= NOTE_NO_RATIO;
}

/* Values whose sums or squares overflow leave the summaries or the
 * Hodges-Lehmann figures infinite or NAN. */
static bool overflowed(const struct cmp_metric *m)
{
	const struct stats_summary *s[] = {&m->base, &m->new};

	for (int i = 0; i < 2; i++)
		if (!isfinite(s[i]->mean) || !isfinite(s[i]->median) ||
		    (s[i]->n >= 2 && !isfinite(s[i]->sd)))
			return true;
	return !isfinite(m->hl.shift) || !isfinite(m->hl.lo) || !isfinite(m->hl.hi);
}

int compare_metric(const double *base, size_t nb, const double *new, size_t nn,
		   const struct cmp_opts *o, struct cmp_metric *m)
{
	int rc;

	gsl_quiet();
	m->notes = 0;
	m->mdc = m->cv_pooled = NAN;
	m->mdc_k = 0;
	if (!o->no_mdc && power_pilot_cv(base, nb, new, nn, &m->cv_pooled))
		m->cv_pooled = NAN;
	if ((rc = stats_summarise(base, nb, &m->base)) ||
	    (rc = stats_summarise(new, nn, &m->new)) ||
	    (rc = stats_mann_whitney(base, nb, new, nn, &m->mw)) ||
	    (rc = stats_hodges_lehmann(base, nb, new, nn, o->conf, &m->hl)))
		return rc;
	rc = stats_bootstrap_ratio(base, nb, new, nn, o->resamples, o->seed, o->conf, &m->boot);
	if (rc == -EDOM)
		set_nan_boot(m);
	else if (rc)
		return rc;
	else if (m->base.min <= 0) { /* decided from the data, never from the seed */
		m->boot.lo = m->boot.hi = NAN;
		m->notes |= NOTE_NONPOS_BASE;
	}
	if (overflowed(m))
		m->notes |= NOTE_NUMERIC;
	if (stats_welch(base, nb, new, nn, &m->welch)) {
		m->welch.t = m->welch.df = m->welch.p = NAN;
		m->notes |= NOTE_NO_WELCH;
	}
	if (nb < CMP_MIN_SAMPLES || nn < CMP_MIN_SAMPLES)
		m->notes |= NOTE_FEW_SAMPLES;
	m->p_holm = m->mw.p;
	return 0;
}

static enum verdict metric_verdict(struct cmp_metric *m, const struct cmp_opts *o)
{
	enum verdict v;

	if (m->meta.better == METRIC_BETTER_UNKNOWN)
		m->notes |= NOTE_NO_DIRECTION;
	if (m->notes & NOTE_NUMERIC)
		return V_INCONCLUSIVE;
	if (cmp_on_shift(m)) {
		/* Only a clear shift away from 0 can be judged without a ratio. */
		if (m->p_holm < o->alpha && (m->hl.lo > 0 || m->hl.hi < 0))
			return compare_verdict(m->meta.better, m->p_holm, m->hl.lo, m->hl.hi, o);
		return V_INCONCLUSIVE;
	}
	v = compare_verdict(m->meta.better, m->p_holm, m->boot.lo, m->boot.hi, o);
	/* A percentile bootstrap of medians from fewer than 5 values can be tight by
	 * accident: it does not establish equivalence. */
	return v == V_NO_CHANGE && (m->notes & NOTE_FEW_SAMPLES) ? V_INCONCLUSIVE : v;
}

/* Minimum detectable change of the verdict over the k tests of the metric's
 * family (compare.h). "none" without simulating when even complete separation of
 * the samples could not reach alpha / k, Holm's first step (smallest two-sided
 * exact Mann-Whitney p = 2 / C(nb + nn, nb)). power.c's verdicts set no_mdc: the
 * simulation calls compare_finish itself. */
static void set_mdc(struct cmp_metric *m, size_t k, const struct cmp_opts *o)
{
	struct power_opts po = POWER_MDC_OPTS_DEFAULT;
	double pmin = 2 * exp(-gsl_sf_lnchoose(m->base.n + m->new.n, m->base.n));
	double mdc;

	k = k ? k : 1;
	if (o->no_mdc || m->mdc_k == k)
		return;
	m->mdc = NAN;
	m->mdc_k = k;
	m->notes &= ~NOTE_UNDETECTABLE;
	po.target = o->power;
	if (pmin >= o->alpha / k)
		m->mdc = INFINITY;
	else if (isfinite(m->cv_pooled) && m->base.median > 0 && !(m->notes & NOTE_NUMERIC) &&
		 !power_mdc_cv(m->cv_pooled, m->base.n, m->new.n, k, o, &po, &mdc))
		m->mdc = mdc;
	if (isinf(m->mdc))
		m->notes |= NOTE_UNDETECTABLE;
}

/* One Holm family: the metrics m[i] of family f among m[0..nm). */
static int finish_family(struct cmp_metric **m, size_t nm, enum cmp_family f,
			 const struct cmp_opts *o)
{
	double *p = calloc(nm ? nm : 1, sizeof(*p));
	size_t k = 0;
	int rc;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < nm; i++) {
		p[i] = cmp_family_of(m[i]) == f ? m[i]->mw.p : NAN;
		k += !isnan(p[i]);
	}
	rc = stats_holm(p, nm, p);
	for (size_t i = 0; !rc && i < nm; i++) {
		if (cmp_family_of(m[i]) != f)
			continue;
		m[i]->p_holm = p[i];
		set_mdc(m[i], k, o);
		m[i]->verdict = metric_verdict(m[i], o);
	}
	free(p);
	return rc;
}

static int finish_all(struct cmp_metric **m, size_t nm, const struct cmp_opts *o)
{
	int rc;

	gsl_quiet();
	rc = finish_family(m, nm, CMP_PRIMARY, o);
	return rc ? rc : finish_family(m, nm, CMP_EXPLORATORY, o);
}

int compare_finish(struct cmp_metric *m, size_t nm, const struct cmp_opts *o)
{
	struct cmp_metric **pm = calloc(nm ? nm : 1, sizeof(*pm));
	int rc;

	if (!pm)
		return -ENOMEM;
	for (size_t i = 0; i < nm; i++)
		pm[i] = &m[i];
	rc = finish_all(pm, nm, o);
	free(pm);
	return rc;
}

static void count_verdicts(struct comparison *c)
{
	memset(c->count, 0, sizeof(c->count));
	for (size_t i = 0; i < c->npair; i++)
		for (size_t j = 0; j < c->pair[i].nm; j++) {
			const struct cmp_metric *m = &c->pair[i].m[j];

			c->count[cmp_family_of(m)][m->verdict]++;
		}
}

int compare_adjust(struct comparison *c, size_t nc)
{
	struct cmp_metric **pm;
	size_t n = 0, k = 0;
	int rc;

	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < c[i].npair; j++)
			n += c[i].pair[j].nm;
	pm = calloc(n ? n : 1, sizeof(*pm));
	if (!pm)
		return -ENOMEM;
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < c[i].npair; j++)
			for (size_t l = 0; l < c[i].pair[j].nm; l++)
				pm[k++] = &c[i].pair[j].m[l];
	rc = finish_all(pm, n, nc ? &c[0].opts : NULL);
	for (size_t i = 0; i < nc; i++)
		count_verdicts(&c[i]);
	free(pm);
	return rc;
}

static bool wanted(const struct cmp_opts *o, const char *metric)
{
	return !o->metrics || fnmatch(o->metrics, metric, 0) == 0;
}

static int no_ok_runs(const struct pvb_results *r, const struct pvb_variant *v)
{
	char why[160];

	pvb_err("'%s': variant '%s' has no OK repetitions (%s)", r->path, v->name,
		v->nruns ? variant_excluded_str(v, why, sizeof(why)) : "no runs");
	return -EINVAL;
}

/* Unit, direction and primary mark of a metric from both runs: metrics_meta wins
 * over the name's suffix; opposite directions in the two files are an input error. */
static int pair_meta(const struct cmp_pair *p, struct cmp_metric *m)
{
	const struct pvb_results *b = p->base_run, *n = p->new_run;
	struct result_meta nm;

	results_metric_meta(b, m->name, &m->meta);
	m->primary = results_metric_primary(b, m->name);
	if (b == n)
		return 0;
	results_metric_meta(n, m->name, &nm);
	if (m->meta.from_file && nm.from_file && m->meta.better != nm.better) {
		pvb_err("metric '%s' is better %s in '%s' but %s in '%s': cannot compare it",
			m->name, metric_better_name(m->meta.better), b->path,
			metric_better_name(nm.better), n->path);
		return -EINVAL;
	}
	if (nm.from_file && !m->meta.from_file)
		m->meta = nm;
	/* primary when a file that marks primaries says so; all of them when neither does */
	if (b->marks_primary || n->marks_primary)
		m->primary = (b->marks_primary && results_metric_primary(b, m->name)) ||
			     (n->marks_primary && results_metric_primary(n, m->name));
	return 0;
}

/* Fills p->m with the metrics both sides have, in the base side's order. */
static int pair_metrics(struct cmp_pair *p, const struct cmp_opts *o)
{
	const struct pvb_variant *b = p->base, *n = p->new;
	int rc = 0;

	p->m = calloc(b->nseries ? b->nseries : 1, sizeof(*p->m));
	if (!p->m)
		return -ENOMEM;
	for (size_t i = 0; i < b->nseries && !rc; i++) {
		const struct pvb_series *sb = &b->series[i], *sn = variant_series(n, sb->metric);
		struct cmp_metric *m = &p->m[p->nm];

		if (!wanted(o, sb->metric))
			continue;
		if (!sn) {
			p->only_base++;
			continue;
		}
		m->name = sb->metric;
		rc = pair_meta(p, m);
		if (!rc)
			rc = compare_metric(sb->v, sb->n, sn->v, sn->n, o, m);
		p->nm += !rc;
	}
	for (size_t i = 0; i < n->nseries; i++)
		p->only_new +=
		    wanted(o, n->series[i].metric) && !variant_series(b, n->series[i].metric);
	return rc;
}

static int add_pair(struct comparison *c, const struct pvb_results *br, const struct pvb_variant *b,
		    const struct pvb_results *nr, const struct pvb_variant *n)
{
	struct cmp_pair *np = realloc(c->pair, (c->npair + 1) * sizeof(*np)), *p;

	if (!np)
		return -ENOMEM;
	c->pair = np;
	p = &c->pair[c->npair++];
	*p = (struct cmp_pair){.base_run = br, .new_run = nr, .base = b, .new = n};
	if (c->opts.lenient && (!b->nstatus[PVB_OK] || !n->nstatus[PVB_OK])) {
		c->npair--;
		c->skipped++;
		return 0;
	}
	if (!b->nstatus[PVB_OK])
		return no_ok_runs(br, b);
	if (!n->nstatus[PVB_OK])
		return no_ok_runs(nr, n);
	return pair_metrics(p, &c->opts);
}

/* Common checks once the pairs are built; one Holm family per kind over the
 * whole comparison, and the verdicts counted. */
static int finish(struct comparison *c, const char *what)
{
	size_t total = 0;
	int rc = compare_adjust(c, 1);

	if (rc)
		return rc;
	for (size_t i = 0; i < c->npair; i++)
		total += c->pair[i].nm;
	if (total || c->opts.lenient)
		return 0;
	if (c->opts.metrics)
		pvb_err("no common metric matches '%s' between %s", c->opts.metrics, what);
	else
		pvb_err("no common metrics between %s", what);
	return -EINVAL;
}

static int fail(struct comparison *c, int rc)
{
	if (rc == -ENOMEM)
		pvb_err("out of memory");
	comparison_free(c);
	return rc;
}

int compare_runs(const struct pvb_results *a, const struct pvb_results *b, const struct cmp_opts *o,
		 struct comparison *c)
{
	char what[600], ca[32], cb[32];
	int rc = 0;

	gsl_quiet();
	*c = (struct comparison){
	    .opts = *o, .emulated = a->emulated || b->emulated, .run = {a, b}};
	if (!results_same_clock(a, b) && !o->allow_mixed_clocks) {
		pvb_err("'%s' ran on the %s clock but '%s' on the %s clock: their figures are "
			"not comparable (--allow-mixed-clocks compares them anyway)",
			a->path, results_clock_str(a, ca, sizeof(ca)), b->path,
			results_clock_str(b, cb, sizeof(cb)));
		return -EINVAL;
	}
	if (a->nvar == 1 && b->nvar == 1)
		rc = add_pair(c, a, &a->var[0], b, &b->var[0]);
	for (size_t i = 0; !rc && (a->nvar != 1 || b->nvar != 1) && i < a->nvar; i++) {
		const struct pvb_variant *nv = results_variant(b, a->var[i].name);

		if (nv)
			rc = add_pair(c, a, &a->var[i], b, nv);
	}
	snprintf(what, sizeof(what), "'%s' and '%s'", a->path, b->path);
	if (!rc && !c->npair && !o->lenient && !c->skipped) {
		pvb_err("no common variants between %s", what);
		rc = -EINVAL;
	}
	if (!rc)
		rc = finish(c, what);
	return rc ? fail(c, rc) : 0;
}

int compare_variants(const struct pvb_results *r, const char *baseline, const struct cmp_opts *o,
		     struct comparison *c)
{
	const struct pvb_variant *b = baseline ? results_variant(r, baseline) : results_baseline(r);
	char what[600];
	int rc = 0;

	gsl_quiet();
	*c = (struct comparison){.opts = *o, .emulated = r->emulated, .run = {r, r}};
	if (!b) {
		if (o->lenient)
			return 0;
		pvb_err("'%s': no variant named '%s'", r->path, baseline ? baseline : "(any)");
		return -EINVAL;
	}
	if (r->nvar < 2) {
		if (o->lenient)
			return 0;
		pvb_err("'%s' has only variant '%s': compare needs two runs or two variants",
			r->path, b->name);
		return -EINVAL;
	}
	for (size_t i = 0; !rc && i < r->nvar; i++)
		if (&r->var[i] != b)
			rc = add_pair(c, r, b, r, &r->var[i]);
	snprintf(what, sizeof(what), "variant '%s' and the others in '%s'", b->name, r->path);
	if (!rc)
		rc = finish(c, what);
	return rc ? fail(c, rc) : 0;
}

void comparison_free(struct comparison *c)
{
	for (size_t i = 0; i < c->npair; i++)
		free(c->pair[i].m);
	free(c->pair);
	c->pair = NULL;
	c->npair = 0;
}

size_t cmp_count(const struct comparison *c, enum verdict v)
{
	return c->count[CMP_PRIMARY][v] + c->count[CMP_EXPLORATORY][v];
}

size_t cmp_count_gated(const struct comparison *c, enum verdict v)
{
	return c->count[CMP_PRIMARY][v] + (c->opts.gate_all ? c->count[CMP_EXPLORATORY][v] : 0);
}

int comparison_exit_status(const struct comparison *c)
{
	if (c->io_error)
		return 2;
	if (cmp_count_gated(c, V_WORSE))
		return 1;
	return cmp_count_gated(c, V_INCONCLUSIVE) ? 3 : 0;
}

const char *cmp_clock_name(const struct comparison *c, size_t nc)
{
	const struct pvb_results *first = NULL;

	for (size_t i = 0; i < nc; i++)
		for (int s = 0; s < 2; s++) {
			if (!c[i].run[s])
				continue;
			if (!first)
				first = c[i].run[s];
			else if (!results_same_clock(first, c[i].run[s]))
				return "mixed";
		}
	return first ? first->clock : "host";
}

const char *cmp_clock_line(char *buf, size_t len, const struct comparison *c, size_t nc)
{
	const char *name = cmp_clock_name(c, nc);
	const struct pvb_results *seen[64];
	size_t off, nseen = 0;

	if (!strcmp(name, "host")) {
		snprintf(buf, len, "Clock: host time (multi-threaded TCG or KVM): figures move with "
				   "host load.");
		return buf;
	}
	for (size_t i = 0; strcmp(name, "mixed") && i < nc; i++)
		for (int s = 0; s < 2; s++)
			if (c[i].run[s]) {
				snprintf(buf, len,
					 "Clock: instruction count (QEMU -icount shift=%d, sleep=off): "
					 "guest time is executed instructions x %d ns, idle time "
					 "skipped; figures measure CPU work along the I/O path and do "
					 "not move with host load; parallel speedup is not modelled.",
					 c[i].run[s]->icount_shift, 1 << c[i].run[s]->icount_shift);
				return buf;
			}
	off = snprintf(buf, len, "Clock: mixed (");
	for (size_t i = 0; i < nc; i++)
		for (int s = 0; s < 2; s++) {
			const struct pvb_results *r = c[i].run[s];
			char k[32];
			size_t j = 0;

			while (j < nseen && seen[j] != r)
				j++;
			if (!r || j < nseen || nseen == ARRAY_SIZE(seen) || off >= len)
				continue;
			seen[nseen++] = r;
			off += snprintf(buf + off, len - off, "%s%s: %s", nseen > 1 ? "; " : "",
					r->label, results_clock_str(r, k, sizeof(k)));
		}
	if (off < len)
		snprintf(buf + off, len - off,
			 "), compared only because of --allow-mixed-clocks: instruction-count "
			 "and host-time figures measure different things, so differences between "
			 "them are not measured changes.");
	return buf;
}

const char *cmp_side_label(const struct cmp_pair *p, int new_side, char *buf, size_t len)
{
	const struct pvb_results *r = new_side ? p->new_run : p->base_run;
	const struct pvb_variant *v = new_side ? p->new : p->base;

	if (p->base_run == p->new_run && !p->show_run)
		snprintf(buf, len, "%s", v->name);
	else
		snprintf(buf, len, "%s:%s", r->label, v->name);
	return buf;
}
