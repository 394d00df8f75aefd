/* check_run.c: the runner without QEMU (harness/src/run/, run_int.h): domU slots,
 * evidence and expectations, the status of a repetition, and the results.json
 * record a step writes, driven through a fake struct run_io that answers the
 * commands the runner sends (matched by substring) and records them. */
#include "../src/run/run_int.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the fake machine ---- */

#define ANSWERS_MAX 16
static struct fake {
	struct {
		const char *match; /* a substring of the command */
		const char *out;   /* its stdout */
		int status;	   /* its exit status */
		int rc;		   /* the transport's answer: 0, -EPIPE, ... */
		bool timed_out;
	} answer[ANSWERS_MAX];
	size_t n_answers;
	struct sbuf log; /* every command, one per line: "dom<N>$ <cmd>" */
	int creates, destroys, create_rc[8];
	int next_domid;
} fk;

static void answer(const char *match, const char *out, int status)
{
	ck_assert_uint_lt(fk.n_answers, ANSWERS_MAX);
	fk.answer[fk.n_answers].match = match;
	fk.answer[fk.n_answers].out = out;
	fk.answer[fk.n_answers++].status = status;
}

static int fake_exec(struct run_state *st, int dom, const char *cmd, double timeout_s,
		     struct exec_result *r)
{
	(void)st;
	(void)timeout_s;
	memset(r, 0, sizeof(*r));
	sb_printf(&fk.log, "dom%d$ %s\n", dom, cmd);
	for (size_t i = fk.n_answers; i-- > 0;) /* the latest answer wins */
		if (strstr(cmd, fk.answer[i].match)) {
			sb_puts(&r->out, fk.answer[i].out);
			r->status = fk.answer[i].status;
			r->timed_out = fk.answer[i].timed_out;
			r->elapsed_s = 1.5;
			if (fk.answer[i].rc)
				snprintf(r->error, sizeof(r->error), "the link died");
			return fk.answer[i].rc;
		}
	r->status = 1; /* an unknown command fails, as a missing file would */
	return 0;
}

static int fake_create(struct run_state *st, const struct guest_cfg *c, struct guest *g)
{
	int rc = fk.create_rc[fk.creates < 8 ? fk.creates : 7];

	(void)st;
	fk.creates++;
	if (rc)
		return rc;
	snprintf(g->name, sizeof(g->name), "%s", c->name);
	g->domid = ++fk.next_domid;
	return 0;
}

static int fake_destroy(struct run_state *st, const struct guest *g)
{
	(void)st;
	(void)g;
	fk.destroys++;
	return 0;
}

static int fake_console(struct run_state *st, const struct guest *g, struct sbuf *out)
{
	(void)st;
	return sb_printf(out, "console of %s\n", g->name);
}

static const struct run_io fake_io = { fake_exec, fake_create, fake_destroy, fake_console };

/* ---- a run state on a scenario text ---- */

static const char *const INI =
	"[scenario]\nname = t\nrepetitions = 1\ntimeout = 60s\n"
	"[guest]\nmemory = 512\n"
	"[workload]\nrw = randread\nruntime = 2s\n"
	"[variant 1q]\ndomU.xen_blkfront.max_queues = 1\nexpect.mq_queues = 1\n"
	"[variant 2q]\ndomU.xen_blkfront.max_queues = 2\nexpect.mq_queues = 2\n"
	"[variant 2q-deep]\ndomU.xen_blkfront.max_queues = 2\nworkload.iodepth = 8\n";

static struct run_state st;
static struct run_opts opts;
static char dir[64];

