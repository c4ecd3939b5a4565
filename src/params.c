#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "params.h"

enum params_value {
	PV_NONE,        /* no value allowed */
	PV_OPTIONAL,    /* any esmtp-value, or none */
	PV_ANY,         /* any esmtp-value, required */
	PV_NUMBER,      /* decimal digits */
	PV_BODY,
	PV_RET,
	PV_XTEXT,
	PV_AUTH,
	PV_PRIORITY,
	PV_BY,
	PV_NOTIFY,
	PV_ORCPT
};

struct params_def {
	const char *key;
	enum smtp_cmd where;
	const char *keyword;      /* NULL: depends on the value (BODY) */
	enum params_value value;
	const char *form;         /* the value's form, for messages */
};

static const struct params_def params_defs[] = {
	{"SIZE", SMTP_MAIL, "SIZE", PV_NUMBER, "SIZE=<octets>"},
	{"BODY", SMTP_MAIL, NULL, PV_BODY, "BODY=7BIT|8BITMIME|BINARYMIME"},
	{"SMTPUTF8", SMTP_MAIL, "SMTPUTF8", PV_NONE, "SMTPUTF8"},
	{"RET", SMTP_MAIL, "DSN", PV_RET, "RET=FULL|HDRS"},
	{"ENVID", SMTP_MAIL, "DSN", PV_XTEXT, "ENVID=<xtext>"},
	{"AUTH", SMTP_MAIL, "AUTH", PV_AUTH, "AUTH=<xtext mailbox>|<>"},
	{"MT-PRIORITY", SMTP_MAIL, "MT-PRIORITY", PV_PRIORITY, "MT-PRIORITY=-9..9"},
	{"REQUIRETLS", SMTP_MAIL, "REQUIRETLS", PV_NONE, "REQUIRETLS"},
	{"BY", SMTP_MAIL, "DELIVERBY", PV_BY, "BY=<seconds>;R|N[T]"},
	{"HOLDFOR", SMTP_MAIL, "FUTURERELEASE", PV_NUMBER, "HOLDFOR=<seconds>"},
	{"HOLDUNTIL", SMTP_MAIL, "FUTURERELEASE", PV_ANY, "HOLDUNTIL=<date-time>"},
	{"TRANSID", SMTP_MAIL, "CHECKPOINT", PV_ANY, "TRANSID=<id>"},
	{"SOLICIT", SMTP_MAIL, "NO-SOLICITING", PV_ANY, "SOLICIT=<keywords>"},
	{"MTRK", SMTP_MAIL, "MTRK", PV_ANY, "MTRK=<authenticator>[:<timeout>]"},
	{"SUBMITTER", SMTP_MAIL, "SUBMITTER", PV_ANY, "SUBMITTER=<mailbox>"},
	{"CONPERM", SMTP_MAIL, "CONPERM", PV_NONE, "CONPERM"},
	{"PRDR", SMTP_MAIL, "PRDR", PV_NONE, "PRDR"},
	{"XVERP", SMTP_MAIL, "XVERP", PV_OPTIONAL, "XVERP[=<delimiters>]"},
	{"NOTIFY", SMTP_RCPT, "DSN", PV_NOTIFY, "NOTIFY=NEVER|SUCCESS,FAILURE,DELAY"},
	{"ORCPT", SMTP_RCPT, "DSN", PV_ORCPT, "ORCPT=<addr-type>;<xtext>"},
	{"RRVS", SMTP_RCPT, "RRVS", PV_ANY, "RRVS=<date-time>[;C|;R]"},
	{"CONNEG", SMTP_RCPT, "CONNEG", PV_NONE, "CONNEG"},
};

#define PARAMS_NDEFS (sizeof(params_defs) / sizeof(params_defs[0]))

int
params_non_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s > 127) {
			return 1;
		}
	}
	return 0;
}

int
params_parse(const char *s, struct param *p, struct fault *f)
{
	const char *eq = strchr(s, '=');
	size_t klen = eq ? (size_t)(eq - s) : strlen(s);

	memset(p, 0, sizeof(*p));
	if (klen == 0 || klen >= PARAM_KEY_MAX || !ehlo_keyword_valid(s, klen)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("parameter '%.60s': the name must be letters, digits and '-' (at most %d)"),
		    s, PARAM_KEY_MAX - 1);
	}
	memcpy(p->key, s, klen);
	p->key[klen] = '\0';
	if (eq == NULL) {
		return 0;
	}
	if (strlen(eq + 1) == 0 || strlen(eq + 1) >= PARAM_VALUE_MAX) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("parameter '%.60s': the value must be 1 to %d bytes"), s, PARAM_VALUE_MAX - 1);
	}
	for (const char *v = eq + 1; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\r' || c == '\n') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("parameter '%s' contains a line break (CR or LF), which would inject SMTP commands"),
			    p->key);
		}
		if (c <= ' ' || c == 0x7F || c == '=') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("parameter '%s': the value may not hold spaces, control characters or '='"),
			    p->key);
		}
	}
	snprintf(p->value, sizeof(p->value), "%s", eq + 1);
	p->has_value = 1;
	return 0;
}

