#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "fakesrv.h"

#define FAKESRV_RECV_MAX 65536

struct fakesrv {
	const char *const *script;
	SSL_CTX *ctx;
	int lfd, fd;
	unsigned port;
	pthread_t thread;
	SSL *ssl;
	char inbuf[8192]; /* bytes read, not yet consumed as lines */
	size_t inlen;
	char received[FAKESRV_RECV_MAX + 1];
	size_t rlen;
	char error[256];
	fakesrv_fn fn;
	void *fn_arg;
};

/* Keep the first failure: what went wrong, and the text it concerns. */
void
fakesrv_fail(struct fakesrv *s, const char *what, const char *arg)
{
	if (s->error[0] == '\0') {
		snprintf(s->error, sizeof(s->error), "%s: '%.160s'", what, arg);
	}
}

/* Read some bytes (plain or TLS); <= 0 at end or error. */
static ssize_t
fakesrv_read(struct fakesrv *s, char *buf, size_t len)
{
	ssize_t n;

	if (s->ssl != NULL) {
		size_t got = 0;

		if (SSL_read_ex(s->ssl, buf, len, &got) != 1) {
			ERR_clear_error();
			return -1;
		}
		n = (ssize_t)got;
	} else {
		n = recv(s->fd, buf, len, 0);
	}
	if (n > 0) {
		size_t room = FAKESRV_RECV_MAX - s->rlen;
		size_t take = (size_t)n < room ? (size_t)n : room;

		memcpy(s->received + s->rlen, buf, take);
		s->rlen += take;
		s->received[s->rlen] = '\0';
	}
	return n;
}

