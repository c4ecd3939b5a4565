/* tw.c - display widths and word wrap; see tw.h. */
#include <config.h>

#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "tw.h"

/* Decode one character at s (n bytes left): its length in bytes, its width
 * in columns, its code point (0 when it is not valid UTF-8), and whether it
 * is a wide (CJK) character a line may break before or after. */
static size_t
tw_char(const char *s, size_t n, int *cols, bool *wide, wchar_t *cp)
{
	mbstate_t st;
	wchar_t wc;
	size_t len;
	int w;

	*wide = false;
	*cp = (unsigned char)*s;
	if (!i18n_utf8() || (unsigned char)*s < 0x80) {
		*cols = 1;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	len = mbrtowc(&wc, s, n, &st);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*cols = 1;
		*cp = 0;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	*wide = w == 2;
	*cp = wc;
	return len;
}

/* Columns the first n bytes of s take. */
static int
tw_width_n(const char *s, size_t n)
{
	int total = 0;

	while (n > 0) {
		int cols;
		bool wide;
		wchar_t cp;
		size_t len = tw_char(s, n, &cols, &wide, &cp);

		total += cols;
		s += len;
		n -= len;
	}
	return total;
}

int
tw_width(const char *s)
{
	return tw_width_n(s, strlen(s));
}

void
tw_pad(FILE *out, const char *s, int width)
{
	int w = tw_width(s);

	fputs(s, out);
	for (; w < width; w++) {
		fputc(' ', out);
	}
}

/* Characters a line must not start with: closing brackets and quotes,
 * and the pause and stop marks (GB/T 15834; the same rule as Japanese
 * kinsoku). */
static bool
tw_no_start(wchar_t c)
{
	static const wchar_t set[] = L"。，、；：？！）」』】〕〗〉》”’…—～·％．｝］";

	return c != 0 && wcschr(set, c) != NULL;
}

/* Characters a line must not end with: opening brackets and quotes. */
static bool
tw_no_end(wchar_t c)
{
	static const wchar_t set[] = L"（「『【〔〖〈《“‘｛［";

	return c != 0 && wcschr(set, c) != NULL;
}

int
tw_label_width(const char *label)
{
	size_t n = strlen(label);
	bool last_wide = false;
	wchar_t cp = 0;
	const char *s = label;

	while (n > 0) {
		int cols;
		size_t len = tw_char(s, n, &cols, &last_wide, &cp);

		s += len;
		n -= len;
	}
	return tw_width(label) + (label[0] != '\0' && !(last_wide && tw_no_start(cp)) ? 1 : 0);
}

/* The next unit of text at p: a run of narrow non-space characters, or one
 * wide character (lines may break between wide characters).  Returns its
 * length in bytes; *cols its width; *wide whether it was a wide one, and
 * *cp its code point then. */
static size_t
tw_unit(const char *p, int *cols, bool *wide, wchar_t *cp)
{
	size_t n = strlen(p), used = 0;

	*cols = 0;
	*wide = false;
	*cp = 0;
	while (used < n && p[used] != ' ') {
		int c;
		bool w;
		wchar_t ch;
		size_t len = tw_char(p + used, n - used, &c, &w, &ch);

		if (w) {
			if (used == 0) {
				*cols = c;
				*wide = true;
				*cp = ch;
				return len;
			}
			break;
		}
		*cols += c;
		used += len;
	}
	return used;
}

/* The bytes of the narrow run at p (len bytes) that fit width columns;
 * at least one character. */
static size_t
tw_cut(const char *p, size_t len, int width)
{
	size_t used = 0;
	int col = 0;

	while (used < len) {
		int c;
		bool w;
		wchar_t ch;
		size_t l = tw_char(p + used, len - used, &c, &w, &ch);

		if (used > 0 && col + c > width) {
			break;
		}
		col += c;
		used += l;
	}
	return used;
}

size_t
tw_line(const char *s, int width, const char **next)
{
	const char *q = s, *end = s, *brk_end = NULL, *brk_next = NULL;
	bool first = true, prev_wide = false, prev_no_end = false;
	int col = 0;

	while (*q != '\0') {
		const char *u = q;
		bool space = false, wide, can_break;
		wchar_t cp;
		int w, add;
		size_t len;

		while (*u == ' ') {
			space = true;
			u++;
		}
		if (*u == '\0') {
			break;
		}
		len = tw_unit(u, &w, &wide, &cp);
		if (first && !wide && w > width) {
			/* A word wider than the line: cut it. */
			len = tw_cut(u, len, width);
			*next = u + len;
			return len;
		}
		/* A break may come at a space, or next to a wide character,
		 * but not before a closing mark nor after an opening one. */
		can_break = !first &&
		    (space || ((wide || prev_wide) && !tw_no_start(wide ? cp : 0) && !prev_no_end));
		add = w + (space && !first ? 1 : 0);
		if (!first && col + add > width) {
			if (can_break) {
				*next = u;
				return (size_t)(end - s);
			}
			if (brk_end != NULL) {
				*next = brk_next;
				return (size_t)(brk_end - s);
			}
			/* No place to break: the line runs over rather than
			 * losing text. */
		}
		if (can_break) {
			brk_end = end;
			brk_next = u;
		}
		col += add;
		end = u + len;
		q = end;
		prev_wide = wide;
		prev_no_end = wide && tw_no_end(cp);
		first = false;
	}
	while (*q == ' ') {
		q++;
	}
	*next = q;
	return (size_t)(end - s);
}

/* Print indent spaces and the label padded to label_w columns; a label
 * too wide for its column gets a line of its own.  Returns the column
 * the text starts at. */
static int
tw_label(FILE *out, int indent, const char *label, int label_w)
{
	fprintf(out, "%*s", indent, "");
	if (label[0] != '\0' && tw_label_width(label) > label_w) {
		fprintf(out, "%s\n%*s", label, indent + label_w, "");
	} else {
		tw_pad(out, label, label_w);
	}
	return indent + label_w;
}

static const char *
tw_skip(const char *s)
{
	while (*s == ' ') {
		s++;
	}
	return s;
}

void
tw_wrap(FILE *out, int indent, const char *label, int label_w, const char *text, int max_w)
{
	int start = tw_label(out, indent, label, label_w);
	const char *p = tw_skip(text);
	bool first = true;

	while (*p != '\0') {
		const char *next;
		size_t len = tw_line(p, max_w - start, &next);

		if (!first) {
			fprintf(out, "\n%*s", start, "");
		}
		fwrite(p, 1, len, out);
		p = next;
		first = false;
	}
	fputc('\n', out);
}

void
tw_columns(
    FILE *out, int indent, const char *label, int label_w, const char *a, const char *b, int col_w)
{
	int start = tw_label(out, indent, label, label_w);
	const char *p[2] = {tw_skip(a), tw_skip(b)};
	bool first = true;

	while (first || *p[0] != '\0' || *p[1] != '\0') {
		const char *next;
		size_t len;

		if (!first) {
			fprintf(out, "%*s", start, "");
		}
		len = tw_line(p[0], col_w, &next);
		if (*p[1] != '\0') {
			fwrite(p[0], 1, len, out);
			for (int w = tw_width_n(p[0], len); w < col_w + 2; w++) {
				fputc(' ', out);
			}
			p[0] = next;
			len = tw_line(p[1], col_w, &next);
			fwrite(p[1], 1, len, out);
			p[1] = next;
		} else {
			fwrite(p[0], 1, len, out);
			p[0] = next;
		}
		fputc('\n', out);
		first = false;
	}
}
