#!/usr/bin/env bash
# Every address of a host, both families (--all-addresses), and
# internationalised names.  dual.test resolves (tests/lib/fakedns.py,
# through --dns-server) to ::1 and 127.0.0.1; scripted SMTP listeners
# (tests/lib/famsrv.py) answer on one family only, or on both with another
# certificate and greeting name; bücher.test is xn--bcher-kva.test there.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"
command -v openssl >/dev/null || skip "openssl is not installed (tools/deps installs it)"
python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null ||
	skip "IPv6 loopback (::1) cannot be bound here"

dir=$(mktemp -d /tmp/smtprobe-alladdr.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$dir"' EXIT
python3 "$here/lib/fakedns.py" "$dir" &
pids+=($!)
for _ in $(seq 1 100); do [ -f "$dir/ports" ] && break; sleep 0.05; done
[ -f "$dir/ports" ] || { echo "FAIL: fakedns.py did not start"; exit 1; }
read -r _ good _ <"$dir/ports"
dns=(--dns-server "127.0.0.1:$good")
schema="$here/../docs/report.schema.json"

# listen ADDRESS PORT NAME [CERT KEY]: a famsrv.py, waited for.
listen() {
	python3 "$here/lib/famsrv.py" "$@" >"$dir/srv.$1.$2" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 100); do grep -q ready "$dir/srv.$1.$2" 2>/dev/null && return 0; sleep 0.05; done
	echo "FAIL: famsrv.py on $1 port $2 did not start: $(cat "$dir/srv.$1.$2")"
	exit 1
}

schema_ok() {
	python3 -c 'import jsonschema' 2>/dev/null || return 0
	if v=$(python3 "$here/lib/validate-json.py" "$schema" <<<"$2" 2>&1); then pass=$((pass + 1)); else
		echo "FAIL: $1: JSON does not match the schema: $v"; fail=$((fail + 1)); fi
}

# 1. IPv4 answers, IPv6 is refused: one report per address, AAAA first,
#    the disagreement on the IPv6 one, the host's verdict the worst.
p4=$("$FREEPORT")
listen 127.0.0.1 "$p4" mx.dual.test
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --all-addresses "dual.test:$p4"); st=$?
status_is v6-broken $st 2
check v6-broken "$out" "== dual.test:$p4 (::1, 1/2)"
check v6-broken "$out" "== dual.test:$p4 (127.0.0.1, 2/2)"
check v6-broken "$out" "addresses-disagree: ::1 (IPv6) gave no SMTP greeting (connection refused"
check v6-broken "$out" "while 127.0.0.1 (IPv4), another address of dual.test, did"
check v6-broken "$out" "OK: dual.test:$p4 (127.0.0.1) mx.dual.test"
check v6-broken "$out" "== dual.test: CRITICAL (the worst of its 2 addresses)"
[ "$(grep -c 'addresses-disagree:' <<<"$out")" = 1 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: v6-broken: the finding is on one address only: $out"; fail=$((fail + 1)); }

out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --all-addresses --format json "dual.test:$p4"); st=$?
status_is v6-broken-json $st 2
schema_ok v6-broken-json "$out"
res=$(python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["address"], r["family"], r["verdict"], r["all_addresses"]["index"],
          r["all_addresses"]["count"], r["all_addresses"]["host_verdict"],
          r["all_addresses"]["compared_with"],
          [f["id"] for f in r["findings"] if f["id"] == "addresses-disagree"])' <<<"$out")
check v6-broken-json "$res" "::1 ipv6 CRITICAL 1 2 CRITICAL 127.0.0.1 ['addresses-disagree']"
check v6-broken-json "$res" "127.0.0.1 ipv4 OK 2 2 CRITICAL None []"

out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --all-addresses --format prometheus "dual.test:$p4"); st=$?
status_is v6-broken-prom $st 2
check v6-broken-prom "$out" "probe_success{target=\"dual.test:$p4\",address=\"::1\"} 0"
check v6-broken-prom "$out" "probe_success{target=\"dual.test:$p4\",address=\"127.0.0.1\"} 1"
check v6-broken-prom "$out" "smtp_finding{target=\"dual.test:$p4\",address=\"::1\",id=\"addresses-disagree\",severity=\"WARNING\"} 1"
check v6-broken-prom "$out" "smtp_address_info{target=\"dual.test:$p4\",address=\"::1\",family=\"ipv6\"} 1"
check v6-broken-prom "$out" "smtp_address_info{target=\"dual.test:$p4\",address=\"127.0.0.1\",family=\"ipv4\"} 1"
if command -v promtool >/dev/null; then
	if problems=$(promtool check metrics <<<"$out" 2>&1); then pass=$((pass + 1)); else
		echo "FAIL: promtool: $problems"; fail=$((fail + 1)); fi
elif [ "${CI:-}" = true ]; then
	echo "FAIL: promtool missing in CI"; fail=$((fail + 1))
fi

out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --all-addresses --format nagios "dual.test:$p4"); st=$?
status_is v6-broken-nagios $st 2
check v6-broken-nagios "$out" "SMTP CRITICAL - dual.test:$p4 (::1) - connect-failed"
check v6-broken-nagios "$out" "SMTP OK - dual.test:$p4 (127.0.0.1) mx.dual.test"

# Without --all-addresses a name is one probe: the first address that
# answers (here 127.0.0.1, after ::1 refused).
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none -q "dual.test:$p4"); st=$?
status_is one-probe $st 0
check one-probe "$out" "OK: dual.test:$p4 (127.0.0.1)"

