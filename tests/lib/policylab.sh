# policylab.sh - the DANE / MTA-STS / TLS-RPT lab of the tests: sourced,
# never run.  Everything listens on 127.0.0.1 at the fixed ports the
# protocols use (DNS 53, SMTP 25, HTTPS 443), so the lab runs only inside a
# network namespace of its own (policylab_netns); the machine is not changed.
#
#   policylab_have            exit status 0 when the lab can run here; else
#                             print why not (for skip) and return 1
#   policylab_netns SCRIPT [ARG...]
#                             in a test script, before anything else: re-run
#                             SCRIPT under `unshare -n` (the new namespace's
#                             loopback brought up) and exit with its status;
#                             returns at once inside that namespace
#   policylab_start DIR       start the lab into DIR (made, or empty):
#                             sets and exports POLICYLAB_DIR, POLICYLAB_DNS
#                             (127.0.0.1[:PORT], for --dns-server), POLICYLAB_ANCHOR
#                             (the trust-anchor file), POLICYLAB_CA (the test
#                             CA of the MX and of the policy server), also
#                             written to DIR/env for `. DIR/env`
#   policylab_stop DIR        stop all of it and remove DIR
#   policylab_cases           print the cases, one a line: domain, kind (dane
#                             or sts), what it publishes
#   POLICYLAB_DNS_PORT        the DNS port (default 53), set before start
#
# A test uses it so (tests/policylab.sh does):
#
#   . "$here/lib/policylab.sh"
#   why=$(policylab_have) || skip "$why"
#   policylab_netns "$0" "$@"           # from here on, in the namespace
#   dir=$(mktemp -d /tmp/smtprobe-x.XXXXXX)
#   trap 'policylab_stop "$dir"' EXIT
#   policylab_start "$dir" || { echo "FAIL: the lab did not start"; exit 1; }
#   "$SMTPROBE" --dns-server "$POLICYLAB_DNS" --trust-anchor "$POLICYLAB_ANCHOR" \
#       --cafile "$POLICYLAB_CA" --mx dane-ee.example
#
# The parts:
# - NSD (authoritative only) from DIR/dns/nsd.conf, zones made and signed
#   here with ldns-keygen/ldns-signzone (ECDSA P-256, one key per zone with
#   the SEP flag, NSEC).  "example." is signed and is the only trust anchor:
#   DIR/trust-anchor holds its DS record in zone-file format, the form
#   libunbound's ub_ctx_add_ta_file reads ("DS and DNSKEY records in zone
#   file format", libunbound(3)).  Each case is a zone CASE.example delegated
#   from example. with a DS record (signed) or without (the insecure case,
#   proven by example.'s NSEC).  A resolver forwarding to 127.0.0.1 (smtprobe
#   --dns-server 127.0.0.1 --trust-anchor DIR/trust-anchor) validates the
#   whole chain: NSD serves parent and children, so no referral is seen.
#   Not test.: libunbound answers test. itself with NXDOMAIN (one of its
#   default local zones, unbound.conf(5) "local-zone"), so a lookup of
#   *.test would never reach NSD; example. is reserved too (RFC 2606 §3)
#   and has no such default.
# - The real Postfix of tests/lib/postfix-lab.sh as every MX (mx.CASE.example
#   A 127.0.0.1): port 25 with STARTTLS (465 implicit TLS), its certificate
#   from the test CA (tests/lib/testca.sh) naming mx.test.example and every
#   mx.CASE.example, sent with the CA certificate after it (a DANE-TA 2 1 1
#   record matches only an anchor in the chain, RFC 7671 §5.2.2).
# - tests/lib/stshttps.py on 127.0.0.1:443: the MTA-STS policy host
#   mta-sts.CASE.example, each answering as its case says (by SNI and Host).
#
# The cases.  "Publishes" is what the zone and the policy host serve; "a
# correct smtprobe --mx DOMAIN" says what it must report, in the states of
# src/mxpolicy.h.  TLSA data: EE = SHA-256 of the MX certificate's
# SubjectPublicKeyInfo, TA = that of the test CA's, OTHER and NEXT = of keys
# the MX does not use.  Every DANE record set is DNSSEC-secure unless said.
#
# dane-ee.example: TLSA 3 1 1 EE; TLS-RPT rua=mailto:.
#     DANE matched (3 1 1 at depth 0); one association only: the rollover
#     note.  TLS-RPT present.
# dane-mismatch.example: TLSA 3 1 1 OTHER.
#     DANE no-match: CRITICAL (DANE senders defer all mail).
# dane-ta.example: TLSA 2 1 1 TA.
#     DANE matched (2 1 1 at depth 1; the name mx.dane-ta.example is on the
#     certificate, RFC 7672 §3.2.2).  INFO: no TLS-RPT record.
# dane-pkix.example: TLSA 0 0 1 (the CA certificate) and 1 1 1 EE.
#     DANE unusable: PKIX-TA/PKIX-EE are not for SMTP (RFC 7672 §3.1.3),
#     though both records match the MX under PKIX.
# dane-bogus.example: TLSA 3 1 1 EE, its RRSIG altered after signing.
#     TLSA bogus (the validator's reason): DANE lookup-failed (RFC 7672
#     §2.2), never "no DANE"; the record itself would match.
# dane-servfail.example: the TLSA owner _25._tcp.mx.dane-servfail.example
#     is a zone cut to a zone NSD is configured for but cannot load (no
#     file): NSD answers SERVFAIL there.  TLSA failed: DANE lookup-failed.
#     (A lame delegation would not do: through a forwarder libunbound takes
#     NSD's referral as an insecure NODATA, "has no TLSA record".)
# dane-insecure.example: unsigned zone, no DS (example.'s NSEC proves it);
#     TLSA 3 1 1 EE.  MX insecure: DANE not-secure, the record ignored
#     (RFC 7672 §2.2), no DANE finding.
# dane-rollover.example: TLSA 3 1 1 EE and 3 1 1 NEXT.
#     DANE matched; two associations: rollover-ready, no note.
# sts-enforce.example: policy enforce, mx mx.sts-enforce.example, max_age
#     604800, CRLF line ends; TLS-RPT rua=mailto:.
#     STS ok, enforce, the MX matches, its certificate verifies (test CA).
# sts-testing.example: policy testing (Content-Type "text/plain;
#     charset=utf-8"); TLS-RPT rua=https:.
#     STS ok, testing.
# sts-none.example: policy none; no TLS-RPT.
#     STS ok, mode none; INFO: no TLS-RPT record.
# sts-badmx.example: policy enforce, mx mx.elsewhere.example only.
#     STS ok, host_match -1: CRITICAL, the MX is outside an enforce policy.
# sts-404.example: 404 (its body a valid policy, text/plain).
#     fetch status, http_status 404; the body is not taken.
# sts-redirect.example: 301 to sts-enforce's policy (a policy as body).
#     fetch redirect (RFC 8461 §3.3: not followed), Location reported.
# sts-ctype.example: 200, a valid policy as text/html.
#     fetch type (RFC 8461 §3.2: text/plain).
# sts-big.example: 200, a valid enforce policy padded with unknown keys to
#     70000 bytes (Content-Length).
#     fetch too-large (more than 64 KiB).
# sts-badcert.example: the policy host sends a self-signed certificate.
#     fetch cert.
# sts-wrongname.example: the policy host sends a test-CA certificate for
#     mta-sts.elsewhere.example only.
#     fetch cert (not valid for mta-sts.sts-wrongname.example).
# sts-chunked.example: 200, enforce, mx *.sts-chunked.example, sent with
#     chunked transfer coding; TLS-RPT mailto: and https:.
#     STS ok, the MX matches the wildcard.
# sts-nopolicy.example: TXT id, but mta-sts.sts-nopolicy.example is
#     127.0.0.2 where nothing listens.
#     fetch connect.
#
# Every sts-* domain has MX mx.CASE.example and no TLSA (secure NXDOMAIN:
# DANE none), _mta-sts TXT "v=STSv1; id=20261129T000001;"; no dane-* domain
# has one.  Any other name under example.: NXDOMAIN.
#
# Needs root (Postfix's master, ports below 1024), unshare and ip, nsd,
# ldns-keygen and ldns-signzone (ldnsutils), openssl, python3, and the
# Postfix that tests/lib/postfix-lab.sh finds.

