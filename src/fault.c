#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "i18n.h"

int
fault_set(struct fault *f, enum fault_class cls, int sys_errno, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(f->msg)];

	/* Formatted aside, then copied: an argument may be f->msg itself (an
	 * earlier reason quoted in a new message), and vsnprintf's output
	 * must not overlap its input.  A message cut at the bound stays a
	 * valid string. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(f->msg, msg, sizeof(f->msg));
	f->cls = cls;
	f->sys_errno = sys_errno;
	return -1;
}

void
fault_clear(struct fault *f)
{
	f->cls = FAULT_NONE;
	f->sys_errno = 0;
	f->msg[0] = '\0';
}

const char *
fault_class_name(enum fault_class cls)
{
	switch (cls) {
	case FAULT_NONE:
		return N_("no error");
	case FAULT_INTERNAL:
		return N_("internal error");
	case FAULT_RESOLVE:
		return N_("name resolution failed");
	case FAULT_CONNECT:
		return N_("connection failed");
	case FAULT_TIMEOUT:
		return N_("timeout");
	case FAULT_CLOSED:
		return N_("connection closed");
	case FAULT_PROTOCOL:
		return N_("protocol error");
	case FAULT_TLS:
		return N_("TLS error");
	case FAULT_USAGE:
		return N_("usage error");
	}
	return N_("unknown error");
}
