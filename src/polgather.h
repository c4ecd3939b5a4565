/* polgather.h - the lookups behind the TLS policy facts (mxpolicy.h):
 * a domain's MTA-STS TXT record and policy (fetched over HTTPS) and its
 * TLS-RPT record, and a host's TLSA records.  I/O through dns.c and
 * https.c, facts only: the judge (judge_policy.c) words them.
 */
#ifndef SMTPROBE_POLGATHER_H
#define SMTPROBE_POLGATHER_H

#include <stdint.h>

#include "dns.h"
#include "mxpolicy.h"
#include "net.h"
#include "tls.h"

/* _mta-sts.DOMAIN TXT, then, when exactly one valid "v=STSv1" record is
 * there (RFC 8461 §3.1), https://mta-sts.DOMAIN/.well-known/mta-sts.txt
 * (§3.3), parsed.  Each lookup and the fetch are bounded by step_ms and
 * by deadline.  s is filled whatever happens (s->asked set). */
void polgather_sts(const char *domain, const struct dns_conf *c, struct tls_ctx *tls,
    const struct net_source *src, int step_ms, int64_t deadline, struct sts_fact *s);

/* _smtp._tls.DOMAIN TXT (RFC 8460 §3), parsed when exactly one record
 * starts with "v=TLSRPTv1". */
void polgather_tlsrpt(
    const char *domain, const struct dns_conf *c, int64_t deadline, struct tlsrpt_fact *t);

/* The TLSA RRset of _PORT._tcp.HOST (RFC 7672 §2.2): d->tlsa_name,
 * d->tlsa, the records with their verdicts, and d->state: DANE_NONE (no
 * records, secure), DANE_LOOKUP_FAILED (bogus or failed: §2.2 makes the
 * server unreachable for a DANE sender then), DANE_NOT_SECURE (an
 * insecure answer: DANE does not apply), DANE_UNUSABLE, or, when usable
 * records are there, DANE_NO_TLS until the handshake says otherwise.  The caller
 * has checked that the MX and address records are secure. */
void polgather_tlsa(const char *host, unsigned port, const struct dns_conf *c, int64_t deadline,
    struct dane_fact *d);

/* The worse of two DNSSEC statuses (the address fact of a host from its
 * A and AAAA facts): bogus, failed, unchecked, insecure, secure; an
 * RRset not asked counts for nothing. */
enum dnssec_status polgather_worse(enum dnssec_status a, enum dnssec_status b);

#endif
