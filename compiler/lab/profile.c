// profile.c — `lab profile FILE [--mode=interp|native|both] [--top N] [--json]
// [-- ARGS…]`: what each source line cost, in both models (docs/profile.md).
//
// The program runs once per mode in the counted builds (`lab run --stats=json`
// with LAB_INTERP_LINES / LAB_NATIVE_LINES naming a file): the VM charges
// every counted event to the line running in its thread (vm/lines.c), the
// native runtime to the RT_LINE markers the C generator placed
// (runtime/native/toyrt.h). Both write a line file:
//
//   lab-lines 1 MODE LAST_LINE
//   fields NAME…
//   THREAD LINE VALUE…          one row per thread and line with a non-zero value
//
// What native mode inserts at compile time (moves and borrows from the
// checker, drops, drop flags and checks from the C generator) is counted
// here, in-process. The per-line figures of a run must sum to the totals its
// own --stats line reports; profile checks that and says so.
#include "profile.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "borrowck.h"
#include "cgen.h"
#include "check.h"
#include "cli.h"
#include "json.h"
#include "load.h"
#include "proc.h"
#include "cleanup.h"
#include "xalloc.h"

static const char usage[] =
    "usage: lab profile FILE [--mode=interp|native|both|hybrid] [--top N] [--json] [--time-limit SECS]\n"
    "                   [-- ARGS...]\n"
    "\n"
    "Runs FILE once in each mode with the counted builds and shows what each\n"
    "source line cost (docs/profile.md):\n"
    "  interp  objects allocated (by type) and bytes, increfs and decrefs, frees,\n"
    "          bytecodes, calls, cycle collections and their pauses (charged to\n"
    "          the allocation that made them due), GIL waits and forced switches;\n"
    "  native  heap blocks allocated and freed (a drop is charged to the line where\n"
    "          the value dies: the `}` of its scope, a reassignment, the end of a\n"
    "          statement), bytes, list growths, clones, bounds and overflow checks;\n"
    "  compile what native's compiler put on the line: moves, borrows, drops, drop\n"
    "          flags, checks.\n"
    "  hybrid  (--mode=hybrid) interp's columns for the VM's part, and at each call\n"
    "          of a #[native] function the boundary: crossings, values converted,\n"
    "          time converting (docs/hybrid.md).\n"
    "Line 0 is the runtime's own work (start-up, constants, shutdown). The figures\n"
    "of each line add up to the --stats totals of the same run.\n"
    "\n"
    "  --mode=M   interp, native, both (default) or hybrid\n"
    "  --top N    how many lines the top lists show (default 5)\n"
    "  --json     one JSON object instead of the annotated source (docs/profile.md)\n"
    "  --time-limit SECS  stop a run that takes longer, and say so (default 60; 0:\n"
    "             no limit); a run that prints more than 64 MiB is stopped too\n"
    "  -- ARGS    arguments for the program\n"
    "\n"
    PROC_STDIN_HELP("profile");

// ---- a line file ------------------------------------------------------------------

enum { MAX_FIELDS = 40, MAX_THREADS = 64 };

typedef struct Lines {
  bool ok;
  int last;                  // the last line (rows 0..last)
  int nfields;
  char *field[MAX_FIELDS];
  int64_t *sum;              // [(last + 1) * nfields], over every thread
  int64_t *thread[MAX_THREADS];  // the same per thread (NULL: no rows)
  // interp: the collections, in order ({t_ns, pause_ns, gen, collected,
  // line, thread} each), and the run's length from the first line on.
  int64_t (*gc)[6];
  int ngc;
  int64_t end_ns;
} Lines;

static int64_t *cell(int64_t *rows, const Lines *l, int line, int f) { return &rows[(size_t)line * l->nfields + f]; }

// The line's value of field `name` (a prefix ending in '.' sums a group:
// "alloc." is every type), or 0.
static int64_t get(const Lines *l, int64_t *rows, int line, const char *name) {
  if (!l->ok || !rows || line < 0 || line > l->last) return 0;
  size_t n = strlen(name);
  int64_t v = 0;
  for (int f = 0; f < l->nfields; f++)
    if (name[n - 1] == '.' ? strncmp(l->field[f], name, n) == 0 : strcmp(l->field[f], name) == 0)
      v += *cell(rows, l, line, f);
  return v;
}

