/* check_dane.c - DANE for SMTP (RFC 7672) matched by OpenSSL through
 * tls_start_dane, against a scripted TLS server presenting certificates
 * made for each case; and the TLSA association data helper, held to
 * digests the openssl command computed. */
#include <config.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "checkrun.h"
#include "clock.h"
#include "fakesrv.h"
#include "testcert.h"
#include "tls.h"

#define BASE "mx.test.example"

/* Which certificate a record is made from. */
enum src {
	LEAF, /* the server's own */
	ROOT, /* the root CA */
	MID   /* the intermediate CA */
};

struct rrspec {
	int usage, selector, mtype;
	enum src from;
	int corrupt;               /* flip a bit: a record that matches nothing */
	enum tlsa_verdict verdict; /* what the parser said (TLSA_USABLE is 0) */
};

struct dcase {
	const char *name;
	struct testcert_spec spec;
	int send_root;        /* the server sends the root CA too */
	const char *names[2]; /* reference identifiers besides BASE */
	struct rrspec rr[3];
	size_t nrr;
	enum dane_state state;
	int matched; /* index, or -1 */
	int depth;
	const char *match_name; /* DANE-TA: the name that matched, else "" */
	const char *error;      /* a part of the error when no match */
};

#define R(u, s, m, from)                                                                           \
	{                                                                                          \
		u, s, m, from, 0, TLSA_USABLE                                                      \
	}
#define BAD(u, s, m, from)                                                                         \
	{                                                                                          \
		u, s, m, from, 1, TLSA_USABLE                                                      \
	}
#define GOOD                                                                                       \
	{                                                                                          \
		.dns_name = BASE, .from_days = -1, .to_days = 30                                   \
	}

