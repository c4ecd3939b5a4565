#include <config.h>

#include <errno.h>
#include <gsasl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "b64.h"
#include "bounds.h"
#include "clock.h"
#include "i18n.h"
#include "sasl_data.h"
#include "sasl_lib.h"
#include "scram.h"

/* GNU SASL's functions: only ever called for a session that auth_start
 * opened through it, so the table is loaded by then. */
#define SASL (sasl_lib_loaded())

struct auth_session {
	char mech[24];
	Gsasl *ctx; /* CRAM-MD5 and SCRAM only; NULL for the built-in ones */
	Gsasl_session *gs;
	const struct auth_creds *creds;
	int steps;
	int scram;             /* 0, or GSASL_HASH_SHA1 / GSASL_HASH_SHA256 */
	enum auth_proof proof; /* SCRAM: AUTH_PROOF_MISSING until the signature verifies */
};

/* The mechanism named mech (case-insensitive) among those smtprobe runs
 * (data/sasl-mechanisms.tsv, strongest first), or NULL. */
static const struct sasl_mech *
auth_mech(const char *mech)
{
	for (size_t i = 0; i < sasl_nmechs; i++) {
		if (strcasecmp(sasl_mechs[i].name, mech) == 0) {
			return &sasl_mechs[i];
		}
	}
	return NULL;
}

int
auth_supported(const char *mech)
{
	return auth_mech(mech) != NULL;
}

int
auth_uses_token(const char *mech)
{
	const struct sasl_mech *m = auth_mech(mech);

	return m != NULL && m->token;
}

const char *
auth_supported_list(void)
{
	return sasl_mechs_list;
}

int
auth_binds_channel(const char *mech)
{
	size_t n = strlen(mech);

	return n > 5 && strncasecmp(mech, "SCRAM-", 6) == 0 &&
	    strcasecmp(mech + n - 5, "-PLUS") == 0;
}

const char *
auth_pick(const struct ehlo *caps, int have_password, int have_token, int have_binding)
{
	for (size_t i = 0; i < sasl_nmechs; i++) {
		const char *name = sasl_mechs[i].name;
		int have = sasl_mechs[i].token ? have_token : have_password;

		if (auth_binds_channel(name) && !have_binding) {
			continue;
		}
		if (have && ehlo_has_auth(caps, name)) {
			return name;
		}
	}
	return NULL;
}

/* Mechanisms GNU SASL runs; the others are built here. */
static int
auth_via_gsasl(const char *mech)
{
	return strcmp(mech, "CRAM-MD5") == 0 || strncmp(mech, "SCRAM-", 6) == 0;
}

