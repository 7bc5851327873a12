// builtins.h — the builtin functions of Toy (SPEC §5), defined once.
//
// BUILTIN(name, min_args, max_args, signature): max_args -1 means any number.
// The signature is the static type the native type checker gives the builtin
// (compiler/check reads it): "T" stands for any type with a printed form,
// "num" for int or float (the same one throughout), `a|b` for either, `T...`
// for any number. The parameters are borrowed (`&`) or copied.
// Builtins borrow their arguments: they move nothing.
#ifndef LAB_BUILTINS_H
#define LAB_BUILTINS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

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
// The values written as keywords (`true`, `false`, `None`), NULL-ended: a
// misspelt name may have meant one (`True`; runtime/suggest.h).
extern const char *const rt_literal_names[];
int rt_builtin_lookup(const char *name);  // BuiltinId or -1

// The methods of Toy's types (SPEC §5), by name: one id for each name, whatever
// the receiver. Read by the bytecode compiler, the VM, `lab dis`, the type
// checker and the C generator.
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

// Which type has which method, with what signature: METHOD(name, receiver,
// signature), the one table the type checker types calls from and the VM
// checks calls against (arity, and each `int` or `str` parameter).
//
// The receiver is a type pattern: `[T]` any list, `[str]` a list of
// strings, `str`, `{K: V}` any map, `?T` any option, `thread[T]`, and `T`
// every type (without a thread inside, for the checker). The signature
// takes self as Rust does — `&self` borrowed, `&mut self` borrowed mutably,
// `self` consumed — and its parameters in the pattern's T, K, V, with
// `Self` for the receiver's type: a parameter written `&X` is borrowed, any
// other is moved (or copied). No `-> R` returns `()`.
#define METHODS(M)                                            \
  M(len, "[T]", "fn(&self) -> int")                           \
  M(push, "[T]", "fn(&mut self, T)")                          \
  M(pop, "[T]", "fn(&mut self) -> ?T")                        \
  M(insert, "[T]", "fn(&mut self, int, T)")                   \
  M(remove, "[T]", "fn(&mut self, int) -> T")                 \
  M(clear, "[T]", "fn(&mut self)")                            \
  M(contains, "[T]", "fn(&self, &T) -> bool")                 \
  M(sort, "[T]", "fn(&mut self)")                             \
  M(reverse, "[T]", "fn(&mut self)")                          \
  M(swap, "[T]", "fn(&mut self, int, int)")                   \
  M(join, "[str]", "fn(&self, &str) -> str")                  \
  M(len, "str", "fn(&self) -> int")                           \
  M(lower, "str", "fn(&self) -> str")                         \
  M(upper, "str", "fn(&self) -> str")                         \
  M(trim, "str", "fn(&self) -> str")                          \
  M(split, "str", "fn(&self, &str) -> [str]")                 \
  M(split_whitespace, "str", "fn(&self) -> [str]")            \
  M(starts_with, "str", "fn(&self, &str) -> bool")            \
  M(ends_with, "str", "fn(&self, &str) -> bool")              \
  M(contains, "str", "fn(&self, &str) -> bool")               \
  M(find, "str", "fn(&self, &str) -> ?int")                   \
  M(replace, "str", "fn(&self, &str, &str) -> str")           \
  M(repeat, "str", "fn(&self, int) -> str")                   \
  M(len, "{K: V}", "fn(&self) -> int")                        \
  M(insert, "{K: V}", "fn(&mut self, K, V)")                  \
  M(get, "{K: V}", "fn(&self, &K) -> ?V")                     \
  M(contains_key, "{K: V}", "fn(&self, &K) -> bool")          \
  M(remove, "{K: V}", "fn(&mut self, &K) -> ?V")              \
  M(keys, "{K: V}", "fn(&self) -> [K]")                       \
  M(is_some, "?T", "fn(&self) -> bool")                       \
  M(is_none, "?T", "fn(&self) -> bool")                       \
  M(unwrap, "?T", "fn(self) -> T")                            \
  M(unwrap_or, "?T", "fn(self, T) -> T")                      \
  M(join, "thread[T]", "fn(self) -> T")                       \
  M(clone, "T", "fn(&self) -> Self")

// The receiver's kind, as both modes see it at run time.
typedef enum { RECV_LIST, RECV_STR, RECV_MAP, RECV_OPTION, RECV_THREAD, RECV_ANY, RECV_COUNT } RecvKind;

// A signature taken apart: "fn(&mut self, int, T) -> ?T" has the
// parameters "&mut self", "int", "T" and returns "?T" ("" for `()`).
#define SIG_MAX_PARAMS 3
#define SIG_TYPE_MAX 24
typedef struct SigParts {
  int nparams;
  char param[SIG_MAX_PARAMS][SIG_TYPE_MAX];
  char ret[SIG_TYPE_MAX];
} SigParts;
void rt_sig_split(const char *signature, SigParts *out);

// One row of METHODS, with its signature taken apart.
typedef struct MethodInfo {
  int method;             // MethodId
  const char *receiver;   // "[T]"
  const char *signature;  // "fn(&mut self, int, T)"
  RecvKind recv;
  char self;              // 'r' &self, 'm' &mut self, 'v' self
  int nargs;              // besides self
  const char *arg[SIG_MAX_PARAMS - 1];  // "int", "&T"
  char arg_is[SIG_MAX_PARAMS - 1];      // 'i' int or &int, 's' str or &str, 0 any other
  bool typed;                           // some arg_is[i] is not 0
  const char *ret;        // "?T"; "" for ()
  SigParts parts;
} MethodInfo;

// Method `method` of receivers of kind k (a row for k, else one for every
// type), or NULL when they have none. Thread-safe: the first call takes
// the table apart (rt_methods_init), later ones cost two loads.
extern const MethodInfo *rt_method_rows[RECV_COUNT][MT_COUNT];
extern _Atomic int rt_methods_ready;
void rt_methods_init(void);
static inline const MethodInfo *rt_method_info(RecvKind k, int method) {
  if (k < 0 || k >= RECV_COUNT || method < 0 || method >= MT_COUNT) return NULL;
  if (__builtin_expect(!atomic_load_explicit(&rt_methods_ready, memory_order_acquire), 0)) rt_methods_init();
  const MethodInfo *mi = rt_method_rows[k][method];
  return mi ? mi : rt_method_rows[RECV_ANY][method];
}
// The names of the methods of kind k (not those of every type), ", "-separated.
const char *rt_methods_of(RecvKind k, char *buf, int size);
// The method of kind k (or of every type) whose name is closest to name, if
// one is close enough to be a typo of it (runtime/suggest.h); else NULL.
const char *rt_method_similar(RecvKind k, const char *name);
// Offers every builtin function's name to s (runtime/suggest.h).
struct Suggest;
void rt_builtins_suggest(struct Suggest *s);

#endif
