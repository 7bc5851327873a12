// suggest.c — see suggest.h.
#include "suggest.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { SUGGEST_MAX_LEN = 64 };  // longer names get no suggestion

static size_t min3(size_t a, size_t b, size_t c) { return a < b ? (a < c ? a : c) : (b < c ? b : c); }

// The edit distance of a and b (optimal string alignment: a swap of two
// neighbours is one edit), or limit + 1 once it must exceed limit.
static size_t distance(const char *a, size_t n, const char *b, size_t m, size_t limit) {
  size_t rows[3][SUGGEST_MAX_LEN + 1];
  size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= m; j++) prev[j] = j;
  for (size_t i = 1; i <= n; i++) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= m; j++) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
        cur[j] = prev2[j - 2] + 1;
      if (cur[j] < row_min) row_min = cur[j];
    }
    if (row_min > limit) return limit + 1;
    size_t *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

// Other languages' names for what Toy spells otherwise: Python's, C's, C++'s,
// JavaScript's and Rust's.
static const char *const aliases[][2] = {
    {"True", "true"},          {"False", "false"},         {"TRUE", "true"},        {"FALSE", "false"},
    {"null", "None"},          {"nil", "None"},            {"NULL", "None"},        {"nullptr", "None"},
    {"undefined", "None"},     {"append", "push"},         {"push_back", "push"},   {"pop_back", "pop"},
    {"length", "len"},         {"size", "len"},            {"strip", "trim"},       {"lstrip", "trim"},
    {"rstrip", "trim"},        {"to_uppercase", "upper"},  {"to_lowercase", "lower"},
    {"toUpperCase", "upper"},  {"toLowerCase", "lower"},   {"has_key", "contains_key"},
    {"input", "read_line"},    {"println", "print"},       {"printf", "print"},     {"puts", "print"},
};

// What Toy calls name, or NULL.
static const char *alias_of(const char *name) {
  for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
    if (strcmp(aliases[i][0], name) == 0) return aliases[i][1];
  return NULL;
}

bool suggest_alias(const char *name, const char *candidate) {
  const char *a = alias_of(name);
  return a && strcmp(a, candidate) == 0;
}

void suggest_begin(Suggest *s, const char *name) {
  s->name = name;
  s->alias = alias_of(name);
  s->best = NULL;
  s->best_cost = (size_t)-1;
}

const char *suggest_call(const char *name, int nargs, const char *const *args, char *out, size_t size) {
  if (strcmp(name, "len") == 0 && nargs == 1) snprintf(out, size, "%s.len()", args[0]);
  else if (strcmp(name, "range") == 0 && nargs == 1) snprintf(out, size, "0..%s", args[0]);
  else if (strcmp(name, "range") == 0 && nargs == 2) snprintf(out, size, "%s..%s", args[0], args[1]);
  else return NULL;
  return out;
}

void suggest_try(Suggest *s, const char *c) {
  if (!c || !*c || strcmp(c, s->name) == 0) return;
  size_t n = strlen(s->name), m = strlen(c);
  if (n > SUGGEST_MAX_LEN || m > SUGGEST_MAX_LEN) return;
  size_t cost;
  if (s->alias && strcmp(s->alias, c) == 0) {
    cost = 0;  // what Toy calls it: the best there is
  } else if (n == m && strncasecmp(s->name, c, n) == 0) {
    cost = 1;  // only the case differs: next best
  } else {
    size_t limit = (n > 3 ? n : 3) / 3;
    if ((n > m ? n - m : m - n) > limit) return;
    cost = distance(s->name, n, c, m, limit);
    if (cost > limit) return;
    cost++;
  }
  if (cost < s->best_cost) {
    s->best = c;
    s->best_cost = cost;
  }
}