static const struct params_def *
params_find(const char *key, enum smtp_cmd where)
{
	for (size_t i = 0; i < PARAMS_NDEFS; i++) {
		if (params_defs[i].where == where && strcasecmp(params_defs[i].key, key) == 0) {
			return &params_defs[i];
		}
	}
	return NULL;
}

const char *
params_keyword(const char *key, const char *value, enum smtp_cmd where)
{
	const struct params_def *d = params_find(key, where);

	if (d == NULL) {
		return NULL;
	}
	if (d->keyword != NULL) {
		return d->keyword;
	}
	/* BODY: 7BIT and 8BITMIME come with 8BITMIME (RFC 6152), BINARYMIME
	 * with BINARYMIME (RFC 3030). */
	return value != NULL && strcasecmp(value, "BINARYMIME") == 0 ? "BINARYMIME" : "8BITMIME";
}

/* xtext (RFC 3461 §4): printable ASCII but '+' and '=', or "+XX" in hex. */
static int
params_xtext(const char *v)
{
	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '+') {
			if (strspn(v + 1, "0123456789ABCDEF") < 2) {
				return 0;
			}
			v += 2;
		} else if (c < 33 || c > 126 || c == '=') {
			return 0;
		}
	}
	return 1;
}

static int
params_digits(const char *v)
{
	return v[0] != '\0' && strspn(v, "0123456789") == strlen(v) && strlen(v) <= 20;
}

static int
params_value_ok(const struct params_def *d, const struct param *p)
{
	const char *v = p->value;

	switch (d->value) {
	case PV_NONE:
		return !p->has_value;
	case PV_OPTIONAL:
		return 1;
	case PV_ANY:
		return p->has_value;
	case PV_NUMBER:
		return p->has_value && params_digits(v);
	case PV_BODY:
		return p->has_value && (strcasecmp(v, "7BIT") == 0 || strcasecmp(v, "8BITMIME") == 0 ||
		    strcasecmp(v, "BINARYMIME") == 0);
	case PV_RET:
		return p->has_value && (strcasecmp(v, "FULL") == 0 || strcasecmp(v, "HDRS") == 0);
	case PV_XTEXT:
		return p->has_value && strlen(v) <= 100 && params_xtext(v);
	case PV_AUTH:
		return p->has_value && (strcmp(v, "<>") == 0 || params_xtext(v));
	case PV_PRIORITY: {
		char *end;
		long n = strtol(v, &end, 10);

		return p->has_value && *end == '\0' && end != v && n >= -9 && n <= 9;
	}
	case PV_BY: {
		const char *semi = strchr(v, ';');
		const char *num = v;

		if (!p->has_value || semi == NULL) {
			return 0;
		}
		if (*num == '-' || *num == '+') {
			num++;
		}
		if (semi == num || (size_t)(semi - num) > 9 || strspn(num, "0123456789") != (size_t)(semi - num)) {
			return 0;
		}
		return strcasecmp(semi + 1, "R") == 0 || strcasecmp(semi + 1, "N") == 0 ||
		    strcasecmp(semi + 1, "RT") == 0 || strcasecmp(semi + 1, "NT") == 0;
	}
	case PV_NOTIFY: {
		char buf[PARAM_VALUE_MAX];
		char *save = NULL, *tok;
		int n = 0, never = 0;

		if (!p->has_value) {
			return 0;
		}
		snprintf(buf, sizeof(buf), "%s", v);
		for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
			n++;
			if (strcasecmp(tok, "NEVER") == 0) {
				never = 1;
			} else if (strcasecmp(tok, "SUCCESS") != 0 && strcasecmp(tok, "FAILURE") != 0 &&
			    strcasecmp(tok, "DELAY") != 0) {
				return 0;
			}
		}
		return n > 0 && (!never || n == 1);
	}
	case PV_ORCPT: {
		const char *semi = strchr(v, ';');

		return p->has_value && semi != NULL && semi != v && ehlo_keyword_valid(v, (size_t)(semi - v)) &&
		    semi[1] != '\0' && params_xtext(semi + 1);
	}
	}
	return 0;
}

