// methods.c — the methods of lists, strings, maps and options in interp mode
// (SPEC §5 "Methods", signatures as docs/semantics.md "Methods"); thread's
// join() is vm/'s, with a fallback here. Arguments are borrowed; results are
// new references.
//
// Errors follow Python's wording: a wrong argument count is
// "push() takes 1 argument (2 given)", a wrong argument type
// "insert() argument 1 must be int, not 'str'", and a method the receiver's
// type lacks "'int' object has no attribute 'push'" (AttributeError).
#include "methods.h"
#include "alloc.h"
#include "object.h"

#include <string.h>

#include "strops.h"
#include "ops.h"
#include "table.h"
#include "str.h"
#include "list.h"
#include "objlock.h"

// A row of the method table this file has no code for: a lab bug that
// tests/methods catches, reported rather than crashed on.
static Obj *not_implemented(const char *recv, int m) {
  return obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%s' (in the method table, not in vm/methods.c)",
                   recv, rt_method_name(m));
}

// ---- argument checking --------------------------------------------------------------
static bool arity(int method, int nargs, int want) {
  if (nargs == want) return true;
  const char *m = rt_method_name(method);
  if (want == 0) obj_raise(RT_TYPE, "%s() takes no arguments (%d given)", m, nargs);
  else obj_raise(RT_TYPE, "%s() takes %d argument%s (%d given)", m, want, want == 1 ? "" : "s", nargs);
  return false;
}

// Checks that args[i] has type t; `nargs` decides whether the message
// numbers the argument.
static bool arg_is(int method, Obj **args, int nargs, int i, ObjType t, const char *tname) {
  if (args[i]->type == t) return true;
  if (nargs == 1)
    obj_raise(RT_TYPE, "%s() argument must be %s, not '%s'", rt_method_name(method), tname,
              ops_type_name(args[i]));
  else
    obj_raise(RT_TYPE, "%s() argument %d must be %s, not '%s'", rt_method_name(method), i + 1, tname,
              ops_type_name(args[i]));
  return false;
}

static Obj *index_error(int64_t i, int64_t len) {
  char buf[128];
  return obj_raise(RT_INDEX, "%s", rt_msg_index(buf, i, len));
}

// ---- list.sort: a stable merge sort using only `<` (as Python's sort) ----------------
// On a failed comparison the items are left a permutation of what they were
// (never lost or duplicated) and -1 is returned.
static int less(Obj *a, Obj *b, bool *out) {
  int c;
  if (a->type == T_INT && b->type == T_INT) {
    *out = int_value(a) < int_value(b);
    return 0;
  }
  if (ops_compare(a, b, &c) < 0) return -1;
  *out = c == -1;
  return 0;
}

static int merge_sort(Obj **a, Obj **tmp, int64_t n) {
  bool lt;
  if (n <= 16) {
    for (int64_t i = 1; i < n; i++) {
      Obj *x = a[i];
      int64_t j = i;
      while (j > 0) {
        if (less(x, a[j - 1], &lt) < 0) {
          a[j] = x;
          return -1;
        }
        if (!lt) break;
        a[j] = a[j - 1];
        j--;
      }
      a[j] = x;
    }
    return 0;
  }
  int64_t m = n / 2;
  if (merge_sort(a, tmp, m) < 0 || merge_sort(a + m, tmp, n - m) < 0) return -1;
  memcpy(tmp, a, (size_t)m * sizeof(Obj *));
  int64_t i = 0, j = m, k = 0;
  // Invariant: k == i + (j - m), so tmp[i..m) fits exactly in a[k..j).
  while (i < m && j < n) {
    if (less(a[j], tmp[i], &lt) < 0) {
      memcpy(a + k, tmp + i, (size_t)(m - i) * sizeof(Obj *));
      return -1;
    }
    a[k++] = lt ? a[j++] : tmp[i++];
  }
  memcpy(a + k, tmp + i, (size_t)(m - i) * sizeof(Obj *));
  return 0;
}

