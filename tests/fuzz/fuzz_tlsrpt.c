/* libFuzzer: the TLS-RPT record (RFC 8460 §3) over any bytes, held to
 * what tlsrpt.h promises: a valid record starts with v=TLSRPTv1 and has at
 * least one rua URI (kept or counted), each kept one mailto: or https:,
 * whole and within its field; an invalid one keeps only why. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlsrpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *s = malloc(size > 0 ? size : 1);
	struct tlsrpt r;
	int rc;

	if (s == NULL) {
		return 0;
	}
	memcpy(s, data, size);
	rc = tlsrpt_parse(s, size, &r);
	if (rc != (r.valid ? 0 : -1) || r.nrua > TLSRPT_MAX_RUA ||
	    strnlen(r.error, sizeof(r.error)) >= sizeof(r.error)) {
		abort();
	}
	if (!r.valid) {
		if (r.error[0] == '\0' || r.nrua != 0 || r.rua_dropped != 0) {
			abort();
		}
	} else {
		if (r.error[0] != '\0' || r.nrua + r.rua_dropped == 0 || size < 10 ||
		    memcmp(s, "v=TLSRPTv1", 10) != 0) {
			abort();
		}
		for (size_t i = 0; i < r.nrua; i++) {
			size_t n = strnlen(r.rua[i], sizeof(r.rua[i]));

			if (n >= sizeof(r.rua[i]) ||
			    (strncasecmp(r.rua[i], "mailto:", 7) != 0 &&
			        strncasecmp(r.rua[i], "https://", 8) != 0) ||
			    memmem(s, size, r.rua[i], n) == NULL) {
				abort();
			}
		}
	}
	free(s);
	return 0;
}
