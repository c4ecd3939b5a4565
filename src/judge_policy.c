/* judge_policy.c - the TLS policies a sending MTA applies (DANE, MTA-STS,
 * TLS-RPT; report.pol) turned into findings.  The question each answers:
 * would mail from a sender that applies the policy reach this host?  The
 * level (--tls-policy, posttls-finger's words) says which policy that
 * sender applies; the default is a modern MTA's: DANE when usable TLSA
 * records are published, else MTA-STS when it is enforced, else
 * opportunistic TLS.  Sources of every rule: data/SOURCES.md. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "judge.h"
#include "polwords.h"

/* What a sender at the report's level applies to this host. */
enum jp_applied {
	JP_NONE,    /* opportunistic: TLS when offered, nothing checked */
	JP_ENCRYPT, /* TLS required, nothing authenticated */
	JP_DANE,    /* DANE: TLS required, the chain matched to usable TLSA */
	JP_STS,     /* MTA-STS enforce: TLS required, the chain verified */
	JP_VERIFY   /* verify, secure: TLS required, the chain verified */
};

/* Usable TLSA records make DANE mandatory for the host (RFC 7672 §2.2);
 * a failed lookup makes the host unreachable for a DANE sender (§2.1.2). */
static int
jp_dane_mandatory(const struct dane_fact *d)
{
	return d->state == DANE_LOOKUP_FAILED || d->state == DANE_NO_TLS ||
	    d->state == DANE_MATCHED || d->state == DANE_NO_MATCH;
}

/* TLSA records are published and reachable through secure answers. */
static int
jp_dane_published(const struct dane_fact *d)
{
	return d->state == DANE_UNUSABLE || d->state == DANE_NO_TLS || d->state == DANE_MATCHED ||
	    d->state == DANE_NO_MATCH;
}

/* A valid policy in mode enforce stands behind one valid TXT record. */
static int
jp_sts_enforced(const struct sts_fact *s)
{
	return s->asked && s->ntxt == 1 && s->rec.valid && s->fetch == STS_FETCH_OK &&
	    s->policy.valid && s->policy.mode == STS_MODE_ENFORCE;
}

/* The level's policy for this host.  "dane" is posttls-finger's (and
 * postconf(5)'s) opportunistic DANE: DANE with usable TLSA records, TLS
 * without authentication when all are unusable (RFC 7672 §2.2), else
 * opportunistic.  DANE comes before MTA-STS: MTA-STS must not override a
 * failing DANE validation (RFC 8461 §2). */
static enum jp_applied
jp_applied(const struct report *r)
{
	const struct mxpolicy *p = &r->pol;
	int sts = jp_sts_enforced(&p->sts);

	switch (p->level) {
	case TLSLVL_DEFAULT:
		if (jp_dane_mandatory(&p->dane)) {
			return JP_DANE;
		}
		return sts ? JP_STS : p->dane.state == DANE_UNUSABLE ? JP_ENCRYPT : JP_NONE;
	case TLSLVL_MAY:
		return JP_NONE;
	case TLSLVL_ENCRYPT:
		return JP_ENCRYPT;
	case TLSLVL_DANE:
		return jp_dane_mandatory(&p->dane)   ? JP_DANE
		    : p->dane.state == DANE_UNUSABLE ? JP_ENCRYPT
		                                     : JP_NONE;
	case TLSLVL_DANE_ONLY:
		return JP_DANE;
	case TLSLVL_VERIFY:
	case TLSLVL_SECURE:
		return JP_VERIFY;
	}
	return JP_NONE;
}

int
judge_dane_authenticates(const struct report *r)
{
	return r->pol.dane.state == DANE_MATCHED && jp_applied(r) == JP_DANE;
}

/* The session got as far as a 220 greeting, and TLS was to be tried: only
 * then does "no TLS" say something about the server. */
static int
jp_tls_tried(const struct report *r)
{
	if (r->tls_mode == TLS_MODE_NONE) {
		return 0;
	}
	for (size_t k = 0; k < r->nsteps; k++) {
		if (r->steps[k].cmd == SMTP_GREETING && r->steps[k].state == STATE_SENT &&
		    r->steps[k].reply.code == 220) {
			return 1;
		}
	}
	return 0;
}

