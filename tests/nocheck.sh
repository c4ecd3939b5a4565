#!/usr/bin/env bash
# Run in place of the C unit tests when configure did not find Check: says
# which tests were not built and how to get them.  A skip, or a failure
# under CI=true (tests/lib/testlib.sh), never a silent pass.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/testlib.sh"
skip "the C unit tests (tests/check_*) were not built: configure did not find Check" \
	"(the Debian package check; tools/deps installs it), so run configure again after installing it"
