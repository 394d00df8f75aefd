/* check_blkif.c: tests of the blkif conformance frontend's shared code
 * (drivers/blkif/blkif_ring.h): request encoding byte by byte against the layouts
 * of /usr/include/xen/io/blkif.h, ring index arithmetic against ring.h's own
 * macros (including 2^32 wrap-around and a loopback through a back ring), the
 * check table (names, levels, and that every cited header line range holds the
 * text it cites), the judgement rules, TAP/JSON formatting, the PRNG, and the
 * recorded real run in harness/tests/data/blkif (see its README). Run from the
 * repository root. */
#include "testutil.h"
#include "../../drivers/blkif/blkif_ring.h"

#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DATA "harness/tests/data/blkif/"

/* ---- encoding ---- */

START_TEST(test_sizes)
{
	/* blkif.h:638-645 on x86_64: 8 header bytes, id, sector, 11 x 8-byte segments */
	ck_assert_uint_eq(sizeof(struct blkif_request), 112);
	ck_assert_uint_eq(sizeof(struct blkif_request_segment), 8);
	ck_assert_uint_eq(sizeof(struct blkif_response), 16);
	ck_assert_uint_le(sizeof(struct blkif_request_indirect), sizeof(struct blkif_request));
	ck_assert_uint_le(sizeof(struct blkif_request_discard), sizeof(struct blkif_request));
	/* (4096 - 64 header bytes) / 112 = 36 entries, rounded down to 32 */
	ck_assert_uint_eq(offsetof(struct blkif_sring, ring), 64);
	ck_assert_uint_eq(BLKIF_RING_SIZE_1PAGE, 32);
	ck_assert_uint_eq(BLKIF_SEGS_PER_INDIRECT_PAGE, 512);
	ck_assert_uint_eq(blkif_indirect_pages(0), 0);
	ck_assert_uint_eq(blkif_indirect_pages(1), 1);
	ck_assert_uint_eq(blkif_indirect_pages(512), 1);
	ck_assert_uint_eq(blkif_indirect_pages(513), 2);
	ck_assert_uint_eq(blkif_indirect_pages(4096), BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
}
END_TEST

static uint64_t le(const uint8_t *b, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

START_TEST(test_encode_rw)
{
	struct blkif_request r;
	struct blkif_request_segment s[12];
	const uint8_t *b = (const uint8_t *)&r;

	for (unsigned i = 0; i < 12; i++)
		s[i] = blkif_seg(0x100 + i, i % 8, 7);
	memset(&r, 0xff, sizeof(r));
	ck_assert_int_eq(blkif_encode_rw(&r, BLKIF_OP_WRITE, 0xca10, 0x1122334455667788ull,
					 0x0102030405060708ull, s, 2),
			 0);
	ck_assert_uint_eq(b[0], BLKIF_OP_WRITE);		 /* operation */
	ck_assert_uint_eq(b[1], 2);				 /* nr_segments */
	ck_assert_uint_eq(le(b + 2, 2), 0xca10);		 /* handle */
	ck_assert_uint_eq(le(b + 8, 8), 0x1122334455667788ull);	 /* id */
	ck_assert_uint_eq(le(b + 16, 8), 0x0102030405060708ull); /* sector_number */
	ck_assert_uint_eq(le(b + 24, 4), 0x100);		 /* seg[0].gref */
	ck_assert_uint_eq(b[28], 0);				 /* seg[0].first_sect */
	ck_assert_uint_eq(b[29], 7);				 /* seg[0].last_sect */
	ck_assert_uint_eq(le(b + 32, 4), 0x101);		 /* seg[1].gref */
	ck_assert_uint_eq(b[36], 1);
	ck_assert_uint_eq(le(b + 40, 8), 0); /* unused slots zeroed */
	ck_assert_uint_eq(blkif_request_id(&r), 0x1122334455667788ull);
	ck_assert_int_eq(blkif_request_sectors(&r), 8 + 7);

	/* nr_segments past the limit is stored as given; only 11 slots exist */
	ck_assert_int_eq(blkif_encode_rw(&r, BLKIF_OP_READ, 0, 1, 0, s, 12), 0);
	ck_assert_uint_eq(r.nr_segments, 12);
	ck_assert_uint_eq(r.seg[10].gref, 0x10a);
	ck_assert_int_eq(blkif_encode_rw(&r, BLKIF_OP_READ, 0, 1, 0, s, 255), 0);
	ck_assert_uint_eq(r.nr_segments, 255);
	ck_assert_int_eq(blkif_encode_rw(&r, BLKIF_OP_READ, 0, 1, 0, s, 256), -EINVAL);
	ck_assert_int_eq(blkif_encode_rw(&r, 0xe7, 0, 1, 0, NULL, 0), 0);
	ck_assert_uint_eq(r.operation, 0xe7);
	ck_assert_uint_eq(r.nr_segments, 0);
}
END_TEST

START_TEST(test_request_sectors)
{
	struct blkif_request r;
	struct blkif_request_segment s[3] = {blkif_seg(1, 0, 7), blkif_seg(2, 3, 3),
					     blkif_seg(3, 2, 5)};

	blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, 0, s, 3);
	ck_assert_int_eq(blkif_request_sectors(&r), 8 + 1 + 4);
	r.seg[1] = blkif_seg(2, 5, 2); /* first > last */
	ck_assert_int_eq(blkif_request_sectors(&r), -1);
	r.seg[1] = blkif_seg(2, 0, 8); /* last past the frame */
	ck_assert_int_eq(blkif_request_sectors(&r), -1);
	blkif_encode_rw(&r, BLKIF_OP_READ, 0, 0, 0, NULL, 0);
	ck_assert_int_eq(blkif_request_sectors(&r), 0);
}
END_TEST

START_TEST(test_encode_indirect)
{
	struct blkif_request r;
	const uint8_t *b = (const uint8_t *)&r;
	grant_ref_t g[9] = {0x11, 0x22, 0x33};

	ck_assert_int_eq(
	    blkif_encode_indirect(&r, BLKIF_OP_READ, 0xca20, 0xabcdef, 4096, 513, g, 2), 0);
	ck_assert_uint_eq(b[0], BLKIF_OP_INDIRECT); /* operation */
	ck_assert_uint_eq(b[1], BLKIF_OP_READ);	    /* indirect_op */
	ck_assert_uint_eq(le(b + 2, 2), 513);	    /* nr_segments (uint16_t) */
	ck_assert_uint_eq(le(b + 8, 8), 0xabcdef);  /* id */
	ck_assert_uint_eq(le(b + 16, 8), 4096);	    /* sector_number */
	ck_assert_uint_eq(le(b + 24, 2), 0xca20);   /* handle */
	ck_assert_uint_eq(le(b + 28, 4), 0x11);	    /* indirect_grefs[0] */
	ck_assert_uint_eq(le(b + 32, 4), 0x22);
	ck_assert_uint_eq(le(b + 36, 4), 0); /* unused: zeroed */
	ck_assert_uint_eq(blkif_request_id(&r), 0xabcdef);
	ck_assert_int_eq(blkif_encode_indirect(&r, BLKIF_OP_READ, 0, 0, 0, 1, g, 9), -EINVAL);
}
END_TEST

START_TEST(test_encode_discard_flush)
{
	struct blkif_request r;
	const uint8_t *b = (const uint8_t *)&r;

	blkif_encode_discard(&r, 7, 0x42, 1000, 2048, BLKIF_DISCARD_SECURE);
	ck_assert_uint_eq(b[0], BLKIF_OP_DISCARD);
	ck_assert_uint_eq(b[1], 1);		/* flag */
	ck_assert_uint_eq(le(b + 2, 2), 7);	/* handle */
	ck_assert_uint_eq(le(b + 8, 8), 0x42);	/* id */
	ck_assert_uint_eq(le(b + 16, 8), 1000); /* sector_number */
	ck_assert_uint_eq(le(b + 24, 8), 2048); /* nr_sectors */
	ck_assert_uint_eq(blkif_request_id(&r), 0x42);
	blkif_encode_flush(&r, 3, 9);
	ck_assert_uint_eq(r.operation, BLKIF_OP_FLUSH_DISKCACHE);
	ck_assert_uint_eq(r.nr_segments, 0);
	ck_assert_uint_eq(r.id, 9);
}
END_TEST

/* ---- ring arithmetic ---- */

static union {
	blkif_sring_t s;
	uint8_t page[BLKIF_PAGE_SIZE];
} shared;

/* A front ring whose indexes all start at start (FRONT_RING_ATTACH), to reach the
 * 2^32 wrap quickly. */
static void ring_at(blkif_front_ring_t *fr, blkif_back_ring_t *br, RING_IDX start)
{
	memset(&shared, 0, sizeof(shared));
	SHARED_RING_INIT(&shared.s);
	shared.s.req_prod = shared.s.rsp_prod = start;
	FRONT_RING_ATTACH(fr, &shared.s, start, BLKIF_PAGE_SIZE);
	BACK_RING_ATTACH(br, &shared.s, start, BLKIF_PAGE_SIZE);
}

/* Back end: answers every pending request with status OKAY, id echoed. */
static unsigned back_answer(blkif_back_ring_t *br, int status)
{
	unsigned n = 0;
	int notify;

	while (RING_HAS_UNCONSUMED_REQUESTS(br)) {
		struct blkif_request q;
		struct blkif_response *p;

		RING_COPY_REQUEST(br, br->req_cons, &q);
		br->req_cons++;
		p = RING_GET_RESPONSE(br, br->rsp_prod_pvt++);
		p->id = q.id;
		p->operation = q.operation;
		p->status = status;
		n++;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(br, notify);
	(void)notify;
	return n;
}

static const RING_IDX starts[] = {0, 5, 0xffffffe0u, 0xfffffffbu, 0x7ffffff0u};

START_TEST(test_ring_free_and_wrap)
{
	blkif_front_ring_t fr;
	blkif_back_ring_t br;
	struct blkif_response rsp;
	RING_IDX start = starts[_i];
	unsigned n = 0;

	ring_at(&fr, &br, start);
	ck_assert_uint_eq(RING_SIZE(&fr), 32);
	ck_assert_uint_eq(blkif_ring_free(&fr), 32);
	ck_assert_uint_eq(blkif_ring_unconsumed(&fr), 0);
	for (unsigned i = 0; i < 32; i++) {
		struct blkif_request *r = blkif_ring_next(&fr);

		ck_assert_ptr_nonnull(r);
		blkif_encode_rw(r, BLKIF_OP_READ, 0, 100 + i, 0, NULL, 0);
		ck_assert_uint_eq(blkif_ring_free(&fr), 31 - i);
	}
	ck_assert_ptr_null(blkif_ring_next(&fr)); /* full: RING_FULL */
	/* first push after SHARED_RING_INIT (req_event = start? no: 1) */
	blkif_ring_push(&fr);
	ck_assert_uint_eq(shared.s.req_prod, (RING_IDX)(start + 32));
	ck_assert_uint_eq(back_answer(&br, BLKIF_RSP_OKAY), 32);
	ck_assert_uint_eq(blkif_ring_unconsumed(&fr), 32);
	while (blkif_ring_take(&fr, &rsp) == 1) {
		ck_assert_uint_eq(rsp.id, 100 + n);
		ck_assert_uint_eq(blkif_response_faults(&rsp, 100 + n, BLKIF_OP_READ), 0);
		n++;
	}
	ck_assert_uint_eq(n, 32);
	ck_assert_uint_eq(blkif_ring_free(&fr), 32);
	ck_assert_uint_eq(blkif_ring_unconsumed(&fr), 0);
	/* take re-armed rsp_event for the next response (RING_FINAL_CHECK_FOR_RESPONSES) */
	ck_assert_uint_eq(shared.s.rsp_event, (RING_IDX)(start + 33));
}
END_TEST

START_TEST(test_ring_notify)
{
	blkif_front_ring_t fr;
	blkif_back_ring_t br;
	int more;

	ring_at(&fr, &br, 0);
	blkif_ring_next(&fr);
	ck_assert(blkif_ring_push(&fr)); /* req_event 1: the backend wants the first */
	blkif_ring_next(&fr);
	ck_assert(!blkif_ring_push(&fr)); /* it has not re-armed: hold off */
	br.req_cons = 2;
	RING_FINAL_CHECK_FOR_REQUESTS(&br, more); /* sets req_event = 3 */
	ck_assert_int_eq(more, 0);
	blkif_ring_next(&fr);
	ck_assert(blkif_ring_push(&fr));
}
END_TEST

START_TEST(test_ring_overrun)
{
	blkif_front_ring_t fr;
	blkif_back_ring_t br;
	struct blkif_response rsp;

	/* the backend's own test (RING_REQUEST_PROD_OVERFLOW on a back ring) agrees */
	for (unsigned k = 0; k < ARRAY_SIZE(starts); k++) {
		RING_IDX s = starts[k], bad = blkif_ring_overrun_prod(s, 32);

		ring_at(&fr, &br, s);
		ck_assert(!blkif_ring_req_overrun(s, s, 32));
		ck_assert(!blkif_ring_req_overrun(s, s + 32, 32));
		ck_assert(blkif_ring_req_overrun(s, s + 33, 32));
		ck_assert(blkif_ring_req_overrun(s, s - 1, 32)); /* behind: huge modulo 2^32 */
		ck_assert_uint_eq(bad, (RING_IDX)(s + 33));
		ck_assert(blkif_ring_req_overrun(s, bad, 32));
		ck_assert(!blkif_ring_req_overrun(s, bad - 1, 32));
		ck_assert(RING_REQUEST_PROD_OVERFLOW(&br, bad));
		ck_assert(!RING_REQUEST_PROD_OVERFLOW(&br, bad - 1));
		/* a backend claiming 33 responses with nothing outstanding */
		ck_assert(blkif_ring_rsp_overrun(&fr, s + 33));
		ck_assert(!blkif_ring_rsp_overrun(&fr, s + 32));
		shared.s.rsp_prod = s + 33;
		ck_assert_int_eq(blkif_ring_take(&fr, &rsp), -EPROTO);
		ck_assert_uint_eq(fr.rsp_cons, s);
	}
}
END_TEST

START_TEST(test_response_faults)
{
	struct blkif_response r = {.id = 7, .operation = BLKIF_OP_READ, .status = 0};

	ck_assert_uint_eq(blkif_status_bit(BLKIF_RSP_OKAY), BLKIF_ST_OKAY);
	ck_assert_uint_eq(blkif_status_bit(BLKIF_RSP_ERROR), BLKIF_ST_ERROR);
	ck_assert_uint_eq(blkif_status_bit(BLKIF_RSP_EOPNOTSUPP), BLKIF_ST_EOPNOTSUPP);
	ck_assert_uint_eq(blkif_status_bit(1), BLKIF_ST_OTHER);
	ck_assert_uint_eq(blkif_status_bit(-3), BLKIF_ST_OTHER);
	ck_assert_uint_eq(blkif_response_faults(&r, 7, BLKIF_OP_READ), 0);
	ck_assert_uint_eq(blkif_response_faults(&r, 8, BLKIF_OP_READ), BLKIF_RSP_BAD_ID);
	ck_assert_uint_eq(blkif_response_faults(&r, 7, BLKIF_OP_INDIRECT), BLKIF_RSP_BAD_OP);
	r.status = 5;
	ck_assert_uint_eq(blkif_response_faults(&r, 7, BLKIF_OP_READ), BLKIF_RSP_BAD_STATUS);
}
END_TEST

/* ---- the check table ---- */

START_TEST(test_table)
{
	for (int i = 0; i < BLKIF_CK_COUNT; i++) {
		const struct blkif_check *c = &blkif_checks[i];

		ck_assert_msg(c->name, "check %d has no table row", i);
		ck_assert_msg(!strncmp(c->name, "blkif.", 6), "%s", c->name);
		ck_assert_int_eq(blkif_check_find(c->name), i);
		ck_assert(c->rule && *c->rule);
		ck_assert_msg((c->prefer & ~c->accept) == 0, "%s: prefer not within accept",
			      c->name);
		ck_assert(c->prefer);
		/* a check on a bad request never accepts OKAY */
		if (!(c->prefer & BLKIF_ST_OKAY))
			ck_assert_msg(!(c->accept & BLKIF_ST_OKAY), "%s", c->name);
	}
	ck_assert_int_eq(blkif_check_find("blkif.nope"), -1);
	/* ring-killing checks run last, close after them */
	ck_assert_int_eq(BLKIF_CK_CLOSE, BLKIF_CK_COUNT - 1);
	for (int i = 0; i < BLKIF_CK_COUNT; i++)
		if (blkif_checks[i].flags & BLKIF_CK_MAY_KILL_RING)
			ck_assert_int_ge(i, BLKIF_CK_GREF_FOREIGN);
}
END_TEST

/* Each citation: the cited lines of the installed header contain this text. */
static const struct {
	int id;
	const char *text;
} cites[] = {
    {BLKIF_CK_CONNECT, "XenbusStateInitWait"},
    {BLKIF_CK_GEOMETRY, "physical-sector-size"},
    {BLKIF_CK_READ, "echoed in resp"},
    {BLKIF_CK_WRITE_MAXSEG, "BLKIF_MAX_SEGMENTS_PER_REQUEST 11"},
    {BLKIF_CK_FLUSH, "BLKIF_RSP_EOPNOTSUPP"},
    {BLKIF_CK_RING_FULL, "RING_FREE_REQUESTS"},
    {BLKIF_CK_ID_DUP, "echoed in resp"},
    {BLKIF_CK_NSEG_12, "BLKIF_MAX_SEGMENTS_PER_REQUEST 11"},
    {BLKIF_CK_SEG_FIRST_GT_LAST, "@last_sect"},
    {BLKIF_CK_SEG_LAST_GT_7, "sector-based"},
    {BLKIF_CK_SECTOR_PAST_END, "sectors"},
    {BLKIF_CK_RO_VBD_WRITE, "VDISK_READONLY"},
    {BLKIF_CK_GREF_RO_READ, "GTF_readonly"},
    {BLKIF_CK_OP_ECHO, "copied from request"},
    {BLKIF_CK_INDIRECT_ABSENT, "should *not*"},
    {BLKIF_CK_INDIRECT_OVER_MAX, "maximum"},
    {BLKIF_CK_DISCARD_ABSENT, "feature-discard"},
    {BLKIF_CK_GREF_FOREIGN, "GNTST_bad_gntref"},
    {BLKIF_CK_RING_OVERRUN, "RING_REQUEST_PROD_OVERFLOW"},
    {BLKIF_CK_CLOSE, "XenbusStateClosed"},
};

static bool lines_contain(const char *file, int from, int to, const char *text)
{
	char path[128], line[512];
	FILE *f;
	int n = 0;
	bool found = false;

	snprintf(path, sizeof(path), "/usr/include/xen/%s%s",
		 strcmp(file, "grant_table.h") ? "io/" : "", file);
	f = fopen(path, "r");
	ck_assert_msg(f, "cannot open '%s'", path);
	while (fgets(line, sizeof(line), f) && ++n <= to)
		if (n >= from && strstr(line, text))
			found = true;
	fclose(f);
	return found;
}

START_TEST(test_citations)
{
	int id = cites[_i].id, from, to;
	const char *src = blkif_checks[id].source;
	char file[32];

	ck_assert_int_ge(sscanf(src, "%31[^:]:%d-%d", file, &from, &to), 2);
	if (!strchr(src, '-'))
		to = from;
	ck_assert_msg(lines_contain(file, from, to, cites[_i].text), "%s: %s does not contain '%s'",
		      blkif_checks[id].name, src, cites[_i].text);
}
END_TEST

/* Every source names a Xen header line range or a Linux blkback line range. */
START_TEST(test_sources)
{
	for (int i = 0; i < BLKIF_CK_COUNT; i++) {
		char file[32];
		int from, to = 0;
		int n = sscanf(blkif_checks[i].source, "%31[^:]:%d-%d", file, &from, &to);

		ck_assert_int_ge(n, 2);
		ck_assert(!strcmp(file, "blkif.h") || !strcmp(file, "ring.h") ||
			  !strcmp(file, "xenbus.h") || !strcmp(file, "grant_table.h") ||
			  !strcmp(file, "blkback.c"));
		if (n == 3)
			ck_assert_int_le(from, to);
		/* spec-silent rules (blkback.c) are SHOULD, never MUST */
		if (!strcmp(file, "blkback.c"))
			ck_assert_int_eq(blkif_checks[i].level, BLKIF_SHOULD);
	}
}
END_TEST

static const struct {
	int id;
	unsigned got;
	enum blkif_result want;
} judgements[] = {
    {BLKIF_CK_READ, BLKIF_ST_OKAY, BLKIF_PASS},
    {BLKIF_CK_READ, BLKIF_ST_ERROR, BLKIF_FAIL},
    {BLKIF_CK_READ, BLKIF_ST_NONE, BLKIF_FAIL},
    {BLKIF_CK_READ, BLKIF_ST_OKAY | BLKIF_ST_ERROR, BLKIF_FAIL},
    {BLKIF_CK_READ, 0, BLKIF_ERROR},
    {BLKIF_CK_FLUSH, BLKIF_ST_EOPNOTSUPP, BLKIF_PASS},
    {BLKIF_CK_FLUSH, BLKIF_ST_ERROR, BLKIF_FAIL},
    {BLKIF_CK_NSEG_12, BLKIF_ST_ERROR, BLKIF_PASS},
    {BLKIF_CK_NSEG_12, BLKIF_ST_EOPNOTSUPP, BLKIF_WARN}, /* accepted, not preferred */
    {BLKIF_CK_NSEG_12, BLKIF_ST_OKAY, BLKIF_FAIL},	 /* MUST */
    {BLKIF_CK_NSEG_12, BLKIF_ST_NONE, BLKIF_FAIL},
    {BLKIF_CK_NSEG_12, BLKIF_ST_OTHER, BLKIF_FAIL},
    {BLKIF_CK_OP_UNKNOWN, BLKIF_ST_EOPNOTSUPP, BLKIF_PASS},
    {BLKIF_CK_OP_UNKNOWN, BLKIF_ST_ERROR, BLKIF_WARN},
    {BLKIF_CK_OP_UNKNOWN, BLKIF_ST_OKAY, BLKIF_WARN}, /* SHOULD: warns */
    {BLKIF_CK_OP_UNKNOWN, BLKIF_ST_NONE, BLKIF_FAIL}, /* but every request is answered */
    {BLKIF_CK_RING_OVERRUN, BLKIF_ST_NONE, BLKIF_PASS},
    {BLKIF_CK_RING_OVERRUN, BLKIF_ST_ERROR, BLKIF_PASS},
    {BLKIF_CK_RING_OVERRUN, BLKIF_ST_OKAY, BLKIF_WARN},
    {BLKIF_CK_ID_DUP, BLKIF_ST_OKAY | BLKIF_ST_OTHER, BLKIF_FAIL},
};

START_TEST(test_judge)
{
	ck_assert_int_eq(blkif_judge(&blkif_checks[judgements[_i].id], judgements[_i].got),
			 judgements[_i].want);
}
END_TEST

/* ---- formatting ---- */

START_TEST(test_tap_line)
{
	const struct blkif_check *c = &blkif_checks[BLKIF_CK_NSEG_ZERO];
	char buf[256];

	blkif_tap_line(buf, sizeof(buf), 12, c, BLKIF_PASS, NULL);
	ck_assert_str_eq(buf, "ok 12 - blkif.nr_segments.zero # blkback.c:1242-1249");
	blkif_tap_line(buf, sizeof(buf), 12, c, BLKIF_FAIL, "x");
	ck_assert_str_eq(buf, "not ok 12 - blkif.nr_segments.zero # blkback.c:1242-1249");
	blkif_tap_line(buf, sizeof(buf), 12, c, BLKIF_WARN, "x");
	ck_assert_str_eq(buf,
			 "not ok 12 - blkif.nr_segments.zero # TODO should: blkback.c:1242-1249");
	blkif_tap_line(buf, sizeof(buf), 3, c, BLKIF_SKIP, "no --ro-vdev # given\nx");
	ck_assert_str_eq(buf, "ok 3 - blkif.nr_segments.zero # SKIP no --ro-vdev   given x");
	ck_assert_str_eq(blkif_result_str(BLKIF_WARN), "warn");
	ck_assert_str_eq(blkif_result_str(BLKIF_FAIL), "fail");
}
END_TEST

START_TEST(test_st_str)
{
	char b[64];

	ck_assert_str_eq(blkif_st_str(BLKIF_ST_OKAY, b, sizeof(b)), "okay");
	ck_assert_str_eq(blkif_st_str(BLKIF_ST_FAILED, b, sizeof(b)), "eopnotsupp|error");
	ck_assert_str_eq(blkif_st_str(BLKIF_ST_NONE | BLKIF_ST_ERROR, b, sizeof(b)), "error|none");
	ck_assert_str_eq(blkif_st_str(0, b, sizeof(b)), "-");
	ck_assert_str_eq(blkif_st_str(BLKIF_ST_FAILED, b, 8),
			 "eopnots"); /* truncated, terminated */
}
END_TEST

START_TEST(test_json_str)
{
	static const char *const in[] = {"plain", "q\"uote\\back", "nl\nx\ttab\x01", "",
					 "utf8 \xc3\xa9"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	json_t *j;
	json_error_t e;

	for (unsigned i = 0; i < ARRAY_SIZE(in); i++) {
		f = open_memstream(&buf, &len);
		blkif_json_str(f, in[i]);
		fclose(f);
		j = json_loads(buf, JSON_DECODE_ANY, &e);
		ck_assert_msg(j, "%s: %s", buf, e.text);
		ck_assert_str_eq(json_string_value(j), in[i]);
		json_decref(j);
		free(buf);
		buf = NULL;
	}
}
END_TEST

/* splitmix64 reference outputs for seed 0 (Vigna's splitmix64.c). */
START_TEST(test_splitmix)
{
	uint64_t s = 0, t = 0;

	ck_assert_uint_eq(blkif_splitmix64(&s), 0xe220a8397b1dcdafull);
	ck_assert_uint_eq(blkif_splitmix64(&s), 0x6e789e6aa1b965f4ull);
	ck_assert_uint_eq(blkif_splitmix64(&s), 0x06c45d188009454full);
	for (int i = 0; i < 3; i++)
		blkif_splitmix64(&t);
	ck_assert_uint_eq(s, t); /* the state alone decides the stream */
}
END_TEST

/* ---- the recorded real run ---- */

static json_t *load_run(void)
{
	json_error_t e;
	json_t *j = json_load_file(DATA "real-run.json", 0, &e);

	ck_assert_msg(j, "%s:%d: %s", DATA "real-run.json", e.line, e.text);
	return j;
}

START_TEST(test_real_run)
{
	json_t *j = load_run(), *checks = json_object_get(j, "checks"), *c;
	json_t *sum = json_object_get(j, "summary");
	unsigned count[5] = {0};
	size_t i;
	int bad = 0;

	ck_assert_str_eq(json_string_value(json_object_get(j, "schema")), "pvbench-blkif/1");
	ck_assert_uint_eq(json_array_size(checks), BLKIF_CK_COUNT);
	json_array_foreach(checks, i, c)
	{
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *res = json_string_value(json_object_get(c, "result"));
		int k;

		/* same checks in the same order as the table */
		ck_assert_str_eq(name, blkif_checks[i].name);
		ck_assert_str_eq(json_string_value(json_object_get(c, "source")),
				 blkif_checks[i].source);
		for (k = 0; k < 5; k++)
			if (!strcmp(res, blkif_result_str(k)))
				break;
		ck_assert_msg(k < 5, "%s: result '%s'", name, res);
		count[k]++;
		if (k == BLKIF_FAIL || k == BLKIF_ERROR)
			bad = 1;
	}
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "pass")), count[BLKIF_PASS]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "warn")), count[BLKIF_WARN]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "fail")), count[BLKIF_FAIL]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "error")), count[BLKIF_ERROR]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "skip")), count[BLKIF_SKIP]);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "exit_status")), bad);
	json_decref(j);
}
END_TEST

