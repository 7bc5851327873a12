// tracer.c — `lab trace` in interp mode (docs/trace.md): a bounded,
// deterministic record of the run, one step each time the main thread starts
// executing another source line (or the same line again: a loop's next
// iteration). Each step holds the frames with their locals, the heap
// objects reachable from them (id, type, refcount, a short preview, what
// they refer to) and what happened since the step before (allocations,
// increfs, decrefs, frees, collections and what they freed).
//
// Only in the counted build (it reads the counters of vm/counters.h); a
// plain run has none of it. Object ids are given in the order objects are
// first seen, and forgotten when an object is freed, so a trace is the same
// on every run and machine (addresses never appear).
#include "tracer.h"

#ifdef LAB_COUNTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gc.h"
#include "list.h"
#include "format.h"
#include "print.h"
#include "xalloc.h"

bool lab_tracing;
int lab_trace_line = -1;
static FILE *out;
static int max_steps, nsteps;
static bool truncated;

// ---- object ids: Obj* → small numbers, open addressing --------------------------
typedef struct Slot {
  Obj *o;
  int id;
} Slot;
static Slot *ids;
static size_t ncap, nused;  // nused counts tombstones too
static int next_id = 1;
#define TOMB ((Obj *)1)

static size_t hash_ptr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static void ids_grow(void) {
  Slot *old = ids;
  size_t oldcap = ncap;
  ncap = ncap ? ncap * 2 : 1024;
  ids = rt_xcalloc(ncap, sizeof *ids);
  nused = 0;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].o && old[i].o != TOMB) {
      size_t j = hash_ptr(old[i].o) & (ncap - 1);
      while (ids[j].o) j = (j + 1) & (ncap - 1);
      ids[j] = old[i];
      nused++;
    }
  free(old);
}

static int id_of(Obj *o) {
  if ((nused + 1) * 2 > ncap) ids_grow();
  size_t j = hash_ptr(o) & (ncap - 1), tomb = (size_t)-1;
  while (ids[j].o) {
    if (ids[j].o == o) return ids[j].id;
    if (ids[j].o == TOMB && tomb == (size_t)-1) tomb = j;
    j = (j + 1) & (ncap - 1);
  }
  if (tomb != (size_t)-1) j = tomb;
  else nused++;
  ids[j] = (Slot){o, next_id++};
  return ids[j].id;
}

void tracer_forget(Obj *o) {
  if (!ncap) return;
  size_t j = hash_ptr(o) & (ncap - 1);
  while (ids[j].o) {
    if (ids[j].o == o) {
      ids[j].o = TOMB;
      return;
    }
    j = (j + 1) & (ncap - 1);
  }
}

// ---- JSON --------------------------------------------------------------------------
static void put_str(const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c == '\n') fputs("\\n", out);
    else if (c == '\t') fputs("\\t", out);
    else if (c < 0x20 || c == '<') fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

// A short text of o: its value for a scalar (a string cut at 40 bytes), a
// summary for a container (the heap view draws its contents).
static void preview(Obj *o) {
  RtBuf b = {0};
  switch ((ObjType)o->type) {
  case T_STR: {
    StrObj *s = (StrObj *)o;
    rtbuf_putc(&b, '"');
    rtbuf_put(&b, s->data, (size_t)(s->len > 40 ? 40 : s->len));
    rtbuf_puts(&b, s->len > 40 ? "…\"" : "\"");
    break;
  }
  case T_LIST: rtbuf_printf(&b, "list of %lld", (long long)((ListObj *)o)->len); break;
  case T_TUPLE: rtbuf_printf(&b, "tuple of %lld", (long long)((TupleObj *)o)->len); break;
  case T_MAP: rtbuf_printf(&b, "map of %lld", (long long)((MapObj *)o)->t.len); break;
  case T_STRUCT: rtbuf_printf(&b, "%s { … }", ((StructObj *)o)->def->name->data); break;
  case T_SOME: rtbuf_puts(&b, "Some(…)"); break;
  case T_ITER: rtbuf_puts(&b, "iterator"); break;
  case T_THREAD: rtbuf_puts(&b, "thread"); break;
  default: print_to(&b, o, true); break;
  }
  put_str(b.data ? b.data : "", b.len);
  free(b.data);
}

