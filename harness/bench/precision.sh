#!/bin/bash
# precision.sh: how far instruction-count figures move between runs and under host
# load (`make bench-precision`). For each SCENARIO:VARIANT it runs that variant
# three times with the icount clock, --jobs 1, REPS repetitions each: A and B on a
# quiet host, C while two CPU-bound processes (started and stopped here) keep both
# host cores busy. It prints, for the workload's primary metric, each run's median
# and CV, the between-run shift (B vs A) and the loaded-host shift (C vs A), and
# the targets (CV <= 1%, between-run <= 1%, loaded <= 1.5%). Figures, not pass/fail.
# Usage: harness/bench/precision.sh [SCENARIO:VARIANT...]
#   default: blk-mq:1q evtchn-abi:fifo net-mq:1q; REPS (5), OUT (build/bench-precision)
set -uo pipefail
cd "$(dirname "$0")/../.."
pv=build/pvbench
reps=${REPS:-5}
out=${OUT:-build/bench-precision}
[ $# -gt 0 ] || set -- blk-mq:1q evtchn-abi:fifo net-mq:1q
hogs=()
stop_hogs() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null; wait "${hogs[@]}" 2>/dev/null; hogs=(); }
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT TERM

# median, CV (%) and n of the primary metric's OK samples: "median cv n metric"
summary() {
	jq -r '(.metrics_meta | to_entries | map(select(.value.primary)) | .[0].key) as $m
		| [.runs[] | select(.status == "OK") | .metrics[$m]] | sort as $v | ($v | length) as $n
		| ($v | add / $n) as $mean
		| (if $n % 2 == 1 then $v[($n - 1) / 2] else ($v[$n / 2 - 1] + $v[$n / 2]) / 2 end) as $med
		| ([$v[] | (. - $mean) * (. - $mean)] | add / ($n - 1) | sqrt) as $sd
		| "\($med) \(100 * $sd / $mean) \($n) \($m)"' "$1/results.json"
}

one_run() { # DIR SCENARIO VARIANT
	local t0=$SECONDS
	$pv run "scenarios/$2.ini" --variant "$3" --reps "$reps" --clock icount --jobs 1 -o "$1" \
		>"$1.out" 2>"$1.err" || { echo "  run $1 failed (exit $?): see $1.err"; return 1; }
	echo "  $(basename "$1"): $((SECONDS - t0)) s wall"
}

rm -rf "$out"; mkdir -p "$out"
sum=$out/summary.txt
printf '%-22s %-24s %12s %7s %12s %7s %12s %7s %9s %9s\n' scenario:variant metric \
	median_A cv_A median_B cv_B median_C cv_C "B vs A" "C vs A" >"$sum"
for sv in "$@"; do
	s=${sv%%:*} v=${sv#*:}
	echo "== $s variant $v: $reps repetitions x 3 runs (icount, --jobs 1)"
	one_run "$out/$s-A" "$s" "$v" || continue
	one_run "$out/$s-B" "$s" "$v" || continue
	for i in 1 2; do (while :; do :; done) & hogs+=($!); done
	one_run "$out/$s-C" "$s" "$v"; rc=$?
	stop_hogs
	[ $rc -eq 0 ] || continue
	read -r ma ca na m < <(summary "$out/$s-A")
	read -r mb cb nb _ < <(summary "$out/$s-B")
	read -r mc cc nc _ < <(summary "$out/$s-C")
	awk -v sv="$sv" -v m="$m" -v ma="$ma" -v ca="$ca" -v mb="$mb" -v cb="$cb" -v mc="$mc" -v cc="$cc" \
		'BEGIN { printf "%-22s %-24s %12.6g %6.2f%% %12.6g %6.2f%% %12.6g %6.2f%% %+8.2f%% %+8.2f%%\n",
			sv, m, ma, ca, mb, cb, mc, cc, 100 * (mb / ma - 1), 100 * (mc / ma - 1) }' >>"$sum"
done
echo
echo "icount precision (A, B quiet; C with two CPU hogs on the host; $reps repetitions each)"
cat "$sum"
echo "targets: CV <= 1%, B vs A within 1%, C vs A within 1.5% (also in $sum)"
