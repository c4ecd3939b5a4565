/* judgecase.c - recorded transcripts as judge test cases; see judgecase.h. */
#include <config.h>

#include <openssl/x509_vfy.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "judge.h"
#include "judgecase.h"
#include "params.h"
#include "polwords.h"

static int
jc_fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int
jc_sev(const char *s, enum sev *out)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN", "INFO"};

	for (int i = 0; i < 5; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum sev)i;
			return 0;
		}
	}
	return -1;
}

/* Read "expect: ID SEV [~ TEXT]". */
static int
jc_expect(struct judge_case *c, const char *v, char *err, size_t size)
{
	char id[80], sev[16];
	const char *tilde = strstr(v, " ~ ");
	struct jc_expect *e;

	if (c->nexpect == JC_MAX_EXPECT) {
		return jc_fail(err, size, "more than %d expect lines", JC_MAX_EXPECT);
	}
	e = &c->expect[c->nexpect];
	if (sscanf(v, "%79s %15s", id, sev) != 2 || finding_by_name(id, &e->id) != 0 ||
	    jc_sev(sev, &e->sev) != 0) {
		return jc_fail(err, size, "bad expect line '%s'", v);
	}
	snprintf(e->needle, sizeof(e->needle), "%s", tilde ? tilde + 3 : "");
	c->nexpect++;
	return 0;
}

/* Take one finished case: its header lines are checked here, the rest is
 * kept for jc_build. */
static int
jc_take(struct judge_case *c, char *err, size_t size)
{
	char *save = NULL, *copy = strdup(c->text), *line;
	int rc = 0;

	for (line = strtok_r(copy, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "case: ", 6) == 0) {
			snprintf(c->name, sizeof(c->name), "%s", line + 6);
		} else if (strncmp(line, "source: ", 8) == 0) {
			snprintf(c->source, sizeof(c->source), "%s", line + 8);
		} else if (strncmp(line, "expect: ", 8) == 0) {
			rc = jc_expect(c, line + 8, err, size);
		} else if (strncmp(line, "verdict: ", 9) == 0) {
			rc = jc_sev(line + 9, &c->verdict) == 0
			    ? 0
			    : jc_fail(err, size, "bad verdict '%s'", line + 9);
			c->have_verdict = 1;
		}
	}
	free(copy);
	if (rc == 0 && (c->name[0] == '\0' || c->source[0] == '\0' || !c->have_verdict)) {
		rc = jc_fail(err, size, "a case needs case:, source: and verdict: lines");
	}
	return rc;
}

int
jc_load(const char *path, struct judge_case **cases, size_t *n, char *err, size_t size)
{
	FILE *fp = fopen(path, "r");
	char line[2048];
	char *buf = NULL;
	size_t blen = 0, read = 0;
	int lineno = 0, start = 0;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (fp == NULL) {
		return jc_fail(err, size, "cannot open %s", path);
	}
	for (;;) {
		char *got = fgets(line, sizeof(line), fp);
		int blank = got == NULL || line[strspn(line, " \t\r\n")] == '\0';

		lineno += got != NULL;
		if (got != NULL && line[0] == '#') {
			continue;
		}
		if (!blank) {
			size_t l = strlen(line);

			if (buf == NULL) {
				start = lineno;
			}
			buf = realloc(buf, blen + l + 1);
			memcpy(buf + blen, line, l + 1);
			blen += l;
		} else if (buf != NULL) {
			struct judge_case *c;

			*cases = realloc(*cases, (*n + 1) * sizeof(**cases));
			c = &(*cases)[*n];
			memset(c, 0, sizeof(*c));
			c->text = buf;
			c->line = start;
			snprintf(c->file, sizeof(c->file), "%s", base);
			(*n)++;
			read++;
			buf = NULL;
			blen = 0;
			if (jc_take(c, err, size) != 0) {
				char where[2200];

				snprintf(where, sizeof(where), "%s:%d: %s", base, start, err);
				snprintf(err, size, "%s", where);
				fclose(fp);
				return -1;
			}
		}
		if (got == NULL) {
			break;
		}
	}
	fclose(fp);
	return (int)read;
}

void
jc_free(struct judge_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cases[i].text);
	}
	free(cases);
}

/* The command a line starts with. */
static enum smtp_cmd
jc_cmd(const char *line, const struct report *r)
{
	char verb[16];
	size_t k = 0;
	enum smtp_cmd c;

	while (line[k] != '\0' && line[k] != ' ' && line[k] != ':' && k + 1 < sizeof(verb)) {
		verb[k] = line[k];
		k++;
	}
	verb[k] = '\0';
	if (smtp_cmd_parse(verb, &c) == 0) {
		return c;
	}
	/* A SASL response after a 334 belongs to AUTH. */
	if (r->nsteps > 0 && r->steps[r->nsteps - 1].cmd == SMTP_AUTH) {
		return SMTP_AUTH;
	}
	return SMTP_ANY;
}

