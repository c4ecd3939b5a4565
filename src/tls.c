#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "i18n.h"
#include "tls.h"

struct tls_ctx {
	SSL_CTX *ctx;
};

/* The handshake's own chain verification, skipped: see tls_ctx_new. */
static int
tls_verify_later(X509_STORE_CTX *sc, void *arg)
{
	(void)sc;
	(void)arg;
	return 1;
}

int
tls_ctx_new(struct tls_ctx **out, const struct tls_config *cfg, struct fault *f)
{
	struct tls_ctx *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (t->ctx == NULL) {
		free(t);
		return fault_set(f, FAULT_INTERNAL, 0, _("cannot create a TLS context"));
	}
	/* The handshake never aborts on the certificate: the chain is
	 * verified afterwards (tls_verify, at TLS_AUTH_LEVEL), so a failed
	 * check is reported with what the server showed. */
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
	/* With SSL_VERIFY_NONE, OpenSSL still runs X509_verify_cert during
	 * the handshake (at the handshake's security level 0, without the
	 * name) and then ignores the result; tls_verify runs the one that
	 * counts.  The callback replaces that built-in verification
	 * (SSL_CTX_set_cert_verify_callback(3)): one chain verification per
	 * probe instead of two, 0.43 M instructions of 6.15 M (callgrind,
	 * serve, STARTTLS against Postfix). */
	SSL_CTX_set_cert_verify_callback(t->ctx, tls_verify_later, NULL);
	/* DANE's shared state (digest table), needed before any connection
	 * of the context can enable DANE (SSL_CTX_dane_enable(3)). */
	if (SSL_CTX_dane_enable(t->ctx) <= 0) {
		SSL_CTX_free(t->ctx);
		free(t);
		return fault_set(f, FAULT_INTERNAL, 0, _("cannot create a TLS context"));
	}
	/* A diagnostic must see what the server really offers: accept old
	 * protocols, weak keys and digests during the handshake, then judge
	 * them (tls-old-protocol, tls-weak-key, tls-weak-signature) instead of
	 * failing with no more than "handshake failure". */
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_VERSION);
	SSL_CTX_set_security_level(t->ctx, 0);
	(void)SSL_CTX_set_cipher_list(t->ctx, "DEFAULT:@SECLEVEL=0");
	if (cfg->cafile != NULL || cfg->capath != NULL) {
		if (SSL_CTX_load_verify_locations(t->ctx, cfg->cafile, cfg->capath) != 1) {
			unsigned long e = ERR_get_error();
			char buf[160];

			ERR_error_string_n(e, buf, sizeof(buf));
			SSL_CTX_free(t->ctx);
			free(t);
			return fault_set(f, FAULT_INTERNAL, 0, _("cannot load CA %s: %s"),
			    cfg->cafile ? cfg->cafile : cfg->capath, buf);
		}
	} else {
		/* The system store as a hashed directory, looked up lazily, one
		 * issuer at a time.  A bundle file costs 20 ms of parsing (about
		 * 140 certificates) on every start, so SSL_CERT_FILE, or the
		 * default bundle, is read only when there is no such directory.
		 * SSL_CERT_DIR is honoured. */
		const char *dir = getenv(X509_get_default_cert_dir_env());
		const char *file = getenv(X509_get_default_cert_file_env());
		struct stat st;

		if (dir == NULL) {
			dir = X509_get_default_cert_dir();
		}
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			(void)SSL_CTX_load_verify_dir(t->ctx, dir);
		} else {
			(void)SSL_CTX_load_verify_file(
			    t->ctx, file != NULL ? file : X509_get_default_cert_file());
		}
		ERR_clear_error();
	}
	*out = t;
	return 0;
}

void
tls_ctx_free(struct tls_ctx *ctx)
{
	if (ctx != NULL) {
		SSL_CTX_free(ctx->ctx);
		free(ctx);
	}
}

/* One fault for an OpenSSL failure: the queued error, else errno. */
static int
tls_fail(struct fault *f, SSL *ssl, int ret, const char *what)
{
	int e = SSL_get_error(ssl, ret);
	unsigned long q = ERR_peek_last_error();
	char buf[160];

	if (e == SSL_ERROR_ZERO_RETURN) {
		ERR_clear_error();
		return fault_set(f, FAULT_CLOSED, 0, _("the server closed the TLS connection"));
	}
	if (e == SSL_ERROR_SYSCALL && q == 0) {
		int en = errno;

		ERR_clear_error();
		if (en == 0 || en == EPIPE || en == ECONNRESET) {
			return fault_set(f, FAULT_CLOSED, en,
			    _("the server closed the connection during %s"), what);
		}
		return fault_set(f, FAULT_TLS, en, _("%s: %s"), what, strerror(en));
	}
	if (q != 0) {
		ERR_error_string_n(q, buf, sizeof(buf));
		ERR_clear_error();
		if (ERR_GET_REASON(q) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			return fault_set(f, FAULT_CLOSED, 0,
			    _("the server closed the connection during %s"), what);
		}
		return fault_set(f, FAULT_TLS, 0, _("%s failed: %s"), what, buf);
	}
	return fault_set(f, FAULT_TLS, 0, _("%s failed (OpenSSL error %d)"), what, e);
}

