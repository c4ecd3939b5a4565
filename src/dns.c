/* dns.c - lookups through libunbound with deadlines; see dns.h. */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "dns.h"
#include "i18n.h"
#include "target.h"
#include "ub_lib.h"

/* RR types (RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 6698 §7.1). */
enum { T_A = 1, T_MX = 15, T_TXT = 16, T_AAAA = 28, T_DNSKEY = 48, T_TLSA = 52 };
/* RCODEs (RFC 1035 §4.1.1). */
enum {
	RC_NOERROR = 0,
	RC_FORMERR = 1,
	RC_SERVFAIL = 2,
	RC_NXDOMAIN = 3,
	RC_NOTIMP = 4,
	RC_REFUSED = 5
};

int
dns_conf_server(const char *s, struct dns_conf *c, struct fault *f)
{
	struct target t;
	unsigned char a[16];

	if (target_parse(s, 53, &t, f) != 0) {
		return -1;
	}
	if (!t.is_addr ||
	    (inet_pton(AF_INET, t.host, a) != 1 && inet_pton(AF_INET6, t.host, a) != 1)) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("--dns-server '%s': give an IP address"), s);
	}
	snprintf(c->fwd, sizeof(c->fwd), "%.63s@%u", t.host, t.port);
	snprintf(c->fwd_text, sizeof(c->fwd_text), "%s", s);
	return 0;
}

int
dns_conf_anchor(const char *path, struct dns_conf *c, struct fault *f)
{
	if (access(path, R_OK) != 0) {
		return fault_set(
		    f, FAULT_PROTOCOL, errno, _("--trust-anchor '%s': %s"), path, strerror(errno));
	}
	c->anchor = path;
	return 0;
}

/* ---- the contexts, one pair for the process ------------------------ */

/* One query in flight.  Its callback runs inside ub_process, which only
 * the thread that holds the "poller" role calls, with dns_mu held.  A
 * query that ub_cancel could not stop (its answer already on the way) may
 * still be called back by a later ub_process: it is then "abandoned",
 * kept on dns_g.abandoned and freed when its answer comes or the contexts
 * go. */
struct dns_q {
	const char *name;
	int type;
	struct ub_ctx *ctx;
	int id;
	int done, err, abandoned;
	int reask; /* bogus without records: ask without validation */
	struct ub_result *res;
	struct dns_q *next; /* the abandoned list */
};

/* Every thread's lookups share two contexts (dns.h, "Threads"): waiting
 * threads take turns at polling their descriptors (one "poller" at a
 * time, the others wait on dns_cv), and every answer that comes is
 * handed to its query under dns_mu. */
static pthread_mutex_t dns_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dns_cv;
static pthread_once_t dns_cv_once = PTHREAD_ONCE_INIT;
static struct {
	struct ub_ctx *val;   /* validating */
	struct ub_ctx *raw;   /* not validating: for the records of bogus answers */
	struct dns_conf conf; /* what both were made from */
	int polling;          /* a thread polls the descriptors now */
	int waiting;          /* threads inside dns_run */
	struct dns_q *abandoned;
} dns_g;

static void
dns_cv_make(void)
{
	pthread_condattr_t a;

	/* The deadlines are CLOCK_MONOTONIC times (src/clock.c). */
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&dns_cv, &a);
	pthread_condattr_destroy(&a);
}

/* Delete the contexts and what they left; dns_mu held. */
static void
dns_free_locked(const struct ub_lib *ub)
{
	/* Outstanding queries are killed, their callbacks not called. */
	if (dns_g.val != NULL) {
		ub->ctx_delete(dns_g.val);
	}
	if (dns_g.raw != NULL) {
		ub->ctx_delete(dns_g.raw);
	}
	dns_g.val = NULL;
	dns_g.raw = NULL;
	while (dns_g.abandoned != NULL) {
		struct dns_q *q = dns_g.abandoned;

		dns_g.abandoned = q->next;
		if (q->res != NULL) {
			ub->resolve_free(q->res);
		}
		free(q);
	}
}

void
dns_end(void)
{
	struct fault f;
	const struct ub_lib *ub;

	pthread_mutex_lock(&dns_mu);
	if (dns_g.val != NULL && (ub = ub_lib_get(&f)) != NULL) {
		dns_free_locked(ub);
	}
	pthread_mutex_unlock(&dns_mu);
}

