// clock.c — see clock.h.
#include "clock.h"

#include <time.h>

int64_t rt_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double rt_now_ms(void) { return (double)rt_now_ns() / 1e6; }

double rt_timeval_ms(struct timeval tv) { return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3; }
