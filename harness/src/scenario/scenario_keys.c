/* scenario_keys.c: what a scenario file may say: the tables of fixed keys, variant
 * keys, module parameters and evidence names (each table drives validation,
 * `pvbench list --keys` and scenarios/README.md) and lookups in them. The
 * cross-key rules every variant must keep are in scenario_rules.c. */
#include "pvbench/scenario.h"
#include "pvbench/workload.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed-section keys. One row drives parsing, validation, `list --keys` and the
 * README. Columns: section, key, type, default, unit, allowed, min, max, flags,
 * workload, doc, example. */
static const struct scenario_key keys[] = {
	{ "scenario", "name", ST_STRING, NULL, "", NULL, 0, 0, SK_REQUIRED | SK_NAME, NULL,
	  "Short name, used in results and file names.", "blk-mq" },
	{ "scenario", "description", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "One sentence: what is compared and why.", "blkfront with 1 ring vs 2 rings" },
	/* allowed and doc: from the workload registry (workload_key()) */
	{ "scenario", "workload", ST_ENUM, "fio", "", NULL, 0, 0, 0, NULL, NULL, "fio" },
	{ "scenario", "repetitions", ST_INT, "3", "", NULL, 1, 1000, SK_AUTO, NULL,
	  "Measured repetitions of each variant. auto: sized to the question: a pilot of "
	  "`pilot` repetitions per variant, then as many as give 80% power to detect a "
	  "`detect` change on each primary metric at the pilot's spread (simulating "
	  "compare's own verdict), capped by `max_repetitions` and `max_minutes`; the "
	  "comparison then runs once on all of them.",
	  "auto" },
	{ "scenario", "pilot", ST_INT, "3", "", NULL, 2, 100, 0, NULL,
	  "repetitions = auto: pilot repetitions per variant.", "4" },
	{ "scenario", "detect", ST_STRING, "2%", "%", NULL, 0, 0, 0, NULL,
	  "repetitions = auto: the change of a primary metric to detect with 80% power, in "
	  "percent (default: compare's equivalence band).",
	  "1%" },
	{ "scenario", "max_repetitions", ST_INT, "20", "", NULL, 2, 1000, 0, NULL,
	  "repetitions = auto: at most this many per variant, pilot included.", "30" },
	{ "scenario", "max_minutes", ST_INT, "30", "min", NULL, 1, 100000, 0, NULL,
	  "repetitions = auto: the repetitions after the pilot must fit in this much wall time "
	  "(at the pilot's pace per repetition) counted from the start of the run.",
	  "60" },
	{ "scenario", "order", ST_ENUM, "interleaved", "", "interleaved|random|blocked", 0, 0, 0,
	  NULL,
	  "Step order: interleaved runs A B A B ..., random shuffles the variants within "
	  "each round (seeded), blocked runs A A A B B B. Interleaving cancels drift.",
	  "random" },
	{ "scenario", "seed", ST_INT, NULL, "", NULL, 0, 4294967295L, 0, NULL,
	  "Seed of order = random; unset: chosen at run time and recorded in results.json.",
	  "12345" },
	{ "scenario", "reps_per_boot", ST_INT, "1", "", NULL, 0, 1000, 0, NULL,
	  "When variants need different boots (they set machine.*, xen.cmdline or dom0.*): "
	  "repetitions of each variant per boot. 0: all in one boot per configuration "
	  "(fewest boots, but boot-to-boot noise then follows the variant).",
	  "2" },
	{ "scenario", "timeout", ST_DURATION, "5m", "s", NULL, 1000, 86400000, 0, NULL,
	  "Limit for one repetition; past it the run is TIMEOUT.", "120s" },
	{ "scenario", "quick_runtime", ST_DURATION, "3s", "s", NULL, 1000, 3600000, 0, NULL,
	  "Workload runtime under --quick, which also drops fio's ramp_time and iperf3's omit "
	  "(iperf3 rounds it up to whole seconds).",
	  "2s" },
	{ "scenario", "conform", ST_BOOL, "false", "", NULL, 0, 0, 0, NULL,
	  "true: every new domU's xvda vbd and eth0 vif are checked against the blkif.h / "
	  "netif.h negotiation rules of `pvbench conform` before it is measured; a failed "
	  "MUST rule makes its runs INVALID, and results.json keeps every check "
	  "(evidence.conformance).",
	  "true" },
	{ "scenario", "primary", ST_LIST, "", "", NULL, 0, 0, 0, NULL,
	  "Metrics whose verdicts answer the scenario's question and set the exit status of "
	  "compare (one Holm family over every primary test of the command); empty: the "
	  "workload's own (fio: the IOPS of each direction measured, iperf3: received "
	  "throughput, httperf: saturation rate, evtchn: round-trip p50, xenwatch: watch "
	  "latency p99). The other metrics are exploratory.",
	  "read_iops, read_clat_p99_ns" },
	{ "scenario", "tags", ST_LIST, "", "", NULL, 0, 0, 0, NULL,
	  "Labels to select scenarios by (e.g. in CI).", "blk, nightly" },

	{ "machine", "vcpus", ST_INT, "2", "", NULL, 1, 64, 0, NULL,
	  "CPUs of the emulated machine (QEMU -smp).", "4" },
	{ "machine", "memory", ST_INT, "6144", "MiB", NULL, 1024, 1048576, 0, NULL,
	  "RAM of the emulated machine (QEMU -m).", "8192" },
	{ "machine", "dom0_mem", ST_INT, "2048", "MiB", NULL, 256, 1048576, 0, NULL,
	  "dom0 memory (Xen dom0_mem=<N>M,max:<N>M).", "3072" },
	{ "machine", "dom0_vcpus", ST_INT, NULL, "", NULL, 1, 64, 0, NULL,
	  "dom0 vCPUs (Xen dom0_max_vcpus=); unset: Xen's default, one per CPU.", "1" },
	{ "machine", "clock", ST_ENUM, "auto", "", "auto|icount|host", 0, 0, SK_RUN_WIDE, NULL,
	  "Guest time. icount: single-threaded TCG with QEMU -icount shift=N,sleep=off, guest "
	  "time = executed instructions x 2^N ns, idle skipped: figures measure CPU work along "
	  "the path and do not move with host load, parallel speedup is not modelled. host: "
	  "multi-threaded TCG (or KVM): guest time is the host's, for questions about parallel "
	  "speedup. auto: icount under TCG, host under KVM; icount with KVM is an error. "
	  "`run --clock` overrides it; every variant of a run has the same clock.",
	  "host" },
	{ "machine", "icount_shift", ST_INT, "3", "", NULL, 0, 10, SK_RUN_WIDE, NULL,
	  "clock = icount: guest time advances 2^N ns per instruction (QEMU -icount shift=N).",
	  "4" },
	{ "machine", "xen_cmdline_extra", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "Words added to Xen's command line.", "sched=credit2" },
	{ "machine", "dom0_cmdline_extra", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "Words added to dom0 Linux's command line.", "loglevel=7" },

	{ "guest", "type", ST_ENUM, "pv", "", "pv|pvh", 0, 0, 0, NULL,
	  "domU type (xl type=); pvh needs hardware-assisted paging (QEMU -cpu ...,+npt).",
	  "pvh" },
	{ "guest", "vcpus", ST_INT, "2", "", NULL, 1, 64, 0, NULL, "domU vCPUs (xl vcpus=).",
	  "4" },
	{ "guest", "memory", ST_INT, "1024", "MiB", NULL, 64, 1048576, 0, NULL,
	  "domU memory (xl memory=).", "512" },
	{ "guest", "cmdline_extra", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "Words added to the domU kernel command line (xl extra=).", "loglevel=7" },
	{ "guest", "disk", ST_ENUM, "brd", "", "brd|null_blk|file", 0, 0, 0, NULL,
	  "What backs the domU's xvda in dom0 (all in dom0 RAM): a brd ram disk, null_blk "
	  "(memory_backed=1) or a file (loop device).",
	  "null_blk" },
	{ "guest", "disk_size", ST_INT, "256", "MiB", NULL, 1, 65536, 0, NULL, "Size of xvda.",
	  "512" },
	{ "guest", "vifs", ST_INT, "1", "", NULL, 1, 8, 0, NULL,
	  "PV NICs of the domU (xl vif=, all on dom0's xenbr0); eth0 gets the address, the "
	  "others (eth1...) none: they add netfront/netback instances and queues.",
	  "2" },
	{ "guest", "mtu", ST_INT, NULL, "bytes", NULL, 68, 65535, 0, NULL,
	  "MTU of every vif: xl vif mtu= (xenstore; dom0's vifD.N, set by the hotplug "
	  "script) and the domU's eth* (set by its init: Linux 6.1's netfront does not "
	  "apply the xenstore mtu); unset: 1500.",
	  "9000" },
};