static int
dns_conf_same(const struct dns_conf *a, const struct dns_conf *b)
{
	const char *x = a->anchor != NULL ? a->anchor : "";
	const char *y = b->anchor != NULL ? b->anchor : "";

	return strcmp(a->fwd, b->fwd) == 0 && strcmp(x, y) == 0;
}

/* Set one option; 0, or -1 with f. */
static int
dns_opt(
    const struct ub_lib *ub, struct ub_ctx *ctx, const char *opt, const char *val, struct fault *f)
{
	int rc = ub->ctx_set_option(ctx, opt, val);

	if (rc != 0) {
		return fault_set(f, FAULT_INTERNAL, 0, _("libunbound option %s %s: %s"), opt, val,
		    ub->strerror(rc));
	}
	return 0;
}

/* A new context from conf, validating or not.  NULL with f filled. */
static struct ub_ctx *
dns_ctx_new(const struct ub_lib *ub, const struct dns_conf *conf, int validate, struct fault *f)
{
	struct ub_ctx *ctx = ub->ctx_create();
	const char *ta = conf->anchor;
	int rc;

	if (ctx == NULL) {
		fault_set(f, FAULT_INTERNAL, ENOMEM, _("cannot create the DNS resolver"));
		return NULL;
	}
	/* Quiet (libunbound logs to stderr by default); loopback servers
	 * allowed (the tests' and a local cache's). */
	if (dns_opt(ub, ctx, "verbosity:", "0", f) ||
	    dns_opt(ub, ctx, "do-not-query-localhost:", "no", f) ||
	    /* libunbound answers test. (RFC 6761 §6.2) and home.arpa.
	     * (RFC 8375) itself, empty, by default; labs and home networks
	     * serve names there from the resolver asked: ask it
	     * ("nodefault" set this way leaves the default in place). */
	    dns_opt(ub, ctx, "local-zone:", "test. transparent", f) ||
	    dns_opt(ub, ctx, "local-zone:", "home.arpa. transparent", f) ||
	    (!validate && dns_opt(ub, ctx, "module-config:", "iterator", f))) {
		ub->ctx_delete(ctx);
		return NULL;
	}
	/* A background thread, not a forked process, does the work. */
	(void)ub->ctx_async(ctx, 1);
	/* Missing /etc/hosts or /etc/resolv.conf: no local names; libunbound
	 * then resolves from the root itself.  Neither is an error here. */
	(void)ub->ctx_hosts(ctx, NULL);
	rc = conf->fwd[0] != '\0' ? ub->ctx_set_fwd(ctx, conf->fwd) : 0;
	if (conf->fwd[0] == '\0') {
		(void)ub->ctx_resolvconf(ctx, NULL);
	}
	if (rc != 0) {
		fault_set(f, FAULT_RESOLVE, 0, _("--dns-server %s: %s"), conf->fwd_text,
		    ub->strerror(rc));
		ub->ctx_delete(ctx);
		return NULL;
	}
	if (validate && ta == NULL && access(DNS_ROOT_KEY, R_OK) == 0) {
		ta = DNS_ROOT_KEY;
	}
	if (validate && ta != NULL && (rc = ub->ctx_add_ta_file(ctx, ta)) != 0) {
		fault_set(f, FAULT_RESOLVE, 0, _("trust anchor %s: %s"), ta, ub->strerror(rc));
		ub->ctx_delete(ctx);
		return NULL;
	}
	return ctx;
}

/* The contexts for conf, made on first use (both at once: the poller
 * watches both descriptors).  0, or -1 with f; dns_mu held. */
static int
dns_ctx_locked(const struct ub_lib *ub, const struct dns_conf *conf, struct fault *f)
{
	if (dns_g.val != NULL && dns_conf_same(&dns_g.conf, conf)) {
		return 0;
	}
	if (dns_g.val != NULL) {
		/* Other settings (the unit tests, tests/dnsq): new contexts,
		 * when no lookup runs with the old ones. */
		if (dns_g.waiting > 0) {
			return fault_set(
			    f, FAULT_INTERNAL, 0, _("DNS settings changed during lookups"));
		}
		dns_free_locked(ub);
	}
	dns_g.val = dns_ctx_new(ub, conf, 1, f);
	dns_g.raw = dns_g.val != NULL ? dns_ctx_new(ub, conf, 0, f) : NULL;
	if (dns_g.raw == NULL) {
		dns_free_locked(ub);
		return -1;
	}
	dns_g.conf = *conf;
	return 0;
}

