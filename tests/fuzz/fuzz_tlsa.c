/* libFuzzer: TLSA records from the wire and in presentation form, held to
 * what tlsa.h promises: the data kept within TLSA_MAX_DATA, the verdict
 * the same as tlsa_check's, a record read from text written back and read
 * again unchanged, and the formatter never past its buffer. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_format(const struct tlsa_rr *rr)
{
	static char buf[2 * TLSA_MAX_DATA + 32];
	size_t sizes[] = {0, 1, 2, 3, 4, 5, 12, 13, 40, 80, sizeof(buf)};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* A heap buffer of exactly the size given: ASan sees any
		 * write past it. */
		char *b = malloc(sizes[i] > 0 ? sizes[i] : 1);
		size_t n;

		if (b == NULL) {
			return;
		}
		n = tlsa_format(rr, b, sizes[i]);
		if (sizes[i] > 0 && (n >= sizes[i] || strlen(b) != n)) {
			abort();
		}
		if (sizes[i] == 0 && n != 0) {
			abort();
		}
		free(b);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly size bytes for the wire form; a NUL-terminated copy for
	 * the text form. */
	uint8_t *wire = malloc(size > 0 ? size : 1);
	char *text = malloc(size + 1), err[160];
	static char again[2 * TLSA_MAX_DATA + 32];
	struct tlsa_rr rr, back;
	enum tlsa_verdict v;
	int rc;

	if (wire == NULL || text == NULL) {
		free(wire);
		free(text);
		return 0;
	}
	memcpy(wire, data, size);
	v = tlsa_from_wire(wire, size, &rr);
	if (v != tlsa_check(&rr) || rr.len > TLSA_MAX_DATA || tlsa_verdict_id(v)[0] == '\0') {
		abort();
	}
	if ((size < 4) != (v == TLSA_MALFORMED) ||
	    (size >= 4 && memcmp(rr.data, wire + 3, rr.len) != 0)) {
		abort();
	}
	check_format(&rr);

	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	rc = tlsa_from_text(text, &rr, err, sizeof(err));
	if (rc < 0) {
		if (rc != -1 || err[0] == '\0' || strlen(err) >= sizeof(err)) {
			abort();
		}
	} else {
		if (rc != (int)tlsa_check(&rr) || rr.len == 0 || rr.len > TLSA_MAX_DATA) {
			abort();
		}
		check_format(&rr);
		/* Written back whole, read again: the same record. */
		if (rr.len < TLSA_MAX_DATA) {
			tlsa_format(&rr, again, sizeof(again));
			if (tlsa_from_text(again, &back, err, sizeof(err)) != rc ||
			    back.usage != rr.usage || back.selector != rr.selector ||
			    back.mtype != rr.mtype || back.len != rr.len ||
			    memcmp(back.data, rr.data, rr.len) != 0) {
				abort();
			}
		}
	}
	free(wire);
	free(text);
	return 0;
}
