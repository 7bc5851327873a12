// table.c — the insertion-ordered hash table behind maps and struct instances
// (vm/object.h), laid out like CPython's compact dict:
//
//   entries[0..used)   TableEntry {hash, key, value} in insertion order; a
//                      removed entry stays in place with key == NULL
//   index[0..index_size) open addressing over entry numbers: -1 empty,
//                      -2 dummy (an entry was removed), else an entry number
//
// Both arrays live in one buffer (entries first). Invariants: used <= cap =
// index_size * 2/3, so the index always has an empty slot and every probe
// ends; the number of dummies equals the number of removed entries in
// entries[0..used). Iteration order is entry order, so removal keeps the
// order of the rest (SPEC §5); when entries[] is full the table is rebuilt
// with the removed entries squeezed out, and grows only if it is still full.
#include "table.h"
#include "gc.h"
#include "alloc.h"
#include "object.h"
#include "str.h"
#include "strops.h"
#include "xalloc.h"

#include <string.h>

enum { INDEX_EMPTY = -1, INDEX_DUMMY = -2, MIN_INDEX = 4 };

static int64_t cap_for(int64_t index_size) { return index_size * 2 / 3; }

static size_t block_size(int64_t cap, int64_t index_size) {
  return (size_t)cap * sizeof(TableEntry) + (size_t)index_size * sizeof(int32_t);
}

size_t table_block_size(const Table *t) { return t->entries ? block_size(t->cap, t->index_size) : 0; }

static void free_block(Table *t) {
  if (t->entries) obj_buf_free(t->entries, block_size(t->cap, t->index_size));
}

static bool keys_equal(Obj *a, Obj *b) {
  if (a == b) return true;
  if (a->type != b->type) return false;
  if (a->type == T_STR) {
    StrObj *x = (StrObj *)a, *y = (StrObj *)b;
    return x->len == y->len && rt_bytes_eq(x->data, y->data, (size_t)x->len);
  }
  return a->type == T_INT && int_value(a) == int_value(b);
}

// The smallest index (a power of two) whose table holds `need` entries.
static int64_t index_size_for(int64_t need) {
  int64_t isz = MIN_INDEX;
  while (cap_for(isz) < need) isz *= 2;
  return isz;
}

// The index of a block of cap entries, isz slots after them, all INDEX_EMPTY.
static int32_t *empty_index(TableEntry *entries, int64_t cap, int64_t isz) {
  int32_t *index = (int32_t *)(entries + cap);
  memset(index, 0xff, (size_t)isz * sizeof(int32_t));
  return index;
}

// Appends entry e, at the index slot a failed lookup gave (t has room).
static void append(Table *t, uint64_t slot, TableEntry e) {
  t->entries[t->used] = e;
  t->index[slot] = (int32_t)t->used++;
  t->len++;
}

// Rebuilds t with room for at least `need` live entries, dropping removed
// ones; -1 with a MemoryError (t unchanged) if the block cannot be had. Entry
// numbers are int32 in the index, which caps the index at 2^31 slots.
static int rebuild(Table *t, int64_t need) {
  if (need > cap_for((int64_t)1 << 31)) {
    obj_raise(RT_MEMORY, RT_MSG_OOM);
    return -1;
  }
  int64_t isz = index_size_for(need), cap = cap_for(isz);
  TableEntry *entries = obj_buf_alloc(block_size(cap, isz));
  if (!entries) return -1;
  int32_t *index = empty_index(entries, cap, isz);
  int64_t n = 0;
  uint64_t mask = (uint64_t)isz - 1;
  for (int64_t i = 0; i < t->used; i++) {
    TableEntry *e = &t->entries[i];
    if (!e->key) continue;
    entries[n] = *e;
    uint64_t perturb = e->hash, j = e->hash & mask;
    while (index[j] != INDEX_EMPTY) {
      perturb >>= 5;
      j = (j * 5 + perturb + 1) & mask;
    }
    index[j] = (int32_t)n;
    n++;
  }
  free_block(t);
  t->entries = entries;
  t->index = index;
  t->cap = cap;
  t->index_size = isz;
  t->used = n;
  t->len = n;
  return 0;
}

// Finds key: returns its entry number, or -1 with *slot set to where an
// insertion should go (the first dummy on the probe path, or the empty slot).
static int64_t lookup(Table *t, Obj *key, uint64_t hash, uint64_t *slot) {
  uint64_t mask = (uint64_t)t->index_size - 1;
  uint64_t perturb = hash, j = hash & mask;
  int64_t free_slot = -1;
  for (;;) {
    int32_t ix = t->index[j];
    if (ix == INDEX_EMPTY) {
      *slot = free_slot >= 0 ? (uint64_t)free_slot : j;
      return -1;
    }
    if (ix == INDEX_DUMMY) {
      if (free_slot < 0) free_slot = (int64_t)j;
    } else {
      TableEntry *e = &t->entries[ix];
      if (e->key == key || (e->hash == hash && keys_equal(e->key, key))) {
        *slot = j;
        return ix;
      }
    }
    perturb >>= 5;
    j = (j * 5 + perturb + 1) & mask;
  }
}

