/* memxport.c - see memxport.h. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "memxport.h"

static const struct mx_event *
memxport_at(const struct memxport *mx, size_t i)
{
	return i < MX_SCRIPT_MAX ? &mx->script[i] : NULL;
}

static int
memxport_is_end(const struct mx_event *e)
{
	return e == NULL || e->ev == MX_END;
}

static int
memxport_is_write(const struct mx_event *e)
{
	return e != NULL && (e->ev == MX_EXPECT || e->ev == MX_LINE);
}

static void
memxport_err(struct memxport *mx, size_t ev, const char *what, const char *detail, size_t len)
{
	if (mx->error[0] == '\0') {
		snprintf(mx->error, sizeof(mx->error), "event %zu: %s%.*s", ev, what,
		    (int)(len < 120 ? len : 120), detail);
	}
}

/* Wait out the deadline as a silent server would make the client do. */
static void
memxport_wait_deadline(int64_t deadline)
{
	int left = clock_left_ms(deadline);

	if (left > 0) {
		struct timespec ts = {
		    .tv_sec = left / 1000, .tv_nsec = (long)(left % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
}

/* Move reads past the writes the client already made. */
static const struct mx_event *
memxport_read_event(struct memxport *mx)
{
	while (memxport_is_write(memxport_at(mx, mx->ev)) && mx->ev < mx->wev) {
		mx->ev++;
		mx->off = 0;
	}
	return memxport_at(mx, mx->ev);
}

static ssize_t
memxport_read(struct xport *x, void *buf, size_t len, int64_t deadline, struct fault *f)
{
	struct memxport *mx = x->impl;
	const struct mx_event *e = memxport_read_event(mx);
	size_t n;

	mx->reads++;
	if (memxport_is_end(e) || e->ev == MX_CLOSE) {
		return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
	}
	if (e->ev == MX_STALL) {
		memxport_wait_deadline(deadline);
		return fault_set(f, FAULT_TIMEOUT, 0, "no answer before the deadline");
	}
	if (memxport_is_write(e)) {
		/* The server waits for the client, which waits for the server. */
		memxport_err(mx, mx->ev, "read while the script expects a write of ", e->text,
		    strlen(e->text));
		memxport_wait_deadline(deadline);
		return fault_set(f, FAULT_TIMEOUT, 0, "no answer before the deadline");
	}
	n = strlen(e->text) - mx->off;
	n = n < len ? n : len;
	n = mx->chunk > 0 && n > mx->chunk ? mx->chunk : n;
	memcpy(buf, e->text + mx->off, n);
	mx->off += n;
	if (mx->off == strlen(e->text)) {
		mx->ev++;
		mx->off = 0;
	}
	return (ssize_t)n;
}

static void
memxport_keep(struct memxport *mx, const char *p, size_t len)
{
	size_t room = sizeof(mx->received) - 1 - mx->nreceived;

	len = len < room ? len : room;
	memcpy(mx->received + mx->nreceived, p, len);
	mx->nreceived += len;
	mx->received[mx->nreceived] = '\0';
}

static void
memxport_write_next(struct memxport *mx)
{
	mx->wev++;
	mx->woff = 0;
}

/* Take up to len bytes of a line the script expects to start with
 * e->text; returns the bytes taken, or 0 after recording a mismatch. */
static size_t
memxport_take_line(struct memxport *mx, const struct mx_event *e, const char *p, size_t len)
{
	size_t plen = strlen(e->text), n = 0;

	while (n < len) {
		if (mx->woff < plen && p[n] != e->text[mx->woff]) {
			memxport_err(mx, mx->wev, "line does not start with ", e->text, plen);
			return 0;
		}
		mx->woff++;
		if (p[n++] == '\n') {
			if (mx->woff <= plen) {
				memxport_err(mx, mx->wev, "line too short for ", e->text, plen);
				return 0;
			}
			memxport_write_next(mx);
			break;
		}
	}
	return n;
}

static size_t
memxport_take_exact(struct memxport *mx, const struct mx_event *e, const char *p, size_t len)
{
	size_t want = strlen(e->text) - mx->woff;
	size_t n = len < want ? len : want;

	if (memcmp(p, e->text + mx->woff, n) != 0) {
		memxport_err(
		    mx, mx->wev, "wrong bytes written; expected ", e->text, strlen(e->text));
		return 0;
	}
	mx->woff += n;
	if (mx->woff == strlen(e->text)) {
		memxport_write_next(mx);
	}
	return n;
}

static int
memxport_write(struct xport *x, const void *buf, size_t len, int64_t deadline, struct fault *f)
{
	struct memxport *mx = x->impl;
	const char *p = buf;

	(void)deadline;
	mx->writes++;
	while (len > 0) {
		const struct mx_event *e = memxport_at(mx, mx->wev);
		size_t n;

		if (memxport_is_end(e)) {
			memxport_keep(mx, p, len); /* the server reads on until the end */
			return 0;
		}
		if (e->ev == MX_CLOSE) {
			return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
		}
		if (!memxport_is_write(e)) {
			memxport_write_next(mx); /* the server's turn: written ahead */
			continue;
		}
		n = e->ev == MX_LINE ? memxport_take_line(mx, e, p, len)
		                     : memxport_take_exact(mx, e, p, len);
		if (n == 0) {
			return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
		}
		memxport_keep(mx, p, n);
		p += n;
		len -= n;
	}
	return 0;
}

/* What the server already sent: every MX_SEND up to the next other event. */
static size_t
memxport_drain(struct xport *x)
{
	struct memxport *mx = x->impl;
	size_t total = 0;

	for (const struct mx_event *e = memxport_read_event(mx); e != NULL && e->ev == MX_SEND;
	     e = memxport_read_event(mx)) {
		total += strlen(e->text) - mx->off;
		mx->ev++;
		mx->off = 0;
	}
	return total;
}

static void
memxport_release(struct xport *x)
{
	x->impl = NULL;
}

static const struct xport_ops memxport_plain_ops = {
    .name = "memory",
    .is_tls = 0,
    .read = memxport_read,
    .write = memxport_write,
    .drain = memxport_drain,
    .release = memxport_release,
};

static const struct xport_ops memxport_tls_ops = {
    .name = "memory-tls",
    .is_tls = 1,
    .read = memxport_read,
    .write = memxport_write,
    .drain = memxport_drain,
    .release = memxport_release,
};

void
memxport_init(struct xport *x, struct memxport *mx)
{
	mx->ev = mx->off = mx->wev = mx->woff = 0;
	mx->reads = mx->writes = mx->nreceived = 0;
	mx->error[0] = mx->received[0] = '\0';
	x->ops = mx->tls ? &memxport_tls_ops : &memxport_plain_ops;
	x->fd = -1;
	x->impl = mx;
}

int
memxport_done(const struct memxport *mx)
{
	const struct mx_event *r = memxport_at(mx, mx->ev);
	size_t i = mx->ev;

	/* Reads at the end (or a close), and no write the script wanted left. */
	while (memxport_is_write(r) && i < mx->wev) {
		r = memxport_at(mx, ++i);
	}
	return mx->error[0] == '\0' && (memxport_is_end(r) || r->ev == MX_CLOSE) &&
	    !memxport_is_write(memxport_at(mx, mx->wev));
}
