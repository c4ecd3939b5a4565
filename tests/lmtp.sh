#!/usr/bin/env bash
# LMTP (--protocol lmtp, RFC 2033) and unix: targets, end to end:
#   - Dovecot's real LMTP server, started here from a private config (its
#     own base_dir, state and mail under /tmp, a unix listener and an inet
#     listener on a free loopback port, users from a passwd-file): LHLO is
#     sent and accepted, over the socket and over TCP; RCPT is answered
#     per recipient (an existing user 250, an unknown one 550 5.1.1);
#     STARTTLS over LMTP (Dovecot offers it with a certificate of the
#     test CA), verified for --tls-name over TCP and over the socket, and
#     not tried over the socket without --tls-name;
#     --protocol smtp to it shows an LMTP server refusing EHLO and HELO;
#   - a scripted SMTP server (tests/lib/smtpunix.py) on a unix socket:
#     probed with SMTP it is OK; with --protocol lmtp its 500 to LHLO is
#     the not-lmtp finding, and no HELO follows;
#   - unix: faults: no such socket, permission denied (as user nobody),
#     nothing listening; and the usage errors (port 25, relative path,
#     TLS without --tls-name, --protocol other).
# Needs root (Dovecot's master starts as root) and Dovecot's LMTP
# (Debian dovecot-core and dovecot-lmtpd; tools/deps installs them).
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
: "${FREEPORT:?FREEPORT must name tests/freeport}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
[ "$(id -u)" = 0 ] || skip "not root: Dovecot's master process must start as root"
command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] ||
	skip "dovecot is not installed (tools/deps installs dovecot-core)"
[ -x /usr/lib/dovecot/lmtp ] || skip "Dovecot's LMTP is not installed (tools/deps installs dovecot-lmtpd)"
command -v python3 >/dev/null || skip "python3 is not installed (tools/deps installs it)"
command -v openssl >/dev/null || skip "openssl is not installed (tools/deps installs it)"
. "$here/lib/testca.sh"
dovecot=$(command -v dovecot || echo /usr/sbin/dovecot)

tmp=$(mktemp -d /tmp/smtprobe-lmtp.XXXXXX)
chmod 755 "$tmp"
srv=
dv=
cleanup() {
	[ -z "$srv" ] || kill "$srv" 2>/dev/null
	[ -z "$dv" ] || kill "$dv" 2>/dev/null
	# Dovecot's master ends its children; wait for it before removing.
	for _ in $(seq 50); do
		[ -z "$dv" ] || ! kill -0 "$dv" 2>/dev/null && break
		sleep 0.1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$("$FREEPORT")
mkdir -p "$tmp/base" "$tmp/state" "$tmp/mail"
testca_make "$tmp"
chown nobody "$tmp/mail"
echo "alice:{PLAIN}unused:$(id -u nobody):$(id -g nobody)::$tmp/mail/alice::" >"$tmp/users"
cat >"$tmp/dovecot.conf" <<CONF
# A private Dovecot: nothing of the system's /etc/dovecot is read.
base_dir = $tmp/base
state_dir = $tmp/state
instance_name = smtprobe-test-$$
protocols = lmtp
listen = 127.0.0.1
log_path = $tmp/dovecot.log
ssl = yes
ssl_cert = <$tmp/server.pem
ssl_key = <$tmp/server.key
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
mail_location = maildir:$tmp/mail/%u
passdb {
  driver = static
  args = password=unused
}
userdb {
  driver = passwd-file
  args = $tmp/users
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
  inet_listener lmtp {
    address = 127.0.0.1
    port = $port
  }
}
service anvil {
  chroot =
}
CONF
"$dovecot" -c "$tmp/dovecot.conf" || { echo "FAIL: dovecot did not start"; cat "$tmp/dovecot.log"; exit 1; }
for _ in $(seq 100); do
	[ -s "$tmp/base/master.pid" ] && [ -S "$tmp/base/lmtp" ] && break
	sleep 0.05
done
dv=$(cat "$tmp/base/master.pid" 2>/dev/null)
[ -S "$tmp/base/lmtp" ] || { echo "FAIL: no LMTP socket"; cat "$tmp/dovecot.log"; exit 1; }
sock=unix:$tmp/base/lmtp
# The default LHLO name over a socket: this host's name when it is fully
# qualified, else localhost (no address to write).
me=$(hostname)
case $me in *.*) ;; *) me=localhost ;; esac

# The facts of a JSON report, on one line.
facts() {
	python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
cmds = [s for s in r["steps"] if s["step"] not in ("connect", "banner", "quit", "rset")]
print("protocol=%s socket=%s family=%s port=%s" % (r["protocol"], r["unix_socket"], r["family"], r["port"]))
print("sent=" + " | ".join(str(s["command"]) for s in cmds if s["step"] == "lhlo"))
print(" ".join("%s:%s:%s" % (s["step"], s["reply"]["code"] if s["reply"] else "-",
      s["reply"]["enhanced"] if s["reply"] else "-") for s in cmds))
print("findings=" + " ".join(f["id"] for f in r["findings"]))'
}

