/* Escaping of untrusted text for the terminal. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "esc.h"

struct esc_case {
	const char *in;
	size_t len; /* 0: strlen */
	const char *out;
};

static const struct esc_case esc_cases[] = {
    {"plain text", 0, "plain text"},
    {"tab\there", 0, "tab\\x09here"},
    {"\x1b[2J\x1b]0;pwned\x07", 0, "\\x1B[2J\\x1B]0;pwned\\x07"},
    {"a\0b", 3, "a\\x00b"},
    {"cr\rlf\n", 0, "cr\\x0Dlf\\x0A"},
    {"del\x7f", 0, "del\\x7F"},
    {"back\\slash", 0, "back\\\\slash"},
    {"caf\xc3\xa9", 0, "caf\xc3\xa9"},
    {"\xe4\xb8\xad\xe6\x96\x87", 0, "\xe4\xb8\xad\xe6\x96\x87"},
    {"\xf0\x9f\x93\xa7", 0, "\xf0\x9f\x93\xa7"},
    {"c1 \xc2\x9b", 0, "c1 \\u{009B}"},
    {"bidi \xe2\x80\xae", 0, "bidi \\u{202E}"},
    {"bad \xff", 0, "bad \\xFF"},
    {"overlong \xc0\xaf", 0, "overlong \\xC0\\xAF"},
    {"surrogate \xed\xa0\x80", 0, "surrogate \\xED\\xA0\\x80"},
    {"truncated \xe4\xb8", 0, "truncated \\xE4\\xB8"},
    {"too high \xf4\x90\x80\x80", 0, "too high \\xF4\\x90\\x80\\x80"},
    {"", 0, ""},
};

START_TEST(test_esc_table)
{
	const struct esc_case *c = &esc_cases[_i];
	char out[256];

	esc_text(c->in, c->len ? c->len : strlen(c->in), out, sizeof(out));
	ck_assert_str_eq(out, c->out);
}
END_TEST

START_TEST(test_esc_cut)
{
	char in[1000], out[64];

	memset(in, 'x', sizeof(in));
	esc_text(in, sizeof(in), out, sizeof(out));
	ck_assert(strlen(out) < sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "[+"));
	ck_assert_ptr_nonnull(strstr(out, " bytes]"));
	/* Exactly filling the buffer without a cut: no marker. */
	esc_text(in, 40, out, sizeof(out));
	ck_assert_uint_eq(strlen(out), 40);
	/* Every byte escaped: still bounded. */
	memset(in, 0x01, sizeof(in));
	esc_text(in, sizeof(in), out, sizeof(out));
	ck_assert(strlen(out) < sizeof(out));
	ck_assert_ptr_nonnull(strstr(out, "bytes]"));
}
END_TEST

START_TEST(test_esc_utf8_len)
{
	unsigned long cp;

	ck_assert_uint_eq(esc_utf8_len((const unsigned char *)"A", 1, &cp), 1);
	ck_assert_uint_eq(cp, 'A');
	ck_assert_uint_eq(esc_utf8_len((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20AC);
	ck_assert_uint_eq(esc_utf8_len((const unsigned char *)"\xe0\x80\x80", 3, &cp), 0);
	ck_assert_uint_eq(esc_utf8_len((const unsigned char *)"\x80", 1, &cp), 0);
}
END_TEST

/* A single-byte terminal (ISO-8859-1): every byte alone; C0, DEL and
 * C1 (0x9B CSI, 0x9D OSC, 0x9C ST) escaped, even where they would be
 * part of well-formed UTF-8; 0xA0-0xFF pass. */
static const struct {
	const char *in;
	const char *out;
} esc8_cases[] = {
    {"\x9b"
     "2J",
        "\\x9B2J"},
    {"\x9d"
     "0;title\x9c",
        "\\x9D0;title\\x9C"},
    {"\xc3\x9b", "\xc3\\x9B"}, /* U+00DB in UTF-8: C3 9B */
    {"\xc2\x85", "\xc2\\x85"}, /* U+0085 NEL */
    {"caf\xe9 \xa0\xff", "caf\xe9 \xa0\xff"}, {"\x1b[2J\x7f\\", "\\x1B[2J\\x7F\\\\"},
    {"\xe2\x80\xae", "\xe2\\x80\xae"}, /* U+202E: its bytes alone */
};

START_TEST(test_esc_single_byte)
{
	char out[256];

	esc_text_cs(esc8_cases[_i].in, strlen(esc8_cases[_i].in), out, sizeof(out), 0);
	ck_assert_str_eq(out, esc8_cases[_i].out);
	for (const char *p = out; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		ck_assert_msg(c >= 0x20 && c != 0x7F && (c < 0x80 || c >= 0xA0), "byte 0x%02X", c);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("esc");
	TCase *tc = tcase_create("escape");

	tcase_add_loop_test(tc, test_esc_table, 0, (int)(sizeof(esc_cases) / sizeof(esc_cases[0])));
	tcase_add_test(tc, test_esc_cut);
	tcase_add_test(tc, test_esc_utf8_len);
	tcase_add_loop_test(
	    tc, test_esc_single_byte, 0, (int)(sizeof(esc8_cases) / sizeof(esc8_cases[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
