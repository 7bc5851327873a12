// lines.c — interp's costs per source line, for `lab profile` (vm/counters.h,
// docs/profile.md). Only the counted build has them.
//
// Each thread counts into its own rows, so no count is shared between
// threads (the GIL makes the totals in lab_counters safe; a GIL wait is
// counted outside it, in the waiting thread's own row). The tables are
// registered under a mutex and read at exit, after every thread was joined.
#include "counters.h"
#include "object.h"

#ifdef LAB_COUNTED
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "xalloc.h"

static LineCounts boot_row;  // before lab_lines_setup: every event is line 0's
_Thread_local int lab_line;
_Thread_local LineCounts *lab_line_rows = &boot_row;

static int nlines;  // rows per thread: lines 0..nlines
static _Thread_local int thread_slot;
static int64_t start_ns;  // lab_lines_setup's time: the timeline's 0

typedef struct GcEvent {
  int64_t t_ns, pause_ns, collected;
  int gen, line, thread;
} GcEvent;
static GcEvent *gc_events;  // as the collector runs: under the GIL, or with the world stopped
static int ngc_events;
static LineCounts *tables[LAB_LINE_THREADS];
static pthread_mutex_t tables_mutex = PTHREAD_MUTEX_INITIALIZER;

void lab_lines_setup(int n) {
  start_ns = rt_now_ns();
  nlines = n > 0 ? n : 0;
  LineCounts *rows = rt_xcalloc((size_t)nlines + 1, sizeof *rows);
  LAB_ADD_COUNTS(&rows[0], &boot_row);
  memset(&boot_row, 0, sizeof boot_row);
  pthread_mutex_lock(&tables_mutex);
  tables[0] = rows;
  pthread_mutex_unlock(&tables_mutex);
  lab_line_rows = rows;
  lab_line = 0;
}

void lab_lines_thread_begin(int id) {
  int slot = id < 0 ? 0 : id < LAB_LINE_THREADS ? id : LAB_LINE_THREADS - 1;
  pthread_mutex_lock(&tables_mutex);
  if (!tables[slot]) tables[slot] = rt_xcalloc((size_t)nlines + 1, sizeof(LineCounts));
  lab_line_rows = tables[slot];
  pthread_mutex_unlock(&tables_mutex);
  // The threads past the last slot share its rows: each counts in its own
  // and adds them in at its end (lab_lines_thread_end), as with the GIL
  // off they may count at the same time.
  if (slot == LAB_LINE_THREADS - 1 && id > slot) lab_line_rows = rt_xcalloc((size_t)nlines + 1, sizeof(LineCounts));
  lab_line = 0;
  thread_slot = slot;
}

void lab_lines_thread_end(void) {
  pthread_mutex_lock(&tables_mutex);
  LineCounts *own = lab_line_rows != tables[thread_slot] && lab_line_rows != &boot_row ? lab_line_rows : NULL;
  for (int l = 0; own && l <= nlines; l++) LAB_ADD_COUNTS(&tables[thread_slot][l], &own[l]);
  pthread_mutex_unlock(&tables_mutex);
  if (own) {
    free(own);
    lab_line_rows = tables[thread_slot];  // nothing is counted after this
  }
}

void lab_lines_gc(int gen, int64_t pause_ns, int64_t collected, int line) {
  if (ngc_events >= LAB_GC_EVENTS) return;
  if (!gc_events) gc_events = rt_xcalloc(LAB_GC_EVENTS, sizeof *gc_events);
  // The pause ended now: it began pause_ns ago.
  gc_events[ngc_events++] = (GcEvent){rt_now_ns() - start_ns - pause_ns, pause_ns, collected, gen, line, thread_slot};
}

static bool row_is_zero(const LineCounts *r) {
  static const LineCounts zero;
  return memcmp(r, &zero, sizeof zero) == 0;
}

void lab_lines_write_env(void) {
  const char *path = getenv("LAB_INTERP_LINES");
  if (path && *path && !lab_lines_write(path)) fprintf(stderr, "lab: cannot write %s\n", path);
}

bool lab_lines_write(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) return false;
  // The fields, in LineCounts' order (docs/profile.md "The line file").
  fprintf(f, "lab-lines 1 interp %d\nfields bytecodes calls", nlines);
  for (int i = 0; i < 16; i++)
    if (i < T_COUNT) fprintf(f, " alloc.%s", obj_kind_name(i));
    else fprintf(f, " alloc.%d", i);
  fprintf(f, " freed increfs decrefs bytes field_lookups gc_collections gc_collected gc_pause_ns gil_waits"
             " gil_wait_ns gil_forced_switches hy_calls hy_values hy_bytes hy_convert_ns"
             " rc_local rc_shared rc_merges rc_queued\n");
  for (int t = 0; t < LAB_LINE_THREADS; t++) {
    LineCounts *rows = t == 0 && !tables[0] ? &boot_row : tables[t];
    int n = tables[t] ? nlines : 0;
    for (int l = 0; rows && l <= n; l++) {
      if (row_is_zero(&rows[l])) continue;
      fprintf(f, "%d %d", t, l);
      const int64_t *v = (const int64_t *)&rows[l];
      for (size_t i = 0; i < sizeof(LineCounts) / sizeof(int64_t); i++) fprintf(f, " %lld", (long long)v[i]);
      fputc('\n', f);
    }
  }
  // gc T_NS PAUSE_NS GEN COLLECTED LINE THREAD, then the run's end.
  for (int i = 0; i < ngc_events; i++) {
    const GcEvent *e = &gc_events[i];
    fprintf(f, "gc %lld %lld %d %lld %d %d\n", (long long)e->t_ns, (long long)e->pause_ns, e->gen,
            (long long)e->collected, e->line, e->thread);
  }
  fprintf(f, "end %lld\n", (long long)(rt_now_ns() - start_ns));
  return fclose(f) == 0;
}
#endif
