// boundary.c — hybrid mode's boundary on the VM's side (vm/boundary.h,
// docs/hybrid.md). The library of compiled #[native] functions converts
// every argument and result itself (compiler/native/cgen_hybrid.c), calling
// back into the functions here for each value: so every conversion passes
// through this file and is counted here, in the counted build, on the
// source line of the call — as a PyO3 extension converts through CPython's
// C API. All of them run with the GIL held (a nogil call releases it only
// around the compiled code).
#include "boundary.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "gil.h"
#include "hybrid_abi.h"
#include "list.h"
#include "ops.h"
#include "str.h"
#include "table.h"

BoundaryStats boundary_stats;
static BcProgram *prog;
static LabHost host;
static void *library;
static int64_t (*library_live)(void);

// The #[native] function being called on this thread, for messages.
static _Thread_local const char *current_fn;
// A panic of compiled code, for the traceback.
static _Thread_local struct {
  bool set;
  const char *fn;
  int line, col;
} panicked;

#ifdef LAB_COUNTED
#define COUNT_IN(type, bytes) \
  ((void)(boundary_stats.in[(type)]++, boundary_stats.bytes_in += (bytes), LAB_LINE_ROW()->hy_values++, \
          LAB_LINE_ROW()->hy_bytes += (bytes)))
#define COUNT_OUT(type, bytes) \
  ((void)(boundary_stats.out[(type)]++, boundary_stats.bytes_out += (bytes), LAB_LINE_ROW()->hy_values++, \
          LAB_LINE_ROW()->hy_bytes += (bytes)))
static _Thread_local int64_t call_start_ns, call_end_ns;
static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
static void h_phase(int which) {
  if (which == 0) call_start_ns = now_ns();
  else call_end_ns = now_ns();
}
#else
#define COUNT_IN(type, bytes) ((void)0)
#define COUNT_OUT(type, bytes) ((void)0)
#endif

#define O(lo) ((Obj *)(lo))
#define L(o) ((LabObj *)(o))

static bool type_error(const char *what, Obj *o) {
  obj_raise(RT_TYPE, "%s(): expected %s, got %s", current_fn ? current_fn : "?", what, ops_type_name(o));
  return false;
}

// ---- extraction -------------------------------------------------------------------

static bool h_get_int(LabObj *lo, int64_t *out) {
  Obj *o = O(lo);
  if (o->type != T_INT) return type_error("int", o);
  *out = int_value(o);
  COUNT_IN(T_INT, 8);
  return true;
}

static bool h_get_float(LabObj *lo, double *out) {
  Obj *o = O(lo);
  if (o->type == T_FLOAT) *out = float_value(o);
  else if (o->type == T_INT) *out = (double)int_value(o);
  else return type_error("float", o);
  COUNT_IN(T_FLOAT, 8);
  return true;
}

static bool h_get_bool(LabObj *lo, bool *out) {
  Obj *o = O(lo);
  if (o->type != T_BOOL) return type_error("bool", o);
  *out = o == TRUE_OBJ;
  COUNT_IN(T_BOOL, 1);
  return true;
}

static bool h_get_str(LabObj *lo, const char **bytes, int64_t *len) {
  Obj *o = O(lo);
  if (o->type != T_STR) return type_error("str", o);
  *bytes = ((StrObj *)o)->data;
  *len = ((StrObj *)o)->len;
  COUNT_IN(T_STR, *len);
  return true;
}

static bool h_get_list(LabObj *lo, const char *what, int64_t *len) {
  Obj *o = O(lo);
  if (o->type != T_LIST) return type_error(what, o);
  *len = ((ListObj *)o)->len;
  COUNT_IN(T_LIST, 0);
  return true;
}

static LabObj *h_list_item(LabObj *lo, int64_t i) { return L(((ListObj *)lo)->items[i]); }

static bool h_get_tuple(LabObj *lo, const char *what, int64_t n) {
  Obj *o = O(lo);
  if (o->type != T_TUPLE || ((TupleObj *)o)->len != n) return type_error(what, o);
  COUNT_IN(T_TUPLE, 0);
  return true;
}

static LabObj *h_tuple_item(LabObj *lo, int64_t i) { return L(((TupleObj *)lo)->items[i]); }

static bool h_get_map(LabObj *lo, const char *what, int64_t *len) {
  Obj *o = O(lo);
  if (o->type != T_MAP) return type_error(what, o);
  *len = ((MapObj *)o)->t.len;
  COUNT_IN(T_MAP, 0);
  return true;
}

static bool h_map_next(LabObj *lo, int64_t *pos, LabObj **key, LabObj **value) {
  Table *t = &((MapObj *)lo)->t;
  while (*pos < t->used) {
    TableEntry *e = &t->entries[(*pos)++];
    if (!e->key) continue;
    *key = L(e->key);
    *value = L(e->value);
    return true;
  }
  return false;
}