# --source-address 127.0.0.1 speaks IPv4 only: only the A records are
# looked up, so no IPv6 address is reported as disagreeing.
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none -q --all-addresses --source-address 127.0.0.1 \
	"dual.test:$p4"); st=$?
status_is source-family $st 0
[[ "$out" != *"::1"* ]] && pass=$((pass + 1)) ||
	{ echo "FAIL: source-family: an IPv6 address was probed: $out"; fail=$((fail + 1)); }

# --mx probes every address by default; --no-all-addresses turns it off.
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none -q -p "$p4" --mx dualmx.test); st=$?
status_is mx-default $st 2
check mx-default "$out" "CRITICAL: dual.test:$p4 (::1)"
check mx-default "$out" "OK: dual.test:$p4 (127.0.0.1)"
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none -q -p "$p4" --no-all-addresses --mx dualmx.test); st=$?
status_is mx-off $st 0
[ "$(grep -c 'dual.test' <<<"$out")" = 1 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: mx-off: one report wanted: $out"; fail=$((fail + 1)); }

# 2. The other way round: IPv6 answers, IPv4 is refused.
p6=$("$FREEPORT")
listen ::1 "$p6" mx.dual.test
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --all-addresses -q "dual.test:$p6"); st=$?
status_is v4-broken $st 2
check v4-broken "$out" "OK: dual.test:$p6 (::1) mx.dual.test"
check v4-broken "$out" "CRITICAL: dual.test:$p6 (127.0.0.1)"
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --all-addresses --format json "dual.test:$p6")
check v4-broken "$out" '127.0.0.1 (IPv4) gave no SMTP greeting'

# 3. Both answer, with another certificate and greeting name on IPv4.
for n in 4 6; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 \
		-subj "/CN=dual.test" -keyout "$dir/k$n.pem" -out "$dir/c$n.pem" 2>/dev/null ||
		{ echo "FAIL: openssl req"; exit 1; }
done
pb=$("$FREEPORT")
listen ::1 "$pb" mx.dual.test "$dir/c6.pem" "$dir/k6.pem"
listen 127.0.0.1 "$pb" other.dual.test "$dir/c4.pem" "$dir/k4.pem"
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --insecure --all-addresses --format json "dual.test:$pb"); st=$?
schema_ok cert-differs "$out"
res=$(python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["address"], [f["message"] for f in r["findings"] if f["id"] == "addresses-disagree"])' <<<"$out")
check cert-differs "$res" "::1 []"
check cert-differs "$res" "127.0.0.1 (IPv4) shows another certificate than ::1 (IPv6): SHA-256"
check cert-differs "$res" "127.0.0.1 (IPv4) greets as \"other.dual.test\", ::1 (IPv6) as \"mx.dual.test\""

# 4. Internationalised names: converted (UTS #46 non-transitional), shown
#    in both forms, resolved by their A-labels.
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none -q "bücher.test:$p4"); st=$?
status_is idn $st 0
check idn "$out" "OK: xn--bcher-kva.test:$p4 [bücher.test] (127.0.0.1) mx.dual.test"
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none "BÜCHER.test:$p4")
check idn-text "$out" "bücher.test = xn--bcher-kva.test"
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --format json "xn--bcher-kva.test:$p4")
schema_ok idn-json "$out"
pyget() { python3 -c 'import json, sys; r = json.loads(sys.stdin.readline()); print(*[r.get(k) for k in sys.argv[1:]])' "$@"; }
check idn-json "$(pyget host host_unicode <<<"$out")" "xn--bcher-kva.test bücher.test"
check idn-json "$out" '"host_unicode":"b\u00'
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --format json -p "$p4" --mx bücher.test); st=$?
schema_ok idn-mx "$out"
check idn-mx "$out" '"domain":"xn--bcher-kva.test"'
check idn-mx "$(pyget mx_domain_unicode host_unicode <<<"$out")" "bücher.test bücher.test"

# Non-transitional: ß stays ß (xn--fa-hia), not "ss" as transitional
# processing would make it; input is normalised to NFC first (u and a
# combining diaeresis is ü).
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none --format json "faß.test:$p4")
check idn-nontransitional "$(pyget host host_unicode <<<"$out")" "xn--fa-hia.test faß.test"
out=$(timeout 30 "$SMTPROBE" "${dns[@]}" --tls none -q "$(printf 'bu\xcc\x88cher.test'):$p4"); st=$?
status_is idn-nfc $st 0
check idn-nfc "$out" "OK: xn--bcher-kva.test:$p4 [bücher.test]"

# Invalid ones: one clear error, exit 3, before any traffic (the DNS
# server named does not exist: a lookup would fail, not exit 3).
bad() {
	local name=$1 want=$2; shift 2
	out=$(timeout 10 "$SMTPROBE" --dns-server 127.0.0.1:1 "$@" 2>&1); st=$?
	status_is "idn-invalid $name" $st 3
	check "idn-invalid $name" "$out" "$want"
}
bad disallowed "target '☕.test' is not a valid internationalised domain name (IDNA2008, UTS #46): string contains a disallowed character" "☕.test"
bad punycode "target 'xn--zz.test' is not a valid internationalised domain name" "xn--zz.test"
bad hyphen "forbidden hyphen" -- "-bü.test"
bad not-utf8 "target 'b\\xFC.test' is not a valid internationalised domain name (IDNA2008, UTS #46): string encoding error" "$(printf 'b\xfc.test')"
bad mx "--mx '☕.example' is not a valid internationalised domain name" --mx "☕.example"

finish
