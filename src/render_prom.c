/* render_prom.c - Prometheus text exposition format, for scraping and the
 * node_exporter textfile collector.  Names follow blackbox_exporter's
 * where one exists (probe_success, probe_duration_seconds). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "polwords.h"
#include "render.h"

/* A label value: backslash, double quote and newline escaped (the format's
 * rules); anything outside printable ASCII replaced by '?'. */
static void
prom_label(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == '"') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c < 0x20 || c >= 0x7F) {
			fputc('?', out);
		} else {
			fputc(c, out);
		}
	}
}

/* The labels that name a report's series: the target, and for a host
 * found with --mx, the domain (two domains may share one MX host); with
 * --all-addresses and a host of more than one address, the address too:
 * its addresses are reports of their own, and each series must stay
 * unique.  A host of one address keeps the label set it always had. */
static void
prom_target(FILE *out, const struct report *r)
{
	char target[300];

	fputs("target=\"", out);
	prom_label(out, render_target(r, target, sizeof(target)));
	fputc('"', out);
	if (r->mx_domain[0] != '\0') {
		fputs(",mx_domain=\"", out);
		prom_label(out, r->mx_domain);
		fputc('"', out);
	}
	if (r->group.count > 1) {
		fputs(",address=\"", out);
		prom_label(out, r->group.addr);
		fputc('"', out);
	}
}

/* HELP text: backslash and newline escaped (the format's rules). */
static void
prom_help(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\') {
			fputs("\\\\", out);
		} else if (*s == '\n') {
			fputs("\\n", out);
		} else {
			fputc(*s, out);
		}
	}
}

/* One metric family: HELP and TYPE, then a series per report. */
struct prom_family {
	const char *name;
	const char *help;
};

static const struct prom_family prom_families[] = {
    {"probe_success", N_("Whether the probe succeeded (verdict OK or WARNING).")},
    {"probe_duration_seconds", N_("How long the whole probe took.")},
    {"smtp_exit_status", N_("The probe's exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")},
    {"smtp_step_duration_seconds", N_("Time spent in each step of the SMTP session.")},
    {"smtp_reply_code", N_("The reply code that decided each step.")},
    {"smtp_tls_version_info", N_("The TLS version negotiated (1 for the version in the label).")},
    {"smtp_ssl_earliest_cert_expiry",
        N_("The notAfter of the first certificate the server sent to expire, in seconds since the "
           "epoch.")},
    {"smtp_finding",
        N_("Findings of the probe (1 per finding id and severity; ignored ones are left out).")},
    {"smtp_dane_valid",
        N_("1 when the server's chain matched a usable TLSA record (DANE), 0 when TLSA records are "
           "published but it did not match.")},
    {"smtp_dane_tlsa_records", N_("TLSA records published for the host under DNSSEC.")},
    {"smtp_dane_tlsa_usable_records",
        N_("Of them, the records SMTP can use (DANE-TA, DANE-EE); fewer than 2 leaves no record "
           "ready for a key change.")},
    {"smtp_mta_sts_mode",
        N_("The mode of the domain's valid MTA-STS policy: 0 none, 1 testing, 2 enforce.")},
    {"smtp_mta_sts_max_age_seconds", N_("The max_age of the domain's valid MTA-STS policy.")},
    {"smtp_mta_sts_mx_listed",
        N_("1 when the host matches an mx pattern of the domain's valid MTA-STS policy.")},
    {"smtp_tls_rpt_present", N_("1 when the domain publishes one valid TLS-RPT record.")},
    {"smtp_address_info",
        N_("The address the probe tested (connected to, else tried last), and its family.")},
};

enum {
	PROM_SUCCESS,
	PROM_DURATION,
	PROM_EXIT,
	PROM_STEP,
	PROM_CODE,
	PROM_TLS,
	PROM_EXPIRY,
	PROM_FINDING,
	PROM_DANE_VALID,
	PROM_DANE_RECORDS,
	PROM_DANE_USABLE,
	PROM_STS_MODE,
	PROM_STS_MAX_AGE,
	PROM_STS_LISTED,
	PROM_TLSRPT,
	PROM_ADDRESS,
	PROM_NFAMILIES
};

