/* check_judge.c - the judge against recorded transcripts of real servers.
 *
 * Every case in tests/data/judge/ *.cases is a record built the way the
 * probe would have filled it, and the exact findings (id, severity, a
 * piece of the message) and verdict the judge must give.  Each case names
 * the source of its reply texts.  No sockets, no threads: the judge is
 * pure.
 */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checkrun.h"
#include "advice.h"
#include "judgecase.h"
#include "render.h"

static struct judge_case *cases;
static size_t ncases;

static void
load_all(void)
{
	const char *top = getenv("top_srcdir");
	char dir[1024], path[2048], err[2400];
	struct dirent **names;
	int n;

	snprintf(dir, sizeof(dir), "%s/tests/data/judge", top ? top : "..");
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "check_judge: cannot read %s\n", dir);
		exit(EXIT_FAILURE);
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 6 && strcmp(names[i]->d_name + len - 6, ".cases") == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			if (jc_load(path, &cases, &ncases, err, sizeof(err)) < 0) {
				fprintf(stderr, "check_judge: %s\n", err);
				exit(EXIT_FAILURE);
			}
		}
		free(names[i]);
	}
	free(names);
}

/* All of a report's findings, one per line, for failure messages. */
static void
dump(const struct report *r, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->nfindings && len < size; i++) {
		const struct finding *f = &r->findings[i];
		int w = snprintf(out + len, size - len, "\n    got: %s %s ~ %s",
		    finding_def(f->id)->id, sev_name(f->sev), f->msg);

		len += w > 0 ? (size_t)w : 0;
	}
}

/* Append the case's JSON report to $SMTPROBE_JSON_OUT, when set:
 * tests/hostile-json.sh validates every one against the schema. */
static void
keep_json(const struct report *r)
{
	const char *path = getenv("SMTPROBE_JSON_OUT");
	FILE *fp;

	if (path == NULL) {
		return;
	}
	fp = fopen(path, "a");
	ck_assert_msg(fp != NULL, "cannot append to %s", path);
	ck_assert_int_eq(render_json(fp, r), 0);
	fclose(fp);
}

START_TEST(test_case)
{
	const struct judge_case *c = &cases[_i];
	struct report r;
	struct judge_opts o;
	char err[512], got[8192];

	ck_assert_msg(jc_build(c, &r, &o, err, sizeof(err)) == 0, "%s:%d %s: %s", c->file, c->line,
	    c->name, err);
	judge_report(&r, &o);
	dump(&r, got, sizeof(got));
	ck_assert_msg(r.nfindings == c->nexpect, "%s:%d %s: %zu findings, want %zu%s", c->file,
	    c->line, c->name, r.nfindings, c->nexpect, got);
	for (size_t i = 0; i < c->nexpect; i++) {
		const struct finding *f = &r.findings[i];
		const struct jc_expect *e = &c->expect[i];

		ck_assert_msg(
		    f->id == e->id && f->sev == e->sev && strstr(f->msg, e->needle) != NULL,
		    "%s:%d %s: finding %zu is %s %s ~ %s, want %s %s ~ %s", c->file, c->line,
		    c->name, i + 1, finding_def(f->id)->id, sev_name(f->sev), f->msg,
		    finding_def(e->id)->id, sev_name(e->sev), e->needle);
	}
	ck_assert_msg(r.verdict == c->verdict, "%s:%d %s: verdict %s, want %s%s", c->file, c->line,
	    c->name, sev_name(r.verdict), sev_name(c->verdict), got);
	/* Judging twice gives the same findings. */
	judge_report(&r, &o);
	ck_assert_uint_eq(r.nfindings, c->nexpect);
	keep_json(&r);
	report_free(&r);
}
END_TEST

