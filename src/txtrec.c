/* txtrec.c - the "v=...; name=value" grammar of the MTA-STS and TLS-RPT
 * TXT records (RFC 8461 §3.1, RFC 8460 §3): both define
 *     record      = version 1*(field-delim field) [field-delim]
 *     field-delim = *WSP ";" *WSP
 *     ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *     ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
 * so a record is split at its ';' (no value of either grammar may hold
 * one), and each piece between two of them must be a field.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "txtrec.h"

/* A cursor over one record's fields. */
struct txtrec {
	const char *s;
	size_t len;
	size_t pos; /* just after a ';', or len */
	int nfield; /* fields returned so far */
	int done;
};

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Checks that all of s[0..len) is printable US-ASCII (HTAB allowed) and
 * starts with version then *WSP ";".  0, or -1 with err set. */
static int
txtrec_start(
    struct txtrec *t, const char *s, size_t len, const char *version, char *err, size_t errsz)
{
	size_t vlen = strlen(version), p;

	memset(t, 0, sizeof(*t));
	t->s = s;
	t->len = len;
	/* RFC 8461 §3.1: "MUST be US-ASCII"; neither grammar admits a control
	 * character other than HTAB (in WSP). */
	for (p = 0; p < len; p++) {
		unsigned char c = (unsigned char)s[p];

		if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			snprintf(
			    err, errsz, "byte %zu (0x%02x) is not printable US-ASCII", p + 1, c);
			return -1;
		}
	}
	if (len < vlen || memcmp(s, version, vlen) != 0) {
		snprintf(err, errsz, "the record does not start with \"%s\"", version);
		return -1;
	}
	p = vlen;
	while (p < len && is_wsp(s[p])) {
		p++;
	}
	if (p == len) {
		snprintf(err, errsz, "the record has no field after \"%s\"", version);
		return -1;
	}
	if (s[p] != ';') {
		snprintf(err, errsz, "\"%s\" is not followed by \";\"", version);
		return -1;
	}
	t->pos = p + 1;
	return 0;
}

int
txtrec_ext_name_ok(const char *n, size_t len)
{
	if (len == 0 || len > 32 || !is_alnum(n[0])) {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if (!is_alnum(n[i]) && n[i] != '_' && n[i] != '-' && n[i] != '.') {
			return 0;
		}
	}
	return 1;
}

/* The next field: 1 with f filled, 0 at the end, -1 with err set (an empty
 * field, a field that is not name=value, a name outside the grammar,
 * whitespace after the last field without a ";"). */
static int
txtrec_next(struct txtrec *t, struct txtrec_field *f, char *err, size_t errsz)
{
	size_t a = t->pos, b, e;
	const char *semi, *eq;

	if (t->done) {
		return 0;
	}
	semi = memchr(t->s + a, ';', t->len - a);
	b = semi != NULL ? (size_t)(semi - t->s) : t->len;
	e = b;
	txtrec_trim(t->s, &a, &e);
	if (a == b) {
		if (semi == NULL) {
			/* The optional field-delim at the end. */
			t->done = 1;
			return 0;
		}
		snprintf(err, errsz, "an empty field before the semicolon at byte %zu", b + 1);
		return -1;
	}
	if (semi == NULL && e != b) {
		snprintf(err, errsz, "whitespace after the last field without a \";\"");
		return -1;
	}
	t->nfield++;
	eq = memchr(t->s + a, '=', e - a);
	if (eq == NULL) {
		snprintf(err, errsz, "field %d is not name=value", t->nfield);
		return -1;
	}
	f->name = t->s + a;
	f->nlen = (size_t)(eq - f->name);
	f->value = eq + 1;
	f->vlen = e - (size_t)(f->value - t->s);
	f->n = t->nfield;
	if (!txtrec_ext_name_ok(f->name, f->nlen)) {
		snprintf(err, errsz,
		    "field %d has a name that is not 1 to 32 letters, digits, "
		    "'_', '-' or '.' starting with a letter or digit",
		    t->nfield);
		return -1;
	}
	if (semi == NULL) {
		t->done = 1;
		t->pos = t->len;
	} else {
		t->pos = b + 1;
	}
	return 1;
}

/* ext-value (RFC 8461 §3.1 sts-ext-value, RFC 8460 §3 tlsrpt-ext-value). */
static int
txtrec_ext_value_ok(const char *v, size_t n)
{
	if (n == 0) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c < 0x21 || c > 0x7e || c == ';' || c == '=') {
			return 0;
		}
	}
	return 1;
}

static int
txtrec_name_is(const struct txtrec_field *f, const char *name)
{
	size_t n = strlen(name);

	return f->nlen == n && memcmp(f->name, name, n) == 0;
}

int
txtrec_read(const char *s, size_t len, const char *version, const char *required,
    int (*fn)(void *ctx, const struct txtrec_field *f, int first), void *ctx, char *err,
    size_t errsz)
{
	struct txtrec t;
	struct txtrec_field f;
	int rc, seen = 0;

	if (s == NULL) {
		snprintf(err, errsz, "no record");
		return -1;
	}
	if (txtrec_start(&t, s, len, version, err, errsz) != 0) {
		return -1;
	}
	while ((rc = txtrec_next(&t, &f, err, errsz)) == 1) {
		if (txtrec_name_is(&f, required)) {
			if (fn(ctx, &f, !seen) != 0) {
				return -1;
			}
			seen = 1;
		} else if (!txtrec_ext_value_ok(f.value, f.vlen)) {
			/* Unknown fields are ignored (RFC 8461 §3.2), but must
			 * still follow the ext-value of either grammar. */
			snprintf(err, errsz,
			    "field %d has an empty value or one with a space, "
			    "'=' or ';'",
			    f.n);
			return -1;
		}
	}
	if (rc < 0) {
		return -1;
	}
	if (!seen) {
		snprintf(err, errsz, "the record has no %s field", required);
		return -1;
	}
	return 0;
}

void
txtrec_trim(const char *s, size_t *a, size_t *e)
{
	while (*a < *e && is_wsp(s[*a])) {
		(*a)++;
	}
	while (*e > *a && is_wsp(s[*e - 1])) {
		(*e)--;
	}
}

void
txtrec_keep_error(void *obj, size_t objsz, char *err, size_t errsz)
{
	unsigned char *o = obj, *ep = (unsigned char *)err;
	size_t before = (size_t)(ep - o);

	memset(o, 0, before);
	memset(ep + errsz, 0, objsz - before - errsz);
}
