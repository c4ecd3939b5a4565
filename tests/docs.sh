#!/usr/bin/env bash
# The docs keep up with the code: every finding id is documented in
# docs/monitoring.md (the table tools/findings-md makes from src/finding.c,
# with its meaning, why and fix), every long option of --help is in
# README.md, the man page and --help agree, and README.md's package list
# is what tools/deps installs.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
pass=0 fail=0

ids=$(sed -n 's/^[[:space:]]*\[F_[A-Z0-9_]*\] = {"\([a-z0-9-]*\)".*/\1/p' "$top/src/finding.c")
[ -n "$ids" ] || { echo "FAIL: no finding ids found in src/finding.c"; exit 1; }
for id in $ids; do
	if grep -q "| \`$id\` |" "$top/docs/monitoring.md"; then pass=$((pass + 1)); else
		echo "FAIL: finding '$id' is not in docs/monitoring.md"; fail=$((fail + 1)); fi
done
# The table is the one tools/findings-md prints now: no text out of date.
if command -v python3 >/dev/null; then
	table=$(python3 "$top/tools/findings-md") || { echo "FAIL: tools/findings-md failed"; exit 1; }
	doc=$(sed -n '/^<!-- findings table/,/^<!-- end of findings table/p' "$top/docs/monitoring.md" | sed '1d;$d')
	if [ "$table" = "$doc" ]; then pass=$((pass + 1)); else
		echo "FAIL: the findings table in docs/monitoring.md is out of date: run tools/findings-md --update"
		diff <(printf '%s\n' "$doc") <(printf '%s\n' "$table") | head -20
		fail=$((fail + 1)); fi
	if [ "$(grep -c '^| `' <<<"$table")" -eq "$(wc -w <<<"$ids")" ]; then pass=$((pass + 1)); else
		echo "FAIL: tools/findings-md printed $(grep -c '^| `' <<<"$table") rows for $(wc -w <<<"$ids") findings"
		fail=$((fail + 1)); fi
fi
for opt in $("$SMTPROBE" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
	if grep -q -- "$opt" "$top/README.md"; then pass=$((pass + 1)); else
		echo "FAIL: option $opt is not in README.md"; fail=$((fail + 1)); fi
done
# The man page and --help name the same long options, both ways.
man="$top/docs/smtprobe.1"
help_opts=$("$SMTPROBE" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
man_opts=$(sed -n 's/.*Fl \\-\([a-z][a-z0-9\\-]*\).*/--\1/p' "$man" | sed 's/\\//g' | sort -u)
for opt in $help_opts; do
	if grep -qx -- "$opt" <<<"$man_opts"; then pass=$((pass + 1)); else
		echo "FAIL: $opt is in --help but not in the man page"; fail=$((fail + 1)); fi
done
explain_opts=$("$SMTPROBE" explain --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
findings_opts=$("$SMTPROBE" findings --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
serve_opts=$("$SMTPROBE" serve --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
for opt in $man_opts; do
	if grep -qx -- "$opt" <<<"$help_opts" || grep -qx -- "$opt" <<<"$explain_opts" ||
		grep -qx -- "$opt" <<<"$findings_opts" || grep -qx -- "$opt" <<<"$serve_opts"; then
		pass=$((pass + 1)); else
		echo "FAIL: $opt is in the man page but not in --help"; fail=$((fail + 1)); fi
done
# The subcommands: named by --help and documented in the man page, both ways.
help_cmds=$("$SMTPROBE" --help | sed -n 's/^ *\(Usage:\)\{0,1\} *smtprobe \([a-z][a-z]*\) .*/\2/p' | sort -u)
man_cmds=$(sed -n 's/^\.Cm \([a-z][a-z]*\)$/\1/p' "$man" | sort -u)
for cmd in explain findings serve; do
	if grep -qx "$cmd" <<<"$help_cmds" && grep -qx "$cmd" <<<"$man_cmds"; then pass=$((pass + 1)); else
		echo "FAIL: subcommand $cmd: --help names '$help_cmds', the man page '$man_cmds'"; fail=$((fail + 1)); fi
done
for cmd in $help_cmds; do
	if grep -qx "$cmd" <<<"$man_cmds"; then pass=$((pass + 1)); else
		echo "FAIL: --help names 'smtprobe $cmd', the man page does not"; fail=$((fail + 1)); fi
done
if command -v groff >/dev/null; then
	if warnings=$(groff -mdoc -ww -z -Tutf8 "$man" 2>&1) && [ -z "$warnings" ]; then pass=$((pass + 1)); else
		echo "FAIL: groff warns about the man page: $warnings"; fail=$((fail + 1)); fi
fi
if command -v mandoc >/dev/null; then
	if mandoc -T lint -W warning "$man" >/dev/null 2>&1; then pass=$((pass + 1)); else
		echo "FAIL: mandoc -T lint:"; mandoc -T lint -W warning "$man"; fail=$((fail + 1)); fi
fi

# README's package list is `tools/deps --list`, word for word.
readme_deps=$(sed -n '/^<!-- deps-list -->$/,/^<!-- \/deps-list -->$/p' "$top/README.md" | sed '1d;$d' | grep -v '^```')
if [ -z "$readme_deps" ]; then
	echo "FAIL: README.md has no <!-- deps-list --> block"; fail=$((fail + 1))
elif deps=$(env -u SMTPROBE_CACHE bash "$top/tools/deps" --list) && [ "$deps" = "$readme_deps" ]; then
	pass=$((pass + 1))
else
	echo "FAIL: README.md's package list is not tools/deps --list (- README, + tools/deps):"
	diff -u <(echo "$readme_deps") <(echo "$deps"); fail=$((fail + 1))
fi
# Every package in tools/deps's sets is named in that list (the list is
# printed from the sets, but a set tools/deps installs and does not list
# would slip by).
for pkg in $(sed -n '/^[a-z_]*=($/,/^)$/p' "$top/tools/deps" | sed 's/#.*//; /=(/d; /^)/d'); do
	if grep -qw -- "$pkg" <<<"$readme_deps"; then pass=$((pass + 1)); else
		echo "FAIL: tools/deps installs $pkg, README.md does not list it"; fail=$((fail + 1)); fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
