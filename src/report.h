/* report.h - the record of one probe.  The probe fills it; renderers
 * only read it.
 */
#ifndef SMTPROBE_REPORT_H
#define SMTPROBE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "ehlo.h"
#include "fault.h"
#include "mxpolicy.h"
#include "params.h"
#include "finding.h"
#include "proxyproto.h"
#include "net.h"
#include "reply.h"
#include "smtp.h"
#include "target.h"
#include "tls.h"

enum step_kind {
	STEP_CONNECT,
	STEP_TLS,    /* a TLS handshake (implicit or after STARTTLS) */
	STEP_COMMAND /* a command and its reply, or the greeting */
};

/* What became of a step (the transcript shows every step the user asked
 * for, sent or not). */
enum step_state {
	STATE_SENT = 0,   /* sent (or the greeting, read) */
	STATE_HELD,       /* flagged against the capabilities and held back */
	STATE_SKIPPED,    /* not sent, for the reason in why */
	STATE_NOT_REACHED /* the session ended before it (at step cause) */
};

/* Why a step was not sent (STATE_HELD, STATE_SKIPPED). */
enum step_why {
	WHY_NONE = 0,
	WHY_FLAGGED,          /* its parameters or mechanism broke the capabilities */
	WHY_NO_TLS,           /* AUTH: no TLS, and no --allow-plaintext-auth */
	WHY_UNVERIFIED,       /* AUTH: the certificate did not verify */
	WHY_WEAK_DH,          /* AUTH: the key exchange used a DH group below 2048 bits */
	WHY_AUTH_NOT_OFFERED, /* AUTH: no AUTH keyword in EHLO */
	WHY_NO_COMMON_MECH,   /* AUTH auto: no mechanism in common */
	WHY_MAIL_REFUSED,     /* RCPT: MAIL FROM was refused */
	WHY_MAIL_HELD,        /* RCPT: MAIL FROM was held back */
	WHY_TOO_LONG,         /* the command would not fit in an SMTP line */
	WHY_NAME_FROM_DNS,    /* AUTH: the name checked came from an unauthenticated MX lookup */
	WHY_OLD_TLS,          /* AUTH: TLS below 1.2, and no --auth-insecure */
	WHY_NO_BINDING        /* AUTH: a -PLUS mechanism, and no channel binding to give */
};

struct step {
	enum step_kind kind;
	enum smtp_cmd cmd;         /* for STEP_COMMAND; SMTP_GREETING for the banner */
	char sent[BOUND_LINE_RFC]; /* the command as sent, without CRLF ("" for the greeting) */
	int over_tls;              /* the command travelled inside TLS */
	struct reply reply;        /* what came back, complete or not */
	int64_t ms;                /* from sending (or connecting) to the end of the reply */
	struct fault fault;        /* cls FAULT_NONE when the step went through */
	size_t injected;           /* STARTTLS: bytes that came after the 220, discarded */
	enum step_state state;     /* STATE_SENT unless it never went out */
	enum step_why why;         /* for STATE_HELD and STATE_SKIPPED */
	int cause;                 /* STATE_NOT_REACHED: the step that ended the session */
	size_t partial;            /* bytes of an unfinished line when the reply broke off */
	int pipelined;             /* sent in one write with the steps before it (RFC 2920) */
	int rt_halves;             /* round trips this step cost, in halves */
};

enum tls_mode {
	TLS_MODE_AUTO,     /* implicit on 465, else STARTTLS when offered */
	TLS_MODE_STARTTLS, /* STARTTLS, required */
	TLS_MODE_IMPLICIT, /* TLS from the first byte */
	TLS_MODE_NONE      /* never */
};

struct advice;

/* Whether the server proved, inside the SASL exchange, that it knows the
 * password: SCRAM's server signature (RFC 5802 §3, RFC 7677).  SMTP has no
 * "additional data with success" (RFC 4954 §4), so the signature must
 * come in a 334 before the 235. */
enum auth_proof {
	AUTH_PROOF_NA,      /* no AUTH ran, or the mechanism has no server proof */
	AUTH_PROOF_YES,     /* the signature came and verified */
	AUTH_PROOF_MISSING, /* the exchange ended without the signature */
	AUTH_PROOF_BAD      /* a signature came and was wrong */
};

struct finding {
	enum finding_id id;
	enum sev sev;
	int step;                    /* index into steps, or -1 */
	char msg[320];               /* one line, may quote server text (escape it to show) */
	int line;                    /* the reply line of step that shows it, or -1 */
	const struct advice *advice; /* the identified server's setting for it, or NULL */
	int ignored;                 /* accepted with --ignore: shown, not counted */
};

