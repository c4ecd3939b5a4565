/* libFuzzer: the HTTP/1.1 response parser and the request builder.
 *
 * The first byte chooses the piece size and whether the server closed;
 * the rest is the response.  It is parsed whole, then fed in pieces of
 * that size: both must end in the same state with the same status, body
 * and flags (the parser may not depend on where reads end), the body may
 * never pass its bound, and a request is built from the input split at
 * its first NUL (it must be refused or free of CR, LF and NUL). */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_http_request(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t hl = nul != NULL ? (size_t)(nul - data) : size;
	char out[256];
	int n;

	if (nul == NULL) {
		return;
	}
	n = http_request_get(
	    (const char *)data, hl, (const char *)nul + 1, size - hl - 1, out, sizeof(out));
	if (n < 0) {
		return;
	}
	if ((size_t)n >= sizeof(out) || memchr(out, 0, (size_t)n) != NULL) {
		abort();
	}
	/* CR and LF only as line ends: every CR is followed by LF, and the
	 * only empty line is the last. */
	for (int i = 0; i < n; i++) {
		if ((out[i] == '\r') != (i + 1 < n && out[i + 1] == '\n')) {
			abort();
		}
		if (out[i] == '\n' && out[i - 1] != '\r') {
			abort();
		}
	}
	if (strstr(out, "\r\n\r\n") != out + n - 4) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char body1[256], body2[256];
	static struct http_parser p;
	struct http_response r1, r2;
	enum http_state s1, s2;
	size_t piece, cap;
	int eof;

	if (size < 1) {
		return 0;
	}
	piece = (size_t)(data[0] & 0x3f) + 1;
	eof = (data[0] & 0x40) != 0;
	cap = (data[0] & 0x80) ? sizeof(body1) : 16;
	data++;
	size--;
	s1 = http_parse(data, size, eof, &r1, body1, cap);
	http_parser_init(&p, &r2, body2, cap);
	s2 = HTTP_MORE;
	for (size_t i = 0; i < size; i += piece) {
		s2 = http_feed(&p, data + i, size - i < piece ? size - i : piece);
	}
	if (eof) {
		s2 = http_finish(&p);
	}
	if (s1 != s2 || r1.status != r2.status || r1.body_len != r2.body_len || r1.body_len > cap ||
	    memcmp(body1, body2, r1.body_len) != 0 || r1.head_done != r2.head_done ||
	    strcmp(r1.content_type, r2.content_type) != 0 ||
	    strcmp(r1.location, r2.location) != 0 || r1.flags != r2.flags) {
		abort();
	}
	if ((s1 == HTTP_BAD || s1 == HTTP_TRUNCATED) && r1.why[0] == '\0') {
		abort();
	}
	(void)http_is_text_plain(&r1);
	fuzz_http_request(data, size);
	return 0;
}
