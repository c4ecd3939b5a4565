/* judge.c - the record of a probe turned into findings.  See judge.h. */
#include <config.h>

#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "advice.h"
#include "i18n.h"
#include "judge.h"
#include "sasl_data.h"
#include "srvreply.h"

/* The first line of a step's reply, raw ("" if none); the renderers
 * escape it. */
static const char *
judge_first_line(const struct step *st)
{
	return st->reply.nlines > 0 ? st->reply.lines[0].text : "";
}

/* How a step is named in a finding. */
static const char *
judge_what(const struct step *st)
{
	return st->cmd == SMTP_GREETING ? _("the greeting") : st->sent;
}

/* Does the text of any line of st's reply contain needle (ASCII case
 * ignored)? */
static int
judge_text_has(const struct step *st, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t k = 0; k < st->reply.nlines; k++) {
		size_t len;
		const char *t = reply_text(&st->reply, k, &len);

		for (size_t i = 0; i + nl <= len; i++) {
			if (strncasecmp(t + i, needle, nl) == 0) {
				return 1;
			}
		}
	}
	return 0;
}

/* Does any line of rp contain needle (ASCII case ignored)? */
static int
judge_reply_has(const struct reply *rp, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t k = 0; k < rp->nlines; k++) {
		size_t len;
		const char *t = reply_text(rp, k, &len);

		for (size_t i = 0; i + nl <= len; i++) {
			if (strncasecmp(t + i, needle, nl) == 0) {
				return 1;
			}
		}
	}
	return 0;
}

int
judge_rate_limited(const struct reply *rp)
{
	/* The words of real servers' limits (data/server-replies.tsv has
	 * each with its source): Postfix "Error: too many connections from"
	 * (421 4.7.0), "too much mail from", "too many recipients from"
	 * (450 4.7.1, anvil's rates); Exim "Too many concurrent SMTP
	 * connections"; Sendmail "Connection rate limit exceeded"; Exchange
	 * "4.3.2 The maximum number of concurrent server connections has
	 * exceeded a per-source limit"; Gmail "4.7.28 ... rate limited",
	 * "unusual rate", "Server busy, try again later"; Exchange Online's
	 * throttling "451 4.7.500 Server busy. Please try again later"
	 * (data/SOURCES.md, issue 16). */
	static const char *const words[] = {
	    "too many connections",
	    "too many concurrent",
	    "too many simultaneous",
	    "concurrent server connections",
	    "connection limit",
	    "rate limit",
	    "rate-limit",
	    "ratelimit",
	    "rate limited",
	    "unusual rate",
	    "too much mail from",
	    "too many recipients from",
	    "server busy",
	};

	if (!rp->complete || rp->code / 100 != 4) {
		return 0;
	}
	if (strcmp(rp->enh, "4.7.28") == 0) {
		return 1;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (judge_reply_has(rp, words[i])) {
			return 1;
		}
	}
	/* Gmail's "421 4.7.0 Try again later, closing connection": the
	 * security class (RFC 3463 X.7) with a request to come back. */
	return rp->code == 421 && strcmp(rp->enh, "4.7.0") == 0 &&
	    judge_reply_has(rp, "try again later");
}

/* The enhanced code's subject and detail ("1.1" of "5.1.1"), or "". */
static const char *
judge_enh_detail(const struct step *st)
{
	return st->reply.enh[0] != '\0' ? st->reply.enh + 2 : "";
}

/* A refused MAIL or RCPT: CRITICAL when permanent, WARNING when not.
 * RFC 5321 §4.5.3.1.10: a 552 for "too many recipients" is RFC 821's
 * mistake for 452, and clients treat it as temporary. */
static enum sev
judge_reject_sev(const struct step *st)
{
	int code = st->reply.code;

	if (code == 552 && st->cmd == SMTP_RCPT &&
	    (judge_text_has(st, "too many recipients") ||
	        strcmp(judge_enh_detail(st), "5.3") == 0)) {
		return SEV_WARNING;
	}
	return code >= 500 ? SEV_CRITICAL : SEV_WARNING;
}

int
judge_greets_like_ftp(const char *text, size_t len)
{
	int ftp = 0, smtp = 0;

	for (size_t i = 0; i + 3 <= len; i++) {
		ftp |= strncasecmp(text + i, "ftp", 3) == 0;
		smtp |= i + 4 <= len && strncasecmp(text + i, "smtp", 4) == 0;
	}
	return ftp && !smtp;
}

const char *
judge_other_protocol(const char *line, size_t len)
{
	static const struct {
		const char *prefix;
		const char *name;
	} known[] = {
	    {"SSH-", "SSH"},
	    {"HTTP/", "HTTP"},
	    {"+OK", "POP3"},
	    {"* OK", "IMAP"},
	    {"* PREAUTH", "IMAP"},
	    {"* BYE", "IMAP"},
	    {"<!DOCTYPE", "HTTP"},
	    {"<html", "HTTP"},
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i].prefix);

		if (len >= n && strncasecmp(line, known[i].prefix, n) == 0) {
			return known[i].name;
		}
	}
	return NULL;
}

/* The first reply line whose text starts with keyword (as a whole word),
 * or -1. */
static int
judge_line_of(const struct step *st, const char *keyword)
{
	size_t kl = strlen(keyword);

	for (size_t k = 1; k < st->reply.nlines; k++) {
		size_t len;
		const char *t = reply_text(&st->reply, k, &len);

		if (len >= kl && strncasecmp(t, keyword, kl) == 0 &&
		    (len == kl || t[kl] == ' ' || t[kl] == '=')) {
			return (int)k;
		}
	}
	return -1;
}

/* The first reply line with a byte the flag is about, or -1. */
static int
judge_line_with(const struct step *st, unsigned flag)
{
	for (size_t k = 0; k < st->reply.nlines; k++) {
		const struct reply_line *l = &st->reply.lines[k];

		for (size_t b = 0; b < l->len; b++) {
			unsigned char c = (unsigned char)l->text[b];

			if ((flag == REPLY_F_NUL && c == '\0') ||
			    (flag == REPLY_F_CTRL &&
			        ((c < 0x20 && c != '\t' && c != '\0') || c == 0x7F))) {
				return (int)k;
			}
		}
		if (flag == REPLY_F_LONG_LINE && l->len + 2 > BOUND_LINE_RFC) {
			return (int)k;
		}
	}
	return -1;
}

