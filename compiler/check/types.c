// types.c — construction, interning, unification and printing of the static
// types of native mode (see types.h).
//
// The interning table is an open hash table of chains keyed by a type's kind
// and its children's pointers (children are interned first, so pointer
// identity of children is structural identity). It lives in the Program's
// arena: when it grows, the old bucket array is simply abandoned (the total
// waste is bounded by the final size, as the table doubles).
#include <stdio.h>
#include <string.h>

#include "types.h"

struct TyCtx {
  Program *prog;
  Type **buckets;
  uint32_t nbuckets;   // a power of two
  uint32_t count;
  int next_var;
  Type *prims[TY_UNIT + 1];
};

static uint32_t mix(uint32_t h, uintptr_t v) {
  uint64_t x = (uint64_t)v;
  h ^= (uint32_t)x + 0x9e3779b9u + (h << 6) + (h >> 2);
  h ^= (uint32_t)(x >> 32);
  return h * 0x85ebca6bu;
}

static uint32_t hash_of(const Type *t) {
  uint32_t h = mix(2166136261u, (uintptr_t)t->kind);
  h = mix(h, (uintptr_t)t->elem);
  h = mix(h, (uintptr_t)t->key);
  h = mix(h, (uintptr_t)t->st);
  h = mix(h, (uintptr_t)t->en);
  for (int i = 0; i < t->nitems; i++) h = mix(h, (uintptr_t)t->items[i]);
  return h;
}

static bool same_shape(const Type *a, const Type *b) {
  if (a->kind != b->kind || a->elem != b->elem || a->key != b->key || a->st != b->st || a->en != b->en ||
      a->nitems != b->nitems)
    return false;
  for (int i = 0; i < a->nitems; i++)
    if (a->items[i] != b->items[i]) return false;
  return true;
}

static void grow(TyCtx *c) {
  uint32_t n = c->nbuckets ? c->nbuckets * 2 : 256;
  Type **b = ast_alloc(c->prog, n * sizeof(Type *));
  for (uint32_t i = 0; i < c->nbuckets; i++) {
    Type *t = c->buckets[i];
    while (t) {
      Type *next = t->next;
      uint32_t j = t->hash & (n - 1);
      t->next = b[j];
      b[j] = t;
      t = next;
    }
  }
  c->buckets = b;
  c->nbuckets = n;
}

// Returns the interned twin of the (stack) template `k`.
static Type *intern(TyCtx *c, Type *k) {
  k->hash = hash_of(k);
  uint32_t j = k->hash & (c->nbuckets - 1);
  for (Type *t = c->buckets[j]; t; t = t->next)
    if (t->hash == k->hash && same_shape(t, k)) return t;
  if (c->count >= c->nbuckets) {
    grow(c);
    j = k->hash & (c->nbuckets - 1);
  }
  Type *t = ast_alloc(c->prog, sizeof(Type));
  *t = *k;
  if (k->nitems) {
    t->items = ast_alloc(c->prog, (size_t)k->nitems * sizeof(Type *));
    memcpy(t->items, k->items, (size_t)k->nitems * sizeof(Type *));
  }
  t->has_var = (t->elem && t->elem->has_var) || (t->key && t->key->has_var);
  for (int i = 0; i < t->nitems; i++) t->has_var |= t->items[i]->has_var;
  t->next = c->buckets[j];
  c->buckets[j] = t;
  c->count++;
  return t;
}

TyCtx *ty_ctx_new(Program *prog) {
  TyCtx *c = ast_alloc(prog, sizeof(TyCtx));
  c->prog = prog;
  grow(c);
  for (int k = TY_ERROR; k <= TY_UNIT; k++) {
    Type key = {.kind = (TypeKind)k};
    c->prims[k] = intern(c, &key);
  }
  return c;
}

Type *ty_prim(TyCtx *c, TypeKind kind) { return c->prims[kind <= TY_UNIT ? kind : TY_ERROR]; }

