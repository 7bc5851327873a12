// alloc.c — the boxing cost: the pool allocator every interp object comes
// from (the fast paths are inline in vm/alloc.h), object allocation with its
// GC header and counts, raw buffers, and the boxing of ints and floats.
//
// ---- Notes about the allocator ------------------------------------------------
// Like CPython's pymalloc: requests up to POOL_MAX bytes are rounded up to a
// multiple of 8 (a "size class", so a 24-byte int takes 24 bytes, not 32); each class has a free list of blocks; a
// class with an empty free list carves a new block from the current 256 KiB
// arena with a bump pointer. Blocks are never handed back to malloc while the
// program runs, only all together by obj_finish(). Larger requests go to
// malloc. There is no lock: only the thread holding the GIL allocates (SPEC
// §6), and the blocking builtins touch no object while the GIL is released.
// The free-threaded build makes the free lists per-thread instead, and
// locks the bump pointer (alloc.h).
//
// Invariants: a block on free list c is (c+1)*8 bytes, 8-byte aligned (no
// object holds anything that needs more), and its first word is
// the next free block; in an AddressSanitizer build a free block is poisoned
// entirely, so a use after free — even a stray DECREF — is reported. Build
// with -DLAB_NO_POOL to give every object its own malloc instead (then ASan
// also sees object leaks).
#include "alloc.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "gc.h"
#include "object.h"
#include "xalloc.h"

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

// ---- pools ---------------------------------------------------------------------
enum { ARENA_SIZE = 256 * 1024 };

// An arena starts with this header; blocks are carved after it.
typedef struct Arena {
  struct Arena *next;
  char pad[8];
} Arena;

LAB_FT_TLS AllocFreeBlock *alloc_free_lists[ALLOC_NCLASSES];
#ifndef LAB_NO_POOL
static char *bump, *bump_end;
static Arena *arenas;
#ifdef LAB_FT
static pthread_mutex_t bump_lock = PTHREAD_MUTEX_INITIALIZER;  // the free-threaded build: alloc_refill
#endif
#endif

void *alloc_malloc(size_t n) {
  if (n <= ALLOC_POOL_MAX) {
    void *p = malloc(n ? n : 1);
    if (!p) rt_out_of_memory();
    return p;
  }
  // A large block: NULL with a MemoryError raised if malloc refuses it or
  // the size is beyond any allocation.
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
  if (p == MAP_FAILED) rt_out_of_memory();
  return p;
#else
  void *p = malloc(ARENA_SIZE);
  if (!p) rt_out_of_memory();
  return p;
#endif
}

static void arena_free(Arena *a) {
#ifdef ARENA_MMAP
  munmap(a, ARENA_SIZE);
#else
  free(a);
#endif
}

// The free-threaded build carves a run of blocks at a time, REFILL_RUN
// bytes from a cache-line boundary, and keeps them on this thread's lists:
// two threads' objects then never share a cache line. Carved one by one,
// they would interleave, and each thread's count updates would keep taking
// the other's line away (false sharing: with the GIL off, two threads
// counting primes ran slower than one).
enum { CACHE_LINE = 64, REFILL_RUN = 1024 };

#ifdef LAB_FT
// The lists of threads that have ended, each class's blocks handed on whole
// to the next thread that refills that class (under bump_lock).
static AllocFreeBlock *orphans[ALLOC_NCLASSES];

void alloc_thread_end(void) {
  pthread_mutex_lock(&bump_lock);
  for (int c = 0; c < ALLOC_NCLASSES; c++) {
    AllocFreeBlock *f = alloc_free_lists[c];
    if (!f) continue;
    for (;;) {  // to the last block (poisoned but for its link)
      ALLOC_UNPOISON(f, sizeof *f);
      AllocFreeBlock *next = f->next;
      if (!next) break;
      ALLOC_POISON(f, sizeof *f);
      f = next;
    }
    f->next = orphans[c];
    ALLOC_POISON(f, sizeof *f);
    orphans[c] = alloc_free_lists[c];
    alloc_free_lists[c] = NULL;
  }
  pthread_mutex_unlock(&bump_lock);
}
#endif