static int sort_items(Obj **items, int64_t n) {
  if (n < 2) return 0;
  size_t tsz = (size_t)(n / 2 + 1) * sizeof(Obj *);
  Obj **tmp = obj_buf_alloc(tsz);
  if (!tmp) return -1;
  int r = merge_sort(items, tmp, n);
  obj_buf_free(tmp, tsz);
  return r;
}

// With the GIL off the comparisons must not run under the list's lock
// (vm/objlock.h), so the items are taken out, as CPython's list.sort does
// in every build: the list is empty while they are sorted, and put back
// after. Another thread that changed the list meanwhile makes it
// "ValueError: list modified during sort" (CPython's words); what it put
// there is released and the sorted items are put back.
static Obj *list_sort(ListObj *l) {
  if (!obj_gil_off) return sort_items(l->items, l->len) < 0 ? NULL : none_obj();
  obj_lock((Obj *)l);
  Obj **items = l->items;
  int64_t n = l->len, cap = l->cap;
  l->items = NULL;
  l->len = l->cap = 0;
  obj_unlock((Obj *)l);
  int r = sort_items(items, n);
  obj_lock((Obj *)l);
  Obj **added = l->items;
  int64_t nadded = l->len, capadded = l->cap;
  l->items = items;
  l->len = n;
  l->cap = cap;
  obj_unlock((Obj *)l);
  if (added) {
    for (int64_t i = 0; i < nadded; i++) DECREF(added[i]);
    obj_buf_free(added, (size_t)capadded * sizeof(Obj *));
    if (r == 0) obj_raise(RT_VALUE, "list modified during sort");
    return NULL;
  }
  return r < 0 ? NULL : none_obj();
}

// ---- list methods --------------------------------------------------------------------
static Obj *list_join(ListObj *l, Obj *sepo) {
  StrObj *sep = (StrObj *)sepo;
  int64_t total = 0;
  bool too_long = false;
  for (int64_t i = 0; i < l->len; i++) {
    if (l->items[i]->type != T_STR)
      return obj_raise(RT_TYPE, "join() sequence item %lld: expected str, not '%s'", (long long)i,
                       ops_type_name(l->items[i]));
    too_long |= __builtin_add_overflow(total, ((StrObj *)l->items[i])->len, &total);
  }
  int64_t seps;
  if (l->len > 1)
    too_long |= __builtin_mul_overflow(sep->len, l->len - 1, &seps) ||
                __builtin_add_overflow(total, seps, &total);
  if (too_long) return obj_raise(RT_MEMORY, RT_MSG_OOM);
  StrObj *s = (StrObj *)str_new(NULL, total);
  if (!s) return NULL;
  char *p = s->data;
  for (int64_t i = 0; i < l->len; i++) {
    if (i) {
      memcpy(p, sep->data, (size_t)sep->len);
      p += sep->len;
    }
    StrObj *it = (StrObj *)l->items[i];
    memcpy(p, it->data, (size_t)it->len);
    p += it->len;
  }
  return (Obj *)s;
}

