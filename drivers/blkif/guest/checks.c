/* checks.c: the checks of pvbench-blkif, one runner per row of blkif_checks
 * (drivers/blkif/blkif_ring.h), each sending valid or malformed requests on the
 * connected vbds and judging the statuses; run_check() selects, runs and then
 * makes sure the backend still serves. */
#include "blkif_guest.h"

/* len bytes (a multiple of 8) of the splitmix64 stream from seed. */
static void fill_splitmix(uint8_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t x = blkif_splitmix64(&seed);

		memcpy(p + i, &x, 8);
	}
}

typedef void check_fn(const struct blkif_check *c, struct outcome *o);

static void judge(const struct blkif_check *c, struct outcome *o)
{
	o->r = blkif_judge(c, o->got);
}

static void ck_connect(const struct blkif_check *c, struct outcome *o)
{
	const struct vbd *v = &blkif_front.rw;

	(void)c;
	o->got = v->connected ? BLKIF_ST_OKAY : BLKIF_ST_NONE;
	o->r = v->connected ? BLKIF_PASS : BLKIF_FAIL;
	if (v->connected)
		addf(o->detail, sizeof(o->detail), "%s: ring-ref %u event-channel %u backend %s",
		     v->fe, v->ring_ref, v->port, v->be);
	else
		addf(o->detail, sizeof(o->detail), "%s", v->why);
}

static void ck_geometry(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &blkif_front.rw;
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
	o->got = send_for_status(&blkif_front.rw, r, o->detail, sizeof(o->detail), true);
	judge(c, o);
}

static void ck_read(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;

	encode_rw_page(&r, BLKIF_OP_READ, blkif_front.rw.data_ref[0], TEST_SECTOR, 1);
	single(c, o, &r);
}

/* Writes pages [0, n) (sectors per segment first..last from segs) then reads the
 * same sector range back into whole pages from page 16 and compares. */
static void write_readback(const struct blkif_check *c, struct outcome *o,
			   const struct blkif_request_segment *segs, unsigned nseg, uint64_t seed)
{
	struct vbd *v = &blkif_front.rw;
	struct blkif_request r;
	struct blkif_request_segment back[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	size_t off = 0, total = 0;
	unsigned nback;

	for (unsigned i = 0; i < nseg; i++)
		total += (segs[i].last_sect - segs[i].first_sect + 1) << BLKIF_SECTOR_SHIFT;
	fill_splitmix(v->data, (size_t)nseg * BLKIF_PAGE_SIZE, seed);
	memset(v->data + 16 * BLKIF_PAGE_SIZE, 0, 11 * BLKIF_PAGE_SIZE);
	blkif_encode_rw(&r, BLKIF_OP_WRITE, 0, 0, TEST_SECTOR, segs, nseg);
	o->got = send_for_status(v, &r, o->detail, sizeof(o->detail), true);
	nback = (total + BLKIF_PAGE_SIZE - 1) / BLKIF_PAGE_SIZE;
	for (unsigned i = 0; i < nback; i++) {
		size_t left = total - (size_t)i * BLKIF_PAGE_SIZE;
		unsigned ns = left >= BLKIF_PAGE_SIZE ? 8 : left >> BLKIF_SECTOR_SHIFT;

		back[i] = blkif_seg(v->data_ref[16 + i], 0, ns - 1);
	}
	blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, TEST_SECTOR, back, nback);
	if (o->got == BLKIF_ST_OKAY)
		o->got |= send_for_status(v, &r, o->detail, sizeof(o->detail), true);
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
	struct blkif_request_segment s = blkif_seg(blkif_front.rw.data_ref[0], 0, 7);

	write_readback(c, o, &s, 1, 1);
}

