#!/usr/bin/env bash
# postfix-lab.sh - a private Postfix on loopback, for the tests, the demo and
# tools/lab.
#
#   postfix-lab.sh start DIR SMTP_PORT SMTPS_PORT [SUBMISSION_PORT [PROXY_PORT]]
#       make DIR, write a test CA and a certificate for mx.test.example, and
#       start Postfix with STARTTLS on SMTP_PORT (VRFY enabled, no AUTH),
#       implicit TLS on SMTPS_PORT and, when given, a submission port with
#       STARTTLS required, AUTH after TLS only (Cyrus SASL, sasldb: user
#       'tester', password in DIR/etc/password) and VRFY disabled; and, when
#       given, PROXY_PORT on 127.0.0.1 and ::1 behind a load balancer: each
#       connection must start with a HAProxy PROXY header
#       (smtpd_upstream_proxy_protocol = haproxy, read for at most 2 s).
#       SUBMISSION_PORT may be '' to have PROXY_PORT alone.
#   postfix-lab.sh stop DIR       stop it and remove DIR
#   postfix-lab.sh running DIR    exit 0 when the Postfix of DIR runs
#   postfix-lab.sh have           exit 0 when a Postfix can be started here,
#                                 and say which; else say why not, exit 1
#
# Which Postfix: the tree that tools/deps unpacked from Debian's postfix
# package without installing it (SMTPROBE_POSTFIX_TREE, by default
# ${SMTPROBE_CACHE:-/var/cache/smtprobe}/postfix); else a postfix installed
# on the system.  Either way it runs from a configuration directory of its
# own (DIR/etc) with its own queue (DIR/spool); the system's mail server,
# whichever it is, is not touched.  Needs root (Postfix's master runs as
# root), the user 'postfix' and the group 'postdrop', and Cyrus SASL's
# saslpasswd2 for the submission port.
set -euo pipefail

pf_tree_default=${SMTPROBE_POSTFIX_TREE:-${SMTPROBE_CACHE:-/var/cache/smtprobe}/postfix}
pf_tree=
pf_cmd=

