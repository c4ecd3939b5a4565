/* tw.c - display widths and word wrap; see tw.h. */
#include <config.h>

#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "tw.h"

/* Decode one character at s (n bytes left): its length in bytes, its width
 * in columns, and whether it is a wide (CJK) character a line may break
 * before or after. */
static size_t
tw_char(const char *s, size_t n, int *cols, bool *wide)
{
	mbstate_t st;
	wchar_t wc;
	size_t len;
	int w;

	*wide = false;
	if (!i18n_utf8() || (unsigned char)*s < 0x80) {
		*cols = 1;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	len = mbrtowc(&wc, s, n, &st);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	*wide = w == 2;
	return len;
}

int
tw_width(const char *s)
{
	size_t n = strlen(s);
	int total = 0;

	while (n > 0) {
		int cols;
		bool wide;
		size_t len = tw_char(s, n, &cols, &wide);

		total += cols;
		s += len;
		n -= len;
	}
	return total;
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

/* The next unit of text at p: a run of narrow non-space characters, or one
 * wide character (lines may break between wide characters).  Returns its
 * length in bytes; *cols its width; *wide whether it was a wide one. */
static size_t
tw_unit(const char *p, int *cols, bool *wide)
{
	size_t n = strlen(p), used = 0;

	*cols = 0;
	*wide = false;
	while (used < n && p[used] != ' ') {
		int c;
		bool w;
		size_t len = tw_char(p + used, n - used, &c, &w);

		if (w) {
			if (used == 0) {
				*cols = c;
				*wide = true;
				return len;
			}
			break;
		}
		*cols += c;
		used += len;
	}
	return used;
}

void
tw_wrap(FILE *out, int indent, const char *label, int label_w, const char *text, int max_w)
{
	int start = indent + label_w, col;
	bool prev_wide = false, first = true;
	const char *p = text;

	fprintf(out, "%*s", indent, "");
	tw_pad(out, label, label_w);
	/* A label wider than its column pushes the text along, after a space. */
	col = indent + tw_width(label);
	if (col < start) {
		col = start;
	}
	while (*p != '\0') {
		bool space = false, wide;
		int w;
		size_t len;

		while (*p == ' ') {
			space = true;
			p++;
		}
		if (*p == '\0') {
			break;
		}
		len = tw_unit(p, &w, &wide);
		if (first) {
			space = col > start;
		}
		if (space) {
			/* Between words: a space, or a new line. */
			if (col > start && col + 1 + w > max_w) {
				fprintf(out, "\n%*s", start, "");
				col = start;
			} else {
				fputc(' ', out);
				col++;
			}
		} else if (!first && (wide || prev_wide) && col > start && col + w > max_w) {
			/* Next to a wide character a line may break without a space. */
			fprintf(out, "\n%*s", start, "");
			col = start;
		}
		fwrite(p, 1, len, out);
		col += w;
		p += len;
		prev_wide = wide;
		first = false;
	}
	fputc('\n', out);
}
