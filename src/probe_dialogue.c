/* probe_dialogue.c - the phases after EHLO: AUTH, MAIL, RCPT, VRFY, EXPN
 * and RSET.  Each planned step is held against the capabilities first;
 * what would be refused for want of an extension is held back (unless
 * --force).  Every planned step ends up in the record, sent or not, with
 * why; the judge words what it means.  DATA is never sent. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "clock.h"
#include "i18n.h"
#include "probe_int.h"

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

/* "MAIL FROM:<addr> K=V..." or "RCPT TO:<addr> K=V..." into line; -1
 * when it would not fit in an SMTP command line (then recorded as a step
 * not sent, showing as much of it as fits). */
static int
probe_envelope_line(struct probe *p, enum smtp_cmd cmd, const char *addr, const struct param *ps,
    size_t n, char *line, size_t size)
{
	snprintf(line, size, "%s:<%s>", cmd == SMTP_MAIL ? "MAIL FROM" : "RCPT TO", addr);
	if (strlen(line) + 2 >= size - 1 || probe_append_params(line, size - 2, ps, n) != 0) {
		probe_not_sent(p, cmd, line, STATE_SKIPPED, WHY_TOO_LONG);
		return -1;
	}
	return 0;
}

struct step *
probe_not_sent(
    struct probe *p, enum smtp_cmd cmd, const char *line, enum step_state state, enum step_why why)
{
	struct step *st = probe_step(p, STEP_COMMAND, cmd);

	if (st != NULL) {
		snprintf(st->sent, sizeof(st->sent), "%s", line);
		st->state = state;
		st->why = why;
		st->rt_halves = 0;
		st->cause = p->end_step;
	}
	return st;
}

/* Record the issues found before sending line; non-zero when it must not
 * be sent, in which case the transcript shows it as held back.  With
 * --force the issues stay with the step that goes out next (this one),
 * so that the judge can set the real answer against the prediction. */
static int
probe_flag(
    struct probe *p, enum smtp_cmd cmd, const char *line, const struct param_issue *iss, size_t n)
{
	int hold = n > 0 && !p->o->force;
	int idx = (int)p->rep->nsteps;

	if (hold && probe_not_sent(p, cmd, line, STATE_HELD, WHY_FLAGGED) == NULL) {
		idx = -1;
	}
	for (size_t i = 0; i < n && i < 8; i++) {
		report_hold(p->rep, idx, &iss[i]);
	}
	return hold;
}

/* The TLS channel binding of the session for SCRAM-*-PLUS: 0, or -1
 * when there is none (no TLS, or a TLS without one: see tls.h). */
static int
probe_binding(struct probe *p, struct tls_binding *b)
{
	if (!p->rep->tls_done) {
		memset(b, 0, sizeof(*b));
		return -1;
	}
	return tls_channel_binding(&p->s.x, b);
}

