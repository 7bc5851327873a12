// fuzz_check.c — libFuzzer harness 2: native mode's checkers. A clean parse
// goes through the type checker, then (if well-typed) the ownership and
// borrow checker, and an accepted program through the C generator, as
// `lab emit-c` does. Diagnostics must keep their invariants (lf_common.h).
//
// Byte-level mutations rarely keep a program well-typed, so most inputs stop
// at the parser or the type checker. Half of the mutations here are instead
// ownership mutants (LLVMFuzzerCustomMutator below): a rewrite that keeps
// the program's syntax but changes how a value is owned — `&` into `&mut`
// and back, a `.clone()` removed or added, a statement duplicated (a use
// after move), a name swapped for another, a `for` or `match` over a
// reference. That is how the borrow checker's reporting paths are reached
// (issue 14: moving out from behind `&mut` crashed the E0507 reporter).
#include "borrowck.h"
#include "cgen.h"
#include "check.h"
#include "lf_common.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed);

static unsigned next_rand(unsigned *state) {
  *state = *state * 1103515245u + 12345u;
  return *state >> 16;
}

// The offset of the k-th (mod count) occurrence of `needle`, or -1.
static long nth_match(const uint8_t *d, size_t n, const char *needle, unsigned k) {
  size_t m = strlen(needle), count = 0;
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(d + i, needle, m) == 0) count++;
  if (!count) return -1;
  k %= (unsigned)count;
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(d + i, needle, m) == 0 && k-- == 0) return (long)i;
  return -1;
}

// Replaces d[at, at+cut) by `with`; returns the new size or 0 if it does not fit.
static size_t splice(uint8_t *d, size_t n, size_t max, size_t at, size_t cut, const char *with, size_t wlen) {
  if (n - cut + wlen > max) return 0;
  memmove(d + at + wlen, d + at + cut, n - at - cut);
  memcpy(d + at, with, wlen);
  return n - cut + wlen;
}

static bool ident_char(uint8_t c) { return c == '_' || (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u; }

// The start of the k-th identifier (mod count) and its length, or -1.
static long nth_ident(const uint8_t *d, size_t n, unsigned k, size_t *len) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (ident_char(d[i]) && (i == 0 || !ident_char(d[i - 1])) && (unsigned)(d[i] - '0') >= 10u) count++;
  if (!count) return -1;
  k %= (unsigned)count;
  for (size_t i = 0; i < n; i++)
    if (ident_char(d[i]) && (i == 0 || !ident_char(d[i - 1])) && (unsigned)(d[i] - '0') >= 10u && k-- == 0) {
      size_t j = i;
      while (j < n && ident_char(d[j])) j++;
      *len = j - i;
      return (long)i;
    }
  return -1;
}

// One line [start, end) including its newline, the k-th (mod count).
static bool nth_line(const uint8_t *d, size_t n, unsigned k, size_t *start, size_t *end) {
  size_t lines = 0;
  for (size_t i = 0; i < n; i++) lines += d[i] == '\n';
  if (!lines) return false;
  k %= (unsigned)lines;
  size_t s = 0;
  for (size_t i = 0; i < n; i++)
    if (d[i] == '\n') {
      if (k-- == 0) {
        *start = s;
        *end = i + 1;
        return true;
      }
      s = i + 1;
    }
  return false;
}

static size_t ownership_mutant(uint8_t *d, size_t n, size_t max, unsigned *rs) {
  // Text rewrites: each finds `from` and puts `to` in its place.
  static const char *const rewrite[][2] = {
      {"&", "&mut "},        {"&mut ", "&"},        {"&mut ", ""},          {"&", ""},
      {".clone()", ""},      {"let ", "let mut "},  {"let mut ", "let "},   {"in ", "in &mut "},
      {"in ", "in &"},       {"match ", "match &"}, {"match &", "match "}, {"(", "(&mut "},
      {"(", "(&"},           {", ", ", &mut "},     {": &", ": &mut "},     {": &mut ", ": &"},
      {";", ".unwrap();"},   {")", ".clone())"},    {" = ", " = &mut "},    {" = ", " = &"},
      {".len()", ".pop().unwrap()"}, {"return ", "return &"},
  };
  unsigned r = next_rand(rs), nrw = sizeof rewrite / sizeof rewrite[0];
  unsigned which = r % (nrw + 3);
  if (which < nrw) {
    long at = nth_match(d, n, rewrite[which][0], next_rand(rs));
    if (at < 0) return 0;
    const char *to = rewrite[which][1];
    return splice(d, n, max, (size_t)at, strlen(rewrite[which][0]), to, strlen(to));
  }
  if (which == nrw) {  // a name replaced by another name of the program
    size_t la, lb;
    long a = nth_ident(d, n, next_rand(rs), &la), b = nth_ident(d, n, next_rand(rs), &lb);
    if (a < 0 || b < 0 || lb > 64) return 0;
    char name[64];
    memcpy(name, d + b, lb);
    return splice(d, n, max, (size_t)a, la, name, lb);
  }
  size_t s, e;
  if (!nth_line(d, n, next_rand(rs), &s, &e) || e - s > 256) return 0;
  char line[256];
  memcpy(line, d + s, e - s);
  if (which == nrw + 1)  // a statement twice: a use after a move
    return splice(d, n, max, e, 0, line, e - s);
  size_t s2, e2;  // a line moved elsewhere: a use before a borrow ends, or after a drop
  if (!nth_line(d, n, next_rand(rs), &s2, &e2)) return 0;
  size_t m = splice(d, n, max, s, e - s, "", 0);
  size_t at = s2 <= s ? s2 : s2 - (e - s);
  return at <= m ? splice(d, m, max, at, 0, line, e - s) : 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed) {
  unsigned rs = seed;
  if (next_rand(&rs) % 2 == 0) {
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    size_t n = 0;
    for (int tries = 0; tries < 4 && !n; tries++) {
      n = ownership_mutant(data, size, max_size, &rs);
      if (!n) memcpy(data, copy, size);
    }
    free(copy);
    if (n) return n;
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

static void lf_one(const uint8_t *data, size_t len) {
  Source *src = source_from_string("fuzz.toy", (const char *)data, len);
  DiagSink sink;
  diag_init(&sink, src);
  Program *prog = parse_program(src, &sink);
  if (sink.count == 0) {
    bool ok = ck_check(prog, &sink);
    ok = ok && bk_check(prog, &sink);
    lf_check(ok == (sink.count == 0), "checker's verdict and its diagnostics disagree");
    if (ok) {
      CgOptions cg = {.unchecked = (len & 2) != 0};
      char *c = cg_generate(prog, &cg);
      lf_check(c != NULL && strstr(c, "main") != NULL, "accepted program without generated C");
      free(c);
    }
  }
  lf_check_diags(&sink, len, (len & 1) != 0);
  diag_free(&sink);
  ast_free(prog);
  source_free(src);
}
