#include <config.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "harness.h"

static struct testcert harness_cert;
static SSL_CTX *harness_ctx;

void
harness_setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(testcert_make(&harness_cert, MX, -1, 90), 0);
	harness_ctx = testcert_server_ctx(&harness_cert);
	ck_assert_ptr_nonnull(harness_ctx);
}

SSL_CTX *
harness_server_ctx(void)
{
	return harness_ctx;
}

void
harness_teardown(void)
{
	SSL_CTX_free(harness_ctx);
	testcert_free(&harness_cert);
}

void
harness_opts(struct probe_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 25;
	o->tls_mode = TLS_MODE_AUTO;
	o->tls_name = MX;
	o->ehlo_name = "probe.test.example";
	o->step_timeout_s = 5;
	o->run_timeout_s = 20;
	o->cert_warn_days = 30;
	o->cert_crit_days = 7;
}

struct run *
harness_run(const char *const *script, struct probe_opts *o)
{
	return harness_run_fn(script, o, NULL, NULL);
}

static struct run *
harness_run_all(const char *const *script, struct probe_opts *o, const struct testcert *cert,
    SSL_CTX *sctx, fakesrv_fn fn, void *arg)
{
	struct run *r = calloc(1, sizeof(*r));
	struct tls_config tc = {.cafile = cert->ca_path};
	struct tls_ctx *tls = NULL;
	struct fault f;
	int64_t t0;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(tls_ctx_new(&tls, &tc, &f), 0);
	r->srv = fakesrv_start_fn(script, sctx, fn, arg);
	ck_assert_ptr_nonnull(r->srv);
	snprintf(r->target, sizeof(r->target), "127.0.0.1:%u", fakesrv_port(r->srv));
	o->target = r->target;
	report_init(&r->rep);
	t0 = clock_now_ms();
	probe_run(o, tls, &r->rep);
	r->ms = clock_now_ms() - t0;
	r->srv_error = fakesrv_join(r->srv);
	snprintf(r->received, sizeof(r->received), "%s", fakesrv_received(r->srv));
	tls_ctx_free(tls);
	return r;
}

struct run *
harness_run_fn(const char *const *script, struct probe_opts *o, fakesrv_fn fn, void *arg)
{
	return harness_run_all(script, o, &harness_cert, harness_ctx, fn, arg);
}

struct run *
harness_run_tls(
    const char *const *script, struct probe_opts *o, const struct testcert *tc, SSL_CTX *sctx)
{
	return harness_run_all(script, o, tc, sctx, NULL, NULL);
}

/* REPEAT:<n>:<bytes> as one text. */
static char *
harness_repeat(const char *step)
{
	char *end;
	unsigned long n = strtoul(step + 7, &end, 10);
	size_t len = strlen(end + 1);
	char *t;

	ck_assert(*end == ':' && n > 0 && n * len < (64u << 20));
	t = malloc(n * len + 1);
	ck_assert_ptr_nonnull(t);
	for (size_t i = 0; i < n; i++) {
		memcpy(t + i * len, end + 1, len);
	}
	t[n * len] = '\0';
	return t;
}

static void
harness_mem_script(struct run *r, const char *const *script)
{
	size_t n = 0, nx = 0;

	for (size_t i = 0; script[i] != NULL; i++, n++) {
		struct mx_event *e = &r->mx->script[n];
		const char *step = script[i];

		ck_assert_msg(n + 1 < MX_SCRIPT_MAX, "script too long");
		if (strncmp(step, "S:", 2) == 0) {
			*e = (struct mx_event){MX_SEND, step + 2};
		} else if (strncmp(step, "R:", 2) == 0) {
			*e = (struct mx_event){MX_LINE, step + 2};
		} else if (strncmp(step, "R=", 2) == 0) {
			/* The whole line: its text and CRLF. */
			ck_assert(nx < sizeof(r->expanded) / sizeof(r->expanded[0]));
			r->expanded[nx] = malloc(strlen(step) + 1);
			ck_assert_ptr_nonnull(r->expanded[nx]);
			sprintf(r->expanded[nx], "%s\r\n", step + 2);
			*e = (struct mx_event){MX_EXPECT, r->expanded[nx++]};
		} else if (strcmp(step, "CLOSE") == 0) {
			*e = (struct mx_event){MX_CLOSE, NULL};
		} else if (strncmp(step, "SLEEP:", 6) == 0) {
			*e = (struct mx_event){MX_STALL, NULL};
		} else if (strncmp(step, "REPEAT:", 7) == 0) {
			ck_assert(nx < sizeof(r->expanded) / sizeof(r->expanded[0]));
			r->expanded[nx] = harness_repeat(step);
			*e = (struct mx_event){MX_SEND, r->expanded[nx++]};
		} else {
			ck_abort_msg("step %s needs harness_run (a real socket)", step);
		}
	}
}

struct run *
harness_run_mem(const char *const *script, struct probe_opts *o)
{
	struct run *r = calloc(1, sizeof(*r));
	struct tls_config tc = {.cafile = harness_cert.ca_path};
	struct tls_ctx *tls = NULL;
	struct xport x;
	struct fault f;
	int64_t t0;

	ck_assert_ptr_nonnull(r);
	r->mx = calloc(1, sizeof(*r->mx));
	ck_assert_ptr_nonnull(r->mx);
	harness_mem_script(r, script);
	memxport_init(&x, r->mx);
	ck_assert_int_eq(tls_ctx_new(&tls, &tc, &f), 0);
	snprintf(r->target, sizeof(r->target), "127.0.0.1:2525");
	o->target = r->target;
	o->xport = &x;
	report_init(&r->rep);
	t0 = clock_now_ms();
	probe_run(o, tls, &r->rep);
	r->ms = clock_now_ms() - t0;
	o->xport = NULL;
	r->srv_error = r->mx->error[0] != '\0' ? r->mx->error : NULL;
	snprintf(r->received, sizeof(r->received), "%s", r->mx->received);
	tls_ctx_free(tls);
	return r;
}

void
harness_free(struct run *r)
{
	report_free(&r->rep);
	fakesrv_free(r->srv);
	for (size_t i = 0; i < sizeof(r->expanded) / sizeof(r->expanded[0]); i++) {
		free(r->expanded[i]);
	}
	free(r->mx);
	free(r);
}

int
harness_has(const struct run *r, enum finding_id id)
{
	return report_has(&r->rep, id);
}

void
harness_keep_json(const struct run *r)
{
	const char *path = getenv("SMTPROBE_JSON_OUT");
	FILE *fp;

	if (path == NULL) {
		return;
	}
	fp = fopen(path, "a");
	ck_assert_msg(fp != NULL, "cannot append to %s", path);
	ck_assert_int_eq(render_json(fp, &r->rep), 0);
	fclose(fp);
}

char *
harness_render(const struct run *r, enum render_verbosity v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	render_text(fp, &r->rep, v);
	fclose(fp);
	return buf;
}
