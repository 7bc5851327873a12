// vm.h — the interp-mode virtual machine: runs compiled bytecode.
#ifndef LAB_VM_H
#define LAB_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "code.h"
#include "rterror.h"

typedef struct VmOptions {
  int recursion_limit;   // frames deeper than this raise RecursionError
  int argc;              // program arguments, for args()
  char **argv;
  // The cycle collector (vm/gc.c). gc_enabled: automatic collection
  // (--gc=on|off; gc() collects either way). gc_threshold: generation 0's
  // allocation threshold and generations 1 and 2's collection counts
  // (--gc-threshold=A[,B[,C]]); all three 0 (a zeroed VmOptions) means the
  // defaults 700, 10, 10. Start from VM_OPTIONS_DEFAULT.
  bool gc_enabled;
  int gc_threshold[3];
  // The ablation switches (docs/interp.md "Ablation switches"), applied by
  // vm_setup() before the first object is made, as they decide how objects
  // are made. no_small_int_cache: --no-small-int-cache;
  // struct_slots: --struct-fields=slots (default dict); alloc_malloc:
  // --alloc=malloc (default pool).
  bool no_small_int_cache;
  bool struct_slots;
  bool alloc_malloc;
  // The GIL's switch interval in microseconds (--switch-interval=MS; 0 means
  // the default, 5 ms): how long a thread waits for the GIL before it asks
  // the holder to drop it (vm/gil.c).
  int64_t switch_interval_us;
  // --specialize=off: the adaptive interpreter never specializes an
  // instruction (PEP 659's ablation; vm/specialize.h). Default: on.
  bool no_specialize;
  // --rc=plain|atomic|biased: how reference counts are updated (an
  // OBJ_RC_* of vm/object.h). Only the free-threaded build (build/ft/lab)
  // reads it; ./lab re-executes that build for atomic and biased.
  int rc_mode;
  // --gil=off: threads run bytecode in parallel (the free-threaded build
  // only; needs rc_mode atomic or biased; turns the specializer off).
  bool gil_off;
} VmOptions;

// The collector's default thresholds, as CPython's.
#define VM_GC_THRESHOLDS {700, 10, 10}
#define VM_OPTIONS_DEFAULT \
  ((VmOptions){.recursion_limit = RT_DEFAULT_RECURSION_LIMIT, .gc_enabled = true, .gc_threshold = VM_GC_THRESHOLDS})

// The one place that applies VmOptions: the heap's ablation switches, its
// immortals, the collector's thresholds and the GIL's switch interval. Call
// it once, before the program is compiled (its constants are objects).
void vm_setup(const VmOptions *opts);
// Runs the program's main with the options vm_setup() applied (and the
// run's own: recursion limit, arguments). Returns the process exit code: 0,
// or 1 after printing a Python-style traceback to stderr.
int vm_run(BcProgram *p, const VmOptions *opts);

#endif