/* The statuses recorded for single-request checks, judged again by today's rules,
 * give the recorded result (unless the program overrode it: data compare,
 * liveness, or an unadvertised flush). */
START_TEST(test_real_run_rejudged)
{
	json_t *j = load_run(), *c;
	size_t i;
	unsigned rejudged = 0;

	json_array_foreach(json_object_get(j, "checks"), i, c)
	{
		const char *act = json_string_value(json_object_get(c, "actual"));
		const char *res = json_string_value(json_object_get(c, "result"));
		const char *detail = json_string_value(json_object_get(c, "detail"));
		const struct blkif_check *ck = &blkif_checks[i];
		unsigned got = 0;
		char tmp[64];

		if (!strcmp(res, "skip") || (ck->accept & BLKIF_ST_OKAY) ||
		    strstr(detail, "stopped") || strstr(detail, "written"))
			continue;
		snprintf(tmp, sizeof(tmp), "%s", act);
		for (char *t = strtok(tmp, "|"); t; t = strtok(NULL, "|"))
			for (unsigned b = 0; b < 5; b++) {
				char n[16];

				if (!strcmp(t, blkif_st_str(1u << b, n, sizeof(n))))
					got |= 1u << b;
			}
		ck_assert_str_eq(blkif_result_str(blkif_judge(ck, got)), res);
		rejudged++;
	}
	ck_assert_uint_ge(rejudged, 10);
	json_decref(j);
}
END_TEST

