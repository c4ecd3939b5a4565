/* Unit tables for the modules under the probe: the line reader and the
 * session over the scripted in-memory transport (tests/memxport.c), and
 * the pure policy, terminal-text and report helpers.  No socket, thread
 * or certificate. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "clock.h"
#include "linebuf.h"
#include "memxport.h"
#include "policy.h"
#include "report.h"
#include "session.h"
#include "tw.h"

/* A short deadline: stalls in the tables wait it out. */
#define UNIT_WAIT_MS 50

/* Texts too long to write out in a table, made once. */
static char *long_line;    /* BOUND_LINE_ACCEPT + 100 bytes, then CRLF */
static char *endless_line; /* more than BOUND_LINE_ACCEPT + BOUND_REPLY_SKIP, no LF */
static char *reply_flood;  /* "250-x" lines past BOUND_REPLY_BYTES + BOUND_REPLY_SKIP */

#define LONG_LINE "@long"
#define ENDLESS_LINE "@endless"
#define REPLY_FLOOD "@flood"

static const char *
unit_text(const char *t)
{
	if (t != NULL && strcmp(t, LONG_LINE) == 0) {
		return long_line;
	}
	if (t != NULL && strcmp(t, ENDLESS_LINE) == 0) {
		return endless_line;
	}
	if (t != NULL && strcmp(t, REPLY_FLOOD) == 0) {
		return reply_flood;
	}
	return t;
}

static void
unit_setup(void)
{
	size_t n = BOUND_LINE_ACCEPT + 100, e = BOUND_LINE_ACCEPT + BOUND_REPLY_SKIP + 4096;
	size_t lines = (BOUND_REPLY_BYTES + BOUND_REPLY_SKIP) / 7 + 100;

	long_line = malloc(n + 3);
	endless_line = malloc(e + 1);
	reply_flood = malloc(lines * 7 + 1);
	ck_assert(long_line != NULL && endless_line != NULL && reply_flood != NULL);
	memset(long_line, 'A', n);
	memcpy(long_line + n, "\r\n", 3);
	memset(endless_line, 'A', e);
	endless_line[e] = '\0';
	for (size_t i = 0; i < lines; i++) {
		memcpy(reply_flood + i * 7, "250-x\r\n", 7);
	}
	reply_flood[lines * 7] = '\0';
}

static void
unit_teardown(void)
{
	free(long_line);
	free(endless_line);
	free(reply_flood);
}

static void
unit_script(struct memxport *mx, const struct mx_event *ev, size_t chunk, int tls)
{
	memset(mx, 0, sizeof(*mx));
	for (size_t i = 0; i < MX_SCRIPT_MAX && ev[i].ev != MX_END; i++) {
		mx->script[i].ev = ev[i].ev;
		mx->script[i].text = unit_text(ev[i].text);
	}
	mx->chunk = chunk;
	mx->tls = tls;
}

/* ---- linebuf ---- */

struct lb_line {
	const char *text; /* the line's first bytes (LONG_LINE: all 'A') */
	size_t len, full;
	int crlf;
};

struct lb_case {
	const char *name;
	struct mx_event script[6];
	size_t chunk;
	struct lb_line lines[4]; /* ends at text NULL */
	enum fault_class end;    /* the fault after the last line */
	size_t pending;          /* bytes left unread as a line at the end */
	size_t skipped;          /* of an over-long line, dropped */
};

