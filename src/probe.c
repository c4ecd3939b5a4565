#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "gate.h"
#include "i18n.h"
#include "judge.h"
#include "net.h"
#include "probe_int.h"

typedef enum phase (*probe_phase_fn)(struct probe *p);

int64_t
probe_step_deadline(const struct probe *p)
{
	return clock_min(clock_now_ms() + (int64_t)p->o->step_timeout_s * 1000, p->run_deadline);
}

/* A failed step ends the session.  Nothing is ever sent before a
 * greeting has arrived (a server that has not greeted, or greeted with
 * something that is not SMTP, gets no QUIT: postscreen-style servers list
 * clients that talk first). */
enum phase
probe_step_failed(struct probe *p, struct step *st)
{
	if (st->cmd == SMTP_GREETING && st->kind == STEP_COMMAND) {
		p->s.usable = 0;
		return PH_DONE;
	}
	return PH_QUIT;
}

/* Add a step, or record that the step table is full. */
struct step *
probe_step(struct probe *p, enum step_kind kind, enum smtp_cmd cmd)
{
	struct step *st = report_add_step(p->rep, kind, cmd);

	if (st == NULL) {
		report_internal(p->rep, _("more than %d steps"), BOUND_STEPS);
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
probe_command(struct probe *p, enum smtp_cmd cmd, const char *line, enum phase *next)
{
	struct step *st = probe_step(p, STEP_COMMAND, cmd);

	*next = PH_QUIT;
	if (st == NULL) {
		return NULL;
	}
	if (session_command(&p->s, st, line, probe_step_deadline(p)) != 0) {
		*next = probe_step_failed(p, st);
		return NULL;
	}
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
	p->s.usable = 0; /* RFC 5321 §3.8: the server closes now */
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
	if (r->net.local_family == AF_UNIX) {
		/* A unix: target: this side has no address to write. */
		snprintf(r->ehlo_name, sizeof(r->ehlo_name), "localhost");
	} else if (r->net.local_family == AF_INET6) {
		snprintf(r->ehlo_name, sizeof(r->ehlo_name), "[IPv6:%s]", r->net.local_addr);
	} else {
		snprintf(r->ehlo_name, sizeof(r->ehlo_name), "[%s]", r->net.local_addr);
	}
}

/* --proxy-protocol: the header goes first, before the greeting is read
 * (and before TLS on an implicit-TLS port), naming --proxy-source as the
 * client and the address connected to as the destination (HAProxy's
 * doc/proxy-protocol.txt §2: "prepended before any data flowing from the
 * sender to the receiver", sent at once). */
static int
probe_proxy_header(struct probe *p, struct fault *f)
{
	struct report *r = p->rep;
	struct sockaddr_storage dst;
	socklen_t dlen = sizeof(dst);
	unsigned char hdr[PROXYPROTO_MAX];
	char v1[PROXYPROTO_MAX];
	size_t len = 0, v1len = 0;

	if (getpeername(r->net.fd, (struct sockaddr *)&dst, &dlen) != 0) {
		return fault_set(f, FAULT_CONNECT, errno, _("PROXY header: no peer address: %s"),
		    strerror(errno));
	}
	/* The v1 form of the same facts, for the record. */
	if (proxyproto_build(PROXYPROTO_V1, (const struct sockaddr *)&p->o->proxy_src,
	        (const struct sockaddr *)&dst, (unsigned char *)v1, sizeof(v1), &v1len, f) != 0 ||
	    proxyproto_build(p->o->proxy, (const struct sockaddr *)&p->o->proxy_src,
	        (const struct sockaddr *)&dst, hdr, sizeof(hdr), &len, f) != 0) {
		return -1;
	}
	v1len = v1len >= 2 ? v1len - 2 : 0; /* without CRLF */
	memcpy(r->proxy_line, v1, v1len);
	r->proxy_line[v1len] = '\0';
	if (session_send(&p->s, (const char *)hdr, len, probe_step_deadline(p), f) != 0) {
		return -1;
	}
	r->proxy = p->o->proxy;
	r->proxy_bytes = len;
	return 0;
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
	if (p->o->xport != NULL) {
		/* The test seam: the transport is already there. */
		session_init_xport(&p->s, p->o->xport);
		probe_default_ehlo(p);
		return r->tls_mode == TLS_MODE_IMPLICIT ? PH_TLS_IMPLICIT : PH_GREETING;
	}
	if ((r->target.is_unix
	            ? net_connect_unix(r->target.host, probe_step_deadline(p), &r->net, &st->fault)
	            : p->o->pre != NULL
	            ? net_connect_pre(p->o->pre, r->target.port, p->o->step_timeout_s * 1000,
	                  p->run_deadline, p->o->source, p->o->gate, r->target.host, &r->net,
	                  &st->fault)
	            : net_connect(r->target.host, r->target.port, p->o->family,
	                  p->o->step_timeout_s * 1000, p->run_deadline, p->o->dns, p->o->source,
	                  p->o->gate, &r->net, &st->fault)) != 0) {
		st->ms = clock_now_ms() - t0 - r->net.gate_ms;
		return PH_DONE;
	}
	/* Waiting for --per-ip is not the server's time. */
	st->ms = clock_now_ms() - t0 - r->net.gate_ms;
	p->run_deadline += r->net.gate_ms;
	session_init(&p->s, r->net.fd);
	probe_dane_lookup(p);
	if (p->o->proxy != PROXYPROTO_NONE && probe_proxy_header(p, &st->fault) != 0) {
		p->s.usable = 0;
		return PH_DONE;
	}
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
	rc = session_read_reply(&p->s, st, probe_step_deadline(p));
	st->ms = clock_now_ms() - t0;
	if (rc != 0) {
		return probe_step_failed(p, st);
	}
	if (st->reply.code == 220 &&
	    judge_greets_like_ftp(st->reply.lines[0].text, st->reply.lines[0].len)) {
		return PH_QUIT; /* an FTP server: it understands QUIT, not EHLO */
	}
	if (st->reply.code != 220) {
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

/* No STARTTLS is possible: QUIT when TLS was required (nothing more is
 * said in clear text), else go on. */
static enum phase
probe_no_starttls(const struct probe *p)
{
	const struct report *r = p->rep;

	return r->tls_mode == TLS_MODE_STARTTLS || p->o->require_tls ? PH_QUIT : PH_AUTH;
}

/* Act on the reply st to EHLO. */
static enum phase
probe_ehlo_handle(struct probe *p, struct step *st)
{
	struct report *r = p->rep;
	struct ehlo *caps;

	if (st->reply.code == 500 || st->reply.code == 502) {
		/* LMTP has LHLO alone: no HELO to fall back to (RFC 2033 §4.1). */
		return r->tls_done || r->lmtp ? PH_QUIT : PH_HELO;
	}
	if (st->reply.code != 250) {
		return PH_QUIT;
	}
	caps = r->tls_done ? &r->caps_tls : &r->caps_plain;
	if (ehlo_parse(caps, &st->reply) != 0) {
		report_internal(r, _("out of memory parsing the EHLO reply"));
		return PH_QUIT;
	}
	if (r->tls_done) {
		r->have_caps_tls = 1;
	} else {
		r->have_caps_plain = 1;
	}
	if (r->tls_done || r->tls_mode == TLS_MODE_NONE) {
		return PH_AUTH;
	}
	if (ehlo_find(caps, "STARTTLS") == NULL) {
		return probe_no_starttls(p);
	}
	return PH_STARTTLS;
}

/* EHLO, or LMTP's LHLO (RFC 2033 §4.1): the line and the command. */
static enum smtp_cmd
probe_ehlo_line(const struct probe *p, char *line, size_t size)
{
	snprintf(line, size, "%s %s", p->rep->lmtp ? "LHLO" : "EHLO", p->rep->ehlo_name);
	return p->rep->lmtp ? SMTP_LHLO : SMTP_EHLO;
}

static enum phase
probe_ehlo(struct probe *p)
{
	char line[BOUND_LINE_RFC];
	enum phase next;
	struct step *st;
	enum smtp_cmd cmd = probe_ehlo_line(p, line, sizeof(line));

	st = probe_command(p, cmd, line, &next);
	if (st == NULL) {
		/* A reply that is not SMTP to EHLO: an old server may still
		 * understand HELO (RFC 5321 §3.2).  Not to LHLO. */
		st = &p->rep->steps[p->rep->nsteps - 1];
		if (p->rep->nsteps > 0 && st->cmd == SMTP_EHLO && st->fault.cls == FAULT_PROTOCOL &&
		    p->s.usable && !p->rep->tls_done) {
			return PH_HELO;
		}
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
	if (w > 0 && strlen(p->rep->server_name) == w &&
	    strncasecmp(t, p->rep->server_name, w) == 0) {
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
	enum smtp_cmd cmd = probe_ehlo_line(p, line, sizeof(line));

	st = probe_command(p, cmd, line, &next);
	if (st == NULL) {
		return next;
	}
	r->injection_step = report_step_index(r, st);
	if (probe_is_ehlo_reply(p, st)) {
		r->injection = INJ_CLEAN;
		return probe_ehlo_handle(p, st);
	}
	r->injection = INJ_VULNERABLE;
	st->cmd = SMTP_NOOP;
	snprintf(st->sent, sizeof(st->sent),
	    "NOOP (sent in plain text with STARTTLS, answered inside TLS)");
	st2 = probe_step(p, STEP_COMMAND, cmd);
	if (st2 == NULL) {
		return PH_QUIT;
	}
	snprintf(st2->sent, sizeof(st2->sent), "%s", line);
	st2->rt_halves = 0; /* its reply was already on its way */
	if (session_read_reply(&p->s, st2, probe_step_deadline(p)) != 0) {
		return probe_step_failed(p, st2);
	}
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
		return PH_QUIT;
	}
	r->used_helo = 1;
	if (r->tls_mode == TLS_MODE_NONE) {
		return PH_AUTH;
	}
	return probe_no_starttls(p);
}

static enum phase
probe_starttls(struct probe *p)
{
	struct report *r = p->rep;
	enum phase next = PH_QUIT;
	struct step *st;

	if (p->o->check_injection && ehlo_find(report_caps(r), "PIPELINING") == NULL) {
		/* RFC 2920 §3.1: without PIPELINING a client must wait for
		 * each reply, so the test would prove nothing. */
		r->injection = INJ_INCONCLUSIVE;
		r->injection_why = INJW_NO_PIPELINING;
	}
	if (p->o->check_injection && r->injection == INJ_NOT_RUN) {
		/* The active test: NOOP rides in the same write as STARTTLS. */
		static const char wire[] = "STARTTLS\r\nNOOP\r\n";

		st = probe_step(p, STEP_COMMAND, SMTP_STARTTLS);
		if (st == NULL) {
			return PH_QUIT;
		}
		r->injection_step = report_step_index(r, st);
		if (session_command_raw(&p->s, st, wire, sizeof(wire) - 1,
		        "STARTTLS (with NOOP in the same write: --check-starttls-injection)",
		        probe_step_deadline(p)) != 0 ||
		    st->reply.code != 220) {
			/* Refused or dropped: maybe for the pipelined pair. */
			r->injection = INJ_INCONCLUSIVE;
			r->injection_why = INJW_DROPPED;
			if (st->fault.cls != FAULT_NONE) {
				return probe_step_failed(p, st);
			}
		}
		if (probe_closing(p, st)) {
			return PH_QUIT;
		}
	} else {
		st = probe_command(p, SMTP_STARTTLS, "STARTTLS", &next);
	}
	if (st == NULL) {
		return next;
	}
	if (st->reply.code != 220) {
		return PH_QUIT;
	}
	/* RFC 3207 §4.2 / CVE-2011-0411: nothing the server sent after its
	 * 220 may be read as plaintext.  What is buffered, or already waiting
	 * on the socket, is counted and dropped. */
	st->injected = linebuf_pending(&p->s.lb) + xport_drain_now(&p->s.x);
	linebuf_discard(&p->s.lb);
	return PH_TLS_STARTTLS;
}

/* The handshake, with the host's usable TLSA records when DANE applies
 * (RFC 7672: the MX host name is the base domain; the --mx domain is one
 * more reference name for DANE-TA, §3.2.2). */
static int
probe_tls_start(struct probe *p, const char *sni, const char *name, struct step *st)
{
	struct report *r = p->rep;
	const char *names[1];
	struct tls_dane dane = {.base = r->target.host, .names = names, .nnames = 0};

	if (!p->dane_pending) {
		return tls_start(
		    p->tls, &p->s.x, sni, name, probe_step_deadline(p), &r->tls, &st->fault);
	}
	p->dane_pending = 0;
	if (p->o->dane_nexthop != NULL && p->o->dane_nexthop[0] != '\0') {
		names[dane.nnames++] = p->o->dane_nexthop;
	}
	return tls_start_dane(p->tls, &p->s.x, sni, name, &dane, &r->pol.dane,
	    probe_step_deadline(p), &r->tls, &st->fault);
}

static enum phase
probe_tls(struct probe *p)
{
	struct report *r = p->rep;
	const struct probe_opts *o = p->o;
	struct step *st = probe_step(p, STEP_TLS, SMTP_ANY);
	/* A unix: target's path is no name: only --tls-name is checked. */
	const char *name = o->tls_name ? o->tls_name : r->target.is_unix ? NULL : r->target.host;
	const char *sni = o->tls_name
	    ? o->tls_name
	    : (r->target.is_addr || r->target.is_unix ? NULL : r->target.host);
	int64_t t0 = clock_now_ms();

	if (st == NULL) {
		return PH_QUIT;
	}
	r->tls_attempted = 1;
	if (probe_tls_start(p, sni, name, st) != 0) {
		st->ms = clock_now_ms() - t0;
		/* The stream is neither plain SMTP nor TLS now: close it. */
		p->s.usable = 0;
		return PH_QUIT;
	}
	st->ms = clock_now_ms() - t0;
	r->tls_done = 1;
	/* TLS 1.3 completes in one round trip, older versions in two. */
	st->rt_halves = strcmp(r->tls.protocol, "TLSv1.3") == 0 ? 2 : 4;
	if (r->tls_mode == TLS_MODE_IMPLICIT) {
		return PH_GREETING;
	}
	return o->check_injection && r->injection == INJ_NOT_RUN ? PH_INJECTION_CHECK : PH_EHLO;
}

/* The outcome is known; the 221 is a courtesy, so wait only briefly, and
 * never past the run's deadline (--total-timeout caps QUIT too). */
static int64_t
probe_quit_deadline(const struct probe *p)
{
	int64_t wait = p->o->step_timeout_s * 1000 < BOUND_QUIT_WAIT_MS
	    ? p->o->step_timeout_s * 1000
	    : BOUND_QUIT_WAIT_MS;

	return clock_min(clock_now_ms() + wait, p->run_deadline);
}

void
probe_quit_reply(struct probe *p, struct step *st)
{
	if (st->fault.cls == FAULT_NONE) {
		(void)session_read_reply(&p->s, st, probe_quit_deadline(p));
	}
}

static enum phase
probe_quit(struct probe *p)
{
	struct step *st;

	if (!p->s.usable || p->quit_done) {
		return PH_DONE;
	}
	st = probe_step(p, STEP_COMMAND, SMTP_QUIT);
	if (st == NULL) {
		return PH_DONE;
	}
	(void)session_command(&p->s, st, "QUIT", probe_quit_deadline(p));
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
probe_judge_opts(const struct probe_opts *o, struct judge_opts *jo)
{
	memset(jo, 0, sizeof(*jo));
	jo->require_tls = o->require_tls;
	jo->insecure = o->insecure;
	jo->force = o->force;
	jo->step_timeout_s = o->step_timeout_s;
	jo->cert_warn_days = o->cert_warn_days;
	jo->cert_crit_days = o->cert_crit_days;
	jo->auth = o->auth;
	jo->user = o->user;
}

/* The server refused or dropped STARTTLS sent together with a NOOP: that
 * says nothing of its STARTTLS, so a second connection probes it as any
 * client would, and the record is that connection's.  What the first one
 * got stays as the evidence of the inconclusive test. */
static void
probe_again_without_injection(const struct probe_opts *o, struct tls_ctx *tls, struct report *rep)
{
	struct probe_opts again = *o;
	const struct step *st = rep->injection_step >= 0 ? &rep->steps[rep->injection_step] : NULL;
	char evidence[sizeof(rep->injection_evidence)] = "";

	if (st != NULL && st->fault.cls != FAULT_NONE) {
		snprintf(evidence, sizeof(evidence), "%s", st->fault.msg);
	} else if (st != NULL && st->reply.nlines > 0) {
		snprintf(evidence, sizeof(evidence), "%s", st->reply.lines[0].text);
	}
	again.check_injection = 0;
	report_free(rep);
	report_init(rep);
	probe_run(&again, tls, rep);
	rep->injection = INJ_INCONCLUSIVE;
	rep->injection_why = INJW_DROPPED;
	rep->injection_step = -1;
	memcpy(rep->injection_evidence, evidence, sizeof(evidence));
}

void
probe_run(const struct probe_opts *o, struct tls_ctx *tls, struct report *rep)
{
	struct probe p;
	struct judge_opts jo;
	struct fault f;
	int64_t t0 = clock_now_ms();
	enum phase ph = PH_CONNECT;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.tls = tls;
	p.rep = rep;
	session_none(&p.s);
	p.run_deadline = t0 + (int64_t)o->run_timeout_s * 1000;

	p.end_step = -1;
	probe_judge_opts(o, &jo);
	if (target_parse(o->target, o->port, &rep->target, &f) != 0) {
		report_internal(rep, "%s", f.msg);
		judge_report(rep, &jo);
		return;
	}
	rep->tls_mode = o->tls_mode;
	probe_policy_facts(o, rep);
	rep->lmtp = o->lmtp;
	if (rep->tls_mode == TLS_MODE_AUTO && rep->target.port == 465) {
		rep->tls_mode = TLS_MODE_IMPLICIT;
	}
	if (rep->tls_mode == TLS_MODE_AUTO && rep->target.is_unix && o->tls_name == NULL) {
		/* A local socket has no name a certificate could be checked
		 * against: TLS over it only with --tls-name (opts_parse refuses
		 * --tls starttls or implicit without it). */
		rep->tls_mode = TLS_MODE_NONE;
	}
	if (rep->tls_mode != TLS_MODE_NONE && tls == NULL) {
		report_internal(rep, _("no TLS context"));
		judge_report(rep, &jo);
		return;
	}
	while (ph != PH_DONE) {
		size_t first = rep->nsteps;
		enum phase next = probe_phases[ph](&p);

		/* The one place over_tls is set: what the phase sent (or read)
		 * went over the transport it ended on; STARTTLS swaps it only
		 * between phases, and the handshake's own step counts as inside. */
		for (size_t i = first; i < rep->nsteps; i++) {
			if (rep->steps[i].state == STATE_SENT) {
				rep->steps[i].over_tls = xport_is_tls(&p.s.x);
			}
		}

		/* A jump to the end from anywhere but the envelope's own end
		 * cuts the session short: the step just recorded is why. */
		if ((next == PH_QUIT || next == PH_DONE) && ph != PH_RSET && ph != PH_QUIT &&
		    p.end_step < 0 && rep->nsteps > 0) {
			p.end_step = (int)rep->nsteps - 1;
		}
		ph = next;
	}
	probe_unreached(&p);
	probe_dane_end(&p);
	session_close(&p.s);
	if (rep->net.gate_held[0] != '\0') {
		gate_leave(o->gate, rep->net.gate_held);
		rep->net.gate_held[0] = '\0';
	}
	if (rep->injection == INJ_INCONCLUSIVE && rep->injection_why == INJW_DROPPED) {
		probe_again_without_injection(o, tls, rep);
	}
	/* The wait for --per-ip is the run's, not the server's. */
	rep->total_ms = clock_now_ms() - t0 - rep->net.gate_ms;
	judge_report(rep, &jo);
}
