// load.h — a program read, parsed and (for native mode) checked, as every
// `lab` command that takes a FILE starts (compiler/lab/load.c).
#ifndef LAB_LOAD_H
#define LAB_LOAD_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

// A loaded and parsed program, with what must be released afterwards.
typedef struct Loaded {
  Source *src;
  Program *prog;
  DiagSink sink;
} Loaded;

// Where native mode's compile time goes, for --stats (SPEC §8).
typedef struct CompileTimes {
  double parse_ms, typecheck_ms, borrowck_ms, cgen_ms, cc_ms;
} CompileTimes;

bool use_color(void);  // diagnostics in colour: stderr is a terminal and NO_COLOR is unset
// Reads and parses `path`. Returns EXIT_OK, or the exit code after printing
// why it could not (unreadable file, a binary, syntax errors).
int load(const char *path, Loaded *l);
void unload(Loaded *l);
// Native mode's checks on a loaded program: types, then ownership and
// borrows (only on a well-typed tree). Returns the exit code, after printing
// every error. `times` (may be NULL) receives
// how long each took.
int check_loaded(Loaded *l, CompileTimes *times);
// Whether check_loaded shows native mode's warnings (compiler/check/lint.c):
// `lab run --mode=native`, `check` and `build` set it, unless given
// `--no-warnings`; the other commands leave it off.
extern bool load_show_warnings;

#endif
