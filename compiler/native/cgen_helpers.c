// cgen_helpers.c — the per-type helpers generated C calls: deep copy
// (clone), structural == and ordering, printing, the constructors of boxed
// options, map insertion, and the trampolines of spawned threads. Each is
// written once per type, when first needed (cg_have). Walks over a value
// count its levels (rt_walk_enter: docs/semantics.md, "Recursion").
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgen_int.h"
#include "xalloc.h"

// ---- clone ---------------------------------------------------------------------------

const char *cg_clone_fn(Cg *cg, Type *t) {
  if (!cg_needs_drop(cg, t)) return "NULL";
  if (t->kind == TY_STR) return "rt_str_clone_elem";
  const char *name = cg_fmt(cg, "clone_%s", cg_tid(cg, t));
  if (cg_have(cg, t, H_CLONE)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static void %s(void *dst, const void *src);\n", name);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// A deep copy of a %s.\nstatic void %s(void *dst, const void *src) {\n", ct, name);
  cg_line(cg, "%s *d = dst;", ct);
  cg_line(cg, "const %s *s = src;", ct);
  // A tuple, struct or Some is one level of the walk (RT_MAX_WALK_DEPTH), as
  // in interp's ops_clone; a list or map counts in the runtime.
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
  cg_helper_end(cg, &hc);
  return name;
}

