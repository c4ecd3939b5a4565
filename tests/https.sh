#!/usr/bin/env bash
# The MTA-STS policy fetch end to end (src/https.c over net.c, tls.c and
# http.c), against Python's own HTTPS server on a free loopback port
# (tests/lib/httpsd.py) under the test CA: 200 text/plain, 200 chunked,
# the 64 KiB bound on both sides, 404, a 301 (never followed), text/html,
# a certificate for another name, a self-signed one, a server that never
# answers (the deadline holds), one that closes mid-body.  Each fetch is
# tests/httpsget: one line, "fetch=ID status=N ...".
set -u
top=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
. "$top/tests/lib/testlib.sh"
. "$top/tests/lib/testca.sh"

command -v python3 >/dev/null || skip "python3 is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"
python3 -c 'import ssl, http.server' 2>/dev/null || skip "python3 has no ssl module"
get=${HTTPSGET:-}
[ -x "$get" ] || skip "tests/httpsget is not built (HTTPSGET unset)"

work=$(mktemp -d /tmp/smtprobe-https.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT

name=mta-sts.test.example
mkdir -p "$work/ca" "$work/self"
TESTCA_NAMES=$name testca_make "$work/ca"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 -subj "/CN=$name" \
	-addext "subjectAltName=DNS:$name" -keyout "$work/self/key.pem" \
	-out "$work/self/cert.pem" 2>/dev/null || skip "openssl cannot make a self-signed certificate"
ca=$work/ca/ca.pem

# serve NAME CERT KEY [silent]: start httpsd.py; sets port.
serve() {
	local pf=$work/$1.port
	python3 "$top/tests/lib/httpsd.py" "$2" "$3" "$pf" ${4:-} &
	pids+=($!)
	for _ in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.1; done
	[ -s "$pf" ] || { echo "FAIL: httpsd.py $1 did not start"; exit 1; }
	port=$(cat "$pf")
}

serve good "$work/ca/server.pem" "$work/ca/server.key"
good=$port
serve self "$work/self/cert.pem" "$work/self/key.pem"
self=$port
serve silent "$work/ca/server.pem" "$work/ca/server.key" silent
silent=$port

# fetch NAME WANT PORT PATH [HOST] [DEADLINE_MS]: one fetch, its line in out.
fetch() {
	out=$("$get" "${5:-$name}" 127.0.0.1 "$3" "$ca" "${6:-5000}" "$4" 2>&1)
	rc=$?
	echo "$1: $out"
	check "$1" "$out" "fetch=$2 "
	if [ "$2" = ok ]; then status_is "$1: exit" "$rc" 0; else status_is "$1: exit" "$rc" 1; fi
}

fetch "200 text/plain" ok "$good" /.well-known/mta-sts.txt
check "200: status" "$out" "status=200 "
check "200: the whole policy" "$out" "body=68 "
check "200: the policy's words" "$out" "first=version: STSv1 type="
check "200: the address used" "$out" "address=127.0.0.1 "

fetch "200 chunked, charset" ok "$good" /chunked
check "chunked: the whole policy" "$out" "body=68 "
check "chunked: the policy's words" "$out" "first=version: STSv1 type="
check "chunked: the type as sent" "$out" "type=text/plain; charset=utf-8 "

fetch "exactly 64 KiB" ok "$good" /exact
check "exactly 64 KiB: all of it" "$out" "body=65536 "

fetch "Content-Length past 64 KiB" too-large "$good" /large
check "too large: status" "$out" "status=200 "
fetch "chunked past 64 KiB" too-large "$good" /largech

fetch "404" status "$good" /404
check "404: status" "$out" "status=404 "

fetch "301" redirect "$good" /301
check "301: status" "$out" "status=301 "
check "301: Location kept, not followed" "$out" \
	"detail=https://elsewhere.test.example/.well-known/mta-sts.txt"

fetch "text/html" content-type "$good" /html
check "text/html: the type" "$out" "detail=text/html"

fetch "certificate for another name" certificate "$good" /ok mta-sts.other.example
check "another name: said" "$out" "hostname mismatch"
check "another name: no request sent" "$out" "status=0 "

fetch "self-signed certificate" certificate "$self" /ok
check "self-signed: said" "$out" "self-signed"

fetch "closed mid-body" malformed "$good" /cut
check "closed mid-body: status" "$out" "status=200 "
check "closed mid-body: said" "$out" "after 10 bytes of the body"

# Nothing listening: the connection is refused, said as such.
if [ -x "${FREEPORT:-}" ]; then
	fetch "connection refused" connect "$("$FREEPORT")" /ok
	check "connection refused: said" "$out" "refused"
fi

# Deadlines: a fetch of 1.5 s ends at 1.5 s, whether the server is silent
# from the first byte (no handshake) or after the handshake.  The bound
# is generous (the run must end; this is not a benchmark).
for c in "silent before TLS:$silent:/ok" "silent after TLS:$good:/silent"; do
	IFS=: read -r what p path <<<"$c"
	t0=$(date +%s%N)
	fetch "$what" timeout "$p" "$path" "$name" 1500
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "$what: ended after $ms ms"
	if [ "$ms" -ge 1400 ] && [ "$ms" -lt 4000 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $what: the fetch took $ms ms, deadline 1500 ms"
		fail=$((fail + 1))
	fi
done

finish
