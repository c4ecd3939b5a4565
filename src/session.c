#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "secret.h"
#include "session.h"

void
session_init(struct session *s, int fd)
{
	struct xport x;

	xport_plain_init(&x, fd);
	session_init_xport(s, &x);
}

void
session_init_xport(struct session *s, const struct xport *x)
{
	s->x = *x;
	linebuf_init(&s->lb);
	s->usable = 1;
}

void
session_none(struct session *s)
{
	xport_none(&s->x);
	linebuf_init(&s->lb);
	s->usable = 0;
}

int
session_read_reply(struct session *s, struct step *st, int64_t deadline)
{
	for (;;) {
		const char *line;
		size_t len, full;
		int crlf;
		enum reply_status rs;

		if (linebuf_read_line(
		        &s->lb, &s->x, deadline, &line, &len, &full, &crlf, &st->fault) != 0) {
			/* Bytes that never became a line: kept as evidence (a
			 * greeting cut short is not silence). */
			line = linebuf_peek(&s->lb, &len);
			st->partial = len + s->lb.skipped;
			if (len > 0 && st->reply.rawlen == 0) {
				reply_keep_raw(&st->reply, line, len);
				st->reply.rawtotal = st->partial;
			}
			if (st->fault.cls == FAULT_CLOSED || st->fault.cls == FAULT_TLS ||
			    st->fault.cls == FAULT_CONNECT) {
				s->usable = 0;
			}
			return -1;
		}
		rs = reply_add_line_full(&st->reply, line, len, full, crlf);
		if (rs == REPLY_DONE) {
			return 0;
		}
		if (st->reply.dropped_bytes > BOUND_REPLY_SKIP) {
			/* A flood: the end of this reply is not worth waiting for. */
			fault_set(&st->fault, FAULT_PROTOCOL, 0,
			    _("reply larger than %d bytes; the rest was not read"),
			    BOUND_REPLY_BYTES + BOUND_REPLY_SKIP);
			return -1;
		}
		if (rs == REPLY_BAD) {
			/* The stream can no longer be trusted to be in step. */
			fault_set(&st->fault, FAULT_PROTOCOL, 0, "%s", st->reply.error);
			return -1;
		}
	}
}

/* Write line (its CRLF included) and read the reply, timing both. */
static int
session_exchange(struct session *s, struct step *st, const char *line, size_t len, int64_t deadline)
{
	int64_t t0 = clock_now_ms();
	int rc;

	if (xport_write(&s->x, line, len, deadline, &st->fault) != 0) {
		if (st->fault.cls != FAULT_TIMEOUT) {
			s->usable = 0;
		}
		st->ms = clock_now_ms() - t0;
		return -1;
	}
	rc = session_read_reply(s, st, deadline);
	st->ms = clock_now_ms() - t0;
	return rc;
}

int
session_command(struct session *s, struct step *st, const char *cmd, int64_t deadline)
{
	char line[BOUND_LINE_RFC];
	int n;

	snprintf(st->sent, sizeof(st->sent), "%s", cmd);
	n = snprintf(line, sizeof(line), "%s\r\n", cmd);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		return fault_set(&st->fault, FAULT_INTERNAL, 0, _("command too long"));
	}
	return session_exchange(s, st, line, (size_t)n, deadline);
}

int
session_command_secret(
    struct session *s, struct step *st, const char *wire, const char *shown, int64_t deadline)
{
	size_t len = strlen(wire);
	char *line;
	int rc;

	snprintf(st->sent, sizeof(st->sent), "%s", shown);
	if (len + 3 > BOUND_AUTH_LINE) {
		return fault_set(&st->fault, FAULT_INTERNAL, 0, _("AUTH line longer than %d bytes"),
		    BOUND_AUTH_LINE);
	}
	line = malloc(len + 3);
	if (line == NULL) {
		return fault_set(&st->fault, FAULT_INTERNAL, 0, _("out of memory"));
	}
	memcpy(line, wire, len);
	memcpy(line + len, "\r\n", 3);
	rc = session_exchange(s, st, line, len + 2, deadline);
	secret_bzero(line, len + 3);
	free(line);
	return rc;
}

int
session_send(struct session *s, const char *wire, size_t len, int64_t deadline, struct fault *f)
{
	if (xport_write(&s->x, wire, len, deadline, f) != 0) {
		if (f->cls != FAULT_TIMEOUT) {
			s->usable = 0;
		}
		return -1;
	}
	return 0;
}

int
session_command_raw(struct session *s, struct step *st, const char *wire, size_t len,
    const char *shown, int64_t deadline)
{
	snprintf(st->sent, sizeof(st->sent), "%s", shown);
	return session_exchange(s, st, wire, len, deadline);
}

void
session_close(struct session *s)
{
	xport_close(&s->x);
	s->usable = 0;
}
