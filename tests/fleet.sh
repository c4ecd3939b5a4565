#!/usr/bin/env bash
# The fleet: a pool that never stalls behind a silent target, the per-IP
# limit and de-duplication as a server counting its connections sees them,
# a 421 rate limit and its one retry, and the progress line on a terminal.
# Listeners are scripted (tests/lib/fleetsrv.py), each on an address of
# its own in 127.0.0.0/8 (all loopback on Linux) and a free port.
# Assertions are about the order of events (SMTPROBE_FLEET_TRACE), the
# server's counts and the records, not about wall seconds.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.9.1", 0))' 2>/dev/null ||
	skip "cannot bind 127.0.9.1 (loopback beyond 127.0.0.1 is needed)"

dir=$(mktemp -d /tmp/smtprobe-fleet.XXXXXX)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$dir"' EXIT

# start SPEC: run fleetsrv on SPEC; $dir/ready gets "ADDRESS PORT MODE".
start() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	rm -f "$dir/ready" "$dir/stats"
	python3 "$here/lib/fleetsrv.py" "$1" "$dir/ready" "$dir/stats" &
	srv=$!
	for _ in $(seq 100); do
		[ -s "$dir/ready" ] && return 0
		sleep 0.1
	done
	echo "FAIL: fleetsrv did not start"
	exit 1
}

# -------------------------------------------------------------------------
# 1. 200 targets, every tenth silent (the first one too), --parallel 16
# --timeout 3.  The old pool, whose window was --parallel wide, let a
# silent target hold every later one back: with target 1 silent, at most
# 14 fast targets could finish before it timed out.  Now the pool goes on
# starting probes past it, so the fast targets finish first.
: >"$dir/spec"
for i in $(seq 1 200); do
	if [ $((i % 10)) -eq 1 ]; then mode=silent; else mode=fast; fi
	echo "127.0.9.$i $mode" >>"$dir/spec"
done
start "$dir/spec"
awk '{print $1 ":" $2}' "$dir/ready" >"$dir/targets"
SMTPROBE_FLEET_TRACE=1 "$SMTPROBE" --tls none --parallel 16 --timeout 3 --format json \
	--targets-file "$dir/targets" >"$dir/out.json" 2>"$dir/trace"
st=$?
status_is "pool exit status" $st 2
res=$(python3 - "$dir/ready" "$dir/out.json" "$dir/trace" <<'EOF'
import json, sys
ready = [l.split() for l in open(sys.argv[1])]
reports = [json.loads(l) for l in open(sys.argv[2])]
trace = [l.split() for l in open(sys.argv[3]) if l.startswith("fleet: ")]
silent = {"%s:%s" % (a, p) for a, p, m in ready if m == "silent"}
out = []
out.append("reports=%d" % len(reports))
out.append("in-order=%s" % ([r["target"] for r in reports] == ["%s:%s" % (a, p) for a, p, m in ready]))
ok = all((r["verdict"] == "CRITICAL" and r["findings"][0]["id"] == "timeout") if r["target"] in silent
         else r["verdict"] == "OK" for r in reports)
out.append("verdicts=%s" % ok)
# Completion events: how many fast targets were done before the first
# silent one timed out.
fast_before = 0
for ev in trace:
    if ev[1] == "done":
        if ev[3] in silent:
            break
        fast_before += 1
out.append("fast-before-first-silent=%d" % fast_before)
# Every probe started and ended once.
starts = sorted(int(ev[2]) for ev in trace if ev[1] == "start")
dones = sorted(int(ev[2]) for ev in trace if ev[1] == "done")
out.append("events=%s" % (starts == list(range(1, 201)) and dones == starts))
print(" ".join(out))
EOF
)
echo "pool: $res"
check "pool: every report" "$res" "reports=200"
check "pool: output in input order" "$res" "in-order=True"
check "pool: silent ones time out, fast ones pass" "$res" "verdicts=True"
check "pool: each probe started and ended once" "$res" "events=True"
n=$(sed -n 's/.*fast-before-first-silent=\([0-9]*\).*/\1/p' <<<"$res")
if [ "${n:-0}" -ge 100 ]; then pass=$((pass + 1)); else
	echo "FAIL: pool: only ${n:-0} fast targets finished before the first silent one timed out (want >= 100)"
	fail=$((fail + 1))
fi

