// format.c — the leaf formatters both modes print with (SPEC §5 "Printing"):
// a growable byte buffer, decimal ints, floats as Python's repr(), and quoted
// strings. Nothing here knows about objects, so native executables link it
// as is.
#include "format.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rtbuf_init(RtBuf *b) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->oom = false;
}

void rtbuf_free(RtBuf *b) {
  free(b->data);
  rtbuf_init(b);
}

static atomic_long oom_count;

long rtbuf_oom_count(void) { return atomic_load(&oom_count); }

static bool out_of_memory(RtBuf *b) {
  b->oom = true;
  atomic_fetch_add(&oom_count, 1);
  return false;
}

// Makes room for n more bytes plus the NUL terminator; false (and b->oom
// set) if it cannot, or if an earlier append already failed.
static bool reserve(RtBuf *b, size_t n) {
  if (b->oom) return false;
  if (n < b->cap && b->len + n + 1 <= b->cap) return true;
  size_t cap = b->cap ? b->cap : 64;
  if (n > (size_t)PTRDIFF_MAX - 1 - b->len) return out_of_memory(b);
  while (cap < b->len + n + 1) cap = cap > (size_t)PTRDIFF_MAX / 2 ? (size_t)PTRDIFF_MAX : cap * 2;
  char *d = realloc(b->data, cap);
  if (!d) return out_of_memory(b);
  b->data = d;
  b->cap = cap;
  return true;
}

void rtbuf_putc(RtBuf *b, char c) {
  if (!reserve(b, 1)) return;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

void rtbuf_put(RtBuf *b, const char *s, size_t n) {
  if (!reserve(b, n)) return;
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void rtbuf_puts(RtBuf *b, const char *s) { rtbuf_put(b, s, strlen(s)); }

void rtbuf_printf(RtBuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    rtbuf_put(b, small, (size_t)n);
    return;
  }
  if (!reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void rt_fmt_int(RtBuf *b, int64_t v) {
  char tmp[24];
  char *p = tmp + sizeof tmp;
  // Work on the magnitude as unsigned so that INT64_MIN needs no special case.
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  rtbuf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

// Writes the nearest decimal of `prec` significant digits to v into
// digits[0..prec) and *exp (v ≈ d.ddd × 10^exp); true if it reads back as v.
// glibc's printf rounds correctly, so "%.*e" gives that nearest decimal.
static bool candidate(double v, int prec, char *digits, int *exp) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%.*e", prec - 1, fabs(v));
  int nd = 0;
  const char *p = tmp;
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9') digits[nd++] = *p;
  *exp = atoi(p + 1);
  if (strtod(tmp, NULL) == fabs(v)) return true;

  // At a power of two the gap to the next double up is twice the gap down,
  // so the rounding interval is lopsided: the nearest p-digit decimal may
  // fall just outside below while the next one up is inside. Python's repr
  // (David Gay's shortest mode) finds that one; so must we.
  int e2;
  if (fabs(frexp(v, &e2)) != 0.5 || strtod(tmp, NULL) > fabs(v)) return false;
  char up[24];
  memcpy(up, digits, (size_t)nd);
  int i = nd - 1, uexp = *exp;
  while (i >= 0 && up[i] == '9') up[i--] = '0';
  if (i >= 0) {
    up[i]++;
  } else {
    up[0] = '1';  // 99..9 + 1 = 100..0: same count of digits, one more decade
    uexp++;
  }
  char *q = tmp;
  *q++ = up[0];
  *q++ = '.';
  memcpy(q, up + 1, (size_t)nd - 1);
  q += nd - 1;
  snprintf(q, 16, "e%d", uexp);
  if (strtod(tmp, NULL) != fabs(v)) return false;
  memcpy(digits, up, (size_t)nd);
  *exp = uexp;
  return true;
}

// Python's repr(float): the shortest digit string that reads back as the same
// double, laid out positionally when the decimal exponent is in -4..15 and in
// exponent form otherwise (Python's float_repr_style 'short').
void rt_fmt_float(RtBuf *b, double v) {
  if (isnan(v)) {
    rtbuf_puts(b, "nan");
    return;
  }
  if (isinf(v)) {
    rtbuf_puts(b, v < 0 ? "-inf" : "inf");
    return;
  }
  if (v == 0) {
    rtbuf_puts(b, signbit(v) ? "-0.0" : "0.0");
    return;
  }
  // Round-tripping is monotonic in the number of digits (a finer decimal grid
  // contains the coarser one), so binary-search the shortest precision.
  char digits[24];
  int exp;
  int lo = 1, hi = 17;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (candidate(v, mid, digits, &exp)) hi = mid;
    else lo = mid + 1;
  }
  candidate(v, lo, digits, &exp);
  int nd = lo;
  while (nd > 1 && digits[nd - 1] == '0') nd--;

  if (v < 0) rtbuf_putc(b, '-');
  if (exp < -4 || exp >= 16) {
    rtbuf_putc(b, digits[0]);
    if (nd > 1) {
      rtbuf_putc(b, '.');
      rtbuf_put(b, digits + 1, (size_t)nd - 1);
    }
    rtbuf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  } else if (exp < 0) {
    rtbuf_puts(b, "0.");
    for (int i = 0; i < -exp - 1; i++) rtbuf_putc(b, '0');
    rtbuf_put(b, digits, (size_t)nd);
  } else if (nd <= exp + 1) {
    rtbuf_put(b, digits, (size_t)nd);
    for (int i = nd; i < exp + 1; i++) rtbuf_putc(b, '0');
    rtbuf_puts(b, ".0");
  } else {
    rtbuf_put(b, digits, (size_t)exp + 1);
    rtbuf_putc(b, '.');
    rtbuf_put(b, digits + exp + 1, (size_t)(nd - exp - 1));
  }
}

size_t rt_utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
  return len;
}

size_t rt_utf8_chars(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  size_t chars = 0;
  while (p < end) {
    size_t k = *p < 0x80 ? 1 : rt_utf8_len(p, (size_t)(end - p));
    p += k ? k : 1;
    chars++;
  }
  return chars;
}

size_t rt_utf8_floor(const char *s, size_t i) {
  while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80) i--;
  return i;
}

void rt_fmt_str_quoted(RtBuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *u = (const unsigned char *)s;
  rtbuf_putc(b, '"');
  size_t i = 0;
  while (i < n) {
    // Copy the longest run that needs no escaping in one go.
    size_t j = i;
    while (j < n && u[j] >= 0x20 && u[j] < 0x7f && u[j] != '"' && u[j] != '\\') j++;
    if (j > i) {
      rtbuf_put(b, s + i, j - i);
      i = j;
      continue;
    }
    unsigned char c = u[i];
    switch (c) {
    case '\n': rtbuf_puts(b, "\\n"); i++; continue;
    case '\t': rtbuf_puts(b, "\\t"); i++; continue;
    case '\r': rtbuf_puts(b, "\\r"); i++; continue;
    case '\\': rtbuf_puts(b, "\\\\"); i++; continue;
    case '"': rtbuf_puts(b, "\\\""); i++; continue;
    case '\0': rtbuf_puts(b, "\\0"); i++; continue;
    default: break;
    }
    size_t len = c >= 0x80 ? rt_utf8_len(u + i, n - i) : 0;
    if (len > 0) {
      rtbuf_put(b, s + i, len);
      i += len;
    } else {
      // A control byte, DEL, or a byte that does not start valid UTF-8.
      char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
      rtbuf_put(b, esc, 4);
      i++;
    }
  }
  rtbuf_putc(b, '"');
}
