#!/usr/bin/env bash
# The binary is built hardened: PIE, full RELRO (RELRO + BIND_NOW), a stack
# protector, Intel CET marks on x86, and _FORTIFY_SOURCE's checked functions where the build is
# not sanitized (sanitizers replace those).  Skipped for
# --disable-hardening.
set -u
: "${SMTPROBE:?SMTPROBE must name the smtprobe binary}"
if [ "${HARDENING:-yes}" != yes ]; then echo "SKIP: configured with --disable-hardening"; exit 77; fi
command -v readelf >/dev/null || { echo "SKIP: readelf (binutils) is not installed"; exit 77; }
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass + 1)); else echo "FAIL: $1"; fail=$((fail + 1)); fi; }

ok "PIE (ELF type DYN)" "readelf -h '$SMTPROBE' | grep -q 'Type:.*DYN'"
ok "RELRO segment" "readelf -l '$SMTPROBE' | grep -q GNU_RELRO"
ok "BIND_NOW (full RELRO)" "readelf -d '$SMTPROBE' | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
ok "stack protector" "readelf -s --dyn-syms '$SMTPROBE' | grep -q __stack_chk_fail"
# Intel CET (-fcf-protection): every object smtprobe compiles carries the
# IBT and SHSTK marks.  The linked binary keeps them only when every input
# has them: Debian 12's C start files (Scrt1.o, crti.o) have none, so
# there the binary is unmarked whatever smtprobe does; that is said, not
# failed.
case "$(uname -m)" in
x86_64 | i?86)
	lib="$(dirname "$SMTPROBE")/libsmtprobe.a"
	if [ -f "$lib" ]; then
		members=$(ar t "$lib" | grep -c '\.o$')
		marked=$(readelf -n "$lib" | grep -c 'x86 feature:.*IBT.*SHSTK')
		ok "CET marks (IBT, SHSTK) on every object ($marked of $members)" "[ '$marked' -eq '$members' ]"
	else
		echo "note: $lib not found, CET marks of the objects not checked"
	fi
	if readelf -n "$SMTPROBE" | grep -q 'x86 feature:.*IBT.*SHSTK'; then
		echo "note: the binary is CET-marked (IBT, SHSTK)"
	else
		echo "note: the binary is not CET-marked: a start file or library linked in is not (the linker keeps a mark only when all inputs have it)"
	fi
	;;
*) echo "note: $(uname -m): no CET, -fcf-protection not checked" ;;
esac
if readelf -s --dyn-syms "$SMTPROBE" | grep -q '__asan_init'; then
	echo "note: sanitizer build, _FORTIFY_SOURCE not checked"
else
	ok "_FORTIFY_SOURCE (checked functions)" "readelf -s --dyn-syms '$SMTPROBE' | grep -q '__[a-z]*_chk'"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
