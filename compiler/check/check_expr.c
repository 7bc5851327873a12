// check_expr.c — the type checker's expressions (SPEC §2–5): literals, names,
// operators, calls of functions and builtins, methods, indexing, fields,
// struct literals, spawn; and the value contexts that decide where a
// reference is read as its referent (auto-deref) and where a value is moved.
//
// Every function here sets n->ty; the use of a node (UseMode) is set by its
// parent — ck_value (consumed), ck_operand (read), a borrow, a place base.
// An error yields the error type, which unifies with anything, so one
// mistake is reported once (no cascades).
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "check_int.h"
#include "suggest.h"
#include "tokens.h"


// ---- did you mean ----------------------------------------------------------------
// rustc's help for a misspelt name (runtime/suggest.h finds the closest).

// A value: the locals in scope (innermost first), then the consts. True if
// it found one.
static bool similar_value(Ck *ck, Diag *d, const char *name) {
  if (!diag_shown(ck->sink, d)) return false;
  Suggest s;
  suggest_begin(&s, name);
  for (int i = ck->nscope - 1; i >= 0; i--) suggest_try(&s, ck->scope[i]->name);
  const char *local = suggest_best(&s);
  for (int i = 0; i < ck->prog->nitems; i++)
    if (ck->prog->items[i]->kind == IT_CONST) suggest_try(&s, ck->prog->items[i]->cn.name);
  const char *item = suggest_best(&s);
  for (int i = 0; rt_literal_names[i]; i++) suggest_try(&s, rt_literal_names[i]);
  const char *best = suggest_best(&s);
  if (best && best != item) diag_help(d, "you might have meant `%s`", best);
  else if (best) diag_help(d, "a %s with a similar name exists: `%s`", best == local ? "local variable" : "constant", best);
  return best != NULL;
}

// A field of st.
static void similar_field(Ck *ck, StructInfo *st, Diag *d, const char *name) {
  if (!diag_shown(ck->sink, d)) return;
  Suggest s;
  suggest_begin(&s, name);
  for (int i = 0; i < st->nfields; i++) suggest_try(&s, st->fields[i].name);
  if (suggest_best(&s)) diag_help(d, "a field with a similar name exists: `%s`", suggest_best(&s));
}

static Type *set(Node *n, Type *t) {
  n->ty = t;
  return t;
}

static bool is_num(Type *t) { return t->kind == TY_INT || t->kind == TY_FLOAT; }

// Does a value of type t hold a thread? Threads cannot be cloned, compared
// or printed. Each struct is looked into once per walk: a struct may contain
// itself through ?Self, and one with two such fields (a tree) would make a
// depth-bounded walk exponential.
typedef struct ThreadWalk {
  StructInfo *seen[64];
  int n;
} ThreadWalk;

static bool thread_walk(Type *t, ThreadWalk *w, int depth) {
  t = ty_find(t);
  if (t->kind == TY_THREAD) return true;
  if (depth > 64) return false;
  if (t->kind == TY_STRUCT) {
    for (int i = 0; i < w->n; i++)
      if (w->seen[i] == t->st) return false;
    if (w->n < 64) w->seen[w->n++] = t->st;
  }
  if (t->elem && thread_walk(t->elem, w, depth + 1)) return true;
  if (t->key && thread_walk(t->key, w, depth + 1)) return true;
  for (int i = 0; i < t->nitems; i++)
    if (thread_walk(t->items[i], w, depth + 1)) return true;
  if (t->kind == TY_STRUCT)
    for (int i = 0; i < t->st->nfields; i++)
      if (thread_walk(t->st->fields[i].type, w, depth + 1)) return true;
  return false;
}

static bool has_thread(Type *t, int depth) {
  ThreadWalk w;
  w.n = 0;
  return thread_walk(t, &w, depth);
}

Diag *ck_mismatch(Ck *ck, Span span, Type *want, Type *got) {
  if (ty_has_error(want) || ty_has_error(got)) return NULL;
  char a[TY_STR_MAX], b[TY_STR_MAX];
  Diag *d = diag_error(ck->sink, "E0308", span, "mismatched types");
  diag_primary(d, "expected `%s`, found `%s`", ty_str(want, a, sizeof a), ty_str(got, b, sizeof b));
  Type *w = ty_find(want), *g = ty_find(got);
  if ((w->kind == TY_FLOAT && g->kind == TY_INT) || (w->kind == TY_INT && g->kind == TY_FLOAT))
    diag_help(d, "`int` and `float` never mix: convert one with `float(…)` or `int(…)`, or write a float "
                 "literal like `2.0`");
  else if (w->kind == TY_OPTION && ty_unify(ck->tc, w->elem, g) && !ty_has_error(g))
    diag_help(d, "wrap the value in an option: `Some(…)`");
  else if (w->kind == TY_STR && g->kind != TY_STR && g->kind != TY_VAR)
    diag_help(d, "convert it to a string with `str(…)`");
  else if ((w->kind == TY_INT || w->kind == TY_FLOAT) && ty_strip_refs(g)->kind == TY_STR)
    diag_help(d, "read a number from a string with `%s(…)` (a ValueError if it is not one)",
              w->kind == TY_INT ? "int" : "float");
  return d;
}

Type *ck_deref(Node *n, Type *t) {
  Type *f = ty_find(t);
  if (f->kind == TY_REF || f->kind == TY_REFMUT) {
    n->deref = true;
    return ty_strip_refs(f);
  }
  return f;
}

// A string literal where `&str` is wanted is borrowed, as in Rust (where a
// literal is a `&str`): `greet("bob")` for `fn greet(name: &str)`.
static bool str_literal_borrow(Ck *ck, Node *n, Type *w) {
  if (n->kind != ND_STR || w->kind != TY_REF || ty_find(w->elem)->kind != TY_STR) return false;
  n->use = USE_BORROW;
  n->ty = ck->t_str;
  return true;
}

