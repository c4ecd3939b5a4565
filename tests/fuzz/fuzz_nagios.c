/* libFuzzer: the nagios renderer over hostile names and server text.
 * Whatever the input, the status line holds exactly one '|' (the
 * perfdata separator), no later line of one target holds any, several
 * targets carry one '|' on the last line only, and no control byte but
 * the line feed is written. */
#include <config.h>

#include <stdlib.h>

#include "fuzz_report.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
count_pipes(const char *s, const char *end)
{
	size_t n = 0;

	for (; s < end; s++) {
		n += *s == '|';
	}
	return n;
}

static void
check_bytes(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if ((c < 0x20 && c != '\n') || c == 0x7F) {
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report r;
	struct nagios_doc *d;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	const char *nl;

	fuzz_report(&r, data, size);
	fp = open_memstream(&buf, &len);
	if (fp == NULL) {
		return 0;
	}
	render_nagios(fp, &r, NULL, NULL);
	fclose(fp);
	check_bytes(buf, len);
	nl = memchr(buf, '\n', len);
	if (nl == NULL || count_pipes(buf, nl) != 1 || count_pipes(nl, buf + len) != 0) {
		abort();
	}
	free(buf);

	buf = NULL;
	len = 0;
	fp = open_memstream(&buf, &len);
	d = nagios_doc_new(NULL, NULL);
	if (fp == NULL || d == NULL) {
		abort();
	}
	nagios_doc_add(d, &r);
	nagios_doc_add(d, &r);
	nagios_doc_write(d, fp);
	nagios_doc_free(d);
	fclose(fp);
	check_bytes(buf, len);
	/* One '|', on the last line. */
	nl = len > 1 ? memrchr(buf, '\n', len - 1) : NULL;
	if (nl == NULL || count_pipes(buf, nl) != 0 || count_pipes(nl, buf + len) != 1) {
		abort();
	}
	free(buf);
	report_free(&r);
	return 0;
}
