// convert.c — int() and float() conversion rules both modes share
// (runtime/convert.h).
#include "convert.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strops.h"

// The end of a run of digits with single `_` between them from s[i], or -1
// when s[i] is not a digit.
static int64_t digit_part(const char *s, int64_t i, int64_t n) {
  if (i >= n || s[i] < '0' || s[i] > '9') return -1;
  for (i++; i < n; i++) {
    if (s[i] == '_' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') continue;
    if (s[i] < '0' || s[i] > '9') break;
  }
  return i;
}

// s[0..n) without the ASCII whitespace around it: [*i, *n).
static void trim(const char *s, int64_t *i, int64_t *n) {
  *i = 0;
  while (*i < *n && rt_is_space(s[*i])) ++*i;
  while (*n > *i && rt_is_space(s[*n - 1])) --*n;
}

bool rt_parse_int(const char *s, int64_t n, int64_t *out) {
  int64_t i;
  trim(s, &i, &n);
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (digit_part(s, i, n) != n) return false;  // digits, `_` only between two
  uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
  uint64_t v = 0;
  for (; i < n; i++) {
    if (s[i] == '_') continue;
    uint64_t d = (uint64_t)(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

static bool word_is(const char *s, int64_t n, const char *w) {
  int64_t k = (int64_t)strlen(w);
  if (n != k) return false;
  for (int64_t i = 0; i < k; i++)
    if ((s[i] | 0x20) != w[i]) return false;
  return true;
}

bool rt_parse_float(const char *s, int64_t n, double *out) {
  int64_t i;
  trim(s, &i, &n);
  int64_t start = i;
  bool neg = i < n && s[i] == '-';
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  if (word_is(s + i, n - i, "inf") || word_is(s + i, n - i, "infinity") || word_is(s + i, n - i, "nan")) {
    double v = (s[i] | 0x20) == 'n' ? NAN : INFINITY;
    *out = neg ? -v : v;
    return true;
  }
  // [digits] "." digits | digits ["."], then an optional exponent.
  int64_t j = digit_part(s, i, n);
  bool any = j >= 0;
  if (j < 0) j = i;
  if (j < n && s[j] == '.') {
    int64_t k = digit_part(s, j + 1, n);
    any = any || k >= 0;
    j = k >= 0 ? k : j + 1;
  }
  if (!any) return false;
  if (j < n && (s[j] == 'e' || s[j] == 'E')) {
    int64_t k = j + 1 < n && (s[j + 1] == '+' || s[j + 1] == '-') ? j + 2 : j + 1;
    if ((j = digit_part(s, k, n)) < 0) return false;
  }
  if (j != n) return false;
  // strtod, correctly rounded, reads the literal without its underscores.
  char small[128];
  size_t len = (size_t)(n - start);
  char *buf = len < sizeof small ? small : malloc(len + 1);
  if (!buf) return false;
  size_t m = 0;
  for (int64_t k = start; k < n; k++)
    if (s[k] != '_') buf[m++] = s[k];
  buf[m] = '\0';
  *out = strtod(buf, NULL);
  if (buf != small) free(buf);
  return true;
}

bool rt_float_to_int(double f, int64_t *out) {
  // Both bounds are exact doubles (-2^63 and 2^63); NaN fails both tests.
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return false;
  *out = (int64_t)f;
  return true;
}

void rt_msg_float_to_int(RtBuf *b, double f) {
  rtbuf_puts(b, "cannot convert float ");
  rt_fmt_float(b, f);
  rtbuf_puts(b, " to int");
}
