/* harness.h - run the probe in-process against a scripted server (see
 * fakesrv.h), with TLS from a CA made for the test run. */
#ifndef SMTPROBE_HARNESS_H
#define SMTPROBE_HARNESS_H

#include <stdint.h>

#include "fakesrv.h"
#include "memxport.h"
#include "probe.h"
#include "render.h"
#include "testcert.h"

#define MX "mx.test.example"
#define GREET "S:220 " MX " ESMTP scripted\r\n"
#define EHLO_TLS_OFFERED                                                                           \
	"S:250-" MX "\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-STARTTLS\r\n250 8BITMIME\r\n"
#define EHLO_AFTER_TLS                                                                             \
	"S:250-" MX "\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
#define EHLO_NO_TLS "S:250-" MX "\r\n250 PIPELINING\r\n"
#define BYE "S:221 2.0.0 Bye\r\n"

struct run {
	struct report rep;
	struct fakesrv *srv;
	const char *srv_error; /* NULL when the server's script went as written */
	char target[64];
	char received[65536]; /* what the client sent */
	int64_t ms;           /* how long the probe took */
	struct memxport *mx;  /* harness_run_mem's transport, else NULL */
	char *expanded[16];   /* its R= and REPEAT texts */
};

/* Check fixtures: make the CA and the server's TLS context; free them. */
void harness_setup(void);
void harness_teardown(void);

/* The server's TLS context of the current test (made by harness_setup). */
SSL_CTX *harness_server_ctx(void);

/* Options as a test starts from: TLS auto, the CA trusted, 5 s steps. */
void harness_opts(struct probe_opts *o);

/* Serve script on a fresh port and probe it with o. */
struct run *harness_run(const char *const *script, struct probe_opts *o);

/* The same, with the server presenting sctx and the client trusting
 * tc's CA (for the bad-certificate cases). */
struct run *harness_run_tls(
    const char *const *script, struct probe_opts *o, const struct testcert *tc, SSL_CTX *sctx);

/* The same, with fn serving the script's "FN" steps. */
struct run *harness_run_fn(
    const char *const *script, struct probe_opts *o, fakesrv_fn fn, void *arg);
void harness_free(struct run *r);

/* The same script played over the in-memory transport (memxport.h): no
 * socket, no thread.  Steps: S:, R:, R=, CLOSE, SLEEP (a stall until the
 * step's deadline) and REPEAT; TLS and the others need harness_run. */
struct run *harness_run_mem(const char *const *script, struct probe_opts *o);

int harness_has(const struct run *r, enum finding_id id);

/* The text rendering at verbosity v (free it). */
char *harness_render(const struct run *r, enum render_verbosity v);

/* Append the run's JSON report (one line) to $SMTPROBE_JSON_OUT, when set:
 * tests/hostile-json.sh validates every one against the schema. */
void harness_keep_json(const struct run *r);

#endif
