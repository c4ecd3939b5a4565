/* Target parsing and name checks (the command line: check_opts.c). */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checkrun.h"
#include "target.h"

struct target_case {
	const char *in;
	int ok;
	const char *host;
	unsigned port;
	int is_addr;
};

#define A10 "aaaaaaaaaa"
#define A100 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10

static const struct target_case target_cases[] = {
    {"mx.example.com", 1, "mx.example.com", 25, 0},
    {"mx.example.com:587", 1, "mx.example.com", 587, 0},
    {"127.0.0.1:2525", 1, "127.0.0.1", 2525, 1},
    {"127.0.0.1", 1, "127.0.0.1", 25, 1},
    {"[::1]:2525", 1, "::1", 2525, 1},
    {"[::1]", 1, "::1", 25, 1},
    {"::1", 1, "::1", 25, 1},
    {"2001:db8::25", 1, "2001:db8::25", 25, 1},
    {"[2001:db8::25]:465", 1, "2001:db8::25", 465, 1},
    {"mx:0", 0, NULL, 0, 0},
    {"mx:65536", 0, NULL, 0, 0},
    {"mx:", 0, NULL, 0, 0},
    {"mx:25x", 0, NULL, 0, 0},
    {"mx:-1", 0, NULL, 0, 0},
    {":25", 0, NULL, 0, 0},
    {"[::1", 0, NULL, 0, 0},
    {"[::1]x", 0, NULL, 0, 0},
    {"[mx.example.com]:25", 0, NULL, 0, 0},
    {"[]:25", 0, NULL, 0, 0},
    {"", 0, NULL, 0, 0},
    {"mx\r\nMAIL FROM:<x>", 0, NULL, 0, 0},
    {"mx example", 0, NULL, 0, 0},
    /* RFC 1123 §2.1: a label may start with a digit; the last is never all
     * digits.  Underscores and a final dot are what resolvers take. */
    {"1and1.com", 1, "1and1.com", 25, 0},
    {"123.example", 1, "123.example", 25, 0},
    {"3com.com:587", 1, "3com.com", 587, 0},
    {"mx.example.com.", 1, "mx.example.com.", 25, 0},
    {"_mta-sts.example", 1, "_mta-sts.example", 25, 0},
    {"localhost", 1, "localhost", 25, 0},
    {"mx-1.a1", 1, "mx-1.a1", 25, 0},
    {"[127.0.0.1]:2525", 1, "127.0.0.1", 2525, 1},
    {"::ffff:127.0.0.1", 1, "::ffff:127.0.0.1", 25, 1},
    /* What inet_aton (and so getaddrinfo) would make an address of. */
    {"235", 0, NULL, 0, 0},
    {"127.1", 0, NULL, 0, 0},
    {"127.1:2525", 0, NULL, 0, 0},
    {"0x7f.1", 0, NULL, 0, 0},
    {"0x7f000001", 0, NULL, 0, 0},
    {"2130706433", 0, NULL, 0, 0},
    {"017.0.0.1", 0, NULL, 0, 0},
    {"127.0.0.01", 0, NULL, 0, 0},
    {"5.7.8", 0, NULL, 0, 0},
    /* Numeric last labels inet_aton does not take, and other non-names. */
    {"127.0.0.1.", 0, NULL, 0, 0},
    {"1.2.3.4.5", 0, NULL, 0, 0},
    {"999.1.1.1", 0, NULL, 0, 0},
    {"example.123", 0, NULL, 0, 0},
    {"a..b", 0, NULL, 0, 0},
    {".example", 0, NULL, 0, 0},
    {"bad!host", 0, NULL, 0, 0},
    /* Internationalised names: UTS #46 non-transitional (libidn2). */
    {"m\xc3\xbcller.example", 1, "xn--mller-kva.example", 25, 0},
    {"M\xc3\x9cLLER.example:587", 1, "xn--mller-kva.example", 587, 0},
    {"fa\xc3\x9f.de", 1, "xn--fa-hia.de", 25, 0},
    {"xn--mller-kva.example", 1, "xn--mller-kva.example", 25, 0},
    {"\xe2\x98\x95.example", 0, NULL, 0, 0}, /* a disallowed character */
    {"m\xfcller.example", 0, NULL, 0, 0},    /* Latin-1, not UTF-8 */
    {"xn--zz.example", 0, NULL, 0, 0},       /* invalid punycode */
    {"fe80::1%eth0", 0, NULL, 0, 0},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", 0, NULL, 0, 0},
    /* unix: targets: an absolute path, port 0, no name rules. */
    {"unix:/run/dovecot/lmtp", 1, "/run/dovecot/lmtp", 0, 0},
    {"unix:/var/spool/postfix/private/Dovecot-LMTP", 1, "/var/spool/postfix/private/Dovecot-LMTP",
        0, 0},
    {"unix:/tmp/a:25", 1, "/tmp/a:25", 0, 0},
    {"unix:lmtp", 0, NULL, 0, 0},
    {"unix:", 0, NULL, 0, 0},
    {"unix:25", 0, NULL, 0, 0},
    {"unix:/a b", 0, NULL, 0, 0},
    {"unix:/a\nQUIT", 0, NULL, 0, 0},
    /* 107 bytes fit sun_path with its NUL; 108 do not. */
    {"unix:/" A100 "aaaaaa", 1, "/" A100 "aaaaaa", 0, 0},
    {"unix:/" A100 "aaaaaaa", 0, NULL, 0, 0},
};

