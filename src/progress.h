/* progress.h - the one-line progress of a fleet on a terminal's stderr:
 * done/total, the verdicts so far, and the slowest probe in flight.
 */
#ifndef SMTPROBE_PROGRESS_H
#define SMTPROBE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Columns the line may take: one less than a classic 80-column terminal,
 * so that the cursor never wraps to the next line. */
#define PROGRESS_COLUMNS 79

struct progress_state {
	size_t done, total;
	size_t ok, warning, critical, unknown;
	const char *slowest; /* the target in flight longest, or NULL */
	int64_t slowest_ms;  /* how long it has run */
};

/* Write the line into buf (NUL-terminated, at most width columns of
 * text; a long target name is cut from the left with "..."). */
void progress_format(char *buf, size_t size, const struct progress_state *s, int width);

/* Draw the line over the previous one (\r, then spaces over what is
 * left of it); *shown holds the width drawn last, 0 when nothing. */
void progress_draw(FILE *out, const char *line, int *shown);

/* Clear what progress_draw left, and put the cursor back at the start. */
void progress_clear(FILE *out, int *shown);

#endif
