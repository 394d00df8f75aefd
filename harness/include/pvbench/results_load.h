/* results_load.h: reads a run's results.json (schema pvbench-results/1, see
 * reports/results-schema.md) into the one model that `compare` and `report` read:
 * per-variant, per-metric samples of the OK repetitions (every other status counted
 * per variant, so that outputs can say what was excluded), and everything a report
 * shows: the tool, the environment, the scenario, the design, the variants and their
 * overrides, every repetition's record (status, reason, evidence, conformance,
 * series, console excerpt) and the boots. `compare` and `report` read results.json
 * through this model only.
 *
 * The file is untrusted: a field that is absent or of another type than the schema's
 * is NULL (strings), NAN (numbers) or empty (lists), never an error, unless this
 * header says otherwise. Strings point into the parsed JSON document (root) or into
 * allocations of r; all live until results_free(). */
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
	bool listed;	/* metrics_meta has an entry for the metric */
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

/* One key of a JSON object and its value as text: a string as it is, a number as
 * "%.15g", anything else as compact JSON ("null", "[1,2]"). In a flattened object
 * the members of nested objects are keys "outer.inner" instead. */
struct pvb_kv {
	const char *key, *value;
	bool is_string; /* the value was a JSON string */
};
struct pvb_kvs {
	struct pvb_kv *kv;
	size_t n;
};
/* The entry called key, or NULL. */
const struct pvb_kv *pvb_kvs_find(const struct pvb_kvs *kvs, const char *key);

struct pvb_variant {
	const char *name;
	bool baseline;
	size_t nruns;		     /* repetitions of any status */
	size_t nstatus[PVB_NSTATUS]; /* repetitions per status */
	struct pvb_series *series;
	size_t nseries;
	/* variants[].overrides and .expect (not flattened; empty for a variant that
	 * only occurs in runs); the first entry of that name in "variants" */
	struct pvb_kvs overrides, expect;
};

/* One expectation checked on a repetition (evidence.checks[]). */
struct pvb_check {
	const char *key, *expected, *actual;
	bool ok; /* "ok": true */
};

/* One check of scenario.conform (evidence.conformance.checks[], schema
 * pvbench-conform/1); result is "pass", "fail", "skip", ... as written. */
struct pvb_conform_check {
	const char *name, *subject, *level, *result, *source, *expected, *actual;
};

struct pvb_conformance {
	bool present;	 /* evidence.conformance is there (of any type) */
	bool has_checks; /* its "checks" is an array: check[0..ncheck) */
	struct pvb_conform_check *check;
	size_t ncheck;
	/* its summary's counts (0 when absent or not integers) */
	long long must_pass, must_fail, should_pass, should_fail, skip;
};

/* Entries of a repetition's series read at most (a longer array is not loaded:
 * usable false); iperf3_parse_json's own limit. */
#define PVB_SERIES_MAX_POINTS 100000

/* One entry of a repetition's "series": a reporting interval (iperf3: start, end,
 * bits_per_second, omitted) or a rate point (httperf: offered_rate, num_calls,
 * reply_rate); which, the workload says (workload.h, charts). Numbers that are
 * absent, not numbers or not finite are NAN, except num_calls: 1 when absent. */
struct pvb_point {
	double start, end, bits_per_second;
	double offered_rate, num_calls, reply_rate;
	signed char omitted; /* 1 true, 0 false, -1 absent or not a boolean */
};

struct pvb_run_series {
	bool present; /* the repetition has a "series" (of any type) */
	bool usable;  /* an array of at most PVB_SERIES_MAX_POINTS entries: pt[0..n) */
	struct pvb_point *pt;
	size_t n;
};

/* One repetition's record (runs[]), in file (plan) order. */
struct pvb_run {
	const char *variant; /* never NULL: results_load refuses a run without one */
	enum pvb_status status;
	const char *status_text; /* "status" as written: NULL when absent */
	double rep, seq;	 /* 0 when absent or not numbers */
	double boot;		 /* NAN when absent */
	const char *reason, *command, *guest, *guest_setup, *started_at, *console_excerpt;
	double duration_s, measure_s;
	struct pvb_check *check; /* evidence.checks */
	size_t ncheck;
	struct pvb_kvs values; /* evidence.values, flattened */
	/* evidence.log_lines in order; entries that are not strings are NULL */
	const char **log_line;
	size_t nlog;
	struct pvb_conformance conformance;
	struct pvb_run_series series;
};

/* One stage a boot reached (boots[].timeline, its numeric members). */
struct pvb_stage {
	const char *name;
	double s; /* seconds since QEMU start */
};

struct pvb_boot {
	double boot; /* "boot", else its 1-based position in "boots" */
	enum pvb_status status;
	const char *status_text;
	const char **variant; /* the variants it ran (strings of "variants") */
	size_t nvariant;
	struct pvb_stage *stage; /* in file order */
	size_t nstage;
};

/* scenario (the run's copy of its scenario file). */
struct pvb_scenario {
	const char *file, *name, *description, *text, *workload, *order;
	double seed;
	double repetitions;	     /* NAN when not a number: then repetitions_word */
	const char *repetitions_word; /* "auto" */
	struct pvb_kvs params;	     /* not flattened */
};

/* One pilot CV of design.pilot_cv_pct ({variant: {metric: cv}}). */
struct pvb_design_cv {
	const char *variant, *metric;
	double cv_pct;
};

/* "design": how a run with repetitions = auto was sized after its pilot
 * (reports/results-schema.md). */
struct pvb_design {
	bool present; /* "design" is an object; every other field only then */
	double repetitions; /* NAN when not a number: then repetitions_word */
	const char *repetitions_word;
	double pilot, planned_reps, detect_pct, power, family, max_repetitions, max_minutes;
	const char *capped_by, *plan;
	struct pvb_design_cv *cv;
	size_t ncv;
};

/* environment, beyond the clock (struct pvb_results). */
struct pvb_environment {
	struct pvb_kvs all; /* every member, flattened */
	const char *accel, *accel_reason, *clock_reason, *clock_note, *commit;
	double jobs;
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

	/* top level */
	const char *command, *started_at, *finished_at;
	bool complete; /* "complete": true */
	const char *tool_name, *tool_version, *tool_commit;
	struct pvb_kvs tool; /* "tool", flattened under "tool." */
	struct pvb_environment env;
	struct pvb_scenario scenario;
	struct pvb_design design;
	struct pvb_run *run; /* every repetition, any status, in file order */
	size_t nrun;
	struct pvb_boot *boot;
	size_t nboot;
	void **owned; /* allocations of the model above, freed by results_free */
	size_t nowned;
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
