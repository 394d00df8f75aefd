/* conform_rules.c: the checks of `pvbench conform` (see pvbench/conform.h): the
 * parser of `xenstore-ls -f` dumps, the blkif.h and netif.h rules over a connected
 * device's frontend and backend directories, the xenbus state-transition rules over
 * a watcher's log, and the leak checks over `xl debug-keys g` / `e` dumps and dom0's
 * `ps ax`. Every rule cites the header line it enforces; the output writers are in
 * conform_output.c. */
#define _GNU_SOURCE /* memmem */
#include "pvbench/conform.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define U32_MAX 0xffffffffULL

static int set_err(struct sbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_err(struct sbuf *err, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		sb_reset(err);
		sb_puts(err, buf);
	}
	return -EINVAL;
}

/* Decimal without sign or blanks, in [0, max]. */
static int parse_dec(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		if (v > (max - (unsigned)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return 0;
}

static bool pow2(unsigned long long v)
{
	return v && !(v & (v - 1));
}

/* ---- xenstore-ls -f ---- */

static void entries_free(struct xs_dir *d, size_t from)
{
	for (size_t i = from; i < d->n; i++) {
		free(d->e[i].key);
		free(d->e[i].value);
	}
	d->n = from;
}

void xs_dir_free(struct xs_dir *d)
{
	entries_free(d, 0);
	free(d->e);
	memset(d, 0, sizeof(*d));
}

const char *xs_get(const struct xs_dir *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->e[i].key, key))
			return d->e[i].value;
	return NULL;
}

int xs_get_u64(const struct xs_dir *d, const char *key, unsigned long long max,
	       unsigned long long *out)
{
	const char *v = xs_get(d, key);

	return v ? parse_dec(v, max, out) : -ENOENT;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Unescapes s[0..n) into a new string; *bad is the offending escape on -EINVAL. */
static int unescape(const char *s, size_t n, char **out, char *bad)
{
	static const char simple[] = "\"\"\\\\n\nt\tr\ra\ab\bf\fv\v";
	char *v = malloc(n + 1), *o = v;
	const char *end = s + n;

	if (!v)
		return -ENOMEM;
	while (s < end) {
		unsigned c = (unsigned char)*s++;
		const char *m;

		if (c == '\\') {
			if (s == end)
				goto bad;
			*bad = *s;
			c = (unsigned char)*s++;
			if (c == 'x') {
				int d, k = 0;

				for (c = 0;
				     k < 2 && s < end && (d = hexval((unsigned char)*s)) >= 0;
				     k++, s++)
					c = c * 16 + (unsigned)d;
				if (!k)
					goto bad;
			} else if (c >= '0' && c <= '7') {
				c -= '0';
				for (int k = 1; k < 3 && s < end && *s >= '0' && *s <= '7'; k++)
					c = c * 8 + (unsigned)(*s++ - '0');
			} else if (c && (m = strchr(simple, (int)c)) && (m - simple) % 2 == 0) {
				c = (unsigned char)m[1];
			} else {
				goto bad;
			}
			if (!c || c > 0xff) {
				*bad = '0';
				goto bad;
			}
		}
		*o++ = (char)c;
	}
	*o = 0;
	*out = v;
	return 0;
bad:
	free(v);
	return -EINVAL;
}

static int xs_add(struct xs_dir *d, const char *key, size_t klen, char *value)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 32;
		struct xs_entry *e = realloc(d->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		d->e = e;
		d->cap = cap;
	}
	d->e[d->n].key = strndup(key, klen);
	if (!d->e[d->n].key)
		return -ENOMEM;
	d->e[d->n++].value = value;
	return 0;
}

static int xs_line(const char *p, const char *eol, const char *prefix, size_t plen, int line,
		   struct xs_dir *out, struct sbuf *err)
{
	const char *sep, *val, *key;
	char *value, bad = '?', keybuf[256];
	size_t klen;
	int rc;

	while (eol > p && isspace((unsigned char)eol[-1]))
		eol--;
	if (eol == p)
		return 0;
	sep = memmem(p, eol - p, " = \"", 4);
	if (*p != '/' || !sep || memchr(p, ' ', sep - p))
		return set_err(err, "line %d: expected '/path = \"value\"'", line);
	val = sep + 4;
	if (eol == val || eol[-1] != '"')
		return set_err(err, "line %d: unterminated value (truncated output?)", line);
	if ((size_t)(sep - p) <= plen || strncmp(p, prefix, plen) || p[plen] != '/')
		return 0; /* the prefix node itself, or outside it */
	key = p + plen + 1;
	klen = sep - key;
	if (!klen || klen >= sizeof(keybuf))
		return set_err(err, "line %d: bad key", line);
	memcpy(keybuf, key, klen);
	keybuf[klen] = 0;
	if (xs_get(out, keybuf))
		return set_err(err, "line %d: duplicate key '%s'", line, keybuf);
	rc = unescape(val, eol - 1 - val, &value, &bad);
	if (rc == -EINVAL) {
		if (eol - 1 > val && eol[-2] == '\\' && bad == '?')
			return set_err(err, "line %d: unterminated value (truncated output?)",
				       line);
		return set_err(err, "line %d: bad escape '\\%c'", line, bad);
	}
	if (rc)
		return rc;
	rc = xs_add(out, keybuf, klen, value);
	if (rc)
		free(value);
	return rc;
}

int xs_dump_parse(const char *text, size_t len, const char *prefix, struct xs_dir *out,
		  struct sbuf *err)
{
	const char *p = text, *end = text + len;
	size_t plen = strlen(prefix), n0 = out->n;
	int line = 0, rc = 0;

