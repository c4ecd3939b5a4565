#include <config.h>

#include <string.h>

#include "advice.h"
#include "b64.h"
#include "catalog.h"
#include "esc.h"
#include "i18n.h"
#include "render.h"
#include "srvreply.h"
#include "tw.h"

/* Room for one escaped line: every byte may become "\xNN". */
#define RENDER_ESC_MAX (BOUND_LINE_ACCEPT * 4 + 64)

/* The summary's findings: the severity column starts after the label
 * column (2 + 13 + 1), the texts under a finding after the severity. */
#define RENDER_FINDING_INDENT 25

/* Text is wrapped to a terminal's 80 columns. */
#define RENDER_WIDTH 80

/* ANSI SGR sequences (ECMA-48 8.3.117), the only escape sequences
 * smtprobe writes, and only with --color. */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"

static const char *
render_sgr_sev(enum sev s)
{
	switch (s) {
	case SEV_OK:
		return "\033[1;32m"; /* green */
	case SEV_WARNING:
		return "\033[1;33m"; /* yellow */
	case SEV_CRITICAL:
		return "\033[1;31m"; /* red */
	case SEV_UNKNOWN:
		return "\033[1;35m"; /* magenta */
	case SEV_INFO:
		break;
	}
	return SGR_BOLD;
}

/* A severity's name, coloured when color is set, then spaces up to
 * width columns (0: none). */
static void
render_sev(FILE *out, enum sev s, int color, int width)
{
	const char *name = sev_name(s);

	fprintf(out, "%s%s%s", color ? render_sgr_sev(s) : "", name, color ? SGR_RESET : "");
	for (int k = (int)strlen(name); k < width; k++) {
		fputc(' ', out);
	}
}

/* A transcript prefix, "C:" or "S:", marked when color is set. */
static void
render_prefix(FILE *out, const char *prefix, const char *sgr, int color)
{
	fprintf(out, "%s%s%s ", color ? sgr : "", prefix, color ? SGR_RESET : "");
}

static void
render_esc(FILE *out, const char *s, size_t len)
{
	char buf[RENDER_ESC_MAX];

	fputs(esc_text_cs(s, len, buf, sizeof(buf), i18n_utf8()), out);
}

static void
render_esc_str(FILE *out, const char *s)
{
	render_esc(out, s, strlen(s));
}

/* The summary's left column: a label (translated, so counted in columns). */
static void
render_label(FILE *out, const char *label)
{
	fputs("  ", out);
	tw_pad(out, label, 13);
	fputc(' ', out);
}

static void
render_connect(FILE *out, const struct report *r, enum render_verbosity v)
{
	const struct net_result *n = &r->net;

	for (size_t i = 0; i < n->ntries; i++) {
		const struct net_attempt *a = &n->tries[i];

		if (a->ok && r->target.is_unix) {
			fprintf(out, _("   # connected to the socket %s in %lld ms\n"), a->addr,
			    (long long)a->ms);
		} else if (r->target.is_unix) {
			fprintf(out, "   # %s: %s (%lld ms)\n", a->addr, a->why, (long long)a->ms);
		} else if (a->ok) {
			fprintf(out, _("   # connected to %s port %u in %lld ms\n"), a->addr,
			    r->target.port, (long long)a->ms);
		} else {
			fprintf(out, "   # %s port %u: %s (%lld ms)\n", a->addr, r->target.port,
			    a->why, (long long)a->ms);
		}
	}
	if (n->skipped > 0) {
		fprintf(out,
		    P_("   # %zu more address not tried\n", "   # %zu more addresses not tried\n",
		        n->skipped),
		    n->skipped);
	}
	(void)v;
}

static void
render_flags(FILE *out, unsigned fl)
{
	size_t n;
	const struct reply_flag_info *names = reply_flags(&n);
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		if (fl & names[i].bit) {
			fprintf(
			    out, "%s%s", first ? _("   # reply flags: ") : ", ", _(names[i].words));
			first = 0;
		}
	}
	if (!first) {
		fputc('\n', out);
	}
}

/* A 334 challenge, decoded for display (it is base64 by definition). */
static void
render_challenge(FILE *out, const struct reply *rp)
{
	unsigned char buf[BOUND_LINE_ACCEPT];
	size_t tlen, dlen;
	const char *t = reply_text(rp, 0, &tlen);

	if (tlen == 0) {
		fputs(_("   #   challenge: (empty)\n"), out);
	} else if (b64_decode(t, tlen, buf, sizeof(buf), &dlen) == 0) {
		fputs(_("   #   challenge, decoded: "), out);
		render_esc(out, (const char *)buf, dlen);
		fputc('\n', out);
	} else {
		fputs(_("   #   challenge is not valid base64 (RFC 4954 requires it)\n"), out);
	}
}

