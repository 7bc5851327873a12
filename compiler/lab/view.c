// view.c — `lab view FILE [-o OUT.html] [--mode=interp|native|both] [-n RUNS]
// [-- ARGS…]`: one self-contained HTML page with the two models side by side
// (docs/view.md).
//
// The page is compiler/lab/view/view.html with its CSS and JavaScript
// inlined (all three carried inside ./lab: build/gen/view_embed.c) and one
// JSON object, the data, that its script renders: the source; the bytecode
// listing with costs (`lab dis --costs`); the generated C (`lab emit-c`) or
// the checker's diagnostics with `lab explain`'s text for each code; the
// per-line costs and the collector's timeline (`lab profile --json`); the
// `lab compare --json` figures; and the steps of `lab trace --json` for the
// stepper. Nothing in the page refers to anything
// outside it: no network request, no font, works from file://.
//
// The compile-time parts are made here, in-process; the runs are children
// of this very executable (`profile`, `compare`), as `lab compare` does.
#include "view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "borrowck.h"
#include "cgen.h"
#include "check.h"
#include "cli.h"
#include "code.h"
#include "compile.h"
#include "errors.h"
#include "json.h"
#include "load.h"
#include "proc.h"
#include "rterror.h"
#include "trace.h"
#include "vm.h"
#include "xalloc.h"

static const char usage[] =
    "usage: lab view FILE [-o OUT.html] [--mode=interp|native|both] [-n RUNS] [--time-limit SECS]\n"
    "                [-- ARGS...]\n"
    "\n"
    "Writes one HTML page that puts the two models side by side (docs/view.md):\n"
    "the source, the interp bytecode with what each instruction costs, and the\n"
    "generated C with its drops and checks; selecting a line highlights the\n"
    "matching bytecode and C in one colour. Each source line carries both\n"
    "modes' costs from `lab profile` as a heat gutter; the page also has the\n"
    "`lab compare` table, bar charts of time and memory, and a timeline of the\n"
    "run with each cycle collection. For a program native mode rejects, the\n"
    "page shows each diagnostic on its lines, with `lab explain`'s text, beside\n"
    "what interp does with the program.\n"
    "\n"
    "The page is self-contained (inline CSS, JavaScript and SVG): it makes no\n"
    "network request and works offline, from file://.\n"
    "\n"
    "  -o OUT.html   where to write it (default: FILE with .toy replaced by .html,\n"
    "                beside it); the path is printed\n"
    "  --mode=M      interp, native or both (default both)\n"
    "  -n RUNS       timed runs per mode for the compare table (default 3)\n"
    "  --time-limit SECS  stop a run of the program that takes longer (default 60;\n"
    "                0: no limit): the page then says so\n"
    "  -- ARGS       arguments for the program\n"
    "\n"
    PROC_STDIN_HELP("view");

// The stepper's trace (`lab trace`): steps, and heap objects per step.
#define VIEW_TRACE_STEPS "150"
#define VIEW_TRACE_OBJECTS "16"

// The page's files (build/gen/view_embed.c).
static const char *asset(const char *name, long *len) {
  for (int i = 0; i < lab_view_count; i++)
    if (lab_view_files[i].name && strcmp(lab_view_files[i].name, name) == 0) {
      *len = lab_view_files[i].len;
      return lab_view_files[i].data;
    }
  *len = 0;
  return "";
}

// --time-limit, passed on to `lab profile`, `lab compare` and (at most
// its own default) `lab trace`.
static int time_limit = PROC_LAB_TIMEOUT_S;

// A child `lab ARGS…` (this executable); its stdout, or NULL with why.
static char *run_lab(const char **args, int nargs, char **prog_args, int nprog, char *why, size_t cap) {
  Proc p;
  bool ok = proc_run_lab(args, nargs, prog_args, nprog, NULL, 0, &p);
  char *out = NULL;
  if (!ok) snprintf(why, cap, "%s", p.err);
  else if (p.status != 0 || p.out_len == 0 || p.out[0] != '{') {
    // The child's last words (its stderr's last line) say why.
    size_t start, end = proc_last_line(p.err, p.err_len, &start);
    snprintf(why, cap, "`lab %s` exited %d: %.*s", args[0], p.status, (int)(end - start), p.err + start);
  } else {
    out = p.out;
    p.out = NULL;
  }
  proc_free(&p);
  return out;
}

