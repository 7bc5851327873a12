// cgen_stmt.c — statements, and functions and consts (native mode;
// cgen_int.h has the ownership scheme; cgen_drop.c the scopes and drops the
// statements open and close).
//
// STATEMENTS. Every statement's expressions are generated first; the
// temporaries they made (cg->temps) are then declared zeroed before the
// statement's C and dropped after it ("end of statement"). Each statement is
// preceded by a comment with its source line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "borrowck.h"
#include "builtins.h"
#include "cgen_int.h"
#include "tokens.h"
#include "xalloc.h"

static bool st_stmt(Cg *cg, Node *n);

// Whether evaluating expression n may allocate in this function: a list,
// map or Some made, a builtin or method called (print's buffer, push,
// clone…; not the arithmetic ones), a thread started, strings joined. A
// tuple or struct is a C value: it allocates only in what it holds. A user
// function sets its own sites.
static bool may_allocate(Node *n) {
  if (!n) return false;
  switch (n->kind) {
  case ND_LIST: case ND_LIST_REPEAT: case ND_MAP: case ND_SOME: case ND_METHOD: case ND_SPAWN:
    return true;
  case ND_CALL:
    if (!n->fn && n->builtin != BI_sqrt && n->builtin != BI_abs && n->builtin != BI_min && n->builtin != BI_max)
      return true;
    break;
  case ND_BINARY:
    if (n->op == TK_PLUS && ex_vtype(n)->kind == TY_STR) return true;
    break;
  default: break;
  }
  if (may_allocate(n->lhs) || may_allocate(n->rhs)) return true;
  for (int i = 0; i < n->nitems; i++)
    if (may_allocate(n->items[i]) || (n->values && may_allocate(n->values[i]))) return true;
  return false;
}

// A statement's opening: its source line as a comment, and, when its head
// (the part evaluated before any nested statement) may allocate, its
// position as rt_alloc_site — so that running out of memory in it is
// `panic at FILE:LINE:COL: MemoryError` (docs/semantics.md). A user call
// inside it sets the site again when it returns (user_call).
//
// RT_LINE(n) charges what the statement costs to its line in a counted run
// (`lab profile`); it is nothing in any other (runtime/native/toyrt.h).
static void stmt_begin(Cg *cg, Node *n) {
  cg_line(cg, "RT_LINE(%d);  /* %s */", n->span.line, cg_src_line(cg, n->span));
  cg->stmt_line = n->span.line;
  Node *head = n->kind == ND_IF || n->kind == ND_WHILE ? n->cond : n->lhs;
  bool allocates = may_allocate(head) || (n->kind != ND_FOR_IN && may_allocate(n->rhs));
  cg->alloc_site = allocates ? cg_site(cg, n->span) : NULL;
  if (allocates) cg_line(cg, "rt_alloc_site = %s;", cg->alloc_site);
}

// The statements of a block (the caller writes the braces). True when the
// block cannot complete (it ends in return, break, continue, panic).
static bool st_items(Cg *cg, Node *blk, const char *why) {
  int mark = cg->nvars;
  bool div = false;
  if (blk->kind != ND_BLOCK) {
    div = st_stmt(cg, blk);
  } else {
    for (int i = 0; i < blk->nitems; i++) div = st_stmt(cg, blk->items[i]);
  }
  cg_scope_end(cg, mark, !div, blk, why);
  return div;
}

static bool st_block(Cg *cg, Node *blk) {
  cg->indent++;
  bool div = st_items(cg, blk, "end of scope");
  cg->indent--;
  return div;
}

// ---- let and assignment ------------------------------------------------------------------

static bool is_place(Node *n) {
  switch (n->kind) {
  case ND_NAME: return n->local != NULL;
  case ND_FIELD: case ND_TUPLE_INDEX: case ND_INDEX: return true;
  default: return false;
  }
}

static void st_let(Cg *cg, Node *n) {
  Local *l = n->local;
  const char *name = cg->lname[l->id];
  const char *ct = cg_ct(cg, l->type);
  if (!n->lhs) {
    if (cg_in_frame(name)) cg_line(cg, "/* %s: assigned later (the frame starts zeroed) */", cg_decl(cg, ct, name));
    else cg_line(cg, "%s %s = {0};  /* assigned later */", ct, name);
    cg_flag_decl(cg, l, false);
    cg_push_var(cg, name, l->name, l->type, l);
    return;
  }
  int tmark = cg->ntemps;
  Node *e = n->lhs;
  // `let r = &temporary;` (or a literal borrowed for a &str): the temporary
  // lives as long as r, in a hidden variable (Rust extends its lifetime).
  Node *borrowed = NULL;
  if (e->kind == ND_UNARY && (e->op == TK_AMP || e->op == TK_AMP_MUT) && !is_place(e->lhs)) borrowed = e->lhs;
  else if ((e->use == USE_BORROW || e->use == USE_BORROW_MUT) && !is_place(e) && !e->deref) borrowed = e;
  if (borrowed) {
    Type *bt = borrowed->ty;
    int u = cg_unique(cg);
    const char *hid = cg_fmt(cg, "%sheld%d", cg_in_frame(name) ? "F->" : "", u);
    uint8_t use = borrowed->use;
    borrowed->use = USE_MOVE;  // generate its value, owned by the hidden variable
    const char *v = ex_value(cg, borrowed);
    borrowed->use = use;
    cg_temps_decl(cg, tmark);
    cg_line(cg, "%s = %s;  /* the temporary %s borrows */", cg_decl(cg, cg_ct(cg, bt), hid), v, l->name);
    cg_temps_drop(cg, tmark);
    cg_push_var(cg, hid, cg_fmt(cg, "the temporary borrowed by %s", l->name), bt, NULL);
    cg_line(cg, "%s = &%s;", cg_decl(cg, ct, name), hid);
    return;
  }
  const char *v = ex_value(cg, e);
  cg_temps_decl(cg, tmark);
  cg_line(cg, "%s = %s;", cg_decl(cg, ct, name), v);
  cg_temps_drop(cg, tmark);
  cg_flag_decl(cg, l, true);
  cg_push_var(cg, name, l->name, l->type, l);
}

