#include <config.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "esc.h"
#include "i18n.h"
#include "net.h"
#include "probe_int.h"

typedef enum phase (*probe_phase_fn)(struct probe *p);

const char *
probe_tls_mode_name(enum tls_mode m)
{
	switch (m) {
	case TLS_MODE_AUTO:
		return "auto";
	case TLS_MODE_STARTTLS:
		return "starttls";
	case TLS_MODE_IMPLICIT:
		return "implicit";
	case TLS_MODE_NONE:
		return "none";
	}
	return "?";
}

int64_t
probe_step_deadline(const struct probe *p)
{
	return clock_min(clock_now_ms() + (int64_t)p->o->step_timeout_s * 1000,
	    p->run_deadline);
}

/* Quote the first line of a reply for a finding's message (raw: the
 * renderers escape it). */
const char *
probe_first_line(const struct step *st)
{
	return st->reply.nlines > 0 ? st->reply.lines[0].text : "";
}

/* Turn a failed step into its finding; returns the next phase. */
enum phase
probe_step_failed(struct probe *p, struct step *st, const char *what)
{
	struct report *r = p->rep;
	int i = report_step_index(r, st);

	switch (st->fault.cls) {
	case FAULT_TIMEOUT:
		/* A port that sends no greeting at all is often an implicit-TLS
		 * port (465 or a custom one) waiting for our ClientHello. */
		report_add(r, F_TIMEOUT, i, _("no complete reply to %s within %d s%s"), what,
		    p->o->step_timeout_s,
		    st->cmd == SMTP_GREETING && st->reply.nlines == 0 && !r->tls_done ?
		    " (if this port speaks implicit TLS, use --tls implicit)" : "");
		break;
	case FAULT_CLOSED:
	case FAULT_CONNECT:
		report_add(r, F_CONNECTION_CLOSED, i, _("%s: %s"), what, st->fault.msg);
		break;
	case FAULT_PROTOCOL:
		report_add(r, F_REPLY_MALFORMED, i, _("reply to %s: %s"), what, st->fault.msg);
		break;
	case FAULT_TLS:
		report_add(r, F_TLS_HANDSHAKE_FAILED, i, _("%s: %s"), what, st->fault.msg);
		break;
	default:
		report_add(r, F_INTERNAL, i, _("%s: %s"), what, st->fault.msg);
		break;
	}
	return PH_QUIT;
}

/* Raise the findings a reply's flags call for, once per id. */
void
probe_note_reply(struct probe *p, struct step *st)
{
	struct report *r = p->rep;
	unsigned fl = st->reply.flags;
	int i = report_step_index(r, st);
	const char *what = st->cmd == SMTP_GREETING ? _("the greeting") : st->sent;

	if ((fl & REPLY_F_LONG_LINE) && !report_has(r, F_REPLY_LINE_LONG)) {
		size_t longest = 0;

		for (size_t k = 0; k < st->reply.nlines; k++) {
			if (st->reply.lines[k].len > longest) {
				longest = st->reply.lines[k].len;
			}
		}
		report_add(r, F_REPLY_LINE_LONG, i, _("reply to %s has a line of %zu octets (RFC limit %d with CRLF)"),
		    what, longest + 2, BOUND_LINE_RFC);
	}
	if ((fl & REPLY_F_BARE_LF) && !report_has(r, F_REPLY_BARE_LF)) {
		report_add(r, F_REPLY_BARE_LF, i, _("reply to %s ends lines in a bare LF"), what);
	}
	if ((fl & REPLY_F_CODE_MISMATCH) && !report_has(r, F_REPLY_CODE_MISMATCH)) {
		report_add(r, F_REPLY_CODE_MISMATCH, i, _("reply to %s mixes codes across its lines"), what);
	}
	if ((fl & (REPLY_F_NUL | REPLY_F_CTRL)) && !report_has(r, F_REPLY_CONTROL_BYTES)) {
		report_add(r, F_REPLY_CONTROL_BYTES, i, _("reply to %s contains %s"), what,
		    (fl & REPLY_F_NUL) ? _("NUL bytes") : _("control bytes"));
	}
	if ((fl & (REPLY_F_ENH_MISMATCH | REPLY_F_ENH_VARIES)) &&
	    !report_has(r, F_REPLY_ENHANCED_MISMATCH)) {
		report_add(r, F_REPLY_ENHANCED_MISMATCH, i, _("reply to %s: %d with enhanced code %s%s"),
		    what, st->reply.code, st->reply.enh,
		    (fl & REPLY_F_ENH_VARIES) ? " (differs between lines)" : "");
	}
	if ((fl & REPLY_F_NONSTD_CODE) && !report_has(r, F_REPLY_NONSTANDARD_CODE)) {
		report_add(r, F_REPLY_NONSTANDARD_CODE, i, _("reply to %s has code %d"), what,
		    st->reply.code);
	}
}

