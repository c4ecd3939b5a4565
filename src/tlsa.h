/* tlsa.h - TLSA records (RFC 6698 §2, RFC 7671) and whether SMTP may use
 * them (RFC 7672 §3.1).  Pure: the record's wire form (as a DNS answer
 * gives it) or its presentation form ("3 1 1 ab12...") in, the fields and
 * a verdict out.
 */
#ifndef SMTPROBE_TLSA_H
#define SMTPROBE_TLSA_H

#include <stddef.h>
#include <stdint.h>

#include "bounds.h"

/* The certificate association data kept of one record: a SHA-256 digest is
 * 32 bytes, SHA-512 64; a full certificate or key (matching type 0) rarely
 * passes 2 KiB.  A longer one is kept as TLSA_TOO_LONG (data cut). */
#define TLSA_MAX_DATA 2048

/* Whether SMTP can use a record (RFC 7672 §3.1: DANE-TA(2) and DANE-EE(3)
 * are usable; PKIX-TA(0) and PKIX-EE(1) are not). */
enum tlsa_verdict {
	TLSA_USABLE = 0,
	TLSA_PKIX,             /* usage 0 or 1: unusable for SMTP (RFC 7672 §3.1.3) */
	TLSA_UNKNOWN_USAGE,    /* usage above 3 */
	TLSA_UNKNOWN_SELECTOR, /* selector above 1 */
	TLSA_UNKNOWN_MTYPE,    /* matching type above 2 */
	TLSA_BAD_LENGTH,       /* a digest of the wrong length (1: 32 bytes, 2: 64) */
	TLSA_TOO_LONG,         /* data over TLSA_MAX_DATA: cut, not matched */
	TLSA_MALFORMED         /* shorter than its three fields and one byte of data */
};

struct tlsa_rr {
	uint8_t usage, selector, mtype;
	size_t len; /* bytes of data kept */
	uint8_t data[TLSA_MAX_DATA];
};

/* The record's RDATA as it came in the answer.  Fills rr and returns its
 * verdict. */
enum tlsa_verdict tlsa_from_wire(const uint8_t *rdata, size_t len, struct tlsa_rr *rr);

/* Presentation form: three decimal fields and the data in hex (spaces
 * between hex digits allowed, RFC 6698 §2.2).  Returns the verdict, or -1
 * when s is not a TLSA record in presentation form (err says why). */
int tlsa_from_text(const char *s, struct tlsa_rr *rr, char *err, size_t errsz);

/* The verdict of a filled record. */
enum tlsa_verdict tlsa_check(const struct tlsa_rr *rr);

/* A stable identifier for JSON ("usable", "pkix-usage", ...). */
const char *tlsa_verdict_id(enum tlsa_verdict v);

/* "3 1 1 0a1b..." into buf, the data in lower-case hex, cut with "..."
 * when buf is short.  Returns the length written. */
size_t tlsa_format(const struct tlsa_rr *rr, char *buf, size_t bufsz);

#endif
