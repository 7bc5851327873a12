// borrowck_report.c — the borrow checker's diagnostics, in rustc's shape
// (SPEC §7): the headline, the primary span with `^^^`, the secondary spans
// that explain it ("value moved here", "immutable borrow occurs here",
// "borrow later used here"), a `help:` with the fix — and one line rustc
// cannot print: what interp mode does when it runs the same program (SPEC's
// lesson: the program Rust rejects, Python runs, and here is how).
//
// The explanations of the codes themselves are in compiler/front/errors.def.
#include <stdlib.h>
#include <string.h>

#include "borrowck_int.h"
#include "tokens.h"
#include "xalloc.h"

static Span ev_span(Bk *bk, int ev) {
  Node *n = bk->evs[ev].node;
  if (n) return n->span;
  Span s = bk->fn->span;
  return s;
}

static Type *path_type(Bk *bk, int path) {
  Type *t = bk->paths[path].ty;
  return t ? t : NULL;
}

// "list", "map", "string", … for the notes.
static const char *kind_word(Type *t) {
  if (!t) return "value";
  t = ty_strip_refs(ty_find(t));
  switch (t->kind) {
  case TY_STR: return "string";
  case TY_LIST: return "list";
  case TY_MAP: return "map";
  case TY_STRUCT: return "struct";
  case TY_TUPLE: return "tuple";
  case TY_OPTION: return "option";
  case TY_THREAD: return "thread handle";
  default: return "value";
  }
}

// Can interp mode change this object in place (so sharing it is visible)?
static bool changeable(Type *t) {
  if (!t) return false;
  t = ty_strip_refs(ty_find(t));
  return t->kind == TY_LIST || t->kind == TY_MAP || t->kind == TY_STRUCT;
}

// Who holds loan l: "`r`", "the loop", "the match", "the call".
static void holder_text(Bk *bk, int loan, char *buf, size_t size) {
  Holder *h = &bk->holders[bk->loans[loan].holder];
  if (h->local >= 0) {
    snprintf(buf, size, "`%s`", bk_local(bk, h->local)->name);
    return;
  }
  // A temporary: name it after what uses it.
  for (int i = 0; i < bk->nevs; i++) {
    Ev *e = &bk->evs[i];
    if (e->kind == EV_USE && e->use == bk->loans[loan].holder && e->node) {
      if (e->node->kind == ND_FOR_IN) snprintf(buf, size, "the loop");
      else if (e->node->kind == ND_ARM) snprintf(buf, size, "the match");
      else snprintf(buf, size, "the call");
      return;
    }
  }
  snprintf(buf, size, "the borrow");
}

static bool is_loop_loan(Bk *bk, int loan) {
  int h = bk->loans[loan].holder;
  if (bk->holders[h].local >= 0) return false;
  for (int i = 0; i < bk->nevs; i++)
    if (bk->evs[i].kind == EV_USE && bk->evs[i].use == h && bk->evs[i].node && bk->evs[i].node->kind == ND_FOR_IN)
      return true;
  return false;
}

// ---- E0382 / E0381 -----------------------------------------------------------------------