/* Wait as OpenSSL asks; 1 to retry, 0 when the error is not a wait. */
static int
tls_wait(SSL *ssl, int ret, int fd, int64_t deadline, struct fault *f, int *failed)
{
	int e = SSL_get_error(ssl, ret);

	*failed = 0;
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		if (xport_wait(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, f) != 0) {
			*failed = 1;
			return 0;
		}
		return 1;
	}
	return 0;
}

static ssize_t
tls_read(struct xport *x, void *buf, size_t len, int64_t deadline, struct fault *f)
{
	SSL *ssl = x->impl;

	for (;;) {
		size_t got = 0;
		int ret = SSL_read_ex(ssl, buf, len, &got);
		int failed;

		if (ret == 1) {
			return (ssize_t)got;
		}
		if (tls_wait(ssl, ret, x->fd, deadline, f, &failed)) {
			continue;
		}
		return failed ? -1 : tls_fail(f, ssl, ret, _("TLS read"));
	}
}

static int
tls_write(struct xport *x, const void *buf, size_t len, int64_t deadline, struct fault *f)
{
	SSL *ssl = x->impl;
	const char *p = buf;

	while (len > 0) {
		size_t put = 0;
		int ret = SSL_write_ex(ssl, p, len, &put);
		int failed;

		if (ret == 1) {
			p += put;
			len -= put;
			continue;
		}
		if (tls_wait(ssl, ret, x->fd, deadline, f, &failed)) {
			continue;
		}
		return failed ? -1 : tls_fail(f, ssl, ret, _("TLS write"));
	}
	return 0;
}

static void
tls_release(struct xport *x)
{
	SSL *ssl = x->impl;

	if (ssl != NULL) {
		/* One non-blocking close_notify; the peer's is not awaited. */
		(void)SSL_shutdown(ssl);
		ERR_clear_error();
		SSL_free(ssl);
		x->impl = NULL;
	}
}

static const struct xport_ops tls_ops = {
    .name = "tls",
    .is_tls = 1,
    .read = tls_read,
    .write = tls_write,
    .release = tls_release,
};

int
tls_channel_binding(const struct xport *x, struct tls_binding *b)
{
	static const char label[] = "EXPORTER-Channel-Binding";
	SSL *ssl = x->ops == &tls_ops ? x->impl : NULL;

	memset(b, 0, sizeof(*b));
	if (ssl == NULL) {
		return -1;
	}
	if (SSL_version(ssl) == TLS1_3_VERSION) {
		if (SSL_export_keying_material(
		        ssl, b->data, 32, label, sizeof(label) - 1, NULL, 0, 0) != 1) {
			ERR_clear_error();
			return -1;
		}
		b->type = "tls-exporter";
		b->len = 32;
		return 0;
	}
	if (SSL_version(ssl) == TLS1_2_VERSION && SSL_get_extms_support(ssl) == 1) {
		/* The first Finished sent: the client's in a full handshake,
		 * the server's when the session was resumed. */
		b->len = SSL_session_reused(ssl)
		    ? SSL_get_peer_finished(ssl, b->data, sizeof(b->data))
		    : SSL_get_finished(ssl, b->data, sizeof(b->data));
		if (b->len == 0 || b->len > sizeof(b->data)) {
			memset(b, 0, sizeof(*b));
			return -1;
		}
		b->type = "tls-unique";
		return 0;
	}
	return -1;
}