/* ---- queries with a deadline -------------------------------------- */

static void
dns_cb(void *arg, int err, struct ub_result *res)
{
	struct dns_q *q = arg;

	q->err = err;
	q->res = res;
	q->done = 1;
}

/* Drop the abandoned queries whose answers have come; dns_mu held. */
static void
dns_reap_locked(const struct ub_lib *ub)
{
	struct dns_q **pp = &dns_g.abandoned;

	while (*pp != NULL) {
		struct dns_q *q = *pp;

		if (!q->done) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		if (q->res != NULL) {
			ub->resolve_free(q->res);
		}
		free(q);
	}
}

/* Poll both contexts' descriptors until one is readable or deadline, then
 * hand their answers over (ub_process runs the callbacks).  Called by the
 * poller with dns_mu held; released while polling. */
static void
dns_poll_locked(const struct ub_lib *ub, int64_t deadline)
{
	struct pollfd p[2] = {
	    {.fd = ub->fd(dns_g.val), .events = POLLIN},
	    {.fd = ub->fd(dns_g.raw), .events = POLLIN},
	};
	struct ub_ctx *ctx[2] = {dns_g.val, dns_g.raw};
	int ms = clock_left_ms(deadline);

	dns_g.polling = 1;
	pthread_mutex_unlock(&dns_mu);
	if (poll(p, 2, ms) < 0) {
		p[0].revents = p[1].revents = 0;
	}
	pthread_mutex_lock(&dns_mu);
	for (int i = 0; i < 2; i++) {
		if (p[i].revents != 0) {
			(void)ub->process(ctx[i]);
		}
	}
	dns_g.polling = 0;
	/* Answers for others, and the poller's turn, are free. */
	pthread_cond_broadcast(&dns_cv);
}

/* Ask every query of qs[0..n) at once (each through its q->ctx) and wait
 * for them until deadline; those not done then are cancelled (done stays
 * 0).  0, or -1 with f when a query could not be started.  dns_mu held. */
static int
dns_run_locked(
    const struct ub_lib *ub, struct dns_q **qs, size_t n, int64_t deadline, struct fault *f)
{
	struct timespec until = {(time_t)(deadline / 1000), (long)(deadline % 1000) * 1000000L};

	for (size_t i = 0; i < n; i++) {
		int rc = ub->resolve_async(
		    qs[i]->ctx, qs[i]->name, qs[i]->type, 1, qs[i], dns_cb, &qs[i]->id);

		if (rc != 0) {
			for (size_t k = 0; k < i; k++) {
				if (ub->cancel(qs[k]->ctx, qs[k]->id) != 0) {
					qs[k]->abandoned = 1;
					qs[k]->next = dns_g.abandoned;
					dns_g.abandoned = qs[k];
				}
			}
			return fault_set(f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed (%s)"),
			    qs[i]->name, ub->strerror(rc));
		}
	}
	dns_g.waiting++;
	for (;;) {
		size_t left = 0;

		for (size_t i = 0; i < n; i++) {
			left += !qs[i]->done;
		}
		if (left == 0 || clock_left_ms(deadline) == 0) {
			break;
		}
		if (!dns_g.polling) {
			dns_poll_locked(ub, deadline);
		} else {
			(void)pthread_cond_timedwait(&dns_cv, &dns_mu, &until);
		}
	}
	dns_g.waiting--;
	for (size_t i = 0; i < n; i++) {
		if (!qs[i]->done && ub->cancel(qs[i]->ctx, qs[i]->id) != 0) {
			/* Its answer is being delivered: a later ub_process will
			 * call back into it.  Keep it until then. */
			qs[i]->abandoned = 1;
			qs[i]->next = dns_g.abandoned;
			dns_g.abandoned = qs[i];
		}
	}
	dns_reap_locked(ub);
	return 0;
}