// The note on what interp mode does instead of the move mv of path moved,
// for an error at span use.
static void interp_move_note(Bk *bk, Diag *d, int moved, int mv, bool prev, Span use) {
  char a[256], b[256];
  bk_path_text(bk, moved, a, sizeof a);
  Type *ty = path_type(bk, moved);
  const char *kw = kind_word(ty);
  bool ch = changeable(ty);
  Ev *e = mv >= 0 ? &bk->evs[mv] : NULL;
  Node *aux = e ? e->aux : NULL;
  switch (e ? (MoveDest)e->dest : MD_OTHER) {
  case MD_LET:
    diag_note(d, "in interp mode this runs: `%s` and `%s` share one %s object (refcount 2); nothing is moved%s", a,
              aux->name, kw, ch ? ", and a change made through either name is visible through the other" : "");
    return;
  case MD_ASSIGN:
    source_text(bk->sink->src, aux->lhs->span, b, sizeof b);
    diag_note(d, "in interp mode this runs: after `%s = %s`, both names share one %s object (refcount 2); nothing is moved%s",
              b, a, kw, ch ? ", so a change through one is visible through the other" : "");
    return;
  case MD_ARG:
    diag_note(d, "in interp mode this runs: `%s` receives the same %s object as `%s` (refcount + 1), and `%s` still "
                 "names it afterwards%s",
              aux->name, kw, a, a, ch ? " — with every change the function made to it" : "");
    return;
  case MD_SPAWN:
    diag_note(d, "this is the data race the type system prevents: `%s` now belongs to the new thread, and a second "
                 "owner could change it while that thread runs",
              a);
    diag_note(d, "in interp mode this runs: the new thread gets the same %s object as `%s` (refcount + 1) and both "
                 "threads use it; the GIL lets only one of them run at a time but does not make `v[0] = v[0] + 1` "
                 "atomic, so updates can be lost (examples/threads/race.toy)",
              kw, a);
    return;
  case MD_FOR:
    if (use.off >= aux->span.off && use.off < aux->span.off + aux->span.len)
      diag_note(d, "in interp mode this runs: `for` walks `%s`'s list itself, not a copy (refcount + 1), so the loop "
                   "sees what its body changes in it, as in Python",
                a);
    else
      diag_note(d, "in interp mode this runs: `for` walks the list without taking it (refcount + 1), so `%s` "
                   "still names it after the loop",
                a);
    return;
  case MD_MATCH: {
    Pattern *p = aux && aux->pat ? aux->pat : NULL;
    diag_note(d, "in interp mode this runs: the arm's `%s` is a second name for the payload of `%s`; `%s` itself is "
                 "unchanged",
              p && p->name ? p->name : "_", a, a);
    return;
  }
  case MD_CONSUME:
    diag_note(d, "in interp mode this runs: `%s.%s()` reads `%s` and leaves it as it was", a, aux->name, a);
    return;
  case MD_STORE: {
    const char *into = "the new value";
    if (aux) {
      switch (aux->kind) {
      case ND_METHOD: into = strcmp(aux->name, "insert") == 0 ? "the container" : "the list"; break;
      case ND_LIST: into = "the list"; break;
      case ND_MAP: into = "the map"; break;
      case ND_TUPLE: into = "the tuple"; break;
      case ND_SOME: into = "the option"; break;
      case ND_STRUCT_LIT: into = "the struct"; break;
      default: break;
      }
    }
    diag_note(d, "in interp mode this runs: %s holds the same %s object as `%s` (refcount + 1); nothing is moved%s",
              into, kw, a, ch ? ", so a change through one is visible through the other" : "");
    return;
  }
  default:
    diag_note(d, "in interp mode this runs: nothing is moved; `%s` still names the same %s object%s", a, kw,
              prev ? " in every iteration" : "");
    return;
  }
}

void bk_report_moved(Bk *bk, int ev, int used, int moved, int mv, bool prev) {
  Ev *e = &bk->evs[ev];
  char u[256], m[256], tb[TY_STR_MAX];
  bk_path_text(bk, used, u, sizeof u);
  bk_path_text(bk, moved, m, sizeof m);
  Path *mp = &bk->paths[moved];
  bool partial = mp->bit > bk->paths[used].bit && mp->bit <= bk->paths[used].end;  // a field of what is used
  bool write = e->kind == EV_INIT;
  bool borrow = e->kind == EV_ACCESS && (e->acc == A_SHARED || e->acc == A_MUT);
  Diag *d;
  if (write) d = diag_error(bk->sink, "E0382", ev_span(bk, ev), "assign to part of moved value: `%s`", m);
  else d = diag_error(bk->sink, "E0382", ev_span(bk, ev), "%s of %smoved value: `%s`", borrow ? "borrow" : "use",
                      partial ? "partially " : "", partial ? u : m);
  bool self = mv == ev;
  if (self) {
    diag_primary(d, "value moved here, in previous iteration of loop");
  } else {
    diag_primary(d, write ? "value partially assigned here after move"
                          : borrow ? (partial ? "value borrowed here after partial move" : "value borrowed here after move")
                                   : (partial ? "value used here after partial move" : "value used here after move"));
    if (mv >= 0) {
      Ev *me = &bk->evs[mv];
      Span s = me->node->span;
      if (me->dest == MD_MATCH && me->aux && me->aux->pat) s = me->aux->pat->span;
      diag_label(d, s, prev ? "value moved here, in previous iteration of loop" : "value moved here");
    }
  }
  Local *l = bk_local(bk, mp->local);
  Type *t = path_type(bk, moved);
  if (mp->kind == P_ROOT && t)
    diag_label(d, l->span, "move occurs because `%s` has type `%s`, which is not a copy type", l->name,
               ty_str(t, tb, sizeof tb));
  if (prev || self)
    diag_help(d, "to use it again in the next iteration, clone it: `%s.clone()` (or move it only once, after the loop)",
              m);
  else if (partial)
    diag_help(d, "to keep `%s` whole, clone the field: `%s.clone()`", u, m);
  else
    diag_help(d, "to keep both, clone it: `%s.clone()`", m);
  interp_move_note(bk, d, moved, mv, prev || self, ev_span(bk, ev));
}

