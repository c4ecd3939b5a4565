/* serve.c - `smtprobe serve'; see serve.h. */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "clock.h"
#include "fleet.h"
#include "gate.h"
#include "i18n.h"
#include "render.h"
#include "serve.h"
#include "serve_allow.h"
#include "serve_config.h"
#include "serve_lib.h"
#include "target.h"

/* A query value's length: a target is at most a name and a port; module
 * names are shorter. */
#define SERVE_VALUE_MAX (BOUND_NAME + 16)
/* Query arguments of one /probe request (target, module, debug). */
#define SERVE_ARGS_MAX 8
/* Bytes MHD may hold for one request line and its headers; past it MHD
 * answers 414 or 431 itself. */
#define SERVE_REQUEST_MEMORY 16384
/* An idle client is dropped after this many seconds. */
#define SERVE_IDLE_S 15
/* Taken off Prometheus's scrape timeout so that the answer arrives
 * before it gives up: half a second, a quarter of a short timeout. */
#define SERVE_MARGIN_MS 500
/* Module names counted in /metrics (they outlive reloads). */
#define SERVE_METRIC_MODULES 256
/* Credentials that passed bcrypt, remembered (as a SHA-256 of user,
 * password and hash) so that a scrape every few seconds does not cost a
 * bcrypt each: at cost 10, tens of milliseconds of CPU. */
#define SERVE_AUTH_CACHE 64

enum serve_reject {
	REJ_FORBIDDEN,    /* 403: target outside allow_targets */
	REJ_BUSY,         /* 503: max_concurrent probes in flight */
	REJ_PER_HOST,     /* 503: max_per_host probes to that host in flight */
	REJ_PER_IP,       /* 503: max_per_ip connections to its address open */
	REJ_BAD_REQUEST,  /* 400 */
	REJ_UNAUTHORIZED, /* 401: basic_auth_users did not accept it */
	REJ_COUNT
};

static const char *const serve_reject_names[REJ_COUNT] = {
    "forbidden",
    "busy",
    "per_host",
    "per_ip",
    "bad_request",
    "unauthorized",
};

/* A config and the requests using it: a reload swaps the current one,
 * and the old is freed by the last request that used it. */
struct serve_ref {
	struct serve_config *c;
	unsigned users;
};

/* Probes in flight to one host (its name or address as the target gave it). */
struct serve_host {
	struct serve_host *next;
	unsigned n;
	char host[BOUND_NAME + 1];
};

struct serve_modcount {
	char name[SERVE_MODULE_NAME + 1];
	unsigned long long by_sev[4]; /* OK, WARNING, CRITICAL, UNKNOWN */
};

struct serve {
	const struct serve_mhd *mhd;
	const char *path;
	pthread_mutex_t lock; /* everything below */
	struct serve_ref *cur;
	unsigned in_flight;
	struct serve_host *hosts;
	struct serve_modcount mods[SERVE_METRIC_MODULES];
	size_t nmods;
	unsigned long long rejected[REJ_COUNT];
	int reload_ok;
	double reload_time;
	unsigned char auth_cache[SERVE_AUTH_CACHE][32];
	size_t nauth, auth_next;
	char *tls_cert, *tls_key; /* the PEM the daemon started with */
	/* max_per_ip: connections to one destination address, over every
	 * probe.  It never waits (gate_new_nowait): the address is known
	 * only inside the probe, and a scrape must not wait past its
	 * deadline for a place, so a full address ends the probe at once
	 * and the request is answered 503. */
	struct gate *gate;
};

static double
serve_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One line on stderr, whole (stdio locks the stream per call). */
static void serve_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
serve_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "smtprobe serve: %s\n", line);
}

static struct serve_ref *
serve_ref_get(struct serve *sv)
{
	struct serve_ref *r;

	pthread_mutex_lock(&sv->lock);
	r = sv->cur;
	r->users++;
	pthread_mutex_unlock(&sv->lock);
	return r;
}

static void
serve_ref_put(struct serve *sv, struct serve_ref *r)
{
	int gone;

	pthread_mutex_lock(&sv->lock);
	gone = --r->users == 0 && r != sv->cur;
	pthread_mutex_unlock(&sv->lock);
	if (gone) {
		serve_config_free(r->c);
		free(r);
	}
}

