// borrowck_flow.c — the borrow checker's dataflow over one function's CFG,
// and the walk that checks every event (compiler/check/borrowck_int.h).
//
//   liveness      backward, per holder: a reference is live from where it
//                 gets its value to its last use (the heart of NLL);
//   moves/init    forward, per path, three sets joined by union:
//                 maybe-initialized (E0384, drop flags), maybe-uninitialized
//                 (E0381/E0382) and maybe-moved (tells E0382 from E0381);
//   loans         forward: the loans in scope. A loan enters at its creation
//                 and stays while some holder it may have flowed into is live
//                 right after the event (so it dies at the last use).
// Every set is a bit vector; a block's in-state is the union of its
// predecessors' out-states, iterated to a fixpoint (loops take a second
// pass). The cost is linear in the number of events times the words per
// set, and the walk at the end visits each event once.
#include <stdlib.h>
#include <string.h>

#include "borrowck_int.h"
#include "xalloc.h"

void bv_set_range(Word *b, int lo, int hi, bool on) {
  for (int i = lo; i <= hi; i++) {
    if (i % BK_WBITS == 0 && i + BK_WBITS - 1 <= hi) {
      b[i / BK_WBITS] = on ? ~(Word)0 : 0;
      i += BK_WBITS - 1;
      continue;
    }
    if (on) bv_set(b, i);
    else bv_clr(b, i);
  }
}

bool bv_any_range(const Word *b, int lo, int hi) {
  for (int i = lo; i <= hi; i++) {
    if (i % BK_WBITS == 0 && i + BK_WBITS - 1 <= hi) {
      if (b[i / BK_WBITS]) return true;
      i += BK_WBITS - 1;
      continue;
    }
    if (bv_get(b, i)) return true;
  }
  return false;
}

bool bv_intersects(const Word *a, const Word *b, int nw) {
  for (int i = 0; i < nw; i++)
    if (a[i] & b[i]) return true;
  return false;
}

static bool bv_union(Word *dst, const Word *src, int nw) {
  bool changed = false;
  for (int i = 0; i < nw; i++) {
    Word v = dst[i] | src[i];
    if (v != dst[i]) dst[i] = v, changed = true;
  }
  return changed;
}

#define HSET(base, i) ((base) + (size_t)(i) * (size_t)bk->hw)

// ---- liveness of holders ----------------------------------------------------------------

static void liveness(Bk *bk) {
  int nb = bk->nblocks, hw = bk->hw;
  Word *gen = rt_xcalloc((size_t)nb * hw + 1, sizeof(Word));
  Word *kill = rt_xcalloc((size_t)nb * hw + 1, sizeof(Word));
  for (int b = 0; b < nb; b++) {
    Block *bl = &bk->blocks[b];
    Word *g = HSET(gen, b), *k = HSET(kill, b);
    for (int i = bl->last - 1; i >= bl->first; i--) {
      Ev *e = &bk->evs[i];
      if (e->def >= 0) bv_set(k, e->def), bv_clr(g, e->def);
      if (e->use >= 0) bv_set(g, e->use);
    }
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (int b = nb - 1; b >= 0; b--) {
      Block *bl = &bk->blocks[b];
      Word *out = HSET(bk->live_out, b), *in = HSET(bk->live_in, b);
      for (int s = 0; s < bl->nsucc; s++) bv_union(out, HSET(bk->live_in, bk->succ[bl->succ + s]), hw);
      Word *g = HSET(gen, b), *k = HSET(kill, b);
      for (int w = 0; w < hw; w++) {
        Word v = g[w] | (out[w] & ~k[w]);
        if (v != in[w]) in[w] = v, changed = true;
      }
    }
  }
  // Per event: are its def and its use live right after it? (see step_live)
  Word *cur = rt_xcalloc((size_t)hw + 1, sizeof(Word));
  for (int b = 0; b < nb; b++) {
    Block *bl = &bk->blocks[b];
    memcpy(cur, HSET(bk->live_out, b), (size_t)hw * sizeof(Word));
    for (int i = bl->last - 1; i >= bl->first; i--) {
      Ev *e = &bk->evs[i];
      bk->ev_def_live[i] = e->def >= 0 && bv_get(cur, e->def);
      bk->ev_use_live[i] = e->use >= 0 && bv_get(cur, e->use);
      if (e->def >= 0) bv_clr(cur, e->def);
      if (e->use >= 0) bv_set(cur, e->use);
    }
  }
  free(cur);
  free(gen);
  free(kill);
}

