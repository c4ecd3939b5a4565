/* judge.h - the diagnosis: a finished record in, findings out.
 *
 * Pure: no I/O, no clock, no globals.  The probe records what happened
 * (every step with its state, every reply, TLS facts, what was held back
 * and why); the judge is the one place where that is turned into
 * findings and worded.  It reads the command, the basic code, the
 * enhanced code and the reply text of each step, never the code alone.
 * Tested from tables of recorded replies (tests/check_judge.c).
 */
#ifndef SMTPROBE_JUDGE_H
#define SMTPROBE_JUDGE_H

#include "report.h"

/* What the user asked for that changes a diagnosis. */
struct judge_opts {
	int require_tls;    /* no TLS at all is CRITICAL */
	int insecure;       /* --insecure: an unverified certificate is information */
	int force;          /* --force: flagged steps were sent anyway */
	int step_timeout_s; /* for the words of a timeout */
	int cert_warn_days;
	int cert_crit_days;
	const char *auth; /* --auth as given, or NULL */
	const char *user; /* --user, or NULL */
};

/* The words of an issue found before sending (judge_params.c): what it
 * is, the answer to expect, and the fix; out holds JUDGE_PARAM_WORDS. */
#define JUDGE_PARAM_WORDS 300
void judge_param_words(const struct param_issue *iss, char *out, size_t size);

/* Replace r's findings with those its record calls for, then compute the
 * verdict (report_finish).  Calling it twice gives the same findings. */
void judge_report(struct report *r, const struct judge_opts *o);

/* The findings of the TLS policy facts (r->pol: DANE, MTA-STS, TLS-RPT)
 * at the level r->pol.level; judge_report calls it (judge_policy.c). */
void judge_policy(struct report *r);

/* Does a sender at r->pol.level authenticate this server by DANE (a usable
 * TLSA record matched, and the level applies DANE)? */
int judge_dane_authenticates(const struct report *r);

/* The protocol a line that is not SMTP looks like ("SSH", "HTTP",
 * "POP3", "IMAP"), or NULL. */
const char *judge_other_protocol(const char *line, size_t len);

/* Does this reply say that the server limits the client's connections
 * or rate?  A 4yz (421 included) whose words say so ("too many
 * connections", "rate limit", "server busy"...), Gmail's 4.7.28, or a
 * 421 4.7.0 asking to try again later.  The probe asks it to decide on a
 * second attempt; the judge, to word the rate-limited finding. */
int judge_rate_limited(const struct reply *rp);

/* --all-addresses: compare the records of one host's n addresses (in DNS
 * order) with the first one that greeted, and record in each one's group
 * how it differs (enum addr_diff); judge_report words it.  Pure. */
void judge_addresses(struct report *const *reps, size_t n);

/* Does a 220 greeting's text name an FTP server (and not SMTP)? */
int judge_greets_like_ftp(const char *text, size_t len);

#endif
