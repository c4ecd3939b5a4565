#include <config.h>

#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "i18n.h"
#include "smtp.h"

/* A basic reply code, the whole token: three digits, 200 to 599. */
static int
explain_basic(const char *s, size_t len, int *code)
{
	int c = len == 3 ? smtp_code_at(s, len) : 0;

	if (c <= 0) {
		return -1;
	}
	*code = c;
	return 0;
}

/* An enhanced status code, the whole token, written without leading zeros. */
static int
explain_enh(const char *s, size_t len, char out[16])
{
	struct smtp_enh e;

	if (len == 0 || smtp_enh_at(s, len, &e) != len) {
		return -1;
	}
	smtp_enh_format(&e, out);
	return 0;
}

/* Suggestions for a mistyped code: at most this many are offered. */
#define EXPLAIN_MAX_SUGGEST 6

/* Whether code is a basic code the catalogue defines. */
static int
explain_known(int code)
{
	return catalog_reply(code, SMTP_ANY) != NULL;
}

/* A letter typed for the digit it looks like ("5O4", "55l"); -1 for none. */
static int
explain_lookalike(char ch)
{
	switch (ch) {
	case 'O':
	case 'o':
	case 'Q':
	case 'D':
		return 0;
	case 'l':
	case 'I':
	case 'i':
	case '|':
		return 1;
	case 'Z':
	case 'z':
		return 2;
	case 'S':
	case 's':
		return 5;
	case 'B':
		return 8;
	default:
		return ch >= '0' && ch <= '9' ? ch - '0' : -1;
	}
}

/* Add code to the suggestions once. */
static void
explain_offer(int *got, size_t *n, int code)
{
	for (size_t i = 0; i < *n; i++) {
		if (got[i] == code) {
			return;
		}
	}
	if (*n < EXPLAIN_MAX_SUGGEST && explain_known(code)) {
		got[(*n)++] = code;
	}
}

/* Known codes that s (a token of len bytes) may have been meant as: the
 * same with look-alike letters read as digits; else those one edit away
 * (a digit added at the end first, as when a code was cut short, then one
 * added elsewhere, changed, dropped, or two swapped).  Returns how many. */
static size_t
explain_suggest(const char *s, size_t len, int *got)
{
	int d[4];
	size_t n = 0, nd = 0;

	if (len == 0 || len > 4) {
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if ((d[nd++] = explain_lookalike(s[i])) < 0) {
			return 0;
		}
	}
	if (nd == 3) {
		explain_offer(got, &n, d[0] * 100 + d[1] * 10 + d[2]);
		if (n > 0) {
			return n;
		}
	}
	if (nd == 2) {
		for (int x = 0; x <= 9; x++) {
			explain_offer(got, &n, d[0] * 100 + d[1] * 10 + x);
		}
		for (int x = 0; x <= 9; x++) {
			explain_offer(got, &n, x * 100 + d[0] * 10 + d[1]);
			explain_offer(got, &n, d[0] * 100 + x * 10 + d[1]);
		}
	} else if (nd == 3) {
		for (int pos = 0; pos < 3; pos++) {
			for (int x = 0; x <= 9; x++) {
				int e[3] = {d[0], d[1], d[2]};

				e[pos] = x;
				explain_offer(got, &n, e[0] * 100 + e[1] * 10 + e[2]);
			}
		}
		explain_offer(got, &n, d[1] * 100 + d[0] * 10 + d[2]);
		explain_offer(got, &n, d[0] * 100 + d[2] * 10 + d[1]);
	} else if (nd == 4) {
		for (int drop = 0; drop < 4; drop++) {
			int e[3], k = 0;

			for (int i = 0; i < 4; i++) {
				if (i != drop) {
					e[k++] = d[i];
				}
			}
			explain_offer(got, &n, e[0] * 100 + e[1] * 10 + e[2]);
		}
	}
	return n;
}

