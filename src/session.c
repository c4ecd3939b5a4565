#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "session.h"

void
session_init(struct session *s, int fd)
{
	xport_plain_init(&s->x, fd);
	linebuf_init(&s->lb);
	s->fd = fd;
	s->usable = 1;
}

int
session_read_reply(struct session *s, struct step *st, int64_t deadline)
{
	for (;;) {
		const char *line;
		size_t len;
		int crlf;
		enum reply_status rs;

		if (linebuf_read_line(&s->lb, &s->x, deadline, &line, &len, &crlf,
		    &st->fault) != 0) {
			if (st->fault.cls == FAULT_CLOSED || st->fault.cls == FAULT_TLS ||
			    st->fault.cls == FAULT_CONNECT) {
				s->usable = 0;
			}
			return -1;
		}
		rs = reply_add_line(&st->reply, line, len, crlf);
		if (rs == REPLY_DONE) {
			return 0;
		}
		if (rs == REPLY_BAD) {
			/* The stream can no longer be trusted to be in step. */
			fault_set(&st->fault, FAULT_PROTOCOL, 0, "%s", st->reply.error);
			return -1;
		}
	}
}

int
session_command(struct session *s, struct step *st, const char *cmd,
    int64_t deadline)
{
	char line[BOUND_LINE_RFC];
	int64_t t0 = clock_now_ms();
	int n, rc;

	snprintf(st->sent, sizeof(st->sent), "%s", cmd);
	st->over_tls = s->x.ops != NULL && strcmp(s->x.ops->name, "tls") == 0;
	n = snprintf(line, sizeof(line), "%s\r\n", cmd);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		return fault_set(&st->fault, FAULT_INTERNAL, 0, "command too long");
	}
	if (xport_write(&s->x, line, (size_t)n, deadline, &st->fault) != 0) {
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

void
session_close(struct session *s)
{
	if (s->x.ops != NULL) {
		s->x.ops->release(&s->x);
	}
	if (s->fd >= 0) {
		close(s->fd);
	}
	s->fd = -1;
	s->usable = 0;
}
