/* proxyproto.c - the HAProxy PROXY protocol header (see proxyproto.h). */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "proxyproto.h"

/* §2.2: "\x0D \x0A \x0D \x0A \x00 \x0D \x0A \x51 \x55 \x49 \x54 \x0A". */
const unsigned char proxyproto_v2_sig[12] = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

/* §2.2: the 13th byte, version 2 in the high nibble and the command PROXY
 * (0x1) in the low one; the 14th, family and transport: TCP over IPv4
 * 0x11, over IPv6 0x21.  Address lengths: 2*4 + 2*2 and 2*16 + 2*2. */
#define PP2_VER_PROXY 0x21
#define PP2_TCP4 0x11
#define PP2_TCP6 0x21
#define PP2_LEN4 12
#define PP2_LEN6 36
#define PP2_HEAD 16

const char *
proxyproto_name(enum proxyproto_version v)
{
	switch (v) {
	case PROXYPROTO_V1:
		return "v1";
	case PROXYPROTO_V2:
		return "v2";
	case PROXYPROTO_NONE:
		break;
	}
	return "";
}

void
proxyproto_ipv6_text(const unsigned char a[16], char out[40])
{
	unsigned g[8];
	int best = -1, bestlen = 1, run = 0;
	size_t n = 0;

	for (int i = 0; i < 8; i++) {
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	}
	/* RFC 5952 §4.2.2: "::" never stands for one zero group; §4.2.3: the
	 * longest run, the first of equal ones. */
	for (int i = 0; i < 8; i++) {
		run = g[i] == 0 ? run + 1 : 0;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)snprintf(out + n, 40 - n, "%s", i == 0 ? "::" : ":");
			i += bestlen - 1;
			continue;
		}
		n += (size_t)snprintf(out + n, 40 - n, "%x%s", g[i], i < 7 ? ":" : "");
	}
}

/* The address bytes and port of an AF_INET or AF_INET6 sockaddr. */
static const unsigned char *
proxyproto_addr(const struct sockaddr *sa, unsigned *port)
{
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		*port = ntohs(s6->sin6_port);
		return s6->sin6_addr.s6_addr;
	}
	*port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr.s_addr;
}

/* §2.1: "PROXY" SP "TCP4"|"TCP6" SP src SP dst SP sport SP dport CRLF,
 * decimal ports without leading zeros, IPv4 as four decimal numbers. */
static int
proxyproto_v1(int fam, const unsigned char *s, unsigned sp, const unsigned char *d, unsigned dp,
    unsigned char *out, size_t cap, size_t *len, struct fault *f)
{
	char st[40], dt[40];
	int k;

	if (fam == AF_INET6) {
		proxyproto_ipv6_text(s, st);
		proxyproto_ipv6_text(d, dt);
	} else {
		snprintf(st, sizeof(st), "%u.%u.%u.%u", s[0], s[1], s[2], s[3]);
		snprintf(dt, sizeof(dt), "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
	}
	k = snprintf((char *)out, cap, "PROXY %s %s %s %u %u\r\n",
	    fam == AF_INET6 ? "TCP6" : "TCP4", st, dt, sp, dp);
	if (k < 0 || (size_t)k >= cap) {
		return fault_set(
		    f, FAULT_INTERNAL, 0, _("PROXY header: %zu bytes of room are too few"), cap);
	}
	*len = (size_t)k;
	return 0;
}

/* §2.2: signature, version and command, family and transport, the length
 * of the address block in network order, then source address,
 * destination address, source port, destination port, each in network
 * order. */
static int
proxyproto_v2(int fam, const unsigned char *s, unsigned sp, const unsigned char *d, unsigned dp,
    unsigned char *out, size_t cap, size_t *len, struct fault *f)
{
	size_t alen = fam == AF_INET6 ? 16 : 4, blen = 2 * alen + 4, n = 0;

	if (cap < PP2_HEAD + blen) {
		return fault_set(
		    f, FAULT_INTERNAL, 0, _("PROXY header: %zu bytes of room are too few"), cap);
	}
	memcpy(out, proxyproto_v2_sig, sizeof(proxyproto_v2_sig));
	n = sizeof(proxyproto_v2_sig);
	out[n++] = PP2_VER_PROXY;
	out[n++] = fam == AF_INET6 ? PP2_TCP6 : PP2_TCP4;
	out[n++] = (unsigned char)(blen >> 8);
	out[n++] = (unsigned char)(blen & 0xFF);
	memcpy(out + n, s, alen);
	n += alen;
	memcpy(out + n, d, alen);
	n += alen;
	out[n++] = (unsigned char)(sp >> 8);
	out[n++] = (unsigned char)(sp & 0xFF);
	out[n++] = (unsigned char)(dp >> 8);
	out[n++] = (unsigned char)(dp & 0xFF);
	*len = n;
	return 0;
}

int
proxyproto_build(enum proxyproto_version v, const struct sockaddr *src, const struct sockaddr *dst,
    unsigned char *out, size_t cap, size_t *len, struct fault *f)
{
	const unsigned char *s, *d;
	unsigned sp, dp;
	int fam = src->sa_family;

	*len = 0;
	if ((fam != AF_INET && fam != AF_INET6) || dst->sa_family != fam) {
		return fault_set(f, FAULT_INTERNAL, 0,
		    _("PROXY header: the source and the destination must both be IPv4 or both "
		      "IPv6"));
	}
	s = proxyproto_addr(src, &sp);
	d = proxyproto_addr(dst, &dp);
	switch (v) {
	case PROXYPROTO_V1:
		return proxyproto_v1(fam, s, sp, d, dp, out, cap, len, f);
	case PROXYPROTO_V2:
		return proxyproto_v2(fam, s, sp, d, dp, out, cap, len, f);
	case PROXYPROTO_NONE:
		break;
	}
	return fault_set(f, FAULT_INTERNAL, 0, _("PROXY header: no version asked for"));
}
