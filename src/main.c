/* main.c - parse the command line, probe, render, exit with the verdict. */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_explain.h"
#include "opts.h"
#include "probe.h"
#include "render.h"
#include "secret.h"
#include "tls.h"

/* Load the password and token the planned AUTH needs, before any traffic.
 * 0, or -1 with a message printed. */
static int
main_secrets(struct opts *o, struct secret *pw, struct secret *tok)
{
	struct fault f;
	int rc = 0;

	if (o->probe.auth == NULL) {
		return 0;
	}
	if (o->token_file != NULL) {
		rc = secret_from_file(tok, o->token_file, &f);
	} else {
		rc = secret_from_env(tok, "SMTPROBE_TOKEN", &f) < 0 ? -1 : 0;
	}
	if (rc == 0 && opts_needs_token(o) && tok->buf == NULL) {
		rc = fault_set(&f, FAULT_PROTOCOL, 0, "--auth %s needs a token: use --token-file FILE "
		    "or the SMTPROBE_TOKEN variable", o->probe.auth);
	}
	if (rc == 0 && o->password_file != NULL) {
		rc = secret_from_file(pw, o->password_file, &f);
	} else if (rc == 0) {
		rc = secret_from_env(pw, "SMTPROBE_PASSWORD", &f) < 0 ? -1 : 0;
		if (rc == 0 && pw->buf == NULL && opts_needs_password(o)) {
			char prompt[BOUND_NAME + 32];

			snprintf(prompt, sizeof(prompt), "Password for %s: ", o->probe.user);
			if (secret_prompt(pw, prompt, &f) != 0) {
				rc = fault_set(&f, FAULT_PROTOCOL, 0, "no password: use --password-file FILE, "
				    "the SMTPROBE_PASSWORD variable, or run on a terminal to be asked (%s)", f.msg);
			}
		}
	}
	if (rc != 0) {
		fprintf(stderr, "smtprobe: %s\n", f.msg);
		return -1;
	}
	if (pw->buf != NULL || tok->buf != NULL) {
		secret_protect_process();
	}
	o->probe.password = pw;
	o->probe.token = tok;
	return 0;
}

int
main(int argc, char **argv)
{
	struct secret pw = {NULL, 0}, tok = {NULL, 0};
	struct opts o;
	struct fault f;
	struct tls_ctx *tls = NULL;
	struct report *rep;
	int status;

	if (argc > 1 && strcmp(argv[1], "explain") == 0) {
		return cmd_explain(argc - 1, argv + 1);
	}
	if (opts_parse(argc, argv, &o, &f) != 0) {
		fprintf(stderr, "smtprobe: %s\nTry 'smtprobe --help' for more information.\n", f.msg);
		return SEV_UNKNOWN;
	}
	if (o.action == OPTS_HELP) {
		opts_usage(stdout);
		return 0;
	}
	if (o.action == OPTS_VERSION) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (main_secrets(&o, &pw, &tok) != 0) {
		secret_wipe(&pw);
		secret_wipe(&tok);
		return SEV_UNKNOWN;
	}
	/* A peer that closes while OpenSSL writes must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (o.probe.tls_mode != TLS_MODE_NONE && tls_ctx_new(&tls, &o.tls, &f) != 0) {
		fprintf(stderr, "smtprobe: %s\n", f.msg);
		secret_wipe(&pw);
		secret_wipe(&tok);
		return SEV_UNKNOWN;
	}
	rep = malloc(sizeof(*rep));
	if (rep == NULL) {
		fprintf(stderr, "smtprobe: out of memory\n");
		secret_wipe(&pw);
		secret_wipe(&tok);
		tls_ctx_free(tls);
		return SEV_UNKNOWN;
	}
	report_init(rep);
	probe_run(&o.probe, tls, rep);
	secret_wipe(&pw);
	secret_wipe(&tok);
	render_text(stdout, rep, o.verbosity);
	status = (int)rep->verdict;
	report_free(rep);
	free(rep);
	tls_ctx_free(tls);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		return SEV_UNKNOWN;
	}
	return status;
}
