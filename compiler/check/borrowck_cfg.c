// borrowck_cfg.c — lowers one checked function into the borrow checker's
// control-flow graph (compiler/check/borrowck_int.h has the vocabulary).
//
// Events are emitted in evaluation order (SPEC §4: a call's arguments left to
// right, an assignment's right-hand side before its target), each block's
// events contiguous: a new block always starts at the end of the event array,
// so the structured walk below never returns to an earlier block.
//
// Where each borrow lives (SPEC §5 "Receivers", "Places"):
//   - `let r = &v;` / `r = &mut v.f;` — the loan is created by the INIT of r
//     (so that r's liveness, which starts there, keeps it);
//   - `&v` as a function argument, a builtin argument or an operand, and a
//     method receiver — a temporary holder, created at the borrow and used by
//     the call that consumes it. A `&mut self` receiver is a two-phase
//     borrow: reserved (shared) at the receiver, activated at the call after
//     the arguments (`v.push(v.len())` is accepted);
//   - `for x in &v` — a temporary (the iterator) used at each loop head;
//   - `match &o { Some(x) => … }` — a temporary used at each arm's start;
//     the bindings receive its loans.
// A temporary borrow consumed right after it is made (`v.len()`, `print(v)`)
// needs no loan: nothing can happen in between. Such loans are retracted,
// which keeps the number of loans small in ordinary code.
#include <stdlib.h>
#include <string.h>

#include "borrowck_int.h"
#include "builtins.h"
#include "tokens.h"
#include "xalloc.h"

#define GROW(arr, n, cap)                                                     \
  do {                                                                        \
    if ((n) == (cap)) {                                                       \
      (cap) = (cap) ? (cap) * 2 : 16;                                         \
      (arr) = rt_xrealloc((arr), (size_t)(cap) * sizeof *(arr));              \
    }                                                                         \
  } while (0)

// A temporary borrow waiting for the call that consumes it.
typedef struct Pending {
  int ev;        // the access event that created it
  int loan, holder;
  int nflows;    // Bk.nflows before it (a retraction drops its flows)
  bool two_phase;
} Pending;

static Pending *pend;
static int npend, cappend;

static void stmt(Bk *bk, Node *n);
static void block(Bk *bk, Node *n);
static void eval(Bk *bk, Node *n, bool in_call);

Local *bk_local(Bk *bk, int id) { return bk->fn->locals[id]; }

// ---- blocks and events -------------------------------------------------------------

static int new_block(Bk *bk) {
  GROW(bk->blocks, bk->nblocks, bk->capblocks);
  Block *b = &bk->blocks[bk->nblocks];
  memset(b, 0, sizeof *b);
  b->first = b->last = -1;
  b->loop_depth = bk->loop_depth;
  return bk->nblocks++;
}

static void edge(Bk *bk, int from, int to) {
  GROW(bk->edges, bk->nedges, bk->capedges);
  bk->edges[bk->nedges++] = (Flow){from, to};
}

// Makes b the block being filled (it starts at the next event).
static void enter(Bk *bk, int b) {
  if (bk->cur >= 0) bk->blocks[bk->cur].last = bk->nevs;
  bk->blocks[b].first = bk->nevs;
  bk->blocks[b].loop_depth = bk->loop_depth;
  bk->cur = b;
}

// Control cannot reach what follows (after return/break/continue).
static void unreachable(Bk *bk) { enter(bk, new_block(bk)); }

static Ev *emit(Bk *bk, EvKind kind, Node *node) {
  GROW(bk->evs, bk->nevs, bk->capevs);
  Ev *e = &bk->evs[bk->nevs++];
  memset(e, 0, sizeof *e);
  e->kind = (uint8_t)kind;
  e->path = e->local = e->loan = e->def = e->use = -1;
  e->node = node;
  e->block = bk->cur;
  return e;
}

// ---- paths -------------------------------------------------------------------------------

static int new_path(Bk *bk, int parent, int local, PathKind kind, int index, Type *ty) {
  GROW(bk->paths, bk->npaths, bk->cappaths);
  Path *p = &bk->paths[bk->npaths];
  memset(p, 0, sizeof *p);
  p->parent = parent;
  p->local = local;
  p->kind = kind;
  p->index = index;
  p->first_child = p->next_sibling = -1;
  p->ty = ty;
  p->deref = kind == P_DEREF || (parent >= 0 && bk->paths[parent].deref);
  if (parent >= 0) {
    p->next_sibling = bk->paths[parent].first_child;
    bk->paths[parent].first_child = bk->npaths;
  }
  return bk->npaths++;
}

