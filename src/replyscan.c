/* replyscan.c - find the SMTP replies in pasted text, log lines and
 * bounce messages.  Every loop is bounded by the input's length; nothing
 * is allocated. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "i18n.h"
#include "replyscan.h"
#include "smtp.h"

struct line {
	const char *s;
	size_t n;
};

/* Text being joined from several lines, one space between the pieces. */
struct flat {
	char b[BOUND_SRV_TEXT * 2];
	size_t n;
	int cut;
};

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

/* The next line at *pos (CR before LF dropped; a NUL ends a line too). */
static int
line_next(const char *in, size_t len, size_t *pos, struct line *l)
{
	size_t i = *pos;

	if (i >= len) {
		return 0;
	}
	l->s = in + i;
	while (i < len && in[i] != '\n' && in[i] != '\0') {
		i++;
	}
	l->n = (size_t)(in + i - l->s);
	if (l->n > 0 && l->s[l->n - 1] == '\r') {
		l->n--;
	}
	*pos = i < len ? i + 1 : i;
	return 1;
}

/* Where lit occurs in s[from, n), compared without ASCII case; n when not. */
static size_t
span_find(const char *s, size_t n, size_t from, const char *lit)
{
	size_t k = strlen(lit);

	for (size_t i = from; i + k <= n; i++) {
		size_t j = 0;

		while (j < k && fold((unsigned char)s[i + j]) == fold((unsigned char)lit[j])) {
			j++;
		}
		if (j == k) {
			return i;
		}
	}
	return n;
}

static int
starts_ci(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && span_find(s, k, 0, lit) == 0;
}

static size_t
skip_space(const char *s, size_t n, size_t i)
{
	while (i < n && is_space((unsigned char)s[i])) {
		i++;
	}
	return i;
}

static int
blank(const struct line *l)
{
	return skip_space(l->s, l->n, 0) == l->n;
}

/* A reply code at s: a digit 2 to 5, two digits, then '-', a space or the
 * end.  Returns the code and sets *sep ('-', ' ' or '\0'), or returns 0. */
static int
code_at(const char *s, size_t n, char *sep)
{
	int code = smtp_code_at(s, n);

	if (code <= 0 || (n > 3 && s[3] != '-' && !is_space((unsigned char)s[3]))) {
		return 0;
	}
	*sep = n > 3 ? (s[3] == '-' ? '-' : ' ') : '\0';
	return code;
}

/* An enhanced status code at s, followed by a space or the end: its
 * length, with the normalised form in out; 0 when there is none. */
static size_t
enh_at(const char *s, size_t n, char out[16])
{
	struct smtp_enh e;
	size_t k = smtp_enh_at(s, n, &e);

	if (k == 0 || (k < n && !is_space((unsigned char)s[k]))) {
		return 0;
	}
	smtp_enh_format(&e, out);
	return k;
}

static void
flat_add(struct flat *f, const char *s, size_t n)
{
	size_t room;

	if (f->n > 0 && f->n < sizeof(f->b) - 1) {
		f->b[f->n++] = ' ';
	}
	room = sizeof(f->b) - 1 - f->n;
	if (n > room) {
		n = room;
		f->cut = 1;
	}
	memcpy(f->b + f->n, s, n);
	f->n += n;
	f->b[f->n] = '\0';
}

static struct scan_reply *
result_slot(struct scan_result *out)
{
	struct scan_reply *r;

	if (out->n >= BOUND_EXPLAIN_REPLIES) {
		out->dropped++;
		return NULL;
	}
	r = &out->r[out->n];
	memset(r, 0, sizeof(*r));
	return r;
}

/* Is s[j] the start of a continuation marker of the reply ("550-5.1.1 ",
 * "550-", or the last line's "550 5.1.1 ")?  Returns its length. */
static size_t
marker_at(const char *s, size_t n, size_t j, int code, const char *enh, int seen_cont)
{
	char sep, e[16];
	size_t k;

	if (j > 0 && !is_space((unsigned char)s[j - 1])) {
		return 0;
	}
	if (code_at(s + j, n - j, &sep) != code) {
		return 0;
	}
	k = j + 4;
	if (sep == '\0') {
		return seen_cont ? 3 : 0;
	}
	if (sep == ' ' && !seen_cont && enh[0] == '\0') {
		return 0;
	}
	if (k <= n) {
		size_t el = enh_at(s + k, n - k, e);

		if (el > 0 && strcmp(e, enh) == 0) {
			return k + el - j;
		}
		if (sep == ' ' && enh[0] != '\0') {
			return 0;
		}
	}
	return k - j;
}

