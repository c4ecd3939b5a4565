/* mxpolicy.h - the facts of the TLS policies a sending MTA applies to one
 * host: DANE (RFC 7672) from DNSSEC-validated TLSA records, MTA-STS
 * (RFC 8461) from a TXT record and a policy fetched over HTTPS, and the
 * TLS-RPT record (RFC 8460).  The probe fills them (report.pol); the
 * judge words them; renderers show them.  Strings from DNS and HTTP are
 * untrusted: escape them to show.
 */
#ifndef SMTPROBE_MXPOLICY_H
#define SMTPROBE_MXPOLICY_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "sts.h"
#include "tlsa.h"
#include "tlsrpt.h"

/* TLSA records kept for one host; more are counted (dropped). */
#define MXPOL_MAX_TLSA 8

/* What a validating resolver said of one RRset. */
enum dnssec_status {
	DNSSEC_NOT_ASKED = 0,
	DNSSEC_SECURE,   /* validated from the trust anchor */
	DNSSEC_INSECURE, /* provably unsigned (or outside every trust anchor) */
	DNSSEC_BOGUS,    /* validation failed: why says how */
	DNSSEC_FAILED,   /* no usable answer: SERVFAIL, REFUSED, timeout, error */
	DNSSEC_UNCHECKED /* answered, but not validated: the resolver in use gives no
	                  * DNSSEC records (see mxpolicy.dnssec_unchecked) */
};

struct dns_fact {
	enum dnssec_status sec;
	int rcode;     /* DNS rcode (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN), -1 if none came */
	int nrecords;  /* records of the asked type in the answer */
	char why[200]; /* BOGUS: the validator's reason; FAILED: what failed */
	int64_t ms;
};

/* The TLS a sender applies, in posttls-finger's words (--tls-policy). */
enum tls_level {
	TLSLVL_DEFAULT = 0, /* a modern MTA: DANE when published, MTA-STS when
	                     * enforced, else opportunistic (may) */
	TLSLVL_MAY,         /* TLS when offered, no authentication */
	TLSLVL_ENCRYPT,     /* TLS required, no authentication */
	TLSLVL_DANE,        /* DANE when usable TLSA records are published, else may */
	TLSLVL_DANE_ONLY,   /* DANE required */
	TLSLVL_VERIFY,      /* TLS required, the chain verified, the name checked */
	TLSLVL_SECURE       /* as verify (name from the MX domain, not DNS) */
};

enum dane_state {
	DANE_NOT_ASKED = 0, /* no --mx / --dane */
	DANE_NOT_SECURE,    /* the MX RRset or the host's addresses are not
	                     * DNSSEC-secure: DANE cannot apply (RFC 7672 §2.2) */
	DANE_NONE,          /* secure: the host publishes no TLSA records */
	DANE_LOOKUP_FAILED, /* TLSA bogus, SERVFAIL or timeout: senders defer
	                     * (RFC 7672 §2.2), never "no DANE" */
	DANE_UNUSABLE,      /* TLSA records, none usable for SMTP */
	DANE_NO_TLS,        /* usable TLSA, but no TLS came (no STARTTLS, failed handshake) */
	DANE_MATCHED,       /* the chain matched a usable record */
	DANE_NO_MATCH       /* the chain matched none: DANE senders defer */
};

struct dane_fact {
	enum dane_state state;
	char tlsa_name[BOUND_NAME + 16]; /* "_25._tcp.mx.example.com" */
	struct dns_fact mx;              /* the MX RRset (DNSSEC_NOT_ASKED without --mx) */
	struct dns_fact addr;            /* the host's A/AAAA RRsets (the worse of the two) */
	struct dns_fact tlsa;            /* the TLSA RRset */
	struct tlsa_rr rr[MXPOL_MAX_TLSA];
	enum tlsa_verdict verdict[MXPOL_MAX_TLSA];
	size_t nrr;
	size_t rr_dropped;
	int matched;               /* index in rr of the record that matched, or -1 */
	int matched_depth;         /* the matched certificate's depth (0: the server's own) */
	char matched_subject[256]; /* its subject */
	char matched_name[BOUND_NAME + 1]; /* DANE-TA: the name the certificate matched (§3.2.2) */
	char error[200];                   /* DANE_NO_MATCH, DANE_NO_TLS: what failed */
};

/* How the fetch of the MTA-STS policy went (RFC 8461 §3.3). */
enum sts_fetch {
	STS_FETCH_NOT_RUN = 0,
	STS_FETCH_OK,        /* 200, text/plain, within the bound */
	STS_FETCH_RESOLVE,   /* mta-sts.DOMAIN has no address */
	STS_FETCH_CONNECT,   /* no address took the connection */
	STS_FETCH_TLS,       /* the handshake failed */
	STS_FETCH_CERT,      /* the certificate is not valid for mta-sts.DOMAIN */
	STS_FETCH_STATUS,    /* an HTTP status other than 200 (and not 3xx) */
	STS_FETCH_REDIRECT,  /* 3xx: redirects are not followed (§3.3) */
	STS_FETCH_TYPE,      /* Content-Type is not text/plain */
	STS_FETCH_TOO_LARGE, /* the body passed 64 KiB */
	STS_FETCH_MALFORMED, /* not HTTP/1.x as it should be */
	STS_FETCH_TIMEOUT
};

struct sts_fact {
	int asked; /* --mx or --mta-sts named the domain */
	char domain[BOUND_NAME + 1];
	struct dns_fact txt; /* _mta-sts.DOMAIN TXT */
	int ntxt;            /* TXT records that start with "v=STSv1" */
	char txt_text[256];  /* the first of them, as it came */
	struct sts_txt rec;  /* it, parsed */
	enum sts_fetch fetch;
	int http_status;        /* 0 when no response came */
	char fetch_detail[256]; /* the failure in words, the redirect's Location,
	                         * the Content-Type; "" */
	char fetch_address[64]; /* the address the policy came from */
	int64_t fetch_ms;
	struct sts_policy policy; /* parsed when fetch is STS_FETCH_OK */
	int host_match;           /* index in policy.mx that this report's host matches, -1 */
};

struct tlsrpt_fact {
	int asked;
	struct dns_fact txt; /* _smtp._tls.DOMAIN TXT */
	int ntxt;            /* records that start with "v=TLSRPTv1" */
	char txt_text[512];
	struct tlsrpt rec;
};

struct mxpolicy {
	enum tls_level level;       /* --tls-policy */
	char dnssec_unchecked[240]; /* why answers could not be validated (the
	                             * resolver strips DNSSEC records...), "" */
	struct dane_fact dane;
	struct sts_fact sts;
	struct tlsrpt_fact tlsrpt;
};

const char *dnssec_status_name(enum dnssec_status s); /* "secure", ... */
const char *dane_state_id(enum dane_state s);         /* "matched", ... */
const char *sts_fetch_id(enum sts_fetch f);           /* "ok", "redirect", ... */
const char *tls_level_name(enum tls_level l);         /* "may", ..., "" for default */

#endif
