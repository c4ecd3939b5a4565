/* render.c - helpers every renderer shares: the names, the target, the
 * worst finding and the chain's expiry as the formats show them.
 */
#include <config.h>

#include <string.h>

#include "catalog.h"
#include "i18n.h"
#include "render.h"

const char *
render_step_state(enum step_state s)
{
	switch (s) {
	case STATE_SENT:
		return "sent";
	case STATE_HELD:
		return "held";
	case STATE_SKIPPED:
		return "skipped";
	case STATE_NOT_REACHED:
		return "not-reached";
	}
	return "sent";
}

const struct finding *
render_worst(const struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		if (!r->findings[i].ignored && r->findings[i].sev == r->verdict) {
			return &r->findings[i];
		}
	}
	return NULL;
}

const char *
render_target(const struct report *r, char *buf, size_t size)
{
	int v6 = r->target.is_addr && strchr(r->target.host, ':') != NULL;

	if (r->target.is_unix) {
		snprintf(buf, size, "unix:%s", r->target.host);
		return buf;
	}
	snprintf(
	    buf, size, "%s%s%s:%u", v6 ? "[" : "", r->target.host, v6 ? "]" : "", r->target.port);
	return buf;
}

const char *
render_step_explanation(const struct step *st)
{
	if (!st->reply.complete) {
		return "";
	}
	return catalog_explain(st->reply.code, st->reply.enh, st->cmd).text;
}

long long
render_chain_days(const struct tls_info *t)
{
	if (t->earliest >= 0 && (size_t)t->earliest < t->nchain &&
	    t->chain[t->earliest].days_left < t->days_left) {
		return (long long)t->chain[t->earliest].days_left;
	}
	return (long long)t->days_left;
}

void
render_chain_expiry(FILE *out, const struct tls_info *t)
{
	const struct tls_cert *c;

	if (t->earliest <= 0 || (size_t)t->earliest >= t->nchain) {
		return;
	}
	c = &t->chain[t->earliest];
	if (c->days_left >= t->days_left) {
		return;
	}
	if (c->days_left < 0) {
		fprintf(out, _("; certificate %d of the chain has EXPIRED"), c->depth);
	} else {
		fprintf(out, _("; certificate %d of the chain: %lld days left"), c->depth,
		    (long long)c->days_left);
	}
}
