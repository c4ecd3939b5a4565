/* idn.c - internationalised domain names through libidn2, opened on first
 * use; see idn.h. */
#include <config.h>

#include <idn2.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dlib.h"
#include "i18n.h"
#include "idn.h"

struct idn_lib {
	__typeof__(&idn2_to_ascii_8z) to_ascii;
	__typeof__(&idn2_to_unicode_8z8z) to_unicode;
	__typeof__(&idn2_strerror) strerror;
	__typeof__(&idn2_free) free;
};

static struct idn_lib idn_fns;

static const struct dlib_sym idn_syms[] = {DLIB_SYM("idn2_to_ascii_8z", idn_fns.to_ascii),
    DLIB_SYM("idn2_to_unicode_8z8z", idn_fns.to_unicode),
    DLIB_SYM("idn2_strerror", idn_fns.strerror), DLIB_SYM("idn2_free", idn_fns.free),
    {NULL, NULL, 0}};

static struct dlib idn_dl = {.soname = IDN2_SONAME, .syms = idn_syms};

int
idn_needed(const char *name)
{
	const char *label = name;

	for (const char *p = name; *p != '\0'; p++) {
		if ((unsigned char)*p > 0x7F) {
			return 1;
		}
	}
	while (label != NULL) {
		if (strncasecmp(label, "xn--", 4) == 0) {
			return 1;
		}
		label = strchr(label, '.');
		label = label != NULL ? label + 1 : NULL;
	}
	return 0;
}

/* name for a message: at most 80 bytes, control bytes and (raw: the name
 * is not UTF-8) every byte above 0x7F as \xNN. */
static void
idn_shown(const char *name, int raw, char *out, size_t size)
{
	size_t w = 0;

	for (size_t i = 0; name[i] != '\0' && i < 80 && w + 5 < size; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7F || (raw && c > 0x7F)) {
			w += (size_t)snprintf(out + w, size - w, "\\x%02X", c);
		} else {
			out[w++] = (char)c;
		}
	}
	out[w] = '\0';
}

int
idn_convert(const char *name, const char *what, char *ascii, size_t asize, char *uni, size_t usize,
    struct fault *f)
{
	char *a = NULL, *u = NULL;
	int rc;

	uni[0] = '\0';
	if (!idn_needed(name)) {
		snprintf(ascii, asize, "%s", name);
		return 0;
	}
	if (!dlib_load(&idn_dl)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s '%.80s' is an internationalised name, but libidn2 could not be loaded: "
		      "%s"),
		    what, name, idn_dl.why);
	}
	rc = idn_fns.to_ascii(name, &a, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc == IDN2_OK) {
		rc = idn_fns.to_unicode(a, &u, 0);
	}
	if (rc != IDN2_OK) {
		char shown[4 * 80 + 1];

		idn_fns.free(a);
		/* Bytes that are not UTF-8 are shown as \xNN, not sent to the terminal. */
		idn_shown(name, rc == IDN2_ENCODING_ERROR, shown, sizeof(shown));
		/* libidn2's reason is English; it says which rule failed. */
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s '%s' is not a valid internationalised domain name (IDNA2008, UTS #46): "
		      "%s"),
		    what, shown, idn_fns.strerror(rc));
	}
	if (strlen(a) >= asize || strlen(u) >= usize) {
		idn_fns.free(a);
		idn_fns.free(u);
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s '%.80s' is longer than %zu bytes"),
		    what, name, asize - 1);
	}
	memcpy(ascii, a, strlen(a) + 1);
	memcpy(uni, u, strlen(u) + 1);
	idn_fns.free(a);
	idn_fns.free(u);
	return 1;
}
