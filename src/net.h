/* net.h - resolve a host and connect to it, each address in turn, each
 * try bounded by a deadline and reported.
 */
#ifndef SMTPROBE_NET_H
#define SMTPROBE_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "bounds.h"
#include "dns.h"
#include "fault.h"

struct net_attempt {
	char addr[108];       /* "192.0.2.1", "2001:db8::1", or a unix: target's path */
	int family;           /* AF_INET, AF_INET6 or AF_UNIX */
	int ok;               /* connected */
	enum fault_class cls; /* why not, when !ok */
	char why[256];
	int64_t ms;    /* time the try took */
	int not_tried; /* skipped: its family is not src's (why says so) */
};

/* What the probe's side of a connection must be (--source-address,
 * --proxy-source). */
struct net_source {
	int family;                   /* AF_UNSPEC, or the only family to connect to */
	int bind;                     /* bind the socket to addr before connecting */
	struct sockaddr_storage addr; /* --source-address, port 0 */
	char what[80];                /* the option and its value, for messages */
};

struct net_result {
	struct net_attempt tries[BOUND_ATTEMPTS];
	size_t ntries;
	size_t skipped;                  /* addresses beyond BOUND_ATTEMPTS, not tried */
	struct dns_fact dns_aaaa, dns_a; /* the name's lookups (DNSSEC_NOT_ASKED for a
	                                  * literal, or a family not asked) */
	int fd;                          /* connected non-blocking socket, or -1 */
	char local_addr[64];             /* our side of the connection */
	int local_family;
	int64_t gate_ms;    /* time spent waiting for --per-ip (not counted against deadlines) */
	char gate_held[64]; /* the address whose --per-ip place the connection holds, or "" */
	char gate_full[64]; /* the address a gate that never waits refused, or "" */
};

struct gate;

/* Resolve host (family AF_UNSPEC, AF_INET or AF_INET6; through
 * dns_addrs with dns, NULL for the defaults, bounded like a try) and connect to
 * port on each address in order until one connects.  Each try is bounded
 * by per_try_ms and by deadline.  src (NULL for none) binds the socket
 * first, and an address of another family than src->family is recorded
 * as not tried, with the reason.  Returns 0 with r->fd open, or -1 with f
 * filled (FAULT_RESOLVE, FAULT_CONNECT, FAULT_TIMEOUT); every try is in r
 * either way.  gate (NULL for none) is entered before each try, and the
 * wait moves that try's deadlines later (r->gate_ms adds it up); the
 * connection made keeps its place, named in r->gate_held, which the
 * caller gives back with gate_leave when it closes the connection.  A
 * gate that does not wait (serve's max_per_ip) ends the connect at once
 * when the address is full: FAULT_CONNECT, the address in r->gate_full,
 * and no connection made to it. */
int net_connect(const char *host, unsigned port, int family, int per_try_ms, int64_t deadline,
    const struct dns_conf *dns, const struct net_source *src, struct gate *gate,
    struct net_result *r, struct fault *f);

/* Connect to port on each of naddrs addresses in order (the port in them
 * is replaced) until one connects, as net_connect does after resolving;
 * src and gate as there (NULL: none); host names the target in messages.
 * At most BOUND_ATTEMPTS are tried.  Returns 0 with r->fd open, or -1
 * with f filled (FAULT_CONNECT, FAULT_TIMEOUT; FAULT_RESOLVE when naddrs
 * is 0). */
int net_connect_addrs(const struct sockaddr_storage *addrs, size_t naddrs, unsigned port,
    int per_try_ms, int64_t deadline, const struct net_source *src, struct gate *gate,
    const char *host, struct net_result *r, struct fault *f);

/* --all-addresses: one address of a host, resolved before (the fleet asks
 * dns_addrs once for all of them), with that lookup's facts; or the
 * lookup's failure, to be reported as the probe's own. */
struct net_pre {
	struct sockaddr_storage addr;
	struct dns_fact aaaa, a;
	int failed; /* no address: fault says why */
	struct fault fault;
};

/* Connect to pre's address only (or report its lookup's failure), as
 * net_connect does; host names the target in messages. */
int net_connect_pre(const struct net_pre *pre, unsigned port, int per_try_ms, int64_t deadline,
    const struct net_source *src, struct gate *gate, const char *host, struct net_result *r,
    struct fault *f);

/* Connect to the UNIX-domain stream socket at path (a unix: target),
 * bounded by deadline; r gets one try (family AF_UNIX, addr the path) and
 * no DNS facts; local_addr stays "".  Returns 0 with r->fd open, or -1
 * with f filled (FAULT_CONNECT: no such socket, permission denied, nothing
 * listening; FAULT_TIMEOUT). */
int net_connect_unix(const char *path, int64_t deadline, struct net_result *r, struct fault *f);

#endif
