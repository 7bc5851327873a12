// cgen.c — the C code generator of native mode (SPEC §7, docs/native.md):
// a checked syntax tree to one C translation unit against runtime/native/
// toyrt.h. This file holds the output text, the naming scheme, the C type of
// every Toy type and the per-type helpers the runtime's callbacks need;
// cgen_expr.c and cgen_stmt.c generate the code of functions (cgen_int.h
// explains the ownership scheme).
//
// NAMES. Every identifier that comes from the program gets a prefix, so no
// Toy name can collide with a C keyword, the runtime (rt_*), libc, or a name
// the generator makes up:
//   u_NAME   a function          v_NAME   a local (v_NAME_ID when the name is
//   s_NAME   a struct type                 declared twice in one function)
//   f_NAME   a struct field      c_NAME   a const (a function computing it)
//   en_NAME  an enum's names     t_ID     a tuple or option type
// Helpers are drop_ID, clone_ID, eq_ID, lt_ID, le_ID, cmp_ID, print_ID,
// some_ID, mapput_ID, where ID names the type (int, str, list_int,
// tup_int_str, opt_S_Tree, …). Temporaries are tmpN and xN, locations locN.
// String bytes are always written as C escapes (cg_cstr), and source text
// copied into comments is filtered (cg_src_line), so nothing from the
// program can end a literal or a comment.
#include "cgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgen_int.h"
#include "rterror.h"
#include "xalloc.h"

// ---- text -------------------------------------------------------------------------

void buf_put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 1024;
    while (cap < b->len + n + 1) cap *= 2;
    b->s = rt_xrealloc(b->s, cap);
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char small[512];
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < (int)sizeof small) {
    buf_put(b, small, (size_t)n);
  } else {
    char *big = rt_xmalloc((size_t)n + 1);
    vsnprintf(big, (size_t)n + 1, fmt, ap2);
    buf_put(b, big, (size_t)n);
    free(big);
  }
  va_end(ap2);
}

char *cg_vfmt(Cg *cg, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  char *s = rt_xmalloc((size_t)n + 1);
  vsnprintf(s, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  if (cg->npool == cg->cappool) {
    cg->cappool = cg->cappool ? cg->cappool * 2 : 256;
    cg->pool = rt_xrealloc(cg->pool, (size_t)cg->cappool * sizeof *cg->pool);
  }
  cg->pool[cg->npool++] = s;
  return s;
}

char *cg_fmt(Cg *cg, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = cg_vfmt(cg, fmt, ap);
  va_end(ap);
  return s;
}

void cg_line(Cg *cg, const char *fmt, ...) {
  for (int i = 0; i < cg->indent; i++) buf_puts(cg->out, "  ");
  va_list ap;
  va_start(ap, fmt);
  char *s = cg_vfmt(cg, fmt, ap);
  va_end(ap);
  buf_puts(cg->out, s);
  buf_puts(cg->out, "\n");
}

int cg_unique(Cg *cg) { return ++cg->counter; }

// A C string literal holding exactly the bytes s[0..n): printable ASCII as
// is (but `"`, `\` and `?` — no trigraph can form), everything else as a
// three-digit octal escape (which cannot swallow a following digit).
const char *cg_cstr(Cg *cg, const char *s, size_t n) {
  Buf b = {0};
  buf_puts(&b, "\"");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') {
      buf_put(&b, (const char *)&c, 1);
    } else {
      char e[8];
      snprintf(e, sizeof e, "\\%03o", c);
      buf_puts(&b, e);
    }
  }
  buf_puts(&b, "\"");
  char *r = cg_fmt(cg, "%s", b.s);
  free(b.s);
  return r;
}

const char *cg_loc(Cg *cg, Span at) {
  int id = cg_unique(cg);
  buf_printf(&cg->locs, "static const rt_loc loc%d = {lab_file, %d, %d};\n", id, at.line, at.col);
  return cg_fmt(cg, "&loc%d", id);
}

// The source line where `at` starts, trimmed, made safe for a C comment:
// no `*/` or `/*`, no `??` (trigraphs), printable ASCII only, at most 90 bytes.
const char *cg_src_line(Cg *cg, Span at) {
  const char *text = cg->prog->src->text;
  size_t len = cg->prog->src->len;
  size_t start = (size_t)at.off;
  if (start > len) start = len;
  while (start > 0 && text[start - 1] != '\n') start--;
  size_t end = start;
  while (end < len && text[end] != '\n') end++;
  while (start < end && (text[start] == ' ' || text[start] == '\t')) start++;
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) end--;
  Buf b = {0};
  buf_puts(&b, "");
  size_t shown = 0;
  for (size_t i = start; i < end; i++) {
    if (shown >= 90) {
      buf_puts(&b, " ...");
      break;
    }
    unsigned char c = (unsigned char)text[i];
    char ch = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    if (ch == '/' && b.len > 0 && b.s[b.len - 1] == '*') buf_puts(&b, " ");
    if (ch == '*' && b.len > 0 && b.s[b.len - 1] == '/') buf_puts(&b, " ");
    if (ch == '?' && b.len > 0 && b.s[b.len - 1] == '?') buf_puts(&b, " ");
    buf_put(&b, &ch, 1);
    shown++;
  }
  char *r = cg_fmt(cg, "%s", b.s);
  free(b.s);
  return r;
}

// ---- names of types ------------------------------------------------------------------

static bool id_taken(Cg *cg, const char *id) {
  for (int i = 0; i < cg->nids; i++)
    if (strcmp(cg->ids[i], id) == 0) return true;
  return false;
}

// A unique identifier suffix from a descriptive one (long ones shortened).
static const char *make_id(Cg *cg, const char *base) {
  char *id;
  if (strlen(base) > 48) id = cg_fmt(cg, "%.40s_%d", base, cg_unique(cg));
  else id = cg_fmt(cg, "%s", base);
  while (id_taken(cg, id)) id = cg_fmt(cg, "%.40s_%d", base, cg_unique(cg));
  if (cg->nids == cg->capids) {
    cg->capids = cg->capids ? cg->capids * 2 : 64;
    cg->ids = rt_xrealloc(cg->ids, (size_t)cg->capids * sizeof *cg->ids);
  }
  cg->ids[cg->nids++] = id;
  return id;
}

