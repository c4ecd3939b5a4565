#!/usr/bin/env bash
# The translations: every catalogue in po/ complete (msgfmt --check
# --statistics: no untranslated, no fuzzy entry against the current
# template), and each language giving the whole explanation and the
# comparison, by LANGUAGE, by --lang, under LC_ALL=C.UTF-8 and with a
# locale named in LANG that is not installed.  Machine formats stay
# English unless --lang asks.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
here=$(cd "$(dirname "$0")" && pwd)
top=${top_srcdir:-$here/..}
. "$here/lib/testlib.sh"

command -v msgfmt >/dev/null && command -v msgmerge >/dev/null || skip "gettext (msgfmt, msgmerge) is not installed"
[ -f "$top/po/smtprobe.pot" ] || skip "po/smtprobe.pot is not built yet (make builds it)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SMTPROBE_LOCALEDIR=$tmp/locale

# Every catalogue complete and valid.
stats=$(i18n_catalogues "$top" "$SMTPROBE_LOCALEDIR") || { echo "FAIL: $stats"; exit 1; }
echo "$stats"
langs=$(grep -v '^#' "$top/po/LINGUAS")
for lang in $langs; do
	line=$(grep "^$lang: " <<<"$stats")
	if [[ "$line" =~ ^$lang:\ [0-9]+\ translated\ messages\.$ ]]; then pass=$((pass + 1)); else
		echo "FAIL: $lang is not complete: $line"; fail=$((fail + 1)); fi
done

# --lang takes exactly po/LINGUAS and English (src/i18n.c keeps the list).
want="en $(echo $langs)"
got=$(sed -n 's/^const char i18n_langs\[\] = "\(.*\)";/\1/p' "$top/src/i18n.c")
if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
	echo "FAIL: src/i18n.c lists '$got', po/LINGUAS gives '$want'"; fail=$((fail + 1)); fi

