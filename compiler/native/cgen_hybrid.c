// cgen_hybrid.c — the boundary layer of --mode=hybrid (docs/hybrid.md): for
// a program of #[native] functions, the converters between boxed VM objects
// and native values, one per type met (PyO3's FromPyObject and IntoPy,
// generated as PyO3's derive macros generate them), and one exported wrapper
// per function: lab_hy_NAME (runtime/hybrid_abi.h). The converters reach the
// VM's objects only through the LabHost table (lab_host->…).
//
//   in_ID(o, &v)     boxed o → a new native value v (owned); false after a
//                    TypeError raised in the VM, with v left empty
//   out_ID(&v)       native v (borrowed) → a new boxed object; NULL after a
//                    MemoryError
//   back_ID(o, &v)   `&mut` write-back: the list, map or struct o takes the
//                    contents of v (o keeps its identity; its elements and
//                    fields are new objects)
// Walks count their levels (rt_walk_enter), as clone does, so a deep value is
// RecursionError rather than a C stack overflow.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgen_int.h"
#include "xalloc.h"

enum { H_HYIN = 1u << 12, H_HYOUT = 1u << 13, H_HYBACK = 1u << 14 };

static const char *in_fn(Cg *cg, Type *t);
static const char *out_fn(Cg *cg, Type *t);

// The Toy spelling of t, as a C string literal (for the TypeErrors).
static const char *toy_name(Cg *cg, Type *t) {
  char buf[256];
  const char *s = ty_str(t, buf, sizeof buf);
  return cg_cstr(cg, s, strlen(s));
}

static const char *def_of(Cg *cg, Type *t) {
  return t->kind == TY_STRUCT ? cg_fmt(cg, "hydef_S_%s", t->st->name) : cg_fmt(cg, "hydef_E_%s", t->en->name);
}

// "if (!in_X(o, p)) { cleanup return false; }" pieces.
static const char *in_call(Cg *cg, Type *t, const char *obj, const char *ptr) {
  return cg_fmt(cg, "%s(%s, %s)", in_fn(cg, t), obj, ptr);
}

// The body of a converter's failure branch (its `{` is written): drops what
// *out holds so far and leaves the empty value (zero bytes), then `extra` (a
// statement, or NULL), leaves the walk's level and returns false.
static void in_fail(Cg *cg, Type *t, const char *extra) {
  cg->indent++;
  if (extra) cg_line(cg, "%s", extra);
  const char *d = cg_drop_stmt(cg, t, "out");
  if (d) cg_line(cg, "%s", d);
  cg_line(cg, "memset(out, 0, sizeof *out);");
  cg_line(cg, "rt_walk_leave();");
  cg_line(cg, "return false;");
  cg->indent--;
  cg_line(cg, "}");
}

