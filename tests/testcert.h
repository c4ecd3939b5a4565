/* testcert.h - a throw-away CA and server certificate, made in-process
 * for the scripted TLS servers. */
#ifndef SMTPROBE_TESTCERT_H
#define SMTPROBE_TESTCERT_H

#include <openssl/ssl.h>

struct testcert {
	char dir[64];         /* temporary directory holding ca.pem */
	char ca_path[96];     /* PEM file of the CA, for --cafile */
	EVP_PKEY *ca_key;
	X509 *ca;
	EVP_PKEY *key;        /* the server's key */
	X509 *cert;           /* the server's certificate, signed by ca */
};

/* Make a CA and a certificate for dns_name valid from now + from_days to
 * now + to_days (negative: in the past).  Returns 0 or -1. */
int testcert_make(struct testcert *tc, const char *dns_name, long from_days, long to_days);

/* A server SSL_CTX presenting tc's certificate (caller frees it). */
SSL_CTX *testcert_server_ctx(const struct testcert *tc);

void testcert_free(struct testcert *tc);

#endif