/* Add a step, or record that the step table is full. */
struct step *
probe_step(struct probe *p, enum step_kind kind, enum smtp_cmd cmd)
{
	struct step *st = report_add_step(p->rep, kind, cmd);

	if (st == NULL) {
		report_add(p->rep, F_INTERNAL, -1, _("more than %d steps"), BOUND_STEPS);
		return NULL;
	}
	/* The greeting costs half a round trip: the server speaks first.
	 * TLS steps are set once the protocol is known. */
	st->rt_halves = cmd == SMTP_GREETING && kind == STEP_COMMAND ? 1 : 2;
	return st;
}

/* Send a command and read its reply; returns the step when a complete
 * reply came back, else NULL (the failure is recorded, *next is set). */
struct step *
probe_command(struct probe *p, enum smtp_cmd cmd, const char *line,
    enum phase *next)
{
	struct step *st = probe_step(p, STEP_COMMAND, cmd);

	*next = PH_QUIT;
	if (st == NULL) {
		return NULL;
	}
	if (session_command(&p->s, st, line, probe_step_deadline(p)) != 0) {
		probe_note_reply(p, st);
		*next = probe_step_failed(p, st, line);
		return NULL;
	}
	probe_note_reply(p, st);
	if (probe_closing(p, st)) {
		return NULL;
	}
	return st;
}

int
probe_closing(struct probe *p, struct step *st)
{
	if (st->reply.code != 421) {
		return 0;
	}
	report_add(p->rep, F_SERVICE_CLOSING, report_step_index(p->rep, st), _("%s answered: %s"),
	    st->sent, probe_first_line(st));
	p->s.usable = 0;    /* RFC 5321 §3.8: the server closes now */
	return 1;
}

static void
probe_default_ehlo(struct probe *p)
{
	struct report *r = p->rep;
	char host[BOUND_NAME + 1];
	struct fault f;

	if (p->o->ehlo_name != NULL) {
		snprintf(r->ehlo_name, sizeof(r->ehlo_name), "%s", p->o->ehlo_name);
		return;
	}
	/* The local name when it is fully qualified; no DNS lookup is made
	 * for it.  Otherwise an address literal (RFC 5321 §4.1.3). */
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		if (strchr(host, '.') != NULL && target_check_name(host, "host name", &f) == 0) {
			snprintf(r->ehlo_name, sizeof(r->ehlo_name), "%s", host);
			return;
		}
	}
	if (r->net.local_family == AF_INET6) {
		snprintf(r->ehlo_name, sizeof(r->ehlo_name), "[IPv6:%s]", r->net.local_addr);
	} else {
		snprintf(r->ehlo_name, sizeof(r->ehlo_name), "[%s]", r->net.local_addr);
	}
}

static enum phase
probe_connect(struct probe *p)
{
	struct report *r = p->rep;
	struct step *st = probe_step(p, STEP_CONNECT, SMTP_ANY);
	int64_t t0 = clock_now_ms();

	if (st == NULL) {
		return PH_DONE;
	}
	if (net_connect(r->target.host, r->target.port, p->o->family,
	    p->o->step_timeout_s * 1000, p->run_deadline, p->o->dns, &r->net, &st->fault) != 0) {
		st->ms = clock_now_ms() - t0;
		report_add(r, st->fault.cls == FAULT_RESOLVE ? F_RESOLVE_FAILED : F_CONNECT_FAILED,
		    0, _("%s"), st->fault.msg);
		return PH_DONE;
	}
	st->ms = clock_now_ms() - t0;
	session_init(&p->s, r->net.fd);
	probe_default_ehlo(p);
	return r->tls_mode == TLS_MODE_IMPLICIT ? PH_TLS_IMPLICIT : PH_GREETING;
}