# -------------------------------------------------------------------------
# 2. --per-ip: six listeners on one address, each greeting 400 ms late so
# that connections overlap; the server counts the most open at once.
: >"$dir/spec"
for i in 1 2 3 4 5 6; do echo "127.0.9.201 slow" >>"$dir/spec"; done
echo "127.0.9.202 slow" >>"$dir/spec"
start "$dir/spec"
mapfile -t six < <(awk '$1 == "127.0.9.201" {print $1 ":" $2}' "$dir/ready")
other=$(awk '$1 == "127.0.9.202" {print $1 ":" $2}' "$dir/ready")
"$SMTPROBE" --tls none --parallel 6 -q "${six[@]}" >/dev/null 2>&1
peak=$(sed -n 's/^127.0.9.201 connections=6 peak=\([0-9]*\)$/\1/p' "$dir/stats")
echo "per-ip default: peak ${peak:-?} of 6 connections"
status_is "per-ip: default 2 at once" "${peak:-0}" 2
start "$dir/spec"
mapfile -t six < <(awk '$1 == "127.0.9.201" {print $1 ":" $2}' "$dir/ready")
"$SMTPROBE" --tls none --parallel 6 --per-ip 6 -q "${six[@]}" >/dev/null 2>&1
peak=$(sed -n 's/^127.0.9.201 connections=6 peak=\([0-9]*\)$/\1/p' "$dir/stats")
echo "per-ip 6: peak ${peak:-?} of 6 connections"
# The server's count can see more than 2 at once: the check above means
# something.
if [ "${peak:-0}" -gt 2 ]; then pass=$((pass + 1)); else
	echo "FAIL: per-ip 6: the server never saw more than ${peak:-0} at once"
	fail=$((fail + 1))
fi

