// strops.c — the str-method algorithms both modes share (runtime/strops.h).
#include "strops.h"

#include <string.h>

int64_t rt_bytes_find(const char *hay, int64_t n, const char *needle, int64_t k) {
  if (k == 0) return 0;
  for (int64_t i = 0; i + k <= n; i++) {
    const char *p = memchr(hay + i, needle[0], (size_t)(n - k - i + 1));
    if (!p) return -1;
    i = p - hay;
    if (memcmp(p, needle, (size_t)k) == 0) return i;
  }
  return -1;
}

bool rt_bytes_starts_with(const char *s, int64_t n, const char *p, int64_t k) {
  return k <= n && (k == 0 || memcmp(s, p, (size_t)k) == 0);
}

bool rt_bytes_ends_with(const char *s, int64_t n, const char *p, int64_t k) {
  return k <= n && (k == 0 || memcmp(s + n - k, p, (size_t)k) == 0);
}

void rt_bytes_trim(const char *s, int64_t n, int64_t *start, int64_t *end) {
  int64_t i = 0, j = n;
  while (i < j && rt_is_space(s[i])) i++;
  while (j > i && rt_is_space(s[j - 1])) j--;
  *start = i;
  *end = j;
}

void rt_bytes_case(char *dst, const char *src, int64_t n, bool upper) {
  for (int64_t i = 0; i < n; i++) {
    char c = src[i];
    if (upper && c >= 'a' && c <= 'z') c = (char)(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') c = (char)(c + 32);
    dst[i] = c;
  }
}

// *pos < 0 means the last piece has been given.
bool rt_split_next(const char *s, int64_t n, const char *sep, int64_t k, int64_t *pos,
                   int64_t *start, int64_t *len) {
  if (*pos < 0) return false;
  int64_t at = rt_bytes_find(s + *pos, n - *pos, sep, k);
  *start = *pos;
  if (at < 0) {
    *len = n - *pos;
    *pos = -1;
  } else {
    *len = at;
    *pos += at + k;
  }
  return true;
}

static bool is_char_start(char c) { return ((unsigned char)c & 0xc0) != 0x80; }

bool rt_replace_size(const char *s, int64_t n, const char *from, int64_t fn, int64_t tn,
                     int64_t *total) {
  int64_t matches = 0;
  if (fn == 0) {
    for (int64_t i = 0; i < n; i++) matches += is_char_start(s[i]);
    matches++;
  } else {
    for (int64_t start = 0;;) {
      int64_t at = rt_bytes_find(s + start, n - start, from, fn);
      if (at < 0) break;
      matches++;
      start += at + fn;
    }
  }
  int64_t grown;
  return !__builtin_mul_overflow(matches, tn - fn, &grown) &&
         !__builtin_add_overflow(n, grown, total);
}

void rt_replace_fill(char *dst, const char *s, int64_t n, const char *from, int64_t fn,
                     const char *to, int64_t tn) {
  char *p = dst;
  if (fn == 0) {
    for (int64_t i = 0; i < n; i++) {
      if (is_char_start(s[i])) {
        if (tn) memcpy(p, to, (size_t)tn);
        p += tn;
      }
      *p++ = s[i];
    }
    if (tn) memcpy(p, to, (size_t)tn);
    return;
  }
  int64_t start = 0;
  for (;;) {
    int64_t at = rt_bytes_find(s + start, n - start, from, fn);
    if (at < 0) break;
    if (at) memcpy(p, s + start, (size_t)at);
    p += at;
    if (tn) memcpy(p, to, (size_t)tn);
    p += tn;
    start += at + fn;
  }
  if (n - start) memcpy(p, s + start, (size_t)(n - start));
}

RtRepeatSize rt_repeat_size(int64_t n, int64_t count, int64_t *total) {
  if (count < 0) return RT_REPEAT_NEGATIVE;
  if (__builtin_mul_overflow(n, count, total)) return RT_REPEAT_TOO_LARGE;
  return RT_REPEAT_OK;
}

void rt_repeat_fill(char *dst, const char *s, int64_t n, int64_t count) {
  if (n == 1) memset(dst, s[0], (size_t)count);
  else if (n > 0)
    for (int64_t i = 0; i < count; i++) memcpy(dst + i * n, s, (size_t)n);
}
