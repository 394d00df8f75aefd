/* guest.h: PV domU lifecycle inside a booted host: xl config, `xl create`, waiting
 * for the guest's agent, console log, destroy. The guest's disk is a dom0 block
 * device (brd RAM disk /dev/ram0 by default) exported as xvda through blkback; its
 * NIC is a vif on dom0's xenbr0 bridge (vif-bridge). */
#ifndef PVBENCH_GUEST_H
#define PVBENCH_GUEST_H

#include "pvbench/machine.h"

struct guest_cfg {
	const char *name;        /* xl domain name, e.g. "pvbench-domU1" */
	const char *type;        /* "pv" (default) or "pvh" */
	int memory_mib;          /* default 512 */
	int vcpus;               /* default 2 */
	const char *disk_target; /* dom0 block device; NULL: no disk */
	const char *ip;          /* domU eth0 address "10.0.0.2/24"; NULL: no vif */
	const char *mac;         /* vif MAC; NULL: derived from the name */
	int n_vifs;              /* PV NICs (xl vif=): 0 or 1: one; eth0 gets ip, the
				  * others (eth1...) no address; each MAC's last byte is
				  * the first's plus its index */
	int mtu;                 /* xl vif mtu= of every vif; 0: the toolstack's (1500) */
	const char *extra;       /* extra domU kernel command line (module params...) */
	const char *xl_extra;    /* extra xl config lines */
	double ready_timeout_s;  /* xl create -> agent answers (default 90) */
};

struct guest {
	char name[64];
	int domid;
	double t_create;   /* machine time when `xl create` was issued */
	double t_init;     /* machine time of the domU's /init (guest clock), -1 unknown */
	double t_ready;    /* machine time when its agent first answered */
};

/* Builds the xl config text (pure; for tests). */
void guest_xl_config(const struct guest_cfg *c, struct sbuf *out);
/* Creates the guest and waits for its agent. On failure prints the reason with the
 * guest console's last 40 lines and returns -ETIMEDOUT (agent never answered),
 * -EPIPE (guest or machine died), -EIO (xl create failed) or -EINTR. */
int guest_create(struct machine *m, const struct guest_cfg *c, struct guest *g);
/* The guest's console log as kept by xenconsoled (dom0 /var/log/xen/console). */
int guest_console(struct machine *m, const struct guest *g, struct sbuf *out);
/* xl destroy, then waits until the domain is gone from `xl list`. */
int guest_destroy(struct machine *m, const struct guest *g);

#endif
