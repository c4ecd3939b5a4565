#include <config.h>

#include <string.h>

#include "b64.h"
#include "i18n.h"
#include "scram.h"

/* RFC 5802 §7: printable = %x21-2B / %x2D-7E (no comma). */
static int
scram_printable(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != ',';
}

/* The attribute at *pos must be "<name>="; move past it. */
static int
scram_attr(const char *msg, size_t len, size_t *pos, char name)
{
	if (len - *pos < 2 || msg[*pos] != name || msg[*pos + 1] != '=') {
		return -1;
	}
	*pos += 2;
	return 0;
}

/* The value from *pos to the next comma or the end. */
static size_t
scram_value_len(const char *msg, size_t len, size_t pos)
{
	const char *comma = memchr(msg + pos, ',', len - pos);

	return comma != NULL ? (size_t)(comma - (msg + pos)) : len - pos;
}

static enum scram_sf_rc
scram_parse_iter(const char *v, size_t n, uint64_t max_iter, uint64_t *iter)
{
	uint64_t it = 0;

	if (n == 0 || v[0] < '1' || v[0] > '9') {
		return SCRAM_SF_ITER;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9') {
			return SCRAM_SF_ITER;
		}
		if (it > (UINT64_MAX - 9) / 10) {
			it = UINT64_MAX;
		} else {
			it = it * 10 + (uint64_t)(v[i] - '0');
		}
	}
	*iter = it;
	return it > max_iter ? SCRAM_SF_ITER_HIGH : SCRAM_SF_OK;
}

/* ",x=value" repeated to the end: ALPHA "=" 1*value-char. */
static enum scram_sf_rc
scram_parse_ext(const char *msg, size_t len, size_t pos)
{
	while (pos < len) {
		size_t n;
		unsigned char a;

		if (msg[pos] != ',' || len - pos < 4) {
			return SCRAM_SF_EXT;
		}
		a = (unsigned char)msg[pos + 1];
		if (!((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z')) || msg[pos + 2] != '=') {
			return SCRAM_SF_EXT;
		}
		if (a == 'm') {
			return SCRAM_SF_MEXT;
		}
		pos += 3;
		n = scram_value_len(msg, len, pos);
		if (n == 0) {
			return SCRAM_SF_EXT;
		}
		pos += n;
	}
	return SCRAM_SF_OK;
}

enum scram_sf_rc
scram_parse_first(const char *msg, size_t len, uint64_t max_iter, struct scram_first *out)
{
	size_t pos = 0, n;
	enum scram_sf_rc rc;

	memset(out, 0, sizeof(*out));
	if (memchr(msg, '\0', len) != NULL) {
		return SCRAM_SF_NUL;
	}
	if (len >= 2 && msg[0] == 'm' && msg[1] == '=') {
		return SCRAM_SF_MEXT;
	}
	if (scram_attr(msg, len, &pos, 'r') != 0) {
		return SCRAM_SF_NONCE;
	}
	n = scram_value_len(msg, len, pos);
	if (n == 0 || pos + n == len) {
		return SCRAM_SF_NONCE;
	}
	for (size_t i = 0; i < n; i++) {
		if (!scram_printable((unsigned char)msg[pos + i])) {
			return SCRAM_SF_NONCE;
		}
	}
	out->nonce = msg + pos;
	out->nonce_len = n;
	pos += n + 1;
	if (scram_attr(msg, len, &pos, 's') != 0) {
		return SCRAM_SF_SALT;
	}
	n = scram_value_len(msg, len, pos);
	if (n == 0 || pos + n == len ||
	    b64_decode(msg + pos, n, out->salt, sizeof(out->salt), &out->salt_len) != 0 ||
	    out->salt_len == 0) {
		return SCRAM_SF_SALT;
	}
	pos += n + 1;
	if (scram_attr(msg, len, &pos, 'i') != 0) {
		return SCRAM_SF_ITER;
	}
	n = scram_value_len(msg, len, pos);
	rc = scram_parse_iter(msg + pos, n, max_iter, &out->iter);
	if (rc != SCRAM_SF_OK) {
		return rc;
	}
	return scram_parse_ext(msg, len, pos + n);
}

const char *
scram_sf_reason(enum scram_sf_rc rc)
{
	switch (rc) {
	case SCRAM_SF_OK:
		return _("well formed");
	case SCRAM_SF_NUL:
		return _("it contains a NUL byte");
	case SCRAM_SF_MEXT:
		return _("it carries the reserved m= attribute, which RFC 5802 says must fail");
	case SCRAM_SF_NONCE:
		return _("it does not start with a printable nonce (r=)");
	case SCRAM_SF_SALT:
		return _("no base64 salt (s=) follows the nonce");
	case SCRAM_SF_ITER:
		return _("no positive iteration count (i=) follows the salt");
	case SCRAM_SF_ITER_HIGH:
		return _("the iteration count is above smtprobe's limit");
	case SCRAM_SF_EXT:
		return _("a malformed attribute follows the iteration count");
	}
	return "?";
}

int64_t
scram_pbkdf2_ms(uint64_t iter, uint64_t rounds_per_s)
{
	if (rounds_per_s == 0 || iter > (uint64_t)INT64_MAX / 1000) {
		return INT64_MAX;
	}
	return (int64_t)((iter * 1000 + rounds_per_s - 1) / rounds_per_s);
}

int
scram_pbkdf2_fits(uint64_t iter, uint64_t rounds_per_s, int64_t left_ms)
{
	int64_t est = scram_pbkdf2_ms(iter, rounds_per_s);

	return est <= INT64_MAX / SCRAM_TIME_MARGIN && est * SCRAM_TIME_MARGIN <= left_ms;
}
