/* plan.h: from a loaded scenario to what runs. Variants x repetitions are expanded
 * into ordered steps grouped by boot (interleaved, seeded random or blocked), a
 * resumed run skips the (variant, rep) pairs already done, and each variant is
 * resolved into what the runner applies (command lines, xl config) and reads back
 * (evidence probes, expectations). The "scenario" and "variants" parts of
 * results.json (reports/results-schema.md) come from plan_results_json(). */
#ifndef PVBENCH_PLAN_H
#define PVBENCH_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "pvbench/scenario.h"
#include "pvbench/util.h"

enum plan_order {
	PLAN_INTERLEAVED, /* per round, each variant once: A B A B ... */
	PLAN_RANDOM,	  /* per round, each variant once, in seeded random order */
	PLAN_BLOCKED,	  /* all repetitions of A, then of B: A A A B B B */
};

/* A (variant, repetition) already measured, for --resume. */
struct plan_done {
	const char *variant;
	int rep;
};

/* Command-line choices; all-zero means "as the scenario says". */
struct plan_opts {
	const char *const *variants; /* --variant NAME (repeatable): only these */
	size_t n_variants;
	int reps;	   /* --reps N (1-1000); 0: scenario.repetitions */
	bool reps_auto;	   /* --reps auto: as scenario.repetitions = auto */
	int reps_per_boot; /* > 0: override; -1: all in one boot; 0: scenario's */
	bool quick;	   /* --quick: short runtime (fio_build_cmdline) */
	bool seed_set;	   /* --seed N: overrides scenario.seed */
	long seed;
	const struct plan_done *done; /* --resume: skip these; unknown pairs ignored */
	size_t n_done;
};

struct plan_step {
	size_t seq;	/* 1-based position in the full plan, stable across resume */
	size_t variant; /* index into scenario.variants */
	int rep;	/* 1-based repetition of that variant, in execution order */
	int boot;	/* 1-based boot number within this plan */
	size_t group;	/* boot configuration: variants with equal boot keys share one */
	bool new_boot;	/* first step of its boot */
	bool new_guest; /* the domU must be (re)created: new boot or new guest key */
};

struct plan {
	struct plan_step *steps; /* what is left to run, in order */
	size_t n_steps;
	size_t n_total;		 /* steps of the full plan */
	size_t n_skipped;	 /* steps dropped because they were done */
	int boots;		 /* boots `steps` need */
	size_t n_groups;	 /* boot configurations among the selected variants */
	size_t *variants;	 /* selected variant indices, file order */
	size_t n_variants;
	enum plan_order order;
	bool has_seed;		 /* seed was given or drawn (always for PLAN_RANDOM) */
	long seed;		 /* record it: the same seed gives the same order */
	int reps;
	bool sized;		 /* repetitions = auto: reps is the pilot (scenario.pilot);
				  * the runner plans the rest from it (power.h) */
	int reps_per_boot;	 /* effective; equals reps when one boot per group */
	bool quick;
};

/* Expands sc into p. Errors (-EINVAL: unknown --variant, reps out of range;
 * -ENOMEM) leave p empty and put one line in err (may be NULL), e.g.
 *   unknown variant 'x' in scenarios/blk-mq.ini (variants: 1q, 2q) */
int plan_build(const struct scenario *sc, const struct plan_opts *o, struct plan *p,
	       struct sbuf *err);
void plan_free(struct plan *p);
const char *plan_order_name(enum plan_order o);
/* One line, e.g. "blk-mq: 2 variants x 5 repetitions = 10 steps, interleaved, 1 boot",
 * then with `steps` one line per step: "  seq 1  boot 1  1q  rep 1". */
int plan_describe(const struct scenario *sc, const struct plan *p, bool steps,
		  struct sbuf *out);
/* New JSON objects for results.json: *scenario = {"file", "name", "description",
 * "text", "workload", "order", "seed", "repetitions", "params"} and *variants = [{"name",
 * "baseline", "overrides", "expect"}] for the selected variants. 0 or -ENOMEM. */
int plan_results_json(const struct scenario *sc, const struct plan *p, json_t **scenario,
		      json_t **variants);

/* Canonical text of everything of scope >= `scope` that v runs with: resolved
 * [machine]/[guest]/[workload] keys of that scope, then v's other overrides of that
 * scope sorted by key. Variants can share a boot iff their SCOPE_BOOT keys are equal
 * and a domU iff their SCOPE_GUEST keys are. v may be NULL. 0 or -ENOMEM. */
int variant_scope_key(const struct scenario *sc, const struct variant *v,
		      enum scenario_scope scope, struct sbuf *out);
/* Appends the extra command line words for domain d (space separated, no leading
 * space): machine.xen_cmdline_extra + xen.cmdline for DOM_XEN;
 * machine.dom0_cmdline_extra + dom0.cmdline + <module>.<param>=<value> for each
 * dom0.<module>.<param> for DOM_DOM0; guest.cmdline_extra + domU.cmdline + domU
 * parameters for DOM_DOMU. The runner adds them to its own base command line
 * (modprobe reads module parameters from /proc/cmdline). 0 or -ENOMEM. */
int variant_cmdline(const struct scenario *sc, const struct variant *v, enum scenario_domain d,
		    struct sbuf *out);
/* Appends "<key> = <value>\n" for each xl.<key> override of v, in file order. */
int variant_xl_config(const struct variant *v, struct sbuf *out);

/* A resolved evidence probe: what to read, in which domain. */
struct evidence_probe {
	enum scenario_domain where;
	enum evidence_kind kind;
	bool integer;
	char arg[256]; /* path, glob, regex or xenstore path, placeholders filled in */
};

/* Resolves an evidence name (as in expect.<name>) for the domU with id domid:
 * 0, -EINVAL (unknown name) or -ENAMETOOLONG. */
int evidence_probe(const char *name, int domid, struct evidence_probe *out);
/* True if the evidence read, `actual` (NULL: absent or not found; surrounding
 * whitespace ignored), meets `expected`: "absent" or an exact value, integers
 * compared as numbers ("02" meets "2"). */
bool expect_holds(const char *expected, const char *actual);

#endif
