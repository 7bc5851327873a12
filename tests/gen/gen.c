// gen.c — the differential tester's random program generator (issue 9,
// docs/reliability.md). `gen SEED` writes one Toy program to stdout: well
// typed, ownership-correct, deterministic and terminating, the same program
// for the same seed on every machine. `gen SEED -m KIND` writes the same
// program with a soundness probe appended to main — a use after move
// (move), a mutation while borrowed (alias) or a borrow that outlives its
// referent (dangle) — which `lab check` must reject, or else both modes
// must run identically.
//
// How validity is kept by construction:
// - every variable has one static type (annotated at its `let`) and is read
//   only while in scope, visible (not shadowed) and not moved;
// - moves (a `let` from a variable, a by-value argument, `for x in v`) only
//   take variables declared in the current block, so no move is conditional
//   or repeated by a loop; a variable borrowed by an enclosing `for x in &v`
//   is frozen (neither moved nor mutated);
// - a call or method call that borrows a variable mutably mentions it in no
//   other argument;
// - ints are kept small: variables, list elements, fields and function
//   results are stored modulo 100000, products only multiply leaves and
//   divisors are `(e % 7 + 8)`, so arithmetic cannot overflow — except in the
//   rare deliberate overflow statement, which both modes must report alike;
// - list indexing happens under a length guard; loops run a literal number
//   of times and functions only call functions defined before them, with a
//   cost estimate that bounds the work of a run.
// Every simple statement is one line and every block opens at the end of a
// line, so the minimizer (tests/gen/difftest.sh) can delete lines and blocks.
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---- randomness (xorshift64*, seeded) -------------------------------------------------
static uint64_t rs;
static uint64_t rnd(void) {
  rs ^= rs >> 12;
  rs ^= rs << 25;
  rs ^= rs >> 27;
  return rs * 2685821657736338717ull;
}
static int below(int n) { return n > 0 ? (int)(rnd() % (uint64_t)n) : 0; }
static bool chance(int percent) { return below(100) < percent; }

// ---- output --------------------------------------------------------------------------
static char *out;
static size_t out_len, out_cap;
static int indent;

static void emitv(const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (out_len + (size_t)n + 1 > out_cap) {
    out_cap = (out_len + (size_t)n + 1) * 2;
    out = realloc(out, out_cap);
    if (!out) abort();
  }
  vsnprintf(out + out_len, (size_t)n + 1, fmt, ap);
  out_len += (size_t)n;
}
static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emitv(fmt, ap);
  va_end(ap);
}
// One line at the current indentation.
static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...) {
  for (int i = 0; i < indent; i++) emit("    ");
  va_list ap;
  va_start(ap, fmt);
  emitv(fmt, ap);
  va_end(ap);
  emit("\n");
}

// Expressions are built in small string buffers.
typedef struct Buf {
  char s[2048];
} Buf;
static Buf bf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static Buf bf(const char *fmt, ...) {
  Buf b;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b.s, sizeof b.s, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof b.s) {  // too deep: fall back to a literal
    snprintf(b.s, sizeof b.s, "1");
  }
  return b;
}

// ---- types and variables ---------------------------------------------------------------
typedef enum Ty { TY_INT, TY_FLOAT, TY_BOOL, TY_STR, TY_LINT, TY_LSTR, TY_MAP, TY_OPT, TY_STRUCT, TY_COLOR, TY_TUP, TY_NTY } Ty;
static const char *const ty_name[TY_NTY] = {"int", "float", "bool", "str", "[int]", "[str]", "{str: int}",
                                         "?int", "S", "Color", "(int, str)"};
static bool is_copy(Ty t) { return t == TY_INT || t == TY_FLOAT || t == TY_BOOL || t == TY_OPT || t == TY_COLOR; }

typedef enum Kind { K_OWNED, K_REF, K_REFMUT } Kind;

typedef struct Var {
  char name[24];
  Ty t;
  Kind kind;   // a local or by-value parameter, or a & / &mut parameter
  bool mut;
  bool moved;
  int block;   // the block (id) that declared it
  int frozen;  // borrowed by an enclosing `for x in &v`
} Var;

enum { MAXV = 256 };
static Var vars[MAXV];
static int nvars;
static int block_stack[64], nblocks, next_block;
static int forbidden[MAXV];  // borrowed right now (&mut, or by an enclosing call): no expression may mention them
static int name_counter;
static bool allow_move;  // set only where a by-value argument may move a variable (stmt_call)

// Strings may only grow big at main's top level: elsewhere (in loops, in
// functions that loops call) an assignment could double a string every time.
static int cur_fn, nfns;
static int loop_depth;
static bool grow_ok(void) { return cur_fn == nfns && loop_depth == 0; }

static int cur_block(void) { return block_stack[nblocks - 1]; }

static bool visible(int i) {
  for (int j = i + 1; j < nvars; j++)
    if (strcmp(vars[j].name, vars[i].name) == 0) return false;
  return true;
}

static bool usable(int i) { return !vars[i].moved && visible(i) && !forbidden[i]; }

// A random usable variable of type t (any kind), or -1.
static int pick(Ty t, bool need_mut, bool need_owned_here) {
  int cand[MAXV], n = 0;
  for (int i = 0; i < nvars; i++) {
    Var *v = &vars[i];
    if (v->t != t || !usable(i)) continue;
    if (need_mut && (v->frozen || !(v->kind == K_REFMUT || (v->kind == K_OWNED && v->mut)))) continue;
    if (need_owned_here && (v->kind != K_OWNED || v->block != cur_block() || v->frozen)) continue;
    cand[n++] = i;
  }
  return n ? cand[below(n)] : -1;
}