static enum phase
probe_greeting(struct probe *p)
{
	struct report *r = p->rep;
	struct step *st = probe_step(p, STEP_COMMAND, SMTP_GREETING);
	int64_t t0 = clock_now_ms();
	int rc;

	if (st == NULL) {
		return PH_QUIT;
	}
	st->over_tls = r->tls_done;
	rc = session_read_reply(&p->s, st, probe_step_deadline(p));
	st->ms = clock_now_ms() - t0;
	probe_note_reply(p, st);
	if (rc != 0) {
		return probe_step_failed(p, st, _("the greeting"));
	}
	if (st->reply.code != 220) {
		report_add(r, F_BANNER_REJECTED, report_step_index(r, st),
		    _("greeting %s"), probe_first_line(st));
		if (st->reply.code == 421) {
			p->s.usable = 0;
		}
		return PH_QUIT;
	}
	{
		size_t len;
		const char *t = reply_text(&st->reply, 0, &len);
		size_t w = 0;

		while (w < len && t[w] != ' ' && w < BOUND_NAME) {
			w++;
		}
		memcpy(r->server_name, t, w);
		r->server_name[w] = '\0';
	}
	return PH_EHLO;
}

/* No STARTTLS is possible: a finding, and QUIT when TLS was required. */
static enum phase
probe_no_starttls(struct probe *p, int step, const char *why)
{
	struct report *r = p->rep;

	if (r->tls_mode == TLS_MODE_STARTTLS || p->o->require_tls) {
		report_add_sev(r, F_STARTTLS_NOT_OFFERED, SEV_CRITICAL, step,
		    _("%s, and TLS is required"), why);
		return PH_QUIT;    /* nothing more is said in clear text */
	}
	if (r->tls_mode == TLS_MODE_AUTO) {
		report_add(r, F_STARTTLS_NOT_OFFERED, step, _("%s: mail to this server travels in clear text"), why);
	}
	return PH_AUTH;
}


/* Act on the reply st to EHLO. */
static enum phase
probe_ehlo_handle(struct probe *p, struct step *st)
{
	struct report *r = p->rep;
	struct ehlo *caps;
	int i = report_step_index(r, st);

	if (st->reply.code == 500 || st->reply.code == 502) {
		if (r->tls_done) {
			report_add(r, F_EHLO_FAILED, i, _("EHLO refused after TLS: %s"), probe_first_line(st));
			return PH_QUIT;
		}
		report_add(r, F_EHLO_REFUSED, i, _("EHLO answered %d; falling back to HELO"), st->reply.code);
		return PH_HELO;
	}
	if (st->reply.code != 250) {
		report_add(r, F_EHLO_FAILED, i, _("EHLO answered: %s"), probe_first_line(st));
		return PH_QUIT;
	}
	caps = r->tls_done ? &r->caps_tls : &r->caps_plain;
	if (ehlo_parse(caps, &st->reply) != 0) {
		report_add(r, F_INTERNAL, i, _("out of memory parsing the EHLO reply"));
		return PH_QUIT;
	}
	if (r->tls_done) {
		r->have_caps_tls = 1;
	} else {
		r->have_caps_plain = 1;
	}
	if ((caps->flags & (EHLO_F_BAD_KEYWORD | EHLO_F_DUP_KEYWORD | EHLO_F_BAD_SIZE |
	    EHLO_F_EMPTY_LINE | EHLO_F_BAD_MECH)) && !report_has(r, F_EHLO_SYNTAX)) {
		report_add(r, F_EHLO_SYNTAX, i, _("EHLO reply has %s"),
		    (caps->flags & EHLO_F_BAD_KEYWORD) ? _("an invalid keyword") :
		    (caps->flags & EHLO_F_DUP_KEYWORD) ? _("a repeated keyword") :
		    (caps->flags & EHLO_F_BAD_SIZE) ? _("a SIZE that is not a number") :
		    (caps->flags & EHLO_F_BAD_MECH) ? _("an invalid AUTH mechanism name") :
		    _("an empty capability line"));
	}
	if (!r->tls_done && caps->nauth > 0) {
		report_add(r, F_AUTH_BEFORE_TLS, i, _("the server offers AUTH (%s%s) before TLS"),
		    caps->auth[0], caps->nauth > 1 ? " ..." : "");
	}
	if (r->tls_done || r->tls_mode == TLS_MODE_NONE) {
		return PH_AUTH;
	}
	if (ehlo_find(caps, "STARTTLS") == NULL) {
		return probe_no_starttls(p, i, _("the server does not offer STARTTLS"));
	}
	return PH_STARTTLS;
}