static struct step *
jc_step(struct report *r, enum step_kind kind, enum smtp_cmd cmd, const char *sent, char *err,
    size_t size)
{
	struct step *st = report_add_step(r, kind, cmd);

	if (st == NULL) {
		jc_fail(err, size, "too many steps");
		return NULL;
	}
	snprintf(st->sent, sizeof(st->sent), "%s", sent);
	st->over_tls = r->tls_done;
	st->rt_halves = 2;
	return st;
}

/* After the last line of an EHLO reply: the capabilities it lists. */
static void
jc_caps(struct report *r, const struct step *st)
{
	if ((st->cmd == SMTP_EHLO || st->cmd == SMTP_LHLO) && st->reply.complete &&
	    st->reply.code == 250) {
		struct ehlo *e = st->over_tls ? &r->caps_tls : &r->caps_plain;

		ehlo_free(e);
		if (ehlo_parse(e, &st->reply) == 0) {
			*(st->over_tls ? &r->have_caps_tls : &r->have_caps_plain) = 1;
		}
	}
	if (st->cmd == SMTP_HELO && st->reply.code == 250) {
		r->used_helo = 1;
	}
}

static int
jc_opts(const char *v, struct report *r, struct judge_opts *o, char *err, size_t size)
{
	static char auth[64], user[64];
	char copy[512], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", v);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strcmp(w, "tls=auto") == 0) {
			r->tls_mode = TLS_MODE_AUTO;
		} else if (strcmp(w, "tls=starttls") == 0) {
			r->tls_mode = TLS_MODE_STARTTLS;
		} else if (strcmp(w, "tls=implicit") == 0) {
			r->tls_mode = TLS_MODE_IMPLICIT;
		} else if (strcmp(w, "tls=none") == 0) {
			r->tls_mode = TLS_MODE_NONE;
		} else if (strcmp(w, "require-tls") == 0) {
			o->require_tls = 1;
		} else if (strcmp(w, "lmtp") == 0) {
			r->lmtp = 1;
		} else if (strcmp(w, "insecure") == 0) {
			o->insecure = 1;
		} else if (strcmp(w, "force") == 0) {
			o->force = 1;
		} else if (strncmp(w, "auth=", 5) == 0) {
			snprintf(auth, sizeof(auth), "%s", w + 5);
			o->auth = auth;
		} else if (strncmp(w, "user=", 5) == 0) {
			snprintf(user, sizeof(user), "%s", w + 5);
			o->user = user;
		} else if (strncmp(w, "warn=", 5) == 0) {
			o->cert_warn_days = atoi(w + 5);
		} else if (strncmp(w, "crit=", 5) == 0) {
			o->cert_crit_days = atoi(w + 5);
		} else if (strncmp(w, "timeout=", 8) == 0) {
			o->step_timeout_s = atoi(w + 8);
		} else {
			return jc_fail(err, size, "unknown option '%s'", w);
		}
	}
	return 0;
}

