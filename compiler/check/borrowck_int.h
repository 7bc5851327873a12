// borrowck_int.h — what the parts of the borrow checker share. Private to
// compiler/borrowck*.c; compiler/check/borrowck.h is the interface and explains
// the method.
//
//   borrowck.c         bk_check: per function, build → dataflow → check;
//                      the drop-flag annotations
//   borrowck_cfg.c     the control-flow graph and its events, from the tree
//   borrowck_flow.c    bit vectors, liveness, move/init and loan dataflow,
//                      the checking walk
//   borrowck_report.c  the diagnostics: messages, labels, helps, interp notes
//
// VOCABULARY.
//   path     a place the function names, interned: the root of a local, a
//            field (or tuple item) path below it, or DEREF(r) — what a
//            reference local r points to — and field paths below that. An
//            index `v[i]` is the place `v` (elements are not told apart, as in
//            Rust). Paths are numbered in preorder per root, so a path's
//            subtree is the bit range [bit, end].
//   holder   something that holds references: a local of reference type, or
//            a temporary (a `&v` argument, a receiver borrow, the iterator of
//            `for x in &v`, the scrutinee of `match &o`). Liveness is computed
//            per holder.
//   loan     one borrow: a path, shared or mutable, created into a holder.
//            Loans flow from holder to holder (`let r2 = r1;`, a reborrow
//            through r, a `for`/`match` binding); a loan is live where some
//            holder it may have reached is live.
//   event    one step of evaluation (see EvKind), in a block of the CFG.
#ifndef LAB_BORROWCK_INT_H
#define LAB_BORROWCK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "borrowck.h"

// ---- bit vectors --------------------------------------------------------------

typedef uint64_t Word;
#define BK_WBITS 64
static inline int bv_words(int n) { return (n + BK_WBITS - 1) / BK_WBITS; }
static inline bool bv_get(const Word *b, int i) { return (b[i / BK_WBITS] >> (i % BK_WBITS)) & 1; }
static inline void bv_set(Word *b, int i) { b[i / BK_WBITS] |= (Word)1 << (i % BK_WBITS); }
static inline void bv_clr(Word *b, int i) { b[i / BK_WBITS] &= ~((Word)1 << (i % BK_WBITS)); }
void bv_set_range(Word *b, int lo, int hi, bool on);     // bits lo..hi inclusive
bool bv_any_range(const Word *b, int lo, int hi);         // any bit in lo..hi set
bool bv_intersects(const Word *a, const Word *b, int nw);

// ---- paths, holders, loans ----------------------------------------------------

typedef enum { P_ROOT, P_DEREF, P_FIELD } PathKind;

typedef struct Path {
  int parent;        // -1 for a root
  int local;         // the root local's id
  PathKind kind;
  int index;         // P_FIELD: the field or tuple item index
  int first_child, next_sibling;
  int bit, end;      // preorder number and the last of its subtree
  bool deref;        // this path is DEREF(r) or below it
  Type *ty;          // the place's type (NULL if unknown)
} Path;

typedef struct Holder {
  int local;         // the local of reference type, or -1 for a temporary
  Node *node;        // a temporary: the expression that made it
} Holder;

typedef struct Loan {
  int path;
  bool mut;
  bool two_phase;    // a `&mut self` receiver: reserved (acts shared) until the call
  bool elem;         // borrows an element (`&v[i]`): the loan is on the list
  bool temp_value;   // a borrow of a temporary (`r = &f();`): path is -1
  int holder;        // the holder it is created into
  Node *node;        // the borrow expression (for labels)
} Loan;

typedef struct Flow { int from, to; } Flow;   // holder `from`'s loans may reach holder `to`

// ---- events ------------------------------------------------------------------------

typedef enum {
  EV_ACCESS,    // an access of `path` of kind `acc`; may create `loan` into `holder`
  EV_INIT,      // `path` (a local, or a field of one) receives a value: a `let`,
                // an assignment, a `for`/match binding. acc == A_WRITE for an
                // assignment (checked: E0384, E0506, E0594), A_NONE for a binding.
  EV_DECL,      // `let x: T;` — x exists, uninitialized
  EV_DEAD,      // local `local` goes out of scope (a drop point)
  EV_ACTIVATE,  // a two-phase borrow (`loan`) becomes a mutable one: the call itself
  EV_USE,       // holder `use` is used (a temporary consumed by its call; a loop's iterator)
} EvKind;

typedef enum {
  A_NONE,
  A_COPY,       // a copy is read (E0503 while mutably borrowed)
  A_SHARED,     // read in place / borrowed shared (E0502 while mutably borrowed)
  A_MUT,        // borrowed mutably, or changed in place (element store, `&mut self`)
  A_MOVE,       // moved out (E0505 while borrowed)
  A_WRITE,      // assigned (E0506 while borrowed)
} AccKind;