const char *
tls_verify_words(long code)
{
	switch (code) {
	case X509_V_OK:
		return _("verified");
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return _("certificate has expired");
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return _("certificate is not yet valid");
	case X509_V_ERR_HOSTNAME_MISMATCH:
		return _("hostname mismatch: the certificate is for another name");
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		return _("address mismatch: the certificate does not name this IP address");
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		return _("self-signed certificate");
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return _("self-signed certificate in the chain: the root is not trusted");
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		return _("unknown issuer: the CA is not trusted or the chain is incomplete");
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return _("incomplete chain: the server did not send the intermediate certificate");
	case X509_V_ERR_CERT_REVOKED:
		return _("certificate has been revoked");
	case X509_V_ERR_EE_KEY_TOO_SMALL:
		return _("the certificate's key is too small");
	case X509_V_ERR_CA_KEY_TOO_SMALL:
		return _("a CA certificate's key is too small");
	case X509_V_ERR_CA_MD_TOO_WEAK:
		return _("the certificate is signed with a weak digest (such as SHA-1 or MD5)");
	case X509_V_ERR_INVALID_PURPOSE:
		return _("the certificate is not meant for TLS servers");
	default:
		return X509_verify_cert_error_string(code);
	}
}

static void
tls_time(const ASN1_TIME *t, char *out, size_t outsz)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(out, outsz, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
		snprintf(out, outsz, "unknown");
	}
}

static void
tls_name(X509_NAME *n, char *out, size_t outsz)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (b == NULL) {
		return;
	}
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
		len = BIO_read(b, out, (int)outsz - 1);
		out[len > 0 ? len : 0] = '\0';
	}
	BIO_free(b);
}

static void
tls_append(char *out, size_t outsz, const char *prefix, const char *s, size_t len)
{
	size_t o = strlen(out);

	if (o + strlen(prefix) + len + 3 >= outsz) {
		return;
	}
	snprintf(out + o, outsz - o, "%s%s%.*s", o ? ", " : "", prefix, (int)len, s);
}

static void
tls_sans(X509 *cert, char *out, size_t outsz)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);

	out[0] = '\0';
	if (gens == NULL) {
		return;
	}
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_DNS) {
			tls_append(out, outsz,
			    "DNS:", (const char *)ASN1_STRING_get0_data(g->d.dNSName),
			    (size_t)ASN1_STRING_length(g->d.dNSName));
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *o = g->d.iPAddress;
			char buf[64];

			if (o->length == 4) {
				snprintf(buf, sizeof(buf), "%u.%u.%u.%u", o->data[0], o->data[1],
				    o->data[2], o->data[3]);
			} else if (o->length == 16) {
				size_t k = 0;

				for (int j = 0; j < 16; j += 2) {
					k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%x",
					    j ? ":" : "", (o->data[j] << 8) | o->data[j + 1]);
				}
			} else {
				continue;
			}
			tls_append(out, outsz, "IP:", buf, strlen(buf));
		}
	}
	GENERAL_NAMES_free(gens);
}

void
tls_key_describe(EVP_PKEY *k, char *out, size_t outsz, int *weak)
{
	char group[32];
	size_t glen = 0;
	int id;

	*weak = 0;
	if (k == NULL) {
		snprintf(out, outsz, "unknown");
		return;
	}
	id = EVP_PKEY_get_base_id(k);
	switch (id) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
	case EVP_PKEY_DSA:
	case EVP_PKEY_DH:
	case EVP_PKEY_DHX:
		/* NIST SP 800-57 and the CA/Browser Forum: 2048 bits at least. */
		*weak = EVP_PKEY_get_bits(k) < 2048;
		snprintf(out, outsz, "%s %d",
		    id == EVP_PKEY_RSA           ? "RSA"
		        : id == EVP_PKEY_RSA_PSS ? "RSA-PSS"
		        : id == EVP_PKEY_DSA     ? "DSA"
		                                 : "DH",
		    EVP_PKEY_get_bits(k));
		break;
	case EVP_PKEY_EC:
		*weak = EVP_PKEY_get_bits(k) < 224;
		if (EVP_PKEY_get_group_name(k, group, sizeof(group), &glen) != 1) {
			snprintf(group, sizeof(group), "%d bits", EVP_PKEY_get_bits(k));
		}
		snprintf(out, outsz, "EC %s", group);
		break;
	default:
		snprintf(out, outsz, "%s %d", OBJ_nid2sn(id), EVP_PKEY_get_bits(k));
		break;
	}
}

