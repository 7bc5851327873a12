// ops.c — what the interp VM does to values (vm/object.h): arithmetic and
// bitwise operators, negation, structural equality, ordering, indexing,
// fields, deep clone, truthiness and iterators. The rules are SPEC §5 and
// docs/semantics.md "Operators"; the error messages are Python's wording or
// the shared ones of runtime/rterror.h, word for word.
#include "object.h"
#include "alloc.h"
#include "table.h"
#include "gc.h"
#include "objlock.h"
#include "str.h"
#include "list.h"
#include "print.h"
#include "ops.h"
#include "suggest.h"

#include <math.h>
#include <string.h>

static const char *const binop_symbol[] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"};

const char *ops_type_name(Obj *o) {
  switch ((ObjType)o->type) {
  case T_NONE: return "NoneType";
  case T_BOOL: return "bool";
  case T_INT: return "int";
  case T_FLOAT: return "float";
  case T_STR: return "str";
  case T_LIST: return "list";
  case T_MAP: return "map";
  case T_TUPLE: return "tuple";
  case T_STRUCT: return ((StructObj *)o)->def->name->data;
  case T_ENUM: return ((EnumObj *)o)->def->name->data;
  case T_SOME: return "Some";
  case T_ITER: return "iterator";
  case T_THREAD: return "thread";
  case T_COUNT: break;
  }
  return "object";
}

// Python truthiness (docs/semantics.md "Operators").
bool ops_truthy(Obj *o) {
  switch ((ObjType)o->type) {
  case T_NONE: return false;
  case T_BOOL:
  case T_INT: return int_value(o) != 0;
  case T_FLOAT: return float_value(o) != 0.0;
  case T_STR: return ((StrObj *)o)->len != 0;
  case T_LIST:
  case T_MAP: {
    obj_lock(o);
    bool r = o->type == T_LIST ? ((ListObj *)o)->len != 0 : ((MapObj *)o)->t.len != 0;
    obj_unlock(o);
    return r;
  }
  case T_TUPLE: return ((TupleObj *)o)->len != 0;
  default: return true;
  }
}

// ---- arithmetic ----------------------------------------------------------------------
static Obj *overflow(const char *what) {
  char buf[128];
  return obj_raise(RT_OVERFLOW, "%s", rt_msg_overflow(buf, what));
}

static Obj *unsupported(BinOp op, Obj *a, Obj *b) {
  // CPython's words when the left operand is a str or list: `"n = " + 5`.
  if (op == BIN_ADD && (a->type == T_STR || a->type == T_LIST) && b->type != a->type)
    return obj_raise(RT_TYPE, "can only concatenate %s (not \"%s\") to %s", ops_type_name(a), ops_type_name(b),
                     ops_type_name(a));
  return obj_raise(RT_TYPE, "unsupported operand type(s) for %s: '%s' and '%s'", binop_symbol[op],
                   ops_type_name(a), ops_type_name(b));
}

// i64 arithmetic with Rust's checks (SPEC §5): overflow, division by zero
// and shift counts outside 0..63 are errors; `/` truncates, `%` follows the
// dividend's sign; shifting bits out of a value is not an error.
static Obj *int_binary(BinOp op, int64_t x, int64_t y) {
  int64_t r;
  switch (op) {
  case BIN_ADD:
    if (__builtin_add_overflow(x, y, &r)) return overflow("add");
    break;
  case BIN_SUB:
    if (__builtin_sub_overflow(x, y, &r)) return overflow("subtract");
    break;
  case BIN_MUL:
    if (__builtin_mul_overflow(x, y, &r)) return overflow("multiply");
    break;
  case BIN_DIV:
    if (y == 0) return obj_raise(RT_ZERO_DIV, RT_MSG_DIV_ZERO);
    if (x == INT64_MIN && y == -1) return overflow("divide");
    r = x / y;
    break;
  case BIN_MOD:
    if (y == 0) return obj_raise(RT_ZERO_DIV, RT_MSG_REM_ZERO);
    if (x == INT64_MIN && y == -1) return overflow("calculate the remainder");
    r = x % y;
    break;
  case BIN_AND: r = x & y; break;
  case BIN_OR: r = x | y; break;
  case BIN_XOR: r = x ^ y; break;
  case BIN_SHL:
    if ((uint64_t)y > 63) return overflow("shift left");
    r = (int64_t)((uint64_t)x << y);
    break;
  case BIN_SHR:
    if ((uint64_t)y > 63) return overflow("shift right");
    r = x >> y;  // arithmetic on every compiler the lab supports
    break;
  default: return NULL;
  }
  return alloc_int(r);
}

