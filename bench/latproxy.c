/* latproxy - a TCP proxy that delays every chunk by a fixed time in each
 * direction, so that round trips dominate as they do on a real network.
 * Used only by bench/run.
 *
 *   latproxy DELAY_MS TARGET_PORT LISTENERS PORTFILE
 *
 * Opens LISTENERS ports on 127.0.0.1 (written to PORTFILE, one a line),
 * and forwards every connection to 127.0.0.1:TARGET_PORT, holding each
 * chunk DELAY_MS before passing it on (RTT = 2 x DELAY_MS).  Runs until
 * killed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTEN 1024
#define MAX_CONN 1024

struct chunk {
	struct chunk *next;
	int64_t due;
	size_t len;            /* 0: end of stream */
	char data[];
};

struct dir {
	int from, to;
	int eof_read, eof_sent;
	struct chunk *head, *tail;
};

struct conn {
	int used;
	struct dir d[2];
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
listen_any(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 512) != 0) {
		perror("latproxy: listen");
		exit(1);
	}
	return fd;
}

static int
connect_target(unsigned port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void
push(struct dir *d, const char *data, size_t len, int64_t due)
{
	struct chunk *c = malloc(sizeof(*c) + len);

	if (c == NULL) {
		exit(1);
	}
	c->next = NULL;
	c->due = due;
	c->len = len;
	memcpy(c->data, data, len);
	if (d->tail) {
		d->tail->next = c;
	} else {
		d->head = c;
	}
	d->tail = c;
}

/* Deliver what is due; returns the next due time, or INT64_MAX. */
static int64_t
deliver(struct dir *d, int64_t now)
{
	while (d->head != NULL && d->head->due <= now) {
		struct chunk *c = d->head;

		if (c->len == 0) {
			shutdown(d->to, SHUT_WR);
			d->eof_sent = 1;
		} else {
			size_t off = 0;

			while (off < c->len) {
				ssize_t n = send(d->to, c->data + off, c->len - off, MSG_NOSIGNAL);

				if (n <= 0) {
					break;     /* the peer is gone; drop the rest */
				}
				off += (size_t)n;
			}
		}
		d->head = c->next;
		if (d->head == NULL) {
			d->tail = NULL;
		}
		free(c);
	}
	return d->head ? d->head->due : INT64_MAX;
}

int
main(int argc, char **argv)
{
	static struct conn conns[MAX_CONN];
	static int lfd[MAX_LISTEN];
	static struct pollfd pfd[MAX_LISTEN + 2 * MAX_CONN];
	static int pmap[MAX_LISTEN + 2 * MAX_CONN];
	int delay, nlisten;
	unsigned target;
	FILE *pf;

	if (argc != 5) {
		fprintf(stderr, "usage: latproxy DELAY_MS TARGET_PORT LISTENERS PORTFILE\n");
		return 2;
	}
	delay = atoi(argv[1]);
	target = (unsigned)atoi(argv[2]);
	nlisten = atoi(argv[3]);
	if (nlisten < 1 || nlisten > MAX_LISTEN) {
		fprintf(stderr, "latproxy: 1 to %d listeners\n", MAX_LISTEN);
		return 2;
	}
	pf = fopen(argv[4], "w");
	if (pf == NULL) {
		perror(argv[4]);
		return 1;
	}
	for (int i = 0; i < nlisten; i++) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);

		lfd[i] = listen_any();
		getsockname(lfd[i], (struct sockaddr *)&sa, &sl);
		fprintf(pf, "%u\n", ntohs(sa.sin_port));
	}
	fclose(pf);

	for (;;) {
		int n = 0, timeout = -1;
		int64_t now = now_ms(), next = INT64_MAX;

		for (int i = 0; i < MAX_CONN; i++) {
			for (int k = 0; k < 2 && conns[i].used; k++) {
				int64_t due = deliver(&conns[i].d[k], now);

				if (due < next) {
					next = due;
				}
			}
			if (conns[i].used && conns[i].d[0].eof_sent && conns[i].d[1].eof_sent) {
				close(conns[i].d[0].from);
				close(conns[i].d[1].from);
				conns[i].used = 0;
			}
		}
		if (next != INT64_MAX) {
			timeout = (int)(next - now > 0 ? next - now : 0);
		}
		for (int i = 0; i < nlisten; i++) {
			pfd[n] = (struct pollfd){.fd = lfd[i], .events = POLLIN};
			pmap[n++] = -1 - i;
		}
		for (int i = 0; i < MAX_CONN; i++) {
			for (int k = 0; k < 2 && conns[i].used; k++) {
				if (!conns[i].d[k].eof_read) {
					pfd[n] = (struct pollfd){.fd = conns[i].d[k].from, .events = POLLIN};
					pmap[n++] = i * 2 + k;
				}
			}
		}
		if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			perror("latproxy: poll");
			return 1;
		}
		now = now_ms();
		for (int j = 0; j < n; j++) {
			if (!(pfd[j].revents & (POLLIN | POLLHUP | POLLERR))) {
				continue;
			}
			if (pmap[j] < 0) {
				int c = accept(pfd[j].fd, NULL, NULL), u, slot = -1, one = 1;

				if (c < 0) {
					continue;
				}
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				for (int i = 0; i < MAX_CONN && slot < 0; i++) {
					slot = conns[i].used ? -1 : i;
				}
				u = slot >= 0 ? connect_target(target) : -1;
				if (u < 0) {
					close(c);
					continue;
				}
				memset(&conns[slot], 0, sizeof(conns[slot]));
				conns[slot].used = 1;
				conns[slot].d[0].from = c;
				conns[slot].d[0].to = u;
				conns[slot].d[1].from = u;
				conns[slot].d[1].to = c;
			} else {
				struct dir *d = &conns[pmap[j] / 2].d[pmap[j] % 2];
				char buf[65536];
				ssize_t got = recv(d->from, buf, sizeof(buf), 0);

				if (got > 0) {
					push(d, buf, (size_t)got, now + delay);
				} else {
					d->eof_read = 1;
					push(d, "", 0, now + delay);
				}
			}
		}
	}
}
