#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "dns.h"
#include "i18n.h"
#include "target.h"

int
dns_server_parse(const char *s, struct dns_server *srv, struct fault *f)
{
	struct target t;
	struct sockaddr_in *sin = (struct sockaddr_in *)&srv->addr;

	memset(srv, 0, sizeof(*srv));
	if (target_parse(s, 53, &t, f) != 0) {
		return -1;
	}
	if (!t.is_addr) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--dns-server '%s': give an IP address"), s);
	}
	/* glibc's resolver state takes IPv4 servers with a port. */
	if (inet_pton(AF_INET, t.host, &sin->sin_addr) != 1) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--dns-server '%s': give an IPv4 address (the system resolver library "
		    "takes IPv6 servers from /etc/resolv.conf only)"), s);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)t.port);
	srv->addrlen = sizeof(*sin);
	snprintf(srv->text, sizeof(srv->text), "%s", s);
	srv->set = 1;
	return 0;
}

/* The servers to ask: srv when set, else the system's (resolv.conf,
 * read by res_ninit; glibc keeps IPv6 servers apart in _u._ext). */
struct dns_ctx {
	struct __res_state st;
	struct sockaddr_storage ns[MAXNS];
	socklen_t nslen[MAXNS];
	int nns;
	int64_t deadline;
};

static int
dns_init(struct dns_ctx *c, const struct dns_server *srv, int64_t deadline, struct fault *f)
{
	memset(c, 0, sizeof(*c));
	c->deadline = deadline;
	if (res_ninit(&c->st) != 0) {
		return fault_set(f, FAULT_RESOLVE, 0, _("cannot initialise the DNS resolver"));
	}
	if (srv != NULL && srv->set) {
		memcpy(&c->ns[0], &srv->addr, srv->addrlen);
		c->nslen[0] = srv->addrlen;
		c->nns = 1;
		return 0;
	}
	for (int i = 0; i < c->st.nscount && i < MAXNS; i++) {
		if (c->st.nsaddr_list[i].sin_family == AF_INET) {
			memcpy(&c->ns[c->nns], &c->st.nsaddr_list[i], sizeof(struct sockaddr_in));
			c->nslen[c->nns++] = sizeof(struct sockaddr_in);
		} else if (c->st._u._ext.nsaddrs[i] != NULL) {
			memcpy(&c->ns[c->nns], c->st._u._ext.nsaddrs[i], sizeof(struct sockaddr_in6));
			c->nslen[c->nns++] = sizeof(struct sockaddr_in6);
		}
	}
	if (c->nns == 0) {
		/* resolv.conf names none: the resolver's default, 127.0.0.1:53. */
		struct sockaddr_in *sin = (struct sockaddr_in *)&c->ns[0];

		sin->sin_family = AF_INET;
		sin->sin_port = htons(NS_DEFAULTPORT);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c->nslen[0] = sizeof(*sin);
		c->nns = 1;
	}
	return 0;
}

static void
dns_done(struct dns_ctx *c)
{
	res_nclose(&c->st);
}

/* Wait for fd to be ready until deadline: 0, or -1 with errno ETIMEDOUT. */
static int
dns_wait(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int left = clock_left_ms(deadline);
		int n;

		if (left == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = poll(&p, 1, left);
		if (n > 0) {
			return 0;
		}
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR) {
			return -1;
		}
	}
}

/* Is ans the answer to q?  The same id, a response, the same question
 * (names compared without regard to case, RFC 4343). */
static int
dns_matches(const unsigned char *q, int qlen, const unsigned char *ans, int anslen)
{
	if (anslen < qlen || anslen < NS_HFIXEDSZ || q[0] != ans[0] || q[1] != ans[1] ||
	    (ans[2] & 0x80) == 0) {
		return 0;
	}
	/* QDCOUNT and the question that follows the 12-byte header. */
	if (ans[4] != q[4] || ans[5] != q[5]) {
		return 0;
	}
	for (int i = NS_HFIXEDSZ; i < qlen; i++) {
		unsigned char a = q[i], b = ans[i];

		if (a >= 'A' && a <= 'Z') {
			a = (unsigned char)(a - 'A' + 'a');
		}
		if (b >= 'A' && b <= 'Z') {
			b = (unsigned char)(b - 'A' + 'a');
		}
		if (a != b) {
			return 0;
		}
	}
	return 1;
}

/* Read exactly len bytes from a non-blocking stream before deadline. */
static int
dns_read_all(int fd, unsigned char *p, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n == 0) {
			errno = ECONNRESET;
			return -1;
		} else if (errno == EAGAIN || errno == EINTR) {
			if (dns_wait(fd, POLLIN, deadline) != 0) {
				return -1;
			}
		} else {
			return -1;
		}
	}
	return 0;
}

/* One query over TCP (RFC 1035 §4.2.2, RFC 7766), for an answer that
 * did not fit in UDP.  The answer's length, or -1 with errno. */
