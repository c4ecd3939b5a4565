/* i18n.c - GNU gettext set-up; see i18n.h. */
#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if ENABLE_NLS
#include <libintl.h>
#endif

#include "bounds.h"
#include "i18n.h"

/* Keep in step with po/LINGUAS (tests/i18n.sh checks). */
const char i18n_langs[] = "en de fr vi zh_CN";

static bool enabled = true;
static bool utf8 = true;
static char out_codeset[32] = "UTF-8"; /* the charset translations come in */

const char *
i18n_tr(const char *msgid)
{
#if ENABLE_NLS
	if (enabled) {
		return dgettext(PACKAGE, msgid);
	}
#endif
	return msgid;
}

const char *
i18n_ntr(const char *msgid, const char *plural, unsigned long n)
{
#if ENABLE_NLS
	if (enabled) {
		return dngettext(PACKAGE, msgid, plural, n);
	}
#endif
	return n == 1 ? msgid : plural;
}

void
i18n_enable(bool on)
{
	enabled = on;
}

bool
i18n_utf8(void)
{
	return utf8;
}

void
i18n_set_codeset(const char *codeset)
{
	snprintf(out_codeset, sizeof(out_codeset), "%s", codeset);
	utf8 = strcmp(codeset, "UTF-8") == 0;
#if ENABLE_NLS
	bind_textdomain_codeset(PACKAGE, codeset);
#endif
}

const char *
i18n_utf8_text(const char *s, char *out, size_t outsz)
{
	iconv_t cd;
	char *in = (char *)s, *o = out;
	size_t inleft = strlen(s), oleft = outsz - 1;

	if (utf8) {
		return s;
	}
	cd = iconv_open("UTF-8", out_codeset);
	if (cd == (iconv_t)-1) {
		/* No converter: keep ASCII, replace the rest. */
		size_t k = 0;

		for (; *s != '\0' && k + 1 < outsz; s++) {
			out[k++] = (unsigned char)*s < 0x80 ? *s : '?';
		}
		out[k] = '\0';
		return out;
	}
	while (inleft > 0 && oleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1) {
			break;
		}
		if (errno == E2BIG) {
			break;
		}
		/* A byte the charset does not have: '?', and go on. */
		*o++ = '?';
		oleft--;
		in++;
		inleft--;
	}
	*o = '\0';
	iconv_close(cd);
	return out;
}

static bool
is_c_locale(const char *name)
{
	return name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0;
}

/* glibc ignores LANGUAGE while LC_MESSAGES is "C" or "POSIX"; C.UTF-8
 * means the same English and lets LANGUAGE choose. */
static void
messages_not_c(void)
{
	if (is_c_locale(setlocale(LC_MESSAGES, NULL)) &&
	    setlocale(LC_MESSAGES, "C.UTF-8") == NULL) {
		setlocale(LC_MESSAGES, "C");
	}
}

/* The first of LC_ALL, LC_MESSAGES, LANG that is set, as POSIX orders them. */
static const char *
env_messages_locale(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0') {
			return v;
		}
	}
	return NULL;
}

#if ENABLE_NLS
/* Whether dir holds smtprobe's catalogue for any language it speaks. */
static bool
has_catalogue(const char *dir)
{
	char path[BOUND_LOCALE_PATH];
	const char *p = i18n_langs;

	while (*p != '\0') {
		size_t w = strcspn(p, " ");
		int n = snprintf(
		    path, sizeof(path), "%s/%.*s/LC_MESSAGES/%s.mo", dir, (int)w, p, PACKAGE);

		if (n > 0 && (size_t)n < sizeof(path) && access(path, R_OK) == 0) {
			return true;
		}
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

/* Where the catalogues are: SMTPROBE_LOCALEDIR when set; else the
 * installed LOCALEDIR; else, when nothing is installed there, the
 * locale/ directory beside the binary (the build tree, before `make
 * install`).  buf holds the last one. */
static const char *
catalogue_dir(char *buf, size_t len)
{
	const char *env = getenv("SMTPROBE_LOCALEDIR");
	char exe[BOUND_LOCALE_PATH];
	ssize_t n;
	char *slash;
	int w;

	if (env != NULL && env[0] != '\0') {
		return env;
	}
	if (has_catalogue(LOCALEDIR)) {
		return LOCALEDIR;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		return LOCALEDIR;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL) {
		return LOCALEDIR;
	}
	*slash = '\0';
	w = snprintf(buf, len, "%s/locale", exe);
	if (w < 0 || (size_t)w >= len || !has_catalogue(buf)) {
		return LOCALEDIR;
	}
	return buf;
}
#endif

void
i18n_init(void)
{
	char codeset[32] = "";
	const char *env;
	bool msg_c, have_cutf8;

	/* What the user's locale says: the charset and the language.  Only
	 * these two categories are loaded; the others stay "C". */
	if (setlocale(LC_CTYPE, "") != NULL) {
		snprintf(codeset, sizeof(codeset), "%s", nl_langinfo(CODESET));
	}
	msg_c = is_c_locale(setlocale(LC_MESSAGES, ""));

	/* Byte classification stays ASCII (C.UTF-8 has C's single-byte
	 * tables); the UTF-8 part is for display widths. */
	have_cutf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	utf8 = have_cutf8;

	/* When the named locale is not installed (containers rarely have
	 * any), take the language from its name. */
	if (msg_c) {
		env = env_messages_locale();
		if (env != NULL && !is_c_locale(env) && strncmp(env, "C.", 2) != 0 &&
		    getenv("LANGUAGE") == NULL && strlen(env) < 64 && strchr(env, '/') == NULL) {
			char lang[64];

			snprintf(lang, sizeof(lang), "%s", env);
			lang[strcspn(lang, ".@")] = '\0';
			setenv("LANGUAGE", lang, 1);
		}
	}
	messages_not_c();
#if ENABLE_NLS
	{
		char beside[BOUND_LOCALE_PATH];

		bindtextdomain(PACKAGE, catalogue_dir(beside, sizeof(beside)));
		/* The user's charset; UTF-8 when the locale has none to offer
		 * (C, POSIX: ASCII would turn every translation into '?'). */
		if (codeset[0] != '\0' && strcmp(codeset, "ANSI_X3.4-1968") != 0 &&
		    strcmp(codeset, "UTF-8") != 0) {
			i18n_set_codeset(codeset);
		} else {
			i18n_set_codeset("UTF-8");
			utf8 = have_cutf8;
		}
		textdomain(PACKAGE);
	}
#endif
}

bool
i18n_lang_known(const char *lang)
{
	size_t n = strlen(lang);
	const char *p = i18n_langs;

	while (*p != '\0') {
		size_t w = strcspn(p, " ");

		if (w == n && strncmp(p, lang, n) == 0) {
			return true;
		}
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

bool
i18n_set_lang(const char *lang)
{
	if (!i18n_lang_known(lang)) {
		return false;
	}
	/* LANGUAGE wins over the locale; re-binding makes gettext drop what
	 * it cached for the old value. */
	setenv("LANGUAGE", lang, 1);
	messages_not_c();
#if ENABLE_NLS
	textdomain(PACKAGE);
#endif
	enabled = true;
	return true;
}
