// print.h — printing objects, as print() and str() show them (vm/print.c).
// The reference conventions are object.h's.
#ifndef LAB_VM_PRINT_H
#define LAB_VM_PRINT_H

#include "object.h"

// ---- printing (SPEC §5) ----------------------------------------------------------------
// Appends the printed form of o: top-level strings raw, strings inside
// containers quoted. Uses the shared formatting routines of runtime/format.h.
// A cycle prints as [...] (Python's repr). Returns false with an error raised
// — RecursionError for nesting deeper than OBJ_MAX_WALK_DEPTH, MemoryError
// when the buffer cannot grow — leaving b holding a partial text.
bool print_to(RtBuf *b, Obj *o, bool top);
Obj *print_to_str(Obj *o);                   // str(x)

#endif
