#include <config.h>

#include <string.h>

#include "b64.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
b64_encode(const unsigned char *in, size_t len, char *out, size_t outsz)
{
	size_t need = 4 * ((len + 2) / 3), o = 0;

	if (outsz < need + 1) {
		return 0;
	}
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < len) {
			v |= (unsigned)in[i + 1] << 8;
		}
		if (i + 2 < len) {
			v |= in[i + 2];
		}
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

static int
b64_value(char c)
{
	const char *p;

	if (c == '\0') {
		return -1;
	}
	p = strchr(b64_alphabet, c);
	return p ? (int)(p - b64_alphabet) : -1;
}

int
b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outsz, size_t *outlen)
{
	size_t o = 0;

	if (inlen % 4 != 0) {
		return -1;
	}
	for (size_t i = 0; i < inlen; i += 4) {
		int v[4], pad = 0;
		unsigned w;

		for (int k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == inlen && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad > 0 || (v[k] = b64_value(in[i + k])) < 0) {
				return -1;
			}
		}
		w = ((unsigned)v[0] << 18) | ((unsigned)v[1] << 12) | ((unsigned)v[2] << 6) |
		    (unsigned)v[3];
		if (o + 3 - (size_t)pad > outsz) {
			return -1;
		}
		out[o++] = (unsigned char)(w >> 16);
		if (pad < 2) {
			out[o++] = (unsigned char)(w >> 8);
		}
		if (pad < 1) {
			out[o++] = (unsigned char)w;
		}
	}
	*outlen = o;
	return 0;
}
