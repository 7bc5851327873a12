// cgen_expr.c — expressions to C (native mode; cgen_int.h has the ownership
// scheme). Each expression becomes one C expression; what needs statements
// (a list literal, a method that fills an out-parameter) is a GNU statement
// expression `({ … })`, which the generated C may use (it is compiled as
// gnu11).
//
// How a node is turned into C depends on its use (check.h):
//   COPY    the value, read out of its place
//   MOVE    the value, handed over: a whole local's bits are copied (its drop
//           follows the borrow checker's states), a field is TAKEn (zeroed)
//   BORROW  a pointer to the value: &place, or &tmpN for a temporary, which
//           lives until the end of the statement and is dropped there
//   PLACE   the C lvalue of the place (the base of v[i], s.f, t.0)
// References (&T) are C pointers; a node with `deref` set is read through.
//
// ORDER OF EVALUATION. C leaves the order of function arguments and of the
// operands of most operators unspecified; Toy evaluates left to right
// (tests/lang/eval_order.toy). sequence() stores every operand that could
// have or see a side effect (a call, a check that can panic, a field another
// operand could change) into a statement temporary, in order, with the comma
// operator; operands that cannot (literals, locals) stay where they are.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "cgen_int.h"
#include "tokens.h"
#include "xalloc.h"

Type *ex_vtype(Node *n) { return n->deref ? ty_strip_refs(n->ty) : n->ty; }

static int ref_levels(Type *t) {
  int k = 0;
  while (t->kind == TY_REF || t->kind == TY_REFMUT) {
    k++;
    t = t->elem;
  }
  return k;
}

static bool is_place_kind(Node *n) {
  switch (n->kind) {
  case ND_NAME: return n->local != NULL;
  case ND_FIELD: case ND_TUPLE_INDEX: case ND_INDEX: return true;
  default: return false;
  }
}

const char *cg_temp(Cg *cg, const char *ctype, Type *owned) {
  if (cg->ntemps == cg->captemps) {
    cg->captemps = cg->captemps ? cg->captemps * 2 : 16;
    cg->temps = rt_xrealloc(cg->temps, (size_t)cg->captemps * sizeof *cg->temps);
  }
  Temp *t = &cg->temps[cg->ntemps++];
  t->cname = cg_fmt(cg, "tmp%d", cg_unique(cg));
  t->ctype = ctype;
  t->ty = owned && cg_needs_drop(cg, owned) ? owned : NULL;
  return t->cname;
}

const char *ex_int_lit(Cg *cg, int64_t v) {
  if (v == INT64_MIN) return "INT64_MIN";
  if (v >= -2147483647 && v <= 2147483647) return cg_fmt(cg, "%lld", (long long)v);
  return cg_fmt(cg, "INT64_C(%lld)", (long long)v);
}

static const char *float_lit(Cg *cg, double v) {
  if (isinf(v)) return v > 0 ? "HUGE_VAL" : "(-HUGE_VAL)";
  if (isnan(v)) return "NAN";
  char b[64];
  snprintf(b, sizeof b, "%.17g", v);
  if (!strpbrk(b, ".eE")) strcat(b, ".0");
  return cg_fmt(cg, "%s", b);
}

const char *ex_ctype(Cg *cg, Node *n) {
  const char *t = cg_ct(cg, ex_vtype(n));
  if (n->use == USE_BORROW || n->use == USE_BORROW_MUT) return cg_fmt(cg, "%s *", t);
  return t;
}

// Can evaluating n neither have a side effect nor be affected by one of a
// sibling operand? (See ORDER OF EVALUATION above.)
static bool stable_place(Node *n) {
  if (n->kind == ND_NAME) return true;
  if (n->kind == ND_FIELD || n->kind == ND_TUPLE_INDEX) return stable_place(n->lhs);
  return false;
}

static bool stable(Node *n) {
  // A move out of a place zeroes it: an operand before it may still read it.
  if (n->use == USE_MOVE && is_place_kind(n) && !ty_is_copy(ex_vtype(n))) return false;
  switch (n->kind) {
  case ND_INT: case ND_FLOAT: case ND_BOOL: case ND_NONE: case ND_PATH: case ND_STR: return true;
  case ND_NAME: return n->local != NULL || n->cnst != NULL;
  case ND_UNARY:
    if (n->op == TK_AMP || n->op == TK_AMP_MUT) return stable_place(n->lhs);
    return false;
  case ND_FIELD:
  case ND_TUPLE_INDEX: return n->use != USE_COPY && stable_place(n);
  default: return false;
  }
}

// Makes the operands e[0..n) evaluate left to right: each one that is not
// stable, except the last such one (all of them when `all`), is stored into
// a temporary first. Returns the prefix "tmpA = …, tmpB = …, " ("" if none).
static const char *sequence(Cg *cg, int n, const char **e, const char **ct, const bool *st, bool all) {
  int last = -1, count = 0;
  for (int i = 0; i < n; i++)
    if (!st[i]) last = i, count++;
  if (count == 0 || (count == 1 && !all)) return "";
  const char *prefix = "";
  for (int i = 0; i < n; i++) {
    if (st[i] || (i == last && !all)) continue;
    const char *t = cg_temp(cg, ct[i], NULL);
    prefix = cg_fmt(cg, "%s%s = %s, ", prefix, t, e[i]);
    e[i] = t;
  }
  return prefix;
}