static const struct dcase dcases[] = {
    {"3 1 1 of the leaf", GOOD, 0, {NULL}, {R(3, 1, 1, LEAF)}, 1, DANE_MATCHED, 0, 0, "", NULL},
    {"3 1 1 of another key", GOOD, 0, {NULL}, {BAD(3, 1, 1, LEAF)}, 1, DANE_NO_MATCH, -1, -1, NULL,
        "no matching DANE TLSA records"},
    {"3 0 1, the whole certificate", GOOD, 0, {NULL}, {R(3, 0, 1, LEAF)}, 1, DANE_MATCHED, 0, 0, "",
        NULL},
    {"3 1 2, SHA2-512", GOOD, 0, {NULL}, {R(3, 1, 2, LEAF)}, 1, DANE_MATCHED, 0, 0, "", NULL},
    {"3 0 0, the certificate in full", GOOD, 0, {NULL}, {R(3, 0, 0, LEAF)}, 1, DANE_MATCHED, 0, 0,
        "", NULL},
    /* RFC 7672 §3.2.1: no name checks for DANE-EE. */
    {"3 1 1, the leaf names another host",
        {.dns_name = "other.example", .from_days = -1, .to_days = 30}, 0, {NULL},
        {R(3, 1, 1, LEAF)}, 1, DANE_MATCHED, 0, 0, "", NULL},
    /* RFC 7672 §3.1.1: no validity dates for DANE-EE. */
    {"3 1 1 of an expired leaf", {.dns_name = BASE, .from_days = -60, .to_days = -2}, 0, {NULL},
        {R(3, 1, 1, LEAF)}, 1, DANE_MATCHED, 0, 0, "", NULL},
    /* At TLS_AUTH_LEVEL, as the PKIX check. */
    {"3 1 1 of an RSA 1024 leaf",
        {.dns_name = BASE, .from_days = -1, .to_days = 30, .rsa_bits = 1024}, 0, {NULL},
        {R(3, 1, 1, LEAF)}, 1, DANE_NO_MATCH, -1, -1, NULL, "key is too small"},
    {"the second of two records matches", GOOD, 0, {NULL}, {BAD(3, 1, 1, LEAF), R(3, 1, 1, LEAF)},
        2, DANE_MATCHED, 1, 0, "", NULL},
    /* Digest agility (RFC 7671 §9, SSL_CTX_dane_mtype_set(3)): with a
     * SHA2-512 record for 3 1, SHA2-256 ones are not looked at. */
    {"3 1 1 matches, a wrong 3 1 2 wins", GOOD, 0, {NULL}, {BAD(3, 1, 2, LEAF), R(3, 1, 1, LEAF)},
        2, DANE_NO_MATCH, -1, -1, NULL, "no matching DANE TLSA records"},
    {"2 1 1 of the root, sent, leaf named BASE", GOOD, 1, {NULL}, {R(2, 1, 1, ROOT)}, 1,
        DANE_MATCHED, 0, 1, BASE, NULL},
    {"2 0 1 of the root, sent", GOOD, 1, {NULL}, {R(2, 0, 1, ROOT)}, 1, DANE_MATCHED, 0, 1, BASE,
        NULL},
    {"2 1 1 of the intermediate, sent",
        {.dns_name = BASE, .from_days = -1, .to_days = 30, .intermediate = 1, .send_chain = 1}, 0,
        {NULL}, {R(2, 1, 1, MID)}, 1, DANE_MATCHED, 0, 1, BASE, NULL},
    /* RFC 7672 §3.2.2: a DANE-TA chain must name a reference identifier. */
    {"2 1 1 of the root, leaf names another host",
        {.dns_name = "other.example", .from_days = -1, .to_days = 30}, 1, {NULL},
        {R(2, 1, 1, ROOT)}, 1, DANE_NO_MATCH, -1, -1, NULL, "hostname mismatch"},
    {"2 1 1, leaf names the next-hop domain",
        {.dns_name = "test.example", .from_days = -1, .to_days = 30}, 1, {"test.example"},
        {R(2, 1, 1, ROOT)}, 1, DANE_MATCHED, 0, 1, "test.example", NULL},
    {"2 1 1, a wildcard leaf", {.dns_name = "*.test.example", .from_days = -1, .to_days = 30}, 1,
        {NULL}, {R(2, 1, 1, ROOT)}, 1, DANE_MATCHED, 0, 1, "*.test.example", NULL},
    /* A wildcard is a whole left-most label, never a part of one. */
    {"2 1 1, a partial wildcard leaf",
        {.dns_name = "m*.test.example", .from_days = -1, .to_days = 30}, 1, {NULL},
        {R(2, 1, 1, ROOT)}, 1, DANE_NO_MATCH, -1, -1, NULL, "hostname mismatch"},
    {"2 1 1, an expired leaf", {.dns_name = BASE, .from_days = -60, .to_days = -2}, 1, {NULL},
        {R(2, 1, 1, ROOT)}, 1, DANE_NO_MATCH, -1, -1, NULL, "expired"},
    /* The trust anchor is matched only among what the server sent. */
    {"2 1 1 of a root the server does not send", GOOD, 0, {NULL}, {R(2, 1, 1, ROOT)}, 1,
        DANE_NO_MATCH, -1, -1, NULL, "no matching DANE TLSA records"},
    /* RFC 7671 §5.2: a full key may stand for a trust anchor not sent;
     * OpenSSL reports the top of the chain as where it matched. */
    {"2 1 0, the root's key in full, not sent", GOOD, 0, {NULL}, {R(2, 1, 0, ROOT)}, 1,
        DANE_MATCHED, 0, 0, BASE, NULL},
    /* RFC 7672 §3.1.3: PKIX usages are never given to OpenSSL, whatever
     * the verdict says. */
    {"1 1 1 of the leaf, called usable", GOOD, 0, {NULL}, {R(1, 1, 1, LEAF)}, 1, DANE_UNUSABLE, -1,
        -1, "", NULL},
    {"0 1 1 of the root, sent, called usable", GOOD, 1, {NULL}, {R(0, 1, 1, ROOT)}, 1,
        DANE_UNUSABLE, -1, -1, "", NULL},
    {"1 1 1 of the leaf and a wrong 3 1 1", GOOD, 0, {NULL}, {R(1, 1, 1, LEAF), BAD(3, 1, 1, LEAF)},
        2, DANE_NO_MATCH, -1, -1, NULL, "no matching DANE TLSA records"},
    {"3 1 1 of the leaf, verdict bad length", GOOD, 0, {NULL},
        {{3, 1, 1, LEAF, 0, TLSA_BAD_LENGTH}}, 1, DANE_UNUSABLE, -1, -1, "", NULL},
};

static int
connect_to(unsigned port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
	return fd;
}

/* One handshake with the server presenting sctx; with DANE when dane is
 * not NULL.  Returns tls_start's result. */
