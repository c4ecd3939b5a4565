/* tls.h - OpenSSL behind the transport interface, and what a handshake
 * tells about the server: protocol, cipher, group, certificate facts and
 * the verification result with its reason.
 */
#ifndef SMTPROBE_TLS_H
#define SMTPROBE_TLS_H

#include <stdint.h>

#include "fault.h"
#include "xport.h"

struct tls_ctx;

struct tls_config {
	const char *cafile;     /* NULL: the system store */
	const char *capath;     /* NULL: the system store */
};

/* What one handshake showed.  Strings are NUL-terminated; they come from
 * the server's certificate and are untrusted (escape them to show). */
struct tls_info {
	int done;                 /* the handshake completed */
	char protocol[16];        /* "TLSv1.3" */
	char cipher[64];
	char group[32];           /* key-exchange group, "" if none */
	char sni[256];            /* name sent as SNI, "" if none */
	char checked_name[256];   /* name or address the certificate was checked against */
	int have_cert;
	char subject[256];
	char issuer[256];
	char sans[512];           /* "DNS:a, DNS:b, IP:1.2.3.4" */
	char key[48];             /* "RSA 2048", "EC P-256", "ED25519" */
	int weak_key;             /* RSA/DSA below 2048 bits, EC below 224 */
	char sig_alg[48];
	int weak_sig;             /* signed with SHA-1 or MD5 */
	char not_before[32];      /* "2026-11-22 10:00:00 UTC" */
	char not_after[32];
	int64_t days_left;        /* whole days until notAfter; negative when expired */
	int64_t not_after_unix;   /* notAfter in seconds since the epoch, 0 if unknown */
	int verified;             /* chain and name verified */
	long verify_code;         /* X509_V_OK or the first X509_V_ERR_* */
	char verify_reason[160];  /* plain words: "certificate has expired" ... */
};

/* One context serves every connection of the run.  The system CA store
 * is used unless cfg names a file or directory.  Returns 0 or -1. */
int tls_ctx_new(struct tls_ctx **out, const struct tls_config *cfg,
    struct fault *f);
void tls_ctx_free(struct tls_ctx *ctx);

/* Run a client handshake on x's socket and turn x into a TLS transport.
 * sni: the name to send (NULL for none).  verify_name: the DNS name or
 * IP address literal the certificate must match.  The handshake goes on
 * when verification fails: info->verified and verify_reason say how it
 * went, and the caller decides.  Returns 0 when the handshake completed,
 * -1 with f filled (FAULT_TLS, FAULT_TIMEOUT, FAULT_CLOSED) when not. */
int tls_start(struct tls_ctx *ctx, struct xport *x, const char *sni,
    const char *verify_name, int64_t deadline, struct tls_info *info,
    struct fault *f);

/* Plain words for an X509_V_ERR_* code, with the common causes first. */
const char *tls_verify_words(long code);

#endif
