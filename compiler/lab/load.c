// load.c — reading, parsing and checking a program for the lab's commands
// (compiler/lab/load.h).
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "borrowck.h"
#include "check.h"
#include "clock.h"
#include "cli.h"
#include "parser.h"

bool use_color(void) { return isatty(2) && !getenv("NO_COLOR"); }

// `fib` given where `fib.toy` exists (after `lab build`, say): names it.
static void suggest_source(const char *path) {
  char alt[4096];
  struct stat st;
  if (snprintf(alt, sizeof alt, "%s.toy", path) < (int)sizeof alt && stat(alt, &st) == 0)
    fprintf(stderr, "help: did you mean `%s`?\n", alt);
}

// Reads and parses `path`. Returns EXIT_OK, or the exit code after printing
// why it could not (unreadable file, syntax errors).
int load(const char *path, Loaded *l) {
  memset(l, 0, sizeof *l);
  l->src = source_read(path);
  if (!l->src) {
    char q[CLI_QUOTE_MAX + 64];
    fprintf(stderr, "lab: cannot read %s: %s\n", cli_quote(path, q, sizeof q), strerror(errno));
    suggest_source(path);
    return EXIT_USAGE;
  }
  char why[96];
  if (source_is_binary(l->src, why, sizeof why)) {
    fprintf(stderr, "lab: %s looks like a binary file, not Toy source (%s)\n", path, why);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
      fprintf(stderr, "help: it is an executable: did you mean `%s%s`?\n", strchr(path, '/') ? "" : "./", path);
    else
      suggest_source(path);
    return EXIT_USAGE;
  }
  diag_init(&l->sink, l->src);
  l->prog = parse_program(l->src, &l->sink);
  if (l->sink.count > 0) {
    diag_render(&l->sink, stderr, use_color());
    return EXIT_REJECTED;
  }
  return EXIT_OK;
}

void unload(Loaded *l) {
  if (l->prog) ast_free(l->prog);
  diag_free(&l->sink);
  if (l->src) source_free(l->src);
}

// Native mode's checks on a loaded program: types, then ownership and
// borrows (only on a well-typed tree). Returns the exit code, after printing
// every error. `times` (may be NULL) receives how long each took.
bool load_show_warnings;

int check_loaded(Loaded *l, CompileTimes *times) {
  l->sink.show_warnings = load_show_warnings;
  double t0 = rt_now_ms();
  bool typed = ck_check(l->prog, &l->sink);
  double t1 = rt_now_ms();
  bool ok = typed && bk_check(l->prog, &l->sink);
  if (times) {
    times->typecheck_ms = t1 - t0;
    times->borrowck_ms = rt_now_ms() - t1;
  }
  if (typed && load_show_warnings) ck_lint(l->prog, &l->sink);
  if (!ok) {
    diag_render(&l->sink, stderr, use_color());
    return EXIT_REJECTED;
  }
  diag_render_warnings(&l->sink, stderr, use_color());
  return EXIT_OK;
}

