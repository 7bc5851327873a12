// vm.c — the interp-mode bytecode interpreter (SPEC §6).
//
// A stack machine in the manner of CPython's ceval.c and clox's vm.c. Each
// call gets a Frame whose slots (parameters, locals, hidden temps) sit at the
// bottom of its part of the one value stack, with its operand stack above.
// Every stack slot holds an owned reference (or NULL for a local not yet
// assigned); popping a value transfers that reference.
//
// The dispatch loop keeps ip, sp, slots and the constant table in locals
// (registers) and uses computed goto where the C compiler has it. The common
// int cases of arithmetic and comparison are inlined; everything else calls
// into the object layer (vm/ops.c), which raises Python-style errors. An
// error unwinds nothing: the traceback is printed from the frames as they
// stand and the run ends with exit code 1.
//
// Immortal objects (small ints, true, false, None) are pushed without an
// INCREF on the fast paths: their count is never trusted (see object.h).
#include "vm.h"
#include "alloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "builtins.h"
#include "format.h"
#include "gc.h"
#include "gil.h"
#include "xalloc.h"
#include "list.h"
#include "methods.h"
#include "builtin_fns.h"
#include "ops.h"
#include "specialize.h"
#include "objlock.h"
#include "table.h"
#include "tracer.h"

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef struct Frame {
  Function *fn;
  uint8_t *ip;       // saved while this frame is not the running one
  Obj **slots;
  size_t base;       // slots - stack, to re-point slots when the stack moves
} Frame;

// One per thread: everything the dispatch loop changes as it runs (the
// value stack, the frames and so the recursion depth) is here, never in a
// global. The object layer's per-thread state (the pending error,
// obj_walk_depth) is _Thread_local there; all other VM-wide state (pools,
// generations, interned strings, the thread registry below) is shared and
// guarded by the GIL.
typedef struct VM {
  BcProgram *prog;
  Obj **stack;
  size_t stack_cap;
  Frame *frames;
  int nframes, cap_frames;
  int recursion_limit;
  int thread_id;     // 0 for main, 1, 2, ... for spawned threads in spawn order
  const char *thread_fn;
} VM;

static void vm_init(VM *vm, BcProgram *p, int recursion_limit) {
  memset(vm, 0, sizeof *vm);
  vm->prog = p;
  vm->recursion_limit = recursion_limit;
  vm->stack_cap = 1 << 14;
  vm->stack = rt_xmalloc(vm->stack_cap * sizeof(Obj *));
  vm->cap_frames = 64;
  vm->frames = rt_xmalloc((size_t)vm->cap_frames * sizeof(Frame));
}

static void vm_free(VM *vm) {
  free(vm->stack);
  free(vm->frames);
}

#ifdef LAB_FUZZ
long vm_fuzz_steps = -1;  // set by the harness before each run; see DISPATCH
#endif

// --no-small-int-cache clears obj_small_int_cache: then alloc_int allocates.
static inline Obj *make_int(int64_t x) {
  if ((uint64_t)x - (uint64_t)SMALL_INT_MIN <= (uint64_t)(SMALL_INT_MAX - SMALL_INT_MIN) &&
      __builtin_expect(obj_small_int_cache, 1))
    return (Obj *)&obj_small_ints[x - SMALL_INT_MIN];
  return alloc_int(x);
}

// Makes room for `need` more values above sp, moving the stack if it must.
static Obj **grow_stack(VM *vm, Obj **sp, size_t need) {
  size_t used = (size_t)(sp - vm->stack);
  size_t cap = vm->stack_cap;
  while (cap < used + need) cap *= 2;
  Obj **stack = rt_xrealloc(vm->stack, cap * sizeof(Obj *));
  vm->stack = stack;
  vm->stack_cap = cap;
  for (int i = 0; i < vm->nframes; i++) vm->frames[i].slots = stack + vm->frames[i].base;
  return stack + used;
}

static int frame_line(Frame *f) {
  long off = (long)(f->ip - f->fn->code) - 1;
  return off >= 0 && off < f->fn->len ? f->fn->lines[off] : f->fn->line;
}

static bool same_place(Frame *a, Frame *b) { return a->fn == b->fn && frame_line(a) == frame_line(b); }

// Display columns of text[from, to): one per character.
static int columns(const char *text, int from, int to) { return (int)rt_utf8_chars(text + from, (size_t)(to - from)); }

// Under a traceback entry, as CPython 3.11 prints it: the frame's source
// line without its indentation, then carets under the expression that
// failed — unless that expression is the whole line.
static void print_source_line(const VM *vm, Frame *f) {
  const char *text = vm->prog->text;
  long at = (long)(f->ip - f->fn->code) - 1;
  if (!text || at < 0 || at >= f->fn->len) return;
  int line = f->fn->lines[at], start = 0;
  for (int l = 1; l < line && text[start]; start++)
    if (text[start] == '\n') l++;
  int end = start;
  while (text[end] && text[end] != '\n') end++;
  while (start < end && (text[start] == ' ' || text[start] == '\t')) start++;
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) end--;
  if (start == end) return;
  // A very long line (generated code, a minified blob) is cut, so that a
  // traceback stays a few lines whatever the source.
  enum { SHOWN_MAX = 200 };
  bool cut = end - start > SHOWN_MAX;
  fprintf(stderr, "    %.*s%s\n", cut ? SHOWN_MAX : end - start, text + start, cut ? "…" : "");
  int from = f->fn->starts[at], to = f->fn->ends[at];
  if (from < start) from = start;
  if (to > end) to = end;
  // The whole line: nothing but `;`, blanks or a comment after it.
  int rest = to;
  while (rest < end && (text[rest] == ';' || text[rest] == ' ' || text[rest] == '\t')) rest++;
  bool whole = from == start && (rest == end || (rest + 1 < end && text[rest] == '/' && text[rest + 1] == '/'));
  if (cut && to > start + SHOWN_MAX) to = start + SHOWN_MAX;
  if (from >= to || whole) return;
  fprintf(stderr, "    %*s", columns(text, start, from), "");
  for (int i = columns(text, from, to); i > 0; i--) fputc('^', stderr);
  fputc('\n', stderr);
}

// Prints the traceback of the frames as they stand, then the pending error.
// A run of more than three identical entries (deep recursion) is folded, as
// CPython folds it.
static void print_traceback(VM *vm) {
  fflush(stdout);
  if (vm->thread_id > 0) fprintf(stderr, "Exception in thread %d (%s):\n", vm->thread_id, vm->thread_fn);
  fprintf(stderr, "Traceback (most recent call last):\n");
  for (int i = 0; i < vm->nframes;) {
    int j = i + 1;
    while (j < vm->nframes && same_place(&vm->frames[j], &vm->frames[i])) j++;
    for (int k = i; k < j && k < i + 3; k++) {
      fprintf(stderr, "  File \"%s\", line %d, in %s\n", vm->prog->path, frame_line(&vm->frames[k]),
              vm->frames[k].fn->name);
      print_source_line(vm, &vm->frames[k]);
    }
    if (j - i > 3) fprintf(stderr, "  [Previous line repeated %d more times]\n", j - i - 3);
    i = j;
  }
  boundary_traceback(stderr, vm->prog->path);
  fprintf(stderr, "%s: %s\n", rt_error_name(obj_error_kind()), obj_error_msg());
}

