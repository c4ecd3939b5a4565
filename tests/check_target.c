/* Target parsing, name checks and command-line validation. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "proxyproto.h"

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
	{"\xe2\x98\x95.example", 0, NULL, 0, 0},    /* a disallowed character */
	{"m\xfcller.example", 0, NULL, 0, 0},         /* Latin-1, not UTF-8 */
	{"xn--zz.example", 0, NULL, 0, 0},             /* invalid punycode */
	{"fe80::1%eth0", 0, NULL, 0, 0},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", 0, NULL, 0, 0},
	/* unix: targets: an absolute path, port 0, no name rules. */
	{"unix:/run/dovecot/lmtp", 1, "/run/dovecot/lmtp", 0, 0},
	{"unix:/var/spool/postfix/private/Dovecot-LMTP", 1, "/var/spool/postfix/private/Dovecot-LMTP", 0, 0},
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
	ck_assert_int_eq(o.probe.lmtp, 0);
	ck_assert_int_eq(o.probe.tls_mode, TLS_MODE_STARTTLS);
	ck_assert_int_eq(o.probe.step_timeout_s, 3);
	ck_assert_str_eq(o.probe.ehlo_name, "probe.example.org");
	ck_assert_int_eq(o.verbosity, RENDER_QUIET);
	opts_free(&o);
	/* LMTP on its own port, a socket with TLS verified for --tls-name. */
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--protocol", "lmtp", "mx:24",
	    "unix:/run/dovecot/lmtp", NULL}), 0);
	ck_assert_int_eq(o.probe.lmtp, 1);
	ck_assert_uint_eq(o.ntargets, 2);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--tls", "starttls", "--tls-name",
	    "mail.example", "unix:/run/dovecot/lmtp", NULL}), 0);
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
	{"--proxy-protocol", "v1", "mx", NULL},
	{"--proxy-source", "192.0.2.7:5000", "mx", NULL},
	{"--proxy-protocol", "v3", "--proxy-source", "192.0.2.7:5000", "mx", NULL},
	{"--proxy-protocol", "v1", "--proxy-source", "192.0.2.7", "mx", NULL},
	{"--proxy-protocol", "v1", "--proxy-source", "192.0.2.7:0", "mx", NULL},
	{"--proxy-protocol", "v1", "--proxy-source", "2001:db8::7:25", "mx", NULL},
	{"--proxy-protocol", "v1", "--proxy-source", "mx.example:25", "mx", NULL},
	{"--proxy-protocol", "v1", "--proxy-source", "[2001:db8::7]:25", "127.0.0.1", NULL},
	{"--proxy-protocol", "v1", "--proxy-source", "[2001:db8::7]:25", "-4", "mx", NULL},
	{"--source-address", "127.0.0.1:25", "mx", NULL},
	{"--source-address", "mx.example", "mx", NULL},
	{"--source-address", "::1", "-4", "mx", NULL},
	{"--source-address", "::1", "127.0.0.1", NULL},
	{"--source-address", "::1", "--proxy-protocol", "v2", "--proxy-source", "192.0.2.7:1", "mx", NULL},
	{"--source-address", "127.0.0.1", "--source-address", "127.0.0.2", "mx", NULL},
	{"-4", "::1", NULL},
	{"-6", "127.0.0.1", NULL},
	{"-6", "[127.0.0.1]:25", NULL},
	{"mx", "127.1", NULL},
};

/* The messages a user reads for what the issue calls surprise targets. */
static const char *const bad_msgs[][8] = {
	{"235", NULL, "'235' is not a target: did you mean 'smtprobe explain 235'?"},
	{"235", "504", NULL, "'235 504' is not a target: did you mean 'smtprobe explain 235 504'?"},
	{"5.7.8", NULL, "'5.7.8' is not a target: did you mean 'smtprobe explain 5.7.8'?"},
	{"535 5.7.8", NULL, "'535 5.7.8' is not a target: did you mean smtprobe explain '535 5.7.8'?"},
	{"127.1", NULL, "target '127.1' is not a.b.c.d: it would mean 127.0.0.1"},
	{"-4", "::1", NULL, "target '::1' is an IPv6 address but -4 asks for IPv4 only"},
	{"-6", "127.0.0.1", NULL, "target '127.0.0.1' is an IPv4 address but -6 asks for IPv6 only"},
	{"--source-address", "::1", "-4", "mx", NULL, "--source-address ::1 is IPv6 but -4 asks for IPv4 only"},
	/* RFC 2033 §1: LMTP "MUST NOT be used on TCP port 25". */
	{"--protocol", "lmtp", "mx", NULL,
	    "target 'mx': LMTP is not for port 25 (RFC 2033 §1); name the LMTP port"},
	{"--protocol", "lmtp", "--mx", "example.org", NULL,
	    "--protocol lmtp: not on port 25 (RFC 2033 §1); give the LMTP port with --port"},
	{"--protocol", "smtp2", "mx", NULL, "--protocol 'smtp2': must be smtp or lmtp"},
	{"--tls", "implicit", "unix:/run/x", NULL,
	    "target 'unix:/run/x': TLS on a unix: socket needs --tls-name to verify"},
	{"--require-tls", "unix:/run/x", NULL,
	    "target 'unix:/run/x': TLS on a unix: socket needs --tls-name to verify"},
	{"--source-address", "127.0.0.1", "unix:/run/x", NULL,
	    "target 'unix:/run/x': --proxy-protocol and --source-address are for TCP only"},
};

