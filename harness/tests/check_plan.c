/* check_plan.c: tests of plan.c: variants x repetitions expanded in interleaved,
 * seeded random and blocked order, grouping by boot, --variant/--reps/resume, the
 * results.json parts, and the resolution of variants into command lines, xl config
 * and evidence probes. Run from the repository root. */
#include "pvbench/plan.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD "[scenario]\nname = t\n%s\n[workload]\nrw = randread\n" /* 3 repetitions */

static struct scenario sc;
static struct plan p;

/* Loads HEAD (with `extra` in [scenario]) followed by `variants`. */
static void load(const char *extra, const char *variants)
{
	struct sbuf t = { 0 }, err = { 0 };

	sb_printf(&t, HEAD "%s", extra, variants);
	ck_assert_msg(!scenario_load_text("t.ini", t.buf, t.len, &sc, &err), "%s", err.buf);
	sb_free(&t);
	sb_free(&err);
}

static void build(const struct plan_opts *o)
{
	struct sbuf err = { 0 };

	ck_assert_msg(!plan_build(&sc, o, &p, &err), "%s", err.buf);
	sb_free(&err);
}

static void teardown(void)
{
	plan_free(&p);
	scenario_free(&sc);
}

/* The steps as "name:rep name:rep ...". */
static const char *order_str(void)
{
	static char buf[1024];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p.n_steps && n < sizeof(buf) - 64; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s:%d", i ? " " : "",
			      sc.variants[p.steps[i].variant].name, p.steps[i].rep);
	return buf;
}

static const char two[] = "[variant a]\nexpect.mq_queues = 1\n[variant b]\n"
			  "domU.xen_blkfront.max_queues = 2\n";

/* ---- order ---- */

START_TEST(test_interleaved)
{
	load("", two);
	build(NULL);
	ck_assert_str_eq(order_str(), "a:1 b:1 a:2 b:2 a:3 b:3");
	ck_assert_uint_eq(p.n_total, 6);
	ck_assert_int_eq(p.boots, 1);
	ck_assert_int_eq(p.order, PLAN_INTERLEAVED);
	ck_assert(!p.has_seed);
	for (size_t i = 0; i < p.n_steps; i++) {
		ck_assert_uint_eq(p.steps[i].seq, i + 1);
		ck_assert_int_eq(p.steps[i].boot, 1);
		ck_assert(p.steps[i].new_boot == (i == 0));
		ck_assert(p.steps[i].new_guest); /* a and b differ in a domU parameter */
	}
}
END_TEST

/* repetitions = auto: the plan is the pilot (scenario.pilot), marked sized; an
 * explicit --reps wins; --reps auto sizes a fixed scenario. */
START_TEST(test_sized_pilot)
{
	struct plan_opts o = { .reps_auto = true };
	struct sbuf d = { 0 };

	load("repetitions = auto\npilot = 2", two);
	build(NULL);
	ck_assert(p.sized);
	ck_assert_str_eq(order_str(), "a:1 b:1 a:2 b:2");
	ck_assert_int_eq(plan_describe(&sc, &p, false, &d), 0);
	ck_assert_msg(strstr(d.buf, "2 pilot repetitions"), "%s", d.buf);
	sb_free(&d);
	plan_free(&p);
	build(&(struct plan_opts){ .reps = 4 });
	ck_assert(!p.sized);
	ck_assert_int_eq(p.reps, 4);
	teardown();
	load("", two);
	build(&o);
	ck_assert(p.sized);
	ck_assert_int_eq(p.reps, 3); /* the default pilot */
}
END_TEST

START_TEST(test_blocked)
{
	load("order = blocked", two);
	build(NULL);
	ck_assert_str_eq(order_str(), "a:1 a:2 a:3 b:1 b:2 b:3");
	ck_assert(p.steps[1].new_guest == false && p.steps[3].new_guest);
}
END_TEST