/* One SASL exchange; returns the next phase. */
static enum phase
probe_auth_run(struct probe *p, const char *mech)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct tls_binding b;
	int have_b = probe_binding(p, &b) == 0;
	struct auth_creds creds = {
	    .user = o->user,
	    .password = o->password,
	    .token = o->token,
	    .host = r->target.is_addr ? NULL : r->target.host,
	    .port = r->target.port,
	    .cb_type = have_b ? b.type : NULL,
	    .cb_data = b.data,
	    .cb_len = b.len,
	};
	struct auth_session *a = NULL;
	struct fault f;
	struct step *st;
	char *resp = NULL, shown[64];
	char wire[BOUND_AUTH_LINE];
	enum phase next = PH_MAIL;
	int rc;

	if (auth_start(&a, mech, &creds, &f) != 0 || auth_initial(a, &resp, &f) != 0) {
		report_internal(r, "AUTH %s: %s", mech, f.msg);
		auth_end(a);
		return PH_MAIL;
	}
	snprintf(r->auth_mech, sizeof(r->auth_mech), "%s", mech);
	if (auth_binds_channel(mech)) {
		snprintf(r->auth_binding, sizeof(r->auth_binding), "%s", b.type);
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

		memcpy(challenge, ch, clen);
		challenge[clen] = '\0';
		if (auth_step(a, challenge, probe_step_deadline(p), &resp, &f) != 0) {
			/* RFC 4954 §4: "*" cancels the exchange. */
			r->auth_fault = f;
			r->auth_fault_step = report_step_index(r, st);
			cancel = 1;
		}
		st = probe_step(p, STEP_COMMAND, SMTP_AUTH);
		if (st == NULL) {
			rc = -1;
			break;
		}
		rc = session_command_secret(&p->s, st, cancel ? "*" : resp,
		    cancel ? "*" : (resp[0] ? "<redacted>" : _("(empty response)")),
		    probe_step_deadline(p));
		auth_free_response(resp);
		resp = NULL;
		if (cancel) {
			break;
		}
	}
	r->auth_proof = auth_proof(a);
	auth_end(a);
	secret_bzero(&b, sizeof(b));
	if (st == NULL) {
		return PH_QUIT;
	}
	if (rc != 0) {
		return probe_step_failed(p, st);
	}
	if (probe_closing(p, st)) {
		return PH_QUIT;
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
	char line[64];
	enum step_why why = WHY_NONE;

	if (o->auth == NULL) {
		return PH_MAIL;
	}
	p->auth_seen = 1;
	snprintf(line, sizeof(line), "AUTH %s", o->auth);
	if (!r->tls_done && !o->allow_plaintext_auth) {
		why = WHY_NO_TLS;
	} else if (r->tls_done && !r->tls.verified && !(o->insecure && o->auth_insecure)) {
		/* --insecure goes on without a verified peer; credentials go
		 * there only when --auth-insecure says so as well. */
		why = WHY_UNVERIFIED;
	} else if (o->name_from_dns) {
		why = WHY_NAME_FROM_DNS;
	} else if (report_tls_old(r) && !o->auth_insecure) {
		/* RFC 8996: TLS 1.0 and 1.1 are no longer safe to rely on. */
		why = WHY_OLD_TLS;
	} else if (r->tls_done && r->tls.weak_dh) {
		/* A recorded session could be decrypted later: no credentials. */
		why = WHY_WEAK_DH;
	} else if (caps == NULL || caps->nauth == 0) {
		if (!o->force || strcasecmp(o->auth, "auto") == 0) {
			why = WHY_AUTH_NOT_OFFERED;
		}
	} else if (strcasecmp(o->auth, "auto") == 0) {
		struct tls_binding b;

		mech = auth_pick(caps, have_pw, have_tok, probe_binding(p, &b) == 0);
		if (mech == NULL) {
			why = WHY_NO_COMMON_MECH;
		}
	} else if (!ehlo_has_auth(caps, o->auth) && !o->force) {
		probe_not_sent(p, SMTP_AUTH, line, STATE_HELD, WHY_FLAGGED);
		return PH_MAIL;
	}
	if (why == WHY_NONE && auth_binds_channel(mech)) {
		struct tls_binding b;

		if (probe_binding(p, &b) != 0) {
			/* RFC 5802 §6: -PLUS binds to the TLS channel; none here. */
			why = WHY_NO_BINDING;
		}
	}
	if (why != WHY_NONE) {
		probe_not_sent(p, SMTP_AUTH, line, STATE_SKIPPED, why);
		return PH_MAIL;
	}
	return probe_auth_run(p, mech);
}

/* The RCPTs that cannot go out without an accepted MAIL, as steps not
 * sent. */
static void
probe_skip_rcpts(struct probe *p, enum step_why why)
{
	const struct probe_opts *o = p->o;

	for (; p->rcpt_next < o->nrcpts; p->rcpt_next++) {
		char line[BOUND_LINE_RFC];

		snprintf(line, sizeof(line), "RCPT TO:<%s>", o->rcpts[p->rcpt_next]);
		probe_not_sent(p, SMTP_RCPT, line, STATE_SKIPPED, why);
	}
}

void
probe_unreached(struct probe *p)
{
	const struct probe_opts *o = p->o;
	char line[BOUND_LINE_RFC];

	if (o->auth != NULL && !p->auth_seen) {
		snprintf(line, sizeof(line), "AUTH %s", o->auth);
		probe_not_sent(p, SMTP_AUTH, line, STATE_NOT_REACHED, WHY_NONE);
	}
	if (o->mail_from != NULL && !p->mail_seen) {
		snprintf(line, sizeof(line), "MAIL FROM:<%s>", o->mail_from);
		probe_not_sent(p, SMTP_MAIL, line, STATE_NOT_REACHED, WHY_NONE);
	}
	for (; o->mail_from != NULL && p->rcpt_next < o->nrcpts; p->rcpt_next++) {
		snprintf(line, sizeof(line), "RCPT TO:<%s>", o->rcpts[p->rcpt_next]);
		probe_not_sent(p, SMTP_RCPT, line, STATE_NOT_REACHED, WHY_NONE);
	}
	if (o->vrfy != NULL && !p->vrfy_done) {
		snprintf(line, sizeof(line), "VRFY %s", o->vrfy);
		probe_not_sent(p, SMTP_VRFY, line, STATE_NOT_REACHED, WHY_NONE);
	}
	if (o->expn != NULL && !p->expn_seen) {
		snprintf(line, sizeof(line), "EXPN %s", o->expn);
		probe_not_sent(p, SMTP_EXPN, line, STATE_NOT_REACHED, WHY_NONE);
	}
}

static int
probe_pipelining(const struct probe *p)
{
	const struct ehlo *caps = report_caps(p->rep);

	return caps != NULL && ehlo_find(caps, "PIPELINING") != NULL;
}

/* RFC 2920: MAIL, the RCPTs and a final VRFY go out in one write and
 * their replies are read in order: one round trip for the envelope.
 * (STARTTLS, EHLO and QUIT are never in such a group; VRFY only last.) */
