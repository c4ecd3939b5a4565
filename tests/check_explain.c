/* `smtprobe explain`: argument parsing and both renderers. */
#include <config.h>

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "explain.h"
#include "render_explain.h"

struct parse_case {
	const char *in;
	int ok;
	int basic;
	const char *enh;
};

static const struct parse_case parse_cases[] = {
    {"504", 1, 504, ""},
    {"250", 1, 250, ""},
    {"299", 1, 299, ""},
    {"5.7.8", 1, 0, "5.7.8"},
    {"4.7.123", 1, 0, "4.7.123"},
    {"535 5.7.8", 1, 535, "5.7.8"},
    {"  535   5.7.8  ", 1, 535, "5.7.8"},
    {"535\t5.7.8", 1, 535, "5.7.8"},
    {"5O4", 0, 0, ""},
    {"6.0.0", 0, 0, ""},
    {"99", 0, 0, ""},
    {"600", 0, 0, ""},
    {"199", 0, 0, ""},
    {"1000", 0, 0, ""},
    {"5.7", 0, 0, ""},
    {"5.7.8.9", 0, 0, ""},
    {"5.7.8 535", 0, 0, ""},
    {"535 5.7.8 x", 0, 0, ""},
    {"535 504", 0, 0, ""},
    {"", 0, 0, ""},
    {" ", 0, 0, ""},
    {"-504", 0, 0, ""},
    {"0x1f8", 0, 0, ""},
};

START_TEST(test_explain_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct explain_code e;
	struct fault f;
	int rc = explain_parse(c->in, &e, &f);

	ck_assert_msg((rc == 0) == c->ok, "'%s': rc %d", c->in, rc);
	if (c->ok) {
		ck_assert_int_eq(e.basic, c->basic);
		ck_assert_str_eq(e.enh, c->enh);
	} else {
		ck_assert_ptr_nonnull(strstr(f.msg, "reply code"));
	}
}
END_TEST

static size_t
args(const char *a, const char *b, enum smtp_cmd after, struct explain_code out[2], int *rc)
{
	char *argv[3] = {(char *)a, (char *)b, NULL};
	struct fault f;
	size_t n = 0;

	*rc = explain_args(b ? 2 : 1, argv, after, out, &n, &f);
	return n;
}

START_TEST(test_explain_args)
{
	struct explain_code c[2];
	int rc;

	ck_assert_uint_eq(args("235", "504", SMTP_ANY, c, &rc), 2);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(c[0].basic, 235);
	ck_assert_int_eq(c[1].basic, 504);
	/* A basic then an enhanced code, unquoted, is one reply. */
	ck_assert_uint_eq(args("535", "5.7.8", SMTP_ANY, c, &rc), 1);
	ck_assert_str_eq(c[0].input, "535 5.7.8");
	ck_assert_ptr_nonnull(c[0].enh_detail);
	ck_assert_str_eq(c[0].enh_detail->code, "X.7.8");
	/* Two replies with enhanced codes are compared. */
	ck_assert_uint_eq(args("550 5.1.1", "550 5.7.1", SMTP_RCPT, c, &rc), 2);
	ck_assert_ptr_nonnull(strstr(c[0].line.text, "No such mailbox"));
	ck_assert_ptr_nonnull(strstr(c[1].line.text, "policy"));
	/* Context changes the line. */
	args("504", NULL, SMTP_AUTH, c, &rc);
	ck_assert_ptr_nonnull(strstr(c[0].line.text, "mechanism"));
	args("504", NULL, SMTP_MAIL, c, &rc);
	ck_assert_ptr_nonnull(strstr(c[0].line.text, "MAIL FROM parameter"));
	/* Non-standard and mismatched codes are flagged. */
	args("299", NULL, SMTP_ANY, c, &rc);
	ck_assert_ptr_null(c[0].row);
	ck_assert(!c[0].line.known);
	args("535 4.7.8", NULL, SMTP_ANY, c, &rc);
	ck_assert(c[0].class_mismatch);
	args("1.2.3", "504", SMTP_ANY, c, &rc);
	ck_assert_int_eq(rc, -1);
}
END_TEST

