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

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when the
 * bytes at s are not one (malformed, overlong, surrogate, > U+10FFFF,
 * truncated).  Sets *cp to the code point when it returns non-zero. */
size_t esc_utf8_len(const unsigned char *s, size_t avail, unsigned long *cp);

#endif