START_TEST(test_opts_bad_msg)
{
	const char *const *c = bad_msgs[_i];
	struct opts o;
	struct fault f;
	size_t n = 0;

	while (c[n] != NULL) {
		n++;
	}
	ck_assert_int_eq(parse_free(&o, &f, c), -1);
	ck_assert_str_eq(f.msg, c[n + 1]);
}
END_TEST

START_TEST(test_opts_source)
{
	struct opts o;
	struct fault f;

	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--source-address", "127.0.0.1", "mx", NULL}), 0);
	ck_assert_ptr_nonnull(o.probe.source);
	ck_assert_int_eq(o.probe.source->family, AF_INET);
	ck_assert(o.probe.source->bind);
	ck_assert_str_eq(o.probe.source->what, "--source-address 127.0.0.1");
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--source-address", "[::1]", "-6", "::1", NULL}), 0);
	ck_assert_int_eq(o.probe.source->family, AF_INET6);
	opts_free(&o);
	/* --proxy-source alone: no bind, but only its family is connected to. */
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--proxy-protocol", "v2", "--proxy-source",
	    "[2001:db8::7]:5000", "mx", NULL}), 0);
	ck_assert_int_eq(o.probe.proxy, PROXYPROTO_V2);
	ck_assert_int_eq(o.probe.proxy_src.ss_family, AF_INET6);
	ck_assert_ptr_nonnull(o.probe.source);
	ck_assert(!o.probe.source->bind);
	ck_assert_int_eq(o.probe.source->family, AF_INET6);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"mx", NULL}), 0);
	ck_assert_ptr_null(o.probe.source);
	ck_assert_int_eq(o.probe.proxy, PROXYPROTO_NONE);
	opts_free(&o);
}
END_TEST

/* The first operand, past options and their values. */
START_TEST(test_first_operand)
{
	static const struct {
		const char *argv[8];
		int want;
	} cases[] = {
		{{"smtprobe", "explain", "235", NULL}, 1},
		{{"smtprobe", "--lang", "de", "explain", "235", NULL}, 3},
		{{"smtprobe", "--lang=de", "explain", NULL}, 2},
		{{"smtprobe", "-q", "-p", "25", "mx", NULL}, 4},
		{{"smtprobe", "-qp25", "mx", NULL}, 2},
		{{"smtprobe", "-qp", "25", "mx", NULL}, 3},
		{{"smtprobe", "--ehlo", "explain", "mx", NULL}, 3},
		{{"smtprobe", "--insecure", "-", NULL}, 2},
		{{"smtprobe", "--", "explain", NULL}, 3},
		{{"smtprobe", "-v", NULL}, 2},
		{{"smtprobe", "--la", "de", "explain", NULL}, 3},
		{{"smtprobe", "--ins", "explain", NULL}, 2},
	};
	int argc = 0;

	while (cases[_i].argv[argc] != NULL) {
		argc++;
	}
	ck_assert_int_eq(opts_first_operand(argc, (char *const *)cases[_i].argv), cases[_i].want);
}
END_TEST

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
	tcase_add_loop_test(tc, test_target_msg, 0, (int)(sizeof(target_msgs) / sizeof(target_msgs[0])));
	tcase_add_test(tc, test_check_name);
	tcase_add_loop_test(tc, test_opts_bad_msg, 0, (int)(sizeof(bad_msgs) / sizeof(bad_msgs[0])));
	tcase_add_test(tc, test_opts_source);
	tcase_add_loop_test(tc, test_first_operand, 0, 12);
	tcase_add_test(tc, test_opts_good);
	tcase_add_loop_test(tc, test_opts_bad, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
