/* check_scenario.c: tests of scenario files (scenario.c): the shipped scenarios and
 * the files in data/scenarios/good load with the values they say; every file in
 * data/scenarios/bad fails with exactly its message from the table below; limits;
 * scenarios/README.md matches `pvbench list --keys --format md`. Run from the
 * repository root. */
#include "pvbench/commands.h"
#include "pvbench/plan.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GOOD "harness/tests/data/scenarios/good/"
#define BAD "harness/tests/data/scenarios/bad/"

/* Each bad file and the message scenario_load() gives, after "BAD<file>". */
static const struct {
	const char *file, *msg;
} bad_cases[] = {
	{ "bad-bool.ini",
	  ":6: invalid value 'maybe' for 'direct' in [workload] (expected true or false)" },
	{ "bad-duration.ini",
	  ":6: invalid value '10x' for 'runtime' in [workload] (expected a duration from 1s "
	  "to 24h)" },
	{ "bad-enum.ini",
	  ":3: invalid value 'sorted' for 'order' in [scenario] (expected one of "
	  "interleaved, random, blocked)" },
	{ "bad-evidence-key.ini",
	  ":8: invalid evidence name 'frontend.ring page order' in [variant a] (expected "
	  "frontend.<key>)" },
	{ "bad-evidence-param.ini",
	  ":8: invalid evidence name 'domU_param.xen_blkfront.max_queue' in [variant a] "
	  "(expected domU_param.<module>.<param> of a known parameter)" },
	{ "bad-expect-value.ini",
	  ":8: invalid value 'two' for 'expect.mq_queues' in [variant a] (expected an "
	  "integer or absent)" },
	{ "bad-int.ini",
	  ":6: invalid value '0' for 'iodepth' in [workload] (expected an integer from 1 to "
	  "4096)" },
	{ "bad-list.ini",
	  ":3: invalid value 'blk,,nightly' for 'tags' in [scenario] (expected "
	  "comma-separated names)" },
	{ "bad-name.ini",
	  ":2: invalid value 'my scenario' for 'name' in [scenario] (expected a name of "
	  "1-32 characters from A-Z a-z 0-9 . _ -)" },
	{ "bad-override-value.ini",
	  ":8: invalid value '4x' for 'workload.bs' in [variant a] (expected a size from "
	  "512 to 64M, a multiple of 512)" },
	{ "bad-override.ini",
	  ":8: unknown key 'machine.vcpu' in [variant a] (did you mean 'machine.vcpus'?)" },
	{ "bad-param-bool.ini",
	  ":8: invalid value 'true' for 'domU.xen_blkfront.feature_persistent' in [variant "
	  "a] (expected 0, 1, Y or N)" },
	{ "bad-param-key.ini",
	  ":8: invalid key 'domU.max_queues' in [variant a] (expected domU.<module>.<param>)" },
	{ "bad-param-value.ini",
	  ":8: invalid value '5' for 'domU.xen_blkfront.max_ring_page_order' in [variant a] "
	  "(expected an integer from 0 to 4)" },
	{ "bad-section-header.ini",
	  ":4: invalid section header" },
	{ "bad-size.ini",
	  ":6: invalid value '1000' for 'bs' in [workload] (expected a size from 512 to "
	  "64M, a multiple of 512)" },
	{ "bad-utf8.ini",
	  ":3: invalid UTF-8" },
	{ "bad-variant-name.ini",
	  ":7: invalid variant name 'a/b' (expected 1-32 characters from A-Z a-z 0-9 . _ -)" },
	{ "control-char.ini",
	  ":3: control character in the value of 'description' in [scenario]" },
	{ "duplicate-key.ini",
	  ":7: duplicate key 'iodepth' in [workload] (first set on line 6)" },
	{ "duplicate-section.ini",
	  ":7: duplicate section '[scenario]' (first on line 1)" },
	{ "duplicate-variant.ini",
	  ":8: duplicate section '[variant a]' (first on line 7)" },
	{ "empty-expect-value.ini",
	  ":8: invalid value '' for 'expect.frontend.feature-persistent' in [variant a] "
	  "(expected a value or absent)" },
	{ "empty-key.ini",
	  ":2: missing key name before '='" },
	{ "empty.ini",
	  ": missing required key 'name' in [scenario]" },
	{ "evtchn-unknown-key.ini",
	  ":6: unknown key 'round_trip' in [workload] (did you mean 'round_trips'?)" },
	{ "iperf3-fio-key.ini",
	  ":7: key 'iodepth' in [workload] belongs to workload 'fio', not 'iperf3'" },
	{ "iperf3-seconds.ini",
	  ":6: invalid value '1500ms' for 'duration' in [workload] (expected a duration from "
	  "1s to 24h, in whole seconds)" },
	{ "iperf3-unknown-key.ini",
	  ":6: unknown key 'paralel' in [workload] (did you mean 'parallel'?)" },
	{ "key-outside-section.ini",
	  ":1: key 'name' outside any section" },
	{ "clock-in-variant.ini",
	  ":11: 'machine.clock' in [variant host] is the same for every variant of a run (runs "
	  "of different clocks are not compared): set it in [machine]" },
	{ "long-line.ini",
	  ":3: line too long (max 198 characters)" },
	{ "missing-required.ini",
	  ":4: missing required key 'rw' in [workload]" },
	{ "nul-byte.ini",
	  ":2: NUL byte in line" },
	{ "rule-detect.ini",
	  ":4: scenario.detect '2' is not a percentage above 0 and at most 100 (e.g. 2%)" },
	{ "rule-disk.ini",
	  ":8: guest.disk_size (768 MiB) leaves less than 512 MiB of machine.dom0_mem (1024 "
	  "MiB)" },
	{ "rule-dom0-vcpus.ini",
	  ":6: machine.dom0_vcpus (4) exceeds machine.vcpus (2)" },
	{ "rule-in-variant.ini",
	  ":11: machine.dom0_mem (2048 MiB) + guest.memory (8192 MiB) leave Xen less than "
	  "256 MiB of machine.memory (6144 MiB) in [variant big]" },
	{ "rule-iperf3-length.ini",
	  ":11: workload.length (65536 bytes) must be 16 to 65507 bytes with protocol = udp in "
	  "[variant b]" },
	{ "rule-iperf3-timeout.ini",
	  ":8: scenario.timeout (30s) must exceed workload.omit + workload.duration (30s) and "
	  "scenario.quick_runtime (3s)" },
	{ "rule-memory.ini",
	  ":8: machine.dom0_mem (2048 MiB) + guest.memory (2048 MiB) leave Xen less than "
	  "256 MiB of machine.memory (4096 MiB)" },
	{ "rule-primary.ini",
	  ":4: scenario.primary: 'read_iops' is not a metric of workload iperf3 (see 'pvbench "
	  "list')" },
	{ "rule-rwmixread.ini",
	  ":6: workload.rwmixread applies only to rw = rw, readwrite or randrw" },
	{ "rule-size.ini",
	  ":9: workload.size (128M) exceeds guest.disk_size (64 MiB)" },
	{ "rule-timeout.ini",
	  ":8: scenario.timeout (10s) must exceed workload.ramp_time + workload.runtime "
	  "(10s) and scenario.quick_runtime (3s)" },
	{ "scenario-override.ini",
	  ":8: [scenario] keys are the same for every variant: 'scenario.repetitions' in "
	  "[variant a]" },
	{ "syntax-error.ini",
	  ":6: expected 'key = value', '[section]' or a comment" },
	{ "text-after-section.ini",
	  ":4: unexpected text after section header" },
	{ "two-baselines.ini",
	  ":11: more than one baseline: variants 'a' and 'b'" },
	{ "unknown-evidence.ini",
	  ":8: unknown evidence 'mq_queue' in [variant a] (did you mean 'mq_queues'?)" },
	{ "unknown-key.ini",
	  ":6: unknown key 'iodeth' in [workload] (did you mean 'iodepth'?)" },
	{ "unknown-module.ini",
	  ":8: unknown module 'xen_blkfrnt' in 'domU.xen_blkfrnt.max_queues' in [variant a] "
	  "(did you mean 'xen_blkfront'?)" },
	{ "unknown-param.ini",
	  ":8: unknown parameter 'max_queue' of module 'xen_blkfront' in [variant a] (did "
	  "you mean 'max_queues'?)" },
	{ "unknown-section.ini",
	  ":4: unknown section '[worklaod]' (did you mean 'workload'?)" },
	{ "unknown-variant-key.ini",
	  ":8: unknown key 'domu.xen_blkfront.max_queues' in [variant a] (did you mean "
	  "'domU.xen_blkfront.max_queues'?)" },
	{ "variant-no-name.ini",
	  ":7: variant section needs a name: [variant NAME]" },
	{ "wrong-domain-param.ini",
	  ":8: 'xen_blkback.max_queues' is a dom0 parameter (use "
	  "'dom0.xen_blkback.max_queues') in [variant a]" },
	{ "xl-bad-key.ini",
	  ":8: invalid xl key 'Max-Grant' in [variant a]" },
	{ "xl-reserved-name.ini",
	  ":8: xl key 'kernel' is set by pvbench in [variant a]" },
	{ "xl-reserved.ini",
	  ":8: xl key 'vcpus' is set by pvbench (use 'guest.vcpus') in [variant a]" },
};