bool cg_boxed(Cg *cg, Type *t) {
  for (int i = 0; i < cg->nboxed; i++)
    if (cg->boxed[i] == t) return true;
  return false;
}

static CType *find_ctype(Cg *cg, Type *t) {
  for (int i = 0; i < cg->nctypes; i++)
    if (cg->ctypes[i].ty == t) return &cg->ctypes[i];
  return NULL;
}

static CType *add_ctype(Cg *cg, Type *t, const char *name, const char *id) {
  if (cg->nctypes == cg->capctypes) {
    cg->capctypes = cg->capctypes ? cg->capctypes * 2 : 64;
    cg->ctypes = rt_xrealloc(cg->ctypes, (size_t)cg->capctypes * sizeof *cg->ctypes);
  }
  CType *c = &cg->ctypes[cg->nctypes++];
  c->ty = t;
  c->name = name;
  c->id = id;
  c->helpers = 0;
  return c;
}

// Registers t: gives it a C name and id and declares its C type (after the
// types it contains inline). Returns its entry (pointers into the table can
// move when more types are added: callers copy what they need).
CType *cg_type(Cg *cg, Type *t) {
  CType *c = find_ctype(cg, t);
  if (c) return c;
  switch (t->kind) {
  case TY_INT: return add_ctype(cg, t, "int64_t", make_id(cg, "int"));
  case TY_FLOAT: return add_ctype(cg, t, "double", make_id(cg, "float"));
  case TY_BOOL: return add_ctype(cg, t, "bool", make_id(cg, "bool"));
  case TY_STR: return add_ctype(cg, t, "rt_str", make_id(cg, "str"));
  case TY_UNIT:
  case TY_ERROR: return add_ctype(cg, t, "char", make_id(cg, "unit"));
  case TY_ENUM: {
    EnumInfo *en = t->en;
    const char *id = make_id(cg, cg_fmt(cg, "E_%s", en->name));
    buf_printf(&cg->types, "static const char *const en_%s[] = {", en->name);
    for (int i = 0; i < en->nvariants; i++) {
      char *full = cg_fmt(cg, "%s::%s", en->name, en->variants[i]);
      buf_printf(&cg->types, "%s%s", i ? ", " : "", cg_cstr(cg, full, strlen(full)));
    }
    buf_puts(&cg->types, en->nvariants ? "};\n" : "0};\n");
    return add_ctype(cg, t, "int64_t", id);
  }
  case TY_LIST: {
    const char *e = cg_type(cg, t->elem)->id;
    return add_ctype(cg, t, "rt_list", make_id(cg, cg_fmt(cg, "list_%s", e)));
  }
  case TY_MAP: {
    const char *k = cg_type(cg, t->key)->id;
    const char *v = cg_type(cg, t->elem)->id;
    return add_ctype(cg, t, "rt_map", make_id(cg, cg_fmt(cg, "map_%s_%s", k, v)));
  }
  case TY_REF:
  case TY_REFMUT: {
    CType *e = cg_type(cg, t->elem);
    const char *ename = e->name, *eid = e->id;
    return add_ctype(cg, t, cg_fmt(cg, "%s *", ename), make_id(cg, cg_fmt(cg, "ref_%s", eid)));
  }
  case TY_THREAD: {
    const char *e = cg_type(cg, t->elem)->id;
    return add_ctype(cg, t, "rt_thread *", make_id(cg, cg_fmt(cg, "thr_%s", e)));
  }
  case TY_TUPLE: {
    Buf b = {0};
    buf_puts(&b, "tup");
    for (int i = 0; i < t->nitems; i++) buf_printf(&b, "_%s", cg_type(cg, t->items[i])->id);
    const char *id = make_id(cg, b.s);
    free(b.s);
    const char *name = cg_fmt(cg, "t_%s", id);
    buf_printf(&cg->types, "typedef struct %s {", name);
    for (int i = 0; i < t->nitems; i++) buf_printf(&cg->types, " %s f%d;", cg_ct(cg, t->items[i]), i);
    buf_printf(&cg->types, " } %s;\n", name);
    return add_ctype(cg, t, name, id);
  }
  case TY_OPTION: {
    if (cg_boxed(cg, t)) {
      // Stored behind an owned pointer, NULL for None: the struct may still
      // be incomplete here (it contains this option).
      const char *id = make_id(cg, cg_fmt(cg, "opt_S_%s", t->elem->st->name));
      const char *name = cg_fmt(cg, "t_%s", id);
      buf_printf(&cg->types, "typedef s_%s *%s;  /* ?%s: owned pointer, NULL is None */\n", t->elem->st->name,
                 name, t->elem->st->name);
      return add_ctype(cg, t, name, id);
    }
    CType *e = cg_type(cg, t->elem);
    const char *ename = e->name;
    const char *id = make_id(cg, cg_fmt(cg, "opt_%s", e->id));
    const char *name = cg_fmt(cg, "t_%s", id);
    buf_printf(&cg->types, "typedef struct %s { bool some; %s v; } %s;\n", name, ename, name);
    return add_ctype(cg, t, name, id);
  }
  case TY_STRUCT: {
    StructInfo *st = t->st;
    const char *name = cg_fmt(cg, "s_%s", st->name);
    add_ctype(cg, t, name, make_id(cg, cg_fmt(cg, "S_%s", st->name)));
    // The fields' types first (those stored inline must be complete).
    const char **fnames = rt_xcalloc((size_t)st->nfields + 1, sizeof *fnames);
    for (int i = 0; i < st->nfields; i++) fnames[i] = cg_ct(cg, st->fields[i].type);
    buf_printf(&cg->types, "struct %s {", name);
    for (int i = 0; i < st->nfields; i++) buf_printf(&cg->types, " %s f_%s;", fnames[i], st->fields[i].name);
    if (st->nfields == 0) buf_puts(&cg->types, " char empty_;");
    buf_puts(&cg->types, " };\n");
    free(fnames);
    return find_ctype(cg, t);
  }
  default: return add_ctype(cg, t, "char", make_id(cg, "unknown"));
  }
}

