/* The renderers against golden files: recorded sessions (scripted
 * servers, timings and certificate dates pinned) rendered as text, JSON,
 * nagios and prometheus must match tests/data/golden/ byte for byte.
 * SMTPROBE_UPDATE_GOLDEN=1 rewrites the files instead (review the diff). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "checkrun.h"
#include "harness.h"
#include "i18n.h"
#include "policy.h"

/* Pin everything that varies from run to run. */
static void
pin(struct report *r)
{
	r->target.port = 2525;
	r->total_ms = 42;
	for (size_t i = 0; i < r->net.ntries; i++) {
		r->net.tries[i].ms = 0;
	}
	for (size_t i = 0; i < r->nsteps; i++) {
		r->steps[i].ms = (int64_t)i;
	}
	for (size_t i = 0; r->tls_done && i < r->tls.nchain; i++) {
		snprintf(r->tls.chain[i].not_after, sizeof(r->tls.chain[i].not_after),
		    "2027-02-20 00:00:00 UTC");
		r->tls.chain[i].days_left = 89;
		r->tls.chain[i].not_after_unix = 1803427200;
	}
	if (r->tls_done) {
		snprintf(r->tls.not_before, sizeof(r->tls.not_before), "2026-11-21 00:00:00 UTC");
		snprintf(r->tls.not_after, sizeof(r->tls.not_after), "2027-02-20 00:00:00 UTC");
		r->tls.days_left = 89;
		r->tls.not_after_unix = 1803427200;
	}
}

static char *
golden_path(const char *name)
{
	const char *top = getenv("top_srcdir");
	static char path[1024];

	snprintf(path, sizeof(path), "%s/tests/data/golden/%s", top ? top : "..", name);
	return path;
}

static void
golden_check(const char *name, const char *got)
{
	char *path = golden_path(name);
	FILE *fp;
	char *want;
	long len;

	if (getenv("SMTPROBE_UPDATE_GOLDEN") != NULL) {
		fp = fopen(path, "w");
		ck_assert_msg(fp != NULL, "cannot write %s", path);
		fputs(got, fp);
		fclose(fp);
		return;
	}
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "no golden file %s (run with SMTPROBE_UPDATE_GOLDEN=1)", path);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	want = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(want, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	ck_assert_msg(
	    strcmp(want, got) == 0, "%s differs:\n--- want\n%s\n--- got\n%s", name, want, got);
	free(want);
}

enum fmt { TEXT, JSON, NAGIOS, PROM };

static void
check_formats(const char *name, struct report *r)
{
	static const char *const ext[] = {"txt", "json", "nagios", "prom"};

	for (int f = TEXT; f <= PROM; f++) {
		char *buf = NULL, file[128];
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct prom_doc *doc;

		switch (f) {
		case TEXT:
			render_text(fp, r, RENDER_VERBOSE);
			break;
		case JSON:
			render_json(fp, r);
			break;
		case NAGIOS:
			render_nagios(fp, r, "1", "2");
			break;
		case PROM:
			doc = prom_doc_new();
			prom_doc_add(doc, r);
			prom_doc_write(doc, fp);
			prom_doc_free(doc);
			break;
		}
		fclose(fp);
		snprintf(file, sizeof(file), "%s.%s", name, ext[f]);
		golden_check(file, buf);
		free(buf);
	}
}

