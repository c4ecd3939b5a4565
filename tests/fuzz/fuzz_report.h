/* fuzz_report.h - a report filled from fuzz input, for the renderer
 * harnesses: the input is cut at NUL bytes into the fields a server, DNS
 * or the user controls. */
#ifndef SMTPROBE_FUZZ_REPORT_H
#define SMTPROBE_FUZZ_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* The next NUL-terminated piece of data into out (cut to outsz - 1). */
static void
fuzz_field(const uint8_t **data, size_t *size, char *out, size_t outsz)
{
	size_t n = 0;

	while (*size > 0 && **data != 0) {
		if (n + 1 < outsz) {
			out[n++] = (char)**data;
		}
		(*data)++;
		(*size)--;
	}
	if (*size > 0) {
		(*data)++;
		(*size)--;
	}
	out[n] = '\0';
}

/* host, mx domain, server name, a finding's message, a reply line, the
 * sent command, the certificate subject. */
static void
fuzz_report(struct report *r, const uint8_t *data, size_t size)
{
	static char line[BOUND_LINE_ACCEPT];
	struct step *st;

	report_init(r);
	r->target.port = 25;
	fuzz_field(&data, &size, r->target.host, sizeof(r->target.host));
	fuzz_field(&data, &size, r->mx_domain, sizeof(r->mx_domain));
	fuzz_field(&data, &size, r->server_name, sizeof(r->server_name));
	st = report_add_step(r, STEP_COMMAND, SMTP_GREETING);
	fuzz_field(&data, &size, line, sizeof(line));
	report_add(r, F_BANNER_REJECTED, 0, "%s", line);
	fuzz_field(&data, &size, st->sent, sizeof(st->sent));
	fuzz_field(&data, &size, r->tls.subject, sizeof(r->tls.subject));
	r->tls_done = 1;
	r->tls.have_cert = 1;
	snprintf(r->tls.protocol, sizeof(r->tls.protocol), "TLSv1.3");
	r->tls.earliest = -1;
	report_finish(r);
}

#endif