// The thread machinery, below run().
typedef struct VmThread VmThread;
static _Thread_local VmThread *pending_joins;
static void run_pending_joins(void);
#ifdef LAB_COUNTED
// `lab trace` (vm/tracer.c): a step when the main thread starts a line — a
// line other than the last step's, in another function or frame, or the
// same line again after a jump back that ran more than the jump since the
// last step (a loop's next iteration, even one written on a single line;
// not the jump of a `for` that has just come back to its own line).
static void trace_check(VM *vm, Function *fn, uint8_t *ip) {
  static Function *last_fn;
  static int last_off = -1, last_depth;
  static long since_step;
  if (vm->thread_id != 0) return;
  int off = (int)(ip - fn->code);
  bool same_frame = fn == last_fn && vm->nframes == last_depth;
  bool back = same_frame && off <= last_off && since_step > 1;
  last_fn = fn;
  last_off = off;
  last_depth = vm->nframes;
  since_step++;
  if (lab_line == lab_trace_line && same_frame && !back) return;
  since_step = 0;
  static TraceFrame *frames;
  static int cap;
  if (vm->nframes > cap) {
    cap = vm->nframes * 2;
    frames = rt_xrealloc(frames, (size_t)cap * sizeof *frames);
  }
  for (int k = 0; k < vm->nframes; k++) {
    Frame *f = &vm->frames[k];
    bool top = k == vm->nframes - 1;
    // A caller's saved ip is past its CALL: the call's line is the byte before.
    int at = top ? off : (int)(f->ip - f->fn->code) - 1;
    frames[k] = (TraceFrame){top ? fn : f->fn, (top ? fn : f->fn)->lines[at > 0 ? at : 0], f->slots};
  }
  tracer_step(lab_line, frames, vm->nframes);
}
#endif

static Obj *spawn_thread(Function *fn, Obj **args, int nargs);
static Obj *join_thread(ThreadObj *t);
static void eval_break(void);

// The safe points' test (vm/gil.h): one relaxed load, zero on the fast path.
#define EVAL_BREAKER()                                        \
  do {                                                        \
    if (UNLIKELY(gil_breaker_load())) eval_break();           \
  } while (0)

// Runs `entry` to completion with the `nargs` arguments at `args` (their
// references are stolen). Returns its result, or NULL after printing a
// traceback.
static Obj *run(VM *vm, Function *entry, Obj **args, int nargs) {
  Obj **sp = vm->stack;
  Function *fn = entry;
  Obj **slots = sp;
  uint8_t *ip = fn->code;
  Obj **consts = fn->consts;
  Function **fns = vm->prog->fns;
  Frame *frame;
  int entry_depth = vm->nframes;

  if ((size_t)fn->nlocals + (size_t)fn->max_stack + 1 > vm->stack_cap) sp = slots = grow_stack(vm, sp, (size_t)fn->nlocals + (size_t)fn->max_stack + 1);
  for (int i = 0; i < nargs; i++) *sp++ = args[i];
  for (int i = nargs; i < fn->nlocals; i++) *sp++ = NULL;
  frame = &vm->frames[vm->nframes++];
  frame->fn = fn;
  frame->slots = slots;
  frame->base = 0;

#define READ8() (*ip++)
#define READ16() (ip += 2, (uint16_t)(ip[-2] | (ip[-1] << 8)))
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])

#if defined(__GNUC__) && !defined(LAB_SWITCH_DISPATCH)
  static void *const targets[OP_COUNT] = {
#define OPCODE_TARGET(name, operands, effect, doc, costs) &&L_##name,
      OPCODES(OPCODE_TARGET)
#undef OPCODE_TARGET
  };
#ifdef LAB_COUNTED  // every instruction counted, on its line (vm/counters.h)
#define DISPATCH() do { lab_line = fn->lines[ip - fn->code]; if (UNLIKELY(lab_tracing)) trace_check(vm, fn, ip); LAB_COUNT(bytecodes); goto *targets[*ip++]; } while (0)
#else
#define DISPATCH() goto *targets[*ip++]
#endif
#ifdef LAB_FUZZ  // tests/fuzz/lf/fuzz_vm.c: a step budget, so that no input can hang the fuzzer
#undef DISPATCH
#define DISPATCH() do { if (UNLIKELY(--vm_fuzz_steps < 0)) goto fuzz_out; goto *targets[*ip++]; } while (0)
#endif
#define CASE(name) L_##name:
  DISPATCH();
