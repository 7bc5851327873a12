// trace.c — `lab trace FILE [--mode=interp|native|both] [--max-steps N]
// [--json] [-- ARGS…]`: step through a run, refcounts in one model and
// ownership in the other (docs/trace.md).
//
// interp: the counted lab runs the program with LAB_TRACE naming a file and
// writes a step per line the main thread executes (vm/tracer.c): frames,
// locals, the heap reachable from them with refcounts, the events since the
// step before.
// native: the borrow checker's facts (compiler/check/borrowck.h,
// bk_set_fact_sink), in-process: for each function, each line and each
// variable, whether it is initialized, moved or borrowed (by whom) after the
// line, as Aquascope's read/write/own permissions; where each is dropped;
// the checker's diagnostics when it rejects the program.
#include "trace.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "borrowck.h"
#include "check.h"
#include "cli.h"
#include "json.h"
#include "load.h"
#include "proc.h"
#include "readall.h"
#include "cleanup.h"
#include "types.h"
#include "xalloc.h"

static const char usage[] =
    "usage: lab trace FILE [--mode=interp|native|both] [--max-steps N] [--max-objects N] [--json]\n"
    "                 [--time-limit SECS] [-- ARGS...]\n"
    "\n"
    "Steps through FILE (docs/trace.md):\n"
    "  interp  at each line the main thread executes: the frames and their locals,\n"
    "          the heap objects reachable from them (type, refcount, contents),\n"
    "          and what happened since the step before (allocations, increfs,\n"
    "          decrefs, frees, collections);\n"
    "  native  after each line, for each variable: initialized, moved or\n"
    "          borrowed (by which reference), as read/write/own permissions, and\n"
    "          where it is dropped — the borrow checker's own facts.\n"
    "The trace stops after N steps (default 1000) with a note. `lab view` shows\n"
    "it as a stepper.\n"
    "\n"
    "  --mode=M        interp, native or both (default both)\n"
    "  --max-steps N   interp steps to record (1 to 10000)\n"
    "  --max-objects N heap objects shown per step (1 to 100, default 100)\n"
    "  --time-limit SECS  stop native's counted run (what it frees on each line)\n"
    "                  after this long (default 20; 0: no limit)\n"
    "  --json          the trace as one JSON object (docs/trace.md has its keys)\n"
    "  -- ARGS         arguments for the program\n"
    "\n"
    PROC_STDIN_HELP("trace");

// ---- native: the checker's facts, the last of each (function, line, local) -----------
typedef struct Fact {
  const FnDecl *fn;
  const Local *local;
  int line;
  BkFact f;
} Fact;

// The facts, and an index of them by (function, local, line): open
// addressing over fact numbers + 1 (0: empty), so that each of the checker's
// many reports finds its entry in constant time.
typedef struct Facts {
  Fact *v;
  int n, cap;
  int *index;
  size_t icap;
  bool truncated;  // FACTS_MAX reached: the later lines are left out
} Facts;

// The facts kept (lines × variables): enough for any program a person
// writes, bounded for a generated one.
enum { FACTS_MAX = 200000 };

static size_t fact_hash(const FnDecl *fn, const Local *l, int line) {
  uint64_t h = (uint64_t)(uintptr_t)fn * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)l * 0xc2b2ae3d27d4eb4fULL;
  h ^= (uint64_t)line * 0x165667b19e3779f9ULL;
  return (size_t)(h ^ (h >> 29));
}

static void facts_reindex(Facts *fs) {
  free(fs->index);
  fs->icap = fs->icap ? fs->icap * 2 : 1024;
  fs->index = rt_xcalloc(fs->icap, sizeof *fs->index);
  for (int i = 0; i < fs->n; i++) {
    size_t j = fact_hash(fs->v[i].fn, fs->v[i].local, fs->v[i].line) & (fs->icap - 1);
    while (fs->index[j]) j = (j + 1) & (fs->icap - 1);
    fs->index[j] = i + 1;
  }
}

