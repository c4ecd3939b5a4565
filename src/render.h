/* render.h - renderers read a finished report and write it out.  They
 * never change the report, and escape every byte that came from the
 * network.
 */
#ifndef SMTPROBE_RENDER_H
#define SMTPROBE_RENDER_H

#include <stdio.h>

#include "report.h"

enum render_verbosity {
	RENDER_QUIET = -1, /* the verdict line alone */
	RENDER_NORMAL = 0, /* transcript, summary, verdict */
	RENDER_VERBOSE = 1 /* and every connection try, reply flag, and each finding's
	                      meaning and why it matters */
};

/* The transcript, the summary (each finding with its fix) and the verdict
 * line, without colour. */
void render_text(FILE *out, const struct report *r, enum render_verbosity v);

/* The same; with color, ANSI SGR sequences colour the verdict and the
 * severities and mark the C: and S: prefixes.  Only these sequences,
 * written here, ever reach out: server text is escaped before. */
void render_text_color(FILE *out, const struct report *r, enum render_verbosity v, int color);

/* --all-addresses: the host's verdict, after the last of its addresses
 * (r is that last record). */
void render_text_host(FILE *out, const struct report *r, int color);

/* The one-line verdict ("OK: host:port ..."), as the text output ends. */
void render_verdict_line(FILE *out, const struct report *r);

/* One JSON object on one line (schema "smtprobe-report/2", documented in
 * docs/report.schema.json).  0, or -1 when writing failed. */
int render_json(FILE *out, const struct report *r);

/* The monitoring-plugins output of one target: the status line with
 * perfdata, then what went wrong, explained.  warn/crit: the -w/-c range
 * texts, or NULL. */
void render_nagios(FILE *out, const struct report *r, const char *warn, const char *crit);

/* Several targets in one nagios output: a summary line, each target's
 * status and findings, then the perfdata of all of them (labels prefixed
 * with the target's number and name) after one '|' on the last line. */
struct nagios_doc;
struct nagios_doc *nagios_doc_new(const char *warn, const char *crit);
void nagios_doc_add(struct nagios_doc *d, const struct report *r);
void nagios_doc_write(struct nagios_doc *d, FILE *out);
void nagios_doc_free(struct nagios_doc *d);

/* Prometheus text exposition: one document for any number of reports.
 * Each report's series are kept as text (not the report) until the
 * document is written, family by family as the format requires. */
struct prom_doc;
struct prom_doc *prom_doc_new(void);
void prom_doc_add(struct prom_doc *d, const struct report *r);
void prom_doc_write(struct prom_doc *d, FILE *out);
void prom_doc_free(struct prom_doc *d);

/* The summary's lines about the TLS policy facts (r->pol: the level,
 * DANE, MTA-STS, TLS-RPT); nothing when none was looked up. */
void render_text_policy(FILE *out, const struct report *r);

/* Helpers shared by the renderers (render.c; the step names are the
 * report's: report_step_name, report_label_name, report_tls_mode_name). */
/* The reply explanation of a step in one line ("" when it has no reply). */
const char *render_step_explanation(const struct step *st);
/* "sent", "held", "skipped", "not-reached" (JSON). */
const char *render_step_state(enum step_state s);
/* "host:port", with brackets for IPv6 (buf of 300 bytes). */
const char *render_target(const struct report *r, char *buf, size_t size);
/* When a certificate of the chain the server sent expires before its
 * own: "; certificate 1 of the chain has EXPIRED" (else nothing). */
void render_chain_expiry(FILE *out, const struct tls_info *t);
/* Days until the first certificate of the sent chain expires. */
long long render_chain_days(const struct tls_info *t);
/* The first non-ignored finding of the verdict's severity, or NULL. */
const struct finding *render_worst(const struct report *r);

#endif