static int
jc_tls(const char *v, struct report *r, char *err, size_t size)
{
	struct tls_info *t = &r->tls;
	struct step *st;
	const char *bar = strchr(v, '|');
	char copy[512], *save = NULL;

	if (strncmp(v, "fail ", 5) == 0 || strncmp(v, "timeout ", 8) == 0) {
		st = jc_step(r, STEP_TLS, SMTP_ANY, "", err, size);
		if (st == NULL) {
			return -1;
		}
		r->tls_attempted = 1;
		fault_set(&st->fault, v[0] == 'f' ? FAULT_TLS : FAULT_TIMEOUT, 0, "%s",
		    strchr(v, ' ') + 1);
		return 0;
	}
	st = jc_step(r, STEP_TLS, SMTP_ANY, "", err, size);
	if (st == NULL) {
		return -1;
	}
	r->tls_attempted = r->tls_done = 1;
	st->over_tls = 1;
	t->done = 1;
	t->have_cert = 1;
	t->days_left = 364;
	snprintf(t->subject, sizeof(t->subject), "CN=%.200s", r->target.host);
	snprintf(t->checked_name, sizeof(t->checked_name), "%s", r->target.host);
	snprintf(t->key, sizeof(t->key), "RSA 2048");
	snprintf(t->sig_alg, sizeof(t->sig_alg), "sha256WithRSAEncryption");
	snprintf(t->not_before, sizeof(t->not_before), "2026-01-01 00:00:00 UTC");
	snprintf(t->not_after, sizeof(t->not_after), "2027-11-28 00:00:00 UTC");
	snprintf(copy, sizeof(copy), "%.*s", bar ? (int)(bar - v) : (int)strlen(v), v);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strncmp(w, "TLSv", 4) == 0 || strncmp(w, "SSLv", 4) == 0) {
			snprintf(t->protocol, sizeof(t->protocol), "%s", w);
		} else if (strcmp(w, "verified") == 0) {
			t->verified = 1;
		} else if (strcmp(w, "unverified") == 0) {
			t->verified = 0;
			t->verify_code = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
		} else if (strncmp(w, "days=", 5) == 0) {
			t->days_left = atoll(w + 5);
		} else if (strcmp(w, "weak-key") == 0) {
			t->weak_key = 1;
			snprintf(t->key, sizeof(t->key), "RSA 1024");
		} else if (strcmp(w, "weak-sig") == 0) {
			t->weak_sig = 1;
			snprintf(t->sig_alg, sizeof(t->sig_alg), "sha1WithRSAEncryption");
		} else if (strcmp(w, "not-yet-valid") == 0) {
			t->verify_code = X509_V_ERR_CERT_NOT_YET_VALID;
			t->chain[0].not_yet_valid = 1;
		} else if (strcmp(w, "weak-dh") == 0) {
			t->dh_bits = 1024;
			t->weak_dh = 1;
			snprintf(t->kx, sizeof(t->kx), "DH 1024");
		} else if (strcmp(w, "no-cert") == 0) {
			t->have_cert = 0;
		} else {
			return jc_fail(err, size, "unknown TLS word '%s'", w);
		}
	}
	if (t->days_left < 0 && !t->verified) {
		t->verify_code = X509_V_ERR_CERT_HAS_EXPIRED;
	}
	/* The server sent its own certificate alone. */
	if (t->have_cert) {
		struct tls_cert *c = &t->chain[0];

		c->depth = 0;
		snprintf(c->subject, sizeof(c->subject), "%s", t->subject);
		snprintf(c->key, sizeof(c->key), "%s", t->key);
		c->weak_key = t->weak_key;
		snprintf(c->sig_alg, sizeof(c->sig_alg), "%s", t->sig_alg);
		c->weak_sig = t->weak_sig;
		snprintf(c->not_after, sizeof(c->not_after), "%s", t->not_after);
		c->days_left = t->days_left;
		t->nchain = 1;
		t->earliest = 0;
	}
	t->verify_depth = -1;
	snprintf(t->verify_reason, sizeof(t->verify_reason), "%s",
	    t->verified ? "verified"
	        : bar   ? bar + 2
	                : "unable to get local issuer certificate");
	st->rt_halves = strcmp(t->protocol, "TLSv1.3") == 0 ? 2 : 4;
	return 0;
}

static int
jc_skip_why(const char *w, enum step_why *why)
{
	static const struct {
		const char *name;
		enum step_why why;
	} whys[] = {
	    {"no-tls", WHY_NO_TLS},
	    {"unverified", WHY_UNVERIFIED},
	    {"auth-not-offered", WHY_AUTH_NOT_OFFERED},
	    {"no-common-mech", WHY_NO_COMMON_MECH},
	    {"mail-refused", WHY_MAIL_REFUSED},
	    {"mail-held", WHY_MAIL_HELD},
	    {"too-long", WHY_TOO_LONG},
	};

	for (size_t i = 0; i < sizeof(whys) / sizeof(whys[0]); i++) {
		if (strcmp(w, whys[i].name) == 0) {
			*why = whys[i].why;
			return 0;
		}
	}
	return -1;
}

static int
jc_fault(const char *v, struct step *st, char *err, size_t size)
{
	static const struct {
		const char *name;
		enum fault_class cls;
	} classes[] = {
	    {"timeout", FAULT_TIMEOUT},
	    {"closed", FAULT_CLOSED},
	    {"protocol", FAULT_PROTOCOL},
	    {"tls", FAULT_TLS},
	    {"internal", FAULT_INTERNAL},
	    {"connect", FAULT_CONNECT},
	};
	const char *sp = strchr(v, ' ');
	size_t n = sp ? (size_t)(sp - v) : strlen(v);

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) == n && strncmp(v, classes[i].name, n) == 0) {
			fault_set(&st->fault, classes[i].cls, 0, "%s", sp ? sp + 1 : "");
			return 0;
		}
	}
	return jc_fail(err, size, "unknown fault class in '%s'", v);
}

/* Policy facts (report.pol): the lines level:, dane:, tlsa:, sts-txt:,
 * sts-fetch:, sts-policy: and tlsrpt: of judgecase.h. */

static int
jc_dnssec(const char *w, enum dnssec_status *out)
{
	static const char *const names[] = {"secure", "insecure", "bogus", "failed"};

	for (int i = 0; i < 4; i++) {
		if (strcmp(w, names[i]) == 0) {
			*out = (enum dnssec_status)(i + 1);
			return 0;
		}
	}
	return -1;
}

/* The text after " | " of a line, or "". */
static const char *
jc_bar(const char *v)
{
	const char *bar = strstr(v, " | ");

	return bar ? bar + 3 : "";
}

/* The words of a line before " | ", in copy. */
static void
jc_words(const char *v, char *copy, size_t size)
{
	const char *bar = strstr(v, " | ");

	snprintf(copy, size, "%.*s", bar ? (int)(bar - v) : (int)strlen(v), v);
}

