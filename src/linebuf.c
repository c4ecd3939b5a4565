#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "linebuf.h"

void
linebuf_init(struct linebuf *lb)
{
	lb->start = lb->end = 0;
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
}

int
linebuf_read_line(struct linebuf *lb, struct xport *x, int64_t deadline,
    const char **line, size_t *len, int *crlf, struct fault *f)
{
	size_t scanned = 0;

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
			lb->start += l + 1;
			if (lb->start == lb->end) {
				lb->start = lb->end = 0;
			}
			return 0;
		}
		scanned = avail;
		if (avail >= sizeof(lb->buf)) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("reply line longer than %d bytes"), BOUND_LINE_ACCEPT);
		}
		if (lb->start > 0) {
			memmove(lb->buf, base, avail);
			lb->start = 0;
			lb->end = avail;
		}
		n = xport_read(x, lb->buf + lb->end, sizeof(lb->buf) - lb->end,
		    deadline, f);
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
