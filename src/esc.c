#include <config.h>

#include <stdio.h>
#include <string.h>

#include "esc.h"

/* Room kept at the end of out for the "[+N bytes]" marker. */
#define ESC_MARKER_ROOM 24

size_t
esc_utf8_len(const unsigned char *s, size_t avail, unsigned long *cp)
{
	unsigned char c = s[0];
	size_t need;
	unsigned long v;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		v = c & 0x0F;
		if (c == 0xE0) {
			lo = 0xA0; /* no overlong forms */
		} else if (c == 0xED) {
			hi = 0x9F; /* no UTF-16 surrogates */
		}
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		v = c & 0x07;
		if (c == 0xF0) {
			lo = 0x90;
		} else if (c == 0xF4) {
			hi = 0x8F; /* nothing above U+10FFFF */
		}
	} else {
		return 0;
	}
	if (avail < need) {
		return 0;
	}
	for (size_t i = 1; i < need; i++) {
		unsigned char b = s[i];
		unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;

		if (b < l || b > h) {
			return 0;
		}
		v = (v << 6) | (b & 0x3F);
	}
	*cp = v;
	return need;
}

/* Code points that reorder or hide text on a terminal. */
static int
esc_is_bidi(unsigned long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	    cp == 0x200F || cp == 0x061C;
}

char *
esc_text(const char *s, size_t len, char *out, size_t outsz)
{
	return esc_text_cs(s, len, out, outsz, 1);
}

char *
esc_text_cs(const char *s, size_t len, char *out, size_t outsz, int utf8)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;
	size_t limit = outsz > ESC_MARKER_ROOM ? outsz - ESC_MARKER_ROOM : 1;

	while (i < len) {
		char piece[16];
		size_t plen, step;
		unsigned long cp = 0;

		/* A single-byte charset has no sequences: each byte stands
		 * alone, and 0x80-0x9F are C1 controls (0x9B CSI, 0x9D OSC). */
		step = utf8 ? esc_utf8_len(u + i, len - i, &cp) : 1;
		if (!utf8 && u[i] >= 0x80) {
			if (u[i] < 0xA0) {
				snprintf(piece, sizeof(piece), "\\x%02X", u[i]);
			} else {
				piece[0] = (char)u[i];
				piece[1] = '\0';
			}
		} else if (step == 0) {
			snprintf(piece, sizeof(piece), "\\x%02X", u[i]);
			step = 1;
		} else if (step == 1) {
			if (u[i] == '\\') {
				memcpy(piece, "\\\\", 3);
			} else if (u[i] < 0x20 || u[i] == 0x7F) {
				snprintf(piece, sizeof(piece), "\\x%02X", u[i]);
			} else {
				piece[0] = (char)u[i];
				piece[1] = '\0';
			}
		} else if (cp < 0xA0 || esc_is_bidi(cp)) {
			snprintf(piece, sizeof(piece), "\\u{%04lX}", cp);
		} else {
			memcpy(piece, u + i, step);
			piece[step] = '\0';
		}
		plen = strlen(piece);
		if (o + plen >= limit) {
			/* Fits only if it is the very last piece and the marker
			 * room is not needed. */
			if (i + step == len && o + plen < outsz) {
				memcpy(out + o, piece, plen);
				o += plen;
				i += step;
				break;
			}
			snprintf(out + o, outsz - o, "[+%zu bytes]", len - i);
			return out;
		}
		memcpy(out + o, piece, plen);
		o += plen;
		i += step;
	}
	out[o] = '\0';
	return out;
}
