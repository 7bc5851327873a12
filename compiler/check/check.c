// check.c — the type checker's driver: names, items (structs, enums, consts,
// function signatures), type annotations, statements, `match` with its
// exhaustiveness check, and the end-of-function pass that resolves inferred
// types and settles how each value is used (copy or move, E0507, E0282).
// Expressions are in check_expr.c; check.h documents the annotations.
//
// Names: one hash table maps each name to its item and to the innermost
// local of that name; a local records the binding it shadows, and a block
// end restores them. So a look-up is O(1) whatever the size of the function,
// and checking is linear in the size of the program (SPEC §7).
//
// Inference: each function is checked in one pass; `let` without an
// annotation gets the initializer's type, which may still hold inference
// variables (`[]` is `[_]`) bound by later uses (`v.push(1)`). Whether a
// read copies or moves depends on that type, so those decisions wait in
// USE_PENDING_* marks until the end of the function (ck_finish_fn).
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "check_int.h"
#include "suggest.h"
#include "tokens.h"
#include "xalloc.h"

// ---- names -------------------------------------------------------------------------

static uint32_t hash_name(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  return h;
}

static NameSlot *find_slot(Ck *ck, const char *name, uint32_t h) {
  uint32_t i = h & (ck->cap - 1);
  for (;;) {
    NameSlot *s = &ck->slots[i];
    if (!s->name || (s->hash == h && strcmp(s->name, name) == 0)) return s;
    i = (i + 1) & (ck->cap - 1);
  }
}

static NameSlot *intern_slot(Ck *ck, const char *name) {
  if ((ck->count + 1) * 2 > ck->cap) {
    NameSlot *old = ck->slots;
    uint32_t oldcap = ck->cap;
    ck->cap = ck->cap ? ck->cap * 2 : 256;
    ck->slots = rt_xcalloc(ck->cap, sizeof(NameSlot));
    for (uint32_t i = 0; i < oldcap; i++)
      if (old[i].name) *find_slot(ck, old[i].name, old[i].hash) = old[i];
    free(old);
  }
  uint32_t h = hash_name(name);
  NameSlot *s = find_slot(ck, name, h);
  if (!s->name) {
    s->name = name;
    s->hash = h;
    ck->count++;
  }
  return s;
}

NameSlot *ck_slot(Ck *ck, const char *name) {
  if (ck->cap == 0) return NULL;
  NameSlot *s = find_slot(ck, name, hash_name(name));
  return s->name ? s : NULL;
}

bool ck_similar_item(Ck *ck, Diag *d, const char *name, unsigned kinds, const char *const *builtins,
                     const char *builtin_what) {
  if (!diag_shown(ck->sink, d)) return false;
  Suggest s;
  suggest_begin(&s, name);
  for (int i = 0; i < ck->prog->nitems; i++)
    if (kinds & (1u << ck->prog->items[i]->kind)) suggest_try(&s, ast_item_name(ck->prog->items[i]));
  const char *item = suggest_best(&s);
  for (int i = 0; builtins && builtins[i]; i++) suggest_try(&s, builtins[i]);
  const char *best = suggest_best(&s);
  if (!best) return false;
  if (suggest_alias(name, best)) {
    diag_help(d, "you might have meant to use `%s`", best);
    return true;
  }
  const char *what = builtin_what;
  if (best == item) {
    ItemKind k = ck_slot(ck, best)->item->kind;
    what = k == IT_FN ? "function" : k == IT_CONST ? "constant" : k == IT_STRUCT ? "struct" : "enum";
  }
  diag_help(d, "a%s %s with a similar name exists: `%s`", what[0] == 'e' ? "n" : "", what, best);
  return true;
}

Item *ck_item(Ck *ck, const char *name, ItemKind kind) {
  NameSlot *s = ck_slot(ck, name);
  return s && s->item && s->item->kind == kind ? s->item : NULL;
}

// ---- locals and scopes -----------------------------------------------------------

Local *ck_declare(Ck *ck, const char *name, Span span, Type *t, bool is_mut, LocalKind kind, Node *decl) {
  Local *l = ast_alloc(ck->prog, sizeof(Local));
  l->id = ck->nlocals;
  l->name = name;
  l->type = t;
  l->is_mut = is_mut;
  l->kind = kind;
  l->decl = decl;
  l->param = -1;
  l->span = span;
  if (ck->nlocals == ck->caplocals) {
    ck->caplocals = ck->caplocals ? ck->caplocals * 2 : 32;
    ck->locals = rt_xrealloc(ck->locals, (size_t)ck->caplocals * sizeof(Local *));
  }
  ck->locals[ck->nlocals++] = l;
  NameSlot *s = intern_slot(ck, name);
  l->shadowed = s->local;
  s->local = l;
  if (ck->nscope == ck->capscope) {
    ck->capscope = ck->capscope ? ck->capscope * 2 : 32;
    ck->scope = rt_xrealloc(ck->scope, (size_t)ck->capscope * sizeof(Local *));
  }
  ck->scope[ck->nscope++] = l;
  return l;
}

static void pop_scope(Ck *ck, int mark) {
  while (ck->nscope > mark) {
    Local *l = ck->scope[--ck->nscope];
    ck_slot(ck, l->name)->local = l->shadowed;
  }
}

// ---- type annotations --------------------------------------------------------------

typedef enum { POS_PARAM, POS_LET, POS_FIELD, POS_ELEM, POS_RET, POS_CONST } TypePos;

static const char *pos_what(TypePos pos) {
  switch (pos) {
  case POS_FIELD: return "a struct field";
  case POS_ELEM: return "an element of a list, map, tuple, option or thread";
  case POS_RET: return "a function's return type";
  case POS_CONST: return "a const's type";
  default: return "here";
  }
}

static bool key_ok(Type *k) {
  k = ty_find(k);
  return k->kind == TY_INT || k->kind == TY_STR || k->kind == TY_ERROR || k->kind == TY_VAR;
}

// L0001: `&mut` applies only to lists, maps and structs (SPEC §5).
bool ck_refmut_ok(Type *t) {
  t = ty_find(t);
  switch (t->kind) {
  case TY_LIST: case TY_MAP: case TY_STRUCT: case TY_ERROR: case TY_VAR: case TY_REF: case TY_REFMUT:
    return true;
  default: return false;
  }
}