static int root_of(Bk *bk, Local *l) {
  if (bk->root_path[l->id] < 0) bk->root_path[l->id] = new_path(bk, -1, l->id, P_ROOT, 0, l->type);
  return bk->root_path[l->id];
}

static int deref_of(Bk *bk, Local *l) {
  if (bk->deref_path[l->id] < 0) {
    int r = root_of(bk, l);
    bk->deref_path[l->id] = new_path(bk, r, l->id, P_DEREF, 0, ty_strip_refs(l->type));
  }
  return bk->deref_path[l->id];
}

static int field_of(Bk *bk, int parent, int index, Type *ty) {
  for (int c = bk->paths[parent].first_child; c >= 0; c = bk->paths[c].next_sibling)
    if (bk->paths[c].kind == P_FIELD && bk->paths[c].index == index) return c;
  return new_path(bk, parent, bk->paths[parent].local, P_FIELD, index, ty);
}

int bk_path_root(Bk *bk, int path) {
  while (bk->paths[path].parent >= 0) path = bk->paths[path].parent;
  return path;
}

bool bk_within(Bk *bk, int a, int b) {
  Path *pa = &bk->paths[a], *pb = &bk->paths[b];
  return pa->local == pb->local && pa->bit >= pb->bit && pa->bit <= pb->end;
}

bool bk_overlap(Bk *bk, int a, int b) { return bk_within(bk, a, b) || bk_within(bk, b, a); }

void bk_path_text(Bk *bk, int path, char *buf, size_t size) {
  Path *p = &bk->paths[path];
  if (p->kind == P_ROOT || p->kind == P_DEREF) {
    snprintf(buf, size, "%s", bk_local(bk, p->local)->name);
    return;
  }
  char base[256];
  bk_path_text(bk, p->parent, base, sizeof base);
  Type *pt = bk->paths[p->parent].ty ? ty_strip_refs(bk->paths[p->parent].ty) : NULL;
  if (pt && pt->kind == TY_STRUCT && p->index < pt->st->nfields)
    snprintf(buf, size, "%s.%s", base, pt->st->fields[p->index].name);
  else
    snprintf(buf, size, "%s.%d", base, p->index);
}

// The path of the place expression n, or -1 when n is not a place rooted at
// a local (a const, a call's result, …). Sets *elem when the place goes
// through an index: it is then the list or map itself. Evaluates what the
// place needs on the way (index operands, a non-place base) in order.
static int place_eval(Bk *bk, Node *n, bool *elem) {
  switch (n->kind) {
  case ND_NAME:
    if (!n->local) return -1;
    if (ty_is_ref(n->local->type) && n->deref) return deref_of(bk, n->local);
    return root_of(bk, n->local);
  case ND_FIELD:
  case ND_TUPLE_INDEX: {
    int b = place_eval(bk, n->lhs, elem);
    if (b < 0) return -1;
    if (*elem) return b;
    // A reference local used as a base is read through (ck marks deref).
    if (n->lhs->kind == ND_NAME && ty_is_ref(n->lhs->local->type) && !bk->paths[b].deref)
      b = deref_of(bk, n->lhs->local);
    return field_of(bk, b, n->index, n->ty);
  }
  case ND_INDEX: {
    int b = place_eval(bk, n->lhs, elem);
    if (b >= 0 && n->lhs->kind == ND_NAME && ty_is_ref(n->lhs->local->type) && !bk->paths[b].deref)
      b = deref_of(bk, n->lhs->local);
    eval(bk, n->rhs, false);
    if (b < 0) return -1;
    *elem = true;
    return b;
  }
  default:
    eval(bk, n, false);
    return -1;
  }
}

static bool is_place_node(Node *n) {
  return n->kind == ND_NAME || n->kind == ND_FIELD || n->kind == ND_TUPLE_INDEX || n->kind == ND_INDEX;
}

// The holder of the reference local at the root of `path`, or -1.
static int root_holder(Bk *bk, int path) { return bk->local_holder[bk->paths[path].local]; }

static int new_holder(Bk *bk, int local, Node *node) {
  GROW(bk->holders, bk->nholders, bk->capholders);
  bk->holders[bk->nholders] = (Holder){local, node};
  return bk->nholders++;
}

static void flow(Bk *bk, int from, int to) {
  if (from < 0 || to < 0 || from == to) return;
  GROW(bk->flows, bk->nflows, bk->capflows);
  bk->flows[bk->nflows++] = (Flow){from, to};
}

static int new_loan(Bk *bk, int path, bool mut, bool elem, int holder, Node *node) {
  GROW(bk->loans, bk->nloans, bk->caploans);
  bk->loans[bk->nloans] = (Loan){path, mut, false, elem, path < 0, holder, node};
  return bk->nloans++;
}