policylab_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

POLICYLAB_CASES="dane-ee dane-mismatch dane-ta dane-pkix dane-bogus dane-servfail dane-insecure
dane-rollover sts-enforce sts-testing sts-none sts-badmx sts-404 sts-redirect sts-ctype sts-big
sts-badcert sts-wrongname sts-chunked sts-nopolicy"

policylab_cases() {
	local c
	for c in $POLICYLAB_CASES; do
		printf '%s.example\t%s\t%s\n' "$c" "${c%%-*}" "$(policylab_what "$c")"
	done
}

# One line on what a case publishes (the table above, short).
policylab_what() {
	case $1 in
	dane-ee) echo "TLSA 3 1 1 of the MX key" ;;
	dane-mismatch) echo "TLSA 3 1 1 of another key" ;;
	dane-ta) echo "TLSA 2 1 1 of the test CA" ;;
	dane-pkix) echo "TLSA 0 0 1 and 1 1 1 only" ;;
	dane-bogus) echo "TLSA 3 1 1 with a broken RRSIG" ;;
	dane-servfail) echo "TLSA owner in a zone that answers SERVFAIL" ;;
	dane-insecure) echo "unsigned zone, TLSA 3 1 1 of the MX key" ;;
	dane-rollover) echo "TLSA 3 1 1 current and next key" ;;
	sts-enforce) echo "policy enforce, MX listed" ;;
	sts-testing) echo "policy testing" ;;
	sts-none) echo "policy none, no TLS-RPT" ;;
	sts-badmx) echo "policy enforce, MX not listed" ;;
	sts-404) echo "policy URL answers 404" ;;
	sts-redirect) echo "policy URL answers 301" ;;
	sts-ctype) echo "policy served as text/html" ;;
	sts-big) echo "policy of 70000 bytes" ;;
	sts-badcert) echo "policy host with a self-signed certificate" ;;
	sts-wrongname) echo "policy host certificate for another name" ;;
	sts-chunked) echo "policy enforce with a wildcard, chunked" ;;
	sts-nopolicy) echo "TXT id, no policy host listening" ;;
	esac
}

