// types.h — the static types of native mode (SPEC §2) and the records the
// type checker (check.c) leaves on the syntax tree for the C generator.
//
// Interning: every type is made by a ty_* constructor of one TyCtx, which
// hash-conses it, so two structurally equal types are the same pointer and
// `a == b` is type equality. The one exception is the inference variable
// (TY_VAR): each is a fresh object, bound during checking to another type
// (union-find through `bound`). Checking resolves every type it leaves on the
// tree (ty_resolve), so after ck_check() no annotation contains a TY_VAR and
// pointer comparison is exact. All types live in the Program's arena and die
// with ast_free().
#ifndef LAB_TYPES_H
#define LAB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

typedef enum {
  TY_ERROR,   // a type error was reported here: unifies with everything, so
              // one mistake gives one diagnostic (no cascades)
  TY_INT,     // i64
  TY_FLOAT,   // f64
  TY_BOOL,
  TY_STR,     // owned UTF-8 string
  TY_UNIT,    // `()`: what a function without `-> T` returns
  TY_LIST,    // [elem]
  TY_MAP,     // {key: elem}; key is int or str
  TY_TUPLE,   // (items...), at least one item
  TY_OPTION,  // ?elem
  TY_STRUCT,  // st
  TY_ENUM,    // en
  TY_REF,     // &elem
  TY_REFMUT,  // &mut elem
  TY_THREAD,  // thread[elem]
  TY_VAR,     // inference variable (checking only; see above)
} TypeKind;

typedef struct StructInfo StructInfo;
typedef struct EnumInfo EnumInfo;

typedef struct Type Type;
struct Type {
  TypeKind kind;
  Type *elem;          // LIST OPTION REF REFMUT THREAD; MAP: the value type
  Type *key;           // MAP
  Type **items;        // TUPLE
  int nitems;
  StructInfo *st;      // STRUCT
  EnumInfo *en;        // ENUM
  Type *bound;         // VAR: what it was unified with, or NULL
  int var_id;          // VAR: a number for messages and debugging
  bool has_var;        // this type mentions a TY_VAR (so it may still change)
  uint32_t hash;
  Type *next;          // the interning table's chain
};

typedef struct TyField {
  const char *name;
  Type *type;
  Span span;
  // The field is `?S` where S (this struct or another) contains this struct
  // again: native mode stores it behind an owned pointer (NULL is None).
  bool boxed;
} TyField;

struct StructInfo {
  const char *name;
  StructDecl *decl;
  int index;           // the struct's position among the program's structs
  TyField *fields;     // declaration order = C field order
  int nfields;
  bool recursive;      // some field is boxed (the struct contains itself through ?Self)
  Type *type;
};

struct EnumInfo {
  const char *name;
  EnumDecl *decl;
  int index;
  const char **variants;  // a variant's value is its index
  int nvariants;
  Type *type;
};

// ---- records for the code generator ------------------------------------------

// A local variable of one function: a parameter, a `let`, a `for` variable
// or a match binding `Some(x)`. Each declaration is its own Local (shadowing
// makes a new one), so a C generator can give each a distinct C variable.
typedef enum { LK_PARAM, LK_LET, LK_FOR, LK_MATCH } LocalKind;

typedef struct Local Local;
struct Local {
  int id;              // unique within its function: fn->locals[id] == this
  const char *name;
  Type *type;          // resolved; a reference type for `for x in &v`, match-by-reference bindings
  bool is_mut;         // `let mut`, `mut` parameter
  LocalKind kind;
  Node *decl;          // ND_LET, ND_FOR_RANGE, ND_FOR_IN or ND_ARM (whose pat->local is this);
                       // NULL for a parameter
  int param;           // LK_PARAM: the parameter's index; otherwise -1
  Span span;           // where the name is declared
  Local *shadowed;     // checking only: the binding this one hides
  // For the warnings (compiler/check/lint.c): read somewhere (the type
  // checker: a name resolved to it, `x op= e` included), and changed after
  // its declaration (an assignment, or the borrow checker's mutable access).
  bool used, mutated;
  // Set by the borrow checker for drop elaboration (compiler/check/borrowck.h):
  bool needs_drop_flag;  // initialized on some paths, not others, at a drop point
  bool moved;            // it, or a field of it, is moved somewhere
  struct BkFieldFlag *field_flags;  // conditionally moved field paths, or NULL
  struct BkDropPoint *drops;        // its state at each of its drop points (bk_drop_state)
};

