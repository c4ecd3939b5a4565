#!/usr/bin/env bash
# End-to-end against a real Postfix on loopback: STARTTLS on one port,
# implicit TLS on another, under a test CA made here.  The probe must see
# the banner, EHLO before and after TLS, TLS 1.3, a verified certificate,
# and exit 0.
#
# Skips (exit 77) only where it cannot run at all: not root, no Postfix
# (tools/deps unpacks one; tests/lib/postfix-lab.sh says where it looks), or
# no Cyrus SASL tools.  Under CI=true it never skips.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
lab="$here/lib/postfix-lab.sh"
top=${top_srcdir:-$here/..}

[ "$(id -u)" = 0 ] || skip "not root: Postfix's master process must start as root"
why=$(bash "$lab" have) || skip "$why"
echo "$why"
command -v saslpasswd2 >/dev/null || skip "Cyrus SASL's saslpasswd2 is not installed (tools/deps installs sasl2-bin)"

dir=$(mktemp -d /tmp/smtprobe-postfix.XXXXXX)
smtp=$("$FREEPORT")
smtps=$("$FREEPORT")
while [ "$smtps" = "$smtp" ]; do smtps=$("$FREEPORT"); done
sub=$("$FREEPORT")
while [ "$sub" = "$smtp" ] || [ "$sub" = "$smtps" ]; do sub=$("$FREEPORT"); done
proxy=$("$FREEPORT")
while [ "$proxy" = "$smtp" ] || [ "$proxy" = "$smtps" ] || [ "$proxy" = "$sub" ]; do proxy=$("$FREEPORT"); done
trap 'bash "$lab" stop "$dir"' EXIT
bash "$lab" start "$dir" "$smtp" "$smtps" "$sub" "$proxy" || { echo "FAIL: could not start Postfix"; exit 1; }

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

# 7. The submission port: AUTH after TLS with every mechanism Cyrus offers.
pwfile="$dir/etc/password"
pw=$(head -n 1 "$pwfile")
tls=(--cafile "$ca" --tls-name mx.test.example)
for mech in PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256; do
	out=$("$SMTPROBE" "${tls[@]}" --auth "$mech" --user tester --password-file "$pwfile" "127.0.0.1:$sub"); st=$?
	status_is "auth $mech" $st 0
	check "auth $mech" "$out" "C: AUTH $mech"
	check "auth $mech" "$out" "S: 235 2.7.0 Authentication successful"
done

# 8. A wrong password: 535 5.7.8, explained, CRITICAL.
printf 'not-the-password\n' >"$dir/wrong"; chmod 600 "$dir/wrong"
for mech in PLAIN LOGIN; do
	out=$("$SMTPROBE" "${tls[@]}" --auth "$mech" --user tester --password-file "$dir/wrong" "127.0.0.1:$sub"); st=$?
	status_is "wrong $mech" $st 2
	check "wrong $mech" "$out" "S: 535 5.7.8"
	check "wrong $mech" "$out" "Authentication credentials invalid"
	check "wrong $mech" "$out" "auth-failed"
done

# 9. The whole dialogue, with the password from the environment: every
# step explained, VRFY disabled on submission, RSET at the end.
out=$(SMTPROBE_PASSWORD="$pw" "$SMTPROBE" -v "${tls[@]}" --auth auto --user tester \
	--mail-from tester@mx.test.example --mail-param SIZE=1000 --rcpt someone@example.org \
	--vrfy tester "127.0.0.1:$sub"); st=$?
echo "$out"
status_is dialogue $st 0
check dialogue "$out" "C: AUTH SCRAM-SHA-256 <redacted>"
check dialogue "$out" "challenge, decoded: r="
check dialogue "$out" "C: MAIL FROM:<tester@mx.test.example> SIZE=1000"
check dialogue "$out" "Sender accepted"
check dialogue "$out" "C: RCPT TO:<someone@example.org>"
check dialogue "$out" "Recipient accepted"
check dialogue "$out" "S: 502 5.5.1 VRFY command is disabled"
check dialogue "$out" "VRFY is disabled"
check dialogue "$out" "C: RSET"

# 10. Port 25: VRFY enabled; an unknown local user is refused 550 5.1.1.
out=$("$SMTPROBE" "${tls[@]}" --mail-from probe@example.org --rcpt nosuchuser@mx.test.example \
	--vrfy nosuchuser "127.0.0.1:$smtp"); st=$?
