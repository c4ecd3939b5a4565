#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"
#include "xport.h"

static void
net_addr_text(const struct sockaddr *sa, char *out, size_t outsz)
{
	const void *a = sa->sa_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr :
	    (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	if (inet_ntop(sa->sa_family, a, out, (socklen_t)outsz) == NULL) {
		snprintf(out, outsz, "?");
	}
}

static const char *
net_errno_words(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "connection refused (nothing listens on that port)";
	case ENETUNREACH:
		return "network unreachable";
	case EHOSTUNREACH:
		return "host unreachable";
	case ECONNRESET:
		return "connection reset";
	case EADDRNOTAVAIL:
		return "address not available on this machine";
	case EAFNOSUPPORT:
		return "address family not supported here";
	default:
		return strerror(e);
	}
}

/* One connect with a deadline; returns the socket or -1 with a fault. */
static int
net_try(const struct addrinfo *ai, int64_t deadline, struct fault *f)
{
	int fd, one = 1, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd < 0) {
		return fault_set(f, FAULT_CONNECT, errno, "%s", net_errno_words(errno));
	}
	/* SMTP is request and reply in small lines: send each at once. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
		return fd;
	}
	if (errno != EINPROGRESS) {
		fault_set(f, FAULT_CONNECT, errno, "%s", net_errno_words(errno));
		close(fd);
		return -1;
	}
	if (xport_wait(fd, POLLOUT, deadline, f) != 0) {
		if (f->cls == FAULT_TIMEOUT) {
			snprintf(f->msg, sizeof(f->msg), "no answer to the connection request before the deadline");
		}
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) {
		err = errno;
	}
	if (err != 0) {
		fault_set(f, FAULT_CONNECT, err, "%s", net_errno_words(err));
		close(fd);
		return -1;
	}
	return fd;
}

int
net_connect(const char *host, unsigned port, int family, int per_try_ms,
    int64_t deadline, struct net_result *r, struct fault *f)
{
	struct addrinfo hints, *res = NULL;
	char service[8];
	int rc;
	enum fault_class last = FAULT_CONNECT;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc == EAI_ADDRFAMILY || rc == EAI_NONAME || rc == EAI_NODATA) {
		/* AI_ADDRCONFIG hides loopback-only families; ask again without. */
		hints.ai_flags = 0;
		rc = getaddrinfo(host, service, &hints, &res);
	}
	if (rc != 0) {
		return fault_set(f, FAULT_RESOLVE, 0, "cannot resolve %s: %s", host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	}
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		struct net_attempt *a;
		struct fault tf;
		int64_t t0 = clock_now_ms();
		int fd;

		if (r->ntries == BOUND_ATTEMPTS) {
			r->skipped++;
			continue;
		}
		if (clock_left_ms(deadline) == 0) {
			r->skipped++;
			continue;
		}
		a = &r->tries[r->ntries++];
		net_addr_text(ai->ai_addr, a->addr, sizeof(a->addr));
		a->family = ai->ai_family;
		fault_clear(&tf);
		fd = net_try(ai, clock_min(deadline, t0 + per_try_ms), &tf);
		a->ms = clock_now_ms() - t0;
		if (fd >= 0) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);

			a->ok = 1;
			r->fd = fd;
			if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
				net_addr_text((struct sockaddr *)&ss, r->local_addr,
				    sizeof(r->local_addr));
				r->local_family = ss.ss_family;
			}
			break;
		}
		a->cls = tf.cls;
		last = tf.cls;
		snprintf(a->why, sizeof(a->why), "%s", tf.msg);
	}
	freeaddrinfo(res);
	if (r->fd >= 0) {
		return 0;
	}
	if (r->ntries == 0) {
		return fault_set(f, FAULT_TIMEOUT, 0,
		    "no time left to connect to %s port %u", host, port);
	}
	if (r->ntries == 1) {
		return fault_set(f, last, 0, "cannot connect to %s port %u: %s",
		    r->tries[0].addr, port, r->tries[0].why);
	}
	return fault_set(f, last, 0, "cannot connect to %s port %u: all %zu addresses failed",
	    host, port, r->ntries);
}
