// object.h — the interp-mode object model: every Toy value is a heap object
// with a header {refcount, type}, as in CPython (SPEC §6).
//
// ---- Conventions: who owns a reference --------------------------------------
// A reference is a pointer to an object together with the duty to DECREF it
// once. The contract, as in CPython's Include/object.h:
//
//  * NEW reference: a function returning Obj* returns a reference the caller
//    now owns (it must DECREF it or hand it on). Every constructor and every
//    operation below that returns Obj* returns a new reference, unless its
//    comment says "borrowed".
//  * BORROWED reference: an Obj* parameter is borrowed: the callee may look
//    at it during the call but must INCREF it to keep it (e.g. to store it in
//    a list). Callers keep their references.
//  * STOLEN reference: a few functions take over the caller's reference
//    (their comments say "steals"); the caller must not DECREF it afterwards.
//    list_append_steal(), obj_some_steal(), tuple_new()'s item slots and the
//    setters marked _steal are the only ones.
//  * Errors: a function that can fail returns NULL (or -1 for int results),
//    having called obj_raise(); the caller propagates the failure after
//    releasing what it owns. Nothing is returned in a half-built state.
//
// Immortal objects (the ints -5..256, true, false, None, enum variants) start
// with a refcount so large that it never reaches zero, so INCREF/DECREF need
// no branch for them; their count is simply never trusted.
//
// Invariant: an object is freed exactly when its refcount drops to zero, and
// every object reachable from a live object has a refcount ≥ 1 (a cycle can
// keep itself alive until the cycle collector, vm/gc.c, finds it).
#ifndef LAB_OBJECT_H
#define LAB_OBJECT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "format.h"
#include "builtins.h"
#include "rterror.h"
#include "xalloc.h"

typedef enum {
  T_NONE,    // the None singleton
  T_BOOL,    // true / false singletons (IntObj layout, value 0 or 1)
  T_INT,     // IntObj
  T_FLOAT,   // FloatObj
  T_STR,     // StrObj (immutable)
  T_LIST,    // ListObj
  T_MAP,     // MapObj (insertion-ordered hash map, keys int or str)
  T_TUPLE,   // TupleObj (immutable)
  T_STRUCT,  // StructObj (fields in a per-instance hash table, like __dict__)
  T_ENUM,    // EnumObj (immortal, one per variant)
  T_SOME,    // SomeObj: Some(v)
  T_ITER,    // IterObj: the iterator of a `for x in e` loop
  T_THREAD,  // ThreadObj: a spawned function's handle (vm/)
  T_COUNT
} ObjType;

// The kind of a type as the lab's counts name it: "int", "list", "struct",
// "some", "none" … (not the program's struct or enum name: ops_type_name).
// `--stats`, `lab profile`'s line file and `lab trace` use these; "?" past T_COUNT.
const char *obj_kind_name(int type);

#ifndef LAB_FT
typedef struct Obj {
  int64_t rc;      // reference count; IMMORTAL_RC for immortals
  uint32_t type;   // ObjType
  uint32_t aux;    // free for the type's use (StrObj: is-interned flag)
} Obj;
#else
// The free-threaded build (build/ft/lab, docs/free-threading.md): the header
// grows by PEP 703's two words. Which counts are used depends on the run's
// --rc mode (obj_rc_mode, below).
typedef struct Obj {
  int64_t rc;      // plain, atomic: the count; biased: the owning thread's local count
  uint32_t type;
  uint32_t aux;
  _Atomic uint32_t tid;    // biased: the owning thread (obj_tid), 0 once merged or for immortals
  _Atomic uint8_t mutex;   // --gil=off: the container's lock (vm/objlock.h), as PEP 703's ob_mutex
  uint8_t pad[3];
  _Atomic int64_t shared;  // biased: the other threads' count << 2 | OBJ_RC_QUEUED/MERGED
} Obj;
#endif

// State that is one per process under the GIL and must be one per thread
// without it (the free-threaded build).
#ifdef LAB_FT
#define LAB_FT_TLS _Thread_local
#else
#define LAB_FT_TLS
#endif

