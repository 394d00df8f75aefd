/* images.c: the bundled images (images.h): building or verifying them through
 * hypervisor/build-images.sh, and manifest.json loading for the commands that boot.
 * The `pvbench images` command is cmd/images.c. */
#include "pvbench/images.h"
#include "pvbench/util.h"

#include <errno.h>
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

int images_build(const char *dir, bool force, bool check)
{
	const char *root = pvb_project_root();
	char script[PATH_MAX], guest[PATH_MAX], dir_arg[PATH_MAX];
	char *args[6];
	int n = 0;

	snprintf(script, sizeof(script), "%s/hypervisor/build-images.sh", root);
	snprintf(guest, sizeof(guest), "%s/build/guest", root);
	snprintf(dir_arg, sizeof(dir_arg), "%s", dir);
	args[n++] = script;
	if (force)
		args[n++] = "--force";
	if (check)
		args[n++] = "--check";
	args[n++] = dir_arg;
	args[n++] = guest;
	args[n] = NULL;
	return run_command(args);
}