/* One certificate's own facts: key, signature, validity. */
static void
tls_cert_judge(X509 *cert, int depth, struct tls_cert *c)
{
	int mdnid = NID_undef;
	int days = 0, secs = 0;
	struct tm tm;

	memset(c, 0, sizeof(*c));
	c->depth = depth;
	tls_name(X509_get_subject_name(cert), c->subject, sizeof(c->subject));
	tls_key_describe(X509_get0_pubkey(cert), c->key, sizeof(c->key), &c->weak_key);
	snprintf(c->sig_alg, sizeof(c->sig_alg), "%s", OBJ_nid2ln(X509_get_signature_nid(cert)));
	/* A self-signed certificate's own signature does not matter (a root
	 * is trusted by its presence in the store); the server's own
	 * certificate is judged whatever it is. */
	if (X509_get_signature_info(cert, &mdnid, NULL, NULL, NULL) == 1 &&
	    (depth == 0 || (X509_get_extension_flags(cert) & EXFLAG_SS) == 0)) {
		c->weak_sig = mdnid == NID_sha1 || mdnid == NID_md5 || mdnid == NID_md4 ||
		    mdnid == NID_md5_sha1;
	}
	tls_time(X509_get0_notAfter(cert), c->not_after, sizeof(c->not_after));
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1) {
		c->not_after_unix = (int64_t)timegm(&tm);
	}
	if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)) == 1) {
		/* Round toward minus infinity: expired an hour ago is -1. */
		c->days_left = days - ((days == 0 && secs < 0) ? 1 : 0);
	}
	c->not_yet_valid = X509_cmp_current_time(X509_get0_notBefore(cert)) > 0;
}

/* Every certificate the server sent, in its order. */
static void
tls_chain_judge(SSL *ssl, struct tls_info *info)
{
	STACK_OF(X509) *sent = SSL_get_peer_cert_chain(ssl);
	int n = sent != NULL ? sk_X509_num(sent) : 0;

	info->earliest = -1;
	for (int i = 0; i < n; i++) {
		struct tls_cert *c;

		if (info->nchain == BOUND_TLS_CHAIN) {
			info->chain_more++;
			continue;
		}
		c = &info->chain[info->nchain];
		tls_cert_judge(sk_X509_value(sent, i), i, c);
		if (c->not_after_unix != 0 &&
		    (info->earliest < 0 ||
		        c->not_after_unix < info->chain[info->earliest].not_after_unix)) {
			info->earliest = (int)info->nchain;
		}
		info->nchain++;
	}
}

/* A verification result in words; a certificate other than the server's
 * own is named. */
static void
tls_reason(long code, int depth, const char *subject, char *out, size_t outsz)
{
	if (code != X509_V_OK && depth > 0) {
		snprintf(out, outsz, _("%s (certificate %d of the chain: %.200s)"),
		    tls_verify_words(code), depth, subject);
	} else {
		snprintf(out, outsz, "%s", tls_verify_words(code));
	}
}

/* The chain verified as a client that means it would: at TLS_AUTH_LEVEL,
 * for a TLS server, against name, whatever the handshake accepted. */
static void
tls_verify(SSL *ssl, SSL_CTX *ctx, X509 *leaf, const char *name, struct tls_info *info)
{
	X509_STORE_CTX *sc = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *vp;
	X509 *bad;
	int named = 1;

	info->verify_depth = -1;
	if (sc == NULL ||
	    X509_STORE_CTX_init(
	        sc, SSL_CTX_get_cert_store(ctx), leaf, SSL_get_peer_cert_chain(ssl)) != 1 ||
	    X509_STORE_CTX_set_default(sc, "ssl_server") != 1) {
		X509_STORE_CTX_free(sc);
		info->verify_code = X509_V_ERR_UNSPECIFIED;
		snprintf(info->verify_reason, sizeof(info->verify_reason), "%s",
		    _("the certificate could not be checked (out of memory)"));
		return;
	}
	vp = X509_STORE_CTX_get0_param(sc);
	X509_VERIFY_PARAM_set_auth_level(vp, TLS_AUTH_LEVEL);
	if (name != NULL && name[0] != '\0') {
		/* An address literal is checked against IP SANs, a name
		 * against DNS SANs (OpenSSL 3 reads the CN only when there is
		 * no DNS SAN; tests/check_hostile.c proves it). */
		if (X509_VERIFY_PARAM_set1_ip_asc(vp, name) != 1) {
			X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			named = X509_VERIFY_PARAM_set1_host(vp, name, 0) == 1;
		}
	}
	if (!named) {
		/* Verifying without the name would pass any valid certificate. */
		info->verify_code = X509_V_ERR_HOSTNAME_MISMATCH;
		snprintf(info->verify_reason, sizeof(info->verify_reason),
		    _("the name to check could not be set, so nothing was verified"));
		X509_STORE_CTX_free(sc);
		return;
	}
	if (X509_verify_cert(sc) == 1) {
		info->verify_code = X509_V_OK;
	} else {
		info->verify_code = X509_STORE_CTX_get_error(sc);
		if (info->verify_code == X509_V_OK) {
			info->verify_code = X509_V_ERR_UNSPECIFIED;
		}
		info->verify_depth = X509_STORE_CTX_get_error_depth(sc);
		bad = X509_STORE_CTX_get_current_cert(sc);
		if (bad != NULL) {
			tls_name(X509_get_subject_name(bad), info->verify_subject,
			    sizeof(info->verify_subject));
		}
	}
	X509_STORE_CTX_free(sc);
	tls_reason(info->verify_code, info->verify_depth, info->verify_subject, info->verify_reason,
	    sizeof(info->verify_reason));
}

