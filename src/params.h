/* params.h - MAIL FROM and RCPT TO parameters, held against the server's
 * EHLO capabilities before anything is sent.  Pure: no I/O.
 *
 * Which keyword enables which parameter comes from data/ehlo-keywords.tsv
 * (RFC 1870, 1652/6152, 3030, 3461, 3865, 3885, 4865, 4954, 2852, 6531,
 * 6710, 7293, 8689 and the vendor extensions listed there).
 */
#ifndef SMTPROBE_PARAMS_H
#define SMTPROBE_PARAMS_H

#include <stddef.h>

#include "ehlo.h"
#include "fault.h"
#include "finding.h"
#include "smtp.h"

#define PARAM_KEY_MAX 32
#define PARAM_VALUE_MAX 256

struct param {
	char key[PARAM_KEY_MAX];       /* as given; compared case-insensitively */
	char value[PARAM_VALUE_MAX];   /* "" when has_value is 0 */
	int has_value;
};

/* One problem found before sending: the finding to raise and its message
 * (which names the keyword, the answer to expect and the fix). */
struct param_issue {
	enum finding_id id;
	char msg[300];
};

/* Parse "KEY" or "KEY=VALUE" (RFC 5321 esmtp-param: keyword of letters,
 * digits and '-', starting with a letter or digit; value of printable
 * characters other than '=' and space, UTF-8 allowed).  0, or -1 with f
 * filled. */
int params_parse(const char *s, struct param *p, struct fault *f);

/* The EHLO keyword that enables parameter key (with its value, for BODY)
 * on command where (SMTP_MAIL or SMTP_RCPT); NULL when the parameter is
 * unknown there. */
const char *params_keyword(const char *key, const char *value, enum smtp_cmd where);

/* Check the n parameters of one command, and the address it carries,
 * against caps.  Fills at most max issues; returns how many there are
 * (0: send it).  where is SMTP_MAIL or SMTP_RCPT. */
size_t params_check(const struct ehlo *caps, enum smtp_cmd where, const char *addr,
    const struct param *p, size_t n, struct param_issue *out, size_t max);

/* Non-zero when s holds a byte above 127 (an internationalized address). */
int params_non_ascii(const char *s);

#endif
