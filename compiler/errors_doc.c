// errors_doc.c — writes the table of error codes (compiler/errors.def) as
// Markdown: docs/errors.md is this function's output, so `lab explain CODE`
// and the docs can never disagree (STYLE: define each table once).
//
// The explanations are plain text whose examples are indented four spaces,
// which Markdown already shows as code blocks; only the headings and the
// index are added here.
#include <stdio.h>
#include <string.h>

#include "errors.h"

static const char *section(const char *code) {
  if (code[0] == 'L' && code[1] == '0' && code[2] == '1') return "Syntax errors (every mode)";
  if (code[0] == 'L') return "Lab-only errors of native mode";
  return "Errors of native mode (rustc's codes)";
}

void err_write_markdown(FILE *out) {
  int n;
  const ErrorCodeInfo *t = err_table(&n);
  fputs("# Error codes\n\n"
        "Every error the lab reports at compile time, with what it means, a failing\n"
        "program and its fix — the same text as `./lab explain CODE`. This page is\n"
        "generated from `compiler/errors.def` (`err_write_markdown` in\n"
        "`compiler/errors_doc.c`); edit the table, not this page. The ownership\n"
        "rules behind E0381–E0716 are taught in [ownership.md](ownership.md).\n\n",
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
  }
}
