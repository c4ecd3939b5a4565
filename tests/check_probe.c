/* The probe against scripted servers: every path of the spine, each
 * asserting the exact findings, the verdict and the bytes the server got. */
#include <config.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "checkrun.h"
#include "harness.h"
#include "render.h"

START_TEST(test_starttls_happy)
{
	static const char *const script[] = {
		"S:220-" MX " ESMTP scripted\r\n220-second greeting line\r\n220 third\r\n",
		"R:EHLO probe.test.example", EHLO_TLS_OFFERED,
		"R:STARTTLS", "S:220 2.0.0 Ready to start TLS\r\n", "TLS",
		"R:EHLO probe.test.example", EHLO_AFTER_TLS,
		"R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_msg(r->rep.verdict == SEV_OK, "verdict %s, %zu findings: %s", sev_name(r->rep.verdict),
	    r->rep.nfindings, r->rep.nfindings ? r->rep.findings[0].msg : "");
	ck_assert_int_eq(r->rep.nfindings, 0);
	ck_assert(r->rep.tls_done);
	ck_assert(r->rep.tls.verified);
	ck_assert_str_eq(r->rep.tls.protocol, "TLSv1.3");
	ck_assert_str_eq(r->rep.server_name, MX);
	ck_assert_uint_eq(r->rep.steps[1].reply.nlines, 3);   /* multi-line greeting */
	ck_assert(r->rep.have_caps_plain && r->rep.have_caps_tls);
	ck_assert_ptr_nonnull(ehlo_find(&r->rep.caps_plain, "STARTTLS"));
	ck_assert_ptr_null(ehlo_find(&r->rep.caps_tls, "STARTTLS"));
	ck_assert_ptr_eq(report_caps(&r->rep), &r->rep.caps_tls);
	ck_assert(ehlo_has_auth(report_caps(&r->rep), "PLAIN"));
	ck_assert_ptr_nonnull(strstr(r->received, "QUIT\r\n"));
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "C: STARTTLS\n"));
	ck_assert_ptr_nonnull(strstr(text, "S: 220 2.0.0 Ready to start TLS\n"));
	ck_assert_ptr_nonnull(strstr(text, "TLS handshake: TLSv1.3"));
	ck_assert_ptr_nonnull(strstr(text, "begin the TLS handshake"));
	ck_assert_ptr_nonnull(strstr(text, "\nOK: 127.0.0.1:"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_banner_554)
{
	static const char *const script[] = {
		"S:554 5.7.1 " MX " no service for you\r\n", "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_BANNER_REJECTED));
	ck_assert_ptr_null(strstr(r->received, "EHLO"));
	ck_assert_str_eq(r->received, "QUIT\r\n");
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "No SMTP service here"));
	ck_assert_ptr_nonnull(strstr(text, "CRITICAL: 127.0.0.1:"));
	ck_assert_ptr_nonnull(strstr(text, "banner-rejected"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_banner_421)
{
	static const char *const script[] = {"S:421 4.3.2 " MX " busy, try later\r\n", NULL};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_BANNER_REJECTED));
	/* 421: the server closes; nothing is sent, not even QUIT. */
	ck_assert_str_eq(r->received, "");
	harness_free(r);
}
END_TEST

START_TEST(test_ehlo_refused_helo)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", "S:502 5.5.1 command not implemented\r\n",
		"R:HELO probe.test.example", "S:250 " MX "\r\n", "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_WARNING);
	ck_assert(harness_has(r, F_EHLO_REFUSED));
	ck_assert(harness_has(r, F_STARTTLS_NOT_OFFERED));
	ck_assert(r->rep.used_helo);
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "falls back to HELO"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_starttls_454)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS",
		"S:454 4.7.0 TLS not available due to local problem\r\n", "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_STARTTLS_REFUSED));
	ck_assert(!r->rep.tls_done);
	harness_free(r);
}
END_TEST

START_TEST(test_starttls_injection)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS",
		"S:220 2.0.0 Ready\r\n250-forged\r\n250 AUTH PLAIN\r\n", "TLS",
		"R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;
	const struct step *st;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_STARTTLS_INJECTION));
	st = &r->rep.steps[3];
	ck_assert_int_eq(st->cmd, SMTP_STARTTLS);
	ck_assert_uint_eq(st->injected, strlen("250-forged\r\n250 AUTH PLAIN\r\n"));
	/* The forged lines were never parsed: the session went on in TLS. */
	ck_assert(r->rep.tls_done);
	ck_assert(r->rep.have_caps_tls);
	harness_free(r);
}
END_TEST

