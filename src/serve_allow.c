/* serve_allow.c - the /probe allowlist and request values; see
 * serve_allow.h. */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "i18n.h"
#include "serve_allow.h"
#include "target.h"

/* Copy a name lower-cased, without a final dot; -1 when it does not fit
 * or is empty. */
static int
allow_norm(const char *s, char *out, size_t size)
{
	size_t len = strlen(s);

	if (len > 0 && s[len - 1] == '.') {
		len--;
	}
	if (len == 0 || len >= size) {
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[len] = '\0';
	return 0;
}

/* An address literal: 16 bytes (IPv4 in the first 4) and its family;
 * an IPv4-mapped IPv6 address is taken as the IPv4 address it maps. */
static int
allow_addr(const char *s, unsigned char *addr, int *family)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = AF_INET6;
		if (memcmp(addr, mapped, sizeof(mapped)) == 0) {
			memmove(addr, addr + 12, 4);
			memset(addr + 4, 0, 12);
			*family = AF_INET;
		}
		return 0;
	}
	return -1;
}

/* Clear the bits after prefix. */
static void
allow_mask(unsigned char *addr, unsigned prefix, unsigned bits)
{
	for (unsigned i = prefix; i < bits; i++) {
		addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	}
}

int
allow_parse(const char *s, struct allow_rule *r, struct fault *f)
{
	char buf[BOUND_NAME + 1];
	const char *slash = strchr(s, '/');

	memset(r, 0, sizeof(*r));
	if (strlen(s) >= sizeof(buf)) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("'%.40s...': longer than %d bytes"), s, BOUND_NAME);
	}
	memcpy(buf, s, strlen(s) + 1);
	if (slash != NULL) {
		buf[slash - s] = '\0';
	}
	if (allow_addr(buf, r->addr, &r->family) == 0) {
		unsigned bits = r->family == AF_INET ? 32 : 128;
		unsigned long p = bits;

		if (slash != NULL) {
			char *end;

			/* A mapped address's prefix counts the 96 bits before it. */
			if (slash[1] < '0' || slash[1] > '9' ||
			    (p = strtoul(slash + 1, &end, 10), *end != '\0') ||
			    (strchr(buf, ':') != NULL && r->family == AF_INET &&
			        (p < 96 || p > 128)) ||
			    (!(strchr(buf, ':') != NULL && r->family == AF_INET) && p > bits)) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("'%s': the prefix length must be 0 to %u"), s, bits);
			}
			if (strchr(buf, ':') != NULL && r->family == AF_INET) {
				p -= 96;
			}
		}
		r->kind = ALLOW_NET;
		r->prefix = (unsigned)p;
		allow_mask(r->addr, r->prefix, bits);
		return 0;
	}
	if (slash != NULL) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("'%s': not an address before '/'"), s);
	}
	if (target_check_name(s, "allow_targets", f) != 0) {
		return -1;
	}
	if (allow_sloppy_ipv4(s)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("'%s': an address in a non-standard form: write it as a dotted quad"), s);
	}
	if (strchr(s + (strncmp(s, "*.", 2) == 0 ? 2 : 0), '*') != NULL && strcmp(s, "*") != 0) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("'%s': '*' may only stand alone or begin the pattern as '*.'"), s);
	}
	r->kind = ALLOW_NAME;
	if (allow_norm(s, r->name, sizeof(r->name)) != 0 || strcmp(s, "*.") == 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("'%s': not a host pattern"), s);
	}
	return 0;
}

/* Does name (normalised) match pattern? */
static int
allow_name_match(const char *pat, const char *name)
{
	size_t plen, nlen;

	if (strcmp(pat, "*") == 0) {
		return 1;
	}
	if (strncmp(pat, "*.", 2) != 0) {
		return strcmp(pat, name) == 0;
	}
	plen = strlen(pat + 1); /* ".example.com" */
	nlen = strlen(name);
	return nlen > plen && strcmp(name + nlen - plen, pat + 1) == 0;
}

int
allow_match(const struct allow_rule *rules, size_t n, const char *host)
{
	unsigned char addr[16];
	char name[BOUND_NAME + 1];
	int family;

	if (allow_addr(host, addr, &family) == 0) {
		for (size_t i = 0; i < n; i++) {
			unsigned char a[16];

			if (rules[i].kind != ALLOW_NET || rules[i].family != family) {
				continue;
			}
			memcpy(a, addr, sizeof(a));
			allow_mask(a, rules[i].prefix, family == AF_INET ? 32 : 128);
			if (memcmp(a, rules[i].addr, family == AF_INET ? 4 : 16) == 0) {
				return 1;
			}
		}
		return 0;
	}
	if (strchr(host, ':') != NULL || allow_sloppy_ipv4(host) ||
	    allow_norm(host, name, sizeof(name)) != 0) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (rules[i].kind == ALLOW_NAME && allow_name_match(rules[i].name, name)) {
			return 1;
		}
	}
	return 0;
}

int
allow_sloppy_ipv4(const char *host)
{
	struct in_addr a;

	/* glibc's inet_aton takes what getaddrinfo takes for AF_INET numbers
	 * (POSIX inet_addr forms: 1 to 4 parts, octal and hex). */
	return inet_aton(host, &a) != 0 && inet_pton(AF_INET, host, &a) != 1;
}

int
allow_scrape_timeout(const char *s, long *ms)
{
	long whole = 0, frac = 0, scale = 1000;
	size_t i = 0;

	if (s == NULL || s[0] < '0' || s[0] > '9') {
		return -1;
	}
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		if (whole > 86400) {
			return -1;
		}
		whole = whole * 10 + (s[i] - '0');
	}
	if (s[i] == '.') {
		i++;
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		for (; s[i] >= '0' && s[i] <= '9'; i++) {
			if (scale > 1) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			}
		}
	}
	if (s[i] != '\0' || whole > 86400 || (whole == 0 && frac == 0)) {
		return -1;
	}
	*ms = whole * 1000 + frac;
	return 0;
}

int
allow_value_ok(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= max || c <= 0x20 || c >= 0x7f) {
			return 0;
		}
	}
	return i > 0;
}
