/* blkif_ring.h: the blkif request encoding, ring index arithmetic, response
 * validation and the table of conformance checks, shared by the user-space
 * frontend (drivers/blkif/guest/, which runs the checks in a domU) and its
 * host-side tests (harness/tests/check_blkif.c). Header-only (static inline): the
 * guest program is built from its own sources alone.
 *
 * Everything is defined by the Xen public headers installed at /usr/include/xen
 * (the same files as Xen 4.17's xen/include/public): io/blkif.h for the request
 * and response layout, io/ring.h for the shared ring and its macros, io/xenbus.h
 * for the connection states, grant_table.h for grant references. "blkif.h:642"
 * below is a line of /usr/include/xen/io/blkif.h; "blkback.c:1095" is a line of
 * Linux 6.1.192's drivers/block/xen-blkback/blkback.c (Debian linux-source-6.1
 * 6.1.192-2), used where the spec is silent. */
#ifndef PVBENCH_BLKIF_RING_H
#define PVBENCH_BLKIF_RING_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ring.h's barriers: xen_mb/xen_rmb/xen_wmb, which it maps to mb/rmb/wmb for the
 * legacy interface version 0 that user-space programs get by default
 * (xen-compat.h). The shared ring is ordinary cacheable memory shared with another
 * CPU, so C11 fences are the right barriers (on x86: mfence for the full barrier,
 * compiler barriers for the others, as Linux's virt_rmb/virt_wmb). */
#include <xen/xen-compat.h>
#if __XEN_INTERFACE_VERSION__ < 0x00030208
#ifndef mb
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif
#elif !defined(xen_mb)
#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif
#include <xen/grant_table.h>
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>

#define BLKIF_PAGE_SIZE 4096u	  /* XEN_PAGE_SIZE: one granted frame */
#define BLKIF_SECTOR_SHIFT 9	  /* first_sect/last_sect are 512-byte units (blkif.h:621-627) */
#define BLKIF_SECTORS_PER_PAGE 8u /* so last_sect <= 7 (blkback.c:1267) */
/* Requests in a one-page ring: (4096 - 64) / 112 rounded down to a power of two. */
#define BLKIF_RING_SIZE_1PAGE __CONST_RING_SIZE(blkif, BLKIF_PAGE_SIZE)
/* Segment descriptors per indirect page (blkif.h:599-602): 4096 / 8 = 512. */
#define BLKIF_SEGS_PER_INDIRECT_PAGE (BLKIF_PAGE_SIZE / sizeof(struct blkif_request_segment))
/* An id no pvbench request carries: the fuzzer and the checks use ids below it. */
#define BLKIF_ID_NONE UINT64_MAX

/* ---- request encoding ---- */

/* One segment: sectors first..last (inclusive, 0-7) of the frame granted by gref
 * (blkif.h:628-633). No validation: malformed segments are what the checks send. */
static inline struct blkif_request_segment blkif_seg(grant_ref_t gref, uint8_t first, uint8_t last)
{
	return (struct blkif_request_segment){.gref = gref, .first_sect = first, .last_sect = last};
}

/* A direct request (blkif.h:638-645) in *r, zeroed first: operation op (any value,
 * unknown ones included), nr_segments = nseg, which may exceed
 * BLKIF_MAX_SEGMENTS_PER_REQUEST on purpose; only the first min(nseg, 11) of seg[]
 * are copied (the request has 11 slots). seg may be NULL when nseg is 0.
 * Returns 0, or -EINVAL when nseg > 255 (it does not fit nr_segments). */
static inline int blkif_encode_rw(struct blkif_request *r, uint8_t op, blkif_vdev_t handle,
				  uint64_t id, blkif_sector_t sector,
				  const struct blkif_request_segment *seg, unsigned nseg)
{
	unsigned n = nseg < BLKIF_MAX_SEGMENTS_PER_REQUEST ? nseg : BLKIF_MAX_SEGMENTS_PER_REQUEST;

	if (nseg > UINT8_MAX)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->operation = op;
	r->nr_segments = (uint8_t)nseg;
	r->handle = handle;
	r->id = id;
	r->sector_number = sector;
	for (unsigned i = 0; i < n && seg; i++)
		r->seg[i] = seg[i];
	return 0;
}

/* A flush (BLKIF_OP_FLUSH_DISKCACHE, blkif.h:551-557) without data segments, as
 * Linux blkfront sends it (blkback.c:1242 accepts nseg 0 only for a flush). */
static inline void blkif_encode_flush(struct blkif_request *r, blkif_vdev_t handle, uint64_t id)
{
	blkif_encode_rw(r, BLKIF_OP_FLUSH_DISKCACHE, handle, id, 0, NULL, 0);
}

/* Indirect pages needed for nseg segments: ceil(nseg / 512) (blkif.h:598-602). */
static inline unsigned blkif_indirect_pages(unsigned nseg)
{
	return (nseg + BLKIF_SEGS_PER_INDIRECT_PAGE - 1) / BLKIF_SEGS_PER_INDIRECT_PAGE;
}

/* An indirect request (blkif.h:663-675) in the ring slot *r, zeroed first:
 * indirect_op (READ or WRITE in a valid request), nr_segments = nseg, the grant
 * references of the n_pages pages that hold the segment descriptors.
 * Returns 0, or -EINVAL when n_pages > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST (8). */
static inline int blkif_encode_indirect(struct blkif_request *r, uint8_t indirect_op,
					blkif_vdev_t handle, uint64_t id, blkif_sector_t sector,
					uint16_t nseg, const grant_ref_t *indirect_grefs,
					unsigned n_pages)
{
	struct blkif_request_indirect *ind = (struct blkif_request_indirect *)r;

	if (n_pages > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = indirect_op;
	ind->nr_segments = nseg;
	ind->id = id;
	ind->sector_number = sector;
	ind->handle = handle;
	for (unsigned i = 0; i < n_pages; i++)
		ind->indirect_grefs[i] = indirect_grefs[i];
	return 0;
}

/* A discard (blkif.h:648-661) of nr_sectors from sector, flag 0 or
 * BLKIF_DISCARD_SECURE, in the ring slot *r, zeroed first. */
static inline void blkif_encode_discard(struct blkif_request *r, blkif_vdev_t handle, uint64_t id,
					blkif_sector_t sector, uint64_t nr_sectors, uint8_t flag)
{
	struct blkif_request_discard *d = (struct blkif_request_discard *)r;

	memset(r, 0, sizeof(*r));
	d->operation = BLKIF_OP_DISCARD;
	d->flag = flag;
	d->handle = handle;
	d->id = id;
	d->sector_number = sector;
	d->nr_sectors = nr_sectors;
}

/* The id of any request kind: it sits at the same offset in all three layouts. */
static inline uint64_t blkif_request_id(const struct blkif_request *r)
{
	_Static_assert(
	    offsetof(struct blkif_request, id) == offsetof(struct blkif_request_indirect, id) &&
		offsetof(struct blkif_request, id) == offsetof(struct blkif_request_discard, id),
	    "id is at one offset in every request layout");
	return r->id;
}

/* Sectors a direct request transfers: sum of last - first + 1 over its first
 * min(nr_segments, 11) segments; -1 when a segment has first > last or
 * last > 7 (the request is malformed, blkback.c:1267-1269). */
static inline int64_t blkif_request_sectors(const struct blkif_request *r)
{
	unsigned n = r->nr_segments < BLKIF_MAX_SEGMENTS_PER_REQUEST
			 ? r->nr_segments
			 : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	int64_t sum = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct blkif_request_segment *s = &r->seg[i];

		if (s->first_sect > s->last_sect || s->last_sect >= BLKIF_SECTORS_PER_PAGE)
			return -1;
		sum += s->last_sect - s->first_sect + 1;
	}
	return sum;
}

/* ---- ring index arithmetic (ring.h macros on the front ring) ---- */

/* Slots the frontend may still fill: RING_FREE_REQUESTS (ring.h:187-189). */
static inline unsigned blkif_ring_free(const blkif_front_ring_t *fr)
{
	return RING_FREE_REQUESTS(fr);
}

/* Responses produced by the backend and not yet consumed: rsp_prod - rsp_cons in
 * modulo-2^32 RING_IDX arithmetic (XEN_RING_NR_UNCONSUMED_RESPONSES, ring.h:198-199). */
static inline unsigned blkif_ring_unconsumed(const blkif_front_ring_t *fr)
{
	RING_IDX prod = __atomic_load_n(&fr->sring->rsp_prod, __ATOMIC_ACQUIRE);

	return prod - fr->rsp_cons;
}

/* True when a backend's response producer index claims more responses than the
 * frontend has requests outstanding on a ring of this size: the ill-behaved
 * backend test RING_RESPONSE_PROD_OVERFLOW (ring.h:263-265). */
static inline bool blkif_ring_rsp_overrun(const blkif_front_ring_t *fr, RING_IDX rsp_prod)
{
	return RING_RESPONSE_PROD_OVERFLOW(fr, rsp_prod);
}

/* True when a request producer index req_prod is one a backend whose private
 * response producer is rsp_prod_pvt must reject as an ill-behaved frontend:
 * RING_REQUEST_PROD_OVERFLOW (ring.h:259-261), i.e. req_prod - rsp_prod_pvt > size,
 * modulo 2^32. Linux blkback halts the ring when it sees one (blkback.c:1095-1100). */
static inline bool blkif_ring_req_overrun(RING_IDX rsp_prod_pvt, RING_IDX req_prod, unsigned size)
{
	struct {
		RING_IDX rsp_prod_pvt;
		unsigned nr_ents;
	} back = {rsp_prod_pvt, size};

	return RING_REQUEST_PROD_OVERFLOW(&back, req_prod);
}

/* The smallest request producer index a backend that has answered everything up
 * to rsp_prod must reject (see blkif_ring_req_overrun): rsp_prod + size + 1. */
static inline RING_IDX blkif_ring_overrun_prod(RING_IDX rsp_prod, unsigned size)
{
	return rsp_prod + size + 1;
}

/* The next free request slot (RING_GET_REQUEST at req_prod_pvt), req_prod_pvt
 * advanced; NULL when the ring is full. Not visible to the backend until
 * blkif_ring_push(). */
static inline struct blkif_request *blkif_ring_next(blkif_front_ring_t *fr)
{
	if (RING_FULL(fr))
		return NULL;
	return RING_GET_REQUEST(fr, fr->req_prod_pvt++);
}

/* Publishes the queued requests (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY,
 * ring.h:307-315); true when the backend asked to be notified. */
static inline bool blkif_ring_push(blkif_front_ring_t *fr)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(fr, notify);
	return notify;
}

