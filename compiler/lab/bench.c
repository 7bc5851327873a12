// bench.c — `lab bench [NAMES...]`: the benchmark suite of tests/bench/,
// run in both modes beside real CPython, C and Rust (SPEC §8, issue 7).
//
// For each row of the suite (the table below) and each implementation:
//   interp   this lab, `lab run --mode=interp STEM.toy -- ARGS`
//   native   the executable `lab build STEM.toy` wrote into build/bench/,
//            run directly (as one runs a Rust binary; compiling is not timed)
//   CPython  STEM.py under $PYTHON, else /usr/bin/python3, else python3
//   C        STEM.c built with $CC -O2 -pthread (default cc) into build/bench/
//   Rust     STEM.rs built with rustc -O, when rustc is on the PATH
//   C checked  STEM_checked.c, where one exists (fib: C with native's checks)
//   hybrid   this lab, `lab run --mode=hybrid STEM.toy -- ARGS`, when STEM.toy
//            has #[native] functions (docs/hybrid.md; the untimed first run
//            compiles the library into the cache)
// An implementation whose toolchain is missing is skipped with a note.
//
// Every implementation runs once untimed (the warm-up and the self-check),
// then RUNS timed rounds follow, the implementations taking turns within a
// round so that a burst of load on a shared machine hits all of them alike.
// The two sides of each comparison the goals make (interp and CPython,
// native and Rust with overflow checks, --unchecked and Rust -O) run back to
// back (round_pairs), so that each round's ratio compares two runs that saw
// the same spell of the machine (its speed changes in spells of seconds: one
// executable ran in 30 ms or 60 ms from one run to the next); each round
// starts with the next pair, and every other round runs each pair's second
// side first, so that neither side always goes first, and no pair always
// runs right after the same one (interp's seconds of work, say).
// Each run's stdout must equal interp's first output: a wrong answer is a
// failure (exit 1), never a fast time. The figures are the medians of wall
// time, user + sys time and peak RSS (wait4's rusage, compiler/lab/proc.c).
//
// Output: a table on stdout (or --json), a progress line on stderr, and on
// request the SVG chart and docs/results.md (compiler/lab/bench_report.c).
#include "bench.h"

#include "cli.h"
#include "json.h"
#include "native.h"
#include "proc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

// ---- the suite ----------------------------------------------------------------

// Full sizes take a few tenths of a second to a few seconds in interp mode;
// --quick sizes take milliseconds (the CI smoke run and `make test`).
static const BenchDef suite[] = {
    {"fib", "fib", {"35"}, {"20"}, "recursive fib(N): calls and int arithmetic"},
    {"sum", "sum", {"10000000"}, {"10000"}, "push N ints onto a list, then sum them in a loop"},
    {"sort", "sort", {"1000000"}, {"10000"}, "sort N pseudo-random ints"},
    {"wordcount", "wordcount", {"1000000"}, {"10000"}, "count N words in a map of str"},
    {"binary_trees", "binary_trees", {"13"}, {"6"}, "allocate and drop binary trees (allocation + GC)"},
    {"nbody", "nbody", {"500000"}, {"1000"}, "5-body simulation, N steps (float arithmetic)"},
    {"logs_struct", "logs", {"300000", "struct"}, {"2000", "struct"}, "N records as structs, field reads"},
    {"logs_map", "logs", {"300000", "map"}, {"2000", "map"}, "N records as one map each, key lookups"},
    {"list_grown", "list", {"10000000", "grown"}, {"10000", "grown"}, "fill N ints by push (reallocating)"},
    {"list_prealloc", "list", {"10000000", "prealloc"}, {"10000", "prealloc"}, "fill N ints into [0; N]"},
    {"primes_1t", "primes", {"600000", "1"}, {"20000", "1"}, "count primes below N, 1 thread"},
    {"primes_2t", "primes", {"600000", "2"}, {"20000", "2"}, "count primes below N, 2 threads"},
    {"sleepy", "sleepy", {"4", "20"}, {"2", "2"}, "4 threads x 20 rounds of a 10 ms sleep (I/O-bound)"},
    {"hello", "hello", {NULL}, {NULL}, "start-up: print one line"},
    {"idle", "idle", {NULL}, {NULL}, "memory of a process that waits 50 ms"},
    {"boundary_calls", "boundary", {"calls", "10000000"}, {"calls", "10000"},
     "a trivial #[native] function called N times from a loop (the boundary dominates)"},
    {"boundary_loop", "boundary", {"loop", "10000000"}, {"loop", "10000"}, "the same loop inside one #[native] call"},
    {"boundary_list", "boundary", {"list", "1000000"}, {"list", "10000"},
     "a list of N ints passed 10 times: N conversions per call"},
    {"boundary_nogil", "boundary", {"threads", "30000000"}, {"threads", "10000"},
     "2 threads in a #[native(nogil)] function (parallel in hybrid)"},
};
enum { SUITE_LEN = (int)(sizeof suite / sizeof suite[0]) };

const char *const bench_impl_names[IM_COUNT] = {"interp", "native",    "cpython",          "c",
                                                 "rust",   "c_checked", "native_unchecked", "hybrid",
                                                 "rust_checked", "interp_nospec"};