static struct scenario sc;

static void load_ok(const char *path)
{
	struct sbuf err = { 0 };
	int rc = scenario_load(path, &sc, &err);

	ck_assert_msg(rc == 0, "%s: %s", path, err.buf ? err.buf : "?");
	ck_assert_uint_eq(err.len, 0);
	sb_free(&err);
}

static void teardown(void)
{
	scenario_free(&sc);
}

static const char *get(const char *section, const char *key)
{
	return scenario_get(&sc, section, key);
}

static long get_long(const struct variant *v, const char *section, const char *key)
{
	long n = -1;

	ck_assert_int_eq(scenario_get_long(&sc, v, section, key, &n), 0);
	return n;
}

/* ---- core ---- */

START_TEST(test_minimal_defaults)
{
	load_ok(GOOD "minimal.ini");
	ck_assert_str_eq(get("scenario", "name"), "minimal");
	ck_assert_str_eq(get("scenario", "workload"), "fio");
	ck_assert_str_eq(get("scenario", "order"), "interleaved");
	ck_assert_ptr_null(get("scenario", "seed"));
	ck_assert_str_eq(get("machine", "memory"), "6144");
	ck_assert_str_eq(get("guest", "type"), "pv");
	ck_assert_str_eq(get("workload", "ioengine"), "libaio");
	ck_assert_ptr_null(get("workload", "size"));
	ck_assert_ptr_null(get("workload", "nosuchkey"));
	ck_assert_int_eq(get_long(NULL, "scenario", "repetitions"), 3);
	ck_assert_int_eq(get_long(NULL, "scenario", "timeout"), 300000);
	ck_assert_int_eq(get_long(NULL, "workload", "runtime"), 10000);
	ck_assert_int_eq(get_long(NULL, "workload", "bs"), 4096);
	ck_assert_int_eq(get_long(NULL, "workload", "direct"), 1);
	ck_assert_int_eq(sc.n_variants, 1);
	ck_assert_str_eq(sc.variants[0].name, "default");
	ck_assert(sc.variants[0].baseline);
	ck_assert_int_eq(sc.baseline, 0);
	ck_assert_ptr_nonnull(strstr(sc.text, "rw = randread"));
}
END_TEST