static void
jc_why(struct dns_fact *f, const char *text)
{
	if (f->sec == DNSSEC_BOGUS || f->sec == DNSSEC_FAILED) {
		snprintf(f->why, sizeof(f->why), "%s", text);
		f->rcode = f->sec == DNSSEC_FAILED ? 2 : f->rcode;
	}
}

static int
jc_dane(const char *v, struct report *r, char *err, size_t size)
{
	struct dane_fact *d = &r->pol.dane;
	char copy[512], *save = NULL, *w;
	int st;

	jc_words(v, copy, sizeof(copy));
	w = strtok_r(copy, " ", &save);
	for (st = DANE_NOT_SECURE; st <= DANE_NO_MATCH && w; st++) {
		if (strcmp(w, dane_state_id((enum dane_state)st)) == 0) {
			break;
		}
	}
	if (w == NULL || st > DANE_NO_MATCH) {
		return jc_fail(err, size, "bad dane state in '%s'", v);
	}
	d->state = (enum dane_state)st;
	d->matched = -1;
	d->mx.sec = d->addr.sec = d->tlsa.sec = DNSSEC_SECURE;
	snprintf(d->tlsa_name, sizeof(d->tlsa_name), "_%u._tcp.%s", r->target.port, r->target.host);
	while ((w = strtok_r(NULL, " ", &save)) != NULL) {
		struct dns_fact *f = strncmp(w, "mx=", 3) == 0 ? &d->mx
		    : strncmp(w, "addr=", 5) == 0              ? &d->addr
		    : strncmp(w, "tlsa=", 5) == 0              ? &d->tlsa
		                                               : NULL;

		if (f == NULL || jc_dnssec(strchr(w, '=') + 1, &f->sec) != 0) {
			return jc_fail(err, size, "bad dane word '%s'", w);
		}
	}
	jc_why(&d->mx, jc_bar(v));
	jc_why(&d->addr, jc_bar(v));
	jc_why(&d->tlsa, jc_bar(v));
	snprintf(d->error, sizeof(d->error), "%s", jc_bar(v));
	return 0;
}

/* "tlsa: U S M HEX VERDICT [matched [depth=N]] [| SUBJECT]" */
static int
jc_tlsa(const char *v, struct report *r, char *err, size_t size)
{
	struct dane_fact *d = &r->pol.dane;
	struct tlsa_rr *rr;
	unsigned u, s, m;
	char hex[2 * TLSA_MAX_DATA + 2], verdict[32], rest[128] = "";
	int v_i;

	if (d->nrr == MXPOL_MAX_TLSA) {
		d->rr_dropped++;
		return 0;
	}
	rr = &d->rr[d->nrr];
	if (sscanf(v, "%u %u %u %4097s %31s %127[^|]", &u, &s, &m, hex, verdict, rest) < 5 ||
	    u > 255 || s > 255 || m > 255 || strlen(hex) % 2 != 0) {
		return jc_fail(err, size, "bad tlsa line '%s' (tlsa: U S M HEX VERDICT ...)", v);
	}
	rr->usage = (uint8_t)u;
	rr->selector = (uint8_t)s;
	rr->mtype = (uint8_t)m;
	for (rr->len = 0; hex[2 * rr->len] != '\0'; rr->len++) {
		unsigned byte;

		if (sscanf(hex + 2 * rr->len, "%2x", &byte) != 1) {
			return jc_fail(err, size, "bad hex in '%s'", v);
		}
		rr->data[rr->len] = (uint8_t)byte;
	}
	for (v_i = TLSA_USABLE; v_i <= TLSA_MALFORMED; v_i++) {
		if (strcmp(verdict, tlsa_verdict_id((enum tlsa_verdict)v_i)) == 0) {
			break;
		}
	}
	if (v_i > TLSA_MALFORMED) {
		return jc_fail(err, size, "bad tlsa verdict '%s'", verdict);
	}
	d->verdict[d->nrr] = (enum tlsa_verdict)v_i;
	if (strncmp(rest, "matched", 7) == 0) {
		const char *depth = strstr(rest, "depth=");

		d->matched = (int)d->nrr;
		d->matched_depth = depth ? atoi(depth + 6) : 0;
		snprintf(d->matched_subject, sizeof(d->matched_subject), "%s", jc_bar(v));
		if (rr->usage == 2) {
			/* DANE-TA: the name checked is the host's (RFC 7672 §3.2.2). */
			snprintf(d->matched_name, sizeof(d->matched_name), "%s", r->target.host);
		}
	}
	d->nrr++;
	d->tlsa.nrecords = (int)d->nrr;
	return 0;
}

