/* output.c: the writers of pvbench-blkif's results: TAP 13 (the default, YAML
 * blocks for failures) and one JSON document with --json (schema pvbench-blkif/1). */
#include "blkif_guest.h"

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

void print_tap(const struct outcome *out, const struct fuzz *f, const unsigned *sum)
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

void print_json(const struct outcome *out, const struct fuzz *f, const unsigned *sum, int status)
{
	const struct vbd *v = &blkif_front.rw;
	char exp[140], act[64];

	printf("{\"schema\":\"pvbench-blkif/1\",\"vdev\":%u,\"ro_vdev\":%ld,", v->vdev,
	       blkif_front.opts.ro_vdev);
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