static const char *arith(Cg *cg, int op, Type *t, const char *a, const char *b, Span at) {
  if (t->kind == TY_INT) {
    const char *fn = op == TK_PLUS_EQ ? "rt_add" : op == TK_MINUS_EQ ? "rt_sub" : op == TK_STAR_EQ ? "rt_mul"
                     : op == TK_SLASH_EQ ? "rt_div" : "rt_rem";
    return cg_fmt(cg, "%s(%s, %s, %s)", fn, a, b, cg_loc(cg, at));
  }
  if (op == TK_PERCENT_EQ) return cg_fmt(cg, "fmod(%s, %s)", a, b);
  const char *c = op == TK_PLUS_EQ ? "+" : op == TK_MINUS_EQ ? "-" : op == TK_STAR_EQ ? "*" : "/";
  return cg_fmt(cg, "%s %s %s", a, c, b);
}

static void st_assign(Cg *cg, Node *n) {
  Node *target = n->lhs, *rhs = n->rhs;
  Type *t = target->ty;
  const char *ct = cg_ct(cg, t);
  int tmark = cg->ntemps;
  int u = cg_unique(cg);
  const char *v = ex_value(cg, rhs);  // the right-hand side first (SPEC §4)
  if (n->op == TK_EQ) {
    if (target->kind == ND_NAME) {
      Local *l = target->local;
      const char *name = cg->lname[l->id];
      cg_temps_decl(cg, tmark);
      const char *d = cg_drop_stmt(cg, t, cg_fmt(cg, "&%s", name));
      if (d) {
        // The old value, as the borrow checker knows it here (borrowck.h).
        BkDropState ds = bk_drop_state(l, n);
        if (ds == BK_DROP_NONE) ds = cg_has_flag(cg, l) ? BK_DROP_MAYBE : BK_DROP_INIT;
        if (ds == BK_DROP_MOVED) {
          cg_line(cg, "%s = %s;  /* %s %s: nothing to drop */", name, v, target->name, cg_empty_why(l));
        } else {
          cg_line(cg, "{");
          cg_line(cg, "  %s x%d = %s;", ct, u, v);
          if (ds == BK_DROP_MAYBE)
            cg_line(cg, "  if (%s) %s  /* drop %s if it was not moved (drop flag): overwritten */", cg_flag(cg, l), d,
                    target->name);
          else
            cg_line(cg, "  %s  /* drop %s: overwritten */", d, target->name);
          cg_line(cg, "  %s = x%d;", name, u);
          cg_line(cg, "}");
        }
        if (cg_has_flag(cg, l)) cg_line(cg, "%s = true;  /* %s holds a value again */", cg_flag(cg, l), target->name);
      } else {
        cg_line(cg, "%s = %s;", name, v);
      }
      cg_temps_drop(cg, tmark);
      return;
    }
    Type *bt = target->kind == ND_INDEX ? ex_vtype(target->lhs) : NULL;
    if (bt && bt->kind == TY_MAP) {
      // m[k] = v: the key is moved in (or copied), an old value dropped.
      const char *base = cg_fmt(cg, "&%s", ex_place(cg, target->lhs));
      const char *key = ex_value(cg, target->rhs);
      cg_temps_decl(cg, tmark);
      cg_line(cg, "{");
      cg_line(cg, "  %s x%d = %s;", ct, u, v);
      cg_line(cg, "  rt_map *m%d = %s;", u, base);
      cg_line(cg, "  %s k%d = %s;", cg_ct(cg, bt->key), u, key);
      // A lent key (only_lent) is copied in only when it is new to the map.
      bool lent = target->rhs->kind == ND_NAME && target->rhs->local && cg->lent[target->rhs->local->id];
      cg_line(cg, "  %s(m%d, %sk%d, x%d);", cg_mapput_fn(cg, bt, lent), u, lent ? "&" : "", u, u);
      cg_line(cg, "}");
      cg_temps_drop(cg, tmark);
      return;
    }
    const char *place = ex_place(cg, target);
    cg_temps_decl(cg, tmark);
    cg_line(cg, "{");
    cg_line(cg, "  %s x%d = %s;", ct, u, v);
    cg_line(cg, "  %s *p%d = &%s;", ct, u, place);
    const char *d = cg_drop_stmt(cg, t, cg_fmt(cg, "p%d", u));
    if (d) cg_line(cg, "  %s  /* drop the old %s: overwritten */", d, target->kind == ND_FIELD ? target->name : "element");
    cg_line(cg, "  *p%d = x%d;", u, u);
    cg_line(cg, "}");
    cg_temps_drop(cg, tmark);
    return;
  }
  // Compound: x op= e.
  if (t->kind == TY_STR) {
    // v is a pointer to the right-hand side. Appending in place is only safe
    // when the right-hand side cannot be the target itself.
    bool alias = rhs->deref || (rhs->kind == ND_NAME && target->kind == ND_NAME && rhs->local == target->local) ||
                 target->kind != ND_NAME;
    const char *place = ex_place(cg, target);
    cg_temps_decl(cg, tmark);
    if (target->kind == ND_NAME && !alias) {
      cg_line(cg, "str_append(&%s, %s);", place, v);
    } else {
      cg_line(cg, "{");
      cg_line(cg, "  const rt_str *r%d = %s;", u, v);
      cg_line(cg, "  rt_str *p%d = &%s;", u, place);
      cg_line(cg, "  str_concat_into(p%d, r%d);  /* drops the old string: overwritten */", u, u);
      cg_line(cg, "}");
    }
    cg_temps_drop(cg, tmark);
    return;
  }
  if (target->kind == ND_NAME) {
    const char *name = cg->lname[target->local->id];
    cg_temps_decl(cg, tmark);
    cg_line(cg, "%s = %s;", name, arith(cg, n->op, t, name, v, n->span));
    cg_temps_drop(cg, tmark);
    return;
  }
  const char *place = ex_place(cg, target);
  cg_temps_decl(cg, tmark);
  cg_line(cg, "{");
  cg_line(cg, "  %s r%d = %s;", ct, u, v);
  cg_line(cg, "  %s *p%d = &%s;", ct, u, place);
  cg_line(cg, "  *p%d = %s;", u, arith(cg, n->op, t, cg_fmt(cg, "*p%d", u), cg_fmt(cg, "r%d", u), n->span));
  cg_line(cg, "}");
  cg_temps_drop(cg, tmark);
}