static void setup(void)
{
	struct plan_opts po = { 0 };
	struct sbuf err = { 0 }, raw = { 0 };

	memset(&fk, 0, sizeof(fk));
	memset(&st, 0, sizeof(st));
	snprintf(dir, sizeof(dir), "/tmp/check_run.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	sb_printf(&raw, "%s/raw", dir);
	ck_assert_int_eq(mkdir_p(raw.buf), 0);
	sb_free(&raw);
	opts = (struct run_opts){ .outdir = dir };
	st.o = &opts;
	st.io = &fake_io;
	st.wfd = -1;
	st.jobs = 1;
	test_load_scenario(INI, &st.sc);
	st.wl = workload_find("fio");
	ck_assert_int_eq(plan_build(&st.sc, &po, &st.plan, &err), 0);
	st.res = results_begin(0, NULL);
	snprintf(st.path, sizeof(st.path), "%s/results.json", dir);
	results_plan(&st);
	st.up = true; /* the machine is "booted": steps of plan boot 1 need no boot */
	st.plan_boot = 1;
	st.boot_no = 1;
}

static void teardown(void)
{
	char cmd[128];

	slots_reset(&st);
	json_decref(st.res);
	plan_free(&st.plan);
	scenario_free(&st.sc);
	sb_free(&fk.log);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const struct variant *variant(const char *name)
{
	const struct variant *v = scenario_find_variant(&st.sc, name);

	ck_assert_ptr_nonnull(v);
	return v;
}

/* ---- slots ---- */

START_TEST(test_slot_reused_per_guest_key)
{
	struct slot *a, *b, *c;
	const char *setup_a, *setup_b, *setup_c;

	ck_assert_int_eq(slot_get(&st, variant("2q"), "", &a, &setup_a), 0);
	ck_assert_str_eq(setup_a, "new domU");
	ck_assert_str_eq(a->g.name, "pvbench-domU1");
	ck_assert_str_eq(a->ip, "10.0.0.2");
	/* 2q-deep differs from 2q in a workload key only: the same domU serves it */
	ck_assert_int_eq(slot_get(&st, variant("2q-deep"), "", &b, &setup_b), 0);
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(setup_b, "same domU");
	/* 1q differs in a domU module parameter: a domU of its own */
	ck_assert_int_eq(slot_get(&st, variant("1q"), "", &c, &setup_c), 0);
	ck_assert_ptr_ne(a, c);
	ck_assert_str_eq(setup_c, "new domU");
	/* a peer of 2q is a second domU */
	ck_assert_int_eq(slot_get(&st, variant("2q"), "peer", &b, &setup_b), 0);
	ck_assert_ptr_ne(a, b);
	ck_assert_int_eq(fk.creates, 3);
	ck_assert_int_eq(fk.destroys, 0);
	/* a broken domU is destroyed and created again before its next use */
	a->broken = true;
	ck_assert_int_eq(slot_get(&st, variant("2q"), "", &b, &setup_b), 0);
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(setup_b, "new domU");
	ck_assert_int_eq(fk.creates, 4);
	ck_assert_int_eq(fk.destroys, 1);
}
END_TEST

START_TEST(test_slot_lru_and_room)
{
	struct sbuf key = { 0 };
	struct slot *sl;
	bool create;
	const char *setup;

	for (int i = 0; i < MAX_GUESTS; i++) {
		st.slots[i].up = true;
		st.slots[i].last_used = 10 - i; /* slot 3 is the least recently used */
		sb_printf(&st.slots[i].key, "k%d", i);
	}
	sb_puts(&key, "k1");
	ck_assert_ptr_eq(slot_for(&st, &key, &create), &st.slots[1]);
	ck_assert(!create);
	sb_reset(&key);
	sb_puts(&key, "other");
	ck_assert_ptr_eq(slot_for(&st, &key, &create), &st.slots[3]);
	ck_assert(create);
	sb_free(&key);
	/* Xen short of memory (-EIO): the other domUs go, then one more try */
	slots_reset(&st);
	ck_assert_int_eq(slot_get(&st, variant("1q"), "", &sl, &setup), 0);
	fk.create_rc[1] = -EIO;
	ck_assert_int_eq(slot_get(&st, variant("2q"), "", &sl, &setup), 0);
	ck_assert_int_eq(fk.creates, 3);
	ck_assert_int_eq(fk.destroys, 1);
	ck_assert(sl->up);
	ck_assert(!st.slots[0].up);
}
END_TEST

/* ---- evidence ---- */

START_TEST(test_param_canonical)
{
	ck_assert_str_eq(evidence_param_canonical("1", "Y"), "Y");
	ck_assert_str_eq(evidence_param_canonical("off", "N"), "N");
	ck_assert_str_eq(evidence_param_canonical("yes", "N"), "Y");
	ck_assert_str_eq(evidence_param_canonical("2", "2"), "2");
	ck_assert_str_eq(evidence_param_canonical("1", NULL), "1");
}
END_TEST

START_TEST(test_evidence_holds)
{
	json_t *checks;

	answer("/sys/block/xvda/mq/*", "2\n", 0);
	answer("/sys/module/xen_blkfront/parameters/max_queues", "2\n", 0);
	ck_assert_int_eq(slot_measured(&st, variant("2q")), 0);
	ck_assert(st.cur->valid);
	checks = json_object_get(st.cur->evidence, "checks");
	ck_assert_uint_eq(json_array_size(checks), 2); /* expect.mq_queues, the parameter */
	ck_assert(json_is_true(json_object_get(json_array_get(checks, 0), "ok")));
	ck_assert(json_is_true(json_object_get(json_array_get(checks, 1), "implicit")));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(st.cur->evidence, "values"), "mq_queues")),
			 "2");
	/* every workload evidence name was read in the new domU, once */
	for (const char *const *e = st.wl->evidence; *e; e++)
		ck_assert(json_object_get(json_object_get(st.cur->evidence, "values"), *e));
	ck_assert_ptr_nonnull(strstr(fk.log.buf, "dom1$ ls -d /sys/block/xvda/mq/*"));
	/* the same variant again: the same domU, its evidence not read again */
	sb_reset(&fk.log);
	ck_assert_int_eq(slot_measured(&st, variant("2q")), 0);
	ck_assert_uint_eq(fk.log.len, 0);
}
END_TEST