Type *ck_value(Ck *ck, Node *n, Type *want, bool store) {
  Type *t = ck_expr(ck, n, want);
  Type *f = ty_find(t);
  Type *w = ty_find(want);
  n->use = USE_PENDING_VALUE;
  if (w->kind == TY_ERROR) {
    // The context's type is already wrong: no move to check (no cascades).
    n->use = USE_PENDING_READ;
    return want;
  }
  if (str_literal_borrow(ck, n, w)) return want;
  if (f->kind == TY_REF || f->kind == TY_REFMUT) {
    if (w->kind == TY_REF && f->kind == TY_REFMUT) {
      // &mut T where &T is wanted: the reference is re-borrowed shared.
      if (!ty_unify(ck->tc, w->elem, f->elem)) ck_mismatch(ck, n->span, want, t);
      return want;
    }
    if (store || (w->kind != TY_VAR && w->kind != TY_REF && w->kind != TY_REFMUT)) t = ck_deref(n, f);
  }
  if (!ty_unify(ck->tc, t, want)) {
    Diag *d = ck_mismatch(ck, n->span, want, t);
    if (d && (w->kind == TY_REF || w->kind == TY_REFMUT) && ty_unify(ck->tc, w->elem, t)) {
      char text[200];
      source_text(ck->prog->src, n->span, text, sizeof text);
      diag_help(d, "borrow it: `%s%s`", w->kind == TY_REFMUT ? "&mut " : "&", text);
    }
    return want;
  }
  return t;
}

Type *ck_operand(Ck *ck, Node *n, Type *hint) {
  Type *t = ck_expr(ck, n, hint);
  n->use = USE_PENDING_READ;
  return ck_deref(n, t);
}

void ck_cond(Ck *ck, Node *n) {
  Type *t = ck_operand(ck, n, ck->t_bool);
  if (ty_unify(ck->tc, t, ck->t_bool)) return;
  Diag *d = ck_mismatch(ck, n->span, ck->t_bool, t);
  if (!d) return;
  Type *f = ty_find(t);
  if (f->kind == TY_INT || f->kind == TY_FLOAT) diag_help(d, "compare it explicitly: `… != 0`");
  else if (f->kind == TY_LIST || f->kind == TY_STR || f->kind == TY_MAP) diag_help(d, "test the length: `….len() > 0`");
  else if (f->kind == TY_OPTION) diag_help(d, "test it with `.is_some()`");
}

// E0282 where a type must be known now; binds the variable `var` to the
// error type so that nothing else reports it again.
static Type *unknown(Ck *ck, Node *n, Type *var) {
  var = ty_find(var);
  if (var->kind == TY_VAR) var->bound = ck->t_err;
  Diag *d = diag_error(ck->sink, "E0282", n->span, "type annotations needed");
  diag_primary(d, "type must be known at this point");
  diag_help(d, "give the variable an explicit type: `let x: TYPE = …`");
  return ck->t_err;
}

// ---- operators -------------------------------------------------------------------

// The operator as written (tok_spelling quotes it for parser messages).
const char *ck_op_text(int op) {
  switch (op) {
  case TK_PLUS: return "+";
  case TK_MINUS: return "-";
  case TK_STAR: return "*";
  case TK_SLASH: return "/";
  case TK_PERCENT: return "%";
  case TK_AMP: return "&";
  case TK_PIPE: return "|";
  case TK_CARET: return "^";
  case TK_SHL: return "<<";
  case TK_SHR: return ">>";
  case TK_EQEQ: return "==";
  case TK_NE: return "!=";
  case TK_LT: return "<";
  case TK_LE: return "<=";
  case TK_GT: return ">";
  case TK_GE: return ">=";
  case TK_AMPAMP: return "&&";
  case TK_PIPEPIPE: return "||";
  case TK_PLUS_EQ: return "+=";
  case TK_MINUS_EQ: return "-=";
  case TK_STAR_EQ: return "*=";
  case TK_SLASH_EQ: return "/=";
  case TK_PERCENT_EQ: return "%=";
  default: return "?";
  }
}

// The span of a binary operator: the first token after the left operand
// (skipping spaces, closing parentheses and comments); the whole expression
// when it cannot be found.
static Span op_span(Ck *ck, Node *n) {
  const char *text = ck->prog->src->text;
  const char *sp = ck_op_text(n->op);
  size_t oplen = strlen(sp);
  int i = n->lhs->span.off + n->lhs->span.len, end = n->rhs->span.off;
  while (i < end) {
    char c = text[i];
    if (c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == ')') i++;
    else if (c == '/' && text[i + 1] == '/') while (i < end && text[i] != '\n') i++;
    else break;
  }
  if (i < end && (size_t)(end - i) >= oplen && strncmp(text + i, sp, oplen) == 0)
    return source_span_after(ck->prog->src, n->lhs->span, i, (int)oplen);
  return n->span;
}

static void op_error(Ck *ck, Node *n, Type *l, Type *r) {
  char a[TY_STR_MAX], b[TY_STR_MAX];
  const char *op = ck_op_text(n->op);
  Diag *d = diag_error(ck->sink, "E0369", op_span(ck, n), "binary operation `%s` cannot be applied to type `%s`", op,
                       ty_str(l, a, sizeof a));
  diag_primary(d, "no `%s` for `%s`", op, a);
  diag_label(d, n->lhs->span, "%s", a);
  diag_label(d, n->rhs->span, "%s", ty_str(r, b, sizeof b));
  switch (n->op) {
  case TK_PLUS:
    if (l->kind == TY_LIST) diag_help(d, "`+` does not join lists in native mode: push the elements, or loop");
    else diag_help(d, "`+` works on two `int`s, two `float`s or two `str`s");
    break;
  case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_PERCENT:
    diag_help(d, "`%s` works on two `int`s or two `float`s", op);
    break;
  case TK_LT: case TK_LE: case TK_GT: case TK_GE:
    diag_help(d, "`%s` compares `int`, `float`, `str` and tuples of those", op);
    break;
  case TK_AMP: case TK_PIPE: case TK_CARET:
    diag_help(d, "`%s` works on two `int`s or two `bool`s", op);
    break;
  case TK_SHL: case TK_SHR:
    diag_help(d, "`%s` shifts an `int` by an `int`", op);
    break;
  default: break;
  }
}

static bool orderable(Type *t) {
  t = ty_find(t);
  switch (t->kind) {
  case TY_INT: case TY_FLOAT: case TY_STR: case TY_ERROR: case TY_VAR: return true;
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++)
      if (!orderable(t->items[i])) return false;
    return true;
  default: return false;
  }
}