static void lines_free(Lines *l) {
  for (int f = 0; f < l->nfields; f++) free(l->field[f]);
  free(l->sum);
  free(l->gc);
  for (int t = 0; t < MAX_THREADS; t++) free(l->thread[t]);
  memset(l, 0, sizeof *l);
}

static bool lines_read(const char *path, Lines *l) {
  memset(l, 0, sizeof *l);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char mode[16], word[64];
  int version;
  if (fscanf(f, "lab-lines %d %15s %d fields", &version, mode, &l->last) != 3 || version != 1 || l->last < 0 ||
      l->last > 10000000) {
    fclose(f);
    return false;
  }
  int c;
  while (l->nfields < MAX_FIELDS && (c = fgetc(f)) == ' ' && fscanf(f, "%63s", word) == 1)
    l->field[l->nfields++] = rt_xstrdup(word);
  size_t n = (size_t)(l->last + 1) * (size_t)l->nfields;
  l->sum = rt_xcalloc(n ? n : 1, sizeof(int64_t));
  int t, line;
  while (fscanf(f, "%d %d", &t, &line) == 2) {
    if (t < 0 || t >= MAX_THREADS || line < 0 || line > l->last) break;
    if (!l->thread[t]) l->thread[t] = rt_xcalloc(n ? n : 1, sizeof(int64_t));
    for (int k = 0; k < l->nfields; k++) {
      long long v;
      if (fscanf(f, "%lld", &v) != 1) v = 0;
      *cell(l->thread[t], l, line, k) = v;
      *cell(l->sum, l, line, k) += v;
    }
  }
  // After the rows: `gc T_NS PAUSE_NS GEN COLLECTED LINE THREAD`…, `end T_NS`.
  char kind[8];
  while (fscanf(f, "%7s", kind) == 1) {
    long long e[6];
    if (strcmp(kind, "end") == 0 && fscanf(f, "%lld", &e[0]) == 1) {
      l->end_ns = e[0];
    } else if (strcmp(kind, "gc") == 0 &&
               fscanf(f, "%lld %lld %lld %lld %lld %lld", &e[0], &e[1], &e[2], &e[3], &e[4], &e[5]) == 6) {
      if (l->ngc % 256 == 0) l->gc = rt_xrealloc(l->gc, (size_t)(l->ngc + 256) * sizeof *l->gc);
      for (int k = 0; k < 6; k++) l->gc[l->ngc][k] = e[k];
      l->ngc++;
    } else {
      break;
    }
  }
  fclose(f);
  l->ok = true;
  return true;
}

static int64_t total(const Lines *l, const char *name) {
  int64_t v = 0;
  for (int line = 0; line <= l->last; line++) v += get(l, l->sum, line, name);
  return v;
}

// ---- one mode's run -------------------------------------------------------------------

typedef struct Run {
  bool wanted, ran;
  Proc p;
  const char *stats;  // its --stats=json line (in p.err), or NULL
  Lines lines;
  bool sums_ok;       // every per-line sum equals its --stats total
  int nchecked;       // how many totals that compared
} Run;

// Runs `lab run --mode=MODE --stats=json FILE -- ARGS` with the line file at `path`.
// --mode=hybrid: the VM's run (runs[0]) is a hybrid run, and no native run.
static bool hybrid;

static const char *run_name(int m) { return m ? "native" : hybrid ? "hybrid" : "interp"; }

// --time-limit: each run's (0: none).
static int time_limit = PROC_LAB_TIMEOUT_S;

// False, having said why, when the run could not be made or was stopped at a limit.
static bool run_mode(const char *mode, const char *file, int nargs, char **args, const char *path, Run *r) {
  const char *run[] = {"run", strcmp(mode, "native") == 0 ? "--mode=native" : hybrid ? "--mode=hybrid" : "--mode=interp",
                       "--stats=json", file};
  char env[4300];
  snprintf(env, sizeof env, "%s=%s", strcmp(mode, "native") == 0 ? "LAB_NATIVE_LINES" : "LAB_INTERP_LINES", path);
  const char *envs[] = {env, NULL};
  bool ok = proc_run_lab(run, 4, args, nargs, envs, time_limit, &r->p);
  if (!proc_lab_ended("profile", run_name(strcmp(mode, "native") == 0), ok, &r->p, time_limit)) return false;
  r->ran = true;
  r->stats = proc_stats_line(&r->p);
  lines_read(path, &r->lines);
  unlink(path);
  return true;
}