/* The level as the user gave it, for messages. */
static const char *
jp_level(const struct report *r)
{
	return r->pol.level == TLSLVL_DEFAULT ? "default" : tls_level_name(r->pol.level);
}

/* A bogus MX or address RRset: validating resolvers answer SERVFAIL
 * (RFC 4035 §5.5), whatever the sender's TLS policy. */
static void
jp_dnssec(struct report *r)
{
	const struct dane_fact *d = &r->pol.dane;

	if (d->mx.sec == DNSSEC_BOGUS) {
		report_add(r, F_DNSSEC_BOGUS, -1,
		    _("the MX records of %.200s are bogus under DNSSEC: %s"),
		    r->mx_domain[0] ? r->mx_domain : r->target.host, d->mx.why);
	}
	if (d->addr.sec == DNSSEC_BOGUS) {
		report_add(r, F_DNSSEC_BOGUS, -1,
		    _("the address records of %.200s are bogus under DNSSEC: %s"), r->target.host,
		    d->addr.why);
	}
}

/* The first unusable record, for the message of dane-unusable. */
static void
jp_first_unusable(const struct dane_fact *d, char *out, size_t size)
{
	char rr[80];

	out[0] = '\0';
	for (size_t i = 0; i < d->nrr && i < MXPOL_MAX_TLSA; i++) {
		if (d->verdict[i] != TLSA_USABLE) {
			snprintf(out, size, "%s: %s", pol_tlsa_text(&d->rr[i], 16, rr, sizeof(rr)),
			    pol_verdict_words(d->verdict[i]));
			return;
		}
	}
}

/* A matched record: which one, and the certificate it matched. */
static void
jp_dane_matched(struct report *r)
{
	const struct dane_fact *d = &r->pol.dane;
	char rr[80] = "?";

	if (d->matched >= 0 && (size_t)d->matched < d->nrr && d->matched < MXPOL_MAX_TLSA) {
		pol_tlsa_text(&d->rr[d->matched], 16, rr, sizeof(rr));
	}
	if (d->matched_name[0] != '\0') {
		report_add(r, F_DANE_VALID, -1,
		    _("TLSA %s at %s matched certificate %d of the chain (%.160s), name %.200s"),
		    rr, d->tlsa_name, d->matched_depth, d->matched_subject, d->matched_name);
	} else {
		report_add(r, F_DANE_VALID, -1,
		    _("TLSA %s at %s matched certificate %d of the chain (%.160s)"), rr,
		    d->tlsa_name, d->matched_depth, d->matched_subject);
	}
	/* RFC 7671 §8.1: a key change needs its record published first;
	 * with one usable record nothing stands ready for it. */
	if (pol_usable(d) == 1) {
		report_add(r, F_DANE_ROLLOVER, -1,
		    _("only one usable TLSA record (%s): publish one for the next key before the "
		      "key changes"),
		    rr);
	}
}

/* The DANE facts of the host.  dane: a sender at this level applies DANE
 * (so its failures stop delivery); else they are reported as WARNING. */
