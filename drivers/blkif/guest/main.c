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
 * hit an error and the fuzzer saw no hang; 1 otherwise; 2 for usage errors.
 *
 * This file: options, xenstore, the xenbus connection and requests; the checks are
 * in checks.c, the fuzzer in fuzz.c, the TAP/JSON writers in output.c. */
#include "blkif_guest.h"

struct blkif_guest G;

static void usage(void)
{
	fputs("usage: pvbench-blkif --vdev N [--ro-vdev M] [--checks GLOB] [--json]\n"
	      "                     [--fuzz N --seed S] [--timeout SEC]\n",
	      stderr);
	exit(2);
}

/* Appends to the NUL-terminated buf of n bytes, "; " between parts. */
void addf(char *buf, size_t n, const char *fmt, ...)
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
	s = xs_read(G.xs, XBT_NULL, path, &len);
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
	return xs_write(G.xs, XBT_NULL, path, val, strlen(val)) ? 0 : -errno;
}

int be_state(const struct vbd *v)
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
int vbd_close(struct vbd *v)
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

struct blkif_request *slot(struct vbd *v)
{
	struct blkif_request *r = blkif_ring_next(&v->fr);

	if (!r)
		die("ring of vbd %u full", v->vdev);
	return r;
}

void kick(struct vbd *v)
{
	if (blkif_ring_push(&v->fr))
		xenevtchn_notify(G.xce, v->port);
}

/* Collects up to n responses into rsp within ms; returns how many arrived. */
unsigned collect(struct vbd *v, struct blkif_response *rsp, unsigned n, long ms)
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

uint64_t new_id(void)
{
	return G.next_id++;
}

/* Sends the request *tmpl (its id replaced by a fresh one) and waits for its
 * response. Returns the status bit (BLKIF_ST_NONE on timeout); faults are added to
 * detail, and the operation echo is counted for blkif.response.operation when
 * count_echo. */
bool send_wait(struct vbd *v, struct blkif_request *r, struct blkif_response *rsp)
{
	r->id = new_id();
	*slot(v) = *r;
	kick(v);
	return collect(v, rsp, 1, G.o.timeout * 1000L) == 1;
}

unsigned one(struct vbd *v, const struct blkif_request *tmpl, char *detail, size_t n,
	     bool count_echo)
{
	struct blkif_request r = *tmpl;
	struct blkif_response rsp;
	uint64_t id;
	unsigned f;

	if (!send_wait(v, &r, &rsp)) {
		addf(detail, n,
		     "no response within %ld s (req_prod %u rsp_prod %u, backend state %d)",
		     G.o.timeout, v->fr.sring->req_prod, v->fr.sring->rsp_prod, be_state(v));
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
void rw1(struct blkif_request *r, uint8_t op, grant_ref_t gref, uint64_t sector, unsigned nsec)
{
	struct blkif_request_segment s = blkif_seg(gref, 0, nsec - 1);

	blkif_encode_rw(r, op, 0, 0, sector, &s, 1);
}

/* A valid read on v and, when attached, on the other vbd, plus a xenstore read:
 * true when everything answered. Says what failed in detail. */
bool alive(struct vbd *v, char *detail, size_t n)
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

void fill(uint8_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t x = blkif_splitmix64(&seed);

		memcpy(p + i, &x, 8);
	}
}

/* ---- main ---- */

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
			o->vdev = guest_opt_long(PROG, k, v, 0, 0x7fffffff);
		else if (!strcmp(k, "--ro-vdev"))
			o->ro_vdev = guest_opt_long(PROG, k, v, 0, 0x7fffffff);
		else if (!strcmp(k, "--checks") && v)
			o->glob = v;
		else if (!strcmp(k, "--fuzz"))
			f->n = guest_opt_long(PROG, k, v, 0, 100000000);
		else if (!strcmp(k, "--seed"))
			f->seed = (uint64_t)guest_opt_long(PROG, k, v, 0, 0x7fffffffffffffffL);
		else if (!strcmp(k, "--timeout"))
			o->timeout = guest_opt_long(PROG, k, v, 1, 3600);
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
		guest_note(PROG, "vbd %ld: %s", G.o.vdev, G.rw.why);
	if (G.o.ro_vdev >= 0 && (vbd_open(&G.ro, G.o.ro_vdev) || vbd_connect(&G.ro)))
		guest_note(PROG, "vbd %ld: %s", G.o.ro_vdev, G.ro.why);
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
