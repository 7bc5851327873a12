// compare.c — `lab compare FILE [-n RUNS] [--json] [-- ARGS...]` (SPEC §8).
//
// Runs the program in both modes by executing this lab binary itself
// (/proc/self/exe) as a child, `lab run --mode=MODE FILE -- ARGS`:
//
//   1. native, against a fresh private cache ($XDG_CACHE_HOME in a temporary
//      directory): the warm-up, plain then counted. It compiles both runtime
//      variants and the program, so no timed run pays for compilation. A
//      program native mode rejects (exit 2) stops here: only interp can run it.
//   2. native with --stats=json after the programs' executables are removed
//      from that cache (the runtimes stay): the compile-phase times of a real,
//      uncached compile, and the run's counts; then a plain run, untimed,
//      compiles the executable the timed runs use.
//   3. interp with --stats=json (the counted build): the interp counts.
//   4. RUNS timed runs of each mode, alternating, without --stats (the
//      uncounted builds): the median wall, user and sys time (compiler/lab/proc.c).
// A program with #[native] functions runs in hybrid mode too (docs/hybrid.md),
// in the same private cache: a third column, with the boundary's counts.
//
// Every run's stdout must be byte-identical to the others and every exit code
// the same; if not, a banner on stderr says so and the exit code is 1.
// The table (or with --json one JSON object) goes to stdout; a one-line
// verdict goes to stderr. docs/compare.md describes the output and the keys.
#include "compare.h"

#include "cli.h"
#include "format.h"
#include "json.h"
#include "native.h"
#include "proc.h"
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>


static const char *compare_usage =
    "usage: lab compare FILE [-n RUNS] [--json] [--time-limit SECS] [-- ARGS...]\n"
    "\n"
    "Runs FILE in both modes and prints what each cost, side by side: wall and\n"
    "user time (the median of RUNS runs each, uncounted builds; native after a\n"
    "warm-up run, so compiling is not timed), peak RSS, allocations, bytes\n"
    "allocated, peak live bytes, refcount operations, GC pauses, GIL switches and\n"
    "native mode's compile time by phase (one --stats run each), with the ratio\n"
    "interp/native and bar charts. The stdout of the two modes must be identical;\n"
    "if it is not, compare says so and exits 1. A program native mode rejects\n"
    "exits 2: only interp can run it.\n"
    "\n"
    "options:\n"
    "  -n RUNS      timed runs per mode (default 5, 1 to 1000)\n"
    "  --json       print one JSON object instead of the table (docs/compare.md)\n"
    "  --time-limit SECS  stop a run that takes longer, and say so (default 60; 0: no\n"
    "               limit); a run that prints more than 64 MiB is stopped too\n"
    "  -- ARGS...   the program's arguments\n"
    "\n"
    PROC_STDIN_HELP("compare")
    "Colour only when stdout is a terminal and NO_COLOR is unset.\n";

// ---- running a child --------------------------------------------------------

// --time-limit: each run's (0: none).
static int time_limit = PROC_LAB_TIMEOUT_S;

// Runs `lab run --mode=MODE [--stats=json] FILE -- ARGS` (compiler/lab/proc.c),
// with XDG_CACHE_HOME=xdg when xdg is set; false, having said why, when it
// could not be run or was stopped at a limit.
static bool run_child(const char *mode, bool stats, const char *file, int nargs, char **args, const char *xdg,
                      Proc *c) {
  const char *run[4];
  int k = 0;
  run[k++] = "run";
  run[k++] = strcmp(mode, "native") == 0 ? "--mode=native" : strcmp(mode, "hybrid") == 0 ? "--mode=hybrid" : "--mode=interp";
  if (stats) run[k++] = "--stats=json";
  run[k++] = file;
  char env[4200];
  snprintf(env, sizeof env, "XDG_CACHE_HOME=%s", xdg ? xdg : "");
  const char *envs[] = {env, NULL};
  return proc_lab_ended("compare", mode, proc_run_lab(run, k, args, nargs, xdg ? envs : NULL, time_limit, c), c,
                        time_limit);
}

// ---- the --stats=json line ----------------------------------------------------

static bool json_true(const char *json, const char *key) {
  const char *p = json_find(json, key);
  return p && strncmp(p, "true", 4) == 0;
}

// ---- the figures --------------------------------------------------------------

// One row's value: known or not ("-").
typedef struct {
  bool ok;
  double v;
} Fig;

