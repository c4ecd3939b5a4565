/* EHLO model: keywords as whole tokens, case-insensitive, SIZE with
 * overflow checks, AUTH lists, and every odd shape flagged. */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "checkrun.h"
#include "ehlo.h"

static void
ehlo_from(struct ehlo *e, const char *text)
{
	struct reply r;

	reply_init(&r);
	ck_assert_int_eq(reply_parse(&r, text, strlen(text)), REPLY_DONE);
	ck_assert_int_eq(ehlo_parse(e, &r), 0);
	reply_free(&r);
}

START_TEST(test_ehlo_postfix)
{
	struct ehlo e;

	ehlo_from(&e,
	    "250-mx.test.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
	    "250-AUTH=PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
	    "250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n");
	ck_assert_str_eq(e.domain, "mx.test.example");
	ck_assert_uint_eq(e.n, 12);
	ck_assert_ptr_nonnull(ehlo_find(&e, "starttls"));
	ck_assert_ptr_nonnull(ehlo_find(&e, "StartTLS"));
	ck_assert_ptr_nonnull(ehlo_find(&e, "CHUNKING"));
	ck_assert_ptr_null(ehlo_find(&e, "XCLIENT"));
	ck_assert(e.size_advertised);
	ck_assert(e.size_max == 10240000u);
	ck_assert_uint_eq(e.nauth, 2);
	ck_assert(ehlo_has_auth(&e, "plain"));
	ck_assert(ehlo_has_auth(&e, "LOGIN"));
	ck_assert(!ehlo_has_auth(&e, "CRAM-MD5"));
	ck_assert(e.flags & EHLO_F_LEGACY_AUTH);
	ck_assert(!(e.flags & EHLO_F_DUP_KEYWORD));
	ck_assert_str_eq(ehlo_find(&e, "AUTH")->params, "PLAIN LOGIN");
	ck_assert_str_eq(ehlo_find(&e, "AUTH=")->params, "PLAIN LOGIN");
	ehlo_free(&e);
}
END_TEST

START_TEST(test_ehlo_whole_tokens)
{
	struct ehlo e;

	ehlo_from(&e, "250-mx\r\n250-SIZEX 5\r\n250 STARTTLSX\r\n");
	ck_assert_ptr_null(ehlo_find(&e, "SIZE"));
	ck_assert_ptr_null(ehlo_find(&e, "STARTTLS"));
	ck_assert_ptr_nonnull(ehlo_find(&e, "sizex"));
	ck_assert(!e.size_advertised);
	ehlo_free(&e);
}
END_TEST

struct size_case {
	const char *line;
	int advertised;
	uint64_t max;
	int bad;
};

static const struct size_case size_cases[] = {
    {"250 SIZE", 1, 0, 0},
    {"250 SIZE 0", 1, 0, 0},
    {"250 SIZE 52428800", 1, 52428800u, 0},
    {"250 size 1", 1, 1, 0},
    {"250 SIZE 18446744073709551615", 1, UINT64_MAX, 0},
    {"250 SIZE 18446744073709551616", 1, 0, 1},
    {"250 SIZE 99999999999999999999999", 1, 0, 1},
    {"250 SIZE -1", 1, 0, 1},
    {"250 SIZE 10M", 1, 0, 1},
    {"250 SIZE 1 2", 1, 0, 1},
    {"250 SIZE ", 1, 0, 0},
};

START_TEST(test_ehlo_size)
{
	const struct size_case *c = &size_cases[_i];
	char buf[128];
	struct ehlo e;

	snprintf(buf, sizeof(buf), "250-mx\r\n%s\r\n", c->line);
	ehlo_from(&e, buf);
	ck_assert_msg(e.size_advertised == c->advertised, "%s", c->line);
	ck_assert_msg(
	    e.size_max == c->max, "%s: max %llu", c->line, (unsigned long long)e.size_max);
	ck_assert_msg(
	    ((e.flags & EHLO_F_BAD_SIZE) != 0) == c->bad, "%s: flags %#x", c->line, e.flags);
	ehlo_free(&e);
}
END_TEST