const char *cg_ct(Cg *cg, Type *t) { return cg_type(cg, t)->name; }

static const char *tid(Cg *cg, Type *t) { return cg_type(cg, t)->id; }

bool cg_needs_drop(Cg *cg, Type *t) {
  switch (t->kind) {
  case TY_STR: case TY_LIST: case TY_MAP: case TY_THREAD: return true;
  case TY_TUPLE:
    for (int i = 0; i < t->nitems; i++)
      if (cg_needs_drop(cg, t->items[i])) return true;
    return false;
  case TY_STRUCT:
    for (int i = 0; i < t->st->nfields; i++)
      if (t->st->fields[i].boxed || cg_needs_drop(cg, t->st->fields[i].type)) return true;
    return false;
  case TY_OPTION: return cg_boxed(cg, t) || cg_needs_drop(cg, t->elem);
  default: return false;
  }
}

// Marks helper h of t as generated; true when it already was.
static bool have(Cg *cg, Type *t, unsigned h) {
  CType *c = cg_type(cg, t);
  if (c->helpers & h) return true;
  c->helpers |= h;
  return false;
}

static bool is_str_key(Type *map) { return map->key->kind == TY_STR; }

// A helper is written into its own text (writing it may generate others),
// then appended to the helpers section.
typedef struct HelperCtx {
  Buf *out;
  int indent;
  Buf text;
} HelperCtx;

static void helper_begin(Cg *cg, HelperCtx *h) {
  h->out = cg->out;
  h->indent = cg->indent;
  memset(&h->text, 0, sizeof h->text);
  cg->out = &h->text;
  cg->indent = 1;
}

static void helper_end(Cg *cg, HelperCtx *h) {
  buf_puts(&h->text, "}\n\n");
  buf_puts(&cg->helpers, h->text.s);
  free(h->text.s);
  cg->out = h->out;
  cg->indent = h->indent;
}

// ---- drop ----------------------------------------------------------------------------

const char *cg_drop_fn(Cg *cg, Type *t) {
  if (!cg_needs_drop(cg, t)) return "NULL";
  if (t->kind == TY_STR) return "rt_str_drop_elem";
  const char *id = tid(cg, t);
  const char *name = cg_fmt(cg, "drop_%s", id);
  if (have(cg, t, H_DROP)) return name;
  const char *ct = cg_ct(cg, t);
  buf_printf(&cg->protos, "static void %s(void *p);\n", name);
  HelperCtx hc;
  helper_begin(cg, &hc);
  buf_printf(cg->out, "// Frees what a %s owns; leaves it empty.\nstatic void %s(void *p) {\n", ct, name);
  switch (t->kind) {
  case TY_LIST:
    cg_line(cg, "rt_list_drop(p, sizeof(%s), %s);", cg_ct(cg, t->elem), cg_drop_fn(cg, t->elem));
    break;
  case TY_MAP:
    cg_line(cg, "rt_map_%s_drop(p, sizeof(%s), %s);", is_str_key(t) ? "s" : "i", cg_ct(cg, t->elem),
            cg_drop_fn(cg, t->elem));
    break;
  case TY_TUPLE:
    cg_line(cg, "%s *v = p;", ct);
    for (int i = 0; i < t->nitems; i++) {
      const char *s = cg_drop_stmt(cg, t->items[i], cg_fmt(cg, "&v->f%d", i));
      if (s) cg_line(cg, "%s", s);
    }
    break;
  case TY_STRUCT:
    cg_line(cg, "%s *v = p;", ct);
    for (int i = 0; i < t->st->nfields; i++) {
      const char *s = cg_drop_stmt(cg, t->st->fields[i].type, cg_fmt(cg, "&v->f_%s", t->st->fields[i].name));
      if (s) cg_line(cg, "%s", s);
    }
    break;
  case TY_OPTION:
    if (cg_boxed(cg, t)) {
      // A chain through a field of this same type (a linked list) is freed
      // in a loop, so that a long one cannot overflow the C stack.
      StructInfo *st = t->elem->st;
      const char *chain = NULL;
      for (int i = 0; i < st->nfields && !chain; i++)
        if (st->fields[i].type == t) chain = st->fields[i].name;
      const char *et = cg_ct(cg, t->elem);
      cg_line(cg, "%s *o = p;", ct);
      cg_line(cg, "%s *n = *o;", et);
      cg_line(cg, "*o = NULL;");
      cg_line(cg, "while (n) {");
      if (chain) {
        cg_line(cg, "  %s *next = n->f_%s;", et, chain);
        cg_line(cg, "  n->f_%s = NULL;", chain);
      } else {
        cg_line(cg, "  %s *next = NULL;", et);
      }
      cg_line(cg, "  %s", cg_drop_stmt(cg, t->elem, "n"));
      cg_line(cg, "  rt_free(n);");
      cg_line(cg, "  n = next;");
      cg_line(cg, "}");
    } else {
      cg_line(cg, "%s *o = p;", ct);
      cg_line(cg, "if (o->some) %s", cg_drop_stmt(cg, t->elem, "&o->v"));
      cg_line(cg, "o->some = false;");
    }
    break;
  case TY_THREAD: {
    // A handle dropped without join: wait for the thread, drop its result.
    const char *thr = cg_thr_type(cg, t->elem);
    cg_line(cg, "rt_thread **t = p;");
    cg_line(cg, "if (!*t) return;");
    cg_line(cg, "%s *r = rt_join(*t);", thr);
    cg_line(cg, "*t = NULL;");
    if (t->elem->kind != TY_UNIT) {
      const char *s = cg_drop_stmt(cg, t->elem, "&r->ret");
      if (s) cg_line(cg, "%s", s);
    }
    cg_line(cg, "rt_free(r);");
    break;
  }
  default: break;
  }
  helper_end(cg, &hc);
  return name;
}

