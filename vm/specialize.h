// specialize.h — the specializing adaptive interpreter of PEP 659 (CPython
// 3.11), in the VM (vm/specialize.c; docs/interp.md "Specialization").
//
// A generic instruction of a family below counts its executions in its
// slot of Function.adapt. After SPEC_WARMUP it looks at the operands it has
// and rewrites itself into a specialized form (ADD -> ADD_INT when both are
// ints, GET_FIELD -> GET_FIELD_CACHED with the field's place in the
// instance as its inline cache, …). A specialized instruction guards its
// assumption; on a miss it rewrites itself back (a deopt), runs the generic
// path, and waits SPEC_BACKOFF executions before trying again. --specialize=off
// (vm_specialize false) never specializes: the ablation.
#ifndef LAB_VM_SPECIALIZE_H
#define LAB_VM_SPECIALIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "code.h"

enum { SPEC_BINARY, SPEC_COMPARE, SPEC_FIELD, SPEC_INDEX, SPEC_NFAMILIES };
enum { SPEC_WARMUP = 8, SPEC_BACKOFF = 64 };

extern bool vm_specialize;  // --specialize=on|off (default on)

// Per family, counted in the counted build (--stats), as CPython's
// --enable-pystats: attempts to specialize, successes, failures (operands of
// no specialized form), hits of a specialized form and misses (deopts).
typedef struct SpecStats {
  int64_t attempts, successes, failures, hits, misses;
} SpecStats;
extern SpecStats spec_stats[SPEC_NFAMILIES];
const char *spec_family_name(int family);  // "binary", "compare", "field", "index"

// Gives every function of p its adapt slots (once, before the first run).
void spec_prepare(BcProgram *p);
// The warm-up's end: tries to specialize the instruction whose opcode is at
// op, given the operands on the stack below sp.
void spec_try(Function *fn, uint8_t *op, Obj **sp);
// A specialized instruction's guard failed: back to `generic`.
void spec_deopt(Function *fn, uint8_t *op, uint8_t generic, int family);

// Called by a generic adaptive instruction each time it runs.
static inline void spec_tick(Function *fn, uint8_t *op, Obj **sp) {
  if (!vm_specialize) return;
  int32_t *c = &fn->adapt[op - fn->code];
  if (++*c >= SPEC_WARMUP) spec_try(fn, op, sp);
}

#ifdef LAB_COUNTED
#define SPEC_HIT(family) ((void)spec_stats[(family)].hits++)
#else
#define SPEC_HIT(family) ((void)0)
#endif

#endif