static Obj *concat_str(StrObj *a, StrObj *b) {
  StrObj *s = (StrObj *)str_new(NULL, a->len + b->len);  // lengths fit in ptrdiff_t: no overflow
  if (!s) return NULL;
  memcpy(s->data, a->data, (size_t)a->len);
  memcpy(s->data + a->len, b->data, (size_t)b->len);
  return (Obj *)s;
}

// Both lists at once (vm/objlock.h: two locks, in address order).
static Obj *concat_list(ListObj *a, ListObj *b) {
  obj_lock2((Obj *)a, (Obj *)b);
  Obj *l = list_new(a->len + b->len);
  if (l) {
    // The room is there already: these appends cannot fail.
    for (int64_t i = 0; i < a->len; i++) list_append(l, a->items[i]);
    for (int64_t i = 0; i < b->len; i++) list_append(l, b->items[i]);
  }
  obj_unlock2((Obj *)a, (Obj *)b);
  return l;
}

Obj *ops_binary(BinOp op, Obj *a, Obj *b) {
  uint32_t ta = a->type, tb = b->type;
  if (ta == T_INT && tb == T_INT) return int_binary(op, int_value(a), int_value(b));
  if ((ta == T_FLOAT || tb == T_FLOAT) && (ta == T_INT || ta == T_FLOAT) &&
      (tb == T_INT || tb == T_FLOAT)) {
    // int with float mixes to float (Python); IEEE, so x/0.0 is inf or nan.
    double x = ta == T_FLOAT ? float_value(a) : (double)int_value(a);
    double y = tb == T_FLOAT ? float_value(b) : (double)int_value(b);
    switch (op) {
    case BIN_ADD: return alloc_float(x + y);
    case BIN_SUB: return alloc_float(x - y);
    case BIN_MUL: return alloc_float(x * y);
    case BIN_DIV: return alloc_float(x / y);
    case BIN_MOD: return alloc_float(fmod(x, y));
    default: return unsupported(op, a, b);
    }
  }
  if (ta == T_BOOL && tb == T_BOOL) {
    int64_t x = int_value(a), y = int_value(b);
    switch (op) {
    case BIN_AND: return bool_obj(x & y);
    case BIN_OR: return bool_obj(x | y);
    case BIN_XOR: return bool_obj(x ^ y);
    default: return unsupported(op, a, b);
    }
  }
  if (op == BIN_ADD && ta == T_STR && tb == T_STR) return concat_str((StrObj *)a, (StrObj *)b);
  if (op == BIN_ADD && ta == T_LIST && tb == T_LIST) return concat_list((ListObj *)a, (ListObj *)b);
  return unsupported(op, a, b);
}

Obj *ops_negate(Obj *a) {
  if (a->type == T_INT) {
    int64_t r;
    if (__builtin_sub_overflow((int64_t)0, int_value(a), &r)) return overflow("negate");
    return alloc_int(r);
  }
  if (a->type == T_FLOAT) return alloc_float(-float_value(a));
  return obj_raise(RT_TYPE, "bad operand type for unary -: '%s'", ops_type_name(a));
}

