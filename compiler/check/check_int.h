// check_int.h — what check.c (items, statements, patterns, the end-of-function
// pass) and check_expr.c (expressions, calls, methods) share. Private to the
// type checker; compiler/check/check.h is the interface.
#ifndef LAB_CHECK_INT_H
#define LAB_CHECK_INT_H

#include "check.h"

// Use modes that exist only while a function is being checked: whether a
// value is copied or moved depends on its type, which inference may only
// know at the end of the function. ck_finish_fn turns them into UseModes.
enum {
  USE_PENDING_READ = 100,  // read (operand, builtin argument): COPY or BORROW
  USE_PENDING_VALUE,       // consumed (let, argument, stored, returned): COPY or MOVE (+E0507)
  USE_PENDING_MATCH,       // a scrutinee matched by value with bindings: COPY or MOVE (+E0507)
};

// One name of the program: an item, and the innermost local of that name.
typedef struct NameSlot {
  const char *name;
  uint32_t hash;
  Item *item;
  Local *local;
} NameSlot;

typedef struct Ck {
  Program *prog;
  DiagSink *sink;
  TyCtx *tc;
  Type *t_int, *t_float, *t_bool, *t_str, *t_unit, *t_err;

  NameSlot *slots;     // open addressing; cap is a power of two
  uint32_t cap, count;

  // the function (or const) being checked
  FnDecl *fn;
  Type *ret;
  Local **locals;      // its locals (malloc'd while checking; copied to the arena)
  int nlocals, caplocals;
  Local **scope;       // locals in scope, innermost last; blocks pop back to a mark
  int nscope, capscope;

  ConstDecl **const_stack;  // consts being checked (cycle detection)
  int nconst_stack, capconst_stack;
} Ck;

// ---- check.c -------------------------------------------------------------------
NameSlot *ck_slot(Ck *ck, const char *name);       // NULL when the name is unknown
Item *ck_item(Ck *ck, const char *name, ItemKind kind);
// rustc's "help: a struct with a similar name exists: `Point`": the item of
// the kinds in `kinds` (bits 1 << IT_…), or the name in `builtins` (NULL or
// NULL-terminated; called a `builtin_what`), closest to name
// (runtime/suggest.h). True if one was.
bool ck_similar_item(Ck *ck, Diag *d, const char *name, unsigned kinds, const char *const *builtins,
                     const char *builtin_what);
Type *ck_const_type(Ck *ck, ConstDecl *cd);        // checks the const on first use
Local *ck_declare(Ck *ck, const char *name, Span span, Type *t, bool is_mut, LocalKind kind, Node *decl);
bool ck_block(Ck *ck, Node *n);                     // true when it cannot complete
bool ck_refmut_ok(Type *t);                         // may `&mut` point at a t? (L0001)
void ck_refmut_error(Ck *ck, Span span, Type *t);

// ---- check_expr.c -----------------------------------------------------------
// Checks `n` and sets n->ty; `hint` (may be NULL) is the type the context
// wants, used for literals like `[]` and `None`.
Type *ck_expr(Ck *ck, Node *n, Type *hint);
// `n` in a value context (a let, an argument, a stored element, a return, an
// assignment): checked against `want` (E0308), a reference read as its
// referent when `want` is not a reference (or always, when `store`). Returns
// the value's type.
Type *ck_value(Ck *ck, Node *n, Type *want, bool store);
// `n` read as an operand: references stripped, borrowed or copied.
Type *ck_operand(Ck *ck, Node *n, Type *hint);
// `n` must be a bool (a condition, `assert`, `&&`).
void ck_cond(Ck *ck, Node *n);
// The place `n` as an assignment target (compound: `+=` etc. reads it too).
Type *ck_assign_target(Ck *ck, Node *n, bool compound);

// E0308 "mismatched types" at `span`: expected `want`, found `got`. Silent
// when either mentions the error type.
Diag *ck_mismatch(Ck *ck, Span span, Type *want, Type *got);
Type *ck_deref(Node *n, Type *t);
const char *ck_op_text(int op);     // "+", "+=", "<<", …
void ck_method_late(Ck *ck, Node *n);  // ND_METHOD checks that need resolved types   // marks n->deref when t is a reference; returns the referent

#endif
