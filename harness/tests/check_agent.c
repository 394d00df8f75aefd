/* check_agent.c: control-channel framing (proto.c) and pvbench-agent itself, run in
 * --stdio mode: exec with stdout/stderr/exit status, stdin, timeouts, ping, errors. */
#include "pvbench/proto.h"
#include "pvbench/util.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define AGENT "build/guest/pvbench-agent"

START_TEST(test_hdr_roundtrip)
{
	struct pvb_hdr h = { PVB_OUT, 2, 513, 0xdeadbeef, 5 }, g;
	uint8_t buf[PVB_HDR_LEN + 5];

	pvb_hdr_pack(&h, buf);
	memcpy(buf + PVB_HDR_LEN, "hello", 5);
	ck_assert_int_eq(buf[0], 'P');
	ck_assert_int_eq(buf[3], '1');
	ck_assert_int_eq(pvb_frame_parse(buf, sizeof(buf), &g), PVB_HDR_LEN + 5);
	ck_assert_int_eq(g.type, PVB_OUT);
	ck_assert_int_eq(g.stream, 2);
	ck_assert_int_eq(g.dom, 513);
	ck_assert_uint_eq(g.id, 0xdeadbeef);
	ck_assert_int_eq(g.len, 5);
	/* partial frames need more bytes */
	for (size_t n = 0; n < sizeof(buf); n++)
		ck_assert_int_eq(pvb_frame_parse(buf, n, &g), 0);
}
END_TEST

START_TEST(test_frame_errors)
{
	struct pvb_hdr h = { PVB_OUT, 1, 0, 1, PVB_MAX_PAYLOAD + 1 }, g;
	uint8_t buf[PVB_HDR_LEN];

	pvb_hdr_pack(&h, buf);
	ck_assert_int_eq(pvb_frame_parse(buf, sizeof(buf), &g), -EMSGSIZE);
	buf[0] = 'X';
	ck_assert_int_eq(pvb_frame_parse(buf, sizeof(buf), &g), -EBADMSG);
}
END_TEST

/* ---- the agent over pipes ------------------------------------------------------- */

struct agent {
	pid_t pid;
	int to, from;
	struct sbuf in;
};

static void agent_start(struct agent *a)
{
	int p1[2], p2[2];

	ck_assert_int_eq(pipe(p1), 0);
	ck_assert_int_eq(pipe(p2), 0);
	memset(a, 0, sizeof(*a));
	a->pid = fork();
	if (a->pid == 0) {
		dup2(p1[0], 0);
		dup2(p2[1], 1);
		execl(AGENT, AGENT, "--stdio", (char *)NULL);
		_exit(127);
	}
	close(p1[0]);
	close(p2[1]);
	a->to = p1[1];
	a->from = p2[0];
}

static void agent_stop(struct agent *a)
{
	close(a->to);
	close(a->from);
	kill(a->pid, SIGKILL);
	waitpid(a->pid, NULL, 0);
	sb_free(&a->in);
}

static void send_frame(struct agent *a, uint8_t type, uint8_t stream, uint16_t dom, uint32_t id,
		       const void *p, uint32_t len)
{
	struct pvb_hdr h = { type, stream, dom, id, len };
	uint8_t hdr[PVB_HDR_LEN];

	pvb_hdr_pack(&h, hdr);
	ck_assert_int_eq(write(a->to, hdr, sizeof(hdr)), sizeof(hdr));
	if (len)
		ck_assert_int_eq(write(a->to, p, len), (ssize_t)len);
}

static void send_exec(struct agent *a, uint32_t id, uint32_t timeout_ms, const char *cmd,
		      bool with_stdin)
{
	uint8_t p[512];

	pvb_put_u32(p, timeout_ms);
	memcpy(p + 4, cmd, strlen(cmd));
	send_frame(a, PVB_EXEC, with_stdin, 0, id, p, 4 + strlen(cmd));
}

/* Next frame (skipping HELLO); payload copied into *payload. */
static struct pvb_hdr next_frame(struct agent *a, struct sbuf *payload)
{
	for (;;) {
		struct pvb_hdr h;
		long n = pvb_frame_parse((uint8_t *)a->in.buf, a->in.len, &h);
		char chunk[65536];
		struct pollfd pf = { a->from, POLLIN, 0 };
		ssize_t r;

		if (n > 0) {
			sb_reset(payload);
			sb_append(payload, a->in.buf + PVB_HDR_LEN, h.len);
			memmove(a->in.buf, a->in.buf + n, a->in.len - n);
			a->in.len -= n;
			if (h.type == PVB_HELLO)
				continue;
			return h;
		}
		ck_assert_int_eq(n, 0);
		ck_assert_int_eq(poll(&pf, 1, 10000), 1);
		r = read(a->from, chunk, sizeof(chunk));
		ck_assert_int_gt(r, 0);
		sb_append(&a->in, chunk, r);
	}
}

struct run {
	struct sbuf out, err;
	int status, timed_out;
};