Obj *ops_not(Obj *a) {
  if (a->type == T_BOOL) return bool_obj(!int_value(a));
  if (a->type == T_INT) return alloc_int(~int_value(a));
  return obj_raise(RT_TYPE, "bad operand type for unary !: '%s'", ops_type_name(a));
}

// ---- equality and order ------------------------------------------------------------------
// Exact comparison of an int with a float (as Python: no rounding of the
// int to double): -1, 0, 1, or 2 when f is NaN.
static int cmp_int_float(int64_t i, double f) {
  if (isnan(f)) return 2;
  if (f >= 9223372036854775808.0) return -1;
  if (f < -9223372036854775808.0) return 1;
  double t = trunc(f);
  int64_t ti = (int64_t)t;
  if (i != ti) return i < ti ? -1 : 1;
  return f > t ? -1 : f < t ? 1 : 0;
}

// The walks below (==, ordering, clone) recurse once per level of nesting;
// each container they enter counts against the shared depth guard
// (obj_walk_enter, vm/object.h), so a value nested too deep — or a cycle —
// is a RecursionError instead of a C stack overflow.

static int table_eq(Table *a, Table *b) {
  if (a->len != b->len) return 0;
  for (int64_t i = 0; i < a->used; i++) {
    TableEntry *e = &a->entries[i];
    if (!e->key) continue;
    Obj *w = table_get(b, e->key, e->hash);
    if (!w) return 0;
    int r = ops_eq(e->value, w);
    if (r <= 0) return r;
  }
  return 1;
}

// Items pairwise. In a --struct-fields=slots instance (same def, so same
// layout) a slot set in one and not the other makes them unequal, as a
// field present in only one table.
static int seq_eq(Obj **x, Obj **y, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    if (!x[i] || !y[i]) {
      if (x[i] != y[i]) return 0;
      continue;
    }
    int r = ops_eq(x[i], y[i]);
    if (r <= 0) return r;
  }
  return 1;
}

// Two lists, tuples, maps or struct instances of one def: their lengths
// first, then one level deeper, item by item. Each is walked in a snapshot
// (vm/objlock.h), so the walk holds no lock when it goes into an item.
static int container_eq(Obj *a, Obj *b) {
  int r = -1;
  if (obj_table(a)) {
    Table x, y;
    if (obj_table_snapshot(a, &x) < 0) return -1;
    if (obj_table_snapshot(b, &y) == 0) {
      if (x.len != y.len) r = 0;
      else if (obj_walk_enter(RT_MSG_RECURSION_CMP)) r = table_eq(&x, &y), obj_walk_leave();
      obj_table_snapshot_release(&y);
    }
    obj_table_snapshot_release(&x);
    return r;
  }
  ObjSnapshot x, y;
  if (obj_snapshot(a, &x) < 0) return -1;
  if (obj_snapshot(b, &y) == 0) {
    if (x.n != y.n) r = 0;
    else if (obj_walk_enter(RT_MSG_RECURSION_CMP)) r = seq_eq(x.items, y.items, x.n), obj_walk_leave();
    obj_snapshot_release(&y);
  }
  obj_snapshot_release(&x);
  return r;
}

