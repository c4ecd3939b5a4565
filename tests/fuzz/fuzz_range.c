/* libFuzzer: the threshold range parser. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct range r;
	struct fault f;

	if (s == NULL) {
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	if (range_parse(s, &r, &f) == 0) {
		(void)range_alert(&r, 0.0);
		(void)range_alert(&r, 1e300);
		(void)range_alert(&r, -1e300);
	}
	free(s);
	return 0;
}