# This shell runs in the namespace policylab_netns made: not the one the
# test was started in (whose id policylab_netns passed down).
policylab_private_netns() {
	local mine
	mine=$(readlink /proc/self/ns/net 2>/dev/null) || return 1
	[ -n "${POLICYLAB_OUTER_NETNS:-}" ] && [ "$mine" != "$POLICYLAB_OUTER_NETNS" ]
}

policylab_have() {
	local t why
	[ "$(id -u)" = 0 ] || { echo "not root: Postfix's master and ports 25/53/443 need it"; return 1; }
	for t in unshare ip nsd ldns-keygen ldns-signzone openssl python3; do
		command -v "$t" >/dev/null || { echo "$t is not installed (tools/deps installs it)"; return 1; }
	done
	why=$(bash "$policylab_lib/postfix-lab.sh" have) || { echo "$why"; return 1; }
	if [ "${POLICYLAB_NETNS:-}" != 1 ]; then
		unshare -n true 2>/dev/null || { echo "cannot make a network namespace (unshare -n)"; return 1; }
	fi
}

policylab_netns() {
	local script=$1
	shift
	if [ "${POLICYLAB_NETNS:-}" = 1 ]; then
		policylab_private_netns || { echo "FAIL: unshare -n gave no namespace of its own"; exit 1; }
		ip link set lo up || { echo "FAIL: cannot bring up lo in the namespace"; exit 1; }
		return 0
	fi
	POLICYLAB_OUTER_NETNS=$(readlink /proc/self/ns/net) ||
		{ echo "FAIL: cannot read /proc/self/ns/net"; exit 1; }
	exec env POLICYLAB_NETNS=1 POLICYLAB_OUTER_NETNS="$POLICYLAB_OUTER_NETNS" unshare -n -- bash "$script" "$@"
}

