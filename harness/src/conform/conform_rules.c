/* conform_rules.c: the device checks of `pvbench conform` (see pvbench/conform.h):
 * the blkif.h and netif.h rules over a connected device's frontend and backend
 * directories (conform_check_vbd, conform_check_vif). Every rule cites the header
 * line it enforces. The xenstore-ls parser is in conform_xs.c, the state-transition
 * rules in conform_states.c, the leak checks in conform_leaks.c, the output writers
 * in conform_output.c. */
#include "conform_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define U32_MAX 0xffffffffULL

static bool pow2(unsigned long long v)
{
	return v && !(v & (v - 1));
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