/* One series of a report, without labels beyond its target. */
static void
prom_one(FILE *out, const char *name, const struct report *r, long long value)
{
	fprintf(out, "%s{", name);
	prom_target(out, r);
	fprintf(out, "} %lld\n", value);
}

/* The TLS policy families: a series only where the fact exists (a TLSA
 * lookup that answered, a valid MTA-STS policy, a TLS-RPT lookup). */
static void
prom_policy(FILE *out, int fam, const struct report *r)
{
	const struct dane_fact *d = &r->pol.dane;
	const struct sts_fact *s = &r->pol.sts;
	/* TLSA records published (and their lookup answered), or none. */
	int published = d->state == DANE_UNUSABLE || d->state == DANE_NO_TLS ||
	    d->state == DANE_MATCHED || d->state == DANE_NO_MATCH;
	int answered = published || d->state == DANE_NONE;
	int policy = s->asked && s->fetch == STS_FETCH_OK && s->policy.valid;
	const char *name = prom_families[fam].name;

	if (fam == PROM_DANE_VALID && (published || d->state == DANE_LOOKUP_FAILED)) {
		prom_one(out, name, r, d->state == DANE_MATCHED);
	} else if (fam == PROM_DANE_RECORDS && answered) {
		prom_one(out, name, r, (long long)(d->nrr + d->rr_dropped));
	} else if (fam == PROM_DANE_USABLE && answered) {
		prom_one(out, name, r, (long long)pol_usable(d));
	} else if (fam == PROM_STS_MODE && policy) {
		prom_one(out, name, r,
		    s->policy.mode == STS_MODE_ENFORCE       ? 2
		        : s->policy.mode == STS_MODE_TESTING ? 1
		                                             : 0);
	} else if (fam == PROM_STS_MAX_AGE && policy && s->policy.max_age >= 0) {
		prom_one(out, name, r, s->policy.max_age);
	} else if (fam == PROM_STS_LISTED && policy) {
		prom_one(out, name, r, s->host_match >= 0);
	} else if (fam == PROM_TLSRPT && r->pol.tlsrpt.asked) {
		prom_one(out, name, r, r->pol.tlsrpt.ntxt == 1 && r->pol.tlsrpt.rec.valid);
	}
}

/* The series of one family for one report. */
static void
prom_series(FILE *out, int fam, const struct report *r)
{
	struct report_timing t[LABEL_COUNT];
	const char *name = prom_families[fam].name;

	switch (fam) {
	case PROM_SUCCESS:
		fprintf(out, "%s{", name);
		prom_target(out, r);
		fprintf(out, "} %d\n", r->verdict == SEV_OK || r->verdict == SEV_WARNING);
		break;
	case PROM_DURATION:
		fprintf(out, "%s{", name);
		prom_target(out, r);
		fprintf(out, "} %.6f\n", (double)r->total_ms / 1000.0);
		break;
	case PROM_EXIT:
		fprintf(out, "%s{", name);
		prom_target(out, r);
		fprintf(out, "} %d\n", (int)r->verdict);
		break;
	case PROM_STEP:
	case PROM_CODE:
		report_timings(r, t);
		for (int l = 0; l < LABEL_COUNT; l++) {
			if (!t[l].present || (fam == PROM_CODE && t[l].code == 0)) {
				continue;
			}
			fprintf(out, "%s{", name);
			prom_target(out, r);
			fprintf(out, ",step=\"%s\"} ", report_label_name((enum report_label)l));
			if (fam == PROM_STEP) {
				fprintf(out, "%.6f\n", (double)t[l].ms / 1000.0);
			} else {
				fprintf(out, "%d\n", t[l].code);
			}
		}
		break;
	case PROM_TLS:
		if (r->tls_done) {
			fprintf(out, "%s{", name);
			prom_target(out, r);
			fprintf(out, ",version=\"%s\"} 1\n", r->tls.protocol);
		}
		break;
	case PROM_EXPIRY:
		if (r->tls_done && r->tls.have_cert && r->tls.not_after_unix > 0) {
			int64_t first = r->tls.not_after_unix;

			/* The earliest of every certificate the server sent, as
			 * blackbox_exporter's probe_ssl_earliest_cert_expiry. */
			for (size_t k = 0; k < r->tls.nchain; k++) {
				if (r->tls.chain[k].not_after_unix > 0 &&
				    r->tls.chain[k].not_after_unix < first) {
					first = r->tls.chain[k].not_after_unix;
				}
			}
			fprintf(out, "%s{", name);
			prom_target(out, r);
			fprintf(out, "} %lld\n", (long long)first);
		}
		break;
	case PROM_ADDRESS:
		/* A series of its own, so that the label sets of the others do
		 * not change when a name resolves to another address. */
		if (r->group.count > 1) {
			/* The address is among the labels already. */
			fprintf(out, "%s{", name);
			prom_target(out, r);
			fprintf(out, ",family=\"%s\"} 1\n", report_family_name(r->group.family));
		} else if (report_address(r) != NULL) {
			fprintf(out, "%s{", name);
			prom_target(out, r);
			fputs(",address=\"", out);
			prom_label(out, report_address(r)->addr);
			fprintf(out, "\",family=\"%s\"} 1\n",
			    report_family_name(report_address(r)->family));
		}
		break;
	case PROM_FINDING:
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct finding *f = &r->findings[i];
			int dup = 0;

			for (size_t k = 0; k < i; k++) {
				dup |= r->findings[k].id == f->id && r->findings[k].sev == f->sev;
			}
			if (f->ignored || dup) {
				continue;
			}
			fprintf(out, "%s{", name);
			prom_target(out, r);
			fprintf(out, ",id=\"%s\",severity=\"%s\"} 1\n", finding_def(f->id)->id,
			    sev_name(f->sev));
		}
		break;
	default:
		prom_policy(out, fam, r);
		break;
	}
}

