#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

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

int
secret_from_file(struct secret *s, const char *path, struct fault *f)
{
	FILE *fp;
	char what[300];

	if (secret_alloc(s, f) != 0) {
		return -1;
	}
	fp = fopen(path, "re");
	if (fp == NULL) {
		int e = errno;

		secret_wipe(s);
		return fault_set(f, FAULT_PROTOCOL, e, _("cannot read %s: %s"), path, strerror(e));
	}
	setvbuf(fp, NULL, _IONBF, 0);   /* no stdio buffer left holding it */
	if (fgets(s->buf, SECRET_MAX, fp) == NULL) {
		s->buf[0] = '\0';
	}
	fclose(fp);
	snprintf(what, sizeof(what), _("the first line of %s"), path);
	return secret_finish(s, what, f);
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
		return fault_set(f, FAULT_PROTOCOL, 0, _("%s is longer than %d bytes"), var, SECRET_MAX - 1);
	}
	if (secret_alloc(s, f) != 0) {
		return -1;
	}
	memcpy(s->buf, v, len);
	secret_bzero(v, len);
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
