/* Parameters and addresses held against EHLO capabilities. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "judge.h"
#include "params.h"

static struct ehlo caps_full, caps_bare;

static void
ehlo_of(struct ehlo *e, const char *text)
{
	struct reply r;

	reply_init(&r);
	ck_assert_int_eq(reply_parse(&r, text, strlen(text)), REPLY_DONE);
	ck_assert_int_eq(ehlo_parse(e, &r), 0);
	reply_free(&r);
}

static void
setup(void)
{
	ehlo_of(&caps_full,
	    "250-mx\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n"
	    "250-AUTH PLAIN\r\n250-MT-PRIORITY\r\n250-REQUIRETLS\r\n250-DELIVERBY 60\r\n"
	    "250-FUTURERELEASE 604800 2027-01-01T00:00:00Z\r\n250-BINARYMIME\r\n250 RRVS\r\n");
	ehlo_of(&caps_bare, "250-mx\r\n250 PIPELINING\r\n");
}

static void
teardown(void)
{
	ehlo_free(&caps_full);
	ehlo_free(&caps_bare);
}

struct pcase {
	const char *param; /* KEY[=VALUE] */
	enum smtp_cmd where;
	int bare; /* check against caps_bare */
	const char *addr;
	int issue;          /* -1: none, else the finding id expected first */
	const char *needle; /* substring of the message */
};

static const struct pcase pcases[] = {
    {"SIZE=500", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"SIZE=1000", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"SIZE=1001", SMTP_MAIL, 0, "a@b", F_SIZE_OVER_LIMIT, "552 5.3.4"},
    {"SIZE=99999999999999999999", SMTP_MAIL, 0, "a@b", F_SIZE_OVER_LIMIT, "above"},
    {"SIZE=1k", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, "501 5.5.4"},
    {"SIZE", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, "SIZE=<octets>"},
    {"SIZE=10", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED, "needs the SIZE extension"},
    {"size=10", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"BODY=8BITMIME", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"BODY=7BIT", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"BODY=8BITMIME", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED, "8BITMIME"},
    {"BODY=BINARYMIME", SMTP_MAIL, 0, "a@b", F_PARAM_NOT_ADVERTISED, "CHUNKING"},
    {"BODY=binarymime", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED,
        "needs the BINARYMIME extension"},
    {"BODY=7bit", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED, "needs the 8BITMIME extension"},
    {"BODY=9BIT", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, "BODY="},
    {"SMTPUTF8", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"SMTPUTF8", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED, "555 5.5.4"},
    {"SMTPUTF8=yes", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"RET=HDRS", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"RET=ALL", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"ENVID=QQ314159", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"ENVID=a+2Bb", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"ENVID=a+zz", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"AUTH=<>", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"AUTH=<>", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED, "AUTH"},
    {"MT-PRIORITY=-9", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"MT-PRIORITY=10", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"REQUIRETLS", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"REQUIRETLS", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED, "REQUIRETLS"},
    {"BY=120;R", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"BY=-5;NT", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"BY=120", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"BY=1;X", SMTP_MAIL, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"HOLDFOR=3600", SMTP_MAIL, 0, "a@b", -1, NULL},
    {"HOLDUNTIL=2027-01-01T00:00:00Z", SMTP_MAIL, 1, "a@b", F_PARAM_NOT_ADVERTISED,
        "FUTURERELEASE"},
    {"XYZZY=1", SMTP_MAIL, 0, "a@b", F_PARAM_UNKNOWN, "not defined"},
    {"NOTIFY=NEVER", SMTP_MAIL, 0, "a@b", F_PARAM_UNKNOWN, "belongs to RCPT TO"},
    {"NOTIFY=SUCCESS,FAILURE", SMTP_RCPT, 0, "a@b", -1, NULL},
    {"NOTIFY=NEVER,DELAY", SMTP_RCPT, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"NOTIFY=SOMETIMES", SMTP_RCPT, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"NOTIFY=NEVER", SMTP_RCPT, 1, "a@b", F_PARAM_NOT_ADVERTISED, "DSN"},
    {"ORCPT=rfc822;a+40b", SMTP_RCPT, 0, "a@b", -1, NULL},
    {"ORCPT=a@b", SMTP_RCPT, 0, "a@b", F_PARAM_BAD_VALUE, NULL},
    {"SIZE=1", SMTP_RCPT, 0, "a@b", F_PARAM_UNKNOWN, "belongs to MAIL FROM"},
    {"RRVS=2014-04-03T23:01:00Z", SMTP_RCPT, 0, "a@b", -1, NULL},
    {"SMTPUTF8", SMTP_MAIL, 0, "j\xc3\xb6rg@b", -1, NULL},
    {NULL, SMTP_MAIL, 0, "j\xc3\xb6rg@b", F_SMTPUTF8_REQUIRED, "add --mail-param SMTPUTF8"},
    {NULL, SMTP_MAIL, 1, "j\xc3\xb6rg@b", F_SMTPUTF8_REQUIRED, "553 5.6.7"},
    {NULL, SMTP_RCPT, 1, "j\xc3\xb6rg@b", F_SMTPUTF8_REQUIRED, "553 5.6.7"},
    {NULL, SMTP_MAIL, 1, "", -1, NULL},
};