	while (plen && prefix[plen - 1] == '/')
		plen--;
	while (p < end && !rc) {
		const char *eol = memchr(p, '\n', end - p);

		if (!eol)
			eol = end;
		rc = xs_line(p, eol, prefix, plen, ++line, out, err);
		p = eol + 1;
	}
	if (rc)
		entries_free(out, n0);
	return rc;
}

/* ---- helpers for the rules ---- */

static const char *const state_names[] = {"Unknown",	 "Initialising",  "InitWait",
					  "Initialised", "Connected",	  "Closing",
					  "Closed",	 "Reconfiguring", "Reconfigured"};

static const char *state_name(int s)
{
	return s >= 0 && s < (int)ARRAY_SIZE(state_names) ? state_names[s]
	       : s == XS_STATE_GONE			  ? "GONE"
							  : "invalid";
}

static void res(struct conform_results *r, const char *name, const char *subject,
		enum conform_level lv, bool ok, const char *src, const char *exp, const char *act,
		const char *fmt, ...) __attribute__((format(printf, 9, 10)));
static void res(struct conform_results *r, const char *name, const char *subject,
		enum conform_level lv, bool ok, const char *src, const char *exp, const char *act,
		const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	conform_add(r, name, subject, lv, ok ? CONF_PASS : CONF_FAIL, src, exp, act, "%s", detail);
}

static void skip(struct conform_results *r, const char *name, const char *subject,
		 enum conform_level lv, const char *src, const char *why)
{
	conform_add(r, name, subject, lv, CONF_SKIP, src, NULL, NULL, "not applicable: %s", why);
}

/* "\"value\"" or "absent", for actual fields. */
static const char *show(const struct xs_dir *d, const char *key, char *buf, size_t len)
{
	const char *v = xs_get(d, key);

	snprintf(buf, len, v ? "%s=\"%s\"" : "%s absent", key, v ? v : "");
	return buf;
}

static bool is_one(const struct xs_dir *d, const char *key)
{
	const char *v = xs_get(d, key);

	return v && !strcmp(v, "1");
}

static const char *last_comp(const char *key)
{
	const char *s = strrchr(key, '/');

	return s ? s + 1 : key;
}

/* "ring-ref" or "ring-ref<digits>" */
static bool is_ring_ref(const char *name)
{
	if (strncmp(name, "ring-ref", 8))
		return false;
	for (name += 8; *name; name++)
		if (!isdigit((unsigned char)*name))
			return false;
	return true;
}

/* Appends "what" to a list in buf ("a, b, c"), keeping it terminated. */
static void list_add(char *buf, size_t len, const char *what)
{
	size_t n = strlen(buf);

	if (n + 1 < len)
		snprintf(buf + n, len - n, "%s%s", n ? ", " : "", what);
}

static void check_state(const struct xs_dir *d, const char *type, const char *side, const char *dev,
			const char *src, struct conform_results *r)
{
	char name[96], act[160];
	unsigned long long s = 0;
	int rc = xs_get_u64(d, "state", 8, &s);

	snprintf(name, sizeof(name), "xenbus.%s.%s.state", type, side);
	res(r, name, dev, CONF_MUST, !rc && s == 4, src, "state=\"4\" (Connected)",
	    show(d, "state", act, sizeof(act)), "%s is %s", side,
	    rc ? "not a xenbus state" : state_name((int)s));
}

/* ---- multi-queue (blkif.h:416-460, netif.h:54-98) ---- */

struct mq_rules {
	const char *proto; /* "blkif" / "netif" */
	const char *advertised, *range;
};

/* The number of queues the frontend asked for: 1 without multi-queue-num-queues,
 * 0 when its value is unusable. */
static unsigned long long check_mq(const struct xs_dir *front, const struct xs_dir *back,
				   const char *dev, const struct mq_rules *m,
				   struct conform_results *r)
{
	unsigned long long n = 0, max = 0;
	const char *nq = xs_get(front, "multi-queue-num-queues");
	const char *mq = xs_get(back, "multi-queue-max-queues");
	char name[96], act[160], exp[160];

	snprintf(name, sizeof(name), "%s.mq.num_queues.advertised", m->proto);
	if (!nq) {
		skip(r, name, dev, CONF_MUST, m->advertised, "no multi-queue-num-queues");
		snprintf(name, sizeof(name), "%s.mq.num_queues.range", m->proto);
		skip(r, name, dev, CONF_MUST, m->range, "no multi-queue-num-queues");
		return 1;
	}
	res(r, name, dev, CONF_MUST, mq != NULL, m->advertised,
	    "backend multi-queue-max-queues present",
	    show(back, "multi-queue-max-queues", act, sizeof(act)),
	    "frontend wrote multi-queue-num-queues=\"%s\"", nq);
	snprintf(name, sizeof(name), "%s.mq.num_queues.range", m->proto);
	if (!mq) {
		skip(r, name, dev, CONF_MUST, m->range, "backend wrote no multi-queue-max-queues");
		return parse_dec(nq, U32_MAX, &n) || !n ? 0 : n;
	}
	if (parse_dec(mq, U32_MAX, &max)) {
		res(r, name, dev, CONF_MUST, false, m->range, "decimal multi-queue-max-queues",
		    show(back, "multi-queue-max-queues", act, sizeof(act)),
		    "backend value not a number");
		return parse_dec(nq, U32_MAX, &n) || !n ? 0 : n;
	}
	snprintf(exp, sizeof(exp), "1 <= multi-queue-num-queues <= %llu", max);
	if (parse_dec(nq, U32_MAX, &n))
		n = 0;
	res(r, name, dev, CONF_MUST, n >= 1 && n <= max, m->range, exp,
	    show(front, "multi-queue-num-queues", act, sizeof(act)), "backend offers %llu", max);
	return n;
}

