/* render_policy.c - the "policy" block of the text summary: what DANE,
 * MTA-STS and TLS-RPT facts the probe recorded for this host, in the
 * summary's two columns.  Every string from DNS or HTTP is escaped. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "i18n.h"
#include "polwords.h"
#include "render.h"
#include "tw.h"

/* Hex digits of a TLSA record's data shown in text (a SHA-256 digest
 * has 64): enough to tell records apart in 80 columns. */
#define POL_HEX_SHOWN 24

/* Room for one escaped field: every byte may become "\xNN". */
#define POL_ESC_MAX (512 * 4 + 16)

static void
pol_label(FILE *out, const char *label)
{
	fputs("  ", out);
	tw_pad(out, label, 13);
	fputc(' ', out);
}

static void
pol_esc(FILE *out, const char *s)
{
	char buf[POL_ESC_MAX];

	/* Every field is a NUL-terminated array of at most 512 bytes. */
	fputs(esc_text_cs(s, strlen(s), buf, sizeof(buf), i18n_utf8()), out);
}

/* "MX secure, addresses secure, TLSA secure" (the lookups made). */
static void
pol_dnssec(FILE *out, const struct dane_fact *d)
{
	const char *sep = "";

	if (d->mx.sec != DNSSEC_NOT_ASKED) {
		fprintf(out, "MX %s", dnssec_status_name(d->mx.sec));
		sep = ", ";
	}
	if (d->addr.sec != DNSSEC_NOT_ASKED) {
		fprintf(out, _("%saddresses %s"), sep, dnssec_status_name(d->addr.sec));
		sep = ", ";
	}
	if (d->tlsa.sec != DNSSEC_NOT_ASKED) {
		fprintf(out, "%sTLSA %s", sep, dnssec_status_name(d->tlsa.sec));
	}
}

/* The first line of the DANE block: the state in words. */
static void
pol_dane_state(FILE *out, const struct dane_fact *d)
{
	switch (d->state) {
	case DANE_NOT_SECURE:
		fputs(_("not secure: DANE does not apply"), out);
		break;
	case DANE_NONE:
		fputs(_("none: no TLSA records"), out);
		break;
	case DANE_LOOKUP_FAILED:
		fputs(_("TLSA LOOKUP FAILED: "), out);
		pol_esc(out, d->tlsa.why);
		break;
	case DANE_UNUSABLE:
		fputs(_("unusable: no TLSA record is usable for SMTP"), out);
		break;
	case DANE_NO_TLS:
		fputs(_("NO TLS: "), out);
		pol_esc(out, d->error);
		break;
	case DANE_NO_MATCH:
		fputs(_("NO MATCH: "), out);
		pol_esc(out, d->error);
		break;
	case DANE_MATCHED:
		fprintf(out, _("matched certificate %d of the chain: "), d->matched_depth);
		pol_esc(out, d->matched_subject);
		if (d->matched_name[0] != '\0') {
			fputs(_(", name "), out);
			pol_esc(out, d->matched_name);
		}
		break;
	case DANE_NOT_ASKED:
		break;
	}
	fputc('\n', out);
}

static void
pol_dane(FILE *out, const struct dane_fact *d)
{
	char rr[POL_HEX_SHOWN + 32];

	pol_label(out, "dane");
	pol_dane_state(out, d);
	pol_label(out, "");
	pol_esc(out, d->tlsa_name);
	fputc('\n', out);
	pol_label(out, "");
	fputs("DNSSEC: ", out);
	pol_dnssec(out, d);
	fputc('\n', out);
	for (size_t i = 0; i < d->nrr && i < MXPOL_MAX_TLSA; i++) {
		pol_label(out, "");
		fprintf(out, "TLSA %s ", pol_tlsa_text(&d->rr[i], POL_HEX_SHOWN, rr, sizeof(rr)));
		if (d->verdict[i] != TLSA_USABLE) {
			fprintf(out, _("(unusable: %s)"), pol_verdict_words(d->verdict[i]));
		} else {
			fputs(d->matched == (int)i ? _("(usable, MATCHED)") : _("(usable)"), out);
		}
		fputc('\n', out);
	}
	if (d->rr_dropped > 0) {
		pol_label(out, "");
		fprintf(out, _("%zu more TLSA records not kept\n"), d->rr_dropped);
	}
}

/* Discovery that stopped before a policy: why, in one line; 0 when a
 * valid policy came. */
