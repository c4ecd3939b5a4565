/* opts.c - the command line as one table: each option's name, letter,
 * value, once-only rule, handler and --help paragraph live in one row of
 * opts_table.  opts_parse fills struct opts from argv and nothing else;
 * opts_load (opts_load.c) does what has effects.
 */
#include <config.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "auth.h"
#include "bounds.h"
#include "explain.h"
#include "finding.h"
#include "i18n.h"
#include "idn.h"
#include "opts.h"
#include "target.h"

/* One option.  set is called with the value (NULL for a flag); it only
 * writes o, never a file or the process. */
struct opts_def {
	const char *name;    /* the long name, without dashes */
	char letter;         /* the short letter, or 0 */
	unsigned char value; /* takes a value */
	unsigned char once;  /* a second one is refused, never kept in place of the first */
	unsigned char alias; /* the same option as the row before (getopt's val) */
	enum opts_para para; /* where --help documents it */
	int (*set)(struct opts *o, char *arg, struct fault *f);
	size_t at; /* with set NULL: the int a flag sets to 1, or the
	            * const char * that keeps the value (OPTS_AT) */
};

#define OPTS_AT(member) offsetof(struct opts, member)

/* A whole number in [lo, hi]; 0 or -1. */
static int
opts_number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (s[0] == '\0' || s[0] == '-' || s[0] == '+' || s[0] == ' ') {
		return -1;
	}
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi) {
		return -1;
	}
	*out = v;
	return 0;
}

/* What a number option accepts, in the words of its error. */
enum opts_unit { UNIT_NUMBER, UNIT_SECONDS, UNIT_DAYS };

/* arg as a number from lo to hi into *n, or the usage error naming opt. */
static int
opts_range(const char *opt, const char *arg, long lo, long hi, enum opts_unit unit, long *n,
    struct fault *f)
{
	if (opts_number(arg, lo, hi, n) == 0) {
		return 0;
	}
	switch (unit) {
	case UNIT_SECONDS:
		return fault_set(f, FAULT_USAGE, 0,
		    _("%s '%s': must be a whole number of seconds from %ld to %ld"), opt, arg, lo,
		    hi);
	case UNIT_DAYS:
		return fault_set(f, FAULT_USAGE, 0,
		    _("%s '%s': must be a number of days from %ld to %ld"), opt, arg, lo, hi);
	case UNIT_NUMBER:
		break;
	}
	return fault_set(
	    f, FAULT_USAGE, 0, _("%s '%s': must be a number from %ld to %ld"), opt, arg, lo, hi);
}

/* An address for MAIL, RCPT, VRFY or EXPN: angle brackets stripped, no
 * control bytes (CR, LF and NUL would inject commands), no spaces.  The
 * copy goes in o->addrs: argv is left as it was, so that parsing it
 * again gives the same result. */
static int
opts_addr(
    struct opts *o, const char *s, const char *opt, int empty_ok, const char **out, struct fault *f)
{
	size_t len = strlen(s);
	char *a;

	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	if (len > BOUND_ADDR) {
		return fault_set(
		    f, FAULT_USAGE, 0, _("%s is longer than %d bytes"), opt, BOUND_ADDR);
	}
	if (o->naddrs == OPTS_MAX_ADDRS) {
		/* Not reached: --mail-from, --vrfy and --expn once, --rcpt bounded. */
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	a = o->addrs[o->naddrs];
	memcpy(a, s, len);
	a[len] = '\0';
	if (len == 0 && empty_ok) {
		*out = a;
		o->naddrs++;
		return 0;
	}
	if (target_check_name(a, opt, f) != 0) {
		return -1;
	}
	if (strpbrk(a, "<>") != NULL) {
		return fault_set(f, FAULT_USAGE, 0, _("%s '%s': stray '<' or '>'"), opt, a);
	}
	*out = a;
	o->naddrs++;
	return 0;
}

int
opts_use_color(const struct opts *o, int tty, const char *no_color, const char *term)
{
	if (o->format != FORMAT_TEXT || o->color == COLOR_NEVER) {
		return 0;
	}
	if (o->color == COLOR_ALWAYS) {
		return 1;
	}
	/* https://no-color.org: NO_COLOR set and not empty turns colour
	 * off by default; an explicit --color always still wins. */
	if (no_color != NULL && no_color[0] != '\0') {
		return 0;
	}
	return tty && term != NULL && term[0] != '\0' && strcmp(term, "dumb") != 0;
}

int
opts_needs_password(const struct opts *o, int have_token)
{
	const char *a = o->probe.auth;

	return a != NULL && (strcasecmp(a, "auto") == 0 ? !have_token : !auth_uses_token(a));
}

int
opts_needs_token(const struct opts *o)
{
	const char *a = o->probe.auth;

	return a != NULL && strcasecmp(a, "auto") != 0 && auth_uses_token(a);
}

static int
opts_add_param(struct param *ps, size_t *n, const char *arg, const char *opt, struct fault *f)
{
	if (*n == BOUND_PARAMS) {
		return fault_set(f, FAULT_USAGE, 0, _("at most %d %s options"), BOUND_PARAMS, opt);
	}
	if (params_parse(arg, &ps[*n], f) != 0) {
		return -1;
	}
	(*n)++;
	return 0;
}

/* An address for --source-address (no port) or --proxy-source (with one:
 * a.b.c.d:PORT or [IPv6]:PORT) into ss.  0, or -1 with f filled. */
static int
opts_sockaddr(
    const char *arg, const char *opt, int want_port, struct sockaddr_storage *ss, struct fault *f)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL;
	unsigned pnum = 0;
	size_t hlen = strlen(arg);

