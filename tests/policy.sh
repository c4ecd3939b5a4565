#!/usr/bin/env bash
# smtprobe against the DANE / MTA-STS / TLS-RPT lab (tests/lib/policylab.sh:
# NSD serving signed zones, the real Postfix as every MX, a Python HTTPS
# policy host; all in a network namespace of its own): `smtprobe --mx
# CASE.example` reports each case as the lab's comment says a correct
# smtprobe must, in the JSON facts, the findings and the exit status; the
# four formats for one DANE-valid, one DANE-broken and one MTA-STS
# domain; --dane and --mta-sts on a plain target; --tls-policy levels; and
# a run without the lab's trust anchor, where nothing validates and the
# report says DNSSEC was not checked instead of calling answers bogus.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
. "$here/lib/policylab.sh"

why=$(policylab_have) || skip "$why"
command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"
policylab_netns "$0" "$@"

dir=$(mktemp -d /tmp/smtprobe-policy.XXXXXX)
trap 'policylab_stop "$dir"' EXIT
policylab_start "$dir" >"$dir.log" 2>&1 || { cat "$dir.log"; echo "FAIL: the lab did not start"; exit 1; }
rm -f "$dir.log"

lab=(--dns-server "$POLICYLAB_DNS" --trust-anchor "$POLICYLAB_ANCHOR" --cafile "$POLICYLAB_CA")
probe() { timeout 60 "$SMTPROBE" "${lab[@]}" "$@"; }

