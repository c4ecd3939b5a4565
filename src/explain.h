/* explain.h - the model behind `smtprobe explain`: codes as the user
 * typed them, parsed strictly and resolved against the catalogue.  Pure:
 * no I/O.
 */
#ifndef SMTPROBE_EXPLAIN_H
#define SMTPROBE_EXPLAIN_H

#include <stddef.h>

#include "catalog.h"
#include "fault.h"
#include "smtp.h"

struct explain_code {
	char input[64];              /* as typed (cut to fit) */
	int basic;                   /* 200..599, or 0 when only an enhanced code was given */
	char enh[16];                /* "5.7.8", or "" */
	enum smtp_cmd after;         /* SMTP_ANY unless --after */
	int class_mismatch;          /* the basic and the enhanced class differ */
	const struct cat_reply *row; /* the basic code's row for this context; NULL: not defined */
	const struct cat_enh *enh_detail; /* NULL: not registered */
	const struct cat_enh *enh_subject;
	const struct cat_enh *enh_class;
	struct catalog_hit line; /* the one-line explanation in context */
};

/* Parse one argument: "504", "5.7.8", or "535 5.7.8" (a basic and an
 * enhanced code separated by spaces).  Returns 0, or -1 with f->msg
 * saying what is wrong with it. */
int explain_parse(const char *s, struct explain_code *c, struct fault *f);

/* Parse the arguments of `explain` into one or two codes: one argument,
 * or two (a basic code followed by an enhanced code is taken as one reply,
 * "535 5.7.8"; anything else as two codes to compare).  Resolves each
 * against the catalogue in the context after.  Returns 0 with *n set,
 * or -1 with f filled. */
int explain_args(int argc, char *const *argv, enum smtp_cmd after, struct explain_code out[2],
    size_t *n, struct fault *f);

/* A reply found in pasted text: code 200..599 and enhanced code enh ("" or
 * NULL for none), already checked, resolved against the catalogue in the
 * context after. */
void explain_reply(int code, const char *enh, enum smtp_cmd after, struct explain_code *c);

/* The class digit of a code (2..5), from the basic or the enhanced code. */
int explain_class(const struct explain_code *c);

#endif
