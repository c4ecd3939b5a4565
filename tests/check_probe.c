/* The probe against scripted servers over a real socket: the paths of
 * the spine that need a TLS handshake or a refused connection, each
 * asserting the exact findings, the verdict and the bytes the server got.
 * The paths without TLS are rows of tests/check_scripted.c. */
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
	    "R:EHLO probe.test.example", EHLO_TLS_OFFERED, "R:STARTTLS",
	    "S:220 2.0.0 Ready to start TLS\r\n", "TLS", "R:EHLO probe.test.example",
	    EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_msg(r->rep.verdict == SEV_OK, "verdict %s, %zu findings: %s",
	    sev_name(r->rep.verdict), r->rep.nfindings,
	    r->rep.nfindings ? r->rep.findings[0].msg : "");
	ck_assert_int_eq(r->rep.nfindings, 0);
	ck_assert(r->rep.tls_done);
	ck_assert(r->rep.tls.verified);
	ck_assert_str_eq(r->rep.tls.protocol, "TLSv1.3");
	ck_assert_str_eq(r->rep.server_name, MX);
	ck_assert_uint_eq(r->rep.steps[1].reply.nlines, 3); /* multi-line greeting */
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

START_TEST(test_starttls_injection)
{
	static const char *const script[] = {GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS",
	    "S:220 2.0.0 Ready\r\n250-forged\r\n250 AUTH PLAIN\r\n", "TLS", "R:EHLO ",
	    EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
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

START_TEST(test_implicit_tls)
{
	static const char *const script[] = {
	    "TLS", GREET, "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
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
	static const char *const script[] = {GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS",
	    "S:220 go\r\n", "TLS", "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
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

int
main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("scripted");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_starttls_happy);
	tcase_add_test(tc, test_starttls_injection);
	tcase_add_test(tc, test_implicit_tls);
	tcase_add_test(tc, test_verify_mismatch);
	tcase_add_test(tc, test_connect_refused);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
