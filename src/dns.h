/* dns.h - every DNS lookup smtprobe makes: the addresses of targets and
 * MX hosts, MX records for --mx (RFC 5321 §5.1, RFC 7505), TLSA and TXT
 * records for the TLS policies (RFC 7672, RFC 8461, RFC 8460).
 *
 * All of them go through libunbound (src/ub_lib.h: loaded on the first
 * lookup), which validates DNSSEC itself from a trust anchor: --trust-anchor
 * FILE, else the root key of Debian's dns-root-data (DNS_ROOT_KEY) when it
 * is there, else none (every answer then is insecure).  Queries go to
 * --dns-server (IPv4 or IPv6, any port) or to the nameservers of
 * /etc/resolv.conf; /etc/hosts answers first (so "localhost" works).
 *
 * Deadlines: a lookup is asynchronous (ub_resolve_async), waited for with
 * poll on the context's descriptor until the caller's deadline (which the
 * callers make the step's --timeout, never past the run's), then
 * cancelled (ub_cancel).  A server that never answers ends the lookup at
 * its deadline, nothing later.
 *
 * Each lookup records a struct dns_fact (src/mxpolicy.h): secure,
 * insecure, bogus (the validator's reason in why) or failed (SERVFAIL,
 * REFUSED, no answer before the deadline; rcode -1 when none came), the
 * records of the asked type counted, the time taken.
 *
 * Bogus answers still reach their targets: a validating sender gets no
 * records from a bogus answer and defers mail, but a diagnostic probe must
 * still reach the host to say what else is wrong.  libunbound (1.17)
 * hands a bogus answer's records over, flagged bogus, when it has them
 * (tests/dnssec.sh); when it has none (a bogus SERVFAIL), the query is
 * asked again at once, within the same deadline, through a second
 * context that does not validate.  Either way the fact is DNSSEC_BOGUS
 * with the reason and the records are returned: the judge can say
 * "DNSSEC-validating senders cannot reach this" while the probe goes on.
 * When the second lookup fails too, the fact is DNSSEC_FAILED (its why
 * names both).
 *
 * Threads: one pair of contexts serves every thread of the process (made
 * on the first lookup, deleted by dns_end).  A context has one descriptor
 * for all its answers, so the waiting threads take turns: one polls both
 * contexts' descriptors and runs ub_process (its callbacks mark each
 * query done under a mutex), the others wait on a condition variable
 * until their answers are marked or their deadline passes, and the next
 * takes the poll when the poller leaves.  A context per thread was
 * measured first: about 1.8 MB of memory each (libunbound's own tables
 * and buffers), 39 MB at --parallel 16 against 11 MB (docs/design.md).
 */
#ifndef SMTPROBE_DNS_H
#define SMTPROBE_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "bounds.h"
#include "fault.h"
#include "mxpolicy.h"
#include "tlsa.h"

#define DNS_MAX_MX 32
#define DNS_MAX_ADDRS BOUND_ATTEMPTS

/* Debian's dns-root-data: the root zone's trust anchor, DS records. */
#define DNS_ROOT_KEY "/usr/share/dns/root.key"

/* Where lookups go and what they trust: zeroed, the system's resolvers and
 * the default trust anchor. */
struct dns_conf {
	char fwd[80];       /* "ADDR@PORT" for libunbound, "" for resolv.conf */
	char fwd_text[64];  /* --dns-server as given */
	const char *anchor; /* --trust-anchor FILE, NULL for the default */
};

/* --dns-server "ADDR[:PORT]": an IPv4 address, "[IPv6]:PORT" or a bare IPv6
 * address; port 53 by default.  0, or -1 with f filled. */
int dns_conf_server(const char *s, struct dns_conf *c, struct fault *f);

/* --trust-anchor FILE: DS or DNSKEY records in zone-file format (read when
 * the first lookup is made; checked readable now).  0, or -1 with f. */
int dns_conf_anchor(const char *path, struct dns_conf *c, struct fault *f);

struct dns_mx {
	char host[BOUND_NAME + 1]; /* without the trailing dot */
	int pref;
};

