// builtins.h — the builtin functions of Toy (SPEC §5), defined once.
//
// BUILTIN(name, min_args, max_args, signature): max_args -1 means any number.
// The signature is the static type the native type checker gives the builtin
// ("T" stands for any type; "num" for int or float, the same on both sides).
// Builtins borrow their arguments: they move nothing.
#ifndef LAB_BUILTINS_H
#define LAB_BUILTINS_H

#define BUILTINS(BUILTIN)                                              \
  BUILTIN(print, 0, -1, "fn(&T...)")                                   \
  BUILTIN(int, 1, 1, "fn(&int|float|str|bool) -> int")                 \
  BUILTIN(float, 1, 1, "fn(&int|float|str) -> float")                  \
  BUILTIN(str, 1, 1, "fn(&T) -> str")                                  \
  BUILTIN(args, 0, 0, "fn() -> [str]")                                 \
  BUILTIN(read_file, 1, 1, "fn(&str) -> str")                          \
  BUILTIN(read_line, 0, 0, "fn() -> ?str")                             \
  BUILTIN(clock, 0, 0, "fn() -> float")                                \
  BUILTIN(sleep, 1, 1, "fn(float)")                                    \
  BUILTIN(gc, 0, 0, "fn() -> int")                                     \
  BUILTIN(assert, 1, 1, "fn(bool)")                                    \
  BUILTIN(panic, 1, 1, "fn(&str)")                                     \
  BUILTIN(sqrt, 1, 1, "fn(float) -> float")                            \
  BUILTIN(abs, 1, 1, "fn(num) -> num")                                 \
  BUILTIN(min, 2, 2, "fn(num, num) -> num")                            \
  BUILTIN(max, 2, 2, "fn(num, num) -> num")

typedef enum {
#define BUILTIN_ENUM_ENTRY(name, lo, hi, sig) BI_##name,
  BUILTINS(BUILTIN_ENUM_ENTRY)
#undef BUILTIN_ENUM_ENTRY
  BI_COUNT
} BuiltinId;

typedef struct BuiltinInfo {
  const char *name;
  int min_args, max_args;
  const char *signature;
} BuiltinInfo;

extern const BuiltinInfo rt_builtins[BI_COUNT];
int rt_builtin_lookup(const char *name);  // BuiltinId or -1

// The methods of Toy's types (SPEC §5), by name: one id for each name, whatever
// the receiver (which types have which method, with what signature, is the
// type checker's and each back end's). Read by the bytecode compiler, the
// VM, `lab dis`, the type checker and the C generator.
#define METHOD_NAMES(M)                                                            \
  M(len) M(push) M(pop) M(insert) M(remove) M(clear) M(contains) M(sort)            \
  M(reverse) M(swap) M(clone) M(join) M(lower) M(upper) M(trim) M(split)            \
  M(split_whitespace) M(starts_with) M(ends_with) M(find) M(replace) M(repeat)       \
  M(get) M(contains_key) M(keys) M(is_some) M(is_none) M(unwrap) M(unwrap_or)

typedef enum {
#define METHOD_ENUM_ENTRY(name) MT_##name,
  METHOD_NAMES(METHOD_ENUM_ENTRY)
#undef METHOD_ENUM_ENTRY
  MT_COUNT
} MethodId;

int rt_method_lookup(const char *name);  // MethodId, or -1 for a name no type has
const char *rt_method_name(int id);      // "push"; "?" for an id out of range

#endif
