/* guest.c: PV domU lifecycle (see guest.h). */
#include "pvbench/guest.h"
#include "pvbench/console.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copied by dom0-init from the image directory (shared by the host over virtio-9p). */
#define DOMU_KERNEL "/var/lib/pvbench/domU/vmlinux" /* ELF: no xz in libxc */
#define DOMU_RAMDISK "/var/lib/pvbench/domU/domU.cpio"
#define CONSOLE_DIR "/var/log/xen/console"
/* xl disk spec of the domU's xvda (xl-disk-configuration(5); target= must be
 * last); %s: dom0 target. The hotplug "scripts" are pvbench's own program
 * (hypervisor/pvbench-hotplug.c): Xen's block and vif-bridge took ~8 s per domU
 * under TCG, pvbench's first shell versions 0.65 s. */
#define VBD_SPEC "format=raw,vdev=xvda,access=rw,script=pvbench-vbd,target=%s"
#define VIF_SCRIPT "pvbench-vif"

void guest_xl_config(const struct guest_cfg *c, struct sbuf *out)
{
	unsigned h = 0;

	for (const char *p = c->name; *p; p++)
		h = h * 31 + (unsigned char)*p;
	sb_reset(out);
	sb_printf(out, "name = \"%s\"\ntype = \"%s\"\n", c->name, c->type ? c->type : "pv");
	sb_printf(out, "kernel = \"%s\"\nramdisk = \"%s\"\n", DOMU_KERNEL, DOMU_RAMDISK);
	sb_printf(out, "memory = %d\nvcpus = %d\n", c->memory_mib ? c->memory_mib : 512,
		  c->vcpus ? c->vcpus : 2);
	/* noreplace-smp: with more than one vCPU the kernel ends with its SMP code
	 * anyway, but without it patches every lock prefix to UP at boot and back
	 * to SMP when vCPU 1 comes up (~0.7 s under TCG: code writes flush
	 * translated blocks); the final code is the same. cryptomgr.notests: the
	 * crypto API's self-tests of every algorithm at registration took 0.57 s of
	 * the kernel's 4.3 s to /init under TCG (initcall_debug: crypto_algapi_init
	 * 0.35 s, crypto_kdf108_init 0.22 s); the algorithms are the same, only
	 * their known-answer tests are skipped. */
	sb_printf(out, "extra = \"console=hvc0 rdinit=/init loglevel=6 cryptomgr.notests%s%s%s%s%s",
		  (c->vcpus ? c->vcpus : 2) > 1 ? " noreplace-smp" : "", c->ip ? " pvbench.ip=" : "",
		  c->ip ? c->ip : "", c->extra ? " " : "", c->extra ? c->extra : "");
	/* Linux 6.1's netfront leaves eth* at 1500 whatever the vif's xenstore mtu says
	 * (seen: dom0's vif at 9000, eth0 at 1500), so the domU's init sets it */
	if (c->ip && c->mtu > 0)
		sb_printf(out, " pvbench.mtu=%d", c->mtu);
	sb_puts(out, "\"\n");
	sb_puts(out, "on_crash = \"destroy\"\non_reboot = \"destroy\"\n");
	if (c->disk_target)
		sb_printf(out, "disk = ['" VBD_SPEC "']\n", c->disk_target);
	if (c->ip) {
		unsigned m[3] = { (h >> 16) & 0x7f, (h >> 8) & 0xff, h & 0xff };
		int n = c->n_vifs > 1 ? c->n_vifs : 1;

		if (c->mac)
			sscanf(c->mac, "00:16:3e:%x:%x:%x", &m[0], &m[1], &m[2]);
		sb_puts(out, "vif = [");
		for (int i = 0; i < n; i++) {
			sb_printf(out, "%s'mac=00:16:3e:%02x:%02x:%02x,bridge=xenbr0,script=" VIF_SCRIPT,
				  i ? ", " : "", m[0] & 0x7f, m[1] & 0xff, (m[2] + (unsigned)i) & 0xff);
			if (c->mtu > 0)
				sb_printf(out, ",mtu=%d", c->mtu);
			sb_puts(out, "'");
		}
		sb_puts(out, "]\n");
	}
	if (c->xl_extra)
		sb_printf(out, "%s\n", c->xl_extra);
}

static void show_console(struct machine *m, const struct guest *g)
{
	struct sbuf con = { 0 };

	if (guest_console(m, g, &con) == 0)
		fprintf(stderr, "--- last 40 lines of %s's console ---\n%s---\n", g->name,
			tail_lines(con.buf, con.len, 40));
	else
		fprintf(stderr, "(console of %s unavailable)\n", g->name);
	sb_free(&con);
}

/* t_init from the "pvbench-domU: init at <uptime>" console line and the guest
 * uptime seen when its agent answered. */