	memset(ss, 0, sizeof(*ss));
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			goto bad;
		}
		port = close[1] == ':' ? close + 2 : NULL;
		arg++;
		hlen = (size_t)(close - arg);
	} else if (strchr(arg, ':') != NULL && strchr(arg, ':') == strrchr(arg, ':')) {
		port = strchr(arg, ':') + 1;
		hlen = (size_t)(port - 1 - arg);
	}
	if (hlen == 0 || hlen >= sizeof(host) || (want_port != (port != NULL)) ||
	    (port != NULL && target_parse_port(port, &pnum) != 0)) {
		goto bad;
	}
	memcpy(host, arg, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)pnum);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)pnum);
		return 0;
	}
bad:
	if (want_port) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("%s '%.60s': give a.b.c.d:PORT or [IPv6]:PORT (port 1 to 65535)"), opt, arg);
	}
	return fault_set(
	    f, FAULT_USAGE, 0, _("%s '%.60s': give an IPv4 or IPv6 address"), opt, arg);
}

/* The first operands are reply codes, as `smtprobe explain` takes them:
 * say so rather than "not a host name". */
static void
opts_hint_explain(int argc, char **argv, int first, struct fault *f)
{
	struct explain_code codes[2];
	struct fault ef;
	char joined[64];
	size_t n, len = 0;
	int k;

	if (argc - first < 1 || argc - first > 2 ||
	    explain_args(argc - first, argv + first, SMTP_ANY, codes, &n, &ef) != 0) {
		return;
	}
	for (int i = first; i < argc; i++) {
		k = snprintf(joined + len, sizeof(joined) - len, "%s%s", len ? " " : "", argv[i]);
		if (k < 0 || (size_t)k >= sizeof(joined) - len) {
			return;
		}
		len += (size_t)k;
	}
	if (strchr(joined, ' ') != NULL && argc - first == 1) {
		fault_set(f, FAULT_USAGE, 0,
		    _("'%s' is not a target: did you mean "
		      "smtprobe explain '%s'?"),
		    joined, joined);
		return;
	}
	fault_set(f, FAULT_USAGE, 0, _("'%s' is not a target: did you mean 'smtprobe explain %s'?"),
	    joined, joined);
}

static int
set_port(struct opts *o, char *arg, struct fault *f)
{
	long n;

	if (opts_range("--port", arg, 1, 65535, UNIT_NUMBER, &n, f) != 0) {
		return -1;
	}
	o->probe.port = (unsigned)n;
	o->port_set = 1;
	return 0;
}

static int
set_ipv4(struct opts *o, char *arg, struct fault *f)
{
	o->probe.family = AF_INET;
	return 0;
}

static int
set_ipv6(struct opts *o, char *arg, struct fault *f)
{
	o->probe.family = AF_INET6;
	return 0;
}

static int
set_protocol(struct opts *o, char *arg, struct fault *f)
{
	if (strcmp(arg, "smtp") != 0 && strcmp(arg, "lmtp") != 0) {
		return fault_set(
		    f, FAULT_USAGE, 0, _("--protocol '%s': must be smtp or lmtp"), arg);
	}
	o->probe.lmtp = strcmp(arg, "lmtp") == 0;
	return 0;
}

static int
set_ehlo(struct opts *o, char *arg, struct fault *f)
{
	o->probe.ehlo_name = arg;
	return target_check_name(arg, "--ehlo", f);
}

