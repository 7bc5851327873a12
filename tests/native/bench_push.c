// bench_push.c — the cost of the native list against hand-written C: push
// 10M int64 through rt_list_push and sum them, beside a plain
// realloc-doubling array. `make bench-native-rt` prints both medians and
// their ratio (the runtime's target: within ~1.2×).
#include "toyrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 10000000
#define RUNS 9

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const rt_loc L = {"bench.toy", 1, 1};
static volatile int64_t sink;

// What cgen emits for `let mut v = []; for i in 0..N { v.push(i); } for x in &v { s += x; }`.
static double run_rt(void) {
  double t = now();
  rt_list v = rt_list_new();
  for (int64_t i = 0; i < N; i++) rt_list_push(&v, &i, sizeof i);
  int64_t s = 0;
  for (int64_t i = 0; i < v.len; i++) s = rt_add(s, *(int64_t *)rt_list_at(&v, i, sizeof(int64_t), &L), &L);
  sink = s;
  rt_list_drop(&v, sizeof(int64_t), NULL);
  return now() - t;
}

static double run_c(void) {
  double t = now();
  int64_t *a = NULL;
  size_t len = 0, cap = 0;
  for (int64_t i = 0; i < N; i++) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4;
      a = realloc(a, cap * sizeof *a);
      if (!a) abort();
    }
    a[len++] = i;
  }
  int64_t s = 0;
  for (size_t i = 0; i < len; i++) s += a[i];
  sink = s;
  free(a);
  return now() - t;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

void toy_main(void) {
  double r[RUNS], c[RUNS];
  for (int i = 0; i < RUNS; i++) {
    r[i] = run_rt();
    c[i] = run_c();
  }
  qsort(r, RUNS, sizeof *r, cmp_d);
  qsort(c, RUNS, sizeof *c, cmp_d);
  RtBuf *b = rt_print_buf();
  rtbuf_printf(b, "push+sum of 10M int64: rt_list %.1f ms, plain C %.1f ms, ratio %.2f",
               r[RUNS / 2] * 1e3, c[RUNS / 2] * 1e3, r[RUNS / 2] / c[RUNS / 2]);
  rt_print_line(b);
}
