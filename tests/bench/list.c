// Twin of list.toy in C: fill N ints by pushing onto a doubling array
// (`grown`, realloc) or into one malloc of the full size (`prealloc`).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 1000;
  int pre = argc > 2 && strcmp(argv[2], "prealloc") == 0;
  int64_t *v = NULL, len = 0, cap = 0, total = 0;
  if (pre) {
    v = calloc((size_t)n, sizeof *v);
    if (!v) return 1;
    for (int64_t i = 0; i < n; i++) v[i] = i * 3;
    len = n;
  } else {
    for (int64_t i = 0; i < n; i++) {
      if (len == cap) {
        cap = cap ? cap * 2 : 4;
        v = realloc(v, (size_t)cap * sizeof *v);
        if (!v) return 1;
      }
      v[len++] = i * 3;
    }
  }
  for (int64_t i = 0; i < len; i++) total += v[i];
  printf("%lld\n", (long long)total);
  free(v);
  return 0;
}
