/* blkif_guest.h: what the parts of pvbench-blkif share (private to
 * drivers/blkif/guest): the frontend's state (one connected vbd, the program's
 * options and handles in blkif_front), a check's outcome, the fuzzer's tallies, and
 * the functions that main.c (options, messages), frontend.c (xenstore, connection,
 * requests), checks.c (the check table), fuzz.c (malformed requests) and output.c
 * (TAP and JSON) call in one another. */
#ifndef PVBENCH_BLKIF_GUEST_H
#define PVBENCH_BLKIF_GUEST_H

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
#include "pvbench/guest_cli.h"

#define PROG "pvbench-blkif"

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
	blkif_front_ring_t front_ring;
	uint8_t *data, *ro_page, *ind; /* NDATA rw pages, 1 ro page, 1 indirect page */
	grant_ref_t data_ref[NDATA], ro_ref, ind_ref;
	uint64_t sectors;
	unsigned sector_size, phys_sector_size, info;
	int flush, discard, max_indirect; /* -1: key absent */
};

struct blkif_opts {
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

/* The whole program's state, blkif_front: handles, options, the read-write and
 * read-only vbds, the next request id and the tally of operation echoes
 * (blkif.response.operation). */
struct blkif_guest {
	struct xs_handle *xs;
	xenevtchn_handle *xce;
	xengntshr_handle *xgs;
	struct blkif_opts opts;
	struct vbd rw, ro;
	uint64_t next_id;
	unsigned echo_n, echo_bad; /* responses checked for operation, wrong ones */
	char echo_detail[160];
};
extern struct blkif_guest blkif_front;

/* The fuzzer's settings (--fuzz, --seed) and what it saw. */
struct fuzz {
	uint64_t seed, rng;
	long n, sent;
	unsigned st[5];	   /* per status bit: eopnotsupp, error, okay, none, other */
	unsigned accepted; /* OKAY answers to malformed requests */
	char accepted_ex[3][200];
	bool hang;
	char hang_detail[400];
};

/* main.c: options and messages */

/* "pvbench-blkif: <message>" on stderr, then exit 1. */
#define die(...) guest_die(PROG, __VA_ARGS__)
/* Appends to the NUL-terminated buf of n bytes, "; " between parts. */
void addf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* frontend.c: xenstore, the xenbus connection and requests on the ring */

/* The integer at dir/key, or dflt when absent or not a number. */
int xs_int_or(const char *dir, const char *key, int dflt);
/* The backend's xenbus state, -1 when unreadable. */
int be_state(const struct vbd *v);
/* Reads vbd vdev's backend path and domain and shares its data pages with that
 * domain: 0, or -ENOENT with the reason in v->why. */
int vbd_open(struct vbd *v, unsigned vdev);
/* Connects v as the frontend (blkif.h:464-535): 0, or a negative errno with the
 * reason in v->why. */
int vbd_connect(struct vbd *v);
/* Closes the connection: frontend Closing then Closed, each time waiting for the
 * backend to follow; frees the ring and event channel. 0 or -ETIMEDOUT. */
int vbd_close(struct vbd *v);
/* Unshares the data pages vbd_open() shared. */
void vbd_free(struct vbd *v);
/* The next free request slot on v's ring; dies when the ring is full. */
struct blkif_request *ring_next_request(struct vbd *v);
/* Pushes the requests and notifies the backend when ring.h says so. */
void ring_push_notify(struct vbd *v);
/* Collects up to n responses into rsp within ms; returns how many arrived. */
unsigned ring_collect(struct vbd *v, struct blkif_response *rsp, unsigned n, long ms);
/* A fresh request id. */
uint64_t next_request_id(void);
/* Sends *r with a fresh id (written to r->id) and waits --timeout for its response
 * in *rsp; false when none came. */
bool send_wait(struct vbd *v, struct blkif_request *r, struct blkif_response *rsp);
/* Sends *tmpl with a fresh id and waits for the response: its status bit
 * (BLKIF_ST_NONE on timeout); faults go to detail; see frontend.c. */
unsigned send_for_status(struct vbd *v, const struct blkif_request *tmpl, char *detail, size_t n,
			 bool count_echo);
/* A direct read or write of nsec (1-8) sectors at sector, one page. */
void encode_rw_page(struct blkif_request *r, uint8_t op, grant_ref_t gref, uint64_t sector,
		    unsigned nsec);
/* True when v (and the other vbd, when connected) still serve; says why not in detail. */
bool vbd_alive(struct vbd *v, char *detail, size_t n);

/* checks.c: runs check i of blkif_checks if --checks selects it. */
void run_check(int i, struct outcome *o);
/* fuzz.c: sends f->n malformed requests on the rw vbd, stopping at a hang. */
void fuzz_run(struct fuzz *f);
/* output.c: the results as TAP 13 or as one JSON document (pvbench-blkif/1). */
void print_tap(const struct outcome *out, const struct fuzz *f, const unsigned *sum);
void print_json(const struct outcome *out, const struct fuzz *f, const unsigned *sum, int status);

#endif
