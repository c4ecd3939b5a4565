/* main.c - parse the command line, load secrets, probe every target,
 * render, exit with the worst verdict. */
#include <config.h>

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clock.h"
#include "cmd_explain.h"
#include "cmd_findings.h"
#include "dns.h"
#include "fleet.h"
#include "i18n.h"
#include "opts.h"
#include "polgather.h"
#include "probe.h"
#include "render.h"
#include "secret.h"
#include "serve.h"
#include "tls.h"

/* SMTPROBE_PASSWORD and SMTPROBE_TOKEN, taken out of the environment
 * (and wiped there) first thing, on every path: with --auth or without,
 * with --password-file or not, for --help too. */
struct main_env {
	struct secret pw, tok;
	int pw_rc, tok_rc; /* as secret_from_env returned them */
	struct fault pw_f, tok_f;
};

static void
main_env_take(struct main_env *e)
{
	memset(e, 0, sizeof(*e));
	e->pw_rc = secret_from_env(&e->pw, "SMTPROBE_PASSWORD", &e->pw_f);
	e->tok_rc = secret_from_env(&e->tok, "SMTPROBE_TOKEN", &e->tok_f);
}

/* Take env's secret into out (moving the buffer), or its error into f. */
static int
main_env_use(
    struct secret *out, struct secret *env, int env_rc, const struct fault *env_f, struct fault *f)
{
	if (env_rc < 0) {
		*f = *env_f;
		return -1;
	}
	if (env->buf != NULL) {
		*out = *env;
		env->buf = NULL;
		env->len = 0;
	}
	return 0;
}

/* Load the password and token the planned AUTH needs, before any traffic.
 * 0, or -1 with a message printed.  What env holds and is not needed is
 * wiped here. */
static int
main_secrets(struct opts *o, struct main_env *env, struct secret *pw, struct secret *tok)
{
	struct fault f;
	int rc = 0;

	if (o->probe.auth == NULL) {
		secret_wipe(&env->pw);
		secret_wipe(&env->tok);
		return 0;
	}
	if (o->token_file != NULL) {
		rc = secret_from_file(tok, o->token_file, &f);
	} else {
		rc = main_env_use(tok, &env->tok, env->tok_rc, &env->tok_f, &f);
	}
	if (rc == 0 && opts_needs_token(o) && tok->buf == NULL) {
		rc = fault_set(&f, FAULT_USAGE, 0,
		    _("--auth %s needs a token: use --token-file FILE "
		      "or the SMTPROBE_TOKEN variable"),
		    o->probe.auth);
	}
	if (rc == 0 && o->password_file != NULL) {
		rc = secret_from_file(pw, o->password_file, &f);
	} else if (rc == 0) {
		rc = main_env_use(pw, &env->pw, env->pw_rc, &env->pw_f, &f);
		if (rc == 0 && pw->buf == NULL && opts_needs_password(o, tok->buf != NULL)) {
			char prompt[BOUND_NAME + 32];

			snprintf(prompt, sizeof(prompt), _("Password for %s: "), o->probe.user);
			if (secret_prompt(pw, prompt, &f) != 0) {
				char why[sizeof(f.msg)];

				/* The reason is quoted from f, which the message overwrites. */
				memcpy(why, f.msg, sizeof(why));
				rc = fault_set(&f, FAULT_USAGE, 0,
				    _("no password: use --password-file FILE, "
				      "the SMTPROBE_PASSWORD variable, or run on a terminal to be "
				      "asked (%s)"),
				    why);
			}
		}
	}
	secret_wipe(&env->pw);
	secret_wipe(&env->tok);
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

/* The command line: parsed, then loaded (opts.h).  A --lang given before
 * a mistake still chooses the language the mistake is told in: parsing
 * changes nothing, so it is done once more after switching. */
static int
main_opts(int argc, char **argv, struct opts *o, struct fault *f)
{
	if (opts_parse(argc, argv, o, f) != 0) {
		if (o->lang != NULL && f->cls == FAULT_USAGE && i18n_set_lang(o->lang)) {
			opts_free(o);
			opts_parse(argc, argv, o, f);
		}
		return -1;
	}
	return opts_load(o, f);
}

/* Append one job; -1 when memory ran out. */
static int
main_job(struct fleet_job **jobs, size_t *n, size_t *cap, const struct fleet_job *j)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct fleet_job *nj = realloc(*jobs, ncap * sizeof(*nj));

		if (nj == NULL) {
			return -1;
		}
		*jobs = nj;
		*cap = ncap;
	}
	(*jobs)[(*n)++] = *j;
	return 0;
}

