/* conform.h: the rule engine of `pvbench conform`, the PV protocol conformance suite.
 * Pure host-side C: it reads texts the integrator collected from a running system
 * (`xenstore-ls -f` dumps of a vbd's or vif's frontend and backend directories, a
 * state-key watch log, `xl dmesg` after `xl debug-keys g` / `e`, `ps ax` in dom0)
 * and turns them into check results, each naming the line of the Xen public header
 * (/usr/include/xen/io/{blkif,netif,xenbus}.h, as in Xen 4.17) that it enforces.
 * Output: TAP 13, JSON (schema "pvbench-conform/1") and a one-screen summary.
 *
 * Levels: a rule the header states with "must" is CONF_MUST; any other rule (a
 * "should", a documented value type such as "0/1 (boolean)", a default) is
 * CONF_SHOULD. Deliberate exceptions, each said in the rule's docstring below: a
 * stated "Maximum Value" is MUST (a bound, not advice); the state checks (device
 * connected, legal transitions, directories gone after detach, no leaks) are MUST,
 * they are what the suite exists to enforce. A rule that does not apply to what was
 * observed (e.g. multi-queue rules when the frontend asked for one queue) is
 * CONF_SKIP with a detail starting "not applicable: ". */
#ifndef PVBENCH_CONFORM_H
#define PVBENCH_CONFORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pvbench/qemu.h"
#include "pvbench/util.h"

#define CONFORM_SCHEMA "pvbench-conform/1"

/* ---- results ---- */

enum conform_level { CONF_MUST, CONF_SHOULD };
enum conform_outcome { CONF_PASS, CONF_FAIL, CONF_SKIP };

struct conform_result {
	char name[96];	  /* rule id: "blkif.mq.num_queues.range" */
	char subject[48]; /* what was checked: "vbd/51712", "vbd/51712 frontend" */
	enum conform_level level;
	enum conform_outcome result;
	char source[48];  /* where the rule comes from: "blkif.h:421-424" */
	char expected[160], actual[160], detail[256];
};

/* A growable list of results, in the order the checks ran. oom is set when an add
 * failed for lack of memory; conform_exit_ok() is then false. Zero-initialise. */
struct conform_results {
	struct conform_result *v;
	size_t n, cap;
	bool oom;
};

/* Appends one result; strings are cut to their field sizes, NULL means "". detail
 * is a printf format. 0 or -ENOMEM (and r->oom set). */
int conform_add(struct conform_results *r, const char *name, const char *subject,
		enum conform_level level, enum conform_outcome result, const char *source,
		const char *expected, const char *actual, const char *detail_fmt, ...)
    __attribute__((format(printf, 9, 10)));
void conform_results_free(struct conform_results *r);
/* True when every MUST check passed or was skipped and nothing was lost to oom;
 * failed SHOULD checks are warnings and do not count. */
bool conform_exit_ok(const struct conform_results *r);

/* Counts over r: MUST passed / failed, SHOULD passed / failed, skipped (any level). */
struct conform_counts {
	size_t must_pass, must_fail, should_pass, should_fail, skip;
};
struct conform_counts conform_count(const struct conform_results *r);

/* ---- xenstore directory dumps ---- */

struct xs_entry {
	char *key;   /* relative to the prefix: "state", "queue-0/tx-ring-ref" */
	char *value; /* unescaped */
};
struct xs_dir {
	struct xs_entry *e;
	size_t n, cap;
};

/* Parses `xenstore-ls -f` output: lines `/path/key = "value"`, values with C escapes
 * (\" \\ \n \t \r \a \b \f \v, \xHH, \ooo octal; a NUL byte is rejected). Keeps the
 * nodes strictly below prefix (no trailing '/': "/local/domain/1/device/vbd/51712")
 * with keys relative to it; the prefix node itself and other paths (other devices in
 * the same dump) are skipped, blank lines ignored. Appends to out (zero-initialised
 * or from an earlier call). Returns 0, or -EINVAL with one line in err (may be NULL)
 * naming the line: "line N: expected '/path = \"value\"'", "line N: unterminated
 * value (truncated output?)", "line N: bad escape '\q'", "line N: duplicate key
 * 'state'"; -ENOMEM. On error out keeps what it had before the call. */
