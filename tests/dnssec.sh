#!/usr/bin/env bash
# The DNSSEC status of each lookup reaches its fact (src/dns.h): a zone
# signed here with ldns-signzone, served by a private unbound (auth-zone)
# on a loopback port, its key given as --trust-anchor.  good.sec.test is
# secure; bogus.sec.test's A record was changed after signing (bogus, yet
# the probe still reaches it); names outside the anchor are insecure; a
# silent server is failed.  tests/dnsq prints the facts.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
: "${DNSQ:?DNSQ must name the tests/dnsq binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

command -v unbound >/dev/null || skip "unbound is not installed (tools/deps installs it)"
command -v ldns-signzone >/dev/null || skip "ldns-signzone is not installed (ldnsutils; tools/deps installs it)"

dir=$(mktemp -d /tmp/smtprobe-dnssec.XXXXXX)
port=$("$FREEPORT")
closed=$("$FREEPORT")
trap '[ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null; rm -rf "$dir"' EXIT
cd "$dir" || exit 1
cat >sec.test.zone <<'Z'
$ORIGIN sec.test.
$TTL 300
@ IN SOA ns.sec.test. admin.sec.test. 1 3600 600 86400 300
@ IN NS ns.sec.test.
ns IN A 127.0.0.1
good IN A 127.0.0.1
bogus IN A 127.0.0.1
_25._tcp.good IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
_mta-sts IN TXT "v=STSv1; " "id=20260101"
many IN TXT "t1"
many IN TXT "t2"
many IN TXT "t3"
many IN TXT "t4"
many IN TXT "t5"
mail IN MX 300 b.sec.test.
mail IN MX 260 a.sec.test.
Z
cat >plain.test.zone <<'Z'
$ORIGIN plain.test.
$TTL 300
@ IN SOA ns.plain.test. admin.plain.test. 1 3600 600 86400 300
@ IN NS ns.plain.test.
ns IN A 127.0.0.1
host IN A 127.0.0.1
Z
key=$(ldns-keygen -a ECDSAP256SHA256 -k sec.test) || { echo "FAIL: ldns-keygen"; exit 1; }
ldns-signzone -n sec.test.zone "$key" || { echo "FAIL: ldns-signzone"; exit 1; }
# After signing: the A record of bogus.sec.test no longer matches its RRSIG.
sed -i 's/^\(bogus\.sec\.test\.\t[0-9]*\tIN\tA\t\)127\.0\.0\.1$/\1127.0.0.2/' sec.test.zone.signed
grep -q "^bogus.sec.test.*127.0.0.2" sec.test.zone.signed || { echo "FAIL: could not tamper with the zone"; exit 1; }
cat >unbound.conf <<CF
server:
  interface: 127.0.0.1@$port
  port: $port
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$dir"
  pidfile: "$dir/unbound.pid"
  use-syslog: no
  logfile: "$dir/unbound.log"
  verbosity: 1
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "test." nodefault
auth-zone:
  name: "sec.test."
  zonefile: "$dir/sec.test.zone.signed"
  for-downstream: yes
  for-upstream: no
auth-zone:
  name: "plain.test."
  zonefile: "$dir/plain.test.zone"
  for-downstream: yes
  for-upstream: no
remote-control:
  control-enable: no
CF
unbound -d -c unbound.conf >stdout 2>&1 &
echo $! >pid
for _ in $(seq 1 100); do grep -q "start of service" unbound.log 2>/dev/null && break; sleep 0.1; done
grep -q "start of service" unbound.log 2>/dev/null || { cat stdout unbound.log; echo "FAIL: unbound did not start"; exit 1; }

q=("$DNSQ" --dns-server "127.0.0.1:$port" --trust-anchor "$dir/$key.key" --timeout 5000)

# 1. Secure: the chain from the anchor holds.
out=$("${q[@]}" a good.sec.test)
check secure "$out" "a sec=secure rcode=0 n=1"
check secure "$out" "127.0.0.1"
out=$("${q[@]}" tlsa _25._tcp.good.sec.test)
check tlsa "$out" "tlsa sec=secure rcode=0 n=1"
check tlsa "$out" " 0301010123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
out=$("${q[@]}" txt _mta-sts.sec.test)
check txt "$out" "txt sec=secure rcode=0 n=1"
check txt "$out" "[v=STSv1; id=20260101]"
# More records than dnsq keeps (4): the rest counted.
out=$("${q[@]}" txt many.sec.test)
check txt-many "$out" "txt sec=secure rcode=0 n=5"
check txt-many "$out" "kept=4 dropped=1"
out=$("${q[@]}" mx mail.sec.test)
check mx "$out" "result=0"
check mx "$out" "  260 a.sec.test"
# A proven absence is secure too.
out=$("${q[@]}" mx nosuch.sec.test)
check nxdomain "$out" "mx sec=secure rcode=3"

# 2. Bogus: the reason recorded, the address still there to probe.
out=$("${q[@]}" a bogus.sec.test)
check bogus "$out" "a sec=bogus"
check bogus "$out" "signature verification failed"
check bogus "$out" "127.0.0.2"
out=$("$SMTPROBE" --dns-server "127.0.0.1:$port" --trust-anchor "$dir/$key.key" --timeout 3 \
	--format json "bogus.sec.test:$closed"); st=$?
status_is bogus-probe $st 2
check bogus-probe "$out" '"connect-failed"'
check bogus-probe "$out" '"address":"127.0.0.2"'

# 3. Insecure: outside every trust anchor.
out=$("${q[@]}" a host.plain.test)
check insecure "$out" "a sec=insecure rcode=0 n=1"

# 4. Failed: a server that never answers, within the deadline.
hole=$("$FREEPORT")
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
time.sleep(30)' "$hole" &
hpid=$!
sleep 0.2
out=$("$DNSQ" --dns-server "127.0.0.1:$hole" --trust-anchor "$dir/$key.key" --timeout 800 a good.sec.test)
kill $hpid 2>/dev/null
check failed "$out" "a sec=failed rcode=-1 n=0"
check failed "$out" "no answer before the deadline"

finish