static void collect(const BkFact *f, void *ctx) {
  Facts *fs = ctx;
  if (!f->local->name || f->local->name[0] == '.' || f->line <= 0) return;
  if ((size_t)(fs->n + 1) * 2 > fs->icap) facts_reindex(fs);
  size_t j = fact_hash(f->fn, f->local, f->line) & (fs->icap - 1);
  for (; fs->index[j]; j = (j + 1) & (fs->icap - 1)) {
    Fact *x = &fs->v[fs->index[j] - 1];
    if (x->fn == f->fn && x->local == f->local && x->line == f->line) {
      x->f = *f;  // the state after the line's last event
      return;
    }
  }
  if (fs->n == FACTS_MAX) {
    fs->truncated = true;
    return;
  }
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 256;
    fs->v = rt_xrealloc(fs->v, (size_t)fs->cap * sizeof *fs->v);
  }
  fs->v[fs->n] = (Fact){f->fn, f->local, f->line, *f};
  fs->index[j] = ++fs->n;
}

// "init" "moved" "maybe" "uninit", and the permissions Aquascope would show:
// R read (initialized, not borrowed mutably), W write (also a `mut`
// binding, and not borrowed at all), O own (initialized, not borrowed).
static const char *state_of(const BkFact *f) {
  if (!f->maybe_init) return f->maybe_moved ? "moved" : "uninit";
  if (f->maybe_uninit) return "maybe";
  return "init";
}

static void perms(const BkFact *f, char out[4]) {
  bool init = f->maybe_init && !f->maybe_uninit, mut_borrowed = false;
  for (int i = 0; i < f->nborrows && i < BK_FACT_BORROWERS; i++) mut_borrowed |= f->by_mut[i];
  int n = 0;
  if (init && !mut_borrowed) out[n++] = 'R';
  if (init && f->local->is_mut && f->nborrows == 0) out[n++] = 'W';
  if (init && f->nborrows == 0) out[n++] = 'O';
  out[n] = 0;
}

// Facts in source order: by function, line, then variable.
static int fact_order(const void *a, const void *b) {
  const Fact *x = a, *y = b;
  if (x->fn != y->fn) {  // functions in source order (two on one line: by address, kept apart)
    if (x->fn->span.off != y->fn->span.off) return x->fn->span.off < y->fn->span.off ? -1 : 1;
    return x->fn < y->fn ? -1 : 1;
  }
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  return x->local->id - y->local->id;
}

static int drop_line(const Node *at) { return at->kind == ND_BLOCK ? at->end_line : at->span.line; }

static void json_native(FILE *o, Loaded *ld, const DiagSink *checks, bool accepted, Facts *fs, const char *run) {
  fprintf(o, "{\"accepted\": %s, \"diagnostics\": ", accepted ? "true" : "false");
  json_write_diags(o, checks);
  fprintf(o, ",\n  \"run_lines\": %s, \"facts_truncated\": %s", run ? run : "null", fs->truncated ? "true" : "false");
  fputs(",\n  \"functions\": [", o);
  int nf = 0;
  for (int it = 0; it < ld->prog->nitems; it++) {
    if (ld->prog->items[it]->kind != IT_FN) continue;
    const FnDecl *fn = &ld->prog->items[it]->fn;
    fprintf(o, "%s\n   {\"name\": ", nf++ ? "," : "");
    json_write_str(o, fn->name);
    fprintf(o, ", \"line\": %d, \"end_line\": %d, \"locals\": [", fn->span.line, fn->body ? fn->body->end_line : fn->span.line);
    int nl = 0;
    for (int i = 0; i < fn->nlocals; i++) {
      const Local *l = fn->locals[i];
      if (!l->name || l->name[0] == '.') continue;
      char t[TY_STR_MAX];
      fprintf(o, "%s\n    {\"name\": ", nl++ ? "," : "");
      json_write_str(o, l->name);
      fprintf(o, ", \"line\": %d, \"mut\": %s, \"type\": ", l->span.line, l->is_mut ? "true" : "false");
      json_write_str(o, l->type ? ty_str(l->type, t, sizeof t) : "?");
      fputs(", \"drops\": [", o);
      int nd = 0;
      for (const BkDropPoint *d = l->drops; d; d = d->next)
        if (d->state == BK_DROP_INIT || d->state == BK_DROP_MAYBE)
          fprintf(o, "%s{\"line\": %d, \"maybe\": %s}", nd++ ? ", " : "", drop_line(d->at),
                  d->state == BK_DROP_MAYBE ? "true" : "false");
      fputs("]}", o);
    }
    fputs("],\n    \"lines\": [", o);
    // One entry per line with facts, in line order; each variable's state
    // after the line. The facts are sorted by function, line, variable.
    int nlines = 0, i = 0;
    while (i < fs->n && fs->v[i].fn != fn) i++;
    while (i < fs->n && fs->v[i].fn == fn) {
      int line = fs->v[i].line, nv = 0;
      for (; i < fs->n && fs->v[i].fn == fn && fs->v[i].line == line; i++) {
        Fact *x = &fs->v[i];
        if (!x->f.maybe_init && !x->f.maybe_moved) continue;  // not (or no longer) there: nothing to say
        if (!nv) fprintf(o, "%s\n     {\"line\": %d, \"vars\": [", nlines++ ? "," : "", line);
        char p[4];
        perms(&x->f, p);
        fprintf(o, "%s{\"name\": ", nv++ ? ", " : "");
        json_write_str(o, x->local->name);
        fprintf(o, ", \"state\": \"%s\", \"perm\": \"%s\"", state_of(&x->f), p);
        if (x->f.nborrows) {
          fputs(", \"borrowed_by\": [", o);
          for (int k = 0; k < x->f.nborrows && k < BK_FACT_BORROWERS; k++) {
            fprintf(o, "%s{\"by\": ", k ? ", " : "");
            if (x->f.by[k]) json_write_str(o, x->f.by[k]->name);
            else fputs("null", o);
            fprintf(o, ", \"mut\": %s}", x->f.by_mut[k] ? "true" : "false");
          }
          fputc(']', o);
        }
        fputc('}', o);
      }
      if (nv) fputs("]}", o);
    }
    fputs("]}", o);
  }
  fputs("]}", o);
}

