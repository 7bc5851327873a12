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
  for (int i = 0; i < cg->indent; i++) rtbuf_puts(cg->out, "  ");
  va_list ap;
  va_start(ap, fmt);
  char *s = cg_vfmt(cg, fmt, ap);
  va_end(ap);
  rtbuf_puts(cg->out, s);
  rtbuf_puts(cg->out, "\n");
}

int cg_unique(Cg *cg) { return ++cg->counter; }

// A C string literal holding exactly the bytes s[0..n): printable ASCII as
// is (but `"`, `\` and `?` — no trigraph can form), everything else as a
// three-digit octal escape (which cannot swallow a following digit).
const char *cg_cstr(Cg *cg, const char *s, size_t n) {
  RtBuf b = {0};
  rtbuf_puts(&b, "\"");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') {
      rtbuf_put(&b, (const char *)&c, 1);
    } else {
      char e[8];
      snprintf(e, sizeof e, "\\%03o", c);
      rtbuf_puts(&b, e);
    }
  }
  rtbuf_puts(&b, "\"");
  char *r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  return r;
}

CgLineCosts *cg_costs(Cg *cg, int line) {
  static CgLineCosts nowhere;  // nobody asked, or a line outside the file
  if (!cg->opts->line_costs || line < 0 || line > cg->opts->nlines) return &nowhere;
  return &cg->opts->line_costs[line];
}

const char *cg_site(Cg *cg, Span at) {
  int id = cg_unique(cg);
  RtBuf *to = cg->piece_out && cg->out == cg->piece_out ? cg->piece_locs : &cg->locs;  // a piece's: its part's
  rtbuf_printf(to, "static const rt_loc loc%d = {lab_file, %d, %d};\n", id, at.line, at.col);
  return cg_fmt(cg, "&loc%d", id);
}