/* The findings a reply's flags call for, once per id over the probe. */
static void
judge_flags(struct report *r, const struct step *st, int i)
{
	unsigned fl = st->reply.flags;
	const char *what = judge_what(st);

	if ((fl & REPLY_F_LONG_LINE) && !report_has(r, F_REPLY_LINE_LONG)) {
		size_t longest = st->reply.longest;

		for (size_t k = 0; k < st->reply.nlines; k++) {
			if (st->reply.lines[k].len > longest) {
				longest = st->reply.lines[k].len;
			}
		}
		report_add(r, F_REPLY_LINE_LONG, i,
		    _("reply to %s has a line of %zu octets (RFC limit %d with CRLF)"), what,
		    longest + 2, BOUND_LINE_RFC);
		report_evidence(r, judge_line_with(st, REPLY_F_LONG_LINE));
	}
	if ((fl & REPLY_F_BARE_LF) && !report_has(r, F_REPLY_BARE_LF)) {
		report_add(r, F_REPLY_BARE_LF, i, _("reply to %s ends lines in a bare LF"), what);
	}
	if ((fl & REPLY_F_CODE_MISMATCH) && !report_has(r, F_REPLY_CODE_MISMATCH)) {
		report_add(r, F_REPLY_CODE_MISMATCH, i,
		    _("reply to %s mixes codes across its lines"), what);
	}
	if ((fl & (REPLY_F_NUL | REPLY_F_CTRL)) && !report_has(r, F_REPLY_CONTROL_BYTES)) {
		report_add(r, F_REPLY_CONTROL_BYTES, i, _("reply to %s contains %s"), what,
		    (fl & REPLY_F_NUL) ? _("NUL bytes") : _("control bytes"));
		report_evidence(
		    r, judge_line_with(st, (fl & REPLY_F_NUL) ? REPLY_F_NUL : REPLY_F_CTRL));
	}
	if ((fl & (REPLY_F_ENH_MISMATCH | REPLY_F_ENH_VARIES)) &&
	    !report_has(r, F_REPLY_ENHANCED_MISMATCH)) {
		if (fl & REPLY_F_ENH_VARIES) {
			report_add(r, F_REPLY_ENHANCED_MISMATCH, i,
			    _("reply to %s: %d with enhanced code %s, which differs between lines"),
			    what, st->reply.code, st->reply.enh);
		} else {
			report_add(r, F_REPLY_ENHANCED_MISMATCH, i,
			    _("reply to %s: %d with enhanced code %s"), what, st->reply.code,
			    st->reply.enh);
		}
	}
	if ((fl & REPLY_F_TRUNCATED) && st->reply.dropped_lines > 0 &&
	    !report_has(r, F_REPLY_TOO_LARGE)) {
		report_add(r, F_REPLY_TOO_LARGE, i,
		    _("reply to %s had %zu lines; smtprobe kept the first %zu and read the rest "
		      "only to find its end"),
		    what, st->reply.nlines + st->reply.dropped_lines, st->reply.nlines);
	}
	if ((fl & REPLY_F_NONSTD_CODE) && !report_has(r, F_REPLY_NONSTANDARD_CODE)) {
		report_add(r, F_REPLY_NONSTANDARD_CODE, i, _("reply to %s has code %d"), what,
		    st->reply.code);
	}
}

/* A step that broke off: its fault, worded. */
static void
judge_fault(struct report *r, const struct judge_opts *o, const struct step *st, int i)
{
	const char *what = judge_what(st);
	const char *proto;

	switch (st->fault.cls) {
	case FAULT_TIMEOUT:
		if (st->cmd != SMTP_GREETING) {
			report_add(r, F_TIMEOUT, i, _("no complete reply to %s within %d s"), what,
			    o->step_timeout_s);
		} else if (st->partial > 0) {
			/* Something came: not an implicit-TLS port waiting. */
			report_add(r, F_TIMEOUT, i,
			    _("the greeting began but did not end within %d s (%zu bytes without a "
			      "line end)"),
			    o->step_timeout_s, st->partial);
		} else if (st->reply.nlines > 0) {
			report_add(r, F_TIMEOUT, i,
			    P_("the greeting began but did not end within %2$d s (%1$zu complete "
			       "line, not the last)",
			        "the greeting began but did not end within %2$d s (%1$zu complete "
			        "lines, not the last)",
			        st->reply.nlines),
			    st->reply.nlines, o->step_timeout_s);
		} else if (r->tls_done) {
			report_add(
			    r, F_TIMEOUT, i, _("no greeting within %d s"), o->step_timeout_s);
		} else {
			/* A port that sends nothing at all is often an implicit
			 * TLS port (465 or a custom one) waiting for a ClientHello. */
			report_add(r, F_TIMEOUT, i,
			    _("no greeting within %d s; if this port speaks implicit TLS, use "
			      "--tls implicit"),
			    o->step_timeout_s);
		}
		break;
	case FAULT_CLOSED:
	case FAULT_CONNECT:
		report_add(r, F_CONNECTION_CLOSED, i, _("%s: %s"), what, st->fault.msg);
		break;
	case FAULT_PROTOCOL:
		proto = judge_other_protocol(st->reply.raw, st->reply.rawlen);
		if (proto != NULL && st->reply.nlines == 0) {
			report_add(r, F_REPLY_MALFORMED, i,
			    _("the reply to %s is not SMTP: it looks like %s (%.*s)"), what, proto,
			    (int)st->reply.rawlen, st->reply.raw);
		} else {
			report_add(
			    r, F_REPLY_MALFORMED, i, _("reply to %s: %s"), what, st->fault.msg);
		}
		break;
	case FAULT_TLS:
		report_add(r, F_TLS_HANDSHAKE_FAILED, i, _("%s: %s"), what, st->fault.msg);
		break;
	default:
		report_add(r, F_INTERNAL, i, _("%s: %s"), what, st->fault.msg);
		break;
	}
}

