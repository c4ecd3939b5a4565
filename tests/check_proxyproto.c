/* The PROXY protocol header, byte for byte against HAProxy's
 * specification (doc/proxy-protocol.txt: §2.1 version 1, §2.2 version 2). */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "checkrun.h"
#include "proxyproto.h"

/* A sockaddr from "ADDR" and a port. */
static void
sa_make(struct sockaddr_storage *ss, const char *addr, unsigned port)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		ck_assert_int_eq(inet_pton(AF_INET6, addr, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		ck_assert_int_eq(inet_pton(AF_INET, addr, &s4->sin_addr), 1);
	}
}

/* §2.2: the signature, spelled out in the specification's own bytes. */
START_TEST(test_v2_signature)
{
	static const unsigned char spec[12] = {
	    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

	ck_assert_int_eq(memcmp(proxyproto_v2_sig, spec, sizeof(spec)), 0);
	/* "\r\n\r\n\0\r\nQUIT\n": the NUL at the 5th position. */
	ck_assert_int_eq(memcmp(proxyproto_v2_sig + 7, "QUIT\n", 5), 0);
}
END_TEST

struct v1_case {
	const char *src;
	unsigned sport;
	const char *dst;
	unsigned dport;
	const char *line; /* expected, CRLF included */
};

static const struct v1_case v1_cases[] = {
    /* §2.1's example line. */
    {"192.168.0.1", 56324, "192.168.0.11", 443,
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"},
    /* §2.1's longest TCP4 line: 56 characters. */
    {"255.255.255.255", 65535, "255.255.255.255", 65535,
        "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n"},
    {"192.0.2.7", 5000, "127.0.0.1", 25, "PROXY TCP4 192.0.2.7 127.0.0.1 5000 25\r\n"},
    {"0.0.0.0", 0, "10.0.0.1", 1, "PROXY TCP4 0.0.0.0 10.0.0.1 0 1\r\n"},
    /* §2.1's longest TCP6 line: 104 characters. */
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        65535,
        "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
        "65535 65535\r\n"},
    {"2001:db8::7", 5000, "::1", 2525, "PROXY TCP6 2001:db8::7 ::1 5000 2525\r\n"},
    /* Hexadecimal groups only: never inet_ntop's ::ffff:192.0.2.1. */
    {"::ffff:192.0.2.1", 1, "::ffff:127.0.0.1", 2,
        "PROXY TCP6 ::ffff:c000:201 ::ffff:7f00:1 1 2\r\n"},
};

START_TEST(test_v1)
{
	const struct v1_case *c = &v1_cases[_i];
	struct sockaddr_storage s, d;
	unsigned char out[PROXYPROTO_MAX];
	struct fault f;
	size_t len = 0;

	sa_make(&s, c->src, c->sport);
	sa_make(&d, c->dst, c->dport);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V1, (struct sockaddr *)&s,
	                     (struct sockaddr *)&d, out, sizeof(out), &len, &f),
	    0);
	ck_assert_uint_eq(len, strlen(c->line));
	ck_assert_int_eq(memcmp(out, c->line, len), 0);
	ck_assert_uint_le(len, 107);
}
END_TEST

/* §2.2, TCP over IPv4: 16 bytes of header, then 12 of addresses. */
START_TEST(test_v2_ipv4)
{
	static const unsigned char want[28] = {
	    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
	    0x21,            /* version 2, command PROXY */
	    0x11,            /* AF_INET, STREAM */
	    0x00, 0x0C,      /* 12 bytes follow */
	    192, 168, 0, 1,  /* source address */
	    192, 168, 0, 11, /* destination address */
	    0xDC, 0x04,      /* source port 56324 */
	    0x01, 0xBB,      /* destination port 443 */
	};
	struct sockaddr_storage s, d;
	unsigned char out[PROXYPROTO_MAX];
	struct fault f;
	size_t len = 0;

	sa_make(&s, "192.168.0.1", 56324);
	sa_make(&d, "192.168.0.11", 443);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V2, (struct sockaddr *)&s,
	                     (struct sockaddr *)&d, out, sizeof(out), &len, &f),
	    0);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_int_eq(memcmp(out, want, len), 0);
}
END_TEST