static Type *with_elem(TyCtx *c, TypeKind kind, Type *elem) {
  Type key = {.kind = kind, .elem = elem};
  return intern(c, &key);
}

Type *ty_list(TyCtx *c, Type *elem) { return with_elem(c, TY_LIST, elem); }
Type *ty_option(TyCtx *c, Type *elem) { return with_elem(c, TY_OPTION, elem); }
Type *ty_ref(TyCtx *c, Type *elem, bool mut) { return with_elem(c, mut ? TY_REFMUT : TY_REF, elem); }
Type *ty_thread(TyCtx *c, Type *elem) { return with_elem(c, TY_THREAD, elem); }

Type *ty_map(TyCtx *c, Type *key, Type *val) {
  Type k = {.kind = TY_MAP, .key = key, .elem = val};
  return intern(c, &k);
}

Type *ty_tuple(TyCtx *c, Type **items, int n) {
  if (n == 0) return c->prims[TY_UNIT];
  Type k = {.kind = TY_TUPLE, .items = items, .nitems = n};
  return intern(c, &k);
}

Type *ty_struct(TyCtx *c, StructInfo *st) {
  Type k = {.kind = TY_STRUCT, .st = st};
  return intern(c, &k);
}

Type *ty_enum(TyCtx *c, EnumInfo *en) {
  Type k = {.kind = TY_ENUM, .en = en};
  return intern(c, &k);
}

Type *ty_var(TyCtx *c) {
  Type *t = ast_alloc(c->prog, sizeof(Type));
  t->kind = TY_VAR;
  t->var_id = c->next_var++;
  t->has_var = true;
  return t;
}

Type *ty_find(Type *t) {
  Type *r = t;
  while (r->kind == TY_VAR && r->bound) r = r->bound;
  // Path compression keeps long chains from making look-ups slow.
  while (t->kind == TY_VAR && t->bound && t->bound != r) {
    Type *next = t->bound;
    t->bound = r;
    t = next;
  }
  return r;
}

Type *ty_resolve(TyCtx *c, Type *t) {
  t = ty_find(t);
  if (!t->has_var || t->kind == TY_VAR) return t;
  switch (t->kind) {
  case TY_LIST: return ty_list(c, ty_resolve(c, t->elem));
  case TY_OPTION: return ty_option(c, ty_resolve(c, t->elem));
  case TY_REF: return ty_ref(c, ty_resolve(c, t->elem), false);
  case TY_REFMUT: return ty_ref(c, ty_resolve(c, t->elem), true);
  case TY_THREAD: return ty_thread(c, ty_resolve(c, t->elem));
  case TY_MAP: return ty_map(c, ty_resolve(c, t->key), ty_resolve(c, t->elem));
  case TY_TUPLE: {
    Type *small[8];
    Type **items = t->nitems <= 8 ? small : ast_alloc(c->prog, (size_t)t->nitems * sizeof(Type *));
    for (int i = 0; i < t->nitems; i++) items[i] = ty_resolve(c, t->items[i]);
    return ty_tuple(c, items, t->nitems);
  }
  default: return t;
  }
}

static bool occurs(Type *v, Type *t) {
  t = ty_find(t);
  if (t == v) return true;
  if (!t->has_var) return false;
  if (t->elem && occurs(v, t->elem)) return true;
  if (t->key && occurs(v, t->key)) return true;
  for (int i = 0; i < t->nitems; i++)
    if (occurs(v, t->items[i])) return true;
  return false;
}

