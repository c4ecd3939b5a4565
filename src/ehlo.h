/* ehlo.h - the server's EHLO capability list (RFC 5321 §4.1.1.1, §4.1.4).
 *
 * Pure: no I/O.  Built from a complete 250 reply to EHLO.  Keywords are
 * whole tokens compared ASCII case-insensitively ("SIZEX" is not "SIZE");
 * unknown keywords are kept verbatim.  Anything odd is a flag, never a
 * silent repair.
 */
#ifndef SMTPROBE_EHLO_H
#define SMTPROBE_EHLO_H

#include <stddef.h>
#include <stdint.h>

#include "reply.h"

enum ehlo_flag {
	EHLO_F_BAD_KEYWORD = 1u << 0, /* a keyword breaks (ALPHA/DIGIT) *(ALPHA/DIGIT/"-") */
	EHLO_F_DUP_KEYWORD = 1u << 1, /* a keyword appears twice */
	EHLO_F_BAD_SIZE = 1u << 2,    /* SIZE parameter not a number, or overflows */
	EHLO_F_EMPTY_LINE = 1u << 3,  /* a capability line with no keyword */
	EHLO_F_LEGACY_AUTH = 1u << 4, /* the pre-RFC "AUTH=" form was advertised */
	EHLO_F_BAD_MECH = 1u << 5,    /* an AUTH mechanism name breaks RFC 4422 syntax */
	EHLO_F_NO_DOMAIN = 1u << 6,   /* the first line names no domain */
	EHLO_F_MANY_MECHS = 1u << 7   /* more than BOUND_AUTH_MECHS distinct AUTH mechanisms */
};

struct ehlo_ext {
	char *keyword; /* verbatim, NUL-terminated ("AUTH=" for the legacy form);
	                * a NUL from the server may sit inside: use klen */
	char *params;  /* the rest of the line after one space; "" if none */
	size_t klen;   /* bytes in keyword */
	size_t plen;   /* bytes in params */
	unsigned bad;  /* non-zero if this keyword broke the syntax */
};

struct ehlo {
	char *domain;   /* first word of the first line; "" if none */
	char *greeting; /* rest of the first line; "" if none */
	size_t n;
	struct ehlo_ext *ext;
	char **auth; /* SASL mechanisms from AUTH and AUTH=, upper-cased, no
	              * duplicates, the first BOUND_AUTH_MECHS only */
	size_t nauth;
	int size_advertised; /* SIZE keyword present */
	uint64_t size_max;   /* 0: no limit declared (or SIZE invalid) */
	unsigned flags;      /* enum ehlo_flag bits */
};

void ehlo_init(struct ehlo *e);

/* Build e from a complete reply r (code 250).  The first line is the
 * greeting, every later line one capability.  Returns 0, or -1 when
 * memory ran out (e is then freed and empty). */
int ehlo_parse(struct ehlo *e, const struct reply *r);

/* The capability with this keyword (whole token, case-insensitive), or NULL. */
const struct ehlo_ext *ehlo_find(const struct ehlo *e, const char *keyword);

/* Non-zero when mech is in the advertised AUTH list (case-insensitive). */
int ehlo_has_auth(const struct ehlo *e, const char *mech);

/* Non-zero when s is a syntactically valid EHLO keyword. */
int ehlo_keyword_valid(const char *s, size_t len);

/* Parse a decimal without sign into *out; 0, or -1 on empty input, a
 * non-digit or overflow of uint64_t. */
int ehlo_parse_u64(const char *s, size_t len, uint64_t *out);

void ehlo_free(struct ehlo *e);

#endif