void ck_refmut_error(Ck *ck, Span span, Type *t) {
  char b[TY_STR_MAX];
  Diag *d = diag_error(ck->sink, "L0001", span, "`&mut` of a value of type `%s`", ty_str(t, b, sizeof b));
  diag_primary(d, "`&mut` is only for lists, maps and structs");
  diag_help(d, "`%s` is an immutable value: return the new value from the function and "
               "assign it (`x = f(x);`) instead", b);
}

static Type *resolve_texpr(Ck *ck, TypeExpr *te, TypePos pos) {
  switch (te->kind) {
  case TE_NAME: {
    const char *n = te->name;
    if (strcmp(n, "int") == 0) return ck->t_int;
    if (strcmp(n, "float") == 0) return ck->t_float;
    if (strcmp(n, "bool") == 0) return ck->t_bool;
    if (strcmp(n, "str") == 0) return ck->t_str;
    NameSlot *s = ck_slot(ck, n);
    if (s && s->item && s->item->kind == IT_STRUCT) return s->item->st.ty;
    if (s && s->item && s->item->kind == IT_ENUM) return s->item->en.ty;
    Diag *d = diag_error(ck->sink, "E0412", te->span, "cannot find type `%s` in this scope", n);
    diag_primary(d, "not found in this scope");
    static const char *const builtin_types[] = {"int", "float", "bool", "str", NULL};
    if (strcmp(n, "string") == 0 || strcmp(n, "String") == 0) diag_help(d, "the string type is `str`");
    else if (strcmp(n, "i64") == 0 || strcmp(n, "i32") == 0) diag_help(d, "the integer type is `int`");
    else if (strcmp(n, "f64") == 0) diag_help(d, "the float type is `float`");
    else if (!ck_similar_item(ck, d, n, 1u << IT_STRUCT | 1u << IT_ENUM, builtin_types, "builtin type"))
      diag_help(d, "types are `int`, `float`, `bool`, `str`, `[T]`, `{K: V}`, `(A, B)`, `?T`, "
                   "`thread[T]`, and the program's structs and enums");
    return ck->t_err;
  }
  case TE_LIST: return ty_list(ck->tc, resolve_texpr(ck, te->elem, POS_ELEM));
  case TE_OPTION: return ty_option(ck->tc, resolve_texpr(ck, te->elem, POS_ELEM));
  case TE_THREAD: return ty_thread(ck->tc, resolve_texpr(ck, te->elem, POS_ELEM));
  case TE_MAP: {
    Type *k = resolve_texpr(ck, te->key, POS_ELEM);
    Type *v = resolve_texpr(ck, te->elem, POS_ELEM);
    if (!key_ok(k)) {
      char b[TY_STR_MAX];
      Diag *d = diag_error(ck->sink, "E0277", te->key->span, "`%s` cannot be a map key", ty_str(k, b, sizeof b));
      diag_primary(d, "map keys must be `int` or `str`");
      k = ck->t_err;
    }
    return ty_map(ck->tc, k, v);
  }
  case TE_TUPLE: {
    Type **items = ast_alloc(ck->prog, (size_t)(te->nitems ? te->nitems : 1) * sizeof(Type *));
    for (int i = 0; i < te->nitems; i++) items[i] = resolve_texpr(ck, te->items[i], POS_ELEM);
    return ty_tuple(ck->tc, items, te->nitems);
  }
  case TE_REF:
  case TE_REFMUT: {
    bool mut = te->kind == TE_REFMUT;
    if (pos != POS_PARAM && pos != POS_LET) {
      Diag *d = diag_error(ck->sink, "E0106", te->span, "a reference cannot be %s", pos_what(pos));
      diag_primary(d, "reference not allowed here");
      diag_help(d, "references may only be parameter types and local variables (SPEC §2); "
                   "use the owned type instead");
      resolve_texpr(ck, te->elem, POS_ELEM);
      return ck->t_err;
    }
    Type *e = resolve_texpr(ck, te->elem, pos);
    if (mut && !ck_refmut_ok(e)) {
      ck_refmut_error(ck, te->span, e);
      return ck->t_err;
    }
    return ty_ref(ck->tc, e, mut);
  }
  }
  return ck->t_err;
}

// ---- structs and enums -------------------------------------------------------------

// Does type t (a field's type) contain struct `target` without going
// through the heap (a list, map or thread)? `through_opt` also follows
// options (used to decide which `?S` fields must be boxed); `skip_boxed`
// ignores fields already boxed.
static bool reaches(Type *t, StructInfo *target, bool through_opt, bool skip_boxed, char *seen);

static bool struct_reaches(StructInfo *st, StructInfo *target, bool through_opt, bool skip_boxed, char *seen) {
  if (st == target) return true;
  if (seen[st->index]) return false;
  seen[st->index] = 1;
  for (int i = 0; i < st->nfields; i++) {
    if (skip_boxed && st->fields[i].boxed) continue;
    if (reaches(st->fields[i].type, target, through_opt, skip_boxed, seen)) return true;
  }
  return false;
}

static bool reaches(Type *t, StructInfo *target, bool through_opt, bool skip_boxed, char *seen) {
  switch (t->kind) {
  case TY_STRUCT: return struct_reaches(t->st, target, through_opt, skip_boxed, seen);
  case TY_OPTION: return through_opt && reaches(t->elem, target, through_opt, skip_boxed, seen);
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++)
      if (reaches(t->items[i], target, through_opt, skip_boxed, seen)) return true;
    return false;
  default: return false;
  }
}

// Structs in an order where each comes after the structs it holds inline.
static void order_struct(Ck *ck, StructInfo *st, char *state, int *n);

static void order_type(Ck *ck, Type *t, char *state, int *n) {
  switch (t->kind) {
  case TY_STRUCT: order_struct(ck, t->st, state, n); break;
  case TY_OPTION: order_type(ck, t->elem, state, n); break;
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++) order_type(ck, t->items[i], state, n);
    break;
  default: break;
  }
}

