/* policy.h - a site's expectations, applied to a finished report: the
 * -w/-c thresholds on the total time, --require-capability,
 * --expect-banner and --ignore.  No I/O.
 */
#ifndef SMTPROBE_POLICY_H
#define SMTPROBE_POLICY_H

#include <regex.h>
#include <stddef.h>

#include "finding.h"
#include "range.h"
#include "report.h"

#define POLICY_MAX 32

struct policy {
	int have_warn, have_crit;
	struct range warn, crit;         /* on the total time, in seconds */
	const char *require[POLICY_MAX]; /* EHLO keywords */
	size_t nrequire;
	int have_banner;
	regex_t banner; /* extended, case-insensitive */
	char banner_text[256];
	enum finding_id ignore[POLICY_MAX];
	size_t nignore;
};

/* Add the policy's findings to r, mark the ignored ones, and compute the
 * verdict again. */
void policy_apply(const struct policy *pol, struct report *r);

void policy_free(struct policy *pol);

#endif
