#include <config.h>

#include <stdint.h>
#include <string.h>

#include "bounds.h"
#include "finding.h"
#include "i18n.h"

static const struct finding_def finding_defs[F_COUNT] = {
    [F_RESOLVE_FAILED] = {"resolve-failed", SEV_CRITICAL,
        N_("The target's name did not resolve to an address."),
        N_("Without an address no client can connect, so no mail reaches this host."),
        N_("Check the spelling of the name and its A/AAAA (or MX) records in the DNS.")},
    [F_CONNECT_FAILED] = {"connect-failed", SEV_CRITICAL,
        N_("No address of the target accepted a TCP connection: refused, unreachable or timed "
           "out."),
        N_("Mail for this host waits in senders' queues, and bounces after some days."),
        N_("Check that the server runs and listens on this port, and that no firewall blocks it.")},
    [F_TIMEOUT] = {"timeout", SEV_CRITICAL,
        N_("The server did not answer a step before its deadline."),
        N_("Senders give up too and try again later, so mail is delayed or bounces."),
        N_("Look for an overloaded server, a tarpit or a firewall that drops packets; a larger "
           "--timeout tells slow from silent.")},
    [F_CONNECTION_CLOSED] = {"connection-closed", SEV_CRITICAL,
        N_("The server closed the connection before the session ended."),
        N_("A sender whose connection is dropped cannot deliver, and must try again later."),
        N_("Look in the server's log for why it dropped this client.")},
    [F_BANNER_REJECTED] = {"banner-rejected", SEV_CRITICAL,
        N_("The greeting was not 220: the server refuses this client (554), is unavailable (421), "
           "or is not an SMTP server."),
        N_("No mail can be sent in a session whose greeting is not 220."),
        N_("Read the explanation of the greeting's code, and check the server's client "
           "restrictions and its log.")},
    [F_REPLY_MALFORMED] = {"reply-malformed", SEV_CRITICAL,
        N_("A reply broke SMTP syntax (RFC 5321 §4.2) or a bound smtprobe puts on replies, so the "
           "session could not go on."),
        N_("Clients cannot read such replies; often this is not an SMTP server at all, or a broken "
           "proxy is in between."),
        N_("Check that an SMTP server answers on this port, and fix or remove any proxy in front "
           "of it.")},
    [F_REPLY_LINE_LONG] = {"reply-line-long", SEV_WARNING,
        N_("A reply line was longer than the 512 octets RFC 5321 §4.5.3.1.5 allows."),
        N_("Strict clients may cut the reply or reject it."),
        N_("Shorten the server's reply texts.")},
    [F_REPLY_TOO_LARGE] = {"reply-too-large", SEV_WARNING,
        N_("A reply had more lines or bytes than smtprobe keeps (200 lines, 64 KiB); the rest was "
           "read only to find its end."),
        N_("No real reply is that large: the server is broken or hostile."),
        N_("Find what makes the server send such replies (a filter, a banner file) and fix it.")},
    [F_REPLY_BARE_LF] = {"reply-bare-lf", SEV_WARNING,
        N_("A reply line ended in a bare LF instead of CRLF (RFC 5321 §2.3.8)."),
        N_("Strict clients may misread the reply or refuse it."),
        N_("Make the server, or the proxy that rewrites line ends, send CRLF.")},
    [F_REPLY_CODE_MISMATCH] = {"reply-code-mismatch", SEV_WARNING,
        N_("The lines of one multi-line reply carried different codes."),
        N_("RFC 5321 §4.2.1 requires the same code on every line; clients may act on the wrong "
           "one."),
        N_("Fix the server or filter that builds the reply, so that every line has the same "
           "code.")},
    [F_REPLY_CONTROL_BYTES] = {"reply-control-bytes", SEV_WARNING,
        N_("Reply text held NUL or other control bytes (shown escaped)."),
        N_("Reply text must be printable US-ASCII (RFC 5321 §4.2); control bytes can garble logs "
           "and terminals."),
        N_("Find the reply text that holds them (a banner, a filter's message) and remove them.")},
    [F_REPLY_ENHANCED_MISMATCH] = {"reply-enhanced-mismatch", SEV_WARNING,
        N_("An enhanced status code's class disagrees with the basic code (250 with 5.1.1, say), "
           "or varies between lines."),
        N_("Clients that read enhanced codes (RFC 3463, RFC 2034) may take success for failure, or "
           "the reverse."),
        N_("Make the server's enhanced code agree with its basic code on every line.")},
    [F_REPLY_NONSTANDARD_CODE] = {"reply-nonstandard-code", SEV_WARNING,
        N_("A reply code's second digit is above 5, a category RFC 5321 §4.2.1 does not define."),
        N_("Clients can act on the first digit only, and may log the code as an error."),
        N_("Make the server or filter use a code RFC 5321 defines.")},
    [F_SERVICE_CLOSING] = {"service-closing", SEV_CRITICAL,
        N_("The server answered 421: it is shutting down, or it ended this session."),
        N_("Mail is deferred for as long as the server answers 421."),
        N_("Look in the server's log for the cause: a rate limit, too many errors, overload or a "
           "restart.")},
    [F_RATE_LIMITED] = {"rate-limited", SEV_WARNING,
        N_("The server limits this client: too many connections at once, or too many in a while. "
           "Its 4yz reply says so in its code or words; what lay beyond that reply could not be "
           "checked."),
        N_("Until the limit passes the server defers this client's mail, and a probe sees nothing "
           "past the refusal, so nothing is concluded about it (no STARTTLS, a failed check)."),
        N_("Open fewer connections at once (smtprobe: lower --parallel or --per-ip), probe again "
           "later (--retry-after), or have the server's admin raise the limit for your address.")},
    [F_EHLO_REFUSED] = {"ehlo-refused", SEV_WARNING,
        N_("The server refused EHLO, and smtprobe fell back to HELO."),
        N_("Without EHLO there are no extensions: no STARTTLS, AUTH or SIZE."),
        N_("Enable ESMTP on the server, or on the filter in front of it.")},
    [F_EHLO_FAILED] = {"ehlo-failed", SEV_CRITICAL,
        N_("EHLO was refused (and HELO too, when it was tried after a 500 or 502)."),
        N_("No mail can be sent in this session."),
        N_("Check the EHLO name (--ehlo) and the server's client restrictions.")},
    [F_EHLO_SYNTAX] = {"ehlo-syntax", SEV_WARNING,
        N_("The EHLO reply broke RFC 5321 §4.1.1.1 syntax: an invalid or repeated keyword, an "
           "empty line, or a SIZE that is not a number."),
        N_("Clients may ignore the extension, or the whole reply."),
        N_("Fix the server's EHLO reply, or the filter that rewrites it.")},
    [F_NOT_LMTP] = {"not-lmtp", SEV_CRITICAL,
        N_("The server does not understand LHLO, LMTP's greeting command (RFC 2033 §4.1): it "
           "answered 500 or 502, as an SMTP server does. It is not an LMTP server."),
        N_("An LMTP client (a mail store's delivery agent, a content filter's return path) cannot "
           "deliver to it: LMTP has no fallback to HELO or EHLO."),
        N_("Point the client, and the probe, at the LMTP listener (its socket or port); if this "
           "server is meant to speak SMTP, probe it with --protocol smtp.")},
    [F_STARTTLS_NOT_OFFERED] = {"starttls-not-offered", SEV_WARNING,
        N_("The server does not offer STARTTLS."),
        N_("Mail to it travels in clear text, readable and changeable on the way."),
        N_("Give the server a certificate and its key, and enable STARTTLS.")},
    [F_STARTTLS_REFUSED] = {"starttls-refused", SEV_CRITICAL,
        N_("The server refused STARTTLS, typically with 454."),
        N_("Clients fall back to clear text or, when they require TLS, do not deliver."),
        N_("Check that the server can read its certificate and key, and look in its log.")},
    [F_STARTTLS_INJECTION] = {"starttls-injection", SEV_CRITICAL,
        N_("Bytes arrived with or after the STARTTLS 220 reply, before the TLS handshake; they "
           "were discarded unread."),
        N_("This is the response-injection pattern (CVE-2011-0411 class): a man in the middle, or "
           "a server that buffers across STARTTLS."),
        N_("Probe from another network to rule out a middlebox; if it persists, upgrade the "
           "server.")},
    [F_TLS_HANDSHAKE_FAILED] = {"tls-handshake-failed", SEV_CRITICAL,
        N_("The TLS handshake failed: no common protocol or cipher, an alert from the server, or "
           "not TLS at all."),
        N_("Without TLS there is no encrypted delivery, and clients that require TLS do not "
           "deliver."),
        N_("Read OpenSSL's reason in the message; enable TLS 1.2 and 1.3 with current ciphers on "
           "the server.")},
    [F_TLS_VERIFY_FAILED] = {"tls-verify-failed", SEV_CRITICAL,
        N_("The server's certificate did not verify: expired, not yet valid, wrong name, "
           "self-signed, unknown issuer or incomplete chain."),
        N_("Clients that verify (MTA-STS, DANE, mail programs on submission) refuse to deliver or "
           "to log in."),
        N_("Install a certificate for this name with its full chain; for a private CA, use "
           "--cafile.")},
    [F_TLS_UNVERIFIED] = {"tls-unverified", SEV_INFO,
        N_("The certificate did not verify, but --insecure was given, so the probe went on."),
        N_("Clients that verify would refuse this server; the reason is reported so that it is not "
           "lost."),
        N_("Nothing to do for the probe; fix the certificate if clients are to verify it.")},
    [F_TLS_OLD_PROTOCOL] = {"tls-old-protocol", SEV_WARNING,
        N_("The server negotiated a TLS version older than 1.2."),
        N_("TLS 1.0 and 1.1 are deprecated (RFC 8996), and current clients refuse them."),
        N_("Enable TLS 1.2 and 1.3 on the server.")},
    [F_TLS_WEAK_KEY] = {"tls-weak-key", SEV_WARNING,
        N_("A certificate the server sent (its own, or one of the chain) has a weak key: RSA, DSA "
           "or DH below 2048 bits, EC below 224."),
        N_("Such keys can be factored or forged, and clients at OpenSSL security level 2 refuse "
           "them."),
        N_("Issue a new certificate with RSA 2048+ or ECDSA P-256, or send a current "
           "intermediate.")},
    [F_TLS_WEAK_SIGNATURE] = {"tls-weak-signature", SEV_WARNING,
        N_("A certificate the server sent (its own, or one of the chain) is signed with SHA-1 or "
           "MD5."),
        N_("These digests have known collisions, and current clients reject such certificates."),
        N_("Have the certificate reissued with SHA-256, or send a current intermediate.")},
    [F_TLS_WEAK_DH] = {"tls-weak-dh", SEV_WARNING,
        N_("The key exchange used finite-field Diffie-Hellman with a group below 2048 bits."),
        N_("A 1024-bit group is within reach of precomputation (Logjam; RFC 7919), so recorded "
           "sessions can be decrypted; smtprobe sends no credentials over it."),
        N_("Prefer ECDHE, or use DH groups of 2048 bits or more.")},
    [F_STARTTLS_INJECTION_VULNERABLE] = {"starttls-injection-vulnerable", SEV_CRITICAL,
        N_("The server ran a command sent in plain text together with STARTTLS after the TLS "
           "handshake (the CVE-2011-0411 class)."),
        N_("An attacker can inject commands into the encrypted session."),
        N_("Upgrade the server: it must discard its input buffer at STARTTLS.")},
    [F_STARTTLS_INJECTION_TESTED] = {"starttls-injection-tested", SEV_INFO,
        N_("--check-starttls-injection found the server not vulnerable: it discarded the command "
           "sent in plain text with STARTTLS."),
        N_("It records that the test ran, and what it found."), N_("Nothing to do.")},
    [F_CERT_EXPIRES_SOON] = {"cert-expires-soon", SEV_WARNING,
        N_("The server's certificate expires soon (by default WARNING within 30 days, CRITICAL "
           "within 7)."),
        N_("Once it has expired, clients that verify refuse the server."),
        N_("Renew the certificate, and check that its renewal runs by itself.")},
    [F_CERT_EXPIRED] = {"cert-expired", SEV_CRITICAL,
        N_("A certificate the server sent has expired: its own, or one of the chain, named by its "
           "place and subject."),
        N_("Clients that verify refuse it; --insecure only lets the probe go on."),
        N_("Renew the certificate, or send the current intermediate.")},
    [F_CERT_NOT_YET_VALID] = {"cert-not-yet-valid", SEV_CRITICAL,
        N_("The server's certificate is not valid yet: its start date lies in the future."),
        N_("Clients that verify refuse it."),
        N_("Check the clocks of the server and of this machine; else install a certificate that is "
           "valid now.")},
    [F_STARTTLS_INJECTION_INCONCLUSIVE] = {"starttls-injection-inconclusive", SEV_UNKNOWN,
        N_("--check-starttls-injection could not run: the server does not advertise PIPELINING, or "
           "it refused the pipelined STARTTLS."),
        N_("Nothing is known about the vulnerability either way."),
        N_("Nothing to fix on the server for this: accept it with --ignore, or probe without "
           "--check-starttls-injection.")},
    [F_QUIT_UNANSWERED] = {"quit-unanswered", SEV_INFO,
        N_("The server did not answer QUIT with 221 before the short QUIT deadline."),
        N_("Harmless for delivery: by then mail is accepted or refused."), N_("Nothing to do.")},
    [F_PARAM_NOT_ADVERTISED] = {"param-not-advertised", SEV_WARNING,
        N_("A MAIL FROM or RCPT TO parameter needs an extension the server does not advertise; the "
           "command was not sent (--force sends it)."),
        N_("The server would answer 555 or 504 5.5.4."),
        N_("Drop the parameter, or enable the extension on the server.")},
    [F_PARAM_UNKNOWN] = {"param-unknown", SEV_WARNING,
        N_("No SMTP extension defines this parameter for that command; the command was not sent "
           "(--force sends it)."),
        N_("A server would refuse it, with 555 or 501."),
        N_("Check the spelling, and whether the parameter belongs to MAIL FROM or to RCPT TO.")},
    [F_PARAM_ACCEPTED] = {"param-accepted-unadvertised", SEV_WARNING,
        N_("A parameter the server does not advertise was sent with --force, and accepted."),
        N_("A server ignores what it does not support, so what the parameter asks for (REQUIRETLS, "
           "DSN, a size limit...) is likely not done."),
        N_("Enable the extension on the server, or do not rely on the parameter.")},
    [F_PARAM_BAD_VALUE] = {"param-bad-value", SEV_WARNING,
        N_("A parameter's value does not have the form its RFC requires; the command was not sent "
           "(--force sends it)."),
        N_("The server would answer 501 5.5.4."),
        N_("Correct the value, as the parameter's RFC defines it.")},
    [F_SIZE_OVER_LIMIT] = {"size-over-limit", SEV_WARNING,
        N_("The SIZE declared in MAIL FROM is above the maximum the server advertises; the command "
           "was not sent (--force sends it)."),
        N_("The server would answer 552 5.3.4: a message this large cannot be delivered to it."),
        N_("Send a smaller message, or raise the server's message size limit.")},
    [F_SMTPUTF8_REQUIRED] = {"smtputf8-required", SEV_WARNING,
        N_("A non-ASCII address needs SMTPUTF8 (RFC 6531), advertised by the server and asked for "
           "on MAIL FROM; the command was not sent (--force sends it)."),
        N_("Without it the server would answer 553 5.6.7."),
        N_("Add --mail-param SMTPUTF8, and enable SMTPUTF8 on the server.")},
    [F_AUTH_NOT_OFFERED] = {"auth-not-offered", SEV_CRITICAL,
        N_("AUTH was asked for, but the server advertises no AUTH in its EHLO reply (after TLS, if "
           "any)."),
        N_("Users cannot log in to send mail through this server."),
        N_("Enable SMTP AUTH on the server, often on the submission port (587) only.")},
    [F_AUTH_MECH_NOT_ADVERTISED] = {"auth-mech-not-advertised", SEV_WARNING,
        N_("The AUTH mechanism asked for is not in the server's AUTH list; AUTH was not sent "
           "(--force sends it)."),
        N_("The server would answer 504 5.5.4."),
        N_("Pick a listed mechanism, or use --auth auto.")},
    [F_AUTH_BEFORE_TLS] = {"auth-before-tls", SEV_WARNING,
        N_("The server advertises AUTH before TLS."),
        N_("It invites clients to send passwords in clear text."),
        N_("Offer AUTH only after STARTTLS.")},
    [F_AUTH_PLAINTEXT_REFUSED] = {"auth-plaintext-refused", SEV_CRITICAL,
        N_("smtprobe refused to authenticate over a connection without TLS."),
        N_("The server offers no safe way to send credentials."),
        N_("Enable STARTTLS on the server, or pass --allow-plaintext-auth on a network you "
           "trust.")},
    [F_AUTH_SKIPPED] = {"auth-skipped", SEV_WARNING,
        N_("AUTH was asked for but not attempted: smtprobe sends credentials only over TLS whose "
           "certificate verified for a name the user gave (not one taken from an MX lookup), with "
           "a strong key exchange."),
        N_("Credentials sent to a peer that could be an impostor, or over a breakable channel, can "
           "be stolen; the message says which condition failed."),
        N_("Fix what the message names (the certificate, the key exchange), or name the server "
           "with --tls-name; for a private CA, use --cafile.")},
    [F_AUTH_FAILED] = {"auth-failed", SEV_CRITICAL, N_("Authentication failed."),
        N_("Users with these credentials cannot send mail."),
        N_("Read the explanation of the reply: 535 5.7.8 wrong credentials, 534 mechanism too "
           "weak, 538 TLS needed, 454 the server's back end is down.")},
    [F_AUTH_SERVER_UNPROVEN] = {"auth-server-unproven", SEV_CRITICAL,
        N_("The server did not prove that it knows the password: SCRAM's server signature (RFC "
           "5802 §3) was missing before the 235, or wrong."),
        N_("A real server always sends it; this one may be an impostor (a man in the middle, or a "
           "wrong host) that now holds a proof computed from the password."),
        N_("Check the certificate and the host name; change the password if in doubt.")},
    [F_MAIL_REJECTED] = {"mail-rejected", SEV_CRITICAL,
        N_("MAIL FROM was refused (CRITICAL for 5yz, WARNING for 4yz)."),
        N_("No mail from this sender is accepted."),
        N_("Read the explanation of the reply; check the sender address and the server's sender "
           "restrictions.")},
    [F_RCPT_REJECTED] = {"rcpt-rejected", SEV_CRITICAL,
        N_("A recipient was refused (CRITICAL for 5yz, WARNING for 4yz such as greylisting)."),
        N_("Mail to this recipient is not accepted."),
        N_("Read the explanation of the reply; check the address and the server's recipient "
           "restrictions.")},
    [F_VRFY_ENUMERATION] = {"vrfy-enumeration", SEV_WARNING,
        N_("VRFY confirmed an address (250 or 251)."),
        N_("Anyone can find out which users exist, for spam or password guessing."),
        N_("Disable VRFY, or answer every VRFY alike (252).")},
    [F_EXPN_EXPOSED] = {"expn-exposed", SEV_WARNING,
        N_("EXPN revealed a list's members to an anonymous client."),
        N_("The members' addresses leak to anyone who asks, spammers included."),
        N_("Disable EXPN, or answer it with 252 or 502.")},
    [F_STEP_SKIPPED] = {"step-skipped", SEV_INFO,
        N_("A planned step was not sent because an earlier one failed or was flagged."),
        N_("Its outcome is unknown: no RCPT is sent without an accepted MAIL, for example."),
        N_("Fix the earlier finding, then probe again.")},
    [F_TIME_THRESHOLD] = {"time-threshold", SEV_WARNING,
        N_("The whole probe took longer than the -w (WARNING) or -c (CRITICAL) threshold."),
        N_("A slow server delays mail, and may run into senders' timeouts."),
        N_("The step timings show where the time went: the server, the DNS or the network path.")},
    [F_CAPABILITY_MISSING] = {"capability-missing", SEV_CRITICAL,
        N_("A keyword named with --require-capability is not in the server's EHLO reply (after "
           "TLS, if any)."),
        N_("Clients that need that extension cannot use the server as they expect."),
        N_("Enable the extension on the server.")},
    [F_BANNER_UNEXPECTED] = {"banner-unexpected", SEV_CRITICAL,
        N_("The greeting did not match --expect-banner."),
        N_("Another server, a proxy, or a changed configuration answers on this address."),
        N_("Check what answers on this address, or update --expect-banner.")},
    [F_NULL_MX] = {"null-mx", SEV_CRITICAL,
        N_("The domain publishes a null MX (RFC 7505: MX 0 \".\"): it declares that it accepts no "
           "mail."),
        N_("Senders bounce mail to this domain at once."),
        N_("Publish real MX records if the domain should receive mail.")},
    /* RFC 5321 §5.1: a client tries the addresses of a multihomed host
     * in order, and SHOULD try at least two; none is bound to try all. */
    [F_ADDRESSES_DISAGREE] = {"addresses-disagree", SEV_WARNING,
        N_("The host's addresses (--all-addresses) do not behave alike: one gives no SMTP greeting "
           "while another does, or one shows another certificate or greeting name."),
        N_("Senders pick any of the addresses, IPv6 often first (RFC 5321 §5.1 asks them to try at "
           "least two, not all): mail through the odd one is delayed, refused or checked against "
           "another certificate."),
        N_("Make every address of the host reach the same service with the same certificate: check "
           "the listener, firewall and routing of the address named, or remove its A or AAAA "
           "record.")},
    [F_MX_FALLBACK] = {"mx-fallback", SEV_INFO,
        N_("The domain has no MX records, so its own A/AAAA addresses were used (the implicit MX "
           "of RFC 5321 §5.1)."),
        N_("It works, but the mail route is implicit: moving the domain's web host moves its mail "
           "too."),
        N_("Publish MX records to make the mail route explicit.")},
    [F_MX_ADDRESS_LITERAL] = {"mx-address-literal", SEV_CRITICAL,
        N_("An MX record names an IP address where a host name belongs (RFC 1035 §3.3.9); smtprobe "
           "does not probe it."),
        N_("Senders do not deliver there: they skip the record, or treat it as an error."),
        N_("Publish a host name with A/AAAA records in the MX record instead.")},
    /* DANE (RFC 7672, RFC 7671), MTA-STS (RFC 8461), TLS-RPT (RFC 8460):
     * the sections each text rests on are listed in data/SOURCES.md. */
    [F_DNSSEC_BOGUS] = {"dnssec-bogus", SEV_CRITICAL,
        N_("DNSSEC validation of this host's MX or address records failed (bogus): a signature is "
           "missing, expired or does not match its key."),
        N_("A validating resolver answers SERVFAIL for bogus data (RFC 4035 §5.5), so senders that "
           "validate cannot find or reach this host, and their mail waits."),
        N_("Re-sign the zone, and check the signatures' expiry and the DS record at the parent, "
           "then validate the zone again.")},
    [F_DNSSEC_UNCHECKED] = {"dnssec-unchecked", SEV_WARNING,
        N_("smtprobe could not validate DNSSEC through the resolver it asked: even the root zone's "
           "keys did not validate, so DANE was not checked and no answer is called secure or "
           "bogus."),
        N_("The resolver in between (often a home router, a VPN's or a cloud provider's) drops the "
           "DNSSEC records smtprobe needs, or the root's trust anchor is missing; what senders "
           "with a validating resolver see is unknown from here."),
        N_("Run smtprobe with --dns-server pointing at a resolver that passes DNSSEC records (a "
           "local unbound, or a public validating resolver), and install dns-root-data; for a "
           "private zone give its key with --trust-anchor.")},
    [F_DANE_VALID] = {"dane-valid", SEV_INFO,
        N_("The server's certificate chain matched a usable TLSA record published under DNSSEC "
           "(DANE, RFC 7672); the message names the record and the certificate."),
        N_("Senders that apply DANE authenticate this server and deliver over TLS that cannot be "
           "stripped or impersonated."),
        N_("Nothing to do; keep the TLSA records in step with every key or certificate change.")},
    [F_DANE_MISMATCH] = {"dane-mismatch", SEV_CRITICAL,
        N_("Usable TLSA records are published for this host under DNSSEC, but no certificate the "
           "server sent matches any of them."),
        N_("Senders that apply DANE do not deliver to a host whose chain matches no usable record "
           "(RFC 7672 §2.2): they try another MX host, else the mail waits and bounces."),
        N_("Publish a TLSA record for the key or certificate in use (or put back the matching "
           "one), and keep the old record until the change is done.")},
    [F_DANE_LOOKUP_FAILED] = {"dane-lookup-failed", SEV_CRITICAL,
        N_("The TLSA lookup for this host failed: the answer was bogus under DNSSEC, SERVFAIL, or "
           "none came in time."),
        N_("A failed TLSA lookup is not an absence of TLSA records: senders that apply DANE treat "
           "the host as unreachable and deliver nothing through it (RFC 7672 §2.1.2)."),
        N_("Fix the zone that holds _25._tcp.HOST: its signatures, its DS record, and name servers "
           "that answer TLSA queries and the empty _tcp name.")},
    [F_DANE_NO_TLS] = {"dane-no-tls", SEV_CRITICAL,
        N_("TLSA records are published for this host under DNSSEC, but the session had no TLS: "
           "STARTTLS was not offered, or the handshake failed."),
        N_("Published TLSA records, usable or not, make TLS mandatory for senders that apply DANE "
           "(RFC 7672 §2.2.3): they never fall back to clear text, so the mail waits."),
        N_("Offer STARTTLS with a certificate that matches the TLSA records, or withdraw the TLSA "
           "records first.")},
    [F_DANE_UNUSABLE] = {"dane-unusable", SEV_WARNING,
        N_("TLSA records are published for this host under DNSSEC, but none is usable for SMTP: "
           "PKIX-TA(0) or PKIX-EE(1) usages, or an unknown usage, selector or matching type (RFC "
           "7672 §3.1)."),
        N_("Senders that apply DANE then authenticate nothing, yet still require TLS (RFC 7672 "
           "§2.2, §2.2.3): the records protect nothing, and only TLS sessions get mail."),
        N_("Replace them with DANE-EE(3) or DANE-TA(2) records, such as \"3 1 1\" and the SHA-256 "
           "digest of the server's public key.")},
    [F_DANE_ROLLOVER] = {"dane-rollover", SEV_INFO,
        N_("Only one usable TLSA record is published for this host, so no record stands ready for "
           "the next key or certificate."),
        N_("Changing the key (or, with selector 0, the certificate) before a record for the new "
           "one is published and cached stops delivery from senders that apply DANE (RFC 7671 "
           "§8.1)."),
        N_("Publish a second record, for the next key (\"current + next\") or a DANE-TA(2) one for "
           "the issuing CA (\"current + issuer\"), two TTLs before any change.")},
    [F_DANE_NOT_SECURE] = {"dane-not-secure", SEV_INFO,
        N_("TLSA records are published for this host, but the records that lead to it (MX, "
           "addresses) are not DNSSEC-secure, so DANE does not protect this route (RFC 7672 "
           "§2.2)."),
        N_("Senders use TLSA records only behind a secure chain of DNS answers; here the records "
           "protect nothing."),
        N_("Sign the zones of the MX records and of the host's addresses (with DS records at their "
           "parents), or withdraw the TLSA records.")},
    [F_MTA_STS_TXT_INVALID] = {"mta-sts-txt-invalid", SEV_WARNING,
        N_("The domain's _mta-sts TXT record is invalid: its syntax, no id, more than one record "
           "starting with v=STSv1, or a lookup that failed."),
        N_("Senders then take it that the domain has no MTA-STS policy (RFC 8461 §3.1), and "
           "deliver without it."),
        N_("Publish exactly one record \"v=STSv1; id=ID;\" at _mta-sts.DOMAIN, ID being 1 to 32 "
           "letters and digits, new with each policy change.")},
    [F_MTA_STS_FETCH_FAILED] = {"mta-sts-fetch-failed", SEV_WARNING,
        N_("The MTA-STS policy could not be fetched from "
           "https://mta-sts.DOMAIN/.well-known/mta-sts.txt; the message says why (connection, TLS, "
           "certificate, status, redirect, type, size, time)."),
        N_("Senders without a cached policy deliver as though the domain had no MTA-STS (RFC 8461 "
           "§3.3); the others keep their old policy until it expires."),
        N_("Serve the policy over HTTPS with a certificate valid for mta-sts.DOMAIN: status 200, "
           "Content-Type text/plain, no redirect.")},
    [F_MTA_STS_ID_WITHOUT_POLICY] = {"mta-sts-id-without-policy", SEV_WARNING,
        N_("The domain publishes an _mta-sts TXT record, but no policy stands behind it: "
           "mta-sts.DOMAIN has no address, or the policy file is not found (404)."),
        N_("The record announces a policy that senders cannot fetch, so no MTA-STS protects the "
           "domain (RFC 8461 §3.3)."),
        N_("Publish the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt, or remove the "
           "TXT record.")},
    [F_MTA_STS_POLICY_INVALID] = {"mta-sts-policy-invalid", SEV_WARNING,
        N_("The MTA-STS policy file was fetched but is invalid (RFC 8461 §3.2): its version, mode, "
           "mx or max_age lines are missing or wrong."),
        N_("Senders discard a policy they cannot parse, and deliver as though the domain had "
           "none."),
        N_("Write the policy as RFC 8461 §3.2 defines it: \"version: STSv1\", a mode, one mx line "
           "per MX pattern, and max_age (at most 31557600).")},
    [F_MTA_STS_MX_NOT_LISTED] = {"mta-sts-mx-not-listed", SEV_CRITICAL,
        N_("This MX host matches none of the mx patterns of the domain's MTA-STS policy (CRITICAL "
           "under mode enforce, WARNING under testing)."),
        N_("Under enforce, senders that apply MTA-STS do not deliver to an MX host the policy does "
           "not list (RFC 8461 §4.1, §5)."),
        N_("Add the host (or a wildcard covering it) to the policy's mx lines and change the TXT "
           "record's id, or remove the host from the MX records.")},
    [F_MTA_STS_CERT_INVALID] = {"mta-sts-cert-invalid", SEV_CRITICAL,
        N_("This MX host fails MTA-STS's TLS check: no TLS, or a certificate that does not verify "
           "for the MX host name (CRITICAL under mode enforce, WARNING under testing)."),
        N_("Under enforce, senders that apply MTA-STS deliver only over TLS with a certificate "
           "that chains to a trusted CA and names the MX host (RFC 8461 §4.2, §5)."),
        N_("Install a certificate from a public CA naming the MX host, with its full chain, and "
           "offer STARTTLS.")},
    [F_MTA_STS_VALID] = {"mta-sts-valid", SEV_INFO,
        N_("The domain publishes a valid MTA-STS policy, and this MX host passes it; the message "
           "gives its mode, id and max_age."),
        N_("Senders that apply MTA-STS deliver to this host over verified TLS (under enforce, only "
           "so)."),
        N_("Nothing to do; change the TXT record's id whenever the policy changes.")},
    [F_TLS_RPT_MISSING] = {"tls-rpt-missing", SEV_INFO,
        N_("The domain publishes DANE or MTA-STS, but no TLS-RPT record (_smtp._tls TXT, RFC "
           "8460)."),
        N_("Senders have nowhere to report TLS failures, so a broken policy shows only as mail "
           "that does not arrive."),
        N_("Publish \"v=TLSRPTv1; rua=mailto:ADDRESS\" at _smtp._tls.DOMAIN.")},
    [F_TLS_RPT_INVALID] = {"tls-rpt-invalid", SEV_WARNING,
        N_("The domain's TLS-RPT record (_smtp._tls TXT) is invalid: its syntax, no usable rua, "
           "more than one record, or a lookup that failed."),
        N_("Senders ignore an invalid record (RFC 8460 §3), so no reports of TLS failures arrive."),
        N_("Publish exactly one record \"v=TLSRPTv1; rua=mailto:ADDRESS\" (or an https: URI) at "
           "_smtp._tls.DOMAIN.")},
    [F_TLS_POLICY_UNMET] = {"tls-policy-unmet", SEV_CRITICAL,
        N_("The server does not meet the TLS policy given with --tls-policy (encrypt: TLS; verify, "
           "secure: a verified certificate; dane-only: a DANE match)."),
        N_("A sender that applies this policy does not deliver to this server."),
        N_("Give the server what the policy needs (TLS, a certificate that verifies, matching TLSA "
           "records), or probe at the policy senders really use.")},
    [F_INTERNAL] = {"internal-error", SEV_UNKNOWN,
        N_("smtprobe itself failed (out of memory, or a local TLS setup error such as an "
           "unreadable --cafile)."),
        N_("Nothing is known about the server."),
        N_("Read the message, check the local files and options given, and probe again.")},
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

/* Edit distance (insertions, deletions, substitutions) between a and b,
 * each at most BOUND_FINDING_NAME characters. */
static size_t
finding_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[BOUND_FINDING_NAME + 1];

	for (size_t j = 0; j <= lb; j++) {
		row[j] = j;
	}
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best) {
				best = up + 1;
			}
			if (row[j - 1] + 1 < best) {
				best = row[j - 1] + 1;
			}
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *
finding_suggest(const char *name)
{
	size_t ln = strlen(name), best = SIZE_MAX;
	const char *found = NULL;

	if (ln == 0 || ln > BOUND_FINDING_NAME) {
		return NULL;
	}
	for (int i = 0; i < F_COUNT; i++) {
		const char *id = finding_defs[i].id;
		size_t li = strlen(id);
		size_t d = finding_distance(name, ln, id, li);

		/* A word of the id given alone ("injection"): the first such id. */
		if (ln >= 4 && strstr(id, name) != NULL && d > 2) {
			d = 2;
		}
		if (d < best) {
			best = d;
			found = id;
		}
	}
	/* Up to one edit in three characters, and never more than three. */
	return best <= 3 && best * 3 <= ln ? found : NULL;
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