static Type *binary(Ck *ck, Node *n) {
  int op = n->op;
  if (op == TK_AMPAMP || op == TK_PIPEPIPE) {
    ck_cond(ck, n->lhs);
    ck_cond(ck, n->rhs);
    return ck->t_bool;
  }
  bool cmp = op == TK_EQEQ || op == TK_NE || op == TK_LT || op == TK_LE || op == TK_GT || op == TK_GE;
  Type *l = ck_operand(ck, n->lhs, NULL);
  Type *r = ck_operand(ck, n->rhs, ty_find(l)->kind == TY_VAR ? NULL : l);
  l = ty_find(l);
  r = ty_find(r);
  Type *res = cmp ? ck->t_bool : l;
  if (l->kind == TY_ERROR || r->kind == TY_ERROR) return cmp ? ck->t_bool : ck->t_err;
  if (l->kind == TY_VAR || r->kind == TY_VAR) {
    if (!ty_unify(ck->tc, l, r)) ck_mismatch(ck, n->rhs->span, l, r);
    l = ty_find(l);
    if (l->kind == TY_VAR) return cmp ? ck->t_bool : unknown(ck, n->lhs, l);
    r = l;
    res = cmp ? ck->t_bool : l;
  }
  bool ok;
  switch (op) {
  case TK_EQEQ: case TK_NE: ok = !has_thread(l, 0); break;
  case TK_LT: case TK_LE: case TK_GT: case TK_GE: ok = orderable(l) && l->kind != TY_VAR; break;
  case TK_PLUS: ok = is_num(l) || l->kind == TY_STR; break;
  case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_PERCENT: ok = is_num(l); break;
  case TK_AMP: case TK_PIPE: case TK_CARET: ok = l->kind == TY_INT || l->kind == TY_BOOL; break;
  case TK_SHL: case TK_SHR: ok = l->kind == TY_INT; break;
  default: ok = false;
  }
  if (!ok) {
    op_error(ck, n, l, r);
    return cmp ? ck->t_bool : ck->t_err;
  }
  if (!ty_unify(ck->tc, l, r)) {
    ck_mismatch(ck, n->rhs->span, l, r);
    return cmp ? ck->t_bool : ck->t_err;
  }
  return res;
}

static Type *unary(Ck *ck, Node *n, Type *hint) {
  if (n->op == TK_AMP || n->op == TK_AMP_MUT) {
    bool mut = n->op == TK_AMP_MUT;
    Type *h = hint ? ty_find(hint) : NULL;
    Type *t = ck_expr(ck, n->lhs, h && (h->kind == TY_REF || h->kind == TY_REFMUT) ? h->elem : NULL);
    n->lhs->use = mut ? USE_BORROW_MUT : USE_BORROW;
    if (mut && !ck_refmut_ok(t)) {
      ck_refmut_error(ck, n->span, t);
      return ck->t_err;
    }
    return ty_ref(ck->tc, t, mut);
  }
  Type *t = ck_operand(ck, n->lhs, hint);
  if (t->kind == TY_ERROR || t->kind == TY_VAR) return t;
  bool ok = n->op == TK_MINUS ? is_num(t) : (t->kind == TY_BOOL || t->kind == TY_INT);
  if (!ok) {
    char b[TY_STR_MAX];
    const char *op = n->op == TK_MINUS ? "-" : "!";
    Diag *d = diag_error(ck->sink, "E0600", n->span, "cannot apply unary operator `%s` to type `%s`", op,
                         ty_str(t, b, sizeof b));
    diag_primary(d, "cannot apply unary operator `%s`", op);
    diag_help(d, n->op == TK_MINUS ? "`-` negates an `int` or a `float`" : "`!` negates a `bool` (or flips the bits of an `int`)");
    return ck->t_err;
  }
  return t;
}

// ---- names, paths, literals -------------------------------------------------------------

static Type *name_expr(Ck *ck, Node *n) {
  NameSlot *s = ck_slot(ck, n->name);
  if (s && s->local) {
    n->local = s->local;
    s->local->used = true;
    return s->local->type;
  }
  if (s && s->item && s->item->kind == IT_CONST) {
    n->cnst = &s->item->cn;
    return ck_const_type(ck, n->cnst);
  }
  if (s && s->item) {
    Item *it = s->item;
    const char *what = it->kind == IT_FN ? "function" : it->kind == IT_STRUCT ? "struct" : "enum";
    Diag *d = diag_error(ck->sink, "E0423", n->span, "expected value, found %s `%s`", what, n->name);
    diag_primary(d, "not a value");
    if (it->kind == IT_FN) diag_help(d, "functions are not values in Toy: call it, `%s(…)`", n->name);
    else if (it->kind == IT_STRUCT) diag_help(d, "build one with a struct literal: `%s { … }`", n->name);
    else diag_help(d, "name one of its variants: `%s::%s`", n->name, it->en.nvariants ? it->en.variants[0] : "Variant");
    return ck->t_err;
  }
  if (rt_builtin_lookup(n->name) >= 0) {
    Diag *d = diag_error(ck->sink, "E0423", n->span, "expected value, found builtin function `%s`", n->name);
    diag_primary(d, "not a value");
    diag_help(d, "functions are not values in Toy: call it, `%s(…)`", n->name);
    return ck->t_err;
  }
  Diag *d = diag_error(ck->sink, "E0425", n->span, "cannot find value `%s` in this scope", n->name);
  diag_primary(d, "not found in this scope");
  similar_value(ck, d, n->name);
  return ck->t_err;
}

static Type *path_expr(Ck *ck, Node *n) {
  Item *it = ck_item(ck, n->enum_name, IT_ENUM);
  if (!it) {
    Diag *d = diag_error(ck->sink, "E0433", n->span, "failed to resolve: use of undeclared type `%s`", n->enum_name);
    diag_primary(d, "use of undeclared type `%s`", n->enum_name);
    ck_similar_item(ck, d, n->enum_name, 1u << IT_ENUM, NULL, NULL);
    return ck->t_err;
  }
  EnumInfo *en = it->en.ty->en;
  for (int i = 0; i < en->nvariants; i++)
    if (strcmp(en->variants[i], n->name) == 0) {
      n->index = i;
      return en->type;
    }
  Diag *d = diag_error(ck->sink, "E0599", n->name_span, "no variant named `%s` found for enum `%s`", n->name, en->name);
  diag_primary(d, "variant not found in `%s`", en->name);
  return ck->t_err;
}

static Type *hint_elem(Type *hint, TypeKind kind) {
  if (!hint) return NULL;
  Type *h = ty_find(hint);
  return h->kind == kind ? h->elem : NULL;
}

