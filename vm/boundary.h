// boundary.h — hybrid mode's boundary on the VM's side (docs/hybrid.md): it
// loads the library of compiled #[native] functions, hands it the LabHost
// table (runtime/hybrid_abi.h) through which the library converts objects,
// and calls into it (vm/boundary.c).
#ifndef LAB_VM_BOUNDARY_H
#define LAB_VM_BOUNDARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "code.h"

// Loads the library at `path` for program p: resolves lab_hy_NAME for each
// function named in natives[0..n) (nogil[i]: #[native(nogil)]) and points
// every CALL of one of them at the boundary (CALL_NATIVE). argc/argv are
// the program's arguments (the recursion limit is compiled into the
// library). False after printing why it could not.
bool boundary_load(BcProgram *p, const char *path, const char *const *natives, const bool *nogil, int n,
                   int argc, char **argv);

// Calls the compiled fn with its nargs arguments (borrowed) at call depth
// `depth` (the frames active once it runs). A new reference, or NULL with
// the error raised: a conversion's TypeError or MemoryError, or the
// compiled code's panic.
Obj *boundary_call(Function *fn, Obj **args, int depth);

// The traceback's last entry when the pending error is a panic in compiled
// code: `  File "PATH", line L, in NAME [compiled: #[native]]`.
void boundary_traceback(FILE *out, const char *path);

// The library's allocations still alive (its counted runtime; 0 otherwise),
// for the leak check.
int64_t boundary_live_allocations(void);

// What crossing cost (counted build; docs/hybrid.md "Costs").
typedef struct BoundaryStats {
  int64_t calls;                 // crossings: each call goes in and comes back
  int64_t in[16], out[16];       // values converted, by ObjType (T_COUNT <= 16)
  int64_t bytes_in, bytes_out;   // payload bytes copied: 8 per int or float, 1 per
                                 // bool, a string's bytes
  int64_t convert_ns, native_ns; // time converting (both ways), time in compiled code
} BoundaryStats;
extern BoundaryStats boundary_stats;
bool boundary_active(void);  // a library is loaded

#endif