static int
set_tls(struct opts *o, char *arg, struct fault *f)
{
	static const struct {
		const char *name;
		enum tls_mode mode;
	} modes[] = {
	    {"auto", TLS_MODE_AUTO},
	    {"starttls", TLS_MODE_STARTTLS},
	    {"implicit", TLS_MODE_IMPLICIT},
	    {"none", TLS_MODE_NONE},
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(arg, modes[i].name) == 0) {
			o->probe.tls_mode = modes[i].mode;
			return 0;
		}
	}
	return fault_set(
	    f, FAULT_USAGE, 0, _("--tls '%s': must be auto, starttls, implicit or none"), arg);
}

static int
set_tls_name(struct opts *o, char *arg, struct fault *f)
{
	o->probe.tls_name = arg;
	return target_check_name(arg, "--tls-name", f);
}

static int
set_timeout(struct opts *o, char *arg, struct fault *f)
{
	long n;

	if (opts_range("--timeout", arg, 1, BOUND_TIMEOUT_MAX, UNIT_SECONDS, &n, f) != 0) {
		return -1;
	}
	o->probe.step_timeout_s = (int)n;
	return 0;
}

static int
set_total_timeout(struct opts *o, char *arg, struct fault *f)
{
	long n;

	if (opts_range("--total-timeout", arg, 1, BOUND_TIMEOUT_MAX, UNIT_SECONDS, &n, f) != 0) {
		return -1;
	}
	o->probe.run_timeout_s = (int)n;
	return 0;
}

static int
set_cert_days(const char *opt, char *arg, int *out, struct fault *f)
{
	long n;

	if (opts_range(opt, arg, 0, 3650, UNIT_DAYS, &n, f) != 0) {
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int
set_cert_warn(struct opts *o, char *arg, struct fault *f)
{
	return set_cert_days("--cert-warn-days", arg, &o->probe.cert_warn_days, f);
}

static int
set_cert_crit(struct opts *o, char *arg, struct fault *f)
{
	return set_cert_days("--cert-crit-days", arg, &o->probe.cert_crit_days, f);
}

static int
set_auth(struct opts *o, char *arg, struct fault *f)
{
	if (strcasecmp(arg, "auto") != 0 && !auth_supported(arg)) {
		return fault_set(f, FAULT_USAGE, 0, _("--auth '%s': smtprobe supports auto, %s"),
		    arg, auth_supported_list());
	}
	o->probe.auth = arg;
	return 0;
}

static int
set_user(struct opts *o, char *arg, struct fault *f)
{
	o->probe.user = arg;
	return target_check_name(arg, "--user", f);
}

static int
set_mail_from(struct opts *o, char *arg, struct fault *f)
{
	return opts_addr(o, arg, "--mail-from", 1, &o->probe.mail_from, f);
}

static int
set_mail_param(struct opts *o, char *arg, struct fault *f)
{
	return opts_add_param(o->probe.mail_params, &o->probe.nmail_params, arg, "--mail-param", f);
}

static int
set_rcpt(struct opts *o, char *arg, struct fault *f)
{
	struct probe_opts *p = &o->probe;

	if (p->nrcpts == BOUND_RCPTS) {
		return fault_set(f, FAULT_USAGE, 0, _("at most %d --rcpt options"), BOUND_RCPTS);
	}
	if (opts_addr(o, arg, "--rcpt", 0, &p->rcpts[p->nrcpts], f) != 0) {
		return -1;
	}
	p->nrcpts++;
	return 0;
}

static int
set_rcpt_param(struct opts *o, char *arg, struct fault *f)
{
	return opts_add_param(o->probe.rcpt_params, &o->probe.nrcpt_params, arg, "--rcpt-param", f);
}

static int
set_vrfy(struct opts *o, char *arg, struct fault *f)
{
	return opts_addr(o, arg, "--vrfy", 0, &o->probe.vrfy, f);
}

static int
set_expn(struct opts *o, char *arg, struct fault *f)
{
	return opts_addr(o, arg, "--expn", 0, &o->probe.expn, f);
}

/* A password on the command line is visible to every user of the
 * machine: refused with an explanation. */
static int
set_password(struct opts *o, char *arg, struct fault *f)
{
	return fault_set(f, FAULT_USAGE, 0,
	    _("passwords are never taken on the command line (other users can read it): "
	      "use --password-file FILE, the SMTPROBE_PASSWORD variable, or the prompt"));
}

static int
set_format(struct opts *o, char *arg, struct fault *f)
{
	static const char *const names[] = {
	    [FORMAT_TEXT] = "text",
	    [FORMAT_JSON] = "json",
	    [FORMAT_NAGIOS] = "nagios",
	    [FORMAT_PROMETHEUS] = "prometheus",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			o->format = (enum opts_format)i;
			return 0;
		}
	}
	return fault_set(
	    f, FAULT_USAGE, 0, _("--format '%s': must be text, json, nagios or prometheus"), arg);
}

/* --lang: only the name is checked here; opts_load switches to it. */
static int
set_lang(struct opts *o, char *arg, struct fault *f)
{
	if (!i18n_lang_known(arg)) {
		return fault_set(
		    f, FAULT_USAGE, 0, _("--lang '%s': must be one of: %s"), arg, i18n_langs);
	}
	o->lang = arg;
	return 0;
}

static int
set_color(struct opts *o, char *arg, struct fault *f)
{
	static const char *const names[] = {
	    [COLOR_AUTO] = "auto",
	    [COLOR_ALWAYS] = "always",
	    [COLOR_NEVER] = "never",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			o->color = (enum opts_color)i;
			return 0;
		}
	}
	return fault_set(f, FAULT_USAGE, 0, _("--color '%s': must be auto, always or never"), arg);
}