static Type *struct_lit(Ck *ck, Node *n) {
  Item *it = ck_item(ck, n->name, IT_STRUCT);
  if (!it) {
    Diag *d = diag_error(ck->sink, "E0422", n->name_span, "cannot find struct `%s` in this scope", n->name);
    diag_primary(d, "not found in this scope");
    ck_similar_item(ck, d, n->name, 1u << IT_STRUCT, NULL, NULL);
    for (int i = 0; i < n->nitems; i++) ck_value(ck, n->items[i], ty_var(ck->tc), true);
    return ck->t_err;
  }
  StructInfo *st = it->st.ty->st;
  n->field_index = ast_alloc(ck->prog, ((size_t)n->nitems + 1) * sizeof(int));
  char *given = calloc((size_t)st->nfields + 1, 1);
  for (int i = 0; i < n->nitems; i++) {
    int f = -1;
    for (int j = 0; j < st->nfields; j++)
      if (strcmp(st->fields[j].name, n->fields[i]) == 0) f = j;
    n->field_index[i] = f;
    if (f < 0) {
      Diag *d = diag_error(ck->sink, "E0560", n->field_spans[i], "struct `%s` has no field named `%s`", st->name,
                           n->fields[i]);
      diag_primary(d, "unknown field");
      similar_field(ck, st, d, n->fields[i]);
      if (st->nfields) {
        char list[400] = "";
        for (int j = 0; j < st->nfields && strlen(list) < 300; j++) {
          size_t len = strlen(list);
          snprintf(list + len, sizeof list - len, "%s`%s`", j ? ", " : "", st->fields[j].name);
        }
        diag_note(d, "available fields are: %s", list);
      }
      ck_value(ck, n->items[i], ty_var(ck->tc), true);
      continue;
    }
    if (given[f]) {
      Diag *d = diag_error(ck->sink, "E0062", n->field_spans[i], "field `%s` specified more than once", n->fields[i]);
      diag_primary(d, "used more than once");
      for (int j = 0; j < i; j++)
        if (n->field_index[j] == f) {
          diag_label(d, n->field_spans[j], "first use of `%s`", n->fields[i]);
          break;
        }
    }
    given[f] = 1;
    ck_value(ck, n->items[i], st->fields[f].type, true);
  }
  int nmissing = 0;
  char list[600] = "";
  for (int j = 0; j < st->nfields; j++)
    if (!given[j]) {
      nmissing++;
      if (nmissing <= 3) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s`%s`", nmissing == 1 ? "" : "\x01", st->fields[j].name);
      }
    }
  free(given);
  if (nmissing) {
    // rustc: "`a`", "`a` and `b`", "`a`, `b` and `c`", "`a`, `b`, `c` and 2 other fields"
    char *parts[3] = {list, NULL, NULL};
    for (int k = 1; k < 3; k++) {
      char *sep = parts[k - 1] ? strchr(parts[k - 1], '\x01') : NULL;
      if (sep) *sep = '\0', parts[k] = sep + 1;
    }
    char msg[700];
    if (nmissing == 1) snprintf(msg, sizeof msg, "field %s", parts[0]);
    else if (nmissing == 2) snprintf(msg, sizeof msg, "fields %s and %s", parts[0], parts[1]);
    else if (nmissing == 3) snprintf(msg, sizeof msg, "fields %s, %s and %s", parts[0], parts[1], parts[2]);
    else snprintf(msg, sizeof msg, "fields %s, %s, %s and %d other fields", parts[0], parts[1], parts[2], nmissing - 3);
    Diag *d = diag_error(ck->sink, "E0063", n->name_span, "missing %s in initializer of `%s`", msg, st->name);
    diag_primary(d, "missing %s", msg);
    diag_help(d, "every field of a struct must be given a value");
  }
  return st->type;
}

// ---- places: index, field, tuple item ---------------------------------------------

static Type *index_expr(Ck *ck, Node *n, bool assign, bool compound) {
  Type *b = ck_deref(n->lhs, ck_expr(ck, n->lhs, NULL));
  n->lhs->use = USE_PLACE;
  char s[TY_STR_MAX];
  switch (b->kind) {
  case TY_LIST: {
    Type *i = ck_operand(ck, n->rhs, ck->t_int);
    if (!ty_unify(ck->tc, i, ck->t_int)) ck_mismatch(ck, n->rhs->span, ck->t_int, i);
    return b->elem;
  }
  case TY_MAP: {
    Type *k;
    if (assign && !compound) {
      k = ck_value(ck, n->rhs, b->key, true);  // `m[k] = v` stores the key
    } else {
      k = ck_operand(ck, n->rhs, b->key);
      if (!ty_unify(ck->tc, k, b->key)) ck_mismatch(ck, n->rhs->span, b->key, k);
    }
    return b->elem;
  }
  case TY_ERROR:
    ck_operand(ck, n->rhs, NULL);
    return ck->t_err;
  case TY_VAR:
    ck_operand(ck, n->rhs, NULL);
    return unknown(ck, n->lhs, b);
  default: {
    ck_operand(ck, n->rhs, NULL);
    Diag *d = diag_error(ck->sink, "E0608", n->span, "cannot index into a value of type `%s`", ty_str(b, s, sizeof s));
    diag_primary(d, "cannot index into `%s`", s);
    if (b->kind == TY_STR)
      diag_help(d, "strings cannot be indexed: use `s.find(…)`, `s.split(…)`, `s.starts_with(…)` or `s.len()`");
    else if (b->kind == TY_TUPLE)
      diag_help(d, "get a tuple's items with `.0`, `.1`, …");
    else if (b->kind == TY_OPTION)
      diag_help(d, "get the value out first: `match`, or `.unwrap()`");
    return ck->t_err;
  }
  }
}

static Type *field_expr(Ck *ck, Node *n) {
  Type *b = ck_deref(n->lhs, ck_expr(ck, n->lhs, NULL));
  n->lhs->use = USE_PLACE;
  char s[TY_STR_MAX];
  if (b->kind == TY_ERROR) return b;
  if (b->kind == TY_VAR) return unknown(ck, n->lhs, b);
  if (b->kind == TY_STRUCT) {
    StructInfo *st = b->st;
    for (int i = 0; i < st->nfields; i++)
      if (strcmp(st->fields[i].name, n->name) == 0) {
        n->index = i;
        return st->fields[i].type;
      }
    Diag *d = diag_error(ck->sink, "E0609", n->name_span, "no field `%s` on type `%s`", n->name, st->name);
    diag_primary(d, "unknown field");
    similar_field(ck, st, d, n->name);
    char list[400] = "";
    for (int j = 0; j < st->nfields && strlen(list) < 300; j++) {
      size_t len = strlen(list);
      snprintf(list + len, sizeof list - len, "%s`%s`", j ? ", " : "", st->fields[j].name);
    }
    if (st->nfields) diag_note(d, "available fields are: %s", list);
    return ck->t_err;
  }
  Diag *d = diag_error(ck->sink, "E0609", n->name_span, "no field `%s` on type `%s`", n->name, ty_str(b, s, sizeof s));
  diag_primary(d, "unknown field");
  if (b->kind == TY_LIST || b->kind == TY_STR || b->kind == TY_MAP) diag_help(d, "to call a method, add `()`: `.%s()`", n->name);
  return ck->t_err;
}