START_TEST(test_golden_starttls)
{
	static const char *const script[] = {"S:220-" MX " ESMTP scripted\r\n220 second line\r\n",
	    "R:EHLO ", EHLO_TLS_OFFERED, "R:STARTTLS", "S:220 2.0.0 Ready to start TLS\r\n", "TLS",
	    "R:EHLO ", EHLO_AFTER_TLS, "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	pin(&r->rep);
	check_formats("starttls", &r->rep);
	harness_free(r);
}
END_TEST

START_TEST(test_golden_rejected)
{
	static const char *const script[] = {
	    "S:554 5.7.1 " MX " no service for \x1b[1myou\x1b[0m\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	pin(&r->rep);
	check_formats("rejected", &r->rep);
	harness_free(r);
}
END_TEST

static char *
render_text_string(struct report *r, enum render_verbosity v, int color)
{
	char *out = calloc(1, 1 << 16);
	FILE *fp = fmemopen(out, (1 << 16) - 1, "w");

	ck_assert_ptr_nonnull(fp);
	render_text_color(fp, r, v, color);
	ck_assert_msg(ftell(fp) < (1 << 16) - 2, "output too long");
	fclose(fp);
	return out;
}

/* Every ESC in s starts one of the SGR sequences smtprobe writes. */
static void
only_own_sgr(const char *s)
{
	static const char *const own[] = {
	    "[0m", "[1m", "[2m", "[1;32m", "[1;33m", "[1;31m", "[1;35m"};

	for (const char *p = strchr(s, '\033'); p != NULL; p = strchr(p + 1, '\033')) {
		int ok = 0;

		for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
			ok |= strncmp(p + 1, own[k], strlen(own[k])) == 0;
		}
		ck_assert_msg(ok, "foreign escape sequence at: %.20s", p + 1);
	}
}

/* The default text: a fix line under every finding (and no meaning);
 * colour only when asked, only smtprobe's own sequences, and the
 * server's escape sequences still escaped. */
START_TEST(test_text_fix_and_color)
{
	static const char *const script[] = {
	    "S:554 5.7.1 " MX " no service for \x1b[1myou\x1b[0m\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct run *r;
	char *plain, *col, *quiet;
	const char *p;
	size_t nfix = 0;

	harness_opts(&o);
	r = harness_run(script, &o);
	pin(&r->rep);
	ck_assert_uint_eq(r->rep.nfindings, 2);
	plain = render_text_string(&r->rep, RENDER_NORMAL, 0);
	ck_assert_ptr_null(strchr(plain, '\033'));
	for (p = strstr(plain, "\n                         fix: "); p != NULL;
	     p = strstr(p + 1, "\n                         fix: ")) {
		nfix++;
	}
	ck_assert_uint_eq(nfix, r->rep.nfindings);
	ck_assert_ptr_nonnull(strstr(plain,
	    "reply-control-bytes: reply to the greeting contains control bytes\n"
	    "                         fix: Find the reply text"));
	ck_assert_ptr_null(strstr(plain, "meaning:"));
	ck_assert_ptr_null(strstr(plain, "why:"));

	col = render_text_string(&r->rep, RENDER_NORMAL, 1);
	only_own_sgr(col);
	ck_assert_ptr_nonnull(strstr(col, "\033[1;31mCRITICAL\033[0m: 127.0.0.1:2525"));
	ck_assert_ptr_nonnull(strstr(col, "\033[1;33mWARNING\033[0m  reply-control-bytes"));
	ck_assert_ptr_nonnull(strstr(col, "\033[1mS:\033[0m 554 5.7.1"));
	ck_assert_ptr_nonnull(strstr(col, "\033[2mC:\033[0m QUIT"));
	ck_assert_ptr_nonnull(strstr(col, "no service for \\x1B[1myou\\x1B[0m"));
	ck_assert_ptr_null(strstr(col, "\033[1myou"));
	/* Without the sequences, the coloured text is the plain text. */
	for (char *w = col, *q = col;;) {
		if (*q == '\033') {
			q = strchr(q, 'm') + 1;
			continue;
		}
		if ((*w++ = *q++) == '\0') {
			break;
		}
	}
	ck_assert_str_eq(col, plain);
	quiet = render_text_string(&r->rep, RENDER_QUIET, 1);
	ck_assert_msg(
	    strncmp(quiet, "\033[1;31mCRITICAL\033[0m: ", strlen("\033[1;31mCRITICAL\033[0m: ")) ==
	        0,
	    "%s", quiet);
	free(plain);
	free(col);
	free(quiet);
	harness_free(r);
}
END_TEST

START_TEST(test_golden_dialogue)
{
	static const char *const script[] = {GREET, "R:EHLO ",
	    "S:250-" MX "\r\n250-PIPELINING\r\n250-VRFY\r\n250 8BITMIME\r\n", "R=VRFY postmaster",
	    "S:250 2.0.0 <postmaster@" MX ">\r\n", "R:QUIT", BYE, NULL};
	struct probe_opts o;
	struct policy pol;
	struct fault f;
	struct run *r;

	harness_opts(&o);
	o.tls_mode = TLS_MODE_NONE;
	o.mail_from = "probe@example.org";
	ck_assert_int_eq(params_parse("SIZE=1000", &o.mail_params[0], &f), 0);
	o.nmail_params = 1;
	o.rcpts[0] = "postmaster@" MX;
	o.nrcpts = 1;
	o.vrfy = "postmaster";
	r = harness_run(script, &o);
	ck_assert_msg(r->srv_error == NULL, "%s", r->srv_error);
	/* The site accepts VRFY; capabilities and banner as required. */
	memset(&pol, 0, sizeof(pol));
	ck_assert_int_eq(finding_by_name("vrfy-enumeration", &pol.ignore[0]), 0);
	pol.nignore = 1;
	pol.require[0] = "STARTTLS";
	pol.nrequire = 1;
	pin(&r->rep);
	policy_apply(&pol, &r->rep);
	check_formats("dialogue", &r->rep);
	harness_free(r);
}
END_TEST

/* A report with names and text a domain owner or a server controls. */
static void
hostile_report(struct report *r, const char *host, const char *domain)
{
	struct step *st;

	report_init(r);
	snprintf(r->target.host, sizeof(r->target.host), "%s", host);
	r->target.port = 25;
	snprintf(r->mx_domain, sizeof(r->mx_domain), "%s", domain);
	r->mx_pref = 10;
	snprintf(r->server_name, sizeof(r->server_name), "evil|owned=1;2;3");
	st = report_add_step(r, STEP_COMMAND, SMTP_RCPT);
	snprintf(st->sent, sizeof(st->sent), "RCPT TO:<a|b@example.org>");
	reply_parse(&st->reply, "550 5.1.1 no|such=1 user\r\n", 24);
	report_add(r, F_RCPT_REJECTED, 0, "RCPT refused: 550 no|such=1 user");
	r->total_ms = 42;
	report_finish(r);
}

static char *
render_to_string(void (*fn)(FILE *, void *), void *arg)
{
	char *out = calloc(1, 1 << 20);
	FILE *fp = fmemopen(out, (1 << 20) - 1, "w");

	ck_assert_ptr_nonnull(fp);
	fn(fp, arg);
	ck_assert_msg(ftell(fp) < (1 << 20) - 2, "output too long");
	fclose(fp);
	return out;
}

static size_t
count_char(const char *s, const char *end, char c)
{
	size_t n = 0;

	for (; s < end && *s != '\0'; s++) {
		n += *s == c;
	}
	return n;
}

static void
nagios_one(FILE *fp, void *arg)
{
	render_nagios(fp, arg, NULL, NULL);
}

START_TEST(test_nagios_hostile_names)
{
	/* An MX name or server text with '|' would cut the status line and
	 * inject perfdata: the one '|' is the separator, none follows. */
	struct report r;
	char *out, *nl;

	hostile_report(&r, "mx|x=1;2;3.example", "example.org");
	out = render_to_string(nagios_one, &r);
	nl = strchr(out, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_msg(count_char(out, nl, '|') == 1, "status line: %s", out);
	ck_assert_msg(count_char(nl, nl + strlen(nl), '|') == 0, "long output: %s", out);
	ck_assert_ptr_nonnull(
	    strstr(out, "SMTP CRITICAL - mx/x=1;2;3.example:25 evil/owned=1;2;3"));
	free(out);
	report_free(&r);
}
END_TEST

static void
nagios_two(FILE *fp, void *arg)
{
	struct report *r = arg;
	struct nagios_doc *d = nagios_doc_new("1", "2");

	ck_assert_ptr_nonnull(d);
	nagios_doc_add(d, &r[0]);
	nagios_doc_add(d, &r[1]);
	nagios_doc_write(d, fp);
	nagios_doc_free(d);
}

START_TEST(test_nagios_several_targets)
{
	/* Nagios takes perfdata from the first line and after the first '|'
	 * of the later lines: only the last line carries it, for all. */
	struct report r[2];
	char *out, *last;

	hostile_report(&r[0], "mx1.example", "example.org");
	hostile_report(&r[1], "mx1.example", "example.org");
	out = render_to_string(nagios_two, r);
	last = out + strlen(out) - 1;
	while (last > out && last[-1] != '\n') {
		last--;
	}
	ck_assert_msg(count_char(out, last, '|') == 0, "a '|' before the last line: %s", out);
	ck_assert_msg(last[0] == '|' && count_char(last, last + strlen(last), '|') == 1, "%s", out);
	ck_assert_ptr_nonnull(
	    strstr(out, "SMTP CRITICAL - 2 targets: 0 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN\n"));
	/* Labels apart, however often one target is named. */
	ck_assert_ptr_nonnull(strstr(last, " 1_mx1.example:25_total=0.042s;1;2;0;"));
	ck_assert_ptr_nonnull(strstr(last, " 2_mx1.example:25_total=0.042s;1;2;0;"));
	free(out);
	report_free(&r[0]);
	report_free(&r[1]);
}
END_TEST

static void
prom_reports(FILE *fp, void *arg)
{
	struct report *r = arg;
	struct prom_doc *d = prom_doc_new();

	ck_assert_ptr_nonnull(d);
	for (int i = 0; i < 3; i++) {
		prom_doc_add(d, &r[i]);
	}
	prom_doc_write(d, fp);
	prom_doc_free(d);
}

START_TEST(test_prom_no_duplicates)
{
	/* Two MX records of one domain naming the same host, and a second
	 * domain sharing it: one series each, told apart by mx_domain; label
	 * values escaped as the exposition format says. */
	struct report r[3];
	char *out;
	FILE *fp;

	hostile_report(&r[0], "mx\"1\\.example", "a.example");
	hostile_report(&r[1], "mx\"1\\.example", "a.example");
	hostile_report(&r[2], "mx\"1\\.example", "b.exa\nmple");
	out = render_to_string(prom_reports, r);
	ck_assert_ptr_nonnull(strstr(
	    out, "probe_success{target=\"mx\\\"1\\\\.example:25\",mx_domain=\"a.example\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(out,
	    "probe_success{target=\"mx\\\"1\\\\.example:25\",mx_domain=\"b.exa\\nmple\"} 0\n"));
	{
		const char *a = strstr(out,
		    "probe_success{target=\"mx\\\"1\\\\.example:25\",mx_domain=\"a.example\"}");

		ck_assert_ptr_null(strstr(a + 1,
		    "probe_success{target=\"mx\\\"1\\\\.example:25\",mx_domain=\"a.example\"}"));
	}
	/* promtool, where installed, accepts it. */
	if (system("command -v promtool >/dev/null") == 0) {
		fp = popen("promtool check metrics >/dev/null 2>&1", "w");
		ck_assert_ptr_nonnull(fp);
		fputs(out, fp);
		ck_assert_msg(pclose(fp) == 0, "promtool rejects:\n%s", out);
	}
	free(out);
	for (int i = 0; i < 3; i++) {
		report_free(&r[i]);
	}
}
END_TEST

static void
json_one(FILE *fp, void *arg)
{
	render_json(fp, arg);
}

static void
text_normal(FILE *fp, void *arg)
{
	render_text(fp, arg, RENDER_NORMAL);
}

static void
prom_one(FILE *fp, void *arg)
{
	struct prom_doc *doc = prom_doc_new();

	prom_doc_add(doc, arg);
	prom_doc_write(doc, fp);
	prom_doc_free(doc);
}

/* A named target's report: tries as given ("A" connected, "F" failed,
 * "N" not tried), each with its address. */
static void
named_report(struct report *r, const char *const *tries)
{
	report_init(r);
	snprintf(r->target.host, sizeof(r->target.host), "mx.example.org");
	r->target.port = 25;
	for (; tries != NULL && *tries != NULL; tries += 2) {
		struct net_attempt *a = &r->net.tries[r->net.ntries++];

		snprintf(a->addr, sizeof(a->addr), "%s", tries[1]);
		a->family = strchr(tries[1], ':') != NULL ? AF_INET6 : AF_INET;
		a->ok = tries[0][0] == 'A';
		a->not_tried = tries[0][0] == 'N';
		snprintf(a->why, sizeof(a->why), "%s", a->ok ? "" : "connection refused");
	}
	r->total_ms = 7;
	report_finish(r);
}

/* Every format names the address tested: the one connected to, else the
 * last one tried (an address skipped as not tried is not "tested"). */
START_TEST(test_address_named)
{
	static const char *const connected[] = {"F", "2001:db8::25", "A", "192.0.2.25", NULL};
	static const char *const failed[] = {
	    "N", "192.0.2.25", "F", "2001:db8::25", "N", "192.0.2.26", NULL};
	struct report r;
	char *out;

	named_report(&r, connected);
	out = render_to_string(text_normal, &r);
	ck_assert_msg(strstr(out, "OK: mx.example.org:25 (192.0.2.25), 7 ms\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, " at 192.0.2.25 port 25") != NULL, "%s", out);
	free(out);
	out = render_to_string(nagios_one, &r);
	ck_assert_msg(
	    strncmp(out, "SMTP OK - mx.example.org:25 (192.0.2.25) |", 41) == 0, "%s", out);
	free(out);
	out = render_to_string(json_one, &r);
	ck_assert_msg(
	    strstr(out, "\"address\":\"192.0.2.25\",\"family\":\"ipv4\",") != NULL, "%s", out);
	ck_assert_msg(
	    strstr(out, "{\"address\":\"2001:db8::25\",\"family\":\"ipv6\",\"connected\":false,") !=
	        NULL,
	    "%s", out);
	free(out);
	out = render_to_string(prom_one, &r);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_address_info{target=\"mx.example.org:25\",address=\"192.0.2.25\","
	                  "family=\"ipv4\"} 1\n") != NULL,
	    "%s", out);
	/* The other series keep their label sets. */
	ck_assert_msg(
	    strstr(out, "\nprobe_success{target=\"mx.example.org:25\"} 1\n") != NULL, "%s", out);
	free(out);
	report_free(&r);

	named_report(&r, failed);
	out = render_to_string(json_one, &r);
	ck_assert_msg(
	    strstr(out, "\"address\":\"2001:db8::25\",\"family\":\"ipv6\",") != NULL, "%s", out);
	free(out);
	out = render_to_string(prom_one, &r);
	ck_assert_msg(
	    strstr(out, "address=\"2001:db8::25\",family=\"ipv6\"} 1\n") != NULL, "%s", out);
	free(out);
	report_free(&r);

	/* No address tried (the name did not resolve): none named. */
	named_report(&r, NULL);
	out = render_to_string(json_one, &r);
	ck_assert_msg(strstr(out, "\"address\":null,\"family\":null,") != NULL, "%s", out);
	free(out);
	out = render_to_string(text_normal, &r);
	ck_assert_msg(strstr(out, "OK: mx.example.org:25, 7 ms\n") != NULL, "%s", out);
	free(out);
	out = render_to_string(prom_one, &r);
	ck_assert_ptr_null(strstr(out, "smtp_address_info{"));
	free(out);
	report_free(&r);
}
END_TEST

START_TEST(test_json_not_utf8)
{
	/* Text that is not UTF-8 never drops a key: what the user typed in
	 * a single-byte locale is converted, and a message in that charset
	 * too; bytes that are no charset's are escaped. */
	struct report r;
	json_t *doc, *mx;
	json_error_t err;
	char *out;

	hostile_report(&r, "mx.example", "d\xe9.example");
	snprintf(r.ehlo_name, sizeof(r.ehlo_name), "h\xe9.example");
	report_add(&r, F_INTERNAL, -1, "caf\xe9");
	i18n_set_codeset("ISO-8859-1");
	out = render_to_string(json_one, &r);
	i18n_set_codeset("UTF-8");
	doc = json_loads(out, 0, &err);
	ck_assert_msg(doc != NULL, "%s: %s", err.text, out);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "ehlo_name")), "h\xc3\xa9.example");
	mx = json_object_get(doc, "mx");
	ck_assert_msg(json_is_object(mx), "no mx: %s", out);
	ck_assert_str_eq(json_string_value(json_object_get(mx, "domain")), "d\xc3\xa9.example");
	ck_assert_str_eq(json_string_value(json_object_get(
	                     json_array_get(json_object_get(doc, "findings"), 1), "message")),
	    "caf\xc3\xa9");
	json_decref(doc);
	free(out);

	/* In a UTF-8 locale the same bytes are not UTF-8: escaped, kept. */
	out = render_to_string(json_one, &r);
	doc = json_loads(out, 0, &err);
	ck_assert_msg(doc != NULL, "%s: %s", err.text, out);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "ehlo_name")), "h\\xE9.example");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "mx"), "domain")),
	    "d\\xE9.example");
	json_decref(doc);
	free(out);
	report_free(&r);
}
END_TEST

