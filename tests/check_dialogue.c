/* The dialogue after EHLO against scripted TLS servers: exact SASL bytes,
 * the AUTH reply paths, and no secret in any output.  The dialogue
 * without TLS (parameters flagged before sending, the envelope, VRFY,
 * AUTH refused in plain text) is in rows of tests/check_scripted.c. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "harness.h"

#define EHLO_AUTH(mechs) "S:250-" MX "\r\n250-PIPELINING\r\n250-AUTH " mechs "\r\n250 8BITMIME\r\n"
#define TO_TLS                                                                                     \
	GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS", "S:220 2.0.0 go\r\n", "TLS", "R:EHLO "

/* RFC 2195's example user and password (also used for PLAIN and LOGIN). */
#define USER "tim"
#define PASS "tanstaaftanstaaf"

static struct secret password;

static void
opts_auth(struct probe_opts *o, const char *mech)
{
	static char buf[64];

	harness_opts(o);
	snprintf(buf, sizeof(buf), "%s", PASS);
	password.buf = buf;
	password.len = strlen(buf);
	o->auth = mech;
	o->user = USER;
	o->password = &password;
}

START_TEST(test_auth_plain_initial_response)
{
	/* RFC 4954 §4: the initial response rides on the AUTH line. */
	static const char *const script[] = {TO_TLS, EHLO_AUTH("PLAIN LOGIN CRAM-MD5"),
	    "R=AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm",
	    "S:235 2.7.0 Authentication successful\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_auth(&o, "PLAIN");
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_msg(
	    r->rep.verdict == SEV_OK, "%s", r->rep.nfindings ? r->rep.findings[0].msg : "");
	ck_assert_str_eq(r->rep.steps[6].sent, "AUTH PLAIN <redacted>");
	harness_free(r);
}
END_TEST

START_TEST(test_auth_login_exchange)
{
	static const char *const script[] = {TO_TLS, EHLO_AUTH("LOGIN"), "R=AUTH LOGIN",
	    "S:334 VXNlcm5hbWU6\r\n", "R=dGlt", "S:334 UGFzc3dvcmQ6\r\n",
	    "R=dGFuc3RhYWZ0YW5zdGFhZg==", "S:235 2.7.0 ok\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;
	char *text;

	opts_auth(&o, "LOGIN");
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "challenge, decoded: Username:"));
	ck_assert_ptr_nonnull(strstr(text, "challenge, decoded: Password:"));
	ck_assert_ptr_nonnull(strstr(text, "C: <redacted>"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_auth_cram_md5_rfc2195)
{
	/* RFC 2195 §2: the server's challenge and the client's exact answer. */
	static const char *const script[] = {TO_TLS, EHLO_AUTH("CRAM-MD5"), "R=AUTH CRAM-MD5",
	    "S:334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n",
	    "R=dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", "S:235 2.7.0 ok\r\n", "R:QUIT",
	    BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_auth(&o, "CRAM-MD5");
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	harness_free(r);
}
END_TEST

START_TEST(test_auth_auto_picks_strongest)
{
	static const char *const script[] = {TO_TLS, EHLO_AUTH("LOGIN PLAIN CRAM-MD5"),
	    "R=AUTH CRAM-MD5", "S:334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n",
	    "R=dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", "S:235 2.7.0 ok\r\n", "R:QUIT",
	    BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_auth(&o, "auto");
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	harness_free(r);
}
END_TEST

struct fail_case {
	const char *reply;
	const char *needle; /* in the explained transcript */
};

static const struct fail_case fail_cases[] = {
    {"S:535 5.7.8 Error: authentication failed\r\n", "Authentication credentials invalid"},
    {"S:534 5.7.9 Authentication mechanism is too weak\r\n", "too weak"},
    {"S:538 5.7.11 Encryption required for requested authentication mechanism\r\n",
        "only on an encrypted connection"},
    {"S:454 4.7.0 Temporary authentication failure\r\n", "Temporary authentication failure"},
    {"S:504 5.5.4 Unrecognized authentication type\r\n", "Unrecognized authentication mechanism"},
};

START_TEST(test_auth_failures)
{
	const char *script[] = {TO_TLS, EHLO_AUTH("PLAIN"),
	    "R=AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm", fail_cases[_i].reply, "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;
	char *text;

	opts_auth(&o, "PLAIN");
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	/* A 4yz is temporary: WARNING, like a 4yz to MAIL or RCPT. */
	ck_assert_int_eq(
	    r->rep.verdict, fail_cases[_i].reply[2] == '4' ? SEV_WARNING : SEV_CRITICAL);
	ck_assert(harness_has(r, F_AUTH_FAILED));
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_msg(strstr(text, fail_cases[_i].needle) != NULL, "no '%s' in:\n%s",
	    fail_cases[_i].needle, text);
	free(text);
	harness_free(r);
}
END_TEST

/* A host name from an MX lookup is not one the user gave: the
 * certificate verified for it proves nothing, so no credentials. */
START_TEST(test_auth_name_from_dns)
{
	static const char *const script[] = {TO_TLS, EHLO_AUTH("PLAIN"), "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_auth(&o, "PLAIN");
	o.name_from_dns = 1;
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_ptr_null(strstr(r->received, "AUTH"));
	ck_assert(harness_has(r, F_AUTH_SKIPPED));
	ck_assert_int_eq(r->rep.verdict, SEV_WARNING);
	harness_free(r);
}
END_TEST

START_TEST(test_auth_mech_flagged)
{
	/* PLAIN is not offered: flagged, and AUTH is not sent. */
	static const char *const script[] = {TO_TLS, EHLO_AUTH("LOGIN"), "R:QUIT", BYE, NULL};
	/* With --force it is, and the 504 is explained. */
	static const char *const forced[] = {TO_TLS, EHLO_AUTH("LOGIN"),
	    "R=AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm",
	    "S:504 5.5.4 Unrecognized authentication type\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;
	char *text;

	opts_auth(&o, "PLAIN");
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_WARNING);
	ck_assert(harness_has(r, F_AUTH_MECH_NOT_ADVERTISED));
	ck_assert_ptr_null(strstr(r->received, "AUTH"));
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "server answer 504"));
	harness_free(r);

	opts_auth(&o, "PLAIN");
	o.force = 1;
	r = harness_run(forced, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "Unrecognized authentication mechanism"));
	free(text);
	harness_free(r);
}
END_TEST

START_TEST(test_no_secret_in_output)
{
	static const char *const plain[] = {
	    TO_TLS, EHLO_AUTH("PLAIN"), "R:AUTH PLAIN ", "S:535 5.7.8 no\r\n", "R:QUIT", BYE, NULL};
	static const char *const login[] = {TO_TLS, EHLO_AUTH("LOGIN"), "R=AUTH LOGIN",
	    "S:334 VXNlcm5hbWU6\r\n", "R:", "S:334 UGFzc3dvcmQ6\r\n", "R:", "S:235 2.7.0 ok\r\n",
	    "R:QUIT", BYE, NULL};
	static const char *const *scripts[] = {plain, login};
	static const char *const mechs[] = {"PLAIN", "LOGIN"};
	/* The password, its base64, and PLAIN's whole base64 message. */
	static const char *const secrets[] = {
	    PASS,
	    "dGFuc3RhYWZ0YW5zdGFhZg",
	    "AHRpbQB0YW5zdGFhZnRhbnN0YWFm",
	    "tanstaaf",
	};

	for (int k = 0; k < 2; k++) {
		struct probe_opts o;
		struct run *r;

		opts_auth(&o, mechs[k]);
		r = harness_run(scripts[k], &o);
		ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
		ck_assert_ptr_nonnull(strstr(r->received, "AUTH"));
		/* Every format: text at each verbosity, JSON, nagios, prometheus. */
		for (int v = RENDER_QUIET; v <= RENDER_VERBOSE + 3; v++) {
			char *text = NULL;
			size_t len = 0;
			FILE *fp;
			struct prom_doc *doc;

			if (v <= RENDER_VERBOSE) {
				text = harness_render(r, (enum render_verbosity)v);
			} else {
				fp = open_memstream(&text, &len);
				if (v == RENDER_VERBOSE + 1) {
					render_json(fp, &r->rep);
				} else if (v == RENDER_VERBOSE + 2) {
					render_nagios(fp, &r->rep, NULL, NULL);
				} else {
					doc = prom_doc_new();
					prom_doc_add(doc, &r->rep);
					prom_doc_write(doc, fp);
					prom_doc_free(doc);
				}
				fclose(fp);
			}
			for (size_t s = 0; s < sizeof(secrets) / sizeof(secrets[0]); s++) {
				ck_assert_msg(strstr(text, secrets[s]) == NULL,
				    "%s in output %d shows %s", mechs[k], v, secrets[s]);
			}
			free(text);
		}
		/* Nor anywhere in the record the renderers read. */
		for (size_t i = 0; i < r->rep.nsteps; i++) {
			ck_assert_ptr_null(strstr(r->rep.steps[i].sent, "tanstaaf"));
			ck_assert_ptr_null(strstr(r->rep.steps[i].sent, "dGFuc3RhYWZ0YW5zdGFhZg"));
		}
		harness_free(r);
	}
}
END_TEST

START_TEST(test_auth_insecure_needs_consent)
{
	/* --insecure goes on past a certificate for another name, but the
	 * password is sent there only with --auth-insecure as well. */
	static const char *const held[] = {TO_TLS, EHLO_AUTH("PLAIN"), "R:QUIT", BYE, NULL};
	static const char *const sent[] = {TO_TLS, EHLO_AUTH("PLAIN"),
	    "R=AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm",
	    "S:235 2.7.0 Authentication successful\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_auth(&o, "PLAIN");
	o.tls_name = "other.example";
	o.insecure = 1;
	r = harness_run(held, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(harness_has(r, F_AUTH_SKIPPED));
	ck_assert_ptr_null(strstr(r->received, "AUTH"));
	harness_free(r);

	opts_auth(&o, "PLAIN");
	o.tls_name = "other.example";
	o.insecure = 1;
	o.auth_insecure = 1;
	r = harness_run(sent, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(!harness_has(r, F_AUTH_SKIPPED));
	ck_assert(harness_has(r, F_TLS_UNVERIFIED));
	harness_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dialogue");
	TCase *tc = tcase_create("scripted");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_auth_plain_initial_response);
	tcase_add_test(tc, test_auth_insecure_needs_consent);
	tcase_add_test(tc, test_auth_login_exchange);
	tcase_add_test(tc, test_auth_cram_md5_rfc2195);
	tcase_add_test(tc, test_auth_auto_picks_strongest);
	tcase_add_loop_test(
	    tc, test_auth_failures, 0, (int)(sizeof(fail_cases) / sizeof(fail_cases[0])));
	tcase_add_test(tc, test_auth_mech_flagged);
	tcase_add_test(tc, test_auth_name_from_dns);
	tcase_add_test(tc, test_no_secret_in_output);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
