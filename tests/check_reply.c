/* Reply parser: every well-formed and malformed shape, from a table. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "bounds.h"
#include "reply.h"
#include "smtp.h"

struct reply_case {
	const char *name;
	const char *in;
	size_t inlen; /* 0: strlen(in) */
	enum reply_status st;
	int code;
	const char *enh;
	unsigned flags; /* exact flag set expected */
	size_t nlines;
	const char *error; /* substring of r.error when REPLY_BAD */
};

static const struct reply_case reply_cases[] = {
    {"single line", "220 mx.example ESMTP\r\n", 0, REPLY_DONE, 220, "", 0, 1, NULL},
    {"multi line", "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n", 0, REPLY_DONE, 250, "",
        0, 3, NULL},
    {"continuation only", "250-mx.example\r\n250-PIPELINING\r\n", 0, REPLY_MORE, 250, "", 0, 2,
        NULL},
    {"enhanced code", "550 5.1.1 <u@example>: unknown user\r\n", 0, REPLY_DONE, 550, "5.1.1", 0, 1,
        NULL},
    {"enhanced three-digit parts", "554 5.7.123 policy\r\n", 0, REPLY_DONE, 554, "5.7.123", 0, 1,
        NULL},
    {"enhanced at end of line", "221 2.0.0\r\n", 0, REPLY_DONE, 221, "2.0.0", 0, 1, NULL},
    {"enhanced class mismatch", "250 5.1.1 odd\r\n", 0, REPLY_DONE, 250, "5.1.1",
        REPLY_F_ENH_MISMATCH, 1, NULL},
    {"enhanced varies", "550-5.1.1 a\r\n550 5.7.1 b\r\n", 0, REPLY_DONE, 550, "5.1.1",
        REPLY_F_ENH_VARIES, 2, NULL},
    {"not enhanced: four digits", "550 5.1.1234 x\r\n", 0, REPLY_DONE, 550, "", 0, 1, NULL},
    {"not enhanced: class 3", "550 3.1.1 x\r\n", 0, REPLY_DONE, 550, "", 0, 1, NULL},
    {"not enhanced: glued text", "550 5.1.1x\r\n", 0, REPLY_DONE, 550, "", 0, 1, NULL},
    {"not enhanced: missing detail", "550 5.1. x\r\n", 0, REPLY_DONE, 550, "", 0, 1, NULL},
    /* qmail-smtpd.c puts it at the end: "(#5.7.1)". */
    {"enhanced in text, qmail",
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n", 0, REPLY_DONE,
        553, "5.7.1", 0, 1, NULL},
    {"enhanced in text, class differs", "250 ok (#5.7.1)\r\n", 0, REPLY_DONE, 250, "5.7.1",
        REPLY_F_ENH_MISMATCH, 1, NULL},
    {"not enhanced in text: glued", "550 see (#5.7.1x)\r\n", 0, REPLY_DONE, 550, "", 0, 1, NULL},
    {"not enhanced in text: no hash", "550 see (5.7.1)\r\n", 0, REPLY_DONE, 550, "", 0, 1, NULL},
    {"start wins over text", "550 5.1.1 no (#5.7.1)\r\n", 0, REPLY_DONE, 550, "5.1.1", 0, 1, NULL},
    {"bare LF", "220 hi\n", 0, REPLY_DONE, 220, "", REPLY_F_BARE_LF, 1, NULL},
    {"bare code", "250\r\n", 0, REPLY_DONE, 250, "", REPLY_F_NO_TEXT, 1, NULL},
    {"code and space", "250 \r\n", 0, REPLY_DONE, 250, "", REPLY_F_NO_TEXT, 1, NULL},
    {"hyphen no text", "250-\r\n250 x\r\n", 0, REPLY_DONE, 250, "", 0, 2, NULL},
    {"code mismatch", "250-a\r\n251 b\r\n", 0, REPLY_DONE, 250, "", REPLY_F_CODE_MISMATCH, 2, NULL},
    {"second digit 6", "260 odd\r\n", 0, REPLY_DONE, 260, "", REPLY_F_NONSTD_CODE, 1, NULL},
    {"NUL in text", "220 a\0b\r\n", 9, REPLY_DONE, 220, "", REPLY_F_NUL, 1, NULL},
    {"escape in text", "220 \x1b[2Jhi\r\n", 0, REPLY_DONE, 220, "", REPLY_F_CTRL, 1, NULL},
    {"8-bit text", "220 caf\xc3\xa9\r\n", 0, REPLY_DONE, 220, "", REPLY_F_8BIT, 1, NULL},
    {"tab is fine", "220 a\tb\r\n", 0, REPLY_DONE, 220, "", 0, 1, NULL},
    {"non-numeric", "2x0 hi\r\n", 0, REPLY_BAD, 0, "", 0, 0, "three-digit"},
    {"letters", "SSH-2.0-OpenSSH_9.2\r\n", 0, REPLY_BAD, 0, "", 0, 0, "three-digit"},
    {"http", "HTTP/1.1 400 Bad Request\r\n", 0, REPLY_BAD, 0, "", 0, 0, "three-digit"},
    {"code 000", "000 x\r\n", 0, REPLY_BAD, 0, "", 0, 0, "200-599"},
    {"code 199", "199 x\r\n", 0, REPLY_BAD, 0, "", 0, 0, "200-599"},
    {"code 600", "600 x\r\n", 0, REPLY_BAD, 0, "", 0, 0, "200-599"},
    {"code 999", "999 x\r\n", 0, REPLY_BAD, 0, "", 0, 0, "200-599"},
    {"two digits", "25\r\n", 0, REPLY_BAD, 0, "", 0, 0, "three-digit"},
    {"empty line", "\r\n", 0, REPLY_BAD, 0, "", 0, 0, "three-digit"},
    {"bad separator", "250+x\r\n", 0, REPLY_BAD, 0, "", 0, 0, "followed by"},
    {"four digits", "2500 x\r\n", 0, REPLY_BAD, 0, "", 0, 0, "followed by"},
    {"bad second line", "250-a\r\nxyz\r\n", 0, REPLY_BAD, 250, "", 0, 1, "three-digit"},
    {"no line end", "220 hi", 0, REPLY_BAD, 0, "", 0, 0, "without a line end"},
};

