// alloc.h — the boxing cost: the pool allocator every interp object and
// every small buffer comes from (the notes are at the top of vm/alloc.c).
// The fast paths are inline here, so that alloc_int and the deallocation of
// an int or float (vm/object.c) cost a free-list pop or push; the slow paths
// (a new arena, malloc for large blocks) and object allocation with its GC
// header and counts are in alloc.c.
#ifndef LAB_ALLOC_H
#define LAB_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "object.h"

// ---- ablation switches (`lab run` options, docs/interp.md "Ablation switches") ----
// Set once by obj_configure() before obj_init() and never changed during a
// run. Defaults: true, false, false.
//  obj_small_int_cache  false (--no-small-int-cache): alloc_int and the VM
//                       allocate every int, -5..256 included
//  obj_struct_slots     true (--struct-fields=slots): table_new_struct makes
//                       SlotsStructObj instances
//  obj_alloc_malloc     true (--alloc=malloc): every object and buffer is
//                       its own malloc/free, no pools
extern bool obj_small_int_cache;
extern bool obj_struct_slots;
extern bool obj_alloc_malloc;
void obj_configure(bool small_int_cache, bool struct_slots, bool alloc_malloc);

// ---- allocation ------------------------------------------------------------------
// Every object is allocated through obj_alloc(), which uses a pool allocator
// for small sizes (like pymalloc) and malloc above. Out of memory (SPEC §6:
// never a crash): a request above the pool size (a long string or tuple)
// that malloc refuses returns NULL with a MemoryError raised, so the program
// gets a traceback; a small request cannot fail — if the pools cannot grow,
// the lab prints "MemoryError: out of memory" and exits 1 (rt_out_of_memory, runtime/xalloc.h),
// as that failure could not be propagated from everywhere objects are made.
// In a LAB_DEBUG build obj_live_count() is the number of non-immortal objects
// alive; it must be zero at the end of a cycle-free run.
void *obj_alloc(size_t size, ObjType type);  // sets rc = 1 and type; NULL (MemoryError) only for size > 512
// The same for a container that starts untracked by the collector when
// `track` is false (a map, or a struct instance with no container value yet:
// vm/gc.h gc_maybe_track).
void *obj_alloc_container(size_t size, ObjType type, bool track);
void obj_free(void *p, size_t size);        // raw release (used by dealloc)
int64_t obj_live_count(void);
// Raw buffers owned by objects (list items, table blocks): from the same
// pools when small, malloc above. Not counted as objects. A block that
// cannot be had (malloc fails, or the size does not fit in a ptrdiff_t)
// gives NULL with a MemoryError raised; obj_buf_realloc then leaves p as it
// was. Small blocks fail as obj_alloc's do (exit, never NULL).
void *obj_buf_alloc(size_t size);
void *obj_buf_realloc(void *p, size_t old_size, size_t new_size);
void obj_buf_free(void *p, size_t size);
// `n` items of `size` bytes each, or SIZE_MAX if that overflows or exceeds
// what any allocation can be (so that obj_buf_alloc fails on it).
static inline size_t obj_size_mul(int64_t n, size_t size) {
  if (n < 0 || (uint64_t)n > (uint64_t)PTRDIFF_MAX / size) return SIZE_MAX;
  return (size_t)n * size;
}
// ---- boxing (new references) ----------------------------------------------------
Obj *alloc_int(int64_t v);           // cached for -5..256
Obj *alloc_float(double v);

// ---- the pools (vm/alloc.c and the inline fast paths) ------------------------------

#if defined(__SANITIZE_ADDRESS__)
#define LAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LAB_ASAN 1
#endif
#endif
#ifdef LAB_ASAN
#include <sanitizer/asan_interface.h>
#define ALLOC_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ALLOC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ALLOC_POISON(p, n) ((void)(p), (void)(n))
#define ALLOC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

// Size classes of ALLOC_ALIGN bytes up to ALLOC_POOL_MAX; arenas of ARENA_SIZE.
enum { ALLOC_ALIGN = 8, ALLOC_POOL_MAX = 512, ALLOC_NCLASSES = ALLOC_POOL_MAX / ALLOC_ALIGN };
#define ALLOC_CLASS_OF(size) (((size) - 1) / ALLOC_ALIGN)  // size 1..POOL_MAX -> 0..NCLASSES-1

typedef struct AllocFreeBlock {
  struct AllocFreeBlock *next;
} AllocFreeBlock;

// The free-threaded build (docs/free-threading.md) gives each thread its
// own free lists, and locks only the slow path that carves a new block
// from the arenas (alloc_refill). A block freed by another thread joins
// that thread's lists: blocks never leave the arenas before alloc_finish,
// so any thread may reuse any block. An ended thread's lists go to the
// next thread that refills their class (alloc_thread_end).
extern LAB_FT_TLS AllocFreeBlock *alloc_free_lists[ALLOC_NCLASSES];

void *alloc_refill(int c);        // a block of class c from the arenas (never NULL)
void *alloc_malloc(size_t size);  // malloc: NULL with a MemoryError raised above the pools,
                                  // exits (rt_out_of_memory) for a small block
void alloc_finish(void);          // gives every arena back (the end of a clean run)
void alloc_thread_end(void);      // free-threaded build: a thread's lists, for the next threads

// LAB_DEBUG: objects alive (non-immortal), for the leak check at exit.
#ifdef LAB_DEBUG
extern int64_t alloc_live_objects;
#define ALLOC_LIVE_INC() __atomic_fetch_add(&alloc_live_objects, 1, __ATOMIC_RELAXED)
#define ALLOC_LIVE_DEC() __atomic_fetch_sub(&alloc_live_objects, 1, __ATOMIC_RELAXED)
#else
#define ALLOC_LIVE_INC() ((void)0)
#define ALLOC_LIVE_DEC() ((void)0)
#endif

// Never NULL for size <= ALLOC_POOL_MAX (the lab exits if the pools cannot
// grow); NULL with a MemoryError above. --alloc=malloc shares the size
// check's unlikely branch: the pool path pays one predictable compare.
static inline void *alloc_pool(size_t size) {
#ifdef LAB_NO_POOL
  return alloc_malloc(size);
#else
  if (__builtin_expect(size > ALLOC_POOL_MAX || obj_alloc_malloc, 0)) return alloc_malloc(size);
  int c = (int)ALLOC_CLASS_OF(size);
  AllocFreeBlock *f = alloc_free_lists[c];
  if (__builtin_expect(f != NULL, 1)) {
    ALLOC_UNPOISON(f, (size_t)(c + 1) * ALLOC_ALIGN);
    alloc_free_lists[c] = f->next;
    return f;
  }
  return alloc_refill(c);
#endif
}

static inline void alloc_pool_free(void *p, size_t size) {
#ifdef LAB_NO_POOL
  (void)size;
  free(p);
#else
  if (__builtin_expect(size > ALLOC_POOL_MAX || obj_alloc_malloc, 0)) {
    free(p);
    return;
  }
  int c = (int)ALLOC_CLASS_OF(size);
  AllocFreeBlock *f = p;
  f->next = alloc_free_lists[c];
  alloc_free_lists[c] = f;
  ALLOC_POISON(f, (size_t)(c + 1) * ALLOC_ALIGN);
#endif
}

#endif