#else
#ifdef LAB_COUNTED
#define DISPATCH() do { lab_line = fn->lines[ip - fn->code]; if (UNLIKELY(lab_tracing)) trace_check(vm, fn, ip); LAB_COUNT(bytecodes); goto dispatch; } while (0)
#else
#define DISPATCH() goto dispatch
#endif
#define CASE(name) case OP_##name:
dispatch:
  switch ((OpCode)*ip++) {
#endif

// The bodies of CONST, LOAD and STORE, which the superinstructions below
// put together.
#define DO_CONST(k) do { Obj *v_ = consts[(k)]; INCREF(v_); PUSH(v_); } while (0)
#define DO_LOAD(a) do { Obj *v_ = slots[(a)]; INCREF(v_); PUSH(v_); } while (0)
#define DO_STORE(a) do { uint16_t a_ = (a); Obj *old_ = slots[a_]; slots[a_] = POP(); XDECREF(old_); } while (0)
  CASE(CONST) {
    DO_CONST(READ16());
    DISPATCH();
  }
  CASE(NONE) { PUSH(NONE); DISPATCH(); }
  CASE(TRUE) { PUSH(TRUE_OBJ); DISPATCH(); }
  CASE(FALSE) { PUSH(FALSE_OBJ); DISPATCH(); }
  CASE(POP) {
    Obj *v = POP();
    DECREF(v);
    DISPATCH();
  }
  CASE(DUP) {
    Obj *v = TOP();
    INCREF(v);
    PUSH(v);
    DISPATCH();
  }
  CASE(DUP2) {
    // Two 8-byte loads, never one 16-byte load: gcc's vectorizer merges
    // them, and a load spanning the two separate stores that just pushed
    // them cannot be forwarded from the store buffer: a stall of a dozen
    // cycles, 16% of nbody's time (each `v[i] -= x` runs a DUP2).
    Obj *volatile const *s = sp;
    Obj *a = s[-2], *b = s[-1];
    INCREF(a);
    INCREF(b);
    PUSH(a);
    PUSH(b);
    DISPATCH();
  }
  CASE(ROT) {
    // n is 1..3 (compile.c's compound assignments), unrolled: gcc turns a
    // loop into a call to memmove, 7% of nbody's time.
    int n = READ8();
    Obj **p = sp - 1 - n, *v = *p;
    switch (n) {
    case 3: p[0] = p[1], p++; /* fall through */
    case 2: p[0] = p[1], p++; /* fall through */
    default: p[0] = p[1];
    }
    sp[-1] = v;
    DISPATCH();
  }
  CASE(LOAD) {
    DO_LOAD(READ16());
    DISPATCH();
  }
  // Superinstructions (CPython 3.11's LOAD_FAST__LOAD_FAST and kin): an
  // instruction and the one after it, on the same line, in one dispatch
  // (formed by spec_prepare). The second stays as it was, for a jump that
  // lands on it; the first runs it and steps over it. A counted run counts
  // both, as it would without them.
#define SECOND(op) (ip++, LAB_COUNT(bytecodes))
  CASE(LOAD_LOAD) {
    DO_LOAD(READ16());
    SECOND(LOAD);
    DO_LOAD(READ16());
    DISPATCH();
  }
  CASE(LOAD_CONST) {
    DO_LOAD(READ16());
    SECOND(CONST);
    DO_CONST(READ16());
    DISPATCH();
  }
  CASE(STORE_LOAD) {
    DO_STORE(READ16());
    SECOND(LOAD);
    DO_LOAD(READ16());
    DISPATCH();
  }
#undef SECOND
  CASE(LOAD_CHECKED) {
    uint16_t a = READ16();
    Obj *v = slots[a];
    if (!v) {
      obj_raise(RT_UNBOUND_LOCAL, "cannot access local variable '%s' where it is not associated with a value",
                fn->slot_names[a]);
      goto error;
    }
    INCREF(v);
    PUSH(v);
    DISPATCH();
  }
  CASE(STORE) {
    DO_STORE(READ16());
    DISPATCH();
  }
  CASE(CLEAR) {
    uint16_t a = READ16();
    Obj *old = slots[a];
    slots[a] = NULL;
    XDECREF(old);
    DISPATCH();
  }

// Arithmetic: ints that do not overflow stay inline; everything else —
// floats, strings, overflow and type errors — is the object layer's.
#define BINARY(name, binop, int_case, adaptive)                              \
  CASE(name) {                                                              \
    Obj *b = sp[-1], *a = sp[-2], *r;                                       \
    int64_t x, y, z;                                                        \
    if (adaptive) spec_tick(fn, ip - 1, sp);                                \
    if (a->type == T_INT && b->type == T_INT) {                             \
      x = int_value(a);                                                     \
      y = int_value(b);                                                     \
      if (int_case) r = make_int(z);                                        \
      else if (!(r = ops_binary(binop, a, b))) goto error;                  \
    } else if (!(r = ops_binary(binop, a, b))) {                            \
      goto error;                                                           \
    }                                                                       \
    sp--;                                                                   \
    sp[-1] = r;                                                             \
    DECREF(a);                                                              \
    DECREF(b);                                                              \
    DISPATCH();                                                             \
  }
  BINARY(ADD, BIN_ADD, !__builtin_add_overflow(x, y, &z), 1)
  BINARY(SUB, BIN_SUB, !__builtin_sub_overflow(x, y, &z), 1)
  BINARY(MUL, BIN_MUL, !__builtin_mul_overflow(x, y, &z), 1)
  BINARY(DIV, BIN_DIV, (y != 0 && !(x == INT64_MIN && y == -1) && ((z = x / y), 1)), 1)
  BINARY(MOD, BIN_MOD, (y != 0 && !(x == INT64_MIN && y == -1) && ((z = x % y), 1)), 0)
  BINARY(BAND, BIN_AND, ((z = x & y), 1), 0)
  BINARY(BOR, BIN_OR, ((z = x | y), 1), 0)
  BINARY(BXOR, BIN_XOR, ((z = x ^ y), 1), 0)
  BINARY(SHL, BIN_SHL, (y >= 0 && y < 64 && ((z = (int64_t)((uint64_t)x << y)), 1)), 0)
  BINARY(SHR, BIN_SHR, (y >= 0 && y < 64 && ((z = x >> y), 1)), 0)
#undef BINARY

// The specialized forms (PEP 659, vm/specialize.h), all of one shape: two
// operands a and b; when `guard` holds, the fast path (the rest of the
// arguments: it sets r); on a miss the instruction goes back to `generic`
// and this execution takes the generic path, `slow` (NULL after raising).
#define SPECIALIZED(name, generic, family, guard, slow, ...)                 \
  CASE(name) {                                                              \
    Obj *b = sp[-1], *a = sp[-2], *r;                                       \
    if (guard) {                                                            \
      SPEC_HIT(family);                                                     \
      __VA_ARGS__;                                                          \
    } else {                                                                \
      spec_deopt(fn, ip - 1, OP_##generic, family);                         \
      if (!(r = slow)) goto error;                                          \
    }                                                                       \
    sp--;                                                                   \
    sp[-1] = r;                                                             \
    DECREF(a);                                                              \
    DECREF(b);                                                              \
    DISPATCH();                                                             \
  }
#define INTS (a->type == T_INT && b->type == T_INT)
#define FLOATS (a->type == T_FLOAT && b->type == T_FLOAT)
#define BINARY_INT(name, generic, binop, int_case)                           \
  SPECIALIZED(name, generic, SPEC_BINARY, INTS, ops_binary(binop, a, b),    \
              int64_t x = int_value(a), y = int_value(b), z;                 \
              if (int_case) r = make_int(z);                                 \
              else if (!(r = ops_binary(binop, a, b))) goto error)
  BINARY_INT(ADD_INT, ADD, BIN_ADD, !__builtin_add_overflow(x, y, &z))
  BINARY_INT(SUB_INT, SUB, BIN_SUB, !__builtin_sub_overflow(x, y, &z))
  BINARY_INT(MUL_INT, MUL, BIN_MUL, !__builtin_mul_overflow(x, y, &z))
#undef BINARY_INT
  SPECIALIZED(ADD_FLOAT, ADD, SPEC_BINARY, FLOATS, ops_binary(BIN_ADD, a, b), r = alloc_float(float_value(a) + float_value(b)))
  SPECIALIZED(SUB_FLOAT, SUB, SPEC_BINARY, FLOATS, ops_binary(BIN_SUB, a, b), r = alloc_float(float_value(a) - float_value(b)))
  SPECIALIZED(MUL_FLOAT, MUL, SPEC_BINARY, FLOATS, ops_binary(BIN_MUL, a, b), r = alloc_float(float_value(a) * float_value(b)))
  SPECIALIZED(DIV_FLOAT, DIV, SPEC_BINARY, FLOATS, ops_binary(BIN_DIV, a, b),
              r = alloc_float(float_value(a) / float_value(b)))

#define COMPARE(name, cmp, cmpop)                                            \
  CASE(name) {                                                              \
    Obj *b = sp[-1], *a = sp[-2], *r;                                       \
    spec_tick(fn, ip - 1, sp);                                              \
    if (a->type == T_INT && b->type == T_INT)                               \
      r = int_value(a) cmp int_value(b) ? TRUE_OBJ : FALSE_OBJ;             \
    else if (a->type == T_FLOAT && b->type == T_FLOAT)                      \
      r = float_value(a) cmp float_value(b) ? TRUE_OBJ : FALSE_OBJ;         \
    else if (!(r = ops_richcompare(cmpop, a, b)))                           \
      goto error;                                                           \
    sp--;                                                                   \
    sp[-1] = r;                                                             \
    DECREF(a);                                                              \
    DECREF(b);                                                              \
    DISPATCH();                                                             \
  }
  COMPARE(LT, <, CMP_LT)
  COMPARE(LE, <=, CMP_LE)
  COMPARE(GT, >, CMP_GT)
  COMPARE(GE, >=, CMP_GE)
#undef COMPARE
#define COMPARE_SPEC(name, generic, tag, value, cmp, cmpop)                 \
  SPECIALIZED(name, generic, SPEC_COMPARE, tag, ops_richcompare(cmpop, a, b), \
              r = value(a) cmp value(b) ? TRUE_OBJ : FALSE_OBJ)
  COMPARE_SPEC(LT_INT, LT, INTS, int_value, <, CMP_LT)
  COMPARE_SPEC(LE_INT, LE, INTS, int_value, <=, CMP_LE)
  COMPARE_SPEC(GT_INT, GT, INTS, int_value, >, CMP_GT)
  COMPARE_SPEC(GE_INT, GE, INTS, int_value, >=, CMP_GE)
  COMPARE_SPEC(LT_FLOAT, LT, FLOATS, float_value, <, CMP_LT)
  COMPARE_SPEC(LE_FLOAT, LE, FLOATS, float_value, <=, CMP_LE)
  COMPARE_SPEC(GT_FLOAT, GT, FLOATS, float_value, >, CMP_GT)
  COMPARE_SPEC(GE_FLOAT, GE, FLOATS, float_value, >=, CMP_GE)
#undef COMPARE_SPEC
  // a[b] for a list a and an in-range int b.
  SPECIALIZED(INDEX_LIST_INT, INDEX, SPEC_INDEX,
              a->type == T_LIST && b->type == T_INT && (uint64_t)int_value(b) < (uint64_t)((ListObj *)a)->len,
              ops_index(a, b), r = ((ListObj *)a)->items[int_value(b)]; INCREF(r))
#undef INTS
#undef FLOATS
#undef SPECIALIZED

  CASE(EQ)
  CASE(NE) {
    bool ne = ip[-1] == OP_NE;
    Obj *b = sp[-1], *a = sp[-2];
    int res;
    if (a->type == T_INT && b->type == T_INT) res = int_value(a) == int_value(b);
    else if ((res = ops_eq(a, b)) < 0) goto error;  // RecursionError: too deep, or a cycle
    sp--;
    sp[-1] = res != ne ? TRUE_OBJ : FALSE_OBJ;
    DECREF(a);
    DECREF(b);
    DISPATCH();
  }
  CASE(NEG) {
    Obj *a = TOP(), *r;
    if (a->type == T_INT && int_value(a) != INT64_MIN) r = make_int(-int_value(a));
    else if (!(r = ops_negate(a))) goto error;
    sp[-1] = r;
    DECREF(a);
    DISPATCH();
  }
  CASE(NOT) {
    Obj *a = TOP(), *r;
    if (a == TRUE_OBJ) r = FALSE_OBJ;
    else if (a == FALSE_OBJ) r = TRUE_OBJ;
    else if (!(r = ops_not(a))) goto error;
    sp[-1] = r;
    DECREF(a);
    DISPATCH();
  }

  CASE(JUMP) {
    uint16_t off = READ16();
    ip += off;
    DISPATCH();
  }
  CASE(LOOP) {
    uint16_t off = READ16();
    ip -= off;
    EVAL_BREAKER();  // a safe point (vm/gc.c, vm/gil.c)
    DISPATCH();
  }
  CASE(JUMP_IF_FALSE) {
    uint16_t off = READ16();
    Obj *v = POP();
    if (v == FALSE_OBJ) {
      ip += off;
    } else if (v != TRUE_OBJ) {
      bool t = ops_truthy(v);
      DECREF(v);
      if (!t) ip += off;
    }
    DISPATCH();
  }
  CASE(JUMP_IF_FALSE_OR_POP) {
    uint16_t off = READ16();
    Obj *v = TOP();
    if (!ops_truthy(v)) {
      ip += off;
    } else {
      sp--;
      DECREF(v);
    }
    DISPATCH();
  }
  CASE(JUMP_IF_TRUE_OR_POP) {
    uint16_t off = READ16();
    Obj *v = TOP();
    if (ops_truthy(v)) {
      ip += off;
    } else {
      sp--;
      DECREF(v);
    }
    DISPATCH();
  }

  CASE(CALL) {
    LAB_COUNT(calls);
    Function *callee = fns[READ16()];
    int nargs = READ8();
    EVAL_BREAKER();  // a safe point (vm/gc.c, vm/gil.c)
    if (vm->nframes >= vm->recursion_limit) {
      obj_raise(RT_RECURSION, RT_MSG_RECURSION);
      goto error;
    }
    size_t need = (size_t)(callee->nlocals - nargs) + (size_t)callee->max_stack + 1;
    if ((size_t)(sp - vm->stack) + need > vm->stack_cap) sp = grow_stack(vm, sp, need);
    if (vm->nframes == vm->cap_frames) {
      vm->cap_frames *= 2;
      vm->frames = rt_xrealloc(vm->frames, (size_t)vm->cap_frames * sizeof(Frame));
    }
    vm->frames[vm->nframes - 1].ip = ip;
    slots = sp - nargs;
    for (int i = nargs; i < callee->nlocals; i++) *sp++ = NULL;
    frame = &vm->frames[vm->nframes++];
    frame->fn = fn = callee;
    frame->slots = slots;
    frame->base = (size_t)(slots - vm->stack);
    ip = fn->code;
    consts = fn->consts;
    DISPATCH();
  }
  CASE(CALL_NATIVE) {  // --mode=hybrid: compiled code (vm/boundary.c)
    LAB_COUNT(calls);
    Function *callee = fns[READ16()];
    int nargs = READ8();
    EVAL_BREAKER();  // a safe point
    if (vm->nframes >= vm->recursion_limit) {
      obj_raise(RT_RECURSION, RT_MSG_RECURSION);
      goto error;
    }
    Obj *r = boundary_call(callee, sp - nargs, vm->nframes + 1);
    if (!r) goto error;
    while (nargs-- > 0) {
      Obj *v = POP();
      DECREF(v);
    }
    PUSH(r);
    DISPATCH();
  }
  CASE(CALL_BUILTIN) {
    int id = READ8(), nargs = READ8();
    Obj *r;
    EVAL_BREAKER();  // a safe point: a dropped handle is joined before print
    if (id == BI_gc) r = make_int(gc_collect(GC_NGENS - 1));  // a full collection, at a safe point
    else if (!(r = builtin_fns_call(id, sp - nargs, nargs))) goto error;
    while (nargs-- > 0) {
      Obj *v = POP();
      DECREF(v);
    }
    PUSH(r);
    DISPATCH();
  }
  CASE(CALL_METHOD) {
    int id = READ8(), nargs = READ8();
    StrObj *name = (StrObj *)consts[READ16()];
    Obj *recv = sp[-nargs - 1], *r;
    EVAL_BREAKER();  // a safe point
    if (recv->type == T_LIST && id == MT_push && nargs == 1) {
      // Specialized, as CPython 3.11's CALL_NO_KW_LIST_APPEND: the argument's
      // reference moves straight into the list (under its lock with the GIL off).
      obj_lock(recv);
      int failed = list_append_steal(recv, sp[-1]) < 0;
      obj_unlock(recv);
      if (failed) {
        sp--;  // the argument was released by the failed append
        goto error;
      }
      sp[-2] = NONE;  // the call's result replaces the receiver
      sp--;
      DECREF(recv);
      DISPATCH();
    }
    if (recv->type == T_THREAD && id == MT_join && nargs == 0) {
      vm->frames[vm->nframes - 1].ip = ip;
      r = join_thread((ThreadObj *)recv);  // releases the GIL while it waits
    } else if (!(r = methods_call(recv, id == 255 ? -1 : id, name->data, sp - nargs, nargs))) {
      goto error;
    }
    for (int i = 0; i <= nargs; i++) {
      Obj *v = POP();
      DECREF(v);
    }
    PUSH(r);
    DISPATCH();
  }
  CASE(RETURN) { goto do_return; }
  CASE(RETURN_NONE) {
    PUSH(NONE);
    goto do_return;
  }

  CASE(BUILD_LIST) {
    int n = READ16();
    Obj *list = list_new(n);
    if (!list) goto error;
    for (int i = 0; i < n; i++) list_append_steal(list, sp[i - n]);
    sp -= n;
    PUSH(list);
    DISPATCH();
  }
  CASE(LIST_REPEAT) {
    Obj *count = sp[-1], *x = sp[-2];
    if (count->type != T_INT) {
      obj_raise(RT_TYPE, "list length must be int, not '%s'", ops_type_name(count));
      goto error;
    }
    int64_t n = int_value(count);
    if (n < 0) {
      obj_raise(RT_VALUE, "list length must not be negative (got %lld)", (long long)n);
      goto error;
    }
    Obj *list = list_new(n);
    if (!list) goto error;
    // Each element is its own copy, as Rust's vec![x; n] clones: sharing
    // one object n times (Python's [x] * n) would make aliasing visible.
    for (int64_t i = 0; i < n; i++) {
      Obj *item = i == 0 ? (INCREF(x), x) : ops_clone(x);
      if (!item) {
        DECREF(list);
        goto error;
      }
      list_append_steal(list, item);
    }
    sp -= 2;
    DECREF(count);
    DECREF(x);
    PUSH(list);
    DISPATCH();
  }
  CASE(BUILD_MAP) {
    int n = READ16();
    Obj *map = table_new_map();
    if (!map) goto error;
    Obj **kv = sp - 2 * n;
    for (int i = 0; i < n; i++) {
      if (ops_store_index(map, kv[2 * i], kv[2 * i + 1]) < 0) {
        DECREF(map);
        goto error;
      }
    }
    while (sp > kv) {
      Obj *v = POP();
      DECREF(v);
    }
    PUSH(map);
    DISPATCH();
  }
  CASE(BUILD_TUPLE) {
    int n = READ16();
    Obj *t = tuple_new(n);
    if (!t) goto error;
    for (int i = 0; i < n; i++) ((TupleObj *)t)->items[i] = sp[i - n];
    sp -= n;
    PUSH(t);
    DISPATCH();
  }
  CASE(BUILD_STRUCT) {
    StructShape *sh = &vm->prog->shapes[READ16()];
    Obj **vals = sp - sh->n;
    if (sh->full && !obj_struct_slots) {  // a copy of the def's keys, the values moved in
      Obj *s = table_new_struct_full(sh->def, vals, sh->from);
      if (!s) goto error;
      sp = vals;
      PUSH(s);
      DISPATCH();
    }
    Obj *s = table_new_struct(sh->def);
    if (!s) goto error;
    for (int i = 0; i < sh->n; i++) {
      if (ops_set_field(s, sh->names[i], vals[sh->from[i]]) < 0) {
        DECREF(s);
        goto error;
      }
    }
    while (sp > vals) {
      Obj *v = POP();
      DECREF(v);
    }
    PUSH(s);
    DISPATCH();
  }
  CASE(SOME) {
    Obj *s = obj_some_steal(TOP());
    if (!s) goto error;
    sp[-1] = s;
    DISPATCH();
  }
  CASE(INDEX) {
    Obj *i = sp[-1], *seq = sp[-2], *r;
    spec_tick(fn, ip - 1, sp);
    if (!obj_gil_off && seq->type == T_LIST && i->type == T_INT &&
        (uint64_t)int_value(i) < (uint64_t)((ListObj *)seq)->len) {
      r = ((ListObj *)seq)->items[int_value(i)];
      INCREF(r);
    } else if (!(r = ops_index(seq, i))) {  // with the GIL off, under the list's lock (vm/objlock.h)
      goto error;
    }
    sp--;
    sp[-1] = r;
    DECREF(seq);
    DECREF(i);
    DISPATCH();
  }
  CASE(STORE_INDEX)
    spec_tick(fn, ip - 1, sp);
  store_index: {  // also STORE_INDEX_LIST_INT's miss
    Obj *v = sp[-1], *i = sp[-2], *seq = sp[-3];
    if (ops_store_index(seq, i, v) < 0) goto error;
    sp -= 3;
    DECREF(v);
    DECREF(i);
    DECREF(seq);
    DISPATCH();
  }
  CASE(STORE_INDEX_LIST_INT) {  // a[b] = c for a list and an in-range int (CPython's STORE_SUBSCR_LIST_INT)
    Obj *v = sp[-1], *i = sp[-2], *seq = sp[-3];
    if (!(seq->type == T_LIST && i->type == T_INT && (uint64_t)int_value(i) < (uint64_t)((ListObj *)seq)->len)) {
      spec_deopt(fn, ip - 1, OP_STORE_INDEX, SPEC_INDEX);
      goto store_index;
    }
    SPEC_HIT(SPEC_INDEX);
    Obj **slot = &((ListObj *)seq)->items[int_value(i)], *old = *slot;
    *slot = v;  // the stack's reference moves into the list
    sp -= 3;
    DECREF(old);
    DECREF(i);
    DECREF(seq);
    DISPATCH();
  }
  CASE(GET_FIELD) {
    spec_tick(fn, ip - 1, sp);
    StrObj *name = (StrObj *)consts[READ16()];
    Obj *o = TOP(), *r = ops_get_field(o, name);
    if (!r) goto error;
    sp[-1] = r;
    DECREF(o);
    DISPATCH();
  }
  CASE(GET_FIELD_CACHED) {  // the cache: where the field was (specialize.c field_place)
    uint8_t *op = ip - 1;
    StrObj *name = (StrObj *)consts[READ16()];
    Obj *o = TOP(), *r = NULL;
    int32_t at = fn->adapt[op - fn->code];
    if (o->type == T_STRUCT) {
      if (!STRUCT_IS_SLOTS(o)) {
        Table *t = &((StructObj *)o)->fields;
        if (at < t->used && t->entries[at].key == (Obj *)name) r = t->entries[at].value;
      } else {
        SlotsStructObj *s = (SlotsStructObj *)o;
        if (at < s->def->nfields && s->def->fields[at] == name) r = s->slots[at];
      }
    }
    if (r) {
      SPEC_HIT(SPEC_FIELD);
      INCREF(r);
    } else {
      spec_deopt(fn, op, OP_GET_FIELD, SPEC_FIELD);
      if (!(r = ops_get_field(o, name))) goto error;
    }
    sp[-1] = r;
    DECREF(o);
    DISPATCH();
  }
  CASE(SET_FIELD) {
    StrObj *name = (StrObj *)consts[READ16()];
    Obj *v = sp[-1], *o = sp[-2];
    if (ops_set_field(o, name, v) < 0) goto error;
    sp -= 2;
    DECREF(v);
    DECREF(o);
    DISPATCH();
  }
  CASE(TUPLE_GET) {
    int i = READ16();
    Obj *o = TOP(), *r = ops_tuple_get(o, i);
    if (!r) goto error;
    sp[-1] = r;
    DECREF(o);
    DISPATCH();
  }
  CASE(GET_ITER) {
    Obj *v = TOP(), *it = ops_iter_new(v);
    if (!it) goto error;
    sp[-1] = it;
    DECREF(v);
    DISPATCH();
  }
  CASE(FOR_ITER) {
    IterObj *it = (IterObj *)slots[READ16()];
    uint16_t off = READ16();
    Obj *x;
    if (it->seq->type == T_LIST && !obj_gil_off) {  // the common case, inline (with the GIL)
      ListObj *l = (ListObj *)it->seq;
      if (it->i < l->len) {
        x = l->items[it->i++];
        INCREF(x);
        PUSH(x);
      } else {
        ip += off;
      }
    } else if ((x = ops_iter_next((Obj *)it))) {
      PUSH(x);
    } else {
      if (obj_error_pending()) goto error;
      ip += off;
    }
    DISPATCH();
  }
  CASE(FOR_RANGE) {
    uint16_t a = READ16(), off = READ16();
    Obj *i = slots[a], *end = slots[a + 1];
    if (i->type != T_INT || end->type != T_INT) {
      obj_raise(RT_TYPE, "range bounds must be int, not '%s' and '%s'", ops_type_name(i), ops_type_name(end));
      goto error;
    }
    if (int_value(i) < int_value(end)) {
      INCREF(i);
      PUSH(i);
    } else {
      ip += off;
    }
    DISPATCH();
  }
  CASE(INCR) {
    uint16_t a = READ16();
    Obj *i = slots[a];
    slots[a] = make_int(int_value(i) + 1);  // below the range's end: cannot overflow
    DECREF(i);
    DISPATCH();
  }
  CASE(MATCH_SOME) {
    uint16_t off = READ16();
    Obj *v = TOP();
    if (v->type == T_SOME) {
      Obj *x = ((SomeObj *)v)->v;
      INCREF(x);
      sp[-1] = x;
    } else {
      sp--;
      ip += off;
    }
    DECREF(v);
    DISPATCH();
  }
  CASE(SPAWN) {
    uint16_t f = READ16();
    int nargs = READ8();
    Obj *t;
    EVAL_BREAKER();  // a safe point: a dropped handle is joined before the next thread starts
    if (f == SPAWN_DONE) {  // a builtin's call, already made: wrap its result
      t = obj_alloc(sizeof(ThreadObj), T_THREAD);
      ((ThreadObj *)t)->result = TOP();
      ((ThreadObj *)t)->vt = NULL;
      sp[-1] = t;
      DISPATCH();
    }
    if (!(t = spawn_thread(fns[f], sp - nargs, nargs))) goto error;  // the arguments' references move in
    sp -= nargs;
    PUSH(t);
    DISPATCH();
  }
  CASE(RAISE) {
    int kind = READ8();
    StrObj *msg = (StrObj *)consts[READ16()];
    obj_raise((RtErrorKind)kind, "%s", msg->data);
    goto error;
  }

#if !(defined(__GNUC__) && !defined(LAB_SWITCH_DISPATCH))
  default:
    obj_raise(RT_TYPE, "bad opcode %d", ip[-1]);
    goto error;
  }
#endif

do_return : {  // the result is on top; release the frame's slots under it
  Obj *r = POP();
  while (sp > slots) {
    Obj *v = POP();
    XDECREF(v);
  }
  vm->nframes--;
  if (vm->nframes == entry_depth) return r;
  frame = &vm->frames[vm->nframes - 1];
  fn = frame->fn;
  ip = frame->ip;
  slots = frame->slots;
  consts = fn->consts;
  PUSH(r);
  DISPATCH();
}

#ifdef LAB_FUZZ
fuzz_out:
  obj_raise(RT_RECURSION, "fuzz step budget exhausted");
#endif
error:
  vm->frames[vm->nframes - 1].ip = ip;
  // Native joins a dropped handle before the failing statement's panic
  // ends the program; so do we, before the traceback.
  if (pending_joins) run_pending_joins();
  print_traceback(vm);
  // Unwind: release every reference the aborted frames still hold.
  while (sp > vm->stack) {
    Obj *v = POP();
    XDECREF(v);
  }
  vm->nframes = entry_depth;
  return NULL;
}