enum {
  F_WALL, F_USER, F_SYS, F_RSS, F_ALLOCS, F_BYTES, F_PEAK, F_RC, F_GC_N, F_GC_MS, F_GIL,
  F_PARSE, F_TYPECHECK, F_BORROWCK, F_CGEN, F_CC, F_EXE,
  F_HY_CALLS, F_HY_VALUES, F_HY_BYTES, F_HY_CONVERT, F_COUNT  // hybrid: the boundary
};

typedef struct {
  Fig f[F_COUNT];
  bool cached;       // native: the --stats run used a cached executable
  char error[256];   // how the run ended, when not with exit code 0: its stderr's last line
} Figures;

// The last non-empty line of a --stats run's stderr before its JSON line
// (proc_stats_line): the traceback's or the panic's last line.
static void run_error(const Proc *c, Figures *F) {
  const char *json = proc_stats_line(c);
  size_t start, end = proc_last_line(c->err, json ? (size_t)(json - c->err) : c->err ? strlen(c->err) : 0, &start);
  size_t n = end - start;
  if (n > sizeof F->error - 1) n = rt_utf8_floor(c->err + start, sizeof F->error - 1);
  memcpy(F->error, c->err + start, n);
  F->error[n] = '\0';
}

static Fig fig(double v) { return (Fig){true, v}; }