/* What an --mx lookup gave for one report. */
enum mx_outcome {
	MXO_NONE = 0, /* the target was not found through --mx */
	MXO_HOST,     /* one of the domain's MX hosts, probed */
	MXO_IMPLICIT, /* no MX records: the domain's own address, probed */
	MXO_NULL,     /* a null MX (RFC 7505): nothing probed */
	MXO_NXDOMAIN, /* no such domain: nothing probed */
	MXO_FAILED,   /* the lookup failed (mx_error): nothing probed */
	MXO_LITERAL   /* the MX names an address (mx_error), not a host: not probed */
};

/* A problem found in a planned command before it was sent. */
struct held_issue {
	int step; /* the held (or --force'd) step */
	struct param_issue iss;
};

/* What --check-starttls-injection found. */
enum injection_result {
	INJ_NOT_RUN = 0,
	INJ_CLEAN,       /* the first reply inside TLS answered EHLO */
	INJ_VULNERABLE,  /* it answered the NOOP sent in clear */
	INJ_INCONCLUSIVE /* the test could not be made (see injection_why) */
};

enum injection_why {
	INJW_NONE = 0,
	INJW_NO_PIPELINING, /* the server does not advertise PIPELINING */
	INJW_DROPPED        /* the server refused or dropped the pipelined pair */
};

/* --all-addresses: this record is one address of a host whose every
 * address was probed (src/fleet.c), compared with the host's first
 * address that greeted, the reference (judge_addresses). */
enum addr_diff {
	ADDR_DIFF_REACH = 1, /* no greeting here, while the reference greeted */
	ADDR_DIFF_CERT = 2,  /* another certificate than the reference's */
	ADDR_DIFF_BANNER = 4 /* another name in the greeting than the reference's */
};

struct addr_group {
	size_t index;      /* 1..count, in DNS order (AAAA first); 0: not one of several */
	size_t count;      /* the host's addresses probed */
	size_t not_probed; /* more addresses past BOUND_HOST_ADDRS */
	char addr[64];     /* this record's address (even when it could not be tried) */
	int family;
	enum sev host_verdict; /* the worst verdict of the host's addresses */
	unsigned diff;         /* enum addr_diff bits */
	char ref_addr[64];     /* the reference address, "" when none greeted */
	int ref_family;
	char ref_banner[BOUND_NAME + 1];
	char ref_cert[65]; /* the reference's certificate SHA-256, "" when none */
};

/* The first attempt of a probe that was rate-limited and made again
 * (--retry-after): what it reached and what the server said. */
struct retry_fact {
	int retried;               /* 1: the record is the second attempt; the rest is set */
	char addr[64];             /* the address the first attempt was connected to, or "" */
	enum smtp_cmd cmd;         /* the command the rate-limited reply answered */
	char sent[BOUND_LINE_RFC]; /* that command as sent ("" for the greeting) */
	int code;
	char enh[16];
	char text[BOUND_LINE_RFC]; /* the reply's first line (untrusted: escape it to show) */
	int64_t ms;                /* the first attempt's time */
	int64_t waited_ms;         /* the wait before the second attempt */
};

struct report {
	struct target target;
	enum tls_mode tls_mode; /* as resolved for this target (auto made concrete on 465) */
	char ehlo_name[BOUND_NAME + 16];
	struct net_result net;
	enum proxyproto_version proxy;   /* the PROXY header sent first, or none */
	char proxy_line[PROXYPROTO_MAX]; /* what it said, as v1 says it, without CRLF */
	size_t proxy_bytes;              /* its length on the wire */

	struct step steps[BOUND_STEPS];
	size_t nsteps;

	int tls_done; /* a handshake completed */
	int tls_attempted;
	struct tls_info tls;

	int have_caps_plain, have_caps_tls;
	struct ehlo caps_plain; /* EHLO before TLS (kept for the record only after TLS) */
	struct ehlo caps_tls;   /* EHLO after TLS */
	int used_helo;
	int lmtp; /* --protocol lmtp: LHLO, not EHLO (RFC 2033 §4.1) */

	struct held_issue held[BOUND_HELD_ISSUES];
	size_t nheld;

	char auth_mech[32];         /* the SASL mechanism used, "" when none */
	struct fault auth_fault;    /* the client's side of SASL failed (bad challenge...) */
	int auth_fault_step;        /* the step whose challenge it refused, or -1 */
	enum auth_proof auth_proof; /* did the server prove it knows the password */
	char auth_binding[16];      /* the TLS channel binding a -PLUS mechanism sent
	                             * ("tls-exporter", "tls-unique"), "" when none */

	enum injection_result injection;
	enum injection_why injection_why;
	int injection_step;           /* the step that showed it, or -1 */
	char injection_evidence[160]; /* INJW_DROPPED: what the first connection got */

