// refcount.c — thread-safe reference counting in the free-threaded build
// (build/ft/lab, -DLAB_FT; docs/free-threading.md), in PEP 703's design.
//
// BIASED COUNTING. Most objects are only ever touched by the thread that
// made them, so that thread — the owner, Obj.tid — keeps a local count in
// Obj.rc with plain loads and stores (no lock prefix, no cache-line
// ping-pong). Every other thread counts in Obj.shared with atomic adds.
// The shared word is count << 2 | flags: the count may go negative (another
// thread releases a reference the owner counted), which is why an object is
// freed only when both halves are known.
//
// THE MERGE PROTOCOL. Two events end an object's life; each decides with
// one compare-and-swap on shared, so exactly one thread frees it:
//   1. The owner's local count reaches 0 (obj_rc_zero_local). If shared is
//      0, no other thread has a reference: free it. Otherwise the owner gives
//      the object up — tid becomes 0, and shared gets the MERGED flag — and
//      from then on every thread (the old owner too, as tid no longer
//      matches) counts in shared alone; if the shared count was 0 with only
//      the QUEUED flag set, the object is freed now.
//   2. Another thread releases a reference (obj_rc_dec_shared):
//      - MERGED set: subtract; the thread that takes the count to 0 frees it;
//      - shared exactly 0 (nothing counted there, not queued): the count
//        cannot be decided without the owner's half, so instead of
//        subtracting, the thread sets QUEUED and gives the object (with the
//        reference it was releasing) to its owner's queue; the owner merges
//        it at its next safe point (obj_rc_merge_queue: local + shared - 1,
//        then MERGED) and frees it if that is 0;
//      - otherwise subtract (possibly going negative).
//   If the owner has exited, its local count can no longer change, so the
//   releasing thread merges the object itself, at once.
// Thread ids are never reused, so a dead owner's id matches no thread.
#ifdef LAB_FT
#include <pthread.h>
#include <stdlib.h>

#include "gil.h"
#include "object.h"
#include "xalloc.h"

int obj_rc_mode = OBJ_RC_PLAIN;
_Thread_local uint32_t obj_tid;

// The live threads and their queues of objects to merge, under one lock (a
// queue is pushed to only on the slow path above).
typedef struct Owner {
  uint32_t tid;
  Obj **queue;
  int n, cap;
  _Atomic int *pending;  // the owner's my_pending: n, readable without the lock
} Owner;
static pthread_mutex_t owners_lock = PTHREAD_MUTEX_INITIALIZER;
static Owner *owners;
static int nowners, capowners;
static uint32_t next_tid = 1;  // 2^32 threads in one run would wrap: far beyond any Toy program
static int64_t queued_total;  // objects in all queues: the eval breaker's bit stays while > 0
// This thread's queue length, so that a thread whose queue is empty answers
// GIL_EVAL_MERGE (set while any queue is not) without taking owners_lock:
// with the GIL off, every running thread sees the bit while an owner is
// blocked in a join.
static _Thread_local _Atomic int my_pending;

static Owner *find_owner(uint32_t tid) {
  for (int i = 0; i < nowners; i++)
    if (owners[i].tid == tid) return &owners[i];
  return NULL;
}

void obj_rc_thread_begin(void) {
  if (obj_tid) return;  // already an owner (a second vm_setup in one process)
  pthread_mutex_lock(&owners_lock);
  obj_tid = next_tid++;
  if (nowners == capowners) {
    capowners = capowners ? capowners * 2 : 8;
    owners = rt_xrealloc(owners, (size_t)capowners * sizeof *owners);
  }
  owners[nowners++] = (Owner){obj_tid, NULL, 0, 0, &my_pending};
  pthread_mutex_unlock(&owners_lock);
}

