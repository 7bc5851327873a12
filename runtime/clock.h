// clock.h — the monotonic clock every measurement in the lab reads: the
// `clock()` builtin, GC pauses, GIL waits, compile phases, `compare` and
// `bench` timings. One clock, so that their figures compare.
#ifndef LAB_CLOCK_H
#define LAB_CLOCK_H

#include <stdint.h>
#include <sys/time.h>

int64_t rt_now_ns(void);                 // CLOCK_MONOTONIC, in nanoseconds
double rt_now_ms(void);                  // the same, in milliseconds
double rt_timeval_ms(struct timeval tv);  // a getrusage() time, in milliseconds

#endif
