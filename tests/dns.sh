#!/usr/bin/env bash
# DNS with deadlines: --mx and --dns-server lookups against scripted
# servers (tests/lib/fakedns.py): one that never answers, one that answers
# AAAA with SERVFAIL and A with an address, one whose MX records name
# addresses; the answering one also on [::1] when it can be bound.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"

dir=$(mktemp -d /tmp/smtprobe-dns.XXXXXX)
python3 "$here/lib/fakedns.py" "$dir" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do [ -f "$dir/ports" ] && break; sleep 0.05; done
[ -f "$dir/ports" ] || { echo "FAIL: fakedns.py did not start"; exit 1; }
read -r hole good good6 <"$dir/ports"
closed=$("$FREEPORT")

ms() { date +%s%3N; }

# 1. A server that never answers, three --mx and --total-timeout 1: the
#    lookups share the run's second, and the run ends soon after (not
#    after 3 x glibc's retries); the time spent is recorded.
t0=$(ms)
out=$(timeout 20 "$SMTPROBE" --dns-server "127.0.0.1:$hole" --total-timeout 1 --format json \
	--mx a.test --mx b.test --mx c.test); st=$?
t1=$(ms)
echo "three --mx against a silent server: $((t1 - t0)) ms"
status_is deadline-status $st 2
[ $((t1 - t0)) -lt 2500 ] && pass=$((pass + 1)) || { echo "FAIL: deadline: took $((t1 - t0)) ms"; fail=$((fail + 1)); }
check deadline "$(sed -n 1p <<<"$out")" 'no answer before the deadline'
check deadline "$(sed -n 3p <<<"$out")" 'no time left'
first_ms=$(sed -n 1p <<<"$out" | grep -o '"lookup_ms":[0-9]*' | cut -d: -f2)
[ "${first_ms:-0}" -ge 500 ] && pass=$((pass + 1)) || { echo "FAIL: lookup time recorded as '${first_ms:-}' ms"; fail=$((fail + 1)); }

# 2. A target resolved through a silent --dns-server: bounded by --timeout.
t0=$(ms)
out=$(timeout 20 "$SMTPROBE" --dns-server "127.0.0.1:$hole" --timeout 1 -q "mx.hole.test:$closed"); st=$?
t1=$(ms)
echo "a target through a silent server: $((t1 - t0)) ms"
status_is target-deadline $st 2
[ $((t1 - t0)) -lt 2500 ] && pass=$((pass + 1)) || { echo "FAIL: target deadline: took $((t1 - t0)) ms"; fail=$((fail + 1)); }
check target-deadline "$out" "resolve-failed"

# 2b. One lookup that gets no answer does not hold up the others: a
#     silent name and fifteen answered ones, sixteen at once; the answered
#     ones end in milliseconds while the silent one waits out --timeout.
many="silent.test:$closed"
for _ in $(seq 1 15); do many="$many split.test:$closed"; done
# shellcheck disable=SC2086
out=$(timeout 40 "$SMTPROBE" --dns-server "127.0.0.1:$good" --timeout 3 --parallel 16 -q $many); st=$?
status_is parallel $st 2
check parallel "$(sed -n 1p <<<"$out")" "silent.test:$closed, 3"
slow=$(sed -n '2,$p' <<<"$out" | grep -c -E ', [0-9]{4,} ms ')
fast=$(sed -n '2,$p' <<<"$out" | grep -c 'connect-failed')
[ "$fast" = 15 ] && [ "$slow" = 0 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: parallel: answered lookups waited for the silent one: $out"; fail=$((fail + 1)); }

# 3. AAAA fails, A answers: the A record is used (connect-failed on a
#    closed port, not resolve-failed).
out=$(timeout 20 "$SMTPROBE" --dns-server "127.0.0.1:$good" --timeout 2 -q "split.test:$closed"); st=$?
status_is split $st 2
check split "$out" "connect-failed"
check split "$out" "127.0.0.1 port $closed"

# 3b. The same through a resolver on IPv6 loopback ("[::1]:PORT").
if [ "${good6:-0}" != 0 ]; then
	out=$(timeout 20 "$SMTPROBE" --dns-server "[::1]:$good6" --timeout 2 -q "split.test:$closed"); st=$?
	status_is split-ipv6 $st 2
	check split-ipv6 "$out" "connect-failed"
	check split-ipv6 "$out" "127.0.0.1 port $closed"
else
	echo "note: ::1 cannot be bound here: the IPv6 --dns-server case is not run"
fi

# 4. MX records that name addresses: a finding each, nothing probed.
out=$(timeout 20 "$SMTPROBE" --dns-server "127.0.0.1:$good" --timeout 2 -q -p "$closed" --mx literal.test); st=$?
echo "$out"
status_is literal $st 2
check literal "$(sed -n 1p <<<"$out")" "mx-address-literal: MX 10 of literal.test names an address, 127.0.0.1"
check literal "$(sed -n 2p <<<"$out")" "mx-address-literal: MX 20 of literal.test names an address, [::1]"

finish
