/* images.c: `pvbench images` (build or verify the bundled images through
 * hypervisor/build-images.sh) and manifest.json loading for the other commands. */
#include "pvbench/commands.h"
#include "pvbench/images.h"
#include "pvbench/util.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[IMG__COUNT] = { "xen", "vmlinuz", "dom0", "domU" };

const char *image_name(enum image_kind k)
{
	return k < IMG__COUNT ? names[k] : "?";
}

static int load_image(json_t *images, enum image_kind k, struct image_set *is, char *err,
		      size_t errlen)
{
	json_t *o = json_object_get(images, names[k]);
	const char *file = json_string_value(json_object_get(o, "file"));
	json_t *bytes = json_object_get(o, "bytes");
	struct stat st;

	if (!file || !json_is_integer(bytes) || strchr(file, '/')) {
		snprintf(err, errlen, "manifest.json: images.%s is malformed", names[k]);
		return -EBADMSG;
	}
	snprintf(is->path[k], sizeof(is->path[k]), "%s/%s", is->dir, file);
	is->bytes[k] = json_integer_value(bytes);
	is->unpacked_bytes[k] = json_integer_value(json_object_get(o, "unpacked_bytes"));
	if (stat(is->path[k], &st)) {
		snprintf(err, errlen, "image '%s' is missing", is->path[k]);
		return -ENOENT;
	}
	if (st.st_size != is->bytes[k]) {
		snprintf(err, errlen, "image '%s' is %lld bytes, manifest says %lld", is->path[k],
			 (long long)st.st_size, is->bytes[k]);
		return -ESTALE;
	}
	return 0;
}

static void copy_str(char *dst, size_t len, json_t *root, const char *key)
{
	const char *v = json_string_value(json_object_get(root, key));

	snprintf(dst, len, "%s", v ? v : "");
}

int images_load(const char *dir, struct image_set *is, char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	json_error_t je;
	json_t *root, *images;
	int rc = 0;

	memset(is, 0, sizeof(*is));
	snprintf(is->dir, sizeof(is->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	root = json_load_file(path, 0, &je);
	if (!root) {
		bool missing = access(path, F_OK) != 0;

		snprintf(err, errlen, missing ? "no images in '%s' (run 'make images')"
					      : "'%s' is not valid JSON (line %d: %s)",
			 missing ? dir : path, je.line, je.text);
		return missing ? -ENOENT : -EBADMSG;
	}
	images = json_object_get(root, "images");
	if (strcmp(json_string_value(json_object_get(root, "schema")) ?: "", "pvbench-images/1") ||
	    !json_is_object(images)) {
		snprintf(err, errlen, "'%s' is not a pvbench-images/1 manifest", path);
		rc = -EBADMSG;
	}
	for (int k = 0; k < IMG__COUNT && !rc; k++)
		rc = load_image(images, k, is, err, errlen);
	copy_str(is->kernel_abi, sizeof(is->kernel_abi), root, "kernel_abi");
	copy_str(is->input_hash, sizeof(is->input_hash), root, "input_hash");
	copy_str(is->built_at, sizeof(is->built_at), root, "built_at");
	is->build_seconds = json_number_value(json_object_get(root, "build_seconds"));
	is->npackages = (int)json_array_size(json_object_get(root, "packages"));
	json_decref(root);
	return rc;
}

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
		printf("  %-8s %8.1f MiB", names[k], is->bytes[k] / 1048576.0);
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
	char script[PATH_MAX], guest[PATH_MAX], dir[PATH_MAX], err[512];
	const char *root = pvb_project_root();
	bool force = false, check = false;
	struct image_set is;
	char *args[6];
	int c, n = 0, rc;

	snprintf(dir, sizeof(dir), "%s/build/images", root);
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
	snprintf(script, sizeof(script), "%s/hypervisor/build-images.sh", root);
	snprintf(guest, sizeof(guest), "%s/build/guest", root);
	args[n++] = script;
	if (force)
		args[n++] = "--force";
	if (check)
		args[n++] = "--check";
	args[n++] = dir;
	args[n++] = guest;
	args[n] = NULL;
	rc = run_command(args);
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