// Each per-line sum against the total the same run's --stats printed.
static void check_sums(Run *r, const char *const pairs[][2], int npairs) {
  r->sums_ok = r->lines.ok && r->stats;
  r->nchecked = 0;
  for (int i = 0; r->sums_ok && i < npairs; i++) {
    double want;
    if (!json_number(r->stats, pairs[i][1], &want)) continue;
    r->nchecked++;
    if ((double)total(&r->lines, pairs[i][0]) != want) {
      fprintf(stderr, "lab profile: the lines' %s add up to %lld, --stats says %.0f (a bug in lab)\n", pairs[i][0],
              (long long)total(&r->lines, pairs[i][0]), want);
      r->sums_ok = false;
    }
  }
}

static const char *const interp_pairs[][2] = {
    {"bytecodes", "bytecodes"},       {"calls", "calls"},           {"alloc.", "objects_allocated_total"},
    {"freed", "objects_freed"},       {"increfs", "increfs"},       {"decrefs", "decrefs"},
    {"bytes", "bytes_allocated"},     {"field_lookups", "field_lookups"},
    {"gc_collections", "gc_collections"}, {"gc_collected", "gc_collected"}};
static const char *const native_pairs[][2] = {
    {"allocs", "allocs"}, {"frees", "frees"}, {"bytes", "bytes_allocated"}};

// ---- compile time ---------------------------------------------------------------------

typedef struct Compile {
  bool checked;        // the checker accepted the program
  int last;
  int *moves, *borrows;
  CgLineCosts *cg;
  char first_error[300];
  int nerrors;
} Compile;

static void compile_costs(Loaded *ld, int last, Compile *c) {
  memset(c, 0, sizeof *c);
  c->last = last;
  c->moves = rt_xcalloc((size_t)last + 1, sizeof(int));
  c->borrows = rt_xcalloc((size_t)last + 1, sizeof(int));
  c->cg = rt_xcalloc((size_t)last + 1, sizeof(CgLineCosts));
  bool ok = ck_check(ld->prog, &ld->sink);
  ok = ok && bk_check(ld->prog, &ld->sink);
  if (!ok) {
    c->nerrors = ld->sink.total;
    if (ld->sink.count > 0) {
      const Diag *d = &ld->sink.diags[0];
      const Span *at = d->nlabels > 0 ? &d->labels[0].span : NULL;
      snprintf(c->first_error, sizeof c->first_error, "%s%s%s at line %d: %s", d->code ? "error[" : "error",
               d->code ? d->code : "", d->code ? "]" : "", at ? at->line : 0, d->msg);
    }
    return;
  }
  c->checked = true;
  ck_line_uses(ld->prog, last, c->moves, c->borrows);
  CgOptions o = {.recursion_limit = 0, .line_costs = c->cg, .nlines = last};
  free(cg_generate(ld->prog, &o));
}

static void compile_free(Compile *c) {
  free(c->moves);
  free(c->borrows);
  free(c->cg);
}

// ---- the source -------------------------------------------------------------------------

typedef struct Src {
  int last;
  const char **start;  // [1..last]: where each line starts
  int *len;
} Src;

static void src_lines(const Source *s, Src *out) {
  int n = 1;
  for (size_t i = 0; i < s->len; i++) n += s->text[i] == '\n';
  if (s->len > 0 && s->text[s->len - 1] == '\n') n--;
  out->last = n;
  out->start = rt_xcalloc((size_t)n + 1, sizeof *out->start);
  out->len = rt_xcalloc((size_t)n + 1, sizeof *out->len);
  const char *p = s->text, *end = s->text + s->len;
  for (int l = 1; l <= n && p <= end; l++) {
    const char *q = memchr(p, '\n', (size_t)(end - p));
    if (!q) q = end;
    out->start[l] = p;
    out->len[l] = (int)(q - p);
    p = q + 1;
  }
}

// ---- the annotated source -------------------------------------------------------------

// A count in 7 columns: exact below 100,000, then 123.4k, 12.3M, 1.2G
// (--json has them exact).
enum { NUM_MAX = 32 };
static const char *num(int64_t v, char *b) {
  if (v == 0) return "-";
  if (v < 100000) snprintf(b, NUM_MAX, "%lld", (long long)v);
  else if (v < 999950) snprintf(b, NUM_MAX, "%.1fk", (double)v / 1e3);
  else if (v < 999950000) snprintf(b, NUM_MAX, "%.1fM", (double)v / 1e6);
  else snprintf(b, NUM_MAX, "%.1fG", (double)v / 1e9);
  return b;
}

