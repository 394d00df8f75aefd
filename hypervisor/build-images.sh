#!/bin/bash
# hypervisor/build-images.sh: builds pvbench's bundled boot images from Debian 12
# packages (mmdebstrap) and writes a JSON manifest beside them.
#
# Usage: hypervisor/build-images.sh [--force] [--check] OUT_DIR GUEST_BIN_DIR
#        hypervisor/build-images.sh --print-list LIST
#
#   OUT_DIR        image cache (build/images): xen, vmlinuz, vmlinux (the domU's
#                  kernel, uncompressed), dom0.cpio.zst,
#                  domU.cpio.zst, manifest.json
#   GUEST_BIN_DIR  pvbench's guest-side programs (build/guest), copied into both
#                  initramfs images
#   --force        rebuild even when the inputs are unchanged
#   --check        only report whether a rebuild is needed (exit 0 up to date,
#                  10 stale or missing, 11 corrupt)
#   --print-list   only print LIST as the build reads it, one name a line
#
# Package and module lists (LIST): packages.dom0 (Debian packages of the dom0 root,
# which the domU's programs are copied from), modules.dom0 and modules.domU (kernel
# modules copied into each initramfs with their dependencies). Each is the union of
# hypervisor/LIST (what the platform needs) and every workloads/<wl>/LIST (what a
# workload needs; each file optional), sorted, each name once. Format: one name a
# line, '#' starts a comment. There is no packages.domU: the domU root has no
# package list, its programs are copied from the dom0 root (step 4 names them).
#
# Inputs hashed into the manifest: this recipe directory, the workloads' lists, the
# guest programs and the candidate versions of the top-level packages (so adding or
# editing a list rebuilds the images). Up to date means: same input hash and
# every image file matches its size and sha256 in the manifest. The build happens in
# OUT_DIR/.build and replaces the previous images only when it succeeded, so a failed
# build leaves the previous images usable.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd) # the repository; inputs are named relative to it
die() { echo "error: $*" >&2; exit 1; }

# --- package and module lists ---------------------------------------------------
LISTS="packages.dom0 modules.dom0 modules.domU"
list_files() { # list_files LIST: the files LIST is made of, the platform's first
	local f
	[ -f "$here/$1" ] && printf '%s\n' "$here/$1"
	for f in "$top"/workloads/*/"$1"; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done
	return 0
}
read_list() { # read_list LIST: the names in LIST's files, sorted, each once
	local f
	case " $LISTS " in *" $1 "*) ;; *) die "no list '$1' (lists: $LISTS)" ;; esac
	for f in "$top"/workloads/*/packages.domU; do
		[ -e "$f" ] && die "${f#"$top"/}: the domU root has no package list (its" \
			"programs are copied from the dom0 root): list the package in packages.dom0"
	done
	list_files "$1" | while read -r f; do sed -e 's/#.*//' "$f"; done |
		tr -s '[:blank:]' '\n' | sed '/^$/d' | LC_ALL=C sort -u
}

force=0 check=0
while [ $# -gt 0 ]; do
	case "$1" in
	--force) force=1; shift ;;
	--check) check=1; shift ;;
	--print-list) [ $# -eq 2 ] || { echo "usage: $0 --print-list LIST" >&2; exit 2; }
		read_list "$2"; exit 0 ;;
	-h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	-*) echo "error: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || { echo "usage: $0 [--force] [--check] OUT_DIR GUEST_BIN_DIR" >&2; exit 2; }
out=$1 guest=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
guest=$(cd "$guest" && pwd)
t_start=$(date +%s)
nsteps=8
progress() { printf '[images %s/%s] %s\n' "$1" "$nsteps" "$2" >&2; }