static int add_var(const char *prefix, Ty t, Kind kind, bool mut) {
  if (nvars == MAXV) abort();
  Var *v = &vars[nvars];
  memset(v, 0, sizeof *v);
  // Now and then a name is reused: shadowing.
  if (prefix[0] == 'v' && chance(8) && nvars > 0 && vars[nvars - 1].kind == K_OWNED)
    memcpy(v->name, vars[below(nvars)].name, sizeof v->name);
  else
    snprintf(v->name, sizeof v->name, "%s%d", prefix, name_counter++);
  v->t = t;
  v->kind = kind;
  v->mut = mut;
  v->block = cur_block();
  return nvars++;
}

static void open_block(void) { block_stack[nblocks++] = next_block++; }
static void close_block(void) {
  int b = cur_block();
  while (nvars > 0 && vars[nvars - 1].block == b) nvars--;
  nblocks--;
}

// ---- functions ---------------------------------------------------------------------------
typedef struct Param {
  Ty t;
  Kind kind;
} Param;
typedef struct Fn {
  char name[16];
  Param params[4];
  int nparams;
  Ty ret;  // TY_NTY: returns nothing
  long cost;
} Fn;
enum { MAXF = 8 };
static Fn fns[MAXF];
// cur_fn: the function being generated (calls only go below it); main is nfns
static long cost, mult;   // the estimated work of the current function, and the loop multiplier
enum { COST_LIMIT = 20000 };

// ---- expressions -------------------------------------------------------------------------
static Buf gen(Ty t, int depth);
static Buf small_int(int depth);

static const char *const strlits[] = {"\"a\"", "\"hello\"", "\"x y z\"", "\"caf\\u{e9}\"", "\"tab\\there\"",
                                      "\"line\\n\"", "\"\"", "\"Q\\\"q\"", "\"b a\"", "\"42\""};
static Buf str_lit(void) { return bf("%s", strlits[below(10)]); }

static Buf int_leaf(void) {
  int v;
  switch (below(8)) {
  case 0:
  case 1:
    if ((v = pick(TY_INT, false, false)) >= 0) return bf("%s", vars[v].name);
    return bf("%d", below(100));
  case 2: return bf("%d", below(2000) - 1000);
  case 3:
    if ((v = pick(TY_LINT, false, false)) >= 0) return bf("%s.len()", vars[v].name);
    return bf("%d", below(10));
  case 4:
    if ((v = pick(TY_STR, false, false)) >= 0)
      return chance(50) ? bf("%s.len()", vars[v].name) : bf("%s.find(%s).unwrap_or(-1)", vars[v].name, str_lit().s);
    return bf("%d", below(10));
  case 5:
    if ((v = pick(TY_STRUCT, false, false)) >= 0) return bf("%s.a", vars[v].name);
    if ((v = pick(TY_TUP, false, false)) >= 0) return bf("%s.0", vars[v].name);
    return bf("%d", below(50));
  case 6:
    if ((v = pick(TY_OPT, false, false)) >= 0) return bf("%s.unwrap_or(%d)", vars[v].name, below(9));
    if ((v = pick(TY_MAP, false, false)) >= 0) return bf("%s.len()", vars[v].name);
    return bf("%d", below(300));
  default: return bf("%d", below(100000));
  }
}

// A call of an earlier function returning t, if one exists and the budget allows.
static bool gen_call(Ty t, Buf *res);

static Buf gen_int(int depth) {
  if (depth <= 0) return int_leaf();
  Buf a, b, r;
  switch (below(12)) {
  case 0:
  case 1: a = gen_int(depth - 1), b = gen_int(depth - 1); return bf("%s + %s", a.s, b.s);
  case 2: a = gen_int(depth - 1), b = gen_int(depth - 1); return bf("%s - (%s)", a.s, b.s);
  case 3: a = int_leaf(), b = int_leaf(); return bf("%s * %s", a.s, b.s);
  case 4: a = gen_int(depth - 1), b = gen_int(depth - 1); return bf("(%s) / (%s %% 7 + 8)", a.s, b.s);
  case 5: a = gen_int(depth - 1), b = gen_int(depth - 1); return bf("(%s) %% (%s %% 5 - 6)", a.s, b.s);
  case 6: a = gen_int(depth - 1); return bf("-(%s)", a.s);
  case 7: a = gen_int(depth - 1), b = gen_int(depth - 1); return bf("%s(%s, %s)", chance(50) ? "min" : "max", a.s, b.s);
  case 8: a = gen_int(depth - 1); return bf("abs(%s)", a.s);
  case 9:
    if (gen_call(TY_INT, &r)) return r;
    return int_leaf();
  case 10: a = gen_int(depth - 1), b = int_leaf(); return bf("(%s) %s (%s %% 8 + 8)", a.s, chance(50) ? "&" : "^", b.s);
  default: a = gen(TY_FLOAT, depth - 1); return bf("int((%s) %% 1000.0)", a.s);
  }
}

static Buf gen_float(int depth) {
  int v;
  Buf a, b, r;
  static const char *const lits[] = {"1.5", "0.1", "2.0", "0.25", "3.75", "1e10", "100.0", "0.3", "7.0", "2.5e-3",
                                     "-0.0", "1e-7", "123456789.125", "1e16", "1e300"};
  if (depth <= 0) {
    if (chance(40) && (v = pick(TY_FLOAT, false, false)) >= 0) return bf("%s", vars[v].name);
    if (chance(20) && (v = pick(TY_STRUCT, false, false)) >= 0) return bf("%s.f", vars[v].name);
    return bf("%s", lits[below(15)]);
  }
  switch (below(8)) {
  case 0: a = gen_float(depth - 1), b = gen_float(depth - 1); return bf("%s + %s", a.s, b.s);
  case 1: a = gen_float(depth - 1), b = gen_float(depth - 1); return bf("%s - (%s)", a.s, b.s);
  case 2: a = gen_float(depth - 1), b = gen_float(depth - 1); return bf("(%s) * (%s)", a.s, b.s);
  case 3: a = gen_float(depth - 1), b = gen_float(depth - 1); return bf("(%s) / (%s)", a.s, b.s);
  case 4: a = gen_int(depth - 1); return bf("float(%s)", a.s);
  case 5: a = gen_float(depth - 1); return bf("sqrt(abs(%s))", a.s);
  case 6:
    if (gen_call(TY_FLOAT, &r)) return r;
    return gen_float(0);
  default: a = gen_float(depth - 1), b = gen_float(depth - 1); return bf("%s(%s, %s)", chance(50) ? "min" : "max", a.s, b.s);
  }
}

