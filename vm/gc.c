// gc.c — the cycle collector of interp mode (vm/gc.h, SPEC §6), in the
// design of CPython's Modules/gcmodule.c.
//
// Reference counting frees an object when its last reference goes, but a
// cycle (`a.push(b); b.push(a)`) keeps its own counts above zero forever.
// The collector finds such garbage among the containers — the only objects
// that can refer to others, hence the only ones that can form a cycle.
//
// ---- Generations ---------------------------------------------------------------
// Every container is linked into one of three generations (circular doubly
// linked lists of GcHeads, which sit in front of the objects). A new one
// goes into generation 0. gc_gens[0].count is container allocations minus
// deallocations since generation 0 was last collected; when it exceeds
// threshold 0 (700) a collection is due. Collecting generation g also
// collects every younger one and counts one more collection in g+1's count;
// the collection that is due is that of the oldest generation whose count
// exceeds its threshold (10, 10): so every 10th gen-0 collection is a gen-1
// collection and every 10th of those a full one — CPython's scheme, with its
// refinement for the oldest generation: a full collection is skipped while
// the objects promoted into the oldest generation since the last one are
// fewer than 25% of those that survived it (long_lived_pending <
// long_lived_total / 4). Without that, a program that keeps a large
// structure alive while making garbage (binary trees) pays for walking the
// whole structure again and again: quadratic. Survivors move to the next
// generation (the oldest keeps its own).
//
// ---- Trial deletion ---------------------------------------------------------------
// For the set being collected (the generations merged into one list):
//  1. update_refs: copy each object's refcount into its head's `refs`.
//  2. subtract_refs: for each object, visit every container it refers to
//     that is in the set and decrement that one's `refs`. What is left is the
//     number of references from outside the set: the VM's stack, older
//     objects, C code.
//  3. move_unreachable: an object with refs > 0 is reachable, and so is all
//     it refers to (transitively); the rest is moved to an `unreachable` list.
//     Each survivor is idle again as soon as it is scanned.
//  4. The unreachable objects are garbage: hold a reference to each, clear
//     each one's references (which breaks every cycle; nothing is freed yet,
//     as we hold one reference to each), then release ours: each is freed by
//     the ordinary obj_dealloc, as its count reaches zero.
// `refs` is GC_IDLE outside a collection, so a container in an older
// generation (not being collected) is recognised and left alone.
//
// ---- When it runs: safe points ------------------------------------------------------
// Allocation never collects. gc_link() (container allocation) only sets
// GIL_EVAL_GC in the eval breaker (vm/gil.h); the VM calls gc_collect_pending() at its safe points — the
// backward jump of every loop (LOOP) and every call (CALL) — and gc() runs
// gc_collect(2) from CALL_BUILTIN. Every unbounded run of allocations passes
// through one of them. The invariant that makes a safe point safe: at the top
// of the dispatch loop every object is referenced only by owned references —
// the VM's value stack (all slots own theirs), other objects, the program's
// constants — and no C local holds a borrowed reference to a container (no
// object-layer function is running: a method such as clone() that builds many
// containers finishes before the next safe point). Trial deletion needs no
// root set: a reference from outside the set is simply a count it cannot
// explain, so every object the VM can still reach is kept. Partly built
// objects cannot be seen either (a tuple's NULL slots are skipped anyway).
// The collector is not reentrant: while it runs, gc_auto is false.
//
// ---- Leak check at exit --------------------------------------------------------------
// CPython does not collect at exit. Here, in a LAB_DEBUG build with
// LAB_CHECK_LEAKS set (the test runner), vm_run() ends with one full
// collection (not counted in gc_stats), so that a program whose cycles are
// unreachable at exit passes the leak check; one whose cycles are still
// reachable (from main's locals, say) is freed by the unwinding first.
#include "gc.h"
#include "clock.h"
#include "table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define GC_IDLE INT64_MIN            // not in the set being collected
#define GC_TENTATIVE (INT64_MIN + 1) // in `unreachable`, unless found reachable later

GcGen gc_gens[GC_NGENS] = {
    {{&gc_gens[0].head, &gc_gens[0].head, GC_IDLE}, 0, 700},
    {{&gc_gens[1].head, &gc_gens[1].head, GC_IDLE}, 0, 10},
    {{&gc_gens[2].head, &gc_gens[2].head, GC_IDLE}, 0, 10},
};
bool gc_auto = true;
GcStats gc_stats;
static bool gc_enabled = true;
static bool collecting;

// The oldest generation's refinement (see the notes above).
static int64_t long_lived_total, long_lived_pending;

static void update_auto(void) { gc_auto = gc_enabled && gc_gens[0].threshold > 0 && !collecting; }

void gc_configure(bool enabled, const int threshold[GC_NGENS]) {
  gc_enabled = enabled;
  for (int g = 0; g < GC_NGENS; g++) gc_gens[g].threshold = threshold[g] > 0 ? threshold[g] : 0;
  gil_breaker_clear(GIL_EVAL_GC);
  update_auto();
}

static void list_init(GcHead *l) { l->next = l->prev = l; }
static bool list_empty(GcHead *l) { return l->next == l; }

