#include <config.h>

#include <stddef.h>

#include "smtp.h"

const char *
smtp_cmd_name(enum smtp_cmd c)
{
	static const char *const names[SMTP_CMD_COUNT] = {
		[SMTP_ANY] = "any command",
		[SMTP_GREETING] = "greeting",
		[SMTP_EHLO] = "EHLO",
		[SMTP_HELO] = "HELO",
		[SMTP_STARTTLS] = "STARTTLS",
		[SMTP_AUTH] = "AUTH",
		[SMTP_MAIL] = "MAIL",
		[SMTP_RCPT] = "RCPT",
		[SMTP_VRFY] = "VRFY",
		[SMTP_EXPN] = "EXPN",
		[SMTP_RSET] = "RSET",
		[SMTP_NOOP] = "NOOP",
		[SMTP_QUIT] = "QUIT",
	};

	if ((unsigned)c < SMTP_CMD_COUNT && names[c] != NULL) {
		return names[c];
	}
	return "?";
}
