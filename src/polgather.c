/* polgather.c - the lookups behind the TLS policy facts; see polgather.h. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "clock.h"
#include "https.h"
#include "i18n.h"
#include "polgather.h"
#include "sts.h"
#include "tlsa.h"
#include "tlsrpt.h"

/* TXT records of one name kept for a policy record: more than a few
 * is already a finding (§3.1: exactly one "v=STSv1" record). */
#define POLGATHER_TXT 8

/* Does a TXT record start with the version tag ("v=STSv1", "v=TLSRPTv1")?
 * The tag ends the record or is followed by ';' or white space. */
static int
polgather_tagged(const struct dns_txt *t, const char *tag)
{
	size_t n = strlen(tag);

	return t->len >= n && memcmp(t->text, tag, n) == 0 &&
	    (t->len == n || t->text[n] == ';' || t->text[n] == ' ' || t->text[n] == '\t');
}

/* The TXT records of name that carry tag: counted in *ntagged, the first
 * copied to text.  Returns that record, or NULL. */
static const struct dns_txt *
polgather_txt(const char *name, const char *tag, const struct dns_conf *c, int64_t deadline,
    struct dns_fact *fact, struct dns_txt *txt, int *ntagged)
{
	const struct dns_txt *first = NULL;
	size_t n = 0, dropped = 0;
	struct fault f;

	*ntagged = 0;
	if (dns_txt(name, c, deadline, txt, POLGATHER_TXT, &n, &dropped, fact, &f) != 0) {
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (polgather_tagged(&txt[i], tag)) {
			(*ntagged)++;
			first = first != NULL ? first : &txt[i];
		}
	}
	return first;
}

void
polgather_sts(const char *domain, const struct dns_conf *c, struct tls_ctx *tls,
    const struct net_source *src, int step_ms, int64_t deadline, struct sts_fact *s)
{
	char name[BOUND_NAME + 16], host[BOUND_NAME + 16];
	struct dns_txt *txt = calloc(POLGATHER_TXT, sizeof(*txt));
	struct dns_addrs *da = calloc(1, sizeof(*da));
	char *body = malloc(BOUND_STS_POLICY);
	const struct dns_txt *rec;
	struct https_result hr;
	struct fault f;

	memset(s, 0, sizeof(*s));
	s->asked = 1;
	s->host_match = -1;
	snprintf(s->domain, sizeof(s->domain), "%s", domain);
	if (txt == NULL || da == NULL || body == NULL) {
		s->txt.sec = DNSSEC_FAILED;
		snprintf(s->txt.why, sizeof(s->txt.why), "%s", _("out of memory"));
		goto out;
	}
	snprintf(name, sizeof(name), "_mta-sts.%s", domain);
	rec = polgather_txt(name, "v=STSv1", c, clock_min(deadline, clock_now_ms() + step_ms),
	    &s->txt, txt, &s->ntxt);
	if (rec == NULL) {
		goto out;
	}
	snprintf(s->txt_text, sizeof(s->txt_text), "%.255s", rec->text);
	sts_txt_parse(rec->text, rec->len, &s->rec);
	if (s->ntxt != 1 || !s->rec.valid) {
		goto out;
	}
	/* §3.3: the policy host is mta-sts.DOMAIN, port 443, HTTPS only. */
	snprintf(host, sizeof(host), "mta-sts.%s", domain);
	if (dns_addrs(host, c, AF_UNSPEC, 443, clock_min(deadline, clock_now_ms() + step_ms), da,
	        &f) != 0) {
		s->fetch = STS_FETCH_RESOLVE;
		snprintf(s->fetch_detail, sizeof(s->fetch_detail), "%s", f.msg);
		goto out;
	}
	memset(&hr, 0, sizeof(hr));
	https_get(tls, host, "/.well-known/mta-sts.txt", da->addr, da->n, 443, src, step_ms,
	    deadline, body, BOUND_STS_POLICY, &hr);
	https_fill_sts(&hr, s);
	if (s->fetch == STS_FETCH_OK) {
		sts_policy_parse(body, hr.body_len, &s->policy);
	}
out:
	free(txt);
	free(da);
	free(body);
}

