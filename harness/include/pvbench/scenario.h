/* scenario.h: scenario files (INI, parsed with libinih): the key tables that drive
 * parsing, validation, `pvbench list --keys` and scenarios/README.md; the parsed
 * scenario with its variants, their overrides and their expectations; and what a
 * runner may read to prove a variant took effect (evidence names). plan.h turns a
 * scenario into steps and resolves variants into what the runner applies.
 *
 * A scenario file has the fixed sections [scenario], [machine], [guest] and
 * [workload] (keys from scenario_key_at()) and one [variant NAME] section per variant
 * (keys matching scenario_variant_keys()). Every value is checked when the file is
 * loaded: an unknown section or key, a bad value, a duplicate or a missing required
 * key is an error naming file:line and the key, and nothing is returned.
 *
 * Code: scenario_keys.c holds the tables and the rules across keys, scenario_check.c
 * the checks of one line (value syntax, messages), scenario.c the loader. */
#ifndef PVBENCH_SCENARIO_H
#define PVBENCH_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "pvbench/keys.h" /* struct scenario_key, its types and flags */
#include "pvbench/util.h"
#include "pvbench/workload.h" /* struct wl_values, struct workload_ops */

/* What changing a value costs between two steps of a plan. */
enum scenario_scope {
	SCOPE_RUN,   /* applied when the workload starts: workload.*, expectations */
	SCOPE_GUEST, /* the domU is recreated: guest.*, domU.*, xl.* */
	SCOPE_BOOT,  /* the whole machine reboots: machine.*, xen.cmdline, dom0.* */
};

/* Where a module parameter, command line or evidence lives. */
enum scenario_domain {
	DOM_XEN,
	DOM_DOM0,
	DOM_DOMU,
};


/* What a [variant NAME] key is: how it is checked and where the loader puts it. */
enum variant_key_kind {
	VK_BASELINE, /* baseline = true|false -> variant.baseline */
	VK_EXPECT,   /* expect.<name> -> variant.ex */
	VK_CMDLINE,  /* xen.cmdline, dom0.cmdline, domU.cmdline -> variant.ov */
	VK_PARAM,    /* dom0./domU.<module>.<param> -> variant.ov */
	VK_XL,	     /* xl.<key> -> variant.ov */
	VK_FIXED,    /* machine./guest./workload.<key> -> variant.ov */
};

/* One row of the [variant NAME] key table. `pattern` is either an exact key
 * ("baseline", "xen.cmdline") or a prefix followed by a <placeholder>
 * ("domU.<module>.<param>"). */
struct variant_key {
	const char *pattern;
	enum scenario_scope scope;
	enum variant_key_kind kind;
	const char *doc;
	const char *example;
};

/* A kernel module parameter a variant may set (domU.<module>.<param> or
 * dom0.<module>.<param>); applied as <module>.<param>=<value> on that domain's
 * kernel command line (modprobe reads it from /proc/cmdline). */
struct module_param {
	const char *module; /* "xen_blkfront" */
	const char *param;  /* "max_queues" */
	enum scenario_domain where;
	enum scenario_type type; /* ST_INT (range min..max) or ST_BOOL */
	long min, max;
	const char *def; /* the kernel's default, for the docs */
	const char *doc; /* with its source, e.g. "xen-blkfront.c:143" */
};

/* How a runner reads a piece of evidence (plan.h: evidence_probe()). */
enum evidence_kind {
	EV_COUNT,    /* number of entries matching the glob `arg` */
	EV_FILE,     /* contents of file `arg`, surrounding whitespace removed */
	EV_DMESG,    /* first capture group of POSIX ERE `arg` over dmesg (last match) */
	EV_XEN_DMESG, /* the same over Xen's console ring (`xl dmesg`, read in dom0) */
	EV_XENSTORE, /* xenstore-read `arg` (in dom0); "absent" if the key does not exist */
};

/* One row of the evidence-name table used by expect.<name>. A name is either exact
 * ("mq_queues") or a prefix ending in '.' followed by a key ("frontend.<key>"). */
struct evidence_name {
	const char *pattern; /* "mq_queues", "frontend.<key>" */
	enum scenario_domain where;
	enum evidence_kind kind;
	const char *arg; /* template: {domid}, {key}, {module}, {param} are replaced */
	bool integer;	 /* the expected value must be an integer */
	const char *doc;
};