void *alloc_refill(int c) {
  size_t bs = (size_t)(c + 1) * ALLOC_ALIGN, run = bs;
#ifdef LAB_FT
  pthread_mutex_lock(&bump_lock);
  AllocFreeBlock *o = orphans[c];
  if (o) {  // an ended thread's blocks: all of them, onto this thread's list
    orphans[c] = NULL;
    pthread_mutex_unlock(&bump_lock);
    ALLOC_UNPOISON(o, bs);
    alloc_free_lists[c] = o->next;
    return o;
  }
  run = REFILL_RUN / bs * bs;
  size_t pad = bump ? (CACHE_LINE - (uintptr_t)bump % CACHE_LINE) % CACHE_LINE : 0;
  bump = pad < (size_t)(bump_end - bump) ? bump + pad : bump_end;
#endif
  if ((size_t)(bump_end - bump) < run) {
    Arena *a = arena_new();
    a->next = arenas;
    arenas = a;
    bump = (char *)a + sizeof(Arena);
    bump_end = (char *)a + ARENA_SIZE;
    ALLOC_POISON(bump, (size_t)(bump_end - bump));
  }
  char *p = bump;
  bump += run;
#ifdef LAB_FT
  pthread_mutex_unlock(&bump_lock);
  for (char *q = p + run - bs; q > p; q -= bs) {  // all but the first, onto this thread's list
    AllocFreeBlock *f = (AllocFreeBlock *)q;
    ALLOC_UNPOISON(f, sizeof *f);
    f->next = alloc_free_lists[c];
    alloc_free_lists[c] = f;
    ALLOC_POISON(f, bs);
  }
#endif
  ALLOC_UNPOISON(p, bs);
  return p;
}
#endif

// The ablation switches (vm/object.h), set once before the run.
bool obj_small_int_cache = true;
bool obj_struct_slots = false;
bool obj_alloc_malloc = false;  // declared in alloc.h

void obj_configure(bool small_int_cache, bool struct_slots, bool alloc_malloc) {
  obj_small_int_cache = small_int_cache;
  obj_struct_slots = struct_slots;
  obj_alloc_malloc = alloc_malloc;
}

// ---- object allocation -----------------------------------------------------------
#ifdef LAB_DEBUG
int64_t alloc_live_objects;
#endif

#if defined(LAB_COUNTED) && defined(LAB_FT)
_Thread_local LabCounters lab_counters;
static LabCounters ended;  // the counts of the threads that have ended
static _Atomic int64_t live_bytes, peak_live_bytes;
static pthread_mutex_t ended_lock = PTHREAD_MUTEX_INITIALIZER;

void lab_live_bytes_add(int64_t delta) {
  int64_t now = atomic_fetch_add_explicit(&live_bytes, delta, memory_order_relaxed) + delta;
  int64_t peak = atomic_load_explicit(&peak_live_bytes, memory_order_relaxed);
  while (now > peak && !atomic_compare_exchange_weak_explicit(&peak_live_bytes, &peak, now, memory_order_relaxed,
                                                              memory_order_relaxed)) {
  }
}

void lab_counters_thread_end(void) {
  pthread_mutex_lock(&ended_lock);
  LAB_ADD_COUNTS(&ended, &lab_counters);
  pthread_mutex_unlock(&ended_lock);
  memset(&lab_counters, 0, sizeof lab_counters);
}

void lab_counters_total(LabCounters *out) {
  pthread_mutex_lock(&ended_lock);
  *out = ended;
  pthread_mutex_unlock(&ended_lock);
  LAB_ADD_COUNTS(out, &lab_counters);
  out->live_bytes = atomic_load(&live_bytes);
  out->peak_live_bytes = atomic_load(&peak_live_bytes);
}
#elif defined(LAB_COUNTED)
LabCounters lab_counters;
void lab_counters_total(LabCounters *out) { *out = lab_counters; }
#endif

int64_t obj_live_count(void) {
#ifdef LAB_DEBUG
  return alloc_live_objects;
#else
  return 0;
#endif
}