/* Send body with status; MHD copies it. */
static enum MHD_Result
serve_reply(struct serve *sv, struct MHD_Connection *c, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = sv->mhd->create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL) {
		return MHD_NO;
	}
	sv->mhd->add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	rc = sv->mhd->queue_response(c, status, resp);
	sv->mhd->destroy_response(resp);
	return rc;
}

static enum MHD_Result serve_text(struct serve *sv, struct MHD_Connection *c, unsigned status,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum MHD_Result
serve_text(struct serve *sv, struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	char body[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(body, sizeof(body) - 1, fmt, ap);
	va_end(ap);
	if (n < 0) {
		n = 0;
	}
	if ((size_t)n > sizeof(body) - 2) {
		n = (int)sizeof(body) - 2;
	}
	body[n++] = '\n';
	body[n] = '\0';
	return serve_reply(sv, c, status, "text/plain; charset=utf-8", body, (size_t)n);
}

static void
serve_count_reject(struct serve *sv, enum serve_reject why)
{
	pthread_mutex_lock(&sv->lock);
	sv->rejected[why]++;
	pthread_mutex_unlock(&sv->lock);
}

/* The query of a /probe request, as MHD decoded it. */
struct serve_query {
	const char *target, *module, *debug, *format;
	unsigned n;
	char bad[64]; /* the first argument refused, or "" */
};

static enum MHD_Result
serve_query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct serve_query *q = cls;
	const char **slot = NULL;

	(void)kind;
	if (++q->n > SERVE_ARGS_MAX) {
		snprintf(q->bad, sizeof(q->bad), "%s", "too many query arguments");
		return MHD_NO;
	}
	if (strcmp(key, "target") == 0) {
		slot = &q->target;
	} else if (strcmp(key, "module") == 0) {
		slot = &q->module;
	} else if (strcmp(key, "debug") == 0) {
		slot = &q->debug;
	} else if (strcmp(key, "format") == 0) {
		slot = &q->format;
	}
	if (slot == NULL || *slot != NULL || value == NULL ||
	    !allow_value_ok(value, SERVE_VALUE_MAX)) {
		snprintf(q->bad, sizeof(q->bad), "%.40s", key);
		for (char *p = q->bad; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
				*p = '?';
			}
		}
		return MHD_NO;
	}
	*slot = value;
	return MHD_YES;
}

/* Count one more probe in flight, to the whole and to host; 0, or the
 * reason it may not run. */
static int
serve_admit(
    struct serve *sv, const struct serve_config *cfg, const char *host, enum serve_reject *why)
{
	struct serve_host *h;
	int rc = 0;

	pthread_mutex_lock(&sv->lock);
	for (h = sv->hosts; h != NULL && strcasecmp(h->host, host) != 0; h = h->next) {
	}
	if (sv->in_flight >= cfg->max_concurrent) {
		*why = REJ_BUSY;
		rc = -1;
	} else if (h != NULL && h->n >= cfg->max_per_host) {
		*why = REJ_PER_HOST;
		rc = -1;
	} else if (h == NULL && (h = calloc(1, sizeof(*h))) == NULL) {
		*why = REJ_BUSY;
		rc = -1;
	} else {
		if (h->n == 0) {
			snprintf(h->host, sizeof(h->host), "%s", host);
			h->next = sv->hosts;
			sv->hosts = h;
		}
		h->n++;
		sv->in_flight++;
	}
	if (rc != 0) {
		sv->rejected[*why]++;
	}
	pthread_mutex_unlock(&sv->lock);
	return rc;
}

static void
serve_release(struct serve *sv, const char *host, const char *module, enum sev verdict)
{
	struct serve_host **pp;

	pthread_mutex_lock(&sv->lock);
	for (pp = &sv->hosts; *pp != NULL; pp = &(*pp)->next) {
		if (strcasecmp((*pp)->host, host) == 0) {
			struct serve_host *h = *pp;

			if (--h->n == 0) {
				*pp = h->next;
				free(h);
			}
			break;
		}
	}
	sv->in_flight--;
	/* module NULL: the probe was refused (max_per_ip), not run. */
	for (size_t i = 0; module != NULL && i <= sv->nmods && i < SERVE_METRIC_MODULES; i++) {
		if (i == sv->nmods) {
			snprintf(sv->mods[i].name, sizeof(sv->mods[i].name), "%s", module);
			sv->nmods++;
		}
		if (strcmp(sv->mods[i].name, module) == 0) {
			sv->mods[i].by_sev[verdict <= SEV_UNKNOWN ? verdict : SEV_UNKNOWN]++;
			break;
		}
	}
	pthread_mutex_unlock(&sv->lock);
}

