/* SCRAM-SHA-256 (RFC 7677, RFC 5802) and the OAuth mechanisms, byte for
 * byte.  The client nonce is random, so RFC 7677's exchange cannot be
 * replayed as it stands: the scripted server below computes the expected
 * proof and signature independently (OpenSSL's PBKDF2 and HMAC) with
 * RFC 7677's password, salt and iteration count and server nonce, and
 * that computation is itself checked against RFC 7677's published proof
 * and signature first. */
#include <config.h>

#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkrun.h"
#include "b64.h"
#include "clock.h"
#include "harness.h"
#include "scram.h"

#define RFC_PASSWORD "pencil"
#define RFC_SALT "W22ZaJ0SNY7soEsUEjb6gQ=="
#define RFC_ITER 4096
#define RFC_SNONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"

/* Proof and server signature (base64) for an exchange, as RFC 5802 §3
 * defines them, for SHA-256. */
static void
scram_expect(const char *pw, const char *client_first_bare, const char *server_first,
    const char *final_without_proof, char proof[64], char sig[64])
{
	unsigned char salt[32], salted[32], ckey[32], skey[32], stored[32], csig[32], ssig[32],
	    p[32];
	size_t saltlen;
	unsigned int len;
	char auth[1024];

	ck_assert_int_eq(b64_decode(RFC_SALT, strlen(RFC_SALT), salt, sizeof(salt), &saltlen), 0);
	ck_assert_int_eq(PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, (int)saltlen, RFC_ITER,
	                     EVP_sha256(), 32, salted),
	    1);
	HMAC(EVP_sha256(), salted, 32, (const unsigned char *)"Client Key", 10, ckey, &len);
	HMAC(EVP_sha256(), salted, 32, (const unsigned char *)"Server Key", 10, skey, &len);
	EVP_Digest(ckey, 32, stored, NULL, EVP_sha256(), NULL);
	snprintf(
	    auth, sizeof(auth), "%s,%s,%s", client_first_bare, server_first, final_without_proof);
	HMAC(EVP_sha256(), stored, 32, (const unsigned char *)auth, strlen(auth), csig, &len);
	HMAC(EVP_sha256(), skey, 32, (const unsigned char *)auth, strlen(auth), ssig, &len);
	for (int i = 0; i < 32; i++) {
		p[i] = ckey[i] ^ csig[i];
	}
	b64_encode(p, 32, proof, 64);
	b64_encode(ssig, 32, sig, 64);
}

