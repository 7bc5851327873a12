// gc.h — the cycle collector of interp mode (SPEC §6): a generational
// collector for container objects in CPython's design (Modules/gcmodule.c).
// See vm/gc.c for the algorithm, the safe-point rule and its invariant.
//
// Every container object (list, map, struct instance, tuple, Some, iterator,
// thread handle) is allocated with a GcHead in front of it (as CPython's
// PyGC_Head): obj_alloc() links it into generation 0 (obj_alloc_container
// may leave it out, untracked: see below), obj_free() unlinks it.
// Other objects (ints, floats, strings, bools, None, enum values) carry no
// head, so their allocation and the VM's hot paths do not change.
#ifndef LAB_GC_H
#define LAB_GC_H

#include <stdbool.h>
#include <stdint.h>

#include "gil.h"
#include "object.h"
#include "objlock.h"

typedef struct GcHead {
  struct GcHead *next, *prev;  // the generation (or working list) it is in
  int64_t refs;                // GC_IDLE outside a collection; see gc.c
} GcHead;

enum { GC_NGENS = 3, GC_HIST_BUCKETS = 24 };

// The container types, as a bit mask over ObjType.
#define GC_CONTAINER_MASK                                                                  \
  ((1u << T_LIST) | (1u << T_MAP) | (1u << T_TUPLE) | (1u << T_STRUCT) | (1u << T_SOME) | \
   (1u << T_ITER) | (1u << T_THREAD))
static inline bool gc_is_container_type(uint32_t type) { return (GC_CONTAINER_MASK >> type) & 1u; }
#define GC_HEAD(o) ((GcHead *)(o) - 1)
#define GC_OBJ(h) ((Obj *)((GcHead *)(h) + 1))

// Counters for --stats. A pause is the wall time of one collection
// (clock_gettime(CLOCK_MONOTONIC)). pause_hist[i] counts pauses of less than
// 2^i microseconds and at least 2^(i-1) (bucket 0: under 1 µs); the last
// bucket also takes every longer pause.
typedef struct GcStats {
  int64_t collections[GC_NGENS];  // collections whose oldest generation was g
  int64_t collected;              // unreachable objects found (and freed), all collections
  int64_t total_pause_ns;
  int64_t max_pause_ns;
  int64_t pause_hist[GC_HIST_BUCKETS];
} GcStats;
extern GcStats gc_stats;

// Automatic collection: on (default) with thresholds 700, 10, 10. A
// threshold[0] of 0 also turns it off (as in CPython).
void gc_configure(bool enabled, const int threshold[GC_NGENS]);
// Containers currently tracked (alive), in all generations.
int64_t gc_tracked_count(void);

// Collects generation `gen` and all younger ones now; returns the number of
// unreachable objects found (all of them are freed). Only at a safe point.
int64_t gc_collect(int gen);

// The allocation path sets GIL_EVAL_GC in the VM's eval-breaker word (vm/gil.h)
// when generation 0 is over its threshold; the VM calls gc_collect_pending()
// at its next safe point.
void gc_collect_pending(void);

// ---- the allocation path's part (called by vm/alloc.c only) ----------------
typedef struct GcGen {
  GcHead head;     // sentinel of a circular list
  int64_t count;   // gen 0: container allocations minus deallocations since its
                   // last collection; gen g > 0: collections of gen g-1 since
  int threshold;
} GcGen;
extern GcGen gc_gens[GC_NGENS];
extern bool gc_auto;  // automatic collection on and no collection running
#ifdef LAB_COUNTED
extern int gc_trigger_line;  // the line whose allocation made the pending collection due
#endif

// --gil=off: the generations' lists and generation 0's count change under
// one lock (a leaf: nothing else is taken while it is held); a collection
// runs with the world stopped (gil_stop_world) and needs none.
#ifdef LAB_FT
void gc_lists_lock(void);
void gc_lists_unlock(void);
#define GC_LISTS_LOCK() (obj_gil_off ? gc_lists_lock() : (void)0)
#define GC_LISTS_UNLOCK() (obj_gil_off ? gc_lists_unlock() : (void)0)
#else
#define GC_LISTS_LOCK() ((void)0)
#define GC_LISTS_UNLOCK() ((void)0)
#endif

static inline void gc_append_gen0(GcHead *h) {
  GcHead *list = &gc_gens[0].head;
  h->prev = list->prev;
  h->next = list;
  list->prev->next = h;
  list->prev = h;
}
// A new container: into generation 0, or untracked (next == NULL) when
// `track` is false; counted towards generation 0's threshold either way.
static inline void gc_link(GcHead *h, bool track) {
  h->refs = INT64_MIN;  // GC_IDLE
  GC_LISTS_LOCK();
  if (track) gc_append_gen0(h);
  else h->next = h->prev = NULL;
#ifdef LAB_STRESS
  // The stress build (`make test-stress`, Lua's HARDMEMTESTS): every
  // container allocation asks for a collection at the next safe point
  // (gc_collect_pending: generation 0 every time, the older ones by their
  // thresholds).
  ++gc_gens[0].count;
  if (gc_auto) gil_breaker_set(GIL_EVAL_GC);
#else
  if (++gc_gens[0].count > gc_gens[0].threshold && gc_auto) {
#ifdef LAB_COUNTED
    if (gc_gens[0].count == gc_gens[0].threshold + 1) gc_trigger_line = lab_line;
#endif
    gil_breaker_set(GIL_EVAL_GC);
  }
#endif
  GC_LISTS_UNLOCK();
}

static inline void gc_unlink(GcHead *h) {
  GC_LISTS_LOCK();
  if (h->next) {
    h->prev->next = h->next;
    h->next->prev = h->prev;
  }
  if (gc_gens[0].count > 0) gc_gens[0].count--;
  GC_LISTS_UNLOCK();
}

// Untracked maps and struct instances, as CPython's dicts (MAINTAIN_TRACKING
// in Objects/dictobject.c; a struct instance is a table of its fields, its
// own __dict__, SPEC §6): one starts outside every generation and is tracked
// from the first time a container is stored in it as a value (gc_maybe_track).
// Until then it refers to no container (keys are ints and strings), so it can
// be part of no cycle, and the collector need not walk it: a program that
// keeps 300,000 records of ints is not walked again and again. An untracked
// object's head has next == NULL; its allocation still counted towards
// generation 0's threshold, as in CPython.
static inline bool gc_is_tracked(const Obj *o) { return GC_HEAD(o)->next != NULL; }
// The same, read under the lists' lock (a neighbour's link changes `next`).
static inline bool gc_tracked(const Obj *o) {
  GC_LISTS_LOCK();
  bool t = gc_is_tracked(o);
  GC_LISTS_UNLOCK();
  return t;
}
static inline void gc_track(Obj *o) {
  GC_LISTS_LOCK();
  gc_append_gen0(GC_HEAD(o));
  GC_LISTS_UNLOCK();
}
// After `value` was stored in the untracked-until-needed container o.
static inline void gc_maybe_track(Obj *o, const Obj *value) {
  if (!gc_is_container_type(value->type)) return;
  GC_LISTS_LOCK();
  if (!gc_is_tracked(o)) gc_append_gen0(GC_HEAD(o));
  GC_LISTS_UNLOCK();
}

#endif