pl_die() { echo "policylab: $*" >&2; return 1; }

# SHA-256 of a certificate's SubjectPublicKeyInfo (selector 1, matching
# type 1), or of the whole certificate (selector 0) with "cert".
pl_spki_sha256() {
	openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER |
		openssl dgst -sha256 -r | cut -d' ' -f1
}
pl_cert_sha256() {
	openssl x509 -in "$1" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
}
pl_key_spki_sha256() {
	openssl pkey -in "$1" -pubout -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
}
pl_ec_key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# The records of zone CASE.example (relative names), TLSA data from $pl_*.
pl_zone_records() {
	local c=$1 id=20261129T000001
	printf '@ SOA ns.example. hostmaster.example. 1 3600 600 86400 300\n@ NS ns.example.\n'
	printf '@ MX 10 mx.%s.example.\nmx A 127.0.0.1\n' "$c"
	case $c in
	dane-ee) printf '_25._tcp.mx TLSA 3 1 1 %s\n' "$pl_ee"
		printf '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@dane-ee.example"\n' ;;
	dane-mismatch) printf '_25._tcp.mx TLSA 3 1 1 %s\n' "$pl_other" ;;
	dane-ta) printf '_25._tcp.mx TLSA 2 1 1 %s\n' "$pl_ta" ;;
	dane-pkix) printf '_25._tcp.mx TLSA 0 0 1 %s\n_25._tcp.mx TLSA 1 1 1 %s\n' "$pl_ca_cert" "$pl_ee" ;;
	dane-bogus | dane-insecure) printf '_25._tcp.mx TLSA 3 1 1 %s\n' "$pl_ee" ;;
	dane-servfail) printf '_25._tcp.mx NS ns.example.\n' ;;
	dane-rollover) printf '_25._tcp.mx TLSA 3 1 1 %s\n_25._tcp.mx TLSA 3 1 1 %s\n' "$pl_ee" "$pl_next" ;;
	sts-*)
		if [ "$c" = sts-nopolicy ]; then
			printf 'mta-sts A 127.0.0.2\n'
		else
			printf 'mta-sts A 127.0.0.1\n'
		fi
		printf '_mta-sts TXT "v=STSv1; id=%s;"\n' "$id" ;;
	esac
	case $c in
	sts-enforce | sts-badmx | sts-badcert)
		printf '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@%s.example"\n' "$c" ;;
	sts-testing) printf '_smtp._tls TXT "v=TLSRPTv1; rua=https://tlsrpt.sts-testing.example/v1"\n' ;;
	sts-chunked)
		printf '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sts-chunked.example,https://tlsrpt.sts-chunked.example/v1"\n' ;;
	esac
}

# Make a key for ZONE in DIR, print its base name (K<zone>+013+<tag>).
pl_keygen() {
	(cd "$1" && ldns-keygen -a ECDSAP256SHA256 -k "$2") || pl_die "ldns-keygen $2 failed"
}

