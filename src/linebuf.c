#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "linebuf.h"

void
linebuf_init(struct linebuf *lb)
{
	lb->start = lb->end = 0;
	lb->skipped = 0;
}

size_t
linebuf_pending(const struct linebuf *lb)
{
	return lb->end - lb->start;
}

const char *
linebuf_peek(const struct linebuf *lb, size_t *len)
{
	*len = lb->end - lb->start;
	return lb->buf + lb->start;
}

void
linebuf_discard(struct linebuf *lb)
{
	lb->start = lb->end = 0;
	lb->skipped = 0;
}

/* The line in buf[0..BOUND_LINE_ACCEPT) is longer than that: read on,
 * counting and dropping, until its LF. */
static int
linebuf_skip_line(
    struct linebuf *lb, struct xport *x, int64_t deadline, size_t *full, int *crlf, struct fault *f)
{
	char *scratch = lb->buf + LINEBUF_KEEP;
	size_t skipped = lb->end - BOUND_LINE_ACCEPT; /* beyond what is kept */
	char prev = lb->buf[lb->end - 1];

	for (;;) {
		ssize_t n = xport_read(x, scratch, LINEBUF_KEEP, deadline, f);
		char *nl;

		if (n < 0) {
			/* What came of the line stays countable: the kept start
			 * is pending, the rest is in lb->skipped. */
			lb->end = BOUND_LINE_ACCEPT;
			lb->skipped = skipped;
			return -1;
		}
		nl = memchr(scratch, '\n', (size_t)n);
		if (nl != NULL) {
			size_t before = (size_t)(nl - scratch);

			*crlf = before > 0 ? nl[-1] == '\r' : prev == '\r';
			skipped += before;
			*full = BOUND_LINE_ACCEPT + skipped - (*crlf ? 1 : 0);
			lb->start = LINEBUF_KEEP + before + 1;
			lb->end = LINEBUF_KEEP + (size_t)n;
			if (lb->start == lb->end) {
				lb->start = lb->end = 0;
			}
			return 0;
		}
		skipped += (size_t)n;
		prev = scratch[n - 1];
		if (skipped > BOUND_REPLY_SKIP) {
			lb->end = BOUND_LINE_ACCEPT;
			lb->skipped = skipped;
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("reply line longer than %d bytes; the rest was not read"),
			    BOUND_REPLY_SKIP);
		}
	}
}

int
linebuf_read_line(struct linebuf *lb, struct xport *x, int64_t deadline, const char **line,
    size_t *len, size_t *full, int *crlf, struct fault *f)
{
	size_t scanned = 0;

	lb->skipped = 0;
	for (;;) {
		char *base = lb->buf + lb->start;
		size_t avail = lb->end - lb->start;
		char *nl = memchr(base + scanned, '\n', avail - scanned);
		ssize_t n;

		if (nl != NULL) {
			size_t l = (size_t)(nl - base);

			*line = base;
			*crlf = l > 0 && base[l - 1] == '\r';
			*len = *crlf ? l - 1 : l;
			*full = *len;
			lb->start += l + 1;
			if (lb->start == lb->end) {
				lb->start = lb->end = 0;
			}
			return 0;
		}
		scanned = avail;
		if (lb->start > 0) {
			memmove(lb->buf, base, avail);
			lb->start = 0;
			lb->end = avail;
		}
		if (avail >= LINEBUF_KEEP) {
			/* Longer than any line is allowed to be: keep its start. */
			if (linebuf_skip_line(lb, x, deadline, full, crlf, f) != 0) {
				return -1;
			}
			*line = lb->buf;
			*len = BOUND_LINE_ACCEPT;
			return 0;
		}
		n = xport_read(x, lb->buf + lb->end, LINEBUF_KEEP - lb->end, deadline, f);
		if (n < 0) {
			if (f->cls == FAULT_CLOSED && lb->end > lb->start) {
				snprintf(f->msg, sizeof(f->msg),
				    "the server closed the connection in the middle of a line");
			}
			return -1;
		}
		lb->end += (size_t)n;
	}
}