static void
jp_dane(struct report *r, int dane)
{
	const struct dane_fact *d = &r->pol.dane;
	enum sev sev = dane ? SEV_CRITICAL : SEV_WARNING;
	size_t n = d->nrr + d->rr_dropped;
	char first[200];

	switch (d->state) {
	case DANE_NOT_SECURE:
		/* Only worth a word when records are there to be ignored. */
		if (n > 0 || d->tlsa.nrecords > 0) {
			int mx = d->mx.sec != DNSSEC_SECURE && d->mx.sec != DNSSEC_NOT_ASKED;

			report_add(r, F_DANE_NOT_SECURE, -1,
			    mx ? _("TLSA records are published at %s, but the MX records are %s: "
			           "DANE does not apply")
			       : _("TLSA records are published at %s, but the address records are "
			           "%s: DANE does not apply"),
			    d->tlsa_name, dnssec_status_name(mx ? d->mx.sec : d->addr.sec));
		}
		break;
	case DANE_LOOKUP_FAILED:
		report_add_sev(r, F_DANE_LOOKUP_FAILED, sev, -1, _("TLSA lookup of %s: %s, %s"),
		    d->tlsa_name, d->tlsa.sec == DNSSEC_BOGUS ? _("bogus") : _("failed"),
		    d->tlsa.why);
		break;
	case DANE_UNUSABLE:
		jp_first_unusable(d, first, sizeof(first));
		report_add(r, F_DANE_UNUSABLE, -1,
		    P_("%zu TLSA record at %s, not usable for SMTP: %s",
		        "%zu TLSA records at %s, none usable for SMTP; the first: %s", n),
		    n, d->tlsa_name, first);
		/* A sender at a DANE level still requires TLS then (§2.2.3). */
		if (!r->tls_done && jp_tls_tried(r) &&
		    (r->pol.level == TLSLVL_DEFAULT || r->pol.level == TLSLVL_DANE ||
		        r->pol.level == TLSLVL_DANE_ONLY)) {
			report_add(r, F_DANE_NO_TLS, -1,
			    _("TLSA records are published at %s, and the session had no TLS"),
			    d->tlsa_name);
		}
		break;
	case DANE_NO_TLS:
		report_add_sev(r, F_DANE_NO_TLS, sev, -1,
		    _("usable TLSA records at %s, but no TLS: %s"), d->tlsa_name,
		    d->error[0] ? d->error : _("STARTTLS not offered"));
		break;
	case DANE_NO_MATCH:
		report_add_sev(r, F_DANE_MISMATCH, sev, -1,
		    P_("the chain did not match the %zu usable TLSA record at %s: %s",
		        "the chain matched none of the %zu usable TLSA records at %s: %s",
		        pol_usable(d)),
		    pol_usable(d), d->tlsa_name, d->error[0] ? d->error : _("no match"));
		break;
	case DANE_MATCHED:
		jp_dane_matched(r);
		break;
	case DANE_NOT_ASKED:
	case DANE_NONE:
		break;
	}
}

/* The policy's mx patterns, "a, b", bounded. */
static void
jp_patterns(const struct sts_policy *p, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < p->nmx && i < STS_MAX_MX && len + 1 < size; i++) {
		int w = snprintf(out + len, size - len, "%s%s", i ? ", " : "", p->mx[i]);

		len += w > 0 ? (size_t)w : 0;
	}
}

/* Discovery: the TXT record, the fetch and the policy file.  0 when a
 * usable policy came, -1 when a finding ended discovery (or none runs). */
static int
jp_sts_discovery(struct report *r)
{
	const struct sts_fact *s = &r->pol.sts;

	if (s->txt.sec == DNSSEC_BOGUS || s->txt.sec == DNSSEC_FAILED) {
		report_add(r, F_MTA_STS_TXT_INVALID, -1,
		    _("the TXT lookup of _mta-sts.%.200s failed (%s): %s"), s->domain,
		    dnssec_status_name(s->txt.sec), s->txt.why);
		return -1;
	}
	if (s->ntxt == 0) {
		return -1;
	}
	/* RFC 8461 §3.1: anything but one record means no policy. */
	if (s->ntxt > 1) {
		report_add(r, F_MTA_STS_TXT_INVALID, -1,
		    _("%d TXT records at _mta-sts.%.200s start with v=STSv1: senders take it that "
		      "there is no policy"),
		    s->ntxt, s->domain);
		return -1;
	}
	if (!s->rec.valid) {
		report_add(r, F_MTA_STS_TXT_INVALID, -1, _("_mta-sts.%.200s: %s (\"%.120s\")"),
		    s->domain, s->rec.error, s->txt_text);
		return -1;
	}
	if (s->fetch == STS_FETCH_NOT_RUN) {
		return -1;
	}
	if (s->fetch == STS_FETCH_RESOLVE ||
	    (s->fetch == STS_FETCH_STATUS && s->http_status == 404)) {
		report_add(r, F_MTA_STS_ID_WITHOUT_POLICY, -1,
		    _("_mta-sts.%.200s announces policy id %s, but %s"), s->domain, s->rec.id,
		    s->fetch == STS_FETCH_RESOLVE ? _("mta-sts.DOMAIN has no address")
		                                  : _("the policy file is not found (HTTP 404)"));
		return -1;
	}
	if (s->fetch != STS_FETCH_OK) {
		report_add(r, F_MTA_STS_FETCH_FAILED, -1, _("policy of %.200s: %s%s%.200s"),
		    s->domain, sts_fetch_id(s->fetch), s->fetch_detail[0] ? ": " : "",
		    s->fetch_detail);
		return -1;
	}
	if (!s->policy.valid) {
		report_add(r, F_MTA_STS_POLICY_INVALID, -1, _("policy of %.200s: %s"), s->domain,
		    s->policy.error);
		return -1;
	}
	return 0;
}

