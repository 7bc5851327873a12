// cgen_int.h — what the parts of the C generator share. Private to
// compiler/cgen*.c; compiler/native/cgen.h is the interface.
//
//   cgen.c       output text, names, the C type of each Toy type and the
//                per-type helpers (drop, clone, eq, ordering, print), the
//                program's skeleton (prototypes, toy_main)
//   cgen_expr.c  expressions: values, places, borrows, moves, temporaries
//   cgen_stmt.c  statements, scopes and the drops at every scope exit
//
// OWNERSHIP IN THE GENERATED C (docs/native.md). Every value that owns heap
// memory lives in exactly one C variable, field or element. THE ZEROED VALUE
// OF EVERY TYPE IS A VALID EMPTY VALUE THAT OWNS NOTHING ({0} is an empty
// str/list/map, None, a NULL thread), and dropping it does nothing.
// DROP ELABORATION (as rustc's): the borrow checker tells, for every drop
// point of a Toy local, whether it is definitely initialized, definitely
// moved, or maybe (compiler/check/borrowck.h, bk_drop_state). So
//   - a move out of a whole local copies its bits and leaves them: no
//     zeroing. A local moved on some paths only (Local.needs_drop_flag) has
//     a drop flag `df_x`, set at each initialization and cleared at each move;
//   - at a drop point: definitely initialized → `drop_T(&x);`, definitely
//     moved → a comment only, maybe → `if (df_x) drop_T(&x);`;
//   - TAKE (copy out, zero the source) is kept only where a container that
//     will still be dropped keeps the place: a partial move out of a field
//     or tuple item of a local (the struct is dropped whole, the zeroed field
//     frees nothing), a match payload moved out of a field place, and the
//     elements a consuming `for x in v` moves out of its list (after a
//     `break` the rest is dropped with the list);
//   - every scope exit (end of block, break, continue, return) drops the
//     move-type locals declared so far in the scopes it leaves, newest first,
//     as above, and the hidden owners unconditionally;
//   - a temporary (a call result or string that is only borrowed, printed or
//     used as a place) lives in a statement temporary `tmpN`, declared zeroed
//     before the statement and dropped right after it;
//   - overwriting a place evaluates the new value first, then drops the old.
#ifndef LAB_CGEN_INT_H
#define LAB_CGEN_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "cgen.h"
#include "format.h"
#include "check.h"
#include "types.h"

// Text is built in the runtime's RtBuf (runtime/format.h); cg_generate
// fails if any append ran out of memory (rtbuf_oom_count).

// What the generator knows about one Toy type it has met.
typedef struct CType {
  Type *ty;
  const char *name;  // the C type: int64_t, rt_str, t_opt_int, s_Point, rt_str *
  const char *id;    // a C-identifier suffix naming the type: int, opt_int, S_Point
  unsigned helpers;  // H_* already generated
} CType;

enum { H_DROP = 1, H_CLONE = 2, H_EQ = 4, H_LT = 8, H_MAPPUT_LENT = 16, H_PRINT = 32, H_SOME = 64,
       H_MAPPUT = 128, H_THR = 256, H_SORT = 512 };

// A move-type variable in scope (a Toy local or a hidden one: a consumed
// list being iterated, a scrutinee moved into a match). Dropped at scope exit.
typedef struct ScopeVar {
  const char *cname;
  const char *toyname;  // for the drop comment
  Type *ty;
  Local *local;         // a Toy local (its drops follow the borrow checker's
                        // states); NULL for a hidden owner (always dropped)
} ScopeVar;

// A statement temporary.
typedef struct Temp {
  const char *cname;
  const char *ctype;
  Type *ty;   // non-NULL: owned value of this type, dropped after the statement
} Temp;

