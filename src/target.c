#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "idn.h"
#include "target.h"

int
target_parse_port(const char *s, unsigned *port)
{
	unsigned v = 0;

	if (s[0] == '\0' || strlen(s) > 5) {
		return -1;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			return -1;
		}
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v < 1 || v > 65535) {
		return -1;
	}
	*port = v;
	return 0;
}

int
target_check_name(const char *s, const char *what, struct fault *f)
{
	size_t len = strlen(s);

	if (len == 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s is empty"), what);
	}
	if (len > BOUND_NAME) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("%s is longer than %d bytes"), what, BOUND_NAME);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || c == '\n') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("%s contains a line break (CR or LF), which would inject SMTP "
			      "commands"),
			    what);
		}
		if (c < 0x20 || c == 0x7F) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("%s contains a control character (0x%02X)"), what, c);
		}
		if (c == ' ') {
			return fault_set(f, FAULT_PROTOCOL, 0, _("%s contains a space"), what);
		}
	}
	return 0;
}

static int
target_is_addr(const char *h)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1;
}

int
target_addr_family(const char *h)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, h, buf) == 1) {
		return AF_INET;
	}
	if (inet_pton(AF_INET6, h, buf) == 1) {
		return AF_INET6;
	}
	return AF_UNSPEC;
}

/* A label character: letters, digits and '-' (RFC 1123 §2.1), and '_',
 * which resolvers look up like any other byte. */
static int
target_label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_';
}

int
target_check_host(const char *h, struct fault *f)
{
	struct in_addr legacy;
	size_t len = strlen(h), start = 0;
	int last_numeric = 0;

	if (target_is_addr(h)) {
		return 0;
	}
	/* inet_aton, which getaddrinfo uses for IPv4, also reads "127.1",
	 * "0x7f.1", "017.0.0.1" (octal) and "2130706433" as addresses: a
	 * typo or a reply code would become a connection to somewhere. */
	if (inet_aton(h, &legacy) != 0) {
		char canon[INET_ADDRSTRLEN];

		if (inet_ntop(AF_INET, &legacy, canon, sizeof(canon)) == NULL) {
			snprintf(canon, sizeof(canon), "?");
		}
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("target '%.40s' is not a.b.c.d: it would mean %s"), h, canon);
	}
	if (len > 0 && h[len - 1] == '.') {
		len--; /* the root: "mx.example.com." */
	}
	for (size_t i = 0; i <= len; i++) {
		if (i < len && h[i] != '.') {
			if (!target_label_char((unsigned char)h[i])) {
				return fault_set(f, FAULT_PROTOCOL, 0,
				    _("target '%.40s' is not a host name: it contains '%c'"), h,
				    h[i] >= 0x20 && h[i] < 0x7F ? h[i] : '?');
			}
			continue;
		}
		if (i == start || i - start > 63) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%.40s' is not a host name: a label is empty or too long"),
			    h);
		}
		last_numeric = strspn(h + start, "0123456789") >= i - start;
		start = i + 1;
	}
	/* RFC 1123 §2.1: a label may start with a digit (1and1.com), but a
	 * host name's highest-level label is never all digits. */
	if (last_numeric) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("target '%.40s' is neither a host name nor an address a.b.c.d"), h);
	}
	return 0;
}

/* "unix:/PATH": a local socket's path, taken as it is (no name or
 * address rules apply to it). */
static int
target_parse_unix(const char *s, struct target *t, struct fault *f)
{
	const char *path = s + 5;
	size_t len = strlen(path);

	if (path[0] != '/') {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("target '%s': a unix: target names an absolute path (unix:/PATH)"), s);
	}
	if (len > TARGET_UNIX_PATH_MAX) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("target '%.60s...': a socket path is at most %d bytes"), s,
		    TARGET_UNIX_PATH_MAX);
	}
	memcpy(t->host, path, len + 1);
	t->is_unix = 1;
	return 0;
}

int
target_parse(const char *s, unsigned default_port, struct target *t, struct fault *f)
{
	const char *host = s, *port = NULL;
	size_t hlen;

	memset(t, 0, sizeof(*t));
	if (target_check_name(s, _("the target"), f) != 0) {
		return -1;
	}
	if (strncmp(s, "unix:", 5) == 0) {
		return target_parse_unix(s, t, f);
	}
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL) {
			return fault_set(
			    f, FAULT_PROTOCOL, 0, _("target '%s': '[' without a closing ']'"), s);
		}
		host = s + 1;
		hlen = (size_t)(close - host);
		if (close[1] == ':') {
			port = close + 2;
		} else if (close[1] != '\0') {
			return fault_set(
			    f, FAULT_PROTOCOL, 0, _("target '%s': expected ':PORT' after ']'"), s);
		}
	} else {
		const char *colon = strchr(s, ':');

		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			hlen = strlen(s); /* a bare IPv6 address, no port */
		} else if (colon != NULL) {
			hlen = (size_t)(colon - s);
			port = colon + 1;
		} else {
			hlen = strlen(s);
		}
	}
	if (hlen == 0) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("target '%s' has no host"), s);
	}
	memcpy(t->host, host, hlen);
	t->host[hlen] = '\0';
	t->is_addr = target_is_addr(t->host);
	if (!t->is_addr && s[0] != '[' && idn_needed(t->host)) {
		char ascii[BOUND_NAME + 1];

		if (idn_convert(t->host, _("target"), ascii, sizeof(ascii), t->uhost,
		        sizeof(t->uhost), f) < 0) {
			return -1;
		}
		memcpy(t->host, ascii, strlen(ascii) + 1);
	}
	if (s[0] == '[' && !t->is_addr) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("target '%s': brackets must hold an IPv6 address"), s);
	}
	if (target_check_host(t->host, f) != 0) {
		return -1;
	}
	if (port != NULL) {
		if (target_parse_port(port, &t->port) != 0) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%s': port must be a number from 1 to 65535"), s);
		}
		t->port_given = 1;
	} else {
		t->port = default_port;
	}
	return 0;
}