const char *cg_drop_stmt(Cg *cg, Type *t, const char *ptr) {
  if (!cg_needs_drop(cg, t)) return NULL;
  if (t->kind == TY_STR) return cg_fmt(cg, "rt_str_drop(%s);", ptr);
  return cg_fmt(cg, "%s(%s);", cg_drop_fn(cg, t), ptr);
}

// ---- clone ---------------------------------------------------------------------------

const char *cg_clone_fn(Cg *cg, Type *t) {
  if (!cg_needs_drop(cg, t)) return "NULL";
  if (t->kind == TY_STR) return "rt_str_clone_elem";
  const char *name = cg_fmt(cg, "clone_%s", tid(cg, t));
  if (have(cg, t, H_CLONE)) return name;
  const char *ct = cg_ct(cg, t);
  buf_printf(&cg->protos, "static void %s(void *dst, const void *src);\n", name);
  HelperCtx hc;
  helper_begin(cg, &hc);
  buf_printf(cg->out, "// A deep copy of a %s.\nstatic void %s(void *dst, const void *src) {\n", ct, name);
  cg_line(cg, "%s *d = dst;", ct);
  cg_line(cg, "const %s *s = src;", ct);
  // A tuple, struct or Some is one level of the walk (RT_MAX_WALK_DEPTH), as
  // in interp's obj_clone; a list or map counts in the runtime.
  switch (t->kind) {
  case TY_LIST:
  case TY_MAP: cg_line(cg, "*d = %s;", cg_clone_expr(cg, t, "s")); break;
  case TY_TUPLE:
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    for (int i = 0; i < t->nitems; i++)
      cg_line(cg, "d->f%d = %s;", i, cg_clone_expr(cg, t->items[i], cg_fmt(cg, "&s->f%d", i)));
    cg_line(cg, "rt_walk_leave();");
    break;
  case TY_STRUCT:
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    if (t->st->nfields == 0) cg_line(cg, "*d = *s;");
    for (int i = 0; i < t->st->nfields; i++) {
      const char *f = t->st->fields[i].name;
      cg_line(cg, "d->f_%s = %s;", f, cg_clone_expr(cg, t->st->fields[i].type, cg_fmt(cg, "&s->f_%s", f)));
    }
    cg_line(cg, "rt_walk_leave();");
    break;
  case TY_OPTION:
    if (cg_boxed(cg, t)) {
      const char *st = cg_ct(cg, t->elem);
      cg_line(cg, "if (!*s) {");
      cg_line(cg, "  *d = NULL;");
      cg_line(cg, "  return;");
      cg_line(cg, "}");
      cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
      cg_line(cg, "%s v = %s;", st, cg_clone_expr(cg, t->elem, "*s"));
      cg_line(cg, "*d = rt_alloc(sizeof(%s));", st);
      cg_line(cg, "**d = v;");
      cg_line(cg, "rt_walk_leave();");
    } else {
      cg_line(cg, "d->some = s->some;");
      cg_line(cg, "if (s->some) {");
      cg_line(cg, "  rt_walk_enter(RT_MSG_RECURSION_COPY);");
      cg_line(cg, "  d->v = %s;", cg_clone_expr(cg, t->elem, "&s->v"));
      cg_line(cg, "  rt_walk_leave();");
      cg_line(cg, "} else {");
      cg_line(cg, "  memset(&d->v, 0, sizeof d->v);");
      cg_line(cg, "}");
    }
    break;
  default: cg_line(cg, "*d = *s;"); break;
  }
  helper_end(cg, &hc);
  return name;
}

const char *cg_clone_expr(Cg *cg, Type *t, const char *ptr) {
  if (!cg_needs_drop(cg, t)) return cg_fmt(cg, "(*%s)", ptr);
  switch (t->kind) {
  case TY_STR: return cg_fmt(cg, "rt_str_clone(%s)", ptr);
  case TY_LIST:
    return cg_fmt(cg, "rt_list_clone(%s, sizeof(%s), %s)", ptr, cg_ct(cg, t->elem), cg_clone_fn(cg, t->elem));
  case TY_MAP:
    return cg_fmt(cg, "rt_map_%s_clone(%s, sizeof(%s), %s)", is_str_key(t) ? "s" : "i", ptr, cg_ct(cg, t->elem),
                  cg_clone_fn(cg, t->elem));
  default: {
    int u = cg_unique(cg);
    return cg_fmt(cg, "({ %s x%d; %s(&x%d, %s); x%d; })", cg_ct(cg, t), u, cg_clone_fn(cg, t), u, ptr, u);
  }
  }
}

// ---- equality and order ----------------------------------------------------------------

const char *cg_eq_fn(Cg *cg, Type *t) {
  switch (t->kind) {
  case TY_INT: case TY_BOOL: case TY_ENUM: case TY_UNIT: return "NULL";  // bytes
  case TY_FLOAT: return "eq_float";
  case TY_STR: return "rt_str_eq_elem";
  default: break;
  }
  const char *name = cg_fmt(cg, "eq_%s", tid(cg, t));
  if (have(cg, t, H_EQ)) return name;
  const char *ct = cg_ct(cg, t);
  buf_printf(&cg->protos, "static bool %s(const void *a, const void *b);\n", name);
  HelperCtx hc;
  helper_begin(cg, &hc);
  buf_printf(cg->out, "// Structural == on %s.\nstatic bool %s(const void *a_, const void *b_) {\n", ct, name);
  cg_line(cg, "const %s *a = a_, *b = b_;", ct);
  // A tuple, struct or pair of Somes is one level of the walk, as in interp's
  // obj_eq (a list or map counts in the runtime): entered, compared field by
  // field up to the first difference, left.
  switch (t->kind) {
  case TY_LIST:
  case TY_MAP: cg_line(cg, "return %s;", cg_eq_expr(cg, t, "a", "b")); break;
  case TY_TUPLE:
  case TY_STRUCT: {
    int n = t->kind == TY_TUPLE ? t->nitems : t->st->nfields;
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_CMP);");
    cg_line(cg, "bool same = true;");
    for (int i = 0; i < n; i++) {
      Type *ft = t->kind == TY_TUPLE ? t->items[i] : t->st->fields[i].type;
      const char *pa, *pb;
      if (t->kind == TY_TUPLE) pa = cg_fmt(cg, "&a->f%d", i), pb = cg_fmt(cg, "&b->f%d", i);
      else pa = cg_fmt(cg, "&a->f_%s", t->st->fields[i].name), pb = cg_fmt(cg, "&b->f_%s", t->st->fields[i].name);
      cg_line(cg, "same = same && %s;", cg_eq_expr(cg, ft, pa, pb));
    }
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return same;");
    break;
  }
  case TY_OPTION:
    if (cg_boxed(cg, t)) cg_line(cg, "if (!*a || !*b) return !*a && !*b;");
    else cg_line(cg, "if (!a->some || !b->some) return a->some == b->some;");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_CMP);");
    cg_line(cg, "bool same = %s;", cg_boxed(cg, t) ? cg_eq_expr(cg, t->elem, "*a", "*b")
                                                   : cg_eq_expr(cg, t->elem, "&a->v", "&b->v"));
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return same;");
    break;
  default: cg_line(cg, "return false;"); break;
  }
  helper_end(cg, &hc);
  return name;
}

