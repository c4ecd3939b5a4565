/* http.c - the GET request of an MTA-STS policy fetch and an incremental,
 * bounded parser of its response (see http.h).
 *
 * Rules applied, with their sources (RFC 9112 unless said otherwise):
 *   §2.2   lines end in CRLF; a lone LF may be taken as the end (flagged);
 *          a bare CR is invalid; whitespace before the first field line is
 *          rejected.
 *   §2.3, §4  status-line = HTTP-version SP status-code SP [reason-phrase],
 *          HTTP-version = "HTTP/" DIGIT "." DIGIT, status-code = 3DIGIT.
 *   §5.1   field-line = field-name ":" OWS field-value OWS; no whitespace
 *          between the name and the colon.
 *   §5.2   a user agent replaces each obs-fold with SP (done, flagged).
 *   RFC 9110 §5.5  CR, LF or NUL in a field value: reject the message.
 *   §6.1   an HTTP/1.0 message with Transfer-Encoding has faulty framing.
 *   §6.3   body length, in order: 1xx/204/304 none; Transfer-Encoding
 *          overrides Content-Length (flagged: "ought to be handled as an
 *          error"); chunked final; an invalid Content-Length is an
 *          unrecoverable error unless a list of one repeated valid value;
 *          else Content-Length; else until the server closes.
 *   §7.1   chunked-body = *chunk last-chunk trailer-section CRLF,
 *          chunk-size = 1*HEXDIG; "recipients MUST anticipate potentially
 *          large hexadecimal numerals and prevent parsing errors due to
 *          integer conversion overflows" (sizes saturate here).
 *   §7.1.1 unrecognised chunk extensions are ignored.
 *   §7.4   without TE in the request, chunked is the only acceptable
 *          transfer coding: any other is refused.
 *   §8     a body cut short (chunked without its last chunk, fewer bytes
 *          than Content-Length) is incomplete: HTTP_TRUNCATED.
 *   RFC 9110 §8.3.1  media type and subtype compare without case.
 *   RFC 9110 §15.2   1xx interim responses come before the final one.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "http.h"

enum {
	PH_STATUS,
	PH_FIELDS,
	PH_BODY_LENGTH,
	PH_BODY_CLOSE,
	PH_CHUNK_SIZE,
	PH_CHUNK_DATA,
	PH_CHUNK_END,
	PH_TRAILER,
	PH_END
};

static enum http_state
http_fail(struct http_parser *p, enum http_state s, const char *why)
{
	p->state = s;
	snprintf(p->r->why, sizeof(p->r->why), "%s", why);
	return s;
}

static int
http_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ASCII case-insensitive equality of s (len bytes) and the word w. */
static int
http_word_is(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w);

	if (len != n) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (http_lower((unsigned char)s[i]) != w[i]) {
			return 0;
		}
	}
	return 1;
}

/* RFC 9110 §5.6.2: tchar. */
static int
http_tchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
http_ows(int c)
{
	return c == ' ' || c == '\t';
}

