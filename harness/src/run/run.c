/* run.c: the runner of `pvbench run SCENARIO.ini` (run.h, run_scenario): executes a
 * scenario's plan on the emulated host: boots as the plan says, creates the domU per
 * variant, proves each variant took effect (evidence vs expectations), runs the
 * workload, and writes results.json (reports/results-schema.md) atomically after
 * every repetition. The command (argv, usage, the closing answer, exit status) is
 * cmd/run.c. */
#define _GNU_SOURCE /* vasprintf */
#include "pvbench/conform.h"
#include "pvbench/guest.h"
#include "pvbench/host.h"
#include "pvbench/jobs.h"
#include "pvbench/metrics.h"
#include "pvbench/plan.h"
#include "pvbench/run.h"
#include "pvbench/scenario.h"
#include "pvbench/sized.h"
#include "pvbench/workload.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One domU of the current boot. Variants that differ only in guest-scope keys
 * (domU module parameters, guest.*, xl.*) each get their own domU, created at first
 * use and kept for the boot, so interleaved repetitions switch guests for free. */
#define MAX_GUESTS 4
struct slot {
	struct guest g;
	char ip[32];	   /* its eth0 address, e.g. 10.0.0.2 */
	bool up;	   /* created and not known broken */
	bool broken;	   /* a step failed in it: destroy and recreate before reuse */
	struct sbuf key;   /* variant_scope_key(SCOPE_GUEST) it was created for */
	double last_used;
	json_t *evidence;  /* read once after creation */
	bool valid;	   /* every expectation held */
	char invalid_why[512];
};

struct run_state {
	const struct run_opts *o;
	struct scenario sc;
	struct plan plan;
	const struct workload_ops *wl; /* scenario.workload, from the registry */
	enum clock_mode clock; /* --clock, else [machine] clock (resolved in setup) */
	int jobs, job;	  /* machines running at once, and which of them this process is */
	int wfd;	  /* a job's pipe to the parent (JSON lines), or -1 */
	int boots_started; /* boots this process started: numbers are never reused */
	int plan_boot;	  /* the plan's boot number of the machine that is up */
	int boot_no;	  /* its number in results.json and console/boot-N */
	int boot_offset;  /* boots already in results.json (--resume): numbering goes on */
	json_t *res;      /* the whole results.json document */
	char path[PATH_MAX + 32];
	struct machine m;
	bool up;          /* machine booted */
	struct slot slots[MAX_GUESTS]; /* the domUs of the current boot */
	struct slot *cur; /* the one the current step runs in */
	struct slot *peer; /* the current step's second domU (wl_ctx.peer), or NULL */
	struct slot dom0; /* stands for dom0 when the workload needs no domU */
	const char *setup; /* how this step's domU was set up (results: guest_setup) */
	struct host_env env;
	double t_start, measure_s;
	double t_phase; /* when this process started its share of the current plan */
	int failed;
};

/* ---- results.json -------------------------------------------------------------- */

/* Appends run to runs keeping plan order (seq): jobs finish out of order. */
static void runs_insert(json_t *runs, json_t *run)
{
	json_int_t seq = json_integer_value(json_object_get(run, "seq"));
	size_t i = json_array_size(runs);

	while (i > 0 && json_integer_value(json_object_get(json_array_get(runs, i - 1), "seq")) > seq)
		i--;
	json_array_insert_new(runs, i, run);
}

static int save(struct run_state *st)
{
	char *text = json_dumps(st->res, JSON_INDENT(2));
	int rc = text ? write_file_atomic(st->path, text, strlen(text)) : -ENOMEM;

	if (rc)
		pvb_err("cannot write '%s': %s", st->path, strerror(-rc));
	free(text);
	return rc;
}

/* Records one piece of results.json: "environment" (replaces), "boot" or "run"
 * (appended). A job of --jobs N sends it to the parent as one JSON line instead; the
 * parent merges and saves (run_jobs). Takes the reference to obj. */
static void emit(struct run_state *st, const char *kind, json_t *obj)
{
	if (st->wfd >= 0) {
		json_t *msg = json_pack("{s:s, s:o}", "kind", kind, "data", obj);

		if (!msg || job_send(st->wfd, msg))
			pvb_err("job %d: cannot send a %s record to the parent", st->job + 1, kind);
		json_decref(msg);
		return;
	}
	if (!strcmp(kind, "environment"))
		json_object_set_new(st->res, "environment", obj);
	else if (!strcmp(kind, "boot"))
		json_array_append_new(json_object_get(st->res, "boots"), obj);
	else
		runs_insert(json_object_get(st->res, "runs"), obj);
	if (strcmp(kind, "environment"))
		save(st);
}

static void popen_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");

	buf[0] = '\0';
	if (p && fgets(buf, len, p))
		buf[strcspn(buf, "\n")] = '\0';
	if (p)
		pclose(p);
}

static json_t *environment_json(struct run_state *st)
{
	struct host_env *e = &st->env;
	char cpu[256], commit[64], cmd[PATH_MAX + 64];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long long mem = (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);

	popen_line("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1", cpu,
		   sizeof(cpu));
	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse --short HEAD 2>/dev/null",
		 pvb_project_root());
	popen_line(cmd, commit, sizeof(commit));
	char note[512];

	return json_pack("{s:s, s:s, s:b, s:s, s:o, s:s, s:i, s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:s, "
			 "s:s, s:{s:s, s:s, s:I, s:I}}",
			 "accel", accel_name(e->accel), "accel_reason", e->accel_reason,
			 "emulated", e->accel != ACCEL_KVM, "clock", clock_name(e->clock),
			 "icount_shift",
			 e->clock == CLOCK_ICOUNT ? json_integer(e->icount_shift) : json_null(),
			 "clock_reason", e->clock_reason, "jobs", st->jobs, "clock_note",
			 clock_note(e->clock, e->icount_shift, note, sizeof(note)), "host_cpu_model", cpu, "host_cpus",
			 (int)ncpu, "host_mem_bytes", mem, "qemu_version", e->qemu_version,
			 "qemu_cpu", e->cpu, "xen_cmdline", e->xen_cmdline, "dom0_cmdline",
			 e->dom0_cmdline, "commit", commit, "images", "input_hash",
			 e->images.input_hash, "built_at", e->images.built_at, "dom0_bytes",
			 (json_int_t)e->images.bytes[IMG_DOM0], "domU_bytes",
			 (json_int_t)e->images.bytes[IMG_DOMU]);
}

