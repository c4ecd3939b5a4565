/* txtrec.h - the grammar the _mta-sts TXT record (RFC 8461 §3.1) and the
 * _smtp._tls TXT record (RFC 8460 §3) share: a version token first, then
 * fields "name=value" separated by *WSP ";" *WSP, at least one field, and
 * one optional ";" at the end.  Pure; internal to sts.c and tlsrpt.c
 * (sts.c also reads its policy file's keys and values with it).
 */
#ifndef SMTPROBE_TXTREC_H
#define SMTPROBE_TXTREC_H

#include <stddef.h>

struct txtrec_field {
	const char *name;
	size_t nlen;
	const char *value; /* may be empty: the caller says whether that is allowed */
	size_t vlen;
	int n; /* 1 for the first field after the version */
};

/* A whole record (NULL: none) that must hold a field named required:
 * calls fn(ctx, f, first) for each such field (first: no earlier one), and
 * checks every other field's value against ext-value, as both RFCs want
 * even of the fields they ignore.  0, or -1 with err set (by fn when fn
 * returns -1). */
int txtrec_read(const char *s, size_t len, const char *version, const char *required,
    int (*fn)(void *ctx, const struct txtrec_field *f, int first), void *ctx, char *err,
    size_t errsz);

/* ext-name of both grammars (RFC 8461 §3.1 sts-ext-name, §3.2
 * sts-policy-ext-name; RFC 8460 §3 tlsrpt-ext-name):
 * (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
int txtrec_ext_name_ok(const char *n, size_t len);

/* Narrows [*a, *e) of s past the WSP (SP / HTAB) at both ends. */
void txtrec_trim(const char *s, size_t *a, size_t *e);

/* Zeroes the parse result obj (objsz bytes) but for its error text err
 * (errsz bytes inside obj): of an invalid record or policy nothing may
 * look like a fact but why it is invalid. */
void txtrec_keep_error(void *obj, size_t objsz, char *err, size_t errsz);

#endif
