/* pvbench-blkif: a user-space blkif frontend that checks a block backend against
 * the PV protocol (see drivers/blkif/README.md).
 *
 *   pvbench-blkif --vdev N [--ro-vdev M] [--checks GLOB] [--json]
 *                 [--fuzz N --seed S] [--timeout SEC]
 *
 * Runs in a domU where device/vbd/N exists and no kernel driver bound it (e.g.
 * echo 0 > /sys/bus/xen/drivers_autoprobe before xl block-attach). Connects as the
 * frontend (grants through gntalloc, an event channel, xenstore), runs the checks
 * of blkif_ring.h whose name matches GLOB (default all), then N fuzzed malformed
 * requests, then closes. Output: TAP 13 on stdout, or one JSON document (schema
 * pvbench-blkif/1) with --json. Exit status 0 when no MUST check failed, no check
 * hit an error and the fuzzer saw no hang; 1 otherwise; 2 for usage errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "../blkif_ring.h"

#define NDATA 32	       /* data pages granted writable to the backend */
#define PG_LIVE (NDATA - 1)    /* page the liveness reads land in */
#define TEST_SECTOR 2048u      /* scratch area on the rw vbd */
#define FOREIGN_GREF 0xffffffu /* beyond any v1 grant table (64 frames x 512) */
#define STATE_WAIT_MS 20000

struct vbd {
	unsigned vdev;
	char fe[64], be[160], why[160]; /* why: the last connection error */
	unsigned be_id;
	bool connected;
	void *ring_page;
	grant_ref_t ring_ref;
	evtchn_port_t port;
	blkif_front_ring_t fr;
	uint8_t *data, *ro_page, *ind; /* NDATA rw pages, 1 ro page, 1 indirect page */
	grant_ref_t data_ref[NDATA], ro_ref, ind_ref;
	uint64_t sectors;
	unsigned sector_size, phys_sector_size, info;
	int flush, discard, max_indirect; /* -1: key absent */
};

struct opts {
	long vdev, ro_vdev, fuzz, timeout;
	uint64_t seed;
	const char *glob;
	bool json;
};

struct outcome {
	enum blkif_result r;
	unsigned got; /* enum blkif_st set */
	char detail[320];
};