/* One certificate the server sent: its key, signature and dates.  The
 * server's own (depth 0) is "the certificate"; the others are named by
 * their place in the chain and their subject. */
static void
judge_cert(struct report *r, const struct judge_opts *o, int i, const struct tls_cert *c)
{
	const struct tls_info *t = &r->tls;
	char who[240];

	if (c->depth == 0) {
		snprintf(who, sizeof(who), "%s", _("the certificate"));
	} else {
		snprintf(who, sizeof(who), _("certificate %d of the chain (%.160s)"), c->depth,
		    c->subject);
	}
	if (c->weak_key) {
		report_add(r, F_TLS_WEAK_KEY, i, _("%s has a weak key: %s"), who, c->key);
	}
	if (c->weak_sig) {
		report_add(r, F_TLS_WEAK_SIGNATURE, i, _("%s is signed with %s"), who, c->sig_alg);
	}
	if (c->days_left < 0) {
		report_add(r, F_CERT_EXPIRED, i, _("%s expired %lld days ago (%s)"), who,
		    (long long)-c->days_left, c->not_after);
	} else if (c->not_yet_valid) {
		if (c->depth == 0) {
			report_add(r, F_CERT_NOT_YET_VALID, i,
			    _("the certificate is valid only from %s"), t->not_before);
		} else {
			report_add(r, F_CERT_NOT_YET_VALID, i, _("%s is not valid yet"), who);
		}
	} else if (c->days_left < o->cert_crit_days) {
		report_add_sev(r, F_CERT_EXPIRES_SOON, SEV_CRITICAL, i,
		    _("%s expires in %lld days (%s)"), who, (long long)c->days_left, c->not_after);
	} else if (c->days_left < o->cert_warn_days) {
		report_add(r, F_CERT_EXPIRES_SOON, i, _("%s expires in %lld days (%s)"), who,
		    (long long)c->days_left, c->not_after);
	}
}

/* The certificate and the connection, after a completed handshake. */
static void
judge_tls(struct report *r, const struct judge_opts *o, int i)
{
	const struct tls_info *t = &r->tls;

	if (!t->verified) {
		if (!o->insecure && judge_dane_authenticates(r)) {
			/* DANE authenticates the server instead of the CA chain
			 * (RFC 7672 §3.1); clients that verify would refuse it. */
			report_add_sev(r, F_TLS_VERIFY_FAILED, SEV_WARNING, i,
			    _("certificate for %s did not verify: %s; DANE authenticates it"),
			    t->checked_name, t->verify_reason);
		} else if (o->insecure) {
			report_add(r, F_TLS_UNVERIFIED, i,
			    _("certificate not verified (--insecure): %s"), t->verify_reason);
		} else {
			report_add(r, F_TLS_VERIFY_FAILED, i,
			    _("certificate for %s did not verify: %s"), t->checked_name,
			    t->verify_reason);
		}
	}
	if (report_tls_old(r)) {
		report_add(r, F_TLS_OLD_PROTOCOL, i,
		    _("the server negotiated %s; current clients refuse anything below TLS 1.2 "
		      "(RFC 8996)"),
		    t->protocol);
	}
	if (t->weak_dh) {
		report_add(r, F_TLS_WEAK_DH, i,
		    _("the key exchange used a %d-bit Diffie-Hellman group"), t->dh_bits);
	}
	if (!t->have_cert) {
		return;
	}
	/* Every certificate the server sent, judged on its own; the dates
	 * whatever --insecure says: it only lets the probe go on. */
	for (size_t k = 0; k < t->nchain; k++) {
		judge_cert(r, o, i, &t->chain[k]);
	}
}

/* STARTTLS cannot be used: how much that matters depends on what was
 * asked for. */
static void
judge_no_starttls(struct report *r, const struct judge_opts *o, int i, const char *why)
{
	if (r->tls_mode == TLS_MODE_STARTTLS || o->require_tls) {
		report_add_sev(
		    r, F_STARTTLS_NOT_OFFERED, SEV_CRITICAL, i, _("%s, and TLS is required"), why);
	} else if (r->tls_mode == TLS_MODE_AUTO) {
		report_add(r, F_STARTTLS_NOT_OFFERED, i,
		    _("%s: mail to this server travels in clear text"), why);
	}
}

/* A mechanism that sends the password itself, readable to anyone on the
 * path without TLS (RFC 4616 PLAIN; LOGIN). */
static int
judge_mech_reveals(const char *mech)
{
	return strcasecmp(mech, "PLAIN") == 0 || strcasecmp(mech, "LOGIN") == 0;
}

/* "A B C", bounded. */
static void
judge_mech_list(const struct ehlo *caps, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t k = 0; k < caps->nauth; k++) {
		size_t len = strlen(out);

		if (len + 1 >= size) {
			break;
		}
		snprintf(out + len, size - len, "%s%s", k ? " " : "", caps->auth[k]);
	}
}

/* LMTP's LHLO (RFC 2033 §4.1) refused.  500 or 502 is what an SMTP
 * server says to a command it does not know or does not offer (RFC 5321
 * §4.2.3, §4.2.4): the classic sign that the target speaks SMTP, not
 * LMTP.  There is no HELO to fall back to. */
static void
judge_lhlo(struct report *r, const struct step *st, int i)
{
	int code = st->reply.code;

	if ((code == 500 || code == 502) && !st->over_tls) {
		report_add(r, F_NOT_LMTP, i,
		    _("the server does not understand LHLO (%d): it is not an LMTP server"), code);
		report_evidence(r, 0);
	} else if (code == 500 || code == 502) {
		report_add(
		    r, F_EHLO_FAILED, i, _("LHLO refused after TLS: %s"), judge_first_line(st));
	} else if (code != 250) {
		report_add(r, F_EHLO_FAILED, i, _("LHLO answered: %s"), judge_first_line(st));
	}
}