status_is unknown-user $st 2
check unknown-user "$out" "S: 550 5.1.1 <nosuchuser@mx.test.example>: Recipient address rejected"
check unknown-user "$out" "No such mailbox"
check unknown-user "$out" "rcpt-rejected"
check unknown-user "$out" "C: VRFY nosuchuser"
if [[ "$out" == *"VRFY command is disabled"* ]]; then echo "FAIL: VRFY disabled on port 25"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# 11. An unadvertised parameter is flagged and not sent (Postfix's log
# proves what arrived); with --force it is sent and the 555 explained.
out=$("$SMTPROBE" "${tls[@]}" --mail-from probe@example.org --mail-param REQUIRETLS "127.0.0.1:$smtp"); st=$?
status_is flagged $st 1
check flagged "$out" "param-not-advertised"
check flagged "$out" "REQUIRETLS"
if [[ "$out" == *"C: MAIL FROM"* ]]; then echo "FAIL: flagged MAIL FROM was sent"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
out=$("$SMTPROBE" "${tls[@]}" --force --mail-from probe@example.org --mail-param REQUIRETLS "127.0.0.1:$smtp"); st=$?
status_is forced $st 2
check forced "$out" "C: MAIL FROM:<probe@example.org> REQUIRETLS"
check forced "$out" "S: 555 5.5.4"
check forced "$out" "parameter was not recognized"

# 12. The password never shows, in any verbosity, nor its base64.
b64pw=$(printf '%s' "$pw" | base64)
b64plain=$(printf '\0tester\0%s' "$pw" | base64)
for v in -q "" -v "--format json" "--format nagios" "--format prometheus"; do
	out=$(SMTPROBE_PASSWORD="$pw" "$SMTPROBE" $v "${tls[@]}" --auth PLAIN --user tester "127.0.0.1:$sub" 2>&1)
	for secret in "$pw" "$b64pw" "$b64plain"; do
		if [[ "$out" == *"$secret"* ]]; then echo "FAIL: output ${v:-(normal)} shows a secret"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
	done
done

# 12b. The active STARTTLS injection test: Postfix is not vulnerable.
out=$("$SMTPROBE" "${tls[@]}" --check-starttls-injection -v "127.0.0.1:$smtp"); st=$?
status_is injection $st 0
check injection "$out" "C: STARTTLS (with NOOP in the same write"
check injection "$out" "starttls-injection-tested: not vulnerable"
check injection "$out" "after TLS     PIPELINING"

# 12c. The full dialogue takes the minimum of round trips: 7.5 plus the
# TCP handshake, with the envelope pipelined and QUIT riding with RSET.
out=$(SMTPROBE_PASSWORD="$pw" "$SMTPROBE" "${tls[@]}" --auth PLAIN --user tester \
	--mail-from tester@mx.test.example --rcpt someone@example.org --vrfy tester "127.0.0.1:$sub"); st=$?
status_is round-trips $st 0
check round-trips "$out" ", 8.5 round trips"
check round-trips "$out" "pipelined (RFC 2920): the next 3 commands went out in one write"

# 13. Machine formats from the real server: JSON valid against the
# schema, prometheus accepted by promtool, nagios with perfdata.
schema="$here/../docs/report.schema.json"
out=$("$SMTPROBE" "${tls[@]}" --format json "127.0.0.1:$smtp" "127.0.0.1:$smtps" "127.0.0.1:1"); st=$?
status_is json $st 2
if command -v python3 >/dev/null && python3 -c 'import jsonschema' 2>/dev/null; then
	if verdict=$(python3 "$here/lib/validate-json.py" "$schema" <<<"$out"); then pass=$((pass + 1)); else
		echo "FAIL: JSON output does not match the schema: $verdict"; fail=$((fail + 1)); fi
elif [ "${CI:-}" = true ]; then
	echo "FAIL: python3-jsonschema missing in CI"; fail=$((fail + 1))
fi
check json "$(sed -n 1p <<<"$out")" '"verdict":"OK"'
check json "$(sed -n 3p <<<"$out")" '"id":"connect-failed"'
# The real server proves it knows the password (SCRAM's signature); the
# report says so, within the schema.
out=$("$SMTPROBE" "${tls[@]}" --format json --auth SCRAM-SHA-256 --user tester \
	--password-file "$pwfile" "127.0.0.1:$sub"); st=$?
status_is json-auth $st 0
check json-auth "$out" '"auth":{"mechanism":"SCRAM-SHA-256","server_proof":"yes","channel_binding":null}'
if command -v python3 >/dev/null && python3 -c 'import jsonschema' 2>/dev/null; then
	if verdict=$(python3 "$here/lib/validate-json.py" "$schema" <<<"$out"); then pass=$((pass + 1)); else
		echo "FAIL: JSON output with AUTH does not match the schema: $verdict"; fail=$((fail + 1)); fi
fi
out=$("$SMTPROBE" "${tls[@]}" --format prometheus "127.0.0.1:$smtp" "127.0.0.1:1")
if command -v promtool >/dev/null; then
	if problems=$(promtool check metrics <<<"$out" 2>&1); then pass=$((pass + 1)); else
		echo "FAIL: promtool: $problems"; fail=$((fail + 1)); fi
