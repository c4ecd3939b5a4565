#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "i18n.h"
#include "reply.h"
#include "smtp.h"

static const struct reply_flag_info reply_flag_table[] = {
    {REPLY_F_BARE_LF, "bare-lf", N_("bare LF line ends")},
    {REPLY_F_LONG_LINE, "long-line", N_("line over 512 octets")},
    {REPLY_F_CODE_MISMATCH, "code-mismatch", N_("codes differ between lines")},
    {REPLY_F_NONSTD_CODE, "nonstandard-code", N_("non-standard code")},
    {REPLY_F_NUL, "nul", N_("NUL bytes")},
    {REPLY_F_CTRL, "control-bytes", N_("control bytes")},
    {REPLY_F_ENH_MISMATCH, "enhanced-mismatch", N_("enhanced code class differs")},
    {REPLY_F_ENH_VARIES, "enhanced-varies", N_("enhanced code differs between lines")},
    {REPLY_F_NO_TEXT, "no-text", N_("no text")},
    {REPLY_F_8BIT, "8bit", N_("8-bit text")},
    {REPLY_F_TRUNCATED, "truncated", N_("too large: not all kept")},
};

const struct reply_flag_info *
reply_flags(size_t *n)
{
	*n = sizeof(reply_flag_table) / sizeof(reply_flag_table[0]);
	return reply_flag_table;
}

void
reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
}

void
reply_free(struct reply *r)
{
	for (size_t i = 0; i < r->nlines; i++) {
		free(r->lines[i].text);
	}
	free(r->lines);
	reply_init(r);
}

size_t
reply_parse_enhanced(const char *text, size_t len, char out[16])
{
	struct smtp_enh e;
	size_t n = smtp_enh_at(text, len, &e);

	if (n == 0 || (n < len && text[n] != ' ')) {
		return 0;
	}
	memcpy(out, text, n);
	out[n] = '\0';
	return n;
}

const char *
reply_text(const struct reply *r, size_t i, size_t *len)
{
	const struct reply_line *l = &r->lines[i];

	if (l->len <= 4) {
		*len = 0;
		return l->text + l->len;
	}
	*len = l->len - 4;
	return l->text + 4;
}

void
reply_keep_raw(struct reply *r, const char *line, size_t len)
{
	r->rawlen = len < sizeof(r->raw) ? len : sizeof(r->raw);
	memcpy(r->raw, line, r->rawlen);
	r->rawtotal = len;
}

static enum reply_status
reply_fail(struct reply *r, const char *why)
{
	r->error = why;
	return REPLY_BAD;
}

/* A line that cannot belong to the reply: keep its start for the record. */
static enum reply_status
reply_fail_line(struct reply *r, const char *why, const char *line, size_t len)
{
	reply_keep_raw(r, line, len);
	return reply_fail(r, why);
}

/* qmail and programs written after it give the enhanced code at the end
 * of the text, as "(#5.7.1)" (qmail-smtpd.c); RFC 2034 puts it first.
 * Taken from the last line only when the reply had none at the start. */
static void
reply_enh_in_text(struct reply *r, const char *t, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++) {
		const char *close;
		char code[16], enh[16];
		size_t n;

		if (t[i] != '(' || t[i + 1] != '#') {
			continue;
		}
		close = memchr(t + i + 2, ')', len - i - 2);
		n = close ? (size_t)(close - (t + i + 2)) : 0;
		if (n == 0 || n >= sizeof(code)) {
			continue;
		}
		memcpy(code, t + i + 2, n);
		code[n] = '\0';
		if (reply_parse_enhanced(code, n, enh) == n) {
			memcpy(r->enh, enh, sizeof(enh));
			r->enh_in_text = 1;
			if (enh[0] != (char)('0' + r->code / 100)) {
				r->flags |= REPLY_F_ENH_MISMATCH;
			}
			return;
		}
	}
}

static void
reply_scan_text(struct reply *r, const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '\0') {
			r->flags |= REPLY_F_NUL;
		} else if (c < 0x20 && c != '\t') {
			r->flags |= REPLY_F_CTRL;
		} else if (c == 0x7F) {
			r->flags |= REPLY_F_CTRL;
		} else if (c > 0x7F) {
			r->flags |= REPLY_F_8BIT;
		}
	}
}

enum reply_status
reply_add_line(struct reply *r, const char *line, size_t len, int crlf)
{
	return reply_add_line_full(r, line, len, len, crlf);
}