START_TEST(test_scram_reference_vector)
{
	/* RFC 7677 §3, the whole example. */
	char proof[64], sig[64];

	scram_expect(RFC_PASSWORD, "n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqO" RFC_SNONCE ",s=" RFC_SALT ",i=4096",
	    "c=biws,r=rOprNGfwEbeRWgbNEkqO" RFC_SNONCE, proof, sig);
	ck_assert_str_eq(proof, "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
	ck_assert_str_eq(sig, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}
END_TEST

struct scram_server {
	int tamper;           /* send a wrong server signature */
	int skip_final;       /* answer the client-final-message with 235 at once (no v=) */
	int nul_before_i;     /* server-first: a NUL byte just before ",i=" */
	size_t pad;           /* server-first: this many more bytes of server nonce */
	const char *iter;     /* server-first: this iteration count (default RFC_ITER) */
	int64_t first_at;     /* send the server-first-message at this clock_now_ms() */
	const char *password; /* the password the server knows (default RFC_PASSWORD) */
	const char *mech;     /* the mechanism expected (default SCRAM-SHA-256) */
	const char *cb_type;  /* -PLUS: the binding expected, "tls-exporter" or "tls-unique" */
	int cb_other;         /* -PLUS: the server's channel is another one (a man in the middle) */
};

/* The channel binding data the server computes from its own side of the
 * TLS connection (RFC 9266 §2; RFC 5929 §3.1: the client's Finished in a
 * full handshake); cb_other stands for a different connection. */
static size_t
scram_server_binding(struct fakesrv *s, const struct scram_server *cfg, unsigned char *out)
{
	SSL *ssl = fakesrv_ssl(s);
	size_t n = 0;

	ck_assert_ptr_nonnull(ssl);
	if (strcmp(cfg->cb_type, "tls-exporter") == 0) {
		ck_assert_int_eq(SSL_export_keying_material(
		                     ssl, out, 32, "EXPORTER-Channel-Binding", 24, NULL, 0, 0),
		    1);
		n = 32;
	} else {
		n = SSL_get_peer_finished(ssl, out, 64);
		ck_assert_uint_gt(n, 0);
	}
	if (cfg->cb_other) {
		out[0] ^= 0x01;
	}
	return n;
}

/* The client-final-message's c= for header and the server's binding:
 * base64 of the gs2 header followed by the binding data (RFC 5802 §7). */
static void
scram_expect_cbind(
    struct fakesrv *s, const struct scram_server *cfg, const char *header, char *out, size_t outsz)
{
	unsigned char input[256];
	size_t hlen = strlen(header);

	memcpy(input, header, hlen);
	hlen += cfg->cb_type != NULL ? scram_server_binding(s, cfg, input + hlen) : 0;
	b64_encode(input, hlen, out, outsz);
}

static int
scram_decode(const char *b64, char *out, size_t outsz)
{
	size_t n;

	if (b64_decode(b64, strlen(b64), (unsigned char *)out, outsz - 1, &n) != 0) {
		return -1;
	}
	out[n] = '\0';
	return 0;
}

/* The server side of the exchange, after "AUTH SCRAM-SHA-256 ...". */
static int
scram_serve(struct fakesrv *s, void *arg)
{
	const struct scram_server *cfg = arg;
	char line[4096], first[512], sfirst[3072], final[1024], enc[4096], proof[64], sig[64];
	char header[64], want[64], cbind[256], *bare, *p, *nonce;
	size_t mlen;

	snprintf(want, sizeof(want), "AUTH %s ", cfg->mech ? cfg->mech : "SCRAM-SHA-256");
	mlen = strlen(want);
	if (fakesrv_line(s, line, sizeof(line)) != 0 || strncmp(line, want, mlen) != 0 ||
	    scram_decode(line + mlen, first, sizeof(first)) != 0) {
		fakesrv_fail(s, "expected AUTH with an initial response", line);
		return -1;
	}
	/* RFC 5802 §7: the gs2 header ("n,," without channel binding,
	 * "p=<type>,," with it), then the bare message "n=user,r=nonce". */
	snprintf(header, sizeof(header), "%s%s,,", cfg->cb_type ? "p=" : "n",
	    cfg->cb_type ? cfg->cb_type : "");
	if (strncmp(first, header, strlen(header)) != 0 ||
	    strncmp(first + strlen(header), "n=tim,r=", 8) != 0) {
		fakesrv_fail(s, "bad client-first-message", first);
		return -1;
	}
	bare = first + strlen(header);
	nonce = bare + 8;
	if (cfg->nul_before_i || cfg->pad > 0 || cfg->iter != NULL) {
		/* A hostile server-first-message: the client must cancel. */
		size_t n;

		n = (size_t)snprintf(sfirst, sizeof(sfirst), "r=%s%s", nonce, RFC_SNONCE);
		for (size_t i = 0; i < cfg->pad && n < sizeof(sfirst) - 64; i++) {
			sfirst[n++] = 'x';
		}
		n += (size_t)snprintf(sfirst + n, sizeof(sfirst) - n, ",s=%s%s,i=%s", RFC_SALT,
		    cfg->nul_before_i ? "~" : "", cfg->iter ? cfg->iter : "4096");
		if (cfg->nul_before_i) {
			*strchr(sfirst, '~') = '\0';
		}
		while (clock_now_ms() < cfg->first_at) {
			usleep(1000);
		}
		b64_encode((const unsigned char *)sfirst, n, enc, sizeof(enc));
		fakesrv_send(s, "334 ", 4);
		fakesrv_send(s, enc, strlen(enc));
		fakesrv_send(s, "\r\n", 2);
		if (fakesrv_line(s, line, sizeof(line)) != 0 || strcmp(line, "*") != 0) {
			fakesrv_fail(
			    s, "the client did not cancel a hostile server-first-message", line);
			return -1;
		}
		return fakesrv_send(s, "501 5.7.0 Authentication aborted\r\n", 34);
	}
	snprintf(sfirst, sizeof(sfirst), "r=%s%s,s=%s,i=%d", nonce, RFC_SNONCE, RFC_SALT, RFC_ITER);
	b64_encode((const unsigned char *)sfirst, strlen(sfirst), enc, sizeof(enc));
	fakesrv_send(s, "334 ", 4);
	fakesrv_send(s, enc, strlen(enc));
	fakesrv_send(s, "\r\n", 2);
	if (fakesrv_line(s, line, sizeof(line)) != 0 ||
	    scram_decode(line, final, sizeof(final)) != 0 || (p = strstr(final, ",p=")) == NULL) {
		fakesrv_fail(s, "bad client-final-message", line);
		return -1;
	}
	*p = '\0';
	/* c= carries the header and the binding data: a client bound to
	 * another channel (or none) does not match, and the server refuses
	 * (RFC 5802 §6). */
	scram_expect_cbind(s, cfg, header, cbind, sizeof(cbind));
	if (strncmp(final, "c=", 2) != 0 || strncmp(final + 2, cbind, strlen(cbind)) != 0 ||
	    final[2 + strlen(cbind)] != ',') {
		if (cfg->cb_other) {
			static const char no[] = "535 5.7.8 Authentication credentials invalid\r\n";

			return fakesrv_send(s, no, sizeof(no) - 1);
		}
		fakesrv_fail(s, "wrong channel binding in c=", final);
		return -1;
	}
	if (cfg->cb_other) {
		fakesrv_fail(s, "the binding of another channel matched", final);
		return -1;
	}
	scram_expect(cfg->password ? cfg->password : RFC_PASSWORD, bare, sfirst, final, proof, sig);
	if (strcmp(p + 3, proof) != 0) {
		fakesrv_fail(s, "wrong ClientProof", p + 3);
		return -1;
	}
	if (cfg->skip_final) {
		/* An impostor that relays or guesses: success, no signature. */
		return fakesrv_send(s, "235 2.7.0 Authentication successful\r\n", 37);
	}
	snprintf(final, sizeof(final), "v=%s",
	    cfg->tamper ? "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" : sig);
	b64_encode((const unsigned char *) final, strlen(final), enc, sizeof(enc));
	fakesrv_send(s, "334 ", 4);
	fakesrv_send(s, enc, strlen(enc));
	fakesrv_send(s, "\r\n", 2);
	if (fakesrv_line(s, line, sizeof(line)) != 0) {
		return -1;
	}
	if (cfg->tamper) {
		/* The client must refuse the server's proof and cancel. */
		if (strcmp(line, "*") != 0) {
			fakesrv_fail(s, "client accepted a forged server signature", line);
			return -1;
		}
		return fakesrv_send(s, "501 5.7.0 Authentication aborted\r\n", 34);
	}
	if (line[0] != '\0') {
		fakesrv_fail(s, "expected an empty response", line);
		return -1;
	}
	return fakesrv_send(s, "235 2.7.0 Authentication successful\r\n", 37);
}

#define EHLO_SCRAM "S:250-" MX "\r\n250-AUTH SCRAM-SHA-256 SCRAM-SHA-1 PLAIN\r\n250 8BITMIME\r\n"
#define TO_TLS                                                                                     \
	GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS", "S:220 2.0.0 go\r\n", "TLS", "R:EHLO "

static struct secret password;

static void
opts_scram(struct probe_opts *o, const char *mech, const char *pw)
{
	static char buf[64];

	harness_opts(o);
	snprintf(buf, sizeof(buf), "%s", pw);
	password.buf = buf;
	password.len = strlen(buf);
	o->auth = mech;
	o->user = "tim";
	o->password = &password;
}

START_TEST(test_scram_sha256)
{
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.tamper = 0};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "auto", RFC_PASSWORD);
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert_str_eq(r->rep.auth_mech, "SCRAM-SHA-256");
	ck_assert_int_eq(r->rep.auth_proof, AUTH_PROOF_YES);
	ck_assert_str_eq(r->rep.auth_binding, "");
	harness_free(r);
}
END_TEST

