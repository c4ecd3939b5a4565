/* target.h - parse a target "HOST[:PORT]", "[IPv6]:PORT" or a bare IPv6
 * address, and check user-supplied names.  Pure: no I/O, no DNS.
 */
#ifndef SMTPROBE_TARGET_H
#define SMTPROBE_TARGET_H

#include "bounds.h"
#include "fault.h"

struct target {
	char host[BOUND_NAME + 1];  /* name or address, brackets removed; a name in
	                             * ASCII (A-labels when it was given in Unicode) */
	char uhost[BOUND_NAME + 1]; /* the name in Unicode (U-labels) when it has an
	                             * internationalised label, else "" */
	unsigned port;              /* 1..65535 */
	int port_given;             /* the target itself named a port */
	int is_addr;                /* host is an IPv4 or IPv6 literal */
	int is_unix;                /* "unix:/PATH": host is the socket's path, port 0 */
};

/* The longest path a "unix:" target may name: sun_path of struct
 * sockaddr_un (unix(7): 108 bytes on Linux) less its NUL. */
#define TARGET_UNIX_PATH_MAX 107

/* Parse s.  default_port applies when s names none.  "unix:/PATH" names
 * a UNIX-domain stream socket: an absolute path of at most
 * TARGET_UNIX_PATH_MAX bytes, no control bytes or spaces; is_unix is set,
 * host holds the path and port is 0.  Returns 0, or -1
 * with f (FAULT_INTERNAL class unused: usage errors are FAULT_PROTOCOL
 * free text) filled with a message for the user. */
/* A host with a non-ASCII byte or an "xn--" label goes through libidn2
 * first (src/idn.h): host becomes its A-labels, uhost its U-labels, and an
 * invalid one is refused with libidn2's reason. */
int target_parse(const char *s, unsigned default_port, struct target *t, struct fault *f);

/* Check that h (a target's host, brackets removed) is an IPv4 address
 * a.b.c.d, an IPv6 address or a host name: labels of letters, digits,
 * '-' and '_', at most 63 bytes each, the last one not all digits (RFC
 * 1123 §2.1), an optional final dot.  Refused, with a message saying
 * which: the other numeric forms inet_aton and so getaddrinfo accept
 * ("127.1", "0x7f.1", "017.0.0.1", "2130706433", "235"), non-ASCII
 * names.  Pure; 0 or -1 with f filled.  target_parse calls it. */
int target_check_host(const char *h, struct fault *f);

/* AF_INET or AF_INET6 when h is an address of that family, else
 * AF_UNSPEC. */
int target_addr_family(const char *h);

/* Parse a port number "1".."65535"; 0, or -1 when it is not one. */
int target_parse_port(const char *s, unsigned *port);

/* Check a user-supplied name (host, EHLO name, TLS name): non-empty,
 * at most BOUND_NAME bytes, no control bytes (CR, LF, NUL and the
 * rest), no spaces.  what names the option in the message. */
int target_check_name(const char *s, const char *what, struct fault *f);

#endif