// reach[h]: the holders that loans held by h may flow into (h included).
static void reach(Bk *bk) {
  for (int h = 0; h < bk->nholders; h++) bv_set(HSET(bk->reach, h), h);
  bool changed = true;
  while (changed) {
    changed = false;
    for (int i = 0; i < bk->nflows; i++)
      if (bv_union(HSET(bk->reach, bk->flows[i].from), HSET(bk->reach, bk->flows[i].to), bk->hw)) changed = true;
  }
}

// ---- the forward state -----------------------------------------------------------------

typedef struct State {
  Word *mi, *mu, *mm;  // paths: maybe init / maybe uninit / maybe moved
  Word *ls;            // loans in scope; its words outside [ls_lo, ls_hi) are 0
  int ls_lo, ls_hi;    // (loans die soon after they are made: scanning only
                       // this range keeps a long function's events linear)
  Word *live;          // holders live right after the current event (step_live)
} State;

static void ls_add(State *s, int loan) {
  bv_set(s->ls, loan);
  int w = loan / BK_WBITS;
  if (s->ls_lo == s->ls_hi) s->ls_lo = w, s->ls_hi = w + 1;
  else if (w < s->ls_lo) s->ls_lo = w;
  else if (w >= s->ls_hi) s->ls_hi = w + 1;
}

// Narrows [ls_lo, ls_hi) to the nonzero words, after loans were removed.
static void ls_trim(State *s) {
  while (s->ls_lo < s->ls_hi && !s->ls[s->ls_lo]) s->ls_lo++;
  while (s->ls_hi > s->ls_lo && !s->ls[s->ls_hi - 1]) s->ls_hi--;
}

static void st_alloc(Bk *bk, State *s) {
  s->mi = rt_xcalloc((size_t)bk->pw + 1, sizeof(Word));
  s->mu = rt_xcalloc((size_t)bk->pw + 1, sizeof(Word));
  s->mm = rt_xcalloc((size_t)bk->pw + 1, sizeof(Word));
  s->ls = rt_xcalloc((size_t)bk->lw + 1, sizeof(Word));
  s->live = rt_xcalloc((size_t)bk->hw + 1, sizeof(Word));
}

static void st_free(State *s) {
  free(s->mi);
  free(s->mu);
  free(s->mm);
  free(s->ls);
  free(s->live);
}

// Steps s->live from "live before event i" (after i - 1, or the block's
// live_in) to "live after event i". Liveness says before = (after - def) + use:
// every holder but i's def and use is the same on both sides, and whether
// those two are live after i was recorded by liveness().
static void step_live(Bk *bk, State *s, int i) {
  Ev *e = &bk->evs[i];
  if (e->use >= 0) {
    if (bk->ev_use_live[i]) bv_set(s->live, e->use);
    else bv_clr(s->live, e->use);
  }
  if (e->def >= 0) {
    if (bk->ev_def_live[i]) bv_set(s->live, e->def);
    else bv_clr(s->live, e->def);
  }
}

#define PSET(base, b) ((base) + (size_t)(b) * (size_t)bk->pw)
#define LSET(base, b) ((base) + (size_t)(b) * (size_t)bk->lw)

static Word *mi_out, *mu_out, *mm_out, *ls_out;
static void kill_loans_outside(Bk *bk, State *s, Word *live);

static void st_in(Bk *bk, int b, State *s) {
  memset(s->mi, 0, (size_t)bk->pw * sizeof(Word));
  memset(s->mu, 0, (size_t)bk->pw * sizeof(Word));
  memset(s->mm, 0, (size_t)bk->pw * sizeof(Word));
  memset(s->ls, 0, (size_t)bk->lw * sizeof(Word));
  memcpy(s->live, HSET(bk->live_in, b), (size_t)bk->hw * sizeof(Word));
  s->ls_lo = 0, s->ls_hi = 0;
  if (b == 0) {
    if (bk->npaths) bv_set_range(s->mu, 0, bk->npaths - 1, true);
    return;
  }
  s->ls_hi = bk->lw;  // trimmed below, once the predecessors are in
  Block *bl = &bk->blocks[b];
  for (int i = 0; i < bl->npred; i++) {
    int p = bk->pred[bl->pred + i];
    bv_union(s->mi, PSET(mi_out, p), bk->pw);
    bv_union(s->mu, PSET(mu_out, p), bk->pw);
    bv_union(s->mm, PSET(mm_out, p), bk->pw);
    bv_union(s->ls, LSET(ls_out, p), bk->lw);
  }
  // A loan whose holders are all dead on entry (the loop's iterator after
  // its exit) is out of scope here, whatever the predecessor said.
  kill_loans_outside(bk, s, HSET(bk->live_in, b));
}

