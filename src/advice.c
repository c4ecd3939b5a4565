/* advice.c - per-server settings for findings; see advice.h. */
#include <config.h>

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "advice.h"

static const struct advice advice_table[] = {
    /* Postfix: postconf(5), www.postfix.org/postconf.5.html */
    {F_STARTTLS_NOT_OFFERED, "Postfix",
        "smtpd_tls_security_level = may, with smtpd_tls_chain_files (or smtpd_tls_cert_file and "
        "smtpd_tls_key_file)",
        "postconf(5): smtpd_tls_security_level, smtpd_tls_chain_files"},
    {F_AUTH_BEFORE_TLS, "Postfix", "smtpd_tls_auth_only = yes", "postconf(5): smtpd_tls_auth_only"},
    {F_AUTH_NOT_OFFERED, "Postfix",
        "smtpd_sasl_auth_enable = yes (on the submission service in master.cf)",
        "postconf(5): smtpd_sasl_auth_enable; SASL_README"},
    {F_VRFY_ENUMERATION, "Postfix", "disable_vrfy_command = yes",
        "postconf(5): disable_vrfy_command"},
    {F_TLS_WEAK_DH, "Postfix",
        "smtpd_tls_dh1024_param_file with 2048-bit parameters (openssl dhparam 2048)",
        "postconf(5): smtpd_tls_dh1024_param_file"},
    /* Exim: the Exim specification, chapters "Main configuration" and
     * "SMTP authentication" (auth_advertise_hosts example). */
    {F_STARTTLS_NOT_OFFERED, "Exim",
        "tls_advertise_hosts = *, with tls_certificate and tls_privatekey",
        "Exim specification: tls_advertise_hosts, tls_certificate, tls_privatekey"},
    {F_AUTH_BEFORE_TLS, "Exim", "auth_advertise_hosts = ${if eq{$tls_in_cipher}{}{}{*}}",
        "Exim specification, SMTP authentication: auth_advertise_hosts"},
    {F_AUTH_NOT_OFFERED, "Exim",
        "an authenticator in the authenticators section, and auth_advertise_hosts",
        "Exim specification, SMTP authentication"},
    {F_VRFY_ENUMERATION, "Exim",
        "no acl_smtp_vrfy (without it Exim refuses every VRFY), or one that denies",
        "Exim specification: acl_smtp_vrfy; smtp_in.c answers 252 when the ACL denies"},
    /* Sendmail: cf/README of the sendmail distribution. */
    {F_VRFY_ENUMERATION, "Sendmail", "define(`confPRIVACY_FLAGS', `novrfy') in the .mc file",
        "sendmail cf/README: confPRIVACY_FLAGS (PrivacyOptions novrfy)"},
    {F_EXPN_EXPOSED, "Sendmail", "define(`confPRIVACY_FLAGS', `noexpn') in the .mc file",
        "sendmail cf/README: confPRIVACY_FLAGS (PrivacyOptions noexpn)"},
    {F_STARTTLS_NOT_OFFERED, "Sendmail",
        "define(`confSERVER_CERT', ...) and define(`confSERVER_KEY', ...) in the .mc file",
        "sendmail cf/README: confSERVER_CERT, confSERVER_KEY"},
    /* OpenSMTPD: smtpd.conf(5). */
    {F_STARTTLS_NOT_OFFERED, "OpenSMTPD",
        "listen on ... tls pki NAME, with pki NAME cert FILE and pki NAME key FILE",
        "smtpd.conf(5): listen on, tls, pki"},
};

const struct advice *
advice_rows(size_t *n)
{
	*n = sizeof(advice_table) / sizeof(advice_table[0]);
	return advice_table;
}

const struct advice *
advice_for(enum finding_id id, const char *server)
{
	if (server == NULL) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(advice_table) / sizeof(advice_table[0]); i++) {
		if (advice_table[i].id == id && strcmp(advice_table[i].server, server) == 0) {
			return &advice_table[i];
		}
	}
	return NULL;
}

/* Does text hold word, ASCII case ignored, not inside a longer word? */
static int
advice_has_word(const char *text, size_t len, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i + wl <= len; i++) {
		if (strncasecmp(text + i, word, wl) == 0 &&
		    (i == 0 || !((text[i - 1] | 0x20) >= 'a' && (text[i - 1] | 0x20) <= 'z')) &&
		    (i + wl == len ||
		        !((text[i + wl] | 0x20) >= 'a' && (text[i + wl] | 0x20) <= 'z'))) {
			return 1;
		}
	}
	return 0;
}

const char *
advice_server_named(const char *text, size_t len)
{
	/* The names servers put in their greeting by default: Postfix's
	 * smtpd_banner "$myhostname ESMTP $mail_name", Exim's "ESMTP Exim
	 * $version_number", Sendmail's "ESMTP Sendmail", OpenSMTPD's "ESMTP
	 * OpenSMTPD", Exchange's "Microsoft ESMTP MAIL Service", Google's
	 * "gsmtp". */
	static const struct {
		const char *word;
		const char *server;
	} names[] = {
	    {"Postfix", "Postfix"},
	    {"Exim", "Exim"},
	    {"Sendmail", "Sendmail"},
	    {"OpenSMTPD", "OpenSMTPD"},
	    {"Microsoft ESMTP MAIL Service", "Microsoft 365"},
	    {"gsmtp", "Gmail"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (advice_has_word(text, len, names[i].word)) {
			return names[i].server;
		}
	}
	return NULL;
}