enum dns_mx_result {
	DNS_MX_FOUND,   /* hosts[] in preference order */
	DNS_MX_NULL,    /* a null MX: the domain accepts no mail */
	DNS_MX_NONE,    /* no MX records: use the domain itself (implicit MX) */
	DNS_MX_NXDOMAIN /* the domain does not exist */
};

/* The MX records of domain (c NULL: the defaults) before deadline (a
 * clock_now_ms() value).  Returns the result with fact filled, or -1 with
 * f filled (FAULT_RESOLVE; errno ETIMEDOUT when no answer came) and the
 * fact DNSSEC_FAILED. */
int dns_mx(const char *domain, const struct dns_conf *c, int64_t deadline, struct dns_mx *out,
    size_t *n, struct dns_fact *fact, struct fault *f);

struct dns_addrs {
	struct sockaddr_storage addr[DNS_MAX_ADDRS]; /* AAAA first, then A; port set */
	size_t n;
	size_t dropped;          /* more than DNS_MAX_ADDRS: not kept */
	struct dns_fact aaaa, a; /* DNSSEC_NOT_ASKED for a family not asked */
};

/* The A and AAAA records of host (family AF_UNSPEC: both, asked at once;
 * AF_INET or AF_INET6: one), each address with port.  0 with out->n > 0,
 * or -1 with f filled when no address came (NXDOMAIN, no records, the
 * failure of the lookups); the facts are filled either way. */
int dns_addrs(const char *host, const struct dns_conf *c, int family, unsigned port,
    int64_t deadline, struct dns_addrs *out, struct fault *f);

/* One TLSA record's RDATA as the answer gave it (for tlsa_from_wire).
 * Longer than DNS_RDATA_MAX: cut, len DNS_RDATA_MAX, so tlsa_from_wire
 * still sees it longer than TLSA_MAX_DATA allows. */
#define DNS_RDATA_MAX (3 + TLSA_MAX_DATA + 1)
struct dns_rdata {
	size_t len;
	int cut;
	uint8_t data[DNS_RDATA_MAX];
};

/* The TLSA records of name ("_25._tcp.mx.example.com"): at most max kept
 * in out, the rest counted in *dropped.  0 (*n may be 0: no records, or
 * NXDOMAIN, fact->rcode says), or -1 with f when the lookup failed. */
int dns_tlsa(const char *name, const struct dns_conf *c, int64_t deadline, struct dns_rdata *out,
    size_t max, size_t *n, size_t *dropped, struct dns_fact *fact, struct fault *f);

/* One TXT record: its character-strings concatenated (RFC 7208 §3.3 and
 * RFC 8461 §3.1 read them so), cut at DNS_TXT_MAX bytes, NUL-terminated
 * (bytes as they came: escape them to show). */
#define DNS_TXT_MAX 1024
struct dns_txt {
	size_t len;
	int cut;
	char text[DNS_TXT_MAX + 1];
};

/* The TXT records of name, like dns_tlsa. */
int dns_txt(const char *name, const struct dns_conf *c, int64_t deadline, struct dns_txt *out,
    size_t max, size_t *n, size_t *dropped, struct dns_fact *fact, struct fault *f);

/* Whether answers through c can be validated from the default trust
 * anchor: the root's DNSKEY RRset comes back secure.  1 when it does, or
 * when c names its own trust anchor (--trust-anchor); else 0 with why
 * filled (a resolver that strips DNSSEC records, no root key installed,
 * no answer before deadline).  Made once per run, before any DANE
 * decision, so that a resolver's shortcoming is never called "bogus". */
int dns_validation_works(const struct dns_conf *c, int64_t deadline, char *why, size_t whysz);

/* Delete the contexts (at the end of the run, no lookup running). */
void dns_end(void);

/* The fact of one answer, from libunbound's result fields: exposed for
 * the unit tests.  why is the validator's reason (bogus), may be NULL. */
void dns_fact_of(
    struct dns_fact *fact, int rcode, int secure, int bogus, const char *why, int nrecords);

#endif