/* MTA-STS: discovery, then this MX host against the policy.  applied: what
 * the sender at this level applies (only JP_STS makes failures stop it). */
static void
jp_sts(struct report *r, enum jp_applied applied)
{
	const struct sts_fact *s = &r->pol.sts;
	const char *mode = sts_mode_name(s->policy.mode);
	enum sev sev =
	    s->policy.mode == STS_MODE_ENFORCE && applied == JP_STS ? SEV_CRITICAL : SEV_WARNING;
	const char *note = "";
	char pats[400];
	int bad = 0;

	/* Discovery is the domain's; the rest is about a host that was
	 * probed (not a null MX, a failed lookup or an address literal). */
	if (!s->asked || jp_sts_discovery(r) != 0 || r->nsteps == 0) {
		return;
	}
	if (s->policy.mode == STS_MODE_NONE) {
		report_add(r, F_MTA_STS_VALID, -1,
		    _("policy of %.200s (id %s): mode none, max_age %ld s: senders apply no "
		      "MTA-STS"),
		    s->domain, s->rec.id, s->policy.max_age);
		return;
	}
	if (s->policy.mode == STS_MODE_ENFORCE && applied == JP_DANE) {
		note = _("; senders that apply DANE use it instead");
	} else if (s->policy.mode == STS_MODE_ENFORCE && applied != JP_STS) {
		note = _("; this --tls-policy does not apply MTA-STS");
	}
	jp_patterns(&s->policy, pats, sizeof(pats));
	if (s->host_match < 0 || (size_t)s->host_match >= s->policy.nmx) {
		report_add_sev(r, F_MTA_STS_MX_NOT_LISTED, sev, -1,
		    _("%.200s is not among the mx patterns of %.200s's policy (%s), mode %s%s"),
		    r->target.host, s->domain, pats, mode, note);
		bad = 1;
	}
	if (jp_tls_tried(r) && !r->tls_done) {
		report_add_sev(r, F_MTA_STS_CERT_INVALID, sev, -1,
		    _("no TLS with %.200s, and %.200s's policy (mode %s) requires verified TLS%s"),
		    r->target.host, s->domain, mode, note);
		bad = 1;
	} else if (r->tls_done && !r->tls.verified) {
		report_add_sev(r, F_MTA_STS_CERT_INVALID, sev, -1,
		    _("the certificate of %.200s did not verify: %s; %.200s's policy has mode "
		      "%s%s"),
		    r->target.host, r->tls.verify_reason, s->domain, mode, note);
		bad = 1;
	}
	if (!bad) {
		report_add(r, F_MTA_STS_VALID, -1,
		    _("policy of %.200s (id %s): mode %s, max_age %ld s; %.200s matches %s"),
		    s->domain, s->rec.id, mode, s->policy.max_age, r->target.host,
		    s->host_match >= 0 && (size_t)s->host_match < STS_MAX_MX
		        ? s->policy.mx[s->host_match]
		        : "");
	}
}

/* TLS-RPT: the record of the domain, worth having once a policy is
 * published (RFC 8460 §3). */
