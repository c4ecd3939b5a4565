/* opts.h - the command line: parsed and validated completely before any
 * network traffic.  Bad input is a clear message (FAULT_USAGE) and exit
 * status 3.
 *
 * Two steps: opts_parse turns argv into struct opts and touches nothing
 * else (no file, no locale); opts_load then does what has effects --
 * switches the language, checks the files named, reads --targets-file,
 * compiles --expect-banner -- and the checks across options.  Every
 * option is one row of the table in opts.c (name, letter, value, once,
 * handler, help paragraph).
 */
#ifndef SMTPROBE_OPTS_H
#define SMTPROBE_OPTS_H

#include <stdio.h>

#include "bounds.h"
#include "dns.h"
#include "fault.h"
#include "policy.h"
#include "probe.h"
#include "render.h"
#include "target.h"
#include "tls.h"

enum opts_action { OPTS_PROBE, OPTS_HELP, OPTS_VERSION };

enum opts_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_NAGIOS, FORMAT_PROMETHEUS };

/* --color: escape sequences for the text format on a terminal. */
enum opts_color {
	COLOR_AUTO,   /* when stdout is a terminal and NO_COLOR is not set */
	COLOR_ALWAYS, /* even into a pipe (for a pager such as less -R) */
	COLOR_NEVER
};

/* Most addresses opts_parse copies: --mail-from, --vrfy, --expn, --rcpt. */
#define OPTS_MAX_ADDRS (BOUND_RCPTS + 3)

/* Most --mx domains in one run. */
#define OPTS_MAX_MX 32

struct opts {
	enum opts_action action;
	int port_set;            /* -p/--port was given */
	struct probe_opts probe; /* .target unused: see targets */
	struct tls_config tls;
	enum render_verbosity verbosity;
	enum opts_format format;
	const char *lang;          /* --lang, or NULL: the locale decides */
	const char *password_file; /* --password-file */
	const char *token_file;    /* --token-file */
	struct policy policy;      /* -w, -c, --require-capability, --expect-banner, --ignore */
	const char *expect_banner; /* --expect-banner; opts_load compiles it into policy */
	char **targets;            /* from the arguments, then --targets-file (owned) */
	struct target *parsed;     /* targets[i], parsed once (owned) */
	size_t ntargets;
	const char **targets_files; /* --targets-file, in order (owned array; read by opts_load) */
	size_t ntargets_files;
	const char *mx[OPTS_MAX_MX]; /* --mx domains, in ASCII (A-labels) */
	size_t nmx;
	char mx_ascii[OPTS_MAX_MX][BOUND_NAME + 1]; /* an internationalised --mx, converted */
	char mx_u[OPTS_MAX_MX][BOUND_NAME + 1];     /* its Unicode form, or "" */
	int all_addresses;        /* --all-addresses 1, --no-all-addresses 0; -1: the
	                           * default, on for the hosts --mx finds */
	const char *mta_sts;      /* --mta-sts DOMAIN, or NULL */
	struct dns_conf dns;      /* --dns-server, --trust-anchor */
	const char *trust_anchor; /* --trust-anchor; opts_load checks it into dns */
	unsigned parallel;        /* --parallel, default 16 */
	unsigned per_ip;          /* --per-ip, default 2 */
	enum opts_color color;    /* --color, default auto */
	struct net_source source; /* --source-address; the family --proxy-source needs */
	char addrs[OPTS_MAX_ADDRS][BOUND_ADDR + 1]; /* the addresses, brackets removed */
	size_t naddrs;
};

/* Release what opts_parse allocated. */
void opts_free(struct opts *o);

/* Does the planned AUTH need a password (have_token: a token is already
 * loaded, which --auth auto can use instead), a token, or either?  Set
 * after opts_parse. */
int opts_needs_password(const struct opts *o, int have_token);
int opts_needs_token(const struct opts *o);

/* Colour the text output?  tty: stdout is a terminal; no_color and term:
 * the NO_COLOR and TERM variables (NULL when unset).  Only the text
 * format is ever coloured; NO_COLOR turns auto off, not always. */
int opts_use_color(const struct opts *o, int tty, const char *no_color, const char *term);

/* Parse argv into o, touching nothing else.  Returns 0, or -1 with f
 * (FAULT_USAGE, or FAULT_INTERNAL for memory) saying what is wrong (one
 * line, without the program name).  Either way opts_free releases o.
 * o points into argv's strings, which stay as they were (getopt_long
 * reorders the pointers): parsing the same argv again gives the same. */
int opts_parse(int argc, char **argv, struct opts *o, struct fault *f);

/* After opts_parse: switch the language for --lang; unless --help or
 * --version, check the files named, read --targets-file, compile
 * --expect-banner, and check the options against each other.  0, or
 * -1 with f set as opts_parse does. */
int opts_load(struct opts *o, struct fault *f);

/* Append the target t, parsed as *parsed (for opts_load's files).  0, or
 * -1 (out of memory). */
int opts_target_add(struct opts *o, const char *t, const struct target *parsed, struct fault *f);

/* Where --help documents an option: a paragraph of opts_usage. */
enum opts_para {
	PARA_NONE = 0, /* not documented (--password, --pass: refused) */
	PARA_CONNECTION = 3,
	PARA_SOURCE,
	PARA_TLS,
	PARA_DIALOGUE,
	PARA_TARGETS,
	PARA_POLICY,
	PARA_OUTPUT
};

/* The option table, for tests: how many options, the i-th one's long
 * name, and the untranslated --help paragraph that documents it (NULL
 * for PARA_NONE). */
size_t opts_count(void);
const char *opts_name(size_t i);
const char *opts_help(size_t i);

/* The untranslated paragraph para of --help, or NULL. */
const char *opts_usage_para(enum opts_para para);

/* Does the long option name (without dashes) take a value?  1 yes, 0 it is
 * a flag, -1 there is no such option.  For smtprobe serve's modules,
 * which are turned into the argv opts_parse reads. */
int opts_takes_value(const char *name);

/* The index in argv of the first argument that is neither an option nor
 * an option's value (the first TARGET, or a subcommand written after
 * global options: smtprobe --lang de explain 235), or argc when there
 * is none.  Stops at "--". */
int opts_first_operand(int argc, char *const *argv);

/* The --help text. */
void opts_usage(FILE *out);

#endif