START_TEST(test_reply_table)
{
	const struct reply_case *c = &reply_cases[_i];
	struct reply r;
	enum reply_status st;
	size_t len = c->inlen ? c->inlen : strlen(c->in);

	reply_init(&r);
	st = reply_parse(&r, c->in, len);
	ck_assert_msg(st == c->st, "%s: status %d, want %d", c->name, st, c->st);
	ck_assert_msg(r.code == c->code, "%s: code %d, want %d", c->name, r.code, c->code);
	ck_assert_msg(
	    strcmp(r.enh, c->enh) == 0, "%s: enh '%s', want '%s'", c->name, r.enh, c->enh);
	ck_assert_msg(r.flags == c->flags, "%s: flags %#x, want %#x", c->name, r.flags, c->flags);
	ck_assert_msg(
	    r.nlines == c->nlines, "%s: %zu lines, want %zu", c->name, r.nlines, c->nlines);
	if (c->error != NULL) {
		ck_assert_ptr_nonnull(r.error);
		ck_assert_msg(
		    strstr(r.error, c->error) != NULL, "%s: error '%s'", c->name, r.error);
	}
	reply_free(&r);
}
END_TEST

START_TEST(test_reply_text)
{
	struct reply r;
	const char *t;
	size_t len;

	reply_init(&r);
	ck_assert_int_eq(reply_parse(&r, "250-mx\r\n250 SIZE 5\r\n", 20), REPLY_DONE);
	t = reply_text(&r, 1, &len);
	ck_assert_uint_eq(len, 6);
	ck_assert(memcmp(t, "SIZE 5", 6) == 0);
	reply_free(&r);
	reply_init(&r);
	ck_assert_int_eq(reply_parse(&r, "250\r\n", 5), REPLY_DONE);
	(void)reply_text(&r, 0, &len);
	ck_assert_uint_eq(len, 0);
	reply_free(&r);
}
END_TEST

/* Past the line bound, lines are checked and counted but not kept, so
 * that the end of the reply is found. */
START_TEST(test_reply_line_flood)
{
	struct reply r;
	enum reply_status st = REPLY_MORE;
	size_t fed = 0;

	reply_init(&r);
	while (st == REPLY_MORE && fed < 100000) {
		st = reply_add_line(&r, "250-x", 5, 1);
		fed++;
	}
	ck_assert_int_eq(st, REPLY_MORE);
	ck_assert_uint_eq(r.nlines, BOUND_REPLY_LINES);
	ck_assert_uint_eq(r.dropped_lines, 100000 - BOUND_REPLY_LINES);
	ck_assert(r.flags & REPLY_F_TRUNCATED);
	ck_assert_int_eq(reply_add_line(&r, "250 end", 7, 1), REPLY_DONE);
	ck_assert(r.complete);
	reply_free(&r);
	/* A broken line past the bound still ends it. */
	reply_init(&r);
	for (fed = 0; fed < BOUND_REPLY_LINES + 5; fed++) {
		reply_add_line(&r, "250-x", 5, 1);
	}
	ck_assert_int_eq(reply_add_line(&r, "hello", 5, 1), REPLY_BAD);
	reply_free(&r);
}
END_TEST

START_TEST(test_reply_byte_bound)
{
	static char line[BOUND_LINE_ACCEPT];
	struct reply r;
	enum reply_status st = REPLY_MORE;

	memset(line, 'a', sizeof(line));
	memcpy(line, "250-", 4);
	reply_init(&r);
	for (int k = 0; k < 40 && st == REPLY_MORE; k++) {
		st = reply_add_line(&r, line, sizeof(line), 1);
	}
	ck_assert_int_eq(st, REPLY_MORE);
	ck_assert(r.flags & REPLY_F_TRUNCATED);
	ck_assert(r.bytes <= BOUND_REPLY_BYTES);
	ck_assert_uint_gt(r.dropped_lines, 0);
	reply_free(&r);
}
END_TEST