static enum phase
probe_envelope_pipelined(struct probe *p, const char *mail_line)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct step *group[BOUND_RCPTS + 2], *vrfy = NULL;
	char wire[(BOUND_RCPTS + 2) * BOUND_LINE_RFC];
	size_t ng = 0, wlen = 0;
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
			if (probe_envelope_line(p, SMTP_RCPT, o->rcpts[k - 1], o->rcpt_params,
			        o->nrcpt_params, line, sizeof(line)) != 0) {
				continue;
			}
			if (probe_flag(p, SMTP_RCPT, line, iss,
			        params_check(report_caps(r), SMTP_RCPT, o->rcpts[k - 1],
			            o->rcpt_params, o->nrcpt_params, iss, 8))) {
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
		st->pipelined = ng > 0;
		st->rt_halves = ng == 0 ? 2 : 0;
		memcpy(wire + wlen, line, strlen(line));
		wlen += strlen(line);
		memcpy(wire + wlen, "\r\n", 2);
		wlen += 2;
		group[ng++] = st;
		if (cmd == SMTP_VRFY) {
			vrfy = st;
		}
	}
	p->rcpt_next = o->nrcpts;
	p->vrfy_done = vrfy != NULL;
	t0 = clock_now_ms();
	deadline = probe_step_deadline(p);
	if (session_send(&p->s, wire, wlen, deadline, &f) != 0) {
		group[0]->fault = f;
		return probe_step_failed(p, group[0]);
	}
	for (size_t k = 0; k < ng; k++) {
		struct step *st = group[k];
		int rc = session_read_reply(&p->s, st, deadline);

		st->ms = clock_now_ms() - t0;
		if (rc != 0) {
			return probe_step_failed(p, st);
		}
		if (probe_closing(p, st)) {
			return PH_QUIT;
		}
	}
	p->mail_accepted = group[0]->reply.code == 250;
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
	p->mail_seen = 1;
	/* SMTPUTF8 goes on MAIL when any address of the envelope needs it. */
	for (size_t i = 0; i < o->nrcpts && !params_non_ascii(check); i++) {
		if (params_non_ascii(o->rcpts[i])) {
			check = o->rcpts[i];
		}
	}
	if (probe_envelope_line(p, SMTP_MAIL, o->mail_from, o->mail_params, o->nmail_params, line,
	        sizeof(line)) != 0) {
		probe_skip_rcpts(p, WHY_MAIL_HELD);
		return PH_VRFY;
	}
	n = params_check(report_caps(r), SMTP_MAIL, check, o->mail_params, o->nmail_params, iss, 8);
	if (probe_flag(p, SMTP_MAIL, line, iss, n)) {
		probe_skip_rcpts(p, WHY_MAIL_HELD);
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
		probe_skip_rcpts(p, WHY_MAIL_REFUSED);
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
	size_t n;

	if (!p->mail_accepted || p->rcpt_next >= o->nrcpts) {
		return PH_VRFY;
	}
	addr = o->rcpts[p->rcpt_next++];
	if (probe_envelope_line(
	        p, SMTP_RCPT, addr, o->rcpt_params, o->nrcpt_params, line, sizeof(line)) != 0) {
		return PH_RCPT;
	}
	n = params_check(report_caps(r), SMTP_RCPT, addr, o->rcpt_params, o->nrcpt_params, iss, 8);
	if (probe_flag(p, SMTP_RCPT, line, iss, n)) {
		return PH_RCPT;
	}
	if (probe_command(p, SMTP_RCPT, line, &next) == NULL) {
		return next;
	}
	return PH_RCPT;
}

/* VRFY or EXPN with arg. */
static enum phase
probe_query(struct probe *p, enum smtp_cmd cmd, const char *verb, const char *arg, enum phase after)
{
	char line[BOUND_LINE_RFC];
	enum phase next;

	if (arg == NULL) {
		return after;
	}
	snprintf(line, sizeof(line), "%s %s", verb, arg);
	if (probe_command(p, cmd, line, &next) == NULL) {
		return next;
	}
	return after;
}

enum phase
probe_vrfy(struct probe *p)
{
	if (p->vrfy_done) {
		return PH_EXPN;
	}
	p->vrfy_done = p->o->vrfy != NULL;
	return probe_query(p, SMTP_VRFY, "VRFY", p->o->vrfy, PH_EXPN);
}

enum phase
probe_expn(struct probe *p)
{
	p->expn_seen = p->o->expn != NULL;
	return probe_query(p, SMTP_EXPN, "EXPN", p->o->expn, PH_RSET);
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
		snprintf(quit->sent, sizeof(quit->sent), "QUIT");
		if (session_command_raw(
		        &p->s, rset, wire, sizeof(wire) - 1, "RSET", probe_step_deadline(p)) != 0) {
			return probe_step_failed(p, rset);
		}
		p->quit_done = 1;
		probe_quit_reply(p, quit);
		return PH_QUIT;
	}
	if (probe_command(p, SMTP_RSET, "RSET", &next) == NULL) {
		return next;
	}
	return PH_QUIT;
}