static void
probe_ehlo_line(const struct probe *p, char *line, size_t size)
{
	snprintf(line, size, "EHLO %s", p->rep->ehlo_name);
}

static enum phase
probe_ehlo(struct probe *p)
{
	char line[BOUND_LINE_RFC];
	enum phase next;
	struct step *st;

	probe_ehlo_line(p, line, sizeof(line));
	st = probe_command(p, SMTP_EHLO, line, &next);
	if (st == NULL) {
		return next;
	}
	return probe_ehlo_handle(p, st);
}

/* Does this first reply inside TLS answer our EHLO, or the NOOP that was
 * sent in plain text with STARTTLS?  An EHLO reply is multi-line, or one
 * line naming the server; NOOP's is one line whose text starts with an
 * enhanced code or "OK" ("250 2.0.0 Ok", "250 OK"). */
static int
probe_is_ehlo_reply(const struct probe *p, const struct step *st)
{
	size_t len, w = 0;
	const char *t;
	char enh[16];

	if (st->reply.code != 250 || st->reply.nlines > 1) {
		return 1;
	}
	t = reply_text(&st->reply, 0, &len);
	while (w < len && t[w] != ' ') {
		w++;
	}
	if (w > 0 && strlen(p->rep->server_name) == w && strncasecmp(t, p->rep->server_name, w) == 0) {
		return 1;
	}
	if (reply_parse_enhanced(t, len, enh) > 0 || (w == 2 && strncasecmp(t, "ok", 2) == 0)) {
		return 0;
	}
	return 1;
}

/* --check-starttls-injection, after the handshake: the EHLO that follows
 * is answered first by a vulnerable server's reply to the injected NOOP.
 * Replies come in order, so this needs no timing guess: read one reply,
 * and if it is NOOP's, the next one is EHLO's. */
static enum phase
probe_injection_check(struct probe *p)
{
	struct report *r = p->rep;
	char line[BOUND_LINE_RFC];
	enum phase next;
	struct step *st, *st2;

	probe_ehlo_line(p, line, sizeof(line));
	st = probe_command(p, SMTP_EHLO, line, &next);
	if (st == NULL) {
		return next;
	}
	if (probe_is_ehlo_reply(p, st)) {
		report_add(r, F_STARTTLS_INJECTION_TESTED, report_step_index(r, st),
		    _("not vulnerable: the NOOP sent in plain text with STARTTLS was not executed after the handshake"));
		return probe_ehlo_handle(p, st);
	}
	st->cmd = SMTP_NOOP;
	snprintf(st->sent, sizeof(st->sent), "NOOP (sent in plain text with STARTTLS, answered inside TLS)");
	report_add(r, F_STARTTLS_INJECTION_VULNERABLE, report_step_index(r, st),
	    _("VULNERABLE: the NOOP sent in plain text with STARTTLS was answered inside TLS: %s"),
	    probe_first_line(st));
	st2 = probe_step(p, STEP_COMMAND, SMTP_EHLO);
	if (st2 == NULL) {
		return PH_QUIT;
	}
	snprintf(st2->sent, sizeof(st2->sent), "%s", line);
	st2->over_tls = 1;
	st2->rt_halves = 0;      /* its reply was already on its way */
	if (session_read_reply(&p->s, st2, probe_step_deadline(p)) != 0) {
		probe_note_reply(p, st2);
		return probe_step_failed(p, st2, line);
	}
	probe_note_reply(p, st2);
	return probe_ehlo_handle(p, st2);
}

static enum phase
probe_helo(struct probe *p)
{
	struct report *r = p->rep;
	char line[BOUND_LINE_RFC];
	enum phase next;
	struct step *st;

	snprintf(line, sizeof(line), "HELO %s", r->ehlo_name);
	st = probe_command(p, SMTP_HELO, line, &next);
	if (st == NULL) {
		return next;
	}
	if (st->reply.code != 250) {
		report_add(r, F_EHLO_FAILED, report_step_index(r, st),
		    _("HELO answered: %s"), probe_first_line(st));
		return PH_QUIT;
	}
	r->used_helo = 1;
	if (r->tls_mode == TLS_MODE_NONE) {
		return PH_AUTH;
	}
	return probe_no_starttls(p, report_step_index(r, st),
	    _("only HELO works, so STARTTLS cannot be offered"));
}

