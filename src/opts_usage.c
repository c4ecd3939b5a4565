/* opts_usage.c - the --help text, one translatable paragraph each.
 *
 * The paragraphs are msgids (the po files key on them): a change here is a
 * change for every translation.  struct opts_def's para names the
 * paragraph that documents an option (tests/check_opts.c checks it).
 */
#include <config.h>

#include <stdio.h>

#include "i18n.h"
#include "opts.h"

/* One translatable paragraph each: option names, keywords and values
 * stay as they are; descriptions are translated.  The order is
 * enum opts_para's. */
static const char *const opts_paras[] = {
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

const char *
opts_usage_para(enum opts_para para)
{
	if (para <= PARA_NONE || (size_t)para >= sizeof(opts_paras) / sizeof(opts_paras[0])) {
		return NULL;
	}
	return opts_paras[para];
}

void
opts_usage(FILE *out)
{
	for (size_t i = 0; i < sizeof(opts_paras) / sizeof(opts_paras[0]); i++) {
		if (i > 0) {
			fputc('\n', out);
		}
		fputs(_(opts_paras[i]), out);
	}
}
