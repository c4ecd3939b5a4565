#include <config.h>

#include <arpa/inet.h>
#include <stdint.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "i18n.h"
#include "target.h"

int
dns_server_parse(const char *s, struct dns_server *srv, struct fault *f)
{
	struct target t;
	struct sockaddr_in *sin = (struct sockaddr_in *)&srv->addr;

	memset(srv, 0, sizeof(*srv));
	if (target_parse(s, 53, &t, f) != 0) {
		return -1;
	}
	if (!t.is_addr) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("--dns-server '%s': give an IP address"), s);
	}
	/* glibc's resolver state takes IPv4 servers with a port. */
	if (inet_pton(AF_INET, t.host, &sin->sin_addr) != 1) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("--dns-server '%s': give an IPv4 address (the system resolver library "
		    "takes IPv6 servers from /etc/resolv.conf only)"), s);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)t.port);
	srv->addrlen = sizeof(*sin);
	snprintf(srv->text, sizeof(srv->text), "%s", s);
	srv->set = 1;
	return 0;
}

/* A resolver state that asks srv, when one is set. */
static int
dns_init(struct __res_state *st, const struct dns_server *srv, struct fault *f)
{
	memset(st, 0, sizeof(*st));
	if (res_ninit(st) != 0) {
		return fault_set(f, FAULT_RESOLVE, 0, _("cannot initialise the DNS resolver"));
	}
	if (srv != NULL && srv->set) {
		memcpy(&st->nsaddr_list[0], &srv->addr, sizeof(struct sockaddr_in));
		st->nscount = 1;
		st->retry = 2;
		st->retrans = 2;
	}
	return 0;
}

/* Query name for type; the answer length, 0 for NXDOMAIN or no data
 * (*nx tells which), -1 with f on failure. */
static int
dns_query(struct __res_state *st, const char *name, int type, unsigned char *ans, int anssz,
    int *nx, struct fault *f)
{
	int len = res_nquery(st, name, ns_c_in, type, ans, anssz);

	*nx = 0;
	if (len >= 0) {
		return len;
	}
	switch (st->res_h_errno) {
	case HOST_NOT_FOUND:
		*nx = 1;
		return 0;
	case NO_DATA:
		return 0;
	case TRY_AGAIN:
		return fault_set(f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed (server failure or no answer)"), name);
	default:
		return fault_set(f, FAULT_RESOLVE, 0, _("DNS lookup of %s failed"), name);
	}
}

int
dns_mx(const char *domain, const struct dns_server *srv, struct dns_mx *out,
    size_t *n, struct fault *f)
{
	struct __res_state st;
	unsigned char ans[NS_MAXMSG];
	ns_msg msg;
	int len, nx, result;

	*n = 0;
	if (dns_init(&st, srv, f) != 0) {
		return -1;
	}
	len = dns_query(&st, domain, ns_t_mx, ans, sizeof(ans), &nx, f);
	if (len < 0) {
		res_nclose(&st);
		return -1;
	}
	res_nclose(&st);
	if (nx) {
		return DNS_MX_NXDOMAIN;
	}
	if (len == 0) {
		return DNS_MX_NONE;
	}
	if (ns_initparse(ans, len, &msg) != 0) {
		return fault_set(f, FAULT_RESOLVE, 0, _("malformed DNS answer for %s MX"), domain);
	}
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && *n < DNS_MAX_MX; i++) {
		ns_rr rr;
		char host[NS_MAXDNAME];

		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_mx ||
		    ns_rr_rdlen(rr) < 3) {
			continue;
		}
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr) + 2, host,
		    sizeof(host)) < 0) {
			return fault_set(f, FAULT_RESOLVE, 0, _("malformed MX record for %s"), domain);
		}
		if (strcmp(host, ".") == 0) {
			host[0] = '\0';     /* the root: ns_name_uncompress writes "." */
		}
		if (strlen(host) > BOUND_NAME) {
			continue;
		}
		out[*n].pref = ns_get16(ns_rr_rdata(rr));
		memcpy(out[*n].host, host, strlen(host) + 1);   /* length checked above */
		(*n)++;
	}
	if (*n == 0) {
		return DNS_MX_NONE;
	}
	/* RFC 7505: a single MX of preference 0 naming the root. */
	if (*n == 1 && out[0].host[0] == '\0' && out[0].pref == 0) {
		*n = 0;
		return DNS_MX_NULL;
	}
	result = DNS_MX_FOUND;
	/* Stable sort by preference: the answer's order breaks ties. */
	for (size_t i = 1; i < *n; i++) {
		struct dns_mx key = out[i];
		size_t j = i;

		while (j > 0 && out[j - 1].pref > key.pref) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = key;
	}
	return result;
}

static void
dns_collect(ns_msg *msg, int type, unsigned port, struct sockaddr_storage *out, size_t *n)
{
	for (int i = 0; i < ns_msg_count(*msg, ns_s_an) && *n < DNS_MAX_ADDRS; i++) {
		ns_rr rr;
		struct sockaddr_storage *ss = &out[*n];

		if (ns_parserr(msg, ns_s_an, i, &rr) != 0 || (int)ns_rr_type(rr) != type) {
			continue;
		}
		memset(ss, 0, sizeof(*ss));
		if (type == ns_t_a && ns_rr_rdlen(rr) == 4) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons((uint16_t)port);
			memcpy(&sin->sin_addr, ns_rr_rdata(rr), 4);
			(*n)++;
		} else if (type == ns_t_aaaa && ns_rr_rdlen(rr) == 16) {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)port);
			memcpy(&sin6->sin6_addr, ns_rr_rdata(rr), 16);
			(*n)++;
		}
	}
}

int
dns_addrs(const char *host, const struct dns_server *srv, int family, unsigned port,
    struct sockaddr_storage *out, size_t *n, struct fault *f)
{
	static const int types[2] = {ns_t_aaaa, ns_t_a};
	struct __res_state st;
	unsigned char ans[NS_MAXMSG];
	int nxall = 1;

	*n = 0;
	if (dns_init(&st, srv, f) != 0) {
		return -1;
	}
	for (int k = 0; k < 2; k++) {
		ns_msg msg;
		int len, nx;

		if ((types[k] == ns_t_aaaa && family == AF_INET) ||
		    (types[k] == ns_t_a && family == AF_INET6)) {
			continue;
		}
		len = dns_query(&st, host, types[k], ans, sizeof(ans), &nx, f);
		if (len < 0) {
			res_nclose(&st);
			return -1;
		}
		nxall = nxall && nx;
		if (len > 0 && ns_initparse(ans, len, &msg) == 0) {
			dns_collect(&msg, types[k], port, out, n);
		}
	}
	res_nclose(&st);
	if (*n == 0) {
		if (srv != NULL && srv->set) {
			return fault_set(f, FAULT_RESOLVE, 0, nxall ?
			    _("cannot resolve %s at %s: no such domain") :
			    _("cannot resolve %s at %s: no address records"), host, srv->text);
		}
		return fault_set(f, FAULT_RESOLVE, 0, nxall ? _("cannot resolve %s: no such domain") :
		    _("cannot resolve %s: no address records"), host);
	}
	return 0;
}
