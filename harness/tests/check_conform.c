/* check_conform.c: tests of the conformance rule engine (pvbench/conform.h) on the
 * xenstore dumps, xl dmesg dumps and ps output cut from a real Xen 4.17 / Linux 6.1
 * run (harness/tests/data/conform/README.md): every rule passes or skips on them; on
 * each edited copy (make-bad.sh) the rule it breaks fails. Also the xenstore-ls and
 * watcher-log parsers' errors, the transition table, and the exact TAP text and JSON
 * shape of a small result set. Run from the repository root. */
#include "pvbench/conform.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/conform/"
#define VBD_FRONT "/local/domain/1/device/vbd/51712"
#define VBD_BACK "/local/domain/0/backend/vbd/1/51712"
#define VIF_FRONT "/local/domain/1/device/vif/0"
#define VIF_BACK "/local/domain/0/backend/vif/1/0"

static struct conform_results res;
static struct sbuf err;

static void setup(void)
{
	memset(&res, 0, sizeof(res));
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	conform_results_free(&res);
	sb_free(&err);
}

static char *slurp(const char *name)
{
	return test_data(DATA, name, NULL);
}

static void load_dir(const char *file, const char *prefix, struct xs_dir *d)
{
	char *t = slurp(file);

	memset(d, 0, sizeof(*d));
	ck_assert_msg(!xs_dump_parse(t, strlen(t), prefix, d, &err), "%s: %s", file,
		      err.buf ? err.buf : "");
	free(t);
}

static const struct conform_result *find(const char *name)
{
	for (size_t i = 0; i < res.n; i++)
		if (!strcmp(res.v[i].name, name))
			return &res.v[i];
	ck_abort_msg("no result '%s'", name);
	return NULL;
}

static void assert_no_fail(const char *what)
{
	for (size_t i = 0; i < res.n; i++)
		ck_assert_msg(res.v[i].result != CONF_FAIL,
			      "%s: %s failed: expected %s, actual %s (%s)", what, res.v[i].name,
			      res.v[i].expected, res.v[i].actual, res.v[i].detail);
	ck_assert(conform_exit_ok(&res));
}

static void run_vbd(const char *front, const char *back)
{
	struct xs_dir f, b;

	load_dir(front, VBD_FRONT, &f);
	load_dir(back, VBD_BACK, &b);
	conform_check_vbd(&f, &b, "vbd/51712", &res);
	xs_dir_free(&f);
	xs_dir_free(&b);
}

static void run_vif(const char *front, const char *back)
{
	struct xs_dir f, b;

	load_dir(front, VIF_FRONT, &f);
	load_dir(back, VIF_BACK, &b);
	conform_check_vif(&f, &b, "vif/0", &res);
	xs_dir_free(&f);
	xs_dir_free(&b);
}

/* ---- xenstore-ls -f ---- */

START_TEST(test_xs_parse_real)
{
	struct xs_dir d;
	unsigned long long v;

	load_dir("vif-0-front.txt", VIF_FRONT, &d);
	ck_assert_uint_eq(d.n, 25); /* 26 lines, less the directory node itself */
	ck_assert_str_eq(xs_get(&d, "queue-1/event-channel-rx"), "19");
	ck_assert_str_eq(xs_get(&d, "queue-0"), "");
	ck_assert_str_eq(xs_get(&d, "mac"), "00:16:3e:00:00:02");
	ck_assert_ptr_null(xs_get(&d, "event-channel"));
	ck_assert_int_eq(xs_get_u64(&d, "mtu", 0xffffffffULL, &v), 0);
	ck_assert_uint_eq(v, 1500);
	ck_assert_int_eq(xs_get_u64(&d, "mac", 0xffffffffULL, &v), -EINVAL);
	ck_assert_int_eq(xs_get_u64(&d, "nope", 0xffffffffULL, &v), -ENOENT);
	xs_dir_free(&d);
	/* the recorded xvdb dump holds both ends; each prefix keeps its own */
	load_dir("vbd-51728-attached.txt", "/local/domain/1/device/vbd/51728", &d);
	ck_assert_uint_eq(d.n, 10);
	ck_assert_str_eq(xs_get(&d, "ring-ref"), "1071");
	xs_dir_free(&d);
	load_dir("vbd-51728-attached.txt", "/local/domain/0/backend/vbd/1/51728/", &d);
	ck_assert_uint_eq(d.n, 28);
	ck_assert_str_eq(xs_get(&d, "params"), "/dev/ram1");
	xs_dir_free(&d);
	/* a prefix is a whole path component: 5171 does not match 51712 */
	load_dir("vbd-51712-front.txt", "/local/domain/1/device/vbd/5171", &d);
	ck_assert_uint_eq(d.n, 0);
	xs_dir_free(&d);
}
END_TEST