/* queue-M nodes with M >= n (or not a number) into buf. */
static void extra_queues(const struct xs_dir *front, unsigned long long n, char *buf, size_t len)
{
	for (size_t i = 0; i < front->n; i++) {
		const char *k = front->e[i].key;
		char q[32];
		unsigned long long m;
		size_t l;

		if (strncmp(k, "queue-", 6))
			continue;
		l = strcspn(k, "/");
		if (l >= sizeof(q) || strchr(k, '/'))
			continue; /* count the queue-M node itself, once */
		memcpy(q, k + 6, l - 6);
		q[l - 6] = 0;
		if (parse_dec(q, U32_MAX, &m) || m >= n)
			list_add(buf, len, k);
	}
}

static void check_mq_layout(const struct xs_dir *front, const char *dev, const char *proto,
			    unsigned long long n, const char *const *top, size_t ntop,
			    const char *src, struct conform_results *r)
{
	char name[96], act[160] = "";

	snprintf(name, sizeof(name), "%s.mq.%s", proto,
		 !strcmp(proto, "blkif") ? "no_toplevel_ring_ref" : "no_toplevel_keys");
	if (n < 2) {
		skip(r, name, dev, CONF_MUST, src, n ? "one queue" : "unusable queue count");
		return;
	}
	for (size_t i = 0; i < front->n; i++) {
		const char *k = front->e[i].key;

		for (size_t j = 0; j < ntop; j++)
			if (!strchr(k, '/') &&
			    (!strcmp(k, top[j]) || (!strcmp(top[j], "ring-ref") && is_ring_ref(k))))
				list_add(act, sizeof(act), k);
	}
	res(r, name, dev, CONF_MUST, !act[0], src, "no top-level ring or event-channel node",
	    act[0] ? act : "none", "%llu queues", n);
}

/* ---- blkif.h rules ---- */

/* Ring refs of one ring at prefix loc ("" or "queue-N/"): blkif.h:273-287, 396-399. */
static void ring_layout(const struct xs_dir *front, const char *loc, unsigned long long order,
			char *bad, size_t len)
{
	char k[64], what[96];

	snprintf(k, sizeof(k), "%sring-ref", loc);
	if (!order) {
		if (!xs_get(front, k)) {
			snprintf(what, sizeof(what), "%s missing", k);
			list_add(bad, len, what);
		}
		return;
	}
	if (xs_get(front, k)) {
		snprintf(what, sizeof(what), "%s present with ring-page-order %llu", k, order);
		list_add(bad, len, what);
	}
	for (unsigned long long i = 0; i < (1ULL << order); i++) {
		snprintf(k, sizeof(k), "%sring-ref%llu", loc, i);
		if (!xs_get(front, k)) {
			snprintf(what, sizeof(what), "%s missing", k);
			list_add(bad, len, what);
			return;
		}
	}
}

static void check_vbd_queues(const struct xs_dir *front, const char *dev, unsigned long long n,
			     struct conform_results *r)
{
	static const char *const top[] = {"event-channel", "ring-ref"};
	char bad[160] = "", k[64], what[96];

	check_mq_layout(front, dev, "blkif", n, top, ARRAY_SIZE(top), "blkif.h:431-434", r);
	if (n < 2) {
		skip(r, "blkif.mq.queue_keys", dev, CONF_MUST, "blkif.h:431-460",
		     n ? "one queue" : "unusable queue count");
		return;
	}
	for (unsigned long long q = 0; q < n && q < 4096; q++) {
		snprintf(k, sizeof(k), "queue-%llu/event-channel", q);
		if (!xs_get(front, k)) {
			snprintf(what, sizeof(what), "%s missing", k);
			list_add(bad, sizeof(bad), what);
		}
		snprintf(k, sizeof(k), "queue-%llu/ring-ref", q);
		snprintf(what, sizeof(what), "queue-%llu/ring-ref0", q);
		if (!xs_get(front, k) && !xs_get(front, what)) {
			snprintf(what, sizeof(what), "%s missing", k);
			list_add(bad, sizeof(bad), what);
		}
	}
	extra_queues(front, n, bad, sizeof(bad));
	res(r, "blkif.mq.queue_keys", dev, CONF_MUST, !bad[0], "blkif.h:431-460",
	    "queue-0..queue-N-1 with ring-ref and event-channel, nothing else",
	    bad[0] ? bad : "as expected", "%llu queues", n);
}

/* Numeric checks over every node whose last component passes match(). */
static void check_numeric(const struct xs_dir *front, const char *dev, const char *name,
			  const char *src, bool (*match)(const char *), const char *what,
			  struct conform_results *r)
{
	char bad[160] = "", item[128];
	size_t seen = 0;
	unsigned long long v;

	for (size_t i = 0; i < front->n; i++) {
		if (!match(last_comp(front->e[i].key)))
			continue;
		seen++;
		if (parse_dec(front->e[i].value, U32_MAX, &v)) {
			snprintf(item, sizeof(item), "%s=\"%s\"", front->e[i].key,
				 front->e[i].value);
			list_add(bad, sizeof(bad), item);
		}
	}
	if (!seen) {
		char why[96];

		snprintf(why, sizeof(why), "no %s node", what);
		skip(r, name, dev, CONF_SHOULD, src, why);
		return;
	}
	res(r, name, dev, CONF_SHOULD, !bad[0], src, "decimal uint32", bad[0] ? bad : "all decimal",
	    "%zu %s nodes", seen, what);
}

