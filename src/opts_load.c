/* opts_load.c - what the command line asks that has effects, after
 * opts_parse: the language, the files it names (checked, --targets-file
 * read), --expect-banner compiled; then the checks across options,
 * which need every target.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bounds.h"
#include "dns.h"
#include "i18n.h"
#include "opts.h"
#include "target.h"

static int
opts_file(const char *path, const char *opt, int dir, struct fault *f)
{
	if (access(path, R_OK | (dir ? X_OK : 0)) != 0) {
		return fault_set(f, FAULT_USAGE, 0, _("%s %s: cannot be read"), opt, path);
	}
	return 0;
}

/* One line of a targets file, blanks and comment cut: 0 with *out the
 * target or "" when there is none, -1 when the line is too long. */
static int
opts_targets_line(char *line, FILE *fp, char **out)
{
	char *p = line, *end;

	if (strchr(line, '\n') == NULL && !feof(fp)) {
		return -1;
	}
	line[strcspn(line, "#\r\n")] = '\0';
	while (*p == ' ' || *p == '\t') {
		p++;
	}
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
		*--end = '\0';
	}
	*out = p;
	return 0;
}

static int
opts_targets_file(struct opts *o, const char *path, struct fault *f)
{
	FILE *fp = fopen(path, "re");
	char line[BOUND_NAME + 16];
	unsigned lineno = 0;
	int rc = 0;

	if (fp == NULL) {
		return fault_set(
		    f, FAULT_USAGE, errno, _("--targets-file %s: %s"), path, strerror(errno));
	}
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		struct target t;
		char *p;

		lineno++;
		if (opts_targets_line(line, fp, &p) != 0) {
			rc = fault_set(f, FAULT_USAGE, 0, _("%s:%u: line too long"), path, lineno);
		} else if (*p != '\0' && target_parse(p, o->probe.port, &t, f) != 0) {
			char msg[sizeof(f->msg)], where[300];

			memcpy(msg, f->msg, sizeof(msg));
			snprintf(where, sizeof(where), "%s:%u", path, lineno);
			rc = fault_set(f, FAULT_USAGE, 0, "%.80s: %.170s", where, msg);
		} else if (*p != '\0') {
			rc = opts_target_add(o, p, &t, f);
		}
	}
	fclose(fp);
	return rc;
}

static int
opts_banner(struct opts *o, struct fault *f)
{
	int rc = regcomp(&o->policy.banner, o->expect_banner, REG_EXTENDED | REG_ICASE | REG_NOSUB);

	if (rc != 0) {
		char why[128];

		regerror(rc, &o->policy.banner, why, sizeof(why));
		/* regcomp leaves nothing to free when it fails. */
		return fault_set(
		    f, FAULT_USAGE, 0, _("--expect-banner '%s': %s"), o->expect_banner, why);
	}
	o->policy.have_banner = 1;
	snprintf(o->policy.banner_text, sizeof(o->policy.banner_text), "%s", o->expect_banner);
	return 0;
}

static const char *
opts_family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The families the options allow agree with each other and with every
 * target that is an address: -4/-6, --source-address, --proxy-source. */
static int
opts_families(struct opts *o, struct fault *f)
{
	struct probe_opts *p = &o->probe;
	int need = o->source.family;
	int pf = p->proxy != PROXYPROTO_NONE ? p->proxy_src.ss_family : AF_UNSPEC;

	if (pf != AF_UNSPEC && need != AF_UNSPEC && pf != need) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--proxy-source is %s but --source-address is %s"), opts_family_name(pf),
		    opts_family_name(need));
	}
	if (pf != AF_UNSPEC && need == AF_UNSPEC) {
		/* HAProxy's §2.1: the destination "matches the same family". */
		o->source.family = need = pf;
		snprintf(o->source.what, sizeof(o->source.what), "--proxy-source");
	}
	if (need != AF_UNSPEC && p->family != AF_UNSPEC && need != p->family) {
		return fault_set(f, FAULT_USAGE, 0, _("%s is %s but -%c asks for %s only"),
		    o->source.what, opts_family_name(need), p->family == AF_INET6 ? '6' : '4',
		    opts_family_name(p->family));
	}
	for (size_t i = 0; i < o->ntargets; i++) {
		const char *host = o->parsed[i].host;
		int fam = target_addr_family(host);

		if (fam == AF_UNSPEC) {
			continue;
		}
		if (p->family != AF_UNSPEC && fam != p->family) {
			return fault_set(f, FAULT_USAGE, 0,
			    _("target '%.60s' is an %s address but -%c asks for %s only"), host,
			    opts_family_name(fam), p->family == AF_INET6 ? '6' : '4',
			    opts_family_name(p->family));
		}
		if (need != AF_UNSPEC && fam != need) {
			return fault_set(f, FAULT_USAGE, 0,
			    _("target '%.60s' is an %s address but %s is %s"), host,
			    opts_family_name(fam), o->source.what, opts_family_name(need));
		}
	}
	return 0;
}

