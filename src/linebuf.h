/* linebuf.h - a bounded line reader over a transport.
 *
 * Lines end in LF (CRLF or bare LF; the caller is told which).  A line
 * longer than BOUND_LINE_ACCEPT is cut there, the rest of it read and
 * counted up to BOUND_REPLY_SKIP bytes (then FAULT_PROTOCOL): memory use
 * is fixed by the struct's size.
 */
#ifndef SMTPROBE_LINEBUF_H
#define SMTPROBE_LINEBUF_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "fault.h"
#include "xport.h"

/* A line longer than BOUND_LINE_ACCEPT keeps its first bytes in the first
 * half of buf; the rest of it is read through the second half, counted
 * and dropped, until its LF (at most BOUND_REPLY_SKIP bytes). */
#define LINEBUF_KEEP (BOUND_LINE_ACCEPT + 2)

struct linebuf {
	char buf[2 * LINEBUF_KEEP];
	size_t start, end; /* unread bytes are buf[start..end) */
	size_t skipped;    /* bytes of the current over-long line dropped */
};

void linebuf_init(struct linebuf *lb);

/* Read the next line.  On success *line points into lb (valid until the
 * next call), *len excludes the line end, *full is the line's real length
 * (larger than *len when only its first BOUND_LINE_ACCEPT bytes were
 * kept) and *crlf says whether it ended in CRLF; returns 0.  On failure
 * returns -1 with f filled. */
int linebuf_read_line(struct linebuf *lb, struct xport *x, int64_t deadline, const char **line,
    size_t *len, size_t *full, int *crlf, struct fault *f);

/* Bytes received but not yet returned as lines. */
size_t linebuf_pending(const struct linebuf *lb);

/* The pending bytes themselves (*len of them; an over-long line's start
 * only: lb->skipped more were read and dropped). */
const char *linebuf_peek(const struct linebuf *lb, size_t *len);

/* Drop the pending bytes (after STARTTLS they must never be parsed). */
void linebuf_discard(struct linebuf *lb);

#endif