/* "sts-policy: MODE max_age=N mx=P1,P2 [match=N]" (a valid policy). */
static int
jc_sts_policy(char *copy, struct sts_fact *s, char *err, size_t size)
{
	struct sts_policy *p = &s->policy;
	char *save = NULL, *w = strtok_r(copy, " ", &save);
	int m;

	for (m = STS_MODE_ENFORCE; m <= STS_MODE_NONE; m++) {
		if (strcmp(w, sts_mode_name((enum sts_mode)m)) == 0) {
			break;
		}
	}
	if (m > STS_MODE_NONE) {
		return jc_fail(err, size, "bad sts-policy mode '%s'", w);
	}
	p->valid = 1;
	p->mode = (enum sts_mode)m;
	p->max_age = -1;
	while ((w = strtok_r(NULL, " ", &save)) != NULL) {
		if (strncmp(w, "max_age=", 8) == 0) {
			p->max_age = atol(w + 8);
		} else if (strncmp(w, "match=", 6) == 0) {
			s->host_match = atoi(w + 6);
		} else if (strncmp(w, "mx=", 3) == 0) {
			char *save2 = NULL;

			for (char *x = strtok_r(w + 3, ",", &save2); x;
			     x = strtok_r(NULL, ",", &save2)) {
				if (p->nmx == STS_MAX_MX) {
					p->mx_dropped++;
				} else {
					snprintf(p->mx[p->nmx++], sizeof(p->mx[0]), "%s", x);
				}
			}
		} else {
			return jc_fail(err, size, "bad sts-policy word '%s'", w);
		}
	}
	return 0;
}

/* sts-txt:, sts-fetch:, sts-policy: */
static int
jc_sts(const char *line, struct report *r, char *err, size_t size)
{
	struct sts_fact *s = &r->pol.sts;
	const char *v = strchr(line, ' ') + 1;
	char copy[512], word[32] = "";

	if (!s->asked) {
		s->asked = 1;
		s->host_match = -1;
		s->txt.sec = DNSSEC_INSECURE;
		snprintf(s->domain, sizeof(s->domain), "%s",
		    r->mx_domain[0] ? r->mx_domain : "example.org");
	}
	jc_words(v, copy, sizeof(copy));
	sscanf(copy, "%31s", word);
	if (strncmp(line, "sts-txt:", 8) == 0) {
		if (strcmp(word, "none") == 0) {
			s->ntxt = 0;
		} else if (strcmp(word, "valid") == 0 && sscanf(copy, "%*s %32s", s->rec.id) == 1) {
			s->ntxt = 1;
			s->rec.valid = 1;
			snprintf(s->txt_text, sizeof(s->txt_text), "v=STSv1; id=%s;", s->rec.id);
		} else if (strcmp(word, "invalid") == 0) {
			s->ntxt = 1;
			snprintf(s->rec.error, sizeof(s->rec.error), "%s", jc_bar(v));
			snprintf(s->txt_text, sizeof(s->txt_text), "%.200s", copy + 8);
		} else if (strcmp(word, "multiple") == 0 && sscanf(copy, "%*s %d", &s->ntxt) == 1) {
			snprintf(s->txt_text, sizeof(s->txt_text), "v=STSv1; id=1;");
		} else if (jc_dnssec(word, &s->txt.sec) == 0) {
			snprintf(s->txt.why, sizeof(s->txt.why), "%s", jc_bar(v));
		} else {
			return jc_fail(err, size, "bad sts-txt line '%s'", line);
		}
		return 0;
	}
	if (strncmp(line, "sts-fetch:", 10) == 0) {
		int f;
		const char *status = strstr(copy, "status=");

		for (f = STS_FETCH_OK; f <= STS_FETCH_TIMEOUT; f++) {
			if (strcmp(word, sts_fetch_id((enum sts_fetch)f)) == 0) {
				break;
			}
		}
		if (f > STS_FETCH_TIMEOUT) {
			return jc_fail(err, size, "bad sts-fetch result '%s'", word);
		}
		s->fetch = (enum sts_fetch)f;
		s->http_status = status ? atoi(status + 7) : f == STS_FETCH_OK ? 200 : 0;
		snprintf(s->fetch_detail, sizeof(s->fetch_detail), "%s", jc_bar(v));
		snprintf(s->fetch_address, sizeof(s->fetch_address), "%s",
		    f == STS_FETCH_OK ? "192.0.2.80" : "");
		s->fetch_ms = 12;
		return 0;
	}
	if (strcmp(word, "invalid") == 0) {
		snprintf(s->policy.error, sizeof(s->policy.error), "%s", jc_bar(v));
		return 0;
	}
	return jc_sts_policy(copy, s, err, size);
}

