/* libFuzzer: finding replies in pasted text, logs and bounces, then
 * explaining them as text and JSON (the whole path of `explain -`). */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_explain.h"
#include "replyscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_result *res = calloc(1, sizeof(*res));
	FILE *devnull;

	if (res == NULL) {
		return 0;
	}
	replyscan((const char *)data, size, res);
	if (res->n > BOUND_EXPLAIN_REPLIES) {
		abort();
	}
	for (size_t i = 0; i < res->n; i++) {
		const struct scan_reply *r = &res->r[i];

		if (r->code < 200 || r->code > 599 || r->text_len >= sizeof(r->text) ||
		    strlen(r->text) != r->text_len ||
		    memchr(r->rcpt, '\0', sizeof(r->rcpt)) == NULL) {
			abort();
		}
	}
	devnull = fopen("/dev/null", "w");
	if (devnull != NULL) {
		render_explain_replies_text(devnull, res, 0);
		render_explain_replies_json(devnull, res, 0);
		fclose(devnull);
	}
	free(res);
	return 0;
}
