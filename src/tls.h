/* tls.h - OpenSSL behind the transport interface, and what a handshake
 * tells about the server: protocol, cipher, group, certificate facts and
 * the verification result with its reason.
 */
#ifndef SMTPROBE_TLS_H
#define SMTPROBE_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "fault.h"
#include "mxpolicy.h"
#include "xport.h"

struct tls_ctx;

struct tls_config {
	const char *cafile; /* NULL: the system store */
	const char *capath; /* NULL: the system store */
};

/* One certificate the server sent, judged on its own (key, signature,
 * validity).  Strings come from the certificate: untrusted. */
struct tls_cert {
	int depth; /* its place in what the server sent: 0 is its own */
	char subject[256];
	char key[48]; /* "RSA 2048", "EC P-256", "DH 1024" */
	int weak_key; /* RSA/DSA/DH below 2048 bits, EC below 224 */
	char sig_alg[48];
	int weak_sig; /* signed with SHA-1 or MD5 (a self-signed one: never) */
	char not_after[32];
	int64_t not_after_unix; /* 0 if unknown */
	int64_t days_left;      /* negative when expired */
	int not_yet_valid;
};

/* What one handshake showed.  Strings are NUL-terminated; they come from
 * the server's certificate and are untrusted (escape them to show). */
struct tls_info {
	int done;          /* the handshake completed */
	char protocol[16]; /* "TLSv1.3" */
	char cipher[64];
	char group[32];         /* key-exchange group, "" if none */
	char kx[32];            /* the server's ephemeral key: "DH 1024", "X25519", "" */
	int dh_bits;            /* finite-field DHE: the group's size, else 0 */
	int weak_dh;            /* finite-field DHE below 2048 bits */
	char sni[256];          /* name sent as SNI, "" if none */
	char checked_name[256]; /* name or address the certificate was checked against */
	int have_cert;
	char cert_sha256[65]; /* the leaf certificate's SHA-256, hex (to compare addresses) */
	char subject[256];
	char issuer[256];
	char sans[512]; /* "DNS:a, DNS:b, IP:1.2.3.4" */
	char key[48];   /* "RSA 2048", "EC P-256", "ED25519" */
	int weak_key;   /* RSA/DSA below 2048 bits, EC below 224 */
	char sig_alg[48];
	int weak_sig;        /* signed with SHA-1 or MD5 */
	char not_before[32]; /* "2026-11-22 10:00:00 UTC" */
	char not_after[32];
	int64_t days_left;        /* whole days until notAfter; negative when expired */
	int64_t not_after_unix;   /* notAfter in seconds since the epoch, 0 if unknown */
	int verified;             /* chain and name verified (at TLS_AUTH_LEVEL) */
	long verify_code;         /* X509_V_OK or the first X509_V_ERR_* */
	int verify_depth;         /* depth in the verified path of the failing certificate, -1 */
	char verify_subject[256]; /* its subject, "" */
	char verify_reason[320];  /* plain words: "certificate has expired (depth 1: CN=...)" */
	struct tls_cert chain[BOUND_TLS_CHAIN]; /* what the server sent, in its order */
	size_t nchain;
	size_t chain_more; /* certificates sent beyond BOUND_TLS_CHAIN, not judged */
	int earliest;      /* index in chain of the one that expires first, -1 */
};

/* The security level the chain is verified at, whatever the handshake
 * accepted: OpenSSL level 2 (112 bits: RSA/DSA/DH 2048, EC 224; no SHA-1
 * or MD5 signatures), the default of Debian 12 and most distributions. */
#define TLS_AUTH_LEVEL 2

/* One context serves every connection of the run.  The system CA store
 * is used unless cfg names a file or directory.  Returns 0 or -1. */
int tls_ctx_new(struct tls_ctx **out, const struct tls_config *cfg, struct fault *f);
void tls_ctx_free(struct tls_ctx *ctx);

/* Run a client handshake on x's socket and turn x into a TLS transport.
 * sni: the name to send (NULL for none).  verify_name: the DNS name or
 * IP address literal the certificate must match.  The handshake goes on
 * when verification fails: info->verified and verify_reason say how it
 * went, and the caller decides.  Returns 0 when the handshake completed,
 * -1 with f filled (FAULT_TLS, FAULT_TIMEOUT, FAULT_CLOSED) when not. */
int tls_start(struct tls_ctx *ctx, struct xport *x, const char *sni, const char *verify_name,
    int64_t deadline, struct tls_info *info, struct fault *f);

/* DANE for one connection (RFC 7672, RFC 7671), matched by OpenSSL's own
 * DANE support.
 *
 * base: the TLSA base domain (RFC 7672 §2.2.2): the MX host name, or the
 * name its CNAME chain ends at when the chain validated and TLSA records
 * were found there.  It is the first reference identifier of DANE-TA(2)
 * name checks, and one of the chain's names must match it or one of
 * names[0..nnames) (RFC 7672 §3.1.2, §3.2.2; SSL_dane_enable(3)'s example
 * adds the next-hop domain), wildcards as one whole left-most label.
 * DANE-EE(3) records are matched without name checks (RFC 7672 §3.2.1)
 * and without validity dates (§3.1.1: OpenSSL skips the path checks,
 * dates included, when a DANE-EE record matches the server's own
 * certificate; tests/check_dane.c proves an expired one matches).
 * DANE-TA(2) chains are checked as PKIX would, dates included, from the
 * certificate that matched, which the server must send (RFC 7671 §5.2:
 * only a trust anchor published in full may be left out, and OpenSSL
 * takes only a full key, "2 1 0", in its place; tests/check_dane.c proves
 * a digest of a CA the server did not send matches nothing). */