// ---- Threads (SPEC §4, §6; docs/threads.md) ------------------------------------------------
// `spawn f(args)` makes a VmThread and a POSIX thread that runs f on its own
// VM (value stack, frames) under the GIL. The ThreadObj handle points at the
// VmThread; the VmThread outlives the handle until it has been joined.
//
// Joining: the first join of a thread claims it, releases the GIL, waits in
// pthread_join, takes the GIL back and moves the result into the handle
// (where the cycle collector can see it); a second join returns that result
// again, as Python's does. A join that finds the thread claimed by another
// joiner waits on done_cond for it.
//
// Dropped handles: a handle released without join is joined, as native mode
// joins a dropped rt_thread: the dealloc hook cannot wait (it runs inside
// obj_dealloc, perhaps inside a collection, and must not release the GIL),
// so it queues the thread on the dropping thread's pending_joins and sets
// GIL_EVAL_JOINS; that thread joins it at its next safe point, which comes
// before any output (CALL_BUILTIN is a safe point). When main returns, every
// thread still running is joined (Python's non-daemon threads).
//
// Errors: a runtime error in a spawned thread prints "Exception in thread
// N (fn):" and the traceback, and ends the process with exit 1 at once (as
// native's panic does); an error in main while other threads run does too.
typedef struct VmThread {
  pthread_t tid;
  int id;
  Function *fn;
  Obj **args;               // owned until the thread starts
  int nargs;
  Obj *result;              // owned: the return value, until a join moves it
  ThreadObj *handle;        // weak: the handle, or NULL once it is gone
  int waiters;              // threads inside wait_thread for it
  bool claimed;             // a join is under way (or done)
  bool finished;            // joined, seen under the GIL
  bool joined;              // pthread_join returned
  struct VmThread *prev, *next;     // the registry of threads not yet freed
  struct VmThread *next_pending;    // pending_joins
} VmThread;