Obj *table_get(Table *t, Obj *key, uint64_t hash) {
  if (t->len == 0) return NULL;
  uint64_t slot;
  int64_t ix = lookup(t, key, hash, &slot);
  return ix < 0 ? NULL : t->entries[ix].value;
}

int table_set(Table *t, Obj *key, uint64_t hash, Obj *value) {
  uint64_t slot;
  if (t->index_size) {
    int64_t ix = lookup(t, key, hash, &slot);
    if (ix >= 0) {
      INCREF(value);
      SETREF(t->entries[ix].value, value);
      return 0;
    }
  }
  if (t->used == t->cap) {
    if (rebuild(t, t->len ? t->len * 2 : 1) < 0) return -1;  // grows only if mostly live
    lookup(t, key, hash, &slot);
  }
  INCREF(key);
  INCREF(value);
  append(t, slot, (TableEntry){hash, key, value});
  return 0;
}

Obj *table_pop(Table *t, Obj *key, uint64_t hash) {
  if (t->len == 0) return NULL;
  uint64_t slot;
  int64_t ix = lookup(t, key, hash, &slot);
  if (ix < 0) return NULL;
  TableEntry *e = &t->entries[ix];
  Obj *k = e->key, *v = e->value;
  e->key = NULL;
  e->value = NULL;
  t->index[slot] = INDEX_DUMMY;
  t->len--;
  DECREF(k);
  return v;
}

void table_clear(Table *t) {
  // Detach first: releasing a value must never see a half-cleared table.
  Table old = *t;
  memset(t, 0, sizeof *t);
  for (int64_t i = 0; i < old.used; i++) {
    if (!old.entries[i].key) continue;
    DECREF(old.entries[i].key);
    DECREF(old.entries[i].value);
  }
  free_block(&old);
}

void table_struct_keys(StructDef *def) {
  Table *t = &def->keys;
  memset(t, 0, sizeof *t);
  if (def->nfields == 0) return;
  int64_t isz = index_size_for(def->nfields);
  t->cap = cap_for(isz);
  t->index_size = isz;
  t->entries = rt_xcalloc(1, block_size(t->cap, isz));  // malloc'd: it outlives the pools
  t->index = empty_index(t->entries, t->cap, isz);
  for (int i = 0; i < def->nfields; i++) {
    Obj *k = (Obj *)def->fields[i];
    uint64_t h = str_key_hash(k), slot;
    if (lookup(t, k, h, &slot) >= 0) {  // a field declared twice: no shared keys
      free(t->entries);
      memset(t, 0, sizeof *t);
      return;
    }
    append(t, slot, (TableEntry){h, k, NULL});
  }
}

Obj *table_new_struct_full(StructDef *def, Obj **vals, const int *from) {
  const Table *k = &def->keys;
  size_t size = block_size(k->cap, k->index_size);
  TableEntry *entries = obj_buf_alloc(size);
  if (!entries) return NULL;
  memcpy(entries, k->entries, size);
  bool container = false;  // tracked only with a container value, as table_new_struct's
  for (int i = 0; i < def->nfields; i++) {
    Obj *v = vals[from[i]];
    entries[i].value = v;
    container |= gc_is_container_type(v->type);
  }
  StructObj *s = obj_alloc_container(sizeof(StructObj), T_STRUCT, container);
  if (!s) {
    obj_buf_free(entries, size);  // nothing taken yet
    return NULL;
  }
  s->def = def;
  s->fields = *k;
  s->fields.entries = entries;
  s->fields.index = (int32_t *)(entries + k->cap);
  for (int i = 0; i < def->nfields; i++) INCREF(entries[i].key);
  return (Obj *)s;
}

Obj *table_new_map(void) {
  MapObj *m = obj_alloc_container(sizeof(MapObj), T_MAP, false);
  if (!m) return NULL;
  memset(&m->t, 0, sizeof m->t);
  return (Obj *)m;
}

int table_map_set(Obj *map, Obj *key, uint64_t hash, Obj *value) {
  if (table_set(&((MapObj *)map)->t, key, hash, value) < 0) return -1;
  gc_maybe_track(map, value);
  return 0;
}

Obj *table_new_struct(StructDef *def) {
  if (obj_struct_slots) {
    SlotsStructObj *s = obj_alloc_container(slots_struct_size(def), T_STRUCT, false);  // small unless huge
    if (!s) return NULL;
    s->h.aux = STRUCT_AUX_SLOTS;
    s->def = def;
    for (int i = 0; i < def->nfields; i++) s->slots[i] = NULL;
    return (Obj *)s;
  }
  StructObj *s = obj_alloc_container(sizeof(StructObj), T_STRUCT, false);
  if (!s) return NULL;
  s->def = def;
  memset(&s->fields, 0, sizeof s->fields);
  if (def->nfields > 0 && rebuild(&s->fields, def->nfields) < 0) rt_out_of_memory();  // a small block
  return (Obj *)s;
}
