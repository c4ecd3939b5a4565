#include <config.h>

#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->net.fd = -1;
	r->verdict = SEV_OK;
	r->auth_fault_step = -1;
	r->injection_step = -1;
	r->pol.dane.matched = -1;
	r->pol.sts.host_match = -1;
}

void
report_free(struct report *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		reply_free(&r->steps[i].reply);
	}
	ehlo_free(&r->caps_plain);
	ehlo_free(&r->caps_tls);
	r->nsteps = 0;
}

struct step *
report_add_step(struct report *r, enum step_kind kind, enum smtp_cmd cmd)
{
	struct step *s;

	if (r->nsteps == BOUND_STEPS) {
		return NULL;
	}
	s = &r->steps[r->nsteps++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->cmd = cmd;
	reply_init(&s->reply);
	return s;
}

int
report_step_index(const struct report *r, const struct step *s)
{
	return s == NULL ? -1 : (int)(s - r->steps);
}

void
report_evidence(struct report *r, int line)
{
	if (r->nfindings > 0) {
		r->findings[r->nfindings - 1].line = line;
	}
}

int
report_has(const struct report *r, enum finding_id id)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].id == id) {
			return 1;
		}
	}
	return 0;
}

void
report_internal(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->internal.cls != FAULT_NONE) {
		return;
	}
	r->internal.cls = FAULT_INTERNAL;
	va_start(ap, fmt);
	vsnprintf(r->internal.msg, sizeof(r->internal.msg), fmt, ap);
	va_end(ap);
}

void
report_hold(struct report *r, int step, const struct param_issue *iss)
{
	if (r->nheld == BOUND_HELD_ISSUES) {
		return;
	}
	r->held[r->nheld].step = step;
	r->held[r->nheld].iss = *iss;
	r->nheld++;
}