/* The key exchange: the server's ephemeral key. */
static void
tls_kx(SSL *ssl, struct tls_info *info)
{
	EVP_PKEY *k = NULL;
	int id;

	if (SSL_get_peer_tmp_key(ssl, &k) != 1 || k == NULL) {
		return;
	}
	id = EVP_PKEY_get_base_id(k);
	if (id == EVP_PKEY_DH || id == EVP_PKEY_DHX) {
		info->dh_bits = EVP_PKEY_get_bits(k);
		/* RFC 7919 §1 and NIST SP 800-57: 2048 bits at least; 1024-bit
		 * groups are within reach of precomputation (Logjam, weakdh.org). */
		info->weak_dh = info->dh_bits < 2048;
		snprintf(info->kx, sizeof(info->kx), "DH %d", info->dh_bits);
	} else if (id == EVP_PKEY_EC) {
		int weak;

		tls_key_describe(k, info->kx, sizeof(info->kx), &weak);
	} else {
		snprintf(info->kx, sizeof(info->kx), "%s", OBJ_nid2sn(id));
	}
	EVP_PKEY_free(k);
}

static void
tls_collect(SSL *ssl, SSL_CTX *ctx, const char *name, struct tls_info *info)
{
	X509 *cert = SSL_get0_peer_certificate(ssl);
	int nid = SSL_get_negotiated_group(ssl);

	snprintf(info->protocol, sizeof(info->protocol), "%s", SSL_get_version(ssl));
	snprintf(info->cipher, sizeof(info->cipher), "%s", SSL_get_cipher_name(ssl));
	if (nid > 0 && (nid & TLSEXT_nid_unknown) == 0) {
		const char *g = OBJ_nid2sn(nid);

		snprintf(info->group, sizeof(info->group), "%s", g ? g : "unknown");
	}
	tls_kx(ssl, info);
	info->verify_depth = -1;
	info->earliest = -1;
	if (cert == NULL) {
		info->verify_code = X509_V_ERR_UNSPECIFIED;
		snprintf(info->verify_reason, sizeof(info->verify_reason),
		    _("the server sent no certificate"));
		return;
	}
	info->have_cert = 1;
	{
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;

		if (X509_digest(cert, EVP_sha256(), md, &mdlen) == 1) {
			for (unsigned int k = 0; k < mdlen && k < 32; k++) {
				snprintf(info->cert_sha256 + 2 * k, 3, "%02x", md[k]);
			}
		}
	}
	tls_name(X509_get_subject_name(cert), info->subject, sizeof(info->subject));
	tls_name(X509_get_issuer_name(cert), info->issuer, sizeof(info->issuer));
	tls_sans(cert, info->sans, sizeof(info->sans));
	tls_time(X509_get0_notBefore(cert), info->not_before, sizeof(info->not_before));
	tls_chain_judge(ssl, info);
	if (info->nchain == 0) {
		/* The leaf is always first in what a client is given. */
		tls_cert_judge(cert, 0, &info->chain[0]);
		info->nchain = 1;
		info->earliest = 0;
	}
	snprintf(info->key, sizeof(info->key), "%s", info->chain[0].key);
	info->weak_key = info->chain[0].weak_key;
	snprintf(info->sig_alg, sizeof(info->sig_alg), "%s", info->chain[0].sig_alg);
	info->weak_sig = info->chain[0].weak_sig;
	snprintf(info->not_after, sizeof(info->not_after), "%s", info->chain[0].not_after);
	info->not_after_unix = info->chain[0].not_after_unix;
	info->days_left = info->chain[0].days_left;
	tls_verify(ssl, ctx, cert, name, info);
	info->verified = info->verify_code == X509_V_OK;
}

/* Whether OpenSSL may be given record i: usable for SMTP (RFC 7672 §3.1:
 * DANE-TA(2) and DANE-EE(3) only, PKIX-TA(0) and PKIX-EE(1) never, §3.1.3),
 * whatever its verdict claims. */