static const char *
dns_rcode_words(int rcode)
{
	switch (rcode) {
	case RC_FORMERR:
		return _("the server could not read the query (FORMERR)");
	case RC_SERVFAIL:
		return _("server failure (SERVFAIL)");
	case RC_NOTIMP:
		return _("not implemented by the server (NOTIMP)");
	case RC_REFUSED:
		return _("the server refused to answer (REFUSED)");
	default:
		return _("an error code from the server");
	}
}

/* Copy s into out, bytes outside printable ASCII as '?': the validator's
 * reasons quote names from the answers. */
static void
dns_clean(char *out, size_t outsz, const char *s)
{
	size_t i = 0;

	for (; s != NULL && *s != '\0' && i + 1 < outsz; s++) {
		out[i++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	}
	out[i] = '\0';
}

void
dns_fact_of(struct dns_fact *fact, int rcode, int secure, int bogus, const char *why, int nrecords)
{
	memset(fact, 0, sizeof(*fact));
	fact->rcode = rcode;
	fact->nrecords = nrecords;
	if (bogus) {
		/* libunbound sets rcode SERVFAIL for a bogus answer. */
		fact->sec = DNSSEC_BOGUS;
		dns_clean(fact->why, sizeof(fact->why), why != NULL ? why : "bogus");
	} else if (rcode != RC_NOERROR && rcode != RC_NXDOMAIN) {
		fact->sec = DNSSEC_FAILED;
		dns_clean(fact->why, sizeof(fact->why), dns_rcode_words(rcode));
	} else {
		fact->sec = secure ? DNSSEC_SECURE : DNSSEC_INSECURE;
	}
}

static int
dns_count(const struct ub_result *r)
{
	int n = 0;

	while (r->havedata && r->data[n] != NULL) {
		n++;
	}
	return n;
}

/* New heap queries for those of qs[0..n) that want (all when want is
 * NULL), through ctx, into run; heap[i] NULL for the others.  The count,
 * or -1 when out of memory.  On the heap: a query that cannot be
 * cancelled outlives its lookup (dns_run_locked). */
static int
dns_heap(const struct dns_q *qs, size_t n, const int *want, struct ub_ctx *ctx, struct dns_q **heap,
    struct dns_q **run)
{
	int nrun = 0;

	for (size_t i = 0; i < n; i++) {
		heap[i] = NULL;
		if (want != NULL && !want[i]) {
			continue;
		}
		heap[i] = calloc(1, sizeof(*heap[i]));
		if (heap[i] == NULL) {
			while (i > 0) {
				free(heap[--i]);
				heap[i] = NULL;
			}
			return -1;
		}
		heap[i]->name = qs[i].name;
		heap[i]->type = qs[i].type;
		heap[i]->ctx = ctx;
		run[nrun++] = heap[i];
	}
	return nrun;
}

/* The bogus answers without records asked again without validation
 * (dns.h): the records of the second answer, the fact still bogus; or,
 * when that fails too, the fact failed.  dns_mu held. */
static void
dns_reask_locked(
    const struct ub_lib *ub, struct dns_q *qs, struct dns_fact *facts, size_t n, int64_t deadline)
{
	struct dns_q *run[2], *heap[2];
	int want[2];
	struct fault f;
	int nrun;

	for (size_t i = 0; i < n; i++) {
		want[i] = qs[i].reask;
	}
	nrun = dns_heap(qs, n, want, dns_g.raw, heap, run);
	if (nrun <= 0) {
		return;
	}
	if (dns_run_locked(ub, run, (size_t)nrun, deadline, &f) != 0) {
		for (size_t i = 0; i < n; i++) {
			if (heap[i] != NULL && !heap[i]->abandoned) {
				free(heap[i]);
			}
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct dns_q *q = heap[i];
		char why[sizeof(facts[i].why)];

		if (q == NULL) {
			continue;
		}
		ub->resolve_free(qs[i].res);
		qs[i].res = NULL;
		if (q->done && q->err == 0 && q->res != NULL &&
		    (q->res->rcode == RC_NOERROR || q->res->rcode == RC_NXDOMAIN)) {
			qs[i].res = q->res;
			facts[i].nrecords = dns_count(q->res);
			facts[i].rcode = q->res->rcode;
		} else {
			/* The records could not be had either way. */
			snprintf(why, sizeof(why), "%s", facts[i].why);
			facts[i].sec = DNSSEC_FAILED;
			facts[i].rcode = q->done && q->res != NULL ? q->res->rcode : -1;
			snprintf(facts[i].why, sizeof(facts[i].why), "%.60s; %.130s",
			    !q->done             ? _("no answer before the deadline")
			        : q->res != NULL ? dns_rcode_words(q->res->rcode)
			                         : ub->strerror(q->err),
			    why);
			if (q->done && q->res != NULL) {
				ub->resolve_free(q->res);
			}
		}
		if (!q->abandoned) {
			free(q);
		}
	}
}

/* One lookup step for each of qs[0..n) (at most 2): validating, then the
 * bogus ones without records again without validation.  Facts filled;
 * each qs[i].res is the result to read records from (NULL when none
 * came).  0, or -1 with f when the lookups could not be made at all. */
static int
dns_lookup(const struct dns_conf *conf, struct dns_q *qs, struct dns_fact *facts, size_t n,
    int64_t deadline, const struct ub_lib **ubp, struct fault *f)
{
	static const struct dns_conf none;
	const struct ub_lib *ub = ub_lib_get(f);
	struct dns_q *run[2], *heap[2];
	int nrun;
	int64_t t0 = clock_now_ms();

	*ubp = ub;
	if (ub == NULL || n > 2) {
		return -1;
	}
	pthread_once(&dns_cv_once, dns_cv_make);
	pthread_mutex_lock(&dns_mu);
	if (dns_ctx_locked(ub, conf != NULL ? conf : &none, f) != 0) {
		pthread_mutex_unlock(&dns_mu);
		return -1;
	}
	nrun = dns_heap(qs, n, NULL, dns_g.val, heap, run);
	if (nrun < 0 || dns_run_locked(ub, run, (size_t)nrun, deadline, f) != 0) {
		for (size_t i = 0; nrun >= 0 && i < n; i++) {
			if (!heap[i]->abandoned) {
				free(heap[i]);
			}
		}
		pthread_mutex_unlock(&dns_mu);
		return nrun < 0 ? fault_set(f, FAULT_INTERNAL, ENOMEM, _("out of memory")) : -1;
	}
	for (size_t i = 0; i < n; i++) {
		qs[i] = *heap[i];
		if (heap[i]->abandoned) {
			qs[i].done = 0; /* dns_g.abandoned has it now */
			qs[i].res = NULL;
		} else {
			free(heap[i]);
		}
		if (!qs[i].done || qs[i].err != 0 || qs[i].res == NULL) {
			continue;
		}
		dns_fact_of(&facts[i], qs[i].res->rcode, qs[i].res->secure, qs[i].res->bogus,
		    qs[i].res->why_bogus, dns_count(qs[i].res));
		/* libunbound hands over a bogus answer's records when it has
		 * them (tests/dnssec.sh); a bogus SERVFAIL has none. */
		qs[i].reask = qs[i].res->bogus && qs[i].res->rcode != RC_NOERROR &&
		    qs[i].res->rcode != RC_NXDOMAIN;
	}
	dns_reask_locked(ub, qs, facts, n, deadline);
	pthread_mutex_unlock(&dns_mu);
	for (size_t i = 0; i < n; i++) {
		if (!qs[i].done) {
			facts[i].sec = DNSSEC_FAILED;
			facts[i].rcode = -1;
			snprintf(facts[i].why, sizeof(facts[i].why), "%s",
			    _("no answer before the deadline"));
		} else if (qs[i].err != 0 || facts[i].sec == DNSSEC_NOT_ASKED) {
			facts[i].sec = DNSSEC_FAILED;
			facts[i].rcode = -1;
			dns_clean(facts[i].why, sizeof(facts[i].why), ub->strerror(qs[i].err));
		}
		facts[i].ms = clock_now_ms() - t0;
	}
	return 0;
}

/* One RRset of name: the lookup, its fact, f set when it failed.  The
 * result to read (NULL when the fact is not usable data), or NULL. */
static struct ub_result *
dns_one(const char *name, int type, const struct dns_conf *c, int64_t deadline,
    struct dns_fact *fact, const struct ub_lib **ub, struct fault *f)
{
	struct dns_q q = {.name = name, .type = type};

	memset(fact, 0, sizeof(*fact));
	fact->rcode = -1;
	if (strlen(name) > BOUND_NAME) {
		fact->sec = DNSSEC_FAILED;
		snprintf(fact->why, sizeof(fact->why), "%s", _("name too long"));
		fault_set(
		    f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed (not a valid name)"), name);
		return NULL;
	}
	if (clock_left_ms(deadline) == 0) {
		fact->sec = DNSSEC_FAILED;
		snprintf(fact->why, sizeof(fact->why), "%s", _("no time left"));
		fault_set(f, FAULT_RESOLVE, ETIMEDOUT, _("DNS lookup of %s not made: no time left"),
		    name);
		return NULL;
	}
	if (dns_lookup(c, &q, fact, 1, deadline, ub, f) != 0) {
		fact->sec = DNSSEC_FAILED;
		snprintf(fact->why, sizeof(fact->why), "%.190s", f->msg);
		return NULL;
	}
	if (fact->sec == DNSSEC_FAILED) {
		if (q.res != NULL) {
			(*ub)->resolve_free(q.res);
		}
		fault_set(f, FAULT_RESOLVE, q.done ? 0 : ETIMEDOUT,
		    q.done ? _("DNS lookup of %s failed (%s)")
		           : _("DNS lookup of %s: no answer before the deadline"),
		    name, fact->why);
		return NULL;
	}
	return q.res;
}

/* The RRset of name and type, each RDATA handed to keep(out, *n, rdata,
 * len) while fewer than max are kept (keep returns 0 when it kept the
 * record, -1 to pass over a malformed one), the rest counted in
 * *dropped.  0, or -1 with f set (dns_one). */
static int
dns_rrset(const char *name, int type, const struct dns_conf *c, int64_t deadline,
    int (*keep)(void *out, size_t i, const uint8_t *p, size_t len), void *out, size_t max,
    size_t *n, size_t *dropped, struct dns_fact *fact, struct fault *f)
{
	const struct ub_lib *ub = NULL;
	struct ub_result *r = dns_one(name, type, c, deadline, fact, &ub, f);

	*n = 0;
	*dropped = 0;
	if (r == NULL) {
		return -1;
	}
	for (int i = 0; r->havedata && r->data[i] != NULL; i++) {
		if (*n == max) {
			(*dropped)++;
			continue;
		}
		if (keep(out, *n, (const uint8_t *)r->data[i],
		        r->len[i] > 0 ? (size_t)r->len[i] : 0) == 0) {
			(*n)++;
		}
	}
	ub->resolve_free(r);
	return 0;
}

/* ---- MX ------------------------------------------------------------ */

/* A domain name in wire form (uncompressed, as libunbound hands RDATA)
 * at p[0..len) to text without the final dot, bytes outside letters,
 * digits, '-', '_', '[', ']' and ':' as \DDD (RFC 1035 §5.1).  0, or -1
 * when malformed or too long. */
static int
dns_name_text(const uint8_t *p, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	while (i < len && p[i] != 0) {
		size_t l = p[i++];

		if (l > 63 || i + l > len) {
			return -1;
		}
		if (o > 0 && o + 1 < outsz) {
			out[o++] = '.';
		}
		for (size_t k = 0; k < l; k++, i++) {
			uint8_t c = p[i];
			int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '[' ||
			    c == ']' || c == ':';

			if (o + (plain ? 1 : 4) >= outsz) {
				return -1;
			}
			if (plain) {
				out[o++] = (char)c;
			} else {
				o += (size_t)snprintf(out + o, outsz - o, "\\%03u", c);
			}
		}
	}
	if (i >= len || o >= outsz) {
		return -1; /* no root label */
	}
	out[o] = '\0';
	return 0;
}

static void
dns_mx_sort(struct dns_mx *out, size_t n)
{
	/* Stable by preference: the answer's order breaks ties. */
	for (size_t i = 1; i < n; i++) {
		struct dns_mx key = out[i];
		size_t j = i;

		while (j > 0 && out[j - 1].pref > key.pref) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = key;
	}
}

/* One MX RDATA (RFC 1035 §3.3.9: PREFERENCE, EXCHANGE) into out[i]. */
static int
dns_mx_keep(void *out, size_t i, const uint8_t *d, size_t len)
{
	struct dns_mx *mx = (struct dns_mx *)out + i;

	if (len < 3 || dns_name_text(d + 2, len - 2, mx->host, sizeof(mx->host)) != 0) {
		return -1;
	}
	mx->pref = (d[0] << 8) | d[1];
	return 0;
}

int
dns_mx(const char *domain, const struct dns_conf *c, int64_t deadline, struct dns_mx *out,
    size_t *n, struct dns_fact *fact, struct fault *f)
{
	size_t dropped;

	if (dns_rrset(domain, T_MX, c, deadline, dns_mx_keep, out, DNS_MAX_MX, n, &dropped, fact,
	        f) != 0) {
		return -1;
	}
	if (fact->rcode == RC_NXDOMAIN) {
		return DNS_MX_NXDOMAIN;
	}
	if (*n == 0) {
		return DNS_MX_NONE;
	}
	/* RFC 7505 §3: a single MX of preference 0 naming the root. */
	if (*n == 1 && out[0].host[0] == '\0' && out[0].pref == 0) {
		*n = 0;
		return DNS_MX_NULL;
	}
	dns_mx_sort(out, *n);
	return DNS_MX_FOUND;
}

/* ---- A and AAAA ------------------------------------------------------ */

static void
dns_collect(const struct ub_result *r, int type, unsigned port, struct dns_addrs *out)
{
	for (int i = 0; r != NULL && r->havedata && r->data[i] != NULL; i++) {
		struct sockaddr_storage *ss = &out->addr[out->n];

		if ((type == T_A && r->len[i] != 4) || (type == T_AAAA && r->len[i] != 16)) {
			continue;
		}
		if (out->n == DNS_MAX_ADDRS) {
			out->dropped++;
			continue;
		}
		memset(ss, 0, sizeof(*ss));
		if (type == T_A) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons((uint16_t)port);
			memcpy(&sin->sin_addr, r->data[i], 4);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)port);
			memcpy(&sin6->sin6_addr, r->data[i], 16);
		}
		out->n++;
	}
}