/* The message says what the numeric form would have meant, or why the
 * name is no host name. */
static const char *const target_msgs[][2] = {
    {"2130706433", "target '2130706433' is not a.b.c.d: it would mean 127.0.0.1"},
    {"0x7f.1", "target '0x7f.1' is not a.b.c.d: it would mean 127.0.0.1"},
    {"017.0.0.1", "target '017.0.0.1' is not a.b.c.d: it would mean 15.0.0.1"},
    {"235", "target '235' is not a.b.c.d: it would mean 0.0.0.235"},
    {"example.123", "target 'example.123' is neither a host name nor an address a.b.c.d"},
    {"bad!host", "target 'bad!host' is not a host name: it contains '!'"},
    {"a..b", "target 'a..b' is not a host name: a label is empty or too long"},
};

START_TEST(test_target_msg)
{
	struct target t;
	struct fault f;

	ck_assert_int_eq(target_parse(target_msgs[_i][0], 25, &t, &f), -1);
	ck_assert_str_eq(f.msg, target_msgs[_i][1]);
}
END_TEST

START_TEST(test_target_table)
{
	const struct target_case *c = &target_cases[_i];
	struct target t;
	struct fault f;
	int rc = target_parse(c->in, 25, &t, &f);

	ck_assert_msg((rc == 0) == c->ok, "'%s': rc %d (%s)", c->in, rc, rc ? f.msg : "");
	if (c->ok) {
		ck_assert_str_eq(t.host, c->host);
		ck_assert_uint_eq(t.port, c->port);
		ck_assert_int_eq(t.is_addr, c->is_addr);
		ck_assert_int_eq(t.is_unix, strncmp(c->in, "unix:", 5) == 0);
	} else {
		ck_assert(f.msg[0] != '\0');
	}
}
END_TEST

START_TEST(test_check_name)
{
	struct fault f;
	char longname[300];

	ck_assert_int_eq(target_check_name("client.example.org", "--ehlo", &f), 0);
	ck_assert_int_eq(target_check_name("[192.0.2.1]", "--ehlo", &f), 0);
	ck_assert_int_eq(target_check_name("a\rb", "--ehlo", &f), -1);
	ck_assert_ptr_nonnull(strstr(f.msg, "line break"));
	ck_assert_int_eq(target_check_name("a\nb", "--ehlo", &f), -1);
	ck_assert_int_eq(target_check_name("a\x01"
	                                   "b",
	                     "--ehlo", &f),
	    -1);
	ck_assert_int_eq(target_check_name("a b", "--ehlo", &f), -1);
	ck_assert_int_eq(target_check_name("", "--ehlo", &f), -1);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(target_check_name(longname, "--ehlo", &f), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(
	    tc, test_target_table, 0, (int)(sizeof(target_cases) / sizeof(target_cases[0])));
	tcase_add_loop_test(
	    tc, test_target_msg, 0, (int)(sizeof(target_msgs) / sizeof(target_msgs[0])));
	tcase_add_test(tc, test_check_name);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
