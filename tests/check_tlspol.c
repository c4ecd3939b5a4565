/* The TLS policy parsers: TLSA records (RFC 6698 §2, RFC 7672 §3.1), the
 * MTA-STS TXT record and policy (RFC 8461 §3.1, §3.2, §4.1) and the
 * TLS-RPT record (RFC 8460 §3): the RFCs' own examples, each rule at and
 * around its edge, and hostile input (NUL, bytes past ASCII, floods). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "sts.h"
#include "tlsa.h"
#include "tlsrpt.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* 32 and 64 bytes of hex (RFC 6698 §2.3's SHA-256 and SHA-512 examples). */
#define H32 "d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971"
#define H64                                                                                        \
	"92003ba34942dc74152e2f2c408d29eca5a520e7f2e06bb944f4dca346baf63c"                         \
	"1b177615d466f6c4b71c216a50292bd58c9ebdd2f74e38fe51ffd48c43326cbc"

/* ---- TLSA presentation form ---- */

struct tlsa_text_case {
	const char *text;
	int rc; /* a verdict, or -1 */
	int u, s, m;
	size_t len;
	const char *err; /* a part of the error when rc is -1 */
};

static const struct tlsa_text_case tlsa_texts[] = {
    /* RFC 6698 §2.3, as written there (with the data split by spaces). */
    {"0 0 1 d2abde240d7cd3ee6b4b28c54df034b9\n      7983a1d16e8a410e4561cb106618e971", TLSA_PKIX, 0,
        0, 1, 32, NULL},
    {"1 1 2 92003ba34942dc74152e2f2c408d29ec a5a520e7f2e06bb944f4dca346baf63c "
     "1b177615d466f6c4b71c216a50292bd5 8c9ebdd2f74e38fe51ffd48c43326cbc",
        TLSA_PKIX, 1, 1, 2, 64, NULL},
    {"3 0 0 30820307308201efa003020102", TLSA_USABLE, 3, 0, 0, 13, NULL},
    /* The records RFC 7672 §3.1 recommends, and the other usable ones. */
    {"3 1 1 " H32, TLSA_USABLE, 3, 1, 1, 32, NULL},
    {"2 0 1 " H32, TLSA_USABLE, 2, 0, 1, 32, NULL},
    {"2 1 2 " H64, TLSA_USABLE, 2, 1, 2, 64, NULL},
    {"3 1 1 D2ABDE24 0D7CD3EE\t6B4B28C5 4DF034B9 7983A1D1 6E8A410E 4561CB10 6618E971", TLSA_USABLE,
        3, 1, 1, 32, NULL},
    {"  3   1   1   " H32 "  ", TLSA_USABLE, 3, 1, 1, 32, NULL},
    {"003 001 001 " H32, TLSA_USABLE, 3, 1, 1, 32, NULL},
    /* Digests of the wrong length (RFC 7671: unusable). */
    {"3 1 1 " H64, TLSA_BAD_LENGTH, 3, 1, 1, 64, NULL},
    {"3 1 2 " H32, TLSA_BAD_LENGTH, 3, 1, 2, 32, NULL},
    {"3 1 1 d2ab", TLSA_BAD_LENGTH, 3, 1, 1, 2, NULL},
    /* Values past those defined (255 is private use): unusable. */
    {"4 1 1 " H32, TLSA_UNKNOWN_USAGE, 4, 1, 1, 32, NULL},
    {"255 1 1 " H32, TLSA_UNKNOWN_USAGE, 255, 1, 1, 32, NULL},
    {"3 2 1 " H32, TLSA_UNKNOWN_SELECTOR, 3, 2, 1, 32, NULL},
    {"2 255 1 " H32, TLSA_UNKNOWN_SELECTOR, 2, 255, 1, 32, NULL},
    {"3 1 3 " H32, TLSA_UNKNOWN_MTYPE, 3, 1, 3, 32, NULL},
    {"3 1 255 " H32, TLSA_UNKNOWN_MTYPE, 3, 1, 255, 32, NULL},
    {"1 2 3 00", TLSA_PKIX, 1, 2, 3, 1, NULL},
    /* Not a TLSA record in presentation form. */
    {"", -1, 0, 0, 0, 0, "certificate usage"},
    {"3", -1, 0, 0, 0, 0, "selector"},
    {"3 1", -1, 0, 0, 0, 0, "matching type"},
    {"3 1 1", -1, 0, 0, 0, 0, "no certificate association data"},
    {"3 1 1    ", -1, 0, 0, 0, 0, "no certificate association data"},
    {"3 1 1 abc", -1, 0, 0, 0, 0, "odd number"},
    {"3 1 1 zz", -1, 0, 0, 0, 0, "not a hex digit"},
    {"3 1 1 0x00", -1, 0, 0, 0, 0, "not a hex digit"},
    {"3 1 1 ( " H32 " )", -1, 0, 0, 0, 0, "not a hex digit"},
    {"256 1 1 00", -1, 0, 0, 0, 0, "certificate usage"},
    {"0003 1 1 00", -1, 0, 0, 0, 0, "certificate usage"},
    {"-1 1 1 00", -1, 0, 0, 0, 0, "certificate usage"},
    {"3 1 1x 00", -1, 0, 0, 0, 0, "matching type"},
    {"DANE-EE SPKI SHA2-256 " H32, -1, 0, 0, 0, 0, "certificate usage"},
    {"\\# 35 030101" H32, -1, 0, 0, 0, 0, "certificate usage"},
};

START_TEST(test_tlsa_text)
{
	const struct tlsa_text_case *c = &tlsa_texts[_i];
	struct tlsa_rr rr;
	char err[160] = "";
	int rc = tlsa_from_text(c->text, &rr, err, sizeof(err));

	ck_assert_msg(rc == c->rc, "'%s': %d, want %d (%s)", c->text, rc, c->rc, err);
	if (rc < 0) {
		ck_assert_msg(strstr(err, c->err) != NULL, "'%s': error '%s'", c->text, err);
		return;
	}
	ck_assert_int_eq(rr.usage, c->u);
	ck_assert_int_eq(rr.selector, c->s);
	ck_assert_int_eq(rr.mtype, c->m);
	ck_assert_uint_eq(rr.len, c->len);
	ck_assert_int_eq(tlsa_check(&rr), rc);
}
END_TEST

