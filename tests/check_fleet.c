/* The fleet's small parts: the progress line (80 columns, the target cut
 * from the left) and the --per-ip gate (a third connection to one address
 * waits until one of two leaves; another address does not wait). */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "checkrun.h"
#include "clock.h"
#include "gate.h"
#include "progress.h"
#include "tw.h"

START_TEST(test_progress_counts)
{
	struct progress_state s = {.done = 37,
	    .total = 200,
	    .ok = 30,
	    .warning = 5,
	    .critical = 2,
	    .slowest = "mx.example.org:25",
	    .slowest_ms = 12500};
	char line[512];

	progress_format(line, sizeof(line), &s, PROGRESS_COLUMNS);
	ck_assert_str_eq(
	    line, "37/200 done: OK 30, WARNING 5, CRITICAL 2; slowest mx.example.org:25 (12 s)");
	s.unknown = 1;
	s.slowest = NULL;
	progress_format(line, sizeof(line), &s, PROGRESS_COLUMNS);
	ck_assert_str_eq(line, "37/200 done: OK 30, WARNING 5, CRITICAL 2, UNKNOWN 1");
}
END_TEST

START_TEST(test_progress_long_target)
{
	char target[300];
	struct progress_state s = {.done = 37,
	    .total = 200,
	    .ok = 30,
	    .warning = 5,
	    .critical = 2,
	    .slowest = target,
	    .slowest_ms = 3600000};
	char line[512];

	memset(target, 'a', 250);
	strcpy(target + 250, ".example:2525");
	progress_format(line, sizeof(line), &s, PROGRESS_COLUMNS);
	ck_assert_int_eq(tw_width(line), PROGRESS_COLUMNS);
	/* The end of the name (domain and port) is what is kept. */
	ck_assert_str_eq(line,
	    "37/200 done: OK 30, WARNING 5, CRITICAL 2; slowest "
	    "...aaa.example:2525 (3600 s)");
	/* No room left for a useful name: the counts alone. */
	s.done = 1000;
	s.total = 100000;
	s.unknown = 1000;
	progress_format(line, sizeof(line), &s, PROGRESS_COLUMNS);
	ck_assert_str_eq(line, "1000/100000 done: OK 30, WARNING 5, CRITICAL 2, UNKNOWN 1000");
}
END_TEST

struct gate_arg {
	struct gate *g;
	int64_t waited;
	int64_t entered_at;
};

static void *
gate_thread(void *p)
{
	struct gate_arg *a = p;

	a->waited = gate_enter(a->g, "192.0.2.1");
	a->entered_at = clock_now_ms();
	gate_leave(a->g, "192.0.2.1");
	return NULL;
}

START_TEST(test_gate)
{
	struct gate *g = gate_new(2, 4);
	struct gate_arg a = {.g = g};
	pthread_t t;
	int64_t left_at;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_le(gate_enter(g, "192.0.2.1"), 50);
	ck_assert_int_le(gate_enter(g, "192.0.2.1"), 50);
	/* Another address has places of its own. */
	ck_assert_int_le(gate_enter(g, "2001:db8::1"), 50);
	ck_assert_int_eq(pthread_create(&t, NULL, gate_thread, &a), 0);
	usleep(300000);
	left_at = clock_now_ms();
	gate_leave(g, "192.0.2.1");
	pthread_join(t, NULL);
	/* The third waited until a place was given back, not before. */
	ck_assert_int_ge(a.entered_at, left_at);
	ck_assert_int_ge(a.waited, 250);
	ck_assert_uint_eq(gate_peak(g), 2);
	gate_leave(g, "192.0.2.1");
	gate_leave(g, "2001:db8::1");
	gate_free(g);
}
END_TEST

/* serve's gate: a full address is refused at once, nothing counted; a
 * place given back, or a raised limit, lets the next one in; when every
 * entry holds another address, a new one is refused rather than waited. */
START_TEST(test_gate_try)
{
	struct gate *g = gate_new_nowait(2, 2);
	int64_t t0 = clock_now_ms();

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(gate_waits(g), 0);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), 0);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), 0);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), -1);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), -1);
	ck_assert_int_le(clock_now_ms() - t0, 50);
	ck_assert_uint_eq(gate_peak(g), 2);
	gate_leave(g, "192.0.2.1");
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), 0);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), -1);
	gate_set_limit(g, 3);
	ck_assert_uint_eq(gate_limit(g), 3);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), 0);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), -1);
	ck_assert_uint_eq(gate_peak(g), 3);
	/* A lowered limit keeps the places held, admits none past it. */
	gate_set_limit(g, 1);
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), -1);
	ck_assert_int_eq(gate_try_enter(g, "2001:db8::1"), 0);
	/* Both entries in use: a third address finds none. */
	ck_assert_int_eq(gate_try_enter(g, "198.51.100.7"), -1);
	gate_leave(g, "2001:db8::1");
	ck_assert_int_eq(gate_try_enter(g, "198.51.100.7"), 0);
	for (int i = 0; i < 3; i++) {
		gate_leave(g, "192.0.2.1");
	}
	gate_leave(g, "198.51.100.7");
	ck_assert_int_eq(gate_try_enter(g, "192.0.2.1"), 0);
	gate_leave(g, "192.0.2.1");
	gate_free(g);
	g = gate_new(1, 1);
	ck_assert_int_eq(gate_waits(g), 1);
	gate_free(g);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fleet");
	TCase *tc = tcase_create("parts");

	tcase_add_test(tc, test_progress_counts);
	tcase_add_test(tc, test_progress_long_target);
	tcase_add_test(tc, test_gate);
	tcase_add_test(tc, test_gate_try);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