const char *const bench_impl_labels[IM_COUNT] = {"interp", "native",    "CPython",           "C",
                                                  "Rust",   "C checked", "native --unchecked", "hybrid",
                                                  "Rust -C overflow-checks=on", "interp --specialize=off"};

static const char *bench_usage =
    "usage: lab bench [NAMES...] [-n RUNS] [--quick] [--json] [--svg FILE]\n"
    "                 [--markdown FILE] [--impls LIST] [--dir DIR] [--list]\n"
    "\n"
    "Runs the benchmark suite (tests/bench/) in both modes and beside real\n"
    "CPython, C and Rust twins of each program: the median wall time, CPU time\n"
    "and peak RSS of RUNS runs each, after one untimed run that also checks\n"
    "that every implementation prints what interp prints. Native mode is timed\n"
    "as the executable `lab build` writes (compiling is not timed). A twin whose\n"
    "toolchain is missing is skipped with a note. NAMES are row names (`lab\n"
    "bench --list`) or program names (`logs` selects logs_struct and logs_map);\n"
    "none means the whole suite.\n"
    "\n"
    "options:\n"
    "  -n RUNS           timed runs per implementation (default 5, 1 to 100)\n"
    "  --quick           small sizes: a smoke run in seconds (CI, make test)\n"
    "  --json            print one JSON object instead of the table\n"
    "  --svg FILE        also write a bar chart (log scale) of the times and\n"
    "                    the memory as a self-contained SVG\n"
    "  --markdown FILE   also write the claim-by-claim report (docs/results.md;\n"
    "                    `make results` runs the whole suite into it)\n"
    "  --impls LIST      which implementations to run, comma-separated, from\n"
    "                    interp,native,cpython,c,rust,c_checked,native_unchecked,\n"
    "                    hybrid (the rows whose program has #[native] functions),\n"
    "                    rust_checked (rustc -C overflow-checks=on), interp_nospec\n"
    "                    (interp with --specialize=off)\n"
    "                    (default: all; interp always runs: its output is the\n"
    "                    answer)\n"
    "  --dir DIR         the suite's folder (default tests/bench)\n"
    "  --list            list the suite and exit\n"
    "\n"
    "environment: PYTHON (the CPython to compare), CC (default cc).\n"
    "exit codes: 0 all ran and agreed, 1 a program failed or printed a\n"
    "different answer, 3 usage error.\n";

// ---- running a child ----------------------------------------------------------

// Runs argv (compiler/lab/proc.c); false, with a message, if it could not start.
static bool run_proc(char *const *argv, Proc *p) {
  if (proc_run(argv, NULL, p)) return true;
  fprintf(stderr, "lab bench: %s\n", p->err);
  proc_free(p);
  return false;
}

// The first line of what argv prints (stdout, else stderr), into buf; "" if
// it cannot run.
static void first_line(char *const *argv, char *buf, size_t size) {
  buf[0] = '\0';
  Proc p;
  if (!run_proc(argv, &p)) return;
  const char *s = p.status == 0 && p.out[0] ? p.out : p.status == 0 ? p.err : "";
  snprintf(buf, size, "%.*s", (int)strcspn(s, "\n"), s);
  proc_free(&p);
}

// ---- toolchains -----------------------------------------------------------------

// The full path of an executable named name on $PATH, or NULL (malloc'd).
static char *find_in_path(const char *name) {
  if (strchr(name, '/')) return access(name, X_OK) == 0 ? strdup(name) : NULL;
  const char *path = getenv("PATH");
  if (!path) path = "/usr/bin:/bin";
  while (*path) {
    size_t n = strcspn(path, ":");
    char buf[4096];
    if (n > 0 && n + strlen(name) + 2 < sizeof buf) {
      snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, name);
      if (access(buf, X_OK) == 0) return strdup(buf);
    }
    path += n;
    if (*path == ':') path++;
  }
  return NULL;
}

typedef struct {
  bool want[IM_COUNT];  // --impls (interp always: its output is the answer)
  char *python;  // NULL when absent
  const char *cc;  // $CC or "cc"; may be several words
  bool have_cc;
  char *rustc;
} Tools;

