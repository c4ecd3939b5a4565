/* retry.c - one more attempt after a rate limit.  See retry.h. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "judge.h"
#include "retry.h"

const struct step *
retry_limited_step(const struct report *rep)
{
	for (size_t i = 0; i < rep->nsteps; i++) {
		const struct step *st = &rep->steps[i];

		if (st->kind == STEP_COMMAND && st->state == STATE_SENT && st->cmd != SMTP_QUIT &&
		    st->fault.cls == FAULT_NONE && judge_rate_limited(&st->reply)) {
			return st;
		}
	}
	return NULL;
}

/* Sleep ms milliseconds, signals notwithstanding. */
static void
retry_sleep(int64_t ms)
{
	int64_t end = clock_now_ms() + ms;
	int left;

	while ((left = clock_left_ms(end)) > 0) {
		struct timespec ts = {left / 1000, (long)(left % 1000) * 1000000L};

		if (nanosleep(&ts, NULL) != 0 && errno != EINTR) {
			return;
		}
	}
}

void
retry_run(const struct probe_opts *o, struct tls_ctx *tls, struct report *rep)
{
	const struct step *st;
	struct retry_fact first;
	struct judge_opts jo;
	int64_t t0;

	probe_run(o, tls, rep);
	if (o->retry_after_s <= 0 || (st = retry_limited_step(rep)) == NULL) {
		return;
	}
	memset(&first, 0, sizeof(first));
	first.retried = 1;
	for (size_t k = 0; k < rep->net.ntries; k++) {
		if (rep->net.tries[k].ok) {
			snprintf(first.addr, sizeof(first.addr), "%s", rep->net.tries[k].addr);
		}
	}
	first.cmd = st->cmd;
	snprintf(first.sent, sizeof(first.sent), "%s", st->sent);
	first.code = st->reply.code;
	snprintf(first.enh, sizeof(first.enh), "%s", st->reply.enh);
	if (st->reply.nlines > 0) {
		snprintf(first.text, sizeof(first.text), "%s", st->reply.lines[0].text);
	}
	first.ms = rep->total_ms;
	/* The connection is closed (probe_run closed it, and gave back its
	 * --per-ip place): the pause asks nothing of the server. */
	t0 = clock_now_ms();
	retry_sleep((int64_t)o->retry_after_s * 1000);
	first.waited_ms = clock_now_ms() - t0;
	report_free(rep);
	report_init(rep);
	probe_run(o, tls, rep);
	rep->retry = first;
	probe_judge_opts(o, &jo);
	judge_report(rep, &jo);
}
