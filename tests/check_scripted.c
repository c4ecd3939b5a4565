/* The probe over the scripted in-memory transport (tests/memxport.c): the
 * paths of the spine and of the dialogue after EHLO that need no TLS, as
 * rows of one table.  No socket, no thread: each row plays its script
 * against the probe and asserts the verdict, the findings raised and not
 * raised, the bytes the server got and the rendered text.  The cases that
 * need a real handshake stay in check_probe.c and check_dialogue.c. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "harness.h"
#include "render.h"

#define EHLO_AUTH(mechs) "S:250-" MX "\r\n250-PIPELINING\r\n250-AUTH " mechs "\r\n250 8BITMIME\r\n"
#define A64 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

struct scase {
	const char *name;
	const char *script[20];
	void (*opts)(struct probe_opts *o); /* after harness_opts; NULL: as they are */
	enum sev verdict;
	const char *has;             /* findings that must be raised, by name, space-separated */
	const char *hasnt;           /* findings that must not be */
	const char *received;        /* exactly what the server got, or NULL */
	const char *received_not[2]; /* never in what the server got */
	int verbose;                 /* render the text at RENDER_VERBOSE */
	const char *text_has[3];     /* in the text rendering */
	const char *text_not[2];
	const char *json_has;               /* in the JSON rendering, or NULL */
	void (*check)(const struct run *r); /* what else the row asserts, or NULL */
};

/* ---- options ---- */

static void
opts_none(struct probe_opts *o)
{
	o->tls_mode = TLS_MODE_NONE;
}

static void
opts_require_tls(struct probe_opts *o)
{
	o->require_tls = 1;
}

static void
opts_timeout_1(struct probe_opts *o)
{
	o->step_timeout_s = 1;
}

static void
opts_not_reached(struct probe_opts *o)
{
	o->tls_mode = TLS_MODE_STARTTLS;
	o->mail_from = "probe@example.org";
	o->rcpts[0] = "postmaster@" MX;
	o->nrcpts = 1;
	o->vrfy = "postmaster";
}

static void
opts_plain_auth(struct probe_opts *o)
{
	/* RFC 2195's example user and password. */
	static char buf[] = "tanstaaftanstaaf";
	static struct secret password = {.buf = buf, .len = sizeof(buf) - 1};

	o->auth = "PLAIN";
	o->user = "tim";
	o->password = &password;
	o->tls_mode = TLS_MODE_NONE;
}

static void
opts_size_param(struct probe_opts *o)
{
	struct fault f;

	o->tls_mode = TLS_MODE_NONE;
	o->mail_from = "a@example.org";
	ck_assert_int_eq(params_parse("SIZE=10", &o->mail_params[0], &f), 0);
	o->nmail_params = 1;
	o->rcpts[0] = "b@example.org";
	o->nrcpts = 1;
}

static void
opts_size_param_forced(struct probe_opts *o)
{
	opts_size_param(o);
	o->force = 1;
}

static void
opts_envelope(struct probe_opts *o)
{
	o->tls_mode = TLS_MODE_NONE;
	o->mail_from = "";
	o->rcpts[0] = "known@example.org";
	o->rcpts[1] = "grey@example.org";
	o->nrcpts = 2;
	o->vrfy = "known";
	o->expn = "staff";
}

/* ---- what some rows assert besides ---- */

static void
check_used_helo(const struct run *r)
{
	ck_assert(r->rep.used_helo);
}

static void
check_no_tls(const struct run *r)
{
	ck_assert(!r->rep.tls_done);
}

static void
check_silent(const struct run *r)
{
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "use --tls implicit"));
	ck_assert_msg(r->ms < 2500, "took %lld ms", (long long)r->ms);
}

static void
check_mid_reply(const struct run *r)
{
	ck_assert_uint_eq(r->rep.steps[2].reply.nlines, 1);
}

static void
check_no_findings(const struct run *r)
{
	ck_assert_int_eq(r->rep.nfindings, 0);
}

/* Every step asked for is in the record as not reached, with why, in
 * text, JSON and nagios. */
