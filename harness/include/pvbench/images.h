/* images.h: the bundled image cache (build/images) and its manifest.json, written
 * by hypervisor/build-images.sh (schema "pvbench-images/1"). */
#ifndef PVBENCH_IMAGES_H
#define PVBENCH_IMAGES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

enum image_kind { IMG_XEN, IMG_VMLINUZ, IMG_DOM0, IMG_DOMU, IMG__COUNT };

struct image_set {
	char dir[PATH_MAX];
	char path[IMG__COUNT][PATH_MAX]; /* absolute or dir-relative file paths */
	long long bytes[IMG__COUNT];
	long long unpacked_bytes[IMG__COUNT]; /* initramfs only; 0 otherwise */
	char kernel_abi[64];                  /* e.g. "6.1.0-56-amd64" */
	char input_hash[80];
	char built_at[32];
	double build_seconds;
	int npackages;
};

/* Reads DIR/manifest.json and checks that every image exists with its recorded size
 * (the sha256 check is `pvbench images`' job: it reads every byte). Returns 0,
 * -ENOENT (manifest or an image missing), -EBADMSG (malformed manifest or wrong
 * schema), -ESTALE (an image's size differs). err gets one line saying which. */
int images_load(const char *dir, struct image_set *is, char *err, size_t errlen);

/* Runs <project>/hypervisor/build-images.sh [--force] [--check] DIR
 * <project>/build/guest, its output on ours: builds the images into dir when an input
 * changed (recipe, guest programs, package versions) or a file does not match
 * manifest.json, always with force; with check only verifies them (every file's
 * sha256 against the manifest) and builds nothing. A failed build keeps the previous
 * images. Returns the script's exit status (0: built or up to date; non-zero: the
 * build failed, or with check, stale, missing or corrupt), 128+N for signal N, or
 * -errno when it could not be started (run_command). */
int images_build(const char *dir, bool force, bool check);

/* Name of an image kind in the manifest ("xen", "vmlinuz", "dom0", "domU"). */
const char *image_name(enum image_kind k);

#endif