/* The data is read as written, case folded, spaces skipped. */
START_TEST(test_tlsa_text_data)
{
	static const uint8_t want[32] = {
	    0xd2,
	    0xab,
	    0xde,
	    0x24,
	    0x0d,
	    0x7c,
	    0xd3,
	    0xee,
	    0x6b,
	    0x4b,
	    0x28,
	    0xc5,
	    0x4d,
	    0xf0,
	    0x34,
	    0xb9,
	    0x79,
	    0x83,
	    0xa1,
	    0xd1,
	    0x6e,
	    0x8a,
	    0x41,
	    0x0e,
	    0x45,
	    0x61,
	    0xcb,
	    0x10,
	    0x66,
	    0x18,
	    0xe9,
	    0x71,
	};
	struct tlsa_rr rr;
	char err[160];

	ck_assert_int_eq(tlsa_from_text("3 1 1 D2ABDE24 0D7CD3EE\t6B4B28C5 4DF034B9 7983A1D1 "
	                                "6E8A410E 4561CB10 6618E971",
	                     &rr, err, sizeof(err)),
	    TLSA_USABLE);
	ck_assert_uint_eq(rr.len, 32);
	ck_assert(memcmp(rr.data, want, 32) == 0);
}
END_TEST

/* Full certificates (matching type 0) up to TLSA_MAX_DATA - 1 bytes are
 * kept; longer ones are cut to TLSA_MAX_DATA and TOO_LONG, from text and
 * from the wire alike. */
START_TEST(test_tlsa_long)
{
	static const size_t sizes[] = {
	    1, 1000, TLSA_MAX_DATA - 1, TLSA_MAX_DATA, TLSA_MAX_DATA + 1, 70000};
	static char text[2 * 70000 + 16];
	static uint8_t wire[70000 + 3];
	struct tlsa_rr rr;
	char err[160];

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		int want = n < TLSA_MAX_DATA ? TLSA_USABLE : TLSA_TOO_LONG;
		size_t keep = n < TLSA_MAX_DATA ? n : TLSA_MAX_DATA;

		memcpy(text, "3 0 0 ", 6);
		memset(text + 6, 'a', 2 * n);
		text[6 + 2 * n] = '\0';
		ck_assert_msg(tlsa_from_text(text, &rr, err, sizeof(err)) == want, "text %zu", n);
		ck_assert_uint_eq(rr.len, keep);
		ck_assert(rr.data[keep - 1] == 0xaa);
		wire[0] = 3;
		wire[1] = 0;
		wire[2] = 0;
		memset(wire + 3, 0xaa, n);
		ck_assert_msg((int)tlsa_from_wire(wire, n + 3, &rr) == want, "wire %zu", n);
		ck_assert_uint_eq(rr.len, keep);
		ck_assert_int_eq((int)tlsa_check(&rr), want);
		/* A digest type never reads as too long: its length is wrong. */
		wire[2] = 1;
		ck_assert_int_eq(tlsa_from_wire(wire, n + 3, &rr), TLSA_BAD_LENGTH);
	}
}
END_TEST

struct tlsa_wire_case {
	const char *rdata;
	size_t len;
	int verdict;
	int u, s, m;
	size_t dlen;
};

static const struct tlsa_wire_case tlsa_wires[] = {
    {"", 0, TLSA_MALFORMED, 0, 0, 0, 0},
    {"\x03", 1, TLSA_MALFORMED, 3, 0, 0, 0},
    {"\x03\x01", 2, TLSA_MALFORMED, 3, 1, 0, 0},
    {"\x03\x01\x01", 3, TLSA_MALFORMED, 3, 1, 1, 0},
    {"\x03\x00\x00\x30", 4, TLSA_USABLE, 3, 0, 0, 1},
    {"\x03\x01\x01\x00", 4, TLSA_BAD_LENGTH, 3, 1, 1, 1},
    {"\x03\x01\x01"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_USABLE, 3, 1, 1, 32},
    {"\x02\x00\x01"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_USABLE, 2, 0, 1, 32},
    {"\x03\x01\x01"
     "0123456789abcdef0123456789abcde",
        34, TLSA_BAD_LENGTH, 3, 1, 1, 31},
    {"\x01\x01\x01"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_PKIX, 1, 1, 1, 32},
    {"\x00\x00\x01"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_PKIX, 0, 0, 1, 32},
    {"\xff\x01\x01"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_UNKNOWN_USAGE, 255, 1, 1, 32},
    {"\x03\xff\x01"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_UNKNOWN_SELECTOR, 3, 255, 1, 32},
    {"\x03\x01\xff"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_UNKNOWN_MTYPE, 3, 1, 255, 32},
    {"\x03\x01\x02"
     "0123456789abcdef0123456789abcdef",
        35, TLSA_BAD_LENGTH, 3, 1, 2, 32},
    {"\x03\x00\x00\x00\x00\x00", 6, TLSA_USABLE, 3, 0, 0, 3},
};

START_TEST(test_tlsa_wire)
{
	const struct tlsa_wire_case *c = &tlsa_wires[_i];
	struct tlsa_rr rr;
	int v = (int)tlsa_from_wire((const uint8_t *)c->rdata, c->len, &rr);

	ck_assert_msg(v == c->verdict, "case %d: %s, want %s", _i, tlsa_verdict_id(v),
	    tlsa_verdict_id(c->verdict));
	ck_assert_int_eq(rr.usage, c->u);
	ck_assert_int_eq(rr.selector, c->s);
	ck_assert_int_eq(rr.mtype, c->m);
	ck_assert_uint_eq(rr.len, c->dlen);
	ck_assert(c->dlen == 0 || memcmp(rr.data, c->rdata + 3, c->dlen) == 0);
	ck_assert_int_eq((int)tlsa_check(&rr), v);
}
END_TEST