/* The table itself: every case has a source, and names are unique. */
START_TEST(test_table)
{
	for (size_t i = 0; i < ncases; i++) {
		ck_assert_msg(
		    strlen(cases[i].source) > 8, "%s:%d: no source", cases[i].file, cases[i].line);
		for (size_t k = i + 1; k < ncases; k++) {
			ck_assert_msg(strcmp(cases[i].name, cases[k].name) != 0,
			    "%s:%d and %s:%d share a name", cases[i].file, cases[i].line,
			    cases[k].file, cases[k].line);
		}
	}
}
END_TEST

/* Build the record of an inline case and judge it. */
static void
judged(char *text, struct report *r)
{
	struct judge_case c;
	struct judge_opts o;
	char err[256];

	memset(&c, 0, sizeof(c));
	c.text = text;
	ck_assert_msg(jc_build(&c, r, &o, err, sizeof(err)) == 0, "%s", err);
	judge_report(r, &o);
}

enum render_what { AS_TEXT = 1, AS_VERBOSE = 2, AS_JSON = 4, AS_NAGIOS = 8, AS_PROM = 16 };

/* What the renderers named in what make of r, in one string (free it). */
static char *
rendered(const struct report *r, unsigned what)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(fp);
	if (what & (AS_TEXT | AS_VERBOSE)) {
		render_text(fp, r, (what & AS_VERBOSE) ? RENDER_VERBOSE : RENDER_NORMAL);
	}
	if (what & AS_JSON) {
		render_json(fp, r);
	}
	if (what & AS_NAGIOS) {
		render_nagios(fp, r, NULL, NULL);
	}
	if (what & AS_PROM) {
		struct prom_doc *doc = prom_doc_new();

		ck_assert_ptr_nonnull(doc);
		prom_doc_add(doc, r);
		prom_doc_write(doc, fp);
		prom_doc_free(doc);
	}
	fclose(fp);
	return out;
}

/* Nagios long output quotes the evidence of a finding: the AUTH line of
 * the EHLO reply for auth-before-tls, not the reply's first lines. */