static struct {
	struct xs_handle *xs;
	xenevtchn_handle *xce;
	xengntshr_handle *xgs;
	struct opts o;
	struct vbd rw, ro;
	uint64_t next_id;
	unsigned echo_n, echo_bad; /* responses checked for operation, wrong ones */
	char echo_detail[160];
} G;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("pvbench-blkif: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void)
{
	fputs("usage: pvbench-blkif --vdev N [--ro-vdev M] [--checks GLOB] [--json]\n"
	      "                     [--fuzz N --seed S] [--timeout SEC]\n",
	      stderr);
	exit(2);
}

static void addf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Appends to the NUL-terminated buf of n bytes, "; " between parts. */
static void addf(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len && len + 2 < n)
		len += snprintf(buf + len, n - len, "; ");
	if (len >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* ---- xenstore ---- */

/* The integer at dir/key; -ENOENT when absent, -EINVAL when not a number. */
static int xs_ull(const char *dir, const char *key, unsigned long long *v)
{
	char path[256], *s, *end;
	unsigned len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	s = xs_read(G.xs, XBT_NULL, path, &len);
	if (!s)
		return -ENOENT;
	errno = 0;
	*v = strtoull(s, &end, 10);
	rc = end == s || *end || errno ? -EINVAL : 0;
	free(s);
	return rc;
}

static int xs_int_or(const char *dir, const char *key, int dflt)
{
	unsigned long long v;

	return xs_ull(dir, key, &v) ? dflt : (int)v;
}

static int xs_put(const char *dir, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int xs_put(const char *dir, const char *key, const char *fmt, ...)
{
	char path[256], val[64];
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return xs_write(G.xs, XBT_NULL, path, val, strlen(val)) ? 0 : -errno;
}

static int be_state(const struct vbd *v)
{
	return xs_int_or(v->be, "state", -1);
}

/* Waits until the backend's state is one of mask (bits 1 << XenbusState*).
 * Returns the state, or -ETIMEDOUT. */
static int wait_be(const struct vbd *v, unsigned mask, long ms)
{
	long end = now_ms() + ms;
	int st;

	for (;;) {
		st = be_state(v);
		if (st >= 0 && (mask & (1u << st)))
			return st;
		if (now_ms() > end)
			return -ETIMEDOUT;
		usleep(20000);
	}
}

/* ---- connection (blkif.h:464-535) ---- */

static int vbd_open(struct vbd *v, unsigned vdev)
{
	unsigned long long id;
	char *be;
	unsigned len;

	v->vdev = vdev;
	snprintf(v->fe, sizeof(v->fe), "device/vbd/%u", vdev);
	be = xs_read(G.xs, XBT_NULL,
		     (snprintf(v->why, sizeof(v->why), "%s/backend", v->fe), v->why), &len);
	if (!be)
		return snprintf(v->why, sizeof(v->why), "cannot read '%s/backend'", v->fe), -ENOENT;
	snprintf(v->be, sizeof(v->be), "%s", be);
	free(be);
	if (xs_ull(v->fe, "backend-id", &id))
		return snprintf(v->why, sizeof(v->why), "cannot read '%s/backend-id'", v->fe),
		       -ENOENT;
	v->be_id = id;
	v->why[0] = '\0';
	v->data = xengntshr_share_pages(G.xgs, id, NDATA, v->data_ref, 1);
	v->ro_page = xengntshr_share_pages(G.xgs, id, 1, &v->ro_ref, 0);
	v->ind = xengntshr_share_pages(G.xgs, id, 1, &v->ind_ref, 1);
	if (!v->data || !v->ro_page || !v->ind)
		die("cannot share data pages with domain %llu: %s", id, strerror(errno));
	return 0;
}

static void read_features(struct vbd *v)
{
	unsigned long long x;

	v->sectors = xs_ull(v->be, "sectors", &x) ? 0 : x;
	v->sector_size = xs_int_or(v->be, "sector-size", 512);
	v->phys_sector_size = xs_int_or(v->be, "physical-sector-size", v->sector_size);
	v->info = xs_int_or(v->be, "info", 0);
	v->flush = xs_int_or(v->be, "feature-flush-cache", -1);
	v->discard = xs_int_or(v->be, "feature-discard", -1);
	v->max_indirect = xs_int_or(v->be, "feature-max-indirect-segments", -1);
}

/* Frontend side of the startup diagram: from a backend in InitWait (or Closed,
 * after an earlier session: then state Initialising first) to both Connected. */
static int vbd_connect(struct vbd *v)
{
	int st = be_state(v), fe = xs_int_or(v->fe, "state", -1);

	v->why[0] = '\0';
	if (fe == XenbusStateConnected && !v->ring_page)
		return snprintf(v->why, sizeof(v->why),
				"vbd %u is Connected to another frontend (a kernel driver?)",
				v->vdev),
		       -EBUSY;
	if (st == XenbusStateClosed || st == XenbusStateClosing || fe != XenbusStateInitialising)
		xs_put(v->fe, "state", "%d", XenbusStateInitialising);
	st = wait_be(v, 1u << XenbusStateInitWait, STATE_WAIT_MS);
	if (st < 0)
		return snprintf(v->why, sizeof(v->why), "backend %s not in InitWait (state %d)",
				v->be, be_state(v)),
		       st;
	read_features(v);
	v->ring_page = xengntshr_share_pages(G.xgs, v->be_id, 1, &v->ring_ref, 1);
	if (!v->ring_page)
		return snprintf(v->why, sizeof(v->why), "cannot share the ring page: %s",
				strerror(errno)),
		       -errno;
	XEN_FRONT_RING_INIT(&v->fr, (blkif_sring_t *)v->ring_page, BLKIF_PAGE_SIZE);
	st = xenevtchn_bind_unbound_port(G.xce, v->be_id);
	if (st < 0)
		return snprintf(v->why, sizeof(v->why), "cannot allocate an event channel: %s",
				strerror(errno)),
		       -errno;
	v->port = st;
	if (xs_put(v->fe, "ring-ref", "%u", v->ring_ref) ||
	    xs_put(v->fe, "event-channel", "%u", v->port) ||
	    xs_put(v->fe, "protocol", "%s", XEN_IO_PROTO_ABI_X86_64) ||
	    xs_put(v->fe, "state", "%d", XenbusStateInitialised))
		return snprintf(v->why, sizeof(v->why), "cannot write '%s': %s", v->fe,
				strerror(errno)),
		       -EIO;
	st = wait_be(
	    v, 1u << XenbusStateConnected | 1u << XenbusStateClosing | 1u << XenbusStateClosed,
	    STATE_WAIT_MS);
	if (st != XenbusStateConnected)
		return snprintf(v->why, sizeof(v->why), "backend %s did not connect (state %d)",
				v->be, be_state(v)),
		       -ECONNREFUSED;
	read_features(v);
	xs_put(v->fe, "state", "%d", XenbusStateConnected);
	v->connected = true;
	return 0;
}

/* Closing -> backend Closing/Closed -> Closed -> backend Closed; then the event
 * channel is unbound and the ring page unshared. Returns 0 or -ETIMEDOUT. */
static int vbd_close(struct vbd *v)
{
	int rc = 0;

	if (!v->ring_page)
		return 0;
	xs_put(v->fe, "state", "%d", XenbusStateClosing);
	if (wait_be(v, 1u << XenbusStateClosing | 1u << XenbusStateClosed, STATE_WAIT_MS) < 0)
		rc = -ETIMEDOUT;
	xs_put(v->fe, "state", "%d", XenbusStateClosed);
	if (wait_be(v, 1u << XenbusStateClosed, STATE_WAIT_MS) < 0)
		rc = -ETIMEDOUT;
	xenevtchn_unbind(G.xce, v->port);
	xengntshr_unshare(G.xgs, v->ring_page, 1);
	v->ring_page = NULL;
	v->connected = false;
	return rc;
}

static void vbd_free(struct vbd *v)
{
	if (v->data)
		xengntshr_unshare(G.xgs, v->data, NDATA);
	if (v->ro_page)
		xengntshr_unshare(G.xgs, v->ro_page, 1);
	if (v->ind)
		xengntshr_unshare(G.xgs, v->ind, 1);
	v->data = v->ro_page = v->ind = NULL;
}

/* ---- requests ---- */

static struct blkif_request *slot(struct vbd *v)
{
	struct blkif_request *r = blkif_ring_next(&v->fr);

	if (!r)
		die("ring of vbd %u full", v->vdev);
	return r;
}

static void kick(struct vbd *v)
{
	if (blkif_ring_push(&v->fr))
		xenevtchn_notify(G.xce, v->port);
}

/* Collects up to n responses into rsp within ms; returns how many arrived. */
static unsigned collect(struct vbd *v, struct blkif_response *rsp, unsigned n, long ms)
{
	long end = now_ms() + ms;
	unsigned got = 0;
	struct pollfd p = {.fd = xenevtchn_fd(G.xce), .events = POLLIN};

	while (got < n) {
		int rc = blkif_ring_take(&v->fr, &rsp[got]);
		long left = end - now_ms();

		if (rc < 0)
			break; /* rsp_prod overruns the ring: stop trusting it */
		if (rc > 0) {
			got++;
			continue;
		}
		if (left <= 0)
			break;
		if (poll(&p, 1, left < 50 ? left : 50) > 0) {
			xenevtchn_port_or_error_t port = xenevtchn_pending(G.xce);

			if (port >= 0)
				xenevtchn_unmask(G.xce, port);
		}
	}
	return got;
}

static uint64_t new_id(void)
{
	return G.next_id++;
}

/* Sends the request *tmpl (its id replaced by a fresh one) and waits for its
 * response. Returns the status bit (BLKIF_ST_NONE on timeout); faults are added to
 * detail, and the operation echo is counted for blkif.response.operation when
 * count_echo. */
static unsigned one(struct vbd *v, const struct blkif_request *tmpl, char *detail, size_t n,
		    bool count_echo)
{
	struct blkif_request *r = slot(v);
	struct blkif_response rsp;
	uint64_t id = new_id();
	unsigned f;

	*r = *tmpl;
	r->id = id;
	kick(v);
	if (!collect(v, &rsp, 1, G.o.timeout * 1000L)) {
		addf(detail, n,
		     "no response within %ld s (req_prod %u rsp_prod %u, backend state %d)",
		     G.o.timeout, v->fr.sring->req_prod, v->fr.sring->rsp_prod, be_state(v));
		v->connected = false;
		snprintf(v->why, sizeof(v->why), "the backend stopped answering");
		return BLKIF_ST_NONE;
	}
	f = blkif_response_faults(&rsp, id, tmpl->operation);
	if (f & BLKIF_RSP_BAD_ID)
		addf(detail, n, "response id %#" PRIx64 ", request id %#" PRIx64, rsp.id, id);
	if (f & BLKIF_RSP_BAD_STATUS)
		addf(detail, n, "status %d is not a blkif.h status", rsp.status);
	if (count_echo) {
		G.echo_n++;
		if (f & BLKIF_RSP_BAD_OP) {
			G.echo_bad++;
			addf(G.echo_detail, sizeof(G.echo_detail), "op %u answered as %u",
			     tmpl->operation, rsp.operation);
		}
	}
	return f & BLKIF_RSP_BAD_ID ? BLKIF_ST_OTHER : blkif_status_bit(rsp.status);
}

/* A direct read or write of nsec (1-8) sectors at sector, one page. */
static void rw1(struct blkif_request *r, uint8_t op, grant_ref_t gref, uint64_t sector,
		unsigned nsec)
{
	struct blkif_request_segment s = blkif_seg(gref, 0, nsec - 1);

	blkif_encode_rw(r, op, 0, 0, sector, &s, 1);
}

/* A valid read on v and, when attached, on the other vbd, plus a xenstore read:
 * true when everything answered. Says what failed in detail. */
static bool alive(struct vbd *v, char *detail, size_t n)
{
	struct vbd *other = v == &G.rw ? &G.ro : &G.rw;
	struct blkif_request r;
	unsigned st;
	bool ok = true;

	if (be_state(v) < 0) {
		addf(detail, n, "xenstore: cannot read '%s/state'", v->be);
		return false;
	}
	rw1(&r, BLKIF_OP_READ, v->data_ref[PG_LIVE], 0, 1);
	st = v->connected ? one(v, &r, detail, n, false) : BLKIF_ST_NONE;
	if (st != BLKIF_ST_OKAY) {
		addf(detail, n, "liveness read on vbd %u failed (backend state %d)", v->vdev,
		     be_state(v));
		ok = false;
	}
	if (other->connected) {
		rw1(&r, BLKIF_OP_READ, other->data_ref[PG_LIVE], 0, 1);
		if (one(other, &r, detail, n, false) != BLKIF_ST_OKAY) {
			addf(detail, n, "other vbd %u stopped serving", other->vdev);
			ok = false;
		}
	}
	return ok;
}

static void fill(uint8_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t x = blkif_splitmix64(&seed);

		memcpy(p + i, &x, 8);
	}
}

/* ---- the checks ---- */

typedef void check_fn(const struct blkif_check *c, struct outcome *o);

static void judge(const struct blkif_check *c, struct outcome *o)
{
	o->r = blkif_judge(c, o->got);
}

static void ck_connect(const struct blkif_check *c, struct outcome *o)
{
	(void)c;
	o->got = G.rw.connected ? BLKIF_ST_OKAY : BLKIF_ST_NONE;
	o->r = G.rw.connected ? BLKIF_PASS : BLKIF_FAIL;
	if (G.rw.connected)
		addf(o->detail, sizeof(o->detail), "%s: ring-ref %u event-channel %u backend %s",
		     G.rw.fe, G.rw.ring_ref, G.rw.port, G.rw.be);
	else
		addf(o->detail, sizeof(o->detail), "%s", G.rw.why);
}

static void ck_geometry(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &G.rw;
	unsigned ss = v->sector_size, ps = v->phys_sector_size;
	bool ok = ss >= 512 && !(ss & (ss - 1)) && ps && ps % ss == 0 &&
		  (v->sectors * ss) % ps == 0 && v->sectors;

	(void)c;
	o->got = BLKIF_ST_OKAY;
	o->r = ok ? BLKIF_PASS : BLKIF_FAIL;
	addf(o->detail, sizeof(o->detail),
	     "sectors %" PRIu64 " sector-size %u physical-sector-size %u", v->sectors, ss, ps);
}

/* Sends one request and judges its status. */
static void single(const struct blkif_check *c, struct outcome *o, const struct blkif_request *r)
{
	o->got = one(&G.rw, r, o->detail, sizeof(o->detail), true);
	judge(c, o);
}

static void ck_read(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;

	rw1(&r, BLKIF_OP_READ, G.rw.data_ref[0], TEST_SECTOR, 1);
	single(c, o, &r);
}

/* Writes pages [0, n) (sectors per segment first..last from segs) then reads the
 * same sector range back into whole pages from page 16 and compares. */
static void write_readback(const struct blkif_check *c, struct outcome *o,
			   const struct blkif_request_segment *segs, unsigned nseg, uint64_t seed)
{
	struct vbd *v = &G.rw;
	struct blkif_request r;
	struct blkif_request_segment back[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	size_t off = 0, total = 0;
	unsigned nback;

	for (unsigned i = 0; i < nseg; i++)
		total += (segs[i].last_sect - segs[i].first_sect + 1) << BLKIF_SECTOR_SHIFT;
	fill(v->data, (size_t)nseg * BLKIF_PAGE_SIZE, seed);
	memset(v->data + 16 * BLKIF_PAGE_SIZE, 0, 11 * BLKIF_PAGE_SIZE);
	blkif_encode_rw(&r, BLKIF_OP_WRITE, 0, 0, TEST_SECTOR, segs, nseg);
	o->got = one(v, &r, o->detail, sizeof(o->detail), true);
	nback = (total + BLKIF_PAGE_SIZE - 1) / BLKIF_PAGE_SIZE;
	for (unsigned i = 0; i < nback; i++) {
		size_t left = total - (size_t)i * BLKIF_PAGE_SIZE;
		unsigned ns = left >= BLKIF_PAGE_SIZE ? 8 : left >> BLKIF_SECTOR_SHIFT;

		back[i] = blkif_seg(v->data_ref[16 + i], 0, ns - 1);
	}
	blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, back, nback);
	if (o->got == BLKIF_ST_OKAY)
		o->got |= one(v, &r, o->detail, sizeof(o->detail), true);
	judge(c, o);
	if (o->got != BLKIF_ST_OKAY)
		return;
	for (unsigned i = 0; i < nseg; i++) {
		size_t len = (segs[i].last_sect - segs[i].first_sect + 1) << BLKIF_SECTOR_SHIFT;
		const uint8_t *want = v->data + (size_t)i * BLKIF_PAGE_SIZE +
				      (segs[i].first_sect << BLKIF_SECTOR_SHIFT);

		if (memcmp(want, v->data + 16 * BLKIF_PAGE_SIZE + off, len)) {
			o->r = BLKIF_FAIL;
			addf(o->detail, sizeof(o->detail), "segment %u read back differs", i);
			return;
		}
		off += len;
	}
	addf(o->detail, sizeof(o->detail), "%zu bytes written and read back equal", total);
}

static void ck_write(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request_segment s = blkif_seg(G.rw.data_ref[0], 0, 7);

	write_readback(c, o, &s, 1, 1);
}

static void ck_write_maxseg(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request_segment s[BLKIF_MAX_SEGMENTS_PER_REQUEST];

	for (unsigned i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		s[i] = blkif_seg(G.rw.data_ref[i], i % 4, 7 - i % 3);
	write_readback(c, o, s, BLKIF_MAX_SEGMENTS_PER_REQUEST, 2);
}

static void ck_flush(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;

	blkif_encode_flush(&r, 0, 0);
	single(c, o, &r);
	addf(o->detail, sizeof(o->detail), "feature-flush-cache %d", G.rw.flush);
	if (o->r == BLKIF_FAIL && G.rw.flush != 1) /* unadvertised: the spec says nothing */
		o->r = BLKIF_WARN;
}

/* Pushes n requests at once (ids id0.. or all id0 when same_id) and checks that
 * n responses come back, each OKAY with a known id, no id twice (unless same_id). */
static void batch(const struct blkif_check *c, struct outcome *o, unsigned n, bool same_id)
{
	struct vbd *v = &G.rw;
	struct blkif_response rsp[BLKIF_RING_SIZE_1PAGE];
	bool seen[BLKIF_RING_SIZE_1PAGE] = {false};
	uint64_t id0 = G.next_id;
	unsigned got;

	G.next_id += n;
	for (unsigned i = 0; i < n; i++) {
		rw1(slot(v), BLKIF_OP_READ, v->data_ref[PG_LIVE], TEST_SECTOR + i, 1);
		v->fr.sring->ring[(v->fr.req_prod_pvt - 1) % BLKIF_RING_SIZE_1PAGE].req.id =
		    same_id ? id0 : id0 + i;
	}
	kick(v);
	got = collect(v, rsp, n, G.o.timeout * 1000L);
	if (got < n) {
		o->got |= BLKIF_ST_NONE;
		addf(o->detail, sizeof(o->detail), "%u of %u responses", got, n);
		v->connected = false;
	}
	for (unsigned i = 0; i < got; i++) {
		uint64_t k = rsp[i].id - id0;

		o->got |= blkif_status_bit(rsp[i].status);
		if (k >= n || (same_id && k) || (!same_id && seen[k])) {
			o->got |= BLKIF_ST_OTHER;
			addf(o->detail, sizeof(o->detail), "unexpected id %#" PRIx64, rsp[i].id);
		} else {
			seen[k] = true;
		}
	}
	judge(c, o);
	if (o->r == BLKIF_PASS)
		addf(o->detail, sizeof(o->detail), "%u requests, %u responses%s", n, got,
		     same_id ? ", all with the shared id" : ", each id once");
}

static void ck_ring_full(const struct blkif_check *c, struct outcome *o)
{
	batch(c, o, RING_SIZE(&G.rw.fr), false);
}

static void ck_id_dup(const struct blkif_check *c, struct outcome *o)
{
	batch(c, o, 2, true);
}

/* The bad direct requests: built here, judged by the table. */
static void ck_bad(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &G.rw;
	struct blkif_request r;
	struct blkif_request_segment s[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	grant_ref_t g = v->data_ref[0];
	int id = c - blkif_checks;

	for (unsigned i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		s[i] = blkif_seg(v->data_ref[i], 0, 7);
	switch (id) {
	case BLKIF_CK_OP_UNKNOWN:
		rw1(&r, 0xe7, g, TEST_SECTOR, 1);
		break;
	case BLKIF_CK_NSEG_ZERO:
		blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, s, 0);
		break;
	case BLKIF_CK_NSEG_12:
		blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, s, 12);
		break;
	case BLKIF_CK_NSEG_255:
		blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, s, 255);
		break;
	case BLKIF_CK_SEG_FIRST_GT_LAST:
		s[0] = blkif_seg(g, 5, 2);
		blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, s, 1);
		break;
	case BLKIF_CK_SEG_LAST_GT_7:
		s[0] = blkif_seg(g, 0, 8);
		blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, s, 1);
		break;
	case BLKIF_CK_SECTOR_PAST_END:
		rw1(&r, BLKIF_OP_READ, g, v->sectors, 1);
		break;
	case BLKIF_CK_SECTOR_STRADDLE:
		rw1(&r, BLKIF_OP_READ, g, v->sectors - 1, 2);
		break;
	case BLKIF_CK_SECTOR_WRAP:
		rw1(&r, BLKIF_OP_READ, g, UINT64_MAX, 2);
		break;
	case BLKIF_CK_GREF_RO_READ:
		rw1(&r, BLKIF_OP_READ, v->ro_ref, TEST_SECTOR, 1);
		break;
	case BLKIF_CK_GREF_FOREIGN:
		rw1(&r, BLKIF_OP_READ, FOREIGN_GREF, TEST_SECTOR, 1);
		break;
	default:
		die("no request for check %s", c->name);
	}
	if (id == BLKIF_CK_GREF_RO_READ)
		memset(v->ro_page, 0x5a, BLKIF_PAGE_SIZE);
	single(c, o, &r);
	if (id == BLKIF_CK_GREF_RO_READ) {
		for (unsigned i = 0; i < BLKIF_PAGE_SIZE; i++)
			if (v->ro_page[i] != 0x5a) {
				o->r = BLKIF_FAIL;
				addf(o->detail, sizeof(o->detail),
				     "the read-only frame was written");
				break;
			}
	}
}

