// object.c — the memory side of the interp object model (vm/object.h): the
// pool allocator every object comes from, the immortal singletons and small
// ints, deallocation by type, the per-thread pending error, and the run-time
// struct and enum definitions.
//
// ---- Notes about the allocator ------------------------------------------------
// Like CPython's pymalloc: requests up to POOL_MAX bytes are rounded up to a
// multiple of 8 (a "size class", so a 24-byte int takes 24 bytes, not 32); each class has a free list of blocks; a
// class with an empty free list carves a new block from the current 256 KiB
// arena with a bump pointer. Blocks are never handed back to malloc while the
// program runs, only all together by obj_finish(). Larger requests go to
// malloc. There is no lock: only the thread holding the GIL allocates (SPEC
// §6), and the blocking builtins touch no object while the GIL is released.
//
// Invariants: a block on free list c is (c+1)*8 bytes, 8-byte aligned (no
// object holds anything that needs more), and its first word is
// the next free block; in an AddressSanitizer build a free block is poisoned
// entirely, so a use after free — even a stray DECREF — is reported. Build
// with -DLAB_NO_POOL to give every object its own malloc instead (then ASan
// also sees object leaks).
#include "object.h"
#include "gc.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define LAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LAB_ASAN 1
#endif
#endif
#ifdef LAB_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#ifdef LAB_ASAN
// A request too large for memory is a MemoryError in the ASan build too: its
// malloc must return NULL, not report the size and abort. (ASAN_OPTIONS set
// at run time still apply on top of this.)
#ifndef LAB_FUZZ  // tests/fuzz/lf/fuzz_vm.c sets its own
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
#endif
// ASan's malloc refuses more than 1 TiB with a warning on stderr even so:
// such requests are refused here first, silently, as malloc would refuse them.
#define MAX_ALLOC ((size_t)1 << 40)
#else
#define MAX_ALLOC ((size_t)PTRDIFF_MAX)
#endif

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

// ---- pools ---------------------------------------------------------------------
enum { ALIGN = 8, POOL_MAX = 512, NCLASSES = POOL_MAX / ALIGN, ARENA_SIZE = 256 * 1024 };

typedef struct FreeBlock {
  struct FreeBlock *next;
} FreeBlock;

// An arena starts with this header; blocks are carved after it.
typedef struct Arena {
  struct Arena *next;
  char pad[8];
} Arena;

#ifndef LAB_NO_POOL
static FreeBlock *free_lists[NCLASSES];
static char *bump, *bump_end;
static Arena *arenas;
#endif

#define CLASS_OF(size) (((size) - 1) / ALIGN)  // size 1..POOL_MAX -> 0..NCLASSES-1

#define die_oom rt_out_of_memory

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die_oom();
  return p;
}

// A large block: NULL with a MemoryError raised if malloc refuses it or the
// size is beyond any allocation.
static void *big_malloc(size_t n) {
  void *p = n <= MAX_ALLOC ? malloc(n) : NULL;
  if (!p) obj_raise(RT_MEMORY, RT_MSG_OOM);
  return p;
}

#ifndef LAB_NO_POOL
// Arenas are mapped with MAP_POPULATE: one system call faults in the whole
// arena, where touching fresh pages one by one costs a fault per 4 KiB (the
// larger part of building a 10M-element list of fresh ints). Under ASan they
// come from malloc instead: LeakSanitizer scans malloc'd blocks for pointers
// but not mappings, and objects alive at exit point to malloc'd buffers.
#if defined(MAP_POPULATE) && !defined(LAB_ASAN)
#define ARENA_MMAP 1
#endif
static Arena *arena_new(void) {
#ifdef ARENA_MMAP
  void *p = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                 -1, 0);
  if (p == MAP_FAILED) die_oom();
  return p;
#else
  return xmalloc(ARENA_SIZE);
#endif
}

static void arena_free(Arena *a) {
#ifdef ARENA_MMAP
  munmap(a, ARENA_SIZE);
#else
  free(a);
#endif
}

