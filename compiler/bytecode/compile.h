// compile.h — the bytecode compiler: syntax tree to code objects (interp mode).
#ifndef LAB_COMPILE_H
#define LAB_COMPILE_H

#include "ast.h"
#include "code.h"
#include "diag.h"

// Compiles a parsed program. Interp mode is dynamic, so almost nothing is a
// compile error here: an unknown name or a wrong argument count compiles to
// code that raises the Python-style error when it runs. The few static errors
// (break outside a loop, a function too large for the bytecode format) go to
// `sink`; the result is NULL when there were any.
BcProgram *bc_compile(Program *prog, DiagSink *sink);

#endif
