// objlock.c — the per-object locks and snapshots of vm/objlock.h.
#include "objlock.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "alloc.h"
#include "table.h"

#ifdef LAB_FT
bool obj_gil_off;
_Thread_local int64_t objlock_acquired, objlock_contended;
static LockStats totals;
static pthread_mutex_t totals_mutex = PTHREAD_MUTEX_INITIALIZER;

// The parking lot: a waiter sleeps on the bucket its lock's address hashes
// to; an unlocker that sees PARKED wakes the bucket.
enum { NBUCKETS = 64, SPINS = 100 };
typedef struct Bucket {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
} Bucket;
static Bucket lot[NBUCKETS];
static pthread_once_t lot_once = PTHREAD_ONCE_INIT;
static void lot_init(void) {
  for (int i = 0; i < NBUCKETS; i++) {
    pthread_mutex_init(&lot[i].mutex, NULL);
    pthread_cond_init(&lot[i].cond, NULL);
  }
}
static Bucket *bucket_of(Obj *o) {
  pthread_once(&lot_once, lot_init);
  uintptr_t a = (uintptr_t)o;
  return &lot[(a >> 5 ^ a >> 11) % NBUCKETS];
}

static bool try_take(Obj *o, uint8_t seen) {
  return !(seen & OBJLOCK_LOCKED) &&
         atomic_compare_exchange_strong_explicit(&o->mutex, &seen, (uint8_t)(seen | OBJLOCK_LOCKED),
                                                 memory_order_acquire, memory_order_relaxed);
}

void objlock_lock_slow(Obj *o) {
  objlock_contended++;
  for (int i = 0; i < SPINS; i++) {
    if (try_take(o, atomic_load_explicit(&o->mutex, memory_order_relaxed))) return;
    if (i >= SPINS / 2) sched_yield();
  }
  Bucket *b = bucket_of(o);
  pthread_mutex_lock(&b->mutex);
  for (;;) {
    uint8_t v = atomic_load_explicit(&o->mutex, memory_order_relaxed);
    if (try_take(o, v)) break;
    if (!(v & OBJLOCK_LOCKED)) continue;  // freed meanwhile: try again
    // Say that someone sleeps here, then sleep: the unlocker, seeing PARKED,
    // takes the bucket's mutex, which we hold until the wait releases it, so
    // its wake-up cannot come before we wait.
    if (!(v & OBJLOCK_PARKED) &&
        !atomic_compare_exchange_strong_explicit(&o->mutex, &v, (uint8_t)(v | OBJLOCK_PARKED), memory_order_relaxed,
                                                 memory_order_relaxed))
      continue;
    pthread_cond_wait(&b->cond, &b->mutex);
  }
  pthread_mutex_unlock(&b->mutex);
}

void objlock_unlock_slow(Obj *o) {
  // PARKED is set: free the lock and wake every sleeper of the bucket; the
  // ones that lose the race set PARKED again and sleep again.
  Bucket *b = bucket_of(o);
  pthread_mutex_lock(&b->mutex);
  atomic_store_explicit(&o->mutex, 0, memory_order_release);
  pthread_cond_broadcast(&b->cond);
  pthread_mutex_unlock(&b->mutex);
}

void objlock_thread_end(void) {
  pthread_mutex_lock(&totals_mutex);
  totals.acquired += objlock_acquired;
  totals.contended += objlock_contended;
  objlock_acquired = objlock_contended = 0;
  pthread_mutex_unlock(&totals_mutex);
}

void objlock_stats(LockStats *out) {
  pthread_mutex_lock(&totals_mutex);
  *out = totals;
  out->acquired += objlock_acquired;  // the caller's own, not yet added
  out->contended += objlock_contended;
  pthread_mutex_unlock(&totals_mutex);
}
#else
void objlock_thread_end(void) {}
void objlock_stats(LockStats *out) { memset(out, 0, sizeof *out); }
#endif

// ---- snapshots (the copies; vm/objlock.h borrows inline) ----------------------------
// Only the free-threaded build with the GIL off calls these.

int obj_snapshot_copy(Obj *o, ObjSnapshot *s) {
  obj_lock(o);
  int64_t n;
  Obj **from = obj_items(o, &n);
  Obj **to = s->small;
  s->cap = 0;
  if (n > (int64_t)(sizeof s->small / sizeof s->small[0])) {
    s->cap = n;
    obj_unlock(o);  // no allocation under the lock that could fail and leave it held
    to = obj_buf_alloc(obj_size_mul(n, sizeof(Obj *)));
    if (!to) return -1;
    obj_lock(o);
    int64_t again;
    from = obj_items(o, &again);
    if (again > n) again = n;  // shrunk or grown meanwhile: take what fits
    n = again;
  }
  for (int64_t i = 0; i < n; i++) {
    to[i] = from[i];
    if (to[i]) INCREF(to[i]);
  }
  obj_unlock(o);
  s->items = to;
  s->n = n;
  s->owned = true;
  return 0;
}

void obj_snapshot_release_copy(ObjSnapshot *s) {
  for (int64_t i = 0; i < s->n; i++) XDECREF(s->items[i]);
  if (s->cap) obj_buf_free(s->items, (size_t)s->cap * sizeof(Obj *));
  s->owned = false;
}

int obj_table_snapshot_copy(Obj *o, Table *out) {
  const Table *t = obj_table(o);
  obj_lock(o);
  for (;;) {
    Table seen = *t;
    size_t size = table_block_size(&seen);
    if (!size) {
      *out = seen;
      break;
    }
    obj_unlock(o);
    TableEntry *block = obj_buf_alloc(size);
    if (!block) return -1;
    obj_lock(o);
    if (t->entries != seen.entries || t->used != seen.used || t->cap != seen.cap) {  // changed meanwhile
      obj_buf_free(block, size);
      continue;
    }
    memcpy(block, t->entries, size);
    *out = *t;
    out->entries = block;
    out->index = (int32_t *)(block + out->cap);
    for (int64_t i = 0; i < out->used; i++)
      if (block[i].key) {
        INCREF(block[i].key);
        INCREF(block[i].value);
      }
    break;
  }
  obj_unlock(o);
  return 0;
}

void obj_table_snapshot_release_copy(Table *snap) {
  if (!snap->entries) return;
  for (int64_t i = 0; i < snap->used; i++)
    if (snap->entries[i].key) {
      DECREF(snap->entries[i].key);
      DECREF(snap->entries[i].value);
    }
  obj_buf_free(snap->entries, table_block_size(snap));
  snap->entries = NULL;
}
