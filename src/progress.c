/* progress.c - the fleet's progress line.  See progress.h. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "progress.h"
#include "tw.h"

void
progress_format(char *buf, size_t size, const struct progress_state *s, int width)
{
	char head[256], tail[320];
	int room;

	snprintf(head, sizeof(head), _("%zu/%zu done: OK %zu, WARNING %zu, CRITICAL %zu"), s->done,
	    s->total, s->ok, s->warning, s->critical);
	if (s->unknown > 0) {
		size_t len = strlen(head);

		snprintf(head + len, sizeof(head) - len, _(", UNKNOWN %zu"), s->unknown);
	}
	if (tw_width(head) > width) {
		/* A translation too wide for the line: the counts alone. */
		snprintf(head, sizeof(head), "%zu/%zu", s->done, s->total);
	}
	snprintf(buf, size, "%s", head);
	if (s->slowest == NULL) {
		return;
	}
	snprintf(tail, sizeof(tail), _("; slowest %s (%lld s)"), "%s",
	    (long long)(s->slowest_ms / 1000));
	/* tail holds "%s" where the target goes: fit the target into what
	 * the line has left, keeping its end (the port, the domain). */
	room = width - tw_width(head) - (tw_width(tail) - 2);
	if (room >= 8) {
		const char *t = s->slowest;
		char cut[300];
		char *at = strstr(tail, "%s");

		if (tw_width(t) > room) {
			/* Drop whole characters from the left until it fits. */
			while (*t != '\0' && tw_width(t) > room - 3) {
				t++;
				while (((unsigned char)*t & 0xC0) == 0x80) {
					t++;
				}
			}
			snprintf(cut, sizeof(cut), "...%s", t);
			t = cut;
		}
		if (at != NULL) {
			size_t used = strlen(buf);

			snprintf(
			    buf + used, size - used, "%.*s%s%s", (int)(at - tail), tail, t, at + 2);
		}
	}
}

void
progress_draw(FILE *out, const char *line, int *shown)
{
	int w = tw_width(line);

	fprintf(out, "\r%s", line);
	for (int i = w; i < *shown; i++) {
		fputc(' ', out);
	}
	if (w < *shown) {
		fputc('\r', out);
		fputs(line, out);
	}
	*shown = w;
	fflush(out);
}

void
progress_clear(FILE *out, int *shown)
{
	if (*shown == 0) {
		return;
	}
	fputc('\r', out);
	for (int i = 0; i < *shown; i++) {
		fputc(' ', out);
	}
	fputc('\r', out);
	fflush(out);
	*shown = 0;
}
