// compile.c — lowers the syntax tree to bytecode for the interp-mode VM.
//
// One pass over each function, emitting stack code (vm/opcodes.h). Names
// are resolved here, statically, the way CPython resolves fast locals:
//  * locals (parameters, `let`s, loop variables) live in numbered frame
//    slots, one per declaration (so `lab dis` can name every slot). Scopes
//    are blocks (SPEC §4): a name goes out of scope at its block's end, but
//    its slot keeps its value until it is reassigned or the function returns,
//    as a Python local does;
//  * a `const` is an expression compiled inline wherever it is used (as Rust
//    inlines consts): each use is a fresh value, so mutating one use (a list
//    const pushed to) cannot be seen through another — as in native mode;
//  * calls name a user function (by index) or a builtin (by id) directly,
//    because functions are not values.
// Everything else is dynamic: types are never looked at, and an unknown
// name, field or method compiles to code that raises the Python-style error
// when (and only if) it runs.
//
// Evaluation order follows SPEC §4: an assignment evaluates its right-hand
// side first, then the target's parts, left to right.
#include "compile.h"
#include "alloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "tokens.h"
#include "xalloc.h"
#include "str.h"
#include "strops.h"
#include "suggest.h"

typedef struct Local {
  const char *name;
  int slot;
  int depth;
  bool deferred;   // declared without a value: reads must check it was assigned
  int shadowed;    // the local of the same name this one hides (an index), or -1
} Local;

// The innermost local of each name (an index into Compiler.locals, -1: none
// now): an open-addressing table, so that a function of n locals compiles
// in O(n), not O(n²).
typedef struct NameSlot {
  const char *name;  // NULL: empty
  int local;
} NameSlot;

typedef struct Loop {
  struct Loop *outer;
  int continue_target;   // -1 while unknown (a range loop's INCR comes later)
  int *breaks, nbreaks;  // JUMP operands to patch to the loop's exit
  int *continues, ncontinues;
  int stack;             // operand depth at loop entry (break/continue keep it)
} Loop;

typedef struct Compiler {
  Program *prog;
  DiagSink *sink;
  BcProgram *out;
  Function *fn;
  Local *locals;
  int nlocals, cap_locals;
  NameSlot *names;       // by name (hidden temps, named '.…', are not in it)
  int nnames, cap_names;
  int depth;
  int stack;             // current operand-stack depth
  Loop *loop;
  bool too_large;        // reported once per function
  ConstDecl **expanding; // the consts being inlined now (a cycle guard)
  int nexpanding;
  int64_t suggest_budget; // names name_error may still compare (NameError's "Did you mean")
} Compiler;

#define PUSH_BACK(arr, len, v)                                   \
  do {                                                           \
    (arr) = rt_xrealloc((arr), sizeof *(arr) * (size_t)((len) + 1)); \
    (arr)[(len)++] = (v);                                        \
  } while (0)

// ---- emitting ------------------------------------------------------------------

static void adjust_stack(Compiler *c, int delta) {
  c->stack += delta;
  if (c->stack > c->fn->max_stack) c->fn->max_stack = c->stack;
}

static void too_large(Compiler *c, Span at) {
  if (c->too_large) return;
  c->too_large = true;
  Diag *d = diag_error(c->sink, "L0111", at, "function `%s` is too large for the bytecode format", c->fn->name);
  diag_help(d, "split it into smaller functions");
}

static void emit_op(Compiler *c, OpCode op, int line) {
  bc_emit(c->fn, (uint8_t)op, line);
  if (bc_opinfo[op].stack_effect != 99) adjust_stack(c, bc_opinfo[op].stack_effect);
}

static void emit_u16(Compiler *c, int v, int line, Span at) {
  if (v < 0 || v > 0xffff) {
    too_large(c, at);
    v = 0;
  }
  bc_emit16(c->fn, (uint16_t)v, line);
}

static void emit_op16(Compiler *c, OpCode op, int arg, Span at) {
  emit_op(c, op, at.line);
  emit_u16(c, arg, at.line, at);
}

static void emit_const(Compiler *c, Obj *value, Span at) {
  emit_op16(c, OP_CONST, bc_add_const(c->fn, value), at);
}

// A forward jump: emits the opcode with a placeholder; returns the operand's offset.
static int emit_jump(Compiler *c, OpCode op, Span at) {
  emit_op(c, op, at.line);
  int operand = c->fn->len;
  bc_emit16(c->fn, 0xffff, at.line);
  return operand;
}

// Points the jump operand at `operand` to the current end of the code.
static void patch_jump(Compiler *c, int operand, Span at) {
  int dist = c->fn->len - (operand + 2);
  if (dist > 0xffff) {
    too_large(c, at);
    dist = 0;
  }
  c->fn->code[operand] = (uint8_t)(dist & 0xff);
  c->fn->code[operand + 1] = (uint8_t)(dist >> 8);
}

static void emit_loop(Compiler *c, int target, Span at) {
  emit_op(c, OP_LOOP, at.line);
  emit_u16(c, c->fn->len + 2 - target, at.line, at);
}