pkgs=$(read_list packages.dom0 | tr '\n' ' ')
[ -n "$pkgs" ] || die "no packages in packages.dom0"
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$kpkg" ] || die "cannot resolve linux-image-amd64 to a kernel ABI package (run 'apt-get update')"
kabi=${kpkg#linux-image-}
xpkg=xen-hypervisor-4.17-amd64

# --- input hash -----------------------------------------------------------------
inputs_json() {
	local f l key lists=()
	for l in $LISTS; do lists+=("$top"/workloads/*/"$l"); done
	{
		# named relative to the repository (hypervisor/..., workloads/...), the guest
		# programs as guest/NAME, so the hash does not depend on where it is checked out
		for f in "$here"/* "${lists[@]}" "$guest"/*; do
			[ -f "$f" ] || continue
			key=${f#"$top"/}
			if [ "${f#"$guest"/}" != "$f" ]; then
				[ -x "$f" ] || continue
				key=guest/${f#"$guest"/}
			fi
			printf '%s\t%s\n' "$key" "$(sha256sum <"$f" | cut -d' ' -f1)"
		done
		# one apt-cache call for all packages (one per package took ~40 s in all)
		# shellcheck disable=SC2086
		apt-cache policy $pkgs $kpkg $xpkg 2>/dev/null | awk '
			/^[^ ].*:$/ { p = substr($0, 1, length($0) - 1) }
			/^  Candidate:/ { printf "apt:%s\t%s\n", p, $2 }' | sort
	} | jq -R -s 'split("\n") | map(select(length>0) |
		split("\t") | {(.[0]): .[1]}) | add'
}
inputs=$(inputs_json)
input_hash=$(printf '%s' "$inputs" | sha256sum | cut -d' ' -f1)

# --- up-to-date check -----------------------------------------------------------
verify_images() {
	local m=$out/manifest.json name file size sum
	[ -f "$m" ] || return 10
	jq -e . "$m" >/dev/null 2>&1 || return 11
	for name in xen vmlinuz domU_kernel dom0 domU domU_raw tiny; do
		file=$(jq -r ".images.$name.file // empty" "$m")
		size=$(jq -r ".images.$name.bytes // empty" "$m")
		sum=$(jq -r ".images.$name.sha256 // empty" "$m")
		[ -n "$file" ] && [ -f "$out/$file" ] || return 10
		[ "$(stat -c %s "$out/$file")" = "$size" ] || return 11
		[ "$(sha256sum <"$out/$file" | cut -d' ' -f1)" = "$sum" ] || return 11
	done
	[ "$(jq -r .input_hash "$m")" = "$input_hash" ] || return 10
	return 0
}
rc=0; verify_images || rc=$?
if [ $check = 1 ]; then
	case $rc in
	0) echo "images up to date in $out" ;;
	10) echo "images missing or stale in $out" ;;
	11) echo "images corrupt in $out (size or sha256 differs from manifest)" ;;
	esac
	exit $rc
fi
if [ $rc = 0 ] && [ $force = 0 ]; then
	echo "images up to date in $out (input hash ${input_hash:0:12})" >&2
	exit 0
fi
[ $rc = 11 ] && echo "warning: images in $out do not match manifest.json; rebuilding" >&2
[ "$(id -u)" = 0 ] || die "building images needs root (mmdebstrap, device nodes)"

b=$out/.build
rm -rf "$b"
mkdir -p "$b"
trap 'rm -rf "$b"' EXIT

# --- 1. dom0 root from Debian packages ------------------------------------------
# The mmdebstrap result is cached as a tarball keyed by the package list and the
# candidate versions, so changing only pvbench's own programs rebuilds in seconds.
root=$b/dom0-root
base_key=$(printf '%s\n' "$inputs" | jq -r 'to_entries[] |
	select(.key | startswith("apt:") or endswith("packages.dom0")) | "\(.key)=\(.value)"' |
	sha256sum | cut -c1-16)
base_tar=$out/cache/base-$base_key.tar
if [ -f "$base_tar" ]; then
	progress 1 "dom0 root from cache ($(basename "$base_tar"))"
else
	progress 1 "mmdebstrap dom0 root: $pkgs"
	# The chroot uses the host's Debian apt sources (files naming the Debian keyring).
	srcs=()
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
		[ -f "$f" ] && grep -q 'debian-archive-keyring\|^deb .* bookworm' "$f" && srcs+=("$f")
	done
	[ ${#srcs[@]} -gt 0 ] || die "no Debian bookworm apt source found under /etc/apt"
	excl=()
	for p in /usr/share/doc/ /usr/share/man/ /usr/share/info/ /usr/share/locale/ \
		/usr/share/lintian/ /usr/share/linda/ /usr/share/bug/ /usr/share/zoneinfo/; do
		excl+=(--dpkgopt="path-exclude=$p*")
	done
	mkdir -p "$out/cache"
	mmdebstrap --variant=essential --quiet "${excl[@]}" \
		--include="$(echo "$pkgs" | tr ' ' ',')" \
		bookworm "$b/base.tar" "${srcs[@]}" >"$b/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$b/mmdebstrap.log" >&2; die "mmdebstrap failed (log above)"; }
	rm -f "$out"/cache/base-*.tar
	mv "$b/base.tar" "$base_tar"
fi
mkdir -p "$root"
tar -C "$root" -xf "$base_tar"
chroot "$root" dpkg-query -W -f '${Package}\t${Version}\n' >"$b/packages.tsv"

# --- 2. kernel and hypervisor ---------------------------------------------------
progress 2 "download $kpkg and $xpkg"
(cd "$b" && apt-get download "$kpkg" "$xpkg" >"$b/download.log" 2>&1) ||
	{ cat "$b/download.log" >&2; die "apt-get download failed"; }
mkdir -p "$b/kernel" "$b/xenpkg"
dpkg-deb -x "$b"/linux-image-*.deb "$b/kernel"
dpkg-deb -x "$b"/xen-hypervisor-*.deb "$b/xenpkg"
for d in "$b"/linux-image-*.deb "$b"/xen-hypervisor-*.deb; do
	dpkg-deb -f "$d" Package Version | paste -sd'\t' | sed 's/Package: //; s/Version: //' \
		>>"$b/packages.tsv"
done
# QEMU's multiboot loader wants an uncompressed ELF32 image.
gunzip -c "$b"/xenpkg/boot/xen-4.17-amd64.gz >"$b/xen"
cp "$b/kernel/boot/vmlinuz-$kabi" "$b/vmlinuz"
# The domU boots the same kernel as a plain ELF vmlinux: given the bzImage, libxc
# xz-decompresses it in dom0 on every xl create (measured 7.7 s under TCG). The
# payload is found from the bzImage header (Linux Documentation/arch/x86/boot.rst:
# setup_sects at 0x1f1, payload_offset at 0x248, payload_length at 0x24c).
payload() { dd if="$1" iflag=skip_bytes,count_bytes skip="$2" count="$3" bs=1M status=none; }
extract_vmlinux() { # extract_vmlinux BZIMAGE OUT
	local setup off len magic want dec
	setup=$(od -An -tu1 -j $((0x1f1)) -N1 "$1" | tr -d ' ')
	[ "$setup" = 0 ] && setup=4
	off=$(( (setup + 1) * 512 + $(od -An -tu4 -j $((0x248)) -N4 "$1" | tr -d ' ') ))
	len=$(od -An -tu4 -j $((0x24c)) -N4 "$1" | tr -d ' ')
	magic=$(od -An -tx1 -j "$off" -N4 "$1" | tr -d ' ')
	# The payload ends with the uncompressed size (le32, the kernel's size_append),
	# which the decompressors report as a truncated stream: check the size instead.
	want=$(od -An -tu4 -j $((off + len - 4)) -N4 "$1" | tr -d ' ')
	case $magic in
	fd377a58) dec="xz -dc" ;;
	28b52ffd) dec="zstd -dcq" ;;
	1f8b*) dec="gzip -dc" ;;
	*) die "unknown kernel payload compression (magic $magic) in $1" ;;
	esac
	# shellcheck disable=SC2086
	payload "$1" "$off" "$len" | { $dec 2>/dev/null || :; } >"$2"
	[ "$(stat -c %s "$2")" = "$want" ] ||
		die "vmlinux from $1: $(stat -c %s "$2") bytes, the header says $want"
	[ "$(od -An -c -N4 "$2" | tr -d ' ')" = '177ELF' ] || die "no ELF payload in $1"
}
extract_vmlinux "$b/vmlinuz" "$b/vmlinux"
# The package ships no modules.dep (its postinst runs depmod): make one.
depmod -b "$b/kernel" "$kabi"

# copy_modules DEST LIST: copies the modules named in LIST (modules.dom0 or
# modules.domU, read_list) and everything they depend on (modules.dep) into
# DEST/lib/modules/KABI, then runs depmod there.
copy_modules() {
	local dest=$1 list=$2 kdir=$b/kernel/lib/modules/$kabi m path todo=() seen=" " names
	names=$(read_list "$list")
	mkdir -p "$dest/lib/modules/$kabi"
	cp "$kdir"/modules.order "$kdir"/modules.builtin* "$dest/lib/modules/$kabi/"
	while read -r m; do
		path=$(awk -v m="$m" -F: '{n=$1; sub(".*/","",n); sub("\\.ko$","",n);
			gsub("-","_",n); mm=m; gsub("-","_",mm); if (n==mm) {print $1; exit}}' \
			"$kdir/modules.dep")
		[ -n "$path" ] || die "module '$m' (from $list: $(list_files "$list" |
			sed "s|^$top/||" | paste -sd' ')) not in $kpkg"
		todo+=("$path")
	done <<<"$names"
	while [ ${#todo[@]} -gt 0 ]; do
		m=${todo[0]}; todo=("${todo[@]:1}")
		case "$seen" in *" $m "*) continue ;; esac
		seen="$seen$m "
		mkdir -p "$dest/lib/modules/$kabi/$(dirname "$m")"
		cp "$kdir/$m" "$dest/lib/modules/$kabi/$m"
		# shellcheck disable=SC2207
		todo+=($(awk -v m="$m" -F': *' '$1==m {print $2; exit}' "$kdir/modules.dep"))
	done
	depmod -b "$dest" "$kabi"
}

