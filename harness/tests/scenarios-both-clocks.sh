#!/bin/bash
# scenarios-both-clocks.sh: every shipped scenario, short, under both clocks
# (`make check-scenarios`; about 30 minutes on a 2-core host, so not part of
# `make check`). Each scenario runs with --quick: twice per variant with the icount
# clock (machines at once as --jobs defaults), once per variant with the host clock.
# A run passes when it exits 0 with every repetition OK and results.json names its
# clock. Prints TAP and, per run, the answer line of `pvbench run`.
# Usage: harness/tests/scenarios-both-clocks.sh [SCENARIO.ini...]  (OUT: output dir)
set -uo pipefail
cd "$(dirname "$0")/../.."
pv=build/pvbench
out=${OUT:-build/check-scenarios}
n=0 pass=0 fail=0
[ $# -gt 0 ] || set -- scenarios/*.ini
rm -rf "$out"; mkdir -p "$out"
echo "TAP version 13"
for f in "$@"; do
	s=$(basename "$f" .ini)
	for clock in icount host; do
		reps=2; [ $clock = host ] && reps=1
		d=$out/$s-$clock t0=$SECONDS rc=0
		$pv run "$f" --quick --reps $reps --clock $clock -o "$d" >"$d.out" 2>"$d.err" || rc=$?
		n=$((n + 1))
		if [ $rc -eq 0 ] && jq -e --arg c $clock '.complete and .environment.clock == $c and
			([.runs[] | .status == "OK"] | all)' "$d/results.json" >/dev/null 2>&1; then
			pass=$((pass + 1)); echo "ok $n - $s ($clock clock, $((SECONDS - t0)) s)"
		else
			fail=$((fail + 1)); echo "not ok $n - $s ($clock clock, exit $rc)"
			tail -5 "$d.err" | sed 's/^/# /'
		fi
		grep -E ' vs .*: ' "$d.out" | sed 's/^/# /'
	done
done
echo "1..$n"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
