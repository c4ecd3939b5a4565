/* render_explain.h - write the model of `smtprobe explain` out. */
#ifndef SMTPROBE_RENDER_EXPLAIN_H
#define SMTPROBE_RENDER_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

#include "explain.h"

/* One code explained, or two compared (n is 1 or 2). */
void render_explain_text(FILE *out, const struct explain_code *c, size_t n);

/* The same as one JSON document (schema "smtprobe-explain/1").  Returns
 * 0, or -1 when writing failed. */
int render_explain_json(FILE *out, const struct explain_code *c, size_t n);

#endif