/* What /probe answers: the exposition (the default), the explained
 * transcript (debug=true), or the report as --format json writes it
 * (format=json). */
enum serve_as { SERVE_AS_PROM, SERVE_AS_TEXT, SERVE_AS_JSON };

/* What the probe's emit callback fills. */
struct serve_out {
	enum serve_as as;
	struct prom_doc *prom;
	FILE *text;
	enum sev verdict;
	int64_t ms;
	char gate_full[64]; /* the address max_per_ip refused, or "" */
};

static void
serve_emit(const struct report *r, size_t index, void *arg)
{
	struct serve_out *so = arg;

	(void)index;
	so->verdict = r->verdict;
	so->ms = r->total_ms;
	snprintf(so->gate_full, sizeof(so->gate_full), "%s", r->net.gate_full);
	if (so->as == SERVE_AS_TEXT) {
		render_text(so->text, r, RENDER_VERBOSE);
	} else if (so->as == SERVE_AS_JSON) {
		render_json(so->text, r);
	} else {
		prom_doc_add(so->prom, r);
	}
}

/* The probe's whole-run deadline in seconds: the module's, cut to the
 * scrape timeout Prometheus sent less a margin (whole seconds, at least 1). */
static int
serve_deadline_s(const struct probe_opts *p, const char *hdr)
{
	long ms, margin;
	int s = p->run_timeout_s;

	if (hdr != NULL && allow_scrape_timeout(hdr, &ms) == 0) {
		margin = ms < 2000 ? ms / 4 : SERVE_MARGIN_MS;
		ms -= margin;
		if (ms / 1000 < s) {
			s = ms >= 1000 ? (int)(ms / 1000) : 1;
		}
	}
	return s;
}

/* Run one admitted probe and answer it. */
static enum MHD_Result
serve_run(struct serve *sv, struct MHD_Connection *c, const struct serve_module *m,
    const char *target, const char *host, enum serve_as as, const char *hdr)
{
	struct fleet_job job = {.target = target, .mx_outcome = MXO_NONE, .mx_pref = -1};
	struct probe_opts po = m->o.probe;
	struct serve_out so = {.as = as, .verdict = SEV_UNKNOWN};
	char *body = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	enum MHD_Result rc;

	if (out == NULL || (as == SERVE_AS_PROM && (so.prom = prom_doc_new()) == NULL)) {
		if (out != NULL) {
			fclose(out);
		}
		free(body);
		serve_release(sv, host, m->name, SEV_UNKNOWN);
		return serve_text(sv, c, 500, "out of memory");
	}
	so.text = out;
	po.run_timeout_s = serve_deadline_s(&m->o.probe, hdr);
	po.target = target;
	po.gate = sv->gate;
	fleet_run(&job, 1, 1, &po, m->tls, &m->o.policy, serve_emit, &so);
	if (so.prom != NULL) {
		prom_doc_write(so.prom, out);
		prom_doc_free(so.prom);
	}
	if (so.gate_full[0] != '\0') {
		fclose(out);
		free(body);
		serve_release(sv, host, NULL, SEV_UNKNOWN);
		serve_count_reject(sv, REJ_PER_IP);
		serve_log("refused target=%s module=%s: max_per_ip probes to %s in flight", target,
		    m->name, so.gate_full);
		return serve_text(sv, c, 503, "busy: max_per_ip (%u) probes to %s in flight",
		    gate_limit(sv->gate), so.gate_full);
	}
	serve_release(sv, host, m->name, so.verdict);
	serve_log("probe target=%s module=%s verdict=%s ms=%lld deadline=%ds", target, m->name,
	    sev_name(so.verdict), (long long)so.ms, po.run_timeout_s);
	if (fclose(out) != 0) {
		free(body);
		return serve_text(sv, c, 500, "out of memory");
	}
	rc = serve_reply(sv, c, 200,
	    as == SERVE_AS_TEXT       ? "text/plain; charset=utf-8"
	        : as == SERVE_AS_JSON ? "application/json"
	                              : "text/plain; version=0.0.4; charset=utf-8",
	    body, len);
	free(body);
	return rc;
}

