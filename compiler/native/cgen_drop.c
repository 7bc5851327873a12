// cgen_drop.c — drops: where native mode frees what a value owns. The
// per-type drop helpers (drop_T: what freeing a T means), and the scopes
// that decide when (drops follow the borrow checker: cgen_int.h, DROP
// ELABORATION) — the move-type variables in scope and the statement
// temporaries, each dropped with a comment naming it and the reason, and the
// drop flags of values moved on only some paths.
//
// SCOPES. cg->vars is the stack of move-type variables in scope, newest
// last: Toy locals, and hidden owners — the list a `for x in v` consumes,
// a temporary scrutinee a `match` owns, the temporaries a `match` or `for`
// head keeps alive for the whole statement. A block drops its own variables
// when it ends; `break` and `continue` drop those declared inside the loop
// body (cg->loop_base); `return` drops all of them.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "borrowck.h"
#include "cgen_int.h"
#include "xalloc.h"

// ---- drop ----------------------------------------------------------------------------

const char *cg_drop_fn(Cg *cg, Type *t) {
  if (!cg_needs_drop(cg, t)) return "NULL";
  if (t->kind == TY_STR) return "rt_str_drop_elem";
  const char *id = cg_tid(cg, t);
  const char *name = cg_fmt(cg, "drop_%s", id);
  if (cg_have(cg, t, H_DROP)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static void %s(void *p);\n", name);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// Frees what a %s owns; leaves it empty.\nstatic void %s(void *p) {\n", ct, name);
  switch (t->kind) {
  case TY_LIST:
    cg_line(cg, "rt_list_drop(p, sizeof(%s), %s);", cg_ct(cg, t->elem), cg_drop_fn(cg, t->elem));
    break;
  case TY_MAP:
    cg_line(cg, "rt_map_%s_drop(p, sizeof(%s), %s);", cg_str_key(t) ? "s" : "i", cg_ct(cg, t->elem),
            cg_drop_fn(cg, t->elem));
    break;
  case TY_TUPLE:
    cg_line(cg, "%s *v = p;", ct);
    for (int i = 0; i < t->nitems; i++) {
      const char *s = cg_drop_stmt(cg, t->items[i], cg_fmt(cg, "&v->f%d", i));
      if (s) cg_line(cg, "%s", s);
    }
    break;
  case TY_STRUCT:
    cg_line(cg, "%s *v = p;", ct);
    for (int i = 0; i < t->st->nfields; i++) {
      const char *s = cg_drop_stmt(cg, t->st->fields[i].type, cg_fmt(cg, "&v->f_%s", t->st->fields[i].name));
      if (s) cg_line(cg, "%s", s);
    }
    break;
  case TY_OPTION:
    if (cg_boxed(cg, t)) {
      // A chain through a field of this same type (a linked list) is freed
      // in a loop, so that a long one cannot overflow the C stack.
      StructInfo *st = t->elem->st;
      const char *chain = NULL;
      for (int i = 0; i < st->nfields && !chain; i++)
        if (st->fields[i].type == t) chain = st->fields[i].name;
      const char *et = cg_ct(cg, t->elem);
      cg_line(cg, "%s *o = p;", ct);
      cg_line(cg, "%s *n = *o;", et);
      cg_line(cg, "*o = NULL;");
      cg_line(cg, "while (n) {");
      if (chain) {
        cg_line(cg, "  %s *next = n->f_%s;", et, chain);
        cg_line(cg, "  n->f_%s = NULL;", chain);
      } else {
        cg_line(cg, "  %s *next = NULL;", et);
      }
      cg_line(cg, "  %s", cg_drop_stmt(cg, t->elem, "n"));
      cg_line(cg, "  rt_free(n);");
      cg_line(cg, "  n = next;");
      cg_line(cg, "}");
    } else {
      cg_line(cg, "%s *o = p;", ct);
      cg_line(cg, "if (o->some) %s", cg_drop_stmt(cg, t->elem, "&o->v"));
      cg_line(cg, "o->some = false;");
    }
    break;
  case TY_THREAD: {
    // A handle dropped without join: wait for the thread, drop its result.
    const char *thr = cg_thr_type(cg, t->elem);
    cg_line(cg, "rt_thread **t = p;");
    cg_line(cg, "if (!*t) return;");
    cg_line(cg, "%s *r = rt_join(*t);", thr);
    cg_line(cg, "*t = NULL;");
    if (t->elem->kind != TY_UNIT) {
      const char *s = cg_drop_stmt(cg, t->elem, "&r->ret");
      if (s) cg_line(cg, "%s", s);
    }
    cg_line(cg, "rt_free(r);");
    break;
  }
  default: break;
  }
  cg_helper_end(cg, &hc);
  return name;
}

const char *cg_drop_stmt(Cg *cg, Type *t, const char *ptr) {
  if (!cg_needs_drop(cg, t)) return NULL;
  if (t->kind == TY_STR) return cg_fmt(cg, "rt_str_drop(%s);", ptr);
  return cg_fmt(cg, "%s(%s);", cg_drop_fn(cg, t), ptr);
}

// ---- scopes and temporaries -----------------------------------------------------------

void cg_push_var(Cg *cg, const char *cname, const char *toyname, Type *ty, Local *local) {
  if (!cg_needs_drop(cg, ty)) return;
  if (cg->nvars == cg->capvars) {
    cg->capvars = cg->capvars ? cg->capvars * 2 : 32;
    cg->vars = rt_xrealloc(cg->vars, (size_t)cg->capvars * sizeof *cg->vars);
  }
  cg->vars[cg->nvars++] = (ScopeVar){cname, toyname, ty, local};
}