void
polgather_tlsrpt(
    const char *domain, const struct dns_conf *c, int64_t deadline, struct tlsrpt_fact *t)
{
	struct dns_txt *txt = calloc(POLGATHER_TXT, sizeof(*txt));
	const struct dns_txt *rec;
	char name[BOUND_NAME + 16];

	memset(t, 0, sizeof(*t));
	t->asked = 1;
	if (txt == NULL) {
		t->txt.sec = DNSSEC_FAILED;
		snprintf(t->txt.why, sizeof(t->txt.why), "%s", _("out of memory"));
		return;
	}
	snprintf(name, sizeof(name), "_smtp._tls.%s", domain);
	rec = polgather_txt(name, "v=TLSRPTv1", c, deadline, &t->txt, txt, &t->ntxt);
	if (rec != NULL) {
		snprintf(t->txt_text, sizeof(t->txt_text), "%.511s", rec->text);
		if (t->ntxt == 1) {
			tlsrpt_parse(rec->text, rec->len, &t->rec);
		}
	}
	free(txt);
}

void
polgather_tlsa(const char *host, unsigned port, const struct dns_conf *c, int64_t deadline,
    struct dane_fact *d)
{
	struct dns_rdata *rd = calloc(MXPOL_MAX_TLSA, sizeof(*rd));
	size_t n = 0, usable = 0;
	struct fault f;

	snprintf(d->tlsa_name, sizeof(d->tlsa_name), "_%u._tcp.%s", port, host);
	d->matched = -1;
	if (rd == NULL) {
		d->state = DANE_LOOKUP_FAILED;
		d->tlsa.sec = DNSSEC_FAILED;
		snprintf(d->tlsa.why, sizeof(d->tlsa.why), "%s", _("out of memory"));
		return;
	}
	if (dns_tlsa(d->tlsa_name, c, deadline, rd, MXPOL_MAX_TLSA, &n, &d->rr_dropped, &d->tlsa,
	        &f) != 0 ||
	    d->tlsa.sec == DNSSEC_BOGUS || d->tlsa.sec == DNSSEC_FAILED) {
		/* RFC 7672 §2.2: a TLSA lookup that fails, or whose answer is
		 * bogus, leaves the server unreachable for a DANE sender. */
		d->state = DANE_LOOKUP_FAILED;
		free(rd);
		return;
	}
	for (size_t i = 0; i < n && i < MXPOL_MAX_TLSA; i++) {
		d->verdict[i] = tlsa_from_wire(rd[i].data, rd[i].len, &d->rr[i]);
		usable += d->verdict[i] == TLSA_USABLE;
	}
	d->nrr = n < MXPOL_MAX_TLSA ? n : MXPOL_MAX_TLSA;
	free(rd);
	if (d->tlsa.sec != DNSSEC_SECURE) {
		/* Below a secure name, an insecure TLSA answer means an
		 * insecure delegation: DANE does not apply there (§2.2.1). */
		d->state = DANE_NOT_SECURE;
	} else if (d->nrr + d->rr_dropped == 0) {
		d->state = DANE_NONE;
	} else if (usable == 0) {
		d->state = DANE_UNUSABLE;
	} else {
		d->state = DANE_NO_TLS;
		snprintf(
		    d->error, sizeof(d->error), "%s", _("the session reached no TLS handshake"));
	}
}

enum dnssec_status
polgather_worse(enum dnssec_status a, enum dnssec_status b)
{
	static const enum dnssec_status order[] = {
	    DNSSEC_BOGUS,
	    DNSSEC_FAILED,
	    DNSSEC_UNCHECKED,
	    DNSSEC_INSECURE,
	    DNSSEC_SECURE,
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (a == order[i] || b == order[i]) {
			return order[i];
		}
	}
	return DNSSEC_NOT_ASKED;
}