/* No address came: say why, the first failure first. */
static int
dns_addrs_fault(const char *host, const struct dns_conf *c, const struct dns_q *qs,
    const struct dns_fact *facts, size_t nq, int64_t t0, int64_t deadline, struct fault *f)
{
	int nxall = 1;

	for (size_t i = 0; i < nq; i++) {
		if (facts[i].sec == DNSSEC_FAILED && !qs[i].done) {
			int64_t s = (deadline - t0 + 999) / 1000;

			return fault_set(f, FAULT_RESOLVE, ETIMEDOUT,
			    _("name lookup of %s gave no answer within %lld s"), host,
			    (long long)(s > 0 ? s : 0));
		}
		if (facts[i].sec == DNSSEC_FAILED) {
			return fault_set(f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed (%s)"),
			    host, facts[i].why);
		}
		nxall = nxall && facts[i].rcode == RC_NXDOMAIN;
	}
	if (c != NULL && c->fwd[0] != '\0') {
		return fault_set(f, FAULT_RESOLVE, 0,
		    nxall ? _("cannot resolve %s at %s: no such domain")
		          : _("cannot resolve %s at %s: no address records"),
		    host, c->fwd_text);
	}
	return fault_set(f, FAULT_RESOLVE, 0,
	    nxall ? _("cannot resolve %s: no such domain")
	          : _("cannot resolve %s: no address records"),
	    host);
}