struct variant_override {
	char *key;   /* as written: "domU.xen_blkfront.max_queues", "guest.vcpus" */
	char *value; /* validated; as written */
	int line;
	enum scenario_scope scope;
};

struct variant_expect {
	char *name;  /* evidence name without "expect.": "mq_queues" */
	char *value; /* expected value, or "absent" */
	int line;
};

struct variant {
	char *name; /* [A-Za-z0-9._-], 1-32 characters */
	bool baseline;
	int line; /* of the [variant NAME] header; 0 for the implicit variant */
	struct variant_override *ov;
	size_t n_ov;
	struct variant_expect *ex;
	size_t n_ex;
};

/* A loaded scenario. `value` and `line` are indexed like scenario_key_at(); use
 * scenario_get() rather than reading them. A file without [variant] sections has one
 * implicit baseline variant "default" with no overrides. */
struct scenario {
	char *path; /* as given to scenario_load() */
	char *text; /* the whole file, for results.json */
	size_t text_len;
	char **value; /* NULL: not set in the file */
	int *line;
	struct variant *variants;
	size_t n_variants;
	size_t baseline; /* index into variants */
};

#define SCENARIO_MAX_VARIANTS 64
#define SCENARIO_MAX_BYTES (1 << 20)

/* Loads and validates a scenario file. On error returns -errno (-EINVAL for any
 * problem in the file, -ENOENT etc. when it cannot be read), leaves *sc empty and
 * puts one line in err, without "error: " and without a newline, e.g.
 *   scenarios/x.ini:12: unknown key 'iodeth' in [workload] (did you mean 'iodepth'?)
 * err may be NULL. */
int scenario_load(const char *path, struct scenario *sc, struct sbuf *err);
/* Same, from memory; `name` stands for the file in messages. text need not be
 * NUL-terminated; a NUL byte in it is an error. */
int scenario_load_text(const char *name, const char *text, size_t len, struct scenario *sc,
		       struct sbuf *err);
void scenario_free(struct scenario *sc);

/* The value of a fixed key: as set in the file, else its default, else NULL (also
 * NULL for an unknown key). The pointer lives as long as sc. */
const char *scenario_get(const struct scenario *sc, const char *section, const char *key);
/* The same seen from variant v (NULL: the scenario): v's "section.key" override
 * if it has one. */
const char *variant_get(const struct scenario *sc, const struct variant *v, const char *section,
			const char *key);
/* Numeric value of a fixed key seen from v (may be NULL): ST_INT as is, ST_SIZE in
 * bytes, ST_DURATION in milliseconds, ST_BOOL as 0/1. 0, -ENOENT (unset or unknown
 * key) or -EINVAL (not a numeric type). */
int scenario_get_long(const struct scenario *sc, const struct variant *v, const char *section,
		      const char *key, long *out);
/* The same for a key that must be set (or have a default) and be numeric, as a
 * workload's keys do: 0, or -EINVAL whatever the reason it cannot be read. */
int scenario_need_long(const struct scenario *sc, const struct variant *v, const char *section,
		       const char *key, long *out);
/* Parses a value of a numeric type the way scenario files do: 0 or -EINVAL. */
int scenario_parse_long(enum scenario_type type, const char *s, long *out);

const struct variant *scenario_find_variant(const struct scenario *sc, const char *name);
/* v's override for key (exact match), or NULL. */
const char *variant_override(const struct variant *v, const char *key);
/* True if v has a SCOPE_BOOT override (xen.cmdline, dom0.cmdline, dom0.<module>.<param>,
 * machine.<key>): it cannot share a boot with a variant that has none. Plans group
 * variants by their boot key (plan.h: variant_scope_key()). */
bool variant_needs_reboot(const struct variant *v);

/* ---- checks, as the loader applies them (scenario_check.c, scenario_keys.c) ---- */

/* One `key = value` line as the checks see it. */
struct scenario_entry {
	const char *section; /* canonical: "workload", "variant 1q" */
	const char *key;     /* as written */
	const char *value;
	const char *workload; /* the scenario's workload: "fio", "iperf3" */
};

/* Checks a section name ("workload", "variant  1q") and puts its canonical form
 * ("variant 1q") in canon. 0 or -EINVAL with the reason in why, e.g. "unknown
 * section '[worklaod]' (did you mean 'workload'?)". Messages here have no file:line
 * and no "error: "; the loader adds "path:line: ". */