static int
set_warning(struct opts *o, char *arg, struct fault *f)
{
	o->policy.have_warn = 1;
	return range_parse(arg, &o->policy.warn, f);
}

static int
set_critical(struct opts *o, char *arg, struct fault *f)
{
	o->policy.have_crit = 1;
	return range_parse(arg, &o->policy.crit, f);
}

static int
set_require_capability(struct opts *o, char *arg, struct fault *f)
{
	if (o->policy.nrequire == POLICY_MAX || !ehlo_keyword_valid(arg, strlen(arg))) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--require-capability '%s': an EHLO keyword (letters, digits, '-'), at most "
		      "%d"),
		    arg, POLICY_MAX);
	}
	o->policy.require[o->policy.nrequire++] = arg;
	return 0;
}

/* The regular expression is compiled by opts_load. */
static int
set_expect_banner(struct opts *o, char *arg, struct fault *f)
{
	if (o->expect_banner != NULL) {
		return fault_set(f, FAULT_USAGE, 0, _("--expect-banner given twice"));
	}
	o->expect_banner = arg;
	return 0;
}

static int
set_ignore(struct opts *o, char *arg, struct fault *f)
{
	const char *near;

	if (o->policy.nignore < POLICY_MAX &&
	    finding_by_name(arg, &o->policy.ignore[o->policy.nignore]) == 0) {
		o->policy.nignore++;
		return 0;
	}
	near = finding_suggest(arg);
	if (near != NULL) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--ignore '%.60s': not a finding id: did you mean %s?"), arg, near);
	}
	return fault_set(f, FAULT_USAGE, 0,
	    _("--ignore '%.60s': not a finding id ('smtprobe findings' lists them)"), arg);
}

/* Read by opts_load, after the arguments' targets. */
static int
set_targets_file(struct opts *o, char *arg, struct fault *f)
{
	const char **nf = realloc(o->targets_files, (o->ntargets_files + 1) * sizeof(*nf));

	if (nf == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	o->targets_files = nf;
	o->targets_files[o->ntargets_files++] = arg;
	return 0;
}

/* An internationalised domain is kept in both forms: A-labels to look
 * up, Unicode to show. */
static int
set_mx(struct opts *o, char *arg, struct fault *f)
{
	if (o->nmx == OPTS_MAX_MX) {
		return fault_set(f, FAULT_USAGE, 0, _("at most %d --mx options"), OPTS_MAX_MX);
	}
	if (target_check_name(arg, "--mx", f) != 0 ||
	    idn_convert(arg, "--mx", o->mx_ascii[o->nmx], sizeof(o->mx_ascii[0]), o->mx_u[o->nmx],
	        sizeof(o->mx_u[0]), f) < 0) {
		return -1;
	}
	o->mx[o->nmx] = o->mx_u[o->nmx][0] != '\0' ? o->mx_ascii[o->nmx] : arg;
	o->nmx++;
	return 0;
}

static int
set_all_addresses(struct opts *o, char *arg, struct fault *f)
{
	o->all_addresses = 1;
	return 0;
}

static int
set_no_all_addresses(struct opts *o, char *arg, struct fault *f)
{
	o->all_addresses = 0;
	return 0;
}

static int
set_dns_server(struct opts *o, char *arg, struct fault *f)
{
	o->probe.dns = &o->dns;
	return dns_conf_server(arg, &o->dns, f);
}

/* opts_load checks that the file can be read. */
static int
set_trust_anchor(struct opts *o, char *arg, struct fault *f)
{
	o->probe.dns = &o->dns;
	o->trust_anchor = arg;
	return 0;
}

static int
set_mta_sts(struct opts *o, char *arg, struct fault *f)
{
	o->mta_sts = arg;
	return target_check_name(arg, "--mta-sts", f);
}

/* --tls-policy: posttls-finger's level names (mxpolicy.h). */
static int
set_tls_policy(struct opts *o, char *arg, struct fault *f)
{
	static const enum tls_level levels[] = {
	    TLSLVL_MAY,
	    TLSLVL_ENCRYPT,
	    TLSLVL_DANE,
	    TLSLVL_DANE_ONLY,
	    TLSLVL_VERIFY,
	    TLSLVL_SECURE,
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcmp(arg, tls_level_name(levels[i])) == 0) {
			o->probe.tls_level = levels[i];
			return 0;
		}
	}
	return fault_set(f, FAULT_USAGE, 0,
	    _("--tls-policy '%s': must be may, encrypt, "
	      "dane, dane-only, verify or secure"),
	    arg);
}

