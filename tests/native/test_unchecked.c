// test_unchecked.c — the native runtime built with -DRT_UNCHECKED (what
// `lab run --unchecked` links): overflow wraps through unsigned math, shift
// counts are masked with & 63, and division by zero is still a panic. Run by
// `make test-native-rt`; the checked behaviour is tests/native/test_toyrt.c's.
#include "toyrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static const rt_loc L = {"u.toy", 1, 2};
static volatile int64_t vmin = INT64_MIN, vmax = INT64_MAX, vzero = 0;

// The exit status and first bytes of stderr of fn run in a child.
static int child(void (*fn)(void), char *err, size_t cap) {
  rt_flush_stdout();
  int p[2];
  if (pipe(p)) abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 2);
    close(p[0]);
    fn();
    _exit(99);
  }
  close(p[1]);
  size_t n = 0;
  ssize_t r;
  while (n + 1 < cap && (r = read(p[0], err + n, cap - 1 - n)) > 0) n += (size_t)r;
  err[n] = '\0';
  close(p[0]);
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
static void div0(void) { rt_div(1, vzero, &L); }
static void rem0(void) { rt_rem(1, vzero, &L); }

void toy_main(void) {
  CHECK(rt_add(vmax, 1, &L) == INT64_MIN);
  CHECK(rt_sub(vmin, 1, &L) == INT64_MAX);
  CHECK(rt_mul(vmax, 2, &L) == -2);
  CHECK(rt_neg(vmin, &L) == INT64_MIN);
  CHECK(rt_abs_i(vmin, &L) == INT64_MIN);
  CHECK(rt_div(vmin, -1, &L) == INT64_MIN && rt_rem(vmin, -1, &L) == 0);
  CHECK(rt_shl(1, 64, &L) == 1 && rt_shl(1, 65, &L) == 2 && rt_shl(1, -1, &L) == INT64_MIN);
  CHECK(rt_shr(-8, 65, &L) == -4 && rt_shr(8, 64, &L) == 8);
  rt_list l = rt_list_new();
  int64_t x = 42;
  rt_list_push(&l, &x, sizeof x);
  CHECK(*(int64_t *)rt_list_at(&l, 0, sizeof x, &L) == 42);
  rt_list_drop(&l, sizeof x, NULL);
  char err[256];
  CHECK(child(div0, err, sizeof err) == 1 &&
        strcmp(err, "panic at u.toy:1:2: ZeroDivisionError: attempt to divide by zero\n") == 0);
  CHECK(child(rem0, err, sizeof err) == 1 &&
        strstr(err, "ZeroDivisionError: attempt to calculate the remainder with a divisor of zero"));
  RtBuf *b = rt_print_buf();
  rtbuf_printf(b, "test_unchecked: %d passed, %d failed", passed, failed);
  rt_print_line(b);
  if (failed) {
    rt_flush_stdout();
    exit(1);
  }
}
