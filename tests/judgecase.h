/* judgecase.h - recorded transcripts as test cases for the judge.
 *
 * A case file (tests/data/judge/NAME.cases) holds cases separated by
 * blank lines.  Each case is a recorded probe, written the way the text
 * transcript reads, and the exact findings the judge must raise for it:
 *
 *   case: Postfix refuses an unknown local recipient
 *   source: postfix src/smtpd/smtpd.c, "User unknown in local recipient table"
 *   opts: tls=none
 *   S: 220 mx.example.org ESMTP Postfix
 *   C: EHLO probe.example
 *   S: 250-mx.example.org
 *   S: 250 PIPELINING
 *   ...
 *   expect: rcpt-rejected CRITICAL ~ User unknown
 *   verdict: CRITICAL
 *
 * Lines (a case is one record; the first "S:" lines before any "C:" are
 * the greeting; a connect step that succeeded comes first unless a
 * "connect:" line says otherwise):
 *   case: NAME             source: WHERE THE REPLY TEXTS COME FROM (required)
 *   opts: WORDS            tls=auto|starttls|implicit|none require-tls insecure force lmtp
 *                          auth=MECH user=NAME warn=DAYS crit=DAYS timeout=SECONDS
 *   connect: refused|resolve MESSAGE     the connect step failed
 *   connect: none          nothing was probed (no steps at all)
 *   S: LINE                a reply line (CRLF); "S~ LINE" ends it in a bare LF
 *   C: LINE                a command step; its command is the first word (a line
 *                          sent in an AUTH exchange after a 334 is AUTH)
 *   P: LINE                like C:, sent pipelined with the step before it
 *   H: LINE                a step held back (state held)
 *   K: WHY LINE            a step skipped: no-tls unverified auth-not-offered
 *                          no-common-mech mail-refused mail-held too-long
 *   N: LINE                a step not reached (the session ended at the last step
 *                          recorded before the first N:)
 *   T: PROTO verified|unverified [days=N] [weak-key] [weak-sig] [not-yet-valid] [| REASON]
 *                          a completed TLS handshake; "T: fail MESSAGE" and
 *                          "T: timeout MESSAGE" one that failed
 *   X: CLASS MESSAGE       the last step broke off: timeout closed protocol tls internal
 *                          (before any S: line, the greeting broke off with no line)
 *   raw: TEXT              bytes that broke its reply (kept as the reply parser does)
 *   partial: N             bytes of an unfinished line when it broke off
 *   injected: N            bytes after a STARTTLS 220
 *   issue: FINDING-ID MESSAGE    an issue found before sending the last step
 *   auth-mech: MECH        the mechanism used     auth-fault: MESSAGE  SASL refused a challenge
 *   auth-proof: yes|missing|wrong|na   SCRAM's server signature: verified, never
 *                          came, wrong; na for mechanisms without one
 *   injection: clean|vulnerable|no-pipelining|dropped
 *   internal: MESSAGE      smtprobe's own failure
 *   mx: OUTCOME DOMAIN PREF [TEXT]   what --mx gave: host implicit null nxdomain
 *                          failed (TEXT: why) literal (TEXT: the address)
 * Policy facts (report.pol, mxpolicy.h), each as the probe would record it:
 *   level: default|may|encrypt|dane|dane-only|verify|secure    --tls-policy
 *   dane: STATE [mx=SEC] [addr=SEC] [tlsa=SEC] [| TEXT]   STATE: not-secure none
 *                          lookup-failed unusable no-tls matched no-match; SEC
 *                          (default secure): secure insecure bogus failed; TEXT:
 *                          the error, and the reason of each bogus or failed lookup
 *   tlsa: U S M HEX VERDICT [matched [depth=N]] [| SUBJECT]   one TLSA record and
 *                          its verdict (usable pkix-usage unknown-usage ...); the
 *                          one that matched, at depth N, certificate SUBJECT
 *   sts-txt: valid ID | invalid TEXT [| WHY] | multiple N | none | failed|bogus [| WHY]
 *   sts-fetch: RESULT [status=N] [| DETAIL]   RESULT as sts_fetch_id() names it
 *   sts-policy: MODE max_age=N mx=PATTERN[,PATTERN] [match=INDEX] | invalid [| WHY]
 *                          (no match=: this host matches no pattern)
 *   tlsrpt: valid URI[,URI] | invalid [| WHY] | multiple N | none | failed|bogus [| WHY]
 *                          The MTA-STS domain is the mx: line's, else example.org.
 *   expect: FINDING-ID SEVERITY [~ TEXT]   one per finding, in order; TEXT must
 *                          occur in the finding's message
 *   verdict: OK|WARNING|CRITICAL|UNKNOWN
 * "#" starts a comment line.
 */
#ifndef SMTPROBE_JUDGECASE_H
#define SMTPROBE_JUDGECASE_H

#include <stddef.h>

#include "finding.h"
#include "judge.h"
#include "report.h"

#define JC_MAX_EXPECT 16

struct jc_expect {
	enum finding_id id;
	enum sev sev;
	char needle[200];
};

struct judge_case {
	char name[160];
	char source[400];
	char file[64];
	int line;   /* where the case starts */
	char *text; /* the case's own lines, for building */
	struct jc_expect expect[JC_MAX_EXPECT];
	size_t nexpect;
	enum sev verdict;
	int have_verdict;
};

/* Read every case of file into *cases (grown); returns the number read,
 * or -1 with a message in err. */
int jc_load(const char *path, struct judge_case **cases, size_t *n, char *err, size_t errsize);

/* Build the record and the judge's options of a case.  0, or -1 with a
 * message in err (a malformed case). */
int jc_build(
    const struct judge_case *c, struct report *r, struct judge_opts *o, char *err, size_t errsize);

void jc_free(struct judge_case *cases, size_t n);

#endif
