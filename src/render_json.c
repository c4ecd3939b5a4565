/* render_json.c - one report as one JSON object on one line (schema
 * "smtprobe-report/2", docs/report.schema.json).  Text that came from the
 * network is escaped as in the terminal (control bytes and malformed
 * UTF-8 as \xNN), so every string is valid UTF-8. */
#include <config.h>

#include <jansson.h>
#include <string.h>

#include "advice.h"
#include "esc.h"
#include "i18n.h"
#include "polwords.h"
#include "render.h"
#include "srvreply.h"

#define JSON_ESC_MAX (BOUND_LINE_ACCEPT * 4 + 64)

static json_t *
rj_esc(const char *s, size_t len)
{
	char buf[JSON_ESC_MAX];

	return json_string(esc_text(s, len, buf, sizeof(buf)));
}

static json_t *
rj_esc_str(const char *s)
{
	return rj_esc(s, strlen(s));
}

/* Text in the user's charset (a translation, a message built from one,
 * or what the user typed): converted to UTF-8, then escaped, so that no
 * key is ever lost to a string Jansson refuses as not UTF-8. */
static json_t *
rj_text(const char *s)
{
	char buf[JSON_ESC_MAX];

	return rj_esc_str(i18n_utf8_text(s, buf, sizeof(buf)));
}

static json_t *
rj_reply_flags(unsigned fl)
{
	size_t n;
	const struct reply_flag_info *names = reply_flags(&n);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		if (fl & names[i].bit) {
			json_array_append_new(a, json_string(names[i].id));
		}
	}
	return a;
}

static json_t *
rj_step(const struct step *st)
{
	json_t *o = json_object();
	const struct srv_row *known;

	json_object_set_new(o, "step", json_string(report_step_name(st)));
	json_object_set_new(o, "command",
	    st->kind == STEP_COMMAND && st->sent[0] ? rj_text(st->sent) : json_null());
	json_object_set_new(o, "over_tls", json_boolean(st->over_tls));
	json_object_set_new(o, "sent", json_boolean(st->state == STATE_SENT));
	json_object_set_new(o, "state", json_string(render_step_state(st->state)));
	json_object_set_new(o, "pipelined", json_boolean(st->pipelined));
	if (st->reply.nlines > 0) {
		json_t *rp = json_object(), *lines = json_array();

		for (size_t i = 0; i < st->reply.nlines; i++) {
			json_array_append_new(
			    lines, rj_esc(st->reply.lines[i].text, st->reply.lines[i].len));
		}
		json_object_set_new(
		    rp, "code", st->reply.code ? json_integer(st->reply.code) : json_null());
		json_object_set_new(
		    rp, "enhanced", st->reply.enh[0] ? json_string(st->reply.enh) : json_null());
		json_object_set_new(rp, "complete", json_boolean(st->reply.complete));
		json_object_set_new(rp, "lines", lines);
		json_object_set_new(rp, "flags", rj_reply_flags(st->reply.flags));
		json_object_set_new(o, "reply", rp);
		json_object_set_new(o, "explanation",
		    st->reply.complete ? rj_text(render_step_explanation(st)) : json_null());
	} else {
		json_object_set_new(o, "reply", json_null());
		json_object_set_new(o, "explanation", json_null());
	}
	json_object_set_new(o, "ms", json_integer(st->ms));
	if (st->fault.cls != FAULT_NONE) {
		json_object_set_new(o, "error",
		    json_pack("{s:s, s:o}", "class", fault_class_name(st->fault.cls), "message",
		        rj_text(st->fault.msg)));
	} else {
		json_object_set_new(o, "error", json_null());
	}
	if (st->reply.rawlen > 0) {
		json_object_set_new(o, "unparsed", rj_esc(st->reply.raw, st->reply.rawlen));
	}
	if ((known = srvreply_of_reply(&st->reply, st->cmd)) != NULL) {
		json_object_set_new(o, "known_reply",
		    json_pack("{s:s, s:s, s:s, s:s}", "server", known->server, "cause",
		        _(known->cause), "fix", _(known->fix), "source", known->source));
	}
	if (st->injected > 0) {
		json_object_set_new(o, "injected_bytes", json_integer((json_int_t)st->injected));
	}
	return o;
}

