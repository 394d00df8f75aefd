/* boot.c: `pvbench boot`: boots Xen + dom0 + one PV domU with a PV disk and NIC,
 * checks health, destroys the domU, powers off, and prints the boot timeline. */
#include "pvbench/commands.h"
#include "pvbench/guest.h"
#include "pvbench/host.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DOMU_IP "10.0.0.2"
#define DOM0_IP "10.0.0.1"

struct boot_opts {
	struct host_opts host;
	struct guest_cfg guest;
	int repeat;
	bool json;
	double shutdown_timeout_s;
	char outdir[PATH_MAX];
};

struct check_result {
	const char *name;
	bool ok;
	char detail[256];
};

/* ---- health checks ------------------------------------------------------------ */

enum where { DOM0, DOMU };

struct health_check {
	const char *name;
	enum where where;
	const char *cmd;    /* printf format; %1$d is the domU's domid */
	const char *expect; /* expected stdout; NULL: exit status 0 is enough */
};

static const struct health_check checks[] = {
	{ "domU running in xl list", DOM0,
	  "xl list | awk '$2 == %1$d { print $5 }' | grep -q '[rb]'", NULL },
	{ "vbd backend state 4 (Connected)", DOM0,
	  "xenstore-read /local/domain/0/backend/vbd/%1$d/51712/state", "4" },
	{ "vbd frontend state 4 (Connected)", DOM0,
	  "xenstore-read /local/domain/%1$d/device/vbd/51712/state", "4" },
	{ "vif backend state 4 (Connected)", DOM0,
	  "xenstore-read /local/domain/0/backend/vif/%1$d/0/state", "4" },
	{ "vif frontend state 4 (Connected)", DOM0,
	  "xenstore-read /local/domain/%1$d/device/vif/0/state", "4" },
	{ "domU sees /dev/xvda", DOMU, "test -b /dev/xvda", NULL },
	{ "domU sees eth0", DOMU, "test -d /sys/class/net/eth0", NULL },
	{ "dom0 pings domU", DOM0, "busybox ping -c 1 -W 5 " DOMU_IP, NULL },
	{ "domU pings dom0", DOMU, "ping -c 1 -W 5 " DOM0_IP, NULL },
};

static void run_table_check(struct machine *m, const struct guest *g,
			    const struct health_check *c, struct check_result *res)
{
	struct sbuf out = { 0 };
	char cmd[512];
	int rc;

	snprintf(cmd, sizeof(cmd), c->cmd, g->domid);
	rc = machine_sh(m, c->where == DOM0 ? 0 : g->domid, 30, &out, "%s", cmd);
	res->name = c->name;
	res->ok = rc == 0 && (!c->expect || (out.buf && !strcmp(out.buf, c->expect)));
	if (!res->ok)
		snprintf(res->detail, sizeof(res->detail), "`%s` in %s: %s%s%s", cmd,
			 c->where == DOM0 ? "dom0" : "domU",
			 rc == -EIO ? "non-zero exit" : rc ? strerror(-rc) : "got ",
			 rc ? "" : "'", rc ? "" : out.buf ? out.buf : "");
	if (!res->ok && !rc)
		strncat(res->detail, "'", sizeof(res->detail) - strlen(res->detail) - 1);
	sb_free(&out);
}

/* 1 MiB of random bytes written by the domU through blkfront with O_DIRECT, read
 * back by the domU, and read by dom0 straight from the backing RAM disk. */
