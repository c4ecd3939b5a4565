#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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
	default:
		return strerror(e);
	}
}

/* One connect with a deadline, from src's address when it binds; returns
 * the socket or -1 with a fault. */
static int
net_try(const struct sockaddr *sa, socklen_t salen, const struct net_source *src,
    int64_t deadline, struct fault *f)
{
	int fd, one = 1, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		return fault_set(f, FAULT_CONNECT, errno, _("%s"), net_errno_words(errno));
	}
	/* SMTP is request and reply in small lines: send each at once. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src != NULL && src->bind) {
		socklen_t blen = src->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		    sizeof(struct sockaddr_in);

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
		fault_set(f, FAULT_CONNECT, errno, _("%s"), net_errno_words(errno));
		close(fd);
		return -1;
	}
	if (xport_wait(fd, POLLOUT, deadline, f) != 0) {
		if (f->cls == FAULT_TIMEOUT) {
			snprintf(f->msg, sizeof(f->msg), "%s", _("no answer to the connection request before the deadline"));
		}
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) {
		err = errno;
	}
	if (err != 0) {
		fault_set(f, FAULT_CONNECT, err, _("%s"), net_errno_words(err));
		close(fd);
		return -1;
	}
	return fd;
}

/* One getaddrinfo_a request and everything glibc reads or writes while
 * it runs: the name, service and hints it points to, and the result.  A
 * request that gai_cancel could not stop (EAI_NOTCANCELED) may still be
 * written by glibc's worker thread, so it is never freed at once: it goes
 * on net_abandoned and is freed by a later lookup once gai_cancel says
 * EAI_ALLDONE (glibc has dequeued it under its own lock). */
struct net_lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char name[BOUND_NAME + 1];
	char service[8];
	struct net_lookup *next;
};

static pthread_mutex_t net_abandoned_lock = PTHREAD_MUTEX_INITIALIZER;
static struct net_lookup *net_abandoned;
static size_t net_nabandoned;

/* Free the abandoned lookups glibc has finished with; the count left. */
static size_t
net_reap_locked(void)
{
	struct net_lookup **pp = &net_abandoned;

	while (*pp != NULL) {
		struct net_lookup *l = *pp;

		if (gai_cancel(&l->cb) == EAI_NOTCANCELED) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		if (l->cb.ar_result != NULL) {
			freeaddrinfo(l->cb.ar_result);
		}
		free(l);
		net_nabandoned--;
	}
	return net_nabandoned;
}

/* A new lookup, or NULL when too many earlier ones still run. */
static struct net_lookup *
net_lookup_new(void)
{
	size_t left;

	pthread_mutex_lock(&net_abandoned_lock);
	left = net_reap_locked();
	pthread_mutex_unlock(&net_abandoned_lock);
	if (left >= BOUND_LOOKUPS_ABANDONED) {
		return NULL;
	}
	return calloc(1, sizeof(struct net_lookup));
}

static void
net_lookup_abandon(struct net_lookup *l)
{
	pthread_mutex_lock(&net_abandoned_lock);
	l->next = net_abandoned;
	net_abandoned = l;
	net_nabandoned++;
	pthread_mutex_unlock(&net_abandoned_lock);
}

/* Run l's request until it ends or deadline passes: the getaddrinfo
 * code, or EAI_INPROGRESS when it did not end in time (l then belongs to
 * net_abandoned or is freed: the caller must not touch it again). */
static int
net_lookup_run(struct net_lookup *l, int64_t deadline)
{
	struct gaicb *list[1] = {&l->cb};
	int rc;

	l->cb.ar_name = l->name;
	l->cb.ar_service = l->service;
	l->cb.ar_request = &l->hints;
	l->cb.ar_result = NULL;
	rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0) {
		return rc;
	}
	while ((rc = gai_error(&l->cb)) == EAI_INPROGRESS) {
		int left = clock_left_ms(deadline);
		struct timespec ts = {left / 1000, (long)(left % 1000) * 1000000L};

		if (left == 0) {
			break;
		}
		(void)gai_suspend((const struct gaicb *const *)list, 1, &ts);
	}
	if (rc != EAI_INPROGRESS) {
		return rc;
	}
	switch (gai_cancel(&l->cb)) {
	case EAI_ALLDONE:
		return gai_error(&l->cb);    /* ended just now */
	case EAI_CANCELED:
		free(l);                     /* never started: glibc let go */
		return EAI_INPROGRESS;
	default:
		net_lookup_abandon(l);       /* still running in glibc */
		return EAI_INPROGRESS;
	}
}

/* An address literal: getaddrinfo with AI_NUMERICHOST asks no resolver,
 * so it needs no deadline (and no lookup thread). */
static int
net_literal(const char *host, unsigned port, int family, struct sockaddr_storage *addrs,
    size_t *n, struct fault *f)
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
		return fault_set(f, FAULT_RESOLVE, 0, _("cannot resolve %s: %s"), host,
		    gai_strerror(rc));
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

