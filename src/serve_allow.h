/* serve_allow.h - what `smtprobe serve' lets a /probe request aim at, and
 * the request values it reads.  Pure: no I/O, no DNS; fuzzed
 * (tests/fuzz/fuzz_serve.c) and table-tested (tests/check_serve.c).
 *
 * A rule is a host pattern or a network:
 *   mx.example.com      that name (ASCII case-insensitive, a final dot ignored)
 *   *.example.com       any name ending in ".example.com" (not example.com)
 *   *                   any name (not an address: addresses need a network)
 *   192.0.2.0/24, 2001:db8::/32, 192.0.2.7, ::1   addresses in that network
 * Names match name rules only and addresses network rules only: a name is
 * not resolved to be checked, so a network rule never lets a name in.
 */
#ifndef SMTPROBE_SERVE_ALLOW_H
#define SMTPROBE_SERVE_ALLOW_H

#include <stddef.h>

#include "bounds.h"
#include "fault.h"

enum allow_kind { ALLOW_NAME, ALLOW_NET };

struct allow_rule {
	enum allow_kind kind;
	char name[BOUND_NAME + 1]; /* ALLOW_NAME: lower case, "*." prefix kept, no final dot */
	int family;                /* ALLOW_NET: AF_INET or AF_INET6 */
	unsigned char addr[16];    /* the network, host bits cleared */
	unsigned prefix;           /* 0..32 or 0..128 */
};

/* Parse one rule.  0, or -1 with f saying why. */
int allow_parse(const char *s, struct allow_rule *r, struct fault *f);

/* Is host (a target's host, brackets removed) allowed by one of rules? */
int allow_match(const struct allow_rule *rules, size_t n, const char *host);

/* Is host a numeric IPv4 form that inet_pton refuses but the system's
 * resolver reads as an address ("127.1", "0x7f.0.0.1", "2130706433")?
 * Such a host is refused: it is an address that would pass as a name. */
int allow_sloppy_ipv4(const char *host);

/* Prometheus's X-Prometheus-Scrape-Timeout-Seconds ("10", "9.5"): a
 * positive decimal number of seconds, at most 86400.  0 with *ms set, or
 * -1 when s is not one. */
int allow_scrape_timeout(const char *s, long *ms);

/* A /probe query value: at most max bytes, printable ASCII without
 * spaces.  1 when it is one. */
int allow_value_ok(const char *s, size_t max);

#endif