/* Takes the next response off the ring into *rsp (a private copy, RING_COPY_RESPONSE)
 * and re-arms rsp_event (RING_FINAL_CHECK_FOR_RESPONSES, ring.h:335-341).
 * Returns 1 when a response was taken, 0 when none is pending, -EPROTO when the
 * backend's rsp_prod overruns the ring (then nothing is consumed). */
static inline int blkif_ring_take(blkif_front_ring_t *fr, struct blkif_response *rsp)
{
	RING_IDX prod = __atomic_load_n(&fr->sring->rsp_prod, __ATOMIC_ACQUIRE);
	int more;

	if (blkif_ring_rsp_overrun(fr, prod))
		return -EPROTO;
	if (prod == fr->rsp_cons) {
		RING_FINAL_CHECK_FOR_RESPONSES(fr, more);
		if (!more)
			return 0;
	}
	xen_rmb(); /* the response before the index that published it */
	RING_COPY_RESPONSE(fr, fr->rsp_cons, rsp);
	fr->rsp_cons++;
	return 1;
}

/* ---- responses ---- */

/* Status outcomes as bits, so that a check can accept a set of them. */
enum blkif_st {
	BLKIF_ST_EOPNOTSUPP = 1u << 0, /* BLKIF_RSP_EOPNOTSUPP -2 (blkif.h:688) */
	BLKIF_ST_ERROR = 1u << 1,      /* BLKIF_RSP_ERROR -1 (blkif.h:690) */
	BLKIF_ST_OKAY = 1u << 2,       /* BLKIF_RSP_OKAY 0 (blkif.h:692) */
	BLKIF_ST_NONE = 1u << 3,       /* no response before the timeout */
	BLKIF_ST_OTHER = 1u << 4,      /* a status blkif.h does not define */
};
#define BLKIF_ST_FAILED (BLKIF_ST_EOPNOTSUPP | BLKIF_ST_ERROR)