const char *cg_loc(Cg *cg, Span at) {
  cg_costs(cg, at.line)->checks++;
  return cg_site(cg, at);
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
  RtBuf b = {0};
  rtbuf_puts(&b, "");
  size_t shown = 0;
  for (size_t i = start; i < end; i++) {
    if (shown >= 90) {
      rtbuf_puts(&b, " ...");
      break;
    }
    unsigned char c = (unsigned char)text[i];
    char ch = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    if (ch == '/' && b.len > 0 && b.data[b.len - 1] == '*') rtbuf_puts(&b, " ");
    if (ch == '*' && b.len > 0 && b.data[b.len - 1] == '/') rtbuf_puts(&b, " ");
    if (ch == '?' && b.len > 0 && b.data[b.len - 1] == '?') rtbuf_puts(&b, " ");
    rtbuf_put(&b, &ch, 1);
    shown++;
  }
  char *r = cg_fmt(cg, "%s", b.data);
  free(b.data);
  return r;
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

static void fn_signature(Cg *cg, RtBuf *b, FnDecl *fn) {
  bool unit = fn->ret_type->kind == TY_UNIT;
  rtbuf_printf(b, "%s %s u_%s(", cg->parts ? "LAB_SHARED" : "static", unit ? "void" : cg_ct(cg, fn->ret_type), fn->name);
  if (!cg->opts->unchecked) rtbuf_printf(b, "int64_t rt_d%s", fn->nparams ? ", " : "");  // the call depth
  else if (fn->nparams == 0) rtbuf_puts(b, "void");
  for (int i = 0; i < fn->nparams; i++) {
    Local *l = fn->params[i].local;
    rtbuf_printf(b, "%s%s %s", i ? ", " : "", cg_ct(cg, fn->param_types[i]), cg->lname ? cg->lname[l->id] : "");
  }
  rtbuf_puts(b, ")");
}

char *cg_generate(Program *prog, const CgOptions *opts) {
  long oom_before = rtbuf_oom_count();
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
    rtbuf_printf(&cg.types, "typedef struct s_%s s_%s;\n", prog->structs[i]->name, prog->structs[i]->name);
  for (int i = 0; i < prog->nstructs; i++) cg_type(&cg, prog->structs[i]->type);

  // Prototypes (parameter names are not needed there).
  for (int i = 0; i < cg.nfns && !opts->hybrid; i++) cg.parts = cg.parts || cg_is_split(cg.fns_list[i]);
  for (int i = 0; i < cg.nfns; i++) {
    fn_signature(&cg, &cg.protos, cg.fns_list[i]);
    rtbuf_puts(&cg.protos, ";\n");
  }
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_CONST) st_const(&cg, &prog->items[i]->cn);
  for (int i = 0; i < cg.nfns; i++) st_function(&cg, cg.fns_list[i]);
  int last_line = 1;
  for (const char *c = prog->src->text; *c; c++) last_line += *c == '\n';
  if (opts->hybrid) cg_hybrid(&cg);
  else rtbuf_printf(&cg.fns,
               "// The runtime's main() calls this: Toy's fn main. (RT_LINES: the rows of a\n"
               "// counted run's costs per line.)\nvoid toy_main(void) {\n  RT_LINES(%d);\n  u_main(%s);\n  RT_LINE(0);\n}\n",
               last_line, opts->unchecked ? "" : "1");

  // With pieces, parts: part 0 is everything but the pieces, and parts
  // 1..n share the pieces out in order, at most PART_PIECES each (the
  // locations each piece uses go with it). native.c compiles part 0
  // at -O2 and shares the others out among the processors, one C compiler
  // each (LAB_PARTS_FROM..LAB_PARTS_TO), at -O0 (each piece keeps its own
  // optimize attribute). Without those the file is the whole program.
  enum { PART_PIECES = 25 };
  int nparts = cg.npieces ? (cg.npieces + PART_PIECES - 1) / PART_PIECES : 0;
  RtBuf all = {0};
  rtbuf_puts(&all, PRELUDE);
  if (nparts)
    rtbuf_printf(&all, "\n// Functions too big for the C compiler in one piece are written in pieces\n"
                       "// (docs/native.md), which lab compiles apart from the rest, side by side:\n"
                       "// -DLAB_PARTS_FROM=A -DLAB_PARTS_TO=B compiles parts A..B of the LAB_NPARTS\n"
                       "// (0: all but the pieces). Without them this file is the whole program.\n"
                       "#define LAB_NPARTS %d\n#ifdef LAB_PARTS_FROM\n#define LAB_SHARED\n"
                       "#define LAB_IN_PART(n) (LAB_PARTS_FROM <= (n) && (n) <= LAB_PARTS_TO)\n"
                       "#else\n#define LAB_SHARED static\n#define LAB_IN_PART(n) 1\n#endif\n",
                 nparts + 1);
  const char *path = prog->src->path;
  rtbuf_printf(&all, "\n// The program's path, as panics name it.\nstatic const char lab_file[] = %s;\n",
             cg_cstr(&cg, path, strlen(path)));
  int limit = opts->recursion_limit > 0 ? opts->recursion_limit : RT_DEFAULT_RECURSION_LIMIT;
  rtbuf_printf(&all, "\n// Calls nested deeper than this are RecursionError (rt_call_depth).\n%s"
                   "const int64_t rt_recursion_limit = %d;\n%s", nparts ? "#if LAB_IN_PART(0)\n" : "", limit,
               nparts ? "#endif\n" : "");
  rtbuf_puts(&all, "\n// ---- types ----\n");
  if (cg.types.data) rtbuf_puts(&all, cg.types.data);
  if (cg.frames.data) rtbuf_puts(&all, cg.frames.data);
  rtbuf_puts(&all, "\n// ---- prototypes ----\n");
  if (cg.protos.data) rtbuf_puts(&all, cg.protos.data);
  rtbuf_puts(&all, "\n// ---- source locations of the checks ----\n");
  if (cg.locs.data) rtbuf_puts(&all, cg.locs.data);
  rtbuf_puts(&all, "\n// ---- per-type helpers ----\n");
  if (cg.helpers.data) rtbuf_puts(&all, cg.helpers.data);
  rtbuf_puts(&all, "// ---- functions ----\n");
  if (nparts) rtbuf_puts(&all, "#if LAB_IN_PART(0)\n");
  if (cg.fns.data) rtbuf_puts(&all, cg.fns.data);
  if (nparts) rtbuf_puts(&all, "#endif\n");
  for (int k = 1, i = 0; k <= nparts; k++) {
    int last = cg.npieces * k / nparts;  // pieces i..last-1
    size_t from = i ? cg.piece_end[i - 1] : 0, to = cg.piece_end[last - 1];
    rtbuf_printf(&all, "\n// ---- part %d: pieces ----\n#if LAB_IN_PART(%d)\n%.*s#endif\n", k, k, (int)(to - from),
                 cg.pieces.data + from);
    i = last;
  }

  free(cg.types.data);
  free(cg.protos.data);
  free(cg.locs.data);
  free(cg.helpers.data);
  free(cg.fns.data);
  free(cg.frames.data);
  free(cg.pieces.data);
  free(cg.piece_end);
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
  // A text that ran out of memory is short: never hand the C compiler that.
  if (rtbuf_oom_count() != oom_before) rt_out_of_memory();
  return all.data;
}

void cg_fn_signature(Cg *cg, RtBuf *b, FnDecl *fn) { fn_signature(cg, b, fn); }