/* Module parameters a variant may set. Sources: Linux 6.1 drivers (xen-facts B). */
static const struct module_param params[] = {
	{ "xen_blkfront", "max_queues", DOM_DOMU, ST_INT, 1, 64, "4",
	  "blkfront rings wanted; min(this, vCPUs, backend max) [xen-blkfront.c:143, 1903]" },
	{ "xen_blkfront", "max_indirect_segments", DOM_DOMU, ST_INT, 0, 1024, "32",
	  "segments per indirect request, min(this, backend's) [xen-blkfront.c:138]" },
	{ "xen_blkfront", "max_ring_page_order", DOM_DOMU, ST_INT, 0, 4, "0",
	  "ring size 2^order pages, min(this, backend's) [xen-blkfront.c:151, 1786]" },
	{ "xen_blkfront", "feature_persistent", DOM_DOMU, ST_BOOL, 0, 1, "Y",
	  "offer persistent grants [xen-blkfront.c:1763]" },
	{ "xen_blkfront", "trusted", DOM_DOMU, ST_BOOL, 0, 1, "Y",
	  "N: bounce buffers, backend treated as untrusted [xen-blkfront.c:155]" },
	{ "xen_blkback", "max_queues", DOM_DOM0, ST_INT, 0, 64, "0",
	  "multi-queue-max-queues advertised; 0: dom0's online CPUs [blkback.c:102]" },
	{ "xen_blkback", "max_ring_page_order", DOM_DOM0, ST_INT, 0, 4, "4",
	  "max-ring-page-order advertised [blkback.c:112]" },
	{ "xen_blkback", "max_buffer_pages", DOM_DOM0, ST_INT, 0, 1048576, "1024",
	  "pages kept in blkback's pool [blkback.c:65]" },
	{ "xen_blkback", "max_persistent_grants", DOM_DOM0, ST_INT, 0, 1048576, "1056",
	  "persistent grants kept per ring [blkback.c:78]" },
	{ "xen_blkback", "persistent_grant_unused_seconds", DOM_DOM0, ST_INT, 0, 86400, "60",
	  "unused persistent grants are dropped after this [blkback.c:88]" },
	{ "xen_blkback", "log_stats", DOM_DOM0, ST_BOOL, 0, 1, "N",
	  "log per-ring request counters [blkback.c:131]" },
	{ "xen_blkback", "feature_persistent", DOM_DOM0, ST_BOOL, 0, 1, "Y",
	  "offer persistent grants [xen-blkback/xenbus.c:161]" },
	{ "xen_netfront", "max_queues", DOM_DOMU, ST_INT, 0, 64, "0",
	  "netfront queues; 0: min(8, CPUs) [xen-netfront.c:63]" },
	{ "xen_netback", "max_queues", DOM_DOM0, ST_INT, 0, 64, "0",
	  "multi-queue-max-queues advertised; default min(8, CPUs) [netback.c:70]" },
	{ "xen_netback", "separate_tx_rx_irq", DOM_DOM0, ST_BOOL, 0, 1, "Y",
	  "offer split event channels [netback.c:55]" },
	{ "xen", "fifo_events", DOM_DOM0, ST_BOOL, 0, 1, "Y",
	  "N: 2-level event channel ABI [events_base.c:72]" },
	{ "xen", "fifo_events", DOM_DOMU, ST_BOOL, 0, 1, "Y",
	  "N: 2-level event channel ABI [events_base.c:72]" },
};

