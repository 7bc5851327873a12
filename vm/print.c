// print.c — how interp-mode values print (SPEC §5 "Printing"): walks an
// object and writes each leaf with the shared formatters of runtime/format.h,
// so that both modes print byte for byte alike.
//
//   1  2.5  1e+20  true  None  Some(3)  Some("x")  [1, 2]  {"a": 1}
//   (1, "x")  (1,)  ()  Point { x: 1, y: 2 }  Unit  Status::Paid
//
// A string prints raw at top level and quoted inside anything else. A struct
// with no fields prints as its bare name, as Rust's {:?}; its declared fields
// print in declaration order whatever order they were set in. A container
// met again while printing itself (a cycle, possible only in interp mode)
// prints as [...], {...}, (...), Some(...) or Name { ... }, as Python's repr
// does. Nesting deeper than the depth guard (OBJ_MAX_WALK_DEPTH, vm/object.h)
// is a RecursionError, as in Python — not a truncated text.
#include "print.h"
#include "object.h"
#include "table.h"
#include "str.h"
#include "ops.h"
#include "objlock.h"


// The containers being printed, innermost last (as CPython's Py_ReprEnter),
// by this thread. The depth guard bounds how many there can be.
static LAB_FT_TLS Obj *active[OBJ_MAX_WALK_DEPTH];
static LAB_FT_TLS int nactive;

enum { ENTERED, CYCLE, TOO_DEEP };

// CYCLE if o is already being printed; TOO_DEEP (RecursionError raised) if
// the walk is nested too deep; else ENTERED, and leave() must follow.
static int enter(Obj *o) {
  for (int i = nactive - 1; i >= 0; i--)
    if (active[i] == o) return CYCLE;
  if (!obj_walk_enter(RT_MSG_RECURSION_STR)) return TOO_DEEP;
  active[nactive++] = o;
  return ENTERED;
}

static void leave(void) {
  nactive--;
  obj_walk_leave();
}

static bool print_obj(RtBuf *b, Obj *o, bool top);

static bool print_items(RtBuf *b, Obj **items, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    if (i) rtbuf_puts(b, ", ");
    if (!print_obj(b, items[i], false)) return false;
  }
  return true;
}

// Maps and structs are printed from snapshots of their tables, lists and
// slots structs from snapshots of their items (vm/objlock.h: with the GIL
// off no lock is held while the walk goes into an element).
static bool print_map(RtBuf *b, Table *t) {
  rtbuf_putc(b, '{');
  bool first = true;
  for (int64_t i = 0; i < t->used; i++) {
    TableEntry *e = &t->entries[i];
    if (!e->key) continue;
    if (!first) rtbuf_puts(b, ", ");
    first = false;
    if (!print_obj(b, e->key, false)) return false;
    rtbuf_puts(b, ": ");
    if (!print_obj(b, e->value, false)) return false;
  }
  rtbuf_putc(b, '}');
  return true;
}

static bool print_field(RtBuf *b, bool *first, StrObj *name, Obj *v) {
  rtbuf_puts(b, *first ? " { " : ", ");
  *first = false;
  rtbuf_put(b, name->data, (size_t)name->len);
  rtbuf_puts(b, ": ");
  return print_obj(b, v, false);
}

// Field names are strings: ops_eq cannot fail on them.
static bool declared(StructDef *d, Obj *key) {
  for (int i = 0; i < d->nfields; i++)
    if ((Obj *)d->fields[i] == key || ops_eq((Obj *)d->fields[i], key) > 0) return true;
  return false;
}

// Declared fields in declaration order, whatever order they were set in;
// then any the program added (interp only) in the order they were added.
// `items`: a slots struct's snapshot; else `t`, the table's.
static bool print_struct(RtBuf *b, StructDef *d, ObjSnapshot *items, Table *t) {
  rtbuf_put(b, d->name->data, (size_t)d->name->len);
  bool first = true;
  if (items) {  // --struct-fields=slots: the declared fields only
    for (int64_t i = 0; i < items->n; i++)
      if (items->items[i] && !print_field(b, &first, d->fields[i], items->items[i])) return false;
    if (!first) rtbuf_puts(b, " }");
    return true;
  }
  for (int i = 0; i < d->nfields; i++) {
    Obj *v = table_get(t, (Obj *)d->fields[i], str_key_hash((Obj *)d->fields[i]));
    if (v && !print_field(b, &first, d->fields[i], v)) return false;
  }
  for (int64_t i = 0; i < t->used; i++) {
    TableEntry *e = &t->entries[i];
    if (e->key && !declared(d, e->key) && !print_field(b, &first, (StrObj *)e->key, e->value))
      return false;
  }
  if (!first) rtbuf_puts(b, " }");
  return true;
}