// Structural ==; different types are unequal except int with float (Python).
// Identity is no shortcut for containers: [nan] != [nan], as in native mode;
// so a cycle compared with itself walks until the depth guard stops it.
int ops_eq(Obj *a, Obj *b) {
  uint32_t ta = a->type, tb = b->type;
  if (ta != tb) {
    if (ta == T_INT && tb == T_FLOAT) return cmp_int_float(int_value(a), float_value(b)) == 0;
    if (ta == T_FLOAT && tb == T_INT) return cmp_int_float(int_value(b), float_value(a)) == 0;
    return 0;
  }
  switch ((ObjType)ta) {
  case T_NONE: return 1;
  case T_BOOL:
  case T_INT: return int_value(a) == int_value(b);
  case T_FLOAT: return float_value(a) == float_value(b);
  case T_STR: {
    StrObj *x = (StrObj *)a, *y = (StrObj *)b;
    if (x == y) return 1;
    return x->len == y->len && memcmp(x->data, y->data, (size_t)x->len) == 0;
  }
  case T_STRUCT:
    if (((StructObj *)a)->def != ((StructObj *)b)->def) return 0;  // the same place in both layouts
    return container_eq(a, b);
  case T_LIST:
  case T_TUPLE:
  case T_MAP: return container_eq(a, b);
  case T_SOME: break;
  default: return a == b;  // enum variants are singletons; iterators, threads by identity
  }
  // Some: one level deeper.
  if (!obj_walk_enter(RT_MSG_RECURSION_CMP)) return -1;
  int r = ops_eq(((SomeObj *)a)->v, ((SomeObj *)b)->v);
  obj_walk_leave();
  return r;
}

static int sign64(int64_t x, int64_t y) { return (x > y) - (x < y); }

// *out = -1/0/1, or 2 if unordered; `op` names the operator in the TypeError.
static int compare(Obj *a, Obj *b, int *out, const char *op);

// Lexicographic, as Python: the first unequal pair decides.
static int compare_tuples(TupleObj *x, TupleObj *y, int *out, const char *op) {
  int64_t n = x->len < y->len ? x->len : y->len;
  for (int64_t i = 0; i < n; i++) {
    int e = ops_eq(x->items[i], y->items[i]);
    if (e < 0) return -1;
    if (!e) return compare(x->items[i], y->items[i], out, op);
  }
  *out = sign64(x->len, y->len);
  return 0;
}

static int compare(Obj *a, Obj *b, int *out, const char *op) {
  uint32_t ta = a->type, tb = b->type;
  if (ta == T_INT && tb == T_INT) {
    *out = sign64(int_value(a), int_value(b));
    return 0;
  }
  if (ta == T_FLOAT && tb == T_FLOAT) {
    double x = float_value(a), y = float_value(b);
    *out = x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
    return 0;
  }
  if (ta == T_INT && tb == T_FLOAT) {
    *out = cmp_int_float(int_value(a), float_value(b));
    return 0;
  }
  if (ta == T_FLOAT && tb == T_INT) {
    int c = cmp_int_float(int_value(b), float_value(a));
    *out = c == 2 ? 2 : -c;
    return 0;
  }
  if (ta == T_STR && tb == T_STR) {
    StrObj *x = (StrObj *)a, *y = (StrObj *)b;
    int64_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, (size_t)n);
    *out = c ? (c < 0 ? -1 : 1) : sign64(x->len, y->len);
    return 0;
  }
  if (ta == T_TUPLE && tb == T_TUPLE) {
    if (!obj_walk_enter(RT_MSG_RECURSION_CMP)) return -1;
    int r = compare_tuples((TupleObj *)a, (TupleObj *)b, out, op);
    obj_walk_leave();
    return r;
  }
  obj_raise(RT_TYPE, "'%s' not supported between instances of '%s' and '%s'", op, ops_type_name(a),
            ops_type_name(b));
  return -1;
}

int ops_compare(Obj *a, Obj *b, int *out) { return compare(a, b, out, "<"); }

Obj *ops_richcompare(CmpOp op, Obj *a, Obj *b) {
  static const char *const names[] = {"<", "<=", ">", ">="};
  int c;
  if (compare(a, b, &c, names[op]) < 0) return NULL;
  switch (op) {
  case CMP_LT: return bool_obj(c == -1);
  case CMP_LE: return bool_obj(c == -1 || c == 0);
  case CMP_GT: return bool_obj(c == 1);
  case CMP_GE: return bool_obj(c == 0 || c == 1);
  }
  return NULL;
}