lab_die() { echo "postfix-lab: $*" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/testca.sh"

# Find a Postfix: set pf_tree (the unpacked tree, or empty for a system
# Postfix) and pf_cmd; else say why not and return 1.
lab_find() {
	if [ -x "$pf_tree_default/usr/sbin/postfix" ] && [ -x "$pf_tree_default/usr/lib/postfix/sbin/master" ]; then
		pf_tree=$pf_tree_default
		pf_cmd=$pf_tree/usr/sbin/postfix
	elif pf_cmd=$(command -v postfix); then
		pf_tree=
	else
		echo "no Postfix: neither an unpacked tree in $pf_tree_default nor a postfix command (tools/deps unpacks one)"
		return 1
	fi
	getent passwd postfix >/dev/null || { echo "no user 'postfix' (tools/deps creates it)"; return 1; }
	getent group postdrop >/dev/null || { echo "no group 'postdrop' (tools/deps creates it)"; return 1; }
}

# Run a Postfix command of the tree or the system on DIR's configuration.
# The tree's programs find their shared libraries (libpostfix-*.so) through
# LD_LIBRARY_PATH: their built-in run path is the installed package's.
lab_postfix() {
	local dir=$1
	shift
	if [ -n "$pf_tree" ]; then
		LD_LIBRARY_PATH=$pf_tree/usr/lib/postfix "$pf_cmd" -c "$dir/etc" "$@"
	else
		"$pf_cmd" -c "$dir/etc" "$@"
	fi
}

# main.cf lines that point Postfix at the unpacked tree: its programs, its
# libraries, its meta files, and LD_LIBRARY_PATH passed to every daemon
# (Postfix clears the environment but for import_environment).
lab_tree_conf() {
	local t=$1
	cat <<CF
command_directory = $t/usr/sbin
daemon_directory = $t/usr/lib/postfix/sbin
shlib_directory = $t/usr/lib/postfix
meta_directory = $t/etc/postfix
sendmail_path = $t/usr/sbin/sendmail
newaliases_path = $t/usr/bin/newaliases
mailq_path = $t/usr/bin/mailq
html_directory = no
manpage_directory = $t/usr/share/man
readme_directory = no
sample_directory = $t/etc/postfix
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_LIBRARY_PATH=$t/usr/lib/postfix
CF
}

lab_certs() {
	testca_make "$1"
}

lab_sasl() {
	local dir=$1
	command -v saslpasswd2 >/dev/null || lab_die "saslpasswd2 is not installed (apt-get install sasl2-bin libsasl2-modules)"
	mkdir -p "$dir/etc/sasl"
	# A password with characters that need care in every encoding.
	printf 'Sm0ke&Mirrors=42\n' >"$dir/etc/password"
	chmod 600 "$dir/etc/password"
	head -n 1 "$dir/etc/password" | tr -d '\n' |
		saslpasswd2 -p -c -f "$dir/etc/sasldb2" -u mx.test.example tester
	chown postfix "$dir/etc/sasldb2"
	chmod 600 "$dir/etc/sasldb2"
	cat >"$dir/etc/sasl/smtpd.conf" <<CF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $dir/etc/sasldb2
mech_list: PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
CF
}

lab_start() {
	local dir=$1 smtp=$2 smtps=$3 sub=${4:-} proxy=${5:-}
	local why
	why=$(lab_find) || lab_die "$why"
	lab_find >/dev/null
	[ "$(id -u)" = 0 ] || lab_die "must run as root: Postfix's master process needs it"
	mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
	# Postfix daemons run as the postfix user and must reach the queue.
	chmod 755 "$dir"
	lab_certs "$dir/etc"
	chown postfix "$dir/data"
	cat >"$dir/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test.example
mydomain = test.example
myorigin = \$mydomain
mydestination = \$myhostname, localhost
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128
alias_maps =
alias_database =
smtpd_banner = \$myhostname ESMTP smtprobe-lab
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
smtpd_tls_cert_file = $dir/etc/server.pem
smtpd_tls_key_file = $dir/etc/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtp_tls_security_level = none
biff = no
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $dir/etc/sasl
smtpd_sasl_local_domain = mx.test.example
# Every client is 127.0.0.1 here: no per-client limits, room for fleets.
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
default_process_limit = 250
CF
	[ -z "$pf_tree" ] || lab_tree_conf "$pf_tree" >>"$dir/etc/main.cf"
	cat >"$dir/etc/master.cf" <<CF
127.0.0.1:$smtp inet n - n - - smtpd
[::1]:$smtp inet n - n - - smtpd
127.0.0.1:$smtps inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
local     unix - n n - - local
lmtp      unix - - n - - lmtp
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
CF
	if [ -n "$sub" ]; then
		lab_sasl "$dir"
		cat >>"$dir/etc/master.cf" <<CF
127.0.0.1:$sub inet n - n - - smtpd
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o disable_vrfy_command=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
CF
	fi
	if [ -n "$proxy" ]; then
		cat >>"$dir/etc/master.cf" <<CF
127.0.0.1:$proxy inet n - n - - smtpd
  -o smtpd_upstream_proxy_protocol=haproxy
  -o smtpd_upstream_proxy_timeout=2s
[::1]:$proxy inet n - n - - smtpd
  -o smtpd_upstream_proxy_protocol=haproxy
  -o smtpd_upstream_proxy_timeout=2s
CF
	fi
	lab_postfix "$dir" check >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; lab_die "postfix check failed"; }
	lab_postfix "$dir" start >"$dir/start.log" 2>&1 || { cat "$dir/start.log" >&2; lab_die "postfix did not start"; }
	# Wait until both ports answer (at most 10 s).
	local i
	for i in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$smtps") 2>/dev/null &&
			{ [ -z "$sub" ] || (exec 3<>"/dev/tcp/127.0.0.1/$sub") 2>/dev/null; } &&
			{ [ -z "$proxy" ] || (exec 3<>"/dev/tcp/127.0.0.1/$proxy") 2>/dev/null; }; then
			return 0
		fi
		sleep 0.1
	done
	lab_die "postfix did not listen on 127.0.0.1:$smtp and :$smtps within 10 s"
}

# The pid of DIR's master process, when it runs.
lab_master_pid() {
	local dir=$1 pid
	[ -r "$dir/spool/pid/master.pid" ] || return 1
	pid=$(tr -d ' ' <"$dir/spool/pid/master.pid")
	[ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
	echo "$pid"
}

lab_stop() {
	local dir=$1 pid
	[ -d "$dir/etc" ] || return 0
	if lab_find >/dev/null; then
		lab_postfix "$dir" stop >/dev/null 2>&1 || lab_postfix "$dir" abort >/dev/null 2>&1 || true
	fi
	# master exits asynchronously; wait for it (5 s), then end it.
	for _ in $(seq 1 50); do
		lab_master_pid "$dir" >/dev/null || break
		sleep 0.1
	done
	if pid=$(lab_master_pid "$dir"); then
		kill "$pid" 2>/dev/null || true
		sleep 0.5
	fi
	rm -rf "$dir"
}

usage="usage: $0 start DIR SMTP_PORT SMTPS_PORT [SUBMISSION_PORT [PROXY_PORT]] | stop DIR | running DIR | have"
case "${1:-}" in
start) [ $# -ge 4 ] && [ $# -le 6 ] || lab_die "$usage"
	lab_start "$2" "$3" "$4" "${5:-}" "${6:-}" ;;
stop) [ $# -eq 2 ] || lab_die "$usage"; lab_stop "$2" ;;
running) [ $# -eq 2 ] || lab_die "$usage"; lab_master_pid "$2" >/dev/null ;;
have) [ $# -eq 1 ] || lab_die "$usage"
	lab_find || exit 1
	if [ -n "$pf_tree" ]; then echo "Postfix unpacked in $pf_tree"; else echo "Postfix installed as $pf_cmd"; fi ;;
*) lab_die "$usage" ;;
esac
