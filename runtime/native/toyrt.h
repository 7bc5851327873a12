// toyrt.h — the native runtime: everything a Toy program compiled to C
// (native mode, SPEC §7, docs/native.md) calls. The code generator
// (compiler/native/cgen.c) targets exactly this header; every generated program
// starts with `#include "toyrt.h"` and links the objects of the files listed
// in runtime/native/FILES (written flat into one directory, compiled with
// -I that directory, optionally -DRT_UNCHECKED, linked with -lm -pthread).
//
// ===== Conventions (read these first) ==========================================
// Names.   Everything exported is `rt_`; types are the lowercase names of
//          docs/native.md (rt_str, rt_list, rt_map, rt_loc, rt_thread).
// Values.  rt_str, rt_list, rt_map are plain structs. The generated code owns
//          them in its variables, fields and elements and passes them BY
//          POINTER. A zeroed struct ({0}) is a valid empty value of each.
// Ownership words used below:
//   borrows  the function reads the value; the caller still owns it.
//   returns  the result is a new owned value; the caller must drop it.
//   moves in the function takes ownership; the caller must not drop it.
//   out      the function writes an owned value to *out; the caller owns it.
// Drop.    rt_str_drop / rt_list_drop / rt_map_drop free a value and leave an
//          empty one behind, so a second drop is harmless (drop flags are
//          still the generator's job — this is only a safety net).
// Elements. Containers store elements inline; every container function takes
//          the element size (`es`, `vs` — use sizeof). Elements that own heap
//          memory need callbacks:
//            rt_drop_fn  void drop(void *elem)                 frees what elem owns
//            rt_clone_fn void clone(void *dst, const void *src) deep copy into dst
//            rt_eq_fn    bool eq(const void *a, const void *b)  structural ==
//          A NULL drop means "nothing to free"; a NULL clone means "copy the
//          bytes" (copy types). Both are right for int, float, bool, enums.
// Errors.  Every function that can raise takes `const rt_loc *loc`, the Toy
//          source position; generated code passes the address of a
//          `static const rt_loc` constant. Errors print
//          `panic at FILE:LINE:COL: Kind: message` and exit 1 (rt_panic).
// Memory.  Every heap block comes from rt_alloc/rt_realloc and goes back through
//          rt_free; the counters decide the leak check at exit (LAB_CHECK_LEAKS:
//          exit 70). Out of memory is `MemoryError: out of memory`, exit 1.
// Threads. All functions are thread-safe for distinct values (the borrow checker
//          guarantees values are not shared mutably across threads); the
//          allocation counters and stdout are shared and synchronized.
// RT_UNCHECKED (lab run --unchecked): integer overflow and list-index checks are
//          compiled out — arithmetic wraps through unsigned math (never C
//          undefined behaviour), shift counts are masked with & 63, `v[i]`
//          trusts i. Division by zero is still checked, as are the indices of
//          insert/remove/swap (they move memory; an unchecked one corrupts it).
#ifndef TOYRT_H
#define TOYRT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "format.h"
#include "rterror.h"
#include "strops.h"

#if defined(__GNUC__) || defined(__clang__)
#define RT_COLD __attribute__((cold, noinline))
#define RT_LIKELY(x) __builtin_expect(!!(x), 1)
#define RT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define RT_COLD
#define RT_LIKELY(x) (x)
#define RT_UNLIKELY(x) (x)
#endif

// ===== Source locations and panics ==============================================
typedef struct rt_loc {
  const char *file;  // the path as given to lab
  int line, col;     // 1-based
} rt_loc;