static bool is_evtchn_blk(const char *n)
{
	return !strcmp(n, "event-channel");
}

static void check_ring_pages(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
			     unsigned long long nq, struct conform_results *r)
{
	unsigned long long order = 0, mo = 0, mp = 1, np;
	char act[160], exp[160], bad[160] = "", loc[32];
	int rc_mo = xs_get_u64(back, "max-ring-page-order", 31, &mo);
	int rc_mp = xs_get_u64(back, "max-ring-pages", U32_MAX, &mp);
	int rc_o = xs_get_u64(front, "ring-page-order", U32_MAX, &order);

	if (rc_mp == -ENOENT)
		mp = 1;
	if (rc_mo == -ENOENT)
		mo = 0;
	if (rc_mp == -EINVAL || (rc_mp == 0 && !pow2(mp)))
		res(r, "blkif.max_ring_pages.power_of_two", dev, CONF_MUST, false,
		    "blkif.h:187-193", "a power of 2",
		    show(back, "max-ring-pages", act, sizeof(act)), "backend");
	else if (rc_mp == 0)
		res(r, "blkif.max_ring_pages.power_of_two", dev, CONF_MUST, true, "blkif.h:187-193",
		    "a power of 2", show(back, "max-ring-pages", act, sizeof(act)), "backend");
	else
		skip(r, "blkif.max_ring_pages.power_of_two", dev, CONF_MUST, "blkif.h:187-193",
		     "no max-ring-pages (deprecated node)");

	if (rc_o == -ENOENT) {
		skip(r, "blkif.ring_page_order.max", dev, CONF_MUST, "blkif.h:296-299",
		     "no ring-page-order (default 0)");
	} else if (rc_mo == -EINVAL || rc_mp == -EINVAL) {
		res(r, "blkif.ring_page_order.max", dev, CONF_MUST, false, "blkif.h:296-299",
		    "decimal backend max-ring-page-order / max-ring-pages",
		    show(back, rc_mo ? "max-ring-pages" : "max-ring-page-order", act, sizeof(act)),
		    "backend limit unusable");
	} else {
		unsigned long long lim = mo, f = mp ? (unsigned long long)__builtin_ctzll(mp) : 0;

		lim = f > lim ? f : lim; /* ffs(x) - 1 == ctz(x) for x != 0 */
		snprintf(exp, sizeof(exp), "ring-page-order <= %llu", lim);
		res(r, "blkif.ring_page_order.max", dev, CONF_MUST, !rc_o && order <= lim,
		    "blkif.h:296-299", exp, show(front, "ring-page-order", act, sizeof(act)),
		    "backend max-ring-page-order %llu, max-ring-pages %llu", mo, mp);
	}

	if (xs_get_u64(front, "num-ring-pages", U32_MAX, &np) == -ENOENT) {
		skip(r, "blkif.num_ring_pages.valid", dev, CONF_MUST, "blkif.h:306-313",
		     "no num-ring-pages (deprecated node)");
	} else {
		unsigned long long lim = mp > (1ULL << mo) ? mp : (1ULL << mo);
		int rc = xs_get_u64(front, "num-ring-pages", U32_MAX, &np);

		snprintf(exp, sizeof(exp), "a power of 2 <= %llu", lim);
		res(r, "blkif.num_ring_pages.valid", dev, CONF_MUST, !rc && pow2(np) && np <= lim,
		    "blkif.h:306-313", exp, show(front, "num-ring-pages", act, sizeof(act)),
		    "frontend");
	}

	if (rc_o == -EINVAL || order > 16 || nq == 0) {
		skip(r, "blkif.ring_ref.layout", dev, CONF_SHOULD, "blkif.h:273-287",
		     "unusable ring-page-order or queue count");
	} else {
		for (unsigned long long q = 0; q < (nq > 1 ? nq : 1) && q < 4096; q++) {
			if (nq > 1)
				snprintf(loc, sizeof(loc), "queue-%llu/", q);
			else
				loc[0] = 0;
			ring_layout(front, loc, order, bad, sizeof(bad));
		}
		res(r, "blkif.ring_ref.layout", dev, CONF_SHOULD, !bad[0], "blkif.h:273-287",
		    order ? "ring-ref0..ring-refN per ring, no ring-ref" : "ring-ref per ring",
		    bad[0] ? bad : "as expected", "ring-page-order %llu, %llu ring(s)", order,
		    nq > 1 ? nq : 1);
	}
	check_numeric(front, dev, "blkif.ring_ref.numeric", "blkif.h:273-287", is_ring_ref,
		      "ring-ref", r);
	check_numeric(front, dev, "blkif.event_channel.numeric", "blkif.h:267-271", is_evtchn_blk,
		      "event-channel", r);
}

/* Top-level nodes starting with one of the prefixes must be "0" or "1", except the
 * names in numeric[]. */
