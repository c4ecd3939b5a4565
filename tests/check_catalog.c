/* The finding catalogue and the reply-code explanations: complete,
 * unique, and right in context. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "catalog.h"
#include "finding.h"

START_TEST(test_findings_complete)
{
	for (int i = 0; i < F_COUNT; i++) {
		const struct finding_def *d = finding_def((enum finding_id)i);

		ck_assert_msg(d->id != NULL && d->id[0] != '\0', "finding %d has no id", i);
		ck_assert_msg(d->meaning != NULL && strlen(d->meaning) > 20, "%s: no meaning", d->id);
		for (const char *p = d->id; *p; p++) {
			ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-', "%s: bad id", d->id);
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
	ck_assert_int_eq(sev_worst(SEV_UNKNOWN, SEV_WARNING), SEV_WARNING);
	ck_assert_int_eq(sev_worst(SEV_UNKNOWN, SEV_OK), SEV_UNKNOWN);
	ck_assert_int_eq(sev_worst(SEV_UNKNOWN, SEV_CRITICAL), SEV_CRITICAL);
}
END_TEST

static int
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Every row of every table has text in every field, and no key twice. */
START_TEST(test_catalog_replies)
{
	for (size_t i = 0; i < cat_nreplies; i++) {
		const struct cat_reply *r = &cat_replies[i];

		ck_assert_msg(r->code >= 200 && r->code <= 599, "code %d", r->code);
		ck_assert_msg(nonempty(r->context) && nonempty(r->rfc_text) && nonempty(r->enh) &&
		    nonempty(r->defined_in) && nonempty(r->commands) && nonempty(r->notes),
		    "%d: a fact is empty", r->code);
		ck_assert_msg(strlen(r->meaning) > 10 && strlen(r->when) > 10 && strlen(r->fix) > 5,
		    "%d (%s): an explanation is missing", r->code, r->context);
		for (size_t j = 0; j < i; j++) {
			ck_assert_msg(!(cat_replies[j].code == r->code &&
			    strcmp(cat_replies[j].context, r->context) == 0),
			    "%d after %s twice", r->code, r->context);
		}
	}
	ck_assert_uint_ge(cat_nreplies, 51);
}
END_TEST

START_TEST(test_catalog_enhanced)
{
	size_t details = 0;

	for (size_t i = 0; i < cat_nenh; i++) {
		const struct cat_enh *e = &cat_enh[i];

		ck_assert_msg(nonempty(e->code) && nonempty(e->title) && nonempty(e->basic) &&
		    nonempty(e->reference) && nonempty(e->description) && nonempty(e->kind) &&
		    nonempty(e->notes), "%s: a fact is empty", e->code);
		ck_assert_msg(strlen(e->meaning) > 10 && strlen(e->when) > 3 && strlen(e->fix) > 5,
		    "%s: an explanation is missing", e->code);
		for (size_t j = 0; j < i; j++) {
			ck_assert_msg(strcmp(cat_enh[j].code, e->code) != 0, "%s twice", e->code);
		}
		if (strcmp(e->kind, "detail") == 0) {
			char code[24];

			details++;
			/* Every detail row is reachable from a real code. */
			snprintf(code, sizeof(code), "5%s", e->code + 1);
			ck_assert_ptr_eq(catalog_enh_detail(code), e);
			ck_assert_ptr_nonnull(catalog_enh_subject(code));
			ck_assert_ptr_nonnull(catalog_enh_class(code));
		}
	}
	ck_assert_uint_ge(details, 81);
}
END_TEST

START_TEST(test_catalog_contexts)
{
	for (size_t i = 0; i < cat_nctx; i++) {
		const struct cat_ctx *c = &cat_ctx[i];
		enum smtp_cmd cmd;

		ck_assert_msg(strlen(c->text) > 10, "%d: no text", c->code);
		/* A context line must be reachable: its code has a row, its
		 * context names a command, its enhanced code is registered. */
		ck_assert_msg(catalog_reply(c->code, SMTP_ANY) != NULL, "%d has no row", c->code);
		ck_assert_msg(strcmp(c->context, "any") == 0 || smtp_cmd_parse(c->context, &cmd) == 0,
		    "%d: unknown context %s", c->code, c->context);
		ck_assert_msg(strcmp(c->enh, "-") == 0 || catalog_enh_detail(c->enh) != NULL,
		    "%d: unregistered enhanced code %s", c->code, c->enh);
		for (size_t j = 0; j < i; j++) {
			ck_assert_msg(!(cat_ctx[j].code == c->code && strcmp(cat_ctx[j].enh, c->enh) == 0 &&
			    strcmp(cat_ctx[j].context, c->context) == 0),
			    "%d %s after %s twice", c->code, c->enh, c->context);
		}
		/* And it is the one chosen for its own key. */
		if (strcmp(c->context, "any") != 0) {
			struct catalog_hit h;

			smtp_cmd_parse(c->context, &cmd);
			h = catalog_explain(c->code, strcmp(c->enh, "-") ? c->enh : NULL, cmd);
			ck_assert_msg(h.text == c->text, "%d %s after %s is shadowed", c->code, c->enh, c->context);
		}
	}
}
END_TEST

START_TEST(test_catalog_enh_parse)
{
	int c, s, d;

	ck_assert_int_eq(catalog_parse_enh("5.7.8", &c, &s, &d), 0);
	ck_assert(c == 5 && s == 7 && d == 8);
	ck_assert_int_eq(catalog_parse_enh("4.7.123", &c, &s, &d), 0);
	ck_assert_int_eq(catalog_parse_enh("2.0.0", &c, &s, &d), 0);
	ck_assert_int_eq(catalog_parse_enh("6.0.0", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("3.0.0", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("5.7.1234", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("5.7", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("5..8", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("55.7.8", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("5.7.8.1", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("5.7.x", &c, &s, &d), -1);
	ck_assert_int_eq(catalog_parse_enh("", &c, &s, &d), -1);
	ck_assert_ptr_null(catalog_enh_detail("5.9.9"));
	ck_assert_ptr_nonnull(catalog_enh_subject("5.7.99"));
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
	{550, NULL, SMTP_RCPT, "Recipient refused", 1},
	{535, "5.7.8", SMTP_AUTH, "credentials invalid", 1},
	{530, "5.7.0", SMTP_MAIL, "STARTTLS", 1},
	{454, NULL, SMTP_STARTTLS, "certificate", 1},
	{421, NULL, SMTP_EHLO, "closing", 1},
	{550, "5.1.1", SMTP_VRFY, "does not exist here", 1},
	{235, NULL, SMTP_AUTH, "Authentication succeeded", 1},
	{521, NULL, SMTP_GREETING, "does not accept mail", 1},
	{556, NULL, SMTP_RCPT, "null MX", 1},
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

	tcase_add_test(tc, test_findings_complete);
	tcase_add_test(tc, test_sev_worst);
	tcase_add_test(tc, test_catalog_replies);
	tcase_add_test(tc, test_catalog_enhanced);
	tcase_add_test(tc, test_catalog_contexts);
	tcase_add_test(tc, test_catalog_enh_parse);
	tcase_add_loop_test(tc, test_catalog_required, 0, (int)(sizeof(required) / sizeof(required[0])));
	tcase_add_loop_test(tc, test_catalog_context, 0, (int)(sizeof(ctx_cases) / sizeof(ctx_cases[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