/* Variants that differ only in [workload] share the domU. */
START_TEST(test_same_guest)
{
	load("", "[variant a]\n[variant b]\nworkload.iodepth = 8\n");
	build(NULL);
	ck_assert(p.steps[0].new_guest);
	for (size_t i = 1; i < p.n_steps; i++)
		ck_assert(!p.steps[i].new_guest);
}
END_TEST

START_TEST(test_random_seeded)
{
	static const char three[] = "[variant a]\n[variant b]\n[variant c]\n";
	char first[1024];
	bool differs = false;

	load("order = random\nseed = 7\nrepetitions = 6", three);
	build(NULL);
	ck_assert(p.has_seed);
	ck_assert_int_eq(p.seed, 7);
	snprintf(first, sizeof(first), "%s", order_str());
	/* each round holds each variant once, repetitions counted in order */
	for (size_t r = 0; r < 6; r++) {
		unsigned seen = 0;

		for (size_t i = 0; i < 3; i++) {
			seen |= 1u << p.steps[r * 3 + i].variant;
			ck_assert_int_eq(p.steps[r * 3 + i].rep, (int)r + 1);
		}
		ck_assert_uint_eq(seen, 7);
	}
	differs |= strcmp(first, "a:1 b:1 c:1 a:2 b:2 c:2 a:3 b:3 c:3 "
				 "a:4 b:4 c:4 a:5 b:5 c:5 a:6 b:6 c:6");
	plan_free(&p);
	build(NULL);
	ck_assert_str_eq(order_str(), first); /* same seed, same order */
	ck_assert(differs);
}
END_TEST

START_TEST(test_random_seed_drawn)
{
	struct plan_opts o = { .seed_set = true };
	char first[1024];

	load("order = random", two);
	build(NULL);
	ck_assert(p.has_seed);
	ck_assert_int_ge(p.seed, 0);
	snprintf(first, sizeof(first), "%s", order_str());
	o.seed = p.seed;
	plan_free(&p);
	build(&o);
	ck_assert_str_eq(order_str(), first);
}
END_TEST

/* Different seeds give different orders (the shuffle is not a no-op). */
START_TEST(test_random_seeds_differ)
{
	struct plan_opts o = { .seed_set = true, .reps = 8 };
	char first[1024];
	int same = 0;

	load("order = random", two);
	o.seed = 1;
	build(&o);
	snprintf(first, sizeof(first), "%s", order_str());
	for (long s = 2; s < 12; s++) {
		plan_free(&p);
		o.seed = s;
		build(&o);
		same += !strcmp(first, order_str());
	}
	ck_assert_int_lt(same, 10);
}
END_TEST

/* ---- options ---- */

START_TEST(test_subset_and_reps)
{
	const char *only[] = { "b", "b" };
	struct plan_opts o = { .variants = only, .n_variants = 2, .reps = 2 };

	load("", two);
	build(&o);
	ck_assert_str_eq(order_str(), "b:1 b:2");
	ck_assert_uint_eq(p.n_variants, 1);
	ck_assert_uint_eq(p.variants[0], 1);
	ck_assert_int_eq(p.reps, 2);
}
END_TEST

