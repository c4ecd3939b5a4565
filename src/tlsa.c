/* tlsa.c - TLSA records (RFC 6698 §2) and whether SMTP may use them
 * (RFC 7672 §3.1, RFC 7671).  Pure.
 *
 * What a record's verdict rests on:
 * - RFC 6698 §2.1: the RDATA is a one-octet usage, a one-octet selector, a
 *   one-octet matching type and the certificate association data.
 * - RFC 7672 §3.1 (as in draft-ietf-dane-smtp-with-dane): the defined
 *   values are usage 0-3, selector 0-1, matching type 0-2 (255 of each is
 *   private use, the rest reserved); §3.1.3: SMTP clients "should
 *   generally treat" PKIX-TA(0) and PKIX-EE(1) records "as unusable".
 * - RFC 7671 ("Digest Algorithm Agility", §8 in draft-ietf-dane-ops-06):
 *   "unusable or malformed records (unsupported digest algorithm, or
 *   incorrect digest length)" are discarded; §9.3: records "unusable, due
 *   to unsupported parameter combinations or malformed associated data".
 *   So unknown values are unusable, never an error of the whole RRset.
 * - SHA2-256 digests are 32 bytes, SHA2-512 64 (FIPS 180-4).
 *
 * A record's data is kept up to TLSA_MAX_DATA - 1 bytes; data of
 * TLSA_MAX_DATA bytes or more is cut to TLSA_MAX_DATA, and that length is
 * what marks it TLSA_TOO_LONG (so tlsa_check sees it on a filled record).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tlsa.h"

enum tlsa_verdict
tlsa_check(const struct tlsa_rr *rr)
{
	if (rr == NULL || rr->len == 0) {
		return TLSA_MALFORMED;
	}
	if (rr->usage <= 1) {
		return TLSA_PKIX;
	}
	if (rr->usage > 3) {
		return TLSA_UNKNOWN_USAGE;
	}
	if (rr->selector > 1) {
		return TLSA_UNKNOWN_SELECTOR;
	}
	if (rr->mtype > 2) {
		return TLSA_UNKNOWN_MTYPE;
	}
	if ((rr->mtype == 1 && rr->len != 32) || (rr->mtype == 2 && rr->len != 64)) {
		return TLSA_BAD_LENGTH;
	}
	if (rr->len >= TLSA_MAX_DATA) {
		return TLSA_TOO_LONG;
	}
	return TLSA_USABLE;
}

enum tlsa_verdict
tlsa_from_wire(const uint8_t *rdata, size_t len, struct tlsa_rr *rr)
{
	size_t n;

	memset(rr, 0, sizeof(*rr));
	if (rdata == NULL) {
		return TLSA_MALFORMED;
	}
	if (len >= 1) {
		rr->usage = rdata[0];
	}
	if (len >= 2) {
		rr->selector = rdata[1];
	}
	if (len >= 3) {
		rr->mtype = rdata[2];
	}
	if (len < 4) {
		return TLSA_MALFORMED;
	}
	n = len - 3;
	rr->len = n < TLSA_MAX_DATA ? n : TLSA_MAX_DATA;
	memcpy(rr->data, rdata + 3, rr->len);
	return tlsa_check(rr);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* A decimal 0..255 (RFC 6698 §2.2: "an 8-bit unsigned integer") followed
 * by whitespace or the end.  Advances *p; 0, or -1. */
static int
octet(const char **p, uint8_t *out)
{
	const char *s = *p;
	unsigned v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (++digits > 3) {
			return -1;
		}
		v = v * 10 + (unsigned)(*s - '0');
		s++;
	}
	if (digits == 0 || v > 255 || (*s != '\0' && !is_space(*s))) {
		return -1;
	}
	while (is_space(*s)) {
		s++;
	}
	*out = (uint8_t)v;
	*p = s;
	return 0;
}

