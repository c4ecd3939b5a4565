/* The fault suite: hostile and broken servers.  Each case asserts the
 * exact finding, the verdict, whether QUIT was sent, and (under ASan in
 * CI) that nothing leaks; nothing may crash, hang or grow without bound. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "checkrun.h"
#include "fleet.h"
#include "harness.h"

#define QUIT_SENT 1
#define NO_QUIT 0
#define ANY_QUIT -1

struct hcase {
	const char *name;
	const char *script[16];
	int timeout; /* --timeout; 0: the harness's 5 s */
	enum tls_mode tls;
	enum finding_id finding; /* must be raised */
	const char *needle;      /* in that finding's message, or NULL */
	enum sev verdict;
	int quit; /* QUIT_SENT, NO_QUIT or ANY_QUIT */
	int mail; /* plan a MAIL FROM */
};

#define TO_EHLO GREET, "R:EHLO "
#define TO_STARTTLS TO_EHLO, EHLO_TLS_OFFERED, "R:STARTTLS"

static const struct hcase hcases[] = {
    /* Malformed replies. */
    {"bare LF",
        {"S:220 " MX " ESMTP\n", "R:EHLO ", "S:250-" MX "\n250 PIPELINING\n", "R:QUIT",
            "S:221 bye\n", NULL},
        0, TLS_MODE_NONE, F_REPLY_BARE_LF, "bare LF", SEV_WARNING, QUIT_SENT, 0},
    {"64 KiB line that ends",
        {"S:220-", "REPEAT:1024:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "S:\r\n220 " MX " ESMTP\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL},
        0, TLS_MODE_NONE, F_REPLY_LINE_LONG, "65542 octets", SEV_WARNING, QUIT_SENT, 0},
    {"line that never ends",
        {"S:220-", "REPEAT:20000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            NULL},
        0, TLS_MODE_NONE, F_REPLY_MALFORMED, "longer than 1048576 bytes", SEV_CRITICAL, NO_QUIT, 0},
    {"100000 continuation lines",
        {TO_EHLO, "REPEAT:100000:250-x\r\n", "S:250 end\r\n", "R:QUIT", BYE, NULL}, 0,
        TLS_MODE_NONE, F_REPLY_TOO_LARGE, "had 100001 lines", SEV_WARNING, QUIT_SENT, 0},
    {"continuation flood", {TO_EHLO, "REPEAT:200000:250-xxxxxxxx\r\n", NULL}, 0, TLS_MODE_NONE,
        F_REPLY_MALFORMED, "reply larger than", SEV_CRITICAL, QUIT_SENT, 0},
    {"mixed codes",
        {"S:220-" MX " ESMTP\r\n221 but closing?\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL},
        0, TLS_MODE_NONE, F_REPLY_CODE_MISMATCH, "mixes codes", SEV_WARNING, QUIT_SENT, 0},
    {"non-numeric code", {"S:2x0 hello\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED,
        "three-digit", SEV_CRITICAL, NO_QUIT, 0},
    {"code 000", {"S:000 x\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED, "200-599",
        SEV_CRITICAL, NO_QUIT, 0},
    {"code 199", {"S:199 x\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED, "200-599",
        SEV_CRITICAL, NO_QUIT, 0},
    {"code 600", {"S:600 x\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED, "200-599",
        SEV_CRITICAL, NO_QUIT, 0},
    {"code 999", {"S:999 x\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED, "200-599",
        SEV_CRITICAL, NO_QUIT, 0},
    {"NUL bytes", {"S:220 " MX " a", "NUL", "S:b\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL},
        0, TLS_MODE_NONE, F_REPLY_CONTROL_BYTES, "NUL", SEV_WARNING, QUIT_SENT, 0},
    {"escapes and bad UTF-8",
        {"S:220 " MX " \xff\xfe \x1b]0;owned\x07 \x1b[2J\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT",
            BYE, NULL},
        0, TLS_MODE_NONE, F_REPLY_CONTROL_BYTES, NULL, SEV_WARNING, QUIT_SENT, 0},
    {"last line never comes", {"S:220-" MX " ESMTP\r\n", "SLEEP:2500", NULL}, 1, TLS_MODE_NONE,
        F_TIMEOUT, "greeting", SEV_CRITICAL, NO_QUIT, 0},
    {"bare code", {"S:220\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL}, 0, TLS_MODE_NONE,
        F_COUNT, NULL, SEV_OK, QUIT_SENT, 0},
    /* Timing. */
    {"greeting after 5 s", {"SLEEP:5000", GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL}, 10,
        TLS_MODE_NONE, F_COUNT, NULL, SEV_OK, QUIT_SENT, 0},
    {"one byte a second", {"SLOW:220 " MX " ESMTP\r\n", NULL}, 2, TLS_MODE_NONE, F_TIMEOUT,
        "within 2 s", SEV_CRITICAL, ANY_QUIT, 0},
    {"closed at connect", {"CLOSE", NULL}, 0, TLS_MODE_AUTO, F_CONNECTION_CLOSED, NULL,
        SEV_CRITICAL, NO_QUIT, 0},
    {"closed after EHLO", {TO_EHLO, "CLOSE", NULL}, 0, TLS_MODE_AUTO, F_CONNECTION_CLOSED, NULL,
        SEV_CRITICAL, NO_QUIT, 0},
    {"closed at STARTTLS", {TO_STARTTLS, "CLOSE", NULL}, 0, TLS_MODE_AUTO, F_CONNECTION_CLOSED,
        NULL, SEV_CRITICAL, NO_QUIT, 0},
    {"closed right after the STARTTLS 220", {TO_STARTTLS, "S:220 2.0.0 go\r\n", "CLOSE", NULL}, 0,
        TLS_MODE_AUTO, F_TLS_HANDSHAKE_FAILED, "closed the connection", SEV_CRITICAL, NO_QUIT, 0},
    {"closed after TLS", {TO_STARTTLS, "S:220 go\r\n", "TLS", "R:EHLO ", "CLOSE", NULL}, 0,
        TLS_MODE_AUTO, F_CONNECTION_CLOSED, NULL, SEV_CRITICAL, NO_QUIT, 0},
    {"reset", {TO_EHLO, "RESET", NULL}, 0, TLS_MODE_NONE, F_CONNECTION_CLOSED, NULL, SEV_CRITICAL,
        NO_QUIT, 0},
    /* TLS. */
    {"garbage instead of a handshake",
        {TO_STARTTLS, "S:220 go\r\n", "RECV",
            "S:HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "CLOSE", NULL},
        0, TLS_MODE_AUTO, F_TLS_HANDSHAKE_FAILED, NULL, SEV_CRITICAL, NO_QUIT, 0},
    /* Protocol: another server on the port is named, and never spoken to. */
    {"SSH banner", {"S:SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", NULL}, 0, TLS_MODE_NONE,
        F_REPLY_MALFORMED, "looks like SSH (SSH-2.0-OpenSSH_9.2p1", SEV_CRITICAL, NO_QUIT, 0},
    {"FTP banner", {"S:220 (vsFTPd 3.0.5)\r\n", "R=QUIT", "S:221 Goodbye.\r\n", NULL}, 0,
        TLS_MODE_AUTO, F_REPLY_MALFORMED, "looks like FTP", SEV_CRITICAL, QUIT_SENT, 0},
    {"POP3 banner", {"S:+OK Dovecot ready.\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED,
        "looks like POP3", SEV_CRITICAL, NO_QUIT, 0},
    {"IMAP banner", {"S:* OK [CAPABILITY IMAP4rev1] ready\r\n", NULL}, 0, TLS_MODE_NONE,
        F_REPLY_MALFORMED, "looks like IMAP", SEV_CRITICAL, NO_QUIT, 0},
    {"greeting cut short", {"S:220 " MX " ESM", "SLEEP:2500", NULL}, 1, TLS_MODE_NONE, F_TIMEOUT,
        "began but did not end", SEV_CRITICAL, NO_QUIT, 0},
    {"HTTP banner", {"S:HTTP/1.1 400 Bad Request\r\n", NULL}, 0, TLS_MODE_NONE, F_REPLY_MALFORMED,
        "not SMTP: it looks like HTTP", SEV_CRITICAL, NO_QUIT, 0},
    {"421 in the middle",
        {TO_EHLO, EHLO_NO_TLS, "R:MAIL", "S:421 4.4.2 " MX " Error: timeout exceeded\r\n", NULL}, 0,
        TLS_MODE_NONE, F_SERVICE_CLOSING, "MAIL FROM", SEV_CRITICAL, NO_QUIT, 1},
};

/* Did the probe write QUIT?  (A flooding server may never read it.) */
static int
quit_written(const struct report *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *st = &r->steps[i];

		if (st->kind == STEP_COMMAND && st->cmd == SMTP_QUIT &&
		    st->fault.cls != FAULT_CLOSED && st->fault.cls != FAULT_CONNECT) {
			return 1;
		}
	}
	return 0;
}

static int
quit_planned(const struct report *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		if (r->steps[i].kind == STEP_COMMAND && r->steps[i].cmd == SMTP_QUIT) {
			return 1;
		}
	}
	return 0;
}

START_TEST(test_hostile)
{
	const struct hcase *c = &hcases[_i];
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	o.tls_mode = c->tls;
	if (c->timeout) {
		o.step_timeout_s = c->timeout;
	}
	if (c->mail) {
		o.mail_from = "probe@example.org";
	}
	r = harness_run(c->script, &o);
	ck_assert_msg(r->rep.verdict == c->verdict, "%s: verdict %s, want %s (%s)", c->name,
	    sev_name(r->rep.verdict), sev_name(c->verdict),
	    r->rep.nfindings ? r->rep.findings[0].msg : "-");
	if (c->finding != F_COUNT) {
		int found = 0;

		for (size_t i = 0; i < r->rep.nfindings; i++) {
			if (r->rep.findings[i].id == c->finding &&
			    (c->needle == NULL ||
			        strstr(r->rep.findings[i].msg, c->needle) != NULL)) {
				found = 1;
			}
		}
		ck_assert_msg(found, "%s: no %s finding with '%s' (first: %s)", c->name,
		    finding_def(c->finding)->id, c->needle ? c->needle : "",
		    r->rep.nfindings ? r->rep.findings[0].msg : "none");
	}
	if (c->quit == QUIT_SENT) {
		ck_assert_msg(quit_written(&r->rep), "%s: QUIT not sent", c->name);
	} else if (c->quit == NO_QUIT) {
		ck_assert_msg(!quit_planned(&r->rep) && strstr(r->received, "QUIT") == NULL,
		    "%s: QUIT sent on a closed connection", c->name);
	}
	/* Whatever came in, what reaches a terminal is clean and bounded. */
	text = harness_render(r, RENDER_VERBOSE);
	for (const char *p = text; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		ck_assert_msg(
		    ch >= 0x20 || ch == '\n', "%s: control byte 0x%02X in the output", c->name, ch);
	}
	ck_assert_msg(strlen(text) < 200000, "%s: %zu bytes of output", c->name, strlen(text));
	free(text);
	harness_keep_json(r);
	harness_free(r);
}
END_TEST

/* Certificates: each bad kind, with the reason the user reads. */
struct ccase {
	const char *name;
	struct testcert_spec spec;
	enum finding_id finding;
	const char *needle;
	enum sev verdict;
};

static const struct ccase ccases[] = {
    {"expired", {.dns_name = MX, .from_days = -30, .to_days = -1}, F_TLS_VERIFY_FAILED, "expired",
        SEV_CRITICAL},
    {"not yet valid", {.dns_name = MX, .from_days = 1, .to_days = 30}, F_TLS_VERIFY_FAILED,
        "not yet valid", SEV_CRITICAL},
    {"another name", {.dns_name = "other.example", .from_days = -1, .to_days = 30},
        F_TLS_VERIFY_FAILED, "hostname mismatch", SEV_CRITICAL},
    {"self-signed", {.dns_name = MX, .from_days = -1, .to_days = 30, .self_signed = 1},
        F_TLS_VERIFY_FAILED, "self-signed", SEV_CRITICAL},
    {"incomplete chain", {.dns_name = MX, .from_days = -1, .to_days = 30, .intermediate = 1},
        F_TLS_VERIFY_FAILED, "chain", SEV_CRITICAL},
    /* A verifier at security level 2 refuses weak keys and digests:
     * reported as weak, and as not verified. */
    {"1024-bit RSA", {.dns_name = MX, .from_days = -1, .to_days = 30, .rsa_bits = 1024},
        F_TLS_WEAK_KEY, "RSA 1024", SEV_CRITICAL},
    {"1024-bit RSA does not verify",
        {.dns_name = MX, .from_days = -1, .to_days = 30, .rsa_bits = 1024}, F_TLS_VERIFY_FAILED,
        "too small", SEV_CRITICAL},
    {"SHA-1", {.dns_name = MX, .from_days = -1, .to_days = 30, .sha1 = 1}, F_TLS_WEAK_SIGNATURE,
        "SHA1", SEV_CRITICAL},
    {"expires in 3 days", {.dns_name = MX, .from_days = -1, .to_days = 3}, F_CERT_EXPIRES_SOON,
        "expires in", SEV_CRITICAL},
    /* The chain the server sends: every certificate judged. */
    {"good chain sent",
        {.dns_name = MX, .from_days = -1, .to_days = 300, .intermediate = 1, .send_chain = 1},
        F_COUNT, NULL, SEV_OK},
    {"768-bit MD5-signed intermediate",
        {.dns_name = MX,
            .from_days = -1,
            .to_days = 300,
            .intermediate = 1,
            .send_chain = 1,
            .mid_rsa_bits = 768,
            .mid_md5 = 1},
        F_TLS_VERIFY_FAILED, "certificate 1 of the chain: CN=smtprobe intermediate CA",
        SEV_CRITICAL},
    {"768-bit intermediate key",
        {.dns_name = MX,
            .from_days = -1,
            .to_days = 300,
            .intermediate = 1,
            .send_chain = 1,
            .mid_rsa_bits = 768,
            .mid_md5 = 1},
        F_TLS_WEAK_KEY,
        "certificate 1 of the chain (CN=smtprobe intermediate CA) has a weak key: RSA 768",
        SEV_CRITICAL},
    {"MD5-signed intermediate",
        {.dns_name = MX,
            .from_days = -1,
            .to_days = 300,
            .intermediate = 1,
            .send_chain = 1,
            .mid_rsa_bits = 768,
            .mid_md5 = 1},
        F_TLS_WEAK_SIGNATURE,
        "certificate 1 of the chain (CN=smtprobe intermediate CA) is signed with md5",
        SEV_CRITICAL},
    {"expired intermediate",
        {.dns_name = MX,
            .from_days = -1,
            .to_days = 300,
            .intermediate = 1,
            .send_chain = 1,
            .mid_expired = 1},
        F_TLS_VERIFY_FAILED, "expired (certificate 1 of the chain: CN=smtprobe intermediate CA)",
        SEV_CRITICAL},
    {"expired intermediate, dated",
        {.dns_name = MX,
            .from_days = -1,
            .to_days = 300,
            .intermediate = 1,
            .send_chain = 1,
            .mid_expired = 1},
        F_CERT_EXPIRED, "certificate 1 of the chain (CN=smtprobe intermediate CA) expired",
        SEV_CRITICAL},
    /* RFC 6125 §6.4.4: with a DNS name in the subjectAltName, the CN is
     * never used (OpenSSL 3's default, relied on). */
    {"CN matches, SAN names another",
        {.dns_name = "other.example", .cn = MX, .from_days = -1, .to_days = 30},
        F_TLS_VERIFY_FAILED, "hostname mismatch", SEV_CRITICAL},
};

START_TEST(test_certificates)
{
	static const char *const script[] = {
	    TO_STARTTLS, "S:220 go\r\n", "TLS", "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	const struct ccase *c = &ccases[_i];
	struct testcert tc;
	SSL_CTX *sctx;
	struct probe_opts o;
	struct run *r;

	ck_assert_int_eq(testcert_make_spec(&tc, &c->spec), 0);
	sctx = testcert_server_ctx(&tc);
	ck_assert_ptr_nonnull(sctx);
	harness_opts(&o);
	r = harness_run_tls(script, &o, &tc, sctx);
	ck_assert_msg(r->srv_error == NULL, "%s: %s", c->name, r->srv_error);
	ck_assert_msg(r->rep.verdict == c->verdict, "%s: verdict %s (%s)", c->name,
	    sev_name(r->rep.verdict), r->rep.nfindings ? r->rep.findings[0].msg : "-");
	ck_assert_msg(c->finding == F_COUNT || harness_has(r, c->finding), "%s: no %s (%s)",
	    c->name, finding_def(c->finding)->id, r->rep.nfindings ? r->rep.findings[0].msg : "-");
	for (size_t i = 0; c->needle != NULL && i < r->rep.nfindings; i++) {
		if (r->rep.findings[i].id == c->finding) {
			ck_assert_msg(strstr(r->rep.findings[i].msg, c->needle) != NULL, "%s: '%s'",
			    c->name, r->rep.findings[i].msg);
		}
	}
	/* Every certificate sent was judged. */
	ck_assert_uint_eq(r->rep.tls.nchain, c->spec.send_chain ? 2 : 1);
	if (c->spec.mid_expired) {
		/* The verdict line does not stop at the server's own days left. */
		char *text = harness_render(r, RENDER_QUIET);

		ck_assert_msg(
		    strstr(text, "; certificate 1 of the chain has EXPIRED") != NULL, "%s", text);
		free(text);
	}
	/* The session went on inside TLS, and ended with QUIT. */
	ck_assert_ptr_nonnull(strstr(r->received, "QUIT\r\n"));
	harness_keep_json(r);
	harness_free(r);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

START_TEST(test_tls_versions)
{
	static const char *const script[] = {
	    TO_STARTTLS, "S:220 go\r\n", "TLS", "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	static const char *const alert[] = {TO_STARTTLS, "S:220 go\r\n", "TLS", NULL};
	struct testcert tc;
	SSL_CTX *sctx;
	struct probe_opts o;
	struct run *r;

	ck_assert_int_eq(testcert_make(&tc, MX, -1, 30), 0);
	/* A server that speaks only TLS 1.0: the handshake completes, and it
	 * is reported. */
	sctx = testcert_server_ctx(&tc);
	SSL_CTX_set_min_proto_version(sctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(sctx, TLS1_VERSION);
	SSL_CTX_set_cipher_list(sctx, "DEFAULT:@SECLEVEL=0");
	harness_opts(&o);
	r = harness_run_tls(script, &o, &tc, sctx);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_str_eq(r->rep.tls.protocol, "TLSv1");
	ck_assert(harness_has(r, F_TLS_OLD_PROTOCOL));
	ck_assert_int_eq(r->rep.verdict, SEV_WARNING);
	harness_keep_json(r);
	harness_free(r);
	/* No credentials over TLS 1.0 (RFC 8996)... */
	{
		static char pw[] = "tanstaaftanstaaf";
		static struct secret secret = {pw, sizeof(pw) - 1};
		static const char *const sent[] = {TO_STARTTLS, "S:220 go\r\n", "TLS", "R:EHLO ",
		    EHLO_AFTER_TLS, "R:AUTH PLAIN", "S:235 2.7.0 Authentication successful\r\n",
		    "R:QUIT", BYE, NULL};

		o.auth = "PLAIN";
		o.user = "tim";
		o.password = &secret;
		r = harness_run_tls(script, &o, &tc, sctx);
		ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
		ck_assert(harness_has(r, F_AUTH_SKIPPED));
		ck_assert_ptr_null(strstr(r->received, "AUTH"));
		harness_free(r);
		/* ...unless the user says so. */
		o.auth_insecure = 1;
		r = harness_run_tls(sent, &o, &tc, sctx);
		ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
		ck_assert(!harness_has(r, F_AUTH_SKIPPED));
		ck_assert_ptr_nonnull(strstr(r->received, "AUTH PLAIN"));
		harness_free(r);
		harness_opts(&o);
	}
	SSL_CTX_free(sctx);

	/* A server that offers nothing in common: its alert is reported. */
	sctx = testcert_server_ctx(&tc);
	SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
	SSL_CTX_set_cipher_list(sctx, "eNULL:@SECLEVEL=0");
	harness_opts(&o);
	r = harness_run_tls(alert, &o, &tc, sctx);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_TLS_HANDSHAKE_FAILED));
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "alert"));
	ck_assert_ptr_null(strstr(r->received, "QUIT"));
	harness_keep_json(r);
	harness_free(r);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

/* A 1024-bit finite-field DHE exchange: recorded, reported, and no
 * credentials go over it. */
START_TEST(test_weak_dh)
{
	static const char *const script[] = {
	    TO_STARTTLS, "S:220 go\r\n", "TLS", "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	struct testcert_spec spec = {
	    .dns_name = MX, .from_days = -1, .to_days = 300, .rsa_bits = 2048};
	static char pw[] = "secret-pw";
	struct secret password = {.buf = pw, .len = sizeof(pw) - 1};
	OSSL_PARAM params[2];
	EVP_PKEY_CTX *pc;
	EVP_PKEY *dh = NULL;
	struct testcert tc;
	SSL_CTX *sctx;
	struct probe_opts o;
	struct run *r;

	ck_assert_int_eq(testcert_make_spec(&tc, &spec), 0);
	sctx = testcert_server_ctx(&tc);
	ck_assert_ptr_nonnull(sctx);
	/* RFC 5114's 1024-bit group, named in OpenSSL 3. */
	pc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	ck_assert_ptr_nonnull(pc);
	params[0] = OSSL_PARAM_construct_utf8_string("group", (char *)"dh_1024_160", 0);
	params[1] = OSSL_PARAM_construct_end();
	ck_assert_int_eq(EVP_PKEY_paramgen_init(pc), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_params(pc, params), 1);
	ck_assert_int_eq(EVP_PKEY_paramgen(pc, &dh), 1);
	EVP_PKEY_CTX_free(pc);
	ck_assert_int_eq(SSL_CTX_set0_tmp_dh_pkey(sctx, dh), 1);
	SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
	ck_assert_int_eq(SSL_CTX_set_cipher_list(sctx, "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0"), 1);
	harness_opts(&o);
	o.auth = "PLAIN";
	o.user = "tim";
	o.password = &password;
	r = harness_run_tls(script, &o, &tc, sctx);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.tls.dh_bits, 1024);
	ck_assert_str_eq(r->rep.tls.kx, "DH 1024");
	ck_assert(harness_has(r, F_TLS_WEAK_DH));
	ck_assert(harness_has(r, F_AUTH_SKIPPED));
	ck_assert_ptr_null(strstr(r->received, "AUTH"));
	harness_free(r);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

START_TEST(test_key_names)
{
	/* A DH public key is a DH key (it was printed as "DSA"). */
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	OSSL_PARAM params[2];
	EVP_PKEY *dh = NULL;
	char out[48];
	int weak = -1;

	ck_assert_ptr_nonnull(k);
	tls_key_describe(k, out, sizeof(out), &weak);
	ck_assert_str_eq(out, "RSA 1024");
	ck_assert_int_eq(weak, 1);
	EVP_PKEY_free(k);
	params[0] = OSSL_PARAM_construct_utf8_string("group", (char *)"ffdhe2048", 0);
	params[1] = OSSL_PARAM_construct_end();
	ck_assert_int_eq(EVP_PKEY_paramgen_init(pc), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_params(pc, params), 1);
	ck_assert_int_eq(EVP_PKEY_paramgen(pc, &dh), 1);
	EVP_PKEY_CTX_free(pc);
	tls_key_describe(dh, out, sizeof(out), &weak);
	ck_assert_str_eq(out, "DH 2048");
	ck_assert_int_eq(weak, 0);
	EVP_PKEY_free(dh);
}
END_TEST

START_TEST(test_injection_check)
{
	/* A vulnerable server keeps the NOOP and answers it inside TLS. */
	static const char *const vulnerable[] = {TO_STARTTLS, "S:220 2.0.0 Ready\r\n", "TLSKEEP",
	    "R=NOOP", "S:250 2.0.0 Ok\r\n", "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	static const char *const clean[] = {TO_STARTTLS, "S:220 2.0.0 Ready\r\n", "TLS", "R:EHLO ",
	    EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	static const char *const clean_terse[] = {"S:220\r\n", "R:EHLO ", EHLO_TLS_OFFERED,
	    "R:STARTTLS", "S:220 2.0.0 Ready\r\n", "TLS", "R:EHLO ", "S:250 " MX "\r\n", "R:QUIT",
	    BYE, NULL};
	/* No PIPELINING: the test proves nothing and is not made. */
	static const char *const no_pipelining[] = {GREET, "R:EHLO ",
	    "S:250-" MX "\r\n250 STARTTLS\r\n", "R=STARTTLS", "S:220 2.0.0 Ready\r\n", "TLS",
	    "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	/* A server that refuses the pipelined pair: a second connection
	 * probes its STARTTLS as a plain client would. */
	static const char *const dropped[] = {TO_STARTTLS,
	    "S:554 5.5.0 Error: command sent after STARTTLS\r\n", "NEXT", TO_STARTTLS,
	    "S:220 2.0.0 Ready\r\n", "TLS", "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	o.check_injection = 1;
	r = harness_run(no_pipelining, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(harness_has(r, F_STARTTLS_INJECTION_INCONCLUSIVE));
	ck_assert(!harness_has(r, F_STARTTLS_REFUSED));
	ck_assert(!harness_has(r, F_STARTTLS_INJECTION_TESTED));
	ck_assert(r->rep.tls_done && r->rep.have_caps_tls);
	ck_assert_int_eq(r->rep.verdict, SEV_UNKNOWN);
	harness_keep_json(r);
	harness_free(r);

	r = harness_run(dropped, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(harness_has(r, F_STARTTLS_INJECTION_INCONCLUSIVE));
	ck_assert(!harness_has(r, F_STARTTLS_REFUSED));
	ck_assert_msg(
	    r->rep.tls_done && r->rep.have_caps_tls, "%s", harness_render(r, RENDER_VERBOSE));
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "554 5.5.0"));
	harness_keep_json(r);
	harness_free(r);

	r = harness_run(vulnerable, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_STARTTLS_INJECTION_VULNERABLE));
	ck_assert_ptr_nonnull(strstr(r->received, "STARTTLS\r\nNOOP\r\n"));
	/* The session stayed in step: EHLO after TLS was parsed. */
	ck_assert(r->rep.have_caps_tls);
	ck_assert(ehlo_has_auth(&r->rep.caps_tls, "PLAIN"));
	harness_keep_json(r);
	harness_free(r);

	r = harness_run(clean, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert(harness_has(r, F_STARTTLS_INJECTION_TESTED));
	ck_assert(r->rep.have_caps_tls);
	harness_keep_json(r);
	harness_free(r);

	/* A clean server whose greeting names nobody and whose EHLO reply
	 * is a single line: still not mistaken for a NOOP answer. */
	r = harness_run(clean_terse, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(harness_has(r, F_STARTTLS_INJECTION_TESTED));
	ck_assert(!harness_has(r, F_STARTTLS_INJECTION_VULNERABLE));
	harness_keep_json(r);
	harness_free(r);
}
END_TEST

struct fleet_seen {
	struct report copy[2];
	size_t n;
};

static void
fleet_keep(const struct report *r, size_t index, void *arg)
{
	struct fleet_seen *seen = arg;

	ck_assert_uint_eq(index, seen->n);
	seen->copy[seen->n].verdict = r->verdict;
	seen->copy[seen->n].nfindings = r->nfindings;
	seen->copy[seen->n].tls_done = r->tls_done;
	seen->n++;
}

START_TEST(test_fleet_no_state_carried)
{
	/* A hostile target, then a clean one, in one fleet: the second
	 * report owes nothing to the first. */
	static const char *const bad[] = {"S:220-" MX "\r\n", "REPEAT:50000:250-x\r\n", NULL};
	static const char *const good[] = {GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE, NULL};
	struct fakesrv *s1 = fakesrv_start(bad, NULL), *s2 = fakesrv_start(good, NULL);
	struct probe_opts o;
	struct policy pol;
	struct fleet_seen seen;
	struct fleet_job jobs[2];
	char t1[64], t2[64];

	ck_assert(s1 != NULL && s2 != NULL);
	snprintf(t1, sizeof(t1), "127.0.0.1:%u", fakesrv_port(s1));
	snprintf(t2, sizeof(t2), "127.0.0.1:%u", fakesrv_port(s2));
	memset(jobs, 0, sizeof(jobs));
	jobs[0].target = t1;
	jobs[0].mx_outcome = MXO_NONE;
	jobs[0].mx_pref = -1;
	jobs[1] = jobs[0];
	jobs[1].target = t2;
	harness_opts(&o);
	o.tls_mode = TLS_MODE_NONE;
	memset(&pol, 0, sizeof(pol));
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(fleet_run(jobs, 2, 2, &o, NULL, &pol, fleet_keep, &seen), SEV_CRITICAL);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_int_eq(seen.copy[0].verdict, SEV_CRITICAL);
	ck_assert_int_eq(seen.copy[1].verdict, SEV_OK);
	ck_assert_uint_eq(seen.copy[1].nfindings, 0);
	fakesrv_join(s1);
	fakesrv_join(s2);
	fakesrv_free(s1);
	fakesrv_free(s2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("faults");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hostile, 0, (int)(sizeof(hcases) / sizeof(hcases[0])));
	tcase_add_loop_test(tc, test_certificates, 0, (int)(sizeof(ccases) / sizeof(ccases[0])));
	tcase_add_test(tc, test_tls_versions);
	tcase_add_test(tc, test_injection_check);
	tcase_add_test(tc, test_weak_dh);
	tcase_add_test(tc, test_key_names);
	tcase_add_test(tc, test_fleet_no_state_carried);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