elif [ "${CI:-}" = true ]; then
	echo "FAIL: promtool missing in CI"; fail=$((fail + 1))
fi
check prometheus "$out" "probe_success{target=\"127.0.0.1:$smtp\"} 1"
check prometheus "$out" "smtp_tls_version_info{target=\"127.0.0.1:$smtp\",version=\"TLSv1.3\"} 1"
check prometheus "$out" "smtp_finding{target=\"127.0.0.1:1\",id=\"connect-failed\",severity=\"CRITICAL\"} 1"
out=$("$SMTPROBE" "${tls[@]}" --format nagios -w 5 -c 10 --require-capability PIPELINING \
	--expect-banner '^220 mx[.]test[.]example ' "127.0.0.1:$smtp"); st=$?
status_is nagios $st 0
check nagios "$out" "SMTP OK - 127.0.0.1:$smtp mx.test.example, TLSv1.3, certificate 364 days |"
check nagios "$out" ";5;10;0;"
check nagios "$out" "cert_days=364;;;"
out=$("$SMTPROBE" "${tls[@]}" --format nagios --require-capability REQUIRETLS --expect-banner 'Exchange' "127.0.0.1:$smtp"); st=$?
status_is nagios-policy $st 2
check nagios-policy "$out" "capability-missing: the server does not advertise REQUIRETLS after TLS"
check nagios-policy "$out" "banner-unexpected"
out=$("$SMTPROBE" "${tls[@]}" --format nagios --ignore capability-missing --require-capability REQUIRETLS "127.0.0.1:$smtp"); st=$?
status_is nagios-ignore $st 0