int
dns_addrs(const char *host, const struct dns_conf *c, int family, unsigned port, int64_t deadline,
    struct dns_addrs *out, struct fault *f)
{
	struct dns_q qs[2];
	struct dns_fact facts[2];
	struct dns_fact *dst[2];
	const struct ub_lib *ub = NULL;
	size_t nq = 0;
	int64_t t0 = clock_now_ms();

	memset(out, 0, sizeof(*out));
	memset(qs, 0, sizeof(qs));
	memset(facts, 0, sizeof(facts));
	if (family != AF_INET) {
		qs[nq].name = host;
		qs[nq].type = T_AAAA;
		dst[nq++] = &out->aaaa;
	}
	if (family != AF_INET6) {
		qs[nq].name = host;
		qs[nq].type = T_A;
		dst[nq++] = &out->a;
	}
	if (strlen(host) > BOUND_NAME) {
		return fault_set(f, FAULT_RESOLVE, 0, _("cannot resolve %s: name too long"), host);
	}
	/* Both families at once: each has the whole time. */
	if (dns_lookup(c, qs, facts, nq, deadline, &ub, f) != 0) {
		return -1;
	}
	for (size_t i = 0; i < nq; i++) {
		*dst[i] = facts[i];
		if (qs[i].res != NULL) {
			if (facts[i].sec != DNSSEC_FAILED) {
				dns_collect(qs[i].res, qs[i].type, port, out);
			}
			ub->resolve_free(qs[i].res);
		}
	}
	if (out->n > 0) {
		return 0;
	}
	return dns_addrs_fault(host, c, qs, facts, nq, t0, deadline, f);
}

