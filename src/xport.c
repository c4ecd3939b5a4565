#include <config.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "xport.h"

/* Acknowledge what arrives at once.  A server whose TCP stack holds a
 * small reply back until its previous segment is acknowledged (Nagle)
 * would otherwise wait for our delayed ACK, 40 ms on Linux, on every
 * exchange — after a TLS 1.3 handshake, for one, where the server's
 * session tickets go out just before its first reply.  Linux clears the
 * flag as it goes, so it is set again before each wait for input. */
static void
xport_quickack(int fd)
{
#ifdef TCP_QUICKACK
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
#else
	(void)fd;
#endif
}

int
xport_wait(int fd, short events, int64_t deadline, struct fault *f)
{
	if (events & POLLIN) {
		xport_quickack(fd);
	}
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int left = clock_left_ms(deadline);
		int n;

		if (left == 0) {
			return fault_set(f, FAULT_TIMEOUT, 0, _("no answer before the deadline"));
		}
		n = poll(&p, 1, left);
		if (n > 0) {
			return 0; /* ready, or an error the next call will report */
		}
		if (n == 0) {
			return fault_set(f, FAULT_TIMEOUT, 0, _("no answer before the deadline"));
		}
		if (errno != EINTR) {
			return fault_set(f, FAULT_INTERNAL, errno, _("poll: %s"), strerror(errno));
		}
	}
}

static ssize_t
xport_plain_read(struct xport *x, void *buf, size_t len, int64_t deadline, struct fault *f)
{
	for (;;) {
		ssize_t n = recv(x->fd, buf, len, 0);

		if (n > 0) {
			return n;
		}
		if (n == 0) {
			return fault_set(f, FAULT_CLOSED, 0, _("the server closed the connection"));
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (xport_wait(x->fd, POLLIN, deadline, f) != 0) {
				return -1;
			}
			continue;
		}
		if (errno == ECONNRESET) {
			return fault_set(
			    f, FAULT_CLOSED, errno, _("the server reset the connection"));
		}
		return fault_set(f, FAULT_CONNECT, errno, _("read: %s"), strerror(errno));
	}
}

static int
xport_plain_write(struct xport *x, const void *buf, size_t len, int64_t deadline, struct fault *f)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(x->fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (xport_wait(x->fd, POLLOUT, deadline, f) != 0) {
				return -1;
			}
			continue;
		}
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			return fault_set(
			    f, FAULT_CLOSED, errno, _("the server closed the connection"));
		}
		return fault_set(f, FAULT_CONNECT, errno, _("write: %s"), strerror(errno));
	}
	return 0;
}

/* Bounded: a flood stops the count at 1 MiB, evidence enough. */
static size_t
xport_plain_drain(struct xport *x)
{
	char buf[4096];
	size_t total = 0;

	for (;;) {
		ssize_t n = recv(x->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			total += (size_t)n;
			if (total > (1u << 20)) {
				break; /* a flood: enough evidence, stop reading */
			}
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		break;
	}
	return total;
}

static void
xport_plain_release(struct xport *x)
{
	(void)x;
}

static const struct xport_ops xport_plain_ops = {
    .name = "plain",
    .is_tls = 0,
    .read = xport_plain_read,
    .write = xport_plain_write,
    .drain = xport_plain_drain,
    .release = xport_plain_release,
};

void
xport_plain_init(struct xport *x, int fd)
{
	x->ops = &xport_plain_ops;
	x->fd = fd;
	x->impl = NULL;
}

void
xport_none(struct xport *x)
{
	x->ops = NULL;
	x->fd = -1;
	x->impl = NULL;
}

void
xport_close(struct xport *x)
{
	if (x->ops != NULL) {
		x->ops->release(x);
	}
	if (x->fd >= 0) {
		close(x->fd);
	}
	xport_none(x);
}