int
auth_start(struct auth_session **out, const char *mech, const struct auth_creds *c, struct fault *f)
{
	struct auth_session *a = calloc(1, sizeof(*a));
	int rc;

	*out = NULL;
	if (a == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	snprintf(a->mech, sizeof(a->mech), "%s", mech);
	for (char *p = a->mech; *p; p++) {
		if (*p >= 'a' && *p <= 'z') {
			*p = (char)(*p - 'a' + 'A');
		}
	}
	a->creds = c;
	a->proof = AUTH_PROOF_NA;
	if (strcmp(a->mech, "SCRAM-SHA-1") == 0 || strcmp(a->mech, "SCRAM-SHA-1-PLUS") == 0) {
		a->scram = GSASL_HASH_SHA1;
	} else if (strcmp(a->mech, "SCRAM-SHA-256") == 0 ||
	    strcmp(a->mech, "SCRAM-SHA-256-PLUS") == 0) {
		a->scram = GSASL_HASH_SHA256;
	}
	if (auth_binds_channel(a->mech) &&
	    (c->cb_type == NULL || c->cb_len == 0 || c->cb_len > BOUND_TLS_BINDING)) {
		free(a);
		return fault_set(f, FAULT_INTERNAL, 0,
		    _("%s needs TLS channel binding (TLS 1.3, or TLS 1.2 with extended master "
		      "secret): this connection has none"),
		    mech);
	}
	if (a->scram != 0) {
		a->proof = AUTH_PROOF_MISSING;
	}
	if (auth_via_gsasl(a->mech)) {
		if (sasl_lib_get(f) == NULL) {
			free(a);
			return -1;
		}
		if ((rc = SASL->init(&a->ctx)) != GSASL_OK) {
			free(a);
			return fault_set(
			    f, FAULT_INTERNAL, 0, _("GNU SASL: %s"), SASL->strerror(rc));
		}
		if ((rc = SASL->client_start(a->ctx, a->mech, &a->gs)) != GSASL_OK) {
			SASL->done(a->ctx);
			free(a);
			return fault_set(f, FAULT_INTERNAL, 0, _("GNU SASL cannot run %s: %s"),
			    mech, SASL->strerror(rc));
		}
		SASL->property_set(a->gs, GSASL_AUTHID, c->user);
		if (auth_binds_channel(a->mech)) {
			/* GNU SASL takes the binding data base64-encoded and
			 * names its type in the gs2 header ("p=tls-exporter"). */
			char cb[4 * ((BOUND_TLS_BINDING + 2) / 3) + 1];

			b64_encode(c->cb_data, c->cb_len, cb, sizeof(cb));
			SASL->property_set(a->gs,
			    strcmp(c->cb_type, "tls-exporter") == 0 ? GSASL_CB_TLS_EXPORTER
			                                            : GSASL_CB_TLS_UNIQUE,
			    cb);
		}
		/* SCRAM gets the salted password (auth_scram_first), never the
		 * password; CRAM-MD5 needs the password itself. */
		if (a->scram == 0 && c->password != NULL && c->password->buf != NULL) {
			SASL->property_set(a->gs, GSASL_PASSWORD, c->password->buf);
		}
	}
	*out = a;
	return 0;
}

/* Server-first mechanisms: the client waits for a 334 challenge. */
static int
auth_server_first(const char *mech)
{
	return strcmp(mech, "LOGIN") == 0 || strcmp(mech, "CRAM-MD5") == 0;
}

/* raw (len bytes) base64-encoded into a new *b64; raw is left as it is. */
static int
auth_encode(const char *raw, size_t len, char **b64, struct fault *f)
{
	size_t cap = 4 * ((len + 2) / 3) + 1;
	char *enc = calloc(1, cap);

	if (enc == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	b64_encode((const unsigned char *)raw, len, enc, cap);
	*b64 = enc;
	return 0;
}

/* XOAUTH2 and OAUTHBEARER's one message, and PLAIN's (RFC 4616 §2:
 * authzid NUL authcid NUL passwd, with an empty authzid), base64-encoded.
 * The password never reaches GNU SASL; the plain text is wiped here. */
static int
auth_client_first(struct auth_session *a, char **b64, struct fault *f)
{
	const struct auth_creds *c = a->creds;
	size_t cap = SECRET_MAX + 1024, len;
	char *raw = calloc(1, cap);
	int n, rc;

	if (raw == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	if (strcmp(a->mech, "PLAIN") == 0) {
		size_t ulen = strlen(c->user);

		n = -1;
		if (c->password == NULL || c->password->buf == NULL) {
			free(raw);
			return fault_set(f, FAULT_INTERNAL, 0, _("%s: no password"), a->mech);
		}
		if (ulen + c->password->len + 2 < cap) {
			memcpy(raw + 1, c->user, ulen);
			memcpy(raw + 2 + ulen, c->password->buf, c->password->len);
			n = (int)(ulen + c->password->len + 2);
		}
	} else if (strcmp(a->mech, "XOAUTH2") == 0) {
		n = snprintf(raw, cap, "user=%s\001auth=Bearer %s\001\001", c->user, c->token->buf);
	} else if (c->host != NULL) {
		n = snprintf(raw, cap, "n,a=%s,\001host=%s\001port=%u\001auth=Bearer %s\001\001",
		    c->user, c->host, c->port, c->token->buf);
	} else {
		n = snprintf(raw, cap, "n,a=%s,\001auth=Bearer %s\001\001", c->user, c->token->buf);
	}
	if (n < 0 || (size_t)n >= cap) {
		secret_bzero(raw, cap);
		free(raw);
		return fault_set(
		    f, FAULT_INTERNAL, 0, _("%s: the credentials are too long"), a->mech);
	}
	len = (size_t)n;
	rc = auth_encode(raw, len, b64, f);
	secret_bzero(raw, cap);
	free(raw);
	return rc;
}

/* Wipe GNU SASL's own copy of a property in place (it frees it without
 * wiping); gsasl_property_fast returns the stored string itself. */
static void
auth_wipe_property(Gsasl_session *gs, Gsasl_property prop)
{
	const char *p = gs != NULL ? SASL->property_fast(gs, prop) : NULL;

	if (p != NULL) {
		secret_bzero((char *)p, strlen(p));
	}
}

static int
auth_gsasl_step(struct auth_session *a, const char *in, char **b64, struct fault *f)
{
	char *out = NULL;
	int rc = SASL->step64(a->gs, in, &out);

	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		const char *why = SASL->strerror(rc);

		if (out != NULL) {
			secret_bzero(out, strlen(out));
			SASL->free(out);
		}
		/* SCRAM's third message is the server's signature (RFC 5802 §3). */
		if (a->scram != 0 && a->steps == 3 && rc == GSASL_AUTHENTICATION_ERROR) {
			a->proof = AUTH_PROOF_BAD;
			why = _("the server's proof did not verify (it does not know the password: "
			        "not the real server?)");
		} else if (a->scram != 0 && a->steps == 2 && rc == GSASL_AUTHENTICATION_ERROR) {
			why = _("the server's nonce does not extend smtprobe's (RFC 5802 §5.1)");
		}
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s: %s"), a->mech, why);
	}
	if (a->scram != 0 && a->steps == 3 && rc == GSASL_OK) {
		a->proof = AUTH_PROOF_YES;
	}
	*b64 = strdup(out != NULL ? out : "");
	if (out != NULL) {
		secret_bzero(out, strlen(out));
		SASL->free(out);
	}
	if (*b64 == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	return 0;
}

int
auth_initial(struct auth_session *a, char **b64, struct fault *f)
{
	*b64 = NULL;
	if (auth_server_first(a->mech)) {
		return 0;
	}
	a->steps++;
	if (!auth_via_gsasl(a->mech)) {
		return auth_client_first(a, b64, f);
	}
	return auth_gsasl_step(a, "", b64, f);
}

/* PBKDF2 rounds per second, measured once per run for each way of
 * hashing (OpenSSL or GNU SASL) and each hash, with AUTH_CALIBRATE_ROUNDS
 * rounds over a dummy password: the same code the exchange will run, so
 * a slow machine or a sanitizer build is measured as it is. */
#define AUTH_CALIBRATE_ROUNDS 4096

static pthread_mutex_t auth_rate_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t auth_rates[2][2];

static int64_t
auth_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* SaltedPassword := Hi(Normalize(password), salt, i) (RFC 5802 §3) into
 * out (the hash's length).  A password of printable ASCII is its own
 * SASLprep (RFC 4013: its mappings, normalisation and prohibitions touch
 * no printable ASCII character), so OpenSSL hashes it directly and GNU
 * SASL never holds it; any other password goes through GNU SASL's
 * SASLprep and PBKDF2. */
static int
auth_salted_password(int hash, const char *pw, size_t pwlen, int via_gsasl,
    const unsigned char *salt, size_t saltlen, uint64_t iter, unsigned char *out)
{
	size_t hlen = hash == GSASL_HASH_SHA1 ? GSASL_HASH_SHA1_SIZE : GSASL_HASH_SHA256_SIZE;

	if (!via_gsasl) {
		return PKCS5_PBKDF2_HMAC(pw, (int)pwlen, salt, (int)saltlen, (int)iter,
		           hash == GSASL_HASH_SHA1 ? EVP_sha1() : EVP_sha256(), (int)hlen, out) == 1
		    ? 0
		    : -1;
	} else {
		char ck[GSASL_HASH_MAX_SIZE], sk[GSASL_HASH_MAX_SIZE], stk[GSASL_HASH_MAX_SIZE];
		int rc = SASL->scram_secrets_from_password((Gsasl_hash)hash, pw, (unsigned)iter,
		    (const char *)salt, saltlen, (char *)out, ck, sk, stk);

		secret_bzero(ck, sizeof(ck));
		secret_bzero(sk, sizeof(sk));
		secret_bzero(stk, sizeof(stk));
		return rc == GSASL_OK ? 0 : -1;
	}
}

static uint64_t
auth_pbkdf2_rate(int hash, int via_gsasl)
{
	int h = hash == GSASL_HASH_SHA1 ? 0 : 1;
	uint64_t rate;

	pthread_mutex_lock(&auth_rate_lock);
	if (auth_rates[via_gsasl][h] == 0) {
		static const unsigned char salt[16] = "smtprobe-calib";
		unsigned char out[GSASL_HASH_MAX_SIZE];
		int64_t t0 = auth_now_us(), us;

		if (auth_salted_password(hash, "calibrate", 9, via_gsasl, salt, sizeof(salt),
		        AUTH_CALIBRATE_ROUNDS, out) == 0) {
			us = auth_now_us() - t0;
			auth_rates[via_gsasl][h] =
			    (uint64_t)AUTH_CALIBRATE_ROUNDS * 1000000 / (uint64_t)(us > 0 ? us : 1);
			if (auth_rates[via_gsasl][h] == 0) {
				auth_rates[via_gsasl][h] = 1;
			}
		}
	}
	rate = auth_rates[via_gsasl][h];
	pthread_mutex_unlock(&auth_rate_lock);
	return rate;
}

static int
auth_printable_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			return 0;
		}
	}
	return 1;
}

/* SCRAM's server-first-message (RFC 5802 §5.1): checked strictly here
 * before anything is hashed, refused above BOUND_SCRAM_ITER or when the
 * hashing would not finish before deadline; then the salted password is
 * handed to GNU SASL, which computes the proof and the signature it will
 * expect. */
static int
auth_scram_first(
    struct auth_session *a, const char *challenge, int64_t deadline, char **b64, struct fault *f)
{
	const struct secret *pw = a->creds->password;
	char msg[BOUND_LINE_ACCEPT];
	unsigned char salted[GSASL_HASH_MAX_SIZE];
	char hex[2 * GSASL_HASH_MAX_SIZE + 1];
	size_t len,
	    hlen = a->scram == GSASL_HASH_SHA1 ? GSASL_HASH_SHA1_SIZE : GSASL_HASH_SHA256_SIZE;
	struct scram_first sf;
	enum scram_sf_rc src;
	int64_t left;
	uint64_t rate;
	int via_gsasl, rc;

	if (pw == NULL || pw->buf == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("%s: no password"), a->mech);
	}
	if (b64_decode(challenge, strlen(challenge), (unsigned char *)msg, sizeof(msg), &len) !=
	    0) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s: the server-first-message is not base64 (RFC 4954 §4: cancel)"), a->mech);
	}
	src = scram_parse_first(msg, len, BOUND_SCRAM_ITER, &sf);
	if (src == SCRAM_SF_ITER_HIGH) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("the server asks for %llu SCRAM iterations, above smtprobe's limit of %d"),
		    (unsigned long long)sf.iter, BOUND_SCRAM_ITER);
	}
	if (src != SCRAM_SF_OK) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s: the server-first-message is malformed: %s"), a->mech,
		    scram_sf_reason(src));
	}
	via_gsasl = !auth_printable_ascii(pw->buf, pw->len);
	rate = auth_pbkdf2_rate(a->scram, via_gsasl);
	left = deadline - clock_now_ms();
	if (!scram_pbkdf2_fits(sf.iter, rate, left)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s: %llu iterations would take about %lld ms here, too long for the %lld ms "
		      "left "
		      "in this step (--timeout)"),
		    a->mech, (unsigned long long)sf.iter, (long long)scram_pbkdf2_ms(sf.iter, rate),
		    (long long)(left > 0 ? left : 0));
	}
	if (auth_salted_password(a->scram, pw->buf, pw->len, via_gsasl, sf.salt, sf.salt_len,
	        sf.iter, salted) != 0) {
		secret_bzero(salted, sizeof(salted));
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s: the password cannot be prepared (SASLprep)"), a->mech);
	}
	for (size_t i = 0; i < hlen; i++) {
		snprintf(hex + 2 * i, 3, "%02x", salted[i]);
	}
	secret_bzero(salted, sizeof(salted));
	SASL->property_set(a->gs, GSASL_SCRAM_SALTED_PASSWORD, hex);
	secret_bzero(hex, sizeof(hex));
	rc = auth_gsasl_step(a, challenge, b64, f);
	/* GNU SASL needs it no more: the proof and the signature it expects
	 * are computed. */
	auth_wipe_property(a->gs, GSASL_SCRAM_SALTED_PASSWORD);
	return rc;
}