# Every source file with marked strings is in po/POTFILES.in.
for f in $(cd "$top" && grep -l '_("\|N_(\|P_(' src/*.c); do
	if grep -qx "$f" "$top/po/POTFILES.in"; then pass=$((pass + 1)); else
		echo "FAIL: $f has translatable strings but is not in po/POTFILES.in"; fail=$((fail + 1)); fi
done

# Words each language must show: a label, the comparison's heading, the
# title of 504, and a catalogue explanation of 235.
declare -A label=([de]=Bedeutung [fr]=sens [vi]="ý nghĩa" [zh_CN]=含义)
declare -A compare=([de]="Wichtigste Unterschiede: 235 und 504" [fr]="Différences principales : 235 et 504"
	[vi]="Khác biệt chính: 235 và 504" [zh_CN]="主要区别：235 与 504")
declare -A title=([de]="Befehlsparameter nicht implementiert" [fr]="Paramètre de commande non implémenté"
	[vi]="Tham số lệnh không được triển khai" [zh_CN]="命令参数未实现")
declare -A success=([de]="Authentifizierung erfolgreich" [fr]="Authentification réussie"
	[vi]="Xác thực thành công" [zh_CN]="认证成功")
compare[fr]=${compare[fr]/ :/$'\xc2\xa0':}

english=$(env -i "$SMTPROBE" explain 235 504)
check "English by default" "$english" "Key differences: 235 and 504"

# Lines of the English explanation that are prose (three words in a row,
# not the RFC's quoted text): none of them may survive translation.
prose=$(grep -E '[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}' <<<"$english" | grep -v '"' | sed 's/^ *//')

untranslated() {
	local name=$1 out=$2 line n=0
	while IFS= read -r line; do
		if [[ "$out" == *"$line"* ]]; then
			echo "FAIL: $name: English left: $line"; n=$((n + 1))
		fi
	done <<<"$prose"
	if [ "$n" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

for lang in $langs; do
	one=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" LANGUAGE=$lang "$SMTPROBE" explain 504)
	check "$lang: explain 504, label" "$one" "${label[$lang]}"
	check "$lang: explain 504, title" "$one" "504  ${title[$lang]}"
	for env in "LANGUAGE=$lang" "LC_ALL=C.UTF-8 LANGUAGE=$lang" "LC_ALL=C LANGUAGE=$lang"; do
		# shellcheck disable=SC2086
		two=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" $env "$SMTPROBE" explain 235 504)
		check "$lang ($env): explain 235 504, comparison" "$two" "${compare[$lang]}"
		check "$lang ($env): explain 235 504, 235" "$two" "${success[$lang]}"
		check "$lang ($env): explain 235 504, 504" "$two" "${title[$lang]}"
		untranslated "$lang ($env): explain 235 504" "$two"
	done
	two=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" "$SMTPROBE" explain --lang "$lang" 235 504)
	check "$lang: explain --lang" "$two" "${compare[$lang]}"
	# A locale that is not installed still names the language.
	two=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" LANG="$lang.UTF-8" "$SMTPROBE" explain 235 504)
	check "$lang: LANG=$lang.UTF-8" "$two" "${compare[$lang]}"
	# JSON: English keys and ids, translated text.
	json=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" LANGUAGE=$lang "$SMTPROBE" explain --format json 504)
	if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
c = d["codes"][0]
assert d["schema"] == "smtprobe-explain/1" and c["basic"]["code"] == 504
assert sys.argv[2] in c["basic"]["meaning"], c["basic"]["meaning"]
' "$json" "${title[$lang]}"; then pass=$((pass + 1)); else
		echo "FAIL: $lang: explain --format json"; fail=$((fail + 1)); fi
	# Help and errors too.
	help=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" LANGUAGE=$lang "$SMTPROBE" --help)
	if [[ "$help" != *"deadline for each step"* && "$help" == *"--timeout SECONDS"* ]]; then pass=$((pass + 1)); else
		echo "FAIL: $lang: --help is not translated, or lost an option name"; fail=$((fail + 1)); fi
	wide=$(python3 -c '
import sys, unicodedata
print(max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) for l in sys.stdin.read().splitlines()))' <<<"$help")
	if [ "$wide" -le 80 ]; then pass=$((pass + 1)); else
		echo "FAIL: $lang: --help has a line of $wide columns"; fail=$((fail + 1)); fi
	err=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" LANGUAGE=$lang "$SMTPROBE" --port 0 x 2>&1)
	status_is "$lang: bad usage" $? 3
	if [[ "$err" == *"--port '0'"* && "$err" != *"must be a number"* ]]; then pass=$((pass + 1)); else
		echo "FAIL: $lang: usage error not translated: $err"; fail=$((fail + 1)); fi
done

# Layout: every code, every seed pair and a sample of pairs, in English and
# every language, fit 80 columns (CJK counted double) and no line or column
# starts with a mark Chinese typesetting keeps off the start of a line.
if python3 "$here/lib/layout.py" "$SMTPROBE" "$top" en $langs; then pass=$((pass + 1)); else
	echo "FAIL: explain's layout (above)"; fail=$((fail + 1)); fi

# The build tree speaks every language without `make install` and without
# SMTPROBE_LOCALEDIR: the build puts the catalogues in locale/ beside the
# binary, and smtprobe looks there when none are installed.
if [ -d "$(dirname "$SMTPROBE")/locale" ]; then
	for lang in $langs; do
		two=$(env -i LANGUAGE=$lang "$SMTPROBE" explain 235 504)
		check "$lang from the build tree (no SMTPROBE_LOCALEDIR)" "$two" "${compare[$lang]}"
	done
else
	echo "FAIL: the build made no locale/ beside $SMTPROBE"; fail=$((fail + 1))
fi

# English stays available whatever the environment says.
two=$(env -i SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" LANGUAGE=de "$SMTPROBE" explain --lang en 235 504)
check "--lang en under LANGUAGE=de" "$two" "Key differences: 235 and 504"
env -i "$SMTPROBE" explain --lang xx 504 >/dev/null 2>&1
status_is "--lang xx" $? 3
env -i "$SMTPROBE" --lang xx localhost >/dev/null 2>&1
status_is "probe --lang xx" $? 3


# A single-byte locale (de_DE.ISO-8859-1, built into a temporary LOCPATH
# with localedef; nothing on the machine changes): JSON is still UTF-8,
# and no key is lost to a translation Jansson would refuse as not UTF-8.
if command -v localedef >/dev/null && mkdir -p "$tmp/loc" &&
	localedef -i de_DE -f ISO-8859-1 "$tmp/loc/de_DE.ISO-8859-1" >/dev/null 2>&1; then
	json=$(env -i LOCPATH="$tmp/loc" LANG=de_DE.ISO-8859-1 SMTPROBE_LOCALEDIR="$SMTPROBE_LOCALEDIR" \
		"$SMTPROBE" explain --format json 235 504)
	if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
for c in d["codes"]:
    for k in ("class_name", "action"):
        assert k in c, k
for k in ("meaning", "when", "fix", "answers"):
    assert k in d["codes"][1]["basic"], k
assert "\u00e4ndern" in d["comparison"]["client_should"][1], d["comparison"]
' "$json"; then pass=$((pass + 1)); else
		echo "FAIL: de_DE.ISO-8859-1: explain --format json lost keys or is not UTF-8: $json"; fail=$((fail + 1)); fi
else
	echo "note: no de_DE.ISO-8859-1 locale could be built (localedef, locales); single-byte JSON not checked"
fi

finish