static void check_write_read(struct machine *m, const struct guest *g, struct check_result *res)
{
	struct sbuf a = { 0 }, b = { 0 }, c = { 0 };
	int rc;

	res->name = "write-then-read through xvda";
	rc = machine_sh(m, g->domid, 60, &a,
			"dd if=/dev/urandom of=/tmp/pat bs=65536 count=16 2>/dev/null && "
			"dd if=/tmp/pat of=/dev/xvda bs=65536 count=16 oflag=direct conv=fsync "
			"2>/dev/null && sha256sum < /tmp/pat | cut -d' ' -f1");
	if (!rc)
		rc = machine_sh(m, g->domid, 60, &b,
				"dd if=/dev/xvda bs=65536 count=16 iflag=direct 2>/dev/null | "
				"sha256sum | cut -d' ' -f1");
	if (!rc)
		rc = machine_sh(m, 0, 60, &c,
				"dd if=/dev/ram0 bs=65536 count=16 2>/dev/null | sha256sum | "
				"cut -d' ' -f1");
	res->ok = !rc && a.len == 64 && !strcmp(a.buf, b.buf) && !strcmp(a.buf, c.buf);
	if (!res->ok)
		snprintf(res->detail, sizeof(res->detail),
			 rc ? "a dd/sha256sum step failed (%s)"
			    : "sha256 differ: written %.12s, domU read %.12s, dom0 ram0 %.12s",
			 rc ? strerror(-rc) : a.buf, b.buf ? b.buf : "", c.buf ? c.buf : "");
	sb_free(&a);
	sb_free(&b);
	sb_free(&c);
}

static int run_checks(struct machine *m, const struct guest *g, struct check_result *res)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(checks); i++)
		run_table_check(m, g, &checks[i], &res[n++]);
	check_write_read(m, g, &res[n++]);
	return n;
}

/* ---- one boot ------------------------------------------------------------------ */

struct boot_result {
	char dir[PATH_MAX];
	const char *status; /* OK, FAIL, TIMEOUT, CRASH, INTERRUPTED */
	char failed[256];
	struct timeline tl;
	struct check_result checks[ARRAY_SIZE(checks) + 1];
	int nchecks;
	int domid;
};

/* Saves dom0's dmesg, Xen's dmesg and the domU console into dir. */
static void save_logs(struct machine *m, const struct guest *g, const char *dir)
{
	static const struct {
		const char *cmd, *file;
	} logs[] = { { "dmesg", "dom0-dmesg.log" },
		     { "xl dmesg", "xen-dmesg.log" },
		     { "tail -n +1 /var/lib/pvbench/work/*.xl.log /var/log/xen/xen-hotplug.log "
		       "2>/dev/null",
		       "xl-create.log" } };
	char path[PATH_MAX + 32];
	struct sbuf con = { 0 };

	if (m->dead || m->pid <= 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(logs); i++) {
		struct exec_result r;

		snprintf(path, sizeof(path), "%s/%s", dir, logs[i].file);
		if (machine_exec(m, 0, logs[i].cmd, NULL, 0, 20, &r) == 0)
			write_file_atomic(path, r.out.buf ? r.out.buf : "", r.out.len);
		exec_result_free(&r);
	}
	if (g && g->name[0] && guest_console(m, g, &con) == 0) {
		snprintf(path, sizeof(path), "%s/domU-console.log", dir);
		write_file_atomic(path, con.buf ? con.buf : "", con.len);
	}
	sb_free(&con);
}

/* Progress line with the machine time, e.g. "[  71.6 s] xl create". */
static void phase(struct machine *m, const char *what)
{
	pvb_info("[%6.1f s] %s", machine_time(m), what);
}