START_TEST(test_full_values)
{
	long n;

	load_ok(GOOD "full.ini");
	ck_assert_str_eq(get("scenario", "description"), "Every kind of key");
	ck_assert_str_eq(get("scenario", "tags"), "blk , nightly,x");
	ck_assert_int_eq(get_long(NULL, "scenario", "quick_runtime"), 1500);
	ck_assert_int_eq(get_long(NULL, "workload", "ramp_time"), 500);
	ck_assert_int_eq(get_long(NULL, "workload", "size"), 128L << 20);
	ck_assert_int_eq(get_long(NULL, "workload", "direct"), 0);
	ck_assert_str_eq(get("guest", "disk"), "null_blk");
	ck_assert_int_eq(scenario_get_long(&sc, NULL, "workload", "rw", &n), -EINVAL);
	ck_assert_int_eq(scenario_get_long(&sc, NULL, "workload", "nope", &n), -ENOENT);
	ck_assert_int_eq(sc.n_variants, 4);
	ck_assert_str_eq(sc.variants[0].name, "base");
	ck_assert_str_eq(sc.variants[2].name, "guest");
	ck_assert_int_eq(sc.baseline, 1);
	ck_assert(!sc.variants[0].baseline && sc.variants[1].baseline);
	ck_assert(!sc.variants[2].baseline && !sc.variants[3].baseline);
}
END_TEST

