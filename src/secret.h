/* secret.h - passwords and tokens: read from a file, the environment or a
 * terminal prompt (never from the command line), kept in one buffer, and
 * wiped after use.
 */
#ifndef SMTPROBE_SECRET_H
#define SMTPROBE_SECRET_H

#include <stddef.h>

#include "fault.h"

#define SECRET_MAX 8192

struct secret {
	char *buf; /* NUL-terminated, or NULL when unset */
	size_t len;
};

/* Read the first line of path (without its line end).  0, or -1. */
int secret_from_file(struct secret *s, const char *path, struct fault *f);

/* Take the value of environment variable var, then overwrite it in place
 * and unset it, so it no longer shows in /proc/PID/environ (on error
 * too).  1 when it was set, 0 when not, -1 on error. */
int secret_from_env(struct secret *s, const char *var, struct fault *f);

/* Ask on the controlling terminal with echo off.  0, or -1 (no terminal). */
int secret_prompt(struct secret *s, const char *prompt, struct fault *f);

/* Wipe and free. */
void secret_wipe(struct secret *s);

/* Wipe len bytes at p in a way the compiler keeps. */
void secret_bzero(void *p, size_t len);

/* No core dumps from now on: they would hold the secret. */
void secret_protect_process(void);

#endif
