/* base64 (RFC 4648 section 4), as AUTH uses it: round trips and the
 * strict decoder's refusals, as tables. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "b64.h"

struct b64case {
	const char *raw;
	size_t rawlen;
	const char *enc;
};

/* RFC 4648 section 10's vectors, and PLAIN's NUL-separated message. */
static const struct b64case b64cases[] = {
    {"", 0, ""},
    {"f", 1, "Zg=="},
    {"fo", 2, "Zm8="},
    {"foo", 3, "Zm9v"},
    {"foobar", 6, "Zm9vYmFy"},
    {"\0tim\0tanstaaftanstaaf", 21, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"},
};

START_TEST(test_b64)
{
	const struct b64case *c = &b64cases[_i];
	char enc[64];
	unsigned char dec[64];
	size_t dlen;

	ck_assert_uint_eq(
	    b64_encode((const unsigned char *)c->raw, c->rawlen, enc, sizeof(enc)), strlen(c->enc));
	ck_assert_str_eq(enc, c->enc);
	ck_assert_int_eq(b64_decode(c->enc, strlen(c->enc), dec, sizeof(dec), &dlen), 0);
	ck_assert_uint_eq(dlen, c->rawlen);
	ck_assert(memcmp(dec, c->raw, dlen) == 0);
}
END_TEST

/* What the decoder refuses: bad padding, padding inside, spaces, and a
 * result larger than the buffer. */
static const struct {
	const char *enc;
	size_t room;
} b64_bad[] = {
    {"Zg=", 16},
    {"Z===", 16},
    {"Zg=a", 16},
    {"Zg==Zg==", 16},
    {"Zm 9", 16},
    {"Zm9v", 2},
};

START_TEST(test_b64_strict)
{
	unsigned char dec[16];
	size_t dlen;

	ck_assert_int_eq(
	    b64_decode(b64_bad[_i].enc, strlen(b64_bad[_i].enc), dec, b64_bad[_i].room, &dlen), -1);
}
END_TEST

/* An encoding that does not fit (with its NUL) is refused, 0. */
START_TEST(test_b64_room)
{
	char enc[4];

	ck_assert_uint_eq(b64_encode((const unsigned char *)"foo", 3, enc, sizeof(enc)), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("b64");
	TCase *tc = tcase_create("b64");

	tcase_add_loop_test(tc, test_b64, 0, (int)(sizeof(b64cases) / sizeof(b64cases[0])));
	tcase_add_loop_test(tc, test_b64_strict, 0, (int)(sizeof(b64_bad) / sizeof(b64_bad[0])));
	tcase_add_test(tc, test_b64_room);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