# 14a. Behind a load balancer: the proxy port wants a HAProxy PROXY header
# (smtpd_upstream_proxy_protocol = haproxy; Postfix 3.5 and later read
# version 2 too).  The header's client is what Postfix sees: 192.0.2.7 is
# not in mynetworks (127.0.0.0/8), so relaying to example.net is refused
# (454 4.7.1, defer_unauth_destination), while 127.0.0.9 through the same
# header may relay (250); the log says "connect from unknown[192.0.2.7]".
# Without a header Postfix greets nobody and drops the connection.
relay=(--tls none --mail-from probe@example.org --rcpt someone@example.net)
maillog_has() { # maillog_has NEEDLE: Postfix's log gets it within 5 s
	local i
	for i in $(seq 1 50); do
		grep -qF -- "$1" "$dir/maillog" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
for v in v1 v2; do
	out=$("$SMTPROBE" "${relay[@]}" --proxy-protocol $v --proxy-source 192.0.2.7:40025 "127.0.0.1:$proxy"); st=$?
	status_is "proxy-$v" $st 1
	check "proxy-$v" "$out" "S: 220 mx.test.example ESMTP smtprobe-lab"
	check "proxy-$v" "$out" "S: 454 4.7.1 <someone@example.net>: Relay access denied"
	if maillog_has "connect from unknown[192.0.2.7]"; then pass=$((pass + 1)); else
		echo "FAIL: proxy-$v: Postfix did not log the forwarded client 192.0.2.7"; fail=$((fail + 1)); fi
	out=$("$SMTPROBE" "${relay[@]}" --proxy-protocol $v --proxy-source 127.0.0.9:40026 "127.0.0.1:$proxy"); st=$?
	status_is "proxy-$v-mynetworks" $st 0
	check "proxy-$v-mynetworks" "$out" "C: RCPT TO:<someone@example.net>"
	check "proxy-$v-mynetworks" "$out" "S: 250 2.1.5 Ok"
done
if "$SMTPROBE" -q --tls none "[::1]:$smtp" >/dev/null 2>&1; then
	out=$("$SMTPROBE" "${relay[@]}" --proxy-protocol v2 --proxy-source '[2001:db8::7]:40027' "[::1]:$proxy"); st=$?
	status_is proxy-v2-ipv6 $st 1
	check proxy-v2-ipv6 "$out" "S: 454 4.7.1 <someone@example.net>: Relay access denied"
	if maillog_has "connect from unknown[2001:db8::7]"; then pass=$((pass + 1)); else
		echo "FAIL: proxy-v2-ipv6: Postfix did not log the forwarded client 2001:db8::7"; fail=$((fail + 1)); fi
	# The header has one family for both ends: localhost's IPv6 address
	# (its AAAA comes first) is not tried with an IPv4 source, and says why.
	out=$("$SMTPROBE" -v "${relay[@]}" --proxy-protocol v2 --proxy-source 192.0.2.7:40027 "localhost:$proxy")
	check proxy-family "$out" "::1 port $proxy: not tried: --proxy-source is IPv4"
	check proxy-family "$out" "S: 454 4.7.1 <someone@example.net>: Relay access denied"
fi
out=$("$SMTPROBE" --tls none --timeout 6 "127.0.0.1:$proxy"); st=$?
status_is proxy-none $st 2
if [[ "$out" == *"S: 220"* ]]; then echo "FAIL: proxy-none: greeted without a PROXY header"; fail=$((fail + 1)); else
	pass=$((pass + 1)); fi
if maillog_has "haproxy read: timeout error"; then pass=$((pass + 1)); else
	echo "FAIL: proxy-none: Postfix did not log the missing header"; fail=$((fail + 1)); fi

# 14. The probe speaks the user's language: the transcript's explanations,
# the summary and the verdict translated (German and Chinese), JSON with
# English keys and ids, nagios English unless --lang asks.
if command -v msgfmt >/dev/null && [ -f "$top/po/smtprobe.pot" ]; then
	i18n_catalogues "$top" "$dir/locale" >/dev/null || { echo "FAIL: the catalogues do not compile"; fail=$((fail + 1)); }
	export SMTPROBE_LOCALEDIR=$dir/locale
	out=$(LANGUAGE=de "$SMTPROBE" "${tls[@]}" --mail-from probe@example.org --rcpt nosuchuser@mx.test.example \
		"127.0.0.1:$smtp"); st=$?
	status_is i18n-de $st 2
	check i18n-de "$out" "S: 550 5.1.1 <nosuchuser@mx.test.example>: Recipient address rejected"
	check i18n-de "$out" "Kein solches Postfach: Der Empfänger existiert auf diesem Server nicht."
	check i18n-de "$out" "Bereit zum Start von TLS"
	check i18n-de "$out" "Zusammenfassung"
	check i18n-de "$out" "rcpt-rejected"
	check i18n-de "$out" "CRITICAL: 127.0.0.1:$smtp mx.test.example, TLSv1.3, Zertifikat verifiziert"
	out=$(LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$SMTPROBE" "${tls[@]}" "127.0.0.1:$smtp"); st=$?
	status_is i18n-zh $st 0
	check i18n-zh "$out" "服务就绪：服务器接受本次会话"
	check i18n-zh "$out" "摘要"
	check i18n-zh "$out" "证书已验证"
	out=$(LANGUAGE=fr "$SMTPROBE" "${tls[@]}" --format json "127.0.0.1:$smtp"); st=$?
	status_is i18n-json $st 0
	if python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["verdict"] == "OK", r["verdict"]
texts = json.dumps(r, ensure_ascii=False)
assert "Service prêt" in texts, "no French explanation"
' "$out"; then pass=$((pass + 1)); else echo "FAIL: i18n-json: keys or text"; fail=$((fail + 1)); fi
	if python3 -c "import jsonschema" 2>/dev/null; then
		if python3 "$here/lib/validate-json.py" "$schema" <<<"$out" >/dev/null; then pass=$((pass + 1)); else
			echo "FAIL: i18n-json: the French report breaks docs/report.schema.json"; fail=$((fail + 1)); fi
	fi
	out=$(LANGUAGE=vi "$SMTPROBE" "${tls[@]}" --format nagios "127.0.0.1:$smtp")
	check i18n-nagios "$out" "SMTP OK - 127.0.0.1:$smtp mx.test.example, TLSv1.3, certificate 364 days |"
	out=$("$SMTPROBE" "${tls[@]}" --format nagios --lang vi "127.0.0.1:$smtp")
	check i18n-nagios-lang "$out" "chứng chỉ còn 364 ngày |"
	out=$(LANGUAGE=de "$SMTPROBE" "${tls[@]}" --format prometheus "127.0.0.1:$smtp")
	check i18n-prometheus "$out" "# HELP probe_success Whether the probe succeeded"
	out=$("$SMTPROBE" "${tls[@]}" --format prometheus --lang de "127.0.0.1:$smtp")
	check i18n-prometheus-lang "$out" "# HELP probe_success Ob die Prüfung gelang"
	check i18n-prometheus-lang "$out" "probe_success{target=\"127.0.0.1:$smtp\"} 1"
	if command -v promtool >/dev/null; then
		if promtool check metrics <<<"$out" >/dev/null 2>&1; then pass=$((pass + 1)); else
			echo "FAIL: promtool rejects the German metrics"; fail=$((fail + 1)); fi
	fi
	unset SMTPROBE_LOCALEDIR
elif [ "${CI:-}" = true ]; then
	echo "FAIL: gettext (msgfmt) or po/smtprobe.pot missing in CI"; fail=$((fail + 1))
fi

finish