static void find_tools(Tools *t, BenchRun *run) {
  const char *py = getenv("PYTHON");
  if (py && *py) t->python = find_in_path(py);
  else if (access("/usr/bin/python3", X_OK) == 0) t->python = strdup("/usr/bin/python3");
  else t->python = find_in_path("python3");
  t->cc = nat_cc_command();
  const char *w = t->cc + strspn(t->cc, " \t");  // its first word
  char first[256];
  snprintf(first, sizeof first, "%.*s", (int)strcspn(w, " \t"), w);
  char *ccpath = find_in_path(first);
  t->have_cc = ccpath != NULL;
  t->rustc = find_in_path("rustc");
  snprintf(run->tool[IM_INTERP], sizeof run->tool[0], "lab run --mode=interp");
  snprintf(run->tool[IM_NATIVE], sizeof run->tool[0], "lab build (through %s " NAT_OPT_LEVEL ")", t->cc);
  snprintf(run->tool[IM_UNCHECKED], sizeof run->tool[0], "lab build --unchecked (through %s " NAT_OPT_LEVEL ")",
           t->cc);
  snprintf(run->tool[IM_HYBRID], sizeof run->tool[0],
           "lab run --mode=hybrid (#[native] functions through %s " NAT_OPT_LEVEL ")",
           t->cc);
  snprintf(run->tool[IM_NOSPEC], sizeof run->tool[0], "lab run --mode=interp --specialize=off");
  if (t->python) {
    char *av[] = {t->python, "--version", NULL};
    char v[120];
    first_line(av, v, sizeof v);
    snprintf(run->tool[IM_CPYTHON], sizeof run->tool[0], "%s (%s)", v[0] ? v : "python", t->python);
  }
  if (ccpath) {
    char *av[] = {ccpath, "--version", NULL};
    char v[120];
    first_line(av, v, sizeof v);
    snprintf(run->tool[IM_C], sizeof run->tool[0], "%s -O2 (%s)", t->cc, v);
    snprintf(run->tool[IM_CCHECKED], sizeof run->tool[0], "%s", run->tool[IM_C]);
  }
  if (t->rustc) {
    char *av[] = {t->rustc, "--version", NULL};
    char v[120];
    first_line(av, v, sizeof v);
    snprintf(run->tool[IM_RUST], sizeof run->tool[0], "%s -O", v[0] ? v : "rustc");
    snprintf(run->tool[IM_RUST_CHECKED], sizeof run->tool[0], "%s -O -C overflow-checks=on", v[0] ? v : "rustc");
  }
  free(ccpath);
  for (int im = 0; im < IM_COUNT; im++)
    if (!t->want[im]) run->tool[im][0] = '\0';
}

static void free_tools(Tools *t) {
  free(t->python);
  free(t->rustc);
}

// ---- preparing one implementation of one row -------------------------------------

static bool file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

// True when out exists and is newer than src.
static bool up_to_date(const char *out, const char *src) {
  struct stat so, ss;
  if (stat(out, &so) != 0 || stat(src, &ss) != 0) return false;
  return so.st_mtim.tv_sec > ss.st_mtim.tv_sec ||
         (so.st_mtim.tv_sec == ss.st_mtim.tv_sec && so.st_mtim.tv_nsec >= ss.st_mtim.tv_nsec);
}

// Runs a compile command (`sh -c CMD sh SRC OUT`), true when it succeeded.
static bool compile(const char *cmd, const char *src, const char *out) {
  char *av[] = {"/bin/sh", "-c", (char *)cmd, "sh", (char *)src, (char *)out, NULL};
  Proc p;
  if (!run_proc(av, &p)) return false;
  bool ok = p.status == 0;
  if (!ok) fprintf(stderr, "lab bench: compiling %s failed:\n%.2000s", src, p.err);
  proc_free(&p);
  return ok;
}

// Does the Toy program at path mark a function #[native]?
static bool has_native_fn(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char line[512];
  bool yes = false;
  while (!yes && fgets(line, sizeof line, f)) yes = strncmp(line + strspn(line, " \t"), "#[native", 8) == 0;
  fclose(f);
  return yes;
}