// Whether a value of type t can nest without bound — it reaches a struct
// that contains itself (through ?Self or a list or map of itself): a walk
// over it (==, clone, print, str()) may reach RT_MAX_WALK_DEPTH, so its
// start sets rt_walk_site, where the RecursionError is reported. Memoized
// per struct; a struct reached while its own fields are being looked at is
// recursive.
static bool can_nest_deep(Cg *cg, Type *t) {
  switch (t->kind) {
  case TY_OPTION:
  case TY_LIST:
  case TY_MAP: return can_nest_deep(cg, t->elem);
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++)
      if (can_nest_deep(cg, t->items[i])) return true;
    return false;
  case TY_STRUCT: {
    if (!cg->nests) cg->nests = rt_xcalloc((size_t)cg->prog->nstructs + 1, 1);
    unsigned char *m = &cg->nests[t->st->index];
    if (*m) return *m != 2;  // 1: reached again while being looked at
    *m = 1;
    bool deep = false;
    for (int i = 0; i < t->st->nfields && !deep; i++) deep = can_nest_deep(cg, t->st->fields[i].type);
    cg->nests[t->st->index] = deep ? 3 : 2;
    return deep;
  }
  default: return false;
  }
}

// `(rt_walk_site = &locN, expr)` when a walk over t can go deep, else expr.
static const char *walk_at(Cg *cg, Type *t, Span sp, const char *expr) {
  if (!can_nest_deep(cg, t)) return expr;
  return cg_fmt(cg, "(rt_walk_site = %s, %s)", cg_loc(cg, sp), expr);
}

static const char *raw(Cg *cg, Node *n);
static const char *place_self(Cg *cg, Node *n);

// A non-place evaluated into a statement temporary (dropped after the
// statement when it owns something): an lvalue.
static const char *into_temp(Cg *cg, Node *n) {
  const char *ct = cg_ct(cg, n->ty);
  const char *t = cg_temp(cg, ct, n->ty);
  return cg_fmt(cg, "(*(%s = %s, &%s))", t, raw(cg, n), t);
}

const char *ex_place(Cg *cg, Node *n) {
  const char *p = place_self(cg, n);
  if (n->deref)
    for (int k = ref_levels(n->ty); k > 0; k--) p = cg_fmt(cg, "(*%s)", p);
  return p;
}

// The place of n itself (for a name bound to a reference: the pointer).
static const char *place_self(Cg *cg, Node *n) {
  switch (n->kind) {
  case ND_NAME:
    if (n->local) return cg->lname[n->local->id];
    return into_temp(cg, n);
  case ND_FIELD: return cg_fmt(cg, "%s.f_%s", ex_place(cg, n->lhs), n->name);
  case ND_TUPLE_INDEX: return cg_fmt(cg, "%s.f%d", ex_place(cg, n->lhs), (int)n->ival);
  case ND_INDEX: {
    Type *bt = ex_vtype(n->lhs);
    const char *et = cg_ct(cg, bt->elem);
    const char *e[2] = {cg_fmt(cg, "&%s", ex_place(cg, n->lhs)), NULL};
    const char *ct[2] = {cg_fmt(cg, "%s *", bt->kind == TY_LIST ? "rt_list" : "rt_map"), NULL};
    bool st[2] = {stable_place(n->lhs), stable(n->rhs)};
    e[1] = ex_value(cg, n->rhs);
    ct[1] = ex_ctype(cg, n->rhs);
    const char *pre = sequence(cg, 2, e, ct, st, false);
    const char *loc = cg_loc(cg, n->span);
    if (bt->kind == TY_LIST)
      return cg_fmt(cg, "(*(%s(%s *)rt_list_at(%s, %s, sizeof(%s), %s)))", pre, et, e[0], e[1], et, loc);
    bool s = bt->key->kind == TY_STR;
    // The key of `m[k] = v` is moved (a value); elsewhere borrowed.
    const char *key = e[1];
    if (s && (n->rhs->use == USE_MOVE || n->rhs->use == USE_COPY)) {
      const char *t = cg_temp(cg, "rt_str", bt->key);
      key = cg_fmt(cg, "(%s = %s, &%s)", t, key, t);
    }
    return cg_fmt(cg, "(*(%s(%s *)rt_map_%s_at(%s, %s, sizeof(%s), %s)))", pre, et, s ? "s" : "i", e[0], key, et,
                  loc);
  }
  default: return into_temp(cg, n);
  }
}

const char *ex_value(Cg *cg, Node *n) {
  Type *t = ex_vtype(n);
  switch (n->use) {
  case USE_COPY:
    if (n->deref || is_place_kind(n)) return ex_place(cg, n);
    return raw(cg, n);
  case USE_MOVE:
    if (is_place_kind(n) && !n->deref) {
      const char *p = ex_place(cg, n);
      if (!cg_needs_drop(cg, t)) return p;
      if (n->kind == ND_NAME && n->local) {
        // A whole local: its bits move and stay; the borrow checker decided
        // where it is dropped. A conditionally moved one clears its flag.
        if (cg_has_flag(cg, n->local)) return cg_fmt(cg, "(%s = false, %s)", cg_flag(cg, n->local), p);
        return p;
      }
      // A partial move (a field or tuple item): the struct is still dropped
      // whole, so the place is zeroed (TAKE) and its drop frees nothing.
      return cg_fmt(cg, "TAKE(%s, &%s)", cg_ct(cg, t), p);
    }
    if (n->deref) return ex_place(cg, n);
    return raw(cg, n);
  case USE_BORROW:
  case USE_BORROW_MUT: {
    if (n->kind == ND_STR && n->use == USE_BORROW) {
      // A borrowed literal: a read-only view of the C literal, nothing allocated.
      if (n->slen == 0) return "(&(rt_str){NULL, 0, 0})";
      return cg_fmt(cg, "(&(rt_str){(char *)%s, %zu, 0})", cg_cstr(cg, n->sval, n->slen), n->slen);
    }
    if (n->deref) {
      const char *p = is_place_kind(n) ? place_self(cg, n) : raw(cg, n);
      for (int k = ref_levels(n->ty); k > 1; k--) p = cg_fmt(cg, "(*%s)", p);
      return p;
    }
    if (is_place_kind(n)) return cg_fmt(cg, "&%s", ex_place(cg, n));
    const char *tmp = cg_temp(cg, cg_ct(cg, t), t);
    return cg_fmt(cg, "(%s = %s, &%s)", tmp, raw(cg, n), tmp);
  }
  case USE_PLACE:
  case USE_ASSIGN: return ex_place(cg, n);
  default:
    if (is_place_kind(n)) return ex_place(cg, n);
    return raw(cg, n);
  }
}

