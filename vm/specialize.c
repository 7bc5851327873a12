// specialize.c — the specializing adaptive interpreter (PEP 659): deciding
// which specialized form an instruction takes (vm/specialize.h). The forms
// themselves run in vm/vm.c's dispatch loop. Rewriting an instruction is
// safe because only the thread holding the GIL runs bytecode.
#include "specialize.h"

#include <stdlib.h>

#include "xalloc.h"

bool vm_specialize = true;
SpecStats spec_stats[SPEC_NFAMILIES];

const char *spec_family_name(int family) {
  static const char *const names[SPEC_NFAMILIES] = {"binary", "compare", "field", "index"};
  return family >= 0 && family < SPEC_NFAMILIES ? names[family] : "?";
}

// The superinstructions: an instruction `first` followed by `second` on the
// same line becomes `super`, which runs both (vm.c says how).
static const struct {
  uint8_t first, second, super;
} supers[] = {
    {OP_LOAD, OP_LOAD, OP_LOAD_LOAD},
    {OP_LOAD, OP_CONST, OP_LOAD_CONST},
    {OP_STORE, OP_LOAD, OP_STORE_LOAD},
};

static void form_supers(Function *f) {
  for (int i = 0, next; i < f->len; i = next) {
    next = i + 1 + bc_opinfo[f->code[i]].operand_bytes;
    if (next >= f->len || f->lines[next] != f->lines[i]) continue;
    for (size_t k = 0; k < sizeof supers / sizeof supers[0]; k++)
      if (f->code[i] == supers[k].first && f->code[next] == supers[k].second) f->code[i] = supers[k].super;
  }
}

void spec_prepare(BcProgram *p) {
  for (int i = 0; i < p->nfns; i++) {
    Function *f = p->fns[i];
    if (f->adapt) continue;
    f->adapt = rt_xcalloc((size_t)f->len + 1, sizeof(int32_t));
    if (vm_specialize) form_supers(f);
  }
}

// The specialized form of a binary or comparison opcode for two ints
// (or two floats), or -1.
static int numeric_form(uint8_t op, bool ints) {
  switch (op) {
  case OP_ADD: return ints ? OP_ADD_INT : OP_ADD_FLOAT;
  case OP_SUB: return ints ? OP_SUB_INT : OP_SUB_FLOAT;
  case OP_MUL: return ints ? OP_MUL_INT : OP_MUL_FLOAT;
  case OP_DIV: return ints ? -1 : OP_DIV_FLOAT;  // int division is inline already
  case OP_LT: return ints ? OP_LT_INT : OP_LT_FLOAT;
  case OP_LE: return ints ? OP_LE_INT : OP_LE_FLOAT;
  case OP_GT: return ints ? OP_GT_INT : OP_GT_FLOAT;
  case OP_GE: return ints ? OP_GE_INT : OP_GE_FLOAT;
  default: return -1;
  }
}

// Where field `name` lives in instance o: its entry in the instance's table,
// or its slot (--struct-fields=slots); -1 when it has none.
static int32_t field_place(Obj *o, StrObj *name) {
  if (o->type != T_STRUCT) return -1;
  if (STRUCT_IS_SLOTS(o)) {
    SlotsStructObj *s = (SlotsStructObj *)o;
    for (int i = 0; i < s->def->nfields; i++)
      if (s->def->fields[i] == name && s->slots[i]) return i;
    return -1;
  }
  Table *t = &((StructObj *)o)->fields;
  for (int64_t e = 0; e < t->used && e < INT32_MAX; e++)
    if (t->entries[e].key == (Obj *)name) return (int32_t)e;
  return -1;
}

void spec_try(Function *fn, uint8_t *op, Obj **sp) {
  int32_t *slot = &fn->adapt[op - fn->code];
  int family, form = -1;
  int32_t cache = 0;
  switch (*op) {
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
    family = *op == OP_LT || *op == OP_LE || *op == OP_GT || *op == OP_GE ? SPEC_COMPARE : SPEC_BINARY;
    Obj *a = sp[-2], *b = sp[-1];
    if (a->type == T_INT && b->type == T_INT) form = numeric_form(*op, true);
    else if (a->type == T_FLOAT && b->type == T_FLOAT) form = numeric_form(*op, false);
    break;
  }
  case OP_GET_FIELD:
    family = SPEC_FIELD;
    cache = field_place(sp[-1], (StrObj *)fn->consts[bc_read16(op + 1)]);
    if (cache >= 0) form = OP_GET_FIELD_CACHED;
    break;
  case OP_INDEX:
    family = SPEC_INDEX;
    if (sp[-2]->type == T_LIST && sp[-1]->type == T_INT) form = OP_INDEX_LIST_INT;
    break;
  case OP_STORE_INDEX:  // a b c: a[b] = c
    family = SPEC_INDEX;
    if (sp[-3]->type == T_LIST && sp[-2]->type == T_INT) form = OP_STORE_INDEX_LIST_INT;
    break;
  default:
    return;
  }
  (void)family;
#ifdef LAB_COUNTED
  spec_stats[family].attempts++;
#endif
  if (form < 0) {
#ifdef LAB_COUNTED
    spec_stats[family].failures++;
#endif
    *slot = -SPEC_BACKOFF;
    return;
  }
#ifdef LAB_COUNTED
  spec_stats[family].successes++;
#endif
  *slot = cache;
  *op = (uint8_t)form;
}

void spec_deopt(Function *fn, uint8_t *op, uint8_t generic, int family) {
  (void)family;
#ifdef LAB_COUNTED
  spec_stats[family].misses++;
#endif
  *op = generic;
  fn->adapt[op - fn->code] = -SPEC_BACKOFF;
}
