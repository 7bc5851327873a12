// Twin of sum.toy in plain C: push N ints (argv, default 10M) onto a
// growable array (doubling, like a Vec), then sum them in a loop.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 10000000;
  int64_t *v = NULL, len = 0, cap = 0;
  for (int64_t i = 0; i < n; i++) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4;
      v = realloc(v, (size_t)cap * sizeof *v);
      if (!v) return 1;
    }
    v[len++] = i;
  }
  int64_t total = 0;
  for (int64_t i = 0; i < len; i++) total += v[i];
  printf("%lld\n", (long long)total);
  free(v);
  return 0;
}