# --- 3. trim the dom0 root ------------------------------------------------------
progress 3 "trim dom0 root"
# Nothing at run time needs perl, python, apt, dpkg's database, udev's hwdb or
# locales: only package maintainer scripts do (checked: no #!perl under /etc/xen or
# /usr/lib/xen-*).
rm -rf "$root"/usr/lib/python3* "$root"/usr/lib/xen-4.17/bin/pygrub \
	"$root"/var/cache/apt "$root"/var/lib/apt/lists "$root"/var/cache/debconf \
	"$root"/var/lib/dpkg/info "$root"/usr/lib/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.d \
	"$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/usr/share/common-licenses \
	"$root"/usr/share/bash-completion "$root"/usr/lib/xen-4.17/boot/*.gz \
	"$root"/usr/share/perl* "$root"/usr/lib/x86_64-linux-gnu/perl* \
	"$root"/usr/lib/x86_64-linux-gnu/libperl.so* "$root"/usr/bin/perl* \
	"$root"/usr/lib/x86_64-linux-gnu/libapt-* "$root"/usr/bin/apt* "$root"/usr/lib/apt \
	"$root"/usr/bin/localedef "$root"/usr/share/i18n "$root"/usr/share/locale \
	"$root"/usr/share/vim "$root"/usr/share/zsh "$root"/usr/share/info \
	"$root"/usr/lib/valgrind "$root"/usr/share/qemu "$root"/usr/share/seabios
