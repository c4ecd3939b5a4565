#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "bounds.h"
#include "explain.h"
#include "finding.h"
#include "i18n.h"
#include "idn.h"
#include "opts.h"
#include "target.h"

enum {
	OPT_EHLO = 256,
	OPT_TLS,
	OPT_REQUIRE_TLS,
	OPT_TLS_NAME,
	OPT_CAFILE,
	OPT_CAPATH,
	OPT_INSECURE,
	OPT_TIMEOUT,
	OPT_TOTAL_TIMEOUT,
	OPT_CERT_WARN,
	OPT_CERT_CRIT,
	OPT_AUTH,
	OPT_USER,
	OPT_PASSWORD_FILE,
	OPT_TOKEN_FILE,
	OPT_ALLOW_PLAINTEXT_AUTH,
	OPT_MAIL_FROM,
	OPT_MAIL_PARAM,
	OPT_RCPT,
	OPT_RCPT_PARAM,
	OPT_VRFY,
	OPT_EXPN,
	OPT_FORCE,
	OPT_PASSWORD,
	OPT_FORMAT,
	OPT_REQUIRE_CAPABILITY,
	OPT_EXPECT_BANNER,
	OPT_IGNORE,
	OPT_TARGETS_FILE,
	OPT_MX,
	OPT_DNS_SERVER,
	OPT_TRUST_ANCHOR,
	OPT_PARALLEL,
	OPT_LANG,
	OPT_COLOR,
	OPT_CHECK_INJECTION,
	OPT_AUTH_INSECURE,
	OPT_SOURCE_ADDRESS,
	OPT_PROXY_PROTOCOL,
	OPT_PROXY_SOURCE,
	OPT_PER_IP,
	OPT_RETRY_AFTER,
	OPT_ALL_ADDRESSES,
	OPT_NO_ALL_ADDRESSES,
	OPT_DANE,
	OPT_MTA_STS,
	OPT_TLS_POLICY,
	OPT_PROTOCOL,
	OPT_END_           /* keep last: the size of opts_parse's seen[] */
};

static const struct option opts_long[] = {
	{"port", required_argument, NULL, 'p'},
	{"ipv4", no_argument, NULL, '4'},
	{"ipv6", no_argument, NULL, '6'},
	{"ehlo", required_argument, NULL, OPT_EHLO},
	{"tls", required_argument, NULL, OPT_TLS},
	{"require-tls", no_argument, NULL, OPT_REQUIRE_TLS},
	{"tls-name", required_argument, NULL, OPT_TLS_NAME},
	{"cafile", required_argument, NULL, OPT_CAFILE},
	{"capath", required_argument, NULL, OPT_CAPATH},
	{"insecure", no_argument, NULL, OPT_INSECURE},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"total-timeout", required_argument, NULL, OPT_TOTAL_TIMEOUT},
	{"cert-warn-days", required_argument, NULL, OPT_CERT_WARN},
	{"cert-crit-days", required_argument, NULL, OPT_CERT_CRIT},
	{"auth", required_argument, NULL, OPT_AUTH},
	{"user", required_argument, NULL, OPT_USER},
	{"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
	{"token-file", required_argument, NULL, OPT_TOKEN_FILE},
	{"allow-plaintext-auth", no_argument, NULL, OPT_ALLOW_PLAINTEXT_AUTH},
	{"auth-insecure", no_argument, NULL, OPT_AUTH_INSECURE},
	{"mail-from", required_argument, NULL, OPT_MAIL_FROM},
	{"mail-param", required_argument, NULL, OPT_MAIL_PARAM},
	{"rcpt", required_argument, NULL, OPT_RCPT},
	{"rcpt-param", required_argument, NULL, OPT_RCPT_PARAM},
	{"vrfy", required_argument, NULL, OPT_VRFY},
	{"expn", required_argument, NULL, OPT_EXPN},
	{"force", no_argument, NULL, OPT_FORCE},
	/* Refused with an explanation: a password on the command line is
	 * visible to every user of the machine. */
	{"password", required_argument, NULL, OPT_PASSWORD},
	{"pass", required_argument, NULL, OPT_PASSWORD},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"lang", required_argument, NULL, OPT_LANG},
	{"color", required_argument, NULL, OPT_COLOR},
	{"warning", required_argument, NULL, 'w'},
	{"critical", required_argument, NULL, 'c'},
	{"require-capability", required_argument, NULL, OPT_REQUIRE_CAPABILITY},
	{"expect-banner", required_argument, NULL, OPT_EXPECT_BANNER},
	{"ignore", required_argument, NULL, OPT_IGNORE},
	{"targets-file", required_argument, NULL, OPT_TARGETS_FILE},
	{"mx", required_argument, NULL, OPT_MX},
	{"dns-server", required_argument, NULL, OPT_DNS_SERVER},
	{"trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR},
	{"dane", no_argument, NULL, OPT_DANE},
	{"mta-sts", required_argument, NULL, OPT_MTA_STS},
	{"tls-policy", required_argument, NULL, OPT_TLS_POLICY},
	{"parallel", required_argument, NULL, OPT_PARALLEL},
	{"per-ip", required_argument, NULL, OPT_PER_IP},
	{"retry-after", required_argument, NULL, OPT_RETRY_AFTER},
	{"all-addresses", no_argument, NULL, OPT_ALL_ADDRESSES},
	{"no-all-addresses", no_argument, NULL, OPT_NO_ALL_ADDRESSES},
	{"check-starttls-injection", no_argument, NULL, OPT_CHECK_INJECTION},
	{"source-address", required_argument, NULL, OPT_SOURCE_ADDRESS},
	{"proxy-protocol", required_argument, NULL, OPT_PROXY_PROTOCOL},
	{"proxy-source", required_argument, NULL, OPT_PROXY_SOURCE},
	{"protocol", required_argument, NULL, OPT_PROTOCOL},
	{"verbose", no_argument, NULL, 'v'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0}
};

