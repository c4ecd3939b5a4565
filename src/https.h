/* https.h - one bounded HTTPS GET over smtprobe's own transport (net.c,
 * tls.c, http.c), for the MTA-STS policy (RFC 8461 §3.3): the addresses
 * come from the caller, the certificate is verified for the host name,
 * no redirect is followed, and every step ends at the deadline.
 */
#ifndef SMTPROBE_HTTPS_H
#define SMTPROBE_HTTPS_H

#include <stddef.h>
#include <stdint.h>

#include "mxpolicy.h"
#include "tls.h"

struct sockaddr_storage;
struct net_source;

/* How one fetch went.  Strings are NUL-terminated; those from the server
 * (detail's quoted parts, location, content_type) are untrusted. */
struct https_result {
	enum sts_fetch fetch;                /* STS_FETCH_OK or what failed first */
	int http_status;                     /* 0 when no status line came */
	char detail[256];                    /* the failure in words; the Location of a 3xx; the
	                                      * Content-Type of a wrong type; "" when OK */
	char address[64];                    /* the address connected to, "" if none */
	int64_t ms;                          /* the whole fetch */
	char location[BOUND_HTTP_VALUE];     /* a 3xx's Location, as sent */
	char content_type[BOUND_HTTP_VALUE]; /* as sent, "" when absent */
	long verify_code;                    /* X509_V_OK or why the certificate failed */
	unsigned http_flags;                 /* HTTP_F_* of the response */
	size_t body_len;                     /* bytes of the body in the caller's buffer */
};

/* GET https://host/path from the first of naddrs addresses (port: 443
 * for MTA-STS) that takes the connection (src: the run's source address
 * and family, as net_connect takes it; NULL for none): TLS with SNI host, the chain
 * verified for host (tls.c, at TLS_AUTH_LEVEL, trusting ctx's store), one
 * HTTP/1.1 request, the response parsed with http.c.  Each connect try
 * is bounded by per_try_ms, the whole fetch by deadline.  The body goes
 * to body (body_cap bytes; the MTA-STS bound is BOUND_STS_POLICY): a
 * longer one is STS_FETCH_TOO_LARGE.  The outcome is in r; the return is
 * 0 when r->fetch is STS_FETCH_OK, else -1.
 *
 * STS_FETCH_OK needs status 200, Content-Type text/plain (parameters such
 * as charset allowed), no content coding, and the whole body; 3xx is
 * STS_FETCH_REDIRECT with the Location kept and never followed; a
 * certificate that does not verify for host ends the fetch before the
 * request is sent (STS_FETCH_CERT). */
int https_get(struct tls_ctx *ctx, const char *host, const char *path,
    const struct sockaddr_storage *addrs, size_t naddrs, unsigned port,
    const struct net_source *src, int per_try_ms, int64_t deadline, char *body, size_t body_cap,
    struct https_result *r);

/* Copy the outcome into the fetch fields of an MTA-STS fact: fetch,
 * http_status, fetch_detail, fetch_address, fetch_ms. */
void https_fill_sts(const struct https_result *r, struct sts_fact *s);

#endif
