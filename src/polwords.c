/* polwords.c - shared words for the policy facts; see polwords.h. */
#include <config.h>

#include <stdio.h>

#include "i18n.h"
#include "polwords.h"

const char *
pol_tlsa_text(const struct tlsa_rr *rr, size_t max_hex, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t len;
	int n = snprintf(buf, size, "%u %u %u ", rr->usage, rr->selector, rr->mtype);

	if (n < 0 || (size_t)n >= size) {
		return buf;
	}
	len = (size_t)n;
	for (size_t i = 0; i < rr->len && i < TLSA_MAX_DATA; i++) {
		/* Room for two digits, "..." and the NUL. */
		if ((max_hex > 0 && 2 * (i + 1) > max_hex) || len + 2 + 4 > size) {
			snprintf(buf + len, size - len, "...");
			return buf;
		}
		buf[len++] = hex[rr->data[i] >> 4];
		buf[len++] = hex[rr->data[i] & 0x0f];
	}
	buf[len] = '\0';
	return buf;
}

const char *
pol_verdict_id(enum tlsa_verdict v)
{
	switch (v) {
	case TLSA_USABLE: return "usable";
	case TLSA_PKIX: return "pkix-usage";
	case TLSA_UNKNOWN_USAGE: return "unknown-usage";
	case TLSA_UNKNOWN_SELECTOR: return "unknown-selector";
	case TLSA_UNKNOWN_MTYPE: return "unknown-matching-type";
	case TLSA_BAD_LENGTH: return "bad-length";
	case TLSA_TOO_LONG: return "too-long";
	case TLSA_MALFORMED: return "malformed";
	}
	return "malformed";
}

const char *
pol_verdict_words(enum tlsa_verdict v)
{
	switch (v) {
	case TLSA_USABLE:
		return "";
	case TLSA_PKIX:
		/* RFC 7672 §3.1.3: SMTP clients do not use usages 0 and 1. */
		return _("PKIX usage");
	case TLSA_UNKNOWN_USAGE:
		return _("unknown certificate usage");
	case TLSA_UNKNOWN_SELECTOR:
		return _("unknown selector");
	case TLSA_UNKNOWN_MTYPE:
		return _("unknown matching type");
	case TLSA_BAD_LENGTH:
		return _("digest of the wrong length");
	case TLSA_TOO_LONG:
		return _("data too long to match");
	case TLSA_MALFORMED:
		break;
	}
	return _("malformed record");
}

const char *
pol_mode_id(enum sts_mode m)
{
	switch (m) {
	case STS_MODE_ENFORCE: return "enforce";
	case STS_MODE_TESTING: return "testing";
	case STS_MODE_NONE: return "none";
	case STS_MODE_UNSET: break;
	}
	return "";
}

size_t
pol_usable(const struct dane_fact *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nrr && i < MXPOL_MAX_TLSA; i++) {
		n += d->verdict[i] == TLSA_USABLE;
	}
	return n;
}

int
pol_any(const struct mxpolicy *p)
{
	return p->level != TLSLVL_DEFAULT || p->dane.state != DANE_NOT_ASKED || p->sts.asked ||
	    p->tlsrpt.asked;
}