START_TEST(test_full_variants)
{
	const struct variant *guest, *dom0q1;

	load_ok(GOOD "full.ini");
	guest = scenario_find_variant(&sc, "guest");
	dom0q1 = scenario_find_variant(&sc, "dom0q1");
	ck_assert_ptr_nonnull(guest);
	ck_assert_ptr_null(scenario_find_variant(&sc, "nope"));
	ck_assert_int_eq(guest->n_ov, 7);
	ck_assert_int_eq(guest->n_ex, 2);
	ck_assert_str_eq(guest->ex[0].name, "frontend.queue-0/ring-ref");
	ck_assert_str_eq(guest->ex[0].value, "absent");
	ck_assert_str_eq(variant_override(guest, "xl.max_grant_frames"), "64");
	ck_assert_str_eq(variant_get(&sc, guest, "guest", "vcpus"), "1");
	ck_assert_str_eq(variant_get(&sc, dom0q1, "guest", "vcpus"), "2");
	ck_assert_int_eq(get_long(guest, "workload", "runtime"), 5000);
	ck_assert_int_eq(get_long(guest, "workload", "iodepth"), 1);
	ck_assert_int_eq(get_long(dom0q1, "workload", "iodepth"), 8);
	ck_assert_int_eq(guest->ov[0].scope, SCOPE_GUEST);
	ck_assert_int_eq(guest->ov[5].scope, SCOPE_RUN);
	ck_assert_int_eq(dom0q1->ov[0].scope, SCOPE_BOOT);
	ck_assert(!variant_needs_reboot(&sc.variants[0]));
	ck_assert(variant_needs_reboot(dom0q1));
	ck_assert(!variant_needs_reboot(guest));
	ck_assert(variant_needs_reboot(&sc.variants[3]));
}
END_TEST

START_TEST(test_shipped)
{
	static const char *const files[] = { "smoke", "blk-mq", "blk-ring", "blk-persistent",
					     "blk-indirect" };
	char path[64];

	snprintf(path, sizeof(path), "scenarios/%s.ini", files[_i]);
	load_ok(path);
	ck_assert_str_eq(get("scenario", "name"), files[_i]);
	ck_assert_int_ge(sc.n_variants, 2);
	for (size_t v = 0; v < sc.n_variants; v++) {
		ck_assert_msg(sc.variants[v].n_ex > 0, "%s: variant %s has no expectations", path,
			      sc.variants[v].name);
		ck_assert(!variant_needs_reboot(&sc.variants[v]));
	}
}
END_TEST

START_TEST(test_smoke_is_quick)
{
	load_ok("scenarios/smoke.ini");
	ck_assert_int_eq(get_long(NULL, "scenario", "repetitions"), 2);
	ck_assert_int_eq(get_long(NULL, "workload", "runtime"), 3000);
	ck_assert_str_eq(sc.variants[0].name, "1q");
	ck_assert_str_eq(variant_override(&sc.variants[1], "domU.xen_blkfront.max_queues"), "2");
}
END_TEST