struct tls_dane {
	const char *base;
	const char *const *names;
	size_t nnames;
};

/* tls_start, with DANE when dane and df are not NULL.  df supplies the records
 * (rr, verdict, nrr); only those with verdict TLSA_USABLE and usage 2 or
 * 3 are given to OpenSSL (usages 0 and 1 never: RFC 7672 §3.1.3).
 * Afterwards the chain is verified once more, with those records, at
 * TLS_AUTH_LEVEL as the PKIX check is, and df gets the result:
 *   DANE_MATCHED: matched (index in df->rr of the record OpenSSL reports;
 *     of identical records the first), matched_depth (in the verified
 *     chain: 0 the server's own certificate), matched_subject, and
 *     matched_name (the reference identifier a DANE-TA chain matched;
 *     "" for DANE-EE);
 *   DANE_NO_MATCH: error says why (no record matched, the name, the
 *     dates or the key of a DANE-TA chain...), matched is -1;
 *   DANE_UNUSABLE: no record could be given to OpenSSL; DANE was off;
 *   DANE_NO_TLS: the handshake failed (error is the fault's words).
 * No other field of df is touched; info (the PKIX facts) is the same as
 * tls_start's, whatever DANE says.  When sni is NULL, OpenSSL sends base
 * as SNI (SSL_dane_enable(3)); info->sni says what was sent.  OpenSSL
 * applies digest agility (RFC 7671 §9): of the digest records of one usage
 * and selector, only those of the strongest type present count (SHA2-512
 * over SHA2-256, SSL_CTX_dane_mtype_set(3)); full (type 0) ones always do.
 * The trust store is not consulted for DANE-TA(2): a digest of a CA the
 * server does not send matches nothing, even when the store has it. */
int tls_start_dane(struct tls_ctx *ctx, struct xport *x, const char *sni, const char *verify_name,
    const struct tls_dane *dane, struct dane_fact *df, int64_t deadline, struct tls_info *info,
    struct fault *f);

/* The certificate association data of cert (an X509) for a selector (0
 * the whole certificate, 1 its SubjectPublicKeyInfo) and a matching type
 * (0 as is, 1 SHA2-256, 2 SHA2-512), as a TLSA record carries it (RFC
 * 6698 §2.1).  Returns its length, 0 when the selector or type is unknown
 * or out is too short (TLSA_MAX_DATA always suffices for types 1 and 2). */
struct x509_st;
size_t tls_tlsa_data(struct x509_st *cert, int selector, int mtype, uint8_t *out, size_t outsz);

/* The same for the certificate at index i of what the server sent on x (a
 * transport tls_start made; 0 is the server's own).  Returns its length,
 * 0 when there is no such certificate or as above. */
size_t tls_peer_tlsa_data(
    const struct xport *x, size_t i, int selector, int mtype, uint8_t *out, size_t outsz);

/* The index in what the server sent of the first certificate rr's data
 * matches (selector and matching type as rr says, usage not considered),
 * or -1: which records fit the certificates in use (a rollover note). */
int tls_tlsa_match(const struct xport *x, const struct tlsa_rr *rr);

/* Channel binding data of a TLS connection (RFC 5056), for SASL
 * mechanisms that bind to it (SCRAM-*-PLUS, RFC 5802 §6). */
struct tls_binding {
	const char *type; /* "tls-exporter" or "tls-unique" */
	unsigned char data[BOUND_TLS_BINDING];
	size_t len;
};

/* The channel binding data of x, a transport tls_start made: over TLS 1.3
 * tls-exporter (RFC 9266 §2: 32 bytes exported with the label
 * "EXPORTER-Channel-Binding" and no context), over TLS 1.2 tls-unique
 * (RFC 5929 §3.1: the first Finished of the handshake) and only with the
 * extended master secret (RFC 7627), without which the triple-handshake
 * attack lets two connections share it.  0, or -1 when x is not TLS or
 * the connection has no binding smtprobe can vouch for (TLS 1.1 and
 * older, TLS 1.2 without extended master secret). */
int tls_channel_binding(const struct xport *x, struct tls_binding *b);

/* The type and size of a public key ("RSA 2048", "EC P-256", "DH 2048"),
 * and whether it is weak.  key is an EVP_PKEY. */
struct evp_pkey_st;
void tls_key_describe(struct evp_pkey_st *key, char *out, size_t outsz, int *weak);

/* Plain words for an X509_V_ERR_* code, with the common causes first. */
const char *tls_verify_words(long code);

#endif