static void
judge_ehlo(struct report *r, const struct judge_opts *o, const struct step *st, int i)
{
	const struct ehlo *caps;
	int code = st->reply.code;

	if (st->cmd == SMTP_LHLO) {
		judge_lhlo(r, st, i);
		if (code != 250) {
			return;
		}
	} else if (code == 500 || code == 502) {
		if (st->over_tls) {
			report_add(r, F_EHLO_FAILED, i, _("EHLO refused after TLS: %s"),
			    judge_first_line(st));
		} else {
			report_add(r, F_EHLO_REFUSED, i,
			    _("EHLO answered %d; falling back to HELO"), code);
		}
		return;
	}
	if (code != 250) {
		report_add(r, F_EHLO_FAILED, i, _("EHLO answered: %s"), judge_first_line(st));
		return;
	}
	if (st->over_tls ? !r->have_caps_tls : !r->have_caps_plain) {
		return;
	}
	caps = st->over_tls ? &r->caps_tls : &r->caps_plain;
	if ((caps->flags &
	        (EHLO_F_BAD_KEYWORD | EHLO_F_DUP_KEYWORD | EHLO_F_BAD_SIZE | EHLO_F_EMPTY_LINE |
	            EHLO_F_BAD_MECH | EHLO_F_MANY_MECHS)) &&
	    !report_has(r, F_EHLO_SYNTAX)) {
		report_add(r, F_EHLO_SYNTAX, i,
		    st->cmd == SMTP_LHLO ? _("LHLO reply has %s") : _("EHLO reply has %s"),
		    (caps->flags & EHLO_F_BAD_KEYWORD)       ? _("an invalid keyword")
		        : (caps->flags & EHLO_F_DUP_KEYWORD) ? _("a repeated keyword")
		        : (caps->flags & EHLO_F_BAD_SIZE)    ? _("a SIZE that is not a number")
		        : (caps->flags & EHLO_F_BAD_MECH)    ? _("an invalid AUTH mechanism name")
		        : (caps->flags & EHLO_F_EMPTY_LINE)
		        ? _("an empty capability line")
		        : _("more AUTH mechanisms than smtprobe keeps (the first ones were kept)"));
	}
	if (!st->over_tls && caps->nauth > 0) {
		char list[256];
		int reveals = 0;

		for (size_t k = 0; k < caps->nauth; k++) {
			reveals |= judge_mech_reveals(caps->auth[k]);
		}
		judge_mech_list(caps, list, sizeof(list));
		if (reveals) {
			report_add(r, F_AUTH_BEFORE_TLS, i,
			    _("the server offers AUTH (%s) before TLS, with mechanisms that send "
			      "the password itself"),
			    list);
		} else {
			/* Challenge-response keeps the password off the wire,
			 * though an eavesdropper may still guess it offline. */
			report_add_sev(r, F_AUTH_BEFORE_TLS, SEV_INFO, i,
			    _("the server offers AUTH (%s) before TLS, but only challenge-response "
			      "mechanisms, which do not send the password itself"),
			    list);
		}
		report_evidence(r,
		    judge_line_of(st, "AUTH") >= 0 ? judge_line_of(st, "AUTH")
		                                   : judge_line_of(st, "AUTH="));
	}
	if (!st->over_tls && r->tls_mode != TLS_MODE_NONE && ehlo_find(caps, "STARTTLS") == NULL) {
		judge_no_starttls(r, o, i, _("the server does not offer STARTTLS"));
	}
}

/* The step whose outcome ended the session, named for a finding. */
static void
judge_cause(const struct report *r, int cause, char *out, size_t size)
{
	const struct step *st;

	if (cause < 0 || (size_t)cause >= r->nsteps) {
		snprintf(out, size, "%s", _("the session ended early"));
		return;
	}
	st = &r->steps[cause];
	if (st->kind == STEP_CONNECT) {
		snprintf(out, size, "%s", _("no connection was made"));
	} else if (st->kind == STEP_TLS) {
		snprintf(out, size, "%s", _("the TLS handshake failed"));
	} else if (st->fault.cls != FAULT_NONE) {
		snprintf(out, size, _("%s got no usable reply"), judge_what(st));
	} else {
		snprintf(out, size, _("%s answered %s"), judge_what(st), judge_first_line(st));
	}
}

/* Steps that did not go out for a reason of their own. */
static void
judge_skipped(struct report *r, const struct step *st, int i)
{
	const struct ehlo *caps = report_caps(r);
	char list[256] = "";

	switch (st->why) {
	case WHY_NO_TLS:
		report_add(r, F_AUTH_PLAINTEXT_REFUSED, i,
		    _("no TLS on this connection, so AUTH was not attempted "
		      "(--allow-plaintext-auth overrides)"));
		break;
	case WHY_UNVERIFIED:
		report_add(r, F_AUTH_SKIPPED, i,
		    _("AUTH not attempted: the certificate did not verify (%s); --insecure with "
		      "--auth-insecure sends the credentials anyway"),
		    r->tls.verify_reason);
		break;
	case WHY_WEAK_DH:
		report_add(r, F_AUTH_SKIPPED, i,
		    _("AUTH not attempted: the key exchange used a %d-bit Diffie-Hellman group "
		      "(tls-weak-dh)"),
		    r->tls.dh_bits);
		break;
	case WHY_AUTH_NOT_OFFERED:
		if (!r->tls_done && caps != NULL && ehlo_find(caps, "STARTTLS") != NULL) {
			/* AUTH only after STARTTLS is what a server should do. */
			report_add_sev(r, F_AUTH_NOT_OFFERED, SEV_INFO, i,
			    _("the server offers AUTH only after STARTTLS, as it should; AUTH was "
			      "not sent without TLS"));
		} else if (r->tls_done) {
			report_add(r, F_AUTH_NOT_OFFERED, i,
			    _("the server advertises no AUTH after TLS; AUTH was not sent"));
		} else {
			report_add(r, F_AUTH_NOT_OFFERED, i,
			    _("the server advertises no AUTH; AUTH was not sent"));
		}
		break;
	case WHY_NO_BINDING:
		report_add(r, F_AUTH_SKIPPED, i,
		    _("AUTH not attempted: %s binds to the TLS channel, and this connection has no "
		      "channel binding (TLS 1.3, or TLS 1.2 with extended master secret)"),
		    st->sent + 5);
		break;
	case WHY_OLD_TLS:
		report_add(r, F_AUTH_SKIPPED, i,
		    _("AUTH not attempted: the connection uses %s, below TLS 1.2 (RFC 8996); "
		      "--auth-insecure sends credentials anyway"),
		    r->tls.protocol);
		break;
	case WHY_NAME_FROM_DNS:
		report_add(r, F_AUTH_SKIPPED, i,
		    _("AUTH not attempted: the certificate was checked against %s, a name taken "
		      "from an MX lookup that nothing authenticates; name the server with "
		      "--tls-name to send credentials"),
		    r->tls.checked_name[0] ? r->tls.checked_name : r->target.host);
		break;
	case WHY_NO_COMMON_MECH:
		if (caps != NULL) {
			judge_mech_list(caps, list, sizeof(list));
		}
		report_add(r, F_AUTH_MECH_NOT_ADVERTISED, i,
		    _("no mechanism in common: the server offers %s, smtprobe supports %s"), list,
		    sasl_mechs_list);
		break;
	case WHY_TOO_LONG:
		report_add(r, F_INTERNAL, i, _("%s line longer than %zu octets"),
		    st->cmd == SMTP_MAIL ? "MAIL FROM" : "RCPT TO", (size_t)BOUND_LINE_RFC - 2);
		break;
	default:
		break; /* RCPTs after a MAIL that did not go through: counted below */
	}
}