/* Evidence names for expect.<name>: what a runner reads to prove a variant took
 * effect. 51712 = xvda (202 << 8) [xen-vbd-interface.7]. */
static const struct evidence_name evidence[] = {
	{ "mq_queues", DOM_DOMU, EV_COUNT, "/sys/block/xvda/mq/*", true,
	  "blk-mq hardware queues of xvda in the domU, one per blkfront ring "
	  "[block/blk-mq-sysfs.c:193]" },
	{ "blkback_queues", DOM_DOM0, EV_DMESG,
	  "xen-blkback: backend/vbd/{domid}/51712: using ([0-9]+) queues", true,
	  "rings blkback connected, from dom0's kernel log [xen-blkback/xenbus.c:1113]" },
	{ "frontend.<key>", DOM_DOM0, EV_XENSTORE, "/local/domain/{domid}/device/vbd/51712/{key}",
	  false,
	  "blkfront's xenstore key, e.g. multi-queue-num-queues, ring-page-order, "
	  "feature-persistent, queue-0/ring-ref [blkif.h]" },
	{ "backend.<key>", DOM_DOM0, EV_XENSTORE,
	  "/local/domain/0/backend/vbd/{domid}/51712/{key}", false,
	  "blkback's xenstore key, e.g. multi-queue-max-queues, max-ring-page-order, "
	  "feature-max-indirect-segments, feature-persistent [blkif.h]" },
	{ "domU_param.<module>.<param>", DOM_DOMU, EV_FILE, "/sys/module/{module}/parameters/{param}",
	  false, "a module parameter as the domU kernel holds it (bools read Y or N)" },
	{ "dom0_param.<module>.<param>", DOM_DOM0, EV_FILE, "/sys/module/{module}/parameters/{param}",
	  false, "a module parameter as the dom0 kernel holds it (bools read Y or N)" },
	{ "vif_queues", DOM_DOMU, EV_COUNT, "/sys/class/net/eth0/queues/tx-*", true,
	  "transmit queues of eth0 in the domU, one per netfront queue "
	  "[xen-netfront.c: xennet_create_queues]" },
	{ "vif_irqs", DOM_DOM0, EV_COUNT, "/proc/irq/*/vif{domid}.0-q*", true,
	  "netback interrupt handlers of the domU's first vif in dom0 (vifD.0-qK, or "
	  "vifD.0-qK-tx and -rx with split event channels) [xen-netback/interface.c]" },
	{ "vif_frontend.<key>", DOM_DOM0, EV_XENSTORE, "/local/domain/{domid}/device/vif/0/{key}",
	  false,
	  "netfront's xenstore key, e.g. multi-queue-num-queues, state, "
	  "queue-0/event-channel-tx [netif.h]" },
	{ "vif_backend.<key>", DOM_DOM0, EV_XENSTORE,
	  "/local/domain/0/backend/vif/{domid}/0/{key}", false,
	  "netback's xenstore key, e.g. multi-queue-max-queues, hotplug-status, "
	  "feature-split-event-channels [netif.h]" },
	{ "upcall_vector", DOM_DOM0, EV_XEN_DMESG, "d{domid}v0: upcall vector ([0-9a-f]+)", false,
	  "the per-vCPU event upcall vector of the domU's vCPU 0, from Xen's log; HVM and "
	  "PVH guests only (PV guests have none: absent) [xen/arch/x86/hvm/hvm.c:4100-4124]" },
	{ "evtchn_abi", DOM_DOMU, EV_DMESG, "Using (FIFO-based|2-level) ABI", false,
	  "event-channel ABI of the domU kernel, FIFO-based or 2-level (xen.fifo_events=0), "
	  "from its kernel log \"xen:events: Using ... ABI\" [events_fifo.c:437; events_2l.c:382]" },
	{ "vif_count", DOM_DOMU, EV_COUNT, "/sys/class/net/eth*", true,
	  "PV NICs the domU kernel created (netfront devices eth0, eth1...)" },
	{ "vif_mtu", DOM_DOMU, EV_FILE, "/sys/class/net/eth0/mtu", true,
	  "MTU of eth0 in the domU (see guest.mtu; the vif's xenstore mtu is "
	  "vif_frontend.mtu)" },
	{ "vif_dom0_mtu", DOM_DOM0, EV_FILE, "/sys/class/net/vif{domid}.0/mtu", true,
	  "MTU of the domU's first vif in dom0 (set by vif-bridge from xenstore)" },
	{ "queue.<attr>", DOM_DOMU, EV_FILE, "/sys/block/xvda/queue/{key}", false,
	  "a block queue attribute of xvda in the domU, e.g. max_segments, max_hw_sectors_kb" },
};

