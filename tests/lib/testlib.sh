# testlib.sh - what the shell tests share: sourced, never run.
#
#   skip REASON            exit 77 (skipped) with the reason; under CI=true a
#                          test that cannot run is a failure instead
#   check NAME OUTPUT NEEDLE   one assertion: OUTPUT contains NEEDLE
#   status_is NAME GOT WANT    one assertion: an exit status
#   finish                 print "N passed, N failed" and exit accordingly
#   i18n_catalogues TOP DIR    compile TOP/po/*.po, merged with the current
#                          template, into DIR/LANG/LC_MESSAGES/smtprobe.mo
#                          (for SMTPROBE_LOCALEDIR); prints msgfmt's
#                          statistics, one "LANG: ..." line per language

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

i18n_catalogues() {
	local top=$1 dir=$2 lang stats
	for lang in $(grep -v '^#' "$top/po/LINGUAS"); do
		mkdir -p "$dir/$lang/LC_MESSAGES"
		msgmerge --quiet -o "$dir/$lang.po" "$top/po/$lang.po" "$top/po/smtprobe.pot" || return 1
		stats=$(msgfmt --check --statistics -o "$dir/$lang/LC_MESSAGES/smtprobe.mo" "$dir/$lang.po" 2>&1) ||
			{ echo "$lang: msgfmt --check failed: $stats"; return 1; }
		echo "$lang: $stats"
	done
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