static Buf gen_bool(int depth) {
  int v;
  Buf a, b;
  static const char *const cmp[] = {"<", "<=", ">", ">=", "==", "!="};
  switch (below(11)) {
  case 0: return bf("%s", chance(50) ? "true" : "false");
  case 1:
  case 2: a = gen_int(depth - 1), b = gen_int(depth - 1); return bf("%s %s %s", a.s, cmp[below(6)], b.s);
  case 3: a = gen(TY_STR, depth - 1), b = gen(TY_STR, depth - 1); return bf("%s %s %s", a.s, cmp[below(6)], b.s);
  case 4:
    if ((v = pick(TY_LINT, false, false)) >= 0) {
      forbidden[v]++;  // the receiver is borrowed while the argument runs
      a = gen_int(depth - 1);
      forbidden[v]--;
      return bf("%s.contains(%s)", vars[v].name, a.s);
    }
    return bf("true");
  case 5:
    if ((v = pick(TY_OPT, false, false)) >= 0) return bf("%s.%s()", vars[v].name, chance(50) ? "is_some" : "is_none");
    return bf("false");
  case 6:
    if ((v = pick(TY_MAP, false, false)) >= 0) return bf("%s.contains_key(%s)", vars[v].name, str_lit().s);
    if ((v = pick(TY_STR, false, false)) >= 0) return bf("%s.contains(%s)", vars[v].name, str_lit().s);
    return bf("true");
  case 7:
    a = gen_bool(depth - 1), b = gen_bool(depth - 1);
    return bf("(%s) %s (%s)", a.s, chance(50) ? "&&" : "||", b.s);
  case 8:
    if ((v = pick(TY_COLOR, false, false)) >= 0) return bf("%s %s Color::%s", vars[v].name, chance(50) ? "==" : "!=", chance(50) ? "Red" : "Blue");
    a = gen_bool(depth - 1);
    return bf("!(%s)", a.s);
  case 9: {
    // Structural comparison of two variables of one type (maybe the same one).
    static const Ty st[] = {TY_LINT, TY_LSTR, TY_STRUCT, TY_TUP, TY_MAP, TY_OPT, TY_STR};
    Ty t = st[below(7)];
    int x = pick(t, false, false), y = pick(t, false, false);
    if (x >= 0 && y >= 0)
      return bf("%s %s %s", vars[x].name, t == TY_TUP || t == TY_STR ? cmp[below(6)] : cmp[4 + below(2)], vars[y].name);
    if ((v = pick(TY_STR, false, false)) >= 0) return bf("%s.%s(%s)", vars[v].name, chance(50) ? "starts_with" : "ends_with", str_lit().s);
    return bf("false");
  }
  default:
    if ((v = pick(TY_BOOL, false, false)) >= 0) return bf("%s", vars[v].name);
    a = gen_float(depth - 1), b = gen_float(depth - 1);
    return bf("%s %s %s", a.s, cmp[below(4)], b.s);
  }
}

static Buf gen_str(int depth) {
  int v;
  Buf a, b, r;
  if (depth <= 0) {
    if (chance(50) && (v = pick(TY_STR, false, false)) >= 0) return bf("%s.clone()", vars[v].name);
    return str_lit();
  }
  switch (below(9)) {
  case 0:
  case 1: a = gen_str(depth - 1), b = gen_str(depth - 1); return bf("%s + %s", a.s, b.s);
  case 2: a = gen_str(depth - 1); return bf("(%s).%s()", a.s, chance(50) ? "upper" : "trim");
  case 3: a = gen_int(depth - 1); return bf("str(%s)", a.s);
  case 4: a = gen_float(depth - 1); return bf("str(%s)", a.s);
  case 5:
    if ((v = pick(TY_LSTR, false, false)) >= 0) return bf("%s.join(%s)", vars[v].name, str_lit().s);
    return str_lit();
  case 6: a = gen_str(depth - 1); return bf("(%s).replace(\"a\", \"%s\")", a.s, chance(50) ? "AA" : "");
  case 7:
    if (gen_call(TY_STR, &r)) return r;
    if (!grow_ok()) return str_lit();
    a = gen_str(depth - 1);
    return bf("(%s).repeat(%d)", a.s, below(3));
  default:
    if ((v = pick(TY_STRUCT, false, false)) >= 0) return bf("%s.name.clone()", vars[v].name);
    if ((v = pick(TY_TUP, false, false)) >= 0) return bf("%s.1.lower()", vars[v].name);
    return str_lit();
  }
}

static Buf gen_list_int(int depth) {
  int v;
  Buf a, b, r;
  switch (below(6)) {
  case 0: return bf("[]");
  case 1: a = small_int(depth - 1); return bf("[%s; %d]", a.s, below(4));
  case 2:
    if ((v = pick(TY_LINT, false, false)) >= 0) return bf("%s.clone()", vars[v].name);
    return bf("[%d]", below(10));
  case 3:
    if (gen_call(TY_LINT, &r)) return r;
    return bf("[1, 2, 3]");
  default: a = small_int(depth - 1), b = small_int(depth - 1); return bf("[%s, %s, %d]", a.s, b.s, below(100));
  }
}