static Type *tuple_index_expr(Ck *ck, Node *n) {
  Type *b = ck_deref(n->lhs, ck_expr(ck, n->lhs, NULL));
  n->lhs->use = USE_PLACE;
  char s[TY_STR_MAX];
  if (b->kind == TY_ERROR) return b;
  if (b->kind == TY_VAR) return unknown(ck, n->lhs, b);
  if (b->kind == TY_TUPLE && n->ival >= 0 && n->ival < b->nitems) {
    n->index = (int)n->ival;
    return b->items[n->ival];
  }
  Span at = n->span;
  at.off += at.len - 1, at.col += at.len - 1, at.len = 1;
  for (int64_t v = n->ival; v >= 10; v /= 10) at.off--, at.col--, at.len++;
  Diag *d = diag_error(ck->sink, "E0609", at, "no field `%lld` on type `%s`", (long long)n->ival, ty_str(b, s, sizeof s));
  diag_primary(d, b->kind == TY_TUPLE ? "unknown field" : "not a tuple");
  if (b->kind == TY_TUPLE) diag_note(d, "a tuple of %d items has fields `.0` to `.%d`", b->nitems, b->nitems - 1);
  return ck->t_err;
}

Type *ck_assign_target(Ck *ck, Node *n, bool compound) {
  Type *t;
  switch (n->kind) {
  case ND_NAME: {
    NameSlot *s = ck_slot(ck, n->name);
    if (s && s->local) {
      n->local = s->local;
      s->local->mutated = true;
      if (compound) s->local->used = true;  // `x += 1` reads x
      t = s->local->type;
      break;
    }
    if (s && s->item) {
      Diag *d = diag_error(ck->sink, "E0070", n->span, "invalid left-hand side of assignment");
      diag_primary(d, "cannot assign to this expression");
      diag_note(d, "`%s` is a %s, not a variable", n->name,
                s->item->kind == IT_CONST ? "const" : s->item->kind == IT_FN ? "function" : "type");
      if (s->item->kind == IT_CONST) diag_help(d, "declare a variable: `let mut x = %s;`", n->name);
    } else {
      Diag *d = diag_error(ck->sink, "E0425", n->span, "cannot find value `%s` in this scope", n->name);
      diag_primary(d, "not found in this scope");
      if (!similar_value(ck, d, n->name)) diag_help(d, "declare it first: `let mut %s = …;`", n->name);
    }
    t = ck->t_err;
    break;
  }
  case ND_INDEX:
    t = index_expr(ck, n, true, compound);
    break;
  case ND_FIELD:
    t = field_expr(ck, n);
    break;
  case ND_TUPLE_INDEX: {
    t = tuple_index_expr(ck, n);
    if (t->kind != TY_ERROR) {
      Diag *d = diag_error(ck->sink, "L0002", n->span, "cannot assign to a tuple item");
      diag_primary(d, "tuples are immutable values");
      diag_help(d, "build a new tuple and assign it whole: `t = (…, …);`");
    }
    t = ck->t_err;
    break;
  }
  default:
    t = ck_expr(ck, n, NULL);  // the parser reported L0106
    break;
  }
  n->ty = t;
  n->use = USE_ASSIGN;
  return t;
}

// ---- calls ---------------------------------------------------------------------------

static const char *plural(int n, const char *one, const char *many) { return n == 1 ? one : many; }

// def: the function's definition, for the label "defined here"; or a note
// with the signature of a builtin or method.
static void arg_count_error(Ck *ck, Span at, int want, int given, const char *what, Span *def, const char *note) {
  Diag *d = diag_error(ck->sink, "E0061", at, "this %s takes %d %s but %d %s supplied", what, want,
                       plural(want, "argument", "arguments"), given, plural(given, "argument was", "arguments were"));
  diag_primary(d, "expected %d %s, found %d", want, plural(want, "argument", "arguments"), given);
  if (def) diag_label(d, *def, "defined here");
  if (note) diag_note(d, "%s", note);
}

// An argument for a parameter of type p (user functions and spawn).
static void arg_to_param(Ck *ck, Node *arg, Type *p, bool spawned) {
  Type *pf = ty_find(p);
  if (pf->kind != TY_REF && pf->kind != TY_REFMUT) {
    ck_value(ck, arg, p, false);
    return;
  }
  Type *t = ck_expr(ck, arg, p);
  Type *f = ty_find(t);
  arg->use = USE_COPY;
  if (str_literal_borrow(ck, arg, pf)) return;
  if (spawned && f->kind != TY_ERROR) {
    Diag *d = diag_error(ck->sink, "E0373", arg->span, "a reference cannot be passed to `spawn`");
    diag_primary(d, "the thread may outlive what this borrows");
    diag_help(d, "move an owned value into the thread (`.clone()` it to keep a copy); the function's "
                 "parameter must then be owned, not a reference");
    return;
  }
  if (f->kind == TY_REF || f->kind == TY_REFMUT) {
    if (pf->kind == TY_REFMUT && f->kind == TY_REF) {
      Diag *d = ck_mismatch(ck, arg->span, p, t);
      if (d) diag_note(d, "types differ in mutability: the function may change it, so pass `&mut`");
    } else if (!ty_unify(ck->tc, pf->elem, f->elem)) {
      ck_mismatch(ck, arg->span, p, t);
    }
    return;
  }
  Diag *d = ck_mismatch(ck, arg->span, p, t);
  if (d && ty_unify(ck->tc, pf->elem, t)) {
    char text[200];
    source_text(ck->prog->src, arg->span, text, sizeof text);
    diag_help(d, "borrow it: `%s%s`", pf->kind == TY_REFMUT ? "&mut " : "&", text);
  }
}

