#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
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
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s is longer than %d bytes"),
		    what, BOUND_NAME);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || c == '\n') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("%s contains a line break (CR or LF), which would inject SMTP commands"), what);
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
target_parse(const char *s, unsigned default_port, struct target *t,
    struct fault *f)
{
	const char *host = s, *port = NULL;
	size_t hlen;

	memset(t, 0, sizeof(*t));
	if (target_check_name(s, _("the target"), f) != 0) {
		return -1;
	}
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL) {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%s': '[' without a closing ']'"), s);
		}
		host = s + 1;
		hlen = (size_t)(close - host);
		if (close[1] == ':') {
			port = close + 2;
		} else if (close[1] != '\0') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("target '%s': expected ':PORT' after ']'"), s);
		}
	} else {
		const char *colon = strchr(s, ':');

		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			hlen = strlen(s);      /* a bare IPv6 address, no port */
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
	if (s[0] == '[' && !t->is_addr) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("target '%s': brackets must hold an IPv6 address"), s);
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
