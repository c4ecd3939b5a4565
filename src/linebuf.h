/* linebuf.h - a bounded line reader over a transport.
 *
 * Lines end in LF (CRLF or bare LF; the caller is told which).  A line
 * longer than BOUND_LINE_ACCEPT ends the read with a FAULT_PROTOCOL:
 * memory use is fixed by the struct's size.
 */
#ifndef SMTPROBE_LINEBUF_H
#define SMTPROBE_LINEBUF_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "fault.h"
#include "xport.h"

struct linebuf {
	char buf[BOUND_LINE_ACCEPT + 2];   /* a whole line plus CR LF */
	size_t start, end;                 /* unread bytes are buf[start..end) */
};

void linebuf_init(struct linebuf *lb);

/* Read the next line.  On success *line points into lb (valid until the
 * next call), *len excludes the line end and *crlf says whether it was
 * CRLF; returns 0.  On failure returns -1 with f filled. */
int linebuf_read_line(struct linebuf *lb, struct xport *x, int64_t deadline,
    const char **line, size_t *len, int *crlf, struct fault *f);

/* Bytes received but not yet returned as lines. */
size_t linebuf_pending(const struct linebuf *lb);

/* The pending bytes themselves (*len of them). */
const char *linebuf_peek(const struct linebuf *lb, size_t *len);

/* Drop the pending bytes (after STARTTLS they must never be parsed). */
void linebuf_discard(struct linebuf *lb);

#endif