static const char *ms(int64_t ns, char *b) {
  if (ns == 0) return "-";
  snprintf(b, NUM_MAX, "%.2f", (double)ns / 1e6);
  return b;
}

typedef struct Col {
  const char *head;
  int mode;            // 0 interp, 1 native, 2 compile
  const char *field;   // a Lines field (or group), or a compile column
  bool as_ms;          // a time in ns shown in ms
} Col;

static int64_t compile_get(const Compile *c, int line, const char *field) {
  if (!c->checked || line < 0 || line > c->last) return 0;
  if (strcmp(field, "moves") == 0) return c->moves[line];
  if (strcmp(field, "borrows") == 0) return c->borrows[line];
  if (strcmp(field, "drops") == 0) return c->cg[line].drops;
  if (strcmp(field, "drop_flags") == 0) return c->cg[line].drop_flags;
  if (strcmp(field, "checks") == 0) return c->cg[line].checks;
  return 0;
}

static int64_t col_get(const Col *col, Run *runs, const Compile *c, int line) {
  if (col->mode == 2) return compile_get(c, line, col->field);
  Lines *l = &runs[col->mode].lines;
  if (strcmp(col->field, "rc") == 0) return get(l, l->sum, line, "increfs") + get(l, l->sum, line, "decrefs");
  if (strcmp(col->field, "checks_run") == 0)
    return get(l, l->sum, line, "bounds_checks") + get(l, l->sum, line, "overflow_checks");
  return get(l, l->sum, line, col->field);
}

// The `top` lines by f (0 when fewer have any), into out; returns how many.
static int top_lines(const Col *col, Run *runs, const Compile *c, int last, int top, int *out) {
  int n = 0;
  for (int line = 1; line <= last; line++) {
    int64_t v = col_get(col, runs, c, line);
    if (v <= 0) continue;
    int at = n < top ? n++ : top;
    if (at == top && v <= col_get(col, runs, c, out[top - 1])) continue;
    if (at == top) at = top - 1;
    while (at > 0 && col_get(col, runs, c, out[at - 1]) < v) {
      out[at] = out[at - 1];
      at--;
    }
    out[at] = line;
  }
  return n;
}