static void ck_ro_write(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &G.ro;
	struct blkif_request r;
	unsigned st;

	if (!(v->info & VDISK_READONLY)) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "vbd %u info %u lacks VDISK_READONLY", v->vdev,
		     v->info);
		return;
	}
	rw1(&r, BLKIF_OP_READ, v->data_ref[0], 0, 8);
	st = one(v, &r, o->detail, sizeof(o->detail), false);
	fill(v->data + BLKIF_PAGE_SIZE, BLKIF_PAGE_SIZE, 3);
	rw1(&r, BLKIF_OP_WRITE, v->data_ref[1], 0, 8);
	o->got = one(v, &r, o->detail, sizeof(o->detail), true);
	judge(c, o);
	rw1(&r, BLKIF_OP_READ, v->data_ref[2], 0, 8);
	if (st != BLKIF_ST_OKAY || one(v, &r, o->detail, sizeof(o->detail), false) != BLKIF_ST_OKAY)
		addf(o->detail, sizeof(o->detail), "could not read the sector back");
	else if (memcmp(v->data, v->data + 2 * BLKIF_PAGE_SIZE, BLKIF_PAGE_SIZE)) {
		o->r = BLKIF_FAIL;
		addf(o->detail, sizeof(o->detail), "the read-only vbd's data changed");
	} else
		addf(o->detail, sizeof(o->detail), "data unchanged");
}

