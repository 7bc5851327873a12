// ast.h — the syntax tree of a Toy program (SPEC §1–4).
//
// One tree serves both back ends: compiler/bytecode/compile.c lowers it to bytecode
// for interp mode, and the native compiler (type checker, borrow checker, C
// generator) walks the same nodes. The parser builds it and never throws
// information away: type annotations, `&`/`&mut`, `mut` and every span are
// kept even though interp mode ignores most of them.
//
// Memory: every node, string and array hangs off the Program's arena and is
// freed at once by ast_free(). Nodes are never shared between two parents.
#ifndef LAB_AST_H
#define LAB_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"

// ---- type annotations --------------------------------------------------------

typedef enum {
  TE_NAME,    // int float bool str, or a struct/enum name: `name`
  TE_LIST,    // [elem]
  TE_MAP,     // {key: elem}
  TE_TUPLE,   // (items...) — zero items is the unit type `()`
  TE_OPTION,  // ?elem
  TE_REF,     // &elem
  TE_REFMUT,  // &mut elem
  TE_THREAD,  // thread[elem]
} TypeExprKind;

typedef struct TypeExpr TypeExpr;
struct TypeExpr {
  TypeExprKind kind;
  Span span;
  char *name;        // TE_NAME
  TypeExpr *key;     // TE_MAP
  TypeExpr *elem;    // TE_LIST TE_MAP TE_OPTION TE_REF TE_REFMUT TE_THREAD
  TypeExpr **items;  // TE_TUPLE
  int nitems;
};

// ---- patterns (match arms) -----------------------------------------------------

typedef enum {
  PAT_WILD,     // _
  PAT_INT,      // 3, -1
  PAT_STR,      // "x"
  PAT_BOOL,     // true / false
  PAT_NONE,     // None
  PAT_SOME,     // Some(x) or Some(_): binds `name` unless it is NULL (for `_`)
  PAT_VARIANT,  // Enum::Variant
} PatternKind;

struct Type;
struct Local;
struct FnDecl;
struct ConstDecl;

typedef struct Pattern {
  PatternKind kind;
  Span span;
  int64_t ival;      // PAT_INT
  bool bval;         // PAT_BOOL
  char *sval;        // PAT_STR (decoded bytes)
  size_t slen;
  char *name;        // PAT_SOME: the binding (NULL for `_`); PAT_VARIANT: the variant
  Span name_span;
  char *enum_name;   // PAT_VARIANT: the enum

  // Set by the type checker (compiler/check/check.h documents them):
  struct Local *local;  // PAT_SOME with a name: the binding
  int index;            // PAT_VARIANT: the variant's index
  struct Type *ty;      // the type the pattern is matched against (refs stripped)
} Pattern;

// ---- expressions and statements ----------------------------------------------

typedef enum {
  // expressions
  ND_INT,         // ival
  ND_FLOAT,       // fval
  ND_STR,         // sval/slen (escapes decoded)
  ND_BOOL,        // bval
  ND_NONE,        // None
  ND_SOME,        // Some(lhs)
  ND_NAME,        // name: a local, parameter or const
  ND_PATH,        // enum_name::name (an enum variant)
  ND_LIST,        // [items...]
  ND_LIST_REPEAT, // [lhs; rhs]
  ND_MAP,         // {items[i]: values[i], ...}
  ND_TUPLE,       // (items...) with at least two items, or (x,) with one
  ND_STRUCT_LIT,  // name { fields[i]: items[i], ... } in source order
  ND_UNARY,       // op lhs — op is TK_MINUS, TK_BANG, TK_AMP (&), TK_AMP_MUT (&mut)
  ND_BINARY,      // lhs op rhs — op is the operator's TokenKind; && and || included
  ND_CALL,        // name(items...) — names a function or builtin directly
  ND_METHOD,      // lhs.name(items...)
  ND_INDEX,       // lhs[rhs]
  ND_FIELD,       // lhs.name
  ND_TUPLE_INDEX, // lhs.ival
  ND_SPAWN,       // spawn lhs — lhs is an ND_CALL

  // statements
  ND_LET,         // let [mut] name [: type] [= lhs];   lhs NULL for deferred init
  ND_ASSIGN,      // lhs op rhs;  op is TK_EQ or a compound TK_PLUS_EQ ... TK_PERCENT_EQ
  ND_EXPR_STMT,   // lhs;
  ND_IF,          // if cond then [else els] — els is an ND_BLOCK or another ND_IF
  ND_WHILE,       // while cond body
  ND_FOR_RANGE,   // for name in lhs..rhs body
  ND_FOR_IN,      // for name in lhs body   (lhs may be an ND_UNARY & for `for x in &v`)
  ND_BREAK,
  ND_CONTINUE,
  ND_RETURN,      // return [lhs];
  ND_MATCH,       // match lhs { items... } — each item is an ND_ARM
  ND_ARM,         // pat => body
  ND_BLOCK,       // { items... } — the statements of the block
} NodeKind;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  Span span;          // the whole construct
  int end_line;       // ND_BLOCK: the line of its `}` (where its scope ends)

  int op;             // ND_UNARY, ND_BINARY, ND_ASSIGN: a TokenKind (see tokens.h)
  int64_t ival;       // ND_INT, ND_TUPLE_INDEX
  double fval;        // ND_FLOAT
  bool bval;          // ND_BOOL
  char *sval;         // ND_STR: decoded bytes, NUL-terminated, may contain NUL
  size_t slen;

  char *name;         // ND_NAME ND_CALL ND_METHOD ND_FIELD ND_STRUCT_LIT ND_LET
                      // ND_FOR_RANGE ND_FOR_IN; ND_PATH: the variant
  Span name_span;     // where `name` is written
  char *enum_name;    // ND_PATH
  bool is_mut;        // ND_LET: `let mut`
  TypeExpr *type;     // ND_LET: the annotation, or NULL

  Node *lhs, *rhs;    // see the kinds above
  Node *cond, *then, *els, *body;
  Pattern *pat;       // ND_ARM

  Node **items;       // list/tuple elements, call args, block statements,
  int nitems;         // map keys, struct literal values, match arms
  Node **values;      // ND_MAP: values (nitems of them)
  char **fields;      // ND_STRUCT_LIT: field names (nitems of them)
  Span *field_spans;

  // Set by the type checker for native mode (compiler/check/check.h documents
  // them in full; interp mode ignores them):
  struct Type *ty;        // every expression: its static type
  struct Local *local;    // ND_NAME (a variable), ND_LET, ND_FOR_RANGE, ND_FOR_IN
  struct ConstDecl *cnst; // ND_NAME naming a const item
  struct FnDecl *fn;      // ND_CALL (and ND_SPAWN's call): the user function, or NULL
  int builtin;            // ND_CALL with fn == NULL: the BuiltinId (runtime/builtins.h)
  int method;             // ND_METHOD: the MethodId (runtime/builtins.h)
  struct Type *recv_ty;   // ND_METHOD: the receiver's type, references stripped
  bool recv_mut;          // ND_METHOD: the receiver is borrowed mutably (&mut self)
  int index;              // ND_FIELD: field index; ND_TUPLE_INDEX: item index;
                          // ND_PATH: variant index
  int *field_index;       // ND_STRUCT_LIT: the declared index of fields[i]
  uint8_t use;            // every expression: a UseMode (compiler/check/types.h)
  bool deref;             // the expression has type &T (or &&T…) and its parent
                          // reads the referent T (implicit dereference)
};