// ---- control flow ---------------------------------------------------------------------

// c without one pair of parentheses around all of it: `if (a == b)` — but
// not those of a statement expression `({ … })`, which are its own.
static const char *bare(Cg *cg, const char *c) {
  size_t n = strlen(c);
  if (n < 3 || c[0] != '(' || c[n - 1] != ')' || c[1] == '{') return c;
  int depth = 0;
  for (size_t i = 0; i < n; i++) {
    if (c[i] == '(') depth++;
    else if (c[i] == ')') depth--;
    if (depth == 0 && i < n - 1) return c;  // the first ( closes early: (a) && (b)
  }
  return cg_fmt(cg, "%.*s", (int)(n - 2), c + 1);
}

// `if c {` with c's temporaries dropped before the branch. Returns the
// number of extra braces opened (to close after the whole if).
static int if_head(Cg *cg, Node *cond, const char *kw) {
  int tmark = cg->ntemps;
  const char *c = ex_value(cg, cond);
  if (cg->ntemps == tmark) {
    cg_line(cg, "%s (%s) {", kw, bare(cg, c));
    return 0;
  }
  int u = cg_unique(cg);
  if (strcmp(kw, "if") != 0) {
    cg_line(cg, "} else {");
    cg->indent++;
  }
  cg_temps_decl(cg, tmark);
  cg_line(cg, "bool c%d = %s;", u, c);
  cg_temps_drop(cg, tmark);
  cg_line(cg, "if (c%d) {", u);
  return strcmp(kw, "if") != 0 ? 1 : 0;
}

static bool st_if(Cg *cg, Node *n) {
  int opened = if_head(cg, n->cond, "if");
  bool div = st_block(cg, n->then);
  bool all = div;
  Node *els = n->els;
  while (els && els->kind == ND_IF) {
    opened += if_head(cg, els->cond, "} else if");
    all = st_block(cg, els->then) && all;
    els = els->els;
  }
  if (els) {
    cg_line(cg, "} else {");
    all = st_block(cg, els) && all;
  } else {
    all = false;
  }
  cg_line(cg, "}");
  for (; opened > 0; opened--) {
    cg->indent--;
    cg_line(cg, "}");
  }
  return all;
}

static void push_loop(Cg *cg) {
  if (cg->nloops == cg->caploops) {
    cg->caploops = cg->caploops ? cg->caploops * 2 : 8;
    cg->loop_base = rt_xrealloc(cg->loop_base, (size_t)cg->caploops * sizeof *cg->loop_base);
  }
  cg->loop_base[cg->nloops++] = cg->nvars;
}

static void st_while(Cg *cg, Node *n) {
  int tmark = cg->ntemps;
  const char *c = ex_value(cg, n->cond);
  if (cg->ntemps == tmark) {
    cg_line(cg, "while (%s) {", bare(cg, c));
  } else {
    int u = cg_unique(cg);
    cg_line(cg, "while (1) {");
    cg->indent++;
    cg_temps_decl(cg, tmark);
    cg_line(cg, "bool c%d = %s;", u, c);
    cg_temps_drop(cg, tmark);
    cg_line(cg, "if (!c%d) break;", u);
    cg->indent--;
  }
  push_loop(cg);
  st_block(cg, n->body);
  cg->nloops--;
  cg_line(cg, "}");
}

static bool is_literal(Node *n) { return n->kind == ND_INT; }

static void st_for_range(Cg *cg, Node *n) {
  int tmark = cg->ntemps;
  int u = cg_unique(cg);
  const char *name = cg->lname[n->local->id];
  const char *lo = ex_value(cg, n->lhs);
  int lo_mark = cg->ntemps;
  const char *hi = ex_value(cg, n->rhs);
  bool lo_simple = lo_mark == tmark && (is_literal(n->lhs) || (n->lhs->kind == ND_NAME && n->lhs->local));
  cg_line(cg, "{");
  cg->indent++;
  cg_temps_decl(cg, tmark);
  if (!lo_simple) {
    cg_line(cg, "int64_t lo%d = %s;", u, lo);
    lo = cg_fmt(cg, "lo%d", u);
  }
  const char *bound = hi;
  if (!is_literal(n->rhs)) {
    cg_line(cg, "int64_t hi%d = %s;  /* the bounds are evaluated once */", u, hi);
    bound = cg_fmt(cg, "hi%d", u);
  }
  cg_temps_drop(cg, tmark);
  cg_line(cg, "for (int64_t %s = %s; %s < %s; %s++) {", name, lo, name, bound, name);
  push_loop(cg);
  st_block(cg, n->body);
  cg->nloops--;
  cg_line(cg, "}");
  cg->indent--;
  cg_line(cg, "}");
}