// What a move hands the value to: for notes ("`b` and `a` share one object").
typedef enum { MD_OTHER, MD_LET, MD_ASSIGN, MD_ARG, MD_STORE, MD_SPAWN, MD_FOR, MD_MATCH, MD_RETURN, MD_CONSUME }
    MoveDest;

typedef struct Ev {
  uint8_t kind;       // EvKind
  uint8_t acc;        // AccKind
  uint8_t dest;       // A_MOVE: MoveDest
  bool elem;          // the access goes through an index (`v[i] = x`, `&mut v[i]`)
  bool whole_assign;  // EV_INIT of a whole local by assignment (drop point of the old value)
  bool reserve;       // EV_ACCESS: the reservation of a two-phase borrow (checked as a
                      // shared access, reported as the mutable borrow it will become)
  int path;           // EV_ACCESS, EV_INIT; -1 for none
  int local;          // EV_DECL, EV_DEAD
  int loan;           // the loan created (EV_ACCESS, EV_INIT) or activated; -1
  int def;            // holder defined here; -1
  int use;            // holder used here; -1
  Node *node;         // the expression or statement (its span is the event's)
  Node *aux;          // A_MOVE: the node receiving the value (a `let`, a call, …)
  int block;
} Ev;

typedef struct Block {
  int first, last;    // events [first, last)
  int succ, nsucc;    // into Bk.succ
  int pred, npred;    // into Bk.pred
  int loop_depth;
} Block;

typedef struct Loop {
  int head, exit;     // blocks
  int scope_mark;     // scope depth at the loop body's start
  Node *node;
} Loop;

typedef struct Bk {
  Program *prog;
  DiagSink *sink;
  FnDecl *fn;
  int diag_start;     // the sink's count when this function began

  Path *paths; int npaths, cappaths;
  int *root_path;     // per local id: its root path, or -1
  int *deref_path;    // per local id: DEREF(local), or -1
  int *local_holder;  // per local id: its holder (reference locals), or -1
  int nlocals;

  Holder *holders; int nholders, capholders;
  Loan *loans; int nloans, caploans;
  Flow *flows; int nflows, capflows;
  Ev *evs; int nevs, capevs;
  Block *blocks; int nblocks, capblocks;
  Flow *edges; int nedges, capedges;  // block edges (from, to)
  int *succ, *pred;
  Loop *loops; int nloops, caploops;
  int *scope; int nscope, capscope;  // locals in scope, innermost last
  int cur;            // the block being filled
  int loop_depth;

  // dataflow results (borrowck_flow.c)
  int pw, hw, lw;     // words per path / holder / loan set
  Word *reach;        // per holder: the holders its loans may reach (hw words each)
  Word *live_in, *live_out;     // per block, holders
  // Per event, whether its def and its use are live right after it: with
  // live_in, enough to step the live set forward event by event (State.live),
  // where a set per event would cost events x holders bits.
  unsigned char *ev_def_live, *ev_use_live;
  Word *mi_in, *mu_in, *mm_in;  // per block: maybe-init, maybe-uninit, maybe-moved paths
  Word *ls_in;        // per block: loans in scope

  // reporting state
  int *reported_moves; int nreported_moves, capreported_moves;  // E0382: one error per move (as rustc)
  bool any_error;
} Bk;

// borrowck_cfg.c
void bk_build(Bk *bk, FnDecl *fn);
int bk_path_root(Bk *bk, int path);          // the root path of a path
bool bk_within(Bk *bk, int a, int b);        // path a is path b or a part of it
bool bk_overlap(Bk *bk, int a, int b);       // one path is a prefix of the other
void bk_path_text(Bk *bk, int path, char *buf, size_t size);  // `p.name`, `*r`, `v`
Local *bk_local(Bk *bk, int id);

// borrowck_flow.c
void bk_dataflow(Bk *bk);
void bk_walk(Bk *bk);                        // the checks
int bk_later_use(Bk *bk, int ev, int loan);  // an event using the loan after ev, or -1
int bk_find_move(Bk *bk, int ev, int path, bool *earlier_iteration);

// borrowck_report.c
void bk_report_moved(Bk *bk, int ev, int used, int moved, int move_ev, bool prev_iter);
void bk_report_uninit(Bk *bk, int ev, int path, bool maybe);
void bk_report_conflict(Bk *bk, int ev, int path, AccKind acc, int loan);
void bk_report_dead_borrowed(Bk *bk, int ev, int loan);
void bk_report_reassign(Bk *bk, int ev);
void bk_report_mutability(Bk *bk, Node *at, int path, bool assign, bool elem);
void bk_sort_diags(Bk *bk);

#endif
