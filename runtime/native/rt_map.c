// rt_map.c — native maps (runtime/native/toyrt.h "Maps"): insertion-ordered
// hash tables keyed by int64_t or rt_str, values inline.
//
// The layout is CPython's compact dict: a dense array of entries in insertion
// order, and a separate open-addressing index (linear probing) of entry
// numbers. An entry is `stride` bytes:
//     uint64_t hash | key (int64_t or rt_str) | value (vs bytes, rounded up to 8)
// Invariants:
// - hash is never 0 for a live entry; a removed entry keeps its place with
//   hash 0 (so removal keeps the order of the rest) until the next rebuild.
// - index slots hold an entry number, EMPTY (-1) or REMOVED (-2); icap is a
//   power of two and icap == 2 * cap, so the index is at most half full
//   counting removed slots (used <= cap).
// - used == cap triggers a rebuild: compaction in place when at least half
//   the entries are removed, else the capacity doubles.
#include "toyrt.h"

enum { EMPTY = -1, REMOVED = -2 };

typedef struct Kind {
  bool str;  // keys are rt_str (else int64_t)
  size_t vs, ksz, stride;
} Kind;

static Kind kind_of(bool str, size_t vs) {
  Kind k = {str, vs, str ? sizeof(rt_str) : sizeof(int64_t), 0};
  k.stride = sizeof(uint64_t) + k.ksz + ((vs + 7) & ~(size_t)7);
  return k;
}

static unsigned char *entry(const rt_map *m, const Kind *k, int64_t e) {
  return m->entries + (size_t)e * k->stride;
}
static uint64_t *ehash(unsigned char *en) { return (uint64_t *)(void *)en; }
static void *ekey(unsigned char *en) { return en + sizeof(uint64_t); }
static void *eval(const Kind *k, unsigned char *en) { return en + sizeof(uint64_t) + k->ksz; }

static uint64_t hash_int(int64_t v) {
  uint64_t h = (uint64_t)v * 0x9e3779b97f4a7c15u;
  h ^= h >> 29;
  return h ? h : 1;
}

static uint64_t hash_key(const Kind *k, const void *key) {
  return k->str ? rt_str_hash(key) : hash_int(*(const int64_t *)key);
}

static bool key_eq(const Kind *k, const void *a, const void *b) {
  return k->str ? rt_str_eq(a, b) : *(const int64_t *)a == *(const int64_t *)b;
}

// The entry number of key, or -1.
static int64_t lookup(const rt_map *m, const Kind *k, const void *key, uint64_t h) {
  if (m->len == 0) return -1;
  size_t mask = (size_t)m->icap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    int64_t e = m->index[i];
    if (e == EMPTY) return -1;
    if (e >= 0) {
      unsigned char *en = entry(m, k, e);
      if (*ehash(en) == h && key_eq(k, ekey(en), key)) return e;
    }
  }
}

// The entry a str key was last found at, which an insert checks first: a
// map read then written with the same key (`let n = m.get(&k).unwrap_or(0);
// m[k] = n + 1`, Toy's counting idiom, where Rust would use the entry API)
// skips the hash and the probe the second time. The key itself is compared,
// so a stale entry (removed, or the map rebuilt) is never taken. Reads do not
// check it (a read after a write of the same key is the rarer order, and a
// miss costs a compare). Only the thread that owns the map reads or writes
// it, so a const read may update it.
static int64_t cached(const rt_map *m, const Kind *k, const void *key) {
  int64_t e = m->last - 1;
  if (e < 0 || e >= m->used) return -1;
  unsigned char *en = entry(m, k, e);
  return *ehash(en) && key_eq(k, ekey(en), key) ? e : -1;
}

static void remember(const rt_map *m, int64_t e) { ((rt_map *)m)->last = e + 1; }

// lookup() for str keys, remembered for the next insert.
static int64_t lookup_str(const rt_map *m, const Kind *k, const void *key) {
  int64_t e = lookup(m, k, key, rt_str_hash(key));
  if (e >= 0) remember(m, e);
  return e;
}

static void index_put(rt_map *m, uint64_t h, int64_t e) {
  size_t mask = (size_t)m->icap - 1;
  size_t i = (size_t)h & mask;
  while (m->index[i] >= 0) i = (i + 1) & mask;
  m->index[i] = e;
}

// Compacts the live entries to the front (keeping their order), resizes to
// cap entries and rebuilds the index.
static void rebuild(rt_map *m, const Kind *k, int64_t cap) {
  int64_t n = 0;
  for (int64_t e = 0; e < m->used; e++) {
    unsigned char *en = entry(m, k, e);
    if (!*ehash(en)) continue;
    if (n != e) memmove(entry(m, k, n), en, k->stride);
    n++;
  }
  m->used = m->len = n;
  m->last = 0;  // entry numbers changed
  if (cap != m->cap) {
    if (cap > (int64_t)((size_t)PTRDIFF_MAX / 4 / k->stride)) rt_panic_oom();
    m->entries = rt_realloc(m->entries, (size_t)cap * k->stride);
    rt_free(m->index);
    m->index = rt_alloc_array(cap * 2, sizeof(int64_t));
    m->cap = cap;
    m->icap = cap * 2;
  }
  for (int64_t i = 0; i < m->icap; i++) m->index[i] = EMPTY;
  for (int64_t e = 0; e < n; e++) index_put(m, *ehash(entry(m, k, e)), e);
}