// How an expression's value is used by its parent (SPEC §5 "Places"); the
// code generator places moves, drops and drop flags from it. Set on every
// expression node by ck_check (Node.use).
typedef enum {
  USE_NONE,        // not used as a value (never left on an expression after checking)
  USE_COPY,        // a value of copy type is read (copied out of its place)
  USE_MOVE,        // a value of move type is consumed: a place (a variable, or a field /
                   // tuple item of a variable: a partial move) is moved out of and is
                   // dead afterwards; a temporary is handed over to the parent
  USE_BORROW,      // the parent reads it through a shared reference: a place stays
                   // where it is; a temporary lives until the end of the statement
  USE_BORROW_MUT,  // the same, mutably (`&mut e`, a `&mut self` receiver)
  USE_PLACE,       // the base of a larger place (`v` in `v[i]`, `s` in `s.f`): how the
                   // whole place is used is the parent's own use
  USE_ASSIGN,      // the target of an assignment (its old value is replaced)
  USE_DROP,        // an expression statement's value: computed, then dropped
} UseMode;

typedef struct TyCtx TyCtx;

// A context owns the interning table; its memory is the Program's arena.
TyCtx *ty_ctx_new(Program *prog);

Type *ty_prim(TyCtx *c, TypeKind kind);    // TY_ERROR INT FLOAT BOOL STR UNIT
Type *ty_list(TyCtx *c, Type *elem);
Type *ty_map(TyCtx *c, Type *key, Type *val);
Type *ty_tuple(TyCtx *c, Type **items, int n);  // items copied; n == 0 gives unit
Type *ty_option(TyCtx *c, Type *elem);
Type *ty_ref(TyCtx *c, Type *elem, bool mut);
Type *ty_thread(TyCtx *c, Type *elem);
Type *ty_struct(TyCtx *c, StructInfo *st);
Type *ty_enum(TyCtx *c, EnumInfo *en);
Type *ty_var(TyCtx *c);                     // a fresh inference variable

// Follows a variable's bindings to its representative (a TY_VAR still
// unbound, or a type of another kind). Cheap; for looking at the outer kind.
Type *ty_find(Type *t);
// Substitutes every bound variable, giving an interned type. Unbound
// variables stay (check has_var on the result to know).
Type *ty_resolve(TyCtx *c, Type *t);
// Makes a and b equal by binding variables. False (binding nothing more than
// what was consistent) when they cannot be. TY_ERROR unifies with anything.
bool ty_unify(TyCtx *c, Type *a, Type *b);

// SPEC §2: int, float, bool, payload-free enums, &T, and tuples / options of
// copy types are copy; everything else (str, lists, maps, structs, &mut T,
// threads) moves. Unit and the error type count as copy. An unbound variable
// is not copy.
bool ty_is_copy(Type *t);
static inline bool ty_is_move(Type *t) { return !ty_is_copy(t); }
bool ty_is_ref(Type *t);                    // TY_REF or TY_REFMUT (after ty_find)
Type *ty_strip_refs(Type *t);               // &&T -> T (after ty_find)
bool ty_has_error(Type *t);                 // mentions TY_ERROR anywhere

// Prints `t` in Toy syntax (`[int]`, `{str: int}`, `?Point`, `&mut [int]`,
// `(int, str)`, `()`, `_` for an unknown type) into buf; returns buf.
#define TY_STR_MAX 256
const char *ty_str(Type *t, char *buf, size_t size);

#endif