const char *ex_ptr(Cg *cg, Node *n) {
  if (n->use == USE_BORROW || n->use == USE_BORROW_MUT) return ex_value(cg, n);
  if (n->deref || is_place_kind(n)) return cg_fmt(cg, "&%s", ex_place(cg, n));
  Type *t = ex_vtype(n);
  const char *tmp = cg_temp(cg, cg_ct(cg, t), n->use == USE_MOVE ? NULL : t);
  return cg_fmt(cg, "(%s = %s, &%s)", tmp, raw(cg, n), tmp);
}

// ---- literals and constructors ------------------------------------------------------

static const char *some_of(Cg *cg, Type *opt, const char *v) {
  if (cg_boxed(cg, opt)) return cg_fmt(cg, "%s(%s)", cg_some_fn(cg, opt), v);
  return cg_fmt(cg, "((%s){true, %s})", cg_ct(cg, opt), v);
}

static const char *none_of(Cg *cg, Type *opt) {
  if (cg_boxed(cg, opt)) return "NULL";
  return cg_fmt(cg, "((%s){0})", cg_ct(cg, opt));
}

static const char *list_lit(Cg *cg, Node *n) {
  Type *et = n->ty->elem;
  const char *ct = cg_ct(cg, et);
  if (n->nitems == 0) return "rt_list_new()";
  int u = cg_unique(cg);
  RtBuf b = {0};
  rtbuf_printf(&b, "({ rt_list l%d = rt_list_with_cap(%d, sizeof(%s)); ", u, n->nitems, ct);
  for (int i = 0; i < n->nitems; i++)
    rtbuf_printf(&b, "((%s *)l%d.data)[%d] = %s; l%d.len = %d; ", ct, u, i, ex_value(cg, n->items[i]), u, i + 1);
  rtbuf_printf(&b, "l%d; })", u);
  const char *r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  return r;
}

static const char *map_lit(Cg *cg, Node *n) {
  if (n->nitems == 0) return "rt_map_new()";
  const char *put = cg_mapput_fn(cg, n->ty, false);
  int u = cg_unique(cg);
  RtBuf b = {0};
  // Room for the literal's entries from the start, as Rust's HashMap::from
  // and Python's dict display size their tables: no growth, no excess.
  rtbuf_printf(&b, "({ rt_map m%d = rt_map_new(); rt_map_reserve(&m%d, %d, %s, sizeof(%s)); ", u, u, n->nitems,
               n->ty->key->kind == TY_STR ? "true" : "false", cg_ct(cg, n->ty->elem));
  for (int i = 0; i < n->nitems; i++) {
    const char *k = ex_value(cg, n->items[i]);
    const char *v = ex_value(cg, n->values[i]);
    rtbuf_printf(&b, "{ %s k = %s; %s(&m%d, k, %s); } ", cg_ct(cg, n->ty->key), k, put, u, v);
  }
  rtbuf_printf(&b, "m%d; })", u);
  const char *r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  return r;
}

// (T){a, b, …} with a, b, … evaluated in source order.
static const char *aggregate(Cg *cg, const char *ct, Node **items, int n, const char **designators) {
  if (n == 0) return cg_fmt(cg, "((%s){0})", ct);
  const char **e = rt_xcalloc((size_t)n, sizeof *e);
  const char **cts = rt_xcalloc((size_t)n, sizeof *cts);
  bool *st = rt_xcalloc((size_t)n, sizeof *st);
  for (int i = 0; i < n; i++) {
    e[i] = ex_value(cg, items[i]);
    cts[i] = ex_ctype(cg, items[i]);
    st[i] = stable(items[i]);
  }
  const char *pre = sequence(cg, n, e, cts, st, false);
  RtBuf b = {0};
  rtbuf_printf(&b, "(%s(%s){", pre, ct);
  for (int i = 0; i < n; i++) {
    if (designators) rtbuf_printf(&b, "%s.f_%s = %s", i ? ", " : "", designators[i], e[i]);
    else rtbuf_printf(&b, "%s%s", i ? ", " : "", e[i]);
  }
  rtbuf_puts(&b, "})");
  const char *r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  free(e);
  free(cts);
  free(st);
  return r;
}

static bool is_scalar(Type *t) {
  return t->kind == TY_INT || t->kind == TY_FLOAT || t->kind == TY_BOOL || t->kind == TY_ENUM;
}

// ---- operators ---------------------------------------------------------------------