static int
explain_bad(struct fault *f, const char *s)
{
	const char *tok = s;
	size_t len;
	int got[EXPLAIN_MAX_SUGGEST];
	size_t n;

	while (*tok == ' ' || *tok == '\t') {
		tok++;
	}
	len = strcspn(tok, " \t");
	n = tok[len + strspn(tok + len, " \t")] == '\0' ? explain_suggest(tok, len, got) : 0;
	if (n == 1) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("'%.40s' is not a reply code: did you mean %d?"), s, got[0]);
	}
	if (n > 1) {
		char list[EXPLAIN_MAX_SUGGEST * 5] = "";

		for (size_t i = 0; i < n; i++) {
			size_t used = strlen(list);

			snprintf(list + used, sizeof(list) - used, "%s%d", i ? ", " : "", got[i]);
		}
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("'%.40s' is not a reply code: did you mean one of %s?"), s, list);
	}
	return fault_set(f, FAULT_PROTOCOL, 0,
	    _("'%.40s' is not a reply code: give a basic code (three digits, 200 to 599, "
	      "such as 504), an enhanced status code (class.subject.detail with class 2, 4 or 5, "
	      "such as 5.7.8), or both ('535 5.7.8')"),
	    s);
}

static void
explain_resolve(struct explain_code *c, enum smtp_cmd after)
{
	int ec = c->enh[0] ? c->enh[0] - '0' : 0;

	c->after = after;
	c->class_mismatch = c->basic != 0 && ec != 0 && c->basic / 100 != ec;
	c->row = c->basic ? catalog_reply(c->basic, after) : NULL;
	c->enh_detail = catalog_enh_detail(c->enh);
	c->enh_subject = catalog_enh_subject(c->enh);
	c->enh_class = catalog_enh_class(c->enh);
	if (c->basic) {
		c->line = catalog_explain(c->basic, c->enh, after);
	}
}

int
explain_parse(const char *s, struct explain_code *c, struct fault *f)
{
	const char *p = s, *tok[3];
	size_t len[3], n = 0;

	memset(c, 0, sizeof(*c));
	snprintf(c->input, sizeof(c->input), "%s", s);
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (*p == '\0') {
			break;
		}
		if (n == 2) {
			return explain_bad(f, s);
		}
		tok[n] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			p++;
		}
		len[n] = (size_t)(p - tok[n]);
		n++;
	}
	if (n == 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("an empty argument is not a reply code"));
	}
	if (n == 1) {
		if (explain_basic(tok[0], len[0], &c->basic) == 0 ||
		    explain_enh(tok[0], len[0], c->enh) == 0) {
			return 0;
		}
		return explain_bad(f, s);
	}
	if (explain_basic(tok[0], len[0], &c->basic) != 0 ||
	    explain_enh(tok[1], len[1], c->enh) != 0) {
		return explain_bad(f, s);
	}
	return 0;
}

int
explain_class(const struct explain_code *c)
{
	return c->basic ? c->basic / 100 : c->enh[0] - '0';
}

int
explain_args(int argc, char *const *argv, enum smtp_cmd after, struct explain_code out[2],
    size_t *n, struct fault *f)
{
	if (argc < 1) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("explain needs a code, such as 'explain 504'"));
	}
	if (argc > 2) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("explain takes one code, or two to compare (got %d arguments)"), argc);
	}
	if (explain_parse(argv[0], &out[0], f) != 0) {
		return -1;
	}
	*n = 1;
	if (argc == 2) {
		struct explain_code second;

		if (explain_parse(argv[1], &second, f) != 0) {
			return -1;
		}
		if (out[0].enh[0] == '\0' && second.basic == 0 && out[0].basic != 0) {
			/* "explain 535 5.7.8" without quotes: one reply. */
			memcpy(out[0].enh, second.enh, sizeof(out[0].enh));
			snprintf(
			    out[0].input, sizeof(out[0].input), "%d %s", out[0].basic, out[0].enh);
		} else {
			out[1] = second;
			*n = 2;
		}
	}
	for (size_t i = 0; i < *n; i++) {
		explain_resolve(&out[i], after);
	}
	return 0;
}

void
explain_reply(int code, const char *enh, enum smtp_cmd after, struct explain_code *c)
{
	memset(c, 0, sizeof(*c));
	c->basic = code;
	if (enh != NULL) {
		snprintf(c->enh, sizeof(c->enh), "%s", enh);
	}
	if (c->enh[0] != '\0') {
		snprintf(c->input, sizeof(c->input), "%d %s", code, c->enh);
	} else {
		snprintf(c->input, sizeof(c->input), "%d", code);
	}
	explain_resolve(c, after);
}
