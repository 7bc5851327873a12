// grade.c — `lab grade [EXERCISE…]`: grades the exercises of the course
// (examples/exercises/NN-name/, handouts in docs/exercises/) in place.
//
// Each exercise folder holds a test spec, `grade.spec`, one test per line:
//
//   POINTS NAME CHECK ARGS…        # a comment
//
// The checks (docs/instructor.md has the full table) look only at what is
// deterministic on every machine — stdout, exit codes, checker verdicts and
// error codes, the counts of a `--stats=json` run, answers files — and never
// at wall time. Every run is a child `lab` (this very executable) started in
// the exercise folder, with stdin from /dev/null and a time limit that only
// guards against a program that never ends, and a cap on its output.
//
// Exit codes: 0 every test of every graded exercise passed; 1 some test
// failed; 3 usage error, unknown exercise, or a spec that cannot be read.
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "grade.h"
#include "json.h"
#include "parser.h"
#include "proc.h"
#include "readall.h"
#include "strops.h"
#include "xalloc.h"

// Per child run: a guard against hangs (not a measure), and the bytes of
// stdout or stderr it may write. `lab grade --class` lowers both for its
// children (LAB_GRADE_TIMEOUT seconds, LAB_GRADE_MAX_OUTPUT bytes).
static int grade_timeout_s = 120;
static long grade_max_output = 64L << 20;
#define MAX_ARGS 12

static const char *grade_usage =
    "usage: lab grade [EXERCISE...] [--dir DIR] [-v] [--json | --csv | --autolab | --gradescope[=FILE]]\n"
    "       lab grade --class DIR [EXERCISE...] [--jobs N] [--timeout S] [--out PREFIX]\n"
    "       lab grade EXERCISE... --lock [--dir DIR]\n"
    "       lab grade --hash TEXT\n"
    "\n"
    "Grades exercises in place: for each exercise folder DIR/NN-name (default\n"
    "DIR: examples/exercises) it runs the tests listed in its grade.spec and\n"
    "prints one line per test and `Score: X/Y`. EXERCISE is a folder name\n"
    "(`03-borrow-fix`) or its number (`3`); without one, every exercise is\n"
    "graded. Grading uses only deterministic measures: outputs, exit codes,\n"
    "checker verdicts, allocation and refcount counts, answers files; never\n"
    "time. The handouts are in docs/exercises/.\n"
    "\n"
    "options:\n"
    "  --dir DIR     the folder that holds the exercise folders\n"
    "  -v            also show the output of failing runs\n"
    "  --json        one JSON object instead of the text: score, max, and per\n"
    "                test its exercise, name, points, max, pass, message and\n"
    "                what was measured\n"
    "  --csv         the same as CSV, a row per test (a gradebook's columns)\n"
    "  --gradescope[=FILE]  write Gradescope's results.json (default FILE:\n"
    "                results.json; docs/instructor.md)\n"
    "  --autolab     Autolab's one-line score: {\"scores\": {EXERCISE: points}}\n"
    "  --lock        record the predictions before measuring: the hash and time\n"
    "                of each answers file, in EXERCISE/.grade-lock; grading then\n"
    "                says whether each is unchanged since\n"
    "  --class DIR   grade every student folder under DIR (its examples/exercises,\n"
    "                or the folder itself), --jobs at a time (default: one per\n"
    "                core), each run stopped after --timeout seconds (default 10)\n"
    "                or 1 MiB of output; writes PREFIX.csv (a row per student),\n"
    "                PREFIX-tests.csv (a row per test, with its reason) and\n"
    "                PREFIX.svg (the scores' histogram); PREFIX: --out, default\n"
    "                gradebook\n"
    "  --hash TEXT   print the hash a `choice` test expects for the answer TEXT\n"
    "                (for instructors writing a grade.spec)\n"
    "\n"
    "exit codes: 0 full marks, 1 some test failed, 3 usage error, unknown\n"
    "            exercise or unreadable grade.spec\n";

// ---- child runs ---------------------------------------------------------------

// A child's run (compiler/lab/proc.h): status -1 if it could not start or was
// killed at grade_timeout_s.
typedef Proc Run;

static char self_path[4096];

static char *slurp(const char *path, size_t *len) {
  char *buf;
  size_t n;
  if (rt_read_path(path, (size_t)-1, &buf, &n) != 0) return NULL;
  if (len) *len = n;
  return buf;
}

// Runs `lab ARGV…` in directory `cwd`, capturing stdout and stderr.
static Run run_lab(const char *cwd, char **args) {
  char *argv[MAX_ARGS + 8];
  int n = 0;
  argv[n++] = self_path;
  for (int i = 0; args[i] && n < MAX_ARGS + 6; i++) argv[n++] = args[i];
  argv[n] = NULL;
  // A student's program that prints forever must not fill the disk: past
  // grade_max_output bytes of output the run is stopped.
  ProcOpts o = {.cwd = cwd, .timeout_s = grade_timeout_s, .max_output = grade_max_output};
  Run r;
  if (proc_run(argv, &o, &r) && r.status == PROC_TIMEOUT) {
    char *e = malloc(r.err_len + 64);
    if (e) {
      sprintf(e, "%s\n(killed after %d seconds)", r.err, grade_timeout_s);
      free(r.err);
      r.err = e;
    }
  }
  return r;
}

// `lab run --mode=M [flags] FILE [--stats=json]` where spec is "M[,FLAG…]".
static Run run_program(const char *cwd, const char *spec, const char *file, bool stats) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", spec);
  char *args[MAX_ARGS + 2];
  char mode[300];
  int n = 0;
  args[n++] = "run";
  char *save = NULL;
  char *tok = strtok_r(buf, ",", &save);
  snprintf(mode, sizeof mode, "--mode=%s", tok ? tok : "interp");
  args[n++] = mode;
  while ((tok = strtok_r(NULL, ",", &save)) != NULL && n < MAX_ARGS - 2) args[n++] = tok;
  if (stats) args[n++] = "--stats=json";
  args[n++] = (char *)file;
  args[n] = NULL;
  return run_lab(cwd, args);
}

// ---- small helpers -----------------------------------------------------------

// "interp,--gc=off" as the command line a student can retype:
// "--mode=interp --gc=off".
static const char *mode_words(const char *spec, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "--mode=%s", spec);
  for (size_t i = 0; i < n && i < cap; i++)
    if (buf[i] == ',') buf[i] = ' ';
  return buf;
}

