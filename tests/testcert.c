#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "testcert.h"

static int
testcert_ext(X509 *issuer, X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext == NULL) {
		return -1;
	}
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

static X509 *
testcert_new(const char *cn, EVP_PKEY *key, long serial, long from_days, long to_days)
{
	X509 *x = X509_new();
	X509_NAME *name;

	if (x == NULL) {
		return NULL;
	}
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400L);
	X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400L);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	return x;
}

static EVP_PKEY *
testcert_key(int rsa_bits)
{
	return rsa_bits ? EVP_RSA_gen((unsigned)rsa_bits) : EVP_EC_gen("P-256");
}

/* A CA certificate: self-signed when issuer is NULL. */
static X509 *
testcert_ca(const char *cn, EVP_PKEY *key, long serial, X509 *issuer, EVP_PKEY *issuer_key,
    const EVP_MD *md, int expired)
{
	X509 *x = testcert_new(cn, key, serial, expired ? -30 : -1, expired ? -1 : 3650);

	if (x == NULL) {
		return NULL;
	}
	X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x));
	if (testcert_ext(issuer ? issuer : x, x, NID_basic_constraints, "critical,CA:TRUE") != 0 ||
	    testcert_ext(issuer ? issuer : x, x, NID_key_usage, "critical,keyCertSign,cRLSign") !=
	        0 ||
	    X509_sign(x, issuer_key ? issuer_key : key, md) == 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int
testcert_make_spec(struct testcert *tc, const struct testcert_spec *spec)
{
	char san[300];
	X509 *signer;
	EVP_PKEY *signer_key, *mid_key = NULL;
	X509 *mid = NULL;
	FILE *fp;
	int rc = -1;

	memset(tc, 0, sizeof(*tc));
	snprintf(tc->dir, sizeof(tc->dir), "/tmp/smtprobe-test.XXXXXX");
	if (mkdtemp(tc->dir) == NULL) {
		return -1;
	}
	snprintf(tc->ca_path, sizeof(tc->ca_path), "%s/ca.pem", tc->dir);
	/* MD5 exists only with RSA signatures. */
	tc->ca_key = spec->mid_md5 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
	tc->key = testcert_key(spec->rsa_bits);
	if (tc->ca_key == NULL || tc->key == NULL) {
		return -1;
	}
	tc->ca =
	    testcert_ca("smtprobe scripted test CA", tc->ca_key, 1, NULL, NULL, EVP_sha256(), 0);
	if (tc->ca == NULL) {
		return -1;
	}
	signer = tc->ca;
	signer_key = tc->ca_key;
	if (spec->intermediate) {
		mid_key = testcert_key(spec->mid_rsa_bits);
		mid = mid_key
		    ? testcert_ca("smtprobe intermediate CA", mid_key, 3, tc->ca, tc->ca_key,
		          spec->mid_md5 ? EVP_md5() : EVP_sha256(), spec->mid_expired)
		    : NULL;
		if (mid == NULL) {
			goto out;
		}
		signer = mid;
		signer_key = mid_key;
	}
	tc->cert = testcert_new(
	    spec->cn ? spec->cn : spec->dns_name, tc->key, 2, spec->from_days, spec->to_days);
	if (tc->cert == NULL) {
		goto out;
	}
	if (spec->self_signed) {
		signer = tc->cert;
		signer_key = tc->key;
	}
	X509_set_issuer_name(tc->cert, X509_get_subject_name(signer));
	snprintf(san, sizeof(san), "DNS:%s", spec->dns_name);
	if (testcert_ext(signer, tc->cert, NID_subject_alt_name, san) != 0 ||
	    testcert_ext(signer, tc->cert, NID_ext_key_usage, "serverAuth") != 0 ||
	    X509_sign(tc->cert, signer_key, spec->sha1 ? EVP_sha1() : EVP_sha256()) == 0) {
		goto out;
	}
	fp = fopen(tc->ca_path, "w");
	if (fp == NULL) {
		goto out;
	}
	PEM_write_X509(fp, tc->ca);
	fclose(fp);
	if (spec->send_chain && mid != NULL) {
		tc->mid = mid;
		mid = NULL;
	}
	rc = 0;
out:
	X509_free(mid);
	EVP_PKEY_free(mid_key);
	return rc;
}

int
testcert_make(struct testcert *tc, const char *dns_name, long from_days, long to_days)
{
	struct testcert_spec spec = {
	    .dns_name = dns_name, .from_days = from_days, .to_days = to_days};

	return testcert_make_spec(tc, &spec);
}

SSL_CTX *
testcert_server_ctx(const struct testcert *tc)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	/* Serve weak certificates too: the client judges them. */
	if (ctx != NULL) {
		SSL_CTX_set_security_level(ctx, 0);
	}
	if (ctx == NULL || SSL_CTX_use_certificate(ctx, tc->cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, tc->key) != 1 ||
	    (tc->mid != NULL && SSL_CTX_add1_chain_cert(ctx, tc->mid) != 1)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void
testcert_free(struct testcert *tc)
{
	X509_free(tc->ca);
	X509_free(tc->cert);
	X509_free(tc->mid);
	EVP_PKEY_free(tc->ca_key);
	EVP_PKEY_free(tc->key);
	if (tc->ca_path[0] != '\0') {
		unlink(tc->ca_path);
	}
	if (tc->dir[0] != '\0') {
		rmdir(tc->dir);
	}
	memset(tc, 0, sizeof(*tc));
}