int scenario_check_section(const char *name, char *canon, size_t len, struct sbuf *why);
/* Checks e as key `name` of fixed section `section` (for a variant override,
 * e->key = "machine.vcpus", section = "machine", name = "vcpus"): the key exists for
 * e->workload and e->value is valid. The key's index (scenario_key_at()) or -EINVAL
 * with why, e.g. "invalid value '0' for 'iodepth' in [workload] (expected an integer
 * from 1 to 4096)". */
long scenario_check_fixed(const struct scenario_entry *e, const char *section, const char *name,
			  struct sbuf *why);
/* Checks a [variant NAME] line: *vk = its row, *rest = the part after the row's
 * fixed prefix ("mq_queues" of "expect.mq_queues"). 0 or -EINVAL with why. Whether
 * there is more than one baseline is the loader's business. */
int scenario_check_variant(const struct scenario_entry *e, const struct variant_key **vk,
			   const char **rest, struct sbuf *why);

/* Value syntax: scenario_value_ok() is what the file's value must pass for key k. */
bool scenario_value_ok(const struct scenario_key *k, const char *value);
bool scenario_is_name(const char *s); /* [A-Za-z0-9._-], 1-32 characters */
bool scenario_text_ok(const char *s); /* no control characters */
/* "<module>.<param>" (lower-case, digits, '_') split in two, each < len. */
bool scenario_split_param(const char *s, char *module, char *param, size_t len);

/* Lookups. scenario_key_index(): -1 if unknown. */
long scenario_key_index(const char *section, const char *name);
const struct module_param *scenario_module_param(const char *module, const char *param,
						 enum scenario_domain where);
/* The evidence row matching name (as in expect.<name>), with its variable part
 * checked; *rest gets that part ("multi-queue-num-queues"). NULL if unknown. */
const struct evidence_name *scenario_evidence_find(const char *name, const char **rest);
/* The [variant] key row matching key, *rest = its variable part; NULL if none. */
const struct variant_key *scenario_variant_key_match(const char *key, const char **rest);
/* True if xl.<key> is set by pvbench itself; *instead = the key to use (or NULL). */
bool scenario_xl_reserved(const char *key, const char **instead);
/* Rule i (see scenario_rule()) for variant v: 0 if it holds, else -EINVAL with msg
 * = what is wrong and *keys = the "section.key" names it involves (NULL-terminated),
 * so that the loader can point at the line that set one. */
int scenario_rule_check(size_t i, const struct scenario *sc, const struct variant *v,
			struct sbuf *msg, const char *const **keys);

/* The tables, for `pvbench list` and the README. Fixed keys are numbered 0 ..
 * scenario_n_keys() - 1: [scenario], [machine] and [guest] first, then each
 * workload's [workload] keys; scenario_key_at() is NULL past the end. */
size_t scenario_n_keys(void);
const struct scenario_key *scenario_key_at(size_t i);
const struct scenario_key *scenario_key_find(const char *section, const char *name);
const struct variant_key *scenario_variant_keys(size_t *n);
const struct module_param *scenario_module_params(size_t *n);
const struct evidence_name *scenario_evidence_names(size_t *n);
/* The values of variant v (NULL: the file's) as a workload reads them (workload.h):
 * the variant's override, else the file's value, else the key's default; into
 * *buf, returned. SCENARIO_VALUES(&sc, v) is the same as a call argument that lives
 * until the end of the enclosing block. */
const struct wl_values *scenario_values_in(struct wl_values *buf, const struct scenario *sc,
					   const struct variant *v);
#define SCENARIO_VALUES(sc, v) scenario_values_in(&(struct wl_values){ 0 }, (sc), (v))
/* [scenario] detect as a fraction ("2%" -> 0.02); -EINVAL if it is not a percentage
 * in (0, 100]. */
int scenario_detect(const struct scenario *sc, double *frac);
/* Whether metric m of workload wl answers the scenario's question: named in
 * [scenario] primary, or, when that is empty, in the workload's primary list. */
bool scenario_metric_primary(const struct scenario *sc, const struct workload_ops *wl,
			     const char *metric);
/* Cross-key rules checked after loading, one sentence each; NULL past the end. */
const char *scenario_rule(size_t i);
const char *scenario_type_name(enum scenario_type t);
const char *scenario_scope_name(enum scenario_scope s);
const char *scenario_domain_name(enum scenario_domain d);
/* Human form of a key's range/allowed values, as error messages word it: "an
 * integer from 1 to 4096", "one of pv, pvh". */
int scenario_key_expected(const struct scenario_key *k, struct sbuf *out);

#endif
