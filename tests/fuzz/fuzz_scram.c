/* libFuzzer: SCRAM's server-first-message parser over any bytes (NUL,
 * any length), holding it to what it promises: OK only for a message
 * whose parts lie inside the input, in the RFC 5802 order, with a count
 * inside the limit; and the time estimate over any count and rate. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *msg = malloc(size > 0 ? size : 1);
	struct scram_first sf;
	enum scram_sf_rc rc;
	uint64_t rate = 0;

	if (msg == NULL) {
		return 0;
	}
	memcpy(msg, data, size);
	rc = scram_parse_first(msg, size, 1000000, &sf);
	(void)scram_sf_reason(rc);
	if (rc == SCRAM_SF_OK) {
		if (memchr(msg, '\0', size) != NULL || size < 14 || memcmp(msg, "r=", 2) != 0 ||
		    sf.iter == 0 || sf.iter > 1000000 || sf.salt_len == 0 ||
		    sf.salt_len > sizeof(sf.salt) || sf.nonce != msg + 2 || sf.nonce_len == 0 ||
		    sf.nonce + sf.nonce_len > msg + size) {
			abort();
		}
	}
	if (size >= 8) {
		memcpy(&rate, data, sizeof(rate));
	}
	(void)scram_pbkdf2_fits(sf.iter, rate, (int64_t)(rate >> 1));
	(void)scram_pbkdf2_ms(rate, sf.iter);
	free(msg);
	return 0;
}