/* Parse one reply from joined text: the code, the enhanced code, and the
 * words after them with the continuation markers taken out.  Adds it to
 * out and returns it; NULL when s does not start with a reply code (or
 * the result is full). */
static struct scan_reply *
reply_add(const char *s, size_t n, int cut, enum smtp_cmd cmd, enum scan_origin origin,
    struct scan_result *out)
{
	struct scan_reply *r;
	size_t i = skip_space(s, n, 0), o = 0;
	int code, space = 0, seen_cont = 0;
	char sep;

	code = code_at(s + i, n - i, &sep);
	if (code == 0) {
		return NULL;
	}
	r = result_slot(out);
	if (r == NULL) {
		return NULL;
	}
	r->code = code;
	r->cmd = cmd;
	r->origin = origin;
	r->cut = cut;
	seen_cont = sep == '-';
	i = skip_space(s, n, i + 4 <= n ? i + 4 : n);
	i = skip_space(s, n, i + enh_at(s + i, n - i, r->enh));
	while (i < n) {
		size_t m = marker_at(s, n, i, code, r->enh, seen_cont);
		unsigned char c = (unsigned char)s[i];

		if (m > 0) {
			seen_cont = 1;
			space = 1;
			i = skip_space(s, n, i + m);
			continue;
		}
		if (is_space(c)) {
			space = 1;
			i++;
			continue;
		}
		if (o + 2 >= sizeof(r->text)) {
			r->cut = 1;
			break;
		}
		if (space && o > 0) {
			r->text[o++] = ' ';
		}
		space = 0;
		r->text[o++] = (char)c;
		i++;
	}
	r->text[o] = '\0';
	r->text_len = o;
	out->n++;
	return r;
}

/* "RCPT TO", "end of DATA", "initial connection" ...: the command. */
static enum smtp_cmd
cmd_named(const char *s, size_t n)
{
	char buf[32];
	enum smtp_cmd c;

	if (starts_ci(s, n, "end of data") || starts_ci(s, n, "data")) {
		return SMTP_DATA;
	}
	if (starts_ci(s, n, "initial connection") || starts_ci(s, n, "connect")) {
		return SMTP_GREETING;
	}
	if (starts_ci(s, n, "rcpt")) {
		return SMTP_RCPT;
	}
	if (starts_ci(s, n, "mail")) {
		return SMTP_MAIL;
	}
	if (n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (is_space((unsigned char)s[i]) || s[i] == ':') {
			n = i;
			break;
		}
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return smtp_cmd_parse(buf, &c) == 0 ? c : SMTP_ANY;
}

/* Copy the address between '<' and '>' at s into out; returns the offset
 * after '>' (or 0 when there is none). */
static size_t
addr_copy(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, k;

	if (n == 0 || s[0] != '<') {
		return 0;
	}
	while (i < n && s[i] != '>') {
		i++;
	}
	if (i == n) {
		return 0;
	}
	k = i - 1 < outsz - 1 ? i - 1 : outsz - 1;
	memcpy(out, s + 1, k);
	out[k] = '\0';
	return i + 1;
}

/* Drop ')' at the end of f that close nothing inside it (the log's own
 * "status=bounced (...)" around the reply). */
static void
trim_parens(struct flat *f)
{
	long depth = 0;

	for (size_t i = 0; i < f->n; i++) {
		depth += f->b[i] == '(' ? 1 : f->b[i] == ')' ? -1 : 0;
	}
	while (f->n > 0 && (f->b[f->n - 1] == ')' || is_space((unsigned char)f->b[f->n - 1])) &&
	    depth < 0) {
		depth += f->b[f->n - 1] == ')' ? 1 : 0;
		f->n--;
	}
	f->b[f->n] = '\0';
}

/* Is this line, after the transcript prefixes, a reply line?  Returns
 * the offset where its code starts, or n. */
static size_t
reply_line(const struct line *l, int *code, char *sep)
{
	size_t i = skip_space(l->s, l->n, 0);
	static const char *const prefixes[] = {"S: ", "<<< ", "< "};

	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		if (starts_ci(l->s + i, l->n - i, prefixes[k])) {
			i = skip_space(l->s, l->n, i + strlen(prefixes[k]));
			break;
		}
	}
	*code = code_at(l->s + i, l->n - i, sep);
	return *code != 0 ? i : l->n;
}