static int
tls_dane_candidate(const struct dane_fact *df, size_t i)
{
	const struct tlsa_rr *rr = &df->rr[i];

	return df->verdict[i] == TLSA_USABLE && (rr->usage == 2 || rr->usage == 3) && rr->len > 0 &&
	    rr->len <= sizeof(rr->data);
}

/* Enable DANE on ssl and give it the usable records; added[i] says which
 * OpenSSL took.  Returns how many it took (0: DANE stays off in effect,
 * SSL_dane_tlsa_add(3)), or -1 with f filled. */
static int
tls_dane_setup(SSL *ssl, const struct tls_dane *dane, const struct dane_fact *df,
    unsigned char *added, struct fault *f)
{
	size_t nrr = df->nrr < MXPOL_MAX_TLSA ? df->nrr : MXPOL_MAX_TLSA;
	size_t want = 0;
	int n = 0;

	for (size_t i = 0; i < nrr; i++) {
		want += (size_t)tls_dane_candidate(df, i);
	}
	if (want == 0) {
		return 0;
	}
	if (dane->base == NULL || dane->base[0] == '\0') {
		return fault_set(f, FAULT_INTERNAL, 0, _("DANE without a TLSA base domain"));
	}
	if (SSL_dane_enable(ssl, dane->base) <= 0) {
		ERR_clear_error();
		return fault_set(f, FAULT_INTERNAL, 0, _("cannot enable DANE for %s"), dane->base);
	}
	/* RFC 7672 §3.2.1: no name checks for DANE-EE(3); OpenSSL makes them
	 * unless told (SSL_dane_enable(3) names SMTP as safe without). */
	SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	/* Wildcards only as a whole left-most label, as the PKIX check. */
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	for (size_t i = 0; dane->names != NULL && i < dane->nnames; i++) {
		if (dane->names[i] != NULL && dane->names[i][0] != '\0' &&
		    SSL_add1_host(ssl, dane->names[i]) != 1) {
			ERR_clear_error();
			return fault_set(
			    f, FAULT_INTERNAL, 0, _("cannot enable DANE for %s"), dane->names[i]);
		}
	}
	for (size_t i = 0; i < nrr; i++) {
		const struct tlsa_rr *rr = &df->rr[i];
		int ret;

		added[i] = 0;
		if (!tls_dane_candidate(df, i)) {
			continue;
		}
		ret = SSL_dane_tlsa_add(ssl, rr->usage, rr->selector, rr->mtype, rr->data, rr->len);
		if (ret < 0) {
			ERR_clear_error();
			return fault_set(
			    f, FAULT_INTERNAL, 0, _("cannot enable DANE for %s"), dane->base);
		}
		/* 0: a record OpenSSL cannot use (a digest of the wrong length,
		 * a full certificate or key that does not parse). */
		ERR_clear_error();
		added[i] = ret > 0;
		n += ret > 0;
	}
	return n;
}

/* No record reached OpenSSL: say so when some should have (their data
 * did not parse, or a digest had the wrong length). */
static void
tls_dane_refused(struct dane_fact *df)
{
	for (size_t i = 0; i < df->nrr && i < MXPOL_MAX_TLSA; i++) {
		if (tls_dane_candidate(df, i)) {
			snprintf(df->error, sizeof(df->error), "%s",
			    _("OpenSSL could use none of the TLSA records"));
			return;
		}
	}
}

/* The index in df->rr of the record OpenSSL says matched (the first of
 * identical ones), or -1. */