// The last line of stderr that is not empty, for a short failure reason.
void grade_last_line(const char *s, char *out, size_t cap) {
  const char *end = s + strlen(s);
  while (end > s && (end[-1] == '\n' || end[-1] == ' ')) end--;
  const char *start = end;
  while (start > s && start[-1] != '\n') start--;
  size_t n = (size_t)(end - start);
  if (n >= cap) n = cap - 1;
  memcpy(out, start, n);
  out[n] = '\0';
}

// The value of `NAME = value` in an answers file ('#' starts a comment), or
// NULL. The value is trimmed and written into out.
static bool answer_of(const char *text, const char *name, char *out, size_t cap) {
  size_t nlen = strlen(name);
  const char *line = text;
  while (line && *line) {
    const char *eol = strchr(line, '\n');
    const char *end = eol ? eol : line + strlen(line);
    const char *p = line;
    while (p < end && isspace((unsigned char)*p)) p++;
    if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0) {
      const char *q = p + nlen;
      while (q < end && (*q == ' ' || *q == '\t')) q++;
      if (q < end && *q == '=') {
        q++;
        const char *hash = memchr(q, '#', (size_t)(end - q));
        const char *ve = hash ? hash : end;
        while (q < ve && isspace((unsigned char)*q)) q++;
        while (ve > q && isspace((unsigned char)ve[-1])) ve--;
        size_t n = (size_t)(ve - q);
        if (n >= cap) n = cap - 1;
        memcpy(out, q, n);
        out[n] = '\0';
        return true;
      }
    }
    line = eol ? eol + 1 : NULL;
  }
  return false;
}

// FNV-1a (64 bits) of the answer, lower-cased with blanks removed, so that
// `choice` tests can keep their answer out of plain sight.
static uint64_t answer_hash(const char *s) {
  uint64_t h = RT_FNV_BASIS;
  for (; *s; s++)
    if (!isspace((unsigned char)*s)) h = rt_fnv1a_byte(h, (unsigned char)tolower((unsigned char)*s));
  return h;
}

static bool path_join(char *out, size_t cap, const char *dir, const char *file) {
  return (size_t)snprintf(out, cap, "%s/%s", dir, file) < cap;
}

// ---- one test ----------------------------------------------------------------

typedef struct Test {
  int points;
  const char *name, *check;
  char *arg[MAX_ARGS];
  int nargs;
  int line;
} Test;

typedef struct Ctx {
  const char *dir;   // the exercise folder
  const char *spec;  // its grade.spec, for messages
  bool verbose;
} Ctx;

// Each check returns whether the test passed, with a one-line reason in why.
// `detail` receives the run whose output -v shows, if any.
typedef struct Result {
  bool pass;
  char why[512];
  const char *key;  // what was measured, if anything (--json, --csv)
  double measured;
} Result;

static void show_run(const Ctx *c, const Run *r) {
  if (!c->verbose) return;
  printf("        stdout: %.600s%s\n", r->out, strlen(r->out) > 600 ? "…" : "");
  printf("        stderr: %.600s%s\n", r->err, strlen(r->err) > 600 ? "…" : "");
}

static void fail_run(Result *res, const char *what, const Run *r) {
  char ll[300];
  grade_last_line(r->err, ll, sizeof ll);
  if (r->status == PROC_TIMEOUT) snprintf(res->why, sizeof res->why, "%s: did not finish (%s)", what, ll);
  else if (r->status == PROC_FLOOD)
    snprintf(res->why, sizeof res->why, "%s: stopped after %ld KiB of output", what, grade_max_output >> 10);
  else if (r->status > 128)
    snprintf(res->why, sizeof res->why, "%s: killed by signal %d%s%s", what, r->status - 128, ll[0] ? ": " : "", ll);
  else snprintf(res->why, sizeof res->why, "%s: exit %d%s%s", what, r->status, ll[0] ? ": " : "", ll);
}

static bool compare_op(double a, const char *op, double b, bool *ok) {
  *ok = true;
  if (strcmp(op, "<=") == 0) return a <= b;
  if (strcmp(op, "<") == 0) return a < b;
  if (strcmp(op, ">=") == 0) return a >= b;
  if (strcmp(op, ">") == 0) return a > b;
  if (strcmp(op, "==") == 0) return a == b;
  if (strcmp(op, "!=") == 0) return a != b;
  *ok = false;
  return false;
}

static Result check_checker(const Ctx *c, const Test *t, bool accept) {
  Result res = {.pass = false};
  char *args[] = {"check", t->arg[0], NULL};
  Run r = run_lab(c->dir, args);
  if (accept) {
    res.pass = r.status == 0;
    if (!res.pass) {
      // Name every error code found, the most useful line for a student.
      char codes[200] = "";
      const char *p = r.err;
      while ((p = strstr(p, "error[")) != NULL && strlen(codes) < 150) {
        const char *e = strchr(p, ']');
        if (!e) break;
        char code[16];
        size_t n = (size_t)(e - p - 6);
        if (n >= sizeof code) n = sizeof code - 1;
        memcpy(code, p + 6, n);
        code[n] = '\0';
        if (!strstr(codes, code)) {
          if (codes[0]) strcat(codes, " ");
          strcat(codes, code);
        }
        p = e;
      }
      if (codes[0]) snprintf(res.why, sizeof res.why, "lab check %s rejects it: %s (lab explain CODE)", t->arg[0], codes);
      else fail_run(&res, "lab check", &r);
    }
  } else {
    char want[32];
    snprintf(want, sizeof want, "error[%s]", t->arg[1]);
    res.pass = r.status == 2 && strstr(r.err, want) != NULL;
    if (!res.pass) {
      if (r.status == 0) snprintf(res.why, sizeof res.why, "lab check %s accepts it; expected %s", t->arg[0], want);
      else fail_run(&res, "expected error[…] not reported; lab check", &r);
    }
  }
  if (!res.pass) show_run(c, &r);
  proc_free(&r);
  return res;
}