// The command line of implementation im of row r, in av (at most 8 + args);
// sets cell->present / cell->why. Builds what needs building.
static void prepare(const BenchRun *run, const Tools *tools, BenchRow *r, BenchImpl im, char **av,
                    char exe[][512]) {
  BenchCell *c = &r->cell[im];
  const char *stem = r->def->stem;
  char src[512], *out = exe[im];
  static const char *const ext[IM_COUNT] = {".toy", ".toy", ".py", ".c", ".rs", "_checked.c", ".toy", ".toy", ".rs", ".toy"};
  snprintf(src, sizeof src, "%s/%s%s", run->dir, stem, ext[im]);
  c->present = false;
  if (!tools->want[im]) {
    c->why = "not selected";
    return;
  }
  if (!file_exists(src)) {
    c->why = "no program";
    return;
  }
  int k = 0;
  switch (im) {
  case IM_INTERP:
  case IM_NOSPEC:
    snprintf(out, 512, "%s", src);
    av[k++] = "/proc/self/exe";
    av[k++] = "run";
    av[k++] = "--mode=interp";
    if (im == IM_NOSPEC) av[k++] = "--specialize=off";
    av[k++] = out;
    av[k++] = "--";
    break;
  case IM_HYBRID:
    if (!has_native_fn(src)) {
      c->why = "no program";  // no #[native] function: hybrid would be interp
      return;
    }
    if (!tools->have_cc) {
      c->why = "no C compiler";
      return;
    }
    snprintf(out, 512, "%s", src);
    av[k++] = "/proc/self/exe";
    av[k++] = "run";
    av[k++] = "--mode=hybrid";
    av[k++] = out;
    av[k++] = "--";
    break;
  case IM_NATIVE:
  case IM_UNCHECKED: {
    if (!tools->have_cc) {
      c->why = "no C compiler";
      return;
    }
    snprintf(out, 512, "build/bench/%s-%s", stem, bench_impl_names[im]);
    char *b[] = {"/proc/self/exe", "build", src, "-o", out, im == IM_UNCHECKED ? "--unchecked" : NULL, NULL};
    Proc p;
    if (!run_proc(b, &p)) return;
    int st = p.status;
    if (st != 0) fprintf(stderr, "lab bench: lab build %s failed (exit %d):\n%.2000s", src, st, p.err);
    proc_free(&p);
    if (st != 0) {
      c->why = st == EXIT_REJECTED ? "rejected by the checker" : "lab build failed";
      c->present = true;  // a failure, not a skip
      c->ok = false;
      return;
    }
    av[k++] = out;
    break;
  }
  case IM_CPYTHON: {
    if (!tools->python) {
      c->why = "no python3";
      return;
    }
    // A twin that calls C (boundary.py): its extension STEM_ext.c, built
    // against this CPython's headers (Debian's python3-dev) into build/bench/.
    char ext_src[600], ext_out[600];
    snprintf(ext_src, sizeof ext_src, "%s/%s_ext.c", run->dir, stem);
    snprintf(ext_out, sizeof ext_out, "build/bench/%s_ext.so", stem);
    if (file_exists(ext_src) && !up_to_date(ext_out, ext_src)) {
      if (!tools->have_cc) {
        c->why = "no C compiler (for the C extension)";
        return;
      }
      char cmd[1200];
      snprintf(cmd, sizeof cmd,
               "inc=$(\"%s\" -c 'import sysconfig; print(sysconfig.get_paths()[\"include\"])') && "
               "[ -f \"$inc/Python.h\" ] && %s -O2 -shared -fPIC -I\"$inc\" -o \"$2\" \"$1\" 2>&1",
               tools->python, tools->cc);
      if (!compile(cmd, ext_src, ext_out)) {
        c->why = "no Python.h for the C extension (apt-get install python3-dev)";
        return;
      }
    }
    snprintf(out, 512, "%s", src);
    av[k++] = tools->python;
    av[k++] = out;
    break;
  }
  case IM_C:
  case IM_CCHECKED:
  case IM_RUST:
  case IM_RUST_CHECKED: {
    bool rust = im == IM_RUST || im == IM_RUST_CHECKED;
    if (rust ? !tools->rustc : !tools->have_cc) {
      c->why = rust ? "no rustc" : "no C compiler";
      return;
    }
    snprintf(out, 512, "build/bench/%s-%s", stem, bench_impl_names[im]);
    if (!up_to_date(out, src)) {
      char cmd[600];
      if (im == IM_RUST) snprintf(cmd, sizeof cmd, "rustc -O -o \"$2\" \"$1\" 2>&1");
      else if (im == IM_RUST_CHECKED) snprintf(cmd, sizeof cmd, "rustc -O -C overflow-checks=on -o \"$2\" \"$1\" 2>&1");
      else snprintf(cmd, sizeof cmd, "%s -O2 -pthread -o \"$2\" \"$1\" -lm", tools->cc);
      if (!compile(cmd, src, out)) {
        c->present = true;
        c->ok = false;
        c->why = "did not compile";
        return;
      }
    }
    av[k++] = out;
    break;
  }
  default:
    return;
  }
  for (int i = 0; r->args[i]; i++) av[k++] = (char *)r->args[i];
  av[k] = NULL;
  c->present = true;
  c->ok = true;
}

// ---- measuring ------------------------------------------------------------------

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool tty;

// The progress line: rewritten in place on a terminal, else one line per row.
static void progress(const char *fmt, ...) {
  if (!tty) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "\r\033[K");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fflush(stderr);
}

// Runs one implementation once; records a failure in c. Returns the run.
static bool run_one(BenchRow *r, BenchImpl im, char **av, Proc *p) {
  BenchCell *c = &r->cell[im];
  if (!run_proc(av, p)) {
    c->ok = false;
    c->why = "could not run";
    return false;
  }
  if (p->status != 0) {
    fprintf(stderr, "%slab bench: %s: %s exited %d\n%.1000s", tty ? "\r\033[K" : "", r->def->name,
            bench_impl_labels[im], p->status, p->err);
    c->ok = false;
    c->why = "failed";
  } else if (r->output && strcmp(p->out, r->output) != 0) {
    fprintf(stderr, "%slab bench: %s: %s printed\n%.500s  but interp printed\n%.500s", tty ? "\r\033[K" : "",
            r->def->name, bench_impl_labels[im], p->out, r->output);
    c->ok = false;
    c->why = "wrong answer";
  }
  return c->ok;
}

