#include <config.h>

#include <string.h>

#include "catalog.h"

/* Explanations are ours; the facts behind them are RFC 5321 §4.2-4.3,
 * RFC 3207 (STARTTLS), RFC 4954 (AUTH), RFC 3463 (enhanced codes) and
 * RFC 7504 (521/556).  The full catalogue comes from data/ later; this
 * table covers the spine of the session. */
static const struct catalog_entry catalog[] = {
	/* 2yz: positive completion */
	{220, NULL, SMTP_GREETING, "Service ready: the server accepts this session; the client may now say EHLO."},
	{220, NULL, SMTP_STARTTLS, "Ready to start TLS: the client must begin the TLS handshake now and say EHLO again afterwards (RFC 3207)."},
	{220, NULL, SMTP_ANY, "Service ready (normally the greeting, or the go-ahead for STARTTLS)."},
	{221, NULL, SMTP_QUIT, "Closing the connection: the server acknowledges QUIT; the session ended cleanly."},
	{221, NULL, SMTP_ANY, "The server is closing the connection."},
	{250, NULL, SMTP_EHLO, "EHLO accepted: the lines after the first list the extensions this server offers."},
	{250, NULL, SMTP_HELO, "HELO accepted: the session goes on without extensions (no STARTTLS, AUTH or SIZE)."},
	{250, NULL, SMTP_MAIL, "Sender accepted: the transaction has begun."},
	{250, NULL, SMTP_RCPT, "Recipient accepted: the server will take mail for this address."},
	{250, NULL, SMTP_VRFY, "The address exists here: VRFY confirmed the mailbox (it also lets anyone enumerate users)."},
	{250, NULL, SMTP_ANY, "Requested action okay, completed."},
	{251, NULL, SMTP_ANY, "User not local: the server accepts and will forward to the path it names."},
	{252, NULL, SMTP_VRFY, "Cannot verify the user, but will accept a message for it: the usual answer of servers that hide their users."},
	{252, NULL, SMTP_ANY, "Cannot verify the user, but the server will accept the message and attempt delivery."},
	{235, NULL, SMTP_AUTH, "Authentication succeeded."},
	/* 3yz: positive intermediate */
	{334, NULL, SMTP_AUTH, "AUTH continues: the text is a base64 challenge the client must answer (or '*' to cancel)."},
	{354, NULL, SMTP_ANY, "Start mail input: the server waits for the message, ended by a line holding a single dot."},
	/* 4yz: transient negative */
	{421, NULL, SMTP_GREETING, "Service not available: the server refuses sessions for now (overload, maintenance, or a temporary block of your address) and closes the connection; retry later."},
	{421, NULL, SMTP_ANY, "Service not available, closing the connection: the server is shutting down or has ended this session (often a timeout, too many errors or rate limiting); retry later."},
	{450, NULL, SMTP_RCPT, "Mailbox temporarily unavailable: often greylisting or a busy mailbox; a real sender retries later and gets through."},
	{450, NULL, SMTP_ANY, "Requested action not taken: mailbox temporarily unavailable; retry later."},
	{451, NULL, SMTP_ANY, "Local error in processing: the server failed on its side (lookup or filter failure); retry later and check the server's logs."},
	{452, NULL, SMTP_ANY, "Insufficient system storage (or too many recipients): the server cannot take it now; retry later."},
	{454, NULL, SMTP_STARTTLS, "TLS not available due to a temporary reason: the server advertised STARTTLS but cannot start it, usually an unreadable or missing certificate or key on the server."},
	{454, NULL, SMTP_AUTH, "Temporary authentication failure: the server's authentication backend did not answer; retry later."},
	{454, NULL, SMTP_ANY, "Temporary failure: TLS or authentication is not available right now."},
	{455, NULL, SMTP_ANY, "Server unable to accommodate the parameters now; retry later."},
	/* 5yz: permanent negative */
	{500, NULL, SMTP_EHLO, "Command unrecognized: this server does not know EHLO (an RFC 821-only server, or a filter in between); the client falls back to HELO."},
	{500, NULL, SMTP_ANY, "Syntax error, command unrecognized (or the line was too long): the server did not understand the command."},
	{501, NULL, SMTP_EHLO, "Syntax error in the EHLO argument: the name given is not a valid domain or address literal; use --ehlo with a fully qualified name."},
	{501, NULL, SMTP_HELO, "Syntax error in the HELO argument: the name given is not a valid domain or address literal; use --ehlo with a fully qualified name."},
	{501, NULL, SMTP_STARTTLS, "Syntax error: STARTTLS takes no parameters."},
	{501, NULL, SMTP_ANY, "Syntax error in parameters or arguments: the command was known but its argument was not accepted."},
	{502, NULL, SMTP_EHLO, "Command not implemented: this server does not offer EHLO; the client falls back to HELO."},
	{502, NULL, SMTP_VRFY, "VRFY is disabled: the server does not confirm addresses, which prevents user enumeration."},
	{502, NULL, SMTP_ANY, "Command not implemented: the server knows the command but does not offer it."},
	{503, NULL, SMTP_ANY, "Bad sequence of commands: the command came out of order (for example RCPT before MAIL, or AUTH twice)."},
	{504, NULL, SMTP_AUTH, "Unrecognized authentication mechanism: the server does not support the mechanism asked for; pick one from its AUTH list."},
	{504, NULL, SMTP_MAIL, "Command parameter not implemented: a MAIL FROM parameter was sent that the server does not support."},
	{504, NULL, SMTP_ANY, "Command parameter not implemented: the command is known but this parameter or argument is not supported."},
	{521, NULL, SMTP_ANY, "The host does not accept mail at all (RFC 7504): do not retry; this server is not a mail destination."},
	{530, "5.7.0", SMTP_ANY, "Must issue a STARTTLS command first, or authenticate: the server's policy requires TLS (or AUTH) before this command."},
	{530, NULL, SMTP_ANY, "Authentication required (or STARTTLS first): the server's policy refuses this command on an unauthenticated or unencrypted session."},
	{535, "5.7.8", SMTP_AUTH, "Authentication credentials invalid: wrong user name or password."},
	{535, NULL, SMTP_ANY, "Authentication credentials invalid."},
	{550, "5.1.1", SMTP_ANY, "No such mailbox: the address does not exist at this server."},
	{550, "5.7.1", SMTP_ANY, "Rejected by policy: the server refuses this (relay denied, sender or client address blocked, or content policy)."},
	{550, NULL, SMTP_ANY, "Requested action not taken: mailbox unavailable (not found, no access, or refused by policy)."},
	{552, NULL, SMTP_MAIL, "Exceeded storage allocation: the declared SIZE is above what the server accepts."},
	{552, NULL, SMTP_ANY, "Requested mail action aborted: exceeded storage allocation (message too large or mailbox full)."},
	{553, NULL, SMTP_ANY, "Mailbox name not allowed: the address is syntactically wrong or not permitted here."},
	{554, NULL, SMTP_GREETING, "No SMTP service here: the server refuses this client outright (often a blocklisted or unknown address, or a server that does not serve this network); it waits for QUIT and accepts nothing else."},
	{554, NULL, SMTP_ANY, "Transaction failed: a permanent rejection, typically by policy; the text usually says why."},
	{555, NULL, SMTP_ANY, "MAIL FROM/RCPT TO parameters not recognized or not implemented: a parameter the server does not support was sent."},
};