// The entry of key, checking the remembered one first, or -1 with *h its hash.
static int64_t find(const rt_map *m, const Kind *k, const void *key, uint64_t *h) {
  int64_t e = k->str ? cached(m, k, key) : -1;
  if (e < 0) e = lookup(m, k, key, *h = hash_key(k, key));
  if (e >= 0 && k->str) remember(m, e);
  return e;
}

// A new entry for key, whose hash is h: the key is copied in (the caller has
// handled its ownership); returns its value slot, uninitialized.
static void *add(rt_map *m, const Kind *k, const void *key, uint64_t h) {
  if (m->used == m->cap) rebuild(m, k, m->cap == 0 ? 8 : m->len * 2 <= m->used ? m->cap : m->cap * 2);
  int64_t e = m->used++;
  unsigned char *en = entry(m, k, e);
  *ehash(en) = h;
  memcpy(ekey(en), key, k->ksz);
  index_put(m, h, e);
  m->len++;
  if (k->str) remember(m, e);
  return eval(k, en);
}

// The value slot of key, a new one (uninitialized) when *existed is false;
// a new key goes in as it is or, with clone, as a clone of a lent str.
static void *insert(rt_map *m, const Kind *k, const void *key, bool clone, bool *existed) {
  uint64_t h = 0;
  int64_t e = find(m, k, key, &h);
  *existed = e >= 0;
  if (e >= 0) return eval(k, entry(m, k, e));
  if (!clone) return add(m, k, key, h);
  rt_str own = rt_str_clone(key);
  return add(m, k, &own, h);
}

static bool remove_key(rt_map *m, const Kind *k, const void *key, void *out) {
  uint64_t h = hash_key(k, key);
  if (m->len == 0) return false;
  size_t mask = (size_t)m->icap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    int64_t e = m->index[i];
    if (e == EMPTY) return false;
    if (e < 0) continue;
    unsigned char *en = entry(m, k, e);
    if (*ehash(en) != h || !key_eq(k, ekey(en), key)) continue;
    m->index[i] = REMOVED;
    *ehash(en) = 0;
    if (k->str) rt_str_drop(ekey(en));
    memcpy(out, eval(k, en), k->vs);
    m->len--;
    return true;
  }
}

static bool next(const rt_map *m, const Kind *k, int64_t *pos, void **key, void **val) {
  while (*pos < m->used) {
    unsigned char *en = entry(m, k, (*pos)++);
    if (!*ehash(en)) continue;
    *key = ekey(en);
    *val = eval(k, en);
    return true;
  }
  return false;
}

static rt_map clone(const rt_map *m, const Kind *k, rt_clone_fn cl) {
  rt_walk_enter(RT_MSG_RECURSION_COPY);
  rt_map r = rt_map_new();
  if (m->len == 0) {
    rt_walk_leave();
    return r;
  }
  rebuild(&r, k, m->cap);
  int64_t pos = 0;
  void *key, *val;
  while (next(m, k, &pos, &key, &val)) {
    bool existed;
    rt_str s = {NULL, 0, 0};
    if (k->str) s = rt_str_clone(key);
    void *slot = insert(&r, k, k->str ? (void *)&s : key, false, &existed);
    if (cl) cl(slot, val);
    else memcpy(slot, val, k->vs);
  }
  rt_walk_leave();
  return r;
}

static void drop(rt_map *m, const Kind *k, rt_drop_fn dr) {
  int64_t pos = 0;
  void *key, *val;
  while (next(m, k, &pos, &key, &val)) {
    if (k->str) rt_str_drop(key);
    if (dr) dr(val);
  }
  rt_free(m->entries);
  rt_free(m->index);
  *m = rt_map_new();
}

static bool map_eq(const rt_map *a, const rt_map *b, const Kind *k, rt_eq_fn eq) {
  if (a->len != b->len) return false;
  rt_walk_enter(RT_MSG_RECURSION_CMP);
  int64_t pos = 0;
  void *key, *val;
  bool same = true;
  while (same && next(a, k, &pos, &key, &val)) {
    int64_t e = lookup(b, k, key, hash_key(k, key));
    void *other = e < 0 ? NULL : eval(k, entry(b, k, e));
    same = other && (eq ? eq(val, other) : memcmp(val, other, k->vs) == 0);
  }
  rt_walk_leave();
  return same;
}

