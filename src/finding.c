#include <config.h>

#include <string.h>

#include "finding.h"
#include "i18n.h"

static const struct finding_def finding_defs[F_COUNT] = {
	[F_RESOLVE_FAILED] = {"resolve-failed", SEV_CRITICAL,
	    N_("The target's name did not resolve to an address. Check the name and the DNS.")},
	[F_CONNECT_FAILED] = {"connect-failed", SEV_CRITICAL,
	    N_("No address of the target accepted a TCP connection (refused, unreachable or timed out). Check that the server runs and that no firewall blocks the port.")},
	[F_TIMEOUT] = {"timeout", SEV_CRITICAL,
	    N_("The server did not answer a step before its deadline. A slow or overloaded server, a tarpit, or a firewall that drops packets; raise --timeout to tell them apart.")},
	[F_CONNECTION_CLOSED] = {"connection-closed", SEV_CRITICAL,
	    N_("The server closed the connection before the session ended. Look in the server's log for why it dropped this client.")},
	[F_BANNER_REJECTED] = {"banner-rejected", SEV_CRITICAL,
	    N_("The greeting was not 220: the server refuses this client (554), is unavailable (421) or is not an SMTP server. The explanation of the code says which.")},
	[F_REPLY_MALFORMED] = {"reply-malformed", SEV_CRITICAL,
	    N_("A reply broke SMTP syntax (RFC 5321 §4.2) or a bound smtprobe puts on replies, so the session could not go on. Often not an SMTP server at all, or a broken proxy in between.")},
	[F_REPLY_LINE_LONG] = {"reply-line-long", SEV_WARNING,
	    N_("A reply line was longer than the 512 octets RFC 5321 §4.5.3.1.5 allows. Strict clients may reject it; shorten the server's reply texts.")},
	[F_REPLY_TOO_LARGE] = {"reply-too-large", SEV_WARNING,
	    N_("A reply had more lines or bytes than smtprobe keeps (200 lines, 64 KiB); the rest was read only to find the reply's end, and the session went on. No real reply is that large: a broken or hostile server.")},
	[F_REPLY_BARE_LF] = {"reply-bare-lf", SEV_WARNING,
	    N_("A reply line ended in a bare LF instead of CRLF (RFC 5321 §2.3.8). Fix the server or the proxy that rewrites line ends.")},
	[F_REPLY_CODE_MISMATCH] = {"reply-code-mismatch", SEV_WARNING,
	    N_("The lines of one multi-line reply carried different codes; RFC 5321 §4.2.1 requires the same code on every line.")},
	[F_REPLY_CONTROL_BYTES] = {"reply-control-bytes", SEV_WARNING,
	    N_("Reply text held NUL or other control bytes (shown escaped). Reply text must be printable US-ASCII (RFC 5321 §4.2).")},
	[F_REPLY_ENHANCED_MISMATCH] = {"reply-enhanced-mismatch", SEV_WARNING,
	    N_("An enhanced status code's class disagrees with the basic code (for example 250 with 5.1.1), or varies between lines (RFC 3463, RFC 2034).")},
	[F_REPLY_NONSTANDARD_CODE] = {"reply-nonstandard-code", SEV_WARNING,
	    N_("A reply code's second digit is above 5, a category RFC 5321 §4.2.1 does not define.")},
	[F_SERVICE_CLOSING] = {"service-closing", SEV_CRITICAL,
	    N_("The server answered 421: it is shutting down or ended this session (rate limit, too many errors, overload).")},
	[F_EHLO_REFUSED] = {"ehlo-refused", SEV_WARNING,
	    N_("The server refused EHLO and smtprobe fell back to HELO: no extensions, so no STARTTLS, AUTH or SIZE. Enable ESMTP on the server or on the filter in front of it.")},
	[F_EHLO_FAILED] = {"ehlo-failed", SEV_CRITICAL,
	    N_("EHLO was refused (and HELO too, when it was tried after a 500 or 502), so no mail could be sent. Check the EHLO name (--ehlo) and the server's client restrictions.")},
	[F_EHLO_SYNTAX] = {"ehlo-syntax", SEV_WARNING,
	    N_("The EHLO reply broke RFC 5321 §4.1.1.1 syntax: an invalid or repeated keyword, an empty line, or a SIZE that is not a number.")},
	[F_STARTTLS_NOT_OFFERED] = {"starttls-not-offered", SEV_WARNING,
	    N_("The server does not offer STARTTLS, so mail to it travels in clear text. Configure a certificate and enable STARTTLS.")},
	[F_STARTTLS_REFUSED] = {"starttls-refused", SEV_CRITICAL,
	    N_("STARTTLS was refused (typically 454: the server cannot read its certificate or key). Fix the server's TLS configuration.")},
	[F_STARTTLS_INJECTION] = {"starttls-injection", SEV_CRITICAL,
	    N_("Bytes arrived with or after the STARTTLS 220 reply, before the TLS handshake. They were discarded unread. This is the response-injection pattern (CVE-2011-0411 class): a man in the middle, or a server that buffers across STARTTLS.")},
	[F_TLS_HANDSHAKE_FAILED] = {"tls-handshake-failed", SEV_CRITICAL,
	    N_("The TLS handshake failed: no common protocol or cipher, an alert from the server, or not TLS at all. The message gives OpenSSL's reason.")},
	[F_TLS_VERIFY_FAILED] = {"tls-verify-failed", SEV_CRITICAL,
	    N_("The server's certificate did not verify (expired, not yet valid, wrong name, self-signed, unknown issuer or incomplete chain). Fix the certificate, or use --cafile for a private CA.")},
	[F_TLS_UNVERIFIED] = {"tls-unverified", SEV_INFO,
	    N_("The certificate did not verify, but --insecure was given, so the probe went on. The reason is reported for information.")},
	[F_TLS_OLD_PROTOCOL] = {"tls-old-protocol", SEV_WARNING,
	    N_("The server negotiated a TLS version older than 1.2. Enable TLS 1.2 and 1.3 on the server.")},
	[F_TLS_WEAK_KEY] = {"tls-weak-key", SEV_WARNING,
	    N_("A certificate the server sent (its own, or one of the chain, named by its place and subject) has a weak key (RSA, DSA or DH below 2048 bits, EC below 224): it can be factored or forged, and clients at OpenSSL security level 2 refuse it. Issue a new certificate with RSA 2048+ or ECDSA P-256, or send a current intermediate.")},
	[F_TLS_WEAK_SIGNATURE] = {"tls-weak-signature", SEV_WARNING,
	    N_("A certificate the server sent (its own, or one of the chain) is signed with SHA-1 or MD5, digests with known collisions; current clients reject it. Have it reissued with SHA-256, or send a current intermediate.")},
	[F_TLS_WEAK_DH] = {"tls-weak-dh", SEV_WARNING,
	    N_("The key exchange used finite-field Diffie-Hellman with a group below 2048 bits (RFC 7919, NIST SP 800-57): a 1024-bit group is within reach of precomputation (Logjam), so recorded sessions can be decrypted. smtprobe sends no credentials over it. Use ECDHE, or DH groups of 2048 bits or more.")},
	[F_STARTTLS_INJECTION_VULNERABLE] = {"starttls-injection-vulnerable", SEV_CRITICAL,
	    N_("The server executed a command sent in plain text together with STARTTLS after the TLS handshake (the CVE-2011-0411 class): an attacker can inject commands into the encrypted session. Upgrade the server; it must discard its input buffer at STARTTLS.")},
	[F_STARTTLS_INJECTION_TESTED] = {"starttls-injection-tested", SEV_INFO,
	    N_("--check-starttls-injection found the server not vulnerable: it discarded the command sent in plain text with STARTTLS.")},
	[F_CERT_EXPIRES_SOON] = {"cert-expires-soon", SEV_WARNING,
	    N_("The server's certificate expires soon (WARNING within 30 days, CRITICAL within 7). Renew it.")},
	[F_CERT_EXPIRED] = {"cert-expired", SEV_CRITICAL,
	    N_("A certificate the server sent has expired (its own, or one of the chain, named by its place and subject): clients that verify refuse it, and --insecure does not change that (it only lets the probe go on). Renew it, or send the current intermediate.")},
	[F_CERT_NOT_YET_VALID] = {"cert-not-yet-valid", SEV_CRITICAL,
	    N_("The server's certificate is not valid yet: its start date lies in the future (or the server's or this machine's clock is wrong). Clients that verify refuse it.")},
	[F_STARTTLS_INJECTION_INCONCLUSIVE] = {"starttls-injection-inconclusive", SEV_UNKNOWN,
	    N_("--check-starttls-injection could not run: the server does not advertise PIPELINING, or it refused the pipelined STARTTLS. Nothing is known about the vulnerability either way.")},
	[F_QUIT_UNANSWERED] = {"quit-unanswered", SEV_INFO,
	    N_("The server did not answer QUIT with 221 before the short QUIT deadline. Harmless for delivery.")},
	[F_PARAM_NOT_ADVERTISED] = {"param-not-advertised", SEV_WARNING,
	    N_("A MAIL FROM or RCPT TO parameter needs an extension the server does not advertise in its EHLO reply; the server would answer 555 or 504 5.5.4. The command was not sent (--force sends it). Drop the parameter, or enable the extension on the server.")},
	[F_PARAM_UNKNOWN] = {"param-unknown", SEV_WARNING,
	    N_("A parameter no SMTP extension defines for that command (a typo, or one meant for the other command). The command was not sent (--force sends it).")},
	[F_PARAM_ACCEPTED] = {"param-accepted-unadvertised", SEV_WARNING,
	    N_("A parameter the server does not advertise was sent with --force and accepted. The server ignores what it does not support, so the promise the parameter asks for (REQUIRETLS, DSN, a size limit...) is likely not kept.")},
	[F_PARAM_BAD_VALUE] = {"param-bad-value", SEV_WARNING,
	    N_("A parameter's value does not have the form its RFC requires; the server would answer 501 5.5.4. The command was not sent (--force sends it).")},
	[F_SIZE_OVER_LIMIT] = {"size-over-limit", SEV_WARNING,
	    N_("The SIZE declared in MAIL FROM is above the maximum the server advertises; it would answer 552 5.3.4. The command was not sent (--force sends it).")},
	[F_SMTPUTF8_REQUIRED] = {"smtputf8-required", SEV_WARNING,
	    N_("A non-ASCII address needs SMTPUTF8 (RFC 6531): advertised by the server and requested with the SMTPUTF8 parameter on MAIL FROM; otherwise the answer is 553 5.6.7. The command was not sent (--force sends it).")},
	[F_AUTH_NOT_OFFERED] = {"auth-not-offered", SEV_CRITICAL,
	    N_("AUTH was asked for, but the server advertises no AUTH in its EHLO reply (after TLS, if any). Enable SMTP AUTH on the server (often on the submission port only).")},
	[F_AUTH_MECH_NOT_ADVERTISED] = {"auth-mech-not-advertised", SEV_WARNING,
	    N_("The AUTH mechanism asked for is not in the server's AUTH list; it would answer 504 5.5.4. AUTH was not sent (--force sends it). Pick a listed mechanism, or --auth auto.")},
	[F_AUTH_BEFORE_TLS] = {"auth-before-tls", SEV_WARNING,
	    N_("The server advertises AUTH before TLS, inviting clients to send passwords in clear. Offer AUTH only after STARTTLS.")},
	[F_AUTH_PLAINTEXT_REFUSED] = {"auth-plaintext-refused", SEV_CRITICAL,
	    N_("smtprobe refused to authenticate over a connection without TLS: the server offers no safe way to authenticate. Enable STARTTLS on the server, or pass --allow-plaintext-auth on a network you trust.")},
	[F_AUTH_SKIPPED] = {"auth-skipped", SEV_WARNING,
	    N_("AUTH was asked for but not attempted: smtprobe sends credentials only over TLS whose certificate verified for a name the user gave (not one taken from an unauthenticated MX lookup), with a strong key exchange. The message says which condition failed.")},
	[F_AUTH_FAILED] = {"auth-failed", SEV_CRITICAL,
	    N_("Authentication failed; the explanation of the reply says why (535 5.7.8: wrong credentials, 534: mechanism too weak, 538: TLS needed, 454: server back end down).")},
	[F_AUTH_SERVER_UNPROVEN] = {"auth-server-unproven", SEV_CRITICAL,
	    N_("The server did not prove that it knows the password: SCRAM's server signature (RFC 5802 §3) was missing before the 235, or wrong. A real server always sends it; this one may be an impostor (a man in the middle, or a wrong host) that now holds a proof computed from the password. Check the certificate and the host name; change the password if in doubt.")},
	[F_MAIL_REJECTED] = {"mail-rejected", SEV_CRITICAL,
	    N_("MAIL FROM was refused (CRITICAL for 5yz, WARNING for 4yz); the explanation of the reply says why.")},
	[F_RCPT_REJECTED] = {"rcpt-rejected", SEV_CRITICAL,
	    N_("A recipient was refused (CRITICAL for 5yz, WARNING for 4yz such as greylisting); the explanation of the reply says why.")},
	[F_VRFY_ENUMERATION] = {"vrfy-enumeration", SEV_WARNING,
	    N_("VRFY confirmed an address (250 or 251): anyone can find out which users exist. Disable VRFY, or answer every VRFY alike (252).")},
	[F_EXPN_EXPOSED] = {"expn-exposed", SEV_WARNING,
	    N_("EXPN revealed a list's members to an anonymous client. Disable EXPN, or answer 252 or 502.")},
	[F_STEP_SKIPPED] = {"step-skipped", SEV_INFO,
	    N_("A planned step was not sent because an earlier one failed or was flagged (no RCPT without an accepted MAIL).")},
	[F_TIME_THRESHOLD] = {"time-threshold", SEV_WARNING,
	    N_("The whole probe took longer than the -w (WARNING) or -c (CRITICAL) threshold. A slow server, DNS, or network path; the step timings say where the time went.")},
	[F_CAPABILITY_MISSING] = {"capability-missing", SEV_CRITICAL,
	    N_("A keyword named with --require-capability is not in the server's EHLO reply (after TLS, if any). Enable the extension on the server.")},
	[F_BANNER_UNEXPECTED] = {"banner-unexpected", SEV_CRITICAL,
	    N_("The greeting did not match --expect-banner: another server (or a proxy, or a changed configuration) answers on this address.")},
	[F_NULL_MX] = {"null-mx", SEV_CRITICAL,
	    N_("The domain publishes a null MX (RFC 7505: MX 0 \".\"): it declares that it accepts no mail. Publish real MX records if it should.")},
	[F_MX_FALLBACK] = {"mx-fallback", SEV_INFO,
	    N_("The domain has no MX records, so its own A/AAAA addresses were used (the implicit MX of RFC 5321 §5.1). Publish MX records to make the mail route explicit.")},
	[F_MX_ADDRESS_LITERAL] = {"mx-address-literal", SEV_CRITICAL,
	    N_("An MX record names an IP address where a host name belongs (RFC 1035 §3.3.9: the exchange is a domain name). Senders do not deliver there: Postfix logs \"numeric domain name in resource data of MX record\" and skips the record. Publish a host name with A/AAAA records instead. smtprobe does not probe it.")},
	[F_INTERNAL] = {"internal-error", SEV_UNKNOWN,
	    N_("smtprobe itself failed (out of memory, a local TLS setup error such as an unreadable --cafile).")},
};