static json_t *
rj_caps(int have, const struct ehlo *e)
{
	json_t *a;

	if (!have) {
		return json_null();
	}
	a = json_array();
	for (size_t i = 0; i < e->n; i++) {
		json_array_append_new(a,
		    json_pack("{s:o, s:o}", "keyword", rj_esc(e->ext[i].keyword, e->ext[i].klen),
		        "params", rj_esc(e->ext[i].params, e->ext[i].plen)));
	}
	return a;
}

static json_t *
rj_tls(const struct report *r)
{
	const struct tls_info *t = &r->tls;
	json_t *o;

	if (!r->tls_done) {
		return json_null();
	}
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "protocol", t->protocol,
	    "cipher", t->cipher, "group", t->group[0] ? json_string(t->group) : json_null(),
	    "key_exchange", t->kx[0] ? json_string(t->kx) : json_null(), "dh_bits",
	    t->dh_bits > 0 ? json_integer(t->dh_bits) : json_null(), "sni",
	    t->sni[0] ? rj_text(t->sni) : json_null(), "verified", t->verified, "verify_result",
	    rj_text(t->verify_reason), "verify_depth",
	    t->verify_depth >= 0 && !t->verified ? json_integer(t->verify_depth) : json_null());
	if (o == NULL) {
		return json_null();
	}
	{
		json_t *chain = json_array();

		for (size_t k = 0; k < t->nchain; k++) {
			const struct tls_cert *c = &t->chain[k];

			json_array_append_new(chain,
			    json_pack("{s:i, s:o, s:s, s:b, s:s, s:b, s:s, s:I, s:b}", "depth",
			        c->depth, "subject", rj_esc_str(c->subject), "key", c->key,
			        "weak_key", c->weak_key, "signature", c->sig_alg, "weak_signature",
			        c->weak_sig, "not_after", c->not_after, "days_left",
			        (json_int_t)c->days_left, "not_yet_valid", c->not_yet_valid));
		}
		json_object_set_new(o, "chain", chain);
	}
	if (t->have_cert) {
		json_object_set_new(o, "certificate",
		    json_pack("{s:o, s:o, s:o, s:s, s:s, s:I, s:I, s:s, s:s}", "subject",
		        rj_esc_str(t->subject), "issuer", rj_esc_str(t->issuer), "names",
		        rj_esc_str(t->sans), "not_before", t->not_before, "not_after", t->not_after,
		        "not_after_unix", (json_int_t)t->not_after_unix, "days_left",
		        (json_int_t)t->days_left, "key", t->key, "signature", t->sig_alg));
	} else {
		json_object_set_new(o, "certificate", json_null());
	}
	return o;
}

/* The SASL mechanism AUTH ran, whether the server proved that it knows
 * the password (SCRAM's signature) and the TLS channel binding a -PLUS
 * mechanism sent (null: none); null when no AUTH ran. */
static json_t *
rj_auth(const struct report *r)
{
	static const char *const proof[] = {
	    [AUTH_PROOF_NA] = "not-applicable",
	    [AUTH_PROOF_YES] = "yes",
	    [AUTH_PROOF_MISSING] = "missing",
	    [AUTH_PROOF_BAD] = "wrong",
	};

	if (r->auth_mech[0] == '\0') {
		return json_null();
	}
	return json_pack("{s:s, s:s, s:o}", "mechanism", r->auth_mech, "server_proof",
	    proof[r->auth_proof], "channel_binding",
	    r->auth_binding[0] ? json_string(r->auth_binding) : json_null());
}

/* A DNS lookup's outcome (mxpolicy.h), or null when none was made. */
static json_t *
rj_dns(const struct dns_fact *f)
{
	if (f->sec == DNSSEC_NOT_ASKED) {
		return json_null();
	}
	return json_pack("{s:s, s:o, s:i, s:o, s:I}", "dnssec", dnssec_status_name(f->sec), "rcode",
	    f->rcode >= 0 ? json_integer(f->rcode) : json_null(), "records", f->nrecords, "reason",
	    f->why[0] ? rj_esc_str(f->why) : json_null(), "ms", (json_int_t)f->ms);
}