static Buf gen_list_str(int depth) {
  int v;
  Buf a, b;
  switch (below(4)) {
  case 0:
    a = gen_str(depth - 1);
    return bf("(%s).split(\" \")", a.s);
  case 1:
    a = gen_str(depth - 1);
    return bf("(%s).split_whitespace()", a.s);
  case 2:
    if ((v = pick(TY_LSTR, false, false)) >= 0) return bf("%s.clone()", vars[v].name);
    return bf("[\"p\", \"q\"]");
  default: a = gen_str(depth - 1), b = gen_str(depth - 1); return bf("[%s, %s]", a.s, b.s);
  }
}

static Buf gen(Ty t, int depth) {
  int v;
  Buf a, b, c, d;
  switch (t) {
  case TY_INT: return gen_int(depth);
  case TY_FLOAT: return gen_float(depth);
  case TY_BOOL: return gen_bool(depth);
  case TY_STR: return gen_str(depth);
  case TY_LINT: return gen_list_int(depth);
  case TY_LSTR: return gen_list_str(depth);
  case TY_MAP:
    if (chance(30) && (v = pick(TY_MAP, false, false)) >= 0) return bf("%s.clone()", vars[v].name);
    if (chance(30)) return bf("{}");
    a = small_int(depth - 1), b = small_int(depth - 1);
    return bf("{%s: %s, \"k\": %s}", str_lit().s, a.s, b.s);
  case TY_OPT:
    if (chance(25)) return bf("None");
    if (chance(25) && (v = pick(TY_MAP, false, false)) >= 0) return bf("%s.get(%s)", vars[v].name, str_lit().s);
    if (chance(25) && (v = pick(TY_OPT, false, false)) >= 0) return bf("%s", vars[v].name);
    a = small_int(depth - 1);
    return bf("Some(%s)", a.s);
  case TY_STRUCT:
    if (chance(30) && (v = pick(TY_STRUCT, false, false)) >= 0) return bf("%s.clone()", vars[v].name);
    a = gen_int(depth - 1), b = gen_float(depth - 1), c = gen_str(depth - 1), d = gen_list_int(depth - 1);
    return bf("S { a: (%s) %% 100000, f: %s, name: %s, items: %s }", a.s, b.s, c.s, d.s);
  case TY_COLOR: {
    static const char *const cs[] = {"Red", "Green", "Blue"};
    if (chance(30) && (v = pick(TY_COLOR, false, false)) >= 0) return bf("%s", vars[v].name);
    return bf("Color::%s", cs[below(3)]);
  }
  case TY_TUP:
    if (chance(30) && (v = pick(TY_TUP, false, false)) >= 0) return bf("%s.clone()", vars[v].name);
    a = small_int(depth - 1), b = gen_str(depth - 1);
    return bf("(%s, %s)", a.s, b.s);
  default: abort();
  }
}

// Stores into an int place keep it small.
static Buf small_int(int depth) {
  Buf a = gen_int(depth);
  return bf("(%s) %% 100000", a.s);
}

// An argument for a parameter: a borrow of a variable or a fresh value.
// Returns false when none can be made without breaking a rule.
static bool gen_arg(Param p, Buf *res, int *mut_var) {
  int v;
  if (p.kind == K_REFMUT) {
    v = pick(p.t, true, false);
    if (v < 0) return false;
    *res = bf("%s%s", vars[v].kind == K_OWNED ? "&mut " : "", vars[v].name);
    *mut_var = v;
    return true;
  }
  if (p.kind == K_REF) {
    v = pick(p.t, false, false);
    if (v < 0) return false;
    *res = bf("%s%s", vars[v].kind == K_OWNED ? "&" : "", vars[v].name);
    return true;
  }
  if (!is_copy(p.t) && allow_move && loop_depth == 0 && chance(30) && (v = pick(p.t, false, true)) >= 0) {
    *res = bf("%s", vars[v].name);  // a move
    vars[v].moved = true;
    return true;
  }
  *res = p.t == TY_INT ? small_int(1) : gen(p.t, 1);
  return true;
}

static bool gen_call_to(int f, Buf *res) {
  Fn *fn = &fns[f];
  if (cost + mult * (fn->cost + 1) > COST_LIMIT) return false;
  Buf args[4];
  int mut_var = -1;
  // &mut arguments first, so that the others cannot mention them.
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < fn->nparams; i++) {
      if ((fn->params[i].kind == K_REFMUT) != (pass == 0)) continue;
      int mv = -1;
      if (!gen_arg(fn->params[i], &args[i], &mv)) {
        if (mut_var >= 0) forbidden[mut_var]--;
        return false;
      }
      if (mv >= 0) {
        if (mut_var >= 0) {  // a second &mut: a rule would break
          forbidden[mut_var]--;
          return false;
        }
        mut_var = mv;
        forbidden[mv]++;
      }
    }
  if (mut_var >= 0) forbidden[mut_var]--;
  Buf b = bf("%s(", fn->name);
  for (int i = 0; i < fn->nparams; i++) b = bf("%s%s%s", b.s, i ? ", " : "", args[i].s);
  *res = bf("%s)", b.s);
  cost += mult * (fn->cost + 1);
  return true;
}

static bool gen_call(Ty t, Buf *res) {
  int cand[MAXF], n = 0;
  for (int i = 0; i < cur_fn && i < nfns; i++)
    if (fns[i].ret == t) cand[n++] = i;
  if (!n) return false;
  return gen_call_to(cand[below(n)], res);
}

// ---- statements -----------------------------------------------------------------------------
static void gen_block(int nstmts, int depth);