// Text into a memory buffer (open_memstream), for the listings.
typedef struct Mem {
  char *data;
  size_t len;
  FILE *f;
} Mem;

static void json_key_str(FILE *out, const char *key, const char *s) {
  fprintf(out, ",\n \"%s\": ", key);
  if (s) json_write_str(out, s);
  else fputs("null", out);
}

static void json_key_raw(FILE *out, const char *key, const char *json) {
  fprintf(out, ",\n \"%s\": %s", key, json ? json : "null");
}

// `lab explain`'s text for each code the diagnostics name, once each.
static void json_explain(FILE *out, const DiagSink *sinks[], int nsinks) {
  const char *seen[2 * DIAG_MAX];
  int n = 0;
  fputs(",\n \"explain\": {", out);
  for (int s = 0; s < nsinks; s++)
    for (int i = 0; i < sinks[s]->count; i++) {
      const char *code = sinks[s]->diags[i].code;
      const ErrorCodeInfo *e = code ? err_lookup(code) : NULL;
      bool dup = false;
      for (int k = 0; k < n && !dup; k++) dup = strcmp(seen[k], code) == 0;
      if (!e || dup || n == (int)(sizeof seen / sizeof seen[0])) continue;
      fprintf(out, "%s\n  ", n ? "," : "");
      seen[n++] = code;
      json_write_str(out, code);
      fputs(": {\"title\": ", out);
      json_write_str(out, e->title);
      fputs(", \"text\": ", out);
      json_write_str(out, e->explanation);
      fputs(", \"lesson\": ", out);
      json_write_str(out, err_lesson(code));
      fputc('}', out);
    }
  fputs("}", out);
}

// Writes the page: view.html with its three placeholders filled, the data's
// `<` written as \u003c so that nothing in it can end the <script> element.
static bool write_page(const char *path, const char *title, const char *data, size_t data_len) {
  long hl, cl, jl;
  const char *html = asset("view.html", &hl), *css = asset("view.css", &cl), *js = asset("view.js", &jl);
  FILE *f = fopen(path, "w");
  if (!f) return false;
  const char *p = html, *end = html + hl;
  while (p < end) {
    const char *at = memchr(p, '@', (size_t)(end - p));
    if (!at) at = end;
    fwrite(p, 1, (size_t)(at - p), f);
    if (at == end) break;
    if (end - at >= 7 && memcmp(at, "@@CSS@@", 7) == 0) {
      fwrite(css, 1, (size_t)cl, f);
      p = at + 7;
    } else if (end - at >= 6 && memcmp(at, "@@JS@@", 6) == 0) {
      fwrite(js, 1, (size_t)jl, f);
      p = at + 6;
    } else if (end - at >= 8 && memcmp(at, "@@DATA@@", 8) == 0) {
      for (size_t i = 0; i < data_len; i++) {
        if (data[i] == '<') fputs("\\u003c", f);
        else fputc(data[i], f);
      }
      p = at + 8;
    } else if (end - at >= 9 && memcmp(at, "@@TITLE@@", 9) == 0) {
      for (const char *t = title; *t; t++) {
        if (*t == '<') fputs("&lt;", f);
        else if (*t == '&') fputs("&amp;", f);
        else fputc(*t, f);
      }
      p = at + 9;
    } else {
      fputc('@', f);
      p = at + 1;
    }
  }
  return fclose(f) == 0;
}

static char *default_out(const char *file) {
  size_t n = strlen(file);
  char *out = rt_xmalloc(n + 6);
  if (n > 4 && strcmp(file + n - 4, ".toy") == 0) n -= 4;
  memcpy(out, file, n);
  strcpy(out + n, ".html");
  return out;
}

