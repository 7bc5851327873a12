// errors.h — the table of compiler error codes (compiler/front/errors.def) and its
// look-up, used by `lab explain CODE` and by tests that name codes.
#ifndef LAB_ERRORS_H
#define LAB_ERRORS_H

typedef struct ErrorCodeInfo {
  const char *code;         // "L0100"
  const char *title;        // one line: "unexpected token"
  const char *explanation;  // several lines, with a failing example and its fix
} ErrorCodeInfo;

// The entry for `code` (case-insensitive: "l0100" works), or NULL.
const ErrorCodeInfo *err_lookup(const char *code);
// Every entry, in the order of errors.def; *count receives their number.
const ErrorCodeInfo *err_table(int *count);
// The lesson in docs/ that teaches what `code` is about, as a path from the
// repository root ("docs/lessons/ownership.md"; compiler/front/errors_doc.c).
const char *err_lesson(const char *code);
// The name of a runtime error kind (runtime/rterror.h) that has no entry in
// the table, or NULL when every kind is explained.
const char *err_unexplained_runtime_error(void);
// Writes the whole table as Markdown (docs/errors.md; compiler/front/errors_doc.c).
#include <stdio.h>
void err_write_markdown(FILE *out);

#endif
