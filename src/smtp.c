#include <config.h>

#include <stddef.h>
#include <stdio.h>
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

static int
smtp_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
smtp_code_at(const char *s, size_t n)
{
	if (n < 3 || !smtp_digit(s[0]) || !smtp_digit(s[1]) || !smtp_digit(s[2])) {
		return 0;
	}
	if (s[0] < '2' || s[0] > '5') {
		return -1;
	}
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* One to three digits at s[*i]: their value, or -1. */
static int
smtp_enh_part(const char *s, size_t n, size_t *i)
{
	int v = 0;
	size_t start = *i;

	while (*i < n && *i - start < 3 && smtp_digit(s[*i])) {
		v = v * 10 + (s[(*i)++] - '0');
	}
	return *i == start ? -1 : v;
}

size_t
smtp_enh_at(const char *s, size_t n, struct smtp_enh *e)
{
	size_t i = 2;
	int sub, det;

	if (n < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') {
		return 0;
	}
	sub = smtp_enh_part(s, n, &i);
	if (sub < 0 || i >= n || s[i] != '.') {
		return 0;
	}
	i++;
	det = smtp_enh_part(s, n, &i);
	if (det < 0) {
		return 0;
	}
	e->cls = (unsigned short)(s[0] - '0');
	e->subject = (unsigned short)sub;
	e->detail = (unsigned short)det;
	return i;
}

void
smtp_enh_format(const struct smtp_enh *e, char out[16])
{
	/* The remainders only tell the compiler the bounds smtp_enh_at keeps. */
	snprintf(out, 16, "%u.%u.%u", e->cls % 10u, e->subject % 1000u, e->detail % 1000u);
}
