/* libFuzzer: `explain`'s argument parser and renderer, with the input as
 * one argument and split in two at its first NUL. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "render_explain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b;
	char *argv[2];
	struct explain_code codes[2];
	struct fault f;
	size_t n;
	FILE *devnull;

	if (a == NULL) {
		return 0;
	}
	memcpy(a, data, size);
	a[size] = '\0';
	b = memchr(a, '\0', size) ? a + strlen(a) + 1 : NULL;
	argv[0] = a;
	argv[1] = b != NULL && b <= a + size ? b : NULL;
	devnull = fopen("/dev/null", "w");
	if (explain_args(argv[1] ? 2 : 1, argv, SMTP_ANY, codes, &n, &f) == 0 && devnull != NULL) {
		render_explain_text(devnull, codes, n);
		render_explain_json(devnull, codes, n);
	}
	if (devnull != NULL) {
		fclose(devnull);
	}
	free(a);
	return 0;
}
