/* probe_dialogue.c - the phases after EHLO: AUTH, MAIL, RCPT, VRFY, EXPN
 * and RSET.  Each planned step is held against the capabilities first;
 * what would be refused for want of an extension is flagged and not sent
 * (unless --force).  DATA is never sent. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "clock.h"
#include "i18n.h"
#include "probe_int.h"

/* A rejected MAIL or RCPT: CRITICAL when permanent, WARNING when not. */
static enum sev
probe_reject_sev(int code)
{
	return code >= 500 ? SEV_CRITICAL : SEV_WARNING;
}

/* Append " KEY[=VALUE]" for each parameter; -1 when the line is full. */
static int
probe_append_params(char *line, size_t size, const struct param *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(line);
		int w = snprintf(line + len, size - len, " %s%s%s", ps[i].key,
		    ps[i].has_value ? "=" : "", ps[i].value);

		if (w < 0 || (size_t)w >= size - len) {
			return -1;
		}
	}
	return 0;
}

/* "MAIL FROM:<addr> K=V..." or "RCPT TO:<addr> K=V..." into line; -1 (and
 * an internal finding) when it would not fit in an SMTP command line. */
static int
probe_envelope_line(struct probe *p, const char *verb, const char *addr, const struct param *ps,
    size_t n, char *line, size_t size)
{
	snprintf(line, size, "%s:<%s>", verb, addr);
	if (strlen(line) + 2 >= size - 1 || probe_append_params(line, size - 2, ps, n) != 0) {
		report_add(p->rep, F_INTERNAL, -1, _("%s line longer than %zu octets"), verb, size - 2);
		return -1;
	}
	return 0;
}

/* Record the issues found before sending line; non-zero when it must not
 * be sent, in which case the transcript shows it as held back. */
static int
probe_flag(struct probe *p, enum smtp_cmd cmd, const char *line,
    const struct param_issue *iss, size_t n)
{
	int hold = n > 0 && !p->o->force;
	struct step *st = NULL;
	int idx = -1;

	if (hold && (st = probe_step(p, STEP_COMMAND, cmd)) != NULL) {
		snprintf(st->sent, sizeof(st->sent), "%s", line);
		st->not_sent = 1;
		st->rt_halves = 0;
		idx = report_step_index(p->rep, st);
	}
	for (size_t i = 0; i < n && i < 8; i++) {
		report_add(p->rep, iss[i].id, idx, _("%s"), iss[i].msg);
	}
	return hold;
}

/* One SASL exchange; returns the next phase. */
static enum phase
probe_auth_run(struct probe *p, const char *mech)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct auth_creds creds = {
		.user = o->user, .password = o->password, .token = o->token,
		.host = r->target.is_addr ? NULL : r->target.host, .port = r->target.port,
	};
	struct auth_session *a = NULL;
	struct fault f;
	struct step *st;
	char *resp = NULL, shown[64];
	char wire[BOUND_AUTH_LINE];
	enum phase next = PH_MAIL;
	int rc;

	if (auth_start(&a, mech, &creds, &f) != 0 || auth_initial(a, &resp, &f) != 0) {
		report_add(r, F_INTERNAL, -1, _("AUTH %s: %s"), mech, f.msg);
		auth_end(a);
		return PH_MAIL;
	}
	/* RFC 4954 §4: an empty initial response is sent as "=". */
	snprintf(wire, sizeof(wire), "AUTH %s%s%s", mech, resp ? " " : "",
	    resp ? (resp[0] ? resp : "=") : "");
	snprintf(shown, sizeof(shown), "AUTH %s%s", mech, resp ? " <redacted>" : "");
	auth_free_response(resp);
	resp = NULL;
	st = probe_step(p, STEP_COMMAND, SMTP_AUTH);
	rc = st ? session_command_secret(&p->s, st, wire, shown, probe_step_deadline(p)) : -1;
	secret_bzero(wire, sizeof(wire));
	while (rc == 0 && st->reply.code == 334) {
		size_t clen;
		const char *ch = reply_text(&st->reply, 0, &clen);
		char challenge[BOUND_LINE_ACCEPT + 1];
		int cancel = 0;

		probe_note_reply(p, st);
		memcpy(challenge, ch, clen);
		challenge[clen] = '\0';
		if (auth_step(a, challenge, &resp, &f) != 0) {
			/* RFC 4954 §4: "*" cancels the exchange. */
			report_add(r, F_AUTH_FAILED, report_step_index(r, st), _("AUTH %s: %s"), mech, f.msg);
			cancel = 1;
		}
		st = probe_step(p, STEP_COMMAND, SMTP_AUTH);
		if (st == NULL) {
			rc = -1;
			break;
		}
		rc = session_command_secret(&p->s, st, cancel ? "*" : resp,
		    cancel ? "*" : (resp[0] ? "<redacted>" : _("(empty response)")), probe_step_deadline(p));
		auth_free_response(resp);
		resp = NULL;
		if (cancel) {
			break;
		}
	}
	auth_end(a);
	if (st == NULL) {
		return PH_QUIT;
	}
	probe_note_reply(p, st);
	if (rc != 0) {
		return probe_step_failed(p, st, "AUTH");
	}
	if (probe_closing(p, st)) {
		return PH_QUIT;
	}
	if (st->reply.code != 235 && !report_has(r, F_AUTH_FAILED)) {
		report_add(r, F_AUTH_FAILED, report_step_index(r, st), _("AUTH %s as %s: %s"), mech,
		    o->user, probe_first_line(st));
	}
	return next;
}