// Flushes stdout, prints `panic at FILE:LINE:COL: Kind: message` (printf
// format) to stderr and exits 1. loc may be NULL: then `panic: Kind: message`.
// Only the first thread to panic prints; others wait for the exit.
_Noreturn RT_COLD void rt_panic(const rt_loc *loc, RtErrorKind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
// The standard panics (docs/semantics.md "Runtime errors"):
_Noreturn RT_COLD void rt_panic_overflow(const rt_loc *loc, const char *op);  // "add", …
_Noreturn RT_COLD void rt_panic_index(const rt_loc *loc, int64_t index, int64_t len);
_Noreturn RT_COLD void rt_panic_unwrap(const rt_loc *loc);         // unwrap() of None
_Noreturn RT_COLD void rt_panic_oom(void);  // MemoryError, at rt_alloc_site if set
_Noreturn RT_COLD void rt_panic_recursion(const rt_loc *loc);  // RecursionError

// The depth guard of walks over a value (==, clone, print, str()), as
// interp's obj_walk_enter: each container a walk enters counts one level,
// and past RT_MAX_WALK_DEPTH (runtime/rterror.h, shared with interp) the walk
// is RecursionError(msg) at rt_walk_site, the Toy expression that started it
// (the generated code sets it before a walk that can go deep).
extern _Thread_local int rt_walk_depth;
extern _Thread_local const rt_loc *rt_walk_site;
_Noreturn RT_COLD void rt_panic_walk(const char *msg);
static inline void rt_walk_enter(const char *msg) {
  if (RT_UNLIKELY(rt_walk_depth >= RT_MAX_WALK_DEPTH)) rt_panic_walk(msg);
  rt_walk_depth++;
}
static inline void rt_walk_leave(void) { rt_walk_depth--; }

// Call depth, as interp's --recursion-limit (docs/semantics.md, "Recursion"):
// each generated function takes its depth — the Toy calls active in its
// thread, itself included; a thread's first function is 1 — as a hidden
// first argument, and passes rt_call_depth(depth, loc) to a function it
// calls: a call that would make more than rt_recursion_limit active (the
// generated program defines it) is RecursionError at the call. --unchecked
// programs have no such argument.
extern const int64_t rt_recursion_limit;
static inline int64_t rt_call_depth(int64_t depth, const rt_loc *loc) {
  if (RT_UNLIKELY(depth >= rt_recursion_limit)) rt_panic_recursion(loc);
  return depth + 1;
}
// The Toy source position of what is allocating, so that running out of
// memory is reported as a panic at that line, as interp reports a
// MemoryError traceback: the generated code sets it at the start of every
// statement that may allocate (and again after a call inside it returns);
// `[x; n]` and `s.repeat(n)`, whose size the program chose, set their own
// around the allocation. NULL before the first (then without a position).
extern _Thread_local const rt_loc *rt_alloc_site;
// Costs per source line (`lab profile`, docs/profile.md), counted runtime
// only: the generated code sets rt_line at each statement, at each scope's
// end before its drops (the `}` line) and again after a call returns; the
// runtime charges what it does to rt_line in the running thread's rows.
// Elsewhere RT_LINE is nothing at all — in a hybrid library (RT_LIBRARY) too:
// its threads are the VM's, which has its own per-line counts.
#if defined(RT_COUNTED) && !defined(RT_LIBRARY)
#define RT_LINES_COUNTED 1
typedef struct rt_line_counts {
  int64_t allocs, frees, bytes, list_regrowths, clones, bounds_checks, overflow_checks;
} rt_line_counts;
extern _Thread_local int rt_line;
extern int rt_nlines;  // the program's last line (RT_LINES)
rt_line_counts *rt_line_rows_(void);  // this thread's rows, made on first use
extern _Thread_local rt_line_counts *rt_line_rows;
#define RT_LINES(n) ((void)(rt_nlines = (n)))
#define RT_LINE(n) ((void)(rt_line = (n)))
#define RT_LINE_COUNT(field, k) \
  ((void)((rt_line_rows ? rt_line_rows : rt_line_rows_())[rt_line].field += (k)))
#else
#define RT_LINES(n) ((void)0)
#define RT_LINE(n) ((void)0)
#define RT_LINE_COUNT(field, k) ((void)0)
#endif
// assert(cond): AssertionError: assertion failed.
static inline void rt_assert(bool cond, const rt_loc *loc) {
  if (RT_UNLIKELY(!cond)) rt_panic(loc, RT_ASSERT, "%s", RT_MSG_ASSERT);
}

// ===== Checked integer arithmetic (SPEC §5) =======================================
// Each takes the location of the operator. Division and remainder truncate
// toward zero / take the dividend's sign (C and Rust).
#ifdef RT_UNCHECKED
#define RT_WRAP(a, op, b) ((int64_t)((uint64_t)(a) op (uint64_t)(b)))
static inline int64_t rt_add(int64_t a, int64_t b, const rt_loc *loc) { (void)loc; return RT_WRAP(a, +, b); }
static inline int64_t rt_sub(int64_t a, int64_t b, const rt_loc *loc) { (void)loc; return RT_WRAP(a, -, b); }
static inline int64_t rt_mul(int64_t a, int64_t b, const rt_loc *loc) { (void)loc; return RT_WRAP(a, *, b); }
static inline int64_t rt_neg(int64_t a, const rt_loc *loc) { (void)loc; return RT_WRAP(0, -, a); }
static inline int64_t rt_shl(int64_t a, int64_t n, const rt_loc *loc) {
  (void)loc;
  return (int64_t)((uint64_t)a << (n & 63));
}
static inline int64_t rt_shr(int64_t a, int64_t n, const rt_loc *loc) {
  (void)loc;
  n &= 63;
  return a < 0 ? ~(~a >> n) : a >> n;  // arithmetic, without implementation-defined >>
}
#else
static inline int64_t rt_add(int64_t a, int64_t b, const rt_loc *loc) {
  int64_t r;
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_UNLIKELY(__builtin_add_overflow(a, b, &r))) rt_panic_overflow(loc, "add");
  return r;
}
static inline int64_t rt_sub(int64_t a, int64_t b, const rt_loc *loc) {
  int64_t r;
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_UNLIKELY(__builtin_sub_overflow(a, b, &r))) rt_panic_overflow(loc, "subtract");
  return r;
}
static inline int64_t rt_mul(int64_t a, int64_t b, const rt_loc *loc) {
  int64_t r;
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_UNLIKELY(__builtin_mul_overflow(a, b, &r))) rt_panic_overflow(loc, "multiply");
  return r;
}
static inline int64_t rt_neg(int64_t a, const rt_loc *loc) {
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_UNLIKELY(a == INT64_MIN)) rt_panic_overflow(loc, "negate");
  return -a;
}
// Counts outside 0..63 are errors; bits shifted out are not (1 << 63 is MIN).
static inline int64_t rt_shl(int64_t a, int64_t n, const rt_loc *loc) {
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_UNLIKELY((uint64_t)n > 63)) rt_panic_overflow(loc, "shift left");
  return (int64_t)((uint64_t)a << n);
}
static inline int64_t rt_shr(int64_t a, int64_t n, const rt_loc *loc) {
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_UNLIKELY((uint64_t)n > 63)) rt_panic_overflow(loc, "shift right");
  return a < 0 ? ~(~a >> n) : a >> n;
}
#endif
// Division by zero is checked in both builds; MIN / -1 overflows (checked) or
// wraps to MIN (unchecked), never C's undefined behaviour.
//
// When both operands are in 0..2^32 the quotient and remainder come from a
// 32-bit unsigned division, several times faster than a 64-bit one on many
// x86 cores. LLVM does the same for rustc ("bypass slow division"), gcc does
// not: without it `p % d` in tests/bench/primes.toy costs 1.5x Rust's time.
// A constant divisor needs no such test: gcc divides by it with a multiply
// and shifts (LLVM bypasses only divisions by a variable, too). A positive
// constant one divides a non-negative dividend unsigned, the same quotient
// with a shorter sequence; its test also lets gcc prove that x stays
// non-negative through `x = (x * a + b) % m`, which rustc's LLVM proves by
// itself, so that every later `/` and `%` of x is unsigned
// (tests/bench/logs.toy: 33.1M instructions before, 26.5M after, Rust's
// 21.5M).
#define RT_BOTH_U32(a, b) (!__builtin_constant_p(b) && (((uint64_t)(a) | (uint64_t)(b)) >> 32) == 0)
#define RT_POS_CONST(b) (__builtin_constant_p(b) && (b) > 0)
static inline int64_t rt_div(int64_t a, int64_t b, const rt_loc *loc) {
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_POS_CONST(b)) return a >= 0 ? (int64_t)((uint64_t)a / (uint64_t)b) : a / b;
  if (RT_BOTH_U32(a, b) && b != 0) return (int64_t)((uint32_t)a / (uint32_t)b);
  if (RT_UNLIKELY(b == 0)) rt_panic(loc, RT_ZERO_DIV, "%s", RT_MSG_DIV_ZERO);
  if (RT_UNLIKELY(b == -1)) {
#ifndef RT_UNCHECKED
    if (a == INT64_MIN) rt_panic_overflow(loc, "divide");
#endif
    return (int64_t)(0 - (uint64_t)a);
  }
  return a / b;
}
static inline int64_t rt_rem(int64_t a, int64_t b, const rt_loc *loc) {
  RT_LINE_COUNT(overflow_checks, 1);
  if (RT_POS_CONST(b)) return a >= 0 ? (int64_t)((uint64_t)a % (uint64_t)b) : a % b;
  if (RT_BOTH_U32(a, b) && b != 0) return (int64_t)((uint32_t)a % (uint32_t)b);
  if (RT_UNLIKELY(b == 0)) rt_panic(loc, RT_ZERO_DIV, "%s", RT_MSG_REM_ZERO);
  if (RT_UNLIKELY(b == -1)) {
#ifndef RT_UNCHECKED
    if (a == INT64_MIN) rt_panic_overflow(loc, "calculate the remainder");
#endif
    return 0;
  }
  return a % b;
}