/* Copy a value, cut to the buffer, flagging the cut. */
static void
http_keep(struct http_parser *p, char *dst, size_t dstsz, const char *v, size_t vlen)
{
	if (vlen >= dstsz) {
		vlen = dstsz - 1;
		p->r->flags |= HTTP_F_VALUE_CUT;
	}
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

/* Reset what one (interim or final) response's head said. */
static void
http_head_reset(struct http_parser *p)
{
	struct http_response *r = p->r;

	r->status = 0;
	r->content_type[0] = '\0';
	r->has_content_type = 0;
	r->content_encoding[0] = '\0';
	r->location[0] = '\0';
	r->has_location = 0;
	r->content_length = -1;
	r->conn_close = 0;
	r->nfields = 0;
	p->nfields = 0;
	p->headbytes = 0;
	p->have_field = 0;
	p->fieldlen = 0;
	p->te_seen = 0;
	p->te_count = 0;
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] (§4). */
static enum http_state
http_status_line(struct http_parser *p, const char *l, size_t n)
{
	struct http_response *r = p->r;

	if (n < 12 || memcmp(l, "HTTP/", 5) != 0 || l[5] < '0' || l[5] > '9' || l[6] != '.' ||
	    l[7] < '0' || l[7] > '9' || l[8] != ' ') {
		return http_fail(
		    p, HTTP_BAD, "the response does not start with an HTTP/1.x status line");
	}
	if (l[5] != '1') {
		return http_fail(p, HTTP_BAD, "the response is not HTTP/1.x");
	}
	for (int i = 9; i < 12; i++) {
		if (l[i] < '0' || l[i] > '9') {
			return http_fail(p, HTTP_BAD, "the status code is not three digits");
		}
	}
	if (n > 12 && l[12] != ' ') {
		return http_fail(p, HTTP_BAD, "the status code is not three digits");
	}
	if (n == 12) {
		r->flags |= HTTP_F_NO_REASON_SP;
	}
	r->minor = l[7] - '0';
	r->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	/* RFC 9110 §15: the first digit is the class, 1 to 5. */
	if (r->status < 100 || r->status > 599) {
		return http_fail(p, HTTP_BAD, "the status code is outside 100-599");
	}
	p->phase = PH_FIELDS;
	return HTTP_MORE;
}

/* Content-Length = 1*DIGIT, or a list of one repeated value (§6.3). */
static enum http_state
http_content_length(struct http_parser *p, const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		int64_t val = 0;
		size_t d = 0;

		while (i < n && http_ows(v[i])) {
			i++;
		}
		while (i < n && v[i] >= '0' && v[i] <= '9') {
			val = val > (INT64_MAX - 9) / 10 ? INT64_MAX : val * 10 + (v[i] - '0');
			i++;
			d++;
		}
		while (i < n && http_ows(v[i])) {
			i++;
		}
		if (d == 0 || (i < n && v[i] != ',')) {
			return http_fail(p, HTTP_BAD, "Content-Length is not a number");
		}
		if (p->r->content_length >= 0 && p->r->content_length != val) {
			return http_fail(p, HTTP_BAD, "two different Content-Length values");
		}
		p->r->content_length = val;
		i++; /* past the comma */
	}
	return HTTP_MORE;
}

/* Transfer-Encoding = #transfer-coding: count the codings, and whether
 * the last one so far is chunked (te_seen: 1 chunked last, 2 other). */
static enum http_state
http_transfer_encoding(struct http_parser *p, const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t s, e;

		while (i < n && (http_ows(v[i]) || v[i] == ',')) {
			i++;
		}
		if (i == n) {
			break;
		}
		s = i;
		while (i < n && http_tchar((unsigned char)v[i])) {
			i++;
		}
		e = i;
		while (i < n && v[i] != ',') {
			i++; /* parameters: none is defined for chunked (§7.1) */
		}
		if (e == s) {
			return http_fail(p, HTTP_BAD, "Transfer-Encoding is not a list of codings");
		}
		if (http_word_is(v + s, e - s, "chunked")) {
			if (p->te_seen == 1) {
				/* §6.1: chunked is never applied twice. */
				return http_fail(
				    p, HTTP_BAD, "Transfer-Encoding lists chunked twice");
			}
			p->te_seen = p->te_count > 0 ? 2 : 1;
		} else {
			if (p->te_seen == 1) {
				/* §6.1: chunked is the final coding. */
				return http_fail(
				    p, HTTP_BAD, "Transfer-Encoding lists codings after chunked");
			}
			p->te_seen = 2;
			p->te_count++;
		}
	}
	if (p->te_seen == 0) {
		p->te_seen = 2; /* an empty Transfer-Encoding: not chunked */
	}
	return HTTP_MORE;
}

/* Connection = #connection-option; "close" ends the connection (§9.6). */
static void
http_connection(struct http_parser *p, const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t s;

		while (i < n && (http_ows(v[i]) || v[i] == ',')) {
			i++;
		}
		s = i;
		while (i < n && v[i] != ',' && !http_ows(v[i])) {
			i++;
		}
		if (http_word_is(v + s, i - s, "close")) {
			p->r->conn_close = 1;
		}
	}
}