static int
tls_dane_which(SSL *ssl, const struct dane_fact *df, const unsigned char *added)
{
	uint8_t usage, selector, mtype;
	const unsigned char *data = NULL;
	size_t dlen = 0;

	if (SSL_get0_dane_tlsa(ssl, &usage, &selector, &mtype, &data, &dlen) < 0 || data == NULL) {
		return -1;
	}
	for (size_t i = 0; i < df->nrr && i < MXPOL_MAX_TLSA; i++) {
		const struct tlsa_rr *rr = &df->rr[i];

		if (added[i] && rr->usage == usage && rr->selector == selector &&
		    rr->mtype == mtype && rr->len == dlen && memcmp(rr->data, data, dlen) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* What DANE made of the chain after the handshake, at match. */
static void
tls_dane_matched(
    SSL *ssl, X509_STORE_CTX *sc, int depth, const unsigned char *added, struct dane_fact *df)
{
	X509 *mcert = NULL;
	EVP_PKEY *mspki = NULL;
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(sc);
	const char *peer = X509_VERIFY_PARAM_get0_peername(X509_STORE_CTX_get0_param(sc));

	(void)SSL_get0_dane_authority(ssl, &mcert, &mspki);
	if (mcert == NULL && chain != NULL && depth < sk_X509_num(chain)) {
		/* A "2 1 0" key signed the top of the chain: name that one. */
		mcert = sk_X509_value(chain, depth);
	}
	df->state = DANE_MATCHED;
	df->matched = tls_dane_which(ssl, df, added);
	df->matched_depth = depth;
	if (mcert != NULL) {
		tls_name(
		    X509_get_subject_name(mcert), df->matched_subject, sizeof(df->matched_subject));
	}
	snprintf(df->matched_name, sizeof(df->matched_name), "%s", peer != NULL ? peer : "");
}

/* The chain verified once more with the TLSA records OpenSSL holds for
 * ssl, at TLS_AUTH_LEVEL (the handshake's own check ran at level 0), with
 * the reference identifiers SSL_dane_enable and SSL_add1_host set, copied
 * the way OpenSSL's handshake copies them.  The PKIX result (tls_verify)
 * is a separate check and is not touched. */
static void
tls_dane_collect(SSL *ssl, SSL_CTX *ctx, const unsigned char *added, struct dane_fact *df)
{
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	X509_STORE_CTX *sc = NULL;
	X509_VERIFY_PARAM *vp;
	X509 *bad;
	char subject[256] = "";
	long code;
	int depth;

	df->state = DANE_NO_MATCH;
	df->matched = -1;
	df->matched_depth = -1;
	if (leaf == NULL) {
		snprintf(df->error, sizeof(df->error), "%s", _("the server sent no certificate"));
		return;
	}
	sc = X509_STORE_CTX_new();
	if (sc == NULL ||
	    X509_STORE_CTX_init(
	        sc, SSL_CTX_get_cert_store(ctx), leaf, SSL_get_peer_cert_chain(ssl)) != 1 ||
	    X509_STORE_CTX_set_default(sc, "ssl_server") != 1 ||
	    X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(sc), SSL_get0_param(ssl)) != 1) {
		X509_STORE_CTX_free(sc);
		ERR_clear_error();
		snprintf(df->error, sizeof(df->error), "%s",
		    _("the certificate could not be checked (out of memory)"));
		return;
	}
	vp = X509_STORE_CTX_get0_param(sc);
	X509_VERIFY_PARAM_set_auth_level(vp, TLS_AUTH_LEVEL);
	X509_STORE_CTX_set0_dane(sc, SSL_get0_dane(ssl));
	if (X509_verify_cert(sc) == 1 && (depth = SSL_get0_dane_authority(ssl, NULL, NULL)) >= 0) {
		tls_dane_matched(ssl, sc, depth, added, df);
		X509_STORE_CTX_free(sc);
		return;
	}
	code = X509_STORE_CTX_get_error(sc);
	if (code == X509_V_OK) {
		code = X509_V_ERR_UNSPECIFIED;
	}
	depth = X509_STORE_CTX_get_error_depth(sc);
	bad = X509_STORE_CTX_get_current_cert(sc);
	if (bad != NULL) {
		tls_name(X509_get_subject_name(bad), subject, sizeof(subject));
	}
	X509_STORE_CTX_free(sc);
	ERR_clear_error();
	tls_reason(code, depth, subject, df->error, sizeof(df->error));
}

int
tls_start(struct tls_ctx *ctx, struct xport *x, const char *sni, const char *verify_name,
    int64_t deadline, struct tls_info *info, struct fault *f)
{
	return tls_start_dane(ctx, x, sni, verify_name, NULL, NULL, deadline, info, f);
}

/* The handshake, bounded by deadline; 0, or -1 with f filled. */
static int
tls_handshake(SSL *ssl, struct xport *x, int64_t deadline, struct fault *f)
{
	for (;;) {
		int ret = SSL_connect(ssl);
		int failed;

		if (ret == 1) {
			return 0;
		}
		if (tls_wait(ssl, ret, x->fd, deadline, f, &failed)) {
			continue;
		}
		if (!failed) {
			tls_fail(f, ssl, ret, _("the TLS handshake"));
		}
		if (f->cls == FAULT_TIMEOUT) {
			snprintf(f->msg, sizeof(f->msg), "%s",
			    _("the TLS handshake did not finish before the deadline"));
		}
		return -1;
	}
}

int
tls_start_dane(struct tls_ctx *ctx, struct xport *x, const char *sni, const char *verify_name,
    const struct tls_dane *dane, struct dane_fact *df, int64_t deadline, struct tls_info *info,
    struct fault *f)
{
	unsigned char added[MXPOL_MAX_TLSA] = {0};
	int ndane = 0;
	SSL *ssl;

	memset(info, 0, sizeof(*info));
	ssl = SSL_new(ctx->ctx);
	if (ssl == NULL || SSL_set_fd(ssl, x->fd) != 1) {
		SSL_free(ssl);
		return fault_set(f, FAULT_INTERNAL, 0, _("cannot create a TLS connection"));
	}
	if (sni != NULL && sni[0] != '\0') {
		SSL_set_tlsext_host_name(ssl, sni);
	}
	if (verify_name != NULL && verify_name[0] != '\0') {
		snprintf(info->checked_name, sizeof(info->checked_name), "%s", verify_name);
	}
	if (dane != NULL && df != NULL) {
		df->matched = -1;
		df->matched_depth = -1;
		df->matched_subject[0] = df->matched_name[0] = df->error[0] = '\0';
		ndane = tls_dane_setup(ssl, dane, df, added, f);
		if (ndane < 0) {
			SSL_free(ssl);
			return -1;
		}
		if (ndane == 0) {
			df->state = DANE_UNUSABLE;
			tls_dane_refused(df);
		}
	}
	if (SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) != NULL) {
		/* The caller's, or the TLSA base domain SSL_dane_enable set. */
		snprintf(info->sni, sizeof(info->sni), "%s",
		    SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name));
	}
	if (tls_handshake(ssl, x, deadline, f) != 0) {
		if (ndane > 0) {
			df->state = DANE_NO_TLS;
			snprintf(df->error, sizeof(df->error), "%.199s", f->msg);
		}
		SSL_free(ssl);
		return -1;
	}
	info->done = 1;
	tls_collect(ssl, ctx->ctx, verify_name, info);
	if (ndane > 0) {
		tls_dane_collect(ssl, ctx->ctx, added, df);
	}
	x->ops = &tls_ops;
	x->impl = ssl;
	return 0;
}