// Shared by all threads; guarded by threads_lock (with the GIL on, the GIL
// alone would do; with it off, it is what keeps them safe). Lock order: the
// GIL (or being attached) first, then threads_lock; nothing is released
// (DECREF) and nothing is waited for while it is held, except done_cond.
static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static VmThread *registry;
static int next_thread_id = 1;
static int live_threads;          // spawned and not yet joined
static int pending_total;         // queued dropped handles, all threads
static BcProgram *run_prog;
static int run_recursion_limit;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;  // with threads_lock

// Frees vt once nothing can use it any more: joined, its handle gone (or
// holding the result), and nobody waiting for it. Under threads_lock;
// returns the result it held, for the caller to release after unlocking.
static Obj *maybe_free(VmThread *vt) {
  if (!vt->finished || vt->handle || vt->waiters > 0) return NULL;
  Obj *r = vt->result;
  if (vt->prev) vt->prev->next = vt->next;
  else registry = vt->next;
  if (vt->next) vt->next->prev = vt->prev;
  free(vt);
  return r;
}

// Ends the process at once with status 1, after an error while threads run
// (docs/threads.md): not exit(), as another thread may hold stdin's lock.
// The caller holds the GIL, so no thread is inside a trace step; the
// counted build closes the trace and writes the costs per line first.
_Noreturn static void exit_now(void) {
#ifdef LAB_COUNTED
  tracer_finish();
  lab_line = 0;
  lab_lines_write_env();
#endif
  fflush(stdout);
  fflush(stderr);
  _Exit(1);
}