int xs_dump_parse(const char *text, size_t len, const char *prefix, struct xs_dir *out,
		  struct sbuf *err);
void xs_dir_free(struct xs_dir *d);
/* The value of key, or NULL when absent. */
const char *xs_get(const struct xs_dir *d, const char *key);
/* Parses key's value as a decimal integer in [0, max] (no sign, no blanks, no
 * leading '+', leading zeros allowed). 0, -ENOENT (absent) or -EINVAL. */
int xs_get_u64(const struct xs_dir *d, const char *key, unsigned long long max,
	       unsigned long long *out);

/* ---- xenstore rules (one result per rule, subject = dev) ---- */

/* Checks a connected vbd; front and back are the frontend and backend directories
 * (keys relative to /local/domain/<domU>/device/vbd/<id> and
 * /local/domain/0/backend/vbd/<domU>/<id>), dev names it in results ("vbd/51712").
 * Rules (name: level, source line in blkif.h unless said):
 *   xenbus.vbd.{frontend,backend}.state  MUST  both "4" (Connected) [505, 513]
 *   blkif.mq.num_queues.advertised   MUST  frontend multi-queue-num-queues only if the
 *                                          backend wrote multi-queue-max-queues [416-424]
 *   blkif.mq.num_queues.range        MUST  1 <= num-queues <= max-queues [421-424]
 *   blkif.mq.no_toplevel_ring_ref    MUST  >= 2 queues: no top-level event-channel,
 *                                          ring-ref or ring-ref%u [431-434]
 *   blkif.mq.queue_keys              MUST  >= 2 queues: queue-0..N-1 each with
 *                                          event-channel and ring refs, no queue-M for
 *                                          M >= N [431-460]
 *   blkif.ring_ref.layout            SHOULD per ring: "ring-ref" for a one-page ring,
 *                                          ring-ref0..ring-ref(2^order - 1) and no
 *                                          "ring-ref" for a multi-page one [273-287,
 *                                          396-399]
 *   blkif.ring_ref.numeric           SHOULD grant references are decimal uint32 [42-45,
 *                                          273-287]
 *   blkif.event_channel.numeric      SHOULD event-channel(s) decimal uint32 [267-271]
 *   blkif.ring_page_order.max        MUST  ring-page-order <= MAX(ffs(max-ring-pages) -
 *                                          1, max-ring-page-order) [296-299] ("Maximum
 *                                          Value")
 *   blkif.num_ring_pages.valid       MUST  num-ring-pages a power of 2, at most
 *                                          MAX(max-ring-pages, 1 << max-ring-page-order)
 *                                          [306-313]
 *   blkif.max_ring_pages.power_of_two MUST backend max-ring-pages a power of 2 [187-193]
 *   blkif.feature_keys.boolean       SHOULD every feature-* node of both ends "0" or
 *                                          "1", but feature-max-indirect-segments
 *                                          [121-174, 317-347]
 *   blkif.indirect.max_segments      SHOULD feature-max-indirect-segments a positive
 *                                          decimal [585-605]
 *   blkif.protocol.valid             SHOULD protocol one of x86_32-abi, x86_64-abi,
 *                                          arm-abi [289-294] (io/protocols.h:11-13)
 *   blkif.discard.parameters         SHOULD feature-discard=1: both discard-granularity
 *                                          and discard-alignment present [384-392]
 *   blkif.sector_size.power_of_two   MUST  sector-size present, a power of 2, >= 512
 *                                          [237-241]
 *   blkif.sector_size.large_sector   MUST  sector-size 512 unless the frontend wrote a
 *                                          non-zero feature-large-sector-size [243-245]
 *   blkif.physical_sector_size.multiple MUST multiple of sector-size [247-252]
 *   blkif.sectors.multiple           MUST  sectors present; sectors * sector-size a
 *                                          multiple of physical-sector-size [254-259] */
void conform_check_vbd(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
		       struct conform_results *r);