START_TEST(test_evidence_fails_invalid)
{
	answer("/sys/block/xvda/mq/*", "1\n", 0);
	answer("/sys/module/xen_blkfront/parameters/max_queues", "2\n", 0);
	ck_assert_int_eq(slot_measured(&st, variant("2q")), 0);
	ck_assert(!st.cur->valid);
	ck_assert_str_eq(st.cur->invalid_why,
			 "expect.mq_queues = 2, but the running system shows 1");
}
END_TEST

/* ---- a whole step: status and record ---- */

static json_t *last_run(void)
{
	json_t *runs = json_object_get(st.res, "runs");

	ck_assert_uint_gt(json_array_size(runs), 0);
	return json_array_get(runs, json_array_size(runs) - 1);
}

static const char *step(const char *var)
{
	for (size_t i = 0; i < st.plan.n_steps; i++)
		if (!strcmp(st.sc.variants[st.plan.steps[i].variant].name, var)) {
			run_step(&st, &st.plan.steps[i]);
			return json_string_value(json_object_get(last_run(), "status"));
		}
	ck_abort_msg("no step of %s", var);
	return NULL;
}

START_TEST(test_step_ok)
{
	char *fio = test_data("harness/tests/data/fio/", "randread.json", NULL);
	json_t *run, *saved;
	json_error_t je;
	char rel[128];

	answer("/sys/block/xvda/mq/*", "1\n", 0);
	answer("/sys/module/xen_blkfront/parameters/max_queues", "1\n", 0);
	answer("fio --name=pvbench", fio, 0);
	ck_assert_str_eq(step("1q"), "OK");
	run = last_run();
	ck_assert_str_eq(json_string_value(json_object_get(run, "guest_setup")), "new domU");
	ck_assert(json_number_value(json_object_get(json_object_get(run, "metrics"),
						    "read_iops")) > 0);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(run, "command")),
				     "--runtime=2s"));
	ck_assert(json_is_object(json_object_get(run, "evidence")));
	ck_assert_double_eq(json_number_value(json_object_get(run, "measure_s")), 1.5);
	/* the raw output and results.json are on disk when the step returns */
	saved = json_load_file(st.path, 0, &je);
	ck_assert_ptr_nonnull(saved);
	ck_assert_uint_eq(json_array_size(json_object_get(saved, "runs")), 1);
	json_decref(saved);
	free(fio);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_array_get(json_object_get(run, "raw"), 0)),
				     "-1q-1.fio.json"));
	snprintf(rel, sizeof(rel), "/%s",
		 json_string_value(json_array_get(json_object_get(run, "raw"), 0)));
	fio = test_data(dir, rel, NULL);
	ck_assert_ptr_nonnull(strstr(fio, "\"jobs\""));
	free(fio);
	ck_assert_int_eq(st.failed, 0);
}
END_TEST

