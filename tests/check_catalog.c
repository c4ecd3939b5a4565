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
	static const char *const mtas[] = {
	    "Postfix", "Exim", "Sendmail", "OpenSMTPD", "qmail", "Exchange", "postconf", "main.cf"};

	for (int i = 0; i < F_COUNT; i++) {
		const struct finding_def *d = finding_def((enum finding_id)i);

		ck_assert_msg(d->id != NULL && d->id[0] != '\0', "finding %d has no id", i);
		/* Three texts, each a sentence of its own: what it means, why it
		 * matters, how to fix it. */
		ck_assert_msg(
		    d->meaning != NULL && strlen(d->meaning) > 20, "%s: no meaning", d->id);
		ck_assert_msg(d->why != NULL && strlen(d->why) > 20, "%s: no why", d->id);
		ck_assert_msg(d->fix != NULL && strlen(d->fix) >= 13, "%s: no fix", d->id);
		ck_assert_msg(strcmp(d->meaning, d->why) != 0 && strcmp(d->why, d->fix) != 0 &&
		        strcmp(d->meaning, d->fix) != 0,
		    "%s: a text twice", d->id);
		/* True for any server: a server's own setting is in advice.c. */
		for (size_t k = 0; k < sizeof(mtas) / sizeof(mtas[0]); k++) {
			ck_assert_msg(strstr(d->meaning, mtas[k]) == NULL &&
			        strstr(d->why, mtas[k]) == NULL && strstr(d->fix, mtas[k]) == NULL,
			    "%s names %s", d->id, mtas[k]);
		}
		for (const char *p = d->id; *p; p++) {
			ck_assert_msg(
			    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
			    "%s: bad id", d->id);
		}
		for (int j = 0; j < i; j++) {
			ck_assert_msg(strcmp(d->id, finding_def((enum finding_id)j)->id) != 0,
			    "id %s twice", d->id);
		}
	}
}
END_TEST

/* "did you mean": a typo, a missing letter or a word of the id finds it;
 * nonsense finds nothing. */
START_TEST(test_finding_suggest)
{
	const char *s;

	ck_assert_str_eq(finding_suggest("starttls-not-ofered"), "starttls-not-offered");
	ck_assert_str_eq(finding_suggest("vrfy-enumeraton"), "vrfy-enumeration");
	ck_assert_str_eq(finding_suggest("cert-expird"), "cert-expired");
	ck_assert_str_eq(finding_suggest("timout"), "timeout");
	s = finding_suggest("injection");
	ck_assert_msg(s != NULL && strstr(s, "injection") != NULL, "injection: %s", s ? s : "NULL");
	ck_assert_ptr_null(finding_suggest("nonsense"));
	ck_assert_ptr_null(finding_suggest("xyz"));
	ck_assert_ptr_null(finding_suggest(""));
	ck_assert_ptr_null(
	    finding_suggest("a-very-long-word-that-is-no-finding-id-at-all-and-more"));
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
		        nonempty(e->notes),
		    "%s: a fact is empty", e->code);
		ck_assert_msg(strlen(e->meaning) > 10 && strlen(e->when) > 3 && strlen(e->fix) > 5,
		    "%s: an explanation is missing", e->code);
		for (size_t j = 0; j < i; j++) {
			ck_assert_msg(strcmp(cat_enh[j].code, e->code) != 0, "%s twice", e->code);
		}
		if (strcmp(e->kind, "class-detail") == 0) {
			/* A detail read under one class: found for its own code,
			 * and for that detail only. */
			ck_assert_ptr_eq(catalog_enh_detail(e->code), e);
			ck_assert_ptr_nonnull(catalog_enh_subject(e->code));
		}
		if (strcmp(e->kind, "detail") == 0) {
			char code[24];

			details++;
			/* Every detail row is reachable from a real code (in
			 * some class: one may have a class-detail row of its own). */
			int reached = 0;

			for (const char *k = "245"; *k != '\0'; k++) {
				snprintf(code, sizeof(code), "%c%s", *k, e->code + 1);
				reached |= catalog_enh_detail(code) == e;
			}
			ck_assert_msg(reached, "%s is shadowed in every class", e->code);
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
		ck_assert_msg(
		    strcmp(c->context, "any") == 0 || smtp_cmd_parse(c->context, &cmd) == 0,
		    "%d: unknown context %s", c->code, c->context);
		ck_assert_msg(strcmp(c->enh, "-") == 0 || catalog_enh_detail(c->enh) != NULL,
		    "%d: unregistered enhanced code %s", c->code, c->enh);
		for (size_t j = 0; j < i; j++) {
			ck_assert_msg(
			    !(cat_ctx[j].code == c->code && strcmp(cat_ctx[j].enh, c->enh) == 0 &&
			        strcmp(cat_ctx[j].context, c->context) == 0),
			    "%d %s after %s twice", c->code, c->enh, c->context);
		}
		/* And it is the one chosen for its own key. */
		if (strcmp(c->context, "any") != 0) {
			struct catalog_hit h;

			smtp_cmd_parse(c->context, &cmd);
			h = catalog_explain(c->code, strcmp(c->enh, "-") ? c->enh : NULL, cmd);
			ck_assert_msg(h.text == c->text, "%d %s after %s is shadowed", c->code,
			    c->enh, c->context);
		}
	}
}
END_TEST

