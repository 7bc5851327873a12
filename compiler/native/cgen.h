// cgen.h — the C code generator of native mode: a checked syntax tree to one
// C translation unit that includes "toyrt.h" and defines toy_main().
#ifndef LAB_CGEN_H
#define LAB_CGEN_H

#include <stdbool.h>

#include "ast.h"

typedef struct CgOptions {
  bool unchecked;  // the program is compiled with RT_UNCHECKED (no overflow/bounds checks)
                  // and its calls are not counted
  int recursion_limit;  // the call depth that is RecursionError (docs/semantics.md)
} CgOptions;

// Generates the C for a program that ck_check() accepted. Returns the text
// (malloc'd, NUL-terminated); never fails on an accepted program.
char *cg_generate(Program *prog, const CgOptions *opts);

#endif
