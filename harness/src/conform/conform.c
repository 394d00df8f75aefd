/* conform.c: the PV protocol conformance suite of `pvbench conform`, run against the
 * real drivers (conform_run_suite): boots the bundled Xen, creates a PV domU, and checks
 *   1. negotiation: the connected xvda vbd and eth0 vif, frontend and backend
 *      xenstore directories against blkif.h / netif.h (conform_check_vbd/vif);
 *   2. the xenbus state machine: a vbd (xvdb) and a vif hot-plugged with
 *      xl block-attach / network-attach and removed again, with every state change
 *      watched in dom0; the hot-plugged devices are checked as in 1 while connected;
 *   3. leaks: the domU's active grant entries and event channels before the attach
 *      and after the detach (xl debug-keys g / e), the backends' kernel threads;
 *   4. blkif requests: drivers/blkif/ (pvbench-blkif) in the domU drives a vbd that
 *      xen-blkfront has not bound (autoprobe off), with valid and bad requests, and
 *      a read-only vbd; then dom0 must be alive with no new oops and xvda must work.
 * The rules are conform_xs.c, conform_rules.c, conform_states.c and conform_leaks.c,
 * the outputs conform_output.c (conform.h); the command (argv, usage, exit status)
 * is cmd/conform.c. */
#include "pvbench/conform.h"
#include "pvbench/guest.h"
#include "pvbench/host.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONFORM_DOMU "pvbench-conform"
#define WATCH_LOG "/tmp/pvbench-conform-watch.log"
/* xl block-attach/-detach and network-attach/-detach until both ends are Connected
 * (or gone): a few seconds under TCG on an idle host, over 30 s on a loaded one */
#define ATTACH_TIMEOUT_S 120
#define STR_(x) #x
#define STR(x) STR_(x)

struct conform_state {
	const struct conform_opts *o;
	char dir[PATH_MAX];
	struct machine m;
	struct guest g;
	struct conform_results r;
	int domid;
};