static bool h_get_struct(LabObj *lo, const void *def, const char *what) {
  Obj *o = O(lo);
  if (o->type != T_STRUCT || ((StructObj *)o)->def != def) return type_error(what, o);
  COUNT_IN(T_STRUCT, 0);
  return true;
}

static LabObj *h_struct_field(LabObj *lo, int i) {
  StructObj *s = (StructObj *)lo;  // both layouts start with the header and def
  Obj *v = ops_get_field(O(lo), s->def->fields[i]);
  if (!v) return NULL;
  DECREF(v);  // borrowed: the instance keeps it
  return L(v);
}

static int h_get_option(LabObj *lo, const char *what, LabObj **payload) {
  Obj *o = O(lo);
  if (o == NONE) {
    COUNT_IN(T_NONE, 0);
    return 0;
  }
  if (o->type != T_SOME) {
    type_error(what, o);
    return -1;
  }
  *payload = L(((SomeObj *)o)->v);
  COUNT_IN(T_SOME, 0);
  return 1;
}

static bool h_get_enum(LabObj *lo, const void *def, const char *what, int64_t *variant) {
  Obj *o = O(lo);
  if (o->type != T_ENUM || ((EnumObj *)o)->def != def) return type_error(what, o);
  *variant = ((EnumObj *)o)->variant;
  COUNT_IN(T_ENUM, 8);
  return true;
}

// ---- construction -----------------------------------------------------------------

static LabObj *h_new_int(int64_t v) {
  COUNT_OUT(T_INT, 8);
  return L(alloc_int(v));
}

static LabObj *h_new_float(double v) {
  COUNT_OUT(T_FLOAT, 8);
  return L(alloc_float(v));
}

static LabObj *h_new_bool(bool v) {
  COUNT_OUT(T_BOOL, 1);
  return L(bool_obj(v));
}

static LabObj *h_new_str(const char *bytes, int64_t len) {
  COUNT_OUT(T_STR, len);
  return L(str_new(bytes, len));
}

static LabObj *h_new_list(int64_t cap) {
  COUNT_OUT(T_LIST, 0);
  return L(list_new(cap));
}

static bool h_list_push_steal(LabObj *list, LabObj *item) { return list_append_steal(O(list), O(item)) == 0; }

static LabObj *h_new_tuple(int64_t n) {
  COUNT_OUT(T_TUPLE, 0);
  return L(tuple_new(n));
}

static void h_tuple_set_steal(LabObj *t, int64_t i, LabObj *item) { ((TupleObj *)t)->items[i] = O(item); }

static LabObj *h_new_map(void) {
  COUNT_OUT(T_MAP, 0);
  return L(table_new_map());
}

static bool h_map_set_steal(LabObj *m, LabObj *key, LabObj *value) {
  uint64_t h = str_key_hash(O(key));
  bool ok = table_map_set(O(m), O(key), h, O(value)) == 0;
  DECREF(O(key));
  DECREF(O(value));
  return ok;
}

static LabObj *h_new_struct(const void *def) {
  COUNT_OUT(T_STRUCT, 0);
  return L(table_new_struct((StructDef *)def));
}

static bool h_struct_set_steal(LabObj *o, int i, LabObj *value) {
  bool ok = ops_set_field(O(o), ((StructObj *)o)->def->fields[i], O(value)) == 0;
  DECREF(O(value));
  return ok;
}

static LabObj *h_none(void) {
  COUNT_OUT(T_NONE, 0);
  return L(none_obj());
}

static LabObj *h_some_steal(LabObj *v) {
  COUNT_OUT(T_SOME, 0);
  return L(obj_some_steal(O(v)));
}

static LabObj *h_enum_value(const void *def, int64_t variant) {
  COUNT_OUT(T_ENUM, 8);
  Obj *v = (Obj *)((const EnumDef *)def)->values[variant];
  INCREF(v);
  return L(v);
}

static void h_decref(LabObj *o) { DECREF(O(o)); }

static void h_assign(LabObj *dst, LabObj *src) {
  if (O(dst)->type == T_LIST) {
    ListObj *a = (ListObj *)dst, *b = (ListObj *)src, t = *a;
    a->len = b->len, a->cap = b->cap, a->items = b->items;
    b->len = t.len, b->cap = t.cap, b->items = t.items;
  } else {
    Table t = ((MapObj *)dst)->t;
    ((MapObj *)dst)->t = ((MapObj *)src)->t;
    ((MapObj *)src)->t = t;
  }
}

// ---- definitions, the GIL, panics ---------------------------------------------------

static const void *h_struct_def(const char *name, int nfields) {
  for (int i = 0; i < prog->nstructs; i++)
    if (strcmp(prog->structs[i]->name->data, name) == 0 && prog->structs[i]->nfields == nfields)
      return prog->structs[i];
  return NULL;
}

static const void *h_enum_def(const char *name, int nvariants) {
  for (int i = 0; i < prog->nenums; i++)
    if (strcmp(prog->enums[i]->name->data, name) == 0 && prog->enums[i]->nvariants == nvariants)
      return prog->enums[i];
  return NULL;
}