static Result check_output(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  char path[4096];
  if (!path_join(path, sizeof path, c->dir, t->arg[2])) return res;
  size_t want_len;
  char *want = slurp(path, &want_len);
  if (!want) {
    snprintf(res.why, sizeof res.why, "cannot read the expected output %s", t->arg[2]);
    return res;
  }
  Run r = run_program(c->dir, t->arg[0], t->arg[1], false);
  if (r.status != 0) fail_run(&res, t->arg[0], &r);
  else if (r.out_len != want_len || memcmp(r.out, want, want_len) != 0) {
    // Name the first line that differs.
    int line = 1;
    size_t i = 0;
    while (i < r.out_len && i < want_len && r.out[i] == want[i]) {
      if (r.out[i] == '\n') line++;
      i++;
    }
    snprintf(res.why, sizeof res.why, "%s: stdout differs from %s at line %d", t->arg[0], t->arg[2], line);
  } else res.pass = true;
  if (!res.pass) show_run(c, &r);
  free(want);
  proc_free(&r);
  return res;
}

static Result check_agree(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  Run a = run_program(c->dir, "interp", t->arg[0], false);
  Run b = run_program(c->dir, "native", t->arg[0], false);
  if (a.status != 0) fail_run(&res, "interp", &a);
  else if (b.status != 0) fail_run(&res, "native", &b);
  else if (a.out_len != b.out_len || memcmp(a.out, b.out, a.out_len) != 0)
    snprintf(res.why, sizeof res.why, "the two modes print different output");
  else res.pass = true;
  if (!res.pass) {
    show_run(c, &a);
    show_run(c, &b);
  }
  proc_free(&a);
  proc_free(&b);
  return res;
}

static Result check_exit(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  int want = atoi(t->arg[2]);
  Run r = run_program(c->dir, t->arg[0], t->arg[1], false);
  res.pass = r.status == want;
  if (!res.pass) {
    char ll[300];
    grade_last_line(r.err, ll, sizeof ll);
    snprintf(res.why, sizeof res.why, "%s: exit %d, expected %d%s%s", t->arg[0], r.status, want,
             ll[0] ? ": " : "", ll);
    show_run(c, &r);
  }
  proc_free(&r);
  return res;
}

// Runs FILE with --stats=json and reads KEY; false (with why) if it could not.
static bool measure(const Ctx *c, const char *mode, const char *file, const char *key, double *v,
                    Result *res) {
  Run r = run_program(c->dir, mode, file, true);
  bool ok = false;
  if (r.status != 0) fail_run(res, mode, &r);
  else {
    // The JSON object is the last line of stderr.
    const char *j = strrchr(r.err, '{');
    const char *start = r.err;
    if (j) {
      const char *p = j;
      while (p > r.err && p[-1] != '\n') p--;
      start = p;
    }
    ok = json_number(start, key, v);
    if (!ok) snprintf(res->why, sizeof res->why, "%s --stats=json has no number `%s`", mode, key);
    else res->key = key, res->measured = *v;
  }
  if (!ok) show_run(c, &r);
  proc_free(&r);
  return ok;
}

static Result check_stat(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  double v, limit = strtod(t->arg[4], NULL);
  if (!measure(c, t->arg[0], t->arg[1], t->arg[2], &v, &res)) return res;
  bool ok;
  res.pass = compare_op(v, t->arg[3], limit, &ok);
  char mw[160];
  snprintf(res.why, sizeof res.why, "lab run %s --stats: %s = %.0f, needs %s %s",
           mode_words(t->arg[0], mw, sizeof mw), t->arg[2], v, t->arg[3], t->arg[4]);
  return res;
}

// ---- per-line figures (lab profile) ---------------------------------------------

// The lines WHERE names in FILE: a line number, `@TEXT` (the first line
// whose code, comments left out, holds TEXT), or `fn:NAME` (function NAME, from its `fn` line to its `}`).
// False (with why) if there is no such line.
static bool where_lines(const Ctx *c, const char *file, const char *where, int *lo, int *hi, Result *res) {
  char path[4096];
  if (!path_join(path, sizeof path, c->dir, file)) return false;
  char *end;
  long n = strtol(where, &end, 10);
  if (end != where && !*end && n >= 1) {
    *lo = *hi = (int)n;
    return true;
  }
  char *text = slurp(path, NULL);
  if (!text) {
    snprintf(res->why, sizeof res->why, "cannot read %s", file);
    return false;
  }
  bool found = false;
  if (where[0] == '@') {
    // The first line whose code (before any `//`) holds TEXT.
    int line = 1;
    for (char *p = text; *p && !found && where[1]; line++) {
      char *nl = strchr(p, '\n');
      if (nl) *nl = '\0';
      char *cm = strstr(p, "//");
      if (cm) *cm = '\0';
      if (strstr(p, where + 1)) {
        *lo = *hi = line;
        found = true;
      }
      p = nl ? nl + 1 : p + strlen(p);
    }
  } else if (strncmp(where, "fn:", 3) == 0) {
    // The parser knows where a function ends (its diagnostics are not shown:
    // the other tests report a broken file).
    Source *src = source_read(path);
    DiagSink sink;
    if (src) diag_init(&sink, src);
    Program *prog = src ? parse_program(src, &sink) : NULL;
    for (int i = 0; prog && i < prog->nitems && !found; i++) {
      const Item *it = prog->items[i];
      if (it->kind == IT_FN && strcmp(it->fn.name, where + 3) == 0) {
        *lo = it->fn.span.line;
        *hi = it->fn.body->end_line;
        found = true;
      }
    }
    if (prog) ast_free(prog);
    if (src) {
      diag_free(&sink);
      source_free(src);
    }
  }
  free(text);
  if (!found) snprintf(res->why, sizeof res->why, "%s has no line `%s`", file, where);
  return found;
}