// Does the string r stay as it is while body runs, so that a loop may read
// it piece by piece? r is a literal, a temporary the loop owns, a place in an
// owned variable that the body never names, or one reached through a `&`
// parameter (the caller's borrow keeps it unchanged for the whole call).
// Through a local reference it may not: the body could change the referent
// by its own name once the reference is dead.
static bool str_stays(Node *r, Node *body) {
  if (r->kind == ND_STR || ((r->kind == ND_CALL || r->kind == ND_METHOD) && r->ty->kind == TY_STR)) return true;
  while (r->kind == ND_FIELD || r->kind == ND_TUPLE_INDEX || r->kind == ND_INDEX) r = r->lhs;
  if (r->kind != ND_NAME || !r->local) return false;
  Local *l = r->local;
  if (l->kind == LK_PARAM && l->type->kind == TY_REF) return true;
  return !ty_is_ref(l->type) && !ast_mentions(body, l);
}

// Can `for x in e` take e's pieces one at a time, as Rust's split is an
// iterator? e is s.split(sep) or s.split_whitespace() whose strings stay as
// they are; otherwise the list that e makes, a snapshot, is iterated.
static bool split_streams(Node *e, Node *body) {
  if (e->kind != ND_METHOD || (e->method != MT_split && e->method != MT_split_whitespace)) return false;
  return str_stays(e->lhs, body) && (e->method == MT_split_whitespace || str_stays(e->items[0], body));
}

// Is expression n `m[k] = v` with k the variable l, moved in as the key of a
// map of str keys?
static bool moves_in_as_key(const Node *n, const Local *l) {
  if (n->kind != ND_ASSIGN || n->op != TK_EQ || n->lhs->kind != ND_INDEX) return false;
  const Node *k = n->lhs->rhs;
  Type *m = ex_vtype(n->lhs->lhs);
  return m->kind == TY_MAP && cg_str_key(m) && k->kind == ND_NAME && k->local == l && k->use == USE_MOVE;
}

// Does n only borrow the string variable l, or move it in as a map's key
// (`m[w] = v`)? Then a streamed split may lend each piece (a view into the
// string split, which stays as it is: str_stays) instead of making it: the
// key is copied only when it is new to the map. Rust's `for w in
// s.split_whitespace()` lends its &str the same way; the Toy program owns
// each piece, but nothing it does with it can tell the difference.
static bool only_lent(const Node *n, const Local *l) {
  if (!n) return true;
  if (n->kind == ND_NAME && n->local == l) return n->use == USE_BORROW;
  if (moves_in_as_key(n, l)) return only_lent(n->rhs, l) && only_lent(n->lhs->lhs, l);
  if (!only_lent(n->lhs, l) || !only_lent(n->rhs, l) || !only_lent(n->cond, l) || !only_lent(n->then, l) ||
      !only_lent(n->els, l) || !only_lent(n->body, l))
    return false;
  for (int i = 0; i < n->nitems; i++)
    if (!only_lent(n->items[i], l) || (n->values && !only_lent(n->values[i], l))) return false;
  return true;
}

// The loop's element variable, declared for the body (the caller opened the
// C loop): pushed for drops (unless its pieces are lent: they own nothing),
// its block generated, its scope ended.
static void for_body(Cg *cg, Node *n, const char *name, bool lent) {
  push_loop(cg);
  int bmark = cg->nvars;
  if (!lent) cg_push_var(cg, name, n->local->name, n->local->type, n->local);
  cg->indent++;
  bool div = st_items(cg, n->body, "end of scope");
  cg_scope_end(cg, bmark, !div, n, "end of iteration");
  cg->indent--;
  cg->nloops--;
  cg_line(cg, "}");
}

static void st_for_split(Cg *cg, Node *n) {
  Node *e = n->lhs;
  const char *name = cg->lname[n->local->id];
  int u = cg_unique(cg);
  int tmark = cg->ntemps, vmark = cg->nvars;
  bool ws = e->method == MT_split_whitespace;
  const char *src = ex_value(cg, e->lhs), *sep = ws ? NULL : ex_value(cg, e->items[0]);
  const char *site = cg->alloc_site ? cg->alloc_site : cg_site(cg, n->span);
  cg_line(cg, "{");
  cg->indent++;
  cg_temps_to_scope(cg, tmark);
  cg_line(cg, "const rt_str *src%d = %s;  /* split one piece at a time */", u, src);
  if (!ws) {
    cg_line(cg, "const rt_str *sep%d = %s;", u, sep);
    cg_line(cg, "rt_str_check_sep(sep%d, %s);", u, cg_loc(cg, e->span));
  }
  cg_line(cg, "int64_t pos%d = 0;", u);
  bool lent = cg->lent[n->local->id] = only_lent(n->body, n->local);
  cg_line(cg, "rt_str %s;%s", name, lent ? "  /* each piece lent: the body only borrows it, or moves it in as a key */" : "");
  const char *step = lent ? "lend" : "step";
  // Each piece is made on the loop's line, where the list was.
  cg_line(cg, "while ((RT_LINE(%d), rt_alloc_site = %s, %s)) {", n->span.line, site,
          ws ? cg_fmt(cg, "rt_str_split_ws_%s(src%d, &pos%d, &%s)", step, u, u, name)
             : cg_fmt(cg, "rt_str_split_%s(src%d, sep%d, &pos%d, &%s)", step, u, u, u, name));
  cg->indent++;
  cg_flag_decl(cg, n->local, true);
  cg->indent--;
  for_body(cg, n, name, lent);
  cg_scope_end(cg, vmark, true, n, "end of loop");
  cg->indent--;
  cg_line(cg, "}");
}

