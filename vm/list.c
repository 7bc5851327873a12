// list.c — lists and tuples in interp mode (vm/object.h). A list is an array
// of owned references that grows by half again when full (amortized O(1)
// push, as CPython's list_resize); a tuple holds its items inline.
#include "object.h"

#include <string.h>

Obj *list_new(int64_t cap) {
  ListObj *l = obj_alloc(sizeof(ListObj), T_LIST);
  if (cap < 0) cap = 0;
  l->len = 0;
  l->cap = cap;
  l->items = cap ? obj_buf_alloc((size_t)cap * sizeof(Obj *)) : NULL;
  return (Obj *)l;
}

// Makes room for at least one more item.
static void grow(ListObj *l) {
  int64_t cap = l->cap + (l->cap >> 1) + 4;
  l->items = obj_buf_realloc(l->items, (size_t)l->cap * sizeof(Obj *), (size_t)cap * sizeof(Obj *));
  l->cap = cap;
}

int list_append_steal(Obj *list, Obj *v) {
  ListObj *l = (ListObj *)list;
  if (l->len == l->cap) grow(l);
  l->items[l->len++] = v;
  return 0;
}

int list_append(Obj *list, Obj *v) {
  ListObj *l = (ListObj *)list;
  if (l->len == l->cap) grow(l);
  INCREF(v);
  l->items[l->len++] = v;
  return 0;
}

Obj *tuple_new(int64_t len) {
  if (len < 0) len = 0;
  TupleObj *t = obj_alloc(sizeof(TupleObj) + (size_t)len * sizeof(Obj *), T_TUPLE);
  t->len = len;
  for (int64_t i = 0; i < len; i++) t->items[i] = NULL;
  return (Obj *)t;
}