void bk_report_uninit(Bk *bk, int ev, int path, bool maybe) {
  char x[256], tb[TY_STR_MAX];
  bk_path_text(bk, path, x, sizeof x);
  Ev *e = &bk->evs[ev];
  Local *l = bk_local(bk, bk->paths[path].local);
  Diag *d;
  if (e->kind == EV_INIT)
    d = diag_error(bk->sink, "E0381", ev_span(bk, ev), "partially assigned binding `%s` isn't fully initialized", l->name);
  else
    d = diag_error(bk->sink, "E0381", ev_span(bk, ev), "used binding `%s` %s", l->name,
                   maybe ? "is possibly-uninitialized" : "isn't initialized");
  diag_primary(d, e->kind == EV_INIT ? "`%s` partially assigned here but it isn't fully initialized"
                                     : maybe ? "`%s` used here but it is possibly-uninitialized"
                                             : "`%s` used here but it isn't initialized",
               x);
  diag_label(d, l->span, "binding declared here but left uninitialized");
  if (maybe)
    diag_help(d, "assign `%s` on every path before this use (every branch of the `if` or `match`), or give it a "
                 "value where it is declared: `let %s: %s = …;`",
              l->name, l->name, ty_str(l->type, tb, sizeof tb));
  else
    diag_help(d, "give it a value first: `let %s: %s = …;`", l->name, ty_str(l->type, tb, sizeof tb));
  diag_note(d, "in interp mode this runs: where `%s` was never assigned, reading it fails at run time with "
               "`UnboundLocalError: cannot access local variable '%s' where it is not associated with a value`",
            l->name, l->name);
}

// ---- borrows ---------------------------------------------------------------------------------

// Interp's borrow is the object in the place when it was taken, not the place
// (`&p.x` is p.x's object): a holder that has only a part of what changes (an
// element, or a field of it) keeps that object, of type t, when the place
// gets another.
static void part_note(Diag *d, const char *lead, const char *who, const char *held, Type *t) {
  if (changeable(t))
    diag_note(d, "in interp mode this runs: %s%s holds the %s that was in `%s` when it was borrowed, not the "
                 "place: it keeps that object when `%s` is given another, and sees only a change made inside it",
              lead, who, kind_word(t), held, held);
  else
    diag_note(d, "in interp mode this runs: %s%s holds the %s that was in `%s` when it was borrowed, not the "
                 "place: it goes on reading that %s whatever is put in `%s` later",
              lead, who, kind_word(t), held, kind_word(t), held);
}

