/* sts.h - MTA-STS (RFC 8461): the _mta-sts TXT record (§3.1), the policy
 * file (§3.2) and the MX patterns it lists (§4.1).  Pure.
 */
#ifndef SMTPROBE_STS_H
#define SMTPROBE_STS_H

#include <stddef.h>

#include "bounds.h"

/* MX patterns kept of one policy; more are counted (mx_dropped). */
#define STS_MAX_MX 16

/* RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
#define STS_MAX_AGE_MAX 31557600L

/* The TXT record at _mta-sts.DOMAIN: "v=STSv1; id=...;". */
struct sts_txt {
	int valid;
	char id[33];     /* 1 to 32 letters and digits */
	char error[160]; /* !valid: why, in English (a fact for the judge) */
};

int sts_txt_parse(const char *txt, size_t len, struct sts_txt *out);

enum sts_mode { STS_MODE_UNSET = 0, STS_MODE_ENFORCE, STS_MODE_TESTING, STS_MODE_NONE };

struct sts_policy {
	int valid;
	char error[160]; /* !valid: why */
	enum sts_mode mode;
	char mx[STS_MAX_MX][BOUND_NAME + 1]; /* as written: "mail.example.com", "*.example.net" */
	size_t nmx;
	size_t mx_dropped;
	long max_age; /* seconds, -1 when missing */
};

/* The policy file's body (the HTTP response's, already bounded). */
int sts_policy_parse(const char *text, size_t len, struct sts_policy *out);

/* Whether host (an MX host name, no trailing dot) matches pattern: equal
 * ignoring ASCII case, or "*.rest" where * stands for exactly one label
 * (RFC 8461 §4.1).  1 or 0. */
int sts_mx_match(const char *pattern, const char *host);

/* The index of the first pattern of p that host matches, or -1. */
int sts_policy_match(const struct sts_policy *p, const char *host);

const char *sts_mode_name(enum sts_mode m); /* "enforce", "testing", "none", "" */

#endif