static void
jp_tlsrpt(struct report *r)
{
	const struct tlsrpt_fact *t = &r->pol.tlsrpt;
	const char *domain = r->pol.sts.domain[0] ? r->pol.sts.domain : r->mx_domain;
	int dane = jp_dane_published(&r->pol.dane);
	int sts = r->pol.sts.asked && r->pol.sts.ntxt > 0;

	if (!t->asked) {
		return;
	}
	if (t->txt.sec == DNSSEC_BOGUS || t->txt.sec == DNSSEC_FAILED) {
		report_add(r, F_TLS_RPT_INVALID, -1,
		    _("the TXT lookup of _smtp._tls.%.200s failed (%s): %s"), domain,
		    dnssec_status_name(t->txt.sec), t->txt.why);
	} else if (t->ntxt == 0 && (dane || sts)) {
		report_add(r, F_TLS_RPT_MISSING, -1,
		    _("no TLS-RPT record at _smtp._tls.%.200s, though %s published: failures go "
		      "unreported"),
		    domain, dane ? _("DANE is") : _("MTA-STS is"));
	} else if (t->ntxt > 1) {
		report_add(r, F_TLS_RPT_INVALID, -1,
		    _("%d TXT records at _smtp._tls.%.200s start with v=TLSRPTv1: senders use "
		      "none"),
		    t->ntxt, domain);
	} else if (t->ntxt == 1 && !t->rec.valid) {
		report_add(r, F_TLS_RPT_INVALID, -1, _("_smtp._tls.%.200s: %s (\"%.120s\")"),
		    domain, t->rec.error, t->txt_text);
	}
}

/* Why a dane-only sender finds no DANE here ("" when it does, or when a
 * DANE finding already says why it does not deliver). */
static const char *
jp_dane_only_gap(const struct dane_fact *d)
{
	switch (d->state) {
	case DANE_NOT_ASKED:
		return _("no TLSA lookup was made (--dane or --mx makes one)");
	case DANE_NOT_SECURE:
		return _("the MX or address records are not DNSSEC-secure");
	case DANE_NONE:
		return _("no TLSA records are published");
	case DANE_UNUSABLE:
		return _("no TLSA record is usable for SMTP");
	default:
		return "";
	}
}

/* What the level itself requires, beyond the findings above. */
static void
jp_level_unmet(struct report *r)
{
	const char *gap;

	switch (r->pol.level) {
	case TLSLVL_ENCRYPT:
	case TLSLVL_VERIFY:
	case TLSLVL_SECURE:
		if (!r->tls_done) {
			if (jp_tls_tried(r)) {
				report_add(r, F_TLS_POLICY_UNMET, -1,
				    _("--tls-policy %s requires TLS; the session had none"),
				    jp_level(r));
			}
		} else if (r->pol.level != TLSLVL_ENCRYPT && !r->tls.verified) {
			report_add(r, F_TLS_POLICY_UNMET, -1,
			    _("--tls-policy %s requires a verified certificate; it did not verify: "
			      "%s"),
			    jp_level(r), r->tls.verify_reason);
		}
		break;
	case TLSLVL_DANE_ONLY:
		gap = jp_dane_only_gap(&r->pol.dane);
		/* Unchecked DNSSEC says nothing of the server (dnssec-unchecked). */
		if (gap[0] != '\0' && r->pol.dnssec_unchecked[0] == '\0') {
			report_add(r, F_TLS_POLICY_UNMET, -1,
			    _("--tls-policy dane-only requires DANE: %s"), gap);
		}
		break;
	default:
		break;
	}
}

void
judge_policy(struct report *r)
{
	enum jp_applied applied = jp_applied(r);

	/* The resolver gave no DNSSEC to judge: say so, and nothing about
	 * DANE (its facts were not gathered). */
	if (r->pol.dnssec_unchecked[0] != '\0') {
		report_add(r, F_DNSSEC_UNCHECKED, -1, _("DNSSEC not checked: %s"),
		    r->pol.dnssec_unchecked);
	}
	jp_dnssec(r);
	jp_dane(r, applied == JP_DANE);
	jp_sts(r, applied);
	jp_tlsrpt(r);
	jp_level_unmet(r);
}