static bool printable(Ck *ck, Node *arg, Type *t) {
  Type *f = ty_find(t);
  if (f->kind != TY_UNIT && !has_thread(f, 0)) return true;
  char b[TY_STR_MAX];
  Diag *d = diag_error(ck->sink, "E0277", arg->span, "`%s` cannot be printed", ty_str(f, b, sizeof b));
  diag_primary(d, f->kind == TY_UNIT ? "this is `()`: it has no value" : "a thread has no printed form");
  if (f->kind == TY_UNIT) diag_help(d, "a function without `-> T` returns nothing to print");
  else diag_help(d, "print what it returns: `h.join()`");
  return false;
}

// A builtin's argument that must be one of the kinds in `ok` (a bit per TypeKind).
static Type *builtin_arg(Ck *ck, Node *arg, Type *hint, unsigned ok, const char *expected) {
  Type *t = ck_operand(ck, arg, hint);
  if (t->kind == TY_VAR && hint) {
    ty_unify(ck->tc, t, hint);
    t = ty_find(t);
  }
  if (t->kind == TY_ERROR || t->kind == TY_VAR) return t;
  if (ok & (1u << t->kind)) return t;
  char b[TY_STR_MAX];
  Diag *d = diag_error(ck->sink, "E0308", arg->span, "mismatched types");
  diag_primary(d, "expected %s, found `%s`", expected, ty_str(t, b, sizeof b));
  if ((ok & (1u << TY_FLOAT)) && t->kind == TY_INT) diag_help(d, "convert with `float(…)`, or write a float literal like `2.0`");
  return ck->t_err;
}

#define K(k) (1u << (k))

// ---- the signatures of runtime/builtins.h ----------------------------------------------
// The names in a signature: T, K, V (bound on first use), Self, num.
typedef struct SigVars {
  Type *T, *K, *V, *self, *num;
} SigVars;

static Type **sig_var(SigVars *v, const char *w, int n) {
  if (n == 1 && w[0] == 'T') return &v->T;
  if (n == 1 && w[0] == 'K') return &v->K;
  if (n == 1 && w[0] == 'V') return &v->V;
  if (n == 4 && memcmp(w, "Self", 4) == 0) return &v->self;
  if (n == 3 && memcmp(w, "num", 3) == 0) return &v->num;
  return NULL;
}

// The type written at *p in a signature of runtime/builtins.h: int, float,
// str, bool, a name of SigVars, `[X]`, `?X`, `{X: Y}`, `thread[X]`; "" is `()`.
static Type *sig_type(Ck *ck, const char **p, SigVars *v) {
  TyCtx *tc = ck->tc;
  const char *s = *p;
  if (*s == '[' || *s == '?' || *s == '{') {
    *p = s + 1;
    Type *e = sig_type(ck, p, v);
    if (*s == '{') {
      *p += 2;  // ": "
      Type *val = sig_type(ck, p, v);
      (*p)++;
      return ty_map(tc, e, val);
    }
    if (*s == '[') (*p)++;
    return *s == '[' ? ty_list(tc, e) : ty_option(tc, e);
  }
  int n = 0;
  while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_') n++;
  *p = s + n;
  if (n == 6 && memcmp(s, "thread", 6) == 0 && s[n] == '[') {
    (*p)++;
    Type *e = sig_type(ck, p, v);
    (*p)++;
    return ty_thread(tc, e);
  }
  Type **var = sig_var(v, s, n);
  if (var) return *var ? *var : (*var = ty_var(tc));
  if (n == 3 && memcmp(s, "int", 3) == 0) return ck->t_int;
  if (n == 5 && memcmp(s, "float", 5) == 0) return ck->t_float;
  if (n == 3 && memcmp(s, "str", 3) == 0) return ck->t_str;
  if (n == 4 && memcmp(s, "bool", 4) == 0) return ck->t_bool;
  return ck->t_unit;  // "": no `-> R`
}

static Type *sig_parse(Ck *ck, const char *text, SigVars *v) { return sig_type(ck, &text, v); }

// The kinds a builtin's parameter allows ("int|float|str" → three bits) and
// how a message names them ("`int`, `float` or `str`").
static unsigned sig_kinds(Ck *ck, const char *param, char *names, int size) {
  unsigned ok = 0;
  int n = 0;
  for (const char *p = param; *p;) {
    SigVars none = {0};
    const char *start = p;
    ok |= 1u << sig_type(ck, &p, &none)->kind;
    int len = (int)(p - start);
    const char *sep = !*p ? "" : strchr(p + 1, '|') ? ", " : " or ";
    n += snprintf(names + n, (size_t)(size - n), "`%.*s`%s", len, start, sep);
    if (n >= size) n = size - 1;
    if (*p == '|') p++;
  }
  return ok;
}

static Type *call_builtin(Ck *ck, Node *n, int b) {
  const BuiltinInfo *bi = &rt_builtins[b];
  n->builtin = b;
  if (n->nitems < bi->min_args || (bi->max_args >= 0 && n->nitems > bi->max_args)) {
    char note[120];
    snprintf(note, sizeof note, "`%s` is `%s`", bi->name, bi->signature);
    arg_count_error(ck, n->name_span, bi->min_args, n->nitems, "function", NULL, note);
    for (int i = 0; i < n->nitems; i++) ck_operand(ck, n->items[i], NULL);
    return ck->t_err;
  }
  SigParts sig;
  rt_sig_split(bi->signature, &sig);
  SigVars v = {0};
  bool failed = false;
  for (int i = 0; i < n->nitems; i++) {
    Node *a = n->items[i];
    const char *p = sig.param[i < sig.nparams ? i : sig.nparams - 1];  // the last is `T...`
    p += *p == '&';
    if (p[0] == 'T') {  // any type with a printed form
      printable(ck, a, ck_operand(ck, a, NULL));
    } else if (strcmp(p, "bool") == 0) {
      ck_cond(ck, a);
    } else if (strcmp(p, "num") == 0) {  // int or float, the same for every num
      Type *hint = v.num && ty_find(v.num)->kind != TY_VAR ? v.num : NULL;
      Type *t = builtin_arg(ck, a, hint, K(TY_INT) | K(TY_FLOAT), "`int` or `float`");
      if (!v.num) {
        v.num = t;
      } else if (!ty_unify(ck->tc, v.num, t)) {
        Diag *d = ck_mismatch(ck, a->span, v.num, t);
        if (d) diag_note(d, "both arguments of `%s` have the same type", bi->name);
        failed = true;
      }
    } else {
      char names[80];
      unsigned ok = sig_kinds(ck, p, names, sizeof names);
      builtin_arg(ck, a, strchr(p, '|') ? NULL : sig_parse(ck, p, &v), ok, names);
    }
  }
  if (failed) return ck->t_err;
  if (strcmp(sig.ret, "num") == 0) return v.num ? ty_find(v.num) : ck->t_err;
  return sig_parse(ck, sig.ret, &v);
}

