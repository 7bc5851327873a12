// counters.h — what an interp run cost, for `lab run --stats` (SPEC §8).
//
// The counters exist only in the counted build (build/counted/lab, compiled
// with -DLAB_COUNTED). Everywhere else LAB_COUNT() and friends expand to
// nothing, so the ordinary build's hot paths (dispatch, INCREF/DECREF, the
// allocator) are exactly what they were: counting never distorts timing.
// An uncounted ./lab given --stats in interp mode re-executes the counted
// binary (compiler/lab/main.c).
//
// Where each figure is counted:
//   bytecodes          vm/vm.c, DISPATCH()
//   calls              vm/vm.c, CALL (calls of Toy functions)
//   allocated[type]    vm/alloc.c: obj_alloc, alloc_int, alloc_float
//   freed              vm/alloc.c: obj_free, and vm/object.c: obj_dealloc for int/float
//   increfs, decrefs   vm/object.h: INCREF, DECREF (immortals included)
//   bytes_allocated,   vm/alloc.c: every object and object-owned buffer
//   live/peak bytes    (list items, table blocks) from the pools or malloc
//   field_lookups      vm/ops.c: ops_get_field / ops_set_field on a struct
// The GC figures come from gc_stats (vm/gc.h), counted in every build.
//
// Per line (`lab profile`, docs/profile.md): the counted build charges every
// event above to the source line running in the thread that caused it
// (lab_line, set by DISPATCH from the code's line table) in that thread's
// rows, so that per-line figures sum exactly to the totals. Line 0 is the
// runtime's own work: compiling constants, start-up, what happens after
// main returns. A cycle collection and its pause go to the line whose
// allocation made it due (gc_link), as CPython's gen-0 trigger; a GIL wait
// and a forced switch to the waiting thread's line.
#ifndef LAB_COUNTERS_H
#define LAB_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef LAB_COUNTED
typedef struct LabCounters {
  int64_t bytecodes, calls;
  int64_t allocated[16];  // by ObjType (T_COUNT <= 16)
  int64_t freed;
  int64_t increfs, decrefs;
  // The free-threaded build (vm/refcount.c): count updates made by the
  // owning thread (plain) and by others (atomic), merges of the two counts,
  // objects queued to their owner.
  int64_t rc_local, rc_shared, rc_merges, rc_queued;
  int64_t bytes_allocated, live_bytes, peak_live_bytes;
  int64_t field_lookups;
} LabCounters;
// The free-threaded build counts per thread (with the GIL off, threads
// count at once) and adds a thread's counts to the run's when it ends; the
// live and peak bytes are one pair of atomic counters for the process.
// lab_counters_total gives the run's figures: call it after the joins.
#ifdef LAB_FT
extern _Thread_local LabCounters lab_counters;
void lab_counters_thread_end(void);
void lab_live_bytes_add(int64_t delta);
#define LAB_COUNT_LIVE(delta) lab_live_bytes_add((int64_t)(delta))
#else
extern LabCounters lab_counters;
#define LAB_COUNT_LIVE(delta)                                                                                \
  ((lab_counters.live_bytes += (int64_t)(delta)) > lab_counters.peak_live_bytes                              \
       ? (void)(lab_counters.peak_live_bytes = lab_counters.live_bytes)                                      \
       : (void)0)
#endif
void lab_counters_total(LabCounters *out);

// One source line's share (the fields of LabCounters that add up, and the
// collector's and the GIL's).
typedef struct LineCounts {
  int64_t bytecodes, calls;
  int64_t allocated[16];
  int64_t freed;
  int64_t increfs, decrefs;
  int64_t bytes_allocated;
  int64_t field_lookups;
  int64_t gc_collections, gc_collected, gc_pause_ns;
  int64_t gil_waits, gil_wait_ns, gil_forced_switches;
  // --mode=hybrid (vm/boundary.c): calls through the boundary made on this
  // line, values converted (both ways), payload bytes copied, and the time
  // converting.
  int64_t hy_calls, hy_values, hy_bytes, hy_convert_ns;
  // The free-threaded build's reference counting (LabCounters).
  int64_t rc_local, rc_shared, rc_merges, rc_queued;
} LineCounts;

// The running thread's line and rows (lab_nlines + 1 of them; before
// lab_lines_setup, one boot row that becomes line 0).
extern _Thread_local int lab_line;
extern _Thread_local LineCounts *lab_line_rows;
#define LAB_LINE_ROW() (&lab_line_rows[lab_line])
// The main thread's rows for a source of nlines lines; what was counted
// before goes to line 0.
void lab_lines_setup(int nlines);
// A new thread's rows (thread ids from 0, main's); at most LAB_LINE_THREADS
// kept apart, later threads share the last.
enum { LAB_LINE_THREADS = 64 };
void lab_lines_thread_begin(int thread_id);
void lab_lines_thread_end(void);
// A cycle collection, for the run's timeline (`lab view`): when, how long,
// which generation, what it freed, the line it is charged to. The first
// LAB_GC_EVENTS are kept.
enum { LAB_GC_EVENTS = 10000 };
void lab_lines_gc(int gen, int64_t pause_ns, int64_t collected, int line);
// Writes every thread's non-zero rows, then the collections, to path
// (docs/profile.md "The line file"); false if it cannot.
bool lab_lines_write(const char *path);
// The same, to the file LAB_INTERP_LINES names (`lab profile`), if it does;
// a message on stderr if it cannot be written.
void lab_lines_write_env(void);

// Adds the counts of `from` to `to`: two LabCounters or two LineCounts,
// structs of int64_t counts and nothing else.
#define LAB_ADD_COUNTS(to, from)                                                     \
  do {                                                                               \
    int64_t *add_to_ = (int64_t *)(to);                                              \
    const int64_t *add_from_ = (const int64_t *)(from);                              \
    for (size_t add_i_ = 0; add_i_ < sizeof *(to) / sizeof(int64_t); add_i_++)        \
      add_to_[add_i_] += add_from_[add_i_];                                          \
  } while (0)

#define LAB_COUNT(field) ((void)(lab_counters.field++, LAB_LINE_ROW()->field++))
#define LAB_COUNT_ALLOC(type, bytes)                                                        \
  ((void)(lab_counters.allocated[(type)]++, LAB_LINE_ROW()->allocated[(type)]++, LAB_COUNT_BYTES(bytes)))
#define LAB_COUNT_FREE(bytes) ((void)(lab_counters.freed++, LAB_LINE_ROW()->freed++, LAB_COUNT_UNBYTES(bytes)))
// Bytes of a new block (object or buffer) and of a released one.
#define LAB_COUNT_BYTES(bytes)                                                              \
  ((void)(lab_counters.bytes_allocated += (int64_t)(bytes),                                 \
          LAB_LINE_ROW()->bytes_allocated += (int64_t)(bytes), LAB_COUNT_LIVE(bytes)))
#define LAB_COUNT_UNBYTES(bytes) LAB_COUNT_LIVE(-(int64_t)(bytes))
#else
#define LAB_COUNT(field) ((void)0)
#define LAB_COUNT_ALLOC(type, bytes) ((void)0)
#define LAB_COUNT_FREE(bytes) ((void)0)
#define LAB_COUNT_BYTES(bytes) ((void)0)
#define LAB_COUNT_UNBYTES(bytes) ((void)0)
#endif

#endif