static const char *binary(Cg *cg, Node *n) {
  int op = n->op;
  if (op == TK_AMPAMP || op == TK_PIPEPIPE) {
    const char *a = ex_value(cg, n->lhs), *b = ex_value(cg, n->rhs);
    return cg_fmt(cg, "(%s %s %s)", a, op == TK_AMPAMP ? "&&" : "||", b);
  }
  Type *t = ex_vtype(n->lhs);
  bool scalar = is_scalar(t);
  const char *e[2], *ct[2];
  bool st[2] = {stable(n->lhs), stable(n->rhs)};
  if (scalar) {
    e[0] = ex_value(cg, n->lhs);
    e[1] = ex_value(cg, n->rhs);
    ct[0] = ct[1] = cg_ct(cg, t);
  } else {
    e[0] = ex_ptr(cg, n->lhs);
    e[1] = ex_ptr(cg, n->rhs);
    ct[0] = ct[1] = cg_fmt(cg, "%s *", cg_ct(cg, t));
    st[0] = st[0] && (n->lhs->use == USE_BORROW || is_place_kind(n->lhs));
    st[1] = st[1] && (n->rhs->use == USE_BORROW || is_place_kind(n->rhs));
  }
  const char *pre = sequence(cg, 2, e, ct, st, false);
  const char *a = e[0], *b = e[1];
  const char *r;
  if (scalar) {
    const char *loc = NULL;
    if (t->kind == TY_INT) {
      const char *fn = NULL;
      switch (op) {
      case TK_PLUS: fn = "rt_add"; break;
      case TK_MINUS: fn = "rt_sub"; break;
      case TK_STAR: fn = "rt_mul"; break;
      case TK_SLASH: fn = "rt_div"; break;
      case TK_PERCENT: fn = "rt_rem"; break;
      case TK_SHL: fn = "rt_shl"; break;
      case TK_SHR: fn = "rt_shr"; break;
      default: break;
      }
      if (fn) {
        loc = cg_loc(cg, n->span);
        if (*pre) return cg_fmt(cg, "(%s%s(%s, %s, %s))", pre, fn, a, b, loc);
        return cg_fmt(cg, "%s(%s, %s, %s)", fn, a, b, loc);
      }
    }
    const char *cop = "?";
    switch (op) {
    case TK_PLUS: cop = "+"; break;
    case TK_MINUS: cop = "-"; break;
    case TK_STAR: cop = "*"; break;
    case TK_SLASH: cop = "/"; break;
    case TK_AMP: cop = "&"; break;
    case TK_PIPE: cop = "|"; break;
    case TK_CARET: cop = "^"; break;
    case TK_EQEQ: cop = "=="; break;
    case TK_NE: cop = "!="; break;
    case TK_LT: cop = "<"; break;
    case TK_LE: cop = "<="; break;
    case TK_GT: cop = ">"; break;
    case TK_GE: cop = ">="; break;
    case TK_PERCENT:
      return cg_fmt(cg, "(%sfmod(%s, %s))", pre, a, b);
    default: break;
    }
    if (t->kind == TY_BOOL && (op == TK_AMP || op == TK_PIPE || op == TK_CARET))
      return cg_fmt(cg, "(%s(bool)(%s %s %s))", pre, a, cop, b);
    return cg_fmt(cg, "(%s%s %s %s)", pre, a, cop, b);
  }
  switch (op) {
  case TK_PLUS: r = cg_fmt(cg, "rt_str_concat(%s, %s)", a, b); break;
  case TK_EQEQ: r = walk_at(cg, t, n->span, cg_eq_expr(cg, t, a, b)); break;
  case TK_NE: r = cg_fmt(cg, "!%s", walk_at(cg, t, n->span, cg_eq_expr(cg, t, a, b))); break;
  case TK_LT: r = cg_fmt(cg, "%s(%s, %s)", cg_lt_fn(cg, t, false), a, b); break;
  case TK_LE: r = cg_fmt(cg, "%s(%s, %s)", cg_lt_fn(cg, t, true), a, b); break;
  case TK_GT: r = cg_fmt(cg, "%s(%s, %s)", cg_lt_fn(cg, t, false), b, a); break;
  case TK_GE: r = cg_fmt(cg, "%s(%s, %s)", cg_lt_fn(cg, t, true), b, a); break;
  default: r = "0"; break;
  }
  if (*pre) return cg_fmt(cg, "(%s%s)", pre, r);
  return r;
}

static const char *unary(Cg *cg, Node *n) {
  if (n->op == TK_AMP || n->op == TK_AMP_MUT) return ex_value(cg, n->lhs);
  Type *t = ex_vtype(n->lhs);
  const char *a = ex_value(cg, n->lhs);
  if (n->op == TK_MINUS) {
    if (t->kind == TY_INT) return cg_fmt(cg, "rt_neg(%s, %s)", a, cg_loc(cg, n->span));
    return cg_fmt(cg, "(-%s)", a);
  }
  if (t->kind == TY_INT) return cg_fmt(cg, "(~%s)", a);
  return cg_fmt(cg, "(!%s)", a);
}

// ---- calls -------------------------------------------------------------------------

// The operands of a call, in order: values (or pointers) and their C types.
typedef struct Args {
  const char **e, **ct;
  bool *st;
  int n;
} Args;

static Args args_of(Cg *cg, Node **items, int n, bool ptrs) {
  Args a;
  a.n = n;
  a.e = rt_xcalloc((size_t)n + 1, sizeof *a.e);
  a.ct = rt_xcalloc((size_t)n + 1, sizeof *a.ct);
  a.st = rt_xcalloc((size_t)n + 1, sizeof *a.st);
  for (int i = 0; i < n; i++) {
    Node *x = items[i];
    Type *t = ex_vtype(x);
    bool scalar = is_scalar(t);
    if (ptrs && !scalar) {
      a.e[i] = ex_ptr(cg, x);
      a.ct[i] = cg_fmt(cg, "%s *", cg_ct(cg, t));
      a.st[i] = stable(x) && (x->use == USE_BORROW || is_place_kind(x) || x->deref);
    } else {
      a.e[i] = ex_value(cg, x);
      a.ct[i] = ex_ctype(cg, x);
      a.st[i] = stable(x);
    }
  }
  return a;
}

static void args_free(Args *a) {
  free(a->e);
  free(a->ct);
  free(a->st);
}