START_TEST(test_catalog_enh_rows)
{
	/* The codes themselves are parsed by smtp_enh_at (check_reply). */
	ck_assert_ptr_null(catalog_enh_detail("5.9.9"));
	ck_assert_ptr_nonnull(catalog_enh_subject("5.7.99"));
	ck_assert_ptr_null(catalog_enh_subject("5.7"));
	ck_assert_ptr_null(catalog_enh_class(""));
}
END_TEST

/* The facts shown as quoted from the RFCs and the registry are only
 * that: no '?' for an unverified guess, no editorial note in brackets or
 * parentheses, no reference cut short. */
START_TEST(test_catalog_quoted)
{
	for (size_t i = 0; i < cat_nreplies; i++) {
		const struct cat_reply *r = &cat_replies[i];

		ck_assert_msg(strchr(r->rfc_text, '?') == NULL &&
		        strchr(r->rfc_text, '[') == NULL && strstr(r->rfc_text, "(RFC") == NULL &&
		        strstr(r->rfc_text, "RFC 7504") == NULL,
		    "%d (%s): RFC text '%s' is not only the RFC's text", r->code, r->context,
		    r->rfc_text);
		ck_assert_msg(strchr(r->defined_in, '?') == NULL &&
		        strchr(r->commands, '?') == NULL && strchr(r->enh, '?') == NULL,
		    "%d (%s): an unverified fact is shown", r->code, r->context);
	}
	for (size_t i = 0; i < cat_nenh; i++) {
		const struct cat_enh *e = &cat_enh[i];

		ck_assert_msg(strchr(e->title, '?') == NULL && strchr(e->basic, '?') == NULL &&
		        strchr(e->reference, '?') == NULL,
		    "%s: an unverified fact is shown", e->code);
	}
}
END_TEST

/* Facts checked against the RFCs and the registry (data/SOURCES.md says
 * which): each pinned by the words that carry it. */
static const struct cat_reply *
row_of(int code, const char *ctx)
{
	for (const struct cat_reply *r = catalog_reply_next(code, NULL); r != NULL;
	     r = catalog_reply_next(code, r)) {
		if (strcmp(r->context, ctx) == 0) {
			return r;
		}
	}
	ck_abort_msg("%d (%s) is not in the table", code, ctx);
	return NULL;
}

static void
has(const char *what, const char *text, const char *needle)
{
	ck_assert_msg(strstr(text, needle) != NULL, "%s: '%s' lacks '%s'", what, text, needle);
}

static void
lacks(const char *what, const char *text, const char *needle)
{
	ck_assert_msg(strstr(text, needle) == NULL, "%s: '%s' has '%s'", what, text, needle);
}