START_TEST(test_json_auth_binding)
{
	/* The auth object names the channel binding a -PLUS mechanism sent,
	 * and null for the others. */
	struct report r;
	json_t *doc, *auth;
	json_error_t err;
	char *out;

	hostile_report(&r, "mx.example", "example.org");
	snprintf(r.auth_mech, sizeof(r.auth_mech), "SCRAM-SHA-256-PLUS");
	snprintf(r.auth_binding, sizeof(r.auth_binding), "tls-exporter");
	r.auth_proof = AUTH_PROOF_YES;
	out = render_to_string(json_one, &r);
	doc = json_loads(out, 0, &err);
	ck_assert_msg(doc != NULL, "%s: %s", err.text, out);
	auth = json_object_get(doc, "auth");
	ck_assert_str_eq(
	    json_string_value(json_object_get(auth, "mechanism")), "SCRAM-SHA-256-PLUS");
	ck_assert_str_eq(
	    json_string_value(json_object_get(auth, "channel_binding")), "tls-exporter");
	json_decref(doc);
	free(out);

	snprintf(r.auth_mech, sizeof(r.auth_mech), "SCRAM-SHA-256");
	r.auth_binding[0] = '\0';
	out = render_to_string(json_one, &r);
	doc = json_loads(out, 0, &err);
	ck_assert_msg(doc != NULL, "%s: %s", err.text, out);
	ck_assert(json_is_null(json_object_get(json_object_get(doc, "auth"), "channel_binding")));
	json_decref(doc);
	free(out);
	report_free(&r);
}
END_TEST