// The sum of KEY over lines lo..hi in `lab profile --json --mode=MODE FILE`
// (MODE interp or native; `compile` reads native's compile-time lines).
// KEY is a field of docs/profile.md, or `objects` (interp: every alloc.*),
// `rc` (increfs + decrefs), `checks_run` (native: bounds + overflow checks).
static bool measure_lines(const Ctx *c, const char *mode, const char *file, int lo, int hi, const char *key,
                          double *v, Result *res) {
  bool compile = strcmp(mode, "compile") == 0;
  if (!compile && strcmp(mode, "interp") != 0 && strcmp(mode, "native") != 0) {
    snprintf(res->why, sizeof res->why, "per-line checks take MODE interp, native or compile, not `%s`", mode);
    return false;
  }
  char m[32];
  snprintf(m, sizeof m, "--mode=%s", compile ? "native" : mode);
  char *args[] = {"profile", "--json", m, (char *)file, NULL};
  Run r = run_lab(c->dir, args);
  bool ok = false;
  if (r.status != 0) {
    fail_run(res, "lab profile", &r);
    show_run(c, &r);
    proc_free(&r);
    return false;
  }
  char block[32];
  snprintf(block, sizeof block, "  \"%s\": ", compile ? "compile" : mode);
  const char *parts[2] = {key, NULL};
  if (strcmp(key, "objects") == 0) parts[0] = "\"alloc.";
  else if (strcmp(key, "rc") == 0) parts[0] = "\"increfs\": ", parts[1] = "\"decrefs\": ";
  else if (strcmp(key, "checks_run") == 0) parts[0] = "\"bounds_checks\": ", parts[1] = "\"overflow_checks\": ";
  char quoted[80];
  if (parts[0] == key) {
    snprintf(quoted, sizeof quoted, "\"%s\": ", key);
    parts[0] = quoted;
  }
  *v = 0;
  bool in = false;
  for (char *line = r.out; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    if (strncmp(line, block, strlen(block)) == 0) in = ok = true;
    else if (line[0] == ' ' && line[1] == ' ' && line[2] == '"') in = false;  // the next block
    else if (strncmp(line, "   \"threads\"", 13) == 0) in = false;
    else if (in && strncmp(line, "    {\"line\": ", 13) == 0) {
      int l = atoi(line + 13);
      for (int k = 0; l >= lo && l <= hi && k < 2 && parts[k]; k++)
        for (const char *p = strstr(line, parts[k]); p; p = strstr(p + 1, parts[k])) {
          const char *colon = strstr(p, ": ");
          if (colon) *v += strtod(colon + 2, NULL);
          if (parts[k] != key && parts[k][strlen(parts[k]) - 1] != '.') break;  // one key, not a group
        }
    }
    line = nl ? nl + 1 : NULL;
  }
  if (!ok) snprintf(res->why, sizeof res->why, "lab profile ran no %s mode on %s", mode, file);
  else res->key = key, res->measured = *v;
  proc_free(&r);
  return ok;
}

static const char *lines_words(const char *where, int lo, int hi, char *buf, size_t cap) {
  if (lo == hi) snprintf(buf, cap, "line %d", lo);
  else snprintf(buf, cap, "lines %d-%d (%s)", lo, hi, where);
  return buf;
}

// line MODE FILE WHERE KEY OP NUMBER
static Result check_line(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  int lo, hi;
  double v;
  if (!where_lines(c, t->arg[1], t->arg[2], &lo, &hi, &res) ||
      !measure_lines(c, t->arg[0], t->arg[1], lo, hi, t->arg[3], &v, &res))
    return res;
  bool ok;
  res.pass = compare_op(v, t->arg[4], strtod(t->arg[5], NULL), &ok);
  char lw[160];
  snprintf(res.why, sizeof res.why, "lab profile --mode=%s: %s: %s = %.0f, needs %s %s", t->arg[0],
           lines_words(t->arg[2], lo, hi, lw, sizeof lw), t->arg[3], v, t->arg[4], t->arg[5]);
  return res;
}

// Reads answer NAME from the answers file; false (with why) if missing.
static bool read_answer(const Ctx *c, const char *file, const char *name, char *out, size_t cap,
                        Result *res) {
  char path[4096];
  if (!path_join(path, sizeof path, c->dir, file)) return false;
  char *text = slurp(path, NULL);
  if (!text) {
    snprintf(res->why, sizeof res->why, "cannot read %s", file);
    return false;
  }
  bool found = answer_of(text, name, out, cap);
  free(text);
  if (!found) snprintf(res->why, sizeof res->why, "%s has no line `%s = …`", file, name);
  else if (!out[0] || strcmp(out, "?") == 0) {
    snprintf(res->why, sizeof res->why, "%s: `%s` is not answered yet", file, name);
    return false;
  }
  return found;
}

// The answer NAME as a number (10_000 and 10,000 both read); false with why.
static bool answer_number(const Ctx *c, const Test *t, char *ans, size_t cap, double *guess, Result *res) {
  if (!read_answer(c, t->arg[0], t->arg[1], ans, cap, res)) return false;
  char clean[128];
  size_t k = 0;
  for (const char *p = ans; *p && k < sizeof clean - 1; p++)
    if (*p != '_' && *p != ',') clean[k++] = *p;
  clean[k] = '\0';
  char *end;
  *guess = strtod(clean, &end);
  if (end == clean || *end) {
    snprintf(res->why, sizeof res->why, "%s: `%s = %s` is not a number", t->arg[0], t->arg[1], ans);
    return false;
  }
  return true;
}

static bool within(double guess, double v, const char *tolerance) {
  double tol = strtod(tolerance, NULL) / 100.0 * (v < 0 ? -v : v);
  double diff = guess - v;
  return (diff < 0 ? -diff : diff) <= tol;
}

// predict-line ANSWERS NAME MODE FILE WHERE KEY TOLERANCE%
static Result check_predict_line(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  char ans[128];
  double guess, v;
  int lo, hi;
  if (!answer_number(c, t, ans, sizeof ans, &guess, &res) || !where_lines(c, t->arg[3], t->arg[4], &lo, &hi, &res) ||
      !measure_lines(c, t->arg[2], t->arg[3], lo, hi, t->arg[5], &v, &res))
    return res;
  res.pass = within(guess, v, t->arg[6]);
  char lw[160];
  if (res.pass) snprintf(res.why, sizeof res.why, "predicted %s, measured %.0f", ans, v);
  else
    snprintf(res.why, sizeof res.why, "predicted %s, but `lab profile --mode=%s` measures %s = %.0f on %s (needs to be within %s%%)",
             ans, t->arg[2], t->arg[5], v, lines_words(t->arg[4], lo, hi, lw, sizeof lw), t->arg[6]);
  return res;
}

// predict ANSWERS NAME MODE FILE KEY TOLERANCE%
static Result check_predict(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  char ans[128];
  double guess, v;
  if (!answer_number(c, t, ans, sizeof ans, &guess, &res) || !measure(c, t->arg[2], t->arg[3], t->arg[4], &v, &res))
    return res;
  res.pass = within(guess, v, t->arg[5]);
  if (res.pass)
    snprintf(res.why, sizeof res.why, "predicted %s, measured %.0f", ans, v);
  else {
    char mw[160];
    snprintf(res.why, sizeof res.why, "predicted %s, but `lab run %s --stats` measures %s = %.0f "
             "(needs to be within %s%%)", ans, mode_words(t->arg[2], mw, sizeof mw), t->arg[4], v, t->arg[5]);
  }
  return res;
}