/* AUTH with a mechanism the server does not list: held back, or sent
 * with --force. */
static void
judge_auth_unlisted(struct report *r, const struct step *st, int i)
{
	const struct ehlo *caps = report_caps(r);
	const char *mech = st->sent + 5; /* after "AUTH " */
	char list[256] = "";

	if (caps != NULL) {
		judge_mech_list(caps, list, sizeof(list));
	}
	if (st->state == STATE_HELD) {
		report_add(r, F_AUTH_MECH_NOT_ADVERTISED, i,
		    _("AUTH %s is not among the server's mechanisms (%s); RFC 4954 has the server "
		      "answer 504. Fix: use one of those, or --auth auto."),
		    mech, list);
	} else {
		report_add(r, F_AUTH_MECH_NOT_ADVERTISED, i,
		    _("AUTH %s is not among the server's mechanisms (%s); sent anyway (--force)"),
		    r->auth_mech, list);
	}
}

/* The outcome of AUTH: the last AUTH step that went out decides. */
static void
judge_auth(struct report *r, const struct judge_opts *o)
{
	const struct step *last = NULL;
	const struct ehlo *caps = report_caps(r);
	int first = -1;

	for (size_t i = 0; i < r->nsteps; i++) {
		if (r->steps[i].cmd == SMTP_AUTH && r->steps[i].state == STATE_SENT) {
			last = &r->steps[i];
			first = first < 0 ? (int)i : first;
		}
	}
	if (last == NULL) {
		return;
	}
	if (o->force && caps != NULL && caps->nauth > 0 && !ehlo_has_auth(caps, r->auth_mech)) {
		judge_auth_unlisted(r, &r->steps[first], first);
	}
	/* SCRAM's server signature was wrong: the server does not know the
	 * password (RFC 5802 §3). */
	if (r->auth_fault.cls != FAULT_NONE) {
		report_add(r,
		    r->auth_proof == AUTH_PROOF_BAD ? F_AUTH_SERVER_UNPROVEN : F_AUTH_FAILED,
		    r->auth_fault_step, _("AUTH %s: %s"), r->auth_mech, r->auth_fault.msg);
		return;
	}
	/* A 235 before the signature came: SMTP carries no data with 235
	 * (RFC 4954 §4), so the server never proved itself. */
	if (last->fault.cls == FAULT_NONE && last->reply.code == 235 &&
	    r->auth_proof == AUTH_PROOF_MISSING) {
		report_add(r, F_AUTH_SERVER_UNPROVEN, report_step_index(r, last),
		    _("AUTH %s: the server answered 235 without proving that it knows the password "
		      "(no server signature)"),
		    r->auth_mech);
		return;
	}
	if (last->fault.cls != FAULT_NONE || last->reply.code == 235 || last->reply.code == 421 ||
	    judge_rate_limited(&last->reply)) {
		return;
	}
	/* A 4yz is temporary (a back end down, too many attempts). */
	report_add_sev(r, F_AUTH_FAILED, last->reply.code / 100 == 4 ? SEV_WARNING : SEV_CRITICAL,
	    report_step_index(r, last), _("AUTH %s as %s: %s"), r->auth_mech,
	    o->user ? o->user : "", judge_first_line(last));
}

/* The MAIL step that a RCPT belongs to, or NULL. */
static const struct step *
judge_mail_of(const struct report *r, size_t i)
{
	while (i-- > 0) {
		if (r->steps[i].cmd == SMTP_MAIL) {
			return &r->steps[i];
		}
	}
	return NULL;
}

/* Issues found before sending: held back, or sent with --force and set
 * against the real answer. */
static void
judge_held(struct report *r, int i)
{
	for (size_t k = 0; k < r->nheld; k++) {
		const struct held_issue *h = &r->held[k];
		const struct step *st;
		char msg[JUDGE_PARAM_WORDS];

		if (h->step != i) {
			continue;
		}
		st = &r->steps[i];
		judge_param_words(&h->iss, msg, sizeof(msg));
		if (st->state == STATE_SENT && st->reply.complete && st->reply.code / 100 == 2) {
			/* The prediction failed: the server took what it never
			 * advertised, and the promise behind it is likely not kept. */
			report_add(r, F_PARAM_ACCEPTED, i,
			    _("sent with --force and accepted (%s), although: %s"),
			    judge_first_line(st), msg);
		} else {
			report_add(r, h->iss.id, i, "%s", msg);
		}
	}
}

/* STARTTLS: refused (with the injection test's pair, or plainly), or bytes
 * that came after its 220. */
