/* opts.h - the command line: parsed and validated completely before any
 * network traffic.  Bad input is a clear message and exit status 3.
 */
#ifndef SMTPROBE_OPTS_H
#define SMTPROBE_OPTS_H

#include <stdio.h>

#include "dns.h"
#include "fault.h"
#include "policy.h"
#include "probe.h"
#include "render.h"
#include "tls.h"

enum opts_action {
	OPTS_PROBE,
	OPTS_HELP,
	OPTS_VERSION
};

enum opts_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_NAGIOS,
	FORMAT_PROMETHEUS
};

/* Most --mx domains in one run. */
#define OPTS_MAX_MX 32

struct opts {
	enum opts_action action;
	struct probe_opts probe;      /* .target unused: see targets */
	struct tls_config tls;
	enum render_verbosity verbosity;
	enum opts_format format;
	const char *lang;             /* --lang, or NULL: the locale decides */
	const char *password_file;    /* --password-file */
	const char *token_file;       /* --token-file */
	struct policy policy;         /* -w, -c, --require-capability, --expect-banner, --ignore */
	char **targets;               /* from the arguments, then --targets-file (owned) */
	size_t ntargets;
	const char *mx[OPTS_MAX_MX];  /* --mx domains */
	size_t nmx;
	struct dns_server dns;        /* --dns-server */
	unsigned parallel;            /* --parallel, default 16 */
};

/* Release what opts_parse allocated. */
void opts_free(struct opts *o);

/* Does the planned AUTH need a password (have_token: a token is already
 * loaded, which --auth auto can use instead), a token, or either?  Set
 * after opts_parse. */
int opts_needs_password(const struct opts *o, int have_token);
int opts_needs_token(const struct opts *o);

/* Parse argv into o.  Returns 0, or -1 with f->msg saying what is wrong
 * (one line, without the program name). */
int opts_parse(int argc, char **argv, struct opts *o, struct fault *f);

/* The --help text. */
void opts_usage(FILE *out);

#endif