static const struct lb_case lb_cases[] = {
    {"CRLF line", {{MX_SEND, "220 a\r\n"}}, 0, {{"220 a", 5, 5, 1}}, FAULT_CLOSED, 0, 0},
    {"bare LF", {{MX_SEND, "220 a\n"}}, 0, {{"220 a", 5, 5, 0}}, FAULT_CLOSED, 0, 0},
    {"empty line", {{MX_SEND, "\r\n\n"}}, 0, {{"", 0, 0, 1}, {"", 0, 0, 0}}, FAULT_CLOSED, 0, 0},
    {"two lines in one read", {{MX_SEND, "a\r\nbc\r\n"}}, 0, {{"a", 1, 1, 1}, {"bc", 2, 2, 1}},
        FAULT_CLOSED, 0, 0},
    {"a byte at a time", {{MX_SEND, "abc\r\nd\n"}}, 1, {{"abc", 3, 3, 1}, {"d", 1, 1, 0}},
        FAULT_CLOSED, 0, 0},
    {"line over two reads", {{MX_SEND, "ab"}, {MX_SEND, "c\r"}, {MX_SEND, "\n"}}, 0,
        {{"abc", 3, 3, 1}}, FAULT_CLOSED, 0, 0},
    {"CR inside a line", {{MX_SEND, "a\rb\n"}}, 0, {{"a\rb", 3, 3, 0}}, FAULT_CLOSED, 0, 0},
    {"closed mid-line", {{MX_SEND, "ok\r\nhal"}, {MX_CLOSE, NULL}}, 0, {{"ok", 2, 2, 1}},
        FAULT_CLOSED, 3, 0},
    {"stall mid-line", {{MX_SEND, "hal"}, {MX_STALL, NULL}}, 0, {{NULL, 0, 0, 0}}, FAULT_TIMEOUT, 3,
        0},
    {"over-long line cut", {{MX_SEND, LONG_LINE}, {MX_SEND, "next\r\n"}}, 0,
        {{LONG_LINE, BOUND_LINE_ACCEPT, BOUND_LINE_ACCEPT + 100, 1}, {"next", 4, 4, 1}},
        FAULT_CLOSED, 0, 0},
    {"over-long line, small reads", {{MX_SEND, LONG_LINE}}, 999,
        {{LONG_LINE, BOUND_LINE_ACCEPT, BOUND_LINE_ACCEPT + 100, 1}}, FAULT_CLOSED, 0, 0},
    {"line that never ends", {{MX_SEND, ENDLESS_LINE}}, 0, {{NULL, 0, 0, 0}}, FAULT_PROTOCOL,
        BOUND_LINE_ACCEPT, 0},
};

static void
lb_check_line(const struct lb_line *want, const char *line, size_t len, size_t full, int crlf)
{
	ck_assert_uint_eq(len, want->len);
	ck_assert_uint_eq(full, want->full);
	ck_assert_int_eq(crlf, want->crlf);
	if (strcmp(want->text, LONG_LINE) == 0) {
		ck_assert(memcmp(line, long_line, len) == 0);
	} else {
		ck_assert(memcmp(line, want->text, len) == 0);
	}
}

START_TEST(test_linebuf)
{
	const struct lb_case *c = &lb_cases[_i];
	struct memxport mx;
	struct xport x;
	struct linebuf lb;
	struct fault f = {0};
	int64_t deadline = clock_now_ms() + UNIT_WAIT_MS;
	size_t i = 0;

	unit_script(&mx, c->script, c->chunk, 0);
	memxport_init(&x, &mx);
	linebuf_init(&lb);
	for (;;) {
		const char *line;
		size_t len, full;
		int crlf;

		if (linebuf_read_line(&lb, &x, deadline, &line, &len, &full, &crlf, &f) != 0) {
			break;
		}
		ck_assert_msg(
		    i < 4 && c->lines[i].text != NULL, "%s: line %zu too many", c->name, i);
		lb_check_line(&c->lines[i], line, len, full, crlf);
		i++;
	}
	ck_assert_msg(i == 4 || c->lines[i].text == NULL, "%s: %zu lines only", c->name, i);
	ck_assert_msg(f.cls == c->end, "%s: fault %d, not %d (%s)", c->name, f.cls, c->end, f.msg);
	ck_assert_uint_eq(linebuf_pending(&lb), c->pending);
	ck_assert_str_eq(mx.error, "");
	if (c->end == FAULT_PROTOCOL) {
		ck_assert_uint_gt(lb.skipped, BOUND_REPLY_SKIP);
	}
	linebuf_discard(&lb);
	ck_assert_uint_eq(linebuf_pending(&lb), 0);
}
END_TEST

/* ---- session ---- */