static void ck_write_maxseg(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request_segment s[BLKIF_MAX_SEGMENTS_PER_REQUEST];

	for (unsigned i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		s[i] = blkif_seg(blkif_front.rw.data_ref[i], i % 4, 7 - i % 3);
	write_readback(c, o, s, BLKIF_MAX_SEGMENTS_PER_REQUEST, 2);
}

static void ck_flush(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;

	blkif_encode_flush(&r, 0, 0);
	single(c, o, &r);
	addf(o->detail, sizeof(o->detail), "feature-flush-cache %d", blkif_front.rw.flush);
	if (o->r == BLKIF_FAIL &&
	    blkif_front.rw.flush != 1) /* unadvertised: the spec says nothing */
		o->r = BLKIF_WARN;
}

/* Pushes n requests at once (ids id0.. or all id0 when same_id) and checks that
 * n responses come back, each OKAY with a known id, no id twice (unless same_id). */
static void batch(const struct blkif_check *c, struct outcome *o, unsigned n, bool same_id)
{
	struct vbd *v = &blkif_front.rw;
	struct blkif_response rsp[BLKIF_RING_SIZE_1PAGE];
	bool seen[BLKIF_RING_SIZE_1PAGE] = {false};
	uint64_t id0 = blkif_front.next_id;
	unsigned got;

	blkif_front.next_id += n;
	for (unsigned i = 0; i < n; i++) {
		struct blkif_request *r = ring_next_request(v);

		encode_rw_page(r, BLKIF_OP_READ, v->data_ref[PG_LIVE], TEST_SECTOR + i, 1);
		r->id = same_id ? id0 : id0 + i;
	}
	ring_push_notify(v);
	got = ring_collect(v, rsp, n, blkif_front.opts.timeout * 1000L);
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
	batch(c, o, RING_SIZE(&blkif_front.rw.front_ring), false);
}

static void ck_id_dup(const struct blkif_check *c, struct outcome *o)
{
	batch(c, o, 2, true);
}

/* The bad direct requests: built here, judged by the table. */
static void ck_bad(const struct blkif_check *c, struct outcome *o)
{
	struct vbd *v = &blkif_front.rw;
	struct blkif_request r;
	struct blkif_request_segment s[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	grant_ref_t g = v->data_ref[0];
	int id = c - blkif_checks;

	for (unsigned i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		s[i] = blkif_seg(v->data_ref[i], 0, 7);
	switch (id) {
	case BLKIF_CK_OP_UNKNOWN:
		encode_rw_page(&r, 0xe7, g, TEST_SECTOR, 1);
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
		encode_rw_page(&r, BLKIF_OP_READ, g, v->sectors, 1);
		break;
	case BLKIF_CK_SECTOR_STRADDLE:
		encode_rw_page(&r, BLKIF_OP_READ, g, v->sectors - 1, 2);
		break;
	case BLKIF_CK_SECTOR_WRAP:
		encode_rw_page(&r, BLKIF_OP_READ, g, UINT64_MAX, 2);
		break;
	case BLKIF_CK_GREF_RO_READ:
		encode_rw_page(&r, BLKIF_OP_READ, v->ro_ref, TEST_SECTOR, 1);
		break;
	case BLKIF_CK_GREF_FOREIGN:
		encode_rw_page(&r, BLKIF_OP_READ, FOREIGN_GREF, TEST_SECTOR, 1);
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
	struct vbd *v = &blkif_front.ro;
	struct blkif_request r;
	unsigned st;

	if (!(v->info & VDISK_READONLY)) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "vbd %u info %u lacks VDISK_READONLY", v->vdev,
		     v->info);
		return;
	}
	encode_rw_page(&r, BLKIF_OP_READ, v->data_ref[0], 0, 8);
	st = send_for_status(v, &r, o->detail, sizeof(o->detail), false);
	fill_splitmix(v->data + BLKIF_PAGE_SIZE, BLKIF_PAGE_SIZE, 3);
	encode_rw_page(&r, BLKIF_OP_WRITE, v->data_ref[1], 0, 8);
	o->got = send_for_status(v, &r, o->detail, sizeof(o->detail), true);
	judge(c, o);
	encode_rw_page(&r, BLKIF_OP_READ, v->data_ref[2], 0, 8);
	if (st != BLKIF_ST_OKAY ||
	    send_for_status(v, &r, o->detail, sizeof(o->detail), false) != BLKIF_ST_OKAY)
		addf(o->detail, sizeof(o->detail), "could not read the sector back");
	else if (memcmp(v->data, v->data + 2 * BLKIF_PAGE_SIZE, BLKIF_PAGE_SIZE)) {
		o->r = BLKIF_FAIL;
		addf(o->detail, sizeof(o->detail), "the read-only vbd's data changed");
	} else
		addf(o->detail, sizeof(o->detail), "data unchanged");
}

static void ck_op_echo(const struct blkif_check *c, struct outcome *o)
{
	o->got = blkif_front.echo_n ? BLKIF_ST_OKAY : 0;
	if (blkif_front.echo_bad)
		o->got |= BLKIF_ST_OTHER;
	judge(c, o);
	addf(o->detail, sizeof(o->detail), "%u of %u responses echoed the operation%s%s",
	     blkif_front.echo_n - blkif_front.echo_bad, blkif_front.echo_n,
	     blkif_front.echo_bad ? ": " : "", blkif_front.echo_detail);
}

/* An indirect request of nseg segments over pages 16.. (cycled), one indirect page. */
static void indirect(struct blkif_request *r, uint8_t op, unsigned nseg, unsigned first_page)
{
	struct vbd *v = &blkif_front.rw;
	struct blkif_request_segment *d = (struct blkif_request_segment *)v->ind;

	for (unsigned i = 0; i < nseg && i < BLKIF_SEGS_PER_INDIRECT_PAGE; i++)
		d[i] = blkif_seg(v->data_ref[first_page + i % 16], 0, 7);
	blkif_encode_indirect(r, op, 0, 0, TEST_SECTOR, nseg, &v->ind_ref, 1);
}

static bool skip_indirect(struct outcome *o, bool want_present)
{
	if ((blkif_front.rw.max_indirect > 0) == want_present)
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
	struct vbd *v = &blkif_front.rw;
	struct blkif_request r;
	struct blkif_response rsp;

	if (skip_indirect(o, true))
		return;
	fill_splitmix(v->data, 16 * BLKIF_PAGE_SIZE, 4);
	memset(v->data + 16 * BLKIF_PAGE_SIZE, 0, 16 * BLKIF_PAGE_SIZE);
	indirect(&r, BLKIF_OP_WRITE, 16, 0);
	o->got = send_for_status(v, &r, o->detail, sizeof(o->detail), false);
	indirect(&r, BLKIF_OP_READ, 16, 16);
	o->got |= send_wait(v, &r, &rsp) ? blkif_status_bit(rsp.status) : BLKIF_ST_NONE;
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
	unsigned n = blkif_front.rw.max_indirect + 1;

	if (skip_indirect(o, true))
		return;
	if (blkif_indirect_pages(n) > 1) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "max %d needs more than one indirect page",
		     blkif_front.rw.max_indirect);
		return;
	}
	indirect(&r, BLKIF_OP_READ, n, 16);
	single(c, o, &r);
	addf(o->detail, sizeof(o->detail), "nr_segments %u", n);
}

