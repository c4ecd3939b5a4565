/* libFuzzer: the EHLO model over any reply the parser accepts. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "ehlo.h"
#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply r;
	struct ehlo e;
	struct param_issue iss[4];
	struct param p;
	struct fault f;

	reply_init(&r);
	if (reply_parse(&r, (const char *)data, size) == REPLY_DONE && ehlo_parse(&e, &r) == 0) {
		(void)ehlo_find(&e, "SIZE");
		(void)ehlo_has_auth(&e, "PLAIN");
		if (params_parse("SIZE=1000", &p, &f) == 0) {
			(void)params_check(&e, SMTP_MAIL, "a@b", &p, 1, iss, 4);
		}
		ehlo_free(&e);
	}
	reply_free(&r);
	return 0;
}