/* ---- the [variant NAME] keys ---- */

static const struct variant_key vkeys[] = {
	{ "baseline", SCOPE_RUN, VK_BASELINE,
	  "true: the variant the others are compared with. Exactly one; default: the first.",
	  "baseline = true" },
	{ "expect.<name>", SCOPE_RUN, VK_EXPECT,
	  "Evidence that must hold or the run is INVALID: an exact value (integers compare "
	  "numerically) or absent. Names: see Evidence.",
	  "expect.mq_queues = 2" },
	{ "xen.cmdline", SCOPE_BOOT, VK_CMDLINE, "Words added to Xen's command line.",
	  "xen.cmdline = sched=credit2" },
	{ "dom0.cmdline", SCOPE_BOOT, VK_CMDLINE, "Words added to dom0's kernel command line.",
	  "dom0.cmdline = xen.fifo_events=0" },
	{ "domU.cmdline", SCOPE_GUEST, VK_CMDLINE, "Words added to the domU kernel command line.",
	  "domU.cmdline = loglevel=7" },
	{ "dom0.<module>.<param>", SCOPE_BOOT, VK_PARAM,
	  "dom0 module parameter, as <module>.<param>=<value> on dom0's command line; see "
	  "Module parameters.",
	  "dom0.xen_blkback.max_queues = 1" },
	{ "domU.<module>.<param>", SCOPE_GUEST, VK_PARAM,
	  "domU module parameter, as <module>.<param>=<value> on the domU command line; see "
	  "Module parameters.",
	  "domU.xen_blkfront.max_queues = 2" },
	{ "xl.<key>", SCOPE_GUEST, VK_XL,
	  "Line '<key> = <value>' added to the domU's xl config; the value is xl syntax (quote "
	  "strings). Keys pvbench sets itself (name, kernel, ramdisk, extra, memory, vcpus, "
	  "type, disk, ...) are refused: use guest.* or domU.cmdline.",
	  "xl.max_grant_frames = 64" },
	{ "machine.<key>", SCOPE_BOOT, VK_FIXED, "Overrides a [machine] key for this variant.",
	  "machine.dom0_vcpus = 1" },
	{ "guest.<key>", SCOPE_GUEST, VK_FIXED, "Overrides a [guest] key for this variant.",
	  "guest.vcpus = 4" },
	{ "workload.<key>", SCOPE_RUN, VK_FIXED, "Overrides a [workload] key for this variant.",
	  "workload.iodepth = 1" },
};

