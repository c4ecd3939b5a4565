#include <config.h>

#include <stddef.h>
#include <strings.h>

#include "smtp.h"

static const char *const smtp_names[SMTP_CMD_COUNT] = {
	[SMTP_ANY] = "any",
	[SMTP_GREETING] = "greeting",
	[SMTP_EHLO] = "EHLO",
	[SMTP_HELO] = "HELO",
	[SMTP_STARTTLS] = "STARTTLS",
	[SMTP_AUTH] = "AUTH",
	[SMTP_MAIL] = "MAIL",
	[SMTP_RCPT] = "RCPT",
	[SMTP_DATA] = "DATA",
	[SMTP_VRFY] = "VRFY",
	[SMTP_EXPN] = "EXPN",
	[SMTP_RSET] = "RSET",
	[SMTP_NOOP] = "NOOP",
	[SMTP_HELP] = "HELP",
	[SMTP_ETRN] = "ETRN",
	[SMTP_QUIT] = "QUIT",
	[SMTP_LHLO] = "LHLO",
};

const char *
smtp_cmd_name(enum smtp_cmd c)
{
	if ((unsigned)c < SMTP_CMD_COUNT && smtp_names[c] != NULL) {
		return smtp_names[c];
	}
	return "?";
}

int
smtp_cmd_parse(const char *s, enum smtp_cmd *c)
{
	if (strcasecmp(s, "MAIL FROM") == 0) {
		*c = SMTP_MAIL;
		return 0;
	}
	if (strcasecmp(s, "RCPT TO") == 0) {
		*c = SMTP_RCPT;
		return 0;
	}
	if (strcasecmp(s, "banner") == 0 || strcasecmp(s, "connect") == 0) {
		*c = SMTP_GREETING;
		return 0;
	}
	for (int i = 1; i < SMTP_CMD_COUNT; i++) {
		if (strcasecmp(s, smtp_names[i]) == 0) {
			*c = (enum smtp_cmd)i;
			return 0;
		}
	}
	return -1;
}