/* b's text as dir/name; a warning when it cannot be written. */
static void save_in(const char *dir, const char *name, const struct sbuf *b)
{
	char path[PATH_MAX + 128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (write_file_atomic(path, b->buf ? b->buf : "", b->len))
		pvb_warn("cannot write '%s'", path);
}

static void save_text(struct conform_state *st, const char *name, const struct sbuf *b)
{
	save_in(st->dir, name, b);
}

/* A MUST result for a step of the suite itself that failed (no xenstore dump, a
 * device that never connected): the rules behind it could not be checked. */
static void step_failed(struct conform_state *st, const char *name, const char *subject,
			const char *what)
{
	conform_add(&st->r, name, subject, CONF_MUST, CONF_FAIL, "pvbench", "the step succeeds",
		    "it failed", "%s", what);
}

/* `xenstore-ls -f DIR` in dom0 into d, the text saved as save_dir/file when
 * save_dir is set; 0 or -EIO (with a result saying so). */
static int dump_dir(struct machine *m, const char *path, const char *save_dir, const char *file,
		    struct xs_dir *d, struct conform_results *r)
{
	struct sbuf out = {0}, err = {0};
	int rc = machine_sh(m, 0, 30, &out, "xenstore-ls -f '%s'", path);

	if (!rc) {
		if (save_dir)
			save_in(save_dir, file, &out);
		rc = xs_dump_parse(out.buf ? out.buf : "", out.len, path, d, &err);
	}
	if (rc)
		conform_add(r, "xenstore.dump", path, CONF_MUST, CONF_FAIL, "pvbench",
			    "the step succeeds", "it failed", "xenstore-ls -f %s: %s", path,
			    err.buf ? err.buf : "failed (directory absent?)");
	sb_free(&out);
	sb_free(&err);
	return rc ? -EIO : 0;
}

/* A device's two xenstore directories: the domU's device/<type>/<id> (frontend)
 * and dom0's backend/<type>/<domid>/<id>. */
static void device_dirs(int domid, const char *type, const char *id, char front[160],
			char back[160])
{
	snprintf(front, 160, "/local/domain/%d/device/%s/%s", domid, type, id);
	snprintf(back, 160, "/local/domain/0/backend/%s/%d/%s", type, domid, id);
}

int conform_device_check(struct machine *m, int domid, const char *type, const char *id,
			 const char *save_dir, struct conform_results *r)
{
	char front[160], back[160], dev[64], f1[96], f2[96];
	struct xs_dir fd = {0}, bd = {0};
	int rc;

	if (strcmp(type, "vbd") && strcmp(type, "vif"))
		return -EINVAL;
	device_dirs(domid, type, id, front, back);
	snprintf(dev, sizeof(dev), "%s/%s", type, id);
	snprintf(f1, sizeof(f1), "xenstore-%s-%s-frontend.txt", type, id);
	snprintf(f2, sizeof(f2), "xenstore-%s-%s-backend.txt", type, id);
	rc = dump_dir(m, front, save_dir, f1, &fd, r);
	if (!rc)
		rc = dump_dir(m, back, save_dir, f2, &bd, r);
	if (!rc && !strcmp(type, "vbd"))
		conform_check_vbd(&fd, &bd, dev, r);
	else if (!rc)
		conform_check_vif(&fd, &bd, dev, r);
	xs_dir_free(&fd);
	xs_dir_free(&bd);
	return rc;
}

static void check_device(struct conform_state *st, const char *type, const char *id)
{
	conform_device_check(&st->m, st->domid, type, id, st->dir, &st->r);
}

/* Waits until both ends of a device read `want` (a state number), or, want < 0, until
 * both directories are gone. 0 or -ETIMEDOUT. */
static int wait_device(struct conform_state *st, const char *type, const char *id, int want,
		       double timeout_s)
{
	char front[160], back[160], done[400];

	device_dirs(st->domid, type, id, front, back);
	if (want < 0)
		snprintf(done, sizeof(done), "! xenstore-exists %s && ! xenstore-exists %s", front,
			 back);
	else
		snprintf(done, sizeof(done),
			 "[ \"$(xenstore-read %s/state 2>/dev/null)\" = %d ] && "
			 "[ \"$(xenstore-read %s/state 2>/dev/null)\" = %d ]",
			 front, want, back, want);
	return machine_sh(&st->m, 0, timeout_s + 5, NULL,
			  "i=0; until %s; do [ $i -ge %d ] && exit 1; sleep 0.2; i=$((i+1)); done",
			  done, (int)(timeout_s * 5))
		   ? -ETIMEDOUT
		   : 0;
}

/* Grant entries and event channels the domU holds, from Xen's debug-key dumps. */
static void leak_sample(struct conform_state *st, const char *file, struct conform_leak_sample *s)
{
	struct sbuf out = {0};

	s->grant_entries = s->event_channels = -1;
	if (!machine_sh(&st->m, 0, 60, &out,
			"xl dmesg -c >/dev/null; xl debug-keys g; xl debug-keys e; xl dmesg")) {
		save_text(st, file, &out);
		if (xen_gnttab_dump_count(out.buf ? out.buf : "", st->domid, &s->grant_entries))
			s->grant_entries = -1;
		if (xen_evtchn_dump_count(out.buf ? out.buf : "", st->domid, &s->event_channels))
			s->event_channels = -1;
	}
	sb_free(&out);
}

/* One xenstore-watch per directory, in the background in its own session (the
 * agent kills what is left of a finished command's process group). Each event
 * prints "<seconds> <path> <state|GONE>", the state node read right after it. */
static int watch_start(struct conform_state *st, char dirs[][160], size_t n)
{
	struct sbuf cmd = {0};
	int rc;

	sb_puts(&cmd, "w() { xenstore-watch \"$1\" | while read -r p; do "
		      "v=$(xenstore-read \"$1/state\" 2>/dev/null) || v=GONE; "
		      "echo \"$(date +%s.%N) $p $v\"; done; }; ");
	for (size_t i = 0; i < n; i++)
		sb_printf(&cmd, "w %s & ", dirs[i]);
	sb_puts(&cmd, "wait");
	rc = machine_sh(&st->m, 0, 20, NULL,
			"rm -f %s; setsid sh -c '%s' >>%s 2>&1 </dev/null & sleep 1; "
			"[ \"$(pgrep -c -f xenstore-watch)\" -ge %zu ]",
			WATCH_LOG, cmd.buf, WATCH_LOG, n);
	sb_free(&cmd);
	return rc;
}

static void watch_stop_and_check(struct conform_state *st, char dirs[][160], const char *sides[],
				 const char *devs[], size_t n)
{
	struct sbuf out = {0}, err = {0};
	struct state_log log = {0};

	sleep(1); /* the last events */
	machine_sh(&st->m, 0, 20, NULL, "pkill -f xenstore-watch; true");
	/* four watchers append to one file: a line can land after a later one */
	if (machine_sh(&st->m, 0, 20, &out, "sort -s -n -k1,1 %s", WATCH_LOG)) {
		step_failed(st, "xenbus.watch", "dom0", "cannot read the watch log " WATCH_LOG);
		goto out;
	}
	save_text(st, "state-watch.log", &out);
	if (conform_state_log_parse(out.buf ? out.buf : "", out.len, &log, &err)) {
		step_failed(st, "xenbus.watch", "dom0", err.buf ? err.buf : "unparsable watch log");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		conform_check_transitions(&log, sides[i], dirs[i], devs[i], &st->r);
out:
	conform_state_log_free(&log);
	sb_free(&out);
	sb_free(&err);
}

/* xl block-attach / network-attach, checks while connected, detach, and the state,
 * leak and thread checks around it. */
static void hotplug_checks(struct conform_state *st)
{
	char dirs[4][160];
	const char *sides[4] = {"frontend", "backend", "frontend", "backend"};
	const char *devs[4] = {"vbd/51728", "vbd/51728", "vif/1", "vif/1"};
	struct conform_leak_sample before, after;
	struct sbuf ps = {0};
	char prefix[64];
	bool vbd_up, vif_up;

	device_dirs(st->domid, "vbd", "51728", dirs[0], dirs[1]);
	device_dirs(st->domid, "vif", "1", dirs[2], dirs[3]);
	leak_sample(st, "xen-dumps-before.txt", &before);
	if (watch_start(st, dirs, 4))
		step_failed(st, "xenbus.watch", "dom0", "cannot start xenstore-watch in dom0");
	pvb_info("[%6.1f s] xl block-attach xvdb, xl network-attach", machine_time(&st->m));
	vbd_up = !machine_sh(&st->m, 0, ATTACH_TIMEOUT_S, NULL,
			     "xl block-attach %d format=raw,vdev=xvdb,access=rw,target=/dev/ram1",
			     st->domid) &&
		 !wait_device(st, "vbd", "51728", 4, ATTACH_TIMEOUT_S);
	vif_up =
	    !machine_sh(&st->m, 0, ATTACH_TIMEOUT_S, NULL,
			"xl network-attach %d bridge=xenbr0 mac=00:16:3e:5a:00:01", st->domid) &&
	    !wait_device(st, "vif", "1", 4, ATTACH_TIMEOUT_S);
	if (vbd_up)
		check_device(st, "vbd", "51728");
	else
		step_failed(st, "xenbus.vbd.attach", "vbd/51728",
			    "xl block-attach xvdb did not reach Connected on both ends in " STR(
				ATTACH_TIMEOUT_S) " s");
	if (vif_up)
		check_device(st, "vif", "1");
	else
		step_failed(st, "xenbus.vif.attach", "vif/1",
			    "xl network-attach did not reach Connected on both ends in " STR(
				ATTACH_TIMEOUT_S) " s");
	pvb_info("[%6.1f s] xl block-detach xvdb, xl network-detach", machine_time(&st->m));
	if (machine_sh(&st->m, 0, 60, NULL, "xl block-detach %d xvdb", st->domid) ||
	    wait_device(st, "vbd", "51728", -1, ATTACH_TIMEOUT_S))
		step_failed(st, "xenbus.vbd.detach", "vbd/51728",
			    "xl block-detach did not remove both directories in " STR(
				ATTACH_TIMEOUT_S) " s");
	if (machine_sh(&st->m, 0, 60, NULL, "xl network-detach %d 1", st->domid) ||
	    wait_device(st, "vif", "1", -1, ATTACH_TIMEOUT_S))
		step_failed(st, "xenbus.vif.detach", "vif/1",
			    "xl network-detach did not remove both directories in " STR(
				ATTACH_TIMEOUT_S) " s");
	watch_stop_and_check(st, dirs, sides, devs, 4);
	/* the least of three samples, 1 s apart: grants of the domU's other devices
	 * (netfront rx buffers) come and go, a leak stays */
	leak_sample(st, "xen-dumps-after.txt", &after);
	for (int i = 0; i < 2; i++) {
		struct conform_leak_sample again;

		sleep(1);
		leak_sample(st, "xen-dumps-after.txt", &again);
		if (again.grant_entries >= 0 &&
		    (after.grant_entries < 0 || again.grant_entries < after.grant_entries))
			after.grant_entries = again.grant_entries;
		if (again.event_channels >= 0 &&
		    (after.event_channels < 0 || again.event_channels < after.event_channels))
			after.event_channels = again.event_channels;
	}
	conform_check_leaks(&before, &after, "domU", &st->r);
	sleep(1); /* kthread_stop is asynchronous to the xenstore removal */
	if (!machine_sh(&st->m, 0, 20, &ps, "ps ax")) {
		save_text(st, "dom0-ps-after.txt", &ps);
		if (!conform_backend_thread_prefix("vbd", st->domid, "xvdb", prefix,
						   sizeof(prefix)))
			conform_check_backend_threads(ps.buf ? ps.buf : "", prefix, "vbd/51728",
						      &st->r);
		if (!conform_backend_thread_prefix("vif", st->domid, "1", prefix, sizeof(prefix)))
			conform_check_backend_threads(ps.buf ? ps.buf : "", prefix, "vif/1",
						      &st->r);
	}
	sb_free(&ps);
}

/* Maps pvbench-blkif's JSON checks into results. */
static int import_blkif(struct conform_state *st, const char *text, size_t len)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je), *c;
	char subject[48];
	size_t i;

	if (!doc || !json_is_array(json_object_get(doc, "checks"))) {
		json_decref(doc);
		return -EINVAL;
	}
	snprintf(subject, sizeof(subject), "vbd/%lld",
		 (long long)json_integer_value(json_object_get(doc, "vdev")));
	json_array_foreach(json_object_get(doc, "checks"), i, c)
	{
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *level = json_string_value(json_object_get(c, "level"));
		const char *res = json_string_value(json_object_get(c, "result"));
		const char *src = json_string_value(json_object_get(c, "source"));
		const char *ex = json_string_value(json_object_get(c, "expected"));
		const char *ac = json_string_value(json_object_get(c, "actual"));
		const char *de = json_string_value(json_object_get(c, "detail"));
		enum conform_outcome out = CONF_FAIL;

		if (!name || !res)
			continue;
		if (!strcmp(res, "pass"))
			out = CONF_PASS;
		else if (!strcmp(res, "skip"))
			out = CONF_SKIP;
		conform_add(&st->r, name, subject,
			    level && !strcmp(level, "SHOULD") ? CONF_SHOULD
			    : !strcmp(res, "warn")	      ? CONF_SHOULD
							      : CONF_MUST,
			    out, src ? src : "drivers/blkif", ex, ac, "%s", de ? de : "");
	}
	json_decref(doc);
	return 0;
}

