/* probe_policy.c - the probe's part of the TLS policy facts (mxpolicy.h):
 * the domain's MTA-STS and TLS-RPT facts copied in with this host checked
 * against the policy, and the host's TLSA records looked up once its
 * addresses are known (RFC 7672 §2.2), for the handshake to match. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "polgather.h"
#include "probe_int.h"

void
probe_policy_facts(const struct probe_opts *o, struct report *r)
{
	r->pol.level = o->tls_level;
	if (o->dnssec_unchecked != NULL) {
		snprintf(r->pol.dnssec_unchecked, sizeof(r->pol.dnssec_unchecked), "%s",
		    o->dnssec_unchecked);
	}
	if (o->sts != NULL) {
		r->pol.sts = *o->sts;
		r->pol.sts.host_match = -1;
		if (r->pol.sts.fetch == STS_FETCH_OK && r->pol.sts.policy.valid) {
			r->pol.sts.host_match =
			    sts_policy_match(&r->pol.sts.policy, r->target.host);
		}
	}
	if (o->tlsrpt != NULL) {
		r->pol.tlsrpt = *o->tlsrpt;
	}
}

/* The fact that stands for the host's address records: the worse of its
 * A and AAAA lookups (an RRset not asked counts for nothing). */
static void
probe_addr_fact(const struct net_result *n, struct dns_fact *out)
{
	enum dnssec_status w = polgather_worse(n->dns_a.sec, n->dns_aaaa.sec);

	*out = n->dns_a.sec == w ? n->dns_a : n->dns_aaaa;
}

void
probe_dane_lookup(struct probe *p)
{
	struct report *r = p->rep;
	struct dane_fact *d = &r->pol.dane;

	if (!p->o->dane || r->pol.dnssec_unchecked[0] != '\0') {
		return;
	}
	d->matched = -1;
	d->mx = p->o->mx_fact;
	snprintf(d->tlsa_name, sizeof(d->tlsa_name), "_%u._tcp.%s", r->target.port, r->target.host);
	if (r->target.is_addr) {
		/* An address has no TLSA base domain (RFC 7672 §2.2.2). */
		d->state = DANE_NOT_SECURE;
		d->addr.sec = DNSSEC_NOT_ASKED;
		snprintf(d->addr.why, sizeof(d->addr.why), "%s", _("the target is an address"));
		return;
	}
	probe_addr_fact(&r->net, &d->addr);
	/* RFC 7672 §2.2: TLSA records count only below a secure MX RRset
	 * (when there is one) and secure address records. */
	if ((d->mx.sec != DNSSEC_NOT_ASKED && d->mx.sec != DNSSEC_SECURE) ||
	    d->addr.sec != DNSSEC_SECURE) {
		d->state = DANE_NOT_SECURE;
		/* Records may still be there, to be named as ignored. */
		polgather_tlsa(
		    r->target.host, r->target.port, p->o->dns, probe_step_deadline(p), d);
		d->state = DANE_NOT_SECURE;
		d->error[0] = '\0';
		return;
	}
	polgather_tlsa(r->target.host, r->target.port, p->o->dns, probe_step_deadline(p), d);
	/* Usable records: the handshake decides (probe_tls); until then the
	 * state says no TLS came. */
	p->dane_pending = d->state == DANE_NO_TLS;
	d->error[0] = '\0';
}

void
probe_dane_end(struct probe *p)
{
	struct report *r = p->rep;

	if (!p->dane_pending) {
		return;
	}
	p->dane_pending = 0;
	if (r->have_caps_plain && ehlo_find(&r->caps_plain, "STARTTLS") == NULL) {
		snprintf(
		    r->pol.dane.error, sizeof(r->pol.dane.error), "%s", _("STARTTLS not offered"));
	} else {
		snprintf(r->pol.dane.error, sizeof(r->pol.dane.error), "%s",
		    _("the session ended before a TLS handshake"));
	}
}
