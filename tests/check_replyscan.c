/* Finding replies in what sysadmins paste: reply lines, Postfix and Exim
 * log lines and bounce texts, Exchange reports, DSNs; and the bounds. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "replyscan.h"

struct scan_case {
	const char *name;
	const char *in;
	size_t n; /* replies found */
	int code; /* of the first */
	const char *enh;
	enum smtp_cmd cmd;
	enum scan_origin origin;
	const char *text;
	const char *rcpt;
};

#define GMAIL_TEXT                                                                                 \
	"The email account that you tried to reach does not exist. Please try "                    \
	"double-checking the recipient's email address for typos or unnecessary spaces. Learn "    \
	"more at https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - gsmtp"

static const struct scan_case cases[] = {
    {"pasted one line with '-'",
        "550-5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox "
        "table",
        1, 550, "5.1.1", SMTP_ANY, SCAN_REPLY,
        "<bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table", ""},
    {"pasted reply lines",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
        "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
        "550-5.1.1 unnecessary spaces. Learn more at\r\n"
        "550 5.1.1 https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - gsmtp\r\n",
        1, 550, "5.1.1", SMTP_ANY, SCAN_REPLY, GMAIL_TEXT, ""},
    {"transcript lines", "S: 250 ok\n<<< 550 5.7.1 <x@example.net>... Relaying denied\n", 2, 250,
        "", SMTP_ANY, SCAN_REPLY, "ok", ""},
    {"reply without enhanced code over lines",
        "550-Verification failed for <a@example.com>\n550-Called:   192.0.2.1\n"
        "550 Sender verify failed\n",
        1, 550, "", SMTP_ANY, SCAN_REPLY,
        "Verification failed for <a@example.com> Called: 192.0.2.1 Sender verify failed", ""},
    {"postfix delivery log",
        "Nov 29 06:00:00 mx postfix/smtp[123]: 4F1A: to=<bob@gmail.com>, relay=gmail-smtp-in.l."
        "google.com[142.251.5.27]:25, delay=1, dsn=5.1.1, status=bounced (host gmail-smtp-in.l."
        "google.com[142.251.5.27] said: 550-5.1.1 The email account that you tried to reach does "
        "not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos "
        "or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1 https://support.google.com/mail/"
        "?p=NoSuchUser z127si6173191wmc.132 - gsmtp (in reply to RCPT TO command))",
        1, 550, "5.1.1", SMTP_RCPT, SCAN_POSTFIX, GMAIL_TEXT, ""},
    {"postfix end of data",
        "postfix/smtp[9]: 1B: to=<a@example.org>, status=bounced (host mx[192.0.2.2] said: 554 "
        "5.7.1 Message content rejected (spam) (in reply to end of DATA command))",
        1, 554, "5.7.1", SMTP_DATA, SCAN_POSTFIX, "Message content rejected (spam)", ""},
    {"postfix deferred without in-reply-to",
        "status=deferred (host mx[192.0.2.2] refused to talk to me: 421 4.7.0 mx.example.net "
        "Error: too many connections from 192.0.2.9)",
        1, 421, "4.7.0", SMTP_GREETING, SCAN_POSTFIX,
        "mx.example.net Error: too many connections from 192.0.2.9", ""},
    {"postfix bounce text wrapped",
        "<bob@gmail.com>: host gmail-smtp-in.l.google.com[142.251.5.27] said:\n"
        "    550-5.1.1 The email account that you tried to reach does not exist. Please\n"
        "    try 550-5.1.1 double-checking the recipient's email address for typos or\n"
        "    550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1\n"
        "    https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - gsmtp\n"
        "    (in reply to RCPT TO command)\n\nnot a reply\n",
        1, 550, "5.1.1", SMTP_RCPT, SCAN_POSTFIX, GMAIL_TEXT, ""},
    {"postfix smtpd reject",
        "Nov 29 06:00:01 mx postfix/smtpd[77]: NOQUEUE: reject: RCPT from unknown[192.0.2.7]: "
        "554 5.7.1 <x@example.net>: Relay access denied; from=<a@example.com> to=<x@example.net> "
        "proto=ESMTP helo=<h.example>",
        1, 554, "5.7.1", SMTP_RCPT, SCAN_POSTFIX, "<x@example.net>: Relay access denied", ""},
    {"postfix smtpd reject at connect",
        "postfix/smtpd[77]: NOQUEUE: reject: CONNECT from unknown[192.0.2.7]: 554 5.7.1 Service "
        "unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; from=<> "
        "proto=SMTP",
        1, 554, "5.7.1", SMTP_GREETING, SCAN_POSTFIX,
        "Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org", ""},
    {"exim log line",
        "2026-11-29 06:00:00 1abc-000 ** bob@example.org R=dnslookup T=remote_smtp "
        "H=mx.example.org "
        "[192.0.2.1]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 "
        "5.1.1 "
        "<bob@example.org>: Recipient address rejected: User unknown in local recipient table",
        1, 550, "5.1.1", SMTP_RCPT, SCAN_EXIM,
        "<bob@example.org>: Recipient address rejected: User unknown in local recipient table",
        "bob@example.org"},
    {"exim bounce with the reply below",
        "  valeri@gmail.com\n    host gmail-smtp-in.l.google.com [74.125.28.26]\n"
        "    SMTP error from remote mail server after RCPT TO:<valeri@gmail.com>:\n"
        "    550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
        "    550-5.1.1 double-checking the recipient's email address for typos or\n"
        "    550-5.1.1 unnecessary spaces. Learn more at\n"
        "    550 5.1.1 https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - "
        "gsmtp\n",
        1, 550, "5.1.1", SMTP_RCPT, SCAN_EXIM, GMAIL_TEXT, "valeri@gmail.com"},
    {"exim after end of data",
        "SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds "
        "fixed limit",
        1, 552, "5.3.4", SMTP_DATA, SCAN_EXIM, "Message size exceeds fixed limit", ""},
    {"exim after MAIL FROM with SIZE",
        "SMTP error from remote mail server after MAIL FROM:<a@example.com> SIZE=1234: 553 5.7.1 "
        "<a@example.com>: Sender address rejected: not logged in",
        1, 553, "5.7.1", SMTP_MAIL, SCAN_EXIM,
        "<a@example.com>: Sender address rejected: not "
        "logged in",
        ""},
    {"exim 'for ... command' form",
        "SMTP error from remote server for RCPT TO command, host: gmail-smtp-in.l.google.com "
        "(74.125.133.26) reason: 550-5.1.1 The email account that you tried to reach does not "
        "exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n"
        "550-5.1.1 unnecessary spaces. Learn more at\n550 5.1.1 https://support.google.com/mail/"
        "?p=NoSuchUser z127si6173191wmc.132 - gsmtp\n",
        1, 550, "5.1.1", SMTP_RCPT, SCAN_EXIM, GMAIL_TEXT, ""},
    {"exchange remote server returned",
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by "
        "SMTP address lookup'",
        1, 550, "5.1.10", SMTP_ANY, SCAN_EXCHANGE,
        "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", ""},
    {"exchange hash form",
        "IMCEAEX-_O=EXAMPLE@example.com\n#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##\n",
        1, 550, "5.1.1", SMTP_ANY, SCAN_EXCHANGE, "RESOLVER.ADR.ExRecipNotFound; not found", ""},
    {"dsn with two recipients (the human part is not counted twice)",
        "This is the mail system at host mx.example.com.\n\n"
        "<bob@gmail.com>: host gmail-smtp-in.l.google.com[142.251.5.27] said: 550 5.1.1 gone\n"
        "    (in reply to RCPT TO command)\n\n"
        "Reporting-MTA: dns; mx.example.com\n\n"
        "Final-Recipient: rfc822; bob@gmail.com\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\n"
        "    not exist. Please try 550-5.1.1 double-checking the recipient's email\n"
        "    address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1\n"
        "    https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - gsmtp\n\n"
        "Final-Recipient: rfc822; carol@example.org\nAction: failed\nStatus: 5.7.1\n"
        "Diagnostic-Code: smtp; 554 5.7.1 <carol@example.org>: Relay access denied\n",
        2, 550, "5.1.1", SMTP_ANY, SCAN_DSN, GMAIL_TEXT, "bob@gmail.com"},
    {"dsn: enhanced code from Status:, fields in any order",
        "Diagnostic-Code: SMTP;550 Unrouteable address\nStatus: 5.1.2 (bad domain)\n"
        "Final-Recipient: RFC822;dave@example.net\n",
        1, 550, "5.1.2", SMTP_ANY, SCAN_DSN, "Unrouteable address", "dave@example.net"},
    {"dsn: a non-smtp Diagnostic-Code is no reply",
        "Diagnostic-Code: X-Postfix; unknown user: \"bob\"\n550 5.1.1 later line\n", 1, 550,
        "5.1.1", SMTP_ANY, SCAN_REPLY, "later line", ""},
    {"no reply", "hello world\nsaid: nothing\n 12 monkeys\n999 not a code\n", 0, 0, "", SMTP_ANY,
        SCAN_REPLY, "", ""},
    {"empty", "", 0, 0, "", SMTP_ANY, SCAN_REPLY, "", ""},
    {"code alone", "421", 1, 421, "", SMTP_ANY, SCAN_REPLY, "", ""},
    {"text that only looks like a marker stays",
        "550 5.7.1 refused: 550 messages a day is the limit\n", 1, 550, "5.7.1", SMTP_ANY,
        SCAN_REPLY, "refused: 550 messages a day is the limit", ""},
};

