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
harness_run_tls(const char *const *script, struct probe_opts *o, const struct testcert *tc,
    SSL_CTX *sctx)
{
	return harness_run_all(script, o, tc, sctx, NULL, NULL);
}

void
harness_free(struct run *r)
{
	report_free(&r->rep);
	fakesrv_free(r->srv);
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
