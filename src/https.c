/* https.c - one bounded HTTPS GET for the MTA-STS policy (see https.h).
 *
 * RFC 8461 §3.3: the Policy Host must present a certificate valid for
 * its name ("mta-sts" DNS-ID), chained to a trusted root and unexpired;
 * "Policies fetched via HTTPS are only valid if the HTTP response code is
 * 200 (OK).  HTTP 3xx redirects MUST NOT be followed"; senders MAY bound
 * the time and the size (one minute and 64 kilobytes suggested).
 * RFC 8461 §3.2: senders SHOULD check that the media type is text/plain.
 * RFC 8461 §7.1: the SNI carries the Policy Host's name.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "clock.h"
#include "http.h"
#include "https.h"
#include "i18n.h"
#include "net.h"
#include "xport.h"

/* A transport fault in words, as the fetch's outcome. */
static void
https_fault(struct https_result *r, const struct fault *f, enum sts_fetch otherwise)
{
	r->fetch = f->cls == FAULT_TIMEOUT ? STS_FETCH_TIMEOUT : otherwise;
	snprintf(r->detail, sizeof(r->detail), "%s", f->msg);
}

/* Read and parse the response until it is complete, broken, or known
 * to be unusable (a head that rules the body out: no need to read it).
 * Returns the parser's state; HTTP_MORE when stopped early or on a
 * transport fault (then r->fetch is set). */
static enum http_state
https_read(struct xport *x, struct http_parser *p, const struct http_response *resp,
    int64_t deadline, struct https_result *r)
{
	char buf[4096];
	struct fault f;

	for (;;) {
		enum http_state st;
		ssize_t got;

		fault_clear(&f);
		got = xport_read(x, buf, sizeof(buf), deadline, &f);
		if (got < 0) {
			if (f.cls == FAULT_CLOSED) {
				return http_finish(p);
			}
			https_fault(r, &f, STS_FETCH_TLS);
			return HTTP_MORE;
		}
		st = http_feed(p, buf, (size_t)got);
		if (st != HTTP_MORE) {
			return st;
		}
		if (resp->head_done && (resp->status != 200 || !http_is_text_plain(resp))) {
			return HTTP_MORE;
		}
	}
}

/* The outcome of a response read to its end (or stopped early). */
static void
https_judge(const struct http_response *resp, enum http_state st, struct https_result *r)
{
	r->http_status = resp->status;
	r->http_flags = resp->flags;
	r->body_len = resp->body_len;
	snprintf(r->content_type, sizeof(r->content_type), "%s", resp->content_type);
	if (st == HTTP_BAD || !resp->head_done) {
		r->fetch = STS_FETCH_MALFORMED;
		snprintf(r->detail, sizeof(r->detail), "%s", resp->why);
	} else if (resp->status >= 300 && resp->status <= 399) {
		/* RFC 8461 §3.3: never followed; where it points is the fact. */
		r->fetch = STS_FETCH_REDIRECT;
		snprintf(r->location, sizeof(r->location), "%s", resp->location);
		snprintf(r->detail, sizeof(r->detail), "%s",
		    resp->has_location ? resp->location : _("no Location field"));
	} else if (resp->status != 200) {
		r->fetch = STS_FETCH_STATUS;
		snprintf(r->detail, sizeof(r->detail), _("HTTP status %d"), resp->status);
	} else if (!http_is_text_plain(resp)) {
		r->fetch = STS_FETCH_TYPE;
		snprintf(r->detail, sizeof(r->detail), "%s",
		    resp->has_content_type ? resp->content_type : _("no Content-Type field"));
	} else if (resp->content_encoding[0] != '\0' &&
	    strcmp(resp->content_encoding, "identity") != 0) {
		r->fetch = STS_FETCH_MALFORMED;
		snprintf(r->detail, sizeof(r->detail),
		    _("the body is encoded (%.64s), not plain text"), resp->content_encoding);
	} else if (st == HTTP_TOO_LARGE) {
		r->fetch = STS_FETCH_TOO_LARGE;
		snprintf(r->detail, sizeof(r->detail), "%s", resp->why);
	} else if (st == HTTP_TRUNCATED) {
		r->fetch = STS_FETCH_MALFORMED;
		snprintf(r->detail, sizeof(r->detail), "%s", resp->why);
	} else {
		r->fetch = STS_FETCH_OK;
		r->detail[0] = '\0';
	}
}

