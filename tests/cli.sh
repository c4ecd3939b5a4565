#!/usr/bin/env bash
# The command line: usage errors exit 3 with a clear message and send
# nothing; --help and --version work.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
fail=0 pass=0

expect() { # expect STATUS STDERR_SUBSTRING ARGS...
	local want=$1 needle=$2 out status
	shift 2
	out=$("$SMTPROBE" "$@" 2>&1 >/dev/null)
	status=$?
	if [ "$status" -ne "$want" ] || [[ "$out" != *"$needle"* ]]; then
		echo "FAIL: smtprobe $*: status $status (want $want), stderr: $out"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}


port=$("$FREEPORT")

expect 3 "no target given"
expect 3 "unknown option '--bogus'" --bogus mx.example
expect 3 "unknown option '-z'" -z mx.example
expect 3 "needs an argument" mx.example --port
expect 3 "1 to 65535" --port 0 mx.example
expect 3 "1 to 65535" --port 65536 mx.example
expect 3 "1 to 65535" "127.0.0.1:99999"
expect 3 "auto, starttls, implicit or none" --tls maybe mx.example
expect 3 "line break" --ehlo $'probe\r\nRSET' "127.0.0.1:$port"
expect 3 "line break" --tls-name $'a\nb' "127.0.0.1:$port"
expect 3 "line break" $'127.0.0.1\r\nQUIT'
expect 3 "contains a space" --ehlo 'a b' "127.0.0.1:$port"
expect 3 "cannot be read" --cafile /nonexistent/ca.pem "127.0.0.1:$port"
expect 3 "must be a number from 1 to 1000" --parallel 0 a.example
expect 3 "--per-ip '0': must be a number from 1 to 1000" --per-ip 0 a.example
expect 3 "--retry-after 'x': must be a whole number of seconds from 0 to 3600" --retry-after x a.example
expect 3 "--per-ip given twice" --per-ip 2 --per-ip 3 a.example
expect 3 "must be text, json, nagios or prometheus" --format xml a.example
expect 3 "is not a range" -w abc a.example
expect 3 "the start is above the end" -c 10:5 a.example
expect 3 "not a finding id" --ignore nonsense a.example
expect 3 "no target given" --format json
expect 3 "give an IP address" --dns-server ns.example --mx example.org
expect 3 "brackets must hold an IPv6 address" --dns-server "[ns.example]:53" --mx example.org
expect 3 "--trust-anchor '/nonexistent'" --trust-anchor /nonexistent --mx example.org
tf=$(mktemp); printf '# fleet\n127.0.0.1:2525\n\nbad host name\n' >"$tf"
expect 3 "$tf:4" --targets-file "$tf"
rm -f "$tf"
expect 3 "contradicts" --require-tls --tls none "127.0.0.1:$port"
expect 3 "seconds from 1" --timeout 0 "127.0.0.1:$port"
expect 3 "but --port says" -p 587 "127.0.0.1:25"
expect 3 "brackets must hold an IPv6 address" "[mx.example]:25"
# One value each: a second one is refused, not silently kept.
expect 3 "--mail-from given twice" --mail-from a@example.org --mail-from b@example.org a.example
expect 3 "--vrfy given twice" --vrfy a --vrfy b a.example
expect 3 "--timeout given twice" --timeout 5 --timeout 6 a.example
expect 3 "--port given twice" -p 25 --port 587 a.example

# --total-timeout below --timeout wins: a silent server is left after 1 s,
# not after the 8 s step deadline.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
c, _ = s.accept(); time.sleep(9)' "$port" &
srv=$!
sleep 0.3
t0=$(date +%s%N)
"$SMTPROBE" --tls none --timeout 8 --total-timeout 1 -q "127.0.0.1:$port" >/dev/null 2>&1
status=$?
ms=$((($(date +%s%N) - t0) / 1000000))
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
if [ "$status" -ne 2 ] || [ "$ms" -ge 4000 ]; then
	echo "FAIL: --total-timeout 1 --timeout 8 against a silent server: status $status after $ms ms"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi

# AUTH with no password source and no terminal: one whole line, exit 3,
# nothing sent.  (The message once carried itself as its own reason,
# formatted into the buffer it was read from: twice, broken off.)
# setsid leaves the controlling terminal behind, so /dev/tty cannot be
# opened even when make check runs in one.
if command -v setsid >/dev/null 2>&1; then
	want="smtprobe: no password: use --password-file FILE, the SMTPROBE_PASSWORD variable, or run on a terminal to be asked (no terminal to ask for it on)"
	out=$(env -u SMTPROBE_PASSWORD -u SMTPROBE_TOKEN setsid -w "$SMTPROBE" --auth PLAIN --user x \
		"127.0.0.1:$port" </dev/null 2>&1 >/dev/null)
	status=$?
	if [ "$status" -ne 3 ] || [ "$out" != "$want" ]; then
		echo "FAIL: --auth PLAIN without a password: status $status (want 3), stderr:"
		printf '%s\n' "$out"
		echo "want exactly:"
		printf '%s\n' "$want"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
else
	echo "SKIP (one check): setsid is missing, so the no-terminal password path cannot be tested"
fi

expect 3 "--auth-insecure goes with --auth" --auth-insecure "127.0.0.1:$port"

# The password file: a private regular file of bounded size, its first
# line taken whole (exit 3 before any traffic otherwise).
pdir=$(mktemp -d)
auth=(--auth PLAIN --user u)
printf 'secret\n' >"$pdir/open"; chmod 640 "$pdir/open"
expect 3 "is open to other users (mode 0640)" "${auth[@]}" --password-file "$pdir/open" "127.0.0.1:$port"
chmod 604 "$pdir/open"
expect 3 "is open to other users (mode 0604)" "${auth[@]}" --password-file "$pdir/open" "127.0.0.1:$port"
expect 3 "is open to other users" --auth XOAUTH2 --user u --token-file "$pdir/open" "127.0.0.1:$port"
mkfifo -m 600 "$pdir/fifo"
expect 3 "is not a regular file" "${auth[@]}" --password-file "$pdir/fifo" "127.0.0.1:$port"
expect 3 "is not a regular file" "${auth[@]}" --password-file /dev/zero "127.0.0.1:$port"
head -c 70000 /dev/zero | tr '\0' 'a' >"$pdir/big"; chmod 600 "$pdir/big"
expect 3 "is larger than 65536 bytes" "${auth[@]}" --password-file "$pdir/big" "127.0.0.1:$port"
head -c 9000 /dev/zero | tr '\0' 'a' >"$pdir/long"; chmod 600 "$pdir/long"
expect 3 "is longer than 8191 bytes" "${auth[@]}" --password-file "$pdir/long" "127.0.0.1:$port"
printf 'sec\rret\n' >"$pdir/cr"; chmod 600 "$pdir/cr"
expect 3 "holds a CR byte (at offset 3)" "${auth[@]}" --password-file "$pdir/cr" "127.0.0.1:$port"
printf 'sec\0ret\n' >"$pdir/nul"; chmod 600 "$pdir/nul"
expect 3 "holds a NUL byte (at offset 3)" "${auth[@]}" --password-file "$pdir/nul" "127.0.0.1:$port"
printf '\n' >"$pdir/empty"; chmod 600 "$pdir/empty"
expect 3 "is empty" "${auth[@]}" --password-file "$pdir/empty" "127.0.0.1:$port"
# A private file with CRLF is fine: the probe goes on (and finds no
# server on the free port: CRITICAL).
printf 'secret\r\nsecond line\n' >"$pdir/ok"; chmod 600 "$pdir/ok"
expect 2 "" --timeout 2 "${auth[@]}" --password-file "$pdir/ok" "127.0.0.1:$port"