static char *
render(int json, const char *a, const char *b, enum smtp_cmd after)
{
	struct explain_code c[2];
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc;
	size_t n = args(a, b, after, c, &rc);

	ck_assert_int_eq(rc, 0);
	if (json) {
		ck_assert_int_eq(render_explain_json(fp, c, n), 0);
	} else {
		render_explain_text(fp, c, n);
	}
	fclose(fp);
	return buf;
}

START_TEST(test_explain_text)
{
	char *t = render(0, "235", "504", SMTP_ANY);

	ck_assert_ptr_nonnull(strstr(t, "235  Authentication Succeeded\n"));
	ck_assert_ptr_nonnull(strstr(t, "504  Command parameter not implemented\n"));
	ck_assert_ptr_nonnull(strstr(t, "Key differences: 235 and 504"));
	ck_assert_ptr_nonnull(strstr(t, "When you meet each, and what to do"));
	ck_assert_ptr_nonnull(strstr(t, "after AUTH"));
	/* Wrapped: no line beyond 78 columns, none ending in a space. */
	for (char *line = t; *line != '\0';) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);

		ck_assert_msg(l <= 80, "long line: %.*s", (int)l, line);
		ck_assert_msg(l == 0 || line[l - 1] != ' ', "trailing space: %.*s", (int)l, line);
		line += l + (nl != NULL);
	}
	ck_assert_ptr_nonnull(strstr(t,
	    "235 is a positive reply: the session goes on. 504 is a\n"
	    "                  negative one"));
	free(t);
	/* The summary fits the pair: both positive, both negative, one class;
	 * the table's columns widen for long cells and never run together. */
	t = render(0, "334", "235", SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "Both are positive, but 235 is final"));
	ck_assert_ptr_nonnull(strstr(t,
	    "\n  permanence      intermediate: the command is  final: the command is done\n"
	    "                  not finished\n"));
	free(t);
	t = render(0, "450", "550", SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "Both are negative, but 450 is temporary"));
	free(t);
	t = render(0, "550", "554", SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "554 concerns the whole mail transaction"));
	free(t);
	t = render(0, "500", "504", SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "Both are in the same class and reach the same"));
	free(t);
	t = render(0, "5.7.8", NULL, SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "5.7.8  Authentication credentials invalid"));
	ck_assert_ptr_nonnull(strstr(t, "X.7.YYY"));
	free(t);
	t = render(0, "299", NULL, SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "not defined by RFC 5321"));
	free(t);
}
END_TEST

/* The "in short" paragraph of a comparison (malloc'd). */
static char *
in_short(const char *a, const char *b)
{
	char *t = render(0, a, b, SMTP_ANY), *p = strstr(t, "  in short"), *end, *r;

	ck_assert_msg(p != NULL, "%s %s: no summary in\n%s", a, b, t);
	end = strstr(p, "\n\n");
	ck_assert_ptr_nonnull(end);
	r = strndup(p, (size_t)(end - p));
	free(t);
	return r;
}

/* The comparison says the same whichever code comes first (a basic code
 * followed by an enhanced one is one reply, so such pairs are quoted), and
 * two codes of one class get what differs between them. */