// ---- items -----------------------------------------------------------------------

typedef struct Param {
  char *name;
  Span span;          // the name
  bool is_mut;        // `mut name: T`
  TypeExpr *type;     // NULL when not annotated
  struct Local *local; // set by the type checker
} Param;

typedef struct FnDecl {
  char *name;
  Span span;          // the name
  Param *params;
  int nparams;
  TypeExpr *ret;      // NULL: no `-> T` (returns nothing)
  Node *body;         // ND_BLOCK
  // `#[native]` before it: compiled to native code in --mode=hybrid (the
  // other modes ignore it); `#[native(nogil)]` also releases the GIL.
  bool native, nogil;
  Span attr_span;     // the attribute, `#` to `]`

  // Set by the type checker:
  struct Type **param_types;  // nparams of them
  struct Type *ret_type;      // unit `()` when there is no `-> T`
  struct Local **locals;      // every local of the function, locals[i]->id == i;
  int nlocals;                // the parameters come first, in order
  bool reached;               // compiler/check/lint.c: called, maybe indirectly, from main
} FnDecl;

typedef struct FieldDecl {
  char *name;
  Span span;
  TypeExpr *type;
} FieldDecl;

typedef struct StructDecl {
  char *name;
  Span span;
  FieldDecl *fields;
  int nfields;
  struct Type *ty;    // set by the type checker (ty->st has the field types)
} StructDecl;

typedef struct EnumDecl {
  char *name;
  Span span;
  char **variants;
  Span *variant_spans;
  int nvariants;
  struct Type *ty;    // set by the type checker
} EnumDecl;

typedef struct ConstDecl {
  char *name;
  Span span;
  TypeExpr *type;     // NULL when not annotated
  Node *value;
  struct Type *ty;    // set by the type checker: the annotation, or the value's type
} ConstDecl;

typedef enum { IT_FN, IT_STRUCT, IT_ENUM, IT_CONST } ItemKind;

typedef struct Item {
  ItemKind kind;
  union {
    FnDecl fn;
    StructDecl st;
    EnumDecl en;
    ConstDecl cn;
  };
} Item;

typedef struct Arena Arena;

typedef struct Program {
  Source *src;
  Item **items;       // in source order
  int nitems;
  Arena *arena;       // owns every node, string and array of the tree

  // Set by the type checker (native mode):
  struct TyCtx *types;          // the interning table (types live in the arena)
  struct StructInfo **structs;  // every struct, ordered so that a struct comes
  int nstructs;                 // after each struct it contains inline
  struct EnumInfo **enums;      // every enum, in source order
  int nenums;
} Program;

// Arena allocation for the tree (zeroed memory; aborts on OOM like all of lab).
void *ast_alloc(Program *p, size_t size);
char *ast_strndup(Program *p, const char *s, size_t n);
void ast_free(Program *p);  // frees the tree and its arena, not the Source

// Look-ups by name over the program's items (NULL when absent).
// The name an item declares (NULL if the parser could not read one).
const char *ast_item_name(const Item *it);
// For a call (ND_CALL) of a function Toy writes otherwise — `len(v)`,
// `range(a, b)` — what to write, from its arguments' source text
// (runtime/suggest.h's suggest_call), into out; else NULL. Both modes'
// "unknown function" errors use it.
const char *ast_call_hint(const Source *src, const Node *call, char *out, size_t size);
FnDecl *ast_find_fn(Program *p, const char *name);
StructDecl *ast_find_struct(Program *p, const char *name);
EnumDecl *ast_find_enum(Program *p, const char *name);
ConstDecl *ast_find_const(Program *p, const char *name);

// Is there a node in the subtree of n (n included) for which match(node,
// arg) holds?
bool ast_any(const Node *n, bool (*match)(const Node *n, const void *arg), const void *arg);
// Does the subtree of n name the variable `local` (an ND_NAME the type
// checker resolved to it)?
bool ast_mentions(const Node *n, const struct Local *local);

#endif
