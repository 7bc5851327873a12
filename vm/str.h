// str.h — strings: making, interning and hashing them (vm/str.c).
// The reference conventions are object.h's.
#ifndef LAB_VM_STR_H
#define LAB_VM_STR_H

#include "object.h"

Obj *str_new(const char *s, int64_t len);  // s NULL: len bytes left for the caller to fill
Obj *str_from_cstr(const char *s);
StrObj *str_intern(const char *s, int64_t len); // borrowed: interned strings live until obj_finish()
uint64_t str_key_hash(Obj *key);               // int or str; 0 and a TypeError otherwise
void str_intern_finish(void);  // vm/str.c's part of obj_finish()

#endif
