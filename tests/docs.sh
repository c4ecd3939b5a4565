#!/usr/bin/env bash
# The docs keep up with the code: every finding id is documented in
# docs/monitoring.md, and every long option of --help is in README.md.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
pass=0 fail=0

ids=$(sed -n 's/^\t\[F_[A-Z_]*\] = {"\([a-z0-9-]*\)".*/\1/p' "$top/src/finding.c")
[ -n "$ids" ] || { echo "FAIL: no finding ids found in src/finding.c"; exit 1; }
for id in $ids; do
	if grep -q "| \`$id\` |" "$top/docs/monitoring.md"; then pass=$((pass + 1)); else
		echo "FAIL: finding '$id' is not in docs/monitoring.md"; fail=$((fail + 1)); fi
done
for opt in $("$SMTPROBE" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
	if grep -q -- "$opt" "$top/README.md"; then pass=$((pass + 1)); else
		echo "FAIL: option $opt is not in README.md"; fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
