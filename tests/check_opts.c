/* The command line: opts_parse and opts_load, as tables -- what is
 * accepted and into what, what is refused and with which message and
 * class, the option table against --help, and that parsing has no
 * effect outside struct opts. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checkrun.h"
#include "i18n.h"
#include "opts.h"
#include "proxyproto.h"
#include "target.h"

/* opts_parse, then opts_load, on a NULL-terminated list of words (as
 * main and serve do). */
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
	if (opts_parse(argc, argv, o, f) != 0) {
		return -1;
	}
	return opts_load(o, f);
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
	ck_assert_int_eq(
	    parse(&o, &f,
	        (const char *const[]){"-p", "587", "-6", "--tls", "starttls", "--timeout", "3",
	            "--ehlo", "probe.example.org", "-q", "mx", NULL}),
	    0);
	ck_assert_uint_eq(o.probe.port, 587);
	ck_assert_int_eq(o.probe.family, AF_INET6);
	ck_assert_int_eq(o.probe.lmtp, 0);
	ck_assert_int_eq(o.probe.tls_mode, TLS_MODE_STARTTLS);
	ck_assert_int_eq(o.probe.step_timeout_s, 3);
	ck_assert_str_eq(o.probe.ehlo_name, "probe.example.org");
	ck_assert_int_eq(o.verbosity, RENDER_QUIET);
	opts_free(&o);
	/* LMTP on its own port, a socket with TLS verified for --tls-name. */
	ck_assert_int_eq(parse(&o, &f,
	                     (const char *const[]){
	                         "--protocol", "lmtp", "mx:24", "unix:/run/dovecot/lmtp", NULL}),
	    0);
	ck_assert_int_eq(o.probe.lmtp, 1);
	ck_assert_uint_eq(o.ntargets, 2);
	ck_assert(o.parsed[1].is_unix);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f,
	                     (const char *const[]){"--tls", "starttls", "--tls-name",
	                         "mail.example", "unix:/run/dovecot/lmtp", NULL}),
	    0);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, &f, (const char *const[]){"--help", NULL}), 0);
	ck_assert_int_eq(o.action, OPTS_HELP);
	opts_free(&o);
	ck_assert_int_eq(
	    parse_free(&o, &f, (const char *const[]){"-p", "2525", "127.0.0.1:2525", NULL}), 0);
	/* Several targets, monitoring options. */
	ck_assert_int_eq(
	    parse(&o, &f,
	        (const char *const[]){"--format", "nagios", "-w", "5", "-c",
	            "10:", "--require-capability", "STARTTLS", "--expect-banner", "^220 mx[.]",
	            "--ignore", "auth-before-tls", "--parallel", "4", "--mx", "example.org",
	            "--dns-server", "127.0.0.1:5353", "a", "b:2525", NULL}),
	    0);
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
	ck_assert_int_eq(parse(&o, &f,
	                     (const char *const[]){"--dns-server", "[::1]:5353", "--trust-anchor",
	                         "/dev/null", "a", NULL}),
	    0);
	ck_assert_str_eq(o.dns.fwd, "::1@5353");
	ck_assert_str_eq(o.dns.anchor, "/dev/null");
	ck_assert_ptr_eq(o.probe.dns, &o.dns);
	opts_free(&o);
	ck_assert_int_eq(
	    parse(&o, &f, (const char *const[]){"--dns-server", "2001:db8::53", "a", NULL}), 0);
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
    {"--source-address", "::1", "--proxy-protocol", "v2", "--proxy-source", "192.0.2.7:1", "mx",
        NULL},
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
    {"--source-address", "::1", "-4", "mx", NULL,
        "--source-address ::1 is IPv6 but -4 asks for IPv4 only"},
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

	ck_assert_int_eq(
	    parse(&o, &f, (const char *const[]){"--source-address", "127.0.0.1", "mx", NULL}), 0);
	ck_assert_ptr_nonnull(o.probe.source);
	ck_assert_int_eq(o.probe.source->family, AF_INET);
	ck_assert(o.probe.source->bind);
	ck_assert_str_eq(o.probe.source->what, "--source-address 127.0.0.1");
	opts_free(&o);
	ck_assert_int_eq(
	    parse(&o, &f, (const char *const[]){"--source-address", "[::1]", "-6", "::1", NULL}),
	    0);
	ck_assert_int_eq(o.probe.source->family, AF_INET6);
	opts_free(&o);
	/* --proxy-source alone: no bind, but only its family is connected to. */
	ck_assert_int_eq(parse(&o, &f,
	                     (const char *const[]){"--proxy-protocol", "v2", "--proxy-source",
	                         "[2001:db8::7]:5000", "mx", NULL}),
	    0);
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