# SMTPROBE_PASSWORD and SMTPROBE_TOKEN leave the environment on every path:
# read /proc/PID/environ while smtprobe waits for a greeting that never
# comes (a listener that never accepts).
if command -v python3 >/dev/null && [ -r /proc/self/environ ]; then
	python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$pdir/lport" &
	lpid=$!
	for _ in $(seq 50); do [ -s "$pdir/lport" ] && break; sleep 0.1; done
	lport=$(cat "$pdir/lport")
	printf 'tok\n' >"$pdir/tok"; chmod 600 "$pdir/tok"
	env_check() { # env_check WHAT ARGS...
		local what=$1 pid env
		shift
		SMTPROBE_PASSWORD=pw-marker-7b1 SMTPROBE_TOKEN=tok-marker-7b1 \
			"$SMTPROBE" --timeout 5 "$@" "127.0.0.1:$lport" >/dev/null 2>&1 &
		pid=$!
		sleep 0.7
		if ! env=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null); then
			echo "note: $what: /proc/$pid/environ not readable (a process holding a secret is not dumpable; run as root to check)"
		elif [[ "$env" == *marker-7b1* ]]; then
			echo "FAIL: $what: a secret is still in /proc/PID/environ"; fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
		kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	}
	# The check itself can fail: a process that keeps them shows them.
	SMTPROBE_PASSWORD=pw-marker-7b1 sleep 2 & spid=$!; sleep 0.3
	if [[ "$(tr '\0' '\n' <"/proc/$spid/environ")" == *pw-marker-7b1* ]]; then pass=$((pass + 1)); else
		echo "FAIL: the environ check cannot see a kept variable"; fail=$((fail + 1)); fi
	kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
	env_check "no --auth"
	env_check "--password-file" "${auth[@]}" --password-file "$pdir/ok"
	env_check "the variable used" "${auth[@]}"
	env_check "--token-file" --auth XOAUTH2 --user u --token-file "$pdir/tok"
	kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null
else
	echo "note: python3 or /proc missing: the environment check is skipped"
fi
rm -rf "$pdir"

# explain: bad codes and bad options exit 3; good ones exit 0.
expect 3 "'5O4' is not a reply code: did you mean 504?" explain 5O4
expect 3 "did you mean one of 500, 501, 502, 503, 504" explain 50
expect 3 "'6.0.0' is not a reply code" explain 6.0.0
expect 3 "'99' is not a reply code" explain 99
expect 3 "explain needs a code" explain
expect 3 "one code, or two" explain 250 251 252
expect 3 "not an SMTP command" explain --after FOO 504
expect 3 "must be text or json" explain --format xml 504
expect 3 "unknown option" explain --bogus 504
expect 0 "" explain 504
expect 0 "" explain 5.7.8
expect 0 "" explain '535 5.7.8'
expect 0 "" explain --after AUTH 504
expect 0 "" explain 235 504
expect 0 "" explain --format json 235 504
out=$("$SMTPROBE" explain --after AUTH 504)
if [[ "$out" != *"after AUTH"*"mechanism"* ]]; then echo "FAIL: explain --after AUTH 504: $out"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# explain: replies found in pasted text, logs and bounces (stdin with '-').
expect_out() { # expect_out STATUS "STDIN" STDOUT_SUBSTRING... -- ARGS...
	local want=$1 input=$2 out status needle
	shift 2
	local needles=()
	while [ "$1" != "--" ]; do needles+=("$1"); shift; done
	shift
	out=$(printf '%s' "$input" | "$SMTPROBE" "$@" 2>&1)
	status=$?
	for needle in "${needles[@]}"; do
		if [ "$status" -ne "$want" ] || [[ "$out" != *"$needle"* ]]; then
			echo "FAIL: smtprobe $* <<< '${input:0:60}': status $status (want $want), no '$needle' in: $out"
			fail=$((fail + 1))
			return
		fi
	done
	pass=$((pass + 1))
}
dsn='Reporting-MTA: dns; mx.example.com
X-Postfix-Queue-ID: 4F1A

Final-Recipient: rfc822; bob@gmail.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
    not exist. Please try 550-5.1.1 double-checking the recipient'"'"'s email
    address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1
    https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - gsmtp

Final-Recipient: rfc822; carol@example.net
Action: failed
Status: 5.7.1
Diagnostic-Code: smtp; 554 5.7.1 <carol@example.net>: Relay access denied
'
expect_out 0 "$dsn" "Reply 1 of 2 (delivery status notification)" "recipient       bob@gmail.com" \
	"server          Gmail" "Bad destination mailbox address" -- explain -
expect_out 0 "$dsn" "Reply 2 of 2" "server          Postfix" "reject_unauth_destination" -- explain -
expect_out 0 "$dsn" '"name": "Gmail"' '"recipient": "bob@gmail.com"' '"origin": "dsn"' -- \
	explain --format json -
expect_out 0 "" "server          Postfix" "virtual_mailbox_maps" -- explain \
	'550-5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table'
expect_out 0 "" "(Postfix log)" "answer to       RCPT" "server          Gmail" -- explain \
	'postfix/smtp[1]: 4F: to=<b@gmail.com>, status=bounced (host g[192.0.2.1] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550 5.1.1 - gsmtp (in reply to RCPT TO command))'
