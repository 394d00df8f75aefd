/* cmd/images.c: `pvbench images [--force] [--check] [--dir DIR]`: its option table,
 * exit status. Building and verifying are images.h's images_build(), the manifest
 * images_load(). */
#include "pvbench/commands.h"
#include "pvbench/images.h"
#include "pvbench/util.h"

#include <limits.h>
#include <stdio.h>

struct images_args {
	bool force, check;
	const char *dir;
};

#define AT(member) CLI_AT(struct images_args, member)
static const struct cli_opt images_opts[] = {
	{ .name = "force", .kind = CLI_FLAG, AT(force), .help = "rebuild even if up to date" },
	{ .name = "check", .kind = CLI_FLAG, AT(check),
	  .help = "only verify; exit 0 up to date, 1 stale/missing/corrupt" },
	{ .name = "dir", .arg = "DIR", .kind = CLI_STR, AT(dir), .def = "build/images",
	  .help = "image directory" },
	CLI_OPT_HELP,
};
#undef AT

const struct cli_cmd images_cli = {
	.name = "images",
	.summary = "build or verify the bundled Xen, kernel and initramfs images",
	.about = "Builds the bundled images from Debian 12 packages (mmdebstrap) into DIR\n"
		 "(default build/images), or verifies them: an image is rebuilt only when an\n"
		 "input changed (recipe, guest programs, package versions) or a file does\n"
		 "not match manifest.json. A failed build keeps the previous images.",
	.opts = images_opts,
	.nopts = ARRAY_SIZE(images_opts),
	.fn = cmd_images,
};

static void print_summary(const struct image_set *is)
{
	printf("images in %s (kernel %s, built %s in %.0f s, %d packages)\n", is->dir,
	       is->kernel_abi, is->built_at, is->build_seconds, is->npackages);
	for (int k = 0; k < IMG__COUNT; k++) {
		printf("  %-8s %8.1f MiB", image_name(k), is->bytes[k] / 1048576.0);
		if (is->unpacked_bytes[k])
			printf("  (%.1f MiB unpacked)", is->unpacked_bytes[k] / 1048576.0);
		printf("\n");
	}
}

int cmd_images(int argc, char **argv)
{
	struct images_args a = { 0 };
	char dir[PATH_MAX], err[512];
	struct image_set is;
	int rc = cli_parse(&images_cli, argc, argv, &a, NULL, 0);

	if (rc < 0)
		return cli_status(rc);
	if (a.dir)
		snprintf(dir, sizeof(dir), "%s", a.dir);
	else
		snprintf(dir, sizeof(dir), "%s/build/images", pvb_project_root());
	rc = images_build(dir, a.force, a.check);
	if (rc != 0) {
		if (!a.check)
			pvb_err("image build failed (exit %d); previous images, if any, are kept", rc);
		return 1;
	}
	if ((rc = images_load(dir, &is, err, sizeof(err)))) {
		pvb_err("%s", err);
		return 1;
	}
	if (pvb_verbosity)
		print_summary(&is);
	return 0;
}
