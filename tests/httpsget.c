/* httpsget - one MTA-STS style HTTPS GET with src/https.c, for
 * tests/https.sh: the outcome as one line, through https_fill_sts as the
 * probe will store it.
 *
 *   httpsget HOST ADDRESS PORT CAFILE DEADLINE_MS [PATH]
 *
 * prints "fetch=ID status=N address=A ms=N body=N first=L type=T detail=D"
 * (L: the body's first line, up to 40 bytes; the server's bytes with
 * anything but printable ASCII as '?') and exits 0
 * when the fetch is ok, 1 when not, 2 on bad usage.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "https.h"
#include "mxpolicy.h"
#include "tls.h"

static void
httpsget_show(const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i] != '\0'; i++) {
		putchar(s[i] >= ' ' && s[i] < 0x7f ? s[i] : '?');
	}
}

int
main(int argc, char **argv)
{
	static char body[BOUND_STS_POLICY];
	struct sockaddr_storage ss;
	struct tls_config cfg = {NULL, NULL};
	struct tls_ctx *ctx;
	struct https_result r;
	struct sts_fact sts;
	struct fault f;
	const char *path = argc > 6 ? argv[6] : "/.well-known/mta-sts.txt";
	size_t first = 0;
	long ms;

	if (argc < 6 || (ms = strtol(argv[5], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: httpsget HOST ADDRESS PORT CAFILE DEADLINE_MS [PATH]\n");
		return 2;
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[2], &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
	} else if (inet_pton(AF_INET6, argv[2], &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
	} else {
		fprintf(stderr, "httpsget: not an address: %s\n", argv[2]);
		return 2;
	}
	cfg.cafile = argv[4];
	if (tls_ctx_new(&ctx, &cfg, &f) != 0) {
		fprintf(stderr, "httpsget: %s\n", f.msg);
		return 2;
	}
	(void)https_get(ctx, argv[1], path, &ss, 1, (unsigned)atoi(argv[3]), NULL, (int)ms,
	    clock_now_ms() + ms, body, sizeof(body), &r);
	memset(&sts, 0, sizeof(sts));
	https_fill_sts(&r, &sts);
	printf("fetch=%s status=%d address=%s ms=%lld body=%zu first=", sts_fetch_id(sts.fetch),
	    sts.http_status, sts.fetch_address, (long long)sts.fetch_ms, r.body_len);
	while (first < r.body_len && first < 40 && body[first] != '\r' && body[first] != '\n') {
		first++;
	}
	httpsget_show(body, first);
	printf(" type=");
	httpsget_show(r.content_type, sizeof(r.content_type));
	printf(" detail=");
	httpsget_show(sts.fetch_detail, sizeof(sts.fetch_detail));
	putchar('\n');
	tls_ctx_free(ctx);
	return sts.fetch == STS_FETCH_OK ? 0 : 1;
}