/* LOGIN (draft-murchison-sasl-login): the first challenge is answered
 * with the user name, the second with the password; the prompts' text is
 * not relied upon (servers word them differently). */
static int
auth_login_step(struct auth_session *a, const char *challenge, char **b64, struct fault *f)
{
	const struct auth_creds *c = a->creds;
	unsigned char scratch[BOUND_LINE_ACCEPT];
	size_t n;

	if (b64_decode(challenge, strlen(challenge), scratch, sizeof(scratch), &n) != 0) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s: the challenge is not base64 (RFC 4954 §4: cancel)"), a->mech);
	}
	if (a->steps == 1) {
		return auth_encode(c->user, strlen(c->user), b64, f);
	}
	if (a->steps == 2) {
		if (c->password == NULL || c->password->buf == NULL) {
			return fault_set(f, FAULT_INTERNAL, 0, _("%s: no password"), a->mech);
		}
		return auth_encode(c->password->buf, c->password->len, b64, f);
	}
	return fault_set(f, FAULT_PROTOCOL, 0, _("%s: a challenge after the password"), a->mech);
}

int
auth_step(
    struct auth_session *a, const char *challenge, int64_t deadline, char **b64, struct fault *f)
{
	*b64 = NULL;
	a->steps++;
	if (a->steps > 8) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s: more than 8 challenges"), a->mech);
	}
	if (auth_uses_token(a->mech)) {
		/* After the token, a challenge carries the server's error
		 * (JSON).  RFC 7628 §3.2.3: answer %x01; XOAUTH2: empty. */
		*b64 = strdup(strcmp(a->mech, "OAUTHBEARER") == 0 ? "AQ==" : "");
		return *b64 != NULL ? 0 : fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	if (strcmp(a->mech, "PLAIN") == 0) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("%s: a challenge after the credentials"), a->mech);
	}
	if (strcmp(a->mech, "LOGIN") == 0) {
		return auth_login_step(a, challenge, b64, f);
	}
	if (a->scram != 0 && a->steps == 2) {
		return auth_scram_first(a, challenge, deadline, b64, f);
	}
	return auth_gsasl_step(a, challenge, b64, f);
}

enum auth_proof
auth_proof(const struct auth_session *a)
{
	return a->proof;
}

void
auth_free_response(char *b64)
{
	if (b64 != NULL) {
		secret_bzero(b64, strlen(b64));
		free(b64);
	}
}

void
auth_end(struct auth_session *a)
{
	if (a == NULL) {
		return;
	}
	if (a->gs != NULL) {
		auth_wipe_property(a->gs, GSASL_PASSWORD);
		auth_wipe_property(a->gs, GSASL_SCRAM_SALTED_PASSWORD);
		SASL->finish(a->gs);
	}
	if (a->ctx != NULL) {
		SASL->done(a->ctx);
	}
	secret_bzero(a, sizeof(*a));
	free(a);
}
