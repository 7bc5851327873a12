// gil.c — the global interpreter lock (SPEC §6), after CPython's
// Python/ceval_gil.c ("new GIL", Antoine Pitrou, 2009).
//
// ---- Notes about the implementation ---------------------------------------------------
// The GIL is a boolean `locked` guarded by a mutex, not a mutex itself: a
// thread "holds the GIL" while locked is true and it is the holder. Only the
// holder runs bytecode or touches an object — refcounts are plain ints, the
// allocator's pools, the cycle collector's generations, the interned strings
// and the error state of the object layer are all unsynchronised and rely on
// this one rule.
//
// Taking it (gil_take). If it is free, take it. Otherwise wait on `cond` —
// but only for the switch interval (5 ms by default, --switch-interval=MS).
// If the interval passes and no switch happened meanwhile (switch_number did
// not move), the waiter sets the drop request (GIL_EVAL_DROP in the eval
// breaker, vm/gil.h) and waits again. The holder never notices the waiter
// otherwise: a CPU-bound holder would keep the lock forever.
//
// Dropping it on request (gil_yield). The holder tests the eval breaker at
// its safe points — every backward jump and every call — so it sees the drop
// request within a few instructions. It releases the GIL, signals `cond`,
// and then — the forced switch — waits on `switch_cond` until switch_number
// has moved, i.e. until some other thread has actually taken the lock.
// Without this the releaser, already running on its CPU, would usually win
// the race against the waiter it just woke and take the lock straight back
// (the "old GIL" of Python 3.1 and earlier, whose convoy effect on multicore
// machines Dave Beazley measured in 2009). Then it calls gil_take like any
// other waiter.
//
// Releasing it around blocking calls (gil_release / gil_take). sleep,
// read_file, read_line and join release the GIL before they block and take
// it back after; they touch no object in between. No forced switch here:
// the releaser is about to block anyway.
//
// Invariants:
//  1. locked is true exactly while one thread is between a gil_take that
//     returned and its next gil_release / gil_yield; that thread is `holder`.
//  2. switch_number increases by one at every acquisition; a waiter that sees
//     it unchanged after a full interval knows the holder ran the whole
//     interval, and only then asks for a drop (so a lock that changes hands
//     often is never asked to drop).
//  3. GIL_EVAL_DROP is cleared by the thread that takes the lock: a request
//     is answered by one switch, not by every later safe point.
//  4. A forced switch always ends: the drop request was set by a thread
//     inside gil_take, which keeps waiting until it gets the lock, and
//     taking it advances switch_number and broadcasts switch_cond.
//  5. Statistics are updated only under `mutex`.
//
// --gil=off (the free-threaded build; docs/free-threading.md). gil_take and
// gil_release become attach and detach: `attached` counts the threads that
// may touch objects. A stop-the-world pause (gil_stop_world, for the cycle
// collector) sets `stopping` and GIL_EVAL_STOP, then waits on stopped_cond
// until attached is 0 (the requester detaches itself first); every other
// thread sees the bit at its next safe point and parks (gil_park: detach,
// then attach, which waits on resume_cond while stopping is set). A thread
// that blocks is detached already, and a thread starting or coming back
// from a blocking call attaches only once the world runs again, so the
// collector runs alone. Two threads that want the world stopped at once
// are served one after the other: the second parks as any thread does,
// and stops the world itself once the first has started it again.
//
// What the GIL does not do: make a Toy statement atomic. `c[0] = c[0] + 1`
// is several instructions with a backward jump or a call between two of
// them in any loop, so a switch can fall between the read and the write and
// an update is lost (examples/threads/race.toy, docs/threads.md).
#include "gil.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "xalloc.h"
#include "clock.h"
#include "counters.h"

_Atomic uint32_t gil_eval_breaker;

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;         // signalled when the GIL is released
static pthread_cond_t switch_cond;  // broadcast when it is taken (forced switching)
static bool cond_ready;
static bool locked;
static uint64_t switch_number;
static int holder = -1, last_holder = 0;  // thread numbers (main is 0: its first take is no switch)
static int64_t interval_us = 5000;
static GilStats stats;
static int64_t *thread_wait;  // per thread number, ns
static int nthread_wait;

static _Thread_local int self = -1;

#ifdef LAB_FT
static bool off;
static int attached;
static bool stopping;
static pthread_cond_t stopped_cond, resume_cond;
static StwStats stw;
static int64_t stop_t0;
#endif

// The condition variables measure their timeouts on CLOCK_MONOTONIC, so that
// a change of the wall clock cannot stretch or shrink a switch interval.
static void init_conds(void) {
  if (cond_ready) return;
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(&cond, &a);
  pthread_cond_init(&switch_cond, &a);
#ifdef LAB_FT
  pthread_cond_init(&stopped_cond, &a);
  pthread_cond_init(&resume_cond, &a);
#endif
  pthread_condattr_destroy(&a);
  cond_ready = true;
}

void gil_configure(int64_t us) {
  pthread_mutex_lock(&mutex);
  init_conds();
  interval_us = us > 0 ? us : 1;
  pthread_mutex_unlock(&mutex);
}


void gil_thread_begin(int id) {
  self = id;
  pthread_mutex_lock(&mutex);
  init_conds();
  if (id >= nthread_wait) {
    int n = nthread_wait ? nthread_wait : 8;
    while (n <= id) n *= 2;
    thread_wait = rt_xrealloc(thread_wait, (size_t)n * sizeof *thread_wait);
    for (int i = nthread_wait; i < n; i++) thread_wait[i] = 0;
    nthread_wait = n;
  }
  stats.threads++;
  pthread_mutex_unlock(&mutex);
}