# facts NAME JSON EXPR WANT: EXPR, a Python expression over the report d
# (its findings' ids in ids), prints WANT.
facts() {
	local got
	got=$(printf '%s\n' "$2" | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
ids = sorted(f["id"] for f in d["findings"])
print(eval(sys.argv[1]))' "$3" 2>&1)
	if [ "$got" = "$4" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: $3 is '$got', want '$4'"
		fail=$((fail + 1))
	fi
}

# case DOMAIN STATUS DANE-STATE STS-FETCH FINDINGS: one --mx run in JSON.
# FINDINGS: the ids of the findings that are not INFO, sorted, or "-".
case_is() {
	local out st
	out=$(probe --format json --mx "$1"); st=$?
	status_is "$1" $st "$2"
	facts "$1" "$out" 'd["policy"]["dane"]["state"]' "$3"
	facts "$1" "$out" '(d["policy"]["mta_sts"]["fetch"] or {}).get("result", "-")' "$4"
	facts "$1" "$out" \
	    '",".join(sorted(f["id"] for f in d["findings"] if f["severity"] != "INFO")) or "-"' "$5"
	printf '%s\n' "$out" >"$dir/$1.json"
}

# 1. Every case of the lab, as its comment says.
case_is dane-ee.example 0 matched - -
facts dane-ee "$(cat "$dir/dane-ee.example.json")" \
    '[r["matched"] for r in d["policy"]["dane"]["records"]]' '[True]'
facts dane-ee "$(cat "$dir/dane-ee.example.json")" '"dane-rollover" in ids' True
case_is dane-mismatch.example 2 no-match - dane-mismatch
case_is dane-ta.example 0 matched - -
facts dane-ta "$(cat "$dir/dane-ta.example.json")" \
    'd["policy"]["dane"]["matched"]["depth"], d["policy"]["dane"]["matched"]["name"]' \
    "(1, 'mx.dane-ta.example')"
case_is dane-pkix.example 1 unusable - dane-unusable
case_is dane-bogus.example 2 lookup-failed - dane-lookup-failed
facts dane-bogus "$(cat "$dir/dane-bogus.example.json")" 'd["policy"]["dane"]["tlsa"]["dnssec"]' bogus
case_is dane-servfail.example 2 lookup-failed - dane-lookup-failed
facts dane-servfail "$(cat "$dir/dane-servfail.example.json")" 'd["policy"]["dane"]["tlsa"]["rcode"]' 2
case_is dane-insecure.example 0 not-secure - -
case_is dane-rollover.example 0 matched - -
facts dane-rollover "$(cat "$dir/dane-rollover.example.json")" '"dane-rollover" in ids' False
case_is sts-enforce.example 0 none ok -
facts sts-enforce "$(cat "$dir/sts-enforce.example.json")" \
    'd["policy"]["mta_sts"]["policy"]["mode"], d["policy"]["mta_sts"]["mx_match"]' \
    "('enforce', 'mx.sts-enforce.example')"
case_is sts-testing.example 0 none ok -
case_is sts-none.example 0 none ok -
facts sts-none "$(cat "$dir/sts-none.example.json")" '"tls-rpt-missing" in ids' True
case_is sts-badmx.example 2 none ok mta-sts-mx-not-listed
case_is sts-404.example 1 none status mta-sts-id-without-policy
case_is sts-redirect.example 1 none redirect mta-sts-fetch-failed
case_is sts-ctype.example 1 none content-type mta-sts-fetch-failed
case_is sts-big.example 1 none too-large mta-sts-fetch-failed
case_is sts-badcert.example 1 none certificate mta-sts-fetch-failed
case_is sts-wrongname.example 1 none certificate mta-sts-fetch-failed
case_is sts-chunked.example 0 none ok -
case_is sts-nopolicy.example 1 none connect mta-sts-fetch-failed
for f in "$dir"/*.json; do
	check "schema $(basename "$f")" "$(python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validate(json.loads(open(sys.argv[2]).readline()), schema)
print("valid")' "$here/../docs/report.schema.json" "$f" 2>&1)" valid
done

# 2. The four formats: one DANE-valid, one DANE-broken, one MTA-STS domain.
out=$(probe --mx dane-ee.example); st=$?
status_is "text dane-ee" $st 0
check "text dane-ee" "$out" "dane          matched certificate 0 of the chain: CN=mx.test.example"
check "text dane-ee" "$out" "DNSSEC: MX secure, addresses secure, TLSA secure"
check "text dane-ee" "$out" "(usable, MATCHED)"
out=$(probe --mx dane-mismatch.example); st=$?
status_is "text dane-mismatch" $st 2
check "text dane-mismatch" "$out" "dane          NO MATCH: no matching DANE TLSA records"
check "text dane-mismatch" "$out" "CRITICAL dane-mismatch:"
out=$(probe --mx sts-enforce.example)
check "text sts-enforce" "$out" "mode enforce, id 20261129T000001, max_age 604800 s"
out=$(probe --format nagios --mx dane-mismatch.example); st=$?
status_is "nagios dane-mismatch" $st 2
check "nagios dane-mismatch" "$out" "SMTP CRITICAL - mx.dane-mismatch.example:25 (127.0.0.1)"
check "nagios dane-mismatch" "$out" "DANE no-match - dane-mismatch:"
out=$(probe --format nagios --mx sts-enforce.example)
check "nagios sts-enforce" "$out" "SMTP OK - mx.sts-enforce.example:25"
check "nagios sts-enforce" "$out" "MTA-STS enforce"
check "nagios sts-enforce" "$out" "mta_sts_max_age=604800"
out=$(probe --format prometheus --mx dane-ee.example --mx dane-mismatch.example --mx sts-enforce.example)
check prometheus "$out" 'smtp_dane_valid{target="mx.dane-ee.example:25",mx_domain="dane-ee.example"} 1'
check prometheus "$out" 'smtp_dane_valid{target="mx.dane-mismatch.example:25",mx_domain="dane-mismatch.example"} 0'
check prometheus "$out" 'smtp_mta_sts_mode{target="mx.sts-enforce.example:25",mx_domain="sts-enforce.example"} 2'
check prometheus "$out" 'smtp_mta_sts_mx_listed{target="mx.sts-enforce.example:25",mx_domain="sts-enforce.example"} 1'
if command -v promtool >/dev/null; then
	check "promtool" "$(printf '%s\n' "$out" | promtool check metrics 2>&1; echo "rc=$?")" "rc=0"
fi

# 3. --dane and --mta-sts on a plain target (no --mx: no MX RRset to judge).
out=$(probe --format json --dane mx.dane-ee.example); st=$?
status_is "--dane" $st 0
facts "--dane" "$out" 'd["policy"]["dane"]["state"], d["policy"]["dane"]["mx"]' "('matched', None)"
out=$(probe --format json --dane mx.dane-mismatch.example); st=$?
status_is "--dane mismatch" $st 2
out=$(probe --format json --mta-sts sts-badmx.example mx.sts-badmx.example); st=$?
status_is "--mta-sts" $st 2
facts "--mta-sts" "$out" 'd["policy"]["dane"], "mta-sts-mx-not-listed" in ids' "(None, True)"
out=$(probe --format json 127.0.0.1:25)
facts "no policy asked" "$out" 'd["policy"]' "None"

# 4. --tls-policy: what a sender at that level would do.
out=$(probe --format json --tls-policy dane-only --mx sts-enforce.example); st=$?
status_is "dane-only without DANE" $st 2
facts "dane-only" "$out" '"tls-policy-unmet" in ids' True
out=$(probe --format json --tls-policy may --mx dane-mismatch.example); st=$?
status_is "may ignores DANE" $st 1
facts "may" "$out" '[f["severity"] for f in d["findings"] if f["id"] == "dane-mismatch"]' "['WARNING']"
out=$(probe --format json --tls-policy verify --tls-name mx.elsewhere.example --mx sts-none.example); st=$?
status_is "verify with a wrong name" $st 2
facts "verify" "$out" '"tls-policy-unmet" in ids' True
out=$(timeout 20 "$SMTPROBE" --tls none --tls-policy verify 127.0.0.1 2>&1); st=$?
status_is "--tls none --tls-policy" $st 3
check "--tls none --tls-policy" "$out" "contradict --tls none"
out=$(timeout 20 "$SMTPROBE" --tls-policy strict 127.0.0.1 2>&1); st=$?
status_is "--tls-policy strict" $st 3
check "--tls-policy strict" "$out" "--tls-policy 'strict': must be may, encrypt"

# 5. Without the lab's trust anchor, the root's key cannot validate this
#    lab's answers: DNSSEC is reported unchecked, never bogus, and no DANE
#    verdict is given.
out=$(timeout 60 "$SMTPROBE" --dns-server "$POLICYLAB_DNS" --cafile "$POLICYLAB_CA" --format json \
    --mx dane-ee.example); st=$?
status_is "unchecked" $st 1
facts "unchecked" "$out" '[i for i in ids if i != "dane-valid"]' "['dnssec-unchecked']"
facts "unchecked" "$out" 'd["policy"]["dane"]' "None"
facts "unchecked" "$out" 'd["policy"]["dnssec_unchecked"][:40]' "the root zone's keys do not validate thr"

finish