static void boot_once(const struct boot_opts *o, struct host_env *env, struct boot_result *br)
{
	struct host_opts ho = o->host;
	struct machine m;
	struct guest g = { .domid = -1 };
	int rc;

	ho.dir = br->dir;
	br->status = "OK";
	rc = host_boot(&m, &ho, env);
	if (rc) {
		br->status = host_status_name(rc);
		snprintf(br->failed, sizeof(br->failed), "dom0 boot");
		br->tl = m.tl;
		return;
	}
	phase(&m, "dom0 toolstack ready; creating the domU");
	rc = guest_create(&m, &o->guest, &g);
	timeline_mark(&m.tl, TL_XL_CREATE, g.t_create);
	timeline_mark(&m.tl, TL_DOMU_INIT, g.t_init);
	timeline_mark(&m.tl, TL_DOMU_READY, g.t_ready);
	br->domid = g.domid;
	if (rc) {
		br->status = host_status_name(rc == -EIO ? -EPROTO : rc);
		snprintf(br->failed, sizeof(br->failed), "domU creation");
	} else {
		phase(&m, "domU ready; running health checks");
		br->nchecks = run_checks(&m, &g, br->checks);
		for (int i = 0; i < br->nchecks; i++)
			if (!br->checks[i].ok && !br->failed[0]) {
				br->status = "FAIL";
				snprintf(br->failed, sizeof(br->failed), "%s", br->checks[i].name);
			}
	}
	phase(&m, "saving logs");
	save_logs(&m, &g, br->dir);
	phase(&m, "destroying the domU");
	if (!rc && guest_destroy(&m, &g) && !br->failed[0]) {
		br->status = "FAIL";
		snprintf(br->failed, sizeof(br->failed), "xl destroy");
	}
	phase(&m, "powering off");
	if (m.dead || pvb_interrupted) {
		machine_kill(&m);
	} else if (host_poweroff(&m, o->shutdown_timeout_s) == 0) {
		timeline_mark(&m.tl, TL_SHUTDOWN_DONE, machine_time(&m));
	} else if (!br->failed[0]) {
		br->status = "TIMEOUT";
		snprintf(br->failed, sizeof(br->failed), "power-off");
	}
	if (strcmp(br->status, "OK"))
		fprintf(stderr, "--- last 40 console lines (%s/xen-serial.log) ---\n%s---\n",
			br->dir, machine_console_tail(&m, 40));
	br->tl = m.tl;
	sb_free(&m.tail);
}

/* ---- output -------------------------------------------------------------------- */

static json_t *boot_json(const struct boot_result *br)
{
	json_t *o = json_object(), *cs = json_array();

	json_object_set_new(o, "dir", json_string(br->dir));
	json_object_set_new(o, "status", json_string(br->status));
	json_object_set_new(o, "failed_check", br->failed[0] ? json_string(br->failed)
							     : json_null());
	json_object_set_new(o, "domid", json_integer(br->domid));
	json_object_set_new(o, "timeline", timeline_to_json(&br->tl));
	for (int i = 0; i < br->nchecks; i++)
		json_array_append_new(cs, json_pack("{s:s, s:b, s:s}", "name", br->checks[i].name,
						    "ok", br->checks[i].ok, "detail",
						    br->checks[i].detail));
	json_object_set_new(o, "checks", cs);
	return o;
}

static void print_boot(const struct boot_result *br)
{
	printf("boot %s: %s%s%s\n", br->dir, br->status, br->failed[0] ? " - failed: " : "",
	       br->failed);
	for (int i = 0; i < br->nchecks; i++)
		printf("  [%s] %s%s%s\n", br->checks[i].ok ? " ok " : "FAIL", br->checks[i].name,
		       br->checks[i].ok ? "" : ": ", br->checks[i].detail);
	timeline_print(&br->tl, stdout);
}