static int
set_parallel(struct opts *o, char *arg, struct fault *f)
{
	long n;

	if (opts_range("--parallel", arg, 1, 1000, UNIT_NUMBER, &n, f) != 0) {
		return -1;
	}
	o->parallel = (unsigned)n;
	return 0;
}

static int
set_per_ip(struct opts *o, char *arg, struct fault *f)
{
	long n;

	if (opts_range("--per-ip", arg, 1, 1000, UNIT_NUMBER, &n, f) != 0) {
		return -1;
	}
	o->per_ip = (unsigned)n;
	return 0;
}

static int
set_retry_after(struct opts *o, char *arg, struct fault *f)
{
	long n;

	if (opts_range("--retry-after", arg, 0, BOUND_TIMEOUT_MAX, UNIT_SECONDS, &n, f) != 0) {
		return -1;
	}
	o->probe.retry_after_s = (int)n;
	return 0;
}

static int
set_source_address(struct opts *o, char *arg, struct fault *f)
{
	if (opts_sockaddr(arg, "--source-address", 0, &o->source.addr, f) != 0) {
		return -1;
	}
	o->source.bind = 1;
	o->source.family = o->source.addr.ss_family;
	snprintf(o->source.what, sizeof(o->source.what), "--source-address %.50s", arg);
	return 0;
}

static int
set_proxy_protocol(struct opts *o, char *arg, struct fault *f)
{
	if (strcmp(arg, "v1") == 0) {
		o->probe.proxy = PROXYPROTO_V1;
	} else if (strcmp(arg, "v2") == 0) {
		o->probe.proxy = PROXYPROTO_V2;
	} else {
		return fault_set(
		    f, FAULT_USAGE, 0, _("--proxy-protocol '%s': must be v1 or v2"), arg);
	}
	return 0;
}

static int
set_proxy_source(struct opts *o, char *arg, struct fault *f)
{
	return opts_sockaddr(arg, "--proxy-source", 1, &o->probe.proxy_src, f);
}

static int
set_verbose(struct opts *o, char *arg, struct fault *f)
{
	o->verbosity = RENDER_VERBOSE;
	return 0;
}

static int
set_quiet(struct opts *o, char *arg, struct fault *f)
{
	o->verbosity = RENDER_QUIET;
	return 0;
}

static int
set_help(struct opts *o, char *arg, struct fault *f)
{
	o->action = OPTS_HELP;
	return 0;
}

static int
set_version(struct opts *o, char *arg, struct fault *f)
{
	o->action = OPTS_VERSION;
	return 0;
}

/* Every option.  The order is --help's within a paragraph; getopt_long
 * takes an abbreviation that only one row (or its aliases) begins with.
 * The files (--cafile, --capath, --password-file, --token-file) are kept
 * as given: opts_load checks that they can be read. */