static void check_booleans(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
			   const char *name, const char *src, const char *const *prefixes,
			   size_t np, const char *numeric, struct conform_results *r)
{
	const struct xs_dir *dirs[] = {front, back};
	char bad[160] = "", item[128];
	size_t seen = 0;

	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < dirs[s]->n; i++) {
			const struct xs_entry *e = &dirs[s]->e[i];
			bool match = false;

			for (size_t j = 0; j < np; j++)
				match |= !strncmp(e->key, prefixes[j], strlen(prefixes[j]));
			if (!match || strchr(e->key, '/') || (numeric && !strcmp(e->key, numeric)))
				continue;
			seen++;
			if (strcmp(e->value, "0") && strcmp(e->value, "1")) {
				snprintf(item, sizeof(item), "%s %s=\"%s\"",
					 s ? "backend" : "frontend", e->key, e->value);
				list_add(bad, sizeof(bad), item);
			}
		}
	}
	res(r, name, dev, CONF_SHOULD, !bad[0], src, "\"0\" or \"1\"", bad[0] ? bad : "all boolean",
	    "%zu nodes", seen);
}

static void check_blk_features(const struct xs_dir *front, const struct xs_dir *back,
			       const char *dev, struct conform_results *r)
{
	static const char *const feat[] = {"feature-"};
	static const char *const abis[] = {"x86_32-abi", "x86_64-abi", "arm-abi"};
	const char *proto = xs_get(front, "protocol");
	unsigned long long v;
	char act[160];
	bool ok = false;

	check_booleans(front, back, dev, "blkif.feature_keys.boolean", "blkif.h:121-174,317-347",
		       feat, 1, "feature-max-indirect-segments", r);
	if (!xs_get(back, "feature-max-indirect-segments"))
		skip(r, "blkif.indirect.max_segments", dev, CONF_SHOULD, "blkif.h:585-605",
		     "no feature-max-indirect-segments");
	else
		res(r, "blkif.indirect.max_segments", dev, CONF_SHOULD,
		    !xs_get_u64(back, "feature-max-indirect-segments", U32_MAX, &v) && v > 0,
		    "blkif.h:585-605", "a positive decimal",
		    show(back, "feature-max-indirect-segments", act, sizeof(act)), "backend");
	if (!proto) {
		skip(r, "blkif.protocol.valid", dev, CONF_SHOULD, "blkif.h:289-294",
		     "no protocol (default XEN_IO_PROTO_ABI_NATIVE)");
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(abis); i++)
			ok |= !strcmp(proto, abis[i]);
		res(r, "blkif.protocol.valid", dev, CONF_SHOULD, ok, "blkif.h:289-294",
		    "x86_32-abi, x86_64-abi or arm-abi", show(front, "protocol", act, sizeof(act)),
		    "XEN_IO_PROTO_ABI_* (io/protocols.h:11-13)");
	}
	if (!is_one(back, "feature-discard"))
		skip(r, "blkif.discard.parameters", dev, CONF_SHOULD, "blkif.h:384-392",
		     "backend does not offer discard");
	else
		res(r, "blkif.discard.parameters", dev, CONF_SHOULD,
		    xs_get(back, "discard-granularity") && xs_get(back, "discard-alignment"),
		    "blkif.h:384-392", "discard-granularity and discard-alignment",
		    xs_get(back, "discard-granularity")
			? show(back, "discard-alignment", act, 160)
			: show(back, "discard-granularity", act, 160),
		    "backend feature-discard=\"1\"");
}

static void check_sectors(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
			  struct conform_results *r)
{
	unsigned long long ss = 0, pss = 0, n = 0, large = 0;
	int rc_ss = xs_get_u64(back, "sector-size", U32_MAX, &ss);
	int rc_pss = xs_get_u64(back, "physical-sector-size", U32_MAX, &pss);
	int rc_n = xs_get_u64(back, "sectors", UINT64_MAX, &n);
	bool ss_ok = !rc_ss && ss >= 512 && pow2(ss);
	char act[160];

	res(r, "blkif.sector_size.power_of_two", dev, CONF_MUST, ss_ok, "blkif.h:237-241",
	    "a power of 2, >= 512", show(back, "sector-size", act, sizeof(act)), "backend");
	if (!ss_ok) {
		skip(r, "blkif.sector_size.large_sector", dev, CONF_MUST, "blkif.h:243-245",
		     "no usable sector-size");
	} else {
		xs_get_u64(front, "feature-large-sector-size", U32_MAX, &large);
		res(r, "blkif.sector_size.large_sector", dev, CONF_MUST, ss == 512 || large,
		    "blkif.h:243-245", "512 unless feature-large-sector-size",
		    show(back, "sector-size", act, sizeof(act)),
		    "frontend feature-large-sector-size %s", large ? "set" : "not set");
	}
	if (rc_pss == -ENOENT || !ss_ok)
		skip(r, "blkif.physical_sector_size.multiple", dev, CONF_MUST, "blkif.h:247-252",
		     rc_pss == -ENOENT ? "no physical-sector-size (default sector-size)"
				       : "no usable sector-size");
	else
		res(r, "blkif.physical_sector_size.multiple", dev, CONF_MUST,
		    !rc_pss && pss && pss % ss == 0, "blkif.h:247-252", "a multiple of sector-size",
		    show(back, "physical-sector-size", act, sizeof(act)), "sector-size %llu", ss);
	if (rc_n)
		res(r, "blkif.sectors.multiple", dev, CONF_MUST, false, "blkif.h:254-259",
		    "decimal sectors", show(back, "sectors", act, sizeof(act)), "backend");
	else if (rc_pss || !ss_ok || !pss)
		skip(r, "blkif.sectors.multiple", dev, CONF_MUST, "blkif.h:254-259",
		     "no usable physical-sector-size or sector-size");
	else
		res(r, "blkif.sectors.multiple", dev, CONF_MUST,
		    ((unsigned __int128)n * ss) % pss == 0, "blkif.h:254-259",
		    "sectors * sector-size a multiple of physical-sector-size",
		    show(back, "sectors", act, sizeof(act)),
		    "sector-size %llu, physical-sector-size %llu", ss, pss);
}