#define EHLO_PLUS                                                                                  \
	"S:250-" MX "\r\n250-AUTH SCRAM-SHA-256-PLUS SCRAM-SHA-256 PLAIN\r\n250 8BITMIME\r\n"

/* --auth auto against a server that offers SCRAM-SHA-256-PLUS: the
 * binding the server computes from its own side of the connection must
 * be in c=, and the report says which. */
static void
scram_plus_ok(const char *cb_type)
{
	static const char *const script[] = {TO_TLS, EHLO_PLUS, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.mech = "SCRAM-SHA-256-PLUS", .cb_type = cb_type};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "auto", RFC_PASSWORD);
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert_str_eq(r->rep.auth_mech, "SCRAM-SHA-256-PLUS");
	ck_assert_str_eq(r->rep.auth_binding, cb_type);
	ck_assert_int_eq(r->rep.auth_proof, AUTH_PROOF_YES);
	harness_free(r);
}

START_TEST(test_scram_plus_tls13)
{
	/* RFC 9266: over TLS 1.3, tls-exporter. */
	scram_plus_ok("tls-exporter");
}
END_TEST

START_TEST(test_scram_plus_tls12)
{
	/* Over TLS 1.2 (with extended master secret, OpenSSL's default):
	 * tls-unique, RFC 5929 §3.1. */
	ck_assert_int_eq(SSL_CTX_set_max_proto_version(harness_server_ctx(), TLS1_2_VERSION), 1);
	scram_plus_ok("tls-unique");
}
END_TEST