int
fakesrv_send(struct fakesrv *s, const char *p, size_t len)
{
	if (s->ssl != NULL) {
		size_t put;

		return SSL_write_ex(s->ssl, p, len, &put) == 1 ? 0 : -1;
	}
	while (len > 0) {
		ssize_t n = send(s->fd, p, len, MSG_NOSIGNAL);

		if (n <= 0) {
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One line (without CRLF) into line; 0, or -1 at end of stream. */
int
fakesrv_line(struct fakesrv *s, char *line, size_t linesz)
{
	for (;;) {
		char *nl = memchr(s->inbuf, '\n', s->inlen);
		ssize_t n;

		if (nl != NULL) {
			size_t l = (size_t)(nl - s->inbuf);
			size_t c = l > 0 && s->inbuf[l - 1] == '\r' ? l - 1 : l;

			if (c >= linesz) {
				c = linesz - 1;
			}
			memcpy(line, s->inbuf, c);
			line[c] = '\0';
			memmove(s->inbuf, nl + 1, s->inlen - l - 1);
			s->inlen -= l + 1;
			return 0;
		}
		if (s->inlen == sizeof(s->inbuf)) {
			return -1;
		}
		n = fakesrv_read(s, s->inbuf + s->inlen, sizeof(s->inbuf) - s->inlen);
		if (n <= 0) {
			return -1;
		}
		s->inlen += (size_t)n;
	}
}

static void
fakesrv_run(struct fakesrv *s)
{
	char line[2048];

	for (const char *const *st = s->script; *st != NULL; st++) {
		const char *step = *st;

		if (strncmp(step, "S:", 2) == 0) {
			if (fakesrv_send(s, step + 2, strlen(step + 2)) != 0) {
				fakesrv_fail(s, "send failed at step", step);
				return;
			}
		} else if (strncmp(step, "R:", 2) == 0) {
			if (fakesrv_line(s, line, sizeof(line)) != 0) {
				fakesrv_fail(s, "no line from the client at step", step);
				return;
			}
			if (strncmp(line, step + 2, strlen(step + 2)) != 0) {
				fakesrv_fail(s, "unexpected line from the client", line);
				return;
			}
		} else if (strncmp(step, "R=", 2) == 0) {
			if (fakesrv_line(s, line, sizeof(line)) != 0) {
				fakesrv_fail(s, "no line from the client at step", step);
				return;
			}
			if (strcmp(line, step + 2) != 0) {
				fakesrv_fail(s, "unexpected line from the client", line);
				return;
			}
		} else if (strcmp(step, "TLS") == 0 || strcmp(step, "TLSKEEP") == 0) {
			s->ssl = SSL_new(s->ctx);
			if (s->ssl == NULL || SSL_set_fd(s->ssl, s->fd) != 1 ||
			    SSL_accept(s->ssl) != 1) {
				ERR_clear_error();
				fakesrv_fail(s, "server TLS handshake failed", step);
				return;
			}
			/* A correct server drops what came before the handshake;
			 * TLSKEEP plays the CVE-2011-0411 server that keeps it. */
			if (strcmp(step, "TLS") == 0) {
				s->inlen = 0;
			}
		} else if (strcmp(step, "FN") == 0) {
			if (s->fn == NULL || s->fn(s, s->fn_arg) != 0) {
				fakesrv_fail(s, "the script's function failed", step);
				return;
			}
		} else if (strncmp(step, "SLOW:", 5) == 0) {
			/* One byte a second, until done or the client is gone. */
			for (const char *b = step + 5; *b != '\0'; b++) {
				if (fakesrv_send(s, b, 1) != 0) {
					return;
				}
				sleep(1);
			}
		} else if (strncmp(step, "REPEAT:", 7) == 0) {
			char *text;
			long n = strtol(step + 7, &text, 10);

			for (long k = 0; k < n && *text == ':'; k++) {
				if (fakesrv_send(s, text + 1, strlen(text + 1)) != 0) {
					return; /* the client stopped reading: fine */
				}
			}
		} else if (strcmp(step, "NUL") == 0) {
			if (fakesrv_send(s, "", 1) != 0) {
				fakesrv_fail(s, "send failed at step", step);
				return;
			}
		} else if (strcmp(step, "RECV") == 0) {
			/* Take what the client sends next (a ClientHello, say). */
			if (fakesrv_read(s, line, sizeof(line)) <= 0) {
				fakesrv_fail(s, "nothing from the client at step", step);
				return;
			}
		} else if (strncmp(step, "SLEEP:", 6) == 0) {
			usleep((useconds_t)atoi(step + 6) * 1000);
		} else if (strcmp(step, "NEXT") == 0) {
			/* This connection is over; the script goes on with the next. */
			struct timeval tv = {.tv_sec = 10};

			if (s->ssl != NULL) {
				SSL_free(s->ssl);
				s->ssl = NULL;
			}
			close(s->fd);
			s->inlen = 0;
			s->fd = accept(s->lfd, NULL, NULL);
			if (s->fd < 0) {
				fakesrv_fail(s, "accept", strerror(errno));
				return;
			}
			setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		} else if (strcmp(step, "CLOSE") == 0) {
			return;
		} else if (strcmp(step, "RESET") == 0) {
			struct linger lg = {.l_onoff = 1, .l_linger = 0};

			setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			return;
		} else {
			fakesrv_fail(s, "bad script step", step);
			return;
		}
	}
	/* Take what the client still sends until it closes. */
	while (fakesrv_read(s, line, sizeof(line)) > 0) {
	}
}

static void *
fakesrv_thread(void *arg)
{
	struct fakesrv *s = arg;
	struct timeval tv = {.tv_sec = 10};

	s->fd = accept(s->lfd, NULL, NULL);
	if (s->fd < 0) {
		fakesrv_fail(s, "accept", strerror(errno));
		return NULL;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	fakesrv_run(s);
	if (s->ssl != NULL) {
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	close(s->fd);
	s->fd = -1;
	return NULL;
}

struct fakesrv *
fakesrv_start(const char *const *script, SSL_CTX *ctx)
{
	return fakesrv_start_fn(script, ctx, NULL, NULL);
}

struct fakesrv *
fakesrv_start_fn(const char *const *script, SSL_CTX *ctx, fakesrv_fn fn, void *arg)
{
	struct fakesrv *s = calloc(1, sizeof(*s));
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (s == NULL) {
		return NULL;
	}
	s->script = script;
	s->ctx = ctx;
	s->fn = fn;
	s->fn_arg = arg;
	s->fd = -1;
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(s->lfd, 4) != 0 || getsockname(s->lfd, (struct sockaddr *)&sa, &len) != 0) {
		if (s->lfd >= 0) {
			close(s->lfd);
		}
		free(s);
		return NULL;
	}
	s->port = ntohs(sa.sin_port);
	if (pthread_create(&s->thread, NULL, fakesrv_thread, s) != 0) {
		close(s->lfd);
		free(s);
		return NULL;
	}
	return s;
}

SSL *
fakesrv_ssl(struct fakesrv *s)
{
	return s->ssl;
}

unsigned
fakesrv_port(const struct fakesrv *s)
{
	return s->port;
}

const char *
fakesrv_join(struct fakesrv *s)
{
	pthread_join(s->thread, NULL);
	close(s->lfd);
	s->lfd = -1;
	return s->error[0] ? s->error : NULL;
}

const char *
fakesrv_received(const struct fakesrv *s)
{
	return s->received;
}

void
fakesrv_free(struct fakesrv *s)
{
	free(s);
}