// An access event; a place through a reference uses that reference.
static Ev *access(Bk *bk, int path, AccKind acc, bool elem, Node *node) {
  Ev *e = emit(bk, EV_ACCESS, node);
  e->path = path;
  e->acc = (uint8_t)acc;
  e->elem = elem;
  if (bk->paths[path].deref) e->use = root_holder(bk, path);
  if (acc == A_MOVE && !bk->paths[path].deref) bk_local(bk, bk->paths[path].local)->moved = true;
  return e;
}

// ---- mutability (static: E0596, E0594) --------------------------------------------

// May the place be changed (borrowed mutably, assigned into)? Reports E0596
// (`assign` false) or E0594 at `at` when not.
static void check_mutable(Bk *bk, Node *at, int path, bool assign, bool elem) {
  Path *p = &bk->paths[path];
  Local *l = bk_local(bk, p->local);
  if (p->deref) {
    if (ty_find(l->type)->kind == TY_REFMUT) return;
  } else {
    l->mutated = true;  // it needs its `mut` (compiler/check/lint.c)
    if (l->is_mut) return;
  }
  bk->any_error = true;
  bk_report_mutability(bk, at, path, assign, elem);
}

// ---- temporaries consumed by a call ----------------------------------------------------

static int pend_mark(void) { return npend; }

// A temporary borrow of `path` (shared, mutable or two-phase) into a fresh
// holder, pending until consume().
static void temp_borrow(Bk *bk, int path, bool mut, bool two_phase, bool elem, Node *node) {
  int nflows = bk->nflows;
  int h = new_holder(bk, -1, node);
  int l = new_loan(bk, path, mut, elem, h, node);
  bk->loans[l].two_phase = two_phase;
  flow(bk, root_holder(bk, path), h);
  Ev *e = access(bk, path, mut && !two_phase ? A_MUT : A_SHARED, elem, node);
  e->loan = l;
  e->def = h;
  e->reserve = two_phase;
  GROW(pend, npend, cappend);
  pend[npend++] = (Pending){bk->nevs - 1, l, h, nflows, two_phase};
}

// The call that consumes the temporaries since `mark` happens here: a
// two-phase borrow is activated, then every temporary is used (and dies).
static void consume(Bk *bk, int mark, Node *call) {
  if (npend == mark) return;
  Pending *top = &pend[npend - 1];
  bool retracted = false;
  if (top->ev == bk->nevs - 1 && top->loan == bk->nloans - 1 && top->holder == bk->nholders - 1) {
    // Nothing happened between the borrow and its use: a plain access.
    Ev *e = &bk->evs[top->ev];
    if (top->two_phase) e->acc = A_MUT;
    e->loan = e->def = -1;
    e->reserve = false;
    bk->nloans--;
    bk->nholders--;
    bk->nflows = top->nflows;
    retracted = true;
  }
  int end = npend - (retracted ? 1 : 0);
  for (int i = mark; i < end; i++)
    if (pend[i].two_phase) {
      Ev *e = emit(bk, EV_ACTIVATE, call);
      e->loan = pend[i].loan;
      e->path = bk->loans[pend[i].loan].path;
      e->elem = bk->loans[pend[i].loan].elem;
      e->use = pend[i].holder;
    }
  for (int i = mark; i < end; i++) {
    Ev *e = emit(bk, EV_USE, call);
    e->use = pend[i].holder;
  }
  npend = mark;
}

// ---- expressions -------------------------------------------------------------------------

static void set_dest(Bk *bk, MoveDest d, Node *aux) {
  if (!bk->nevs) return;
  Ev *e = &bk->evs[bk->nevs - 1];
  if (e->kind == EV_ACCESS && e->acc == A_MOVE && !e->aux) {
    e->dest = (uint8_t)d;
    e->aux = aux;
  }
}

