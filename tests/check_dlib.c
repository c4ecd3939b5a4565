/* The library loader (src/dlib.c), against the C library itself: a
 * table filled, a missing symbol named, a missing library reported, and
 * one attempt per library. */
#include <config.h>

#include <check.h>
#include <gnu/lib-names.h>
#include <stddef.h>
#include <string.h>

#include "checkrun.h"
#include "dlib.h"

static size_t (*my_strlen)(const char *);
static int (*my_atoi)(const char *);

START_TEST(test_dlib_table)
{
	const struct dlib_sym syms[] = {
	    DLIB_SYM("strlen", my_strlen), DLIB_SYM("atoi", my_atoi), {NULL, NULL, 0}};
	struct dlib l = {.soname = LIBC_SO, .syms = syms};

	ck_assert_int_eq(dlib_loaded(&l), 0);
	ck_assert_int_eq(dlib_load(&l), 1);
	ck_assert_int_eq(dlib_loaded(&l), 1);
	ck_assert_uint_eq(my_strlen("four"), 4);
	ck_assert_int_eq(my_atoi("42"), 42);
	ck_assert_int_eq(dlib_load(&l), 1);
}
END_TEST

START_TEST(test_dlib_missing_symbol)
{
	static void (*nothing)(void);
	const struct dlib_sym syms[] = {DLIB_SYM("strlen", my_strlen),
	    DLIB_SYM("smtprobe_no_such_symbol", nothing), {NULL, NULL, 0}};
	struct dlib l = {.soname = LIBC_SO, .syms = syms};

	ck_assert_int_eq(dlib_load(&l), 0);
	ck_assert_str_eq(l.why, LIBC_SO ": smtprobe_no_such_symbol");
	ck_assert_int_eq(dlib_loaded(&l), 0);
	ck_assert_ptr_null(nothing);
}
END_TEST

START_TEST(test_dlib_missing_library)
{
	const struct dlib_sym syms[] = {{NULL, NULL, 0}};
	struct dlib l = {.soname = "libsmtprobe-no-such.so.0", .syms = syms};

	ck_assert_int_eq(dlib_load(&l), 0);
	ck_assert_ptr_nonnull(strstr(l.why, "libsmtprobe-no-such.so.0"));
	/* Tried once: a second call does not try again (nor change why). */
	l.why[0] = '\0';
	ck_assert_int_eq(dlib_load(&l), 0);
	ck_assert_str_eq(l.why, "");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dlib");
	TCase *tc = tcase_create("dlib");

	tcase_add_test(tc, test_dlib_table);
	tcase_add_test(tc, test_dlib_missing_symbol);
	tcase_add_test(tc, test_dlib_missing_library);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
