#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "judge.h"
#include "i18n.h"

struct fleet {
	const struct fleet_job *jobs;
	size_t n;
	unsigned parallel;
	const struct probe_opts *base;
	struct tls_ctx *tls;
	const struct policy *pol;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t next;            /* the next job to claim */
	size_t emitted;         /* jobs handed to the caller */
	struct report **slot;   /* parallel slots; job i lives in slot i % parallel */
};

/* Probe one job into a fresh report (never NULL: an allocation failure is
 * itself reported, as UNKNOWN). */
static struct report *
fleet_one(const struct fleet *fl, const struct fleet_job *job)
{
	struct report *r = malloc(sizeof(*r));
	struct probe_opts o = *fl->base;

	if (r == NULL) {
		return NULL;
	}
	report_init(r);
	o.target = job->target;
	/* A host named by an MX record came from DNS, which anyone on the
	 * path can forge; --tls-name is a name the user gave. */
	o.name_from_dns = job->mx_outcome == MXO_HOST && o.tls_name == NULL;
	if (job->mx_outcome == MXO_NONE || job->mx_outcome == MXO_HOST ||
	    job->mx_outcome == MXO_IMPLICIT) {
		probe_run(&o, fl->tls, r);
	} else {
		struct fault f;

		if (target_parse(job->target, o.port, &r->target, &f) != 0) {
			snprintf(r->target.host, sizeof(r->target.host), "%s", job->target);
		}
		/* Nothing was probed: the lookup was all the time spent. */
		r->total_ms = job->mx_ms;
	}
	/* The lookup's facts join the record, and the judge words them. */
	snprintf(r->mx_domain, sizeof(r->mx_domain), "%s", job->mx_domain);
	snprintf(r->mx_error, sizeof(r->mx_error), "%s", job->mx_error);
	r->mx_outcome = job->mx_outcome;
	r->mx_pref = job->mx_pref;
	r->mx_ms = job->mx_ms;
	if (job->mx_outcome != MXO_NONE) {
		struct judge_opts jo;

		probe_judge_opts(&o, &jo);
		judge_report(r, &jo);
	}
	policy_apply(fl->pol, r);
	return r;
}

static void *
fleet_worker(void *arg)
{
	struct fleet *fl = arg;

	for (;;) {
		struct report *r;
		size_t i;

		pthread_mutex_lock(&fl->lock);
		while (fl->next < fl->n && fl->next >= fl->emitted + fl->parallel) {
			pthread_cond_wait(&fl->cond, &fl->lock);
		}
		if (fl->next >= fl->n) {
			pthread_mutex_unlock(&fl->lock);
			return NULL;
		}
		i = fl->next++;
		pthread_mutex_unlock(&fl->lock);

		r = fleet_one(fl, &fl->jobs[i]);

		pthread_mutex_lock(&fl->lock);
		fl->slot[i % fl->parallel] = r != NULL ? r : (struct report *)-1;
		pthread_cond_broadcast(&fl->cond);
		pthread_mutex_unlock(&fl->lock);
	}
}

static enum sev
fleet_emit(const struct report *r, size_t i, fleet_emit_fn emit, void *arg)
{
	if (r == NULL || r == (struct report *)-1) {
		struct report oom;
		struct judge_opts jo = {0};

		report_init(&oom);
		report_internal(&oom, _("out of memory for target %zu"), i + 1);
		judge_report(&oom, &jo);
		emit(&oom, i, arg);
		return SEV_UNKNOWN;
	}
	emit(r, i, arg);
	return r->verdict;
}

static void
fleet_release(struct report *r)
{
	if (r != NULL && r != (struct report *)-1) {
		report_free(r);
		free(r);
	}
}

enum sev
fleet_run(const struct fleet_job *jobs, size_t n, unsigned parallel,
    const struct probe_opts *base, struct tls_ctx *tls, const struct policy *pol,
    fleet_emit_fn emit, void *arg)
{
	struct fleet fl = {
		.jobs = jobs, .n = n, .parallel = parallel ? parallel : 1, .base = base,
		.tls = tls, .pol = pol,
	};
	pthread_t *threads;
	unsigned nthreads = 0;
	enum sev worst = SEV_OK;

	if (fl.parallel > n) {
		fl.parallel = (unsigned)n;
	}
	if (fl.parallel <= 1) {
		/* One at a time: no threads at all. */
		for (size_t i = 0; i < n; i++) {
			struct report *r = fleet_one(&fl, &jobs[i]);

			worst = sev_worst(worst, fleet_emit(r, i, emit, arg));
			fleet_release(r);
		}
		return worst;
	}
	fl.slot = calloc(fl.parallel, sizeof(*fl.slot));
	threads = calloc(fl.parallel, sizeof(*threads));
	if (fl.slot == NULL || threads == NULL) {
		free(fl.slot);
		free(threads);
		fl.parallel = 1;
		return fleet_run(jobs, n, 1, base, tls, pol, emit, arg);
	}
	pthread_mutex_init(&fl.lock, NULL);
	pthread_cond_init(&fl.cond, NULL);
	for (unsigned t = 0; t < fl.parallel; t++) {
		if (pthread_create(&threads[nthreads], NULL, fleet_worker, &fl) == 0) {
			nthreads++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct report *r;

		pthread_mutex_lock(&fl.lock);
		while (fl.slot[i % fl.parallel] == NULL && nthreads > 0) {
			pthread_cond_wait(&fl.cond, &fl.lock);
		}
		r = fl.slot[i % fl.parallel];
		fl.slot[i % fl.parallel] = NULL;
		pthread_mutex_unlock(&fl.lock);
		if (nthreads == 0) {
			r = fleet_one(&fl, &jobs[i]);    /* no thread could start */
		}
		worst = sev_worst(worst, fleet_emit(r, i, emit, arg));
		fleet_release(r);
		pthread_mutex_lock(&fl.lock);
		fl.emitted = i + 1;
		pthread_cond_broadcast(&fl.cond);
		pthread_mutex_unlock(&fl.lock);
	}
	for (unsigned t = 0; t < nthreads; t++) {
		pthread_join(threads[t], NULL);
	}
	pthread_cond_destroy(&fl.cond);
	pthread_mutex_destroy(&fl.lock);
	free(fl.slot);
	free(threads);
	return worst;
}