static Fig jfig(const char *json, const char *key) {
  double v;
  return json_number(json, key, &v) ? fig(v) : (Fig){false, 0};
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void interp_figures(const char *json, Figures *F) {
  F->f[F_RSS] = jfig(json, "peak_rss_kib");
  F->f[F_ALLOCS] = jfig(json, "objects_allocated_total");
  F->f[F_BYTES] = jfig(json, "bytes_allocated");
  F->f[F_PEAK] = jfig(json, "peak_live_bytes");
  Fig inc = jfig(json, "increfs"), dec = jfig(json, "decrefs");
  if (inc.ok && dec.ok) F->f[F_RC] = fig(inc.v + dec.v);
  F->f[F_GC_N] = jfig(json, "gc_collections");
  F->f[F_GC_MS] = jfig(json, "gc_pause_total_ms");
  F->f[F_GIL] = jfig(json, "gil_switches");
}

// The compile phases (none when the executable or library was cached) and
// its size: native's --stats line, or hybrid's "boundary" object.
static void compile_figures(const char *json, const char *size_key, Figures *F) {
  F->cached = json_true(json, "cached");
  if (!F->cached) {
    F->f[F_TYPECHECK] = jfig(json, "typecheck_ms");
    F->f[F_BORROWCK] = jfig(json, "borrowck_ms");
    F->f[F_CGEN] = jfig(json, "cgen_ms");
    F->f[F_CC] = jfig(json, "cc_ms");
  }
  F->f[F_EXE] = jfig(json, size_key);
}

// Hybrid: interp's figures, the library's compile and the boundary's counts.
static void hybrid_figures(const char *json, Figures *F) {
  interp_figures(json, F);
  const char *b = json ? strstr(json, "\"boundary\": {") : NULL;
  F->f[F_HY_CALLS] = jfig(b, "calls");
  Fig in = jfig(b, "values_in"), out = jfig(b, "values_out");
  if (in.ok && out.ok) F->f[F_HY_VALUES] = fig(in.v + out.v);
  Fig bi = jfig(b, "bytes_in"), bo = jfig(b, "bytes_out");
  if (bi.ok && bo.ok) F->f[F_HY_BYTES] = fig(bi.v + bo.v);
  F->f[F_HY_CONVERT] = jfig(b, "convert_ms");
  compile_figures(b, "library_bytes", F);
}

static void native_figures(const char *json, Figures *F) {
  F->f[F_RSS] = jfig(json, "peak_rss_kib");
  F->f[F_ALLOCS] = jfig(json, "allocs");
  F->f[F_BYTES] = jfig(json, "bytes_allocated");
  F->f[F_PEAK] = jfig(json, "peak_live_bytes");
  if (json) {
    F->f[F_RC] = fig(0);  // no reference counts
    F->f[F_GIL] = fig(0);
  }
  F->f[F_PARSE] = jfig(json, "parse_ms");
  compile_figures(json, "exe_bytes", F);
}

// ---- output -------------------------------------------------------------------

static bool colour;
static const char *c_bold(void) { return colour ? "\033[1m" : ""; }
static const char *c_dim(void) { return colour ? "\033[2m" : ""; }
static const char *c_interp(void) { return colour ? "\033[33m" : ""; }
static const char *c_native(void) { return colour ? "\033[32m" : ""; }
static const char *c_hybrid(void) { return colour ? "\033[36m" : ""; }
// A hybrid column: the program has #[native] functions.
static bool third;
static const char *c_off(void) { return colour ? "\033[0m" : ""; }

static void fmt_count(char *buf, size_t n, double v) {
  char digits[32];
  snprintf(digits, sizeof digits, "%.0f", v);
  size_t len = strlen(digits), o = 0;
  for (size_t i = 0; i < len && o + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0 && digits[i - 1] != '-') buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
}

static void fmt_ms(char *buf, size_t n, double ms) {
  if (ms >= 10000) snprintf(buf, n, "%.2f s", ms / 1000);
  else if (ms >= 100) snprintf(buf, n, "%.0f ms", ms);
  else if (ms >= 10) snprintf(buf, n, "%.1f ms", ms);
  else snprintf(buf, n, "%.2f ms", ms);
}

static void fmt_bytes(char *buf, size_t n, double b) {
  if (b >= 1024.0 * 1024 * 1024) snprintf(buf, n, "%.2f GiB", b / (1024.0 * 1024 * 1024));
  else if (b >= 1024.0 * 1024) snprintf(buf, n, "%.1f MiB", b / (1024.0 * 1024));
  else if (b >= 1024.0) snprintf(buf, n, "%.1f KiB", b / 1024.0);
  else snprintf(buf, n, "%.0f B", b);
}

typedef enum { K_MS, K_KIB, K_BYTES, K_COUNT } Kind;

static void fmt_fig(char *buf, size_t n, Fig f, Kind k) {
  if (!f.ok) {
    snprintf(buf, n, "-");
    return;
  }
  switch (k) {
  case K_MS: fmt_ms(buf, n, f.v); break;
  case K_KIB: fmt_bytes(buf, n, f.v * 1024); break;
  case K_BYTES: fmt_bytes(buf, n, f.v); break;
  case K_COUNT: fmt_count(buf, n, f.v); break;
  }
}

static void fmt_ratio(char *buf, size_t n, Fig a, Fig b) {
  if (!a.ok || !b.ok || b.v <= 0 || a.v < 0) snprintf(buf, n, "-");
  else if (a.v / b.v >= 100) snprintf(buf, n, "%.0fx", a.v / b.v);
  else snprintf(buf, n, "%.2fx", a.v / b.v);
}

// One row: interp, native, (hybrid,) interp/native.
static void row3(const char *label, const char *a, const char *b, const char *h, const char *r) {
  if (third) printf("  %-22s %16s %16s %16s %14s\n", label, a, b, h, r);
  else printf("  %-22s %16s %16s %14s\n", label, a, b, r);
}

static void fig_row3(const char *label, Fig a, Fig b, Fig h, Kind k, bool ratio) {
  char sa[48], sb[48], sh[48], sr[32];
  fmt_fig(sa, sizeof sa, a, k);
  fmt_fig(sb, sizeof sb, b, k);
  fmt_fig(sh, sizeof sh, h, k);
  if (ratio) fmt_ratio(sr, sizeof sr, a, b);
  else snprintf(sr, sizeof sr, "-");
  row3(label, sa, sb, sh, sr);
}

static void fig_row(const char *label, Fig a, Fig b, Kind k, bool ratio) {
  static const Fig none = {false, 0};
  fig_row3(label, a, b, none, k, ratio);
}

static void bar(const char *name, const char *col, Fig v, double max, Kind k) {
  enum { WIDTH = 40 };
  char s[48];
  fmt_fig(s, sizeof s, v, k);
  int n = 0;
  if (v.ok && max > 0) {
    n = (int)(v.v / max * WIDTH + 0.5);
    if (n < 1 && v.v > 0) n = 1;
  }
  printf("  %-7s %s", name, col);
  for (int i = 0; i < n; i++) fputs("\u2588", stdout);
  if (n == 0) fputs("\u258f", stdout);
  printf("%s %s\n", c_off(), s);
}

static void bar_chart(const char *title, Fig a, Fig b, Fig h, Kind k) {
  double max = 0;
  if (a.ok && a.v > max) max = a.v;
  if (b.ok && b.v > max) max = b.v;
  if (third && h.ok && h.v > max) max = h.v;
  printf("\n%s%s%s\n", c_bold(), title, c_off());
  bar("interp", c_interp(), a, max, k);
  bar("native", c_native(), b, max, k);
  if (third) bar("hybrid", c_hybrid(), h, max, k);
}

// A median wall time under SHORT_RUN_MS is largely process start-up (1–3 ms
// in either mode, with the lab's own start in front of native's: more than
// a tenth of it), and user time under a scheduler tick reads 0: such a
// run's time ratios say nothing about the two models, and a student must
// not learn from them that native is slower. The table says so, and how to
// get a run worth timing.
enum { SHORT_RUN_MS = 20 };

static bool too_short(const Figures *I, const Figures *N) {
  return (I->f[F_WALL].ok && I->f[F_WALL].v < SHORT_RUN_MS) || (N->f[F_WALL].ok && N->f[F_WALL].v < SHORT_RUN_MS);
}

static void time_row(const char *label, Fig a, Fig b, Fig h, bool short_run) {
  char sa[48], sb[48], sh[48];
  fmt_fig(sa, sizeof sa, a, K_MS);
  fmt_fig(sb, sizeof sb, b, K_MS);
  fmt_fig(sh, sizeof sh, h, K_MS);
  if (!short_run) fig_row3(label, a, b, h, K_MS, true);
  else row3(label, sa, sb, sh, "(too short)");
}

static void cpu_wall(char *buf, size_t n, const Figures *F) {
  if (F->f[F_WALL].ok && F->f[F_USER].ok && F->f[F_SYS].ok && F->f[F_WALL].v > 0)
    snprintf(buf, n, "%.2f", (F->f[F_USER].v + F->f[F_SYS].v) / F->f[F_WALL].v);
  else snprintf(buf, n, "-");
}

static void print_table(const char *file, int runs, const Figures *I, const Figures *N, const Figures *H,
                        size_t out_len, int exit_code) {
  bool short_run = too_short(I, N);
  printf("%slab compare %s%s: %d timed run%s per mode (medians); stdout identical (%zu bytes), exit code %d\n\n",
         c_bold(), file, c_off(), runs, runs == 1 ? "" : "s", out_len, exit_code);
  if (third) printf("%s  %-22s %16s %16s %16s %14s%s\n", c_bold(), "", "interp", "native", "hybrid", "interp/native", c_off());
  else printf("%s  %-22s %16s %16s %14s%s\n", c_bold(), "", "interp", "native", "interp/native", c_off());
  time_row("wall time", I->f[F_WALL], N->f[F_WALL], H->f[F_WALL], short_run);
  time_row("user time", I->f[F_USER], N->f[F_USER], H->f[F_USER], short_run);
  time_row("sys time", I->f[F_SYS], N->f[F_SYS], H->f[F_SYS], short_run);
  fig_row3("peak RSS", I->f[F_RSS], N->f[F_RSS], H->f[F_RSS], K_KIB, true);
  fig_row3("allocations", I->f[F_ALLOCS], N->f[F_ALLOCS], H->f[F_ALLOCS], K_COUNT, true);
  fig_row3("bytes allocated", I->f[F_BYTES], N->f[F_BYTES], H->f[F_BYTES], K_BYTES, true);
  fig_row3("peak live bytes", I->f[F_PEAK], N->f[F_PEAK], H->f[F_PEAK], K_BYTES, true);
  fig_row3("refcount operations", I->f[F_RC], N->f[F_RC], H->f[F_RC], K_COUNT, true);
  char gi[96] = "-", gh[96] = "-", ms[32];
  const Figures *gcs[2] = {I, H};
  char *gout[2] = {gi, gh};
  for (int g = 0; g < 2; g++)
    if (gcs[g]->f[F_GC_N].ok && gcs[g]->f[F_GC_MS].ok) {
      char cnt[32];
      fmt_count(cnt, sizeof cnt, gcs[g]->f[F_GC_N].v);
      fmt_ms(ms, sizeof ms, gcs[g]->f[F_GC_MS].v);
      snprintf(gout[g], 96, "%s / %s", cnt, ms);
    }
  row3("GC pauses (n / total)", gi, "none", gh, "-");
  fig_row3("GIL switches", I->f[F_GIL], N->f[F_GIL], H->f[F_GIL], K_COUNT, false);
  // Effective parallelism: CPU time (user + sys) over wall time, of the medians.
  char pi[32], pn[32], ph[32];
  cpu_wall(pi, sizeof pi, I);
  cpu_wall(pn, sizeof pn, N);
  cpu_wall(ph, sizeof ph, H);
  row3("CPU / wall", pi, pn, ph, "-");
  static const Fig none = {false, 0};
  if (third) {
    printf("  %sthe boundary (hybrid: the #[native] calls; docs/hybrid.md)%s\n", c_dim(), c_off());
    fig_row3("  crossings", none, none, H->f[F_HY_CALLS], K_COUNT, false);
    fig_row3("  values converted", none, none, H->f[F_HY_VALUES], K_COUNT, false);
    fig_row3("  bytes copied", none, none, H->f[F_HY_BYTES], K_BYTES, false);
    fig_row3("  converting", none, none, H->f[F_HY_CONVERT], K_MS, false);
  }
  printf("  %scompile time (native%s%s; interp compiles to bytecode as it loads)%s\n", c_dim(),
         N->cached ? ", CACHED executable: no phases ran" : ", not cached", third ? "; hybrid: its library" : "",
         c_off());
  fig_row("  parse", none, N->f[F_PARSE], K_MS, false);
  fig_row3("  type check", none, N->f[F_TYPECHECK], H->f[F_TYPECHECK], K_MS, false);
  fig_row3("  borrow check", none, N->f[F_BORROWCK], H->f[F_BORROWCK], K_MS, false);
  fig_row3("  C generation", none, N->f[F_CGEN], H->f[F_CGEN], K_MS, false);
  fig_row3("  C compiler", none, N->f[F_CC], H->f[F_CC], K_MS, false);
  fig_row3("  executable size", none, N->f[F_EXE], H->f[F_EXE], K_BYTES, false);
  if (short_run) {
    bool si = I->f[F_WALL].v < SHORT_RUN_MS, sn = N->f[F_WALL].v < SHORT_RUN_MS;
    char t[32];
    fmt_ms(t, sizeof t, sn && (!si || N->f[F_WALL].v < I->f[F_WALL].v) ? N->f[F_WALL].v : I->f[F_WALL].v);
    printf("\n%snote: too short to time%s: %s median run took %s, under %d ms, so starting the\n"
           "  process is a large part of it and user time may read 0. The time ratios say nothing\n"
           "  about the two models here. Give the program more work (a larger input after `--`,\n"
           "  or a bigger constant) until each mode runs %d ms or more; the counts above do not\n"
           "  depend on it.\n",
           c_bold(), c_off(), si && sn ? "each mode's" : sn ? "native's" : "interp's", t, SHORT_RUN_MS,
           SHORT_RUN_MS);
  }
  if (exit_code != 0) {
    printf("\n%snote: each run ended with exit code %d%s, as the program does in every mode:\n", c_bold(),
           exit_code, c_off());
    printf("  interp: %s\n  native: %s\n", I->error, N->error);
    if (third) printf("  hybrid: %s\n", H->error);
  }
  bar_chart("wall time", I->f[F_WALL], N->f[F_WALL], H->f[F_WALL], K_MS);
  bar_chart("peak RSS", I->f[F_RSS], N->f[F_RSS], H->f[F_RSS], K_KIB);
  bar_chart("peak live bytes", I->f[F_PEAK], N->f[F_PEAK], H->f[F_PEAK], K_BYTES);
}


// A figure as JSON: an integer as an integer (a count, KiB, bytes), any
// other to the microsecond (times in ms), or, for a ratio, to 4 significant
// digits, so that a small one (0.0003) does not print as 0.000.
static void json_num(double v, bool ratio) {
  if (v == (double)(long long)v && v < 9e15 && v > -9e15) printf("%lld", (long long)v);
  else if (ratio) printf("%.4g", v);
  else printf("%.3f", v);
}

// Measured values (times, RSS, executable size) vary from run to run; with
// LAB_COMPARE_REDACT=1 (for the test suite) they are printed as null.
static bool redact;

static void json_fig(const char *key, Fig f, bool measured, bool *first) {
  printf("%s\"%s\": ", *first ? "" : ", ", key);
  *first = false;
  if (!f.ok || (measured && redact)) printf("null");
  else json_num(f.v, false);
}

// The figures every mode has, in this order: times, memory, counts.
static void json_run_figs(const Figures *F, bool *first) {
  json_fig("wall_ms", F->f[F_WALL], true, first);
  json_fig("user_ms", F->f[F_USER], true, first);
  json_fig("sys_ms", F->f[F_SYS], true, first);
  json_fig("peak_rss_kib", F->f[F_RSS], true, first);
  json_fig("allocations", F->f[F_ALLOCS], false, first);
  json_fig("bytes_allocated", F->f[F_BYTES], false, first);
  json_fig("peak_live_bytes", F->f[F_PEAK], false, first);
  json_fig("refcount_ops", F->f[F_RC], false, first);
}

// How the run ended when not with exit code 0 (its stderr's last line), or null.
static void json_error(const Figures *F) {
  printf(", \"error\": ");
  if (F->error[0]) json_write_str(stdout, F->error);
  else printf("null");
}

static void print_json(const char *file, int runs, const Figures *I, const Figures *N, const Figures *H,
                       size_t out_len, int exit_code) {
  bool first = true;
  printf("{\"file\": ");
  json_write_str(stdout, file);
  printf(", \"runs\": %d, \"stdout_identical\": true, \"stdout_bytes\": %zu, \"exit_code\": %d, "
         "\"too_short_to_time\": %s, \"interp\": {",
         runs, out_len, exit_code, redact ? "null" : too_short(I, N) ? "true" : "false");
  json_run_figs(I, &first);
  json_fig("gc_collections", I->f[F_GC_N], false, &first);
  json_fig("gc_pause_total_ms", I->f[F_GC_MS], true, &first);
  json_fig("gil_switches", I->f[F_GIL], false, &first);
  json_error(I);
  printf("}, \"native\": {");
  first = true;
  json_run_figs(N, &first);
  json_fig("gil_switches", N->f[F_GIL], false, &first);
  printf(", \"cached\": %s", N->cached ? "true" : "false");
  json_fig("parse_ms", N->f[F_PARSE], true, &first);
  json_fig("typecheck_ms", N->f[F_TYPECHECK], true, &first);
  json_fig("borrowck_ms", N->f[F_BORROWCK], true, &first);
  json_fig("cgen_ms", N->f[F_CGEN], true, &first);
  json_fig("cc_ms", N->f[F_CC], true, &first);
  json_fig("exe_bytes", N->f[F_EXE], true, &first);
  json_error(N);
  if (third) {
    printf("}, \"hybrid\": {");
    first = true;
    json_run_figs(H, &first);
    json_fig("gc_collections", H->f[F_GC_N], false, &first);
    json_fig("gc_pause_total_ms", H->f[F_GC_MS], true, &first);
    json_fig("boundary_crossings", H->f[F_HY_CALLS], false, &first);
    json_fig("values_converted", H->f[F_HY_VALUES], false, &first);
    json_fig("bytes_copied", H->f[F_HY_BYTES], false, &first);
    json_fig("convert_ms", H->f[F_HY_CONVERT], true, &first);
    json_fig("library_bytes", H->f[F_EXE], true, &first);
    json_error(H);
  }
  printf("}, \"ratio\": {");
  static const struct {
    const char *key;
    int f;
    bool measured;
  } ratios[] = {{"wall_ms", F_WALL, true},           {"user_ms", F_USER, true},
                {"peak_rss_kib", F_RSS, true},       {"allocations", F_ALLOCS, false},
                {"bytes_allocated", F_BYTES, false}, {"peak_live_bytes", F_PEAK, false}};
  for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++) {
    Fig a = I->f[ratios[i].f], b = N->f[ratios[i].f];
    printf("%s\"%s\": ", i ? ", " : "", ratios[i].key);
    if (!a.ok || !b.ok || b.v <= 0 || (ratios[i].measured && redact)) printf("null");
    else json_num(a.v / b.v, true);
  }
  printf("}}\n");
}

