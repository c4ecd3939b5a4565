/* libFuzzer: a harness that crashes on its first input, on purpose.
 * `make fuzz-selftest` runs the recipe of `make fuzz-run` on it and
 * requires a failure with a crash- file: proof that a crash found by
 * fuzzing fails CI.  It tests nothing of smtprobe and is not in
 * FUZZ_NAMES. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	abort();
}