const char *cg_eq_expr(Cg *cg, Type *t, const char *pa, const char *pb) {
  switch (t->kind) {
  case TY_INT: case TY_FLOAT: case TY_BOOL: case TY_ENUM: return cg_fmt(cg, "(*%s == *%s)", pa, pb);
  case TY_UNIT: return "true";
  case TY_STR: return cg_fmt(cg, "rt_str_eq(%s, %s)", pa, pb);
  case TY_LIST:
    return cg_fmt(cg, "rt_list_eq(%s, %s, sizeof(%s), %s)", pa, pb, cg_ct(cg, t->elem), cg_eq_fn(cg, t->elem));
  case TY_MAP:
    return cg_fmt(cg, "rt_map_%s_eq(%s, %s, sizeof(%s), %s)", is_str_key(t) ? "s" : "i", pa, pb,
                  cg_ct(cg, t->elem), cg_eq_fn(cg, t->elem));
  default: return cg_fmt(cg, "%s(%s, %s)", cg_eq_fn(cg, t), pa, pb);
  }
}

// a < b (le: a <= b) as Python compares: tuples by their first unequal items.
const char *cg_lt_fn(Cg *cg, Type *t, bool le) {
  switch (t->kind) {
  case TY_INT: return le ? "le_int" : "lt_int";
  case TY_FLOAT: return le ? "le_float" : "lt_float";
  case TY_STR: return le ? "le_str" : "lt_str";
  default: break;
  }
  const char *lt = cg_fmt(cg, "lt_%s", tid(cg, t)), *lte = cg_fmt(cg, "le_%s", tid(cg, t));
  if (!have(cg, t, H_LT)) {
    const char *ct = cg_ct(cg, t);
    for (int k = 0; k < 2; k++) {
      const char *name = k ? lte : lt;
      buf_printf(&cg->protos, "static bool %s(const void *a, const void *b);\n", name);
      HelperCtx hc;
      helper_begin(cg, &hc);
      buf_printf(cg->out, "// a %s b on %s: the first unequal items decide.\nstatic bool %s(const void *a_, const void *b_) {\n",
                 k ? "<=" : "<", ct, name);
      cg_line(cg, "const %s *a = a_, *b = b_;", ct);
      for (int i = 0; i < t->nitems; i++) {
        const char *pa = cg_fmt(cg, "&a->f%d", i), *pb = cg_fmt(cg, "&b->f%d", i);
        cg_line(cg, "if (!%s) return %s(%s, %s);", cg_eq_expr(cg, t->items[i], pa, pb), cg_lt_fn(cg, t->items[i], k),
                pa, pb);
      }
      cg_line(cg, "return %s;", k ? "true" : "false");
      helper_end(cg, &hc);
    }
  }
  return le ? lte : lt;
}

const char *cg_cmp_fn(Cg *cg, Type *t) {
  switch (t->kind) {
  case TY_INT: return "cmp_int";
  case TY_FLOAT: return "cmp_float";
  case TY_STR: return "rt_str_cmp_elem";
  default: break;
  }
  const char *name = cg_fmt(cg, "cmp_%s", tid(cg, t));
  if (have(cg, t, H_CMP)) return name;
  const char *lt = cg_lt_fn(cg, t, false);
  buf_printf(&cg->protos, "static int %s(const void *a, const void *b);\n", name);
  buf_printf(&cg->helpers, "// For sort: < 0 exactly when a < b.\nstatic int %s(const void *a, const void *b) {\n"
                           "  return %s(a, b) ? -1 : %s(b, a) ? 1 : 0;\n}\n\n",
             name, lt, lt);
  return name;
}

// ---- printing --------------------------------------------------------------------------