static void kill_loans_outside(Bk *bk, State *s, Word *live) {
  for (int w = s->ls_lo; w < s->ls_hi; w++) {
    Word m = s->ls[w];
    while (m) {
      int bit = __builtin_ctzll(m);
      m &= m - 1;
      int l = w * BK_WBITS + bit;
      if (!bv_intersects(HSET(bk->reach, bk->loans[l].holder), live, bk->hw)) s->ls[w] &= ~((Word)1 << bit);
    }
  }
  ls_trim(s);
}

static void kill_dead_loans(Bk *bk, State *s) { kill_loans_outside(bk, s, s->live); }

// Removes the loans of local `local`'s own places (it went out of scope).
static void kill_local_loans(Bk *bk, State *s, int local) {
  for (int w = s->ls_lo; w < s->ls_hi; w++) {
    Word m = s->ls[w];
    while (m) {
      int bit = __builtin_ctzll(m);
      m &= m - 1;
      Loan *ln = &bk->loans[w * BK_WBITS + bit];
      if (ln->path >= 0 && bk->paths[ln->path].local == local && !bk->paths[ln->path].deref)
        s->ls[w] &= ~((Word)1 << bit);
    }
  }
}

static void transfer(Bk *bk, State *s, int i) {
  Ev *e = &bk->evs[i];
  switch ((EvKind)e->kind) {
  case EV_ACCESS:
    if (e->acc == A_MOVE) {
      Path *p = &bk->paths[e->path];
      bv_set_range(s->mu, p->bit, p->end, true);
      bv_set_range(s->mm, p->bit, p->end, true);
      bv_set_range(s->mi, p->bit, p->end, false);
    }
    break;
  case EV_INIT: {
    Path *p = &bk->paths[e->path];
    bv_set_range(s->mi, p->bit, p->end, true);
    bv_set_range(s->mu, p->bit, p->end, false);
    bv_set_range(s->mm, p->bit, p->end, false);
    break;
  }
  case EV_DECL:
  case EV_DEAD:
    if (e->local >= 0 && bk->root_path[e->local] >= 0) {
      Path *p = &bk->paths[bk->root_path[e->local]];
      bv_set_range(s->mi, p->bit, p->end, false);
      bv_set_range(s->mu, p->bit, p->end, true);
      bv_set_range(s->mm, p->bit, p->end, false);
      if (e->kind == EV_DEAD) kill_local_loans(bk, s, e->local);
    }
    break;
  default:
    break;
  }
  if (e->loan >= 0 && e->kind != EV_ACTIVATE && !(e->kind == EV_DEAD)) ls_add(s, e->loan);
  kill_dead_loans(bk, s);
}

// ---- the checks --------------------------------------------------------------------------

// The first path in [lo, hi] that is maybe-uninitialized, or -1.
static int first_uninit(Bk *bk, State *s, int path, bool subtree) {
  Path *p = &bk->paths[path];
  for (int a = p->parent; a >= 0; a = bk->paths[a].parent)
    if (bk->paths[a].kind != P_DEREF && bv_get(s->mu, bk->paths[a].bit)) return a;
  if (!subtree) return -1;
  if (!bv_any_range(s->mu, p->bit, p->end)) return -1;
  for (int q = 0; q < bk->npaths; q++) {
    Path *pq = &bk->paths[q];
    if (pq->bit >= p->bit && pq->bit <= p->end && !pq->deref && bv_get(s->mu, pq->bit)) return q;
  }
  return -1;
}

