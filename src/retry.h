/* retry.h - a probe that a rate-limited reply cut short is made once
 * more, after a pause (--retry-after).
 */
#ifndef SMTPROBE_RETRY_H
#define SMTPROBE_RETRY_H

#include "probe.h"
#include "report.h"

/* probe_run, and when o->retry_after_s > 0 and a reply of the record says
 * the server limits this client (judge_rate_limited), wait that long with
 * no connection open and probe again: rep is then the second attempt's
 * record, with the first one's facts in rep->retry, judged again.  One
 * retry at most, so a probe takes at most twice --total-timeout plus the
 * wait.  Same ownership as probe_run. */
void retry_run(const struct probe_opts *o, struct tls_ctx *tls, struct report *rep);

/* The step of rep whose reply is rate-limited, or NULL. */
const struct step *retry_limited_step(const struct report *rep);

#endif
