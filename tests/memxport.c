/* memxport.c - see memxport.h. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "memxport.h"

static const struct mx_event *
memxport_now(const struct memxport *mx)
{
	return mx->ev < MX_SCRIPT_MAX ? &mx->script[mx->ev] : NULL;
}

static void
memxport_err(struct memxport *mx, const char *what, const char *detail, size_t len)
{
	if (mx->error[0] == '\0') {
		snprintf(mx->error, sizeof(mx->error), "event %zu: %s%.*s", mx->ev, what,
		    (int)(len < 120 ? len : 120), detail);
	}
}

/* Wait out the deadline as a silent server would make the client do. */
static void
memxport_wait_deadline(int64_t deadline)
{
	int left = clock_left_ms(deadline);

	if (left > 0) {
		struct timespec ts = {.tv_sec = left / 1000, .tv_nsec = (long)(left % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
}

static ssize_t
memxport_read(struct xport *x, void *buf, size_t len, int64_t deadline, struct fault *f)
{
	struct memxport *mx = x->impl;
	const struct mx_event *e = memxport_now(mx);
	size_t n;

	mx->reads++;
	if (e == NULL || e->ev == MX_END || e->ev == MX_CLOSE) {
		return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
	}
	if (e->ev == MX_STALL) {
		memxport_wait_deadline(deadline);
		return fault_set(f, FAULT_TIMEOUT, 0, "no answer before the deadline");
	}
	if (e->ev == MX_EXPECT) {
		/* The server waits for the client, which waits for the server. */
		memxport_err(mx, "read while the script expects a write of ", e->text, strlen(e->text));
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

static int
memxport_write(struct xport *x, const void *buf, size_t len, int64_t deadline, struct fault *f)
{
	struct memxport *mx = x->impl;
	const char *p = buf;

	(void)deadline;
	mx->writes++;
	while (len > 0) {
		const struct mx_event *e = memxport_now(mx);
		size_t want, n;

		if (e == NULL || e->ev == MX_END || e->ev == MX_CLOSE) {
			return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
		}
		if (e->ev != MX_EXPECT) {
			memxport_err(mx, "unexpected write: ", p, len);
			return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
		}
		want = strlen(e->text) - mx->off;
		n = len < want ? len : want;
		if (memcmp(p, e->text + mx->off, n) != 0) {
			memxport_err(mx, "wrong bytes written; expected ", e->text, strlen(e->text));
			return fault_set(f, FAULT_CLOSED, 0, "the server closed the connection");
		}
		p += n;
		len -= n;
		mx->off += n;
		if (mx->off == strlen(e->text)) {
			mx->ev++;
			mx->off = 0;
		}
	}
	return 0;
}

/* What the server already sent: every MX_SEND up to the next other event. */
static size_t
memxport_drain(struct xport *x)
{
	struct memxport *mx = x->impl;
	size_t total = 0;

	for (const struct mx_event *e = memxport_now(mx); e != NULL && e->ev == MX_SEND;
	    e = memxport_now(mx)) {
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
	mx->ev = mx->off = mx->reads = mx->writes = 0;
	mx->error[0] = '\0';
	x->ops = mx->tls ? &memxport_tls_ops : &memxport_plain_ops;
	x->fd = -1;
	x->impl = mx;
}

int
memxport_done(const struct memxport *mx)
{
	const struct mx_event *e = memxport_now(mx);

	return mx->error[0] == '\0' && (e == NULL || e->ev == MX_END || e->ev == MX_CLOSE);
}
