/* libFuzzer: the Prometheus renderer over hostile names.  Whatever the
 * input, every line is a comment or a well-formed series: a name, label
 * values with no escapes but \\, \" and \n and no raw byte outside
 * printable ASCII, and a value; and no series appears twice. */
#include <config.h>

#include <stdlib.h>

#include "fuzz_report.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One series line, [p, end): name{k="v",...} value */
static void
check_series(const char *p, const char *end)
{
	if (p == end || !((*p >= 'a' && *p <= 'z') || *p == '_')) {
		abort();
	}
	while (p < end && *p != '{' && *p != ' ') {
		p++;
	}
	if (p < end && *p == '{') {
		p++;
		while (p < end && *p != '}') {
			while (p < end && *p != '=') {
				if (!((*p >= 'a' && *p <= 'z') || *p == '_')) {
					abort();
				}
				p++;
			}
			if (end - p < 2 || p[1] != '"') {
				abort();
			}
			p += 2;
			while (p < end && *p != '"') {
				unsigned char c = (unsigned char)*p;

				if (c == '\\') {
					if (p + 1 >= end ||
					    (p[1] != '\\' && p[1] != '"' && p[1] != 'n')) {
						abort();
					}
					p++;
				} else if (c < 0x20 || c >= 0x7F) {
					abort();
				}
				p++;
			}
			if (p >= end) {
				abort();
			}
			p++;
			if (p < end && *p == ',') {
				p++;
			}
		}
		if (p >= end) {
			abort();
		}
		p++;
	}
	if (p >= end || *p != ' ') {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report r;
	struct prom_doc *d;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	const char *p, *end;

	fuzz_report(&r, data, size);
	fp = open_memstream(&buf, &len);
	d = prom_doc_new();
	if (fp == NULL || d == NULL) {
		abort();
	}
	/* The same report twice: its series must appear once. */
	prom_doc_add(d, &r);
	prom_doc_add(d, &r);
	prom_doc_write(d, fp);
	prom_doc_free(d);
	fclose(fp);
	for (p = buf; p < buf + len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(buf + len - p));
		if (end == NULL) {
			abort();
		}
		if (*p != '#') {
			check_series(p, end);
			/* No earlier line is the same series. */
			for (const char *q = buf; q < p;
			     q = (const char *)memchr(q, '\n', (size_t)(p - q)) + 1) {
				const char *qe = memchr(q, '\n', (size_t)(p - q));
				const char *sp = memrchr(p, ' ', (size_t)(end - p));
				const char *qsp = memrchr(q, ' ', (size_t)(qe - q));

				if (*q != '#' && sp != NULL && qsp != NULL && sp - p == qsp - q &&
				    memcmp(p, q, (size_t)(sp - p)) == 0) {
					abort();
				}
			}
		}
	}
	free(buf);
	report_free(&r);
	return 0;
}