/* ---- TLSA and TXT ------------------------------------------------------ */

static int
dns_tlsa_keep(void *out, size_t i, const uint8_t *p, size_t len)
{
	struct dns_rdata *rd = (struct dns_rdata *)out + i;

	rd->cut = len > DNS_RDATA_MAX;
	rd->len = len > DNS_RDATA_MAX ? DNS_RDATA_MAX : len;
	memcpy(rd->data, p, rd->len);
	return 0;
}

int
dns_tlsa(const char *name, const struct dns_conf *c, int64_t deadline, struct dns_rdata *out,
    size_t max, size_t *n, size_t *dropped, struct dns_fact *fact, struct fault *f)
{
	return dns_rrset(name, T_TLSA, c, deadline, dns_tlsa_keep, out, max, n, dropped, fact, f);
}

/* One TXT RDATA's character-strings (RFC 1035 §3.3.14) concatenated. */
static void
dns_txt_join(const uint8_t *p, size_t len, struct dns_txt *t)
{
	size_t i = 0;

	t->len = 0;
	t->cut = 0;
	while (i < len) {
		size_t l = p[i++];

		if (i + l > len) {
			l = len - i; /* a string running past the RDATA: keep what is there */
			t->cut = 1;
		}
		for (size_t k = 0; k < l; k++) {
			if (t->len == DNS_TXT_MAX) {
				t->cut = 1;
				break;
			}
			t->text[t->len++] = (char)p[i + k];
		}
		i += l;
	}
	t->text[t->len] = '\0';
}