/* A reply text known from a real server's source or documentation: that
 * server's cause and fix (data/server-replies.tsv). */
static void
render_known_reply(FILE *out, const struct step *st)
{
	const struct srv_row *row = srvreply_of_reply(&st->reply, st->cmd);

	if (row == NULL) {
		return;
	}
	fprintf(out, _("   #   known %s reply: %s\n"), row->server, _(row->cause));
	fprintf(out, _("   #   fix: %s\n"), _(row->fix));
}

static void
render_reply(FILE *out, const struct step *st, enum render_verbosity v, int color)
{
	const struct reply *rp = &st->reply;
	struct catalog_hit hit;

	for (size_t i = 0; i < rp->nlines; i++) {
		render_prefix(out, "S:", SGR_BOLD, color);
		render_esc(out, rp->lines[i].text, rp->lines[i].len);
		fputc('\n', out);
	}
	if (rp->rawlen > 0) {
		/* What broke the reply, as it came (escaped). */
		render_prefix(out, "S:", SGR_BOLD, color);
		render_esc(out, rp->raw, rp->rawlen);
		fputs(rp->rawtotal > rp->rawlen ? "...\n" : "\n", out);
		fprintf(out, _("   # (%zu bytes that are not a valid reply line)\n"), rp->rawtotal);
	}
	if (v >= RENDER_VERBOSE) {
		render_flags(out, rp->flags);
	}
	if (rp->complete) {
		hit = catalog_explain(rp->code, rp->enh, st->cmd);
		fprintf(out, _("   # %d%s%s %s: %s%s\n"), rp->code, rp->enh[0] ? " " : "", rp->enh,
		    catalog_class_name(rp->code), hit.text,
		    hit.known ? "" : _(" (non-standard code)"));
		if (rp->code == 334 && st->cmd == SMTP_AUTH) {
			render_challenge(out, rp);
		}
		if (hit.enh != NULL && !hit.text_has_enh && rp->code >= 400) {
			fprintf(out, "   #   %s: %s\n", rp->enh, _(hit.enh->meaning));
		}
		render_known_reply(out, st);
	}
	if (st->fault.cls != FAULT_NONE) {
		fprintf(out, "   # %s: ", _(fault_class_name(st->fault.cls)));
		render_esc_str(out, st->fault.msg);
		fputc('\n', out);
	}
}

static void
render_tls_step(FILE *out, const struct report *r, const struct step *st)
{
	const struct tls_info *t = &r->tls;

	if (st->fault.cls != FAULT_NONE) {
		fprintf(out, _("   # TLS handshake failed after %lld ms: "), (long long)st->ms);
		render_esc_str(out, st->fault.msg);
		fputc('\n', out);
		return;
	}
	fprintf(out, _("   # TLS handshake: %s, %s%s%s (%lld ms)\n"), t->protocol, t->cipher,
	    t->group[0]    ? _(", group ")
	        : t->kx[0] ? _(", key exchange ")
	                   : "",
	    t->group[0] ? t->group : t->kx, (long long)st->ms);
	fputs(_("   # certificate: "), out);
	render_esc_str(out, t->subject[0] ? t->subject : _("(no subject)"));
	if (t->verified) {
		fputs(_(", verified for "), out);
		render_esc_str(out, t->checked_name);
	} else {
		fputs(_(", NOT verified: "), out);
		render_esc_str(out, t->verify_reason);
	}
	fputc('\n', out);
}

/* The findings recorded against step i, one "#" line each. */
static void
render_step_findings(FILE *out, const struct report *r, size_t i)
{
	for (size_t k = 0; k < r->nfindings; k++) {
		if (r->findings[k].step == (int)i) {
			fprintf(out, "   #   %s: ", finding_def(r->findings[k].id)->id);
			render_esc_str(out, r->findings[k].msg);
			fputc('\n', out);
		}
	}
}

