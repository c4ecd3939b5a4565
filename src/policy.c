#include <config.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "judge.h"
#include "policy.h"

void
policy_free(struct policy *pol)
{
	if (pol->have_banner) {
		regfree(&pol->banner);
		pol->have_banner = 0;
	}
}

static const struct step *
policy_greeting(const struct report *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		if (r->steps[i].kind == STEP_COMMAND && r->steps[i].cmd == SMTP_GREETING) {
			return &r->steps[i];
		}
	}
	return NULL;
}

void
policy_apply(const struct policy *pol, struct report *r)
{
	double secs = (double)r->total_ms / 1000.0;
	const struct ehlo *caps = report_caps(r);
	const struct step *greet = policy_greeting(r);

	if (pol->have_crit && range_alert(&pol->crit, secs)) {
		report_add_sev(r, F_TIME_THRESHOLD, SEV_CRITICAL, -1,
		    _("the probe took %.3f s (critical range %s)"), secs, pol->crit.text);
	} else if (pol->have_warn && range_alert(&pol->warn, secs)) {
		report_add(r, F_TIME_THRESHOLD, -1, _("the probe took %.3f s (warning range %s)"),
		    secs, pol->warn.text);
	}
	/* Capabilities and the banner can only be judged when they were seen. */
	for (size_t i = 0; i < pol->nrequire && caps != NULL; i++) {
		if (ehlo_find(caps, pol->require[i]) == NULL) {
			if (r->have_caps_tls) {
				report_add(r, F_CAPABILITY_MISSING, -1,
				    _("the server does not advertise %s after TLS"),
				    pol->require[i]);
			} else {
				report_add(r, F_CAPABILITY_MISSING, -1,
				    _("the server does not advertise %s"), pol->require[i]);
			}
		}
	}
	/* A greeting that refuses for a rate limit is no banner to match. */
	if (pol->have_banner && greet != NULL && greet->reply.nlines > 0 &&
	    !judge_rate_limited(&greet->reply)) {
		/* Every line of the greeting, joined by spaces (a NUL byte in
		 * the text ends its line here). */
		char text[1024] = "";

		for (size_t i = 0; i < greet->reply.nlines; i++) {
			size_t len = strlen(text);

			snprintf(text + len, sizeof(text) - len, "%s%s", i ? " " : "",
			    greet->reply.lines[i].text);
		}
		if (regexec(&pol->banner, text, 0, NULL, 0) != 0) {
			report_add(r, F_BANNER_UNEXPECTED, report_step_index(r, greet),
			    _("the greeting does not match /%s/"), pol->banner_text);
		}
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		for (size_t k = 0; k < pol->nignore; k++) {
			if (r->findings[i].id == pol->ignore[k]) {
				r->findings[i].ignored = 1;
			}
		}
	}
	report_finish(r);
}