/* One whole field line (unfolded): name, colon, value. */
static enum http_state
http_field(struct http_parser *p, const char *l, size_t n)
{
	struct http_response *r = p->r;
	const char *colon = memchr(l, ':', n);
	const char *v;
	size_t name, vn;

	if (colon == NULL || colon == l) {
		return http_fail(p, HTTP_BAD, "a header line has no field name and colon");
	}
	name = (size_t)(colon - l);
	for (size_t i = 0; i < name; i++) {
		if (!http_tchar((unsigned char)l[i])) {
			return http_fail(p, HTTP_BAD,
			    http_ows(l[i]) ? "whitespace between a field name and its colon"
			                   : "a field name has a character a token may not have");
		}
	}
	v = colon + 1;
	vn = n - name - 1;
	while (vn > 0 && http_ows(v[0])) {
		v++;
		vn--;
	}
	while (vn > 0 && http_ows(v[vn - 1])) {
		vn--;
	}
	if (p->phase == PH_TRAILER) {
		return HTTP_MORE; /* §7.1.2: trailer fields may be discarded */
	}
	r->nfields = p->nfields;
	if (http_word_is(l, name, "content-type")) {
		if (r->has_content_type) {
			/* RFC 9110 §8.3: one media type; two leave it ambiguous. */
			return http_fail(p, HTTP_BAD, "two Content-Type fields");
		}
		r->has_content_type = 1;
		http_keep(p, r->content_type, sizeof(r->content_type), v, vn);
	} else if (http_word_is(l, name, "content-length")) {
		return http_content_length(p, v, vn);
	} else if (http_word_is(l, name, "transfer-encoding")) {
		return http_transfer_encoding(p, v, vn);
	} else if (http_word_is(l, name, "location")) {
		if (!r->has_location) {
			r->has_location = 1;
			http_keep(p, r->location, sizeof(r->location), v, vn);
		}
	} else if (http_word_is(l, name, "content-encoding")) {
		http_keep(p, r->content_encoding, sizeof(r->content_encoding), v, vn);
	} else if (http_word_is(l, name, "connection")) {
		http_connection(p, v, vn);
	}
	return HTTP_MORE;
}

static enum http_state
http_field_flush(struct http_parser *p)
{
	if (!p->have_field) {
		return HTTP_MORE;
	}
	p->have_field = 0;
	return http_field(p, p->field, p->fieldlen);
}

/* The header section ended: choose how the body is framed (§6.3). */
static enum http_state
http_head_end(struct http_parser *p)
{
	struct http_response *r = p->r;

	if (r->status < 200) {
		/* RFC 9110 §15.2: interim; the final response follows.  101
		 * would switch protocols, which this request never asks for. */
		if (r->status == 101) {
			return http_fail(
			    p, HTTP_BAD, "101 Switching Protocols, which was not asked for");
		}
		if (++p->interim > BOUND_HTTP_INTERIM) {
			return http_fail(p, HTTP_BAD, "too many interim (1xx) responses");
		}
		r->flags |= HTTP_F_INTERIM;
		http_head_reset(p);
		p->phase = PH_STATUS;
		return HTTP_MORE;
	}
	r->head_done = 1;
	if (r->status == 204 || r->status == 304) {
		r->body_mode = HTTP_BODY_NONE;
		p->phase = PH_END;
		return p->state = HTTP_DONE;
	}
	if (p->te_seen != 0) {
		if (r->minor == 0) {
			return http_fail(p, HTTP_BAD, "Transfer-Encoding in an HTTP/1.0 response");
		}
		if (p->te_seen != 1) {
			return http_fail(p, HTTP_BAD,
			    "a transfer coding other than chunked, which was not offered");
		}
		if (r->content_length >= 0) {
			r->flags |= HTTP_F_TE_AND_CL;
		}
		r->body_mode = HTTP_BODY_CHUNKED;
		p->phase = PH_CHUNK_SIZE;
		return HTTP_MORE;
	}
	if (r->content_length >= 0) {
		r->body_mode = HTTP_BODY_LENGTH;
		if ((uint64_t)r->content_length > p->body_cap) {
			return http_fail(p, HTTP_TOO_LARGE, "Content-Length is past the bound");
		}
		p->left = (uint64_t)r->content_length;
		p->phase = p->left == 0 ? PH_END : PH_BODY_LENGTH;
		return p->left == 0 ? (p->state = HTTP_DONE) : HTTP_MORE;
	}
	r->body_mode = HTTP_BODY_CLOSE;
	p->phase = PH_BODY_CLOSE;
	return HTTP_MORE;
}