void conform_check_vbd(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
		       struct conform_results *r)
{
	static const struct mq_rules mq = {"blkif", "blkif.h:416-424", "blkif.h:421-424"};
	unsigned long long nq;

	check_state(front, "vbd", "frontend", dev, "blkif.h:513", r);
	check_state(back, "vbd", "backend", dev, "blkif.h:505", r);
	nq = check_mq(front, back, dev, &mq, r);
	check_vbd_queues(front, dev, nq, r);
	check_ring_pages(front, back, dev, nq, r);
	check_blk_features(front, back, dev, r);
	check_sectors(front, back, dev, r);
}

/* ---- netif.h rules ---- */

static bool is_net_ring_key(const char *n)
{
	static const char *const k[] = {"tx-ring-ref",	     "rx-ring-ref",	 "event-channel",
					"event-channel-tx",  "event-channel-rx", "ctrl-ring-ref",
					"event-channel-ctrl"};

	for (size_t i = 0; i < ARRAY_SIZE(k); i++)
		if (!strcmp(n, k[i]))
			return true;
	return false;
}

static bool has(const struct xs_dir *d, const char *loc, const char *key)
{
	char k[96];

	snprintf(k, sizeof(k), "%s%s", loc, key);
	return xs_get(d, k) != NULL;
}

/* One queue's keys at loc: netif.h:68-93. Split channels are judged separately. */
static void net_queue(const struct xs_dir *front, const char *loc, char *bad, size_t len)
{
	static const char *const need[] = {"tx-ring-ref", "rx-ring-ref"};
	char what[96];

	for (size_t i = 0; i < ARRAY_SIZE(need); i++) {
		if (!has(front, loc, need[i])) {
			snprintf(what, sizeof(what), "%s%s missing", loc, need[i]);
			list_add(bad, len, what);
		}
	}
	if (!has(front, loc, "event-channel") && !has(front, loc, "event-channel-tx") &&
	    !has(front, loc, "event-channel-rx")) {
		snprintf(what, sizeof(what), "%sevent-channel missing", loc);
		list_add(bad, len, what);
	}
}

static void check_vif_queues(const struct xs_dir *front, const char *dev, unsigned long long n,
			     struct conform_results *r)
{
	static const char *const top[] = {"event-channel", "event-channel-tx", "event-channel-rx",
					  "tx-ring-ref", "rx-ring-ref"};
	char bad[160] = "", loc[32];

	check_mq_layout(front, dev, "netif", n, top, ARRAY_SIZE(top), "netif.h:76-79", r);
	if (!n) {
		skip(r, "netif.queue_keys", dev, CONF_MUST, "netif.h:68-98",
		     "unusable queue count");
		return;
	}
	for (unsigned long long q = 0; q < n && q < 4096; q++) {
		if (n > 1)
			snprintf(loc, sizeof(loc), "queue-%llu/", q);
		else
			loc[0] = 0;
		net_queue(front, loc, bad, sizeof(bad));
	}
	extra_queues(front, n > 1 ? n : 0, bad, sizeof(bad));
	res(r, "netif.queue_keys", dev, CONF_MUST, !bad[0], "netif.h:68-98",
	    "tx-ring-ref, rx-ring-ref and event channel(s) per queue, no other queue",
	    bad[0] ? bad : "as expected", "%llu queue(s)", n);
}

static void check_split(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
			struct conform_results *r)
{
	char bad[160] = "", what[96], loc[32];
	size_t used = 0;

	for (size_t i = 0; i < front->n; i++) {
		const char *k = front->e[i].key, *c = last_comp(k);
		bool tx = !strcmp(c, "event-channel-tx");

		if (!tx && strcmp(c, "event-channel-rx"))
			continue;
		used++;
		snprintf(loc, sizeof(loc), "%.*s", (int)(c - k), k);
		if (!has(front, loc, tx ? "event-channel-rx" : "event-channel-tx")) {
			snprintf(what, sizeof(what), "%s without its pair", k);
			list_add(bad, sizeof(bad), what);
		}
		if (tx && has(front, loc, "event-channel")) {
			snprintf(what, sizeof(what), "%sevent-channel beside it", loc);
			list_add(bad, sizeof(bad), what);
		}
	}
	if (!used) {
		skip(r, "netif.split_event_channels", dev, CONF_SHOULD, "netif.h:42-51",
		     "no event-channel-tx/-rx");
		return;
	}
	if (!is_one(back, "feature-split-event-channels"))
		list_add(bad, sizeof(bad), "backend does not offer feature-split-event-channels");
	res(r, "netif.split_event_channels", dev, CONF_SHOULD, !bad[0], "netif.h:42-51",
	    "tx/rx pairs, only with backend feature-split-event-channels=\"1\"",
	    bad[0] ? bad : "as expected", "%zu split event-channel nodes", used);
}

static void check_one(const struct xs_dir *d, const char *key, const char *dev, const char *name,
		      const char *src, const char *detail, struct conform_results *r)
{
	char act[160], exp[96];

	snprintf(exp, sizeof(exp), "%s=\"1\"", key);
	res(r, name, dev, CONF_SHOULD, is_one(d, key), src, exp, show(d, key, act, sizeof(act)),
	    "%s", detail);
}

