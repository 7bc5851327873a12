// code.c — building and freeing code objects, and the opcode table.
#include "code.h"
#include "strops.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

const OpInfo bc_opinfo[OP_COUNT] = {
#define OPCODE_INFO_ENTRY(name, operands, effect, doc, costs) {#name, operands, effect, doc, costs},
    OPCODES(OPCODE_INFO_ENTRY)
#undef OPCODE_INFO_ENTRY
};

Function *bc_function_new(const char *name, int line) {
  Function *f = rt_xcalloc(1, sizeof *f);
  
  f->name = rt_xstrdup(name);
  f->line = line;
  return f;
}

void bc_function_free(Function *f) {
  if (!f) return;
  for (int i = 0; i < f->nconsts; i++) obj_release_const(f->consts[i]);
  for (int i = 0; i < f->nlocals; i++) free(f->slot_names[i]);
  free(f->slot_names);
  free(f->consts);
  free(f->const_index);
  free(f->code);
  free(f->lines);
  free(f->starts);
  free(f->ends);
  free(f->adapt);
  free(f->name);
  free(f);
}

void bc_emit(Function *f, uint8_t byte, int line) {
  if (f->len == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 64;
    f->code = rt_xrealloc(f->code, (size_t)f->cap);
    f->lines = rt_xrealloc(f->lines, (size_t)f->cap * sizeof(int));
    f->starts = rt_xrealloc(f->starts, (size_t)f->cap * sizeof(int));
    f->ends = rt_xrealloc(f->ends, (size_t)f->cap * sizeof(int));
  }
  f->code[f->len] = byte;
  f->lines[f->len] = line;
  f->starts[f->len] = f->cur_start;
  f->ends[f->len] = f->cur_end;
  f->len++;
}

void bc_emit16(Function *f, uint16_t v, int line) {
  bc_emit(f, (uint8_t)(v & 0xff), line);
  bc_emit(f, (uint8_t)(v >> 8), line);
}

// Constants are deduplicated only by exact type and value, so that 1 and 1.0
// (equal in Python) and 0.0 and -0.0 stay distinct.
static bool same_const(Obj *a, Obj *b) {
  if (a->type != b->type) return false;
  switch (a->type) {
    case T_INT:
      return int_value(a) == int_value(b);
    case T_FLOAT:
      return memcmp(&((FloatObj *)a)->v, &((FloatObj *)b)->v, sizeof(double)) == 0;
    case T_STR: {
      StrObj *x = (StrObj *)a, *y = (StrObj *)b;
      return x->len == y->len && memcmp(x->data, y->data, (size_t)x->len) == 0;
    }
    default:
      return a == b;
  }
}

// The hash of a constant, consistent with same_const.
static uint64_t const_hash(Obj *o) {
  uint64_t h;
  switch (o->type) {
    case T_INT: h = (uint64_t)int_value(o); break;
    case T_FLOAT: memcpy(&h, &((FloatObj *)o)->v, sizeof h); break;
    case T_STR: return rt_hash_bytes(((StrObj *)o)->data, (size_t)((StrObj *)o)->len);
    default: h = (uint64_t)(uintptr_t)o; break;
  }
  h = (h ^ (h >> 31) ^ (uint64_t)o->type) * 0x9e3779b97f4a7c15u;  // mixed: ints in order would cluster
  return h ^ (h >> 29);
}

// The slot of const_index where value is, or the empty slot where it goes.
static int *const_slot(Function *f, Obj *value) {
  size_t mask = (size_t)f->cap_consts * 2 - 1;
  for (size_t i = const_hash(value) & mask;; i = (i + 1) & mask) {
    int *slot = &f->const_index[i];
    if (*slot < 0 || same_const(f->consts[*slot], value)) return slot;
  }
}

int bc_add_const(Function *f, Obj *value) {
  if (f->nconsts > 0) {
    int *slot = const_slot(f, value);
    if (*slot >= 0) {
      DECREF(value);
      return *slot;
    }
  }
  if (f->nconsts == f->cap_consts) {  // grow both, and index the constants again
    f->cap_consts = f->cap_consts ? f->cap_consts * 2 : 8;
    f->consts = rt_xrealloc(f->consts, (size_t)f->cap_consts * sizeof(Obj *));
    f->const_index = rt_xrealloc(f->const_index, (size_t)f->cap_consts * 2 * sizeof(int));
    memset(f->const_index, -1, (size_t)f->cap_consts * 2 * sizeof(int));
    for (int i = 0; i < f->nconsts; i++) *const_slot(f, f->consts[i]) = i;
  }
  obj_immortalize_const(value);
  f->consts[f->nconsts] = value;
  *const_slot(f, value) = f->nconsts;
  return f->nconsts++;
}

void bc_program_free(BcProgram *p) {
  if (!p) return;
  for (int i = 0; i < p->nfns; i++) bc_function_free(p->fns[i]);
  free(p->fns);
  for (int i = 0; i < p->nshapes; i++) {
    free(p->shapes[i].names);
    free(p->shapes[i].from);
  }
  free(p->shapes);
  for (int i = 0; i < p->nstructs; i++) structdef_free(p->structs[i]);
  free(p->structs);
  for (int i = 0; i < p->nenums; i++) enumdef_free(p->enums[i]);
  free(p->enums);
  free(p->path);
  free(p);
}
