// builtin_fns.h — the builtin functions in interp mode (vm/builtin_fns.c; their table is runtime/builtins.h).
// The reference conventions are object.h's.
#ifndef LAB_VM_BUILTIN_FNS_H
#define LAB_VM_BUILTIN_FNS_H

#include "object.h"

// Program arguments for args() (borrowed for the whole run).
void builtin_fns_set_args(int argc, char **argv);
// Calls builtin `id` (see runtime/builtins.h) with borrowed args; gc() and
// the thread builtins are the VM's, not handled here.
Obj *builtin_fns_call(int id, Obj **args, int nargs);

#endif