static void list_move(GcHead *h, GcHead *to) {  // unlink h, append it to `to`
  h->prev->next = h->next;
  h->next->prev = h->prev;
  h->prev = to->prev;
  h->next = to;
  to->prev->next = h;
  to->prev = h;
}

static void list_merge(GcHead *from, GcHead *to) {  // appends all of from to `to`
  if (list_empty(from)) return;
  GcHead *first = from->next, *last = from->prev;
  first->prev = to->prev;
  to->prev->next = first;
  last->next = to;
  to->prev = last;
  list_init(from);
}

int64_t gc_tracked_count(void) {
  int64_t n = 0;
  for (int g = 0; g < GC_NGENS; g++)
    for (GcHead *h = gc_gens[g].head.next; h != &gc_gens[g].head; h = h->next) n++;
  return n;
}

// ---- per-type traverse and clear ------------------------------------------------------
typedef void (*Visit)(Obj *child, void *arg);

static void traverse_table(Table *t, Visit visit, void *arg) {
  for (int64_t i = 0; i < t->used; i++) {
    if (!t->entries[i].key) continue;
    visit(t->entries[i].key, arg);
    visit(t->entries[i].value, arg);
  }
}

// Calls visit on every reference o holds (NULLs skipped).
static void traverse(Obj *o, Visit visit, void *arg) {
  switch ((ObjType)o->type) {
  case T_LIST: {
    ListObj *l = (ListObj *)o;
    for (int64_t i = 0; i < l->len; i++) visit(l->items[i], arg);
    return;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    for (int64_t i = 0; i < t->len; i++)
      if (t->items[i]) visit(t->items[i], arg);
    return;
  }
  case T_MAP: traverse_table(&((MapObj *)o)->t, visit, arg); return;
  case T_STRUCT:
    if (STRUCT_IS_SLOTS(o)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      for (int i = 0; i < s->def->nfields; i++)
        if (s->slots[i]) visit(s->slots[i], arg);
      return;
    }
    traverse_table(&((StructObj *)o)->fields, visit, arg);
    return;
  case T_SOME: visit(((SomeObj *)o)->v, arg); return;
  case T_ITER: visit(((IterObj *)o)->seq, arg); return;
  case T_THREAD:
    if (((ThreadObj *)o)->result) visit(((ThreadObj *)o)->result, arg);
    return;
  default: return;
  }
}

// Drops every reference o holds, leaving o a valid object of its type that
// its dealloc can free (a list emptied, a Some of None, ...).
static void clear(Obj *o) {
  switch ((ObjType)o->type) {
  case T_LIST: {
    ListObj *l = (ListObj *)o;
    int64_t n = l->len;
    l->len = 0;  // detached first: a release never sees a half-cleared list
    for (int64_t i = 0; i < n; i++) DECREF(l->items[i]);
    return;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    for (int64_t i = 0; i < t->len; i++) {
      Obj *v = t->items[i];
      t->items[i] = NULL;
      XDECREF(v);
    }
    return;
  }
  case T_MAP: table_clear(&((MapObj *)o)->t); return;
  case T_STRUCT:
    if (STRUCT_IS_SLOTS(o)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      for (int i = 0; i < s->def->nfields; i++) {
        Obj *v = s->slots[i];
        s->slots[i] = NULL;
        XDECREF(v);
      }
      return;
    }
    table_clear(&((StructObj *)o)->fields);
    return;
  case T_SOME: SETREF(((SomeObj *)o)->v, NONE); return;
  case T_ITER: SETREF(((IterObj *)o)->seq, NONE); return;
  case T_THREAD: SETREF(((ThreadObj *)o)->result, NULL); return;
  default: return;
  }
}

// ---- the collection -------------------------------------------------------------------
static void visit_decref(Obj *child, void *arg) {
  (void)arg;
  if (!gc_is_container_type(child->type)) return;
  GcHead *h = GC_HEAD(child);
  if (h->refs != GC_IDLE) h->refs--;
}

static void visit_reachable(Obj *child, void *arg) {
  if (!gc_is_container_type(child->type)) return;
  GcHead *h = GC_HEAD(child);
  if (h->refs == 0) {
    h->refs = 1;  // not yet scanned: still ahead in `young`
  } else if (h->refs == GC_TENTATIVE) {
    list_move(h, (GcHead *)arg);  // back to the end of `young`, to be scanned
    h->refs = 1;
  }
}


static void record_pause(int64_t ns) {
  gc_stats.total_pause_ns += ns;
  if (ns > gc_stats.max_pause_ns) gc_stats.max_pause_ns = ns;
  int64_t us = ns / 1000;
  int b = 0;
  while (b < GC_HIST_BUCKETS - 1 && us >= ((int64_t)1 << b)) b++;
  gc_stats.pause_hist[b]++;
}

#ifdef LAB_COUNTED
int gc_trigger_line;
static int charge_line = -1;  // gc_collect_pending's collection: gc_trigger_line
#endif

#ifdef LAB_FT
static pthread_mutex_t lists_mutex = PTHREAD_MUTEX_INITIALIZER;
void gc_lists_lock(void) { pthread_mutex_lock(&lists_mutex); }
void gc_lists_unlock(void) { pthread_mutex_unlock(&lists_mutex); }
#endif

