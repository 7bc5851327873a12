// list.c — lists and tuples in interp mode (vm/object.h). A list is an array
// of owned references that grows by half again when full (amortized O(1)
// push, as CPython's list_resize); a tuple holds its items inline. A list or
// tuple too large for memory is a MemoryError, never a crash.
#include "list.h"
#include "alloc.h"
#include "object.h"

#include <string.h>

Obj *list_new(int64_t cap) {
  if (cap < 0) cap = 0;
  Obj **items = NULL;
  if (cap) {
    items = obj_buf_alloc(obj_size_mul(cap, sizeof(Obj *)));
    if (!items) return NULL;
  }
  ListObj *l = obj_alloc(sizeof(ListObj), T_LIST);
  l->len = 0;
  l->cap = cap;
  l->items = items;
  return (Obj *)l;
}

// Makes room for at least one more item; -1 with a MemoryError if it cannot.
static int grow(ListObj *l) {
  int64_t cap = l->cap + (l->cap >> 1) + 4;
  size_t size = obj_size_mul(cap, sizeof(Obj *));
  Obj **items = obj_buf_realloc(l->items, (size_t)l->cap * sizeof(Obj *), size);
  if (!items) return -1;
  l->items = items;
  l->cap = cap;
  return 0;
}

int list_append_steal(Obj *list, Obj *v) {
  ListObj *l = (ListObj *)list;
  if (l->len == l->cap && grow(l) < 0) {
    DECREF(v);
    return -1;
  }
  l->items[l->len++] = v;
  return 0;
}

int list_append(Obj *list, Obj *v) {
  ListObj *l = (ListObj *)list;
  if (l->len == l->cap && grow(l) < 0) return -1;
  INCREF(v);
  l->items[l->len++] = v;
  return 0;
}

Obj *tuple_new(int64_t len) {
  if (len < 0) len = 0;
  size_t size = obj_size_mul(len, sizeof(Obj *));
  if (size > (size_t)PTRDIFF_MAX - sizeof(TupleObj)) size = SIZE_MAX - sizeof(TupleObj);
  TupleObj *t = obj_alloc(sizeof(TupleObj) + size, T_TUPLE);
  if (!t) return NULL;
  t->len = len;
  for (int64_t i = 0; i < len; i++) t->items[i] = NULL;
  return (Obj *)t;
}
