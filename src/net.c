#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "dns.h"
#include "gate.h"
#include "i18n.h"
#include "net.h"
#include "xport.h"

static void
net_addr_text(const struct sockaddr *sa, char *out, size_t outsz)
{
	const void *a = sa->sa_family == AF_INET6
	    ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
	    : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	if (inet_ntop(sa->sa_family, a, out, (socklen_t)outsz) == NULL) {
		snprintf(out, outsz, "?");
	}
}

static const char *
net_errno_words(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return _("connection refused (nothing listens on that port)");
	case ENETUNREACH:
		return _("network unreachable");
	case EHOSTUNREACH:
		return _("host unreachable");
	case ECONNRESET:
		return _("connection reset");
	case EADDRNOTAVAIL:
		return _("address not available on this machine");
	case EAFNOSUPPORT:
		return _("address family not supported here");
	case ENOENT:
		return _("no such socket (nothing at that path)");
	case EACCES:
		return _("permission denied (the socket or a directory above it)");
	case ENOTDIR:
		return _("a part of the path is not a directory");
	default:
		return strerror(e);
	}
}

/* One connect with a deadline, from src's address when it binds; returns
 * the socket or -1 with a fault. */
static int
net_try(const struct sockaddr *sa, socklen_t salen, const struct net_source *src, int64_t deadline,
    struct fault *f)
{
	int fd, one = 1, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		return fault_set(f, FAULT_CONNECT, errno, "%s", net_errno_words(errno));
	}
	/* SMTP is request and reply in small lines: send each at once. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src != NULL && src->bind) {
		socklen_t blen = src->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
		                                                 : sizeof(struct sockaddr_in);

		if (bind(fd, (const struct sockaddr *)&src->addr, blen) != 0) {
			fault_set(f, FAULT_CONNECT, errno, _("cannot bind to %s: %s"), src->what,
			    net_errno_words(errno));
			close(fd);
			return -1;
		}
	}
	if (connect(fd, sa, salen) == 0) {
		return fd;
	}
	if (errno != EINPROGRESS) {
		fault_set(f, FAULT_CONNECT, errno, "%s", net_errno_words(errno));
		close(fd);
		return -1;
	}
	if (xport_wait(fd, POLLOUT, deadline, f) != 0) {
		if (f->cls == FAULT_TIMEOUT) {
			snprintf(f->msg, sizeof(f->msg), "%s",
			    _("no answer to the connection request before the deadline"));
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

/* An address literal: getaddrinfo with AI_NUMERICHOST asks no resolver,
 * so it needs no deadline (and no lookup thread). */
static int
net_literal(const char *host, unsigned port, int family, struct sockaddr_storage *addrs, size_t *n,
    struct fault *f)
{
	struct addrinfo hints, *res = NULL;
	char service[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		return fault_set(
		    f, FAULT_RESOLVE, 0, _("cannot resolve %s: %s"), host, gai_strerror(rc));
	}
	if (res->ai_addrlen > sizeof(addrs[0])) {
		freeaddrinfo(res);
		return fault_set(f, FAULT_RESOLVE, 0, _("cannot resolve %s: %s"), host,
		    gai_strerror(EAI_FAMILY));
	}
	memset(&addrs[0], 0, sizeof(addrs[0]));
	memcpy(&addrs[0], res->ai_addr, res->ai_addrlen);
	*n = 1;
	freeaddrinfo(res);
	return 0;
}

/* The addresses of host: a literal as it is, a name through dns_addrs
 * (libunbound, bounded by deadline), the lookups' facts into r. */
static int
net_resolve(const char *host, unsigned port, int family, const struct dns_conf *dns,
    int64_t deadline, struct sockaddr_storage *addrs, struct net_result *r, size_t *n,
    struct fault *f)
{
	struct dns_addrs *da;
	unsigned char probe[16];
	int literal = inet_pton(AF_INET, host, probe) == 1 || inet_pton(AF_INET6, host, probe) == 1;