static void print_text(const char *file, const Src *src, Run *runs, const Compile *c, int top) {
  Col cols[16];
  int ncols = 0;
  Lines *I = &runs[0].lines, *N = &runs[1].lines;
  if (runs[0].ran && I->ok) {
    cols[ncols++] = (Col){"allocs", 0, "alloc.", false};
    cols[ncols++] = (Col){"rc ops", 0, "rc", false};
    cols[ncols++] = (Col){"frees", 0, "freed", false};
    if (total(I, "gc_collections") > 0) cols[ncols++] = (Col){"gc ms", 0, "gc_pause_ns", true};
    if (total(I, "gil_wait_ns") > 0) cols[ncols++] = (Col){"gil ms", 0, "gil_wait_ns", true};
    if (total(I, "hy_calls") > 0) {
      cols[ncols++] = (Col){"cross", 0, "hy_calls", false};
      cols[ncols++] = (Col){"values", 0, "hy_values", false};
      cols[ncols++] = (Col){"conv ms", 0, "hy_convert_ns", true};
    }
  }
  if (runs[1].ran && N->ok) {
    cols[ncols++] = (Col){"allocs", 1, "allocs", false};
    cols[ncols++] = (Col){"frees", 1, "frees", false};
    if (total(N, "list_regrowths") > 0) cols[ncols++] = (Col){"grows", 1, "list_regrowths", false};
    if (total(N, "clones") > 0) cols[ncols++] = (Col){"clones", 1, "clones", false};
    cols[ncols++] = (Col){"checks", 1, "checks_run", false};
  }
  if (c->checked && runs[1].wanted) {
    cols[ncols++] = (Col){"moves", 2, "moves", false};
    cols[ncols++] = (Col){"borrow", 2, "borrows", false};
    cols[ncols++] = (Col){"drops", 2, "drops", false};
    cols[ncols++] = (Col){"checks", 2, "checks", false};
  }

  // The hottest lines: the top 3 by each run column but the times.
  bool *hot = rt_xcalloc((size_t)src->last + 1, sizeof(bool));
  for (int k = 0; k < ncols; k++) {
    if (cols[k].mode == 2 || cols[k].as_ms) continue;
    int best[3], n = top_lines(&cols[k], runs, c, src->last, 3, best);
    for (int i = 0; i < n; i++) hot[best[i]] = true;
  }

  printf("lab profile: %s — what each line cost (counted runs; docs/profile.md)\n\n", file);
  // Group headings over their columns: ` ---- interp ----`.
  printf("       ");
  const char *names[3] = {hybrid ? "hybrid run" : "interp run", "native run", "native compile"};
  for (int g = 0; g < 3; g++) {
    int w = 0;
    for (int k = 0; k < ncols; k++) w += cols[k].mode == g ? 8 : 0;
    if (!w) continue;
    int dashes = w - 3 - (int)strlen(names[g]);
    int left = dashes > 0 ? dashes / 2 : 0, right = dashes > 0 ? dashes - left : 0;
    printf(" %.*s %s %.*s", left, "--------------------------------", names[g], right,
           "--------------------------------");
  }
  printf("\n  line ");
  for (int k = 0; k < ncols; k++) printf("%8s", cols[k].head);
  printf("  source\n");
  char b[NUM_MAX];
  for (int line = 0; line <= src->last; line++) {
    bool any = false;
    for (int k = 0; k < ncols && !any; k++) any = col_get(&cols[k], runs, c, line) != 0;
    if (line == 0 && !any) continue;
    printf("%c %4d ", hot[line] ? '>' : ' ', line);
    for (int k = 0; k < ncols; k++) {
      int64_t v = col_get(&cols[k], runs, c, line);
      printf("%8s", !any ? "" : cols[k].as_ms ? ms(v, b) : num(v, b));
    }
    if (line == 0) printf("  (the runtime: start-up, constants, shutdown)\n");
    else printf("  %.*s\n", src->len[line] > 100 ? 100 : src->len[line], src->start[line]);
  }
  printf("       ");
  for (int k = 0; k < ncols; k++) printf("%8s", "-------");
  printf("\n  total");
  for (int k = 0; k < ncols; k++) {
    int64_t v = 0;
    for (int line = 0; line <= src->last; line++) v += col_get(&cols[k], runs, c, line);
    printf("%8s", cols[k].as_ms ? ms(v, b) : num(v, b));
  }
  printf("\n");
  free(hot);

  // tracemalloc's statistics('lineno'): the top lines by each measure.
  static const Col tops[] = {{"interp objects allocated", 0, "alloc.", false},
                             {"native heap blocks allocated", 1, "allocs", false},
                             {"interp refcount operations (increfs + decrefs)", 0, "rc", false},
                             {"native frees (drops)", 1, "frees", false}};
  for (size_t k = 0; k < sizeof tops / sizeof tops[0]; k++) {
    if (!runs[tops[k].mode].ran || !runs[tops[k].mode].lines.ok) continue;
    int *best = rt_xcalloc((size_t)top, sizeof(int));
    int n = top_lines(&tops[k], runs, c, src->last, top, best);
    int64_t all = 0;
    for (int line = 0; line <= src->last; line++) all += col_get(&tops[k], runs, c, line);
    printf("\nTop %d lines by %s:\n", top, tops[k].head);
    if (n == 0) printf("  (none)\n");
    for (int i = 0; i < n; i++) {
      int64_t v = col_get(&tops[k], runs, c, best[i]);
      printf("  line %4d %14lld  %5.1f%%  %.*s\n", best[i], (long long)v, all ? 100.0 * (double)v / (double)all : 0.0,
             src->len[best[i]] > 70 ? 70 : src->len[best[i]], src->start[best[i]]);
    }
    free(best);
  }
}

// ---- JSON -------------------------------------------------------------------------------

static void json_lines(const Lines *l, int64_t *rows, const char *indent) {
  printf("[");
  bool first = true;
  for (int line = 0; line <= l->last; line++) {
    bool any = false;
    for (int f = 0; f < l->nfields && !any; f++) any = *cell(rows, l, line, f) != 0;
    if (!any) continue;
    printf("%s\n%s{\"line\": %d", first ? "" : ",", indent, line);
    first = false;
    for (int f = 0; f < l->nfields; f++)
      if (*cell(rows, l, line, f)) printf(", \"%s\": %lld", l->field[f], (long long)*cell(rows, l, line, f));
    printf("}");
  }
  printf("]");
}

