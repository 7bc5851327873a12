// diag.c — the diagnostics sink and its rustc-style renderer (see diag.h),
// plus the look-up into the error-code table of compiler/front/errors.def.
//
// Rendering follows rustc's layout:
//   * header `error[CODE]: message`, then ` --> path:line:col` of the primary
//     span, then the gutter `  |`;
//   * each source line that carries a label, in line order, with the labels
//     underlined below it: `^^^` for the primary span, `---` for secondary
//     ones. The rightmost label's text follows its underline; the others hang
//     below, joined to their underline by `|` (as rustc draws them);
//   * `= help:` / `= note:` lines, then a blank line.
// Display columns: a tab is 4 columns, a UTF-8 character one column, and a
// byte that is not valid UTF-8 (or a control character) prints as U+FFFD, so
// the output is always valid UTF-8 whatever the source holds.
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "errors.h"
#include "format.h"
#include "xalloc.h"

// The formatted text, cut at DIAG_TEXT_MAX bytes (on a UTF-8 character
// boundary, ending in `…`): messages quote the program's names and text,
// which can be a megabyte long.
static char *vformat(const char *fmt, va_list ap) {
  char *s = rt_xrealloc(NULL, DIAG_TEXT_MAX + 1);
  int n = vsnprintf(s, DIAG_TEXT_MAX + 1, fmt, ap);
  if (n > DIAG_TEXT_MAX) {
    memcpy(s + rt_utf8_floor(s, DIAG_TEXT_MAX - 3), "\xe2\x80\xa6", 4);  // U+2026, with the NUL
  }
  return s;
}

// ---- the sink ----------------------------------------------------------------

void diag_init(DiagSink *s, Source *src) {
  memset(s, 0, sizeof *s);
  s->src = src;
}

static void free_diag(Diag *d) {
  free(d->msg);
  for (int j = 0; j < d->nlabels; j++) free(d->labels[j].msg);
  free(d->labels);
  for (int j = 0; j < d->nnotes; j++) free(d->notes[j]);
  free(d->notes);
  free(d->note_is_help);
  memset(d, 0, sizeof *d);
}

void diag_free(DiagSink *s) {
  for (int i = 0; i < s->count; i++) free_diag(&s->diags[i]);
  for (int i = 0; i < s->nwarns; i++) free_diag(&s->warns[i]);
  free_diag(&s->spill);
  free(s->diags);
  free(s->warns);
  s->diags = s->warns = NULL;
  s->count = s->cap = s->total = 0;
  s->nwarns = s->capwarns = s->total_warns = 0;
}

// A new diagnostic in list (*v, *n, *cap), or the spill past DIAG_MAX.
static Diag *new_diag(DiagSink *s, Diag **v, int *n, int *cap, const char *code, Span span, const char *fmt,
                      va_list ap) {
  Diag *d = &s->spill;
  if (*n < DIAG_MAX) {
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 8;
      *v = rt_xrealloc(*v, (size_t)*cap * sizeof(Diag));
    }
    d = &(*v)[(*n)++];
  } else {
    free_diag(d);
  }
  memset(d, 0, sizeof *d);
  d->code = code;
  d->msg = vformat(fmt, ap);
  d->labels = rt_xrealloc(NULL, sizeof(DiagLabel));
  d->labels[0] = (DiagLabel){span, NULL, true};
  d->nlabels = 1;
  return d;
}

Diag *diag_error(DiagSink *s, const char *code, Span span, const char *fmt, ...) {
  s->total++;
  va_list ap;
  va_start(ap, fmt);
  Diag *d = new_diag(s, &s->diags, &s->count, &s->cap, code, span, fmt, ap);
  va_end(ap);
  return d;
}

Diag *diag_warning(DiagSink *s, const char *lint, Span span, const char *fmt, ...) {
  s->total_warns++;
  va_list ap;
  va_start(ap, fmt);
  Diag *d = new_diag(s, &s->warns, &s->nwarns, &s->capwarns, lint, span, fmt, ap);
  va_end(ap);
  d->warning = true;
  return d;
}

void diag_primary(Diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  free(d->labels[0].msg);
  d->labels[0].msg = vformat(fmt, ap);
  va_end(ap);
}