/* TLS, the certificate, the request and the response over a connected x. */
static void
https_exchange(struct tls_ctx *ctx, struct xport *x, const char *host, const char *req,
    size_t reqlen, int64_t deadline, char *body, size_t body_cap, struct https_result *r)
{
	struct tls_info ti;
	struct http_response resp;
	struct http_parser p;
	struct fault f;
	enum http_state st;

	fault_clear(&f);
	if (tls_start(ctx, x, host, host, deadline, &ti, &f) != 0) {
		https_fault(r, &f, STS_FETCH_TLS);
		return;
	}
	r->verify_code = ti.verify_code;
	if (!ti.verified) {
		/* RFC 8461 §3.3: such a policy is not valid; nothing is asked. */
		r->fetch = STS_FETCH_CERT;
		snprintf(r->detail, sizeof(r->detail), "%.255s", ti.verify_reason);
		return;
	}
	if (xport_write(x, req, reqlen, deadline, &f) != 0) {
		https_fault(r, &f, STS_FETCH_MALFORMED);
		return;
	}
	http_parser_init(&p, &resp, (unsigned char *)body, body_cap);
	st = https_read(x, &p, &resp, deadline, r);
	if (r->fetch != STS_FETCH_NOT_RUN) {
		r->http_status = resp.status; /* a timeout or TLS error mid-response */
		return;
	}
	https_judge(&resp, st, r);
}

int
https_get(struct tls_ctx *ctx, const char *host, const char *path,
    const struct sockaddr_storage *addrs, size_t naddrs, unsigned port,
    const struct net_source *src, int per_try_ms, int64_t deadline, char *body, size_t body_cap,
    struct https_result *r)
{
	int64_t t0 = clock_now_ms();
	struct net_result nr;
	struct xport x;
	struct fault f;
	char req[1024];
	int reqlen;

	memset(r, 0, sizeof(*r));
	reqlen = http_request_get(host, strlen(host), path, strlen(path), req, sizeof(req));
	if (reqlen < 0) {
		r->fetch = STS_FETCH_MALFORMED;
		snprintf(r->detail, sizeof(r->detail), "%s",
		    _("the host name or path cannot be put in a request"));
		return -1;
	}
	fault_clear(&f);
	if (net_connect_addrs(
	        addrs, naddrs, port, per_try_ms, deadline, src, NULL, host, &nr, &f) != 0) {
		https_fault(r, &f, f.cls == FAULT_RESOLVE ? STS_FETCH_RESOLVE : STS_FETCH_CONNECT);
		if (nr.ntries > 0) {
			snprintf(
			    r->address, sizeof(r->address), "%s", nr.tries[nr.ntries - 1].addr);
		}
		r->ms = clock_now_ms() - t0;
		return -1;
	}
	snprintf(r->address, sizeof(r->address), "%s", nr.tries[nr.ntries - 1].addr);
	xport_plain_init(&x, nr.fd);
	https_exchange(ctx, &x, host, req, (size_t)reqlen, deadline, body, body_cap, r);
	xport_close(&x);
	r->ms = clock_now_ms() - t0;
	return r->fetch == STS_FETCH_OK ? 0 : -1;
}

void
https_fill_sts(const struct https_result *r, struct sts_fact *s)
{
	s->fetch = r->fetch;
	s->http_status = r->http_status;
	snprintf(s->fetch_detail, sizeof(s->fetch_detail), "%s", r->detail);
	snprintf(s->fetch_address, sizeof(s->fetch_address), "%s", r->address);
	s->fetch_ms = r->ms;
}