static void *refill(int c) {
  size_t bs = (size_t)(c + 1) * ALIGN;
  if ((size_t)(bump_end - bump) < bs) {
    Arena *a = arena_new();
    a->next = arenas;
    arenas = a;
    bump = (char *)a + sizeof(Arena);
    bump_end = (char *)a + ARENA_SIZE;
    POISON(bump, (size_t)(bump_end - bump));
  }
  void *p = bump;
  bump += bs;
  UNPOISON(p, bs);
  return p;
}
#endif

// Never NULL for size <= POOL_MAX (the lab exits if the pools cannot grow);
// NULL with a MemoryError above.
// --alloc=malloc (obj_alloc_malloc) takes the LAB_NO_POOL path at run time:
// the test shares the size check's unlikely branch, so the pool path pays one
// predictable compare of a global that never changes.
bool obj_small_int_cache = true;
bool obj_struct_slots = false;
bool obj_alloc_malloc = false;

void obj_configure(bool small_int_cache, bool struct_slots, bool alloc_malloc) {
  obj_small_int_cache = small_int_cache;
  obj_struct_slots = struct_slots;
  obj_alloc_malloc = alloc_malloc;
}

static inline void *pool_alloc(size_t size) {
#ifdef LAB_NO_POOL
  return size > POOL_MAX ? big_malloc(size) : xmalloc(size);
#else
  if (UNLIKELY(size > POOL_MAX || obj_alloc_malloc)) return size > POOL_MAX ? big_malloc(size) : xmalloc(size);
  int c = (int)CLASS_OF(size);
  FreeBlock *f = free_lists[c];
  if (LIKELY(f != NULL)) {
    UNPOISON(f, (size_t)(c + 1) * ALIGN);
    free_lists[c] = f->next;
    return f;
  }
  return refill(c);
#endif
}

static inline void pool_free(void *p, size_t size) {
#ifdef LAB_NO_POOL
  (void)size;
  free(p);
#else
  if (UNLIKELY(size > POOL_MAX || obj_alloc_malloc)) {
    free(p);
    return;
  }
  int c = (int)CLASS_OF(size);
  FreeBlock *f = p;
  f->next = free_lists[c];
  free_lists[c] = f;
  POISON(f, (size_t)(c + 1) * ALIGN);
#endif
}

// ---- object allocation -----------------------------------------------------------
#ifdef LAB_DEBUG
static int64_t live_objects;
#define LIVE_INC() (live_objects++)
#define LIVE_DEC() (live_objects--)
#else
#define LIVE_INC() ((void)0)
#define LIVE_DEC() ((void)0)
#endif

#ifdef LAB_COUNTED
LabCounters lab_counters;
#endif

int64_t obj_live_count(void) {
#ifdef LAB_DEBUG
  return live_objects;
#else
  return 0;
#endif
}

// A container (vm/gc.h) gets a GcHead in front of it and is linked into the
// collector's generation 0; obj_free() unlinks it. `size` is the object's
// own size in both.
void *obj_alloc(size_t size, ObjType type) {
  Obj *o;
  if (gc_is_container_type(type)) {
    GcHead *h = pool_alloc(size > SIZE_MAX - sizeof(GcHead) ? SIZE_MAX : size + sizeof(GcHead));
    if (UNLIKELY(!h)) return NULL;
    gc_link(h);
    o = GC_OBJ(h);
  } else {
    o = pool_alloc(size);
    if (UNLIKELY(!o)) return NULL;
  }
  o->rc = 1;
  o->type = type;
  o->aux = 0;
  LIVE_INC();
  LAB_COUNT_ALLOC(type, gc_is_container_type(type) ? size + sizeof(GcHead) : size);
  return o;
}