static json_t *metrics_meta_json(struct run_state *st, const struct workload_ops *wl)
{
	json_t *o = json_object();

	for (size_t i = 0; i < *wl->n_metrics; i++)
		json_object_set_new(o, wl->metrics[i].name,
				    json_pack("{s:s, s:s, s:b}", "unit", wl->metrics[i].unit,
					      "better",
					      wl->metrics[i].better == METRIC_HIGHER ? "higher"
										     : "lower",
					      "primary",
					      scenario_metric_primary(&st->sc, wl, wl->metrics[i].name)));
	return o;
}

/* ---- machine and guest --------------------------------------------------------- */

static long get_long(struct run_state *st, const struct variant *v, const char *sec,
		     const char *key, long def)
{
	long x;

	return scenario_get_long(&st->sc, v, sec, key, &x) ? def : x;
}

static int boot_for(struct run_state *st, const struct variant *v, int boot)
{
	struct sbuf xen = { 0 }, dom0 = { 0 };
	struct host_opts ho;
	char dir[PATH_MAX + 32];
	int rc;

	host_opts_default(&ho);
	ho.accel = st->o->accel;
	ho.clock = st->clock;
	ho.icount_shift = (int)get_long(st, NULL, "machine", "icount_shift", ICOUNT_SHIFT_DEFAULT);
	ho.mem_mib = (int)get_long(st, v, "machine", "memory", 6144);
	ho.smp = (int)get_long(st, v, "machine", "vcpus", 2);
	ho.dom0_mem_mib = (int)get_long(st, v, "machine", "dom0_mem", 2048);
	ho.dom0_vcpus = (int)get_long(st, v, "machine", "dom0_vcpus", 0);
	ho.brd_mib = (int)get_long(st, v, "guest", "disk_size", 256);
	ho.brd_nr = MAX_GUESTS; /* brd allocates pages on write only */
	variant_cmdline(&st->sc, v, DOM_XEN, &xen);
	variant_cmdline(&st->sc, v, DOM_DOM0, &dom0);
	ho.xen_extra = xen.len ? xen.buf : NULL;
	ho.dom0_extra = dom0.len ? dom0.buf : NULL;
	snprintf(dir, sizeof(dir), "%s/console/boot-%d", st->o->outdir, boot);
	ho.dir = dir;
	rc = host_prepare(&ho, &st->env);
	if (!rc)
		rc = host_boot(&st->m, &ho, &st->env);
	st->up = rc == 0;
	if (st->up) {
		emit(st, "environment", environment_json(st));
		emit(st, "boot",
		     json_pack("{s:i, s:s, s:o}", "boot", boot, "status", "OK", "timeline",
			       timeline_to_json(&st->m.tl)));
	}
	sb_free(&xen);
	sb_free(&dom0);
	return rc;
}

static void shutdown_machine(struct run_state *st)
{
	if (!st->up)
		return;
	if (st->m.dead || pvb_interrupted || host_poweroff(&st->m, 120))
		machine_kill(&st->m);
	sb_free(&st->m.tail);
	st->up = false;
	for (size_t i = 0; i < MAX_GUESTS; i++) {
		st->slots[i].up = st->slots[i].broken = false;
		sb_free(&st->slots[i].key);
		json_decref(st->slots[i].evidence);
		st->slots[i].evidence = NULL;
	}
	json_decref(st->dom0.evidence);
	st->dom0.evidence = NULL;
	st->cur = NULL;
}

/* Reads one evidence name in the running system: 0 and *out, or -ENOENT (absent). */
static int read_evidence(struct run_state *st, const char *name, struct sbuf *out)
{
	struct evidence_probe p;
	int dom;

	if (evidence_probe(name, st->cur->g.domid, &p))
		return -EINVAL;
	dom = p.where == DOM_DOMU ? st->cur->g.domid : 0;
	switch (p.kind) {
	case EV_COUNT:
		return machine_sh(&st->m, dom, 20, out, "ls -d %s 2>/dev/null | wc -l", p.arg);
	case EV_FILE:
		return machine_sh(&st->m, dom, 20, out, "cat '%s'", p.arg);
	case EV_DMESG:
	case EV_XEN_DMESG: /* Xen's console ring, read in dom0 */
		if (machine_sh(&st->m, p.kind == EV_XEN_DMESG ? 0 : dom, 20, out,
			       "%s | sed -nE 's#.*%s.*#\\1#p' | tail -n 1",
			       p.kind == EV_XEN_DMESG ? "xl dmesg" : "dmesg", p.arg))
			return -EIO;
		return out->len ? 0 : -ENOENT;
	case EV_XENSTORE:
		return machine_sh(&st->m, dom, 20, out, "xenstore-read '%s'", p.arg) ? -ENOENT : 0;
	}
	return -EINVAL;
}

static bool variant_expects(const struct variant *v, const char *name)
{
	for (size_t i = 0; i < v->n_ex; i++)
		if (!strcmp(v->ex[i].name, name))
			return true;
	return false;
}

/* Module parameters of type bool read back as Y or N from sysfs. */
static const char *param_canonical(const char *expected, const char *actual)
{
	static const char *const yes[] = { "1", "y", "Y", "yes", "true", "on" };
	static const char *const no[] = { "0", "n", "N", "no", "false", "off" };

	if (!actual || (strcmp(actual, "Y") && strcmp(actual, "N")))
		return expected;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(expected, yes[i]))
			return "Y";
		if (!strcmp(expected, no[i]))
			return "N";
	}
	return expected;
}

/* Reads evidence `name`, records it in values and a check against `expected` in
 * checks; the first failed check makes the guest INVALID. `implicit`: the check
 * comes from a module parameter override, not an expect.* key. */
