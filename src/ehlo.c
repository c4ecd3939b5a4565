#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bounds.h"
#include "ehlo.h"

void
ehlo_init(struct ehlo *e)
{
	memset(e, 0, sizeof(*e));
}

void
ehlo_free(struct ehlo *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->ext[i].keyword);
		free(e->ext[i].params);
	}
	for (size_t i = 0; i < e->nauth; i++) {
		free(e->auth[i]);
	}
	free(e->ext);
	free(e->auth);
	free(e->domain);
	free(e->greeting);
	ehlo_init(e);
}

static int
ehlo_is_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int
ehlo_keyword_valid(const char *s, size_t len)
{
	if (len == 0 || !ehlo_is_alnum((unsigned char)s[0])) {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if (!ehlo_is_alnum((unsigned char)s[i]) && s[i] != '-') {
			return 0;
		}
	}
	return 1;
}

/* RFC 4422 §3.1: 1 to 20 of upper-case letters, digits, '-' and '_'.
 * Lower case is accepted here (compared case-insensitively) but is not
 * strictly valid either; only the character set is checked. */
static int
ehlo_mech_valid(const char *s, size_t len)
{
	if (len == 0 || len > 20) {
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (!ehlo_is_alnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_') {
			return 0;
		}
	}
	return 1;
}

int
ehlo_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0) {
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static char *
ehlo_strndup(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static int
ehlo_add_mech(struct ehlo *e, const char *s, size_t len)
{
	char **na;
	char *m;

	if (!ehlo_mech_valid(s, len)) {
		e->flags |= EHLO_F_BAD_MECH;
		if (len == 0 || len > 64) {
			return 0;
		}
	}
	/* At most BOUND_AUTH_MECHS names are kept, so this loop is bounded
	 * and a flood of names costs linear time. */
	for (size_t i = 0; i < e->nauth; i++) {
		if (strlen(e->auth[i]) == len && strncasecmp(e->auth[i], s, len) == 0) {
			return 0;
		}
	}
	if (e->nauth >= BOUND_AUTH_MECHS) {
		e->flags |= EHLO_F_MANY_MECHS;
		return 0;
	}
	m = ehlo_strndup(s, len);
	if (m == NULL) {
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (m[i] >= 'a' && m[i] <= 'z') {
			m[i] = (char)(m[i] - 'a' + 'A');
		}
	}
	na = realloc(e->auth, (e->nauth + 1) * sizeof(*na));
	if (na == NULL) {
		free(m);
		return -1;
	}
	e->auth = na;
	e->auth[e->nauth++] = m;
	return 0;
}

static int
ehlo_add_mechs(struct ehlo *e, const char *p)
{
	while (*p != '\0') {
		size_t len;

		while (*p == ' ') {
			p++;
		}
		len = strcspn(p, " ");
		if (len > 0 && ehlo_add_mech(e, p, len) != 0) {
			return -1;
		}
		p += len;
	}
	return 0;
}

static void
ehlo_take_size(struct ehlo *e, const char *params)
{
	uint64_t v;

	e->size_advertised = 1;
	if (params[0] == '\0') {
		return;
	}
	if (ehlo_parse_u64(params, strlen(params), &v) != 0) {
		e->flags |= EHLO_F_BAD_SIZE;
		return;
	}
	e->size_max = v;
}

static int
ehlo_add_line(struct ehlo *e, const char *t, size_t len)
{
	struct ehlo_ext *ne, *x;
	size_t klen = 0, pstart;
	int legacy = 0;

	while (klen < len && t[klen] != ' ' && t[klen] != '=') {
		klen++;
	}
	if (klen < len && t[klen] == '=') {
		legacy = 1;
		klen++; /* keep "AUTH=" verbatim as the keyword */
	}
	if (klen == 0) {
		e->flags |= EHLO_F_EMPTY_LINE;
		return 0;
	}
	ne = realloc(e->ext, (e->n + 1) * sizeof(*ne));
	if (ne == NULL) {
		return -1;
	}
	e->ext = ne;
	x = &e->ext[e->n];
	pstart = klen < len && !legacy ? klen + 1 : klen; /* skip one SP */
	x->keyword = ehlo_strndup(t, klen);
	x->params = ehlo_strndup(t + pstart, len - pstart);
	x->klen = klen;
	x->plen = len - pstart;
	if (x->keyword == NULL || x->params == NULL) {
		free(x->keyword);
		free(x->params);
		return -1;
	}
	x->bad = !ehlo_keyword_valid(t, klen - (size_t)legacy);
	if (legacy && !(klen == 5 && strncasecmp(t, "AUTH=", 5) == 0)) {
		x->bad = 1;
	}
	if (x->bad) {
		e->flags |= EHLO_F_BAD_KEYWORD;
	}
	for (size_t i = 0; i < e->n; i++) {
		if (e->ext[i].klen == x->klen &&
		    strncasecmp(e->ext[i].keyword, x->keyword, klen) == 0) {
			e->flags |= EHLO_F_DUP_KEYWORD;
		}
	}
	e->n++;
	if (x->bad) {
		return 0;
	}
	if (legacy) {
		e->flags |= EHLO_F_LEGACY_AUTH;
		return ehlo_add_mechs(e, x->params);
	}
	if (strcasecmp(x->keyword, "AUTH") == 0) {
		return ehlo_add_mechs(e, x->params);
	}
	if (strcasecmp(x->keyword, "SIZE") == 0) {
		ehlo_take_size(e, x->params);
	}
	return 0;
}

int
ehlo_parse(struct ehlo *e, const struct reply *r)
{
	const char *t;
	size_t len, dlen = 0;

	ehlo_init(e);
	if (r->nlines == 0) {
		e->flags |= EHLO_F_NO_DOMAIN;
		e->domain = ehlo_strndup("", 0);
		e->greeting = ehlo_strndup("", 0);
		return e->domain && e->greeting ? 0 : (ehlo_free(e), -1);
	}
	t = reply_text(r, 0, &len);
	while (dlen < len && t[dlen] != ' ') {
		dlen++;
	}
	if (dlen == 0) {
		e->flags |= EHLO_F_NO_DOMAIN;
	}
	e->domain = ehlo_strndup(t, dlen);
	e->greeting =
	    ehlo_strndup(t + (dlen < len ? dlen + 1 : dlen), dlen < len ? len - dlen - 1 : 0);
	if (e->domain == NULL || e->greeting == NULL) {
		ehlo_free(e);
		return -1;
	}
	for (size_t i = 1; i < r->nlines; i++) {
		t = reply_text(r, i, &len);
		/* A NUL inside the text is kept (the keyword's length says where
		 * it ends); such a keyword is invalid and matches nothing. */
		if (ehlo_add_line(e, t, len) != 0) {
			ehlo_free(e);
			return -1;
		}
	}
	return 0;
}

const struct ehlo_ext *
ehlo_find(const struct ehlo *e, const char *keyword)
{
	size_t len = strlen(keyword);

	for (size_t i = 0; i < e->n; i++) {
		if (e->ext[i].klen == len && strncasecmp(e->ext[i].keyword, keyword, len) == 0) {
			return &e->ext[i];
		}
	}
	return NULL;
}

int
ehlo_has_auth(const struct ehlo *e, const char *mech)
{
	for (size_t i = 0; i < e->nauth; i++) {
		if (strcasecmp(e->auth[i], mech) == 0) {
			return 1;
		}
	}
	return 0;
}