static void order_struct(Ck *ck, StructInfo *st, char *state, int *n) {
  if (state[st->index]) return;  // done, or on the stack of an (already reported) cycle
  state[st->index] = 1;
  for (int i = 0; i < st->nfields; i++)
    if (!st->fields[i].boxed) order_type(ck, st->fields[i].type, state, n);
  ck->prog->structs[(*n)++] = st;
}

static void setup_types(Ck *ck) {
  Program *p = ck->prog;
  int ns = 0, ne = 0;
  for (int i = 0; i < p->nitems; i++) {
    if (p->items[i]->kind == IT_STRUCT) ns++;
    if (p->items[i]->kind == IT_ENUM) ne++;
  }
  StructInfo **src_order = rt_xcalloc((size_t)ns + 1, sizeof(StructInfo *));
  p->structs = ast_alloc(p, ((size_t)ns + 1) * sizeof(StructInfo *));
  p->enums = ast_alloc(p, ((size_t)ne + 1) * sizeof(EnumInfo *));
  p->nenums = 0;
  int k = 0;
  for (int i = 0; i < p->nitems; i++) {
    Item *it = p->items[i];
    if (it->kind == IT_STRUCT) {
      StructInfo *st = ast_alloc(p, sizeof(StructInfo));
      st->name = it->st.name;
      st->decl = &it->st;
      st->index = k;
      st->type = it->st.ty = ty_struct(ck->tc, st);
      src_order[k++] = st;
    } else if (it->kind == IT_ENUM) {
      EnumInfo *en = ast_alloc(p, sizeof(EnumInfo));
      en->name = it->en.name;
      en->decl = &it->en;
      en->index = p->nenums;
      en->variants = (const char **)it->en.variants;
      en->nvariants = it->en.nvariants;
      en->type = it->en.ty = ty_enum(ck->tc, en);
      p->enums[p->nenums++] = en;
    }
  }
  // Field types (every struct's Type exists by now, so fields may name any).
  for (int s = 0; s < ns; s++) {
    StructInfo *st = src_order[s];
    StructDecl *sd = st->decl;
    st->nfields = sd->nfields;
    st->fields = ast_alloc(p, ((size_t)sd->nfields + 1) * sizeof(TyField));
    for (int f = 0; f < sd->nfields; f++) {
      st->fields[f].name = sd->fields[f].name;
      st->fields[f].span = sd->fields[f].span;
      st->fields[f].type = resolve_texpr(ck, sd->fields[f].type, POS_FIELD);
      for (int g = 0; g < f; g++)
        if (strcmp(sd->fields[g].name, sd->fields[f].name) == 0) {
          Diag *d = diag_error(ck->sink, "E0124", sd->fields[f].span, "field `%s` is already declared",
                               sd->fields[f].name);
          diag_primary(d, "field already declared");
          diag_label(d, sd->fields[g].span, "`%s` first declared here", sd->fields[g].name);
          break;
        }
    }
  }
  // Box the `?S` fields through which a struct contains itself (SPEC §2).
  char *seen = rt_xcalloc((size_t)ns + 1, 1);
  for (int s = 0; s < ns; s++) {
    StructInfo *st = src_order[s];
    for (int f = 0; f < st->nfields; f++) {
      Type *t = st->fields[f].type;
      if (t->kind != TY_OPTION || t->elem->kind != TY_STRUCT) continue;
      memset(seen, 0, (size_t)ns + 1);
      if (struct_reaches(t->elem->st, st, true, false, seen)) {
        st->fields[f].boxed = true;
        st->recursive = true;
      }
    }
  }
  // What is left must not contain itself (it would have infinite size).
  for (int s = 0; s < ns; s++) {
    StructInfo *st = src_order[s];
    for (int f = 0; f < st->nfields; f++) {
      if (st->fields[f].boxed) continue;
      memset(seen, 0, (size_t)ns + 1);
      if (reaches(st->fields[f].type, st, true, true, seen)) {
        Diag *d = diag_error(ck->sink, "E0072", st->decl->span, "recursive type `%s` has infinite size", st->name);
        diag_primary(d, "recursive type has infinite size");
        diag_label(d, st->fields[f].span, "recursive without indirection");
        diag_help(d, "a struct may contain itself only through `?%s` (or inside a list or map)", st->name);
        break;
      }
    }
  }
  char *state = seen;
  memset(state, 0, (size_t)ns + 1);
  int n = 0;
  for (int s = 0; s < ns; s++) order_struct(ck, src_order[s], state, &n);
  p->nstructs = n;
  free(seen);
  free(src_order);
}

// ---- functions and consts ----------------------------------------------------------

static void setup_fn(Ck *ck, FnDecl *fn) {
  fn->param_types = ast_alloc(ck->prog, ((size_t)fn->nparams + 1) * sizeof(Type *));
  for (int i = 0; i < fn->nparams; i++) {
    Param *pa = &fn->params[i];
    if (!pa->type) {
      Diag *d = diag_error(ck->sink, "E0282", pa->span, "type annotations needed for parameter `%s`", pa->name);
      diag_primary(d, "needs a type");
      diag_help(d, "native mode needs the type of every parameter: `%s: int`", pa->name);
      fn->param_types[i] = ck->t_err;
    } else {
      fn->param_types[i] = resolve_texpr(ck, pa->type, POS_PARAM);
    }
    for (int j = 0; j < i; j++)
      if (strcmp(fn->params[j].name, pa->name) == 0) {
        Diag *d = diag_error(ck->sink, "E0415", pa->span,
                             "identifier `%s` is bound more than once in this parameter list", pa->name);
        diag_primary(d, "used as parameter more than once");
        break;
      }
  }
  fn->ret_type = fn->ret ? resolve_texpr(ck, fn->ret, POS_RET) : ck->t_unit;
  if (strcmp(fn->name, "main") == 0 && (fn->nparams > 0 || fn->ret_type != ck->t_unit)) {
    Diag *d = diag_error(ck->sink, "E0580", fn->span, "`main` function has wrong type");
    diag_primary(d, "expected `fn main()`");
    diag_help(d, "`main` takes no parameters and returns nothing; use `args()` for the program's arguments");
  }
}

static void finish_fn(Ck *ck, Node *body);