enum ss_call { SS_READ, SS_COMMAND, SS_SECRET, SS_RAW };

struct ss_case {
	const char *name;
	enum ss_call call;
	const char *cmd;   /* the command, wire or raw bytes */
	const char *shown; /* SS_SECRET, SS_RAW: what the step records */
	struct mx_event script[6];
	size_t chunk;
	int rc;
	int code;
	size_t nlines;
	enum fault_class fault;
	const char *msg; /* in the fault's message, or NULL */
	size_t partial;
	int usable; /* after the call */
};

static const struct ss_case ss_cases[] = {
    {"greeting", SS_READ, NULL, NULL, {{MX_SEND, "220 mx ESMTP\r\n"}}, 0, 0, 220, 1, FAULT_NONE,
        NULL, 0, 1},
    {"greeting a byte at a time", SS_READ, NULL, NULL, {{MX_SEND, "220-mx\r\n220 ok\r\n"}}, 1, 0,
        220, 2, FAULT_NONE, NULL, 0, 1},
    {"greeting cut short", SS_READ, NULL, NULL, {{MX_SEND, "220 ha"}, {MX_CLOSE, NULL}}, 0, -1, 0,
        0, FAULT_CLOSED, "middle of a line", 6, 0},
    {"silence", SS_READ, NULL, NULL, {{MX_STALL, NULL}}, 0, -1, 0, 0, FAULT_TIMEOUT, NULL, 0, 1},
    {"command", SS_COMMAND, "EHLO probe.example", NULL,
        {{MX_EXPECT, "EHLO probe.example\r\n"}, {MX_SEND, "250-mx\r\n250 8BITMIME\r\n"}}, 0, 0, 250,
        2, FAULT_NONE, NULL, 0, 1},
    {"reply closed mid-line", SS_COMMAND, "NOOP", NULL,
        {{MX_EXPECT, "NOOP\r\n"}, {MX_SEND, "250-a\r\n25"}, {MX_CLOSE, NULL}}, 0, -1, 250, 1,
        FAULT_CLOSED, NULL, 2, 0},
    {"reply never comes", SS_COMMAND, "NOOP", NULL, {{MX_EXPECT, "NOOP\r\n"}, {MX_STALL, NULL}}, 0,
        -1, 0, 0, FAULT_TIMEOUT, NULL, 0, 1},
    {"closed before the command", SS_COMMAND, "NOOP", NULL, {{MX_CLOSE, NULL}}, 0, -1, 0, 0,
        FAULT_CLOSED, NULL, 0, 0},
    {"malformed reply", SS_COMMAND, "NOOP", NULL, {{MX_EXPECT, "NOOP\r\n"}, {MX_SEND, "2x0 x\r\n"}},
        0, -1, 0, 0, FAULT_PROTOCOL, NULL, 0, 1},
    {"reply flood", SS_COMMAND, "EHLO a", NULL, {{MX_EXPECT, "EHLO a\r\n"}, {MX_SEND, REPLY_FLOOD}},
        0, -1, 250, 0, FAULT_PROTOCOL, "reply larger than", 0, 1},
    {"command too long", SS_COMMAND, LONG_LINE, NULL, {{MX_END, NULL}}, 0, -1, 0, 0, FAULT_INTERNAL,
        "too long", 0, 1},
    {"secret line", SS_SECRET, "AUTH PLAIN AHVzZXIAcGFzcw==", "AUTH PLAIN ****",
        {{MX_EXPECT, "AUTH PLAIN AHVzZXIAcGFzcw==\r\n"}, {MX_SEND, "235 2.7.0 ok\r\n"}}, 0, 0, 235,
        1, FAULT_NONE, NULL, 0, 1},
    {"raw pipelined pair", SS_RAW, "RSET\r\nQUIT\r\n", "RSET",
        {{MX_EXPECT, "RSET\r\nQUIT\r\n"}, {MX_SEND, "250 ok\r\n"}}, 0, 0, 250, 1, FAULT_NONE, NULL,
        0, 1},
};