// ---- interp: the counted lab's trace file ---------------------------------------------
enum { TRACE_MAX_BYTES = 256 << 20, TRACE_MAX_STEPS = 10000 };

static char *interp_trace(const char *file, int max_steps, int max_objects, int nargs, char **args, int *status,
                          char *why, size_t cap) {
  char dir[4096], path[4200], env1[4300], env2[64], env3[64];
  if (!proc_tempdir(dir, sizeof dir, "trace")) {
    snprintf(why, cap, "cannot create a temporary directory: %s", strerror(errno));
    return NULL;
  }
  snprintf(path, sizeof path, "%s/trace.json", dir);
  snprintf(env1, sizeof env1, "LAB_TRACE=%s", path);
  snprintf(env2, sizeof env2, "LAB_TRACE_STEPS=%d", max_steps);
  snprintf(env3, sizeof env3, "LAB_TRACE_OBJECTS=%d", max_objects);
  const char *run[] = {"run", "--mode=interp", "--stats=json", file};  // --stats: the counted lab, which traces
  const char *envs[] = {env1, env2, env3, NULL};
  Proc p;
  bool ok = proc_run_lab(run, 4, args, nargs, envs, 0, &p);  // the tracer ends the run at its last step
  char *text = NULL;
  size_t len;
  int e;
  if (!ok) snprintf(why, cap, "%s", p.err);
  else if ((e = rt_read_path(path, (size_t)TRACE_MAX_BYTES, &text, &len)) != 0) {
    if (e == EFBIG)
      snprintf(why, cap, "the trace is larger than %d MiB: ask for fewer steps (--max-steps)", TRACE_MAX_BYTES >> 20);
    else
      snprintf(why, cap, "interp wrote no trace (exit %d): %.300s", p.status, p.err);
    text = NULL;
  }
  // A whole trace ends with `}`: anything else is a run that ended before
  // the tracer could close it (killed by a signal), not a trace.
  if (text) {
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ')) n--;
    if (n == 0 || text[n - 1] != '}') {
      snprintf(why, cap, "interp's run ended before its trace was complete (exit %d): %.300s", p.status, p.err);
      free(text);
      text = NULL;
    }
  }
  *status = ok ? p.status : -1;
  proc_free(&p);
  rt_remove_tree(dir);
  return text;
}

// ---- native: what a counted run freed, per line ---------------------------------------
// A native run has no steps to stop at: one that runs longer than this (a
// program that never ends) is stopped, and the trace goes without it
// (--time-limit; 0: none).
static int native_limit = TRACE_NATIVE_LIMIT_S;

