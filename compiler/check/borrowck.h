// borrowck.h — native mode's ownership and borrow checker (SPEC §2, §5, §7;
// docs/ownership.md teaches the rules, issue 4 specifies the checker).
//
// bk_check() runs after ck_check() succeeded, one function at a time (SPEC §2:
// references are second-class, so borrow checking never looks past the
// function at hand). It follows rustc after non-lexical lifetimes (RFC 2094),
// simplified by what Toy lacks (no lifetimes, no references in values):
//
//   1. borrowck_cfg.c lowers the checked tree into a control-flow graph whose
//      blocks hold events in evaluation order: accesses to places (copy,
//      shared borrow, mutable borrow, move, assignment), initializations,
//      declarations, scope ends, uses of references, and the creation of
//      loans (`&v`, `&mut p.f`, a two-phase `&mut self` receiver, `for x in
//      &v`, `match &o`).
//   2. borrowck_flow.c runs bit-vector dataflow over it: backward liveness of
//      the variables and temporaries that hold references ("holders"), then
//      forward "maybe initialized / maybe uninitialized / maybe moved" over
//      the move paths (a local and the field paths the function names), and
//      forward "loans in scope": a loan lives from its creation while some
//      holder it flowed into is live (a borrow ends at its last use).
//   3. A final walk checks each event against those states and reports
//      through borrowck_report.c (rustc's messages, plus a note saying what
//      interp mode does with the same program).
//
// Codes: E0382 use after move, E0381 possibly-uninitialized, E0384 assign
// twice to an immutable binding, E0596 `&mut` of an immutable place, E0594
// assignment into an immutable place, E0499 / E0502 / E0503 / E0505 / E0506
// conflicts with a live borrow, E0597 a borrowed local going out of scope,
// E0716 a borrowed temporary dropped at the end of an assignment. (E0507,
// E0106 and E0373 are the type checker's: compiler/check/check.h.)
//
// DROP ELABORATION (for the C generator). After bk_check() returned true,
// every Local of every function carries:
//   needs_drop_flag   at some drop point of the local (the end of its scope,
//                     a `break`/`continue`/`return` leaving it, an assignment
//                     overwriting it) the local as a whole is initialized on
//                     some paths and moved (or not yet initialized) on others:
//                     only such a local needs a run-time drop flag. A local
//                     without it is, at each of its drop points, either
//                     definitely initialized or definitely not, so its drop
//                     is decided at compile time.
//   moved             it (or a field of it) is moved somewhere in the function.
//                     A move-type local with `moved` false is dropped at every
//                     exit of its scope, unconditionally.
//   field_flags       a list (NULL when empty) of the field paths of a struct
//                     or tuple local that are moved on some paths but not others
//                     at some drop point while the local itself is not wholly
//                     moved (a conditional partial move: `if c { take(p.name); }`).
//                     Each path names fields from the local down
//                     (`idx[0]` is a field of the local, `idx[1]` a field of
//                     that, …; tuple items count as fields).
//   drops             the local's state at each of its drop points (move-type
//                     locals only), read with bk_drop_state(local, at):
//                       BK_DROP_INIT   definitely initialized on every path
//                                      reaching the point: drop, no test;
//                       BK_DROP_MOVED  definitely moved (or never assigned) on
//                                      every path: nothing to drop, no code;
//                       BK_DROP_MAYBE  differs by path: test the drop flag
//                                      (needs_drop_flag is then set).
//                     `at` is the node the generator drops at:
//                       ND_BLOCK   its end, for the locals declared in it (a
//                                  function's body also for the parameters);
//                       ND_BREAK / ND_CONTINUE  the locals of the loop body
//                                  (the `for` variable included) it leaves;
//                       ND_RETURN  every local in scope;
//                       ND_FOR_IN / ND_FOR_RANGE  the end of an iteration,
//                                  for the loop variable;
//                       ND_ARM     the end of a match arm, for its binding;
//                       ND_ASSIGN  `x = e` overwriting the local x (its old value).
//                     A point the checker found unreachable has no entry
//                     (bk_drop_state returns BK_DROP_NONE).
// The state is the root's: a partial move (`let n = p.name;`) leaves the root
// initialized, so the generator zeroes a field it moves out (the struct's
// drop then skips it) and drops the struct as a whole. A local whose fields
// are moved unconditionally has `moved` set and neither flag.
#ifndef LAB_BORROWCK_H
#define LAB_BORROWCK_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "types.h"

#define BK_PATH_MAX 8

typedef struct BkFieldFlag {
  int depth;                 // number of indices in idx (1..BK_PATH_MAX)
  int idx[BK_PATH_MAX];      // field (or tuple item) indices from the local down
  struct BkFieldFlag *next;
} BkFieldFlag;

typedef enum { BK_DROP_NONE, BK_DROP_INIT, BK_DROP_MOVED, BK_DROP_MAYBE } BkDropState;

typedef struct BkDropPoint {
  const Node *at;            // the drop point (see DROP ELABORATION above)
  uint8_t state;             // BkDropState
  struct BkDropPoint *next;
} BkDropPoint;

// The state of move-type local l at drop point `at` (BK_DROP_NONE: not a
// reachable drop point of l).
static inline BkDropState bk_drop_state(const Local *l, const Node *at) {
  for (const BkDropPoint *d = l->drops; d; d = d->next)
    if (d->at == at) return (BkDropState)d->state;
  return BK_DROP_NONE;
}

// Checks ownership, borrows, mutability and initialization in every function
// of `prog` (which ck_check() accepted) and reports each error into `sink`,
// in source order within a function. Returns true when there is none; the
// drop annotations above are set either way.
bool bk_check(Program *prog, DiagSink *sink);

// ---- ownership facts (`lab trace`, docs/trace.md) ------------------------------
// The checker's state of each named local after each event of the checking
// walk: initialized on every path, on none, or on some (and whether a move
// made it so), and the borrows of it still live there (non-lexical: a
// borrow lives until its holder's last use) with who holds each. A sink
// set with bk_set_fact_sink receives them from the next bk_check on, in
// walk order (blocks in order, events in each); the last fact of a line is
// the state after that line's last event.
enum { BK_FACT_BORROWERS = 6 };
typedef struct BkFact {
  const FnDecl *fn;
  const Local *local;
  int line;
  bool maybe_init, maybe_uninit, maybe_moved;
  int nborrows;                  // live borrows of it (or of a part of it)
  const Local *by[BK_FACT_BORROWERS];  // who holds each (NULL: a temporary)
  bool by_mut[BK_FACT_BORROWERS];
} BkFact;
typedef void (*BkFactSink)(const BkFact *fact, void *ctx);
void bk_set_fact_sink(BkFactSink sink, void *ctx);  // NULL: none (the default)

#endif