START_TEST(test_scan)
{
	const struct scan_case *c = &cases[_i];
	struct scan_result *res = calloc(1, sizeof(*res));

	ck_assert_ptr_nonnull(res);
	replyscan(c->in, strlen(c->in), res);
	ck_assert_msg(res->n == c->n, "%s: %zu replies, want %zu", c->name, res->n, c->n);
	if (c->n > 0) {
		const struct scan_reply *r = &res->r[0];

		ck_assert_msg(r->code == c->code, "%s: code %d", c->name, r->code);
		ck_assert_msg(strcmp(r->enh, c->enh) == 0, "%s: enh '%s'", c->name, r->enh);
		ck_assert_msg(r->cmd == c->cmd, "%s: cmd %s", c->name, smtp_cmd_name(r->cmd));
		ck_assert_msg(r->origin == c->origin, "%s: origin %s", c->name,
		    replyscan_origin_id(r->origin));
		ck_assert_msg(strcmp(r->text, c->text) == 0, "%s: text '%s'", c->name, r->text);
		ck_assert_uint_eq(r->text_len, strlen(r->text));
		ck_assert_msg(strcmp(r->rcpt, c->rcpt) == 0, "%s: rcpt '%s'", c->name, r->rcpt);
		ck_assert(!r->cut);
	}
	free(res);
}
END_TEST