static enum http_state
http_fields_line(struct http_parser *p, const char *l, size_t n)
{
	enum http_state s;

	if (n > 0 && http_ows(l[0])) {
		/* §5.2 obs-fold: part of the previous field, joined with SP;
		 * §2.2: before any field it is whitespace after the start-line. */
		if (!p->have_field) {
			return http_fail(p, HTTP_BAD, "whitespace before the first header field");
		}
		while (n > 0 && http_ows(l[0])) {
			l++;
			n--;
		}
		if (p->fieldlen + 1 + n > sizeof(p->field)) {
			return http_fail(p, HTTP_BAD, "a folded header field is too long");
		}
		p->field[p->fieldlen++] = ' ';
		memcpy(p->field + p->fieldlen, l, n);
		p->fieldlen += n;
		p->r->flags |= HTTP_F_OBS_FOLD;
		return HTTP_MORE;
	}
	if ((s = http_field_flush(p)) != HTTP_MORE) {
		return s;
	}
	if (n == 0) {
		if (p->phase == PH_TRAILER) {
			p->phase = PH_END;
			return p->state = HTTP_DONE;
		}
		return http_head_end(p);
	}
	if (++p->nfields > BOUND_HTTP_FIELDS) {
		return http_fail(p, HTTP_BAD, "too many header fields");
	}
	memcpy(p->field, l, n);
	p->fieldlen = n;
	p->have_field = 1;
	return HTTP_MORE;
}

/* chunk-size [ chunk-ext ]: 1*HEXDIG, then nothing, or BWS ";" ... (§7.1). */
static enum http_state
http_chunk_size(struct http_parser *p, const char *l, size_t n)
{
	uint64_t size = 0;
	size_t i = 0;
	size_t room = p->body_cap - p->r->body_len;

	while (i < n &&
	    ((l[i] >= '0' && l[i] <= '9') ||
	        (http_lower((unsigned char)l[i]) >= 'a' &&
	            http_lower((unsigned char)l[i]) <= 'f'))) {
		int c = http_lower((unsigned char)l[i]);
		int d = c <= '9' ? c - '0' : c - 'a' + 10;

		/* Saturate: any size past the room is "too large" anyway. */
		size = size > room ? size : size * 16 + (uint64_t)d;
		i++;
	}
	if (i == 0) {
		return http_fail(p, HTTP_BAD, "a chunk size is not a hexadecimal number");
	}
	while (i < n && http_ows(l[i])) {
		i++;
	}
	if (i < n && l[i] != ';') {
		return http_fail(p, HTTP_BAD, "a chunk size is not a hexadecimal number");
	}
	if (size == 0) {
		p->phase = PH_TRAILER;
		p->nfields = 0;
		p->headbytes = 0;
		return HTTP_MORE;
	}
	if (size > room) {
		return http_fail(p, HTTP_TOO_LARGE, "the chunked body is past the bound");
	}
	p->left = size;
	p->phase = PH_CHUNK_DATA;
	return HTTP_MORE;
}

