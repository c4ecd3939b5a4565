#!/usr/bin/env bash
# tools/fuzz-run, the recipe of `make fuzz-run`, can fail: stand-in
# fuzzers (shell scripts that answer as libFuzzer does) that crash, exit
# non-zero, leave a leak-, timeout- or oom- file, or never fuzz, each fail
# the run; a clean one passes.  No compiler or libFuzzer needed: the real
# harnesses are proved by `make fuzz-selftest` in CI (docs/fuzzing.md).
set -u
top=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
. "$top/tests/lib/testlib.sh"
run="$top/tools/fuzz-run"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin" "$work/corpus/ok"
: >"$work/corpus/ok/seed"

# stand_in NAME BODY: tests/fuzz/fuzz_NAME; BODY sees the artifact prefix
# as $p and logs its arguments to $0.args.
stand_in() {
	{
		echo '#!/bin/sh'
		echo 'p=; for a; do case $a in -artifact_prefix=*) p=${a#-artifact_prefix=} ;; esac; done'
		echo 'echo "$@" >"$0.args"'
		echo "$2"
	} >"$bin/fuzz_$1"
	chmod +x "$bin/fuzz_$1"
}
done_line='echo "Done 1234 runs in 1 second(s)"'
stand_in ok "$done_line; echo stat::number_of_executed_units: 1234; exit 0"
stand_in crash 'echo "==1==ERROR: AddressSanitizer: SEGV"; : >"${p}crash-da39a3ee"; exit 1'
stand_in exit1 "$done_line; exit 1"
stand_in oom "$done_line; : >\"\${p}oom-da39a3ee\"; exit 0"
stand_in leak "$done_line; : >\"\${p}leak-da39a3ee\"; exit 0"
stand_in timeout "$done_line; : >\"\${p}timeout-da39a3ee\"; exit 0"
stand_in silent 'exit 0'

# fuzzrun NAME...: the recipe in a fresh directory; sets out and rc.
fuzzrun() {
	local dir
	dir=$(mktemp -d "$work/run.XXXXXX")
	out=$(cd "$dir" && sh "$run" "$bin" "$work/corpus" 1 "$@" 2>&1)
	rc=$?
	last=$dir
}

fuzzrun ok
status_is "a clean harness" "$rc" 0
check "a clean harness" "$out" "fuzz-run: no finding (1 harnesses)"
check "the seeds are passed" "$(cat "$bin/fuzz_ok.args")" "$work/corpus/ok"
check "the time is passed" "$(cat "$bin/fuzz_ok.args")" "-max_total_time=1"
check "artifacts go to fuzz-out/NAME/" "$(cat "$bin/fuzz_ok.args")" "-artifact_prefix=fuzz-out/ok/"
[ -s "$last/fuzz-out/ok.log" ]; status_is "the full output is kept" $? 0

for bad in crash exit1 oom leak timeout silent; do
	fuzzrun "$bad"
	status_is "fuzz_$bad" "$rc" 1
	check "fuzz_$bad" "$out" "fuzz_$bad FAILED"
	check "fuzz_$bad" "$out" "fuzz-run: FAILED: 1 of 1 harnesses"
done
fuzzrun crash
check "the crash input is named" "$out" "artifacts: fuzz-out/crash/crash-da39a3ee"
check "the sanitizer report is shown" "$out" "AddressSanitizer: SEGV"
fuzzrun silent
check "a harness that never fuzzed" "$out" "finished fuzzing: no"

# One failure among clean harnesses fails the run, and the rest still run.
fuzzrun ok oom ok
status_is "ok oom ok" "$rc" 1
check "ok oom ok" "$out" "FAILED: 1 of 3 harnesses"
n=$(grep -c '^== fuzz_ok' <<<"$out")
status_is "both clean harnesses ran" "$n" 2

# An artifact an earlier run left still fails; removing it passes again.
fuzzrun ok
mkdir -p "$last/fuzz-out/ok" && : >"$last/fuzz-out/ok/crash-0ld"
out=$(cd "$last" && sh "$run" "$bin" "$work/corpus" 1 ok 2>&1)
status_is "an old crash- file" $? 1
rm "$last/fuzz-out/ok/crash-0ld"
out=$(cd "$last" && sh "$run" "$bin" "$work/corpus" 1 ok 2>&1)
status_is "the old crash- file removed" $? 0

fuzzrun missing
status_is "a missing harness" "$rc" 1
(sh "$run" "$bin" "$work/corpus" 1 >/dev/null 2>&1)
status_is "no harness named" $? 2

finish
