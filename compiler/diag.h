// diag.h — compiler diagnostics rendered the way rustc renders them (SPEC §7).
//
//   error[E0382]: use of moved value: `s1`
//    --> examples/errors/moved.toy:4:11
//     |
//   3 |     let s2 = s1;
//     |              -- value moved here
//   4 |     print(s1);
//     |           ^^ value used here after move
//     |
//     = help: to keep both, clone it: `s1.clone()`
//
// Every phase (lexer, parser, type checker, borrow checker) reports into one
// DiagSink and keeps going, so a file's every error is shown, in the order
// found. The codes and their explanations live in compiler/errors.def.
#ifndef LAB_DIAG_H
#define LAB_DIAG_H

#include <stdio.h>
#include "ast.h"

typedef struct DiagLabel {
  Span span;
  char *msg;        // may be NULL: underline only
  bool primary;     // ^^^ (primary) or --- (secondary)
} DiagLabel;

typedef struct Diag {
  const char *code; // "E0382", "L0101", or NULL for a code-less error
  char *msg;        // the headline after `error[CODE]: `
  DiagLabel *labels; // labels[0] is the primary span
  int nlabels;
  char **notes;     // rendered as `= note: ...` / `= help: ...` in order
  bool *note_is_help;
  int nnotes;
} Diag;

typedef struct DiagSink {
  Source *src;
  Diag *diags;
  int count;
  int cap;
} DiagSink;

void diag_init(DiagSink *s, Source *src);
void diag_free(DiagSink *s);

// Starts an error at `span` (the primary label, with no text yet).
Diag *diag_error(DiagSink *s, const char *code, Span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
// Text under the primary span's carets.
void diag_primary(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// A secondary span with its label, underlined with `-`.
void diag_label(Diag *d, Span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_help(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_note(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Renders every diagnostic, then `error: could not compile `FILE` due to N
// previous errors` (rustc's closing line). `color` adds ANSI colours.
void diag_render(DiagSink *s, FILE *out, bool color);

#endif