// ---- indexing and fields -------------------------------------------------------------------
static Obj *key_error(Obj *key) {
  RtBuf b;
  rtbuf_init(&b);
  if (print_to(&b, key, false)) obj_raise(RT_KEY, "key not found: %s", b.data);
  rtbuf_free(&b);
  return NULL;
}

// Checks that idx is an int within 0..len; -1 with an error otherwise.
static int check_index(Obj *seq, Obj *idx, int64_t len, int64_t *out) {
  if (idx->type != T_INT) {
    obj_raise(RT_TYPE, "%s indices must be integers, not '%s'", ops_type_name(seq),
              ops_type_name(idx));
    return -1;
  }
  int64_t i = int_value(idx);
  if ((uint64_t)i >= (uint64_t)len) {
    char buf[128];
    obj_raise(RT_INDEX, "%s", rt_msg_index(buf, i, len));
    return -1;
  }
  *out = i;
  return 0;
}

Obj *ops_index(Obj *seq, Obj *idx) {
  int64_t i;
  switch ((ObjType)seq->type) {
  case T_LIST: {
    ListObj *l = (ListObj *)seq;
    Obj *v = NULL;
    obj_lock(seq);
    if (check_index(seq, idx, l->len, &i) == 0) {
      v = l->items[i];
      INCREF(v);
    }
    obj_unlock(seq);
    return v;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)seq;
    if (check_index(seq, idx, t->len, &i) < 0) return NULL;
    INCREF(t->items[i]);
    return t->items[i];
  }
  case T_MAP: {
    uint64_t h = str_key_hash(idx);
    if (!h) return NULL;
    obj_lock(seq);
    Obj *v = table_get(&((MapObj *)seq)->t, idx, h);
    if (v) INCREF(v);
    obj_unlock(seq);
    return v ? v : key_error(idx);
  }
  default: return obj_raise(RT_TYPE, "'%s' object is not subscriptable", ops_type_name(seq));
  }
}

int ops_store_index(Obj *seq, Obj *idx, Obj *v) {
  int64_t i;
  if (seq->type == T_LIST) {
    ListObj *l = (ListObj *)seq;
    obj_lock(seq);
    if (check_index(seq, idx, l->len, &i) < 0) {
      obj_unlock(seq);
      return -1;
    }
    Obj *old = l->items[i];
    INCREF(v);
    l->items[i] = v;
    obj_unlock(seq);
    DECREF(old);
    return 0;
  }
  if (seq->type == T_MAP) {
    uint64_t h = str_key_hash(idx);
    if (!h) return -1;
    obj_lock(seq);
    int r = table_map_set(seq, idx, h, v);
    obj_unlock(seq);
    return r;
  }
  obj_raise(RT_TYPE, "'%s' object does not support item assignment", ops_type_name(seq));
  return -1;
}

// --struct-fields=slots: the slot of `name`, found as a __slots__ descriptor
// would be, by a scan of the declared names (interned: pointer compares; the
// names the VM passes are interned too, the string compare is a fallback);
// -1 if the struct does not declare it. No hashing, no field_lookups count.
static int slot_index(StructDef *d, StrObj *name) {
  for (int i = 0; i < d->nfields; i++)
    if (d->fields[i] == name) return i;
  for (int i = 0; i < d->nfields; i++)
    if (d->fields[i]->len == name->len && memcmp(d->fields[i]->data, name->data, (size_t)name->len) == 0)
      return i;
  return -1;
}

// AttributeError for a field o does not have, with CPython's "Did you
// mean" when a declared field of its struct is close (runtime/suggest.h).
static Obj *no_attribute(Obj *o, StrObj *name) {
  Suggest s;
  suggest_begin(&s, name->data);
  if (o->type == T_STRUCT) {
    StructDef *def = ((StructObj *)o)->def;  // the same place in both layouts
    for (int i = 0; i < def->nfields; i++) suggest_try(&s, def->fields[i]->data);
  }
  if (suggest_best(&s))
    return obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%s'. Did you mean: '%s'?", ops_type_name(o),
                     name->data, suggest_best(&s));
  return obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%s'", ops_type_name(o), name->data);
}