void diag_label(Diag *d, Span span, const char *fmt, ...) {
  if (d->nlabels >= DIAG_LABELS_MAX) {
    d->more_labels++;
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  d->labels = rt_xrealloc(d->labels, (size_t)(d->nlabels + 1) * sizeof(DiagLabel));
  d->labels[d->nlabels++] = (DiagLabel){span, vformat(fmt, ap), false};
  va_end(ap);
}

static void add_note(Diag *d, bool help, const char *fmt, va_list ap) {
  d->notes = rt_xrealloc(d->notes, (size_t)(d->nnotes + 1) * sizeof(char *));
  d->note_is_help = rt_xrealloc(d->note_is_help, (size_t)(d->nnotes + 1) * sizeof(bool));
  d->notes[d->nnotes] = vformat(fmt, ap);
  d->note_is_help[d->nnotes] = help;
  d->nnotes++;
}

void diag_help(Diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_note(d, true, fmt, ap);
  va_end(ap);
}

void diag_note(Diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  add_note(d, false, fmt, ap);
  va_end(ap);
}

// ---- colours -------------------------------------------------------------------

#define C_RED "\033[1;31m"
#define C_BLUE "\033[1;34m"
#define C_YELLOW "\033[1;33m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

typedef struct Out {
  FILE *f;
  bool color;
} Out;

static void paint(Out *o, const char *color) {
  if (o->color) fputs(color, o->f);
}

// ---- source lines ----------------------------------------------------------------

typedef struct Line {
  int start, end;  // byte offsets: [start, end) excludes the newline (and a CR before it)
} Line;

static Line line_at(Source *src, int off) {
  int len = (int)src->len;
  if (off > len) off = len;
  if (off < 0) off = 0;
  int s = off;
  while (s > 0 && src->text[s - 1] != '\n') s--;
  int e = off;
  while (e < len && src->text[e] != '\n') e++;
  if (e > s && src->text[e - 1] == '\r') e--;
  return (Line){s, e};
}

// The display column (0-based) of byte offset `off` within line `ln`.
static int display_col(Source *src, Line ln, int off) {
  const unsigned char *t = (const unsigned char *)src->text;
  int col = 0;
  for (int i = ln.start; i < off && i < ln.end;) {
    if (t[i] == '\t') {
      col += 4;
      i++;
      continue;
    }
    int n = (int)rt_utf8_len(t + i, (size_t)(ln.end - i));
    col++;
    i += n ? n : 1;
  }
  if (off > ln.end) col += off - ln.end;  // past the end (EOF after a CR): one column each
  return col;
}

// The columns [w0, w1) of a line, as display text.
static void print_line_text(Out *o, Source *src, Line ln, int w0, int w1) {
  const unsigned char *t = (const unsigned char *)src->text;
  int col = 0;
  for (int i = ln.start; i < ln.end && col < w1;) {
    unsigned c = t[i];
    if (c == '\t') {
      for (int k = 0; k < 4; k++, col++)
        if (col >= w0 && col < w1) fputc(' ', o->f);
      i++;
      continue;
    }
    int n = (int)rt_utf8_len(t + i, (size_t)(ln.end - i));
    if (col >= w0) {
      if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f))) fputs("\xef\xbf\xbd", o->f);  // U+FFFD
      else fwrite(t + i, 1, (size_t)n, o->f);
    }
    col++;
    i += n ? n : 1;
  }
}

// ---- rendering ---------------------------------------------------------------------

static int digits(int n) {
  int d = 1;
  while (n >= 10) n /= 10, d++;
  return d;
}

static void gutter(Out *o, int width, int lineno) {
  paint(o, C_BLUE);
  if (lineno > 0) fprintf(o->f, "%-*d |", width, lineno);
  else fprintf(o->f, "%*s |", width, "");
  paint(o, C_RESET);
}

typedef struct Mark {
  int c0, c1;        // display columns [c0, c1) of the underline
  const DiagLabel *label;
} Mark;

static int cmp_mark(const void *a, const void *b) {
  const Mark *x = a, *y = b;
  if (x->c0 != y->c0) return x->c0 < y->c0 ? -1 : 1;
  return (int)y->label->primary - (int)x->label->primary;
}

static void spaces(Out *o, int n) {
  for (int i = 0; i < n; i++) fputc(' ', o->f);
}