# LHLO over the socket, one known and one unknown recipient.
out=$("$SMTPROBE" --protocol lmtp --format json --mail-from probe@test.example \
	--rcpt alice --rcpt bob "$sock")
st=$?
status_is "dovecot unix: unknown recipient is CRITICAL" "$st" 2
facts=$(facts <<<"$out")
check "dovecot unix: the facts" "$facts" "protocol=lmtp socket=$tmp/base/lmtp family=unix port=None"
check "dovecot unix: LHLO sent" "$facts" "sent=LHLO $me"
check "dovecot unix: replies per recipient" "$facts" "lhlo:250:None mail:250:2.1.0 rcpt:250:2.1.5 rcpt:550:5.1.1"
check "dovecot unix: rcpt-rejected" "$facts" "findings=rcpt-rejected"

json_unix=$out
# A unix: socket it cannot open, in JSON too.
json_none=$("$SMTPROBE" --protocol lmtp --format json "unix:$tmp/none.sock")
if python3 -c 'import jsonschema' 2>/dev/null; then
	if v=$(printf '%s\n%s\n' "$json_unix" "$json_none" |
		python3 "$here/lib/validate-json.py" "$here/../docs/report.schema.json"); then
		pass=$((pass + 1))
	else
		echo "FAIL: JSON of unix: targets does not match the schema: $v"
		fail=$((fail + 1))
	fi
fi

# The existing user alone: OK (no TLS is tried on a socket without --tls-name).
out=$("$SMTPROBE" --protocol lmtp --mail-from probe@test.example --rcpt alice "$sock")
st=$?
status_is "dovecot unix: known recipient is OK" "$st" 0
check "dovecot unix: text names the socket" "$out" "at the unix socket $tmp/base/lmtp, LMTP"
check "dovecot unix: verdict line" "$out" "OK: $sock"

# No STARTTLS over the socket without --tls-name, though it is offered.
out=$("$SMTPROBE" --protocol lmtp -v "$sock")
st=$?
status_is "dovecot unix, no --tls-name: OK" "$st" 0
check "dovecot unix, no --tls-name: offered" "$out" "S: 250 STARTTLS"
check "dovecot unix, no --tls-name: not tried" "$(grep -c '^C: STARTTLS' <<<"$out")" "0"
check "dovecot unix, no --tls-name: mode" "$out" "LMTP, TLS mode none, LHLO name $me"

# STARTTLS over LMTP, verified for --tls-name: over TCP, then the socket.
tls=(--cafile "$tmp/ca.pem" --tls-name mx.test.example)
out=$("$SMTPROBE" --protocol lmtp -v "${tls[@]}" "127.0.0.1:$port")
st=$?
status_is "dovecot tcp: STARTTLS verified, OK" "$st" 0
check "dovecot tcp: LHLO" "$out" "C: LHLO [127.0.0.1]"
check "dovecot tcp: LHLO context" "$out" "LHLO accepted"
check "dovecot tcp: LHLO twice" "$(grep -c '^C: LHLO' <<<"$out")" "2"
check "dovecot tcp: STARTTLS" "$out" "C: STARTTLS"
check "dovecot tcp: verified" "$out" "certificate verified"
check "dovecot tcp: summary" "$out" "port $port, LMTP, TLS mode auto, LHLO name"
out=$("$SMTPROBE" --protocol lmtp -v --require-tls "${tls[@]}" "$sock")
st=$?
status_is "dovecot unix, --tls-name: STARTTLS verified, OK" "$st" 0
check "dovecot unix, --tls-name: STARTTLS" "$out" "C: STARTTLS"
check "dovecot unix, --tls-name: verified" "$out" "certificate verified"

# SMTP to the LMTP server: it refuses EHLO and HELO alike.
out=$("$SMTPROBE" "127.0.0.1:$port")
st=$?
status_is "dovecot tcp, --protocol smtp: CRITICAL" "$st" 2
check "dovecot tcp, --protocol smtp: EHLO refused" "$out" "ehlo-refused"

# A scripted SMTP server on a unix socket (and TCP).
python3 "$here/lib/smtpunix.py" "$tmp/smtp.sock" "$tmp/smtp.port" "$tmp/smtp.log" &
srv=$!
for _ in $(seq 100); do
	[ -s "$tmp/smtp.port" ] && break
	sleep 0.05