static enum MHD_Result
serve_probe(struct serve *sv, struct MHD_Connection *c)
{
	struct serve_query q = {0};
	struct serve_ref *ref;
	const struct serve_module *m;
	struct target t;
	struct fault f;
	enum serve_reject why;
	enum MHD_Result rc;
	enum serve_as as = SERVE_AS_PROM;

	sv->mhd->get_connection_values(c, MHD_GET_ARGUMENT_KIND, serve_query_arg, &q);
	if (q.bad[0] != '\0') {
		serve_count_reject(sv, REJ_BAD_REQUEST);
		return serve_text(sv, c, 400,
		    "query argument '%s': unknown, repeated, empty or "
		    "not printable (target, module, debug and format, once each)",
		    q.bad);
	}
	if (q.target == NULL || q.module == NULL) {
		serve_count_reject(sv, REJ_BAD_REQUEST);
		return serve_text(sv, c, 400, "/probe needs target=HOST[:PORT] and module=NAME");
	}
	if (q.debug != NULL) {
		if (strcmp(q.debug, "true") != 0 && strcmp(q.debug, "false") != 0) {
			serve_count_reject(sv, REJ_BAD_REQUEST);
			return serve_text(sv, c, 400, "debug must be true or false");
		}
		as = strcmp(q.debug, "true") == 0 ? SERVE_AS_TEXT : SERVE_AS_PROM;
	}
	if (q.format != NULL) {
		if (strcmp(q.format, "json") != 0 && strcmp(q.format, "prometheus") != 0) {
			serve_count_reject(sv, REJ_BAD_REQUEST);
			return serve_text(sv, c, 400, "format must be prometheus or json");
		}
		if (as == SERVE_AS_TEXT) {
			serve_count_reject(sv, REJ_BAD_REQUEST);
			return serve_text(sv, c, 400, "debug=true and format go not together");
		}
		as = strcmp(q.format, "json") == 0 ? SERVE_AS_JSON : SERVE_AS_PROM;
	}
	ref = serve_ref_get(sv);
	m = serve_config_module(ref->c, q.module);
	if (m == NULL) {
		serve_count_reject(sv, REJ_BAD_REQUEST);
		rc = serve_text(sv, c, 400, "unknown module '%s'", q.module);
		goto out;
	}
	if (target_parse(q.target, m->o.probe.port, &t, &f) != 0) {
		serve_count_reject(sv, REJ_BAD_REQUEST);
		rc = serve_text(sv, c, 400, "target: %s", f.msg);
		goto out;
	}
	if (t.is_unix) {
		/* A scrape never reaches this machine's local sockets. */
		serve_count_reject(sv, REJ_BAD_REQUEST);
		rc = serve_text(sv, c, 400, "target: unix: targets are not probed by serve");
		goto out;
	}
	if (!allow_match(ref->c->allow, ref->c->nallow, t.host)) {
		serve_count_reject(sv, REJ_FORBIDDEN);
		serve_log("refused target=%s module=%s: not in allow_targets", q.target, m->name);
		rc = serve_text(sv, c, 403, "target '%s' is not in allow_targets", t.host);
		goto out;
	}
	if (serve_admit(sv, ref->c, t.host, &why) != 0) {
		serve_log("refused target=%s module=%s: %s", q.target, m->name,
		    why == REJ_BUSY ? "max_concurrent probes in flight"
		                    : "max_per_host probes to this host in flight");
		rc = serve_text(sv, c, 503,
		    why == REJ_BUSY ? "busy: max_concurrent (%u) probes in flight"
		                    : "busy: max_per_host (%u) probes to this host in flight",
		    why == REJ_BUSY ? ref->c->max_concurrent : ref->c->max_per_host);
		goto out;
	}
	rc = serve_run(sv, c, m, q.target, t.host, as,
	    sv->mhd->lookup_connection_value(
	        c, MHD_HEADER_KIND, "X-Prometheus-Scrape-Timeout-Seconds"));
out:
	serve_ref_put(sv, ref);
	return rc;
}