/* The addresses of host: from getaddrinfo_a bounded by deadline, or from
 * srv when one is set and host is a name. */
static int
net_resolve(const char *host, unsigned port, int family, const struct dns_server *srv,
    int64_t deadline, struct sockaddr_storage *addrs, size_t *n, size_t *skipped, struct fault *f)
{
	struct net_lookup *l;
	unsigned char probe[16];
	int64_t t0 = clock_now_ms();
	int literal = inet_pton(AF_INET, host, probe) == 1 || inet_pton(AF_INET6, host, probe) == 1;
	int rc;

	*n = 0;
	*skipped = 0;
	if (srv != NULL && srv->set && !literal) {
		return dns_addrs(host, srv, family, port, deadline, addrs, n, f);
	}
	if (literal) {
		return net_literal(host, port, family, addrs, n, f);
	}
	l = net_lookup_new();
	if (l == NULL) {
		return fault_set(f, FAULT_RESOLVE, 0,
		    _("cannot resolve %s: too many earlier name lookups still unanswered"), host);
	}
	if (snprintf(l->name, sizeof(l->name), "%s", host) >= (int)sizeof(l->name)) {
		free(l);
		return fault_set(f, FAULT_RESOLVE, 0, _("cannot resolve %s: name too long"), host);
	}
	snprintf(l->service, sizeof(l->service), "%u", port);
	l->hints.ai_family = family;
	l->hints.ai_socktype = SOCK_STREAM;
	l->hints.ai_flags = AI_ADDRCONFIG;
	rc = net_lookup_run(l, deadline);
	if (rc == EAI_ADDRFAMILY || rc == EAI_NONAME || rc == EAI_NODATA) {
		/* AI_ADDRCONFIG hides loopback-only families; ask again without. */
		l->hints.ai_flags = 0;
		rc = net_lookup_run(l, deadline);
	}
	if (rc == EAI_INPROGRESS) {
		int64_t s = (deadline - t0 + 999) / 1000;

		return fault_set(f, FAULT_RESOLVE, ETIMEDOUT,
		    _("name lookup of %s gave no answer within %lld s"), host,
		    (long long)(s > 0 ? s : 0));
	}
	if (rc != 0) {
		/* EAI_SYSTEM's errno was glibc's worker thread's: not ours. */
		fault_set(f, FAULT_RESOLVE, 0, _("cannot resolve %s: %s"), host, gai_strerror(rc));
		free(l);
		return -1;
	}
	for (struct addrinfo *ai = l->cb.ar_result; ai != NULL; ai = ai->ai_next) {
		if (*n == BOUND_ATTEMPTS || ai->ai_addrlen > sizeof(addrs[0])) {
			(*skipped)++;
			continue;
		}
		memset(&addrs[*n], 0, sizeof(addrs[0]));
		memcpy(&addrs[*n], ai->ai_addr, ai->ai_addrlen);
		(*n)++;
	}
	freeaddrinfo(l->cb.ar_result);
	free(l);
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
		socklen_t salen = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		    sizeof(struct sockaddr_in);
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
		if (gate != NULL) {
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
				net_addr_text((struct sockaddr *)&ls, r->local_addr,
				    sizeof(r->local_addr));
				r->local_family = ls.ss_family;
			}
			return 0;
		}
		a->cls = tf.cls;
		last = tf.cls;
		snprintf(a->why, sizeof(a->why), "%s", tf.msg);
	}
	if (naddrs == 0) {
		return fault_set(f, FAULT_RESOLVE, 0, _("no address to connect to %s port %u"), host,
		    port);
	}
	if (r->ntries == 0) {
		return fault_set(f, FAULT_TIMEOUT, 0,
		    _("no time left to connect to %s port %u"), host, port);
	}
	if (r->ntries == 1) {
		return fault_set(f, last, 0, _("cannot connect to %s port %u: %s"),
		    r->tries[0].addr, port, r->tries[0].why);
	}
	return fault_set(f, last, 0, _("cannot connect to %s port %u: all %zu addresses failed"),
	    host, port, r->ntries);
}

int
net_connect(const char *host, unsigned port, int family, int per_try_ms,
    int64_t deadline, const struct dns_server *dns, const struct net_source *src,
    struct gate *gate, struct net_result *r, struct fault *f)
{
	struct sockaddr_storage addrs[BOUND_ATTEMPTS];
	size_t naddrs, skipped = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	/* The lookup through --dns-server is one step: bounded like a try. */
	if (net_resolve(host, port, family, dns, clock_min(deadline, clock_now_ms() + per_try_ms), addrs,
	    &naddrs, &skipped, f) != 0) {
		r->skipped = skipped;
		return -1;
	}
	rc = net_connect_addrs(addrs, naddrs, port, per_try_ms, deadline, src, gate, host, r, f);
	r->skipped += skipped;
	return rc;
}