static void collect(struct agent *a, uint32_t id, struct run *r)
{
	struct sbuf p = { 0 };

	memset(r, 0, sizeof(*r));
	for (;;) {
		struct pvb_hdr h = next_frame(a, &p);

		ck_assert_uint_eq(h.id, id);
		if (h.type == PVB_OUT) {
			sb_append(h.stream == 1 ? &r->out : &r->err, p.buf, p.len);
		} else {
			ck_assert_int_eq(h.type, PVB_EXIT);
			ck_assert_int_eq(h.len, 13);
			r->status = (int)pvb_get_u32((uint8_t *)p.buf);
			r->timed_out = p.buf[4];
			break;
		}
	}
	sb_free(&p);
}

START_TEST(test_exec_output_and_status)
{
	struct agent a;
	struct run r;

	agent_start(&a);
	send_exec(&a, 7, 0, "echo out; echo err >&2; exit 3", false);
	collect(&a, 7, &r);
	ck_assert_str_eq(r.out.buf, "out\n");
	ck_assert_str_eq(r.err.buf, "err\n");
	ck_assert_int_eq(r.status, 3);
	ck_assert_int_eq(r.timed_out, 0);
	agent_stop(&a);
}
END_TEST

START_TEST(test_exec_stdin_large)
{
	struct agent a;
	struct run r;
	char *data = malloc(300000);

	for (int i = 0; i < 300000; i++)
		data[i] = 'a' + i % 26;
	agent_start(&a);
	send_exec(&a, 1, 0, "wc -c", true);
	for (int off = 0; off < 300000; off += 60000)
		send_frame(&a, PVB_STDIN, 0, 0, 1, data + off, 60000);
	send_frame(&a, PVB_STDIN, 0, 0, 1, NULL, 0);
	collect(&a, 1, &r);
	ck_assert_int_eq(atoi(r.out.buf), 300000);
	ck_assert_int_eq(r.status, 0);
	agent_stop(&a);
	free(data);
}
END_TEST

START_TEST(test_exec_timeout_kills_group)
{
	struct agent a;
	struct run r;

	agent_start(&a);
	/* a background child in the same group must die too, or EXIT would wait */
	send_exec(&a, 2, 300, "sleep 30 & sleep 30", false);
	collect(&a, 2, &r);
	ck_assert_int_eq(r.timed_out, 1);
	ck_assert_int_eq(r.status, 128 + SIGKILL);
	agent_stop(&a);
}
END_TEST

START_TEST(test_kill_and_concurrency)
{
	struct agent a;
	struct sbuf p = { 0 };
	struct pvb_hdr h;
	int got_fast = 0;

	agent_start(&a);
	send_exec(&a, 10, 0, "sleep 30", false);
	send_exec(&a, 11, 0, "echo fast", false);
	/* the fast command finishes while the slow one runs */
	while (!got_fast) {
		h = next_frame(&a, &p);
		ck_assert_uint_eq(h.id, 11);
		got_fast = h.type == PVB_EXIT;
	}
	send_frame(&a, PVB_KILL, 0, 0, 10, NULL, 0);
	h = next_frame(&a, &p);
	ck_assert_uint_eq(h.id, 10);
	ck_assert_int_eq(h.type, PVB_EXIT);
	ck_assert_int_eq((int)pvb_get_u32((uint8_t *)p.buf), 128 + SIGKILL);
	sb_free(&p);
	agent_stop(&a);
}
END_TEST

START_TEST(test_ping_and_errors)
{
	struct agent a;
	struct sbuf p = { 0 };
	struct pvb_hdr h;

	agent_start(&a);
	send_frame(&a, PVB_PING, 0, 0, 5, "xy", 2);
	h = next_frame(&a, &p);
	ck_assert_int_eq(h.type, PVB_PONG);
	ck_assert_int_eq(h.len, 10);
	ck_assert_int_gt(pvb_get_u64((uint8_t *)p.buf), 0);
	ck_assert_int_eq(memcmp(p.buf + 8, "xy", 2), 0);
	send_frame(&a, 99, 0, 0, 6, NULL, 0);
	h = next_frame(&a, &p);
	ck_assert_int_eq(h.type, PVB_ERR);
	ck_assert_ptr_nonnull(strstr(p.buf, "unknown frame type"));
	/* no relay in --stdio mode: domain 3 is unreachable */
	send_frame(&a, PVB_PING, 0, 3, 8, NULL, 0);
	h = next_frame(&a, &p);
	ck_assert_int_eq(h.type, PVB_ERR);
	ck_assert_int_eq(h.dom, 3);
	ck_assert_ptr_nonnull(strstr(p.buf, "no agent reachable in domain 3"));
	send_frame(&a, PVB_EXEC, 0, 0, 9, "ab", 2); /* shorter than the timeout field */
	h = next_frame(&a, &p);
	ck_assert_int_eq(h.type, PVB_ERR);
	sb_free(&p);
	agent_stop(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("agent");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_test(core, test_hdr_roundtrip);
	tcase_add_test(core, test_exec_output_and_status);
	tcase_add_test(core, test_exec_stdin_large);
	tcase_add_test(core, test_exec_timeout_kills_group);
	tcase_add_test(core, test_kill_and_concurrency);
	tcase_add_test(errors, test_frame_errors);
	tcase_add_test(errors, test_ping_and_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
