// gil.h — the global interpreter lock of interp mode (SPEC §6) and the VM's
// eval-breaker word. The protocol, its invariants and why it is shaped like
// CPython's are in the essay at the top of vm/gil.c; docs/threads.md teaches it.
#ifndef LAB_GIL_H
#define LAB_GIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

// ---- the eval breaker --------------------------------------------------------------
// One word the dispatch loop tests at its safe points (LOOP, CALL,
// CALL_BUILTIN, CALL_METHOD): zero on the fast path, so a safe point costs one
// relaxed load and a branch. Each bit asks the running thread to do something
// before its next instruction:
//   GIL_EVAL_GC          a cycle collection is due (set by vm/gc.h gc_link)
//   GIL_EVAL_DROP        another thread has waited a switch interval for the
//                        GIL: release it and let that thread take it
//   GIL_EVAL_JOINS       a thread handle was dropped without join: its owner
//                        joins it (vm/vm.c "Dropped handles")
// Bits are set and cleared with atomic read-modify-writes: GIL_EVAL_DROP is
// set by a thread that does not hold the GIL.
//   GIL_EVAL_MERGE       the free-threaded build's biased counting: objects
//                        wait in their owners' queues (vm/refcount.c)
//   GIL_EVAL_STOP        --gil=off: a thread wants the world stopped (for a
//                        collection): park until it is started again
enum { GIL_EVAL_GC = 1u, GIL_EVAL_DROP = 2u, GIL_EVAL_JOINS = 4u, GIL_EVAL_MERGE = 8u, GIL_EVAL_STOP = 16u };
extern _Atomic uint32_t gil_eval_breaker;

static inline uint32_t gil_breaker_load(void) {
  return atomic_load_explicit(&gil_eval_breaker, memory_order_relaxed);
}
static inline void gil_breaker_set(uint32_t bit) {
  if (!(gil_breaker_load() & bit)) atomic_fetch_or_explicit(&gil_eval_breaker, bit, memory_order_relaxed);
}
static inline void gil_breaker_clear(uint32_t bit) {
  if (gil_breaker_load() & bit) atomic_fetch_and_explicit(&gil_eval_breaker, ~bit, memory_order_relaxed);
}

// ---- the lock ----------------------------------------------------------------------
// The switch interval in microseconds (--switch-interval=MS; default 5 ms).
void gil_configure(int64_t interval_us);
// Takes the GIL, waiting as long as it must (the calling thread must not
// hold it). Time spent waiting is added to the calling thread's wait time.
void gil_take(void);
// Releases the GIL (the calling thread must hold it). A blocking call
// (sleep, read_file, read_line, join) releases with gil_release and takes it
// back with gil_take afterwards.
void gil_release(void);
// The eval breaker's GIL_EVAL_DROP: release, wait until another thread has
// taken the GIL (a forced switch: the releaser cannot grab it straight
// back), then take it again.
void gil_yield(void);

// ---- --gil=off (the free-threaded build only) -----------------------------------------
// With the GIL off, gil_take and gil_release keep their places in the VM
// but mean "attach" and "detach": a thread is attached while it may touch
// objects (running bytecode), detached while it blocks (sleep, read_line,
// join) or before it starts and after it ends. Nothing stops an attached
// thread from running, except a stop-the-world pause.
// Turns the GIL off for this run (vm_setup, before any thread starts).
void gil_set_off(void);
bool gil_is_off(void);
// Stops the world: sets GIL_EVAL_STOP and waits until every other attached
// thread has parked at a safe point (the caller must be attached, at a safe
// point itself). If another thread is stopping the world, parks first.
// With the GIL on it does nothing (the GIL already excludes every other
// thread). gil_start_world lets them run again.
void gil_stop_world(void);
void gil_start_world(void);
// The eval breaker's GIL_EVAL_STOP: park until the world starts again.
void gil_park(void);
// The pauses: how many, their total and longest length (from the request
// to the restart), and the total time the requesters waited for the other
// threads to reach a safe point.
typedef struct StwStats {
  int64_t pauses, total_ns, max_ns, time_to_stop_ns;
} StwStats;
void gil_stw_stats(StwStats *out);

// ---- statistics ----------------------------------------------------------------------
// Kept in every build (they cost nothing on the dispatch fast path) and read
// by --stats after every thread has been joined.
typedef struct GilStats {
  int64_t acquisitions;     // gil_take calls that got the lock (the first, by main, included)
  int64_t switches;         // acquisitions by a thread other than the last holder
  int64_t forced_switches;  // gil_yield calls: drops the holder was asked for
  int64_t drop_requests;    // times a waiter set GIL_EVAL_DROP
  int64_t threads;          // threads that ran (main included)
  int64_t wait_ns;          // all threads' time waiting in gil_take
  int64_t max_thread_wait_ns;  // the longest wait total of one thread
} GilStats;
void gil_stats(GilStats *out);
// Per-thread wait totals (main is thread 0), for the --stats table:
// gil_thread_wait_ns(i) for i < gil_thread_count().
int gil_thread_count(void);
int64_t gil_thread_wait_ns(int i);
// Called by each thread (main first) before its first gil_take: its number.
void gil_thread_begin(int id);

#endif
