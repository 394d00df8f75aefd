/* frontend.c: the frontend side of pvbench-blkif: xenstore reads and writes, the
 * xenbus connection of a vbd (blkif.h:464-535: shared ring page, grant references
 * through gntalloc, an event channel, the state machine) and its closing, and the
 * requests on the ring (push, notify, collect responses, judge one response). */
#include "blkif_guest.h"

static long now_ms(void)
{
	return guest_now_ns() / 1000000;
}

/* ---- xenstore ---- */

/* The integer at dir/key; -ENOENT when absent, -EINVAL when not a number. */
static int xs_ull(const char *dir, const char *key, unsigned long long *v)
{
	char path[256], *s, *end;
	unsigned len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	s = xs_read(blkif_front.xs, XBT_NULL, path, &len);
	if (!s)
		return -ENOENT;
	errno = 0;
	*v = strtoull(s, &end, 10);
	rc = end == s || *end || errno ? -EINVAL : 0;
	free(s);
	return rc;
}

int xs_int_or(const char *dir, const char *key, int dflt)
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
	return xs_write(blkif_front.xs, XBT_NULL, path, val, strlen(val)) ? 0 : -errno;
}

int be_state(const struct vbd *v)
{
	return xs_int_or(v->be, "state", -1);
}

/* Waits until the backend's state is one of mask (bits 1 << XenbusState*).
 * Returns the state, or -ETIMEDOUT. */
static int wait_be_state(const struct vbd *v, unsigned mask, long ms)
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

