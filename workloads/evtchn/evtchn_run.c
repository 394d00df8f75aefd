/* evtchn_run.c: workload = evtchn as the runner drives it (workload.h): its registry
 * row and its run hook. */
#include "evtchn.h"

#include <stdio.h>
#include <string.h>

/* Event-channel ping-pong: the echo side (pvbench-evtchn serve) starts in the
 * background in the domU, in its own session (the agent kills what is left of a
 * finished command's process group, so the launching shell waits until the echo
 * side has published its first port, by then it has left that group), and
 * publishes its unbound ports under its xenstore data/ directory. The echo side of
 * the previous step (same domU) polls for "done" and removes its keys when it
 * exits, so it must be gone before the next one publishes. The timed side
 * (pvbench-evtchn ping) runs in dom0, binds the ports and measures round trips,
 * then writes data/pvbench-evtchn/done so the echo side ends. */
static enum pvb_status run_evtchn(struct wl_ctx *c)
{
	struct sbuf serve = { 0 }, ping = { 0 }, out = { 0 };
	int domid = c->guest.domid;
	enum pvb_status status = PVB_FAIL;

	if (evtchn_build_serve_cmdline(c->vals, c->quick, &serve) ||
	    evtchn_build_ping_cmdline(c->vals, c->quick, domid, &ping)) {
		json_object_set_new(c->run, "reason", json_string("cannot build the evtchn commands"));
		goto out;
	}
	/* No xenstore-rm here: the previous echo side must still see its "done" key
	 * to exit; each echo side clears the directory itself when it starts. */
	if (c->sh(c, domid, 20, &out,
		  "exec 2>&1; i=0; while pidof pvbench-evtchn >/dev/null && [ $i -lt 50 ]; do "
		  "sleep 0.1; i=$((i+1)); done; pidof pvbench-evtchn >/dev/null && "
		  "{ echo 'the previous pvbench-evtchn serve is still running'; exit 1; }; "
		  "setsid %s >/tmp/pvbench-evtchn-serve.log 2>&1 </dev/null & "
		  "i=0; until xenstore-read data/pvbench-evtchn/port-0 >/dev/null 2>&1; do "
		  "[ $i -ge 200 ] && { cat /tmp/pvbench-evtchn-serve.log; exit 1; }; "
		  "sleep 0.1; i=$((i+1)); done",
		  serve.buf)) {
		json_object_set_new(c->run, "reason",
				    json_sprintf("cannot start '%s' in %s: %s", serve.buf,
						 c->guest.name, out.buf ? out.buf : ""));
		goto out;
	}
	status = c->measure(c, 0, ping.buf, "evtchn.json");
	if (status != PVB_OK &&
	    !c->sh(c, domid, 20, &out, "tail -n 20 /tmp/pvbench-evtchn-serve.log"))
		json_object_set_new(c->run, "serve_log", json_string(out.buf ? out.buf : ""));
out:
	sb_free(&serve);
	sb_free(&ping);
	sb_free(&out);
	return status;
}

const struct workload_ops evtchn_workload = {
	.name = "evtchn",
	.doc = "event-channel ping-pong: pvbench-evtchn ping in dom0 notifies, pvbench-evtchn "
	       "serve in the domU echoes; round-trip times, JSON output",
	.phrase = "evtchn, event-channel ping-pong between dom0 and the domU",
	.keys = evtchn_keys,
	.n_keys = &evtchn_n_keys,
	.metrics = evtchn_metrics,
	.n_metrics = &evtchn_n_metrics,
	.primary = WL_LIST("rtt_p50_ns"),
	.evidence = WL_LIST("evtchn_abi", "upcall_vector"),
	.log_grep = { { true, "Using (FIFO-based|2-level) ABI" }, { false, NULL } },
	.run = run_evtchn,
	.parse = evtchn_parse_json,
};
