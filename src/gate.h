/* gate.h - at most N connections to one destination address at once,
 * shared by every probe of a run (--per-ip).
 *
 * The address is known only after name resolution, inside net_connect:
 * it enters the gate just before each connection try and leaves it when
 * the try fails; a connection that was made holds its place until the
 * probe closes it (gate_leave).  Waiting has no deadline of its own:
 * every holder is a probe bounded by --total-timeout, so the wait ends.
 *
 * smtprobe serve's gate (max_per_ip) never waits: a scrape has its own
 * deadline, so a probe whose address is full is refused at once
 * (gate_try_enter) and the scrape answered 503.
 */
#ifndef SMTPROBE_GATE_H
#define SMTPROBE_GATE_H

#include <stdint.h>

struct gate;

/* A gate letting per_addr connections to one address at once, for at
 * most slots connections in flight over the whole run (the fleet's
 * --parallel: no more addresses can be held at once).  NULL when memory
 * ran out. */
struct gate *gate_new(unsigned per_addr, unsigned slots);
/* The same, for a gate that refuses instead of waiting: net_connect
 * enters it with gate_try_enter. */
struct gate *gate_new_nowait(unsigned per_addr, unsigned slots);
void gate_free(struct gate *g);

/* Wait until a connection to addr (its text form) may open, and count
 * it.  Returns the milliseconds waited. */
int64_t gate_enter(struct gate *g, const char *addr);

/* Count a connection to addr if one more may open now: 0; -1, and
 * nothing counted, when per_addr are open to it or every entry is taken. */
int gate_try_enter(struct gate *g, const char *addr);

/* 1 when the gate waits (gate_enter), 0 when it refuses (gate_try_enter). */
int gate_waits(const struct gate *g);

/* The per-address limit (serve's reload): places already held stay held
 * until left; new ones are counted against n. */
void gate_set_limit(struct gate *g, unsigned n);
unsigned gate_limit(struct gate *g);

/* The connection to addr closed (or was never made). */
void gate_leave(struct gate *g, const char *addr);

/* The most connections to one address seen at once (for tests). */
unsigned gate_peak(const struct gate *g);

#endif
