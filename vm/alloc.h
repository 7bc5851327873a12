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

extern AllocFreeBlock *alloc_free_lists[ALLOC_NCLASSES];
// --alloc=malloc (docs/interp.md "Ablation switches"): every block is its
// own malloc. Set by obj_configure() before the run.
extern bool obj_alloc_malloc;

void *alloc_refill(int c);        // a block of class c from the arenas (never NULL)
void *alloc_malloc(size_t size);  // malloc: NULL with a MemoryError raised above the pools,
                                  // exits (rt_out_of_memory) for a small block
void alloc_finish(void);          // gives every arena back (the end of a clean run)

// LAB_DEBUG: objects alive (non-immortal), for the leak check at exit.
#ifdef LAB_DEBUG
extern int64_t alloc_live_objects;
#define ALLOC_LIVE_INC() (alloc_live_objects++)
#define ALLOC_LIVE_DEC() (alloc_live_objects--)
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