static const char *in_fn(Cg *cg, Type *t) {
  const char *name = cg_fmt(cg, "in_%s", cg_tid(cg, t));
  if (cg_have(cg, t, H_HYIN)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static bool %s(LabObj *o, %s *out);\n", name, ct);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// A boxed %s into a new native value (a TypeError otherwise).\n"
                        "static bool %s(LabObj *o, %s *out) {\n", ct, name, ct);
  const char *what = toy_name(cg, t);
  switch (t->kind) {
  case TY_INT: cg_line(cg, "return lab_host->get_int(o, out);"); break;
  case TY_FLOAT: cg_line(cg, "return lab_host->get_float(o, out);"); break;
  case TY_BOOL: cg_line(cg, "return lab_host->get_bool(o, out);"); break;
  case TY_ENUM: cg_line(cg, "return lab_host->get_enum(o, %s, %s, out);", def_of(cg, t), what); break;
  case TY_STR:
    cg_line(cg, "const char *p;");
    cg_line(cg, "int64_t n;");
    cg_line(cg, "if (!lab_host->get_str(o, &p, &n)) return false;");
    cg_line(cg, "*out = rt_str_lit(p, n);  /* the bytes copied */");
    cg_line(cg, "return true;");
    break;
  case TY_LIST: {
    const char *et = cg_ct(cg, t->elem);
    cg_line(cg, "int64_t n;");
    cg_line(cg, "memset(out, 0, sizeof *out);");
    cg_line(cg, "if (!lab_host->get_list(o, %s, &n)) return false;", what);
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "*out = rt_list_with_cap(n, sizeof(%s));", et);
    cg_line(cg, "for (int64_t i = 0; i < n; i++) {");
    cg_line(cg, "  %s x;", et);
    cg->indent++;
    cg_line(cg, "if (!%s) {", in_call(cg, t->elem, "lab_host->list_item(o, i)", "&x"));
    in_fail(cg, t, NULL);
    cg_line(cg, "rt_list_push(out, &x, sizeof x);");
    cg->indent--;
    cg_line(cg, "}");
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return true;");
    break;
  }
  case TY_MAP: {
    const char *kt = cg_ct(cg, t->key), *vt = cg_ct(cg, t->elem);
    cg_line(cg, "int64_t n, pos = 0;");
    cg_line(cg, "LabObj *k, *v;");
    cg_line(cg, "memset(out, 0, sizeof *out);");
    cg_line(cg, "if (!lab_host->get_map(o, %s, &n)) return false;", what);
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "while (lab_host->map_next(o, &pos, &k, &v)) {");
    cg_line(cg, "  %s kk;", kt);
    cg_line(cg, "  %s vv;", vt);
    cg->indent++;
    cg_line(cg, "if (!%s) {", in_call(cg, t->key, "k", "&kk"));
    in_fail(cg, t, NULL);
    cg_line(cg, "if (!%s) {", in_call(cg, t->elem, "v", "&vv"));
    in_fail(cg, t, cg_drop_stmt(cg, t->key, "&kk"));
    cg_line(cg, "%s(out, kk, vv);", cg_mapput_fn(cg, t, false));
    cg->indent--;
    cg_line(cg, "}");
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return true;");
    break;
  }
  case TY_TUPLE:
  case TY_STRUCT: {
    bool tup = t->kind == TY_TUPLE;
    int n = tup ? t->nitems : t->st->nfields;
    cg_line(cg, "memset(out, 0, sizeof *out);");
    if (tup) cg_line(cg, "if (!lab_host->get_tuple(o, %s, %d)) return false;", what, n);
    else cg_line(cg, "if (!lab_host->get_struct(o, %s, %s)) return false;", def_of(cg, t), what);
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "LabObj *f;");
    for (int i = 0; i < n; i++) {
      Type *ft = tup ? t->items[i] : t->st->fields[i].type;
      const char *place = tup ? cg_fmt(cg, "&out->f%d", i) : cg_fmt(cg, "&out->f_%s", t->st->fields[i].name);
      if (tup) cg_line(cg, "f = lab_host->tuple_item(o, %d);", i);
      else cg_line(cg, "f = lab_host->struct_field(o, %d);", i);
      cg_line(cg, "if (!f || !%s) {", in_call(cg, ft, "f", place));
      in_fail(cg, t, NULL);
    }
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return true;");
    break;
  }
  case TY_OPTION: {
    cg_line(cg, "LabObj *p;");
    cg_line(cg, "memset(out, 0, sizeof *out);");
    cg_line(cg, "int r = lab_host->get_option(o, %s, &p);", what);
    cg_line(cg, "if (r <= 0) return r == 0;  /* None, or not an option */");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    if (cg_boxed(cg, t)) {
      const char *st = cg_ct(cg, t->elem);
      cg_line(cg, "%s v;", st);
      cg_line(cg, "bool ok = %s;", in_call(cg, t->elem, "p", "&v"));
      cg_line(cg, "if (ok) *out = %s(v);", cg_some_fn(cg, t));
    } else {
      cg_line(cg, "bool ok = %s;", in_call(cg, t->elem, "p", "&out->v"));
      cg_line(cg, "out->some = ok;");
    }
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return ok;");
    break;
  }
  default: cg_line(cg, "(void)o; (void)out; return false;"); break;
  }
  cg_helper_end(cg, &hc);
  return name;
}