/* The long name of an option, for messages. */
static const char *
opts_long_name(int c)
{
	for (size_t i = 0; opts_long[i].name != NULL; i++) {
		if (opts_long[i].val == c) {
			return opts_long[i].name;
		}
	}
	return "?";
}

int
opts_takes_value(const char *name)
{
	for (size_t i = 0; opts_long[i].name != NULL; i++) {
		if (strcmp(opts_long[i].name, name) == 0) {
			return opts_long[i].has_arg == required_argument;
		}
	}
	return -1;
}

/* Options that take one value: a second one is refused, never silently
 * kept in place of the first. */
static int
opts_given_twice(int c, unsigned char *seen)
{
	static const int once[] = {
		'p', 'w', 'c', OPT_EHLO, OPT_TLS, OPT_TLS_NAME, OPT_CAFILE, OPT_CAPATH, OPT_TIMEOUT,
		OPT_TOTAL_TIMEOUT, OPT_CERT_WARN, OPT_CERT_CRIT, OPT_AUTH, OPT_USER,
		OPT_PASSWORD_FILE, OPT_TOKEN_FILE, OPT_MAIL_FROM, OPT_VRFY, OPT_EXPN, OPT_FORMAT,
		OPT_LANG, OPT_DNS_SERVER, OPT_TRUST_ANCHOR, OPT_MTA_STS, OPT_TLS_POLICY, OPT_PARALLEL, OPT_COLOR, OPT_SOURCE_ADDRESS,
		OPT_PROXY_PROTOCOL, OPT_PROXY_SOURCE, OPT_PER_IP, OPT_RETRY_AFTER,
	};

	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		if (once[i] == c && c >= 0 && c < OPT_END_) {
			return seen[c]++ > 0;
		}
	}
	return 0;
}

