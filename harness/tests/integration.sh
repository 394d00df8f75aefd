#!/bin/bash
# harness/tests/integration.sh: the real-system part of `make check`. Boots the bundled
# Xen + dom0 + a PV domU under QEMU once (`pvbench boot --json`) and checks the JSON:
# every health check passed and every timeline milestone was reached. Later stages
# (scenario smoke run, report rendering) are added below as they exist.
# Prints TAP and a closing "N passed, N failed" line.
set -u
cd "$(dirname "$0")/../.."
pv=build/pvbench
out=build/runs/check-$(date -u +%Y%m%d-%H%M%S)
pass=0 fail=0 n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/# /'; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }

echo "TAP version 13"
# --- pvbench boot ---------------------------------------------------------------
t0=$(date +%s)
$pv boot --json -o "$out/boot" >"$out.boot.json" 2>"$out.boot.err"
rc=$?
t1=$(date +%s)
mkdir -p "$out" && mv "$out.boot.json" "$out.boot.err" "$out/" 2>/dev/null
j=$out/$(basename "$out").boot.json
if [ $rc -eq 0 ]; then ok "pvbench boot exits 0 ($((t1 - t0)) s)"; else
	notok "pvbench boot exits 0 (got $rc)" "$(tail -50 "$out/$(basename "$out").boot.err")"; fi
check "boot JSON is valid and says ok" jq -e '.ok == true' "$j"
check "every health check passed" jq -e '[.boots[0].checks[] | .ok] | all and length >= 10' "$j"
for m in xen_banner dom0_kernel dom0_init toolstack_ready xl_create domU_init domU_ready shutdown_done; do
	check "timeline: $m reached" jq -e ".boots[0].timeline.${m}_s > 0" "$j"
done
check "timeline is ordered" jq -e '.boots[0].timeline | [.xen_banner_s, .dom0_kernel_s,
	.dom0_init_s, .toolstack_ready_s, .xl_create_s, .domU_init_s, .domU_ready_s,
	.shutdown_done_s] | . == sort' "$j"
check "accelerator choice recorded" jq -e '.accel_reason | length > 0' "$j"
check "serial log kept" test -s "$out/boot/xen-serial.log"
check "domU console kept" grep -q 'pvbench-domU: init at' "$out/boot/domU-console.log"
check "no QEMU left behind" bash -c '! pgrep -f "qemu-system-x86_64.*pvbctl" >/dev/null'

echo "1..$n"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