Obj *ops_get_field(Obj *o, StrObj *name) {
  if (o->type == T_STRUCT) {
    if (STRUCT_IS_SLOTS(o)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      int i = slot_index(s->def, name);
      obj_lock(o);
      Obj *v = i >= 0 ? s->slots[i] : NULL;
      if (v) INCREF(v);
      obj_unlock(o);
      return v ? v : no_attribute(o, name);
    }
    LAB_COUNT(field_lookups);
    uint64_t h = str_key_hash((Obj *)name);
    obj_lock(o);
    Obj *v = table_get(&((StructObj *)o)->fields, (Obj *)name, h);
    if (v) INCREF(v);
    obj_unlock(o);
    if (v) return v;
  }
  return no_attribute(o, name);
}

// Assigning a field the struct does not declare adds it (Python).
// In slots mode only the declared fields exist: adding another is an
// AttributeError, as for a class with __slots__.
int ops_set_field(Obj *o, StrObj *name, Obj *v) {
  if (o->type == T_STRUCT) {
    if (STRUCT_IS_SLOTS(o)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      int i = slot_index(s->def, name);
      if (i < 0) {
        no_attribute(o, name);
        return -1;
      }
      INCREF(v);
      obj_lock(o);
      Obj *old = s->slots[i];
      s->slots[i] = v;
      gc_maybe_track(o, v);
      obj_unlock(o);
      XDECREF(old);
      return 0;
    }
    LAB_COUNT(field_lookups);
    uint64_t h = str_key_hash((Obj *)name);
    obj_lock(o);
    int r = table_set(&((StructObj *)o)->fields, (Obj *)name, h, v);
    if (r == 0) gc_maybe_track(o, v);
    obj_unlock(o);
    return r;
  }
  obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%s'", ops_type_name(o), name->data);
  return -1;
}

Obj *ops_tuple_get(Obj *o, int64_t i) {
  if (o->type != T_TUPLE)
    return obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%lld'", ops_type_name(o),
                     (long long)i);
  TupleObj *t = (TupleObj *)o;
  if ((uint64_t)i >= (uint64_t)t->len) {
    char buf[128];
    return obj_raise(RT_INDEX, "%s", rt_msg_index(buf, i, t->len));
  }
  INCREF(t->items[i]);
  return t->items[i];
}

// ---- clone --------------------------------------------------------------------------------
// From a snapshot of the source's table (vm/objlock.h) into the new
// object's, which no other thread can see yet.
static int clone_table(Obj *from, Obj *to) {
  Table snap, *src = &snap, *dst = obj_table(to);
  if (obj_table_snapshot(from, &snap) < 0) return -1;
  int r = 0;
  for (int64_t i = 0; i < src->used && r == 0; i++) {
    TableEntry *e = &src->entries[i];
    if (!e->key) continue;
    Obj *v = ops_clone(e->value);
    if (!v) {
      r = -1;
      break;
    }
    r = table_set(dst, e->key, e->hash, v);  // keys are immutable: shared
    DECREF(v);
  }
  obj_table_snapshot_release(&snap);
  return r;
}

// A list's items or a slots struct's fields cloned from a snapshot into
// `to` (n of them; NULL stays NULL). -1 with the error raised; the items
// already cloned are in `to`.
static int clone_items(Obj *from, Obj **to, int64_t n) {
  ObjSnapshot s;
  if (obj_snapshot(from, &s) < 0) return -1;
  int r = 0;
  for (int64_t i = 0; i < s.n && i < n; i++)
    if (s.items[i] && !(to[i] = ops_clone(s.items[i]))) {
      r = -1;
      break;
    }
  obj_snapshot_release(&s);
  return r;
}