static void
check_not_reached(const struct run *r)
{
	char *buf = NULL;
	size_t len = 0, unreached = 0;
	FILE *fp;

	for (size_t i = 0; i < r->rep.nsteps; i++) {
		unreached += r->rep.steps[i].state == STATE_NOT_REACHED;
	}
	ck_assert_uint_eq(unreached, 3);
	fp = open_memstream(&buf, &len);
	render_text(fp, &r->rep, RENDER_NORMAL);
	render_json(fp, &r->rep);
	render_nagios(fp, &r->rep, NULL, NULL);
	fclose(fp);
	ck_assert_msg(
	    strstr(buf, "not reached, not sent: MAIL FROM:<probe@example.org>") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "\"state\":\"not-reached\"") != NULL, "%s", buf);
	ck_assert_msg(
	    strstr(buf, "3 planned commands not sent: STARTTLS answered 454 4.7.0") != NULL, "%s",
	    buf);
	free(buf);
}

static void
check_longer_than(const struct run *r)
{
	ck_assert_ptr_nonnull(strstr(r->rep.findings[0].msg, "longer than"));
}

static const struct scase scases[] = {
    /* The spine (from check_probe.c). */
    {"banner 554", {"S:554 5.7.1 " MX " no service for you\r\n", "R:QUIT", BYE}, NULL, SEV_CRITICAL,
        "banner-rejected", NULL, "QUIT\r\n", {"EHLO"}, 0,
        {"No SMTP service here", "CRITICAL: 127.0.0.1:", "banner-rejected"}, {NULL}, NULL, NULL},
    /* 421: the server closes; nothing is sent, not even QUIT. */
    {"banner 421", {"S:421 4.3.2 " MX " busy, try later\r\n"}, NULL, SEV_CRITICAL,
        "banner-rejected", NULL, "", {NULL}, 0, {NULL}, {NULL}, NULL, NULL},
    {"EHLO refused, HELO",
        {GREET, "R:EHLO ", "S:502 5.5.1 command not implemented\r\n", "R:HELO probe.test.example",
            "S:250 " MX "\r\n", "R:QUIT", BYE},
        NULL, SEV_WARNING, "ehlo-refused starttls-not-offered", NULL, NULL, {NULL}, 0,
        {"falls back to HELO"}, {NULL}, NULL, check_used_helo},
    {"STARTTLS 454",
        {GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS",
            "S:454 4.7.0 TLS not available due to local problem\r\n", "R:QUIT", BYE},
        NULL, SEV_CRITICAL, "starttls-refused", NULL, NULL, {NULL}, 0, {NULL}, {NULL}, NULL,
        check_no_tls},
    /* Nothing is said before a greeting, not even QUIT. */
    {"silent server", {"SLEEP:2500"}, opts_timeout_1, SEV_CRITICAL, "timeout", NULL, NULL, {"QUIT"},
        0, {NULL}, {NULL}, NULL, check_silent},
    {"closed mid-reply", {GREET, "R:EHLO ", "S:250-" MX "\r\n250-PIPEL", "CLOSE"}, NULL,
        SEV_CRITICAL, "connection-closed", NULL, NULL, {NULL}, 0, {"in the middle of a line"},
        {NULL}, NULL, check_mid_reply},
    {"no STARTTLS", {GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE}, NULL, SEV_WARNING,
        "starttls-not-offered", NULL, NULL, {NULL}, 0, {NULL}, {NULL}, NULL, NULL},
    {"no STARTTLS, TLS required", {GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE}, opts_require_tls,
        SEV_CRITICAL, "starttls-not-offered", NULL, NULL, {NULL}, 0, {NULL}, {NULL}, NULL, NULL},
    {"no STARTTLS, none asked", {GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE}, opts_none, SEV_OK,
        NULL, NULL, NULL, {NULL}, 0, {NULL}, {NULL}, NULL, check_no_findings},
    /* The raw banner is shown, escaped, in the transcript and in JSON. */
    {"not SMTP", {"S:SSH-2.0-OpenSSH_9.2p1 Debian\r\n"}, NULL, SEV_CRITICAL, "reply-malformed",
        NULL, NULL, {NULL}, 0, {"S: SSH-2.0-OpenSSH_9.2p1 Debian\n"}, {NULL},
        "\"unparsed\":\"SSH-2.0-OpenSSH_9.2p1 Debian\"", NULL},
    /* A reply to EHLO that is not SMTP: an old server may still take HELO. */
    {"HELO after a bad EHLO",
        {GREET, "R:EHLO ", "S:hello there\r\n", "R=HELO probe.test.example", "S:250 " MX "\r\n",
            "R:QUIT", BYE},
        opts_none, SEV_CRITICAL, "reply-malformed", NULL, NULL, {NULL}, 0, {NULL}, {NULL}, NULL,
        check_used_helo},
    {"STARTTLS refused: the rest not reached",
        {GREET, "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS",
            "S:454 4.7.0 TLS not available due to local problem\r\n", "R:QUIT", BYE},
        opts_not_reached, SEV_CRITICAL, "step-skipped", NULL, NULL, {NULL}, 0, {NULL}, {NULL}, NULL,
        check_not_reached},
    {"421 at EHLO", {GREET, "R:EHLO ", "S:421 4.4.2 " MX " Error: timeout exceeded\r\n"}, NULL,
        SEV_CRITICAL, "service-closing", NULL, NULL, {"QUIT"}, 0, {NULL}, {NULL}, NULL, NULL},
    /* A 421 for a connection limit is a rate limit: WARNING, nothing past
     * it concluded, and still no QUIT (RFC 5321 §3.8: the server closes). */
    {"421 rate limit at EHLO",
        {GREET, "R:EHLO ", "S:421 4.7.0 " MX " Error: too many connections\r\n"}, NULL, SEV_WARNING,
        "rate-limited", "service-closing starttls-not-offered", NULL, {"QUIT"}, 0, {NULL}, {NULL},
        NULL, NULL},
    {"escaped text",
        {"S:220 " MX " \x1b[31mred\x1b[0m \x07\r\n", "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE},
        opts_none, SEV_WARNING, "reply-control-bytes", NULL, NULL, {NULL}, 1, {"\\x1B[31mred"},
        {"\x1b", "\x07"}, NULL, NULL},
    /* A greeting line that never ends: the skip bound stops it. */
    {"flood bounded", {"S:220-", "REPEAT:25000:" A64}, NULL, SEV_CRITICAL, "reply-malformed", NULL,
        NULL, {NULL}, 0, {NULL}, {NULL}, NULL, check_longer_than},

    /* The dialogue (from check_dialogue.c). */
    {"AUTH refused without TLS", {GREET, "R:EHLO ", EHLO_AUTH("PLAIN"), "R:QUIT", BYE},
        opts_plain_auth, SEV_CRITICAL, "auth-plaintext-refused auth-before-tls", NULL, NULL,
        {"AUTH"}, 0, {NULL}, {NULL}, NULL, NULL},
    {"parameter flagged, not sent", {GREET, "R:EHLO ", EHLO_NO_TLS, "R:QUIT", BYE}, opts_size_param,
        SEV_WARNING, "param-not-advertised step-skipped", NULL, NULL, {"MAIL", "RCPT"}, 0,
        {"# held back, not sent: MAIL FROM:<a@example.org> SIZE=10\n"
         "   #   param-not-advertised: MAIL FROM parameter SIZE needs the SIZE extension"},
        {NULL}, NULL, NULL},
    /* --force: sent, and the RCPT's 503 follows from the refused MAIL:
     * not a finding of its own.  PIPELINING: the RCPT came in the same
     * write. */
    {"parameter forced",
        {GREET, "R:EHLO ", EHLO_NO_TLS, "R=MAIL FROM:<a@example.org> SIZE=10",
            "R=RCPT TO:<b@example.org>", "S:555 5.5.4 Unsupported option: SIZE=10\r\n",
            "S:503 5.5.1 Error: need MAIL command\r\n", "R:QUIT", BYE},
        opts_size_param_forced, SEV_CRITICAL, "mail-rejected", "rcpt-rejected", NULL, {NULL}, 0,
        {"A MAIL FROM parameter was not recognized"}, {NULL}, NULL, NULL},
    {"envelope and VRFY",
        {GREET, "R:EHLO ", EHLO_NO_TLS, "R=MAIL FROM:<>", "S:250 2.1.0 Ok\r\n",
            "R=RCPT TO:<known@example.org>", "S:250 2.1.5 Ok\r\n", "R=RCPT TO:<grey@example.org>",
            "S:450 4.2.0 <grey@example.org>: Recipient address rejected: Greylisted\r\n",
            "R=VRFY known", "S:250 2.0.0 <known@example.org>\r\n", "R=EXPN staff",
            "S:502 5.5.1 EXPN not available\r\n", "R=RSET", "S:250 2.0.0 Ok\r\n", "R:QUIT", BYE},
        opts_envelope, SEV_WARNING, "rcpt-rejected vrfy-enumeration", "expn-exposed", NULL, {NULL},
        0, {"greylisting", "EXPN is disabled", "Reset accepted"}, {NULL}, NULL, NULL},
};

/* Each name in the space-separated list raised (want 1) or not (want 0). */
static void
scripted_findings(const struct scase *c, const struct run *r, const char *list, int want)
{
	char names[256];
	char *save = NULL;

	if (list == NULL) {
		return;
	}
	snprintf(names, sizeof(names), "%s", list);
	for (char *n = strtok_r(names, " ", &save); n != NULL; n = strtok_r(NULL, " ", &save)) {
		enum finding_id id;

		ck_assert_msg(finding_by_name(n, &id) == 0, "%s: no finding %s", c->name, n);
		ck_assert_msg(harness_has(r, id) == want, "%s: %s %s", c->name, n,
		    want ? "not raised" : "raised");
	}
}

static void
scripted_text(const struct scase *c, const struct run *r)
{
	char *text = harness_render(r, c->verbose ? RENDER_VERBOSE : RENDER_NORMAL);

	for (size_t i = 0; i < 3 && c->text_has[i] != NULL; i++) {
		ck_assert_msg(strstr(text, c->text_has[i]) != NULL, "%s: no '%s' in:\n%s", c->name,
		    c->text_has[i], text);
	}
	for (size_t i = 0; i < 2 && c->text_not[i] != NULL; i++) {
		ck_assert_msg(strstr(text, c->text_not[i]) == NULL, "%s: '%s' in the text", c->name,
		    c->text_not[i]);
	}
	free(text);
	if (c->json_has != NULL) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		render_json(fp, &r->rep);
		fclose(fp);
		ck_assert_msg(strstr(buf, c->json_has) != NULL, "%s: %s", c->name, buf);
		free(buf);
	}
}

