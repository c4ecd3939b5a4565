/* Threshold ranges, as the monitoring-plugins guidelines define them. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "range.h"

struct range_case {
	const char *range;
	double value;
	int alert;
};

/* The guidelines' examples, at and around each edge. */
static const struct range_case cases[] = {
    {"10", -1, 1},
    {"10", 0, 0},
    {"10", 5, 0},
    {"10", 10, 0},
    {"10", 10.001, 1},
    {"10:", 9.99, 1},
    {"10:", 10, 0},
    {"10:", 1e9, 0},
    {"~:10", -1e9, 0},
    {"~:10", 10, 0},
    {"~:10", 10.5, 1},
    {"10:20", 9, 1},
    {"10:20", 10, 0},
    {"10:20", 20, 0},
    {"10:20", 21, 1},
    {"@10:20", 9, 0},
    {"@10:20", 10, 1},
    {"@10:20", 15, 1},
    {"@10:20", 20, 1},
    {"@10:20", 20.1, 0},
    {"0.5", 0.4, 0},
    {"0.5", 0.6, 1},
    {"@~:2", 1, 1},
    {"@~:2", 3, 0},
    {"-5:-1", -3, 0},
    {"-5:-1", 0, 1},
};

START_TEST(test_range_alert)
{
	const struct range_case *c = &cases[_i];
	struct range r;
	struct fault f;

	ck_assert_int_eq(range_parse(c->range, &r, &f), 0);
	ck_assert_msg(range_alert(&r, c->value) == c->alert, "%s at %g: want %d", c->range,
	    c->value, c->alert);
	ck_assert_str_eq(r.text, c->range);
}
END_TEST

static const char *const bad[] = {
    "",
    ":",
    "~",
    "abc",
    "10:5",
    "1:2:3",
    "@",
    "10s",
    "1e",
    "nan",
    "inf",
    "--1",
    "@:",
    "10 ",
    "1,5",
};

START_TEST(test_range_bad)
{
	struct range r;
	struct fault f;

	f.msg[0] = '\0';
	ck_assert_msg(range_parse(bad[_i], &r, &f) == -1, "'%s' accepted", bad[_i]);
	ck_assert(f.msg[0] != '\0');
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("range");
	TCase *tc = tcase_create("range");

	tcase_add_loop_test(tc, test_range_alert, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, test_range_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