static const char *out_fn(Cg *cg, Type *t) {
  const char *name = cg_fmt(cg, "out_%s", cg_tid(cg, t));
  if (cg_have(cg, t, H_HYOUT)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static LabObj *%s(const %s *v);\n", name, ct);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// A native %s (borrowed) into a new boxed object.\nstatic LabObj *%s(const %s *v) {\n", ct,
               name, ct);
  switch (t->kind) {
  case TY_INT: cg_line(cg, "return lab_host->new_int(*v);"); break;
  case TY_FLOAT: cg_line(cg, "return lab_host->new_float(*v);"); break;
  case TY_BOOL: cg_line(cg, "return lab_host->new_bool(*v);"); break;
  case TY_ENUM: cg_line(cg, "return lab_host->enum_value(%s, *v);", def_of(cg, t)); break;
  case TY_STR: cg_line(cg, "return lab_host->new_str(v->ptr, v->len);  /* the bytes copied */"); break;
  case TY_LIST: {
    const char *et = cg_ct(cg, t->elem);
    cg_line(cg, "LabObj *l = lab_host->new_list(v->len);");
    cg_line(cg, "if (!l) return NULL;");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "for (int64_t i = 0; i < v->len; i++) {");
    cg_line(cg, "  LabObj *x = %s((const %s *)v->data + i);", out_fn(cg, t->elem), et);
    cg_line(cg, "  if (!x || !lab_host->list_push_steal(l, x)) {");
    cg_line(cg, "    lab_host->decref(l);");
    cg_line(cg, "    rt_walk_leave();");
    cg_line(cg, "    return NULL;");
    cg_line(cg, "  }");
    cg_line(cg, "}");
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return l;");
    break;
  }
  case TY_MAP: {
    bool s = cg_str_key(t);
    const char *vt = cg_ct(cg, t->elem);
    cg_line(cg, "LabObj *m = lab_host->new_map();");
    cg_line(cg, "if (!m) return NULL;");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "int64_t pos = 0;");
    cg_line(cg, "%s *k;", s ? "rt_str" : "int64_t");
    cg_line(cg, "%s *x;", vt);
    cg_line(cg, "while (rt_map_%s_next(v, &pos, sizeof(%s), &k, (void **)&x)) {", s ? "s" : "i", vt);
    cg_line(cg, "  LabObj *ko = %s;", s ? "lab_host->new_str(k->ptr, k->len)" : "lab_host->new_int(*k)");
    cg_line(cg, "  LabObj *vo = ko ? %s(x) : NULL;", out_fn(cg, t->elem));
    cg_line(cg, "  if (!vo) {");
    cg_line(cg, "    if (ko) lab_host->decref(ko);");
    cg_line(cg, "    lab_host->decref(m);");
    cg_line(cg, "    rt_walk_leave();");
    cg_line(cg, "    return NULL;");
    cg_line(cg, "  }");
    cg_line(cg, "  if (!lab_host->map_set_steal(m, ko, vo)) {");
    cg_line(cg, "    lab_host->decref(m);");
    cg_line(cg, "    rt_walk_leave();");
    cg_line(cg, "    return NULL;");
    cg_line(cg, "  }");
    cg_line(cg, "}");
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return m;");
    break;
  }
  case TY_TUPLE:
  case TY_STRUCT: {
    bool tup = t->kind == TY_TUPLE;
    int n = tup ? t->nitems : t->st->nfields;
    if (tup) cg_line(cg, "LabObj *r = lab_host->new_tuple(%d);", n);
    else cg_line(cg, "LabObj *r = lab_host->new_struct(%s);", def_of(cg, t));
    cg_line(cg, "if (!r) return NULL;");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "LabObj *x;");
    for (int i = 0; i < n; i++) {
      Type *ft = tup ? t->items[i] : t->st->fields[i].type;
      const char *place = tup ? cg_fmt(cg, "&v->f%d", i) : cg_fmt(cg, "&v->f_%s", t->st->fields[i].name);
      cg_line(cg, "x = %s(%s);", out_fn(cg, ft), place);
      if (tup) {
        cg_line(cg, "if (x) lab_host->tuple_set_steal(r, %d, x);", i);
        cg_line(cg, "if (!x) {");
      } else {
        cg_line(cg, "if (!x || !lab_host->struct_set_steal(r, %d, x)) {", i);
      }
      cg_line(cg, "  lab_host->decref(r);");
      cg_line(cg, "  rt_walk_leave();");
      cg_line(cg, "  return NULL;");
      cg_line(cg, "}");
    }
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return r;");
    break;
  }
  case TY_OPTION: {
    bool boxed = cg_boxed(cg, t);
    cg_line(cg, "if (!%s) return lab_host->none();", boxed ? "*v" : "v->some");
    cg_line(cg, "rt_walk_enter(RT_MSG_RECURSION_COPY);");
    cg_line(cg, "LabObj *x = %s(%s);", out_fn(cg, t->elem), boxed ? "*v" : "&v->v");
    cg_line(cg, "rt_walk_leave();");
    cg_line(cg, "return x ? lab_host->some_steal(x) : NULL;");
    break;
  }
  default: cg_line(cg, "(void)v; return lab_host->none();"); break;
  }
  cg_helper_end(cg, &hc);
  return name;
}