// A container (vm/gc.h) gets a GcHead in front of it and is linked into the
// collector's generation 0; obj_free() unlinks it. `size` is the object's
// own size in both.
static inline void *alloc_obj(size_t size, ObjType type, bool track) {
  Obj *o;
  if (gc_is_container_type(type)) {
    GcHead *h = alloc_pool(size > SIZE_MAX - sizeof(GcHead) ? SIZE_MAX : size + sizeof(GcHead));
    if (__builtin_expect(!h, 0)) return NULL;
    gc_link(h, track);
    o = GC_OBJ(h);
  } else {
    o = alloc_pool(size);
    if (__builtin_expect(!o, 0)) return NULL;
  }
  o->rc = 1;
  o->type = type;
  o->aux = 0;
  OBJ_OWN(o);
  ALLOC_LIVE_INC();
  LAB_COUNT_ALLOC(type, gc_is_container_type(type) ? size + sizeof(GcHead) : size);
  return o;
}

void *obj_alloc(size_t size, ObjType type) { return alloc_obj(size, type, true); }
void *obj_alloc_container(size_t size, ObjType type, bool track) { return alloc_obj(size, type, track); }

void obj_free(void *p, size_t size) {
  ALLOC_LIVE_DEC();
  LAB_COUNT_FREE(gc_is_container_type(((Obj *)p)->type) ? size + sizeof(GcHead) : size);
  if (gc_is_container_type(((Obj *)p)->type)) {
    GcHead *h = GC_HEAD(p);
    gc_unlink(h);
    alloc_pool_free(h, size + sizeof(GcHead));
    return;
  }
  alloc_pool_free(p, size);
}

#ifdef LAB_COUNTED
void *obj_buf_alloc(size_t size) {
  void *p = alloc_pool(size ? size : 1);
  if (p) LAB_COUNT_BYTES(size ? size : 1);
  return p;
}

void obj_buf_free(void *p, size_t size) {
  if (p) {
    LAB_COUNT_UNBYTES(size ? size : 1);
    alloc_pool_free(p, size ? size : 1);
  }
}
#else
void *obj_buf_alloc(size_t size) { return alloc_pool(size ? size : 1); }

void obj_buf_free(void *p, size_t size) {
  if (p) alloc_pool_free(p, size ? size : 1);
}
#endif

void *obj_buf_realloc(void *p, size_t old_size, size_t new_size) {
  if (!p) return obj_buf_alloc(new_size);
#ifndef LAB_NO_POOL
  if (!obj_alloc_malloc && (old_size <= ALLOC_POOL_MAX || new_size <= ALLOC_POOL_MAX)) {
    // At least one side lives in a pool: same class means nothing to do.
    if (old_size <= ALLOC_POOL_MAX && new_size <= ALLOC_POOL_MAX && old_size && new_size &&
        ALLOC_CLASS_OF(old_size) == ALLOC_CLASS_OF(new_size)) {
#ifdef LAB_COUNTED
      LAB_COUNT_LIVE((int64_t)new_size - (int64_t)old_size);
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

// Boxing: every int outside the small-int cache, and every float, is a
// fresh object from the pools.
Obj *alloc_int(int64_t v) {
  // One unsigned comparison checks both ends of -5..256.
  if ((uint64_t)v + 5 <= (uint64_t)(SMALL_INT_MAX - SMALL_INT_MIN) && __builtin_expect(obj_small_int_cache, 1)) {
    IntObj *s = &obj_small_ints[v - SMALL_INT_MIN];
    INCREF(s);
    return (Obj *)s;
  }
  IntObj *o = alloc_pool(sizeof(IntObj));
  o->h.rc = 1;
  o->h.type = T_INT;
  o->h.aux = 0;
  OBJ_OWN(&o->h);
  o->v = v;
  ALLOC_LIVE_INC();
  LAB_COUNT_ALLOC(T_INT, sizeof(IntObj));
  return (Obj *)o;
}

Obj *alloc_float(double v) {
  FloatObj *o = alloc_pool(sizeof(FloatObj));
  o->h.rc = 1;
  o->h.type = T_FLOAT;
  o->h.aux = 0;
  OBJ_OWN(&o->h);
  o->v = v;
  ALLOC_LIVE_INC();
  LAB_COUNT_ALLOC(T_FLOAT, sizeof(FloatObj));
  return (Obj *)o;
}

void alloc_finish(void) {
#ifndef LAB_NO_POOL
  while (arenas) {
    Arena *next = arenas->next;
    ALLOC_UNPOISON(arenas, ARENA_SIZE);
    arena_free(arenas);
    arenas = next;
  }
  memset(alloc_free_lists, 0, sizeof alloc_free_lists);
  bump = bump_end = NULL;
#endif
}
