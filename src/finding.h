/* finding.h - the catalogue of findings: a stable id, a default severity
 * and three short texts (what the finding means, why it matters, how to
 * fix it), keyed by enum so that no entry can be missing or mis-keyed
 * (tests/check_catalog.c proves it).  The texts are true for any server:
 * a server's own setting comes from advice.h.
 */
#ifndef SMTPROBE_FINDING_H
#define SMTPROBE_FINDING_H

/* Severities share their numbers with the exit status. */
enum sev {
	SEV_OK = 0,
	SEV_WARNING = 1,
	SEV_CRITICAL = 2,
	SEV_UNKNOWN = 3,
	SEV_INFO = 4 /* reported, does not change the verdict */
};

enum finding_id {
	F_RESOLVE_FAILED,
	F_CONNECT_FAILED,
	F_TIMEOUT,
	F_CONNECTION_CLOSED,
	F_BANNER_REJECTED,
	F_REPLY_MALFORMED,
	F_REPLY_LINE_LONG,
	F_REPLY_TOO_LARGE,
	F_REPLY_BARE_LF,
	F_REPLY_CODE_MISMATCH,
	F_REPLY_CONTROL_BYTES,
	F_REPLY_ENHANCED_MISMATCH,
	F_REPLY_NONSTANDARD_CODE,
	F_SERVICE_CLOSING,
	F_RATE_LIMITED,
	F_EHLO_REFUSED,
	F_EHLO_FAILED,
	F_EHLO_SYNTAX,
	F_NOT_LMTP,
	F_STARTTLS_NOT_OFFERED,
	F_STARTTLS_REFUSED,
	F_STARTTLS_INJECTION,
	F_TLS_HANDSHAKE_FAILED,
	F_TLS_VERIFY_FAILED,
	F_TLS_UNVERIFIED,
	F_TLS_OLD_PROTOCOL,
	F_TLS_WEAK_KEY,
	F_TLS_WEAK_SIGNATURE,
	F_TLS_WEAK_DH,
	F_STARTTLS_INJECTION_VULNERABLE,
	F_STARTTLS_INJECTION_TESTED,
	F_CERT_EXPIRES_SOON,
	F_CERT_EXPIRED,
	F_CERT_NOT_YET_VALID,
	F_STARTTLS_INJECTION_INCONCLUSIVE,
	F_QUIT_UNANSWERED,
	F_PARAM_NOT_ADVERTISED,
	F_PARAM_UNKNOWN,
	F_PARAM_ACCEPTED,
	F_PARAM_BAD_VALUE,
	F_SIZE_OVER_LIMIT,
	F_SMTPUTF8_REQUIRED,
	F_AUTH_NOT_OFFERED,
	F_AUTH_MECH_NOT_ADVERTISED,
	F_AUTH_BEFORE_TLS,
	F_AUTH_PLAINTEXT_REFUSED,
	F_AUTH_SKIPPED,
	F_AUTH_FAILED,
	F_AUTH_SERVER_UNPROVEN,
	F_MAIL_REJECTED,
	F_RCPT_REJECTED,
	F_VRFY_ENUMERATION,
	F_EXPN_EXPOSED,
	F_STEP_SKIPPED,
	F_TIME_THRESHOLD,
	F_CAPABILITY_MISSING,
	F_BANNER_UNEXPECTED,
	F_NULL_MX,
	F_ADDRESSES_DISAGREE,
	F_MX_FALLBACK,
	F_MX_ADDRESS_LITERAL,
	F_DNSSEC_BOGUS,
	F_DNSSEC_UNCHECKED,
	F_DANE_VALID,
	F_DANE_MISMATCH,
	F_DANE_LOOKUP_FAILED,
	F_DANE_NO_TLS,
	F_DANE_UNUSABLE,
	F_DANE_ROLLOVER,
	F_DANE_NOT_SECURE,
	F_MTA_STS_TXT_INVALID,
	F_MTA_STS_FETCH_FAILED,
	F_MTA_STS_ID_WITHOUT_POLICY,
	F_MTA_STS_POLICY_INVALID,
	F_MTA_STS_MX_NOT_LISTED,
	F_MTA_STS_CERT_INVALID,
	F_MTA_STS_VALID,
	F_TLS_RPT_MISSING,
	F_TLS_RPT_INVALID,
	F_TLS_POLICY_UNMET,
	F_INTERNAL,
	F_COUNT
};

struct finding_def {
	const char *id;      /* stable, lower-case, hyphenated: for --ignore and JSON */
	enum sev sev;        /* default severity */
	const char *meaning; /* what it means (one sentence) */
	const char *why;     /* why it matters */
	const char *fix;     /* how to fix it, on any server */
};

const struct finding_def *finding_def(enum finding_id id);

/* The finding with this stable id; 0, or -1 when there is none. */
int finding_by_name(const char *name, enum finding_id *id);

/* The id closest to name (a typo, a missing or extra letter, a word
 * left out), or NULL when none is close.  For "did you mean". */
const char *finding_suggest(const char *name);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN", "INFO" */
const char *sev_name(enum sev s);

/* The worse of two severities for the verdict (INFO counts as OK). */
enum sev sev_worst(enum sev a, enum sev b);

#endif
