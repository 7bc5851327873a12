// hybrid.c — `lab run --mode=hybrid` (compiler/lab/hybrid.h, docs/hybrid.md).
// The pipeline of native mode, on the #[native] functions only: select them
// (compiler/check/hycheck.c), type and borrow check, generate C with the
// boundary layer (compiler/native/cgen_hybrid.c), compile it with
// `cc -shared -fPIC` into the cache (compiler/native/native.c), and load it
// into the VM (vm/boundary.c).
#include "hybrid.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boundary.h"
#include "cgen.h"
#include "cli.h"
#include "clock.h"
#include "hycheck.h"
#include "xalloc.h"

int hybrid_prepare(Loaded *l, BcProgram *bc, const NativeOptions *given, int argc, char **argv,
                   int recursion_limit, HybridPrep *prep) {
  memset(prep, 0, sizeof *prep);
  Program *p = l->prog;
  const char **names = rt_xcalloc((size_t)p->nitems + 1, sizeof *names);
  bool *nogil = rt_xcalloc((size_t)p->nitems + 1, sizeof *nogil);
  int n = 0;
  for (int i = 0; i < p->nitems; i++)
    if (p->items[i]->kind == IT_FN && p->items[i]->fn.native) {
      nogil[n] = p->items[i]->fn.nogil;
      names[n++] = p->items[i]->fn.name;
    }
  prep->nnative = n;
  int status = EXIT_OK;
  if (n == 0) goto done;  // nothing to compile: the VM runs it all

  NativeOptions opts = *given;
  opts.library = true;
#ifdef LAB_COUNTED
  opts.counted = true;  // the library's allocations, for --stats and the leak check
#else
  opts.counted = getenv("LAB_CHECK_LEAKS") != NULL;
#endif
  opts.recursion_limit = recursion_limit;
  uint64_t key = nat_cache_key(l->src, &opts);
  char *so = nat_cached(key);
  prep->cached = so != NULL;
  if (!so) {
    bool ok = hy_select(p, &l->sink);
    if (!ok) {
      diag_render(&l->sink, stderr, use_color());
      status = EXIT_REJECTED;
      goto done;
    }
    status = check_loaded(l, &prep->times);
    if (status != EXIT_OK) goto done;
    if (!hy_check_signatures(p, &l->sink)) {
      diag_render(&l->sink, stderr, use_color());
      status = EXIT_REJECTED;
      goto done;
    }
    double t1 = rt_now_ms();
    CgOptions cg = {.unchecked = opts.unchecked, .recursion_limit = recursion_limit, .hybrid = true};
    char *c = cg_generate(p, &cg);
    double t2 = rt_now_ms();
    prep->times.cgen_ms = t2 - t1;
    so = nat_compile(c, key, &opts, &status);
    prep->times.cc_ms = rt_now_ms() - t2;
    free(c);
    if (!so) goto done;
  }
  struct stat st;
  prep->so_bytes = stat(so, &st) == 0 ? (long long)st.st_size : 0;
  if (!boundary_load(bc, so, names, nogil, n, argc, argv)) status = EXIT_RUNTIME;
  free(so);
done:
  free(names);
  free(nogil);
  return status;
}
