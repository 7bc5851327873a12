// builtins.c — the table of builtin functions (runtime/builtins.h), generated
// from the BUILTINS X-macro, and lookup by name for both front ends.
#include "builtins.h"

#include <string.h>

const BuiltinInfo rt_builtins[BI_COUNT] = {
#define BUILTIN_INFO_ENTRY(name, lo, hi, sig) {#name, lo, hi, sig},
  BUILTINS(BUILTIN_INFO_ENTRY)
#undef BUILTIN_INFO_ENTRY
};

int rt_builtin_lookup(const char *name) {
  for (int i = 0; i < BI_COUNT; i++)
    if (strcmp(rt_builtins[i].name, name) == 0) return i;
  return -1;
}