// A const's value is evaluated wherever the const is used (Rust inlines
// consts), so it must be pure: no calls — rustc's E0015 ("calls in constants
// are limited to constant functions"). That is what makes both modes agree.
static void const_no_calls(Ck *ck, ConstDecl *cd, Node *n) {
  if (!n) return;
  if (n->kind == ND_CALL || n->kind == ND_METHOD || n->kind == ND_SPAWN) {
    Diag *d = diag_error(ck->sink, "E0015", n->span, "cannot call a function in the value of const `%s`",
                         cd->name);
    diag_primary(d, "calls are not allowed in constants");
    diag_help(d, "a const is evaluated wherever it is used; compute this value in a function instead");
    return;
  }
  const_no_calls(ck, cd, n->lhs);
  const_no_calls(ck, cd, n->rhs);
  for (int i = 0; i < n->nitems; i++) {
    const_no_calls(ck, cd, n->items[i]);
    if (n->values) const_no_calls(ck, cd, n->values[i]);
  }
}

// Consts are all checked before any function body (ck_check), lazily in
// the order they refer to each other; they declare no locals.
Type *ck_const_type(Ck *ck, ConstDecl *cd) {
  if (cd->ty) return cd->ty;
  for (int i = 0; i < ck->nconst_stack; i++)
    if (ck->const_stack[i] == cd) {
      Diag *d = diag_error(ck->sink, "E0391", cd->span, "cycle detected when checking const `%s`", cd->name);
      diag_primary(d, "its value refers to itself");
      return ck->t_err;
    }
  if (ck->nconst_stack == ck->capconst_stack) {
    ck->capconst_stack = ck->capconst_stack ? ck->capconst_stack * 2 : 8;
    ck->const_stack = rt_xrealloc(ck->const_stack, (size_t)ck->capconst_stack * sizeof(ConstDecl *));
  }
  ck->const_stack[ck->nconst_stack++] = cd;
  const_no_calls(ck, cd, cd->value);
  Type *want = cd->type ? resolve_texpr(ck, cd->type, POS_CONST) : NULL;
  Type *t = ck_value(ck, cd->value, want ? want : ty_var(ck->tc), true);
  finish_fn(ck, cd->value);
  t = ty_resolve(ck->tc, want ? want : t);
  if (t->has_var) t = ck->t_err;
  cd->ty = t;
  ck->nconst_stack--;
  return cd->ty;
}

// ---- statements --------------------------------------------------------------------

static bool stmt(Ck *ck, Node *n);
static bool match_stmt(Ck *ck, Node *n);

bool ck_block(Ck *ck, Node *n) {
  int mark = ck->nscope;
  int diverged = -1;  // the first statement after which the block cannot go on
  for (int i = 0; i < n->nitems; i++) {
    if (diverged >= 0 && diverged == i - 1) {
      // rustc's unreachable_code lint, once per block.
      Diag *w = diag_warning(ck->sink, "unreachable_code", n->items[i]->span, "unreachable statement");
      diag_primary(w, "unreachable statement");
      diag_label(w, n->items[diverged]->span, "any code following this is unreachable");
    }
    if (stmt(ck, n->items[i]) && diverged < 0) diverged = i;
  }
  pop_scope(ck, mark);
  return diverged >= 0;
}

static bool is_place(Node *n) {
  return (n->kind == ND_NAME && n->local) || n->kind == ND_INDEX || n->kind == ND_FIELD ||
         n->kind == ND_TUPLE_INDEX;
}