START_TEST(test_catalog_facts)
{
	const struct cat_enh *e;
	const struct cat_reply *r;

	/* RFC 7505: a null MX says the domain accepts no mail. */
	e = catalog_enh_detail("5.7.27");
	has("X.7.27", e->meaning, "accepts no mail");
	lacks("X.7.27", e->meaning, "sends no mail");
	/* RFC 3463: X.7.2 is about posting to a list, not EXPN. */
	e = catalog_enh_detail("5.7.2");
	has("X.7.2", e->meaning, "not allowed to post");
	lacks("X.7.2", e->when, "EXPN");
	/* RFC 3886: message tracking, not DSN. */
	e = catalog_enh_detail("2.1.9");
	has("X.1.9", e->meaning, "message-tracking");
	lacks("X.1.9", e->meaning, "DSN");
	/* RFC 5248 / RFC 4468: trust with the server holding BURL content. */
	e = catalog_enh_detail("5.7.14");
	has("X.7.14", e->meaning, "server holding the message content");
	lacks("X.7.14", e->fix, "certificate");
	/* RFC 7293: retrying cannot help; the sender decides. */
	e = catalog_enh_detail("5.7.19");
	has("X.7.19", e->fix, "Retrying will not help");
	has("X.7.19", e->fix, "without RRVS");
	/* RFC 4954 §6: 235 2.7.0 is success; X.7.0 reads by its class. */
	e = catalog_enh_detail("2.7.0");
	has("2.7.0", e->meaning, "succeeded");
	lacks("2.7.0", e->fix, "required");
	has("5.7.0", catalog_enh_detail("5.7.0")->fix, "required first");
	has("4.7.0", catalog_enh_detail("4.7.0")->fix, "Retry later");
	/* 250 2.1.0 after MAIL is a success, not "check the address". */
	ck_assert_str_eq(catalog_enh_detail("2.1.0")->fix, "Nothing to fix.");
	ck_assert_str_eq(catalog_enh_detail("5.1.0")->code, "X.1.0");
	/* X.7.1 under 4yz is a temporary refusal, not "authenticate". */
	e = catalog_enh_detail("4.7.1");
	has("4.7.1", e->meaning, "temporary policy refusal");
	lacks("4.7.1", e->fix, "uthenticate");
	ck_assert_str_eq(catalog_enh_detail("5.7.1")->code, "X.7.1");
	has("451 4.7.1", catalog_explain(451, "4.7.1", SMTP_RCPT).text, "greylisting");
	/* RFC 5321 §3.8: 221 only after QUIT; the server ending it sends 421. */
	r = row_of(221, "any");
	has("221", r->when, "Only after QUIT");
	has("221", r->when, "421");
	lacks("221", catalog_explain(221, NULL, SMTP_ANY).text, "is closing the connection.");
	/* The command order comes from RFC 3207 and RFC 4954 too. */
	r = row_of(503, "any");
	has("503", r->fix, "RFC 3207");
	has("503", r->fix, "RFC 4954");
	/* RFC 4954 §4: 500 after AUTH is a line too long, with 5.5.6. */
	r = row_of(500, "AUTH");
	has("500 AUTH", r->meaning, "authentication buffer");
	has("500 AUTH", r->meaning, "5.5.6");
	has("500 after AUTH", catalog_explain(500, NULL, SMTP_AUTH).text, "authentication buffer");
	/* RFC 5321 §7.3: disabled VRFY answers 252; 502 is common practice. */
	has("502 after VRFY", catalog_explain(502, NULL, SMTP_VRFY).text, "252");
	has("502", row_of(502, "any")->fix, "252");
	has("252", row_of(252, "any")->fix, "§7.3");
	/* RFC 5321 §4.1.1.11: an unsupported parameter is 555. */
	has("555", row_of(555, "any")->meaning, "4.1.1.11");
	has("504", row_of(504, "any")->when, "555");
	has("504 after MAIL", catalog_explain(504, NULL, SMTP_MAIL).text, "555");
	/* RFC 5321 §4.5.3.1.10: 552 for too many recipients is temporary. */
	has("552", row_of(552, "any")->meaning, "452");
	has("552", row_of(552, "any")->meaning, "temporary");
	/* RFC 3207 §4: 530 for TLS first goes with 5.7.0. */
	ck_assert_str_eq(row_of(530, "tls-required")->enh, "5.7.0");
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
	tcase_add_test(tc, test_finding_suggest);
	tcase_add_test(tc, test_catalog_replies);
	tcase_add_test(tc, test_catalog_enhanced);
	tcase_add_test(tc, test_catalog_contexts);
	tcase_add_test(tc, test_catalog_enh_rows);
	tcase_add_test(tc, test_catalog_quoted);
	tcase_add_test(tc, test_catalog_facts);
	tcase_add_loop_test(
	    tc, test_catalog_required, 0, (int)(sizeof(required) / sizeof(required[0])));
	tcase_add_loop_test(
	    tc, test_catalog_context, 0, (int)(sizeof(ctx_cases) / sizeof(ctx_cases[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