// ===== Allocation ====================================================================
// Every heap block of a native program (counted with RT_COUNTED: rt_core.c).
// rt_alloc(0) gives a valid unique block. Failure never returns (MemoryError,
// exit 1).
// rt_realloc(NULL, n) == rt_alloc(n); rt_free(NULL) does nothing.
void *rt_alloc(size_t n);
void *rt_realloc(void *p, size_t n);
void rt_free(void *p);
// n * size bytes, a MemoryError (not a wrap) when the product overflows.
void *rt_alloc_array(int64_t n, size_t size);
// The same, zeroed (lazily, by the kernel, where it can: `[0; n]`).
void *rt_alloc_zeroed_array(int64_t n, size_t size);

typedef struct RtAllocStats {
  int64_t allocs, frees;      // blocks (a realloc counts as neither)
  int64_t bytes_allocated;    // total bytes requested, reallocs' growth included
  int64_t live_bytes, peak_live_bytes;
} RtAllocStats;
void rt_alloc_stats(RtAllocStats *out);
int64_t rt_live_allocations(void);  // allocs - frees

// ===== Strings ======================================================================
// An owned byte buffer (valid UTF-8 from Toy's point of view; the runtime
// never relies on it). Invariant: ptr == NULL iff cap == 0; ptr[len] is
// NOT guaranteed to be '\0'.
typedef struct rt_str {
  char *ptr;
  int64_t len, cap;
} rt_str;

// returns: a new string holding a copy of s[0..len) (a literal: generated
// code writes `rt_str_lit("hi", 2)`; the empty string allocates nothing).
rt_str rt_str_lit(const char *s, int64_t len);
rt_str rt_str_from_cstr(const char *s);
// returns a string of the bytes of b (b is borrowed and left as is).
rt_str rt_str_from_buf(const RtBuf *b);
rt_str rt_str_clone(const rt_str *s);                    // borrows; returns
void rt_str_drop(rt_str *s);                              // frees; *s becomes empty
void rt_str_cache_flush(void);  // this thread's kept small buffers back to malloc (its end)
static inline int64_t rt_str_len(const rt_str *s) { return s->len; }  // bytes
rt_str rt_str_concat(const rt_str *a, const rt_str *b);  // a + b: borrows both; returns
// *dst = *dst + *src in place (amortized growth): what `s = s + t` may
// compile to when s is a local being overwritten. Borrows src.
void rt_str_append(rt_str *dst, const rt_str *src);
static inline bool rt_str_eq(const rt_str *a, const rt_str *b) {  // inline: every map lookup's compare
  return a->len == b->len && rt_bytes_eq(a->ptr, b->ptr, (size_t)a->len);
}
int rt_str_cmp(const rt_str *a, const rt_str *b);        // bytewise: -1, 0, 1
uint64_t rt_str_hash(const rt_str *s);
// Methods (SPEC §5; docs/semantics.md "Methods"). All borrow their
// arguments; string results are returned (owned by the caller).
rt_str rt_str_lower(const rt_str *s);
rt_str rt_str_upper(const rt_str *s);
rt_str rt_str_trim(const rt_str *s);
bool rt_str_starts_with(const rt_str *s, const rt_str *p);
bool rt_str_ends_with(const rt_str *s, const rt_str *p);
bool rt_str_contains(const rt_str *s, const rt_str *p);
// find(sub) -> ?int: true and *at = the byte offset, or false (None).
bool rt_str_find(const rt_str *s, const rt_str *sub, int64_t *at);
rt_str rt_str_replace(const rt_str *s, const rt_str *from, const rt_str *to);
rt_str rt_str_repeat(const rt_str *s, int64_t n, const rt_loc *loc);  // n < 0: ValueError
// split / split_whitespace return an rt_list of rt_str (drop it with
// rt_list_drop(&l, sizeof(rt_str), rt_str_drop_elem)).
struct rt_list rt_str_split(const rt_str *s, const rt_str *sep, const rt_loc *loc);
struct rt_list rt_str_split_whitespace(const rt_str *s);
// The same pieces one at a time, for `for w in s.split(sep)` (and
// split_whitespace) streamed: *pos starts at 0; each call makes the next piece
// a new string in *piece and returns true, or returns false at the end.
// split's separator is checked once, before the first step.
void rt_str_check_sep(const rt_str *sep, const rt_loc *loc);  // "" is ValueError
bool rt_str_split_step(const rt_str *s, const rt_str *sep, int64_t *pos, rt_str *piece);
bool rt_str_split_ws_step(const rt_str *s, int64_t *pos, rt_str *word);
// The same pieces lent instead of made: *piece is a view of s's bytes (cap
// 0) that owns nothing and is never dropped, valid while s stays as it is.
// The code generator lends them when the loop's body only borrows the piece
// or moves it into a map as a key (rt_map_s_insert_lent copies it then).
bool rt_str_split_lend(const rt_str *s, const rt_str *sep, int64_t *pos, rt_str *piece);
bool rt_str_split_ws_lend(const rt_str *s, int64_t *pos, rt_str *word);
// Callback adapters for containers of strings.
void rt_str_drop_elem(void *s);
void rt_str_clone_elem(void *dst, const void *src);
bool rt_str_eq_elem(const void *a, const void *b);
// Printing helpers: the raw bytes (top level) or quoted (inside a container).
static inline void rt_buf_put_str(RtBuf *b, const rt_str *s) {
  rtbuf_put(b, s->ptr, (size_t)s->len);
}
static inline void rt_buf_put_str_quoted(RtBuf *b, const rt_str *s) {
  rt_fmt_str_quoted(b, s->ptr, (size_t)s->len);
}