START_TEST(test_ehlo_flags)
{
	struct ehlo e;

	ehlo_from(&e, "250-mx\r\n250-PIPELINING\r\n250-pipelining\r\n250 X_BAD\r\n");
	ck_assert(e.flags & EHLO_F_DUP_KEYWORD);
	ck_assert(e.flags & EHLO_F_BAD_KEYWORD);
	ck_assert_ptr_nonnull(ehlo_find(&e, "X_BAD")); /* kept verbatim */
	ck_assert(ehlo_find(&e, "X_BAD")->bad);
	ehlo_free(&e);

	ehlo_from(&e, "250-mx\r\n250-\r\n250 -DASH\r\n");
	ck_assert(e.flags & EHLO_F_EMPTY_LINE);
	ck_assert(e.flags & EHLO_F_BAD_KEYWORD);
	ehlo_free(&e);

	ehlo_from(&e, "250\r\n");
	ck_assert(e.flags & EHLO_F_NO_DOMAIN);
	ck_assert_str_eq(e.domain, "");
	ck_assert_uint_eq(e.n, 0);
	ehlo_free(&e);

	ehlo_from(&e, "250-mx Hello client [127.0.0.1]\r\n250 AUTH PLAIN BAD!MECH plain\r\n");
	ck_assert_str_eq(e.domain, "mx");
	ck_assert_str_eq(e.greeting, "Hello client [127.0.0.1]");
	ck_assert(e.flags & EHLO_F_BAD_MECH);
	ck_assert(ehlo_has_auth(&e, "PLAIN"));
	ck_assert_uint_eq(e.nauth, 2); /* PLAIN once, the bad one kept verbatim */
	ehlo_free(&e);

	ehlo_from(&e, "250-mx\r\n250 FOO=BAR\r\n");
	ck_assert(e.flags & EHLO_F_BAD_KEYWORD);
	ck_assert_uint_eq(e.nauth, 0);
	ehlo_free(&e);
}
END_TEST

START_TEST(test_ehlo_auth_flood)
{
	/* A 64 KiB EHLO reply of distinct AUTH names (about 8,000): only the
	 * first BOUND_AUTH_MECHS are kept, so the duplicate check compares
	 * each name with at most that many (it was quadratic: 1.8 s of CPU
	 * for one reply). */
	static char text[BOUND_REPLY_BYTES];
	size_t len = 0;
	unsigned k = 0;
	struct ehlo e;

	len += (size_t)snprintf(text, sizeof(text), "250-mx\r\n");
	for (int line = 0; line < 15; line++) {
		len += (size_t)snprintf(text + len, sizeof(text) - len, "250-AUTH SCRAM-SHA-256");
		while (len < (size_t)(line + 1) * 4000) {
			len += (size_t)snprintf(text + len, sizeof(text) - len, " M%05u", k++);
		}
		len += (size_t)snprintf(text + len, sizeof(text) - len, "\r\n");
	}
	snprintf(text + len, sizeof(text) - len, "250 8BITMIME\r\n");
	ehlo_from(&e, text);
	ck_assert_uint_gt(k, 8000);
	ck_assert_uint_eq(e.nauth, BOUND_AUTH_MECHS);
	ck_assert(e.flags & EHLO_F_MANY_MECHS);
	ck_assert(ehlo_has_auth(&e, "SCRAM-SHA-256"));
	ck_assert(ehlo_has_auth(&e, "M00000"));
	ck_assert(!ehlo_has_auth(&e, "M07000"));
	ehlo_free(&e);

	/* The same name again and again is one mechanism, not a flood. */
	len = (size_t)snprintf(text, sizeof(text), "250-mx\r\n250 AUTH");
	while (len < 4000) {
		len += (size_t)snprintf(text + len, sizeof(text) - len, " plain PLAIN");
	}
	snprintf(text + len, sizeof(text) - len, "\r\n");
	ehlo_from(&e, text);
	ck_assert_uint_eq(e.nauth, 1);
	ck_assert(!(e.flags & EHLO_F_MANY_MECHS));
	ehlo_free(&e);
}
END_TEST