// print_ID(b, p) writes the value as it appears inside a container (SPEC §5):
// strings quoted. A top-level str is written raw by the caller.
const char *cg_print_fn(Cg *cg, Type *t) {
  switch (t->kind) {
  case TY_INT: return "print_int";
  case TY_FLOAT: return "print_float";
  case TY_BOOL: return "print_bool";
  case TY_STR: return "print_str";
  default: break;
  }
  const char *name = cg_fmt(cg, "print_%s", tid(cg, t));
  if (have(cg, t, H_PRINT)) return name;
  const char *ct = cg_ct(cg, t);
  buf_printf(&cg->protos, "static void %s(RtBuf *b, const void *p);\n", name);
  HelperCtx hc;
  helper_begin(cg, &hc);
  buf_printf(cg->out, "// Prints a %s as inside a container.\nstatic void %s(RtBuf *b, const void *p) {\n", ct,
             name);
  // Each container printed (a Some, not a None) is one level of the walk, as
  // in interp's printer.
  bool walks = t->kind == TY_LIST || t->kind == TY_MAP || t->kind == TY_TUPLE || t->kind == TY_STRUCT;
  if (walks) cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_STR);");
  switch (t->kind) {
  case TY_ENUM: cg_line(cg, "rtbuf_puts(b, en_%s[*(const int64_t *)p]);", t->en->name); break;
  case TY_LIST: {
    const char *et = cg_ct(cg, t->elem);
    cg_line(cg, "const rt_list *l = p;");
    cg_line(cg, "rtbuf_putc(b, '[');");
    cg_line(cg, "for (int64_t i = 0; i < l->len; i++) {");
    cg_line(cg, "  if (i) rtbuf_puts(b, \", \");");
    cg_line(cg, "  %s(b, (const %s *)l->data + i);", cg_print_fn(cg, t->elem), et);
    cg_line(cg, "}");
    cg_line(cg, "rtbuf_putc(b, ']');");
    break;
  }
  case TY_MAP: {
    bool s = is_str_key(t);
    cg_line(cg, "const rt_map *m = p;");
    cg_line(cg, "int64_t pos = 0;");
    cg_line(cg, "%s *k;", s ? "rt_str" : "int64_t");
    cg_line(cg, "void *v;");
    cg_line(cg, "bool first = true;");
    cg_line(cg, "rtbuf_putc(b, '{');");
    cg_line(cg, "while (rt_map_%s_next(m, &pos, sizeof(%s), &k, &v)) {", s ? "s" : "i", cg_ct(cg, t->elem));
    cg_line(cg, "  if (!first) rtbuf_puts(b, \", \");");
    cg_line(cg, "  first = false;");
    cg_line(cg, "  %s(b, k);", s ? "print_str" : "print_int");
    cg_line(cg, "  rtbuf_puts(b, \": \");");
    cg_line(cg, "  %s(b, v);", cg_print_fn(cg, t->elem));
    cg_line(cg, "}");
    cg_line(cg, "rtbuf_putc(b, '}');");
    break;
  }
  case TY_TUPLE:
    cg_line(cg, "const %s *v = p;", ct);
    cg_line(cg, "rtbuf_putc(b, '(');");
    for (int i = 0; i < t->nitems; i++) {
      if (i) cg_line(cg, "rtbuf_puts(b, \", \");");
      cg_line(cg, "%s(b, &v->f%d);", cg_print_fn(cg, t->items[i]), i);
    }
    cg_line(cg, t->nitems == 1 ? "rtbuf_puts(b, \",)\");" : "rtbuf_putc(b, ')');");
    break;
  case TY_STRUCT: {
    StructInfo *st = t->st;
    const char *sname = cg_cstr(cg, st->name, strlen(st->name));
    cg_line(cg, "rtbuf_puts(b, %s);", sname);
    if (st->nfields == 0) {
      cg_line(cg, "(void)p;");
      break;
    }
    cg_line(cg, "const %s *v = p;", ct);
    for (int i = 0; i < st->nfields; i++) {
      char *lead = cg_fmt(cg, "%s%s: ", i ? ", " : " { ", st->fields[i].name);
      cg_line(cg, "rtbuf_puts(b, %s);", cg_cstr(cg, lead, strlen(lead)));
      cg_line(cg, "%s(b, &v->f_%s);", cg_print_fn(cg, st->fields[i].type), st->fields[i].name);
    }
    cg_line(cg, "rtbuf_puts(b, \" }\");");
    break;
  }
  case TY_OPTION:
    cg_line(cg, "const %s *o = p;", ct);
    if (cg_boxed(cg, t)) {
      cg_line(cg, "if (!*o) {");
    } else {
      cg_line(cg, "if (!o->some) {");
    }
    cg_line(cg, "  rtbuf_puts(b, \"None\");");
    cg_line(cg, "  return;");
    cg_line(cg, "}");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_STR);");
    cg_line(cg, "rtbuf_puts(b, \"Some(\");");
    cg_line(cg, "%s(b, %s);", cg_print_fn(cg, t->elem), cg_boxed(cg, t) ? "*o" : "&o->v");
    cg_line(cg, "rtbuf_putc(b, ')');");
    cg_line(cg, "rt_walk_leave();");
    break;
  default: cg_line(cg, "(void)p;"); break;
  }
  if (walks) cg_line(cg, "rt_walk_leave();");
  helper_end(cg, &hc);
  return name;
}

// ---- constructors ------------------------------------------------------------------------

const char *cg_some_fn(Cg *cg, Type *opt) {
  const char *name = cg_fmt(cg, "some_%s", tid(cg, opt));
  if (have(cg, opt, H_SOME)) return name;
  const char *ct = cg_ct(cg, opt), *et = cg_ct(cg, opt->elem);
  buf_printf(&cg->protos, "static %s %s(%s v);\n", ct, name, et);
  buf_printf(&cg->helpers, "// Some(v) for ?%s: moves v into a new box.\nstatic %s %s(%s v) {\n"
                           "  %s *p = rt_alloc(sizeof *p);\n  *p = v;\n  return p;\n}\n\n",
             opt->elem->st->name, ct, name, et, et);
  return name;
}

const char *cg_mapput_fn(Cg *cg, Type *map) {
  const char *name = cg_fmt(cg, "mapput_%s", tid(cg, map));
  if (have(cg, map, H_MAPPUT)) return name;
  bool s = is_str_key(map);
  const char *vt = cg_ct(cg, map->elem);
  buf_printf(&cg->protos, "static void %s(rt_map *m, %s k, %s v);\n", name, s ? "rt_str" : "int64_t", vt);
  HelperCtx hc;
  helper_begin(cg, &hc);
  buf_printf(cg->out, "// m[k] = v: moves k and v in; an old value is dropped.\n"
                           "static void %s(rt_map *m, %s k, %s v) {\n",
             name, s ? "rt_str" : "int64_t", vt);
  cg_line(cg, "bool existed;");
  cg_line(cg, "%s *slot = rt_map_%s_insert(m, %sk, sizeof(%s), &existed);", vt, s ? "s" : "i", s ? "&" : "", vt);
  const char *d = cg_drop_stmt(cg, map->elem, "slot");
  if (d) cg_line(cg, "if (existed) %s  /* drop the old value: overwritten */", d);
  cg_line(cg, "*slot = v;");
  helper_end(cg, &hc);
  return name;
}

