// strops.h — the string algorithms of Toy's str methods (SPEC §5 "Methods",
// docs/semantics.md "Methods"), shared by both modes. Interp (vm/methods.c)
// and native (runtime/native/rt_str.c) keep their strings differently, so
// these functions work on plain (bytes, length) pairs, allocate nothing and
// return plain results: the caller allocates the result in its own
// representation and raises its own errors, with the messages below.
#ifndef LAB_STROPS_H
#define LAB_STROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// Messages of the ValueErrors these methods raise (kind RT_VALUE).
#define RT_MSG_EMPTY_SEPARATOR "empty separator"
#define RT_MSG_NEGATIVE_REPEAT "negative repeat count"

// ASCII whitespace as C's isspace in the "C" locale: space, \t \n \v \f \r.
// trim, split_whitespace, int() and float() all use this one definition.
// Every whitespace byte is at most ' ', so most bytes are answered by the
// first compare.
static inline bool rt_is_space(char c) {
  return (unsigned char)c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r'));
}

// Do the n bytes at a and b match? The hash tables' key compare: a key of up
// to 16 bytes, the common case, is two overlapping loads of each side (no
// call, no byte loop), a longer one memcmp.
static inline bool rt_bytes_eq(const void *a, const void *b, size_t n) {
  const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
  if (n >= 8 && n <= 16) {
    uint64_t x0, y0, x1, y1;
    memcpy(&x0, p, 8), memcpy(&y0, q, 8), memcpy(&x1, p + n - 8, 8), memcpy(&y1, q + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t x0, y0, x1, y1;
    memcpy(&x0, p, 4), memcpy(&y0, q, 4), memcpy(&x1, p + n - 4, 4), memcpy(&y1, q + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n < 4) return n == 0 || (p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1]);
  return memcmp(p, q, n) == 0;
}

// FNV-1a, 64 bits: the lab's stable hash of bytes (the native cache's key,
// the grader's answer hash). Start from RT_FNV_BASIS; a hash of several parts
// feeds each part to the next call.
#define RT_FNV_BASIS 14695981039346656037ull
static inline uint64_t rt_fnv1a_byte(uint64_t h, unsigned char c) { return (h ^ c) * 1099511628211ull; }
static inline uint64_t rt_fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < n; i++) h = rt_fnv1a_byte(h, p[i]);
  return h;
}

// The hash of a string key in both modes' hash tables (never 0, which marks
// "not computed" or "removed"). Eight bytes at a time, each word folded in
// by the finalizer of SplitMix64 (two multiplies): a few cycles a word,
// where FNV-1a spends a dependent multiply on every byte. The last word
// overlaps the one before it (under 8 bytes: two 4-byte loads, or three
// bytes), so no byte past the end is read; the length, mixed on its own
// first, tells apart the strings those overlaps would confuse ("ab",
// "abb"). Maps keep insertion order, so the hash shows in no output.
static inline uint64_t rt_mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}
static inline uint64_t rt_hash_bytes(const void *data, int64_t n) {
  const unsigned char *p = (const unsigned char *)data;
  uint64_t h = rt_mix64(0x9e3779b97f4a7c15u + (uint64_t)n), w = 0;  // the length, mixed apart
  if (n > 8) {
    for (int64_t i = 0; i + 8 < n; i += 8) {
      memcpy(&w, p + i, 8);
      h = rt_mix64(h ^ w);
    }
    memcpy(&w, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + n - 4, 4);
    w = (uint64_t)hi << 32 | lo;
  } else if (n > 0) {
    w = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
  }
  h = rt_mix64(h ^ w);
  return h ? h : 1;
}

// Byte offset of the first occurrence of needle[0..k) in hay[0..n), or -1.
// An empty needle is found at 0.
int64_t rt_bytes_find(const char *hay, int64_t n, const char *needle, int64_t k);

bool rt_bytes_starts_with(const char *s, int64_t n, const char *p, int64_t k);
bool rt_bytes_ends_with(const char *s, int64_t n, const char *p, int64_t k);

// trim: the bounds [*start, *end) of s without its ASCII whitespace at both ends.
void rt_bytes_trim(const char *s, int64_t n, int64_t *start, int64_t *end);

// lower/upper: writes n bytes to dst with ASCII letters changed; every other
// byte (UTF-8 included) copied as is. dst may equal src.
void rt_bytes_case(char *dst, const char *src, int64_t n, bool upper);

// split(sep) as an iterator over the pieces, sep non-empty (an empty one is
// the caller's ValueError). Start with *pos = 0; each call that returns true
// yields the next piece s[*start .. *start + *len). "a,,b" gives "a", "", "b";
// "" gives one empty piece.
bool rt_split_next(const char *s, int64_t n, const char *sep, int64_t k, int64_t *pos,
                   int64_t *start, int64_t *len);

// The end of the run of non-whitespace bytes that starts at s[j]: the index
// of the next whitespace byte, or n. Eight bytes at a time where eight are
// left: a byte b <= ' ' makes (b - 0x21) borrow into its top bit while ~b's
// is set, and the lowest byte so marked is the first such byte (a borrow
// only marks bytes above it). Only it is then tested for whitespace (a
// control byte is not). Little-endian machines only; others go byte by byte.
static inline int64_t rt_ws_run_end(const char *s, int64_t j, int64_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (n - j >= 8) {
    uint64_t x;
    memcpy(&x, s + j, 8);
    uint64_t low = (x - 0x2121212121212121ull) & ~x & 0x8080808080808080ull;
    if (!low) {
      j += 8;
      continue;
    }
    j += __builtin_ctzll(low) >> 3;
    if (rt_is_space(s[j])) return j;
    j++;
  }
#endif
  while (j < n && !rt_is_space(s[j])) j++;
  return j;
}

// split_whitespace() the same way: maximal runs of non-whitespace bytes.
// Inline: it runs once per word of the text.
static inline bool rt_split_ws_next(const char *s, int64_t n, int64_t *pos, int64_t *start, int64_t *len) {
  int64_t i = *pos;
  while (i < n && rt_is_space(s[i])) i++;
  int64_t j = rt_ws_run_end(s, i, n);
  *pos = j;
  if (j == i) return false;
  *start = i;
  *len = j - i;
  return true;
}

// replace(from, to): every non-overlapping occurrence, left to right; an
// empty `from` matches at every UTF-8 character boundary (Rust and Python).
// rt_replace_size computes the length of the result first: false when it
// does not fit in i64 (the caller's MemoryError). rt_replace_fill then writes
// exactly *total bytes to dst.
bool rt_replace_size(const char *s, int64_t n, const char *from, int64_t fn, int64_t tn,
                     int64_t *total);
void rt_replace_fill(char *dst, const char *s, int64_t n, const char *from, int64_t fn,
                     const char *to, int64_t tn);

// repeat(count): the size is checked before anything is allocated, so
// "ab".repeat(4e12) is a MemoryError, not an attempt.
typedef enum {
  RT_REPEAT_OK,
  RT_REPEAT_NEGATIVE,  // ValueError RT_MSG_NEGATIVE_REPEAT
  RT_REPEAT_TOO_LARGE  // MemoryError
} RtRepeatSize;
RtRepeatSize rt_repeat_size(int64_t n, int64_t count, int64_t *total);
void rt_repeat_fill(char *dst, const char *s, int64_t n, int64_t count);

#endif
