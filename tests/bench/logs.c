// Twin of logs.toy in C: N records as a struct (`struct`) or as a small
// string-keyed hash table per record (`map`: FNV-1a, open addressing, the
// keys compared with strcmp on lookup), scanned three times.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int64_t level, latency, size, status; } Rec;
typedef struct { const char *key[8]; int64_t val[8]; } Map;  // 4 keys, 8 slots

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}
static size_t slot(const Map *m, const char *k) {
  size_t i = hash(k) & 7;
  while (m->key[i] && strcmp(m->key[i], k) != 0) i = (i + 1) & 7;
  return i;
}
static void put(Map *m, const char *k, int64_t v) {
  size_t i = slot(m, k);
  m->key[i] = k;
  m->val[i] = v;
}
static int64_t get(const Map *m, const char *k) {
  size_t i = slot(m, k);
  if (!m->key[i]) abort();
  return m->val[i];
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 1000;
  int use_map = argc > 2 && strcmp(argv[2], "map") == 0;
  int64_t x = 3, errors = 0, slow = 0, bytes = 0;
  if (use_map) {
    Map **recs = malloc((size_t)n * sizeof *recs);
    for (int64_t i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      Map *m = recs[i] = calloc(1, sizeof *m);
      put(m, "level", x % 4);
      put(m, "latency", (x / 4) % 1000);
      put(m, "size", (x / 4096) % 65536);
      put(m, "status", 200 + (x / 64) % 5 * 100);
    }
    for (int p = 0; p < 3; p++)
      for (int64_t i = 0; i < n; i++) {
        const Map *r = recs[i];
        if (get(r, "level") == 3 && get(r, "status") >= 500) errors++;
        if (get(r, "latency") > 900) slow += get(r, "latency");
        bytes += get(r, "size");
      }
  } else {
    Rec *recs = malloc((size_t)n * sizeof *recs);
    for (int64_t i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      recs[i] = (Rec){x % 4, (x / 4) % 1000, (x / 4096) % 65536, 200 + (x / 64) % 5 * 100};
    }
    for (int p = 0; p < 3; p++)
      for (int64_t i = 0; i < n; i++) {
        const Rec *r = &recs[i];
        if (r->level == 3 && r->status >= 500) errors++;
        if (r->latency > 900) slow += r->latency;
        bytes += r->size;
      }
  }
  printf("%lld %lld %lld\n", (long long)errors, (long long)slow, (long long)bytes);
  return 0;
}