// `&mut` write-back of a list, map or struct (the only types `&mut` takes).
static const char *back_fn(Cg *cg, Type *t) {
  const char *name = cg_fmt(cg, "back_%s", cg_tid(cg, t));
  if (cg_have(cg, t, H_HYBACK)) return name;
  const char *ct = cg_ct(cg, t);
  rtbuf_printf(&cg->protos, "static bool %s(LabObj *o, const %s *v);\n", name, ct);
  HelperCtx hc;
  cg_helper_begin(cg, &hc);
  rtbuf_printf(cg->out, "// `&mut %s`: the boxed object o takes v's contents.\nstatic bool %s(LabObj *o, const %s *v) {\n",
               ct, name, ct);
  if (t->kind == TY_STRUCT) {
    cg_line(cg, "LabObj *x;");
    for (int i = 0; i < t->st->nfields; i++) {
      cg_line(cg, "x = %s(&v->f_%s);", out_fn(cg, t->st->fields[i].type), t->st->fields[i].name);
      cg_line(cg, "if (!x || !lab_host->struct_set_steal(o, %d, x)) return false;", i);
    }
    cg_line(cg, "return true;");
  } else {
    // The new contents are built first, then swapped into o: o is never
    // left half written by a MemoryError.
    cg_line(cg, "LabObj *fresh = %s(v);", out_fn(cg, t));
    cg_line(cg, "if (!fresh) return false;");
    cg_line(cg, "lab_host->assign(o, fresh);");
    cg_line(cg, "lab_host->decref(fresh);  /* now holding o's old contents */");
    cg_line(cg, "return true;");
  }
  cg_helper_end(cg, &hc);
  return name;
}