/* A string from DNS or HTTP, or null when empty. */
static json_t *
rj_opt(const char *s)
{
	return s[0] != '\0' ? rj_esc_str(s) : json_null();
}

static json_t *
rj_dane(const struct dane_fact *d)
{
	json_t *o, *records;
	char hex[2 * TLSA_MAX_DATA + 32];

	if (d->state == DANE_NOT_ASKED) {
		return json_null();
	}
	records = json_array();
	for (size_t i = 0; i < d->nrr && i < MXPOL_MAX_TLSA; i++) {
		const struct tlsa_rr *rr = &d->rr[i];

		pol_tlsa_text(rr, 0, hex, sizeof(hex));
		json_array_append_new(records,
		    json_pack("{s:i, s:i, s:i, s:s, s:s, s:b}", "usage", rr->usage, "selector",
		        rr->selector, "matching_type", rr->mtype, "data",
		        strrchr(hex, ' ') ? strrchr(hex, ' ') + 1 : "", "verdict",
		        tlsa_verdict_id(d->verdict[i]), "matched", d->matched == (int)i));
	}
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "state", dane_state_id(d->state),
	    "tlsa_name", rj_opt(d->tlsa_name), "mx", rj_dns(&d->mx), "addresses", rj_dns(&d->addr),
	    "tlsa", rj_dns(&d->tlsa), "records", records, "records_dropped",
	    (json_int_t)d->rr_dropped, "usable_records", (json_int_t)pol_usable(d));
	if (o == NULL) {
		return json_null();
	}
	json_object_set_new(o, "matched",
	    d->state == DANE_MATCHED && d->matched >= 0
	        ? json_pack("{s:i, s:i, s:o, s:o}", "record", d->matched, "depth", d->matched_depth,
	              "subject", rj_esc_str(d->matched_subject), "name", rj_opt(d->matched_name))
	        : json_null());
	json_object_set_new(o, "error", rj_opt(d->error));
	return o;
}

static json_t *
rj_sts_policy(const struct sts_fact *s)
{
	json_t *mx;

	if (s->fetch != STS_FETCH_OK) {
		return json_null();
	}
	mx = json_array();
	for (size_t i = 0; i < s->policy.nmx && i < STS_MAX_MX; i++) {
		json_array_append_new(mx, rj_esc_str(s->policy.mx[i]));
	}
	return json_pack("{s:b, s:o, s:o, s:o, s:I, s:o}", "valid", s->policy.valid, "error",
	    rj_opt(s->policy.error), "mode",
	    s->policy.mode != STS_MODE_UNSET ? json_string(sts_mode_name(s->policy.mode))
	                                     : json_null(),
	    "mx", mx, "mx_dropped", (json_int_t)s->policy.mx_dropped, "max_age",
	    s->policy.max_age >= 0 ? json_integer(s->policy.max_age) : json_null());
}

static json_t *
rj_sts(const struct sts_fact *s)
{
	json_t *o;

	if (!s->asked) {
		return json_null();
	}
	o = json_pack("{s:o, s:o, s:i, s:o, s:b, s:o, s:o}", "domain", rj_esc_str(s->domain), "txt",
	    rj_dns(&s->txt), "txt_records", s->ntxt, "txt_text", rj_opt(s->txt_text), "txt_valid",
	    s->ntxt == 1 && s->rec.valid, "id", s->rec.valid ? rj_esc_str(s->rec.id) : json_null(),
	    "txt_error", rj_opt(s->rec.error));
	if (o == NULL) {
		return json_null();
	}
	json_object_set_new(o, "fetch",
	    s->fetch == STS_FETCH_NOT_RUN
	        ? json_null()
	        : json_pack("{s:s, s:o, s:o, s:o, s:I}", "result", sts_fetch_id(s->fetch),
	              "http_status",
	              s->http_status > 0 ? json_integer(s->http_status) : json_null(), "detail",
	              rj_opt(s->fetch_detail), "address", rj_opt(s->fetch_address), "ms",
	              (json_int_t)s->fetch_ms));
	json_object_set_new(o, "policy", rj_sts_policy(s));
	json_object_set_new(o, "mx_match",
	    s->fetch == STS_FETCH_OK && s->policy.valid && s->host_match >= 0 &&
	            (size_t)s->host_match < s->policy.nmx && s->host_match < STS_MAX_MX
	        ? rj_esc_str(s->policy.mx[s->host_match])
	        : json_null());
	return o;
}