void obj_free(void *p, size_t size) {
  LIVE_DEC();
  LAB_COUNT_FREE(gc_is_container_type(((Obj *)p)->type) ? size + sizeof(GcHead) : size);
  if (gc_is_container_type(((Obj *)p)->type)) {
    GcHead *h = GC_HEAD(p);
    gc_unlink(h);
    pool_free(h, size + sizeof(GcHead));
    return;
  }
  pool_free(p, size);
}

#ifdef LAB_COUNTED
void *obj_buf_alloc(size_t size) {
  void *p = pool_alloc(size ? size : 1);
  if (p) LAB_COUNT_BYTES(size ? size : 1);
  return p;
}

void obj_buf_free(void *p, size_t size) {
  if (p) {
    LAB_COUNT_UNBYTES(size ? size : 1);
    pool_free(p, size ? size : 1);
  }
}
#else
void *obj_buf_alloc(size_t size) { return pool_alloc(size ? size : 1); }

void obj_buf_free(void *p, size_t size) {
  if (p) pool_free(p, size ? size : 1);
}
#endif

void *obj_buf_realloc(void *p, size_t old_size, size_t new_size) {
  if (!p) return obj_buf_alloc(new_size);
#ifndef LAB_NO_POOL
  if (!obj_alloc_malloc && (old_size <= POOL_MAX || new_size <= POOL_MAX)) {
    // At least one side lives in a pool: same class means nothing to do.
    if (old_size <= POOL_MAX && new_size <= POOL_MAX && old_size && new_size &&
        CLASS_OF(old_size) == CLASS_OF(new_size)) {
#ifdef LAB_COUNTED
      lab_counters.live_bytes += (int64_t)new_size - (int64_t)old_size;
      if (lab_counters.live_bytes > lab_counters.peak_live_bytes) lab_counters.peak_live_bytes = lab_counters.live_bytes;
#endif
      return p;
    }
    void *q = obj_buf_alloc(new_size);
    if (!q) return NULL;
    memcpy(q, p, old_size < new_size ? old_size : new_size);
    obj_buf_free(p, old_size);
    return q;
  }
#else
  (void)old_size;
#endif
  void *q = new_size <= MAX_ALLOC ? realloc(p, new_size ? new_size : 1) : NULL;
  if (!q) obj_raise(RT_MEMORY, RT_MSG_OOM);
#ifdef LAB_COUNTED
  if (q) {
    LAB_COUNT_UNBYTES(old_size);
    LAB_COUNT_BYTES(new_size);
  }
#endif
  return q;
}

// ---- immortals ----------------------------------------------------------------------
Obj obj_none = {IMMORTAL_RC, T_NONE, 0};
IntObj obj_true = {{IMMORTAL_RC, T_BOOL, 0}, 1};
IntObj obj_false = {{IMMORTAL_RC, T_BOOL, 0}, 0};
IntObj obj_small_ints[SMALL_INT_MAX - SMALL_INT_MIN + 1];

void (*obj_thread_dealloc_hook)(Obj *o);
void (*obj_blocking_begin_hook)(void);
void (*obj_blocking_end_hook)(void);

Obj *int_new(int64_t v) {
  // One unsigned comparison checks both ends of -5..256.
  if ((uint64_t)v + 5 <= (uint64_t)(SMALL_INT_MAX - SMALL_INT_MIN) && LIKELY(obj_small_int_cache)) {
    IntObj *s = &obj_small_ints[v - SMALL_INT_MIN];
    INCREF(s);
    return (Obj *)s;
  }
  IntObj *o = pool_alloc(sizeof(IntObj));
  o->h.rc = 1;
  o->h.type = T_INT;
  o->h.aux = 0;
  o->v = v;
  LIVE_INC();
  LAB_COUNT_ALLOC(T_INT, sizeof(IntObj));
  return (Obj *)o;
}

Obj *float_new(double v) {
  FloatObj *o = pool_alloc(sizeof(FloatObj));
  o->h.rc = 1;
  o->h.type = T_FLOAT;
  o->h.aux = 0;
  o->v = v;
  LIVE_INC();
  LAB_COUNT_ALLOC(T_FLOAT, sizeof(FloatObj));
  return (Obj *)o;
}