START_TEST(test_option_errors)
{
	const char *only[] = { "a", "zz" };
	struct plan_opts o = { .variants = only, .n_variants = 2 };
	struct sbuf err = { 0 };

	load("", two);
	ck_assert_int_eq(plan_build(&sc, &o, &p, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "unknown variant 'zz' in t.ini (variants: a, b)");
	ck_assert_ptr_null(p.steps);
	sb_reset(&err);
	o = (struct plan_opts){ .reps = 1001 };
	ck_assert_int_eq(plan_build(&sc, &o, &p, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "invalid repetitions 1001 (expected 1 to 1000)");
	sb_free(&err);
}
END_TEST

START_TEST(test_resume)
{
	static const struct plan_done done[] = {
		{ "a", 1 }, { "b", 1 }, { "a", 2 }, { "zz", 1 }, { "b", 99 },
	};
	struct plan_opts o = { .done = done, .n_done = ARRAY_SIZE(done) };

	load("", two);
	build(&o);
	ck_assert_str_eq(order_str(), "b:2 a:3 b:3");
	ck_assert_uint_eq(p.n_skipped, 3);
	ck_assert_uint_eq(p.n_total, 6);
	ck_assert_uint_eq(p.steps[0].seq, 4);
	ck_assert(p.steps[0].new_boot);
	ck_assert_int_eq(p.boots, 1);
}
END_TEST

/* ---- boots ---- */

static const char boots[] = "[variant a]\n"
			    "[variant q1]\ndom0.xen_blkback.max_queues = 1\n"
			    "[variant g]\ndomU.xen_blkfront.max_queues = 1\n";

START_TEST(test_boot_groups)
{
	load("repetitions = 4\nreps_per_boot = 2", boots);
	build(NULL);
	ck_assert_uint_eq(p.n_groups, 2);
	ck_assert_str_eq(order_str(), "a:1 g:1 a:2 g:2 q1:1 q1:2 a:3 g:3 a:4 g:4 q1:3 q1:4");
	ck_assert_int_eq(p.boots, 4);
	ck_assert_int_eq(p.steps[4].boot, 2);
	ck_assert(p.steps[4].new_boot && p.steps[6].new_boot && !p.steps[5].new_boot);
	ck_assert_int_eq(p.steps[11].boot, 4);
}
END_TEST

START_TEST(test_boot_per_group)
{
	struct plan_opts o = { .reps_per_boot = -1 };

	load("repetitions = 2", boots);
	build(&o);
	ck_assert_str_eq(order_str(), "a:1 g:1 a:2 g:2 q1:1 q1:2");
	ck_assert_int_eq(p.boots, 2);
	plan_free(&p);
	build(NULL); /* reps_per_boot = 1 (default): a reboot per round */
	ck_assert_str_eq(order_str(), "a:1 g:1 q1:1 a:2 g:2 q1:2");
	ck_assert_int_eq(p.boots, 4);
}
END_TEST

START_TEST(test_describe)
{
	struct sbuf out = { 0 };

	load("repetitions = 2", boots);
	build(NULL);
	ck_assert_int_eq(plan_describe(&sc, &p, true, &out), 0);
	ck_assert_str_eq(out.buf, "t: 3 variants x 2 repetitions = 6 steps, interleaved, 4 boots\n"
				  "  seq 1  boot 1  a  rep 1\n"
				  "  seq 2  boot 1  g  rep 1\n"
				  "  seq 3  boot 2  q1  rep 1\n"
				  "  seq 4  boot 3  a  rep 2\n"
				  "  seq 5  boot 3  g  rep 2\n"
				  "  seq 6  boot 4  q1  rep 2\n");
	sb_free(&out);
}
END_TEST

/* ---- results.json ---- */

START_TEST(test_results_json)
{
	json_t *js, *jv, *v1;

	load("seed = 5", two);
	build(NULL);
	ck_assert_int_eq(plan_results_json(&sc, &p, &js, &jv), 0);
	ck_assert_str_eq(json_string_value(json_object_get(js, "name")), "t");
	ck_assert_str_eq(json_string_value(json_object_get(js, "file")), "t.ini");
	ck_assert_str_eq(json_string_value(json_object_get(js, "order")), "interleaved");
	ck_assert_int_eq(json_integer_value(json_object_get(js, "seed")), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(js, "repetitions")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(js, "params"), "rw")),
			 "randread");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(js, "params"), "bs")),
			 "4k");
	ck_assert_ptr_null(json_object_get(json_object_get(js, "params"), "size"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(js, "text")), "[variant b]"));
	ck_assert_uint_eq(json_array_size(jv), 2);
	ck_assert(json_is_true(json_object_get(json_array_get(jv, 0), "baseline")));
	v1 = json_array_get(jv, 1);
	ck_assert_str_eq(json_string_value(json_object_get(v1, "name")), "b");
	ck_assert(json_is_false(json_object_get(v1, "baseline")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v1, "overrides"),
							   "domU.xen_blkfront.max_queues")),
			 "2");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_array_get(jv, 0), "expect"), "mq_queues")),
			 "1");
	json_decref(js);
	json_decref(jv);
}
END_TEST