START_TEST(test_explain_compare)
{
	static const char *const pairs[][2] = {
	    {"235", "504"},
	    {"421", "450"},
	    {"334", "235"},
	    {"450", "550"},
	    {"250", "251"},
	    {"550", "554"},
	    {"500", "504"},
	    {"5.7.8", "4.2.2"},
	    {"221", "421"},
	    {"535 5.7.8", "454 4.7.0"},
	};
	char *x, *y, *t;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		x = in_short(pairs[i][0], pairs[i][1]);
		y = in_short(pairs[i][1], pairs[i][0]);
		ck_assert_msg(strcmp(x, y) == 0, "%s %s: '%s'\nbut %s %s: '%s'", pairs[i][0],
		    pairs[i][1], x, pairs[i][1], pairs[i][0], y);
		free(x);
		free(y);
	}
	x = in_short("504", "235");
	ck_assert_msg(strstr(x, "235 is a positive reply") != NULL, "%s", x);
	free(x);
	x = in_short("450", "421");
	ck_assert_msg(
	    strstr(x, "421 ends the session: the server closes the connection.") != NULL, "%s", x);
	ck_assert_msg(
	    strstr(x,
	        "450\n                  concerns one recipient only: the transaction and the "
	        "session\n                  go on.") != NULL,
	    "%s", x);
	free(x);
	/* Side by side: what to do for each. */
	t = render(0, "421", "450", SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(
	    t, "\n  client should   retry later, unchanged        retry later, unchanged\n"));
	ck_assert_ptr_nonnull(strstr(
	    t, "\n  reaches         the session: the server       one recipient; the others\n"));
	free(t);
	/* An enhanced code beside a basic one: each labelled as what it is. */
	t = render(0, "5.7.8", "535", SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(
	    t, "\n  class           5.X.X Permanent Failure       5yz permanent negative\n"));
	ck_assert_ptr_nonnull(strstr(t, "with the basic codes 535,"));
	free(t);
	/* 235 2.7.0 is a success: nothing says "required first". */
	t = render(0, "235 2.7.0", NULL, SMTP_ANY);
	ck_assert_ptr_nonnull(strstr(t, "235 2.7.0  Authentication Succeeded\n"));
	ck_assert_ptr_null(strstr(t, "required"));
	free(t);
}
END_TEST

/* A mistyped code gets the codes it may have meant. */
START_TEST(test_explain_suggest)
{
	struct explain_code e;
	struct fault f;

	ck_assert_int_eq(explain_parse("5O4", &e, &f), -1);
	ck_assert_msg(strstr(f.msg, "did you mean 504?") != NULL, "%s", f.msg);
	ck_assert_int_eq(explain_parse("50", &e, &f), -1);
	ck_assert_msg(
	    strstr(f.msg, "did you mean one of 500, 501, 502, 503, 504") != NULL, "%s", f.msg);
	ck_assert_int_eq(explain_parse("5355", &e, &f), -1);
	ck_assert_msg(strstr(f.msg, "535") != NULL, "%s", f.msg);
	ck_assert_int_eq(explain_parse("hello", &e, &f), -1);
	ck_assert_msg(strstr(f.msg, "did you mean") == NULL, "%s", f.msg);
}
END_TEST

START_TEST(test_explain_json)
{
	char *t = render(1, "535 5.7.8", NULL, SMTP_AUTH);
	json_error_t err;
	json_t *root = json_loads(t, 0, &err), *code;

	ck_assert_msg(root != NULL, "invalid JSON: %s", err.text);
	ck_assert_str_eq(json_string_value(json_object_get(root, "schema")), "smtprobe-explain/1");
	code = json_array_get(json_object_get(root, "codes"), 0);
	ck_assert_int_eq(
	    json_integer_value(json_object_get(json_object_get(code, "basic"), "code")), 535);
	ck_assert_str_eq(
	    json_string_value(json_object_get(json_object_get(code, "enhanced"), "code")), "5.7.8");
	ck_assert_str_eq(json_string_value(json_object_get(code, "after")), "AUTH");
	ck_assert_ptr_null(json_object_get(root, "comparison"));
	json_decref(root);
	free(t);
	t = render(1, "235", "504", SMTP_ANY);
	root = json_loads(t, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(json_array_size(json_object_get(root, "codes")), 2);
	ck_assert_ptr_nonnull(json_object_get(root, "comparison"));
	ck_assert(json_is_true(
	    json_object_get(json_object_get(root, "comparison"), "one_positive_one_negative")));
	ck_assert_str_eq(json_string_value(json_array_get(
	                     json_object_get(json_object_get(root, "comparison"), "reaches"), 0)),
	    "auth");
	ck_assert_ptr_nonnull(strstr(
	    json_string_value(json_object_get(json_object_get(root, "comparison"), "in_short")),
	    "235 is a positive reply"));
	json_decref(root);
	free(t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");

	tcase_add_loop_test(
	    tc, test_explain_parse, 0, (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	tcase_add_test(tc, test_explain_args);
	tcase_add_test(tc, test_explain_text);
	tcase_add_test(tc, test_explain_json);
	tcase_add_test(tc, test_explain_compare);
	tcase_add_test(tc, test_explain_suggest);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