_Thread_local int obj_walk_depth;

Obj *some_new_steal(Obj *v) {
  SomeObj *o = obj_alloc(sizeof(SomeObj), T_SOME);
  o->v = v;
  return (Obj *)o;
}

// ---- deallocation -------------------------------------------------------------------
// Freeing a container releases its elements, which may free theirs: a linked
// list of a million `?Node`s would recurse a million deep. As CPython's
// "trashcan", containers met deeper than TRASH_DEPTH are parked on a stack and
// freed by the outermost dealloc, so the C stack stays shallow.
enum { TRASH_DEPTH = 64 };
static int dealloc_depth;
static Obj **trash;
static size_t trash_len, trash_cap;

static void dealloc_container(Obj *o) {
  switch ((ObjType)o->type) {
  case T_LIST: {
    ListObj *l = (ListObj *)o;
    for (int64_t i = 0; i < l->len; i++) DECREF(l->items[i]);
    obj_buf_free(l->items, (size_t)l->cap * sizeof(Obj *));
    obj_free(l, sizeof(ListObj));
    return;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    for (int64_t i = 0; i < t->len; i++) XDECREF(t->items[i]);
    obj_free(t, sizeof(TupleObj) + (size_t)t->len * sizeof(Obj *));
    return;
  }
  case T_MAP:
    table_clear(&((MapObj *)o)->t);
    obj_free(o, sizeof(MapObj));
    return;
  case T_STRUCT:
    if (UNLIKELY(STRUCT_IS_SLOTS(o))) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      for (int i = 0; i < s->def->nfields; i++) XDECREF(s->slots[i]);
      obj_free(o, slots_struct_size(s->def));
      return;
    }
    table_clear(&((StructObj *)o)->fields);
    obj_free(o, sizeof(StructObj));
    return;
  case T_SOME:
    DECREF(((SomeObj *)o)->v);
    obj_free(o, sizeof(SomeObj));
    return;
  case T_ITER:
    DECREF(((IterObj *)o)->seq);
    obj_free(o, sizeof(IterObj));
    return;
  case T_THREAD:
    if (obj_thread_dealloc_hook) {
      obj_thread_dealloc_hook(o);
    } else {
      XDECREF(((ThreadObj *)o)->result);
      obj_free(o, sizeof(ThreadObj));
    }
    return;
  default:
    break;
  }
#ifdef LAB_DEBUG
  fprintf(stderr, "lab: internal error: dealloc of an immortal %s\n", obj_type_name(o));
  abort();
#else
  o->rc = IMMORTAL_RC;  // an immortal's count is never trusted
#endif
}

void obj_dealloc(Obj *o) {
  switch ((ObjType)o->type) {
  case T_INT:
    LIVE_DEC();
    LAB_COUNT_FREE(sizeof(IntObj));
    pool_free(o, sizeof(IntObj));
    return;
  case T_FLOAT:
    LIVE_DEC();
    LAB_COUNT_FREE(sizeof(FloatObj));
    pool_free(o, sizeof(FloatObj));
    return;
  case T_STR:
    obj_free(o, offsetof(StrObj, data) + (size_t)((StrObj *)o)->len + 1);
    return;
  default:
    break;
  }
  if (dealloc_depth >= TRASH_DEPTH) {
    if (trash_len == trash_cap) {
      trash_cap = trash_cap ? trash_cap * 2 : 256;
      Obj **t = realloc(trash, trash_cap * sizeof(Obj *));
      if (!t) die_oom();
      trash = t;
    }
    trash[trash_len++] = o;
    return;
  }
  dealloc_depth++;
  dealloc_container(o);
  if (dealloc_depth == 1) {
    while (trash_len > 0) dealloc_container(trash[--trash_len]);
  }
  dealloc_depth--;
}

// ---- errors -----------------------------------------------------------------------------
typedef struct ErrState {
  bool pending;
  RtErrorKind kind;
  char *msg;    // malloc'd, reused from one error to the next
  size_t cap;
} ErrState;