static void report_vadd(struct report *r, enum finding_id id, enum sev sev, int step,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void
report_vadd(
    struct report *r, enum finding_id id, enum sev sev, int step, const char *fmt, va_list ap)
{
	struct finding *f;

	if (r->nfindings == BOUND_FINDINGS) {
		r->findings_dropped++;
		return;
	}
	f = &r->findings[r->nfindings++];
	f->id = id;
	f->sev = sev;
	f->step = step;
	f->line = -1;
	f->advice = NULL;
	f->ignored = 0;
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
}

void
report_add(struct report *r, enum finding_id id, int step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vadd(r, id, finding_def(id)->sev, step, fmt, ap);
	va_end(ap);
}

void
report_add_sev(struct report *r, enum finding_id id, enum sev sev, int step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vadd(r, id, sev, step, fmt, ap);
	va_end(ap);
}

void
report_finish(struct report *r)
{
	enum sev v = SEV_OK;

	for (size_t i = 0; i < r->nfindings; i++) {
		if (!r->findings[i].ignored) {
			v = sev_worst(v, r->findings[i].sev);
		}
	}
	r->verdict = v;
}

int
report_tls_old(const struct report *r)
{
	const char *p = r->tls.protocol;

	return r->tls_done &&
	    (strcmp(p, "TLSv1") == 0 || strcmp(p, "TLSv1.1") == 0 || strncmp(p, "SSL", 3) == 0);
}

const struct ehlo *
report_caps(const struct report *r)
{
	if (r->have_caps_tls) {
		return &r->caps_tls;
	}
	return r->have_caps_plain ? &r->caps_plain : NULL;
}

/* The one table of step names, for every format: by kind, then for
 * commands by command (those without a short name keep the catalogue's). */
static const char *
report_kind_cmd_name(enum step_kind kind, enum smtp_cmd cmd)
{
	static const char *const names[SMTP_CMD_COUNT] = {
	    [SMTP_GREETING] = "banner",
	    [SMTP_EHLO] = "ehlo",
	    [SMTP_HELO] = "helo",
	    [SMTP_LHLO] = "lhlo",
	    [SMTP_STARTTLS] = "starttls",
	    [SMTP_AUTH] = "auth",
	    [SMTP_MAIL] = "mail",
	    [SMTP_RCPT] = "rcpt",
	    [SMTP_VRFY] = "vrfy",
	    [SMTP_EXPN] = "expn",
	    [SMTP_RSET] = "rset",
	    [SMTP_NOOP] = "noop",
	    [SMTP_QUIT] = "quit",
	};

	switch (kind) {
	case STEP_CONNECT:
		return "connect";
	case STEP_TLS:
		return "tls";
	case STEP_COMMAND:
		break;
	}
	if ((unsigned)cmd < SMTP_CMD_COUNT && names[cmd] != NULL) {
		return names[cmd];
	}
	return smtp_cmd_name(cmd);
}

const char *
report_step_name(const struct step *st)
{
	return report_kind_cmd_name(st->kind, st->cmd);
}

const char *
report_label_name(enum report_label l)
{
	/* Each label is named after the step it is first made of. */
	static const struct {
		enum step_kind kind;
		enum smtp_cmd cmd;
	} of[LABEL_COUNT] = {
	    [LABEL_CONNECT] = {STEP_CONNECT, SMTP_ANY},
	    [LABEL_BANNER] = {STEP_COMMAND, SMTP_GREETING},
	    [LABEL_EHLO] = {STEP_COMMAND, SMTP_EHLO},
	    [LABEL_STARTTLS] = {STEP_COMMAND, SMTP_STARTTLS},
	    [LABEL_TLS] = {STEP_TLS, SMTP_ANY},
	    [LABEL_AUTH] = {STEP_COMMAND, SMTP_AUTH},
	    [LABEL_MAIL] = {STEP_COMMAND, SMTP_MAIL},
	    [LABEL_RCPT] = {STEP_COMMAND, SMTP_RCPT},
	    [LABEL_VRFY] = {STEP_COMMAND, SMTP_VRFY},
	};

	return (unsigned)l < LABEL_COUNT ? report_kind_cmd_name(of[l].kind, of[l].cmd) : "?";
}

const char *
report_tls_mode_name(enum tls_mode m)
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

/* The label a step counts under, or LABEL_COUNT for none (QUIT, RSET...). */
static enum report_label
report_label_of(const struct step *st)
{
	switch (st->kind) {
	case STEP_CONNECT:
		return LABEL_CONNECT;
	case STEP_TLS:
		return LABEL_TLS;
	case STEP_COMMAND:
		break;
	}
	switch (st->cmd) {
	case SMTP_GREETING:
		return LABEL_BANNER;
	case SMTP_EHLO:
	case SMTP_HELO:
	case SMTP_LHLO: /* LMTP's EHLO: the same phase */
		return LABEL_EHLO;
	case SMTP_STARTTLS:
		return LABEL_STARTTLS;
	case SMTP_AUTH:
		return LABEL_AUTH;
	case SMTP_MAIL:
		return LABEL_MAIL;
	case SMTP_RCPT:
		return LABEL_RCPT;
	case SMTP_VRFY:
		return LABEL_VRFY;
	default:
		return LABEL_COUNT;
	}
}

void
report_timings(const struct report *r, struct report_timing t[LABEL_COUNT])
{
	memset(t, 0, sizeof(struct report_timing) * LABEL_COUNT);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *st = &r->steps[i];
		enum report_label l = report_label_of(st);

		if (l == LABEL_COUNT || st->state != STATE_SENT) {
			continue;
		}
		t[l].present = 1;
		t[l].ms += st->ms;
		if (st->reply.code != 0 && (l != LABEL_RCPT || st->reply.code > t[l].code)) {
			t[l].code = st->reply.code;
		}
	}
}

double
report_round_trips(const struct report *r)
{
	int halves = 0;

	for (size_t i = 0; i < r->nsteps; i++) {
		halves += r->steps[i].rt_halves;
	}
	return halves / 2.0;
}

const struct net_attempt *
report_address(const struct report *r)
{
	const struct net_attempt *last = NULL;

	for (size_t i = 0; i < r->net.ntries && i < BOUND_ATTEMPTS; i++) {
		const struct net_attempt *a = &r->net.tries[i];

		if (a->ok) {
			return a;
		}
		if (!a->not_tried) {
			last = a;
		}
	}
	return last;
}

const char *
report_family_name(int family)
{
	return family == AF_INET6 ? "ipv6" : family == AF_UNIX ? "unix" : "ipv4";
}