static void check_init(Bk *bk, State *s, int ev, int path, bool write) {
  Path *p = &bk->paths[path];
  int q;
  if (p->deref) {
    int root = bk_path_root(bk, path);
    q = bv_get(s->mu, bk->paths[root].bit) ? root : -1;
  } else if (write) {
    q = first_uninit(bk, s, path, false);
  } else {
    q = bv_get(s->mu, p->bit) ? path : first_uninit(bk, s, path, true);
  }
  if (q < 0) return;
  bk->any_error = true;
  if (bv_get(s->mm, bk->paths[q].bit)) {
    bool prev = false;
    int mv = bk_find_move(bk, ev, q, &prev);
    for (int i = 0; i < bk->nreported_moves; i++)
      if (mv >= 0 && bk->reported_moves[i] == mv) return;  // one error per move (as rustc)
    if (mv >= 0) {
      if (bk->nreported_moves == bk->capreported_moves) {
        bk->capreported_moves = bk->capreported_moves ? bk->capreported_moves * 2 : 8;
        bk->reported_moves = rt_xrealloc(bk->reported_moves, (size_t)bk->capreported_moves * sizeof(int));
      }
      bk->reported_moves[bk->nreported_moves++] = mv;
    }
    bk_report_moved(bk, ev, path, q, mv, prev);
  } else {
    bk_report_uninit(bk, ev, q, bv_get(s->mi, bk->paths[q].bit));
  }
}

static bool conflicts(Loan *ln, AccKind acc) {
  if (ln->mut && !ln->two_phase) return acc != A_NONE;
  return acc == A_MUT || acc == A_MOVE || acc == A_WRITE;
}

static void check_loans(Bk *bk, State *s, int ev, int path, AccKind acc, int self) {
  Path *p = &bk->paths[path];
  for (int w = s->ls_lo; w < s->ls_hi; w++) {
    Word m = s->ls[w];
    while (m) {
      int l = w * BK_WBITS + __builtin_ctzll(m);
      m &= m - 1;
      if (l == self) continue;
      Loan *ln = &bk->loans[l];
      if (ln->path < 0 || !bk_overlap(bk, ln->path, path)) continue;
      // Assigning a reference local anew leaves what it pointed to borrowed.
      if (acc == A_WRITE && p->kind == P_ROOT && bk->paths[ln->path].deref) continue;
      if (!conflicts(ln, acc)) continue;
      bk->any_error = true;
      // As rustc: a reservation conflicts as the `&mut` it becomes (E0499),
      // and reading a list element borrows the list (E0502, not E0503).
      Ev *e = &bk->evs[ev];
      AccKind shown = acc;
      if (e->reserve) shown = A_MUT;
      else if (acc == A_COPY && e->elem) shown = A_SHARED;
      bk_report_conflict(bk, ev, path, shown, l);
      return;  // one error per access
    }
  }
}