START_TEST(test_xs_escapes)
{
	static const char t[] = "/d/a = \"q\\\"uote \\\\ back\"\n/d/b = \"x\\x41\\101\\t\"\r\n"
				"\n/d/c = \"with \" inside\"\n/e/x = \"other\"\n";
	struct xs_dir d = {0};

	ck_assert_int_eq(xs_dump_parse(t, strlen(t), "/d", &d, &err), 0);
	ck_assert_uint_eq(d.n, 3);
	ck_assert_str_eq(xs_get(&d, "a"), "q\"uote \\ back");
	ck_assert_str_eq(xs_get(&d, "b"), "xAA\t");
	ck_assert_str_eq(xs_get(&d, "c"), "with \" inside"); /* xenstore-ls leaves '"' bare */
	xs_dir_free(&d);
}
END_TEST

static const struct {
	const char *text, *msg;
} bad_dumps[] = {
    {"/d/a = \"1\"\n/d/state = \"4", "line 2: unterminated value (truncated output?)"},
    {"/d/a = \"1\"\n/d/b = \"ab\\\"", "line 2: unterminated value (truncated output?)"},
    {"/d/a = \"1\"\n\n/d/b \"2\"\n", "line 3: expected '/path = \"value\"'"},
    {"d/a = \"1\"\n", "line 1: expected '/path = \"value\"'"},
    {"/d/a = \"\\q\"\n", "line 1: bad escape '\\q'"},
    {"/d/a = \"\\x00\"\n", "line 1: bad escape '\\0'"},
    {"/d/a = \"1\"\n/d/a = \"2\"\n", "line 2: duplicate key 'a'"},
};

START_TEST(test_xs_errors)
{
	struct xs_dir d = {0};
	static const char ok[] = "/d/keep = \"1\"\n";

	ck_assert_int_eq(xs_dump_parse(ok, strlen(ok), "/d", &d, &err), 0);
	ck_assert_int_eq(
	    xs_dump_parse(bad_dumps[_i].text, strlen(bad_dumps[_i].text), "/d", &d, &err), -EINVAL);
	ck_assert_str_eq(err.buf, bad_dumps[_i].msg);
	ck_assert_uint_eq(d.n, 1); /* unchanged by the failed call */
	ck_assert_str_eq(xs_get(&d, "keep"), "1");
	xs_dir_free(&d);
}
END_TEST

/* ---- vbd / vif rules ---- */

START_TEST(test_vbd_real)
{
	run_vbd("vbd-51712-front.txt", "vbd-51712-back.txt");
	assert_no_fail("vbd/51712");
	ck_assert_int_eq(find("xenbus.vbd.frontend.state")->result, CONF_PASS);
	ck_assert_int_eq(find("blkif.sectors.multiple")->result, CONF_PASS);
	ck_assert_int_eq(find("blkif.protocol.valid")->result, CONF_PASS);
	ck_assert_int_eq(find("blkif.ring_ref.layout")->result, CONF_PASS);
	/* xen_blkfront.max_queues=1 in the run: no multi-queue-num-queues */
	ck_assert_int_eq(find("blkif.mq.num_queues.range")->result, CONF_SKIP);
	ck_assert_str_eq(find("blkif.mq.num_queues.range")->detail,
			 "not applicable: no multi-queue-num-queues");
	ck_assert_str_eq(find("blkif.mq.num_queues.range")->source, "blkif.h:421-424");
	ck_assert_int_eq(find("blkif.ring_page_order.max")->result, CONF_SKIP);
}
END_TEST