static void ck_indirect_echo(const struct blkif_check *c, struct outcome *o)
{
	struct blkif_request r;
	struct blkif_response rsp;

	if (skip_indirect(o, true))
		return;
	indirect(&r, BLKIF_OP_READ, 2, 16);
	if (!send_wait(&blkif_front.rw, &r, &rsp)) {
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

	if ((blkif_front.rw.discard == 1) == absent) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "feature-discard is %d", blkif_front.rw.discard);
		return;
	}
	blkif_encode_discard(&r, 0, 0, TEST_SECTOR, 8, 0);
	single(c, o, &r);
	addf(o->detail, sizeof(o->detail), "feature-discard %d", blkif_front.rw.discard);
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
	struct vbd *v = &blkif_front.rw;
	struct blkif_response rsp[BLKIF_RING_SIZE_1PAGE];
	unsigned size = RING_SIZE(&v->front_ring), got;
	RING_IDX prod = blkif_ring_overrun_prod(v->front_ring.sring->rsp_prod, size);

	for (unsigned i = 0; i < size; i++) {
		blkif_request_t *r =
		    RING_GET_REQUEST(&v->front_ring, v->front_ring.req_prod_pvt + i);

		encode_rw_page(r, BLKIF_OP_READ, v->data_ref[PG_LIVE], TEST_SECTOR, 1);
		r->id = next_request_id();
	}
	xen_wmb();
	v->front_ring.sring->req_prod = prod;
	xen_mb();
	xenevtchn_notify(blkif_front.xce, v->port);
	got = ring_collect(v, rsp, size, 3000);
	o->got = got ? 0 : BLKIF_ST_NONE;
	for (unsigned i = 0; i < got; i++)
		o->got |= blkif_status_bit(rsp[i].status);
	judge(c, o);
	addf(o->detail, sizeof(o->detail), "req_prod %u over rsp_prod %u: %u responses in 3 s",
	     prod, v->front_ring.sring->rsp_prod, got);
	v->connected = false;
	snprintf(v->why, sizeof(v->why), "ring halted by blkif.ring.prod_overrun");
	usleep(500000);
	state_keys(v, o->detail, sizeof(o->detail));
	if (blkif_front.ro.connected) {
		struct blkif_request r;

		encode_rw_page(&r, BLKIF_OP_READ, blkif_front.ro.data_ref[PG_LIVE], 0, 1);
		addf(o->detail, sizeof(o->detail), "other vbd %s",
		     send_for_status(&blkif_front.ro, &r, o->detail, sizeof(o->detail), false) ==
			     BLKIF_ST_OKAY
			 ? "still serves"
			 : "stopped serving");
	}
}