static int64_t collect(int gen);

// With the GIL off the collection runs with every other thread parked at a
// safe point (vm/gil.h gil_stop_world); with it on, the GIL is enough.
int64_t gc_collect(int gen) {
  gil_stop_world();
  int64_t n = collect(gen);
  gil_start_world();
  return n;
}

static int64_t collect(int gen) {
  if (collecting) return 0;
  if (gen < 0) gen = 0;
  if (gen >= GC_NGENS) gen = GC_NGENS - 1;
  int64_t t0 = rt_now_ns();
  collecting = true;
  update_auto();

  // The set: generation `gen` with every younger one merged into it.
  GcHead *young = &gc_gens[gen].head;
  for (int g = 0; g < gen; g++) list_merge(&gc_gens[g].head, young);
  GcHead *old = gen + 1 < GC_NGENS ? &gc_gens[gen + 1].head : young;

  for (GcHead *h = young->next; h != young; h = h->next) h->refs = obj_refcount(GC_OBJ(h));  // 1
  for (GcHead *h = young->next; h != young; h = h->next) traverse(GC_OBJ(h), visit_decref, NULL);  // 2

  GcHead unreachable;  // 3
  list_init(&unreachable);
  int64_t survivors = 0;
  for (GcHead *h = young->next, *next; h != young; h = next) {
    if (h->refs > 0) {
      traverse(GC_OBJ(h), visit_reachable, young);
      // Scanned, and it survives: idle at once (no pass over the survivors
      // afterwards). The visits that still come see it as outside the set,
      // which is right: it is reachable, and what it refers to is marked.
      h->refs = GC_IDLE;
      survivors++;
      next = h->next;
    } else {
      next = h->next;
      list_move(h, &unreachable);
      h->refs = GC_TENTATIVE;
    }
  }
  if (old != young) list_merge(young, old);
  if (gen == GC_NGENS - 2) long_lived_pending += survivors;  // promoted into the oldest
  if (gen == GC_NGENS - 1) {
    long_lived_pending = 0;
    long_lived_total = survivors;
  }

  int64_t n = 0;  // 4
  for (GcHead *h = unreachable.next; h != &unreachable; h = h->next) {
    INCREF(GC_OBJ(h));
    h->refs = GC_IDLE;
    n++;
  }
  for (GcHead *h = unreachable.next; h != &unreachable; h = h->next) clear(GC_OBJ(h));
  while (!list_empty(&unreachable)) {
    GcHead *h = unreachable.next;
    list_move(h, old);  // freed (and unlinked) by the DECREF, which is the last reference
    DECREF(GC_OBJ(h));
  }

  if (gen + 1 < GC_NGENS) gc_gens[gen + 1].count++;
  for (int g = 0; g <= gen; g++) gc_gens[g].count = 0;
  collecting = false;
  gil_breaker_clear(GIL_EVAL_GC);
  update_auto();
  gc_stats.collections[gen]++;
  gc_stats.collected += n;
  int64_t pause = rt_now_ns() - t0;
  record_pause(pause);
#ifdef LAB_COUNTED
  int line = charge_line >= 0 ? charge_line : lab_line;
  LineCounts *row = &lab_line_rows[line];
  row->gc_collections++;
  row->gc_collected += n;
  row->gc_pause_ns += pause;
  lab_lines_gc(gen, pause, n, line);
#endif
  return n;
}

// The count past which generation g is due.
static int threshold_of(int g) {
#ifdef LAB_STRESS
  if (g == 0) return 0;  // a collection after every container allocation (gc_link)
#endif
  return gc_gens[g].threshold;
}

// With the GIL off every thread sees GIL_EVAL_GC: the first to claim the
// collection stops the world; the others return, and park at the stop.
static void collect_pending(void);
static _Atomic bool claimed;
void gc_collect_pending(void) {
  if (gil_is_off()) {
    // Deallocations since the trigger may have brought generation 0 back
    // under its threshold: then no pause at all.
    GC_LISTS_LOCK();
    bool due = gc_gens[0].count > threshold_of(0);
    GC_LISTS_UNLOCK();
    if (!due) {
      gil_breaker_clear(GIL_EVAL_GC);
      return;
    }
  }
  if (atomic_exchange_explicit(&claimed, true, memory_order_acquire)) return;
  gil_stop_world();
  collect_pending();  // decided with the world stopped
  atomic_store_explicit(&claimed, false, memory_order_release);
  gil_start_world();
}

static void collect_pending(void) {
  gil_breaker_clear(GIL_EVAL_GC);
  if (!gc_auto) return;
  for (int g = GC_NGENS - 1; g >= 0; g--) {
    if (gc_gens[g].count > threshold_of(g)) {
      if (g == GC_NGENS - 1 && long_lived_pending < long_lived_total / 4) continue;
#ifdef LAB_COUNTED
      charge_line = gc_trigger_line;
#endif
      collect(g);
#ifdef LAB_COUNTED
      charge_line = -1;
#endif
      return;
    }
  }
}
