/* libFuzzer: MTA-STS (RFC 8461): the same bytes read as the _mta-sts TXT
 * record and as a policy file, held to what sts.h promises: a valid TXT
 * record has an id of 1 to 32 letters and digits; a valid policy has a
 * mode, a max_age in range, an mx unless the mode is none, and each of
 * its patterns matches a host built from it; an invalid one keeps only
 * why.  The first NUL-free part is also matched as a pattern against the
 * rest. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void
check_txt(const char *s, size_t size)
{
	struct sts_txt t;
	int rc = sts_txt_parse(s, size, &t);
	size_t n = strnlen(t.id, sizeof(t.id));

	if (rc != (t.valid ? 0 : -1) || n >= sizeof(t.id) ||
	    strnlen(t.error, sizeof(t.error)) >= sizeof(t.error)) {
		abort();
	}
	if (t.valid) {
		if (n == 0 || n > 32 || t.error[0] != '\0' || size < 7 ||
		    memcmp(s, "v=STSv1", 7) != 0) {
			abort();
		}
		for (size_t i = 0; i < n; i++) {
			if (!alnum(t.id[i])) {
				abort();
			}
		}
	} else if (t.error[0] == '\0' || n != 0) {
		abort();
	}
}

static void
check_policy(const char *s, size_t size)
{
	struct sts_policy p;
	int rc = sts_policy_parse(s, size, &p);
	char host[BOUND_NAME + 8];

	if (rc != (p.valid ? 0 : -1) || p.nmx > STS_MAX_MX ||
	    strnlen(p.error, sizeof(p.error)) >= sizeof(p.error)) {
		abort();
	}
	if (!p.valid) {
		if (p.error[0] == '\0' || p.mode != STS_MODE_UNSET || p.nmx != 0 ||
		    p.max_age != -1) {
			abort();
		}
		return;
	}
	if (p.error[0] != '\0' || p.mode == STS_MODE_UNSET || p.max_age < 0 ||
	    p.max_age > STS_MAX_AGE_MAX || (p.nmx == 0 && p.mx_dropped != 0) ||
	    (p.nmx == 0 && p.mode != STS_MODE_NONE) || sts_mode_name(p.mode)[0] == '\0') {
		abort();
	}
	for (size_t i = 0; i < p.nmx; i++) {
		size_t n = strnlen(p.mx[i], sizeof(p.mx[i]));

		if (n == 0 || n > BOUND_NAME) {
			abort();
		}
		/* "*.rest" matches "x.rest"; any other pattern matches itself. */
		if (p.mx[i][0] == '*') {
			host[0] = 'x';
			memcpy(host + 1, p.mx[i] + 1, n);
		} else {
			memcpy(host, p.mx[i], n + 1);
		}
		if (!sts_mx_match(p.mx[i], host) || sts_policy_match(&p, host) < 0 ||
		    sts_policy_match(&p, host) > (int)i) {
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *s = malloc(size > 0 ? size : 1), *z;
	size_t plen;

	if (s == NULL) {
		return 0;
	}
	memcpy(s, data, size);
	check_txt(s, size);
	check_policy(s, size);
	plen = strnlen(s, size);
	z = malloc(size + 1);
	if (z != NULL) {
		memcpy(z, s, size);
		z[size] = '\0';
		const char *host = plen < size ? z + plen + 1 : "";
		size_t hlen = strlen(host);

		/* A match without a wildcard is the same name, ignoring ASCII
		 * case and one trailing dot of the host. */
		if (sts_mx_match(z, host) && !(z[0] == '*' && z[1] == '.') &&
		    (plen == 0 || (hlen != plen && hlen != plen + 1) ||
		        strncasecmp(z, host, plen) != 0)) {
			abort();
		}
		free(z);
	}
	free(s);
	return 0;
}
