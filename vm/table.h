// table.h — the hash tables of maps and of struct instances' fields (vm/table.c).
// The reference conventions are object.h's.
#ifndef LAB_VM_TABLE_H
#define LAB_VM_TABLE_H

#include "object.h"

Obj *table_new_map(void);                // untracked by the collector (vm/gc.h)
// m[key] = value on a map (borrows both; 0 ok, -1 MemoryError): the map is
// tracked from its first container value on.
int table_map_set(Obj *map, Obj *key, uint64_t hash, Obj *value);
Obj *table_new_struct(StructDef *def);   // fields not yet set; untracked as a map is
// def->keys, built once with the def (structdef_new): see object.h.
void table_struct_keys(StructDef *def);
// An instance of def with every declared field set, def->fields[i] to
// vals[from[i]] (taken: the caller's references become the instance's), its
// table a copy of def->keys: no field hashed or probed. NULL with a
// MemoryError (nothing taken) if it cannot be made.
Obj *table_new_struct_full(StructDef *def, Obj **vals, const int *from);
Obj *table_get(Table *t, Obj *key, uint64_t hash);            // borrowed, NULL if absent (no error)
int table_set(Table *t, Obj *key, uint64_t hash, Obj *value); // borrows both; 0 ok, -1 MemoryError
Obj *table_pop(Table *t, Obj *key, uint64_t hash);            // new ref or NULL if absent (no error)
void table_clear(Table *t);
size_t table_block_size(const Table *t);  // bytes of its one buffer (entries and index); 0 if none

#endif
