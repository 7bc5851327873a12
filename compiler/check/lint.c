// lint.c — rustc's warnings for native mode, after a program type-checks:
// unused variables, `mut` that is not needed, functions never called from
// `main` (the unreachable statements are the type checker's: ck_block).
// Warnings never change the exit code; `lab run`, `check` and `build` show
// them unless given `--no-warnings` (compiler/front/diag.h).
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

static void lint_locals(FnDecl *fn, DiagSink *sink) {
  for (int i = 0; i < fn->nlocals; i++) {
    Local *l = fn->locals[i];
    if (!l->name || l->name[0] == '_') continue;  // `_x`: unused on purpose, as in Rust
    if (!l->used) {
      Diag *w = diag_warning(sink, "unused_variables", l->span, "unused variable: `%s`", l->name);
      diag_primary(w, "never read");
      diag_help(w, "if this is intentional, prefix it with an underscore: `_%s`", l->name);
    } else if (l->is_mut && !l->mutated) {
      Diag *w = diag_warning(sink, "unused_mut", l->span, "variable does not need to be mutable");
      diag_primary(w, "`%s` is never changed after it is declared", l->name);
      diag_help(w, "remove this `mut`");
    }
  }
}

// The functions still to walk: each reached one once.
typedef struct Reach {
  FnDecl **work;
  int n;
} Reach;

static bool note_call(const Node *n, const void *arg) {
  Reach *r = (Reach *)arg;
  if (n->kind == ND_CALL && n->fn && !n->fn->reached) {
    n->fn->reached = true;
    r->work[r->n++] = n->fn;
  }
  return false;  // walk the whole body
}

void ck_lint(Program *prog, DiagSink *sink) {
  int nfns = 0;
  FnDecl *main_fn = NULL;
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) {
      FnDecl *fn = &prog->items[i]->fn;
      fn->reached = false;
      if (strcmp(fn->name, "main") == 0) main_fn = fn;
      nfns++;
    }
  // dead_code: what `main` never calls, directly or not (`spawn f(x)` is a call).
  Reach r = {rt_xmalloc(sizeof(FnDecl *) * (size_t)(nfns + 1)), 0};
  if (main_fn) {
    main_fn->reached = true;
    r.work[r.n++] = main_fn;
  }
  while (r.n > 0) ast_any(r.work[--r.n]->body, note_call, &r);
  free(r.work);
  for (int i = 0; i < prog->nitems; i++) {
    if (prog->items[i]->kind != IT_FN) continue;
    FnDecl *fn = &prog->items[i]->fn;
    if (!fn->reached && fn->name[0] != '_') {
      Diag *w = diag_warning(sink, "dead_code", fn->span, "function `%s` is never used", fn->name);
      diag_primary(w, "never called from `main`");
    }
    lint_locals(fn, sink);
  }
}
