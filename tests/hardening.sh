#!/usr/bin/env bash
# The binary is built hardened: PIE, full RELRO (RELRO + BIND_NOW), a stack
# protector, and _FORTIFY_SOURCE's checked functions where the build is
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
if readelf -s --dyn-syms "$SMTPROBE" | grep -q '__asan_init'; then
	echo "note: sanitizer build, _FORTIFY_SOURCE not checked"
else
	ok "_FORTIFY_SOURCE (checked functions)" "readelf -s --dyn-syms '$SMTPROBE' | grep -q '__[a-z]*_chk'"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