START_TEST(test_key_tables)
{
	const struct scenario_key *k;
	size_t n, i;

	for (i = 0; (k = scenario_key_at(i)); i++) {
		ck_assert_ptr_eq(scenario_key_find(k->section, k->name), k);
		ck_assert_msg(k->doc && *k->doc && k->example, "%s.%s lacks docs", k->section, k->name);
	}
	ck_assert_uint_eq(i, scenario_n_keys());
	ck_assert_ptr_null(scenario_key_find("workload", "name"));
	scenario_variant_keys(&n);
	ck_assert_uint_ge(n, 10);
	/* scenario.workload accepts exactly the registered workloads, names each in its
	 * doc, and each one's [workload] keys are rows of the key table */
	k = scenario_key_find("scenario", "workload");
	for (n = 0; workload_at(n); n++) {
		const struct workload_ops *wl = workload_at(n);

		ck_assert(scenario_value_ok(k, wl->name));
		ck_assert_msg(strstr(k->doc, wl->phrase), "doc lacks %s", wl->name);
		for (size_t j = 0; j < *wl->n_keys; j++) {
			const struct scenario_key *row;

			for (i = 0; (row = scenario_key_at(i)) && row != &wl->keys[j]; i++)
				;
			ck_assert_msg(row, "%s.%s is not in the key table", wl->name,
				      wl->keys[j].name);
		}
	}
	ck_assert_uint_ge(n, 5);
	ck_assert(!scenario_value_ok(k, "nosuch"));
	ck_assert_str_eq(scenario_type_name(ST_DURATION), "duration");
	ck_assert_ptr_nonnull(scenario_rule(0));
}
END_TEST

/* A minimal file with key k set to val in its section (and scenario.workload set
 * to k's workload when that is not fio, the default). */
static void file_with(struct sbuf *t, const struct scenario_key *k, const char *val)
{
	static const char *const sects[] = { "scenario", "machine", "guest", "workload" };
	static const char *const base[][2] = { { "name", "t" }, { NULL, NULL }, { NULL, NULL },
					       { "rw", "randrw" } };
	bool fio = !k->workload || !strcmp(k->workload, "fio");

	for (size_t s = 0; s < 4; s++) {
		bool mine = !strcmp(k->section, sects[s]);

		sb_printf(t, "[%s]\n", sects[s]);
		if (s == 0 && !fio)
			sb_printf(t, "workload = %s\n", k->workload);
		if (base[s][0] && (s < 3 || fio) && !(mine && !strcmp(k->name, base[s][0])))
			sb_printf(t, "%s = %s\n", base[s][0], base[s][1]);
		if (mine)
			sb_printf(t, "%s = %s\n", k->name, val);
	}
}

/* Every default and every example in the key table is itself a valid value, in
 * its section and (but [scenario]) as a variant override. */
START_TEST(test_examples_valid)
{
	const struct scenario_key *k = scenario_key_at(_i);
	struct sbuf t = { 0 }, err = { 0 };

	for (int pass = 0; pass < 2; pass++) {
		const char *val = pass ? k->example : k->def;

		if (!val)
			continue;
		sb_reset(&t);
		file_with(&t, k, val);
		sb_reset(&err);
		ck_assert_msg(!scenario_load_text("t.ini", t.buf, t.len, &sc, &err), "%s.%s = %s: %s",
			      k->section, k->name, val, err.buf);
		scenario_free(&sc);
		if (!strcmp(k->section, "scenario"))
			continue;
		sb_printf(&t, "[variant v]\n%s.%s = %s\n", k->section, k->name, val);
		sb_reset(&err);
		if (k->flags & SK_RUN_WIDE) { /* refused as an override */
			ck_assert_int_eq(scenario_load_text("t.ini", t.buf, t.len, &sc, &err),
					 -EINVAL);
			ck_assert_msg(err.buf && strstr(err.buf, "same for every variant"), "%s",
				      err.buf);
			continue;
		}
		ck_assert_msg(!scenario_load_text("t.ini", t.buf, t.len, &sc, &err), "%s.%s = %s: %s",
			      k->section, k->name, val, err.buf);
		scenario_free(&sc);
	}
	sb_free(&t);
	sb_free(&err);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_bad_file)
{
	struct sbuf err = { 0 };
	char path[256], want[512];
	int rc;

	snprintf(path, sizeof(path), BAD "%s", bad_cases[_i].file);
	snprintf(want, sizeof(want), "%s%s", path, bad_cases[_i].msg);
	rc = scenario_load(path, &sc, &err);
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_str_eq(err.buf, want);
	ck_assert_uint_eq(sc.n_variants, 0);
	ck_assert_ptr_null(sc.value);
	sb_free(&err);
}
END_TEST

