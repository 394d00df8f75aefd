/* cmd/images.c: `pvbench images [--force] [--check] [--dir DIR]`: argv, usage, exit
 * status. Building and verifying are images.h's images_build(), the manifest
 * images_load(). */
#include "pvbench/commands.h"
#include "pvbench/images.h"
#include "pvbench/util.h"

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: pvbench images [--force] [--check] [--dir DIR]\n\n"
		   "Builds the bundled images from Debian 12 packages (mmdebstrap) into DIR\n"
		   "(default build/images), or verifies them: an image is rebuilt only when an\n"
		   "input changed (recipe, guest programs, package versions) or a file does\n"
		   "not match manifest.json. A failed build keeps the previous images.\n\n"
		   "  --force      rebuild even if up to date\n"
		   "  --check      only verify; exit 0 up to date, 1 stale/missing/corrupt\n"
		   "  --dir DIR    image directory\n");
}

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
	static const struct option opts[] = { { "force", no_argument, 0, 'f' },
					      { "check", no_argument, 0, 'c' },
					      { "dir", required_argument, 0, 'd' },
					      { "help", no_argument, 0, 'h' },
					      { 0, 0, 0, 0 } };
	char dir[PATH_MAX], err[512];
	bool force = false, check = false;
	struct image_set is;
	int c, rc;

	snprintf(dir, sizeof(dir), "%s/build/images", pvb_project_root());
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = true; break;
		case 'c': check = true; break;
		case 'd': snprintf(dir, sizeof(dir), "%s", optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		pvb_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	rc = images_build(dir, force, check);
	if (rc != 0) {
		if (!check)
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
