#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "bounds.h"
#include "i18n.h"
#include "secret.h"

void
secret_bzero(void *p, size_t len)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, len);
#else
	volatile unsigned char *v = p;

	while (len-- > 0) {
		*v++ = 0;
	}
#endif
}

void
secret_wipe(struct secret *s)
{
	if (s->buf != NULL) {
		secret_bzero(s->buf, SECRET_MAX);
		free(s->buf);
	}
	s->buf = NULL;
	s->len = 0;
}

void
secret_protect_process(void)
{
	struct rlimit rl = {0, 0};

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static int
secret_alloc(struct secret *s, struct fault *f)
{
	secret_wipe(s);
	s->buf = calloc(1, SECRET_MAX);
	if (s->buf == NULL) {
		return fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
	}
	return 0;
}

/* Cut the line end; refuse an empty secret. */
static int
secret_finish(struct secret *s, const char *from, struct fault *f)
{
	s->len = strcspn(s->buf, "\r\n");
	s->buf[s->len] = '\0';
	if (s->len == 0) {
		secret_wipe(s);
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s is empty"), from);
	}
	return 0;
}

/* Refuse what is not a private regular file of bounded size: a file
 * others may read has leaked already (ssh refuses such keys the same
 * way), and a FIFO or a device could block or never end. */
static int
secret_check_file(int fd, const char *path, struct fault *f)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		return fault_set(
		    f, FAULT_PROTOCOL, errno, _("cannot read %s: %s"), path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s is not a regular file (a FIFO, a device or a directory is refused)"),
		    path);
	}
	if ((st.st_mode & 077) != 0) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s is open to other users (mode %04o): a secret must be readable by its "
		      "owner "
		      "alone; run chmod 600 %s"),
		    path, (unsigned)(st.st_mode & 07777), path);
	}
	if (st.st_size > BOUND_SECRET_FILE) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s is larger than %d bytes: not a password file"), path, BOUND_SECRET_FILE);
	}
	return 0;
}

/* The first line of buf (len bytes) into s: its line end (LF or CRLF)
 * removed; a CR or NUL inside it, or a line too long, is refused rather
 * than cut there. */
static int
secret_first_line(struct secret *s, const char *buf, size_t len, const char *path, struct fault *f)
{
	const char *lf = memchr(buf, '\n', len);
	size_t n = lf != NULL ? (size_t)(lf - buf) : len;

	if (n > 0 && buf[n - 1] == '\r') {
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\r' || buf[i] == '\0') {
			return fault_set(f, FAULT_PROTOCOL, 0,
			    _("the first line of %s holds a %s byte (at offset %zu): it would cut "
			      "the "
			      "password there; remove it"),
			    path, buf[i] == '\r' ? "CR" : "NUL", i);
		}
	}
	if (n >= SECRET_MAX) {
		return fault_set(f, FAULT_PROTOCOL, 0,
		    _("the first line of %s is longer than %d bytes"), path, SECRET_MAX - 1);
	}
	memcpy(s->buf, buf, n);
	s->buf[n] = '\0';
	s->len = n;
	return 0;
}

int
secret_from_file(struct secret *s, const char *path, struct fault *f)
{
	char *buf = NULL;
	char what[300];
	size_t got = 0;
	ssize_t n;
	int fd, rc = -1;

	if (secret_alloc(s, f) != 0) {
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;

		secret_wipe(s);
		return fault_set(f, FAULT_PROTOCOL, e, _("cannot read %s: %s"), path, strerror(e));
	}
	if (secret_check_file(fd, path, f) != 0) {
		goto out;
	}
	/* One more byte than the bound: a file that grew since fstat is
	 * still caught. */
	if ((buf = calloc(1, BOUND_SECRET_FILE + 1)) == NULL) {
		fault_set(f, FAULT_INTERNAL, errno, _("out of memory"));
		goto out;
	}
	while (got <= BOUND_SECRET_FILE &&
	    (n = read(fd, buf + got, BOUND_SECRET_FILE + 1 - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			fault_set(f, FAULT_PROTOCOL, errno, _("cannot read %s: %s"), path,
			    strerror(errno));
			goto out;
		}
		got += (size_t)n;
	}
	if (got > BOUND_SECRET_FILE) {
		fault_set(f, FAULT_PROTOCOL, 0,
		    _("%s is larger than %d bytes: not a password file"), path, BOUND_SECRET_FILE);
		goto out;
	}
	if (secret_first_line(s, buf, got, path, f) != 0) {
		goto out;
	}
	snprintf(what, sizeof(what), _("the first line of %s"), path);
	rc = secret_finish(s, what, f);
out:
	close(fd);
	if (buf != NULL) {
		secret_bzero(buf, BOUND_SECRET_FILE + 1);
		free(buf);
	}
	if (rc != 0) {
		secret_wipe(s);
	}
	return rc;
}

/* Overwrite the value of var in place, then drop var from the
 * environment: /proc/PID/environ shows the bytes the process started
 * with, wherever the environment pointers point later. */
static void
secret_scrub_env(const char *var, char *v)
{
	secret_bzero(v, strlen(v));
	(void)unsetenv(var);
}

int
secret_from_env(struct secret *s, const char *var, struct fault *f)
{
	char *v = getenv(var);
	size_t len;

	if (v == NULL) {
		return 0;
	}
	len = strlen(v);
	if (len >= SECRET_MAX) {
		secret_scrub_env(var, v);
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("%s is longer than %d bytes"), var, SECRET_MAX - 1);
	}
	if (secret_alloc(s, f) != 0) {
		secret_scrub_env(var, v);
		return -1;
	}
	memcpy(s->buf, v, len);
	secret_scrub_env(var, v);
	if (secret_finish(s, var, f) != 0) {
		return -1;
	}
	return 1;
}

int
secret_prompt(struct secret *s, const char *prompt, struct fault *f)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	ssize_t n;
	size_t got = 0;

	if (fd < 0) {
		return fault_set(f, FAULT_PROTOCOL, errno, _("no terminal to ask for it on"));
	}
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		return fault_set(f, FAULT_PROTOCOL, errno, _("no terminal to ask for it on"));
	}
	if (secret_alloc(s, f) != 0) {
		close(fd);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0) {
		close(fd);
		secret_wipe(s);
		return fault_set(f, FAULT_PROTOCOL, errno, _("cannot write to the terminal"));
	}
	tcsetattr(fd, TCSAFLUSH, &quiet);
	while (got < SECRET_MAX - 1) {
		n = read(fd, s->buf + got, 1);
		if (n <= 0 || s->buf[got] == '\n') {
			break;
		}
		got++;
	}
	s->buf[got] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* the newline after the hidden input is cosmetic */
	}
	close(fd);
	return secret_finish(s, _("the password typed"), f);
}