#ifdef LAB_FT
void gil_set_off(void) { off = true; }
bool gil_is_off(void) { return off; }

// Under mutex: become attached once the world runs.
static void attach_locked(void) {
  while (stopping) pthread_cond_wait(&resume_cond, &mutex);
  attached++;
}
static void detach_locked(void) {
  attached--;
  if (stopping && attached == 0) pthread_cond_signal(&stopped_cond);
}

void gil_park(void) {
  pthread_mutex_lock(&mutex);
  detach_locked();
  attach_locked();
  pthread_mutex_unlock(&mutex);
}

void gil_stop_world(void) {
  if (!off) return;
  pthread_mutex_lock(&mutex);
  detach_locked();
  while (stopping) pthread_cond_wait(&resume_cond, &mutex);  // another thread's pause first
  stopping = true;
  stop_t0 = rt_now_ns();
  gil_breaker_set(GIL_EVAL_STOP);
  while (attached > 0) pthread_cond_wait(&stopped_cond, &mutex);
  stw.time_to_stop_ns += rt_now_ns() - stop_t0;
  attached++;  // the requester alone
  pthread_mutex_unlock(&mutex);
}

void gil_start_world(void) {
  if (!off) return;
  pthread_mutex_lock(&mutex);
  int64_t pause = rt_now_ns() - stop_t0;
  stw.pauses++;
  stw.total_ns += pause;
  if (pause > stw.max_ns) stw.max_ns = pause;
  stopping = false;
  gil_breaker_clear(GIL_EVAL_STOP);
  pthread_cond_broadcast(&resume_cond);
  pthread_mutex_unlock(&mutex);
}

void gil_stw_stats(StwStats *out) {
  pthread_mutex_lock(&mutex);
  *out = stw;
  pthread_mutex_unlock(&mutex);
}
#else
bool gil_is_off(void) { return false; }
void gil_stop_world(void) {}
void gil_start_world(void) {}
void gil_park(void) {}
void gil_stw_stats(StwStats *out) { *out = (StwStats){0}; }
#endif

void gil_take(void) {
  pthread_mutex_lock(&mutex);
#ifdef LAB_FT
  if (off) {
    init_conds();
    stats.acquisitions++;
    attach_locked();
    pthread_mutex_unlock(&mutex);
    return;
  }
#endif
  int64_t t0 = 0;
  if (locked) {
    t0 = rt_now_ns();
    while (locked) {
      uint64_t saved = switch_number;
      int64_t deadline = rt_now_ns() + interval_us * 1000;
      struct timespec ts = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
      int rc = 0;
      while (locked && switch_number == saved && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&cond, &mutex, &ts);
      // A whole interval with no switch: ask the holder to drop it.
      if (rc == ETIMEDOUT && locked && switch_number == saved) {
        if (!(gil_breaker_load() & GIL_EVAL_DROP)) stats.drop_requests++;
        gil_breaker_set(GIL_EVAL_DROP);
      }
    }
  }
  locked = true;
  holder = self;
  switch_number++;
  stats.acquisitions++;
  if (last_holder != self) stats.switches++;
  last_holder = self;
  gil_breaker_clear(GIL_EVAL_DROP);  // invariant 3
  if (t0) {
    int64_t w = rt_now_ns() - t0;
    stats.wait_ns += w;
#ifdef LAB_COUNTED
    LAB_LINE_ROW()->gil_waits++;
    LAB_LINE_ROW()->gil_wait_ns += w;
#endif
    if (self >= 0 && self < nthread_wait) {
      thread_wait[self] += w;
      if (thread_wait[self] > stats.max_thread_wait_ns) stats.max_thread_wait_ns = thread_wait[self];
    }
  }
  pthread_cond_broadcast(&switch_cond);
  pthread_mutex_unlock(&mutex);
}

void gil_release(void) {
  pthread_mutex_lock(&mutex);
#ifdef LAB_FT
  if (off) {
    detach_locked();
    pthread_mutex_unlock(&mutex);
    return;
  }
#endif
  locked = false;
  holder = -1;
  pthread_cond_signal(&cond);
  pthread_mutex_unlock(&mutex);
}

void gil_yield(void) {
  pthread_mutex_lock(&mutex);
  stats.forced_switches++;
#ifdef LAB_COUNTED
  LAB_LINE_ROW()->gil_forced_switches++;
#endif
  uint64_t n = switch_number;
  locked = false;
  holder = -1;
  pthread_cond_signal(&cond);
  // The forced switch: wait until another thread has taken it (invariant 4).
  while (switch_number == n) pthread_cond_wait(&switch_cond, &mutex);
  pthread_mutex_unlock(&mutex);
  gil_take();
}

void gil_stats(GilStats *out) {
  pthread_mutex_lock(&mutex);
  *out = stats;
  pthread_mutex_unlock(&mutex);
}

int gil_thread_count(void) {
  pthread_mutex_lock(&mutex);
  int n = (int)stats.threads;
  pthread_mutex_unlock(&mutex);
  return n;
}

int64_t gil_thread_wait_ns(int i) {
  pthread_mutex_lock(&mutex);
  int64_t w = i >= 0 && i < nthread_wait ? thread_wait[i] : 0;
  pthread_mutex_unlock(&mutex);
  return w;
}