static int
dns_tcp(const struct sockaddr *sa, socklen_t salen, const unsigned char *q, int qlen,
    unsigned char *ans, int anssz, int64_t deadline)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unsigned char msg[2 + NS_PACKETSZ * 2];
	unsigned char lenb[2];
	int err = 0, len = -1;
	socklen_t elen = sizeof(err);

	if (fd < 0) {
		return -1;
	}
	if ((size_t)qlen + 2 > sizeof(msg)) {
		close(fd);
		errno = EMSGSIZE;
		return -1;
	}
	if (connect(fd, sa, salen) != 0 && (errno != EINPROGRESS ||
	    dns_wait(fd, POLLOUT, deadline) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0)) {
		if (err != 0) {
			errno = err;
		}
		close(fd);
		return -1;
	}
	msg[0] = (unsigned char)(qlen >> 8);
	msg[1] = (unsigned char)qlen;
	memcpy(msg + 2, q, (size_t)qlen);
	/* A query of a few dozen bytes fits in an empty socket buffer. */
	if (write(fd, msg, (size_t)qlen + 2) != (ssize_t)qlen + 2) {
		close(fd);
		return -1;
	}
	if (dns_read_all(fd, lenb, 2, deadline) == 0) {
		len = (lenb[0] << 8) | lenb[1];
		if (len > anssz || dns_read_all(fd, ans, (size_t)len, deadline) != 0) {
			len = -1;
		}
	}
	close(fd);
	return len;
}

/* One query over UDP to one server, answered before deadline: the
 * answer's length, or -1 with errno (ETIMEDOUT when none came). */
static int
dns_udp(const struct sockaddr *sa, socklen_t salen, const unsigned char *q, int qlen,
    unsigned char *ans, int anssz, int64_t deadline)
{
	int fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		return -1;
	}
	/* connect: the kernel drops datagrams from any other address. */
	if (connect(fd, sa, salen) != 0 || send(fd, q, (size_t)qlen, 0) != qlen) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n;

		if (dns_wait(fd, POLLIN, deadline) != 0) {
			close(fd);
			return -1;
		}
		n = recv(fd, ans, (size_t)anssz, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			continue;
		}
		if (n < 0) {
			close(fd);
			return -1;
		}
		/* Someone else's answer, or garbage: keep waiting. */
		if (dns_matches(q, qlen, ans, (int)n)) {
			close(fd);
			if (ans[2] & 0x02) {
				/* TC: truncated; ask again over TCP. */
				return dns_tcp(sa, salen, q, qlen, ans, anssz, deadline);
			}
			return (int)n;
		}
	}
}

/* Query name for type before c->deadline, asking each server in turn
 * (at most BOUND_DNS_TRIES queries, each waiting at most
 * BOUND_DNS_TRY_MS).  The answer length, 0 for NXDOMAIN or no data (*nx
 * tells which), -1 with f on failure. */
static int
dns_query(struct dns_ctx *c, const char *name, int type, unsigned char *ans, int anssz,
    int *nx, struct fault *f)
{
	unsigned char q[NS_PACKETSZ];
	int qlen, servfail = 0;

	*nx = 0;
	qlen = res_nmkquery(&c->st, ns_o_query, name, ns_c_in, type, NULL, 0, NULL, q, sizeof(q));
	if (qlen < 0) {
		return fault_set(f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed (not a valid name)"), name);
	}
	if (clock_left_ms(c->deadline) == 0) {
		return fault_set(f, FAULT_RESOLVE, ETIMEDOUT, _("DNS lookup of %s not made: no time left"), name);
	}
	for (int t = 0; t < BOUND_DNS_TRIES && clock_left_ms(c->deadline) > 0; t++) {
		int k = t % c->nns;
		int len = dns_udp((const struct sockaddr *)&c->ns[k], c->nslen[k], q, qlen, ans, anssz,
		    clock_min(c->deadline, clock_now_ms() + BOUND_DNS_TRY_MS));

		if (len < NS_HFIXEDSZ) {
			continue;
		}
		switch (ans[3] & 0x0F) {
		case ns_r_noerror:
			/* No answer records: the name exists, without this type. */
			return (ans[6] | ans[7]) == 0 ? 0 : len;
		case ns_r_nxdomain:
			*nx = 1;
			return 0;
		default:
			/* SERVFAIL, REFUSED...: the next server may do better. */
			servfail = 1;
			break;
		}
	}
	if (clock_left_ms(c->deadline) == 0 && !servfail) {
		return fault_set(f, FAULT_RESOLVE, ETIMEDOUT, _("DNS lookup of %s: no answer before the deadline"),
		    name);
	}
	return fault_set(f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed (server failure or no answer)"), name);
}

int
dns_mx(const char *domain, const struct dns_server *srv, int64_t deadline, struct dns_mx *out,
    size_t *n, struct fault *f)
{
	struct dns_ctx c;
	unsigned char ans[NS_MAXMSG];
	ns_msg msg;
	int len, nx, result;

	*n = 0;
	if (dns_init(&c, srv, deadline, f) != 0) {
		return -1;
	}
	len = dns_query(&c, domain, ns_t_mx, ans, sizeof(ans), &nx, f);
	dns_done(&c);
	if (len < 0) {
		return -1;
	}
	if (nx) {
		return DNS_MX_NXDOMAIN;
	}
	if (len == 0) {
		return DNS_MX_NONE;
	}
	if (ns_initparse(ans, len, &msg) != 0) {
		return fault_set(f, FAULT_RESOLVE, 0, _("malformed DNS answer for %s MX"), domain);
	}
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && *n < DNS_MAX_MX; i++) {
		ns_rr rr;
		char host[NS_MAXDNAME];

		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_mx ||
		    ns_rr_rdlen(rr) < 3) {
			continue;
		}
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr) + 2, host,
		    sizeof(host)) < 0) {
			return fault_set(f, FAULT_RESOLVE, 0, _("malformed MX record for %s"), domain);
		}
		if (strcmp(host, ".") == 0) {
			host[0] = '\0';     /* the root: ns_name_uncompress writes "." */
		}
		if (strlen(host) > BOUND_NAME) {
			continue;
		}
		out[*n].pref = ns_get16(ns_rr_rdata(rr));
		memcpy(out[*n].host, host, strlen(host) + 1);   /* length checked above */
		(*n)++;
	}
	if (*n == 0) {
		return DNS_MX_NONE;
	}
	/* RFC 7505: a single MX of preference 0 naming the root. */
	if (*n == 1 && out[0].host[0] == '\0' && out[0].pref == 0) {
		*n = 0;
		return DNS_MX_NULL;
	}
	result = DNS_MX_FOUND;
	/* Stable sort by preference: the answer's order breaks ties. */
	for (size_t i = 1; i < *n; i++) {
		struct dns_mx key = out[i];
		size_t j = i;

		while (j > 0 && out[j - 1].pref > key.pref) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = key;
	}
	return result;
}