/* ---- options ------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench boot [OPTIONS]\n\n"
		"Boots the bundled Xen and dom0 in QEMU, creates one PV domU with a PV disk\n"
		"(dom0 brd RAM disk) and a PV NIC (dom0 bridge xenbr0, 10.0.0.1/24), checks\n"
		"health (xl list, vbd/vif xenbus states, xvda, eth0, ping both ways, a\n"
		"write-then-read through xvda), destroys the domU, powers off, and prints the\n"
		"timeline in seconds since QEMU start. Exit 0 only if every check passed.\n\n"
		"  -o, --output DIR        logs and boot.json (default build/runs/boot-<time>)\n"
		"      --images DIR        image directory to boot (default build/images)\n"
		"      --accel auto|tcg|kvm   accelerator (auto: KVM only if it can run Xen)\n"
		"      --clock auto|icount|host   guest time (auto: icount under TCG, host\n"
		"                          under KVM; see README \"Clocks\")\n"
		"      --icount-shift N    icount: 2^N ns per instruction (3)\n"
		"      --memory MIB        QEMU memory (3072)\n"
		"      --smp N             QEMU vCPUs (2)\n"
		"      --dom0-mem MIB      dom0_mem (1024)\n"
		"      --domu-mem MIB      domU memory (512)\n"
		"      --domu-vcpus N      domU vCPUs (2)\n"
		"      --domu-type pv|pvh  domU type (pv)\n"
		"      --xen-cmdline STR   appended to Xen's command line\n"
		"      --dom0-cmdline STR  appended to dom0's kernel command line\n"
		"      --timeout-dom0 S    QEMU start to dom0 agent (180)\n"
		"      --timeout-domu S    xl create to domU agent (180)\n"
		"      --timeout-shutdown S   power-off (120)\n"
		"      --repeat N          boot N times and print the median timeline\n"
		"      --json              JSON on stdout instead of tables\n"
		"  -h, --help\n");
}

enum { O_IMAGES = 256, O_ACCEL, O_CLOCK, O_SHIFT, O_MEM, O_SMP, O_D0MEM, O_DUMEM, O_DUVCPU, O_DUTYPE, O_XENCMD,
       O_D0CMD, O_TD0, O_TDU, O_TSHUT, O_REPEAT, O_JSON };

static int int_opt(const char *name, const char *v, long min, long max, int *out)
{
	long x;

	if (parse_long(v, min, max, &x)) {
		pvb_err("%s: '%s' is not an integer in [%ld, %ld]", name, v, min, max);
		return -EINVAL;
	}
	*out = (int)x;
	return 0;
}

static int dbl_opt(const char *name, const char *v, double *out)
{
	if (parse_double(v, 1, 86400, out)) {
		pvb_err("%s: '%s' is not a number of seconds in [1, 86400]", name, v);
		return -EINVAL;
	}
	return 0;
}

static int set_opt(struct boot_opts *o, int c, const char *v)
{
	switch (c) {
	case 'o': snprintf(o->outdir, sizeof(o->outdir), "%s", v); return 0;
	case O_IMAGES: o->host.images_dir = v; return 0;
	case O_ACCEL:
		if (accel_parse(v, &o->host.accel)) {
			pvb_err("--accel: '%s' is not one of auto, tcg, kvm", v);
			return -EINVAL;
		}
		return 0;
	case O_CLOCK:
		if (clock_parse(v, &o->host.clock)) {
			pvb_err("--clock: '%s' is not one of auto, icount, host", v);
			return -EINVAL;
		}
		return 0;
	case O_SHIFT:
		return int_opt("--icount-shift", v, 0, ICOUNT_SHIFT_MAX, &o->host.icount_shift);
	case O_MEM: return int_opt("--memory", v, 512, 1 << 20, &o->host.mem_mib);
	case O_SMP: return int_opt("--smp", v, 1, 64, &o->host.smp);
	case O_D0MEM: return int_opt("--dom0-mem", v, 256, 1 << 20, &o->host.dom0_mem_mib);
	case O_DUMEM: return int_opt("--domu-mem", v, 64, 1 << 20, &o->guest.memory_mib);
	case O_DUVCPU: return int_opt("--domu-vcpus", v, 1, 64, &o->guest.vcpus);
	case O_DUTYPE:
		if (strcmp(v, "pv") && strcmp(v, "pvh")) {
			pvb_err("--domu-type: '%s' is not one of pv, pvh", v);
			return -EINVAL;
		}
		o->guest.type = v;
		return 0;
	case O_XENCMD: o->host.xen_extra = v; return 0;
	case O_D0CMD: o->host.dom0_extra = v; return 0;
	case O_TD0: return dbl_opt("--timeout-dom0", v, &o->host.dom0_timeout_s);
	case O_TDU: return dbl_opt("--timeout-domu", v, &o->guest.ready_timeout_s);
	case O_TSHUT: return dbl_opt("--timeout-shutdown", v, &o->shutdown_timeout_s);
	case O_REPEAT: return int_opt("--repeat", v, 1, 100, &o->repeat);
	case O_JSON: o->json = true; return 0;
	}
	return -EINVAL;
}

static int parse_opts(int argc, char **argv, struct boot_opts *o)
{
	static const struct option opts[] = {
		{ "output", required_argument, 0, 'o' },  { "accel", required_argument, 0, O_ACCEL },
		{ "images", required_argument, 0, O_IMAGES },
		{ "clock", required_argument, 0, O_CLOCK },
		{ "icount-shift", required_argument, 0, O_SHIFT },
		{ "memory", required_argument, 0, O_MEM }, { "smp", required_argument, 0, O_SMP },
		{ "dom0-mem", required_argument, 0, O_D0MEM },
		{ "domu-mem", required_argument, 0, O_DUMEM },
		{ "domu-vcpus", required_argument, 0, O_DUVCPU },
		{ "domu-type", required_argument, 0, O_DUTYPE },
		{ "xen-cmdline", required_argument, 0, O_XENCMD },
		{ "dom0-cmdline", required_argument, 0, O_D0CMD },
		{ "timeout-dom0", required_argument, 0, O_TD0 },
		{ "timeout-domu", required_argument, 0, O_TDU },
		{ "timeout-shutdown", required_argument, 0, O_TSHUT },
		{ "repeat", required_argument, 0, O_REPEAT }, { "json", no_argument, 0, O_JSON },
		{ "help", no_argument, 0, 'h' },	   { 0, 0, 0, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	host_opts_default(&o->host);
	o->guest = (struct guest_cfg){ .name = "pvbench-domU1", .memory_mib = 512, .vcpus = 2,
				       .disk_target = "/dev/ram0", .ip = DOMU_IP "/24",
				       .ready_timeout_s = 180 };
	o->repeat = 1;
	o->shutdown_timeout_s = 120;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?' || set_opt(o, c, optarg))
			return -EINVAL;
	}
	if (optind < argc) {
		pvb_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int cmd_boot(int argc, char **argv)
{
	struct boot_opts o;
	struct host_env env;
	struct boot_result *br;
	struct timeline *tls, med;
	json_t *out, *arr;
	double t_start = pvb_now();
	int failed = 0, rc = parse_opts(argc, argv, &o);

	if (rc)
		return rc > 0 ? 0 : 2;
	if (run_dir_prepare(o.outdir, "boot", o.outdir, sizeof(o.outdir)) ||
	    host_prepare(&o.host, &env))
		return 2;
	machine_signals_install();
	br = calloc(o.repeat, sizeof(*br));
	tls = calloc(o.repeat, sizeof(*tls));
	arr = json_array();
	for (int i = 0; i < o.repeat && !pvb_interrupted; i++) {
		if (o.repeat > 1)
			snprintf(br[i].dir, sizeof(br[i].dir), "%s/boot-%d", o.outdir, i + 1);
		else
			snprintf(br[i].dir, sizeof(br[i].dir), "%s", o.outdir);
		boot_once(&o, &env, &br[i]);
		tls[i] = br[i].tl;
		failed += strcmp(br[i].status, "OK") != 0;
		json_array_append_new(arr, boot_json(&br[i]));
		if (!o.json)
			print_boot(&br[i]);
	}
	timeline_median(tls, o.repeat, &med);
	out = json_pack("{s:s, s:b, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:f}",
			"schema", "pvbench-boot/1", "ok", failed == 0 && !pvb_interrupted, "accel",
			accel_name(env.accel), "accel_reason", env.accel_reason, "clock",
			clock_name(env.clock), "icount_shift",
			env.clock == CLOCK_ICOUNT ? json_integer(env.icount_shift) : json_null(),
			"qemu_version",
			env.qemu_version, "kernel", env.images.kernel_abi, "xen_cmdline",
			env.xen_cmdline, "dom0_cmdline", env.dom0_cmdline, "boots", arr,
			"median_timeline", timeline_to_json(&med), "wall_s", pvb_now() - t_start);
	{
		char path[PATH_MAX + 16];

		snprintf(path, sizeof(path), "%s/boot.json", o.outdir);
		json_dump_file(out, path, JSON_INDENT(2));
	}
	if (o.json) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		printf("\n");
	} else if (o.repeat > 1) {
		printf("median over %d boots:\n", o.repeat);
		timeline_print(&med, stdout);
	}
	if (!o.json)
		printf("%s: %d of %d boots passed every check; wall time %.1f s; logs in %s\n",
		       failed ? "FAIL" : "OK", o.repeat - failed, o.repeat, pvb_now() - t_start,
		       o.outdir);
	json_decref(out);
	free(br);
	free(tls);
	return pvb_interrupted ? 130 : failed ? 1 : 0;
}
