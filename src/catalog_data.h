/* catalog_data.h - the catalogue's tables, generated at build time from
 * the files in data/ by tools/gen-catalog.awk.  A "-" field means "none". */
#ifndef SMTPROBE_CATALOG_DATA_H
#define SMTPROBE_CATALOG_DATA_H

#include <stddef.h>

#include "smtp.h"

/* data/reply-codes.tsv: one row per basic code and context. */
struct cat_reply {
	int code;
	const char *context;  /* "any", "greeting", "tls-required" or a command */
	enum smtp_cmd cmd;    /* the same, matched: SMTP_ANY for "any", SMTP_CMD_COUNT
	                       * for "tls-required" (no command names it) */
	const char *rfc_text; /* the defining document's text (fact) */
	const char *enh;      /* the enhanced code it goes with, or "-" */
	const char *defined_in;
	const char *commands; /* the commands it answers (fact) */
	const char *notes;
	const char *meaning; /* ours: what it means */
	const char *when;    /* ours: when it is seen */
	const char *fix;     /* ours: how to fix it */
	const char *scope;   /* ours: what it reaches: "command", "recipient",
	                      * "transaction", "session-start", "session-end",
	                      * "session-refused", "auth" or "tls" */
};

/* data/enhanced-status-codes.tsv: class, subject and detail rows. */
struct cat_enh {
	const char *code;  /* "5.XXX.YYY", "X.7.YYY", "X.7.8", or "4.7.1" for the
	                    * detail read under one class ("class-detail") */
	const char *title; /* the registry's sample text */
	const char *basic; /* associated basic codes */
	const char *reference;
	const char *description; /* the registry's description (fact) */
	const char *kind;        /* "class", "subject", "detail" or "class-detail" */
	const char *notes;
	const char *meaning;
	const char *when;
	const char *fix;
};

/* data/reply-context.tsv: a code after one command, in one line. */
struct cat_ctx {
	int code;
	const char *enh; /* "-" for any */
	const char *context;
	enum smtp_cmd cmd; /* as in struct cat_reply */
	const char *text;
};

extern const struct cat_reply cat_replies[];
extern const size_t cat_nreplies;
extern const struct cat_enh cat_enh[];
extern const size_t cat_nenh;
extern const struct cat_ctx cat_ctx[];
extern const size_t cat_nctx;

#endif