// ---- the heap reachable from the frames --------------------------------------------
enum { HEAP_MAX = 100, EDGE_MAX = 64, LOCALS_MAX = 200 };
static int heap_max = HEAP_MAX;  // LAB_TRACE_OBJECTS may lower it
static Obj *seen[HEAP_MAX];
static int nseen;

static bool visit(Obj *o) {
  if (!o) return false;
  for (int i = 0; i < nseen; i++)
    if (seen[i] == o) return true;
  if (nseen == heap_max) return false;
  seen[nseen++] = o;
  return true;
}

typedef struct Edge {
  char label[48];
  Obj *to;
} Edge;

static int label_key(char *buf, size_t n, Obj *key) {
  if (key->type == T_STR) return snprintf(buf, n, "%.40s", ((StrObj *)key)->data);
  RtBuf b = {0};
  print_to(&b, key, true);
  int r = snprintf(buf, n, "[%.40s]", b.data ? b.data : "");
  free(b.data);
  return r;
}

// What o refers to, with a label each: `[i]`, `.field`, `key`, `.0`, `value`.
static int edges(Obj *o, Edge *e) {
  int n = 0;
  switch ((ObjType)o->type) {
  case T_LIST: {
    ListObj *l = (ListObj *)o;
    for (int64_t i = 0; i < l->len && n < EDGE_MAX; i++, n++) {
      snprintf(e[n].label, sizeof e[n].label, "[%lld]", (long long)i);
      e[n].to = l->items[i];
    }
    break;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    for (int64_t i = 0; i < t->len && n < EDGE_MAX; i++)
      if (t->items[i]) {
        snprintf(e[n].label, sizeof e[n].label, ".%lld", (long long)i);
        e[n++].to = t->items[i];
      }
    break;
  }
  case T_MAP:
  case T_STRUCT: {
    if (o->type == T_STRUCT && STRUCT_IS_SLOTS(o)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      for (int i = 0; i < s->def->nfields && n < EDGE_MAX; i++)
        if (s->slots[i]) {
          snprintf(e[n].label, sizeof e[n].label, ".%.40s", s->def->fields[i]->data);
          e[n++].to = s->slots[i];
        }
      break;
    }
    Table *t = o->type == T_MAP ? &((MapObj *)o)->t : &((StructObj *)o)->fields;
    for (int64_t i = 0; i < t->used && n < EDGE_MAX; i++) {
      if (!t->entries[i].key) continue;
      char k[44];
      label_key(k, sizeof k, t->entries[i].key);
      snprintf(e[n].label, sizeof e[n].label, "%s%s", o->type == T_STRUCT ? "." : "", k);
      e[n++].to = t->entries[i].value;
    }
    break;
  }
  case T_SOME:
    snprintf(e[0].label, sizeof e[0].label, "value");
    e[n++].to = ((SomeObj *)o)->v;
    break;
  default: break;
  }
  return n;
}

static void put_obj(Obj *o) {
  fprintf(out, "{\"id\": %d, \"type\": \"%s\", ", id_of(o), obj_kind_name((int)o->type));
  if (o->rc >= IMMORTAL_RC / 2) fputs("\"immortal\": true, ", out);
  else fprintf(out, "\"rc\": %lld, ", (long long)obj_refcount(o));
  fputs("\"preview\": ", out);
  preview(o);
  Edge e[EDGE_MAX];
  int n = edges(o, e);
  if (n) {
    fputs(", \"refs\": [", out);
    for (int i = 0; i < n; i++) {
      fprintf(out, "%s[", i ? ", " : "");
      put_str(e[i].label, strlen(e[i].label));
      fprintf(out, ", %d]", id_of(e[i].to));
    }
    fputc(']', out);
  }
  fputc('}', out);
}

// ---- steps -------------------------------------------------------------------------
static LabCounters last;
static int64_t last_gc, last_collected;