#define IMMORTAL_RC ((int64_t)1 << 60)
// How reference counts are updated (--rc; vm/refcount.c): the default build
// knows only PLAIN; the free-threaded one all three.
enum { OBJ_RC_PLAIN, OBJ_RC_ATOMIC, OBJ_RC_BIASED };

#ifndef LAB_FT
// In the counted build (vm/counters.h) they also count themselves.
#ifdef LAB_COUNTED
#define INCREF(o) ((void)(LAB_COUNT(increfs), ((Obj *)(o))->rc++))
#define DECREF(o)                                \
  do {                                           \
    Obj *decref_o_ = (Obj *)(o);                 \
    LAB_COUNT(decrefs);                          \
    if (--decref_o_->rc == 0) obj_dealloc(decref_o_); \
  } while (0)
#else
#define INCREF(o) ((void)((Obj *)(o))->rc++)
#define DECREF(o)                                \
  do {                                           \
    Obj *decref_o_ = (Obj *)(o);                 \
    if (--decref_o_->rc == 0) obj_dealloc(decref_o_); \
  } while (0)
#endif
// An object's reference count, all threads' shares together.
static inline int64_t obj_refcount(Obj *o) { return o->rc; }
#define OBJ_OWN(o) ((void)0)
#else
// ---- reference counting in the free-threaded build (PEP 703) --------------------------
// obj_rc_mode, fixed before the first object is made (--rc):
//   OBJ_RC_PLAIN   `rc++` as in the default build: only with the GIL
//   OBJ_RC_ATOMIC  every update an atomic read-modify-write on rc
//   OBJ_RC_BIASED  biased counting: the thread that made the object (its
//                  owner, Obj.tid) updates its local count rc with plain
//                  loads and stores; any other thread updates the shared
//                  count atomically. The merge protocol is at the top of
//                  vm/refcount.c.
// Immortals (PEP 683: None, true, false, the small ints, enum variants,
// interned strings) are never updated in any mode: no write, so no
// contention on the objects every thread uses.
enum { OBJ_RC_QUEUED = 1, OBJ_RC_MERGED = 2, OBJ_RC_SHIFT = 2 };
extern int obj_rc_mode;
extern _Thread_local uint32_t obj_tid;  // this thread's owner id (1: main; ids are never reused)
void obj_rc_zero_local(Obj *o);  // the owner's local count reached 0 (vm/refcount.c)
void obj_rc_dec_shared(Obj *o);  // another thread's DECREF
void obj_rc_thread_begin(void);  // a VM thread (main too) starts: its owner id and queue
void obj_rc_thread_end(void);    // it ends: its queue merged, its id retired
void obj_rc_merge_queue(void);   // GIL_EVAL_MERGE: this thread merges what waits for it
void obj_thread_end(void);       // a VM thread ends: everything of the object layer's it kept (obj_rc_thread_end too)
void obj_dealloc(Obj *o);
static inline bool obj_is_immortal(Obj *o) { return __atomic_load_n(&o->rc, __ATOMIC_RELAXED) >= IMMORTAL_RC / 2; }
static inline void obj_incref(Obj *o) {
  if (obj_is_immortal(o)) return;
  switch (obj_rc_mode) {
  case OBJ_RC_BIASED:
    if (atomic_load_explicit(&o->tid, memory_order_relaxed) == obj_tid) {
      LAB_COUNT(rc_local);
      __atomic_store_n(&o->rc, o->rc + 1, __ATOMIC_RELAXED);
    } else {
      LAB_COUNT(rc_shared);
      atomic_fetch_add_explicit(&o->shared, 1 << OBJ_RC_SHIFT, memory_order_relaxed);
    }
    return;
  case OBJ_RC_ATOMIC: LAB_COUNT(rc_shared); __atomic_fetch_add(&o->rc, 1, __ATOMIC_RELAXED); return;
  default: LAB_COUNT(rc_local); o->rc++; return;
  }
}
static inline void obj_decref(Obj *o) {
  if (obj_is_immortal(o)) return;
  switch (obj_rc_mode) {
  case OBJ_RC_BIASED:
    if (atomic_load_explicit(&o->tid, memory_order_relaxed) == obj_tid) {
      LAB_COUNT(rc_local);
      int64_t n = o->rc - 1;
      __atomic_store_n(&o->rc, n, __ATOMIC_RELAXED);
      if (n == 0) obj_rc_zero_local(o);
    } else {
      LAB_COUNT(rc_shared);
      obj_rc_dec_shared(o);
    }
    return;
  case OBJ_RC_ATOMIC:
    LAB_COUNT(rc_shared);
    if (__atomic_fetch_sub(&o->rc, 1, __ATOMIC_ACQ_REL) == 1) obj_dealloc(o);
    return;
  default:
    LAB_COUNT(rc_local);
    if (--o->rc == 0) obj_dealloc(o);
    return;
  }
}
// A new object belongs to the thread that makes it, with nothing shared.
#define OBJ_OWN(o)                                                    \
  (atomic_store_explicit(&(o)->tid, obj_tid, memory_order_relaxed), \
   atomic_store_explicit(&(o)->mutex, 0, memory_order_relaxed),     \
   atomic_store_explicit(&(o)->shared, 0, memory_order_relaxed))