/* Every usage error is FAULT_USAGE (exit 3), never a protocol error. */
START_TEST(test_opts_bad_class)
{
	struct opts o;
	struct fault f;

	ck_assert_int_eq(parse_free(&o, &f, bad_cases[_i]), -1);
	ck_assert_msg(f.cls == FAULT_USAGE, "case %d: class %d (%s)", _i, (int)f.cls, f.msg);
}
END_TEST

/* Options that take one value: the second is refused by name, whether
 * the long name or the letter was used. */
static const char *const twice[][6] = {
    {"-p", "25", "--port", "587", "--port given twice: it takes one value"},
    {"-w", "5", "--warning", "6", "--warning given twice: it takes one value"},
    {"-c", "5", "-c", "6", "--critical given twice: it takes one value"},
    {"--ehlo", "a", "--ehlo", "b", "--ehlo given twice: it takes one value"},
    {"--tls", "none", "--tls", "auto", "--tls given twice: it takes one value"},
    {"--timeout", "5", "--timeout", "6", "--timeout given twice: it takes one value"},
    {"--auth", "PLAIN", "--auth", "LOGIN", "--auth given twice: it takes one value"},
    {"--mail-from", "a@b", "--mail-from", "c@d", "--mail-from given twice: it takes one value"},
    {"--format", "json", "--format", "text", "--format given twice: it takes one value"},
    {"--lang", "de", "--lang", "fr", "--lang given twice: it takes one value"},
    {"--per-ip", "2", "--per-ip", "3", "--per-ip given twice: it takes one value"},
    {"--tls-policy", "may", "--tls-policy", "dane", "--tls-policy given twice: it takes one value"},
    {"--protocol", "lmtp", "--protocol", "smtp", "--protocol given twice: it takes one value"},
    {"--expect-banner", "a", "--expect-banner", "b", "--expect-banner given twice"},
};

START_TEST(test_opts_twice)
{
	const char *const *c = twice[_i];
	const char *words[] = {c[0], c[1], c[2], c[3], "mx", NULL};
	struct opts o;
	struct fault f;

	ck_assert_int_eq(parse_free(&o, &f, words), -1);
	ck_assert_str_eq(f.msg, c[4]);
	ck_assert_int_eq(f.cls, FAULT_USAGE);
}
END_TEST

/* Each option of the table is documented in the --help paragraph its row
 * names (only the refused --password and --pass are in none). */
START_TEST(test_opts_help_para)
{
	const char *name = opts_name((size_t)_i), *para = opts_help((size_t)_i);
	char want[64];

	ck_assert_ptr_nonnull(name);
	if (para == NULL) {
		ck_assert_msg(strcmp(name, "password") == 0 || strcmp(name, "pass") == 0,
		    "--%s is in no --help paragraph", name);
		return;
	}
	snprintf(want, sizeof(want), "--%s", name);
	/* The whole name: --tls is not found in --tls-name. */
	for (const char *at = strstr(para, want);; at = strstr(at + 1, want)) {
		ck_assert_msg(at != NULL, "--%s not in its paragraph", name);
		char next = at[strlen(want)];

		if (next == '\0' || strchr("abcdefghijklmnopqrstuvwxyz0123456789-", next) == NULL) {
			break;
		}
	}
	ck_assert_int_ne(opts_takes_value(name), -1);
}
END_TEST

/* opts_parse has no effect beyond o: files are not opened, the regex not
 * compiled, the language not switched; opts_load does those. */
static const char *const load_only[][8] = {
    {"--targets-file", "/nonexistent", NULL},
    {"--expect-banner", "(unclosed", "mx", NULL},
    {"--cafile", "/nonexistent/ca.pem", "mx", NULL},
    {"--capath", "/nonexistent", "mx", NULL},
    {"--trust-anchor", "/nonexistent", "mx", NULL},
    {"--auth", "PLAIN", "--user", "u", "--password-file", "/nonexistent", "mx", NULL},
    {"--lang", "de", "mx", NULL},
};