// ===== Lists ======================================================================
// Elements of es bytes each, inline and contiguous in data[0..len).
// Invariant: data == NULL iff cap == 0.
// len and cap are `long long`, not int64_t (`long` here): the same 64 bits,
// but a distinct type to the C compiler's type-based alias analysis, so a
// store of an int element (`v[i] = x`, an int64_t) cannot change a list's
// length as far as gcc knows, and a loop keeps len in a register instead of
// reloading it after every store (rustc knows the same of a Vec's length).
typedef struct rt_list {
  void *data;
  long long len, cap;
} rt_list;
_Static_assert(sizeof(long long) == sizeof(int64_t), "a list's length is 64 bits");

typedef void (*rt_drop_fn)(void *elem);
typedef void (*rt_clone_fn)(void *dst, const void *src);
typedef bool (*rt_eq_fn)(const void *a, const void *b);

static inline rt_list rt_list_new(void) { return (rt_list){NULL, 0, 0}; }
rt_list rt_list_with_cap(int64_t cap, size_t es);
// Room for `extra` more elements (MemoryError when impossible).
void rt_list_reserve(rt_list *l, int64_t extra, size_t es);
void rt_list_grow_(rt_list *l, size_t es);  // internal: push's slow path
// The most elements a list of es-byte elements may hold (more is MemoryError).
static inline int64_t rt_list_max_cap(size_t es) { return (int64_t)((size_t)PTRDIFF_MAX / 2 / (es ? es : 1)); }

// Pointer to element i, bounds-checked (IndexError) unless RT_UNCHECKED.
// Valid until the list's next change of capacity (push, insert, reserve…).
static inline void *rt_list_at(const rt_list *l, int64_t i, size_t es, const rt_loc *loc) {
#ifndef RT_UNCHECKED
  RT_LINE_COUNT(bounds_checks, 1);
  if (RT_UNLIKELY((uint64_t)i >= (uint64_t)l->len)) rt_panic_index(loc, i, l->len);
#else
  (void)loc;
#endif
  return (char *)l->data + (size_t)i * es;
}
// push(x): moves in the es bytes at elem.
static inline void rt_list_push(rt_list *l, const void *elem, size_t es) {
  if (RT_UNLIKELY(l->len == l->cap)) rt_list_grow_(l, es);
  // restrict: the element's bytes are not the list's own fields, so a loop
  // of pushes keeps len in a register (an int64_t element could alias
  // l->len otherwise, and every push would reload it, as Rust's noalias
  // &mut Vec does not need to).
  char *restrict slot = (char *)l->data + (size_t)l->len * es;
  int64_t len = l->len;
  memcpy(slot, elem, es);
  l->len = len + 1;
}
// The same for a value x of C type T, stored as a T: x's address is never
// taken, so the C compiler keeps it in registers and stores it straight into
// the list (through memcpy it built a struct on the stack first, then copied
// it; rustc writes it in place).
#define RT_LIST_PUSH(l, T, x)                                                  \
  do {                                                                         \
    rt_list *push_l_ = (l);                                                    \
    T push_x_ = (x);                                                           \
    if (RT_UNLIKELY(push_l_->len == push_l_->cap)) rt_list_grow_(push_l_, sizeof(T)); \
    T *restrict push_slot_ = (T *)push_l_->data + push_l_->len;                \
    int64_t push_len_ = push_l_->len;                                          \
    *push_slot_ = push_x_;                                                     \
    push_l_->len = push_len_ + 1;                                              \
  } while (0)
// pop() -> ?T: false when empty (None); else moves the last element to *out.
static inline bool rt_list_pop(rt_list *l, void *out, size_t es) {
  if (l->len == 0) return false;
  l->len--;
  memcpy(out, (char *)l->data + (size_t)l->len * es, es);
  return true;
}
// insert(i, x), i in 0..=len (IndexError otherwise; elem is then NOT taken:
// the panic exits anyway). Moves in elem.
void rt_list_insert(rt_list *l, int64_t i, const void *elem, size_t es, const rt_loc *loc);
// remove(i) -> T: moves element i to *out; i in 0..len (IndexError).
void rt_list_remove(rt_list *l, int64_t i, void *out, size_t es, const rt_loc *loc);
void rt_list_swap(rt_list *l, int64_t i, int64_t j, size_t es, const rt_loc *loc);
void rt_list_reverse(rt_list *l, size_t es);
// clear(): drops every element (drop may be NULL) and keeps the capacity.
void rt_list_clear(rt_list *l, size_t es, rt_drop_fn drop);
// sort() is monomorphized, as Rust's generic sort is: the generator writes one
// of the two macros below per element type T and calls NAME(&list). LT(a, b)
// is the generated "is *a less than *b" (lt_ID), which the C compiler
// inlines; it is all the sorts ask, as Python's sort asks only `<`. Both
// sorts are stable and move elements bitwise (no clone, no drop).
//
// The pieces: an insertion sort of a[from..n) into the sorted a[0..from)
// (both sorts); a merge of l..le and r..re into d, taking from r only when
// it is less (stable), until one side runs out (the merge sort).
#define RT_SORT_INSERTION(T, LT, a, from, n)                                   \
  for (int64_t i_ = (from); i_ < (n); i_++) {                                  \
    T x_ = (a)[i_];                                                            \
    int64_t j_ = i_;                                                           \
    while (j_ > 0 && LT(&x_, &(a)[j_ - 1])) {                                  \
      (a)[j_] = (a)[j_ - 1];                                                   \
      j_--;                                                                    \
    }                                                                          \
    (a)[j_] = x_;                                                              \
  }
