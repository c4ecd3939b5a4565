#!/usr/bin/env bash
# dns-lab.sh - a private unbound on 127.0.0.1, serving a test zone, for the
# MX tests.
#
#   dns-lab.sh start DIR PORT   answer on 127.0.0.1:PORT (UDP and TCP) for the
#                               zone "test." below; nothing else is resolved
#   dns-lab.sh stop DIR         stop it and remove DIR
#
#   good.test     MX 10 mx1.good.test, MX 20 mx2.good.test (listed in reverse
#                 order, so the answer's order is not the preference order)
#   nomx.test     no MX, an A record: the implicit MX (RFC 5321 §5.1)
#   nullmx.test   MX 0 "." (RFC 7505)
#   anything else in test.: NXDOMAIN
set -euo pipefail

die() { echo "dns-lab: $*" >&2; exit 1; }

start() {
	local dir=$1 port=$2
	command -v unbound >/dev/null || die "unbound is not installed (apt-get install unbound)"
	mkdir -p "$dir"
	cat >"$dir/unbound.conf" <<CF
server:
  interface: 127.0.0.1@$port
  port: $port
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$dir"
  pidfile: "$dir/unbound.pid"
  use-syslog: no
  logfile: "$dir/unbound.log"
  verbosity: 1
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "test." static
  local-data: "good.test. 60 IN MX 20 mx2.good.test."
  local-data: "good.test. 60 IN MX 10 mx1.good.test."
  local-data: "mx1.good.test. 60 IN A 127.0.0.1"
  local-data: "mx2.good.test. 60 IN A 127.0.0.1"
  local-data: "nomx.test. 60 IN A 127.0.0.1"
  local-data: "nullmx.test. 60 IN MX 0 ."
remote-control:
  control-enable: no
CF
	unbound -d -c "$dir/unbound.conf" >"$dir/stdout" 2>&1 &
	echo $! >"$dir/pid"
	local i
	for i in $(seq 1 100); do
		if grep -q "start of service" "$dir/unbound.log" 2>/dev/null; then
			return 0
		fi
		kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/stdout" "$dir/unbound.log" >&2 2>/dev/null; die "unbound exited"; }
		sleep 0.1
	done
	die "unbound did not start within 10 s"
}

stop() {
	local dir=$1
	[ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
	rm -rf "$dir"
}

case "${1:-}" in
start) [ $# -eq 3 ] || die "usage: $0 start DIR PORT"; start "$2" "$3" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start DIR PORT | stop DIR" ;;
esac