static bool stmt(Ck *ck, Node *n) {
  switch (n->kind) {
  case ND_LET: {
    Type *t = n->type ? resolve_texpr(ck, n->type, POS_LET) : NULL;
    if (n->lhs) {
      Type *v = ck_value(ck, n->lhs, t ? t : ty_var(ck->tc), false);
      if (!t) t = v;
    }
    if (!t) t = ty_var(ck->tc);
    n->local = ck_declare(ck, n->name, n->name_span, t, n->is_mut, LK_LET, n);
    return false;
  }
  case ND_ASSIGN: {
    bool compound = n->op != TK_EQ;
    Type *t = ck_assign_target(ck, n->lhs, compound);
    if (!compound) {
      ck_value(ck, n->rhs, t, false);
      return false;
    }
    Type *target = ty_find(t);
    Type *r = ck_operand(ck, n->rhs, t);
    bool ok;
    switch (target->kind) {
    case TY_INT: case TY_FLOAT: ok = true; break;
    case TY_STR: ok = n->op == TK_PLUS_EQ; break;
    case TY_ERROR: return false;
    case TY_VAR: ok = ty_unify(ck->tc, t, r) && (ty_find(t)->kind == TY_INT || ty_find(t)->kind == TY_FLOAT ||
                                                (ty_find(t)->kind == TY_STR && n->op == TK_PLUS_EQ) ||
                                                ty_find(t)->kind == TY_VAR);
      break;
    default: ok = false;
    }
    if (!ok) {
      char b[TY_STR_MAX];
      const char *op = ck_op_text(n->op);
      Diag *d = diag_error(ck->sink, "E0368", n->lhs->span,
                           "binary assignment operation `%s` cannot be applied to type `%s`", op,
                           ty_str(t, b, sizeof b));
      diag_primary(d, "cannot use `%s` on type `%s`", op, b);
      return false;
    }
    if (!ty_unify(ck->tc, t, r)) ck_mismatch(ck, n->rhs->span, t, r);
    return false;
  }
  case ND_EXPR_STMT: {
    Node *e = n->lhs;
    ck_expr(ck, e, NULL);
    e->use = is_place(e) ? USE_BORROW : USE_DROP;
    // `panic(…)` never returns (Rust's panic! has type `!`).
    return e->kind == ND_CALL && !e->fn && e->builtin == BI_panic && e->ty != ck->t_err;
  }
  case ND_IF: {
    ck_cond(ck, n->cond);
    bool a = ck_block(ck, n->then);
    if (!n->els) return false;
    bool b = n->els->kind == ND_IF ? stmt(ck, n->els) : ck_block(ck, n->els);
    return a && b;
  }
  case ND_WHILE:
    ck_cond(ck, n->cond);
    ck_block(ck, n->body);
    return false;  // even `while true` (Rust: only `loop` diverges)
  case ND_FOR_RANGE: {
    Type *a = ck_operand(ck, n->lhs, ck->t_int);
    if (!ty_unify(ck->tc, a, ck->t_int)) ck_mismatch(ck, n->lhs->span, ck->t_int, a);
    Type *b = ck_operand(ck, n->rhs, ck->t_int);
    if (!ty_unify(ck->tc, b, ck->t_int)) ck_mismatch(ck, n->rhs->span, ck->t_int, b);
    int mark = ck->nscope;
    n->local = ck_declare(ck, n->name, n->name_span, ck->t_int, false, LK_FOR, n);
    ck_block(ck, n->body);
    pop_scope(ck, mark);
    return false;
  }
  case ND_FOR_IN: {
    Type *t = ck_expr(ck, n->lhs, NULL);
    Type *f = ty_find(t);
    Type *x = ck->t_err;
    if (f->kind == TY_REF || f->kind == TY_REFMUT) {
      Type *l = ty_strip_refs(f);
      if (l->kind == TY_LIST) {
        x = ty_ref(ck->tc, l->elem, f->kind == TY_REFMUT && ty_find(f->elem)->kind == TY_LIST);
        n->lhs->use = USE_COPY;
        if (ty_find(f->elem)->kind != TY_LIST) n->lhs->deref = true;
        f = l;
      } else {
        f = l;
      }
    } else if (f->kind == TY_LIST) {
      x = f->elem;
      n->lhs->use = USE_PENDING_VALUE;
    }
    if (f->kind != TY_LIST && f->kind != TY_ERROR) {
      char b[TY_STR_MAX];
      if (f->kind == TY_VAR) {
        Diag *d = diag_error(ck->sink, "E0282", n->lhs->span, "type annotations needed");
        diag_primary(d, "cannot infer the type of what is iterated");
      } else {
        Diag *d = diag_error(ck->sink, "E0277", n->lhs->span, "`%s` is not a list", ty_str(f, b, sizeof b));
        diag_primary(d, "`for x in e` iterates over a list");
        if (f->kind == TY_MAP) diag_help(d, "iterate over the keys: `for k in m.keys()`");
        else if (f->kind == TY_STR) diag_help(d, "iterate over the words (`s.split_whitespace()`) or parts (`s.split(sep)`)");
        else if (f->kind == TY_INT) diag_help(d, "iterate over a range: `for i in 0..n`");
      }
      if (!n->lhs->use) n->lhs->use = USE_BORROW;
    }
    int mark = ck->nscope;
    n->local = ck_declare(ck, n->name, n->name_span, x, false, LK_FOR, n);
    ck_block(ck, n->body);
    pop_scope(ck, mark);
    return false;
  }
  case ND_BREAK:
  case ND_CONTINUE:
    return true;  // control does not reach what follows (the loop never counts as returning)
  case ND_RETURN: {
    if (!ck->fn) return true;
    Type *ret = ck->ret;
    if (n->lhs) {
      if (ty_find(ret)->kind == TY_UNIT) {
        Type *t = ck_expr(ck, n->lhs, NULL);
        if (ty_find(t)->kind != TY_UNIT && ty_find(t)->kind != TY_ERROR) {
          Diag *d = ck_mismatch(ck, n->lhs->span, ret, t);
          if (d) {
            char b[TY_STR_MAX];
            diag_label(d, ck->fn->span, "this function returns nothing");
            diag_help(d, "declare the return type: `fn %s(…) -> %s`", ck->fn->name, ty_str(t, b, sizeof b));
          }
        }
        n->lhs->use = USE_PENDING_VALUE;
      } else {
        ck_value(ck, n->lhs, ret, true);
      }
    } else if (ty_find(ret)->kind != TY_UNIT && ty_find(ret)->kind != TY_ERROR) {
      char b[TY_STR_MAX];
      Diag *d = diag_error(ck->sink, "E0069", n->span, "`return;` in a function whose return type is not `()`");
      diag_primary(d, "return type is not `()`");
      if (ck->fn->ret) diag_label(d, ck->fn->ret->span, "expected `%s` because of this return type", ty_str(ret, b, sizeof b));
      diag_help(d, "give the value to return: `return value;`");
    }
    return true;
  }
  case ND_MATCH:
    return match_stmt(ck, n);
  case ND_BLOCK:
    return ck_block(ck, n);
  default:
    // An expression in statement position is always wrapped in ND_EXPR_STMT.
    ck_expr(ck, n, NULL);
    return false;
  }
}

// ---- match -------------------------------------------------------------------------

static void pattern_mismatch(Ck *ck, Pattern *p, Node *scrut, Type *want, const char *found) {
  char b[TY_STR_MAX];
  if (ty_has_error(want)) return;
  Diag *d = diag_error(ck->sink, "E0308", p->span, "mismatched types");
  diag_primary(d, "expected `%s`, found %s", ty_str(want, b, sizeof b), found);
  diag_label(d, scrut->span, "this expression has type `%s`", b);
}

// Adds "`pat`" to a list of uncovered patterns, rustc's way.
typedef struct Missing {
  char text[512];
  int n;
  int shown;
} Missing;

static void missing_add(Missing *m, const char *pat) {
  m->n++;
  if (m->shown >= 3) return;
  size_t len = strlen(m->text);
  snprintf(m->text + len, sizeof m->text - len, "%s`%s`", m->shown ? "\x01" : "", pat);
  m->shown++;
}

static void missing_format(Missing *m, char *out, size_t size) {
  // "`A`", "`A` and `B`", "`A`, `B` and `C`", "`A`, `B`, `C` and 2 more"
  char parts[3][200] = {{0}};
  int np = 0;
  char *s = m->text;
  while (np < 3 && *s) {
    char *e = strchr(s, '\x01');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len >= sizeof parts[0]) len = sizeof parts[0] - 1;
    memcpy(parts[np], s, len);
    parts[np++][len] = '\0';
    s = e ? e + 1 : s + len;
  }
  if (m->n == 1) snprintf(out, size, "pattern %s", parts[0]);
  else if (m->n == 2) snprintf(out, size, "patterns %s and %s", parts[0], parts[1]);
  else if (m->n == 3) snprintf(out, size, "patterns %s, %s and %s", parts[0], parts[1], parts[2]);
  else snprintf(out, size, "patterns %s, %s, %s and %d more", parts[0], parts[1], parts[2], m->n - 3);
}