static int
ss_call(struct session *s, struct step *st, const struct ss_case *c, int64_t deadline)
{
	const char *cmd = unit_text(c->cmd);

	switch (c->call) {
	case SS_READ:
		return session_read_reply(s, st, deadline);
	case SS_COMMAND:
		return session_command(s, st, cmd, deadline);
	case SS_SECRET:
		return session_command_secret(s, st, cmd, c->shown, deadline);
	case SS_RAW:
		return session_command_raw(s, st, cmd, strlen(cmd), c->shown, deadline);
	}
	return -2;
}

START_TEST(test_session)
{
	const struct ss_case *c = &ss_cases[_i];
	struct memxport mx;
	struct xport x;
	struct session s;
	struct report *r = malloc(sizeof(*r));
	struct step *st;
	int rc;

	ck_assert(r != NULL);
	report_init(r);
	st = report_add_step(r, STEP_COMMAND, SMTP_NOOP);
	unit_script(&mx, c->script, c->chunk, 0);
	memxport_init(&x, &mx);
	session_init_xport(&s, &x);
	rc = ss_call(&s, st, c, clock_now_ms() + UNIT_WAIT_MS);
	ck_assert_msg(rc == c->rc, "%s: rc %d (%s)", c->name, rc, st->fault.msg);
	ck_assert_msg(
	    st->fault.cls == c->fault, "%s: fault %d (%s)", c->name, st->fault.cls, st->fault.msg);
	if (c->msg != NULL) {
		ck_assert_msg(
		    strstr(st->fault.msg, c->msg) != NULL, "%s: %s", c->name, st->fault.msg);
	}
	ck_assert_int_eq(st->reply.code, c->code);
	if (c->nlines > 0 || c->fault != FAULT_PROTOCOL) {
		ck_assert_uint_eq(st->reply.nlines, c->nlines);
	}
	ck_assert_uint_eq(st->partial, c->partial);
	ck_assert_int_eq(s.usable, c->usable);
	/* What the step shows is the shown text, never the wire's secret. */
	if (c->call == SS_SECRET || c->call == SS_RAW) {
		ck_assert_str_eq(st->sent, c->shown);
	} else if (c->call == SS_COMMAND && c->fault != FAULT_INTERNAL) {
		ck_assert_str_eq(st->sent, c->cmd);
	}
	/* The session records facts only; over_tls is the probe's to set. */
	ck_assert_int_eq(st->over_tls, 0);
	if (c->partial > 0 && c->call == SS_READ) {
		ck_assert_uint_gt(st->reply.rawlen, 0);
	}
	ck_assert_msg(mx.error[0] == '\0', "%s: %s", c->name, mx.error);
	ck_assert_msg(
	    c->fault != FAULT_NONE || memxport_done(&mx), "%s: script not played", c->name);
	session_close(&s);
	ck_assert(s.x.ops == NULL && s.x.fd == -1 && s.usable == 0);
	session_close(&s); /* twice is harmless */
	report_free(r);
	free(r);
}
END_TEST

/* The transport says what it is; the session never asks for its name. */
START_TEST(test_xport_is_tls)
{
	static const struct mx_event ev[] = {
	    {MX_SEND, "abc"}, {MX_SEND, "de"}, {MX_EXPECT, "x"}, {MX_END, NULL}};
	struct memxport mx;
	struct xport x;
	struct session s;

	unit_script(&mx, ev, 0, 0);
	memxport_init(&x, &mx);
	ck_assert_int_eq(xport_is_tls(&x), 0);
	unit_script(&mx, ev, 0, 1);
	memxport_init(&x, &mx);
	ck_assert_int_eq(xport_is_tls(&x), 1);
	/* Draining takes what the server already sent, and no more. */
	ck_assert_uint_eq(xport_drain_now(&x), 5);
	ck_assert_uint_eq(mx.ev, 2);
	session_none(&s);
	ck_assert_int_eq(xport_is_tls(&s.x), 0);
	ck_assert_uint_eq(xport_drain_now(&s.x), 0);
	session_close(&s);
}
END_TEST