static void ck_close(const struct blkif_check *c, struct outcome *o)
{
	(void)c;
	if (!blkif_front.rw.ring_page) {
		o->r = BLKIF_SKIP;
		addf(o->detail, sizeof(o->detail), "vbd %u has no ring: %s", blkif_front.rw.vdev,
		     blkif_front.rw.why);
		return;
	}
	if (vbd_close(&blkif_front.rw)) {
		o->r = BLKIF_FAIL;
		o->got = BLKIF_ST_NONE;
	} else {
		o->r = BLKIF_PASS;
		o->got = BLKIF_ST_OKAY;
	}
	state_keys(&blkif_front.rw, o->detail, sizeof(o->detail));
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
void run_check(int i, struct outcome *o)
{
	const struct blkif_check *c = &blkif_checks[i];
	bool bad = !(c->accept & BLKIF_ST_OKAY) && i != BLKIF_CK_CLOSE;

	memset(o, 0, sizeof(*o));
	if (fnmatch(blkif_front.opts.glob, c->name, 0)) {
		o->r = BLKIF_SKIP;
		snprintf(o->detail, sizeof(o->detail), "not selected by --checks");
		return;
	}
	if ((c->flags & BLKIF_CK_NEEDS_RO) && !blkif_front.ro.connected) {
		o->r = BLKIF_SKIP;
		snprintf(o->detail, sizeof(o->detail), "%s",
			 blkif_front.opts.ro_vdev < 0 ? "no --ro-vdev given" : blkif_front.ro.why);
		return;
	}
	if (i != BLKIF_CK_CONNECT && i != BLKIF_CK_CLOSE && !blkif_front.rw.connected) {
		o->r = BLKIF_SKIP;
		snprintf(o->detail, sizeof(o->detail), "vbd %u not connected: %s",
			 blkif_front.rw.vdev, blkif_front.rw.why);
		return;
	}
	runners[i](c, o);
	if (!bad || o->r == BLKIF_SKIP)
		return;
	if (!vbd_alive(&blkif_front.rw, o->detail, sizeof(o->detail))) {
		int rc;

		if (!(c->flags & BLKIF_CK_MAY_KILL_RING))
			o->r = BLKIF_FAIL;
		vbd_close(&blkif_front.rw);
		rc = vbd_connect(&blkif_front.rw);
		addf(o->detail, sizeof(o->detail), "reconnect %s%s", rc ? "failed: " : "done",
		     rc ? blkif_front.rw.why : "");
		if (!rc && vbd_alive(&blkif_front.rw, o->detail, sizeof(o->detail)))
			addf(o->detail, sizeof(o->detail), "serves again after reconnect");
	} else {
		addf(o->detail, sizeof(o->detail), "backend still serves");
	}
}