static void json_run(const char *name, const Run *r) {
  printf(",\n  \"%s\": {\"exit\": %d, \"sums_equal_stats\": %s, \"stats\": %s,\n   \"lines\": ", name, r->p.status,
         r->sums_ok ? "true" : "false", r->stats ? r->stats : "null");
  json_lines(&r->lines, r->lines.sum, "    ");
  printf(",\n   \"threads\": [");
  bool first = true;
  for (int t = 0; t < MAX_THREADS; t++) {
    if (!r->lines.thread[t]) continue;
    printf("%s\n    {\"thread\": %d, \"lines\": ", first ? "" : ",", t);
    first = false;
    json_lines(&r->lines, r->lines.thread[t], "      ");
    printf("}");
  }
  printf("]");
  if (r->lines.ngc || r->lines.end_ns) {
    // The timeline: [start ms, pause ms, generation, objects freed, line, thread].
    printf(",\n   \"run_ms\": %.3f, \"gc_events\": [", (double)r->lines.end_ns / 1e6);
    for (int i = 0; i < r->lines.ngc; i++) {
      const int64_t *e = r->lines.gc[i];
      printf("%s[%.3f, %.3f, %lld, %lld, %lld, %lld]", i ? ", " : "", (double)e[0] / 1e6, (double)e[1] / 1e6,
             (long long)e[2], (long long)e[3], (long long)e[4], (long long)e[5]);
    }
    printf("]");
  }
  printf("}");
}

static void print_json(const char *file, const Src *src, Run *runs, const Compile *c) {
  printf("{\"file\": ");
  json_write_str(stdout, file);
  printf(", \"last_line\": %d", src->last);
  if (runs[0].ran) json_run(run_name(0), &runs[0]);
  if (runs[1].ran) json_run("native", &runs[1]);
  if (runs[1].wanted) {
    printf(",\n  \"compile\": {\"accepted\": %s, \"errors\": %d, \"first_error\": ", c->checked ? "true" : "false",
           c->nerrors);
    if (c->checked) printf("null");
    else json_write_str(stdout, c->first_error);
    printf(",\n   \"lines\": [");
    bool first = true;
    for (int line = 1; c->checked && line <= c->last; line++) {
      const CgLineCosts *g = &c->cg[line];
      if (!(c->moves[line] | c->borrows[line] | g->drops | g->drop_flags | g->checks)) continue;
      printf("%s\n    {\"line\": %d, \"moves\": %d, \"borrows\": %d, \"drops\": %d, \"drop_flags\": %d, \"checks\": %d}",
             first ? "" : ",", line, c->moves[line], c->borrows[line], g->drops, g->drop_flags, g->checks);
      first = false;
    }
    printf("]}");
  }
  printf("\n}\n");
}

// ---- the command ------------------------------------------------------------------------