static void ck_op_echo(const struct blkif_check *c, struct outcome *o)
{
	o->got = G.echo_n ? BLKIF_ST_OKAY : 0;
	if (G.echo_bad)
		o->got |= BLKIF_ST_OTHER;
	judge(c, o);
	addf(o->detail, sizeof(o->detail), "%u of %u responses echoed the operation%s%s",
	     G.echo_n - G.echo_bad, G.echo_n, G.echo_bad ? ": " : "", G.echo_detail);
}

/* An indirect request of nseg segments over pages 16.. (cycled), one indirect page. */
static void indirect(struct blkif_request *r, uint8_t op, unsigned nseg, unsigned first_page)
{
	struct vbd *v = &G.rw;
	struct blkif_request_segment *d = (struct blkif_request_segment *)v->ind;

	for (unsigned i = 0; i < nseg && i < BLKIF_SEGS_PER_INDIRECT_PAGE; i++)
		d[i] = blkif_seg(v->data_ref[first_page + i % 16], 0, 7);
	blkif_encode_indirect(r, op, 0, 0, TEST_SECTOR, nseg, &v->ind_ref, 1);
}

static bool skip_indirect(struct outcome *o, bool want_present)
{
	if ((G.rw.max_indirect > 0) == want_present)
		return false;
	o->r = BLKIF_SKIP;
	addf(o->detail, sizeof(o->detail), "backend %s feature-max-indirect-segments%s",
	     want_present ? "lacks" : "advertises", want_present ? "" : " (so it is valid)");
	return true;
}