static void measure_row(const BenchRun *run, const Tools *tools, BenchRow *r, int index) {
  char *av[IM_COUNT][16];
  char exe[IM_COUNT][512];
  progress("lab bench: [%d/%d] %s: building", index + 1, run->nrows, r->def->name);
  for (int im = 0; im < IM_COUNT; im++) prepare(run, tools, r, (BenchImpl)im, av[im], exe);
  // The warm-up and self-check: interp first, its output is the answer.
  for (int im = 0; im < IM_COUNT; im++) {
    BenchCell *c = &r->cell[im];
    if (!c->present || !c->ok) continue;
    progress("lab bench: [%d/%d] %s: %s, checking the answer", index + 1, run->nrows, r->def->name,
             bench_impl_labels[im]);
    Proc p;
    if (run_one(r, (BenchImpl)im, av[im], &p) && im == IM_INTERP) {
      r->output = p.out;
      p.out = NULL;
    }
    proc_free(&p);
    if (im == IM_INTERP && !r->output) break;  // nothing to check the others against
  }
  double *wall[IM_COUNT], *cpu[IM_COUNT], *rss[IM_COUNT];
  for (int im = 0; im < IM_COUNT; im++) {
    wall[im] = calloc((size_t)run->runs, sizeof(double));
    cpu[im] = calloc((size_t)run->runs, sizeof(double));
    rss[im] = calloc((size_t)run->runs, sizeof(double));
  }
  static const BenchImpl round_pairs[][2] = {{IM_INTERP, IM_CPYTHON}, {IM_NATIVE, IM_RUST_CHECKED},
                                             {IM_UNCHECKED, IM_RUST}, {IM_C, IM_CCHECKED}, {IM_HYBRID, IM_NOSPEC}};
  enum { NPAIRS = sizeof round_pairs / sizeof *round_pairs };
  _Static_assert(2 * NPAIRS == IM_COUNT, "every implementation is in one pair");
  for (int k = 0; k < run->runs && r->output; k++) {
    for (int j = 0; j < IM_COUNT; j++) {
      // each round starts one pair further on; every other round, each pair's second side first
      int im = round_pairs[(j / 2 + k) % NPAIRS][(j + k) % 2];
      BenchCell *c = &r->cell[im];
      if (!c->present || !c->ok || !wall[im]) continue;
      progress("lab bench: [%d/%d] %s: %s, run %d/%d", index + 1, run->nrows, r->def->name, bench_impl_labels[im],
               k + 1, run->runs);
      Proc p;
      if (run_one(r, (BenchImpl)im, av[im], &p)) {
        wall[im][k] = p.wall_ms / 1e3;
        cpu[im][k] = (p.user_ms + p.sys_ms) / 1e3;
        rss[im][k] = p.rss_kb;
      }
      proc_free(&p);
    }
  }
  for (int im = 0; im < IM_COUNT; im++) {
    BenchCell *c = &r->cell[im];
    if (c->present && !r->output && c->ok) {
      c->ok = false;
      c->why = "interp failed: no answer to check";
    }
    if (c->present && c->ok && wall[im] && cpu[im] && rss[im]) {
      memcpy(c->cpu_round, cpu[im], (size_t)run->runs * sizeof(double));  // before median() sorts them
      c->wall_s = median(wall[im], run->runs);
      c->best_s = wall[im][0];  // median() sorted the rounds
      c->cpu_s = median(cpu[im], run->runs);
      c->best_cpu_s = cpu[im][0];
      c->rss_kb = median(rss[im], run->runs);
    } else if (c->present && c->ok) {
      c->ok = false;
      c->why = "out of memory";
    }
    free(wall[im]);
    free(cpu[im]);
    free(rss[im]);
  }
  if (tty) fprintf(stderr, "\r\033[K");
  char buf[64];
  snprintf(buf, sizeof buf, "%d/%d", index + 1, run->nrows);
  const BenchCell *in = &r->cell[IM_INTERP], *na = &r->cell[IM_NATIVE];
  fprintf(stderr, "lab bench: [%s] %-13s interp %.4f s, native %.4f s\n", buf, r->def->name,
          in->ok ? in->wall_s : 0.0, na->ok ? na->wall_s : 0.0);
}

// ---- shared with the report -------------------------------------------------------

double bench_ratio(const BenchCell *a, const BenchCell *b) {
  if (!a->present || !a->ok || !b->present || !b->ok || a->wall_s <= 0 || b->wall_s <= 0) return 0;
  return a->wall_s / b->wall_s;
}

const BenchRow *bench_row(const BenchRun *run, const char *name) {
  for (int i = 0; i < run->nrows; i++)
    if (strcmp(run->rows[i].def->name, name) == 0) return &run->rows[i];
  return NULL;
}

// ---- the table and the JSON ---------------------------------------------------------

void bench_fmt_seconds(char *buf, size_t n, double s) {
  if (s >= 1) snprintf(buf, n, "%.2f s", s);
  else if (s >= 0.1) snprintf(buf, n, "%.3f s", s);
  else if (s >= 0.01) snprintf(buf, n, "%.1f ms", s * 1e3);
  else snprintf(buf, n, "%.2f ms", s * 1e3);
}

static const char *fmt_time(char *buf, size_t n, const BenchCell *c) {
  if (!c->present) snprintf(buf, n, "-");
  else if (!c->ok) snprintf(buf, n, "FAILED");
  else bench_fmt_seconds(buf, n, c->wall_s);
  return buf;
}

static const char *fmt_ratio(char *buf, size_t n, double r) {
  if (r <= 0) snprintf(buf, n, "-");
  else if (r >= 100) snprintf(buf, n, "%.0fx", r);
  else if (r >= 10) snprintf(buf, n, "%.1fx", r);
  else snprintf(buf, n, "%.2fx", r);
  return buf;
}

static const char *fmt_mb(char *buf, size_t n, const BenchCell *c) {
  if (!c->present || !c->ok) snprintf(buf, n, "-");
  else snprintf(buf, n, "%.1f", c->rss_kb / 1024.0);
  return buf;
}