/* An MX exchange written as an address: "192.0.2.1", "2001:db8::1",
 * "[192.0.2.1]" or "[::1]". */
static int
main_is_address(const char *host)
{
	unsigned char buf[16];
	char inner[BOUND_NAME + 1];
	size_t len = strlen(host);

	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' && len - 2 < sizeof(inner)) {
		memcpy(inner, host + 1, len - 2);
		inner[len - 2] = '\0';
		host = inner;
		if (strncasecmp(host, "IPv6:", 5) == 0) {
			host += 5;
		}
	}
	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* A domain's TLS policy records (--mx, --mta-sts): looked up once, before
 * the probes, and shared by the reports of its hosts. */
struct main_pol {
	struct sts_fact sts;
	struct tlsrpt_fact rpt;
};

/* Whether this resolver's answers can be validated at all: asked once,
 * when the first answer that DANE or a policy depends on has come (so a
 * dead resolver costs no extra wait), so that a resolver that drops DNSSEC
 * is never called bogus. */
struct main_dnssec {
	int asked;
	int ok;
	char why[240];
};

static void
main_dnssec_check(const struct opts *o, struct main_dnssec *ds, int64_t deadline)
{
	if (!ds->asked) {
		ds->asked = 1;
		ds->ok = dns_validation_works(o->probe.dns,
		    clock_min(deadline, clock_now_ms() + (int64_t)o->probe.step_timeout_s * 1000),
		    ds->why, sizeof(ds->why));
	}
}

/* Answers that could not be validated are not bogus. */
static void
main_unchecked(const struct main_dnssec *ds, struct dns_fact *f)
{
	if (ds->asked && !ds->ok && f->sec == DNSSEC_BOGUS) {
		f->sec = DNSSEC_UNCHECKED;
	}
}

/* The MTA-STS and TLS-RPT records of domain into mp, each lookup and the
 * policy fetch bounded by --timeout and by deadline. */
static void
main_domain_policy(const struct opts *o, struct tls_ctx *tls, struct main_dnssec *ds,
    const char *domain, int64_t deadline, struct main_pol *mp)
{
	int step_ms = o->probe.step_timeout_s * 1000;

	main_dnssec_check(o, ds, deadline);
	polgather_sts(domain, o->probe.dns, tls, o->probe.source, step_ms, deadline, &mp->sts);
	polgather_tlsrpt(
	    domain, o->probe.dns, clock_min(deadline, clock_now_ms() + step_ms), &mp->rpt);
	main_unchecked(ds, &mp->sts.txt);
	main_unchecked(ds, &mp->rpt.txt);
}

/* The jobs: every target, then the MX hosts of every --mx domain (looked
 * up now; a domain that has none, or a null MX, becomes a job that only
 * reports it).  Host names of MX jobs live in *names.  pols has room for
 * o->nmx + 1 domains' policy records: the --mx domains', then --mta-sts's
 * (filled only when TLS is in play: tls not NULL, and only for a domain
 * whose MX lookup answered).  ds: whether DNSSEC validates here. */
static int
main_jobs(const struct opts *o, struct tls_ctx *tls, struct main_pol *pols, struct main_dnssec *ds,
    struct fleet_job **jobs, size_t *n, char ***names, size_t *nnames)
{
	size_t cap = 0;
	/* The lookups come before any probe: together they get one run's
	 * time (--total-timeout), each at most one step's (--timeout). */
	int64_t mx_deadline = clock_now_ms() + (int64_t)o->probe.run_timeout_s * 1000;
	struct main_pol *sts_pol = NULL;