static Obj *clone_container(Obj *o) {
  switch ((ObjType)o->type) {
  case T_LIST: {
    ObjSnapshot s;
    if (obj_snapshot(o, &s) < 0) return NULL;
    Obj *c = list_new(s.n);
    for (int64_t i = 0; c && i < s.n; i++) {
      Obj *x = ops_clone(s.items[i]);
      if (!x || list_append_steal(c, x) < 0) {
        DECREF(c);
        c = NULL;
      }
    }
    obj_snapshot_release(&s);
    return c;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    TupleObj *c = (TupleObj *)tuple_new(t->len);
    if (!c) return NULL;
    for (int64_t i = 0; i < t->len; i++) {
      if (!t->items[i]) continue;
      if (!(c->items[i] = ops_clone(t->items[i]))) {
        DECREF(c);  // the slots not yet filled are NULL
        return NULL;
      }
    }
    return (Obj *)c;
  }
  case T_MAP: {
    Obj *c = table_new_map();
    if (!c) return NULL;
    if (clone_table(o, c) < 0) {
      DECREF(c);
      return NULL;
    }
    if (gc_tracked(o)) gc_track(c);  // the same values cloned: containers where o has them
    return c;
  }
  case T_STRUCT: {
    if (STRUCT_IS_SLOTS(o)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      SlotsStructObj *c = (SlotsStructObj *)table_new_struct(s->def);
      if (!c) return NULL;
      if (clone_items(o, c->slots, s->def->nfields) < 0) {
        DECREF(c);  // the slots not yet filled are NULL
        return NULL;
      }
      if (gc_tracked(o)) gc_track((Obj *)c);  // as for a map
      return (Obj *)c;
    }
    StructObj *s = (StructObj *)o;
    Obj *c = table_new_struct(s->def);
    if (!c) return NULL;
    if (clone_table(o, c) < 0) {
      DECREF(c);
      return NULL;
    }
    if (gc_tracked(o)) gc_track(c);
    return c;
  }
  default: {  // T_SOME
    Obj *x = ops_clone(((SomeObj *)o)->v);
    return x ? obj_some_steal(x) : NULL;
  }
  }
}

// Deep copy. Immutable values (numbers, strings, singletons) are shared:
// nothing can tell a shared immutable from a copy. A cycle is copied until
// the depth guard stops it (RecursionError), as there is no memo of copies.
Obj *ops_clone(Obj *o) {
  switch ((ObjType)o->type) {
  case T_LIST:
  case T_TUPLE:
  case T_MAP:
  case T_STRUCT:
  case T_SOME: break;
  default: INCREF(o); return o;
  }
  if (!obj_walk_enter(RT_MSG_RECURSION_COPY)) return NULL;
  Obj *c = clone_container(o);
  obj_walk_leave();
  return c;
}

// ---- iterators -------------------------------------------------------------------------------
Obj *ops_iter_new(Obj *seq) {
  if (seq->type != T_LIST && seq->type != T_MAP)
    return obj_raise(RT_TYPE, "'%s' object is not iterable", ops_type_name(seq));
  IterObj *it = obj_alloc(sizeof(IterObj), T_ITER);
  INCREF(seq);
  it->seq = seq;
  it->i = 0;
  return (Obj *)it;
}

// A list is read by index with its length re-read each step (CPython's list
// iterator); a map yields its keys in entry order, skipping removed entries.
Obj *ops_iter_next(Obj *o) {
  IterObj *it = (IterObj *)o;
  Obj *v = NULL;
  obj_lock(it->seq);
  if (it->seq->type == T_LIST) {
    ListObj *l = (ListObj *)it->seq;
    if (it->i < l->len) v = l->items[it->i++];
  } else {
    Table *t = &((MapObj *)it->seq)->t;
    while (!v && it->i < t->used) v = t->entries[it->i++].key;
  }
  if (v) INCREF(v);
  obj_unlock(it->seq);
  return v;
}
