// load.c — reading, parsing and checking a program for the lab's commands
// (compiler/lab/load.h).
#include "load.h"

#include <dirent.h>
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
#include "suggest.h"

bool use_color(void) { return isatty(2) && !getenv("NO_COLOR"); }

// The entry of dir closest to name (runtime/suggest.h) — a `.toy` file, or
// with want_dir a directory — into out; false when none is close.
static bool closest_entry(const char *dir, const char *name, bool want_dir, char *out, size_t size) {
  DIR *d = opendir(dir);
  if (!d) return false;
  Suggest s;
  suggest_begin(&s, name);
  char best[256] = "";
  struct dirent *e;
  for (int n = 0; n < 10000 && (e = readdir(d)); n++) {
    size_t len = strlen(e->d_name);
    if (e->d_name[0] == '.' || len >= sizeof best) continue;
    bool is_dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
      char full[4096];
      struct stat st;
      is_dir = snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full && stat(full, &st) == 0 &&
               S_ISDIR(st.st_mode);
    }
    if (want_dir ? !is_dir : is_dir || len < 5 || strcmp(e->d_name + len - 4, ".toy") != 0) continue;
    suggest_try(&s, e->d_name);
    if (s.best == e->d_name) s.best = memcpy(best, e->d_name, len + 1);  // readdir reuses its entry
  }
  closedir(d);
  return s.best && snprintf(out, size, "%s", s.best) < (int)size;
}

// dir/name, as the user would type it: name alone when dir is the "." that
// cli_split_path gave a path without a folder. False when it does not fit.
static bool join_path(char *out, size_t size, const char *dir, const char *name, bool had_dir) {
  int n = had_dir ? snprintf(out, size, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name)
                  : snprintf(out, size, "%s", name);
  return n >= 0 && (size_t)n < size;
}

// A path that names no file: `fib` where `fib.toy` exists (after `lab
// build`, say), or a misspelt name (`fbi.toy`, `exmaples/fib.toy`): names
// the file meant.
static void suggest_source(const char *path) {
  char alt[4096], dir[4096], parent[4096], found[256];
  struct stat st;
  if (snprintf(alt, sizeof alt, "%s.toy", path) < (int)sizeof alt && stat(alt, &st) == 0) {
    fprintf(stderr, "help: did you mean `%s`?\n", alt);
    return;
  }
  const char *base = cli_split_path(path, dir, sizeof dir);
  bool had_dir = strchr(path, '/') != NULL;
  if (!base) return;
  if (stat(dir, &st) == 0) {  // the folder is there: the closest .toy file in it
    if (!closest_entry(dir, base, false, found, sizeof found) || !join_path(alt, sizeof alt, dir, found, had_dir))
      return;
  } else {  // the folder is misspelt: its closest sibling, if FILE is in it
    const char *dbase = cli_split_path(dir, parent, sizeof parent);
    if (!dbase || !closest_entry(parent, dbase, true, found, sizeof found)) return;
    if (!join_path(dir, sizeof dir, parent, found, strchr(dir, '/') != NULL) ||
        !join_path(alt, sizeof alt, dir, base, true) || stat(alt, &st) != 0)
      return;
  }
  fprintf(stderr, "help: did you mean `%s`?\n", alt);
}

// Reads and parses `path`. Returns EXIT_OK, or the exit code after printing
// why it could not (unreadable file, syntax errors).
int load(const char *path, Loaded *l) {
  memset(l, 0, sizeof *l);
  if (strcmp(path, "-") == 0) {  // Python's `python3 -`: not a convention here
    fprintf(stderr, "lab: `-` is not a file: save the program as NAME.toy, or pipe it in as /dev/stdin\n"
                    "  (`… | lab run /dev/stdin`)\n");
    return EXIT_USAGE;
  }
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

