/* params_data.h - the MAIL FROM and RCPT TO parameters smtprobe knows,
 * generated at build time from data/esmtp-params.tsv (checked against
 * data/ehlo-keywords.tsv) by tools/gen-params.awk. */
#ifndef SMTPROBE_PARAMS_DATA_H
#define SMTPROBE_PARAMS_DATA_H

#include <stddef.h>

#include "smtp.h"

/* The form of a parameter's value (the TSV's "value" column). */
enum params_value {
	PV_NONE,     /* no value allowed */
	PV_OPTIONAL, /* any esmtp-value, or none */
	PV_ANY,      /* any esmtp-value, required */
	PV_NUMBER,   /* decimal digits */
	PV_OCTETS,   /* decimal digits, at most the advertised SIZE (RFC 1870) */
	PV_ONE_OF,   /* one of choices, case-insensitive */
	PV_XTEXT,
	PV_AUTH,
	PV_PRIORITY,
	PV_BY,
	PV_NOTIFY,
	PV_ORCPT
};

/* One parameter on one command.  A parameter whose keyword depends on its
 * value (BODY) has one row per keyword, told apart by choices. */
struct params_def {
	const char *key;
	enum smtp_cmd where; /* SMTP_MAIL or SMTP_RCPT */
	const char *keyword; /* the EHLO keyword that enables it */
	const char *also;    /* a keyword the value needs too, or NULL */
	enum params_value value;
	const char *choices; /* PV_ONE_OF: the values, comma-separated */
	const char *form;    /* the value's form, for messages */
};

extern const struct params_def params_defs[];
extern const size_t params_ndefs;

#endif