static void ck_indirect_absent(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;

	if (skip_indirect(o, false))
		return;
	indirect(&r, BLKIF_OP_READ, 2, 16);
	single(c, o, &r);
}

static void ck_indirect_rt(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &G.rw;
	struct blkif_request r;
	struct blkif_response rsp;

	if (skip_indirect(o, true))
		return;
	fill(v->data, 16 * BLKIF_PAGE_SIZE, 4);
	memset(v->data + 16 * BLKIF_PAGE_SIZE, 0, 16 * BLKIF_PAGE_SIZE);
	indirect(&r, BLKIF_OP_WRITE, 16, 0);
	o->got = one(v, &r, o->detail, sizeof(o->detail), false);
	indirect(&r, BLKIF_OP_READ, 16, 16);
	r.id = new_id();
	*slot(v) = r;
	kick(v);
	if (!collect(v, &rsp, 1, G.o.timeout * 1000L)) {
		o->got |= BLKIF_ST_NONE;
	} else {
		o->got |= blkif_status_bit(rsp.status);
	}
	judge(c, o);
	if (o->got == BLKIF_ST_OKAY &&
	    memcmp(v->data, v->data + 16 * BLKIF_PAGE_SIZE, 16 * BLKIF_PAGE_SIZE)) {
		o->r = BLKIF_FAIL;
		addf(o->detail, sizeof(o->detail), "read back differs");
	} else if (o->got == BLKIF_ST_OKAY) {
		addf(o->detail, sizeof(o->detail), "64 KiB written and read back equal");
	}
}

static void ck_indirect_over(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;
	unsigned n = G.rw.max_indirect + 1;

	if (skip_indirect(o, true))
		return;
	if (blkif_indirect_pages(n) > 1) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "max %d needs more than one indirect page",
		     G.rw.max_indirect);
		return;
	}
	indirect(&r, BLKIF_OP_READ, n, 16);
	single(c, o, &r);
	addf(o->detail, sizeof(o->detail), "nr_segments %u", n);
}

static void ck_indirect_echo(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &G.rw;
	struct blkif_request r;
	struct blkif_response rsp;

	if (skip_indirect(o, true))
		return;
	indirect(&r, BLKIF_OP_READ, 2, 16);
	r.id = new_id();
	*slot(v) = r;
	kick(v);
	if (!collect(v, &rsp, 1, G.o.timeout * 1000L)) {
		o->got = BLKIF_ST_NONE;
	} else {
		o->got = rsp.operation == BLKIF_OP_INDIRECT ? BLKIF_ST_OKAY : BLKIF_ST_OTHER;
		addf(o->detail, sizeof(o->detail),
		     "indirect read (indirect_op %u) answered with operation %u, status %d",
		     BLKIF_OP_READ, rsp.operation, rsp.status);
	}
	judge(c, o);
}

static void ck_discard(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;
	bool absent = c == &blkif_checks[BLKIF_CK_DISCARD_ABSENT];

	if ((G.rw.discard == 1) == absent) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "feature-discard is %d", G.rw.discard);
		return;
	}
	blkif_encode_discard(&r, 0, 0, TEST_SECTOR, 8, 0);
	single(c, o, &r);
	addf(o->detail, sizeof(o->detail), "feature-discard %d", G.rw.discard);
}

static void state_keys(struct vbd *v, char *d, size_t n)
{
	addf(d, n, "backend state %d, frontend state %d", be_state(v),
	     xs_int_or(v->fe, "state", -1));
}

/* req_prod set past the ring (ring.h:259-261) over RING_SIZE valid reads: a
 * backend that processes them did not check. Then: who still answers. */
static void ck_overrun(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &G.rw;
	struct blkif_response rsp[BLKIF_RING_SIZE_1PAGE];
	unsigned size = RING_SIZE(&v->fr), got;
	RING_IDX prod = blkif_ring_overrun_prod(v->fr.sring->rsp_prod, size);

	for (unsigned i = 0; i < size; i++) {
		blkif_request_t *r = RING_GET_REQUEST(&v->fr, v->fr.req_prod_pvt + i);

		rw1(r, BLKIF_OP_READ, v->data_ref[PG_LIVE], TEST_SECTOR, 1);
		r->id = new_id();
	}
	xen_wmb();
	v->fr.sring->req_prod = prod;
	xen_mb();
	xenevtchn_notify(G.xce, v->port);
	got = collect(v, rsp, size, 3000);
	o->got = got ? 0 : BLKIF_ST_NONE;
	for (unsigned i = 0; i < got; i++)
		o->got |= blkif_status_bit(rsp[i].status);
	judge(c, o);
	addf(o->detail, sizeof(o->detail), "req_prod %u over rsp_prod %u: %u responses in 3 s",
	     prod, v->fr.sring->rsp_prod, got);
	v->connected = false;
	snprintf(v->why, sizeof(v->why), "ring halted by blkif.ring.prod_overrun");
	usleep(500000);
	state_keys(v, o->detail, sizeof(o->detail));
	if (G.ro.connected) {
		struct blkif_request r;

		rw1(&r, BLKIF_OP_READ, G.ro.data_ref[PG_LIVE], 0, 1);
		addf(o->detail, sizeof(o->detail), "other vbd %s",
		     one(&G.ro, &r, o->detail, sizeof(o->detail), false) == BLKIF_ST_OKAY
			 ? "still serves"
			 : "stopped serving");
	}
}