static Suite *blkif_suite(void)
{
	Suite *s = suite_create("blkif");
	TCase *core = tcase_create("core"), *ring = tcase_create("ring");
	TCase *table = tcase_create("checks"), *rec = tcase_create("recorded");

	tcase_add_test(core, test_sizes);
	tcase_add_test(core, test_encode_rw);
	tcase_add_test(core, test_request_sectors);
	tcase_add_test(core, test_encode_indirect);
	tcase_add_test(core, test_encode_discard_flush);
	tcase_add_test(core, test_response_faults);
	tcase_add_test(core, test_tap_line);
	tcase_add_test(core, test_st_str);
	tcase_add_test(core, test_json_str);
	tcase_add_test(core, test_splitmix);
	suite_add_tcase(s, core);

	tcase_add_loop_test(ring, test_ring_free_and_wrap, 0, ARRAY_SIZE(starts));
	tcase_add_test(ring, test_ring_notify);
	tcase_add_test(ring, test_ring_overrun);
	suite_add_tcase(s, ring);

	tcase_add_test(table, test_table);
	tcase_add_test(table, test_sources);
	tcase_add_loop_test(table, test_citations, 0, ARRAY_SIZE(cites));
	tcase_add_loop_test(table, test_judge, 0, ARRAY_SIZE(judgements));
	suite_add_tcase(s, table);

	tcase_add_test(rec, test_real_run);
	tcase_add_test(rec, test_real_run_rejudged);
	suite_add_tcase(s, rec);
	return s;
}

int main(void)
{
	return test_run_suite(blkif_suite());
}
