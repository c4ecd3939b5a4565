/* replyscan.h - find the SMTP replies in what a sysadmin has in hand.
 *
 * Pure: no I/O, no allocation; every byte of the input is untrusted.
 * The input may be:
 *   - pasted reply lines ("550-5.1.1 ..." continued up to "550 5.1.1 ..."),
 *     also behind "S: ", "<<< " or "< " (transcripts);
 *   - Postfix log lines: "... said: 550 5.1.1 ... (in reply to RCPT TO
 *     command)", "status=bounced (... said: ...)", "refused to talk to
 *     me: ...", and smtpd's own "reject: RCPT from host[addr]: 550 ...;
 *     from=<...>"; the same text wrapped over indented lines in a bounce;
 *   - Exim log lines and bounces: "SMTP error from remote mail server
 *     after RCPT TO:<...>: 550 ..." (the reply on the same line or on the
 *     lines after), and "SMTP error from remote server for RCPT TO
 *     command, host: ... reason: 550 ...";
 *   - Exchange reports: "Remote Server returned '550 5.1.10 ...'" and
 *     "#550 5.1.1 ... ##";
 *   - a bounce message (RFC 3464): when it has "Diagnostic-Code: smtp;"
 *     fields, those (with their folded lines) are the replies, one per
 *     recipient, each with the Status: and Final-Recipient: of its part.
 * A reply's text is kept with its lines joined by one space and the
 * continuation codes inside it ("550-5.1.1 ") removed.
 */
#ifndef SMTPROBE_REPLYSCAN_H
#define SMTPROBE_REPLYSCAN_H

#include <stddef.h>

#include "bounds.h"
#include "smtp.h"

enum scan_origin {
	SCAN_REPLY = 0, /* reply lines as the server sent them */
	SCAN_POSTFIX,   /* a Postfix log line or bounce text */
	SCAN_EXIM,      /* an Exim log line or bounce text */
	SCAN_EXCHANGE,  /* an Exchange / Microsoft 365 report */
	SCAN_DSN        /* a Diagnostic-Code field of a bounce */
};

struct scan_reply {
	int code;          /* 200..599 */
	char enh[16];      /* "5.1.1", or "" (none given) */
	enum smtp_cmd cmd; /* what it answered; SMTP_ANY when not said */
	enum scan_origin origin;
	char rcpt[BOUND_ADDR];     /* the recipient the input names, or "" */
	char text[BOUND_SRV_TEXT]; /* the words after the codes (NUL-terminated) */
	size_t text_len;
	int cut; /* the text was longer and is cut */
};

struct scan_result {
	struct scan_reply r[BOUND_EXPLAIN_REPLIES];
	size_t n;       /* replies in r */
	size_t dropped; /* replies found past BOUND_EXPLAIN_REPLIES */
};

/* Find the replies in the len bytes of in (NUL bytes are taken as line
 * ends).  Fills out; out->n is 0 when none was found. */
void replyscan(const char *in, size_t len, struct scan_result *out);

/* The origin's name for people (English, marked for translation:
 * print it with _()), and its id for JSON ("reply", "postfix-log",
 * "exim-log", "exchange-report", "dsn"). */
const char *replyscan_origin_name(enum scan_origin o);
const char *replyscan_origin_id(enum scan_origin o);

#endif