// Has local l a drop flag (it is moved on some paths only)? A lent piece
// (only_lent) is never dropped: it needs none.
bool cg_has_flag(Cg *cg, Local *l) {
  return l->needs_drop_flag && cg_needs_drop(cg, l->type) && !(cg->lent && cg->lent[l->id]);
}

const char *cg_flag(Cg *cg, Local *l) {
  const char *c = cg->lname[l->id];
  if (cg_in_frame(c)) return cg_fmt(cg, "F->df_%s", c + 5);  // F->v_x → F->df_x
  return cg_fmt(cg, "df_%s", c + 2);  // v_x → df_x
}

bool cg_in_frame(const char *cname) { return strncmp(cname, "F->", 3) == 0; }

const char *cg_decl(Cg *cg, const char *ctype, const char *cname) {
  if (!cg_in_frame(cname)) return cg_fmt(cg, "%s %s", ctype, cname);
  rtbuf_printf(cg->frame, "  %s %s;\n", ctype, cname + 3);
  return cname;
}

// Declares l's drop flag, if it has one, right after its C variable.
void cg_flag_decl(Cg *cg, Local *l, bool init) {
  if (!cg_has_flag(cg, l)) return;
  cg_costs(cg, l->decl ? l->decl->span.line : cg->stmt_line)->drop_flags++;
  cg_line(cg, "%s = %s;  /* drop flag: %s is %s on some paths only */", cg_decl(cg, "bool", cg_flag(cg, l)),
          init ? "true" : "false", l->name, !init && !l->moved ? "assigned" : "moved");
}

// Why a local holds nothing at a point the checker says so.
const char *cg_empty_why(Local *l) {
  bool deferred = l->decl && l->decl->kind == ND_LET && !l->decl->lhs;
  return deferred && !l->moved ? "was never assigned" : deferred ? "was moved or never assigned" : "was moved";
}

// Drops one variable at drop point `at` as the borrow checker's state of it
// there says (compiler/check/borrowck.h); a hidden owner is always dropped.
static void drop_var(Cg *cg, ScopeVar *v, const Node *at, const char *why) {
  const char *s = cg_drop_stmt(cg, v->ty, cg_fmt(cg, "&%s", v->cname));
  if (!s) return;
  BkDropState st = v->local ? bk_drop_state(v->local, at) : BK_DROP_INIT;
  if (st == BK_DROP_NONE && v->local && cg_has_flag(cg, v->local)) st = BK_DROP_MAYBE;
  if (st == BK_DROP_INIT || st == BK_DROP_MAYBE) {
    cg_costs(cg, cg->drop_line ? cg->drop_line : cg->stmt_line)->drops++;
    if (cg->drop_line && !cg->drop_marked) {
      cg_line(cg, "RT_LINE(%d);  /* the scope ends: its drops are this line's cost */", cg->drop_line);
      cg->drop_marked = true;
    }
  }
  switch (st) {
  case BK_DROP_INIT: cg_line(cg, "%s  /* drop %s: %s */", s, v->toyname, why); break;
  case BK_DROP_MOVED: cg_line(cg, "/* %s %s: nothing to drop (%s) */", v->toyname, cg_empty_why(v->local), why); break;
  case BK_DROP_MAYBE:
    cg_line(cg, "if (%s) %s  /* drop %s if it was not moved (drop flag): %s */", cg_flag(cg, v->local), s,
            v->toyname, why);
    break;
  case BK_DROP_NONE: cg_line(cg, "/* %s: this point is never reached (%s) */", v->toyname, why); break;
  }
}

// Drops vars[mark..nvars), newest first, without forgetting them.
void cg_drop_vars(Cg *cg, int mark, const Node *at, const char *why) {
  for (int i = cg->nvars - 1; i >= mark; i--) drop_var(cg, &cg->vars[i], at, why);
}

void cg_scope_end(Cg *cg, int mark, bool emit, const Node *at, const char *why) {
  if (emit) {
    cg->drop_line = at->kind == ND_BLOCK ? at->end_line : 0;
    cg->drop_marked = false;
    cg_drop_vars(cg, mark, at, why);
    cg->drop_line = 0;
  }
  cg->nvars = mark;
}

void cg_temps_decl(Cg *cg, int mark) {
  for (int i = mark; i < cg->ntemps; i++) cg_line(cg, "%s %s = {0};", cg->temps[i].ctype, cg->temps[i].cname);
}

void cg_temps_drop(Cg *cg, int mark) {
  for (int i = cg->ntemps - 1; i >= mark; i--) {
    Temp *t = &cg->temps[i];
    if (!t->ty) continue;
    const char *s = cg_drop_stmt(cg, t->ty, cg_fmt(cg, "&%s", t->cname));
    if (!s) continue;
    cg_costs(cg, cg->stmt_line)->drops++;
    cg_line(cg, "%s  /* drop temp: end of statement */", s);
  }
  cg->ntemps = mark;
}

// Declares the temporaries since mark and turns the owning ones into hidden
// scope variables (they must outlive the statement's head: a match's arms,
// a loop's body), dropped when the enclosing scope ends.
void cg_temps_to_scope(Cg *cg, int mark) {
  cg_temps_decl(cg, mark);
  for (int i = mark; i < cg->ntemps; i++)
    if (cg->temps[i].ty) cg_push_var(cg, cg->temps[i].cname, "temp", cg->temps[i].ty, NULL);
  cg->ntemps = mark;
}
