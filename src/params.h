/* params.h - MAIL FROM and RCPT TO parameters, held against the server's
 * EHLO capabilities before anything is sent.  Pure: no I/O.
 *
 * Which keyword enables which parameter, and the form of its value, come
 * from data/esmtp-params.tsv (generated into params_data.c, each row
 * checked against data/ehlo-keywords.tsv: RFC 1870, 1652/6152, 3030,
 * 3461, 3865, 3885, 4865, 4954, 2852, 6531, 6710, 7293, 8689 and the
 * vendor extensions listed there).  The issues are facts; the judge words
 * them (judge_params.c).
 */
#ifndef SMTPROBE_PARAMS_H
#define SMTPROBE_PARAMS_H

#include <stddef.h>

#include "bounds.h"
#include "ehlo.h"
#include "fault.h"
#include "finding.h"
#include "params_data.h"
#include "smtp.h"

#define PARAM_KEY_MAX 32
#define PARAM_VALUE_MAX 256

struct param {
	char key[PARAM_KEY_MAX];     /* as given; compared case-insensitively */
	char value[PARAM_VALUE_MAX]; /* "" when has_value is 0 */
	int has_value;
};

/* Why a parameter, or the address, would likely be refused. */
enum param_problem {
	PARAM_OTHER_COMMAND,    /* defined, but for the other command */
	PARAM_UNDEFINED,        /* defined by no extension smtprobe knows */
	PARAM_BAD_FORM,         /* the value does not have def->form */
	PARAM_NOT_ADVERTISED,   /* def->keyword is not advertised */
	PARAM_ALSO_NEEDED,      /* def->keyword is, def->also (which the value needs) not */
	PARAM_SIZE_OVER,        /* SIZE above the advertised maximum, limit */
	PARAM_ADDR_NO_SMTPUTF8, /* addr is not ASCII; SMTPUTF8 is not advertised */
	PARAM_ADDR_NO_PARAM     /* addr (MAIL FROM) is not ASCII; no SMTPUTF8 parameter */
};

/* One problem found before sending, as facts: the finding to raise, what
 * is wrong, and with what. */
struct param_issue {
	enum finding_id id;
	enum param_problem what;
	enum smtp_cmd where;          /* SMTP_MAIL or SMTP_RCPT */
	struct param p;               /* the parameter as given; empty for PARAM_ADDR_* */
	const struct params_def *def; /* its row: set for BAD_FORM, NOT_ADVERTISED,
	                               * ALSO_NEEDED and SIZE_OVER */
	unsigned long long limit;     /* PARAM_SIZE_OVER: the advertised maximum */
	char addr[BOUND_ADDR + 1];    /* PARAM_ADDR_*: the address */
};

/* Parse "KEY" or "KEY=VALUE" (RFC 5321 esmtp-param: keyword of letters,
 * digits and '-', starting with a letter or digit; value of printable
 * characters other than '=' and space, UTF-8 allowed).  0, or -1 with f
 * filled. */
int params_parse(const char *s, struct param *p, struct fault *f);

/* The row of parameter key (case-insensitive) on command where: the one
 * whose choices hold value when the keyword depends on it (BODY), else the
 * first; NULL when the parameter is unknown there. */
const struct params_def *params_def(const char *key, const char *value, enum smtp_cmd where);

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