/* One complete line (without its end) in the current phase. */
static enum http_state
http_line(struct http_parser *p, const char *l, size_t n)
{
	switch (p->phase) {
	case PH_STATUS:
		return http_status_line(p, l, n);
	case PH_FIELDS:
	case PH_TRAILER:
		return http_fields_line(p, l, n);
	case PH_CHUNK_SIZE:
		return http_chunk_size(p, l, n);
	case PH_CHUNK_END:
		if (n != 0) {
			return http_fail(p, HTTP_BAD, "a chunk is longer than its size says");
		}
		p->phase = PH_CHUNK_SIZE;
		return HTTP_MORE;
	default:
		return http_fail(p, HTTP_BAD, "internal: a line in a body phase");
	}
}

/* One byte of a line-oriented phase. */
static enum http_state
http_line_byte(struct http_parser *p, unsigned char c)
{
	int head = p->phase == PH_STATUS || p->phase == PH_FIELDS || p->phase == PH_TRAILER;
	size_t n;

	if (p->line_cr && c != '\n') {
		return http_fail(p, HTTP_BAD, "a bare CR inside a line");
	}
	if (c == '\r') {
		p->line_cr = 1;
		return HTTP_MORE;
	}
	if (c == '\n') {
		if (!p->line_cr) {
			p->r->flags |= HTTP_F_BARE_LF;
		}
		n = p->linelen;
		p->linelen = 0;
		p->line_cr = 0;
		if (head && (p->headbytes += n + 2) > BOUND_HTTP_HEAD) {
			return http_fail(p, HTTP_BAD, "the header section is too large");
		}
		return http_line(p, p->line, n);
	}
	if (c == '\0') {
		/* RFC 9110 §5.5: NUL in a field value; nowhere else either. */
		return http_fail(
		    p, HTTP_BAD, "a NUL byte in a line of the response head or framing");
	}
	if (p->linelen == sizeof(p->line)) {
		return http_fail(p, HTTP_BAD, "a line of the response head is too long");
	}
	p->line[p->linelen++] = (char)c;
	return HTTP_MORE;
}

/* Body bytes from data; returns how many were taken. */
static size_t
http_body_bytes(struct http_parser *p, const unsigned char *d, size_t len)
{
	struct http_response *r = p->r;
	size_t n = len;

	if (p->phase != PH_BODY_CLOSE && n > p->left) {
		n = (size_t)p->left;
	}
	if (n > p->body_cap - r->body_len) {
		/* Keep what fits, whatever the read sizes were. */
		memcpy(p->body + r->body_len, d, p->body_cap - r->body_len);
		r->body_len = p->body_cap;
		http_fail(p, HTTP_TOO_LARGE, "the body is past the bound");
		return len;
	}
	memcpy(p->body + r->body_len, d, n);
	r->body_len += n;
	if (p->phase == PH_BODY_CLOSE) {
		return n;
	}
	p->left -= n;
	if (p->left == 0) {
		if (p->phase == PH_CHUNK_DATA) {
			p->phase = PH_CHUNK_END;
		} else {
			p->phase = PH_END;
			p->state = HTTP_DONE;
		}
	}
	return n;
}

void
http_parser_init(
    struct http_parser *p, struct http_response *r, unsigned char *body, size_t body_cap)
{
	memset(p, 0, sizeof(*p));
	memset(r, 0, sizeof(*r));
	p->r = r;
	p->body = body;
	p->body_cap = body_cap;
	p->state = HTTP_MORE;
	p->phase = PH_STATUS;
	http_head_reset(p);
}