// ---- disagreement -------------------------------------------------------------

static void first_line_at(const char *s, size_t len, size_t at, char *buf, size_t n) {
  size_t start = at;
  while (start > 0 && s[start - 1] != '\n') start--;
  size_t end = start;
  while (end < len && s[end] != '\n') end++;
  if (start >= len) snprintf(buf, n, "(end of output)");
  else snprintf(buf, n, "%.*s", (int)(end - start > 200 ? 200 : end - start), s + start);
}

// Says LOUDLY that the modes disagree: the first differing line of each.
static void disagree_banner(const char *what, const Proc *a, const Proc *b) {
  bool c = isatty(2) && !getenv("NO_COLOR");
  const char *on = c ? "\033[1;31m" : "", *off = c ? "\033[0m" : "";
  fprintf(stderr, "%s", on);
  fprintf(stderr, "================================================================\n");
  fprintf(stderr, "!!! lab compare: THE TWO MODES DISAGREE: %s\n", what);
  fprintf(stderr, "================================================================%s\n", off);
  if (a->status != b->status) fprintf(stderr, "  exit code: interp %d, native %d\n", a->status, b->status);
  size_t i = 0, line = 1;
  while (i < a->out_len && i < b->out_len && a->out[i] == b->out[i]) {
    if (a->out[i] == '\n') line++;
    i++;
  }
  if (i < a->out_len || i < b->out_len) {
    char la[256], lb[256];
    first_line_at(a->out, a->out_len, i, la, sizeof la);
    first_line_at(b->out, b->out_len, i, lb, sizeof lb);
    fprintf(stderr, "  first difference in stdout, line %zu:\n", line);
    fprintf(stderr, "    interp: %s\n", la);
    fprintf(stderr, "    native: %s\n", lb);
  }
  fprintf(stderr, "%sThe program's output must not depend on the mode: this is a lab bug or a\n"
                  "nondeterministic program. No table is printed.%s\n",
          on, off);
}