done
out=$("$SMTPROBE" "unix:$tmp/smtp.sock")
st=$?
status_is "smtp unix: OK" "$st" 0
check "smtp unix: verdict line" "$out" "OK: unix:$tmp/smtp.sock smtp.test.example"
: >"$tmp/smtp.log"
out=$("$SMTPROBE" --protocol lmtp --format json "unix:$tmp/smtp.sock")
st=$?
status_is "smtp unix, --protocol lmtp: CRITICAL" "$st" 2
check "smtp unix, --protocol lmtp: not-lmtp" "$(facts <<<"$out")" "findings=not-lmtp"
check "smtp unix, --protocol lmtp: words" "$out" "the server does not understand LHLO (500): it is not an LMTP server"
cmds=$(tr '\n' ' ' <"$tmp/smtp.log")
check "smtp unix, --protocol lmtp: no HELO after LHLO" "$cmds" "LHLO $me QUIT "
out=$("$SMTPROBE" --protocol lmtp "127.0.0.1:$(cat "$tmp/smtp.port")")
status_is "smtp tcp, --protocol lmtp: CRITICAL" "$?" 2
check "smtp tcp, --protocol lmtp: not-lmtp" "$out" "not-lmtp: the server does not understand LHLO"

# smtprobe serve: a module may speak LMTP over TCP (its port is not 25:
# the module is checked as a command line), but a scrape never reaches a
# local socket, whatever allow_targets says.
if command -v curl >/dev/null; then
	hp=$("$FREEPORT")
	cat >"$tmp/serve.yml" <<YML
listen: 127.0.0.1:$hp
allow_targets: [127.0.0.1, "*"]
modules:
  lmtp:
    protocol: lmtp
    port: 24
    tls: none
YML
	"$SMTPROBE" serve --config "$tmp/serve.yml" 2>>"$tmp/serve.log" &
	spid=$!
	for _ in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.1:$hp/metrics" && break
		sleep 0.05
	done
	body=$(curl -s --max-time 30 -w '\n%{http_code}' "http://127.0.0.1:$hp/probe?target=127.0.0.1:$port&module=lmtp")
	check "serve lmtp module: 200" "${body##*$'\n'}" "200"
	check "serve lmtp module: success" "$body" "probe_success{target=\"127.0.0.1:$port\"} 1"
	body=$(curl -s --max-time 30 -w '\n%{http_code}' "http://127.0.0.1:$hp/probe?target=unix:$tmp/base/lmtp&module=lmtp")
	check "serve unix: refused 400" "${body##*$'\n'}" "400"
	check "serve unix: says why" "$body" "unix: targets are not probed by serve"
	kill "$spid"
	wait "$spid" 2>/dev/null
fi

# Paths are not names: case matters, so these two are not one target.
out=$("$SMTPROBE" -q "unix:$tmp/smtp.sock" "unix:$tmp/SMTP.sock")
status_is "two paths by case: the worst is CRITICAL" "$?" 2
check "two paths by case: first OK" "$out" "OK: unix:$tmp/smtp.sock"
check "two paths by case: second probed" "$out" "CRITICAL: unix:$tmp/SMTP.sock"

# unix: faults, each a clear CRITICAL.
out=$("$SMTPROBE" "unix:$tmp/none.sock" 2>&1)
status_is "no such socket: CRITICAL" "$?" 2
check "no such socket: said" "$out" "cannot connect to $tmp/none.sock: no such socket"
mkdir -m 700 "$tmp/private"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
	"$tmp/private/dead.sock"
out=$("$SMTPROBE" "unix:$tmp/private/dead.sock" 2>&1)
status_is "nothing listening: CRITICAL" "$?" 2
check "nothing listening: said" "$out" "connection refused (nothing listens on that socket)"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$SMTPROBE" "unix:$tmp/private/dead.sock" 2>&1)
status_is "permission denied: CRITICAL" "$?" 2
check "permission denied: said" "$out" "permission denied"

# Usage errors: exit 3, nothing sent.
refused() {
	local name=$1 want=$2 err st
	shift 2
	err=$("$SMTPROBE" "$@" 2>&1 >/dev/null)
	st=$?
	status_is "$name" "$st" 3
	check "$name: message" "$err" "$want"
}
refused "lmtp on port 25" "LMTP is not for port 25 (RFC 2033 §1)" --protocol lmtp 127.0.0.1
refused "lmtp --mx on port 25" "--protocol lmtp: not on port 25" --protocol lmtp --mx test.example
refused "relative unix path" "a unix: target names an absolute path" unix:lmtp.sock
refused "starttls on unix without --tls-name" "TLS on a unix: socket needs --tls-name" --tls starttls "unix:$tmp/smtp.sock"
refused "proxy header on unix" "are for TCP only" --proxy-protocol v1 --proxy-source 192.0.2.1:1234 "unix:$tmp/smtp.sock"
refused "unknown protocol" "--protocol 'esmtp': must be smtp or lmtp" --protocol esmtp 127.0.0.1
finish