enum phase
probe_auth(struct probe *p)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	const struct ehlo *caps = report_caps(r);
	int have_pw = o->password != NULL && o->password->buf != NULL;
	int have_tok = o->token != NULL && o->token->buf != NULL;
	const char *mech = o->auth;

	if (o->auth == NULL) {
		return PH_MAIL;
	}
	if (!r->tls_done && !o->allow_plaintext_auth) {
		report_add(r, F_AUTH_PLAINTEXT_REFUSED, -1,
		    _("no TLS on this connection, so AUTH was not attempted (--allow-plaintext-auth overrides)"));
		return PH_MAIL;
	}
	if (r->tls_done && !r->tls.verified && !o->insecure) {
		report_add(r, F_AUTH_SKIPPED, -1, _("AUTH not attempted: the certificate did not verify (%s)"),
		    r->tls.verify_reason);
		return PH_MAIL;
	}
	if (caps == NULL || caps->nauth == 0) {
		if (!o->force || strcasecmp(o->auth, "auto") == 0) {
			report_add(r, F_AUTH_NOT_OFFERED, -1,
			    _("the server advertises no AUTH%s; AUTH was not sent"), r->tls_done ? " after TLS" : "");
			return PH_MAIL;
		}
	} else if (strcasecmp(o->auth, "auto") == 0) {
		mech = auth_pick(caps, have_pw, have_tok);
		if (mech == NULL) {
			report_add(r, F_AUTH_MECH_NOT_ADVERTISED, -1,
			    _("no mechanism in common: the server offers %s%s, smtprobe supports %s"),
			    caps->auth[0], caps->nauth > 1 ? " and more" : "", auth_supported_list());
			return PH_MAIL;
		}
	} else if (!ehlo_has_auth(caps, o->auth)) {
		char list[256] = "";

		for (size_t i = 0; i < caps->nauth; i++) {
			size_t len = strlen(list);

			snprintf(list + len, sizeof(list) - len, "%s%s", i ? " " : "", caps->auth[i]);
		}
		struct param_issue iss = {.id = F_AUTH_MECH_NOT_ADVERTISED};
		char line[64];

		snprintf(iss.msg, sizeof(iss.msg),
		    "AUTH %s is not among the server's mechanisms (%.120s); it would likely answer 504 5.5.4. "
		    "Fix: use one of those, or --auth auto.%s", o->auth, list,
		    o->force ? " Sent anyway (--force)." : "");
		snprintf(line, sizeof(line), "AUTH %s", o->auth);
		if (probe_flag(p, SMTP_AUTH, line, &iss, 1)) {
			return PH_MAIL;
		}
	}
	return probe_auth_run(p, mech);
}

static void
probe_skip_rcpts(struct probe *p, const char *why)
{
	if (p->o->nrcpts > 0) {
		report_add(p->rep, F_STEP_SKIPPED, -1, _("%zu RCPT TO not sent: %s"), p->o->nrcpts, why);
	}
}

static int
probe_pipelining(const struct probe *p)
{
	const struct ehlo *caps = report_caps(p->rep);

	return caps != NULL && ehlo_find(caps, "PIPELINING") != NULL;
}

/* Judge the replies to MAIL, the RCPTs and VRFY once they are in. */
static void
probe_judge_envelope(struct probe *p, struct step *mail, struct step **rcpts, size_t nr,
    struct step *vrfy)
{
	struct report *r = p->rep;

	if (mail->reply.code == 250) {
		p->mail_accepted = 1;
	} else {
		report_add_sev(r, F_MAIL_REJECTED, probe_reject_sev(mail->reply.code),
		    report_step_index(r, mail), _("%s answered: %s"), mail->sent, probe_first_line(mail));
	}
	for (size_t i = 0; i < nr && p->mail_accepted; i++) {
		if (rcpts[i]->reply.code != 250 && rcpts[i]->reply.code != 251) {
			report_add_sev(r, F_RCPT_REJECTED, probe_reject_sev(rcpts[i]->reply.code),
			    report_step_index(r, rcpts[i]), _("%s answered: %s"), rcpts[i]->sent,
			    probe_first_line(rcpts[i]));
		}
	}
	if (vrfy != NULL && (vrfy->reply.code == 250 || vrfy->reply.code == 251)) {
		report_add(r, F_VRFY_ENUMERATION, report_step_index(r, vrfy), _("%s answered: %s"),
		    vrfy->sent, probe_first_line(vrfy));
	}
}