/* Checks a connected vif, as conform_check_vbd (source lines in netif.h unless said):
 *   xenbus.vif.{frontend,backend}.state  MUST  both "4" (Connected) [xenbus.h:35]
 *   netif.mq.num_queues.advertised   MUST  [54-62]
 *   netif.mq.num_queues.range        MUST  1 <= num-queues <= max-queues [59-62]
 *   netif.mq.no_toplevel_keys        MUST  >= 2 queues: no top-level event-channel,
 *                                          event-channel-{tx,rx}, {tx,rx}-ring-ref [76-79]
 *   netif.queue_keys                 MUST  every queue (top level for one queue, else
 *                                          queue-0..N-1) has tx-ring-ref and rx-ring-ref
 *                                          and event-channel or event-channel-tx + -rx;
 *                                          no queue-M for M >= N [68-98]
 *   netif.ring_keys.numeric          SHOULD ring refs and event channels decimal uint32
 *                                          [83-93]
 *   netif.split_event_channels       SHOULD event-channel-tx/-rx only when the backend
 *                                          wrote feature-split-event-channels = 1, always
 *                                          as a pair, never beside event-channel [42-51]
 *   netif.feature_rx_notify          SHOULD frontend feature-rx-notify = 1 [34-40]
 *   netif.request_rx_copy            SHOULD frontend request-rx-copy = 1 (not in
 *                                          netif.h: Linux netback refuses to connect
 *                                          without it, xen-netback/xenbus.c
 *                                          read_xenbus_vif_flags)
 *   netif.feature_keys.boolean       SHOULD every feature-* and request-* node "0"/"1"
 *                                          [42-45, 107-132]
 *   netif.multicast_control          SHOULD request-multicast-control only when the
 *                                          backend offers feature-multicast-control
 *                                          [121-132]
 *   netif.ctrl_ring                  SHOULD ctrl-ring-ref and event-channel-ctrl both or
 *                                          neither, only with backend feature-ctrl-ring
 *                                          = 1 [152-173] */
void conform_check_vif(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
		       struct conform_results *r);

/* ---- state transitions ---- */

#define XS_STATE_GONE (-1)    /* the state node did not exist when read */
#define XS_STATE_INVALID (-2) /* a value that is not a decimal integer */

struct state_event {
	double t;	/* seconds, as printed (non-decreasing) */
	char path[256]; /* the path the watch event fired for */
	int state;	/* 0..8 (xenbus.h:19-50), another integer, or XS_STATE_* */
	char raw[16];	/* the value as printed, cut to 15 characters */
};
struct state_log {
	struct state_event *ev;
	size_t n, cap;
};

/* Parses the integrator's watcher log: one line per xenstore watch event,
 * `<seconds> <path> <value|GONE>`, where path is where the event fired and value is
 * the device's state node read right after the event (GONE: the node no longer
 * exists). Values can be missed (events carry no value; a state written twice
 * quickly is read once), and the rules allow for that. Blank lines and lines
 * starting with '#' are ignored. Appends to out. 0, or -EINVAL with err "line N:
 * ..." (not three fields, a bad number, a relative path, time going backwards),
 * -ENOMEM. */
int conform_state_log_parse(const char *text, size_t len, struct state_log *out, struct sbuf *err);
void conform_state_log_free(struct state_log *log);

/* True when the state graph allows an observed change from -> to, skipped states
 * included (blkif.h:515-534: peers must tolerate skipped states; the watcher can also
 * miss values). The order is Initialising(1) < InitWait(2) < Initialised(3) <
 * Connected(4) < Reconfiguring(7) < Reconfigured(8) < Closing(5) < Closed(6), per
 * blkif.h:464-513 and xenbus.h:24-49; allowed: any move forward in it, Reconfigured
 * -> Connected, and Closed -> Initialising..Connected (a reconnect: Linux blkback
 * "prepare for reconnect", the frontend restarting at Initialising). Not allowed:
 * any other backward move (Connected -> InitWait, Closing -> Connected, ...), and
 * Unknown(0), values above 8 or XS_STATE_INVALID on either side. A reconnect whose
 * Closing and Closed writes were both missed cannot be told apart from a backward
 * move and fails. */
