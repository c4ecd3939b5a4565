/* tlsrpt.h - SMTP TLS Reporting (RFC 8460): the TXT record at
 * _smtp._tls.DOMAIN, "v=TLSRPTv1; rua=mailto:...,https://...".  Pure.
 */
#ifndef SMTPROBE_TLSRPT_H
#define SMTPROBE_TLSRPT_H

#include <stddef.h>

#define TLSRPT_MAX_RUA 8

struct tlsrpt {
	int valid;
	char error[160];               /* !valid: why */
	char rua[TLSRPT_MAX_RUA][256]; /* mailto: and https: URIs as written */
	size_t nrua;
	size_t rua_dropped;
};

int tlsrpt_parse(const char *txt, size_t len, struct tlsrpt *out);

#endif
