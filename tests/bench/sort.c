// Twin of sort.toy in C: sort N pseudo-random ints with qsort.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 1000;
  int64_t *v = malloc((size_t)n * sizeof *v);
  if (!v) return 1;
  int64_t x = 42;
  for (int64_t i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    v[i] = x;
  }
  qsort(v, (size_t)n, sizeof *v, cmp);
  int64_t check = 0;
  for (int64_t i = 0; i < n; i++) check += v[i] * (i % 7 + 1);
  printf("%lld %lld %lld %lld\n", (long long)v[0], (long long)v[n / 2], (long long)v[n - 1], (long long)check);
  free(v);
  return 0;
}
