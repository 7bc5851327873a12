// str.c — Toy strings in interp mode (vm/object.h): immutable byte strings
// with a cached hash, the intern table (field, struct and enum names), and
// str_key_hash, the hash of the two kinds of map key (int and str).
#include "str.h"
#include "alloc.h"
#include "object.h"
#include "strops.h"
#include "ops.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// NULL with a MemoryError when len bytes cannot be had.
Obj *str_new(const char *s, int64_t len) {
  if (len < 0 || (uint64_t)len > (uint64_t)PTRDIFF_MAX - offsetof(StrObj, data) - 1)
    return obj_raise(RT_MEMORY, RT_MSG_OOM);
  StrObj *o = obj_alloc(offsetof(StrObj, data) + (size_t)len + 1, T_STR);
  if (!o) return NULL;
  o->len = len;
  o->hash = 0;
  if (s && len) memcpy(o->data, s, (size_t)len);
  o->data[len] = '\0';
  return (Obj *)o;
}

Obj *str_from_cstr(const char *s) { return str_new(s, (int64_t)strlen(s)); }

uint64_t str_key_hash(Obj *key) {
  if (key->type == T_STR) {
    StrObj *s = (StrObj *)key;
    // Cached on first use, never 0 ("not yet"). Two threads may both compute
    // it (--gil=off): the same value, stored with relaxed atomics.
    uint64_t h = __atomic_load_n(&s->hash, __ATOMIC_RELAXED);
    if (!h) __atomic_store_n(&s->hash, h = rt_hash_bytes(s->data, s->len), __ATOMIC_RELAXED);
    return h;
  }
  if (key->type == T_INT) {
    // A multiplicative mix spreads consecutive ints over the low bits the
    // table's index uses.
    uint64_t h = (uint64_t)int_value(key) * 0x9e3779b97f4a7c15u;
    h ^= h >> 29;
    return h ? h : 1;
  }
  obj_raise(RT_TYPE, "unhashable type: '%s'", ops_type_name(key));
  return 0;
}

// ---- interning ------------------------------------------------------------------
// An open-addressing set of immortal strings (aux = 1), at most half full.
// They are raw pool buffers, not counted objects, and live until obj_finish().
// Strings are interned while a program is compiled, and by nothing at run
// time today; the lock keeps that safe for any thread all the same.
static StrObj **interned;
static size_t interned_cap, interned_len;
static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;

static void intern_insert(StrObj *s) {
  size_t mask = interned_cap - 1;
  size_t i = (size_t)s->hash & mask;
  while (interned[i]) i = (i + 1) & mask;
  interned[i] = s;
}

static StrObj *intern_locked(const char *s, int64_t len);
StrObj *str_intern(const char *s, int64_t len) {
  pthread_mutex_lock(&interned_lock);
  StrObj *o = intern_locked(s, len);
  pthread_mutex_unlock(&interned_lock);
  return o;
}

static StrObj *intern_locked(const char *s, int64_t len) {
  uint64_t h = rt_hash_bytes(s, len);
  if (interned_cap) {
    size_t mask = interned_cap - 1;
    for (size_t i = (size_t)h & mask; interned[i]; i = (i + 1) & mask) {
      StrObj *o = interned[i];
      if (o->hash == h && o->len == len && memcmp(o->data, s, (size_t)len) == 0) return o;
    }
  }
  if ((interned_len + 1) * 2 > interned_cap) {
    StrObj **old = interned;
    size_t old_cap = interned_cap;
    interned_cap = old_cap ? old_cap * 2 : 256;
    interned = calloc(interned_cap, sizeof(StrObj *));
    if (!interned) rt_out_of_memory();
    for (size_t i = 0; i < old_cap; i++)
      if (old[i]) intern_insert(old[i]);
    free(old);
  }
  StrObj *o = obj_buf_alloc(offsetof(StrObj, data) + (size_t)len + 1);
  if (!o) rt_out_of_memory();  // names of the program: cannot be propagated
  o->h.rc = IMMORTAL_RC;
  o->h.type = T_STR;
  o->h.aux = 1;
#ifdef LAB_FT
  OBJ_OWN(&o->h);  // no owner's counts are ever used: it is immortal
#endif
  o->len = len;
  o->hash = h;
  if (len) memcpy(o->data, s, (size_t)len);
  o->data[len] = '\0';
  intern_insert(o);
  interned_len++;
  return o;
}

void str_intern_finish(void) {
  for (size_t i = 0; i < interned_cap; i++)
    if (interned[i]) obj_buf_free(interned[i], offsetof(StrObj, data) + (size_t)interned[i]->len + 1);
  free(interned);
  interned = NULL;
  interned_cap = interned_len = 0;
}
