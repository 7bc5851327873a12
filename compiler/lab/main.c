// main.c — the `lab` command (SPEC §8): parses the command line and drives
// the pipeline: source → parser → bytecode compiler → VM (interp mode).
//
// Exit codes (SPEC §8): 0 success; 1 runtime error; 2 program rejected at
// compile time; 3 usage error or unreadable input file; 4 C compiler
// missing or failed (native mode).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bigstack.h"
#include "alloc.h"
#include "borrowck.h"
#include "cgen.h"
#include "bench.h"
#include "compare.h"
#include "check.h"
#include "cli.h"
#include "suggest.h"
#include "compile.h"
#include "counters.h"
#include "errors.h"
#include "gc.h"
#include "gil.h"
#include "grade.h"
#include "specialize.h"
#include "hybrid.h"
#include "boundary.h"
#include "load.h"
#include "native.h"
#include "parser.h"
#include "profile.h"
#include "trace.h"
#include "view.h"
#include "vm.h"
#include "clock.h"
#include "cleanup.h"



static const char *usage_text =
    "usage: lab <command> [arguments]\n"
    "\n"
    "Runs programs written in Toy, the lab's small language, in two models:\n"
    "interp (the Python model: boxed, refcounted objects run by a bytecode VM)\n"
    "and native (the Rust model: static types, compiled through C), and in\n"
    "hybrid mode: interp calling compiled #[native] functions (PyO3's pattern).\n"
    "\n"
    "commands:\n"
    "  run FILE [options] [-- ARGS...]  run a program (default mode: interp)\n"
    "  check FILE                       check types and ownership, as native mode does\n"
    "  build FILE [-o OUT] [--unchecked]  write a standalone native executable\n"
    "  emit-c FILE [--unchecked]        show the C that native mode compiles\n"
    "  dis FILE [--fn NAME] [--costs]   show the bytecode, like Python's dis\n"
    "  parse FILE                       show the syntax tree\n"
    "  explain CODE                     explain an error code or runtime error, e.g. E0308\n"
    "  compare FILE [-n RUNS] [--json]  run both modes; time, memory and counts side by side\n"
    "  profile FILE [--mode=M] [--json] what each source line cost, in both modes\n"
    "  view FILE [-o OUT.html]          one offline page: source, bytecode and C side by side\n"
    "  trace FILE [--json]              step through a run: refcounts (interp), ownership (native)\n"
    "  grade [EXERCISE...] [--dir DIR]  grade the course's exercises (docs/exercises/)\n"
    "  bench [NAMES...] [--json] [--svg FILE]  the benchmark suite: both modes beside CPython, C, Rust\n"
    "\n"
    "options:\n"
    "  --help       this text (`lab COMMAND --help` for one command)\n"
    "  --version    the lab's version\n"
    "\n"
    "exit codes: 0 ok, 1 runtime error, 2 rejected at compile time,\n"
    "            3 usage error or unreadable file, 4 C compiler missing or failed\n";

static const char *run_usage =
    "usage: lab run FILE [--mode=interp|native|hybrid] [options] [-- ARGS...]\n"
    "\n"
    "Runs a Toy program. ARGS after `--` are what the program's args() returns.\n"
    "An option's value follows `=` or comes as the next argument (--mode native).\n"
    "\n"
    "options:\n"
    "  --mode=interp          the Python model: bytecode VM, boxed refcounted\n"
    "                         values (the default)\n"
    "  --mode=native          the Rust model: type-checked, compiled through C\n"
    "                         with $CC -O2 (default cc), cached\n"
    "  --mode=hybrid          the VM runs the program; its #[native] functions\n"
    "                         are checked and compiled into a cached library,\n"
    "                         and every call converts at the boundary (the\n"
    "                         PyO3 pattern: docs/hybrid.md)\n"
    "  --recursion-limit=N    calls nested deeper than N raise RecursionError\n"
    "                         (default 10000; native: not with --unchecked)\n"
    "  --switch-interval=MS   interp: how long a thread waits for the GIL before\n"
    "                         it asks the holder to drop it (default 5)\n"
    "  --gc=on|off            interp: automatic cycle collection (default on;\n"
    "                         gc() collects either way)\n"
    "  --gc-threshold=A[,B,C] interp: the collector's generation thresholds\n"
    "                         (default 700,10,10, as CPython)\n"
    "  --no-small-int-cache   interp: allocate every int, -5..256 included\n"
    "  --struct-fields=dict|slots\n"
    "                         interp: struct fields in a per-instance hash\n"
    "                         table (default, like __dict__) or fixed slots\n"
    "                         (like __slots__: no fields can be added)\n"
    "  --specialize=on|off    interp: the adaptive interpreter specializes hot\n"
    "                         instructions for the types they meet (PEP 659;\n"
    "                         default on; docs/interp.md)\n"
    "  --alloc=pool|malloc    interp: objects from the small-object pools\n"
    "                         (default, like pymalloc) or one malloc each\n"
    "  --rc=plain|atomic|biased\n"
    "                         interp: how reference counts are updated: plain\n"
    "                         (default), every update atomic, or biased\n"
    "                         (PEP 703: the owning thread plain, others\n"
    "                         atomic); atomic and biased run the free-threaded\n"
    "                         build, build/ft/lab (docs/free-threading.md)\n"
    "  --gil=on|off           interp: off lets threads run bytecode in parallel\n"
    "                         (PEP 703: the free-threaded build, with\n"
    "                         --rc=biased unless --rc=atomic is given; the\n"
    "                         specializer is off, as in CPython 3.13t)\n"
    "  --no-warnings          native: do not show the warnings (unused variables,\n"
    "                         `mut` not needed, unused functions, unreachable code)\n"
    "  --unchecked            native, hybrid: no overflow or bounds checks, to measure\n"
    "                         what they cost\n"
    "  --stats[=json]         after the output, on stderr, what the run cost.\n"
    "                         interp: bytecodes, calls, objects by type,\n"
    "                         refcount operations, bytes, GC pauses (run by the\n"
    "                         counted build, build/counted/lab); native: time in\n"
    "                         each compile phase, executable size, allocations;\n"
    "                         both: time and peak RSS\n";

static const char *check_usage =
    "usage: lab check FILE [--no-warnings]\n"
    "\n"
    "Runs the front end and native mode's checkers on FILE — types, then\n"
    "ownership and borrows — without generating code. Prints every error,\n"
    "rustc-style; exit 2 if there are any. Warnings (unused variables, `mut`\n"
    "not needed, functions never called, unreachable statements) never change\n"
    "the exit code; --no-warnings hides them.\n";

static const char *build_usage =
    "usage: lab build FILE [-o OUT] [--unchecked] [--counted] [--recursion-limit=N] [--no-warnings]\n"
    "\n"
    "Compiles FILE in native mode into the standalone executable OUT (default:\n"
    "FILE without its .toy, beside it: examples/fib.toy -> examples/fib) and\n"
    "prints the path it wrote. --unchecked leaves out overflow, bounds and\n"
    "call-depth checks; --counted links the runtime that counts allocations\n"
    "(as --stats runs do), to measure what counting costs; --recursion-limit=N\n"
    "as for `lab run`; --no-warnings hides native mode's warnings.\n";

