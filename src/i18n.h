/* i18n.h - the user's language: GNU gettext, and a switch that keeps the
 * machine formats (nagios, prometheus) in English unless --lang asks.
 *
 * Every user-facing string goes through _() (or N_() where it sits in a
 * table and is translated where it is printed).  Parsers never see
 * translated text: ids, keywords, codes and JSON keys stay English. */
#ifndef SMTPROBE_I18N_H
#define SMTPROBE_I18N_H

#include <stdbool.h>
#include <stddef.h>

/* The text in the user's language, or msgid itself (English) when
 * translation is off, not compiled in, or there is no translation. */
const char *i18n_tr(const char *msgid) __attribute__((format_arg(1)));

/* The singular or plural form for n, as the language counts. */
const char *i18n_ntr(const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

#define _(s) i18n_tr(s)
#define N_(s) s
#define P_(s, p, n) i18n_ntr(s, p, n)

/* Set up from the environment: LC_ALL / LC_MESSAGES / LANG pick the
 * language, LANGUAGE a list of them (also under LC_ALL=C or C.UTF-8),
 * SMTPROBE_LOCALEDIR where the catalogues are (else the installed ones,
 * else locale/ beside the binary: the build tree).  Only LC_MESSAGES follows
 * the user's locale; LC_CTYPE is C.UTF-8 (or C), so byte classification in
 * the parsers never depends on it. */
void i18n_init(void);

/* --lang: one of i18n_langs ("en" for English).  Returns false, changing
 * nothing, for a language smtprobe has no catalogue for. */
bool i18n_set_lang(const char *lang);

/* Is lang one of i18n_langs?  Changes nothing (opts_parse checks --lang
 * before opts_load switches to it). */
bool i18n_lang_known(const char *lang);

/* The languages --lang takes, space-separated. */
extern const char i18n_langs[];

/* Turn translation off (machine formats) or back on. */
void i18n_enable(bool on);

/* Whether output text is UTF-8 (display widths are counted in characters
 * then) or a single-byte charset (one byte, one column). */
bool i18n_utf8(void);

/* The charset translations are delivered in (nl_langinfo(CODESET) of
 * the user's locale; "UTF-8" unless it names another).  i18n_init sets
 * it; tests set it to try a single-byte locale without installing one. */
void i18n_set_codeset(const char *codeset);

/* s, a text in that charset (a translation, or one built from it), as
 * UTF-8 for the formats that must be UTF-8 (JSON, Prometheus): s itself
 * when the charset is UTF-8, else converted into out (bytes it cannot
 * convert become '?').  Never NULL. */
const char *i18n_utf8_text(const char *s, char *out, size_t outsz);

#endif