static int
handshake_sni(struct tls_ctx *tls, SSL_CTX *sctx, const char *sni, const struct tls_dane *dane,
    struct dane_fact *df, struct tls_info *info, struct fault *f)
{
	static const char *const script[] = {"TLS", NULL};
	struct fakesrv *srv = fakesrv_start(script, sctx);
	struct xport x;
	int fd, rc;

	ck_assert_ptr_nonnull(srv);
	fd = connect_to(fakesrv_port(srv));
	xport_plain_init(&x, fd);
	rc = dane != NULL
	    ? tls_start_dane(tls, &x, sni, BASE, dane, df, clock_now_ms() + 5000, info, f)
	    : tls_start(tls, &x, sni, BASE, clock_now_ms() + 5000, info, f);
	if (rc == 0) {
		x.ops->release(&x);
	}
	close(fd);
	(void)fakesrv_join(srv);
	fakesrv_free(srv);
	return rc;
}

static int
handshake(struct tls_ctx *tls, SSL_CTX *sctx, const struct tls_dane *dane, struct dane_fact *df,
    struct tls_info *info, struct fault *f)
{
	return handshake_sni(tls, sctx, NULL, dane, df, info, f);
}

static void
fill_rr(struct dane_fact *df, const struct dcase *c, const struct testcert *tc)
{
	for (size_t i = 0; i < c->nrr; i++) {
		const struct rrspec *s = &c->rr[i];
		struct tlsa_rr *rr = &df->rr[i];
		X509 *from = s->from == LEAF ? tc->cert : s->from == ROOT ? tc->ca : tc->mid;

		rr->usage = (uint8_t)s->usage;
		rr->selector = (uint8_t)s->selector;
		rr->mtype = (uint8_t)s->mtype;
		rr->len = tls_tlsa_data(from, s->selector, s->mtype, rr->data, sizeof(rr->data));
		ck_assert_uint_gt(rr->len, 0);
		if (s->corrupt) {
			rr->data[rr->len / 2] ^= 0x10;
		}
		df->verdict[i] = s->verdict;
	}
	df->nrr = c->nrr;
}

static void
check_result(const struct dcase *c, const struct dane_fact *df)
{
	ck_assert_msg(df->state == c->state, "%s: state %s (%s)", c->name, dane_state_id(df->state),
	    df->error);
	ck_assert_msg(df->matched == c->matched, "%s: matched %d", c->name, df->matched);
	ck_assert_msg(df->matched_depth == c->depth, "%s: depth %d", c->name, df->matched_depth);
	if (c->state == DANE_MATCHED) {
		/* The CAs' names end in "CA", the servers' never. */
		ck_assert_msg((strstr(df->matched_subject, " CA") != NULL) == (c->depth > 0),
		    "%s: subject '%s'", c->name, df->matched_subject);
		ck_assert_msg(strncmp(df->matched_subject, "CN=", 3) == 0, "%s: subject '%s'",
		    c->name, df->matched_subject);
		ck_assert_msg(df->error[0] == '\0', "%s: error %s", c->name, df->error);
	}
	if (c->match_name != NULL) {
		ck_assert_msg(strcmp(df->matched_name, c->match_name) == 0, "%s: name '%s'",
		    c->name, df->matched_name);
	}
	if (c->state == DANE_UNUSABLE) {
		ck_assert_msg(df->error[0] == '\0', "%s: error '%s'", c->name, df->error);
	}
	if (c->error != NULL) {
		ck_assert_msg(
		    strstr(df->error, c->error) != NULL, "%s: error '%s'", c->name, df->error);
	}
}

