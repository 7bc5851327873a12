// code.h — compiled bytecode: functions (code objects) and the program that
// holds them. compiler/bytecode/compile.c fills these in; vm.c runs them; dis.c prints
// them. (clox calls this a "chunk"; CPython a code object.)
#ifndef LAB_CODE_H
#define LAB_CODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "object.h"
#include "opcodes.h"

// SPAWN's function operand that means "no function: the call (a builtin's)
// was already made; wrap the value on top in a finished thread handle".
#define SPAWN_DONE 0xffff

typedef struct Function {
  char *name;
  int line;            // where `fn` is written
  int arity;
  int nlocals;         // frame slots: parameters, then locals and hidden temps
  int max_stack;       // deepest operand stack above the slots
  uint8_t *code;
  int len, cap;
  int *lines;          // source line of each code byte
  // The source text of the expression each code byte belongs to, as byte
  // offsets [start, end) into the program's text, for the traceback's
  // carets (CPython 3.11's). bc_emit records cur_start and cur_end, which
  // the compiler sets to the node it is compiling.
  int *starts, *ends;
  int cur_start, cur_end;
  Obj **consts;        // owned
  int nconsts, cap_consts;
  int *const_index;    // bc_add_const's hash index into consts (-1: empty),
                       // cap_consts * 2 entries: finding a constant is O(1)
  char **slot_names;   // nlocals names (hidden temps start with '.')
  // --mode=hybrid: a #[native] function's compiled wrapper (a LabHybridFn,
  // runtime/hybrid_abi.h), which CALL_NATIVE calls; NULL otherwise.
  void *native;
  bool nogil;          // #[native(nogil)]: the call releases the GIL
  // The adaptive interpreter (PEP 659, vm/specialize.c): one slot per code
  // byte, at the offset of an adaptive instruction: its warm-up counter
  // while it is generic, its inline cache once specialized. NULL until run.
  int32_t *adapt;
} Function;

// One struct literal: its values are pushed in source order (Rust evaluates
// them so), but fields are inserted into the instance in declaration order,
// so that every instance's table lists them alike. Field i of the insertion
// order is names[i], taken from stack position from[i] of the n values.
typedef struct StructShape {
  StructDef *def;
  int n;
  StrObj **names;      // interned (borrowed)
  int *from;
  bool full;           // names are exactly def's fields, in order (def->keys serves)
} StructShape;

typedef struct BcProgram {
  char *path;          // for tracebacks
  const char *text;    // the source (borrowed: it outlives the run), for the traceback's lines
  Function **fns;
  int nfns;
  int main_fn;         // index of `main`
  StructDef **structs;
  int nstructs;
  EnumDef **enums;
  int nenums;
  StructShape *shapes;
  int nshapes;
} BcProgram;

Function *bc_function_new(const char *name, int line);
void bc_function_free(Function *f);
void bc_program_free(BcProgram *p);

// Appends one byte / a u16 at the given source line.
void bc_emit(Function *f, uint8_t byte, int line);
void bc_emit16(Function *f, uint16_t v, int line);
// Adds a constant (stealing the reference), reusing an equal int, float or
// str constant already present; returns its index.
int bc_add_const(Function *f, Obj *value);

static inline uint16_t bc_read16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

// `lab dis`: prints every function (or only `only_fn` when not NULL); with
// `costs`, each instruction's allocations, increfs and decrefs too.
// Returns false when `only_fn` names no function.
int bc_disassemble(BcProgram *p, FILE *out, const char *only_fn, bool costs);

#endif
