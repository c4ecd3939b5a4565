/* fleet.c - many targets, a pool of probes, reports in input order.  See
 * fleet.h. */
#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "dns.h"
#include "fleet.h"
#include "gate.h"
#include "judge.h"
#include "i18n.h"
#include "progress.h"
#include "retry.h"

/* What a window slot holds: nothing yet, a report, no report because
 * memory ran out for it, or none because the job repeats an earlier
 * identical one and was not probed. */
enum fleet_slot_state { FLEET_EMPTY = 0, FLEET_REPORT, FLEET_OOM, FLEET_REUSED };

struct fleet_slot {
	enum fleet_slot_state state;
	struct report *r; /* set only with FLEET_REPORT */
};

/* How often the progress line is drawn again while nothing finishes
 * (the slowest probe's seconds go on counting). */
#define FLEET_REDRAW_MS 500

struct fleet {
	const struct fleet_job *jobs;
	size_t n;
	size_t window; /* jobs claimable past the oldest not handed over */
	const struct fleet_conf *conf;
	const struct probe_opts *base;
	struct tls_ctx *tls;
	const struct policy *pol;
	struct gate *gate;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t next;             /* the next job to claim */
	size_t emitted;          /* jobs handed to the caller */
	struct fleet_slot *slot; /* window slots: job i lives in slot i % window */
	int64_t *started;        /* per slot: when its probe started, 0 when none runs */
	size_t *next_dup;        /* per job: the next identical job, or n (the plan) */
	size_t *orig;            /* per job: the job whose record it repeats, or n */
	size_t *last_dup;        /* per job: the last job repeating its record, or n */
	size_t nkept;            /* records promised to later identical jobs */
	size_t done;             /* probes finished (and repeats handed over) */
	size_t by_sev[SEV_UNKNOWN + 1];
};

/* Probe one job (o: with its target, and for one address of a host, that
 * address) into r (report_init'ed). */
static void
fleet_probe(const struct fleet *fl, const struct fleet_job *job, const struct probe_opts *o,
    struct report *r)
{
	if (job->mx_outcome == MXO_NONE || job->mx_outcome == MXO_HOST ||
	    job->mx_outcome == MXO_IMPLICIT) {
		retry_run(o, fl->tls, r);
	} else {
		struct fault f;

		if (target_parse(job->target, o->port, &r->target, &f) != 0) {
			snprintf(r->target.host, sizeof(r->target.host), "%s", job->target);
		}
		/* Nothing was probed: the lookup was all the time spent. */
		r->total_ms = job->mx_ms;
		probe_policy_facts(o, r);
	}
	/* The lookup's facts join the record, and the judge words them. */
	snprintf(r->mx_domain, sizeof(r->mx_domain), "%s", job->mx_domain);
	snprintf(r->mx_domain_u, sizeof(r->mx_domain_u), "%s", job->mx_domain_u);
	snprintf(r->mx_error, sizeof(r->mx_error), "%s", job->mx_error);
	r->mx_outcome = job->mx_outcome;
	r->mx_pref = job->mx_pref;
	r->mx_ms = job->mx_ms;
}

/* Judge r again (its facts are complete) and apply the policy. */
static void
fleet_judge(const struct fleet *fl, const struct probe_opts *o, struct report *r)
{
	struct judge_opts jo;

	probe_judge_opts(o, &jo);
	judge_report(r, &jo);
	policy_apply(fl->pol, r);
}

/* The addresses of a job to probe one by one (--all-addresses), or NULL
 * when the job is probed as one (no all_addresses, an address literal,
 * no memory).  A failed lookup gives one "address" that carries the
 * failure, so the name is not looked up twice. */