/* ---- policy ---- */

struct pol_case {
	const char *name;
	const char *greeting; /* one line, CRLF added; NULL: none */
	const char *ehlo;     /* EHLO reply lines, CRLF-separated; NULL: none */
	int64_t total_ms;
	const char *warn, *crit; /* ranges, or NULL */
	const char *require[3];
	const char *banner;     /* regex, or NULL */
	enum finding_id ignore; /* F_COUNT for none */
	enum finding_id preset; /* a finding already in the report, F_COUNT for none */
	enum finding_id want;   /* expected finding, F_COUNT for none */
	const char *needle;
	int verdict; /* an enum sev, or OWN_SEV: the finding's own */
};

#define OWN_SEV -1

static const struct pol_case pol_cases[] = {
    {"nothing asked", "220 mx ESMTP", NULL, 100, NULL, NULL, {NULL}, NULL, F_COUNT, F_COUNT,
        F_COUNT, NULL, SEV_OK},
    {"fast enough", "220 mx", NULL, 900, "1", "2", {NULL}, NULL, F_COUNT, F_COUNT, F_COUNT, NULL,
        SEV_OK},
    {"slow: warning", "220 mx", NULL, 1500, "1", "2", {NULL}, NULL, F_COUNT, F_COUNT,
        F_TIME_THRESHOLD, "1.500 s (warning range", SEV_WARNING},
    {"slower: critical", "220 mx", NULL, 2500, "1", "2", {NULL}, NULL, F_COUNT, F_COUNT,
        F_TIME_THRESHOLD, "critical range", SEV_CRITICAL},
    {"capability present", "220 mx", "250-mx\r\n250 STARTTLS", 0, NULL, NULL, {"starttls"}, NULL,
        F_COUNT, F_COUNT, F_COUNT, NULL, SEV_OK},
    {"capability missing", "220 mx", "250-mx\r\n250 8BITMIME", 0, NULL, NULL,
        {"8BITMIME", "SMTPUTF8"}, NULL, F_COUNT, F_COUNT, F_CAPABILITY_MISSING,
        "does not advertise SMTPUTF8", OWN_SEV},
    {"no EHLO seen: nothing judged", "220 mx", NULL, 0, NULL, NULL, {"SMTPUTF8"}, NULL, F_COUNT,
        F_COUNT, F_COUNT, NULL, SEV_OK},
    {"banner matches", "220 mx.example.org ESMTP", NULL, 0, NULL, NULL, {NULL}, "esmtp$", F_COUNT,
        F_COUNT, F_COUNT, NULL, SEV_OK},
    {"banner differs", "220 mx.example.org ESMTP", NULL, 0, NULL, NULL, {NULL}, "^220 other",
        F_COUNT, F_COUNT, F_BANNER_UNEXPECTED, "does not match /^220 other/", OWN_SEV},
    {"rate-limited greeting is no banner", "421 4.7.0 too many connections, try again later", NULL,
        0, NULL, NULL, {NULL}, "^220 other", F_COUNT, F_COUNT, F_COUNT, NULL, SEV_OK},
    {"ignored finding", "220 mx", NULL, 1500, "1", NULL, {NULL}, NULL, F_TIME_THRESHOLD, F_COUNT,
        F_TIME_THRESHOLD, "warning range", SEV_OK},
    {"ignore leaves others", "220 mx", NULL, 0, NULL, NULL, {NULL}, NULL, F_TIME_THRESHOLD,
        F_VRFY_ENUMERATION, F_VRFY_ENUMERATION, NULL, OWN_SEV},
};

static void
pol_reply(struct report *r, enum smtp_cmd cmd, const char *text)
{
	struct step *st = report_add_step(r, STEP_COMMAND, cmd);
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s\r\n", text);

	ck_assert(st != NULL && n > 0 && (size_t)n < sizeof(buf));
	ck_assert_int_eq(reply_parse(&st->reply, buf, (size_t)n), REPLY_DONE);
	if (cmd == SMTP_EHLO) {
		ehlo_init(&r->caps_plain);
		ck_assert_int_eq(ehlo_parse(&r->caps_plain, &st->reply), 0);
		r->have_caps_plain = 1;
	}
}

