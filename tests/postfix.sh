#!/usr/bin/env bash
# End-to-end against a real Postfix on loopback: STARTTLS on one port,
# implicit TLS on another, under a test CA made here.  The probe must see
# the banner, EHLO before and after TLS, TLS 1.3, a verified certificate,
# and exit 0.
#
# Skips (exit 77) only where it cannot run at all: not root, or no
# postfix and no way to install it.  Under CI=true it never skips.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
lab="$here/lib/postfix-lab.sh"

skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: cannot run the Postfix test in CI: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "not root: Postfix's master process must start as root"
if ! command -v postfix >/dev/null; then
	if command -v apt-get >/dev/null; then
		echo "postfix not installed; installing it (apt-get)"
		echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null 2>&1 ||
			skip "postfix is not installed and apt-get could not install it"
	else
		skip "postfix is not installed"
	fi
fi

dir=$(mktemp -d /tmp/smtprobe-postfix.XXXXXX)
smtp=$("$FREEPORT")
smtps=$("$FREEPORT")
while [ "$smtps" = "$smtp" ]; do smtps=$("$FREEPORT"); done
trap 'bash "$lab" stop "$dir"' EXIT
bash "$lab" start "$dir" "$smtp" "$smtps" || { echo "FAIL: could not start Postfix"; exit 1; }

pass=0 fail=0
check() { # check NAME OUTPUT NEEDLE
	if [[ "$2" == *"$3"* ]]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: output lacks '$3'"
		fail=$((fail + 1))
	fi
}
status_is() { # status_is NAME GOT WANT
	if [ "$2" -eq "$3" ]; then pass=$((pass + 1)); else echo "FAIL: $1: exit $2, want $3"; fail=$((fail + 1)); fi
}

ca="$dir/etc/ca.pem"

# 1. STARTTLS on the SMTP port, verified against the test CA.
out=$("$SMTPROBE" --cafile "$ca" --tls-name mx.test.example --ehlo probe.test.example "127.0.0.1:$smtp"); st=$?
echo "$out"
status_is starttls $st 0
check starttls "$out" "S: 220 mx.test.example ESMTP smtprobe-lab"
check starttls "$out" "Service ready"
check starttls "$out" "C: EHLO probe.test.example"
check starttls "$out" "S: 250-STARTTLS"
check starttls "$out" "C: STARTTLS"
check starttls "$out" "S: 220 2.0.0 Ready to start TLS"
check starttls "$out" "TLS handshake: TLSv1.3"
check starttls "$out" "verified for mx.test.example"
check starttls "$out" "before TLS    PIPELINING, SIZE 10240000, VRFY"
check starttls "$out" "after TLS     PIPELINING, SIZE 10240000"
check starttls "$out" "S: 221 2.0.0 Bye"
check starttls "$out" "OK: 127.0.0.1:$smtp mx.test.example, TLSv1.3, certificate verified"
# STARTTLS must be gone from the list after TLS.
after=$(grep '^  after TLS' <<<"$out")
if [[ "$after" == *STARTTLS* ]]; then echo "FAIL: STARTTLS listed after TLS"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# 2. Implicit TLS on the submissions-style port.
out=$("$SMTPROBE" --tls implicit --cafile "$ca" --tls-name mx.test.example "127.0.0.1:$smtps"); st=$?
status_is implicit $st 0
check implicit "$out" "TLS handshake: TLSv1.3"
check implicit "$out" "S: 220 mx.test.example ESMTP smtprobe-lab"
check implicit "$out" "OK: 127.0.0.1:$smtps"

# 3. IPv6 loopback, when this machine has it.
if "$SMTPROBE" -q --tls none "[::1]:$smtp" >/dev/null 2>&1; then
	out=$("$SMTPROBE" -q --cafile "$ca" --tls-name mx.test.example "[::1]:$smtp"); st=$?
	status_is ipv6 $st 0
	check ipv6 "$out" "OK: [::1]:$smtp"
else
	echo "note: no IPv6 loopback here; [::1] not probed"
fi

# 4. The system trust store does not know the test CA: CRITICAL, with the reason.
out=$("$SMTPROBE" -q --tls-name mx.test.example "127.0.0.1:$smtp"); st=$?
status_is untrusted $st 2
check untrusted "$out" "unknown issuer"

# 5. The wrong name: CRITICAL; with --insecure: OK, reported.
out=$("$SMTPROBE" -q --cafile "$ca" --tls-name wrong.example "127.0.0.1:$smtp"); st=$?
status_is mismatch $st 2
check mismatch "$out" "hostname mismatch"
out=$("$SMTPROBE" -v --insecure --cafile "$ca" --tls-name wrong.example "127.0.0.1:$smtp"); st=$?
status_is insecure $st 0
check insecure "$out" "tls-unverified"

# 6. --tls none: a plain session, OK.
out=$("$SMTPROBE" -q --tls none "127.0.0.1:$smtp"); st=$?
status_is plain $st 0
check plain "$out" "no TLS"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