/* After a marker whose reply continues on the lines below: append the
 * following lines that are reply lines (each starting with a code), up to
 * the last line of the reply.  *pos moves past what was taken. */
static void
take_reply_lines(const char *in, size_t len, size_t *pos, struct flat *f)
{
	struct line l;
	size_t at = *pos;
	int code, first = 0;
	char sep;

	for (size_t k = 0; k < BOUND_SCAN_LINES && line_next(in, len, &at, &l); k++) {
		size_t i = reply_line(&l, &code, &sep);

		if (i == l.n || (first != 0 && code != first)) {
			return;
		}
		first = code;
		flat_add(f, l.s + i, l.n - i);
		*pos = at;
		if (sep != '-') {
			return;
		}
	}
}

/* Does the reply begun in f go on below?  When f is empty, or its first
 * line is a continuation line ("550-") and its last line is not in it. */
static int
wants_more(const struct flat *f)
{
	size_t i = skip_space(f->b, f->n, 0);
	char sep, mark[16];
	int code;

	if (i == f->n) {
		return 1;
	}
	code = code_at(f->b + i, f->n - i, &sep);
	if (code == 0 || sep != '-') {
		return 0;
	}
	snprintf(mark, sizeof(mark), " %d ", code);
	return span_find(f->b, f->n, i, mark) == f->n;
}

/* After a Postfix "said:": the reply may be wrapped over indented lines
 * (a bounce's text) up to "(in reply to ... command)". */
static void
postfix_said(const char *in, size_t len, size_t *pos, const struct line *l, size_t at,
    enum smtp_cmd cmd, struct scan_result *out)
{
	struct flat f = {{0}, 0, 0};
	struct line next;
	size_t p = *pos, irt;

	at = skip_space(l->s, l->n, at);
	if (at < l->n) {
		flat_add(&f, l->s + at, l->n - at);
	}
	for (size_t k = 0; k < BOUND_SCAN_LINES && span_find(f.b, f.n, 0, "(in reply to ") == f.n &&
	     line_next(in, len, &p, &next);
	     k++) {
		if (next.n == 0 || !is_space((unsigned char)next.s[0]) || blank(&next)) {
			break;
		}
		flat_add(&f, next.s + skip_space(next.s, next.n, 0),
		    next.n - skip_space(next.s, next.n, 0));
		*pos = p;
	}
	irt = span_find(f.b, f.n, 0, "(in reply to ");
	if (irt < f.n) {
		cmd = cmd_named(f.b + irt + 13, f.n - irt - 13);
		f.n = irt;
		f.b[f.n] = '\0';
	}
	trim_parens(&f);
	(void)reply_add(f.b, f.n, f.cut, cmd, SCAN_POSTFIX, out);
}

/* Postfix smtpd's own log: "reject: RCPT from host[addr]: 550 ...;
 * from=<...> to=<...> proto=ESMTP helo=<...>".  Returns 1 when taken. */
static int
postfix_reject(const struct line *l, size_t at, struct scan_result *out)
{
	size_t i = at + 8, from, start, end;
	enum smtp_cmd cmd;

	cmd = cmd_named(l->s + i, l->n - i);
	if (starts_ci(l->s + i, l->n - i, "end-of-message")) {
		cmd = SMTP_DATA;
	}
	from = span_find(l->s, l->n, i, " from ");
	start = span_find(l->s, l->n, from, "]: ");
	if (from == l->n || start == l->n) {
		return 0;
	}
	start += 3;
	end = l->n;
	for (size_t k = start; k < l->n; k = span_find(l->s, l->n, k + 1, "; from=<")) {
		if (k > start && starts_ci(l->s + k, l->n - k, "; from=<")) {
			end = k;
		}
	}
	return reply_add(l->s + start, end - start, 0, cmd, SCAN_POSTFIX, out) != NULL;
}

/* Exim: "SMTP error from remote mail server after RCPT TO:<a>: 550 ..." */
static void
exim_after(const char *in, size_t len, size_t *pos, const struct line *l, size_t at,
    struct scan_result *out)
{
	struct flat f = {{0}, 0, 0};
	char rcpt[BOUND_ADDR] = "";
	size_t i = at, colon;
	enum smtp_cmd cmd;
	struct scan_reply *r;