static Obj *list_method(ListObj *l, int m, Obj **args) {
  switch (m) {
  case MT_len:
    return alloc_int(l->len);
  case MT_push:
    if (list_append((Obj *)l, args[0]) < 0) return NULL;
    return none_obj();
  case MT_pop:
    if (l->len == 0) return none_obj();
    return obj_some_steal(l->items[--l->len]);
  case MT_insert: {
    int64_t i = int_value(args[0]);
    if (i < 0 || i > l->len) return index_error(i, l->len);
    if (list_append((Obj *)l, args[1]) < 0) return NULL;  // grows the list; then move the new item into place
    Obj *v = l->items[l->len - 1];
    memmove(l->items + i + 1, l->items + i, (size_t)(l->len - 1 - i) * sizeof(Obj *));
    l->items[i] = v;
    return none_obj();
  }
  case MT_remove: {
    int64_t i = int_value(args[0]);
    if (i < 0 || i >= l->len) return index_error(i, l->len);
    Obj *v = l->items[i];
    memmove(l->items + i, l->items + i + 1, (size_t)(l->len - 1 - i) * sizeof(Obj *));
    l->len--;
    return v;
  }
  case MT_clear: {
    // Detach first: the list is empty before any item is released.
    Obj **items = l->items;
    int64_t n = l->len, cap = l->cap;
    l->items = NULL;
    l->len = l->cap = 0;
    for (int64_t i = 0; i < n; i++) DECREF(items[i]);
    obj_buf_free(items, (size_t)cap * sizeof(Obj *));
    return none_obj();
  }
  case MT_contains: {  // in a snapshot: == may go into the items (vm/objlock.h)
    ObjSnapshot s;
    if (obj_snapshot((Obj *)l, &s) < 0) return NULL;
    int r = 0;
    for (int64_t i = 0; i < s.n && r == 0; i++) r = ops_eq(s.items[i], args[0]);
    obj_snapshot_release(&s);
    return r < 0 ? NULL : bool_obj(r);
  }
  case MT_sort:
    return list_sort(l);
  case MT_reverse:
    for (int64_t i = 0, j = l->len - 1; i < j; i++, j--) {
      Obj *t = l->items[i];
      l->items[i] = l->items[j];
      l->items[j] = t;
    }
    return none_obj();
  case MT_swap: {
    int64_t i = int_value(args[0]), j = int_value(args[1]);
    if (i < 0 || i >= l->len) return index_error(i, l->len);
    if (j < 0 || j >= l->len) return index_error(j, l->len);
    Obj *t = l->items[i];
    l->items[i] = l->items[j];
    l->items[j] = t;
    return none_obj();
  }
  case MT_join:
    return list_join(l, args[0]);
  default: return not_implemented("list", m);
  }
}

// ---- string methods ------------------------------------------------------------------
// The algorithms are runtime/strops.h's, shared with native mode; here they
// are wrapped in objects and errors.
static Obj *str_case(StrObj *s, bool upper) {
  StrObj *r = (StrObj *)str_new(NULL, s->len);
  if (!r) return NULL;
  rt_bytes_case(r->data, s->data, s->len, upper);
  return (Obj *)r;
}

// Appends a new string of s[0..n) to l; -1 with an error (MemoryError).
static int append_str(Obj *l, const char *s, int64_t n) {
  Obj *x = str_new(s, n);
  return x ? list_append_steal(l, x) : -1;
}

static Obj *str_split(StrObj *s, StrObj *sep) {
  if (sep->len == 0) return obj_raise(RT_VALUE, RT_MSG_EMPTY_SEPARATOR);
  Obj *l = list_new(0);
  int64_t pos = 0, start, len;
  while (rt_split_next(s->data, s->len, sep->data, sep->len, &pos, &start, &len)) {
    if (append_str(l, s->data + start, len) < 0) {
      DECREF(l);
      return NULL;
    }
  }
  return l;
}

static Obj *str_split_whitespace(StrObj *s) {
  Obj *l = list_new(0);
  int64_t pos = 0, start, len;
  while (rt_split_ws_next(s->data, s->len, &pos, &start, &len)) {
    if (append_str(l, s->data + start, len) < 0) {
      DECREF(l);
      return NULL;
    }
  }
  return l;
}

// replace(from, to): the result's length is counted first (a MemoryError if
// it is too large), then the string is filled in place.
static Obj *str_replace(StrObj *s, StrObj *from, StrObj *to) {
  int64_t total;
  if (!rt_replace_size(s->data, s->len, from->data, from->len, to->len, &total))
    return obj_raise(RT_MEMORY, RT_MSG_OOM);
  StrObj *r = (StrObj *)str_new(NULL, total);
  if (!r) return NULL;
  rt_replace_fill(r->data, s->data, s->len, from->data, from->len, to->data, to->len);
  return (Obj *)r;
}