/* ---- resolving variants ---- */

static const struct variant *full(const char *name)
{
	struct sbuf err = { 0 };

	if (!sc.n_variants)
		ck_assert_msg(!scenario_load("harness/tests/data/scenarios/good/full.ini", &sc, &err),
			      "%s", err.buf);
	sb_free(&err);
	return scenario_find_variant(&sc, name);
}

static void cmdline_is(const char *variant, enum scenario_domain d, const char *want)
{
	struct sbuf out = { 0 };

	ck_assert_int_eq(variant_cmdline(&sc, full(variant), d, &out), 0);
	ck_assert_str_eq(out.buf ? out.buf : "", want);
	sb_free(&out);
}

START_TEST(test_cmdlines)
{
	struct sbuf out = { 0 };

	cmdline_is("dom0q1", DOM_XEN, "loglvl=all sched=credit2");
	cmdline_is("dom0q1", DOM_DOM0, "loglevel=7 xen.fifo_events=0 xen_blkback.max_queues=1");
	cmdline_is("dom0q1", DOM_DOMU, "quiet");
	cmdline_is("guest", DOM_DOMU,
		   "quiet loglevel=3 xen_blkfront.max_queues=1 xen_blkfront.feature_persistent=N");
	cmdline_is("guest", DOM_DOM0, "loglevel=7");
	ck_assert_int_eq(variant_xl_config(full("guest"), &out), 0);
	ck_assert_str_eq(out.buf, "max_grant_frames = 64\n");
	sb_free(&out);
}
END_TEST

static bool same_key(const char *a, const char *b, enum scenario_scope scope)
{
	struct sbuf ka = { 0 }, kb = { 0 };
	bool same;

	ck_assert_int_eq(variant_scope_key(&sc, full(a), scope, &ka), 0);
	ck_assert_int_eq(variant_scope_key(&sc, full(b), scope, &kb), 0);
	same = !strcmp(ka.buf, kb.buf);
	sb_free(&ka);
	sb_free(&kb);
	return same;
}

START_TEST(test_scope_keys)
{
	struct sbuf k = { 0 };

	ck_assert(same_key("base", "guest", SCOPE_BOOT));
	ck_assert(!same_key("base", "guest", SCOPE_GUEST));
	ck_assert(!same_key("base", "dom0q1", SCOPE_BOOT));
	ck_assert(!same_key("base", "bigger", SCOPE_BOOT));
	ck_assert(same_key("base", "base", SCOPE_RUN));
	variant_scope_key(&sc, full("dom0q1"), SCOPE_BOOT, &k);
	ck_assert_ptr_nonnull(strstr(k.buf, "machine.vcpus=4\n"));
	ck_assert_ptr_nonnull(strstr(k.buf, "dom0.cmdline=xen.fifo_events=0\n"
					    "dom0.xen_blkback.max_queues=1\nxen.cmdline="));
	ck_assert_ptr_null(strstr(k.buf, "guest."));
	sb_free(&k);
}
END_TEST

static const struct {
	const char *name;
	enum scenario_domain where;
	enum evidence_kind kind;
	const char *arg;
} probes[] = {
	{ "mq_queues", DOM_DOMU, EV_COUNT, "/sys/block/xvda/mq/*" },
	{ "blkback_queues", DOM_DOM0, EV_DMESG,
	  "xen-blkback: backend/vbd/7/51712: using ([0-9]+) queues" },
	{ "frontend.ring-page-order", DOM_DOM0, EV_XENSTORE,
	  "/local/domain/7/device/vbd/51712/ring-page-order" },
	{ "backend.feature-max-indirect-segments", DOM_DOM0, EV_XENSTORE,
	  "/local/domain/0/backend/vbd/7/51712/feature-max-indirect-segments" },
	{ "domU_param.xen_blkfront.max_queues", DOM_DOMU, EV_FILE,
	  "/sys/module/xen_blkfront/parameters/max_queues" },
	{ "dom0_param.xen_blkback.max_queues", DOM_DOM0, EV_FILE,
	  "/sys/module/xen_blkback/parameters/max_queues" },
	{ "queue.max_segments", DOM_DOMU, EV_FILE, "/sys/block/xvda/queue/max_segments" },
	{ "evtchn_abi", DOM_DOMU, EV_DMESG, "Using (FIFO-based|2-level) ABI" },
};

