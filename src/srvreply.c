/* srvreply.c - match a reply against the reply texts of real servers. */
#include <config.h>

#include <string.h>

#include "reply.h"
#include "srvreply.h"

/* ASCII case folding, whatever the locale. */
static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i])) {
			return 0;
		}
	}
	return 1;
}

/* The leftmost place in text[from, end) where the n bytes of lit occur, or
 * end when they do not. */
static size_t
find(const char *text, size_t from, size_t end, const char *lit, size_t n)
{
	if (n == 0) {
		return from;
	}
	for (size_t i = from; i + n <= end; i++) {
		if (same(text + i, lit, n)) {
			return i;
		}
	}
	return end;
}

/* With '*' only, the leftmost match of each literal run in turn is the
 * right one: a later match would only leave less text for the runs after
 * it.  So the first run must start the text, the last must end it, and
 * each one between is searched for once, left to right. */
int
srvreply_glob(const char *pattern, const char *text, size_t len)
{
	const char *star = strchr(pattern, '*'), *last;
	size_t head, tail, pos, end;

	if (star == NULL) {
		return strlen(pattern) == len && same(pattern, text, len);
	}
	head = (size_t)(star - pattern);
	last = strrchr(pattern, '*');
	tail = strlen(last + 1);
	if (head + tail > len || !same(pattern, text, head) ||
	    !same(last + 1, text + len - tail, tail)) {
		return 0;
	}
	pos = head;
	end = len - tail;
	for (const char *p = star + 1; p < last;) {
		const char *q = strchr(p, '*');
		size_t n = (size_t)(q - p), at = find(text, pos, end, p, n);

		if (n > 0 && at == end) {
			return 0;
		}
		pos = at + n;
		p = q + 1;
	}
	return 1;
}

static int
cmd_matches(enum smtp_cmd row, enum smtp_cmd cmd)
{
	if (row == SMTP_ANY || cmd == SMTP_ANY || row == cmd) {
		return 1;
	}
	/* A server answers HELO and EHLO with the same checks. */
	return (row == SMTP_HELO || row == SMTP_EHLO) &&
	    (cmd == SMTP_HELO || cmd == SMTP_EHLO || cmd == SMTP_LHLO);
}

static int
code_matches(const char *want, int code)
{
	char got[4];

	if (code < 200 || code > 599) {
		return 0;
	}
	got[0] = (char)('0' + code / 100);
	got[1] = (char)('0' + code / 10 % 10);
	got[2] = (char)('0' + code % 10);
	for (size_t i = 0; i < 3; i++) {
		if (want[i] != 'x' && want[i] != got[i]) {
			return 0;
		}
	}
	return 1;
}

static int
enh_matches(const char *want, const char *enh)
{
	if (strcmp(want, "-") == 0) {
		return 1;
	}
	if (enh == NULL || enh[0] == '\0') {
		return 0;
	}
	if (want[0] == 'x') {
		return strcmp(want + 1, enh + 1) == 0;
	}
	return strcmp(want, enh) == 0;
}

int
srvreply_row_matches(const struct srv_row *r, enum smtp_cmd cmd, int code, const char *enh,
    const char *text, size_t len)
{
	return cmd_matches(r->cmd, cmd) && code_matches(r->code, code) &&
	    enh_matches(r->enh, enh) && srvreply_glob(r->pattern, text, len);
}

long
srvreply_specificity(const struct srv_row *r, enum smtp_cmd cmd)
{
	long s = 0, lit = 0;

	if (r->cmd != SMTP_ANY && cmd != SMTP_ANY) {
		s += 100000;
	}
	for (size_t i = 0; i < 3; i++) {
		s += r->code[i] != 'x' ? 10000 : 0;
	}
	if (strcmp(r->enh, "-") != 0) {
		s += r->enh[0] == 'x' ? 1000 : 2000;
	}
	for (const char *p = r->pattern; *p != '\0'; p++) {
		lit += *p != '*';
	}
	return s + (lit < 999 ? lit : 999);
}

const struct srv_row *
srvreply_match(enum smtp_cmd cmd, int code, const char *enh, const char *text, size_t len)
{
	const struct srv_row *best = NULL;
	long best_s = -1;

	for (size_t i = 0; i < srv_nrows; i++) {
		const struct srv_row *r = &srv_rows[i];
		long s;

		if (!srvreply_row_matches(r, cmd, code, enh, text, len)) {
			continue;
		}
		s = srvreply_specificity(r, cmd);
		if (s > best_s) {
			best = r;
			best_s = s;
		}
	}
	return best;
}

const struct srv_row *
srvreply_of_reply(const struct reply *rp, enum smtp_cmd cmd)
{
	char text[BOUND_SRV_TEXT];
	size_t len = 0;

	if (!rp->complete || rp->nlines == 0) {
		return NULL;
	}
	/* The words after the codes, continuation lines joined by a space
	 * (the form the table's patterns are written for). */
	for (size_t k = 0; k < rp->nlines; k++) {
		size_t tl, skip = 0;
		const char *t = reply_text(rp, k, &tl);
		char enh[16];

		skip = reply_parse_enhanced(t, tl, enh);
		if (skip > 0 && skip < tl) {
			skip++;
		}
		if (len > 0 && len < sizeof(text)) {
			text[len++] = ' ';
		}
		for (size_t i = skip; i < tl && len < sizeof(text); i++) {
			text[len++] = t[i];
		}
	}
	return srvreply_match(cmd, rp->code, rp->enh, text, len);
}