find "$root"/usr/bin "$root"/usr/sbin -name 'python3*' -delete
copy_modules "$root" modules.dom0

# --- 4. domU root: busybox, fio, iperf3, agent, modules, and their libraries ---
progress 4 "assemble domU root"
uroot=$b/domU-root
mkdir -p "$uroot"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,var/log,usr/bin,usr/sbin}
cp "$root/bin/busybox" "$uroot/bin/busybox"
chroot "$uroot" /bin/busybox --install -s
# fio's optional-engine libraries become stubs in the domU (hypervisor/stub-libs.sh:
# their dependency trees, Ceph, GlusterFS, ICU..., were ~60 of the domU's 85 MiB).
fio_stubs="librbd.so.1 librados.so.2 libgfapi.so.0 libnbd.so.0 libibverbs.so.1
	librdmacm.so.1 libpmemblk.so.1 libpmem.so.1"
# shellcheck disable=SC2086
"$here"/stub-libs.sh "$root" /usr/bin/fio "$root/pvbench-stubs" $fio_stubs >&2
# copy_closure ROOT FILE...: copies FILEs from the dom0 root into ROOT with every
# shared library they need (resolved inside the dom0 root, the stubs first).
copy_closure() {
	local dest=$1 f lib from; shift
	for f in "$@"; do
		mkdir -p "$dest/$(dirname "$f")"
		cp -L "$root/$f" "$dest/$f"
		chroot "$root" env LD_LIBRARY_PATH=/pvbench-stubs/usr/lib/x86_64-linux-gnu \
			ldd "$f" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}' |
			while read -r lib; do
				from=$root
				if [ "${lib#/pvbench-stubs/}" != "$lib" ]; then
					lib=${lib#/pvbench-stubs} from=$root/pvbench-stubs
				fi
				[ -e "$dest$lib" ] && continue
				mkdir -p "$dest$(dirname "$lib")"
				cp -L "$from$lib" "$dest$lib"
			done
	done
}
copy_closure "$uroot" /usr/bin/fio /usr/bin/iperf3 /usr/bin/xenstore-read \
	/usr/bin/xenstore-write /usr/bin/xenstore-ls /usr/sbin/nginx
