/* render_nagios.c - the monitoring-plugins output: one status line with
 * perfdata, then what went wrong, explained (the development guidelines'
 * format: "SERVICE STATUS - text | perfdata", long text on later lines). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "i18n.h"
#include "polwords.h"
#include "render.h"

/* Perfdata: 'label'=value[UOM];[warn];[crit];[min];[max], no spaces. */
static void
nagios_perf_seconds(FILE *out, const char *label, int64_t ms, const char *warn, const char *crit)
{
	fprintf(out, " %s=%.3fs;%s;%s;0;", label, (double)ms / 1000.0, warn ? warn : "",
	    crit ? crit : "");
}

static void
nagios_esc(FILE *out, const char *s, size_t max)
{
	char buf[1200];
	size_t len = strlen(s);

	/* '|' would start perfdata early: show it as '/' */
	esc_text_cs(s, len < max ? len : max, buf, sizeof(buf), i18n_utf8());
	for (char *p = buf; *p; p++) {
		if (*p == '|') {
			*p = '/';
		}
	}
	fputs(buf, out);
	if (len > max) {
		fputs("...", out);
	}
}

static void nagios_findings(FILE *out, const struct report *r, enum sev sev);

/* The TLS policies in the status line: DANE's state where TLSA records
 * are published (or their lookup failed), an MTA-STS policy's mode. */
static void
nagios_policy(FILE *out, const struct report *r)
{
	const struct dane_fact *d = &r->pol.dane;
	const struct sts_fact *s = &r->pol.sts;

	if (d->state != DANE_NOT_ASKED && d->state != DANE_NOT_SECURE && d->state != DANE_NONE) {
		fprintf(out, ", DANE %s", dane_state_id(d->state));
	}
	if (s->asked && s->fetch == STS_FETCH_OK && s->policy.valid) {
		fprintf(out, ", MTA-STS %s", sts_mode_name(s->policy.mode));
	}
}

/* The status line up to its perfdata: nothing in it comes from the
 * network or DNS unescaped, so no '|' but the perfdata separator. */
static void
nagios_status(FILE *out, const struct report *r)
{
	const struct finding *w = render_worst(r);
	char target[300];

	fprintf(out, "SMTP %s - ", sev_name(r->verdict));
	nagios_esc(out, render_target(r, target, sizeof(target)), 300);
	if (r->group.count > 0 && r->group.addr[0] != '\0') {
		fprintf(out, " (%s)", r->group.addr); /* --all-addresses: the address forced */
	} else if (!r->target.is_addr && !r->target.is_unix && report_address(r) != NULL) {
		fprintf(out, " (%s)", report_address(r)->addr); /* the address tested */
	}
	if (r->server_name[0] != '\0') {
		fputc(' ', out);
		nagios_esc(out, r->server_name, 80);
	}
	if (r->tls_done) {
		fprintf(out, ", %s", r->tls.protocol);
		if (r->tls.have_cert) {
			if (r->tls.days_left < 0) {
				fprintf(out, _(", certificate expired %lld days ago"),
				    (long long)-r->tls.days_left);
			} else {
				fprintf(
				    out, _(", certificate %lld days"), (long long)r->tls.days_left);
			}
			render_chain_expiry(out, &r->tls);
		}
	}
	nagios_policy(out, r);
	if (r->reused_of > 0) {
		fprintf(out, _(" (reused: target %zu)"), r->reused_of);
	}
	if (w != NULL) {
		fprintf(out, " - %s: ", finding_def(w->id)->id);
		nagios_esc(out, w->msg, 200);
	}
}

/* A perfdata label: the plugin guidelines allow any character but '=' and
 * the single quote, quoted when it holds spaces.  A target's name comes
 * from the command line or DNS: everything but [A-Za-z0-9._:-] becomes
 * '_'. */
static void
nagios_label(char *out, size_t outsz, const char *prefix, const char *name)
{
	size_t o = 0;

	for (const char *p = prefix; p != NULL && *p != '\0' && o + 1 < outsz; p++) {
		unsigned char c = (unsigned char)*p;

		out[o++] = (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-'
		        ? c
		        : '_');
	}
	if (prefix != NULL && o + 1 < outsz) {
		out[o++] = '_';
	}
	snprintf(out + o, outsz - o, "%s", name);
}

/* Perfdata of the TLS policies: usable TLSA records (a key change needs
 * two), an MTA-STS policy's max_age. */
static void
nagios_perf_policy(FILE *out, const struct report *r, const char *prefix)
{
	const struct dane_fact *d = &r->pol.dane;
	const struct sts_fact *s = &r->pol.sts;
	char label[400];

	if (d->state == DANE_UNUSABLE || d->state == DANE_NO_TLS || d->state == DANE_MATCHED ||
	    d->state == DANE_NO_MATCH) {
		nagios_label(label, sizeof(label), prefix, "tlsa_usable");
		fprintf(out, " %s=%zu;;;0;", label, pol_usable(d));
	}
	if (s->asked && s->fetch == STS_FETCH_OK && s->policy.valid && s->policy.max_age >= 0) {
		nagios_label(label, sizeof(label), prefix, "mta_sts_max_age");
		fprintf(out, " %s=%lds;;;0;", label, s->policy.max_age);
	}
}