const struct finding_def *
finding_def(enum finding_id id)
{
	return &finding_defs[(unsigned)id < F_COUNT ? id : F_INTERNAL];
}

int
finding_by_name(const char *name, enum finding_id *id)
{
	for (int i = 0; i < F_COUNT; i++) {
		if (strcmp(finding_defs[i].id, name) == 0) {
			*id = (enum finding_id)i;
			return 0;
		}
	}
	return -1;
}

const char *
sev_name(enum sev s)
{
	switch (s) {
	case SEV_OK:
		return "OK";
	case SEV_WARNING:
		return "WARNING";
	case SEV_CRITICAL:
		return "CRITICAL";
	case SEV_UNKNOWN:
		return "UNKNOWN";
	case SEV_INFO:
		return "INFO";
	}
	return "UNKNOWN";
}

/* Rank for the verdict: OK/INFO < UNKNOWN < WARNING < CRITICAL, the
 * order of monitoring-plugins' max_state_alt(). */
static int
sev_rank(enum sev s)
{
	switch (s) {
	case SEV_OK:
	case SEV_INFO:
		return 0;
	case SEV_UNKNOWN:
		return 1;
	case SEV_WARNING:
		return 2;
	case SEV_CRITICAL:
		return 3;
	}
	return 1;
}

enum sev
sev_worst(enum sev a, enum sev b)
{
	enum sev w = sev_rank(a) >= sev_rank(b) ? a : b;

	return w == SEV_INFO ? SEV_OK : w;
}
