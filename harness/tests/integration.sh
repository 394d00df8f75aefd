#!/bin/bash
# harness/tests/integration.sh: the real-system part of `make check`. Boots the bundled
# Xen + dom0 + a PV domU under QEMU once (`pvbench boot --json`) and checks the JSON:
# every health check passed and every timeline milestone was reached. Then runs the
# smoke scenario for real (1 vs 2 blkfront rings, 2 repetitions each, short fio) and
# checks results.json, the evidence, the metrics against the raw fio JSON, compare
# and report. Then, each for real and short: iperf3 dom0 -> domU (net-mq), the
# event-channel ping-pong (evtchn-abi), `pvbench conform`, httperf against nginx
# (web-httperf, 2 queues) and the xenwatch storm (0 and 2 tiny domUs).
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
mkdir -p "$out"
j=$out/boot-stdout.json
t0=$(date +%s)
$pv boot --json -o "$out/boot" >"$j" 2>"$out/boot-stderr.log"
rc=$?
t1=$(date +%s)
if [ $rc -eq 0 ]; then ok "pvbench boot exits 0 ($((t1 - t0)) s)"; else
	notok "pvbench boot exits 0 (got $rc)" "$(tail -50 "$out/boot-stderr.log")"; fi
check "boot JSON is valid and says ok" jq -e '.ok == true' "$j"
check "every health check passed" jq -e '[.boots[0].checks[] | .ok] | all and length >= 10' "$j"
for m in xen_banner dom0_kernel dom0_init toolstack_ready xl_create domU_init domU_ready shutdown_done; do
	check "timeline: $m reached" jq -e ".boots[0].timeline.${m}_s > 0" "$j"
done
check "timeline is ordered" jq -e '.boots[0].timeline | [.xen_banner_s, .dom0_kernel_s,
	.dom0_init_s, .toolstack_ready_s, .xl_create_s, .domU_init_s, .domU_ready_s,
	.shutdown_done_s] | . == sort' "$j"
check "accelerator choice recorded" jq -e '.accel_reason | length > 0' "$j"
check "clock: icount (shift 3) under TCG, host under KVM" \
	jq -e 'if .accel == "tcg" then .clock == "icount" and .icount_shift == 3
		else .clock == "host" end' "$j"
check "serial log kept" test -s "$out/boot/xen-serial.log"
check "domU console kept" grep -q 'pvbench-domU: init at' "$out/boot/domU-console.log"
check "no QEMU left behind" bash -c '! pgrep -f "[q]emu-system-x86_64.*pvbctl" >/dev/null'

# --- pvbench run: the smoke scenario (1 ring vs 2 rings, 2 reps each) ----------------
r=$out/smoke
$pv run scenarios/smoke.ini --quick --jobs 1 -o "$r" >"$out/smoke.out" 2>"$out/smoke.err"
rc=$?
if [ $rc -eq 0 ]; then ok "pvbench run smoke.ini exits 0"; else
	notok "pvbench run smoke.ini exits 0 (got $rc)" "$(tail -40 "$out/smoke.err")"; fi
R=$r/results.json
check "results.json: schema and complete" jq -e '.schema == "pvbench-results/1" and .complete' "$R"
check "results.json: 4 runs, all OK" jq -e '[.runs[] | .status] == ["OK","OK","OK","OK"]' "$R"
check "results.json: interleaved order 1q 2q 1q 2q" \
	jq -e '[.runs[] | .variant] == ["1q","2q","1q","2q"]' "$R"
check "evidence: 2q shows 2 blk-mq queues and blkback 'using 2 queues'" \
	jq -e '[.runs[] | select(.variant=="2q") | .evidence.values.mq_queues == "2" and
		.evidence.values.blkback_queues == "2"] | all' "$R"
check "evidence: 1q shows 1 queue and no multi-queue-num-queues key" \
	jq -e '[.runs[] | select(.variant=="1q") | .evidence.values.mq_queues == "1" and
		.evidence.values["frontend.multi-queue-num-queues"] == null] | all' "$R"
check "one domU per variant, each created once and reused" \
	jq -e '[.runs[] | .guest_setup] == ["new domU", "new domU", "same domU", "same domU"] and
		[.runs[] | .guest] == ["pvbench-domU1", "pvbench-domU2", "pvbench-domU1", "pvbench-domU2"]' "$R"
check "evidence: blkfront's max_queues parameter reads back in every run" \
	jq -e '[.runs[] | .evidence.checks[] | select(.key == "domU_param.xen_blkfront.max_queues")
		| .ok] | length == 4 and all' "$R"