static const char *emit_c_usage =
    "usage: lab emit-c FILE [--unchecked] [--recursion-limit=N] [--phases]\n"
    "\n"
    "Prints the C that native mode generates for FILE, with a comment at every\n"
    "inserted drop saying what it frees and why. --phases also prints, on\n"
    "stderr, how long parsing, type checking, borrow checking and C generation\n"
    "took.\n";

static const char *dis_usage =
    "usage: lab dis FILE [--fn NAME] [--costs] [--adaptive [-- ARGS...]]\n"
    "\n"
    "Prints the bytecode the interp-mode compiler makes of FILE: for each\n"
    "function, its source line, byte offset, opcode, operand and what the\n"
    "operand means. --fn NAME shows only that function. --costs adds what\n"
    "each instruction costs in the Python model: the objects it allocates\n"
    "(ALLOC) and the increfs and decrefs it performs. --adaptive runs the\n"
    "program first (its output comes first) and shows the instructions as the\n"
    "specializing interpreter left them (ADD_INT, GET_FIELD_CACHED, ...), as\n"
    "Python's dis(adaptive=True) does (PEP 659; docs/interp.md).\n";

static const char *parse_usage =
    "usage: lab parse FILE\n"
    "\n"
    "Parses FILE and prints its syntax tree, or its syntax errors.\n";

static const char *explain_usage =
    "usage: lab explain CODE | --all\n"
    "\n"
    "Explains a compile-time error code (for example E0382) or a runtime error\n"
    "by the name both modes print (for example OverflowError): what it means,\n"
    "a program that fails, its fix, and the lesson in docs/ that teaches it.\n"
    "--all prints every entry as Markdown (docs/errors.md is made this way).\n";

// Reads, parses and compiles `path` to bytecode. Returns NULL with *status
// set to the exit code when it cannot (unreadable file, compile errors).
static BcProgram *load_bytecode(const char *path, Loaded *l, int *status) {
  *status = load(path, l);
  if (*status != EXIT_OK) return NULL;
  BcProgram *bc = bc_compile(l->prog, &l->sink);
  if (!bc) {
    diag_render(&l->sink, stderr, use_color());
    *status = EXIT_REJECTED;
  }
  return bc;
}

// At the end of a run of a LAB_DEBUG build with LAB_CHECK_LEAKS set (the
// test runner sets it) — successful, or ended by a runtime error after the VM
// unwound its frames — every object must have been freed: the refcounting is
// checked, not trusted. (vm_run ends such a run with a full cycle
// collection, so garbage cycles do not count; `// leaks: allowed` opts out.)
static int leak_check(int status) {
#ifdef LAB_DEBUG
  int64_t live = obj_live_count();
  if ((status == EXIT_OK || status == EXIT_RUNTIME) && live != 0 && getenv("LAB_CHECK_LEAKS")) {
    fprintf(stderr, "lab: leak check: %lld objects still alive at exit\n", (long long)live);
    return 70;
  }
#endif
  // Hybrid mode: the compiled functions' own allocations (a panic leaves
  // what its frames owned, as the process is ending).
  int64_t native_live = boundary_live_allocations();
  if (status == EXIT_OK && native_live != 0 && getenv("LAB_CHECK_LEAKS")) {
    fprintf(stderr, "lab: leak check: %lld native allocations still alive at exit\n", (long long)native_live);
    return 70;
  }
  return status;
}

// Checks a loaded program and generates its C (malloc'd), or returns NULL
// with *status set to the exit code.
static char *check_and_generate(Loaded *l, const NativeOptions *nopts, int *status, CompileTimes *times) {
  *status = check_loaded(l, times);
  if (*status != EXIT_OK) return NULL;
  CgOptions cg = {.unchecked = nopts->unchecked, .recursion_limit = nopts->recursion_limit};
  double t0 = rt_now_ms();
  char *c = cg_generate(l->prog, &cg);
  if (times) times->cgen_ms = rt_now_ms() - t0;
  return c;
}

enum { STATS_NONE, STATS_TABLE, STATS_JSON };

// `--stats` for native mode: what compiling and running the program cost.
static void print_native_stats(int how, bool cached, const CompileTimes *ct, long long exe_bytes,
                               const NatRunStats *rs) {
  if (how == STATS_JSON) {
    fprintf(stderr,
            "{\"mode\": \"native\", \"cached\": %s, \"parse_ms\": %.3f, \"typecheck_ms\": %.3f, "
            "\"borrowck_ms\": %.3f, \"cgen_ms\": %.3f, \"cc_ms\": %.3f, \"exe_bytes\": %lld, "
            "\"allocs\": %lld, \"frees\": %lld, \"live_allocations_at_exit\": %lld, \"bytes_allocated\": %lld, \"peak_live_bytes\": %lld, "
            "\"threads\": %lld, \"wall_ms\": %.3f, \"user_ms\": %.3f, \"sys_ms\": %.3f, \"cpu_ms\": %.3f, "
            "\"parallelism\": %.3f, \"peak_rss_kib\": %ld}\n",
            cached ? "true" : "false", ct->parse_ms, ct->typecheck_ms, ct->borrowck_ms, ct->cgen_ms, ct->cc_ms,
            exe_bytes, rs->allocs, rs->frees, rs->allocs - rs->frees, rs->bytes_allocated, rs->peak_live_bytes,
            rs->threads + 1, rs->wall_ms, rs->user_ms, rs->sys_ms, rs->user_ms + rs->sys_ms,
            rs->wall_ms > 0 ? (rs->user_ms + rs->sys_ms) / rs->wall_ms : 0.0, rs->peak_rss_kib);
    return;
  }
  fprintf(stderr, "\n---- lab stats: native mode ----\n");
  fprintf(stderr, "compile (paid once; ownership checks cost nothing at run time):\n");
  fprintf(stderr, "  parse            %10.3f ms\n", ct->parse_ms);
  if (cached) {
    fprintf(stderr, "  (cached executable: no checking, C generation or C compiler this run)\n");
  } else {
    fprintf(stderr, "  type check       %10.3f ms\n", ct->typecheck_ms);
    fprintf(stderr, "  borrow check     %10.3f ms\n", ct->borrowck_ms);
    fprintf(stderr, "  C generation     %10.3f ms\n", ct->cgen_ms);
    fprintf(stderr, "  C compiler       %10.3f ms\n", ct->cc_ms);
  }
  fprintf(stderr, "  executable       %10lld bytes\n", exe_bytes);
  fprintf(stderr, "run:\n");
  fprintf(stderr, "  allocations      %10lld\n", rs->allocs);
  fprintf(stderr, "  frees            %10lld\n", rs->frees);
  fprintf(stderr, "  bytes allocated  %10lld\n", rs->bytes_allocated);
  fprintf(stderr, "  peak live bytes  %10lld\n", rs->peak_live_bytes);
  fprintf(stderr, "  live at exit     %10lld   (allocations never freed: always 0)\n", rs->allocs - rs->frees);
  fprintf(stderr, "  threads          %10lld   (main included; no GIL: they run in parallel)\n", rs->threads + 1);
  fprintf(stderr, "  wall time        %10.3f ms\n", rs->wall_ms);
  fprintf(stderr, "  user time        %10.3f ms\n", rs->user_ms);
  fprintf(stderr, "  sys time         %10.3f ms\n", rs->sys_ms);
  fprintf(stderr, "  CPU / wall       %10.2f   (effective parallelism: CPU time = user + sys)\n",
          rs->wall_ms > 0 ? (rs->user_ms + rs->sys_ms) / rs->wall_ms : 0.0);
  fprintf(stderr, "  peak RSS         %10ld KiB\n", rs->peak_rss_kib);
}