// Writes the value (a scalar) or *pointer (anything else) of type t into the
// RtBuf b; top: as print() shows a top-level value (a str raw).
static const char *fmt_into(Cg *cg, const char *b, Type *t, const char *v, bool top) {
  switch (t->kind) {
  case TY_INT: return cg_fmt(cg, "rt_fmt_int(%s, %s);", b, v);
  case TY_FLOAT: return cg_fmt(cg, "rt_fmt_float(%s, %s);", b, v);
  case TY_BOOL: return cg_fmt(cg, "rtbuf_puts(%s, %s ? \"true\" : \"false\");", b, v);
  case TY_ENUM: return cg_fmt(cg, "rtbuf_puts(%s, en_%s[%s]);", b, t->en->name, v);
  case TY_STR:
    if (top) return cg_fmt(cg, "rt_buf_put_str(%s, %s);", b, v);
    return cg_fmt(cg, "rt_buf_put_str_quoted(%s, %s);", b, v);
  default: return cg_fmt(cg, "%s(%s, %s);", cg_print_fn(cg, t), b, v);
  }
}

static const char *cg_builtin(Cg *cg, Node *n) {
  Node **a = n->items;
  Type *t0 = n->nitems > 0 ? ex_vtype(a[0]) : NULL;
  switch ((BuiltinId)n->builtin) {
  case BI_print: {
    // Every argument first (one may print too), then the line.
    Args g = args_of(cg, a, n->nitems, true);
    const char *pre = sequence(cg, g.n, g.e, g.ct, g.st, true);
    int u = cg_unique(cg);
    RtBuf b = {0};
    rtbuf_printf(&b, "({ %s%s%sRtBuf *pb%d = rt_print_buf(); ", *pre ? "(void)(" : "", pre, *pre ? "0); " : "", u);
    for (int i = 0; i < g.n; i++)
      if (can_nest_deep(cg, ex_vtype(a[i]))) {
        rtbuf_printf(&b, "rt_walk_site = %s; ", cg_loc(cg, n->span));
        break;
      }
    char *pb = cg_fmt(cg, "pb%d", u);
    for (int i = 0; i < g.n; i++) {
      if (i) rtbuf_printf(&b, "rtbuf_putc(%s, ' '); ", pb);
      rtbuf_printf(&b, "%s ", fmt_into(cg, pb, ex_vtype(a[i]), g.e[i], true));
    }
    rtbuf_printf(&b, "rt_print_line(%s); })", pb);
    args_free(&g);
    const char *r = cg_fmt(cg, "%s", b.data);
    free(b.data);
    return r;
  }
  case BI_str: {
    Args g = args_of(cg, a, 1, true);
    const char *v = g.e[0];
    args_free(&g);
    switch (t0->kind) {
    case TY_INT: return cg_fmt(cg, "rt_str_of_int(%s)", v);
    case TY_FLOAT: return cg_fmt(cg, "rt_str_of_float(%s)", v);
    case TY_BOOL: return cg_fmt(cg, "rt_str_of_bool(%s)", v);
    case TY_STR: return cg_fmt(cg, "rt_str_clone(%s)", v);
    default: {
      int u = cg_unique(cg);
      char *sb = cg_fmt(cg, "&sb%d", u);
      return walk_at(cg, t0, n->span, cg_fmt(cg, "({ RtBuf sb%d; rtbuf_init(&sb%d); %s str_of_buf(&sb%d); })", u, u,
                                             fmt_into(cg, sb, t0, v, true), u));
    }
    }
  }
  case BI_int: {
    const char *v = ex_value(cg, a[0]);
    switch (t0->kind) {
    case TY_FLOAT: return cg_fmt(cg, "rt_int_of_float(%s, %s)", v, cg_loc(cg, n->span));
    case TY_STR: return cg_fmt(cg, "rt_int_of_str(%s, %s)", v, cg_loc(cg, n->span));
    case TY_BOOL: return cg_fmt(cg, "rt_int_of_bool(%s)", v);
    default: return cg_fmt(cg, "((int64_t)%s)", v);
    }
  }
  case BI_float: {
    const char *v = ex_value(cg, a[0]);
    switch (t0->kind) {
    case TY_INT: return cg_fmt(cg, "rt_float_of_int(%s)", v);
    case TY_STR: return cg_fmt(cg, "rt_float_of_str(%s, %s)", v, cg_loc(cg, n->span));
    case TY_BOOL: return cg_fmt(cg, "((double)%s)", v);
    default: return cg_fmt(cg, "((double)%s)", v);
    }
  }
  case BI_args: return "rt_args()";
  case BI_read_file: return cg_fmt(cg, "rt_read_file(%s, %s)", ex_value(cg, a[0]), cg_loc(cg, n->span));
  case BI_read_line: {
    int u = cg_unique(cg);
    return cg_fmt(cg, "({ rt_str s%d; rt_read_line(&s%d) ? %s : %s; })", u, u,
                  some_of(cg, n->ty, cg_fmt(cg, "s%d", u)), none_of(cg, n->ty));
  }
  case BI_clock: return "rt_clock()";
  case BI_sleep: return cg_fmt(cg, "rt_sleep(%s, %s)", ex_value(cg, a[0]), cg_loc(cg, n->span));
  case BI_gc: return "rt_gc()";
  case BI_assert: return cg_fmt(cg, "rt_assert(%s, %s)", ex_value(cg, a[0]), cg_loc(cg, n->span));
  case BI_panic: return cg_fmt(cg, "rt_panic_str(%s, %s)", ex_value(cg, a[0]), cg_loc(cg, n->span));
  case BI_sqrt: return cg_fmt(cg, "rt_sqrt(%s)", ex_value(cg, a[0]));
  case BI_abs:
    if (t0->kind == TY_INT) return cg_fmt(cg, "rt_abs_i(%s, %s)", ex_value(cg, a[0]), cg_loc(cg, n->span));
    return cg_fmt(cg, "rt_abs_f(%s)", ex_value(cg, a[0]));
  case BI_min:
  case BI_max: {
    Args g = args_of(cg, a, 2, false);
    const char *pre = sequence(cg, 2, g.e, g.ct, g.st, false);
    const char *r = cg_fmt(cg, "(%srt_%s_%s(%s, %s))", pre, n->builtin == BI_min ? "min" : "max",
                           t0->kind == TY_INT ? "i" : "f", g.e[0], g.e[1]);
    args_free(&g);
    return r;
  }
  default: return "0";
  }
}