START_TEST(test_silent_server)
{
	static const char *const script[] = {"SLEEP:2500", NULL};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	o.step_timeout_s = 1;
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_TIMEOUT));
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "use --tls implicit"));
	/* Nothing is said before a greeting, not even QUIT. */
	ck_assert_ptr_null(strstr(r->received, "QUIT"));
	ck_assert_msg(r->ms < 2500, "took %lld ms", (long long)r->ms);
	harness_free(r);
}
END_TEST

START_TEST(test_close_mid_reply)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", "S:250-" MX "\r\n250-PIPEL", "CLOSE", NULL
	};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_CONNECTION_CLOSED));
	ck_assert_uint_eq(r->rep.steps[2].reply.nlines, 1);
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "in the middle of a line"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_no_starttls)
{
	static const char *const script[] = {GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_WARNING);
	ck_assert(harness_has(r, F_STARTTLS_NOT_OFFERED));
	harness_free(r);

	harness_opts(&o);
	o.require_tls = 1;
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_STARTTLS_NOT_OFFERED));
	harness_free(r);

	harness_opts(&o);
	o.tls_mode = TLS_MODE_NONE;
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert_int_eq(r->rep.nfindings, 0);
	harness_free(r);
}
END_TEST

START_TEST(test_implicit_tls)
{
	static const char *const script[] = {
		"TLS", GREET, "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	o.tls_mode = TLS_MODE_IMPLICIT;
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert(r->rep.tls_done && r->rep.tls.verified);
	ck_assert(!r->rep.have_caps_plain && r->rep.have_caps_tls);
	ck_assert_int_eq(r->rep.steps[1].kind, STEP_TLS);
	ck_assert(r->rep.steps[2].over_tls);
	harness_free(r);
}
END_TEST

START_TEST(test_verify_mismatch)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS", "S:220 go\r\n", "TLS",
		"R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	o.tls_name = "other.example";
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_TLS_VERIFY_FAILED));
	ck_assert(!r->rep.tls.verified);
	ck_assert_ptr_nonnull(strstr(r->rep.tls.verify_reason, "hostname mismatch"));
	harness_free(r);

	harness_opts(&o);
	o.tls_name = "other.example";
	o.insecure = 1;
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert(harness_has(r, F_TLS_UNVERIFIED));
	harness_free(r);
}
END_TEST

START_TEST(test_not_smtp)
{
	static const char *const script[] = {"S:SSH-2.0-OpenSSH_9.2p1 Debian\r\n", NULL};
	struct probe_opts o;
	struct run *r;

	struct report_buf {
		char *buf;
		size_t len;
	} t = {NULL, 0}, j = {NULL, 0};
	FILE *fp;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_REPLY_MALFORMED));
	/* The raw banner is shown, escaped, in the transcript and in JSON. */
	fp = open_memstream(&t.buf, &t.len);
	render_text(fp, &r->rep, RENDER_NORMAL);
	fclose(fp);
	fp = open_memstream(&j.buf, &j.len);
	render_json(fp, &r->rep);
	fclose(fp);
	ck_assert_msg(strstr(t.buf, "S: SSH-2.0-OpenSSH_9.2p1 Debian\n") != NULL, "%s", t.buf);
	ck_assert_msg(strstr(j.buf, "\"unparsed\":\"SSH-2.0-OpenSSH_9.2p1 Debian\"") != NULL, "%s", j.buf);
	free(t.buf);
	free(j.buf);
	harness_free(r);
}
END_TEST

/* A reply to EHLO that is not SMTP: an old server may still take HELO. */
START_TEST(test_helo_after_bad_ehlo)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", "S:hello there\r\n", "R=HELO probe.test.example", "S:250 " MX "\r\n",
		"R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	o.tls_mode = TLS_MODE_NONE;
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(r->rep.used_helo);
	ck_assert(harness_has(r, F_REPLY_MALFORMED));
	harness_free(r);
}
END_TEST

/* STARTTLS refused: every step asked for is in the record as not
 * reached, with why, in text, JSON and nagios. */
