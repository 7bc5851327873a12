// Twin of wordcount.toy in C: count N words in a hash table of string ->
// count (open addressing, FNV-1a, doubling), insertion order kept in an
// array so ties go to the word seen first, as in the Toy and Python maps.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *key; int64_t count; } Slot;
static Slot *tab;
static size_t cap = 64, used;
static char **order;

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static Slot *find(Slot *t, size_t c, const char *k) {
  size_t i = hash(k) & (c - 1);
  while (t[i].key && strcmp(t[i].key, k) != 0) i = (i + 1) & (c - 1);
  return &t[i];
}

static void add(const char *w) {
  Slot *s = find(tab, cap, w);
  if (s->key) {
    s->count++;
    return;
  }
  s->key = strdup(w);
  s->count = 1;
  order[used++] = s->key;
  if (used * 2 > cap) {
    Slot *nt = calloc(cap * 2, sizeof *nt);
    for (size_t i = 0; i < cap; i++)
      if (tab[i].key) *find(nt, cap * 2, tab[i].key) = tab[i];
    free(tab);
    tab = nt;
    cap *= 2;
  }
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 1000;
  const char *syll[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "fu"};
  char vocab[1000][8];
  for (int i = 0; i < 1000; i++) snprintf(vocab[i], sizeof vocab[i], "%s%s%s", syll[i % 10], syll[(i / 10) % 10], syll[i / 100]);
  char *text = malloc((size_t)n * 7 + 1), *p = text;
  int64_t x = 7;
  for (int64_t i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    if (i > 0) *p++ = ' ';
    size_t l = strlen(vocab[(x / 65536) % 1000]);
    memcpy(p, vocab[(x / 65536) % 1000], l);
    p += l;
  }
  *p = '\0';
  tab = calloc(cap, sizeof *tab);
  order = malloc(1001 * sizeof *order);
  for (char *w = strtok(text, " \t\n"); w; w = strtok(NULL, " \t\n")) add(w);
  int64_t best = 0;
  const char *best_word = "";
  for (size_t i = 0; i < used; i++) {
    int64_t c = find(tab, cap, order[i])->count;
    if (c > best) best = c, best_word = order[i];
  }
  printf("%zu %s %lld\n", used, best_word, (long long)best);
  return 0;
}