enum reply_status
reply_add_line_full(struct reply *r, const char *line, size_t len, size_t full, int crlf)
{
	int code, last;
	char enh[16];
	char *copy;

	if (r->complete || r->error != NULL) {
		return reply_fail(r, _("line fed after the end of the reply"));
	}
	if (full < len) {
		full = len;
	}
	if (len > BOUND_LINE_ACCEPT) {
		len = BOUND_LINE_ACCEPT;
	}
	if (full > r->longest) {
		r->longest = full;
	}
	if (full > len) {
		r->flags |= REPLY_F_TRUNCATED | REPLY_F_LONG_LINE;
		r->dropped_bytes += full - len;
	}
	code = smtp_code_at(line, len);
	if (code == 0) {
		return reply_fail_line(
		    r, _("line does not start with a three-digit reply code"), line, len);
	}
	if (code < 0) {
		return reply_fail_line(r, _("reply code outside 200-599"), line, len);
	}
	if (len > 3 && line[3] != ' ' && line[3] != '-') {
		return reply_fail_line(r,
		    _("reply code not followed by a space, a hyphen or the line end"), line, len);
	}
	last = len == 3 || line[3] == ' ';
	if (r->nlines >= BOUND_REPLY_LINES || r->bytes + len + 2 > BOUND_REPLY_BYTES) {
		/* Past the bounds: checked and counted, not kept. */
		r->flags |= REPLY_F_TRUNCATED;
		r->dropped_lines++;
		r->dropped_bytes += len + (crlf ? 2 : 1);
		if (code != r->code && r->code != 0) {
			r->flags |= REPLY_F_CODE_MISMATCH;
		}
		if (last) {
			r->complete = 1;
			return REPLY_DONE;
		}
		return REPLY_MORE;
	}

	if (r->nlines == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 8;
		struct reply_line *nl;

		if (ncap > BOUND_REPLY_LINES) {
			ncap = BOUND_REPLY_LINES;
		}
		nl = realloc(r->lines, ncap * sizeof(*nl));
		if (nl == NULL) {
			return reply_fail(r, _("out of memory"));
		}
		r->lines = nl;
		r->cap = ncap;
	}
	copy = malloc(len + 1);
	if (copy == NULL) {
		return reply_fail(r, _("out of memory"));
	}
	memcpy(copy, line, len);
	copy[len] = '\0';
	r->lines[r->nlines].text = copy;
	r->lines[r->nlines].len = len;
	r->nlines++;
	r->bytes += len + (crlf ? 2 : 1);

	if (!crlf) {
		r->flags |= REPLY_F_BARE_LF;
	}
	if (full + 2 > BOUND_LINE_RFC) {
		r->flags |= REPLY_F_LONG_LINE;
	}
	if (line[1] > '5') {
		r->flags |= REPLY_F_NONSTD_CODE;
	}
	if (r->code == 0) {
		r->code = code;
	} else if (code != r->code) {
		r->flags |= REPLY_F_CODE_MISMATCH;
	}
	if (len > 4) {
		reply_scan_text(r, line + 4, len - 4);
		if (reply_parse_enhanced(line + 4, len - 4, enh) > 0) {
			if (r->enh[0] == '\0' && r->nlines == 1) {
				memcpy(r->enh, enh, sizeof(enh));
				if (enh[0] != line[0]) {
					r->flags |= REPLY_F_ENH_MISMATCH;
				}
			} else if (strcmp(r->enh, enh) != 0) {
				r->flags |= REPLY_F_ENH_VARIES;
			}
		}
	}
	if (last && r->enh[0] == '\0' && len > 4) {
		reply_enh_in_text(r, line + 4, len - 4);
	}
	if (last) {
		r->complete = 1;
		if (len <= 4) {
			r->flags |= REPLY_F_NO_TEXT;
		}
		return REPLY_DONE;
	}
	return REPLY_MORE;
}

enum reply_status
reply_parse(struct reply *r, const char *buf, size_t len)
{
	enum reply_status st = REPLY_MORE;
	size_t i = 0;

	while (i < len && st == REPLY_MORE) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t llen = end - i;
		int crlf = 0;

		if (nl == NULL) {
			r->error = _("reply ended without a line end");
			return REPLY_BAD;
		}
		if (llen > 0 && buf[end - 1] == '\r') {
			crlf = 1;
			llen--;
		}
		st = reply_add_line(r, buf + i, llen, crlf);
		i = end + 1;
	}
	return st;
}