// Native mode: reuse the cached executable of an unchanged program, else
// check, generate C and compile it; then run it.
static int run_native(const char *file, const NativeOptions *given, int stats, int argc, char **argv) {
  // Counting is compiled in only where it is read (runtime/native/rt_core.c):
  // --stats, and the test suite's leak check.
  NativeOptions counted = *given;
  counted.counted = stats || getenv("LAB_CHECK_LEAKS");
  const NativeOptions *nopts = &counted;
  CompileTimes ct = {0};
  double t0 = rt_now_ms();
  Loaded l;
  int status = load(file, &l);
  ct.parse_ms = rt_now_ms() - t0;
  if (status == EXIT_OK) {
    uint64_t key = nat_cache_key(l.src, nopts);
    char *exe = nat_cached(key);
    bool cached = exe != NULL;
    if (!exe) {
      char *c = check_and_generate(&l, nopts, &status, &ct);
      double t1 = rt_now_ms();
      if (c) exe = nat_compile(c, key, nopts, &status);
      ct.cc_ms = rt_now_ms() - t1;
      free(c);
    }
    if (exe) {
      NatRunStats rs;
      status = nat_exec(exe, argc, argv, stats ? &rs : NULL);
      struct stat st;
      if (stats) print_native_stats(stats, cached, &ct, stat(exe, &st) == 0 ? (long long)st.st_size : 0, &rs);
    }
    free(exe);
  }
  unload(&l);
  nat_cleanup();
  return status;
}

// The whole command line, for re-executing the counted build.
static char **lab_argv;

// --rc's values (vm/object.h OBJ_RC_*).
static const char *rc_mode_name(int mode) {
  static const char *const names[] = {[OBJ_RC_PLAIN] = "plain", [OBJ_RC_ATOMIC] = "atomic", [OBJ_RC_BIASED] = "biased"};
  return names[mode];
}

#if !defined(LAB_COUNTED) || !defined(LAB_FT)
// Re-executes the build that can do what was asked, with the same
// arguments: <dir of this executable>/build/VARIANT/lab, or, for a
// build/OTHER/lab, the sibling build/VARIANT/lab. VARIANT is `counted` for
// interp --stats (this build has no counters), `ft` for --rc=atomic|biased
// (the free-threaded object header), `ft-counted` for both. Returns only if
// there is none.
static int exec_variant(const char *variant) {
  char self[4096], path[4200] = "";
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 64);
  if (n > 0) {
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash) {
      *slash = '\0';
      snprintf(path, sizeof path, "%s/build/%s/lab", self, variant);
      if (access(path, X_OK) == 0) execv(path, lab_argv);
      char *up = strrchr(self, '/');  // self is .../build/OTHER?
      if (up && up - self >= 6 && strncmp(up - 6, "/build", 6) == 0) {
        snprintf(path, sizeof path, "%.*s/%s/lab", (int)(up - self), self, variant);
        if (access(path, X_OK) == 0) execv(path, lab_argv);
      }
    }
  }
  // A lab copied out of its folder lands here; a symbolic link to it does not
  // (/proc/self/exe is the file linked to).
  fprintf(stderr, "lab: this run needs build/%s/lab beside this lab%s%s%s: run `make` in the lab's folder\n"
                  "  (a copy of ./lab elsewhere cannot find it: link to it instead, `ln -s /path/to/lab`)\n",
          variant, path[0] ? " (" : "", path, path[0] ? ")" : "");
  return EXIT_USAGE;
}
#endif
#ifndef LAB_COUNTED
#else
// `--stats` in interp mode, printed by the counted build (vm/counters.h).
static const ObjType counted_types[] = {T_INT, T_FLOAT, T_STR,  T_LIST, T_MAP,
                                        T_TUPLE, T_STRUCT, T_SOME, T_ITER, T_THREAD};
enum { NCOUNTED_TYPES = sizeof counted_types / sizeof counted_types[0] };

static double ru_ms(struct timeval tv) { return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3; }

// Hybrid mode's part of --stats: the library and the boundary (vm/boundary.h).
static const ObjType boundary_types[] = {T_INT, T_FLOAT, T_BOOL, T_STR, T_LIST, T_MAP,
                                         T_TUPLE, T_STRUCT, T_SOME, T_NONE, T_ENUM};
enum { NBOUNDARY_TYPES = sizeof boundary_types / sizeof boundary_types[0] };