// Records the state of a move-type local at a drop point `at` (the node the
// C generator drops it at): definitely initialized, definitely not (moved or
// never assigned), or maybe (differs by path: the local needs a drop flag).
// The walk meets each event once, and a drop point's events for one local
// are adjacent, so only the newest entry can be the same point: O(1).
static void record_drop(Bk *bk, Local *l, Node *at, BkDropState st) {
  BkDropPoint *last = l->drops;
  if (last && last->at == at) {
    if (last->state != st) last->state = BK_DROP_MAYBE, l->needs_drop_flag = true;
    return;
  }
  BkDropPoint *d = ast_alloc(bk->prog, sizeof *d);
  d->at = at;
  d->state = (uint8_t)st;
  d->next = l->drops;
  l->drops = d;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

typedef struct IntVec {
  int *v;
  int n, cap;
} IntVec;

// Appends a and every path below it (the tree is shallow: BK_PATH_MAX).
static void subtree(Bk *bk, int a, IntVec *out) {
  if (out->n == out->cap) {
    out->cap = out->cap ? out->cap * 2 : 16;
    out->v = rt_xrealloc(out->v, (size_t)out->cap * sizeof *out->v);
  }
  out->v[out->n++] = a;
  for (int c = bk->paths[a].first_child; c >= 0; c = bk->paths[c].next_sibling) subtree(bk, c, out);
}

static void note_drop_point(Bk *bk, State *s, int local, Node *at) {
  int r = bk->root_path[local];
  if (r < 0) return;
  Path *p = &bk->paths[r];
  Local *l = bk_local(bk, local);
  bool mi = bv_get(s->mi, p->bit), mu = bv_get(s->mu, p->bit);
  if (at && l->type && ty_is_move(l->type))
    record_drop(bk, l, at, mi && mu ? BK_DROP_MAYBE : mi ? BK_DROP_INIT : BK_DROP_MOVED);
  if (mi && mu) {
    l->needs_drop_flag = true;
    return;
  }
  if (p->bit == p->end || bv_get(s->mu, p->bit)) return;
  // The paths of r's tree (the local's own, not all the function's: a
  // function of many locals stays linear), in index order.
  IntVec sub = {0};
  subtree(bk, r, &sub);
  qsort(sub.v, (size_t)sub.n, sizeof *sub.v, cmp_int);
  for (int k = 0; k < sub.n; k++) {
    int q = sub.v[k];
    Path *pq = &bk->paths[q];
    if (pq->local != local || pq->deref || q == r || pq->first_child >= 0) continue;
    if (!(bv_get(s->mi, pq->bit) && bv_get(s->mu, pq->bit))) continue;
    BkFieldFlag f = {0, {0}, NULL};
    int chain[BK_PATH_MAX + 1], n = 0;
    for (int a = q; a != r && n <= BK_PATH_MAX; a = bk->paths[a].parent) chain[n++] = bk->paths[a].index;
    if (n > BK_PATH_MAX) continue;
    for (int i = 0; i < n; i++) f.idx[i] = chain[n - 1 - i];
    f.depth = n;
    bool dup = false;
    for (BkFieldFlag *g = l->field_flags; g; g = g->next)
      if (g->depth == f.depth && memcmp(g->idx, f.idx, sizeof f.idx) == 0) dup = true;
    if (dup) continue;
    BkFieldFlag *g = ast_alloc(bk->prog, sizeof *g);
    *g = f;
    g->next = l->field_flags;
    l->field_flags = g;
  }
  free(sub.v);
}

static void check_event(Bk *bk, State *s, int i) {
  Ev *e = &bk->evs[i];
  switch ((EvKind)e->kind) {
  case EV_ACCESS:
    check_init(bk, s, i, e->path, e->acc == A_WRITE);
    check_loans(bk, s, i, e->path, (AccKind)e->acc, e->loan);
    break;
  case EV_INIT: {
    if (e->acc != A_WRITE) break;
    Path *p = &bk->paths[e->path];
    if (p->kind == P_ROOT) {
      Local *l = bk_local(bk, p->local);
      if (!l->is_mut && bv_get(s->mi, p->bit)) {
        bk->any_error = true;
        bk_report_reassign(bk, i);
      }
      note_drop_point(bk, s, p->local, e->aux);
    } else {
      check_init(bk, s, i, e->path, true);
    }
    check_loans(bk, s, i, e->path, A_WRITE, -1);
    break;
  }
  case EV_ACTIVATE:
    check_loans(bk, s, i, e->path, A_MUT, e->loan);
    break;
  case EV_DEAD:
    if (e->local >= 0) {
      note_drop_point(bk, s, e->local, e->node);
      for (int w = s->ls_lo; w < s->ls_hi; w++) {
        Word m = s->ls[w];
        while (m) {
          int l = w * BK_WBITS + __builtin_ctzll(m);
          m &= m - 1;
          Loan *ln = &bk->loans[l];
          if (ln->path < 0 || bk->paths[ln->path].local != e->local || bk->paths[ln->path].deref) continue;
          // Still borrowed when it goes out of scope: live after this point?
          if (!bv_intersects(HSET(bk->reach, ln->holder), s->live, bk->hw)) continue;
          bk->any_error = true;
          bk_report_dead_borrowed(bk, i, l);
        }
      }
    } else if (e->loan >= 0 && bv_get(s->ls, e->loan) &&
               bv_intersects(HSET(bk->reach, bk->loans[e->loan].holder), s->live, bk->hw)) {
      bk->any_error = true;
      bk_report_dead_borrowed(bk, i, e->loan);
    }
    break;
  default:
    break;
  }
}

void bk_dataflow(Bk *bk) {
  int nb = bk->nblocks;
  bk->pw = bv_words(bk->npaths) + 0;
  bk->hw = bv_words(bk->nholders);
  bk->lw = bv_words(bk->nloans);
  if (bk->pw == 0) bk->pw = 1;
  if (bk->hw == 0) bk->hw = 1;
  if (bk->lw == 0) bk->lw = 1;
  bk->reach = rt_xcalloc((size_t)bk->nholders * bk->hw + 1, sizeof(Word));
  bk->live_in = rt_xcalloc((size_t)nb * bk->hw + 1, sizeof(Word));
  bk->live_out = rt_xcalloc((size_t)nb * bk->hw + 1, sizeof(Word));
  bk->ev_def_live = rt_xcalloc((size_t)bk->nevs + 1, 1);
  bk->ev_use_live = rt_xcalloc((size_t)bk->nevs + 1, 1);
  liveness(bk);
  reach(bk);
  mi_out = rt_xcalloc((size_t)nb * bk->pw + 1, sizeof(Word));
  mu_out = rt_xcalloc((size_t)nb * bk->pw + 1, sizeof(Word));
  mm_out = rt_xcalloc((size_t)nb * bk->pw + 1, sizeof(Word));
  ls_out = rt_xcalloc((size_t)nb * bk->lw + 1, sizeof(Word));
  State s;
  st_alloc(bk, &s);
  bool changed = true;
  while (changed) {
    changed = false;
    for (int b = 0; b < nb; b++) {
      Block *bl = &bk->blocks[b];
      if (b != 0 && bl->npred == 0) continue;  // unreachable: stays empty
      st_in(bk, b, &s);
      for (int i = bl->first; i < bl->last; i++) {
        step_live(bk, &s, i);
        transfer(bk, &s, i);
      }
      changed |= bv_union(PSET(mi_out, b), s.mi, bk->pw);
      changed |= bv_union(PSET(mu_out, b), s.mu, bk->pw);
      changed |= bv_union(PSET(mm_out, b), s.mm, bk->pw);
      changed |= bv_union(LSET(ls_out, b), s.ls, bk->lw);
    }
  }
  st_free(&s);
}

static BkFactSink fact_sink;
static void *fact_ctx;

void bk_set_fact_sink(BkFactSink sink, void *ctx) {
  fact_sink = sink;
  fact_ctx = ctx;
}

// The state after event i of every named local, to the fact sink.
static void emit_facts(Bk *bk, State *s, int i) {
  // A scope's end is its block's `}` line.
  const Node *at = bk->evs[i].node;
  int line = !at ? 0 : at->kind == ND_BLOCK ? at->end_line : at->span.line;
  for (int id = 0; id < bk->nlocals; id++) {
    int r = bk->root_path[id];
    if (r < 0) continue;
    Path *p = &bk->paths[r];
    BkFact f = {.fn = bk->fn, .local = bk_local(bk, id), .line = line};
    f.maybe_init = bv_get(s->mi, p->bit);
    f.maybe_uninit = bv_get(s->mu, p->bit);
    f.maybe_moved = bv_get(s->mm, p->bit);
    for (int w = s->ls_lo; w < s->ls_hi; w++)
      for (Word m = s->ls[w]; m; m &= m - 1) {
        Loan *ln = &bk->loans[w * BK_WBITS + __builtin_ctzll(m)];
        if (ln->path < 0 || bk->paths[ln->path].local != id || bk->paths[ln->path].deref) continue;
        if (!bv_intersects(HSET(bk->reach, ln->holder), s->live, bk->hw)) continue;  // dead: over
        if (f.nborrows < BK_FACT_BORROWERS) {
          int hl = bk->holders[ln->holder].local;
          f.by[f.nborrows] = hl >= 0 ? bk_local(bk, hl) : NULL;
          f.by_mut[f.nborrows] = ln->mut && !ln->two_phase;
        }
        f.nborrows++;
      }
    fact_sink(&f, fact_ctx);
  }
}

void bk_walk(Bk *bk) {
  State s;
  st_alloc(bk, &s);
  for (int b = 0; b < bk->nblocks; b++) {
    Block *bl = &bk->blocks[b];
    if (b != 0 && bl->npred == 0) continue;
    st_in(bk, b, &s);
    for (int i = bl->first; i < bl->last; i++) {
      step_live(bk, &s, i);
      check_event(bk, &s, i);
      transfer(bk, &s, i);
      if (fact_sink) emit_facts(bk, &s, i);
    }
  }
  st_free(&s);
  free(mi_out);
  free(mu_out);
  free(mm_out);
  free(ls_out);
  mi_out = mu_out = mm_out = ls_out = NULL;
}

// ---- searches for the labels (only when reporting) -----------------------------------

static bool uses_loan(Bk *bk, Ev *e, int loan) {
  Word *r = HSET(bk->reach, bk->loans[loan].holder);
  return e->use >= 0 && bv_get(r, e->use);
}

int bk_later_use(Bk *bk, int ev, int loan) {
  int nb = bk->nblocks;
  char *seen = rt_xcalloc((size_t)nb + 1, 1);
  int *queue = rt_xmalloc(((size_t)nb + 1) * sizeof(int));
  int qh = 0, qt = 0, found = -1;
  Word *r = HSET(bk->reach, bk->loans[loan].holder);
  // The rest of ev's block first.
  int b0 = bk->evs[ev].block;
  bool stop = false;
  for (int i = ev + 1; i < bk->blocks[b0].last && !stop; i++) {
    Ev *e = &bk->evs[i];
    if (uses_loan(bk, e, loan)) { found = i; stop = true; }
    else if (e->def >= 0 && bv_get(r, e->def) && e->def == bk->loans[loan].holder) stop = true;
  }
  if (!stop) {
    Block *bl = &bk->blocks[b0];
    for (int s = 0; s < bl->nsucc; s++) {
      int t = bk->succ[bl->succ + s];
      if (!seen[t]) seen[t] = 1, queue[qt++] = t;
    }
  }
  while (found < 0 && qh < qt) {
    int b = queue[qh++];
    Block *bl = &bk->blocks[b];
    bool cut = false;
    for (int i = bl->first; i < bl->last; i++) {
      Ev *e = &bk->evs[i];
      if (uses_loan(bk, e, loan)) { found = i; break; }
      if (e->def >= 0 && e->def == bk->loans[loan].holder && i != ev) { cut = true; break; }
    }
    if (found >= 0 || cut) continue;
    for (int s = 0; s < bl->nsucc; s++) {
      int t = bk->succ[bl->succ + s];
      if (!seen[t]) seen[t] = 1, queue[qt++] = t;
    }
  }
  free(seen);
  free(queue);
  return found;
}

// Is event i a move of (part of) path, or a re-initialization of it?
static int move_kind(Bk *bk, int i, int path) {
  Ev *e = &bk->evs[i];
  if (e->kind == EV_ACCESS && e->acc == A_MOVE && bk_overlap(bk, e->path, path)) return 1;
  if (e->kind == EV_INIT && bk_overlap(bk, e->path, path)) {
    Path *ip = &bk->paths[e->path], *pp = &bk->paths[path];
    if (pp->bit >= ip->bit && pp->bit <= ip->end) return 2;  // covers path: re-initialized
  }
  if ((e->kind == EV_DECL || e->kind == EV_DEAD) && e->local == bk->paths[path].local) return 2;
  return 0;
}

int bk_find_move(Bk *bk, int ev, int path, bool *prev_iter) {
  int nb = bk->nblocks;
  char *seen = rt_xcalloc((size_t)nb + 1, 1);
  int *queue = rt_xmalloc(((size_t)nb + 1) * sizeof(int));
  int qh = 0, qt = 0, found = -1;
  int b0 = bk->evs[ev].block;
  bool stop = false;
  for (int i = ev - 1; i >= bk->blocks[b0].first && !stop; i--) {
    int k = move_kind(bk, i, path);
    if (k == 1) found = i;
    if (k) stop = true;
  }
  if (!stop) {
    Block *bl = &bk->blocks[b0];
    for (int s = 0; s < bl->npred; s++) {
      int t = bk->pred[bl->pred + s];
      if (!seen[t]) seen[t] = 1, queue[qt++] = t;
    }
  }
  while (found < 0 && qh < qt) {
    int b = queue[qh++];
    Block *bl = &bk->blocks[b];
    bool cut = false;
    for (int i = bl->last - 1; i >= bl->first; i--) {
      int k = move_kind(bk, i, path);
      if (k == 1) { found = i; break; }
      if (k) { cut = true; break; }
    }
    if (found >= 0 || cut) continue;
    for (int s = 0; s < bl->npred; s++) {
      int t = bk->pred[bl->pred + s];
      if (!seen[t]) seen[t] = 1, queue[qt++] = t;
    }
  }
  free(seen);
  free(queue);
  *prev_iter = found >= ev;
  return found;
}