bool ty_unify(TyCtx *c, Type *a, Type *b) {
  a = ty_find(a);
  b = ty_find(b);
  if (a == b) return true;
  if (a->kind == TY_ERROR || b->kind == TY_ERROR) return true;
  if (a->kind == TY_VAR) {
    if (occurs(a, b)) return false;
    a->bound = b;
    return true;
  }
  if (b->kind == TY_VAR) return ty_unify(c, b, a);
  if (!a->has_var && !b->has_var) return ty_has_error(a) || ty_has_error(b);
  if (a->kind != b->kind || a->nitems != b->nitems || a->st != b->st || a->en != b->en) return false;
  if (a->key && !ty_unify(c, a->key, b->key)) return false;
  if (a->elem && !ty_unify(c, a->elem, b->elem)) return false;
  for (int i = 0; i < a->nitems; i++)
    if (!ty_unify(c, a->items[i], b->items[i])) return false;
  return true;
}

bool ty_is_copy(Type *t) {
  t = ty_find(t);
  switch (t->kind) {
  case TY_ERROR: case TY_INT: case TY_FLOAT: case TY_BOOL: case TY_UNIT: case TY_ENUM: case TY_REF:
    return true;
  case TY_OPTION: return ty_is_copy(t->elem);
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++)
      if (!ty_is_copy(t->items[i])) return false;
    return true;
  default: return false;
  }
}

bool ty_is_ref(Type *t) {
  t = ty_find(t);
  return t->kind == TY_REF || t->kind == TY_REFMUT;
}

Type *ty_strip_refs(Type *t) {
  t = ty_find(t);
  while (t->kind == TY_REF || t->kind == TY_REFMUT) t = ty_find(t->elem);
  return t;
}

bool ty_has_error(Type *t) {
  t = ty_find(t);
  if (t->kind == TY_ERROR) return true;
  if (t->elem && ty_has_error(t->elem)) return true;
  if (t->key && ty_has_error(t->key)) return true;
  for (int i = 0; i < t->nitems; i++)
    if (ty_has_error(t->items[i])) return true;
  return false;
}

// ---- printing --------------------------------------------------------------------

typedef struct Out {
  char *buf;
  size_t size, len;
} Out;

static void put(Out *o, const char *s) {
  size_t n = strlen(s);
  if (o->len + 1 >= o->size) return;
  size_t room = o->size - 1 - o->len;
  if (n > room) n = room;
  memcpy(o->buf + o->len, s, n);
  o->len += n;
  o->buf[o->len] = '\0';
}

static void print_type(Out *o, Type *t, int depth) {
  t = ty_find(t);
  if (depth > 40) {
    put(o, "...");
    return;
  }
  switch (t->kind) {
  case TY_ERROR: put(o, "{error}"); break;
  case TY_INT: put(o, "int"); break;
  case TY_FLOAT: put(o, "float"); break;
  case TY_BOOL: put(o, "bool"); break;
  case TY_STR: put(o, "str"); break;
  case TY_UNIT: put(o, "()"); break;
  case TY_VAR: put(o, "_"); break;
  case TY_LIST: put(o, "["); print_type(o, t->elem, depth + 1); put(o, "]"); break;
  case TY_MAP:
    put(o, "{");
    print_type(o, t->key, depth + 1);
    put(o, ": ");
    print_type(o, t->elem, depth + 1);
    put(o, "}");
    break;
  case TY_TUPLE:
    put(o, "(");
    for (int i = 0; i < t->nitems; i++) {
      if (i) put(o, ", ");
      print_type(o, t->items[i], depth + 1);
    }
    put(o, t->nitems == 1 ? ",)" : ")");
    break;
  case TY_OPTION: put(o, "?"); print_type(o, t->elem, depth + 1); break;
  case TY_REF: put(o, "&"); print_type(o, t->elem, depth + 1); break;
  case TY_REFMUT: put(o, "&mut "); print_type(o, t->elem, depth + 1); break;
  case TY_THREAD: put(o, "thread["); print_type(o, t->elem, depth + 1); put(o, "]"); break;
  case TY_STRUCT: put(o, t->st->name); break;
  case TY_ENUM: put(o, t->en->name); break;
  }
}

const char *ty_str(Type *t, char *buf, size_t size) {
  Out o = {buf, size, 0};
  if (size) buf[0] = '\0';
  print_type(&o, t, 0);
  return buf;
}