static void st_for_in(Cg *cg, Node *n) {
  Node *e = n->lhs;
  Local *l = n->local;
  const char *name = cg->lname[l->id];
  bool by_ref = e->ty->kind == TY_REF || e->ty->kind == TY_REFMUT;
  if (!by_ref && split_streams(e, n->body)) {
    st_for_split(cg, n);
    return;
  }
  int u = cg_unique(cg);
  int tmark = cg->ntemps;
  int vmark = cg->nvars;
  Type *lt = by_ref ? ty_strip_refs(e->ty) : e->ty;
  Type *et = lt->elem;
  const char *es = cg_ct(cg, et);
  const char *list;
  if (by_ref) {
    list = e->deref ? cg_fmt(cg, "&%s", ex_place(cg, e)) : ex_value(cg, e);
  } else {
    list = ex_value(cg, e);
  }
  cg_line(cg, "{");
  cg->indent++;
  cg_temps_to_scope(cg, tmark);
  if (by_ref) {
    cg_line(cg, "rt_list *it%d = %s;", u, list);
    cg_line(cg, "for (int64_t i%d = 0; i%d < it%d->len; i%d++) {", u, u, u, u);
    cg->indent++;
    cg_line(cg, "%s %s = (%s *)it%d->data + i%d;", cg_ct(cg, l->type), name, es, u, u);
    cg->indent--;
  } else {
    // The loop owns the list; each element is moved out in turn, and what
    // is left (after a break) is dropped with the list.
    cg_line(cg, "rt_list it%d = %s;  /* consumed by the loop */", u, list);
    cg_push_var(cg, cg_fmt(cg, "it%d", u), "the list iterated over", lt, NULL);
    cg_line(cg, "for (int64_t i%d = 0; i%d < it%d.len; i%d++) {", u, u, u, u);
    cg->indent++;
    // TAKE: the element leaves the list, which still drops the rest.
    if (cg_needs_drop(cg, et))
      cg_line(cg, "%s %s = TAKE(%s, (%s *)it%d.data + i%d);", es, name, es, es, u, u);
    else
      cg_line(cg, "%s %s = ((%s *)it%d.data)[i%d];", es, name, es, u, u);
    cg_flag_decl(cg, l, true);
    cg->indent--;
  }
  for_body(cg, n, name, false);
  cg_scope_end(cg, vmark, true, n, "end of loop");
  cg->indent--;
  cg_line(cg, "}");
}

static const char *pattern_cond(Cg *cg, Pattern *p, const char *s, Type *st) {
  switch (p->kind) {
  case PAT_WILD: return NULL;
  case PAT_INT: return cg_fmt(cg, "%s == %s", s, ex_int_lit(cg, p->ival));
  case PAT_STR: return cg_fmt(cg, "str_is(&%s, %s, %zu)", s, cg_cstr(cg, p->sval, p->slen), p->slen);
  case PAT_BOOL: return p->bval ? s : cg_fmt(cg, "!%s", s);
  case PAT_NONE: return cg_boxed(cg, st) ? cg_fmt(cg, "%s == NULL", s) : cg_fmt(cg, "!%s.some", s);
  case PAT_SOME: return cg_boxed(cg, st) ? cg_fmt(cg, "%s != NULL", s) : cg_fmt(cg, "%s.some", s);
  case PAT_VARIANT: return cg_fmt(cg, "%s == %d /* %s::%s */", s, p->index, p->enum_name, p->name);
  }
  return NULL;
}