static Type *call_expr(Ck *ck, Node *n, bool spawned) {
  NameSlot *s = ck_slot(ck, n->name);
  if (s && s->item && s->item->kind == IT_FN) {
    FnDecl *fn = &s->item->fn;
    n->fn = fn;
    if (n->nitems != fn->nparams) arg_count_error(ck, n->name_span, fn->nparams, n->nitems, "function", &fn->span, NULL);
    for (int i = 0; i < n->nitems; i++) {
      if (i < fn->nparams) arg_to_param(ck, n->items[i], fn->param_types[i], spawned);
      else ck_operand(ck, n->items[i], NULL);
    }
    return n->nitems == fn->nparams ? fn->ret_type : ck->t_err;
  }
  int b = rt_builtin_lookup(n->name);
  if (b >= 0) {
    if (spawned) {
      Diag *d = diag_error(ck->sink, "L0003", n->name_span, "`spawn` of the builtin function `%s`", n->name);
      diag_primary(d, "`spawn` needs a function defined in the program");
      diag_help(d, "wrap the call in a function of your own and spawn that");
      for (int i = 0; i < n->nitems; i++) ck_operand(ck, n->items[i], NULL);
      return ck->t_err;
    }
    return call_builtin(ck, n, b);
  }
  Diag *d;
  if (s && s->local) {
    char t[TY_STR_MAX];
    d = diag_error(ck->sink, "E0618", n->name_span, "expected function, found `%s`", ty_str(s->local->type, t, sizeof t));
    diag_primary(d, "`%s` is a variable, not a function", n->name);
    diag_label(d, s->local->span, "`%s` has type `%s`", n->name, t);
  } else if (s && s->item && s->item->kind == IT_STRUCT) {
    d = diag_error(ck->sink, "E0423", n->name_span, "expected function, found struct `%s`", n->name);
    diag_primary(d, "not a function");
    diag_help(d, "build one with a struct literal: `%s { … }`", n->name);
  } else {
    d = diag_error(ck->sink, "E0425", n->name_span, "cannot find function `%s` in this scope", n->name);
    diag_primary(d, "not found in this scope");
    static const char *builtin_fns[BI_COUNT + 1];
    for (int i = 0; i < BI_COUNT; i++) builtin_fns[i] = rt_builtins[i].name;
    char hint[160];
    if (ast_call_hint(ck->prog->src, n, hint, sizeof hint)) diag_help(d, "Toy writes it `%s`", hint);
    else ck_similar_item(ck, d, n->name, 1u << IT_FN, builtin_fns, "builtin function");
  }
  for (int i = 0; i < n->nitems; i++) ck_operand(ck, n->items[i], NULL);
  return ck->t_err;
}

static Type *spawn_expr(Ck *ck, Node *n) {
  Node *c = n->lhs;
  if (!c || c->kind != ND_CALL) {
    if (c) ck_expr(ck, c, NULL);
    return ck->t_err;
  }
  Type *r = call_expr(ck, c, true);
  c->ty = r;
  c->use = USE_MOVE;
  if (ty_find(r)->kind == TY_ERROR) return ck->t_err;
  return ty_thread(ck->tc, r);
}

// ---- methods -------------------------------------------------------------------------
// A method call is typed from its row of runtime/builtins.h's METHODS: the
// receiver's type matched against the row's pattern, then each argument
// against its parameter — `&X` or `int` read like a borrow, anything else
// moved into the call.

static RecvKind recv_kind(Type *r) {
  switch (r->kind) {
  case TY_LIST: return RECV_LIST;
  case TY_STR: return RECV_STR;
  case TY_MAP: return RECV_MAP;
  case TY_OPTION: return RECV_OPTION;
  case TY_THREAD: return RECV_THREAD;
  default: return RECV_ANY;
  }
}

// E0599 for method m (-1: a name no type has) on r; mi is the row for r's
// kind whose pattern r did not match, if any.
static void no_method(Ck *ck, Node *n, Type *r, int m, const MethodInfo *mi) {
  char b[TY_STR_MAX];
  ty_str(r, b, sizeof b);
  Diag *d;
  if (mi && mi->recv != RECV_ANY) {
    d = diag_error(ck->sink, "E0599", n->name_span, "the method `%s` exists for `%s`, but not for `%s`", n->name,
                   mi->receiver, b);
    diag_primary(d, "method cannot be called on `%s`", b);
    if (m == MT_join) diag_help(d, "convert the elements to strings first (`str(x)`), into a `[str]`");
    return;
  }
  d = diag_error(ck->sink, "E0599", n->name_span, "no method named `%s` found for `%s`", n->name, b);
  diag_primary(d, "method not found in `%s`", b);
  char names[300];
  if (r->kind == TY_STRUCT)
    diag_help(d, "Toy has no user-defined methods: write a function `fn %s(x: &%s, …)`", n->name, b);
  else if (recv_kind(r) != RECV_ANY) {
    const char *similar = diag_shown(ck->sink, d) ? rt_method_similar(recv_kind(r), n->name) : NULL;
    if (similar && suggest_alias(n->name, similar)) diag_help(d, "you might have meant to use `%s`", similar);
    else if (similar) diag_help(d, "there is a method `%s` with a similar name", similar);
    diag_note(d, "the methods of `%s`: %s%s", b, rt_methods_of(recv_kind(r), names, sizeof names),
              has_thread(r, 0) ? "" : ", clone");
  }
}