/* Every file in bad/ has a row in bad_cases (and so an expected message). */
START_TEST(test_bad_files_listed)
{
	DIR *d = opendir(BAD);
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		bool found = false;

		if (e->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++)
			found |= !strcmp(bad_cases[i].file, e->d_name);
		ck_assert_msg(found, "%s has no expected message in bad_cases", e->d_name);
		n++;
	}
	closedir(d);
	ck_assert_uint_eq(n, ARRAY_SIZE(bad_cases));
}
END_TEST

START_TEST(test_missing_file)
{
	struct sbuf err = { 0 };

	ck_assert_int_eq(scenario_load(BAD "no-such-file.ini", &sc, &err), -ENOENT);
	ck_assert_str_eq(err.buf,
			 "cannot read '" BAD "no-such-file.ini': No such file or directory");
	ck_assert_int_eq(scenario_load(BAD, &sc, NULL), -EISDIR);
	sb_free(&err);
}
END_TEST

static void load_text_fails(const char *text, size_t len, const char *want)
{
	struct sbuf err = { 0 };

	ck_assert_int_eq(scenario_load_text("t.ini", text, len, &sc, &err), -EINVAL);
	ck_assert_str_eq(err.buf, want);
	sb_free(&err);
}

START_TEST(test_text_errors)
{
	static const char nul[] = "[scenario]\nname = a\0b\n";
	static const char crlf[] = "[scenario]\r\nname = t\r\n[workload]\r\nrw = read\r\n";
	static const char bom[] = "\xEF\xBB\xBF[scenario]\nname = t\n[workload]\nrw = read\n";
	static const char indented[] = "[scenario]\nname = t\n[workload]\nrw = read\n  [machine]\n"
				       "\tvcpus = x\n";

	load_text_fails(nul, sizeof(nul) - 1, "t.ini:2: NUL byte in line");
	load_text_fails(indented, strlen(indented),
			"t.ini:6: invalid value 'x' for 'vcpus' in [machine] (expected an integer "
			"from 1 to 64)");
	ck_assert_int_eq(scenario_load_text("t.ini", crlf, sizeof(crlf) - 1, &sc, NULL), 0);
	scenario_free(&sc);
	ck_assert_int_eq(scenario_load_text("t.ini", bom, sizeof(bom) - 1, &sc, NULL), 0);
	ck_assert_str_eq(get("scenario", "name"), "t");
}
END_TEST

/* ---- limits ---- */

static void variants_text(struct sbuf *t, int n)
{
	sb_puts(t, "[scenario]\nname = t\n[workload]\nrw = read\n");
	for (int i = 0; i < n; i++)
		sb_printf(t, "[variant v%d]\n", i);
}

START_TEST(test_max_variants)
{
	struct sbuf t = { 0 };

	variants_text(&t, SCENARIO_MAX_VARIANTS);
	ck_assert_int_eq(scenario_load_text("t.ini", t.buf, t.len, &sc, NULL), 0);
	ck_assert_uint_eq(sc.n_variants, SCENARIO_MAX_VARIANTS);
	scenario_free(&sc);
	sb_reset(&t);
	variants_text(&t, SCENARIO_MAX_VARIANTS + 1);
	load_text_fails(t.buf, t.len, "t.ini:69: too many variants (max 64)");
	sb_free(&t);
}
END_TEST

