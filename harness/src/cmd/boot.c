/* boot.c: `pvbench boot`: boots Xen + dom0 + one PV domU with a PV disk and NIC,
 * checks health, destroys the domU, powers off, and prints the boot timeline. */
#include "pvbench/commands.h"
#include "pvbench/guest.h"
#include "pvbench/host.h"

#include <errno.h>
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
	const char *output;	/* -o DIR, or NULL */
	char outdir[PATH_MAX]; /* DIR, or the one made for this boot */
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

#define AT(member) CLI_AT(struct boot_opts, member)
#define SECONDS .kind = CLI_DOUBLE, .min = 1, .max = 86400
static const struct cli_opt boot_opts[] = {
	{ .name = "output", .key = 'o', .arg = "DIR", .kind = CLI_STR, AT(output),
	  .def = "build/runs/boot-<time>", .help = "logs and boot.json" },
	{ .name = "images", .arg = "DIR", .kind = CLI_STR, AT(host.images_dir),
	  .def = "build/images", .help = "image directory to boot" },
	CMD_OPT_ACCEL(struct boot_opts, host.accel),
	CMD_OPT_CLOCK(struct boot_opts, host.clock, "auto",
		      "guest time (auto: icount under TCG, host under KVM; see README \"Clocks\")"),
	{ .name = "icount-shift", .arg = "N", .kind = CLI_INT, AT(host.icount_shift), .min = 0,
	  .max = ICOUNT_SHIFT_MAX, .def = "3", .help = "icount: 2^N ns per instruction" },
	{ .name = "memory", .arg = "MIB", .kind = CLI_INT, AT(host.mem_mib), .min = 512,
	  .max = 1 << 20, .def = "3072", .help = "QEMU memory" },
	{ .name = "smp", .arg = "N", .kind = CLI_INT, AT(host.smp), .min = 1, .max = 64,
	  .def = "2", .help = "QEMU vCPUs" },
	{ .name = "dom0-mem", .arg = "MIB", .kind = CLI_INT, AT(host.dom0_mem_mib), .min = 256,
	  .max = 1 << 20, .def = "1024", .help = "dom0_mem" },
	{ .name = "domu-mem", .arg = "MIB", .kind = CLI_INT, AT(guest.memory_mib), .min = 64,
	  .max = 1 << 20, .def = "512", .help = "domU memory" },
	{ .name = "domu-vcpus", .arg = "N", .kind = CLI_INT, AT(guest.vcpus), .min = 1, .max = 64,
	  .def = "2", .help = "domU vCPUs" },
	{ .name = "domu-type", .arg = "pv|pvh", .kind = CLI_CHOICE, AT(guest.type), .def = "pv",
	  .help = "domU type" },
	{ .name = "xen-cmdline", .arg = "STR", .kind = CLI_STR, AT(host.xen_extra),
	  .help = "appended to Xen's command line" },
	{ .name = "dom0-cmdline", .arg = "STR", .kind = CLI_STR, AT(host.dom0_extra),
	  .help = "appended to dom0's kernel command line" },
	{ .name = "timeout-dom0", .arg = "S", SECONDS, AT(host.dom0_timeout_s), .def = "180",
	  .help = "QEMU start to dom0 agent" },
	{ .name = "timeout-domu", .arg = "S", SECONDS, AT(guest.ready_timeout_s), .def = "180",
	  .help = "xl create to domU agent" },
	{ .name = "timeout-shutdown", .arg = "S", SECONDS, AT(shutdown_timeout_s), .def = "120",
	  .help = "power-off" },
	{ .name = "repeat", .arg = "N", .kind = CLI_INT, AT(repeat), .min = 1, .max = 100,
	  .def = "1", .help = "boot N times and print the median timeline" },
	{ .name = "json", .kind = CLI_FLAG, AT(json), .help = "JSON on stdout instead of tables" },
	CLI_OPT_HELP,
};
#undef SECONDS
#undef AT

const struct cli_cmd boot_cli = {
	.name = "boot",
	.summary = "boot Xen + dom0 + one PV domU, check health, print the timeline",
	.usage = "[OPTIONS]",
	.about = "Boots the bundled Xen and dom0 in QEMU, creates one PV domU with a PV disk\n"
		 "(dom0 brd RAM disk) and a PV NIC (dom0 bridge xenbr0, 10.0.0.1/24), checks\n"
		 "health (xl list, vbd/vif xenbus states, xvda, eth0, ping both ways, a\n"
		 "write-then-read through xvda), destroys the domU, powers off, and prints the\n"
		 "timeline in seconds since QEMU start. Exit 0 only if every check passed.",
	.opts = boot_opts,
	.nopts = ARRAY_SIZE(boot_opts),
	.fn = cmd_boot,
};

static int parse_opts(int argc, char **argv, struct boot_opts *o)
{
	memset(o, 0, sizeof(*o));
	host_opts_default(&o->host);
	o->guest = (struct guest_cfg){ .name = "pvbench-domU1", .memory_mib = 512, .vcpus = 2,
				       .disk_target = "/dev/ram0", .ip = DOMU_IP "/24",
				       .ready_timeout_s = 180 };
	o->repeat = 1;
	o->shutdown_timeout_s = 120;
	return cli_parse(&boot_cli, argc, argv, o, NULL, 0);
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
		return cli_status(rc);
	if (run_dir_prepare(o.output, "boot", o.outdir, sizeof(o.outdir)) ||
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