static void stmt_let(int depth) {
  Ty t = (Ty)below(TY_NTY);
  Buf e;
  int src;
  // A move from a variable of this block now and then.
  if (!is_copy(t) && loop_depth == 0 && chance(25) && (src = pick(t, false, true)) >= 0) {
    e = bf("%s", vars[src].name);
    vars[src].moved = true;
  } else if ((t == TY_STR || t == TY_LINT) && loop_depth == 0 && chance(30) && (src = pick(TY_STRUCT, false, true)) >= 0) {
    // A partial move: the struct is not used again (its other fields could be).
    e = bf("%s.%s", vars[src].name, t == TY_STR ? "name" : "items");
    vars[src].moved = true;
  } else {
    e = t == TY_INT ? small_int(depth) : gen(t, depth);
  }
  bool mut = chance(60);
  int v = add_var("v", t, K_OWNED, mut);
  line("let %s%s: %s = %s;", mut ? "mut " : "", vars[v].name, ty_name[t], e.s);
}

static void stmt_print(int depth) {
  int n = 1 + below(3), held[3], nheld = 0;
  Buf b = bf("print(");
  for (int i = 0; i < n; i++) {
    Buf a;
    int v = -1;
    if (chance(60)) {
      v = pick((Ty)below(TY_NTY), false, false);
    }
    static const Ty typed[] = {TY_INT, TY_FLOAT, TY_BOOL, TY_STR, TY_STRUCT, TY_TUP, TY_COLOR};  // no bare [] {} None
    if (v >= 0) {
      a = bf("%s", vars[v].name);
      forbidden[v]++;  // print borrows it until the call: later arguments leave it alone
      held[nheld++] = v;
    }
    else a = gen(typed[below(7)], depth);
    b = bf("%s%s%s", b.s, i ? ", " : "", a.s);
  }
  while (nheld > 0) forbidden[held[--nheld]]--;
  line("%s);", b.s);
}

static void stmt_mutate(int depth) {
  Ty ts[] = {TY_INT, TY_FLOAT, TY_STR, TY_LINT, TY_LSTR, TY_MAP, TY_STRUCT, TY_OPT, TY_BOOL, TY_COLOR};
  Ty t = ts[below(10)];
  int v = pick(t, true, false);
  if (v < 0 || (vars[v].kind != K_OWNED && (t == TY_INT || t == TY_FLOAT || t == TY_STR || t == TY_OPT || t == TY_BOOL || t == TY_COLOR))) {
    stmt_print(depth);
    return;
  }
  const char *n = vars[v].name;
  forbidden[v]++;
  bool held = true;
#define RELEASE() (held ? (forbidden[v]--, held = false) : false)
  Buf e;
  switch (t) {
  case TY_INT:
    RELEASE();
    if (chance(50)) line("%s = %s;", n, small_int(depth).s);
    else line("%s += %s;", n, small_int(depth - 1).s);
    break;
  case TY_FLOAT: RELEASE(); line("%s = %s;", n, gen_float(depth).s); break;
  case TY_BOOL: RELEASE(); line("%s = %s;", n, gen_bool(depth).s); break;
  case TY_COLOR: RELEASE(); line("%s = %s;", n, gen(TY_COLOR, 0).s); break;
  case TY_OPT: RELEASE(); line("%s = %s;", n, gen(TY_OPT, depth).s); break;
  case TY_STR:
    RELEASE();
    if (chance(50) || !grow_ok()) line("%s += %s;", n, str_lit().s);
    else line("%s = %s;", n, gen_str(depth).s);
    break;
  case TY_LINT:
    switch (below(9)) {
    case 0:
    case 1: line("%s.push(%s);", n, small_int(depth).s); break;
    case 2: line("%s.insert(0, %s);", n, small_int(depth).s); break;
    case 3: line("%s.sort();", n); break;
    case 4: line("%s.reverse();", n); break;
    case 5:
      e = small_int(depth);
      line("if %s.len() > 0 {", n);
      indent++;
      line("%s[%s.len() - 1] = %s;", n, n, e.s);
      indent--;
      line("}");
      break;
    case 6:
      line("if %s.len() > 1 {", n);
      indent++;
      line("%s.swap(0, %s.len() - 1);", n, n);
      line("print(%s.remove(0));", n);
      indent--;
      line("}");
      break;
    case 7: line("print(%s.pop());", n); break;
    default:
      if (vars[v].kind == K_OWNED) {
        RELEASE();
        line("%s = %s;", n, gen_list_int(depth).s);
      } else {
        line("%s.clear();", n);
      }
    }
    break;
  case TY_LSTR:
    if (chance(60)) line("%s.push(%s);", n, grow_ok() ? gen_str(depth).s : gen_str(0).s);
    else line("%s.sort();", n);
    break;
  case TY_MAP:
    switch (below(4)) {
    case 0: line("%s.insert(%s, %s);", n, str_lit().s, small_int(depth).s); break;
    case 1: line("%s[%s] = %s;", n, str_lit().s, small_int(depth).s); break;
    case 2: line("print(%s.remove(%s));", n, str_lit().s); break;
    default:
      e = str_lit();
      line("if %s.contains_key(%s) {", n, e.s);
      indent++;
      line("%s[%s] = %s[%s] %% 1000 + 1;", n, e.s, n, e.s);
      indent--;
      line("}");
    }
    break;
  case TY_STRUCT:
    switch (below(4)) {
    case 0: line("%s.a = %s;", n, small_int(depth).s); break;
    case 1: line("%s.items.push(%s);", n, small_int(depth).s); break;
    case 2: line("%s.name = %s;", n, grow_ok() ? gen_str(depth).s : str_lit().s); break;
    default: line("%s.f = %s;", n, gen_float(depth).s);
    }
    break;
  default: break;
  }
  RELEASE();
}

static void stmt_if(int depth, int nstmts) {
  line("if %s {", gen_bool(depth).s);
  indent++;
  gen_block(1 + below(nstmts), depth - 1);
  indent--;
  if (chance(50)) {
    line("} else {");
    indent++;
    gen_block(1 + below(nstmts), depth - 1);
    indent--;
  }
  line("}");
}

