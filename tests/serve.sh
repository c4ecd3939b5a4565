#!/usr/bin/env bash
# smtprobe serve: config validation (exit 3, FILE:LINE: KEY), /probe's
# good and bad requests, the allowlist proven to make no connection, an
# over-long request, 200 concurrent requests against max_concurrent 50,
# max_per_host and max_per_ip (the listener never sees more than N open),
# /probe's exposition equal to --format prometheus, reload with a bad
# config (the old one kept), and SIGTERM with a probe in flight.  The SMTP
# servers are scripted (tests/lib/slowsmtp.py), each counting accepts.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
: "${FREEPORT:?FREEPORT must name tests/freeport}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"

command -v curl >/dev/null || skip "curl is not installed (tools/deps installs it)"
command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"

work=$(mktemp -d /tmp/smtprobe-serve.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# smtp NAME DELAY: a scripted server greeting after DELAY s; its port in
# $work/NAME.port, its accept count in $work/NAME.count, the most
# connections it had open at once in $work/NAME.peak.
smtp() {
	python3 "$here/lib/slowsmtp.py" "$2" "$work/$1.port" "$work/$1.count" "$work/$1.peak" &
	pids+=($!)
	for _ in $(seq 100); do
		[ -s "$work/$1.port" ] && return 0
		sleep 0.05
	done
	echo "FAIL: the scripted server $1 did not start"
	exit 1
}

# serve CONFIG: start smtprobe serve; its pid in $spid, log in $work/log.
serve() {
	"$SMTPROBE" serve --config "$1" 2>>"$work/log" &
	spid=$!
	pids+=($spid)
	for _ in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.1:$hp/metrics" && return 0
		sleep 0.05
	done
	echo "FAIL: smtprobe serve did not start"; cat "$work/log"
	exit 1
}

# get PATH: the body in $body, the status in $code.
get() {
	body=$(curl -s --max-time 30 -w '\n%{http_code}' "http://127.0.0.1:$hp$1")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}

# 1. A bad config: one line naming file, line and key; exit 3.
badcfg() {
	printf '%s\n' "$2" >"$work/bad.yml"
	out=$("$SMTPROBE" serve --config "$work/bad.yml" --check 2>&1); st=$?
	status_is "$1" $st 3
	check "$1" "$out" "$3"
	n=$(printf '%s\n' "$out" | wc -l)
	[ "$n" -eq 1 ] && pass=$((pass + 1)) || { echo "FAIL: $1: $n lines"; fail=$((fail + 1)); }
}
badcfg "timeout 0" $'modules:\n  mx:\n    tls: starttls\n    timeout: 0' \
	"bad.yml:4: timeout: --timeout '0': must be a whole number of seconds from 1 to"
badcfg "password key" $'modules:\n  sub:\n    auth: auto\n    user: u\n    password: hunter2' \
	"bad.yml:5: password: secrets are read from files only"
badcfg "unknown option" $'modules:\n  mx:\n    frobnicate: 1' \
	"bad.yml:3: frobnicate: unknown option '--frobnicate=1'"
badcfg "cross check" $'modules:\n  sub:\n    tls: starttls\n    auth: PLAIN' \
	"bad.yml:4: auth: --auth needs --user"
badcfg "flag value" $'modules:\n  mx:\n    require-tls: maybe' \
	"bad.yml:3: require-tls: must be true or false"
badcfg "format" $'modules:\n  mx:\n    format: json' "bad.yml:3: format: not an option for a module"
badcfg "top key" $'listen: 127.0.0.1:1\nlisten_port: 2\nmodules: {a: {}}' "bad.yml:2: listen_port: unknown key"
badcfg "listen name" $'listen: host.example:9\nmodules: {a: {}}' \
	"bad.yml:1: listen: 'host.example:9': must be an address and port"
printf '%s\n' "listen: '[::1]:9125'" "modules: {a: {}}" >"$work/v6.yml"
out=$("$SMTPROBE" serve --config "$work/v6.yml" --check 2>&1); st=$?
status_is "listen v6" $st 0
check "listen v6" "$out" "OK, 1 modules, listen [::1]:9125"
badcfg "allow rule" $'allow_targets: [192.0.2.0/33]\nmodules: {a: {}}' "bad.yml:1: allow_targets: '192.0.2.0/33'"
badcfg "yaml" $'modules: [' "bad.yml:2:"
badcfg "max_per_ip" $'max_per_ip: 0\nmodules: {a: {}}' \
	"bad.yml:1: max_per_ip: '0': must be a number from 1 to 10000"
badcfg "alias" $'x: &a {tls: none}\nmodules: {a: *a}' "aliases"
out=$("$SMTPROBE" serve --config "$work/none.yml" 2>&1); st=$?
status_is "missing file" $st 3
check "missing file" "$out" "none.yml: No such file or directory"

# 2. The exporter, against a quick server (q) and a trap (t) that must
# never be reached through a refused request.
smtp q 0
smtp t 0
qp=$(cat "$work/q.port")
tp=$(cat "$work/t.port")
hp=$("$FREEPORT")
cat >"$work/serve.yml" <<EOF
listen: 127.0.0.1:$hp
allow_targets: [127.0.0.1, "*.allowed.test"]
max_concurrent: 50
max_per_host: 1000
max_per_ip: 1000
modules:
  plain:
    tls: none
    timeout: 10
    total-timeout: 20
EOF
out=$("$SMTPROBE" serve --config "$work/serve.yml" --check); st=$?
status_is "--check" $st 0
check "--check" "$out" "OK, 1 modules, listen 127.0.0.1:$hp"
serve "$work/serve.yml"

get "/probe?target=127.0.0.1:$qp&module=plain"
status_is "probe" "$code" 200
check "probe" "$body" "probe_success{target=\"127.0.0.1:$qp\"} 1"
check "probe" "$body" "smtp_reply_code{target=\"127.0.0.1:$qp\",step=\"banner\"} 220"
check "log line" "$(cat "$work/log")" "probe target=127.0.0.1:$qp module=plain verdict=OK ms="
check "log line" "$(cat "$work/log")" " deadline=20s"

# The same exposition as the command line, timing values aside.
untime() {
	sed -E 's/^((probe_duration_seconds|smtp_step_duration_seconds)\{[^}]*\}) [0-9.]+$/\1 T/'
}
cli=$("$SMTPROBE" --format prometheus --tls none --timeout 10 --total-timeout 20 "127.0.0.1:$qp" | untime)
if [ "$(printf '%s\n' "$body" | untime)" = "$cli" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: /probe differs from --format prometheus:"
	diff <(printf '%s\n' "$body" | untime) <(printf '%s\n' "$cli")
	fail=$((fail + 1))
fi
if command -v promtool >/dev/null; then
	printf '%s\n' "$body" | promtool check metrics >/dev/null 2>&1
	status_is "promtool /probe" $? 0
	curl -s "http://127.0.0.1:$hp/metrics" | promtool check metrics 2>&1
	status_is "promtool /metrics" "${PIPESTATUS[1]}" 0
fi
# format=json: the report as --format json writes it, timings aside.
untime_json() {
	python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("ms", "duration_ms", "total_ms", "round_trips", "local_address", "local_port")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
print(json.dumps(strip(json.loads(sys.stdin.readline())), sort_keys=True))'
}
get "/probe?target=127.0.0.1:$qp&module=plain&format=json"
status_is "probe json" "$code" 200
cli=$("$SMTPROBE" --format json --tls none --timeout 10 --total-timeout 20 "127.0.0.1:$qp" | untime_json)
if [ "$(printf '%s\n' "$body" | untime_json)" = "$cli" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: /probe?format=json differs from --format json:"
	diff <(printf '%s\n' "$body" | untime_json) <(printf '%s\n' "$cli")
	fail=$((fail + 1))
fi
get "/probe?target=127.0.0.1:$qp&module=plain&format=xml"
status_is "probe format=xml" "$code" 400
check "probe format=xml" "$body" "format must be prometheus or json"

get "/probe?target=127.0.0.1:$qp&module=plain&debug=true"
status_is "debug" "$code" 200
check "debug" "$body" "S: 220 slow.test.example ESMTP scripted"
check "debug" "$body" "C: EHLO"
check "debug" "$body" "OK: 127.0.0.1:$qp slow.test.example"

# Bad requests: 400, saying why.
get "/probe?module=plain"
status_is "no target" "$code" 400
check "no target" "$body" "needs target=HOST[:PORT] and module=NAME"
get "/probe?target=127.0.0.1:$qp"
status_is "no module" "$code" 400
get "/probe?target=127.0.0.1:$qp&module=nosuch"
status_is "unknown module" "$code" 400
check "unknown module" "$body" "unknown module 'nosuch'"
get "/probe?target=127.0.0.1:$qp&target=127.0.0.1:$tp&module=plain"
status_is "target twice" "$code" 400
get "/probe?target=127.0.0.1:$qp&module=plain&foo=1"
status_is "unknown argument" "$code" 400
get "/probe?target=127.0.0.1:$qp&module=plain&debug=yes"
status_is "debug=yes" "$code" 400
get "/probe?target=127.0.0.1:99999&module=plain"
status_is "bad port" "$code" 400
get "/probe?target=a%0d%0aRSET&module=plain"
status_is "CRLF in target" "$code" 400
get "/nosuch"
status_is "404" "$code" 404
get "/"
status_is "index" "$code" 200
check "index" "$body" "<li>plain</li>"

# Outside allow_targets: 403, and the trap never accepts a connection.
for t in "localhost:$tp" "127.0.0.2:$tp" "%5B::1%5D:$tp" "mx.allowed.test.evil:$tp" \
	"%5B::ffff:127.0.0.2%5D:$tp"; do
	get "/probe?target=$t&module=plain"
	status_is "403 $t" "$code" 403
done
# The numeric forms the resolver would read as 127.0.0.1: refused as
# targets (the command line's own check), before the allowlist.
for t in "127.1:$tp" "2130706433:$tp" "0x7f.0.0.1:$tp"; do
	get "/probe?target=$t&module=plain"
	status_is "400 $t" "$code" 400
done
sleep 0.3
status_is "no connection to the trap" "$(cat "$work/t.count")" 0
# The trap does count: one allowed probe reaches it.
get "/probe?target=127.0.0.1:$tp&module=plain"
status_is "allowed probe of the trap" "$code" 200
status_is "the trap counted it" "$(cat "$work/t.count")" 1

# An over-long request: refused, not probed.
long=$(head -c 20000 /dev/zero | tr '\0' a)
get "/probe?target=$long&module=plain"
case $code in
400|414|431) pass=$((pass + 1)) ;;
*) echo "FAIL: a 20000-byte query answered $code"; fail=$((fail + 1)) ;;
esac
long=$(head -c 400 /dev/zero | tr '\0' a)
get "/probe?target=$long.allowed.test&module=plain"
status_is "a 400-byte target" "$code" 400

# 3. 200 requests at once against max_concurrent 50, each probe 5 s long:
# some 503, the others 200, every one answered, nothing hangs.
smtp s 5
sp=$(cat "$work/s.port")
t0=$(date +%s)
codes=$(seq 200 | xargs -P 200 -I{} curl -s -o /dev/null --max-time 40 -w '%{http_code}\n' \
	"http://127.0.0.1:$hp/probe?target=127.0.0.1:$sp&module=plain")
t1=$(date +%s)
n200=$(grep -c '^200$' <<<"$codes")
n503=$(grep -c '^503$' <<<"$codes")
echo "200 concurrent: $n200 answered 200, $n503 answered 503, in $((t1 - t0)) s"
status_is "every request answered" $((n200 + n503)) 200
[ "$n200" -ge 1 ] && [ "$n200" -le 50 ] && pass=$((pass + 1)) ||
	{ echo "FAIL: $n200 probes ran, want 1 to 50"; fail=$((fail + 1)); }
[ "$n503" -ge 150 ] && pass=$((pass + 1)) || { echo "FAIL: only $n503 answered 503"; fail=$((fail + 1)); }
[ $((t1 - t0)) -le 20 ] && pass=$((pass + 1)) || { echo "FAIL: took $((t1 - t0)) s"; fail=$((fail + 1)); }
get "/metrics"
check "metrics busy" "$body" "smtprobe_serve_requests_rejected_total{reason=\"busy\"} $n503"
check "metrics forbidden" "$body" "smtprobe_serve_requests_rejected_total{reason=\"forbidden\"} 5"
check "metrics in flight" "$body" "smtprobe_serve_probes_in_flight 0"
check "metrics build" "$body" "smtprobe_build_info{version="

# Prometheus's scrape timeout cuts the deadline: 2 s less the margin is a
# 1 s probe, answered (probe_success 0) long before the 5 s greeting.
t0=$(date +%s%N)
body=$(curl -s --max-time 10 -H 'X-Prometheus-Scrape-Timeout-Seconds: 2' \
	"http://127.0.0.1:$hp/probe?target=127.0.0.1:$sp&module=plain")
ms=$((($(date +%s%N) - t0) / 1000000))
echo "a 2 s scrape timeout against a 5 s greeting: answered in $ms ms"
check "scrape timeout" "$body" "probe_success{target=\"127.0.0.1:$sp\"} 0"
[ "$ms" -lt 1900 ] && pass=$((pass + 1)) || { echo "FAIL: took $ms ms for a 2 s scrape timeout"; fail=$((fail + 1)); }

# max_per_host: 2 probes to one host, the others 503 at once.
sed 's/^max_per_host: .*/max_per_host: 2/' "$work/serve.yml" >"$work/perhost.yml"
cp "$work/serve.yml" "$work/saved.yml"
cp "$work/perhost.yml" "$work/serve.yml"
kill -HUP "$spid"
sleep 0.5
codes=$(seq 10 | xargs -P 10 -I{} curl -s -o /dev/null --max-time 20 -w '%{http_code}\n' \
	"http://127.0.0.1:$hp/probe?target=127.0.0.1:$sp&module=plain")
status_is "max_per_host 2: 200s" "$(grep -c '^200$' <<<"$codes")" 2
status_is "max_per_host 2: 503s" "$(grep -c '^503$' <<<"$codes")" 8
get "/metrics"
check "metrics per_host" "$body" "smtprobe_serve_requests_rejected_total{reason=\"per_host\"} 8"
cp "$work/saved.yml" "$work/serve.yml"
kill -HUP "$spid"
sleep 0.5

# max_per_ip: connections to one destination address, whatever the names
# (max_per_host 1000 does not bind here).  perip N: 4 requests at once to
# a server greeting after 2 s; the codes in $codes, the server's accepts
# in $nacc and most connections open at once in $peak.
perip() {
	smtp "ip$1" 2
	local port
	port=$(cat "$work/ip$1.port")
	sed "s/^max_per_ip: .*/max_per_ip: $1/" "$work/saved.yml" >"$work/serve.yml"
	kill -HUP "$spid"
	sleep 0.5
	codes=$(seq 4 | xargs -P 4 -I{} curl -s --max-time 20 -w '\n%{http_code}\n' \
		"http://127.0.0.1:$hp/probe?target=127.0.0.1:$port&module=plain")
	nacc=$(cat "$work/ip$1.count")
	peak=$(cat "$work/ip$1.peak")
	echo "max_per_ip $1, 4 at once: $(grep -c '^200$' <<<"$codes") answered 200," \
		"$(grep -c '^503$' <<<"$codes") 503; $nacc accepted, at most $peak open at once"
}
get "/metrics"
before=$(sed -n 's/^smtprobe_serve_probes_total{module="plain",result="ok"} //p' <<<"$body")
# The control: without a binding limit all 4 reach the server at once, so
# the check below can fail.
perip 1000
status_is "max_per_ip 1000: 200s" "$(grep -c '^200$' <<<"$codes")" 4
status_is "max_per_ip 1000: peak" "$peak" 4
perip 3
status_is "max_per_ip 3: 200s" "$(grep -c '^200$' <<<"$codes")" 3
status_is "max_per_ip 3: 503s" "$(grep -c '^503$' <<<"$codes")" 1
check "max_per_ip 3: message" "$codes" "busy: max_per_ip (3) probes to 127.0.0.1 in flight"
status_is "max_per_ip 3: accepted" "$nacc" 3
status_is "max_per_ip 3: peak" "$peak" 3
get "/metrics"
check "metrics per_ip" "$body" "smtprobe_serve_requests_rejected_total{reason=\"per_ip\"} 1"
check "metrics per_ip not run" "$body" \
	"smtprobe_serve_probes_total{module=\"plain\",result=\"ok\"} $((before + 7))"
cp "$work/saved.yml" "$work/serve.yml"
kill -HUP "$spid"
sleep 0.5

# 4. Reload: a bad config keeps the old one; a good one replaces it.
cp "$work/serve.yml" "$work/good.yml"
printf 'modules:\n  plain:\n    timeout: -1\n' >>"$work/serve.yml"
kill -HUP "$spid"
sleep 0.5
check "bad reload logged" "$(cat "$work/log")" "reload failed, the config in force is kept"
get "/metrics"
check "bad reload metric" "$body" "smtprobe_serve_config_last_reload_successful 0"
get "/probe?target=127.0.0.1:$qp&module=plain"
status_is "old config in force" "$code" 200
sed 's/^  plain:/  renamed:/' "$work/good.yml" >"$work/serve.yml"
kill -HUP "$spid"
sleep 0.5
get "/probe?target=127.0.0.1:$qp&module=renamed"
status_is "new config in force" "$code" 200
get "/probe?target=127.0.0.1:$qp&module=plain"
status_is "old module gone" "$code" 400
get "/metrics"
check "good reload metric" "$body" "smtprobe_serve_config_last_reload_successful 1"

# 5. SIGTERM with a probe in flight: it is answered, then serve exits 0.
curl -s --max-time 30 -o "$work/inflight" -w '%{http_code}' \
	"http://127.0.0.1:$hp/probe?target=127.0.0.1:$sp&module=renamed" >"$work/inflight.code" &
cpid=$!
sleep 0.7
kill -TERM "$spid"
wait "$spid"; st=$?
wait "$cpid"
status_is "exit after SIGTERM" $st 0
status_is "in-flight probe answered" "$(cat "$work/inflight.code")" 200
check "in-flight probe answered" "$(cat "$work/inflight")" "probe_success{target=\"127.0.0.1:$sp\"} 1"
curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$hp/metrics"
[ $? -ne 0 ] && pass=$((pass + 1)) || { echo "FAIL: still answering after SIGTERM"; fail=$((fail + 1)); }

# 6. HTTPS and basic auth (bcrypt hashes, as Prometheus's web config).
if ! command -v openssl >/dev/null; then
	echo "skipped: HTTPS and basic auth (openssl is not installed; tools/deps --demo installs it)"
	finish
fi
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
	-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
hash=$(python3 -c '
import ctypes
c = ctypes.CDLL("libcrypt.so.1")
c.crypt_gensalt.restype = ctypes.c_char_p
c.crypt.restype = ctypes.c_char_p
print(c.crypt(b"s3cret", c.crypt_gensalt(b"$2b$", 5, None, 0)).decode())')
hp=$("$FREEPORT")
{
	echo "listen: 127.0.0.1:$hp"
	echo "allow_targets: [127.0.0.1]"
	echo "tls_cert_file: $work/cert.pem"
	echo "tls_key_file: $work/key.pem"
	echo "basic_auth_users:"
	echo "  prometheus: \"$hash\""
	echo "modules:"
	echo "  plain: {tls: none}"
} >"$work/tls.yml"
"$SMTPROBE" serve --config "$work/tls.yml" 2>>"$work/log" &
spid=$!
pids+=($spid)
for _ in $(seq 100); do
	curl -s -o /dev/null -u prometheus:s3cret --cacert "$work/cert.pem" "https://127.0.0.1:$hp/" && break
	sleep 0.05
done
https() {
	code=$(curl -s -o "$work/https.out" -w '%{http_code}' --max-time 20 --cacert "$work/cert.pem" "$@")
}
https "https://127.0.0.1:$hp/metrics"
status_is "https, no credentials" "$code" 401
https -u prometheus:wrong "https://127.0.0.1:$hp/metrics"
status_is "https, a wrong password" "$code" 401
https -u nobody:s3cret "https://127.0.0.1:$hp/metrics"
status_is "https, an unknown user" "$code" 401
https -u prometheus:s3cret "https://127.0.0.1:$hp/probe?target=127.0.0.1:$qp&module=plain"
status_is "https, the right password" "$code" 200
check "https probe" "$(cat "$work/https.out")" "probe_success{target=\"127.0.0.1:$qp\"} 1"
https -u prometheus:s3cret "https://127.0.0.1:$hp/metrics"
check "unauthorized counted" "$(cat "$work/https.out")" \
	"smtprobe_serve_requests_rejected_total{reason=\"unauthorized\"} 3"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$hp/metrics")
[ "$code" != 200 ] && pass=$((pass + 1)) || { echo "FAIL: plain HTTP answered 200"; fail=$((fail + 1)); }
# A key that is not the certificate's: refused at load.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key2.pem" -out "$work/cert2.pem" -days 2 \
	-subj /CN=other >/dev/null 2>&1
sed "s|$work/key.pem|$work/key2.pem|" "$work/tls.yml" >"$work/tls2.yml"
out=$("$SMTPROBE" serve --config "$work/tls2.yml" --check 2>&1); st=$?
status_is "mismatched key" $st 3
check "mismatched key" "$out" "tls_key_file: the key does not match the certificate"

finish