static void
judge_starttls(struct report *r, const struct step *st, int i)
{
	int code = st->reply.code;

	if (code != 220 && r->injection == INJ_INCONCLUSIVE) {
		report_add_sev(r, F_STARTTLS_REFUSED, SEV_WARNING, i,
		    _("STARTTLS, sent with a NOOP in the same write, answered: %s; probe "
		      "again without --check-starttls-injection for the plain outcome"),
		    judge_first_line(st));
	} else if (code != 220) {
		report_add(
		    r, F_STARTTLS_REFUSED, i, _("STARTTLS answered: %s"), judge_first_line(st));
	} else if (st->injected > 0) {
		report_add(r, F_STARTTLS_INJECTION, i,
		    _("%zu bytes came after the STARTTLS 220 before the TLS handshake; "
		      "discarded unread"),
		    st->injected);
	}
}

/* RCPT refused after a MAIL that was accepted: the recipient, or the
 * sender when the enhanced code says so. */
static void
judge_rcpt(struct report *r, const struct step *st, int i)
{
	int code = st->reply.code;
	const struct step *mail;

	mail = judge_mail_of(r, (size_t)i);
	if (mail == NULL || mail->reply.code != 250 || code == 250 || code == 251) {
		return;
	}
	/* Servers that defer every restriction to RCPT refuse the
	 * sender there; the enhanced code says whose address failed
	 * (RFC 3463 X.1.7, X.1.8; RFC 7505 X.7.27). */
	if (strcmp(judge_enh_detail(st), "1.7") == 0 || strcmp(judge_enh_detail(st), "1.8") == 0 ||
	    strcmp(judge_enh_detail(st), "7.27") == 0) {
		report_add_sev(r, F_MAIL_REJECTED, judge_reject_sev(st), i,
		    _("the sender was refused at %s: %s"), st->sent, judge_first_line(st));
	} else {
		report_add_sev(r, F_RCPT_REJECTED, judge_reject_sev(st), i, _("%s answered: %s"),
		    st->sent, judge_first_line(st));
	}
}

/* VRFY answered in a way that tells users apart. */
static void
judge_vrfy(struct report *r, const struct step *st, int i)
{
	int code = st->reply.code;

	if (code == 250 || code == 251) {
		report_add(
		    r, F_VRFY_ENUMERATION, i, _("%s answered: %s"), st->sent, judge_first_line(st));
	} else if ((code == 550 || code == 551 || code == 553) &&
	    (strcmp(judge_enh_detail(st), "1.1") == 0 || judge_text_has(st, "unknown") ||
	        judge_text_has(st, "not deliverable") || judge_text_has(st, "no such"))) {
		/* Known users get another answer: harvesting by
		 * elimination (RFC 5321 §7.3). */
		report_add(r, F_VRFY_ENUMERATION, i,
		    _("%s answered: %s; a server that names unknown users lets anyone find "
		      "the known ones"),
		    st->sent, judge_first_line(st));
	}
}

/* One step that went out, and its reply. */
static void
judge_sent(struct report *r, const struct judge_opts *o, const struct step *st, int i)
{
	int code = st->reply.code;

	judge_flags(r, st, i);
	if (st->fault.cls != FAULT_NONE) {
		if (st->cmd == SMTP_QUIT) {
			report_add(r, F_QUIT_UNANSWERED, i, _("QUIT: %s"), st->fault.msg);
		} else {
			judge_fault(r, o, st, i);
		}
		return;
	}
	if (st->cmd != SMTP_QUIT && judge_rate_limited(&st->reply)) {
		/* Nothing past this reply was seen: no conclusion about it. */
		report_add(r, F_RATE_LIMITED, i, _("%s answered: %s"), judge_what(st),
		    judge_first_line(st));
		return;
	}
	if (code == 421 && st->cmd != SMTP_GREETING && st->cmd != SMTP_QUIT) {
		/* RFC 5321 §3.8: the server ends the session. */
		report_add(
		    r, F_SERVICE_CLOSING, i, _("%s answered: %s"), st->sent, judge_first_line(st));
		return;
	}
	switch (st->cmd) {
	case SMTP_GREETING:
		if (code != 220) {
			report_add(r, F_BANNER_REJECTED, i, _("greeting %s"), judge_first_line(st));
		} else if (judge_greets_like_ftp(
		               judge_first_line(st), strlen(judge_first_line(st)))) {
			/* FTP replies share SMTP's form (RFC 959 §4.2). */
			report_add(r, F_REPLY_MALFORMED, i,
			    _("the reply to %s is not SMTP: it looks like %s (%.*s)"),
			    judge_what(st), "FTP", 120, judge_first_line(st));
		}
		break;
	case SMTP_EHLO:
	case SMTP_LHLO:
		judge_ehlo(r, o, st, i);
		break;
	case SMTP_HELO:
		if (code != 250) {
			report_add(
			    r, F_EHLO_FAILED, i, _("HELO answered: %s"), judge_first_line(st));
		} else if (!st->over_tls && r->tls_mode != TLS_MODE_NONE) {
			judge_no_starttls(
			    r, o, i, _("only HELO works, so STARTTLS cannot be offered"));
		}
		break;
	case SMTP_STARTTLS:
		judge_starttls(r, st, i);
		break;
	case SMTP_NOOP:
		if (r->injection == INJ_VULNERABLE && r->injection_step == i) {
			report_add(r, F_STARTTLS_INJECTION_VULNERABLE, i,
			    _("VULNERABLE: the NOOP sent in plain text with STARTTLS was answered "
			      "inside TLS: %s"),
			    judge_first_line(st));
		}
		break;
	case SMTP_MAIL:
		if (code != 250) {
			report_add_sev(r, F_MAIL_REJECTED, judge_reject_sev(st), i,
			    _("%s answered: %s"), st->sent, judge_first_line(st));
		}
		break;
	case SMTP_RCPT:
		judge_rcpt(r, st, i);
		break;
	case SMTP_VRFY:
		judge_vrfy(r, st, i);
		break;
	case SMTP_EXPN:
		if (code == 250) {
			report_add(r, F_EXPN_EXPOSED, i, _("%s answered: %s"), st->sent,
			    judge_first_line(st));
		}
		break;
	case SMTP_QUIT:
		if (code != 221) {
			report_add(r, F_QUIT_UNANSWERED, i, _("QUIT: %s"), judge_first_line(st));
		}
		break;
	default:
		break;
	}
}

