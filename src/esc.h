/* esc.h - make untrusted server text safe for a terminal or a log.
 *
 * Pure: no I/O.  Used at the render boundary, never on stored data.
 */
#ifndef SMTPROBE_ESC_H
#define SMTPROBE_ESC_H

#include <stddef.h>

/* Render len bytes of s into out (outsz bytes, outsz >= 32), always
 * NUL-terminated.  Printable ASCII and well-formed UTF-8 pass through;
 * control bytes (C0, DEL, C1), bytes of malformed UTF-8, and the
 * bidirectional override characters are written as \xNN (or \u{NNNN});
 * a backslash is written as \\.  When the rendering does not fit, it is
 * cut at a character boundary and ends in "[+N bytes]" so the cut is
 * visible.  Returns out. */
char *esc_text(const char *s, size_t len, char *out, size_t outsz);

/* The same for a terminal in the charset utf8 says: non-zero for UTF-8
 * (esc_text), zero for a single-byte charset such as ISO-8859-1, where
 * every byte stands alone: C0, DEL and the C1 controls 0x80-0x9F (0x9B is
 * CSI there, 0x9D OSC) are written as \xNN, 0xA0-0xFF pass. */
char *esc_text_cs(const char *s, size_t len, char *out, size_t outsz, int utf8);

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when the
 * bytes at s are not one (malformed, overlong, surrogate, > U+10FFFF,
 * truncated).  Sets *cp to the code point when it returns non-zero. */
size_t esc_utf8_len(const unsigned char *s, size_t avail, unsigned long *cp);

#endif