// `&place` / `&mut place` (n is the ND_UNARY). The loan goes into `dest`: a
// temporary when dest < 0 (pending for the parent's call, or unconsumed when
// `pending` is false: then the caller uses it itself), or the reference local
// whose INIT follows — then the loan is returned, for that INIT to create.
static int borrow_expr(Bk *bk, Node *n, int dest, bool pending, int *temp_out) {
  bool mut = n->op == TK_AMP_MUT;
  bool elem = false;
  int p = place_eval(bk, n->lhs, &elem);
  if (temp_out) *temp_out = -1;
  if (p < 0) return -1;  // a borrowed temporary: lives as long as the statement (or the `let`)
  if (mut) check_mutable(bk, n->lhs, p, false, elem);
  if (dest < 0 && pending) {
    temp_borrow(bk, p, mut, false, elem, n);
    return -1;
  }
  if (dest < 0) {
    int h = new_holder(bk, -1, n);
    int l = new_loan(bk, p, mut, elem, h, n);
    flow(bk, root_holder(bk, p), h);
    Ev *e = access(bk, p, mut ? A_MUT : A_SHARED, elem, n);
    e->loan = l;
    e->def = h;
    if (temp_out) *temp_out = h;
    return l;
  }
  int l = new_loan(bk, p, mut, elem, dest, n);
  flow(bk, root_holder(bk, p), dest);
  access(bk, p, mut ? A_MUT : A_SHARED, elem, n);
  return l;
}

// A place expression used as its use mode says (COPY, MOVE, BORROW, …).
static void use_place(Bk *bk, Node *n, bool in_call) {
  bool elem = false;
  int p = place_eval(bk, n, &elem);
  if (p < 0) return;
  Path *pp = &bk->paths[p];
  bool ref_value = n->kind == ND_NAME && ty_is_ref(n->local->type) && !n->deref;
  switch (n->use) {
  case USE_COPY:
    if (ref_value) {
      // A reference copied as a value (an argument for a `&T` parameter is
      // handled by the call): a read of what it points to.
      Ev *e = access(bk, deref_of(bk, n->local), A_SHARED, false, n);
      e->use = bk->local_holder[n->local->id];
    } else {
      access(bk, p, A_COPY, elem, n);
    }
    break;
  case USE_MOVE:
    if (elem || pp->deref) access(bk, p, A_SHARED, elem, n);  // E0507, reported by the type checker
    else access(bk, p, A_MOVE, false, n);
    break;
  case USE_BORROW_MUT:
    check_mutable(bk, n, p, false, elem);
    if (in_call) temp_borrow(bk, p, true, false, elem, n);
    else access(bk, p, A_MUT, elem, n);
    break;
  default:  // BORROW (and anything that only reads)
    if (in_call) temp_borrow(bk, p, false, false, elem, n);
    else access(bk, p, A_SHARED, elem, n);
    break;
  }
}

static void call_args(Bk *bk, Node *n) {
  for (int i = 0; i < n->nitems; i++) {
    Node *a = n->items[i];
    Type *pt = n->fn && i < n->fn->nparams ? ty_find(n->fn->param_types[i]) : NULL;
    if (pt && (pt->kind == TY_REF || pt->kind == TY_REFMUT)) {
      bool mut = pt->kind == TY_REFMUT;
      if (a->kind == ND_UNARY && (a->op == TK_AMP || a->op == TK_AMP_MUT)) {
        borrow_expr(bk, a, -1, true, NULL);
        continue;
      }
      if (a->kind == ND_NAME && a->local && ty_is_ref(a->local->type)) {
        // A reference passed on: a reborrow of what it points to.
        int d = deref_of(bk, a->local);
        if (mut) check_mutable(bk, a, d, false, false);
        // `&mut` passed on is an implicit reborrow `&mut *r`, two-phase as in
        // rustc: `push_n(v, v.len())` reads `*v` before the call activates it.
        temp_borrow(bk, d, mut, mut, false, a);
        continue;
      }
    }
    eval(bk, a, true);
    if (n->fn) set_dest(bk, MD_ARG, n);
  }
}

static void method(Bk *bk, Node *n) {
  int mark = pend_mark();
  Node *r = n->lhs;
  if (is_place_node(r) && (r->use == USE_BORROW_MUT || r->use == USE_BORROW)) {
    bool elem = false;
    int p = place_eval(bk, r, &elem);
    if (p >= 0) {
      if (r->use == USE_BORROW_MUT) {
        // Two-phase, except for an element (`v[0].push(…)`): as in Rust,
        // indexing mutably borrows the list before the arguments run.
        check_mutable(bk, r, p, false, elem);
        temp_borrow(bk, p, true, !elem, elem, r);
      } else {
        temp_borrow(bk, p, false, false, elem, r);
      }
    }
  } else {
    eval(bk, r, true);
    set_dest(bk, MD_CONSUME, n);
  }
  for (int i = 0; i < n->nitems; i++) {
    eval(bk, n->items[i], true);
    set_dest(bk, MD_STORE, n);
  }
  consume(bk, mark, n);
}