size_t
tls_tlsa_data(X509 *cert, int selector, int mtype, uint8_t *out, size_t outsz)
{
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	const EVP_MD *md;
	size_t n = 0;
	int len;

	if (cert == NULL || (selector != 0 && selector != 1)) {
		return 0;
	}
	md = mtype == 1 ? EVP_sha256() : mtype == 2 ? EVP_sha512() : NULL;
	if (mtype != 0 && md == NULL) {
		return 0;
	}
	/* RFC 6698 §2.1.2: the DER of the whole certificate, or of its
	 * SubjectPublicKeyInfo. */
	len = selector == 0 ? i2d_X509(cert, &der)
	                    : i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0 || der == NULL) {
		ERR_clear_error();
		return 0;
	}
	if (md == NULL) {
		if ((size_t)len <= outsz) {
			memcpy(out, der, (size_t)len);
			n = (size_t)len;
		}
	} else if ((size_t)EVP_MD_get_size(md) <= outsz &&
	    EVP_Digest(der, (size_t)len, out, &mdlen, md, NULL) == 1) {
		n = mdlen;
	}
	OPENSSL_free(der);
	ERR_clear_error();
	return n;
}

/* The certificate at index i of what the server sent on x, or NULL. */
static X509 *
tls_peer_cert(const struct xport *x, size_t i)
{
	SSL *ssl = x->ops == &tls_ops ? x->impl : NULL;
	STACK_OF(X509) *sent = ssl != NULL ? SSL_get_peer_cert_chain(ssl) : NULL;

	if (sent == NULL || i >= (size_t)sk_X509_num(sent)) {
		return i == 0 && ssl != NULL ? SSL_get0_peer_certificate(ssl) : NULL;
	}
	return sk_X509_value(sent, (int)i);
}

size_t
tls_peer_tlsa_data(
    const struct xport *x, size_t i, int selector, int mtype, uint8_t *out, size_t outsz)
{
	X509 *cert = tls_peer_cert(x, i);

	return cert != NULL ? tls_tlsa_data(cert, selector, mtype, out, outsz) : 0;
}

int
tls_tlsa_match(const struct xport *x, const struct tlsa_rr *rr)
{
	uint8_t buf[TLSA_MAX_DATA];

	for (size_t i = 0; i < BOUND_TLS_CHAIN; i++) {
		X509 *cert = tls_peer_cert(x, i);
		size_t n;

		if (cert == NULL) {
			break;
		}
		n = tls_tlsa_data(cert, rr->selector, rr->mtype, buf, sizeof(buf));
		if (n != 0 && n == rr->len && memcmp(buf, rr->data, n) == 0) {
			return (int)i;
		}
	}
	return -1;
}