# nginx (Debian nginx-light) serves the httperf workload's static files: 1k.bin,
# 16k.bin, 256k.bin (exact sizes, incompressible bytes from a fixed seed) from
# /srv/www; hypervisor/domU-nginx.conf; domU-init starts it.
mkdir -p "$uroot"/etc/nginx "$uroot"/srv/www "$uroot"/var/lib/nginx "$uroot"/var/log/nginx
install -m 0644 "$here/domU-nginx.conf" "$uroot/etc/nginx/nginx.conf"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$uroot/etc/passwd"
printf 'root:x:0:\n' >"$uroot/etc/group"
for n in 1 16 256; do
	# openssl dies of SIGPIPE when head has enough: not an error here
	{ openssl enc -aes-128-ctr -nosalt -pbkdf2 -pass pass:pvbench-$n -in /dev/zero \
		2>/dev/null || true; } | head -c $((n * 1024)) >"$uroot/srv/www/${n}k.bin"
	[ "$(stat -c %s "$uroot/srv/www/${n}k.bin")" = $((n * 1024)) ]
done
for lib in lib lib64; do
	# usrmerge: /lib -> usr/lib as in Debian 12
	if [ -d "$uroot/$lib" ] && [ ! -L "$uroot/$lib" ]; then
		mkdir -p "$uroot/usr/$lib"; cp -a "$uroot/$lib/." "$uroot/usr/$lib/"
		rm -rf "${uroot:?}/$lib"
	fi
	ln -sfn "usr/$lib" "$uroot/$lib"
done
copy_modules "$uroot" modules.domU
install -m 0755 "$here/domU-init" "$uroot/init"