static void eval(Bk *bk, Node *n, bool in_call) {
  if (!n) return;
  switch (n->kind) {
  case ND_INT: case ND_FLOAT: case ND_STR: case ND_BOOL: case ND_NONE: case ND_PATH:
    return;
  case ND_NAME:
  case ND_FIELD:
  case ND_TUPLE_INDEX:
  case ND_INDEX:
    if (n->kind == ND_NAME && !n->local) return;  // a const: a fresh value
    use_place(bk, n, in_call);
    return;
  case ND_SOME:
    eval(bk, n->lhs, false);
    set_dest(bk, MD_STORE, n);
    return;
  case ND_LIST:
  case ND_TUPLE:
  case ND_STRUCT_LIT:
    for (int i = 0; i < n->nitems; i++) {
      eval(bk, n->items[i], false);
      set_dest(bk, MD_STORE, n);
    }
    return;
  case ND_MAP:
    for (int i = 0; i < n->nitems; i++) {
      eval(bk, n->items[i], false);
      set_dest(bk, MD_STORE, n);
      eval(bk, n->values[i], false);
      set_dest(bk, MD_STORE, n);
    }
    return;
  case ND_LIST_REPEAT: {
    int mark = pend_mark();
    eval(bk, n->lhs, true);
    eval(bk, n->rhs, true);
    consume(bk, mark, n);
    return;
  }
  case ND_UNARY:
    if (n->op == TK_AMP || n->op == TK_AMP_MUT) {
      borrow_expr(bk, n, -1, in_call, NULL);
      return;
    }
    eval(bk, n->lhs, false);
    return;
  case ND_BINARY:
    if (n->op == TK_AMPAMP || n->op == TK_PIPEPIPE) {
      eval(bk, n->lhs, false);
      int from = bk->cur, rhs = new_block(bk), join = new_block(bk);
      edge(bk, from, rhs);
      edge(bk, from, join);
      enter(bk, rhs);
      eval(bk, n->rhs, false);
      edge(bk, bk->cur, join);
      enter(bk, join);
      return;
    } else {
      int mark = pend_mark();
      eval(bk, n->lhs, true);
      eval(bk, n->rhs, true);
      consume(bk, mark, n);
      return;
    }
  case ND_CALL: {
    int mark = pend_mark();
    call_args(bk, n);
    consume(bk, mark, n);
    return;
  }
  case ND_METHOD:
    method(bk, n);
    return;
  case ND_SPAWN:
    if (n->lhs && n->lhs->kind == ND_CALL) {
      Node *c = n->lhs;
      for (int i = 0; i < c->nitems; i++) {
        eval(bk, c->items[i], false);
        set_dest(bk, MD_SPAWN, n);
      }
    }
    return;
  default:
    return;
  }
}

// The value of a `let` or an assignment whose target is the reference local
// with holder `dest`: returns the loan its INIT creates (or -1) and the holder
// it copies from (*use, or -1).
static int ref_value(Bk *bk, Node *n, int dest, int *use) {
  *use = -1;
  if (n->kind == ND_UNARY && (n->op == TK_AMP || n->op == TK_AMP_MUT)) {
    int l = borrow_expr(bk, n, dest, false, NULL);
    if (l < 0 && !is_place_node(n->lhs)) {
      // `&temporary`: a loan of no place; see the E0716 check in stmt().
      l = new_loan(bk, -1, n->op == TK_AMP_MUT, false, dest, n);
    }
    return l;
  }
  if (n->kind == ND_NAME && n->local && ty_is_ref(n->local->type)) {
    int h = bk->local_holder[n->local->id];
    access(bk, root_of(bk, n->local), n->use == USE_MOVE ? A_MOVE : A_COPY, false, n);
    flow(bk, h, dest);
    *use = h;
    return -1;
  }
  eval(bk, n, false);
  return -1;
}

// ---- statements ------------------------------------------------------------------

static void push_scope(Bk *bk, Local *l) {
  GROW(bk->scope, bk->nscope, bk->capscope);
  bk->scope[bk->nscope++] = l->id;
}

static void dead(Bk *bk, int local, Node *at) {
  Ev *e = emit(bk, EV_DEAD, at);
  e->local = local;
  e->def = bk->local_holder[local];
  root_of(bk, bk_local(bk, local));
}

// Emits the scope ends of the locals above `mark` (innermost first); `pop`
// also forgets them (a block's end; a jump leaves them for the code after it).
static void leave_scopes(Bk *bk, int mark, Node *at, bool pop) {
  for (int i = bk->nscope - 1; i >= mark; i--) dead(bk, bk->scope[i], at);
  if (pop) bk->nscope = mark;
}

static Ev *init(Bk *bk, Local *l, Node *at) {
  Ev *e = emit(bk, EV_INIT, at);
  e->path = root_of(bk, l);
  e->def = bk->local_holder[l->id];
  return e;
}

