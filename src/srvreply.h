/* srvreply.h - the reply texts of real servers (data/server-replies.tsv)
 * and the matcher that finds the row a reply came from.
 *
 * Pure: no I/O, no allocation.  A pattern is matched against the reply's
 * text (the words after the basic and the enhanced code, continuation
 * lines joined by one space) as a small glob: '*' stands for any run of
 * characters (none included), every other character stands for itself,
 * compared without regard to ASCII case; the pattern covers the whole
 * text.  There is no escape, no '?', no class: matching takes time linear
 * in the text for a given pattern (each literal run is looked for once,
 * left to right), so hostile text cannot make it slow.
 */
#ifndef SMTPROBE_SRVREPLY_H
#define SMTPROBE_SRVREPLY_H

#include <stddef.h>

#include "smtp.h"

struct srv_row {
	const char *server;  /* "Postfix", "Exim", "Gmail" ... */
	enum smtp_cmd cmd;   /* the command it answers; SMTP_ANY for any */
	const char *pattern; /* the glob above */
	const char *code;    /* "550", or with x for any digit: "5xx" */
	const char *enh;     /* "5.1.1", "x.1.1" (any class), or "-" (any or none) */
	const char *cause;   /* ours, translated where printed */
	const char *fix;     /* ours, translated where printed */
	const char *source;  /* where the text was taken from */
};

/* Generated at build time from data/server-replies.tsv. */
extern const struct srv_row srv_rows[];
extern const size_t srv_nrows;

/* Does pattern match the len bytes of text (the glob above)? */
int srvreply_glob(const char *pattern, const char *text, size_t len);

/* Does row r match a reply with basic code code, enhanced code enh ("" or
 * NULL for none) and text, as the answer to cmd (SMTP_ANY: unknown)? */
int srvreply_row_matches(const struct srv_row *r, enum smtp_cmd cmd, int code, const char *enh,
    const char *text, size_t len);

/* How specific row r is when it matches after cmd: a named command that
 * is cmd, then each digit of the code given, then the enhanced code (an
 * exact one over one of any class), then the pattern's literal
 * characters.  Larger is more specific. */
long srvreply_specificity(const struct srv_row *r, enum smtp_cmd cmd);

/* The most specific row that matches (the first of equals), or NULL. */
const struct srv_row *srvreply_match(
    enum smtp_cmd cmd, int code, const char *enh, const char *text, size_t len);

/* The row a recorded reply came from, as the answer to cmd, or NULL: the
 * text after the codes, lines joined by one space, at most BOUND_SRV_TEXT
 * bytes of it. */
struct reply;
const struct srv_row *srvreply_of_reply(const struct reply *rp, enum smtp_cmd cmd);

#endif