// Compiles code that raises `kind` with `msg` when it runs.
static void emit_raise(Compiler *c, RtErrorKind kind, Span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emit_raise(Compiler *c, RtErrorKind kind, Span at, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int k = bc_add_const(c->fn, str_from_cstr(msg));
  emit_op(c, OP_RAISE, at.line);
  bc_emit(c->fn, (uint8_t)kind, at.line);
  emit_u16(c, k, at.line, at);
}

static Obj *interned(const char *s) {
  StrObj *o = str_intern(s, (int64_t)strlen(s));
  INCREF(o);
  return (Obj *)o;
}

// ---- scopes and slots --------------------------------------------------------------

static int new_slot(Compiler *c, const char *name) {
  Function *f = c->fn;
  int n = f->nlocals;
  if (n >= 8 && (n & (n - 1)) == 0) f->slot_names = rt_xrealloc(f->slot_names, sizeof(char *) * (size_t)n * 2);
  else if (n == 0) f->slot_names = rt_xrealloc(f->slot_names, sizeof(char *) * 8);
  f->slot_names[n] = rt_xstrdup(name);
  return f->nlocals++;
}

// The table's slot for name: where it is, or the empty one where it goes.
static NameSlot *name_slot(Compiler *c, const char *name) {
  size_t mask = (size_t)c->cap_names - 1;
  for (size_t i = rt_hash_bytes(name, strlen(name)) & mask;; i = (i + 1) & mask)
    if (!c->names[i].name || strcmp(c->names[i].name, name) == 0) return &c->names[i];
}

// The table's entry for name, added (with no local) if it is new.
static NameSlot *name_entry(Compiler *c, const char *name) {
  if ((c->nnames + 1) * 2 > c->cap_names) {
    NameSlot *old = c->names;
    int cap = c->cap_names;
    c->cap_names = cap ? cap * 2 : 64;
    c->names = rt_xcalloc((size_t)c->cap_names, sizeof *c->names);
    for (int i = 0; i < cap; i++)
      if (old[i].name) *name_slot(c, old[i].name) = old[i];
    free(old);
  }
  NameSlot *e = name_slot(c, name);
  if (!e->name) {
    *e = (NameSlot){name, -1};
    c->nnames++;
  }
  return e;
}

static Local *declare(Compiler *c, const char *name, bool deferred) {
  if (c->nlocals == c->cap_locals) {
    c->cap_locals = c->cap_locals ? c->cap_locals * 2 : 16;
    c->locals = rt_xrealloc(c->locals, sizeof(Local) * (size_t)c->cap_locals);
  }
  int i = c->nlocals++;
  Local *l = &c->locals[i];
  l->name = name;
  l->slot = new_slot(c, name);
  l->depth = c->depth;
  l->deferred = deferred;
  l->shadowed = -1;
  if (name[0] != '.') {
    NameSlot *e = name_entry(c, name);
    l->shadowed = e->local;
    e->local = i;
  }
  return l;
}

// A slot for the compiler's own use (loop counters, iterators, match values).
static int hidden_slot(Compiler *c, const char *what) {
  return declare(c, what, false)->slot;
}

static void begin_scope(Compiler *c) { c->depth++; }

// Forgets the locals deeper than depth: the names they hid are seen again.
static void pop_locals(Compiler *c, int depth) {
  while (c->nlocals > 0 && c->locals[c->nlocals - 1].depth > depth) {
    Local *l = &c->locals[--c->nlocals];
    if (l->name[0] != '.') name_slot(c, l->name)->local = l->shadowed;
  }
}

static void end_scope(Compiler *c) {
  c->depth--;
  pop_locals(c, c->depth);
}

static Local *resolve_local(Compiler *c, const char *name) {
  if (!c->cap_names) return NULL;
  NameSlot *e = name_slot(c, name);
  return e->name && e->local >= 0 ? &c->locals[e->local] : NULL;
}

// NameError's message for an unknown name, with CPython's "Did you mean"
// when a name in scope is close (runtime/suggest.h): the locals, innermost
// first, then the functions, structs, enums, consts and builtins.
enum { NAME_ERROR_MAX = 512 };
// The search is budgeted (Compiler.suggest_budget candidates in all): a
// program with thousands of unknown names among thousands of known ones
// compiles in linear time, the later errors without the suggestion.
static const char *name_error(Compiler *c, const char *name, char msg[NAME_ERROR_MAX]) {
  Suggest s;
  suggest_begin(&s, name);
  int64_t cost = c->nlocals + c->prog->nitems;
  if (cost <= c->suggest_budget) {
    c->suggest_budget -= cost;
    for (int i = c->nlocals - 1; i >= 0; i--)
      if (c->locals[i].name[0] != '.') suggest_try(&s, c->locals[i].name);
    for (int i = 0; i < c->prog->nitems; i++) suggest_try(&s, ast_item_name(c->prog->items[i]));
    rt_builtins_suggest(&s);
    for (int i = 0; rt_literal_names[i]; i++) suggest_try(&s, rt_literal_names[i]);
  }
  if (suggest_best(&s))
    snprintf(msg, NAME_ERROR_MAX, "name '%.200s' is not defined. Did you mean: '%.200s'?", name, suggest_best(&s));
  else
    snprintf(msg, NAME_ERROR_MAX, "name '%.200s' is not defined", name);
  return msg;
}


static int resolve_fn(Compiler *c, const char *name) {
  for (int i = 0; i < c->out->nfns; i++)
    if (strcmp(c->out->fns[i]->name, name) == 0) return i;
  return -1;
}

static StructDef *find_structdef(Compiler *c, const char *name) {
  for (int i = 0; i < c->out->nstructs; i++)
    if (strcmp(c->out->structs[i]->name->data, name) == 0) return c->out->structs[i];
  return NULL;
}

static EnumDef *find_enumdef(Compiler *c, const char *name) {
  for (int i = 0; i < c->out->nenums; i++)
    if (strcmp(c->out->enums[i]->name->data, name) == 0) return c->out->enums[i];
  return NULL;
}

// ---- expressions -----------------------------------------------------------------------

static void expr(Compiler *c, Node *n);
static void block(Compiler *c, Node *n);
static void stmt(Compiler *c, Node *n);

static void load_local(Compiler *c, Local *l, Span at) {
  emit_op16(c, l->deferred ? OP_LOAD_CHECKED : OP_LOAD, l->slot, at);
}

static void name_expr(Compiler *c, Node *n) {
  Local *l = resolve_local(c, n->name);
  if (l) {
    load_local(c, l, n->span);
    return;
  }
  ConstDecl *cd = ast_find_const(c->prog, n->name);
  if (cd) {
    for (int i = 0; i < c->nexpanding; i++) {
      if (c->expanding[i] == cd) {  // native mode rejects this (E0391)
        emit_raise(c, RT_NAME, n->span, "const '%s' is defined in terms of itself", n->name);
        adjust_stack(c, 1);
        return;
      }
    }
    PUSH_BACK(c->expanding, c->nexpanding, cd);
    expr(c, cd->value);
    c->nexpanding--;
    return;
  }
  char msg[NAME_ERROR_MAX];
  emit_raise(c, RT_NAME, n->span, "%s", name_error(c, n->name, msg));
  adjust_stack(c, 1);  // stands for the value the name would have pushed
}

// Pushes an enum variant (an immortal constant), or raises for an unknown one.
static void path_expr(Compiler *c, const char *enum_name, const char *variant, Span at) {
  EnumDef *e = find_enumdef(c, enum_name);
  if (!e) {
    char msg[NAME_ERROR_MAX];
    emit_raise(c, RT_NAME, at, "%s", name_error(c, enum_name, msg));
    adjust_stack(c, 1);
    return;
  }
  for (int i = 0; i < e->nvariants; i++) {
    if (strcmp(e->variants[i]->data, variant) == 0) {
      Obj *v = (Obj *)e->values[i];
      INCREF(v);
      emit_const(c, v, at);
      return;
    }
  }
  emit_raise(c, RT_ATTRIBUTE, at, "enum '%s' has no variant '%s'", enum_name, variant);
  adjust_stack(c, 1);
}

static void exprs(Compiler *c, Node **items, int n) {
  for (int i = 0; i < n; i++) expr(c, items[i]);
}

// A call that cannot succeed: its arguments are evaluated (as Python does
// before it notices), then it raises; the n values stand for one result.
static void emit_call_args_raise(Compiler *c, Node *n, RtErrorKind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emit_call_args_raise(Compiler *c, Node *n, RtErrorKind kind, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  exprs(c, n->items, n->nitems);
  emit_raise(c, kind, n->span, "%s", msg);
  adjust_stack(c, 1 - n->nitems);
}

// spawn f(args): the arguments, then SPAWN f nargs, which moves them into a
// new thread (vm/vm.c "Threads"). Anything else after `spawn` (a builtin's
// call: native rejects it, L0003; a call with the wrong number of arguments,
// which raises) is evaluated here and its value wrapped in a finished handle.
static void spawn_expr(Compiler *c, Node *n) {
  Node *call = n->lhs;
  int f = call->kind == ND_CALL && call->nitems <= 255 ? resolve_fn(c, call->name) : -1;
  if (f < 0 || c->out->fns[f]->arity != call->nitems) {
    expr(c, call);
    emit_op16(c, OP_SPAWN, SPAWN_DONE, n->span);
    bc_emit(c->fn, 0, n->span.line);
    return;
  }
  exprs(c, call->items, call->nitems);
  emit_op16(c, OP_SPAWN, f, n->span);
  bc_emit(c->fn, (uint8_t)call->nitems, n->span.line);
  adjust_stack(c, 1 - call->nitems);
}

static const char *plural_args(int n) { return n == 1 ? "argument" : "arguments"; }

static void call_expr(Compiler *c, Node *n) {
  if (n->nitems > 255) {
    too_large(c, n->span);
    return;
  }
  int f = resolve_fn(c, n->name);
  if (f >= 0) {
    Function *fn = c->out->fns[f];
    if (fn->arity != n->nitems) {
      emit_call_args_raise(c, n, RT_TYPE, "%s() takes %d %s but %d %s given", n->name, fn->arity,
                           plural_args(fn->arity), n->nitems, n->nitems == 1 ? "was" : "were");
      return;
    }
    exprs(c, n->items, n->nitems);
    emit_op16(c, OP_CALL, f, n->span);
    bc_emit(c->fn, (uint8_t)n->nitems, n->span.line);
    adjust_stack(c, 1 - n->nitems);
    return;
  }
  int b = rt_builtin_lookup(n->name);
  if (b >= 0) {
    const BuiltinInfo *bi = &rt_builtins[b];
    if (n->nitems < bi->min_args || (bi->max_args >= 0 && n->nitems > bi->max_args)) {
      if (bi->min_args == bi->max_args)
        emit_call_args_raise(c, n, RT_TYPE, "%s() takes %d %s but %d %s given", bi->name, bi->min_args,
                             plural_args(bi->min_args), n->nitems, n->nitems == 1 ? "was" : "were");
      else
        emit_call_args_raise(c, n, RT_TYPE, "%s() takes at least %d %s but %d %s given", bi->name, bi->min_args,
                             plural_args(bi->min_args), n->nitems, n->nitems == 1 ? "was" : "were");
      return;
    }
    exprs(c, n->items, n->nitems);
    emit_op(c, OP_CALL_BUILTIN, n->span.line);
    bc_emit(c->fn, (uint8_t)b, n->span.line);
    bc_emit(c->fn, (uint8_t)n->nitems, n->span.line);
    adjust_stack(c, 1 - n->nitems);
    return;
  }
  char msg[NAME_ERROR_MAX], hint[160];
  if (ast_call_hint(c->prog->src, n, hint, sizeof hint))
    emit_call_args_raise(c, n, RT_NAME, "name '%s' is not defined. Did you mean: '%s'?", n->name, hint);
  else
    emit_call_args_raise(c, n, RT_NAME, "%s", name_error(c, n->name, msg));
}

static void method_expr(Compiler *c, Node *n) {
  if (n->nitems > 255) {
    too_large(c, n->span);
    return;
  }
  expr(c, n->lhs);
  exprs(c, n->items, n->nitems);
  int m = rt_method_lookup(n->name);
  emit_op(c, OP_CALL_METHOD, n->span.line);
  bc_emit(c->fn, (uint8_t)(m < 0 ? 255 : m), n->span.line);
  bc_emit(c->fn, (uint8_t)n->nitems, n->span.line);
  emit_u16(c, bc_add_const(c->fn, interned(n->name)), n->span.line, n->span);
  adjust_stack(c, -n->nitems);
}

static void struct_lit(Compiler *c, Node *n) {
  StructDef *def = find_structdef(c, n->name);
  exprs(c, n->items, n->nitems);
  if (!def) {
    char msg[NAME_ERROR_MAX];
    emit_raise(c, RT_NAME, n->span, "%s", name_error(c, n->name, msg));
    adjust_stack(c, 1 - n->nitems);
    return;
  }
  StructShape sh = {def, n->nitems, rt_xcalloc(1, sizeof(StrObj *) * (size_t)n->nitems + 1),
                    rt_xcalloc(1, sizeof(int) * (size_t)n->nitems + 1), false};
  // Declared fields first, in declaration order; then any others, as written.
  bool *taken = rt_xcalloc(1, (size_t)n->nitems + 1);
  int k = 0;
  for (int f = 0; f < def->nfields; f++) {
    for (int i = 0; i < n->nitems; i++) {
      if (!taken[i] && strcmp(n->fields[i], def->fields[f]->data) == 0) {
        taken[i] = true;
        sh.names[k] = def->fields[f];
        sh.from[k++] = i;
        break;
      }
    }
  }
  sh.full = k == def->nfields && k == n->nitems && def->keys.entries;
  for (int i = 0; i < n->nitems; i++) {
    if (taken[i]) continue;
    sh.names[k] = str_intern(n->fields[i], (int64_t)strlen(n->fields[i]));
    sh.from[k++] = i;
  }
  free(taken);
  PUSH_BACK(c->out->shapes, c->out->nshapes, sh);
  emit_op16(c, OP_BUILD_STRUCT, c->out->nshapes - 1, n->span);
  adjust_stack(c, 1 - n->nitems);
}

static OpCode binary_op(int tk) {
  switch (tk) {
    case TK_PLUS: case TK_PLUS_EQ: return OP_ADD;
    case TK_MINUS: case TK_MINUS_EQ: return OP_SUB;
    case TK_STAR: case TK_STAR_EQ: return OP_MUL;
    case TK_SLASH: case TK_SLASH_EQ: return OP_DIV;
    case TK_PERCENT: case TK_PERCENT_EQ: return OP_MOD;
    case TK_AMP: return OP_BAND;
    case TK_PIPE: return OP_BOR;
    case TK_CARET: return OP_BXOR;
    case TK_SHL: return OP_SHL;
    case TK_SHR: return OP_SHR;
    case TK_EQEQ: return OP_EQ;
    case TK_NE: return OP_NE;
    case TK_LT: return OP_LT;
    case TK_LE: return OP_LE;
    case TK_GT: return OP_GT;
    default: return OP_GE;
  }
}

static void expr_code(Compiler *c, Node *n);

// Compiles n with its source text as the span of the code it emits (the
// traceback's carets); an operator is emitted after its operands, so it
// gets the whole expression's.
static void with_span(Compiler *c, Node *n, void (*compile)(Compiler *, Node *)) {
  int start = c->fn->cur_start, end = c->fn->cur_end;
  c->fn->cur_start = n->span.off;
  c->fn->cur_end = n->span.off + n->span.len;
  compile(c, n);
  c->fn->cur_start = start;
  c->fn->cur_end = end;
}

static void expr(Compiler *c, Node *n) { with_span(c, n, expr_code); }

static void expr_code(Compiler *c, Node *n) {
  Span at = n->span;
  switch (n->kind) {
    case ND_INT: emit_const(c, alloc_int(n->ival), at); return;
    case ND_FLOAT: emit_const(c, alloc_float(n->fval), at); return;
    case ND_STR: {
      StrObj *s = str_intern(n->sval, (int64_t)n->slen);
      INCREF(s);
      emit_const(c, (Obj *)s, at);
      return;
    }
    case ND_BOOL: emit_op(c, n->bval ? OP_TRUE : OP_FALSE, at.line); return;
    case ND_NONE: emit_op(c, OP_NONE, at.line); return;
    case ND_SOME: expr(c, n->lhs); emit_op(c, OP_SOME, at.line); return;
    case ND_NAME: name_expr(c, n); return;
    case ND_PATH: path_expr(c, n->enum_name, n->name, at); return;
    case ND_LIST:
      exprs(c, n->items, n->nitems);
      emit_op16(c, OP_BUILD_LIST, n->nitems, at);
      adjust_stack(c, 1 - n->nitems);
      return;
    case ND_LIST_REPEAT:
      expr(c, n->lhs);
      expr(c, n->rhs);
      emit_op(c, OP_LIST_REPEAT, at.line);
      return;
    case ND_MAP:
      for (int i = 0; i < n->nitems; i++) {
        expr(c, n->items[i]);
        expr(c, n->values[i]);
      }
      emit_op16(c, OP_BUILD_MAP, n->nitems, at);
      adjust_stack(c, 1 - 2 * n->nitems);
      return;
    case ND_TUPLE:
      exprs(c, n->items, n->nitems);
      emit_op16(c, OP_BUILD_TUPLE, n->nitems, at);
      adjust_stack(c, 1 - n->nitems);
      return;
    case ND_STRUCT_LIT: struct_lit(c, n); return;
    case ND_UNARY:
      expr(c, n->lhs);
      // `&e` and `&mut e` share the object: in interp mode a reference is
      // just another pointer to it (SPEC §6).
      if (n->op == TK_MINUS) emit_op(c, OP_NEG, at.line);
      else if (n->op == TK_BANG) emit_op(c, OP_NOT, at.line);
      return;
    case ND_BINARY:
      if (n->op == TK_AMPAMP || n->op == TK_PIPEPIPE) {
        expr(c, n->lhs);
        int j = emit_jump(c, n->op == TK_AMPAMP ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP, at);
        expr(c, n->rhs);
        patch_jump(c, j, at);
        return;
      }
      expr(c, n->lhs);
      expr(c, n->rhs);
      emit_op(c, binary_op(n->op), at.line);
      return;
    case ND_CALL: call_expr(c, n); return;
    case ND_METHOD: method_expr(c, n); return;
    case ND_INDEX:
      expr(c, n->lhs);
      expr(c, n->rhs);
      emit_op(c, OP_INDEX, at.line);
      return;
    case ND_FIELD:
      expr(c, n->lhs);
      emit_op16(c, OP_GET_FIELD, bc_add_const(c->fn, interned(n->name)), at);
      return;
    case ND_TUPLE_INDEX:
      expr(c, n->lhs);
      if (n->ival > 0xffff) {
        emit_raise(c, RT_INDEX, at, "tuple index out of range");
        return;
      }
      emit_op16(c, OP_TUPLE_GET, (int)n->ival, at);
      return;
    case ND_SPAWN: spawn_expr(c, n); return;
    default:
      // Statements never reach here: the parser only builds expressions in
      // expression position.
      emit_op(c, OP_NONE, at.line);
      return;
  }
}

// ---- statements --------------------------------------------------------------------------

static void let_stmt(Compiler *c, Node *n) {
  if (n->lhs) {
    expr(c, n->lhs);  // before declaring: `let x = x + 1` reads the outer x
    Local *l = declare(c, n->name, false);
    emit_op16(c, OP_STORE, l->slot, n->span);
  } else {
    // In a loop the slot still holds the last iteration's value: clear it.
    Local *l = declare(c, n->name, true);
    emit_op16(c, OP_CLEAR, l->slot, n->span);
  }
}

static bool is_call(const Node *n, const void *arg) {
  (void)arg;
  return n->kind == ND_CALL || n->kind == ND_METHOD || n->kind == ND_SPAWN;
}

static void assign_stmt(Compiler *c, Node *n) {
  Node *t = n->lhs;
  bool compound = n->op != TK_EQ;
  Span at = n->span;
  Local *x = compound && t->kind == ND_NAME ? resolve_local(c, t->name) : NULL;
  if (x && !x->deferred && !ast_any(n->rhs, is_call, NULL)) {
    // x op= e where x always has a value and e calls nothing: nothing in e
    // can change x and reading x cannot fail, so reading it first is the
    // same as reading it after e (SPEC §4), with no ROT to put them in order.
    load_local(c, x, t->span);
    expr(c, n->rhs);
    emit_op(c, binary_op(n->op), at.line);
    emit_op16(c, OP_STORE, x->slot, at);
    return;
  }
  expr(c, n->rhs);  // the right-hand side first (SPEC §4)
  switch (t->kind) {
    case ND_NAME: {
      Local *l = resolve_local(c, t->name);
      if (!l) {
        char msg[NAME_ERROR_MAX];
        if (ast_find_const(c->prog, t->name))
          emit_raise(c, RT_TYPE, at, "cannot assign to const '%s'", t->name);
        else
          emit_raise(c, RT_NAME, at, "%s", name_error(c, t->name, msg));
        emit_op(c, OP_POP, at.line);
        return;
      }
      if (compound) {  // x op= e  →  e, x, ROT 1, OP  → x op e
        load_local(c, l, t->span);
        emit_op(c, OP_ROT, at.line);
        bc_emit(c->fn, 1, at.line);
        emit_op(c, binary_op(n->op), at.line);
      }
      emit_op16(c, OP_STORE, l->slot, at);
      return;
    }
    case ND_INDEX:
      expr(c, t->lhs);
      expr(c, t->rhs);
      if (compound) {  // e, v, i → e, v, i, v[i] → v, i, v[i], e → v, i, v[i] op e
        emit_op(c, OP_DUP2, at.line);
        emit_op(c, OP_INDEX, at.line);
        emit_op(c, OP_ROT, at.line);
        bc_emit(c->fn, 3, at.line);
        emit_op(c, binary_op(n->op), at.line);
      } else {  // e, v, i → v, i, e
        emit_op(c, OP_ROT, at.line);
        bc_emit(c->fn, 2, at.line);
      }
      emit_op(c, OP_STORE_INDEX, at.line);
      return;
    case ND_FIELD: {
      int name = bc_add_const(c->fn, interned(t->name));
      expr(c, t->lhs);
      if (compound) {  // e, s → e, s, s.f → s, s.f, e → s, s.f op e
        emit_op(c, OP_DUP, at.line);
        emit_op16(c, OP_GET_FIELD, name, at);
        emit_op(c, OP_ROT, at.line);
        bc_emit(c->fn, 2, at.line);
        emit_op(c, binary_op(n->op), at.line);
      } else {  // e, s → s, e
        emit_op(c, OP_ROT, at.line);
        bc_emit(c->fn, 1, at.line);
      }
      emit_op16(c, OP_SET_FIELD, name, at);
      return;
    }
    default:
      // t.0 = e: tuples are immutable in both modes (SPEC §5).
      expr(c, t);
      emit_raise(c, RT_TYPE, at, "'tuple' object does not support item assignment");
      emit_op(c, OP_POP, at.line);
      emit_op(c, OP_POP, at.line);
      return;
  }
}

static void if_stmt(Compiler *c, Node *n) {
  expr(c, n->cond);
  int to_else = emit_jump(c, OP_JUMP_IF_FALSE, n->span);
  block(c, n->then);
  if (!n->els) {
    patch_jump(c, to_else, n->span);
    return;
  }
  int to_end = emit_jump(c, OP_JUMP, n->span);
  patch_jump(c, to_else, n->span);
  if (n->els->kind == ND_IF) if_stmt(c, n->els);
  else block(c, n->els);
  patch_jump(c, to_end, n->span);
}

static void begin_loop(Compiler *c, Loop *loop, int continue_target) {
  memset(loop, 0, sizeof *loop);
  loop->outer = c->loop;
  loop->continue_target = continue_target;
  loop->stack = c->stack;
  c->loop = loop;
}

// Patches the loop's breaks to here and its pending continues to `cont`.
static void end_loop(Compiler *c, Loop *loop, Span at) {
  for (int i = 0; i < loop->nbreaks; i++) patch_jump(c, loop->breaks[i], at);
  free(loop->breaks);
  free(loop->continues);
  c->loop = loop->outer;
}

static void patch_continues(Compiler *c, Loop *loop, Span at) {
  for (int i = 0; i < loop->ncontinues; i++) patch_jump(c, loop->continues[i], at);
  loop->ncontinues = 0;
}

static void while_stmt(Compiler *c, Node *n) {
  Loop loop;
  int top = c->fn->len;
  begin_loop(c, &loop, top);
  expr(c, n->cond);
  int exit = emit_jump(c, OP_JUMP_IF_FALSE, n->span);
  block(c, n->body);
  emit_loop(c, top, n->span);
  patch_jump(c, exit, n->span);
  end_loop(c, &loop, n->span);
}

// The part both `for` loops share: `HEAD slot exit; STORE name; body`, with
// `name` scoped to the body. Returns the exit jump's operand, to be patched.
static int for_head_and_body(Compiler *c, Node *n, OpCode head, int slot) {
  emit_op16(c, head, slot, n->span);
  int exit = c->fn->len;
  bc_emit16(c->fn, 0xffff, n->span.line);
  begin_scope(c);
  emit_op16(c, OP_STORE, declare(c, n->name, false)->slot, n->span);
  block(c, n->body);
  end_scope(c);
  return exit;
}

// for name in lo..hi { body }:
//        lo; STORE .i; hi; STORE .end
//   top: FOR_RANGE .i exit; STORE name; body
//  cont: INCR .i; LOOP top
//  exit:
static void for_range_stmt(Compiler *c, Node *n) {
  begin_scope(c);
  int counter = hidden_slot(c, ".i");
  int end = hidden_slot(c, ".end");
  expr(c, n->lhs);
  emit_op16(c, OP_STORE, counter, n->span);
  expr(c, n->rhs);
  emit_op16(c, OP_STORE, end, n->span);
  Loop loop;
  int top = c->fn->len;
  begin_loop(c, &loop, -1);
  int exit = for_head_and_body(c, n, OP_FOR_RANGE, counter);
  patch_continues(c, &loop, n->span);
  emit_op16(c, OP_INCR, counter, n->span);
  emit_loop(c, top, n->span);
  patch_jump(c, exit, n->span);  // FOR_RANGE's push was stored into `name`
  end_loop(c, &loop, n->span);
  end_scope(c);
}

// for name in e { body }:
//        e; GET_ITER; STORE .iter
//   top: FOR_ITER .iter exit; STORE name; body; LOOP top
//  exit: CLEAR .iter
static void for_in_stmt(Compiler *c, Node *n) {
  begin_scope(c);
  int it = hidden_slot(c, ".iter");
  expr(c, n->lhs);
  emit_op(c, OP_GET_ITER, n->span.line);
  emit_op16(c, OP_STORE, it, n->span);
  Loop loop;
  int top = c->fn->len;
  begin_loop(c, &loop, top);
  int exit = for_head_and_body(c, n, OP_FOR_ITER, it);
  emit_loop(c, top, n->span);
  patch_jump(c, exit, n->span);
  end_loop(c, &loop, n->span);
  emit_op16(c, OP_CLEAR, it, n->span);  // let the list go as soon as the loop ends
  end_scope(c);
}

static void break_continue(Compiler *c, Node *n) {
  Loop *loop = c->loop;
  bool is_break = n->kind == ND_BREAK;
  if (!loop) return;  // the parser has reported it (L0110)
  if (is_break) {
    PUSH_BACK(loop->breaks, loop->nbreaks, emit_jump(c, OP_JUMP, n->span));
  } else if (loop->continue_target >= 0) {
    emit_loop(c, loop->continue_target, n->span);
  } else {
    PUSH_BACK(loop->continues, loop->ncontinues, emit_jump(c, OP_JUMP, n->span));
  }
}

// match e { arms }: the value goes to a hidden slot; each arm tests it in turn.
// A value no arm matches falls through silently (SPEC §4, interp mode).
static void match_stmt(Compiler *c, Node *n) {
  begin_scope(c);
  int v = hidden_slot(c, ".match");
  expr(c, n->lhs);
  emit_op16(c, OP_STORE, v, n->span);
  int *ends = NULL, nends = 0;
  for (int i = 0; i < n->nitems; i++) {
    Node *arm = n->items[i];
    Pattern *p = arm->pat;
    int next = -1;
    begin_scope(c);
    switch (p->kind) {
      case PAT_WILD:
        break;
      case PAT_SOME:
        emit_op16(c, OP_LOAD, v, p->span);
        next = emit_jump(c, OP_MATCH_SOME, p->span);
        if (p->name) emit_op16(c, OP_STORE, declare(c, p->name, false)->slot, p->span);
        else emit_op(c, OP_POP, p->span.line);
        break;
      default:
        emit_op16(c, OP_LOAD, v, p->span);
        switch (p->kind) {
          case PAT_INT: emit_const(c, alloc_int(p->ival), p->span); break;
          case PAT_STR: emit_const(c, str_new(p->sval, (int64_t)p->slen), p->span); break;
          case PAT_BOOL: emit_op(c, p->bval ? OP_TRUE : OP_FALSE, p->span.line); break;
          case PAT_NONE: emit_op(c, OP_NONE, p->span.line); break;
          default: path_expr(c, p->enum_name, p->name, p->span); break;
        }
        emit_op(c, OP_EQ, p->span.line);
        next = emit_jump(c, OP_JUMP_IF_FALSE, p->span);
        break;
    }
    if (arm->body->kind == ND_BLOCK) block(c, arm->body);
    else stmt(c, arm->body);
    end_scope(c);
    PUSH_BACK(ends, nends, emit_jump(c, OP_JUMP, arm->span));
    if (next >= 0) patch_jump(c, next, arm->span);
  }
  for (int i = 0; i < nends; i++) patch_jump(c, ends[i], n->span);
  free(ends);
  emit_op16(c, OP_CLEAR, v, n->span);
  end_scope(c);
}

static void stmt_code(Compiler *c, Node *n);
static void stmt(Compiler *c, Node *n) { with_span(c, n, stmt_code); }

static void stmt_code(Compiler *c, Node *n) {
  switch (n->kind) {
    case ND_LET: let_stmt(c, n); return;
    case ND_ASSIGN: assign_stmt(c, n); return;
    case ND_EXPR_STMT:
      expr(c, n->lhs);
      emit_op(c, OP_POP, n->span.line);
      return;
    case ND_IF: if_stmt(c, n); return;
    case ND_WHILE: while_stmt(c, n); return;
    case ND_FOR_RANGE: for_range_stmt(c, n); return;
    case ND_FOR_IN: for_in_stmt(c, n); return;
    case ND_BREAK: case ND_CONTINUE: break_continue(c, n); return;
    case ND_RETURN:
      if (n->lhs) {
        expr(c, n->lhs);
        emit_op(c, OP_RETURN, n->span.line);
      } else {
        emit_op(c, OP_RETURN_NONE, n->span.line);
      }
      return;
    case ND_MATCH: match_stmt(c, n); return;
    case ND_BLOCK: block(c, n); return;
    default:
      // An expression in statement position (the parser wraps these in
      // ND_EXPR_STMT, but be tolerant).
      expr(c, n);
      emit_op(c, OP_POP, n->span.line);
      return;
  }
}

static void block(Compiler *c, Node *n) {
  begin_scope(c);
  for (int i = 0; i < n->nitems; i++) stmt(c, n->items[i]);
  end_scope(c);
}

// ---- items -------------------------------------------------------------------------------

static void start_function(Compiler *c, Function *f) {
  c->fn = f;
  pop_locals(c, -1);
  c->depth = 0;
  c->stack = 0;
  c->loop = NULL;
  c->too_large = false;
}

static void compile_fn(Compiler *c, FnDecl *d, Function *f) {
  start_function(c, f);
  begin_scope(c);
  for (int i = 0; i < d->nparams; i++) declare(c, d->params[i].name, false);
  block(c, d->body);
  emit_op(c, OP_RETURN_NONE, d->body->end_line);  // falling off the end (`}`) returns None
  end_scope(c);
}

BcProgram *bc_compile(Program *prog, DiagSink *sink) {
  int errors_before = sink->total;
  BcProgram *out = rt_xcalloc(1, sizeof *out);
  out->path = rt_xstrdup(prog->src->path);
  out->text = prog->src->text;
  out->main_fn = -1;
  Compiler c = {.prog = prog, .sink = sink, .out = out, .suggest_budget = 1000000};

  // Declare every item first: items may be used before they are written.
  for (int i = 0; i < prog->nitems; i++) {
    Item *it = prog->items[i];
    switch (it->kind) {
      case IT_FN: {
        Function *f = bc_function_new(it->fn.name, it->fn.span.line);
        f->arity = it->fn.nparams;
        if (strcmp(it->fn.name, "main") == 0) out->main_fn = out->nfns;
        PUSH_BACK(out->fns, out->nfns, f);
        break;
      }
      case IT_STRUCT: {
        const char **names = rt_xcalloc(1, sizeof(char *) * (size_t)it->st.nfields + 1);
        for (int k = 0; k < it->st.nfields; k++) names[k] = it->st.fields[k].name;
        PUSH_BACK(out->structs, out->nstructs, structdef_new(it->st.name, it->st.nfields, names));
        free(names);
        break;
      }
      case IT_ENUM:
        PUSH_BACK(out->enums, out->nenums,
                  enumdef_new(it->en.name, it->en.nvariants, (const char *const *)it->en.variants));
        break;
      case IT_CONST:  // compiled inline where used
        break;
    }
  }
  for (int i = 0, f = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) compile_fn(&c, &prog->items[i]->fn, out->fns[f++]);
  free(c.locals);
  free(c.names);
  free(c.expanding);
  if (out->main_fn < 0 && sink->total == errors_before) {
    Span start = {0, 0, 1, 1};  // the parser reports this first; kept for safety
    diag_error(sink, "L0108", start, "`main` function not found");
  }
  if (sink->total > errors_before) {
    bc_program_free(out);
    return NULL;
  }
  return out;
}