START_TEST(test_ehlo_unknown_kept)
{
	struct ehlo e;

	ehlo_from(&e, "250-mx\r\n250-X-Vendor-Thing a b  c\r\n250 XCLIENT NAME ADDR\r\n");
	ck_assert_uint_eq(e.n, 2);
	ck_assert_str_eq(e.ext[0].keyword, "X-Vendor-Thing");
	ck_assert_str_eq(e.ext[0].params, "a b  c");
	ck_assert_str_eq(ehlo_find(&e, "xclient")->params, "NAME ADDR");
	ck_assert_uint_eq(e.flags, 0);
	ehlo_free(&e);
}
END_TEST

/* A NUL inside a keyword keeps the keyword whole: nothing after it is
 * lost, it is invalid, and it matches no keyword by its prefix. */
START_TEST(test_ehlo_nul_keyword)
{
	static const char text[] = "250-mx\r\n250-STARTTLS\0junk\r\n250 SIZE 10\r\n";
	struct ehlo e;
	struct reply r;

	reply_init(&r);
	ck_assert_int_eq(reply_parse(&r, text, sizeof(text) - 1), REPLY_DONE);
	ck_assert_int_eq(ehlo_parse(&e, &r), 0);
	ck_assert_uint_eq(e.n, 2);
	ck_assert_uint_eq(e.ext[0].klen, 13);
	ck_assert_int_eq(memcmp(e.ext[0].keyword, "STARTTLS\0junk", 13), 0);
	ck_assert(e.ext[0].bad);
	ck_assert(e.flags & EHLO_F_BAD_KEYWORD);
	ck_assert_ptr_null(ehlo_find(&e, "STARTTLS"));
	ck_assert_ptr_nonnull(ehlo_find(&e, "SIZE"));
	ehlo_free(&e);
	reply_free(&r);
}
END_TEST

START_TEST(test_ehlo_keyword_valid)
{
	ck_assert(ehlo_keyword_valid("8BITMIME", 8));
	ck_assert(ehlo_keyword_valid("X-EXPS", 6));
	ck_assert(!ehlo_keyword_valid("-X", 2));
	ck_assert(!ehlo_keyword_valid("A_B", 3));
	ck_assert(!ehlo_keyword_valid("", 0));
}
END_TEST

START_TEST(test_ehlo_u64)
{
	uint64_t v;

	ck_assert_int_eq(ehlo_parse_u64("0", 1, &v), 0);
	ck_assert(v == 0);
	ck_assert_int_eq(ehlo_parse_u64("18446744073709551615", 20, &v), 0);
	ck_assert(v == UINT64_MAX);
	ck_assert_int_eq(ehlo_parse_u64("18446744073709551616", 20, &v), -1);
	ck_assert_int_eq(ehlo_parse_u64("", 0, &v), -1);
	ck_assert_int_eq(ehlo_parse_u64("1a", 2, &v), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ehlo");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, test_ehlo_postfix);
	tcase_add_test(tc, test_ehlo_whole_tokens);
	tcase_add_loop_test(
	    tc, test_ehlo_size, 0, (int)(sizeof(size_cases) / sizeof(size_cases[0])));
	tcase_add_test(tc, test_ehlo_flags);
	tcase_add_test(tc, test_ehlo_unknown_kept);
	tcase_add_test(tc, test_ehlo_nul_keyword);
	tcase_add_test(tc, test_ehlo_auth_flood);
	tcase_add_test(tc, test_ehlo_keyword_valid);
	tcase_add_test(tc, test_ehlo_u64);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