// predict-refcount ANSWERS NAME FILE WHERE VAR: the refcount of the object
// local VAR refers to when the run first reaches the line WHERE names, from
// `lab trace --json --mode=interp` (docs/trace.md): the innermost frame's VAR
// in the first step at that line.
static bool traced_refcount(const Ctx *c, const char *file, int line, const char *var, double *rc, Result *res) {
  char *args[] = {"trace", "--json", "--mode=interp", "--max-steps", "10000", (char *)file, NULL};
  Run r = run_lab(c->dir, args);
  if (r.status != 0) {
    fail_run(res, "lab trace", &r);
    proc_free(&r);
    return false;
  }
  bool ok = false;
  char head[64];
  snprintf(head, sizeof head, "\"line\": %d, ", line);
  for (char *st = strstr(r.out, "\n {\"step\": "); st && !ok; st = strstr(st + 1, "\n {\"step\": ")) {
    char *end = strstr(st + 1, "\n {\"step\": ");
    if (end) *end = '\0';
    char *lp = strstr(st, "\"line\": ");
    if (lp && strncmp(lp, head, strlen(head)) == 0) {
      // The last frame's local of that name: its object id, then its rc.
      char want[160];
      snprintf(want, sizeof want, "{\"name\": \"%s\", \"ref\": ", var);
      char *heap = strstr(st, "\"heap\": ["), *ref = NULL;
      for (char *p = strstr(st, want); p && (!heap || p < heap); p = strstr(p + 1, want)) ref = p;
      int id = ref ? atoi(ref + strlen(want)) : 0;
      char obj[64];
      snprintf(obj, sizeof obj, "{\"id\": %d, ", id);
      char *o = id > 0 && heap ? strstr(heap, obj) : NULL;
      if (!ref) snprintf(res->why, sizeof res->why, "no variable `%s` at line %d", var, line);
      else if (!o) snprintf(res->why, sizeof res->why, "`%s` holds nothing at line %d", var, line);
      else {
        char *rcp = strstr(o, "\"rc\": ");
        char *close = strchr(o, '}');
        if (rcp && close && rcp < close) *rc = strtod(rcp + 6, NULL);
        else *rc = -1;  // immortal
        ok = true;
      }
      if (!ok) {
        proc_free(&r);
        return false;
      }
    }
    if (end) *end = '\n';
  }
  if (!ok && !res->why[0]) snprintf(res->why, sizeof res->why, "the run never reaches line %d", line);
  proc_free(&r);
  return ok;
}

static Result check_predict_refcount(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  char ans[128];
  double guess, rc;
  int lo, hi;
  if (!answer_number(c, t, ans, sizeof ans, &guess, &res) || !where_lines(c, t->arg[2], t->arg[3], &lo, &hi, &res) ||
      !traced_refcount(c, t->arg[2], lo, t->arg[4], &rc, &res))
    return res;
  res.pass = guess == rc;
  if (rc < 0) snprintf(res.why, sizeof res.why, "`%s` refers to an immortal object at line %d (no count)", t->arg[4], lo);
  else if (res.pass) snprintf(res.why, sizeof res.why, "predicted %s, lab trace shows refcount %.0f", ans, rc);
  else snprintf(res.why, sizeof res.why, "predicted %s, but `lab trace` shows `%s`'s object with refcount %.0f at line %d",
                ans, t->arg[4], rc, lo);
  return res;
}

// choice ANSWERS NAME HASH
static Result check_choice(const Ctx *c, const Test *t) {
  Result res = {.pass = false};
  char ans[256];
  if (!read_answer(c, t->arg[0], t->arg[1], ans, sizeof ans, &res)) return res;
  char hex[32];
  snprintf(hex, sizeof hex, "%016llx", (unsigned long long)answer_hash(ans));
  res.pass = strcmp(hex, t->arg[2]) == 0;
  snprintf(res.why, sizeof res.why, "%s = %s%s", t->arg[1], ans, res.pass ? "" : " is not right");
  return res;
}

// absent FILE TEXT / present FILE TEXT
static Result check_text(const Ctx *c, const Test *t, bool want) {
  Result res = {.pass = false};
  char path[4096];
  if (!path_join(path, sizeof path, c->dir, t->arg[0])) return res;
  char *text = slurp(path, NULL);
  if (!text) {
    snprintf(res.why, sizeof res.why, "cannot read %s", t->arg[0]);
    return res;
  }
  // Comments do not count: blank out `// …` before searching.
  for (char *p = text; *p; p++) {
    if (p[0] == '"') {  // skip a string literal (it may hold "//")
      for (p++; *p && *p != '"' && *p != '\n'; p++)
        if (*p == '\\' && p[1]) p++;
      if (!*p) break;
    } else if (p[0] == '/' && p[1] == '/') {
      while (*p && *p != '\n') *p++ = ' ';
      if (!*p) break;
    }
  }
  bool found = strstr(text, t->arg[1]) != NULL;
  res.pass = found == want;
  snprintf(res.why, sizeof res.why, "%s %s `%s`", t->arg[0], found ? "contains" : "does not contain",
           t->arg[1]);
  free(text);
  return res;
}

typedef struct CheckKind {
  const char *name;
  int nargs;
  const char *args;  // for error messages
} CheckKind;

static const CheckKind check_kinds[] = {
    {"accepts", 1, "FILE"},
    {"rejects", 2, "FILE CODE"},
    {"output", 3, "MODE FILE EXPECTED"},
    {"agree", 1, "FILE"},
    {"exit", 3, "MODE FILE CODE"},
    {"stat", 5, "MODE FILE KEY OP NUMBER"},
    {"predict", 6, "ANSWERS NAME MODE FILE KEY TOLERANCE%"},
    {"choice", 3, "ANSWERS NAME HASH"},
    {"absent", 2, "FILE TEXT"},
    {"present", 2, "FILE TEXT"},
    {"line", 6, "MODE FILE WHERE KEY OP NUMBER"},
    {"predict-line", 7, "ANSWERS NAME MODE FILE WHERE KEY TOLERANCE%"},
    {"predict-refcount", 5, "ANSWERS NAME FILE WHERE VAR"},
};