static void check_expect(struct run_state *st, const char *name, const char *expected,
			 bool implicit, json_t *values, json_t *checks, struct sbuf *out)
{
	int rc = read_evidence(st, name, out);
	const char *actual = rc ? NULL : out->buf ? out->buf : "";
	const char *want = implicit ? param_canonical(expected, actual) : expected;
	/* A parameter declared with permission 0 (e.g. xen.fifo_events) has no sysfs
	 * file: its implicit check cannot be made, and says so instead of failing. */
	bool unverifiable = implicit && !actual;
	bool ok = unverifiable || expect_holds(want, actual);

	json_object_set_new(values, name, actual ? json_string(actual) : json_null());
	json_array_append_new(checks, json_pack("{s:s, s:s, s:s?, s:b, s:b, s:b}", "key", name,
						"expected", want, "actual", actual, "ok", ok,
						"implicit", implicit, "verifiable", !unverifiable));
	if (!ok && st->cur->valid) {
		st->cur->valid = false;
		snprintf(st->cur->invalid_why, sizeof(st->cur->invalid_why),
			 "%s%s = %s, but the running system shows %s",
			 implicit ? "module parameter " : "expect.", name, want,
			 actual ? actual : "absent");
	}
}

/* scenario.conform: the negotiation checks of `pvbench conform` on the new domU's
 * xvda and eth0 (conform_device_check); a failed MUST check makes it INVALID. */
static void conformance(struct run_state *st)
{
	struct conform_results r = { 0 };

	conform_device_check(&st->m, st->cur->g.domid, "vbd", "51712", NULL, &r);
	conform_device_check(&st->m, st->cur->g.domid, "vif", "0", NULL, &r);
	json_object_set_new(st->cur->evidence, "conformance", conform_to_json(&r));
	for (size_t i = 0; i < r.n && st->cur->valid; i++)
		if (r.v[i].level == CONF_MUST && r.v[i].result == CONF_FAIL) {
			st->cur->valid = false;
			snprintf(st->cur->invalid_why, sizeof(st->cur->invalid_why),
				 "conformance: %s (%s) failed: expected %s, found %s [%s]",
				 r.v[i].name, r.v[i].subject, r.v[i].expected, r.v[i].actual,
				 r.v[i].source);
		}
	conform_results_free(&r);
}

static void collect_evidence(struct run_state *st, const struct variant *v)
{
	json_t *values = json_object(), *checks = json_array(), *lines = json_array();
	struct sbuf out = { 0 };

	st->cur->valid = true;
	st->cur->invalid_why[0] = '\0';
	for (const char *const *e = st->wl->evidence; e && *e; e++)
		json_object_set_new(values, *e,
				    read_evidence(st, *e, &out)
					    ? json_null()
					    : json_string(out.buf ? out.buf : ""));
	for (size_t i = 0; i < v->n_ex; i++)
		check_expect(st, v->ex[i].name, v->ex[i].value, false, values, checks, &out);
	/* Every module parameter the runner applied must read back from sysfs. */
	for (size_t i = 0; i < v->n_ov; i++) {
		const char *k = v->ov[i].key;
		bool domu = !strncmp(k, "domU.", 5), dom0 = !strncmp(k, "dom0.", 5);
		char name[256];

		if ((!domu && !dom0) || !strcmp(k + 5, "cmdline"))
			continue;
		snprintf(name, sizeof(name), "%s_param.%s", domu ? "domU" : "dom0", k + 5);
		if (!variant_expects(v, name))
			check_expect(st, name, v->ov[i].value, true, values, checks, &out);
	}
	/* The kernel log lines that show the feature's negotiation, from dom0 and the domU
	 * (%d: the domU's id; ERE, passed to grep -E). */
	for (size_t i = 0; i < ARRAY_SIZE(st->wl->log_grep) && st->wl->log_grep[i].re; i++) {
		int dom = st->wl->log_grep[i].domu ? st->cur->g.domid : 0;
		char re[128];

		snprintf(re, sizeof(re), st->wl->log_grep[i].re, st->cur->g.domid);
		if (!machine_sh(&st->m, dom, 20, &out, "dmesg | grep -E '%s' | tail -n 2", re) &&
		    out.len)
			json_array_append_new(lines, json_string(out.buf));
	}
	json_decref(st->cur->evidence);
	st->cur->evidence = json_pack("{s:o, s:o, s:o}", "values", values, "checks", checks,
				 "log_lines", lines);
	if (get_long(st, v, "scenario", "conform", 0) && st->cur->g.domid > 0)
		conformance(st);
	sb_free(&out);
}

/* dom0 block device backing the domU's xvda, per guest.disk (brd, null_blk, file). */
static int prepare_disk(struct run_state *st, const struct variant *v, size_t k, char *target,
			size_t len)
{
	const char *kind = variant_get(&st->sc, v, "guest", "disk");
	long mib = get_long(st, v, "guest", "disk_size", 256);

	if (!kind || !strcmp(kind, "brd")) {
		snprintf(target, len, "/dev/ram%zu", k);
		return 0;
	}
	if (!strcmp(kind, "null_blk")) {
		snprintf(target, len, "/dev/nullb%zu", k);
		return machine_sh(&st->m, 0, 30, NULL,
				  "test -b /dev/nullb0 || modprobe null_blk nr_devices=%d gb=%ld "
				  "memory_backed=1 queue_mode=2",
				  MAX_GUESTS, (mib + 1023) / 1024);
	}
	snprintf(target, len, "/var/lib/pvbench/work/disk%zu.img", k);
	return machine_sh(&st->m, 0, 30, NULL, "truncate -s %ldM %s", mib, target);
}

/* The slot for v: its running domU if one was created for v's guest key, else a
 * free (or the least recently used) slot, with *create set. */
static struct slot *slot_for(struct run_state *st, const struct sbuf *key, bool *create)
{
	struct slot *best = NULL;

	*create = true;
	for (size_t i = 0; i < MAX_GUESTS; i++) {
		struct slot *sl = &st->slots[i];

		if (sl->up && !strcmp(sl->key.buf ? sl->key.buf : "", key->buf ? key->buf : "")) {
			*create = sl->broken;
			return sl;
		}
		if (!best || (best->up && (!sl->up || sl->last_used < best->last_used)))
			best = sl;
	}
	return best;
}