/* A label value of ours (module names: letters, digits, '_', '.', '-'). */
static enum MHD_Result
serve_metrics(struct serve *sv, struct MHD_Connection *c)
{
	static const char *const sevs[4] = {"ok", "warning", "critical", "unknown"};
	char *body = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	enum MHD_Result rc;

	if (out == NULL) {
		return serve_text(sv, c, 500, "out of memory");
	}
	pthread_mutex_lock(&sv->lock);
	fputs("# HELP smtprobe_serve_probes_total Probes run, by module and verdict.\n"
	      "# TYPE smtprobe_serve_probes_total counter\n",
	    out);
	for (size_t i = 0; i < sv->nmods; i++) {
		for (int s = 0; s < 4; s++) {
			fprintf(out,
			    "smtprobe_serve_probes_total{module=\"%s\",result=\"%s\"} %llu\n",
			    sv->mods[i].name, sevs[s], sv->mods[i].by_sev[s]);
		}
	}
	fprintf(out,
	    "# HELP smtprobe_serve_probes_in_flight Probes running now.\n"
	    "# TYPE smtprobe_serve_probes_in_flight gauge\n"
	    "smtprobe_serve_probes_in_flight %u\n",
	    sv->in_flight);
	fputs("# HELP smtprobe_serve_requests_rejected_total /probe requests refused before "
	      "probing: forbidden (403, target not allowed), busy, per_host and per_ip (503), "
	      "bad_request (400), unauthorized (401).\n"
	      "# TYPE smtprobe_serve_requests_rejected_total counter\n",
	    out);
	for (int r = 0; r < REJ_COUNT; r++) {
		fprintf(out, "smtprobe_serve_requests_rejected_total{reason=\"%s\"} %llu\n",
		    serve_reject_names[r], sv->rejected[r]);
	}
	fprintf(out,
	    "# HELP smtprobe_serve_config_last_reload_successful Whether the last "
	    "config load succeeded.\n"
	    "# TYPE smtprobe_serve_config_last_reload_successful gauge\n"
	    "smtprobe_serve_config_last_reload_successful %d\n"
	    "# HELP smtprobe_serve_config_last_reload_success_timestamp_seconds When the config "
	    "in force was loaded.\n"
	    "# TYPE smtprobe_serve_config_last_reload_success_timestamp_seconds gauge\n"
	    "smtprobe_serve_config_last_reload_success_timestamp_seconds %.3f\n",
	    sv->reload_ok, sv->reload_time);
	pthread_mutex_unlock(&sv->lock);
	fprintf(out,
	    "# HELP smtprobe_build_info The version of smtprobe.\n"
	    "# TYPE smtprobe_build_info gauge\n"
	    "smtprobe_build_info{version=\"%s\"} 1\n",
	    PACKAGE_VERSION);
	if (fclose(out) != 0) {
		free(body);
		return serve_text(sv, c, 500, "out of memory");
	}
	rc = serve_reply(sv, c, 200, "text/plain; version=0.0.4; charset=utf-8", body, len);
	free(body);
	return rc;
}

static enum MHD_Result
serve_index(struct serve *sv, struct MHD_Connection *c)
{
	struct serve_ref *ref = serve_ref_get(sv);
	char *body = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	enum MHD_Result rc;

	if (out == NULL) {
		serve_ref_put(sv, ref);
		return serve_text(sv, c, 500, "out of memory");
	}
	fprintf(out,
	    "<!DOCTYPE html>\n<html><head><title>smtprobe serve</title></head><body>\n"
	    "<h1>smtprobe serve %s</h1>\n<p>An SMTP probe for Prometheus: "
	    "<code>/probe?target=HOST[:PORT]&amp;module=NAME</code> "
	    "(add <code>&amp;debug=true</code> for the explained transcript), "
	    "<a href=\"/metrics\">/metrics</a> for the exporter's own metrics.</p>\n"
	    "<p>Modules:</p>\n<ul>\n",
	    PACKAGE_VERSION);
	for (size_t i = 0; i < ref->c->nmods; i++) {
		fprintf(out, "<li>%s</li>\n", ref->c->mods[i].name);
	}
	fputs("</ul>\n</body></html>\n", out);
	serve_ref_put(sv, ref);
	if (fclose(out) != 0) {
		free(body);
		return serve_text(sv, c, 500, "out of memory");
	}
	rc = serve_reply(sv, c, 200, "text/html; charset=utf-8", body, len);
	free(body);
	return rc;
}

/* SHA-256 of user, password and hash, NUL-separated. */
static int
serve_auth_digest(const char *user, const char *pass, const char *hash, unsigned char *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, user, strlen(user) + 1) == 1 &&
	    EVP_DigestUpdate(ctx, pass, strlen(pass) + 1) == 1 &&
	    EVP_DigestUpdate(ctx, hash, strlen(hash)) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, NULL) == 1;

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* Do user and pass match basic_auth_users?  bcrypt through libcrypt's
 * crypt_rn, compared in constant time; a match is remembered. */