START_TEST(test_vbd_variants)
{
	run_vbd("vbd-mq1-front.txt", "vbd-51712-back.txt");
	assert_no_fail("one queue");
	ck_assert_int_eq(find("blkif.mq.num_queues.range")->result, CONF_PASS);
	conform_results_free(&res);
	run_vbd("vbd-mq2-front.txt", "vbd-51712-back.txt");
	assert_no_fail("two queues");
	ck_assert_int_eq(find("blkif.mq.queue_keys")->result, CONF_PASS);
	ck_assert_int_eq(find("blkif.mq.no_toplevel_ring_ref")->result, CONF_PASS);
	ck_assert_int_eq(find("blkif.ring_ref.layout")->result, CONF_PASS);
}
END_TEST

START_TEST(test_vif_real)
{
	run_vif("vif-0-front.txt", "vif-0-back.txt");
	assert_no_fail("vif/0");
	/* the run used 2 queues with split event channels */
	ck_assert_int_eq(find("netif.mq.num_queues.range")->result, CONF_PASS);
	ck_assert_int_eq(find("netif.mq.no_toplevel_keys")->result, CONF_PASS);
	ck_assert_int_eq(find("netif.queue_keys")->result, CONF_PASS);
	ck_assert_int_eq(find("netif.split_event_channels")->result, CONF_PASS);
	ck_assert_int_eq(find("netif.ctrl_ring")->result, CONF_SKIP);
	conform_results_free(&res);
	run_vif("vif-mcast-front.txt", "vif-0-back.txt");
	assert_no_fail("multicast");
	ck_assert_int_eq(find("netif.multicast_control")->result, CONF_PASS);
}
END_TEST

/* Each edited copy (make-bad.sh) against the real other end: the rule fails, with
 * its level. */
static const struct {
	const char *front, *back, *rule;
	enum conform_level level;
} bad_dirs[] = {
    {"bad-vbd-state-front.txt", NULL, "xenbus.vbd.frontend.state", CONF_MUST},
    {"bad-vbd-mq-range-front.txt", NULL, "blkif.mq.num_queues.range", CONF_MUST},
    {"vbd-mq1-front.txt", "bad-vbd-mq-unadvertised-back.txt", "blkif.mq.num_queues.advertised",
     CONF_MUST},
    {"bad-vbd-mq-toplevel-front.txt", NULL, "blkif.mq.no_toplevel_ring_ref", CONF_MUST},
    {"bad-vbd-mq-queue-keys-front.txt", NULL, "blkif.mq.queue_keys", CONF_MUST},
    {"bad-vbd-ring-order-front.txt", NULL, "blkif.ring_page_order.max", CONF_MUST},
    {"bad-vbd-ring-order-front.txt", NULL, "blkif.ring_ref.layout", CONF_SHOULD},
    {"bad-vbd-num-ring-pages-front.txt", NULL, "blkif.num_ring_pages.valid", CONF_MUST},
    {"bad-vbd-ring-ref-front.txt", NULL, "blkif.ring_ref.numeric", CONF_SHOULD},
    {"bad-vbd-event-channel-front.txt", NULL, "blkif.event_channel.numeric", CONF_SHOULD},
    {"bad-vbd-protocol-front.txt", NULL, "blkif.protocol.valid", CONF_SHOULD},
    {NULL, "bad-vbd-max-ring-pages-back.txt", "blkif.max_ring_pages.power_of_two", CONF_MUST},
    {NULL, "bad-vbd-feature-back.txt", "blkif.feature_keys.boolean", CONF_SHOULD},
    {NULL, "bad-vbd-indirect-back.txt", "blkif.indirect.max_segments", CONF_SHOULD},
    {NULL, "bad-vbd-discard-back.txt", "blkif.discard.parameters", CONF_SHOULD},
    {NULL, "bad-vbd-sector-size-back.txt", "blkif.sector_size.power_of_two", CONF_MUST},
    {NULL, "bad-vbd-large-sector-back.txt", "blkif.sector_size.large_sector", CONF_MUST},
    {NULL, "bad-vbd-pss-back.txt", "blkif.physical_sector_size.multiple", CONF_MUST},
    {NULL, "bad-vbd-sectors-back.txt", "blkif.sectors.multiple", CONF_MUST},
    {NULL, "bad-vif-state-back.txt", "xenbus.vif.backend.state", CONF_MUST},
    {"bad-vif-mq-range-front.txt", NULL, "netif.mq.num_queues.range", CONF_MUST},
    {NULL, "bad-vif-mq-unadvertised-back.txt", "netif.mq.num_queues.advertised", CONF_MUST},
    {"bad-vif-toplevel-front.txt", NULL, "netif.mq.no_toplevel_keys", CONF_MUST},
    {"bad-vif-queue-keys-front.txt", NULL, "netif.queue_keys", CONF_MUST},
    {"bad-vif-numeric-front.txt", NULL, "netif.ring_keys.numeric", CONF_SHOULD},
    {NULL, "bad-vif-split-back.txt", "netif.split_event_channels", CONF_SHOULD},
    {"bad-vif-rx-notify-front.txt", NULL, "netif.feature_rx_notify", CONF_SHOULD},
    {"bad-vif-rx-copy-front.txt", NULL, "netif.request_rx_copy", CONF_SHOULD},
    {"bad-vif-feature-front.txt", NULL, "netif.feature_keys.boolean", CONF_SHOULD},
    {"bad-vif-ctrl-front.txt", NULL, "netif.ctrl_ring", CONF_SHOULD},
    {"vif-mcast-front.txt", "bad-vif-mcast-back.txt", "netif.multicast_control", CONF_SHOULD},
};