static bool st_match(Cg *cg, Node *n) {
  Node *e = n->lhs;
  int u = cg_unique(cg);
  int tmark = cg->ntemps;
  int vmark = cg->nvars;
  bool by_ref = e->ty->kind == TY_REF || e->ty->kind == TY_REFMUT;
  Type *st = by_ref ? ty_strip_refs(e->ty) : ex_vtype(e);
  const char *sct = cg_ct(cg, st);
  const char *decl, *s;
  bool in_place = !by_ref && e->use == USE_MOVE && is_place(e) && e->kind != ND_INDEX && !e->deref;
  Local *root = in_place && e->kind == ND_NAME ? e->local : NULL;  // the whole local is the scrutinee
  if (by_ref) {
    const char *p = ex_value(cg, e);
    Type *t = e->ty->elem;
    while (t->kind == TY_REF || t->kind == TY_REFMUT) {
      p = cg_fmt(cg, "(*%s)", p);
      t = t->elem;
    }
    decl = cg_fmt(cg, "%s *m%d = %s;  /* matched by reference */", sct, u, p);
    s = cg_fmt(cg, "(*m%d)", u);
  } else if (e->use == USE_BORROW || e->use == USE_BORROW_MUT) {
    decl = cg_fmt(cg, "%s *m%d = %s;", sct, u, ex_value(cg, e));
    s = cg_fmt(cg, "(*m%d)", u);
  } else if (in_place) {
    // A place matched by value: it stays where it is, and only an arm that
    // binds a move-type payload moves (the borrow checker's view: the place
    // is moved in that arm only).
    decl = cg_fmt(cg, "%s *m%d = &%s;  /* matched in place */", sct, u, ex_place(cg, e));
    s = cg_fmt(cg, "(*m%d)", u);
  } else {
    decl = cg_fmt(cg, "%s m%d = %s;%s", sct, u, ex_value(cg, e),
                  e->use == USE_MOVE && cg_needs_drop(cg, st) ? "  /* moved into the match */" : "");
    s = cg_fmt(cg, "m%d", u);
  }
  cg_line(cg, "{");
  cg->indent++;
  cg_temps_to_scope(cg, tmark);
  cg_line(cg, "%s", decl);
  if (!by_ref && !in_place && e->use == USE_MOVE) cg_push_var(cg, cg_fmt(cg, "m%d", u), "the matched value", st, NULL);
  bool all = true, first = true, wild = false;
  for (int i = 0; i < n->nitems && !wild; i++) {
    Node *arm = n->items[i];
    Pattern *p = arm->pat;
    const char *c = p ? pattern_cond(cg, p, s, st) : NULL;
    // The checker proved the match exhaustive: the last arm needs no test.
    if (c && i == n->nitems - 1 && !first) c = NULL;
    if (!c) wild = true;
    if (first && c) cg_line(cg, "if (%s) {", c);
    else if (first) cg_line(cg, "{");
    else if (c) cg_line(cg, "} else if (%s) {", c);
    else cg_line(cg, "} else {");
    first = false;
    cg->indent++;
    int amark = cg->nvars;
    if (p && p->kind == PAT_SOME && p->local) {
      Local *l = p->local;
      const char *name = cg->lname[l->id];
      const char *lct = cg_ct(cg, l->type);
      bool boxed = cg_boxed(cg, st);
      if (by_ref) {
        cg_line(cg, "%s %s = %s;", lct, name, boxed ? s : cg_fmt(cg, "&%s.v", s));
      } else if (root && cg_needs_drop(cg, l->type)) {
        // The payload moves out of a whole local, which is moved here (no zeroing).
        if (boxed) {
          cg_line(cg, "%s %s = *%s;", lct, name, s);
          cg_line(cg, "rt_free(%s);  /* the box of the moved payload */", s);
        } else {
          cg_line(cg, "%s %s = %s.v;", lct, name, s);
        }
        if (cg_has_flag(cg, root)) cg_line(cg, "%s = false;  /* %s is moved */", cg_flag(cg, root), root->name);
      } else if (boxed) {
        // The payload moves out of its box; the box is freed, the option left None.
        cg_line(cg, "%s %s = *%s;", lct, name, s);
        cg_line(cg, "rt_free(%s);  /* the box of the moved payload */", s);
        cg_line(cg, "%s = NULL;", s);
      } else if (cg_needs_drop(cg, l->type)) {
        // TAKE: the payload leaves a place its owner still drops (a field, a hidden owner).
        cg_line(cg, "%s %s = TAKE(%s, &%s.v);", lct, name, lct, s);
      } else {
        cg_line(cg, "%s %s = %s.v;", lct, name, s);
      }
      cg_flag_decl(cg, l, true);
      cg_push_var(cg, name, l->name, l->type, l);
    }
    bool div = arm->body ? st_items(cg, arm->body, "end of scope") : false;
    cg_scope_end(cg, amark, !div, arm, "end of arm");
    if (!div) all = false;
    cg->indent--;
  }
  if (!first) cg_line(cg, "}");
  if (n->nitems == 0) all = false;
  cg_scope_end(cg, vmark, !all, n, "end of match");
  cg->indent--;
  cg_line(cg, "}");
  return all;
}

// `return v;` (v NULL: `return;`) — or, in a piece of a split function,
// the value into F->ret and `return true;`: the function returns.
static void ret_line(Cg *cg, const char *v) {
  if (cg->piece_out) {
    if (v) cg_line(cg, "F->ret = %s;", v);
    cg_line(cg, "return true;  /* the function returns */");
  } else if (v) {
    cg_line(cg, "return %s;", v);
  } else {
    cg_line(cg, "return;");
  }
}

static void st_return(Cg *cg, Node *n) {
  int tmark = cg->ntemps;
  bool unit = cg->fn ? cg->fn->ret_type->kind == TY_UNIT : false;
  if (!n->lhs) {
    cg_drop_vars(cg, 0, n, "return");
    ret_line(cg, NULL);
    return;
  }
  const char *v = ex_value(cg, n->lhs);
  if (unit) {
    cg_temps_decl(cg, tmark);
    cg_line(cg, "%s;", v);
    cg_temps_drop(cg, tmark);
    cg_drop_vars(cg, 0, n, "return");
    ret_line(cg, NULL);
    return;
  }
  if (cg->ntemps == tmark && cg->nvars == 0) {
    ret_line(cg, v);
    return;
  }
  int u = cg_unique(cg);
  cg_line(cg, "{");
  cg->indent++;
  cg_temps_decl(cg, tmark);
  cg_line(cg, "%s ret%d = %s;", cg_ct(cg, n->lhs->deref ? ex_vtype(n->lhs) : cg->fn->ret_type), u, v);
  cg_temps_drop(cg, tmark);
  cg_drop_vars(cg, 0, n, "return");
  ret_line(cg, cg_fmt(cg, "ret%d", u));
  cg->indent--;
  cg_line(cg, "}");
}

static bool st_expr(Cg *cg, Node *n) {
  Node *e = n->lhs;
  int tmark = cg->ntemps;
  bool div = e->kind == ND_CALL && !e->fn && e->builtin == BI_panic;
  if (e->use == USE_BORROW || e->use == USE_COPY) {
    // A place read for nothing (`v[i];` still checks the index).
    const char *p = ex_value(cg, e);
    cg_temps_decl(cg, tmark);
    cg_line(cg, "(void)%s;", p);
    cg_temps_drop(cg, tmark);
    return div;
  }
  const char *v = ex_value(cg, e);
  Type *t = e->ty;
  if (cg_needs_drop(cg, t)) {
    const char *tmp = cg_temp(cg, cg_ct(cg, t), t);
    cg_temps_decl(cg, tmark);
    cg_line(cg, "%s = %s;  /* the value is not used */", tmp, v);
  } else {
    cg_temps_decl(cg, tmark);
    cg_line(cg, "%s;", v);
  }
  cg_temps_drop(cg, tmark);
  return div;
}

