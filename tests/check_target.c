/* Target parsing, name checks and command-line validation. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checkrun.h"
#include "opts.h"
#include "target.h"

struct target_case {
	const char *in;
	int ok;
	const char *host;
	unsigned port;
	int is_addr;
};

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
};

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
	ck_assert_int_eq(target_check_name("a\x01" "b", "--ehlo", &f), -1);
	ck_assert_int_eq(target_check_name("a b", "--ehlo", &f), -1);
	ck_assert_int_eq(target_check_name("", "--ehlo", &f), -1);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(target_check_name(longname, "--ehlo", &f), -1);
}
END_TEST

/* opts_parse on a NULL-terminated list of words. */
static int
parse(struct opts *o, struct fault *f, const char *const *words)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"smtprobe";
	while (*words != NULL && argc < 31) {
		argv[argc++] = (char *)*words++;
	}
	argv[argc] = NULL;
	return opts_parse(argc, argv, o, f);
}

/* The same, releasing what was parsed; for tests that look only at the
 * result. */
static int
parse_free(struct opts *o, struct fault *f, const char *const *words)
{
	int rc = parse(o, f, words);

	opts_free(o);
	return rc;
}

START_TEST(test_opts_good)
{
	struct opts o;
	struct fault f;

	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"mx.example.com", NULL}), 0);
	ck_assert_uint_eq(o.probe.port, 25);
	ck_assert_int_eq(o.probe.tls_mode, TLS_MODE_AUTO);
	ck_assert_int_eq(o.probe.step_timeout_s, 10);
	ck_assert_uint_eq(o.ntargets, 1);
	ck_assert_uint_eq(o.parallel, 16);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"-p", "587", "-6", "--tls", "starttls",
	    "--timeout", "3", "--ehlo", "probe.example.org", "-q", "mx", NULL}), 0);
	ck_assert_uint_eq(o.probe.port, 587);
	ck_assert_int_eq(o.probe.family, AF_INET6);
	ck_assert_int_eq(o.probe.tls_mode, TLS_MODE_STARTTLS);
	ck_assert_int_eq(o.probe.step_timeout_s, 3);
	ck_assert_str_eq(o.probe.ehlo_name, "probe.example.org");
	ck_assert_int_eq(o.verbosity, RENDER_QUIET);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--help", NULL}), 0);
	ck_assert_int_eq(o.action, OPTS_HELP);
	opts_free(&o);
	ck_assert_int_eq(parse_free(&o, &f, (const char *const[]){"-p", "2525", "127.0.0.1:2525", NULL}), 0);
	/* Several targets, monitoring options. */
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--format", "nagios", "-w", "5", "-c", "10:",
	    "--require-capability", "STARTTLS", "--expect-banner", "^220 mx[.]", "--ignore", "auth-before-tls",
	    "--parallel", "4", "--mx", "example.org", "--dns-server", "127.0.0.1:5353", "a", "b:2525", NULL}), 0);
	ck_assert_int_eq(o.format, FORMAT_NAGIOS);
	ck_assert_uint_eq(o.ntargets, 2);
	ck_assert_str_eq(o.targets[1], "b:2525");
	ck_assert_uint_eq(o.nmx, 1);
	ck_assert(o.policy.have_warn && o.policy.have_crit && o.policy.have_banner);
	ck_assert_uint_eq(o.policy.nignore, 1);
	ck_assert_uint_eq(o.parallel, 4);
	ck_assert_str_eq(o.dns.fwd, "127.0.0.1@5353");
	ck_assert_ptr_null(o.dns.anchor);
	opts_free(&o);
	/* IPv6 resolvers, with and without a port; a trust anchor. */
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--dns-server", "[::1]:5353",
	    "--trust-anchor", "/dev/null", "a", NULL}), 0);
	ck_assert_str_eq(o.dns.fwd, "::1@5353");
	ck_assert_str_eq(o.dns.anchor, "/dev/null");
	ck_assert_ptr_eq(o.probe.dns, &o.dns);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--dns-server", "2001:db8::53", "a", NULL}), 0);
	ck_assert_str_eq(o.dns.fwd, "2001:db8::53@53");
	opts_free(&o);
}
END_TEST

static const char *const bad_cases[][8] = {
	{NULL},
	{"--parallel", "0", "a", NULL},
	{"--format", "xml", "a", NULL},
	{"-w", "10:5", "a", NULL},
	{"-c", "abc", "a", NULL},
	{"--ignore", "no-such-finding", "a", NULL},
	{"--require-capability", "BAD KEY", "a", NULL},
	{"--expect-banner", "(unclosed", "a", NULL},
	{"--targets-file", "/nonexistent", NULL},
	{"--dns-server", "ns.example", "a", NULL},
	{"--dns-server", "[::1]:0", "a", NULL},
	{"--trust-anchor", "/nonexistent", "a", NULL},
	{"--trust-anchor", "/dev/null", "--trust-anchor", "/dev/null", "a", NULL},
	{"--mx", "a\nb", NULL},
	{"--port", "0", "mx", NULL},
	{"--port", "65536", "mx", NULL},
	{"--port", "x", "mx", NULL},
	{"-p", NULL},
	{"--tls", "sometimes", "mx", NULL},
	{"--timeout", "0", "mx", NULL},
	{"--timeout", "-5", "mx", NULL},
	{"--timeout", "1.5", "mx", NULL},
	{"--ehlo", "a\r\nRSET", "mx", NULL},
	{"--tls-name", "a\nb", "mx", NULL},
	{"--bogus", "mx", NULL},
	{"-z", "mx", NULL},
	{"--require-tls", "--tls", "none", "mx", NULL},
	{"--cafile", "/nonexistent/ca.pem", "mx", NULL},
	{"--cert-warn-days", "5", "--cert-crit-days", "10", "mx", NULL},
	{"-p", "587", "mx:25", NULL},
	{"mx\rx", NULL},
};

START_TEST(test_opts_bad)
{
	struct opts o;
	struct fault f;

	f.msg[0] = '\0';
	ck_assert_int_eq(parse_free(&o, &f, bad_cases[_i]), -1);
	ck_assert_msg(f.msg[0] != '\0', "case %d: no message", _i);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_target_table, 0,
	    (int)(sizeof(target_cases) / sizeof(target_cases[0])));
	tcase_add_test(tc, test_check_name);
	tcase_add_test(tc, test_opts_good);
	tcase_add_loop_test(tc, test_opts_bad, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