static const struct opts_def opts_table[] = {
    {"port", 'p', 1, 1, 0, PARA_CONNECTION, set_port, 0},
    {"ipv4", '4', 0, 0, 0, PARA_CONNECTION, set_ipv4, 0},
    {"ipv6", '6', 0, 0, 0, PARA_CONNECTION, set_ipv6, 0},
    {"protocol", 0, 1, 1, 0, PARA_CONNECTION, set_protocol, 0},
    {"ehlo", 0, 1, 1, 0, PARA_CONNECTION, set_ehlo, 0},
    {"timeout", 0, 1, 1, 0, PARA_CONNECTION, set_timeout, 0},
    {"total-timeout", 0, 1, 1, 0, PARA_CONNECTION, set_total_timeout, 0},
    {"source-address", 0, 1, 1, 0, PARA_SOURCE, set_source_address, 0},
    {"proxy-protocol", 0, 1, 1, 0, PARA_SOURCE, set_proxy_protocol, 0},
    {"proxy-source", 0, 1, 1, 0, PARA_SOURCE, set_proxy_source, 0},
    {"tls", 0, 1, 1, 0, PARA_TLS, set_tls, 0},
    {"require-tls", 0, 0, 0, 0, PARA_TLS, NULL, OPTS_AT(probe.require_tls)},
    {"tls-name", 0, 1, 1, 0, PARA_TLS, set_tls_name, 0},
    {"cafile", 0, 1, 1, 0, PARA_TLS, NULL, OPTS_AT(tls.cafile)},
    {"capath", 0, 1, 1, 0, PARA_TLS, NULL, OPTS_AT(tls.capath)},
    {"insecure", 0, 0, 0, 0, PARA_TLS, NULL, OPTS_AT(probe.insecure)},
    {"check-starttls-injection", 0, 0, 0, 0, PARA_TLS, NULL, OPTS_AT(probe.check_injection)},
    {"cert-warn-days", 0, 1, 1, 0, PARA_TLS, set_cert_warn, 0},
    {"cert-crit-days", 0, 1, 1, 0, PARA_TLS, set_cert_crit, 0},
    {"auth", 0, 1, 1, 0, PARA_DIALOGUE, set_auth, 0},
    {"user", 0, 1, 1, 0, PARA_DIALOGUE, set_user, 0},
    {"password-file", 0, 1, 1, 0, PARA_DIALOGUE, NULL, OPTS_AT(password_file)},
    {"token-file", 0, 1, 1, 0, PARA_DIALOGUE, NULL, OPTS_AT(token_file)},
    {"allow-plaintext-auth", 0, 0, 0, 0, PARA_DIALOGUE, NULL, OPTS_AT(probe.allow_plaintext_auth)},
    {"auth-insecure", 0, 0, 0, 0, PARA_DIALOGUE, NULL, OPTS_AT(probe.auth_insecure)},
    {"mail-from", 0, 1, 1, 0, PARA_DIALOGUE, set_mail_from, 0},
    {"mail-param", 0, 1, 0, 0, PARA_DIALOGUE, set_mail_param, 0},
    {"rcpt", 0, 1, 0, 0, PARA_DIALOGUE, set_rcpt, 0},
    {"rcpt-param", 0, 1, 0, 0, PARA_DIALOGUE, set_rcpt_param, 0},
    {"vrfy", 0, 1, 1, 0, PARA_DIALOGUE, set_vrfy, 0},
    {"expn", 0, 1, 1, 0, PARA_DIALOGUE, set_expn, 0},
    {"force", 0, 0, 0, 0, PARA_DIALOGUE, NULL, OPTS_AT(probe.force)},
    {"password", 0, 1, 0, 0, PARA_NONE, set_password, 0},
    {"pass", 0, 1, 0, 1, PARA_NONE, set_password, 0},
    {"targets-file", 0, 1, 0, 0, PARA_TARGETS, set_targets_file, 0},
    {"mx", 0, 1, 0, 0, PARA_TARGETS, set_mx, 0},
    {"dns-server", 0, 1, 1, 0, PARA_TARGETS, set_dns_server, 0},
    {"trust-anchor", 0, 1, 1, 0, PARA_TARGETS, set_trust_anchor, 0},
    {"parallel", 0, 1, 1, 0, PARA_TARGETS, set_parallel, 0},
    {"per-ip", 0, 1, 1, 0, PARA_TARGETS, set_per_ip, 0},
    {"retry-after", 0, 1, 1, 0, PARA_TARGETS, set_retry_after, 0},
    {"all-addresses", 0, 0, 0, 0, PARA_TARGETS, set_all_addresses, 0},
    {"no-all-addresses", 0, 0, 0, 0, PARA_TARGETS, set_no_all_addresses, 0},
    {"warning", 'w', 1, 1, 0, PARA_TARGETS, set_warning, 0},
    {"critical", 'c', 1, 1, 0, PARA_TARGETS, set_critical, 0},
    {"require-capability", 0, 1, 0, 0, PARA_TARGETS, set_require_capability, 0},
    {"expect-banner", 0, 1, 0, 0, PARA_TARGETS, set_expect_banner, 0},
    {"ignore", 0, 1, 0, 0, PARA_TARGETS, set_ignore, 0},
    {"dane", 0, 0, 0, 0, PARA_POLICY, NULL, OPTS_AT(probe.dane)},
    {"mta-sts", 0, 1, 1, 0, PARA_POLICY, set_mta_sts, 0},
    {"tls-policy", 0, 1, 1, 0, PARA_POLICY, set_tls_policy, 0},
    {"format", 0, 1, 1, 0, PARA_OUTPUT, set_format, 0},
    {"lang", 0, 1, 1, 0, PARA_OUTPUT, set_lang, 0},
    {"color", 0, 1, 1, 0, PARA_OUTPUT, set_color, 0},
    {"verbose", 'v', 0, 0, 0, PARA_OUTPUT, set_verbose, 0},
    {"quiet", 'q', 0, 0, 0, PARA_OUTPUT, set_quiet, 0},
    {"help", 'h', 0, 0, 0, PARA_OUTPUT, set_help, 0},
    {"version", 'V', 0, 0, 0, PARA_OUTPUT, set_version, 0},
};