START_TEST(test_nagios_evidence)
{
	static char text[] =
	    "case: evidence\nsource: constructed, RFC 4954 §4\nopts: tls=auto\n"
	    "S: 220 mx.example.org ESMTP\nC: EHLO probe.example\nS: 250-mx.example.org\n"
	    "S: 250-PIPELINING\nS: 250-SIZE 1000\nS: 250-ETRN\nS: 250-STARTTLS\nS: 250-8BITMIME\n"
	    "S: 250-AUTH PLAIN LOGIN\nS: 250 CHUNKING\nC: STARTTLS\nS: 220 2.0.0 go\n"
	    "T: TLSv1.3 verified\nC: EHLO probe.example\nS: 250-mx.example.org\nS: 250 AUTH PLAIN\n"
	    "C: QUIT\nS: 221 bye\nverdict: WARNING\n";
	struct report r;
	char *out;

	judged(text, &r);
	out = rendered(&r, AS_NAGIOS);
	ck_assert_msg(strstr(out, "  S: 250-AUTH PLAIN LOGIN\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "  S: 250-PIPELINING") == NULL, "%s", out);
	free(out);
	report_free(&r);
}
END_TEST

/* A reply text known from a real server gets that server's cause and
 * fix under it, in the transcript and in JSON. */
START_TEST(test_known_reply)
{
	static char text[] =
	    "case: known\nsource: Postfix smtpd_check.c, Cyrus SASL\nopts: tls=none\n"
	    "S: 220 mx.example.org ESMTP Postfix\nC: EHLO probe.example\nS: 250 mx.example.org\n"
	    "C: MAIL FROM:<a@example.org>\nS: 250 2.1.0 Ok\nC: RCPT TO:<nobody@mx.example.org>\n"
	    "S: 550 5.1.1 <nobody@mx.example.org>: Recipient address rejected: User unknown in "
	    "local recipient table\n"
	    "C: QUIT\nS: 221 2.0.0 Bye\nverdict: CRITICAL\n";
	struct report r;
	char *out;

	judged(text, &r);
	out = rendered(&r, AS_TEXT | AS_JSON);
	ck_assert_msg(strstr(out, "known Postfix reply: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\"known_reply\":{") != NULL, "%s", out);
	free(out);
	report_free(&r);
}
END_TEST

/* A setting is named only for a server that identified itself. */
START_TEST(test_advice)
{
	static char named[] =
	    "case: advice\nsource: Postfix smtpd.c\nopts: tls=none\n"
	    "S: 220 mx.example.org ESMTP Postfix (Debian/GNU)\nC: EHLO probe.example\n"
	    "S: 250-mx.example.org\nS: 250 VRFY\nC: VRFY root\nS: 250 2.0.0 root\nC: QUIT\nS: 221 "
	    "Bye\n"
	    "verdict: WARNING\n";
	static char anon[] = "case: no advice\nsource: constructed\nopts: tls=none\n"
	                     "S: 220 mx.example.org ESMTP ready\nC: EHLO probe.example\n"
	                     "S: 250-mx.example.org\nS: 250 VRFY\nC: VRFY root\nS: 250 2.0.0 "
	                     "root\nC: QUIT\nS: 221 Bye\n"
	                     "verdict: WARNING\n";
	struct report r;
	size_t n;
	const struct advice *rows = advice_rows(&n);

	judged(named, &r);
	ck_assert_str_eq(r.software, "Postfix");
	ck_assert_int_eq(r.findings[0].id, F_VRFY_ENUMERATION);
	ck_assert_ptr_nonnull(r.findings[0].advice);
	ck_assert_str_eq(r.findings[0].advice->setting, "disable_vrfy_command = yes");
	report_free(&r);
	judged(anon, &r);
	ck_assert_ptr_null(r.software);
	ck_assert_ptr_null(r.findings[0].advice);
	report_free(&r);
	/* The table: each row sourced, each (finding, server) once; no
	 * generic meaning names a server's setting. */
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_gt(strlen(rows[i].source), 8);
		for (size_t k = i + 1; k < n; k++) {
			ck_assert(!(rows[i].id == rows[k].id &&
			    strcmp(rows[i].server, rows[k].server) == 0));
		}
	}
	for (int id = 0; id < F_COUNT; id++) {
		ck_assert_msg(
		    strstr(finding_def((enum finding_id)id)->meaning, "Postfix:") == NULL &&
		        strstr(finding_def((enum finding_id)id)->meaning, "(Postfix") == NULL,
		    "%s names a Postfix setting", finding_def((enum finding_id)id)->id);
	}
}
END_TEST

/* An expired certificate is never "-N days left", in any format. */
START_TEST(test_expired_words)
{
	static char text[] =
	    "case: expired\nsource: constructed, RFC 5280 §4.1.2.5\nopts: tls=auto insecure\n"
	    "S: 220 mx.example.org ESMTP\nC: EHLO probe.example\nS: 250-mx.example.org\nS: 250 "
	    "STARTTLS\n"
	    "C: STARTTLS\nS: 220 2.0.0 go\nT: TLSv1.3 unverified days=-2158 | certificate has "
	    "expired\n"
	    "C: EHLO probe.example\nS: 250 mx.example.org\nC: QUIT\nS: 221 bye\nverdict: "
	    "CRITICAL\n";
	struct report r;
	char *out;

	judged(text, &r);
	out = rendered(&r, AS_VERBOSE | AS_NAGIOS);
	/* Perfdata keeps the number (cert_days=-2158); words never do. */
	ck_assert_msg(strstr(out, "-2158 days") == NULL, "%s", out);
	ck_assert_msg(strstr(out, "expired 2158 days ago") != NULL, "%s", out);
	free(out);
	report_free(&r);
}
END_TEST

/* --all-addresses: three records of one host.  The first (::1) was
 * refused, the second greeted and is the reference, the third greeted
 * with another name; judge_addresses says so on the odd ones only. */
START_TEST(test_addresses_disagree)
{
	static char refused[] = "case: v6 refused\nsource: constructed\nopts: tls=none\n"
	                        "connect: refused connection refused\nverdict: CRITICAL\n";
	static char good[] =
	    "case: v4\nsource: constructed\nopts: tls=none\nS: 220 mx.example.org ESMTP\n"
	    "C: EHLO probe.example\nS: 250 mx.example.org\nC: QUIT\nS: 221 bye\nverdict: OK\n";
	static char other[] =
	    "case: v4 other\nsource: constructed\nopts: tls=none\nS: 220 MX.example.org ESMTP\n"
	    "C: EHLO probe.example\nS: 250 mx.example.org\nC: QUIT\nS: 221 bye\nverdict: OK\n";
	static char other2[] =
	    "case: v4 other2\nsource: constructed\nopts: tls=none\nS: 220 mx2.example.org ESMTP\n"
	    "C: EHLO probe.example\nS: 250 mx2.example.org\nC: QUIT\nS: 221 bye\nverdict: OK\n";
	struct report r[4], *reps[4] = {&r[0], &r[1], &r[2], &r[3]};
	static const char *const addr[4] = {"::1", "192.0.2.1", "192.0.2.2", "192.0.2.3"};
	struct judge_opts o;

	judged(refused, &r[0]);
	judged(good, &r[1]);
	judged(other, &r[2]);
	judged(other2, &r[3]);
	for (int i = 0; i < 4; i++) {
		snprintf(r[i].group.addr, sizeof(r[i].group.addr), "%s", addr[i]);
		r[i].group.family = i == 0 ? AF_INET6 : AF_INET;
		r[i].group.index = (size_t)i + 1;
		r[i].group.count = 4;
	}
	judge_addresses(reps, 4);
	ck_assert_uint_eq(r[0].group.diff, ADDR_DIFF_REACH);
	ck_assert_uint_eq(r[1].group.diff, 0);
	ck_assert_uint_eq(r[2].group.diff, 0); /* case does not matter in a name */
	ck_assert_uint_eq(r[3].group.diff, ADDR_DIFF_BANNER);
	memset(&o, 0, sizeof(o));
	for (int i = 0; i < 4; i++) {
		judge_report(&r[i], &o);
		ck_assert_int_eq(report_has(&r[i], F_ADDRESSES_DISAGREE), i == 0 || i == 3);
	}
	ck_assert_msg(
	    strstr(r[0].findings[r[0].nfindings - 1].msg,
	        "::1 (IPv6) gave no SMTP greeting (connection refused), while 192.0.2.1 (IPv4)") !=
	        NULL,
	    "%s", r[0].findings[r[0].nfindings - 1].msg);
	ck_assert_str_eq(r[1].group.ref_addr, "");
	ck_assert_str_eq(r[3].group.ref_addr, "192.0.2.1");
	for (int i = 0; i < 4; i++) {
		report_free(&r[i]);
	}
}
END_TEST

/* The session of the policy render tests: STARTTLS and a verified
 * certificate on the MX host of example.org. */
#define POLICY_SESSION                                                                             \
	"opts: tls=auto\nmx: host example.org 10\nS: 220 mx.example.org ESMTP\nC: EHLO "           \
	"probe.example\n"                                                                          \
	"S: 250-mx.example.org\nS: 250 STARTTLS\nC: STARTTLS\nS: 220 2.0.0 go\nT: TLSv1.3 "        \
	"verified\n"                                                                               \
	"C: EHLO probe.example\nS: 250 mx.example.org\nC: QUIT\nS: 221 bye\n"

/* promtool, where installed, accepts the exposition. */
static void
promtool_accepts(const char *doc)
{
	FILE *fp;

	if (system("command -v promtool >/dev/null") != 0) {
		return;
	}
	fp = popen("promtool check metrics >/dev/null 2>&1", "w");
	ck_assert_ptr_nonnull(fp);
	fputs(doc, fp);
	ck_assert_msg(pclose(fp) == 0, "promtool rejects:\n%s", doc);
}

/* DANE matched, an unusable record beside, MTA-STS enforce listing the
 * host, TLS-RPT: every format shows each fact. */
START_TEST(test_policy_formats)
{
	static char text[] =
	    "case: policy\nsource: RFC 7672 §3.1, RFC 8461 §3.2, RFC 8460 §3\n" POLICY_SESSION
	    "dane: matched\n"
	    "tlsa: 3 1 1 29c8601cb562d00aa7190003b5c17e61a93dcbed3f61fd2f86bd35fbb461d084 usable "
	    "matched"
	    " | CN=mx.example.org\n"
	    "tlsa: 1 1 1 22c635348256dc53a2ba6efe56abfbe2f0ae70be2238a53472fef5064d9cf437 "
	    "pkix-usage\n"
	    "sts-txt: valid 20160831085700Z\nsts-fetch: ok\n"
	    "sts-policy: enforce max_age=604800 mx=mail.example.com,*.example.org match=1\n"
	    "tlsrpt: valid mailto:reports@example.com\nverdict: OK\n";
	struct report r;
	char *out;

	judged(text, &r);
	out = rendered(&r, AS_TEXT);
	ck_assert_msg(
	    strstr(out,
	        "  dane          matched certificate 0 of the chain: CN=mx.example.org\n") != NULL,
	    "%s", out);
	ck_assert_msg(
	    strstr(out, "TLSA 3 1 1 29c8601cb562d00aa7190003... (usable, MATCHED)\n") != NULL, "%s",
	    out);
	ck_assert_msg(
	    strstr(out, "TLSA 1 1 1 22c635348256dc53a2ba6efe... (unusable: PKIX usage)\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "_25._tcp.mx.example.org\n                DNSSEC: MX secure, addresses "
	                  "secure, TLSA secure\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "  mta-sts       example.org: mode enforce, id 20160831085700Z, max_age "
	                  "604800 s\n") != NULL,
	    "%s", out);
	ck_assert_msg(
	    strstr(out, "mx mail.example.com, *.example.org; mx.example.org listed\n") != NULL,
	    "%s", out);
	ck_assert_msg(
	    strstr(out, "  tls-rpt       mailto:reports@example.com\n") != NULL, "%s", out);
	free(out);
	out = rendered(&r, AS_JSON);
	ck_assert_msg(strstr(out,
	                  "\"policy\":{\"level\":\"default\",\"dnssec_unchecked\":null,\"dane\":{"
	                  "\"state\":\"matched\"") != NULL,
	    "%s", out);
	ck_assert_msg(
	    strstr(out, "\"verdict\":\"pkix-usage\",\"matched\":false") != NULL, "%s", out);
	ck_assert_msg(strstr(out,
	                  "\"matched\":{\"record\":0,\"depth\":0,\"subject\":\"CN=mx.example.org\","
	                  "\"name\":null}") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "\"mode\":\"enforce\"") != NULL &&
	        strstr(out, "\"mx_match\":\"*.example.org\"") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "\"rua\":[\"mailto:reports@example.com\"]") != NULL, "%s", out);
	free(out);
	out = rendered(&r, AS_NAGIOS);
	ck_assert_msg(strncmp(out, "SMTP OK - mx.example.org:25", 27) == 0, "%s", out);
	ck_assert_msg(strstr(out, ", DANE matched, MTA-STS enforce |") != NULL, "%s", out);
	ck_assert_msg(
	    strstr(out, " tlsa_usable=1;;;0; mta_sts_max_age=604800s;;;0;") != NULL, "%s", out);
	free(out);
	out = rendered(&r, AS_PROM);
	ck_assert_msg(
	    strstr(out,
	        "\nsmtp_dane_valid{target=\"mx.example.org:25\",mx_domain=\"example.org\"} 1\n") !=
	        NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_dane_tlsa_records{target=\"mx.example.org:25\",mx_domain="
	                  "\"example.org\"} 2\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_dane_tlsa_usable_records{target=\"mx.example.org:25\",mx_domain="
	                  "\"example.org\"} 1\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_mta_sts_mode{target=\"mx.example.org:25\",mx_domain=\"example."
	                  "org\"} 2\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_mta_sts_max_age_seconds{target=\"mx.example.org:25\",mx_domain="
	                  "\"example.org\"} 604800\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_mta_sts_mx_listed{target=\"mx.example.org:25\",mx_domain="
	                  "\"example.org\"} 1\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "\nsmtp_tls_rpt_present{target=\"mx.example.org:25\",mx_domain=\"example."
	                  "org\"} 1\n") != NULL,
	    "%s", out);
	promtool_accepts(out);
	free(out);
	keep_json(&r);
	report_free(&r);
}
END_TEST