// One source line with the labels that start on it.
static void render_line(Out *o, Source *src, const Diag *d, int lineno, int width) {
  Line ln = {0, 0};
  Mark *marks = rt_xrealloc(NULL, (size_t)d->nlabels * sizeof(Mark));
  int nm = 0;
  for (int i = 0; i < d->nlabels; i++) {
    const DiagLabel *l = &d->labels[i];
    if (l->span.line != lineno) continue;
    ln = line_at(src, l->span.off);
    int end = l->span.off + (l->span.len > 0 ? l->span.len : 0);
    if (end > ln.end && l->span.off <= ln.end) end = ln.end;  // multi-line: first line only
    int c0 = display_col(src, ln, l->span.off);
    int c1 = display_col(src, ln, end);
    if (c1 <= c0) c1 = c0 + 1;
    marks[nm++] = (Mark){c0, c1, l};
  }
  qsort(marks, (size_t)nm, sizeof(Mark), cmp_mark);

  // A line wider than DIAG_LINE_COLS is shown cut to a window around the
  // primary label (or the first), `...` marking each cut; the labels move
  // with the window, and one outside it is drawn at its nearer edge.
  int wide = display_col(src, ln, ln.end), w0 = 0, w1 = wide;
  if (wide > DIAG_LINE_COLS) {
    int anchor = nm ? marks[0].c0 : 0;
    for (int i = 0; i < nm; i++)
      if (marks[i].label->primary) anchor = marks[i].c0;
    w0 = anchor - DIAG_LINE_COLS / 3;
    if (w0 > wide - DIAG_LINE_COLS) w0 = wide - DIAG_LINE_COLS;
    if (w0 < 0) w0 = 0;
    w1 = w0 + DIAG_LINE_COLS;
    int shift = w0 - (w0 > 0 ? 3 : 0);  // the leading `...` takes 3 columns
    for (int i = 0; i < nm; i++) {
      Mark *m = &marks[i];
      m->c0 = m->c0 < w0 ? w0 : m->c0 >= w1 ? w1 - 1 : m->c0;
      m->c1 = m->c1 > w1 ? w1 : m->c1 <= m->c0 ? m->c0 + 1 : m->c1;
      m->c0 -= shift;
      m->c1 -= shift;
    }
  }

  gutter(o, width, lineno);
  if (ln.end > ln.start) fputc(' ', o->f);
  if (w0 > 0) fputs("...", o->f);
  print_line_text(o, src, ln, w0, w1);
  if (w1 < wide) fputs("...", o->f);
  fputc('\n', o->f);

  // The underline row: draw secondaries first, so a primary wins overlaps.
  int maxc = 0;
  for (int i = 0; i < nm; i++)
    if (marks[i].c1 > maxc) maxc = marks[i].c1;
  char *row = rt_xrealloc(NULL, (size_t)maxc + 1);
  memset(row, ' ', (size_t)maxc);
  row[maxc] = '\0';
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < nm; i++)
      if ((int)marks[i].label->primary == pass)
        memset(row + marks[i].c0, pass ? '^' : '-', (size_t)(marks[i].c1 - marks[i].c0));
  gutter(o, width, 0);
  fputc(' ', o->f);
  for (int i = 0; i < maxc; i++) {
    if (row[i] != ' ' && (i == 0 || row[i - 1] != row[i])) paint(o, row[i] == '^' ? C_RED : C_BLUE);
    fputc(row[i], o->f);
    if (row[i] != ' ' && (i + 1 == maxc || row[i + 1] != row[i])) paint(o, C_RESET);
  }
  // The rightmost label's text goes inline.
  const Mark *last = nm ? &marks[nm - 1] : NULL;
  if (last && last->label->msg && last->label->msg[0]) {
    paint(o, last->label->primary ? C_RED : C_BLUE);
    fprintf(o->f, " %s", last->label->msg);
    paint(o, C_RESET);
  }
  fputc('\n', o->f);

  // The others hang below their underline, rightmost first.
  int nh = 0;
  for (int i = 0; i + 1 < nm; i++)
    if (marks[i].label->msg && marks[i].label->msg[0]) marks[nh++] = marks[i];
  if (nh > 0) {
    for (int k = nh; k >= 0; k--) {
      // k == nh: the connector row with a `|` for every hanging label;
      // otherwise: `|` for labels 0..k-1, and label k's text.
      gutter(o, width, 0);
      fputc(' ', o->f);
      int col = 0;
      int bars = k == nh ? nh : k;
      for (int i = 0; i < bars; i++) {
        spaces(o, marks[i].c0 - col);
        paint(o, marks[i].label->primary ? C_RED : C_BLUE);
        fputc('|', o->f);
        paint(o, C_RESET);
        col = marks[i].c0 + 1;
      }
      if (k < nh) {
        spaces(o, marks[k].c0 - col);
        paint(o, marks[k].label->primary ? C_RED : C_BLUE);
        fputs(marks[k].label->msg, o->f);
        paint(o, C_RESET);
      }
      fputc('\n', o->f);
    }
  }
  free(row);
  free(marks);
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static void render_one(Out *o, Source *src, const Diag *d) {
  // Header.
  paint(o, d->warning ? C_YELLOW : C_RED);
  if (d->warning) fputs("warning", o->f);
  else if (d->code) fprintf(o->f, "error[%s]", d->code);
  else fputs("error", o->f);
  paint(o, C_RESET);
  paint(o, C_BOLD);
  fprintf(o->f, ": %s", d->msg);
  paint(o, C_RESET);
  fputc('\n', o->f);

  // The distinct lines that carry labels, in order.
  int *lines = rt_xrealloc(NULL, (size_t)d->nlabels * sizeof(int));
  int nl = 0;
  for (int i = 0; i < d->nlabels; i++) lines[nl++] = d->labels[i].span.line;
  qsort(lines, (size_t)nl, sizeof(int), cmp_int);
  int uniq = 0;
  for (int i = 0; i < nl; i++)
    if (uniq == 0 || lines[uniq - 1] != lines[i]) lines[uniq++] = lines[i];
  int width = digits(uniq ? lines[uniq - 1] : 1);

  const Span *ps = &d->labels[0].span;
  spaces(o, width);
  paint(o, C_BLUE);
  fputs("--> ", o->f);
  paint(o, C_RESET);
  fprintf(o->f, "%s:%d:%d\n", src->path, ps->line, ps->col);
  gutter(o, width, 0);
  fputc('\n', o->f);
  for (int i = 0; i < uniq; i++) render_line(o, src, d, lines[i], width);
  if (d->more_labels) {
    gutter(o, width, 0);
    fprintf(o->f, " ... and %d more like %s\n", d->more_labels, d->more_labels == 1 ? "it" : "them");
  }
  if (d->nnotes) {
    gutter(o, width, 0);
    fputc('\n', o->f);
  }
  for (int i = 0; i < d->nnotes; i++) {
    spaces(o, width + 1);
    paint(o, C_BLUE);
    fputc('=', o->f);
    paint(o, C_RESET);
    paint(o, C_BOLD);
    fputs(d->note_is_help[i] ? " help" : " note", o->f);
    paint(o, C_RESET);
    fprintf(o->f, ": %s\n", d->notes[i]);
  }
  fputc('\n', o->f);
  free(lines);
}

