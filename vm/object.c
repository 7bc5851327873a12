// object.c — the memory side of the interp object model (vm/object.h): the
// immortal singletons and small ints, deallocation by type, the per-thread
// pending error, and the run-time struct and enum definitions. The pools
// objects come from, and boxing, are vm/alloc.c's.
#include "object.h"
#include "alloc.h"
#include "objlock.h"
#include "tracer.h"
#include "gc.h"
#include "xalloc.h"
#include "ops.h"
#include "table.h"
#include "str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---- immortals ----------------------------------------------------------------------
Obj obj_none = {.rc = IMMORTAL_RC, .type = T_NONE};
IntObj obj_true = {.h = {.rc = IMMORTAL_RC, .type = T_BOOL}, .v = 1};
IntObj obj_false = {.h = {.rc = IMMORTAL_RC, .type = T_BOOL}, .v = 0};
IntObj obj_small_ints[SMALL_INT_MAX - SMALL_INT_MIN + 1];

void (*obj_thread_dealloc_hook)(Obj *o);
void (*obj_blocking_begin_hook)(void);
void (*obj_blocking_end_hook)(void);

_Thread_local int obj_walk_depth;

Obj *obj_some_steal(Obj *v) {
  SomeObj *o = obj_alloc(sizeof(SomeObj), T_SOME);
  o->v = v;
  return (Obj *)o;
}

// ---- deallocation -------------------------------------------------------------------
// Freeing a container releases its elements, which may free theirs: a linked
// list of a million `?Node`s would recurse a million deep. As CPython's
// "trashcan", containers met deeper than TRASH_DEPTH are parked on a stack and
// freed by the outermost dealloc, so the C stack stays shallow.
enum { TRASH_DEPTH = 64 };
static LAB_FT_TLS int dealloc_depth;  // per thread in the free-threaded build
static LAB_FT_TLS Obj **trash;
static LAB_FT_TLS size_t trash_len, trash_cap;

#ifdef LAB_FT
// In this order: what waits in the thread's merge queue is released (and
// may free objects), then its counts are added to the run's, then its free
// lists are handed on.
void obj_thread_end(void) {
  obj_rc_thread_end();
  free(trash);
  trash = NULL;
  trash_len = trash_cap = 0;
  objlock_thread_end();
#ifdef LAB_COUNTED
  lab_counters_thread_end();
#endif
  alloc_thread_end();
}
#endif

static void dealloc_container(Obj *o) {
  switch ((ObjType)o->type) {
  case T_LIST: {
    ListObj *l = (ListObj *)o;
    for (int64_t i = 0; i < l->len; i++) DECREF(l->items[i]);
    obj_buf_free(l->items, (size_t)l->cap * sizeof(Obj *));
    obj_free(l, sizeof(ListObj));
    return;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    for (int64_t i = 0; i < t->len; i++) XDECREF(t->items[i]);
    obj_free(t, sizeof(TupleObj) + (size_t)t->len * sizeof(Obj *));
    return;
  }
  case T_MAP:
    table_clear(&((MapObj *)o)->t);
    obj_free(o, sizeof(MapObj));
    return;
  case T_STRUCT:
    if (__builtin_expect(STRUCT_IS_SLOTS(o), 0)) {
      SlotsStructObj *s = (SlotsStructObj *)o;
      for (int i = 0; i < s->def->nfields; i++) XDECREF(s->slots[i]);
      obj_free(o, slots_struct_size(s->def));
      return;
    }
    table_clear(&((StructObj *)o)->fields);
    obj_free(o, sizeof(StructObj));
    return;
  case T_SOME:
    DECREF(((SomeObj *)o)->v);
    obj_free(o, sizeof(SomeObj));
    return;
  case T_ITER:
    DECREF(((IterObj *)o)->seq);
    obj_free(o, sizeof(IterObj));
    return;
  case T_THREAD:
    if (obj_thread_dealloc_hook) {
      obj_thread_dealloc_hook(o);
    } else {
      XDECREF(((ThreadObj *)o)->result);
      obj_free(o, sizeof(ThreadObj));
    }
    return;
  default:
    break;
  }
#ifdef LAB_DEBUG
  fprintf(stderr, "lab: internal error: dealloc of an immortal %s\n", ops_type_name(o));
  abort();
#else
  o->rc = IMMORTAL_RC;  // an immortal's count is never trusted
#endif
}

const char *obj_kind_name(int type) {
  static const char *const names[T_COUNT] = {
      [T_NONE] = "none", [T_BOOL] = "bool",     [T_INT] = "int",     [T_FLOAT] = "float",   [T_STR] = "str",
      [T_LIST] = "list", [T_MAP] = "map",       [T_TUPLE] = "tuple", [T_STRUCT] = "struct", [T_ENUM] = "enum",
      [T_SOME] = "some", [T_ITER] = "iterator", [T_THREAD] = "thread"};
  return type >= 0 && type < T_COUNT ? names[type] : "?";
}