static void slot_destroy(struct run_state *st, struct slot *sl)
{
	if (sl->up && !st->m.dead)
		guest_destroy(&st->m, &sl->g);
	sl->up = sl->broken = false;
}

static int guest_create_in(struct run_state *st, const struct variant *v, struct slot *sl)
{
	struct sbuf extra = { 0 }, xl = { 0 };
	size_t k = (size_t)(sl - st->slots);
	char target[128], name[32], ip[32];
	struct guest_cfg c = { .name = name, .ip = ip, .ready_timeout_s = 240 };
	int rc;

	snprintf(name, sizeof(name), "pvbench-domU%zu", k + 1);
	snprintf(sl->ip, sizeof(sl->ip), "10.0.0.%zu", k + 2);
	snprintf(ip, sizeof(ip), "%s/24", sl->ip);
	rc = prepare_disk(st, v, k, target, sizeof(target));
	if (rc)
		return rc;
	variant_cmdline(&st->sc, v, DOM_DOMU, &extra);
	variant_xl_config(v, &xl);
	c.type = variant_get(&st->sc, v, "guest", "type");
	c.vcpus = (int)get_long(st, v, "guest", "vcpus", 2);
	c.memory_mib = (int)get_long(st, v, "guest", "memory", 512);
	c.n_vifs = (int)get_long(st, v, "guest", "vifs", 1);
	c.mtu = (int)get_long(st, v, "guest", "mtu", 0);
	c.disk_target = target;
	c.extra = extra.len ? extra.buf : NULL;
	c.xl_extra = xl.len ? xl.buf : NULL;
	pvb_info("[%6.1f s] creating %s (xvda on %s) for variant %s", machine_time(&st->m), name,
		 target, v->name);
	rc = guest_create(&st->m, &c, &sl->g);
	sb_free(&extra);
	sb_free(&xl);
	return rc;
}

/* The domU for v's guest key plus `role` ("" for the measured domU, "peer" for the
 * second domU of a guest-to-guest workload): the one already running for that key,
 * or a new one (*setup says which). When creating fails with other domUs up (Xen may
 * be short of memory), those are destroyed and creation is tried once more. The
 * measured domU's evidence is collected when it is created. */
static int slot_get(struct run_state *st, const struct variant *v, const char *role,
		    struct slot **out, const char **setup)
{
	struct sbuf key = { 0 };
	struct slot *sl;
	bool create;
	int rc = 0;

	variant_scope_key(&st->sc, v, SCOPE_GUEST, &key);
	if (*role)
		sb_printf(&key, "\nrole=%s", role);
	sl = slot_for(st, &key, &create);
	*out = sl;
	*setup = "same domU";
	if (create) {
		slot_destroy(st, sl);
		rc = guest_create_in(st, v, sl);
		if (rc == -EIO) {
			for (size_t i = 0; i < MAX_GUESTS; i++)
				if (&st->slots[i] != sl && st->slots[i].up &&
				    (!st->cur || &st->slots[i] != st->cur)) {
					pvb_warn("destroying %s to make room", st->slots[i].g.name);
					slot_destroy(st, &st->slots[i]);
				}
			rc = guest_create_in(st, v, sl);
		}
		sl->up = rc == 0;
		*setup = "new domU";
		sb_reset(&sl->key);
		sb_puts(&sl->key, key.buf ? key.buf : "");
	}
	sl->last_used = pvb_now();
	sb_free(&key);
	return rc;
}

/* Makes st->cur the measured domU for v (see slot_get). */
static int guest_for(struct run_state *st, const struct variant *v)
{
	struct slot *sl;
	int rc;

	st->cur = NULL;
	rc = slot_get(st, v, "", &sl, &st->setup);
	st->cur = sl;
	if (!rc && !strcmp(st->setup, "new domU"))
		collect_evidence(st, v);
	return rc;
}

/* ---- one step ------------------------------------------------------------------ */

static void console_excerpt(struct run_state *st, json_t *run)
{
	struct sbuf con = { 0 };
	const char *text = "";

	if (st->up && !st->m.dead && st->cur && guest_console(&st->m, &st->cur->g, &con) == 0)
		text = tail_lines(con.buf ? con.buf : "", con.len, 40);
	else
		text = machine_console_tail(&st->m, 40);
	json_object_set_new(run, "console_excerpt", json_string(text));
	sb_free(&con);
}

/* ---- what a workload's run hook gets (workload.h, struct wl_ctx) ---- */

struct step_ctx {
	struct wl_ctx c;
	struct run_state *st;
	const struct variant *v;
	const struct plan_step *s;
	struct wl_values vals;
};

static int ctx_sh(struct wl_ctx *c, int dom, double timeout_s, struct sbuf *out, const char *fmt,
		  ...)
{
	struct run_state *st = ((struct step_ctx *)c)->st;
	char *cmd = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -ENOMEM;
	rc = machine_sh(&st->m, dom, timeout_s, out, "%s", cmd);
	free(cmd);
	return rc;
}

/* wl_ctx.measure: runs cmd in domain dom with the scenario's timeout, keeps its
 * stdout as raw/NNNN-<variant>-<rep>.<ext> before parsing, then fills metrics (and
 * "series" when the parser gives one) of the run record. */
static enum pvb_status ctx_measure(struct wl_ctx *c, int dom, const char *cmd, const char *ext)
{
	struct step_ctx *sx = (struct step_ctx *)c;
	struct run_state *st = sx->st;
	struct sbuf err = { 0 };
	struct exec_result r;
	struct metric_set ms = { 0 };
	char raw[PATH_MAX + 64], rel[128];
	long timeout_ms = get_long(st, sx->v, "scenario", "timeout", 300000);
	enum pvb_status status = PVB_OK;
	json_t *series = json_array(), *run = c->run;
	int rc;

