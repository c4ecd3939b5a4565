/* smtp.h - the SMTP commands and contexts a reply can answer, and the
 * two grammars of a reply's codes: the one parser of each, pure. */
#ifndef SMTPROBE_SMTP_H
#define SMTPROBE_SMTP_H

#include <stddef.h>

enum smtp_cmd {
	SMTP_ANY = 0,  /* context unknown: explain the code alone */
	SMTP_GREETING, /* the reply to connecting (the banner) */
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
	SMTP_LHLO, /* LMTP's EHLO (RFC 2033 §4.1): --protocol lmtp */
	SMTP_CMD_COUNT
};

/* The context's key as the catalogue writes it: "any", "greeting", or
 * the command in capitals ("EHLO"). */
const char *smtp_cmd_name(enum smtp_cmd c);

/* The command named s (case-insensitive; "MAIL FROM" and "RCPT TO" are
 * accepted too, and "greeting" or "banner" for the greeting).  Returns 0
 * and sets *c, or -1 when s names none. */
int smtp_cmd_parse(const char *s, enum smtp_cmd *c);

/* The basic reply code at the start of s (n bytes): three digits, the
 * first 2 to 5 (RFC 5321 §4.2, §4.2.1).  Returns 200..599; 0 when s does
 * not start with three digits; -1 when it does but the first is not 2 to
 * 5.  What follows the digits is the caller's to judge. */
int smtp_code_at(const char *s, size_t n);

/* An enhanced status code, RFC 3463 §2: class "." subject "." detail. */
struct smtp_enh {
	unsigned short cls;     /* 2, 4 or 5 */
	unsigned short subject; /* 0..999 */
	unsigned short detail;  /* 0..999 */
};

/* The enhanced status code at the start of s (n bytes): a class digit
 * 2, 4 or 5, then subject and detail of one to three digits each, joined
 * by dots.  Returns the bytes it takes (5 to 9) and fills e, or 0 when s
 * does not start with one.  What follows is the caller's to judge (a
 * fourth detail digit makes "5.7.1234" a 7-byte code followed by '4'). */
size_t smtp_enh_at(const char *s, size_t n, struct smtp_enh *e);

/* e written as the catalogue keys it, without leading zeros ("5.7.8"). */
void smtp_enh_format(const struct smtp_enh *e, char out[16]);

#endif
