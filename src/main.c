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
#include "tls.h"

int
main(int argc, char **argv)
{
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
	/* A peer that closes while OpenSSL writes must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (o.probe.tls_mode != TLS_MODE_NONE && tls_ctx_new(&tls, &o.tls, &f) != 0) {
		fprintf(stderr, "smtprobe: %s\n", f.msg);
		return SEV_UNKNOWN;
	}
	rep = malloc(sizeof(*rep));
	if (rep == NULL) {
		fprintf(stderr, "smtprobe: out of memory\n");
		tls_ctx_free(tls);
		return SEV_UNKNOWN;
	}
	report_init(rep);
	probe_run(&o.probe, tls, rep);
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
