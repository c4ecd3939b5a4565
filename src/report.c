#include <config.h>

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

static void
report_vadd(struct report *r, enum finding_id id, enum sev sev, int step,
    const char *fmt, va_list ap)
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
report_add_sev(struct report *r, enum finding_id id, enum sev sev, int step,
    const char *fmt, ...)
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
		v = sev_worst(v, r->findings[i].sev);
	}
	r->verdict = v;
}

const struct ehlo *
report_caps(const struct report *r)
{
	if (r->have_caps_tls) {
		return &r->caps_tls;
	}
	return r->have_caps_plain ? &r->caps_plain : NULL;
}