void bk_report_conflict(Bk *bk, int ev, int path, AccKind acc, int loan) {
  Loan *ln = &bk->loans[loan];
  Ev *e = &bk->evs[ev];
  char p[256], lp[256], held[270], who[256];
  bk_path_text(bk, path, p, sizeof p);
  bk_path_text(bk, ln->path, lp, sizeof lp);
  snprintf(held, sizeof held, "%s%s", lp, ln->elem ? "[…]" : "");
  holder_text(bk, loan, who, sizeof who);
  // The holder has a part of what the access changes, or the access is to a
  // part of what the holder has.
  bool part = ln->elem || (ln->path != path && bk_within(bk, ln->path, path));
  Type *ty = path_type(bk, ln->path), *held_ty = ty && ln->elem ? ty_strip_refs(ty_find(ty))->elem : ty;
  const char *kw = kind_word(ty);
  Span at = ev_span(bk, ev);
  Span bs = ln->node ? ln->node->span : at;
  int later = bk_later_use(bk, ev, loan);
  bool loop = is_loop_loan(bk, loan);
  Diag *d;
  const char *later_label = "borrow later used here";
  switch (acc) {
  case A_MOVE:
    d = diag_error(bk->sink, "E0505", at, "cannot move out of `%s` because it is borrowed", p);
    diag_label(d, bs, "borrow of `%s` occurs here", lp);
    diag_primary(d, "move out of `%s` occurs here", p);
    diag_help(d, "use the borrow for the last time before the move, or move a clone: `%s.clone()`", p);
    if (part)
      part_note(d, "the move only shares the objects (refcount + 1), and ", who, held, held_ty);
    else if (changeable(path_type(bk, path)))
      diag_note(d, "in interp mode this runs: the move only shares the %s object (refcount + 1), so %s still sees "
                   "it — and sees every change the new owner makes inside it",
                kind_word(path_type(bk, path)), who);
    else {
      const char *moved = kind_word(path_type(bk, path));
      diag_note(d, "in interp mode this runs: the move only shares the %s object (refcount + 1), so %s still sees "
                   "it, unchanged: a %s is never changed in place",
                moved, who, moved);
    }
    break;
  case A_WRITE:
    d = diag_error(bk->sink, "E0506", at, "cannot assign to `%s` because it is borrowed", p);
    diag_label(d, bs, "`%s` is borrowed here", lp);
    diag_primary(d, "`%s` is assigned to here but it was already borrowed", p);
    diag_help(d, "assign after the last use of the borrow, or borrow a clone");
    if (!ln->elem && ln->path != path && bk_within(bk, path, ln->path))
      diag_note(d, "in interp mode this runs: `%s` is replaced inside the very object %s points to, so %s reads "
                   "the new value",
                p, who, who);
    else
      diag_note(d, "in interp mode this runs: the assignment puts a new object in `%s`, while %s keeps the old "
                   "one — so it goes on reading the old value",
                p, who);
    break;
  case A_MUT:
    if (ln->mut) {
      d = diag_error(bk->sink, "E0499", at, "cannot borrow `%s` as mutable more than once at a time", p);
      diag_label(d, bs, "first mutable borrow occurs here");
      diag_primary(d, "second mutable borrow occurs here");
      later_label = "first borrow later used here";
      diag_help(d, "finish with the first `&mut` before taking another (a borrow ends at its last use)");
      if (part)
        part_note(d, "", who, held, held_ty);
      else
        diag_note(d, "in interp mode this runs: both borrows are the same %s object, so a change through either "
                     "is visible through the other",
                  kw);
    } else {
      d = diag_error(bk->sink, "E0502", at, "cannot borrow `%s` as mutable because it is also borrowed as immutable", p);
      diag_label(d, bs, "immutable borrow occurs here");
      diag_primary(d, e->elem ? "mutable borrow occurs here (the element is changed in place)" : "mutable borrow occurs here");
      later_label = "immutable borrow later used here";
      if (loop) {
        diag_help(d, "iterate over a copy (`for x in %s.clone()`), or collect the changes and apply them after "
                     "the loop",
                  lp);
        diag_note(d, "in interp mode this runs: the loop walks the same list that is being changed, re-reading its "
                     "length at each step — a `push` makes it visit the new elements too, and may never end");
      } else {
        diag_help(d, "use %s for the last time before changing `%s`, or borrow a clone", who, p);
        if (part)
          part_note(d, "", who, held, held_ty);
        else
          diag_note(d, "in interp mode this runs: %s and `%s` name the same %s object, so the change made through "
                       "`%s` is visible through %s",
                    who, lp, kw, p, who);
      }
    }
    break;
  case A_COPY:
    d = diag_error(bk->sink, "E0503", at, "cannot use `%s` because it was mutably borrowed", p);
    diag_label(d, bs, "`%s` is borrowed here", lp);
    diag_primary(d, "use of borrowed `%s`", lp);
    diag_help(d, "read it after the last use of the mutable borrow");
    diag_note(d, "in interp mode this runs: `%s` and %s are one object, so this read sees whatever was changed "
                 "through %s so far",
              held, who, who);
    break;
  default:
    d = diag_error(bk->sink, "E0502", at, "cannot borrow `%s` as immutable because it is also borrowed as mutable", p);
    diag_label(d, bs, "mutable borrow occurs here");
    diag_primary(d, "immutable borrow occurs here");
    later_label = "mutable borrow later used here";
    diag_help(d, "read it after the last use of the mutable borrow (or read through %s)", who);
    diag_note(d, "in interp mode this runs: `%s` and %s are one %s object, so this read sees whatever was changed "
                 "through %s so far",
              held, who, kw, who);
    break;
  }
  if (later >= 0) {
    Ev *le = &bk->evs[later];
    Span ls = ev_span(bk, later);
    if (le->kind == EV_USE && le->node && le->node->kind == ND_FOR_IN) ls = le->node->lhs->span;
    if (ls.off != at.off || ls.len != at.len) diag_label(d, ls, "%s", later_label);
  }
}