static struct net_pre *
fleet_addresses(const struct fleet *fl, const struct fleet_job *job, size_t *n, size_t *more)
{
	struct target t;
	struct fault f;
	struct dns_addrs *da;
	struct net_pre *pre;
	int family = fl->base->family;

	*n = 0;
	*more = 0;
	if (!job->all_addresses ||
	    (job->mx_outcome != MXO_NONE && job->mx_outcome != MXO_HOST &&
	        job->mx_outcome != MXO_IMPLICIT) ||
	    target_parse(job->target, fl->base->port, &t, &f) != 0 || t.is_addr ||
	    (da = malloc(sizeof(*da))) == NULL) {
		return NULL;
	}
	pre = calloc(BOUND_HOST_ADDRS, sizeof(*pre));
	if (pre == NULL) {
		free(da);
		return NULL;
	}
	/* One lookup, bounded like a step, as net_connect's own; only the
	 * family --source-address can speak for, when it names one. */
	fault_clear(&f);
	if (family == AF_UNSPEC && fl->base->source != NULL) {
		family = fl->base->source->family;
	}
	if (dns_addrs(t.host, fl->base->dns, family, t.port,
	        clock_now_ms() + (int64_t)fl->base->step_timeout_s * 1000, da, &f) != 0) {
		pre[0].failed = 1;
		pre[0].fault = f;
		pre[0].aaaa = da->aaaa;
		pre[0].a = da->a;
		*n = 1;
	}
	for (size_t k = 0; k < da->n && *n < BOUND_HOST_ADDRS && !pre[0].failed; k++) {
		pre[*n].addr = da->addr[k];
		pre[*n].aaaa = da->aaaa;
		pre[(*n)++].a = da->a;
	}
	*more = pre[0].failed ? 0 : da->n - *n + da->dropped;
	free(da);
	return pre;
}