static const struct {
	const char *key, *instead;
} xl_reserved[] = {
	{ "name", NULL },	       { "kernel", NULL },	       { "ramdisk", NULL },
	{ "extra", "domU.cmdline" },   { "cmdline", "domU.cmdline" }, { "root", "domU.cmdline" },
	{ "memory", "guest.memory" },  { "maxmem", "guest.memory" },  { "vcpus", "guest.vcpus" },
	{ "maxvcpus", "guest.vcpus" }, { "type", "guest.type" },      { "builder", "guest.type" },
	{ "disk", "guest.disk" },      { "vif", "guest.vifs and guest.mtu" },
};

/* ---- lookups ---- */

/* scenario.workload's row, its allowed values and doc made from the registry: "fio|
 * iperf3|...", and "Workload: <phrase>, <phrase>, or <phrase>; its keys go in
 * [workload]." */
static const struct scenario_key *workload_key(const struct scenario_key *row)
{
	static struct scenario_key k;
	static struct sbuf allowed, doc;
	const struct workload_ops *wl;

	if (k.name)
		return &k;
	sb_puts(&doc, "Workload: ");
	for (size_t i = 0; (wl = workload_at(i)); i++) {
		sb_printf(&allowed, "%s%s", i ? "|" : "", wl->name);
		sb_printf(&doc, "%s%s", !i ? "" : workload_at(i + 1) ? ", " : ", or ", wl->phrase);
	}
	sb_puts(&doc, "; its keys go in [workload].");
	k = *row;
	k.allowed = allowed.buf;
	k.doc = doc.buf;
	return &k;
}

size_t scenario_n_keys(void)
{
	size_t n = ARRAY_SIZE(keys);
	const struct workload_ops *wl;

	for (size_t i = 0; (wl = workload_at(i)); i++)
		n += *wl->n_keys;
	return n;
}

const struct scenario_key *scenario_key_at(size_t i)
{
	const struct workload_ops *wl;

	if (i < ARRAY_SIZE(keys))
		return keys[i].doc ? &keys[i] : workload_key(&keys[i]);
	i -= ARRAY_SIZE(keys);
	for (size_t w = 0; (wl = workload_at(w)); w++) {
		if (i < *wl->n_keys)
			return &wl->keys[i];
		i -= *wl->n_keys;
	}
	return NULL;
}

long scenario_key_index(const char *section, const char *name)
{
	const struct scenario_key *k;

	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		if (!strcmp(k->section, section) && !strcmp(k->name, name))
			return i;
	return -1;
}

const struct scenario_key *scenario_key_find(const char *section, const char *name)
{
	long i = scenario_key_index(section, name);

	return i < 0 ? NULL : scenario_key_at(i);
}

static const char *values_get(const struct wl_values *w, const char *section, const char *key)
{
	return variant_get(w->scenario, w->variant, section, key);
}

static int values_get_long(const struct wl_values *w, const char *section, const char *key,
			   long *out)
{
	return scenario_need_long(w->scenario, w->variant, section, key, out);
}

