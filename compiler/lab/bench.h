// bench.h — `lab bench` (compiler/lab/bench.c runs the suite; compiler/
// bench_report.c turns the measurements into the SVG chart and
// docs/results.md). docs/benchmarks.md describes the suite and the output.
#ifndef LAB_BENCH_H
#define LAB_BENCH_H

#include <stdbool.h>
#include <stddef.h>

// The implementations of one benchmark, in table order. Interp and native
// are the lab's two modes; the rest are the hand-written twins in the same
// folder (NAME.py, NAME.c, NAME.rs, NAME_checked.c), and last native mode
// built with --unchecked (no overflow or bounds checks).
typedef enum {
  IM_INTERP, IM_NATIVE, IM_CPYTHON, IM_C, IM_RUST, IM_CCHECKED, IM_UNCHECKED, IM_HYBRID,
  IM_RUST_CHECKED,  // rustc -O -C overflow-checks=on: like for like with native's checked arithmetic
  IM_NOSPEC,        // lab run --specialize=off: interp without PEP 659's specialization
  IM_COUNT
} BenchImpl;

extern const char *const bench_impl_names[IM_COUNT];   // "interp", "native", "cpython", ...
extern const char *const bench_impl_labels[IM_COUNT];  // "interp", "native", "CPython", ...

// One row of the suite: a program stem in the suite folder and its
// arguments at full size and in --quick mode (NULL-terminated).
typedef struct {
  const char *name;  // the row's name, what `lab bench NAMES` selects
  const char *stem;  // tests/bench/STEM.toy (.py, .c, .rs)
  const char *args[3];
  const char *quick[3];
  const char *what;  // one line: what it measures
} BenchDef;

enum { BENCH_MAX_RUNS = 100 };  // -n's limit

// What one implementation measured on one row.
typedef struct {
  bool present;     // the program exists and its toolchain was found
  bool ok;          // every run exited 0 and printed the interp output
  const char *why;  // when !present or !ok: a short reason
  double wall_s;    // median wall time
  double best_s;    // the fastest round's wall time
  double cpu_s;     // median user + sys time
  double best_cpu_s;  // the least user + sys time of a round
  double cpu_round[BENCH_MAX_RUNS];  // each round's user + sys time, in round order
                                     // (the goals pair the rounds: bench_report.c)
  double rss_kb;    // median peak resident set size (wait4's ru_maxrss)
} BenchCell;

typedef struct {
  const BenchDef *def;
  const char *const *args;  // def->args or def->quick
  char *output;             // interp's stdout, the self-check value
  BenchCell cell[IM_COUNT];
} BenchRow;

typedef struct {
  BenchRow *rows;
  int nrows;
  int runs;
  bool quick;
  const char *dir;          // the suite folder
  char date[32];            // UTC, when the run started
  char host[400];           // uname: system, release, machine
  double load1;             // 1-minute load average when the run started
  int ncpu;
  char tool[IM_COUNT][160]; // toolchain version lines ("" when absent)
} BenchRun;

// The ratio a/b of two cells' median wall times; 0 when either is missing.
double bench_ratio(const BenchCell *a, const BenchCell *b);
// A time in seconds with a unit that keeps three significant digits.
void bench_fmt_seconds(char *buf, size_t n, double s);
// The row named name in run, or NULL.
const BenchRow *bench_row(const BenchRun *run, const char *name);

// bench_report.c: the SVG chart and the claim-by-claim Markdown.
bool bench_write_svg(const BenchRun *run, const char *path);
// svg, when not NULL and in the same folder as path, is shown in the report.
bool bench_write_markdown(const BenchRun *run, const char *path, const char *svg);

int cmd_bench(int argc, char **argv);

#endif
