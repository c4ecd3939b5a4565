/* The table of known server replies (data/server-replies.tsv) and its
 * matcher: every row complete, every row reachable from an example text
 * built from its own pattern (no row shadows another), the glob's edges,
 * and real replies matched to the server that sent them. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checkrun.h"
#include "srvreply.h"

static const char *const servers[] = {
    "Postfix",
    "Exim",
    "Sendmail",
    "OpenSMTPD",
    "qmail",
    "Gmail",
    "Microsoft 365",
};

static int
known_server(const char *s)
{
	for (size_t i = 0; i < sizeof(servers) / sizeof(servers[0]); i++) {
		if (strcmp(s, servers[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

static int
ends_sentence(const char *s)
{
	size_t n = strlen(s);

	return n > 1 && s[n - 1] == '.';
}

START_TEST(test_row_complete)
{
	const struct srv_row *r = &srv_rows[_i];
	const char *p;

	ck_assert_msg(
	    known_server(r->server), "row %d: server '%s' not in the list", _i, r->server);
	ck_assert_msg(r->pattern[0] != '\0', "row %d: empty pattern", _i);
	ck_assert_msg(r->pattern[0] != ' ' && r->pattern[strlen(r->pattern) - 1] != ' ',
	    "row %d: pattern with an outer space", _i);
	ck_assert_msg(strstr(r->pattern, "**") == NULL, "row %d: '**' in pattern", _i);
	ck_assert_msg(strlen(r->code) == 3, "row %d: code '%s'", _i, r->code);
	for (p = r->code; *p != '\0'; p++) {
		ck_assert_msg(
		    (*p >= '0' && *p <= '9') || *p == 'x', "row %d: code '%s'", _i, r->code);
	}
	ck_assert_msg(
	    strcmp(r->enh, "-") == 0 || strlen(r->enh) >= 5, "row %d: enh '%s'", _i, r->enh);
	ck_assert_msg(strcmp(r->enh, "-") == 0 || r->enh[0] == 'x' || r->enh[0] == r->code[0] ||
	        r->code[0] == 'x',
	    "row %d: enh '%s' of another class than code '%s'", _i, r->enh, r->code);
	ck_assert_msg(ends_sentence(r->cause) && ends_sentence(r->fix), "row %d: cause/fix", _i);
	ck_assert_msg(
	    strlen(r->source) >= 10, "row %d (%s '%s'): no source", _i, r->server, r->pattern);
}
END_TEST

/* The example of a row: its pattern with each '*' replaced by filler, a
 * code with its x digits filled from 550 (450 for a 4xx row), and an
 * enhanced code whose x class is the code's. */
static void
example(
    const struct srv_row *r, const char *filler, char *text, size_t textsz, int *code, char enh[16])
{
	char digits[4];
	size_t o = 0;

	for (const char *p = r->pattern; *p != '\0' && o + strlen(filler) + 1 < textsz; p++) {
		if (*p == '*') {
			memcpy(text + o, filler, strlen(filler));
			o += strlen(filler);
		} else {
			text[o++] = *p;
		}
	}
	text[o] = '\0';
	memcpy(digits, r->code, 4);
	digits[0] = digits[0] == 'x' ? '5' : digits[0];
	digits[1] = digits[1] == 'x' ? '5' : digits[1];
	digits[2] = digits[2] == 'x' ? '0' : digits[2];
	*code = atoi(digits);
	if (strcmp(r->enh, "-") == 0) {
		enh[0] = '\0';
	} else {
		snprintf(enh, 16, "%s", r->enh);
		if (enh[0] == 'x') {
			enh[0] = digits[0];
		}
	}
}

static const char *const fillers[] = {"x", "a longer filler: with <words>, 5.1.1 and (parens)"};

/* Each row matches examples built from it, and is the row chosen for them,
 * after its own command and with the command unknown. */
