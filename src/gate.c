/* gate.c - the per-address connection limit.  See gate.h. */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gate.h"

struct gate_addr {
	char addr[64]; /* "" when the entry is free */
	unsigned open; /* connections to it now */
};

struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned per_addr;
	unsigned nslots;
	unsigned peak;
	struct gate_addr *slot; /* one per connection that can be in flight */
};

struct gate *
gate_new(unsigned per_addr, unsigned slots)
{
	struct gate *g = calloc(1, sizeof(*g));

	if (g == NULL) {
		return NULL;
	}
	g->per_addr = per_addr ? per_addr : 1;
	g->nslots = slots ? slots : 1;
	g->slot = calloc(g->nslots, sizeof(*g->slot));
	if (g->slot == NULL) {
		free(g);
		return NULL;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	return g;
}

void
gate_free(struct gate *g)
{
	if (g == NULL) {
		return;
	}
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g->slot);
	free(g);
}

/* The entry of addr, or NULL. */
static struct gate_addr *
gate_find(struct gate *g, const char *addr)
{
	for (unsigned i = 0; i < g->nslots; i++) {
		if (g->slot[i].open > 0 && strcmp(g->slot[i].addr, addr) == 0) {
			return &g->slot[i];
		}
	}
	return NULL;
}

/* A free entry.  Each holder of a place is one probe of at most nslots
 * running at once, so a probe that is not holding one always finds an
 * entry: wait only in the impossible case, never overrun. */
static struct gate_addr *
gate_free_entry(struct gate *g)
{
	for (unsigned i = 0; i < g->nslots; i++) {
		if (g->slot[i].open == 0) {
			return &g->slot[i];
		}
	}
	return NULL;
}

int64_t
gate_enter(struct gate *g, const char *addr)
{
	int64_t t0 = clock_now_ms();
	struct gate_addr *a;

	pthread_mutex_lock(&g->lock);
	for (;;) {
		a = gate_find(g, addr);
		if (a != NULL && a->open < g->per_addr) {
			break;
		}
		if (a == NULL && (a = gate_free_entry(g)) != NULL) {
			memset(a->addr, 0, sizeof(a->addr));
			strncpy(a->addr, addr, sizeof(a->addr) - 1);
			break;
		}
		pthread_cond_wait(&g->cond, &g->lock);
	}
	a->open++;
	if (a->open > g->peak) {
		g->peak = a->open;
	}
	pthread_mutex_unlock(&g->lock);
	return clock_now_ms() - t0;
}

void
gate_leave(struct gate *g, const char *addr)
{
	struct gate_addr *a;

	pthread_mutex_lock(&g->lock);
	a = gate_find(g, addr);
	if (a != NULL) {
		a->open--;
	}
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

unsigned
gate_peak(const struct gate *g)
{
	return g->peak;
}