START_TEST(test_rule_fails)
{
	const char *rule = bad_dirs[_i].rule;
	bool vbd = !strncmp(rule, "blkif", 5) || !strncmp(rule, "xenbus.vbd", 10);
	const char *front = bad_dirs[_i].front, *back = bad_dirs[_i].back;
	const struct conform_result *x;

	if (vbd)
		run_vbd(front ? front : "vbd-51712-front.txt", back ? back : "vbd-51712-back.txt");
	else
		run_vif(front ? front : "vif-0-front.txt", back ? back : "vif-0-back.txt");
	x = find(rule);
	ck_assert_msg(x->result == CONF_FAIL, "%s did not fail (%s)", rule, x->detail);
	ck_assert_int_eq(x->level, bad_dirs[_i].level);
	ck_assert_str_ne(x->actual, "");
	if (bad_dirs[_i].level == CONF_MUST)
		ck_assert(!conform_exit_ok(&res));
}
END_TEST

/* ---- state transitions ---- */

START_TEST(test_transition_table)
{
	static const int ok[][2] = {{1, 2}, {2, 4}, {1, 3}, {3, 4}, {1, 4}, {4, 5}, {5, 6}, {4, 6},
				    {6, 1}, {6, 2}, {6, 4}, {4, 7}, {7, 8}, {8, 4}, {4, 4}};
	static const int bad[][2] = {{4, 2}, {4, 3}, {4, 1}, {5, 4}, {6, 5}, {5, 1},
				     {3, 2}, {0, 1}, {1, 0}, {4, 9}, {7, 3}, {XS_STATE_INVALID, 4}};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		ck_assert_msg(conform_transition_ok(ok[i][0], ok[i][1]), "%d -> %d", ok[i][0],
			      ok[i][1]);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(!conform_transition_ok(bad[i][0], bad[i][1]), "%d -> %d", bad[i][0],
			      bad[i][1]);
}
END_TEST

#define FR "/local/domain/1/device/vbd/51728"
#define BK "/local/domain/0/backend/vbd/1/51728"

static void run_states(const char *file)
{
	struct state_log log = {0};
	char *t = slurp(file);

	ck_assert_msg(!conform_state_log_parse(t, strlen(t), &log, &err), "%s", err.buf);
	conform_check_transitions(&log, "frontend", FR, "vbd/51728", &res);
	conform_check_transitions(&log, "backend", BK, "vbd/51728", &res);
	conform_state_log_free(&log);
	free(t);
}