static void print_table(const BenchRun *run) {
  printf("lab bench: median of %d runs%s; %s; load %.2f on %d CPUs at start\n", run->runs,
         run->quick ? " (--quick sizes)" : "", run->date, run->load1, run->ncpu);
  for (int im = 0; im < IM_COUNT; im++)
    if (run->tool[im][0] && im != IM_CCHECKED && im != IM_UNCHECKED)
      printf("  %-8s %s\n", bench_impl_labels[im], run->tool[im]);
  printf("\n%-14s %9s %9s %7s %9s %9s %9s %9s %7s %7s | %8s %8s %8s %8s %8s\n", "benchmark", "interp", "native",
         "int/nat", "hybrid", "CPython", "C", "Rust", "int/py", "nat/C", "MB int", "MB nat", "MB py", "MB C", "MB rs");
  for (int i = 0; i < run->nrows; i++) {
    const BenchRow *r = &run->rows[i];
    const BenchCell *c = r->cell;
    char b[15][32];
    printf("%-14s %9s %9s %7s %9s %9s %9s %9s %7s %7s | %8s %8s %8s %8s %8s\n", r->def->name,
           fmt_time(b[0], 32, &c[IM_INTERP]), fmt_time(b[1], 32, &c[IM_NATIVE]),
           fmt_ratio(b[2], 32, bench_ratio(&c[IM_INTERP], &c[IM_NATIVE])), fmt_time(b[14], 32, &c[IM_HYBRID]),
           fmt_time(b[3], 32, &c[IM_CPYTHON]),
           fmt_time(b[4], 32, &c[IM_C]), fmt_time(b[5], 32, &c[IM_RUST]),
           fmt_ratio(b[6], 32, bench_ratio(&c[IM_INTERP], &c[IM_CPYTHON])),
           fmt_ratio(b[7], 32, bench_ratio(&c[IM_NATIVE], &c[IM_C])), fmt_mb(b[8], 32, &c[IM_INTERP]),
           fmt_mb(b[9], 32, &c[IM_NATIVE]), fmt_mb(b[10], 32, &c[IM_CPYTHON]), fmt_mb(b[11], 32, &c[IM_C]),
           fmt_mb(b[12], 32, &c[IM_RUST]));
    if (c[IM_RUST_CHECKED].present || c[IM_NOSPEC].present)
      printf("%-14s Rust -C overflow-checks=on: %s, native / it = %s; native --unchecked / Rust = %s; "
             "interp --specialize=off: %s (%s interp)\n",
             "", fmt_time(b[0], 32, &c[IM_RUST_CHECKED]), fmt_ratio(b[1], 32, bench_ratio(&c[IM_NATIVE], &c[IM_RUST_CHECKED])),
             fmt_ratio(b[2], 32, bench_ratio(&c[IM_UNCHECKED], &c[IM_RUST])), fmt_time(b[3], 32, &c[IM_NOSPEC]),
             fmt_ratio(b[4], 32, bench_ratio(&c[IM_NOSPEC], &c[IM_INTERP])));
    if (c[IM_CCHECKED].present)
      printf("%-14s C with native mode's overflow checks (%s_checked.c): %s; native / checked C = %s;\n"
             "%-14s native --unchecked: %s, unchecked / C = %s\n", "", r->def->stem,
             fmt_time(b[0], 32, &c[IM_CCHECKED]), fmt_ratio(b[1], 32, bench_ratio(&c[IM_NATIVE], &c[IM_CCHECKED])),
             "", fmt_time(b[2], 32, &c[IM_UNCHECKED]), fmt_ratio(b[3], 32, bench_ratio(&c[IM_UNCHECKED], &c[IM_C])));
  }
  bool noted[IM_COUNT] = {false};
  for (int i = 0; i < run->nrows; i++)
    for (int im = 0; im < IM_COUNT; im++) {
      const BenchCell *c = &run->rows[i].cell[im];
      if (!c->present && c->why && strcmp(c->why, "no program") != 0 && strcmp(c->why, "not selected") != 0 &&
          !noted[im]) {
        printf("note: %s skipped (%s)\n", bench_impl_labels[im], c->why);
        noted[im] = true;
      }
    }
}


// LAB_BENCH_REDACT=1 (for the test suite): what varies from run to run or
// machine to machine — times, memory, ratios, date, host, load, toolchain
// versions — prints as null, so the JSON's shape can be compared exactly.
static bool redact;

static void json_num(const char *fmt, double v) {
  if (redact) printf("null");
  else printf(fmt, v);
}

static void json_ratio(const char *key, double r, bool comma) {
  printf("\"%s\": ", key);
  if (r > 0) json_num("%.4f", r);
  else printf("null");
  if (comma) printf(", ");
}

