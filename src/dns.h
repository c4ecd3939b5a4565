/* dns.h - the DNS lookups smtprobe makes itself: MX records for --mx
 * (RFC 5321 §5.1, RFC 7505), and A/AAAA through a chosen server
 * (--dns-server).  libresolv builds the queries and reads resolv.conf;
 * the queries themselves go out on non-blocking sockets, bounded by the
 * caller's deadline.
 */
#ifndef SMTPROBE_DNS_H
#define SMTPROBE_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "bounds.h"
#include "fault.h"

#define DNS_MAX_MX 32
#define DNS_MAX_ADDRS 16

struct dns_mx {
	char host[BOUND_NAME + 1];   /* without the trailing dot */
	int pref;
};

enum dns_mx_result {
	DNS_MX_FOUND,       /* hosts[] in preference order */
	DNS_MX_NULL,        /* a null MX: the domain accepts no mail */
	DNS_MX_NONE,        /* no MX records: use the domain itself (implicit MX) */
	DNS_MX_NXDOMAIN     /* the domain does not exist */
};

struct dns_server {
	int set;                     /* 0: the system's resolvers */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char text[64];
};

/* Parse "ADDR[:PORT]", an IPv4 address (default port 53).  0 or -1. */
int dns_server_parse(const char *s, struct dns_server *srv, struct fault *f);

/* Look up the MX records of domain, through srv when it is set, else the
 * system's resolvers, giving up at deadline (a clock_now_ms() value).
 * Queries go out over non-blocking sockets, each server asked in turn.
 * Returns the result, or -1 with f filled (FAULT_TIMEOUT when no answer
 * came before the deadline; server failure, malformed answer). */
int dns_mx(const char *domain, const struct dns_server *srv, int64_t deadline,
    struct dns_mx *out, size_t *n, struct fault *f);

/* A and AAAA records of host through srv (family AF_UNSPEC, AF_INET or
 * AF_INET6), AAAA first, A asked even when AAAA failed, both before
 * deadline.  0 with *n addresses (port set to port), or -1. */
int dns_addrs(const char *host, const struct dns_server *srv, int family, unsigned port,
    int64_t deadline, struct sockaddr_storage *out, size_t *n, struct fault *f);

#endif
