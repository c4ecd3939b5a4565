#!/usr/bin/env bash
# Name lookups through the system's resolvers (no --dns-server: libunbound
# forwards to the nameservers of /etc/resolv.conf, /etc/hosts first) have
# a deadline: --timeout.  The slow resolver is made
# in private namespaces (unshare: a network namespace of its own with a
# UDP port 53 on loopback that never answers, and a resolv.conf bound over
# /etc/resolv.conf in a mount namespace of its own) so the machine is not
# changed.  That resolv.conf waits 30 s for an answer; the probe must end
# after its 2 s --timeout with its own fault.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

ms() { date +%s%3N; }

# 1. A normal name still resolves: localhost, from /etc/hosts, to a
#    closed port (connect-failed, not resolve-failed).
closed=$("$FREEPORT")
out=$(timeout 20 "$SMTPROBE" --timeout 2 --format json "localhost:$closed"); st=$?
status_is localhost $st 2
check localhost "$out" '"connect-failed"'
check localhost "$out" '"address":"127.0.0.1"'
[[ "$out" != *resolve-failed* ]] && pass=$((pass + 1)) ||
	{ echo "FAIL: localhost: did not resolve: $out"; fail=$((fail + 1)); }

command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"
unshare -mn true 2>/dev/null ||
	skip "cannot make mount and network namespaces (unshare -mn needs root or user namespaces)"

dir=$(mktemp -d /tmp/smtprobe-resolver.XXXXXX)
trap 'rm -rf "$dir"' EXIT
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' >"$dir/resolv.conf"

# 2. The slow resolver: the lookup ends at --timeout 2, not after 30 s.
t0=$(ms)
out=$(timeout 40 unshare -mn bash -c '
	set -e
	ip link set lo up
	mount --bind "$1/resolv.conf" /etc/resolv.conf
	python3 -c "
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((\"127.0.0.1\", 53))
open(sys.argv[1] + \"/ready\", \"w\").close()
time.sleep(120)
" "$1" &
	hole=$!
	for _ in $(seq 1 100); do [ -f "$1/ready" ] && break; sleep 0.05; done
	set +e
	"$2" --timeout 2 --format json mx.slow-resolver.test
	st=$?
	kill $hole
	exit $st
' sh "$dir" "$SMTPROBE"); st=$?
t1=$(ms)
echo "a target through a resolver that never answers: $((t1 - t0)) ms"
[ -f "$dir/ready" ] || skip "the silent resolver could not start in the namespace"
status_is slow-resolver $st 2
[ $((t1 - t0)) -lt 5000 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: slow-resolver: took $((t1 - t0)) ms (want about 2000)"; fail=$((fail + 1)); }
check slow-resolver "$out" '"resolve-failed"'
check slow-resolver "$out" 'name lookup of mx.slow-resolver.test gave no answer within 2 s'
step_ms=$(grep -o '"step":"connect"[^}]*"ms":[0-9]*' <<<"$out" | grep -o '[0-9]*$')
[ "${step_ms:-0}" -ge 1500 ] && [ "${step_ms:-0}" -lt 5000 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: slow-resolver: connect step time recorded as '${step_ms:-}' ms"; fail=$((fail + 1)); }

finish