START_TEST(test_reply_long_line)
{
	static char line[BOUND_LINE_ACCEPT + 1];
	struct reply r;

	memset(line, 'a', sizeof(line));
	memcpy(line, "250 ", 4);
	reply_init(&r);
	ck_assert_int_eq(reply_add_line(&r, line, 600, 1), REPLY_DONE);
	ck_assert(r.flags & REPLY_F_LONG_LINE);
	reply_free(&r);
	reply_init(&r);
	ck_assert_int_eq(reply_add_line(&r, line, 510, 1), REPLY_DONE);
	ck_assert(!(r.flags & REPLY_F_LONG_LINE));
	reply_free(&r);
	/* Over the accepted length: the start is kept, the length known. */
	reply_init(&r);
	ck_assert_int_eq(reply_add_line(&r, line, sizeof(line), 1), REPLY_DONE);
	ck_assert(r.flags & REPLY_F_TRUNCATED);
	ck_assert_uint_eq(r.lines[0].len, BOUND_LINE_ACCEPT);
	ck_assert_uint_eq(r.longest, sizeof(line));
	reply_free(&r);
	reply_init(&r);
	ck_assert_int_eq(reply_add_line_full(&r, line, 100, 70000, 1), REPLY_DONE);
	ck_assert_uint_eq(r.longest, 70000);
	ck_assert_uint_eq(r.dropped_bytes, 70000 - 100);
	reply_free(&r);
}
END_TEST

START_TEST(test_reply_after_end)
{
	struct reply r;

	reply_init(&r);
	ck_assert_int_eq(reply_add_line(&r, "250 ok", 6, 1), REPLY_DONE);
	ck_assert_int_eq(reply_add_line(&r, "250 ok", 6, 1), REPLY_BAD);
	reply_free(&r);
}
END_TEST

/* The two code grammars (smtp.h), the one parser of each, used by the
 * reply parser, the catalogue, explain and the pasted-text scanner. */
static const struct code_case {
	const char *in;
	int basic;      /* smtp_code_at */
	size_t enh_len; /* smtp_enh_at: bytes taken, 0 for none */
	int cls, subject, detail;
} code_cases[] = {
    {"250", 250, 0, 0, 0, 0},
    {"599 x", 599, 0, 0, 0, 0},
    {"200-", 200, 0, 0, 0, 0},
    {"199", -1, 0, 0, 0, 0},
    {"600", -1, 0, 0, 0, 0},
    {"25", 0, 0, 0, 0, 0},
    {"2x0", 0, 0, 0, 0, 0},
    {"", 0, 0, 0, 0, 0},
    {"5.7.8", 0, 5, 5, 7, 8},
    {"4.7.123", 0, 7, 4, 7, 123},
    {"2.0.0", 0, 5, 2, 0, 0},
    {"5.07.008", 0, 8, 5, 7, 8},
    {"5.1.1 user unknown", 0, 5, 5, 1, 1},
    {"6.0.0", 0, 0, 0, 0, 0},
    {"3.0.0", 0, 0, 0, 0, 0},
    {"5.7.1234", 0, 7, 5, 7, 123}, /* the caller sees the '4' after it */
    {"5.1234.1", 0, 0, 0, 0, 0},
    {"5.7", 0, 0, 0, 0, 0},
    {"5.7.", 0, 0, 0, 0, 0},
    {"5..8", 0, 0, 0, 0, 0},
    {"55.7.8", 0, 0, 0, 0, 0},
    {"5.7.8.1", 0, 5, 5, 7, 8}, /* the caller sees the ".1" */
    {"5.7.x", 0, 0, 0, 0, 0},
    {".5.7.8", 0, 0, 0, 0, 0},
};

START_TEST(test_codes)
{
	const struct code_case *c = &code_cases[_i];
	struct smtp_enh e = {0, 0, 0};
	size_t n = strlen(c->in);

	ck_assert_msg(smtp_code_at(c->in, n) == c->basic, "'%s': basic %d, want %d", c->in,
	    smtp_code_at(c->in, n), c->basic);
	ck_assert_msg(smtp_enh_at(c->in, n, &e) == c->enh_len, "'%s': enhanced %zu bytes, want %zu",
	    c->in, smtp_enh_at(c->in, n, &e), c->enh_len);
	if (c->enh_len > 0) {
		ck_assert_msg(e.cls == c->cls && e.subject == c->subject && e.detail == c->detail,
		    "'%s': %d.%d.%d", c->in, e.cls, e.subject, e.detail);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("reply");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(
	    tc, test_reply_table, 0, (int)(sizeof(reply_cases) / sizeof(reply_cases[0])));
	tcase_add_loop_test(tc, test_codes, 0, (int)(sizeof(code_cases) / sizeof(code_cases[0])));
	tcase_add_test(tc, test_reply_text);
	tcase_add_test(tc, test_reply_line_flood);
	tcase_add_test(tc, test_reply_byte_bound);
	tcase_add_test(tc, test_reply_long_line);
	tcase_add_test(tc, test_reply_after_end);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