static void assign(Bk *bk, Node *n) {
  Node *t = n->lhs;
  bool compound = n->op != TK_EQ;
  bool whole_ref = t->kind == ND_NAME && t->local && ty_is_ref(t->local->type);
  int loan = -1, use = -1;
  if (compound) {
    eval(bk, n->rhs, false);
  } else if (whole_ref) {
    loan = ref_value(bk, n->rhs, bk->local_holder[t->local->id], &use);
  } else {
    eval(bk, n->rhs, false);
    set_dest(bk, MD_ASSIGN, n);
  }
  bool elem = false;
  int p = place_eval(bk, t, &elem);
  if (p < 0) return;
  Path *pp = &bk->paths[p];
  if (elem) {
    // `v[i] = x` / `m[k] += 1`: the list or map is changed in place.
    check_mutable(bk, t, p, true, true);
    access(bk, p, A_MUT, true, t);
    return;
  }
  if (pp->kind != P_ROOT) check_mutable(bk, t, p, true, false);
  if (compound) access(bk, p, A_COPY, false, t);
  if (pp->deref) {
    access(bk, p, A_WRITE, false, t);
    return;
  }
  Ev *e = emit(bk, EV_INIT, t);
  e->path = p;
  e->acc = A_WRITE;
  e->whole_assign = pp->kind == P_ROOT;
  e->aux = n;
  if (pp->kind == P_ROOT) e->def = bk->local_holder[pp->local];
  e->loan = loan;
  e->use = use;
  if (loan >= 0 && bk->loans[loan].temp_value) {
    // The temporary dies at the end of the statement (E0716 if still borrowed).
    Ev *d = emit(bk, EV_DEAD, n);
    d->loan = loan;
  }
}

// A loop's three blocks. loop_open() ends the current block with an edge to
// the head and enters it (the head holds the loop's test); loop_enter_body()
// leaves the head's current block towards the body and the exit, records the
// loop for `break`/`continue`, and enters the body; loop_close() adds the
// back edge and continues at the exit.
typedef struct LoopBlocks {
  int head, body, exit;
} LoopBlocks;

static LoopBlocks loop_open(Bk *bk) {
  LoopBlocks lb = {new_block(bk), new_block(bk), new_block(bk)};
  edge(bk, bk->cur, lb.head);
  bk->loop_depth++;
  enter(bk, lb.head);
  return lb;
}

static void loop_enter_body(Bk *bk, Node *n, LoopBlocks lb) {
  edge(bk, bk->cur, lb.body);
  edge(bk, bk->cur, lb.exit);
  GROW(bk->loops, bk->nloops, bk->caploops);
  bk->loops[bk->nloops++] = (Loop){lb.head, lb.exit, bk->nscope, n};
  enter(bk, lb.body);
}

static void loop_close(Bk *bk, LoopBlocks lb) {
  edge(bk, bk->cur, lb.head);
  bk->nloops--;
  bk->loop_depth--;
  enter(bk, lb.exit);
}

static void for_in(Bk *bk, Node *n) {
  Node *s = n->lhs;
  int iter = -1;
  if (s->kind == ND_UNARY && (s->op == TK_AMP || s->op == TK_AMP_MUT)) {
    borrow_expr(bk, s, -1, false, &iter);
  } else if (s->kind == ND_NAME && s->local && ty_is_ref(s->local->type)) {
    // `for x in r`: the loop borrows what r points to, for the whole loop
    // (with `&mut`, nothing else may touch it meanwhile — not even through r).
    int d = deref_of(bk, s->local);
    bool mut = ty_find(s->local->type)->kind == TY_REFMUT && ty_find(n->local->type)->kind == TY_REFMUT;
    if (mut) check_mutable(bk, s, d, false, false);
    iter = new_holder(bk, -1, s);
    int l = new_loan(bk, d, mut, false, iter, s);
    flow(bk, root_holder(bk, d), iter);
    Ev *e = access(bk, d, mut ? A_MUT : A_SHARED, false, s);
    e->loan = l;
    e->def = iter;
  } else {
    eval(bk, s, false);
    set_dest(bk, MD_FOR, n);
  }
  LoopBlocks lb = loop_open(bk);
  if (iter >= 0) emit(bk, EV_USE, n)->use = iter;
  loop_enter_body(bk, n, lb);
  int mark = bk->nscope;
  Ev *e = init(bk, n->local, n);
  if (iter >= 0 && e->def >= 0) {
    e->use = iter;
    flow(bk, iter, e->def);
  }
  push_scope(bk, n->local);
  block(bk, n->body);
  leave_scopes(bk, mark, n, true);
  loop_close(bk, lb);
}