START_TEST(test_policy)
{
	const struct pol_case *c = &pol_cases[_i];
	struct report *r = malloc(sizeof(*r));
	struct policy pol;
	struct fault f;
	const struct finding *got = NULL;

	ck_assert(r != NULL);
	report_init(r);
	memset(&pol, 0, sizeof(pol));
	if (c->greeting != NULL) {
		pol_reply(r, SMTP_GREETING, c->greeting);
	}
	if (c->ehlo != NULL) {
		pol_reply(r, SMTP_EHLO, c->ehlo);
	}
	r->total_ms = c->total_ms;
	if (c->preset != F_COUNT) {
		report_add(r, c->preset, -1, "preset");
	}
	pol.have_warn = c->warn != NULL && range_parse(c->warn, &pol.warn, &f) == 0;
	pol.have_crit = c->crit != NULL && range_parse(c->crit, &pol.crit, &f) == 0;
	for (size_t i = 0; i < 3 && c->require[i] != NULL; i++) {
		pol.require[pol.nrequire++] = c->require[i];
	}
	if (c->banner != NULL) {
		ck_assert_int_eq(
		    regcomp(&pol.banner, c->banner, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
		snprintf(pol.banner_text, sizeof(pol.banner_text), "%s", c->banner);
		pol.have_banner = 1;
	}
	if (c->ignore != F_COUNT) {
		pol.ignore[pol.nignore++] = c->ignore;
	}
	policy_apply(&pol, r);
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].id == c->want) {
			got = &r->findings[i];
		}
	}
	if (c->want == F_COUNT) {
		ck_assert_msg(r->nfindings == 0, "%s: %s", c->name, r->findings[0].msg);
	} else {
		ck_assert_msg(got != NULL, "%s: finding not raised", c->name);
		ck_assert(c->needle == NULL || strstr(got->msg, c->needle) != NULL);
		ck_assert_int_eq(got->ignored, (c->ignore == c->want));
	}
	ck_assert_int_eq(
	    r->verdict, c->verdict == OWN_SEV ? (int)finding_def(c->want)->sev : c->verdict);
	policy_free(&pol);
	ck_assert_int_eq(pol.have_banner, 0);
	report_free(r);
	free(r);
}
END_TEST

/* ---- tw (the C locale: one column per byte) ---- */

struct tw_case {
	const char *text;
	int width;
	size_t len;       /* of the first line */
	const char *next; /* where the second begins */
};

static const struct tw_case tw_cases[] = {
    {"", 10, 0, ""},
    {"short", 10, 5, ""},
    {"hello world", 5, 5, "world"},
    {"hello world", 11, 11, ""},
    {"hello world", 8, 5, "world"},
    {"hello   world", 7, 5, "world"},
    {"abcdefghij", 4, 4, "efghij"},
    {"a b c d", 3, 3, "c d"},
};

START_TEST(test_tw_line)
{
	const struct tw_case *c = &tw_cases[_i];
	const char *next = NULL;
	size_t len;

	len = tw_line(c->text, c->width, &next);
	ck_assert_msg(len == c->len, "\"%s\" at %d: %zu", c->text, c->width, len);
	ck_assert_str_eq(next, c->next);
	ck_assert_int_le(tw_width(c->text), (int)strlen(c->text));
}
END_TEST

struct tw_pad_case {
	const char *label;
	int width;
	const char *out;
};

static const struct tw_pad_case tw_pad_cases[] = {
    {"ab", 5, "ab   "},
    {"abcde", 5, "abcde"},
    {"abcdefg", 5, "abcdefg"},
    {"", 2, "  "},
};

START_TEST(test_tw_pad)
{
	const struct tw_pad_case *c = &tw_pad_cases[_i];
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	ck_assert(out != NULL);
	tw_pad(out, c->label, c->width);
	fclose(out);
	ck_assert_str_eq(buf, c->out);
	ck_assert_int_eq(tw_width(c->label), (int)strlen(c->label));
	/* The gap after a label; an empty label has none. */
	ck_assert_int_eq(tw_label_width(c->label), (int)strlen(c->label) + (c->label[0] != '\0'));
	free(buf);
}
END_TEST