/* "tlsrpt: none | valid URI[,URI] | invalid | multiple N | failed|bogus" */
static int
jc_tlsrpt(const char *v, struct report *r, char *err, size_t size)
{
	struct tlsrpt_fact *t = &r->pol.tlsrpt;
	char copy[512], word[32] = "", uris[400] = "", *save = NULL;

	t->asked = 1;
	t->txt.sec = DNSSEC_INSECURE;
	jc_words(v, copy, sizeof(copy));
	sscanf(copy, "%31s %399s", word, uris);
	if (strcmp(word, "none") == 0) {
		t->ntxt = 0;
	} else if (strcmp(word, "valid") == 0 && uris[0] != '\0') {
		t->ntxt = 1;
		t->rec.valid = 1;
		snprintf(t->txt_text, sizeof(t->txt_text), "v=TLSRPTv1; rua=%s", uris);
		for (char *x = strtok_r(uris, ",", &save); x; x = strtok_r(NULL, ",", &save)) {
			if (t->rec.nrua == TLSRPT_MAX_RUA) {
				t->rec.rua_dropped++;
			} else {
				snprintf(t->rec.rua[t->rec.nrua++], sizeof(t->rec.rua[0]), "%s", x);
			}
		}
	} else if (strcmp(word, "invalid") == 0) {
		t->ntxt = 1;
		snprintf(t->rec.error, sizeof(t->rec.error), "%s", jc_bar(v));
		snprintf(t->txt_text, sizeof(t->txt_text), "%s", uris);
	} else if (strcmp(word, "multiple") == 0) {
		t->ntxt = atoi(uris);
	} else if (jc_dnssec(word, &t->txt.sec) == 0) {
		snprintf(t->txt.why, sizeof(t->txt.why), "%s", jc_bar(v));
	} else {
		return jc_fail(err, size, "bad tlsrpt line '%s'", v);
	}
	return 0;
}

/* A policy line: 1 when taken, 0 when line is not one, -1 on error. */
static int
jc_policy_line(const char *line, struct report *r, char *err, size_t size)
{
	int rc;

	if (strncmp(line, "level: ", 7) == 0) {
		for (int l = TLSLVL_DEFAULT; l <= TLSLVL_SECURE; l++) {
			if (strcmp(line + 7,
			        l == TLSLVL_DEFAULT ? "default"
			                            : tls_level_name((enum tls_level)l)) == 0) {
				r->pol.level = (enum tls_level)l;
				return 1;
			}
		}
		return jc_fail(err, size, "bad level '%s'", line + 7);
	}
	if (strncmp(line, "dane: ", 6) == 0) {
		rc = jc_dane(line + 6, r, err, size);
	} else if (strncmp(line, "tlsa: ", 6) == 0) {
		rc = jc_tlsa(line + 6, r, err, size);
	} else if (strncmp(line, "sts-txt: ", 9) == 0 || strncmp(line, "sts-fetch: ", 11) == 0 ||
	    strncmp(line, "sts-policy: ", 12) == 0) {
		rc = jc_sts(line, r, err, size);
	} else if (strncmp(line, "tlsrpt: ", 8) == 0) {
		rc = jc_tlsrpt(line + 8, r, err, size);
	} else {
		return 0;
	}
	return rc == 0 ? 1 : -1;
}

/* The address and the parameters of a MAIL FROM or RCPT TO as sent:
 * "MAIL FROM:<addr> KEY=VALUE ...".  Returns how many parameters, or -1. */
static int
jc_command_params(const char *sent, char *addr, size_t addrsize, struct param *p, size_t max)
{
	const char *s = strchr(sent, '<'), *end = s ? strchr(s, '>') : NULL;
	struct fault f;
	size_t n = 0;

	if (end == NULL) {
		return -1;
	}
	snprintf(addr, addrsize, "%.*s", (int)(end - s - 1), s + 1);
	for (s = end + 1 + strspn(end + 1, " "); *s != '\0'; s += strspn(s, " ")) {
		size_t w = strcspn(s, " ");
		char tok[PARAM_KEY_MAX + PARAM_VALUE_MAX + 1];

		snprintf(tok, sizeof(tok), "%.*s", (int)w, s);
		if (n == max || params_parse(tok, &p[n++], &f) != 0) {
			return -1;
		}
		s += w;
	}
	return (int)n;
}

/* "issue: ID TEXT": the issue that params_check finds in the current MAIL
 * FROM or RCPT TO (against the EHLO capabilities read so far), of finding
 * ID and worded starting with TEXT, recorded for that step. */
static int
jc_issue(const char *line, struct report *r, const struct step *st, char *err, size_t size)
{
	const char *text = strchr(line + 7, ' ');
	char id[64], addr[BOUND_ADDR + 1], msg[JUDGE_PARAM_WORDS];
	struct param p[8];
	struct param_issue iss[8];
	enum finding_id want;
	int np;
	size_t n;

	if (text == NULL || st == NULL || sscanf(line + 7, "%63s", id) != 1 ||
	    finding_by_name(id, &want) != 0 || (st->cmd != SMTP_MAIL && st->cmd != SMTP_RCPT) ||
	    (np = jc_command_params(st->sent, addr, sizeof(addr), p, 8)) < 0) {
		return jc_fail(err, size, "bad issue line '%s'", line);
	}
	n = params_check(report_caps(r), st->cmd, addr, p, (size_t)np, iss, 8);
	for (size_t i = 0; i < n && i < 8; i++) {
		judge_param_words(&iss[i], msg, sizeof(msg));
		if (iss[i].id == want && strncmp(msg, text + 1, strlen(text + 1)) == 0) {
			report_hold(r, report_step_index(r, st), &iss[i]);
			return 0;
		}
	}
	return jc_fail(err, size, "params_check finds no issue '%s' in '%s'", line + 7, st->sent);
}