// c ? a : b for two pointers, as arithmetic: gcc compiles the conditional
// form to a branch, which random data mispredicts half the time.
#define RT_SORT_PICK(T, c, a, b)                                               \
  ((const T *)((uintptr_t)(b) + (((uintptr_t)(a) - (uintptr_t)(b)) & -(uintptr_t)(c))))
#define RT_SORT_MERGE(T, LT, l, le, r, re, d)                                  \
  while ((l) < (le) && (r) < (re)) {                                           \
    bool take_r_ = LT(r, l);                                                   \
    *(d)++ = *RT_SORT_PICK(T, take_r_, r, l);                                  \
    (r) += take_r_;                                                            \
    (l) += !take_r_;                                                           \
  }
// The merge of driftsort's small sort: the sorted src[0..h) and src[h..n)
// into d, from both ends at once, n / 2 steps each way without a bounds
// check: the front takes the smaller (the left on a tie), the back the
// larger (the right on a tie). It needs a total order, which is what keeps
// each side inside its half (RT_DEFINE_SORT's types have one).
#define RT_SORT_BIMERGE(T, LT, src, h, n, d)                                   \
  {                                                                            \
    const T *l_ = (src), *r_ = (src) + (h);                                    \
    const T *lb_ = (src) + (h) - 1, *rb_ = (src) + (n) - 1;                    \
    T *df_ = (d), *db_ = (d) + (n) - 1;                                        \
    for (int64_t k_ = 0; k_ < (n) / 2; k_++) {                                 \
      bool fl_ = !LT(r_, l_);                                                  \
      *df_++ = *RT_SORT_PICK(T, fl_, l_, r_);                                  \
      l_ += fl_;                                                               \
      r_ += !fl_;                                                              \
      bool bl_ = LT(rb_, lb_);                                                 \
      *db_-- = *RT_SORT_PICK(T, bl_, lb_, rb_);                                \
      lb_ -= bl_;                                                              \
      rb_ -= !bl_;                                                             \
    }                                                                          \
    if ((n) & 1) *df_ = *(l_ <= lb_ ? l_ : r_);                                \
  }
// RT_DEFINE_MERGE_SORT: interp's merge sort (vm/methods.c), comparison for
// comparison: insertion sort up to 16 elements, else halves sorted, then
// merged through tmp (n/2 + 1 elements). The generator uses it for element
// types with a float in them: with NaN the order is not total, and only the
// same comparisons in the same order give the same result in both modes. The
// merge picks its source with a select, not a branch (random data would
// mispredict every other one).
#define RT_DEFINE_MERGE_REC(NAME, T, LT)                                       \
  static void NAME(T *a, int64_t n, T *tmp) {                                  \
    if (n <= 16) {                                                             \
      RT_SORT_INSERTION(T, LT, a, 1, n)                                        \
      return;                                                                  \
    }                                                                          \
    int64_t m = n / 2;                                                         \
    NAME(a, m, tmp);                                                           \
    NAME(a + m, n - m, tmp);                                                   \
    memcpy(tmp, a, (size_t)m * sizeof(T));                                     \
    T *l = tmp, *le = tmp + m, *r = a + m, *re = a + n, *d = a;                \
    RT_SORT_MERGE(T, LT, l, le, r, re, d)                                      \
    memcpy(d, l, (size_t)(le - l) * sizeof(T));                                \
  }