static rt_list keys(const rt_map *m, const Kind *k) {
  rt_list l = rt_list_with_cap(m->len, k->ksz);
  int64_t pos = 0;
  void *key, *val;
  while (next(m, k, &pos, &key, &val)) {
    if (k->str) {
      rt_str s = rt_str_clone(key);
      rt_list_push(&l, &s, sizeof s);
    } else {
      rt_list_push(&l, key, sizeof(int64_t));
    }
  }
  return l;
}

static _Noreturn void key_error(const rt_loc *loc, const Kind *k, const void *key) {
  RtBuf b;
  rtbuf_init(&b);
  if (k->str) rt_buf_put_str_quoted(&b, key);
  else rt_fmt_int(&b, *(const int64_t *)key);
  if (b.oom) rt_panic_oom();
  rt_panic(loc, RT_KEY, "key not found: %s", b.data);
}

// ---- the two families -------------------------------------------------------------
void rt_map_reserve(rt_map *m, int64_t n, bool str_keys, size_t vs) {
  if (m->used + n <= m->cap) return;
  Kind k = kind_of(str_keys, vs);
  int64_t cap = 1;
  while (cap < m->len + n) cap *= 2;  // a power of two, as the index needs
  rebuild(m, &k, cap);
}

#define KI(vs) Kind k = kind_of(false, vs)
#define KS(vs) Kind k = kind_of(true, vs)

void *rt_map_i_insert(rt_map *m, int64_t key, size_t vs, bool *existed) {
  KI(vs);
  return insert(m, &k, &key, false, existed);
}

void *rt_map_s_insert(rt_map *m, rt_str *key, size_t vs, bool *existed) {
  KS(vs);
  void *slot = insert(m, &k, key, false, existed);
  if (*existed) rt_str_drop(key);  // the map keeps its own copy of the key
  else *key = (rt_str){NULL, 0, 0};
  return slot;
}

void *rt_map_s_insert_lent(rt_map *m, const rt_str *key, size_t vs, bool *existed) {
  KS(vs);
  return insert(m, &k, key, true, existed);
}

void *rt_map_i_get(const rt_map *m, int64_t key, size_t vs) {
  KI(vs);
  int64_t e = lookup(m, &k, &key, hash_int(key));
  return e < 0 ? NULL : eval(&k, entry(m, &k, e));
}

void *rt_map_s_get(const rt_map *m, const rt_str *key, size_t vs) {
  KS(vs);
  int64_t e = lookup_str(m, &k, key);
  return e < 0 ? NULL : eval(&k, entry(m, &k, e));
}

void *rt_map_i_at(const rt_map *m, int64_t key, size_t vs, const rt_loc *loc) {
  void *v = rt_map_i_get(m, key, vs);
  if (!v) {
    KI(vs);
    key_error(loc, &k, &key);
  }
  return v;
}

void *rt_map_s_at(const rt_map *m, const rt_str *key, size_t vs, const rt_loc *loc) {
  void *v = rt_map_s_get(m, key, vs);
  if (!v) {
    KS(vs);
    key_error(loc, &k, key);
  }
  return v;
}

bool rt_map_i_remove(rt_map *m, int64_t key, size_t vs, void *out) {
  KI(vs);
  return remove_key(m, &k, &key, out);
}

bool rt_map_s_remove(rt_map *m, const rt_str *key, size_t vs, void *out) {
  KS(vs);
  return remove_key(m, &k, key, out);
}

rt_list rt_map_i_keys(const rt_map *m, size_t vs) {
  KI(vs);
  return keys(m, &k);
}

rt_list rt_map_s_keys(const rt_map *m, size_t vs) {
  KS(vs);
  return keys(m, &k);
}

bool rt_map_i_next(const rt_map *m, int64_t *pos, size_t vs, int64_t **key, void **val) {
  KI(vs);
  return next(m, &k, pos, (void **)key, val);
}

bool rt_map_s_next(const rt_map *m, int64_t *pos, size_t vs, rt_str **key, void **val) {
  KS(vs);
  return next(m, &k, pos, (void **)key, val);
}

rt_map rt_map_i_clone(const rt_map *m, size_t vs, rt_clone_fn cl) {
  KI(vs);
  return clone(m, &k, cl);
}

rt_map rt_map_s_clone(const rt_map *m, size_t vs, rt_clone_fn cl) {
  KS(vs);
  return clone(m, &k, cl);
}

void rt_map_i_drop(rt_map *m, size_t vs, rt_drop_fn dr) {
  KI(vs);
  drop(m, &k, dr);
}

void rt_map_s_drop(rt_map *m, size_t vs, rt_drop_fn dr) {
  KS(vs);
  drop(m, &k, dr);
}

bool rt_map_i_eq(const rt_map *a, const rt_map *b, size_t vs, rt_eq_fn eq) {
  KI(vs);
  return map_eq(a, b, &k, eq);
}

bool rt_map_s_eq(const rt_map *a, const rt_map *b, size_t vs, rt_eq_fn eq) {
  KS(vs);
  return map_eq(a, b, &k, eq);
}