static void *thread_main(void *p) {
  VmThread *vt = p;
#ifdef LAB_COUNTED
  lab_lines_thread_begin(vt->id);
  lab_line = vt->fn->line;  // its wait for the GIL is charged to its `fn` line
#endif
  gil_thread_begin(vt->id);
#ifdef LAB_FT
  obj_rc_thread_begin();
#endif
  gil_take();
  VM vm;
  vm_init(&vm, run_prog, run_recursion_limit);
  vm.thread_id = vt->id;
  vm.thread_fn = vt->fn->name;
  Obj **args = vt->args;
  vt->args = NULL;
  Obj *r;
  if (vt->fn->native) {  // spawn of a #[native] function: straight into compiled code
    r = boundary_call(vt->fn, args, 1);
    if (!r) print_traceback(&vm);
    for (int i = 0; i < vt->nargs; i++) DECREF(args[i]);
  } else {
    r = run(&vm, vt->fn, args, vt->nargs);
  }
  free(args);
  if (!r) exit_now();  // the traceback is out: end the program (docs/threads.md)
  run_pending_joins();  // handles this thread dropped since its last safe point
  pthread_mutex_lock(&threads_lock);
  vt->result = r;
  pthread_mutex_unlock(&threads_lock);
  vm_free(&vm);
#ifdef LAB_FT
  obj_thread_end();  // nothing is counted or freed by this thread after this
#endif
  gil_release();
#ifdef LAB_COUNTED
  lab_lines_thread_end();
#endif
  return NULL;
}