#define INCREF(o) (LAB_COUNT(increfs), obj_incref((Obj *)(o)))
#define DECREF(o) (LAB_COUNT(decrefs), obj_decref((Obj *)(o)))
// An object's reference count, all threads' shares together (exact when no
// other thread runs: the collector's and the tracer's view).
int64_t obj_refcount(Obj *o);
#endif

// A function's constants (vm/code.c). The free-threaded build makes them
// immortal while the program runs (PEP 703): every thread loads them, and
// with biased counting each load by a thread other than main (which
// compiled them) would be an atomic update of one shared cache line. When
// the program is freed they become mortal again and are released. The
// default build counts them as any object.
#ifdef LAB_FT
enum { OBJ_AUX_CONST = 1u << 31 };  // made immortal here, not born so
static inline void obj_immortalize_const(Obj *o) {
  if (obj_is_immortal(o)) return;
  o->aux |= OBJ_AUX_CONST;
  __atomic_store_n(&o->rc, IMMORTAL_RC, __ATOMIC_RELAXED);
}
static inline void obj_release_const(Obj *o) {
  if (o->aux & OBJ_AUX_CONST) {
    o->aux &= ~OBJ_AUX_CONST;
    o->rc = 1;
    OBJ_OWN(o);
  }
  DECREF(o);
}
#else
#define obj_immortalize_const(o) ((void)(o))
#define obj_release_const(o) DECREF(o)
#endif
#define XDECREF(o)                               \
  do {                                           \
    Obj *xdecref_o_ = (Obj *)(o);                \
    if (xdecref_o_) DECREF(xdecref_o_);          \
  } while (0)
// Replaces *slot (an owned reference, may be NULL) with a new one, releasing
// the old one last so that `SETREF(x, x)`-like patterns are safe.
#define SETREF(slot, newref)                     \
  do {                                           \
    Obj *setref_old_ = (Obj *)(slot);            \
    (slot) = (newref);                           \
    XDECREF(setref_old_);                        \
  } while (0)

typedef struct IntObj {
  Obj h;
  int64_t v;
} IntObj;

typedef struct FloatObj {
  Obj h;
  double v;
} FloatObj;

typedef struct StrObj {
  Obj h;
  int64_t len;       // bytes, not counting the NUL terminator
  uint64_t hash;     // 0 until computed
  char data[];       // len bytes + NUL; may contain NUL bytes
} StrObj;

typedef struct ListObj {
  Obj h;
  int64_t len;
  int64_t cap;
  Obj **items;       // owned references
} ListObj;

typedef struct TupleObj {
  Obj h;
  int64_t len;
  Obj *items[];      // owned references
} TupleObj;