static bool match_stmt(Ck *ck, Node *n) {
  Type *st = ck_expr(ck, n->lhs, NULL);
  Type *f = ty_find(st);
  bool by_ref = f->kind == TY_REF || f->kind == TY_REFMUT;
  bool ref_mut = f->kind == TY_REFMUT;
  Type *t = by_ref ? ty_strip_refs(f) : f;
  if (by_ref) n->lhs->use = USE_COPY;
  // A scrutinee of unknown type: the patterns decide (`None` makes it ?_).
  bool binds = false;
  bool wild = false, seen_true = false, seen_false = false, seen_none = false, seen_some = false;
  char *seen_variant = NULL;
  EnumInfo *en = NULL;
  bool diverges = n->nitems > 0;
  for (int i = 0; i < n->nitems; i++) {
    Node *arm = n->items[i];
    Pattern *p = arm->pat;
    t = ty_find(t);
    int mark = ck->nscope;
    if (p) {
      switch (p->kind) {
      case PAT_WILD: wild = true; break;
      case PAT_INT:
      case PAT_STR:
      case PAT_BOOL: {
        Type *pt = p->kind == PAT_INT ? ck->t_int : p->kind == PAT_STR ? ck->t_str : ck->t_bool;
        if (!ty_unify(ck->tc, t, pt)) {
          pattern_mismatch(ck, p, n->lhs, t, p->kind == PAT_INT ? "`int`" : p->kind == PAT_STR ? "`str`" : "`bool`");
        } else if (p->kind == PAT_BOOL) {
          if (p->bval) seen_true = true;
          else seen_false = true;
        }
        break;
      }
      case PAT_NONE:
      case PAT_SOME: {
        Type *elem = ty_var(ck->tc);
        if (!ty_unify(ck->tc, t, ty_option(ck->tc, elem))) {
          pattern_mismatch(ck, p, n->lhs, t, "an option");
          elem = ck->t_err;
        } else {
          t = ty_find(t);
          elem = t->kind == TY_OPTION ? t->elem : ck->t_err;
        }
        if (p->kind == PAT_NONE) {
          seen_none = true;
        } else {
          seen_some = true;
          if (p->name) {
            Type *bt = by_ref ? ty_ref(ck->tc, elem, ref_mut) : elem;
            p->local = ck_declare(ck, p->name, p->name_span, bt, false, LK_MATCH, arm);
            if (!by_ref) binds = true;
          }
        }
        break;
      }
      case PAT_VARIANT: {
        Item *it = ck_item(ck, p->enum_name, IT_ENUM);
        if (!it) {
          Diag *d = diag_error(ck->sink, "E0433", p->span, "failed to resolve: use of undeclared type `%s`",
                               p->enum_name);
          diag_primary(d, "use of undeclared type `%s`", p->enum_name);
          ck_similar_item(ck, d, p->enum_name, 1u << IT_ENUM, NULL, NULL);
          break;
        }
        EnumInfo *pe = it->en.ty->en;
        if (!ty_unify(ck->tc, t, pe->type)) {
          char b[TY_STR_MAX + 8];
          snprintf(b, sizeof b, "`%s`", pe->name);
          pattern_mismatch(ck, p, n->lhs, t, b);
          break;
        }
        int v = -1;
        for (int j = 0; j < pe->nvariants; j++)
          if (strcmp(pe->variants[j], p->name) == 0) v = j;
        if (v < 0) {
          Diag *d = diag_error(ck->sink, "E0599", p->name_span, "no variant named `%s` found for enum `%s`",
                               p->name, pe->name);
          diag_primary(d, "variant not found in `%s`", pe->name);
          break;
        }
        p->index = v;
        if (!en) {
          en = pe;
          seen_variant = rt_xcalloc((size_t)pe->nvariants + 1, 1);
        }
        if (en == pe) seen_variant[v] = 1;
        break;
      }
      }
      p->ty = t;
    }
    if (arm->body && !ck_block(ck, arm->body)) diverges = false;
    pop_scope(ck, mark);
  }
  if (!by_ref) n->lhs->use = binds ? USE_PENDING_MATCH : USE_PENDING_READ;
  // Patterns are typed; now exhaustiveness (E0004).
  t = ty_find(t);
  Missing m = {{0}, 0, 0};
  if (!wild && t->kind != TY_ERROR) {
    switch (t->kind) {
    case TY_BOOL:
      if (!seen_true) missing_add(&m, "true");
      if (!seen_false) missing_add(&m, "false");
      break;
    case TY_OPTION:
      if (!seen_none) missing_add(&m, "None");
      if (!seen_some) missing_add(&m, "Some(_)");
      break;
    case TY_ENUM:
      for (int j = 0; j < t->en->nvariants; j++)
        if (!seen_variant || en != t->en || !seen_variant[j]) {
          char b[300];
          snprintf(b, sizeof b, "%s::%s", t->en->name, t->en->variants[j]);
          missing_add(&m, b);
        }
      break;
    case TY_VAR:
      break;  // only wildcard arms (or none): reported as E0282 at the end
    default:
      missing_add(&m, "_");
      break;
    }
  }
  free(seen_variant);
  if (m.n) {
    char pats[700], b[TY_STR_MAX];
    missing_format(&m, pats, sizeof pats);
    Diag *d = diag_error(ck->sink, "E0004", n->lhs->span, "non-exhaustive patterns: %s not covered",
                         pats + (m.n == 1 ? 8 : 9));
    diag_primary(d, "%s not covered", pats);
    diag_note(d, "the matched value is of type `%s`", ty_str(t, b, sizeof b));
    if (t->kind == TY_INT || t->kind == TY_STR || t->kind == TY_FLOAT || m.n > 3)
      diag_help(d, "add a wildcard arm at the end: `_ => { … }`");
    else
      diag_help(d, "add an arm for each missing pattern, or a wildcard arm `_ => { … }`");
  }
  return diverges;
}

// ---- the end of a function: resolve types, settle copies and moves -----------------