struct prom_doc {
	FILE *fam[PROM_NFAMILIES]; /* the series so far, per family */
	char *buf[PROM_NFAMILIES];
	size_t len[PROM_NFAMILIES];
	char **keys; /* the label set of each report added */
	size_t nkeys;
};

struct prom_doc *
prom_doc_new(void)
{
	struct prom_doc *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		return NULL;
	}
	for (int i = 0; i < PROM_NFAMILIES; i++) {
		d->fam[i] = open_memstream(&d->buf[i], &d->len[i]);
		if (d->fam[i] == NULL) {
			prom_doc_free(d);
			return NULL;
		}
	}
	return d;
}

void
prom_doc_add(struct prom_doc *d, const struct report *r)
{
	char *key = NULL, **keys;
	size_t klen = 0;
	FILE *kf = open_memstream(&key, &klen);

	if (kf == NULL) {
		return;
	}
	prom_target(kf, r);
	fclose(kf);
	/* A series may appear once: a host named by two MX records of one
	 * domain (or twice on the command line) is reported once, the
	 * first time. */
	for (size_t i = 0; i < d->nkeys; i++) {
		if (strcmp(d->keys[i], key) == 0) {
			free(key);
			return;
		}
	}
	keys = realloc(d->keys, (d->nkeys + 1) * sizeof(*keys));
	if (keys == NULL) {
		free(key);
		return;
	}
	d->keys = keys;
	d->keys[d->nkeys++] = key;
	for (int fam = 0; fam < PROM_NFAMILIES; fam++) {
		prom_series(d->fam[fam], fam, r);
	}
}

void
prom_doc_write(struct prom_doc *d, FILE *out)
{
	char help[512];

	for (int fam = 0; fam < PROM_NFAMILIES; fam++) {
		fflush(d->fam[fam]);
		fprintf(out, "# HELP %s ", prom_families[fam].name);
		prom_help(out, i18n_utf8_text(_(prom_families[fam].help), help, sizeof(help)));
		fprintf(out, "\n# TYPE %s gauge\n", prom_families[fam].name);
		fwrite(d->buf[fam], 1, d->len[fam], out);
	}
}

void
prom_doc_free(struct prom_doc *d)
{
	if (d == NULL) {
		return;
	}
	for (int i = 0; i < PROM_NFAMILIES; i++) {
		if (d->fam[i] != NULL) {
			fclose(d->fam[i]);
		}
		free(d->buf[i]);
	}
	for (size_t i = 0; i < d->nkeys; i++) {
		free(d->keys[i]);
	}
	free(d->keys);
	free(d);
}