static void print_json(const BenchRun *run) {
  printf("{\"runs\": %d, \"quick\": %s, \"date\": ", run->runs, run->quick ? "true" : "false");
  if (redact) printf("null");
  else json_write_str(stdout, run->date);
  printf(", \"host\": ");
  if (redact) printf("null");
  else json_write_str(stdout, run->host);
  printf(", \"cpus\": ");
  json_num("%.0f", run->ncpu);
  printf(", \"load_at_start\": ");
  json_num("%.2f", run->load1);
  printf(", \"tools\": {");
  for (int im = 0; im < IM_COUNT; im++) {
    printf("%s\"%s\": ", im ? ", " : "", bench_impl_names[im]);
    if (run->tool[im][0] && redact) printf("\"\"");
    else if (run->tool[im][0]) json_write_str(stdout, run->tool[im]);
    else printf("null");
  }
  printf("},\n \"benchmarks\": [");
  for (int i = 0; i < run->nrows; i++) {
    const BenchRow *r = &run->rows[i];
    printf("%s\n  {\"name\": ", i ? "," : "");
    json_write_str(stdout, r->def->name);
    printf(", \"program\": ");
    json_write_str(stdout, r->def->stem);
    printf(", \"args\": [");
    for (int k = 0; r->args[k]; k++) {
      if (k) printf(", ");
      json_write_str(stdout, r->args[k]);
    }
    printf("], \"output\": ");
    if (r->output) json_write_str(stdout, r->output);
    else printf("null");
    printf(",\n   \"results\": {");
    for (int im = 0; im < IM_COUNT; im++) {
      const BenchCell *c = &r->cell[im];
      printf("%s\"%s\": ", im ? ", " : "", bench_impl_names[im]);
      if (c->present && c->ok) {
        printf("{\"ok\": true, \"wall_s\": ");
        json_num("%.6f", c->wall_s);
        printf(", \"best_wall_s\": ");
        json_num("%.6f", c->best_s);
        printf(", \"cpu_s\": ");
        json_num("%.6f", c->cpu_s);
        printf(", \"best_cpu_s\": ");
        json_num("%.6f", c->best_cpu_s);
        printf(", \"peak_rss_kb\": ");
        json_num("%.0f", c->rss_kb);
        printf("}");
      }
      else if (c->present) {
        printf("{\"ok\": false, \"error\": ");
        json_write_str(stdout, c->why ? c->why : "failed");
        printf("}");
      } else {
        printf("{\"skipped\": ");
        json_write_str(stdout, c->why ? c->why : "absent");
        printf("}");
      }
    }
    const BenchCell *c = r->cell;
    printf("},\n   \"ratios\": {");
    json_ratio("interp_native", bench_ratio(&c[IM_INTERP], &c[IM_NATIVE]), true);
    json_ratio("cpython_c", bench_ratio(&c[IM_CPYTHON], &c[IM_C]), true);
    json_ratio("cpython_rust", bench_ratio(&c[IM_CPYTHON], &c[IM_RUST]), true);
    json_ratio("interp_cpython", bench_ratio(&c[IM_INTERP], &c[IM_CPYTHON]), true);
    json_ratio("native_c", bench_ratio(&c[IM_NATIVE], &c[IM_C]), true);
    json_ratio("native_rust", bench_ratio(&c[IM_NATIVE], &c[IM_RUST]), true);
    json_ratio("native_checked_c", bench_ratio(&c[IM_NATIVE], &c[IM_CCHECKED]), true);
    json_ratio("unchecked_c", bench_ratio(&c[IM_UNCHECKED], &c[IM_C]), true);
    json_ratio("interp_hybrid", bench_ratio(&c[IM_INTERP], &c[IM_HYBRID]), true);
    json_ratio("native_rust_checked", bench_ratio(&c[IM_NATIVE], &c[IM_RUST_CHECKED]), true);
    json_ratio("unchecked_rust", bench_ratio(&c[IM_UNCHECKED], &c[IM_RUST]), true);
    json_ratio("nospec_interp", bench_ratio(&c[IM_NOSPEC], &c[IM_INTERP]), false);
    printf("}}");
  }
  printf("\n ]}\n");
}

// ---- the command --------------------------------------------------------------------

static bool selects(const char *name, const BenchDef *d) {
  return strcmp(name, d->name) == 0 || strcmp(name, d->stem) == 0;
}

static bool mkdirs(const char *path) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return false;
    *p = '/';
  }
  return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