static void ck_close(const struct blkif_check *c, struct outcome *o)
{
	(void)c;
	if (!G.rw.ring_page) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "vbd %u has no ring: %s", G.rw.vdev, G.rw.why);
		return;
	}
	if (vbd_close(&G.rw)) {
		o->r = BLKIF_FAIL;
		o->got = BLKIF_ST_NONE;
	} else {
		o->r = BLKIF_PASS;
		o->got = BLKIF_ST_OKAY;
	}
	state_keys(&G.rw, o->detail, sizeof(o->detail));
}

static check_fn *const runners[BLKIF_CK_COUNT] = {
    [BLKIF_CK_CONNECT] = ck_connect,
    [BLKIF_CK_GEOMETRY] = ck_geometry,
    [BLKIF_CK_READ] = ck_read,
    [BLKIF_CK_WRITE] = ck_write,
    [BLKIF_CK_WRITE_MAXSEG] = ck_write_maxseg,
    [BLKIF_CK_FLUSH] = ck_flush,
    [BLKIF_CK_RING_FULL] = ck_ring_full,
    [BLKIF_CK_ID_DUP] = ck_id_dup,
    [BLKIF_CK_OP_UNKNOWN] = ck_bad,
    [BLKIF_CK_NSEG_ZERO] = ck_bad,
    [BLKIF_CK_NSEG_12] = ck_bad,
    [BLKIF_CK_NSEG_255] = ck_bad,
    [BLKIF_CK_SEG_FIRST_GT_LAST] = ck_bad,
    [BLKIF_CK_SEG_LAST_GT_7] = ck_bad,
    [BLKIF_CK_SECTOR_PAST_END] = ck_bad,
    [BLKIF_CK_SECTOR_STRADDLE] = ck_bad,
    [BLKIF_CK_SECTOR_WRAP] = ck_bad,
    [BLKIF_CK_RO_VBD_WRITE] = ck_ro_write,
    [BLKIF_CK_GREF_RO_READ] = ck_bad,
    [BLKIF_CK_OP_ECHO] = ck_op_echo,
    [BLKIF_CK_INDIRECT_ABSENT] = ck_indirect_absent,
    [BLKIF_CK_INDIRECT_RT] = ck_indirect_rt,
    [BLKIF_CK_INDIRECT_OVER_MAX] = ck_indirect_over,
    [BLKIF_CK_INDIRECT_OP_ECHO] = ck_indirect_echo,
    [BLKIF_CK_DISCARD_ABSENT] = ck_discard,
    [BLKIF_CK_DISCARD] = ck_discard,
    [BLKIF_CK_GREF_FOREIGN] = ck_bad,
    [BLKIF_CK_RING_OVERRUN] = ck_overrun,
    [BLKIF_CK_CLOSE] = ck_close,
};

/* Runs check i if selected: skips it when its vbd is missing or dead; after a bad
 * request shows that the backend still serves, reconnecting when the ring died. */
static void run_check(int i, struct outcome *o)
{
	const struct blkif_check *c = &blkif_checks[i];
	bool bad = !(c->accept & BLKIF_ST_OKAY) && i != BLKIF_CK_CLOSE;

	memset(o, 0, sizeof(*o));
	if (fnmatch(G.o.glob, c->name, 0)) {
		o->r = BLKIF_SKIP;
		snprintf(o->detail, sizeof(o->detail), "not selected by --checks");
		return;
	}
	if ((c->flags & BLKIF_CK_NEEDS_RO) && !G.ro.connected) {
		o->r = BLKIF_SKIP;
		snprintf(o->detail, sizeof(o->detail), "%s",
			 G.o.ro_vdev < 0 ? "no --ro-vdev given" : G.ro.why);
		return;
	}
	if (i != BLKIF_CK_CONNECT && i != BLKIF_CK_CLOSE && !G.rw.connected) {
		o->r = BLKIF_SKIP;
		snprintf(o->detail, sizeof(o->detail), "vbd %u not connected: %s", G.rw.vdev,
			 G.rw.why);
		return;
	}
	runners[i](c, o);
	if (!bad || o->r == BLKIF_SKIP)
		return;
	if (!alive(&G.rw, o->detail, sizeof(o->detail))) {
		int rc;

		if (!(c->flags & BLKIF_CK_MAY_KILL_RING))
			o->r = BLKIF_FAIL;
		vbd_close(&G.rw);
		rc = vbd_connect(&G.rw);
		addf(o->detail, sizeof(o->detail), "reconnect %s%s", rc ? "failed: " : "done",
		     rc ? G.rw.why : "");
		if (!rc && alive(&G.rw, o->detail, sizeof(o->detail)))
			addf(o->detail, sizeof(o->detail), "serves again after reconnect");
	} else {
		addf(o->detail, sizeof(o->detail), "backend still serves");
	}
}

/* ---- the fuzzer: valid requests with 1-2 defects each ---- */

struct fuzz {
	uint64_t seed, rng;
	long n, sent;
	unsigned st[5];	   /* per status bit: eopnotsupp, error, okay, none, other */
	unsigned accepted; /* OKAY answers to malformed requests */
	char accepted_ex[3][200];
	bool hang;
	char hang_detail[400];
};

static unsigned rnd(struct fuzz *f, unsigned n)
{
	return (unsigned)(blkif_splitmix64(&f->rng) % n);
}

/* Each mutator makes a valid direct read/write invalid (blkif.h or blkback.c). */
static void mut_op(struct fuzz *f, struct blkif_request *r)
{
	r->operation = 7 + rnd(f, 249);
}
static void mut_nseg_zero(struct fuzz *f, struct blkif_request *r)
{
	(void)f;
	r->nr_segments = 0;
}
static void mut_nseg_over(struct fuzz *f, struct blkif_request *r)
{
	r->nr_segments = 12 + rnd(f, 244);
}
/* A segment slot of r that the backend reads (nr_segments may be 0 or past 11). */
static struct blkif_request_segment *any_seg(struct fuzz *f, struct blkif_request *r)
{
	unsigned n = r->nr_segments;

	n = n < 1 ? 1 : n > BLKIF_MAX_SEGMENTS_PER_REQUEST ? BLKIF_MAX_SEGMENTS_PER_REQUEST : n;
	return &r->seg[rnd(f, n)];
}

