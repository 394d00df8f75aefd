/* evidence.c: proof that a variant took effect (run_int.h): the evidence a workload
 * records for every variant, the variant's expect.* checks, the read-back of every
 * module parameter it set, kernel log lines, and scenario.conform's negotiation
 * checks. A failed check makes the domU INVALID. */
#include "pvbench/conform.h"
#include "run_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one evidence name in the running system: 0 and *out, or -ENOENT (absent). */
int evidence_read(struct run_state *st, const char *name, struct sbuf *out)
{
	struct evidence_probe p;
	int dom;

	if (evidence_probe(name, st->cur->g.domid, &p))
		return -EINVAL;
	dom = p.where == DOM_DOMU ? st->cur->g.domid : 0;
	switch (p.kind) {
	case EV_COUNT:
		return run_sh(st, dom, 20, out, "ls -d %s 2>/dev/null | wc -l", p.arg);
	case EV_FILE:
		return run_sh(st, dom, 20, out, "cat '%s'", p.arg);
	case EV_DMESG:
	case EV_XEN_DMESG: /* Xen's console ring, read in dom0 */
		if (run_sh(st, p.kind == EV_XEN_DMESG ? 0 : dom, 20, out,
			       "%s | sed -nE 's#.*%s.*#\\1#p' | tail -n 1",
			       p.kind == EV_XEN_DMESG ? "xl dmesg" : "dmesg", p.arg))
			return -EIO;
		return out->len ? 0 : -ENOENT;
	case EV_XENSTORE:
		return run_sh(st, dom, 20, out, "xenstore-read '%s'", p.arg) ? -ENOENT : 0;
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
const char *evidence_param_canonical(const char *expected, const char *actual)
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
	int rc = evidence_read(st, name, out);
	const char *actual = rc ? NULL : out->buf ? out->buf : "";
	const char *want = implicit ? evidence_param_canonical(expected, actual) : expected;
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

void evidence_collect(struct run_state *st, const struct variant *v)
{
	json_t *values = json_object(), *checks = json_array(), *lines = json_array();
	struct sbuf out = { 0 };

	st->cur->valid = true;
	st->cur->invalid_why[0] = '\0';
	for (const char *const *e = st->wl->evidence; e && *e; e++)
		json_object_set_new(values, *e,
				    evidence_read(st, *e, &out)
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
		if (!run_sh(st, dom, 20, &out, "dmesg | grep -E '%s' | tail -n 2", re) &&
		    out.len)
			json_array_append_new(lines, json_string(out.buf));
	}
	json_decref(st->cur->evidence);
	st->cur->evidence = json_pack("{s:o, s:o, s:o}", "values", values, "checks", checks,
				 "log_lines", lines);
	if (run_long(st, v, "scenario", "conform") && st->cur->g.domid > 0)
		conformance(st);
	sb_free(&out);
}