	if (starts_ci(l->s + i, l->n - i, "pipelined ")) {
		i += 10;
	}
	cmd = cmd_named(l->s + i, l->n - i);
	colon = i;
	if (cmd == SMTP_RCPT || cmd == SMTP_MAIL) {
		size_t lt = span_find(l->s, l->n, i, "<");

		if (lt < l->n) {
			size_t k = addr_copy(l->s + lt, l->n - lt, rcpt, sizeof(rcpt));

			colon = k > 0 ? lt + k : lt;
		}
		if (cmd == SMTP_MAIL) {
			rcpt[0] = '\0';
		}
	}
	colon = span_find(l->s, l->n, colon, ":");
	if (colon == l->n) {
		return;
	}
	i = skip_space(l->s, l->n, colon + 1);
	if (i < l->n) {
		flat_add(&f, l->s + i, l->n - i);
	}
	if (wants_more(&f)) {
		take_reply_lines(in, len, pos, &f);
	}
	r = reply_add(f.b, f.n, f.cut, cmd, SCAN_EXIM, out);
	if (r != NULL) {
		memcpy(r->rcpt, rcpt, sizeof(rcpt));
	}
}

/* Exim 4.9x bounces: "SMTP error from remote server for RCPT TO command,
 * host: h (addr) reason: 550-5.1.1 ..." */
static void
exim_for(const char *in, size_t len, size_t *pos, const struct line *l, size_t at,
    struct scan_result *out)
{
	struct flat f = {{0}, 0, 0};
	size_t reason = span_find(l->s, l->n, at, "reason: ");
	enum smtp_cmd cmd = cmd_named(l->s + at, l->n - at);

	if (reason == l->n) {
		return;
	}
	flat_add(&f, l->s + reason + 8, l->n - reason - 8);
	if (wants_more(&f)) {
		take_reply_lines(in, len, pos, &f);
	}
	(void)reply_add(f.b, f.n, f.cut, cmd, SCAN_EXIM, out);
}

/* Exchange: "Remote Server returned '550 5.1.10 ...'" or "#550 5.1.1 ... ##". */
static int
exchange(const struct line *l, struct scan_result *out)
{
	size_t i = span_find(l->s, l->n, 0, "Remote Server returned '"), end;

	if (i < l->n) {
		i += 24;
		end = l->n;
		while (end > i && l->s[end - 1] != '\'') {
			end--;
		}
		if (end == i) {
			end = l->n;
		} else {
			end--;
		}
		return reply_add(l->s + i, end - i, 0, SMTP_ANY, SCAN_EXCHANGE, out) != NULL;
	}
	i = skip_space(l->s, l->n, 0);
	if (i + 1 < l->n && l->s[i] == '#' && is_digit(l->s[i + 1])) {
		end = span_find(l->s, l->n, i + 1, " ##");
		return reply_add(l->s + i + 1, end - i - 1, 0, SMTP_ANY, SCAN_EXCHANGE, out) !=
		    NULL;
	}
	return 0;
}

static void
line_scan(const char *in, size_t len, struct scan_result *out)
{
	size_t pos = 0, at;
	struct line l;

	while (line_next(in, len, &pos, &l)) {
		int code;
		char sep;

		if ((at = span_find(l.s, l.n, 0, "reject: ")) < l.n &&
		    postfix_reject(&l, at, out)) {
			continue;
		}
		if ((at = span_find(l.s, l.n, 0, " said:")) < l.n) {
			postfix_said(in, len, &pos, &l, at + 6, SMTP_ANY, out);
			continue;
		}
		if ((at = span_find(l.s, l.n, 0, "refused to talk to me:")) < l.n) {
			postfix_said(in, len, &pos, &l, at + 22, SMTP_GREETING, out);
			continue;
		}
		if ((at = span_find(l.s, l.n, 0, "SMTP error from remote mail server after ")) <
		    l.n) {
			exim_after(in, len, &pos, &l, at + 41, out);
			continue;
		}
		if ((at = span_find(l.s, l.n, 0, "SMTP error from remote server for ")) < l.n) {
			exim_for(in, len, &pos, &l, at + 34, out);
			continue;
		}
		if (exchange(&l, out)) {
			continue;
		}
		at = reply_line(&l, &code, &sep);
		if (at < l.n) {
			struct flat f = {{0}, 0, 0};

			flat_add(&f, l.s + at, l.n - at);
			if (wants_more(&f)) {
				take_reply_lines(in, len, &pos, &f);
			}
			(void)reply_add(f.b, f.n, f.cut, SMTP_ANY, SCAN_REPLY, out);
		}
	}
}

