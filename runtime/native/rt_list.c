// rt_list.c — native lists (runtime/native/toyrt.h "Lists"): elements of any
// size stored inline, grown by doubling; the list methods of SPEC §5 with
// docs/semantics.md's signatures. The hot paths (index, push, pop) are
// inline in toyrt.h; this file has the rest.
#include "toyrt.h"

static void *elem(const rt_list *l, int64_t i, size_t es) { return (char *)l->data + (size_t)i * es; }

static void set_cap(rt_list *l, int64_t cap, size_t es) {
  l->data = rt_realloc(l->data, (size_t)cap * es);
  l->cap = cap;
}

rt_list rt_list_with_cap(int64_t cap, size_t es) {
  rt_list l = rt_list_new();
  if (cap > 0) rt_list_reserve(&l, cap, es);
  return l;
}

void rt_list_reserve(rt_list *l, int64_t extra, size_t es) {
  if (extra <= l->cap - l->len) return;
  if (extra > rt_list_max_cap(es) - l->len) rt_panic_oom();
  int64_t need = l->len + extra, cap = l->cap ? l->cap : 4;
  while (cap < need) cap = cap > rt_list_max_cap(es) / 2 ? need : cap * 2;
  RT_LINE_COUNT(list_regrowths, 1);
  set_cap(l, cap, es);
}

void rt_list_grow_(rt_list *l, size_t es) { rt_list_reserve(l, 1, es); }

void rt_list_insert(rt_list *l, int64_t i, const void *x, size_t es, const rt_loc *loc) {
  RT_LINE_COUNT(bounds_checks, 1);
  if (i < 0 || i > l->len) rt_panic_index(loc, i, l->len);
  if (l->len == l->cap) rt_list_grow_(l, es);
  memmove(elem(l, i + 1, es), elem(l, i, es), (size_t)(l->len - i) * es);
  memcpy(elem(l, i, es), x, es);
  l->len++;
}

void rt_list_remove(rt_list *l, int64_t i, void *out, size_t es, const rt_loc *loc) {
  RT_LINE_COUNT(bounds_checks, 1);
  if (i < 0 || i >= l->len) rt_panic_index(loc, i, l->len);
  memcpy(out, elem(l, i, es), es);
  memmove(elem(l, i, es), elem(l, i + 1, es), (size_t)(l->len - 1 - i) * es);
  l->len--;
}

// Swaps es bytes through a small buffer, chunk by chunk.
static void swap_bytes(char *a, char *b, size_t es) {
  char tmp[64];
  while (es > 0) {
    size_t n = es < sizeof tmp ? es : sizeof tmp;
    memcpy(tmp, a, n);
    memcpy(a, b, n);
    memcpy(b, tmp, n);
    a += n, b += n, es -= n;
  }
}

void rt_list_swap(rt_list *l, int64_t i, int64_t j, size_t es, const rt_loc *loc) {
  RT_LINE_COUNT(bounds_checks, 2);
  if (i < 0 || i >= l->len) rt_panic_index(loc, i, l->len);
  if (j < 0 || j >= l->len) rt_panic_index(loc, j, l->len);
  if (i != j) swap_bytes(elem(l, i, es), elem(l, j, es), es);
}

void rt_list_reverse(rt_list *l, size_t es) {
  for (int64_t i = 0, j = l->len - 1; i < j; i++, j--) swap_bytes(elem(l, i, es), elem(l, j, es), es);
}

void rt_list_clear(rt_list *l, size_t es, rt_drop_fn drop) {
  int64_t n = l->len;
  l->len = 0;
  if (drop)
    for (int64_t i = 0; i < n; i++) drop(elem(l, i, es));
}

// ---- comparison, join, clone, drop ----------------------------------------------------
bool rt_list_contains(const rt_list *l, const void *x, size_t es, rt_eq_fn eq) {
  for (int64_t i = 0; i < l->len; i++)
    if (eq ? eq(elem(l, i, es), x) : memcmp(elem(l, i, es), x, es) == 0) return true;
  return false;
}

bool rt_list_eq(const rt_list *a, const rt_list *b, size_t es, rt_eq_fn eq) {
  if (a->len != b->len) return false;
  rt_walk_enter(RT_MSG_RECURSION_CMP);
  bool same = true;
  for (int64_t i = 0; i < a->len && same; i++)
    same = eq ? eq(elem(a, i, es), elem(b, i, es)) : memcmp(elem(a, i, es), elem(b, i, es), es) == 0;
  rt_walk_leave();
  return same;
}

rt_str rt_list_join(const rt_list *l, const rt_str *sep) {
  const rt_str *items = l->data;
  int64_t total = 0, seps = 0;
  bool too_long = false;
  for (int64_t i = 0; i < l->len; i++) too_long |= __builtin_add_overflow(total, items[i].len, &total);
  if (l->len > 1)
    too_long |= __builtin_mul_overflow(sep->len, l->len - 1, &seps) ||
                __builtin_add_overflow(total, seps, &total);
  if (too_long) rt_panic_oom();
  rt_str r = {total ? rt_alloc((size_t)total) : NULL, total, total};
  char *p = r.ptr;
  for (int64_t i = 0; i < l->len; i++) {
    if (i && sep->len) {
      memcpy(p, sep->ptr, (size_t)sep->len);
      p += sep->len;
    }
    if (items[i].len) memcpy(p, items[i].ptr, (size_t)items[i].len);
    p += items[i].len;
  }
  return r;
}

rt_list rt_list_clone(const rt_list *l, size_t es, rt_clone_fn clone) {
  rt_walk_enter(RT_MSG_RECURSION_COPY);
  rt_list r = rt_list_with_cap(l->len, es);
  if (clone)
    for (int64_t i = 0; i < l->len; i++) clone(elem(&r, i, es), elem(l, i, es));
  else if (l->len)
    memcpy(r.data, l->data, (size_t)l->len * es);
  r.len = l->len;
  rt_walk_leave();
  return r;
}

void rt_list_drop(rt_list *l, size_t es, rt_drop_fn drop) {
  rt_list_clear(l, es, drop);
  rt_free(l->data);
  *l = rt_list_new();
}

rt_list rt_list_repeat_(void *x, int64_t n, size_t es, rt_clone_fn clone, rt_drop_fn drop,
                        const rt_loc *loc) {
  if (n < 0) rt_panic(loc, RT_VALUE, "list length must not be negative (got %lld)", (long long)n);
  if (n == 0) {
    if (drop) drop(x);
    return rt_list_new();
  }
  const rt_loc *outer = rt_alloc_site;
  rt_alloc_site = loc;
  // Exactly n elements, as Rust's vec![x; n]; an all-zero copy value (0,
  // 0.0, false, None of a copy type) needs no copying at all.
  bool zero = !clone;
  for (size_t b = 0; zero && b < es; b++) zero = ((const unsigned char *)x)[b] == 0;
  if (n > rt_list_max_cap(es)) rt_panic_oom();
  rt_list l = {zero ? rt_alloc_zeroed_array(n, es) : rt_alloc_array(n, es), n, n};
  rt_alloc_site = outer;
  if (zero) return l;
  for (int64_t i = 0; i < n - 1; i++) {
    if (clone) clone(elem(&l, i, es), x);
    else memcpy(elem(&l, i, es), x, es);
  }
  memcpy(elem(&l, n - 1, es), x, es);
  return l;
}
