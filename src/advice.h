/* advice.h - the setting that fixes a finding on one known server.
 *
 * Pure data.  A finding's meaning names no server's settings: advice for
 * a server is given only when the probe identified it (its greeting, its
 * EHLO greeting, or a reply text known from its source).  Each row names
 * the documentation it was taken from.
 */
#ifndef SMTPROBE_ADVICE_H
#define SMTPROBE_ADVICE_H

#include "finding.h"

struct advice {
	enum finding_id id;
	const char *server;  /* as data/server-replies.tsv names it: "Postfix", "Exim"... */
	const char *setting; /* the setting, as written in the server's configuration */
	const char *source;  /* where it is documented */
};

/* The advice for finding id on server, or NULL. */
const struct advice *advice_for(enum finding_id id, const char *server);

/* All rows (for the table test); *n receives the count. */
const struct advice *advice_rows(size_t *n);

/* The server a greeting or EHLO text names ("Postfix", "Exim",
 * "Sendmail", "OpenSMTPD", "Microsoft 365", "Gmail"), or NULL. */
const char *advice_server_named(const char *text, size_t len);

#endif
