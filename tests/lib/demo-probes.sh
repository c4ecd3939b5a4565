#!/usr/bin/env bash
# demo-probes.sh - the probes that tools/demo shows, against a lab started
# by tests/lib/postfix-lab.sh; tests/demo.sh runs them too and compares the
# output with README.md's example, so the two cannot drift.
#
#   demo-probes.sh SHOWN SMTPROBE DIR SMTP_PORT SMTPS_PORT SUBMISSION_PORT
#
# SHOWN is how the commands name smtprobe (e.g. build/smtprobe), SMTPROBE
# the binary run.  Prints each command, its output and its exit status.
# Exits 0 when every probe ended with the status it should.
set -uo pipefail

[ $# -eq 6 ] || { echo "usage: $0 SHOWN SMTPROBE DIR SMTP_PORT SMTPS_PORT SUBMISSION_PORT" >&2; exit 3; }
shown=$1 smtprobe=$2 dir=$3 smtp=$4 sub=$6
ok=0

# run WANT ARG...: show the command (a lone '//' among the arguments breaks
# the line there), run it, show its exit status.
run() {
	local want=$1 st word
	local -a args=()
	shift
	printf '$ %s' "$shown"
	for word in "$@"; do
		if [ "$word" = // ]; then
			printf ' \\\n   '
		else
			printf ' %s' "$word"
			args+=("$word")
		fi
	done
	printf '\n'
	"$smtprobe" "${args[@]}"
	st=$?
	echo "== exit status $st (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)"
	[ "$st" -eq "$want" ] || ok=1
}

ca=$dir/etc/ca.pem
pw=$dir/etc/password

echo "== 1. The MX port, as a sending server sees it: the banner, EHLO,"
echo "==    STARTTLS, the certificate checked against the lab's CA."
run 0 --cafile "$ca" // --tls-name mx.test.example "127.0.0.1:$smtp"
echo
echo "== 2. The submission port: log in (the strongest mechanism offered),"
echo "==    then try an envelope - never sent: RSET, no DATA.  One recipient"
echo "==    is refused, and the reply explained."
run 2 --cafile "$ca" // --tls-name mx.test.example --auth auto --user tester \
	// --password-file "$pw" // --mail-from tester@mx.test.example --rcpt friend@example.org \
	// --rcpt nosuchuser@mx.test.example "127.0.0.1:$sub"
echo
echo "== 3. A MAIL parameter the server does not advertise is held back,"
echo "==    not sent, and said why (-q: the verdict line alone)."
run 1 -q --cafile "$ca" // --tls-name mx.test.example --auth auto --user tester \
	// --password-file "$pw" // --mail-from tester@mx.test.example --mail-param REQUIRETLS \
	// "127.0.0.1:$sub"
echo
echo "== 4. For monitoring: one line in the nagios format, with timings."
run 0 --format nagios --cafile "$ca" // --tls-name mx.test.example "127.0.0.1:$smtp"
exit $ok