START_TEST(test_scram_plus_other_channel)
{
	/* The server's channel is not the client's (a man in the middle
	 * relaying the exchange): the binding does not match, and the
	 * server refuses. */
	static const char *const script[] = {TO_TLS, EHLO_PLUS, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {
	    .mech = "SCRAM-SHA-256-PLUS", .cb_type = "tls-exporter", .cb_other = 1};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "auto", RFC_PASSWORD);
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_AUTH_FAILED));
	ck_assert_str_eq(r->rep.auth_binding, "tls-exporter");
	ck_assert_int_ne(r->rep.auth_proof, AUTH_PROOF_YES);
	harness_free(r);
}
END_TEST

START_TEST(test_scram_plus_named_without_binding)
{
	/* --auth SCRAM-SHA-256-PLUS where the connection has no binding
	 * (no TLS): refused before anything is sent, and said why. */
	static const char *const script[] = {GREET, "R:EHLO ", EHLO_PLUS, "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256-PLUS", RFC_PASSWORD);
	o.tls_mode = TLS_MODE_NONE;
	o.allow_plaintext_auth = 1;
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_ptr_null(strstr(r->received, "AUTH"));
	/* A skipped step with its reason, not smtprobe's own failure. */
	ck_assert_int_eq(r->rep.internal.cls, FAULT_NONE);
	ck_assert(harness_has(r, F_AUTH_SKIPPED));
	ck_assert_str_eq(r->rep.auth_binding, "");
	harness_free(r);
}
END_TEST

START_TEST(test_scram_plus_needs_tls)
{
	/* No TLS (--allow-plaintext-auth): no binding, so auto does not
	 * pick the -PLUS mechanism the server lists. */
	static const char *const script[] = {
	    GREET, "R:EHLO ", EHLO_PLUS, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.mech = "SCRAM-SHA-256"};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "auto", RFC_PASSWORD);
	o.tls_mode = TLS_MODE_NONE;
	o.allow_plaintext_auth = 1;
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_str_eq(r->rep.auth_mech, "SCRAM-SHA-256");
	ck_assert_str_eq(r->rep.auth_binding, "");
	harness_free(r);
}
END_TEST

START_TEST(test_scram_non_ascii_password)
{
	/* A password beyond printable ASCII goes through GNU SASL's SASLprep
	 * and PBKDF2 (the ASCII ones through OpenSSL's): "pencil" and U+00E9
	 * in NFC, which SASLprep leaves as it is (RFC 4013). */
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.password = "pencil\xc3\xa9"};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256", "pencil\xc3\xa9");
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	ck_assert_int_eq(r->rep.auth_proof, AUTH_PROOF_YES);
	harness_free(r);
}
END_TEST

