/* check_dns.c - the DNSSEC status of one answer from libunbound's result
 * fields (dns_fact_of), and the option forms of --dns-server. */
#include <config.h>

#include <string.h>

#include "checkrun.h"
#include "dns.h"

static const struct {
	int rcode, secure, bogus;
	const char *why;
	enum dnssec_status want;
	const char *want_why;
} cases[] = {
    {0, 1, 0, NULL, DNSSEC_SECURE, ""},
    {3, 1, 0, NULL, DNSSEC_SECURE, ""}, /* a proven NXDOMAIN */
    {0, 0, 0, NULL, DNSSEC_INSECURE, ""},
    {3, 0, 0, NULL, DNSSEC_INSECURE, ""},
    {0, 0, 1, "validation failure <a.test. A IN>: signature expired", DNSSEC_BOGUS,
        "validation failure <a.test. A IN>: signature expired"},
    {2, 0, 1, NULL, DNSSEC_BOGUS, "bogus"},
    {2, 0, 0, NULL, DNSSEC_FAILED, "server failure (SERVFAIL)"},
    {5, 0, 0, NULL, DNSSEC_FAILED, "the server refused to answer (REFUSED)"},
    {1, 0, 0, NULL, DNSSEC_FAILED, "the server could not read the query (FORMERR)"},
    /* The reason quotes names from the answer: no control bytes pass. */
    {0, 0, 1, "bad \x1b[31mname\r\n", DNSSEC_BOGUS, "bad ?[31mname??"},
};

START_TEST(test_fact_of)
{
	struct dns_fact f;

	dns_fact_of(&f, cases[_i].rcode, cases[_i].secure, cases[_i].bogus, cases[_i].why, 2);
	ck_assert_int_eq(f.sec, cases[_i].want);
	ck_assert_int_eq(f.rcode, cases[_i].rcode);
	ck_assert_int_eq(f.nrecords, 2);
	ck_assert_str_eq(f.why, cases[_i].want_why);
}
END_TEST

START_TEST(test_fact_why_bounded)
{
	char why[1000];
	struct dns_fact f;

	memset(why, 'x', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	dns_fact_of(&f, 2, 0, 1, why, 0);
	ck_assert_uint_eq(strlen(f.why), sizeof(f.why) - 1);
}
END_TEST

static const struct {
	const char *arg, *fwd;
} servers[] = {
    {"192.0.2.53", "192.0.2.53@53"},
    {"192.0.2.53:5353", "192.0.2.53@5353"},
    {"::1", "::1@53"},
    {"[::1]:5353", "::1@5353"},
    {"[2001:db8::53]", "2001:db8::53@53"},
    {"ns.example", NULL},
    {"192.0.2.53:0", NULL},
    {"[::1]:99999", NULL},
    {"", NULL},
};

START_TEST(test_server)
{
	struct dns_conf c;
	struct fault f;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = dns_conf_server(servers[_i].arg, &c, &f);
	if (servers[_i].fwd == NULL) {
		ck_assert_int_eq(rc, -1);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(c.fwd, servers[_i].fwd);
	ck_assert_str_eq(c.fwd_text, servers[_i].arg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");

	tcase_add_loop_test(tc, test_fact_of, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_fact_why_bounded);
	tcase_add_loop_test(tc, test_server, 0, (int)(sizeof(servers) / sizeof(servers[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