static enum conform_outcome outcome(const char *name, const char *subject)
{
	for (size_t i = 0; i < res.n; i++)
		if (!strcmp(res.v[i].name, name) && !strcmp(res.v[i].subject, subject))
			return res.v[i].result;
	ck_abort_msg("no result '%s' for '%s'", name, subject);
	return CONF_SKIP;
}

START_TEST(test_states_good)
{
	run_states("states-attach-detach.txt");
	assert_no_fail("attach/detach");
	ck_assert_uint_eq(res.n, 6);
	ck_assert_str_eq(find("xenbus.vbd.backend.transitions")->actual,
			 "1 -> 2 -> 4 -> 5 -> 6 -> GONE");
	ck_assert_str_eq(find("xenbus.vbd.frontend.transitions")->actual,
			 "1 -> 3 -> 4 -> 6 -> GONE");
	ck_assert_str_eq(find("xenbus.vbd.frontend.closed")->actual, "Closed");
	conform_results_free(&res);
	run_states("states-missed.txt"); /* skipped states are legal */
	assert_no_fail("missed values");
	ck_assert_str_eq(find("xenbus.vbd.backend.transitions")->actual,
			 "1 -> 4 -> 5 -> 6 -> GONE");
	conform_results_free(&res);
	/* a log without the device: SKIP */
	{
		struct state_log log = {0};

		conform_check_transitions(&log, "backend", BK, "vbd/51728", &res);
		ck_assert_uint_eq(res.n, 3);
		for (size_t i = 0; i < res.n; i++)
			ck_assert_int_eq(res.v[i].result, CONF_SKIP);
	}
}
END_TEST

START_TEST(test_states_bad)
{
	run_states("bad-states-backward.txt");
	ck_assert_int_eq(outcome("xenbus.vbd.backend.transitions", "vbd/51728 backend"), CONF_FAIL);
	ck_assert_int_eq(outcome("xenbus.vbd.frontend.transitions", "vbd/51728 frontend"),
			 CONF_PASS);
	ck_assert_str_eq(find("xenbus.vbd.backend.transitions")->detail,
			 "illegal: Connected(4) -> InitWait(2) at 1795232756.626 s; 35 events, "
			 "8 changes");
	ck_assert(!conform_exit_ok(&res));
	conform_results_free(&res);
	run_states("bad-states-invalid.txt");
	ck_assert_int_eq(outcome("xenbus.vbd.frontend.transitions", "vbd/51728 frontend"),
			 CONF_FAIL);
	conform_results_free(&res);
	run_states("bad-states-not-gone.txt");
	ck_assert_int_eq(outcome("xenbus.vbd.backend.gone", "vbd/51728 backend"), CONF_FAIL);
	ck_assert_int_eq(outcome("xenbus.vbd.backend.closed", "vbd/51728 backend"), CONF_SKIP);
	ck_assert_int_eq(outcome("xenbus.vbd.frontend.gone", "vbd/51728 frontend"), CONF_PASS);
	conform_results_free(&res);
	run_states("bad-states-no-close.txt");
	ck_assert_int_eq(outcome("xenbus.vbd.backend.closed", "vbd/51728 backend"), CONF_FAIL);
	ck_assert_int_eq(outcome("xenbus.vbd.backend.transitions", "vbd/51728 backend"), CONF_PASS);
	ck_assert(conform_exit_ok(&res)); /* closed is a SHOULD */
}
END_TEST

static const struct {
	const char *text, *msg;
} bad_logs[] = {
    {"1.0 /a 1\n2.0 /a\n", "line 2: expected '<seconds> <path> <value|GONE>'"},
    {"1.0 /a 1 extra\n", "line 1: expected '<seconds> <path> <value|GONE>'"},
    {"x /a 1\n", "line 1: bad time 'x'"},
    {"2.0 /a 1\n# note\n1.0 /a 2\n", "line 3: time goes backwards"},
    {"1.0 a 1\n", "line 1: bad path 'a'"},
};