START_TEST(test_params_check)
{
	const struct pcase *c = &pcases[_i];
	struct param p;
	struct fault f;
	struct param_issue iss[4];
	char msg[JUDGE_PARAM_WORDS] = "";
	size_t n;

	if (c->param != NULL) {
		ck_assert_int_eq(params_parse(c->param, &p, &f), 0);
	}
	n = params_check(
	    c->bare ? &caps_bare : &caps_full, c->where, c->addr, &p, c->param ? 1 : 0, iss, 4);
	if (n > 0) {
		judge_param_words(&iss[0], msg, sizeof(msg));
	}
	if (c->issue < 0) {
		ck_assert_msg(n == 0, "%s: unexpected issue: %s", c->param, msg);
	} else {
		ck_assert_msg(n >= 1, "%s: no issue", c->param);
		ck_assert_msg((int)iss[0].id == c->issue, "%s: issue %d, want %d (%s)", c->param,
		    iss[0].id, c->issue, msg);
		if (c->needle != NULL) {
			ck_assert_msg(strstr(msg, c->needle) != NULL, "%s: '%s'", c->param, msg);
		}
	}
}
END_TEST

START_TEST(test_params_parse)
{
	struct param p;
	struct fault f;

	ck_assert_int_eq(params_parse("SIZE=10", &p, &f), 0);
	ck_assert_str_eq(p.key, "SIZE");
	ck_assert_str_eq(p.value, "10");
	ck_assert(p.has_value);
	ck_assert_int_eq(params_parse("SMTPUTF8", &p, &f), 0);
	ck_assert(!p.has_value);
	ck_assert_int_eq(params_parse("SIZE=1\r\nRSET", &p, &f), -1);
	ck_assert_ptr_nonnull(strstr(f.msg, "line break"));
	ck_assert_int_eq(params_parse("SIZE=1 2", &p, &f), -1);
	ck_assert_int_eq(params_parse("SIZE=", &p, &f), -1);
	ck_assert_int_eq(params_parse("=1", &p, &f), -1);
	ck_assert_int_eq(params_parse("-X=1", &p, &f), -1);
	ck_assert_int_eq(params_parse("A_B=1", &p, &f), -1);
	ck_assert_int_eq(params_parse("K=a=b", &p, &f), -1);
	ck_assert_str_eq(params_keyword("BODY", "BINARYMIME", SMTP_MAIL), "BINARYMIME");
	ck_assert_str_eq(params_keyword("body", "8bitmime", SMTP_MAIL), "8BITMIME");
	ck_assert_str_eq(params_keyword("NOTIFY", "NEVER", SMTP_RCPT), "DSN");
	ck_assert_ptr_null(params_keyword("NOTIFY", "NEVER", SMTP_MAIL));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("params");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_params_check, 0, (int)(sizeof(pcases) / sizeof(pcases[0])));
	tcase_add_test(tc, test_params_parse);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
