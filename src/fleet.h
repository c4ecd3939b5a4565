/* fleet.h - probe many targets, at most N at a time, and hand each
 * finished report to the caller in input order.
 *
 * A pool of N probes in flight: a finished report waits for the earlier
 * ones to be handed over, but the pool goes on starting new probes
 * meanwhile, up to BOUND_FLEET_AHEAD targets past the oldest one not yet
 * handed over.  So a slow or silent target holds back only the output,
 * never the other probes, and at most N + BOUND_FLEET_AHEAD reports are
 * alive at once, however many targets there are.
 *
 * Identical jobs (the same host, port, options and --mx domain) are
 * probed once: the later ones repeat the first one's record, marked with
 * report.reused_of.  At most BOUND_FLEET_KEPT records are kept for that at
 * once; past it a repeated job is probed again.
 */
#ifndef SMTPROBE_FLEET_H
#define SMTPROBE_FLEET_H

#include <stddef.h>

#include "policy.h"
#include "probe.h"
#include "report.h"
#include "tls.h"

struct fleet_job {
	const char *target;               /* HOST[:PORT] */
	char mx_domain[BOUND_NAME + 1];   /* "" unless it came from --mx */
	int mx_pref;                      /* -1: the implicit MX (A/AAAA fallback) */
	int64_t mx_ms;                    /* time the MX lookup of mx_domain took */
	struct dns_fact mx_fact;          /* that lookup's DNSSEC status (src/dns.h) */
	enum mx_outcome mx_outcome;       /* MXO_NONE, MXO_HOST, MXO_IMPLICIT: probe it; else the
	                                   * lookup's outcome is the whole report */
	char mx_error[256];               /* MXO_FAILED: why; MXO_LITERAL: the address */
	char mx_domain_u[BOUND_NAME + 1]; /* mx_domain in Unicode when internationalised */
	int all_addresses;                /* --all-addresses: probe each A and AAAA of a host name,
	                                   * one record each, chained by next_addr */
	int dane;                         /* look up the host's TLSA records (a host from --mx) */
	const struct sts_fact *sts; /* the domain's MTA-STS facts (--mx, --mta-sts), or NULL */
	const struct tlsrpt_fact *tlsrpt; /* its TLS-RPT facts, or NULL */
};

/* Called in input order, from the calling thread; a job with
 * all_addresses gives one call per address of its host, in DNS order. */
typedef void (*fleet_emit_fn)(const struct report *r, size_t index, void *arg);

struct fleet_conf {
	unsigned parallel; /* probes in flight (--parallel) */
	unsigned per_ip;   /* connections to one address at once (--per-ip); 0: no limit */
	int progress;      /* draw the progress line on stderr (a terminal) */
	int trace;         /* SMTPROBE_FLEET_TRACE: a line on stderr per start and end */
};

/* Probe every job with base's options (target replaced), apply pol, and
 * emit the reports in order.  Returns the worst verdict. */
enum sev fleet_run_conf(const struct fleet_conf *conf, const struct fleet_job *jobs, size_t n,
    const struct probe_opts *base, struct tls_ctx *tls, const struct policy *pol,
    fleet_emit_fn emit, void *arg);

/* The same with parallel probes, no --per-ip limit and no progress. */
enum sev fleet_run(const struct fleet_job *jobs, size_t n, unsigned parallel,
    const struct probe_opts *base, struct tls_ctx *tls, const struct policy *pol,
    fleet_emit_fn emit, void *arg);

#endif