static void
dns_collect(ns_msg *msg, int type, unsigned port, struct sockaddr_storage *out, size_t *n)
{
	for (int i = 0; i < ns_msg_count(*msg, ns_s_an) && *n < DNS_MAX_ADDRS; i++) {
		ns_rr rr;
		struct sockaddr_storage *ss = &out[*n];

		if (ns_parserr(msg, ns_s_an, i, &rr) != 0 || (int)ns_rr_type(rr) != type) {
			continue;
		}
		memset(ss, 0, sizeof(*ss));
		if (type == ns_t_a && ns_rr_rdlen(rr) == 4) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons((uint16_t)port);
			memcpy(&sin->sin_addr, ns_rr_rdata(rr), 4);
			(*n)++;
		} else if (type == ns_t_aaaa && ns_rr_rdlen(rr) == 16) {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)port);
			memcpy(&sin6->sin6_addr, ns_rr_rdata(rr), 16);
			(*n)++;
		}
	}
}

int
dns_addrs(const char *host, const struct dns_server *srv, int family, unsigned port,
    int64_t deadline, struct sockaddr_storage *out, size_t *n, struct fault *f)
{
	static const int types[2] = {ns_t_aaaa, ns_t_a};
	struct dns_ctx c;
	unsigned char ans[NS_MAXMSG];
	struct fault qf;
	int nxall = 1, failed = 0;

	*n = 0;
	fault_clear(&qf);
	if (dns_init(&c, srv, deadline, f) != 0) {
		return -1;
	}
	for (int k = 0; k < 2; k++) {
		ns_msg msg;
		int len, nx;
		struct fault kf;

		if ((types[k] == ns_t_aaaa && family == AF_INET) ||
		    (types[k] == ns_t_a && family == AF_INET6)) {
			continue;
		}
		/* A failed AAAA lookup must not keep A from being asked: when
		 * both are, AAAA gets half the time. */
		c.deadline = k == 0 && family == AF_UNSPEC ?
		    clock_now_ms() + clock_left_ms(deadline) / 2 : deadline;
		len = dns_query(&c, host, types[k], ans, sizeof(ans), &nx, &kf);
		if (len < 0) {
			if (!failed) {
				qf = kf;     /* the first failure says most */
			}
			failed = 1;
			nxall = 0;
			continue;
		}
		nxall = nxall && nx;
		if (len > 0 && ns_initparse(ans, len, &msg) == 0) {
			dns_collect(&msg, types[k], port, out, n);
		}
	}
	dns_done(&c);
	if (*n == 0 && failed) {
		*f = qf;
		return -1;
	}
	if (*n == 0) {
		if (srv != NULL && srv->set) {
			return fault_set(f, FAULT_RESOLVE, 0, nxall ?
			    _("cannot resolve %s at %s: no such domain") :
			    _("cannot resolve %s at %s: no address records"), host, srv->text);
		}
		return fault_set(f, FAULT_RESOLVE, 0, nxall ? _("cannot resolve %s: no such domain") :
		    _("cannot resolve %s: no address records"), host);
	}
	return 0;
}