static int
serve_check_user(
    struct serve *sv, const struct serve_config *cfg, const char *user, const char *pass)
{
	const struct serve_user *u = NULL;
	const struct serve_crypt *cr;
	struct crypt_data *cd;
	unsigned char digest[32];
	struct fault f;
	const char *h;
	int ok = 0;

	for (size_t i = 0; i < cfg->nusers; i++) {
		if (strcmp(cfg->users[i].name, user) == 0) {
			u = &cfg->users[i];
		}
	}
	if (u == NULL || serve_auth_digest(user, pass, u->hash, digest) != 0) {
		return 0;
	}
	pthread_mutex_lock(&sv->lock);
	for (size_t i = 0; i < sv->nauth && !ok; i++) {
		ok = CRYPTO_memcmp(sv->auth_cache[i], digest, sizeof(digest)) == 0;
	}
	pthread_mutex_unlock(&sv->lock);
	if (ok) {
		return 1;
	}
	cr = serve_lib_crypt(&f);
	cd = calloc(1, sizeof(*cd));
	if (cr == NULL || cd == NULL) {
		serve_log("basic auth: %s", cr == NULL ? f.msg : "out of memory");
		free(cd);
		return 0;
	}
	h = cr->rn(pass, u->hash, cd, (int)sizeof(*cd));
	ok = h != NULL && strlen(h) == strlen(u->hash) &&
	    CRYPTO_memcmp(h, u->hash, strlen(u->hash)) == 0;
	secret_bzero(cd, sizeof(*cd));
	free(cd);
	if (ok) {
		pthread_mutex_lock(&sv->lock);
		memcpy(sv->auth_cache[sv->auth_next], digest, sizeof(digest));
		sv->auth_next = (sv->auth_next + 1) % SERVE_AUTH_CACHE;
		if (sv->nauth < SERVE_AUTH_CACHE) {
			sv->nauth++;
		}
		pthread_mutex_unlock(&sv->lock);
	}
	return ok;
}

/* 1 when the config asks no authentication or the request passes it. */
static int
serve_authorized(struct serve *sv, struct MHD_Connection *c)
{
	struct serve_ref *ref = serve_ref_get(sv);
	char *user, *pass = NULL;
	int ok = 1;

	if (ref->c->nusers > 0) {
		user = sv->mhd->basic_auth_get_username_password(c, &pass);
		ok = user != NULL && pass != NULL && serve_check_user(sv, ref->c, user, pass);
		if (pass != NULL) {
			secret_bzero(pass, strlen(pass));
			sv->mhd->free(pass);
		}
		if (user != NULL) {
			sv->mhd->free(user);
		}
	}
	serve_ref_put(sv, ref);
	return ok;
}

static enum MHD_Result
serve_unauthorized(struct serve *sv, struct MHD_Connection *c)
{
	static const char body[] = "authentication required\n";
	struct MHD_Response *resp;
	enum MHD_Result rc;

	serve_count_reject(sv, REJ_UNAUTHORIZED);
	resp = sv->mhd->create_response_from_buffer(
	    sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		return MHD_NO;
	}
	rc = sv->mhd->queue_basic_auth_fail_response(c, "smtprobe", resp);
	sv->mhd->destroy_response(resp);
	return rc;
}

static enum MHD_Result
serve_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct serve *sv = cls;

	(void)version;
	(void)upload_data;
	(void)con_cls;
	if (strcmp(method, "GET") != 0) {
		return serve_text(sv, c, 405, "only GET");
	}
	if (*upload_data_size != 0) {
		return serve_text(sv, c, 413, "a GET takes no body");
	}
	if (!serve_authorized(sv, c)) {
		return serve_unauthorized(sv, c);
	}
	if (strcmp(url, "/probe") == 0) {
		return serve_probe(sv, c);
	}
	if (strcmp(url, "/metrics") == 0) {
		return serve_metrics(sv, c);
	}
	if (strcmp(url, "/") == 0) {
		return serve_index(sv, c);
	}
	return serve_text(sv, c, 404, "not found: /probe, /metrics and / are served");
}