START_TEST(test_scram_235_without_signature)
{
	/* RFC 4954 §4: SMTP has no additional data with 235, so the
	 * signature must come in a 334.  A 235 right after the client's
	 * proof, whatever the password, proves nothing about the server. */
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.skip_final = 1};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256", RFC_PASSWORD);
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_AUTH_SERVER_UNPROVEN));
	ck_assert(!harness_has(r, F_AUTH_FAILED));
	ck_assert_int_eq(r->rep.auth_proof, AUTH_PROOF_MISSING);
	ck_assert_str_eq(r->rep.auth_mech, "SCRAM-SHA-256");
	harness_free(r);
}
END_TEST

/* The message of the first finding with this id, or "". */
static const char *
scram_msg(const struct run *r, enum finding_id id)
{
	for (size_t i = 0; i < r->rep.nfindings; i++) {
		if (r->rep.findings[i].id == id) {
			return r->rep.findings[i].msg;
		}
	}
	return "";
}

/* A hostile server-first-message must be cancelled ("*") at once, with
 * the reason in an auth-failed finding. */
static void
scram_hostile_first(const struct scram_server *cfg, const char *why)
{
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "FN", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256", RFC_PASSWORD);
	r = harness_run_fn(script, &o, scram_serve, (void *)cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_AUTH_FAILED));
	ck_assert_msg(
	    strstr(scram_msg(r, F_AUTH_FAILED), why) != NULL, "%s", scram_msg(r, F_AUTH_FAILED));
	ck_assert_msg(r->ms < 3000, "took %lld ms", (long long)r->ms);
	harness_free(r);
}

START_TEST(test_scram_first_nul_before_iter)
{
	/* The old check read the message as a C string: a NUL before ",i="
	 * hid the count from it. */
	struct scram_server cfg = {.nul_before_i = 1, .iter = "999999999"};

	scram_hostile_first(&cfg, "NUL");
}
END_TEST

START_TEST(test_scram_first_long)
{
	/* The old check skipped a message over 2047 bytes (fail open): a
	 * long nonce carried a billion iterations past it. */
	struct scram_server cfg = {.pad = 2400, .iter = "999999999"};

	scram_hostile_first(&cfg, "999999999 SCRAM iterations");
}
END_TEST

START_TEST(test_scram_forged_server)
{
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.tamper = 1};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256", RFC_PASSWORD);
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_AUTH_SERVER_UNPROVEN));
	ck_assert(!harness_has(r, F_AUTH_FAILED));
	ck_assert_int_eq(r->rep.auth_proof, AUTH_PROOF_BAD);
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "proof did not verify"));
	harness_free(r);
}
END_TEST

START_TEST(test_scram_iteration_bomb)
{
	/* A hostile server asks for a billion PBKDF2 rounds: refused at once. */
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "R:AUTH SCRAM-SHA-256 ",
	    "S:334 cj14eXoscz1RVUpELGk9OTk5OTk5OTk5\r\n", "R=*",
	    "S:501 5.7.0 Authentication aborted\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256", RFC_PASSWORD);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	ck_assert(harness_has(r, F_AUTH_FAILED));
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "999999999 SCRAM iterations"));
	ck_assert_msg(r->ms < 3000, "took %lld ms", (long long)r->ms);
	harness_free(r);
}
END_TEST