// The exported wrapper of fn: arguments in, the call (under a boundary, the
// GIL released for nogil), `&mut` arguments back, the result out.
static void wrapper(Cg *cg, FnDecl *fn) {
  RtBuf *b = &cg->fns;
  bool unit = fn->ret_type->kind == TY_UNIT;
  rtbuf_printf(b, "\n// The boundary of `%s fn %s`: what the VM calls (runtime/hybrid_abi.h).\n",
               fn->nogil ? "#[native(nogil)]" : "#[native]", fn->name);
  rtbuf_printf(b, "int lab_hy_%s(LabObj *const *args, LabObj **ret, int64_t depth) {\n", fn->name);
  if (cg->opts->unchecked) rtbuf_puts(b, "  (void)depth;\n");
  if (fn->nparams == 0) rtbuf_puts(b, "  (void)args;\n");
  // The converted arguments: a reference parameter's referent is owned here.
  Type **held = rt_xcalloc((size_t)fn->nparams + 1, sizeof *held);
  for (int i = 0; i < fn->nparams; i++) {
    Type *t = fn->param_types[i];
    held[i] = (t->kind == TY_REF || t->kind == TY_REFMUT) ? t->elem : t;
    rtbuf_printf(b, "  %s a%d;\n", cg_ct(cg, held[i]), i);
    rtbuf_printf(b, "  memset(&a%d, 0, sizeof a%d);\n", i, i);
  }
  if (!unit) rtbuf_printf(b, "  %s r;\n", cg_ct(cg, fn->ret_type));
  rtbuf_puts(b, "  rt_boundary bd = {.prev = rt_boundary_top};\n");
  rtbuf_puts(b, "  if (setjmp(bd.jb)) {  /* a panic: raised in the VM; what the call owned is not dropped */\n"
                "    rt_boundary_raise(&bd);\n    return 1;\n  }\n");
  rtbuf_puts(b, "  rt_boundary_top = &bd;\n");
  for (int i = 0; i < fn->nparams; i++) {
    rtbuf_printf(b, "  if (!%s(args[%d], &a%d)) goto fail%d;\n", in_fn(cg, held[i]), i, i, i);
  }
  if (fn->nogil) rtbuf_puts(b, "  bd.released = true;\n  lab_host->release_gil();\n");
  rtbuf_puts(b, "  if (lab_host->phase) lab_host->phase(0);\n");
  rtbuf_printf(b, "  %su_%s(", unit ? "" : "r = ", fn->name);
  if (!cg->opts->unchecked) rtbuf_printf(b, "depth%s", fn->nparams ? ", " : "");
  for (int i = 0; i < fn->nparams; i++) {
    Type *t = fn->param_types[i];
    bool ref = t->kind == TY_REF || t->kind == TY_REFMUT;
    rtbuf_printf(b, "%s%sa%d", i ? ", " : "", ref ? "&" : "", i);
  }
  rtbuf_puts(b, ");\n");
  rtbuf_puts(b, "  if (lab_host->phase) lab_host->phase(1);\n");
  if (fn->nogil) rtbuf_puts(b, "  lab_host->take_gil();\n  bd.released = false;\n");
  rtbuf_puts(b, "  bool ok = true;\n");
  for (int i = 0; i < fn->nparams; i++)
    if (fn->param_types[i]->kind == TY_REFMUT)
      rtbuf_printf(b, "  ok = ok && %s(args[%d], &a%d);  /* &mut: written back */\n", back_fn(cg, held[i]), i, i);
  if (unit) {
    rtbuf_puts(b, "  *ret = ok ? lab_host->none() : NULL;\n");
  } else {
    rtbuf_printf(b, "  *ret = ok ? %s(&r) : NULL;\n", out_fn(cg, fn->ret_type));
    const char *d = cg_drop_stmt(cg, fn->ret_type, "&r");
    if (d) rtbuf_printf(b, "  %s\n", d);
  }
  // Arguments passed by value were moved into the call (it dropped them);
  // the referents of reference parameters are dropped here.
  for (int i = 0; i < fn->nparams; i++) {
    Type *t = fn->param_types[i];
    const char *d = t == held[i] ? NULL : cg_drop_stmt(cg, held[i], cg_fmt(cg, "&a%d", i));
    if (d) rtbuf_printf(b, "  %s\n", d);
  }
  rtbuf_puts(b, "  rt_boundary_top = bd.prev;\n  return *ret ? 0 : 1;\n");
  // A failed conversion: the arguments converted so far are dropped.
  for (int i = fn->nparams - 1; i >= 0; i--) {
    rtbuf_printf(b, "fail%d:\n", i);
    if (i > 0) {
      const char *d = cg_drop_stmt(cg, held[i - 1], cg_fmt(cg, "&a%d", i - 1));
      if (d) rtbuf_printf(b, "  %s\n", d);
    }
  }
  if (fn->nparams > 0) rtbuf_puts(b, "  rt_boundary_top = bd.prev;\n  return 1;\n");
  rtbuf_puts(b, "}\n");
  free(held);
}

void cg_hybrid(Cg *cg) {
  Program *p = cg->prog;
  for (int i = 0; i < p->nstructs; i++)
    rtbuf_printf(&cg->protos, "static const void *hydef_S_%s;\n", p->structs[i]->name);
  for (int i = 0; i < p->nenums; i++) rtbuf_printf(&cg->protos, "static const void *hydef_E_%s;\n", p->enums[i]->name);
  for (int i = 0; i < cg->nfns; i++) wrapper(cg, cg->fns_list[i]);
  rtbuf_puts(&cg->fns, "\n// Called once by the VM after dlopen: the host's table, the program's\n"
                       "// structs and enums as the VM knows them. 0, or -1 when one is missing.\n"
                       "int lab_hybrid_init(const LabHost *h) {\n"
                       "  if (h->abi != LAB_HYBRID_ABI) return -1;\n  rt_library_init(h);\n");
  for (int i = 0; i < p->nstructs; i++)
    rtbuf_printf(&cg->fns, "  if (!(hydef_S_%s = h->struct_def(\"%s\", %d))) return -1;\n", p->structs[i]->name,
                 p->structs[i]->name, p->structs[i]->nfields);
  for (int i = 0; i < p->nenums; i++)
    rtbuf_printf(&cg->fns, "  if (!(hydef_E_%s = h->enum_def(\"%s\", %d))) return -1;\n", p->enums[i]->name,
                 p->enums[i]->name, p->enums[i]->nvariants);
  rtbuf_puts(&cg->fns, "  return 0;\n}\n");
}