START_TEST(test_opts_pure)
{
	const char *const *w = load_only[_i];
	char *before = getenv("LANGUAGE") ? strdup(getenv("LANGUAGE")) : NULL;
	struct opts o;
	struct fault f;
	char *argv[10];
	int argc = 0;

	argv[argc++] = (char *)"smtprobe";
	for (int i = 0; w[i] != NULL; i++) {
		argv[argc++] = (char *)w[i];
	}
	argv[argc] = NULL;
	ck_assert_int_eq(opts_parse(argc, argv, &o, &f), 0);
	ck_assert_int_eq(o.policy.have_banner, 0);
	ck_assert_uint_eq(o.ntargets, _i == 0 ? 0 : 1);
	ck_assert(
	    before == NULL ? getenv("LANGUAGE") == NULL : strcmp(before, getenv("LANGUAGE")) == 0);
	if (_i == 6) {
		/* The one that succeeds: load switches the language. */
		ck_assert_int_eq(opts_load(&o, &f), 0);
		ck_assert_str_eq(getenv("LANGUAGE"), "de");
		i18n_set_lang("en");
	} else {
		ck_assert_int_eq(opts_load(&o, &f), -1);
		ck_assert_int_eq(f.cls, FAULT_USAGE);
	}
	opts_free(&o);
	free(before);
}
END_TEST

/* --targets-file: its targets after the arguments', each parsed once (with
 * the final --port, even when -p comes after the file); errors named by
 * FILE:LINE. */
START_TEST(test_opts_targets_file)
{
	char path[] = "/tmp/check_opts.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct opts o;
	struct fault f;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("# monitored\n  b.example  # the backup\n\n[2001:db8::1]:2525\n", fp);
	fclose(fp);
	ck_assert_int_eq(
	    parse(&o, &f,
	        (const char *const[]){"--targets-file", path, "-p", "587", "a.example", NULL}),
	    0);
	ck_assert_uint_eq(o.ntargets, 3);
	ck_assert_str_eq(o.targets[0], "a.example");
	ck_assert_str_eq(o.targets[1], "b.example");
	ck_assert_str_eq(o.parsed[1].host, "b.example");
	ck_assert_uint_eq(o.parsed[1].port, 587);
	ck_assert_str_eq(o.parsed[2].host, "2001:db8::1");
	ck_assert_uint_eq(o.parsed[2].port, 2525);
	ck_assert_str_eq(o.probe.target, "a.example");
	opts_free(&o);
	fp = fopen(path, "w");
	fputs("good.example\n127.1\n", fp);
	fclose(fp);
	ck_assert_int_eq(
	    parse_free(&o, &f, (const char *const[]){"--targets-file", path, NULL}), -1);
	ck_assert(strncmp(f.msg, path, strlen(path)) == 0);
	ck_assert(strncmp(f.msg + strlen(path), ":2: ", 4) == 0);
	ck_assert_int_eq(f.cls, FAULT_USAGE);
	unlink(path);
}
END_TEST

/* Addresses are copied with their brackets removed; argv is left as it
 * was, so parsing it again (main does, for --lang) gives the same. */
START_TEST(test_opts_addr_copy)
{
	char from[] = "<>", rcpt[] = "<a@example.org>";
	char *argv[] = {(char *)"smtprobe", (char *)"--mail-from", from, (char *)"--rcpt", rcpt,
	    (char *)"mx", NULL};
	struct opts o;
	struct fault f;

	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(opts_parse(6, argv, &o, &f), 0);
		ck_assert_str_eq(o.probe.mail_from, "");
		ck_assert_str_eq(o.probe.rcpts[0], "a@example.org");
		opts_free(&o);
	}
	ck_assert_str_eq(from, "<>");
	ck_assert_str_eq(rcpt, "<a@example.org>");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("opts");

	tcase_add_loop_test(
	    tc, test_opts_bad_msg, 0, (int)(sizeof(bad_msgs) / sizeof(bad_msgs[0])));
	tcase_add_test(tc, test_opts_source);
	tcase_add_loop_test(tc, test_first_operand, 0, 12);
	tcase_add_test(tc, test_opts_good);
	tcase_add_loop_test(tc, test_opts_bad, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_loop_test(
	    tc, test_opts_bad_class, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_loop_test(tc, test_opts_twice, 0, (int)(sizeof(twice) / sizeof(twice[0])));
	tcase_add_loop_test(tc, test_opts_help_para, 0, (int)opts_count());
	tcase_add_loop_test(tc, test_opts_pure, 0, (int)(sizeof(load_only) / sizeof(load_only[0])));
	tcase_add_test(tc, test_opts_targets_file);
	tcase_add_test(tc, test_opts_addr_copy);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