static _Thread_local ErrState err;

Obj *obj_raise(RtErrorKind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(err.msg, err.cap, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n + 1 > err.cap) {
    size_t cap = (size_t)n + 1 < 128 ? 128 : (size_t)n + 1;
    char *m = realloc(err.msg, cap);
    if (!m) die_oom();
    err.msg = m;
    err.cap = cap;
    va_start(ap, fmt);
    vsnprintf(err.msg, err.cap, fmt, ap);
    va_end(ap);
  }
  err.pending = true;
  err.kind = kind;
  return NULL;
}

bool obj_error_pending(void) { return err.pending; }
RtErrorKind obj_error_kind(void) { return err.kind; }
const char *obj_error_msg(void) { return err.pending && err.msg ? err.msg : ""; }
void obj_error_clear(void) { err.pending = false; }

// ---- struct and enum definitions -----------------------------------------------------------
StructDef *structdef_new(const char *name, int nfields, const char *const *fields) {
  StructDef *d = xmalloc(sizeof *d);
  d->name = str_intern(name, (int64_t)strlen(name));
  d->nfields = nfields;
  d->fields = xmalloc((size_t)nfields * sizeof(StrObj *));
  for (int i = 0; i < nfields; i++) d->fields[i] = str_intern(fields[i], (int64_t)strlen(fields[i]));
  return d;
}

// The names are interned, hence immortal: nothing to release but the arrays.
void structdef_free(StructDef *d) {
  if (!d) return;
  free(d->fields);
  free(d);
}

EnumDef *enumdef_new(const char *name, int nvariants, const char *const *variants) {
  EnumDef *d = xmalloc(sizeof *d);
  d->name = str_intern(name, (int64_t)strlen(name));
  d->nvariants = nvariants;
  d->variants = xmalloc((size_t)nvariants * sizeof(StrObj *));
  d->values = xmalloc((size_t)nvariants * sizeof(EnumObj *));
  for (int i = 0; i < nvariants; i++) {
    d->variants[i] = str_intern(variants[i], (int64_t)strlen(variants[i]));
    EnumObj *e = xmalloc(sizeof(EnumObj));  // immortal: outside the pools and the count
    e->h.rc = IMMORTAL_RC;
    e->h.type = T_ENUM;
    e->h.aux = 0;
    e->def = d;
    e->variant = i;
    d->values[i] = e;
  }
  return d;
}

void enumdef_free(EnumDef *d) {
  if (!d) return;
  for (int i = 0; i < d->nvariants; i++) free(d->values[i]);
  free(d->values);
  free(d->variants);
  free(d);
}

// ---- start and finish ------------------------------------------------------------------------
void obj_init(void) {
  for (int i = 0; i <= SMALL_INT_MAX - SMALL_INT_MIN; i++) {
    obj_small_ints[i].h.rc = IMMORTAL_RC;
    obj_small_ints[i].h.type = T_INT;
    obj_small_ints[i].h.aux = 0;
    obj_small_ints[i].v = SMALL_INT_MIN + i;
  }
}

void obj_finish(void) {
  str_intern_finish();
  free(trash);
  trash = NULL;
  trash_len = trash_cap = 0;
  free(err.msg);
  err.msg = NULL;
  err.cap = 0;
  err.pending = false;
#ifdef LAB_DEBUG
  // Objects still alive (a cycle, until the collector exists) may own malloc'd
  // buffers; keeping their arenas reachable keeps LeakSanitizer quiet about
  // what the program itself leaked. Only a clean run gives the pools back.
  if (live_objects != 0) return;
#endif
#ifndef LAB_NO_POOL
  while (arenas) {
    Arena *next = arenas->next;
    UNPOISON(arenas, ARENA_SIZE);
    arena_free(arenas);
    arenas = next;
  }
  memset(free_lists, 0, sizeof free_lists);
  bump = bump_end = NULL;
#endif
}