	rc = machine_exec(&st->m, dom, cmd, NULL, 0, timeout_ms / 1000.0, &r);
	snprintf(rel, sizeof(rel), "raw/%04zu-%s-%d.%s", sx->s->seq, sx->v->name, sx->s->rep, ext);
	snprintf(raw, sizeof(raw), "%s/%s", st->o->outdir, rel);
	write_file_atomic(raw, r.out.buf ? r.out.buf : "", r.out.len);
	json_object_set_new(run, "raw", json_pack("[s]", rel));
	json_object_set_new(run, "command", json_string(cmd));
	if (rc) {
		status = pvb_status_from_errno(rc);
		json_object_set_new(run, "reason", json_string(r.error));
	} else if (r.timed_out) {
		status = PVB_TIMEOUT;
		json_object_set_new(run, "reason", json_string("the workload exceeded scenario.timeout"));
	} else if ((rc = st->wl->parse(r.out.buf, r.out.len, &ms, &err, series)) || r.status != 0) {
		status = PVB_FAIL;
		json_object_set_new(run, "reason",
				    json_sprintf("%s exit %d: %s %s", st->wl->name, r.status,
						 rc && err.buf ? err.buf : "", r.err.buf ? r.err.buf : ""));
	} else {
		json_t *m = json_object();

		for (size_t i = 0; i < ms.n; i++)
			json_object_set_new(m, ms.m[i].name, json_real(ms.m[i].value));
		json_object_set_new(run, "metrics", m);
		if (json_array_size(series))
			json_object_set(run, "series", series);
		st->measure_s += r.elapsed_s;
		json_object_set_new(run, "measure_s", json_real(r.elapsed_s));
	}
	json_decref(series);
	exec_result_free(&r);
	sb_free(&err);
	return status;
}

static int slot_get(struct run_state *st, const struct variant *v, const char *role,
		    struct slot **out, const char **setup);

/* wl_ctx.peer: the second domU of a guest-to-guest workload, recorded as the run's
 * "client"; it is marked broken (recreated) when the repetition does not end OK. */
static enum pvb_status ctx_peer(struct wl_ctx *c, struct wl_domain *peer)
{
	struct step_ctx *sx = (struct step_ctx *)c;
	struct run_state *st = sx->st;
	const char *setup;
	struct slot *sl;
	int rc = slot_get(st, sx->v, "peer", &sl, &setup);

	st->peer = sl;
	json_object_set_new(c->run, "client",
			    json_pack("{s:s, s:s}", "guest", sl->g.name, "setup", setup));
	if (rc) {
		json_object_set_new(c->run, "reason",
				    json_sprintf("cannot create the client domU %s", sl->g.name));
		return pvb_status_from_errno(rc == -EIO ? -EPROTO : rc);
	}
	*peer = (struct wl_domain){ sl->g.domid, sl->g.name, sl->ip };
	return PVB_OK;
}

/* One measured repetition of the workload in st->cur. */
static enum pvb_status measure(struct run_state *st, const struct variant *v,
			       const struct plan_step *s, json_t *run)
{
	struct step_ctx sx = { .st = st, .v = v, .s = s, .vals = scenario_values(&st->sc, v) };
	enum pvb_status status;

	sx.c = (struct wl_ctx){ .vals = &sx.vals, .variant = v->name, .quick = st->plan.quick,
				.guest = { st->cur->g.domid, st->cur->g.name, st->cur->ip },
				.run = run, .sh = ctx_sh, .measure = ctx_measure, .peer = ctx_peer,
				.runner = st };
	st->peer = NULL;
	status = st->wl->run(&sx.c);
	if (st->peer && status != PVB_OK)
		st->peer->broken = true;
	st->peer = NULL;
	return status;
}

static void run_step(struct run_state *st, const struct plan_step *s)
{
	const struct variant *v = &st->sc.variants[s->variant];
	double t0 = pvb_now();
	char when[32];
	const char *status = NULL;
	int rc = 0;
	json_t *run;

	pvb_utc_iso(when, sizeof(when));
	st->setup = NULL;
	if (!st->up || s->boot != st->plan_boot) {
		shutdown_machine(st);
		/* Every boot gets a new number (and console/boot-N), also after a crash;
		 * job j of N takes j+1, j+1+N, ... after those of an earlier --resume. */
		st->boot_no = st->boot_offset + st->boots_started++ * st->jobs + st->job + 1;
		st->plan_boot = s->boot;
		rc = boot_for(st, v, st->boot_no);
		if (rc)
			status = host_status_name(rc);
	}
	if (!status && st->wl->dom0_only) {
		st->cur = &st->dom0;
		st->setup = "no domU";
		if (!st->dom0.evidence) { /* once per boot: dom0 parameters, expectations */
			snprintf(st->dom0.g.name, sizeof(st->dom0.g.name), "Domain-0");
			st->dom0.g.domid = 0;
			st->dom0.up = true;
			collect_evidence(st, v);
		}
	} else if (!status) {
		rc = guest_for(st, v);
		if (rc)
			status = host_status_name(rc == -EIO ? -EPROTO : rc);
	}
	run = json_pack("{s:s, s:i, s:I, s:i, s:s}", "variant", v->name, "rep", s->rep, "seq",
			(json_int_t)s->seq, "boot", st->boot_no, "started_at", when);
	if (st->cur && st->cur->g.name[0])
		json_object_set_new(run, "guest", json_string(st->cur->g.name));
	json_object_set_new(run, "guest_setup", json_string(st->setup ? st->setup : "none"));
	if (!status && !st->cur->valid) {
		status = "INVALID";
		json_object_set_new(run, "reason", json_string(st->cur->invalid_why));
	}
	if (!status)
		status = pvb_status_name(measure(st, v, s, run));
	json_object_set_new(run, "status", json_string(status));
	if (st->cur && st->cur->evidence && st->cur->up)
		json_object_set(run, "evidence", st->cur->evidence);
	if (strcmp(status, "OK") && strcmp(status, "INVALID"))
		console_excerpt(st, run);
	json_object_set_new(run, "duration_s", json_real(pvb_now() - t0));
	if (pvb_interrupted) {
		/* Ctrl-C or SIGTERM cut this step short: it is not a result, and --resume
		 * runs it again. */
		json_decref(run);
		return;
	}
	st->failed += strcmp(status, "OK") != 0;
	if (!strcmp(status, "CRASH") || (st->up && st->m.dead))
		shutdown_machine(st); /* the next step boots afresh */
	else if (st->cur && strcmp(status, "OK") && strcmp(status, "INVALID"))
		st->cur->broken = true; /* recreated before its next use */
	emit(st, "run", run);
}