/* RFC 2920: MAIL, the RCPTs and a final VRFY go out in one write and
 * their replies are read in order: one round trip for the envelope.
 * (STARTTLS, EHLO and QUIT are never in such a group; VRFY only last.) */
static enum phase
probe_envelope_pipelined(struct probe *p, const char *mail_line)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct step *group[BOUND_RCPTS + 2], *rcpts[BOUND_RCPTS], *vrfy = NULL;
	char wire[(BOUND_RCPTS + 2) * BOUND_LINE_RFC];
	size_t ng = 0, nr = 0, wlen = 0;
	struct param_issue iss[8];
	struct fault f;
	int64_t t0, deadline;

	for (size_t k = 0; k <= o->nrcpts + 1; k++) {
		char line[BOUND_LINE_RFC];
		enum smtp_cmd cmd = k == 0 ? SMTP_MAIL : k <= o->nrcpts ? SMTP_RCPT : SMTP_VRFY;
		struct step *st;

		if (k == 0) {
			snprintf(line, sizeof(line), "%s", mail_line);
		} else if (k <= o->nrcpts) {
			if (probe_envelope_line(p, "RCPT TO", o->rcpts[k - 1], o->rcpt_params,
			    o->nrcpt_params, line, sizeof(line)) != 0) {
				continue;
			}
			if (probe_flag(p, SMTP_RCPT, line, iss, params_check(report_caps(r), SMTP_RCPT,
			    o->rcpts[k - 1], o->rcpt_params, o->nrcpt_params, iss, 8))) {
				continue;
			}
		} else if (o->vrfy != NULL) {
			snprintf(line, sizeof(line), "VRFY %s", o->vrfy);
		} else {
			break;
		}
		st = probe_step(p, STEP_COMMAND, cmd);
		if (st == NULL) {
			return PH_QUIT;
		}
		snprintf(st->sent, sizeof(st->sent), "%s", line);
		st->over_tls = r->tls_done;
		st->pipelined = ng > 0;
		st->rt_halves = ng == 0 ? 2 : 0;
		memcpy(wire + wlen, line, strlen(line));
		wlen += strlen(line);
		memcpy(wire + wlen, "\r\n", 2);
		wlen += 2;
		group[ng++] = st;
		if (cmd == SMTP_RCPT) {
			rcpts[nr++] = st;
		} else if (cmd == SMTP_VRFY) {
			vrfy = st;
		}
	}
	p->rcpt_next = o->nrcpts;
	p->vrfy_done = vrfy != NULL;
	t0 = clock_now_ms();
	deadline = probe_step_deadline(p);
	if (session_send(&p->s, wire, wlen, deadline, &f) != 0) {
		group[0]->fault = f;
		return probe_step_failed(p, group[0], group[0]->sent);
	}
	for (size_t k = 0; k < ng; k++) {
		struct step *st = group[k];
		int rc = session_read_reply(&p->s, st, deadline);

		st->ms = clock_now_ms() - t0;
		probe_note_reply(p, st);
		if (rc != 0) {
			return probe_step_failed(p, st, st->sent);
		}
		if (probe_closing(p, st)) {
			return PH_QUIT;
		}
	}
	probe_judge_envelope(p, group[0], rcpts, nr, vrfy);
	return PH_EXPN;
}

enum phase
probe_mail(struct probe *p)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct param_issue iss[8];
	const char *check = o->mail_from;
	char line[BOUND_LINE_RFC];
	enum phase next;
	struct step *st;
	size_t n;

	if (o->mail_from == NULL) {
		return PH_VRFY;
	}
	/* SMTPUTF8 goes on MAIL when any address of the envelope needs it. */
	for (size_t i = 0; i < o->nrcpts && !params_non_ascii(check); i++) {
		if (params_non_ascii(o->rcpts[i])) {
			check = o->rcpts[i];
		}
	}
	if (probe_envelope_line(p, "MAIL FROM", o->mail_from, o->mail_params, o->nmail_params, line,
	    sizeof(line)) != 0) {
		return PH_VRFY;
	}
	n = params_check(report_caps(r), SMTP_MAIL, check, o->mail_params, o->nmail_params, iss, 8);
	if (probe_flag(p, SMTP_MAIL, line, iss, n)) {
		probe_skip_rcpts(p, _("MAIL FROM was not sent"));
		return PH_VRFY;
	}
	if (probe_pipelining(p)) {
		return probe_envelope_pipelined(p, line);
	}
	st = probe_command(p, SMTP_MAIL, line, &next);
	if (st == NULL) {
		return next;
	}
	if (st->reply.code != 250) {
		report_add_sev(r, F_MAIL_REJECTED, probe_reject_sev(st->reply.code),
		    report_step_index(r, st), _("MAIL FROM:<%s> answered: %s"), o->mail_from,
		    probe_first_line(st));
		probe_skip_rcpts(p, _("MAIL FROM was refused"));
		return PH_VRFY;
	}
	p->mail_accepted = 1;
	return PH_RCPT;
}