static int64_t allocated(const LabCounters *c) {
  int64_t n = 0;
  for (int i = 0; i < 16; i++) n += c->allocated[i];
  return n;
}

void tracer_setup(const char *path, int steps, int objects) {
  if (objects > 0 && objects < HEAP_MAX) heap_max = objects;
  out = fopen(path, "w");
  if (!out) return;
  lab_tracing = true;
  max_steps = steps > 0 ? steps : 1000;
  fputs("{\"mode\": \"interp\", \"steps\": [", out);
  last = lab_counters;
}

void tracer_step(int line, const TraceFrame *frames, int nframes) {
  lab_trace_line = line;
  if (nsteps == max_steps) {
    // The trace is full: it ends here, and so does the run (a program that
    // would run on, or forever, cannot keep `lab trace` waiting).
    truncated = true;
    tracer_finish();
    fflush(stdout);
    _exit(0);
  }
  fprintf(out, "%s\n {\"step\": %d, \"line\": %d, \"fn\": ", nsteps ? "," : "", nsteps, line);
  put_str(frames[nframes - 1].fn->name, strlen(frames[nframes - 1].fn->name));
  // Events since the step before.
  const LabCounters *c = &lab_counters;
  int64_t gcs = 0;
  for (int g = 0; g < GC_NGENS; g++) gcs += gc_stats.collections[g];
  fprintf(out, ",\n  \"events\": {\"allocs\": %lld, \"increfs\": %lld, \"decrefs\": %lld, \"frees\": %lld, "
               "\"collections\": %lld, \"collected\": %lld}",
          (long long)(allocated(c) - allocated(&last)), (long long)(c->increfs - last.increfs),
          (long long)(c->decrefs - last.decrefs), (long long)(c->freed - last.freed), (long long)(gcs - last_gc),
          (long long)(gc_stats.collected - last_collected));
  // Frames, outermost first, with their named locals (hidden temporaries,
  // whose names start with '.', left out).
  nseen = 0;
  fputs(",\n  \"frames\": [", out);
  for (int f = 0; f < nframes; f++) {
    const TraceFrame *fr = &frames[f];
    fprintf(out, "%s{\"fn\": ", f ? ", " : "");
    put_str(fr->fn->name, strlen(fr->fn->name));
    fprintf(out, ", \"line\": %d, \"locals\": [", fr->line);
    int k = 0;
    for (int i = 0; i < fr->fn->nlocals; i++) {
      const char *name = fr->fn->slot_names[i];
      if (!name || name[0] == '.') continue;
      if (k == LOCALS_MAX) {  // a generated function's thousands: the first ones
        fputs(", {\"more\": true}", out);
        break;
      }
      Obj *v = fr->slots[i];
      fprintf(out, "%s{\"name\": ", k++ ? ", " : "");
      put_str(name, strlen(name));
      if (v && visit(v)) fprintf(out, ", \"ref\": %d}", id_of(v));
      else fputs(", \"ref\": null}", out);
    }
    fputs("]}", out);
  }
  // The heap: breadth first from the locals, at most HEAP_MAX objects.
  fputs("],\n  \"heap\": [", out);
  for (int i = 0; i < nseen; i++) {
    Edge e[EDGE_MAX];
    int n = edges(seen[i], e);
    for (int k = 0; k < n; k++) visit(e[k].to);
    fputs(i ? ",\n   " : "\n   ", out);
    put_obj(seen[i]);
  }
  fprintf(out, "]%s}", nseen == heap_max ? ", \"heap_truncated\": true" : "");
  nsteps++;
  last = lab_counters;
  last_gc = gcs;
  last_collected = gc_stats.collected;
}

void tracer_finish(void) {
  if (!out) return;
  // Spawned threads run untraced; their events count in the main thread's
  // steps, during whichever they ran (often a `join`): `lab trace` says so.
  fprintf(out, "\n], \"truncated\": %s, \"max_steps\": %d, \"threads\": %lld}\n", truncated ? "true" : "false",
          max_steps, (long long)lab_counters.allocated[T_THREAD]);
  fclose(out);
  out = NULL;
  lab_tracing = false;
}
#endif