static void stmt_loop(int depth, int nstmts) {
  int k = 1 + below(5);
  long saved_mult = mult;
  int v;
  loop_depth++;
  mult *= k + 1;
  switch (below(4)) {
  case 0: {
    open_block();
    int i = add_var("i", TY_INT, K_OWNED, false);
    line("for %s in %d..%d {", vars[i].name, below(3), k);
    indent++;
    if (chance(30)) line("if %s == %d { break; }", vars[i].name, below(k + 1));  // before a `let` can shadow it
    gen_block(1 + below(nstmts), depth - 1);
    indent--;
    line("}");
    close_block();
    break;
  }
  case 1:
    if ((v = pick(TY_LINT, false, false)) < 0) v = pick(TY_LSTR, false, false);
    if (v >= 0 && vars[v].kind == K_REFMUT) v = -1;  // `for x in p` would borrow it mutably
    if (v >= 0) {
      open_block();
      vars[v].frozen++;
      int x = add_var("x", vars[v].t == TY_LINT ? TY_INT : TY_STR, K_REF, false);
      line("for %s in %s%s {", vars[x].name, vars[v].kind == K_OWNED ? "&" : "", vars[v].name);
      indent++;
      mult = saved_mult * 8;
      gen_block(1 + below(nstmts), depth - 1);
      indent--;
      line("}");
      close_block();
      vars[v].frozen--;
      break;
    }
    // fall through
  case 2: {
    int c = add_var("w", TY_INT, K_OWNED, true);  // declared in the enclosing block, as written
    line("let mut %s: int = 0;", vars[c].name);
    line("while %s < %d {", vars[c].name, k);
    indent++;
    line("%s += 1;", vars[c].name);
    vars[c].moved = true;  // hidden from the body: the loop stays bounded
    gen_block(1 + below(nstmts), depth - 1);
    vars[c].moved = false;
    indent--;
    line("}");
    break;
  }
  default: {
    // Consumes a list of this block: `for x in v`.
    if (loop_depth == 1 && ((v = pick(TY_LINT, false, true)) >= 0 || (v = pick(TY_LSTR, false, true)) >= 0)) {
      vars[v].moved = true;
      open_block();
      int x = add_var("x", vars[v].t == TY_LINT ? TY_INT : TY_STR, K_OWNED, false);
      line("for %s in %s {", vars[x].name, vars[v].name);
      indent++;
      mult = saved_mult * 8;
      gen_block(1 + below(nstmts), depth - 1);
      indent--;
      line("}");
      close_block();
    } else {
      open_block();
      int i = add_var("i", TY_INT, K_OWNED, false);
      line("for %s in 0..%d {", vars[i].name, k);
      indent++;
      gen_block(1 + below(nstmts), depth - 1);
      indent--;
      line("}");
      close_block();
    }
  }
  }
  mult = saved_mult;
  loop_depth--;
}

static void stmt_match(int depth, int nstmts) {
  int v;
  switch (below(4)) {
  case 0:
    if ((v = pick(TY_COLOR, false, false)) >= 0) {
      line("match %s {", vars[v].name);
      indent++;
      const char *cs[] = {"Red", "Green", "Blue"};
      int all = chance(50);
      for (int i = 0; i < (all ? 3 : 2); i++) {
        line("Color::%s => {", cs[i]);
        indent++;
        gen_block(1 + below(nstmts), depth - 1);
        indent--;
        line("}");
      }
      if (!all) line("_ => { print(\"other\"); }");
      indent--;
      line("}");
      return;
    }
    // fall through
  case 1:
    if ((v = pick(TY_OPT, false, false)) >= 0) {
      line("match %s {", vars[v].name);
      indent++;
      open_block();
      int x = add_var("y", TY_INT, K_OWNED, false);
      line("Some(%s) => {", vars[x].name);
      indent++;
      gen_block(1 + below(nstmts), depth - 1);
      indent--;
      line("}");
      close_block();
      line("None => {");
      indent++;
      gen_block(1, depth - 1);
      indent--;
      line("}");
      indent--;
      line("}");
      return;
    }
    // fall through
  case 2: {
    line("match (%s) %% 4 {", gen_int(depth).s);
    indent++;
    for (int i = 0; i < 2; i++) {
      line("%d => {", i + below(2) * 2);
      indent++;
      gen_block(1 + below(nstmts), depth - 1);
      indent--;
      line("}");
    }
    line("_ => {");
    indent++;
    gen_block(1, depth - 1);
    indent--;
    line("}");
    indent--;
    line("}");
    return;
  }
  default:
    line("match %s {", gen_str(depth - 1).s);
    indent++;
    line("\"a\" => { print(\"is a\"); }");
    line("\"hello\" => {");
    indent++;
    gen_block(1 + below(nstmts), depth - 1);
    indent--;
    line("}");
    line("_ => { print(\"not a\"); }");
    indent--;
    line("}");
  }
}

static void stmt_index(int depth) {
  int v = pick(TY_LINT, false, false);
  if (v < 0) v = pick(TY_LSTR, false, false);
  if (v < 0) {
    stmt_print(depth);
    return;
  }
  const char *n = vars[v].name;
  line("if %s.len() > 0 {", n);
  indent++;
  forbidden[v]++;
  Buf i = gen_int(depth - 1);
  forbidden[v]--;
  line("print(%s[abs((%s) %% %s.len())]);", n, i.s, n);
  indent--;
  line("}");
}

static void stmt_call(int depth) {
  (void)depth;
  int cand[MAXF], n = 0;
  for (int i = 0; i < cur_fn && i < nfns; i++) cand[n++] = i;
  Buf r;
  int f = n ? cand[below(n)] : -1;
  allow_move = f >= 0 && fns[f].nparams == 1;
  bool ok = f >= 0 && gen_call_to(f, &r);
  allow_move = false;
  if (ok) {
    if (fns[f].ret == TY_NTY || chance(50)) line("%s;", r.s);
    else line("print(%s);", r.s);
    return;
  }
  stmt_print(depth);
}