START_TEST(test_max_keys)
{
	struct sbuf t = { 0 };

	sb_puts(&t, "[scenario]\nname = t\n[workload]\nrw = read\n[variant a]\n");
	for (int i = 0; i < 2046; i++)
		sb_printf(&t, "expect.frontend.k%d = %d\n", i, i);
	ck_assert_int_eq(scenario_load_text("t.ini", t.buf, t.len, &sc, NULL), 0);
	ck_assert_uint_eq(sc.variants[0].n_ex, 2046);
	scenario_free(&sc);
	sb_puts(&t, "expect.frontend.last = 1\n");
	load_text_fails(t.buf, t.len, "t.ini:2052: too many keys (max 2048)");
	sb_free(&t);
}
END_TEST

START_TEST(test_line_length)
{
	struct sbuf t = { 0 };
	char value[256];

	memset(value, 'y', sizeof(value));
	/* "description = " is 14 characters: 198 in all is the longest line */
	sb_printf(&t, "[scenario]\nname = t\ndescription = %.*s\n[workload]\nrw = read\n", 184,
		  value);
	ck_assert_int_eq(scenario_load_text("t.ini", t.buf, t.len, &sc, NULL), 0);
	ck_assert_uint_eq(strlen(get("scenario", "description")), 184);
	scenario_free(&sc);
	sb_reset(&t);
	sb_printf(&t, "[scenario]\nname = t\ndescription = %.*s\n", 185, value);
	load_text_fails(t.buf, t.len, "t.ini:3: line too long (max 198 characters)");
	sb_free(&t);
}
END_TEST

START_TEST(test_file_too_large)
{
	size_t len = SCENARIO_MAX_BYTES + 1;
	char *big = malloc(len);

	ck_assert_ptr_nonnull(big);
	memset(big, '\n', len);
	load_text_fails(big, len, "t.ini: file too large (1048577 bytes, max 1048576)");
	free(big);
}
END_TEST

/* ---- the README ---- */

START_TEST(test_readme_current)
{
	char tmp[] = "/tmp/check_scenario_XXXXXX", *argv[] = { "list", "--keys", "--format", "md", NULL };
	int fd = mkstemp(tmp), saved = dup(1);
	char *want, *got;

	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	dup2(fd, 1);
	ck_assert_int_eq(cmd_list(4, argv), 0);
	fflush(stdout);
	dup2(saved, 1);
	close(fd);
	got = read_file(tmp, NULL);
	want = read_file("scenarios/README.md", NULL);
	unlink(tmp);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(want && !strcmp(want, got),
		      "scenarios/README.md is stale: build/pvbench list --keys --format md > "
		      "scenarios/README.md");
	free(want);
	free(got);
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, NULL, teardown);
	tcase_add_test(core, test_minimal_defaults);
	tcase_add_test(core, test_full_values);
	tcase_add_test(core, test_full_variants);
	tcase_add_loop_test(core, test_shipped, 0, 5);
	tcase_add_test(core, test_smoke_is_quick);
	tcase_add_test(core, test_key_tables);
	tcase_add_loop_test(core, test_examples_valid, 0, scenario_n_keys());
	tcase_add_test(core, test_readme_current);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(errors, NULL, teardown);
	tcase_add_loop_test(errors, test_bad_file, 0, ARRAY_SIZE(bad_cases));
	tcase_add_test(errors, test_bad_files_listed);
	tcase_add_test(errors, test_missing_file);
	tcase_add_test(errors, test_text_errors);
	suite_add_tcase(s, errors);

	tcase_add_checked_fixture(limits, NULL, teardown);
	tcase_add_test(limits, test_max_variants);
	tcase_add_test(limits, test_max_keys);
	tcase_add_test(limits, test_line_length);
	tcase_add_test(limits, test_file_too_large);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(scenario_suite());
}