/* unix: targets and --protocol lmtp: what cannot go with them. */
static int
opts_local(const struct opts *o, struct fault *f)
{
	const struct probe_opts *p = &o->probe;

	/* RFC 2033 §1: LMTP "MUST NOT be used on TCP port 25". */
	if (p->lmtp && o->nmx > 0 && p->port == 25) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--protocol lmtp: not on port 25 (RFC 2033 §1); give the LMTP port with "
		      "--port"));
	}
	for (size_t i = 0; i < o->ntargets; i++) {
		const struct target *t = &o->parsed[i];

		if (!t->is_unix && p->lmtp && t->port == 25) {
			return fault_set(f, FAULT_USAGE, 0,
			    _("target '%.60s': LMTP is not for port 25 (RFC 2033 §1); name the "
			      "LMTP port"),
			    o->targets[i]);
		}
		if (!t->is_unix) {
			continue;
		}
		if (p->proxy != PROXYPROTO_NONE || o->source.bind) {
			return fault_set(f, FAULT_USAGE, 0,
			    _("target '%.60s': --proxy-protocol and --source-address are for TCP "
			      "only"),
			    o->targets[i]);
		}
		/* A socket path is no name a certificate can be checked
		 * against: TLS there is verified for --tls-name, or not tried. */
		if (p->tls_name == NULL &&
		    (p->tls_mode == TLS_MODE_STARTTLS || p->tls_mode == TLS_MODE_IMPLICIT ||
		        p->require_tls || p->check_injection)) {
			return fault_set(f, FAULT_USAGE, 0,
			    _("target '%.60s': TLS on a unix: socket needs --tls-name to verify"),
			    o->targets[i]);
		}
	}
	return 0;
}

/* TLS and the dialogue: options that need or contradict each other. */
static int
opts_check_dialogue(const struct opts *o, struct fault *f)
{
	const struct probe_opts *p = &o->probe;

	if (p->require_tls && p->tls_mode == TLS_MODE_NONE) {
		return fault_set(f, FAULT_USAGE, 0, _("--require-tls contradicts --tls none"));
	}
	if (p->tls_mode == TLS_MODE_NONE &&
	    (p->tls_level != TLSLVL_DEFAULT || p->dane || o->mta_sts != NULL)) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--tls-policy, --dane and --mta-sts judge TLS: they contradict --tls none"));
	}
	if (p->cert_crit_days > p->cert_warn_days) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--cert-crit-days (%d) is above --cert-warn-days (%d)"), p->cert_crit_days,
		    p->cert_warn_days);
	}
	if (p->check_injection &&
	    (p->tls_mode == TLS_MODE_NONE || p->tls_mode == TLS_MODE_IMPLICIT)) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--check-starttls-injection needs STARTTLS (--tls auto or starttls)"));
	}
	if (p->auth != NULL && p->user == NULL) {
		return fault_set(f, FAULT_USAGE, 0, _("--auth needs --user"));
	}
	if (p->auth == NULL &&
	    (p->user != NULL || o->password_file != NULL || o->token_file != NULL)) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--user, --password-file and --token-file go with --auth"));
	}
	if (p->auth_insecure && p->auth == NULL) {
		return fault_set(f, FAULT_USAGE, 0, _("--auth-insecure goes with --auth"));
	}
	if (p->mail_from == NULL && (p->nrcpts > 0 || p->nmail_params > 0 || p->nrcpt_params > 0)) {
		return fault_set(f, FAULT_USAGE, 0,
		    _("--rcpt, --mail-param and --rcpt-param need --mail-from "
		      "(use --mail-from '' for the null sender)"));
	}
	if (p->nrcpt_params > 0 && p->nrcpts == 0) {
		return fault_set(f, FAULT_USAGE, 0, _("--rcpt-param needs --rcpt"));
	}
	return 0;
}

/* The checks across options, once every target is known. */
static int
opts_check(struct opts *o, struct fault *f)
{
	struct probe_opts *p = &o->probe;

	if (o->ntargets == 0 && o->nmx == 0) {
		return fault_set(f, FAULT_USAGE, 0, _("no target given"));
	}
	if ((p->proxy != PROXYPROTO_NONE) != (p->proxy_src.ss_family != AF_UNSPEC)) {
		return fault_set(
		    f, FAULT_USAGE, 0, _("--proxy-protocol and --proxy-source go together"));
	}
	if (opts_families(o, f) != 0 || opts_local(o, f) != 0) {
		return -1;
	}
	if (o->source.family != AF_UNSPEC) {
		p->source = &o->source;
	}
	p->target = o->ntargets > 0 ? o->targets[0] : NULL;
	if (opts_check_dialogue(o, f) != 0) {
		return -1;
	}
	if (o->password_file != NULL && opts_file(o->password_file, "--password-file", 0, f) != 0) {
		return -1;
	}
	if (o->token_file != NULL && opts_file(o->token_file, "--token-file", 0, f) != 0) {
		return -1;
	}
	/* A --total-timeout below --timeout is kept: the run's deadline caps
	 * every step's. */
	return 0;
}

int
opts_load(struct opts *o, struct fault *f)
{
	/* First, so that every message after it is in that language. */
	if (o->lang != NULL && !i18n_set_lang(o->lang)) {
		return fault_set(
		    f, FAULT_USAGE, 0, _("--lang '%s': must be one of: %s"), o->lang, i18n_langs);
	}
	if (o->action != OPTS_PROBE) {
		return 0;
	}
	if (o->tls.cafile != NULL && opts_file(o->tls.cafile, "--cafile", 0, f) != 0) {
		return -1;
	}
	if (o->tls.capath != NULL && opts_file(o->tls.capath, "--capath", 1, f) != 0) {
		return -1;
	}
	if (o->trust_anchor != NULL && dns_conf_anchor(o->trust_anchor, &o->dns, f) != 0) {
		f->cls = FAULT_USAGE;
		return -1;
	}
	if (o->expect_banner != NULL && opts_banner(o, f) != 0) {
		return -1;
	}
	/* The arguments' targets come first, in order, then the files'. */
	for (size_t i = 0; i < o->ntargets_files; i++) {
		if (opts_targets_file(o, o->targets_files[i], f) != 0) {
			return -1;
		}
	}
	return opts_check(o, f);
}