void
opts_usage(FILE *out)
{
	/* One translatable paragraph each: option names, keywords and
	 * values stay as they are; descriptions are translated. */
	static const char *const paras[] = {
		N_("Usage: smtprobe [OPTION]... TARGET...\n"
		    "       smtprobe explain [--after COMMAND] [--format text|json] CODE [CODE]\n"
		    "       smtprobe findings [FINDING-ID]\n"
		    "Probe an SMTP server and explain every reply: banner, EHLO, STARTTLS or\n"
		    "implicit TLS, certificate, QUIT.  'smtprobe explain' explains a reply\n"
		    "code offline, or compares two (see 'smtprobe explain --help').\n"
		    "'smtprobe findings' lists every finding; 'smtprobe findings ID' says what\n"
		    "one means, why it matters, how to fix it and how to accept it.\n"),
		N_("TARGET is HOST, HOST:PORT, [IPv6]:PORT, a bare IPv6 address, or\n"
		    "unix:/PATH, a local stream socket.  Several targets are probed at once\n"
		    "(--parallel) and reported in the order given.\n"),
		N_("HOST is a host name, an IPv4 address written a.b.c.d or an IPv6 address;\n"
		    "other numeric forms (127.1, 0x7f.1, 2130706433, 235) are refused.\n"),
		N_("Connection:\n"
		    "  -p, --port PORT          port when TARGET names none (default 25;\n"
		    "                           465 means implicit TLS under --tls auto)\n"
		    "  -4, --ipv4               use IPv4 addresses only\n"
		    "  -6, --ipv6               use IPv6 addresses only\n"
		    "      --protocol smtp|lmtp  smtp (default), or LMTP (RFC 2033): LHLO, no\n"
		    "                           HELO; not on port 25\n"
		    "      --ehlo NAME          name to send in EHLO/HELO (default: this host's\n"
		    "                           fully qualified name, else an address literal)\n"
		    "      --timeout SECONDS    deadline for each step (default 10)\n"
		    "      --total-timeout SECONDS\n"
		    "                           deadline for the whole probe (default 60)\n"),
		N_("Source and load balancers:\n"
		    "      --source-address ADDR  connect from ADDR, an address of this machine\n"
		    "                           (addresses of the other family are not tried)\n"
		    "      --proxy-protocol v1|v2  send a HAProxy PROXY header first, for a server\n"
		    "                           behind a load balancer; with --proxy-source\n"
		    "      --proxy-source ADDR:PORT  the client the header names (a.b.c.d:PORT\n"
		    "                           or [IPv6]:PORT)\n"),
		N_("TLS:\n"
		    "      --tls MODE           auto (default): implicit TLS on port 465, else\n"
		    "                           STARTTLS when offered; starttls: STARTTLS,\n"
		    "                           required; implicit: TLS from the first byte;\n"
		    "                           none: never\n"
		    "      --require-tls        a session without TLS is CRITICAL\n"
		    "      --tls-name NAME      name to send as SNI and to verify the\n"
		    "                           certificate against (default: the host;\n"
		    "                           a unix: target gets TLS only with it)\n"
		    "      --cafile FILE        trust the CA certificates in FILE (PEM)\n"
		    "      --capath DIR         trust the CA certificates in DIR (hashed)\n"
		    "                           (default for both: the system store)\n"
		    "      --insecure           go on when the certificate does not verify,\n"
		    "                           reporting why\n"
		    "      --check-starttls-injection  send NOOP in the same write as STARTTLS:\n"
		    "                           CRITICAL if the server runs it inside TLS\n"
		    "                           (the CVE-2011-0411 class)\n"
		    "      --cert-warn-days N   WARNING when the certificate expires within N\n"
		    "                           days (default 30)\n"
		    "      --cert-crit-days N   CRITICAL within N days (default 7)\n"),
		N_("Dialogue (after EHLO, in this order; DATA is never sent):\n"
		    "      --auth MECH|auto     authenticate: PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1,\n"
		    "                           SCRAM-SHA-256, SCRAM-SHA-1-PLUS, SCRAM-SHA-256-PLUS,\n"
		    "                           XOAUTH2, OAUTHBEARER, or auto (the strongest the\n"
		    "                           server offers)\n"
		    "      --user USER          the user name to authenticate as\n"
		    "      --password-file FILE read the password from FILE's first line; else\n"
		    "                           from SMTPROBE_PASSWORD, else asked on the terminal\n"
		    "      --token-file FILE    the OAuth token for XOAUTH2 and OAUTHBEARER; else\n"
		    "                           from SMTPROBE_TOKEN\n"
		    "      --allow-plaintext-auth  authenticate even without TLS\n"
		    "      --auth-insecure      authenticate even over TLS below 1.2, and with\n"
		    "                           --insecure even when the certificate did not\n"
		    "                           verify\n"
		    "      --mail-from ADDR     send MAIL FROM:<ADDR> ('' for the null sender)\n"
		    "      --mail-param K[=V]   add a MAIL FROM parameter (repeatable)\n"
		    "      --rcpt ADDR          send RCPT TO:<ADDR> (repeatable; needs --mail-from)\n"
		    "      --rcpt-param K[=V]   add a parameter to every RCPT TO (repeatable)\n"
		    "      --vrfy ADDR          send VRFY ADDR\n"
		    "      --expn LIST          send EXPN LIST\n"
		    "      --force              send steps even when the server's capabilities\n"
		    "                           say they will be refused, and explain the answer\n"
		    "  An envelope that MAIL FROM opened is closed with RSET.\n"),
		N_("Targets and monitoring:\n"
		    "      --targets-file FILE  more targets, one per line ('#' starts a comment)\n"
		    "      --mx DOMAIN          probe every MX host of DOMAIN, in preference order\n"
		    "                           (its A/AAAA when it has no MX; a null MX is CRITICAL)\n"
		    "      --dns-server ADDR[:PORT]  ask this resolver, not the system's\n"
		    "                           (IPv4, IPv6, or [IPv6]:PORT)\n"
		    "      --trust-anchor FILE  DNSSEC trust anchor: DS or DNSKEY records\n"
		    "                           (default: the root key of dns-root-data)\n"
		    "      --parallel N         probe N targets at once (default 16)\n"
		    "      --per-ip N           at most N connections to one address at once\n"
		    "                           (default 2); identical targets are probed once\n"
		    "      --retry-after SECONDS  wait, then probe once more a target that\n"
		    "                           answered with a rate limit (default 5; 0: never)\n"
		    "      --all-addresses      probe every IPv6 and IPv4 address of a host name,\n"
		    "                           one report each (default for --mx hosts;\n"
		    "                           --no-all-addresses: the first that answers)\n"
		    "  -w, --warning RANGE      WARNING when the total time (seconds) is outside\n"
		    "                           RANGE: N, N:, ~:N, N:M, or @N:M for inside\n"
		    "  -c, --critical RANGE     CRITICAL likewise\n"
		    "      --require-capability KEYWORD  CRITICAL when EHLO lacks KEYWORD\n"
		    "                           (repeatable)\n"
		    "      --expect-banner REGEX  CRITICAL when the greeting does not match\n"
		    "                           (POSIX extended, case-insensitive)\n"
		    "      --ignore FINDING-ID  accept a finding: still shown, no longer counted\n"
		    "                           (repeatable)\n"),
		N_("TLS policy (what a sending MTA that enforces one would do):\n"
		    "      --dane               look up the target's TLSA records (DNSSEC) and\n"
		    "                           match its certificate chain (RFC 7672); --mx\n"
		    "                           does this for every MX host\n"
		    "      --mta-sts DOMAIN     fetch DOMAIN's MTA-STS policy and check the\n"
		    "                           target against it (RFC 8461); --mx does this\n"
		    "                           for its domain, with TLS-RPT (RFC 8460)\n"
		    "      --tls-policy LEVEL   the sender's policy: may, encrypt, dane,\n"
		    "                           dane-only, verify or secure (default: DANE when\n"
		    "                           published, else MTA-STS when enforced, else may)\n"),
		N_("Output:\n"
		    "      --format FORMAT      text (default), json (one object per line),\n"
		    "                           nagios (monitoring-plugins), or prometheus\n"
		    "      --lang LANG          the language of the text: en, de, fr, vi, zh_CN\n"
		    "                           (default: the locale; English for nagios and\n"
		    "                           prometheus unless given)\n"
		    "      --color WHEN         colour the text: auto (default: on a terminal,\n"
		    "                           unless NO_COLOR is set), always, or never\n"
		    "  -v, --verbose            add every connection try, reply flags, and what\n"
		    "                           each finding means and why it matters\n"
		    "  -q, --quiet              print the verdict line alone\n"
		    "  -h, --help               show this help and exit\n"
		    "  -V, --version            show the version and exit\n"),
		N_("Exit status:\n"
		    "  0  OK        every step went as it should\n"
		    "  1  WARNING   the server works, with a problem worth fixing\n"
		    "  2  CRITICAL  the server failed a step (refused, timed out, TLS failed...)\n"
		    "  3  UNKNOWN   bad usage or an internal error; nothing was sent\n"),
		N_("Examples:\n"
		    "  smtprobe mx.example.com\n"
		    "  smtprobe -p 587 mail.example.com\n"
		    "  smtprobe -p 465 mail.example.com\n"
		    "  smtprobe --cafile ca.pem --tls-name mx.test.example 127.0.0.1:2525\n"
		    "  smtprobe -p 587 --auth auto --user alice --password-file ~/.smtp-pw \\\n"
		    "           --mail-from alice@example.com --rcpt bob@example.org mail.example.com\n"),
		N_("Prometheus exporter:\n"
		    "  smtprobe serve --config FILE [--check]\n"
		    "                           answer /probe?target=HOST&module=NAME with the\n"
		    "                           prometheus format (see 'smtprobe serve --help')\n"),
		N_("Environment:\n"
		    "  SMTPROBE_PASSWORD, SMTPROBE_TOKEN  the AUTH password or token (wiped from\n"
		    "                           the environment once read)\n"
		    "  LANGUAGE, LC_ALL, LC_MESSAGES, LANG  the language of the text (gettext)\n"),
	};

	for (size_t i = 0; i < sizeof(paras) / sizeof(paras[0]); i++) {
		if (i > 0) {
			fputc('\n', out);
		}
		fputs(_(paras[i]), out);
	}
}

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

