/* scram.h - SCRAM's server-first-message (RFC 5802 §5.1, §7), checked
 * strictly before any hashing, and the PBKDF2 time estimate.  Pure: no
 * I/O, no allocation.
 *
 * The grammar (RFC 5802 §7):
 *   server-first-message = [reserved-mext ","] nonce "," salt ","
 *                          iteration-count ["," extensions]
 *   nonce = "r=" c-nonce [s-nonce]      (printable: %x21-2B / %x2D-7E)
 *   salt = "s=" base64
 *   iteration-count = "i=" posit-number (%x31-39 *DIGIT)
 *   extensions = attr-val *("," attr-val); attr-val = ALPHA "=" value
 * A reserved "m=" attribute MUST fail the authentication (§5.1).
 */
#ifndef SMTPROBE_SCRAM_H
#define SMTPROBE_SCRAM_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"

enum scram_sf_rc {
	SCRAM_SF_OK,
	SCRAM_SF_NUL,       /* a NUL byte anywhere */
	SCRAM_SF_MEXT,      /* the reserved m= attribute (RFC 5802 §5.1: fail) */
	SCRAM_SF_NONCE,     /* no "r=" first, or an empty or unprintable nonce */
	SCRAM_SF_SALT,      /* no "s=" second, or a salt that is empty or not base64 */
	SCRAM_SF_ITER,      /* no "i=" third, or not a positive decimal */
	SCRAM_SF_ITER_HIGH, /* an iteration count above the limit given */
	SCRAM_SF_EXT        /* something after i= that is not ",x=value" */
};

struct scram_first {
	const char *nonce; /* into the message, not NUL-terminated */
	size_t nonce_len;
	unsigned char salt[BOUND_SCRAM_SALT]; /* decoded */
	size_t salt_len;
	uint64_t iter; /* saturates at UINT64_MAX */
};

/* Check msg (len bytes) against the grammar above and max_iter.  Fills
 * *out as far as it got; SCRAM_SF_OK only for a message that is whole
 * and right. */
enum scram_sf_rc scram_parse_first(
    const char *msg, size_t len, uint64_t max_iter, struct scram_first *out);

/* What rc means, in a few words (translated). */
const char *scram_sf_reason(enum scram_sf_rc rc);

/* Milliseconds that iter PBKDF2 rounds are expected to take at
 * rounds_per_s (measured), rounded up; INT64_MAX when it cannot be told. */
int64_t scram_pbkdf2_ms(uint64_t iter, uint64_t rounds_per_s);

/* Non-zero when iter rounds fit in left_ms with room to spare
 * (SCRAM_TIME_MARGIN times the estimate). */
int scram_pbkdf2_fits(uint64_t iter, uint64_t rounds_per_s, int64_t left_ms);

/* The estimate is doubled: the measurement is one short run, the real
 * one may meet a busier CPU (other probes, other processes). */
#define SCRAM_TIME_MARGIN 2

#endif
