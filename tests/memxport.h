/* memxport.h - a scripted in-memory transport for tests.
 *
 * It speaks the src/xport.h interface without a socket, a thread or a
 * certificate: a script of events, played in order, says which bytes the
 * client must write and what the server answers, and where the server
 * misbehaves (closes, stalls until the deadline, delivers a few bytes at
 * a time).  Whatever the client does against the script is recorded in
 * mx->error, for the test to assert on.
 */
#ifndef SMTPROBE_MEMXPORT_H
#define SMTPROBE_MEMXPORT_H

#include <stddef.h>

#include "xport.h"

enum mx_ev {
	MX_END = 0,    /* end of the script: reads see the connection closed */
	MX_EXPECT,     /* the client must write exactly text next */
	MX_SEND,       /* the server's bytes text become readable */
	MX_CLOSE,      /* the server closes: reads fail with FAULT_CLOSED, writes too */
	MX_STALL       /* the server says nothing: a read waits out its deadline */
};

struct mx_event {
	enum mx_ev ev;
	const char *text;
};

#define MX_SCRIPT_MAX 32

struct memxport {
	struct mx_event script[MX_SCRIPT_MAX];  /* ends at the first MX_END */
	size_t chunk;            /* at most this many bytes per read; 0: no limit */
	int tls;                 /* say the bytes travel inside TLS */
	size_t ev;               /* the event being played */
	size_t off;              /* bytes of it already played */
	size_t reads, writes;    /* calls made */
	char error[256];         /* the first departure from the script, "" when none */
};

/* Make x a transport playing mx's script (which must outlive x). */
void memxport_init(struct xport *x, struct memxport *mx);

/* Whether the whole script was played with no departure from it. */
int memxport_done(const struct memxport *mx);

#endif
