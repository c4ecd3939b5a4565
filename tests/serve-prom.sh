#!/usr/bin/env bash
# The Prometheus round trip of docs/prometheus.md: a real Prometheus (the
# Debian package), from a private config and data directory on a free
# port, scrapes `smtprobe serve` with the documented relabel config (only
# the addresses changed) and the stored series are read back through its
# HTTP API.  Every config block of the document passes promtool.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
: "${FREEPORT:?FREEPORT must name tests/freeport}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
top=${top_srcdir:-$here/..}
doc="$top/docs/prometheus.md"

command -v prometheus >/dev/null || skip "prometheus is not installed (tools/deps installs it)"
command -v promtool >/dev/null || skip "promtool is not installed (Debian's prometheus package has it)"
command -v curl >/dev/null || skip "curl is not installed (tools/deps installs it)"
command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"

work=$(mktemp -d /tmp/smtprobe-serve-prom.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# The documented scrape config, the block between the markers.
sed -n '/^<!-- serve-prom-config -->$/,/^<!-- \/serve-prom-config -->$/p' "$doc" |
	sed '1,2d;$d' | sed '$d' >"$work/doc.yml"
[ -s "$work/doc.yml" ] || { echo "FAIL: $doc has no serve-prom-config block"; exit 1; }
out=$(promtool check config "$work/doc.yml" 2>&1)
status_is "promtool: the documented config" $? 0
echo "$out" | tail -1

# The other YAML blocks of the document that are scrape jobs, each under
# a scrape_configs: of its own.
python3 - "$doc" "$work" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
n = 0
for b in blocks:
    if b.lstrip().startswith("- job_name:"):
        n += 1
        with open(f"{sys.argv[2]}/job{n}.yml", "w") as f:
            f.write("scrape_configs:\n" + b)
    elif b.startswith("groups:"):
        with open(f"{sys.argv[2]}/rules.yml", "w") as f:
            f.write(b)
PY
for j in "$work"/job*.yml; do
	out=$(promtool check config "$j" 2>&1)
	status_is "promtool: $(head -2 "$j" | tail -1)" $? 0
done
out=$(promtool check rules "$work/rules.yml" 2>&1)
status_is "promtool: the alert rules" $? 0

# A scripted SMTP server, the exporter, then Prometheus.
python3 "$here/lib/slowsmtp.py" 0 "$work/q.port" "$work/q.count" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/q.port" ] && break; sleep 0.05; done
qp=$(cat "$work/q.port")
hp=$("$FREEPORT")
pp=$("$FREEPORT")
while [ "$pp" = "$hp" ]; do pp=$("$FREEPORT"); done
cat >"$work/serve.yml" <<EOF
listen: 127.0.0.1:$hp
allow_targets: [127.0.0.1]
modules:
  mx:
    tls: none
    timeout: 5
EOF
"$SMTPROBE" serve --config "$work/serve.yml" 2>"$work/serve.log" &
pids+=($!)

# The documented config with the addresses of this test and a 1 s interval.
sed -e "s/scrape_interval: 60s/scrape_interval: 1s/" -e "s/scrape_timeout: 15s/scrape_timeout: 1s/" \
	-e "s/127\.0\.0\.1:9125/127.0.0.1:$hp/" -e "s/mx1\.example\.com:25/127.0.0.1:$qp/" \
	-e "/mx2\.example\.com:25/d" -e "s/module: \[mx\]/module: [mx]/" \
	"$work/doc.yml" >"$work/prom.yml"
prometheus --config.file="$work/prom.yml" --storage.tsdb.path="$work/data" \
	--web.listen-address="127.0.0.1:$pp" >"$work/prom.log" 2>&1 &
pids+=($!)

# query EXPR: the API's JSON answer.
query() {
	curl -s --max-time 5 -G "http://127.0.0.1:$pp/api/v1/query" --data-urlencode "query=$1"
}
got=
for _ in $(seq 120); do
	got=$(query "probe_success{job=\"smtp_mx\"}")
	[[ "$got" == *"\"instance\":\"127.0.0.1:$qp\""* ]] && break
	sleep 0.5
done
echo "$got"
check "stored probe_success" "$got" "\"__name__\":\"probe_success\""
check "stored probe_success" "$got" "\"instance\":\"127.0.0.1:$qp\""
check "stored probe_success" "$got" "\"job\":\"smtp_mx\""
check "stored probe_success" "$got" "\"target\":\"127.0.0.1:$qp\""
check "probe_success is 1" "$got" ",\"1\"]"
got=$(query "smtp_reply_code{job=\"smtp_mx\",step=\"banner\"}")
check "stored reply code" "$got" ",\"220\"]"
got=$(query "up")
check "the probe job is up" "$got" "\"job\":\"smtp_mx\"},\"value\":["
for _ in $(seq 40); do
	got=$(query "smtprobe_serve_probes_total{module=\"mx\",result=\"ok\"} > 0")
	[[ "$got" == *smtprobe_exporter* ]] && break
	sleep 0.5
done
check "the exporter's own metrics" "$got" "\"job\":\"smtprobe_exporter\""
# Prometheus's scrape timeout reached the exporter (the header
# X-Prometheus-Scrape-Timeout-Seconds): a 1 s scrape timeout is a 1 s
# probe deadline, where the module's own is 60 s.
check "scrapes logged" "$(cat "$work/serve.log")" "probe target=127.0.0.1:$qp module=mx verdict=OK"
if grep -q "probe target=127.0.0.1:$qp module=mx verdict=OK ms=[0-9]* deadline=1s" "$work/serve.log"; then
	pass=$((pass + 1))
else
	echo "FAIL: no probe ran with the 1 s deadline of the scrape timeout"; fail=$((fail + 1))
fi
[ "$fail" -eq 0 ] || { echo "--- prometheus log"; tail -20 "$work/prom.log"; }
finish