START_TEST(test_state_log_errors)
{
	struct state_log log = {0};

	ck_assert_int_eq(
	    conform_state_log_parse(bad_logs[_i].text, strlen(bad_logs[_i].text), &log, &err),
	    -EINVAL);
	ck_assert_str_eq(err.buf, bad_logs[_i].msg);
	ck_assert_uint_eq(log.n, 0);
	conform_state_log_free(&log);
}
END_TEST

/* ---- leaks ---- */

START_TEST(test_dump_counts)
{
	char *g = slurp("dmesg-g-attached.txt"), *e = slurp("dmesg-e-attached.txt");
	char *gd = slurp("dmesg-g-destroyed.txt"), *gc = slurp("bad-dmesg-g-cut.txt");
	long n = -1;

	/* grep -c '\[0x' dmesg-g-attached.txt: 41, all under "remote d1" */
	ck_assert_int_eq(xen_gnttab_dump_count(g, 1, &n), 0);
	ck_assert_int_eq(n, 41);
	ck_assert_int_eq(xen_gnttab_dump_count(g, 0, &n), 0);
	ck_assert_int_eq(n, 0);				      /* "no active grant table entries" */
	ck_assert_int_eq(xen_gnttab_dump_count(e, 1, &n), 0); /* g block before the e dump */
	ck_assert_int_eq(n, 41);
	ck_assert_int_eq(xen_gnttab_dump_count(gd, 1, &n), -ENOENT); /* destroyed: the last block */
	ck_assert_int_eq(xen_gnttab_dump_count(gd, 0, &n), 0);
	ck_assert_int_eq(xen_gnttab_dump_count(gc, 1, &n), -ENODATA);
	ck_assert_int_eq(xen_gnttab_dump_count("nothing\n", 1, &n), -ENODATA);
	/* ports listed under each domain (awk count of s=[1-9]): dom1 20, dom0 34 */
	ck_assert_int_eq(xen_evtchn_dump_count(e, 1, &n), 0);
	ck_assert_int_eq(n, 20);
	ck_assert_int_eq(xen_evtchn_dump_count(e, 0, &n), 0);
	ck_assert_int_eq(n, 34);
	ck_assert_int_eq(xen_evtchn_dump_count(e, 2, &n), -ENOENT);
	ck_assert_int_eq(xen_evtchn_dump_count(g, 1, &n), -ENODATA);
	free(g);
	free(e);
	free(gd);
	free(gc);
}
END_TEST

START_TEST(test_leaks)
{
	char *g = slurp("dmesg-g-attached.txt"), *gl = slurp("bad-dmesg-g-leak.txt");
	char *e = slurp("dmesg-e-attached.txt"), *el = slurp("bad-dmesg-e-leak.txt");
	struct conform_leak_sample before, after;

	ck_assert_int_eq(xen_gnttab_dump_count(g, 1, &before.grant_entries), 0);
	ck_assert_int_eq(xen_evtchn_dump_count(e, 1, &before.event_channels), 0);
	after = before;
	conform_check_leaks(&before, &after, "vbd/51728", &res);
	assert_no_fail("same counts");
	ck_assert_str_eq(res.v[0].name, "leak.vbd.grant_entries");
	ck_assert_str_eq(res.v[1].name, "leak.vbd.event_channels");
	conform_results_free(&res);
	ck_assert_int_eq(xen_gnttab_dump_count(gl, 1, &after.grant_entries), 0);
	ck_assert_int_eq(xen_evtchn_dump_count(el, 1, &after.event_channels), 0);
	ck_assert_int_eq(after.grant_entries, 42);
	ck_assert_int_eq(after.event_channels, 21);
	conform_check_leaks(&before, &after, "vbd/51728", &res);
	ck_assert_int_eq(res.v[0].result, CONF_FAIL);
	ck_assert_int_eq(res.v[1].result, CONF_FAIL);
	ck_assert_str_eq(res.v[0].detail, "1 more held by the domU");
	conform_results_free(&res);
	/* fewer after detach: released elsewhere, not a leak */
	after.grant_entries = before.grant_entries - 1;
	after.event_channels = before.event_channels;
	conform_check_leaks(&before, &after, "vbd/51728", &res);
	assert_no_fail("one grant fewer");
	ck_assert_str_eq(res.v[0].detail,
			 "1 fewer (released by other devices meanwhile; not a leak)");
	conform_results_free(&res);
	after.event_channels = -1;
	conform_check_leaks(&before, &after, "vif/0", &res);
	ck_assert_str_eq(res.v[1].name, "leak.vif.event_channels");
	ck_assert_int_eq(res.v[1].result, CONF_SKIP);
	free(g);
	free(gl);
	free(e);
	free(el);
}
END_TEST