	if (tls != NULL && o->mta_sts != NULL) {
		sts_pol = &pols[o->nmx];
		main_domain_policy(o, tls, ds, o->mta_sts, mx_deadline, sts_pol);
	}
	if (tls != NULL && o->probe.dane) {
		main_dnssec_check(o, ds, mx_deadline);
	}

	*jobs = NULL;
	*n = 0;
	*names = NULL;
	*nnames = 0;
	for (size_t i = 0; i < o->ntargets; i++) {
		struct fleet_job j = {.target = o->targets[i],
		    .mx_outcome = MXO_NONE,
		    .mx_pref = -1,
		    .sts = sts_pol ? &sts_pol->sts : NULL,
		    .tlsrpt = sts_pol ? &sts_pol->rpt : NULL,
		    .all_addresses = o->all_addresses == 1};

		if (main_job(jobs, n, &cap, &j) != 0) {
			return -1;
		}
	}
	for (size_t d = 0; d < o->nmx; d++) {
		struct dns_mx mx[DNS_MAX_MX];
		size_t nmx = 0;
		struct fault f;
		struct dns_fact fact;
		int64_t t0 = clock_now_ms();
		int rc = dns_mx(o->mx[d], o->probe.dns,
		    clock_min(mx_deadline, t0 + (int64_t)o->probe.step_timeout_s * 1000), mx, &nmx,
		    &fact, &f);
		struct fleet_job j = {.target = o->mx[d],
		    .mx_outcome = MXO_IMPLICIT,
		    .mx_pref = -1,
		    .mx_fact = fact,
		    .all_addresses = o->all_addresses != 0};

		j.mx_ms = clock_now_ms() - t0;
		snprintf(j.mx_domain, sizeof(j.mx_domain), "%s", o->mx[d]);
		snprintf(j.mx_domain_u, sizeof(j.mx_domain_u), "%s", o->mx_u[d]);
		if (tls != NULL && (rc == DNS_MX_FOUND || rc == DNS_MX_NONE)) {
			/* RFC 7672 and RFC 8461 are about the MX hosts of a
			 * domain: both apply to every one of them. */
			main_domain_policy(o, tls, ds, o->mx[d], mx_deadline, &pols[d]);
			main_unchecked(ds, &j.mx_fact);
			j.dane = 1;
			j.sts = &pols[d].sts;
			j.tlsrpt = &pols[d].rpt;
		}
		if (rc < 0) {
			j.mx_outcome = MXO_FAILED;
			snprintf(j.mx_error, sizeof(j.mx_error), "%s", f.msg);
		} else if (rc == DNS_MX_NXDOMAIN) {
			j.mx_outcome = MXO_NXDOMAIN;
		} else if (rc == DNS_MX_NULL) {
			j.mx_outcome = MXO_NULL;
		}
		if (rc != DNS_MX_FOUND) {
			if (main_job(jobs, n, &cap, &j) != 0) {
				return -1;
			}
			continue;
		}
		for (size_t k = 0; k < nmx; k++) {
			char **nn = realloc(*names, (*nnames + 1) * sizeof(*nn));
			char *host = malloc(BOUND_NAME + 16);

			if (nn == NULL || host == NULL) {
				free(host);
				if (nn != NULL) {
					*names = nn;
				}
				return -1;
			}
			*names = nn;
			snprintf(host, BOUND_NAME + 16, "%.255s:%u", mx[k].host, o->probe.port);
			(*names)[(*nnames)++] = host;
			j.target = host;
			j.mx_pref = mx[k].pref;
			j.mx_outcome = MXO_HOST;
			if (main_is_address(mx[k].host)) {
				/* RFC 1035 §3.3.9: the exchange is a domain name. */
				j.mx_outcome = MXO_LITERAL;
				snprintf(j.mx_error, sizeof(j.mx_error), "%.200s", mx[k].host);
			}
			if (main_job(jobs, n, &cap, &j) != 0) {
				return -1;
			}
		}
	}
	return 0;
}