START_TEST(test_row_reachable)
{
	const struct srv_row *r = &srv_rows[_i];
	enum smtp_cmd cmds[2] = {r->cmd, SMTP_ANY};

	for (size_t f = 0; f < sizeof(fillers) / sizeof(fillers[0]); f++) {
		char text[512], enh[16];
		int code;

		example(r, fillers[f], text, sizeof(text), &code, enh);
		for (size_t k = 0; k < 2; k++) {
			const struct srv_row *w;

			ck_assert_msg(
			    srvreply_row_matches(r, cmds[k], code, enh, text, strlen(text)),
			    "row %d (%s '%s') does not match its own example '%s'", _i, r->server,
			    r->pattern, text);
			w = srvreply_match(cmds[k], code, enh, text, strlen(text));
			ck_assert_msg(w == r,
			    "row %d (%s '%s') is shadowed: its example %d %s '%s' "
			    "goes to row %d (%s '%s')",
			    _i, r->server, r->pattern, code, enh, text, (int)(w - srv_rows),
			    w->server, w->pattern);
		}
	}
}
END_TEST

START_TEST(test_no_duplicates)
{
	for (size_t i = 0; i < srv_nrows; i++) {
		for (size_t j = i + 1; j < srv_nrows; j++) {
			const struct srv_row *a = &srv_rows[i], *b = &srv_rows[j];

			ck_assert_msg(!(a->cmd == b->cmd && strcmp(a->code, b->code) == 0 &&
			                  strcmp(a->enh, b->enh) == 0 &&
			                  strcasecmp(a->pattern, b->pattern) == 0),
			    "rows %zu and %zu are the same reply", i, j);
		}
	}
}
END_TEST

START_TEST(test_enough_rows)
{
	ck_assert_uint_ge(srv_nrows, 150);
}
END_TEST

struct glob_case {
	const char *pattern;
	const char *text;
	int match;
};

static const struct glob_case globs[] = {
    {"", "", 1},
    {"", "a", 0},
    {"*", "", 1},
    {"*", "anything at all", 1},
    {"abc", "abc", 1},
    {"abc", "ABC", 1},
    {"ABC", "abc", 1},
    {"abc", "abcd", 0},
    {"abc", "ab", 0},
    {"a*c", "ac", 1},
    {"a*c", "abbbc", 1},
    {"a*c", "ab", 0},
    {"a*c", "ca", 0},
    {"*x*", "aaxaa", 1},
    {"*x*", "aaaaa", 0},
    {"*x", "x", 1},
    {"x*", "x", 1},
    {"a*b*c", "abc", 1},
    {"a*b*c", "acb", 0},
    {"a*b*c", "aXbYbZc", 1},
    {"ab*ba", "aba", 0},
    {"ab*ba", "abba", 1},
    {"*a*a*", "a", 0},
    {"*a*a*", "aa", 1},
    {"<*>: Relay access denied", "<bob@example.org>: Relay access denied", 1},
    {"<*>: Relay access denied", "<bob@example.org>: Relay access denied!", 0},
    {"Error: authentication failed: *", "Error: authentication failed: ", 1},
    {"caf\xc3\xa9*", "CAF\xc3\xa9 ok", 1},
    {"caf\xc3\xa9*", "CAF\xc3\x89 ok", 0},
};

START_TEST(test_glob)
{
	const struct glob_case *c = &globs[_i];

	ck_assert_msg(srvreply_glob(c->pattern, c->text, strlen(c->text)) == c->match,
	    "'%s' against '%s': want %d", c->pattern, c->text, c->match);
}
END_TEST

/* The text's length counts, not its NUL: bytes after a NUL are text. */
START_TEST(test_glob_len)
{
	ck_assert(srvreply_glob("a*b", "a\0b", 3));
	ck_assert(!srvreply_glob("ab", "ab\0", 3));
	ck_assert(srvreply_glob("ab", "abc", 2));
}
END_TEST

/* A hostile text against many-star patterns: the answer, in linear
 * steps (the test would time out if matching backtracked). */
