#!/usr/bin/env bash
# README.md's example is the demo's real output: run the demo's probes
# (tests/lib/demo-probes.sh, which tools/demo runs) against a private lab,
# put back the lab's fixed directory and ports where this run's differ,
# mask what changes from run to run (timings, dates, days left, the SCRAM
# challenges, this host's EHLO name) on both sides, and compare with the
# block README.md holds between <!-- demo-output --> and
# <!-- /demo-output -->.  When they differ, the diff is shown and this
# run's output is left in tests/demo-output.txt (of the build tree), ready
# to paste into README.md.
#
# Skips (exit 77) where no lab can run: not root, no Postfix, no Cyrus SASL.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
lab="$here/lib/postfix-lab.sh"
top=${top_srcdir:-$here/..}
readme=$top/README.md

# The block of README.md, without its markers and fences.
block=$(sed -n '/^<!-- demo-output -->$/,/^<!-- \/demo-output -->$/p' "$readme" | sed '1d;$d' | grep -v '^```')
[ -n "$block" ] || { echo "FAIL: README.md has no <!-- demo-output --> block"; exit 1; }

[ "$(id -u)" = 0 ] || skip "not root: Postfix's master process must start as root"
why=$(bash "$lab" have) || skip "$why"
command -v saslpasswd2 >/dev/null || skip "Cyrus SASL's saslpasswd2 is not installed (tools/deps installs sasl2-bin)"

dir=$(mktemp -d /tmp/smtprobe-demo.XXXXXX)
smtp=$("$FREEPORT")
smtps=$("$FREEPORT")
while [ "$smtps" = "$smtp" ]; do smtps=$("$FREEPORT"); done
sub=$("$FREEPORT")
while [ "$sub" = "$smtp" ] || [ "$sub" = "$smtps" ]; do sub=$("$FREEPORT"); done
trap 'bash "$lab" stop "$dir"' EXIT
bash "$lab" start "$dir" "$smtp" "$smtps" "$sub" || { echo "FAIL: could not start Postfix"; exit 1; }

out=$(bash "$here/lib/demo-probes.sh" build/smtprobe "$SMTPROBE" "$dir" "$smtp" "$smtps" "$sub" 2>&1); st=$?
status_is "every probe's exit status" $st 0
# This run as tools/demo shows it: the lab's directory and ports.
out=$(sed -E "s#$dir#/var/tmp/smtprobe-lab#g; s/\\b$smtp\\b/2525/g; s/\\b$smtps\\b/2465/g; s/\\b$sub\\b/2587/g" <<<"$out")
mkdir -p tests
printf '%s\n' "$out" >tests/demo-output.txt

mask() {
	sed -E \
		-e 's/[0-9]+ ms\b/N ms/g' \
		-e 's/=[0-9]+\.[0-9]+s;/=Ns;/g' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC/DATE/g' \
		-e 's/[0-9]+ days\b/N days/g' \
		-e 's/cert_days=[0-9]+/cert_days=N/g' \
		-e 's/^S: 334 .*/S: 334 CHALLENGE/' \
		-e 's/challenge, decoded: .*/challenge, decoded: CHALLENGE/' \
		-e 's/EHLO name [^ ,]+/EHLO name NAME/g' \
		-e 's/^C: EHLO .*/C: EHLO NAME/'
}

if difference=$(diff -u <(mask <<<"$block") <(mask <<<"$out")); then
	pass=$((pass + 1))
else
	echo "FAIL: README.md's demo output is not what the demo prints (- README, + this run);"
	echo "      this run's output is in tests/demo-output.txt of the build tree"
	echo "$difference"
	fail=$((fail + 1))
fi

# The comparison can fail: a README whose block lost its refused recipient
# is told apart.
if diff -q <(mask <<<"${block//550 5.1.1/550 5.1.2}") <(mask <<<"$out") >/dev/null; then
	echo "FAIL: a changed README block still compares equal"; fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
check "the demo shows the refused recipient" "$out" "S: 550 5.1.1 <nosuchuser@mx.test.example>"
check "the demo shows the parameter held back" "$out" "param-not-advertised: MAIL FROM parameter REQUIRETLS"
check "the demo shows AUTH" "$out" "S: 235 2.7.0 Authentication successful"
check "the demo shows the nagios line" "$out" "SMTP OK - 127.0.0.1:2525 mx.test.example"

finish