/* Name the address of record r, the k-th of n, in its group. */
static void
fleet_group_name(struct report *r, const struct net_pre *pre, size_t k, size_t n)
{
	const struct sockaddr_storage *ss = &pre->addr;
	const void *a = ss->ss_family == AF_INET6
	    ? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
	    : (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	r->group.index = k + 1;
	r->group.count = n;
	r->group.family = ss->ss_family;
	if (pre->failed ||
	    inet_ntop(ss->ss_family, a, r->group.addr, sizeof(r->group.addr)) == NULL) {
		r->group.addr[0] = '\0';
	}
}

/* Probe one job into a fresh report (NULL only when memory ran out); with
 * --all-addresses, one report per address, chained by next_addr, compared
 * (judge_addresses) and given the host's verdict, the worst of them. */
static struct report *
fleet_one(const struct fleet *fl, const struct fleet_job *job)
{
	struct report *reps[BOUND_HOST_ADDRS];
	struct probe_opts o = *fl->base;
	size_t n = 0, more = 0;
	struct net_pre *pre = fleet_addresses(fl, job, &n, &more);
	/* A failed lookup is one record, as without --all-addresses. */
	int grouped = pre != NULL && !pre[0].failed;
	enum sev host = SEV_OK;

	o.target = job->target;
	/* The run's --per-ip gate, else the caller's own (serve's max_per_ip). */
	o.gate = fl->gate != NULL ? fl->gate : fl->base->gate;
	o.dane = o.dane || job->dane;
	o.mx_fact = job->mx_fact;
	o.dane_nexthop = job->mx_domain;
	o.sts = job->sts != NULL ? job->sts : o.sts;
	o.tlsrpt = job->tlsrpt != NULL ? job->tlsrpt : o.tlsrpt;
	/* A host named by an MX record came from DNS, which anyone on the
	 * path can forge; --tls-name is a name the user gave. */
	o.name_from_dns = job->mx_outcome == MXO_HOST && o.tls_name == NULL;
	for (size_t k = 0; k < (pre != NULL ? n : 1); k++) {
		struct report *r = malloc(sizeof(*r));

		if (r == NULL) {
			n = k;
			break;
		}
		report_init(r);
		o.pre = pre != NULL ? &pre[k] : NULL;
		fleet_probe(fl, job, &o, r);
		if (grouped) {
			fleet_group_name(r, &pre[k], k, n);
		}
		reps[k] = r;
		if (k > 0) {
			reps[k - 1]->next_addr = r;
		}
		if (pre == NULL) {
			n = 1;
		}
	}
	free(pre);
	if (n == 0) {
		return NULL;
	}
	if (n > 1) {
		judge_addresses(reps, n);
	}
	for (size_t k = 0; k < n; k++) {
		if (job->mx_outcome != MXO_NONE || reps[k]->group.count > 0) {
			fleet_judge(fl, &o, reps[k]);
		} else {
			policy_apply(fl->pol, reps[k]);
		}
		host = sev_worst(host, reps[k]->verdict);
	}
	for (size_t k = 0; k < n; k++) {
		reps[k]->group.host_verdict = host;
		reps[k]->group.count = grouped ? n : 0; /* fewer when memory ran out */
		reps[k]->group.not_probed = grouped ? more : 0;
	}
	return reps[0];
}

/* --- The plan: which jobs are the same probe ------------------------ */

struct fleet_key {
	char *key;
	size_t index;
};

static int
fleet_key_cmp(const void *a, const void *b)
{
	const struct fleet_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0) {
		return c;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

/* What makes two jobs the same probe: the host (case does not matter in
 * DNS names, RFC 4343), the port, the options (the same for every job but
 * name_from_dns, which follows the MX outcome) and the --mx domain, whose
 * facts join the record.  NULL for a job that is not probed. */
static char *
fleet_job_key(const struct fleet_job *job, const struct probe_opts *base)
{
	struct target t;
	struct fault f;
	char *key, *p;
	size_t size = sizeof(t.host) + sizeof(job->mx_domain) + 32;

	if (job->mx_outcome != MXO_NONE && job->mx_outcome != MXO_HOST &&
	    job->mx_outcome != MXO_IMPLICIT) {
		return NULL;
	}
	if (target_parse(job->target, base->port, &t, &f) != 0 || (key = malloc(size)) == NULL) {
		return NULL;
	}
	snprintf(key, size, "%s\n%u\n%d\n%s\n%d", t.host, t.port, (int)job->mx_outcome,
	    job->mx_domain, job->all_addresses);
	for (p = key; *p != '\0' && !t.is_unix; p++) {
		*p = (char)tolower((unsigned char)*p); /* names, not paths, ignore case */
	}
	return key;
}

/* Fill next_dup; without memory for the plan, every job is probed. */
static void
fleet_plan(struct fleet *fl)
{
	struct fleet_key *k = calloc(fl->n, sizeof(*k));
	size_t nk = 0;

	for (size_t i = 0; i < fl->n; i++) {
		fl->next_dup[i] = fl->orig[i] = fl->last_dup[i] = fl->n;
	}
	if (k == NULL) {
		return;
	}
	for (size_t i = 0; i < fl->n; i++) {
		char *key = fleet_job_key(&fl->jobs[i], fl->base);

		if (key != NULL) {
			k[nk].key = key;
			k[nk++].index = i;
		}
	}
	qsort(k, nk, sizeof(*k), fleet_key_cmp);
	for (size_t i = 0; i + 1 < nk; i++) {
		if (strcmp(k[i].key, k[i + 1].key) == 0) {
			fl->next_dup[k[i].index] = k[i + 1].index;
		}
	}
	for (size_t i = 0; i < nk; i++) {
		free(k[i].key);
	}
	free(k);
}

/* --- Claiming and finishing jobs (under fl->lock) -------------------- */

static void
fleet_trace(const struct fleet *fl, const char *what, size_t i, const char *verdict)
{
	if (fl->conf->trace) {
		fprintf(stderr, "fleet: %s %zu %s%s%s\n", what, i + 1, fl->jobs[i].target,
		    verdict ? " " : "", verdict ? verdict : "");
	}
}

/* Job i is claimed: 1 when it must be probed, 0 when it repeats an
 * earlier record (its slot is then marked). */
static int
fleet_claim_locked(struct fleet *fl, size_t i)
{
	size_t last = fl->n;

	if (fl->orig[i] != fl->n) {
		fl->slot[i % fl->window].state = FLEET_REUSED;
		fleet_trace(fl, "reused", i, NULL);
		return 0;
	}
	if (fl->next_dup[i] != fl->n && fl->nkept < BOUND_FLEET_KEPT) {
		/* Later identical jobs will repeat this one's record; they are
		 * not claimed yet (claims go in input order). */
		fl->nkept++;
		for (size_t j = fl->next_dup[i]; j != fl->n; j = fl->next_dup[j]) {
			fl->orig[j] = i;
			last = j;
		}
		fl->last_dup[i] = last;
	}
	fl->started[i % fl->window] = clock_now_ms();
	fleet_trace(fl, "start", i, NULL);
	return 1;
}

/* A job's verdict: its host's, the worst of its addresses, when
 * --all-addresses made several records. */
static enum sev
fleet_verdict(const struct report *r)
{
	return r->group.count > 0 ? r->group.host_verdict : r->verdict;
}

static void
fleet_finish_locked(struct fleet *fl, size_t i, struct report *r)
{
	fl->slot[i % fl->window].state = r != NULL ? FLEET_REPORT : FLEET_OOM;
	fl->slot[i % fl->window].r = r;
	fl->started[i % fl->window] = 0;
	fl->done++;
	fl->by_sev[r != NULL && fleet_verdict(r) <= SEV_UNKNOWN ? fleet_verdict(r) : SEV_UNKNOWN]++;
	fleet_trace(fl, "done", i, r != NULL ? sev_name(fleet_verdict(r)) : sev_name(SEV_UNKNOWN));
}

static void *
fleet_worker(void *arg)
{
	struct fleet *fl = arg;

	for (;;) {
		struct report *r;
		size_t i;
		int probe;

		pthread_mutex_lock(&fl->lock);
		while (fl->next < fl->n && fl->next >= fl->emitted + fl->window) {
			pthread_cond_wait(&fl->cond, &fl->lock);
		}
		if (fl->next >= fl->n) {
			pthread_mutex_unlock(&fl->lock);
			return NULL;
		}
		i = fl->next++;
		probe = fleet_claim_locked(fl, i);
		if (!probe) {
			pthread_cond_broadcast(&fl->cond);
		}
		pthread_mutex_unlock(&fl->lock);
		if (!probe) {
			continue;
		}
		r = fleet_one(fl, &fl->jobs[i]);

		pthread_mutex_lock(&fl->lock);
		fleet_finish_locked(fl, i, r);
		pthread_cond_broadcast(&fl->cond);
		pthread_mutex_unlock(&fl->lock);
	}
}

/* --- Handing reports over, in order (the calling thread) ------------- */

static enum sev
fleet_emit_oom(size_t i, fleet_emit_fn emit, void *arg)
{
	struct report oom;
	struct judge_opts jo = {0};

	report_init(&oom);
	report_internal(&oom, _("out of memory for target %zu"), i + 1);
	judge_report(&oom, &jo);
	emit(&oom, i, arg);
	return SEV_UNKNOWN;
}

/* Job i repeats job o's record r: the same facts, its own MX preference,
 * judged again (the judge is pure, and rebuilds the findings). */
static enum sev
fleet_emit_reused(
    const struct fleet *fl, struct report *r, size_t i, size_t o, fleet_emit_fn emit, void *arg)
{
	struct probe_opts po = *fl->base;
	struct judge_opts jo;

	po.name_from_dns = fl->jobs[i].mx_outcome == MXO_HOST && po.tls_name == NULL;
	probe_judge_opts(&po, &jo);
	for (struct report *a = r; a != NULL; a = a->next_addr) {
		a->reused_of = o + 1;
		a->mx_pref = fl->jobs[i].mx_pref;
		judge_report(a, &jo);
		policy_apply(fl->pol, a);
		emit(a, i, arg);
	}
	return fleet_verdict(r);
}

static void
fleet_release(struct report *r)
{
	while (r != NULL) {
		struct report *next = r->next_addr;

		report_free(r);
		free(r);
		r = next;
	}
}

/* The progress line, from the counts (under fl->lock). */
static void
fleet_progress_locked(const struct fleet *fl, char *line, size_t size)
{
	struct progress_state s = {
	    .done = fl->done,
	    .total = fl->n,
	    .ok = fl->by_sev[SEV_OK],
	    .warning = fl->by_sev[SEV_WARNING],
	    .critical = fl->by_sev[SEV_CRITICAL],
	    .unknown = fl->by_sev[SEV_UNKNOWN],
	};
	int64_t now = clock_now_ms();

	for (size_t i = fl->emitted; i < fl->next && i < fl->emitted + fl->window; i++) {
		int64_t t = fl->started[i % fl->window];

		if (t != 0 && (s.slowest == NULL || now - t > s.slowest_ms)) {
			s.slowest = fl->jobs[i].target;
			s.slowest_ms = now - t;
		}
	}
	progress_format(line, size, &s, PROGRESS_COLUMNS);
}

/* Wait for job i's slot (threads run), or probe it here (none could
 * start).  Returns what the slot held, and empties it. */
static struct fleet_slot
fleet_take(struct fleet *fl, size_t i, unsigned nthreads, int *shown)
{
	struct fleet_slot got;
	struct report *r;
	char line[512];

	pthread_mutex_lock(&fl->lock);
	if (nthreads == 0) {
		int probe = fleet_claim_locked(fl, i);

		fl->next = i + 1;
		if (probe && fl->conf->progress) {
			fleet_progress_locked(fl, line, sizeof(line));
			progress_draw(stderr, line, shown);
		}
		pthread_mutex_unlock(&fl->lock);
		r = probe ? fleet_one(fl, &fl->jobs[i]) : NULL;
		pthread_mutex_lock(&fl->lock);
		if (probe) {
			fleet_finish_locked(fl, i, r);
		}
	}
	while (fl->slot[i % fl->window].state == FLEET_EMPTY) {
		struct timespec ts;

		if (fl->conf->progress) {
			fleet_progress_locked(fl, line, sizeof(line));
			progress_draw(stderr, line, shown);
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += FLEET_REDRAW_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		(void)pthread_cond_timedwait(&fl->cond, &fl->lock, &ts);
	}
	got = fl->slot[i % fl->window];
	memset(&fl->slot[i % fl->window], 0, sizeof(got));
	pthread_mutex_unlock(&fl->lock);
	return got;
}

/* Hand job i's report over; keep it when later jobs repeat it. */
static enum sev
fleet_hand_over(struct fleet *fl, struct report **kept, size_t i, struct fleet_slot got,
    fleet_emit_fn emit, void *arg)
{
	struct report *r = got.r;
	enum sev v;

	if (got.state == FLEET_REUSED) {
		size_t o = fl->orig[i];

		v = kept[o] != NULL ? fleet_emit_reused(fl, kept[o], i, o, emit, arg)
		                    : fleet_emit_oom(i, emit, arg);
		pthread_mutex_lock(&fl->lock);
		fl->done++;
		fl->by_sev[v <= SEV_UNKNOWN ? v : SEV_UNKNOWN]++;
		if (fl->last_dup[o] == i) {
			fleet_release(kept[o]);
			kept[o] = NULL;
			fl->nkept--;
		}
		pthread_mutex_unlock(&fl->lock);
		return v;
	}
	if (got.state == FLEET_OOM) {
		return fleet_emit_oom(i, emit, arg);
	}
	for (const struct report *a = r; a != NULL; a = a->next_addr) {
		emit(a, i, arg);
	}
	v = fleet_verdict(r);
	pthread_mutex_lock(&fl->lock);
	if (fl->last_dup[i] != fl->n) {
		kept[i] = r;
		r = NULL;
	}
	pthread_mutex_unlock(&fl->lock);
	fleet_release(r);
	return v;
}

static int
fleet_alloc(struct fleet *fl, struct report ***kept)
{
	fl->slot = calloc(fl->window, sizeof(*fl->slot));
	fl->started = calloc(fl->window, sizeof(*fl->started));
	fl->next_dup = calloc(fl->n, sizeof(*fl->next_dup));
	fl->orig = calloc(fl->n, sizeof(*fl->orig));
	fl->last_dup = calloc(fl->n, sizeof(*fl->last_dup));
	*kept = calloc(fl->n, sizeof(**kept));
	return fl->slot && fl->started && fl->next_dup && fl->orig && fl->last_dup && *kept ? 0
	                                                                                    : -1;
}

static void
fleet_dealloc(struct fleet *fl, struct report **kept)
{
	if (kept != NULL) {
		for (size_t i = 0; i < fl->n; i++) {
			fleet_release(kept[i]);
		}
	}
	free(kept);
	free(fl->slot);
	free(fl->started);
	free(fl->next_dup);
	free(fl->orig);
	free(fl->last_dup);
}

enum sev
fleet_run_conf(const struct fleet_conf *conf, const struct fleet_job *jobs, size_t n,
    const struct probe_opts *base, struct tls_ctx *tls, const struct policy *pol,
    fleet_emit_fn emit, void *arg)
{
	unsigned parallel = conf->parallel ? conf->parallel : 1;
	struct fleet fl = {
	    .jobs = jobs,
	    .n = n,
	    .conf = conf,
	    .base = base,
	    .tls = tls,
	    .pol = pol,
	};
	struct report **kept = NULL;
	pthread_t *threads = NULL;
	unsigned nthreads = 0;
	enum sev worst = SEV_OK;
	int shown = 0;

	if (n == 0) {
		return worst;
	}
	if (parallel > n) {
		parallel = (unsigned)n;
	}
	{
		/* A job with every address of its host holds up to
		 * BOUND_HOST_ADDRS reports: fewer such jobs wait ahead. */
		size_t ahead = BOUND_FLEET_AHEAD;

		for (size_t i = 0; i < n; i++) {
			if (jobs[i].all_addresses) {
				ahead = BOUND_FLEET_AHEAD / BOUND_HOST_ADDRS;
				break;
			}
		}
		fl.window = parallel + ahead < n ? parallel + ahead : n;
	}
	if (fleet_alloc(&fl, &kept) != 0) {
		fleet_dealloc(&fl, kept);
		for (size_t i = 0; i < n; i++) {
			worst = sev_worst(worst, fleet_emit_oom(i, emit, arg));
		}
		return worst;
	}
	fleet_plan(&fl);
	/* The limit matters only when more than per_ip probes run at once. */
	if (conf->per_ip > 0 && conf->per_ip < parallel) {
		fl.gate = gate_new(conf->per_ip, parallel);
	}
	pthread_mutex_init(&fl.lock, NULL);
	pthread_cond_init(&fl.cond, NULL);
	if (parallel > 1 && (threads = calloc(parallel, sizeof(*threads))) != NULL) {
		for (unsigned t = 0; t < parallel; t++) {
			if (pthread_create(&threads[nthreads], NULL, fleet_worker, &fl) == 0) {
				nthreads++;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct fleet_slot got = fleet_take(&fl, i, nthreads, &shown);

		if (conf->progress) {
			progress_clear(stderr, &shown);
		}
		worst = sev_worst(worst, fleet_hand_over(&fl, kept, i, got, emit, arg));
		pthread_mutex_lock(&fl.lock);
		fl.emitted = i + 1;
		pthread_cond_broadcast(&fl.cond);
		pthread_mutex_unlock(&fl.lock);
	}
	if (conf->progress) {
		progress_clear(stderr, &shown);
	}
	for (unsigned t = 0; t < nthreads; t++) {
		pthread_join(threads[t], NULL);
	}
	pthread_cond_destroy(&fl.cond);
	pthread_mutex_destroy(&fl.lock);
	gate_free(fl.gate);
	fleet_dealloc(&fl, kept);
	free(threads);
	return worst;
}

enum sev
fleet_run(const struct fleet_job *jobs, size_t n, unsigned parallel, const struct probe_opts *base,
    struct tls_ctx *tls, const struct policy *pol, fleet_emit_fn emit, void *arg)
{
	struct fleet_conf conf = {.parallel = parallel};

	return fleet_run_conf(&conf, jobs, n, base, tls, pol, emit, arg);
}
