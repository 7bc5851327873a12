// rt_str.c — native strings (runtime/native/toyrt.h "Strings"): owned byte
// buffers and the str methods of SPEC §5. The algorithms themselves are
// runtime/strops.c's, shared with interp's vm/methods.c, so both modes split,
// replace and trim alike; this file only allocates their results.
#include "toyrt.h"

#include "strops.h"

// ---- small buffers, kept per thread ------------------------------------------
// Most strings are short, and a program that makes and drops them by the
// million (a word count: every word split out, looked up, dropped) spends
// its time in malloc and free. A string of at most STR_SMALL_MAX bytes gets
// a buffer of one of three capacities, 24, 40 or 56 bytes — what malloc
// gives a 32-, 48- or 64-byte chunk anyway, so nothing is wasted — and a
// dropped buffer of such a capacity goes on this thread's list of its class
// (at most STR_CACHE_MAX each) for the next string, instead of back to
// malloc: a pop or a push, as glibc's tcache but without its bookkeeping
// (issue 20, docs/native.md "Small strings"). Any string whose cap is one of the
// three owns a block at least that large, wherever it came from, so any may
// be kept. The counted runtime (exact allocation counts, and bytes counted
// as the strings' lengths, as before), the stress build (freed memory
// poisoned) and ASan builds (use after free found) ask malloc for exactly
// len bytes and free every buffer at once.
#if defined(__SANITIZE_ADDRESS__)
#define RT_STR_NO_CACHE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_STR_NO_CACHE 1
#endif
#endif
// Nor does hybrid mode's library: the VM's threads, which call into it, do
// not flush a cache when they end.
#if defined(RT_COUNTED) || defined(RT_STRESS) || defined(RT_LIBRARY)
#define RT_STR_NO_CACHE 1
#endif

#ifndef RT_STR_NO_CACHE
enum { STR_SMALL_MAX = 56, STR_NCLASSES = 3, STR_CACHE_MAX = 256 };
static const int64_t class_cap[STR_NCLASSES] = {24, 40, 56};

typedef struct FreeBuf {
  struct FreeBuf *next;
} FreeBuf;
static _Thread_local FreeBuf *cache[STR_NCLASSES];
static _Thread_local int ncache[STR_NCLASSES];

// The class of a cap that is one of the three, or -1.
static int class_of_cap(int64_t cap) { return cap == 24 ? 0 : cap == 40 ? 1 : cap == 56 ? 2 : -1; }

void rt_str_cache_flush(void) {
  for (int c = 0; c < STR_NCLASSES; c++) {
    while (cache[c]) {
      FreeBuf *f = cache[c];
      cache[c] = f->next;
      rt_free(f);
    }
    ncache[c] = 0;
  }
}
#else
void rt_str_cache_flush(void) {}
#endif

// A string of len bytes, contents uninitialized; len 0 allocates nothing.
static rt_str str_alloc(int64_t len) {
  if (len < 0) rt_panic_oom();  // a size computation overflowed
  if (len == 0) return (rt_str){NULL, 0, 0};
#ifndef RT_STR_NO_CACHE
  if (len <= STR_SMALL_MAX) {
    int c = len <= 24 ? 0 : len <= 40 ? 1 : 2;
    int64_t cap = class_cap[c];
    FreeBuf *f = cache[c];
    if (f) {
      cache[c] = f->next;
      ncache[c]--;
      return (rt_str){(char *)f, len, cap};
    }
    return (rt_str){rt_alloc((size_t)cap), len, cap};
  }
#endif
  return (rt_str){rt_alloc((size_t)len), len, len};
}

rt_str rt_str_lit(const char *s, int64_t len) {
  rt_str r = str_alloc(len);
  if (len) memcpy(r.ptr, s, (size_t)len);
  return r;
}

rt_str rt_str_from_cstr(const char *s) { return rt_str_lit(s, (int64_t)strlen(s)); }

rt_str rt_str_from_buf(const RtBuf *b) {
  if (b->oom) rt_panic_oom();
  return rt_str_lit(b->data, (int64_t)b->len);
}

rt_str rt_str_clone(const rt_str *s) { return rt_str_lit(s->ptr, s->len); }