void bk_report_dead_borrowed(Bk *bk, int ev, int loan) {
  Loan *ln = &bk->loans[loan];
  int later = bk_later_use(bk, ev, loan);
  char who[256];
  holder_text(bk, loan, who, sizeof who);
  Diag *d;
  if (ln->path < 0) {
    d = diag_error(bk->sink, "E0716", ln->node->span, "temporary value dropped while borrowed");
    diag_primary(d, "creates a temporary value which is freed while still in use");
    diag_label(d, ev_span(bk, ev), "temporary value is freed at the end of this statement");
    diag_help(d, "keep the value in a variable of its own: `let tmp = …;` then borrow `&tmp`");
    diag_note(d, "in interp mode this runs: %s keeps the temporary object alive (its refcount), so nothing is freed", who);
  } else {
    char p[256];
    Local *l = bk_local(bk, bk->paths[ln->path].local);
    bk_path_text(bk, ln->path, p, sizeof p);
    d = diag_error(bk->sink, "E0597", ln->node->span, "`%s` does not live long enough", l->name);
    diag_primary(d, "borrowed value does not live long enough");
    // "dropped here": the last character of the scope that ends (its `}`).
    Span end = ev_span(bk, ev);
    int off = end.off + end.len - 1;
    if (off >= end.off && (size_t)off < bk->sink->src->len) end = source_span_after(bk->sink->src, end, off, 1);
    diag_label(d, end, "`%s` dropped here while still borrowed", l->name);
    diag_help(d, "declare `%s` in the outer scope, so it lives as long as %s", l->name, who);
    diag_note(d, "in interp mode this runs: %s keeps the object alive (refcount), so it outlives `%s`'s scope", who,
              l->name);
  }
  if (later >= 0) diag_label(d, ev_span(bk, later), "borrow later used here");
}

// ---- mutability ---------------------------------------------------------------------------------

void bk_report_reassign(Bk *bk, int ev) {
  Ev *e = &bk->evs[ev];
  Local *l = bk_local(bk, bk->paths[e->path].local);
  Diag *d;
  if (l->kind == LK_PARAM) {
    d = diag_error(bk->sink, "E0384", ev_span(bk, ev), "cannot assign to immutable argument `%s`", l->name);
    diag_primary(d, "cannot assign to immutable argument");
    diag_help(d, "make the parameter mutable: `mut %s: …`", l->name);
  } else {
    d = diag_error(bk->sink, "E0384", ev_span(bk, ev), "cannot assign twice to immutable variable `%s`", l->name);
    diag_primary(d, "cannot assign twice to immutable variable");
    // The first assignment: the initializer, or an earlier assignment.
    Span first = l->span;
    for (int i = ev - 1; i >= 0; i--) {
      Ev *f = &bk->evs[i];
      if (f->kind == EV_INIT && f->path == e->path && f->node) {
        first = f->kind == EV_INIT && f->acc == A_WRITE ? f->node->span : l->span;
        break;
      }
    }
    if (l->kind == LK_FOR || l->kind == LK_MATCH) first = l->span;
    diag_label(d, first, "first assignment to `%s`", l->name);
    if (l->kind == LK_LET) diag_help(d, "make the binding mutable: `let mut %s`", l->name);
    else diag_help(d, "rebind it mutably first: `let mut %s = %s;`", l->name, l->name);
  }
  diag_note(d, "in interp mode this runs: `mut` is not enforced; `%s` is simply rebound to the new value", l->name);
}

