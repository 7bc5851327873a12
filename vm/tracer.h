// tracer.h — `lab trace` in interp mode: a step per source line the main
// thread executes, with its frames, the heap reachable from them and the
// events since the step before (vm/tracer.c, docs/trace.md). Counted build
// only: elsewhere nothing here exists.
#ifndef LAB_TRACER_H
#define LAB_TRACER_H

#include <stdbool.h>

#include "code.h"
#include "counters.h"
#include "object.h"

#ifdef LAB_COUNTED
// One frame as the tracer sees it: its function, its current line, its slots.
typedef struct TraceFrame {
  Function *fn;
  int line;
  Obj **slots;
} TraceFrame;

extern bool lab_tracing;     // a trace is being written (LAB_TRACE)
extern int lab_trace_line;   // the line of the last step, -1 before the first
// Starts the trace into path, at most max_steps steps (then the trace ends,
// with "truncated": true, and the process exits 0: the run is not needed
// past it) and at most max_objects heap objects per step (0: 100).
void tracer_setup(const char *path, int max_steps, int max_objects);
// A step: the main thread starts line `line`; frames outermost first.
void tracer_step(int line, const TraceFrame *frames, int nframes);
void tracer_forget(Obj *o);  // o is being freed: its id goes with it
void tracer_finish(void);
#endif

#endif