/* What the emit callback needs. */
struct main_out {
	const struct opts *o;
	size_t count; /* reports emitted so far */
	size_t total;
	struct prom_doc *prom;
	struct nagios_doc *nagios; /* several targets: one summary, perfdata last */
	int color;                 /* --color, decided once for stdout */
};

static void
main_emit(const struct report *r, size_t index, void *arg)
{
	struct main_out *mo = arg;
	const struct opts *o = mo->o;

	(void)index;
	mo->count++;
	switch (o->format) {
	case FORMAT_TEXT:
		if ((mo->total > 1 || r->group.count > 1) && o->verbosity > RENDER_QUIET) {
			char target[300];

			printf("%s== %s", mo->count > 1 ? "\n" : "",
			    render_target(r, target, sizeof(target)));
			if (r->group.count > 1) {
				/* --all-addresses: which of the host's addresses */
				printf(" (%s, %zu/%zu)", r->group.addr, r->group.index,
				    r->group.count);
			}
			putchar('\n');
		}
		render_text_color(stdout, r, o->verbosity, mo->color);
		if (r->group.count > 1 && r->group.index == r->group.count) {
			render_text_host(stdout, r, mo->color);
		}
		break;
	case FORMAT_JSON:
		render_json(stdout, r);
		break;
	case FORMAT_NAGIOS:
		if (mo->nagios != NULL) {
			nagios_doc_add(mo->nagios, r);
		} else {
			render_nagios(stdout, r, o->policy.have_warn ? o->policy.warn.text : NULL,
			    o->policy.have_crit ? o->policy.crit.text : NULL);
		}
		break;
	case FORMAT_PROMETHEUS:
		prom_doc_add(mo->prom, r);
		break;
	}
	fflush(stdout);
}

/* A subcommand, perhaps after global options (smtprobe --lang de
 * explain 235): they go to the subcommand, which takes what it knows
 * and refuses the rest.  Its exit status, or -1 when there is none. */
static int
main_subcommand(int argc, char **argv, struct main_env *env)
{
	int sub = opts_first_operand(argc, argv);
	char *word;

	if (sub == argc ||
	    (strcmp(argv[sub], "explain") != 0 && strcmp(argv[sub], "findings") != 0 &&
	        strcmp(argv[sub], "serve") != 0)) {
		return -1;
	}
	word = argv[sub];
	memmove(argv + 2, argv + 1, (size_t)(sub - 1) * sizeof(*argv));
	argv[1] = word;
	secret_wipe(&env->pw);
	secret_wipe(&env->tok);
	/* serve's secrets come from the files its config names. */
	if (strcmp(word, "serve") == 0) {
		return cmd_serve(argc - 1, argv + 1);
	}
	return strcmp(word, "explain") == 0 ? cmd_explain(argc - 1, argv + 1)
	                                    : cmd_findings(argc - 1, argv + 1);
}

/* The options into o: 0 to probe; 1 when --help or --version was
 * answered, -1 when they are wrong (told on stderr).  Unless 0, o is
 * freed and env wiped. */
static int
main_command_line(int argc, char **argv, struct opts *o, struct main_env *env)
{
	struct fault f;

	if (main_opts(argc, argv, o, &f) != 0) {
		fprintf(stderr, _("smtprobe: %s\nTry 'smtprobe --help' for more information.\n"),
		    f.msg);
		secret_wipe(&env->pw);
		secret_wipe(&env->tok);
		opts_free(o);
		return -1;
	}
	if (o->action == OPTS_PROBE) {
		return 0;
	}
	secret_wipe(&env->pw);
	secret_wipe(&env->tok);
	if (o->action == OPTS_HELP) {
		opts_usage(stdout);
	} else {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	}
	opts_free(o);
	return 1;
}

