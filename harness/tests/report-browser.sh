#!/bin/bash
# report-browser.sh: renders `pvbench report` from the synthetic fixtures in
# harness/tests/data/results and opens each report.html in headless Chromium, at
# phone and desktop widths: the page must load without console errors or blocked
# fetches, produce a screenshot, and its DOM must hold the report and no element
# injected by the hostile fixture. Prints TAP 13; exits 0 on success, 77 (skip)
# when Chromium is absent, 1 on failure.
# Usage: harness/tests/report-browser.sh   (PVBENCH=..., CHROMIUM=... override)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
PVBENCH=${PVBENCH:-build/pvbench}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
D=harness/tests/data/results

if [ ! -x "$CHROMIUM" ]; then
	echo "1..0 # SKIP chromium not found at $CHROMIUM"
	exit 77
fi
if [ ! -x "$PVBENCH" ]; then
	echo "error: '$PVBENCH' not built (make build/pvbench)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name: report arguments
cases=(
	"two-runs:$D/base $D/new"
	"hostile:$D/hostile"
	"sweep:$D/sweep"
)
echo "TAP version 13"
echo "1..$((${#cases[@]} * 4))"
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n - $1"
	if [ -f "${2:-}" ]; then sed 's/^/# /' "$2" | tail -20; fi
}

chromium() {
	# $1 report dir, $2 window size, then extra arguments
	local out=$1 size=$2
	shift 2
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d -p "$tmp")" --enable-logging=stderr --v=0 \
		--window-size="$size" "$@" "file://$out/report.html"
}

screenshot() {
	# $1 case name, $2 report dir, $3 window size
	local png=$tmp/$1-${3/,/x}.png log=$tmp/$1-${3/,/x}.log rc errors
	chromium "$2" "$3" --screenshot="$png" >"$log" 2>&1
	rc=$?
	errors=$(grep -E 'CONSOLE|Refused to|net::ERR_|Uncaught' "$log" || true)
	if [ $rc = 0 ] && [ -s "$png" ] && [ "$(head -c 4 "$png" | tail -c 3)" = PNG ] &&
		[ -z "$errors" ]; then
		ok "$1: screenshot at $3, no console errors or blocked loads"
	else
		not_ok "$1: screenshot at $3 (chromium exit $rc)" "$log"
	fi
}

dom_check() {
	# $1 case name, $2 report dir: sections present, nothing injected
	local dom=$tmp/$1.dom
	chromium "$2" 412,915 --dump-dom >"$dom" 2>/dev/null
	if grep -q '<h2>Summary</h2>' "$dom" && grep -q '<h2>How to reproduce</h2>' "$dom" &&
		! grep -qiE '<(script|iframe|svg|object|embed)|<img src="?x|<[^>]*onerror=' "$dom"; then
		ok "$1: DOM holds the report and no injected element"
	else
		not_ok "$1: DOM lacks report sections or holds an injected element"
	fi
}

for c in "${cases[@]}"; do
	name=${c%%:*} args=${c#*:} out=$tmp/$name
	# shellcheck disable=SC2086
	if ! "$PVBENCH" -q report $args -o "$out" 2>"$tmp/$name.report.log"; then
		not_ok "$name: pvbench report" "$tmp/$name.report.log"
		for t in "phone screenshot" "desktop screenshot" "DOM"; do not_ok "$name: $t"; done
		continue
	fi
	ok "$name: pvbench report"
	screenshot "$name" "$out" 412,915
	screenshot "$name" "$out" 1280,1600
	dom_check "$name" "$out"
done
# KEEP_SCREENSHOTS=DIR keeps the screenshots for people to look at.
if [ -n "${KEEP_SCREENSHOTS:-}" ]; then cp "$tmp"/*.png "$KEEP_SCREENSHOTS"/; fi
exit $failed