static int
opts_tls_mode(const char *s, enum tls_mode *m)
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
		if (strcmp(s, modes[i].name) == 0) {
			*m = modes[i].mode;
			return 0;
		}
	}
	return -1;
}

static int
opts_file(const char *path, const char *opt, int dir, struct fault *f)
{
	if (access(path, R_OK | (dir ? X_OK : 0)) != 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s %s: cannot be read"), opt, path);
	}
	return 0;
}

/* An address for MAIL, RCPT, VRFY or EXPN: angle brackets stripped, no
 * control bytes (CR, LF and NUL would inject commands), no spaces. */
static int
opts_addr(char *s, const char *opt, int empty_ok, const char **out, struct fault *f)
{
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s[len - 1] = '\0';
		s++;
		len -= 2;
	}
	if (len == 0 && empty_ok) {
		*out = s;
		return 0;
	}
	if (len > BOUND_ADDR) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s is longer than %d bytes"), opt, BOUND_ADDR);
	}
	if (target_check_name(s, opt, f) != 0) {
		return -1;
	}
	if (strpbrk(s, "<>") != NULL) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s '%s': stray '<' or '>'"), opt, s);
	}
	*out = s;
	return 0;
}

void
opts_free(struct opts *o)
{
	for (size_t i = 0; i < o->ntargets; i++) {
		free(o->targets[i]);
	}
	free(o->targets);
	o->targets = NULL;
	o->ntargets = 0;
	policy_free(&o->policy);
}

static int
opts_add_target(struct opts *o, const char *t, const char *where, struct fault *f)
{
	struct target parsed;
	char **nt;

	if (target_parse(t, o->probe.port, &parsed, f) != 0) {
		if (where != NULL) {
			char msg[sizeof(f->msg)];

			memcpy(msg, f->msg, sizeof(msg));
			snprintf(f->msg, sizeof(f->msg), "%.80s: %.170s", where, msg);
		}
		return -1;
	}
	nt = realloc(o->targets, (o->ntargets + 1) * sizeof(*nt));
	if (nt == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	o->targets = nt;
	o->targets[o->ntargets] = strdup(t);
	if (o->targets[o->ntargets] == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	o->ntargets++;
	return 0;
}

static int
opts_targets_file(struct opts *o, const char *path, struct fault *f)
{
	FILE *fp = fopen(path, "re");
	char line[BOUND_NAME + 16];
	unsigned lineno = 0;
	int rc = 0;

	if (fp == NULL) {
		return fault_set(f, FAULT_PROTOCOL, errno, _("--targets-file %s: %s"), path, strerror(errno));
	}
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		char *p = line, *end;
		char where[300];

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			rc = fault_set(f, FAULT_PROTOCOL, 0, _("%s:%u: line too long"), path, lineno);
			break;
		}
		line[strcspn(line, "#\r\n")] = '\0';
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
			*--end = '\0';
		}
		if (*p == '\0') {
			continue;
		}
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		rc = opts_add_target(o, p, where, f);
	}
	fclose(fp);
	return rc;
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
		return fault_set(f, FAULT_PROTOCOL, 0, _("at most %d %s options"), BOUND_PARAMS, opt);
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
opts_sockaddr(const char *arg, const char *opt, int want_port, struct sockaddr_storage *ss,
    struct fault *f)
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
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s '%.60s': give a.b.c.d:PORT or [IPv6]:PORT (port 1 to 65535)"), opt, arg);
	}
	return fault_set(f, FAULT_PROTOCOL, 0, _("%s '%.60s': give an IPv4 or IPv6 address"), opt,
	    arg);
}

