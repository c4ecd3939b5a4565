/* txtrec.h - the grammar the _mta-sts TXT record (RFC 8461 §3.1) and the
 * _smtp._tls TXT record (RFC 8460 §3) share: a version token first, then
 * fields "name=value" separated by *WSP ";" *WSP, at least one field, and
 * one optional ";" at the end.  Pure; internal to sts.c and tlsrpt.c.
 */
#ifndef SMTPROBE_TXTREC_H
#define SMTPROBE_TXTREC_H

#include <stddef.h>

struct txtrec {
	const char *s;
	size_t len;
	size_t pos;       /* just after a ';', or len */
	int nfield;       /* fields returned so far */
	int done;
};

struct txtrec_field {
	const char *name;
	size_t nlen;
	const char *value;  /* may be empty: the caller says whether that is allowed */
	size_t vlen;
	int n;              /* 1 for the first field after the version */
};

/* Checks that all of s[0..len) is printable US-ASCII (HTAB allowed), that
 * it starts with version followed by *WSP ";".  0, or -1 with err set. */
int txtrec_start(struct txtrec *t, const char *s, size_t len, const char *version,
    char *err, size_t errsz);

/* The next field: 1 with f filled, 0 at the end, -1 with err set (an empty
 * field, a field that is not name=value, a name outside the grammar,
 * whitespace after the last field without a ";"). */
int txtrec_next(struct txtrec *t, struct txtrec_field *f, char *err, size_t errsz);

/* The value grammar of extension fields (RFC 8461 §3.1 sts-ext-value,
 * RFC 8460 §3 tlsrpt-ext-value): 1*(%x21-3A / %x3C / %x3E-7E). */
int txtrec_ext_value_ok(const char *v, size_t n);

/* Whether the field's name is exactly name (the grammars are
 * case-sensitive, RFC 7405 %s). */
int txtrec_name_is(const struct txtrec_field *f, const char *name);

#endif
