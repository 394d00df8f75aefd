/* results_load.h: reads a run's results.json (schema pvbench-results/1, see
 * reports/results-schema.md) into per-variant, per-metric samples for `compare` and
 * `report`. Only OK repetitions contribute samples; every other status is counted
 * per variant so that outputs can say what was excluded. Strings point into the
 * parsed JSON document (root) and live until results_free(). */
#ifndef PVBENCH_RESULTS_LOAD_H
#define PVBENCH_RESULTS_LOAD_H

#include "pvbench/metrics.h"
#include "pvbench/status.h" /* enum pvb_status: the status of each repetition */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define PVB_RESULTS_SCHEMA "pvbench-results/1"

/* A loaded metric's unit and direction (enum metric_better, metrics.h): UNKNOWN when
 * neither metrics_meta nor the name's unit suffix says. */
struct result_meta {
	const char *unit; /* "IO/s", "ns", ... ("" when unknown) */
	enum metric_better better;
	bool from_file; /* direction came from results.json metrics_meta */
};
const char *metric_better_name(enum metric_better b); /* "higher", "lower", "unknown" */

/* The OK samples of one metric in one variant, in file order; rep[i] is the
 * repetition number of v[i]. */
struct pvb_series {
	const char *metric;
	double *v;
	int *rep;
	size_t n;
};

struct pvb_variant {
	const char *name;
	bool baseline;
	size_t nruns;		     /* repetitions of any status */
	size_t nstatus[PVB_NSTATUS]; /* repetitions per status */
	struct pvb_series *series;
	size_t nseries;
};

struct pvb_results {
	char *path;	/* the results.json file */
	char *dir;	/* the run directory holding it */
	char label[64]; /* short name: the run directory's (or file's) base name */
	json_t *root;	/* the whole document */
	struct pvb_variant *var;
	size_t nvar;
	bool emulated;	 /* environment.emulated (TCG) */
	size_t nignored; /* metric values that were not numbers */
	/* environment.clock: "icount" (QEMU -icount, guest time counts executed
	 * instructions) or "host"; a file without it ran under multi-threaded TCG or
	 * KVM and reads as "host". icount_shift: environment.icount_shift (guest ns per
	 * instruction = 2^shift), -1 when absent or not icount. */
	char clock[16];
	int icount_shift;
	bool marks_primary; /* some metrics_meta entry has "primary": true */
};

/* Loads path: a results.json file or a run directory containing one. Prints one
 * git-style error line and returns -errno (-ENOENT, -EINVAL for malformed JSON,
 * a wrong schema or shape, -ENOMEM). */
int results_load(const char *path, struct pvb_results *r);
void results_free(struct pvb_results *r);

/* metrics_meta.<metric>.primary: whether the metric answers the run's question
 * (compare's verdict and exit status come from primary metrics); true for every
 * metric of a file that marks none primary (older files, fixtures). */
bool results_metric_primary(const struct pvb_results *r, const char *metric);

/* Whether a and b ran on the same clock: same environment.clock and, for icount,
 * the same shift. */
bool results_same_clock(const struct pvb_results *a, const struct pvb_results *b);
/* "icount shift=3" or "host" into buf (returned). */
const char *results_clock_str(const struct pvb_results *r, char *buf, size_t len);

const struct pvb_variant *results_variant(const struct pvb_results *r, const char *name);
/* The variant marked "baseline": true, else the first; NULL when there are none. */
const struct pvb_variant *results_baseline(const struct pvb_results *r);
const struct pvb_series *variant_series(const struct pvb_variant *v, const char *metric);
/* Repetitions that are not OK (SKIP, INVALID, FAIL, TIMEOUT, CRASH, other). */
size_t variant_excluded(const struct pvb_variant *v);
/* "1 INVALID, 2 CRASH" into buf ("none" when nothing was excluded). */
const char *variant_excluded_str(const struct pvb_variant *v, char *buf, size_t len);

/* Unit and direction of a metric: metrics_meta when it has them, otherwise the
 * name's unit suffix (_iops, _bytes_per_s, _bits_per_s, _per_s higher is better;
 * _ns, _us, _ms, _s, _pct lower is better). */
void results_metric_meta(const struct pvb_results *r, const char *metric, struct result_meta *m);

/* Small JSON accessors for untrusted documents: NULL / def when absent or of
 * another type. */
const char *rj_str(const json_t *obj, const char *key);
double rj_num(const json_t *obj, const char *key, double def);

#endif