typedef struct Cg {
  Program *prog;
  const CgOptions *opts;
  RtBuf types;    // typedefs and struct definitions, in dependency order
  RtBuf protos;   // prototypes of helpers and functions
  RtBuf locs;     // static const rt_loc constants
  RtBuf helpers;  // helper definitions
  RtBuf fns;      // function definitions
  RtBuf *out;     // where statements go (fns, or a helper being written)
  int indent;

  CType *ctypes;
  int nctypes, capctypes;
  const char **ids;  // every id taken (for uniqueness)
  int nids, capids;
  unsigned char *nests;  // per struct (index): 0 not known, 1 being found, 2 bounded, 3 can nest deep
  Type **boxed;      // option types stored as an owned pointer (NULL = None)
  int nboxed;
  bool *spawned;     // per function index: spawn block and trampoline made
  FnDecl **fns_list;
  int nfns;

  int counter;       // for unique names of temporaries and locs

  // the function being generated
  FnDecl *fn;
  const char *alloc_site;  // the statement's rt_alloc_site (`&locN`), or NULL: it cannot allocate
  int stmt_line;       // the statement's line (RT_LINE: costs per line, counted runs)
  int drop_line;       // a scope's `}` line, for RT_LINE before its first drop; 0: none
  bool drop_marked;    // that RT_LINE is out
  const char **lname;  // C name of each local (by Local.id)
  bool *lent;          // by Local.id: a split's piece lent, not owned (only_lent)
  ScopeVar *vars;
  int nvars, capvars;
  int *loop_base;      // nvars when each enclosing loop's body began
  int nloops, caploops;
  Temp *temps;         // the current statement's temporaries
  int ntemps, captemps;
  // A function too big for the C compiler in one piece (st_function): its
  // top-level variables are fields of a frame `F` (C names `F->v_x`), the
  // fields declared so far are in *frame; while one of its pieces is being
  // written (piece_out below), a return stores F->ret and returns true.
  // piece_o0: that piece is straight-line code, compiled at -O0 (it runs
  // once): there a push is a call, not an inline expansion that would only
  // cost the C compiler time (a fifth of it on a main of pushes and sums).
  RtBuf *frame;
  bool piece_o0;
  // Pieces are compiled apart from the rest, in parts the C compiler runs
  // side by side (cg_generate's layout; native.c compiles them). parts: some
  // function of the program is split; its user functions are then
  // LAB_SHARED, not static. frames: the frames' types; pieces: every piece
  // in order, each after its own source locations (piece_locs while its
  // statements are written to piece_out, which is NULL outside a piece),
  // piece_end[i] where piece i ends.
  bool parts;
  RtBuf frames, pieces;
  RtBuf *piece_locs, *piece_out;
  size_t *piece_end;
  int npieces, cappieces;

  // a string pool: every string made by cg_fmt, freed at the end
  char **pool;
  int npool, cappool;
} Cg;

// ---- cgen.c -----------------------------------------------------------------
char *cg_fmt(Cg *cg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *cg_vfmt(Cg *cg, const char *fmt, va_list ap);
void cg_line(Cg *cg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));  // one indented line into cg->out
int cg_unique(Cg *cg);
const char *cg_cstr(Cg *cg, const char *s, size_t n);  // a C string literal of the bytes
const char *cg_loc(Cg *cg, Span at);   // "&locN", a static const rt_loc for a check (counted: cg_costs)
const char *cg_site(Cg *cg, Span at);  // the same for a statement's rt_alloc_site (not a check)
CgLineCosts *cg_costs(Cg *cg, int line);  // line's row of CgOptions.line_costs (a dummy if none)
const char *cg_src_line(Cg *cg, Span at);                // the source line, safe inside a C comment

CType *cg_type(Cg *cg, Type *t);        // registers t (and declares its C type)
const char *cg_ct(Cg *cg, Type *t);     // the C type of t
bool cg_needs_drop(Cg *cg, Type *t);    // does a value of t own heap memory?
bool cg_boxed(Cg *cg, Type *t);         // ?S stored as an owned pointer
// Helpers (generated on first use). The *_fn forms give a callback name for
// the runtime, or "NULL" where the runtime's default is right.
const char *cg_drop_fn(Cg *cg, Type *t);    // void (void *)
const char *cg_clone_fn(Cg *cg, Type *t);   // void (void *dst, const void *src)
const char *cg_eq_fn(Cg *cg, Type *t);      // bool (const void *, const void *)
const char *cg_lt_fn(Cg *cg, Type *t, bool le);  // bool (const void *, const void *): a < b (a <= b)
const char *cg_print_fn(Cg *cg, Type *t);   // void (RtBuf *, const void *)
const char *cg_some_fn(Cg *cg, Type *opt);  // t_opt some_X(T v) for boxed options
const char *cg_mapput_fn(Cg *cg, Type *map, bool lent);  // void mapput_X(rt_map *, K, V);
                                                        // lent: mapput_lent_X(rt_map *, const rt_str *, V)
