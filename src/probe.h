/* probe.h - the probe of one target: a machine of phases, each a small
 * function that does one step, records it and returns the next phase.
 */
#ifndef SMTPROBE_PROBE_H
#define SMTPROBE_PROBE_H

#include "dns.h"
#include "net.h"
#include "params.h"
#include "proxyproto.h"
#include "report.h"
#include "secret.h"
#include "tls.h"

struct probe_opts {
	const char *target;         /* HOST[:PORT], [IPv6]:PORT or IPv6 */
	unsigned port;              /* used when the target names none */
	int family;                 /* AF_UNSPEC, AF_INET or AF_INET6 */
	const struct dns_conf *dns; /* NULL: the system's resolvers, the default trust anchor */
	const struct net_source *source;   /* --source-address, --proxy-source's family; or NULL */
	enum proxyproto_version proxy;     /* --proxy-protocol: a PROXY header first */
	struct sockaddr_storage proxy_src; /* --proxy-source: the client it names */
	const char *ehlo_name;             /* NULL: local FQDN, else an address literal */
	int lmtp;                          /* --protocol lmtp: LHLO, never HELO (RFC 2033 §4.1) */
	enum tls_mode tls_mode;
	int require_tls;      /* no TLS at all is CRITICAL */
	const char *tls_name; /* SNI and the name to verify; NULL: the host */
	int insecure;         /* go on when the certificate does not verify */
	int name_from_dns;    /* the host name came from an MX lookup (unauthenticated),
	                       * not from the user: no credentials for it */
	int step_timeout_s;
	int run_timeout_s;
	int cert_warn_days;
	int cert_crit_days;

	/* The dialogue after EHLO, in the order the RFCs require: AUTH,
	 * MAIL, RCPT, VRFY, EXPN, RSET.  Each is skipped when not asked for. */
	const char *auth; /* NULL: no AUTH; "auto" or a mechanism */
	const char *user;
	const struct secret *password; /* NULL or unset: none */
	const struct secret *token;    /* for XOAUTH2 and OAUTHBEARER */
	int allow_plaintext_auth;      /* AUTH even without TLS */
	int auth_insecure;     /* with insecure: AUTH even when the certificate did not verify */
	const char *mail_from; /* NULL: no MAIL; "" is the null sender <> */
	struct param mail_params[BOUND_PARAMS];
	size_t nmail_params;
	const char *rcpts[BOUND_RCPTS];
	size_t nrcpts;
	struct param rcpt_params[BOUND_PARAMS];
	size_t nrcpt_params;
	const char *vrfy;
	const char *expn;
	int force;           /* send steps flagged against the capabilities */
	int check_injection; /* --check-starttls-injection */

	const struct net_pre *pre; /* --all-addresses: the one address to connect to
	                            * (the host stays the name for SNI, verification
	                            * and messages), or NULL: resolve and try each */
	/* TLS policy (mxpolicy.h): what a sender that enforces one would do. */
	int dane;                   /* --dane, or a host from --mx: TLSA looked up */
	enum tls_level tls_level;   /* --tls-policy */
	const char *dane_nexthop;   /* the --mx domain: a DANE-TA reference name */
	struct dns_fact mx_fact;    /* the MX RRset's status (DNSSEC_NOT_ASKED without --mx) */
	const struct sts_fact *sts; /* the domain's MTA-STS facts, or NULL */
	const struct tlsrpt_fact *tlsrpt; /* the domain's TLS-RPT facts, or NULL */
	const char *dnssec_unchecked;     /* why DNSSEC cannot be validated here, or NULL */

	struct gate *gate;         /* --per-ip: shared by the run's probes, or NULL */
	int retry_after_s;         /* --retry-after: wait, then probe a rate-limited
	                            * target once more; 0: never */
	const struct xport *xport; /* tests: the session goes over this transport
	                            * (tests/memxport.c), nothing is connected;
	                            * NULL: connect to the target */
};

/* Probe one target and fill rep (report_init'ed by the caller, freed by
 * the caller with report_free).  tls may be NULL when tls_mode is
 * TLS_MODE_NONE.  Every outcome, failures included, ends up in rep;
 * report_finish has been called on return. */
void probe_run(const struct probe_opts *o, struct tls_ctx *tls, struct report *rep);

/* What the judge needs to know of what the user asked for. */
struct judge_opts;
void probe_judge_opts(const struct probe_opts *o, struct judge_opts *jo);

/* The policy facts of o into r (for a report nothing was probed for). */
void probe_policy_facts(const struct probe_opts *o, struct report *r);

#endif
