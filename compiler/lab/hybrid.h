// hybrid.h — `lab run --mode=hybrid` (docs/hybrid.md): the #[native]
// functions checked, compiled into a cached shared library and loaded into
// the VM before it runs the program (compiler/lab/hybrid.c).
#ifndef LAB_HYBRID_H
#define LAB_HYBRID_H

#include "code.h"
#include "load.h"
#include "native.h"

// What preparing the library cost, for --stats.
typedef struct HybridPrep {
  int nnative;        // #[native] functions (0: the program runs as in interp)
  bool cached;        // the library came from the cache
  CompileTimes times; // typecheck, borrowck, cgen, cc
  long long so_bytes;
} HybridPrep;

// Checks and compiles the #[native] functions of l (parsed, compiled to bc),
// then loads them into bc. Returns the exit code: 0, 2 (rejected: the
// diagnostics are printed), 4 (the C compiler), or 1.
int hybrid_prepare(Loaded *l, BcProgram *bc, const NativeOptions *given, int argc, char **argv,
                   int recursion_limit, HybridPrep *prep);

#endif