int cmd_view(int argc, char **argv) {
  if (cli_want_help(argc, argv)) {
    fputs(usage, stdout);
    return EXIT_OK;
  }
  static const char *const valued[] = {"-o", "--mode", "-n", "--time-limit", NULL};
  CliIter it = cli_iter(argc, argv, "view", valued);
  const char *o, *v, *file = NULL, *out = NULL, *mode = "both", *runs = "3";
  while (cli_next(&it, &o, &v)) {
    if (!o) {
      if (file) return cli_usage_error("view", "`lab view` takes one FILE (program arguments go after `--`), not `%s`", v);
      file = v;
    } else if (strcmp(o, "-o") == 0) {
      out = v;
    } else if (strcmp(o, "--mode") == 0) {
      if (cli_mode3("view", v) != EXIT_OK) return EXIT_USAGE;
      mode = v;
    } else if (strcmp(o, "-n") == 0) {
      int n;
      if (cli_int("view", "-n", v, 1, 1000, &n) != EXIT_OK) return EXIT_USAGE;
      runs = v;
    } else if (strcmp(o, "--time-limit") == 0) {
      if (cli_int("view", "--time-limit", v, 0, 86400, &time_limit) != EXIT_OK) return EXIT_USAGE;
    } else {
      return cli_unknown_option(&it, usage);
    }
  }
  if (it.status != EXIT_OK) return it.status;
  if (!file) return cli_usage_error("view", "%s", "`lab view` needs a FILE");
  char limit[16], trace_limit[16];
  snprintf(limit, sizeof limit, "%d", time_limit);
  snprintf(trace_limit, sizeof trace_limit, "%d",
           time_limit > 0 && time_limit < TRACE_NATIVE_LIMIT_S ? time_limit : time_limit ? TRACE_NATIVE_LIMIT_S : 0);
  int nargs = argc - it.rest;
  char **args = argv + it.rest;
  bool want_interp = strcmp(mode, "native") != 0, want_native = strcmp(mode, "interp") != 0;

  Loaded ld;
  int status = load(file, &ld);
  if (status == EXIT_USAGE) {
    unload(&ld);
    return status;
  }
  char *path = out ? rt_xstrdup(out) : default_out(file);
  if (cli_output("view", path) != EXIT_OK) {
    if (!out) fprintf(stderr, "  (`-o OUT.html` writes the page elsewhere)\n");
    free(path);
    unload(&ld);
    return EXIT_USAGE;
  }
  bool parsed = status == EXIT_OK;

  // The bytecode listing with costs, before the checker annotates the tree.
  Mem dis = {0};
  if (parsed && want_interp) {
    vm_setup(&VM_OPTIONS_DEFAULT);
    int before = ld.sink.total;
    BcProgram *bc = bc_compile(ld.prog, &ld.sink);
    if (bc && ld.sink.total == before && (dis.f = open_memstream(&dis.data, &dis.len))) {
      bc_disassemble(bc, dis.f, NULL, true);
      fclose(dis.f);
    }
    if (bc) bc_program_free(bc);
  }
  // Native's checks, and the C when they pass.
  DiagSink checks;
  diag_init(&checks, ld.src);
  bool accepted = false;
  char *c_text = NULL;
  if (parsed && want_native) {
    accepted = ck_check(ld.prog, &checks) && bk_check(ld.prog, &checks);
    if (accepted) {
      CgOptions co = {.recursion_limit = RT_DEFAULT_RECURSION_LIMIT};
      c_text = cg_generate(ld.prog, &co);
    }
  }

  // The runs: per-line costs, then the compare figures.
  char profile_why[600] = "", compare_why[600] = "", trace_why[600] = "";
  char *profile = NULL, *compare = NULL, *trace = NULL;
  if (parsed && (want_interp || accepted)) {
    char m[32];
    snprintf(m, sizeof m, "--mode=%s", !accepted ? "interp" : mode);
    const char *pa[] = {"profile", "--json", m, "--time-limit", limit, file};
    profile = run_lab(pa, 6, args, nargs, profile_why, sizeof profile_why);
  }
  if (parsed) {  // the stepper's steps: a few hundred, small heaps, to keep the page small
    char m[32];
    snprintf(m, sizeof m, "--mode=%s", mode);
    const char *ta[] = {"trace", "--json", m, "--max-steps", VIEW_TRACE_STEPS, "--max-objects", VIEW_TRACE_OBJECTS,
                        "--time-limit", trace_limit, file};
    trace = run_lab(ta, 10, args, nargs, trace_why, sizeof trace_why);
  }
  // Hybrid mode's costs at each call of a #[native] function (docs/hybrid.md).
  bool has_native = false;
  for (int i = 0; parsed && i < ld.prog->nitems; i++)
    has_native |= ld.prog->items[i]->kind == IT_FN && ld.prog->items[i]->fn.native;
  char *profile_hybrid = NULL, hybrid_why[600] = "";
  if (parsed && accepted && want_interp && has_native) {
    const char *ha[] = {"profile", "--json", "--mode=hybrid", "--time-limit", limit, file};
    profile_hybrid = run_lab(ha, 6, args, nargs, hybrid_why, sizeof hybrid_why);
  }
  if (parsed && accepted && want_interp && !profile) {
    // What stopped `lab profile` (a run past the time limit, say) would stop it too.
    snprintf(compare_why, sizeof compare_why, "not run, as `lab profile` could not run the program");
  } else if (parsed && accepted && want_interp) {
    const char *ca[] = {"compare", "--json", "-n", (char *)runs, "--time-limit", limit, file};
    compare = run_lab(ca, 7, args, nargs, compare_why, sizeof compare_why);
  } else if (parsed && want_interp && want_native) {
    snprintf(compare_why, sizeof compare_why, "native mode rejects the program: only interp can run it");
  }

  // The data, then the page.
  Mem data = {0};
  data.f = open_memstream(&data.data, &data.len);
  if (!data.f) {
    fprintf(stderr, "lab view: out of memory\n");
    status = EXIT_RUNTIME;
    goto done;
  }
  fputs("{\"format\": 1", data.f);
  json_key_str(data.f, "lab", LAB_VERSION);
  json_key_str(data.f, "file", file);
  json_key_str(data.f, "mode", mode);
  fputs(",\n \"args\": [", data.f);
  for (int i = 0; i < nargs; i++) {
    if (i) fputs(", ", data.f);
    json_write_str(data.f, args[i]);
  }
  fputs("]", data.f);
  json_key_str(data.f, "source", ld.src->text);
  fprintf(data.f, ",\n \"parsed\": %s, \"checked\": %s, \"accepted\": %s", parsed ? "true" : "false",
          parsed && want_native ? "true" : "false", accepted ? "true" : "false");
  json_key_str(data.f, "dis", dis.data);
  json_key_str(data.f, "c", c_text);
  // Syntax errors (both modes) and interp's own compile errors, then native's.
  fputs(",\n \"syntax_diagnostics\": ", data.f);
  json_write_diags(data.f, &ld.sink);
  fputs(",\n \"diagnostics\": ", data.f);
  json_write_diags(data.f, &checks);
  const DiagSink *sinks[] = {&ld.sink, &checks};
  json_explain(data.f, sinks, 2);
  json_key_raw(data.f, "profile", profile);
  json_key_str(data.f, "profile_error", profile ? NULL : profile_why[0] ? profile_why : NULL);
  json_key_raw(data.f, "profile_hybrid", profile_hybrid);
  json_key_str(data.f, "profile_hybrid_error", profile_hybrid ? NULL : hybrid_why[0] ? hybrid_why : NULL);
  json_key_raw(data.f, "trace", trace);
  json_key_str(data.f, "trace_error", trace ? NULL : trace_why[0] ? trace_why : NULL);
  json_key_raw(data.f, "compare", compare);
  json_key_str(data.f, "compare_error", compare ? NULL : compare_why[0] ? compare_why : NULL);
  fputs("\n}\n", data.f);
  fclose(data.f);

  char title[600];
  snprintf(title, sizeof title, "lab view: %s", file);
  if (!write_page(path, title, data.data, data.len)) {
    fprintf(stderr, "lab view: cannot write %s: %s\n", path, strerror(errno));
    status = EXIT_USAGE;
  } else {
    printf("%s\n", path);
    if (!parsed) fprintf(stderr, "lab view: %s does not parse; the page shows why\n", file);
    else if (want_native && !accepted) fprintf(stderr, "lab view: native mode rejects %s; the page shows why, beside interp's run\n", file);
    if (profile_why[0]) fprintf(stderr, "lab view: no per-line costs: %s\n", profile_why);
    status = EXIT_OK;
  }
  free(data.data);
done:
  free(path);
  free(dis.data);
  free(c_text);
  free(profile);
  free(profile_hybrid);
  free(compare);
  free(trace);
  diag_free(&checks);
  unload(&ld);
  if (parsed && want_interp) obj_finish();
  return status;
}
