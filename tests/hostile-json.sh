#!/usr/bin/env bash
# Every JSON report the hostile suite produces (floods, malformed and
# non-SMTP replies, closed connections, bad certificates...) validates
# against docs/report.schema.json: no path writes what the schema forbids.
set -u
top=${top_srcdir:-..}
. "$top/tests/lib/testlib.sh"
python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed (tools/deps installs it)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
SMTPROBE_JSON_OUT=$out ./tests/check_hostile >/dev/null 2>&1
status_is "check_hostile" $? 0
# And the report of every recorded judge case, policy facts included.
SMTPROBE_JSON_OUT=$out ./tests/check_judge >/dev/null 2>&1
status_is "check_judge" $? 0
n=$(grep -c . "$out")
# One report per hostile case, certificate case, scripted test and judge case.
if [ "$n" -ge 280 ]; then pass=$((pass + 1)); else echo "FAIL: only $n reports written"; fail=$((fail + 1)); fi
python3 "$top/tests/lib/validate-json.py" "$top/docs/report.schema.json" <"$out" >"$out.why"
# The status first: the command substitution in the message resets $?.
rc=$?
status_is "every report fits the schema: $(cut -c1-300 "$out.why" | head -n 5)" $rc 0
rm -f "$out.why"
finish