START_TEST(test_threads)
{
	char *ok = slurp("ps-after-destroy.txt"), *bad = slurp("bad-ps-leak.txt");
	char blk[64], vif[64];

	ck_assert_int_eq(conform_backend_thread_prefix("vbd", 1, "xvdb", blk, sizeof(blk)), 0);
	ck_assert_str_eq(blk, "blkback.1.xvdb");
	ck_assert_int_eq(conform_backend_thread_prefix("vif", 1, "0", vif, sizeof(vif)), 0);
	ck_assert_str_eq(vif, "vif1.0-q");
	ck_assert_int_eq(conform_backend_thread_prefix("vkbd", 1, "0", vif, sizeof(vif)), -EINVAL);
	ck_assert_int_eq(conform_backend_thread_prefix("vbd", 1, "xvdb", blk, 8), -ENOSPC);
	ck_assert_int_eq(conform_backend_thread_count(ok, "blkback.1.xvdb"), 0);
	ck_assert_int_eq(conform_backend_thread_count(ok, "vif1.0-q"), 0);
	ck_assert_int_eq(conform_backend_thread_count(bad, "blkback.1.xvdb"), 1);
	ck_assert_int_eq(conform_backend_thread_count(bad, "blkback.1.xvda"), 0);
	ck_assert_int_eq(conform_backend_thread_count(bad, "vif1.0-q"), 1);
	ck_assert_int_eq(conform_backend_thread_count(bad, "vif1.1-q"), 0);
	ck_assert_int_eq(conform_backend_thread_count("x [blkback.1.xvdb]\ny blkback.1.xvdb-1\n"
						      "z [blkback.1.xvdbb]\n",
						      "blkback.1.xvdb"),
			 2);
	conform_check_backend_threads(ok, "blkback.1.xvdb", "vbd/51728", &res);
	conform_check_backend_threads(bad, "vif1.0-q", "vif/0", &res);
	ck_assert_int_eq(res.v[0].result, CONF_PASS);
	ck_assert_str_eq(res.v[1].name, "leak.vif.backend_threads");
	ck_assert_int_eq(res.v[1].result, CONF_FAIL);
	free(ok);
	free(bad);
}
END_TEST

/* ---- output ---- */

static void small_set(void)
{
	conform_add(&res, "blkif.sectors.multiple", "vbd/51712", CONF_MUST, CONF_PASS,
		    "blkif.h:254-259", "x", "y", "fine");
	conform_add(&res, "blkif.mq.num_queues.range", "vbd/51712", CONF_MUST, CONF_FAIL,
		    "blkif.h:421-424", "1 <= multi-queue-num-queues <= 2",
		    "multi-queue-num-queues=\"3\"", "backend offers 2");
	conform_add(&res, "blkif.ring_page_order.max", "vbd/51712", CONF_MUST, CONF_SKIP,
		    "blkif.h:296-299", NULL, NULL, "not applicable: no ring-page-order");
	conform_add(&res, "netif.feature_rx_notify", "vif/0", CONF_SHOULD, CONF_FAIL,
		    "netif.h:34-40", "feature-rx-notify=\"1\"", "feature-rx-notify #absent",
		    "frontend");
}