static void find_init_time(struct machine *m, struct guest *g, double uptime_at_ready)
{
	struct sbuf con = { 0 };
	char *line;

	g->t_init = -1;
	if (guest_console(m, g, &con) || !con.buf)
		return;
	line = strstr(con.buf, "pvbench-domU: init at ");
	if (line)
		g->t_init = timeline_from_guest_clock(g->t_ready, uptime_at_ready,
						      console_domu_init_uptime(line));
	sb_free(&con);
}

/* Writes the xl config to dom0 /var/lib/pvbench/work/<name>.cfg atomically. */
static int xl_create_cfg(struct machine *m, const struct guest_cfg *c)
{
	struct sbuf cfg = { 0 };
	struct exec_result r;
	char cmd[256];
	int rc;

	guest_xl_config(c, &cfg);
	snprintf(cmd, sizeof(cmd),
		 "cat > /var/lib/pvbench/work/%s.cfg.tmp && mv /var/lib/pvbench/work/%s.cfg.tmp "
		 "/var/lib/pvbench/work/%s.cfg",
		 c->name, c->name, c->name);
	rc = machine_exec(m, 0, cmd, cfg.buf, cfg.len, 10, &r);
	if (rc == 0 && r.status != 0)
		rc = -EIO;
	if (rc)
		pvb_err("cannot write the xl config of '%s' in dom0: %s", c->name, r.error);
	exec_result_free(&r);
	sb_free(&cfg);
	return rc;
}

int guest_create(struct machine *m, const struct guest_cfg *c, struct guest *g)
{
	struct exec_result r;
	double uptime;
	char cmd[512];
	int rc;

	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", c->name);
	g->domid = -1;
	g->t_init = g->t_ready = -1;
	rc = xl_create_cfg(m, c);
	if (rc)
		return rc;
	/* one round trip: create, then print the new domain's id */
	snprintf(cmd, sizeof(cmd),
		 "xl -vvv -T create /var/lib/pvbench/work/%s.cfg 2>/var/lib/pvbench/work/%s.xl.log"
		 " && xl domid %s",
		 c->name, c->name, c->name);
	g->t_create = machine_time(m);
	rc = machine_exec(m, 0, cmd, NULL, 0, 120, &r);
	if (rc || r.status != 0) {
		pvb_err("'xl create' of %s failed (%s)", c->name,
			r.timed_out ? "timed out after 120 s" : r.error[0] ? r.error : "non-zero exit");
		exec_result_free(&r);
		machine_exec(m, 0,
			     "tail -n 25 /var/lib/pvbench/work/*.xl.log; "
			     "tail -n 15 /var/log/xen/xen-hotplug.log 2>/dev/null",
			     NULL, 0, 20, &r);
		fprintf(stderr, "--- xl and hotplug logs (dom0) ---\n%s---\n",
			r.out.buf ? r.out.buf : "(unavailable)\n");
		exec_result_free(&r);
		return rc ? rc : -EIO;
	}
	if (r.out.buf)
		g->domid = atoi(r.out.buf);
	exec_result_free(&r);
	if (g->domid <= 0) {
		pvb_err("cannot find the domid of '%s' after xl create", c->name);
		return -EIO;
	}
	rc = machine_ping(m, g->domid, c->ready_timeout_s > 0 ? c->ready_timeout_s : 180, &uptime);
	if (rc) {
		pvb_err("%s: domain %d (%s) %s", rc == -ETIMEDOUT ? "TIMEOUT" : "CRASH", g->domid,
			g->name,
			rc == -ETIMEDOUT ? "agent did not answer"
			: m->crashed_dom == g->domid ? m->crash_why
						     : "died before its agent answered");
		if (!m->dead)
			show_console(m, g);
		return rc;
	}
	g->t_ready = machine_time(m);
	find_init_time(m, g, uptime);
	return 0;
}

int guest_console(struct machine *m, const struct guest *g, struct sbuf *out)
{
	struct exec_result r;
	char cmd[256];
	int rc;

	snprintf(cmd, sizeof(cmd), "cat %s/guest-%s.log", CONSOLE_DIR, g->name);
	rc = machine_exec(m, 0, cmd, NULL, 0, 20, &r);
	if (rc == 0 && r.status != 0)
		rc = -ENOENT;
	sb_reset(out);
	if (rc == 0 && r.out.len)
		sb_append(out, r.out.buf, r.out.len);
	exec_result_free(&r);
	return rc;
}

int guest_destroy(struct machine *m, const struct guest *g)
{
	/* one round trip: destroy, then poll xl until the domain is gone (30 s) */
	return machine_sh(m, 0, 60, NULL,
			  "xl destroy %s && for i in $(seq 300); do "
			  "xl domid %s >/dev/null 2>&1 || exit 0; sleep 0.1; done; exit 1",
			  g->name, g->name);
}
