/* polwords.c - shared words for the policy facts; see polwords.h. */
#include <config.h>

#include <stdio.h>

#include "i18n.h"
#include "polwords.h"

const char *
pol_tlsa_text(const struct tlsa_rr *rr, size_t max_hex, char *buf, size_t size)
{
	/* The three fields, max_hex digits, "..." and the NUL. */
	int head = snprintf(NULL, 0, "%u %u %u ", rr->usage, rr->selector, rr->mtype);
	size_t limit = size;

	if (max_hex > 0 && head > 0 && (size_t)head + max_hex + 4 < size) {
		limit = (size_t)head + max_hex + 4;
	}
	tlsa_format(rr, buf, limit);
	return buf;
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
	    p->tlsrpt.asked || p->dnssec_unchecked[0] != '\0';
}
