/* gate.h - at most N connections to one destination address at once,
 * shared by every probe of a run (--per-ip).
 *
 * The address is known only after name resolution, inside net_connect:
 * it enters the gate just before each connection try and leaves it when
 * the try fails; a connection that was made holds its place until the
 * probe closes it (gate_leave).  Waiting has no deadline of its own:
 * every holder is a probe bounded by --total-timeout, so the wait ends.
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
void gate_free(struct gate *g);

/* Wait until a connection to addr (its text form) may open, and count
 * it.  Returns the milliseconds waited. */
int64_t gate_enter(struct gate *g, const char *addr);

/* The connection to addr closed (or was never made). */
void gate_leave(struct gate *g, const char *addr);

/* The most connections to one address seen at once (for tests). */
unsigned gate_peak(const struct gate *g);

#endif