static void h_panic(int kind, const char *msg, const char *file, int line, int col) {
  (void)file;
  obj_raise((RtErrorKind)kind, "%s", msg);
  panicked.set = true;
  panicked.fn = current_fn;
  panicked.line = line;
  panicked.col = col;
}

// ---- loading and calling ------------------------------------------------------------

bool boundary_active(void) { return library != NULL; }

bool boundary_load(BcProgram *p, const char *path, const char *const *natives, const bool *nogil, int n,
                   int argc, char **argv) {
  prog = p;
  host = (LabHost){
      .abi = LAB_HYBRID_ABI, .argc = argc, .argv = argv,
      .get_int = h_get_int, .get_float = h_get_float, .get_bool = h_get_bool, .get_str = h_get_str,
      .get_list = h_get_list, .list_item = h_list_item, .get_tuple = h_get_tuple, .tuple_item = h_tuple_item,
      .get_map = h_get_map, .map_next = h_map_next, .get_struct = h_get_struct, .struct_field = h_struct_field,
      .get_option = h_get_option, .get_enum = h_get_enum, .new_int = h_new_int, .new_float = h_new_float,
      .new_bool = h_new_bool, .new_str = h_new_str, .new_list = h_new_list, .list_push_steal = h_list_push_steal,
      .new_tuple = h_new_tuple, .tuple_set_steal = h_tuple_set_steal, .new_map = h_new_map,
      .map_set_steal = h_map_set_steal, .new_struct = h_new_struct, .struct_set_steal = h_struct_set_steal,
      .none = h_none, .some_steal = h_some_steal, .enum_value = h_enum_value, .decref = h_decref,
      .assign = h_assign, .struct_def = h_struct_def, .enum_def = h_enum_def, .release_gil = gil_release,
      .take_gil = gil_take,
#ifdef LAB_COUNTED
      .phase = h_phase,
#endif
      .panic = h_panic};
  library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "lab: internal error: cannot load the compiled #[native] functions: %s\n", dlerror());
    return false;
  }
  LabHybridInit init = (LabHybridInit)(uintptr_t)dlsym(library, "lab_hybrid_init");
  if (!init || init(&host) != 0) {
    fprintf(stderr, "lab: internal error: %s is not a library of this program's #[native] functions\n", path);
    return false;
  }
  library_live = (int64_t(*)(void))(uintptr_t)dlsym(library, "rt_live_allocations");
  for (int i = 0; i < n; i++) {
    char sym[300];
    snprintf(sym, sizeof sym, "lab_hy_%s", natives[i]);
    LabHybridFn f = (LabHybridFn)(uintptr_t)dlsym(library, sym);
    Function *fn = NULL;
    for (int k = 0; k < p->nfns && !fn; k++)
      if (strcmp(p->fns[k]->name, natives[i]) == 0) fn = p->fns[k];
    if (!f || !fn) {
      fprintf(stderr, "lab: internal error: the library has no %s\n", sym);
      return false;
    }
    fn->native = f;
    fn->nogil = nogil[i];
  }
  // Point the calls at the boundary: CALL and CALL_NATIVE have the same
  // operands (function, argument count).
  for (int k = 0; k < p->nfns; k++) {
    Function *f = p->fns[k];
    for (int at = 0; at < f->len; at += 1 + bc_opinfo[f->code[at]].operand_bytes)
      if (f->code[at] == OP_CALL && p->fns[bc_read16(f->code + at + 1)]->native) f->code[at] = OP_CALL_NATIVE;
  }
  return true;
}

Obj *boundary_call(Function *fn, Obj **args, int depth) {
  const char *outer = current_fn;
  current_fn = fn->name;
#ifdef LAB_COUNTED
  boundary_stats.calls++;
  LAB_LINE_ROW()->hy_calls++;
  int64_t t0 = now_ns();
  call_start_ns = call_end_ns = 0;
#endif
  LabObj *ret = NULL;
  int rc = ((LabHybridFn)fn->native)((LabObj *const *)args, &ret, depth);
#ifdef LAB_COUNTED
  int64_t t3 = now_ns();
  if (call_start_ns && call_end_ns) {
    int64_t native = call_end_ns - call_start_ns;
    boundary_stats.native_ns += native;
    boundary_stats.convert_ns += (t3 - t0) - native;
    LAB_LINE_ROW()->hy_convert_ns += (t3 - t0) - native;
  } else {
    boundary_stats.convert_ns += t3 - t0;  // a conversion failed, or the call panicked
    LAB_LINE_ROW()->hy_convert_ns += t3 - t0;
  }
#endif
  current_fn = outer;
  return rc == 0 ? O(ret) : NULL;
}

void boundary_traceback(FILE *out, const char *path) {
  if (!panicked.set) return;
  fprintf(out, "  File \"%s\", line %d, in %s  [compiled #[native] code: a panic at column %d]\n", path,
          panicked.line, panicked.fn ? panicked.fn : "?", panicked.col);
}

int64_t boundary_live_allocations(void) { return library_live ? library_live() : 0; }
