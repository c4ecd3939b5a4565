/* catalog.h - what a reply code means after the command that drew it.
 *
 * Pure data and lookup, no I/O.  A reply is explained by the most
 * specific entry that matches: code, enhanced code and command; then
 * code and command; code and enhanced code; code alone; and last its
 * class, flagged as a code the tables do not define.
 */
#ifndef SMTPROBE_CATALOG_H
#define SMTPROBE_CATALOG_H

#include <stddef.h>

#include "smtp.h"

struct catalog_entry {
	int code;                /* 200..599 */
	const char *enh;         /* "5.7.8", or NULL for any */
	enum smtp_cmd cmd;       /* SMTP_ANY for any command */
	const char *text;        /* one sentence: what it means here, what to do */
};

struct catalog_hit {
	const char *text;        /* never NULL */
	int known;               /* 0: only the class was known (non-standard code) */
};

/* Explain code (with enhanced code enh, "" or NULL for none) as the reply
 * to cmd. */
struct catalog_hit catalog_explain(int code, const char *enh, enum smtp_cmd cmd);

/* The class of a code in words: "positive completion" ... */
const char *catalog_class_name(int code);

/* The table, for tests. */
const struct catalog_entry *catalog_entries(size_t *n);

#endif
