#!/usr/bin/env bash
# No surprise targets, and the probe's own side of the connection:
#   - numeric forms getaddrinfo would turn into an address (235, 127.1,
#     0x7f.1, 2130706433, 017.0.0.1) are refused with exit 3, one exact
#     line, and no connection; a reply code gets "did you mean explain";
#   - -4 with an IPv6 literal, -6 with an IPv4 one: exit 3;
#   - global options before a subcommand (smtprobe --lang de explain 235);
#   - --source-address binds the probe's side (a scripted server on
#     127.0.0.1 says whom it sees), refuses an address not on this
#     machine clearly, and skips another family with the reason;
#   - --proxy-protocol v1/v2 sends the header first, byte for byte
#     (HAProxy doc/proxy-protocol.txt §2.1, §2.2), as the server reads it.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"

tmp=$(mktemp -d /tmp/smtprobe-targets.XXXXXX)
srv=
trap '[ -z "$srv" ] || kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT

# refused NAME WANT_LINE ARGS...: exit 3, and stderr's first line is WANT_LINE.
refused() {
	local name=$1 want=$2 err st
	shift 2
	err=$("$SMTPROBE" "$@" 2>&1 >/dev/null)
	st=$?
	status_is "$name" "$st" 3
	if [ "$(head -n 1 <<<"$err")" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: stderr's first line is '$(head -n 1 <<<"$err")', want '$want'"
		fail=$((fail + 1))
	fi
}

# A scripted server on 127.0.0.1: for each connection, it reads a PROXY
# header when one comes (v2 by its signature, v1 up to CRLF; nothing when
# the client waits), greets with what it read and the peer's address,
# answers EHLO and QUIT, and appends one line per connection to its log.
port=$("$FREEPORT")
python3 - "$port" "$tmp/conns" <<'PY' &
import select, socket, sys
port, log = int(sys.argv[1]), sys.argv[2]
sig = b"\r\n\r\n\x00\r\nQUIT\n"
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(8)
open(log, "w").close()          # ready: the test waits for the file


def serve(c, peer):
    got = b""
    if select.select([c], [], [], 0.3)[0]:
        got = c.recv(16)
        if len(got) == 16 and got.startswith(sig):
            need = 16 + (got[14] << 8 | got[15])
            while len(got) < need:
                got += c.recv(need - len(got))
            seen = "v2 " + got.hex()
        else:
            while not got.endswith(b"\r\n") and len(got) < 200:
                got += c.recv(1)
            seen = "v1 " + got[:-2].decode("ascii", "replace")
    else:
        seen = "none"
    with open(log, "a") as f:
        f.write(f"{peer[0]} {seen}\n")
    c.sendall(f"220 peer {peer[0]} proxy {seen}\r\n".encode())
    buf = b""
    while True:
        d = c.recv(512)
        if not d:
            return
        buf += d
        while b"\r\n" in buf:
            line, buf = buf.split(b"\r\n", 1)
            if line.upper().startswith(b"QUIT"):
                c.sendall(b"221 bye\r\n")
                return
            c.sendall(b"250 ok\r\n")


while True:
    c, peer = s.accept()
    c.settimeout(5)
    try:
        serve(c, peer)
    except OSError:
        pass
    c.close()
PY
srv=$!
for _ in $(seq 1 50); do [ -e "$tmp/conns" ] && break; sleep 0.1; done

# 1. Numeric forms, each refused with its exact line, and none connects.
refused legacy-short "smtprobe: target '127.1' is not a.b.c.d: it would mean 127.0.0.1" "127.1:$port"
refused legacy-hex "smtprobe: target '0x7f.1' is not a.b.c.d: it would mean 127.0.0.1" "0x7f.1:$port"
refused legacy-number "smtprobe: target '2130706433' is not a.b.c.d: it would mean 127.0.0.1" \
	"2130706433:$port"
refused legacy-octal "smtprobe: target '017.0.0.1' is not a.b.c.d: it would mean 15.0.0.1" "017.0.0.1:$port"
refused legacy-zero "smtprobe: target '127.0.0.01' is not a.b.c.d: it would mean 127.0.0.1" "127.0.0.01:$port"
refused numeric-label "smtprobe: target '1.2.3.4.5' is neither a host name nor an address a.b.c.d" "1.2.3.4.5"
refused numeric-tld "smtprobe: target 'example.123' is neither a host name nor an address a.b.c.d" "example.123"
refused bad-char "smtprobe: target 'mx!.example' is not a host name: it contains '!'" "mx!.example"
refused code "smtprobe: '235' is not a target: did you mean 'smtprobe explain 235'?" 235
refused code-pair "smtprobe: '235 504' is not a target: did you mean 'smtprobe explain 235 504'?" 235 504
refused enhanced "smtprobe: '5.7.8' is not a target: did you mean 'smtprobe explain 5.7.8'?" 5.7.8
refused reply "smtprobe: '535 5.7.8' is not a target: did you mean smtprobe explain '535 5.7.8'?" '535 5.7.8'
refused code-opts "smtprobe: '550' is not a target: did you mean 'smtprobe explain 550'?" -q --tls none 550
tf="$tmp/targets"; printf 'mx.example.com\n127.1\n' >"$tf"
refused targets-file "smtprobe: $tf:2: target '127.1' is not a.b.c.d: it would mean 127.0.0.1" --targets-file "$tf"
if [ -s "$tmp/conns" ]; then
	echo "FAIL: a refused target connected: $(cat "$tmp/conns")"; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# Real names that start with digits stay names (the probe then runs; the
# name does not resolve in a test, which is a CRITICAL, not a usage error).
for name in 1and1.com 123.example 3com.com; do
	"$SMTPROBE" -q --tls none --timeout 2 "$name:$port" >/dev/null 2>&1
	st=$?
	if [ "$st" -eq 3 ]; then echo "FAIL: $name refused as a target"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done

# 2. The family options against address literals.
refused v4-v6 "smtprobe: target '::1' is an IPv6 address but -4 asks for IPv4 only" -4 "[::1]:$port"
refused v6-v4 "smtprobe: target '127.0.0.1' is an IPv4 address but -6 asks for IPv6 only" -6 "127.0.0.1:$port"
refused src-v4-v6 "smtprobe: target '::1' is an IPv6 address but --source-address 127.0.0.1 is IPv4" \
	--source-address 127.0.0.1 "[::1]:$port"
refused src-6-4 "smtprobe: --source-address ::1 is IPv6 but -4 asks for IPv4 only" \
	--source-address ::1 -4 a.example
refused proxy-alone "smtprobe: --proxy-protocol and --proxy-source go together" --proxy-protocol v1 a.example
refused proxy-version "smtprobe: --proxy-protocol 'v3': must be v1 or v2" \
	--proxy-protocol v3 --proxy-source 192.0.2.7:5000 a.example
refused proxy-noport "smtprobe: --proxy-source '192.0.2.7': give a.b.c.d:PORT or [IPv6]:PORT (port 1 to 65535)" \
	--proxy-protocol v1 --proxy-source 192.0.2.7 a.example
refused proxy-family "smtprobe: target '127.0.0.1' is an IPv4 address but --proxy-source is IPv6" \
	--proxy-protocol v2 --proxy-source '[2001:db8::7]:5000' "127.0.0.1:$port"
refused src-name "smtprobe: --source-address 'mx.example': give an IPv4 or IPv6 address" \
	--source-address mx.example a.example

# 3. Global options before a subcommand go to it.
out=$("$SMTPROBE" --lang de explain 235 2>&1); st=$?
status_is lang-explain $st 0
check lang-explain "$out" "235  Authentifizierung erfolgreich"
out=$(LANGUAGE=de "$SMTPROBE" --lang en explain 235 2>&1); st=$?
status_is lang-en-explain $st 0
check lang-en-explain "$out" "235  Authentication Succeeded"
out=$("$SMTPROBE" --lang=de findings 2>&1 | head -n 1); check lang-findings "$out" "Befunde"
refused sub-unknown "smtprobe explain: unknown option '-p'" -p 25 explain 235

# 4. --source-address: bound, refused when not ours, another family skipped.
out=$("$SMTPROBE" --tls none --source-address 127.0.0.2 "127.0.0.1:$port" 2>&1); st=$?
status_is source-bound $st 0
check source-bound "$out" "S: 220 peer 127.0.0.2 proxy none"
check source-bound "$out" "connected to 127.0.0.1 port $port"
out=$("$SMTPROBE" -q --tls none --source-address 198.51.100.77 "127.0.0.1:$port" 2>&1); st=$?
status_is source-foreign $st 2
check source-foreign "$out" "cannot bind to --source-address 198.51.100.77: address not available on this machine"
out=$("$SMTPROBE" --tls none --source-address ::1 "localhost:$port" 2>&1); st=$?
status_is source-family $st 2
check source-family "$out" "127.0.0.1 port $port: not tried: --source-address ::1 is IPv6"

# 5. PROXY headers, as the server reads them.
out=$("$SMTPROBE" --tls none --proxy-protocol v1 --proxy-source 192.0.2.7:5000 "127.0.0.1:$port" 2>&1); st=$?
status_is proxy-v1 $st 0
check proxy-v1 "$out" "S: 220 peer 127.0.0.1 proxy v1 PROXY TCP4 192.0.2.7 127.0.0.1 5000 $port"
# 16 bytes: signature, 0x21 (v2, PROXY), 0x11 (TCP over IPv4), length 12;
# then 192.0.2.7, 127.0.0.1, 5000, the port.
want=0d0a0d0a000d0a515549540a2111000cc00002077f0000011388$(printf '%04x' "$port")
out=$("$SMTPROBE" --tls none --proxy-protocol v2 --proxy-source 192.0.2.7:5000 "127.0.0.1:$port" 2>&1); st=$?
status_is proxy-v2 $st 0
check proxy-v2 "$out" "S: 220 peer 127.0.0.1 proxy v2 $want"
# With --source-address too: the header's destination is still the server.
out=$("$SMTPROBE" --tls none --source-address 127.0.0.3 --proxy-protocol v1 --proxy-source 198.51.100.1:65535 \
	"127.0.0.1:$port" 2>&1); st=$?
status_is proxy-bound $st 0
check proxy-bound "$out" "S: 220 peer 127.0.0.3 proxy v1 PROXY TCP4 198.51.100.1 127.0.0.1 65535 $port"

finish