int
main(int argc, char **argv)
{
	struct secret pw = {NULL, 0}, tok = {NULL, 0};
	struct main_env env;
	struct opts o;
	struct fault f;
	struct tls_ctx *tls = NULL;
	struct fleet_job *jobs = NULL;
	struct main_pol *pols = NULL;
	struct main_dnssec dnssec = {0};
	char **names = NULL;
	size_t njobs = 0, nnames = 0;
	struct main_out mo;
	enum sev worst;
	int status = SEV_UNKNOWN;

	/* Before anything else, so that no path leaves them behind. */
	main_env_take(&env);
	if (env.pw.buf != NULL || env.tok.buf != NULL) {
		secret_protect_process();
	}
	i18n_init();
	{
		int rc = main_subcommand(argc, argv, &env);

		if (rc >= 0) {
			return rc;
		}
	}
	switch (main_command_line(argc, argv, &o, &env)) {
	case -1:
		return SEV_UNKNOWN;
	case 1:
		return 0;
	}
	/* Machines read nagios and prometheus output: English unless --lang. */
	if (o.lang == NULL && (o.format == FORMAT_NAGIOS || o.format == FORMAT_PROMETHEUS)) {
		i18n_enable(false);
	}
	memset(&mo, 0, sizeof(mo));
	mo.o = &o;
	mo.color = opts_use_color(&o, isatty(STDOUT_FILENO), getenv("NO_COLOR"), getenv("TERM"));
	if (main_secrets(&o, &env, &pw, &tok) != 0) {
		goto out;
	}
	/* A peer that closes while OpenSSL writes must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (o.probe.tls_mode != TLS_MODE_NONE && tls_ctx_new(&tls, &o.tls, &f) != 0) {
		fprintf(stderr, "smtprobe: %s\n", f.msg);
		goto out;
	}
	pols = calloc(o.nmx + 1, sizeof(*pols));
	if (pols == NULL) {
		fprintf(stderr, "smtprobe: %s\n", _("out of memory"));
		goto out;
	}
	if (main_jobs(&o, tls, pols, &dnssec, &jobs, &njobs, &names, &nnames) != 0) {
		fprintf(stderr, "smtprobe: %s\n", _("out of memory"));
		goto out;
	}
	if (dnssec.asked && !dnssec.ok) {
		o.probe.dnssec_unchecked = dnssec.why;
	}
	mo.total = njobs;
	if (o.format == FORMAT_PROMETHEUS && (mo.prom = prom_doc_new()) == NULL) {
		fprintf(stderr, "smtprobe: %s\n", _("out of memory"));
		goto out;
	}
	/* --all-addresses may make several reports of one target. */
	if (o.format == FORMAT_NAGIOS && (njobs > 1 || (njobs == 1 && jobs[0].all_addresses)) &&
	    (mo.nagios = nagios_doc_new(o.policy.have_warn ? o.policy.warn.text : NULL,
	         o.policy.have_crit ? o.policy.crit.text : NULL)) == NULL) {
		fprintf(stderr, "smtprobe: %s\n", _("out of memory"));
		goto out;
	}
	{
		/* Progress is for a person watching a terminal, and only when
		 * there is more than one target to wait for. */
		const char *trace = getenv("SMTPROBE_FLEET_TRACE");
		struct fleet_conf fc = {
		    .parallel = o.parallel,
		    .per_ip = o.per_ip,
		    .progress = njobs > 1 && o.verbosity > RENDER_QUIET && isatty(STDERR_FILENO),
		    .trace = trace != NULL && trace[0] != '\0',
		};

		worst = fleet_run_conf(&fc, jobs, njobs, &o.probe, tls, &o.policy, main_emit, &mo);
	}
	secret_wipe(&pw);
	secret_wipe(&tok);
	if (mo.prom != NULL) {
		prom_doc_write(mo.prom, stdout);
	}
	if (mo.nagios != NULL) {
		nagios_doc_write(mo.nagios, stdout);
	}
	status = (int)worst;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		status = SEV_UNKNOWN;
	}
out:
	secret_wipe(&pw);
	secret_wipe(&tok);
	nagios_doc_free(mo.nagios);
	prom_doc_free(mo.prom);
	for (size_t i = 0; i < nnames; i++) {
		free(names[i]);
	}
	free(names);
	free(jobs);
	free(pols);
	tls_ctx_free(tls);
	opts_free(&o);
	dns_end();
	return status;
}