#define RT_DEFINE_MERGE_SORT(NAME, T, LT)                                      \
  RT_DEFINE_MERGE_REC(NAME##_rec, T, LT)                                       \
  static void NAME(rt_list *l) {                                               \
    if (l->len < 2) return;                                                    \
    T *tmp = rt_alloc_array(l->len / 2 + 1, sizeof(T));                        \
    NAME##_rec((T *)l->data, l->len, tmp);                                     \
    rt_free(tmp);                                                              \
  }
// RT_DEFINE_SORT: for total orders (ints, strings, tuples of them), where every
// correct stable sort gives the same result. A stable quicksort in the design
// of Rust's slice::sort (driftsort): a pivot from a median of medians of 3;
// a branch-free stable partition into scratch (n + 16 elements), those less
// than the pivot written forward from its start, the rest backward from its
// end, then copied back, the back part reversed; when nothing is less than the
// pivot, a second partition on "not greater" takes out the pivot's equals,
// so every round makes progress and many duplicates cost little. Slices of up
// to 32 elements: driftsort's small sort, into scratch: in each half, the
// first 8 (or 4) elements by sorting networks, the rest inserted; then the
// halves merged from both ends. Past 2 log2(n) levels of recursion (an
// adversarial input) the rest goes to the merge sort above: O(n log n)
// always.
#define RT_SORT_STEP(LT, LE)                                                   \
  {                                                                            \
    bool lt = LE ? !LT(p, a) : LT(a, p);                                       \
    back--;                                                                    \
    (lt ? s : back)[nlt] = *a++;                                               \
    nlt += lt;                                                                 \
  }
#define RT_DEFINE_SORT_PARTITION(NAME, T, LT, LE)                              \
  static int64_t NAME(T *a0, int64_t n, const T *p, T *s) {                    \
    int64_t nlt = 0;                                                           \
    T *a = a0, *back = s + n, *end4 = a0 + (n & ~(int64_t)3), *end = a0 + n;   \
    while (a < end4) {                                                         \
      RT_SORT_STEP(LT, LE) RT_SORT_STEP(LT, LE)                                \
      RT_SORT_STEP(LT, LE) RT_SORT_STEP(LT, LE)                                \
    }                                                                          \
    while (a < end) RT_SORT_STEP(LT, LE)                                       \
    memcpy(a0, s, (size_t)nlt * sizeof(T));                                    \
    T *d = a0 + nlt, *b = s + n;                                               \
    for (int64_t m = n - nlt; m >= 4; m -= 4, d += 4, b -= 4)                  \
      d[0] = b[-1], d[1] = b[-2], d[2] = b[-3], d[3] = b[-4];                  \
    while (d < a0 + n) *d++ = *--b;                                            \
    return nlt;                                                                \
  }
#define RT_DEFINE_SORT(NAME, T, LT)                                            \
  RT_DEFINE_MERGE_REC(NAME##_merge, T, LT)                                     \
  RT_DEFINE_SORT_PARTITION(NAME##_lt, T, LT, 0)                                \
  RT_DEFINE_SORT_PARTITION(NAME##_le, T, LT, 1)                                \
  static const T *NAME##_med3(const T *x, const T *y, const T *z) {            \
    bool xy = LT(x, y), yz = LT(y, z), xz = LT(x, z);                          \
    if (xy == yz) return y;                                                    \
    return xy == xz ? z : x;                                                   \
  }                                                                            \
  static void NAME##_sort4(const T *v, T *d) {                                 \
    bool c1 = LT(&v[1], &v[0]), c2 = LT(&v[3], &v[2]);                         \
    const T *a = &v[c1], *b = &v[!c1], *c = &v[2 + c2], *e = &v[2 + !c2];      \
    bool c3 = LT(c, a), c4 = LT(e, b);                                         \
    const T *lo = RT_SORT_PICK(T, c3, c, a), *hi = RT_SORT_PICK(T, c4, b, e);  \
    const T *ul = RT_SORT_PICK(T, c3, a, RT_SORT_PICK(T, c4, c, b));           \
    const T *ur = RT_SORT_PICK(T, c4, e, RT_SORT_PICK(T, c3, b, c));           \
    bool c5 = LT(ur, ul);                                                      \
    d[0] = *lo;                                                                \
    d[1] = *RT_SORT_PICK(T, c5, ur, ul);                                       \
    d[2] = *RT_SORT_PICK(T, c5, ul, ur);                                       \
    d[3] = *hi;                                                                \
  }                                                                            \
  static void NAME##_sort8(const T *v, T *d, T *t) {                           \
    NAME##_sort4(v, t);                                                        \
    NAME##_sort4(v + 4, t + 4);                                                \
    RT_SORT_BIMERGE(T, LT, t, 4, 8, d)                                         \
  }                                                                            \
  static void NAME##_small(T *a, int64_t n, T *s) {                            \
    if (n < 2) return;                                                         \
    int64_t h = n / 2, pre = 1;                                                \
    if (n >= 16) {                                                             \
      NAME##_sort8(a, s, s + n);                                               \
      NAME##_sort8(a + h, s + h, s + n + 8);                                   \
      pre = 8;                                                                 \
    } else if (n >= 8) {                                                       \
      NAME##_sort4(a, s);                                                      \
      NAME##_sort4(a + h, s + h);                                              \
      pre = 4;                                                                 \
    } else {                                                                   \
      s[0] = a[0];                                                             \
      s[h] = a[h];                                                             \
    }                                                                          \
    for (int64_t i = pre; i < h; i++) s[i] = a[i];                             \
    for (int64_t i = h + pre; i < n; i++) s[i] = a[i];                         \
    RT_SORT_INSERTION(T, LT, s, pre, h)                                        \
    RT_SORT_INSERTION(T, LT, (s + h), pre, n - h)                              \
    RT_SORT_BIMERGE(T, LT, s, h, n, a)                                         \
  }                                                                            \
  static void NAME##_quick(T *a, int64_t n, T *s, int limit) {                 \
    while (n > 32) {                                                           \
      if (limit-- == 0) {                                                      \
        NAME##_merge(a, n, s);                                                 \
        return;                                                                \
      }                                                                        \
      int64_t e = n / 8;                                                       \
      T pivot = *NAME##_med3(NAME##_med3(&a[0], &a[e], &a[2 * e]),             \
                             NAME##_med3(&a[3 * e], &a[4 * e], &a[5 * e]),     \
                             NAME##_med3(&a[6 * e], &a[7 * e], &a[n - 1]));    \
      int64_t nlt = NAME##_lt(a, n, &pivot, s);                                \
      if (nlt == 0) {                                                          \
        int64_t neq = NAME##_le(a, n, &pivot, s);                              \
        a += neq;                                                              \
        n -= neq;                                                              \
        continue;                                                              \
      }                                                                        \
      NAME##_quick(a, nlt, s, limit);                                          \
      a += nlt;                                                                \
      n -= nlt;                                                                \
    }                                                                          \
    NAME##_small(a, n, s);                                                     \
  }                                                                            \
  static void NAME(rt_list *l) {                                               \
    if (l->len < 2) return;                                                    \
    T *s = rt_alloc_array(l->len + 16, sizeof(T));                             \
    int limit = 0;                                                             \
    for (int64_t m = l->len; m; m >>= 1) limit += 2;                           \
    NAME##_quick((T *)l->data, l->len, s, limit);                              \
    rt_free(s);                                                                \
  }
// contains(&x): eq(element, x) for each element in order; NULL eq compares bytes.
bool rt_list_contains(const rt_list *l, const void *x, size_t es, rt_eq_fn eq);
bool rt_list_eq(const rt_list *a, const rt_list *b, size_t es, rt_eq_fn eq);
// join(sep) on a list of rt_str: returns a new string.
rt_str rt_list_join(const rt_list *l, const rt_str *sep);
// clone(): returns a deep copy (clone NULL: the bytes are copied).
rt_list rt_list_clone(const rt_list *l, size_t es, rt_clone_fn clone);
// Drops every element, frees the array; *l becomes empty.
void rt_list_drop(rt_list *l, size_t es, rt_drop_fn drop);
// [x; n]: moves in elem; n copies, each its own clone (clone NULL: bytes) and
// the last one elem itself; n == 0 drops elem (drop may be NULL). n < 0 is
// ValueError "list length must not be negative (got N)".
rt_list rt_list_repeat_(void *elem, int64_t n, size_t es, rt_clone_fn clone, rt_drop_fn drop,
                        const rt_loc *loc);