static void
render_transcript(FILE *out, const struct report *r, enum render_verbosity v, int color)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *st = &r->steps[i];

		switch (st->kind) {
		case STEP_CONNECT:
			render_connect(out, r, v);
			if (st->fault.cls == FAULT_RESOLVE) {
				fputs("   # ", out);
				render_esc_str(out, st->fault.msg);
				fputc('\n', out);
			}
			break;
		case STEP_TLS:
			render_tls_step(out, r, st);
			break;
		case STEP_COMMAND:
			if (st->state == STATE_HELD) {
				fprintf(out, _("   # held back, not sent: %s\n"), st->sent);
				render_step_findings(out, r, i);
				break;
			}
			if (st->state == STATE_SKIPPED || st->state == STATE_NOT_REACHED) {
				fprintf(out,
				    st->state == STATE_SKIPPED
				        ? _("   # skipped, not sent: %s\n")
				        : _("   # not reached, not sent: %s\n"),
				    st->sent);
				render_step_findings(out, r, i);
				break;
			}
			if (i + 1 < r->nsteps && r->steps[i + 1].pipelined && !st->pipelined) {
				size_t n = 1;

				while (i + n < r->nsteps && r->steps[i + n].pipelined) {
					n++;
				}
				fprintf(out,
				    _("   # pipelined (RFC 2920): the next %zu commands went out "
				      "in one write; "
				      "their replies are matched in order\n"),
				    n);
			}
			if (st->sent[0] != '\0') {
				render_prefix(out, "C:", SGR_DIM, color);
				fprintf(out, "%s\n", st->sent);
			}
			if (st->injected > 0) {
				fprintf(out,
				    P_("   # %zu byte after the 220 was discarded unread\n",
				        "   # %zu bytes after the 220 were discarded unread\n",
				        st->injected),
				    st->injected);
			}
			render_reply(out, st, v, color);
			break;
		}
	}
}

static void
render_caps(FILE *out, const char *label, const struct ehlo *e)
{
	render_label(out, label);
	if (e->n == 0) {
		fputs(_("(no extensions)"), out);
	}
	for (size_t i = 0; i < e->n; i++) {
		if (i > 0) {
			fputs(", ", out);
		}
		render_esc(out, e->ext[i].keyword, e->ext[i].klen);
		if (e->ext[i].plen > 0) {
			fputc(' ', out);
			render_esc(out, e->ext[i].params, e->ext[i].plen);
		}
	}
	fputc('\n', out);
}

static void
render_timings(FILE *out, const struct report *r)
{
	render_label(out, _("timings"));
	for (size_t i = 0; i < r->nsteps; i++) {
		if (r->steps[i].state == STATE_SENT) {
			fprintf(out, "%s %lld ms, ", report_step_name(&r->steps[i]),
			    (long long)r->steps[i].ms);
		}
	}
	fprintf(out, _("total %lld ms, %.1f round trips\n"), (long long)r->total_ms,
	    report_round_trips(r));
}

static void
render_cert(FILE *out, const struct tls_info *t)
{
	render_label(out, "tls");
	fprintf(out, "%s, %s%s%s\n", t->protocol, t->cipher,
	    t->group[0]    ? _(", group ")
	        : t->kx[0] ? _(", key exchange ")
	                   : "",
	    t->group[0] ? t->group : t->kx);
	render_label(out, _("certificate"));
	if (!t->have_cert) {
		fprintf(out, "%s\n", _("none sent"));
		return;
	}
	fputs(_("subject "), out);
	render_esc_str(out, t->subject);
	fputc('\n', out);
	render_label(out, "");
	fputs(_("names "), out);
	render_esc_str(out, t->sans[0] ? t->sans : _("(no subjectAltName)"));
	fputc('\n', out);
	render_label(out, "");
	fputs(_("issuer "), out);
	render_esc_str(out, t->issuer);
	fputc('\n', out);
	render_label(out, "");
	if (t->days_left < 0) {
		fprintf(out, _("valid %s to %s (expired %lld days ago)\n"), t->not_before,
		    t->not_after, (long long)-t->days_left);
	} else {
		fprintf(out, _("valid %s to %s (%lld days left)\n"), t->not_before, t->not_after,
		    (long long)t->days_left);
	}
	render_label(out, "");
	fprintf(out, _("key %s, signature %s\n"), t->key, t->sig_alg);
	for (size_t k = 1; k < t->nchain; k++) {
		const struct tls_cert *c = &t->chain[k];

		render_label(out, "");
		fprintf(out, _("chain %d: "), c->depth);
		render_esc_str(out, c->subject);
		fputc('\n', out);
		render_label(out, "");
		fprintf(out, _("  key %s, signature %s\n"), c->key, c->sig_alg);
		render_label(out, "");
		fprintf(out,
		    c->days_left < 0 ? _("  until %s (expired %lld days ago)\n")
		                     : _("  until %s (%lld days left)\n"),
		    c->not_after, (long long)(c->days_left < 0 ? -c->days_left : c->days_left));
	}
	render_label(out, "");
	fputs(t->verified ? _("verified for ") : _("NOT verified: "), out);
	render_esc_str(out, t->verified ? t->checked_name : t->verify_reason);
	fputc('\n', out);
}

