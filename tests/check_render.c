/* The renderers against golden files: recorded sessions (scripted
 * servers, timings and certificate dates pinned) rendered as text, JSON,
 * nagios and prometheus must match tests/data/golden/ byte for byte.
 * SMTPROBE_UPDATE_GOLDEN=1 rewrites the files instead (review the diff). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkrun.h"
#include "harness.h"
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
	ck_assert_msg(strcmp(want, got) == 0, "%s differs:\n--- want\n%s\n--- got\n%s", name, want, got);
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
	static const char *const script[] = {
		"S:220-" MX " ESMTP scripted\r\n220 second line\r\n", "R:EHLO ", EHLO_TLS_OFFERED,
		"R:STARTTLS", "S:220 2.0.0 Ready to start TLS\r\n", "TLS", "R:EHLO ", EHLO_AFTER_TLS,
		"R:QUIT", BYE, NULL
	};
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
		"S:554 5.7.1 " MX " no service for \x1b[1myou\x1b[0m\r\n", "R:QUIT", BYE, NULL
	};
	struct probe_opts o;
	struct run *r;

	harness_opts(&o);
	r = harness_run(script, &o);
	pin(&r->rep);
	check_formats("rejected", &r->rep);
	harness_free(r);
}
END_TEST

START_TEST(test_golden_dialogue)
{
	static const char *const script[] = {
		GREET, "R:EHLO ", "S:250-" MX "\r\n250-PIPELINING\r\n250-VRFY\r\n250 8BITMIME\r\n",
		"R=VRFY postmaster", "S:250 2.0.0 <postmaster@" MX ">\r\n", "R:QUIT", BYE, NULL
	};
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
	suite_add_tcase(s, tc);
	return checkrun(s);
}
