/* libFuzzer: the reply parser, fed as whole buffers and line by line,
 * and the escaping of every line it keeps. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "esc.h"
#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply r;
	char out[256];
	size_t i = 0;

	reply_init(&r);
	(void)reply_parse(&r, (const char *)data, size);
	for (size_t k = 0; k < r.nlines; k++) {
		esc_text(r.lines[k].text, r.lines[k].len, out, sizeof(out));
	}
	reply_free(&r);

	/* Line by line, as the session feeds it, CRLF or bare LF. */
	reply_init(&r);
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) : size;
		size_t len = end - i;
		int crlf = len > 0 && data[end - 1] == '\r';

		if (reply_add_line(&r, (const char *)data + i, crlf ? len - 1 : len, crlf) !=
		    REPLY_MORE) {
			break;
		}
		i = end + 1;
	}
	reply_free(&r);
	return 0;
}
