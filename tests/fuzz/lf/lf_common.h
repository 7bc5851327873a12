// lf_common.h — what the three libFuzzer harnesses (tests/fuzz/lf/) share:
// parse an input, check the invariants of its diagnostics, render them.
// A broken invariant is an abort(), which libFuzzer reports as a crash.
#ifndef LAB_LF_COMMON_H
#define LAB_LF_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "bigstack.h"
#include "diag.h"
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

// Each harness defines lf_one(); it runs on a large stack, as the `lab`
// command does (compiler/lab/bigstack.h): an accepted input may nest 2,000 deep.
static void lf_one(const uint8_t *data, size_t len);

typedef struct LfInput {
  const uint8_t *data;
  size_t len;
} LfInput;

static void lf_one_on_big_stack(void *p) {
  LfInput *in = p;
  lf_one(in->data, in->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
  LfInput in = {data, len};
  bigstack_run(lf_one_on_big_stack, &in);
  return 0;
}

static inline FILE *lf_devnull(void) {
  static FILE *f;
  if (!f && !(f = fopen("/dev/null", "w"))) abort();
  return f;
}

static inline bool lf_valid_utf8(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!k || i + k > n) return false;
    for (size_t j = 1; j < k; j++)
      if ((s[i + j] & 0xc0) != 0x80) return false;
    i += k;
  }
  return true;
}

static inline void lf_check(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    abort();
  }
}

// Every diagnostic has a code, a message and spans inside the text; the
// rendering is valid UTF-8 whatever bytes the input holds.
static inline void lf_check_diags(DiagSink *sink, size_t len, bool color) {
  for (int i = 0; i < sink->count; i++) {
    Diag *d = &sink->diags[i];
    lf_check(d->code && d->msg && d->nlabels >= 1, "diagnostic without code/message/label");
    for (int j = 0; j < d->nlabels; j++) {
      Span s = d->labels[j].span;
      lf_check(s.off >= 0 && s.len >= 0 && (size_t)s.off + (size_t)s.len <= len, "span outside the text");
      lf_check(s.line >= 1 && s.col >= 1, "bad line/col");
    }
  }
  char *text = NULL;
  size_t tlen = 0;
  FILE *mem = open_memstream(&text, &tlen);
  if (!mem) abort();
  diag_render(sink, mem, color);
  fclose(mem);
  lf_check(lf_valid_utf8((const unsigned char *)text, tlen), "diagnostics are not valid UTF-8");
  free(text);
}

#endif