static void print_boundary_stats(int how, const HybridPrep *hp) {
  const BoundaryStats *b = &boundary_stats;
  int64_t nin = 0, nout = 0;
  for (int i = 0; i < NBOUNDARY_TYPES; i++) nin += b->in[boundary_types[i]], nout += b->out[boundary_types[i]];
  if (how == STATS_JSON) {
    fprintf(stderr,
            ", \"boundary\": {\"native_functions\": %d, \"cached\": %s, \"typecheck_ms\": %.3f, \"borrowck_ms\": %.3f, "
            "\"cgen_ms\": %.3f, \"cc_ms\": %.3f, \"library_bytes\": %lld, \"calls\": %lld, \"values_in\": %lld, "
            "\"values_out\": %lld, \"bytes_in\": %lld, \"bytes_out\": %lld, \"convert_ms\": %.3f, \"native_ms\": %.3f, "
            "\"values_in_by_type\": {",
            hp->nnative, hp->cached ? "true" : "false", hp->times.typecheck_ms, hp->times.borrowck_ms,
            hp->times.cgen_ms, hp->times.cc_ms, hp->so_bytes, (long long)b->calls, (long long)nin, (long long)nout,
            (long long)b->bytes_in, (long long)b->bytes_out, (double)b->convert_ns / 1e6, (double)b->native_ns / 1e6);
    for (int i = 0; i < NBOUNDARY_TYPES; i++)
      fprintf(stderr, "%s\"%s\": %lld", i ? ", " : "", obj_kind_name(boundary_types[i]),
              (long long)b->in[boundary_types[i]]);
    fprintf(stderr, "}, \"values_out_by_type\": {");
    for (int i = 0; i < NBOUNDARY_TYPES; i++)
      fprintf(stderr, "%s\"%s\": %lld", i ? ", " : "", obj_kind_name(boundary_types[i]),
              (long long)b->out[boundary_types[i]]);
    fprintf(stderr, "}}");
    return;
  }
  fprintf(stderr, "boundary (#[native] functions, compiled; docs/hybrid.md):\n");
  fprintf(stderr, "  functions        %12d   (%s)\n", hp->nnative,
          hp->cached ? "cached library: no checking or C compiler this run" : "checked and compiled this run");
  if (!hp->cached && hp->nnative) {
    fprintf(stderr, "  type check       %12.3f ms\n", hp->times.typecheck_ms);
    fprintf(stderr, "  borrow check     %12.3f ms\n", hp->times.borrowck_ms);
    fprintf(stderr, "  C generation     %12.3f ms\n", hp->times.cgen_ms);
    fprintf(stderr, "  C compiler       %12.3f ms\n", hp->times.cc_ms);
  }
  fprintf(stderr, "  library          %12lld bytes\n", hp->so_bytes);
  fprintf(stderr, "  crossings        %12lld   (calls into compiled code and back)\n", (long long)b->calls);
  fprintf(stderr, "  values in        %12lld   (boxed -> native)\n", (long long)nin);
  for (int i = 0; i < NBOUNDARY_TYPES; i++)
    if (b->in[boundary_types[i]])
      fprintf(stderr, "    %-14s %12lld\n", obj_kind_name(boundary_types[i]), (long long)b->in[boundary_types[i]]);
  fprintf(stderr, "  values out       %12lld   (native -> boxed: new objects)\n", (long long)nout);
  for (int i = 0; i < NBOUNDARY_TYPES; i++)
    if (b->out[boundary_types[i]])
      fprintf(stderr, "    %-14s %12lld\n", obj_kind_name(boundary_types[i]), (long long)b->out[boundary_types[i]]);
  fprintf(stderr, "  bytes copied in  %12lld\n", (long long)b->bytes_in);
  fprintf(stderr, "  bytes copied out %12lld\n", (long long)b->bytes_out);
  fprintf(stderr, "  converting       %12.3f ms (both ways, GIL held)\n", (double)b->convert_ns / 1e6);
  fprintf(stderr, "  compiled code    %12.3f ms\n", (double)b->native_ns / 1e6);
}