/* The bit of a response status (-2, -1, 0; anything else is BLKIF_ST_OTHER). */
static inline unsigned blkif_status_bit(int status)
{
	switch (status) {
	case BLKIF_RSP_EOPNOTSUPP:
		return BLKIF_ST_EOPNOTSUPP;
	case BLKIF_RSP_ERROR:
		return BLKIF_ST_ERROR;
	case BLKIF_RSP_OKAY:
		return BLKIF_ST_OKAY;
	default:
		return BLKIF_ST_OTHER;
	}
}

/* "okay|error|eopnotsupp|none|other" joined by '|' into buf (n bytes); "-" for 0.
 * Returns buf. */
static inline const char *blkif_st_str(unsigned mask, char *buf, size_t n)
{
	static const char *const names[] = {"eopnotsupp", "error", "okay", "none", "other"};
	size_t len = 0;

	if (n)
		buf[0] = '\0';
	for (unsigned i = 0; i < 5; i++) {
		if (!(mask & (1u << i)))
			continue;
		len += snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? "|" : "", names[i]);
	}
	if (!mask)
		snprintf(buf, n, "-");
	return buf;
}

/* What is wrong with a response to a request with id want_id and operation want_op. */
enum blkif_rsp_fault {
	BLKIF_RSP_BAD_ID = 1u << 0,	/* id not echoed (blkif.h:642, 678) */
	BLKIF_RSP_BAD_OP = 1u << 1,	/* operation not copied (blkif.h:679) */
	BLKIF_RSP_BAD_STATUS = 1u << 2, /* status outside -2..0 (blkif.h:687-692) */
};