# De-duplication: one target named three times and another once: two
# connections in all, the repeats marked in JSON and text.
start "$dir/spec"
t1=$(awk '$1 == "127.0.9.201" {print $1 ":" $2; exit}' "$dir/ready")
other=$(awk '$1 == "127.0.9.202" {print $1 ":" $2}' "$dir/ready")
out=$("$SMTPROBE" --tls none --parallel 4 --format json "$t1" "$other" "$t1" "$t1")
conns=$(awk '/^127.0.9.20[12] connections=/ {split($2, a, "="); n += a[2]} END {print n + 0}' "$dir/stats")
status_is "dedup: connections the server saw" "$conns" 2
res=$(python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
print(" ".join(str(x.get("reused_from")) for x in r), " ".join(x["verdict"] for x in r))' <<<"$out")
echo "dedup: $res"
check "dedup: repeats name the target they reuse" "$res" "None None 1 1 OK OK OK OK"
json_dedup=$out
out=$("$SMTPROBE" --tls none -q "$t1" "$t1")
check "dedup: text says reused" "$out" "(reused: target 1)"
out=$("$SMTPROBE" --tls none --format nagios "$t1" "$t1")
check "dedup: nagios says reused" "$out" "(reused: target 1)"

# -------------------------------------------------------------------------
# 3. A 421 rate limit: the first connection gets "421 4.7.0 ... too many
# connections", the next a 220.  With --retry-after 1 the record is the
# second attempt, with the first one's facts; with 0 there is no retry,
# and the session is rate-limited, not "no STARTTLS" under --tls starttls.
printf '127.0.9.210 ratelimit\n127.0.9.211 ratelimit\n127.0.9.212 ratelimit\n' >"$dir/spec"
start "$dir/spec"
rl1=$(awk '$1 == "127.0.9.210" {print $1 ":" $2}' "$dir/ready")
rl2=$(awk '$1 == "127.0.9.211" {print $1 ":" $2}' "$dir/ready")
rl3=$(awk '$1 == "127.0.9.212" {print $1 ":" $2}' "$dir/ready")
out=$("$SMTPROBE" --tls none --retry-after 1 --format json "$rl1"); st=$?
status_is "retry: exit status" $st 0
res=$(python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
f = r.get("first_attempt") or {}
print(r["verdict"], f.get("code"), f.get("enhanced"), f.get("command"), f.get("address"),
      f.get("waited_ms", 0) >= 900, [x["id"] + "/" + x["severity"] for x in r["findings"]],
      "too many connections" in f.get("text", ""))' <<<"$out")
echo "retry: $res"
check "retry: second attempt OK, first one's facts kept" "$res" \
	"OK 421 4.7.0 greeting 127.0.9.210 True ['rate-limited/INFO'] True"
# Both new keys are in the schema (docs/report.schema.json).
if python3 -c 'import jsonschema' 2>/dev/null; then
	v=$(printf '%s\n%s\n' "$json_dedup" "$out" | python3 "$here/lib/validate-json.py" \
		"$top_srcdir/docs/report.schema.json" 2>&1); st=$?
	status_is "schema: reused_from and first_attempt ($v)" $st 0
fi
conns=$(sed -n 's/^127.0.9.210 connections=\([0-9]*\).*/\1/p' "$dir/stats")
status_is "retry: connections the server saw" "${conns:-0}" 2
gap=$(awk '$1 == "at" && $2 == "127.0.9.210" {t[n++] = $3} END {print (n == 2 && t[1] - t[0] >= 0.9) ? "yes" : "no"}' "$dir/stats")
check "retry: the second connection came after the pause" "$gap" "yes"
out=$("$SMTPROBE" --tls starttls --retry-after 0 --expect-banner Postfix "$rl2"); st=$?
echo "$out" | tail -3
status_is "no retry: WARNING" $st 1
check "no retry: rate-limited" "$out" "rate-limited: the greeting answered: 421 4.7.0"
if [[ "$out" == *starttls-not-offered* || "$out" == *banner-* ]]; then
	echo "FAIL: no retry: a check of what the probe could not reach"
	fail=$((fail + 1))
else pass=$((pass + 1)); fi
conns=$(sed -n 's/^127.0.9.211 connections=\([0-9]*\).*/\1/p' "$dir/stats")
status_is "no retry: one connection" "${conns:-0}" 1

# -------------------------------------------------------------------------
# 4. Progress: on a terminal (script(1) gives the run one), stderr shows
# done/total and the verdict counts, redrawn with \r and cleared at the
# end; not with -q, and not when stderr is not a terminal.
if command -v script >/dev/null; then
	printf '127.0.9.220 fast\n127.0.9.221 fast\n127.0.9.222 silent\n' >"$dir/spec"
	start "$dir/spec"
	mapfile -t three < <(awk '{print $1 ":" $2}' "$dir/ready")
	script -qec "'$SMTPROBE' --tls none --timeout 2 --format json ${three[*]} 2>&1 >/dev/null" \
		"$dir/typescript" >/dev/null 2>&1
	# script(1) writes a first and a last line of its own.
	tty=$(sed '1d;$d' "$dir/typescript" | tr '\r' '\n')
	check "progress: counts" "$tty" "done: OK"
	check "progress: the slowest in flight" "$tty" "; slowest 127.0.9.222:"
	check "progress: done/total" "$tty" "2/3 done: OK 2, WARNING 0, CRITICAL 0"
	# Redrawn over itself with CR, and cleared at the end: the last
	# thing written is spaces over the line, then CR.
	last=$(sed '1d;$d' "$dir/typescript" | tr -d '\n' | awk -F'\r' '{print $(NF-1) "|" $NF}')
	if [[ "$last" =~ ^\ +\|$ ]]; then pass=$((pass + 1)); else
		echo "FAIL: progress: not cleared at the end ('$last')"; fail=$((fail + 1)); fi
	width=$(printf '%s\n' "$tty" | awk '{ if (length($0) > w) w = length($0) } END {print w + 0}')
	if [ "$width" -le 80 ]; then pass=$((pass + 1)); else
		echo "FAIL: progress: a line of $width columns"; fail=$((fail + 1)); fi
	script -qec "'$SMTPROBE' --tls none --timeout 2 -q ${three[*]} 2>&1 >/dev/null" \
		"$dir/typescript" >/dev/null 2>&1
	if sed '1d;$d' "$dir/typescript" | grep -q "done"; then
		echo "FAIL: progress: shown with -q"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
else
	echo "no script(1): the terminal checks are left out"
fi
err=$("$SMTPROBE" --tls none --timeout 2 --format json "${three[@]:-$rl3}" 2>&1 >/dev/null)
if [ -z "$err" ]; then pass=$((pass + 1)); else
	echo "FAIL: progress on a stderr that is no terminal: $err"; fail=$((fail + 1)); fi

finish