// The insertion-ordered hash table behind maps and struct instances (the
// layout of CPython's compact dict): entries in insertion order, plus an
// open-addressing index of entry numbers. A removed entry keeps its place
// with key == NULL until the table is compacted.
typedef struct TableEntry {
  uint64_t hash;
  Obj *key;          // owned; NULL for a removed entry
  Obj *value;        // owned
} TableEntry;

typedef struct Table {
  int64_t len;       // live entries
  int64_t used;      // entries[0..used) are in use (live or removed)
  int64_t cap;       // capacity of entries
  TableEntry *entries;
  int32_t *index;    // index_size slots: -1 empty, -2 dummy, else entry number
  int64_t index_size; // a power of two
} Table;

typedef struct MapObj {
  Obj h;
  Table t;
} MapObj;

// A struct type as the VM knows it at run time (built from the StructDecl).
typedef struct StructDef {
  StrObj *name;      // owned, interned
  int nfields;
  StrObj **fields;   // owned, interned; declaration order
  // The table every instance built with all its declared fields starts as
  // (table_struct_keys, PEP 412's shared keys): the fields in declaration
  // order, hashed and indexed once, values NULL; a literal's instance copies
  // it (table_new_struct_full). No entries when there are no fields.
  Table keys;
} StructDef;

typedef struct StructObj {
  Obj h;
  StructDef *def;    // borrowed: defs live as long as the program
  Table fields;      // interned field name -> value, in declaration order
} StructObj;

// The --struct-fields=slots layout (like Python's __slots__): the declared
// fields in a fixed array, slot i holding def->fields[i]'s value (NULL until
// set); no per-instance table, and no field can be added. h.aux has
// STRUCT_AUX_SLOTS set. Which layout an instance has is decided when it is
// made (obj_struct_slots); every walk (==, print, clone, GC, dealloc) checks
// STRUCT_IS_SLOTS.
typedef struct SlotsStructObj {
  Obj h;
  StructDef *def;
  Obj *slots[];      // def->nfields owned references (NULL: not set)
} SlotsStructObj;
#define STRUCT_AUX_SLOTS 1u
#define STRUCT_IS_SLOTS(o) ((((Obj *)(o))->aux & STRUCT_AUX_SLOTS) != 0)
// The hash table of a map or of a struct instance in the dict layout; NULL
// for any other object.
static inline Table *obj_table(Obj *o) {
  if (o->type == T_MAP) return &((MapObj *)o)->t;
  if (o->type == T_STRUCT && !STRUCT_IS_SLOTS(o)) return &((StructObj *)o)->fields;
  return NULL;
}
static inline size_t slots_struct_size(const StructDef *d) {
  return sizeof(SlotsStructObj) + (size_t)d->nfields * sizeof(Obj *);
}

typedef struct EnumDef {
  StrObj *name;      // owned
  int nvariants;
  StrObj **variants; // owned
  struct EnumObj **values; // the immortal variant objects
} EnumDef;

typedef struct EnumObj {
  Obj h;
  EnumDef *def;
  int64_t variant;
} EnumObj;

typedef struct SomeObj {
  Obj h;
  Obj *v;            // owned
} SomeObj;

// Iterates a list by index (re-reading its length each step, as CPython's
// list iterator does), or a map's keys.
typedef struct IterObj {
  Obj h;
  Obj *seq;          // owned: the list or map
  int64_t i;
} IterObj;

// The handle `spawn` returns (vm/vm.c "Threads"). While the thread has not
// been joined, vt points at its VmThread; the first join moves the result in.
typedef struct ThreadObj {
  Obj h;
  Obj *result;       // owned; NULL until joined (or once cleared by the collector)
  struct VmThread *vt;  // the running thread, or NULL once joined
} ThreadObj;

// ---- singletons and the small-int cache ----------------------------------------
extern Obj obj_none;
extern IntObj obj_true, obj_false;
extern IntObj obj_small_ints[];   // -5..256
#define SMALL_INT_MIN (-5)
#define SMALL_INT_MAX 256
#define NONE (&obj_none)
#define TRUE_OBJ ((Obj *)&obj_true)
#define FALSE_OBJ ((Obj *)&obj_false)