/* The faults of *rsp (0 when none). */
static inline unsigned blkif_response_faults(const struct blkif_response *rsp, uint64_t want_id,
					     uint8_t want_op)
{
	unsigned f = 0;

	if (rsp->id != want_id)
		f |= BLKIF_RSP_BAD_ID;
	if (rsp->operation != want_op)
		f |= BLKIF_RSP_BAD_OP;
	if (blkif_status_bit(rsp->status) == BLKIF_ST_OTHER)
		f |= BLKIF_RSP_BAD_STATUS;
	return f;
}

/* ---- the checks ---- */

enum blkif_level { BLKIF_MUST, BLKIF_SHOULD };

/* Results, worst last (XTF order): the run's result is the worst of its checks. */
enum blkif_result { BLKIF_PASS, BLKIF_SKIP, BLKIF_WARN, BLKIF_ERROR, BLKIF_FAIL };

/* Check flags. */
enum {
	BLKIF_CK_NEEDS_RO = 1u << 0,	  /* needs --ro-vdev (a vbd attached access=ro) */
	BLKIF_CK_MAY_KILL_RING = 1u << 1, /* the backend may halt the ring: run last */
	BLKIF_CK_MAY_DROP = 1u << 2,	  /* no response is an accepted outcome */
};

enum blkif_check_id {
	BLKIF_CK_CONNECT,
	BLKIF_CK_GEOMETRY,
	BLKIF_CK_READ,
	BLKIF_CK_WRITE,
	BLKIF_CK_WRITE_MAXSEG,
	BLKIF_CK_FLUSH,
	BLKIF_CK_RING_FULL,
	BLKIF_CK_ID_DUP,
	BLKIF_CK_OP_UNKNOWN,
	BLKIF_CK_NSEG_ZERO,
	BLKIF_CK_NSEG_12,
	BLKIF_CK_NSEG_255,
	BLKIF_CK_SEG_FIRST_GT_LAST,
	BLKIF_CK_SEG_LAST_GT_7,
	BLKIF_CK_SECTOR_PAST_END,
	BLKIF_CK_SECTOR_STRADDLE,
	BLKIF_CK_SECTOR_WRAP,
	BLKIF_CK_RO_VBD_WRITE,
	BLKIF_CK_GREF_RO_READ,
	BLKIF_CK_OP_ECHO,
	BLKIF_CK_INDIRECT_ABSENT,
	BLKIF_CK_INDIRECT_RT,
	BLKIF_CK_INDIRECT_OVER_MAX,
	BLKIF_CK_INDIRECT_OP_ECHO,
	BLKIF_CK_DISCARD_ABSENT,
	BLKIF_CK_DISCARD,
	BLKIF_CK_GREF_FOREIGN,
	BLKIF_CK_RING_OVERRUN,
	BLKIF_CK_CLOSE,
	BLKIF_CK_COUNT
};

