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
	SMTP_VRFY,
	SMTP_EXPN,
	SMTP_RSET,
	SMTP_NOOP,
	SMTP_QUIT,
	SMTP_CMD_COUNT
};

/* "EHLO", "greeting", ... */
const char *smtp_cmd_name(enum smtp_cmd c);

#endif