static bool st_stmt(Cg *cg, Node *n) {
  switch (n->kind) {
  case ND_LET: stmt_begin(cg, n); st_let(cg, n); return false;
  case ND_ASSIGN: stmt_begin(cg, n); st_assign(cg, n); return false;
  case ND_EXPR_STMT: stmt_begin(cg, n); return st_expr(cg, n);
  case ND_IF: stmt_begin(cg, n); return st_if(cg, n);
  case ND_WHILE: stmt_begin(cg, n); st_while(cg, n); return false;
  case ND_FOR_RANGE: stmt_begin(cg, n); st_for_range(cg, n); return false;
  case ND_FOR_IN: stmt_begin(cg, n); st_for_in(cg, n); return false;
  case ND_BREAK:
  case ND_CONTINUE:
    stmt_begin(cg, n);
    if (cg->nloops > 0) cg_drop_vars(cg, cg->loop_base[cg->nloops - 1], n, n->kind == ND_BREAK ? "break" : "continue");
    cg_line(cg, n->kind == ND_BREAK ? "break;" : "continue;");
    return true;
  case ND_RETURN: stmt_begin(cg, n); st_return(cg, n); return true;
  case ND_MATCH: stmt_begin(cg, n); return st_match(cg, n);
  case ND_BLOCK: {
    cg_line(cg, "{");
    bool div = st_block(cg, n);
    cg_line(cg, "}");
    return div;
  }
  default: return false;
  }
}

// ---- functions and consts ------------------------------------------------------------------

static int cmp_local_names(const void *a, const void *b) {
  return strcmp((*(Local *const *)a)->name, (*(Local *const *)b)->name);
}

// v_NAME, or v_NAME_ID for a name declared more than once in the function
// (sorted by name, so that a function of n locals takes n log n, not n²).
static void name_locals(Cg *cg, FnDecl *fn) {
  int n = fn->nlocals;
  cg->lname = rt_xcalloc((size_t)n + 1, sizeof *cg->lname);
  cg->lent = rt_xcalloc((size_t)n + 1, sizeof *cg->lent);
  Local **by_name = rt_xcalloc((size_t)n + 1, sizeof *by_name);
  memcpy(by_name, fn->locals, (size_t)n * sizeof *by_name);
  qsort(by_name, (size_t)n, sizeof *by_name, cmp_local_names);
  for (int i = 0; i < n; i++) {
    Local *l = by_name[i];
    bool dup = (i > 0 && strcmp(by_name[i - 1]->name, l->name) == 0) ||
               (i + 1 < n && strcmp(by_name[i + 1]->name, l->name) == 0);
    cg->lname[l->id] = dup ? cg_fmt(cg, "v_%s_%d", l->name, l->id) : cg_fmt(cg, "v_%s", l->name);
  }
  free(by_name);
}

// ---- functions too big for the C compiler in one piece ----------------------------
// gcc's optimizer is superlinear in the size of one function (points-to
// analysis, the inliner's heuristics, register allocation): at -O2 a main of
// 4,000 statements took 11 s and one of 10,000 took 28–55 s. So a function
// of more than SPLIT_MIN AST nodes is written in pieces of about PIECE nodes,
// cut between its top-level statements (docs/native.md):
//   - each piece is a C function `bool u_NAME__pK(fr_NAME *F, rt_d)`, kept
//     out of line (noinline: gcc would glue pieces called once back
//     together), which returns true when the Toy function has returned,
//     its value in F->ret. It is optimized at -O1 when it has a loop, as
//     compilers tame their optimizers on huge functions (3.6× less time in
//     gcc than -O2 for a 130,000-statement main), and not at all (-O0)
//     when it is straight-line code, which runs once: 2.2× less again;
//   - the parameters and the variables of the top-level scope are fields of
//     the frame F, zeroed on the heap; a variable declared inside a
//     statement stays in its piece, and every drop is where it was.
// One top-level statement is never cut: a loop of 100,000 statements stays
// one piece.
enum { SPLIT_MIN = 8000, PIECE = 1500 };

static bool count_node(const Node *n, const void *count) {
  (void)n;
  ++*(int *)count;
  return false;
}

static bool is_loop(const Node *n, const void *unused) {
  (void)unused;
  return n->kind == ND_WHILE || n->kind == ND_FOR_RANGE || n->kind == ND_FOR_IN;
}

static int ast_size(const Node *n) {
  int count = 0;
  ast_any(n, count_node, &count);
  return count;
}

// The frame of a split function: allocated, the parameters copied in, and
// the C names of the parameters and top-level variables made its fields.
static void frame_begin(Cg *cg, FnDecl *fn) {
  cg_line(cg, "fr_%s *F = rt_alloc_zeroed_array(1, sizeof *F);  /* the frame of the pieces */", fn->name);
  for (int i = 0; i < fn->nparams; i++) {
    Local *l = fn->params[i].local;
    const char *p = cg->lname[l->id];
    cg->lname[l->id] = cg_fmt(cg, "F->%s", p);
    cg_line(cg, "%s = %s;", cg_decl(cg, cg_ct(cg, l->type), cg->lname[l->id]), p);
  }
  for (int i = 0; i < fn->body->nitems; i++) {
    Node *n = fn->body->items[i];
    if (n->kind == ND_LET) cg->lname[n->local->id] = cg_fmt(cg, "F->%s", cg->lname[n->local->id]);
  }
}

