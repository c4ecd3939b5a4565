/* testcert.h - throw-away CAs and server certificates, made in-process
 * for the scripted TLS servers, good ones and every kind of bad one. */
#ifndef SMTPROBE_TESTCERT_H
#define SMTPROBE_TESTCERT_H

#include <openssl/ssl.h>

struct testcert_spec {
	const char *dns_name; /* subjectAltName DNS and CN */
	long from_days;       /* notBefore = now + from_days */
	long to_days;         /* notAfter = now + to_days */
	int rsa_bits;         /* 0: EC P-256; else an RSA key of that size */
	int sha1;             /* sign the server certificate with SHA-1 */
	int self_signed;      /* the server certificate signs itself */
	int intermediate;     /* signed by an intermediate CA the server does not send */
	int send_chain;       /* with intermediate: the server sends it */
	int mid_rsa_bits;     /* the intermediate's key: 0 EC P-256, else RSA of that size */
	int mid_md5;          /* the intermediate is signed with MD5 (the root is then RSA) */
	int mid_expired;      /* the intermediate expired yesterday */
	const char *cn;       /* a CN other than dns_name (the SAN stays dns_name) */
};

struct testcert {
	char dir[64];     /* temporary directory holding ca.pem */
	char ca_path[96]; /* PEM file of the root CA, for --cafile */
	EVP_PKEY *ca_key;
	X509 *ca;
	EVP_PKEY *key; /* the server's key */
	X509 *cert;    /* the server's certificate */
	X509 *mid;     /* the intermediate CA, when spec asked for one to send */
};

/* A CA and a certificate as spec says.  Returns 0 or -1. */
int testcert_make_spec(struct testcert *tc, const struct testcert_spec *spec);

/* The usual good one: EC P-256, signed by the CA, valid from now +
 * from_days to now + to_days. */
int testcert_make(struct testcert *tc, const char *dns_name, long from_days, long to_days);

/* A server SSL_CTX presenting tc's certificate (caller frees it). */
SSL_CTX *testcert_server_ctx(const struct testcert *tc);

void testcert_free(struct testcert *tc);

#endif