START_TEST(test_evidence_probe)
{
	struct evidence_probe ep;

	ck_assert_int_eq(evidence_probe(probes[_i].name, 7, &ep), 0);
	ck_assert_int_eq(ep.where, probes[_i].where);
	ck_assert_int_eq(ep.kind, probes[_i].kind);
	ck_assert_str_eq(ep.arg, probes[_i].arg);
}
END_TEST

START_TEST(test_evidence_errors)
{
	struct evidence_probe ep;

	ck_assert_int_eq(evidence_probe("mq_queue", 1, &ep), -EINVAL);
	ck_assert_int_eq(evidence_probe("frontend.", 1, &ep), -EINVAL);
	ck_assert_int_eq(evidence_probe("frontend.a b", 1, &ep), -EINVAL);
	ck_assert_int_eq(evidence_probe("domU_param.xen_blkback.max_queues", 1, &ep), -EINVAL);
	ck_assert_int_eq(evidence_probe("queue.../x", 1, &ep), -EINVAL);
}
END_TEST

START_TEST(test_expect_holds)
{
	ck_assert(expect_holds("absent", NULL));
	ck_assert(!expect_holds("absent", "0"));
	ck_assert(!expect_holds("2", NULL));
	ck_assert(expect_holds("2", " 2\n"));
	ck_assert(expect_holds("2", "02"));
	ck_assert(!expect_holds("2", "3"));
	ck_assert(expect_holds("Y", "Y\n"));
	ck_assert(!expect_holds("Y", "N"));
	ck_assert(!expect_holds("Y", "YY"));
	ck_assert(!expect_holds("1", ""));
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *order = tcase_create("order"), *opts = tcase_create("options");
	TCase *boot = tcase_create("boots"), *resolve = tcase_create("resolve");

	tcase_add_checked_fixture(order, NULL, teardown);
	tcase_add_test(order, test_interleaved);
	tcase_add_test(order, test_blocked);
	tcase_add_test(order, test_sized_pilot);
	tcase_add_test(order, test_same_guest);
	tcase_add_test(order, test_random_seeded);
	tcase_add_test(order, test_random_seed_drawn);
	tcase_add_test(order, test_random_seeds_differ);
	suite_add_tcase(s, order);

	tcase_add_checked_fixture(opts, NULL, teardown);
	tcase_add_test(opts, test_subset_and_reps);
	tcase_add_test(opts, test_option_errors);
	tcase_add_test(opts, test_resume);
	tcase_add_test(opts, test_results_json);
	suite_add_tcase(s, opts);

	tcase_add_checked_fixture(boot, NULL, teardown);
	tcase_add_test(boot, test_boot_groups);
	tcase_add_test(boot, test_boot_per_group);
	tcase_add_test(boot, test_describe);
	suite_add_tcase(s, boot);

	tcase_add_checked_fixture(resolve, NULL, teardown);
	tcase_add_test(resolve, test_cmdlines);
	tcase_add_test(resolve, test_scope_keys);
	tcase_add_loop_test(resolve, test_evidence_probe, 0, ARRAY_SIZE(probes));
	tcase_add_test(resolve, test_evidence_errors);
	tcase_add_test(resolve, test_expect_holds);
	suite_add_tcase(s, resolve);
	return s;
}

int main(void)
{
	return test_run_suite(plan_suite());
}
