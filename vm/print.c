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
// prints as [...], {...} or Name { ... }, as Python's repr does; so does one
// nested deeper than MAX_PRINT_DEPTH, which keeps the C stack bounded.
#include "object.h"


// The containers being printed, innermost last (as CPython's Py_ReprEnter).
// The fixed depth also bounds the C recursion: deeper nesting prints "...".
enum { MAX_PRINT_DEPTH = 10000 };
static Obj *active[MAX_PRINT_DEPTH];
static int nactive;

// False if o is already being printed (a cycle) or nesting is too deep.
static bool enter(Obj *o) {
  if (nactive == MAX_PRINT_DEPTH) return false;
  for (int i = nactive - 1; i >= 0; i--)
    if (active[i] == o) return false;
  active[nactive++] = o;
  return true;
}

static void leave(void) { nactive--; }

static void print_items(RtBuf *b, Obj **items, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    if (i) rtbuf_puts(b, ", ");
    obj_print_to(b, items[i], false);
  }
}

static void print_map(RtBuf *b, MapObj *m) {
  rtbuf_putc(b, '{');
  bool first = true;
  for (int64_t i = 0; i < m->t.used; i++) {
    TableEntry *e = &m->t.entries[i];
    if (!e->key) continue;
    if (!first) rtbuf_puts(b, ", ");
    first = false;
    obj_print_to(b, e->key, false);
    rtbuf_puts(b, ": ");
    obj_print_to(b, e->value, false);
  }
  rtbuf_putc(b, '}');
}

static void print_field(RtBuf *b, bool *first, StrObj *name, Obj *v) {
  rtbuf_puts(b, *first ? " { " : ", ");
  *first = false;
  rtbuf_put(b, name->data, (size_t)name->len);
  rtbuf_puts(b, ": ");
  obj_print_to(b, v, false);
}

static bool declared(StructDef *d, Obj *key) {
  for (int i = 0; i < d->nfields; i++)
    if ((Obj *)d->fields[i] == key || obj_eq((Obj *)d->fields[i], key)) return true;
  return false;
}

// Declared fields in declaration order, whatever order they were set in;
// then any the program added (interp only) in the order they were added.
static void print_struct(RtBuf *b, StructObj *s) {
  StructDef *d = s->def;
  rtbuf_put(b, d->name->data, (size_t)d->name->len);
  bool first = true;
  for (int i = 0; i < d->nfields; i++) {
    Obj *v = table_get(&s->fields, (Obj *)d->fields[i], obj_hash((Obj *)d->fields[i]));
    if (v) print_field(b, &first, d->fields[i], v);
  }
  for (int64_t i = 0; i < s->fields.used; i++) {
    TableEntry *e = &s->fields.entries[i];
    if (e->key && !declared(d, e->key)) print_field(b, &first, (StrObj *)e->key, e->value);
  }
  if (!first) rtbuf_puts(b, " }");
}

void obj_print_to(RtBuf *b, Obj *o, bool top) {
  switch ((ObjType)o->type) {
  case T_NONE: rtbuf_puts(b, "None"); return;
  case T_BOOL: rtbuf_puts(b, int_value(o) ? "true" : "false"); return;
  case T_INT: rt_fmt_int(b, int_value(o)); return;
  case T_FLOAT: rt_fmt_float(b, float_value(o)); return;
  case T_STR: {
    StrObj *s = (StrObj *)o;
    if (top) rtbuf_put(b, s->data, (size_t)s->len);
    else rt_fmt_str_quoted(b, s->data, (size_t)s->len);
    return;
  }
  case T_LIST: {
    ListObj *l = (ListObj *)o;
    if (!enter(o)) {
      rtbuf_puts(b, "[...]");
      return;
    }
    rtbuf_putc(b, '[');
    print_items(b, l->items, l->len);
    rtbuf_putc(b, ']');
    leave();
    return;
  }
  case T_TUPLE: {
    TupleObj *t = (TupleObj *)o;
    if (!enter(o)) {
      rtbuf_puts(b, "(...)");
      return;
    }
    rtbuf_putc(b, '(');
    print_items(b, t->items, t->len);
    rtbuf_puts(b, t->len == 1 ? ",)" : ")");
    leave();
    return;
  }
  case T_MAP:
    if (!enter(o)) {
      rtbuf_puts(b, "{...}");
      return;
    }
    print_map(b, (MapObj *)o);
    leave();
    return;
  case T_STRUCT:
    if (!enter(o)) {
      rtbuf_puts(b, obj_type_name(o));
      rtbuf_puts(b, " { ... }");
      return;
    }
    print_struct(b, (StructObj *)o);
    leave();
    return;
  case T_ENUM: {
    EnumObj *e = (EnumObj *)o;
    StrObj *n = e->def->name, *v = e->def->variants[e->variant];
    rtbuf_put(b, n->data, (size_t)n->len);
    rtbuf_puts(b, "::");
    rtbuf_put(b, v->data, (size_t)v->len);
    return;
  }
  case T_SOME:
    if (!enter(o)) {
      rtbuf_puts(b, "Some(...)");
      return;
    }
    rtbuf_puts(b, "Some(");
    obj_print_to(b, ((SomeObj *)o)->v, false);
    rtbuf_putc(b, ')');
    leave();
    return;
  case T_ITER: rtbuf_puts(b, "<iterator>"); return;
  case T_THREAD: rtbuf_puts(b, "<thread>"); return;
  case T_COUNT: break;
  }
  rtbuf_puts(b, "<object>");
}

Obj *obj_to_str(Obj *o) {
  if (o->type == T_STR) {
    INCREF(o);
    return o;
  }
  RtBuf b;
  rtbuf_init(&b);
  obj_print_to(&b, o, true);
  Obj *s = str_new(b.data, (int64_t)b.len);
  rtbuf_free(&b);
  return s;
}