// ---- life and death (object.c) -----------------------------------------------------
// Objects are allocated by vm/alloc.h's obj_alloc and released by
// obj_dealloc when their count reaches 0.
void obj_dealloc(Obj *o);                    // called when rc reaches 0
void obj_init(void);      // builds the immortals; call once at start
void obj_finish(void);    // releases interned strings and pools at exit
// Prints "MemoryError: out of memory" to stderr and exits 1: for the few
// allocations whose failure cannot be propagated (never abort()).
// Hooks the VM installs (NULL: none). obj_dealloc() hands a T_THREAD object to
// obj_thread_dealloc_hook if set (else it releases `result` and frees the
// ThreadObj itself). The blocking builtins (sleep, read_file,
// read_line) call obj_blocking_begin_hook before a blocking system call and
// obj_blocking_end_hook after it, touching no object in between, so the VM
// can release the GIL there (SPEC §6).
extern void (*obj_thread_dealloc_hook)(Obj *o);
extern void (*obj_blocking_begin_hook)(void);
extern void (*obj_blocking_end_hook)(void);

// ---- errors ----------------------------------------------------------------------
// Raise: record the pending error of this thread and return NULL, so that
// `return obj_raise(RT_INDEX, "...")` reads naturally.
Obj *obj_raise(RtErrorKind kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool obj_error_pending(void);
RtErrorKind obj_error_kind(void);
const char *obj_error_msg(void);
void obj_error_clear(void);

// ---- the depth guard of recursive walks ------------------------------------------
// Every C function that recurses over object structure — ==, ordering (and so
// contains and sort), clone, printing and str() — counts the containers it
// is inside in one shared per-thread counter, and raises RecursionError past
// OBJ_MAX_WALK_DEPTH, so that no Toy value, however deep, and no cycle (interp
// shares objects, so `v.push(v)` makes one) can overflow the C stack. Only
// the walks touch the counter, and only on entering a container. The limit
// keeps a walk within about 2 MiB of C stack even in the ASan build (measured
// there: see docs/semantics.md "Interp-mode specifics"), a quarter of the default
// 8 MiB stack. The messages are Python's (runtime/rterror.h):
// RT_MSG_RECURSION_CMP, RT_MSG_RECURSION_STR, RT_MSG_RECURSION_COPY.
enum { OBJ_MAX_WALK_DEPTH = RT_MAX_WALK_DEPTH };  // shared with native (runtime/rterror.h)
extern _Thread_local int obj_walk_depth;
// Enters one more level, or raises RecursionError(msg) and returns false.
static inline bool obj_walk_enter(const char *msg) {
  if (obj_walk_depth >= OBJ_MAX_WALK_DEPTH) {
    obj_raise(RT_RECURSION, "%s", msg);
    return false;
  }
  obj_walk_depth++;
  return true;
}
static inline void obj_walk_leave(void) { obj_walk_depth--; }

// ---- constructors (new references) -------------------------------------------
static inline Obj *bool_obj(bool b) { Obj *o = b ? TRUE_OBJ : FALSE_OBJ; INCREF(o); return o; }
static inline Obj *none_obj(void) { INCREF(NONE); return NONE; }
Obj *obj_some_steal(Obj *v);       // steals v
// alloc_int and alloc_float are vm/alloc.h's; the other constructors are
// their modules': str_new (str.h), list_new and
// tuple_new (list.h), table_new_map and table_new_struct (table.h), ops_iter_new (ops.h).
// Those of variable size return NULL with a MemoryError raised when the size
// cannot be had (huge strings, lists, tuples); the others cannot fail.

StructDef *structdef_new(const char *name, int nfields, const char *const *fields);
void structdef_free(StructDef *d);
EnumDef *enumdef_new(const char *name, int nvariants, const char *const *variants);
void enumdef_free(EnumDef *d);

// ---- accessors -------------------------------------------------------------------
static inline int64_t int_value(Obj *o) { return ((IntObj *)o)->v; }
static inline double float_value(Obj *o) { return ((FloatObj *)o)->v; }

#endif
