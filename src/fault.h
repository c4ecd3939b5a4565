/* fault.h - the one error type every fallible function fills.
 *
 * A function that can fail returns 0 on success or -1 on failure and, on
 * failure, fills the caller's struct fault.  Nothing is allocated on the
 * error path.  The class decides how the probe reports the failure.
 */
#ifndef SMTPROBE_FAULT_H
#define SMTPROBE_FAULT_H

enum fault_class {
	FAULT_NONE = 0,
	FAULT_INTERNAL, /* our bug or resource exhaustion */
	FAULT_RESOLVE,  /* the name did not resolve */
	FAULT_CONNECT,  /* refused, unreachable, reset */
	FAULT_TIMEOUT,  /* a deadline passed */
	FAULT_CLOSED,   /* the peer closed the connection */
	FAULT_PROTOCOL, /* the peer broke SMTP syntax or a bound */
	FAULT_TLS,      /* handshake or TLS record layer failure */
	FAULT_USAGE     /* the command line or a module's options are wrong (exit 3) */
};

struct fault {
	enum fault_class cls;
	int sys_errno; /* errno where one applies, else 0 */
	char msg[256]; /* one line, no trailing newline */
};

/* Fill f and return -1, so that callers can write `return fault_set(...)`. */
int fault_set(struct fault *f, enum fault_class cls, int sys_errno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void fault_clear(struct fault *f);

/* A short lower-case name of the class ("timeout", "connection closed"). */
const char *fault_class_name(enum fault_class cls);

#endif