/* The user-space frontend against two vbds xen-blkfront does not bind: xvdc (rw,
 * /dev/ram2) and xvdd (ro, /dev/ram3). Then dom0 alive, no new oops, xvda works. */
static void request_checks(struct conform_state *st)
{
	struct sbuf cmd = {0}, out = {0};
	struct exec_result r;
	int rc;

	pvb_info("[%6.1f s] blkif request checks (pvbench-blkif in %s)", machine_time(&st->m),
		 CONFORM_DOMU);
	machine_sh(&st->m, 0, 10, NULL,
		   "dmesg | grep -cE 'BUG|Oops|WARNING|general protection' "
		   "> /tmp/pvbench-oops-before; true");
	if (machine_sh(&st->m, st->domid, 10, NULL, "echo 0 > /sys/bus/xen/drivers_autoprobe") ||
	    machine_sh(&st->m, 0, 60, NULL,
		       "xl block-attach %d format=raw,vdev=xvdc,access=rw,target=/dev/ram2 && "
		       "xl block-attach %d format=raw,vdev=xvdd,access=ro,target=/dev/ram3",
		       st->domid, st->domid)) {
		step_failed(st, "blkif.setup", "vbd/51744",
			    "cannot attach xvdc/xvdd with blkfront autoprobe off");
		goto out;
	}
	sb_printf(&cmd, "pvbench-blkif --vdev 51744 --ro-vdev 51760 --json --timeout 10");
	if (st->o->fuzz)
		sb_printf(&cmd, " --fuzz %ld --seed %ld", st->o->fuzz, st->o->seed);
	rc = machine_exec(&st->m, st->domid, cmd.buf, NULL, 0, 600, &r);
	save_text(st, "blkif.json", &r.out);
	save_text(st, "blkif.stderr", &r.err);
	if (rc || r.timed_out)
		step_failed(st, "blkif.run", "vbd/51744",
			    rc ? r.error : "pvbench-blkif exceeded 600 s (a hang?)");
	else if (import_blkif(st, r.out.buf ? r.out.buf : "", r.out.len))
		step_failed(st, "blkif.run", "vbd/51744",
			    "pvbench-blkif printed no pvbench-blkif/1 JSON (see blkif.stderr)");
	exec_result_free(&r);
	/* After all bad requests: dom0 alive and without new oops, xvda still works. */
	rc = machine_sh(&st->m, 0, 30, &out,
			"n=$(dmesg | grep -cE 'BUG|Oops|WARNING|general protection'); "
			"echo $((n - $(cat /tmp/pvbench-oops-before)))");
	conform_add(&st->r, "dom0.alive", "dom0", CONF_MUST, rc ? CONF_FAIL : CONF_PASS, "pvbench",
		    "dom0 answers", rc ? "no answer" : "answers", "%s",
		    "after every request check");
	if (!rc)
		conform_add(&st->r, "dom0.no_new_oops", "dom0", CONF_MUST,
			    out.buf && !strcmp(out.buf, "0") ? CONF_PASS : CONF_FAIL, "pvbench",
			    "0", out.buf ? out.buf : "", "%s",
			    "new BUG/Oops/WARNING/general protection lines in dom0's kernel log");
	rc = machine_sh(
	    &st->m, st->domid, 60, &out,
	    "dd if=/dev/xvda of=/dev/null bs=4096 count=256 iflag=direct 2>&1 | tail -1");
	conform_add(&st->r, "blkif.other_vbds_unaffected", "vbd/51712", CONF_MUST,
		    rc ? CONF_FAIL : CONF_PASS, "pvbench", "1 MiB direct read of xvda succeeds",
		    rc ? "failed" : "succeeded", "%s", out.buf ? out.buf : "");
out:
	sb_free(&cmd);
	sb_free(&out);
}