enum phase
probe_rcpt(struct probe *p)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct param_issue iss[8];
	char line[BOUND_LINE_RFC];
	const char *addr;
	enum phase next;
	struct step *st;
	size_t n;

	if (!p->mail_accepted || p->rcpt_next >= o->nrcpts) {
		return PH_VRFY;
	}
	addr = o->rcpts[p->rcpt_next++];
	if (probe_envelope_line(p, "RCPT TO", addr, o->rcpt_params, o->nrcpt_params, line,
	    sizeof(line)) != 0) {
		return PH_RCPT;
	}
	n = params_check(report_caps(r), SMTP_RCPT, addr, o->rcpt_params, o->nrcpt_params, iss, 8);
	if (probe_flag(p, SMTP_RCPT, line, iss, n)) {
		return PH_RCPT;
	}
	st = probe_command(p, SMTP_RCPT, line, &next);
	if (st == NULL) {
		return next;
	}
	if (st->reply.code != 250 && st->reply.code != 251) {
		report_add_sev(r, F_RCPT_REJECTED, probe_reject_sev(st->reply.code),
		    report_step_index(r, st), _("RCPT TO:<%s> answered: %s"), addr, probe_first_line(st));
	}
	return PH_RCPT;
}

/* VRFY or EXPN with arg; finding raised on a disclosing 250/251. */
static enum phase
probe_query(struct probe *p, enum smtp_cmd cmd, const char *verb, const char *arg,
    enum finding_id disclosed, enum phase after)
{
	struct report *r = p->rep;
	char line[BOUND_LINE_RFC];
	enum phase next;
	struct step *st;

	if (arg == NULL) {
		return after;
	}
	snprintf(line, sizeof(line), "%s %s", verb, arg);
	st = probe_command(p, cmd, line, &next);
	if (st == NULL) {
		return next;
	}
	if (st->reply.code == 250 || (cmd == SMTP_VRFY && st->reply.code == 251)) {
		report_add(r, disclosed, report_step_index(r, st), _("%s answered: %s"), line,
		    probe_first_line(st));
	}
	return after;
}

enum phase
probe_vrfy(struct probe *p)
{
	if (p->vrfy_done) {
		return PH_EXPN;
	}
	return probe_query(p, SMTP_VRFY, "VRFY", p->o->vrfy, F_VRFY_ENUMERATION, PH_EXPN);
}

enum phase
probe_expn(struct probe *p)
{
	return probe_query(p, SMTP_EXPN, "EXPN", p->o->expn, F_EXPN_EXPOSED, PH_RSET);
}

enum phase
probe_rset(struct probe *p)
{
	enum phase next;

	if (!p->mail_accepted) {
		return PH_QUIT;
	}
	/* The envelope is abandoned: nothing is ever delivered.  With
	 * PIPELINING, QUIT rides along (it may end a group). */
	if (probe_pipelining(p)) {
		static const char wire[] = "RSET\r\nQUIT\r\n";
		struct step *rset = probe_step(p, STEP_COMMAND, SMTP_RSET);
		struct step *quit = rset ? probe_step(p, STEP_COMMAND, SMTP_QUIT) : NULL;

		if (quit == NULL) {
			return PH_QUIT;
		}
		quit->pipelined = 1;
		quit->rt_halves = 0;
		quit->over_tls = rset->over_tls = p->rep->tls_done;
		snprintf(quit->sent, sizeof(quit->sent), "QUIT");
		if (session_command_raw(&p->s, rset, wire, sizeof(wire) - 1, "RSET",
		    probe_step_deadline(p)) != 0) {
			probe_note_reply(p, rset);
			return probe_step_failed(p, rset, "RSET");
		}
		probe_note_reply(p, rset);
		p->quit_done = 1;
		probe_quit_reply(p, quit);
		return PH_QUIT;
	}
	if (probe_command(p, SMTP_RSET, "RSET", &next) == NULL) {
		return next;
	}
	return PH_QUIT;
}