const char *cg_clone_expr(Cg *cg, Type *t, const char *ptr) {
  if (!cg_needs_drop(cg, t)) return cg_fmt(cg, "(*%s)", ptr);
  switch (t->kind) {
  case TY_STR: return cg_fmt(cg, "rt_str_clone(%s)", ptr);
  case TY_LIST:
    return cg_fmt(cg, "rt_list_clone(%s, sizeof(%s), %s)", ptr, cg_ct(cg, t->elem), cg_clone_fn(cg, t->elem));
  case TY_MAP:
    return cg_fmt(cg, "rt_map_%s_clone(%s, sizeof(%s), %s)", cg_str_key(t) ? "s" : "i", ptr, cg_ct(cg, t->elem),
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
  const char *name = cg_fmt(cg, "eq_%s", cg_tid(cg, t));
  if (cg_have(cg, t, H_EQ)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static bool %s(const void *a, const void *b);\n", name);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// Structural == on %s.\nstatic bool %s(const void *a_, const void *b_) {\n", ct, name);
  cg_line(cg, "const %s *a = a_, *b = b_;", ct);
  // A tuple, struct or pair of Somes is one level of the walk, as in interp's
  // ops_eq (a list or map counts in the runtime): entered, compared field by
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
  cg_helper_end(cg, &hc);
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
    return cg_fmt(cg, "rt_map_%s_eq(%s, %s, sizeof(%s), %s)", cg_str_key(t) ? "s" : "i", pa, pb,
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
  const char *lt = cg_fmt(cg, "lt_%s", cg_tid(cg, t)), *lte = cg_fmt(cg, "le_%s", cg_tid(cg, t));
  if (!cg_have(cg, t, H_LT)) {
    const char *ct = cg_ct(cg, t);
    for (int k = 0; k < 2; k++) {
      const char *name = k ? lte : lt;
      rtbuf_printf(&cg->protos, "static bool %s(const void *a, const void *b);\n", name);
      HelperCtx hc;
      cg_helper_begin(cg, &hc);
      rtbuf_printf(cg->out, "// a %s b on %s: the first unequal items decide.\nstatic bool %s(const void *a_, const void *b_) {\n",
                 k ? "<=" : "<", ct, name);
      cg_line(cg, "const %s *a = a_, *b = b_;", ct);
      for (int i = 0; i < t->nitems; i++) {
        const char *pa = cg_fmt(cg, "&a->f%d", i), *pb = cg_fmt(cg, "&b->f%d", i);
        cg_line(cg, "if (!%s) return %s(%s, %s);", cg_eq_expr(cg, t->items[i], pa, pb), cg_lt_fn(cg, t->items[i], k),
                pa, pb);
      }
      cg_line(cg, "return %s;", k ? "true" : "false");
      cg_helper_end(cg, &hc);
    }
  }
  return le ? lte : lt;
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
  const char *name = cg_fmt(cg, "print_%s", cg_tid(cg, t));
  if (cg_have(cg, t, H_PRINT)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static void %s(RtBuf *b, const void *p);\n", name);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// Prints a %s as inside a container.\nstatic void %s(RtBuf *b, const void *p) {\n", ct,
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
    bool s = cg_str_key(t);
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
  cg_helper_end(cg, &hc);
  return name;
}

// ---- constructors ------------------------------------------------------------------------

const char *cg_some_fn(Cg *cg, Type *opt) {
  const char *name = cg_fmt(cg, "some_%s", cg_tid(cg, opt));
  if (cg_have(cg, opt, H_SOME)) return name;
  const char *ct = cg_ct(cg, opt), *et = cg_ct(cg, opt->elem);
  rtbuf_printf(&cg->protos, "static %s %s(%s v);\n", ct, name, et);
  rtbuf_printf(&cg->helpers, "// Some(v) for ?%s: moves v into a new box.\nstatic %s %s(%s v) {\n"
                           "  %s *p = rt_alloc(sizeof *p);\n  *p = v;\n  return p;\n}\n\n",
             opt->elem->st->name, ct, name, et, et);
  return name;
}

const char *cg_mapput_fn(Cg *cg, Type *map, bool lent) {
  const char *name = cg_fmt(cg, "mapput%s_%s", lent ? "_lent" : "", cg_tid(cg, map));
  if (cg_have(cg, map, lent ? H_MAPPUT_LENT : H_MAPPUT)) return name;
  bool s = cg_str_key(map);
  const char *vt = cg_ct(cg, map->elem);
  const char *kt = lent ? "const rt_str *" : s ? "rt_str " : "int64_t ";
  rtbuf_printf(&cg->protos, "static void %s(rt_map *m, %sk, %s v);\n", name, kt, vt);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// m[k] = v: moves %s and v in; an old value is dropped.\n"
                           "static void %s(rt_map *m, %sk, %s v) {\n",
             lent ? "a copy of the lent key k (made only when k is new to m)" : "k", name, kt, vt);
  cg_line(cg, "bool existed;");
  cg_line(cg, "%s *slot = rt_map_%s_insert%s(m, %sk, sizeof(%s), &existed);", vt, s ? "s" : "i", lent ? "_lent" : "",
          s && !lent ? "&" : "", vt);
  const char *d = cg_drop_stmt(cg, map->elem, "slot");
  if (d) cg_line(cg, "if (existed) %s  /* drop the old value: overwritten */", d);
  cg_line(cg, "*slot = v;");
  cg_helper_end(cg, &hc);
  return name;
}

// Is there a float in t? Its order is then not total (NaN).
static bool has_float(Type *t) {
  if (t->kind == TY_FLOAT) return true;
  if (t->kind == TY_TUPLE)
    for (int i = 0; i < t->nitems; i++)
      if (has_float(t->items[i])) return true;
  return false;
}

// v.sort(): a quicksort for total orders, interp's own merge sort where a
// float makes the order partial (toyrt.h says why).
const char *cg_sort_fn(Cg *cg, Type *elem) {
  const char *name = cg_fmt(cg, "sort_%s", cg_tid(cg, elem));
  if (cg_have(cg, elem, H_SORT)) return name;
  const char *lt = cg_lt_fn(cg, elem, false), *macro = has_float(elem) ? "RT_DEFINE_MERGE_SORT" : "RT_DEFINE_SORT";
  rtbuf_printf(&cg->helpers, "// v.sort() on [%s], specialized (toyrt.h).\n%s(%s, %s, %s)\n\n", cg_ct(cg, elem),
               macro, name, cg_ct(cg, elem), lt);
  return name;
}

// What a thread's heap block starts with: the slot for its result.
const char *cg_thr_type(Cg *cg, Type *ret) {
  Type *thr = ty_thread(cg->prog->types, ret);
  const char *name = cg_fmt(cg, "thrblk_%s", cg_tid(cg, ret));
  if (cg_have(cg, thr, H_THR)) return name;
  rtbuf_printf(&cg->types, "typedef struct %s { %s ret; } %s;\n", name, cg_ct(cg, ret), name);
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
  rtbuf_printf(&cg->types, "typedef struct spawnblk_%s { %s head;", fn->name, thr);
  for (int k = 0; k < fn->nparams; k++) rtbuf_printf(&cg->types, " %s a%d;", cg_ct(cg, fn->param_types[k]), k);
  rtbuf_printf(&cg->types, " } spawnblk_%s;\n", fn->name);
  rtbuf_printf(&cg->protos, "static void *%s(void *p);\n", name);
  rtbuf_printf(&cg->helpers, "// The thread of `spawn %s(…)`: runs it with the arguments moved into the block.\n"
                           "static void *%s(void *p) {\n  spawnblk_%s *k = p;\n  ",
             fn->name, name, fn->name);
  if (fn->ret_type->kind != TY_UNIT) rtbuf_puts(&cg->helpers, "k->head.ret = ");
  rtbuf_printf(&cg->helpers, "u_%s(", fn->name);
  if (!cg->opts->unchecked) rtbuf_printf(&cg->helpers, "1%s", fn->nparams ? ", " : "");  // the thread's first call
  for (int k = 0; k < fn->nparams; k++) rtbuf_printf(&cg->helpers, "%sk->a%d", k ? ", " : "", k);
  rtbuf_puts(&cg->helpers, ");\n  return k;\n}\n\n");
  return name;
}
