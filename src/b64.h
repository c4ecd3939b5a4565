/* b64.h - strict base64 (RFC 4648) for SASL, pure. */
#ifndef SMTPROBE_B64_H
#define SMTPROBE_B64_H

#include <stddef.h>

/* Encode len bytes into out (outsz >= 4 * ((len + 2) / 3) + 1).  Returns
 * the length written, or 0 when out is too small (and len > 0). */
size_t b64_encode(const unsigned char *in, size_t len, char *out, size_t outsz);

/* Decode in (inlen bytes, padding required, no white space) into out.
 * Returns 0 and sets *outlen, or -1 when in is not strict base64 or out
 * is too small. */
int b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outsz, size_t *outlen);

#endif