bool conform_transition_ok(int from, int to);

/* Checks one side of one device over the whole log: the events whose path is dir
 * (that side's device directory, e.g. "/local/domain/1/device/vbd/51728") or below
 * it. side is "frontend" or "backend", dev names the device ("vbd/51728"); the rule
 * names use dev's type ("vbd"/"vif"). Results:
 *   xenbus.<type>.<side>.transitions  MUST  every change of value legal
 *        (conform_transition_ok) [blkif.h:464-535 for vbd, xenbus.h:19-50 for vif]
 *   xenbus.<type>.<side>.closed      SHOULD the last value before the node went away
 *        is Closed(6), or Closing(5): the toolstack removes the directory as soon as
 *        it sees Closed, so that last read can already find it GONE [xenbus.h:37-42]
 *   xenbus.<type>.<side>.gone        MUST  the last event reads GONE: the directory
 *        was removed after detach (xl block-detach / network-detach)
 * No event for dir: all three SKIP ("not applicable: no event for <dir>"). */
void conform_check_transitions(const struct state_log *log, const char *side, const char *dir,
			       const char *dev, struct conform_results *r);

/* ---- leaks ---- */

/* Active grant entries of domain granting_dom (entries of its grant table mapped or
 * copied by another domain: "grant-table for remote dN" lines "[0x...]") in the last
 * complete `gnttab_usage_print_all [ ... ] done` block of xl dmesg text (Xen 4.17
 * grant_table.c gnttab_usage_print; "(XEN) [  t]" prefixes optional). 0, -ENODATA
 * (no complete block), -ENOENT (domain not in that block: it no longer exists). */
int xen_gnttab_dump_count(const char *xl_dmesg, int granting_dom, long *active);

/* Event-channel ports of domain dom in use (state s != 0; s is Xen's ECS_*, 4.17
 * xen/include/xen/sched.h: 1 reserved, 2 unbound, 3 interdomain, 4 pirq, 5 virq,
 * 6 ipi; free ports are not printed) in the last 'e' dump ("'e' pressed -> dumping
 * event-channel info") of xl dmesg text. The dump has no end marker: the domain's
 * list ends at the first line that is not a port line. 0, -ENODATA (no dump),
 * -ENOENT (domain not in it). */
int xen_evtchn_dump_count(const char *xl_dmesg, int dom, long *bound);

/* What the domU holds, from the dumps above; -1 = not measured. */
struct conform_leak_sample {
	long grant_entries, event_channels;
};

/* leak.<type>.grant_entries and leak.<type>.event_channels (MUST, source "xl
 * debug-keys g" / "xl debug-keys e"): no more after detach than before attach.
 * Fewer is not a leak: the domU's other devices hold a varying number (blkback
 * drops persistent grants unused for 60 s; netfront's rx buffers come and go), so
 * equality would fail on a healthy system (seen: 42 before, 41 after). A count of
 * -1 on either side gives SKIP. dev as above; <type> is dev up to its first '/'. */
void conform_check_leaks(const struct conform_leak_sample *before,
			 const struct conform_leak_sample *after, const char *dev,
			 struct conform_results *r);

/* The kernel-thread name prefix of a device's backend in dom0 (Linux 6.1):
 * vbd: "blkback.<domid>.<dev>" (xen-blkback/xenbus.c blkback_name(); the rings'
 * threads are "<prefix>-<ring>", cut to 15 characters), name = the backend's "dev"
 * node ("xvdb"); vif: "vif<domid>.<handle>-q" (xen-netback: "<vif>-q<N>-guest-rx",
 * "-dealloc"), name = the handle ("0"). 0, -EINVAL (other type, empty name) or
 * -ENOSPC. */
int conform_backend_thread_prefix(const char *type, int domid, const char *name, char *buf,
				  size_t len);
/* Counts `ps ax` (or `ps -eo comm`) lines naming a thread of that backend: a word,
 * "[...]" stripped, equal to prefix, or prefix then '-' (then a digit, for a prefix
 * ending in "-q"), or a 15-character word that is the start of a longer name (the
 * kernel cuts comm to 15). */
