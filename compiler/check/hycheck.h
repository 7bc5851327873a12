// hycheck.h — the checks of --mode=hybrid beyond native mode's (docs/hybrid.md):
// compiler/check/hycheck.c.
#ifndef LAB_CHECK_HYCHECK_H
#define LAB_CHECK_HYCHECK_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

// Keeps, of p's items, the structs, enums, consts and the #[native]
// functions: the program native mode then checks and compiles. Reports
// L0114 for a #[native] `main` and for a call from a #[native] function to
// one that is not. False if it reported anything.
bool hy_select(Program *p, DiagSink *sink);
// After the type checker: every parameter and result of the functions
// left can be converted at the boundary (L0115 otherwise).
bool hy_check_signatures(Program *p, DiagSink *sink);

#endif
