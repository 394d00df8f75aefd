/* fuzz.c: the fuzzer of pvbench-blkif: a stream of valid requests with 1-2 defects
 * each (seeded, reproducible with --seed), sent one at a time on the rw vbd; counts
 * the statuses, keeps examples of malformed requests answered OKAY and stops at the
 * first one the backend does not answer (a hang). */
#include "blkif_guest.h"

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
	r->sector_number =
	    rnd(f, 2) ? blkif_front.rw.sectors + rnd(f, 1u << 20) : UINT64_MAX - rnd(f, 64);
}
static void mut_gref(struct fuzz *f, struct blkif_request *r)
{
	any_seg(f, r)->gref = 0x100000 + rnd(f, 0xefffff);
}
static void mut_indirect(struct fuzz *f, struct blkif_request *r)
{
	const struct vbd *v = &blkif_front.rw;
	unsigned max = v->max_indirect > 0 ? (unsigned)v->max_indirect : 0;
	struct blkif_request_segment *d = (struct blkif_request_segment *)v->ind;

	for (unsigned i = 0; i < BLKIF_SEGS_PER_INDIRECT_PAGE; i++)
		d[i] = blkif_seg(v->data_ref[i % 16], 0, 7);
	if (rnd(f, 2))
		blkif_encode_indirect(r, 2 + rnd(f, 254), 0, 0, TEST_SECTOR, 1 + rnd(f, 16),
				      &v->ind_ref, 1); /* indirect_op neither read nor write */
	else
		blkif_encode_indirect(r, BLKIF_OP_READ, 0, 0, TEST_SECTOR,
				      max + 1 + rnd(f, BLKIF_SEGS_PER_INDIRECT_PAGE - max),
				      &v->ind_ref, 1);
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

		s[i] = blkif_seg(blkif_front.rw.data_ref[rnd(f, 16)], first,
				 first + rnd(f, 8 - first));
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

void fuzz_run(struct fuzz *f)
{
	struct blkif_request r;
	char why[64], detail[200], h[2 * sizeof(r) + 1];

	f->rng = f->seed;
	guest_note(PROG, "fuzz: seed %" PRIu64 ", %ld requests", f->seed, f->n);
	for (f->sent = 0; f->sent < f->n && blkif_front.rw.connected; f->sent++) {
		unsigned st, b;

		fuzz_request(f, &r, why, sizeof(why));
		detail[0] = '\0';
		st = send_for_status(&blkif_front.rw, &r, detail, sizeof(detail), false);
		for (b = 0; b < 5; b++)
			if (st & (1u << b))
				f->st[b]++;
		if (st == BLKIF_ST_OKAY && f->accepted++ < 3)
			snprintf(f->accepted_ex[f->accepted - 1], sizeof(f->accepted_ex[0]),
				 "request %ld (%s) answered OKAY", f->sent, why);
		if (st == BLKIF_ST_NONE || !vbd_alive(&blkif_front.rw, detail, sizeof(detail))) {
			f->hang = true;
			hex(&r, sizeof(r), h, sizeof(h));
			snprintf(f->hang_detail, sizeof(f->hang_detail),
				 "seed %" PRIu64 " request %ld (%s): %s; request bytes %s", f->seed,
				 f->sent, why, detail, h);
			f->sent++;
			return;
		}
	}
}