static Obj *spawn_thread(Function *fn, Obj **args, int nargs) {
  VmThread *vt = calloc(1, sizeof *vt);
  Obj **a = malloc((size_t)(nargs > 0 ? nargs : 1) * sizeof(Obj *));
  ThreadObj *t = obj_alloc(sizeof(ThreadObj), T_THREAD);
  t->result = NULL;
  t->vt = NULL;
  if (!vt || !a) {
    free(vt);
    free(a);
    DECREF((Obj *)t);
    return obj_raise(RT_MEMORY, RT_MSG_OOM);
  }
  memcpy(a, args, (size_t)nargs * sizeof(Obj *));
  vt->fn = fn;
  vt->args = a;
  vt->nargs = nargs;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, (size_t)8 << 20);  // the main thread's usual 8 MiB: deep walks fit
  pthread_mutex_lock(&threads_lock);
  vt->id = next_thread_id;
  int e = pthread_create(&vt->tid, &attr, thread_main, vt);
  if (e == 0) {
    t->vt = vt;
    vt->handle = t;
    next_thread_id++;
    live_threads++;
    vt->next = registry;
    if (registry) registry->prev = vt;
    registry = vt;
  }
  pthread_mutex_unlock(&threads_lock);
  pthread_attr_destroy(&attr);
  if (e != 0) {  // the arguments stay on the caller's stack
    DECREF((Obj *)t);
    free(a);
    free(vt);
    return obj_raise(RT_OS, "cannot start a thread: %s", strerror(e));
  }
  return (Obj *)t;
}

// Waits for vt to finish, with the GIL released (detached) meanwhile.
// Holds the GIL and threads_lock on entry and on return, but neither while
// it waits. The caller calls maybe_free(vt) after.
static void wait_thread(VmThread *vt) {
  if (vt->finished) return;
  vt->waiters++;
  if (!vt->claimed) {
    vt->claimed = true;
    pthread_mutex_unlock(&threads_lock);
    gil_release();
    pthread_join(vt->tid, NULL);
    gil_take();
    pthread_mutex_lock(&threads_lock);
    vt->joined = true;
    pthread_cond_broadcast(&done_cond);
    vt->finished = true;
    live_threads--;
  } else {
    pthread_mutex_unlock(&threads_lock);
    gil_release();
    pthread_mutex_lock(&threads_lock);
    while (!vt->joined) pthread_cond_wait(&done_cond, &threads_lock);
    pthread_mutex_unlock(&threads_lock);
    gil_take();
    pthread_mutex_lock(&threads_lock);
  }
  vt->waiters--;
}

static Obj *join_thread(ThreadObj *t) {
  pthread_mutex_lock(&threads_lock);
  VmThread *vt = t->vt;
  Obj *dead = NULL;
  if (vt) {
    INCREF((Obj *)t);  // the handle stays alive while we wait
    wait_thread(vt);
    if (t->vt == vt) {  // the first joiner back moves the result into the handle
      t->vt = NULL;
      t->result = vt->result ? vt->result : NONE;
      vt->result = NULL;
      vt->handle = NULL;
    }
    dead = maybe_free(vt);
  }
  Obj *r = t->result ? t->result : NONE;
  INCREF(r);
  pthread_mutex_unlock(&threads_lock);
  XDECREF(dead);
  if (vt) DECREF((Obj *)t);
  return r;
}

// obj_thread_dealloc_hook: the handle is going; its thread must be joined.
static void thread_dealloc(Obj *o) {
  ThreadObj *t = (ThreadObj *)o;
  Obj *result = t->result, *dead = NULL;
  pthread_mutex_lock(&threads_lock);
  VmThread *vt = t->vt;
  if (vt) {
    vt->handle = NULL;
    if (vt->finished) {
      dead = maybe_free(vt);
    } else {
      vt->next_pending = pending_joins;
      pending_joins = vt;
      pending_total++;
      gil_breaker_set(GIL_EVAL_JOINS);
    }
  }
  pthread_mutex_unlock(&threads_lock);
  obj_free(t, sizeof(ThreadObj));
  XDECREF(result);
  XDECREF(dead);
}