# --- 5. pvbench guest programs into both roots ----------------------------------
progress 5 "install pvbench guest programs"
mkdir -p "$root/usr/lib/pvbench/bin"
for f in "$guest"/*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	install -m 0755 "$f" "$root/usr/lib/pvbench/bin/"
	install -m 0755 "$f" "$uroot/usr/bin/"
	copy_closure "$uroot" "/usr/lib/pvbench/bin/$(basename "$f")"
	rm -f "$uroot/usr/lib/pvbench/bin/$(basename "$f")"
done
install -m 0755 "$here/dom0-init" "$root/init"
# pvbench's own hotplug program (hypervisor/pvbench-hotplug.c; named by guest.c's xl
# config as script=pvbench-vbd / pvbench-vif; Xen's scripts stay for others)
ln -sfn /usr/lib/pvbench/bin/pvbench-hotplug "$root/etc/xen/scripts/pvbench-vbd"
ln -sfn /usr/lib/pvbench/bin/pvbench-hotplug "$root/etc/xen/scripts/pvbench-vif"
rm -f "$uroot/usr/bin/pvbench-hotplug" # dom0 only
echo "pvbench-dom0" >"$root/etc/hostname"
echo "pvbench-domU" >"$uroot/etc/hostname"

# --- 5b. prune the dom0 root ---------------------------------------------------
# The initramfs is unpacked on every boot (~1 s per 20 MiB under TCG). fio's
# optional-engine libraries become the domU's stubs here too, then every shared
# library that no program, plugin or glibc needs goes: that drops Ceph, GlusterFS,
# ICU, libxml2... (~75 MiB). Every program left must still resolve all its
# libraries (checked with ldd below).
progress 5 "prune dom0 root"
(cd "$root/pvbench-stubs" && find . -type f) | while read -r f; do
	rm -f "$root/$f"; install -m 0644 "$root/pvbench-stubs/$f" "$root/$f"
done
rm -rf "$root/pvbench-stubs" "$root"/usr/lib/xen-4.17/boot/xen-shim
lib=usr/lib/x86_64-linux-gnu
# programs and dlopen()ed plugins: everything executable outside $lib's top level
(cd "$root" && find usr/bin usr/sbin usr/libexec usr/lib/xen-4.17 usr/lib/pvbench \
	usr/lib/nginx "$lib"/*/ -type f \( -perm -u+x -o -name '*.so*' \) 2>/dev/null |
	grep -v "^$lib/ceph/" | sed 's|^|/|') >"$b/ldd-roots"
ldd_all() { # ldd of every root inside the dom0 root: "file: lib-path" lines
	chroot "$root" /bin/bash -c 'while read -r f; do ldd "$f" 2>/dev/null |
		sed "s|^|$f: |"; done' <"$b/ldd-roots"
}
ldd_all >"$b/ldd-before"
awk '/=> \//{print $(NF-1)} /^[^ ]*: \t\/lib64/{print $2}' "$b/ldd-before" | sort -u |
	while read -r l; do readlink -f "$root$l"; done | sort -u >"$b/libs-needed"
find "$root/$lib" "$root/$lib/ceph" -maxdepth 1 -type f -name 'lib*.so*' |
	grep -v -E '/(ld-linux|libc|libm|libmvec|libdl|libpthread|librt|libutil|libanl|libresolv|libnsl|libnss_|libBrokenLocale|libthread_db|libc_malloc_debug|libmemusage|libpcprofile|libgcc_s)[.-]' |
	sort | comm -23 - "$b/libs-needed" | xargs -r rm -f
rm -rf "$root/$lib/ceph"
find "$root/$lib" -maxdepth 1 -xtype l -delete
# (a few plugins lacked a library before, e.g. tc's q_atm.so: only new losses count)
if ldd_all | grep 'not found' | grep -vxF -f <(grep 'not found' "$b/ldd-before"); then
	die "dom0 root: a program lost a library (above)"
fi
for p in "fio --version" "iperf3 --version" "httperf --version" "nginx -v" "xl help"; do
	chroot "$root" $p >/dev/null 2>&1 || [ $? = 1 ] || die "dom0 root: '$p' does not run"
done

