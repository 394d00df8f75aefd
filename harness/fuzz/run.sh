#!/bin/bash
# harness/fuzz/run.sh: builds the libFuzzer targets with clang (ASan + UBSan) and
# fuzzes one for SECONDS (default 600). Targets: scenario (default: the scenario
# parser, seeded from scenarios/ and harness/tests/data/scenarios/), or the name of
# any registered workload (workloads/registry.c; `pvbench list`): its output parser
# (fuzz_parse.c), seeded from harness/tests/data/<name>/. fio_json and iperf3_json
# are the older names of fio and iperf3.
# Usage: harness/fuzz/run.sh [SECONDS] [TARGET]   (from the repository root)
# Output in build/fuzz/: the binaries, corpus-TARGET/, crashes-TARGET/, TARGET.log.
# Exit status: 0 no finding, 1 a crash/leak/timeout was found (see the log).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-600}
target=${2:-scenario}
out=build/fuzz
cc=${CLANG:-clang}
src="harness/src/scenario/scenario.c harness/src/scenario/scenario_check.c harness/src/scenario/scenario_keys.c
	harness/src/scenario/scenario_rules.c harness/src/scenario/plan.c harness/src/base/util.c
	harness/src/base/toolout.c harness/src/base/status.c $(echo workloads/*.c workloads/*/*.c)"
flags="-g -O1 -std=gnu11 -Iharness/include -fno-omit-frame-pointer"
san="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
libs="-linih -ljansson -lm"
mkdir -p "$out/corpus-$target" "$out/crashes-$target"

case $target in
scenario)
	$cc $flags $san -o "$out/fuzz_scenario" harness/fuzz/fuzz_scenario.c $src $libs
	$cc $flags -DFUZZ_DICT_MAIN -fsanitize=fuzzer-no-link -o "$out/fuzz_scenario_dict" \
		harness/fuzz/fuzz_scenario.c $src $libs
	"$out/fuzz_scenario_dict" | sort -u >"$out/scenario.dict"
	cp scenarios/*.ini "$out/corpus-$target/"
	find harness/tests/data/scenarios -name '*.ini' -exec cp {} "$out/corpus-$target/" \;
	bin=$out/fuzz_scenario
	extra=(-dict="$out/scenario.dict" -max_len=4096)
	;;
*)
	case $target in fio_json | iperf3_json) target=${target%_json} ;; esac
	# a registered workload: a row of workloads/registry.c names it
	if ! grep -qE "^#define WORKLOADS\(X\).*X\($target\)" workloads/registry.c; then
		echo "error: unknown target '$target' (scenario, or a workload:" \
			"$(sed -nE 's/^#define WORKLOADS\(X\) //p' workloads/registry.c |
				sed -E 's/X\(([a-z0-9_]+)\)/\1/g'))" >&2
		exit 2
	fi
	mkdir -p "$out/corpus-$target" "$out/crashes-$target"
	$cc $flags $san -DFUZZ_WORKLOAD="\"$target\"" -o "$out/fuzz_$target" \
		harness/fuzz/fuzz_parse.c $src $libs
	find "harness/tests/data/$target" -type f -size -64k -exec cp {} "$out/corpus-$target/" \;
	bin=$out/fuzz_$target
	extra=(-max_len=65536)
	;;
esac

echo "fuzz: $bin for ${secs}s, log in $out/$target.log" >&2
set +e
"$bin" "${extra[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/crashes-$target/" \
	"$out/corpus-$target" >"$out/$target.log" 2>&1
rc=$?
set -e
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
	"$out/$target.log" >&2 || true
echo "fuzz: corpus $(ls "$out/corpus-$target" | wc -l) inputs," \
	"findings $(ls "$out/crashes-$target" | wc -l) (exit $rc)" >&2
[ $rc = 0 ]