// The warnings, then "`FILE` generated N warnings".
static void render_warnings(DiagSink *s, Out *o) {
  if (!s->show_warnings || s->total_warns == 0) return;
  for (int i = 0; i < s->nwarns; i++) render_one(o, s->src, &s->warns[i]);
  paint(o, C_YELLOW);
  fputs("warning", o->f);
  paint(o, C_RESET);
  paint(o, C_BOLD);
  fprintf(o->f, ": `%s` generated %d warning%s", s->src->path, s->total_warns, s->total_warns == 1 ? "" : "s");
  if (s->total_warns > s->nwarns) fprintf(o->f, " (%d not shown)", s->total_warns - s->nwarns);
  fputs(" (`--no-warnings` hides them)", o->f);
  paint(o, C_RESET);
  fputc('\n', o->f);
}

void diag_render_warnings(DiagSink *s, FILE *dest, bool color) {
  Out o = {dest, color};
  render_warnings(s, &o);
}

void diag_render(DiagSink *s, FILE *dest, bool color) {
  if (s->count == 0) return;
  // stderr is unbuffered: rendered straight into it, every character would
  // be a write() (seconds for a few hundred errors on long lines, found by
  // fuzzing). The text is built in memory and written at once.
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  FILE *out = mem ? mem : dest;
  Out o = {out, color};
  render_warnings(s, &o);
  for (int i = 0; i < s->count; i++) render_one(&o, s->src, &s->diags[i]);
  if (s->total > s->count) {
    paint(&o, C_RED);
    fputs("error", out);
    paint(&o, C_RESET);
    paint(&o, C_BOLD);
    fprintf(out, ": aborting after %d errors (%d more not shown)", s->count, s->total - s->count);
    paint(&o, C_RESET);
    fputc('\n', out);
  }
  paint(&o, C_RED);
  fputs("error", out);
  paint(&o, C_RESET);
  paint(&o, C_BOLD);
  fprintf(out, ": could not compile `%s` due to %d previous error%s", s->src->path, s->total,
          s->total == 1 ? "" : "s");
  paint(&o, C_RESET);
  fputc('\n', out);
  if (mem) {
    fclose(mem);
    fwrite(buf, 1, len, dest);
    free(buf);
  }
}

// ---- the error-code table (errors.def) -------------------------------------------------

static const ErrorCodeInfo error_table[] = {
#define ERROR_CODE(code, title, explanation) {#code, title, explanation},
#include "errors.def"
#undef ERROR_CODE
};

const ErrorCodeInfo *err_lookup(const char *code) {
  if (!code) return NULL;
  for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
    if (strcasecmp(error_table[i].code, code) == 0) return &error_table[i];
  return NULL;
}

const ErrorCodeInfo *err_table(int *count) {
  *count = (int)(sizeof error_table / sizeof error_table[0]);
  return error_table;
}
