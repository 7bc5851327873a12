// hybrid_abi.h — the boundary of hybrid mode (docs/hybrid.md): the table of
// functions the VM (the host, vm/boundary.c) hands to a library of compiled
// `#[native]` functions, the way CPython's C API is what a PyO3 extension
// calls. The library (generated C, compiler/native/cgen_hybrid.c, linked
// with the native runtime built with RT_LIBRARY) never sees an object's
// layout: it converts through these calls only.
//
// What the library exports:
//   int lab_hybrid_init(const LabHost *host)    once, after dlopen (0: ready)
//   int lab_hy_NAME(LabObj *const *args, LabObj **ret, int64_t depth)
//       one per `#[native] fn NAME`: converts the arguments (borrowed),
//       calls the compiled function at call depth `depth` (the VM's frames),
//       writes `&mut` arguments back, converts the result into *ret (a new
//       reference; None for a function that returns nothing). Returns 0, or
//       1 with an error raised in the VM (a TypeError from a conversion, a
//       MemoryError, or a panic of the compiled code: LabHost.panic).
//
// Reference conventions are the VM's (vm/object.h): get_* and *_item borrow,
// new_* return new references, the *_steal setters take them. Every call
// that can fail returns false / NULL after raising the error in the VM.
#ifndef LAB_HYBRID_ABI_H
#define LAB_HYBRID_ABI_H

#include <stdbool.h>
#include <stdint.h>

#define LAB_HYBRID_ABI 1

typedef struct LabObj LabObj;  // a boxed VM object, opaque to the library

typedef struct LabHost {
  int abi;            // LAB_HYBRID_ABI
  int argc;           // the program's arguments, for args() (argv[0] is the program)
  char **argv;

  // ---- extraction: boxed to native (PyO3's FromPyObject) ----
  // A TypeError names `what` (the Toy type expected) and the object's type.
  bool (*get_int)(LabObj *o, int64_t *out);
  bool (*get_float)(LabObj *o, double *out);  // an int converts too (as PyO3's f64)
  bool (*get_bool)(LabObj *o, bool *out);
  bool (*get_str)(LabObj *o, const char **bytes, int64_t *len);  // borrowed bytes: copy them
  bool (*get_list)(LabObj *o, const char *what, int64_t *len);
  LabObj *(*list_item)(LabObj *o, int64_t i);
  bool (*get_tuple)(LabObj *o, const char *what, int64_t n);
  LabObj *(*tuple_item)(LabObj *o, int64_t i);
  bool (*get_map)(LabObj *o, const char *what, int64_t *len);
  // Entries in order: *pos starts at 0; false at the end.
  bool (*map_next)(LabObj *o, int64_t *pos, LabObj **key, LabObj **value);
  bool (*get_struct)(LabObj *o, const void *def, const char *what);
  LabObj *(*struct_field)(LabObj *o, int i);  // NULL after raising (a field never set)
  // 0: None, 1: Some (*payload borrowed), -1: raised (not an option).
  int (*get_option)(LabObj *o, const char *what, LabObj **payload);
  bool (*get_enum)(LabObj *o, const void *def, const char *what, int64_t *variant);

  // ---- construction: native to boxed (PyO3's IntoPy) ----
  LabObj *(*new_int)(int64_t v);
  LabObj *(*new_float)(double v);
  LabObj *(*new_bool)(bool v);
  LabObj *(*new_str)(const char *bytes, int64_t len);
  LabObj *(*new_list)(int64_t cap);
  bool (*list_push_steal)(LabObj *list, LabObj *item);
  LabObj *(*new_tuple)(int64_t n);
  void (*tuple_set_steal)(LabObj *t, int64_t i, LabObj *item);
  LabObj *(*new_map)(void);
  bool (*map_set_steal)(LabObj *m, LabObj *key, LabObj *value);
  LabObj *(*new_struct)(const void *def);
  bool (*struct_set_steal)(LabObj *o, int i, LabObj *value);
  LabObj *(*none)(void);
  LabObj *(*some_steal)(LabObj *v);
  LabObj *(*enum_value)(const void *def, int64_t variant);
  void (*decref)(LabObj *o);
  // `&mut` write-back: the list (map) dst takes the contents of the list
  // (map) src, and src the old contents of dst; dst keeps its identity.
  void (*assign)(LabObj *dst, LabObj *src);

  // ---- definitions, resolved once by lab_hybrid_init ----
  // NULL when the program has no such struct (enum) with that many fields
  // (variants): the library then refuses to load.
  const void *(*struct_def)(const char *name, int nfields);
  const void *(*enum_def)(const char *name, int nvariants);

  // ---- the call ----
  // #[native(nogil)]: around the compiled call (PyO3's allow_threads).
  void (*release_gil)(void);
  void (*take_gil)(void);
  // The counted VM's clock: the compiled call starts (0) and returns (1);
  // NULL in a plain run.
  void (*phase)(int which);
  // A panic in compiled code, raised in the VM as an exception with the
  // panic's position (PyO3's PanicException).
  void (*panic)(int kind, const char *msg, const char *file, int line, int col);
} LabHost;

typedef int (*LabHybridInit)(const LabHost *host);  // 0, or -1: a definition is missing
typedef int (*LabHybridFn)(LabObj *const *args, LabObj **ret, int64_t depth);

#endif
