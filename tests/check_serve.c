/* smtprobe serve's pure parts: the allow_targets rules and what they let
 * through, the scrape-timeout header and query values. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "serve_allow.h"

struct match_case {
	const char *rule;
	const char *host;
	int allowed;
};

static const struct match_case matches[] = {
    {"mx.example.com", "mx.example.com", 1},
    {"mx.example.com", "MX.Example.COM", 1},
    {"mx.example.com", "mx.example.com.", 1},
    {"mx.example.com.", "mx.example.com", 1},
    {"mx.example.com", "mx.example.com.evil.net", 0},
    {"mx.example.com", "xmx.example.com", 0},
    {"*.example.com", "mx.example.com", 1},
    {"*.example.com", "a.b.example.com", 1},
    {"*.example.com", "example.com", 0},
    {"*.example.com", "evilexample.com", 0},
    {"*.example.com", "mx.example.com.evil.net", 0},
    {"*", "anything.example", 1},
    /* A name rule never lets an address in, in any of its forms. */
    {"*", "127.0.0.1", 0},
    {"*", "::1", 0},
    {"*", "127.1", 0},
    {"*", "0x7f.0.0.1", 0},
    {"*", "2130706433", 0},
    {"*", "017700000001", 0},
    {"192.0.2.0/24", "192.0.2.1", 1},
    {"192.0.2.0/24", "192.0.2.255", 1},
    {"192.0.2.0/24", "192.0.3.1", 0},
    {"192.0.2.7", "192.0.2.7", 1},
    {"192.0.2.7", "192.0.2.8", 0},
    {"192.0.2.7/32", "192.0.2.7", 1},
    {"192.0.2.99/24", "192.0.2.1", 1}, /* host bits cleared */
    {"0.0.0.0/0", "203.0.113.5", 1},
    {"0.0.0.0/0", "2001:db8::1", 0},
    {"192.0.2.0/24", "::ffff:192.0.2.9", 1}, /* mapped: the IPv4 address */
    {"::ffff:192.0.2.0/120", "192.0.2.9", 1},
    {"2001:db8::/32", "2001:db8:1::25", 1},
    {"2001:db8::/32", "2001:db9::25", 0},
    {"::1", "::1", 1},
    {"::1", "0:0:0:0:0:0:0:1", 1},
    /* A network rule never lets a name in: names are not resolved. */
    {"0.0.0.0/0", "localhost", 0},
    {"127.0.0.0/8", "127.1", 0},
};

START_TEST(test_allow_match)
{
	const struct match_case *c = &matches[_i];
	struct allow_rule r;
	struct fault f;

	ck_assert_msg(allow_parse(c->rule, &r, &f) == 0, "%s: %s", c->rule, f.msg);
	ck_assert_msg(allow_match(&r, 1, c->host) == c->allowed, "%s against %s: want %d", c->host,
	    c->rule, c->allowed);
}
END_TEST

static const char *const bad_rules[] = {
    "",
    "192.0.2.0/33",
    "2001:db8::/129",
    "192.0.2.0/",
    "192.0.2.0/x",
    "192.0.2.0/-1",
    "mx.example.com/24",
    "a*.example.com",
    "*example.com",
    "mx.*.com",
    "*.",
    "**",
    "127.1",
    "0x7f000001",
    "has space",
    "ctl\x01name",
    "::ffff:1.2.3.4/95",
};

START_TEST(test_allow_bad)
{
	struct allow_rule r;
	struct fault f;

	f.msg[0] = '\0';
	ck_assert_msg(allow_parse(bad_rules[_i], &r, &f) == -1, "'%s' accepted", bad_rules[_i]);
	ck_assert(f.msg[0] != '\0');
}
END_TEST

/* No rule: nothing is allowed (the default config). */
START_TEST(test_allow_empty)
{
	ck_assert_int_eq(allow_match(NULL, 0, "mx.example.com"), 0);
	ck_assert_int_eq(allow_match(NULL, 0, "127.0.0.1"), 0);
}
END_TEST

struct timeout_case {
	const char *s;
	long ms; /* -1: refused */
};

static const struct timeout_case timeouts[] = {
    {"10", 10000},
    {"9.5", 9500},
    {"0.25", 250},
    {"1.0001", 1000},
    {"86400", 86400000},
    {"0", -1},
    {"0.0", -1},
    {"", -1},
    {"-1", -1},
    {"+1", -1},
    {"1e3", -1},
    {"10s", -1},
    {" 10", -1},
    {"1.", -1},
    {".5", -1},
    {"86401", -1},
    {"99999999999999999999", -1},
    {"nan", -1},
};

START_TEST(test_scrape_timeout)
{
	const struct timeout_case *c = &timeouts[_i];
	long ms = -7;
	int rc = allow_scrape_timeout(c->s, &ms);

	if (c->ms < 0) {
		ck_assert_msg(rc == -1, "'%s' accepted as %ld ms", c->s, ms);
	} else {
		ck_assert_msg(
		    rc == 0 && ms == c->ms, "'%s': rc %d, %ld ms, want %ld", c->s, rc, ms, c->ms);
	}
}
END_TEST

START_TEST(test_value_ok)
{
	ck_assert_int_eq(allow_value_ok("mx.example.com:25", 272), 1);
	ck_assert_int_eq(allow_value_ok("[2001:db8::1]:25", 272), 1);
	ck_assert_int_eq(allow_value_ok("", 272), 0);
	ck_assert_int_eq(allow_value_ok("a b", 272), 0);
	ck_assert_int_eq(allow_value_ok("a\r\nb", 272), 0);
	ck_assert_int_eq(allow_value_ok("caf\xc3\xa9", 272), 0);
	ck_assert_int_eq(allow_value_ok("abcd", 4), 1);
	ck_assert_int_eq(allow_value_ok("abcde", 4), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("serve");
	TCase *tc = tcase_create("allow");

	tcase_add_loop_test(tc, test_allow_match, 0, (int)(sizeof(matches) / sizeof(matches[0])));
	tcase_add_loop_test(tc, test_allow_bad, 0, (int)(sizeof(bad_rules) / sizeof(bad_rules[0])));
	tcase_add_test(tc, test_allow_empty);
	tcase_add_loop_test(
	    tc, test_scrape_timeout, 0, (int)(sizeof(timeouts) / sizeof(timeouts[0])));
	tcase_add_test(tc, test_value_ok);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
