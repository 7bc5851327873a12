// check.h — the static type checker of native mode (SPEC §2–5, §7).
//
// ck_check() resolves every name of a parsed program, infers the types of
// `let` bindings (unification with inference variables, per function),
// checks every expression and statement, and reports each type error into
// the sink in rustc's shape (E0308, E0425, … ; docs/semantics.md "Static
// typing (native mode)" lists the rules where SPEC is silent). It does not
// check ownership, borrows or mutability (the borrow checker does), except
// E0507 (moving out of an element, a map value or through a reference) and
// the positions references may take (E0106, E0373, L0001).
//
// ANNOTATIONS. When ck_check() returns true, the tree carries everything the
// C generator needs; every Type below is resolved and interned (no TY_VAR),
// so types compare by pointer. Types and Locals live in the Program's arena.
//
// Program
//   types               the TyCtx (to build more types with ty_*)
//   structs/nstructs    every StructInfo, ordered so a struct comes after each
//                       struct it contains inline (C declaration order)
//   enums/nenums        every EnumInfo
// StructDecl.ty / EnumDecl.ty / ConstDecl.ty   their Type
// FnDecl
//   param_types[i]      parameter i's type (may be &T / &mut T)
//   ret_type            the return type; unit `()` without `-> T`
//   locals/nlocals      every Local of the function (parameters first); Local.id
//                       is its index; Param.local is the parameter's Local
// Every expression Node
//   ty                  its type. For a name bound to a reference, `&T`.
//   use                 a UseMode (types.h): how the parent uses the value —
//                       COPY, MOVE, BORROW, BORROW_MUT, PLACE (base of a
//                       larger place), ASSIGN (assignment target), DROP
//                       (expression statement). For a node with `deref` set,
//                       the mode applies to the referent (COPY: the referent
//                       is copied out; BORROW: read through the pointer).
//   deref               ty is a reference (possibly several levels, `&&T`) and
//                       the parent reads the referent: an implicit dereference
//                       (SPEC §5 "references read as the value they point to").
//                       Set on operands, values, field/index bases and method
//                       receivers whose type is a reference.
// ND_NAME               local (the variable) or cnst (a const item; then the
//                       name is an rvalue: a fresh value of the const at each use)
// ND_LET, ND_FOR_RANGE, ND_FOR_IN   local: the variable declared. For
//                       `for x in e`: e's type is [T] (x: T, the list is
//                       consumed) or &[T] / &mut [T] (x: &T / &mut T).
// ND_ARM                pat->local: the `Some(x)` binding (NULL for others);
//                       pat->index: the variant of PAT_VARIANT; pat->ty: the
//                       type matched, references stripped. A match whose
//                       scrutinee (lhs) has a reference type binds by reference
//                       (the Local's type is then &T).
// ND_CALL               fn: the user function, or NULL and builtin: the
//                       BuiltinId. Builtins borrow their arguments (use BORROW,
//                       or COPY for copy types). A `&T` parameter's argument
//                       has use COPY (the reference is copied; for `&mut`, an
//                       implicit reborrow) — except a string literal given for
//                       a `&str` parameter: its ty is `str` and its use BORROW
//                       (borrow the temporary).
// ND_SPAWN              ty: thread[T]; lhs is the ND_CALL (with fn set; its ty
//                       is T, the function's return type); arguments are moved.
// ND_METHOD             method: the MethodId (runtime/builtins.h; `join` on a thread
//                       is MT_join with recv_ty a thread); recv_ty: receiver
//                       type with references stripped; recv_mut: `&mut self`.
//                       The receiver (lhs) has use BORROW / BORROW_MUT, except
//                       for `unwrap`, `unwrap_or` and thread `join`, which
//                       consume it (MOVE, or COPY for a copy option).
// ND_FIELD              index: the field's index in recv StructInfo (lhs->ty
//                       stripped of references)
// ND_PATH               index: the variant's index (ty is the enum)
// ND_STRUCT_LIT         field_index[i]: the declared index of fields[i]
// ND_MATCH              exhaustive (E0004 otherwise); arms in order. The
//                       scrutinee's use: COPY (a reference, or a copy type),
//                       BORROW (no arm binds, or it is compared only), MOVE
//                       (a `Some(x)` arm binds a move-type payload by value).
// ND_EXPR_STMT          lhs->use is DROP, or BORROW when lhs is a place (`x;`
//                       reads nothing and moves nothing)
// ND_ASSIGN             lhs->use is ASSIGN; for `m[k] = v` the key is moved
//                       (MOVE/COPY), for `m[k] += v` borrowed
// Where a const's or a temporary's value is consumed its use is MOVE too:
// MOVE on a node that is not a place means "hand the value over".
//
// DIVERGENCE. A function whose return type is not unit ends in a statement
// that cannot complete (return, an if/else or match whose every branch
// cannot, a call of `panic`); the C generator may treat falling off its end
// as unreachable.
#ifndef LAB_CHECK_H
#define LAB_CHECK_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "types.h"

// Type-checks `prog` (which parsed without errors) and annotates it. Returns
// true when no error was reported. Every error in the file is reported.
bool ck_check(Program *prog, DiagSink *sink);
// rustc's warnings on a program ck_check accepted (and bk_check has seen,
// for `mut`): unused variables, unneeded `mut`, functions `main` never
// reaches (compiler/check/lint.c). Into the sink's warnings.
void ck_lint(Program *prog, DiagSink *sink);

// The ownership a checked program's lines ask for, for `lab profile`'s
// compile-time columns: per line (rows 0..nlines), the places moved out of
// (use MOVE on a variable, field or item) and borrowed (BORROW, BORROW_MUT).
void ck_line_uses(const Program *prog, int nlines, int *moves, int *borrows);

#endif
