#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bounds.h"
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
	OPT_CERT_CRIT
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
	{"verbose", no_argument, NULL, 'v'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0}
};

void
opts_usage(FILE *out)
{
	fputs(
	    "Usage: smtprobe [OPTION]... TARGET\n"
	    "       smtprobe explain [--after COMMAND] [--format text|json] CODE [CODE]\n"
	    "Probe an SMTP server and explain every reply: banner, EHLO, STARTTLS or\n"
	    "implicit TLS, certificate, QUIT.  'smtprobe explain' explains a reply\n"
	    "code offline, or compares two (see 'smtprobe explain --help').\n"
	    "\n"
	    "TARGET is HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 address.\n"
	    "\n"
	    "Connection:\n"
	    "  -p, --port PORT          port when TARGET names none (default 25;\n"
	    "                           465 means implicit TLS under --tls auto)\n"
	    "  -4, --ipv4               use IPv4 addresses only\n"
	    "  -6, --ipv6               use IPv6 addresses only\n"
	    "      --ehlo NAME          name to send in EHLO/HELO (default: this host's\n"
	    "                           fully qualified name, else an address literal)\n"
	    "      --timeout SECONDS    deadline for each step (default 10)\n"
	    "      --total-timeout SECONDS\n"
	    "                           deadline for the whole probe (default 60)\n"
	    "\n"
	    "TLS:\n"
	    "      --tls MODE           auto (default): implicit TLS on port 465, else\n"
	    "                           STARTTLS when offered; starttls: STARTTLS,\n"
	    "                           required; implicit: TLS from the first byte;\n"
	    "                           none: never\n"
	    "      --require-tls        a session without TLS is CRITICAL\n"
	    "      --tls-name NAME      name to send as SNI and to verify the\n"
	    "                           certificate against (default: the host)\n"
	    "      --cafile FILE        trust the CA certificates in FILE (PEM)\n"
	    "      --capath DIR         trust the CA certificates in DIR (hashed)\n"
	    "                           (default for both: the system store)\n"
	    "      --insecure           go on when the certificate does not verify,\n"
	    "                           reporting why\n"
	    "      --cert-warn-days N   WARNING when the certificate expires within N\n"
	    "                           days (default 30)\n"
	    "      --cert-crit-days N   CRITICAL within N days (default 7)\n"
	    "\n"
	    "Output:\n"
	    "  -v, --verbose            add every connection try, reply flags and what\n"
	    "                           each finding means\n"
	    "  -q, --quiet              print the verdict line alone\n"
	    "  -h, --help               show this help and exit\n"
	    "  -V, --version            show the version and exit\n"
	    "\n"
	    "Exit status:\n"
	    "  0  OK        every step went as it should\n"
	    "  1  WARNING   the server works, with a problem worth fixing\n"
	    "  2  CRITICAL  the server failed a step (refused, timed out, TLS failed...)\n"
	    "  3  UNKNOWN   bad usage or an internal error; nothing was sent\n"
	    "\n"
	    "Examples:\n"
	    "  smtprobe mx.example.com\n"
	    "  smtprobe -p 587 mail.example.com\n"
	    "  smtprobe -p 465 mail.example.com\n"
	    "  smtprobe --cafile ca.pem --tls-name mx.test.example 127.0.0.1:2525\n",
	    out);
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
		return fault_set(f, FAULT_PROTOCOL, 0, "%s %s: cannot be read", opt, path);
	}
	return 0;
}

int
opts_parse(int argc, char **argv, struct opts *o, struct fault *f)
{
	struct probe_opts *p = &o->probe;
	struct target t;
	long n;
	int c, port_set = 0;

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

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":p:46vqhV", opts_long, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (opts_number(optarg, 1, 65535, &n) != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    "--port '%s': must be a number from 1 to 65535", optarg);
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
				    "--tls '%s': must be auto, starttls, implicit or none", optarg);
			}
			break;
		case OPT_REQUIRE_TLS:
			p->require_tls = 1;
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
				    "%s '%s': must be a whole number of seconds from 1 to %d",
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
				    "%s '%s': must be a number of days from 0 to 3650",
				    c == OPT_CERT_WARN ? "--cert-warn-days" : "--cert-crit-days", optarg);
			}
			if (c == OPT_CERT_WARN) {
				p->cert_warn_days = (int)n;
			} else {
				p->cert_crit_days = (int)n;
			}
			break;
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
			return fault_set(f, FAULT_PROTOCOL, 0, "option '%s' needs an argument",
			    argv[optind - 1]);
		default:
			if (optopt != 0) {
				return fault_set(f, FAULT_PROTOCOL, 0, "unknown option '-%c'", optopt);
			}
			return fault_set(f, FAULT_PROTOCOL, 0, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		return fault_set(f, FAULT_PROTOCOL, 0, "no target given");
	}
	if (argc - optind > 1) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    "one target at a time (got '%s' and '%s')", argv[optind], argv[optind + 1]);
	}
	p->target = argv[optind];
	if (target_parse(p->target, p->port, &t, f) != 0) {
		return -1;
	}
	if (t.port_given && port_set && t.port != p->port) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    "the target names port %u but --port says %u", t.port, p->port);
	}
	if (p->require_tls && p->tls_mode == TLS_MODE_NONE) {
		return fault_set(f, FAULT_PROTOCOL, 0, "--require-tls contradicts --tls none");
	}
	if (p->cert_crit_days > p->cert_warn_days) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    "--cert-crit-days (%d) is above --cert-warn-days (%d)",
		    p->cert_crit_days, p->cert_warn_days);
	}
	if (p->run_timeout_s < p->step_timeout_s) {
		p->run_timeout_s = p->step_timeout_s;
	}
	return 0;
}