enum http_state
http_feed(struct http_parser *p, const void *data, size_t len)
{
	const unsigned char *d = data;
	size_t i = 0, lim = len;

	if (p->state == HTTP_DONE && len > 0) {
		p->r->flags |= HTTP_F_EXTRA; /* §6.3: never read as a response */
	}
	if (p->state != HTTP_MORE) {
		return p->state;
	}
	if (lim > BOUND_HTTP_RAW - p->raw) {
		lim = BOUND_HTTP_RAW - p->raw;
	}
	while (i < lim && p->state == HTTP_MORE) {
		if (p->phase == PH_BODY_LENGTH || p->phase == PH_BODY_CLOSE ||
		    p->phase == PH_CHUNK_DATA) {
			i += http_body_bytes(p, d + i, lim - i);
		} else {
			http_line_byte(p, d[i++]);
		}
	}
	p->raw += i;
	if (p->state == HTTP_MORE && i < len) {
		return http_fail(p, HTTP_BAD, "the response is too large in all");
	}
	if (p->state == HTTP_DONE && i < len) {
		p->r->flags |= HTTP_F_EXTRA;
	}
	return p->state;
}

enum http_state
http_finish(struct http_parser *p)
{
	if (p->state != HTTP_MORE) {
		return p->state;
	}
	switch (p->phase) {
	case PH_BODY_CLOSE:
		p->phase = PH_END;
		return p->state = HTTP_DONE;
	case PH_STATUS:
		if (p->raw == 0) {
			return http_fail(
			    p, HTTP_BAD, "the server closed the connection without a response");
		}
		return http_fail(
		    p, HTTP_BAD, "the server closed the connection inside the status line");
	case PH_FIELDS:
		return http_fail(
		    p, HTTP_BAD, "the server closed the connection inside the header section");
	default:
		snprintf(p->r->why, sizeof(p->r->why),
		    "the server closed the connection after %zu bytes of the body%s",
		    p->r->body_len,
		    p->r->body_mode == HTTP_BODY_CHUNKED ? ", before the last chunk" : "");
		return p->state = HTTP_TRUNCATED;
	}
}

enum http_state
http_parse(const void *data, size_t len, int eof, struct http_response *r, unsigned char *body,
    size_t body_cap)
{
	struct http_parser p;

	http_parser_init(&p, r, body, body_cap);
	http_feed(&p, data, len);
	return eof ? http_finish(&p) : p.state;
}

int
http_is_text_plain(const struct http_response *r)
{
	const char *v = r->content_type;
	size_t n = strlen(v), i = 10;

	if (!r->has_content_type || n < 10 || !http_word_is(v, 10, "text/plain")) {
		return 0;
	}
	while (i < n && http_ows(v[i])) {
		i++;
	}
	return i == n || v[i] == ';';
}

const char *
http_state_name(enum http_state s)
{
	switch (s) {
	case HTTP_MORE:
		return "more";
	case HTTP_DONE:
		return "done";
	case HTTP_TOO_LARGE:
		return "too-large";
	case HTTP_TRUNCATED:
		return "truncated";
	case HTTP_BAD:
		return "bad";
	}
	return "";
}

/* A request element: printable ASCII without space, none of forbid. */
static int
http_clean(const char *s, size_t n, const char *forbid)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || strchr(forbid, c) != NULL) {
			return 0;
		}
	}
	return n > 0;
}

int
http_request_get(
    const char *host, size_t hostlen, const char *path, size_t pathlen, char *out, size_t outsz)
{
	int n;

	/* The request line and Host are built from these bytes: a CR or LF
	 * would let a name split the request (RFC 9112 §3, §3.2). */
	if (!http_clean(host, hostlen, "/?#@\\") || !http_clean(path, pathlen, "#\\") ||
	    path[0] != '/') {
		return -1;
	}
	/* Accept-Encoding: identity asks for the policy as it is, not
	 * compressed (RFC 9110 §12.5.3); Connection: close ends the
	 * connection after the one response (RFC 9112 §9.6). */
	n = snprintf(out, outsz,
	    "GET %.*s HTTP/1.1\r\n"
	    "Host: %.*s\r\n"
	    "User-Agent: smtprobe/%s\r\n"
	    "Accept: text/plain\r\n"
	    "Accept-Encoding: identity\r\n"
	    "Connection: close\r\n"
	    "\r\n",
	    (int)pathlen, path, (int)hostlen, host, PACKAGE_VERSION);
	if (n < 0 || (size_t)n >= outsz) {
		return -1;
	}
	return n;
}
