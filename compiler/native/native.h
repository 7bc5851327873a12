// native.h — the native-mode driver: C source to a cached executable, and
// running it (SPEC §7–8).
#ifndef LAB_NATIVE_H
#define LAB_NATIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"

// Exit codes the driver itself can produce (SPEC §8).
enum { NAT_CC_FAILED = 4 };

typedef struct NativeOptions {
  bool unchecked;      // --unchecked: no overflow, bounds or call-depth checks (RT_UNCHECKED)
  int recursion_limit; // --recursion-limit: calls nested deeper raise RecursionError (0: the default)
  bool counted;        // link the counted runtime (RT_COUNTED): allocations, bytes,
                       // the leak check; what --stats and LAB_CHECK_LEAKS read
  bool library;        // --mode=hybrid: a shared library the VM loads (cc -shared
                       // -fPIC, the runtime built with RT_LIBRARY; docs/hybrid.md)
} NativeOptions;

// The cache key of a program: its source text and path (panic messages name
// the path), the options, the C compiler, and this lab binary's identity.
uint64_t nat_cache_key(const Source *src, const NativeOptions *opts);

// The cached executable for `key`, if there is one (malloc'd path), else NULL.
char *nat_cached(uint64_t key);
// The C compiler's command: $CC (its words: CC="gcc -m64" works), or `cc`
// when CC is unset, empty or blank.
const char *nat_cc_command(void);

// How hard the C compiler optimizes a program and the native runtime: -O2.
// Not -O3 (rustc's -O level), measured: on fib gcc -O3 inlines the recursion
// into itself and most calls vanish, which is the cost fib is there to show
// (docs/native.md).
#define NAT_OPT_LEVEL "-O2"

// Compiles `csrc` (a whole C program that includes "toyrt.h") with $CC
// NAT_OPT_LEVEL against the native runtime, and stores the executable (opts->library: the
// shared library) in the cache under `key`. Returns its path (malloc'd), or NULL after printing why, with
// *status set to the exit code (4 when the C compiler is missing or failed).
// When the cache directory cannot be used, the executable goes to a private
// temporary directory instead (see nat_cleanup).
char *nat_compile(const char *csrc, uint64_t key, const NativeOptions *opts, int *status);

// Compiles `csrc` into the executable `out` (lab build). Returns the exit code.
int nat_build_to(const char *csrc, const char *out, const NativeOptions *opts);

// What a run cost, for `lab run --stats` (SPEC §8).
typedef struct NatRunStats {
  double wall_ms, user_ms, sys_ms;
  long peak_rss_kib;
  bool have_allocs;  // the runtime reported its counters
  long long allocs, frees, bytes_allocated, peak_live_bytes;
  long long threads;  // threads spawned (main not counted)
} NatRunStats;

// Runs the executable with `argv` (argv[0] is its name for the program) and
// returns its exit code; a program killed by a signal gives 1 with a message.
// With `stats`, also measures the run and collects the runtime's counters.
int nat_exec(const char *exe, int argc, char **argv, NatRunStats *stats);

// Where temporary files go: $TMPDIR when it names a directory the lab can
// write in (an absolute path), else /tmp, as gcc and Python's tempfile choose.
const char *nat_temp_root(void);

// Removes the private temporary directory, if one was needed.
void nat_cleanup(void);

#endif