// The size is checked before anything is allocated: "ab".repeat(4e12) is a
// MemoryError, not an attempt.
static Obj *str_repeat(StrObj *s, int64_t n) {
  int64_t total;
  switch (rt_repeat_size(s->len, n, &total)) {
  case RT_REPEAT_OK: break;
  case RT_REPEAT_NEGATIVE: return obj_raise(RT_VALUE, RT_MSG_NEGATIVE_REPEAT);
  case RT_REPEAT_TOO_LARGE: return obj_raise(RT_MEMORY, RT_MSG_OOM);
  }
  StrObj *r = (StrObj *)str_new(NULL, total);
  if (!r) return NULL;
  rt_repeat_fill(r->data, s->data, s->len, n);
  return (Obj *)r;
}

static Obj *str_method(StrObj *s, int m, Obj **args) {
  switch (m) {
  case MT_len:
    return alloc_int(s->len);
  case MT_lower:
  case MT_upper:
    return str_case(s, m == MT_upper);
  case MT_trim: {
    int64_t i, j;
    rt_bytes_trim(s->data, s->len, &i, &j);
    return str_new(s->data + i, j - i);
  }
  case MT_split:
    return str_split(s, (StrObj *)args[0]);
  case MT_split_whitespace:
    return str_split_whitespace(s);
  case MT_starts_with:
  case MT_ends_with: {
    StrObj *p = (StrObj *)args[0];
    return bool_obj(m == MT_starts_with ? rt_bytes_starts_with(s->data, s->len, p->data, p->len)
                                        : rt_bytes_ends_with(s->data, s->len, p->data, p->len));
  }
  case MT_contains:
  case MT_find: {
    StrObj *p = (StrObj *)args[0];
    int64_t at = rt_bytes_find(s->data, s->len, p->data, p->len);
    if (m == MT_contains) return bool_obj(at >= 0);
    return at < 0 ? none_obj() : obj_some_steal(alloc_int(at));
  }
  case MT_replace:
    return str_replace(s, (StrObj *)args[0], (StrObj *)args[1]);
  case MT_repeat:
    return str_repeat(s, int_value(args[0]));
  default: return not_implemented("str", m);
  }
}

// ---- map methods ---------------------------------------------------------------------
static Obj *map_method(MapObj *mp, int m, Obj **args) {
  uint64_t h;
  switch (m) {
  case MT_len:
    return alloc_int(mp->t.len);
  case MT_insert:
    if (!(h = str_key_hash(args[0]))) return NULL;
    if (table_map_set((Obj *)mp, args[0], h, args[1]) < 0) return NULL;
    return none_obj();
  case MT_get: {
    if (!(h = str_key_hash(args[0]))) return NULL;
    Obj *v = table_get(&mp->t, args[0], h);
    if (!v) return none_obj();
    INCREF(v);
    return obj_some_steal(v);
  }
  case MT_contains_key:
    if (!(h = str_key_hash(args[0]))) return NULL;
    return bool_obj(table_get(&mp->t, args[0], h) != NULL);
  case MT_remove: {
    if (!(h = str_key_hash(args[0]))) return NULL;
    Obj *v = table_pop(&mp->t, args[0], h);
    return v ? obj_some_steal(v) : none_obj();
  }
  case MT_keys: {
    Obj *l = list_new(mp->t.len);
    if (!l) return NULL;
    for (int64_t i = 0; i < mp->t.used; i++)
      if (mp->t.entries[i].key) list_append(l, mp->t.entries[i].key);
    return l;
  }
  default: return not_implemented("map", m);
  }
}

// ---- option methods (None and Some) --------------------------------------------------
static Obj *option_method(Obj *o, int m, Obj **args) {
  bool some = o->type == T_SOME;
  switch (m) {
  case MT_is_some:
  case MT_is_none:
    return bool_obj(some == (m == MT_is_some));
  case MT_unwrap:
    if (!some) return obj_raise(RT_VALUE, RT_MSG_UNWRAP_NONE);
    INCREF(((SomeObj *)o)->v);
    return ((SomeObj *)o)->v;
  case MT_unwrap_or: {
    Obj *r = some ? ((SomeObj *)o)->v : args[0];
    INCREF(r);
    return r;
  }
  default: return not_implemented("option", m);
  }
}