#define OPTS_N (sizeof(opts_table) / sizeof(opts_table[0]))

size_t
opts_count(void)
{
	return OPTS_N;
}

const char *
opts_name(size_t i)
{
	return i < OPTS_N ? opts_table[i].name : NULL;
}

const char *
opts_help(size_t i)
{
	return i < OPTS_N ? opts_usage_para(opts_table[i].para) : NULL;
}

/* The row getopt_long's val names: its index, past the letters' range,
 * or the row an alias stands for. */
static int
opts_val(size_t i)
{
	while (i > 0 && opts_table[i].alias) {
		i--;
	}
	return 256 + (int)i;
}

int
opts_takes_value(const char *name)
{
	for (size_t i = 0; i < OPTS_N; i++) {
		if (strcmp(opts_table[i].name, name) == 0) {
			return opts_table[i].value;
		}
	}
	return -1;
}

/* Does the long option name (or an abbreviation getopt_long would take:
 * every option it begins agrees) need a value? */
static int
opts_long_takes_value(const char *name)
{
	size_t nlen = strlen(name);
	int takes = -1;

	for (size_t k = 0; k < OPTS_N; k++) {
		int t = opts_table[k].value;

		if (strcmp(opts_table[k].name, name) == 0) {
			return t;
		}
		if (strncmp(opts_table[k].name, name, nlen) == 0) {
			takes = takes < 0 || takes == t ? t : 0;
		}
	}
	return takes > 0;
}

/* Does the short letter c take a value? */
static int
opts_letter_takes_value(char c)
{
	for (size_t k = 0; k < OPTS_N; k++) {
		if (opts_table[k].letter == c) {
			return opts_table[k].value;
		}
	}
	return 0;
}

int
opts_first_operand(int argc, char *const *argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			return argc;
		}
		if (a[0] != '-' || a[1] == '\0') {
			return i;
		}
		if (a[1] == '-') {
			if (a[2 + strcspn(a + 2, "=")] == '\0' && opts_long_takes_value(a + 2)) {
				i++; /* its value is the next word */
			}
			continue;
		}
		/* Short options, clustered: one that takes a value takes the
		 * rest of the word or the next one. */
		for (const char *c = a + 1; *c != '\0'; c++) {
			if (opts_letter_takes_value(*c)) {
				if (c[1] == '\0') {
					i++;
				}
				break;
			}
		}
	}
	return argc;
}

void
opts_free(struct opts *o)
{
	for (size_t i = 0; i < o->ntargets; i++) {
		free(o->targets[i]);
	}
	free(o->targets);
	free(o->parsed);
	free((void *)o->targets_files);
	o->targets = NULL;
	o->parsed = NULL;
	o->targets_files = NULL;
	o->ntargets = 0;
	o->ntargets_files = 0;
	policy_free(&o->policy);
}