	struct mxpolicy pol; /* DANE, MTA-STS, TLS-RPT facts (mxpolicy.h) */

	struct fault internal; /* smtprobe's own failure, FAULT_NONE if none */

	struct finding findings[BOUND_FINDINGS];
	size_t nfindings;
	size_t findings_dropped;

	char server_name[BOUND_NAME + 1]; /* first word of the 220 greeting (untrusted) */
	const char *software;             /* the server software the judge identified, or NULL */
	enum mx_outcome mx_outcome;       /* what the --mx lookup gave for this target */
	char mx_error[256];               /* MXO_FAILED: why; MXO_LITERAL: the address */
	char mx_domain[BOUND_NAME + 1];   /* the --mx domain this target came from, or "" */
	int mx_pref;                      /* its MX preference (-1: implicit MX) */
	int64_t mx_ms;                    /* how long the MX lookup of mx_domain took */
	int64_t total_ms;
	enum sev verdict;

	struct retry_fact retry;  /* --retry-after: the first attempt, when there were two */
	struct addr_group group;  /* --all-addresses: which of the host's addresses */
	struct report *next_addr; /* the host's next address's record (owned by src/fleet.c) */
	/* mx_domain in Unicode when internationalised, or "" */
	char mx_domain_u[BOUND_NAME + 1];
	size_t reused_of; /* 0, or the input position (from 1) of the identical
	                   * target whose probe this record repeats: not probed again */
};

void report_init(struct report *r);
void report_free(struct report *r);

/* Append a step; NULL when BOUND_STEPS is reached. */
struct step *report_add_step(struct report *r, enum step_kind kind, enum smtp_cmd cmd);

/* Record smtprobe's own failure (the first one is kept). */
void report_internal(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record an issue found in step before sending it; counted past the bound. */
void report_hold(struct report *r, int step, const struct param_issue *iss);

/* Record a finding with its default severity (report_add) or with the
 * severity given (report_add_sev).  step is the index of the step it
 * concerns, or -1.  Past BOUND_FINDINGS findings are counted, not kept. */
void report_add(struct report *r, enum finding_id id, int step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void report_add_sev(struct report *r, enum finding_id id, enum sev sev, int step, const char *fmt,
    ...) __attribute__((format(printf, 5, 6)));

/* The reply line (of its step) that is the evidence of the finding just
 * added; without it the renderers quote the reply's first lines. */
void report_evidence(struct report *r, int line);

/* Non-zero when a finding with this id is recorded. */
int report_has(const struct report *r, enum finding_id id);

/* Compute r->verdict from the findings. */
void report_finish(struct report *r);

/* Non-zero when the handshake negotiated a protocol below TLS 1.2
 * (RFC 8996 deprecates TLS 1.0 and 1.1). */
int report_tls_old(const struct report *r);

/* The capabilities in force: after TLS when there was TLS, else before. */
const struct ehlo *report_caps(const struct report *r);

/* Per-label totals for perfdata and metrics: the time spent in each kind
 * of step (both EHLOs count as "ehlo", every AUTH round as "auth"), and
 * the reply code that decided it (the last one; for RCPT the highest). */
enum report_label {
	LABEL_CONNECT,
	LABEL_BANNER,
	LABEL_EHLO,
	LABEL_STARTTLS,
	LABEL_TLS,
	LABEL_AUTH,
	LABEL_MAIL,
	LABEL_RCPT,
	LABEL_VRFY,
	LABEL_COUNT
};

struct report_timing {
	int present; /* a step of this kind ran */
	int64_t ms;
	int code; /* 0 when no reply */
};

void report_timings(const struct report *r, struct report_timing t[LABEL_COUNT]);

/* Round trips the probe took: TCP connect 1, the greeting 0.5, each
 * command or pipelined group 1, a TLS 1.3 handshake 1 (TLS 1.2: 2). */
double report_round_trips(const struct report *r);

/* A label's name: "connect", "banner", ... (from the step-name table). */
const char *report_label_name(enum report_label l);

/* The step's short name, for every format: "connect", "banner", "ehlo",
 * "tls", ...; a command without one has the catalogue's name. */
const char *report_step_name(const struct step *st);

/* Name of a TLS mode ("auto", "starttls", "implicit", "none"). */
const char *report_tls_mode_name(enum tls_mode m);

/* The address the probe tested: the one it connected to, else the last
 * one it tried (not one skipped as not tried); NULL when it tried none. */
const struct net_attempt *report_address(const struct report *r);

/* "ipv4" or "ipv6", for machine formats. */
const char *report_family_name(int family);

/* Index of a step in r->steps. */
int report_step_index(const struct report *r, const struct step *s);

#endif