/* ---- progress ------------------------------------------------------------------ */

/* k: this process's steps done so far, of n. */
static void progress(struct run_state *st, const struct plan_step *s, size_t k, size_t n)
{
	double el = pvb_now() - st->t_start;
	double eta = k ? (pvb_now() - st->t_phase) / k * (n - k) : 0;
	char job[32] = "";

	if (pvb_verbosity < 1)
		return;
	if (st->jobs > 1)
		snprintf(job, sizeof(job), "[job %d/%d] ", st->job + 1, st->jobs);
	fprintf(stderr, "%s%s%s: %s rep %d/%d (step %zu/%zu, plan boot %d/%d) elapsed %.0f s, "
			"left ~%.0f s%s",
		isatty(2) && st->jobs == 1 ? "\r\033[K" : "", job,
		scenario_get(&st->sc, "scenario", "name"), st->sc.variants[s->variant].name, s->rep,
		st->plan.reps, k + 1, n, s->boot, st->plan.boots, el, eta,
		isatty(2) && st->jobs == 1 ? "" : "\n");
}

/* ---- running the steps: in this process, or in --jobs N worker processes ------ */

/* Job j of N takes the repetitions r with (r - 1) mod N = j of every variant, in the
 * planned order, so each machine measures every variant alike. */
static bool step_mine(const struct run_state *st, const struct plan_step *s)
{
	return st->jobs <= 1 || (s->rep - 1) % st->jobs == st->job;
}

static void run_steps(struct run_state *st)
{
	size_t n = 0, k = 0;

	st->t_phase = pvb_now();
	for (size_t i = 0; i < st->plan.n_steps; i++)
		n += step_mine(st, &st->plan.steps[i]);
	for (size_t i = 0; i < st->plan.n_steps && !pvb_interrupted; i++) {
		if (!step_mine(st, &st->plan.steps[i]))
			continue;
		progress(st, &st->plan.steps[i], k++, n);
		run_step(st, &st->plan.steps[i]);
	}
}

struct job_merge {
	struct run_state *st;
	int done; /* workers that reported the end of their share */
};

static int job_work(int job, int wfd, void *arg)
{
	struct run_state *st = ((struct job_merge *)arg)->st;
	json_t *done;

	st->job = job;
	st->wfd = wfd;
	run_steps(st);
	shutdown_machine(st);
	done = json_pack("{s:s, s:{s:f, s:i, s:b}}", "kind", "done", "data", "measure_s",
			 st->measure_s, "failed", st->failed, "interrupted", pvb_interrupted != 0);
	job_send(wfd, done);
	json_decref(done);
	return 0;
}

static void job_record(int job, json_t *rec, void *arg)
{
	struct job_merge *jm = arg;
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	json_t *data = json_object_get(rec, "data");

	(void)job;
	if (!kind || !json_is_object(data))
		return;
	if (!strcmp(kind, "done")) {
		jm->st->measure_s += json_number_value(json_object_get(data, "measure_s"));
		jm->st->failed += (int)json_integer_value(json_object_get(data, "failed"));
		jm->done++;
		return;
	}
	emit(jm->st, kind, json_incref(data));
}

/* Runs the plan in st->jobs worker processes, merging their records into
 * results.json as they arrive. false when a worker died before the end of its
 * share (its finished repetitions are kept; --resume runs the rest). */
static bool run_jobs(struct run_state *st)
{
	struct job_merge jm = { .st = st };
	int bad = jobs_run(st->jobs, job_work, job_record, &jm);

	return bad == 0 && jm.done == st->jobs;
}

/* --jobs default: one machine per host core, as many as memory holds (each QEMU
 * gets machine.memory), no more than there are repetitions to share. icount only:
 * under the host clock, machines running at once would disturb each other's
 * figures. */
static int default_jobs(struct run_state *st)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN), avail_kib = 0, mem = 0, n, reps = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];

	if (st->clock != CLOCK_ICOUNT)
		return 1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &avail_kib) == 1)
			break;
	if (f)
		fclose(f);
	for (size_t i = 0; i < st->plan.n_variants; i++) {
		long m = get_long(st, &st->sc.variants[st->plan.variants[i]], "machine", "memory",
				  6144);

		mem = m > mem ? m : mem;
	}
	for (size_t i = 0; i < st->plan.n_steps; i++)
		reps = st->plan.steps[i].rep > reps ? st->plan.steps[i].rep : reps;
	n = avail_kib / 1024 / (mem + 512); /* + QEMU's own memory */
	n = n < cores ? n : cores;
	n = n < reps ? n : reps;
	return n < 1 ? 1 : n > JOBS_MAX ? JOBS_MAX : (int)n;
}

static int choose_jobs(struct run_state *st)
{
	if (st->o->jobs > 1 && st->clock != CLOCK_ICOUNT) {
		pvb_err("--jobs %d: machines running at once would disturb each other's figures "
			"under the %s clock; use --clock icount or --jobs 1",
			st->o->jobs, clock_name(st->clock));
		return -EINVAL;
	}
	st->jobs = st->o->jobs ? st->o->jobs : default_jobs(st);
	if (st->jobs > 1)
		pvb_info("%d machines at once (--jobs %d; icount figures do not depend on host "
			 "load)",
			 st->jobs, st->jobs);
	return 0;
}

/* ---- set-up, resume, the run ----------------------------------------------------- */

/* Resolves the accelerator and the clock before anything boots, so that an
 * impossible pair (clock icount under KVM) is an input error, not a failed step. */