/* ---- report ---- */

struct rep_name_case {
	enum step_kind kind;
	enum smtp_cmd cmd;
	const char *name;
};

static const struct rep_name_case rep_name_cases[] = {
    {STEP_CONNECT, SMTP_ANY, "connect"},
    {STEP_TLS, SMTP_ANY, "tls"},
    {STEP_COMMAND, SMTP_GREETING, "banner"},
    {STEP_COMMAND, SMTP_EHLO, "ehlo"},
    {STEP_COMMAND, SMTP_HELO, "helo"},
    {STEP_COMMAND, SMTP_STARTTLS, "starttls"},
    {STEP_COMMAND, SMTP_AUTH, "auth"},
    {STEP_COMMAND, SMTP_MAIL, "mail"},
    {STEP_COMMAND, SMTP_RCPT, "rcpt"},
    {STEP_COMMAND, SMTP_VRFY, "vrfy"},
    {STEP_COMMAND, SMTP_EXPN, "expn"},
    {STEP_COMMAND, SMTP_RSET, "rset"},
    {STEP_COMMAND, SMTP_NOOP, "noop"},
    {STEP_COMMAND, SMTP_QUIT, "quit"},
    {STEP_COMMAND, SMTP_DATA, "DATA"},
    {STEP_COMMAND, SMTP_HELP, "HELP"},
};

START_TEST(test_report_step_name)
{
	const struct rep_name_case *c = &rep_name_cases[_i];
	struct step st;

	memset(&st, 0, sizeof(st));
	st.kind = c->kind;
	st.cmd = c->cmd;
	ck_assert_str_eq(report_step_name(&st), c->name);
}
END_TEST

START_TEST(test_report_labels)
{
	static const char *const want[LABEL_COUNT] = {
	    "connect", "banner", "ehlo", "starttls", "tls", "auth", "mail", "rcpt", "vrfy"};

	for (int l = 0; l < LABEL_COUNT; l++) {
		ck_assert_str_eq(report_label_name((enum report_label)l), want[l]);
	}
	ck_assert_str_eq(report_label_name(LABEL_COUNT), "?");
	ck_assert_str_eq(report_tls_mode_name(TLS_MODE_AUTO), "auto");
	ck_assert_str_eq(report_tls_mode_name(TLS_MODE_STARTTLS), "starttls");
	ck_assert_str_eq(report_tls_mode_name(TLS_MODE_IMPLICIT), "implicit");
	ck_assert_str_eq(report_tls_mode_name(TLS_MODE_NONE), "none");
}
END_TEST

/* Steps, timings and round trips: a transcript written as a table. */
struct rep_step {
	enum step_kind kind;
	enum smtp_cmd cmd;
	enum step_state state;
	int64_t ms;
	int code;
	int halves;
};