// Joins this thread's queued dropped handles, releasing their results.
static void run_pending_joins(void) {
  while (pending_joins) {
    VmThread *vt = pending_joins;
    pending_joins = vt->next_pending;
    pthread_mutex_lock(&threads_lock);
    pending_total--;
    wait_thread(vt);
    Obj *dead = maybe_free(vt);
    pthread_mutex_unlock(&threads_lock);
    XDECREF(dead);
  }
  pthread_mutex_lock(&threads_lock);
  if (pending_total == 0) gil_breaker_clear(GIL_EVAL_JOINS);
  pthread_mutex_unlock(&threads_lock);
}

// The slow path of EVAL_BREAKER(): at a safe point, with the GIL held.
static void eval_break(void) {
  uint32_t b = gil_breaker_load();
  if (b & GIL_EVAL_STOP) gil_park();  // --gil=off: another thread stops the world
  if (b & GIL_EVAL_GC) gc_collect_pending();
  if ((b & GIL_EVAL_JOINS) && pending_joins) run_pending_joins();
  if (b & GIL_EVAL_DROP) gil_yield();
#ifdef LAB_FT
  if (b & GIL_EVAL_MERGE) obj_rc_merge_queue();
#endif
}

static void blocking_begin(void) { gil_release(); }
static void blocking_end(void) { gil_take(); }

// Main has returned: join every thread still running (Python's non-daemon
// threads; their handles live on somewhere — in a cycle, say). The registry
// may change while we wait, so each wait starts over from its head.
static void join_all(void) {
  run_pending_joins();
  for (;;) {
    pthread_mutex_lock(&threads_lock);
    VmThread *vt = registry;
    while (vt && vt->claimed) vt = vt->next;
    Obj *dead = NULL;
    if (vt) {
      wait_thread(vt);
      dead = maybe_free(vt);
    }
    pthread_mutex_unlock(&threads_lock);
    XDECREF(dead);
    if (!vt) break;
  }
  // Every thread has ended. A handle still alive keeps its result.
  for (;;) {
    pthread_mutex_lock(&threads_lock);
    VmThread *vt = registry;
    Obj *dead = NULL;
    if (vt) {
      if (vt->handle) {
        vt->handle->vt = NULL;
        vt->handle->result = vt->result ? vt->result : NONE;
        vt->handle = NULL;
        vt->result = NULL;
      }
      vt->finished = true;
      vt->waiters = 0;
      dead = maybe_free(vt);
    }
    pthread_mutex_unlock(&threads_lock);
    XDECREF(dead);
    if (!vt) break;
  }
}

void vm_setup(const VmOptions *opts) {
  vm_specialize = !opts->no_specialize;
#ifdef LAB_FT
  if (opts->gil_off) {
    // The specializer rewrites shared bytecode and its caches as it runs:
    // off, as in CPython 3.13t (docs/free-threading.md).
    vm_specialize = false;
    obj_gil_off = true;
    gil_set_off();
  }
  obj_rc_mode = opts->rc_mode;
  obj_rc_thread_begin();  // main owns what it makes, from the compiler's constants on
#endif
  obj_configure(!opts->no_small_int_cache, opts->struct_slots, opts->alloc_malloc);
  obj_init();
  methods_init();
  const int *th = opts->gc_threshold;
  static const int default_threshold[GC_NGENS] = VM_GC_THRESHOLDS;
  gc_configure(opts->gc_enabled, th[0] || th[1] || th[2] ? th : default_threshold);
  gil_configure(opts->switch_interval_us > 0 ? opts->switch_interval_us : 5000);
}

int vm_run(BcProgram *p, const VmOptions *opts) {
  VM vm;
  run_prog = p;
  run_recursion_limit = opts->recursion_limit > 0 ? opts->recursion_limit : RT_DEFAULT_RECURSION_LIMIT;
  vm_init(&vm, p, run_recursion_limit);
  spec_prepare(p);
#ifdef LAB_COUNTED
  const char *trace_path = getenv("LAB_TRACE");  // `lab trace`
  if (trace_path && *trace_path) {
    const char *steps = getenv("LAB_TRACE_STEPS"), *objects = getenv("LAB_TRACE_OBJECTS");
    tracer_setup(trace_path, steps ? atoi(steps) : 0, objects ? atoi(objects) : 0);
  }
  int nlines = 0;
  for (int i = 0; i < p->nfns; i++)
    for (int j = 0; j < p->fns[i]->len; j++)
      if (p->fns[i]->lines[j] > nlines) nlines = p->fns[i]->lines[j];
  lab_lines_setup(nlines);
#endif
  gil_thread_begin(0);
  gil_take();
  obj_thread_dealloc_hook = thread_dealloc;
  obj_blocking_begin_hook = blocking_begin;
  obj_blocking_end_hook = blocking_end;
  builtin_fns_set_args(opts->argc, opts->argv);

  int status = 1;
  Function *main_fn = p->fns[p->main_fn];
  Obj *r;
  if (main_fn->arity != 0) {  // called with no arguments, as Python's main() would be: a TypeError
    obj_raise(RT_TYPE, "main() takes %d argument%s but 0 were given", main_fn->arity, main_fn->arity == 1 ? "" : "s");
    print_traceback(&vm);
    r = NULL;
  } else {
    r = run(&vm, main_fn, NULL, 0);
  }
#ifdef LAB_COUNTED
  lab_line = 0;  // main has returned: what follows is the runtime's
  tracer_finish();
#endif
  pthread_mutex_lock(&threads_lock);
  int live = live_threads;
  pthread_mutex_unlock(&threads_lock);
  if (r) {
    DECREF(r);
    status = 0;
    join_all();
  } else if (live > 0) {
    exit_now();  // main failed while threads run: end now, as a thread's error does
  }
#ifdef LAB_FT
  obj_rc_merge_queue();  // what the threads left for main to merge
#endif
  if (fflush(stdout) != 0 && status == 0) {
    // The last of the output could not be written (bi_print reports the rest).
    fprintf(stderr, "%s: " RT_MSG_STDOUT "%s\n", rt_error_name(RT_OS), strerror(errno));
    status = 1;
  }
#ifdef LAB_DEBUG
  // For the leak check (vm/gc.c "Leak check at exit"): free the cycles the
  // program left unreachable, without counting this collection in gc_stats.
  if (getenv("LAB_CHECK_LEAKS")) {
    GcStats saved = gc_stats;
    gc_collect(GC_NGENS - 1);
    gc_stats = saved;
  }
#endif
  vm_free(&vm);
  obj_thread_dealloc_hook = NULL;
  obj_blocking_begin_hook = NULL;
  obj_blocking_end_hook = NULL;
  gil_release();
  return status;
}