static void report_unresolved(Ck *ck, Span span, Type *t, const char *name) {
  char b[TY_STR_MAX];
  Diag *d;
  if (name) {
    d = diag_error(ck->sink, "E0282", span, "type annotations needed for `%s`", ty_str(t, b, sizeof b));
    diag_primary(d, "cannot infer the type of `%s`", name);
    diag_help(d, "give `%s` an explicit type: `let %s: %s = …`", name, name,
              ty_find(t)->kind == TY_VAR ? "TYPE" : b);
  } else {
    d = diag_error(ck->sink, "E0282", span, "type annotations needed");
    diag_primary(d, "cannot infer the type `%s`", ty_str(t, b, sizeof b));
    diag_help(d, "give the value a type through a variable: `let x: TYPE = …`");
  }
}

// Binds every variable still free in t to the error type (after reporting).
static void poison(Ck *ck, Type *t) {
  t = ty_find(t);
  if (t->kind == TY_VAR) {
    t->bound = ck->t_err;
    return;
  }
  if (!t->has_var) return;
  if (t->elem) poison(ck, t->elem);
  if (t->key) poison(ck, t->key);
  for (int i = 0; i < t->nitems; i++) poison(ck, t->items[i]);
}

static Type *settle(Ck *ck, Type *t, Span span) {
  if (!t) return t;
  Type *r = ty_resolve(ck->tc, t);
  if (r->has_var) {
    report_unresolved(ck, span, r, NULL);
    poison(ck, t);
    r = ty_resolve(ck->tc, t);
  }
  return r;
}

// E0507: where a place of move type being moved lives, when moving out of it
// is forbidden: a list element, a map value, or behind a reference.
typedef enum { MO_NONE, MO_LIST, MO_MAP, MO_SHARED_REF, MO_MUT_REF } MoveOut;

// Sets *culprit to the node that is the index or the dereference.
static MoveOut move_out_of(Node *n, Node **culprit) {
  if (n->deref) {
    *culprit = n;
    return ty_find(n->ty)->kind == TY_REFMUT ? MO_MUT_REF : MO_SHARED_REF;
  }
  switch (n->kind) {
  case ND_INDEX:
    *culprit = n;
    return ty_strip_refs(n->lhs->ty)->kind == TY_MAP ? MO_MAP : MO_LIST;
  case ND_FIELD:
  case ND_TUPLE_INDEX: return move_out_of(n->lhs, culprit);
  default: return MO_NONE;
  }
}

static void settle_use(Ck *ck, Node *n) {
  if (n->use < USE_PENDING_READ) return;
  Type *t = n->deref ? ty_strip_refs(n->ty) : n->ty;
  bool copy = ty_is_copy(t);
  if (n->use == USE_PENDING_READ) {
    n->use = copy ? USE_COPY : USE_BORROW;
    return;
  }
  if (copy) {
    n->use = USE_COPY;
    return;
  }
  n->use = USE_MOVE;
  if (ty_has_error(t)) return;
  Node *culprit = NULL;
  MoveOut where = move_out_of(n, &culprit);
  if (where == MO_NONE) return;
  char b[TY_STR_MAX], text[200], ct[TY_STR_MAX];
  source_text(ck->prog->src, n->span, text, sizeof text);
  ty_str(t, b, sizeof b);
  Diag *d;
  if (where == MO_LIST || where == MO_MAP) {
    d = diag_error(ck->sink, "E0507", n->span, "cannot move out of index of `%s`",
                   ty_str(ty_strip_refs(culprit->lhs->ty), ct, sizeof ct));
  } else {
    d = diag_error(ck->sink, "E0507", n->span, "cannot move out of `%s%s` which is behind a %s",
                   n == culprit && n->kind == ND_NAME ? "*" : "", text,
                   where == MO_MUT_REF ? "mutable reference" : "shared reference");
  }
  diag_primary(d, "move occurs because %s has type `%s`, which is not a copy type",
               n->kind == ND_NAME ? "the referenced value" : "the value", b);
  if (where == MO_LIST && n->kind != ND_NAME)
    diag_help(d, "clone it: `%s.clone()`, or take it out of the list with `pop`, `remove` or `swap`", text);
  else if (where == MO_MAP)
    diag_help(d, "clone it: `%s.clone()`, or take it out of the map with `remove`", text);
  else
    diag_help(d, "clone it: `%s.clone()`", text);
}

static void finish_expr(Ck *ck, Node *n);

static void finish_list(Ck *ck, Node **items, int n) {
  for (int i = 0; i < n; i++)
    if (items[i]) finish_expr(ck, items[i]);
}

static void finish_expr(Ck *ck, Node *n) {
  if (!n) return;
  switch (n->kind) {
  case ND_LET:
    finish_expr(ck, n->lhs);
    break;
  case ND_ASSIGN:
    finish_expr(ck, n->lhs);
    finish_expr(ck, n->rhs);
    break;
  case ND_EXPR_STMT:
  case ND_RETURN:
    finish_expr(ck, n->lhs);
    break;
  case ND_IF:
    finish_expr(ck, n->cond);
    finish_expr(ck, n->then);
    finish_expr(ck, n->els);
    break;
  case ND_WHILE:
    finish_expr(ck, n->cond);
    finish_expr(ck, n->body);
    break;
  case ND_FOR_RANGE:
  case ND_FOR_IN:
    finish_expr(ck, n->lhs);
    finish_expr(ck, n->rhs);
    finish_expr(ck, n->body);
    break;
  case ND_MATCH:
    finish_expr(ck, n->lhs);
    for (int i = 0; i < n->nitems; i++) {
      Node *arm = n->items[i];
      if (arm->pat && arm->pat->ty) arm->pat->ty = settle(ck, arm->pat->ty, arm->pat->span);
      finish_expr(ck, arm->body);
    }
    break;
  case ND_BLOCK:
    finish_list(ck, n->items, n->nitems);
    break;
  case ND_BREAK:
  case ND_CONTINUE:
  case ND_ARM:
    break;
  default:
    // An expression: children first (their E0282s are more precise).
    finish_expr(ck, n->lhs);
    finish_expr(ck, n->rhs);
    finish_list(ck, n->items, n->nitems);
    if (n->kind == ND_MAP) finish_list(ck, n->values, n->nitems);
    n->ty = settle(ck, n->ty ? n->ty : ck->t_err, n->span);
    if (n->recv_ty) n->recv_ty = ty_resolve(ck->tc, n->recv_ty);
    if (n->kind == ND_METHOD && n->ty->kind != TY_ERROR) ck_method_late(ck, n);
    if (n->kind == ND_MAP) {
      Type *k = ty_find(n->ty)->key;
      if (k && !key_ok(k)) {
        char b[TY_STR_MAX];
        Diag *d = diag_error(ck->sink, "E0277", n->nitems ? n->items[0]->span : n->span,
                             "`%s` cannot be a map key", ty_str(k, b, sizeof b));
        diag_primary(d, "map keys must be `int` or `str`");
      }
    }
    settle_use(ck, n);
    if (n->use == USE_NONE) n->use = USE_BORROW;
    break;
  }
}