static enum phase
probe_starttls(struct probe *p)
{
	struct report *r = p->rep;
	enum phase next = PH_QUIT;
	struct step *st;
	int i;

	if (p->o->check_injection) {
		/* The active test: NOOP rides in the same write as STARTTLS. */
		static const char wire[] = "STARTTLS\r\nNOOP\r\n";

		st = probe_step(p, STEP_COMMAND, SMTP_STARTTLS);
		if (st == NULL) {
			return PH_QUIT;
		}
		if (session_command_raw(&p->s, st, wire, sizeof(wire) - 1,
		    "STARTTLS (with NOOP in the same write: --check-starttls-injection)",
		    probe_step_deadline(p)) != 0) {
			probe_note_reply(p, st);
			return probe_step_failed(p, st, "STARTTLS");
		}
		probe_note_reply(p, st);
		if (probe_closing(p, st)) {
			return PH_QUIT;
		}
	} else {
		st = probe_command(p, SMTP_STARTTLS, "STARTTLS", &next);
	}
	if (st == NULL) {
		return next;
	}
	i = report_step_index(r, st);
	if (st->reply.code != 220) {
		report_add(r, F_STARTTLS_REFUSED, i, _("STARTTLS answered: %s"), probe_first_line(st));
		return PH_QUIT;
	}
	/* RFC 3207 §4.2 / CVE-2011-0411: nothing the server sent after its
	 * 220 may be read as plaintext.  What is buffered, or already waiting
	 * on the socket, is counted and dropped. */
	st->injected = linebuf_pending(&p->s.lb) + xport_drain_now(p->s.fd);
	linebuf_discard(&p->s.lb);
	if (st->injected > 0) {
		report_add(r, F_STARTTLS_INJECTION, i,
		    _("%zu bytes came after the STARTTLS 220 before the TLS handshake; discarded unread"),
		    st->injected);
	}
	return PH_TLS_STARTTLS;
}

static enum phase
probe_tls(struct probe *p)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct step *st = probe_step(p, STEP_TLS, SMTP_ANY);
	const char *name = o->tls_name ? o->tls_name : r->target.host;
	const char *sni = o->tls_name ? o->tls_name : (r->target.is_addr ? NULL : r->target.host);
	int64_t t0 = clock_now_ms();
	int i;

	if (st == NULL) {
		return PH_QUIT;
	}
	i = report_step_index(r, st);
	r->tls_attempted = 1;
	if (tls_start(p->tls, &p->s.x, sni, name, probe_step_deadline(p), &r->tls,
	    &st->fault) != 0) {
		st->ms = clock_now_ms() - t0;
		/* The stream is neither plain SMTP nor TLS now: close it. */
		p->s.usable = 0;
		report_add(r, st->fault.cls == FAULT_TIMEOUT ? F_TIMEOUT : F_TLS_HANDSHAKE_FAILED,
		    i, _("%s"), st->fault.msg);
		return PH_QUIT;
	}
	st->ms = clock_now_ms() - t0;
	st->over_tls = 1;
	r->tls_done = 1;
	/* TLS 1.3 completes in one round trip, older versions in two. */
	st->rt_halves = strcmp(r->tls.protocol, "TLSv1.3") == 0 ? 2 : 4;
	if (!r->tls.verified) {
		if (o->insecure) {
			report_add(r, F_TLS_UNVERIFIED, i, _("certificate not verified (--insecure): %s"),
			    r->tls.verify_reason);
		} else {
			report_add(r, F_TLS_VERIFY_FAILED, i, _("certificate for %s did not verify: %s"),
			    name, r->tls.verify_reason);
		}
	}
	if (strcmp(r->tls.protocol, "TLSv1") == 0 || strcmp(r->tls.protocol, "TLSv1.1") == 0 ||
	    strncmp(r->tls.protocol, "SSL", 3) == 0) {
		report_add(r, F_TLS_OLD_PROTOCOL, i, _("the server negotiated %s"), r->tls.protocol);
	}
	if (r->tls.have_cert && r->tls.weak_key) {
		report_add(r, F_TLS_WEAK_KEY, i, _("the certificate's key is %s"), r->tls.key);
	}
	if (r->tls.have_cert && r->tls.weak_sig) {
		report_add(r, F_TLS_WEAK_SIGNATURE, i, _("the certificate is signed with %s"), r->tls.sig_alg);
	}
	if (r->tls.have_cert && r->tls.days_left >= 0) {
		if (r->tls.days_left < o->cert_crit_days) {
			report_add_sev(r, F_CERT_EXPIRES_SOON, SEV_CRITICAL, i,
			    _("the certificate expires in %lld days (%s)"),
			    (long long)r->tls.days_left, r->tls.not_after);
		} else if (r->tls.days_left < o->cert_warn_days) {
			report_add(r, F_CERT_EXPIRES_SOON, i, _("the certificate expires in %lld days (%s)"),
			    (long long)r->tls.days_left, r->tls.not_after);
		}
	}
	if (r->tls_mode == TLS_MODE_IMPLICIT) {
		return PH_GREETING;
	}
	return o->check_injection ? PH_INJECTION_CHECK : PH_EHLO;
}

