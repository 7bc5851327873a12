// convert.c — int() and float() conversion rules both modes share
// (runtime/convert.h).
#include "convert.h"

#include <stdlib.h>

#include "strops.h"

bool rt_parse_int(const char *s, int64_t n, int64_t *out) {
  int64_t i = 0;
  while (i < n && rt_is_space(s[i])) i++;
  while (n > i && rt_is_space(s[n - 1])) n--;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i >= n) return false;
  uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
  uint64_t v = 0;
  bool prev_digit = false;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '_') {
      if (!prev_digit || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9') return false;
      prev_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return false;
    uint64_t d = (uint64_t)(c - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
    prev_digit = true;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

bool rt_parse_float(const char *s, int64_t n, double *out) {
  const char *p = s;
  while (rt_is_space(*p)) p++;
  char *end = NULL;
  double v = strtod(p, &end);
  if (end == p) return false;
  while (rt_is_space(*end)) end++;
  if (end != s + n) return false;
  *out = v;
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
