// list.h — lists and tuples (vm/list.c).
// The reference conventions are object.h's.
#ifndef LAB_VM_LIST_H
#define LAB_VM_LIST_H

#include "object.h"

Obj *list_new(int64_t cap);        // empty, with room for cap items
Obj *tuple_new(int64_t len);       // items NULL: the caller fills them (each slot steals)
int list_append(Obj *list, Obj *v);        // borrows v (INCREFs it); -1 on OOM (MemoryError)
int list_append_steal(Obj *list, Obj *v);  // steals v (releases it on failure); -1 on OOM

#endif