static Type *method_expr(Ck *ck, Node *n) {
  Type *r = ck_deref(n->lhs, ck_expr(ck, n->lhs, NULL));
  n->recv_ty = r;
  n->lhs->use = USE_BORROW;
  int m = rt_method_lookup(n->name);
  if (r->kind == TY_ERROR || r->kind == TY_VAR) {
    if (r->kind == TY_VAR) unknown(ck, n->lhs, r);
    for (int i = 0; i < n->nitems; i++) ck_operand(ck, n->items[i], NULL);
    return ck->t_err;
  }
  const MethodInfo *mi = m < 0 ? NULL : rt_method_info(recv_kind(r), m);
  SigVars v = {.self = r};
  if (!mi || !ty_unify(ck->tc, sig_parse(ck, mi->receiver, &v), r) || (mi->recv == RECV_ANY && has_thread(r, 0))) {
    no_method(ck, n, r, m, mi);
    for (int i = 0; i < n->nitems; i++) ck_operand(ck, n->items[i], NULL);
    return ck->t_err;
  }
  n->method = m;
  n->recv_mut = mi->self == 'm';
  n->lhs->use = mi->self == 'm' ? USE_BORROW_MUT : mi->self == 'v' ? USE_PENDING_VALUE : USE_BORROW;
  if (n->nitems != mi->nargs) {
    char note[120];
    snprintf(note, sizeof note, "`%s` on `%s` is `%s`", n->name, mi->receiver, mi->signature);
    arg_count_error(ck, n->name_span, mi->nargs, n->nitems, "method", NULL, note);
    for (int i = 0; i < n->nitems; i++) ck_operand(ck, n->items[i], NULL);
    return ck->t_err;
  }
  for (int i = 0; i < mi->nargs; i++) {
    Node *a = n->items[i];
    const char *p = mi->arg[i];
    Type *want = sig_parse(ck, p + (*p == '&'), &v);
    if (*p == '&' || want == ck->t_int) {
      Type *t = ck_operand(ck, a, want);
      if (!ty_unify(ck->tc, t, want)) ck_mismatch(ck, a->span, want, t);
    } else {
      ck_value(ck, a, want, true);
    }
  }
  return sig_parse(ck, mi->ret, &v);
}

// The requirements on a method's element types, checked once the function's
// types are known (an element type may be inferred after the call):
// `sort` needs comparable elements, `get` copy values.
void ck_method_late(Ck *ck, Node *n) {
  Type *r = n->recv_ty;
  if (!r || ty_has_error(r)) return;
  if (n->method == MT_sort && r->kind == TY_LIST && !orderable(r->elem)) {
    char b[TY_STR_MAX];
    Diag *d = diag_error(ck->sink, "E0277", n->name_span, "`%s` cannot be sorted", ty_str(r, b, sizeof b));
    diag_primary(d, "its elements cannot be compared with `<`");
    diag_help(d, "`sort` orders `int`, `float`, `str` and tuples of those");
  }
  if (n->method == MT_get && r->kind == TY_MAP && !ty_is_copy(r->elem)) {
    char b[TY_STR_MAX];
    Diag *d = diag_error(ck->sink, "L0004", n->name_span, "`get` on a map whose values are not copy (`%s`)",
                         ty_str(r->elem, b, sizeof b));
    diag_primary(d, "`get` copies the value out, and `%s` is not a copy type", b);
    diag_help(d, "borrow it in place with `m[k]` (after `contains_key`), or take it out with `remove`");
  }
}

// ---- the dispatcher -------------------------------------------------------------------

Type *ck_expr(Ck *ck, Node *n, Type *hint) {
  Type *t;
  switch (n->kind) {
  case ND_INT: t = ck->t_int; break;
  case ND_FLOAT: t = ck->t_float; break;
  case ND_BOOL: t = ck->t_bool; break;
  case ND_STR: t = ck->t_str; break;
  case ND_NONE: {
    Type *e = hint_elem(hint, TY_OPTION);
    t = ty_option(ck->tc, e ? e : ty_var(ck->tc));
    break;
  }
  case ND_SOME: {
    Type *e = hint_elem(hint, TY_OPTION);
    t = ty_option(ck->tc, ck_value(ck, n->lhs, e ? e : ty_var(ck->tc), true));
    break;
  }
  case ND_NAME: t = name_expr(ck, n); break;
  case ND_PATH: t = path_expr(ck, n); break;
  case ND_LIST: {
    Type *e = hint_elem(hint, TY_LIST);
    if (!e) e = ty_var(ck->tc);
    for (int i = 0; i < n->nitems; i++) ck_value(ck, n->items[i], e, true);
    t = ty_list(ck->tc, e);
    break;
  }
  case ND_LIST_REPEAT: {
    Type *e = hint_elem(hint, TY_LIST);
    e = ck_value(ck, n->lhs, e ? e : ty_var(ck->tc), true);
    if (has_thread(e, 0)) {
      char b[TY_STR_MAX];
      Diag *d = diag_error(ck->sink, "E0277", n->lhs->span, "`%s` cannot be cloned", ty_str(e, b, sizeof b));
      diag_primary(d, "`[e; n]` clones `e`, and a thread cannot be cloned");
      diag_help(d, "build the list with a loop and `push`");
    }
    Type *c = ck_operand(ck, n->rhs, ck->t_int);
    if (!ty_unify(ck->tc, c, ck->t_int)) ck_mismatch(ck, n->rhs->span, ck->t_int, c);
    t = ty_list(ck->tc, e);
    break;
  }
  case ND_MAP: {
    Type *h = hint ? ty_find(hint) : NULL;
    Type *k = h && h->kind == TY_MAP ? h->key : ty_var(ck->tc);
    Type *v = h && h->kind == TY_MAP ? h->elem : ty_var(ck->tc);
    for (int i = 0; i < n->nitems; i++) {
      ck_value(ck, n->items[i], k, true);
      ck_value(ck, n->values[i], v, true);
    }
    t = ty_map(ck->tc, k, v);
    break;
  }
  case ND_TUPLE: {
    Type *h = hint ? ty_find(hint) : NULL;
    if (h && (h->kind != TY_TUPLE || h->nitems != n->nitems)) h = NULL;
    Type **items = ast_alloc(ck->prog, (size_t)(n->nitems + 1) * sizeof(Type *));
    for (int i = 0; i < n->nitems; i++) items[i] = ck_value(ck, n->items[i], h ? h->items[i] : ty_var(ck->tc), true);
    t = ty_tuple(ck->tc, items, n->nitems);
    break;
  }
  case ND_STRUCT_LIT: t = struct_lit(ck, n); break;
  case ND_UNARY: t = unary(ck, n, hint); break;
  case ND_BINARY: t = binary(ck, n); break;
  case ND_CALL: t = call_expr(ck, n, false); break;
  case ND_METHOD: t = method_expr(ck, n); break;
  case ND_INDEX: t = index_expr(ck, n, false, false); break;
  case ND_FIELD: t = field_expr(ck, n); break;
  case ND_TUPLE_INDEX: t = tuple_index_expr(ck, n); break;
  case ND_SPAWN: t = spawn_expr(ck, n); break;
  default: t = ck->t_err; break;
  }
  return set(n, t);
}