static int
dns_txt_keep(void *out, size_t i, const uint8_t *p, size_t len)
{
	dns_txt_join(p, len, (struct dns_txt *)out + i);
	return 0;
}

int
dns_txt(const char *name, const struct dns_conf *c, int64_t deadline, struct dns_txt *out,
    size_t max, size_t *n, size_t *dropped, struct dns_fact *fact, struct fault *f)
{
	return dns_rrset(name, T_TXT, c, deadline, dns_txt_keep, out, max, n, dropped, fact, f);
}

/* ---- Can this resolver's answers be validated at all? ----------------- */

int
dns_validation_works(const struct dns_conf *c, int64_t deadline, char *why, size_t whysz)
{
	const struct ub_lib *ub = NULL;
	struct dns_fact fact;
	struct fault f;
	struct ub_result *r;

	why[0] = '\0';
	/* A trust anchor the user gave is theirs to vouch for (a private
	 * zone's key, a lab): nothing to check against the root. */
	if (c != NULL && c->anchor != NULL) {
		return 1;
	}
	/* The root's own DNSKEY RRset is signed by the key the default
	 * anchor names: when even it does not validate, the resolver in
	 * between does not hand over DNSSEC records (RFC 4035 §3.2.1: the DO
	 * bit), or the anchor is not there, and every "bogus" would be
	 * smtprobe's, not the domain's. */
	r = dns_one(".", T_DNSKEY, c, deadline, &fact, &ub, &f);
	if (r != NULL) {
		ub->resolve_free(r);
	}
	if (fact.sec == DNSSEC_SECURE) {
		return 1;
	}
	snprintf(why, whysz, _("the root zone's keys do not validate through %s (%s%s%.150s)"),
	    c != NULL && c->fwd_text[0] != '\0' ? c->fwd_text : _("the system's resolvers"),
	    dnssec_status_name(fact.sec), fact.why[0] ? ": " : "", fact.why);
	return 0;
}