/* One conformance check. A response whose status bit is in prefer passes; one in
 * accept but not prefer warns; anything else fails a MUST check and warns a
 * SHOULD check. No response at all (BLKIF_ST_NONE) fails unless accepted: every
 * request gets exactly one response (ring.h:147-149, blkif.h:642). Checks that
 * are not a single request (connect, geometry, data compare, close) are judged by
 * the program and list accept = prefer = BLKIF_ST_OKAY for their good case. */
struct blkif_check {
	const char *name; /* "blkif.<area>.<case>", TAP test name */
	enum blkif_level level;
	const char *source;	 /* the rule: "blkif.h:609-614" or "blkback.c:1010-1017" */
	const char *rule;	 /* one sentence */
	unsigned accept, prefer; /* enum blkif_st sets */
	unsigned flags;		 /* BLKIF_CK_* */
};

#define CK_(id_, name_, lvl_, src_, rule_, acc_, pref_, fl_)                                       \
	[id_] = {.name = name_,                                                                    \
		 .level = lvl_,                                                                    \
		 .source = src_,                                                                   \
		 .rule = rule_,                                                                    \
		 .accept = acc_,                                                                   \
		 .prefer = pref_,                                                                  \
		 .flags = fl_}

/* In run order: valid requests first, bad ones next, ring-killing ones last. */
static const struct blkif_check blkif_checks[BLKIF_CK_COUNT] = {
    CK_(BLKIF_CK_CONNECT, "blkif.connect.handshake", BLKIF_MUST, "blkif.h:464-535",
	"front and back reach Connected via InitWait/Initialised", BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_GEOMETRY, "blkif.backend.geometry", BLKIF_MUST, "blkif.h:237-259",
	"sector-size a power of two >= 512; physical-sector-size a multiple of it; "
	"sectors * sector-size a multiple of physical-sector-size",
	BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_READ, "blkif.read.roundtrip", BLKIF_MUST, "blkif.h:638-645",
	"a read of one sector completes OKAY with its id echoed", BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_WRITE, "blkif.write.roundtrip", BLKIF_MUST, "blkif.h:638-645",
	"a written page reads back unchanged", BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_WRITE_MAXSEG, "blkif.write.max_segments", BLKIF_MUST, "blkif.h:609-614",
	"a write of 11 segments with partial-page sector ranges reads back unchanged",
	BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_FLUSH, "blkif.flush.roundtrip", BLKIF_MUST, "blkif.h:130-137",
	"a flush completes OKAY or EOPNOTSUPP, never ERROR", BLKIF_ST_OKAY | BLKIF_ST_EOPNOTSUPP,
	BLKIF_ST_OKAY | BLKIF_ST_EOPNOTSUPP, 0),
    CK_(BLKIF_CK_RING_FULL, "blkif.ring.full", BLKIF_MUST, "ring.h:187-195",
	"RING_SIZE requests pushed at once all complete OKAY", BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_ID_DUP, "blkif.id.duplicate", BLKIF_MUST, "blkif.h:642",
	"two requests in flight with the same id get two responses echoing it", BLKIF_ST_OKAY,
	BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_OP_UNKNOWN, "blkif.op.unknown", BLKIF_SHOULD, "blkback.c:1010-1017",
	"an operation code blkif.h does not define (0xe7) gets EOPNOTSUPP", BLKIF_ST_FAILED,
	BLKIF_ST_EOPNOTSUPP, 0),
    CK_(BLKIF_CK_NSEG_ZERO, "blkif.nr_segments.zero", BLKIF_SHOULD, "blkback.c:1242-1249",
	"a read with nr_segments 0 gets ERROR", BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_NSEG_12, "blkif.nr_segments.twelve", BLKIF_MUST, "blkif.h:609-614",
	"a direct read with nr_segments 12 (> BLKIF_MAX_SEGMENTS_PER_REQUEST) fails",
	BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_NSEG_255, "blkif.nr_segments.max_u8", BLKIF_MUST, "blkif.h:609-614",
	"a direct read with nr_segments 255 fails", BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_SEG_FIRST_GT_LAST, "blkif.segment.first_gt_last", BLKIF_MUST, "blkif.h:630-632",
	"a segment with first_sect 5 > last_sect 2 fails", BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_SEG_LAST_GT_7, "blkif.segment.last_gt_7", BLKIF_MUST, "blkif.h:621-632",
	"a segment with last_sect 8 (past a 4 KiB frame of 512-byte sectors) fails",
	BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_SECTOR_PAST_END, "blkif.sector.past_end", BLKIF_MUST, "blkif.h:254-257",
	"a read at sector_number = sectors fails", BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_SECTOR_STRADDLE, "blkif.sector.straddle_end", BLKIF_MUST, "blkif.h:254-257",
	"a two-sector read starting at the last sector fails", BLKIF_ST_FAILED, BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_SECTOR_WRAP, "blkif.sector.wrap", BLKIF_MUST, "blkif.h:254-257",
	"a read whose end wraps past 2^64 (sector 2^64-1, 2 sectors) fails", BLKIF_ST_FAILED,
	BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_RO_VBD_WRITE, "blkif.readonly.write", BLKIF_MUST, "blkif.h:699-701",
	"a write to a vbd whose info has VDISK_READONLY fails and leaves the data", BLKIF_ST_FAILED,
	BLKIF_ST_ERROR, BLKIF_CK_NEEDS_RO),
    CK_(BLKIF_CK_GREF_RO_READ, "blkif.grant.readonly_read", BLKIF_MUST, "grant_table.h:154",
	"a read into a frame granted read-only (GTF_readonly) fails", BLKIF_ST_FAILED,
	BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_OP_ECHO, "blkif.response.operation", BLKIF_SHOULD, "blkif.h:679",
	"responses copy the request's operation (read, write, flush, unknown)", BLKIF_ST_OKAY,
	BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_INDIRECT_ABSENT, "blkif.indirect.unadvertised", BLKIF_MUST, "blkif.h:585-606",
	"an indirect request without feature-max-indirect-segments fails", BLKIF_ST_FAILED,
	BLKIF_ST_EOPNOTSUPP | BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_INDIRECT_RT, "blkif.indirect.roundtrip", BLKIF_MUST, "blkif.h:585-602",
	"an indirect write of 16 segments reads back unchanged (when advertised)", BLKIF_ST_OKAY,
	BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_INDIRECT_OVER_MAX, "blkif.indirect.over_max", BLKIF_MUST, "blkif.h:590-593",
	"an indirect read of feature-max-indirect-segments + 1 segments fails", BLKIF_ST_FAILED,
	BLKIF_ST_ERROR, 0),
    CK_(BLKIF_CK_INDIRECT_OP_ECHO, "blkif.indirect.operation", BLKIF_SHOULD, "blkif.h:679",
	"the response to an indirect request copies operation BLKIF_OP_INDIRECT", BLKIF_ST_OKAY,
	BLKIF_ST_OKAY, 0),
    CK_(BLKIF_CK_DISCARD_ABSENT, "blkif.discard.unadvertised", BLKIF_SHOULD, "blkif.h:139-146",
	"a discard without feature-discard gets EOPNOTSUPP", BLKIF_ST_FAILED, BLKIF_ST_EOPNOTSUPP,
	0),
    CK_(BLKIF_CK_DISCARD, "blkif.discard.roundtrip", BLKIF_MUST, "blkif.h:139-146",
	"with feature-discard, a discard completes OKAY or EOPNOTSUPP",
	BLKIF_ST_OKAY | BLKIF_ST_EOPNOTSUPP, BLKIF_ST_OKAY | BLKIF_ST_EOPNOTSUPP, 0),
    CK_(BLKIF_CK_GREF_FOREIGN, "blkif.grant.foreign", BLKIF_MUST, "grant_table.h:629",
	"a read into a grant reference the domU does not own (0xffffff) fails", BLKIF_ST_FAILED,
	BLKIF_ST_ERROR, BLKIF_CK_MAY_KILL_RING),
    CK_(BLKIF_CK_RING_OVERRUN, "blkif.ring.prod_overrun", BLKIF_SHOULD, "ring.h:259-261",
	"req_prod = rsp_prod + RING_SIZE + 1 is rejected: no request is processed",
	BLKIF_ST_NONE | BLKIF_ST_FAILED, BLKIF_ST_NONE | BLKIF_ST_FAILED,
	BLKIF_CK_MAY_KILL_RING | BLKIF_CK_MAY_DROP),
    CK_(BLKIF_CK_CLOSE, "blkif.close.clean", BLKIF_MUST, "xenbus.h:40-42",
	"front Closing then Closed takes the backend to Closed", BLKIF_ST_OKAY, BLKIF_ST_OKAY, 0),
};
#undef CK_