static json_t *
rj_tlsrpt(const struct tlsrpt_fact *t)
{
	json_t *rua;

	if (!t->asked) {
		return json_null();
	}
	rua = json_array();
	for (size_t i = 0; t->rec.valid && i < t->rec.nrua && i < TLSRPT_MAX_RUA; i++) {
		json_array_append_new(rua, rj_esc_str(t->rec.rua[i]));
	}
	return json_pack("{s:o, s:i, s:o, s:b, s:o, s:I, s:o}", "txt", rj_dns(&t->txt), "records",
	    t->ntxt, "text", rj_opt(t->txt_text), "valid", t->ntxt == 1 && t->rec.valid, "rua", rua,
	    "rua_dropped", (json_int_t)t->rec.rua_dropped, "error", rj_opt(t->rec.error));
}

/* The TLS policy facts (DANE, MTA-STS, TLS-RPT) and the level they were
 * judged at; null when none was looked up and the level is the default. */
static json_t *
rj_policy(const struct report *r)
{
	const struct mxpolicy *p = &r->pol;

	if (!pol_any(p)) {
		return json_null();
	}
	return json_pack("{s:s, s:o, s:o, s:o, s:o}", "level",
	    p->level == TLSLVL_DEFAULT ? "default" : tls_level_name(p->level), "dnssec_unchecked",
	    rj_opt(p->dnssec_unchecked), "dane", rj_dane(&p->dane), "mta_sts", rj_sts(&p->sts),
	    "tls_rpt", rj_tlsrpt(&p->tlsrpt));
}