/* Planned steps that never went out for want of an earlier one. */
static void
judge_unsent(struct report *r)
{
	size_t held = 0, refused = 0, unreached = 0;
	int cause = -1;
	char why[400];

	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *st = &r->steps[i];

		if (st->state == STATE_SKIPPED && st->why == WHY_MAIL_HELD) {
			held++;
		} else if (st->state == STATE_SKIPPED && st->why == WHY_MAIL_REFUSED) {
			refused++;
		} else if (st->state == STATE_NOT_REACHED) {
			unreached++;
			cause = cause < 0 ? st->cause : cause;
		}
	}
	if (held > 0) {
		report_add(r, F_STEP_SKIPPED, -1, _("%zu RCPT TO not sent: %s"), held,
		    _("MAIL FROM was not sent"));
	}
	if (refused > 0) {
		report_add(r, F_STEP_SKIPPED, -1, _("%zu RCPT TO not sent: %s"), refused,
		    _("MAIL FROM was refused"));
	}
	if (unreached > 0) {
		judge_cause(r, cause, why, sizeof(why));
		report_add(r, F_STEP_SKIPPED, cause,
		    P_("%zu planned command not sent: %s", "%zu planned commands not sent: %s",
		        unreached),
		    unreached, why);
	}
}

/* The first attempt was rate-limited, and this record is the second
 * (--retry-after): said, without changing the verdict; a second refusal
 * is judged on its own step. */
static void
judge_retry(struct report *r)
{
	const struct retry_fact *t = &r->retry;

	if (!t->retried) {
		return;
	}
	report_add_sev(r, F_RATE_LIMITED, SEV_INFO, -1,
	    _("the first attempt (%s, %lld ms) got \"%s\" to %s; smtprobe waited %lld s and "
	      "probed again: this record is the second attempt"),
	    t->addr[0] ? t->addr : "-", (long long)t->ms, t->text,
	    t->cmd == SMTP_GREETING ? _("the greeting") : t->sent,
	    (long long)(t->waited_ms / 1000));
}

/* Did this record's server greet with 220? */
static int
judge_greeted(const struct report *r)
{
	for (size_t k = 0; k < r->nsteps; k++) {
		if (r->steps[k].kind == STEP_COMMAND && r->steps[k].cmd == SMTP_GREETING) {
			return r->steps[k].reply.complete && r->steps[k].reply.code == 220;
		}
	}
	return 0;
}