const char *cg_sort_fn(Cg *cg, Type *elem);   // void sort_X(rt_list *): RT_DEFINE_SORT for elem
const char *cg_thr_type(Cg *cg, Type *ret);   // the struct a thread's block starts with
// C statements (no trailing newline) for common operations on a pointer p:
const char *cg_drop_stmt(Cg *cg, Type *t, const char *ptr);  // NULL when nothing to free
const char *cg_clone_expr(Cg *cg, Type *t, const char *ptr); // a new value
const char *cg_eq_expr(Cg *cg, Type *t, const char *pa, const char *pb);
const char *cg_spawn_fn(Cg *cg, FnDecl *fn);  // the trampoline; the block is spawnblk_<fn>
void cg_fn_signature(Cg *cg, RtBuf *b, FnDecl *fn);  // `static T u_NAME(params)`

// The helpers' bookkeeping (cgen_types.c).
// A helper is written into its own text (writing it may generate others),
// then appended to the helpers section.
typedef struct HelperCtx {
  RtBuf *out;
  int indent;
  RtBuf text;
} HelperCtx;
void cg_helper_begin(Cg *cg, HelperCtx *h);  // cg->out is now the helper's text
void cg_helper_end(Cg *cg, HelperCtx *h);    // closes it, appends it to the helpers
bool cg_have(Cg *cg, Type *t, unsigned h);  // marks helper h of t written; true if it was
const char *cg_tid(Cg *cg, Type *t);        // t's C-identifier suffix (int, opt_int, S_Point)
bool cg_str_key(Type *map);                 // a map with str keys

// ---- cgen_expr.c --------------------------------------------------------------
// The node's value as its use (Node.use) asks: COPY and MOVE give a value
// (a move out of a place zeroes the place), BORROW and BORROW_MUT a pointer,
// DROP the value (the caller disposes of it).
const char *ex_value(Cg *cg, Node *n);
// The C lvalue of the place n (references read through); a non-place is
// evaluated into a statement temporary, which is then the place.
const char *ex_place(Cg *cg, Node *n);
// A pointer to the value of n (whatever its use): &place, or a temporary.
const char *ex_ptr(Cg *cg, Node *n);
// The C type of ex_value(n).
const char *ex_ctype(Cg *cg, Node *n);
Type *ex_vtype(Node *n);  // n's type with the implicit dereferences applied
const char *ex_int_lit(Cg *cg, int64_t v);
const char *cg_temp(Cg *cg, const char *ctype, Type *owned);  // a new statement temporary

// ---- cgen_stmt.c ---------------------------------------------------------------
// Scopes, temporaries and drop flags (cgen_drop.c).
void cg_push_var(Cg *cg, const char *cname, const char *toyname, Type *ty, Local *local);
bool cg_has_flag(Cg *cg, Local *l);              // l has a drop flag (a move on some paths only)
void cg_flag_decl(Cg *cg, Local *l, bool init);  // declares l's drop flag, when it has one
const char *cg_empty_why(Local *l);              // why l holds nothing here ("was moved")
void cg_drop_vars(Cg *cg, int mark, const Node *at, const char *why);  // drops cg->vars[mark..], newest first
void cg_scope_end(Cg *cg, int mark, bool emit, const Node *at, const char *why);  // drops (if emit) and pops them
void cg_temps_decl(Cg *cg, int mark);     // declares the statement's temporaries since mark
void cg_temps_drop(Cg *cg, int mark);     // drops the owning ones ("end of statement")
void cg_temps_to_scope(Cg *cg, int mark); // makes them hidden scope variables

void st_function(Cg *cg, FnDecl *fn);
bool cg_is_split(FnDecl *fn);  // st_function writes fn in pieces

// ---- cgen_hybrid.c ---------------------------------------------------------------
// --mode=hybrid: the converters, one exported wrapper per function and
// lab_hybrid_init (runtime/hybrid_abi.h).
void cg_hybrid(Cg *cg);
const char *cg_flag(Cg *cg, Local *l);  // the C name of l's drop flag (Local.needs_drop_flag)
// The declaration of a variable of type ctype named cname: `ctype cname` — or
// just `cname` for a field of a split function's frame (`F->…`), which it
// adds to the frame.
const char *cg_decl(Cg *cg, const char *ctype, const char *cname);
bool cg_in_frame(const char *cname);
void st_const(Cg *cg, ConstDecl *cd);

#endif