static const char *
opts_family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The families the options allow agree with each other and with every
 * target that is an address: -4/-6, --source-address, --proxy-source. */
static int
opts_families(struct opts *o, struct fault *f)
{
	struct probe_opts *p = &o->probe;
	int need = o->source.family;
	int pf = p->proxy != PROXYPROTO_NONE ? p->proxy_src.ss_family : AF_UNSPEC;
	struct target t;

	if (pf != AF_UNSPEC && need != AF_UNSPEC && pf != need) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--proxy-source is %s but --source-address is %s"), opts_family_name(pf),
		    opts_family_name(need));
	}
	if (pf != AF_UNSPEC && need == AF_UNSPEC) {
		/* HAProxy's §2.1: the destination "matches the same family". */
		o->source.family = need = pf;
		snprintf(o->source.what, sizeof(o->source.what), "--proxy-source");
	}
	if (need != AF_UNSPEC && p->family != AF_UNSPEC && need != p->family) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s is %s but -%c asks for %s only"),
		    o->source.what, opts_family_name(need), p->family == AF_INET6 ? '6' : '4',
		    opts_family_name(p->family));
	}
	for (size_t i = 0; i < o->ntargets; i++) {
		int fam;

		if (target_parse(o->targets[i], p->port, &t, f) != 0) {
			return -1;
		}
		fam = target_addr_family(t.host);
		if (fam == AF_UNSPEC) {
			continue;
		}
		if (p->family != AF_UNSPEC && fam != p->family) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%.60s' is an %s address but -%c asks for %s only"), t.host,
			    opts_family_name(fam), p->family == AF_INET6 ? '6' : '4',
			    opts_family_name(p->family));
		}
		if (need != AF_UNSPEC && fam != need) {
			return fault_set(f, FAULT_PROTOCOL, 0, _("target '%.60s' is an %s address but %s is %s"),
			    t.host, opts_family_name(fam), o->source.what, opts_family_name(need));
		}
	}
	return 0;
}

/* unix: targets and --protocol lmtp: what cannot go with them. */
static int
opts_local(const struct opts *o, struct fault *f)
{
	const struct probe_opts *p = &o->probe;
	struct target t;

	/* RFC 2033 §1: LMTP "MUST NOT be used on TCP port 25". */
	if (p->lmtp && o->nmx > 0 && p->port == 25) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--protocol lmtp: not on port 25 (RFC 2033 §1); give the LMTP port with --port"));
	}
	for (size_t i = 0; i < o->ntargets; i++) {
		if (target_parse(o->targets[i], p->port, &t, f) != 0) {
			return -1;
		}
		if (!t.is_unix && p->lmtp && t.port == 25) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%.60s': LMTP is not for port 25 (RFC 2033 §1); name the LMTP port"),
			    o->targets[i]);
		}
		if (!t.is_unix) {
			continue;
		}
		if (p->proxy != PROXYPROTO_NONE || o->source.bind) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%.60s': --proxy-protocol and --source-address are for TCP only"),
			    o->targets[i]);
		}
		/* A socket path is no name a certificate can be checked
		 * against: TLS there is verified for --tls-name, or not tried. */
		if (p->tls_name == NULL && (p->tls_mode == TLS_MODE_STARTTLS ||
		    p->tls_mode == TLS_MODE_IMPLICIT || p->require_tls || p->check_injection)) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%.60s': TLS on a unix: socket needs --tls-name to verify"),
			    o->targets[i]);
		}
	}
	return 0;
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
		fault_set(f, FAULT_PROTOCOL, 0, _("'%s' is not a target: did you mean "
		    "smtprobe explain '%s'?"), joined, joined);
		return;
	}
	fault_set(f, FAULT_PROTOCOL, 0, _("'%s' is not a target: did you mean 'smtprobe explain %s'?"),
	    joined, joined);
}

/* Does the long option name (or an abbreviation getopt_long would take:
 * every option it begins agrees) need a value? */
static int
opts_long_takes_value(const char *name)
{
	size_t nlen = strlen(name);
	int takes = -1;

	for (size_t k = 0; opts_long[k].name != NULL; k++) {
		int t = opts_long[k].has_arg == required_argument;

		if (strcmp(opts_long[k].name, name) == 0) {
			return t;
		}
		if (strncmp(opts_long[k].name, name, nlen) == 0) {
			takes = takes < 0 || takes == t ? t : 0;
		}
	}
	return takes > 0;
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
				i++;      /* its value is the next word */
			}
			continue;
		}
		/* Short options, clustered: p, w and c take a value, the rest
		 * of the word or the next one. */
		for (const char *c = a + 1; *c != '\0'; c++) {
			if (strchr("pwc", *c) != NULL) {
				if (c[1] == '\0') {
					i++;
				}
				break;
			}
		}
	}
	return argc;
}

/* --tls-policy: posttls-finger's level names (mxpolicy.h). */
static int
opts_tls_level(const char *s, enum tls_level *out)
{
	static const enum tls_level levels[] = {
		TLSLVL_MAY, TLSLVL_ENCRYPT, TLSLVL_DANE, TLSLVL_DANE_ONLY, TLSLVL_VERIFY, TLSLVL_SECURE,
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcmp(s, tls_level_name(levels[i])) == 0) {
			*out = levels[i];
			return 0;
		}
	}
	return -1;
}