/* The judgement of check c on the status set got (enum blkif_st bits of all its
 * responses; BLKIF_ST_NONE when one was missing), as documented at struct
 * blkif_check. */
static inline enum blkif_result blkif_judge(const struct blkif_check *c, unsigned got)
{
	if (!got)
		return BLKIF_ERROR;
	if ((got & ~c->prefer) == 0)
		return BLKIF_PASS;
	if ((got & ~c->accept) == 0)
		return BLKIF_WARN;
	if ((got & BLKIF_ST_NONE) && !(c->flags & BLKIF_CK_MAY_DROP))
		return BLKIF_FAIL;
	return c->level == BLKIF_MUST ? BLKIF_FAIL : BLKIF_WARN;
}

/* "pass", "skip", "warn", "error", "fail". */
static inline const char *blkif_result_str(enum blkif_result r)
{
	static const char *const s[] = {"pass", "skip", "warn", "error", "fail"};

	return (unsigned)r < 5 ? s[r] : "?";
}

/* Index of the check named name, or -1. */
static inline int blkif_check_find(const char *name)
{
	for (int i = 0; i < BLKIF_CK_COUNT; i++)
		if (blkif_checks[i].name && !strcmp(blkif_checks[i].name, name))
			return i;
	return -1;
}

/* The TAP 13 result line of test number num into buf (n bytes), no newline:
 *   pass  "ok 3 - blkif.read.roundtrip # blkif.h:638-645"
 *   skip  "ok 3 - blkif.read.roundtrip # SKIP <reason>"
 *   warn  "not ok 3 - blkif.op.unknown # TODO should: blkback.c:1010-1017"
 *   fail, error  "not ok 3 - <name> # <source>"
 * A '#' in reason is replaced by ' ' (it would start a TAP directive).
 * Returns the length snprintf would have written. */
