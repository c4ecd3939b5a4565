/* proxyproto.h - the HAProxy PROXY protocol header a probe sends first on
 * a connection (--proxy-protocol v1|v2), for a server that sits behind a
 * load balancer and expects one (Postfix's smtpd_upstream_proxy_protocol,
 * postscreen_upstream_proxy_protocol).  Pure: no I/O.
 *
 * The format is HAProxy's "The PROXY protocol, Versions 1 & 2"
 * (doc/proxy-protocol.txt in the HAProxy sources): §2.1 the text line of
 * version 1, §2.2 the binary header of version 2.  Only what a TCP client
 * needs is built: TCP over IPv4 or IPv6, command PROXY, no TLVs.
 */
#ifndef SMTPROBE_PROXYPROTO_H
#define SMTPROBE_PROXYPROTO_H

#include <stddef.h>
#include <sys/socket.h>

#include "fault.h"

enum proxyproto_version {
	PROXYPROTO_NONE = 0,
	PROXYPROTO_V1, /* "PROXY TCP4 src dst sport dport\r\n" (§2.1) */
	PROXYPROTO_V2  /* 16 bytes of header and the address block (§2.2) */
};

/* §2.1: "a 108-byte buffer is always enough to store all the line and a
 * trailing zero"; a version 2 header for TCP over IPv6 is 16 + 36 = 52
 * bytes (§2.2). */
#define PROXYPROTO_MAX 108

/* §2.2: the 12 bytes every version 2 header starts with. */
extern const unsigned char proxyproto_v2_sig[12];

/* Build the header of version v saying that the connection comes from
 * src and goes to dst (both AF_INET, or both AF_INET6: §2.1 wants the
 * destination "of the same family", and §2.2 has one family byte).  The
 * ports are the sockaddrs' own.  Writes at most cap bytes into out and
 * sets *len; the v1 line is also NUL-terminated when cap allows (the
 * NUL is not counted).  0, or -1 with f filled (FAULT_INTERNAL: families
 * that differ or are neither, an unknown version, cap too small). */
int proxyproto_build(enum proxyproto_version v, const struct sockaddr *src,
    const struct sockaddr *dst, unsigned char *out, size_t cap, size_t *len, struct fault *f);

/* An IPv6 address as §2.1 asks: groups of hexadecimal digits separated
 * by colons, the longest run of two or more zero groups (the first of
 * equals) written '::' (RFC 5952 §4.2), never the dotted quad inet_ntop
 * prints for ::ffff:a.b.c.d.  out needs 40 bytes. */
void proxyproto_ipv6_text(const unsigned char a[16], char out[40]);

/* "v1" or "v2", "" for none. */
const char *proxyproto_name(enum proxyproto_version v);

#endif
