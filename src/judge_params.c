/* judge_params.c - the words for the issues params_check found before a
 * MAIL FROM or RCPT TO was sent (held back, or sent with --force): what
 * the server would likely answer, and the fix.  Pure: the facts come from
 * struct param_issue (params.h). */
#include <config.h>

#include <stdio.h>

#include "i18n.h"
#include "judge.h"

static const char *
jp_cmd(enum smtp_cmd where)
{
	return where == SMTP_MAIL ? "MAIL FROM" : "RCPT TO";
}

void
judge_param_words(const struct param_issue *iss, char *out, size_t size)
{
	const char *cmd = jp_cmd(iss->where);
	const struct param *p = &iss->p;
	const struct params_def *d = iss->def;

	switch (iss->what) {
	case PARAM_OTHER_COMMAND:
		snprintf(out, size,
		    _("%s parameter %s belongs to %s, not %s; the server would "
		      "likely answer 555 5.5.4. Fix: pass it with --%s-param."),
		    cmd, p->key, jp_cmd(iss->where == SMTP_MAIL ? SMTP_RCPT : SMTP_MAIL), cmd,
		    iss->where == SMTP_MAIL ? "rcpt" : "mail");
		break;
	case PARAM_UNDEFINED:
		snprintf(out, size,
		    _("%s parameter %s is not defined by any SMTP extension "
		      "smtprobe knows; the server would likely answer 555 5.5.4. Fix: check its "
		      "spelling, or drop it."),
		    cmd, p->key);
		break;
	case PARAM_BAD_FORM:
		snprintf(out, size,
		    _("%s parameter %s%s%s does not have the form %s; the server "
		      "would likely answer 501 5.5.4. Fix: give it that form."),
		    cmd, p->key, p->has_value ? "=" : "", p->value, d->form);
		break;
	case PARAM_NOT_ADVERTISED:
		snprintf(out, size,
		    _("%s parameter %s needs the %s extension, which the server "
		      "does not advertise; it would likely answer 555 5.5.4 (or 504 5.5.4). Fix: "
		      "drop "
		      "the parameter, or enable %s on the server."),
		    cmd, d->key, d->keyword, d->keyword);
		break;
	case PARAM_ALSO_NEEDED:
		snprintf(out, size,
		    _("%s=%s needs %s too, which the server does not advertise; it "
		      "would likely answer 555 5.5.4. Fix: choose another value (%s), or enable %s "
		      "on "
		      "the server."),
		    d->key, p->value, d->also, d->form, d->also);
		break;
	case PARAM_SIZE_OVER:
		snprintf(out, size,
		    _("SIZE=%s is above the %llu octets the server advertises; it "
		      "would likely answer 552 5.3.4. Fix: send a smaller message, or raise the "
		      "server's limit."),
		    p->value, iss->limit);
		break;
	case PARAM_ADDR_NO_SMTPUTF8:
		snprintf(out, size,
		    _("%s <%s> is not ASCII and the server does not advertise "
		      "SMTPUTF8; it would likely answer 553 5.6.7. Fix: use an ASCII address, or a "
		      "server with SMTPUTF8 (RFC 6531)."),
		    cmd, iss->addr);
		break;
	case PARAM_ADDR_NO_PARAM:
		snprintf(out, size,
		    _("MAIL FROM <%s> is not ASCII but carries no SMTPUTF8 "
		      "parameter; the server would likely answer 553 5.6.7. Fix: add --mail-param "
		      "SMTPUTF8."),
		    iss->addr);
		break;
	}
}