int cmd_profile(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(usage, stdout);
    return EXIT_OK;
  }
  static const char *const valued[] = {"--mode", "--top", "--time-limit", NULL};
  CliIter it = cli_iter(argc, argv, "profile", valued);
  const char *o, *v, *file = NULL, *mode = "both";
  bool json = false;
  int top = 5;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (file) return cli_usage_error("profile", "`lab profile` takes one FILE (program arguments go after `--`), not `%s`", v);
      file = v;
    } else if (strcmp(o, "--mode") == 0 && strcmp(v, "hybrid") == 0) {
      hybrid = true;
      mode = "interp";
    } else if (strcmp(o, "--mode") == 0) {
      if (cli_mode3("profile", v) != EXIT_OK) return EXIT_USAGE;
      mode = v;
    } else if (strcmp(o, "--top") == 0) {
      if (cli_int("profile", "--top", v, 1, 1000, &top) != EXIT_OK) return EXIT_USAGE;
    } else if (strcmp(o, "--time-limit") == 0) {
      if (cli_int("profile", "--time-limit", v, 0, 86400, &time_limit) != EXIT_OK) return EXIT_USAGE;
    } else if (strcmp(o, "--json") == 0 && !v) {
      json = true;
    } else {
      return cli_unknown_option(&it, usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file) return cli_usage_error("profile", "%s", "`lab profile` needs a FILE");
  int nargs = argc - it.rest;
  char **args = argv + it.rest;

  Loaded ld;
  int status = load(file, &ld);
  if (status != EXIT_OK) {
    unload(&ld);
    return status;
  }
  Src src;
  src_lines(ld.src, &src);
  Run runs[2] = {{.wanted = strcmp(mode, "native") != 0}, {.wanted = strcmp(mode, "interp") != 0}};
  Compile comp = {0};
  char dir[4096] = "";  // the line files' private directory
  if (runs[1].wanted) compile_costs(&ld, src.last, &comp);
  if (runs[1].wanted && !comp.checked && !runs[0].wanted) {
    // --mode=native alone on a program the checker rejects: as `lab run`.
    diag_render(&ld.sink, stderr, use_color());
    status = EXIT_REJECTED;
    goto done;
  }

  if (!proc_tempdir(dir, sizeof dir, "profile")) {
    dir[0] = '\0';
    fprintf(stderr, "lab profile: cannot create a temporary directory: %s\n", strerror(errno));
    status = EXIT_RUNTIME;
    goto done;
  }
  for (int m = 0; m < 2; m++) {
    if (!runs[m].wanted || (m == 1 && !comp.checked)) continue;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.lines", dir, m ? "native" : "interp");
    if (!run_mode(m ? "native" : "interp", file, nargs, args, path, &runs[m])) {
      status = EXIT_RUNTIME;
      goto done;
    }
    Run *r = &runs[m];
    if (!r->lines.ok) {
      // Not run (exit 3, 4: a usage error, no C compiler), or killed.
      fwrite(r->p.err, 1, r->p.err_len, stderr);
      fprintf(stderr, "lab profile: %s mode could not run %s (exit code %d)\n", run_name(m), file,
              r->p.status);
      status = r->p.status >= EXIT_REJECTED && r->p.status <= EXIT_CC ? r->p.status : EXIT_RUNTIME;
      goto done;
    }
    if (!r->stats) continue;  // a run ended at once (a thread's error): no totals to compare
    if (m == 0) check_sums(r, interp_pairs, (int)(sizeof interp_pairs / sizeof interp_pairs[0]));
    else check_sums(r, native_pairs, (int)(sizeof native_pairs / sizeof native_pairs[0]));
    const char *b = hybrid && m == 0 ? strstr(r->stats, "\"boundary\": {") : NULL;
    double crossings;
    if (b && json_number(b, "calls", &crossings)) {  // the boundary's crossings too
      r->nchecked++;
      if ((double)total(&r->lines, "hy_calls") != crossings) {
        fprintf(stderr, "lab profile: the lines' crossings add up to %lld, --stats says %.0f (a bug in lab)\n",
                (long long)total(&r->lines, "hy_calls"), crossings);
        r->sums_ok = false;
      }
    }
  }
  if (json) {
    print_json(file, &src, runs, &comp);
  } else {
    print_text(file, &src, runs, &comp, top);
    printf("\n");
    if (runs[1].wanted && !comp.checked)
      printf("native: the checker rejects this program (%d error%s; the first: %s).\n"
             "  Interp ran it anyway: that is the lesson. `lab check %s` shows why.\n",
             comp.nerrors, comp.nerrors == 1 ? "" : "s", comp.first_error, file);
    for (int m = 0; m < 2; m++) {
      Run *r = &runs[m];
      if (!r->ran) continue;
      if (r->stats)
        printf("%s: exit code %d; the lines add up to the run's --stats totals (%s, %d compared)\n",
               run_name(m), r->p.status, r->sums_ok ? "yes" : "NO", r->nchecked);
      else
        printf("%s: exit code %d; the run ended at once (an error while threads ran): no --stats totals to compare\n",
               run_name(m), r->p.status);
      if (r->p.status != 0) {
        // The program's error, without the stats line at the end of stderr.
        size_t n = r->stats ? (size_t)(r->stats - r->p.err) : r->p.err_len;
        printf("  its stderr: %.*s", (int)(n > 2000 ? 2000 : n), r->p.err);
      }
    }
  }
  status = EXIT_OK;
  for (int m = 0; m < 2; m++)
    if (runs[m].ran && runs[m].stats && !runs[m].sums_ok) status = EXIT_RUNTIME;
done:
  if (*dir) rt_remove_tree(dir);  // with a line file a failed run left
  for (int m = 0; m < 2; m++) {
    if (runs[m].ran) proc_free(&runs[m].p);
    lines_free(&runs[m].lines);
  }
  compile_free(&comp);
  free(src.start);
  free(src.len);
  unload(&ld);
  return status;
}
