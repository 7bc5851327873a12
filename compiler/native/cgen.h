// cgen.h — the C code generator of native mode: a checked syntax tree to one
// C translation unit that includes "toyrt.h" and defines toy_main().
#ifndef LAB_CGEN_H
#define LAB_CGEN_H

#include <stdbool.h>

#include "ast.h"

// What the C generator inserted on each source line, for `lab profile`'s
// compile-time columns (docs/profile.md).
typedef struct CgLineCosts {
  int drops;       // drops of variables and temporaries (a drop behind a flag included)
  int drop_flags;  // drop flags declared: the variable is moved on some paths only
  int checks;      // runtime checks that can panic here: overflow, bounds, division by
                   // zero, unwrap, a missing key, a conversion, recursion depth, I/O
} CgLineCosts;

typedef struct CgOptions {
  bool unchecked;  // the program is compiled with RT_UNCHECKED (no overflow/bounds checks)
                  // and its calls are not counted
  int recursion_limit;  // the call depth that is RecursionError (docs/semantics.md)
  CgLineCosts *line_costs;  // if not NULL: nlines + 1 rows to fill in (line 0 unused)
  int nlines;
  bool hybrid;  // --mode=hybrid: every function is #[native]; no toy_main, but
                // lab_hybrid_init and a wrapper lab_hy_NAME per function that
                // converts at the boundary (cgen_hybrid.c, runtime/hybrid_abi.h)
} CgOptions;

// Generates the C for a program that ck_check() accepted. Returns the text
// (malloc'd, NUL-terminated); never fails on an accepted program.
char *cg_generate(Program *prog, const CgOptions *opts);

#endif
