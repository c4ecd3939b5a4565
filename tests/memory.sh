#!/usr/bin/env bash
# One probe's peak memory stays under 8 MiB, even against floods: a 64 MiB
# line, a million continuation lines, 64 MiB of garbage.  Measured with
# /usr/bin/time -v; a sanitizer build (whose shadow memory is not ours)
# skips the bound but still runs the floods.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
limit_kb=8192
pass=0 fail=0

command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
timev=/usr/bin/time
[ -x "$timev" ] || { [ "${CI:-}" = true ] && { echo "FAIL: /usr/bin/time missing in CI"; exit 1; }; echo "SKIP: /usr/bin/time is not installed (apt-get install time)"; exit 77; }
sanitized=0
if nm -D "$SMTPROBE" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
	sanitized=1
fi

for mode in longline lines garbage; do
	pf=$(mktemp)
	python3 "$here/lib/floodsrv.py" "$mode" "$pf" &
	srv=$!
	for _ in $(seq 1 50); do [ -s "$pf" ] && break; sleep 0.1; done
	port=$(cat "$pf")
	out=$("$timev" -v "$SMTPROBE" -q --tls none --timeout 5 "127.0.0.1:$port" 2>&1)
	st=$?
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	rm -f "$pf"
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' <<<"$out")
	verdict=$(grep -m1 -E '^(OK|WARNING|CRITICAL|UNKNOWN):' <<<"$out")
	echo "$mode: exit $st, peak RSS ${rss:-?} KiB: $verdict"
	if [ "$st" -eq 2 ] && [[ "$verdict" == CRITICAL:* ]]; then pass=$((pass + 1)); else
		echo "FAIL: $mode: want CRITICAL and exit 2"; fail=$((fail + 1)); fi
	if [ "$sanitized" = 1 ]; then
		echo "  (sanitizer build: the ${limit_kb} KiB bound is checked in the plain build)"
	elif [ -n "$rss" ] && [ "$rss" -lt "$limit_kb" ]; then pass=$((pass + 1)); else
		echo "FAIL: $mode: peak RSS ${rss:-?} KiB, limit $limit_kb"; fail=$((fail + 1)); fi
done

# `explain -` reads a bounded start of its input (BOUND_EXPLAIN_INPUT), so
# 64 MiB of reply lines on standard input cost no more than a few.
out=$(yes '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown' | head -c 67108864 |
	"$timev" -v "$SMTPROBE" explain - 2>&1 >/dev/null)
st=$?
rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' <<<"$out")
echo "explain -: exit $st, peak RSS ${rss:-?} KiB"
if [ "$st" -eq 0 ]; then pass=$((pass + 1)); else echo "FAIL: explain -: exit $st"; fail=$((fail + 1)); fi
if [ "$sanitized" = 1 ]; then
	echo "  (sanitizer build: the ${limit_kb} KiB bound is checked in the plain build)"
elif [ -n "$rss" ] && [ "$rss" -lt "$limit_kb" ]; then pass=$((pass + 1)); else
	echo "FAIL: explain -: peak RSS ${rss:-?} KiB, limit $limit_kb"; fail=$((fail + 1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