static void match_stmt(Bk *bk, Node *n) {
  Node *s = n->lhs;
  bool by_ref = ty_is_ref(s->ty) && !s->deref;
  int holder = -1, path = -1;
  bool moves = false;
  if (by_ref) {
    if (s->kind == ND_UNARY && (s->op == TK_AMP || s->op == TK_AMP_MUT)) {
      borrow_expr(bk, s, -1, false, &holder);
    } else if (s->kind == ND_NAME && s->local) {
      holder = bk->local_holder[s->local->id];
      access(bk, deref_of(bk, s->local), A_SHARED, false, s);
    } else {
      eval(bk, s, false);
    }
  } else if (is_place_node(s) && !(s->kind == ND_NAME && !s->local)) {
    bool elem = false;
    path = place_eval(bk, s, &elem);
    if (path >= 0) {
      moves = s->use == USE_MOVE && !elem && !bk->paths[path].deref;
      access(bk, path, s->use == USE_COPY ? A_COPY : A_SHARED, elem, s);
    }
  } else {
    eval(bk, s, false);
  }
  int dispatch = bk->cur, join = new_block(bk);
  for (int i = 0; i < n->nitems; i++) {
    Node *arm = n->items[i];
    int b = new_block(bk);
    edge(bk, dispatch, b);
    enter(bk, b);
    int mark = bk->nscope;
    Local *x = arm->pat ? arm->pat->local : NULL;
    if (by_ref) {
      if (x) {
        Ev *e = init(bk, x, arm);
        e->use = holder;
        flow(bk, holder, e->def);
      } else if (holder >= 0) {
        emit(bk, EV_USE, arm)->use = holder;
      }
    } else if (x) {
      if (moves && ty_is_move(x->type)) {
        Ev *e = access(bk, path, A_MOVE, false, s);
        e->dest = MD_MATCH;
        e->aux = arm;
      }
      init(bk, x, arm);
    }
    if (x) push_scope(bk, x);
    if (arm->body) block(bk, arm->body);
    leave_scopes(bk, mark, arm, true);
    edge(bk, bk->cur, join);
  }
  enter(bk, join);
}

static void stmt(Bk *bk, Node *n) {
  switch (n->kind) {
  case ND_LET: {
    Local *l = n->local;
    if (!n->lhs) {
      Ev *e = emit(bk, EV_DECL, n);
      e->local = l->id;
      e->def = bk->local_holder[l->id];
      root_of(bk, l);
    } else if (bk->local_holder[l->id] >= 0) {
      int use, loan = ref_value(bk, n->lhs, bk->local_holder[l->id], &use);
      Ev *e = init(bk, l, n);
      e->loan = loan;
      e->use = use;
    } else {
      eval(bk, n->lhs, false);
      set_dest(bk, MD_LET, n);
      init(bk, l, n);
    }
    push_scope(bk, l);
    return;
  }
  case ND_ASSIGN:
    assign(bk, n);
    return;
  case ND_EXPR_STMT:
    eval(bk, n->lhs, false);
    return;
  case ND_IF: {
    eval(bk, n->cond, false);
    int from = bk->cur, then = new_block(bk), join = new_block(bk);
    edge(bk, from, then);
    enter(bk, then);
    block(bk, n->then);
    edge(bk, bk->cur, join);
    if (n->els) {
      int els = new_block(bk);
      edge(bk, from, els);
      enter(bk, els);
      if (n->els->kind == ND_IF) stmt(bk, n->els);
      else block(bk, n->els);
      edge(bk, bk->cur, join);
    } else {
      edge(bk, from, join);
    }
    enter(bk, join);
    return;
  }
  case ND_WHILE: {
    LoopBlocks lb = loop_open(bk);
    eval(bk, n->cond, false);
    loop_enter_body(bk, n, lb);
    block(bk, n->body);
    loop_close(bk, lb);
    return;
  }
  case ND_FOR_RANGE: {
    eval(bk, n->lhs, false);
    eval(bk, n->rhs, false);
    LoopBlocks lb = loop_open(bk);
    loop_enter_body(bk, n, lb);
    int mark = bk->nscope;
    init(bk, n->local, n);
    push_scope(bk, n->local);
    block(bk, n->body);
    leave_scopes(bk, mark, n, true);
    loop_close(bk, lb);
    return;
  }
  case ND_FOR_IN:
    for_in(bk, n);
    return;
  case ND_BREAK:
  case ND_CONTINUE: {
    if (!bk->nloops) return;
    Loop *lp = &bk->loops[bk->nloops - 1];
    leave_scopes(bk, lp->scope_mark, n, false);
    edge(bk, bk->cur, n->kind == ND_BREAK ? lp->exit : lp->head);
    unreachable(bk);
    return;
  }
  case ND_RETURN:
    if (n->lhs) {
      eval(bk, n->lhs, false);
      set_dest(bk, MD_RETURN, n);
    }
    leave_scopes(bk, 0, n, false);
    edge(bk, bk->cur, 1);  // block 1 is the exit
    unreachable(bk);
    return;
  case ND_MATCH:
    match_stmt(bk, n);
    return;
  case ND_BLOCK:
    block(bk, n);
    return;
  default:
    eval(bk, n, false);
    return;
  }
}

