/* render_explain.h - write the model of `smtprobe explain` out. */
#ifndef SMTPROBE_RENDER_EXPLAIN_H
#define SMTPROBE_RENDER_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

#include "explain.h"
#include "replyscan.h"

/* One code explained, or two compared (n is 1 or 2). */
void render_explain_text(FILE *out, const struct explain_code *c, size_t n);

/* The same as one JSON document (schema "smtprobe-explain/1").  Returns
 * 0, or -1 when writing failed. */
int render_explain_json(FILE *out, const struct explain_code *c, size_t n);

/* Replies found in pasted text, a log or a bounce: each with the known
 * server text it matches (cause and fix), then the catalogue's
 * explanation of its codes.  input_cut: the input was longer than
 * BOUND_EXPLAIN_INPUT and only its start was read. */
void render_explain_replies_text(FILE *out, const struct scan_result *res, int input_cut);

int render_explain_replies_json(FILE *out, const struct scan_result *res, int input_cut);

#endif