START_TEST(test_oauth_bytes)
{
	/* XOAUTH2: "user=" U ^A "auth=Bearer " T ^A ^A; OAUTHBEARER (RFC 7628
	 * §3.1): GS2 header "n,a=U," then ^A "auth=Bearer " T ^A ^A. */
	static const char *const xoauth2[] = {TO_TLS,
	    "S:250-" MX "\r\n250 AUTH XOAUTH2 OAUTHBEARER\r\n",
	    "R=AUTH XOAUTH2 dXNlcj10aW0BYXV0aD1CZWFyZXIgdG9rAQE=", "S:235 2.7.0 ok\r\n", "R:QUIT",
	    BYE, NULL};
	static const char *const bearer[] = {TO_TLS,
	    "S:250-" MX "\r\n250 AUTH XOAUTH2 OAUTHBEARER\r\n",
	    "R=AUTH OAUTHBEARER bixhPXRpbSwBYXV0aD1CZWFyZXIgdG9rAQE=",
	    "S:334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=\r\n",
	    "R=AQ==", "S:535 5.7.8 Authentication credentials invalid\r\n", "R:QUIT", BYE, NULL};
	static char tok[] = "tok";
	struct secret token = {tok, 3};
	struct probe_opts o;
	struct run *r;
	char *text;

	harness_opts(&o);
	o.auth = "XOAUTH2";
	o.user = "tim";
	o.token = &token;
	r = harness_run(xoauth2, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_OK);
	harness_free(r);

	o.auth = "auto"; /* with only a token, auto picks OAUTHBEARER */
	r = harness_run(bearer, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert_int_eq(r->rep.verdict, SEV_CRITICAL);
	text = harness_render(r, RENDER_NORMAL);
	ck_assert_ptr_nonnull(strstr(text, "challenge, decoded: {\"status\":\"invalid_token\"}"));
	free(text);
	harness_free(r);
}
END_TEST

/* The server-first-message parser, case by case (RFC 5802 §5.1, §7). */
START_TEST(test_scram_parse_table)
{
	static const struct {
		const char *msg;
		size_t len; /* 0: strlen(msg) */
		enum scram_sf_rc rc;
		uint64_t iter;
	} cases[] = {
	    {"r=abc,s=QUJD,i=4096", 0, SCRAM_SF_OK, 4096},
	    {"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i="
	     "4096",
	        0, SCRAM_SF_OK, 4096},
	    {"r=abc,s=QUJD,i=4096,x=ext,y=a=b", 0, SCRAM_SF_OK, 4096},
	    {"r=abc,s=QUJD,i=1000000", 0, SCRAM_SF_OK, 1000000},
	    {"r=abc,s=QUJD,i=1000001", 0, SCRAM_SF_ITER_HIGH, 1000001},
	    {"r=abc,s=QUJD,i=99999999999999999999999", 0, SCRAM_SF_ITER_HIGH, UINT64_MAX},
	    {"r=abc,s=QUJD,i=0", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,s=QUJD,i=04096", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,s=QUJD,i=-1", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,s=QUJD,i=", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,s=QUJD,i=40 96", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,s=QUJD,i=4096x", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,s=QUJD", 0, SCRAM_SF_SALT, 0},
	    {"r=abc,s=QUJD,", 0, SCRAM_SF_ITER, 0},
	    {"r=abc,i=4096,s=QUJD", 0, SCRAM_SF_SALT, 0},
	    {"s=QUJD,r=abc,i=4096", 0, SCRAM_SF_NONCE, 0},
	    {"r=abc,s=,i=4096", 0, SCRAM_SF_SALT, 0},
	    {"r=abc,s=QUJ,i=4096", 0, SCRAM_SF_SALT, 0},
	    {"r=abc,s=Q!JD,i=4096", 0, SCRAM_SF_SALT, 0},
	    {"r=,s=QUJD,i=4096", 0, SCRAM_SF_NONCE, 0},
	    {"r=a\x7f"
	     "c,s=QUJD,i=4096",
	        0, SCRAM_SF_NONCE, 0},
	    {"r=a c,s=QUJD,i=4096", 0, SCRAM_SF_NONCE, 0},
	    {"r=abc", 0, SCRAM_SF_NONCE, 0},
	    {"", 0, SCRAM_SF_NONCE, 0},
	    {"m=ext,r=abc,s=QUJD,i=4096", 0, SCRAM_SF_MEXT, 0},
	    {"r=abc,s=QUJD,i=4096,m=ext", 0, SCRAM_SF_MEXT, 4096},
	    {"r=abc,s=QUJD,i=4096,", 0, SCRAM_SF_EXT, 4096},
	    {"r=abc,s=QUJD,i=4096,xy=1", 0, SCRAM_SF_EXT, 4096},
	    {"r=abc,s=QUJD,i=4096,1=1", 0, SCRAM_SF_EXT, 4096},
	    {"r=abc,s=QUJD,i=4096,x=", 0, SCRAM_SF_EXT, 4096},
	    {"r=abc,s=QUJD,i=4096 ", 0, SCRAM_SF_ITER, 0},
	    /* A NUL anywhere, before i= above all: refused whole. */
	    {"r=abc,s=QUJD,\0i=999999999", 24, SCRAM_SF_NUL, 0},
	    {"r=abc,s=QUJD,i=4096\0", 20, SCRAM_SF_NUL, 0},
	    {"\0r=abc,s=QUJD,i=4096", 20, SCRAM_SF_NUL, 0},
	};
	struct scram_first sf;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].msg);
		enum scram_sf_rc rc = scram_parse_first(cases[i].msg, len, 1000000, &sf);

		ck_assert_msg(rc == cases[i].rc, "case %zu '%s': rc %d, want %d", i, cases[i].msg,
		    rc, cases[i].rc);
		ck_assert_msg(sf.iter == cases[i].iter, "case %zu: iter %llu", i,
		    (unsigned long long)sf.iter);
		ck_assert_str_ne(scram_sf_reason(rc), "?");
	}
	/* The salt, decoded; the nonce, in place. */
	ck_assert_int_eq(scram_parse_first("r=abc,s=QUJD,i=1", 16, 10, &sf), SCRAM_SF_OK);
	ck_assert_uint_eq(sf.salt_len, 3);
	ck_assert_int_eq(memcmp(sf.salt, "ABC", 3), 0);
	ck_assert_uint_eq(sf.nonce_len, 3);
	ck_assert_int_eq(memcmp(sf.nonce, "abc", 3), 0);
}
END_TEST