// The same, with what it guarantees told to the C compiler: the list has
// exactly n elements, and n is at most a list's largest capacity
// (rt_list_max_cap, else MemoryError). A loop `for i in 0..n { v[i] =
// i * 3; }` then needs neither its bounds check nor the multiplication's
// overflow check (rustc sees as much through vec![x; n]).
static inline rt_list rt_list_repeat(void *elem, int64_t n, size_t es, rt_clone_fn clone, rt_drop_fn drop,
                                     const rt_loc *loc) {
  rt_list l = rt_list_repeat_(elem, n, es, clone, drop, loc);
  if (l.len != n || n > rt_list_max_cap(es)) __builtin_unreachable();
  return l;
}

// ===== Maps =======================================================================
// Insertion-ordered hash maps keyed by int64_t (rt_map_i_*) or rt_str
// (rt_map_s_*); values of vs bytes stored inline. A map's key kind is fixed
// by the first function family used on it; the generator never mixes them.
// remove keeps the order of the rest; re-inserting an existing key keeps its
// place. Value pointers returned below stay valid until the next insert or
// remove on the map.
typedef struct rt_map {
  unsigned char *entries;  // cap entries of `stride` bytes: hash, key, value
  int64_t *index;          // icap slots: entry number, -1 empty, -2 deleted
  int64_t used;            // entries written (live + removed)
  int64_t len;             // live entries
  int64_t cap, icap;
  int64_t last;            // where a str key was last found (entry + 1; 0: nowhere)
} rt_map;

static inline rt_map rt_map_new(void) { return (rt_map){NULL, NULL, 0, 0, 0, 0, 0}; }
static inline int64_t rt_map_len(const rt_map *m) { return m->len; }

// insert(k, v) / m[k] = v: returns the value slot for k. *existed tells
// whether k was there: if so the slot holds the old value, which the caller
// drops (or moves out) before writing the new one; if not, the slot is
// uninitialized and the caller writes the value. The str form MOVES IN the
// key: the map keeps it, or drops it when the key was already present.
// Room for n entries (str_keys: rt_str keys, else int64_t) before the map's
// next growth; a map literal's are all made at once.
void rt_map_reserve(rt_map *m, int64_t n, bool str_keys, size_t vs);
void *rt_map_i_insert(rt_map *m, int64_t key, size_t vs, bool *existed);
void *rt_map_s_insert(rt_map *m, rt_str *key, size_t vs, bool *existed);
// The same with a borrowed key: the map keeps a copy of it when it is new.
void *rt_map_s_insert_lent(rt_map *m, const rt_str *key, size_t vs, bool *existed);
// get(k) -> ?V: the value slot (borrowed), or NULL when absent.
void *rt_map_i_get(const rt_map *m, int64_t key, size_t vs);
void *rt_map_s_get(const rt_map *m, const rt_str *key, size_t vs);
// m[k] as a value: like get, but a missing key is KeyError `key not found: 3`
// or `key not found: "k"`.
void *rt_map_i_at(const rt_map *m, int64_t key, size_t vs, const rt_loc *loc);
void *rt_map_s_at(const rt_map *m, const rt_str *key, size_t vs, const rt_loc *loc);
static inline bool rt_map_i_contains(const rt_map *m, int64_t key, size_t vs) {
  return rt_map_i_get(m, key, vs) != NULL;
}
static inline bool rt_map_s_contains(const rt_map *m, const rt_str *key, size_t vs) {
  return rt_map_s_get(m, key, vs) != NULL;
}
// remove(k) -> ?V: false when absent; else moves the value to *out (the
// caller owns it) and frees the map's copy of the key.
bool rt_map_i_remove(rt_map *m, int64_t key, size_t vs, void *out);
bool rt_map_s_remove(rt_map *m, const rt_str *key, size_t vs, void *out);
// keys() -> [K]: returns a new list (of int64_t / of cloned rt_str), in order.
rt_list rt_map_i_keys(const rt_map *m, size_t vs);
rt_list rt_map_s_keys(const rt_map *m, size_t vs);
// Iteration in insertion order:
//   int64_t pos = 0; int64_t *k; V *v;
//   while (rt_map_i_next(&m, &pos, sizeof(V), &k, (void **)&v)) { … }
// Keys and values are borrowed. The map must not change during the loop.
bool rt_map_i_next(const rt_map *m, int64_t *pos, size_t vs, int64_t **key, void **val);
bool rt_map_s_next(const rt_map *m, int64_t *pos, size_t vs, rt_str **key, void **val);
// clone(): a deep copy (clone NULL: value bytes copied); drop: frees keys,
// drops values (drop may be NULL); *m becomes empty.
rt_map rt_map_i_clone(const rt_map *m, size_t vs, rt_clone_fn clone);
rt_map rt_map_s_clone(const rt_map *m, size_t vs, rt_clone_fn clone);
void rt_map_i_drop(rt_map *m, size_t vs, rt_drop_fn drop);
void rt_map_s_drop(rt_map *m, size_t vs, rt_drop_fn drop);
// ==: same keys with equal values (order ignored, as Python and Rust); eq NULL: bytes.
bool rt_map_i_eq(const rt_map *a, const rt_map *b, size_t vs, rt_eq_fn eq);
bool rt_map_s_eq(const rt_map *a, const rt_map *b, size_t vs, rt_eq_fn eq);