/* Swap in a new config (the old one freed once no request uses it). */
static void
serve_install(struct serve *sv, struct serve_config *c)
{
	struct serve_ref *r = calloc(1, sizeof(*r)), *old;

	if (r == NULL) {
		serve_log(
		    "reload of %s failed: out of memory; the config in force is kept", sv->path);
		serve_config_free(c);
		return;
	}
	r->c = c;
	gate_set_limit(sv->gate, c->max_per_ip);
	pthread_mutex_lock(&sv->lock);
	old = sv->cur;
	sv->cur = r;
	sv->reload_ok = 1;
	sv->reload_time = serve_wall();
	if (old != NULL && old->users > 0) {
		old = NULL; /* its last request frees it */
	}
	pthread_mutex_unlock(&sv->lock);
	if (old != NULL) {
		serve_config_free(old->c);
		free(old);
	}
}

static void
serve_reload(struct serve *sv)
{
	struct serve_config *c;
	struct fault f;

	if (serve_config_load(sv->path, &c, &f) != 0) {
		pthread_mutex_lock(&sv->lock);
		sv->reload_ok = 0;
		pthread_mutex_unlock(&sv->lock);
		serve_log("reload failed, the config in force is kept: %s", f.msg);
		return;
	}
	pthread_mutex_lock(&sv->lock);
	if (c->listen_len != sv->cur->c->listen_len ||
	    memcmp(&c->listen, &sv->cur->c->listen, c->listen_len) != 0) {
		serve_log(
		    "listen changed to %s: it takes effect at the next start", c->listen_text);
	}
	if ((c->tls_cert == NULL) != (sv->tls_cert == NULL) ||
	    (c->tls_cert != NULL && strcmp(c->tls_cert, sv->tls_cert) != 0)) {
		serve_log(
		    "tls_cert_file or tls_key_file changed: it takes effect at the next start");
	}
	pthread_mutex_unlock(&sv->lock);
	serve_install(sv, c);
	serve_log("config %s reloaded: %zu modules", sv->path, c->nmods);
}

/* Stop accepting, wait for the probes in flight (each ends by its
 * deadline), then stop the daemon. */
static void
serve_stop(struct serve *sv, struct MHD_Daemon *d)
{
	int64_t until;
	int fd = sv->mhd->quiesce_daemon(d);
	int longest = 0;

	if (fd >= 0) {
		close(fd);
	}
	pthread_mutex_lock(&sv->lock);
	for (size_t i = 0; i < sv->cur->c->nmods; i++) {
		if (sv->cur->c->mods[i].o.probe.run_timeout_s > longest) {
			longest = sv->cur->c->mods[i].o.probe.run_timeout_s;
		}
	}
	pthread_mutex_unlock(&sv->lock);
	until = clock_now_ms() + (int64_t)(longest + 5) * 1000;
	for (;;) {
		unsigned n;
		struct timespec ts = {0, 20 * 1000 * 1000};

		pthread_mutex_lock(&sv->lock);
		n = sv->in_flight;
		pthread_mutex_unlock(&sv->lock);
		if (n == 0 || clock_now_ms() > until) {
			if (n > 0) {
				serve_log("stopping with %u probes still in flight", n);
			}
			break;
		}
		nanosleep(&ts, NULL);
	}
	/* Answers already queued get a moment to leave. */
	{
		struct timespec ts = {0, 100 * 1000 * 1000};

		nanosleep(&ts, NULL);
	}
	sv->mhd->stop_daemon(d);
}

static void
serve_usage(FILE *out)
{
	fputs(_("Usage: smtprobe serve --config FILE [--check]\n"
	        "Run the Prometheus exporter: /probe?target=HOST[:PORT]&module=NAME probes\n"
	        "with a module of FILE (YAML) and answers the --format prometheus metrics.\n"
	        "  --config FILE   the config (see docs/prometheus.md)\n"
	        "  --check         validate the config, say so, and exit\n"
	        "SIGHUP reloads the config; SIGTERM stops once probes in flight have answered.\n"),
	    out);
}

/* The loop of the main thread: signals, blocked in every thread, are
 * taken here one at a time. */
