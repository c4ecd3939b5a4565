#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "params.h"

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
		    _("parameter '%.60s': the value must be 1 to %d bytes"), s,
		    PARAM_VALUE_MAX - 1);
	}
	for (const char *v = eq + 1; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\r' || c == '\n') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("parameter '%s' contains a line break (CR or LF), which would inject "
			      "SMTP commands"),
			    p->key);
		}
		if (c <= ' ' || c == 0x7F || c == '=') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("parameter '%s': the value may not hold spaces, control characters "
			      "or '='"),
			    p->key);
		}
	}
	snprintf(p->value, sizeof(p->value), "%s", eq + 1);
	p->has_value = 1;
	return 0;
}

/* Whether v is one of the comma-separated choices (case-insensitive). */
static int
params_one_of(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *c = choices; *c != '\0';
	     c += strcspn(c, ",") + (c[strcspn(c, ",")] == ',')) {
		if (strcspn(c, ",") == n && strncasecmp(c, v, n) == 0) {
			return 1;
		}
	}
	return 0;
}

const struct params_def *
params_def(const char *key, const char *value, enum smtp_cmd where)
{
	const struct params_def *first = NULL;

	for (size_t i = 0; i < params_ndefs; i++) {
		const struct params_def *d = &params_defs[i];

		if (d->where != where || strcasecmp(d->key, key) != 0) {
			continue;
		}
		if (d->value != PV_ONE_OF || (value != NULL && params_one_of(d->choices, value))) {
			return d;
		}
		if (first == NULL) {
			first = d;
		}
	}
	return first;
}

const char *
params_keyword(const char *key, const char *value, enum smtp_cmd where)
{
	const struct params_def *d = params_def(key, value, where);

	return d != NULL ? d->keyword : NULL;
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
	case PV_OCTETS:
		return p->has_value && params_digits(v);
	case PV_ONE_OF:
		return p->has_value && params_one_of(d->choices, v);
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
		if (semi == num || (size_t)(semi - num) > 9 ||
		    strspn(num, "0123456789") != (size_t)(semi - num)) {
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
		for (tok = strtok_r(buf, ",", &save); tok != NULL;
		     tok = strtok_r(NULL, ",", &save)) {
			n++;
			if (strcasecmp(tok, "NEVER") == 0) {
				never = 1;
			} else if (strcasecmp(tok, "SUCCESS") != 0 &&
			    strcasecmp(tok, "FAILURE") != 0 && strcasecmp(tok, "DELAY") != 0) {
				return 0;
			}
		}
		return n > 0 && (!never || n == 1);
	}
	case PV_ORCPT: {
		const char *semi = strchr(v, ';');

		return p->has_value && semi != NULL && semi != v &&
		    ehlo_keyword_valid(v, (size_t)(semi - v)) && semi[1] != '\0' &&
		    params_xtext(semi + 1);
	}
	}
	return 0;
}

/* Add one issue (when there is room); returns the count of issues found. */
static size_t
params_add(struct param_issue *out, size_t max, size_t n, enum finding_id id,
    enum param_problem what, enum smtp_cmd where, const struct param *p,
    const struct params_def *def)
{
	if (n < max) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].id = id;
		out[n].what = what;
		out[n].where = where;
		if (p != NULL) {
			out[n].p = *p;
		}
		out[n].def = def;
	}
	return n + 1;
}

/* The issue with one parameter, if any: 0 or 1 added. */
static size_t
params_check_one(const struct ehlo *caps, enum smtp_cmd where, const struct param *p,
    struct param_issue *out, size_t max, size_t k)
{
	const struct params_def *d = params_def(p->key, p->value, where);

	if (d == NULL) {
		enum smtp_cmd other = where == SMTP_MAIL ? SMTP_RCPT : SMTP_MAIL;

		return params_add(out, max, k, F_PARAM_UNKNOWN,
		    params_def(p->key, p->value, other) ? PARAM_OTHER_COMMAND : PARAM_UNDEFINED,
		    where, p, NULL);
	}
	if (!params_value_ok(d, p)) {
		return params_add(out, max, k, F_PARAM_BAD_VALUE, PARAM_BAD_FORM, where, p, d);
	}
	if (caps == NULL || ehlo_find(caps, d->keyword) == NULL) {
		return params_add(
		    out, max, k, F_PARAM_NOT_ADVERTISED, PARAM_NOT_ADVERTISED, where, p, d);
	}
	if (d->also != NULL && ehlo_find(caps, d->also) == NULL) {
		return params_add(
		    out, max, k, F_PARAM_NOT_ADVERTISED, PARAM_ALSO_NEEDED, where, p, d);
	}
	if (d->value == PV_OCTETS && caps->size_max > 0 &&
	    strtoull(p->value, NULL, 10) > caps->size_max) {
		k = params_add(out, max, k, F_SIZE_OVER_LIMIT, PARAM_SIZE_OVER, where, p, d);
		if (k <= max) {
			out[k - 1].limit = (unsigned long long)caps->size_max;
		}
	}
	return k;
}

/* The issue with a non-ASCII address (RFC 6531 §3.4), if any. */
static size_t
params_check_addr(const struct ehlo *caps, enum smtp_cmd where, const char *addr, int utf8_param,
    struct param_issue *out, size_t max, size_t k)
{
	enum param_problem what;

	if (addr == NULL || !params_non_ascii(addr)) {
		return k;
	}
	if (caps == NULL || ehlo_find(caps, "SMTPUTF8") == NULL) {
		what = PARAM_ADDR_NO_SMTPUTF8;
	} else if (where == SMTP_MAIL && !utf8_param) {
		what = PARAM_ADDR_NO_PARAM;
	} else {
		return k;
	}
	k = params_add(out, max, k, F_SMTPUTF8_REQUIRED, what, where, NULL, NULL);
	if (k <= max) {
		snprintf(out[k - 1].addr, sizeof(out[k - 1].addr), "%s", addr);
	}
	return k;
}

size_t
params_check(const struct ehlo *caps, enum smtp_cmd where, const char *addr, const struct param *p,
    size_t n, struct param_issue *out, size_t max)
{
	size_t k = 0;
	int utf8_param = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(p[i].key, "SMTPUTF8") == 0) {
			utf8_param = 1;
		}
		k = params_check_one(caps, where, &p[i], out, max, k);
	}
	return params_check_addr(caps, where, addr, utf8_param, out, max, k);
}
