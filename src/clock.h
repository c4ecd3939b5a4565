/* clock.h - monotonic milliseconds and deadlines. */
#ifndef SMTPROBE_CLOCK_H
#define SMTPROBE_CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock (CLOCK_MONOTONIC). */
int64_t clock_now_ms(void);

/* Milliseconds left until deadline (an absolute clock_now_ms() value),
 * never negative and never more than INT32_MAX, ready for poll(2). */
int clock_left_ms(int64_t deadline);

/* The earlier of two deadlines. */
int64_t clock_min(int64_t a, int64_t b);

#endif