// ===== Printing ===================================================================
// A print statement builds its line in a buffer with rt_fmt_int, rt_fmt_float,
// rt_buf_put_str(_quoted) and rtbuf_puts, then writes it:
//   RtBuf *b = rt_print_buf();  rt_fmt_int(b, x);  rtbuf_putc(b, ' ');  …
//   rt_print_line(b);
// rt_print_buf() is this thread's scratch buffer, emptied (the runtime frees
// it at thread or program end). rt_print_line writes the buffer and '\n' to
// stdout as one piece (lines of threads never interleave) and empties it; a
// buffer that ran out of memory is a MemoryError. Any RtBuf the caller owns
// may be passed too (then the caller frees it with rtbuf_free).
RtBuf *rt_print_buf(void);
void rt_print_line(RtBuf *b);
// stdout is buffered by the runtime (64 KiB) and flushed at exit, before a
// panic, before reading stdin and by the stack-overflow handler.
void rt_flush_stdout(void);
// str(x) for the leaves: returns a new string.
rt_str rt_str_of_int(int64_t v);
rt_str rt_str_of_float(double v);
rt_str rt_str_of_bool(bool v);

// ===== Builtins (SPEC §5) =========================================================
rt_list rt_args(void);                           // [str], a new list of the program's arguments
rt_str rt_read_file(const rt_str *path, const rt_loc *loc);  // OSError `cannot read "P": reason`
bool rt_read_line(rt_str *out);                  // ?str: false at end of input
double rt_clock(void);                           // CLOCK_MONOTONIC seconds
void rt_sleep(double seconds, const rt_loc *loc);
int64_t rt_int_of_float(double f, const rt_loc *loc);       // ValueError for nan, inf, out of range
int64_t rt_int_of_str(const rt_str *s, const rt_loc *loc);  // ValueError `invalid literal for int(): "x"`
double rt_float_of_str(const rt_str *s, const rt_loc *loc); // ValueError `could not convert string to float: "x"`
static inline int64_t rt_int_of_bool(bool b) { return b ? 1 : 0; }
static inline double rt_float_of_int(int64_t v) { return (double)v; }
static inline int64_t rt_gc(void) { return 0; }  // nothing to collect in native mode
_Noreturn void rt_panic_str(const rt_str *msg, const rt_loc *loc);  // panic(msg): `Panic: msg`
static inline double rt_sqrt(double x) { return sqrt(x); }  // sqrt(-1) is nan
static inline int64_t rt_abs_i(int64_t x, const rt_loc *loc) {
#ifndef RT_UNCHECKED
  if (RT_UNLIKELY(x == INT64_MIN)) rt_panic_overflow(loc, "negate");
#else
  (void)loc;
#endif
  return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
}
static inline double rt_abs_f(double x) { return fabs(x); }
// min(a, b) is b if b < a, else a; max(a, b) is b if b > a, else a (Python:
// the first of equal values wins; a NaN second argument is never chosen).
static inline int64_t rt_min_i(int64_t a, int64_t b) { return b < a ? b : a; }
static inline int64_t rt_max_i(int64_t a, int64_t b) { return b > a ? b : a; }
static inline double rt_min_f(double a, double b) { return b < a ? b : a; }
static inline double rt_max_f(double a, double b) { return b > a ? b : a; }

// ===== Threads ====================================================================
// spawn f(args): the generator defines a block holding the arguments and a
// slot for the result, and a trampoline:
//   typedef struct { int64_t a; rt_str b; int64_t ret; } spawn_f_blk;
//   static void *spawn_f(void *p) { spawn_f_blk *k = p; k->ret = f(k->a, k->b); return k; }
//   spawn_f_blk *k = rt_alloc(sizeof *k); k->a = …; k->b = …;  // args moved in
//   rt_thread *t = rt_spawn(spawn_f, k, "f");
// and h.join():
//   spawn_f_blk *r = rt_join(t);  int64_t v = r->ret;  rt_free(r);
// rt_join waits, frees the rt_thread, and returns what fn returned (the block:
// the joiner owns it and the result inside). A thread handle dropped without
// join must still be joined (and its result dropped) by the generated drop,
// so that no thread outlives main and every block is freed.
// Threads are numbered 1, 2, … in the order they are spawned (main is 0); a
// panic in thread N first prints `Exception in thread N (fn):` on a line of
// its own — the same line interp prints above its traceback (docs/threads.md).
typedef struct rt_thread rt_thread;
rt_thread *rt_spawn(void *(*fn)(void *), void *arg, const char *name);
void *rt_join(rt_thread *t);

// ===== Hybrid libraries (RT_LIBRARY, docs/hybrid.md) ==============================
// Built with RT_LIBRARY (and -fPIC) the runtime is the half of a shared
// library that the VM loads in --mode=hybrid: no main() (the generated
// lab_hybrid_init calls rt_library_init with the VM's LabHost), no signal
// handlers (the process is the VM's), stdout through the VM's stdio stream.
// Each exported wrapper runs the compiled code under an rt_boundary:
//   rt_boundary bd = {.prev = rt_boundary_top};
//   if (setjmp(bd.jb)) { …; rt_boundary_raise(&bd); return 1; }
//   rt_boundary_top = &bd;  … the call …  rt_boundary_top = bd.prev;
// A panic under a boundary longjmps there instead of ending the process;
// rt_boundary_raise takes the GIL back if the call had released it
// (bd.released) and raises the panic in the VM. A panic in a thread the
// compiled code spawned has no boundary: it ends the process, as in native.
#ifdef RT_LIBRARY
#include <setjmp.h>

#include "hybrid_abi.h"
extern const LabHost *lab_host;
typedef struct rt_boundary {
  jmp_buf jb;
  struct rt_boundary *prev;
  volatile bool released;  // the GIL is released (#[native(nogil)])
} rt_boundary;
extern _Thread_local rt_boundary *rt_boundary_top;
void rt_library_init(const LabHost *h);
void rt_boundary_raise(rt_boundary *b);
#endif

// ===== Entry point ================================================================
// The runtime defines main(): it buffers stdout, installs the stack-overflow
// handler, keeps argv for rt_args, calls toy_main(), flushes stdout, and —
// when LAB_CHECK_LEAKS is set and allocations are still alive — prints
// `lab: leak check: N allocations still alive at exit` and exits 70.
// When LAB_NATIVE_STATS names a file (`lab run --stats` sets it), it writes
// the allocation counters there at exit: `ALLOCS FREES BYTES PEAK_LIVE_BYTES`.
void toy_main(void);  // defined by the generated program: Toy's fn main

#endif