# --- 6. domU image ----------------------------
mkcpio() { # mkcpio DIR OUT [raw|raw-only]: newc cpio with /dev/console, zstd-compressed
	# (raw: the uncompressed one too, as OUT without .zst; raw-only: only that, as OUT)
	local dir=$1 outf=$2
	mkdir -p "$dir/dev"
	[ -e "$dir/dev/console" ] || mknod -m 600 "$dir/dev/console" c 5 1
	(cd "$dir" && find . -print0 | sort -z |
		cpio --null -o -H newc --quiet --reproducible) >"$outf.raw"
	if [ "${3:-}" = raw-only ]; then mv "$outf.raw" "$outf"; return; fi
	zstd -q -T0 -12 <"$outf.raw" >"$outf"
	if [ "${3:-}" = raw ]; then mv "$outf.raw" "${outf%.zst}"; else rm -f "$outf.raw"; fi
}
# The tiny guest of the xenwatch storm: busybox and an /init that only waits, so
# many fit at once (its memory is the kernel's ~57 MiB plus this).
troot=$b/tiny-root
mkdir -p "$troot"/{bin,proc,sys,dev}
cp "$root/bin/busybox" "$troot/bin/busybox"
ln -s busybox "$troot/bin/sh"
install -m 0755 "$here/tiny-init" "$troot/init"
mkcpio "$troot" "$b/tiny.cpio" raw-only
progress 6 "pack domU initramfs"
# The domU boots from the uncompressed cpio: under TCG, decompressing in the guest
# costs far more than copying (measured: the zstd image took ~30 s to unpack).
mkcpio "$uroot" "$b/domU.cpio.zst" raw
# dom0 reads the domU kernel and initramfs from the image directory, shared
# read-only over virtio-9p (mount tag pvbench-images), not from its own initramfs.
mkdir -p "$root/var/lib/pvbench/images"

# --- 7. dom0 image --------------------------------------------------------------
progress 7 "pack dom0 initramfs"
mkcpio "$root" "$b/dom0.cpio.zst"

# --- 8. manifest, then swap into place ------------------------------------------
progress 8 "write manifest"
img() { # img NAME FILE -> JSON object
	jq -n --arg f "$2" --argjson n "$(stat -c %s "$b/$2")" \
		--arg s "$(sha256sum <"$b/$2" | cut -d' ' -f1)" '{file:$f, bytes:$n, sha256:$s}'
}
t_end=$(date +%s)
jq -n --arg built "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson secs $((t_end - t_start)) \
	--arg hash "$input_hash" --argjson inputs "$inputs" --arg kabi "$kabi" \
	--argjson stubs "$(printf '%s\n' $fio_stubs | jq -R . | jq -s '{program:"/usr/bin/fio",
		libraries:., why:"optional fio engines; a stub aborts with its name if called"}')" \
	--argjson xen "$(img xen xen)" --argjson vmlinuz "$(img vmlinuz vmlinuz)" \
	--argjson vmlinux "$(img domU_kernel vmlinux)" \
	--argjson dom0 "$(img dom0 dom0.cpio.zst)" --argjson domU "$(img domU domU.cpio.zst)" \
	--argjson domU_raw "$(img domU_raw domU.cpio)" --argjson tiny "$(img tiny tiny.cpio)" \
	--argjson dom0_unpacked "$(du -sb "$root" | cut -f1)" \
	--argjson domU_unpacked "$(du -sb "$uroot" | cut -f1)" \
	--argjson pk "$(jq -R -s 'split("\n") | map(select(length>0) | split("\t") |
		{name:.[0], version:.[1]})' "$b/packages.tsv")" \
	'{schema:"pvbench-images/1", built_at:$built, build_seconds:$secs, input_hash:$hash,
	  kernel_abi:$kabi, xen_version:"4.17",
	  images:{xen:$xen, vmlinuz:$vmlinuz, domU_kernel:$vmlinux, dom0:($dom0 + {unpacked_bytes:$dom0_unpacked}),
	          domU:($domU + {unpacked_bytes:$domU_unpacked}), domU_raw:$domU_raw, tiny:$tiny},
	  domU_stubbed_libraries:$stubs, inputs:$inputs, packages:$pk}' >"$b/manifest.json"
for f in xen vmlinuz vmlinux dom0.cpio.zst domU.cpio.zst domU.cpio tiny.cpio; do mv -f "$b/$f" "$out/$f"; done
mv -f "$b/manifest.json" "$out/manifest.json"
printf 'images built in %ss: dom0 %s MiB, domU %s MiB (compressed)\n' \
	$((t_end - t_start)) \
	$(($(stat -c %s "$out/dom0.cpio.zst") / 1048576)) \
	$(($(stat -c %s "$out/domU.cpio.zst") / 1048576)) >&2