static void mut_first_gt_last(struct fuzz *f, struct blkif_request *r)
{
	struct blkif_request_segment *s = any_seg(f, r);

	s->first_sect = 1 + rnd(f, 7);
	s->last_sect = rnd(f, s->first_sect);
}
static void mut_last_gt_7(struct fuzz *f, struct blkif_request *r)
{
	any_seg(f, r)->last_sect = 8 + rnd(f, 248);
}
static void mut_sector(struct fuzz *f, struct blkif_request *r)
{
	r->sector_number = rnd(f, 2) ? G.rw.sectors + rnd(f, 1u << 20) : UINT64_MAX - rnd(f, 64);
}
static void mut_gref(struct fuzz *f, struct blkif_request *r)
{
	any_seg(f, r)->gref = 0x100000 + rnd(f, 0xefffff);
}
static void mut_indirect(struct fuzz *f, struct blkif_request *r)
{
	unsigned max = G.rw.max_indirect > 0 ? (unsigned)G.rw.max_indirect : 0;
	struct blkif_request_segment *d = (struct blkif_request_segment *)G.rw.ind;

	for (unsigned i = 0; i < BLKIF_SEGS_PER_INDIRECT_PAGE; i++)
		d[i] = blkif_seg(G.rw.data_ref[i % 16], 0, 7);
	if (rnd(f, 2))
		blkif_encode_indirect(r, 2 + rnd(f, 254), 0, 0, TEST_SECTOR, 1 + rnd(f, 16),
				      &G.rw.ind_ref, 1); /* indirect_op neither read nor write */
	else
		blkif_encode_indirect(r, BLKIF_OP_READ, 0, 0, TEST_SECTOR,
				      max + 1 + rnd(f, BLKIF_SEGS_PER_INDIRECT_PAGE - max),
				      &G.rw.ind_ref, 1);
}

static const struct {
	const char *name;
	void (*apply)(struct fuzz *f, struct blkif_request *r);
} mutators[] = {
    {"op", mut_op},
    {"nseg_zero", mut_nseg_zero},
    {"nseg_over", mut_nseg_over},
    {"first_gt_last", mut_first_gt_last},
    {"last_gt_7", mut_last_gt_7},
    {"sector", mut_sector},
    {"gref", mut_gref},
    {"indirect", mut_indirect},
};
#define N_MUT (sizeof(mutators) / sizeof(mutators[0]))

/* Request i of the stream: a valid read or write, then 1-2 mutators (names in why). */
static void fuzz_request(struct fuzz *f, struct blkif_request *r, char *why, size_t n)
{
	struct blkif_request_segment s[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	unsigned nseg = 1 + rnd(f, BLKIF_MAX_SEGMENTS_PER_REQUEST), k = 1 + rnd(f, 2);

	for (unsigned i = 0; i < nseg; i++) {
		uint8_t first = rnd(f, 8);

		s[i] = blkif_seg(G.rw.data_ref[rnd(f, 16)], first, first + rnd(f, 8 - first));
	}
	blkif_encode_rw(r, rnd(f, 2) ? BLKIF_OP_WRITE : BLKIF_OP_READ, 0, 0,
			TEST_SECTOR + rnd(f, 4096), s, nseg);
	why[0] = '\0';
	for (unsigned j = 0; j < k; j++) {
		unsigned m = rnd(f, N_MUT);

		if (mutators[m].apply == mut_indirect && j)
			continue; /* replaces the request: only as the first defect */
		mutators[m].apply(f, r);
		addf(why, n, "%s", mutators[m].name);
		if (mutators[m].apply == mut_indirect)
			break;
	}
}

static void hex(const void *p, size_t len, char *out, size_t n)
{
	const uint8_t *b = p;

	out[0] = '\0';
	for (size_t i = 0; i < len && 2 * i + 3 <= n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void fuzz_run(struct fuzz *f)
{
	struct blkif_request r;
	char why[64], detail[200], h[2 * sizeof(r) + 1];

	f->rng = f->seed;
	fprintf(stderr, "pvbench-blkif: fuzz: seed %" PRIu64 ", %ld requests\n", f->seed, f->n);
	for (f->sent = 0; f->sent < f->n && G.rw.connected; f->sent++) {
		unsigned st, b;

		fuzz_request(f, &r, why, sizeof(why));
		detail[0] = '\0';
		st = one(&G.rw, &r, detail, sizeof(detail), false);
		for (b = 0; b < 5; b++)
			if (st & (1u << b))
				f->st[b]++;
		hex(&r, sizeof(r), h, sizeof(h));
		if (st == BLKIF_ST_OKAY && f->accepted++ < 3)
			snprintf(f->accepted_ex[f->accepted - 1], sizeof(f->accepted_ex[0]),
				 "request %ld (%s) answered OKAY", f->sent, why);
		if (st == BLKIF_ST_NONE || !alive(&G.rw, detail, sizeof(detail))) {
			f->hang = true;
			snprintf(f->hang_detail, sizeof(f->hang_detail),
				 "seed %" PRIu64 " request %ld (%s): %s; request bytes %s", f->seed,
				 f->sent, why, detail, h);
			f->sent++;
			return;
		}
	}
}

/* ---- output ---- */

static const char *st_str(unsigned m, char *buf)
{
	return blkif_st_str(m, buf, 64);
}

static void expected_str(const struct blkif_check *c, char *buf)
{
	char a[64], p[64];

	if (c->accept == c->prefer)
		snprintf(buf, 140, "%s", st_str(c->accept, a));
	else
		snprintf(buf, 140, "%s (%s accepted)", st_str(c->prefer, p), st_str(c->accept, a));
}

static void print_tap(const struct outcome *out, const struct fuzz *f, const unsigned *sum)
{
	char line[400], exp[140], act[64];
	unsigned n = BLKIF_CK_COUNT + (f->n > 0);

	printf("TAP version 13\n1..%u\n", n);
	for (int i = 0; i < BLKIF_CK_COUNT; i++) {
		const struct blkif_check *c = &blkif_checks[i];
		const struct outcome *o = &out[i];

		blkif_tap_line(line, sizeof(line), i + 1, c, o->r, o->detail);
		puts(line);
		if (o->r == BLKIF_SKIP)
			continue;
		if (o->r == BLKIF_PASS) {
			if (o->detail[0]) {
				printf("  ---\n  detail: ");
				blkif_json_str(stdout, o->detail);
				printf("\n  ...\n");
			}
			continue;
		}
		expected_str(c, exp);
		printf("  ---\n  level: %s\n  rule: \"%s\"\n  expected: %s\n  actual: %s\n"
		       "  severity: %s\n  detail: ",
		       c->level == BLKIF_MUST ? "MUST" : "SHOULD", c->rule, exp,
		       st_str(o->got, act), blkif_result_str(o->r));
		blkif_json_str(stdout, o->detail);
		printf("\n  ...\n");
	}
	if (f->n > 0) {
		printf("%s %u - blkif.fuzz # seed %" PRIu64 ", %ld requests\n",
		       f->hang ? "not ok" : "ok", n, f->seed, f->sent);
		printf("# fuzz: okay %u error %u eopnotsupp %u none %u other %u; %u malformed "
		       "requests answered OKAY\n",
		       f->st[2], f->st[1], f->st[0], f->st[3], f->st[4], f->accepted);
		for (unsigned i = 0; i < f->accepted && i < 3; i++)
			printf("# fuzz: %s\n", f->accepted_ex[i]);
		if (f->hang)
			printf("# fuzz: HANG %s\n", f->hang_detail);
	}
	printf("# summary: pass %u, warn %u, fail %u, error %u, skip %u\n", sum[BLKIF_PASS],
	       sum[BLKIF_WARN], sum[BLKIF_FAIL], sum[BLKIF_ERROR], sum[BLKIF_SKIP]);
}

static void json_kv(const char *k, const char *v, bool comma)
{
	blkif_json_str(stdout, k);
	putchar(':');
	blkif_json_str(stdout, v);
	if (comma)
		putchar(',');
}

static void print_json(const struct outcome *out, const struct fuzz *f, const unsigned *sum,
		       int status)
{
	const struct vbd *v = &G.rw;
	char exp[140], act[64];

	printf("{\"schema\":\"pvbench-blkif/1\",\"vdev\":%u,\"ro_vdev\":%ld,", v->vdev,
	       G.o.ro_vdev);
	printf("\"backend\":{");
	json_kv("path", v->be, true);
	printf("\"sectors\":%" PRIu64 ",\"sector_size\":%u,\"physical_sector_size\":%u,"
	       "\"info\":%u,\"feature_flush_cache\":%d,\"feature_discard\":%d,"
	       "\"feature_max_indirect_segments\":%d,\"ring_size\":%u},",
	       v->sectors, v->sector_size, v->phys_sector_size, v->info, v->flush, v->discard,
	       v->max_indirect, (unsigned)BLKIF_RING_SIZE_1PAGE);
	printf("\"checks\":[");
	for (int i = 0; i < BLKIF_CK_COUNT; i++) {
		const struct blkif_check *c = &blkif_checks[i];

		expected_str(c, exp);
		printf("%s\n{", i ? "," : "");
		json_kv("name", c->name, true);
		json_kv("level", c->level == BLKIF_MUST ? "MUST" : "SHOULD", true);
		json_kv("source", c->source, true);
		json_kv("rule", c->rule, true);
		json_kv("expected", exp, true);
		json_kv("actual", out[i].r == BLKIF_SKIP ? "-" : st_str(out[i].got, act), true);
		json_kv("result", blkif_result_str(out[i].r), true);
		json_kv("detail", out[i].detail, false);
		putchar('}');
	}
	printf("],\n\"summary\":{\"pass\":%u,\"warn\":%u,\"fail\":%u,\"error\":%u,\"skip\":%u,"
	       "\"exit_status\":%d},\n\"fuzz\":",
	       sum[BLKIF_PASS], sum[BLKIF_WARN], sum[BLKIF_FAIL], sum[BLKIF_ERROR], sum[BLKIF_SKIP],
	       status);
	if (!f->n) {
		printf("null}\n");
		return;
	}
	printf("{\"seed\":%" PRIu64 ",\"requests\":%ld,\"sent\":%ld,\"okay\":%u,\"error\":%u,"
	       "\"eopnotsupp\":%u,\"none\":%u,\"other\":%u,\"accepted\":%u,\"examples\":[",
	       f->seed, f->n, f->sent, f->st[2], f->st[1], f->st[0], f->st[3], f->st[4],
	       f->accepted);
	for (unsigned i = 0; i < f->accepted && i < 3; i++) {
		printf("%s", i ? "," : "");
		blkif_json_str(stdout, f->accepted_ex[i]);
	}
	printf("],\"hang\":");
	if (f->hang)
		blkif_json_str(stdout, f->hang_detail);
	else
		printf("null");
	printf("}}\n");
}

/* ---- main ---- */

static long num(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v < min || v > max) {
		fprintf(stderr, "pvbench-blkif: %s: expected an integer from %ld to %ld\n", opt,
			min, max);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv, struct opts *o, struct fuzz *f)
{
	*o = (struct opts){.vdev = -1, .ro_vdev = -1, .timeout = 10, .glob = "*"};
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "--json")) {
			o->json = true;
			continue;
		}
		i++;
		if (!strcmp(k, "--vdev"))
			o->vdev = num(k, v, 0, 0x7fffffff);
		else if (!strcmp(k, "--ro-vdev"))
			o->ro_vdev = num(k, v, 0, 0x7fffffff);
		else if (!strcmp(k, "--checks") && v)
			o->glob = v;
		else if (!strcmp(k, "--fuzz"))
			f->n = num(k, v, 0, 100000000);
		else if (!strcmp(k, "--seed"))
			f->seed = (uint64_t)num(k, v, 0, 0x7fffffffffffffffL);
		else if (!strcmp(k, "--timeout"))
			o->timeout = num(k, v, 1, 3600);
		else
			usage();
	}
	if (o->vdev < 0 || o->vdev == o->ro_vdev)
		usage();
}