START_TEST(test_step_statuses)
{
	answer("/sys/block/xvda/mq/*", "1\n", 0);
	answer("/sys/module/xen_blkfront/parameters/max_queues", "1\n", 0);
	/* a parser error is FAIL with the reason, and the domU is recreated next time */
	answer("fio --name=pvbench", "not json", 0);
	ck_assert_str_eq(step("1q"), "FAIL");
	ck_assert_ptr_nonnull(
		strstr(json_string_value(json_object_get(last_run(), "reason")), "fio exit 0"));
	ck_assert(json_is_string(json_object_get(last_run(), "console_excerpt")));
	ck_assert(st.cur->broken);
	/* a timeout is TIMEOUT */
	answer("fio --name=pvbench", "", 0);
	fk.answer[fk.n_answers - 1].timed_out = true;
	ck_assert_str_eq(step("1q"), "TIMEOUT");
	ck_assert_str_eq(json_string_value(json_object_get(last_run(), "guest_setup")),
			 "new domU");
	/* the machine died: CRASH, and the next step boots afresh */
	answer("fio --name=pvbench", "", 0);
	fk.answer[fk.n_answers - 1].rc = -EPIPE;
	st.m.dead = true; /* what machine_exec leaves behind when QEMU is gone */
	ck_assert_str_eq(step("1q"), "CRASH");
	ck_assert(!st.up);
	ck_assert_int_eq(st.failed, 3);
	/* an unmet expectation: INVALID, and the workload does not run */
	st.up = true;
	st.m.dead = false;
	sb_reset(&fk.log);
	ck_assert_str_eq(step("2q"), "INVALID");
	ck_assert_ptr_null(strstr(fk.log.buf, "fio --name"));
	ck_assert_int_eq(st.failed, 4);
	ck_assert_int_eq(pvb_status_parse("INVALID"), PVB_INVALID);
}
END_TEST

/* xenwatch runs in dom0 alone: no domU is created, dom0's evidence stands in. */
START_TEST(test_step_dom0_only)
{
	struct sbuf ini = { 0 };
	struct plan_opts po = { 0 };
	struct sbuf err = { 0 };

	teardown();
	setup();
	plan_free(&st.plan);
	scenario_free(&st.sc);
	sb_puts(&ini, "[scenario]\nname = x\nworkload = xenwatch\nrepetitions = 1\n"
		      "[variant a]\n[variant b]\ndom0.xen.fifo_events = 0\n");
	test_load_scenario(ini.buf, &st.sc);
	sb_free(&ini);
	st.wl = workload_find("xenwatch");
	ck_assert_int_eq(plan_build(&st.sc, &po, &st.plan, &err), 0);
	answer("pvbench-xenwatch", "{}", 0);
	ck_assert_str_eq(step("a"), "FAIL"); /* "{}" is not xenwatch's output */
	ck_assert_int_eq(fk.creates, 0);
	ck_assert_str_eq(json_string_value(json_object_get(last_run(), "guest_setup")), "no domU");
	ck_assert_ptr_nonnull(strstr(fk.log.buf, "dom0$ pvbench-xenwatch"));
	sb_free(&err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("run");
	TCase *slots = tcase_create("slots"), *ev = tcase_create("evidence"),
	      *steps = tcase_create("steps");

	tcase_add_checked_fixture(slots, setup, teardown);
	tcase_add_checked_fixture(ev, setup, teardown);
	tcase_add_checked_fixture(steps, setup, teardown);
	tcase_add_test(slots, test_slot_reused_per_guest_key);
	tcase_add_test(slots, test_slot_lru_and_room);
	tcase_add_test(ev, test_param_canonical);
	tcase_add_test(ev, test_evidence_holds);
	tcase_add_test(ev, test_evidence_fails_invalid);
	tcase_add_test(steps, test_step_ok);
	tcase_add_test(steps, test_step_statuses);
	tcase_add_test(steps, test_step_dom0_only);
	suite_add_tcase(s, slots);
	suite_add_tcase(s, ev);
	suite_add_tcase(s, steps);
	return test_run_suite(s);
}
