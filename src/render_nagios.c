/* render_nagios.c - the monitoring-plugins output: one status line with
 * perfdata, then what went wrong, explained (the development guidelines'
 * format: "SERVICE STATUS - text | perfdata", long text on later lines). */
#include <config.h>

#include <string.h>

#include "esc.h"
#include "i18n.h"
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
	esc_text(s, len < max ? len : max, buf, sizeof(buf));
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

void
render_nagios(FILE *out, const struct report *r, const char *warn, const char *crit)
{
	struct report_timing t[LABEL_COUNT];
	const struct finding *w = render_worst(r);
	char target[300];

	fprintf(out, "SMTP %s - %s", sev_name(r->verdict), render_target(r, target, sizeof(target)));
	if (r->server_name[0] != '\0') {
		fputc(' ', out);
		nagios_esc(out, r->server_name, 80);
	}
	if (r->tls_done) {
		fprintf(out, ", %s", r->tls.protocol);
		if (r->tls.have_cert) {
			fprintf(out, _(", certificate %lld days"), (long long)r->tls.days_left);
			render_chain_expiry(out, &r->tls);
		}
	}
	if (w != NULL) {
		fprintf(out, " - %s: ", finding_def(w->id)->id);
		nagios_esc(out, w->msg, 200);
	}
	fputs(" |", out);
	report_timings(r, t);
	for (int l = 0; l < LABEL_COUNT; l++) {
		if (t[l].present) {
			nagios_perf_seconds(out, report_label_name((enum report_label)l), t[l].ms, NULL, NULL);
		}
	}
	nagios_perf_seconds(out, "total", r->total_ms, warn, crit);
	if (r->tls_done && r->tls.have_cert) {
		/* The first certificate of the chain to expire. */
		fprintf(out, " cert_days=%lld;;;", render_chain_days(&r->tls));
	}
	fputc('\n', out);

	/* What went wrong, worst first: each finding that counts, with the
	 * exchange it concerns, explained. */
	static const enum sev order[] = {SEV_CRITICAL, SEV_WARNING, SEV_UNKNOWN};

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		nagios_findings(out, r, order[k]);
	}
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
				fprintf(out, "  C: %s%s\n", st->sent, st->state == STATE_SENT ? "" :
				    st->state == STATE_HELD ? _(" (held back)") : _(" (not sent)"));
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
				fprintf(out, "  # %s\n", render_step_explanation(st));
			}
		}
	}
}