static int resolve_clock(struct run_state *st)
{
	struct host_kvm h;
	enum accel a;
	char why[256];

	accel_probe_host("", &h);
	if (accel_choose(st->o->accel, &h, &a, why, sizeof(why))) {
		pvb_err("--accel kvm: %s", why);
		return -EINVAL;
	}
	if (clock_choose(st->clock, a, &st->clock, why, sizeof(why))) {
		pvb_err("%s: %s", st->o->scenario, why);
		return -EINVAL;
	}
	return 0;
}

/* --resume into a run of another clock would mix figures that are not comparable. */
static int resume_clock_check(struct run_state *st, json_t *old)
{
	const char *was = json_string_value(
		json_object_get(json_object_get(old, "environment"), "clock"));

	if (!json_array_size(json_object_get(old, "boots")))
		return 0;
	was = was ? was : "host"; /* runs from before clock modes: multi-threaded TCG */
	if (strcmp(was, clock_name(st->clock))) {
		pvb_err("--resume: '%s' was measured with the %s clock, this run would use %s "
			"(pass --clock %s)",
			st->path, was, clock_name(st->clock), was);
		return -EINVAL;
	}
	return 0;
}

/* --resume: the runs already in DIR/results.json are kept and skipped. */
static int load_resume(struct run_state *st, struct plan_done **done, size_t *n)
{
	json_error_t je;
	json_t *old = json_load_file(st->path, 0, &je), *runs, *r;
	size_t i;

	*done = NULL;
	*n = 0;
	if (!old) {
		pvb_err("--resume: cannot read '%s': %s", st->path, je.text);
		return -ENOENT;
	}
	if (resume_clock_check(st, old)) {
		json_decref(old);
		return -EINVAL;
	}
	runs = json_object_get(old, "runs");
	*done = calloc(json_array_size(runs) + 1, sizeof(**done));
	for (i = json_array_size(runs); i-- > 0;) /* files from before this rule */
		if (!strcmp(json_string_value(json_object_get(json_array_get(runs, i), "status"))
				    ?: "", "INTERRUPTED"))
			json_array_remove(runs, i);
	json_array_foreach(runs, i, r)
	{
		(*done)[*n].variant = strdup(json_string_value(json_object_get(r, "variant")) ?: "");
		(*done)[(*n)++].rep = (int)json_integer_value(json_object_get(r, "rep"));
	}
	json_object_set(st->res, "runs", runs);
	json_object_set(st->res, "boots", json_object_get(old, "boots"));
	json_array_foreach(json_object_get(old, "boots"), i, r)
	{
		int b = (int)json_integer_value(json_object_get(r, "boot"));

		if (b > st->boot_offset)
			st->boot_offset = b; /* console/boot-N of earlier boots stays intact */
	}
	json_decref(old);
	return 0;
}

static int setup(struct run_state *st, int argc, char **argv)
{
	struct sbuf err = { 0 }, cmd = { 0 };
	struct plan_opts po = { .variants = st->o->variants, .n_variants = st->o->n_variants,
				.reps = st->o->reps, .reps_auto = st->o->reps_auto,
				.quick = st->o->quick,
				.seed_set = st->o->seed_set, .seed = st->o->seed };
	struct plan_done *done = NULL;
	json_t *scen = NULL, *vars = NULL;
	char when[32];
	int rc;

	if (scenario_load(st->o->scenario, &st->sc, &err)) {
		pvb_err("%s", err.buf ? err.buf : "cannot load scenario");
		sb_free(&err);
		return -EINVAL;
	}
	st->wl = workload_find(scenario_get(&st->sc, "scenario", "workload"));
	if (!st->wl) { /* the loader checked it against the registry */
		pvb_err("%s: workload '%s' is not registered", st->o->scenario,
			scenario_get(&st->sc, "scenario", "workload"));
		return -EINVAL;
	}
	st->clock = st->o->clock;
	if (st->clock == CLOCK_AUTO)
		clock_parse(scenario_get(&st->sc, "machine", "clock"), &st->clock);
	if (resolve_clock(st))
		return -EINVAL;
	for (int i = 0; i < argc; i++)
		sb_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
	pvb_utc_iso(when, sizeof(when));
	st->res = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:b, s:[], s:[]}", "schema",
			    "pvbench-results/1", "tool", "name", "pvbench", "version", "0.1.0",
			    "command", cmd.buf, "started_at", when, "complete", 0, "boots", "runs");
	sb_free(&cmd);
	snprintf(st->path, sizeof(st->path), "%s/results.json", st->o->outdir);
	if (st->o->resume && load_resume(st, &done, &po.n_done))
		return -ENOENT;
	po.done = done;
	rc = plan_build(&st->sc, &po, &st->plan, &err);
	for (size_t i = 0; i < po.n_done; i++)
		free((char *)done[i].variant);
	free(done);
	if (rc) {
		pvb_err("%s", err.buf ? err.buf : "cannot build the plan");
		sb_free(&err);
		return -EINVAL;
	}
	plan_results_json(&st->sc, &st->plan, &scen, &vars);
	json_object_set_new(st->res, "scenario", scen);
	json_object_set_new(st->res, "variants", vars);
	json_object_set_new(st->res, "metrics_meta", metrics_meta_json(st, st->wl));
	plan_describe(&st->sc, &st->plan, false, &err);
	pvb_info("%s", err.buf ? err.buf : "");
	sb_free(&err);
	return 0;
}

/* Runs the current plan in this process or in st->jobs workers; false when a
 * worker died before the end of its share. The machine of a single process stays
 * up for the next plan. */
static bool run_plan(struct run_state *st)
{
	int jobs = st->jobs, reps = 0;
	bool ok = true;

	for (size_t i = 0; i < st->plan.n_steps; i++)
		reps = st->plan.steps[i].rep > reps ? st->plan.steps[i].rep : reps;
	if (st->jobs > 1 && st->plan.n_steps) {
		ok = run_jobs(st);
	} else {
		st->jobs = 1;
		run_steps(st);
	}
	st->jobs = jobs;
	(void)reps;
	return ok;
}