static bool print_snapshot(RtBuf *b, Obj *o) {
  if (obj_table(o)) {
    Table t;
    if (obj_table_snapshot(o, &t) < 0) return false;
    bool ok = o->type == T_MAP ? print_map(b, &t) : print_struct(b, ((StructObj *)o)->def, NULL, &t);
    obj_table_snapshot_release(&t);
    return ok;
  }
  ObjSnapshot s;
  if (obj_snapshot(o, &s) < 0) return false;
  bool ok;
  if (o->type == T_STRUCT) {
    ok = print_struct(b, ((StructObj *)o)->def, &s, NULL);
  } else {
    rtbuf_putc(b, '[');
    ok = print_items(b, s.items, s.n);
    rtbuf_putc(b, ']');
  }
  obj_snapshot_release(&s);
  return ok;
}

// A container: its text between enter() and leave(), or `cyc` for a cycle.
static bool print_container(RtBuf *b, Obj *o, const char *cyc) {
  switch (enter(o)) {
  case CYCLE:
    if (o->type == T_STRUCT) rtbuf_puts(b, ops_type_name(o));
    rtbuf_puts(b, cyc);
    return true;
  case TOO_DEEP: return false;
  default: break;
  }
  bool ok;
  switch ((ObjType)o->type) {
  case T_LIST:
  case T_MAP:
  case T_STRUCT: ok = print_snapshot(b, o); break;
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    rtbuf_putc(b, '(');
    ok = print_items(b, t->items, t->len);
    rtbuf_puts(b, t->len == 1 ? ",)" : ")");
    break;
  }
  default:  // T_SOME
    rtbuf_puts(b, "Some(");
    ok = print_obj(b, ((SomeObj *)o)->v, false);
    rtbuf_putc(b, ')');
    break;
  }
  leave();
  return ok;
}

static bool print_obj(RtBuf *b, Obj *o, bool top) {
  switch ((ObjType)o->type) {
  case T_NONE: rtbuf_puts(b, "None"); return true;
  case T_BOOL: rtbuf_puts(b, int_value(o) ? "true" : "false"); return true;
  case T_INT: rt_fmt_int(b, int_value(o)); return true;
  case T_FLOAT: rt_fmt_float(b, float_value(o)); return true;
  case T_STR: {
    StrObj *s = (StrObj *)o;
    if (top) rtbuf_put(b, s->data, (size_t)s->len);
    else rt_fmt_str_quoted(b, s->data, (size_t)s->len);
    return true;
  }
  case T_LIST: return print_container(b, o, "[...]");
  case T_TUPLE: return print_container(b, o, "(...)");
  case T_MAP: return print_container(b, o, "{...}");
  case T_STRUCT: return print_container(b, o, " { ... }");
  case T_SOME: return print_container(b, o, "Some(...)");
  case T_ENUM: {
    EnumObj *e = (EnumObj *)o;
    StrObj *n = e->def->name, *v = e->def->variants[e->variant];
    rtbuf_put(b, n->data, (size_t)n->len);
    rtbuf_puts(b, "::");
    rtbuf_put(b, v->data, (size_t)v->len);
    return true;
  }
  case T_ITER: rtbuf_puts(b, "<iterator>"); return true;
  case T_THREAD: rtbuf_puts(b, "<thread>"); return true;
  case T_COUNT: break;
  }
  rtbuf_puts(b, "<object>");
  return true;
}

bool print_to(RtBuf *b, Obj *o, bool top) {
  if (!print_obj(b, o, top)) return false;
  if (b->oom) {
    obj_raise(RT_MEMORY, RT_MSG_OOM);
    return false;
  }
  return true;
}

Obj *print_to_str(Obj *o) {
  if (o->type == T_STR) {
    INCREF(o);
    return o;
  }
  RtBuf b;
  rtbuf_init(&b);
  Obj *s = print_to(&b, o, true) ? str_new(b.data, (int64_t)b.len) : NULL;
  rtbuf_free(&b);
  return s;
}