// wall_ms and the CPU time since ru0 cover the same span, from reading the
// source to the end of the run: so CPU / wall is the run's parallelism, not
// skewed by the lab's own start-up on a short run.
static void print_interp_stats(int how, double wall_ms, const struct rusage *ru0, const HybridPrep *hp) {
  LabCounters total;
  lab_counters_total(&total);  // every thread's, all joined by now
  const LabCounters *c = &total;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double user_ms = ru_ms(ru.ru_utime) - ru_ms(ru0->ru_utime), sys_ms = ru_ms(ru.ru_stime) - ru_ms(ru0->ru_stime);
  long rss = ru.ru_maxrss;
  int64_t allocated = 0;
  for (int i = 0; i < NCOUNTED_TYPES; i++) allocated += c->allocated[counted_types[i]];
  int64_t live = allocated - c->freed;
  int64_t colls = 0;
  for (int g = 0; g < GC_NGENS; g++) colls += gc_stats.collections[g];
  double pause_total = (double)gc_stats.total_pause_ns / 1e6, pause_max = (double)gc_stats.max_pause_ns / 1e6;
  GilStats gs;
  gil_stats(&gs);
  int nthreads = gil_thread_count();
  double cpu_ms = user_ms + sys_ms, par = wall_ms > 0 ? cpu_ms / wall_ms : 0;
  if (how == STATS_JSON) {
    fprintf(stderr, "{\"mode\": \"%s\", \"bytecodes\": %lld, \"calls\": %lld, \"objects_allocated\": {",
            hp ? "hybrid" : "interp", (long long)c->bytecodes, (long long)c->calls);
    for (int i = 0; i < NCOUNTED_TYPES; i++)
      fprintf(stderr, "%s\"%s\": %lld", i ? ", " : "", obj_kind_name(counted_types[i]),
              (long long)c->allocated[counted_types[i]]);
    fprintf(stderr,
            "}, \"objects_allocated_total\": %lld, \"objects_freed\": %lld, \"increfs\": %lld, "
            "\"decrefs\": %lld, \"bytes_allocated\": %lld, \"peak_live_bytes\": %lld, "
            "\"live_objects_at_exit\": %lld, \"field_lookups\": %lld, \"gc_collections\": %lld, "
            "\"gc_collected\": %lld, \"gc_pause_total_ms\": %.3f, \"gc_pause_max_ms\": %.3f, "
            "\"gc_pause_histogram_us\": [",
            (long long)allocated, (long long)c->freed, (long long)c->increfs, (long long)c->decrefs,
            (long long)c->bytes_allocated, (long long)c->peak_live_bytes, (long long)live,
            (long long)c->field_lookups, (long long)colls, (long long)gc_stats.collected, pause_total,
            pause_max);
    for (int i = 0; i < GC_HIST_BUCKETS; i++)
      fprintf(stderr, "%s%lld", i ? ", " : "", (long long)gc_stats.pause_hist[i]);
    fprintf(stderr,
            "], \"threads\": %d, \"gil_acquisitions\": %lld, \"gil_switches\": %lld, \"gil_forced_switches\": %lld, "
            "\"gil_drop_requests\": %lld, \"gil_wait_ms\": %.3f, \"gil_wait_ms_by_thread\": [",
            nthreads, (long long)gs.acquisitions, (long long)gs.switches, (long long)gs.forced_switches,
            (long long)gs.drop_requests, (double)gs.wait_ns / 1e6);
    for (int i = 0; i < nthreads; i++) fprintf(stderr, "%s%.3f", i ? ", " : "", (double)gil_thread_wait_ns(i) / 1e6);
    fprintf(stderr,
            "], \"wall_ms\": %.3f, \"user_ms\": %.3f, \"sys_ms\": %.3f, \"cpu_ms\": %.3f, "
            "\"parallelism\": %.3f, \"peak_rss_kib\": %ld, \"specialization\": {\"enabled\": %s",
            wall_ms, user_ms, sys_ms, cpu_ms, par, rss, vm_specialize ? "true" : "false");
    for (int f = 0; f < SPEC_NFAMILIES; f++) {
      const SpecStats *s = &spec_stats[f];
      fprintf(stderr,
              ", \"%s\": {\"attempts\": %lld, \"successes\": %lld, \"failures\": %lld, \"hits\": %lld, "
              "\"misses\": %lld}",
              spec_family_name(f), (long long)s->attempts, (long long)s->successes, (long long)s->failures,
              (long long)s->hits, (long long)s->misses);
    }
    fprintf(stderr, "}");
#ifdef LAB_FT
    fprintf(stderr, ", \"rc\": {\"mode\": \"%s\", \"local\": %lld, \"shared\": %lld, \"merges\": %lld, \"queued\": %lld}",
            rc_mode_name(obj_rc_mode), (long long)c->rc_local, (long long)c->rc_shared, (long long)c->rc_merges,
            (long long)c->rc_queued);
    LockStats ls;
    objlock_stats(&ls);
    StwStats st;
    gil_stw_stats(&st);
    fprintf(stderr,
            ", \"free_threading\": {\"gil\": \"%s\", \"lock_acquisitions\": %lld, \"lock_contended\": %lld, "
            "\"stw_pauses\": %lld, \"stw_total_ms\": %.3f, \"stw_max_ms\": %.3f, \"stw_time_to_stop_ms\": %.3f}",
            gil_is_off() ? "off" : "on", (long long)ls.acquired, (long long)ls.contended, (long long)st.pauses,
            (double)st.total_ns / 1e6, (double)st.max_ns / 1e6, (double)st.time_to_stop_ns / 1e6);
#endif
    if (hp) print_boundary_stats(how, hp);
    fprintf(stderr, "}\n");
    return;
  }
  fprintf(stderr, "\n---- lab stats: %s mode ----\n", hp ? "hybrid" : "interp");
  if (hp) print_boundary_stats(how, hp);
  fprintf(stderr, "run:\n");
  fprintf(stderr, "  bytecodes        %12lld\n", (long long)c->bytecodes);
  fprintf(stderr, "  calls            %12lld\n", (long long)c->calls);
  fprintf(stderr, "objects:\n");
  fprintf(stderr, "  allocated        %12lld\n", (long long)allocated);
  for (int i = 0; i < NCOUNTED_TYPES; i++)
    fprintf(stderr, "    %-14s %12lld\n", obj_kind_name(counted_types[i]),
            (long long)c->allocated[counted_types[i]]);
  fprintf(stderr, "  freed            %12lld\n", (long long)c->freed);
  fprintf(stderr, "  live at exit     %12lld\n", (long long)live);
  fprintf(stderr, "  field lookups    %12lld   (hash lookups of struct fields)\n", (long long)c->field_lookups);
  fprintf(stderr, "refcounts:\n");
  fprintf(stderr, "  increfs          %12lld\n", (long long)c->increfs);
  fprintf(stderr, "  decrefs          %12lld\n", (long long)c->decrefs);
#ifdef LAB_FT
  fprintf(stderr, "  --rc=%s (the free-threaded build; immortals are not counted):\n", rc_mode_name(obj_rc_mode));
  fprintf(stderr, "  by the owner     %12lld   (plain loads and stores)\n", (long long)c->rc_local);
  fprintf(stderr, "  shared           %12lld   (atomic read-modify-writes)\n", (long long)c->rc_shared);
  fprintf(stderr, "  merges           %12lld   (objects their owner gave up to the shared count)\n",
          (long long)c->rc_merges);
  fprintf(stderr, "  queued           %12lld   (released by another thread, merged by the owner)\n",
          (long long)c->rc_queued);
#endif
  fprintf(stderr, "memory:\n");
  fprintf(stderr, "  bytes allocated  %12lld\n", (long long)c->bytes_allocated);
  fprintf(stderr, "  peak live bytes  %12lld\n", (long long)c->peak_live_bytes);
  fprintf(stderr, "GC:\n");
  fprintf(stderr, "  collections      %12lld   (gen 0: %lld, gen 1: %lld, gen 2: %lld)\n", (long long)colls,
          (long long)gc_stats.collections[0], (long long)gc_stats.collections[1],
          (long long)gc_stats.collections[2]);
  fprintf(stderr, "  objects collected%12lld\n", (long long)gc_stats.collected);
  fprintf(stderr, "  total pause      %12.3f ms\n", pause_total);
  fprintf(stderr, "  longest pause    %12.3f ms\n", pause_max);
  int lo = -1, hi = -1;
  int64_t most = 0;
  for (int i = 0; i < GC_HIST_BUCKETS; i++)
    if (gc_stats.pause_hist[i]) {
      if (lo < 0) lo = i;
      hi = i;
      if (gc_stats.pause_hist[i] > most) most = gc_stats.pause_hist[i];
    }
  if (lo >= 0) {
    fprintf(stderr, "  pause histogram:\n");
    for (int i = lo; i <= hi; i++) {
      char label[48];
      if (i == 0) snprintf(label, sizeof label, "< 1 us");
      else if (i == GC_HIST_BUCKETS - 1) snprintf(label, sizeof label, ">= %lld us", 1LL << (i - 1));
      else snprintf(label, sizeof label, "%lld-%lld us", 1LL << (i - 1), 1LL << i);
      int bar = (int)((gc_stats.pause_hist[i] * 40 + most - 1) / most);
      fprintf(stderr, "    %-16s %8lld ", label, (long long)gc_stats.pause_hist[i]);
      for (int k = 0; k < bar; k++) fputc('#', stderr);
      fputc('\n', stderr);
    }
  }
#ifdef LAB_FT
  if (gil_is_off()) {
    LockStats ls;
    objlock_stats(&ls);
    StwStats st;
    gil_stw_stats(&st);
    fprintf(stderr, "free threading (--gil=off: no GIL, threads run in parallel):\n");
    fprintf(stderr, "  threads          %12d   (main included)\n", nthreads);
    fprintf(stderr, "  lock acquisitions%12lld   (per-object locks of lists, maps, structs)\n", (long long)ls.acquired);
    fprintf(stderr, "  contended        %12lld   (%.2f%%: the lock was held by another thread)\n",
            (long long)ls.contended, ls.acquired ? 100.0 * (double)ls.contended / (double)ls.acquired : 0.0);
    fprintf(stderr, "  stop-the-world   %12lld   (pauses: every collection stops all threads)\n", (long long)st.pauses);
    fprintf(stderr, "  paused           %12.3f ms (total; longest %.3f ms)\n", (double)st.total_ns / 1e6,
            (double)st.max_ns / 1e6);
    fprintf(stderr, "  time to stop     %12.3f ms (waiting for the threads to reach a safe point)\n",
            (double)st.time_to_stop_ns / 1e6);
  } else
#endif
  {
    fprintf(stderr, "GIL:\n");
    fprintf(stderr, "  threads          %12d   (main included)\n", nthreads);
    fprintf(stderr, "  acquisitions     %12lld\n", (long long)gs.acquisitions);
    fprintf(stderr, "  switches         %12lld   (taken by another thread than the last holder)\n",
            (long long)gs.switches);
    fprintf(stderr, "  drop requests    %12lld   (a waiter waited a whole switch interval)\n",
            (long long)gs.drop_requests);
    fprintf(stderr, "  forced switches  %12lld   (the holder dropped it on request)\n", (long long)gs.forced_switches);
    fprintf(stderr, "  wait time        %12.3f ms (all threads)\n", (double)gs.wait_ns / 1e6);
    if (nthreads > 1)
      for (int i = 0; i < nthreads; i++)
        fprintf(stderr, "    thread %-8d %12.3f ms%s\n", i, (double)gil_thread_wait_ns(i) / 1e6, i ? "" : " (main)");
  }
  fprintf(stderr, "specialization (PEP 659: instructions rewritten for the types they meet):%s\n",
          vm_specialize ? "" : " off (--specialize=off)");
  fprintf(stderr, "  %-10s %12s %12s %12s %12s %12s\n", "family", "attempts", "specialized", "failed", "hits",
          "misses");
  for (int f = 0; f < SPEC_NFAMILIES; f++) {
    const SpecStats *s = &spec_stats[f];
    fprintf(stderr, "  %-10s %12lld %12lld %12lld %12lld %12lld\n", spec_family_name(f), (long long)s->attempts,
            (long long)s->successes, (long long)s->failures, (long long)s->hits, (long long)s->misses);
  }
  fprintf(stderr, "time:\n");
  fprintf(stderr, "  wall time        %12.3f ms\n", wall_ms);
  fprintf(stderr, "  user time        %12.3f ms\n", user_ms);
  fprintf(stderr, "  sys time         %12.3f ms\n", sys_ms);
  fprintf(stderr, "  CPU / wall       %12.2f   (effective parallelism: CPU time = user + sys)\n", par);
  fprintf(stderr, "  peak RSS         %12ld KiB\n", rss);
}
#endif