static bool same_output(const Proc *a, const Proc *b) {
  return a->status == b->status && a->out_len == b->out_len && memcmp(a->out, b->out, a->out_len) == 0;
}

// ---- the command ----------------------------------------------------------------

int cmd_compare(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(compare_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL;
  int runs = 5;
  bool json = false;
  static const char *const valued[] = {"-n", "--runs", "--time-limit", NULL};
  CliIter it = cli_iter(argc, argv, "compare", valued);
  const char *o, *v;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (file)
        return cli_usage_error("compare", "unexpected argument `%s` (program arguments go after `--`)", v);
      file = v;
    } else if (strcmp(o, "--json") == 0 && !v) {
      json = true;
    } else if (strcmp(o, "-n") == 0 || strcmp(o, "--runs") == 0) {
      if (cli_int("compare", "-n", v, 1, 1000, &runs) != EXIT_OK) return EXIT_USAGE;
    } else if (strcmp(o, "--time-limit") == 0) {
      if (cli_int("compare", "--time-limit", v, 0, 86400, &time_limit) != EXIT_OK) return EXIT_USAGE;
    } else {
      return cli_unknown_option(&it, compare_usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file) return cli_usage_error("compare", "%s", "`lab compare` needs a FILE");
  int nargs = argc - it.rest;
  char **args = argv + it.rest;
  colour = isatty(1) && !getenv("NO_COLOR");
  const char *r = getenv("LAB_COMPARE_REDACT");
  redact = r && *r && strcmp(r, "0") != 0;

  // A private cache: the warm-up compiles the runtime and the program into it.
  char cache[4096];
  if (!proc_tempdir(cache, sizeof cache, "compare")) {
    fprintf(stderr, "lab compare: cannot create a temporary directory: %s\n", strerror(errno));
    return EXIT_RUNTIME;
  }
  int status = EXIT_RUNTIME;
  Proc warm = {0}, nstat = {0}, istat = {0}, hstat = {0};
  double *times = NULL;
  if (!run_child("native", false, file, nargs, args, cache, &warm)) goto done;
  if (warm.status == EXIT_REJECTED) {
    fwrite(warm.err, 1, warm.err_len, stderr);
    if (!run_child("interp", false, file, nargs, args, NULL, &istat)) goto done;
    if (istat.status == EXIT_REJECTED) {
      fprintf(stderr, "lab compare: %s is rejected in both modes (a syntax error): nothing to compare\n", file);
    } else {
      fprintf(stderr,
              "lab compare: native mode rejects %s at compile time, so only interp can run it\n"
              "  (interp ran it: exit code %d). That is the lesson: the checks Rust makes before\n"
              "  running reject programs that Python runs anyway. Nothing to compare.\n",
              file, istat.status);
    }
    status = EXIT_REJECTED;
    goto done;
  }
  if (warm.status == EXIT_USAGE || warm.status == EXIT_CC || warm.status >= 126) {
    fwrite(warm.err, 1, warm.err_len, stderr);
    if (warm.status != EXIT_USAGE)
      fprintf(stderr, "lab compare: native mode could not run %s (exit code %d)\n", file, warm.status);
    status = warm.status == EXIT_USAGE || warm.status == EXIT_CC ? warm.status : EXIT_RUNTIME;
    goto done;
  }
  // The --stats run links the counted runtime, a variant of its own: a
  // first counted run compiles it. Then forget the programs' executables
  // (keep the compiled runtimes): the --stats run compiles the program and
  // reports each phase's time, and one more plain run compiles the
  // executable the timed runs use, untimed.
  Proc warm2 = {0};
  if (!run_child("native", true, file, nargs, args, cache, &warm2)) goto done;
  proc_free(&warm2);
  // Hybrid's counted library runtime too (a program without #[native]
  // functions runs as interp: nothing to compile).
  if (!run_child("hybrid", true, file, nargs, args, cache, &warm2)) goto done;
  proc_free(&warm2);
  char bin[4200];
  snprintf(bin, sizeof bin, "%s/lab/bin", cache);
  rt_remove_tree(bin);
  if (!run_child("native", true, file, nargs, args, cache, &nstat)) goto done;
  if (!run_child("native", false, file, nargs, args, cache, &warm2)) goto done;
  proc_free(&warm2);
  if (!run_child("interp", true, file, nargs, args, NULL, &istat)) goto done;
  if (istat.status == EXIT_USAGE || istat.status >= 126) {
    fwrite(istat.err, 1, istat.err_len, stderr);
    fprintf(stderr, "lab compare: interp mode could not run %s (exit code %d)\n", file, istat.status);
    status = istat.status == EXIT_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
    goto done;
  }
  if (!same_output(&istat, &nstat)) {
    disagree_banner("stdout or exit code differs", &istat, &nstat);
    goto done;
  }
  if (!same_output(&warm, &nstat)) {
    disagree_banner("native mode's output changed between runs", &warm, &nstat);
    goto done;
  }
  // Hybrid, when the program has #[native] functions: the counted run
  // compiles its library again (its runtime is compiled: the phases' times
  // are the program's) and reports the boundary; a plain run compiles the
  // library the timed runs load.
  Figures I = {0}, N = {0}, H = {0};
  if (!run_child("hybrid", true, file, nargs, args, cache, &hstat)) goto done;
  double nnative = 0;
  const char *hb = strstr(proc_stats_line(&hstat) ? proc_stats_line(&hstat) : "", "\"boundary\": {");
  third = hb && json_number(hb, "native_functions", &nnative) && nnative > 0;
  if (third) {
    if (!same_output(&istat, &hstat)) {
      fwrite(hstat.err, 1, hstat.err_len, stderr);
      disagree_banner("hybrid mode's stdout or exit code differs", &hstat, &nstat);
      goto done;
    }
    hybrid_figures(proc_stats_line(&hstat), &H);
    if (!run_child("hybrid", false, file, nargs, args, cache, &warm2)) goto done;
    proc_free(&warm2);
  }
  interp_figures(proc_stats_line(&istat), &I);
  native_figures(proc_stats_line(&nstat), &N);
  if (istat.status != 0) run_error(&istat, &I), run_error(&nstat, &N);
  if (third && hstat.status != 0) run_error(&hstat, &H);

  // The timed runs, alternating modes, without --stats (uncounted builds).
  times = calloc((size_t)runs * 9, sizeof *times);
  if (!times) goto done;
  static const char *const mode_names[3] = {"interp", "native", "hybrid"};
  for (int k = 0; k < runs; k++) {
    for (int m = 0; m < (third ? 3 : 2); m++) {
      Proc c;
      const Proc *ref = m == 0 ? &istat : &nstat;
      if (!run_child(mode_names[m], false, file, nargs, args, m == 0 ? NULL : cache, &c)) goto done;
      if (!same_output(&c, ref)) {
        char what[96];
        snprintf(what, sizeof what, "%s mode's output changed between runs", mode_names[m]);
        disagree_banner(what, m == 0 ? &c : &istat, m == 0 ? &nstat : &c);
        proc_free(&c);
        goto done;
      }
      times[(m * 3 + 0) * runs + k] = c.wall_ms;
      times[(m * 3 + 1) * runs + k] = c.user_ms;
      times[(m * 3 + 2) * runs + k] = c.sys_ms;
      proc_free(&c);
    }
  }
  I.f[F_WALL] = fig(median(times + 0 * runs, runs));
  I.f[F_USER] = fig(median(times + 1 * runs, runs));
  I.f[F_SYS] = fig(median(times + 2 * runs, runs));
  N.f[F_WALL] = fig(median(times + 3 * runs, runs));
  N.f[F_USER] = fig(median(times + 4 * runs, runs));
  N.f[F_SYS] = fig(median(times + 5 * runs, runs));
  if (third) {
    H.f[F_WALL] = fig(median(times + 6 * runs, runs));
    H.f[F_USER] = fig(median(times + 7 * runs, runs));
    H.f[F_SYS] = fig(median(times + 8 * runs, runs));
  }

  if (json) print_json(file, runs, &I, &N, &H, istat.out_len, istat.status);
  else print_table(file, runs, &I, &N, &H, istat.out_len, istat.status);
  fflush(stdout);
  fprintf(stderr, "lab compare: stdout identical in %s modes (%zu bytes), exit code %d in %s\n",
          third ? "all three" : "both", istat.out_len, istat.status, third ? "all" : "both");
  status = EXIT_OK;

done:
  free(times);
  proc_free(&warm);
  proc_free(&nstat);
  proc_free(&istat);
  proc_free(&hstat);
  rt_remove_tree(cache);
  return status;
}