// Sets the count of an object no thread owns any more (its owner is this
// thread, or has exited): local + shared + delta, MERGED; frees it at 0.
static void merge_now(Obj *o, int64_t delta) {
  LAB_COUNT(rc_merges);
  int64_t local = __atomic_load_n(&o->rc, __ATOMIC_RELAXED);
  atomic_store_explicit(&o->tid, 0, memory_order_relaxed);
  __atomic_store_n(&o->rc, 0, __ATOMIC_RELAXED);
  int64_t shared = atomic_load_explicit(&o->shared, memory_order_relaxed), next;
  do {
    next = ((((shared >> OBJ_RC_SHIFT) + local + delta)) << OBJ_RC_SHIFT) | OBJ_RC_MERGED;
  } while (!atomic_compare_exchange_weak_explicit(&o->shared, &shared, next, memory_order_acq_rel,
                                                  memory_order_relaxed));
  if (next == OBJ_RC_MERGED) obj_dealloc(o);
}

// Takes this thread's queue, and with `leave` its place among the owners
// too (its end: from then on a releasing thread merges at once), then
// merges each object and releases the queue's reference.
static void merge_own_queue(bool leave) {
  pthread_mutex_lock(&owners_lock);
  Owner *me = find_owner(obj_tid);
  Obj **q = me ? me->queue : NULL;
  int n = me ? me->n : 0;
  if (me) me->queue = NULL, me->n = me->cap = 0;
  if (me && leave) *me = owners[--nowners];
  atomic_store_explicit(&my_pending, 0, memory_order_relaxed);
  queued_total -= n;
  if (queued_total == 0) gil_breaker_clear(GIL_EVAL_MERGE);
  pthread_mutex_unlock(&owners_lock);
  for (int i = 0; i < n; i++) merge_now(q[i], -1);
  free(q);
}

void obj_rc_merge_queue(void) {
  if (atomic_load_explicit(&my_pending, memory_order_acquire) != 0) merge_own_queue(false);
}

void obj_rc_thread_end(void) { merge_own_queue(true); }

void obj_rc_zero_local(Obj *o) {
  int64_t shared = atomic_load_explicit(&o->shared, memory_order_acquire), next;
  if (shared == 0) {
    obj_dealloc(o);
    return;
  }
  LAB_COUNT(rc_merges);
  atomic_store_explicit(&o->tid, 0, memory_order_relaxed);
  do {
    next = (shared & ~(int64_t)(OBJ_RC_QUEUED | OBJ_RC_MERGED)) | OBJ_RC_MERGED;
  } while (!atomic_compare_exchange_weak_explicit(&o->shared, &shared, next, memory_order_acq_rel,
                                                  memory_order_acquire));
  if (next == OBJ_RC_MERGED) obj_dealloc(o);
}

void obj_rc_dec_shared(Obj *o) {
  int64_t shared = atomic_load_explicit(&o->shared, memory_order_relaxed), next;
  bool queue;
  do {
    queue = shared == 0;
    next = queue ? OBJ_RC_QUEUED : shared - (1 << OBJ_RC_SHIFT);
  } while (!atomic_compare_exchange_weak_explicit(&o->shared, &shared, next, memory_order_acq_rel,
                                                  memory_order_relaxed));
  if (!queue) {
    if (next == OBJ_RC_MERGED) obj_dealloc(o);
    return;
  }
  LAB_COUNT(rc_queued);
  uint32_t tid = atomic_load_explicit(&o->tid, memory_order_relaxed);
  pthread_mutex_lock(&owners_lock);
  Owner *owner = find_owner(tid);
  if (owner) {
    if (owner->n == owner->cap) {
      owner->cap = owner->cap ? owner->cap * 2 : 16;
      owner->queue = rt_xrealloc(owner->queue, (size_t)owner->cap * sizeof *owner->queue);
    }
    owner->queue[owner->n++] = o;
    atomic_fetch_add_explicit(owner->pending, 1, memory_order_release);
    queued_total++;
    gil_breaker_set(GIL_EVAL_MERGE);
  }
  pthread_mutex_unlock(&owners_lock);
  if (!owner) merge_now(o, -1);  // the owner has exited: its count is final
}

int64_t obj_refcount(Obj *o) {
  if (obj_rc_mode != OBJ_RC_BIASED) return __atomic_load_n(&o->rc, __ATOMIC_RELAXED);
  return __atomic_load_n(&o->rc, __ATOMIC_RELAXED) + (atomic_load(&o->shared) >> OBJ_RC_SHIFT);
}
#endif