static int
pol_sts_discovery(FILE *out, const struct sts_fact *s)
{
	if (s->txt.sec == DNSSEC_BOGUS || s->txt.sec == DNSSEC_FAILED) {
		fprintf(out, _("TXT lookup %s: "), dnssec_status_name(s->txt.sec));
		pol_esc(out, s->txt.why);
	} else if (s->ntxt == 0) {
		fputs(_("none: no _mta-sts TXT record"), out);
	} else if (s->ntxt > 1) {
		fprintf(out, _("TXT INVALID: %d records start with v=STSv1"), s->ntxt);
	} else if (!s->rec.valid) {
		fputs(_("TXT INVALID: "), out);
		pol_esc(out, s->rec.error);
	} else if (s->fetch == STS_FETCH_NOT_RUN) {
		fprintf(out, _("id %s; policy not fetched"), s->rec.id);
	} else if (s->fetch != STS_FETCH_OK) {
		fprintf(
		    out, _("id %s; POLICY FETCH FAILED: %s"), s->rec.id, sts_fetch_id(s->fetch));
		if (s->http_status > 0) {
			fprintf(out, " (HTTP %d)", s->http_status);
		}
		if (s->fetch_detail[0] != '\0') {
			fputs(": ", out);
			pol_esc(out, s->fetch_detail);
		}
	} else if (!s->policy.valid) {
		fprintf(out, _("id %s; POLICY INVALID: "), s->rec.id);
		pol_esc(out, s->policy.error);
	} else {
		return 0;
	}
	fputc('\n', out);
	return -1;
}

static void
pol_sts(FILE *out, const struct report *r)
{
	const struct sts_fact *s = &r->pol.sts;

	pol_label(out, "mta-sts");
	pol_esc(out, s->domain);
	fputs(": ", out);
	if (pol_sts_discovery(out, s) != 0) {
		return;
	}
	fprintf(out, _("mode %s, id %s, max_age %ld s\n"), sts_mode_name(s->policy.mode), s->rec.id,
	    s->policy.max_age);
	pol_label(out, "");
	fputs("mx", out);
	for (size_t i = 0; i < s->policy.nmx && i < STS_MAX_MX; i++) {
		fputs(i ? ", " : " ", out);
		pol_esc(out, s->policy.mx[i]);
	}
	if (s->policy.mx_dropped > 0) {
		fprintf(out, _(" (%zu more)"), s->policy.mx_dropped);
	}
	fputs("; ", out);
	pol_esc(out, r->target.host);
	fputs(s->host_match >= 0 ? _(" listed\n") : _(" NOT LISTED\n"), out);
	if (s->fetch_address[0] != '\0') {
		pol_label(out, "");
		fprintf(out, _("fetched from %s in %lld ms\n"), s->fetch_address,
		    (long long)s->fetch_ms);
	}
}

static void
pol_tlsrpt(FILE *out, const struct tlsrpt_fact *t)
{
	pol_label(out, "tls-rpt");
	if (t->txt.sec == DNSSEC_BOGUS || t->txt.sec == DNSSEC_FAILED) {
		fprintf(out, _("TXT lookup %s: "), dnssec_status_name(t->txt.sec));
		pol_esc(out, t->txt.why);
	} else if (t->ntxt == 0) {
		fputs(_("none: no _smtp._tls TXT record"), out);
	} else if (t->ntxt > 1) {
		fprintf(out, _("INVALID: %d records start with v=TLSRPTv1"), t->ntxt);
	} else if (!t->rec.valid) {
		fputs(_("INVALID: "), out);
		pol_esc(out, t->rec.error);
	} else {
		for (size_t i = 0; i < t->rec.nrua && i < TLSRPT_MAX_RUA; i++) {
			fputs(i ? ", " : "", out);
			pol_esc(out, t->rec.rua[i]);
		}
		if (t->rec.rua_dropped > 0) {
			fprintf(out, _(" (%zu more)"), t->rec.rua_dropped);
		}
	}
	fputc('\n', out);
}

void
render_text_policy(FILE *out, const struct report *r)
{
	const struct mxpolicy *p = &r->pol;

	if (p->level != TLSLVL_DEFAULT) {
		pol_label(out, _("tls policy"));
		fprintf(out, "%s\n", tls_level_name(p->level));
	}
	if (p->dane.state != DANE_NOT_ASKED) {
		pol_dane(out, &p->dane);
	}
	if (p->sts.asked) {
		pol_sts(out, r);
	}
	if (p->tlsrpt.asked) {
		pol_tlsrpt(out, &p->tlsrpt);
	}
}