# Break the signature of the TLSA RRset in a signed zone file: change the
# first character of the RRSIG's base64 signature (the last field).  The
# zone stays well-formed; only a validator notices.
pl_break_tlsa_rrsig() {
	awk 'BEGIN { OFS = "\t" }
	$4 == "RRSIG" && $5 == "TLSA" {
		s = $NF; c = substr(s, 1, 1); $NF = (c == "A" ? "B" : "A") substr(s, 2); n++
	}
	{ print }
	END { if (n != 1) exit 1 }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# The zones: CASE.example for each case (signed but dane-insecure), then
# example. with the delegations and DS records, signed; the trust anchor.
pl_zones() {
	local d=$1 c k z
	: >"$d/dns/delegations"
	for c in $POLICYLAB_CASES; do
		z=$d/dns/$c.example.zone
		{ printf '$ORIGIN %s.example.\n$TTL 300\n' "$c"; pl_zone_records "$c"; } >"$z"
		if [ "$c" = dane-insecure ]; then
			cp "$z" "$z.signed"
		else
			k=$(pl_keygen "$d/dns/keys" "$c.example") || return 1
			ldns-signzone -f "$z.signed" "$z" "$d/dns/keys/$k" || return 1
			cat "$d/dns/keys/$k.ds" >>"$d/dns/delegations"
		fi
		printf '%s.example. NS ns.example.\n' "$c" >>"$d/dns/delegations"
	done
	pl_break_tlsa_rrsig "$d/dns/dane-bogus.example.zone.signed" ||
		pl_die "dane-bogus.example: not one TLSA RRSIG to break" || return 1
	{
		printf '$ORIGIN example.\n$TTL 300\n'
		printf '@ SOA ns.example. hostmaster.example. 1 3600 600 86400 300\n@ NS ns.example.\nns A 127.0.0.1\n'
		cat "$d/dns/delegations"
	} >"$d/dns/example.zone"
	k=$(pl_keygen "$d/dns/keys" example) || return 1
	ldns-signzone -f "$d/dns/example.zone.signed" "$d/dns/example.zone" "$d/dns/keys/$k" || return 1
	cp "$d/dns/keys/$k.ds" "$d/trust-anchor"
}

pl_nsd_conf() {
	local d=$1 port=$2 c
	cat <<CF
server:
  ip-address: 127.0.0.1@$port
  do-ip6: no
  port: $port
  username: ""
  chroot: ""
  zonesdir: "$d/dns"
  database: ""
  zonelistfile: "$d/dns/zone.list"
  xfrdfile: "$d/dns/xfrd.state"
  xfrdir: "$d/dns"
  pidfile: "$d/dns/nsd.pid"
  logfile: "$d/dns/nsd.log"
  cookie-secret-file: "$d/dns/cookiesecrets.txt"
  server-count: 1
  verbosity: 1
  hide-version: yes
remote-control:
  control-enable: no
zone:
  name: example.
  zonefile: example.zone.signed
CF
	for c in $POLICYLAB_CASES; do
		printf 'zone:\n  name: %s.example.\n  zonefile: %s.example.zone.signed\n' "$c" "$c"
	done
	# The zone at the TLSA owner of dane-servfail.example has no file: NSD
	# knows it but cannot serve it, and answers SERVFAIL for it.
	printf 'zone:\n  name: _25._tcp.mx.dane-servfail.example.\n  zonefile: never-written.zone\n'
}

# Wait (10 s at most) until a TCP port on 127.0.0.1 takes connections.
pl_wait_port() {
	local i
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# The certificates of the policy host: one from the test CA naming every
# mta-sts.CASE.example (but the two bad ones), one from the test CA for
# mta-sts.elsewhere.example only, and a self-signed one.
pl_https_certs() {
	local d=$1 ca=$1/mx/etc h=$1/https san="" c
	for c in $POLICYLAB_CASES; do
		case $c in sts-badcert | sts-wrongname) ;; sts-*) san="$san${san:+,}DNS:mta-sts.$c.example" ;; esac
	done
	pl_ec_key "$h/good.key" && pl_ec_key "$h/wrongname.key" && pl_ec_key "$h/selfsigned.key" || return 1
	openssl req -new -key "$h/good.key" -subj "/CN=mta-sts.sts-enforce.example" -out "$h/good.csr" &&
		printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$h/good.ext" &&
		openssl x509 -req -in "$h/good.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial \
			-days 30 -sha256 -extfile "$h/good.ext" -out "$h/good.pem" 2>/dev/null || return 1
	openssl req -new -key "$h/wrongname.key" -subj "/CN=mta-sts.elsewhere.example" -out "$h/wrongname.csr" &&
		printf 'subjectAltName=DNS:mta-sts.elsewhere.example\nextendedKeyUsage=serverAuth\n' >"$h/wrongname.ext" &&
		openssl x509 -req -in "$h/wrongname.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial \
			-days 30 -sha256 -extfile "$h/wrongname.ext" -out "$h/wrongname.pem" 2>/dev/null || return 1
	openssl req -x509 -new -key "$h/selfsigned.key" -subj "/CN=mta-sts.sts-badcert.example" -days 30 \
		-addext "subjectAltName=DNS:mta-sts.sts-badcert.example" -out "$h/selfsigned.pem" 2>/dev/null
}