// A call of a user function. Checked, it counts against the recursion limit
// as interp's CALL does: every function takes its depth as a hidden first
// argument, `rt_d`, and a call passes rt_call_depth(rt_d, loc) — the check,
// then rt_d + 1 (runtime/native/toyrt.h). The arguments go first, into
// temporaries, so that an error in them comes before the depth's, as in
// interp. Being plain data, the depth leaves a tail call a tail call: an
// infinite recursion is a RecursionError in both modes, not a loop
// (docs/semantics.md, "Recursion").
static const char *user_call(Cg *cg, Node *n) {
  bool counted = !cg->opts->unchecked;
  Args g = args_of(cg, n->items, n->nitems, false);
  const char *pre = sequence(cg, g.n, g.e, g.ct, g.st, counted);
  bool unit = n->fn->ret_type->kind == TY_UNIT;
  RtBuf b = {0};
  rtbuf_printf(&b, "u_%s(", n->fn->name);
  if (counted) rtbuf_printf(&b, "rt_call_depth(rt_d, %s)%s", cg_loc(cg, n->span), g.n ? ", " : "");
  for (int i = 0; i < g.n; i++) rtbuf_printf(&b, "%s%s", i ? ", " : "", g.e[i]);
  rtbuf_puts(&b, ")");
  args_free(&g);
  {
    // The callee set its own sites and line: this statement's again after
    // it returns.
    int u = cg_unique(cg);
    char *call = b.data;
    b = (RtBuf){0};
    char again[64];
    if (cg->alloc_site) snprintf(again, sizeof again, "rt_alloc_site = %s; RT_LINE(%d);", cg->alloc_site, cg->stmt_line);
    else snprintf(again, sizeof again, "RT_LINE(%d);", cg->stmt_line);
    if (unit) rtbuf_printf(&b, "({ %s; %s })", call, again);
    else rtbuf_printf(&b, "({ %s r%d = %s; %s r%d; })", cg_ct(cg, n->fn->ret_type), u, call, again, u);
    free(call);
  }
  const char *r;
  if (unit && n->use != USE_DROP) r = cg_fmt(cg, "(%s%s, (char)0)", pre, b.data);
  else if (*pre) r = cg_fmt(cg, "(%s%s)", pre, b.data);
  else r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  return r;
}

static const char *spawn_expr(Cg *cg, Node *n) {
  Node *c = n->lhs;
  const char *tramp = cg_spawn_fn(cg, c->fn);
  int u = cg_unique(cg);
  RtBuf b = {0};
  rtbuf_printf(&b, "({ spawnblk_%s *k%d = rt_alloc(sizeof *k%d); ", c->fn->name, u, u);
  for (int i = 0; i < c->nitems; i++) rtbuf_printf(&b, "k%d->a%d = %s; ", u, i, ex_value(cg, c->items[i]));
  rtbuf_printf(&b, "rt_spawn(%s, k%d, \"%s\"); })", tramp, u, c->fn->name);
  const char *r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  return r;
}

// r->field for a pointer expression r (`&v_x` gives `v_x.field`).
static const char *arrow(Cg *cg, const char *r, const char *field) {
  if (r[0] == '&') {
    const char *p = r + 1;
    while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) p++;
    if (*p == '\0') return cg_fmt(cg, "%s.%s", r + 1, field);
  }
  return cg_fmt(cg, "(%s)->%s", r, field);
}

// ---- methods -------------------------------------------------------------------------

