/* libFuzzer: the known-reply matcher.  The first bytes choose the command,
 * the code and the enhanced code; the rest is the reply text, matched
 * against every row, and the first NUL-free part is also used as a
 * pattern against the rest (the glob on its own). */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srvreply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const enhs[] = {
	    "", "5.1.1", "4.7.0", "5.7.1", "5.7.26", "5.1.10", "4.2.1"};
	const struct srv_row *r;
	enum smtp_cmd cmd;
	char *pat;
	size_t plen;
	int code;

	if (size < 3) {
		return 0;
	}
	cmd = (enum smtp_cmd)(data[0] % SMTP_CMD_COUNT);
	code = 200 + (data[1] % 4) * 100 + data[2] % 60;
	r = srvreply_match(
	    cmd, code, enhs[data[0] / SMTP_CMD_COUNT % 7], (const char *)data + 3, size - 3);
	if (r != NULL &&
	    !srvreply_row_matches(r, cmd, code, enhs[data[0] / SMTP_CMD_COUNT % 7],
	        (const char *)data + 3, size - 3)) {
		abort();
	}
	plen = strnlen((const char *)data + 3, size - 3);
	pat = malloc(plen + 1);
	if (pat != NULL) {
		memcpy(pat, data + 3, plen);
		pat[plen] = '\0';
		if (plen < size - 3) {
			(void)srvreply_glob(pat, (const char *)data + 4 + plen, size - 4 - plen);
		}
		/* A pattern always matches its own text with '*' taken as itself. */
		if (!srvreply_glob(pat, pat, plen)) {
			abort();
		}
		free(pat);
	}
	return 0;
}
