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
	int nowait;
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

struct gate *
gate_new_nowait(unsigned per_addr, unsigned slots)
{
	struct gate *g = gate_new(per_addr, slots);

	if (g != NULL) {
		g->nowait = 1;
	}
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

/* One place for addr if one is free now: its entry, counted, or NULL.
 * Called with the lock held. */
static struct gate_addr *
gate_take(struct gate *g, const char *addr)
{
	struct gate_addr *a = gate_find(g, addr);

	if (a != NULL && a->open >= g->per_addr) {
		return NULL;
	}
	if (a == NULL && (a = gate_free_entry(g)) != NULL) {
		memset(a->addr, 0, sizeof(a->addr));
		strncpy(a->addr, addr, sizeof(a->addr) - 1);
	}
	if (a != NULL) {
		a->open++;
		if (a->open > g->peak) {
			g->peak = a->open;
		}
	}
	return a;
}

int64_t
gate_enter(struct gate *g, const char *addr)
{
	int64_t t0 = clock_now_ms();
	struct gate_addr *a;

	pthread_mutex_lock(&g->lock);
	while ((a = gate_take(g, addr)) == NULL) {
		pthread_cond_wait(&g->cond, &g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	return clock_now_ms() - t0;
}

int
gate_try_enter(struct gate *g, const char *addr)
{
	struct gate_addr *a;

	pthread_mutex_lock(&g->lock);
	a = gate_take(g, addr);
	pthread_mutex_unlock(&g->lock);
	return a != NULL ? 0 : -1;
}

int
gate_waits(const struct gate *g)
{
	return !g->nowait;
}

void
gate_set_limit(struct gate *g, unsigned n)
{
	pthread_mutex_lock(&g->lock);
	g->per_addr = n ? n : 1;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

unsigned
gate_limit(struct gate *g)
{
	unsigned n;

	pthread_mutex_lock(&g->lock);
	n = g->per_addr;
	pthread_mutex_unlock(&g->lock);
	return n;
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
