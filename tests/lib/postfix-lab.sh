#!/usr/bin/env bash
# postfix-lab.sh - a private Postfix on loopback, for the tests and the demo.
#
#   postfix-lab.sh start DIR SMTP_PORT SMTPS_PORT [SUBMISSION_PORT]
#       make DIR, write a test CA and a certificate for mx.test.example, and
#       start Postfix with STARTTLS on SMTP_PORT (VRFY enabled, no AUTH),
#       implicit TLS on SMTPS_PORT and, when given, a submission port with
#       STARTTLS required, AUTH after TLS only (Cyrus SASL, sasldb: user
#       'tester', password in DIR/etc/password) and VRFY disabled.
#   postfix-lab.sh stop DIR                         stop it and remove DIR
#
# Postfix runs from a configuration directory of its own (DIR/etc) with its
# own queue (DIR/spool); the system's Postfix, if any, is not touched.
# Needs root (Postfix's master runs as root) and the postfix package.
set -euo pipefail

lab_die() { echo "postfix-lab: $*" >&2; exit 1; }

lab_certs() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
		-subj "/CN=smtprobe test CA" -keyout "$d/ca.key" -out "$d/ca.pem" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=mx.test.example" \
		-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=DNS:mx.test.example\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$d/ext.cnf"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 365 -sha256 -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
	chmod 600 "$d/server.key" "$d/ca.key"
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
	local dir=$1 smtp=$2 smtps=$3 sub=${4:-}
	command -v postfix >/dev/null || lab_die "postfix is not installed (apt-get install postfix)"
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
	postfix -c "$dir/etc" check >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; lab_die "postfix check failed"; }
	postfix -c "$dir/etc" start >"$dir/start.log" 2>&1 || { cat "$dir/start.log" >&2; lab_die "postfix did not start"; }
	# Wait until both ports answer (at most 10 s).
	local i
	for i in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$smtps") 2>/dev/null &&
			{ [ -z "$sub" ] || (exec 3<>"/dev/tcp/127.0.0.1/$sub") 2>/dev/null; }; then
			return 0
		fi
		sleep 0.1
	done
	lab_die "postfix did not listen on 127.0.0.1:$smtp and :$smtps within 10 s"
}

lab_stop() {
	local dir=$1
	[ -d "$dir/etc" ] || return 0
	postfix -c "$dir/etc" stop >/dev/null 2>&1 || postfix -c "$dir/etc" abort >/dev/null 2>&1 || true
	# master exits asynchronously; wait for its pid file to go.
	local i
	for i in $(seq 1 50); do
		[ -e "$dir/spool/pid/master.pid" ] && kill -0 "$(tr -d ' ' <"$dir/spool/pid/master.pid")" 2>/dev/null || break
		sleep 0.1
	done
	rm -rf "$dir"
}

case "${1:-}" in
start) [ $# -eq 4 ] || [ $# -eq 5 ] || lab_die "usage: $0 start DIR SMTP_PORT SMTPS_PORT [SUBMISSION_PORT]"
	lab_start "$2" "$3" "$4" "${5:-}" ;;
stop) [ $# -eq 2 ] || lab_die "usage: $0 stop DIR"; lab_stop "$2" ;;
*) lab_die "usage: $0 start DIR SMTP_PORT SMTPS_PORT [SUBMISSION_PORT] | stop DIR" ;;
esac