START_TEST(test_tap_exact)
{
	static const char want[] =
	    "TAP version 13\n"
	    "1..4\n"
	    "ok 1 - blkif.sectors.multiple (vbd/51712) # blkif.h:254-259\n"
	    "not ok 2 - blkif.mq.num_queues.range (vbd/51712) # blkif.h:421-424\n"
	    "  ---\n"
	    "  level: MUST\n"
	    "  source: \"blkif.h:421-424\"\n"
	    "  expected: \"1 <= multi-queue-num-queues <= 2\"\n"
	    "  actual: \"multi-queue-num-queues=\\\"3\\\"\"\n"
	    "  detail: \"backend offers 2\"\n"
	    "  ...\n"
	    "ok 3 - blkif.ring_page_order.max (vbd/51712) # SKIP not applicable: no "
	    "ring-page-order (blkif.h:296-299)\n"
	    "not ok 4 - netif.feature_rx_notify (vif/0) # TODO should: feature-rx-notify "
	    "_absent (netif.h:34-40)\n"
	    "  ---\n"
	    "  level: SHOULD\n"
	    "  source: \"netif.h:34-40\"\n"
	    "  expected: \"feature-rx-notify=\\\"1\\\"\"\n"
	    "  actual: \"feature-rx-notify #absent\"\n"
	    "  detail: \"frontend\"\n"
	    "  ...\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	small_set();
	conform_emit_tap(&res, f);
	fclose(f);
	ck_assert_str_eq(buf, want);
	free(buf);
	ck_assert(!conform_exit_ok(&res));
}
END_TEST

START_TEST(test_json_shape)
{
	json_t *j, *c;

	small_set();
	j = conform_to_json(&res);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "schema")), "pvbench-conform/1");
	ck_assert(json_is_false(json_object_get(j, "ok")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 4);
	c = json_array_get(json_object_get(j, "checks"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(c, "name")),
			 "blkif.mq.num_queues.range");
	ck_assert_str_eq(json_string_value(json_object_get(c, "level")), "MUST");
	ck_assert_str_eq(json_string_value(json_object_get(c, "result")), "fail");
	ck_assert_str_eq(json_string_value(json_object_get(c, "source")), "blkif.h:421-424");
	ck_assert_str_eq(json_string_value(json_object_get(c, "actual")),
			 "multi-queue-num-queues=\"3\"");
	ck_assert_uint_eq(json_object_size(c), 8);
	c = json_object_get(j, "summary");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "must_pass")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "must_fail")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "should_pass")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "should_fail")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "skip")), 1);
	json_decref(j);
}
END_TEST

START_TEST(test_summary)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	small_set();
	conform_summary(&res, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "conformance: 4 checks: MUST 1 passed, 1 failed; "
					  "SHOULD 0 passed, 1 warned; 1 skipped\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nFAIL  MUST   blkif.mq.num_queues.range (vbd/51712)"));
	ck_assert_ptr_nonnull(strstr(buf, "\nWARN  SHOULD netif.feature_rx_notify (vif/0)"));
	ck_assert_ptr_nonnull(strstr(buf, "\nresult: FAIL\n"));
	free(buf);
}
END_TEST

static Suite *conform_suite(void)
{
	Suite *s = suite_create("conform");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(core, test_xs_parse_real);
	tcase_add_test(core, test_xs_escapes);
	tcase_add_test(core, test_vbd_real);
	tcase_add_test(core, test_vbd_variants);
	tcase_add_test(core, test_vif_real);
	tcase_add_test(core, test_transition_table);
	tcase_add_test(core, test_states_good);
	tcase_add_test(core, test_dump_counts);
	tcase_add_test(core, test_leaks);
	tcase_add_test(core, test_threads);
	tcase_add_test(core, test_tap_exact);
	tcase_add_test(core, test_json_shape);
	tcase_add_test(core, test_summary);
	tcase_add_loop_test(errors, test_xs_errors, 0, ARRAY_SIZE(bad_dumps));
	tcase_add_loop_test(errors, test_rule_fails, 0, ARRAY_SIZE(bad_dirs));
	tcase_add_test(errors, test_states_bad);
	tcase_add_loop_test(errors, test_state_log_errors, 0, ARRAY_SIZE(bad_logs));
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	return test_run_suite(conform_suite());
}