static const char *method(Cg *cg, Node *n) {
  Type *rt = n->recv_ty;
  int m = n->method;
  int u = cg_unique(cg);
  const char *loc = NULL;
  // Receiver and arguments, evaluated in order.
  Node *ops[3] = {n->lhs, n->nitems > 0 ? n->items[0] : NULL, n->nitems > 1 ? n->items[1] : NULL};
  int nops = 1 + n->nitems;
  const char *e[3] = {0}, *ct[3] = {0};
  bool st[3] = {true, true, true};
  for (int i = 0; i < nops; i++) {
    st[i] = stable(ops[i]);
    if (i == 1 && rt->kind == TY_LIST && m == MT_contains && ops[1]->use != USE_BORROW) {
      // contains(&x) wants a pointer to x even when x is a copy type.
      e[1] = ex_ptr(cg, ops[1]);
      ct[1] = cg_fmt(cg, "%s *", cg_ct(cg, ex_vtype(ops[1])));
      st[1] = st[1] && (is_place_kind(ops[1]) || ops[1]->deref);
      continue;
    }
    e[i] = ex_value(cg, ops[i]);
    ct[i] = ex_ctype(cg, ops[i]);
  }
  const char *pre = sequence(cg, nops, e, ct, st, false);
  const char *r = e[0];
  const char *a0 = nops > 1 ? e[1] : NULL, *a1 = nops > 2 ? e[2] : NULL;
  const char *res = NULL;
  if (m == MT_clone)  // counted per line in a counted run (RT_LINE_COUNT)
    return cg_fmt(cg, "(%sRT_LINE_COUNT(clones, 1), %s)", pre, walk_at(cg, rt, n->span, cg_clone_expr(cg, rt, r)));
  switch (rt->kind) {
  case TY_LIST: {
    Type *et = rt->elem;
    const char *es = cg_ct(cg, et);
    switch (m) {
    case MT_len: res = arrow(cg, r, "len"); break;
    case MT_push:
      res = cg_fmt(cg, "({ rt_list *r%d = %s; %s x%d = %s; %s; })", u, r, es, u, a0,
                   cg->piece_o0 ? cg_fmt(cg, "rt_list_push(r%d, &x%d, sizeof x%d)", u, u, u)
                                : cg_fmt(cg, "RT_LIST_PUSH(r%d, %s, x%d)", u, es, u));
      break;
    case MT_pop:
      res = cg_fmt(cg, "({ %s x%d; rt_list_pop(%s, &x%d, sizeof x%d) ? %s : %s; })", es, u, r, u, u,
                   some_of(cg, n->ty, cg_fmt(cg, "x%d", u)), none_of(cg, n->ty));
      break;
    case MT_insert:
      loc = cg_loc(cg, n->span);
      res = cg_fmt(cg, "({ rt_list *r%d = %s; int64_t i%d = %s; %s x%d = %s; rt_list_insert(r%d, i%d, &x%d, sizeof x%d, %s); })",
                   u, r, u, a0, es, u, a1, u, u, u, u, loc);
      break;
    case MT_remove:
      loc = cg_loc(cg, n->span);
      res = cg_fmt(cg, "({ %s x%d; rt_list_remove(%s, %s, &x%d, sizeof x%d, %s); x%d; })", es, u, r, a0, u, u, loc, u);
      break;
    case MT_clear: res = cg_fmt(cg, "rt_list_clear(%s, sizeof(%s), %s)", r, es, cg_drop_fn(cg, et)); break;
    case MT_contains:
      res = walk_at(cg, et, n->span, cg_fmt(cg, "rt_list_contains(%s, %s, sizeof(%s), %s)", r, a0, es, cg_eq_fn(cg, et)));
      break;
    case MT_sort: res = cg_fmt(cg, "%s(%s)", cg_sort_fn(cg, et), r); break;
    case MT_reverse: res = cg_fmt(cg, "rt_list_reverse(%s, sizeof(%s))", r, es); break;
    case MT_swap:
      res = cg_fmt(cg, "rt_list_swap(%s, %s, %s, sizeof(%s), %s)", r, a0, a1, es, cg_loc(cg, n->span));
      break;
    case MT_clone: res = cg_clone_expr(cg, rt, r); break;
    case MT_join: res = cg_fmt(cg, "rt_list_join(%s, %s)", r, a0); break;
    default: break;
    }
    break;
  }
  case TY_STR:
    switch (m) {
    case MT_len: res = arrow(cg, r, "len"); break;
    case MT_lower: res = cg_fmt(cg, "rt_str_lower(%s)", r); break;
    case MT_upper: res = cg_fmt(cg, "rt_str_upper(%s)", r); break;
    case MT_trim: res = cg_fmt(cg, "rt_str_trim(%s)", r); break;
    case MT_clone: res = cg_fmt(cg, "rt_str_clone(%s)", r); break;
    case MT_split: res = cg_fmt(cg, "rt_str_split(%s, %s, %s)", r, a0, cg_loc(cg, n->span)); break;
    case MT_split_whitespace: res = cg_fmt(cg, "rt_str_split_whitespace(%s)", r); break;
    case MT_starts_with: res = cg_fmt(cg, "rt_str_starts_with(%s, %s)", r, a0); break;
    case MT_ends_with: res = cg_fmt(cg, "rt_str_ends_with(%s, %s)", r, a0); break;
    case MT_contains: res = cg_fmt(cg, "rt_str_contains(%s, %s)", r, a0); break;
    case MT_find:
      res = cg_fmt(cg, "({ int64_t at%d; rt_str_find(%s, %s, &at%d) ? %s : %s; })", u, r, a0, u,
                   some_of(cg, n->ty, cg_fmt(cg, "at%d", u)), none_of(cg, n->ty));
      break;
    case MT_replace: res = cg_fmt(cg, "rt_str_replace(%s, %s, %s)", r, a0, a1); break;
    case MT_repeat: res = cg_fmt(cg, "rt_str_repeat(%s, %s, %s)", r, a0, cg_loc(cg, n->span)); break;
    default: break;
    }
    break;
  case TY_MAP: {
    bool s = rt->key->kind == TY_STR;
    const char *k = s ? "s" : "i";
    const char *vs = cg_ct(cg, rt->elem);
    switch (m) {
    case MT_len: res = arrow(cg, r, "len"); break;
    case MT_insert:
      res = cg_fmt(cg, "({ rt_map *r%d = %s; %s k%d = %s; %s(r%d, k%d, %s); })", u, r, cg_ct(cg, rt->key), u, a0,
                   cg_mapput_fn(cg, rt, false), u, u, a1);
      break;
    case MT_get:
      res = cg_fmt(cg, "({ %s *p%d = rt_map_%s_get(%s, %s, sizeof(%s)); p%d ? %s : %s; })", vs, u, k, r, a0, vs, u,
                   some_of(cg, n->ty, cg_fmt(cg, "*p%d", u)), none_of(cg, n->ty));
      break;
    case MT_contains_key: res = cg_fmt(cg, "rt_map_%s_contains(%s, %s, sizeof(%s))", k, r, a0, vs); break;
    case MT_remove:
      res = cg_fmt(cg, "({ %s x%d; rt_map_%s_remove(%s, %s, sizeof(%s), &x%d) ? %s : %s; })", vs, u, k, r, a0, vs, u,
                   some_of(cg, n->ty, cg_fmt(cg, "x%d", u)), none_of(cg, n->ty));
      break;
    case MT_keys: res = cg_fmt(cg, "rt_map_%s_keys(%s, sizeof(%s))", k, r, vs); break;
    case MT_clone: res = cg_clone_expr(cg, rt, r); break;
    default: break;
    }
    break;
  }
  case TY_OPTION: {
    bool boxed = cg_boxed(cg, rt);
    const char *ot = cg_ct(cg, rt), *et = cg_ct(cg, rt->elem);
    switch (m) {
    case MT_is_some: res = boxed ? cg_fmt(cg, "(*%s != NULL)", r) : arrow(cg, r, "some"); break;
    case MT_is_none: res = boxed ? cg_fmt(cg, "(*%s == NULL)", r) : cg_fmt(cg, "!%s", arrow(cg, r, "some")); break;
    case MT_clone: res = cg_clone_expr(cg, rt, r); break;
    case MT_unwrap:
      loc = cg_loc(cg, n->span);
      if (boxed)
        res = cg_fmt(cg, "({ %s o%d = %s; if (!o%d) rt_panic_unwrap(%s); %s v%d = *o%d; rt_free(o%d); v%d; })", ot, u,
                     r, u, loc, et, u, u, u, u);
      else
        res = cg_fmt(cg, "({ %s o%d = %s; if (!o%d.some) rt_panic_unwrap(%s); o%d.v; })", ot, u, r, u, loc, u);
      break;
    case MT_unwrap_or: {
      const char *dd = cg_drop_stmt(cg, rt->elem, cg_fmt(cg, "&d%d", u));
      if (boxed)
        res = cg_fmt(cg, "({ %s o%d = %s; %s d%d = %s; %s v%d; if (o%d) { %s v%d = *o%d; rt_free(o%d); } else v%d = d%d; v%d; })",
                     ot, u, r, et, u, a0, et, u, u, dd ? dd : "", u, u, u, u, u, u);
      else
        res = cg_fmt(cg, "({ %s o%d = %s; %s d%d = %s; %s v%d; if (o%d.some) { %s v%d = o%d.v; } else v%d = d%d; v%d; })",
                     ot, u, r, et, u, a0, et, u, u, dd ? dd : "", u, u, u, u, u);
      break;
    }
    default: break;
    }
    break;
  }
  case TY_THREAD: {
    const char *thr = cg_thr_type(cg, rt->elem);
    if (rt->elem->kind == TY_UNIT)
      res = cg_fmt(cg, "({ %s *b%d = rt_join(%s); rt_free(b%d); (char)0; })", thr, u, r, u);
    else
      res = cg_fmt(cg, "({ %s *b%d = rt_join(%s); %s v%d = b%d->ret; rt_free(b%d); v%d; })", thr, u, r,
                   cg_ct(cg, rt->elem), u, u, u, u);
    break;
  }
  default: break;
  }
  if (!res)  // a row of runtime/builtins.h's METHODS with no code here: cc stops on it
    res = cg_fmt(cg, "({ _Static_assert(0, \"lab: method %s is in the method table, not in cgen_expr.c\"); 0; })",
                 rt_method_name(m));
  if (*pre) return cg_fmt(cg, "(%s%s)", pre, res);
  return res;
}

