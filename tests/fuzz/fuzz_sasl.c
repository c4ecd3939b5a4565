/* libFuzzer: base64 and the SASL client answering a hostile server's
 * challenges (what a 334 reply can carry), for every mechanism. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "b64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const mechs[] = {
    "PLAIN",
    "LOGIN",
    "CRAM-MD5",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "XOAUTH2",
    "OAUTHBEARER",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char pw[] = "pencil", tok[] = "token";
	struct secret password = {pw, sizeof(pw) - 1}, token = {tok, sizeof(tok) - 1};
	struct auth_creds c = {.user = "user", .password = &password, .token = &token};
	unsigned char dec[4096];
	size_t dlen;
	char *text, *chal, *resp = NULL, enc[8192];
	struct auth_session *a;
	struct fault f;

	if (size == 0) {
		return 0;
	}
	text = malloc(size + 1);
	if (text == NULL) {
		return 0;
	}
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	(void)b64_decode(text, size - 1, dec, sizeof(dec), &dlen);
	/* The challenge as a server would send it: base64 of the raw bytes. */
	chal = text;
	if (size - 1 < 3000 &&
	    b64_encode((const unsigned char *)text, size - 1, enc, sizeof(enc)) > 0 &&
	    (data[0] & 0x80)) {
		chal = enc;
	}
	if (auth_start(&a, mechs[data[0] % (sizeof(mechs) / sizeof(mechs[0]))], &c, &f) == 0) {
		if (auth_initial(a, &resp, &f) == 0) {
			auth_free_response(resp);
			resp = NULL;
			for (int k = 0; k < 3 && auth_step(a, chal, INT64_MAX, &resp, &f) == 0;
			     k++) {
				auth_free_response(resp);
				resp = NULL;
			}
		}
		auth_end(a);
	}
	free(text);
	return 0;
}