void rt_str_drop(rt_str *s) {
#ifndef RT_STR_NO_CACHE
  int c = class_of_cap(s->cap);
  if (c >= 0 && ncache[c] < STR_CACHE_MAX) {
    FreeBuf *f = (FreeBuf *)s->ptr;
    f->next = cache[c];
    cache[c] = f;
    ncache[c]++;
    *s = (rt_str){NULL, 0, 0};
    return;
  }
#endif
  rt_free(s->ptr);
  *s = (rt_str){NULL, 0, 0};
}

rt_str rt_str_concat(const rt_str *a, const rt_str *b) {
  int64_t n;
  if (__builtin_add_overflow(a->len, b->len, &n)) rt_panic_oom();
  rt_str r = str_alloc(n);
  if (a->len) memcpy(r.ptr, a->ptr, (size_t)a->len);
  if (b->len) memcpy(r.ptr + a->len, b->ptr, (size_t)b->len);
  return r;
}

void rt_str_append(rt_str *dst, const rt_str *src) {
  int64_t n;
  if (__builtin_add_overflow(dst->len, src->len, &n)) rt_panic_oom();
  if (n > dst->cap) {
    int64_t cap = dst->cap < 16 ? 16 : dst->cap;
    while (cap < n) cap = cap > INT64_MAX / 2 ? n : cap * 2;
    dst->ptr = rt_realloc(dst->ptr, (size_t)cap);
    dst->cap = cap;
  }
  // src may be dst itself (s = s + s): its bytes are still in place.
  if (src->len) memmove(dst->ptr + dst->len, src->ptr, (size_t)src->len);
  dst->len = n;
}