// What a thread's heap block starts with: the slot for its result.
const char *cg_thr_type(Cg *cg, Type *ret) {
  Type *thr = ty_thread(cg->prog->types, ret);
  const char *name = cg_fmt(cg, "thrblk_%s", tid(cg, ret));
  if (have(cg, thr, H_THR)) return name;
  buf_printf(&cg->types, "typedef struct %s { %s ret; } %s;\n", name, cg_ct(cg, ret), name);
  return name;
}

static int fn_index(Cg *cg, FnDecl *fn) {
  for (int i = 0; i < cg->nfns; i++)
    if (cg->fns_list[i] == fn) return i;
  return -1;
}

// spawn f(args): the block (result slot, then the arguments) and the
// trampoline that runs f on the new thread.
const char *cg_spawn_fn(Cg *cg, FnDecl *fn) {
  int i = fn_index(cg, fn);
  const char *name = cg_fmt(cg, "spawn_%s", fn->name);
  if (cg->spawned[i]) return name;
  cg->spawned[i] = true;
  const char *thr = cg_thr_type(cg, fn->ret_type);
  buf_printf(&cg->types, "typedef struct spawnblk_%s { %s head;", fn->name, thr);
  for (int k = 0; k < fn->nparams; k++) buf_printf(&cg->types, " %s a%d;", cg_ct(cg, fn->param_types[k]), k);
  buf_printf(&cg->types, " } spawnblk_%s;\n", fn->name);
  buf_printf(&cg->protos, "static void *%s(void *p);\n", name);
  buf_printf(&cg->helpers, "// The thread of `spawn %s(…)`: runs it with the arguments moved into the block.\n"
                           "static void *%s(void *p) {\n  spawnblk_%s *k = p;\n  ",
             fn->name, name, fn->name);
  if (fn->ret_type->kind != TY_UNIT) buf_puts(&cg->helpers, "k->head.ret = ");
  buf_printf(&cg->helpers, "u_%s(", fn->name);
  if (!cg->opts->unchecked) buf_printf(&cg->helpers, "1%s", fn->nparams ? ", " : "");  // the thread's first call
  for (int k = 0; k < fn->nparams; k++) buf_printf(&cg->helpers, "%sk->a%d", k ? ", " : "", k);
  buf_puts(&cg->helpers, ");\n  return k;\n}\n\n");
  return name;
}

// ---- the program -------------------------------------------------------------------------

static const char PRELUDE[] =
    "// Generated by lab (compiler/native/cgen.c) from a Toy program: native mode,\n"
    "// docs/native.md. Every inserted drop carries a comment saying why.\n"
    "// Every inserted runtime check is a call that takes a source position\n"
    "// (`&locN`, listed under \"source locations of the checks\"): rt_add, rt_sub,\n"
    "// rt_mul, rt_neg, rt_div, rt_rem, rt_shl, rt_shr check overflow, division\n"
    "// and shift counts; rt_list_at checks an index; rt_map_*_at a missing key;\n"
    "// rt_panic_unwrap an unwrap of None. Under --unchecked (RT_UNCHECKED) the\n"
    "// overflow and index checks compile to the bare operation.\n"
    "// Each float operation rounds on its own (SPEC 5): no fused multiply-add,\n"
    "// not even when constants are folded.\n"
    "#if defined(__clang__)\n"
    "#pragma STDC FP_CONTRACT OFF\n"
    "#elif defined(__GNUC__) && defined(__FP_FAST_FMA)\n"
    "#pragma GCC optimize(\"fp-contract=off\")\n"
    "#endif\n"
    "#include \"toyrt.h\"\n"
    "\n"
    "// A move out of a place: take the value, leave the empty value (all zero\n"
    "// bytes) behind, so that the place's own drop frees nothing.\n"
    "#define TAKE(T, p) ({ T *take_p_ = (p); T take_v_ = *take_p_; memset(take_p_, 0, sizeof *take_p_); take_v_; })\n"
    "\n"
    "static inline bool eq_float(const void *a, const void *b) { return *(const double *)a == *(const double *)b; }\n"
    "static inline bool lt_int(const void *a, const void *b) { return *(const int64_t *)a < *(const int64_t *)b; }\n"
    "static inline bool le_int(const void *a, const void *b) { return *(const int64_t *)a <= *(const int64_t *)b; }\n"
    "static inline bool lt_float(const void *a, const void *b) { return *(const double *)a < *(const double *)b; }\n"
    "static inline bool le_float(const void *a, const void *b) { return *(const double *)a <= *(const double *)b; }\n"
    "static inline bool lt_str(const void *a, const void *b) { return rt_str_cmp(a, b) < 0; }\n"
    "static inline bool le_str(const void *a, const void *b) { return rt_str_cmp(a, b) <= 0; }\n"
    "static inline int cmp_int(const void *a, const void *b) {\n"
    "  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;\n"
    "  return (x > y) - (x < y);\n"
    "}\n"
    "static inline int cmp_float(const void *a, const void *b) {\n"
    "  double x = *(const double *)a, y = *(const double *)b;\n"
    "  return x < y ? -1 : y < x ? 1 : 0;\n"
    "}\n"
    "static inline void print_int(RtBuf *b, const void *p) { rt_fmt_int(b, *(const int64_t *)p); }\n"
    "static inline void print_float(RtBuf *b, const void *p) { rt_fmt_float(b, *(const double *)p); }\n"
    "static inline void print_bool(RtBuf *b, const void *p) { rtbuf_puts(b, *(const bool *)p ? \"true\" : \"false\"); }\n"
    "static inline void print_str(RtBuf *b, const void *p) { rt_buf_put_str_quoted(b, p); }\n"
    "// Does s hold exactly the n bytes at lit? (a string pattern of match)\n"
    "static inline bool str_is(const rt_str *s, const char *lit, int64_t n) {\n"
    "  return s->len == n && (n == 0 || memcmp(s->ptr, lit, (size_t)n) == 0);\n"
    "}\n"
    "// str(x): the text built in b, as a new string.\n"
    "static inline rt_str str_of_buf(RtBuf *b) {\n"
    "  if (b->oom) rt_panic_oom();\n"
    "  rt_str s = rt_str_from_buf(b);\n"
    "  rtbuf_free(b);\n"
    "  return s;\n"
    "}\n"
    "// s += t on a local or field: in place when t is not s itself.\n"
    "static inline void str_append(rt_str *s, const rt_str *t) { rt_str_append(s, t); }\n"
    "static inline void str_concat_into(rt_str *s, const rt_str *t) {\n"
    "  rt_str r = rt_str_concat(s, t);\n"
    "  rt_str_drop(s);\n"
    "  *s = r;\n"
    "}\n";