static Result run_test(const Ctx *c, const Test *t) {
  const char *k = t->check;
  if (strcmp(k, "accepts") == 0) return check_checker(c, t, true);
  if (strcmp(k, "rejects") == 0) return check_checker(c, t, false);
  if (strcmp(k, "output") == 0) return check_output(c, t);
  if (strcmp(k, "agree") == 0) return check_agree(c, t);
  if (strcmp(k, "exit") == 0) return check_exit(c, t);
  if (strcmp(k, "stat") == 0) return check_stat(c, t);
  if (strcmp(k, "predict") == 0) return check_predict(c, t);
  if (strcmp(k, "choice") == 0) return check_choice(c, t);
  if (strcmp(k, "absent") == 0) return check_text(c, t, false);
  if (strcmp(k, "line") == 0) return check_line(c, t);
  if (strcmp(k, "predict-line") == 0) return check_predict_line(c, t);
  if (strcmp(k, "predict-refcount") == 0) return check_predict_refcount(c, t);
  return check_text(c, t, true);
}

// ---- one exercise -------------------------------------------------------------

// Parses one spec line in place. Returns 1 for a test, 0 for a blank or
// comment line, -1 (after printing spec:line: why) for a malformed one.
static int parse_line(char *line, const char *spec, int lineno, Test *t) {
  char *hash = strchr(line, '#');
  if (hash) *hash = '\0';
  char *tok[MAX_ARGS + 3];
  int n = 0;
  char *save = NULL;
  for (char *w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
    if (n == MAX_ARGS + 3) {
      fprintf(stderr, "%s:%d: too many words\n", spec, lineno);
      return -1;
    }
    tok[n++] = w;
  }
  if (n == 0) return 0;
  char *end;
  long pts = n >= 1 ? strtol(tok[0], &end, 10) : 0;
  if (n < 3 || *end || pts <= 0 || pts > 1000) {
    fprintf(stderr, "%s:%d: expected `POINTS NAME CHECK ARGS...`\n", spec, lineno);
    return -1;
  }
  const CheckKind *kind = NULL;
  for (size_t i = 0; i < sizeof check_kinds / sizeof check_kinds[0]; i++)
    if (strcmp(check_kinds[i].name, tok[2]) == 0) kind = &check_kinds[i];
  if (!kind) {
    fprintf(stderr, "%s:%d: unknown check `%s` (accepts rejects output agree exit stat predict choice absent present)\n",
            spec, lineno, tok[2]);
    return -1;
  }
  if (n - 3 != kind->nargs) {
    fprintf(stderr, "%s:%d: `%s` takes %s\n", spec, lineno, kind->name, kind->args);
    return -1;
  }
  t->points = (int)pts;
  t->name = tok[1];
  t->check = tok[2];
  t->nargs = n - 3;
  for (int i = 0; i < t->nargs; i++) t->arg[i] = tok[3 + i];
  t->line = lineno;
  if (strcmp(t->check, "stat") == 0) {
    bool ok;
    compare_op(0, t->arg[3], 0, &ok);
    if (!ok) {
      fprintf(stderr, "%s:%d: `%s` is not one of <= < >= > == !=\n", spec, lineno, t->arg[3]);
      return -1;
    }
  }
  return 1;
}

// ---- reports -------------------------------------------------------------------
// The text report is printed as tests finish; the others (--json, --csv,
// --gradescope, --autolab) are written from these records at the end.

enum { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_GRADESCOPE, FMT_AUTOLAB };

typedef struct Record {
  char *exercise, *test, *message, *key;
  int points, max;
  bool pass;
  double measured;
} Record;

static Record *records;
static int nrecords, caprecords;

static void record(const char *exercise, const Test *t, const Result *r) {
  if (nrecords == caprecords) {
    caprecords = caprecords ? caprecords * 2 : 32;
    records = rt_xrealloc(records, (size_t)caprecords * sizeof *records);
  }
  records[nrecords++] = (Record){rt_xstrdup(exercise), rt_xstrdup(t->name), rt_xstrdup(r->why),
                                 r->key ? rt_xstrdup(r->key) : NULL, r->pass ? t->points : 0, t->points, r->pass,
                                 r->measured};
}

