/* dnsq.c - one lookup through src/dns.c, its fact and records printed:
 * the tests' view of what the probe records.
 *
 *   dnsq [--dns-server ADDR[:PORT]] [--trust-anchor FILE] [--timeout MS]
 *        TYPE NAME        TYPE: a, aaaa, addrs, mx, tlsa, txt
 *
 * Prints "TYPE sec=secure rcode=0 n=2 why=..." then one line a record.
 * Exit 0 when the lookup gave a fact, 1 on usage errors.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dns.h"

static void
fact_print(const char *what, const struct dns_fact *d)
{
	printf("%s sec=%s rcode=%d n=%d ms=%lld why=%s\n", what, dnssec_status_name(d->sec),
	    d->rcode, d->nrecords, (long long)d->ms, d->why);
}

static void
addr_print(const struct sockaddr_storage *ss)
{
	char buf[64];
	const void *a = ss->ss_family == AF_INET6
	    ? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
	    : (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	printf("  %s\n", inet_ntop(ss->ss_family, a, buf, sizeof(buf)) != NULL ? buf : "?");
}

static int
lookup(const char *type, const char *name, const struct dns_conf *c, int64_t deadline)
{
	struct dns_fact fact;
	struct fault f;
	size_t n = 0, dropped = 0;

	fault_clear(&f);
	if (strcmp(type, "addrs") == 0 || strcmp(type, "a") == 0 || strcmp(type, "aaaa") == 0) {
		static struct dns_addrs da;
		int fam = type[0] == 'a' && type[1] == '\0' ? AF_INET
		    : strcmp(type, "aaaa") == 0             ? AF_INET6
		                                            : AF_UNSPEC;
		int rc = dns_addrs(name, c, fam, 25, deadline, &da, &f);

		fact_print("aaaa", &da.aaaa);
		fact_print("a", &da.a);
		for (size_t i = 0; i < da.n; i++) {
			addr_print(&da.addr[i]);
		}
		if (rc != 0) {
			printf("fault: %s\n", f.msg);
		}
		return 0;
	}
	if (strcmp(type, "mx") == 0) {
		struct dns_mx mx[DNS_MAX_MX];
		int rc = dns_mx(name, c, deadline, mx, &n, &fact, &f);

		fact_print("mx", &fact);
		printf("result=%d\n", rc);
		for (size_t i = 0; i < n; i++) {
			printf("  %d %s\n", mx[i].pref, mx[i].host);
		}
		if (rc < 0) {
			printf("fault: %s\n", f.msg);
		}
		return 0;
	}
	if (strcmp(type, "tlsa") == 0) {
		static struct dns_rdata rd[4];
		int rc = dns_tlsa(name, c, deadline, rd, 4, &n, &dropped, &fact, &f);

		fact_print("tlsa", &fact);
		printf("kept=%zu dropped=%zu\n", n, dropped);
		for (size_t i = 0; i < n; i++) {
			printf(" ");
			for (size_t k = 0; k < rd[i].len; k++) {
				printf("%02x", rd[i].data[k]);
			}
			printf("%s\n", rd[i].cut ? " (cut)" : "");
		}
		if (rc < 0) {
			printf("fault: %s\n", f.msg);
		}
		return 0;
	}
	if (strcmp(type, "txt") == 0) {
		static struct dns_txt t[4];
		int rc = dns_txt(name, c, deadline, t, 4, &n, &dropped, &fact, &f);

		fact_print("txt", &fact);
		printf("kept=%zu dropped=%zu\n", n, dropped);
		for (size_t i = 0; i < n; i++) {
			printf("  [%s]%s\n", t[i].text, t[i].cut ? " (cut)" : "");
		}
		if (rc < 0) {
			printf("fault: %s\n", f.msg);
		}
		return 0;
	}
	fprintf(stderr, "dnsq: unknown type %s\n", type);
	return 1;
}

int
main(int argc, char **argv)
{
	struct dns_conf c;
	struct fault f;
	long ms = 5000;
	int i = 1, rc;

	memset(&c, 0, sizeof(c));
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *v = argv[i + 1];

		if (strcmp(argv[i], "--dns-server") == 0 && dns_conf_server(v, &c, &f) == 0) {
			continue;
		}
		if (strcmp(argv[i], "--trust-anchor") == 0 && dns_conf_anchor(v, &c, &f) == 0) {
			continue;
		}
		if (strcmp(argv[i], "--timeout") == 0) {
			ms = strtol(argv[i + 1], NULL, 10);
			continue;
		}
		fprintf(stderr, "dnsq: %s %s: %s\n", argv[i], argv[i + 1], f.msg);
		return 1;
	}
	if (argc - i != 2) {
		fprintf(stderr,
		    "usage: dnsq [--dns-server A] [--trust-anchor F] [--timeout MS] "
		    "TYPE NAME\n");
		return 1;
	}
	rc = lookup(argv[i], argv[i + 1], &c, clock_now_ms() + ms);
	dns_end();
	return rc;
}