check "conformance (scenario.conform): xvda and eth0 of both domUs checked, no MUST failed" \
	jq -e '[.runs[] | .evidence.conformance | .ok == true and
		([.checks[] | select(.subject == "vbd/51712" or .subject == "vif/0")] | length) >= 30]
		| all' "$R"
check "metrics: read IOPS non-zero in every run" jq -e '[.runs[] | .metrics.read_iops > 0] | all' "$R"
metrics_match() { # each run's read_iops equals the raw fio JSON's jobs[0].read.iops
	local i raw want got
	for i in 0 1 2 3; do
		raw=$r/$(jq -r ".runs[$i].raw[0]" "$R")
		want=$(jq '[.jobs[].read.iops] | add' "$raw")
		got=$(jq ".runs[$i].metrics.read_iops" "$R")
		awk -v a="$want" -v b="$got" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-6 * (a > 1 ? a : 1)) }' || return 1
	done
}
check "metrics match the raw fio JSON" metrics_match
check "results.json says TCG is emulated" jq -e '.environment.emulated == (.environment.accel == "tcg")' "$R"
check "results.json: the clock (icount under TCG), its shift, note and the QEMU version" \
	jq -e '.environment | (if .accel == "tcg" then .clock == "icount" and .icount_shift == 3
		else .clock == "host" end) and (.clock_note | length > 40) and
		(.qemu_version | test("QEMU"))' "$R"
check "QEMU ran single-threaded TCG with -icount shift=3,sleep=off" bash -c '
	[ "$(jq -r .environment.accel "'"$R"'")" != tcg ] ||
	grep -q -- "-icount.*shift=3,sleep=off" "'"$r"'/console/boot-1/qemu-cmdline.txt"'
check "run summary names the clock" grep -q '^clock: ' "$out/smoke.out"
check "run summary opens with the answer: 2q vs 1q read_iops, its verdict and clock" \
	grep -Eq '^2q vs 1q: read_iops [+-][0-9.]+% .*(better|worse|no change|inconclusive).*icount clock' \
	"$out/smoke.out"
check "metrics_meta: read_iops is the primary metric, latency is not" \
	jq -e '.metrics_meta.read_iops.primary == true and
		.metrics_meta.read_clat_p99_ns.primary == false' "$R"
check "compare runs on the result" bash -c "$pv compare '$r' --baseline 1q >'$out/compare.txt'; [ \$? -le 3 ]"
check "report renders" $pv report "$r" -o "$out/report"
check "report carries the emulation banner" grep -qi 'emulat' "$out/report/report.html"

# --- network: a few seconds of iperf3 dom0 -> domU, 1 queue vs 2 -----------------
# The one scenario of this suite in host-clock mode (multi-threaded TCG), so that
# both clocks stay alive.
N=$out/net
rc=0; $pv run scenarios/net-mq.ini --quick --reps 1 --clock host -o "$N" >"$out/net.out" 2>"$out/net.err" || rc=$?
if [ $rc -eq 0 ]; then ok "pvbench run net-mq.ini --quick --reps 1 --clock host exits 0"; else
	notok "pvbench run net-mq.ini exits 0 (got $rc)" "$(tail -40 "$out/net.err")"; fi
NR=$N/results.json
check "net: both variants OK" jq -e '[.runs[] | .status] == ["OK","OK"]' "$NR"
check "net: throughput non-zero and matches the raw iperf3 JSON" bash -c '
	for i in 0 1; do
		got=$(jq ".runs[$i].metrics.throughput_bits_per_s" "'"$NR"'")
		raw="'"$N"'/$(jq -r ".runs[$i].raw[0]" "'"$NR"'")"
		want=$(jq ".end.sum_received.bits_per_second" "$raw")
		jq -en "$got > 0 and ($got - $want | fabs) < 1e-6 * $want" >/dev/null || exit 1
	done'
check "net: evidence shows 1 and 2 netfront queues (eth0 tx queues, xenstore, dom0 irqs)" \
	jq -e '[.runs[] | .evidence.values | [.vif_queues, .["vif_frontend.multi-queue-num-queues"],
		.vif_irqs]] == [["1","1","2"],["2","2","4"]]' "$NR"
check "net: vif hotplug-status connected and both xenbus ends Connected" \
	jq -e '[.runs[] | .evidence.values | .["vif_backend.hotplug-status"] == "connected" and
		.["vif_backend.state"] == "4" and .["vif_frontend.state"] == "4"] | all' "$NR"
