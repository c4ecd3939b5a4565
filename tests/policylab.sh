#!/usr/bin/env bash
# The DANE / MTA-STS / TLS-RPT lab (tests/lib/policylab.sh) serves what each
# of its cases needs, checked with tools independent of smtprobe:
# - unbound-host (libunbound, forwarding to the lab's NSD, with the lab's
#   trust-anchor file as smtprobe's --trust-anchor will read it): each
#   record's validation status, secure / insecure / BOGUS / SERVFAIL;
# - openssl s_client -starttls smtp against the lab's Postfix on port 25,
#   given the TLSA records DNS returned (OpenSSL's own DANE check): the
#   3 1 1 and 2 1 1 records match what the MX presents, the bad one does not;
# - Python's ssl and http.client (tests/lib/stsfetch.py) against the policy
#   host on port 443: status, Content-Type, size, transfer coding, and the
#   certificate failures.
# The lab runs in a network namespace of its own (unshare -n); the machine
# is not changed.  Skips (77) when root, unshare, nsd, ldnsutils, openssl,
# python3, unbound-host or a Postfix is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
. "$here/lib/policylab.sh"

why=$(policylab_have) || skip "$why"
command -v unbound-host >/dev/null || skip "unbound-host is not installed (tools/deps installs it)"
policylab_netns "$0" "$@"

dir=$(mktemp -d /tmp/smtprobe-policylab.XXXXXX)
trap 'policylab_stop "$dir"' EXIT
t0=$(date +%s%3N)
policylab_start "$dir" || { echo "FAIL: the lab did not start"; exit 1; }
t1=$(date +%s%3N)
echo "the lab started in $((t1 - t0)) ms"
[ $((t1 - t0)) -lt 15000 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: the lab took $((t1 - t0)) ms to start (want under 15 s)"; fail=$((fail + 1)); }

policylab_cases
[ "$(policylab_cases | grep -c $'^[a-z0-9-]*\.example\t\(dane\|sts\)\t.')" = 20 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: policylab_cases did not list 20 cases"; fail=$((fail + 1)); }

# A resolver forwarding everything to the lab's NSD, as smtprobe
# --dns-server 127.0.0.1 will; the trust anchor from the lab's file
# (unbound-host -f reads it with ub_ctx_add_ta_file).
cat >"$dir/unbound-host.conf" <<CF
server:
  module-config: "validator iterator"
forward-zone:
  name: "."
  forward-addr: ${POLICYLAB_DNS/:/@}
CF
uh() { timeout 20 unbound-host -C "$dir/unbound-host.conf" -f "$POLICYLAB_ANCHOR" -v "$@" 2>&1; }

# Exactly one line of OUTPUT is LINE.
has_line() {
	if grep -qxF -- "$3" <<<"$2"; then pass=$((pass + 1)); else
		echo "FAIL: $1: no line '$3' in:"; sed 's/^/    /' <<<"$2"; fail=$((fail + 1)); fi
}
lacks() {
	if [[ "$2" != *"$3"* ]]; then pass=$((pass + 1)); else
		echo "FAIL: $1: '$3' in: $2"; fail=$((fail + 1)); fi
}

# What the MX presents, from the wire: the SHA-256 of its certificate's
# SubjectPublicKeyInfo (EE) and of the CA certificate's after it (TA).
chain=$(timeout 20 openssl s_client -showcerts -starttls smtp -connect 127.0.0.1:25 </dev/null 2>/dev/null)
spki() { openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 | tr a-f A-F; }
ee=$(awk '/BEGIN CERT/ { n++ } n == 1' <<<"$chain" | sed '/END CERT/q' | spki)
ta=$(awk '/BEGIN CERT/ { n++ } n == 2' <<<"$chain" | sed '/END CERT/q' | spki)
[ ${#ee} = 64 ] && [ ${#ta} = 64 ] && [ "$ee" != "$ta" ] && pass=$((pass + 1)) ||
	{ echo "FAIL: the MX did not present a certificate and its CA: '$ee' '$ta'"; fail=$((fail + 1)); }

# 1. DNS, case by case.
for c in $POLICYLAB_CASES; do
	d=$c.example
	sec=secure
	[ "$c" = dane-insecure ] && sec=insecure
	out=$(uh -t MX "$d")
	has_line "$c MX" "$out" "$d mail is handled by 10 mx.$d. ($sec)"
	out=$(uh -t A "mx.$d")
	has_line "$c A" "$out" "mx.$d has address 127.0.0.1 ($sec)"
	out=$(uh -t TXT "_mta-sts.$d")
	case $c in
	sts-*) has_line "$c _mta-sts" "$out" "_mta-sts.$d has TXT record \"v=STSv1; id=20261129T000001;\" (secure)" ;;
	*) has_line "$c _mta-sts" "$out" "Host _mta-sts.$d not found: 3(NXDOMAIN). ($sec)" ;;
	esac
	out=$(uh -t TXT "_smtp._tls.$d")
	case $c in
	dane-ee | sts-enforce | sts-badmx | sts-badcert)
		has_line "$c _smtp._tls" "$out" "_smtp._tls.$d has TXT record \"v=TLSRPTv1; rua=mailto:tlsrpt@$d\" (secure)" ;;
	sts-testing)
		has_line "$c _smtp._tls" "$out" "_smtp._tls.$d has TXT record \"v=TLSRPTv1; rua=https://tlsrpt.$d/v1\" (secure)" ;;
	sts-chunked)
		rua="mailto:tlsrpt@$d,https://tlsrpt.$d/v1"
		has_line "$c _smtp._tls" "$out" "_smtp._tls.$d has TXT record \"v=TLSRPTv1; rua=$rua\" (secure)" ;;
	*) has_line "$c _smtp._tls" "$out" "Host _smtp._tls.$d not found: 3(NXDOMAIN). ($sec)" ;;
	esac
	out=$(uh -t TLSA "_25._tcp.mx.$d")
	t=_25._tcp.mx.$d
	case $c in
	dane-ee) has_line "$c TLSA" "$out" "$t has TLSA record 3 1 1 $ee (secure)" ;;
	dane-mismatch)
		check "$c TLSA" "$out" "$t has TLSA record 3 1 1 "
		check "$c TLSA" "$out" " (secure)"
		lacks "$c TLSA" "$out" "$ee" ;;
	dane-ta) has_line "$c TLSA" "$out" "$t has TLSA record 2 1 1 $ta (secure)" ;;
	dane-pkix)
		has_line "$c TLSA" "$out" "$t has TLSA record 1 1 1 $ee (secure)"
		check "$c TLSA" "$out" "$t has TLSA record 0 0 1 "
		[ "$(grep -c "has TLSA record" <<<"$out")" = 2 ] && pass=$((pass + 1)) ||
			{ echo "FAIL: $c: not two TLSA records: $out"; fail=$((fail + 1)); } ;;
	dane-bogus)
		has_line "$c TLSA" "$out" "$t has TLSA record 3 1 1 $ee (BOGUS (security failure))"
		check "$c TLSA" "$out" "validation failure <$t. TLSA IN>: ECDSA signature verification failed" ;;
	dane-servfail) has_line "$c TLSA" "$out" "Host $t not found: 2(SERVFAIL). (error)" ;;
	dane-insecure) has_line "$c TLSA" "$out" "$t has TLSA record 3 1 1 $ee (insecure)" ;;
	dane-rollover)
		has_line "$c TLSA" "$out" "$t has TLSA record 3 1 1 $ee (secure)"
		[ "$(grep -c "^$t has TLSA record 3 1 1 [0-9A-F]\{64\} (secure)$" <<<"$out")" = 2 ] &&
			pass=$((pass + 1)) || { echo "FAIL: $c: not two 3 1 1 records: $out"; fail=$((fail + 1)); } ;;
	sts-*) has_line "$c TLSA" "$out" "Host $t not found: 3(NXDOMAIN). (secure)" ;;
	esac