void obj_dealloc(Obj *o) {
#ifdef LAB_COUNTED
  if (lab_tracing) tracer_forget(o);  // `lab trace`: its id goes with it
#endif
  switch ((ObjType)o->type) {
  case T_INT:
    ALLOC_LIVE_DEC();
    LAB_COUNT_FREE(sizeof(IntObj));
    alloc_pool_free(o, sizeof(IntObj));
    return;
  case T_FLOAT:
    ALLOC_LIVE_DEC();
    LAB_COUNT_FREE(sizeof(FloatObj));
    alloc_pool_free(o, sizeof(FloatObj));
    return;
  case T_STR:
    obj_free(o, offsetof(StrObj, data) + (size_t)((StrObj *)o)->len + 1);
    return;
  default:
    break;
  }
  if (dealloc_depth >= TRASH_DEPTH) {
    if (trash_len == trash_cap) {
      trash_cap = trash_cap ? trash_cap * 2 : 256;
      Obj **t = realloc(trash, trash_cap * sizeof(Obj *));
      if (!t) rt_out_of_memory();
      trash = t;
    }
    trash[trash_len++] = o;
    return;
  }
  dealloc_depth++;
  dealloc_container(o);
  if (dealloc_depth == 1) {
    while (trash_len > 0) dealloc_container(trash[--trash_len]);
  }
  dealloc_depth--;
}

// ---- errors -----------------------------------------------------------------------------
typedef struct ErrState {
  bool pending;
  RtErrorKind kind;
  char *msg;    // malloc'd, reused from one error to the next
  size_t cap;
} ErrState;

static _Thread_local ErrState err;

Obj *obj_raise(RtErrorKind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(err.msg, err.cap, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n + 1 > err.cap) {
    size_t cap = (size_t)n + 1 < 128 ? 128 : (size_t)n + 1;
    char *m = realloc(err.msg, cap);
    if (!m) rt_out_of_memory();
    err.msg = m;
    err.cap = cap;
    va_start(ap, fmt);
    vsnprintf(err.msg, err.cap, fmt, ap);
    va_end(ap);
  }
  err.pending = true;
  err.kind = kind;
  return NULL;
}

bool obj_error_pending(void) { return err.pending; }
RtErrorKind obj_error_kind(void) { return err.kind; }
const char *obj_error_msg(void) { return err.pending && err.msg ? err.msg : ""; }
void obj_error_clear(void) { err.pending = false; }

// ---- struct and enum definitions -----------------------------------------------------------
StructDef *structdef_new(const char *name, int nfields, const char *const *fields) {
  StructDef *d = rt_xmalloc(sizeof *d);
  d->name = str_intern(name, (int64_t)strlen(name));
  d->nfields = nfields;
  d->fields = rt_xmalloc((size_t)nfields * sizeof(StrObj *));
  for (int i = 0; i < nfields; i++) d->fields[i] = str_intern(fields[i], (int64_t)strlen(fields[i]));
  table_struct_keys(d);
  return d;
}

// The names are interned, hence immortal: nothing to release but the arrays.
void structdef_free(StructDef *d) {
  if (!d) return;
  free(d->keys.entries);
  free(d->fields);
  free(d);
}

EnumDef *enumdef_new(const char *name, int nvariants, const char *const *variants) {
  EnumDef *d = rt_xmalloc(sizeof *d);
  d->name = str_intern(name, (int64_t)strlen(name));
  d->nvariants = nvariants;
  d->variants = rt_xmalloc((size_t)nvariants * sizeof(StrObj *));
  d->values = rt_xmalloc((size_t)nvariants * sizeof(EnumObj *));
  for (int i = 0; i < nvariants; i++) {
    d->variants[i] = str_intern(variants[i], (int64_t)strlen(variants[i]));
    EnumObj *e = rt_xmalloc(sizeof(EnumObj));  // immortal: outside the pools and the count
    e->h.rc = IMMORTAL_RC;
    e->h.type = T_ENUM;
    e->h.aux = 0;
    e->def = d;
    e->variant = i;
    d->values[i] = e;
  }
  return d;
}

void enumdef_free(EnumDef *d) {
  if (!d) return;
  for (int i = 0; i < d->nvariants; i++) free(d->values[i]);
  free(d->values);
  free(d->variants);
  free(d);
}

// ---- start and finish ------------------------------------------------------------------------
void obj_init(void) {
  for (int i = 0; i <= SMALL_INT_MAX - SMALL_INT_MIN; i++) {
    obj_small_ints[i].h.rc = IMMORTAL_RC;
    obj_small_ints[i].h.type = T_INT;
    obj_small_ints[i].h.aux = 0;
    obj_small_ints[i].v = SMALL_INT_MIN + i;
  }
}

void obj_finish(void) {
  str_intern_finish();
  free(trash);
  trash = NULL;
  trash_len = trash_cap = 0;
  free(err.msg);
  err.msg = NULL;
  err.cap = 0;
  err.pending = false;
#ifdef LAB_DEBUG
  // Objects still alive (a cycle, until the collector exists) may own malloc'd
  // buffers; keeping their arenas reachable keeps LeakSanitizer quiet about
  // what the program itself leaked. Only a clean run gives the pools back.
  if (alloc_live_objects != 0) return;
#endif
  alloc_finish();
}