const struct wl_values *scenario_values_in(struct wl_values *buf, const struct scenario *sc,
					   const struct variant *v)
{
	*buf = (struct wl_values){ values_get, values_get_long, sc, v };
	return buf;
}

const struct module_param *scenario_module_param(const char *module, const char *param,
						 enum scenario_domain where)
{
	for (size_t i = 0; i < ARRAY_SIZE(params); i++)
		if (!strcmp(params[i].module, module) && !strcmp(params[i].param, param) &&
		    params[i].where == where)
			return &params[i];
	return NULL;
}

/* Length of a pattern's fixed part: "frontend.<key>" -> 9; exact patterns: strlen. */
static size_t pattern_prefix(const char *pattern)
{
	const char *lt = strchr(pattern, '<');

	return lt ? (size_t)(lt - pattern) : strlen(pattern);
}

/* Does name match pattern? *rest gets the part after the fixed prefix. */
static bool pattern_match(const char *pattern, const char *name, const char **rest)
{
	size_t n = pattern_prefix(pattern);

	if (pattern[n] ? strncmp(pattern, name, n) || !name[n] : strcmp(pattern, name))
		return false;
	*rest = name + n;
	return true;
}

bool scenario_split_param(const char *s, char *module, char *param, size_t len)
{
	const char *dot = strchr(s, '.');

	if (!dot || dot == s || !dot[1] || strchr(dot + 1, '.') || (size_t)(dot - s) >= len ||
	    strlen(dot + 1) >= len)
		return false;
	memcpy(module, s, dot - s);
	module[dot - s] = '\0';
	strcpy(param, dot + 1);
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' &&
		    *p != '.')
			return false;
	return true;
}

/* A xenstore path below the device: segments of [A-Za-z0-9_-] separated by '/'. */
static bool xs_key_ok(const char *s)
{
	size_t seg = 0, n = 0;

	for (; *s; s++, n++) {
		if (*s == '/' && !seg)
			return false;
		if (*s != '/' && !isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
		seg = *s == '/' ? 0 : seg + 1;
	}
	return seg && n <= 64;
}

static bool attr_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n && !s[n] && n <= 64;
}

/* Is rest, the variable part of an evidence name, valid for its placeholder? */
static bool placeholder_ok(const struct evidence_name *en, const char *rest)
{
	char m[64], p[64];

	if (strstr(en->pattern, "<module>"))
		return scenario_split_param(rest, m, p, sizeof(m)) &&
		       scenario_module_param(m, p, en->where);
	if (strstr(en->pattern, "<key>"))
		return xs_key_ok(rest);
	if (strstr(en->pattern, "<attr>"))
		return attr_ok(rest);
	return true;
}

const struct evidence_name *scenario_evidence_find(const char *name, const char **rest)
{
	for (size_t i = 0; i < ARRAY_SIZE(evidence); i++)
		if (pattern_match(evidence[i].pattern, name, rest))
			return placeholder_ok(&evidence[i], *rest) ? &evidence[i] : NULL;
	return NULL;
}

const struct variant_key *scenario_variant_key_match(const char *key, const char **rest)
{
	for (size_t i = 0; i < ARRAY_SIZE(vkeys); i++)
		if (pattern_match(vkeys[i].pattern, key, rest))
			return &vkeys[i];
	return NULL;
}

bool scenario_xl_reserved(const char *key, const char **instead)
{
	for (size_t i = 0; i < ARRAY_SIZE(xl_reserved); i++)
		if (!strcmp(xl_reserved[i].key, key)) {
			*instead = xl_reserved[i].instead;
			return true;
		}
	return false;
}

/* ---- the tables ---- */

const struct variant_key *scenario_variant_keys(size_t *n)
{
	*n = ARRAY_SIZE(vkeys);
	return vkeys;
}

const struct module_param *scenario_module_params(size_t *n)
{
	*n = ARRAY_SIZE(params);
	return params;
}

const struct evidence_name *scenario_evidence_names(size_t *n)
{
	*n = ARRAY_SIZE(evidence);
	return evidence;
}

static const char *const scope_names[] = { "run", "guest", "boot" };
static const char *const domain_names[] = { "xen", "dom0", "domU" };

const char *scenario_scope_name(enum scenario_scope s)
{
	return (size_t)s < ARRAY_SIZE(scope_names) ? scope_names[s] : "?";
}

const char *scenario_domain_name(enum scenario_domain d)
{
	return (size_t)d < ARRAY_SIZE(domain_names) ? domain_names[d] : "?";
}