// A CSV field: quoted, with quotes doubled (RFC 4180).
void grade_csv_field(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void report(FILE *out, int format, int got, int max) {
  switch (format) {
  case FMT_CSV:
    fputs("exercise,test,points,max,pass,message,measured,value\n", out);
    for (int i = 0; i < nrecords; i++) {
      const Record *r = &records[i];
      grade_csv_field(out, r->exercise);
      fputc(',', out);
      grade_csv_field(out, r->test);
      fprintf(out, ",%d,%d,%s,", r->points, r->max, r->pass ? "true" : "false");
      grade_csv_field(out, r->message);
      fputc(',', out);
      grade_csv_field(out, r->key ? r->key : "");
      if (r->key) fprintf(out, ",%.17g\n", r->measured);
      else fputs(",\n", out);
    }
    return;
  case FMT_JSON:
    fprintf(out, "{\"score\": %d, \"max\": %d, \"tests\": [", got, max);
    for (int i = 0; i < nrecords; i++) {
      const Record *r = &records[i];
      fprintf(out, "%s\n  {\"exercise\": ", i ? "," : "");
      json_write_str(out, r->exercise);
      fputs(", \"name\": ", out);
      json_write_str(out, r->test);
      fprintf(out, ", \"points\": %d, \"max\": %d, \"pass\": %s, \"message\": ", r->points, r->max,
              r->pass ? "true" : "false");
      json_write_str(out, r->message);
      if (r->key) {
        fputs(", \"measured\": {", out);
        json_write_str(out, r->key);
        fprintf(out, ": %.17g}", r->measured);
      }
      fputc('}', out);
    }
    fputs("\n]}\n", out);
    return;
  case FMT_GRADESCOPE:  // https://gradescope-autograders.readthedocs.io: "Output format"
    fprintf(out, "{\n  \"score\": %d,\n  \"output\": \"Score: %d/%d\",\n  \"visibility\": \"visible\",\n"
                 "  \"stdout_visibility\": \"visible\",\n  \"tests\": [", got, got, max);
    for (int i = 0; i < nrecords; i++) {
      const Record *r = &records[i];
      char name[600];
      snprintf(name, sizeof name, "%s: %s", r->exercise, r->test);
      fprintf(out, "%s\n    {\"name\": ", i ? "," : "");
      json_write_str(out, name);
      fprintf(out, ", \"score\": %d, \"max_score\": %d, \"status\": \"%s\", \"output\": ", r->points, r->max,
              r->pass ? "passed" : "failed");
      json_write_str(out, r->message);
      fputs(", \"visibility\": \"visible\"}", out);
    }
    fputs("\n  ]\n}\n", out);
    return;
  case FMT_AUTOLAB: {  // Autolab reads the last line: {"scores": {"problem": points}}
    fputs("{\"scores\": {", out);
    const char *last = NULL;
    int n = 0, sum = 0;
    for (int i = 0; i <= nrecords; i++) {
      if (i < nrecords && last && strcmp(records[i].exercise, last) == 0) {
        sum += records[i].points;
        continue;
      }
      if (last) {
        fputs(n++ ? ", " : "", out);
        json_write_str(out, last);
        fprintf(out, ": %d", sum);
      }
      if (i < nrecords) last = records[i].exercise, sum = records[i].points;
    }
    fputs("}}\n", out);
    return;
  }
  default: return;
  }
}

static void free_records(void) {
  for (int i = 0; i < nrecords; i++) {
    free(records[i].exercise);
    free(records[i].test);
    free(records[i].message);
    free(records[i].key);
  }
  free(records);
  records = NULL;
  nrecords = caprecords = 0;
}

// Grades one exercise folder; adds to *got and *max. Returns false if its
// spec cannot be read or is malformed (then nothing is added).
// ---- locked predictions: lab grade N --lock ----------------------------------------
// A predict-then-measure exercise is only honest if the prediction comes
// first. `--lock` records, in EXERCISE/.grade-lock, the hash of each answers
// file the spec reads and when (one line each: FILE HASH UNIXTIME), without
// measuring anything; every later grading says whether each file is
// unchanged since. Anyone can rewrite the lock file, so a course that relies
// on it collects the lock files (or their lines) when predictions are due.

static bool is_answers_check(const char *check) {
  return strcmp(check, "predict") == 0 || strcmp(check, "predict-line") == 0 ||
         strcmp(check, "predict-refcount") == 0 || strcmp(check, "choice") == 0;
}

static uint64_t file_hash(const char *dir, const char *file, bool *found) {
  char path[8704];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  size_t n = 0;
  char *text = slurp(path, &n);
  *found = text != NULL;
  uint64_t h = text ? rt_fnv1a(RT_FNV_BASIS, text, n) : 0;
  free(text);
  return h;
}

static void lock_answers(const char *dir, const char *name, const Test *tests, int nt) {
  char path[8704];
  snprintf(path, sizeof path, "%s/.grade-lock", dir);
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "lab grade: cannot write %s: %s\n", path, strerror(errno));
    return;
  }
  time_t now = time(NULL);
  int n = 0;
  for (int i = 0; i < nt; i++) {
    if (!is_answers_check(tests[i].check)) continue;
    bool seen = false, found;
    for (int k = 0; k < i; k++) seen |= is_answers_check(tests[k].check) && strcmp(tests[k].arg[0], tests[i].arg[0]) == 0;
    if (seen) continue;
    uint64_t h = file_hash(dir, tests[i].arg[0], &found);
    fprintf(f, "%s %016llx %lld\n", tests[i].arg[0], (unsigned long long)h, (long long)now);
    printf("%s: locked %s%s\n", name, tests[i].arg[0], found ? "" : " (it does not exist yet)");
    n++;
  }
  fclose(f);
  if (n == 0) printf("%s: nothing to lock (no predictions in its grade.spec)\n", name);
}

// For the report: each locked file, unchanged or not since its lock.
static void report_locks(const char *dir) {
  char path[8704];
  snprintf(path, sizeof path, "%s/.grade-lock", dir);
  char *text = slurp(path, NULL);
  if (!text) return;
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    char file[512];
    unsigned long long want;
    long long when;
    if (sscanf(line, "%511s %llx %lld", file, &want, &when) != 3) continue;
    bool found;
    uint64_t now = file_hash(dir, file, &found);
    time_t t = (time_t)when;
    char at[64];
    strftime(at, sizeof at, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    printf("  lock %s: %s since it was locked, %s\n", file, now == want ? "unchanged" : "CHANGED", at);
  }
  free(text);
}

static bool grade_one(const char *root, const char *name, bool verbose, bool as_text, bool lock, int *got, int *max) {
  char dir[8448], spec[8704];
  snprintf(dir, sizeof dir, "%s/%s", root, name);
  snprintf(spec, sizeof spec, "%s/grade.spec", dir);
  char *text = slurp(spec, NULL);
  if (!text) {
    fprintf(stderr, "lab grade: cannot read %s: %s\n", spec, strerror(errno));
    return false;
  }
  // Parse everything first, so a malformed spec grades nothing.
  Test tests[64];
  int nt = 0, lineno = 0;
  bool ok = true;
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    lineno++;
    if (nt == 64) {
      fprintf(stderr, "%s:%d: more than 64 tests\n", spec, lineno);
      ok = false;
      break;
    }
    int r = parse_line(line, spec, lineno, &tests[nt]);
    if (r < 0) ok = false;
    if (r > 0) nt++;
  }
  if (ok && nt == 0) {
    fprintf(stderr, "%s: no tests\n", spec);
    ok = false;
  }
  if (!ok) {
    free(text);
    return false;
  }
  if (lock) {
    lock_answers(dir, name, tests, nt);
    free(text);
    return true;
  }
  if (as_text) printf("== %s ==\n", name);
  if (as_text) report_locks(dir);
  Ctx c = {dir, spec, verbose && as_text};
  int g = 0, m = 0;
  for (int i = 0; i < nt; i++) {
    Result r = run_test(&c, &tests[i]);
    m += tests[i].points;
    if (r.pass) g += tests[i].points;
    record(name, &tests[i], &r);
    if (!as_text) continue;
    // No trailing blanks when there is nothing to say.
    if (r.why[0])
      printf("  %-4s %2d/%-2d %-18s %s\n", r.pass ? "ok" : "FAIL", r.pass ? tests[i].points : 0,
             tests[i].points, tests[i].name, r.why);
    else
      printf("  %-4s %2d/%-2d %s\n", r.pass ? "ok" : "FAIL", r.pass ? tests[i].points : 0,
             tests[i].points, tests[i].name);
    fflush(stdout);
  }
  if (as_text) printf("%s: %d/%d\n\n", name, g, m);
  *got += g;
  *max += m;
  free(text);
  return true;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool grade_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

