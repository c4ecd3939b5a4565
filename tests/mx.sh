#!/usr/bin/env bash
# --mx against a real DNS server: a private unbound on loopback serves a
# test zone (tests/lib/dns-lab.sh), a private Postfix answers for the MX
# hosts.  Preference order, the implicit MX, a null MX and NXDOMAIN.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

[ "$(id -u)" = 0 ] || skip "not root: Postfix's master process must start as root"
why=$(bash "$here/lib/postfix-lab.sh" have) || skip "$why"
command -v unbound >/dev/null || skip "unbound is not installed (tools/deps installs it)"

pfdir=$(mktemp -d /tmp/smtprobe-mx-pf.XXXXXX)
dnsdir=$(mktemp -d /tmp/smtprobe-mx-dns.XXXXXX)
smtp=$("$FREEPORT")
smtps=$("$FREEPORT")
while [ "$smtps" = "$smtp" ]; do smtps=$("$FREEPORT"); done
dnsport=$("$FREEPORT")
trap 'bash "$here/lib/postfix-lab.sh" stop "$pfdir"; bash "$here/lib/dns-lab.sh" stop "$dnsdir"' EXIT
bash "$here/lib/postfix-lab.sh" start "$pfdir" "$smtp" "$smtps" || { echo "FAIL: could not start Postfix"; exit 1; }
bash "$here/lib/dns-lab.sh" start "$dnsdir" "$dnsport" || { echo "FAIL: could not start unbound"; exit 1; }

dns=(--dns-server "127.0.0.1:$dnsport" -p "$smtp" --tls none)

# 1. Preference order, whatever the order of the answer.
out=$("$SMTPROBE" "${dns[@]}" -q --mx good.test); st=$?
echo "$out"
status_is order $st 0
expected="OK: mx1.good.test:$smtp (127.0.0.1) mx.test.example, no TLS"
first=$(sed -n 1p <<<"$out")
second=$(sed -n 2p <<<"$out")
check order "$first" "$expected"
check order "$second" "OK: mx2.good.test:$smtp (127.0.0.1) mx.test.example, no TLS"
out=$("$SMTPROBE" "${dns[@]}" --format json --mx good.test)
check order-json "$(sed -n 1p <<<"$out")" '"mx":{"domain":"good.test","preference":10,'
check order-json "$(sed -n 2p <<<"$out")" '"mx":{"domain":"good.test","preference":20,'

# 2. No MX: the domain's own address (implicit MX), reported.
out=$("$SMTPROBE" "${dns[@]}" -v --mx nomx.test); st=$?
status_is implicit $st 0
check implicit "$out" "mx-fallback: nomx.test has no MX records"
check implicit "$out" "S: 220 mx.test.example"

# 3. A null MX: CRITICAL, nothing probed.
out=$("$SMTPROBE" "${dns[@]}" -q --mx nullmx.test); st=$?
status_is nullmx $st 2
check nullmx "$out" "null-mx: nullmx.test publishes a null MX"

# 4. NXDOMAIN: CRITICAL.
out=$("$SMTPROBE" "${dns[@]}" -q --mx nosuch.test); st=$?
status_is nxdomain $st 2
check nxdomain "$out" "no such domain (NXDOMAIN)"

# 5. Together, in parallel, in input order; the exit status is the worst.
out=$("$SMTPROBE" "${dns[@]}" -q --parallel 4 --mx good.test --mx nullmx.test --mx nomx.test); st=$?
status_is fleet $st 2
check fleet "$(sed -n 3p <<<"$out")" "null-mx"
check fleet "$(sed -n 4p <<<"$out")" "OK: nomx.test:$smtp"

# 6. A host named by an MX record came from DNS: no credentials for it,
#    even over TLS (nothing here authenticates the MX answer), even when
#    --insecure --auth-insecure would allow an unverified certificate.
pw=$(mktemp); printf 'secret\n' >"$pw"; chmod 600 "$pw"
out=$("$SMTPROBE" --dns-server "127.0.0.1:$dnsport" -p "$smtp" --tls starttls --insecure --auth-insecure \
	--auth PLAIN --user tester --password-file "$pw" --mx good.test 2>&1)
rm -f "$pw"
check mx-auth "$out" "a name taken from an MX lookup that nothing authenticates"
if grep -q '^C: AUTH PLAIN' <<<"$out"; then echo "FAIL: AUTH sent to an MX host"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

finish
