/* libFuzzer: what smtprobe serve reads from an HTTP request and its
 * config before any probe: the allowlist rule parser and matcher (the
 * target host is the attacker's), the scrape-timeout header and the
 * query value check.  The input is "RULE\nHOST\nHEADER". */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve_allow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *host, *hdr;
	struct allow_rule r[2];
	struct fault f;
	size_t n = 0;
	long ms;

	if (s == NULL) {
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	host = strchr(s, '\n');
	if (host != NULL) {
		*host++ = '\0';
	} else {
		host = s;
	}
	hdr = strchr(host, '\n');
	if (hdr != NULL) {
		*hdr++ = '\0';
	} else {
		hdr = host;
	}
	if (allow_parse(s, &r[n], &f) == 0) {
		n++;
	}
	if (allow_parse("10.0.0.0/8", &r[n], &f) == 0) {
		n++;
	}
	(void)allow_match(r, n, host);
	(void)allow_sloppy_ipv4(host);
	if (allow_scrape_timeout(hdr, &ms) == 0 && (ms <= 0 || ms > 86400L * 1000 + 999)) {
		abort();
	}
	(void)allow_value_ok(hdr, 272);
	free(s);
	return 0;
}
