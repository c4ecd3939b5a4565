/* session.h - one SMTP connection: send a command, read its reply,
 * record both in a step.  Knows nothing of the probe's phases.
 */
#ifndef SMTPROBE_SESSION_H
#define SMTPROBE_SESSION_H

#include <stdint.h>

#include "linebuf.h"
#include "report.h"
#include "xport.h"

struct session {
	struct xport x; /* owns the socket; STARTTLS swaps it in place */
	struct linebuf lb;
	int usable; /* SMTP commands can still be sent */
};

/* Start a session over the connected socket fd (plain transport), which
 * the session now owns. */
void session_init(struct session *s, int fd);

/* Start a session over a transport x already made (a test's scripted one);
 * the session takes it over. */
void session_init_xport(struct session *s, const struct xport *x);

/* A session with no connection yet: session_close does nothing. */
void session_none(struct session *s);

/* Read one complete reply into st->reply before deadline.  Returns 0 when
 * the reply is complete; -1 with st->fault filled otherwise (the lines
 * read so far stay in st->reply). */
int session_read_reply(struct session *s, struct step *st, int64_t deadline);

/* Send cmd (no CRLF; at most BOUND_LINE_RFC - 3 bytes, no CR or LF) and
 * read its reply, recording both and the time taken in st. */
int session_command(struct session *s, struct step *st, const char *cmd, int64_t deadline);

/* Send wire (one line, without CRLF, at most BOUND_AUTH_LINE bytes) and
 * read its reply like session_command, but record shown in st->sent: for
 * lines that carry credentials.  The copy of wire made for sending is
 * wiped. */
int session_command_secret(
    struct session *s, struct step *st, const char *wire, const char *shown, int64_t deadline);

/* Send wire as it is (len bytes, CRLFs included: several commands in one
 * write) and read one reply, recording shown in st->sent. */
int session_command_raw(struct session *s, struct step *st, const char *wire, size_t len,
    const char *shown, int64_t deadline);

/* Write len bytes as they are (a pipelined group of commands), without
 * reading.  0, or -1 with f filled. */
int session_send(
    struct session *s, const char *wire, size_t len, int64_t deadline, struct fault *f);

/* Release TLS state and close the socket (through xport_close). */
void session_close(struct session *s);

#endif
