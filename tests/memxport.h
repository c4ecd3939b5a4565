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
	MX_END = 0, /* end of the script: reads see the connection closed; what the
	               client still writes is taken (and kept in received) */
	MX_EXPECT,  /* the client must write exactly text next */
	MX_LINE,    /* the client writes one line (to its LF) that starts with text */
	MX_SEND,    /* the server's bytes text become readable */
	MX_CLOSE,   /* the server closes: reads fail with FAULT_CLOSED, writes too */
	MX_STALL    /* the server says nothing: a read waits out its deadline */
};

struct mx_event {
	enum mx_ev ev;
	const char *text;
};

#define MX_SCRIPT_MAX 48
#define MX_RECEIVED_MAX 65536

struct memxport {
	struct mx_event script[MX_SCRIPT_MAX]; /* ends at the first MX_END */
	size_t chunk;                          /* at most this many bytes per read; 0: no limit */
	int tls;                               /* say the bytes travel inside TLS */
	/* As over a socket, the client may write ahead of the server's
	 * replies (a pipelined group): reads and writes each keep their own
	 * place.  Reads play MX_SEND, MX_STALL, MX_CLOSE and pass the writes
	 * already made; writes play MX_EXPECT and MX_LINE and pass the rest. */
	size_t ev, off;                 /* where reads are: the event, bytes of it played */
	size_t wev, woff;               /* where writes are */
	size_t reads, writes;           /* calls made */
	char received[MX_RECEIVED_MAX]; /* what the client wrote (cut at the size) */
	size_t nreceived;
	char error[256]; /* the first departure from the script, "" when none */
};

/* Make x a transport playing mx's script (which must outlive x). */
void memxport_init(struct xport *x, struct memxport *mx);

/* Whether the whole script was played with no departure from it. */
int memxport_done(const struct memxport *mx);

#endif
