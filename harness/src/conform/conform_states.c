/* conform_states.c: the xenbus state-transition rules of `pvbench conform` (see
 * pvbench/conform.h): the parser of a watcher's state log and the checks of the
 * sequence of states a frontend or backend went through (xenbus.h:19-50,
 * blkif.h:464-535). */
#include "conform_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Position in the life cycle; -1 for a value that is no state. */
static int state_rank(int s)
{
	static const int rank[] = {-1, 1, 2, 3, 4, 7, 8, 5, 6}; /* by state 0..8 */

	return s >= 0 && s < (int)ARRAY_SIZE(rank) ? rank[s] : -1;
}

bool conform_transition_ok(int from, int to)
{
	int a = state_rank(from), b = state_rank(to);

	if (a < 0 || b < 0)
		return false;
	if (b >= a)
		return true;
	return (from == 8 && to == 4) || (from == 6 && to >= 1 && to <= 4);
}

void conform_state_log_free(struct state_log *log)
{
	free(log->ev);
	memset(log, 0, sizeof(*log));
}

static int state_line(const char *p, const char *eol, int line, struct state_log *out,
		      struct sbuf *err)
{
	char buf[512], *f[4], *save = NULL, *end;
	struct state_event *e;
	int nf = 0;
	double t;

	while (p < eol && isspace((unsigned char)*p))
		p++;
	if (p == eol || *p == '#')
		return 0;
	if ((size_t)(eol - p) >= sizeof(buf))
		return set_err(err, "line %d: too long", line);
	memcpy(buf, p, eol - p);
	buf[eol - p] = 0;
	for (char *w = strtok_r(buf, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save))
		f[nf < 4 ? nf++ : 3] = w;
	if (nf != 3)
		return set_err(err, "line %d: expected '<seconds> <path> <value|GONE>'", line);
	t = strtod(f[0], &end);
	if (*end || end == f[0] || !(t >= 0) || t > 1e12)
		return set_err(err, "line %d: bad time '%s'", line, f[0]);
	if (out->n && t < out->ev[out->n - 1].t)
		return set_err(err, "line %d: time goes backwards", line);
	if (f[1][0] != '/' || strlen(f[1]) >= sizeof(e->path))
		return set_err(err, "line %d: bad path '%.64s'", line, f[1]);
	if (!(e = grow_one(out->ev, out->n, &out->cap, sizeof(*e), 64)))
		return -ENOMEM;
	out->ev = e;
	e = &out->ev[out->n++];
	e->t = t;
	snprintf(e->path, sizeof(e->path), "%s", f[1]);
	snprintf(e->raw, sizeof(e->raw), "%s", f[2]);
	if (!strcmp(f[2], "GONE")) {
		e->state = XS_STATE_GONE;
	} else {
		unsigned long long v;

		e->state = parse_dec(f[2], 1000000, &v) ? XS_STATE_INVALID : (int)v;
	}
	return 0;
}

int conform_state_log_parse(const char *text, size_t len, struct state_log *out, struct sbuf *err)
{
	const char *p = text, *end = text + len;
	size_t n0 = out->n;
	int line = 0, rc = 0;

	while (p < end && !rc) {
		const char *eol = memchr(p, '\n', end - p);

		if (!eol)
			eol = end;
		rc = state_line(p, eol, ++line, out, err);
		p = eol + 1;
	}
	if (rc)
		out->n = n0;
	return rc;
}

static bool under(const char *path, const char *dir, size_t dlen)
{
	return !strncmp(path, dir, dlen) && (path[dlen] == 0 || path[dlen] == '/');
}

/* "1 -> 2 -> 4 -> GONE": the distinct successive values, cut to len. */
static void seq_add(char *buf, size_t len, const struct state_event *e)
{
	size_t n = strlen(buf);

	if (n + 1 < len)
		snprintf(buf + n, len - n, "%s%s", n ? " -> " : "", e->raw);
}

void conform_check_transitions(const struct state_log *log, const char *side, const char *dir,
			       const char *dev, struct conform_results *r)
{
	char type[16], name[3][96], subject[48], seq[160] = "", bad[256] = "";
	const char *src = NULL;
	size_t dlen = strlen(dir), seen = 0, changes = 0;
	int prev = XS_STATE_GONE, last_live = XS_STATE_GONE;
	const struct state_event *last = NULL;

	snprintf(type, sizeof(type), "%.*s", (int)strcspn(dev, "/"), dev);
	src = !strcmp(type, "vbd") ? "blkif.h:464-535" : "xenbus.h:19-50";
	snprintf(name[0], 96, "xenbus.%s.%s.transitions", type, side);
	snprintf(name[1], 96, "xenbus.%s.%s.closed", type, side);
	snprintf(name[2], 96, "xenbus.%s.%s.gone", type, side);
	snprintf(subject, sizeof(subject), "%s %s", dev, side);
	for (size_t i = 0; i < log->n; i++) {
		const struct state_event *e = &log->ev[i];

		if (!under(e->path, dir, dlen))
			continue;
		seen++;
		last = e;
		if (e->state == prev && e->state != XS_STATE_INVALID)
			continue;
		seq_add(seq, sizeof(seq), e);
		changes++;
		if (e->state != XS_STATE_GONE && !bad[0] &&
		    (e->state == XS_STATE_INVALID || state_rank(e->state) < 0 ||
		     (prev != XS_STATE_GONE && !conform_transition_ok(prev, e->state))))
			snprintf(bad, sizeof(bad), "%s(%s) -> %s(%s) at %.3f s",
				 prev == XS_STATE_GONE ? "-" : state_name(prev),
				 prev == XS_STATE_GONE ? "" : log->ev[i - 1].raw,
				 state_name(e->state), e->raw, e->t);
		if (e->state != XS_STATE_GONE)
			last_live = e->state;
		prev = e->state;
	}
	if (!seen) {
		char why[300];

		snprintf(why, sizeof(why), "no event for %s", dir);
		skip(r, name[0], subject, CONF_MUST, src, why);
		skip(r, name[1], subject, CONF_SHOULD, "xenbus.h:37-42", why);
		skip(r, name[2], subject, CONF_MUST, "xl:device detach", why);
		return;
	}
	res(r, name[0], subject, CONF_MUST, !bad[0], src,
	    "forward moves only (skipped states allowed), or a reconnect from Closed", seq,
	    "%s%s%s%zu events, %zu changes", bad[0] ? "illegal: " : "", bad, bad[0] ? "; " : "",
	    seen, changes);
	if (last->state != XS_STATE_GONE)
		skip(r, name[1], subject, CONF_SHOULD, "xenbus.h:37-42",
		     "the node never went away");
	else
		res(r, name[1], subject, CONF_SHOULD, last_live == 5 || last_live == 6,
		    "xenbus.h:37-42", "Closed(6), or Closing(5) then GONE", state_name(last_live),
		    "last value before the node went away");
	res(r, name[2], subject, CONF_MUST, last->state == XS_STATE_GONE, "xl:device detach",
	    "GONE at the end", last->raw, "last event at %.3f s: %s", last->t, last->path);
}