const struct catalog_entry *
catalog_entries(size_t *n)
{
	*n = sizeof(catalog) / sizeof(catalog[0]);
	return catalog;
}

const char *
catalog_class_name(int code)
{
	switch (code / 100) {
	case 2:
		return "positive completion";
	case 3:
		return "positive intermediate";
	case 4:
		return "transient negative";
	case 5:
		return "permanent negative";
	default:
		return "invalid";
	}
}

static const char *
catalog_class_text(int code)
{
	switch (code / 100) {
	case 2:
		return "Success (2yz): the command was accepted; this exact code is not one the RFCs define.";
	case 3:
		return "Intermediate (3yz): the server waits for more input; this exact code is not one the RFCs define.";
	case 4:
		return "Temporary failure (4yz): retrying later may succeed; this exact code is not one the RFCs define.";
	case 5:
		return "Permanent failure (5yz): repeating the same command will fail again; this exact code is not one the RFCs define.";
	default:
		return "Not a valid SMTP reply code.";
	}
}

struct catalog_hit
catalog_explain(int code, const char *enh, enum smtp_cmd cmd)
{
	const struct catalog_entry *best = NULL;
	int best_score = -1;
	struct catalog_hit hit;

	for (size_t i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++) {
		const struct catalog_entry *e = &catalog[i];
		int score = 0;

		if (e->code != code) {
			continue;
		}
		if (e->enh != NULL) {
			if (enh == NULL || strcmp(e->enh, enh) != 0) {
				continue;
			}
			score += 1;
		}
		if (e->cmd != SMTP_ANY) {
			if (e->cmd != cmd) {
				continue;
			}
			score += 2;
		}
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	if (best != NULL) {
		hit.text = best->text;
		hit.known = 1;
	} else {
		hit.text = catalog_class_text(code);
		hit.known = 0;
	}
	return hit;
}