/* Steps done so far, for the plan of the rest (as --resume does). */
static struct plan_done *runs_done(struct run_state *st, size_t *n)
{
	json_t *runs = json_object_get(st->res, "runs"), *r;
	struct plan_done *d = calloc(json_array_size(runs) + 1, sizeof(*d));
	size_t i;

	*n = 0;
	json_array_foreach(runs, i, r)
	{
		d[*n].variant = json_string_value(json_object_get(r, "variant")) ?: "";
		d[(*n)++].rep = (int)json_integer_value(json_object_get(r, "rep"));
	}
	return d;
}

/* Seconds one more repetition of one variant costs: the pilot's steps, set-up
 * included, shared by the machines that ran them. */
static double sec_per_rep(struct run_state *st)
{
	json_t *runs = json_object_get(st->res, "runs"), *r;
	double sum = 0;
	size_t i;

	json_array_foreach(runs, i, r)
		sum += json_number_value(json_object_get(r, "duration_s"));
	return i ? sum / i / (st->jobs > 0 ? st->jobs : 1) : 60;
}

/* repetitions = auto, after the pilot: sizes the run (sized.h), records the design
 * in results.json, says the plan, and runs the rest. A resumed run keeps the size
 * it had planned. false when a worker died. */
static bool run_sized(struct run_state *st)
{
	json_t *old = json_object_get(st->res, "design");
	long pilot = 3, maxr = 20, maxm = 30;
	struct sized_request rq;
	struct sized_result res = { 0 };
	struct plan_opts po = { .variants = st->o->variants, .n_variants = st->o->n_variants,
				.quick = st->o->quick, .seed_set = st->o->seed_set,
				.seed = st->o->seed };
	struct sbuf err = { 0 };
	json_t *design = NULL;
	bool one_boot = st->plan.boots <= 1;
	int n;

	scenario_get_long(&st->sc, NULL, "scenario", "pilot", &pilot);
	scenario_get_long(&st->sc, NULL, "scenario", "max_repetitions", &maxr);
	scenario_get_long(&st->sc, NULL, "scenario", "max_minutes", &maxm);
	rq = (struct sized_request){ .pilot = (int)pilot, .max_reps = (int)maxr,
				     .max_minutes = (double)maxm,
				     .elapsed_s = pvb_now() - st->t_start,
				     .sec_per_rep = sec_per_rep(st) };
	scenario_detect(&st->sc, &rq.detect);
	n = (int)json_integer_value(json_object_get(old, "planned_reps"));
	if (n <= 0) {
		pvb_info("sizing the run from its pilot (simulating compare's verdict at the "
			 "pilot's spread)...");
		if (sized_plan(st->path, &rq, &res, &design)) {
			pvb_warn("repetitions = auto: the run stays at its pilot of %ld repetitions",
				 pilot);
			return true;
		}
		json_object_set_new(st->res, "design", design);
		save(st);
		n = res.n;
		printf("%s: %s\n", scenario_get(&st->sc, "scenario", "name"), res.plan);
		fflush(stdout);
	}
	if (n <= pilot)
		return true;
	po.reps = n;
	po.done = runs_done(st, &po.n_done);
	plan_free(&st->plan);
	if (plan_build(&st->sc, &po, &st->plan, &err)) {
		pvb_err("%s", err.buf ? err.buf : "cannot plan the sized run");
		free((void *)po.done);
		sb_free(&err);
		return false;
	}
	free((void *)po.done);
	sb_free(&err);
	/* The pilot's machine (one process) serves on when both plans have one boot. */
	st->plan_boot = one_boot && st->plan.boots <= 1 ? 1 : -1;
	return run_plan(st);
}

int run_scenario(const struct run_opts *opts, int argc, char **argv, struct run_outcome *out)
{
	struct run_opts o = *opts;
	struct run_state st = { .o = &o, .wfd = -1, .jobs = 1 };
	char outbuf[PATH_MAX], copy[PATH_MAX + 32], when[32];
	bool complete = true;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = setup(&st, argc, argv)) || (rc = choose_jobs(&st)))
		return rc;
	if ((rc = run_dir_prepare(o.outdir, scenario_get(&st.sc, "scenario", "name"), outbuf,
				  sizeof(outbuf))))
		return rc;
	o.outdir = outbuf;
	snprintf(copy, sizeof(copy), "%s/raw", o.outdir);
	if ((rc = mkdir_p(copy))) {
		pvb_err("cannot create '%s'", copy);
		return rc;
	}
	snprintf(copy, sizeof(copy), "%s/scenario.ini", o.outdir);
	write_file_atomic(copy, st.sc.text, st.sc.text_len);
	if (!st.plan.n_steps)
		pvb_info("nothing left to run");
	machine_signals_install();
	st.t_start = pvb_now();
	save(&st);
	complete = run_plan(&st);
	if (complete && st.plan.sized && !pvb_interrupted)
		complete = run_sized(&st);
	shutdown_machine(&st);
	pvb_utc_iso(when, sizeof(when));
	json_object_set_new(st.res, "finished_at", json_string(when));
	json_object_set_new(st.res, "complete", json_boolean(complete && !pvb_interrupted));
	json_object_set_new(st.res, "wall_s", json_real(pvb_now() - st.t_start));
	json_object_set_new(st.res, "measure_s", json_real(st.measure_s));
	json_object_set_new(st.res, "efficiency",
			    json_real(st.measure_s / (pvb_now() - st.t_start + 1e-9)));
	save(&st);
	if (pvb_verbosity && isatty(2))
		fputc('\n', stderr); /* ends the progress line */
	snprintf(out->name, sizeof(out->name), "%s", scenario_get(&st.sc, "scenario", "name"));
	snprintf(out->results, sizeof(out->results), "%s", st.path);
	out->steps = st.plan.n_steps;
	out->not_ok = st.failed;
	out->complete = complete;
	out->wall_s = pvb_now() - st.t_start;
	out->measure_s = st.measure_s;
	out->clock = st.clock;
	out->icount_shift =
		(int)get_long(&st, NULL, "machine", "icount_shift", ICOUNT_SHIFT_DEFAULT);
	json_decref(st.res);
	plan_free(&st.plan);
	scenario_free(&st.sc);
	return 0;
}