int
opts_parse(int argc, char **argv, struct opts *o, struct fault *f)
{
	struct probe_opts *p = &o->probe;
	struct target t;
	long n;
	int c, port_set = 0;
	unsigned char seen[OPT_END_] = {0};

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

	opterr = 0;
	optind = 0;     /* 0, not 1: glibc then forgets an earlier parse's state */
	while ((c = getopt_long(argc, argv, ":p:46w:c:vqhV", opts_long, NULL)) != -1) {
		if (opts_given_twice(c, seen)) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("--%s given twice: it takes one value"), opts_long_name(c));
		}
		switch (c) {
		case 'p':
			if (opts_number(optarg, 1, 65535, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--port '%s': must be a number from 1 to 65535"), optarg);
			}
			p->port = (unsigned)n;
			port_set = 1;
			break;
		case '4':
			p->family = AF_INET;
			break;
		case '6':
			p->family = AF_INET6;
			break;
		case OPT_EHLO:
			if (target_check_name(optarg, "--ehlo", f) != 0) {
				return -1;
			}
			p->ehlo_name = optarg;
			break;
		case OPT_TLS:
			if (opts_tls_mode(optarg, &p->tls_mode) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--tls '%s': must be auto, starttls, implicit or none"), optarg);
			}
			break;
		case OPT_REQUIRE_TLS:
			p->require_tls = 1;
			break;
		case OPT_PROTOCOL:
			if (strcmp(optarg, "smtp") != 0 && strcmp(optarg, "lmtp") != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--protocol '%s': must be smtp or lmtp"), optarg);
			}
			p->lmtp = strcmp(optarg, "lmtp") == 0;
			break;
		case OPT_TLS_NAME:
			if (target_check_name(optarg, "--tls-name", f) != 0) {
				return -1;
			}
			p->tls_name = optarg;
			break;
		case OPT_CAFILE:
			if (opts_file(optarg, "--cafile", 0, f) != 0) {
				return -1;
			}
			o->tls.cafile = optarg;
			break;
		case OPT_CAPATH:
			if (opts_file(optarg, "--capath", 1, f) != 0) {
				return -1;
			}
			o->tls.capath = optarg;
			break;
		case OPT_INSECURE:
			p->insecure = 1;
			break;
		case OPT_TIMEOUT:
		case OPT_TOTAL_TIMEOUT:
			if (opts_number(optarg, 1, BOUND_TIMEOUT_MAX, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("%s '%s': must be a whole number of seconds from 1 to %d"),
				    c == OPT_TIMEOUT ? "--timeout" : "--total-timeout", optarg,
				    BOUND_TIMEOUT_MAX);
			}
			if (c == OPT_TIMEOUT) {
				p->step_timeout_s = (int)n;
			} else {
				p->run_timeout_s = (int)n;
			}
			break;
		case OPT_CERT_WARN:
		case OPT_CERT_CRIT:
			if (opts_number(optarg, 0, 3650, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("%s '%s': must be a number of days from 0 to 3650"),
				    c == OPT_CERT_WARN ? "--cert-warn-days" : "--cert-crit-days", optarg);
			}
			if (c == OPT_CERT_WARN) {
				p->cert_warn_days = (int)n;
			} else {
				p->cert_crit_days = (int)n;
			}
			break;
		case OPT_AUTH:
			if (strcasecmp(optarg, "auto") != 0 && !auth_supported(optarg)) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--auth '%s': smtprobe supports auto, %s"), optarg, auth_supported_list());
			}
			p->auth = optarg;
			break;
		case OPT_USER:
			if (target_check_name(optarg, "--user", f) != 0) {
				return -1;
			}
			p->user = optarg;
			break;
		case OPT_PASSWORD_FILE:
			o->password_file = optarg;
			break;
		case OPT_TOKEN_FILE:
			o->token_file = optarg;
			break;
		case OPT_ALLOW_PLAINTEXT_AUTH:
			p->allow_plaintext_auth = 1;
			break;
		case OPT_AUTH_INSECURE:
			p->auth_insecure = 1;
			break;
		case OPT_MAIL_FROM:
			if (opts_addr(optarg, "--mail-from", 1, &p->mail_from, f) != 0) {
				return -1;
			}
			break;
		case OPT_MAIL_PARAM:
			if (opts_add_param(p->mail_params, &p->nmail_params, optarg, "--mail-param", f) != 0) {
				return -1;
			}
			break;
		case OPT_RCPT:
			if (p->nrcpts == BOUND_RCPTS) {
				return fault_set(f, FAULT_PROTOCOL, 0, _("at most %d --rcpt options"), BOUND_RCPTS);
			}
			if (opts_addr(optarg, "--rcpt", 0, &p->rcpts[p->nrcpts], f) != 0) {
				return -1;
			}
			p->nrcpts++;
			break;
		case OPT_RCPT_PARAM:
			if (opts_add_param(p->rcpt_params, &p->nrcpt_params, optarg, "--rcpt-param", f) != 0) {
				return -1;
			}
			break;
		case OPT_VRFY:
			if (opts_addr(optarg, "--vrfy", 0, &p->vrfy, f) != 0) {
				return -1;
			}
			break;
		case OPT_EXPN:
			if (opts_addr(optarg, "--expn", 0, &p->expn, f) != 0) {
				return -1;
			}
			break;
		case OPT_FORCE:
			p->force = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0) {
				o->format = FORMAT_TEXT;
			} else if (strcmp(optarg, "json") == 0) {
				o->format = FORMAT_JSON;
			} else if (strcmp(optarg, "nagios") == 0) {
				o->format = FORMAT_NAGIOS;
			} else if (strcmp(optarg, "prometheus") == 0) {
				o->format = FORMAT_PROMETHEUS;
			} else {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--format '%s': must be text, json, nagios or prometheus"), optarg);
			}
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0) {
				o->color = COLOR_AUTO;
			} else if (strcmp(optarg, "always") == 0) {
				o->color = COLOR_ALWAYS;
			} else if (strcmp(optarg, "never") == 0) {
				o->color = COLOR_NEVER;
			} else {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--color '%s': must be auto, always or never"), optarg);
			}
			break;
		case OPT_LANG:
			if (!i18n_set_lang(optarg)) {
				return fault_set(f, FAULT_PROTOCOL, 0, _("--lang '%s': must be one of: %s"),
				    optarg, i18n_langs);
			}
			o->lang = optarg;
			break;
		case 'w':
		case 'c':
			if (range_parse(optarg, c == 'w' ? &o->policy.warn : &o->policy.crit, f) != 0) {
				return -1;
			}
			*(c == 'w' ? &o->policy.have_warn : &o->policy.have_crit) = 1;
			break;
		case OPT_REQUIRE_CAPABILITY:
			if (o->policy.nrequire == POLICY_MAX ||
			    !ehlo_keyword_valid(optarg, strlen(optarg))) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--require-capability '%s': an EHLO keyword (letters, digits, '-'), at most %d"),
				    optarg, POLICY_MAX);
			}
			o->policy.require[o->policy.nrequire++] = optarg;
			break;
		case OPT_EXPECT_BANNER: {
			int rc;

			if (o->policy.have_banner) {
				return fault_set(f, FAULT_PROTOCOL, 0, _("--expect-banner given twice"));
			}
			rc = regcomp(&o->policy.banner, optarg, REG_EXTENDED | REG_ICASE | REG_NOSUB);
			if (rc != 0) {
				char why[128];

				regerror(rc, &o->policy.banner, why, sizeof(why));
				return fault_set(f, FAULT_PROTOCOL, 0, _("--expect-banner '%s': %s"), optarg, why);
			}
			o->policy.have_banner = 1;
			snprintf(o->policy.banner_text, sizeof(o->policy.banner_text), "%s", optarg);
			break;
		}
		case OPT_IGNORE:
			if (o->policy.nignore == POLICY_MAX ||
			    finding_by_name(optarg, &o->policy.ignore[o->policy.nignore]) != 0) {
				const char *near = finding_suggest(optarg);

				if (near != NULL) {
					return fault_set(f, FAULT_PROTOCOL, 0,
					    _("--ignore '%.60s': not a finding id: did you mean %s?"), optarg, near);
				}
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--ignore '%.60s': not a finding id ('smtprobe findings' lists them)"), optarg);
			}
			o->policy.nignore++;
			break;
		case OPT_TARGETS_FILE:
			if (opts_targets_file(o, optarg, f) != 0) {
				return -1;
			}
			break;
		case OPT_ALL_ADDRESSES:
		case OPT_NO_ALL_ADDRESSES:
			o->all_addresses = c == OPT_ALL_ADDRESSES;
			break;
		case OPT_MX:
			if (o->nmx == OPTS_MAX_MX) {
				return fault_set(f, FAULT_PROTOCOL, 0, _("at most %d --mx options"), OPTS_MAX_MX);
			}
			if (target_check_name(optarg, "--mx", f) != 0 ||
			    idn_convert(optarg, "--mx", o->mx_ascii[o->nmx], sizeof(o->mx_ascii[0]),
			    o->mx_u[o->nmx], sizeof(o->mx_u[0]), f) < 0) {
				return -1;
			}
			o->mx[o->nmx] = o->mx_u[o->nmx][0] != '\0' ? o->mx_ascii[o->nmx] : optarg;
			o->nmx++;
			break;
		case OPT_DNS_SERVER:
			if (dns_conf_server(optarg, &o->dns, f) != 0) {
				return -1;
			}
			p->dns = &o->dns;
			break;
		case OPT_TRUST_ANCHOR:
			if (dns_conf_anchor(optarg, &o->dns, f) != 0) {
				return -1;
			}
			p->dns = &o->dns;
			break;
		case OPT_PARALLEL:
			if (opts_number(optarg, 1, 1000, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--parallel '%s': must be a number from 1 to 1000"), optarg);
			}
			o->parallel = (unsigned)n;
			break;
		case OPT_PER_IP:
			if (opts_number(optarg, 1, 1000, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--per-ip '%s': must be a number from 1 to 1000"), optarg);
			}
			o->per_ip = (unsigned)n;
			break;
		case OPT_RETRY_AFTER:
			if (opts_number(optarg, 0, BOUND_TIMEOUT_MAX, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--retry-after '%s': must be a whole number of seconds from 0 to %d"),
				    optarg, BOUND_TIMEOUT_MAX);
			}
			p->retry_after_s = (int)n;
			break;
		case OPT_CHECK_INJECTION:
			p->check_injection = 1;
			break;
		case OPT_DANE:
			p->dane = 1;
			break;
		case OPT_MTA_STS:
			if (target_check_name(optarg, "--mta-sts", f) != 0) {
				return -1;
			}
			o->mta_sts = optarg;
			break;
		case OPT_TLS_POLICY:
			if (opts_tls_level(optarg, &p->tls_level) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0, _("--tls-policy '%s': must be may, encrypt, "
				    "dane, dane-only, verify or secure"), optarg);
			}
			break;
		case OPT_SOURCE_ADDRESS:
			if (opts_sockaddr(optarg, "--source-address", 0, &o->source.addr, f) != 0) {
				return -1;
			}
			o->source.bind = 1;
			o->source.family = o->source.addr.ss_family;
			snprintf(o->source.what, sizeof(o->source.what), "--source-address %.50s", optarg);
			break;
		case OPT_PROXY_PROTOCOL:
			if (strcmp(optarg, "v1") == 0) {
				p->proxy = PROXYPROTO_V1;
			} else if (strcmp(optarg, "v2") == 0) {
				p->proxy = PROXYPROTO_V2;
			} else {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("--proxy-protocol '%s': must be v1 or v2"), optarg);
			}
			break;
		case OPT_PROXY_SOURCE:
			if (opts_sockaddr(optarg, "--proxy-source", 1, &p->proxy_src, f) != 0) {
				return -1;
			}
			break;
		case OPT_PASSWORD:
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("passwords are never taken on the command line (other users can read it): "
			    "use --password-file FILE, the SMTPROBE_PASSWORD variable, or the prompt"));
		case 'v':
			o->verbosity = RENDER_VERBOSE;
			break;
		case 'q':
			o->verbosity = RENDER_QUIET;
			break;
		case 'h':
			o->action = OPTS_HELP;
			return 0;
		case 'V':
			o->action = OPTS_VERSION;
			return 0;
		case ':':
			return fault_set(f, FAULT_PROTOCOL, 0, _("option '%s' needs an argument"),
			    argv[optind - 1]);
		default:
			if (optopt != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0, _("unknown option '-%c'"), optopt);
			}
			return fault_set(f, FAULT_PROTOCOL, 0, _("unknown option '%s'"),
			    argv[optind - 1]);
		}
	}
	/* Command-line targets come first, in order, then the file's. */
	{
		size_t from_file = o->ntargets;
		char **file_targets = o->targets;

		o->targets = NULL;
		o->ntargets = 0;
		for (int i = optind; i < argc; i++) {
			if (target_parse(argv[i], p->port, &t, f) != 0) {
				if (i == optind) {
					opts_hint_explain(argc, argv, optind, f);
				}
				for (size_t k = 0; k < from_file; k++) {
					free(file_targets[k]);
				}
				free(file_targets);
				return -1;
			}
			if (t.port_given && port_set && t.port != p->port) {
				for (size_t k = 0; k < from_file; k++) {
					free(file_targets[k]);
				}
				free(file_targets);
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("the target names port %u but --port says %u"), t.port, p->port);
			}
			if (opts_add_target(o, argv[i], NULL, f) != 0) {
				return -1;
			}
		}
		for (size_t k = 0; k < from_file; k++) {
			char **nt = realloc(o->targets, (o->ntargets + 1) * sizeof(*nt));

			if (nt == NULL) {
				return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
			}
			o->targets = nt;
			o->targets[o->ntargets++] = file_targets[k];
		}
		free(file_targets);
	}
	if (o->ntargets == 0 && o->nmx == 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("no target given"));
	}
	if ((p->proxy != PROXYPROTO_NONE) != (p->proxy_src.ss_family != AF_UNSPEC)) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--proxy-protocol and --proxy-source go together"));
	}
	if (opts_families(o, f) != 0 || opts_local(o, f) != 0) {
		return -1;
	}
	if (o->source.family != AF_UNSPEC) {
		p->source = &o->source;
	}
	p->target = o->ntargets > 0 ? o->targets[0] : NULL;
	if (p->require_tls && p->tls_mode == TLS_MODE_NONE) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--require-tls contradicts --tls none"));
	}
	if (p->tls_mode == TLS_MODE_NONE && (p->tls_level != TLSLVL_DEFAULT || p->dane ||
	    o->mta_sts != NULL)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--tls-policy, --dane and --mta-sts judge TLS: they contradict --tls none"));
	}
	if (p->cert_crit_days > p->cert_warn_days) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--cert-crit-days (%d) is above --cert-warn-days (%d)"),
		    p->cert_crit_days, p->cert_warn_days);
	}
	if (p->check_injection && (p->tls_mode == TLS_MODE_NONE || p->tls_mode == TLS_MODE_IMPLICIT)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--check-starttls-injection needs STARTTLS (--tls auto or starttls)"));
	}
	if (p->auth != NULL && p->user == NULL) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--auth needs --user"));
	}
	if (p->auth == NULL && (p->user != NULL || o->password_file != NULL || o->token_file != NULL)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--user, --password-file and --token-file go with --auth"));
	}
	if (p->auth_insecure && p->auth == NULL) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--auth-insecure goes with --auth"));
	}
	if (p->mail_from == NULL && (p->nrcpts > 0 || p->nmail_params > 0 || p->nrcpt_params > 0)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--rcpt, --mail-param and --rcpt-param need --mail-from (use --mail-from '' for the null sender)"));
	}
	if (p->nrcpt_params > 0 && p->nrcpts == 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--rcpt-param needs --rcpt"));
	}
	if (o->password_file != NULL && opts_file(o->password_file, "--password-file", 0, f) != 0) {
		return -1;
	}
	if (o->token_file != NULL && opts_file(o->token_file, "--token-file", 0, f) != 0) {
		return -1;
	}
	/* A --total-timeout below --timeout is kept: the run's deadline caps
	 * every step's. */
	return 0;
}