/* One text under a finding: a label padded to label_w columns (at least
 * its width and a space), then the text wrapped under its first column. */
static void
render_finding_text(FILE *out, const char *label, int label_w, const char *text)
{
	int w = tw_label_width(label);

	tw_wrap(out, RENDER_FINDING_INDENT, label, w > label_w ? w : label_w, text, RENDER_WIDTH);
}

static int
render_max(int a, int b)
{
	return a > b ? a : b;
}

/* Findings that are about what a reply said (not how it was formed), so
 * that a known reply's own fix applies to them. */
static int
render_outcome_finding(enum finding_id id)
{
	switch (id) {
	case F_BANNER_REJECTED:
	case F_SERVICE_CLOSING:
	case F_RATE_LIMITED:
	case F_EHLO_FAILED:
	case F_STARTTLS_REFUSED:
	case F_AUTH_FAILED:
	case F_MAIL_REJECTED:
	case F_RCPT_REJECTED:
		return 1;
	default:
		return 0;
	}
}

static void
render_findings(FILE *out, const struct report *r, enum render_verbosity v, int color)
{
	/* The texts under a finding start in one column. */
	int lw = tw_label_width(_("fix:"));

	if (v >= RENDER_VERBOSE) {
		lw = render_max(
		    lw, render_max(tw_label_width(_("meaning:")), tw_label_width(_("why:"))));
	}
	if (r->nfindings == 0) {
		render_label(out, _("findings"));
		fprintf(out, "%s\n", _("none"));
		return;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		const struct finding_def *d = finding_def(f->id);
		const struct srv_row *known;

		render_label(out, i == 0 ? _("findings") : "");
		render_sev(out, f->sev, color, 9);
		fprintf(out, "%s: ", d->id);
		render_esc_str(out, f->msg);
		fputs(f->ignored ? _(" (ignored)\n") : "\n", out);
		if (v >= RENDER_VERBOSE) {
			render_finding_text(out, _("meaning:"), lw, _(d->meaning));
			render_finding_text(out, _("why:"), lw, _(d->why));
		}
		/* The fix for the server's own words, when they are known, is
		 * more to the point than the finding's general one. */
		known = render_outcome_finding(f->id) && f->step >= 0 &&
		        (size_t)f->step < r->nsteps && r->steps[f->step].state == STATE_SENT
		    ? srvreply_of_reply(&r->steps[f->step].reply, r->steps[f->step].cmd)
		    : NULL;
		render_finding_text(out, _("fix:"), lw, known != NULL ? _(known->fix) : _(d->fix));
		if (f->advice != NULL) {
			char label[128];

			snprintf(label, sizeof(label), _("on %s:"), f->advice->server);
			render_finding_text(out, label, 0, f->advice->setting);
		}
	}
	if (r->findings_dropped > 0) {
		render_label(out, "");
		fprintf(out, _("%zu more findings not kept\n"), r->findings_dropped);
	}
}

/* The address connected to, else the last one tried, else the host. */
static const char *
render_peer(const struct report *r)
{
	const struct net_attempt *a = report_address(r);

	return a != NULL ? a->addr : r->target.host;
}