int cmd_bench(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(bench_usage, stdout);
    return EXIT_OK;
  }
  BenchRun run;
  memset(&run, 0, sizeof run);
  run.runs = 5;
  run.dir = "tests/bench";
  bool json = false, list = false;
  const char *svg = NULL, *md = NULL, *impls = NULL;
  const char **names = calloc((size_t)argc + 1, sizeof *names);
  int nnames = 0;
  if (!names) return EXIT_RUNTIME;
  static const char *const valued[] = {"-n", "--runs", "--svg", "--markdown", "--dir", "--impls", NULL};
  CliIter it = cli_iter(argc, argv, "bench", valued);
  const char *o, *v;
  int status = EXIT_OK;
  while (status == EXIT_OK && cli_next(&it, &o, &v)) {
    if (!o) names[nnames++] = v;
    else if (strcmp(o, "-n") == 0 || strcmp(o, "--runs") == 0) {
      status = cli_int("bench", o, v, 1, BENCH_MAX_RUNS, &run.runs);
    } else if (strcmp(o, "--svg") == 0) svg = v;
    else if (strcmp(o, "--markdown") == 0) md = v;
    else if (strcmp(o, "--dir") == 0) run.dir = v;
    else if (strcmp(o, "--impls") == 0) impls = v;
    else if (strcmp(o, "--json") == 0 && !v) json = true;
    else if (strcmp(o, "--quick") == 0 && !v) run.quick = true;
    else if (strcmp(o, "--list") == 0 && !v) list = true;
    else status = cli_unknown_option(&it, bench_usage);
  }
  if (status == EXIT_OK) status = it.status;
  for (int i = it.rest; status == EXIT_OK && i < argc; i++) names[nnames++] = argv[i];  // after `--`
  if (status != EXIT_OK) {
    free(names);
    return status;
  }
  if (list) {
    for (int i = 0; i < SUITE_LEN; i++) {
      printf("%-14s %s.toy", suite[i].name, suite[i].stem);
      for (int k = 0; suite[i].args[k]; k++) printf(" %s", suite[i].args[k]);
      printf("  (--quick:");
      for (int k = 0; suite[i].quick[k]; k++) printf(" %s", suite[i].quick[k]);
      printf(")  %s\n", suite[i].what);
    }
    free(names);
    return EXIT_OK;
  }
  Tools tools;
  memset(&tools, 0, sizeof tools);
  for (int im = 0; im < IM_COUNT; im++) tools.want[im] = impls == NULL || im == IM_INTERP;
  for (const char *p = impls; p && *p;) {
    size_t n = strcspn(p, ",");
    int found = -1;
    for (int im = 0; im < IM_COUNT; im++)
      if (strlen(bench_impl_names[im]) == n && strncmp(p, bench_impl_names[im], n) == 0) found = im;
    if (found < 0) {
      char bad[64], msg[256] = "unknown implementation `%s` in --impls (one of";
      snprintf(bad, sizeof bad, "%.*s", (int)(n < 60 ? n : 60), p);
      for (int im = 0; im < IM_COUNT; im++)
        snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s %s", im ? "," : "", bench_impl_names[im]);
      strcat(msg, ")");
      free(names);
      return cli_usage_error("bench", msg, bad);
    }
    tools.want[found] = true;
    p += n;
    if (*p == ',') p++;
  }
  for (int k = 0; k < nnames; k++) {
    bool found = false;
    for (int i = 0; i < SUITE_LEN; i++) found = found || selects(names[k], &suite[i]);
    if (!found) {
      const char *bad = names[k];
      free(names);
      return cli_usage_error("bench", "no benchmark named `%s` (`lab bench --list` shows the suite)", bad);
    }
  }
  struct stat st;
  if (stat(run.dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    free(names);
    return cli_usage_error("bench", "no suite folder `%s` (run lab bench from the repository root, or --dir)",
                           run.dir);
  }
  if ((svg && cli_output("bench", svg) != EXIT_OK) || (md && cli_output("bench", md) != EXIT_OK)) {
    free(names);
    return EXIT_USAGE;
  }
  if (!mkdirs("build/bench")) {
    fprintf(stderr, "lab bench: cannot create build/bench: %s\n", strerror(errno));
    free(names);
    return EXIT_USAGE;
  }
  run.rows = calloc(SUITE_LEN, sizeof *run.rows);
  if (!run.rows) return EXIT_RUNTIME;
  for (int i = 0; i < SUITE_LEN; i++) {
    bool want = nnames == 0;
    for (int k = 0; k < nnames; k++) want = want || selects(names[k], &suite[i]);
    if (!want) continue;
    BenchRow *r = &run.rows[run.nrows++];
    r->def = &suite[i];
    r->args = run.quick ? suite[i].quick : suite[i].args;
  }
  free(names);

  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(run.date, sizeof run.date, "%Y-%m-%d %H:%M UTC", &tm);
  struct utsname un;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  run.ncpu = ncpu > 0 ? (int)ncpu : 1;
  if (uname(&un) == 0) snprintf(run.host, sizeof run.host, "%s %s %s", un.sysname, un.release, un.machine);
  double load[1];
  if (getloadavg(load, 1) == 1) run.load1 = load[0];
  tty = isatty(2);
  const char *rd = getenv("LAB_BENCH_REDACT");
  redact = rd && strcmp(rd, "1") == 0;

  find_tools(&tools, &run);
  for (int i = 0; i < run.nrows; i++) measure_row(&run, &tools, &run.rows[i], i);
  free_tools(&tools);

  int rc = EXIT_OK;
  for (int i = 0; i < run.nrows; i++)
    for (int im = 0; im < IM_COUNT; im++)
      if (run.rows[i].cell[im].present && !run.rows[i].cell[im].ok) rc = EXIT_RUNTIME;
  if (json) print_json(&run);
  else print_table(&run);
  if (svg && !bench_write_svg(&run, svg)) rc = EXIT_RUNTIME;
  if (md && !bench_write_markdown(&run, md, svg)) rc = EXIT_RUNTIME;
  if (rc != EXIT_OK) fprintf(stderr, "lab bench: some programs failed or disagreed (see above)\n");
  for (int i = 0; i < run.nrows; i++) free(run.rows[i].output);
  free(run.rows);
  return rc;
}