START_TEST(test_glob_hostile)
{
	static char text[1 << 16];

	memset(text, 'a', sizeof(text));
	ck_assert(!srvreply_glob("*a*a*a*a*a*a*a*a*a*a*b", text, sizeof(text)));
	ck_assert(srvreply_glob("*a*a*a*a*a*a*a*a*a*a*", text, sizeof(text)));
	for (int i = 0; i < 10; i++) {
		ck_assert(srvreply_match(SMTP_ANY, 550, "5.1.1", text, sizeof(text)) == NULL);
	}
}
END_TEST

START_TEST(test_specificity_order)
{
	static const struct srv_row any = {"T", SMTP_ANY, "a*", "5xx", "-", "c.", "f.", "s"};
	static const struct srv_row lit = {"T", SMTP_ANY, "ab*", "5xx", "-", "c.", "f.", "s"};
	static const struct srv_row enhx = {"T", SMTP_ANY, "a*", "5xx", "x.1.1", "c.", "f.", "s"};
	static const struct srv_row enh = {"T", SMTP_ANY, "a*", "5xx", "5.1.1", "c.", "f.", "s"};
	static const struct srv_row code = {"T", SMTP_ANY, "*", "550", "-", "c.", "f.", "s"};
	static const struct srv_row cmd = {"T", SMTP_RCPT, "*", "xxx", "-", "c.", "f.", "s"};

	ck_assert_int_lt(
	    srvreply_specificity(&any, SMTP_RCPT), srvreply_specificity(&lit, SMTP_RCPT));
	ck_assert_int_lt(
	    srvreply_specificity(&lit, SMTP_RCPT), srvreply_specificity(&enhx, SMTP_RCPT));
	ck_assert_int_lt(
	    srvreply_specificity(&enhx, SMTP_RCPT), srvreply_specificity(&enh, SMTP_RCPT));
	ck_assert_int_lt(
	    srvreply_specificity(&enh, SMTP_RCPT), srvreply_specificity(&code, SMTP_RCPT));
	ck_assert_int_lt(
	    srvreply_specificity(&code, SMTP_RCPT), srvreply_specificity(&cmd, SMTP_RCPT));
	/* With the command unknown, naming one earns nothing. */
	ck_assert_int_lt(
	    srvreply_specificity(&cmd, SMTP_ANY), srvreply_specificity(&code, SMTP_ANY));
}
END_TEST

START_TEST(test_row_conditions)
{
	static const struct srv_row r = {
	    "T", SMTP_RCPT, "User unknown", "55x", "x.1.1", "c.", "f.", "s"};
	static const struct srv_row h = {"T", SMTP_HELO, "bad name", "501", "-", "c.", "f.", "s"};

	ck_assert(srvreply_row_matches(&r, SMTP_RCPT, 550, "5.1.1", "user UNKNOWN", 12));
	ck_assert(srvreply_row_matches(&r, SMTP_ANY, 551, "4.1.1", "User unknown", 12));
	ck_assert(!srvreply_row_matches(&r, SMTP_MAIL, 550, "5.1.1", "User unknown", 12));
	ck_assert(!srvreply_row_matches(&r, SMTP_RCPT, 450, "5.1.1", "User unknown", 12));
	ck_assert(!srvreply_row_matches(&r, SMTP_RCPT, 550, "5.1.2", "User unknown", 12));
	ck_assert(!srvreply_row_matches(&r, SMTP_RCPT, 550, "", "User unknown", 12));
	ck_assert(!srvreply_row_matches(&r, SMTP_RCPT, 550, NULL, "User unknown", 12));
	ck_assert(!srvreply_row_matches(&r, SMTP_RCPT, 99, "5.1.1", "User unknown", 12));
	ck_assert(srvreply_row_matches(&h, SMTP_EHLO, 501, NULL, "bad name", 8));
	ck_assert(!srvreply_row_matches(&h, SMTP_MAIL, 501, NULL, "bad name", 8));
}
END_TEST