long conform_backend_thread_count(const char *ps_text, const char *prefix);
/* leak.<type>.backend_threads MUST: no such thread in ps_after (dom0's `ps ax` after
 * detach); source "linux:xen-blkback/xenbus.c" or "linux:xen-netback/interface.c". */
void conform_check_backend_threads(const char *ps_after, const char *prefix, const char *dev,
				   struct conform_results *r);

/* ---- on a running system (conform.c) ---- */

struct machine;
/* Dumps a connected device's frontend and backend xenstore directories in dom0
 * (`xenstore-ls -f`; type "vbd" or "vif", id "51712" / "0", of domain domid) and
 * runs conform_check_vbd or conform_check_vif on them. save_dir (may be NULL) keeps
 * the dumps as xenstore-<type>-<id>-{frontend,backend}.txt. A dump that fails adds
 * a failed MUST result "xenstore.dump". 0, -EIO (dump failed) or -EINVAL (type). */
int conform_device_check(struct machine *m, int domid, const char *type, const char *id,
			 const char *save_dir, struct conform_results *r);

/* The options of the suite (`pvbench conform`). */
struct conform_opts {
	const char *outdir; /* output directory; NULL: build/runs/conform-<time> */
	bool json;	    /* the JSON document on stdout instead of TAP 13 */
	bool requests;	    /* the blkif request checks (pvbench-blkif in the domU) */
	long fuzz;	    /* then this many random malformed requests (0: none) */
	long seed;	    /* seed of fuzz */
	enum accel accel;
};
#define CONFORM_OPTS_DEFAULT {.accel = ACCEL_AUTO, .requests = true, .seed = 1}

/* The whole suite: prepares the output directory (run_dir_prepare), boots the
 * bundled Xen (4 GiB, dom0 2 GiB, four ram disks), creates the PV domU
 * "pvbench-conform", then runs the negotiation checks (conform_device_check on
 * vbd/51712 and vif/0), the hot-plug, state and leak checks and, with o->requests,
 * the blkif request checks; stops early (keeping what it has) on pvb_interrupted.
 * Writes DIR/conform.json, DIR/conform.tap, the dumps and logs, prints TAP 13 (or
 * with o->json the JSON document) on stdout and conform_summary on stderr, and
 * powers the machine off. *passed: every MUST check passed (conform_exit_ok).
 * 0 when the suite ran; -errno, the error printed and *passed false, when it could
 * not: the directory, host_prepare, host_boot or guest_create failed. */
int conform_run_suite(const struct conform_opts *o, bool *passed);

/* ---- output ---- */

/* TAP version 13: the version line, the plan "1..N", then per result
 *   ok N - <name> (<subject>) # <source>
 *   ok N - <name> (<subject>) # SKIP <detail> (<source>)
 *   not ok N - <name> (<subject>) # <source>                        MUST failed
 *   not ok N - <name> (<subject>) # TODO should: <actual> (<source>) SHOULD failed
 * a failed SHOULD is a TODO so that TAP consumers (prove, tappy) do not fail the run
 * on it; each failure is followed by a YAML block ("  ---" ... "  ...") with level,
 * source, expected, actual and detail as double-quoted strings. '#' in a name,
 * subject or detail on the test line becomes '_'. */
void conform_emit_tap(const struct conform_results *r, FILE *f);
/* {"schema": "pvbench-conform/1", "ok": bool, "checks": [{"name", "subject", "level":
 * "MUST"|"SHOULD", "result": "pass"|"fail"|"skip", "source", "expected", "actual",
 * "detail"}], "summary": {"must_pass", "must_fail", "should_pass", "should_fail",
 * "skip"}}. A new reference, NULL on allocation failure. */
json_t *conform_to_json(const struct conform_results *r);
/* A one-screen table: the counts, then each failed MUST and failed SHOULD (at most
 * 20 rows, then "... and N more"), then "result: PASS" or "result: FAIL". */
void conform_summary(const struct conform_results *r, FILE *f);

#endif