/* Append target t (already parsed as *parsed). */
int
opts_target_add(struct opts *o, const char *t, const struct target *parsed, struct fault *f)
{
	char **nt = realloc(o->targets, (o->ntargets + 1) * sizeof(*nt));
	struct target *np;

	if (nt == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	o->targets = nt;
	np = realloc(o->parsed, (o->ntargets + 1) * sizeof(*np));
	if (np == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	o->parsed = np;
	o->targets[o->ntargets] = strdup(t);
	if (o->targets[o->ntargets] == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	o->parsed[o->ntargets++] = *parsed;
	return 0;
}

/* The operands: each target parsed once, here. */
static int
opts_operands(int argc, char **argv, int first, struct opts *o, struct fault *f)
{
	struct probe_opts *p = &o->probe;
	struct target t;

	for (int i = first; i < argc; i++) {
		if (target_parse(argv[i], p->port, &t, f) != 0) {
			if (i == first) {
				opts_hint_explain(argc, argv, first, f);
			}
			return -1;
		}
		if (t.port_given && o->port_set && t.port != p->port) {
			return fault_set(f, FAULT_USAGE, 0,
			    _("the target names port %u but --port says %u"), t.port, p->port);
		}
		if (opts_target_add(o, argv[i], &t, f) != 0) {
			return -1;
		}
	}
	return 0;
}

static void
opts_defaults(struct opts *o)
{
	struct probe_opts *p = &o->probe;

	memset(o, 0, sizeof(*o));
	o->action = OPTS_PROBE;
	o->verbosity = RENDER_NORMAL;
	p->port = 25;
	p->family = AF_UNSPEC;
	p->tls_mode = TLS_MODE_AUTO;
	p->step_timeout_s = BOUND_STEP_TIMEOUT_DEFAULT;
	p->run_timeout_s = BOUND_RUN_TIMEOUT_DEFAULT;
	p->cert_warn_days = 30;
	p->cert_crit_days = 7;
	o->parallel = 16;
	o->per_ip = 2;
	o->all_addresses = -1;
	p->retry_after_s = 5;
	o->format = FORMAT_TEXT;
}

/* getopt_long's tables, from opts_table: "short" is ":" then each letter,
 * with ':' when it takes a value. */
static void
opts_getopt_tables(struct option *longs, char *shorts)
{
	size_t ns = 0;

	shorts[ns++] = ':';
	for (size_t i = 0; i < OPTS_N; i++) {
		const struct opts_def *d = &opts_table[i];

		longs[i] = (struct option){
		    d->name, d->value ? required_argument : no_argument, NULL, opts_val(i)};
		if (d->letter != 0) {
			shorts[ns++] = d->letter;
			if (d->value) {
				shorts[ns++] = ':';
			}
		}
	}
	longs[OPTS_N] = (struct option){NULL, 0, NULL, 0};
	shorts[ns] = '\0';
}

/* The row getopt_long returned c for, or NULL for an error. */
static const struct opts_def *
opts_row(int c)
{
	if (c >= 256 && (size_t)(c - 256) < OPTS_N) {
		return &opts_table[c - 256];
	}
	for (size_t i = 0; c > 0 && i < OPTS_N; i++) {
		if (opts_table[i].letter == c) {
			return &opts_table[i];
		}
	}
	return NULL;
}

/* Give row d's option, with its value arg (NULL for a flag), to o. */
static int
opts_apply(const struct opts_def *d, struct opts *o, char *arg, struct fault *f)
{
	void *at = (char *)o + d->at;

	if (d->set != NULL) {
		return d->set(o, arg, f);
	}
	if (d->value) {
		*(const char **)at = arg;
	} else {
		*(int *)at = 1;
	}
	return 0;
}

/* What getopt_long refused, as a message. */
static int
opts_refused(int c, char **argv, struct fault *f)
{
	if (c == ':') {
		return fault_set(
		    f, FAULT_USAGE, 0, _("option '%s' needs an argument"), argv[optind - 1]);
	}
	if (optopt != 0) {
		return fault_set(f, FAULT_USAGE, 0, _("unknown option '-%c'"), optopt);
	}
	return fault_set(f, FAULT_USAGE, 0, _("unknown option '%s'"), argv[optind - 1]);
}

int
opts_parse(int argc, char **argv, struct opts *o, struct fault *f)
{
	struct option longs[OPTS_N + 1];
	char shorts[2 * OPTS_N + 2];
	unsigned char seen[OPTS_N] = {0};
	int c;

	opts_defaults(o);
	opts_getopt_tables(longs, shorts);
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then forgets an earlier parse's state */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct opts_def *d = opts_row(c);

		if (d == NULL) {
			return opts_refused(c, argv, f);
		}
		if (d->once && seen[d - opts_table]++ > 0) {
			return fault_set(
			    f, FAULT_USAGE, 0, _("--%s given twice: it takes one value"), d->name);
		}
		if (opts_apply(d, o, d->value ? optarg : NULL, f) != 0) {
			/* The parsers it calls (target, range, params, dns) say
			 * FAULT_PROTOCOL; on a command line it is usage. */
			if (f->cls != FAULT_INTERNAL) {
				f->cls = FAULT_USAGE;
			}
			return -1;
		}
		if (o->action != OPTS_PROBE) {
			return 0; /* --help, --version: the rest is not read */
		}
	}
	if (opts_operands(argc, argv, optind, o, f) != 0) {
		if (f->cls != FAULT_INTERNAL) {
			f->cls = FAULT_USAGE;
		}
		return -1;
	}
	return 0;
}