static void check_ctrl(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
		       struct conform_results *r)
{
	bool ref = xs_get(front, "ctrl-ring-ref"), ev = xs_get(front, "event-channel-ctrl");
	char act[160];

	if (!xs_get(front, "request-multicast-control") ||
	    !strcmp(xs_get(front, "request-multicast-control"), "0"))
		skip(r, "netif.multicast_control", dev, CONF_SHOULD, "netif.h:121-132",
		     "frontend does not request multicast control");
	else
		res(r, "netif.multicast_control", dev, CONF_SHOULD,
		    is_one(back, "feature-multicast-control"), "netif.h:121-132",
		    "backend feature-multicast-control=\"1\"",
		    show(back, "feature-multicast-control", act, sizeof(act)),
		    "frontend request-multicast-control set");
	if (!ref && !ev)
		skip(r, "netif.ctrl_ring", dev, CONF_SHOULD, "netif.h:152-173",
		     "frontend provides no control ring");
	else
		res(r, "netif.ctrl_ring", dev, CONF_SHOULD,
		    ref && ev && is_one(back, "feature-ctrl-ring"), "netif.h:152-173",
		    "ctrl-ring-ref and event-channel-ctrl, backend feature-ctrl-ring=\"1\"",
		    ref && ev ? show(back, "feature-ctrl-ring", act, sizeof(act))
		    : ref     ? "event-channel-ctrl absent"
			      : "ctrl-ring-ref absent",
		    "frontend control ring");
}

void conform_check_vif(const struct xs_dir *front, const struct xs_dir *back, const char *dev,
		       struct conform_results *r)
{
	static const struct mq_rules mq = {"netif", "netif.h:54-62", "netif.h:59-62"};
	static const char *const bools[] = {"feature-", "request-"};
	unsigned long long nq;

	check_state(front, "vif", "frontend", dev, "xenbus.h:35", r);
	check_state(back, "vif", "backend", dev, "xenbus.h:35", r);
	nq = check_mq(front, back, dev, &mq, r);
	check_vif_queues(front, dev, nq, r);
	check_numeric(front, dev, "netif.ring_keys.numeric", "netif.h:83-93", is_net_ring_key,
		      "ring-ref/event-channel", r);
	check_split(front, back, dev, r);
	check_one(front, "feature-rx-notify", dev, "netif.feature_rx_notify", "netif.h:34-40",
		  "frontend: rx requests notify the backend", r);
	check_one(front, "request-rx-copy", dev, "netif.request_rx_copy",
		  "linux:xen-netback/xenbus.c read_xenbus_vif_flags",
		  "Linux netback connects only to rx-copy frontends", r);
	check_booleans(front, back, dev, "netif.feature_keys.boolean", "netif.h:42-45,107-132",
		       bools, ARRAY_SIZE(bools), NULL, r);
	check_ctrl(front, back, dev, r);
}

/* ---- state transitions (xenbus.h:19-50, blkif.h:464-535) ---- */

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
	if (out->n == out->cap) {
		size_t cap = out->cap ? 2 * out->cap : 64;
		struct state_event *v = realloc(out->ev, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		out->ev = v;
		out->cap = cap;
	}
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

/* ---- leaks: xl debug-keys g / e, ps ax ---- */

/* The text of an xl dmesg line after "(XEN) " and "[   45.226308] ", if present. */
static const char *xen_body(const char *line, const char *eol)
{
	const char *q;

	if ((size_t)(eol - line) >= 6 && !strncmp(line, "(XEN) ", 6))
		line += 6;
	if (line < eol && *line == '[') {
		for (q = line + 1;
		     q < eol && (*q == ' ' || *q == '.' || isdigit((unsigned char)*q)); q++)
			;
		if (q < eol && *q == ']' && q > line + 1 && isdigit((unsigned char)q[-1])) {
			line = q + 1;
			if (line < eol && *line == ' ')
				line++;
		}
	}
	return line;
}

static bool body_is(const char *body, const char *eol, const char *what)
{
	size_t n = strlen(what);

	return (size_t)(eol - body) >= n && !strncmp(body, what, n);
}

/* Start of the line after the last one whose body starts with marker, or NULL. */
static const char *last_marker(const char *text, const char *marker)
{
	const char *found = NULL;

	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');

		if (body_is(xen_body(p, eol), eol, marker))
			found = *eol ? eol + 1 : eol;
		p = *eol ? eol + 1 : eol;
	}
	return found;
}

int xen_gnttab_dump_count(const char *xl_dmesg, int granting_dom, long *active)
{
	const char *p = last_marker(xl_dmesg, "gnttab_usage_print_all [");
	long count = 0, cur = -1;
	bool found = false;

	if (!p)
		return -ENODATA;
	while (*p) {
		const char *eol = strchrnul(p, '\n'), *b = xen_body(p, eol);

		if (body_is(b, eol, "gnttab_usage_print_all ] done")) {
			if (!found)
				return -ENOENT;
			*active = count;
			return 0;
		}
		if (body_is(b, eol, "grant-table for remote d")) {
			cur = strtol(b + strlen("grant-table for remote d"), NULL, 10);
			found |= cur == granting_dom;
		} else if (cur == granting_dom && body_is(b, eol, "[0x")) {
			count++;
		}
		p = *eol ? eol + 1 : eol;
	}
	return -ENODATA; /* the last block has no end: cut or still being printed */
}

