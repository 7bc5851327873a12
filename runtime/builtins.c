// builtins.c — the tables of builtin functions and of method names
// (runtime/builtins.h), generated from their X-macros, and lookup by name
// for both front ends.
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

static const char *const method_names[MT_COUNT] = {
#define METHOD_NAME_ENTRY(name) #name,
  METHOD_NAMES(METHOD_NAME_ENTRY)
#undef METHOD_NAME_ENTRY
};

int rt_method_lookup(const char *name) {
  for (int i = 0; i < MT_COUNT; i++)
    if (strcmp(method_names[i], name) == 0) return i;
  return -1;
}

const char *rt_method_name(int id) { return id >= 0 && id < MT_COUNT ? method_names[id] : "?"; }
