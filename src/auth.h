/* auth.h - SASL for SMTP AUTH (RFC 4954).  CRAM-MD5, SCRAM-SHA-1 and
 * SCRAM-SHA-256 (and their -PLUS variants, bound to the TLS channel:
 * RFC 5802 §6, RFC 7677) go through GNU SASL; PLAIN and LOGIN (base64 framing of
 * the password, no cryptography) and XOAUTH2 and OAUTHBEARER (RFC 7628,
 * which GNU SASL 2.2 lacks) are built here, so the password never reaches
 * GNU SASL for them.  SCRAM hands GNU SASL the salted password, not the
 * password.  Every buffer that held a credential is wiped before it is
 * freed (docs/security.md says what remains).
 */
#ifndef SMTPROBE_AUTH_H
#define SMTPROBE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "ehlo.h"
#include "fault.h"
#include "report.h"
#include "secret.h"

struct auth_creds {
	const char *user;
	const struct secret *password; /* for PLAIN, LOGIN, CRAM-MD5, SCRAM-* */
	const struct secret *token;    /* for XOAUTH2, OAUTHBEARER */
	const char *host;              /* for OAUTHBEARER's host= (may be NULL) */
	unsigned port;
	/* For SCRAM-*-PLUS: the TLS channel binding (struct tls_binding),
	 * cb_type NULL when the connection has none. */
	const char *cb_type; /* "tls-exporter" or "tls-unique" */
	const unsigned char *cb_data;
	size_t cb_len;
};

struct auth_session;

/* Non-zero when smtprobe can run mechanism mech. */
int auth_supported(const char *mech);

/* Non-zero when mech takes a token rather than a password. */
int auth_uses_token(const char *mech);

/* The mechanisms smtprobe supports, strongest first, space-separated. */
const char *auth_supported_list(void);

/* Non-zero when mech binds to the TLS channel (SCRAM-*-PLUS). */
int auth_binds_channel(const char *mech);

/* The strongest mechanism both the server (caps) and smtprobe support,
 * among those the credentials allow (a -PLUS one only with have_binding:
 * channel binding data of the connection); NULL when there is none. */
const char *auth_pick(const struct ehlo *caps, int have_password, int have_token, int have_binding);

/* Start a client exchange for mech.  0, or -1 with f filled (also for a
 * -PLUS mechanism when c has no channel binding). */
int auth_start(
    struct auth_session **out, const char *mech, const struct auth_creds *c, struct fault *f);

/* The initial response (base64, "=" when empty) for mechanisms that send
 * one (RFC 4954 §4), in *b64 (wipe and free with auth_free_response), or
 * *b64 = NULL when the server speaks first (LOGIN, CRAM-MD5). */
int auth_initial(struct auth_session *a, char **b64, struct fault *f);

/* Answer the base64 challenge of a 334 reply.  *b64 receives the base64
 * response (possibly ""), to be freed with auth_free_response.  deadline
 * (clock_now_ms() time) is when the answer is due: SCRAM hashing that
 * would not finish by then is refused before it starts. */
int auth_step(
    struct auth_session *a, const char *challenge, int64_t deadline, char **b64, struct fault *f);

/* Whether the server proved it knows the password: SCRAM's signature
 * (RFC 5802 §3), AUTH_PROOF_NA for mechanisms without one. */
enum auth_proof auth_proof(const struct auth_session *a);

void auth_free_response(char *b64);
void auth_end(struct auth_session *a);

#endif