// The body of a split function: its pieces, written into cg->fns with the
// frame's type ahead of the function, and the calls to them. True when the
// body cannot complete.
static bool st_pieces(Cg *cg, FnDecl *fn) {
  Node *body = fn->body;
  RtBuf *out = cg->out;
  const char *rd = cg->opts->unchecked ? "" : ", rt_d";
  int mark = cg->nvars, npieces = 0;
  bool div = false;
  for (int i = 0; i < body->nitems;) {
    npieces++;
    int end = i;
    bool loops = false;
    for (int size = 0; end < body->nitems && size < PIECE; end++) {
      size += ast_size(body->items[end]);
      loops = loops || ast_any(body->items[end], is_loop, NULL);
    }
    const char *sig = cg_fmt(cg, "LAB_SHARED __attribute__((noinline, optimize(\"%s\"))) bool u_%s__p%d(fr_%s *F%s)",
                             loops ? "O1" : "O0", fn->name, npieces, fn->name,
                             cg->opts->unchecked ? "" : ", int64_t rt_d");
    rtbuf_printf(&cg->protos, "%s;\n", sig);
    RtBuf locs = {0}, text = {0};
    rtbuf_printf(&text, "// fn %s, piece %d\n%s {\n", fn->name, npieces, sig);
    cg->out = cg->piece_out = &text;
    cg->piece_locs = &locs;
    cg->piece_o0 = !loops;
    for (; i < end; i++) div = st_stmt(cg, body->items[i]);
    cg_line(cg, "return false;");
    rtbuf_puts(&text, "}\n\n");
    cg->piece_locs = cg->piece_out = NULL;
    cg->piece_o0 = false;
    cg->out = out;
    if (locs.data) rtbuf_puts(&cg->pieces, locs.data);
    rtbuf_puts(&cg->pieces, text.data);
    free(locs.data);
    free(text.data);
    if (cg->npieces == cg->cappieces) {
      cg->cappieces = cg->cappieces ? 2 * cg->cappieces : 64;
      cg->piece_end = rt_xrealloc(cg->piece_end, (size_t)cg->cappieces * sizeof *cg->piece_end);
    }
    cg->piece_end[cg->npieces++] = cg->pieces.len;
    cg_line(cg, "if (u_%s__p%d(F%s)) goto returned;", fn->name, npieces, rd);
  }
  cg->alloc_site = NULL;  // the last piece's, in the piece's part
  cg_scope_end(cg, mark, !div, body, "end of scope");
  rtbuf_printf(&cg->frames, "// fn %s is written in %d pieces for the C compiler; its frame:\ntypedef struct fr_%s {\n%s",
               fn->name, npieces, fn->name, cg->frame->data ? cg->frame->data : "");
  if (fn->ret_type->kind != TY_UNIT) rtbuf_printf(&cg->frames, "  %s ret;\n", cg_ct(cg, fn->ret_type));
  rtbuf_printf(&cg->frames, "} fr_%s;\n\n", fn->name);
  return div;
}

bool cg_is_split(FnDecl *fn) { return fn->body->kind == ND_BLOCK && ast_size(fn->body) > SPLIT_MIN; }

void st_function(Cg *cg, FnDecl *fn) {
  cg->fn = fn;
  cg->alloc_site = NULL;
  name_locals(cg, fn);
  cg->nvars = cg->nloops = cg->ntemps = 0;
  RtBuf text = {0}, frame = {0};
  cg->out = &text;
  cg_fn_signature(cg, &text, fn);
  rtbuf_printf(&text, " {\n");
  cg->indent = 1;
  bool split = cg_is_split(fn);
  if (split) {
    cg->frame = &frame;
    frame_begin(cg, fn);
  }
  for (int i = 0; i < fn->nparams; i++) {
    Local *l = fn->params[i].local;
    cg_push_var(cg, cg->lname[l->id], l->name, l->type, l);
    cg_flag_decl(cg, l, true);
  }
  bool div = split ? st_pieces(cg, fn) : st_items(cg, fn->body, "end of scope");
  cg->drop_line = fn->body->end_line;
  cg->drop_marked = false;
  if (!div) cg_drop_vars(cg, 0, fn->body, "end of function");
  cg->drop_line = 0;
  bool unit = fn->ret_type->kind == TY_UNIT;
  if (!div && !unit)
    cg_line(cg, "rt_panic(NULL, RT_PANIC, \"unreachable: the end of a function that returns a value\");");
  if (split) {
    // A piece that returned has made the drops; the frame is freed here.
    rtbuf_puts(&text, "returned:;\n");
    if (!unit) cg_line(cg, "%s ret = F->ret;", cg_ct(cg, fn->ret_type));
    cg_line(cg, "rt_free(F);");
    if (!unit) cg_line(cg, "return ret;");
    cg->frame = NULL;
    free(frame.data);
  }
  rtbuf_printf(&cg->fns, "// fn %s (line %d)\n%s}\n\n", fn->name, fn->span.line, text.data);
  free(text.data);
  cg->out = &cg->fns;
  free(cg->lname);
  free(cg->lent);
  cg->lname = NULL;
  cg->lent = NULL;
  cg->fn = NULL;
  cg->nvars = 0;
}

// A const is an rvalue: c_NAME() computes a fresh value at each use.
void st_const(Cg *cg, ConstDecl *cd) {
  cg->alloc_site = NULL;
  const char *ct = cg_ct(cg, cd->ty);
  rtbuf_printf(&cg->protos, "static %s c_%s(void);\n", ct, cd->name);
  RtBuf text = {0};
  RtBuf *save = cg->out;
  cg->out = &text;
  cg->indent = 1;
  cg->fn = NULL;
  cg->nvars = cg->ntemps = 0;
  rtbuf_printf(&text, "// const %s (line %d): a fresh value at each use.\nstatic %s c_%s(void) {\n", cd->name,
             cd->span.line, ct, cd->name);
  const char *v = ex_value(cg, cd->value);
  cg_temps_decl(cg, 0);
  cg_line(cg, "%s v = %s;", ct, v);
  cg_temps_drop(cg, 0);
  cg_line(cg, "return v;");
  rtbuf_puts(&text, "}\n\n");
  rtbuf_puts(&cg->helpers, text.data);
  free(text.data);
  cg->out = save;
}
