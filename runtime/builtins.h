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

#endif
