/* check_images.c: reading and validating build/images/manifest.json. Each case
 * writes a manifest and image files into a temporary directory. */
#include "pvbench/images.h"
#include "pvbench/util.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(write_file_atomic(path, text, strlen(text)), 0);
}

#define GOOD_MANIFEST                                                                              \
	"{\"schema\": \"pvbench-images/1\", \"kernel_abi\": \"6.1.0-56-amd64\","                   \
	" \"built_at\": \"2026-11-20T00:00:00Z\", \"build_seconds\": 120, \"input_hash\": \"ab\","  \
	" \"packages\": [{\"name\": \"fio\", \"version\": \"3.33-3\"}],"                            \
	" \"images\": {\"xen\": {\"file\": \"xen\", \"bytes\": 3},"                                  \
	" \"vmlinuz\": {\"file\": \"vmlinuz\", \"bytes\": 4},"                                       \
	" \"dom0\": {\"file\": \"dom0.cpio.zst\", \"bytes\": 5, \"unpacked_bytes\": 50},"            \
	" \"domU\": {\"file\": \"domU.cpio.zst\", \"bytes\": 6}}}"

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pvb-images-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put("xen", "xen");
	put("vmlinuz", "linu");
	put("dom0.cpio.zst", "dom00");
	put("domU.cpio.zst", "domU00");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_good)
{
	struct image_set is;
	char err[256] = "";

	put("manifest.json", GOOD_MANIFEST);
	ck_assert_int_eq(images_load(dir, &is, err, sizeof(err)), 0);
	ck_assert_str_eq(is.kernel_abi, "6.1.0-56-amd64");
	ck_assert_int_eq(is.bytes[IMG_DOM0], 5);
	ck_assert_int_eq(is.unpacked_bytes[IMG_DOM0], 50);
	ck_assert_int_eq(is.npackages, 1);
	ck_assert_ptr_nonnull(strstr(is.path[IMG_DOMU], "/domU.cpio.zst"));
}
END_TEST

static const struct {
	const char *what, *manifest, *remove;
	int rc;
	const char *msg;
} bad[] = {
	{ "no manifest", NULL, NULL, -ENOENT, "no images in" },
	{ "truncated", "{\"schema\": \"pvbench-images/1\", \"ima", NULL, -EBADMSG,
	  "is not valid JSON" },
	{ "wrong schema", "{\"schema\": \"other/2\", \"images\": {}}", NULL, -EBADMSG,
	  "is not a pvbench-images/1 manifest" },
	{ "missing image", GOOD_MANIFEST, "vmlinuz", -ENOENT, "vmlinuz' is missing" },
	{ "image path escapes", "{\"schema\": \"pvbench-images/1\", \"images\": {\"xen\": "
				"{\"file\": \"../x\", \"bytes\": 1}}}",
	  NULL, -EBADMSG, "images.xen is malformed" },
};

START_TEST(test_bad)
{
	struct image_set is;
	char err[256] = "", path[128];

	if (bad[_i].manifest)
		put("manifest.json", bad[_i].manifest);
	if (bad[_i].remove) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[_i].remove);
		unlink(path);
	}
	ck_assert_int_eq(images_load(dir, &is, err, sizeof(err)), bad[_i].rc);
	ck_assert_msg(strstr(err, bad[_i].msg), "%s: message '%s'", bad[_i].what, err);
}
END_TEST

START_TEST(test_size_mismatch)
{
	struct image_set is;
	char err[256] = "";

	put("manifest.json", GOOD_MANIFEST);
	put("dom0.cpio.zst", "dom0 but longer");
	ck_assert_int_eq(images_load(dir, &is, err, sizeof(err)), -ESTALE);
	ck_assert_ptr_nonnull(strstr(err, "manifest says 5"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("images");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(core, test_good);
	tcase_add_loop_test(errors, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(errors, test_size_mismatch);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