int vbd_open(struct vbd *v, unsigned vdev)
{
	unsigned long long id;
	char *be;
	unsigned len;

	v->vdev = vdev;
	snprintf(v->fe, sizeof(v->fe), "device/vbd/%u", vdev);
	be = xs_read(blkif_front.xs, XBT_NULL,
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
	v->data = xengntshr_share_pages(blkif_front.xgs, id, NDATA, v->data_ref, 1);
	v->ro_page = xengntshr_share_pages(blkif_front.xgs, id, 1, &v->ro_ref, 0);
	v->ind = xengntshr_share_pages(blkif_front.xgs, id, 1, &v->ind_ref, 1);
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
int vbd_connect(struct vbd *v)
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
	st = wait_be_state(v, 1u << XenbusStateInitWait, STATE_WAIT_MS);
	if (st < 0)
		return snprintf(v->why, sizeof(v->why), "backend %s not in InitWait (state %d)",
				v->be, be_state(v)),
		       st;
	read_features(v);
	v->ring_page = xengntshr_share_pages(blkif_front.xgs, v->be_id, 1, &v->ring_ref, 1);
	if (!v->ring_page)
		return snprintf(v->why, sizeof(v->why), "cannot share the ring page: %s",
				strerror(errno)),
		       -errno;
	XEN_FRONT_RING_INIT(&v->front_ring, (blkif_sring_t *)v->ring_page, BLKIF_PAGE_SIZE);
	st = xenevtchn_bind_unbound_port(blkif_front.xce, v->be_id);
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
	st = wait_be_state(
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
int vbd_close(struct vbd *v)
{
	int rc = 0;

	if (!v->ring_page)
		return 0;
	xs_put(v->fe, "state", "%d", XenbusStateClosing);
	if (wait_be_state(v, 1u << XenbusStateClosing | 1u << XenbusStateClosed, STATE_WAIT_MS) < 0)
		rc = -ETIMEDOUT;
	xs_put(v->fe, "state", "%d", XenbusStateClosed);
	if (wait_be_state(v, 1u << XenbusStateClosed, STATE_WAIT_MS) < 0)
		rc = -ETIMEDOUT;
	xenevtchn_unbind(blkif_front.xce, v->port);
	xengntshr_unshare(blkif_front.xgs, v->ring_page, 1);
	v->ring_page = NULL;
	v->connected = false;
	return rc;
}

void vbd_free(struct vbd *v)
{
	if (v->data)
		xengntshr_unshare(blkif_front.xgs, v->data, NDATA);
	if (v->ro_page)
		xengntshr_unshare(blkif_front.xgs, v->ro_page, 1);
	if (v->ind)
		xengntshr_unshare(blkif_front.xgs, v->ind, 1);
	v->data = v->ro_page = v->ind = NULL;
}

/* ---- requests ---- */

struct blkif_request *ring_next_request(struct vbd *v)
{
	struct blkif_request *r = blkif_ring_next(&v->front_ring);

	if (!r)
		die("ring of vbd %u full", v->vdev);
	return r;
}

void ring_push_notify(struct vbd *v)
{
	if (blkif_ring_push(&v->front_ring))
		xenevtchn_notify(blkif_front.xce, v->port);
}

/* Collects up to n responses into rsp within ms; returns how many arrived. */
unsigned ring_collect(struct vbd *v, struct blkif_response *rsp, unsigned n, long ms)
{
	long end = now_ms() + ms;
	unsigned got = 0;
	struct pollfd p = {.fd = xenevtchn_fd(blkif_front.xce), .events = POLLIN};

	while (got < n) {
		int rc = blkif_ring_take(&v->front_ring, &rsp[got]);
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
			xenevtchn_port_or_error_t port = xenevtchn_pending(blkif_front.xce);

			if (port >= 0)
				xenevtchn_unmask(blkif_front.xce, port);
		}
	}
	return got;
}

uint64_t next_request_id(void)
{
	return blkif_front.next_id++;
}

/* Sends *r with a fresh id (written to r->id) and waits --timeout for its response
 * in *rsp; false when none came. */
bool send_wait(struct vbd *v, struct blkif_request *r, struct blkif_response *rsp)
{
	r->id = next_request_id();
	*ring_next_request(v) = *r;
	ring_push_notify(v);
	return ring_collect(v, rsp, 1, blkif_front.opts.timeout * 1000L) == 1;
}

/* Sends the request *tmpl (its id replaced by a fresh one) and waits for its
 * response. Returns the status bit (BLKIF_ST_NONE on timeout); faults are added to
 * detail, and the operation echo is counted for blkif.response.operation when
 * count_echo. */
unsigned send_for_status(struct vbd *v, const struct blkif_request *tmpl, char *detail, size_t n,
			 bool count_echo)
{
	struct blkif_request r = *tmpl;
	struct blkif_response rsp;
	uint64_t id;
	unsigned f;

	if (!send_wait(v, &r, &rsp)) {
		addf(detail, n,
		     "no response within %ld s (req_prod %u rsp_prod %u, backend state %d)",
		     blkif_front.opts.timeout, v->front_ring.sring->req_prod,
		     v->front_ring.sring->rsp_prod, be_state(v));
		v->connected = false;
		snprintf(v->why, sizeof(v->why), "the backend stopped answering");
		return BLKIF_ST_NONE;
	}
	id = r.id;
	f = blkif_response_faults(&rsp, id, tmpl->operation);
	if (f & BLKIF_RSP_BAD_ID)
		addf(detail, n, "response id %#" PRIx64 ", request id %#" PRIx64, rsp.id, id);
	if (f & BLKIF_RSP_BAD_STATUS)
		addf(detail, n, "status %d is not a blkif.h status", rsp.status);
	if (count_echo) {
		blkif_front.echo_n++;
		if (f & BLKIF_RSP_BAD_OP) {
			blkif_front.echo_bad++;
			addf(blkif_front.echo_detail, sizeof(blkif_front.echo_detail),
			     "op %u answered as %u", tmpl->operation, rsp.operation);
		}
	}
	return f & BLKIF_RSP_BAD_ID ? BLKIF_ST_OTHER : blkif_status_bit(rsp.status);
}

/* A direct read or write of nsec (1-8) sectors at sector, one page. */
void encode_rw_page(struct blkif_request *r, uint8_t op, grant_ref_t gref, uint64_t sector,
		    unsigned nsec)
{
	struct blkif_request_segment s = blkif_seg(gref, 0, nsec - 1);

	blkif_encode_rw(r, op, 0, 0, sector, &s, 1);
}

/* A valid read on v and, when attached, on the other vbd, plus a xenstore read:
 * true when everything answered. Says what failed in detail. */
bool vbd_alive(struct vbd *v, char *detail, size_t n)
{
	struct vbd *other = v == &blkif_front.rw ? &blkif_front.ro : &blkif_front.rw;
	struct blkif_request r;
	unsigned st;
	bool ok = true;

	if (be_state(v) < 0) {
		addf(detail, n, "xenstore: cannot read '%s/state'", v->be);
		return false;
	}
	encode_rw_page(&r, BLKIF_OP_READ, v->data_ref[PG_LIVE], 0, 1);
	st = v->connected ? send_for_status(v, &r, detail, n, false) : BLKIF_ST_NONE;
	if (st != BLKIF_ST_OKAY) {
		addf(detail, n, "liveness read on vbd %u failed (backend state %d)", v->vdev,
		     be_state(v));
		ok = false;
	}
	if (other->connected) {
		encode_rw_page(&r, BLKIF_OP_READ, other->data_ref[PG_LIVE], 0, 1);
		if (send_for_status(other, &r, detail, n, false) != BLKIF_ST_OKAY) {
			addf(detail, n, "other vbd %u stopped serving", other->vdev);
			ok = false;
		}
	}
	return ok;
}