/* §2.2, TCP over IPv6: 16 + 36 bytes. */
START_TEST(test_v2_ipv6)
{
	static const unsigned char want[52] = {
	    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x21,
	    0x00, 0x24, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0x07,                                              /* 2001:db8::7 */
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, /* ::1 */
	    0x13, 0x88,                                        /* 5000 */
	    0x00, 0x19,                                        /* 25 */
	};
	struct sockaddr_storage s, d;
	unsigned char out[PROXYPROTO_MAX];
	struct fault f;
	size_t len = 0;

	sa_make(&s, "2001:db8::7", 5000);
	sa_make(&d, "::1", 25);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V2, (struct sockaddr *)&s,
	                     (struct sockaddr *)&d, out, sizeof(out), &len, &f),
	    0);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_int_eq(memcmp(out, want, len), 0);
}
END_TEST

/* Refused: families that differ, a buffer too small, no version. */
START_TEST(test_refused)
{
	struct sockaddr_storage s4, d6, d4;
	unsigned char out[PROXYPROTO_MAX];
	struct fault f;
	size_t len = 99;

	sa_make(&s4, "192.0.2.7", 5000);
	sa_make(&d6, "::1", 25);
	sa_make(&d4, "127.0.0.1", 25);
	for (int v = PROXYPROTO_V1; v <= PROXYPROTO_V2; v++) {
		f.msg[0] = '\0';
		ck_assert_int_eq(
		    proxyproto_build((enum proxyproto_version)v, (struct sockaddr *)&s4,
		        (struct sockaddr *)&d6, out, sizeof(out), &len, &f),
		    -1);
		ck_assert_uint_eq(len, 0);
		ck_assert(f.msg[0] != '\0');
	}
	/* "PROXY TCP4 192.0.2.7 127.0.0.1 5000 25\r\n" is 40 bytes and its NUL. */
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V1, (struct sockaddr *)&s4,
	                     (struct sockaddr *)&d4, out, 40, &len, &f),
	    -1);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V1, (struct sockaddr *)&s4,
	                     (struct sockaddr *)&d4, out, 41, &len, &f),
	    0);
	ck_assert_uint_eq(len, 40);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V2, (struct sockaddr *)&s4,
	                     (struct sockaddr *)&d4, out, 27, &len, &f),
	    -1);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_V2, (struct sockaddr *)&s4,
	                     (struct sockaddr *)&d4, out, 28, &len, &f),
	    0);
	ck_assert_int_eq(proxyproto_build(PROXYPROTO_NONE, (struct sockaddr *)&s4,
	                     (struct sockaddr *)&d4, out, sizeof(out), &len, &f),
	    -1);
}
END_TEST

static const char *const v6_text[][2] = {
    {"::", "::"},
    {"::1", "::1"},
    {"1::", "1::"},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},    /* RFC 5952 §4.2.3: the first of equals */
    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},          /* the longest */
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, /* §4.2.2: one zero group stays */
    {"2001:DB8::ABCD", "2001:db8::abcd"},             /* §4.3: lower case */
    {"fe80::1:2", "fe80::1:2"},
};

START_TEST(test_ipv6_text)
{
	unsigned char a[16];
	char out[40];

	ck_assert_int_eq(inet_pton(AF_INET6, v6_text[_i][0], a), 1);
	proxyproto_ipv6_text(a, out);
	ck_assert_str_eq(out, v6_text[_i][1]);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proxyproto");
	TCase *tc = tcase_create("proxyproto");

	tcase_add_test(tc, test_v2_signature);
	tcase_add_loop_test(tc, test_v1, 0, (int)(sizeof(v1_cases) / sizeof(v1_cases[0])));
	tcase_add_test(tc, test_v2_ipv4);
	tcase_add_test(tc, test_v2_ipv6);
	tcase_add_test(tc, test_refused);
	tcase_add_loop_test(tc, test_ipv6_text, 0, (int)(sizeof(v6_text) / sizeof(v6_text[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