check "net: per-interval throughput series kept" jq -e '[.runs[] | .series | length > 0] | all' "$NR"
check "net: --clock host ran multi-threaded TCG without -icount" bash -c '
	jq -e ".environment.clock == \"host\" and .environment.icount_shift == null" "'"$NR"'" >/dev/null &&
	! grep -q -- "-icount" "'"$N"'/console/boot-1/qemu-cmdline.txt"'

# --- event channels: short FIFO vs 2-level ping-pong dom0 <-> domU ------------------
# Two machines at once (--jobs 2, icount): each runs one repetition of each variant.
E=$out/evtchn
rc=0; $pv run scenarios/evtchn-abi.ini --quick --reps 2 --jobs 2 -o "$E" >"$out/evtchn.out" 2>"$out/evtchn.err" || rc=$?
if [ $rc -eq 0 ]; then ok "pvbench run evtchn-abi.ini --quick --reps 2 --jobs 2 exits 0"; else
	notok "pvbench run evtchn-abi.ini exits 0 (got $rc)" "$(tail -40 "$out/evtchn.err")"; fi
ER=$E/results.json
check "evtchn: all 4 runs OK, in plan order, complete" \
	jq -e '[.runs[] | .status] == ["OK","OK","OK","OK"] and [.runs[] | .seq] == [1,2,3,4] and .complete' "$ER"
check "evtchn --jobs 2: repetition 1 on boot 1, repetition 2 on boot 2, both consoles kept" bash -c '
	jq -e "[.runs[] | [.rep, .boot]] == [[1,1],[1,1],[2,2],[2,2]] and (.boots | length) == 2 and
		.environment.jobs == 2" "'"$ER"'" >/dev/null &&
	test -s "'"$E"'/console/boot-1/xen-serial.log" && test -s "'"$E"'/console/boot-2/xen-serial.log"'
check "evtchn: evidence lines say FIFO-based, then 2-level" \
	jq -e '[.runs[] | .evidence.values.evtchn_abi] == ["FIFO-based","2-level","FIFO-based","2-level"] and
		([.runs[] | .evidence.log_lines[] | test("Using (FIFO-based|2-level) ABI")] | any)' "$ER"
check "evtchn: non-zero round trips, metrics equal to the raw JSON" bash -c '
	for i in 0 1 2 3; do
		raw="'"$E"'/$(jq -r ".runs[$i].raw[0]" "'"$ER"'")"
		jq -e ".round_trips > 0 and .rtt_ns.p50 > 0" "$raw" >/dev/null || exit 1
		got=$(jq ".runs[$i].metrics.rtt_p50_ns" "'"$ER"'")
		want=$(jq ".rtt_ns.p50" "$raw")
		jq -en "$got == $want" >/dev/null || exit 1
	done'
check "no QEMU left behind after --jobs 2" bash -c '! pgrep -f "[q]emu-system-x86_64.*pvbctl" >/dev/null'

# --- conformance: pvbench conform (negotiation, state machine, leaks, blkif requests) ---
C=$out/conform
rc=0; $pv conform -o "$C" >"$out/conform.tap" 2>"$out/conform.err" || rc=$?
if [ $rc -eq 0 ]; then ok "pvbench conform exits 0 (every MUST check passed)"; else
	notok "pvbench conform exits 0 (got $rc)" "$(tail -40 "$out/conform.err")"; fi
CJ=$C/conform.json
check "conform: TAP 13 on stdout, plan matches the test lines" bash -c '
	t="'"$out"'/conform.tap"
	[ "$(head -1 "$t")" = "TAP version 13" ] &&
	[ "$(sed -n 2p "$t")" = "1..$(grep -cE "^(not )?ok [0-9]+ - " "$t")" ]'
check "conform: JSON agrees with TAP and the exit status" bash -c '
	jq -e ".schema == \"pvbench-conform/1\" and (.checks | length) ==
		$(grep -cE "^(not )?ok [0-9]+ - " "'"$out"'/conform.tap") and
		.ok == ('"$rc"' == 0)" "'"$CJ"'" >/dev/null'
check "conform: negotiation rules checked on xvda, eth0 and the hot-plugged xvdb and vif 1" \
	jq -e '[.checks[] | .subject] as $s | ["vbd/51712","vif/0","vbd/51728","vif/1"] |
		all(. as $d | $s | index($d))' "$CJ"
check "conform: state transitions watched on both ends of xvdb and vif 1, all legal" \
	jq -e '[.checks[] | select(.name | test("transitions$"))] | length == 4 and
		all(.result == "pass")' "$CJ"
check "conform: no grant, event-channel or backend-thread leak after detach" \
	jq -e '[.checks[] | select(.name | startswith("leak."))] | length >= 4 and
		all(.result == "pass")' "$CJ"