static size_t
params_add(struct param_issue *out, size_t max, size_t n, enum finding_id id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static size_t
params_add(struct param_issue *out, size_t max, size_t n, enum finding_id id, const char *fmt, ...)
{
	va_list ap;

	if (n < max) {
		out[n].id = id;
		va_start(ap, fmt);
		vsnprintf(out[n].msg, sizeof(out[n].msg), fmt, ap);
		va_end(ap);
	}
	return n + 1;
}

size_t
params_check(const struct ehlo *caps, enum smtp_cmd where, const char *addr,
    const struct param *p, size_t n, struct param_issue *out, size_t max)
{
	const char *cmd = where == SMTP_MAIL ? "MAIL FROM" : "RCPT TO";
	size_t k = 0;
	int utf8_param = 0;

	for (size_t i = 0; i < n; i++) {
		const struct params_def *d = params_find(p[i].key, where);
		const char *kw;

		if (strcasecmp(p[i].key, "SMTPUTF8") == 0) {
			utf8_param = 1;
		}
		if (d == NULL) {
			const struct params_def *other = params_find(p[i].key,
			    where == SMTP_MAIL ? SMTP_RCPT : SMTP_MAIL);

			if (other != NULL) {
				k = params_add(out, max, k, F_PARAM_UNKNOWN,
				    _("%s parameter %s belongs to %s, not %s; the server would likely answer 555 5.5.4. "
				    "Fix: pass it with --%s-param."), cmd, p[i].key,
				    where == SMTP_MAIL ? "RCPT TO" : "MAIL FROM", cmd,
				    where == SMTP_MAIL ? "rcpt" : "mail");
			} else {
				k = params_add(out, max, k, F_PARAM_UNKNOWN,
				    _("%s parameter %s is not defined by any SMTP extension smtprobe knows; the server "
				    "would likely answer 555 5.5.4. Fix: check its spelling, or drop it."), cmd, p[i].key);
			}
			continue;
		}
		if (!params_value_ok(d, &p[i])) {
			k = params_add(out, max, k, F_PARAM_BAD_VALUE,
			    _("%s parameter %s%s%s does not have the form %s; the server would likely answer "
			    "501 5.5.4. Fix: give it that form."), cmd, p[i].key, p[i].has_value ? "=" : "",
			    p[i].value, d->form);
			continue;
		}
		kw = params_keyword(d->key, p[i].value, where);
		if (caps == NULL || ehlo_find(caps, kw) == NULL) {
			k = params_add(out, max, k, F_PARAM_NOT_ADVERTISED,
			    _("%s parameter %s needs the %s extension, which the server does not advertise; it "
			    "would likely answer 555 5.5.4 (or 504 5.5.4). Fix: drop the parameter, or enable %s "
			    "on the server."), cmd, d->key, kw, kw);
			continue;
		}
		if (strcasecmp(d->key, "BODY") == 0 && strcasecmp(p[i].value, "BINARYMIME") == 0 &&
		    ehlo_find(caps, "CHUNKING") == NULL) {
			k = params_add(out, max, k, F_PARAM_NOT_ADVERTISED,
			    _("BODY=BINARYMIME needs CHUNKING (BDAT, RFC 3030), which the server does not "
			    "advertise; it would likely answer 555 5.5.4. Fix: use BODY=8BITMIME."));
			continue;
		}
		if (strcasecmp(d->key, "SIZE") == 0 && caps->size_max > 0) {
			uint64_t v = strtoull(p[i].value, NULL, 10);

			if (v > caps->size_max) {
				k = params_add(out, max, k, F_SIZE_OVER_LIMIT,
				    _("SIZE=%s is above the %llu octets the server advertises; it would likely answer "
				    "552 5.3.4. Fix: send a smaller message, or raise the server's limit."), p[i].value,
				    (unsigned long long)caps->size_max);
			}
		}
	}
	if (addr != NULL && params_non_ascii(addr)) {
		if (caps == NULL || ehlo_find(caps, "SMTPUTF8") == NULL) {
			k = params_add(out, max, k, F_SMTPUTF8_REQUIRED,
			    _("%s <%s> is not ASCII and the server does not advertise SMTPUTF8; it would likely "
			    "answer 553 5.6.7. Fix: use an ASCII address, or a server with SMTPUTF8 (RFC 6531)."),
			    cmd, addr);
		} else if (where == SMTP_MAIL && !utf8_param) {
			k = params_add(out, max, k, F_SMTPUTF8_REQUIRED,
			    _("MAIL FROM <%s> is not ASCII but carries no SMTPUTF8 parameter; the server would "
			    "likely answer 553 5.6.7. Fix: add --mail-param SMTPUTF8."), addr);
		}
	}
	return k;
}