/* The value of a header field line after "Name:", trimmed, into out. */
static void
field_value(const struct line *l, size_t name_len, char *out, size_t outsz)
{
	size_t i = skip_space(l->s, l->n, name_len), end = l->n, k;

	while (end > i && is_space((unsigned char)l->s[end - 1])) {
		end--;
	}
	k = end - i < outsz - 1 ? end - i : outsz - 1;
	memcpy(out, l->s + i, k);
	out[k] = '\0';
}

struct dsn_part {
	struct flat diag;
	int have;
	char status[16];
	char rcpt[BOUND_ADDR];
};

static void
dsn_emit(struct dsn_part *p, struct scan_result *out)
{
	struct scan_reply *r;

	if (p->have) {
		r = reply_add(p->diag.b, p->diag.n, p->diag.cut, SMTP_ANY, SCAN_DSN, out);
		if (r != NULL) {
			char e[16];

			if (r->enh[0] == '\0' && enh_at(p->status, strlen(p->status), e) > 0) {
				memcpy(r->enh, e, sizeof(e));
			}
			memcpy(r->rcpt, p->rcpt, sizeof(p->rcpt));
		}
	}
	memset(p, 0, sizeof(*p));
}

/* The Diagnostic-Code fields of a bounce (RFC 3464 §2.3.6), each with its
 * recipient part's Status and Final-Recipient.  Returns 1 when the input
 * has any "smtp" one. */
static int
dsn_scan(const char *in, size_t len, struct scan_result *out)
{
	static struct dsn_part zero;
	struct dsn_part p = zero;
	size_t pos = 0;
	struct line l;
	int in_diag = 0, found = 0;

	while (line_next(in, len, &pos, &l)) {
		if (in_diag && l.n > 0 && is_space((unsigned char)l.s[0]) && !blank(&l)) {
			size_t i = skip_space(l.s, l.n, 0);

			flat_add(&p.diag, l.s + i, l.n - i);
			continue;
		}
		in_diag = 0;
		if (blank(&l)) {
			dsn_emit(&p, out);
		} else if (starts_ci(l.s, l.n, "Diagnostic-Code:")) {
			size_t i = skip_space(l.s, l.n, 16);

			if (starts_ci(l.s + i, l.n - i, "smtp;")) {
				if (p.have) {
					struct dsn_part keep = zero;

					memcpy(keep.status, p.status, sizeof(p.status));
					memcpy(keep.rcpt, p.rcpt, sizeof(p.rcpt));
					dsn_emit(&p, out);
					p = keep;
				}
				i = skip_space(l.s, l.n, i + 5);
				flat_add(&p.diag, l.s + i, l.n - i);
				p.have = 1;
				in_diag = 1;
				found = 1;
			}
		} else if (starts_ci(l.s, l.n, "Status:")) {
			field_value(&l, 7, p.status, sizeof(p.status));
		} else if (starts_ci(l.s, l.n, "Final-Recipient:")) {
			size_t semi = span_find(l.s, l.n, 16, ";");
			struct line v = {l.s + (semi < l.n ? semi + 1 : 16), 0};

			v.n = (size_t)(l.s + l.n - v.s);
			field_value(&v, 0, p.rcpt, sizeof(p.rcpt));
		}
	}
	dsn_emit(&p, out);
	return found;
}

void
replyscan(const char *in, size_t len, struct scan_result *out)
{
	out->n = 0;
	out->dropped = 0;
	if (!dsn_scan(in, len, out)) {
		line_scan(in, len, out);
	}
}

const char *
replyscan_origin_name(enum scan_origin o)
{
	switch (o) {
	case SCAN_POSTFIX:
		return N_("Postfix log");
	case SCAN_EXIM:
		return N_("Exim log");
	case SCAN_EXCHANGE:
		return N_("Exchange report");
	case SCAN_DSN:
		return N_("delivery status notification");
	case SCAN_REPLY:
	default:
		return N_("pasted reply");
	}
}

const char *
replyscan_origin_id(enum scan_origin o)
{
	switch (o) {
	case SCAN_POSTFIX:
		return "postfix-log";
	case SCAN_EXIM:
		return "exim-log";
	case SCAN_EXCHANGE:
		return "exchange-report";
	case SCAN_DSN:
		return "dsn";
	case SCAN_REPLY:
	default:
		return "reply";
	}
}