// `spawn` of an earlier function whose parameters are all by value, joined at
// once: the thread's prints cannot interleave with the caller's.
static void stmt_spawn(int depth) {
  int cand[MAXF], n = 0;
  for (int i = 0; i < cur_fn && i < nfns; i++) {
    bool ok = fns[i].ret != TY_NTY;
    for (int j = 0; j < fns[i].nparams; j++) ok = ok && fns[i].params[j].kind == K_OWNED;
    if (ok) cand[n++] = i;
  }
  Buf r;
  if (n && gen_call_to(cand[below(n)], &r)) {
    int h = name_counter++;
    line("let h%d = spawn %s;", h, r.s);
    line("print(\"joined\", h%d.join());", h);
    return;
  }
  stmt_print(depth);
}

// The rare deliberate overflow (or division by zero): both modes must stop
// with the same error after the same output.
static void stmt_edge(void) {
  int v = pick(TY_INT, false, false);
  const char *x = v >= 0 ? vars[v].name : "3";
  switch (below(5)) {
  case 0: line("print(%s * 9223372036854775807);", x); break;
  case 1: line("print(9223372036854775807 - %s - 100000);", x); break;
  case 2: line("print(100 / (%s - %s));", x, x); break;
  case 3: line("print((-9223372036854775807 - 1) / (%s %% 2 - 1));", x); break;
  default: line("print(1 << (%s %% 70 + 1));", x);
  }
}

static void gen_stmt(int depth, int nstmts) {
  int r = below(100);
  if (depth <= 0) r = r % 50;  // simple statements only
  if (r < 18) stmt_let(depth > 0 ? depth : 1);
  else if (r < 30) stmt_print(depth > 0 ? depth : 1);
  else if (r < 46) stmt_mutate(depth > 0 ? depth : 1);
  else if (r < 48) stmt_call(1);
  else if (r < 50) stmt_spawn(1);
  else if (r < 62) stmt_if(depth, nstmts);
  else if (r < 74) stmt_loop(depth, nstmts);
  else if (r < 84) stmt_match(depth, nstmts);
  else if (r < 92) stmt_index(depth);
  else if (r < 93 && chance(10)) stmt_edge();
  else stmt_let(depth);
  cost += mult;
}

static void gen_block(int nstmts, int depth) {
  open_block();
  for (int i = 0; i < nstmts; i++) gen_stmt(depth, nstmts > 2 ? nstmts / 2 : 1);
  close_block();
}

// ---- items --------------------------------------------------------------------------------
// Hybrid mode (docs/hybrid.md): the functions below native_below are
// #[native]. A function calls only functions below it, so they call only
// #[native] ones, as hybrid mode requires; main calls any. The cut comes
// from the seed, not the generator's stream: the program is the same as
// without the attributes.
static int native_below;
static unsigned long long attr_seed;

static void gen_fn(int f) {
  Fn *fn = &fns[f];
  if (f < native_below) emit((attr_seed >> (8 + f)) & 1 ? "#[native(nogil)]\n" : "#[native]\n");
  snprintf(fn->name, sizeof fn->name, "f%d", f);
  static const Param menu[] = {{TY_INT, K_OWNED},    {TY_FLOAT, K_OWNED}, {TY_STR, K_REF},     {TY_LINT, K_REF},   {TY_LINT, K_REFMUT},
                               {TY_STRUCT, K_REF},   {TY_STRUCT, K_REFMUT}, {TY_LINT, K_OWNED}, {TY_STRUCT, K_OWNED}, {TY_COLOR, K_OWNED},
                               {TY_OPT, K_OWNED},    {TY_MAP, K_REFMUT},  {TY_LSTR, K_REF},    {TY_STR, K_OWNED},  {TY_TUP, K_REF}};
  fn->nparams = below(4);
  static const Ty rets[] = {TY_INT, TY_INT, TY_STR, TY_FLOAT, TY_LINT, TY_NTY, TY_NTY};
  fn->ret = rets[below(7)];
  cur_fn = f;
  cost = 0;
  mult = 1;
  nvars = 0;
  nblocks = 0;
  open_block();
  emit("fn %s(", fn->name);
  for (int i = 0; i < fn->nparams; i++) {
    Param p = menu[below(15)];
    fn->params[i] = p;
    int v = add_var("p", p.t, p.kind, false);
    snprintf(vars[v].name, sizeof vars[v].name, "p%d", i);
    emit("%s%s: %s%s", i ? ", " : "", vars[v].name, p.kind == K_REF ? "&" : p.kind == K_REFMUT ? "&mut " : "",
         ty_name[p.t]);
  }
  emit(")");
  if (fn->ret != TY_NTY) emit(" -> %s", ty_name[fn->ret]);
  emit(" {\n");
  indent = 1;
  // The body shares the parameters' block: a shadowing `let` hides a parameter up to the `return`.
  for (int i = 0, n = 2 + below(5); i < n; i++) gen_stmt(2, 2);
  if (fn->ret != TY_NTY) line("return %s;", fn->ret == TY_INT ? small_int(2).s : gen(fn->ret, 2).s);
  indent = 0;
  emit("}\n\n");
  close_block();
  fn->cost = cost + 1;
}

// Appends the soundness probe `kind` to main's top level (see the header).
static bool near_miss;  // the probe is a near miss (the checker must accept it)