struct real_case {
	enum smtp_cmd cmd;
	int code;
	const char *enh;
	const char *text;
	const char *server;  /* NULL: no row */
	const char *pattern; /* a part of the row's pattern */
};

/* Replies as servers send them (the texts of the sources named in the
 * table, with real-looking addresses and ids filled in). */
static const struct real_case reals[] = {
    {SMTP_ANY, 550, "5.1.1",
        "<bob@example.org>: Recipient address rejected: User unknown in "
        "virtual mailbox table",
        "Postfix", "virtual mailbox"},
    {SMTP_RCPT, 450, "4.1.1",
        "<bob@example.org>: Recipient address rejected: User unknown in "
        "local recipient table",
        "Postfix", "local recipient"},
    {SMTP_RCPT, 554, "5.7.1", "<x@example.net>: Relay access denied", "Postfix", "Relay access"},
    {SMTP_ANY, 554, "5.7.1",
        "Service unavailable; Client host [192.0.2.7] blocked using "
        "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.7",
        "Postfix", "blocked using"},
    {SMTP_AUTH, 535, "5.7.8", "Error: authentication failed: authentication failure", "Postfix",
        "authentication failure"},
    {SMTP_AUTH, 535, "5.7.8", "Error: authentication failed: UGFzc3dvcmQ6", "Postfix", "failed: *"},
    {SMTP_RCPT, 550, "5.1.1",
        "The email account that you tried to reach does not exist. Please "
        "try double-checking the recipient's email address for typos or unnecessary spaces. "
        "Learn more at https://support.google.com/mail/?p=NoSuchUser z127si6173191wmc.132 - gsmtp",
        "Gmail", "does not exist"},
    {SMTP_ANY, 550, "5.1.10",
        "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address "
        "lookup",
        "Microsoft 365", "Recipient not found"},
    {SMTP_RCPT, 550, NULL, "Unrouteable address", "Exim", "Unrouteable"},
    {SMTP_RCPT, 553, NULL, "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        "qmail", "rcpthosts"},
    {SMTP_RCPT, 550, "5.1.1", "<bob@example.org>... User unknown", "Sendmail", "User unknown"},
    {SMTP_RCPT, 550, NULL, "Invalid recipient: <bob@example.org>", "OpenSMTPD",
        "Invalid recipient"},
    {SMTP_ANY, 550, "5.1.1", "go away", NULL, NULL},
    {SMTP_MAIL, 554, "5.7.1", "<x@example.net>: Relay access denied", NULL, NULL},
};

START_TEST(test_real_replies)
{
	const struct real_case *c = &reals[_i];
	const struct srv_row *r = srvreply_match(c->cmd, c->code, c->enh, c->text, strlen(c->text));

	if (c->server == NULL) {
		ck_assert_msg(r == NULL, "'%s' matched %s '%s'", c->text, r ? r->server : "",
		    r ? r->pattern : "");
		return;
	}
	ck_assert_msg(r != NULL, "'%s' matched nothing", c->text);
	ck_assert_str_eq(r->server, c->server);
	ck_assert_msg(
	    strstr(r->pattern, c->pattern) != NULL, "'%s' matched '%s'", c->text, r->pattern);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("srvreply");
	TCase *tc = tcase_create("srvreply");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_row_complete, 0, (int)srv_nrows);
	tcase_add_loop_test(tc, test_row_reachable, 0, (int)srv_nrows);
	tcase_add_test(tc, test_no_duplicates);
	tcase_add_test(tc, test_enough_rows);
	tcase_add_loop_test(tc, test_glob, 0, (int)(sizeof(globs) / sizeof(globs[0])));
	tcase_add_test(tc, test_glob_len);
	tcase_add_test(tc, test_glob_hostile);
	tcase_add_test(tc, test_specificity_order);
	tcase_add_test(tc, test_row_conditions);
	tcase_add_loop_test(tc, test_real_replies, 0, (int)(sizeof(reals) / sizeof(reals[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