expect_out 0 "" "(Exim log)" "recipient       bob@example.org" "Unrouteable" -- explain \
	'** bob@example.org R=dnslookup T=remote_smtp H=mx [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 Unrouteable address'
expect_out 0 "Delivery has failed to these recipients or groups:
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
" "(Exchange report)" "server          Microsoft 365" -- explain -
expect_out 0 "" "server          not recognised" -- explain '550 5.7.1 go away, spammer'
expect_out 3 "no reply here
just words
" "no SMTP reply found" -- explain -
expect 3 "'5O4' is not a reply code" explain 5O4 5.7.1
big=$(head -c 300000 /dev/zero | tr '\0' 'x')
expect_out 0 "550 5.1.1 user unknown
$big" "the rest was not read" -- explain -

# findings: the list, one finding explained, unknown ids.
out=$("$SMTPROBE" findings); status=$?
n=$(grep -cE '^[a-z0-9-]+ +(OK|WARNING|CRITICAL|UNKNOWN|INFO)$' <<<"$out")
if [ $status -ne 0 ] || [ "$n" -lt 50 ] || [[ "$out" != *"starttls-not-offered"*"WARNING"* ]] ||
	[[ "$out" != *"    The server does not offer STARTTLS."* ]]; then
	echo "FAIL: smtprobe findings: status $status, $n ids listed"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
if long=$(awk 'length($0) > 80' <<<"$out") && [ -n "$long" ]; then
	echo "FAIL: smtprobe findings: lines over 80 columns: $long"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
out=$("$SMTPROBE" findings vrfy-enumeration); status=$?
want=("vrfy-enumeration: default severity WARNING" "What it means" "    VRFY confirmed an address"
	"Why it matters" "How to fix it" "    Disable VRFY" "on Postfix: disable_vrfy_command = yes"
	"How to accept it" "smtprobe --ignore vrfy-enumeration TARGET")
ok=1
for w in "${want[@]}"; do [[ "$out" == *"$w"* ]] || { echo "FAIL: findings vrfy-enumeration lacks '$w'"; ok=0; }; done
# The sections come in this order.
[[ "$out" == *"What it means"*"Why it matters"*"How to fix it"*"How to accept it"* ]] ||
	{ echo "FAIL: findings vrfy-enumeration: sections out of order"; ok=0; }
if [ $status -ne 0 ] || [ $ok -ne 1 ]; then echo "$out"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
expect 3 "'vrfy-enumeraton' is not a finding id: did you mean vrfy-enumeration?" findings vrfy-enumeraton
expect 3 "'nonsense' is not a finding id ('smtprobe findings' lists them)" findings nonsense
expect 3 "give one finding id" findings timeout tls-weak-dh
expect 3 "unknown option '--bogus'" findings --bogus
expect 3 "--lang 'xx': must be one of" findings --lang xx
expect 0 "" findings --help
expect 0 "" findings cert-expired
expect 3 "did you mean starttls-not-offered?" --ignore starttls-not-ofered a.example
# An unknown id prints one line, and nothing on standard output.
out=$("$SMTPROBE" findings nonsense 2>/dev/null); err=$("$SMTPROBE" findings nonsense 2>&1 >/dev/null)
if [ -n "$out" ] || [ "$(wc -l <<<"$err")" -ne 1 ]; then
	echo "FAIL: findings nonsense: stdout '$out', stderr '$err'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
# Every finding explained fits 80 columns, in every language (a wide
# character takes two).
widths='
import sys, unicodedata
for line in sys.stdin.read().splitlines():
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w > 80:
        print(line)'
for lang in en de fr vi zh_CN; do
	all=$("$SMTPROBE" findings --lang "$lang"
		for id in $("$SMTPROBE" findings | sed -n 's/^\([a-z0-9-]*\) .*/\1/p'); do
			"$SMTPROBE" findings --lang "$lang" "$id"
		done)
	long=$(python3 -c "$widths" <<<"$all")
	if [ -z "$long" ] && [ -n "$all" ]; then
		pass=$((pass + 1)); else echo "FAIL: findings --lang $lang: over 80 columns: $long"; fail=$((fail + 1)); fi
done

