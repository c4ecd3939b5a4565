/* The HTTP/1.1 response parser and the request builder (src/http.c),
 * from a table: every response is parsed whole, then again fed one byte
 * at a time, and both must give the same facts. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "http.h"

#define CAP 64 /* the body bound the table uses (BOUND_STS_POLICY in real fetches) */

struct http_case {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	int eof;    /* the server closed after in */
	enum http_state want;
	int status;
	const char *body;  /* NULL: not checked */
	const char *ctype; /* NULL: not checked */
	int text_plain;    /* http_is_text_plain, -1: not checked */
	unsigned flags;    /* these flags must be set */
	const char *why;   /* a word of r.why, NULL: not checked */
};

#define OK200 "HTTP/1.1 200 OK\r\n"
#define TP "Content-Type: text/plain\r\n"

static const struct http_case cases[] = {
    {"normal, Content-Length", OK200 TP "Content-Length: 5\r\n\r\nhello", 0, 0, HTTP_DONE, 200,
        "hello", "text/plain", 1, 0, NULL},
    {"Content-Length 0", OK200 TP "Content-Length: 0\r\n\r\n", 0, 0, HTTP_DONE, 200, "", NULL, 1, 0,
        NULL},
    {"charset parameter",
        OK200 "Content-Type: Text/Plain; charset=utf-8\r\n"
              "Content-Length: 2\r\n\r\nok",
        0, 0, HTTP_DONE, 200, "ok", NULL, 1, 0, NULL},
    {"text/plain with OWS before ;",
        OK200 "content-type: text/plain ;charset=us-ascii\r\n"
              "content-length: 0\r\n\r\n",
        0, 0, HTTP_DONE, 200, NULL, NULL, 1, 0, NULL},
    {"text/html", OK200 "Content-Type: text/html\r\nContent-Length: 2\r\n\r\nhi", 0, 0, HTTP_DONE,
        200, "hi", "text/html", 0, 0, NULL},
    {"text/plainx is not text/plain",
        OK200 "Content-Type: text/plainx\r\n"
              "Content-Length: 0\r\n\r\n",
        0, 0, HTTP_DONE, 200, NULL, NULL, 0, 0, NULL},
    {"no Content-Type", OK200 "Content-Length: 0\r\n\r\n", 0, 0, HTTP_DONE, 200, NULL, "", 0, 0,
        NULL},
    {"chunked",
        OK200 TP "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world"
                 "\r\n0\r\nX-Trailer: t\r\n\r\n",
        0, 0, HTTP_DONE, 200, "hello world", NULL, 1, 0, NULL},
    {"chunked, upper-case hex and coding name",
        OK200 "Transfer-Encoding: Chunked\r\n\r\n"
              "A\r\n0123456789\r\n000\r\n\r\n",
        0, 0, HTTP_DONE, 200, "0123456789", NULL, -1, 0, NULL},
    {"chunked overrides Content-Length",
        OK200 "Content-Length: 99\r\n"
              "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        0, 0, HTTP_DONE, 200, "x", NULL, -1, HTTP_F_TE_AND_CL, NULL},
    {"chunk size not hex", OK200 "Transfer-Encoding: chunked\r\n\r\nzz\r\nx\r\n", 0, 0, HTTP_BAD,
        200, NULL, NULL, -1, 0, "hexadecimal"},
    {"chunk size empty", OK200 "Transfer-Encoding: chunked\r\n\r\n\r\nx\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "hexadecimal"},
    {"chunk size negative", OK200 "Transfer-Encoding: chunked\r\n\r\n-1\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "hexadecimal"},
    {"chunk size 0x prefix", OK200 "Transfer-Encoding: chunked\r\n\r\n0x5\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "hexadecimal"},
    {"chunk size overflows 64 bits",
        OK200 "Transfer-Encoding: chunked\r\n\r\n"
              "1ffffffffffffffffffffffffffffffff\r\n",
        0, 0, HTTP_TOO_LARGE, 200, NULL, NULL, -1, 0, "bound"},
    {"chunk size past the bound", OK200 "Transfer-Encoding: chunked\r\n\r\n41\r\n", 0, 0,
        HTTP_TOO_LARGE, 200, NULL, NULL, -1, 0, "bound"},
    {"chunks adding up past the bound",
        OK200 "Transfer-Encoding: chunked\r\n\r\n"
              "40\r\n0123456789012345678901234567890123456789012345678901234567890123\r\n1\r\n",
        0, 0, HTTP_TOO_LARGE, 200, NULL, NULL, -1, 0, "bound"},
    {"chunk longer than its size", OK200 "Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 0, 0,
        HTTP_BAD, 200, NULL, NULL, -1, 0, "longer"},
    {"chunked cut before the last chunk",
        OK200 "Transfer-Encoding: chunked\r\n\r\n"
              "2\r\nab\r\n",
        0, 1, HTTP_TRUNCATED, 200, "ab", NULL, -1, 0, "last chunk"},
    {"gzip transfer coding", OK200 "Transfer-Encoding: gzip, chunked\r\n\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "other than chunked"},
    {"chunked twice", OK200 "Transfer-Encoding: chunked, chunked\r\n\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "twice"},
    {"chunked then gzip", OK200 "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", 0,
        0, HTTP_BAD, 200, NULL, NULL, -1, 0, "after chunked"},
    {"HTTP/1.0, close-delimited", "HTTP/1.0 200 OK\r\n" TP "\r\nversion: STSv1\n", 0, 1, HTTP_DONE,
        200, "version: STSv1\n", NULL, 1, 0, NULL},
    {"close-delimited, not yet closed", OK200 TP "\r\nabc", 0, 0, HTTP_MORE, 200, "abc", NULL, 1, 0,
        NULL},
    {"HTTP/1.0 with Transfer-Encoding", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0,
        0, HTTP_BAD, 200, NULL, NULL, -1, 0, "HTTP/1.0"},
    {"HTTP/2.0 status line", "HTTP/2.0 200 OK\r\n\r\n", 0, 0, HTTP_BAD, 0, NULL, NULL, -1, 0,
        "not HTTP/1.x"},
    {"not HTTP at all", "220 mx.example.com ESMTP\r\n", 0, 0, HTTP_BAD, 0, NULL, NULL, -1, 0,
        "status line"},
    {"status code not 3 digits", "HTTP/1.1 20 OK\r\n\r\n", 0, 0, HTTP_BAD, 0, NULL, NULL, -1, 0,
        "status"},
    {"status code 4 digits", "HTTP/1.1 2000 OK\r\n\r\n", 0, 0, HTTP_BAD, 0, NULL, NULL, -1, 0,
        "three digits"},
    {"status code 600", "HTTP/1.1 600 Odd\r\n\r\n", 0, 0, HTTP_BAD, 600, NULL, NULL, -1, 0,
        "100-599"},
    {"no reason phrase, no SP", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, 0, HTTP_DONE, 200,
        "", NULL, -1, HTTP_F_NO_REASON_SP, NULL},
    {"301 with Location",
        "HTTP/1.1 301 Moved Permanently\r\n"
        "Location: https://elsewhere.example/.well-known/mta-sts.txt\r\nContent-Length: 0\r\n\r\n",
        0, 0, HTTP_DONE, 301, "", NULL, -1, 0, NULL},
    {"404", "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", 0, 0, HTTP_DONE, 404,
        "not found", NULL, -1, 0, NULL},
    {"204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", 0, 0, HTTP_DONE,
        204, "", NULL, -1, 0, NULL},
    {"interim 100 then 200", "HTTP/1.1 100 Continue\r\n\r\n" OK200 "Content-Length: 1\r\n\r\nx", 0,
        0, HTTP_DONE, 200, "x", NULL, -1, HTTP_F_INTERIM, NULL},
    {"101 never asked for", "HTTP/1.1 101 Switching Protocols\r\n\r\n", 0, 0, HTTP_BAD, 101, NULL,
        NULL, -1, 0, "101"},
    {"too many interim responses",
        "HTTP/1.1 103 E\r\n\r\nHTTP/1.1 103 E\r\n\r\nHTTP/1.1 103 E"
        "\r\n\r\nHTTP/1.1 103 E\r\n\r\nHTTP/1.1 103 E\r\n\r\n",
        0, 0, HTTP_BAD, 103, NULL, NULL, -1, 0, "interim"},
    {"bare LF line ends", "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nok", 0,
        0, HTTP_DONE, 200, "ok", NULL, 1, HTTP_F_BARE_LF, NULL},
    {"missing CRLF: closed inside the head", OK200 "Content-Type: text/plain", 0, 1, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "header section"},
    {"closed inside the status line", "HTTP/1.1 200", 0, 1, HTTP_BAD, 0, NULL, NULL, -1, 0,
        "status line"},
    {"closed before anything", "", 0, 1, HTTP_BAD, 0, NULL, NULL, -1, 0, "without a response"},
    {"bare CR inside a line", OK200 "Content-Type: text/plain\rX: y\r\n\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "bare CR"},
    {"NUL in a field value", OK200 "Content-Type: text/pl\0ain\r\n\r\n", 46, 0, HTTP_BAD, 200, NULL,
        NULL, -1, 0, "NUL"},
    {"NUL in the status line", "HTTP/1.1 200 O\0K\r\n\r\n", 20, 0, HTTP_BAD, 0, NULL, NULL, -1, 0,
        "NUL"},
    {"NUL bytes in the body are data", OK200 "Content-Length: 3\r\n\r\na\0b", 41, 0, HTTP_DONE, 200,
        NULL, NULL, -1, 0, NULL},
    {"header folding",
        OK200 "Content-Type: text/plain;\r\n charset=utf-8\r\n"
              "Content-Length: 0\r\n\r\n",
        0, 0, HTTP_DONE, 200, "", "text/plain; charset=utf-8", 1, HTTP_F_OBS_FOLD, NULL},
    {"whitespace before the first field", OK200 " Content-Type: text/plain\r\n\r\n", 0, 0, HTTP_BAD,
        200, NULL, NULL, -1, 0, "first header"},
    {"whitespace before the colon", OK200 "Content-Length : 0\r\n\r\n", 0, 0, HTTP_BAD, 200, NULL,
        NULL, -1, 0, "whitespace between"},
    {"field line without a colon", OK200 "Content-Type text/plain\r\n\r\n", 0, 0, HTTP_BAD, 200,
        NULL, NULL, -1, 0, "colon"},
    {"two Content-Types", OK200 TP "Content-Type: text/html\r\n\r\n", 0, 0, HTTP_BAD, 200, NULL,
        NULL, -1, 0, "two Content-Type"},
    {"Content-Length not a number", OK200 "Content-Length: 1_0\r\n\r\n", 0, 0, HTTP_BAD, 200, NULL,
        NULL, -1, 0, "not a number"},
    {"Content-Length negative", OK200 "Content-Length: -1\r\n\r\n", 0, 0, HTTP_BAD, 200, NULL, NULL,
        -1, 0, "not a number"},
    {"Content-Length list of one value", OK200 "Content-Length: 2, 2\r\n\r\nok", 0, 0, HTTP_DONE,
        200, "ok", NULL, -1, 0, NULL},
    {"Content-Length values differ", OK200 "Content-Length: 2\r\nContent-Length: 3\r\n\r\n", 0, 0,
        HTTP_BAD, 200, NULL, NULL, -1, 0, "different"},
    {"Content-Length past the bound", OK200 TP "Content-Length: 65\r\n\r\n", 0, 0, HTTP_TOO_LARGE,
        200, NULL, NULL, 1, 0, "bound"},
    {"Content-Length huge", OK200 "Content-Length: 99999999999999999999999999\r\n\r\n", 0, 0,
        HTTP_TOO_LARGE, 200, NULL, NULL, -1, 0, "bound"},
    {"Content-Length mismatch: body cut short", OK200 TP "Content-Length: 10\r\n\r\nhello", 0, 1,
        HTTP_TRUNCATED, 200, "hello", NULL, 1, 0, "after 5 bytes"},
    {"Content-Length mismatch: more bytes than said", OK200 "Content-Length: 2\r\n\r\nokEXTRA", 0,
        0, HTTP_DONE, 200, "ok", NULL, -1, HTTP_F_EXTRA, NULL},
    {"close-delimited body past the bound",
        OK200 "\r\n"
              "01234567890123456789012345678901234567890123456789012345678901234",
        0, 0, HTTP_TOO_LARGE, 200, NULL, NULL, -1, 0, "bound"},
    {"body exactly at the bound",
        OK200 "Content-Length: 64\r\n\r\n"
              "0123456789012345678901234567890123456789012345678901234567890123",
        0, 0, HTTP_DONE, 200, NULL, NULL, -1, 0, NULL},
    {"Connection: close", OK200 "Connection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", 0, 0,
        HTTP_DONE, 200, NULL, NULL, -1, 0, NULL},
};

/* Compare what a parse gave with the case. */
static void
http_check(const struct http_case *c, enum http_state st, const struct http_response *r,
    const unsigned char *body, const char *how)
{
	ck_assert_msg(st == c->want, "%s (%s): state %s, want %s (why: %s)", c->name, how,
	    http_state_name(st), http_state_name(c->want), r->why);
	ck_assert_msg(r->status == c->status, "%s (%s): status %d, want %d", c->name, how,
	    r->status, c->status);
	if (c->body != NULL) {
		ck_assert_msg(
		    r->body_len == strlen(c->body) && memcmp(body, c->body, r->body_len) == 0,
		    "%s (%s): body of %zu bytes, want '%s'", c->name, how, r->body_len, c->body);
	}
	if (c->ctype != NULL) {
		ck_assert_str_eq(r->content_type, c->ctype);
	}
	if (c->text_plain >= 0) {
		ck_assert_msg(http_is_text_plain(r) == c->text_plain, "%s: text/plain %d", c->name,
		    http_is_text_plain(r));
	}
	ck_assert_msg((r->flags & c->flags) == c->flags, "%s (%s): flags %#x lack %#x", c->name,
	    how, r->flags, c->flags);
	if (c->why != NULL) {
		ck_assert_msg(strstr(r->why, c->why) != NULL, "%s (%s): why '%s' lacks '%s'",
		    c->name, how, r->why, c->why);
	}
}

START_TEST(test_http_table)
{
	const struct http_case *c = &cases[_i];
	size_t len = c->len ? c->len : strlen(c->in);
	unsigned char body[CAP];
	struct http_response r;
	struct http_parser *p = malloc(sizeof(*p));
	enum http_state st;

	st = http_parse(c->in, len, c->eof, &r, body, sizeof(body));
	http_check(c, st, &r, body, "whole");

	/* The same bytes one at a time: the parser keeps no assumption
	 * about where reads end. */
	ck_assert_ptr_nonnull(p);
	http_parser_init(p, &r, body, sizeof(body));
	st = HTTP_MORE;
	for (size_t i = 0; i < len; i++) {
		st = http_feed(p, c->in + i, 1);
	}
	if (c->eof) {
		st = http_finish(p);
	}
	http_check(c, st, &r, body, "bytewise");
	free(p);
}
END_TEST

START_TEST(test_http_huge_headers)
{
	static char in[BOUND_HTTP_HEAD * 2];
	unsigned char body[CAP];
	struct http_response r;
	size_t n;

	/* One line past BOUND_HTTP_LINE. */
	n = (size_t)snprintf(in, sizeof(in), "HTTP/1.1 200 OK\r\nX: ");
	memset(in + n, 'a', BOUND_HTTP_LINE);
	ck_assert_int_eq(http_parse(in, n + BOUND_HTTP_LINE, 0, &r, body, sizeof(body)), HTTP_BAD);
	ck_assert_ptr_nonnull(strstr(r.why, "too long"));

	/* Many short fields: past BOUND_HTTP_FIELDS. */
	n = (size_t)snprintf(in, sizeof(in), "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i <= BOUND_HTTP_FIELDS; i++) {
		n += (size_t)snprintf(in + n, sizeof(in) - n, "X%d: y\r\n", i);
	}
	ck_assert_int_eq(http_parse(in, n, 0, &r, body, sizeof(body)), HTTP_BAD);
	ck_assert_ptr_nonnull(strstr(r.why, "too many header fields"));

	/* Fields of legal length that add up past BOUND_HTTP_HEAD. */
	n = (size_t)snprintf(in, sizeof(in), "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 5; i++) {
		n += (size_t)snprintf(
		    in + n, sizeof(in) - n, "X%d: %0*d\r\n", i, BOUND_HTTP_HEAD / 4, 0);
	}
	ck_assert_int_eq(http_parse(in, n, 0, &r, body, sizeof(body)), HTTP_BAD);
	ck_assert_ptr_nonnull(strstr(r.why, "header section is too large"));
}
END_TEST

START_TEST(test_http_raw_bound)
{
	/* Tiny chunks cost framing: a flood of them ends at BOUND_HTTP_RAW
	 * even though the body stays small (chunk extensions pad them). */
	static unsigned char body[BOUND_STS_POLICY];
	static const char head[] = OK200 "Transfer-Encoding: chunked\r\n\r\n";
	char chunk[1100];
	struct http_response r;
	struct http_parser *p = malloc(sizeof(*p));
	enum http_state st;
	size_t n;

	ck_assert_ptr_nonnull(p);
	n = (size_t)snprintf(chunk, sizeof(chunk), "1;x=%01000d\r\nx\r\n", 0);
	http_parser_init(p, &r, body, sizeof(body));
	st = http_feed(p, head, strlen(head));
	for (int i = 0; i < 2000 && st == HTTP_MORE; i++) {
		st = http_feed(p, chunk, n);
	}
	ck_assert_int_eq(st, HTTP_BAD);
	ck_assert_ptr_nonnull(strstr(r.why, "too large in all"));
	ck_assert_uint_lt(r.body_len, 2000);
	free(p);
}
END_TEST

START_TEST(test_http_fields_kept)
{
	static const char moved[] =
	    "HTTP/1.1 301 Moved Permanently\r\n"
	    "Location:   https://elsewhere.example/.well-known/mta-sts.txt  \r\n"
	    "Connection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n";
	static const char plain[] = "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n";
	unsigned char body[CAP];
	struct http_response r;
	char big[600];
	int n;

	ck_assert_int_eq(http_parse(moved, strlen(moved), 0, &r, body, sizeof(body)), HTTP_DONE);
	ck_assert_int_eq(r.has_location, 1);
	/* RFC 9112 §5.1: the OWS around a value is not part of it. */
	ck_assert_str_eq(r.location, "https://elsewhere.example/.well-known/mta-sts.txt");
	ck_assert_int_eq(r.conn_close, 1);
	ck_assert_int_eq(r.content_length, 0);
	ck_assert_uint_eq(r.nfields, 3);
	ck_assert_int_eq(r.body_mode, HTTP_BODY_LENGTH);

	ck_assert_int_eq(http_parse(plain, strlen(plain), 0, &r, body, sizeof(body)), HTTP_DONE);
	ck_assert_int_eq(r.has_location, 0);
	ck_assert_str_eq(r.location, "");
	ck_assert_int_eq(r.conn_close, 0);

	/* A Location longer than kept is cut, and the cut is said. */
	n = snprintf(big, sizeof(big), "HTTP/1.1 301 M\r\nLocation: https://x/%0400d\r\n\r\n", 0);
	ck_assert_int_eq(http_parse(big, (size_t)n, 1, &r, body, sizeof(body)), HTTP_DONE);
	ck_assert_uint_eq(strlen(r.location), BOUND_HTTP_VALUE - 1);
	ck_assert(r.flags & HTTP_F_VALUE_CUT);
	ck_assert_int_eq(r.body_mode, HTTP_BODY_CLOSE);
}
END_TEST

struct req_case {
	const char *host;
	size_t hostlen;
	const char *path;
	size_t pathlen;
	int ok;
};

static const struct req_case reqs[] = {
    {"mta-sts.example.com", 0, "/.well-known/mta-sts.txt", 0, 1},
    {"127.0.0.1:8443", 0, "/.well-known/mta-sts.txt", 0, 1},
    {"mta-sts.example.com\r\nX: y", 0, "/", 0, 0},
    {"mta-sts.example.com", 0, "/x\r\nHost: evil", 0, 0},
    {"mta-sts.example.com\n", 0, "/", 0, 0},
    {"mta-sts.exa\0mple.com", 20, "/", 0, 0},
    {"mta-sts.example.com", 0, "/a\0b", 4, 0},
    {"mta-sts.example.com", 0, "/a b", 0, 0},
    {"mta-sts.example.com", 0, "relative", 0, 0},
    {"", 0, "/", 0, 0},
    {"evil.example/", 0, "/", 0, 0},
    {"user@host", 0, "/", 0, 0},
    {"h\xc3\xa9.example", 0, "/", 0, 0},
};

START_TEST(test_http_request)
{
	const struct req_case *c = &reqs[_i];
	size_t hl = c->hostlen ? c->hostlen : strlen(c->host);
	size_t pl = c->pathlen ? c->pathlen : strlen(c->path);
	char out[512];
	int n = http_request_get(c->host, hl, c->path, pl, out, sizeof(out));

	if (!c->ok) {
		ck_assert_msg(n == -1, "request %zu accepted", (size_t)_i);
		return;
	}
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(out), (size_t)n);
	ck_assert_msg(strncmp(out, "GET ", 4) == 0 && strstr(out, c->path) == out + 4, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, " HTTP/1.1\r\nHost: "));
	ck_assert_ptr_nonnull(strstr(out, c->host));
	ck_assert_ptr_nonnull(strstr(out, "\r\nConnection: close\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "\r\nUser-Agent: smtprobe/" PACKAGE_VERSION "\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "\r\nAccept: text/plain\r\n"));
	ck_assert_msg(strcmp(out + n - 4, "\r\n\r\n") == 0, "no empty line at the end");
	/* Too small a buffer is refused, never cut. */
	ck_assert_int_eq(http_request_get(c->host, hl, c->path, pl, out, (size_t)n), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");

	tcase_add_loop_test(tc, test_http_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_http_huge_headers);
	tcase_add_test(tc, test_http_fields_kept);
	tcase_add_test(tc, test_http_raw_bound);
	tcase_add_loop_test(tc, test_http_request, 0, (int)(sizeof(reqs) / sizeof(reqs[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
