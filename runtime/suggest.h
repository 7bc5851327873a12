// suggest.h — "did you mean": the known name closest to a misspelt one, as
// rustc's "a local variable with a similar name exists" and CPython's
// "Did you mean: …?" find it. Both modes use it: the type checker's E0425,
// E0609, E0560 and E0599 (compiler/check/), and interp's NameError and
// AttributeError (compiler/bytecode/compile.c, vm/ops.c, vm/methods.c).
#ifndef LAB_SUGGEST_H
#define LAB_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

// Collects candidates one at a time and keeps the best: the one that other
// languages use `name` for (suggest_alias), else the one that differs from
// `name` only in letter case, else the one fewest edits away
// (an edit: insert, delete or replace one character, or swap two
// neighbours), if that is at most max(length, 3) / 3 edits — rustc's bound,
// so that `totl` finds `total` but `x` finds nothing like `y`. Ties keep
// the first seen.
typedef struct Suggest {
  const char *name;
  const char *alias;  // what Toy calls `name` (suggest_alias), or NULL: looked up once
  const char *best;
  size_t best_cost;
} Suggest;

void suggest_begin(Suggest *s, const char *name);
void suggest_try(Suggest *s, const char *candidate);  // NULL and `name` itself are skipped
// The best candidate, or NULL when none is close enough.
static inline const char *suggest_best(const Suggest *s) { return s->best; }

// Is candidate what Toy calls the thing that Python, C or Rust call name
// (`True` is `true`, `null` is `None`, `append` is `push`, `println` is
// `print`)? Such a candidate is the best there is, however far its
// spelling: a list of confusables, as rustc's #[rustc_confusables] keeps.
bool suggest_alias(const char *name, const char *candidate);

// For a call of a function that Toy writes otherwise — `len(x)` is the
// method `x.len()`, `range(a, b)` the range `a..b` — what to write, built
// from the arguments' source text; NULL for any other call. out has size
// bytes.
const char *suggest_call(const char *name, int nargs, const char *const *args, char *out, size_t size);

#endif