// Records which `?S` fields are boxed: those option types are pointers everywhere.
static void find_boxed(Cg *cg) {
  Program *p = cg->prog;
  int cap = 0;
  for (int i = 0; i < p->nstructs; i++) cap += p->structs[i]->nfields;
  cg->boxed = rt_xcalloc((size_t)cap + 1, sizeof *cg->boxed);
  for (int i = 0; i < p->nstructs; i++) {
    StructInfo *st = p->structs[i];
    for (int j = 0; j < st->nfields; j++)
      if (st->fields[j].boxed && !cg_boxed(cg, st->fields[j].type)) cg->boxed[cg->nboxed++] = st->fields[j].type;
  }
}

static void fn_signature(Cg *cg, Buf *b, FnDecl *fn) {
  bool unit = fn->ret_type->kind == TY_UNIT;
  buf_printf(b, "static %s u_%s(", unit ? "void" : cg_ct(cg, fn->ret_type), fn->name);
  if (!cg->opts->unchecked) buf_printf(b, "int64_t rt_d%s", fn->nparams ? ", " : "");  // the call depth
  else if (fn->nparams == 0) buf_puts(b, "void");
  for (int i = 0; i < fn->nparams; i++) {
    Local *l = fn->params[i].local;
    buf_printf(b, "%s%s %s", i ? ", " : "", cg_ct(cg, fn->param_types[i]), cg->lname ? cg->lname[l->id] : "");
  }
  buf_puts(b, ")");
}

char *cg_generate(Program *prog, const CgOptions *opts) {
  Cg cg;
  memset(&cg, 0, sizeof cg);
  cg.prog = prog;
  cg.opts = opts;
  cg.out = &cg.fns;
  find_boxed(&cg);

  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) cg.nfns++;
  cg.fns_list = rt_xcalloc((size_t)cg.nfns + 1, sizeof *cg.fns_list);
  cg.spawned = rt_xcalloc((size_t)cg.nfns + 1, sizeof *cg.spawned);
  cg.nfns = 0;
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) cg.fns_list[cg.nfns++] = &prog->items[i]->fn;

  // Every struct's name first (a boxed option points at a struct not yet
  // defined), then their definitions in the checker's order.
  for (int i = 0; i < prog->nstructs; i++)
    buf_printf(&cg.types, "typedef struct s_%s s_%s;\n", prog->structs[i]->name, prog->structs[i]->name);
  for (int i = 0; i < prog->nstructs; i++) cg_type(&cg, prog->structs[i]->type);

  // Prototypes (parameter names are not needed there).
  for (int i = 0; i < cg.nfns; i++) {
    fn_signature(&cg, &cg.protos, cg.fns_list[i]);
    buf_puts(&cg.protos, ";\n");
  }
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_CONST) st_const(&cg, &prog->items[i]->cn);
  for (int i = 0; i < cg.nfns; i++) st_function(&cg, cg.fns_list[i]);
  buf_printf(&cg.fns, "// The runtime's main() calls this: Toy's fn main.\nvoid toy_main(void) {\n  u_main(%s);\n}\n",
             opts->unchecked ? "" : "1");

  Buf all = {0};
  buf_puts(&all, PRELUDE);
  const char *path = prog->src->path;
  buf_printf(&all, "\n// The program's path, as panics name it.\nstatic const char lab_file[] = %s;\n",
             cg_cstr(&cg, path, strlen(path)));
  int limit = opts->recursion_limit > 0 ? opts->recursion_limit : RT_DEFAULT_RECURSION_LIMIT;
  buf_printf(&all, "\n// Calls nested deeper than this are RecursionError (rt_call_depth).\n"
                   "const int64_t rt_recursion_limit = %d;\n", limit);
  buf_puts(&all, "\n// ---- types ----\n");
  if (cg.types.s) buf_puts(&all, cg.types.s);
  buf_puts(&all, "\n// ---- prototypes ----\n");
  if (cg.protos.s) buf_puts(&all, cg.protos.s);
  buf_puts(&all, "\n// ---- source locations of the checks ----\n");
  if (cg.locs.s) buf_puts(&all, cg.locs.s);
  buf_puts(&all, "\n// ---- per-type helpers ----\n");
  if (cg.helpers.s) buf_puts(&all, cg.helpers.s);
  buf_puts(&all, "// ---- functions ----\n");
  if (cg.fns.s) buf_puts(&all, cg.fns.s);

  free(cg.types.s);
  free(cg.protos.s);
  free(cg.locs.s);
  free(cg.helpers.s);
  free(cg.fns.s);
  free(cg.ctypes);
  free(cg.ids);
  free(cg.boxed);
  free(cg.nests);
  free(cg.spawned);
  free(cg.fns_list);
  free(cg.vars);
  free(cg.loop_base);
  free(cg.temps);
  for (int i = 0; i < cg.npool; i++) free(cg.pool[i]);
  free(cg.pool);
  return all.s;
}

void cg_fn_signature(Cg *cg, Buf *b, FnDecl *fn) { fn_signature(cg, b, fn); }