static void
text_one(FILE *fp, void *arg)
{
	render_text(fp, arg, RENDER_VERBOSE);
}

START_TEST(test_text_c1_single_byte_locale)
{
	/* On a terminal in ISO-8859-1, 0x9B is CSI and 0x9D OSC even inside
	 * what would be UTF-8 (U+00DB is C3 9B): never written raw. */
	struct report r;
	char *out;

	hostile_report(&r, "mx.example", "");
	snprintf(r.server_name, sizeof(r.server_name),
	    "mx\xc3\x9b"
	    "2J\x9d"
	    "0;t\x9c");
	i18n_set_codeset("ISO-8859-1");
	out = render_to_string(text_one, &r);
	i18n_set_codeset("UTF-8");
	for (const char *p = out; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		ck_assert_msg(c < 0x80 || c >= 0xA0, "C1 byte 0x%02X in:\n%s", c, out);
	}
	ck_assert_ptr_nonnull(strstr(out, "mx\xc3\\x9B2J\\x9D0;t\\x9C"));
	free(out);
	report_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("golden");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_golden_starttls);
	tcase_add_test(tc, test_golden_rejected);
	tcase_add_test(tc, test_golden_dialogue);
	tcase_add_test(tc, test_text_fix_and_color);
	tcase_add_test(tc, test_nagios_hostile_names);
	tcase_add_test(tc, test_nagios_several_targets);
	tcase_add_test(tc, test_prom_no_duplicates);
	tcase_add_test(tc, test_json_not_utf8);
	tcase_add_test(tc, test_json_auth_binding);
	tcase_add_test(tc, test_text_c1_single_byte_locale);
	tcase_add_test(tc, test_address_named);
	suite_add_tcase(s, tc);
	return checkrun(s);
}