START_TEST(test_scram_pbkdf2_budget)
{
	/* 1,000,000 rounds at 2,000,000 a second: 500 ms, doubled. */
	ck_assert_int_eq(scram_pbkdf2_ms(1000000, 2000000), 500);
	ck_assert_int_eq(scram_pbkdf2_ms(1, 3), 334);
	ck_assert(scram_pbkdf2_fits(1000000, 2000000, 1000));
	ck_assert(!scram_pbkdf2_fits(1000000, 2000000, 999));
	ck_assert(!scram_pbkdf2_fits(4096, 2000000, 0));
	ck_assert(!scram_pbkdf2_fits(4096, 2000000, -5));
	/* No measurement, or a count too big to multiply: never fits. */
	ck_assert(!scram_pbkdf2_fits(1, 0, INT64_MAX));
	ck_assert_int_eq(scram_pbkdf2_ms(UINT64_MAX, 1), INT64_MAX);
	ck_assert(!scram_pbkdf2_fits(UINT64_MAX, UINT64_MAX, INT64_MAX));
}
END_TEST

START_TEST(test_scram_deadline)
{
	/* The server holds its server-first-message until 60 ms before the
	 * probe's deadline, then asks for the most rounds allowed: hashing
	 * them takes longer than that on any machine (it would need 33
	 * million PBKDF2 rounds a second), so it is not started. */
	static const char *const script[] = {TO_TLS, EHLO_SCRAM, "FN", "R:QUIT", BYE, NULL};
	struct scram_server cfg = {.iter = "1000000"};
	struct probe_opts o;
	struct run *r;

	opts_scram(&o, "SCRAM-SHA-256", RFC_PASSWORD);
	o.run_timeout_s = 3;
	cfg.first_at = clock_now_ms() + 3000 - 60;
	r = harness_run_fn(script, &o, scram_serve, &cfg);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	ck_assert(harness_has(r, F_AUTH_FAILED));
	ck_assert_msg(strstr(scram_msg(r, F_AUTH_FAILED), "too long for the") != NULL, "%s",
	    scram_msg(r, F_AUTH_FAILED));
	harness_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("scram");
	TCase *tc = tcase_create("sasl");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scram_reference_vector);
	tcase_add_test(tc, test_scram_sha256);
	tcase_add_test(tc, test_scram_plus_tls13);
	tcase_add_test(tc, test_scram_plus_tls12);
	tcase_add_test(tc, test_scram_plus_other_channel);
	tcase_add_test(tc, test_scram_plus_needs_tls);
	tcase_add_test(tc, test_scram_plus_named_without_binding);
	tcase_add_test(tc, test_scram_forged_server);
	tcase_add_test(tc, test_scram_235_without_signature);
	tcase_add_test(tc, test_scram_non_ascii_password);
	tcase_add_test(tc, test_scram_first_nul_before_iter);
	tcase_add_test(tc, test_scram_first_long);
	tcase_add_test(tc, test_scram_iteration_bomb);
	tcase_add_test(tc, test_oauth_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, test_scram_parse_table);
	tcase_add_test(tc, test_scram_pbkdf2_budget);
	suite_add_tcase(s, tc);
	tc = tcase_create("deadline");
	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scram_deadline);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
