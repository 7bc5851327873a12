// borrowck.c — bk_check(): the ownership and borrow checker, one function at
// a time (compiler/check/borrowck.h explains the method, borrowck_int.h the parts).
//
// The arrays of the per-function state are kept from one function to the
// next (reset, not freed), so a program of many small functions costs no
// more allocation than one large one.
#include <stdlib.h>
#include <string.h>

#include "borrowck_int.h"
#include "xalloc.h"

static void reset(Bk *bk) {
  bk->npaths = bk->nholders = bk->nloans = bk->nflows = bk->nevs = 0;
  bk->nblocks = bk->nedges = bk->nloops = bk->nscope = 0;
  bk->nreported_moves = 0;
  bk->cur = -1;
  bk->loop_depth = 0;
}

static void free_flow(Bk *bk) {
  free(bk->reach);
  free(bk->live_in);
  free(bk->live_out);
  free(bk->ev_def_live);
  free(bk->ev_use_live);
  bk->reach = bk->live_in = bk->live_out = NULL;
  bk->ev_def_live = bk->ev_use_live = NULL;
}

static void check_fn(Bk *bk, FnDecl *fn) {
  if (!fn->body || !fn->locals) return;
  reset(bk);
  bk->diag_start = bk->sink->count;
  bk_build(bk, fn);
  bk_dataflow(bk);
  bk_walk(bk);
  free_flow(bk);
  bk_sort_diags(bk);
}

bool bk_check(Program *prog, DiagSink *sink) {
  Bk bk;
  memset(&bk, 0, sizeof bk);
  bk.prog = prog;
  bk.sink = sink;
  int before = sink->total;
  for (int i = 0; i < prog->nitems; i++)
    if (prog->items[i]->kind == IT_FN) check_fn(&bk, &prog->items[i]->fn);
  free(bk.paths);
  free(bk.root_path);
  free(bk.deref_path);
  free(bk.local_holder);
  free(bk.holders);
  free(bk.loans);
  free(bk.flows);
  free(bk.evs);
  free(bk.blocks);
  free(bk.edges);
  free(bk.succ);
  free(bk.pred);
  free(bk.loops);
  free(bk.scope);
  free(bk.reported_moves);
  return sink->total == before;
}