START_TEST(test_not_reached)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS", "S:454 4.7.0 TLS not available due to local problem\r\n",
		"R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;
	char *buf = NULL;
	size_t len = 0, unreached = 0;
	FILE *fp;

	harness_opts(&o);
	o.tls_mode = TLS_MODE_STARTTLS;
	o.mail_from = "probe@example.org";
	o.rcpts[0] = "postmaster@" MX;
	o.nrcpts = 1;
	o.vrfy = "postmaster";
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	for (size_t i = 0; i < r->rep.nsteps; i++) {
		unreached += r->rep.steps[i].state == STATE_NOT_REACHED;
	}
	ck_assert_uint_eq(unreached, 3);
	ck_assert(harness_has(r, F_STEP_SKIPPED));
	fp = open_memstream(&buf, &len);
	render_text(fp, &r->rep, RENDER_NORMAL);
	render_json(fp, &r->rep);
	render_nagios(fp, &r->rep, NULL, NULL);
	fclose(fp);
	ck_assert_msg(strstr(buf, "not reached, not sent: MAIL FROM:<probe@example.org>") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "\"state\":\"not-reached\"") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "3 planned commands not sent: STARTTLS answered 454 4.7.0") != NULL, "%s", buf);
	free(buf);
	harness_free(r);
}
END_TEST

START_TEST(test_421_at_ehlo)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", "S:421 4.4.2 " MX " Error: timeout exceeded\r\n", NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_SERVICE_CLOSING));
	ck_assert_ptr_null(strstr(r->received, "QUIT"));
	harness_free(r);
}
END_TEST

/* A 421 for a connection limit is a rate limit: WARNING, nothing past
 * it concluded, and still no QUIT (RFC 5321 §3.8: the server closes). */
START_TEST(test_421_rate_limit_at_ehlo)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", "S:421 4.7.0 " MX " Error: too many connections\r\n", NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_WARNING);
	ck_assert(harness_has(r, F_RATE_LIMITED));
	ck_assert(!harness_has(r, F_SERVICE_CLOSING));
	ck_assert(!harness_has(r, F_STARTTLS_NOT_OFFERED));
	ck_assert_ptr_null(strstr(r->received, "QUIT"));
	harness_free(r);
}
END_TEST

START_TEST(test_escaped_text)
{
	static const char *const script[] = {
		"S:220 " MX " \x1b[31mred\x1b[0m \x07\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	o.tls_mode = TLS_MODE_NONE;
	r = harness_run(script, &o);
	ck_assert(harness_has(r, F_REPLY_CONTROL_BYTES));
	text = harness_render(r, RENDER_VERBOSE);
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_null(strchr(text, '\x07'));
	ck_assert_ptr_nonnull(strstr(text, "\\x1B[31mred"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_connect_refused)
{
	static const char *const script[] = {"CLOSE", NULL};
	struct probe_opts o;
	struct run *r;
	struct report rep;
	char target[64];

	/* A port that was listening a moment ago and is closed now. */
	harness_opts(&o);
	r = harness_run(script, &o);
	snprintf(target, sizeof(target), "127.0.0.1:%u", fakesrv_port(r->srv));
	harness_free(r);
	o.target = target;
	o.tls_mode = TLS_MODE_NONE;
	report_init(&rep);
	probe_run(&o, NULL, &rep);
	ck_assert_int_eq(rep.verdict, SEV_CRITICAL);
	ck_assert(report_has(&rep, F_CONNECT_FAILED));
	ck_assert_uint_eq(rep.net.ntries, 1);
	ck_assert_ptr_nonnull(strstr(rep.net.tries[0].why, "refused"));
	report_free(&rep);
}
END_TEST

START_TEST(test_flood_bounded)
{
	static char flood[4000];
	static const char *script[] = {"S:220-", flood, NULL};
	struct probe_opts o;
	struct run *r;

	/* A greeting line that never ends: the skip bound stops it. */
	memcpy(flood, "REPEAT:400:", 11);
	memset(flood + 11, 'A', sizeof(flood) - 12);
	flood[sizeof(flood) - 1] = '\0';
	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_REPLY_MALFORMED));
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "longer than"));
	harness_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("scripted");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_starttls_happy);
	tcase_add_test(tc, test_banner_554);
	tcase_add_test(tc, test_banner_421);
	tcase_add_test(tc, test_ehlo_refused_helo);
	tcase_add_test(tc, test_starttls_454);
	tcase_add_test(tc, test_starttls_injection);
	tcase_add_test(tc, test_silent_server);
	tcase_add_test(tc, test_close_mid_reply);
	tcase_add_test(tc, test_no_starttls);
	tcase_add_test(tc, test_implicit_tls);
	tcase_add_test(tc, test_verify_mismatch);
	tcase_add_test(tc, test_not_smtp);
	tcase_add_test(tc, test_helo_after_bad_ehlo);
	tcase_add_test(tc, test_not_reached);
	tcase_add_test(tc, test_421_at_ehlo);
	tcase_add_test(tc, test_421_rate_limit_at_ehlo);
	tcase_add_test(tc, test_escaped_text);
	tcase_add_test(tc, test_connect_refused);
	tcase_add_test(tc, test_flood_bounded);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