START_TEST(test_tlsa_null)
{
	struct tlsa_rr rr;
	char err[64];

	ck_assert_int_eq(tlsa_from_wire(NULL, 10, &rr), TLSA_MALFORMED);
	ck_assert_int_eq(tlsa_check(NULL), TLSA_MALFORMED);
	ck_assert_int_eq(tlsa_from_text(NULL, &rr, err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_tlsa_ids)
{
	static const enum tlsa_verdict all[] = {TLSA_USABLE, TLSA_PKIX, TLSA_UNKNOWN_USAGE,
	    TLSA_UNKNOWN_SELECTOR, TLSA_UNKNOWN_MTYPE, TLSA_BAD_LENGTH, TLSA_TOO_LONG,
	    TLSA_MALFORMED};

	ck_assert_str_eq(tlsa_verdict_id(TLSA_USABLE), "usable");
	ck_assert_str_eq(tlsa_verdict_id(TLSA_PKIX), "pkix-usage");
	for (int i = 0; i < N(all); i++) {
		ck_assert(tlsa_verdict_id(all[i])[0] != '\0');
		for (int j = 0; j < i; j++) {
			ck_assert_str_ne(tlsa_verdict_id(all[i]), tlsa_verdict_id(all[j]));
		}
	}
	ck_assert_str_eq(tlsa_verdict_id((enum tlsa_verdict)99), "");
}
END_TEST

/* Formatting: the whole record when it fits, "..." when not, never past
 * the buffer, the length returned always the string's. */
START_TEST(test_tlsa_format)
{
	struct tlsa_rr rr, back;
	char buf[256], err[160];

	ck_assert_int_eq(tlsa_from_text("3 1 1 " H32, &rr, err, sizeof(err)), TLSA_USABLE);
	ck_assert_uint_eq(tlsa_format(&rr, buf, sizeof(buf)), strlen("3 1 1 " H32));
	ck_assert_str_eq(buf, "3 1 1 " H32);
	ck_assert_int_eq(tlsa_from_text(buf, &back, err, sizeof(err)), TLSA_USABLE);
	ck_assert(back.len == rr.len && memcmp(back.data, rr.data, rr.len) == 0);
	ck_assert_uint_eq(tlsa_format(&rr, buf, 10), 9);
	ck_assert_str_eq(buf, "3 1 1 ...");
	ck_assert_uint_eq(tlsa_format(&rr, buf, 12), 11);
	ck_assert_str_eq(buf, "3 1 1 d2...");
	ck_assert_uint_eq(tlsa_format(&rr, buf, 0), 0);
	for (size_t sz = 1; sz < sizeof(buf); sz++) {
		size_t n;

		memset(buf, 'X', sizeof(buf));
		n = tlsa_format(&rr, buf, sz);
		ck_assert_msg(n < sz && strlen(buf) == n, "bufsz %zu: %zu", sz, n);
		ck_assert_msg(buf[sz] == 'X', "bufsz %zu: wrote past the buffer", sz);
		if (sz > strlen("3 1 1 " H32)) {
			ck_assert_str_eq(buf, "3 1 1 " H32);
		} else if (sz >= 4) {
			ck_assert_msg(strcmp(buf + n - 3, "...") == 0, "bufsz %zu: '%s'", sz, buf);
		}
	}
	rr.usage = 255;
	rr.selector = 255;
	rr.mtype = 255;
	tlsa_format(&rr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "255 255 255 " H32);
}
END_TEST

/* ---- MTA-STS TXT record (RFC 8461 §3.1) ---- */

struct txt_case {
	const char *txt;
	size_t len; /* 0: strlen */
	int valid;
	const char *id_or_err; /* valid: the id; not: a part of the error */
};

static const struct txt_case sts_txts[] = {
    {"v=STSv1; id=20160831085700Z;", 0, 1, "20160831085700Z"}, /* §3.1's example */
    {"v=STSv1; id=20160831085700Z", 0, 1, "20160831085700Z"},
    {"v=STSv1;id=abc", 0, 1, "abc"},
    {"v=STSv1 ;  id=abc ;  ", 0, 1, "abc"},
    {"v=STSv1;\tid=abc\t;", 0, 1, "abc"},
    {"v=STSv1; id=abc; ext=val", 0, 1, "abc"},
    {"v=STSv1; ext-1.x_y=v:a/l~; id=abc", 0, 1, "abc"},
    {"v=STSv1; id=first; id=second", 0, 1, "first"},
    {"v=STSv1; id=ok; id=not-an-id", 0, 1, "ok"},
    {"v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 0, 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"},
    {"v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", 0, 0, "1 to 32"},
    {"v=STSv1; id=abc-def", 0, 0, "1 to 32"},
    {"v=STSv1; id=", 0, 0, "1 to 32"},
    {"v=STSv1", 0, 0, "no field after"},
    {"v=STSv1;", 0, 0, "no id field"},
    {"v=STSv1; ext=x", 0, 0, "no id field"},
    {"v=STSv1; ID=abc", 0, 0, "no id field"},
    {"v=STSv2; id=1", 0, 0, "does not start with \"v=STSv1\""},
    {"v=stsv1; id=1", 0, 0, "does not start with"},
    {" v=STSv1; id=1", 0, 0, "does not start with"},
    {"id=1; v=STSv1", 0, 0, "does not start with"},
    {"", 0, 0, "does not start with"},
    {"v=STSv10; id=1", 0, 0, "is not followed by \";\""},
    {"v=STSv1 id=1", 0, 0, "is not followed by"},
    {"v=STSv1; id=1;;", 0, 0, "empty field"},
    {"v=STSv1;; id=1", 0, 0, "empty field"},
    {"v=STSv1; id=1 ", 0, 0, "whitespace after the last field"},
    {"v=STSv1; id", 0, 0, "field 1 is not name=value"},
    {"v=STSv1; id=1; =x", 0, 0, "field 2 has a name"},
    {"v=STSv1; id=1; _x=y", 0, 0, "field 2 has a name"},
    {"v=STSv1; id=1; e=a b", 0, 0, "field 2 has an empty value"},
    {"v=STSv1; id=1; e=", 0, 0, "field 2 has an empty value"},
    {"v=STSv1; id=1; e=a=b", 0, 0, "field 2 has an empty value"},
    {"v=STSv1; id=1\0", 14, 0, "byte 14 (0x00)"},
    {"v=STSv1; id=1\r\n", 0, 0, "byte 14 (0x0d)"},
    {"v=STSv1; id=caf\xc3\xa9", 0, 0, "(0xc3) is not printable US-ASCII"},
    {"v=STSv1; id=1\x7f", 0, 0, "(0x7f)"},
};

START_TEST(test_sts_txt)
{
	const struct txt_case *c = &sts_txts[_i];
	size_t len = c->len != 0 ? c->len : strlen(c->txt);
	struct sts_txt t;
	int rc = sts_txt_parse(c->txt, len, &t);

	ck_assert_msg(t.valid == c->valid && rc == (c->valid ? 0 : -1), "'%s': valid %d (%s)",
	    c->txt, t.valid, t.error);
	if (c->valid) {
		ck_assert_str_eq(t.id, c->id_or_err);
		ck_assert_str_eq(t.error, "");
	} else {
		ck_assert_msg(
		    strstr(t.error, c->id_or_err) != NULL, "'%s': error '%s'", c->txt, t.error);
		ck_assert_str_eq(t.id, "");
	}
}
END_TEST

/* The length given counts, not a NUL: a record cut short is read short. */
START_TEST(test_sts_txt_len)
{
	struct sts_txt t;

	ck_assert_int_eq(sts_txt_parse("v=STSv1; id=abcdef", 14, &t), 0);
	ck_assert_str_eq(t.id, "ab");
	ck_assert_int_eq(sts_txt_parse("v=STSv1; id=abc", 5, &t), -1);
	ck_assert_int_eq(sts_txt_parse(NULL, 5, &t), -1);
	ck_assert(t.error[0] != '\0');
}
END_TEST

/* ---- MTA-STS policy (RFC 8461 §3.2) ---- */

/* The first lines of the policies below. */
#define ENF "version: STSv1\nmode: enforce\nmax_age: 5\n"
#define NONE5 "version: STSv1\nmode: none\nmax_age: 5\n"

#define RFC_POLICY(NL)                                                                             \
	"version: STSv1" NL "mode: enforce" NL "mx: mail.example.com" NL "mx: *.example.net" NL    \
	"mx: backupmx.example.com" NL "max_age: 604800" NL

struct policy_case {
	const char *text;
	size_t len; /* 0: strlen */
	int valid;
	enum sts_mode mode;
	long max_age;
	size_t nmx;
	const char *mx0_or_err;
};

static const struct policy_case policies[] = {
    /* §3.2's example, with LF, CRLF, both, and without the last line end. */
    {RFC_POLICY("\n"), 0, 1, STS_MODE_ENFORCE, 604800, 3, "mail.example.com"},
    {RFC_POLICY("\r\n"), 0, 1, STS_MODE_ENFORCE, 604800, 3, "mail.example.com"},
    {"version: STSv1\r\nmode: testing\nmx: a.example\r\nmax_age: 86400", 0, 1, STS_MODE_TESTING,
        86400, 1, "a.example"},
    /* Any order; no space after the colon; tabs and trailing spaces. */
    {"max_age: 1\nmx: a.example\nmode: enforce\nversion: STSv1\n", 0, 1, STS_MODE_ENFORCE, 1, 1,
        "a.example"},
    {"version:STSv1\nmode:\tenforce  \nmx:a.example\t\nmax_age:   0\n", 0, 1, STS_MODE_ENFORCE, 0,
        1, "a.example"},
    /* mx is required "except when mode is none". */
    {"version: STSv1\nmode: none\nmax_age: 86400\n", 0, 1, STS_MODE_NONE, 86400, 0, NULL},
    {"version: STSv1\nmode: testing\nmax_age: 86400\n", 0, 0, 0, 0, 0, "no mx field"},
    {"version: STSv1\nmode: enforce\nmax_age: 86400\n", 0, 0, 0, 0, 0, "no mx field"},
    {"mode: enforce\nmx: a.example\nmax_age: 86400\n", 0, 0, 0, 0, 0, "no version field"},
    {"version: STSv1\nmx: a.example\nmax_age: 86400\n", 0, 0, 0, 0, 0, "no mode field"},
    {"version: STSv1\nmode: enforce\nmx: a.example\n", 0, 0, 0, 0, 0, "no max_age field"},
    {"version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", 0, 0, 0, 0, 0,
        "line 1: the version is not STSv1"},
    {"version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", 0, 0, 0, 0, 0,
        "the version is not STSv1"},
    {"version: STSv1\nmode: report\nmx: a.example\nmax_age: 1\n", 0, 0, 0, 0, 0,
        "line 2: the mode is not enforce, testing or none"},
    {"version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n", 0, 0, 0, 0, 0,
        "the mode is not"},
    /* Field names are case-sensitive: "Mode" is an extension, ignored. */
    {"version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 1\n", 0, 0, 0, 0, 0, "no mode field"},
    /* max_age: 1*10 DIGIT, at most 31557600. */
    {"version: STSv1\nmode: none\nmax_age: 31557600\n", 0, 1, STS_MODE_NONE, 31557600, 0, NULL},
    {"version: STSv1\nmode: none\nmax_age: 0000000001\n", 0, 1, STS_MODE_NONE, 1, 0, NULL},
    {"version: STSv1\nmode: none\nmax_age: 31557601\n", 0, 0, 0, 0, 0,
        "max_age 31557601 is over the maximum of 31557600"},
    {"version: STSv1\nmode: none\nmax_age: 9999999999\n", 0, 0, 0, 0, 0, "over the maximum"},
    {"version: STSv1\nmode: none\nmax_age: 00000000001\n", 0, 0, 0, 0, 0, "1 to 10 digits"},
    {"version: STSv1\nmode: none\nmax_age: -1\n", 0, 0, 0, 0, 0, "1 to 10 digits"},
    {"version: STSv1\nmode: none\nmax_age: 1e6\n", 0, 0, 0, 0, 0, "1 to 10 digits"},
    {"version: STSv1\nmode: none\nmax_age: 1 2\n", 0, 0, 0, 0, 0, "1 to 10 digits"},
    {"version: STSv1\nmode: none\nmax_age:\n", 0, 0, 0, 0, 0, "line 3: the value is empty"},
    /* Duplicates: the first counts, the rest are ignored. */
    {"version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 5\nmax_age: 6\n", 0, 1,
        STS_MODE_TESTING, 5, 1, "a.example"},
    {"version: STSv1\nversion: STSv9\nmode: none\nmax_age: 5\nmode: bogus\n", 0, 1, STS_MODE_NONE,
        5, 0, NULL},
    /* Extension fields, ignored when their syntax is right. */
    {NONE5 "x-ext_1.a: any text, even: colons\n", 0, 1, STS_MODE_NONE, 5, 0, NULL},
    {NONE5 "note: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n", 0, 1, STS_MODE_NONE, 5, 0, NULL},
    {NONE5 "note: \xc3\n", 0, 0, 0, 0, 0, "not UTF-8"},
    {NONE5 "note: \xc0\xaf\n", 0, 0, 0, 0, 0, "not UTF-8"},
    {NONE5 "note: \xed\xa0\x80\n", 0, 0, 0, 0, 0, "not UTF-8"},
    {NONE5 "note: \xf4\x90\x80\x80\n", 0, 0, 0, 0, 0, "not UTF-8"},
    {NONE5 "note: a\tb\n", 0, 0, 0, 0, 0, "a tab"},
    {NONE5 "_x: y\n", 0, 0, 0, 0, 0, "line 4: the key"},
    {NONE5 "mx : a.example\n", 0, 0, 0, 0, 0, "line 4: the key"},
    {NONE5 ": y\n", 0, 0, 0, 0, 0, "line 4: the key"},
    {NONE5 "no colon here\n", 0, 0, 0, 0, 0, "line 4 is not \"key: value\""},
    /* Lines: LF or CRLF; empty lines skipped; no bare CR, no control byte. */
    {"version: STSv1\n\nmode: none\nmax_age: 5\n", 0, 1, STS_MODE_NONE, 5, 0, NULL},
    {NONE5 "\n", 0, 1, STS_MODE_NONE, 5, 0, NULL},
    {"version: STSv1\nmode: none\nmax_age: 5\r\n\r\n", 0, 1, STS_MODE_NONE, 5, 0, NULL},
    {"version: STSv1\rmode: none\nmax_age: 5\n", 0, 0, 0, 0, 0, "line 1: byte 0x0d"},
    {"version: STSv1\nmode: none\nmax_age: 5\r", 0, 0, 0, 0, 0, "line 3: byte 0x0d"},
    {"version: STSv1\nmode: none\0\nmax_age: 5\n", 38, 0, 0, 0, 0, "line 2: byte 0x00"},
    {"", 0, 0, 0, 0, 0, "the policy is empty"},
    {"\n", 0, 0, 0, 0, 0, "no version field"},
    /* mx patterns: ["*."] Domain, no trailing dot. */
    {ENF "mx: *.example.com\n", 0, 1, STS_MODE_ENFORCE, 5, 1, "*.example.com"},
    {ENF "mx: localhost\n", 0, 1, STS_MODE_ENFORCE, 5, 1, "localhost"},
    {ENF "mx: MX-1.Example.COM\n", 0, 1, STS_MODE_ENFORCE, 5, 1, "MX-1.Example.COM"},
    {ENF "mx: mail.example.com.\n", 0, 0, 0, 0, 0, "line 4: the mx pattern"},
    {ENF "mx: *\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: *.\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: .example.com\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: *.*.example.com\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: mail.*.com\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: mx*.example.com\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: -a.example\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: a-.example\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: a..example\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: a_b.example\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: mail.example.com mx2.example.com\n", 0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: xn--bcher-kva.example\n", 0, 1, STS_MODE_ENFORCE, 5, 1, "xn--bcher-kva.example"},
    {ENF "mx: b\xc3\xbc"
         "cher.example\n",
        0, 0, 0, 0, 0, "mx pattern"},
    {ENF "mx: "
         "a23456789012345678901234567890123456789012345678901234567890123.example\n",
        0, 1, STS_MODE_ENFORCE, 5, 1,
        "a23456789012345678901234567890123456789012345678901234567890123.example"},
    {ENF "mx: "
         "a234567890123456789012345678901234567890123456789012345678901234.example\n",
        0, 0, 0, 0, 0, "mx pattern"},
};

START_TEST(test_sts_policy)
{
	const struct policy_case *c = &policies[_i];
	size_t len = c->len != 0 ? c->len : strlen(c->text);
	struct sts_policy p;
	int rc = sts_policy_parse(c->text, len, &p);

	ck_assert_msg(p.valid == c->valid && rc == (c->valid ? 0 : -1), "case %d: valid %d (%s)",
	    _i, p.valid, p.error);
	if (!c->valid) {
		ck_assert_msg(
		    strstr(p.error, c->mx0_or_err) != NULL, "case %d: error '%s'", _i, p.error);
		/* Nothing of an invalid policy is kept (RFC 8461 §5). */
		ck_assert(p.mode == STS_MODE_UNSET && p.nmx == 0 && p.max_age == -1);
		return;
	}
	ck_assert_str_eq(p.error, "");
	ck_assert_int_eq(p.mode, c->mode);
	ck_assert_int_eq(p.max_age, c->max_age);
	ck_assert_uint_eq(p.nmx, c->nmx);
	ck_assert_uint_eq(p.mx_dropped, 0);
	if (c->nmx > 0) {
		ck_assert_str_eq(p.mx[0], c->mx0_or_err);
	}
}
END_TEST

START_TEST(test_sts_policy_rfc)
{
	struct sts_policy p;

	ck_assert_int_eq(sts_policy_parse(RFC_POLICY("\r\n"), strlen(RFC_POLICY("\r\n")), &p), 0);
	ck_assert_str_eq(p.mx[0], "mail.example.com");
	ck_assert_str_eq(p.mx[1], "*.example.net");
	ck_assert_str_eq(p.mx[2], "backupmx.example.com");
	ck_assert_str_eq(sts_mode_name(p.mode), "enforce");
	ck_assert_int_eq(sts_policy_match(&p, "mail.example.com"), 0);
	ck_assert_int_eq(sts_policy_match(&p, "MAIL.EXAMPLE.COM"), 0);
	ck_assert_int_eq(sts_policy_match(&p, "mx1.example.net"), 1);
	ck_assert_int_eq(sts_policy_match(&p, "backupmx.example.com"), 2);
	ck_assert_int_eq(sts_policy_match(&p, "example.net"), -1);
	ck_assert_int_eq(sts_policy_match(&p, "a.b.example.net"), -1);
	ck_assert_int_eq(sts_policy_match(&p, "other.example.com"), -1);
	ck_assert_int_eq(sts_policy_match(&p, ""), -1);
	ck_assert_int_eq(sts_policy_match(&p, NULL), -1);
	ck_assert_int_eq(sts_policy_match(NULL, "mail.example.com"), -1);
	/* Not valid: max_age stays -1 when missing. */
	ck_assert_int_eq(sts_policy_parse("version: STSv1\n", 15, &p), -1);
	ck_assert_int_eq(p.max_age, -1);
	/* Not valid: nothing read before the fault is kept, only why. */
	{
		static const char part[] = "version: STSv1\nmode: enforce\nmx: mail.example.com\n";

		ck_assert_int_eq(sts_policy_parse(part, strlen(part), &p), -1);
		ck_assert_int_eq(p.mode, STS_MODE_UNSET);
		ck_assert_uint_eq(p.nmx, 0);
		ck_assert_str_eq(p.mx[0], "");
		ck_assert_str_ne(p.error, "");
	}
	ck_assert_int_eq(sts_policy_parse(NULL, 10, &p), -1);
}
END_TEST

/* More mx lines than kept: the first STS_MAX_MX kept, the rest counted,
 * the policy still valid (and a host in a dropped pattern unmatched). */
START_TEST(test_sts_policy_many_mx)
{
	static char text[8192];
	struct sts_policy p;
	size_t o;

	o = (size_t)snprintf(text, sizeof(text), "version: STSv1\nmode: enforce\nmax_age: 60\n");
	for (int i = 0; i < STS_MAX_MX + 4; i++) {
		o += (size_t)snprintf(text + o, sizeof(text) - o, "mx: mx%d.example\n", i);
	}
	ck_assert_int_eq(sts_policy_parse(text, o, &p), 0);
	ck_assert_uint_eq(p.nmx, STS_MAX_MX);
	ck_assert_uint_eq(p.mx_dropped, 4);
	ck_assert_str_eq(p.mx[STS_MAX_MX - 1], "mx15.example");
	ck_assert_int_eq(sts_policy_match(&p, "mx15.example"), STS_MAX_MX - 1);
	ck_assert_int_eq(sts_policy_match(&p, "mx16.example"), -1);
}
END_TEST

/* A pattern of BOUND_NAME characters is kept whole; one more is refused. */
START_TEST(test_sts_policy_long_mx)
{
	static char text[1024], name[BOUND_NAME + 2];
	struct sts_policy p;
	size_t i;

	for (size_t n = BOUND_NAME - 1; n <= BOUND_NAME + 1; n++) {
		for (i = 0; i < n; i++) {
			name[i] = i % 50 == 49 ? '.' : 'a';
		}
		name[n] = '\0';
		snprintf(text, sizeof(text), "version: STSv1\nmode: enforce\nmax_age: 1\nmx: %s\n",
		    name);
		ck_assert_int_eq(
		    sts_policy_parse(text, strlen(text), &p), n <= BOUND_NAME ? 0 : -1);
		if (n <= BOUND_NAME) {
			ck_assert_str_eq(p.mx[0], name);
			ck_assert_int_eq(sts_mx_match(p.mx[0], name), 1);
		}
	}
}
END_TEST

struct match_case {
	const char *pattern, *host;
	int match;
};

static const struct match_case matches[] = {
    {"mail.example.com", "mail.example.com", 1},
    {"mail.example.com", "MAIL.Example.COM", 1},
    {"MAIL.EXAMPLE.COM", "mail.example.com", 1},
    {"mail.example.com", "mail.example.com.", 1},
    {"mail.example.com", "mail.example.co", 0},
    {"mail.example.com", "xmail.example.com", 0},
    {"mail.example.com", "example.com", 0},
    {"mail.example.com", "mail.example.com..", 0},
    /* §4.1: "*.example.com" matches "mail.example.com" but not
     * "example.com" or "foo.bar.example.com". */
    {"*.example.com", "mail.example.com", 1},
    {"*.example.com", "A.EXAMPLE.com", 1},
    {"*.example.com", "mail.example.com.", 1},
    {"*.example.com", "example.com", 0},
    {"*.example.com", "a.b.example.com", 0},
    {"*.example.com", "foo.bar.example.com", 0},
    {"*.example.com", ".example.com", 0},
    {"*.example.com", "mailexample.com", 0},
    {"*.example.com", "mail.example.comx", 0},
    {"*.example.com", "mail.xexample.com", 0},
    {"*.example.com", "*.example.com.x", 0},
    {"*", "mail", 0},
    {"*.", "mail.", 0},
    {"", "", 0},
    {"a.example", "", 0},
    {"", "a.example", 0},
    {"a.example", ".", 0},
    /* ASCII case only; other bytes as they are. */
    {"caf\xc3\xa9.example", "CAF\xc3\xa9.EXAMPLE", 1},
    {"caf\xc3\xa9.example", "caf\xc3\x89.example", 0},
};

START_TEST(test_sts_mx_match)
{
	const struct match_case *c = &matches[_i];

	ck_assert_msg(sts_mx_match(c->pattern, c->host) == c->match, "'%s' vs '%s': want %d",
	    c->pattern, c->host, c->match);
}
END_TEST

START_TEST(test_sts_mx_match_edges)
{
	static char huge[4096];

	ck_assert_int_eq(sts_mx_match(NULL, "a"), 0);
	ck_assert_int_eq(sts_mx_match("a", NULL), 0);
	memset(huge, 'a', sizeof(huge) - 1);
	ck_assert_int_eq(sts_mx_match(huge, huge), 0);
	huge[0] = '*';
	huge[1] = '.';
	ck_assert_int_eq(sts_mx_match(huge, huge + 1), 0);
	ck_assert_str_eq(sts_mode_name(STS_MODE_UNSET), "");
	ck_assert_str_eq(sts_mode_name(STS_MODE_TESTING), "testing");
	ck_assert_str_eq(sts_mode_name(STS_MODE_NONE), "none");
	ck_assert_str_eq(sts_mode_name((enum sts_mode)42), "");
}
END_TEST

/* ---- TLS-RPT record (RFC 8460 §3) ---- */

struct rpt_case {
	const char *txt;
	int valid;
	size_t nrua;
	const char *rua0_or_err;
};

static const struct rpt_case rpts[] = {
    /* RFC 8460 §3.1.1 and §3.1.2. */
    {"v=TLSRPTv1;rua=mailto:reports@example.com", 1, 1, "mailto:reports@example.com"},
    {"v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", 1, 1,
        "https://reporting.example.com/v1/tlsrpt"},
    {"v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x", 1, 2, "mailto:a@example.com"},
    {"v=TLSRPTv1; rua=mailto:a@example.com , \tmailto:b@example.com ;", 1, 2,
        "mailto:a@example.com"},
    {"v=TLSRPTv1; rua=MAILTO:a@example.com", 1, 1, "MAILTO:a@example.com"},
    {"v=TLSRPTv1; rua=HTTPS://r.example.com", 1, 1, "HTTPS://r.example.com"},
    {"v=TLSRPTv1; rua=mailto:a%21b@example.com?subject=x%2Cy", 1, 1,
        "mailto:a%21b@example.com?subject=x%2Cy"},
    {"v=TLSRPTv1; rua=https://[2001:db8::1]:8443/r?a=b&c=d#f", 1, 1,
        "https://[2001:db8::1]:8443/r?a=b&c=d#f"},
    {"v=TLSRPTv1; x=1; rua=mailto:a@x;", 1, 1, "mailto:a@x"},
    {"v=TLSRPTv1; rua=mailto:a@x; rua=mailto:b@x", 1, 1, "mailto:a@x"},
    {"v=TLSRPTv1; rua=http://r.example.com", 0, 0, "neither mailto: nor https:"},
    {"v=TLSRPTv1; rua=ftp://r.example.com", 0, 0, "neither mailto: nor https:"},
    {"v=TLSRPTv1; rua=reports@example.com", 0, 0, "neither mailto: nor https:"},
    {"v=TLSRPTv1; rua=mailto:", 0, 0, "no address"},
    {"v=TLSRPTv1; rua=https:r.example.com", 0, 0, "not https://HOST"},
    {"v=TLSRPTv1; rua=https://", 0, 0, "not https://HOST"},
    {"v=TLSRPTv1; rua=https:///x", 0, 0, "not https://HOST"},
    {"v=TLSRPTv1; rua=mailto:a@example.com,,mailto:b@x", 0, 0, "rua URI 2 is empty"},
    {"v=TLSRPTv1; rua=mailto:a@example.com,", 0, 0, "rua URI 2 is empty"},
    {"v=TLSRPTv1; rua=", 0, 0, "rua is empty"},
    {"v=TLSRPTv1; rua=mailto:a b@example.com", 0, 0, "rua URI 1 holds a character"},
    {"v=TLSRPTv1; rua=mailto:a!b@example.com", 0, 0, "rua URI 1 holds a character"},
    {"v=TLSRPTv1; rua=mailto:a@x,mailto:a%2@example.com", 0, 0, "rua URI 2 holds a character"},
    {"v=TLSRPTv1; rua=mailto:<a@example.com>", 0, 0, "holds a character"},
    {"v=TLSRPTv1; rua=mailto:\"a\"@example.com", 0, 0, "holds a character"},
    {"v=TLSRPTv1", 0, 0, "no field after"},
    {"v=TLSRPTv1;", 0, 0, "no rua field"},
    {"v=TLSRPTv1; ext=1", 0, 0, "no rua field"},
    {"v=TLSRPTv1; RUA=mailto:a@x", 0, 0, "no rua field"},
    {"v=TLSRPTv2; rua=mailto:a@x", 0, 0, "does not start with \"v=TLSRPTv1\""},
    {"v=tlsrptv1; rua=mailto:a@x", 0, 0, "does not start with"},
    {"V=TLSRPTv1; rua=mailto:a@x", 0, 0, "does not start with"},
    {"v=STSv1; id=1", 0, 0, "does not start with"},
    {"v=TLSRPTv1 rua=mailto:a@x", 0, 0, "is not followed by"},
    {"v=TLSRPTv1; rua=mailto:a@x;; ", 0, 0, "empty field"},
    {"v=TLSRPTv1; rua=mailto:a@x ", 0, 0, "whitespace after the last field"},
    {"v=TLSRPTv1; rua=mailto:a@x; e=a b", 0, 0, "field 2 has an empty value"},
    {"v=TLSRPTv1; rua=mailto:r\xc3\xa9@x", 0, 0, "not printable US-ASCII"},
};

START_TEST(test_tlsrpt)
{
	const struct rpt_case *c = &rpts[_i];
	struct tlsrpt r;
	int rc = tlsrpt_parse(c->txt, strlen(c->txt), &r);

	ck_assert_msg(r.valid == c->valid && rc == (c->valid ? 0 : -1), "'%s': valid %d (%s)",
	    c->txt, r.valid, r.error);
	if (!c->valid) {
		ck_assert_msg(
		    strstr(r.error, c->rua0_or_err) != NULL, "'%s': error '%s'", c->txt, r.error);
		ck_assert(r.nrua == 0 && r.rua_dropped == 0);
		return;
	}
	ck_assert_str_eq(r.error, "");
	ck_assert_uint_eq(r.nrua, c->nrua);
	ck_assert_uint_eq(r.rua_dropped, 0);
	ck_assert_str_eq(r.rua[0], c->rua0_or_err);
}
END_TEST

/* More URIs than kept, and one too long to keep: counted, never cut. */
START_TEST(test_tlsrpt_bounds)
{
	static char txt[4096];
	struct tlsrpt r;
	size_t o;

	o = (size_t)snprintf(txt, sizeof(txt), "v=TLSRPTv1; rua=");
	for (int i = 0; i < TLSRPT_MAX_RUA + 2; i++) {
		o += (size_t)snprintf(
		    txt + o, sizeof(txt) - o, "%smailto:r%d@example.com", i > 0 ? "," : "", i);
	}
	ck_assert_int_eq(tlsrpt_parse(txt, o, &r), 0);
	ck_assert_uint_eq(r.nrua, TLSRPT_MAX_RUA);
	ck_assert_uint_eq(r.rua_dropped, 2);
	ck_assert_str_eq(r.rua[TLSRPT_MAX_RUA - 1], "mailto:r7@example.com");

	o = (size_t)snprintf(txt, sizeof(txt), "v=TLSRPTv1; rua=https://r.example/");
	memset(txt + o, 'p', 300);
	o += 300;
	o += (size_t)snprintf(txt + o, sizeof(txt) - o, ",mailto:a@x");
	ck_assert_int_eq(tlsrpt_parse(txt, o, &r), 0);
	ck_assert_uint_eq(r.nrua, 1);
	ck_assert_uint_eq(r.rua_dropped, 1);
	ck_assert_str_eq(r.rua[0], "mailto:a@x");

	ck_assert_int_eq(tlsrpt_parse(NULL, 3, &r), -1);
	ck_assert_int_eq(tlsrpt_parse("v=TLSRPTv1; rua=mailto:a@x", 10, &r), -1);
}
END_TEST

/* ---- Hostile input for every parser: no crash, no read past the given
 * length, an error always a terminated sentence. ---- */

static void
all_parsers(const char *s, size_t len)
{
	struct sts_txt t;
	struct sts_policy p;
	struct tlsrpt r;
	struct tlsa_rr rr;
	char *z = malloc(len + 1), err[160];
	int rc;

	ck_assert_ptr_nonnull(z);
	memcpy(z, s, len);
	z[len] = '\0';
	rc = sts_txt_parse(s, len, &t);
	ck_assert(strlen(t.error) < sizeof(t.error) && (rc == 0) == (t.error[0] == '\0'));
	rc = sts_policy_parse(s, len, &p);
	ck_assert(strlen(p.error) < sizeof(p.error) && (rc == 0) == (p.error[0] == '\0'));
	ck_assert(p.nmx <= STS_MAX_MX);
	rc = tlsrpt_parse(s, len, &r);
	ck_assert(strlen(r.error) < sizeof(r.error) && (rc == 0) == (r.error[0] == '\0'));
	ck_assert(r.nrua <= TLSRPT_MAX_RUA);
	ck_assert(tlsa_from_wire((const uint8_t *)s, len, &rr) == tlsa_check(&rr));
	ck_assert(rr.len <= TLSA_MAX_DATA);
	err[0] = '\0';
	rc = tlsa_from_text(z, &rr, err, sizeof(err));
	ck_assert(rc == -1 ? err[0] != '\0' : rc == (int)tlsa_check(&rr));
	(void)sts_mx_match(z, z);
	free(z);
}

START_TEST(test_hostile_bytes)
{
	char one[1], two[2];

	for (int c = 0; c < 256; c++) {
		one[0] = (char)c;
		all_parsers(one, 1);
		two[0] = 'v';
		two[1] = (char)c;
		all_parsers(two, 2);
	}
	all_parsers("", 0);
}
END_TEST

START_TEST(test_hostile_floods)
{
	static const char *const units[] = {
	    "a",
	    ";",
	    "\n",
	    "\r\n",
	    " ",
	    "\0",
	    "\xff",
	    "mx: a.example\n",
	    "x=y; ",
	    "version: STSv1\n",
	    ",",
	    "rua=mailto:a@x,",
	    "%",
	    "*.",
	    "0 ",
	};
	static const char *const heads[] = {"", "v=STSv1; id=1; ", "v=TLSRPTv1; rua=mailto:a@x; ",
	    "version: STSv1\nmode: none\nmax_age: 1\n", "3 0 0 "};
	size_t size = 1 << 20;
	char *buf = malloc(size);

	ck_assert_ptr_nonnull(buf);
	for (size_t h = 0; h < sizeof(heads) / sizeof(heads[0]); h++) {
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			size_t hl = strlen(heads[h]), o = hl;
			size_t ul = units[u][0] == '\0' ? 1 : strlen(units[u]);

			memcpy(buf, heads[h], hl);
			while (o + ul <= size) {
				memcpy(buf + o, units[u], ul);
				o += ul;
			}
			all_parsers(buf, o);
		}
	}
	free(buf);
}
END_TEST

/* A flood of valid extension fields still parses, and stays valid. */
START_TEST(test_hostile_valid_floods)
{
	size_t size = 1 << 20, o;
	char *buf = malloc(size);
	struct sts_txt t;
	struct tlsrpt r;
	struct sts_policy p;

	ck_assert_ptr_nonnull(buf);
	o = (size_t)snprintf(buf, size, "v=STSv1; id=abc");
	while (o + 5 < size) {
		memcpy(buf + o, "; x=y", 5);
		o += 5;
	}
	ck_assert_int_eq(sts_txt_parse(buf, o, &t), 0);
	o = (size_t)snprintf(buf, size, "v=TLSRPTv1; rua=mailto:a@b");
	while (o + 5 < size) {
		memcpy(buf + o, "; x=y", 5);
		o += 5;
	}
	ck_assert_int_eq(tlsrpt_parse(buf, o, &r), 0);
	o = (size_t)snprintf(buf, size, "version: STSv1\nmode: enforce\nmax_age: 1\n");
	while (o + 14 < size) {
		memcpy(buf + o, "mx: a.example\n", 14);
		o += 14;
	}
	ck_assert_int_eq(sts_policy_parse(buf, o, &p), 0);
	ck_assert_uint_eq(p.nmx, STS_MAX_MX);
	ck_assert_uint_gt(p.mx_dropped, 70000);
	free(buf);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tlspol");
	TCase *tc = tcase_create("tlspol");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_tlsa_text, 0, N(tlsa_texts));
	tcase_add_test(tc, test_tlsa_text_data);
	tcase_add_test(tc, test_tlsa_long);
	tcase_add_loop_test(tc, test_tlsa_wire, 0, N(tlsa_wires));
	tcase_add_test(tc, test_tlsa_null);
	tcase_add_test(tc, test_tlsa_ids);
	tcase_add_test(tc, test_tlsa_format);
	tcase_add_loop_test(tc, test_sts_txt, 0, N(sts_txts));
	tcase_add_test(tc, test_sts_txt_len);
	tcase_add_loop_test(tc, test_sts_policy, 0, N(policies));
	tcase_add_test(tc, test_sts_policy_rfc);
	tcase_add_test(tc, test_sts_policy_many_mx);
	tcase_add_test(tc, test_sts_policy_long_mx);
	tcase_add_loop_test(tc, test_sts_mx_match, 0, N(matches));
	tcase_add_test(tc, test_sts_mx_match_edges);
	tcase_add_loop_test(tc, test_tlsrpt, 0, N(rpts));
	tcase_add_test(tc, test_tlsrpt_bounds);
	tcase_add_test(tc, test_hostile_bytes);
	tcase_add_test(tc, test_hostile_floods);
	tcase_add_test(tc, test_hostile_valid_floods);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
