// objlock.h — the per-object locks of the free-threaded build with the GIL
// off (--gil=off; docs/free-threading.md), after CPython 3.13t's critical
// sections (PEP 703, "Container thread-safety").
//
// Every list, map and struct instance carries a one-byte lock in its header
// (Obj.mutex, PEP 703's ob_mutex). With the GIL off, each operation on a
// container takes that container's lock for as long as it touches the
// container's storage: reading an item and taking a reference to it,
// storing one, appending, removing, growing. A data race in Toy can so lose
// an update (read, then write, as two operations) but never see a list
// halfway through growing, or a table halfway through a rebuild.
//
// THE RULE THAT AVOIDS DEADLOCK. A thread holds at most one container lock
// at a time, except through obj_lock2, which takes two in address order, as
// Py_BEGIN_CRITICAL_SECTION2 does:
//  * a walk that goes into the elements — ==, clone, printing, str(),
//    contains — first takes a snapshot of the container's references under
//    its lock (obj_snapshot: each one INCREF'd), lets the lock go, and walks
//    the snapshot; so a walk into nested containers holds one lock at a
//    time, however deep, and a cycle of containers cannot make two walks
//    wait for each other; list.sort takes its items out of the list, as
//    CPython's does, and sorts them with no lock held;
//  * the one operation that needs two containers at once, a + b of two
//    lists, takes both with obj_lock2: in address order, so two threads
//    taking the same pair take them in the same order, and neither can hold
//    one while it waits for the other.
// While it holds a container lock a thread waits for no other container's
// lock and for nothing that could wait for one: the locks it may still
// take are leaves (the allocator's, the collector's lists', the owners'
// queues of biased counting, the thread registry's, when a DECREF frees a
// thread handle), each let go before anything else is waited for. Nothing
// a container's dealloc does takes a container lock: nobody else can
// reach a container whose count is 0.
// The lock itself is PyMutex's design: the byte is 0 (free), LOCKED, or
// LOCKED|PARKED (someone sleeps on it). Taking a free lock is one
// compare-and-swap; a taken one is spun on briefly, then waited for on a
// condition variable in a small table keyed by the lock's address (the
// "parking lot"), so a thread waiting for a lock held by a descheduled
// thread sleeps instead of burning its core.
//
// With the GIL on (and in the default build) obj_lock is a test of a
// global and nothing more; the default build compiles it to nothing.
#ifndef LAB_OBJLOCK_H
#define LAB_OBJLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "object.h"

#ifdef LAB_FT
#include <stdatomic.h>
extern bool obj_gil_off;  // --gil=off; fixed before the first thread starts
enum { OBJLOCK_LOCKED = 1, OBJLOCK_PARKED = 2 };
void objlock_lock_slow(Obj *o);
void objlock_unlock_slow(Obj *o);
// This thread's counts: acquisitions, and those that found the lock taken.
extern _Thread_local int64_t objlock_acquired, objlock_contended;
static inline void obj_lock(Obj *o) {
  if (!obj_gil_off) return;
  objlock_acquired++;
  uint8_t free_ = 0;
  if (!atomic_compare_exchange_strong_explicit(&o->mutex, &free_, OBJLOCK_LOCKED, memory_order_acquire,
                                               memory_order_relaxed))
    objlock_lock_slow(o);
}
static inline void obj_unlock(Obj *o) {
  if (!obj_gil_off) return;
  uint8_t held = OBJLOCK_LOCKED;
  if (!atomic_compare_exchange_strong_explicit(&o->mutex, &held, 0, memory_order_release, memory_order_relaxed))
    objlock_unlock_slow(o);
}
#else
#define obj_gil_off false
static inline void obj_lock(Obj *o) { (void)o; }
static inline void obj_unlock(Obj *o) { (void)o; }
#endif

// Two containers at once, in address order (the same one once).
static inline void obj_lock2(Obj *a, Obj *b) {
  if (a == b) {
    obj_lock(a);
  } else if ((uintptr_t)a < (uintptr_t)b) {
    obj_lock(a);
    obj_lock(b);
  } else {
    obj_lock(b);
    obj_lock(a);
  }
}
static inline void obj_unlock2(Obj *a, Obj *b) {
  obj_unlock(a);
  if (a != b) obj_unlock(b);
}

// ---- snapshots: the references of a container, to walk without its lock ----
// With the GIL on, a snapshot borrows the container's own array (no walk
// can change a container: Toy has no user-defined ==, ordering or printing,
// so the walk runs no Toy code). With it off, it copies the references under
// the lock, each INCREF'd, and obj_snapshot_release lets them go.
// A list or tuple gives its items; a map its keys and values alternately
// (k0, v0, k1, v1 ...); a struct instance its field values in declaration
// order, NULL for a field not set.
typedef struct ObjSnapshot {
  Obj **items;
  int64_t n;
  bool owned;        // items copied (and INCREF'd): release them
  int64_t cap;       // owned and not in small: the buffer's length
  Obj *small[8];
} ObjSnapshot;
// 0, or -1 with a MemoryError raised (nothing to release). Borrowing is
// inline: the walks of the default build pay no call for it.
int obj_snapshot_copy(Obj *o, ObjSnapshot *s);
void obj_snapshot_release_copy(ObjSnapshot *s);
// The references of a list, tuple or slots struct, in place (*n of them).
static inline Obj **obj_items(Obj *o, int64_t *n) {
  if (o->type == T_LIST) return *n = ((ListObj *)o)->len, ((ListObj *)o)->items;
  if (o->type == T_TUPLE) return *n = ((TupleObj *)o)->len, ((TupleObj *)o)->items;
  return *n = ((SlotsStructObj *)o)->def->nfields, ((SlotsStructObj *)o)->slots;  // a slots struct
}
static inline int obj_snapshot(Obj *o, ObjSnapshot *s) {
  s->owned = false;
  // A tuple never changes: borrowed in every mode.
  if (obj_gil_off && o->type != T_TUPLE) return obj_snapshot_copy(o, s);
  s->items = obj_items(o, &s->n);
  return 0;
}
static inline void obj_snapshot_release(ObjSnapshot *s) {
  if (s->owned) obj_snapshot_release_copy(s);
}
// The same for the table of o, a map or a dict-layout struct instance
// (obj_table): a copy with every key and value INCREF'd (GIL off), or the
// table itself. table_get works on it. 0, or -1 with a MemoryError.
int obj_table_snapshot_copy(Obj *o, Table *out);
void obj_table_snapshot_release_copy(Table *snap);
static inline int obj_table_snapshot(Obj *o, Table *out) {
  if (obj_gil_off) return obj_table_snapshot_copy(o, out);
  *out = *obj_table(o);
  return 0;
}
static inline void obj_table_snapshot_release(Table *snap) {
  if (obj_gil_off) obj_table_snapshot_release_copy(snap);
}

// The lock statistics of the run (--stats), every thread's added at its end.
typedef struct LockStats {
  int64_t acquired, contended;
} LockStats;
void objlock_thread_end(void);
void objlock_stats(LockStats *out);

#endif
