// trace.h — `lab trace FILE`: refcounts step by step in interp, ownership
// line by line in native (compiler/lab/trace.c; its options in `lab trace
// --help` and docs/trace.md).
#ifndef LAB_TRACE_H
#define LAB_TRACE_H

// The default --time-limit of native's counted run (what it frees per line).
#define TRACE_NATIVE_LIMIT_S 20

// argv holds the arguments after `trace`. Returns the exit code.
int cmd_trace(int argc, char **argv);

#endif
