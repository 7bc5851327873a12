// xalloc.h — allocation for the lab's own bookkeeping: syntax trees, code
// objects, diagnostics, buffers. Such a failure is not the Toy program's
// doing and has no Toy error to become, so it ends the run the one defined
// way: "MemoryError: out of memory" on stderr and exit code 1 — never abort().
// (Allocations a Toy program asks for raise a MemoryError it can be shown a
// traceback for: see vm/object.h.)
#ifndef LAB_XALLOC_H
#define LAB_XALLOC_H

#include <stddef.h>

_Noreturn void rt_out_of_memory(void);
void *rt_xmalloc(size_t n);
void *rt_xcalloc(size_t n, size_t size);  // zeroed
void *rt_xrealloc(void *p, size_t n);
char *rt_xstrdup(const char *s);
char *rt_xstrndup(const char *s, size_t n);

#endif