// ---- the dispatcher ----------------------------------------------------------------------

// The node's own value: a new value for an rvalue (owned by the caller).
static const char *raw(Cg *cg, Node *n) {
  switch (n->kind) {
  case ND_INT: return ex_int_lit(cg, n->ival);
  case ND_FLOAT: return float_lit(cg, n->fval);
  case ND_BOOL: return n->bval ? "true" : "false";
  case ND_STR: return cg_fmt(cg, "rt_str_lit(%s, %zu)", cg_cstr(cg, n->sval, n->slen), n->slen);
  case ND_NONE: return none_of(cg, n->ty);
  case ND_SOME: return some_of(cg, n->ty, ex_value(cg, n->lhs));
  case ND_NAME:
    if (n->cnst) return cg_fmt(cg, "c_%s()", n->cnst->name);
    return cg->lname[n->local->id];
  case ND_PATH: return cg_fmt(cg, "%d /* %s::%s */", n->index, n->enum_name, n->name);
  case ND_LIST: return list_lit(cg, n);
  case ND_LIST_REPEAT: {
    Type *et = n->ty->elem;
    const char *es = cg_ct(cg, et);
    int u = cg_unique(cg);
    const char *x = ex_value(cg, n->lhs);
    const char *c = ex_value(cg, n->rhs);
    return cg_fmt(cg, "({ %s x%d = %s; int64_t n%d = %s; rt_list_repeat(&x%d, n%d, sizeof x%d, %s, %s, %s); })", es, u,
                  x, u, c, u, u, u, cg_clone_fn(cg, et), cg_drop_fn(cg, et), cg_loc(cg, n->span));
  }
  case ND_MAP: return map_lit(cg, n);
  case ND_TUPLE: return aggregate(cg, cg_ct(cg, n->ty), n->items, n->nitems, NULL);
  case ND_STRUCT_LIT: {
    StructInfo *st = n->ty->st;
    const char **names = rt_xcalloc((size_t)n->nitems + 1, sizeof *names);
    for (int i = 0; i < n->nitems; i++) names[i] = st->fields[n->field_index[i]].name;
    const char *r = aggregate(cg, cg_ct(cg, n->ty), n->items, n->nitems, names);
    free(names);
    return r;
  }
  case ND_UNARY: return unary(cg, n);
  case ND_BINARY: return binary(cg, n);
  case ND_CALL: return n->fn ? user_call(cg, n) : cg_builtin(cg, n);
  case ND_METHOD: return method(cg, n);
  case ND_SPAWN: return spawn_expr(cg, n);
  case ND_INDEX:
  case ND_FIELD:
  case ND_TUPLE_INDEX: return ex_place(cg, n);
  default: return "0";
  }
}