void
judge_addresses(struct report *const *reps, size_t n)
{
	const struct report *ref = NULL;

	for (size_t i = 0; i < n && ref == NULL; i++) {
		if (judge_greeted(reps[i])) {
			ref = reps[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct addr_group *g = &reps[i]->group;

		g->diff = 0;
		g->ref_addr[0] = '\0';
		if (ref == NULL || reps[i] == ref) {
			continue;
		}
		snprintf(g->ref_addr, sizeof(g->ref_addr), "%s", ref->group.addr);
		g->ref_family = ref->group.family;
		snprintf(g->ref_banner, sizeof(g->ref_banner), "%s", ref->server_name);
		snprintf(g->ref_cert, sizeof(g->ref_cert), "%s",
		    ref->tls_done && ref->tls.have_cert ? ref->tls.cert_sha256 : "");
		if (!judge_greeted(reps[i])) {
			g->diff |= ADDR_DIFF_REACH;
			continue;
		}
		/* The greeting's first word is the host's name (RFC 5321
		 * §4.3.1): case does not matter in DNS names. */
		if (strcasecmp(reps[i]->server_name, ref->server_name) != 0) {
			g->diff |= ADDR_DIFF_BANNER;
		}
		if (g->ref_cert[0] != '\0' && reps[i]->tls_done && reps[i]->tls.have_cert &&
		    reps[i]->tls.cert_sha256[0] != '\0' &&
		    strcmp(reps[i]->tls.cert_sha256, g->ref_cert) != 0) {
			g->diff |= ADDR_DIFF_CERT;
		}
	}
}

/* Why this address gave no greeting: the first failed step's words. */
static const char *
judge_no_greeting(const struct report *r)
{
	if (r->net.ntries == 1 && !r->net.tries[0].ok && r->net.tries[0].why[0] != '\0') {
		return r->net.tries[0].why; /* the connection's own words */
	}
	for (size_t k = 0; k < r->nsteps; k++) {
		if (r->steps[k].fault.cls != FAULT_NONE) {
			return r->steps[k].fault.msg;
		}
		if (r->steps[k].cmd == SMTP_GREETING && r->steps[k].reply.nlines > 0) {
			return r->steps[k].reply.lines[0].text;
		}
	}
	return _("no greeting");
}

/* How this address differs from the host's reference address. */
static void
judge_group(struct report *r)
{
	const struct addr_group *g = &r->group;
	const char *fam = g->family == AF_INET6 ? "IPv6" : "IPv4";
	const char *rfam = g->ref_family == AF_INET6 ? "IPv6" : "IPv4";

	if (g->diff & ADDR_DIFF_REACH) {
		report_add(r, F_ADDRESSES_DISAGREE, -1,
		    _("%s (%s) gave no SMTP greeting (%.120s), while %s (%s), another address of "
		      "%s, did"),
		    g->addr, fam, judge_no_greeting(r), g->ref_addr, rfam, r->target.host);
	}
	if (g->diff & ADDR_DIFF_CERT) {
		report_add(r, F_ADDRESSES_DISAGREE, -1,
		    _("%s (%s) shows another certificate than %s (%s): SHA-256 %.16s... here, "
		      "%.16s... there"),
		    g->addr, fam, g->ref_addr, rfam, r->tls.cert_sha256, g->ref_cert);
	}
	if (g->diff & ADDR_DIFF_BANNER) {
		report_add(r, F_ADDRESSES_DISAGREE, -1,
		    _("%s (%s) greets as \"%.80s\", %s (%s) as \"%.80s\""), g->addr, fam,
		    r->server_name, g->ref_addr, rfam, g->ref_banner);
	}
}

/* What the --mx lookup gave. */
static void
judge_mx(struct report *r)
{
	switch (r->mx_outcome) {
	case MXO_IMPLICIT:
		report_add(r, F_MX_FALLBACK, -1, _("%s has no MX records; probed its own address"),
		    r->mx_domain);
		break;
	case MXO_NULL:
		report_add(r, F_NULL_MX, -1,
		    _("%.200s publishes a null MX (MX 0 .): it accepts no mail"), r->mx_domain);
		break;
	case MXO_NXDOMAIN:
		report_add(r, F_RESOLVE_FAILED, -1,
		    _("MX lookup of %.200s: no such domain (NXDOMAIN)"), r->mx_domain);
		break;
	case MXO_FAILED:
		report_add(r, F_RESOLVE_FAILED, -1, "%s", r->mx_error);
		break;
	case MXO_LITERAL:
		report_add(r, F_MX_ADDRESS_LITERAL, -1,
		    _("MX %d of %.200s names an address, %.60s, not a host name; not probed"),
		    r->mx_pref, r->mx_domain, r->mx_error);
		break;
	default:
		break;
	}
}

/* Which server software this is, from its own words: the greeting or
 * the EHLO greeting naming it, else a reply text known from its source. */
static const char *
judge_identify(const struct report *r)
{
	for (size_t k = 0; k < r->nsteps; k++) {
		const struct step *st = &r->steps[k];
		const char *name;

		if ((st->cmd == SMTP_GREETING || st->cmd == SMTP_EHLO || st->cmd == SMTP_HELO ||
		        st->cmd == SMTP_LHLO) &&
		    st->reply.nlines > 0 &&
		    (name = advice_server_named(st->reply.lines[0].text, st->reply.lines[0].len)) !=
		        NULL) {
			return name;
		}
	}
	for (size_t k = 0; k < r->nsteps; k++) {
		const struct srv_row *row;

		if (r->steps[k].state == STATE_SENT &&
		    (row = srvreply_of_reply(&r->steps[k].reply, r->steps[k].cmd)) != NULL) {
			return row->server;
		}
	}
	return NULL;
}

void
judge_report(struct report *r, const struct judge_opts *o)
{
	size_t last_auth = r->nsteps;

	r->nfindings = 0;
	r->findings_dropped = 0;
	for (size_t k = 0; k < r->nsteps; k++) {
		if (r->steps[k].cmd == SMTP_AUTH && r->steps[k].state == STATE_SENT) {
			last_auth = k;
		}
	}
	for (size_t k = 0; k < r->nsteps; k++) {
		const struct step *st = &r->steps[k];
		int i = (int)k;

		switch (st->kind) {
		case STEP_CONNECT:
			if (st->fault.cls != FAULT_NONE) {
				report_add(r,
				    st->fault.cls == FAULT_RESOLVE ? F_RESOLVE_FAILED
				                                   : F_CONNECT_FAILED,
				    i, "%s", st->fault.msg);
			}
			break;
		case STEP_TLS:
			if (st->fault.cls == FAULT_TIMEOUT) {
				report_add(r, F_TIMEOUT, i, "%s", st->fault.msg);
			} else if (st->fault.cls != FAULT_NONE &&
			    r->tls_mode == TLS_MODE_IMPLICIT && k == 1) {
				/* The first bytes were not TLS: often a plain SMTP
				 * greeting on a port taken for implicit TLS. */
				report_add(r, F_TLS_HANDSHAKE_FAILED, i,
				    _("%s; if this port greets in plain text, use --tls starttls"),
				    st->fault.msg);
			} else if (st->fault.cls != FAULT_NONE) {
				report_add(r, F_TLS_HANDSHAKE_FAILED, i, "%s", st->fault.msg);
			} else {
				judge_tls(r, o, i);
			}
			break;
		case STEP_COMMAND:
			if (st->state == STATE_HELD && st->cmd == SMTP_AUTH) {
				judge_auth_unlisted(r, st, i);
			} else if (st->state == STATE_SKIPPED) {
				judge_skipped(r, st, i);
			} else if (st->state == STATE_SENT) {
				judge_sent(r, o, st, i);
			}
			judge_held(r, i);
			if (k == last_auth) {
				/* The outcome of AUTH, where the exchange ended. */
				judge_auth(r, o);
			}
			break;
		}
	}
	for (size_t k = 0; k < r->nheld; k++) {
		if (r->held[k].step < 0 || (size_t)r->held[k].step >= r->nsteps) {
			char msg[JUDGE_PARAM_WORDS];

			judge_param_words(&r->held[k].iss, msg, sizeof(msg));
			report_add(r, r->held[k].iss.id, -1, "%s", msg);
		}
	}
	if (r->injection == INJ_CLEAN) {
		report_add(r, F_STARTTLS_INJECTION_TESTED, r->injection_step,
		    _("not vulnerable: the NOOP sent in plain text with STARTTLS was not executed "
		      "after the handshake"));
	} else if (r->injection == INJ_INCONCLUSIVE && r->injection_why == INJW_NO_PIPELINING) {
		report_add(r, F_STARTTLS_INJECTION_INCONCLUSIVE, r->injection_step, "%s",
		    _("not tested: the server does not advertise PIPELINING, so a command sent "
		      "with STARTTLS proves nothing"));
	} else if (r->injection == INJ_INCONCLUSIVE) {
		report_add(r, F_STARTTLS_INJECTION_INCONCLUSIVE, r->injection_step,
		    _("not tested: STARTTLS sent together with a NOOP got \"%s\"; the transcript "
		      "is a second connection, without the test"),
		    r->injection_evidence);
	}
	judge_unsent(r);
	judge_retry(r);
	judge_mx(r);
	judge_group(r);
	judge_policy(r);
	if (r->internal.cls != FAULT_NONE) {
		report_add(r, F_INTERNAL, -1, "%s", r->internal.msg);
	}
	/* Settings are named only for a server that identified itself. */
	r->software = judge_identify(r);
	for (size_t k = 0; k < r->nfindings; k++) {
		r->findings[k].advice = advice_for(r->findings[k].id, r->software);
	}
	report_finish(r);
}