int rt_str_cmp(const rt_str *a, const rt_str *b) {
  int64_t n = a->len < b->len ? a->len : b->len;
  int c = n ? memcmp(a->ptr, b->ptr, (size_t)n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return a->len < b->len ? -1 : a->len > b->len;
}

// strops.h's hash of bytes, the one interp's strings use too; never 0, which
// maps use for "removed".
uint64_t rt_str_hash(const rt_str *s) { return rt_hash_bytes(s->ptr, s->len); }

// ---- methods ----------------------------------------------------------------------
// The bytes of a string for the shared algorithms, which may do pointer
// arithmetic on them: an empty string's NULL becomes "" (NULL + 0 is UB).
#define P(s) ((s)->ptr ? (const char *)(s)->ptr : "")

static rt_str str_case(const rt_str *s, bool upper) {
  rt_str r = str_alloc(s->len);
  rt_bytes_case(r.ptr, P(s), s->len, upper);
  return r;
}

rt_str rt_str_lower(const rt_str *s) { return str_case(s, false); }
rt_str rt_str_upper(const rt_str *s) { return str_case(s, true); }

rt_str rt_str_trim(const rt_str *s) {
  int64_t i, j;
  rt_bytes_trim(P(s), s->len, &i, &j);
  return rt_str_lit(P(s) + i, j - i);
}

bool rt_str_starts_with(const rt_str *s, const rt_str *p) {
  return rt_bytes_starts_with(P(s), s->len, P(p), p->len);
}

bool rt_str_ends_with(const rt_str *s, const rt_str *p) {
  return rt_bytes_ends_with(P(s), s->len, P(p), p->len);
}

bool rt_str_contains(const rt_str *s, const rt_str *p) {
  return rt_bytes_find(P(s), s->len, P(p), p->len) >= 0;
}

bool rt_str_find(const rt_str *s, const rt_str *sub, int64_t *at) {
  int64_t i = rt_bytes_find(P(s), s->len, P(sub), sub->len);
  if (i < 0) return false;
  *at = i;
  return true;
}

rt_str rt_str_replace(const rt_str *s, const rt_str *from, const rt_str *to) {
  int64_t total;
  if (!rt_replace_size(P(s), s->len, P(from), from->len, to->len, &total)) rt_panic_oom();
  if (total == 0) return (rt_str){NULL, 0, 0};
  rt_str r = str_alloc(total);
  rt_replace_fill(r.ptr, P(s), s->len, P(from), from->len, P(to), to->len);
  return r;
}

rt_str rt_str_repeat(const rt_str *s, int64_t n, const rt_loc *loc) {
  int64_t total = 0;
  switch (rt_repeat_size(s->len, n, &total)) {
  case RT_REPEAT_OK: break;
  case RT_REPEAT_NEGATIVE: rt_panic(loc, RT_VALUE, "%s", RT_MSG_NEGATIVE_REPEAT);
  case RT_REPEAT_TOO_LARGE: rt_panic(loc, RT_MEMORY, "%s", RT_MSG_OOM);
  }
  if (total == 0) return (rt_str){NULL, 0, 0};
  const rt_loc *outer = rt_alloc_site;
  rt_alloc_site = loc;
  rt_str r = str_alloc(total);
  rt_alloc_site = outer;
  rt_repeat_fill(r.ptr, P(s), s->len, n);
  return r;
}

void rt_str_check_sep(const rt_str *sep, const rt_loc *loc) {
  if (sep->len == 0) rt_panic(loc, RT_VALUE, "%s", RT_MSG_EMPTY_SEPARATOR);
}

// A piece lent: a view of s's bytes that owns nothing (cap 0), never dropped.
static rt_str lend(const rt_str *s, int64_t start, int64_t len) {
  return len ? (rt_str){(char *)P(s) + start, len, 0} : (rt_str){NULL, 0, 0};
}

bool rt_str_split_lend(const rt_str *s, const rt_str *sep, int64_t *pos, rt_str *piece) {
  int64_t start, len;
  if (!rt_split_next(P(s), s->len, P(sep), sep->len, pos, &start, &len)) return false;
  *piece = lend(s, start, len);
  return true;
}

bool rt_str_split_ws_lend(const rt_str *s, int64_t *pos, rt_str *word) {
  int64_t start, len;
  if (!rt_split_ws_next(P(s), s->len, pos, &start, &len)) return false;
  *word = lend(s, start, len);
  return true;
}

bool rt_str_split_step(const rt_str *s, const rt_str *sep, int64_t *pos, rt_str *piece) {
  if (!rt_str_split_lend(s, sep, pos, piece)) return false;
  *piece = rt_str_clone(piece);
  return true;
}

bool rt_str_split_ws_step(const rt_str *s, int64_t *pos, rt_str *word) {
  if (!rt_str_split_ws_lend(s, pos, word)) return false;
  *word = rt_str_clone(word);
  return true;
}

rt_list rt_str_split(const rt_str *s, const rt_str *sep, const rt_loc *loc) {
  rt_str_check_sep(sep, loc);
  rt_list l = rt_list_new();
  int64_t pos = 0;
  rt_str piece;
  while (rt_str_split_step(s, sep, &pos, &piece)) rt_list_push(&l, &piece, sizeof piece);
  return l;
}

rt_list rt_str_split_whitespace(const rt_str *s) {
  rt_list l = rt_list_new();
  int64_t pos = 0;
  rt_str word;
  while (rt_str_split_ws_step(s, &pos, &word)) rt_list_push(&l, &word, sizeof word);
  return l;
}

// ---- callback adapters ------------------------------------------------------------
void rt_str_drop_elem(void *s) { rt_str_drop(s); }
void rt_str_clone_elem(void *dst, const void *src) { *(rt_str *)dst = rt_str_clone(src); }
bool rt_str_eq_elem(const void *a, const void *b) { return rt_str_eq(a, b); }

// ---- str() of the leaves ----------------------------------------------------------
static rt_str from_fmt(void (*fmt)(RtBuf *, int64_t), int64_t v) {
  RtBuf b;
  rtbuf_init(&b);
  fmt(&b, v);
  rt_str r = rt_str_from_buf(&b);
  rtbuf_free(&b);
  return r;
}

rt_str rt_str_of_int(int64_t v) { return from_fmt(rt_fmt_int, v); }

rt_str rt_str_of_float(double v) {
  RtBuf b;
  rtbuf_init(&b);
  rt_fmt_float(&b, v);
  rt_str r = rt_str_from_buf(&b);
  rtbuf_free(&b);
  return r;
}

rt_str rt_str_of_bool(bool v) { return v ? rt_str_lit("true", 4) : rt_str_lit("false", 5); }
