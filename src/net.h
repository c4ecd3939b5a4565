/* net.h - resolve a host and connect to it, each address in turn, each
 * try bounded by a deadline and reported.
 */
#ifndef SMTPROBE_NET_H
#define SMTPROBE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "dns.h"
#include "fault.h"

struct net_attempt {
	char addr[64];            /* "192.0.2.1" or "2001:db8::1" */
	int family;               /* AF_INET or AF_INET6 */
	int ok;                   /* connected */
	enum fault_class cls;     /* why not, when !ok */
	char why[256];
	int64_t ms;               /* time the try took */
};

struct net_result {
	struct net_attempt tries[BOUND_ATTEMPTS];
	size_t ntries;
	size_t skipped;           /* addresses beyond BOUND_ATTEMPTS, not tried */
	struct dns_fact dns_aaaa, dns_a;  /* the name's lookups (DNSSEC_NOT_ASKED for a
	                                   * literal, or a family not asked) */
	int fd;                   /* connected non-blocking socket, or -1 */
	char local_addr[64];      /* our side of the connection */
	int local_family;
};

/* Resolve host (family AF_UNSPEC, AF_INET or AF_INET6; through
 * dns_addrs with dns, NULL for the defaults, bounded like a try) and connect to
 * port on each address in order until one connects.  Each try is bounded
 * by per_try_ms and by deadline.  Returns 0 with r->fd open, or -1 with f
 * filled (FAULT_RESOLVE, FAULT_CONNECT, FAULT_TIMEOUT); every try is in r
 * either way. */
int net_connect(const char *host, unsigned port, int family, int per_try_ms,
    int64_t deadline, const struct dns_conf *dns, struct net_result *r, struct fault *f);

#endif
