#!/bin/bash
# hypervisor/stub-libs.sh: replaces optional shared libraries of a program with
# stubs, so a small root can hold the program without the libraries' dependency
# trees.
#
# Usage: hypervisor/stub-libs.sh SRC_ROOT PROGRAM DEST_ROOT LIB...
#
#   SRC_ROOT   root the real libraries come from (the dom0 root)
#   PROGRAM    path of the program inside SRC_ROOT (e.g. /usr/bin/fio)
#   DEST_ROOT  root to write the stubs into, at the real libraries' paths
#   LIB        soname of a library to stub (e.g. librbd.so.1)
#
# Why: Debian's fio links librbd, librados, libgfapi, libnbd, librdmacm,
# libibverbs and libpmem* for its optional I/O engines, and is linked with
# BIND_NOW, so each must be present with every symbol fio uses. Their dependency
# trees (Ceph, GlusterFS, ICU, ...) are ~60 MiB, most of a domU initramfs that
# needs only fio's libaio engine. Each stub has the library's soname, defines the
# symbol versions the program requires from it, and defines exactly the symbols the
# program imports from it (functions that print the symbol and abort; objects as
# zeroed storage of the real size). An engine that needs a stubbed library
# therefore fails loudly ("pvbench: rbd_open: librbd.so.1 is a stub in this
# image"), never silently. The list of stubs is recorded in the image manifest.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 SRC_ROOT PROGRAM DEST_ROOT LIB..." >&2; exit 2; }
src=$1 prog=$2 dest=$3; shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Undefined dynamic symbols of the program: "name version" (version "Base" if none).
objdump -T "$src$prog" | awk '$0 ~ /\*UND\*/ {
	n = $NF; v = $(NF-1); gsub(/[()]/, "", v); if (v == "" || v == "*UND*") v = "Base"
	print n, v }' | sort -u >"$work/und"

for lib in "$@"; do
	real=$(cd "$src" && find usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu \
		-maxdepth 1 -name "$lib" 2>/dev/null | head -n 1)
	[ -n "$real" ] || { echo "error: $lib not found under $src" >&2; exit 1; }
	# Defined dynamic symbols of the real library: "name type size" (readelf
	# prints sizes in decimal; names as name@VER or name@@VER).
	readelf -W --dyn-syms "$src/$real" | awk '$7 != "UND" && ($4 == "FUNC" || $4 == "OBJECT") {
		n = $8; sub(/@.*/, "", n); print n, ($4 == "OBJECT" ? "obj" : "func"), $3 + 0 }' |
		sort -u >"$work/def"
	# Symbols the program takes from this library.
	awk 'NR == FNR { d[$1] = $2 " " $3; next } ($1 in d) { print $1, $2, d[$1] }' \
		"$work/def" "$work/und" >"$work/use"
	base=${lib%%.so*}
	{
		echo '#include <stdio.h>'
		echo '#include <stdlib.h>'
		echo "static void stub(const char *sym) { fprintf(stderr, \"pvbench: %s: $lib is a stub in this image\\n\", sym); abort(); }"
		awk '$3 == "func" { printf "void %s(void) { stub(\"%s\"); }\n", $1, $1 }
		     $3 == "obj"  { printf "char %s[%d];\n", $1, ($4 > 0 ? $4 : 1) }' "$work/use"
	} >"$work/$base.c"
	# Version script: one node per required version (unversioned uses go global).
	awk '{ v[$2] = v[$2] " " $1 ";" } END {
		for (k in v) if (k != "Base") printf "%s { global:%s };\n", k, v[k]
		if ("Base" in v) printf "PVBENCH_STUB_BASE { global:%s };\n", v["Base"]
	}' "$work/use" >"$work/$base.map"
	[ -s "$work/$base.map" ] || echo 'PVBENCH_STUB_BASE { local: *; };' >"$work/$base.map"
	gcc -shared -fPIC -O1 -Wno-builtin-declaration-mismatch -o "$work/$lib" \
		-Wl,-soname,"$lib" -Wl,--version-script="$work/$base.map" "$work/$base.c"
	mkdir -p "$dest/$(dirname "$real")"
	install -m 0644 "$work/$lib" "$dest/$real"
	printf '%s %s symbols\n' "$lib" "$(wc -l <"$work/use")"
done