static void finish_fn(Ck *ck, Node *body) {
  // Locals first, in declaration order: "type annotations needed for `[_]`"
  // at the `let` is the most helpful place.
  for (int i = 0; i < ck->nlocals; i++) {
    Local *l = ck->locals[i];
    Type *r = ty_resolve(ck->tc, l->type);
    // A `for` or match variable's type comes from an expression, which is
    // reported instead (at the expression).
    if (r->has_var && (l->kind == LK_LET || l->kind == LK_PARAM)) {
      report_unresolved(ck, l->span, r, l->name);
      poison(ck, l->type);
      r = ty_resolve(ck->tc, l->type);
    }
    l->type = r;
  }
  finish_expr(ck, body);
  for (int i = 0; i < ck->nlocals; i++) {
    Local *l = ck->locals[i];
    if (!l->type->has_var) continue;
    Type *r = ty_resolve(ck->tc, l->type);
    if (r->has_var) {
      report_unresolved(ck, l->span, r, l->name);
      poison(ck, l->type);
      r = ty_resolve(ck->tc, l->type);
    }
    l->type = r;
  }
}

static void check_fn(Ck *ck, FnDecl *fn) {
  ck->fn = fn;
  ck->ret = fn->ret_type;
  ck->nlocals = 0;
  int mark = ck->nscope;
  for (int i = 0; i < fn->nparams; i++) {
    Param *pa = &fn->params[i];
    Local *l = ck_declare(ck, pa->name, pa->span, fn->param_types[i], pa->is_mut, LK_PARAM, NULL);
    l->param = i;
    pa->local = l;
  }
  bool diverges = fn->body ? ck_block(ck, fn->body) : false;
  pop_scope(ck, mark);
  Type *ret = ty_find(fn->ret_type);
  if (!diverges && ret->kind != TY_UNIT && ret->kind != TY_ERROR) {
    char b[TY_STR_MAX];
    Diag *d = diag_error(ck->sink, "E0308", fn->ret->span, "mismatched types");
    diag_primary(d, "expected `%s`, found `()`", ty_str(ret, b, sizeof b));
    diag_label(d, fn->span, "implicitly returns `()` as not all paths end in `return`");
    diag_help(d, "end every path through `%s` with `return value;` (an `if` without `else`, or a "
                 "`while` loop, may finish without returning)", fn->name);
  }
  finish_fn(ck, fn->body);
  fn->nlocals = ck->nlocals;
  fn->locals = ast_alloc(ck->prog, ((size_t)ck->nlocals + 1) * sizeof(Local *));
  if (ck->nlocals) memcpy(fn->locals, ck->locals, (size_t)ck->nlocals * sizeof(Local *));
  ck->fn = NULL;
}

bool ck_check(Program *prog, DiagSink *sink) {
  Ck ck = {0};
  ck.prog = prog;
  ck.sink = sink;
  int before = sink->total;
  ck.tc = prog->types ? prog->types : ty_ctx_new(prog);
  prog->types = ck.tc;
  ck.t_int = ty_prim(ck.tc, TY_INT);
  ck.t_float = ty_prim(ck.tc, TY_FLOAT);
  ck.t_bool = ty_prim(ck.tc, TY_BOOL);
  ck.t_str = ty_prim(ck.tc, TY_STR);
  ck.t_unit = ty_prim(ck.tc, TY_UNIT);
  ck.t_err = ty_prim(ck.tc, TY_ERROR);
  for (int i = 0; i < prog->nitems; i++) {
    Item *it = prog->items[i];
    const char *name = ast_item_name(it);
    if (!name) continue;
    NameSlot *s = intern_slot(&ck, name);
    if (!s->item) s->item = it;  // duplicates are the parser's L0107
  }
  setup_types(&ck);
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) setup_fn(&ck, &prog->items[i]->fn);
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_CONST) ck_const_type(&ck, &prog->items[i]->cn);
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) check_fn(&ck, &prog->items[i]->fn);
  free(ck.slots);
  free(ck.locals);
  free(ck.scope);
  free(ck.const_stack);
  return sink->total == before;
}

// ---- ownership per line (lab profile) ------------------------------------------------
static void line_uses(const Node *n, int nlines, int *moves, int *borrows) {
  if (!n) return;
  bool place = n->kind == ND_NAME || n->kind == ND_FIELD || n->kind == ND_INDEX || n->kind == ND_TUPLE_INDEX;
  int line = n->span.line >= 0 && n->span.line <= nlines ? n->span.line : 0;
  if (place && n->use == USE_MOVE && !(n->kind == ND_NAME && !n->local)) moves[line]++;  // not a const
  if (place && (n->use == USE_BORROW || n->use == USE_BORROW_MUT)) borrows[line]++;
  const Node *kids[] = {n->lhs, n->rhs, n->cond, n->then, n->els, n->body};
  for (size_t i = 0; i < sizeof kids / sizeof kids[0]; i++) line_uses(kids[i], nlines, moves, borrows);
  for (int i = 0; i < n->nitems; i++) {
    line_uses(n->items[i], nlines, moves, borrows);
    if (n->values) line_uses(n->values[i], nlines, moves, borrows);
  }
}

void ck_line_uses(const Program *prog, int nlines, int *moves, int *borrows) {
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) line_uses(prog->items[i]->fn.body, nlines, moves, borrows);
}
