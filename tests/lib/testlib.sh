# testlib.sh - what the shell tests share: sourced, never run.
#
#   skip REASON            exit 77 (skipped) with the reason; under CI=true a
#                          test that cannot run is a failure instead
#   check NAME OUTPUT NEEDLE   one assertion: OUTPUT contains NEEDLE
#   status_is NAME GOT WANT    one assertion: an exit status
#   finish                 print "N passed, N failed" and exit accordingly

pass=0
fail=0

skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: cannot run in CI: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

check() {
	if [[ "$2" == *"$3"* ]]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: output lacks '$3'"
		fail=$((fail + 1))
	fi
}

status_is() {
	if [ "$2" -eq "$3" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: exit $2, want $3"
		fail=$((fail + 1))
	fi
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
