// fib.toy in C with the overflow check native mode performs on `+`
// (SPEC §5: integer overflow is an error). Next to fib.c it shows where
// native mode's time goes: gcc -O2 turns fib.c's unchecked
// `fib(n - 1) + fib(n - 2)` into a loop with an accumulator — a
// reassociation a checked add forbids — so the checked programs, this one and
// native mode's, cannot take that shortcut (docs/benchmarks.md).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t fib(int64_t n) {
  if (n < 2) return n;
  int64_t r;
  if (__builtin_add_overflow(fib(n - 1), fib(n - 2), &r)) {
    fputs("attempt to add with overflow\n", stderr);
    exit(1);
  }
  return r;
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 32;
  printf("%lld\n", (long long)fib(n));
  return 0;
}
