// errors_doc.c — writes the table of error codes (compiler/front/errors.def) as
// Markdown: docs/errors.md is this function's output, so `lab explain CODE`
// and the docs can never disagree (STYLE: define each table once).
//
// The explanations are plain text whose examples are indented four spaces,
// which Markdown already shows as code blocks; only the headings and the
// index are added here.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "rterror.h"

// True for a compiler code (L0100, E0382); false for a runtime error kind.
static bool is_code(const char *code) { return code[1] >= '0' && code[1] <= '9'; }

static const char *section(const char *code) {
  if (!is_code(code)) return "Runtime errors (both modes)";
  if (code[0] == 'L' && code[1] == '0' && code[2] == '1') return "Syntax errors (every mode)";
  if (code[0] == 'L') return "Lab-only errors of native mode";
  return "Errors of native mode (rustc's codes)";
}

// Which lesson each code belongs to (docs/README.md lists the lessons). The
// borrow checker's codes go to the ownership lesson, `spawn`'s to the GIL
// lesson, the other type errors to the boxing lesson (static types are what
// let native mode unbox), syntax to the tour; runtime errors by kind.
static const struct {
  const char *code, *lesson;
} lessons[] = {
    {"E0106", "ownership"},   {"E0381", "ownership"},   {"E0382", "ownership"},
    {"E0384", "ownership"},   {"E0499", "ownership"},   {"E0502", "ownership"},
    {"E0503", "ownership"},   {"E0505", "ownership"},   {"E0506", "ownership"},
    {"E0507", "ownership"},   {"E0594", "ownership"},   {"E0596", "ownership"},
    {"E0597", "ownership"},   {"E0716", "ownership"},   {"L0001", "ownership"},
    {"L0002", "ownership"},   {"L0004", "ownership"},   {"E0373", "gil"},
    {"L0003", "gil"},         {"TypeError", "boxing"},  {"NameError", "boxing"},
    {"AttributeError", "boxing"}, {"MemoryError", "refcounting"},
    {"OSError", "../tour"},   {"OverflowError", "safety-checks"},
    {"ZeroDivisionError", "safety-checks"}, {"IndexError", "safety-checks"},
    {"KeyError", "safety-checks"}, {"ValueError", "safety-checks"},
    {"AssertionError", "safety-checks"}, {"Panic", "safety-checks"},
    {"RecursionError", "safety-checks"}, {"UnboundLocalError", "ownership"},
};

const char *err_lesson(const char *code) {
  static char path[64];
  const char *name = NULL;
  for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++)
    if (strcasecmp(lessons[i].code, code) == 0) name = lessons[i].lesson;
  if (!name) name = (code[0] == 'L' || code[0] == 'l') && code[2] == '1' ? "../tour" : "boxing";
  if (strncmp(name, "../", 3) == 0) snprintf(path, sizeof path, "docs/%s.md", name + 3);
  else snprintf(path, sizeof path, "docs/lessons/%s.md", name);
  return path;
}

const char *err_unexplained_runtime_error(void) {
  for (int k = 0; k < RT_ERROR_COUNT; k++)
    if (!err_lookup(rt_error_name((RtErrorKind)k))) return rt_error_name((RtErrorKind)k);
  return NULL;
}

void err_write_markdown(FILE *out) {
  int n;
  const ErrorCodeInfo *t = err_table(&n);
  fputs("# Error codes\n\n"
        "Every error the lab reports at compile time, with what it means, a failing\n"
        "program and its fix — the same text as `./lab explain CODE`. This page is\n"
        "generated from `compiler/front/errors.def` (`err_write_markdown` in\n"
        "`compiler/front/errors_doc.c`); edit the table, not this page. The ownership\n"
        "rules behind E0381–E0716 are taught in [ownership.md](ownership.md).\n"
        "The last section explains the runtime errors, by the name both modes\n"
        "print (`./lab explain OverflowError`). Each entry links its lesson\n"
        "([the course](README.md)).\n\n",
        out);
  const char *last = NULL;
  fputs("| code | meaning |\n|---|---|\n", out);
  for (int i = 0; i < n; i++) {
    char anchor[16];  // GitHub's heading anchors are lower case
    size_t k = 0;
    for (; t[i].code[k] && k < sizeof anchor - 1; k++) anchor[k] = (char)(t[i].code[k] | 0x20);
    anchor[k] = '\0';
    fprintf(out, "| [%s](#%s) | %s |\n", t[i].code, anchor, t[i].title);
  }
  for (int i = 0; i < n; i++) {
    const char *s = section(t[i].code);
    if (!last || strcmp(s, last) != 0) fprintf(out, "\n## %s\n", s);
    last = s;
    fprintf(out, "\n### %s\n\n**%s**\n\n", t[i].code, t[i].title);
    // The explanation as is; make sure it ends with one newline.
    const char *e = t[i].explanation;
    size_t len = strlen(e);
    fwrite(e, 1, len, out);
    if (len == 0 || e[len - 1] != '\n') fputc('\n', out);
    const char *lesson = err_lesson(t[i].code) + strlen("docs/");
    fprintf(out, "\nLesson: [%s](%s)\n", lesson, lesson);
  }
}
