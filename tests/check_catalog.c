/* The finding catalogue and the reply-code explanations: complete,
 * unique, and right in context. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "finding.h"

START_TEST(test_findings_complete)
{
	for (int i = 0; i < F_COUNT; i++) {
		const struct finding_def *d = finding_def((enum finding_id)i);

		ck_assert_msg(d->id != NULL && d->id[0] != '\0', "finding %d has no id", i);
		ck_assert_msg(d->meaning != NULL && strlen(d->meaning) > 20, "%s: no meaning", d->id);
		for (const char *p = d->id; *p; p++) {
			ck_assert_msg((*p >= 'a' && *p <= 'z') || *p == '-', "%s: bad id", d->id);
		}
		for (int j = 0; j < i; j++) {
			ck_assert_msg(strcmp(d->id, finding_def((enum finding_id)j)->id) != 0,
			    "id %s twice", d->id);
		}
	}
}
END_TEST

START_TEST(test_sev_worst)
{
	ck_assert_int_eq(sev_worst(SEV_OK, SEV_INFO), SEV_OK);
	ck_assert_int_eq(sev_worst(SEV_WARNING, SEV_INFO), SEV_WARNING);
	ck_assert_int_eq(sev_worst(SEV_WARNING, SEV_CRITICAL), SEV_CRITICAL);
	ck_assert_int_eq(sev_worst(SEV_UNKNOWN, SEV_WARNING), SEV_UNKNOWN);
	ck_assert_int_eq(sev_worst(SEV_UNKNOWN, SEV_CRITICAL), SEV_CRITICAL);
}
END_TEST

START_TEST(test_catalog_unique)
{
	size_t n;
	const struct catalog_entry *e = catalog_entries(&n);

	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(e[i].code >= 200 && e[i].code <= 599, "code %d", e[i].code);
		ck_assert_msg(e[i].text != NULL && strlen(e[i].text) > 10, "%d: no text", e[i].code);
		for (size_t j = 0; j < i; j++) {
			int same_enh = (e[i].enh == NULL && e[j].enh == NULL) ||
			    (e[i].enh && e[j].enh && strcmp(e[i].enh, e[j].enh) == 0);

			ck_assert_msg(!(e[i].code == e[j].code && e[i].cmd == e[j].cmd && same_enh),
			    "entry for %d after %s twice", e[i].code, smtp_cmd_name(e[i].cmd));
		}
	}
}
END_TEST

/* The codes the spine must explain, each known without context. */
static const int required[] = {220, 221, 250, 421, 454, 500, 501, 502, 503, 504, 530, 554};

START_TEST(test_catalog_required)
{
	struct catalog_hit h = catalog_explain(required[_i], NULL, SMTP_ANY);

	ck_assert_msg(h.known, "%d is not explained", required[_i]);
}
END_TEST

struct ctx_case {
	int code;
	const char *enh;
	enum smtp_cmd cmd;
	const char *needle;
	int known;
};

static const struct ctx_case ctx_cases[] = {
	{220, NULL, SMTP_GREETING, "Service ready", 1},
	{220, NULL, SMTP_STARTTLS, "TLS handshake", 1},
	{554, NULL, SMTP_GREETING, "No SMTP service here", 1},
	{554, NULL, SMTP_RCPT, "Transaction failed", 1},
	{504, NULL, SMTP_AUTH, "mechanism", 1},
	{504, NULL, SMTP_MAIL, "MAIL FROM parameter", 1},
	{250, NULL, SMTP_EHLO, "extensions", 1},
	{250, NULL, SMTP_RCPT, "Recipient accepted", 1},
	{550, "5.1.1", SMTP_RCPT, "No such mailbox", 1},
	{550, "5.7.1", SMTP_RCPT, "policy", 1},
	{550, NULL, SMTP_RCPT, "mailbox unavailable", 1},
	{535, "5.7.8", SMTP_AUTH, "credentials invalid", 1},
	{530, "5.7.0", SMTP_MAIL, "STARTTLS", 1},
	{454, NULL, SMTP_STARTTLS, "certificate", 1},
	{421, NULL, SMTP_EHLO, "closing", 1},
	{299, NULL, SMTP_ANY, "not one the RFCs define", 0},
	{471, NULL, SMTP_ANY, "Temporary failure", 0},
	{599, NULL, SMTP_ANY, "Permanent failure", 0},
};

START_TEST(test_catalog_context)
{
	const struct ctx_case *c = &ctx_cases[_i];
	struct catalog_hit h = catalog_explain(c->code, c->enh, c->cmd);

	ck_assert_msg(strstr(h.text, c->needle) != NULL, "%d after %s: '%s'", c->code,
	    smtp_cmd_name(c->cmd), h.text);
	ck_assert_int_eq(h.known, c->known);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("tables");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_findings_complete);
	tcase_add_test(tc, test_sev_worst);
	tcase_add_test(tc, test_catalog_unique);
	tcase_add_loop_test(tc, test_catalog_required, 0, (int)(sizeof(required) / sizeof(required[0])));
	tcase_add_loop_test(tc, test_catalog_context, 0, (int)(sizeof(ctx_cases) / sizeof(ctx_cases[0])));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