static int
serve_loop(struct serve *sv, struct MHD_Daemon *d, const sigset_t *set)
{
	for (;;) {
		int sig;

		if (sigwait(set, &sig) != 0) {
			continue;
		}
		if (sig == SIGHUP) {
			serve_reload(sv);
			continue;
		}
		serve_log("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		serve_stop(sv, d);
		return 0;
	}
}

/* Start libmicrohttpd on c's address (HTTPS with c's certificate);
 * NULL when it cannot.  One thread per connection: a probe blocks its
 * thread for up to its deadline.  Connections beyond the limit are
 * closed by MHD; below it, requests past max_concurrent are answered 503. */
static struct MHD_Daemon *
serve_start(struct serve *sv, const struct serve_config *c)
{
	unsigned limit = c->max_concurrent * 4 + 64;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_POLL | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	struct MHD_OptionItem ops[] = {
	    {MHD_OPTION_SOCK_ADDR, 0, (void *)&c->listen},
	    {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)limit, NULL},
	    {MHD_OPTION_CONNECTION_TIMEOUT, SERVE_IDLE_S, NULL},
	    {MHD_OPTION_CONNECTION_MEMORY_LIMIT, SERVE_REQUEST_MEMORY, NULL},
	    {MHD_OPTION_END, 0, NULL},
	    {MHD_OPTION_END, 0, NULL},
	    {MHD_OPTION_END, 0, NULL},
	};

	if (c->listen.ss_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
	}
	if (c->tls_cert != NULL) {
		/* Kept for the daemon's life: a reload does not change them. */
		sv->tls_cert = strdup(c->tls_cert);
		sv->tls_key = strdup(c->tls_key);
		if (sv->tls_cert == NULL || sv->tls_key == NULL) {
			return NULL;
		}
		flags |= MHD_USE_TLS;
		ops[4] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, sv->tls_cert};
		ops[5] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, sv->tls_key};
	}
	return sv->mhd->start_daemon(
	    flags, 0, NULL, NULL, serve_handler, sv, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
}

int
cmd_serve(int argc, char **argv)
{
	struct serve sv;
	struct serve_config *c;
	struct MHD_Daemon *d;
	struct fault f;
	const char *path = NULL;
	int check = 0, rc;
	sigset_t set;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc && path == NULL) {
			path = argv[++i];
		} else if (strncmp(argv[i], "--config=", 9) == 0 && path == NULL) {
			path = argv[i] + 9;
		} else if (strcmp(argv[i], "--check") == 0) {
			check = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			serve_usage(stdout);
			return 0;
		} else {
			fprintf(stderr,
			    _("smtprobe serve: '%s': unexpected (--config FILE, --check)\n"
			      "Try 'smtprobe serve --help' for more information.\n"),
			    argv[i]);
			return SEV_UNKNOWN;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "%s",
		    _("smtprobe serve: --config FILE is required\n"
		      "Try 'smtprobe serve --help' for more information.\n"));
		return SEV_UNKNOWN;
	}
	if (serve_config_load(path, &c, &f) != 0) {
		fprintf(stderr, "smtprobe serve: %s\n", f.msg);
		return SEV_UNKNOWN;
	}
	if (check) {
		printf(_("%s: OK, %zu modules, listen %s\n"), path, c->nmods, c->listen_text);
		serve_config_free(c);
		return 0;
	}
	memset(&sv, 0, sizeof(sv));
	sv.path = path;
	sv.mhd = serve_lib_mhd(&f);
	if (sv.mhd == NULL) {
		fprintf(stderr, "smtprobe serve: %s\n", f.msg);
		serve_config_free(c);
		return SEV_UNKNOWN;
	}
	/* Each probe in flight holds at most one place: max_concurrent's
	 * largest value is enough entries whatever a reload sets. */
	sv.gate = gate_new_nowait(c->max_per_ip, SERVE_MAX_CONCURRENT);
	if (sv.gate == NULL) {
		fprintf(stderr, "smtprobe serve: %s\n", _("out of memory"));
		serve_config_free(c);
		return SEV_UNKNOWN;
	}
	pthread_mutex_init(&sv.lock, NULL);
	serve_install(&sv, c);
	/* Exposition and logs are for machines: English. */
	i18n_enable(false);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = serve_start(&sv, c);
	if (d == NULL) {
		fprintf(stderr, "smtprobe serve: cannot listen on %s\n", c->listen_text);
		rc = SEV_UNKNOWN;
	} else {
		serve_log("listening on %s (%s%s), %zu modules, max_concurrent %u", c->listen_text,
		    c->tls_cert != NULL ? "https" : "http", c->nusers > 0 ? ", basic auth" : "",
		    c->nmods, c->max_concurrent);
		rc = serve_loop(&sv, d, &set);
	}
	serve_config_free(sv.cur->c);
	free(sv.cur);
	if (sv.tls_key != NULL) {
		secret_bzero(sv.tls_key, strlen(sv.tls_key));
	}
	free(sv.tls_key);
	free(sv.tls_cert);
	pthread_mutex_destroy(&sv.lock);
	gate_free(sv.gate);
	return rc;
}