START_TEST(test_report_timings)
{
	static const struct rep_step steps[] = {
	    {STEP_CONNECT, SMTP_ANY, STATE_SENT, 10, 0, 2},
	    {STEP_COMMAND, SMTP_GREETING, STATE_SENT, 5, 220, 1},
	    {STEP_COMMAND, SMTP_EHLO, STATE_SENT, 3, 250, 2},
	    {STEP_COMMAND, SMTP_STARTTLS, STATE_SENT, 2, 220, 2},
	    {STEP_TLS, SMTP_ANY, STATE_SENT, 20, 0, 2},
	    {STEP_COMMAND, SMTP_EHLO, STATE_SENT, 4, 250, 2},
	    {STEP_COMMAND, SMTP_MAIL, STATE_SENT, 1, 250, 2},
	    {STEP_COMMAND, SMTP_RCPT, STATE_SENT, 1, 550, 0},
	    {STEP_COMMAND, SMTP_RCPT, STATE_SENT, 1, 250, 0},
	    {STEP_COMMAND, SMTP_RCPT, STATE_HELD, 7, 0, 0},
	    {STEP_COMMAND, SMTP_QUIT, STATE_SENT, 1, 221, 2},
	};
	struct report *r = malloc(sizeof(*r));
	struct report_timing t[LABEL_COUNT];

	ck_assert(r != NULL);
	report_init(r);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct step *st = report_add_step(r, steps[i].kind, steps[i].cmd);

		st->state = steps[i].state;
		st->ms = steps[i].ms;
		st->reply.code = steps[i].code;
		st->rt_halves = steps[i].halves;
		ck_assert_int_eq(report_step_index(r, st), (int)i);
	}
	ck_assert_int_eq(report_step_index(r, NULL), -1);
	report_timings(r, t);
	ck_assert(t[LABEL_EHLO].present && t[LABEL_EHLO].ms == 7 && t[LABEL_EHLO].code == 250);
	ck_assert(t[LABEL_TLS].present && t[LABEL_TLS].ms == 20);
	/* RCPT: the highest code; a held step is no time spent. */
	ck_assert(t[LABEL_RCPT].ms == 2 && t[LABEL_RCPT].code == 550);
	ck_assert(!t[LABEL_AUTH].present && !t[LABEL_VRFY].present);
	ck_assert(r->steps[0].reply.code == 0 && t[LABEL_CONNECT].ms == 10);
	ck_assert(report_round_trips(r) == 7.5);
	report_free(r);
	free(r);
}
END_TEST

START_TEST(test_report_bounds)
{
	struct report *r = malloc(sizeof(*r));

	ck_assert(r != NULL);
	report_init(r);
	ck_assert_int_eq(r->net.fd, -1);
	for (int i = 0; i < BOUND_STEPS; i++) {
		ck_assert(report_add_step(r, STEP_COMMAND, SMTP_NOOP) != NULL);
	}
	ck_assert(report_add_step(r, STEP_COMMAND, SMTP_NOOP) == NULL);
	ck_assert_uint_eq(r->nsteps, BOUND_STEPS);
	for (int i = 0; i < BOUND_FINDINGS + 3; i++) {
		report_add(r, F_VRFY_ENUMERATION, -1, "n %d", i);
	}
	ck_assert_uint_eq(r->nfindings, BOUND_FINDINGS);
	ck_assert_uint_eq(r->findings_dropped, 3);
	ck_assert(report_has(r, F_VRFY_ENUMERATION) && !report_has(r, F_TIME_THRESHOLD));
	report_internal(r, "first %d", 1);
	report_internal(r, "second");
	ck_assert_str_eq(r->internal.msg, "first 1");
	report_free(r);
	free(r);
}
END_TEST

static Suite *
units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("linebuf-session");

	tcase_add_unchecked_fixture(tc, unit_setup, unit_teardown);
	tcase_add_loop_test(tc, test_linebuf, 0, (int)(sizeof(lb_cases) / sizeof(lb_cases[0])));
	tcase_add_loop_test(tc, test_session, 0, (int)(sizeof(ss_cases) / sizeof(ss_cases[0])));
	tcase_add_test(tc, test_xport_is_tls);
	suite_add_tcase(s, tc);
	tc = tcase_create("pure");
	tcase_add_loop_test(tc, test_policy, 0, (int)(sizeof(pol_cases) / sizeof(pol_cases[0])));
	tcase_add_loop_test(tc, test_tw_line, 0, (int)(sizeof(tw_cases) / sizeof(tw_cases[0])));
	tcase_add_loop_test(
	    tc, test_tw_pad, 0, (int)(sizeof(tw_pad_cases) / sizeof(tw_pad_cases[0])));
	tcase_add_loop_test(tc, test_report_step_name, 0,
	    (int)(sizeof(rep_name_cases) / sizeof(rep_name_cases[0])));
	tcase_add_test(tc, test_report_labels);
	tcase_add_test(tc, test_report_timings);
	tcase_add_test(tc, test_report_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return checkrun(units_suite());
}