/* The outcome is known; the 221 is a courtesy, so wait only briefly. */
static int64_t
probe_quit_deadline(const struct probe *p)
{
	return clock_now_ms() + (p->o->step_timeout_s * 1000 < BOUND_QUIT_WAIT_MS ?
	    p->o->step_timeout_s * 1000 : BOUND_QUIT_WAIT_MS);
}

void
probe_quit_reply(struct probe *p, struct step *st)
{
	struct report *r = p->rep;

	if ((st->fault.cls == FAULT_NONE &&
	    session_read_reply(&p->s, st, probe_quit_deadline(p)) != 0) || st->reply.code != 221) {
		report_add(r, F_QUIT_UNANSWERED, report_step_index(r, st), _("QUIT: %s"),
		    st->fault.cls != FAULT_NONE ? st->fault.msg : probe_first_line(st));
	}
}

static enum phase
probe_quit(struct probe *p)
{
	struct report *r = p->rep;
	struct step *st;

	if (!p->s.usable || p->quit_done) {
		return PH_DONE;
	}
	st = probe_step(p, STEP_COMMAND, SMTP_QUIT);
	if (st == NULL) {
		return PH_DONE;
	}
	if (session_command(&p->s, st, "QUIT", probe_quit_deadline(p)) != 0 || st->reply.code != 221) {
		report_add(r, F_QUIT_UNANSWERED, report_step_index(r, st), _("QUIT: %s"),
		    st->fault.cls != FAULT_NONE ? st->fault.msg : probe_first_line(st));
	}
	return PH_DONE;
}

static const probe_phase_fn probe_phases[PH_DONE] = {
	[PH_CONNECT] = probe_connect,
	[PH_TLS_IMPLICIT] = probe_tls,
	[PH_GREETING] = probe_greeting,
	[PH_EHLO] = probe_ehlo,
	[PH_HELO] = probe_helo,
	[PH_STARTTLS] = probe_starttls,
	[PH_TLS_STARTTLS] = probe_tls,
	[PH_INJECTION_CHECK] = probe_injection_check,
	[PH_AUTH] = probe_auth,
	[PH_MAIL] = probe_mail,
	[PH_RCPT] = probe_rcpt,
	[PH_VRFY] = probe_vrfy,
	[PH_EXPN] = probe_expn,
	[PH_RSET] = probe_rset,
	[PH_QUIT] = probe_quit,
};

void
probe_run(const struct probe_opts *o, struct tls_ctx *tls, struct report *rep)
{
	struct probe p;
	struct fault f;
	int64_t t0 = clock_now_ms();
	enum phase ph = PH_CONNECT;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.tls = tls;
	p.rep = rep;
	p.s.fd = -1;
	p.run_deadline = t0 + (int64_t)o->run_timeout_s * 1000;

	if (target_parse(o->target, o->port, &rep->target, &f) != 0) {
		report_add(rep, F_INTERNAL, -1, _("%s"), f.msg);
		report_finish(rep);
		return;
	}
	rep->tls_mode = o->tls_mode;
	if (rep->tls_mode == TLS_MODE_AUTO && rep->target.port == 465) {
		rep->tls_mode = TLS_MODE_IMPLICIT;
	}
	if (rep->tls_mode != TLS_MODE_NONE && tls == NULL) {
		report_add(rep, F_INTERNAL, -1, _("no TLS context"));
		report_finish(rep);
		return;
	}
	while (ph != PH_DONE) {
		ph = probe_phases[ph](&p);
	}
	session_close(&p.s);
	rep->total_ms = clock_now_ms() - t0;
	report_finish(rep);
}
