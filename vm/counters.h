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
#ifndef LAB_COUNTERS_H
#define LAB_COUNTERS_H

#include <stdint.h>

#ifdef LAB_COUNTED
typedef struct LabCounters {
  int64_t bytecodes, calls;
  int64_t allocated[16];  // by ObjType (T_COUNT <= 16)
  int64_t freed;
  int64_t increfs, decrefs;
  int64_t bytes_allocated, live_bytes, peak_live_bytes;
  int64_t field_lookups;
} LabCounters;
extern LabCounters lab_counters;

#define LAB_COUNT(field) ((void)(lab_counters.field++))
#define LAB_COUNT_ALLOC(type, bytes)                                  \
  ((void)(lab_counters.allocated[(type)]++, LAB_COUNT_BYTES(bytes)))
#define LAB_COUNT_FREE(bytes) ((void)(lab_counters.freed++, LAB_COUNT_UNBYTES(bytes)))
// Bytes of a new block (object or buffer) and of a released one.
#define LAB_COUNT_BYTES(bytes)                                                              \
  ((void)(lab_counters.bytes_allocated += (int64_t)(bytes),                                 \
          (lab_counters.live_bytes += (int64_t)(bytes)) > lab_counters.peak_live_bytes      \
              ? (void)(lab_counters.peak_live_bytes = lab_counters.live_bytes)              \
              : (void)0))
#define LAB_COUNT_UNBYTES(bytes) ((void)(lab_counters.live_bytes -= (int64_t)(bytes)))
#else
#define LAB_COUNT(field) ((void)0)
#define LAB_COUNT_ALLOC(type, bytes) ((void)0)
#define LAB_COUNT_FREE(bytes) ((void)0)
#define LAB_COUNT_BYTES(bytes) ((void)0)
#define LAB_COUNT_UNBYTES(bytes) ((void)0)
#endif

#endif