static int emit(struct conform_state *st)
{
	char path[PATH_MAX + 32];
	json_t *doc = conform_to_json(&st->r);
	char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/conform.json", st->dir);
	if (!text || write_file_atomic(path, text, strlen(text)))
		pvb_err("cannot write '%s'", path);
	snprintf(path, sizeof(path), "%s/conform.tap", st->dir);
	if ((f = fopen(path, "w"))) {
		conform_emit_tap(&st->r, f);
		fclose(f);
	}
	if (st->o->json)
		printf("%s\n", text ? text : "{}");
	else
		conform_emit_tap(&st->r, stdout);
	conform_summary(&st->r, stderr);
	free(text);
	json_decref(doc);
	return conform_exit_ok(&st->r) ? 0 : 1;
}

int conform_run_suite(const struct conform_opts *o, bool *passed)
{
	struct conform_state st = {.o = o};
	struct guest_cfg gc = {.name = CONFORM_DOMU,
			       .memory_mib = 512,
			       .vcpus = 2,
			       .disk_target = "/dev/ram0",
			       .ip = "10.0.0.2/24",
			       .ready_timeout_s = 240};
	struct host_opts ho;
	struct host_env env;
	char bootdir[PATH_MAX + 16];
	int rc;

	*passed = false;
	if ((rc = run_dir_prepare(o->outdir, "conform", st.dir, sizeof(st.dir))))
		return rc;
	host_opts_default(&ho);
	ho.accel = o->accel;
	ho.mem_mib = 4096;
	ho.dom0_mem_mib = 2048;
	ho.brd_nr = 4; /* ram0 xvda, ram1 xvdb (hot-plug), ram2 xvdc, ram3 xvdd (ro) */
	snprintf(bootdir, sizeof(bootdir), "%s/console", st.dir);
	ho.dir = bootdir;
	if ((rc = host_prepare(&ho, &env)))
		return rc;
	machine_signals_install();
	pvb_info("conform: booting Xen (%s%s)", accel_name(env.accel),
		 env.accel == ACCEL_KVM ? "" : ", emulated: slow");
	if ((rc = host_boot(&st.m, &ho, &env)))
		return rc;
	rc = guest_create(&st.m, &gc, &st.g);
	if (rc) {
		pvb_err("conform: cannot create the domU (%s)", host_status_name(rc));
		machine_kill(&st.m);
		return rc;
	}
	st.domid = st.g.domid;
	pvb_info("[%6.1f s] negotiation checks: vbd/51712 (xvda), vif/0 (eth0)",
		 machine_time(&st.m));
	check_device(&st, "vbd", "51712");
	check_device(&st, "vif", "0");
	if (!pvb_interrupted)
		hotplug_checks(&st);
	if (!pvb_interrupted && o->requests)
		request_checks(&st);
	if (st.m.dead) {
		struct sbuf con = {0};

		step_failed(&st, "machine.alive", "Xen", "the emulated machine died (CRASH)");
		fprintf(stderr, "--- last 40 console lines ---\n%s---\n",
			machine_console_tail(&st.m, 40));
		sb_free(&con);
	}
	*passed = emit(&st) == 0;
	if (st.m.dead || pvb_interrupted || host_poweroff(&st.m, 120))
		machine_kill(&st.m);
	sb_free(&st.m.tail);
	conform_results_free(&st.r);
	printf("%s", "");
	pvb_info("conform: results in %s", st.dir);
	return 0;
}