/* "  13 [0/0/  -   ]: s=3 n=1 x=0 d=0 p=26" -> 3; -1 when not a port line. */
static int port_state(const char *b, const char *eol)
{
	const char *s;

	while (b < eol && *b == ' ')
		b++;
	if (b == eol || !isdigit((unsigned char)*b))
		return -1;
	while (b < eol && isdigit((unsigned char)*b))
		b++;
	if (b + 1 >= eol || b[0] != ' ' || b[1] != '[')
		return -1;
	s = memmem(b, eol - b, "]: s=", 5);
	return s && s + 5 < eol && isdigit((unsigned char)s[5]) ? atoi(s + 5) : -1;
}

int xen_evtchn_dump_count(const char *xl_dmesg, int dom, long *bound)
{
	static const char hdr[] = "Event channel information for domain ";
	const char *p = last_marker(xl_dmesg, "'e' pressed -> dumping event-channel info");
	long count = 0, cur = -1;
	bool found = false;

	if (!p)
		return -ENODATA;
	for (; *p; p = *p ? p + 1 : p) {
		const char *eol = strchrnul(p, '\n'), *b = xen_body(p, eol);
		int s;

		if (body_is(p, eol, "(d") && p + 2 < eol && isdigit((unsigned char)p[2])) {
			p = eol; /* a guest's console line in between */
			continue;
		}
		if (body_is(b, eol, hdr)) {
			cur = strtol(b + strlen(hdr), NULL, 10);
			found |= cur == dom;
		} else if ((s = port_state(b, eol)) >= 0) {
			count += cur == dom && s != 0;
		} else if (!body_is(b, eol, "Polling vCPUs") &&
			   !body_is(b + strspn(b, " "), eol, "port [p/m/s]")) {
			break; /* the dump is over */
		}
		p = eol;
	}
	if (!found)
		return -ENOENT;
	*bound = count;
	return 0;
}

void conform_check_leaks(const struct conform_leak_sample *before,
			 const struct conform_leak_sample *after, const char *dev,
			 struct conform_results *r)
{
	const long b[2] = {before->grant_entries, before->event_channels};
	const long a[2] = {after->grant_entries, after->event_channels};
	static const char *const what[2] = {"grant_entries", "event_channels"};
	static const char *const src[2] = {"xl debug-keys g", "xl debug-keys e"};
	char type[16], name[96], exp[64], act[64];

	snprintf(type, sizeof(type), "%.*s", (int)strcspn(dev, "/"), dev);
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "leak.%s.%s", type, what[i]);
		if (b[i] < 0 || a[i] < 0) {
			skip(r, name, dev, CONF_MUST, src[i], "not measured before and after");
			continue;
		}
		snprintf(exp, sizeof(exp), "%ld (as before attach)", b[i]);
		snprintf(act, sizeof(act), "%ld after detach", a[i]);
		res(r, name, dev, CONF_MUST, a[i] == b[i], src[i], exp, act,
		    a[i] > b[i]	  ? "%ld more held by the domU"
		    : a[i] < b[i] ? "%ld fewer"
				  : "%ld",
		    a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
	}
}

int conform_backend_thread_prefix(const char *type, int domid, const char *name, char *buf,
				  size_t len)
{
	int n;

	if (!name || !*name || domid < 0)
		return -EINVAL;
	if (!strcmp(type, "vbd")) {
		const char *dev = strstr(name, "/dev/");

		n = snprintf(buf, len, "blkback.%d.%s", domid, dev ? dev + 5 : name);
	} else if (!strcmp(type, "vif")) {
		n = snprintf(buf, len, "vif%d.%s-q", domid, name);
	} else {
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

#define TASK_COMM_CHARS 15 /* Linux TASK_COMM_LEN - 1 */

static bool thread_word(const char *w, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (n >= 2 && w[0] == '[' && w[n - 1] == ']')
		w++, n -= 2;
	if (n == TASK_COMM_CHARS && pl > n && !strncmp(w, prefix, n))
		return true; /* the name cut by the kernel */
	if (n < pl || strncmp(w, prefix, pl))
		return false;
	if (n == pl)
		return true;
	if (pl && prefix[pl - 1] == 'q')
		return isdigit((unsigned char)w[pl]);
	return w[pl] == '-';
}

long conform_backend_thread_count(const char *ps_text, const char *prefix)
{
	long count = 0;

	for (const char *p = ps_text; *p;) {
		const char *eol = strchrnul(p, '\n');
		bool hit = false;

		for (const char *w = p; w < eol && !hit;) {
			size_t n;

			while (w < eol && isspace((unsigned char)*w))
				w++;
			for (n = 0; w + n < eol && !isspace((unsigned char)w[n]); n++)
				;
			hit = n && thread_word(w, n, prefix);
			w += n;
		}
		count += hit;
		p = *eol ? eol + 1 : eol;
	}
	return count;
}

void conform_check_backend_threads(const char *ps_after, const char *prefix, const char *dev,
				   struct conform_results *r)
{
	char type[16], name[96], act[64];
	long n = conform_backend_thread_count(ps_after, prefix);

	snprintf(type, sizeof(type), "%.*s", (int)strcspn(dev, "/"), dev);
	snprintf(name, sizeof(name), "leak.%s.backend_threads", type);
	snprintf(act, sizeof(act), "%ld thread(s)", n);
	res(r, name, dev, CONF_MUST, n == 0,
	    !strcmp(type, "vbd") ? "linux:xen-blkback/xenbus.c" : "linux:xen-netback/interface.c",
	    "no thread named like it in dom0", act, "prefix '%s'", prefix);
}
