/* tlsrpt.c - the TLS-RPT record at _smtp._tls.DOMAIN (RFC 8460 §3).  Pure.
 *
 * The text read is draft-ietf-uta-smtp-tlsrpt-23 (mrisher/smtp-sts, the
 * version that became RFC 8460, same section numbers):
 *     tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 *     tlsrpt-field  = tlsrpt-rua / tlsrpt-extension   ; rua is required
 *     tlsrpt-rua    = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 *     tlsrpt-uri    = URI (RFC 3986); ',', '!' and ';' MUST be encoded
 * and "Two URI schemes are supported: mailto and https".  Returns 0 when
 * the record is valid, -1 when not, with out->error in English (never a
 * byte of the input).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tlsrpt.h"
#include "txtrec.h"

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 3986 §2: the characters a URI may hold (unreserved, reserved,
 * '%' HEXDIG HEXDIG), less ',' '!' and ';' which RFC 8460 §3 wants
 * percent-encoded. */
static int
uri_chars_ok(const char *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = u[i];

		if (c == '%') {
			if (n - i < 3 || !is_hex(u[i + 1]) || !is_hex(u[i + 2])) {
				return 0;
			}
			i += 2;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		               (c >= '0' && c <= '9') ||
		               strchr("-._~:/?#[]@$&'()*+=", c) != NULL)) {
			return 0;
		}
	}
	return 1;
}

static int
prefix_ci(const char *u, size_t n, const char *p)
{
	size_t k = strlen(p);

	if (n < k) {
		return 0;
	}
	for (size_t i = 0; i < k; i++) {
		char c = u[i];

		if ((c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c) != p[i]) {
			return 0;
		}
	}
	return 1;
}

/* One URI of rua; n > 0.  0, or -1 with out->error set. */
static int
rua_uri(struct tlsrpt *out, const char *u, size_t n, int k, int keep)
{
	if (!uri_chars_ok(u, n)) {
		snprintf(out->error, sizeof(out->error),
		    "rua URI %d holds a character a URI may "
		    "not (a space, or ',', '!' or ';' not percent-encoded)",
		    k);
		return -1;
	}
	/* The scheme is case-insensitive (RFC 3986 §3.1). */
	if (prefix_ci(u, n, "mailto:")) {
		if (n == 7) {
			snprintf(out->error, sizeof(out->error),
			    "rua URI %d is \"mailto:\" with "
			    "no address",
			    k);
			return -1;
		}
	} else if (prefix_ci(u, n, "https:")) {
		if (n < 9 || u[6] != '/' || u[7] != '/' || u[8] == '/') {
			snprintf(
			    out->error, sizeof(out->error), "rua URI %d is not https://HOST...", k);
			return -1;
		}
	} else {
		snprintf(out->error, sizeof(out->error),
		    "rua URI %d is neither mailto: nor https: "
		    "(the only schemes RFC 8460 §3 supports)",
		    k);
		return -1;
	}
	if (!keep) {
		return 0;
	}
	if (out->nrua < TLSRPT_MAX_RUA && n < sizeof(out->rua[0])) {
		memcpy(out->rua[out->nrua], u, n);
		out->rua[out->nrua][n] = '\0';
		out->nrua++;
	} else {
		/* Past the count, or too long to keep whole: counted, never cut. */
		out->rua_dropped++;
	}
	return 0;
}

/* The value of a rua field: URIs separated by *WSP "," *WSP. */
static int
rua_list(struct tlsrpt *out, const char *v, size_t n, int keep)
{
	size_t pos = 0;
	int k = 0;

	if (n == 0) {
		snprintf(out->error, sizeof(out->error), "rua is empty");
		return -1;
	}
	for (;;) {
		const char *comma = memchr(v + pos, ',', n - pos);
		size_t end = comma != NULL ? (size_t)(comma - v) : n, a = pos, e = end;

		k++;
		txtrec_trim(v, &a, &e);
		if (a == e) {
			snprintf(out->error, sizeof(out->error), "rua URI %d is empty", k);
			return -1;
		}
		if (rua_uri(out, v + a, e - a, k, keep) != 0) {
			return -1;
		}
		if (comma == NULL) {
			return 0;
		}
		pos = end + 1;
	}
}

/* A rua field: RFC 8460 says nothing of a second one; its URIs are
 * checked but only the first field's are kept, as RFC 8461 §3.2 does for
 * its repeated fields. */
static int
rua_field(void *ctx, const struct txtrec_field *f, int first)
{
	return rua_list(ctx, f->value, f->vlen, first);
}

int
tlsrpt_parse(const char *txt, size_t len, struct tlsrpt *out)
{
	memset(out, 0, sizeof(*out));
	if (txtrec_read(txt, len, "v=TLSRPTv1", "rua", rua_field, out, out->error,
	        sizeof(out->error)) != 0) {
		/* Of an invalid record only why: senders ignore it (§3). */
		txtrec_keep_error(out, sizeof(*out), out->error, sizeof(out->error));
		return -1;
	}
	out->valid = 1;
	return 0;
}