void bk_report_mutability(Bk *bk, Node *at, int path, bool assign, bool elem) {
  Path *p = &bk->paths[path];
  Local *l = bk_local(bk, p->local);
  char x[256], tb[TY_STR_MAX];
  bk_path_text(bk, path, x, sizeof x);
  if (elem) strncat(x, "[…]", sizeof x - strlen(x) - 1);
  // What changes: the place's own object, or for an assignment to a field
  // the object the field is in (`p.x = 1` changes the struct).
  const char *kw = kind_word(path_type(bk, assign && !elem && p->kind == P_FIELD ? p->parent : path));
  Diag *d;
  if (p->deref) {
    if (assign) {
      d = diag_error(bk->sink, "E0594", at->span, "cannot assign to `%s`, which is behind a `&` reference", x);
      diag_primary(d, "`%s` is a `&` reference, so the data it refers to cannot be written", l->name);
    } else {
      d = diag_error(bk->sink, "E0596", at->span, "cannot borrow `%s` as mutable, as it is behind a `&` reference", x);
      diag_primary(d, "`%s` is a `&` reference, so the data it refers to cannot be borrowed as mutable", l->name);
    }
    Type *inner = ty_strip_refs(ty_find(l->type));
    if (l->kind == LK_PARAM)
      diag_help(d, "make the parameter a mutable reference: `%s: &mut %s` (and pass `&mut …`)", l->name,
                ty_str(inner, tb, sizeof tb));
    else
      diag_help(d, "borrow it mutably where `%s` is made: `&mut …`", l->name);
    diag_note(d, "in interp mode this runs: a reference is the object itself, so the %s is changed for every name "
                 "that shares it%s",
              kw, l->kind == LK_PARAM ? " — the caller's too" : "");
    return;
  }
  if (assign) {
    d = diag_error(bk->sink, "E0594", at->span, "cannot assign to `%s`, as `%s` is not declared as mutable", x, l->name);
    diag_primary(d, "cannot assign");
  } else {
    d = diag_error(bk->sink, "E0596", at->span, "cannot borrow `%s` as mutable, as it is not declared as mutable", x);
    diag_primary(d, "cannot borrow as mutable");
  }
  switch (l->kind) {
  case LK_LET: diag_label(d, l->span, "consider changing this to be mutable"); diag_help(d, "declare it `let mut %s`", l->name); break;
  case LK_PARAM: diag_help(d, "make the parameter mutable: `mut %s: …`", l->name); break;
  default: diag_help(d, "a `for` or `match` binding is immutable: rebind it first, `let mut %s = %s;`", l->name, l->name); break;
  }
  diag_note(d, "in interp mode this runs: `mut` is not enforced, so the %s is changed in place (and every name "
               "sharing it sees the change)",
            kw);
}

// ---- order -----------------------------------------------------------------------------------

// The function's errors in source order (the walk visits blocks, not lines).
void bk_sort_diags(Bk *bk) {
  DiagSink *s = bk->sink;
  for (int i = bk->diag_start + 1; i < s->count; i++) {
    Diag d = s->diags[i];
    int j = i - 1;
    while (j >= bk->diag_start && s->diags[j].labels[0].span.off > d.labels[0].span.off) {
      s->diags[j + 1] = s->diags[j];
      j--;
    }
    s->diags[j + 1] = d;
  }
}
