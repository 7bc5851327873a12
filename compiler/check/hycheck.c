// hycheck.c — what --mode=hybrid checks beyond native mode's checkers
// (docs/hybrid.md): which functions are compiled, and that their arguments
// and results can cross the boundary.
#include "hycheck.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#include "types.h"

// Every call in n's subtree to a function of the program that is not
// #[native]: L0114 (a builtin, or a name that is no function, is the type
// checker's to judge).
static void calls_in(Program *p, FnDecl *fn, Node *n, DiagSink *sink) {
  if (!n) return;
  if (n->kind == ND_CALL) {
    FnDecl *callee = ast_find_fn(p, n->name);
    if (callee && !callee->native) {
      Diag *d = diag_error(sink, "L0114", n->span, "`#[native]` function `%s` calls `%s`, which is not `#[native]`",
                           fn->name, n->name);
      diag_primary(d, "a call from compiled code back into bytecode");
      diag_label(d, callee->span, "`%s` is interpreted", callee->name);
      diag_help(d, "mark `%s` `#[native]` too, or call it from interpreted code", callee->name);
    }
  }
  calls_in(p, fn, n->lhs, sink);
  calls_in(p, fn, n->rhs, sink);
  calls_in(p, fn, n->cond, sink);
  calls_in(p, fn, n->then, sink);
  calls_in(p, fn, n->els, sink);
  calls_in(p, fn, n->body, sink);
  for (int i = 0; i < n->nitems; i++) calls_in(p, fn, n->items[i], sink);
  if (n->values)
    for (int i = 0; i < n->nitems; i++) calls_in(p, fn, n->values[i], sink);
}

bool hy_select(Program *p, DiagSink *sink) {
  int before = sink->total, kept = 0;
  Item **items = ast_alloc(p, sizeof(Item *) * (size_t)(p->nitems + 1));
  for (int i = 0; i < p->nitems; i++) {
    Item *it = p->items[i];
    if (it->kind != IT_FN) {
      items[kept++] = it;
      continue;
    }
    if (!it->fn.native) continue;
    if (strcmp(it->fn.name, "main") == 0) {
      Diag *d = diag_error(sink, "L0114", it->fn.attr_span, "`main` cannot be `#[native]`");
      diag_primary(d, "the VM runs the program from `main`");
      diag_help(d, "move the work into a `#[native]` function that `main` calls");
    }
    calls_in(p, &it->fn, it->fn.body, sink);
    items[kept++] = it;
  }
  p->items = items;
  p->nitems = kept;
  return sink->total == before;
}

// Can a value of t be converted at the boundary? (The checker has already
// kept references to the top level of parameters.) The offending type, or
// NULL. seen[i]: struct i has been looked into already, so that a struct
// containing itself (through ?Self) is seen once.
static Type *unconvertible(Type *t, bool *seen) {
  t = ty_find(t);
  switch (t->kind) {
  case TY_THREAD: return t;
  case TY_REF:
  case TY_REFMUT:
  case TY_LIST:
  case TY_OPTION:
  case TY_MAP: return unconvertible(t->elem, seen);
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++) {
      Type *u = unconvertible(t->items[i], seen);
      if (u) return u;
    }
    return NULL;
  case TY_STRUCT:
    if (seen[t->st->index]) return NULL;
    seen[t->st->index] = true;
    for (int i = 0; i < t->st->nfields; i++) {
      Type *u = unconvertible(t->st->fields[i].type, seen);
      if (u) return u;
    }
    return NULL;
  default: return NULL;
  }
}

static void signature_type(Program *p, Type *t, Span at, const char *what, FnDecl *fn, DiagSink *sink) {
  bool *seen = rt_xcalloc((size_t)p->nstructs + 1, sizeof *seen);
  Type *bad = unconvertible(t, seen);
  free(seen);
  if (!bad) return;
  char buf[128];
  Diag *d = diag_error(sink, "L0115", at, "`%s` cannot cross the hybrid boundary", ty_str(bad, buf, sizeof buf));
  diag_primary(d, "%s of `#[native]` function `%s`", what, fn->name);
  diag_note(d, "a thread handle belongs to one side: it has no boxed or unboxed form to convert to");
}

bool hy_check_signatures(Program *p, DiagSink *sink) {
  int before = sink->total;
  for (int i = 0; i < p->nitems; i++) {
    if (p->items[i]->kind != IT_FN) continue;
    FnDecl *fn = &p->items[i]->fn;
    for (int k = 0; k < fn->nparams; k++) {
      Span at = fn->params[k].type ? fn->params[k].type->span : fn->params[k].span;
      signature_type(p, fn->param_types[k], at, "a parameter", fn, sink);
    }
    signature_type(p, fn->ret_type, fn->ret ? fn->ret->span : fn->span, "the result", fn, sink);
  }
  return sink->total == before;
}