// The `"lines": [` array of the native block of `lab profile --json
// --mode=native` (docs/profile.md): each line's frees (the drops that ran),
// allocations and checks, from a counted run. NULL if it did not run.
static char *native_run_lines(const char *file, int nargs, char **args) {
  const char *profile[] = {"profile", "--json", "--mode=native", file};
  Proc p;
  bool ok = proc_run_lab(profile, 4, args, nargs, NULL, native_limit, &p);
  char *out = NULL;
  const char *block = ok && p.status == 0 ? strstr(p.out, "\n  \"native\": {") : NULL;
  const char *lines = block ? strstr(block, "\"lines\": [") : NULL;
  if (lines) {
    lines += 9;  // the array, which holds no string: up to its `]`
    const char *end = strchr(lines, ']');
    if (end) {
      out = rt_xmalloc((size_t)(end - lines) + 2);
      memcpy(out, lines, (size_t)(end - lines) + 1);
      out[end - lines + 1] = '\0';
    }
  }
  proc_free(&p);
  return out;
}

// ---- text ---------------------------------------------------------------------------

static void print_text_interp(const char *json) {
  // The steps as lines: `step N  line L (fn)  locals…  events`, read back
  // from the JSON the tracer wrote (one step object per `{"step": ` line).
  printf("interp (refcounts):\n");
  for (const char *p = strstr(json, "{\"step\": "); p; p = strstr(p + 1, "{\"step\": ")) {
    int step, line;
    if (sscanf(p, "{\"step\": %d, \"line\": %d", &step, &line) != 2) break;
    const char *fnq = strstr(p, "\"fn\": \"");
    const char *ev = strstr(p, "\"events\": {");
    long long a = 0, inc = 0, dec = 0, fr = 0, gc = 0;
    if (ev) sscanf(ev, "\"events\": {\"allocs\": %lld, \"increfs\": %lld, \"decrefs\": %lld, \"frees\": %lld, \"collections\": %lld",
                   &a, &inc, &dec, &fr, &gc);
    printf("  step %4d  line %4d  %-12.*s", step, line, fnq ? (int)strcspn(fnq + 7, "\"") : 0, fnq ? fnq + 7 : "");
    printf("  before it: +%lld objects, %lld increfs, %lld decrefs, %lld freed%s\n", a, inc, dec, fr,
           gc ? ", a collection" : "");
  }
  if (strstr(json, "\"truncated\": true")) printf("  (the trace stops here: --max-steps)\n");
  static const char key[] = "\"threads\": ";
  const char *th = strstr(json, key);
  long long threads = th ? atoll(th + sizeof key - 1) : 0;
  if (threads > 0)
    printf("  (%lld spawned thread%s ran untraced; %s allocations, refcount operations and frees still count,\n"
           "   in the \"before it\" figures of the main thread's steps: most often the step after a `join`)\n",
           threads, threads == 1 ? "" : "s", threads == 1 ? "its" : "their");
}

// ---- the command --------------------------------------------------------------------

