/* step.c: one repetition of a plan step (run_step): the boot or domU it needs, the
 * variant's proof, the workload's run hook with the struct wl_ctx it gets
 * (workload.h: sh, measure, peer), and its results.json record. */
#include "run_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void console_excerpt(struct run_state *st, json_t *run)
{
	struct sbuf con = { 0 };
	const char *text = "";

	if (st->up && !st->m.dead && st->cur && st->io->guest_console(st, &st->cur->g, &con) == 0)
		text = tail_lines(con.buf ? con.buf : "", con.len, 40);
	else
		text = machine_console_tail(&st->m, 40);
	json_object_set_new(run, "console_excerpt", json_string(text));
	sb_free(&con);
}

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
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = run_vsh(((struct step_ctx *)c)->st, dom, timeout_s, out, fmt, ap);
	va_end(ap);
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
	long timeout_ms = run_long(st, sx->v, "scenario", "timeout");
	enum pvb_status status = PVB_OK;
	json_t *series = json_array(), *run = c->run;
	int rc;

	rc = st->io->exec(st, dom, cmd, timeout_ms / 1000.0, &r);
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
static enum pvb_status step_measure(struct run_state *st, const struct variant *v,
			       const struct plan_step *s, json_t *run)
{
	struct step_ctx sx = { .st = st, .v = v, .s = s };
	enum pvb_status status;

	sx.c = (struct wl_ctx){ .vals = scenario_values_in(&sx.vals, &st->sc, v), .quick = st->plan.quick,
				.guest = { st->cur->g.domid, st->cur->g.name, st->cur->ip },
				.run = run, .sh = ctx_sh, .measure = ctx_measure, .peer = ctx_peer };
	st->peer = NULL;
	status = st->wl->run(&sx.c);
	if (st->peer && status != PVB_OK)
		st->peer->broken = true;
	st->peer = NULL;
	return status;
}

void run_step(struct run_state *st, const struct plan_step *s)
{
	const struct variant *v = &st->sc.variants[s->variant];
	double t0 = pvb_now();
	char when[32];
	enum pvb_status status = PVB_NSTATUS; /* not decided yet */
	int rc = 0;
	json_t *run;

	pvb_utc_iso(when, sizeof(when));
	st->setup = NULL;
	if (!st->up || s->boot != st->plan_boot) {
		run_shutdown_machine(st);
		/* Every boot gets a new number (and console/boot-N), also after a crash;
		 * job j of N takes j+1, j+1+N, ... after those of an earlier --resume. */
		st->boot_no = st->boot_offset + st->boots_started++ * st->jobs + st->job + 1;
		st->plan_boot = s->boot;
		rc = run_boot(st, v, st->boot_no);
		if (rc)
			status = pvb_status_from_errno(rc ? rc : -EIO);
	}
	if (status == PVB_NSTATUS && st->wl->dom0_only) {
		st->cur = &st->dom0;
		st->setup = "no domU";
		if (!st->dom0.evidence) { /* once per boot: dom0 parameters, expectations */
			snprintf(st->dom0.g.name, sizeof(st->dom0.g.name), "Domain-0");
			st->dom0.g.domid = 0;
			st->dom0.up = true;
			evidence_collect(st, v);
		}
	} else if (status == PVB_NSTATUS) {
		rc = slot_measured(st, v);
		if (rc)
			status = pvb_status_from_errno(rc == -EIO ? -EPROTO : rc);
	}
	run = json_pack("{s:s, s:i, s:I, s:i, s:s}", "variant", v->name, "rep", s->rep, "seq",
			(json_int_t)s->seq, "boot", st->boot_no, "started_at", when);
	if (st->cur && st->cur->g.name[0])
		json_object_set_new(run, "guest", json_string(st->cur->g.name));
	json_object_set_new(run, "guest_setup", json_string(st->setup ? st->setup : "none"));
	if (status == PVB_NSTATUS && !st->cur->valid) {
		status = PVB_INVALID;
		json_object_set_new(run, "reason", json_string(st->cur->invalid_why));
	}
	if (status == PVB_NSTATUS)
		status = step_measure(st, v, s, run);
	json_object_set_new(run, "status", json_string(pvb_status_name(status)));
	if (st->cur && st->cur->evidence && st->cur->up)
		json_object_set(run, "evidence", st->cur->evidence);
	if (status != PVB_OK && status != PVB_INVALID)
		console_excerpt(st, run);
	json_object_set_new(run, "duration_s", json_real(pvb_now() - t0));
	if (pvb_interrupted) {
		/* Ctrl-C or SIGTERM cut this step short: it is not a result, and --resume
		 * runs it again. */
		json_decref(run);
		return;
	}
	st->failed += status != PVB_OK;
	if (status == PVB_CRASH || (st->up && st->m.dead))
		run_shutdown_machine(st); /* the next step boots afresh */
	else if (st->cur && status != PVB_OK && status != PVB_INVALID)
		st->cur->broken = true; /* recreated before its next use */
	results_emit(st, "run", run);
}