/* One line of the transcript part of a case. */
static int
jc_line(char *line, struct report *r, struct judge_opts *o, struct step **cur, int *cause,
    char *err, size_t size)
{
	struct step *st = *cur;
	enum step_why why;
	int pol = jc_policy_line(line, r, err, size);

	if (pol != 0) {
		return pol < 0 ? -1 : 0;
	}
	if (strncmp(line, "S: ", 3) == 0 || strncmp(line, "S~ ", 3) == 0) {
		if (st == NULL || st->kind != STEP_COMMAND) {
			st = *cur = jc_step(r, STEP_COMMAND, SMTP_GREETING, "", err, size);
			if (st == NULL) {
				return -1;
			}
			st->rt_halves = 1;
		}
		if (reply_add_line(&st->reply, line + 3, strlen(line + 3), line[1] == ':') ==
		    REPLY_BAD) {
			fault_set(&st->fault, FAULT_PROTOCOL, 0, "%s", st->reply.error);
		}
		if (st->cmd == SMTP_GREETING && st->reply.complete && st->reply.code == 220) {
			size_t w = strcspn(line + 7, " ");

			snprintf(r->server_name, sizeof(r->server_name), "%.*s", (int)w, line + 7);
		}
		jc_caps(r, st);
		return 0;
	}
	if (strncmp(line, "C: ", 3) == 0 || strncmp(line, "P: ", 3) == 0) {
		*cur = jc_step(r, STEP_COMMAND, jc_cmd(line + 3, r), line + 3, err, size);
		if (*cur != NULL && line[0] == 'P') {
			(*cur)->pipelined = 1;
			(*cur)->rt_halves = 0;
		}
		return *cur ? 0 : -1;
	}
	if (strncmp(line, "H: ", 3) == 0 || strncmp(line, "N: ", 3) == 0) {
		if (line[0] == 'N' && *cause < 0) {
			/* The session ended at the last step before its QUIT. */
			*cause = (int)r->nsteps - 1;
			while (*cause > 0 && r->steps[*cause].cmd == SMTP_QUIT) {
				(*cause)--;
			}
		}
		st = *cur = jc_step(r, STEP_COMMAND, jc_cmd(line + 3, r), line + 3, err, size);
		if (st == NULL) {
			return -1;
		}
		st->state = line[0] == 'H' ? STATE_HELD : STATE_NOT_REACHED;
		st->why = line[0] == 'H' ? WHY_FLAGGED : WHY_NONE;
		st->cause = *cause;
		st->rt_halves = 0;
		return 0;
	}
	if (strncmp(line, "K: ", 3) == 0) {
		char w[32];
		const char *rest = strchr(line + 3, ' ');

		if (rest == NULL || sscanf(line + 3, "%31s", w) != 1 || jc_skip_why(w, &why) != 0) {
			return jc_fail(err, size, "bad K: line '%s'", line);
		}
		st = *cur = jc_step(r, STEP_COMMAND, jc_cmd(rest + 1, r), rest + 1, err, size);
		if (st == NULL) {
			return -1;
		}
		st->state = STATE_SKIPPED;
		st->why = why;
		st->rt_halves = 0;
		return 0;
	}
	if (strncmp(line, "T: ", 3) == 0) {
		if (jc_tls(line + 3, r, err, size) != 0) {
			return -1;
		}
		*cur = &r->steps[r->nsteps - 1];
		return 0;
	}
	if (strcmp(line, "connect: none") == 0) {
		/* Nothing was probed (an --mx lookup said not to). */
		r->nsteps = 0;
		return 0;
	}
	if (strncmp(line, "connect: ", 9) == 0) {
		st = &r->steps[0];
		fault_set(&st->fault,
		    strncmp(line + 9, "resolve", 7) == 0 ? FAULT_RESOLVE : FAULT_CONNECT, 0, "%s",
		    strchr(line + 9, ' ') ? strchr(line + 9, ' ') + 1 : "");
		return 0;
	}
	if (strncmp(line, "opts: ", 6) == 0) {
		return jc_opts(line + 6, r, o, err, size);
	}
	if (strncmp(line, "injection: ", 11) == 0) {
		const char *v = line + 11;

		r->injection_step = (int)r->nsteps - 1;
		if (strcmp(v, "clean") == 0) {
			r->injection = INJ_CLEAN;
		} else if (strcmp(v, "vulnerable") == 0) {
			r->injection = INJ_VULNERABLE;
		} else if (strcmp(v, "no-pipelining") == 0 || strcmp(v, "dropped") == 0) {
			r->injection = INJ_INCONCLUSIVE;
			r->injection_why = v[0] == 'n' ? INJW_NO_PIPELINING : INJW_DROPPED;
		} else {
			return jc_fail(err, size, "bad injection '%s'", v);
		}
		return 0;
	}
	if (strncmp(line, "mx: ", 4) == 0) {
		static const struct {
			const char *name;
			enum mx_outcome o;
		} outs[] = {
		    {"host", MXO_HOST},
		    {"implicit", MXO_IMPLICIT},
		    {"null", MXO_NULL},
		    {"nxdomain", MXO_NXDOMAIN},
		    {"failed", MXO_FAILED},
		    {"literal", MXO_LITERAL},
		};
		char word[16], domain[256];
		int pref = -1, used = 0;
		size_t k;

		if (sscanf(line + 4, "%15s %255s %d %n", word, domain, &pref, &used) < 3) {
			return jc_fail(
			    err, size, "bad mx line '%s' (mx: OUTCOME DOMAIN PREF [TEXT])", line);
		}
		for (k = 0; k < sizeof(outs) / sizeof(outs[0]) && strcmp(outs[k].name, word) != 0;
		     k++) {
		}
		if (k == sizeof(outs) / sizeof(outs[0])) {
			return jc_fail(err, size, "bad mx outcome '%s'", word);
		}
		r->mx_outcome = outs[k].o;
		r->mx_pref = pref;
		snprintf(r->mx_domain, sizeof(r->mx_domain), "%s", domain);
		snprintf(r->mx_error, sizeof(r->mx_error), "%s", used > 0 ? line + 4 + used : "");
		return 0;
	}
	if (strncmp(line, "internal: ", 10) == 0) {
		report_internal(r, "%s", line + 10);
		return 0;
	}
	if (st == NULL && (strncmp(line, "X: ", 3) == 0 || strncmp(line, "partial: ", 9) == 0)) {
		/* The greeting broke off before its first line. */
		st = *cur = jc_step(r, STEP_COMMAND, SMTP_GREETING, "", err, size);
		if (st == NULL) {
			return -1;
		}
		st->rt_halves = 1;
	}
	if (st == NULL) {
		return jc_fail(err, size, "'%s' before any step", line);
	}
	if (strncmp(line, "X: ", 3) == 0) {
		return jc_fault(line + 3, st, err, size);
	}
	if (strncmp(line, "raw: ", 5) == 0) {
		reply_keep_raw(&st->reply, line + 5, strlen(line + 5));
		return 0;
	}
	if (strncmp(line, "partial: ", 9) == 0) {
		st->partial = (size_t)atol(line + 9);
		return 0;
	}
	if (strncmp(line, "injected: ", 10) == 0) {
		st->injected = (size_t)atol(line + 10);
		return 0;
	}
	if (strncmp(line, "issue: ", 7) == 0) {
		return jc_issue(line, r, st, err, size);
	}
	if (strncmp(line, "auth-mech: ", 11) == 0) {
		snprintf(r->auth_mech, sizeof(r->auth_mech), "%s", line + 11);
		return 0;
	}
	if (strncmp(line, "auth-proof: ", 12) == 0) {
		static const char *const words[] = {
		    [AUTH_PROOF_NA] = "na",
		    [AUTH_PROOF_YES] = "yes",
		    [AUTH_PROOF_MISSING] = "missing",
		    [AUTH_PROOF_BAD] = "wrong",
		};

		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			if (strcmp(line + 12, words[k]) == 0) {
				r->auth_proof = (enum auth_proof)k;
				return 0;
			}
		}
		return jc_fail(err, size, "bad auth-proof line '%s'", line);
	}
	if (strncmp(line, "auth-fault: ", 12) == 0) {
		fault_set(&r->auth_fault, FAULT_PROTOCOL, 0, "%s", line + 12);
		r->auth_fault_step = report_step_index(r, st);
		return 0;
	}
	return jc_fail(err, size, "unknown line '%s'", line);
}

