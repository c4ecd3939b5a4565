/* smtp.h - the SMTP commands and contexts a reply can answer. */
#ifndef SMTPROBE_SMTP_H
#define SMTPROBE_SMTP_H

enum smtp_cmd {
	SMTP_ANY = 0,        /* context unknown: explain the code alone */
	SMTP_GREETING,       /* the reply to connecting (the banner) */
	SMTP_EHLO,
	SMTP_HELO,
	SMTP_STARTTLS,
	SMTP_AUTH,
	SMTP_MAIL,
	SMTP_RCPT,
	SMTP_DATA,
	SMTP_VRFY,
	SMTP_EXPN,
	SMTP_RSET,
	SMTP_NOOP,
	SMTP_HELP,
	SMTP_ETRN,
	SMTP_QUIT,
	SMTP_LHLO,           /* LMTP's EHLO (RFC 2033 §4.1): --protocol lmtp */
	SMTP_CMD_COUNT
};

/* The context's key as the catalogue writes it: "any", "greeting", or
 * the command in capitals ("EHLO"). */
const char *smtp_cmd_name(enum smtp_cmd c);

/* The command named s (case-insensitive; "MAIL FROM" and "RCPT TO" are
 * accepted too, and "greeting" or "banner" for the greeting).  Returns 0
 * and sets *c, or -1 when s names none. */
int smtp_cmd_parse(const char *s, enum smtp_cmd *c);

#endif