// "A[,B[,C]]" into the collector's three thresholds; the ones not given
// keep their values.
static bool parse_thresholds(const char *s, int t[3]) {
  for (int i = 0; i < 3; i++) {
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || n < 1 || n > 1000000) return false;
    t[i] = (int)n;
    if (*end == '\0') return true;
    if (*end != ',') return false;
    s = end + 1;
  }
  return false;
}

// `--recursion-limit=N` (v, the N): N into *limit, or a usage error.
static int recursion_limit_arg(const char *cmd, const char *v, int *limit) {
  return cli_int(cmd, "--recursion-limit", v, 1, 100000000, limit);
}

static int cmd_run(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(run_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL, *mode = "interp";
  VmOptions opts = VM_OPTIONS_DEFAULT;
  bool rc_given = false;
  bool interp_only = false;  // an interp option was given
  NativeOptions nopts = {0};
  int stats = STATS_NONE;
  bool no_warnings = false;  // native mode's warnings are shown by default
  static const char *const valued[] = {"--mode", "--recursion-limit", "--switch-interval", "--gc",
                                       "--gc-threshold", "--struct-fields", "--alloc", "--specialize", "--rc",
                                       "--gil", NULL};
  CliIter it = cli_iter(argc, argv, "run", valued);
  const char *o, *v;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (file)
        return cli_usage_error("run", "unexpected argument `%s` (program arguments go after `--`)", v);
      file = v;
    } else if (strcmp(o, "--mode") == 0) {
      mode = v;
    } else if (strcmp(o, "--recursion-limit") == 0) {
      int st = recursion_limit_arg("run", v, &nopts.recursion_limit);
      if (st != EXIT_OK) return st;
      opts.recursion_limit = nopts.recursion_limit;
    } else if (strcmp(o, "--switch-interval") == 0) {
      char *end;
      double ms = strtod(v, &end);
      if (*end || end == v || !(ms >= 0.001 && ms <= 60000))
        return cli_usage_error("run", "--switch-interval wants milliseconds from 0.001 to 60000, not `%s`", v);
      opts.switch_interval_us = (int64_t)(ms * 1000 + 0.5);
      interp_only = true;
    } else if (strcmp(o, "--gc") == 0 && (strcmp(v, "on") == 0 || strcmp(v, "off") == 0)) {
      opts.gc_enabled = v[1] == 'n';
      interp_only = true;
    } else if (strcmp(o, "--gc-threshold") == 0) {
      if (!parse_thresholds(v, opts.gc_threshold))
        return cli_usage_error("run", "--gc-threshold wants 1 to 3 numbers from 1 to 1000000, like 700,10,10, not `%s`",
                               v);
      interp_only = true;
    } else if (strcmp(o, "--no-small-int-cache") == 0 && !v) {
      opts.no_small_int_cache = true;
      interp_only = true;
    } else if (strcmp(o, "--struct-fields") == 0) {
      if (strcmp(v, "dict") != 0 && strcmp(v, "slots") != 0)
        return cli_usage_error("run", "--struct-fields wants dict or slots, not `%s`", v);
      opts.struct_slots = v[0] == 's';
      interp_only = true;
    } else if (strcmp(o, "--specialize") == 0) {
      if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
        return cli_usage_error("run", "--specialize wants on or off, not `%s`", v);
      opts.no_specialize = v[1] == 'f';
      interp_only = true;
    } else if (strcmp(o, "--rc") == 0) {
      opts.rc_mode = -1;
      for (int m = OBJ_RC_PLAIN; m <= OBJ_RC_BIASED; m++)
        if (strcmp(v, rc_mode_name(m)) == 0) opts.rc_mode = m;
      if (opts.rc_mode < 0) return cli_usage_error("run", "--rc wants plain, atomic or biased, not `%s`", v);
      rc_given = true;
      interp_only = true;
    } else if (strcmp(o, "--gil") == 0) {
      if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
        return cli_usage_error("run", "--gil wants on or off, not `%s`", v);
      opts.gil_off = v[1] == 'f';
      interp_only = true;
    } else if (strcmp(o, "--alloc") == 0) {
      if (strcmp(v, "pool") != 0 && strcmp(v, "malloc") != 0)
        return cli_usage_error("run", "--alloc wants pool or malloc, not `%s`", v);
      opts.alloc_malloc = v[0] == 'm';
      interp_only = true;
    } else if (strcmp(o, "--unchecked") == 0 && !v) {
      nopts.unchecked = true;
    } else if (strcmp(o, "--no-warnings") == 0 && !v) {
      no_warnings = true;
    } else if (strcmp(o, "--stats") == 0 && (!v || strcmp(v, "table") == 0)) {
      stats = STATS_TABLE;
    } else if (strcmp(o, "--stats") == 0 && strcmp(v, "json") == 0) {
      stats = STATS_JSON;
    } else {
      return cli_unknown_option(&it, run_usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  int i = it.rest;
  if (!file) return cli_usage_error("run", "%s", "`lab run` needs a FILE");
  if (strcmp(mode, "native") == 0) {
    load_show_warnings = !no_warnings;
    if (interp_only)
      return cli_usage_error("run", "%s", "--switch-interval, --gc, --gc-threshold, --no-small-int-cache, --struct-fields, --alloc, --specialize, --rc and --gil are for interp mode");
    return run_native(file, &nopts, stats, argc - i, argv + i);
  }
  bool hybrid = strcmp(mode, "hybrid") == 0;
  if (!hybrid && strcmp(mode, "interp") != 0)
    return cli_usage_error("run", "unknown mode `%s` (interp, native or hybrid)", mode);
  if (nopts.unchecked && !hybrid)
    return cli_usage_error("run", "%s", "--unchecked is for native mode (--mode=native, or hybrid)");
  if (opts.gil_off) {
    if (hybrid)
      return cli_usage_error("run", "%s", "--gil=off is for interp mode (hybrid's #[native] functions read objects without their locks)");
    if (rc_given && opts.rc_mode == OBJ_RC_PLAIN)
      return cli_usage_error("run", "%s", "--rc=plain needs the GIL: with --gil=off counts must be atomic or biased");
    if (!rc_given) opts.rc_mode = OBJ_RC_BIASED;  // PEP 703's
  }
#ifndef LAB_FT
  if (opts.rc_mode != OBJ_RC_PLAIN) return exec_variant(stats ? "ft-counted" : "ft");
#endif
#if !defined(LAB_COUNTED) && defined(LAB_FT)
  if (stats) return exec_variant("ft-counted");
#elif !defined(LAB_COUNTED)
  if (stats) return exec_variant("counted");
#endif
  struct rusage ru0;
  getrusage(RUSAGE_SELF, &ru0);
  double start_ms = rt_now_ms();
  opts.argc = argc - i;
  opts.argv = argv + i;

  vm_setup(&opts);
  Loaded l;
  int status;
  BcProgram *bc = load_bytecode(file, &l, &status);
  HybridPrep prep = {0};
  char **hargv = NULL;  // the library's args() sees the program's name first, as a native executable's
  if (bc && hybrid) {
    hargv = rt_xcalloc((size_t)opts.argc + 2, sizeof *hargv);
    hargv[0] = (char *)file;
    for (int k = 0; k < opts.argc; k++) hargv[k + 1] = opts.argv[k];
    status = hybrid_prepare(&l, bc, &nopts, opts.argc + 1, hargv, opts.recursion_limit, &prep);
    if (status != EXIT_OK) {
      bc_program_free(bc);
      bc = NULL;
    }
  }
  if (bc) {
    status = vm_run(bc, &opts);
    bc_program_free(bc);
  }
  unload(&l);
  free(hargv);
  nat_cleanup();
  status = leak_check(status);
#ifdef LAB_COUNTED
  if (stats) {
    fflush(stdout);
    print_interp_stats(stats, rt_now_ms() - start_ms, &ru0, hybrid ? &prep : NULL);
  }
  // `lab profile` names a file for the costs per line (vm/lines.c), as
  // native's LAB_NATIVE_LINES.
  lab_lines_write_env();
#else
  (void)start_ms;
#endif
  obj_finish();
  return status;
}

static int cmd_check(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(check_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL, *o, *v;
  load_show_warnings = true;
  CliIter it = cli_iter(argc, argv, "check", NULL);
  while (cli_next(&it, &o, &v)) {
    if (o && strcmp(o, "--no-warnings") == 0 && !v) load_show_warnings = false;
    else if (o) return cli_unknown_option(&it, check_usage);
    else if (file) return cli_usage_error("check", "%s", "`lab check` takes one FILE (and --no-warnings)");
    else file = v;
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file || it.rest < argc) return cli_usage_error("check", "%s", "`lab check` takes one FILE (and --no-warnings)");
  Loaded l;
  int status = load(file, &l);
  if (status == EXIT_OK) status = check_loaded(&l, NULL);
  unload(&l);
  return status;
}

// FILE [-o OUT] [--unchecked] for build and emit-c.
static int native_args(int argc, char **argv, bool allow_out, const char **file, const char **out,
                       NativeOptions *nopts, const char *cmd, bool *phases) {
  static const char *const valued[] = {"-o", "--recursion-limit", NULL};
  CliIter it = cli_iter(argc, argv, cmd, valued);
  const char *o, *v;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (*file) return cli_usage_error(cmd, "unexpected argument `%s`", v);
      *file = v;
    } else if (allow_out && strcmp(o, "-o") == 0) {
      *out = v;
    } else if (strcmp(o, "--unchecked") == 0 && !v) {
      nopts->unchecked = true;
    } else if (allow_out && strcmp(o, "--counted") == 0 && !v) {
      nopts->counted = true;
    } else if (phases && strcmp(o, "--phases") == 0 && !v) {
      *phases = true;
    } else if (allow_out && strcmp(o, "--no-warnings") == 0 && !v) {
      load_show_warnings = false;
    } else if (strcmp(o, "--recursion-limit") == 0) {
      int st = recursion_limit_arg(cmd, v, &nopts->recursion_limit);
      if (st != EXIT_OK) return st;
    } else {
      return cli_unknown_option(&it, allow_out ? build_usage : emit_c_usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (!*file) return cli_usage_error(cmd, "`lab %s` needs a FILE", cmd);
  return EXIT_OK;
}

static int cmd_emit_c(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(emit_c_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL, *out = NULL;
  NativeOptions nopts = {0};
  bool phases = false;
  int status = native_args(argc, argv, false, &file, &out, &nopts, "emit-c", &phases);
  if (status != EXIT_OK) return status;
  Loaded l;
  CompileTimes ct = {0};
  double t0 = rt_now_ms();
  status = load(file, &l);
  ct.parse_ms = rt_now_ms() - t0;
  char *c = status == EXIT_OK ? check_and_generate(&l, &nopts, &status, &ct) : NULL;
  if (c) fputs(c, stdout);
  // --phases: what each compile phase took (tests/bench/compile.sh: linear growth).
  if (c && phases)
    fprintf(stderr, "phases: parse %.3f ms, typecheck %.3f ms, borrowck %.3f ms, cgen %.3f ms, %zu bytes of C\n",
            ct.parse_ms, ct.typecheck_ms, ct.borrowck_ms, ct.cgen_ms, strlen(c));
  free(c);
  unload(&l);
  return status;
}

static int cmd_build(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(build_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL, *out = NULL;
  NativeOptions nopts = {0};
  load_show_warnings = true;  // unless --no-warnings
  int status = native_args(argc, argv, true, &file, &out, &nopts, "build", NULL);
  if (status != EXIT_OK) return status;
  char *default_out = NULL;
  if (!out) {  // examples/fib.toy -> examples/fib, beside the source
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    size_t n = strlen(file);
    if (strlen(base) <= 4 || strcmp(file + n - 4, ".toy") != 0)
      return cli_usage_error("build", "%s", "give the executable's name with -o OUT (FILE does not end in .toy)");
    default_out = strndup(file, n - 4);
    out = default_out;
  }
  Loaded l;
  status = load(file, &l);
  char *c = status == EXIT_OK ? check_and_generate(&l, &nopts, &status, NULL) : NULL;
  if (c) status = nat_build_to(c, out, &nopts);
  if (c && status == EXIT_OK)  // the path, and how to run it (`./fib`, not `fib`)
    printf("wrote %s (run it: %s%s)\n", out, strchr(out, '/') ? "" : "./", out);
  free(c);
  unload(&l);
  nat_cleanup();
  free(default_out);
  return status;
}

// `lab dis --fn NAME` with a NAME the program does not define: the closest
// name if one is close (runtime/suggest.h), and every function's.
static int no_function(const BcProgram *bc, const char *name) {
  Suggest s;
  suggest_begin(&s, name);
  RtBuf all = {0};
  for (int i = 0; i < bc->nfns; i++) {
    suggest_try(&s, bc->fns[i]->name);
    rtbuf_printf(&all, "%s%s", i ? ", " : "", bc->fns[i]->name);
  }
  fprintf(stderr, "lab: no function named `%s`", name);
  if (suggest_best(&s)) fprintf(stderr, "; did you mean `%s`?", suggest_best(&s));
  fprintf(stderr, "\n  the functions of this program: %s\n(see `lab dis --help`)\n", all.data ? all.data : "none");
  free(all.data);
  return EXIT_USAGE;
}

static int cmd_dis(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(dis_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL, *only = NULL;
  bool costs = false, adaptive = false;
  static const char *const valued[] = {"--fn", NULL};
  CliIter it = cli_iter(argc, argv, "dis", valued);
  const char *o, *v;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (file) return cli_usage_error("dis", "unexpected argument `%s`", v);
      file = v;
    } else if (strcmp(o, "--costs") == 0 && !v) {
      costs = true;
    } else if (strcmp(o, "--adaptive") == 0 && !v) {
      adaptive = true;
    } else if (strcmp(o, "--fn") == 0) {
      only = v;
    } else {
      return cli_unknown_option(&it, dis_usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file) return cli_usage_error("dis", "%s", "`lab dis` needs a FILE");
  VmOptions opts = VM_OPTIONS_DEFAULT;
  opts.argc = argc - it.rest;
  opts.argv = argv + it.rest;
  vm_setup(&opts);
  Loaded l;
  int status;
  BcProgram *bc = load_bytecode(file, &l, &status);
  if (bc) {
    int ran = EXIT_OK;
    if (adaptive) {  // the run that specializes it; its output first
      ran = vm_run(bc, &opts);
      fflush(stdout);
      printf("\n---- lab dis --adaptive: the bytecode after the run (exit code %d) ----\n", ran);
    }
    if (!bc_disassemble(bc, stdout, only, costs)) status = no_function(bc, only);
    else if (ran != EXIT_OK) status = ran;
    bc_program_free(bc);
  }
  unload(&l);
  obj_finish();
  return status;
}

static int cmd_parse(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(parse_usage, stdout);
    return EXIT_OK;
  }
  const char *file = NULL, *o, *v;
  CliIter it = cli_iter(argc, argv, "parse", NULL);
  while (cli_next(&it, &o, &v)) {
    if (o) return cli_unknown_option(&it, parse_usage);
    if (file) return cli_usage_error("parse", "%s", "`lab parse` takes one FILE");
    file = v;
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file || it.rest < argc) return cli_usage_error("parse", "%s", "`lab parse` takes one FILE");
  Loaded l;
  int status = load(file, &l);
  if (status == EXIT_OK) ast_dump(l.prog, stdout);
  unload(&l);
  return status;
}

static int cmd_explain(int argc, char **argv) {
  if (cli_want_help(argc, argv) || argc == 0) {
    fputs(explain_usage, argc == 0 ? stderr : stdout);
    return argc == 0 ? EXIT_USAGE : EXIT_OK;
  }
  if (argc == 1 && strcmp(argv[0], "--all") == 0) {  // every code, as docs/errors.md
    const char *missing = err_unexplained_runtime_error();
    if (missing) {
      fprintf(stderr, "lab: the runtime error %s has no entry in compiler/front/errors.def\n", missing);
      return EXIT_RUNTIME;
    }
    err_write_markdown(stdout);
    return EXIT_OK;
  }
  if (argc != 1) return cli_usage_error("explain", "%s", "`lab explain` takes one CODE");
  const ErrorCodeInfo *e = err_lookup(argv[0]);
  if (!e) {
    // The closest code, as a misspelt name gets one (runtime/suggest.h).
    Suggest s;
    suggest_begin(&s, argv[0]);
    int n;
    const ErrorCodeInfo *t = err_table(&n);
    for (int i = 0; i < n; i++) suggest_try(&s, t[i].code);
    char msg[200];
    snprintf(msg, sizeof msg, "no error code `%%s` (%s%s%s)", suggest_best(&s) ? "did you mean " : "",
             suggest_best(&s) ? suggest_best(&s) : "codes look like E0382 or L0100; runtime errors like OverflowError",
             suggest_best(&s) ? "?" : "");
    return cli_usage_error("explain", msg, argv[0]);
  }
  printf("%s: %s\n\n%s\nLesson: %s\n", e->code, e->title, e->explanation, err_lesson(e->code));
  return EXIT_OK;
}

static int lab_main(int argc, char **argv) {
  lab_argv = argv;
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage_text, stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("lab %s\n", LAB_VERSION);
    return EXIT_OK;
  }
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } commands[] = {{"run", cmd_run},         {"check", cmd_check},     {"build", cmd_build},   {"emit-c", cmd_emit_c},
                  {"dis", cmd_dis},         {"parse", cmd_parse},     {"explain", cmd_explain},
                  {"compare", cmd_compare}, {"profile", cmd_profile}, {"view", cmd_view},     {"trace", cmd_trace},
                  {"grade", grade_main},    {"bench", cmd_bench}};
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 2, argv + 2);
  Suggest s;
  suggest_begin(&s, cmd);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) suggest_try(&s, commands[i].name);
  suggest_try(&s, "--help");
  suggest_try(&s, "--version");
  char fmt[80], guess[48];
  snprintf(fmt, sizeof fmt, "unknown command `%%s`%s", cli_guess(&s, "lab ", guess, sizeof guess));
  return cli_usage_error(NULL, fmt, cmd);
}

typedef struct MainArgs {
  int argc;
  char **argv;
  int status;
} MainArgs;

static void main_on_big_stack(void *arg) {
  MainArgs *a = arg;
  a->status = lab_main(a->argc, a->argv);
}

// The whole command runs on a large stack: the compiler is recursive
// (compiler/lab/bigstack.h).
// A standard descriptor the shell left closed (`>&-`) gets /dev/null —
// stdout read-only, so that a write to it still fails (EBADF) and the
// program reports it, as it would on the closed one — so that no file the
// lab opens lands on it and receives the program's output.
static void guard_std_fds(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    int n = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
    if (n >= 0 && n != fd) {
      dup2(n, fd);
      close(n);
    }
  }
}

int main(int argc, char **argv) {
  guard_std_fds();
  rt_cleanup_on_signals();
  MainArgs a = {argc, argv, 0};
  bigstack_run(main_on_big_stack, &a);
  return a.status;
}