static void gen_probe(const char *kind) {
  Ty movable[] = {TY_STR, TY_LINT, TY_LSTR, TY_MAP, TY_STRUCT, TY_TUP};
  int v = -1;
  for (int tries = 0; tries < 20 && v < 0; tries++) v = pick(movable[below(6)], false, true);
  if (v < 0) {
    v = add_var("probe", TY_LINT, K_OWNED, true);
    line("let mut %s: [int] = [1, 2];", vars[v].name);
  }
  const char *n = vars[v].name;
  if (strcmp(kind, "move") == 0) {
    switch (below(5)) {
    case 4:  // a near miss the checker must accept: the name is bound again
      near_miss = true;
      line("let moved_%s = %s;", n, n);
      line("let %s = moved_%s;", n, n);
      line("print(%s);", n);
      break;
    case 0: line("let moved_%s = %s;", n, n); line("print(%s);", n); break;
    case 1: line("let moved_%s = %s;", n, n); line("let again_%s = %s;", n, n); break;
    case 2: line("for i in 0..2 {"); line("    let moved_%s = %s;", n, n); line("}"); break;
    default:
      line("if %s {", gen_bool(1).s);
      line("    let moved_%s = %s;", n, n);
      line("}");
      line("print(%s);", n);
    }
  } else if (strcmp(kind, "alias") == 0) {
    int m = pick(TY_LINT, true, true);
    if (m < 0) {
      m = add_var("probe", TY_LINT, K_OWNED, true);
      line("let mut %s: [int] = [1, 2];", vars[m].name);
    }
    const char *mn = vars[m].name;
    switch (below(6)) {
    case 4:  // near misses: the borrow is dead before the mutation (NLL)
      near_miss = true;
      line("let r = &%s;", mn);
      line("print(r);");
      line("%s.push(1);", mn);
      line("print(%s);", mn);
      break;
    case 5:
      near_miss = true;
      line("let r = &mut %s;", mn);
      line("r.push(3);");
      line("print(%s);", mn);
      break;
    case 0: line("let r = &%s;", mn); line("%s.push(1);", mn); line("print(r);"); break;
    case 1: line("let r = &mut %s;", mn); line("print(%s.len());", mn); line("r.push(2);"); break;
    case 2: line("let r = &%s;", mn); line("%s = [9];", mn); line("print(r);"); break;
    default: line("let r = &mut %s;", mn); line("let r2 = &mut %s;", mn); line("r.push(1);"); line("r2.push(2);");
    }
  } else {  // dangle
    switch (below(4)) {
    case 3:  // a near miss: the inner borrow is only used inside the block
      near_miss = true;
      line("let mut r = &%s;", n);
      line("{");
      line("    let inner: %s = %s;", ty_name[vars[v].t], gen(vars[v].t, 1).s);
      line("    r = &inner;");
      line("    print(r);");
      line("}");
      line("print(%s);", n);
      break;
    case 0:
      line("let mut r = &%s;", n);
      line("{");
      line("    let inner: %s = %s;", ty_name[vars[v].t], gen(vars[v].t, 1).s);
      line("    r = &inner;");
      line("}");
      line("print(r);");
      break;
    case 1: line("let r = &%s;", n); line("let gone = %s;", n); line("print(r);"); break;
    default:
      line("let mut r = &%s;", n);
      line("for i in 0..2 {");
      line("    let inner: %s = %s;", ty_name[vars[v].t], gen(vars[v].t, 1).s);
      line("    r = &inner;");
      line("}");
      line("print(r);");
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs("usage: gen SEED [-m move|alias|dangle]\n"
          "Writes a random, valid, terminating Toy program to stdout (the same for the\n"
          "same SEED); -m appends a soundness probe that `lab check` must reject.\n",
          argc < 2 ? stderr : stdout);
    return argc < 2 ? 3 : 0;
  }
  char *end;
  unsigned long long seed = strtoull(argv[1], &end, 10);
  if (*end) {
    fprintf(stderr, "gen: SEED must be a number, not `%s`\n", argv[1]);
    return 3;
  }
  const char *probe = NULL;
  if (argc == 4 && strcmp(argv[2], "-m") == 0 && (!strcmp(argv[3], "move") || !strcmp(argv[3], "alias") || !strcmp(argv[3], "dangle")))
    probe = argv[3];
  else if (argc != 2) {
    fprintf(stderr, "gen: usage: gen SEED [-m move|alias|dangle]\n");
    return 3;
  }
  rs = seed * 0x9E3779B97F4A7C15ull + 0x1234567ull;
  if (!rs) rs = 1;
  for (int i = 0; i < 4; i++) rnd();

  emit("// generated by tests/gen/gen %llu%s%s\n", seed, probe ? " -m " : "", probe ? probe : "");
  emit("struct S { a: int, f: float, name: str, items: [int] }\n");
  emit("enum Color { Red, Green, Blue }\n\n");
  nfns = below(MAXF - 2) + 1;
  attr_seed = (seed + 1) * 0xD1B54A32D192ED03ull;
  native_below = (int)((attr_seed >> 40) % (unsigned long long)(nfns + 1));
  for (int f = 0; f < nfns; f++) gen_fn(f);

  // main: the statements at its top level may move.
  cur_fn = nfns;
  cost = 0;
  mult = 1;
  nvars = 0;
  nblocks = 0;
  open_block();
  emit("fn main() {\n");
  indent = 1;
  int n = 4 + below(14);
  for (int i = 0; i < n; i++) gen_stmt(3, 4);
  // Everything still alive is printed: what the program computed shows.
  for (int i = 0; i < nvars; i++)
    if (usable(i) && !vars[i].frozen) line("print(\"%s =\", %s);", vars[i].name, vars[i].name);
  if (probe) gen_probe(probe);
  indent = 0;
  emit("}\n");
  // The last line says which kind of probe this is, for tests/gen/difftest.sh.
  if (probe) emit("// probe: %s\n", near_miss ? "near miss (must be accepted, then run identically)" : "violation (must be rejected)");
  fwrite(out, 1, out_len, stdout);
  free(out);
  return 0;
}