static inline int blkif_tap_line(char *buf, size_t n, unsigned num, const struct blkif_check *c,
				 enum blkif_result r, const char *reason)
{
	char why[160];
	size_t i;

	snprintf(why, sizeof(why), "%s", reason ? reason : "");
	for (i = 0; why[i]; i++)
		if (why[i] == '#' || why[i] == '\n')
			why[i] = ' ';
	switch (r) {
	case BLKIF_PASS:
		return snprintf(buf, n, "ok %u - %s # %s", num, c->name, c->source);
	case BLKIF_SKIP:
		return snprintf(buf, n, "ok %u - %s # SKIP %s", num, c->name, why);
	case BLKIF_WARN:
		return snprintf(buf, n, "not ok %u - %s # TODO should: %s", num, c->name,
				c->source);
	default:
		return snprintf(buf, n, "not ok %u - %s # %s", num, c->name, c->source);
	}
}

/* Writes s to f as a JSON string (quotes included; ", \\ and control characters
 * escaped, bytes >= 0x80 copied as they are). */
static inline void blkif_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* ---- the fuzzer's PRNG ---- */

/* splitmix64 (Steele, Lea, Flood 2014): the next value of the stream whose state
 * is *s. The same seed gives the same stream on every host. */
static inline uint64_t blkif_splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#endif
