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
// DiagSink and keeps going, so a file's errors are shown in the order found —
// the first DIAG_MAX of them: any input, however large or strange (a binary,
// a megabyte of `@`), renders to a bounded text in time linear in its size.
// Each message is cut at DIAG_TEXT_MAX bytes, each source line shown at most
// DIAG_LINE_COLS columns wide, around its carets. The codes and their
// explanations live in compiler/front/errors.def.
#ifndef LAB_DIAG_H
#define LAB_DIAG_H

#include <stdio.h>
#include "source.h"

typedef struct DiagLabel {
  Span span;
  char *msg;        // may be NULL: underline only
  bool primary;     // ^^^ (primary) or --- (secondary)
} DiagLabel;

typedef struct Diag {
  bool warning;     // a warning (rustc's lints): never fails the compile
  const char *code; // "E0382", "L0101", or NULL for a code-less error; a warning's lint name
  char *msg;        // the headline after `error[CODE]: `
  DiagLabel *labels; // labels[0] is the primary span
  int nlabels;
  int more_labels;  // labels past DIAG_LABELS_MAX, not kept
  char **notes;     // rendered as `= note: ...` / `= help: ...` in order
  bool *note_is_help;
  int nnotes;
} Diag;

enum {
  DIAG_MAX = 20,         // diagnostics stored and shown (rustc-style "aborting after")
  DIAG_TEXT_MAX = 400,   // bytes of one message, label or note
  DIAG_LINE_COLS = 200,  // columns of one source line shown
  DIAG_LABELS_MAX = 12,  // labelled spans of one diagnostic
};

typedef struct DiagSink {
  Source *src;
  Diag *diags;  // the first `count` errors (count <= DIAG_MAX)
  int count;
  int cap;
  int total;    // every error reported, shown or not: a phase compares it
                // before and after to learn whether it found errors
  Diag spill;   // what diag_error returns past DIAG_MAX: filled, then dropped
  // Warnings (native mode's lints, compiler/check/lint.c), apart: they are
  // not in `total`, so no phase mistakes one for an error; the first
  // DIAG_MAX are kept. Shown only when show_warnings is set (`lab run`,
  // `check` and `build`, without `--no-warnings`).
  Diag *warns;
  int nwarns, capwarns, total_warns;
  bool show_warnings;
} DiagSink;

void diag_init(DiagSink *s, Source *src);
void diag_free(DiagSink *s);

// Starts an error at `span` (the primary label, with no text yet). Past
// DIAG_MAX errors it is counted in `total` and not kept.
Diag *diag_error(DiagSink *s, const char *code, Span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
// Starts a warning of lint `lint` (e.g. "unused_variables") at span.
Diag *diag_warning(DiagSink *s, const char *lint, Span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
// Whether d (from diag_error on s) will be shown: false past DIAG_MAX, so
// that work done only for its text (a "did you mean" search) can be skipped.
static inline bool diag_shown(const DiagSink *s, const Diag *d) { return d != &s->spill; }
// Text under the primary span's carets.
void diag_primary(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// A secondary span with its label, underlined with `-`.
void diag_label(Diag *d, Span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_help(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_note(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Renders every diagnostic, then `error: could not compile `FILE` due to N
// previous errors` (rustc's closing line). `color` adds ANSI colours.
void diag_render(DiagSink *s, FILE *out, bool color);
// The warnings alone, with their count (for a program without errors);
// nothing unless s->show_warnings.
void diag_render_warnings(DiagSink *s, FILE *dest, bool color);

#endif
