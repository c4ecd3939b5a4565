#include <config.h>

#include <errno.h>
#include <gsasl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "b64.h"
#include "bounds.h"
#include "i18n.h"

/* Strongest first: the order --auth auto prefers. */
static const char *const auth_mechs[] = {
	"SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2",
};

#define AUTH_NMECHS (sizeof(auth_mechs) / sizeof(auth_mechs[0]))

struct auth_session {
	char mech[24];
	Gsasl *ctx;              /* NULL for the built-in mechanisms */
	Gsasl_session *gs;
	const struct auth_creds *creds;
	int steps;
};

int
auth_supported(const char *mech)
{
	for (size_t i = 0; i < AUTH_NMECHS; i++) {
		if (strcasecmp(auth_mechs[i], mech) == 0) {
			return 1;
		}
	}
	return 0;
}

int
auth_uses_token(const char *mech)
{
	return strcasecmp(mech, "XOAUTH2") == 0 || strcasecmp(mech, "OAUTHBEARER") == 0;
}

const char *
auth_supported_list(void)
{
	return "SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN OAUTHBEARER XOAUTH2";
}

const char *
auth_pick(const struct ehlo *caps, int have_password, int have_token)
{
	for (size_t i = 0; i < AUTH_NMECHS; i++) {
		int token = auth_uses_token(auth_mechs[i]);

		if ((token ? have_token : have_password) && ehlo_has_auth(caps, auth_mechs[i])) {
			return auth_mechs[i];
		}
	}
	return NULL;
}

int
auth_start(struct auth_session **out, const char *mech, const struct auth_creds *c,
    struct fault *f)
{
	struct auth_session *a = calloc(1, sizeof(*a));
	int rc;

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
	if (!auth_uses_token(a->mech)) {
		if ((rc = gsasl_init(&a->ctx)) != GSASL_OK) {
			free(a);
			return fault_set(f, FAULT_INTERNAL, 0, _("GNU SASL: %s"), gsasl_strerror(rc));
		}
		if ((rc = gsasl_client_start(a->ctx, a->mech, &a->gs)) != GSASL_OK) {
			gsasl_done(a->ctx);
			free(a);
			return fault_set(f, FAULT_INTERNAL, 0, _("GNU SASL cannot run %s: %s"), mech,
			    gsasl_strerror(rc));
		}
		gsasl_property_set(a->gs, GSASL_AUTHID, c->user);
		if (c->password != NULL && c->password->buf != NULL) {
			gsasl_property_set(a->gs, GSASL_PASSWORD, c->password->buf);
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

/* XOAUTH2 and OAUTHBEARER's one message, base64-encoded. */
static int
auth_bearer(struct auth_session *a, char **b64, struct fault *f)
{
	const struct auth_creds *c = a->creds;
	size_t cap = SECRET_MAX + 1024, len;
	char *raw = calloc(1, cap), *enc;
	int n;

	if (raw == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	if (strcmp(a->mech, "XOAUTH2") == 0) {
		n = snprintf(raw, cap, "user=%s\001auth=Bearer %s\001\001", c->user, c->token->buf);
	} else if (c->host != NULL) {
		n = snprintf(raw, cap, "n,a=%s,\001host=%s\001port=%u\001auth=Bearer %s\001\001", c->user,
		    c->host, c->port, c->token->buf);
	} else {
		n = snprintf(raw, cap, "n,a=%s,\001auth=Bearer %s\001\001", c->user, c->token->buf);
	}
	if (n < 0 || (size_t)n >= cap) {
		secret_bzero(raw, cap);
		free(raw);
		return fault_set(f, FAULT_INTERNAL, 0, _("token too long"));
	}
	len = (size_t)n;
	enc = calloc(1, 4 * ((len + 2) / 3) + 1);
	if (enc == NULL) {
		secret_bzero(raw, cap);
		free(raw);
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	b64_encode((const unsigned char *)raw, len, enc, 4 * ((len + 2) / 3) + 1);
	secret_bzero(raw, cap);
	free(raw);
	*b64 = enc;
	return 0;
}

static int
auth_gsasl_step(struct auth_session *a, const char *in, char **b64, struct fault *f)
{
	char *out = NULL;
	int rc = gsasl_step64(a->gs, in, &out);

	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		if (out != NULL) {
			secret_bzero(out, strlen(out));
			gsasl_free(out);
		}
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s: %s"), a->mech,
		    rc == GSASL_AUTHENTICATION_ERROR ?
		    _("the server's proof did not verify (it does not know the password: not the real server?)") :
		    gsasl_strerror(rc));
	}
	*b64 = strdup(out != NULL ? out : "");
	if (out != NULL) {
		secret_bzero(out, strlen(out));
		gsasl_free(out);
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
	if (auth_uses_token(a->mech)) {
		return auth_bearer(a, b64, f);
	}
	return auth_gsasl_step(a, "", b64, f);
}

/* SCRAM's server-first-message names the iteration count (",i=N"):
 * refuse one above BOUND_SCRAM_ITER before GNU SASL starts hashing. */
static int
auth_scram_iter_ok(const char *challenge, struct fault *f)
{
	unsigned char msg[2048];
	size_t len;
	const char *p;

	if (b64_decode(challenge, strlen(challenge), msg, sizeof(msg) - 1, &len) != 0) {
		return 0;    /* GNU SASL reports the bad base64 itself */
	}
	msg[len] = '\0';
	for (p = (const char *)msg; (p = strstr(p, "i=")) != NULL; p += 2) {
		if (p == (const char *)msg || p[-1] == ',') {
			unsigned long long n = strtoull(p + 2, NULL, 10);

			if (n > BOUND_SCRAM_ITER) {
				fault_set(f, FAULT_PROTOCOL, 0,
				    _("the server asks for %llu SCRAM iterations, above smtprobe's limit of %d"),
				    n, BOUND_SCRAM_ITER);
				return -1;
			}
		}
	}
	return 0;
}

int
auth_step(struct auth_session *a, const char *challenge, char **b64, struct fault *f)
{
	a->steps++;
	if (strncmp(a->mech, "SCRAM-", 6) == 0 && auth_scram_iter_ok(challenge, f) != 0) {
		return -1;
	}
	if (a->steps > 8) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s: more than 8 challenges"), a->mech);
	}
	if (auth_uses_token(a->mech)) {
		/* After the token, a challenge carries the server's error
		 * (JSON).  RFC 7628 §3.2.3: answer %x01; XOAUTH2: empty. */
		*b64 = strdup(strcmp(a->mech, "OAUTHBEARER") == 0 ? "AQ==" : "");
		return *b64 != NULL ? 0 : fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	return auth_gsasl_step(a, challenge, b64, f);
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
		gsasl_finish(a->gs);
	}
	if (a->ctx != NULL) {
		gsasl_done(a->ctx);
	}
	secret_bzero(a, sizeof(*a));
	free(a);
}