// The receiver's kind in the method table (runtime/builtins.h).
static RecvKind recv_kind(Obj *o) {
  switch ((ObjType)o->type) {
  case T_LIST: return RECV_LIST;
  case T_STR: return RECV_STR;
  case T_MAP: return RECV_MAP;
  case T_NONE:
  case T_SOME: return RECV_OPTION;
  case T_THREAD: return RECV_THREAD;
  default: return RECV_ANY;
  }
}

// The call against the table's signature: the count, then each parameter
// the table types `int` or `str` (`T`, `K` and `V` take anything).
static bool check_args(const MethodInfo *mi, Obj **args, int nargs) {
  if (!arity(mi->method, nargs, mi->nargs)) return false;
  for (int i = 0; i < nargs; i++) {
    if (mi->arg_is[i] == 'i' && !arg_is(mi->method, args, nargs, i, T_INT, "int")) return false;
    if (mi->arg_is[i] == 's' && !arg_is(mi->method, args, nargs, i, T_STR, "str")) return false;
  }
  return true;
}

// The table's rows by object type, so that a call finds its row in one load
// (methods_init; before it, calls take rt_method_info's way).
static const MethodInfo *by_type[T_COUNT][MT_COUNT];

void methods_init(void) {
  for (int t = 0; t < T_COUNT; t++) {
    Obj o = {.type = (uint32_t)t};
    for (int m = 0; m < MT_COUNT; m++) by_type[t][m] = rt_method_info(recv_kind(&o), m);
  }
}

Obj *methods_call(Obj *recv, int method, const char *name, Obj **args, int nargs) {
  const MethodInfo *mi = (unsigned)method < MT_COUNT ? by_type[recv->type][method] : NULL;
  if (!mi && !(mi = rt_method_info(recv_kind(recv), method))) {
    const char *missing = name ? name : rt_method_name(method);
    const char *similar = recv_kind(recv) != RECV_ANY ? rt_method_similar(recv_kind(recv), missing) : NULL;
    if (similar)
      return obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%s'. Did you mean: '%s'?", ops_type_name(recv),
                       missing, similar);
    return obj_raise(RT_ATTRIBUTE, "'%s' object has no attribute '%s'", ops_type_name(recv), missing);
  }
  if (__builtin_expect(nargs != mi->nargs || mi->typed, 0) && !check_args(mi, args, nargs)) return NULL;
  switch (mi->recv) {
  case RECV_LIST:
  case RECV_MAP: {
    // --gil=off: under the container's lock, except the two that compare
    // items and so take their own snapshot or lock (vm/objlock.h).
    bool own = mi->recv == RECV_LIST && (method == MT_contains || method == MT_sort);
    if (!own) obj_lock(recv);
    Obj *r = mi->recv == RECV_LIST ? list_method((ListObj *)recv, method, args)
                                   : map_method((MapObj *)recv, method, args);
    if (!own) obj_unlock(recv);
    return r;
  }
  case RECV_STR: return str_method((StrObj *)recv, method, args);
  case RECV_OPTION: return option_method(recv, method, args);
  case RECV_THREAD: {
    // vm/ joins threads itself; this serves a call it passes on.
    Obj *res = ((ThreadObj *)recv)->result ? ((ThreadObj *)recv)->result : NONE;
    INCREF(res);
    return res;
  }
  case RECV_ANY:  // clone(), the one method of every type: a deep copy
  case RECV_COUNT: break;
  }
  // A string's clone is the string (ops_clone shares every immutable); taken
  // here without the call, as `s.clone()` is frequent in string code.
  // Inlining ops_clone for every caller instead cost 0.8% instructions on
  // binary_trees and wordcount (callgrind).
  if (recv->type == T_STR) {
    INCREF(recv);
    return recv;
  }
  return ops_clone(recv);
}
