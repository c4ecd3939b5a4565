/* polwords.h - the words the judge and the renderers share for the policy
 * facts of mxpolicy.h: a TLSA record cut for a line, why a record is
 * unusable, counts.  (Stable ids: tlsa_verdict_id(), sts_mode_name().)  Pure.
 */
#ifndef SMTPROBE_POLWORDS_H
#define SMTPROBE_POLWORDS_H

#include <stddef.h>

#include "mxpolicy.h"

/* "3 1 1 0a1b2c...": the data in lower-case hex, the first max_hex digits
 * of it and "..." when it is longer (0: all of it, cut only by size). */
const char *pol_tlsa_text(const struct tlsa_rr *rr, size_t max_hex, char *buf, size_t size);

/* Why a record is unusable for SMTP, in words ("" for a usable one). */
const char *pol_verdict_words(enum tlsa_verdict v);

/* Records of the TLSA RRset that SMTP can use (RFC 7672 §3.1). */
size_t pol_usable(const struct dane_fact *d);

/* Does the report carry any policy fact (a lookup made, or a level set)? */
struct mxpolicy;
int pol_any(const struct mxpolicy *p);

#endif