START_TEST(test_scripted)
{
	const struct scase *c = &scases[_i];
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	if (c->opts != NULL) {
		c->opts(&o);
	}
	r = harness_run_mem(c->script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s: %s", c->name, r->srv_error);
	ck_assert_msg(r->rep.verdict == c->verdict, "%s: verdict %s, %zu findings: %s", c->name,
	    sev_name(r->rep.verdict), r->rep.nfindings,
	    r->rep.nfindings ? r->rep.findings[0].msg : "");
	scripted_findings(c, r, c->has, 1);
	scripted_findings(c, r, c->hasnt, 0);
	if (c->received != NULL) {
		ck_assert_str_eq(r->received, c->received);
	}
	for (size_t i = 0; i < 2 && c->received_not[i] != NULL; i++) {
		ck_assert_msg(strstr(r->received, c->received_not[i]) == NULL, "%s: %s sent",
		    c->name, c->received_not[i]);
	}
	scripted_text(c, r);
	if (c->check != NULL) {
		c->check(r);
	}
	harness_keep_json(r);
	harness_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("scripted");
	TCase *tc = tcase_create("memxport");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_scripted, 0, (int)(sizeof(scases) / sizeof(scases[0])));
	suite_add_tcase(s, tc);
	return checkrun(s);
}