# --color: auto (the default) writes no escape sequence into a pipe;
# always does, even with NO_COLOR; never and NO_COLOR under auto do not.
expect 3 "--color 'sometimes': must be auto, always or never" --color sometimes a.example
expect 3 "--color given twice" --color always --color never a.example
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
for _ in range(5):
    c, _ = s.accept()
    c.sendall(b"554 5.7.1 no service for \x1b[31myou\x1b[0m\r\n")
    c.recv(512); c.sendall(b"221 2.0.0 Bye\r\n"); c.close()' "$port" &
srv=$!
sleep 0.3
esc=$'\033['
color_case() { # color_case NAME WANT(yes|no) ENV... -- ARGS...
	local name=$1 want=$2 envs=() out
	shift 2
	while [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	out=$(env "${envs[@]}" "$SMTPROBE" --tls none "$@" "127.0.0.1:$port" 2>&1)
	if [[ "$out" == *"$esc"* ]]; then got=yes; else got=no; fi
	if [ "$got" != "$want" ]; then echo "FAIL: colour, $name: escape sequences: $got (want $want)"; fail=$((fail + 1))
	elif [ "$want" = yes ] && [[ "$out" != *$'\033[1;31mCRITICAL\033[0m: 127.0.0.1'* || "$out" == *$'\033[31myou'* ]]; then
		echo "FAIL: colour, $name: verdict not red, or the server's escape sequence not escaped: $out"; fail=$((fail + 1))
	else pass=$((pass + 1)); fi
}
color_case "default into a pipe" no TERM=xterm -- 
color_case "--color always" yes TERM=xterm -- --color always
color_case "--color always with NO_COLOR" yes TERM=xterm NO_COLOR=1 -- --color always
color_case "--color never" no TERM=xterm -- --color never
color_case "--color auto into a pipe" no TERM=xterm -- --color auto
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
# On a terminal: auto colours, NO_COLOR (any non-empty value) turns it off.
if command -v script >/dev/null 2>&1; then
	tty_out() { script -qec "$*" /dev/null </dev/null; }
	python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
for _ in range(3):
    c, _ = s.accept()
    c.sendall(b"554 no service\r\n"); c.recv(512); c.sendall(b"221 Bye\r\n"); c.close()' "$port" &
	srv=$!
	sleep 0.3
	out=$(TERM=xterm tty_out "'$SMTPROBE' --tls none -q 127.0.0.1:$port")
	if [[ "$out" == *$'\033[1;31mCRITICAL'* ]]; then pass=$((pass + 1)); else echo "FAIL: colour on a terminal: $out"; fail=$((fail + 1)); fi
	out=$(NO_COLOR=0 TERM=xterm tty_out "'$SMTPROBE' --tls none -q 127.0.0.1:$port")
	if [[ "$out" != *"$esc"* && "$out" == *CRITICAL* ]]; then pass=$((pass + 1)); else echo "FAIL: NO_COLOR=0 on a terminal: $out"; fail=$((fail + 1)); fi
	out=$(TERM=dumb tty_out "'$SMTPROBE' --tls none -q 127.0.0.1:$port")
	if [[ "$out" != *"$esc"* && "$out" == *CRITICAL* ]]; then pass=$((pass + 1)); else echo "FAIL: TERM=dumb on a terminal: $out"; fail=$((fail + 1)); fi
	kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
else
	echo "SKIP (three checks): script(1) is missing, so colour on a terminal cannot be tested"
fi

help=$("$SMTPROBE" --help); status=$?
if [ $status -ne 0 ]; then echo "FAIL: --help exited $status"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
for opt in --port --ipv4 --ipv6 --ehlo --timeout --total-timeout --tls --require-tls --tls-name \
	--cafile --capath --insecure --cert-warn-days --cert-crit-days --verbose --quiet --help --version \
	--auth --user --password-file --token-file --allow-plaintext-auth --auth-insecure --mail-from --mail-param --rcpt \
	--rcpt-param --vrfy --expn --force --targets-file --mx --dns-server --trust-anchor --parallel --per-ip --retry-after --warning --critical \
	--require-capability --expect-banner --ignore --format --color; do
	if [[ "$help" != *"$opt"* ]]; then echo "FAIL: --help does not mention $opt"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
for word in "0  OK" "1  WARNING" "2  CRITICAL" "3  UNKNOWN" "smtprobe findings [FINDING-ID]"; do
	if [[ "$help" != *"$word"* ]]; then echo "FAIL: --help lacks exit status '$word'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
ver=$("$SMTPROBE" --version)
if [[ "$ver" != "smtprobe "* ]]; then echo "FAIL: --version said '$ver'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