check "conform: blkif requests from the user-space frontend: round trips pass, bad ones checked" \
	jq -e '[.checks[] | select((.name | startswith("blkif.")) and .subject == "vbd/51744")] |
		length >= 20 and ([.[] | select(.name == "blkif.read.roundtrip" or
		.name == "blkif.write.roundtrip") | .result] == ["pass","pass"])' "$CJ"
check "conform: dom0 alive and xvda unaffected after the bad requests" \
	jq -e '[.checks[] | select(.name == "dom0.alive" or .name == "blkif.other_vbds_unaffected")
		| .result] == ["pass","pass"]' "$CJ"

# --- web: nginx in the domU, a short httperf rate sweep from dom0 (2 queues) ----------
W=$out/web
rc=0; $pv run scenarios/web-httperf.ini --quick --reps 1 --variant 2q -o "$W" >"$out/web.out" \
	2>"$out/web.err" || rc=$?
if [ $rc -eq 0 ]; then ok "pvbench run web-httperf.ini --quick --variant 2q exits 0"; else
	notok "pvbench run web-httperf.ini exits 0 (got $rc)" "$(tail -40 "$out/web.err")"; fi
WR=$W/results.json
check "web: OK, one series point per offered rate (5), replies at the lowest rate" \
	jq -e '.runs[0].status == "OK" and (.runs[0].series | length) == 5 and
		.runs[0].series[0].offered_rate == 25 and .runs[0].series[0].replies > 0' "$WR"
check "web: every rate's httperf summary is in the raw transcript" bash -c '
	raw="'"$W"'/$(jq -r ".runs[0].raw[0]" "'"$WR"'")"
	[ "$(grep -c "^pvbench-httperf rate=" "$raw")" = 5 ] &&
	[ "$(grep -c "^Reply rate \[replies/s\]" "$raw")" = 5 ]'
check "web: replies in the series equal httperf's Total line" bash -c '
	raw="'"$W"'/$(jq -r ".runs[0].raw[0]" "'"$WR"'")"
	want=$(sed -n "s/^Total: .* replies \([0-9]*\) .*/\1/p" "$raw" | awk "{ s += \$1 } END { print s }")
	got=$(jq "[.runs[0].series[].replies] | add" "'"$WR"'")
	[ -n "$want" ] && [ "$got" = "$want" ]'
check "web: saturation and peak reply rate reported" \
	jq -e '.runs[0].metrics | has("saturation_rate_per_s") and .peak_reply_rate_per_s > 0' "$WR"
check "web: report draws the reply-rate curve" bash -c \
	"$pv report '$W' -o '$out/web-report' >/dev/null 2>&1 && test -s '$out/web-report/charts/reply-rate.svg'"

# --- xenstore: watch latency with 0 and 2 tiny domUs created and destroyed ------------
X=$out/xenwatch
rc=0; $pv run scenarios/xenwatch-storm.ini --quick --reps 1 --variant n0 --variant n2 -o "$X" \
	>"$out/xenwatch.out" 2>"$out/xenwatch.err" || rc=$?
if [ $rc -eq 0 ]; then ok "pvbench run xenwatch-storm.ini --quick (n0, n2) exits 0"; else
	notok "pvbench run xenwatch-storm.ini exits 0 (got $rc)" "$(tail -40 "$out/xenwatch.err")"; fi
XR=$X/results.json
check "xenwatch: both OK, no domU of pvbench's own" \
	jq -e '[.runs[] | .status] == ["OK","OK"] and [.runs[] | .guest_setup] == ["no domU","no domU"]' "$XR"
check "xenwatch: watches went through /dev/xen/xenbus, 200 samples each" bash -c '
	for i in 0 1; do
		raw="'"$X"'/$(jq -r ".runs[$i].raw[0]" "'"$XR"'")"
		jq -e ".transport == \"/dev/xen/xenbus\" and .samples == 200 and .latency_ns.p50 > 0" \
			"$raw" >/dev/null || exit 1
	done'
check "xenwatch: n2 created and destroyed tiny domUs, timed, without failures" bash -c '
	raw="'"$X"'/$(jq -r ".runs[1].raw[0]" "'"$XR"'")"
	jq -e ".guests == 2 and .xl_create_s.n >= 2 and .xl_destroy_s.n >= 2 and
		.create_failures == 0 and .destroy_failures == 0" "$raw" >/dev/null &&
	jq -e ".runs[1].metrics.xl_create_mean_s > 0" "'"$XR"'" >/dev/null'

echo "1..$n"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