int
tlsa_from_text(const char *s, struct tlsa_rr *rr, char *err, size_t errsz)
{
	static const char *const field[] = {"certificate usage", "selector", "matching type"};
	uint8_t *dst[3];
	size_t nibbles = 0;
	const char *p = s;
	int hi = 0;

	memset(rr, 0, sizeof(*rr));
	dst[0] = &rr->usage;
	dst[1] = &rr->selector;
	dst[2] = &rr->mtype;
	if (s == NULL) {
		snprintf(err, errsz, "no record");
		return -1;
	}
	while (is_space(*p)) {
		p++;
	}
	for (int i = 0; i < 3; i++) {
		if (octet(&p, dst[i]) != 0) {
			snprintf(err, errsz, "the %s is not a number from 0 to 255", field[i]);
			return -1;
		}
	}
	/* RFC 6698 §2.2: hexadecimal, "Whitespace is allowed within". */
	for (; *p != '\0'; p++) {
		int v;

		if (is_space(*p)) {
			continue;
		}
		v = hexval(*p);
		if (v < 0) {
			snprintf(err, errsz,
			    "the certificate association data holds a character "
			    "that is not a hex digit");
			return -1;
		}
		if (nibbles % 2 == 0) {
			hi = v;
		} else if (nibbles / 2 < TLSA_MAX_DATA) {
			rr->data[nibbles / 2] = (uint8_t)(hi << 4 | v);
		}
		nibbles++;
	}
	if (nibbles == 0) {
		snprintf(err, errsz, "the record has no certificate association data");
		return -1;
	}
	if (nibbles % 2 != 0) {
		snprintf(err, errsz,
		    "the certificate association data has an odd number of hex "
		    "digits");
		return -1;
	}
	rr->len = nibbles / 2 < TLSA_MAX_DATA ? nibbles / 2 : TLSA_MAX_DATA;
	return (int)tlsa_check(rr);
}

const char *
tlsa_verdict_id(enum tlsa_verdict v)
{
	switch (v) {
	case TLSA_USABLE:
		return "usable";
	case TLSA_PKIX:
		return "pkix-usage";
	case TLSA_UNKNOWN_USAGE:
		return "unknown-usage";
	case TLSA_UNKNOWN_SELECTOR:
		return "unknown-selector";
	case TLSA_UNKNOWN_MTYPE:
		return "unknown-matching-type";
	case TLSA_BAD_LENGTH:
		return "bad-length";
	case TLSA_TOO_LONG:
		return "too-long";
	case TLSA_MALFORMED:
		return "malformed";
	}
	return "";
}

size_t
tlsa_format(const struct tlsa_rr *rr, char *buf, size_t bufsz)
{
	static const char hex[] = "0123456789abcdef";
	char head[16];
	size_t o = 0, hl, len;

	if (buf == NULL || bufsz == 0) {
		return 0;
	}
	hl = (size_t)snprintf(head, sizeof(head), "%u %u %u ", rr->usage, rr->selector, rr->mtype);
	len = rr->len < TLSA_MAX_DATA ? rr->len : TLSA_MAX_DATA;
	if (hl + 2 * len < bufsz) {
		memcpy(buf, head, hl);
		o = hl;
		for (size_t i = 0; i < len; i++) {
			buf[o++] = hex[rr->data[i] >> 4];
			buf[o++] = hex[rr->data[i] & 15];
		}
		buf[o] = '\0';
		return o;
	}
	/* Cut: as much as fits with "..." and the NUL after it. */
	if (bufsz < 4) {
		memset(buf, '.', bufsz - 1);
		buf[bufsz - 1] = '\0';
		return bufsz - 1;
	}
	for (size_t i = 0; i < hl && o + 4 < bufsz; i++) {
		buf[o++] = head[i];
	}
	for (size_t i = 0; i < len && o + 5 < bufsz; i++) {
		buf[o++] = hex[rr->data[i] >> 4];
		buf[o++] = hex[rr->data[i] & 15];
	}
	memcpy(buf + o, "...", 4);
	return o + 3;
}