int
render_json(FILE *out, const struct report *r)
{
	json_t *o = json_object(), *steps = json_array(), *findings = json_array(),
	       *tries = json_array();
	char target[300];
	int rc;

	json_object_set_new(o, "schema", json_string("smtprobe-report/2"));
	json_object_set_new(o, "target", rj_text(render_target(r, target, sizeof(target))));
	json_object_set_new(o, "host", rj_text(r->target.host));
	json_object_set_new(
	    o, "port", r->target.is_unix ? json_null() : json_integer(r->target.port));
	json_object_set_new(
	    o, "unix_socket", r->target.is_unix ? rj_text(r->target.host) : json_null());
	json_object_set_new(o, "protocol", json_string(r->lmtp ? "lmtp" : "smtp"));
	json_object_set_new(o, "mx",
	    r->mx_domain[0]
	        ? json_pack("{s:o, s:o, s:I}", "domain", rj_text(r->mx_domain), "preference",
	              r->mx_pref >= 0 ? json_integer(r->mx_pref) : json_null(), "lookup_ms",
	              (json_int_t)r->mx_ms)
	        : json_null());
	json_object_set_new(o, "verdict", json_string(sev_name(r->verdict)));
	json_object_set_new(o, "exit_status", json_integer((int)r->verdict));
	json_object_set_new(o, "duration_ms", json_integer(r->total_ms));
	json_object_set_new(o, "round_trips", json_real(report_round_trips(r)));
	json_object_set_new(
	    o, "server_name", r->server_name[0] ? rj_esc_str(r->server_name) : json_null());
	json_object_set_new(o, "ehlo_name", r->ehlo_name[0] ? rj_text(r->ehlo_name) : json_null());
	json_object_set_new(o, "tls_mode", json_string(report_tls_mode_name(r->tls_mode)));
	{
		const struct net_attempt *tested = report_address(r);

		json_object_set_new(o, "address",
		    tested                 ? json_string(tested->addr)
		        : r->group.addr[0] ? json_string(r->group.addr)
		                           : json_null());
		json_object_set_new(o, "family",
		    tested                 ? json_string(report_family_name(tested->family))
		        : r->group.addr[0] ? json_string(report_family_name(r->group.family))
		                           : json_null());
	}
	for (size_t i = 0; i < r->net.ntries; i++) {
		const struct net_attempt *a = &r->net.tries[i];

		json_array_append_new(tries,
		    json_pack("{s:s, s:s, s:b, s:o, s:I}", "address", a->addr, "family",
		        report_family_name(a->family), "connected", a->ok, "error",
		        a->ok ? json_null() : rj_text(a->why), "ms", (json_int_t)a->ms));
	}
	json_object_set_new(o, "connect_attempts", tries);
	for (size_t i = 0; i < r->nsteps; i++) {
		json_array_append_new(steps, rj_step(&r->steps[i]));
	}
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "tls", rj_tls(r));
	json_object_set_new(o, "auth", rj_auth(r));
	json_object_set_new(o, "policy", rj_policy(r));
	json_object_set_new(o, "capabilities",
	    json_pack("{s:o, s:o}", "before_tls", rj_caps(r->have_caps_plain, &r->caps_plain),
	        "after_tls", rj_caps(r->have_caps_tls, &r->caps_tls)));
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		json_t *jf = json_pack("{s:s, s:s, s:o, s:o, s:b, s:o}", "id",
		    finding_def(f->id)->id, "severity", sev_name(f->sev), "message",
		    rj_text(f->msg), "step", f->step >= 0 ? json_integer(f->step) : json_null(),
		    "ignored", f->ignored, "fix", rj_text(_(finding_def(f->id)->fix)));

		if (f->advice != NULL) {
			json_object_set_new(jf, "advice",
			    json_pack("{s:s, s:s, s:s}", "server", f->advice->server, "setting",
			        f->advice->setting, "source", f->advice->source));
		}
		json_array_append_new(findings, jf);
	}
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "software", r->software ? json_string(r->software) : json_null());
	/* Present only when they apply (additive to the schema). */
	if (r->reused_of > 0) {
		json_object_set_new(o, "reused_from", json_integer((json_int_t)r->reused_of));
	}
	if (r->target.uhost[0] != '\0') {
		json_object_set_new(
		    o, "host_unicode", rj_esc_str(r->target.uhost)); /* UTF-8 already */
	}
	if (r->mx_domain_u[0] != '\0') {
		json_object_set_new(o, "mx_domain_unicode", rj_esc_str(r->mx_domain_u));
	}
	if (r->group.count > 0) {
		json_object_set_new(o, "all_addresses",
		    json_pack("{s:I, s:I, s:I, s:s, s:o}", "index", (json_int_t)r->group.index,
		        "count", (json_int_t)r->group.count, "not_probed",
		        (json_int_t)r->group.not_probed, "host_verdict",
		        sev_name(r->group.host_verdict), "compared_with",
		        r->group.ref_addr[0] ? json_string(r->group.ref_addr) : json_null()));
	}
	if (r->retry.retried) {
		const struct retry_fact *t = &r->retry;

		json_object_set_new(o, "first_attempt",
		    json_pack("{s:o, s:s, s:o, s:i, s:o, s:o, s:I, s:I}", "address",
		        t->addr[0] ? json_string(t->addr) : json_null(), "command",
		        smtp_cmd_name(t->cmd), "sent",
		        t->sent[0] ? rj_esc_str(t->sent) : json_null(), "code", t->code, "enhanced",
		        t->enh[0] ? json_string(t->enh) : json_null(), "text", rj_esc_str(t->text),
		        "ms", (json_int_t)t->ms, "waited_ms", (json_int_t)t->waited_ms));
	}
	rc = json_dumpf(o, out, JSON_COMPACT | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(o);
	return rc;
}