int main(int argc, char **argv)
{
	static struct outcome out[BLKIF_CK_COUNT];
	static struct fuzz f;
	unsigned sum[5] = {0};
	int status = 0;

	parse_opts(argc, argv, &G.o, &f);
	G.next_id = 0x1000;
	G.xs = xs_open(0);
	G.xce = xenevtchn_open(NULL, 0);
	G.xgs = xengntshr_open(NULL, 0);
	if (!G.xs || !G.xce || !G.xgs)
		die("cannot open %s: %s",
		    !G.xs    ? "xenstore"
		    : !G.xce ? "/dev/xen/evtchn"
			     : "/dev/xen/gntalloc",
		    strerror(errno));
	if (vbd_open(&G.rw, G.o.vdev) || vbd_connect(&G.rw))
		fprintf(stderr, "pvbench-blkif: vbd %ld: %s\n", G.o.vdev, G.rw.why);
	if (G.o.ro_vdev >= 0 && (vbd_open(&G.ro, G.o.ro_vdev) || vbd_connect(&G.ro)))
		fprintf(stderr, "pvbench-blkif: vbd %ld: %s\n", G.o.ro_vdev, G.ro.why);
	for (int i = 0; i < BLKIF_CK_COUNT; i++) {
		if (i == BLKIF_CK_CLOSE && f.n > 0)
			fuzz_run(&f);
		run_check(i, &out[i]);
		sum[out[i].r]++;
		if (out[i].r == BLKIF_FAIL || out[i].r == BLKIF_ERROR)
			status = 1;
	}
	if (f.hang)
		status = 1;
	vbd_close(&G.rw);
	vbd_close(&G.ro);
	vbd_free(&G.rw);
	vbd_free(&G.ro);
	xengntshr_close(G.xgs);
	xenevtchn_close(G.xce);
	xs_close(G.xs);
	if (G.o.json)
		print_json(out, &f, sum, status);
	else
		print_tap(out, &f, sum);
	return status;
}
