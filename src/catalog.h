/* catalog.h - what a reply code means, after the command that drew it.
 *
 * Pure lookups over the tables generated from the files in data/ (catalog_data.h).
 * A reply is explained by the most specific line that matches: code,
 * enhanced code and command; code and command; code and enhanced code;
 * code alone; then the code's own row; last its class, flagged as a code
 * the tables do not define.
 */
#ifndef SMTPROBE_CATALOG_H
#define SMTPROBE_CATALOG_H

#include <stddef.h>

#include "catalog_data.h"
#include "smtp.h"

struct catalog_hit {
	const char *text;          /* one line; never NULL */
	int known;                 /* 0: only the class was known (non-standard code) */
	int text_has_enh;          /* text already speaks of the enhanced code */
	const struct cat_enh *enh; /* the enhanced code's detail row, or NULL */
};

/* Explain code (with enhanced code enh; "" or NULL for none) as the reply
 * to cmd, in one line. */
struct catalog_hit catalog_explain(int code, const char *enh, enum smtp_cmd cmd);

/* The row of code for context cmd: the one for that command, else the
 * one for any command, else the first; NULL when code is not in the table. */
const struct cat_reply *catalog_reply(int code, enum smtp_cmd cmd);

/* The next row for code after prev (NULL: the first); NULL at the end. */
const struct cat_reply *catalog_reply_next(int code, const struct cat_reply *prev);

/* "positive completion", "positive intermediate", "transient negative",
 * "permanent negative" */
const char *catalog_class_name(int code);

/* What the class tells the client to do, in one sentence. */
const char *catalog_class_action(int code);

/* The rows for an enhanced code: the detail (the class-specific "4.7.1"
 * when the tables have one, else the registry's "X.7.1"), its
 * subject ("X.7.YYY") and its class ("5.XXX.YYY"); NULL when absent. */
const struct cat_enh *catalog_enh_detail(const char *enh);
const struct cat_enh *catalog_enh_subject(const char *enh);
const struct cat_enh *catalog_enh_class(const char *enh);

#endif