	*n = 0;
	r->skipped = 0;
	if (literal) {
		return net_literal(host, port, family, addrs, n, f);
	}
	/* Sixteen addresses: too large for the stack of a fleet thread's
	 * many frames to carry twice. */
	da = malloc(sizeof(*da));
	if (da == NULL) {
		return fault_set(f, FAULT_INTERNAL, ENOMEM, _("out of memory"));
	}
	if (dns_addrs(host, dns, family, port, deadline, da, f) != 0) {
		r->dns_aaaa = da->aaaa;
		r->dns_a = da->a;
		free(da);
		return -1;
	}
	r->dns_aaaa = da->aaaa;
	r->dns_a = da->a;
	for (size_t k = 0; k < da->n && k < BOUND_ATTEMPTS; k++) {
		addrs[(*n)++] = da->addr[k];
	}
	r->skipped = da->dropped + (da->n > BOUND_ATTEMPTS ? da->n - BOUND_ATTEMPTS : 0);
	free(da);
	return 0;
}

int
net_connect_addrs(const struct sockaddr_storage *addrs, size_t naddrs, unsigned port,
    int per_try_ms, int64_t deadline, const struct net_source *src, struct gate *gate,
    const char *host, struct net_result *r, struct fault *f)
{
	enum fault_class last = FAULT_CONNECT;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	for (size_t k = 0; k < naddrs; k++) {
		struct sockaddr_storage ss = addrs[k];
		struct sockaddr *sa = (struct sockaddr *)&ss;
		socklen_t salen = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
		                                            : sizeof(struct sockaddr_in);
		struct net_attempt *a;
		struct fault tf;
		int64_t t0 = clock_now_ms();
		int fd;

		if (clock_left_ms(deadline) == 0 || r->ntries == BOUND_ATTEMPTS) {
			r->skipped += naddrs - k;
			break;
		}
		if (sa->sa_family == AF_INET6) {
			((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
		} else {
			((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
		}
		a = &r->tries[r->ntries++];
		net_addr_text(sa, a->addr, sizeof(a->addr));
		a->family = sa->sa_family;
		if (src != NULL && src->family != AF_UNSPEC && src->family != sa->sa_family) {
			/* A socket of one family cannot be bound to, or speak for,
			 * an address of the other. */
			a->not_tried = 1;
			a->cls = FAULT_CONNECT;
			snprintf(a->why, sizeof(a->why), _("not tried: %s is %s"), src->what,
			    src->family == AF_INET6 ? "IPv6" : "IPv4");
			continue;
		}
		fault_clear(&tf);
		if (gate != NULL && !gate_waits(gate) && gate_try_enter(gate, a->addr) != 0) {
			/* serve's scrape has its own deadline: refuse, never wait. */
			a->not_tried = 1;
			a->cls = FAULT_CONNECT;
			snprintf(r->gate_full, sizeof(r->gate_full), "%s", a->addr);
			snprintf(a->why, sizeof(a->why),
			    _("not tried: the most connections to %s at "
			      "once are open (max_per_ip)"),
			    a->addr);
			return fault_set(f, FAULT_CONNECT, 0, _("cannot connect to %s port %u: %s"),
			    a->addr, port, a->why);
		}
		if (gate != NULL && gate_waits(gate)) {
			/* Waiting for --per-ip is no fault of the server's. */
			int64_t waited = gate_enter(gate, a->addr);

			r->gate_ms += waited;
			deadline += waited;
			t0 += waited;
		}
		fd = net_try(sa, salen, src, clock_min(deadline, t0 + per_try_ms), &tf);
		a->ms = clock_now_ms() - t0;
		if (gate != NULL && fd >= 0) {
			snprintf(r->gate_held, sizeof(r->gate_held), "%s", a->addr);
		} else if (gate != NULL) {
			gate_leave(gate, a->addr);
		}
		if (fd >= 0) {
			struct sockaddr_storage ls;
			socklen_t sl = sizeof(ls);

			a->ok = 1;
			r->fd = fd;
			if (getsockname(fd, (struct sockaddr *)&ls, &sl) == 0) {
				net_addr_text(
				    (struct sockaddr *)&ls, r->local_addr, sizeof(r->local_addr));
				r->local_family = ls.ss_family;
			}
			return 0;
		}
		a->cls = tf.cls;
		last = tf.cls;
		snprintf(a->why, sizeof(a->why), "%s", tf.msg);
	}
	if (naddrs == 0) {
		return fault_set(
		    f, FAULT_RESOLVE, 0, _("no address to connect to %s port %u"), host, port);
	}
	if (r->ntries == 0) {
		return fault_set(
		    f, FAULT_TIMEOUT, 0, _("no time left to connect to %s port %u"), host, port);
	}
	if (r->ntries == 1) {
		return fault_set(f, last, 0, _("cannot connect to %s port %u: %s"),
		    r->tries[0].addr, port, r->tries[0].why);
	}
	return fault_set(f, last, 0, _("cannot connect to %s port %u: all %zu addresses failed"),
	    host, port, r->ntries);
}

int
net_connect_pre(const struct net_pre *pre, unsigned port, int per_try_ms, int64_t deadline,
    const struct net_source *src, struct gate *gate, const char *host, struct net_result *r,
    struct fault *f)
{
	int rc;

	if (pre->failed) {
		memset(r, 0, sizeof(*r));
		r->fd = -1;
		r->dns_aaaa = pre->aaaa;
		r->dns_a = pre->a;
		*f = pre->fault;
		return -1;
	}
	rc = net_connect_addrs(&pre->addr, 1, port, per_try_ms, deadline, src, gate, host, r, f);
	r->dns_aaaa = pre->aaaa;
	r->dns_a = pre->a;
	return rc;
}

int
net_connect(const char *host, unsigned port, int family, int per_try_ms, int64_t deadline,
    const struct dns_conf *dns, const struct net_source *src, struct gate *gate,
    struct net_result *r, struct fault *f)
{
	struct sockaddr_storage addrs[BOUND_ATTEMPTS];
	struct dns_fact aaaa, a;
	size_t naddrs, skipped;
	int rc;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	/* The name lookup is one step: bounded like a try. */
	if (net_resolve(host, port, family, dns, clock_min(deadline, clock_now_ms() + per_try_ms),
	        addrs, r, &naddrs, f) != 0) {
		return -1;
	}
	/* net_connect_addrs starts r afresh: the lookup's facts go back after. */
	aaaa = r->dns_aaaa;
	a = r->dns_a;
	skipped = r->skipped;
	rc = net_connect_addrs(addrs, naddrs, port, per_try_ms, deadline, src, gate, host, r, f);
	r->dns_aaaa = aaaa;
	r->dns_a = a;
	r->skipped += skipped;
	return rc;
}

/* One connect to a UNIX-domain stream socket, non-blocking: it
 * completes or fails at once, except that Linux's connect(2) says EAGAIN
 * when it "cannot be completed immediately" (the listener's queue is
 * full; data/SOURCES.md), without a way to wait for it: then it is tried
 * again every 20 ms until deadline.  The socket, or -1 with why and *cls
 * set. */
static int
net_try_unix(
    const struct sockaddr_un *sun, int64_t deadline, enum fault_class *cls, char *why, size_t whysz)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	*cls = FAULT_CONNECT;
	if (fd < 0) {
		snprintf(why, whysz, "%s", net_errno_words(errno));
		return -1;
	}
	while (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) != 0) {
		int e = errno;

		if (e != EAGAIN) {
			snprintf(why, whysz, "%s",
			    e == ECONNREFUSED
			        ? _("connection refused (nothing listens on that socket)")
			        : net_errno_words(e));
			close(fd);
			return -1;
		}
		if (clock_left_ms(deadline) == 0) {
			*cls = FAULT_TIMEOUT;
			snprintf(why, whysz, "%s",
			    _("no answer to the connection request before the deadline"));
			close(fd);
			return -1;
		}
		(void)poll(NULL, 0, clock_left_ms(deadline) < 20 ? clock_left_ms(deadline) : 20);
	}
	return fd;
}

int
net_connect_unix(const char *path, int64_t deadline, struct net_result *r, struct fault *f)
{
	struct sockaddr_un sun;
	struct net_attempt *a;
	int64_t t0 = clock_now_ms();
	int fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	a = &r->tries[r->ntries++];
	a->family = AF_UNIX;
	snprintf(a->addr, sizeof(a->addr), "%s", path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		a->cls = FAULT_CONNECT;
		snprintf(a->why, sizeof(a->why), "%s", _("the path is too long for a socket"));
		return fault_set(f, FAULT_CONNECT, 0, _("cannot connect to %s: %s"), path, a->why);
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = net_try_unix(&sun, deadline, &a->cls, a->why, sizeof(a->why));
	a->ms = clock_now_ms() - t0;
	if (fd < 0) {
		return fault_set(f, a->cls, 0, _("cannot connect to %s: %s"), path, a->why);
	}
	a->ok = 1;
	r->fd = fd;
	r->local_family = AF_UNIX;
	return 0;
}