static void block(Bk *bk, Node *n) {
  if (!n) return;
  if (n->kind != ND_BLOCK) {
    stmt(bk, n);
    return;
  }
  int mark = bk->nscope;
  for (int i = 0; i < n->nitems; i++) stmt(bk, n->items[i]);
  leave_scopes(bk, mark, n, true);
}

// ---- the function --------------------------------------------------------------------

// Preorder numbering of the paths: a path's subtree is [bit, end].
static int number(Bk *bk, int p, int next) {
  bk->paths[p].bit = next++;
  // Children were prepended; number them in any order (only ranges matter).
  for (int c = bk->paths[p].first_child; c >= 0; c = bk->paths[c].next_sibling) next = number(bk, c, next);
  bk->paths[p].end = next - 1;
  return next;
}

void bk_build(Bk *bk, FnDecl *fn) {
  bk->fn = fn;
  bk->nlocals = fn->nlocals;
  bk->root_path = rt_xrealloc(bk->root_path, (size_t)(fn->nlocals + 1) * sizeof(int));
  bk->deref_path = rt_xrealloc(bk->deref_path, (size_t)(fn->nlocals + 1) * sizeof(int));
  bk->local_holder = rt_xrealloc(bk->local_holder, (size_t)(fn->nlocals + 1) * sizeof(int));
  for (int i = 0; i < fn->nlocals; i++) {
    Local *l = fn->locals[i];
    bk->root_path[i] = bk->deref_path[i] = -1;
    bk->local_holder[i] = ty_is_ref(l->type) ? new_holder(bk, i, l->decl) : -1;
    l->needs_drop_flag = l->moved = false;
    l->field_flags = NULL;
    l->drops = NULL;
  }
  npend = 0;
  int entry = new_block(bk);
  int exit = new_block(bk);  // block 1: every return goes here
  bk->cur = -1;
  enter(bk, entry);
  for (int i = 0; i < fn->nparams; i++) {
    Local *l = fn->params[i].local;
    if (!l) continue;
    init(bk, l, NULL)->node = NULL;
    push_scope(bk, l);
  }
  block(bk, fn->body);
  leave_scopes(bk, 0, fn->body, true);
  edge(bk, bk->cur, exit);
  enter(bk, exit);
  bk->blocks[exit].last = bk->nevs;
  // Blocks entered but left without a successor recorded their end when the
  // next one started; close the last.
  for (int b = 0; b < bk->nblocks; b++)
    if (bk->blocks[b].first < 0) bk->blocks[b].first = bk->blocks[b].last = bk->nevs;
  // Successor and predecessor lists (CSR).
  int nb = bk->nblocks;
  int *ns = rt_xcalloc((size_t)nb + 1, sizeof(int)), *np = rt_xcalloc((size_t)nb + 1, sizeof(int));
  for (int i = 0; i < bk->nedges; i++) ns[bk->edges[i].from]++, np[bk->edges[i].to]++;
  int s = 0, p = 0;
  for (int b = 0; b < nb; b++) {
    bk->blocks[b].succ = s, bk->blocks[b].nsucc = 0, s += ns[b];
    bk->blocks[b].pred = p, bk->blocks[b].npred = 0, p += np[b];
  }
  bk->succ = rt_xrealloc(bk->succ, (size_t)(s + 1) * sizeof(int));
  bk->pred = rt_xrealloc(bk->pred, (size_t)(p + 1) * sizeof(int));
  for (int i = 0; i < bk->nedges; i++) {
    Block *f = &bk->blocks[bk->edges[i].from], *t = &bk->blocks[bk->edges[i].to];
    bk->succ[f->succ + f->nsucc++] = bk->edges[i].to;
    bk->pred[t->pred + t->npred++] = bk->edges[i].from;
  }
  free(ns);
  free(np);
  int next = 0;
  for (int i = 0; i < bk->npaths; i++)
    if (bk->paths[i].parent < 0) next = number(bk, i, next);
}
