// cgen_types.c — the C type and name of every Toy type native mode meets
// (cgen_int.h has the representation), and the bookkeeping of the per-type
// helpers: which are written, and where their text goes.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgen_int.h"
#include "xalloc.h"

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
    rtbuf_printf(&cg->types, "static const char *const en_%s[] = {", en->name);
    for (int i = 0; i < en->nvariants; i++) {
      char *full = cg_fmt(cg, "%s::%s", en->name, en->variants[i]);
      rtbuf_printf(&cg->types, "%s%s", i ? ", " : "", cg_cstr(cg, full, strlen(full)));
    }
    rtbuf_puts(&cg->types, en->nvariants ? "};\n" : "0};\n");
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
    RtBuf b = {0};
    rtbuf_puts(&b, "tup");
    for (int i = 0; i < t->nitems; i++) rtbuf_printf(&b, "_%s", cg_type(cg, t->items[i])->id);
    const char *id = make_id(cg, b.data);
    free(b.data);
    const char *name = cg_fmt(cg, "t_%s", id);
    rtbuf_printf(&cg->types, "typedef struct %s {", name);
    for (int i = 0; i < t->nitems; i++) rtbuf_printf(&cg->types, " %s f%d;", cg_ct(cg, t->items[i]), i);
    rtbuf_printf(&cg->types, " } %s;\n", name);
    return add_ctype(cg, t, name, id);
  }
  case TY_OPTION: {
    if (cg_boxed(cg, t)) {
      // Stored behind an owned pointer, NULL for None: the struct may still
      // be incomplete here (it contains this option).
      const char *id = make_id(cg, cg_fmt(cg, "opt_S_%s", t->elem->st->name));
      const char *name = cg_fmt(cg, "t_%s", id);
      rtbuf_printf(&cg->types, "typedef s_%s *%s;  /* ?%s: owned pointer, NULL is None */\n", t->elem->st->name,
                 name, t->elem->st->name);
      return add_ctype(cg, t, name, id);
    }
    CType *e = cg_type(cg, t->elem);
    const char *ename = e->name;
    const char *id = make_id(cg, cg_fmt(cg, "opt_%s", e->id));
    const char *name = cg_fmt(cg, "t_%s", id);
    rtbuf_printf(&cg->types, "typedef struct %s { bool some; %s v; } %s;\n", name, ename, name);
    return add_ctype(cg, t, name, id);
  }
  case TY_STRUCT: {
    StructInfo *st = t->st;
    const char *name = cg_fmt(cg, "s_%s", st->name);
    add_ctype(cg, t, name, make_id(cg, cg_fmt(cg, "S_%s", st->name)));
    // The fields' types first (those stored inline must be complete).
    const char **fnames = rt_xcalloc((size_t)st->nfields + 1, sizeof *fnames);
    for (int i = 0; i < st->nfields; i++) fnames[i] = cg_ct(cg, st->fields[i].type);
    rtbuf_printf(&cg->types, "struct %s {", name);
    for (int i = 0; i < st->nfields; i++) rtbuf_printf(&cg->types, " %s f_%s;", fnames[i], st->fields[i].name);
    if (st->nfields == 0) rtbuf_puts(&cg->types, " char empty_;");
    rtbuf_puts(&cg->types, " };\n");
    free(fnames);
    return find_ctype(cg, t);
  }
  default: return add_ctype(cg, t, "char", make_id(cg, "unknown"));
  }
}

const char *cg_ct(Cg *cg, Type *t) { return cg_type(cg, t)->name; }

const char *cg_tid(Cg *cg, Type *t) { return cg_type(cg, t)->id; }

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
bool cg_have(Cg *cg, Type *t, unsigned h) {
  CType *c = cg_type(cg, t);
  if (c->helpers & h) return true;
  c->helpers |= h;
  return false;
}

bool cg_str_key(Type *map) { return map->key->kind == TY_STR; }


void cg_helper_begin(Cg *cg, HelperCtx *h) {
  h->out = cg->out;
  h->indent = cg->indent;
  memset(&h->text, 0, sizeof h->text);
  cg->out = &h->text;
  cg->indent = 1;
}

void cg_helper_end(Cg *cg, HelperCtx *h) {
  rtbuf_puts(&h->text, "}\n\n");
  rtbuf_puts(&cg->helpers, h->text.data);
  free(h->text.data);
  cg->out = h->out;
  cg->indent = h->indent;
}
