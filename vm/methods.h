// methods.h — the methods of Toy's types (vm/methods.c).
// The reference conventions are object.h's.
#ifndef LAB_VM_METHODS_H
#define LAB_VM_METHODS_H

#include "object.h"

// ---- methods and builtins ---------------------------------------------------------------
// The methods' names and ids (MethodId, MT_len …) are runtime/builtins.h's.
// Calls a method; `args` are borrowed. `name` is for error messages
// ("'int' object has no attribute 'push'"). Thread.join is handled by vm/.
Obj *methods_call(Obj *recv, int method, const char *name, Obj **args, int nargs);
// Indexes runtime/builtins.h's method table by object type (vm_setup).
void methods_init(void);

#endif
