// ops.h — the operations of the VM on objects: operators, ==, ordering, indexing, fields, deep copy, iteration (vm/ops.c).
// The reference conventions are object.h's.
#ifndef LAB_VM_OPS_H
#define LAB_VM_OPS_H

#include "object.h"

Obj *ops_iter_new(Obj *seq);           // TypeError unless seq is a list or map
const char *ops_type_name(Obj *o);  // "int", "list", the struct's name, ...
bool ops_truthy(Obj *o);            // Python truthiness (used by if/while/&&/||)
// ---- operations (all return new references or NULL with an error raised) -----------
// Binary operators by TokenKind-independent code:
typedef enum { BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV, BIN_MOD, BIN_AND, BIN_OR, BIN_XOR,
               BIN_SHL, BIN_SHR } BinOp;
Obj *ops_binary(BinOp op, Obj *a, Obj *b);
Obj *ops_negate(Obj *a);
Obj *ops_not(Obj *a);                      // !bool, or bitwise !int
// Structural ==: 1 equal, 0 not, -1 with an error raised (RecursionError
// for values nested deeper than OBJ_MAX_WALK_DEPTH, or a cycle: no identity
// shortcut, so `[nan] == [nan]` is false as in native mode).
int ops_eq(Obj *a, Obj *b);
// Ordering for < <= > >=: sets *out to -1/0/1, or 2 when the values are
// unordered (a NaN is involved: then <, <=, >, >= are all false, as in IEEE);
// returns -1 with a TypeError for types that have no order (the message
// names '<'; ops_richcompare names the real operator), or a RecursionError.
int ops_compare(Obj *a, Obj *b, int *out);
typedef enum { CMP_LT, CMP_LE, CMP_GT, CMP_GE } CmpOp;
Obj *ops_richcompare(CmpOp op, Obj *a, Obj *b);  // a < b etc. as a bool object
Obj *ops_index(Obj *seq, Obj *idx);        // v[i], m[k], t[i]
int ops_store_index(Obj *seq, Obj *idx, Obj *v);  // v[i] = v, m[k] = v (borrows v)
Obj *ops_get_field(Obj *o, StrObj *name);  // s.f (name interned)
int ops_set_field(Obj *o, StrObj *name, Obj *v);  // borrows v
Obj *ops_tuple_get(Obj *o, int64_t i);     // t.0
Obj *ops_clone(Obj *o);                    // deep copy (RecursionError past the depth guard)
Obj *ops_iter_next(Obj *it);                   // next element (new ref) or NULL when done (no error)

#endif