// Finds the exercise folder that `want` names: the folder name itself, or its
// number ("3", "03"), or its name without the number ("borrow-fix").
static const char *find_exercise(char **names, int n, const char *want) {
  char *end;
  long num = strtol(want, &end, 10);
  for (int i = 0; i < n; i++) {
    if (strcmp(names[i], want) == 0) return names[i];
    if (*want && !*end && atol(names[i]) == num) return names[i];
    const char *dash = strchr(names[i], '-');
    if (dash && strcmp(dash + 1, want) == 0) return names[i];
  }
  return NULL;
}

int grade_main(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(grade_usage, stdout);
    return EXIT_OK;
  }
  const char *root = "examples/exercises";
  const char *gradescope = NULL;  // --gradescope[=FILE]: where results.json goes
  const char *class_dir = NULL, *class_out = "gradebook";
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  int jobs = ncpu < 1 ? 1 : ncpu > 64 ? 64 : (int)ncpu, class_timeout = 10, st;
  const char *env_timeout = getenv("LAB_GRADE_TIMEOUT"), *env_output = getenv("LAB_GRADE_MAX_OUTPUT");
  if (env_timeout && atoi(env_timeout) > 0) grade_timeout_s = atoi(env_timeout);
  if (env_output && atol(env_output) > 0) grade_max_output = atol(env_output);
  int format = FMT_TEXT;
  bool verbose = false, dir_given = false, lock = false;
  const char *wanted[64];
  int nwanted = 0;
  static const char *const valued[] = {"--dir", "--hash", "--class", "--jobs", "--timeout", "--out", NULL};
  CliIter it = cli_iter(argc, argv, "grade", valued);
  const char *o, *v;
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (nwanted < 64) wanted[nwanted++] = v;
    } else if (strcmp(o, "--dir") == 0) {
      root = v;
      dir_given = true;
    } else if (strcmp(o, "-v") == 0 && !v) {
      verbose = true;
    } else if (strcmp(o, "--class") == 0) {
      class_dir = v;
    } else if (strcmp(o, "--out") == 0) {
      class_out = v;
    } else if (strcmp(o, "--jobs") == 0) {
      if ((st = cli_int("grade", o, v, 1, 64, &jobs)) != EXIT_OK) return st;
    } else if (strcmp(o, "--timeout") == 0) {
      if ((st = cli_int("grade", o, v, 1, 3600, &class_timeout)) != EXIT_OK) return st;
    } else if (strcmp(o, "--lock") == 0 && !v) {
      lock = true;
    } else if (strcmp(o, "--json") == 0 && !v) {
      format = FMT_JSON;
    } else if (strcmp(o, "--csv") == 0 && !v) {
      format = FMT_CSV;
    } else if (strcmp(o, "--autolab") == 0 && !v) {
      format = FMT_AUTOLAB;
    } else if (strcmp(o, "--gradescope") == 0) {
      format = FMT_GRADESCOPE;
      gradescope = v ? v : "results.json";
    } else if (strcmp(o, "--hash") == 0) {
      printf("%016llx\n", (unsigned long long)answer_hash(v));
      return EXIT_OK;
    } else {
      return cli_unknown_option(&it, grade_usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (gradescope && cli_output("grade", gradescope) != EXIT_OK) return EXIT_USAGE;
  ssize_t k = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
  if (k > 0) self_path[k] = '\0';
  else snprintf(self_path, sizeof self_path, "%s", "./lab");  // best effort
  if (class_dir) {
    if (format != FMT_TEXT) return cli_usage_error("grade", "%s", "--class writes its own reports (a gradebook)");
    // A submission that floods: 1 MiB per run, then stopped.
    GradeClass c = {self_path, class_dir, wanted, nwanted, jobs, class_timeout, 1L << 20, class_out};
    return grade_class(&c);
  }

  // Without --dir: examples/exercises here, or next to this executable (so
  // `../../../lab grade` works from inside an exercise folder).
  char beside[4200];
  if (!dir_given && !grade_is_dir(root)) {
    char *slash = strrchr(self_path, '/');
    if (slash) {
      snprintf(beside, sizeof beside, "%.*s/examples/exercises", (int)(slash - self_path), self_path);
      if (grade_is_dir(beside)) root = beside;
    }
  }
  DIR *d = opendir(root);
  if (!d) {
    fprintf(stderr, "lab grade: cannot open %s: %s (run from the lab's folder, or pass --dir)\n", root,
            strerror(errno));
    return EXIT_USAGE;
  }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 256) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    char p[8448];
    snprintf(p, sizeof p, "%s/%s", root, e->d_name);
    if (grade_is_dir(p)) names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp_str);

  const char *todo[256];
  int ntodo = 0;
  int status = EXIT_OK;
  if (nwanted == 0)
    for (int i = 0; i < n; i++) todo[ntodo++] = names[i];
  for (int i = 0; i < nwanted; i++) {
    const char *f = find_exercise(names, n, wanted[i]);
    if (!f) {
      fprintf(stderr, "lab grade: no exercise `%s` in %s%s", wanted[i], root,
              n ? "; there are:" : ": it holds no exercise folders (NN-name)");
      for (int j = 0; j < n; j++) fprintf(stderr, " %s", names[j]);
      fputc('\n', stderr);
      status = EXIT_USAGE;
    } else todo[ntodo++] = f;
  }
  if (status == EXIT_OK && ntodo == 0) {
    fprintf(stderr, "lab grade: no exercises (NN-name folders) in %s\n", root);
    status = EXIT_USAGE;
  }
  int got = 0, max = 0;
  if (status == EXIT_OK) {
    for (int i = 0; i < ntodo; i++)
      if (!grade_one(root, todo[i], verbose, format == FMT_TEXT, lock, &got, &max)) status = EXIT_USAGE;
    if (lock) {
      free_records();
      for (int i = 0; i < n; i++) free(names[i]);
      return status;
    }
    if (format == FMT_TEXT && max > 0) printf("Score: %d/%d\n", got, max);
    if (format == FMT_GRADESCOPE) {
      FILE *f = fopen(gradescope, "w");
      if (!f) {
        fprintf(stderr, "lab grade: cannot write %s: %s\n", gradescope, strerror(errno));
        status = EXIT_USAGE;
      } else {
        report(f, format, got, max);
        if (fclose(f) != 0) status = EXIT_USAGE;
        else printf("wrote %s: %d/%d\n", gradescope, got, max);
      }
    } else {
      report(stdout, format, got, max);
    }
    if (status == EXIT_OK && got < max) status = EXIT_RUNTIME;
  }
  free_records();
  for (int i = 0; i < n; i++) free(names[i]);
  return status;
}
