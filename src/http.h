/* http.h - a small HTTP/1.1 client core: the GET request an MTA-STS
 * policy fetch sends, and an incremental parser of the response.  Pure:
 * bytes in, facts out, no I/O.
 *
 * The parser takes the response in pieces of any size (http_feed), and
 * is told when the connection closed (http_finish).  Every part is
 * bounded (src/bounds.h): a line, the header section, the field count,
 * the body (the caller's buffer), the raw bytes in all.  Whatever the
 * bytes, it ends in one of the states below, never in a crash.
 *
 * Sources: RFC 9112 (HTTP/1.1 message syntax) and RFC 9110 (semantics);
 * the section of each rule is named where the rule is applied (http.c).
 */
#ifndef SMTPROBE_HTTP_H
#define SMTPROBE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"

enum http_state {
	HTTP_MORE = 0,  /* more bytes are needed */
	HTTP_DONE,      /* a complete response; bytes after it are not read */
	HTTP_TOO_LARGE, /* the body passed the caller's bound; the head is complete */
	HTTP_TRUNCATED, /* the connection closed inside a length- or chunk-framed body */
	HTTP_BAD        /* not HTTP/1.x as it must be: why says how */
};

/* Flags of things that are allowed, or tolerated, but worth reporting. */
#define HTTP_F_BARE_LF 0x01u      /* a line ended in LF alone (RFC 9112 §2.2 allows it) */
#define HTTP_F_OBS_FOLD 0x02u     /* a folded field line, unfolded (RFC 9112 §5.2) */
#define HTTP_F_TE_AND_CL 0x04u    /* Transfer-Encoding and Content-Length both (§6.3) */
#define HTTP_F_NO_REASON_SP 0x08u /* the status line lacks the SP before the reason (§4) */
#define HTTP_F_VALUE_CUT 0x10u    /* Content-Type or Location was longer than kept */
#define HTTP_F_EXTRA 0x20u        /* bytes came after a complete response (§6.3) */
#define HTTP_F_INTERIM 0x40u      /* 1xx interim responses came first (RFC 9110 §15.2) */

enum http_body_mode {
	HTTP_BODY_NONE = 0, /* 204, 304: no body (RFC 9112 §6.3) */
	HTTP_BODY_LENGTH,   /* Content-Length */
	HTTP_BODY_CHUNKED,  /* Transfer-Encoding: chunked */
	HTTP_BODY_CLOSE     /* neither: the body ends when the server closes */
};

/* What the response said.  Strings are NUL-terminated copies of server
 * bytes: untrusted, escape them to show. */
struct http_response {
	int minor;                           /* HTTP/1.minor: 0 or 1 */
	int status;                          /* 100 to 999 once the status line is read, else 0 */
	int head_done;                       /* the header section of the final response is read */
	char content_type[BOUND_HTTP_VALUE]; /* "" when absent */
	int has_content_type;
	char content_encoding[64];       /* "" when absent */
	char location[BOUND_HTTP_VALUE]; /* "" when absent */
	int has_location;
	int64_t content_length; /* -1 when absent; saturates at INT64_MAX */
	enum http_body_mode body_mode;
	int conn_close;  /* Connection: close (RFC 9112 §9.6) */
	size_t nfields;  /* field lines of the final header section */
	size_t body_len; /* body bytes stored in the caller's buffer */
	unsigned flags;  /* HTTP_F_* */
	char why[160];   /* HTTP_BAD, HTTP_TRUNCATED: what, in English */
};

/* The parser's own state; fields are private to http.c. */
struct http_parser {
	struct http_response *r;
	unsigned char *body;
	size_t body_cap;
	enum http_state state;
	int phase;
	char line[BOUND_HTTP_LINE];
	size_t linelen;
	int line_cr;                 /* the previous byte of the line was CR */
	char field[BOUND_HTTP_LINE]; /* the field line being gathered (obs-fold) */
	size_t fieldlen;
	int have_field;
	size_t headbytes;
	size_t nfields;
	size_t interim;
	uint64_t left; /* body or chunk bytes still to come */
	size_t raw;    /* bytes fed in all */
	int te_seen;
	int te_count;
};

/* Start parsing a response into r; the body goes to body (body_cap
 * bytes; more makes HTTP_TOO_LARGE).  The parser keeps both pointers. */
void http_parser_init(
    struct http_parser *p, struct http_response *r, unsigned char *body, size_t body_cap);

/* Feed len more bytes.  Returns the state; once it is not HTTP_MORE,
 * further calls change nothing and return it again (bytes after HTTP_DONE
 * only set HTTP_F_EXTRA). */
enum http_state http_feed(struct http_parser *p, const void *data, size_t len);

/* The server closed the connection: a close-delimited body ends here,
 * anything else unfinished is HTTP_BAD or HTTP_TRUNCATED.  Returns the
 * final state. */
enum http_state http_finish(struct http_parser *p);

/* A whole response at once (tests, fuzzing): init, one feed, and, when
 * eof, finish. */
enum http_state http_parse(const void *data, size_t len, int eof, struct http_response *r,
    unsigned char *body, size_t body_cap);

/* Whether r's Content-Type is text/plain: the media type compared
 * without ASCII case, parameters (charset=...) allowed (RFC 9110 §8.3.1,
 * RFC 8461 §3.2).  1 or 0. */
int http_is_text_plain(const struct http_response *r);

const char *http_state_name(enum http_state s); /* "done", "bad", ... */

/* Write "GET path HTTP/1.1" with Host, User-Agent, Accept, Accept-Encoding
 * and Connection: close into out.  host (hostlen bytes) must be a DNS name
 * or address, path (pathlen bytes) an absolute path: any CR, LF, NUL,
 * other control byte, space or non-ASCII byte in either (or a host with
 * '/', or a path not starting with '/') is refused.  Returns the request's
 * length, or -1 when refused or when out (outsz bytes) is too small. */
int http_request_get(
    const char *host, size_t hostlen, const char *path, size_t pathlen, char *out, size_t outsz);

#endif
