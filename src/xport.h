/* xport.h - one transport interface, plain or TLS, every call bounded by
 * a deadline.
 *
 * The session reads and writes through a struct xport and never knows
 * which kind it has; STARTTLS swaps the plain transport for a TLS one
 * over the same socket.
 */
#ifndef SMTPROBE_XPORT_H
#define SMTPROBE_XPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fault.h"

struct xport;

struct xport_ops {
	const char *name; /* for messages; the session never branches on it */
	int is_tls;       /* the bytes travel inside TLS */
	/* Read up to len bytes; returns the count (> 0), or -1 with f filled
	 * (FAULT_CLOSED at end of stream, FAULT_TIMEOUT past deadline). */
	ssize_t (*read)(struct xport *x, void *buf, size_t len, int64_t deadline, struct fault *f);
	/* Write all len bytes, or return -1 with f filled. */
	int (*write)(
	    struct xport *x, const void *buf, size_t len, int64_t deadline, struct fault *f);
	/* Read and drop whatever is already waiting, without blocking;
	 * returns the byte count (bytes injected after a STARTTLS reply). */
	size_t (*drain)(struct xport *x);
	/* Release what the implementation holds (not the socket: STARTTLS
	 * swaps the ops over the same fd, and xport_close closes it). */
	void (*release)(struct xport *x);
};

struct xport {
	const struct xport_ops *ops; /* NULL when closed */
	int fd;                      /* the non-blocking socket, -1 when none; this struct is its
	                                only owner (xport_close closes it) */
	void *impl;                  /* the implementation's state (an SSL * for TLS) */
};

/* Make x a plain transport over the non-blocking socket fd, which x now
 * owns. */
void xport_plain_init(struct xport *x, int fd);

/* A transport with nothing behind it (xport_close does nothing). */
void xport_none(struct xport *x);

/* Release the implementation's state and close the socket; x is then
 * closed (xport_none). */
void xport_close(struct xport *x);

/* Whether bytes written to x travel inside TLS (0 when closed). */
static inline int
xport_is_tls(const struct xport *x)
{
	return x->ops != NULL && x->ops->is_tls;
}

static inline ssize_t
xport_read(struct xport *x, void *buf, size_t len, int64_t deadline, struct fault *f)
{
	return x->ops->read(x, buf, len, deadline, f);
}

static inline int
xport_write(struct xport *x, const void *buf, size_t len, int64_t deadline, struct fault *f)
{
	return x->ops->write(x, buf, len, deadline, f);
}

/* Wait until fd is ready for events (POLLIN or POLLOUT) or the deadline
 * passes.  0 when ready, -1 with FAULT_TIMEOUT (or another fault). */
int xport_wait(int fd, short events, int64_t deadline, struct fault *f);

/* Read and drop whatever is already waiting on x, without blocking;
 * returns the number of bytes dropped (used to detect bytes injected
 * after a STARTTLS reply). */
static inline size_t
xport_drain_now(struct xport *x)
{
	return x->ops != NULL && x->ops->drain != NULL ? x->ops->drain(x) : 0;
}

#endif