policylab_start() {
	local d=$1 port=${POLICYLAB_DNS_PORT:-53} names="" c
	policylab_private_netns || pl_die "not in a private network namespace (policylab_netns)" || return 1
	[ -z "$(ls -A "$d" 2>/dev/null)" ] || pl_die "$d is not empty" || return 1
	mkdir -p "$d/dns/keys" "$d/https" || return 1
	chmod 755 "$d"

	# The MX: Postfix on 25 (STARTTLS) and 465, a certificate for every MX name.
	for c in $POLICYLAB_CASES; do names="$names mx.$c.example"; done
	TESTCA_NAMES=$names TESTCA_CHAIN=yes bash "$policylab_lib/postfix-lab.sh" start "$d/mx" 25 465 ||
		pl_die "Postfix did not start" || return 1
	openssl x509 -in "$d/mx/etc/server.pem" -out "$d/mx-cert.pem" || return 1
	cp "$d/mx/etc/ca.pem" "$d/ca.pem"

	# The TLSA association data.
	pl_ee=$(pl_spki_sha256 "$d/mx-cert.pem") && pl_ta=$(pl_spki_sha256 "$d/ca.pem") &&
		pl_ca_cert=$(pl_cert_sha256 "$d/ca.pem") || return 1
	pl_ec_key "$d/other.key" && pl_ec_key "$d/next.key" || return 1
	pl_other=$(pl_key_spki_sha256 "$d/other.key") && pl_next=$(pl_key_spki_sha256 "$d/next.key") || return 1

	pl_zones "$d" >"$d/dns/sign.log" 2>&1 ||
		{ cat "$d/dns/sign.log" >&2; pl_die "making the zones failed"; return 1; }
	pl_nsd_conf "$d" "$port" >"$d/dns/nsd.conf"
	nsd -c "$d/dns/nsd.conf" -d >"$d/dns/nsd.out" 2>&1 &
	echo $! >"$d/dns/pid"
	pl_wait_port "$port" || {
		cat "$d/dns/nsd.out" "$d/dns/nsd.log" >&2 2>/dev/null
		pl_die "NSD did not listen on 127.0.0.1:$port"
		return 1
	}

	pl_https_certs "$d" || pl_die "making the policy host's certificates failed" || return 1
	python3 "$policylab_lib/stshttps.py" "$d/https" 127.0.0.1 443 >"$d/https/log" 2>&1 &
	echo $! >"$d/https/pid"
	pl_wait_port 443 ||
		{ cat "$d/https/log" >&2; pl_die "the policy server did not listen on 127.0.0.1:443"; return 1; }

	POLICYLAB_DIR=$d
	POLICYLAB_DNS=127.0.0.1
	[ "$port" = 53 ] || POLICYLAB_DNS=127.0.0.1:$port
	POLICYLAB_ANCHOR=$d/trust-anchor
	POLICYLAB_CA=$d/ca.pem
	export POLICYLAB_DIR POLICYLAB_DNS POLICYLAB_ANCHOR POLICYLAB_CA
	printf 'POLICYLAB_DIR=%s\nPOLICYLAB_DNS=%s\nPOLICYLAB_ANCHOR=%s\nPOLICYLAB_CA=%s\n' \
		"$d" "$POLICYLAB_DNS" "$POLICYLAB_ANCHOR" "$POLICYLAB_CA" >"$d/env"
}

policylab_stop() {
	local d=$1 f pid
	[ -d "$d" ] || return 0
	for f in "$d/https/pid" "$d/dns/pid"; do
		pid=$(cat "$f" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	bash "$policylab_lib/postfix-lab.sh" stop "$d/mx"
	rm -rf "$d"
}
