/* slots.c: the domUs of the current boot (run_int.h). Variants that differ only in
 * guest-scope keys each get their own domU, created at first use and kept for the
 * boot, so interleaved repetitions switch guests for free. */
#include "run_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dom0 block device backing the domU's xvda, per guest.disk (brd, null_blk, file). */
static int prepare_disk(struct run_state *st, const struct variant *v, size_t k, char *target,
			size_t len)
{
	const char *kind = variant_get(&st->sc, v, "guest", "disk");
	long mib = run_long(st, v, "guest", "disk_size");

	if (!kind || !strcmp(kind, "brd")) {
		snprintf(target, len, "/dev/ram%zu", k);
		return 0;
	}
	if (!strcmp(kind, "null_blk")) {
		snprintf(target, len, "/dev/nullb%zu", k);
		return run_sh(st, 0, 30, NULL,
				  "test -b /dev/nullb0 || modprobe null_blk nr_devices=%d gb=%ld "
				  "memory_backed=1 queue_mode=2",
				  MAX_GUESTS, (mib + 1023) / 1024);
	}
	snprintf(target, len, "/var/lib/pvbench/work/disk%zu.img", k);
	return run_sh(st, 0, 30, NULL, "truncate -s %ldM %s", mib, target);
}

/* The slot for v: its running domU if one was created for v's guest key, else a
 * free (or the least recently used) slot, with *create set. */
struct slot *slot_for(struct run_state *st, const struct sbuf *key, bool *create)
{
	struct slot *best = NULL;

	*create = true;
	for (size_t i = 0; i < MAX_GUESTS; i++) {
		struct slot *sl = &st->slots[i];

		if (sl->up && !strcmp(sl->key.buf ? sl->key.buf : "", key->buf ? key->buf : "")) {
			*create = sl->broken;
			return sl;
		}
		if (!best || (best->up && (!sl->up || sl->last_used < best->last_used)))
			best = sl;
	}
	return best;
}

void slot_destroy(struct run_state *st, struct slot *sl)
{
	if (sl->up && !st->m.dead)
		st->io->guest_destroy(st, &sl->g);
	sl->up = sl->broken = false;
}

static int guest_create_in(struct run_state *st, const struct variant *v, struct slot *sl)
{
	struct sbuf extra = { 0 }, xl = { 0 };
	size_t k = (size_t)(sl - st->slots);
	char target[128], name[32], ip[32];
	struct guest_cfg c = { .name = name, .ip = ip, .ready_timeout_s = 240 };
	int rc;

	snprintf(name, sizeof(name), "pvbench-domU%zu", k + 1);
	snprintf(sl->ip, sizeof(sl->ip), "10.0.0.%zu", k + 2);
	snprintf(ip, sizeof(ip), "%s/24", sl->ip);
	rc = prepare_disk(st, v, k, target, sizeof(target));
	if (rc)
		return rc;
	variant_cmdline(&st->sc, v, DOM_DOMU, &extra);
	variant_xl_config(v, &xl);
	c.type = variant_get(&st->sc, v, "guest", "type");
	c.vcpus = (int)run_long(st, v, "guest", "vcpus");
	c.memory_mib = (int)run_long(st, v, "guest", "memory");
	c.n_vifs = (int)run_long(st, v, "guest", "vifs");
	c.mtu = (int)run_long(st, v, "guest", "mtu");
	c.disk_target = target;
	c.extra = extra.len ? extra.buf : NULL;
	c.xl_extra = xl.len ? xl.buf : NULL;
	pvb_info("[%6.1f s] creating %s (xvda on %s) for variant %s", machine_time(&st->m), name,
		 target, v->name);
	rc = st->io->guest_create(st, &c, &sl->g);
	sb_free(&extra);
	sb_free(&xl);
	return rc;
}

/* The domU for v's guest key plus `role` ("" for the measured domU, "peer" for the
 * second domU of a guest-to-guest workload): the one already running for that key,
 * or a new one (*setup says which). When creating fails with other domUs up (Xen may
 * be short of memory), those are destroyed and creation is tried once more. The
 * measured domU's evidence is collected when it is created. */
int slot_get(struct run_state *st, const struct variant *v, const char *role,
		    struct slot **out, const char **setup)
{
	struct sbuf key = { 0 };
	struct slot *sl;
	bool create;
	int rc = 0;

	variant_scope_key(&st->sc, v, SCOPE_GUEST, &key);
	if (*role)
		sb_printf(&key, "\nrole=%s", role);
	sl = slot_for(st, &key, &create);
	*out = sl;
	*setup = "same domU";
	if (create) {
		slot_destroy(st, sl);
		rc = guest_create_in(st, v, sl);
		if (rc == -EIO) {
			for (size_t i = 0; i < MAX_GUESTS; i++)
				if (&st->slots[i] != sl && st->slots[i].up &&
				    (!st->cur || &st->slots[i] != st->cur)) {
					pvb_warn("destroying %s to make room", st->slots[i].g.name);
					slot_destroy(st, &st->slots[i]);
				}
			rc = guest_create_in(st, v, sl);
		}
		sl->up = rc == 0;
		*setup = "new domU";
		sb_reset(&sl->key);
		sb_puts(&sl->key, key.buf ? key.buf : "");
	}
	sl->last_used = pvb_now();
	sb_free(&key);
	return rc;
}

/* Makes st->cur the measured domU for v (see slot_get). */
int slot_measured(struct run_state *st, const struct variant *v)
{
	struct slot *sl;
	int rc;

	st->cur = NULL;
	rc = slot_get(st, v, "", &sl, &st->setup);
	st->cur = sl;
	if (!rc && !strcmp(st->setup, "new domU"))
		evidence_collect(st, v);
	return rc;
}

void slots_reset(struct run_state *st)
{
	for (size_t i = 0; i < MAX_GUESTS; i++) {
		st->slots[i].up = st->slots[i].broken = false;
		sb_free(&st->slots[i].key);
		json_decref(st->slots[i].evidence);
		st->slots[i].evidence = NULL;
	}
	json_decref(st->dom0.evidence);
	st->dom0.evidence = NULL;
	st->cur = NULL;
}