/* The second reply of the two-recipient DSN keeps its own part's fields. */
START_TEST(test_dsn_second)
{
	struct scan_result *res = calloc(1, sizeof(*res));
	const struct scan_case *c = NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strncmp(cases[i].name, "dsn with two", 12) == 0) {
			c = &cases[i];
		}
	}
	ck_assert_ptr_nonnull(c);
	replyscan(c->in, strlen(c->in), res);
	ck_assert_uint_eq(res->n, 2);
	ck_assert_int_eq(res->r[1].code, 554);
	ck_assert_str_eq(res->r[1].enh, "5.7.1");
	ck_assert_str_eq(res->r[1].rcpt, "carol@example.org");
	ck_assert_str_eq(res->r[1].text, "<carol@example.org>: Relay access denied");
	free(res);
}
END_TEST

/* More replies than the bound: the first ones kept, the rest counted. */
START_TEST(test_bound_replies)
{
	size_t want = BOUND_EXPLAIN_REPLIES + 8, len = 0;
	char *in = malloc(want * 32);
	struct scan_result *res = calloc(1, sizeof(*res));

	for (size_t i = 0; i < want; i++) {
		len += (size_t)sprintf(in + len, "550 5.1.1 user%zu unknown\n", i);
	}
	replyscan(in, len, res);
	ck_assert_uint_eq(res->n, BOUND_EXPLAIN_REPLIES);
	ck_assert_uint_eq(res->dropped, 8);
	ck_assert_str_eq(res->r[BOUND_EXPLAIN_REPLIES - 1].text, "user31 unknown");
	free(in);
	free(res);
}
END_TEST

/* A text longer than the bound is cut, and says so. */
START_TEST(test_bound_text)
{
	size_t len = BOUND_SRV_TEXT * 3;
	char *in = malloc(len);
	struct scan_result *res = calloc(1, sizeof(*res));

	memset(in, 'a', len);
	memcpy(in, "550 5.1.1 ", 10);
	replyscan(in, len, res);
	ck_assert_uint_eq(res->n, 1);
	ck_assert(res->r[0].cut);
	ck_assert_uint_lt(res->r[0].text_len, BOUND_SRV_TEXT);
	ck_assert_uint_eq(strlen(res->r[0].text), res->r[0].text_len);
	free(in);
	free(res);
}
END_TEST

/* A continuation flood: more lines than one reply may take. */
START_TEST(test_bound_lines)
{
	size_t lines = BOUND_SCAN_LINES * 4, len = 0;
	char *in = malloc(lines * 16 + 64);
	struct scan_result *res = calloc(1, sizeof(*res));

	len += (size_t)sprintf(in, "SMTP error from remote mail server after DATA:\n");
	for (size_t i = 0; i < lines; i++) {
		len += (size_t)sprintf(in + len, "550-x%zu\n", i);
	}
	replyscan(in, len, res);
	ck_assert_uint_ge(res->n, 1);
	ck_assert_int_eq(res->r[0].cmd, SMTP_DATA);
	ck_assert_ptr_nonnull(strstr(res->r[0].text, "x0 x1 x2"));
	ck_assert_ptr_null(strstr(res->r[0].text, "x100"));
	free(in);
	free(res);
}
END_TEST

/* NUL bytes and control bytes are no reason to stop or to read past. */
START_TEST(test_hostile_bytes)
{
	static const char in[] = "550 5.1.1 a\0b\x01\x7f\n\xff\xfe 550-\n550";
	struct scan_result *res = calloc(1, sizeof(*res));

	replyscan(in, sizeof(in) - 1, res);
	ck_assert_uint_ge(res->n, 1);
	ck_assert_str_eq(res->r[0].text, "a");
	free(res);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("replyscan");
	TCase *tc = tcase_create("replyscan");

	tcase_add_loop_test(tc, test_scan, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_dsn_second);
	tcase_add_test(tc, test_bound_replies);
	tcase_add_test(tc, test_bound_text);
	tcase_add_test(tc, test_bound_lines);
	tcase_add_test(tc, test_hostile_bytes);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