int cmd_trace(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(usage, stdout);
    return EXIT_OK;
  }
  static const char *const valued[] = {"--mode", "--max-steps", "--max-objects", "--time-limit", NULL};
  CliIter it = cli_iter(argc, argv, "trace", valued);
  const char *o, *v, *file = NULL, *mode = "both";
  bool json = false;
  int max_steps = 1000, max_objects = 100;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (file) return cli_usage_error("trace", "`lab trace` takes one FILE (program arguments go after `--`), not `%s`", v);
      file = v;
    } else if (strcmp(o, "--mode") == 0) {
      if (cli_mode3("trace", v) != EXIT_OK) return EXIT_USAGE;
      mode = v;
    } else if (strcmp(o, "--max-steps") == 0) {
      if (cli_int("trace", "--max-steps", v, 1, TRACE_MAX_STEPS, &max_steps) != EXIT_OK) return EXIT_USAGE;
    } else if (strcmp(o, "--max-objects") == 0) {
      if (cli_int("trace", "--max-objects", v, 1, 100, &max_objects) != EXIT_OK) return EXIT_USAGE;
    } else if (strcmp(o, "--time-limit") == 0) {
      if (cli_int("trace", "--time-limit", v, 0, 86400, &native_limit) != EXIT_OK) return EXIT_USAGE;
    } else if (strcmp(o, "--json") == 0 && !v) {
      json = true;
    } else {
      return cli_unknown_option(&it, usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file) return cli_usage_error("trace", "%s", "`lab trace` needs a FILE");
  bool want_interp = strcmp(mode, "native") != 0, want_native = strcmp(mode, "interp") != 0;

  Loaded ld;
  int status = load(file, &ld);
  if (status != EXIT_OK) {
    unload(&ld);
    return status;
  }
  // Native: the checker's facts.
  DiagSink checks;
  diag_init(&checks, ld.src);
  Facts fs = {0};
  bool accepted = false;
  if (want_native) {
    bool typed = ck_check(ld.prog, &checks);
    if (typed) {
      bk_set_fact_sink(collect, &fs);
      accepted = bk_check(ld.prog, &checks);
      bk_set_fact_sink(NULL, NULL);
      if (fs.n) qsort(fs.v, (size_t)fs.n, sizeof *fs.v, fact_order);
    }
  }
  // Native's counted run: what was freed (dropped) on each line.
  char *nrun = accepted ? native_run_lines(file, argc - it.rest, argv + it.rest) : NULL;
  // Interp: the counted run's steps.
  char why[600] = "";
  int istatus = 0;
  char *itrace = want_interp ? interp_trace(file, max_steps, max_objects, argc - it.rest, argv + it.rest, &istatus, why, sizeof why) : NULL;
  if (want_interp && !itrace) {
    fprintf(stderr, "lab trace: %s\n", why);
    status = EXIT_RUNTIME;
    goto done;
  }

  if (json) {
    printf("{\"format\": 1, \"file\": ");
    json_write_str(stdout, file);
    if (itrace) printf(",\n \"interp_exit\": %d,\n \"interp\": %s", istatus, itrace);
    if (want_native) {
      printf(",\n \"native\": ");
      json_native(stdout, &ld, &checks, accepted, &fs, nrun);
    }
    printf("\n}\n");
  } else {
    printf("lab trace: %s (docs/trace.md; --json for every step's frames and heap)\n\n", file);
    if (itrace) {
      print_text_interp(itrace);
      printf("  interp exit code %d\n\n", istatus);
    }
    if (want_native) {
      if (!accepted) {
        printf("native: the checker rejects this program; the permissions below lead to its first error:\n");
        diag_render(&checks, stdout, false);
      }
      printf("native (ownership: R read, W write, O own; after each line):\n");
      for (int i = 0; i < fs.n; i++) {
        Fact *x = &fs.v[i];
        if (i == 0 || fs.v[i - 1].fn != x->fn || fs.v[i - 1].line != x->line) printf("%s  %-8s line %4d ", i ? "\n" : "", x->fn->name, x->line);
        char p[4];
        perms(&x->f, p);
        const char *st = state_of(&x->f);
        if (strcmp(st, "uninit") == 0) continue;
        printf(" %s:%s", x->local->name, strcmp(st, "init") == 0 ? (p[0] ? p : "-") : st);
        for (int k = 0; k < x->f.nborrows && k < BK_FACT_BORROWERS; k++)
          printf("%s%s%s", k ? "," : "(borrowed by ", x->f.by[k] ? x->f.by[k]->name : "a temporary", k + 1 == x->f.nborrows || k + 1 == BK_FACT_BORROWERS ? ")" : "");
      }
      printf("\n");
      if (!nrun && accepted)
        printf("\nnative's counted run did not finish within %d s (or failed): no frees per line\n", native_limit);
      if (nrun) {
        printf("\nnative's counted run: what was dropped (freed) on each line:\n");
        for (const char *p = strstr(nrun, "{\"line\": "); p; p = strstr(p + 1, "{\"line\": ")) {
          const char *fr = strstr(p, "\"frees\": "), *end = strchr(p, '}');
          if (fr && end && fr < end) printf("  line %4d  %lld frees\n", atoi(p + 9), atoll(fr + 9));
        }
      }
    }
  }
  status = EXIT_OK;
done:
  free(itrace);
  free(nrun);
  free(fs.v);
  free(fs.index);
  diag_free(&checks);
  unload(&ld);
  return status;
}