done
# The anchor is what makes them secure: without it, insecure; with the DS
# of another key for example., bogus.
out=$(timeout 20 unbound-host -C "$dir/unbound-host.conf" -v -t TLSA _25._tcp.mx.dane-ee.example 2>&1)
has_line "no anchor" "$out" "_25._tcp.mx.dane-ee.example has TLSA record 3 1 1 $ee (insecure)"
mkdir "$dir/otherkey"
k=$(cd "$dir/otherkey" && ldns-keygen -a ECDSAP256SHA256 -k example)
out=$(timeout 20 unbound-host -C "$dir/unbound-host.conf" -f "$dir/otherkey/$k.ds" -v -t MX dane-ee.example 2>&1)
check "wrong anchor" "$out" "(BOGUS (security failure))"
out=$(uh -t A nothing.example)
has_line "nxdomain" "$out" "Host nothing.example not found: 3(NXDOMAIN). (secure)"

# 2. The MX against each case's TLSA records, by OpenSSL's DANE code.
dane() {
	local c=$1 host=${2:-mx.$1.example} args=() rr
	while read -r rr; do args+=(-dane_tlsa_rrdata "$rr"); done < <(
		uh -t TLSA "_25._tcp.mx.$c.example" | sed -n 's/.* has TLSA record \([0-9]* [0-9]* [0-9]* [0-9A-F]*\) (.*/\1/p')
	[ ${#args[@]} -gt 0 ] || { echo "no TLSA records for $c"; return; }
	timeout 20 openssl s_client -brief -verify_return_error -starttls smtp -connect 127.0.0.1:25 \
		-dane_tlsa_domain "$host" "${args[@]}" "${@:3}" </dev/null 2>&1
}
out=$(dane dane-ee)
check dane-ee "$out" "Verification: OK"
check dane-ee "$out" "DANE TLSA 3 1 1 ...$(tr A-F a-f <<<"${ee:40}") matched EE certificate at depth 0"
out=$(dane dane-mismatch)
check dane-mismatch "$out" "no matching DANE TLSA records"
lacks dane-mismatch "$out" "Verification: OK"
out=$(dane dane-ta)
check dane-ta "$out" "Verification: OK"
check dane-ta "$out" "Verified peername: mx.dane-ta.example"
check dane-ta "$out" "DANE TLSA 2 1 1 ...$(tr A-F a-f <<<"${ta:40}") matched TA certificate at depth 1"
# DANE-TA checks the name (RFC 7672 §3.2.2): a name the certificate lacks fails.
out=$(dane dane-ta mx.not-named.example)
check "dane-ta other name" "$out" "hostname mismatch"
out=$(dane dane-rollover)
check dane-rollover "$out" "matched EE certificate at depth 0"
# The records of the PKIX, bogus and insecure cases match the MX too, so
# their verdicts come from the usage, the signature or the zone alone.
out=$(dane dane-pkix mx.dane-pkix.example -CAfile "$POLICYLAB_CA")
check dane-pkix "$out" "Verification: OK"
check dane-pkix "$out" "matched"
out=$(dane dane-bogus)
check dane-bogus "$out" "matched EE certificate at depth 0"
out=$(dane dane-insecure)
check dane-insecure "$out" "matched EE certificate at depth 0"

# 3. The policy host.
fetch() {
	local a
	a=$(uh -t A "mta-sts.$1.example" | sed -n 's/.* has address \([0-9.]*\) (secure)$/\1/p')
	[ -n "$a" ] || { echo "mta-sts.$1.example has no secure address"; return; }
	timeout 20 python3 "$here/lib/stsfetch.py" "$a" "$1.example" "$POLICYLAB_CA" 2>&1
}
p=version=STSv1
out=$(fetch sts-enforce)
check sts-enforce "$out" "status=200 type=text/plain length=76 transfer=identity $p mode=enforce"
check sts-enforce "$out" " mx=mx.sts-enforce.example max_age=604800"
out=$(fetch sts-testing)
check sts-testing "$out" "status=200 type=text/plain;charset=utf-8 "
check sts-testing "$out" "$p mode=testing mx=mx.sts-testing.example"
out=$(fetch sts-none)
check sts-none "$out" "status=200 type=text/plain "
check sts-none "$out" "$p mode=none mx=mx.sts-none.example"
out=$(fetch sts-badmx)
check sts-badmx "$out" "status=200 type=text/plain "
check sts-badmx "$out" "$p mode=enforce mx=mx.elsewhere.example"
out=$(fetch sts-404)
check sts-404 "$out" "status=404 type=text/plain "
check sts-404 "$out" "$p mode=enforce"
out=$(fetch sts-redirect)
check sts-redirect "$out" "status=301 type=text/plain "
check sts-redirect "$out" "location=https://mta-sts.sts-enforce.example/.well-known/mta-sts.txt $p mode=enforce"
out=$(fetch sts-ctype)
check sts-ctype "$out" "status=200 type=text/html "
check sts-ctype "$out" "$p mode=enforce mx=mx.sts-ctype.example"
out=$(fetch sts-big)
check sts-big "$out" "status=200 type=text/plain length=70000 transfer=identity $p mode=enforce"
out=$(fetch sts-badcert)
check sts-badcert "$out" "error=cert self-signed certificate"
out=$(fetch sts-wrongname)
check sts-wrongname "$out" "error=cert Hostname mismatch"
out=$(fetch sts-chunked)
check sts-chunked "$out" "status=200 type=text/plain length=70 transfer=chunked $p mode=enforce"
check sts-chunked "$out" " mx=*.sts-chunked.example"
out=$(fetch sts-nopolicy)
check sts-nopolicy "$out" "error=connect [Errno 111] Connection refused"
# The sts-* MX names are on the MX's certificate, verified under the test CA
# (what MTA-STS asks of the MX, RFC 8461 §4.1).
out=$(timeout 20 openssl s_client -brief -verify_return_error -starttls smtp -connect 127.0.0.1:25 \
	-CAfile "$POLICYLAB_CA" -verify_hostname mx.sts-enforce.example </dev/null 2>&1)
check "sts MX" "$out" "Verification: OK"

finish