int
jc_build(const struct judge_case *c, struct report *r, struct judge_opts *o, char *err, size_t size)
{
	char *copy = strdup(c->text), *save = NULL;
	struct step *cur = NULL;
	int cause = -1, rc = 0;

	report_init(r);
	memset(o, 0, sizeof(*o));
	o->step_timeout_s = 10;
	o->cert_warn_days = 30;
	o->cert_crit_days = 7;
	snprintf(r->target.host, sizeof(r->target.host), "mx.example.org");
	r->target.port = 25;
	snprintf(r->ehlo_name, sizeof(r->ehlo_name), "probe.example");
	r->total_ms = 42;
	if (report_add_step(r, STEP_CONNECT, SMTP_ANY) == NULL) {
		free(copy);
		return jc_fail(err, size, "no room for the connect step");
	}
	r->steps[0].rt_halves = 2;
	for (char *line = strtok_r(copy, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (strncmp(line, "case: ", 6) == 0 || strncmp(line, "source: ", 8) == 0 ||
		    strncmp(line, "expect: ", 8) == 0 || strncmp(line, "verdict: ", 9) == 0) {
			continue;
		}
		rc = jc_line(line, r, o, &cur, &cause, err, size);
	}
	if (rc == 0 && r->tls_mode == TLS_MODE_AUTO && r->target.port == 465) {
		r->tls_mode = TLS_MODE_IMPLICIT;
	}
	free(copy);
	return rc;
}