static void
render_summary(FILE *out, const struct report *r, enum render_verbosity v, int color)
{
	fprintf(out, "\n%s\n", _("Summary"));
	render_label(out, _("verdict"));
	render_sev(out, r->verdict, color, 0);
	fputc('\n', out);
	render_label(out, _("server"));
	render_esc_str(out, r->server_name[0] ? r->server_name : _("(no greeting)"));
	if (r->target.is_unix) {
		fprintf(out, _(" at the unix socket %s"), r->target.host);
	} else {
		fprintf(out, _(" at %s port %u"), render_peer(r), r->target.port);
	}
	fprintf(out,
	    r->lmtp ? _(", LMTP, TLS mode %s, LHLO name %s\n") : _(", TLS mode %s, EHLO name %s\n"),
	    report_tls_mode_name(r->tls_mode), r->ehlo_name[0] ? r->ehlo_name : "-");
	if (r->target.uhost[0] != '\0') {
		/* An internationalised name: as the user reads it, as DNS has it. */
		render_label(out, _("name"));
		fprintf(out, "%s = %s\n", r->target.uhost, r->target.host);
	}
	if (r->group.count > 0) {
		render_label(out, _("address"));
		fprintf(out, _("%s (%s), address %zu of %zu of %s (--all-addresses)"),
		    r->group.addr[0] ? r->group.addr : "-",
		    r->group.family == AF_INET6 ? "IPv6" : "IPv4", r->group.index, r->group.count,
		    r->target.host);
		if (r->group.not_probed > 0) {
			fprintf(out,
			    P_("; %zu more not probed", "; %zu more not probed",
			        r->group.not_probed),
			    r->group.not_probed);
		}
		fputc('\n', out);
	}
	if (r->mx_domain_u[0] != '\0') {
		render_label(out, _("mx name"));
		fprintf(out, "%s = %s\n", r->mx_domain_u, r->mx_domain);
	}
	if (r->mx_domain[0] != '\0') {
		render_label(out, "mx");
		if (r->mx_pref >= 0) {
			fprintf(out, _("%s, preference %d\n"), r->mx_domain, r->mx_pref);
		} else {
			fprintf(
			    out, _("%s has no MX: its own address (implicit MX)\n"), r->mx_domain);
		}
	}
	if (r->reused_of > 0) {
		render_label(out, _("note"));
		fprintf(out,
		    _("the result of target %zu, reused: identical targets are probed once\n"),
		    r->reused_of);
	}
	render_timings(out, r);
	if (r->tls_done) {
		render_cert(out, &r->tls);
	}
	if (r->have_caps_plain) {
		render_caps(out, r->tls_done ? _("before TLS") : _("capabilities"), &r->caps_plain);
	}
	if (r->have_caps_tls) {
		render_caps(out, _("after TLS"), &r->caps_tls);
	}
	if (r->used_helo) {
		render_label(out, _("capabilities"));
		fprintf(out, "%s\n", _("none (HELO session)"));
	}
	render_text_policy(out, r);
	render_findings(out, r, v, color);
}

static void
render_verdict(FILE *out, const struct report *r, int color)
{
	const struct finding *w = render_worst(r);
	char target[300];

	render_sev(out, r->verdict, color, 0);
	fprintf(out, ": %s", render_target(r, target, sizeof(target)));
	if (r->target.uhost[0] != '\0') {
		fprintf(out, " [%s]", r->target.uhost);
	}
	if (r->group.count > 0 && r->group.addr[0] != '\0') {
		fprintf(out, " (%s)", r->group.addr); /* the address forced */
	} else if (!r->target.is_addr && !r->target.is_unix && report_address(r) != NULL) {
		fprintf(out, " (%s)", report_address(r)->addr); /* the address tested */
	}
	if (r->server_name[0] != '\0') {
		fputc(' ', out);
		render_esc_str(out, r->server_name);
	}
	if (r->tls_done) {
		fprintf(out, ", %s", r->tls.protocol);
		if (r->tls.have_cert && r->tls.days_left < 0) {
			fprintf(out,
			    r->tls.verified
			        ? _(", certificate verified, expired %lld days ago")
			        : _(", certificate not verified, expired %lld days ago"),
			    (long long)-r->tls.days_left);
			render_chain_expiry(out, &r->tls);
		} else if (r->tls.have_cert) {
			fprintf(out,
			    r->tls.verified ? _(", certificate verified, %lld days left")
			                    : _(", certificate not verified, %lld days left"),
			    (long long)r->tls.days_left);
			render_chain_expiry(out, &r->tls);
		}
	} else if (r->nsteps > 1) {
		fputs(_(", no TLS"), out);
	}
	fprintf(out, ", %lld ms", (long long)r->total_ms);
	if (r->reused_of > 0) {
		fprintf(out, _(" (reused: target %zu)"), r->reused_of);
	}
	if (w != NULL) {
		fprintf(out, " - %s: ", finding_def(w->id)->id);
		render_esc_str(out, w->msg);
	}
	fputc('\n', out);
}

void
render_verdict_line(FILE *out, const struct report *r)
{
	render_verdict(out, r, 0);
}

void
render_text_color(FILE *out, const struct report *r, enum render_verbosity v, int color)
{
	if (v > RENDER_QUIET) {
		render_transcript(out, r, v, color);
		render_summary(out, r, v, color);
		fputc('\n', out);
	}
	render_verdict(out, r, color);
}

void
render_text(FILE *out, const struct report *r, enum render_verbosity v)
{
	render_text_color(out, r, v, 0);
}

void
render_text_host(FILE *out, const struct report *r, int color)
{
	fprintf(out, "\n== %s: ", r->target.host);
	render_sev(out, r->group.host_verdict, color, 0);
	fprintf(out,
	    P_(" (the worst of its %zu address)\n", " (the worst of its %zu addresses)\n",
	        r->group.count),
	    r->group.count);
}