/* What broke, in every format: a DANE mismatch, an MX the enforced policy
 * does not list, no TLS-RPT; hostile bytes from DNS and HTTP escaped. */
START_TEST(test_policy_broken_formats)
{
	static char text[] =
	    "case: broken\nsource: RFC 7672 §2.2, RFC 8461 §4.1\n" POLICY_SESSION
	    "dane: no-match | certificate key does not match\n"
	    "tlsa: 3 1 1 29c8601cb562d00aa7190003b5c17e61a93dcbed3f61fd2f86bd35fbb461d084 usable\n"
	    "sts-txt: valid 1\nsts-fetch: ok\nsts-policy: enforce max_age=86400 "
	    "mx=mail.example.com\n"
	    "tlsrpt: none\nverdict: CRITICAL\n";
	struct report r;
	char *out;

	judged(text, &r);
	/* A policy file may hold any byte: it is escaped in every format. */
	snprintf(r.pol.sts.policy.mx[0], sizeof(r.pol.sts.policy.mx[0]), "evil\x1b[31m|\"x\n");
	out = rendered(&r, AS_TEXT | AS_JSON | AS_NAGIOS | AS_PROM);
	ck_assert_msg(strstr(out, "\x1b") == NULL, "%s", out);
	ck_assert_msg(
	    strstr(out, "  dane          NO MATCH: certificate key does not match\n") != NULL, "%s",
	    out);
	ck_assert_msg(strstr(out, "; mx.example.org NOT LISTED\n") != NULL, "%s", out);
	ck_assert_msg(
	    strstr(out, "  tls-rpt       none: no _smtp._tls TXT record\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\"state\":\"no-match\"") != NULL &&
	        strstr(out, "\"mx_match\":null") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "SMTP CRITICAL - mx.example.org:25") != NULL &&
	        strstr(out, ", DANE no-match, MTA-STS enforce") != NULL,
	    "%s", out);
	ck_assert_msg(
	    strstr(out,
	        "smtp_dane_valid{target=\"mx.example.org:25\",mx_domain=\"example.org\"} 0\n") !=
	        NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "smtp_mta_sts_mx_listed{target=\"mx.example.org:25\",mx_domain=\"example."
	                  "org\"} 0\n") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out,
	                  "smtp_tls_rpt_present{target=\"mx.example.org:25\",mx_domain=\"example."
	                  "org\"} 0\n") != NULL,
	    "%s", out);
	free(out);
	out = rendered(&r, AS_PROM);
	promtool_accepts(out);
	free(out);
	keep_json(&r);
	report_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("judge");
	TCase *tc = tcase_create("recorded");
	int rc;

	load_all();
	printf("%zu recorded cases\n", ncases);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_nagios_evidence);
	tcase_add_test(tc, test_known_reply);
	tcase_add_test(tc, test_advice);
	tcase_add_test(tc, test_expired_words);
	tcase_add_test(tc, test_addresses_disagree);
	tcase_add_test(tc, test_policy_formats);
	tcase_add_test(tc, test_policy_broken_formats);
	tcase_add_loop_test(tc, test_case, 0, (int)ncases);
	suite_add_tcase(s, tc);
	rc = checkrun(s);
	jc_free(cases, ncases);
	return rc;
}