static void
nagios_perf(
    FILE *out, const struct report *r, const char *prefix, const char *warn, const char *crit)
{
	struct report_timing t[LABEL_COUNT];
	char label[400];

	report_timings(r, t);
	for (int l = 0; l < LABEL_COUNT; l++) {
		if (t[l].present) {
			nagios_label(
			    label, sizeof(label), prefix, report_label_name((enum report_label)l));
			nagios_perf_seconds(out, label, t[l].ms, NULL, NULL);
		}
	}
	nagios_label(label, sizeof(label), prefix, "total");
	nagios_perf_seconds(out, label, r->total_ms, warn, crit);
	if (r->tls_done && r->tls.have_cert) {
		/* The first certificate of the chain to expire. */
		nagios_label(label, sizeof(label), prefix, "cert_days");
		fprintf(out, " %s=%lld;;;", label, render_chain_days(&r->tls));
	}
	nagios_perf_policy(out, r, prefix);
}

/* What went wrong, worst first: each finding that counts, with the
 * exchange it concerns, explained. */
static void
nagios_long(FILE *out, const struct report *r)
{
	static const enum sev order[] = {SEV_CRITICAL, SEV_WARNING, SEV_UNKNOWN};

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		nagios_findings(out, r, order[k]);
	}
}

void
render_nagios(FILE *out, const struct report *r, const char *warn, const char *crit)
{
	nagios_status(out, r);
	fputs(" |", out);
	nagios_perf(out, r, NULL, warn, crit);
	fputc('\n', out);
	nagios_long(out, r);
}

/* Several targets: the plugin API (Nagios 3 pluginapi, monitoring-plugins
 * developer guidelines) takes perfdata from the first line and from
 * everything after the first '|' of the later lines; so every target's
 * status and findings go first, without '|', and all the perfdata last. */
struct nagios_doc {
	FILE *text, *perf;
	char *text_buf, *perf_buf;
	size_t text_len, perf_len;
	size_t n;
	size_t by_sev[4];
	enum sev worst;
	const char *warn, *crit;
};

struct nagios_doc *
nagios_doc_new(const char *warn, const char *crit)
{
	struct nagios_doc *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		return NULL;
	}
	d->text = open_memstream(&d->text_buf, &d->text_len);
	d->perf = open_memstream(&d->perf_buf, &d->perf_len);
	if (d->text == NULL || d->perf == NULL) {
		nagios_doc_free(d);
		return NULL;
	}
	d->warn = warn;
	d->crit = crit;
	d->worst = SEV_OK;
	return d;
}

void
nagios_doc_add(struct nagios_doc *d, const struct report *r)
{
	char target[300], prefix[320];

	d->n++;
	if (r->verdict <= SEV_UNKNOWN) {
		d->by_sev[r->verdict]++;
	}
	d->worst = sev_worst(d->worst, r->verdict);
	nagios_status(d->text, r);
	fputc('\n', d->text);
	nagios_long(d->text, r);
	/* Labels unique per target, however often one is named. */
	snprintf(prefix, sizeof(prefix), "%zu_%s", d->n, render_target(r, target, sizeof(target)));
	nagios_perf(d->perf, r, prefix, d->warn, d->crit);
}

void
nagios_doc_write(struct nagios_doc *d, FILE *out)
{
	fflush(d->text);
	fflush(d->perf);
	fprintf(out, "SMTP %s - %zu targets: %zu OK, %zu WARNING, %zu CRITICAL, %zu UNKNOWN\n",
	    sev_name(d->worst), d->n, d->by_sev[SEV_OK], d->by_sev[SEV_WARNING],
	    d->by_sev[SEV_CRITICAL], d->by_sev[SEV_UNKNOWN]);
	fwrite(d->text_buf, 1, d->text_len, out);
	fputc('|', out);
	fwrite(d->perf_buf, 1, d->perf_len, out);
	fputc('\n', out);
}

void
nagios_doc_free(struct nagios_doc *d)
{
	if (d == NULL) {
		return;
	}
	if (d->text != NULL) {
		fclose(d->text);
	}
	if (d->perf != NULL) {
		fclose(d->perf);
	}
	free(d->text_buf);
	free(d->perf_buf);
	free(d);
}

static void
nagios_findings(FILE *out, const struct report *r, enum sev sev)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->ignored || f->sev != sev) {
			continue;
		}
		fprintf(out, "%s %s: ", sev_name(f->sev), finding_def(f->id)->id);
		nagios_esc(out, f->msg, 400);
		fputc('\n', out);
		if (f->step >= 0 && (size_t)f->step < r->nsteps) {
			const struct step *st = &r->steps[f->step];

			if (st->kind == STEP_COMMAND && st->sent[0] != '\0') {
				fputs("  C: ", out);
				nagios_esc(out, st->sent, 300);
				fprintf(out, "%s\n",
				    st->state == STATE_SENT       ? ""
				        : st->state == STATE_HELD ? _(" (held back)")
				                                  : _(" (not sent)"));
			}
			/* The evidence: the line the finding is about, else the
			 * reply's first lines. */
			for (size_t k = 0; k < st->reply.nlines && k < 5; k++) {
				size_t at = f->line >= 0 ? (size_t)f->line : k;

				if (at >= st->reply.nlines) {
					break;
				}
				fputs("  S: ", out);
				nagios_esc(out, st->reply.lines[at].text, 300);
				fputc('\n', out);
				if (f->line >= 0) {
					break;
				}
			}
			if (st->reply.complete) {
				fputs("  # ", out);
				nagios_esc(out, render_step_explanation(st), 400);
				fputc('\n', out);
			}
		}
	}
}