START_TEST(test_dane)
{
	const struct dcase *c = &dcases[_i];
	struct tls_info with, without;
	struct dane_fact df;
	struct testcert tc;
	struct tls_ctx *tls;
	struct fault f = {0};
	struct tls_config cfg = {0};
	struct tls_dane dane = {.base = BASE, .names = c->names, .nnames = c->names[0] ? 1 : 0};
	SSL_CTX *sctx;

	ck_assert_int_eq(testcert_make_spec(&tc, &c->spec), 0);
	sctx = testcert_server_ctx(&tc);
	ck_assert_ptr_nonnull(sctx);
	if (c->send_root) {
		ck_assert_int_eq(SSL_CTX_add1_chain_cert(sctx, tc.ca), 1);
	}
	cfg.cafile = tc.ca_path;
	ck_assert_int_eq(tls_ctx_new(&tls, &cfg, &f), 0);
	memset(&df, 0, sizeof(df));
	df.state = DANE_NOT_ASKED;
	fill_rr(&df, c, &tc);
	ck_assert_msg(handshake(tls, sctx, &dane, &df, &with, &f) == 0, "%s: %s", c->name, f.msg);
	check_result(c, &df);
	/* The records were not touched, nor the DNS facts. */
	ck_assert_uint_eq(df.nrr, c->nrr);
	ck_assert_int_eq(df.tlsa.sec, DNSSEC_NOT_ASKED);
	/* DANE changes none of the PKIX facts. */
	ck_assert_int_eq(handshake(tls, sctx, NULL, NULL, &without, &f), 0);
	ck_assert_msg(with.verified == without.verified &&
	        with.verify_code == without.verify_code &&
	        with.verify_depth == without.verify_depth,
	    "%s: PKIX %ld with DANE, %ld without", c->name, with.verify_code, without.verify_code);
	ck_assert_str_eq(with.verify_reason, without.verify_reason);
	ck_assert_str_eq(with.checked_name, without.checked_name);
	ck_assert_uint_eq(with.nchain, without.nchain);
	/* Without a caller's SNI, DANE sends the TLSA base domain. */
	ck_assert_str_eq(with.sni, c->state == DANE_UNUSABLE ? "" : BASE);
	ck_assert_str_eq(without.sni, "");
	tls_ctx_free(tls);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

/* Records called usable that OpenSSL cannot take (a SHA2-256 digest of
 * 20 bytes, a "full" certificate that is not DER): DANE stays off, and
 * the error says why. */
START_TEST(test_dane_refused)
{
	struct testcert tc;
	struct tls_config cfg = {0};
	struct tls_dane dane = {.base = BASE};
	struct dane_fact df = {0};
	struct tls_info info;
	struct tls_ctx *tls;
	struct fault f = {0};
	SSL_CTX *sctx;

	ck_assert_int_eq(testcert_make(&tc, BASE, -1, 30), 0);
	sctx = testcert_server_ctx(&tc);
	ck_assert_int_eq(tls_ctx_new(&tls, &cfg, &f), 0);
	df.nrr = 2;
	df.rr[0] = (struct tlsa_rr){.usage = 3, .selector = 1, .mtype = 1, .len = 20};
	df.rr[1] = (struct tlsa_rr){.usage = 3, .selector = 0, .mtype = 0, .len = 40};
	memset(df.rr[1].data, 0xff, 40);
	ck_assert_int_eq(handshake(tls, sctx, &dane, &df, &info, &f), 0);
	ck_assert_int_eq(df.state, DANE_UNUSABLE);
	ck_assert_str_eq(df.error, "OpenSSL could use none of the TLSA records");
	ck_assert_int_eq(df.matched, -1);
	ck_assert_int_eq(info.done, 1);
	tls_ctx_free(tls);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

/* The handshake fails: DANE says no TLS came, with the fault's words. */
START_TEST(test_dane_no_tls)
{
	static const char *const script[] = {"S:not TLS at all\r\n", "CLOSE", NULL};
	struct fakesrv *srv = fakesrv_start(script, NULL);
	struct tls_dane dane = {.base = BASE};
	struct tls_config cfg = {0};
	struct dane_fact df = {0};
	struct tls_info info;
	struct tls_ctx *tls;
	struct fault f = {0};
	struct xport x;
	int fd;

	ck_assert_ptr_nonnull(srv);
	ck_assert_int_eq(tls_ctx_new(&tls, &cfg, &f), 0);
	df.nrr = 1;
	df.rr[0] = (struct tlsa_rr){.usage = 3, .selector = 1, .mtype = 1, .len = 32};
	fd = connect_to(fakesrv_port(srv));
	xport_plain_init(&x, fd);
	ck_assert_int_eq(tls_start_dane(tls, &x, "sni.example", BASE, &dane, &df,
	                     clock_now_ms() + 5000, &info, &f),
	    -1);
	ck_assert_int_eq(df.state, DANE_NO_TLS);
	ck_assert_str_eq(df.error, f.msg);
	ck_assert_int_eq(df.matched, -1);
	close(fd);
	(void)fakesrv_join(srv);
	fakesrv_free(srv);
	tls_ctx_free(tls);
}
END_TEST

/* A caller's SNI is sent as it is; a record without a base domain is
 * refused before any traffic. */
START_TEST(test_dane_sni_and_base)
{
	struct testcert tc;
	struct tls_config cfg = {0};
	struct tls_dane dane = {.base = BASE};
	struct dane_fact df = {0};
	struct tls_info info;
	struct tls_ctx *tls;
	struct fault f = {0};
	struct xport x;
	SSL_CTX *sctx;

	ck_assert_int_eq(testcert_make(&tc, BASE, -1, 30), 0);
	sctx = testcert_server_ctx(&tc);
	ck_assert_int_eq(tls_ctx_new(&tls, &cfg, &f), 0);
	df.nrr = 1;
	df.rr[0].usage = 3;
	df.rr[0].selector = 1;
	df.rr[0].mtype = 1;
	df.rr[0].len = tls_tlsa_data(tc.cert, 1, 1, df.rr[0].data, sizeof(df.rr[0].data));
	dane.base = NULL;
	xport_plain_init(&x, -1);
	ck_assert_int_eq(
	    tls_start_dane(tls, &x, NULL, BASE, &dane, &df, clock_now_ms() + 5000, &info, &f), -1);
	ck_assert_int_eq(f.cls, FAULT_INTERNAL);
	dane.base = BASE;
	ck_assert_int_eq(handshake_sni(tls, sctx, "caller.example", &dane, &df, &info, &f), 0);
	ck_assert_int_eq(df.state, DANE_MATCHED);
	ck_assert_str_eq(info.sni, "caller.example");
	tls_ctx_free(tls);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

/* Digests of a certificate computed with the openssl command:
 *   openssl x509 -outform DER | sha256sum                         (3 0 1)
 *   openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER |
 *   sha256sum, sha512sum                                          (3 1 1, 3 1 2) */
static const char kat_pem[] = "-----BEGIN CERTIFICATE-----\n"
                              "MIIBijCCATGgAwIBAgIUYGQJAsZz+U0M6ilF/2mvMKyPbfQwCgYIKoZIzj0EAwIw\n"
                              "GzEZMBcGA1UEAwwQa2F0LnRlc3QuZXhhbXBsZTAeFw0yNjExMjkwODQ5MzlaFw0z\n"
                              "NjExMjYwODQ5MzlaMBsxGTAXBgNVBAMMEGthdC50ZXN0LmV4YW1wbGUwWTATBgcq\n"
                              "hkjOPQIBBggqhkjOPQMBBwNCAARO5fWpSGiPkp++ypZDwNjQBlu/D28dkx3R3FVG\n"
                              "JpTKFK1moKISNK4V/BPNTB4WIYrK2/XXLm57cbhdzEY6yX2go1MwUTAdBgNVHQ4E\n"
                              "FgQU7xvukMiPwafwaVRjaS3tVt65VNMwHwYDVR0jBBgwFoAU7xvukMiPwafwaVRj\n"
                              "aS3tVt65VNMwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAMW+iQ\n"
                              "9L2mb6C6QB+HQDiDEsC5Iijg7DxVvIAYkphMjgIgaNR4L5GsKX2Ph9PWkt7PTJuk\n"
                              "x0rzicJfghaFqp3/748=\n"
                              "-----END CERTIFICATE-----\n";

static void
hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		sprintf(out + 2 * i, "%02x", p[i]);
	}
	out[2 * n] = '\0';
}

START_TEST(test_tlsa_data)
{
	BIO *b = BIO_new_mem_buf(kat_pem, -1);
	X509 *cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	uint8_t buf[TLSA_MAX_DATA];
	char h[2 * 64 + 1];

	ck_assert_ptr_nonnull(cert);
	ck_assert_uint_eq(tls_tlsa_data(cert, 0, 1, buf, sizeof(buf)), 32);
	hex(buf, 32, h);
	ck_assert_str_eq(h, "8282d398efa89a46857cf4f018752b34698c33f02ec8ccc5a92351b19bf07ef9");
	ck_assert_uint_eq(tls_tlsa_data(cert, 1, 1, buf, sizeof(buf)), 32);
	hex(buf, 32, h);
	ck_assert_str_eq(h, "23e6a1f1783138e8bb68f23a940145488f6a4a1115306c2492ad61efe957bc14");
	ck_assert_uint_eq(tls_tlsa_data(cert, 1, 2, buf, sizeof(buf)), 64);
	hex(buf, 64, h);
	ck_assert_str_eq(h,
	    "275c90534e45eea650bbc883b538d37592f83c21503f297a96418fea013f9e76"
	    "abbc3977678ba051c3cbff38d49eed579d632bfb686e564face90164142c87b7");
	/* Matching type 0: the DER itself (an EC P-256 key's SPKI is 91 bytes). */
	ck_assert_uint_eq(tls_tlsa_data(cert, 1, 0, buf, sizeof(buf)), 91);
	ck_assert_uint_eq(buf[0], 0x30);
	/* Unknown selector or type, or no room: nothing. */
	ck_assert_uint_eq(tls_tlsa_data(cert, 2, 1, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(tls_tlsa_data(cert, 1, 3, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(tls_tlsa_data(cert, 1, 2, buf, 63), 0);
	ck_assert_uint_eq(tls_tlsa_data(cert, 0, 0, buf, 100), 0);
	ck_assert_uint_eq(tls_tlsa_data(NULL, 1, 1, buf, sizeof(buf)), 0);
	X509_free(cert);
	BIO_free(b);
}
END_TEST

/* Which certificate the server sent a record fits, over the connection. */
START_TEST(test_tlsa_match)
{
	static const char *const script[] = {"TLS", NULL};
	struct testcert_spec spec = {
	    .dns_name = BASE, .from_days = -1, .to_days = 30, .intermediate = 1, .send_chain = 1};
	struct tlsa_rr leaf = {.usage = 3, .selector = 1, .mtype = 1};
	struct tlsa_rr mid = {.usage = 2, .selector = 0, .mtype = 2};
	struct tlsa_rr root = {.usage = 2, .selector = 1, .mtype = 1};
	struct tls_config cfg = {0};
	struct testcert tc;
	struct tls_info info;
	struct tls_ctx *tls;
	struct fakesrv *srv;
	struct fault f = {0};
	struct xport x;
	uint8_t buf[64];
	SSL_CTX *sctx;
	int fd;

	ck_assert_int_eq(testcert_make_spec(&tc, &spec), 0);
	sctx = testcert_server_ctx(&tc);
	leaf.len = tls_tlsa_data(tc.cert, 1, 1, leaf.data, sizeof(leaf.data));
	mid.len = tls_tlsa_data(tc.mid, 0, 2, mid.data, sizeof(mid.data));
	root.len = tls_tlsa_data(tc.ca, 1, 1, root.data, sizeof(root.data));
	ck_assert_int_eq(tls_ctx_new(&tls, &cfg, &f), 0);
	srv = fakesrv_start(script, sctx);
	fd = connect_to(fakesrv_port(srv));
	xport_plain_init(&x, fd);
	/* Not TLS yet: nothing. */
	ck_assert_int_eq(tls_tlsa_match(&x, &leaf), -1);
	ck_assert_int_eq(tls_start(tls, &x, NULL, BASE, clock_now_ms() + 5000, &info, &f), 0);
	ck_assert_int_eq(tls_tlsa_match(&x, &leaf), 0);
	ck_assert_int_eq(tls_tlsa_match(&x, &mid), 1);
	ck_assert_int_eq(tls_tlsa_match(&x, &root), -1);
	ck_assert_uint_eq(tls_peer_tlsa_data(&x, 0, 1, 1, buf, sizeof(buf)), 32);
	ck_assert_mem_eq(buf, leaf.data, 32);
	ck_assert_uint_eq(tls_peer_tlsa_data(&x, 2, 1, 1, buf, sizeof(buf)), 0);
	leaf.data[0] ^= 1;
	ck_assert_int_eq(tls_tlsa_match(&x, &leaf), -1);
	x.ops->release(&x);
	close(fd);
	(void)fakesrv_join(srv);
	fakesrv_free(srv);
	tls_ctx_free(tls);
	SSL_CTX_free(sctx);
	testcert_free(&tc);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dane");
	TCase *tc = tcase_create("dane");

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_dane, 0, (int)(sizeof(dcases) / sizeof(dcases[0])));
	tcase_add_test(tc, test_dane_refused);
	tcase_add_test(tc, test_dane_no_tls);
	tcase_add_test(tc, test_dane_sni_and_base);
	tcase_add_test(tc, test_tlsa_data);
	tcase_add_test(tc, test_tlsa_match);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
