// test_toyrt.c — the native runtime's unit test (runtime/native/toyrt.h), run
// by `make test-native-rt`. It is itself a "generated program": it defines
// toy_main() and links the runtime built from runtime/native/FILES, so the
// real main(), stdout buffer, leak check and signal handlers are under test.
//
// Panics and other exits are checked in a child: fork() for a panic (stderr
// and the exit code captured), or a re-exec of this executable with a mode
// argument (`leak`, `overflow`, …) for what must happen at startup or exit.
// The whole run must end with zero live allocations (LAB_CHECK_LEAKS is set
// by the Makefile target, so a leak here fails with exit 70).
#include "toyrt.h"

// The runtime counts allocations only when built with RT_COUNTED (the
// release variant of `make test`); the ASan variant is built without, so
// both are tested — LeakSanitizer checks that one's frees.
#ifdef RT_COUNTED
#define COUNTED 1
#else
#define COUNTED 0
#endif

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "convert.h"  // the shared parsers, tested directly too
#include "strops.h"  // the shared hash of bytes

#include "check.h"

static const rt_loc L = {"t.toy", 3, 13};

static rt_str S(const char *s) { return rt_str_from_cstr(s); }

static bool str_is(const rt_str *s, const char *want) {
  return s->len == (int64_t)strlen(want) && (s->len == 0 || memcmp(s->ptr, want, (size_t)s->len) == 0);
}

// Checks *s == want, then drops s.
static void check_str(rt_str s, const char *want, int line) {
  if (str_is(&s, want)) passed++;
  else {
    failed++;
    fprintf(stderr, "%s:%d: got \"%.*s\", want \"%s\"\n", __FILE__, line, (int)s.len, s.ptr ? s.ptr : "", want);
  }
  rt_str_drop(&s);
}
#define CHECK_STR(s, want) check_str((s), (want), __LINE__)

// ---- children -----------------------------------------------------------------------
typedef struct Child {
  int status;       // exit code, or 128 + signal
  char out[4096];   // its stdout
  char err[4096];   // its stderr
} Child;

static void read_fd(int fd, char *buf, size_t cap) {
  size_t n = 0;
  ssize_t r;
  while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0) n += (size_t)r;
  buf[n] = '\0';
  close(fd);
  // Drop AddressSanitizer's own warnings ("==123==WARNING: … failed to
  // allocate"), which the ASan build prints before our MemoryError.
  char *w;
  while ((w = strstr(buf, "==")) && (w == buf || w[-1] == '\n') && strstr(w, "WARNING")) {
    char *eol = strchr(w, '\n');
    memmove(w, eol ? eol + 1 : w + strlen(w), strlen(eol ? eol + 1 : w + strlen(w)) + 1);
  }
}

// Runs fn in a forked child (or execs this program with `mode` when fn is NULL).
static void run_child(Child *c, void (*fn)(void), const char *mode, const char *env) {
  rt_flush_stdout();  // or the child would print our buffered lines again
  int out[2], err[2];
  if (pipe(out) || pipe(err)) abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]), close(err[0]), close(out[1]), close(err[1]);
    if (fn) {
      fn();
      rt_flush_stdout();
      _exit(99);  // it should not have returned
    }
    putenv("ASAN_OPTIONS=detect_leaks=0");  // `leak` mode leaks on purpose
    if (env && env[0] == '-') unsetenv(env + 1);  // "-NAME": run without NAME
    else if (env) putenv((char *)env);
    // stdin: two lines for `args` mode's read_line, without a final newline.
    int in[2];
    if (pipe(in)) _exit(97);
    if (write(in[1], "line one\nlast", 13) != 13) _exit(97);
    close(in[1]);
    dup2(in[0], 0);
    close(in[0]);
    char *argv[] = {"test_toyrt", (char *)mode, NULL};
    execv("/proc/self/exe", argv);
    _exit(98);
  }
  close(out[1]), close(err[1]);
  // Small outputs only: read stdout then stderr without deadlock risk.
  read_fd(out[0], c->out, sizeof c->out);
  read_fd(err[0], c->err, sizeof c->err);
  int st;
  waitpid(pid, &st, 0);
  c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void expect_exit(void (*fn)(void), const char *mode, const char *env, int status,
                        const char *out, const char *err, int line) {
  Child c;
  run_child(&c, fn, mode, env);
  if (c.status == status && strcmp(c.out, out) == 0 && strcmp(c.err, err) == 0) {
    passed++;
    return;
  }
  failed++;
  fprintf(stderr, "%s:%d: child exited %d (want %d)\n  stdout: %s\n  want:   %s\n  stderr: %s  want:   %s\n",
          __FILE__, line, c.status, status, c.out, out, c.err, err);
}
#define EXPECT_PANIC(fn, msg) expect_exit(fn, NULL, NULL, 1, "", "panic at t.toy:3:13: " msg "\n", __LINE__)

// ---- panicking bodies (one per situation) -------------------------------------------------
static volatile int64_t vmin = INT64_MIN, vmax = INT64_MAX, vzero = 0, vm1 = -1, v64 = 64, vneg1 = -1;
static void p_add(void) { rt_add(vmax, 1, &L); }
static void p_sub(void) { rt_sub(vmin, 1, &L); }
static void p_mul(void) { rt_mul(vmax, 2, &L); }
static void p_neg(void) { rt_neg(vmin, &L); }
static void p_div0(void) { rt_div(1, vzero, &L); }
static void p_rem0(void) { rt_rem(1, vzero, &L); }
static void p_divov(void) { rt_div(vmin, vm1, &L); }
static void p_remov(void) { rt_rem(vmin, vm1, &L); }
static void p_shl(void) { rt_shl(1, v64, &L); }
static void p_shr(void) { rt_shr(1, vneg1, &L); }
static void p_abs(void) { rt_abs_i(vmin, &L); }
static void p_index(void) {
  rt_list l = rt_list_new();
  for (int64_t i = 0; i < 3; i++) rt_list_push(&l, &i, sizeof i);
  rt_list_at(&l, 5, sizeof(int64_t), &L);
}
static void p_index_neg(void) {
  rt_list l = rt_list_new();
  rt_list_at(&l, -1, sizeof(int64_t), &L);
}
static void p_insert(void) {
  rt_list l = rt_list_new();
  int64_t x = 1;
  rt_list_insert(&l, 1, &x, sizeof x, &L);
}
static void p_remove(void) {
  rt_list l = rt_list_new();
  int64_t x;
  rt_list_remove(&l, 0, &x, sizeof x, &L);
}
static void p_swap(void) {
  rt_list l = rt_list_new();
  int64_t x = 1;
  rt_list_push(&l, &x, sizeof x);
  rt_list_swap(&l, 0, 2, sizeof x, &L);
}
static void p_key_s(void) {
  rt_map m = rt_map_new();
  rt_str k = S("k");
  rt_map_s_at(&m, &k, sizeof(int64_t), &L);
}
static void p_key_s_esc(void) {
  rt_map m = rt_map_new();
  rt_str k = S("a\"b\n");
  rt_map_s_at(&m, &k, sizeof(int64_t), &L);
}
static void p_key_i(void) {
  rt_map m = rt_map_new();
  bool ex;
  *(int64_t *)rt_map_i_insert(&m, 1, sizeof(int64_t), &ex) = 10;
  rt_map_i_at(&m, 3, sizeof(int64_t), &L);
}
static void p_unwrap(void) { rt_panic_unwrap(&L); }
static void p_assert(void) { rt_assert(false, &L); }
static void p_panic(void) {
  rt_str m = S("boom");
  rt_panic_str(&m, &L);
}
static void p_int_str(void) {
  rt_str s = S("abc");
  rt_int_of_str(&s, &L);
}
static void p_float_str(void) {
  rt_str s = S("1.5x");
  rt_float_of_str(&s, &L);
}
static void p_int_nan(void) { rt_int_of_float(NAN, &L); }
static void p_int_inf(void) { rt_int_of_float(-INFINITY, &L); }
static void p_int_big(void) { rt_int_of_float(1e19, &L); }
static void p_split(void) {
  rt_str s = S("a"), e = S("");
  rt_str_split(&s, &e, &L);
}
static void p_repeat(void) {
  rt_str s = S("a");
  rt_str_repeat(&s, -1, &L);
}
static void p_repeat_big(void) {
  rt_str s = S("ab");
  rt_str_repeat(&s, 4000000000000000000, &L);
}
static void p_list_big(void) {
  int64_t x = 0;
  rt_list_repeat(&x, (int64_t)1 << 60, sizeof x, NULL, NULL, &L);
}
static void p_list_neg(void) {
  int64_t x = 0;
  rt_list_repeat(&x, -2, sizeof x, NULL, NULL, &L);
}
static void p_read_file(void) {
  rt_str p = S("/nonexistent/x");
  rt_read_file(&p, &L);
}
static void p_sleep(void) { rt_sleep(-1, &L); }
static void p_flushes(void) {  // output printed before a panic comes out first
  RtBuf *b = rt_print_buf();
  rtbuf_puts(b, "before");
  rt_print_line(b);
  rt_panic(&L, RT_PANIC, "after");
}

static void test_panics(void) {
  EXPECT_PANIC(p_add, "OverflowError: attempt to add with overflow");
  EXPECT_PANIC(p_sub, "OverflowError: attempt to subtract with overflow");
  EXPECT_PANIC(p_mul, "OverflowError: attempt to multiply with overflow");
  EXPECT_PANIC(p_neg, "OverflowError: attempt to negate with overflow");
  EXPECT_PANIC(p_abs, "OverflowError: attempt to negate with overflow");
  EXPECT_PANIC(p_div0, "ZeroDivisionError: attempt to divide by zero");
  EXPECT_PANIC(p_rem0, "ZeroDivisionError: attempt to calculate the remainder with a divisor of zero");
  EXPECT_PANIC(p_divov, "OverflowError: attempt to divide with overflow");
  EXPECT_PANIC(p_remov, "OverflowError: attempt to calculate the remainder with overflow");
  EXPECT_PANIC(p_shl, "OverflowError: attempt to shift left with overflow");
  EXPECT_PANIC(p_shr, "OverflowError: attempt to shift right with overflow");
  EXPECT_PANIC(p_index, "IndexError: index out of bounds: the len is 3 but the index is 5");
  EXPECT_PANIC(p_index_neg, "IndexError: index out of bounds: the len is 0 but the index is -1");
  EXPECT_PANIC(p_insert, "IndexError: index out of bounds: the len is 0 but the index is 1");
  EXPECT_PANIC(p_remove, "IndexError: index out of bounds: the len is 0 but the index is 0");
  EXPECT_PANIC(p_swap, "IndexError: index out of bounds: the len is 1 but the index is 2");
  EXPECT_PANIC(p_key_s, "KeyError: key not found: \"k\"");
  EXPECT_PANIC(p_key_s_esc, "KeyError: key not found: \"a\\\"b\\n\"");
  EXPECT_PANIC(p_key_i, "KeyError: key not found: 3");
  EXPECT_PANIC(p_unwrap, "ValueError: called unwrap() on a None value");
  EXPECT_PANIC(p_assert, "AssertionError: assertion failed");
  EXPECT_PANIC(p_panic, "Panic: boom");
  EXPECT_PANIC(p_int_str, "ValueError: invalid literal for int(): \"abc\"");
  EXPECT_PANIC(p_float_str, "ValueError: could not convert string to float: \"1.5x\"");
  EXPECT_PANIC(p_int_nan, "ValueError: cannot convert float nan to int");
  EXPECT_PANIC(p_int_inf, "ValueError: cannot convert float -inf to int");
  EXPECT_PANIC(p_int_big, "ValueError: cannot convert float 1e+19 to int");
  EXPECT_PANIC(p_split, "ValueError: empty separator");
  EXPECT_PANIC(p_repeat, "ValueError: negative repeat count");
  EXPECT_PANIC(p_list_neg, "ValueError: list length must not be negative (got -2)");
  EXPECT_PANIC(p_read_file, "OSError: cannot read \"/nonexistent/x\": No such file or directory");
  EXPECT_PANIC(p_sleep, "ValueError: sleep length must be non-negative");
  // A size the program chose: out of memory there is reported at its line
  // (rt_alloc_site), as interp reports a MemoryError traceback.
  EXPECT_PANIC(p_repeat_big, "MemoryError: out of memory");
  EXPECT_PANIC(p_list_big, "MemoryError: out of memory");
  expect_exit(p_flushes, NULL, NULL, 1, "before\n", "panic at t.toy:3:13: Panic: after\n", __LINE__);
}

// ---- arithmetic -----------------------------------------------------------------------
static void test_arith(void) {
  CHECK(rt_add(2, 3, &L) == 5 && rt_sub(2, 3, &L) == -1 && rt_mul(-4, 5, &L) == -20);
  CHECK(rt_add(INT64_MAX - 1, 1, &L) == INT64_MAX && rt_sub(INT64_MIN + 1, 1, &L) == INT64_MIN);
  CHECK(rt_neg(INT64_MAX, &L) == -INT64_MAX);
  CHECK(rt_div(7, 2, &L) == 3 && rt_div(-7, 2, &L) == -3 && rt_div(7, -2, &L) == -3);
  CHECK(rt_rem(7, 2, &L) == 1 && rt_rem(-7, 2, &L) == -1 && rt_rem(7, -2, &L) == 1);
  CHECK(rt_div(INT64_MIN, 1, &L) == INT64_MIN && rt_div(5, -1, &L) == -5 && rt_rem(5, -1, &L) == 0);
  CHECK(rt_shl(1, 63, &L) == INT64_MIN);  // allowed
  CHECK(rt_shl(3, 63, &L) == INT64_MIN);  // bits shifted out are not an error
  CHECK(rt_shl(5, 0, &L) == 5 && rt_shl(-1, 4, &L) == -16);
  CHECK(rt_shr(-16, 2, &L) == -4 && rt_shr(-1, 63, &L) == -1 && rt_shr(INT64_MIN, 63, &L) == -1);
  CHECK(rt_shr(INT64_MAX, 62, &L) == 1);
  CHECK(rt_abs_i(-5, &L) == 5 && rt_abs_i(INT64_MAX, &L) == INT64_MAX && rt_abs_f(-2.5) == 2.5);
  CHECK(rt_min_i(3, 2) == 2 && rt_max_i(3, 2) == 3);
  CHECK(isnan(rt_min_f(NAN, 1.0)) && rt_min_f(1.0, NAN) == 1.0 && rt_max_f(1.0, NAN) == 1.0);
  CHECK(signbit(rt_min_f(0.0, -0.0)) == 0 && signbit(rt_max_f(-0.0, 0.0)) != 0);  // the first of equals
  CHECK(isnan(rt_sqrt(-1)) && rt_sqrt(9) == 3);
  CHECK(rt_gc() == 0 && rt_int_of_bool(true) == 1 && rt_float_of_int(-3) == -3.0);
}

// ---- strings ---------------------------------------------------------------------------
static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void test_strings(void) {
  rt_str e = rt_str_lit("", 0);
  CHECK(e.ptr == NULL && e.len == 0 && (!COUNTED || rt_live_allocations() == 0));
  rt_str a = S("Hello"), b = S(", World"), sep = S(",");
  CHECK_STR(rt_str_concat(&a, &b), "Hello, World");
  CHECK_STR(rt_str_concat(&a, &e), "Hello");
  CHECK_STR(rt_str_clone(&a), "Hello");
  CHECK(rt_str_len(&a) == 5 && rt_str_eq(&a, &a) && !rt_str_eq(&a, &b));
  rt_str ab = S("ab"), abc = S("abc"), b0 = S("b");
  CHECK(rt_str_cmp(&ab, &abc) < 0 && rt_str_cmp(&abc, &ab) > 0 && rt_str_cmp(&ab, &ab) == 0);
  CHECK(rt_str_cmp(&abc, &b0) < 0 && rt_str_cmp(&e, &ab) < 0);
  rt_str hi = S("\xff"), lo = S("a");
  CHECK(rt_str_cmp(&hi, &lo) > 0);  // bytewise, unsigned
  CHECK(rt_str_hash(&ab) == rt_str_hash(&ab) && rt_str_hash(&ab) != rt_str_hash(&abc));
  {
    // No two of the 54,834 strings "a".."zzz", each also with "abab" and
    // "abababab" after it (1 to 11 bytes), share a hash: every path of
    // rt_hash_bytes (under 4, 4 to 8, over 8 bytes, overlapping loads) is in it.
    enum { N = 26 + 26 * 26 + 26 * 26 * 26 };
    uint64_t *hs = malloc(sizeof(uint64_t) * N * 3);
    int64_t nh = 0;
    char buf[16];
    for (int pad = 0; pad < 3; pad++)
      for (int i = 0; i < N; i++) {
        int len = i < 26 ? 1 : i < 26 + 676 ? 2 : 3, v = i - (len > 1 ? 26 : 0) - (len > 2 ? 676 : 0);
        for (int c = len - 1; c >= 0; c--, v /= 26) buf[c] = (char)('a' + v % 26);
        for (int c = 0; c < pad * 4; c++) buf[len + c] = c % 2 ? 'b' : 'a';
        hs[nh++] = rt_hash_bytes(buf, len + pad * 4);
      }
    qsort(hs, (size_t)nh, sizeof *hs, cmp_u64);
    bool distinct = true;
    for (int64_t i = 1; i < nh; i++) distinct &= hs[i] != hs[i - 1];
    CHECK(distinct);
    free(hs);
  }
  CHECK_STR(rt_str_lower(&a), "hello");
  CHECK_STR(rt_str_upper(&a), "HELLO");
  rt_str u = S("  \t\xc3\xa9t\xc3\xa9 x\n ");
  CHECK_STR(rt_str_trim(&u), "\xc3\xa9t\xc3\xa9 x");
  CHECK_STR(rt_str_upper(&u), "  \t\xc3\xa9T\xc3\xa9 X\n ");
  CHECK(rt_str_starts_with(&a, &e) && rt_str_starts_with(&abc, &ab) && !rt_str_starts_with(&ab, &abc));
  rt_str bc = S("bc");
  CHECK(rt_str_ends_with(&abc, &bc) && !rt_str_ends_with(&abc, &ab) && rt_str_ends_with(&e, &e));
  CHECK(rt_str_contains(&abc, &bc) && !rt_str_contains(&ab, &bc) && rt_str_contains(&e, &e));
  int64_t at = -1;
  CHECK(rt_str_find(&abc, &bc, &at) && at == 1);
  CHECK(rt_str_find(&abc, &e, &at) && at == 0);
  CHECK(!rt_str_find(&abc, &sep, &at));
  rt_str x = S("a,b,,c"), comma = S(","), dash = S("--"), none = S("");
  CHECK_STR(rt_str_replace(&x, &comma, &dash), "a--b----c");
  CHECK_STR(rt_str_replace(&x, &dash, &comma), "a,b,,c");
  rt_str cafe = S("h\xc3\xa9"), dot = S(".");
  CHECK_STR(rt_str_replace(&cafe, &none, &dot), ".h.\xc3\xa9.");  // every character boundary
  CHECK_STR(rt_str_replace(&e, &none, &dot), ".");
  CHECK_STR(rt_str_repeat(&ab, 3, &L), "ababab");
  CHECK_STR(rt_str_repeat(&ab, 0, &L), "");
  CHECK_STR(rt_str_repeat(&lo, 4, &L), "aaaa");
  CHECK_STR(rt_str_repeat(&lo, 0, &L), "");
  CHECK_STR(rt_str_repeat(&e, 5, &L), "");
  rt_str aa = S("aa");
  CHECK_STR(rt_str_replace(&aa, &lo, &none), "");
  CHECK_STR(rt_str_replace(&e, &lo, &dot), "");
  CHECK_STR(rt_str_trim(&e), "");
  CHECK_STR(rt_str_lower(&e), "");
  CHECK(!rt_str_contains(&e, &lo) && rt_str_starts_with(&e, &e) && !rt_str_ends_with(&e, &lo));
  rt_str_drop(&aa);
  rt_list parts = rt_str_split(&x, &comma, &L);
  CHECK(parts.len == 4);
  const char *want[] = {"a", "b", "", "c"};
  for (int i = 0; i < 4 && i < parts.len; i++) CHECK(str_is(rt_list_at(&parts, i, sizeof(rt_str), &L), want[i]));
  CHECK_STR(rt_list_join(&parts, &dash), "a--b----c");
  CHECK_STR(rt_list_join(&parts, &e), "abc");
  rt_list_drop(&parts, sizeof(rt_str), rt_str_drop_elem);
  CHECK(parts.len == 0 && parts.data == NULL);
  parts = rt_str_split(&e, &comma, &L);
  CHECK(parts.len == 1 && ((rt_str *)parts.data)[0].len == 0);
  rt_list_drop(&parts, sizeof(rt_str), rt_str_drop_elem);
  rt_str ws = S("  one\ttwo \n three  ");
  parts = rt_str_split_whitespace(&ws);
  CHECK(parts.len == 3 && str_is(&((rt_str *)parts.data)[2], "three"));
  CHECK_STR(rt_list_join(&parts, &comma), "one,two,three");
  rt_list_drop(&parts, sizeof(rt_str), rt_str_drop_elem);
  parts = rt_str_split_whitespace(&e);
  CHECK(parts.len == 0);
  rt_list_drop(&parts, sizeof(rt_str), rt_str_drop_elem);
  rt_list empty = rt_list_new();
  CHECK_STR(rt_list_join(&empty, &comma), "");
  // append, including a string appended to itself
  rt_str acc = rt_str_lit("", 0);
  for (int i = 0; i < 100; i++) rt_str_append(&acc, &lo);
  CHECK(acc.len == 100 && acc.cap >= 100);
  rt_str_append(&acc, &acc);
  CHECK(acc.len == 200 && acc.ptr[199] == 'a');
  rt_str_drop(&acc);
  rt_str_drop(&acc);  // a second drop is harmless
  // leaves of str()
  CHECK_STR(rt_str_of_int(INT64_MIN), "-9223372036854775808");
  CHECK_STR(rt_str_of_float(0.1), "0.1");
  CHECK_STR(rt_str_of_float(1.0), "1.0");
  CHECK_STR(rt_str_of_float(1e20), "1e+20");
  CHECK_STR(rt_str_of_bool(false), "false");
  RtBuf buf;
  rtbuf_init(&buf);
  rt_buf_put_str(&buf, &u);
  rt_buf_put_str_quoted(&buf, &x);
  CHECK_STR(rt_str_from_buf(&buf), "  \t\xc3\xa9t\xc3\xa9 x\n \"a,b,,c\"");
  rtbuf_free(&buf);
  rt_str *all[] = {&a, &b, &sep, &ab, &abc, &b0, &hi, &lo, &u, &bc, &x, &comma, &dash, &none, &cafe, &dot, &ws, &e};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rt_str_drop(all[i]);
}

// ---- conversions ------------------------------------------------------------------------
static void test_convert(void) {
  const char *ints[][2] = {{" 42 ", "42"}, {"-9223372036854775808", "-9223372036854775808"},
                           {"+1_000_000", "1000000"}, {"\t-0\n", "0"}};
  for (size_t i = 0; i < 4; i++) {
    rt_str s = S(ints[i][0]);
    CHECK_STR(rt_str_of_int(rt_int_of_str(&s, &L)), ints[i][1]);
    rt_str_drop(&s);
  }
  const char *bad_ints[] = {"", " ", "1__0", "_1", "1_", "9223372036854775808", "0x10", "1.0", "+", "--1"};
  for (size_t i = 0; i < sizeof bad_ints / sizeof *bad_ints; i++) {
    int64_t v;
    CHECK(!rt_parse_int(bad_ints[i], (int64_t)strlen(bad_ints[i]), &v));
  }
  CHECK(!rt_parse_int("1\0", 2, &(int64_t){0}));  // an embedded NUL
  rt_str f = S(" 2.5e-3 "), inf = S("-inf"), hx = S("1_000.5");
  CHECK(rt_float_of_str(&f, &L) == 2.5e-3 && isinf(rt_float_of_str(&inf, &L)) && rt_float_of_str(&hx, &L) == 1000.5);
  rt_str longf = S("0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                   "0000000000000000000000000000000000000000000000000000000000000001");
  CHECK(rt_float_of_str(&longf, &L) == 1e-155);  // longer than the stack copy (157 bytes)
  double d;
  CHECK(!rt_parse_float("1\0", 2, &d) && !rt_parse_float("", 0, &d) && !rt_parse_float(" ", 1, &d));
  // Python's grammar, not strtod's: no hex, no nan(…), `_` only between digits.
  CHECK(!rt_parse_float("0x1p3", 5, &d) && !rt_parse_float("nan(1)", 6, &d) && !rt_parse_float("1_", 2, &d) &&
        !rt_parse_float("1__0", 4, &d) && !rt_parse_float(".", 1, &d) && !rt_parse_float("1e", 2, &d));
  CHECK(rt_parse_float(".5", 2, &d) && d == 0.5 && rt_parse_float("5.", 2, &d) && d == 5 &&
        rt_parse_float("Infinity", 8, &d) && isinf(d) && rt_parse_float("-NaN", 4, &d) && isnan(d));
  CHECK(rt_int_of_float(-2.9, &L) == -2 && rt_int_of_float(-9223372036854775808.0, &L) == INT64_MIN);
  rt_str_drop(&f), rt_str_drop(&inf), rt_str_drop(&hx), rt_str_drop(&longf);
}

// ---- lists ------------------------------------------------------------------------------
typedef struct Pair { int64_t key; int64_t order; } Pair;  // for sort stability
static bool lt_pair(const void *a, const void *b) { return ((const Pair *)a)->key < ((const Pair *)b)->key; }
static bool lt_int(const void *a, const void *b) { return *(const int64_t *)a < *(const int64_t *)b; }
static bool lt_float(const void *a, const void *b) { return *(const double *)a < *(const double *)b; }
static bool lt_str(const void *a, const void *b) { return rt_str_cmp(a, b) < 0; }
static bool eq_float(const void *a, const void *b) { return *(const double *)a == *(const double *)b; }
RT_DEFINE_SORT(sort_int, int64_t, lt_int)
RT_DEFINE_SORT(sort_pair, Pair, lt_pair)
RT_DEFINE_SORT(sort_str, rt_str, lt_str)
RT_DEFINE_MERGE_SORT(sort_float, double, lt_float)
RT_DEFINE_MERGE_SORT(msort_pair, Pair, lt_pair)

// Sorts n pairs with keys from gen, by both sorts: sorted by key, equal keys
// in their first order (stable), and the orders a permutation of 0..n.
static bool sorts_ok(int64_t n, int64_t (*gen)(int64_t i, int64_t n)) {
  bool ok = true;
  for (int which = 0; which < 2; which++) {
    rt_list p = rt_list_with_cap(n, sizeof(Pair));
    for (int64_t i = 0; i < n; i++) {
      Pair q = {gen(i, n), i};
      rt_list_push(&p, &q, sizeof q);
    }
    if (which) msort_pair(&p);
    else sort_pair(&p);
    Pair *a = p.data;
    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
      sum += a[i].order;
      if (i) ok &= a[i - 1].key < a[i].key || (a[i - 1].key == a[i].key && a[i - 1].order < a[i].order);
    }
    ok &= p.len == n && sum == n * (n - 1) / 2;
    rt_list_drop(&p, sizeof(Pair), NULL);
  }
  return ok;
}
static int64_t gen_random(int64_t i, int64_t n) { return (int64_t)((uint64_t)(i + 1) * 0x9E3779B97F4A7C15u >> 33) % (n + 1); }
static int64_t gen_few(int64_t i, int64_t n) { (void)n; return (int64_t)((uint64_t)(i + 7) * 0x9E3779B97F4A7C15u >> 40) % 3; }
static int64_t gen_up(int64_t i, int64_t n) { (void)n; return i; }
static int64_t gen_down(int64_t i, int64_t n) { return n - i; }
static int64_t gen_same(int64_t i, int64_t n) { (void)i, (void)n; return 7; }
static int64_t gen_organ(int64_t i, int64_t n) { return i < n / 2 ? i : n - i; }

// [[str]]: element callbacks of a nested list, as the generator writes them.
static void drop_strlist(void *p) { rt_list_drop(p, sizeof(rt_str), rt_str_drop_elem); }
static void clone_strlist(void *d, const void *s) {
  *(rt_list *)d = rt_list_clone(s, sizeof(rt_str), rt_str_clone_elem);
}

static void test_lists(void) {
  rt_list l = rt_list_new();
  for (int64_t i = 0; i < 1000; i++) rt_list_push(&l, &i, sizeof i);
  CHECK(l.len == 1000 && *(int64_t *)rt_list_at(&l, 999, 8, &L) == 999);
  int64_t v;
  CHECK(rt_list_pop(&l, &v, 8) && v == 999 && l.len == 999);
  int64_t x = -5;
  rt_list_insert(&l, 0, &x, 8, &L);
  rt_list_insert(&l, l.len, &x, 8, &L);  // at len is allowed
  CHECK(l.len == 1001 && ((int64_t *)l.data)[0] == -5 && ((int64_t *)l.data)[1] == 0 && ((int64_t *)l.data)[1000] == -5);
  rt_list_remove(&l, 0, &v, 8, &L);
  CHECK(v == -5 && ((int64_t *)l.data)[0] == 0 && l.len == 1000);
  rt_list_swap(&l, 0, 998, 8, &L);
  CHECK(((int64_t *)l.data)[0] == 998 && ((int64_t *)l.data)[998] == 0);
  rt_list_swap(&l, 3, 3, 8, &L);
  rt_list_reverse(&l, 8);
  CHECK(((int64_t *)l.data)[0] == -5 && ((int64_t *)l.data)[999] == 998 && ((int64_t *)l.data)[1] == 0);
  int64_t k = 500, k2 = 5000;
  CHECK(rt_list_contains(&l, &k, 8, NULL) && !rt_list_contains(&l, &k2, 8, NULL));
  sort_int(&l);
  bool sorted = true;
  for (int64_t i = 1; i < l.len; i++) sorted &= ((int64_t *)l.data)[i - 1] <= ((int64_t *)l.data)[i];
  CHECK(sorted && ((int64_t *)l.data)[0] == -5);
  rt_list c = rt_list_clone(&l, 8, NULL);
  CHECK(rt_list_eq(&c, &l, 8, NULL));
  ((int64_t *)c.data)[5] = 77;
  CHECK(!rt_list_eq(&c, &l, 8, NULL));
  rt_list_clear(&c, 8, NULL);
  CHECK(c.len == 0 && c.cap >= 1000);
  CHECK(!rt_list_pop(&c, &v, 8));
  rt_list_drop(&c, 8, NULL);
  rt_list_drop(&l, 8, NULL);

  // Stability: 2,000 pairs with only 10 distinct keys keep their order within a key.
  rt_list p = rt_list_with_cap(2000, sizeof(Pair));
  for (int64_t i = 0; i < 2000; i++) {
    Pair q = {(i * 7919) % 10, i};
    rt_list_push(&p, &q, sizeof q);
  }
  sort_pair(&p);
  bool stable = true;
  for (int64_t i = 1; i < p.len; i++) {
    Pair *a = rt_list_at(&p, i - 1, sizeof(Pair), &L), *b = rt_list_at(&p, i, sizeof(Pair), &L);
    stable &= a->key < b->key || (a->key == b->key && a->order < b->order);
  }
  CHECK(stable);
  rt_list_drop(&p, sizeof(Pair), NULL);

  // Both sorts on every size to 300 and some large ones, on six shapes of keys.
  int64_t (*gens[])(int64_t, int64_t) = {gen_random, gen_few, gen_up, gen_down, gen_same, gen_organ};
  bool all = true;
  for (int g = 0; g < 6; g++) {
    for (int64_t n = 0; n <= 300; n++) all &= sorts_ok(n, gens[g]);
    all &= sorts_ok(5000, gens[g]) && sorts_ok(100003, gens[g]);
  }
  CHECK(all);
  // The quicksort's fallback past its depth limit: with limit 0 the merge sort does it all.
  int64_t back[40];
  for (int i = 0; i < 40; i++) back[i] = 40 - i;
  rt_list bl = rt_list_with_cap(0, 8);
  for (int i = 0; i < 40; i++) rt_list_push(&bl, &back[i], 8);
  int64_t *scratch = rt_alloc_array(40, 8);
  sort_int_quick(bl.data, bl.len, scratch, 0);
  rt_free(scratch);
  bool up = true;
  for (int i = 0; i < 40; i++) up &= ((int64_t *)bl.data)[i] == i + 1;
  CHECK(up);
  rt_list_drop(&bl, 8, NULL);

  // Floats with NaN: the same result as interp's merge sort ([3.0, nan, 1.0, 2.0].sort()
  // in interp gives [3.0, nan, 1.0, 2.0]: nan is never less, nothing is less than it).
  double fs[] = {3.0, NAN, 1.0, 2.0};
  rt_list fl = rt_list_new();
  for (int i = 0; i < 4; i++) rt_list_push(&fl, &fs[i], sizeof(double));
  sort_float(&fl);
  double *fd = fl.data;
  CHECK(fd[0] == 3.0 && isnan(fd[1]) && fd[2] == 1.0 && fd[3] == 2.0);
  double nan = NAN;
  CHECK(!rt_list_contains(&fl, &nan, sizeof(double), eq_float));  // [nan].contains(nan) is false
  rt_list_drop(&fl, sizeof(double), NULL);

  // Strings: sort, contains, clone, clear with a drop callback.
  rt_list sl = rt_list_new();
  const char *words[] = {"pear", "apple", "fig", "apple", ""};
  for (int i = 0; i < 5; i++) {
    rt_str w = S(words[i]);
    rt_list_push(&sl, &w, sizeof w);
  }
  sort_str(&sl);
  rt_str comma = S(",");
  CHECK_STR(rt_list_join(&sl, &comma), ",apple,apple,fig,pear");
  rt_str fig = S("fig"), kiwi = S("kiwi");
  CHECK(rt_list_contains(&sl, &fig, sizeof(rt_str), rt_str_eq_elem));
  CHECK(!rt_list_contains(&sl, &kiwi, sizeof(rt_str), rt_str_eq_elem));
  rt_list sc = rt_list_clone(&sl, sizeof(rt_str), rt_str_clone_elem);
  CHECK(rt_list_eq(&sc, &sl, sizeof(rt_str), rt_str_eq_elem));
  CHECK(((rt_str *)sc.data)[1].ptr != ((rt_str *)sl.data)[1].ptr);  // deep
  rt_str out;
  rt_list_remove(&sc, 1, &out, sizeof out, &L);
  CHECK(str_is(&out, "apple"));
  rt_str_drop(&out);
  CHECK(rt_list_pop(&sc, &out, sizeof out) && str_is(&out, "pear"));
  rt_str_drop(&out);
  rt_list_clear(&sc, sizeof(rt_str), rt_str_drop_elem);
  rt_list_drop(&sc, sizeof(rt_str), rt_str_drop_elem);

  // [[str]] and [x; n] of a move type: each element its own clone.
  rt_list nested = rt_list_repeat(&sl, 3, sizeof(rt_list), clone_strlist, drop_strlist, &L);
  CHECK(nested.len == 3 && ((rt_list *)nested.data)[2].data != ((rt_list *)nested.data)[0].data);
  rt_list nc = rt_list_clone(&nested, sizeof(rt_list), clone_strlist);
  rt_list_drop(&nc, sizeof(rt_list), drop_strlist);
  rt_list_drop(&nested, sizeof(rt_list), drop_strlist);  // sl was moved into it
  rt_str w = S("gone");
  rt_list zero = rt_list_repeat(&w, 0, sizeof w, rt_str_clone_elem, rt_str_drop_elem, &L);  // drops w
  CHECK(zero.len == 0);
  int64_t seven = 7;
  rt_list sevens = rt_list_repeat(&seven, 5, 8, NULL, NULL, &L);
  CHECK(sevens.len == 5 && ((int64_t *)sevens.data)[4] == 7);
  rt_list_reserve(&sevens, 100, 8);
  CHECK(sevens.cap >= 105);
  rt_list_drop(&sevens, 8, NULL);
  rt_str_drop(&comma), rt_str_drop(&fig), rt_str_drop(&kiwi);
}

// ---- maps -------------------------------------------------------------------------------
static void test_maps(void) {
  rt_map m = rt_map_new();
  bool ex;
  for (int64_t i = 0; i < 100; i++) {
    int64_t *slot = rt_map_i_insert(&m, i * 10, 8, &ex);
    CHECK(!ex);
    *slot = i;
  }
  CHECK(rt_map_len(&m) == 100 && *(int64_t *)rt_map_i_get(&m, 990, 8) == 99 && !rt_map_i_get(&m, 5, 8));
  int64_t *slot = rt_map_i_insert(&m, 0, 8, &ex);  // re-insert keeps its place
  CHECK(ex && *slot == 0);
  *slot = -1;
  int64_t out;
  for (int64_t i = 1; i < 100; i += 2) CHECK(rt_map_i_remove(&m, i * 10, 8, &out) && out == i);
  CHECK(!rt_map_i_remove(&m, 10, 8, &out) && rt_map_len(&m) == 50 && !rt_map_i_contains(&m, 10, 8));
  // Insert more (forces compaction / growth) and check the order.
  for (int64_t i = 100; i < 300; i++) *(int64_t *)rt_map_i_insert(&m, i * 10, 8, &ex) = i;
  rt_map_i_remove(&m, 20, 8, &out);
  *(int64_t *)rt_map_i_insert(&m, 20, 8, &ex) = 2;  // re-added after removal: goes last
  int64_t pos = 0, *key, prev = -1, n = 0;
  void *val;
  bool order = true;
  while (rt_map_i_next(&m, &pos, 8, &key, &val)) {
    if (*key == 20) order &= n == rt_map_len(&m) - 1;
    else order &= *key > prev;
    if (*key != 20) prev = *key;
    order &= *(int64_t *)val == (*key == 0 ? -1 : *key / 10);
    n++;
  }
  CHECK(order && n == 250 && rt_map_len(&m) == 250);
  rt_list keys = rt_map_i_keys(&m, 8);
  CHECK(keys.len == 250 && ((int64_t *)keys.data)[0] == 0 && ((int64_t *)keys.data)[1] == 40 &&
        ((int64_t *)keys.data)[249] == 20);
  rt_list_drop(&keys, 8, NULL);
  rt_map c = rt_map_i_clone(&m, 8, NULL);
  CHECK(rt_map_i_eq(&c, &m, 8, NULL));
  *(int64_t *)rt_map_i_at(&c, 40, 8, &L) = 5;
  CHECK(!rt_map_i_eq(&c, &m, 8, NULL) && *(int64_t *)rt_map_i_at(&m, 40, 8, &L) == 4);
  rt_map_i_drop(&c, 8, NULL);
  // Remove everything, then reuse: stays correct.
  for (int round = 0; round < 3; round++) {
    for (int64_t i = 0; i < 1000; i++) rt_map_i_remove(&m, i * 10, 8, &out), rt_map_i_remove(&m, -i, 8, &out);
    CHECK(rt_map_len(&m) == 0);
    for (int64_t i = 0; i < 40; i++) *(int64_t *)rt_map_i_insert(&m, -i, 8, &ex) = i;
    CHECK(rt_map_len(&m) == 40 && *(int64_t *)rt_map_i_get(&m, -39, 8) == 39);
  }
  rt_map_i_drop(&m, 8, NULL);
  CHECK(m.entries == NULL && rt_map_len(&m) == 0);

  // String keys, string values: {str: str}.
  rt_map s = rt_map_new();
  const char *ks[] = {"b", "a", "c", "d"};
  for (int i = 0; i < 4; i++) {
    rt_str k = S(ks[i]);
    rt_str *v = rt_map_s_insert(&s, &k, sizeof(rt_str), &ex);  // k moved in
    CHECK(!ex && k.ptr == NULL);
    *v = rt_str_concat(&(rt_str){(char *)ks[i], 1, 1}, &(rt_str){(char *)"!", 1, 1});
  }
  rt_str ka = S("a");
  rt_str *v = rt_map_s_insert(&s, &ka, sizeof(rt_str), &ex);  // existing: key dropped, old value handed back
  CHECK(ex && str_is(v, "a!"));
  rt_str_drop(v);
  *v = S("A");
  rt_str kb = S("b"), kz = S("z");
  rt_str gone;
  CHECK(rt_map_s_remove(&s, &kb, sizeof(rt_str), &gone) && str_is(&gone, "b!"));
  rt_str_drop(&gone);
  CHECK(!rt_map_s_remove(&s, &kz, sizeof(rt_str), &gone) && !rt_map_s_contains(&s, &kb, sizeof(rt_str)));
  rt_list sk = rt_map_s_keys(&s, sizeof(rt_str));
  rt_str none = S("");
  CHECK_STR(rt_list_join(&sk, &none), "acd");
  rt_list_drop(&sk, sizeof(rt_str), rt_str_drop_elem);
  rt_map s2 = rt_map_s_clone(&s, sizeof(rt_str), rt_str_clone_elem);
  CHECK(rt_map_s_eq(&s, &s2, sizeof(rt_str), rt_str_eq_elem));
  rt_str ka2 = S("a");
  CHECK(str_is(rt_map_s_at(&s2, &ka2, sizeof(rt_str), &L), "A"));
  rt_str_drop(&ka2);
  pos = 0;
  rt_str *sk2;
  RtBuf b;
  rtbuf_init(&b);
  while (rt_map_s_next(&s2, &pos, sizeof(rt_str), &sk2, &val)) {
    rt_buf_put_str_quoted(&b, sk2);
    rtbuf_putc(&b, ':');
    rt_buf_put_str(&b, val);
  }
  CHECK(b.data && strcmp(b.data, "\"a\":A\"c\":c!\"d\":d!") == 0);
  rtbuf_free(&b);
  rt_map_s_drop(&s2, sizeof(rt_str), rt_str_drop_elem);
  rt_map_s_drop(&s, sizeof(rt_str), rt_str_drop_elem);
  rt_str_drop(&kb), rt_str_drop(&kz), rt_str_drop(&none);
  CHECK(ka.ptr == NULL);  // was moved in (and dropped as a duplicate)
  // Many string keys (growth, hashing).
  rt_map big = rt_map_new();
  for (int64_t i = 0; i < 5000; i++) {
    rt_str k = rt_str_of_int(i * 31);
    *(int64_t *)rt_map_s_insert(&big, &k, 8, &ex) = i;
  }
  bool all = true;
  for (int64_t i = 0; i < 5000; i++) {
    rt_str k = rt_str_of_int(i * 31);
    int64_t *p = rt_map_s_get(&big, &k, 8);
    all &= p && *p == i;
    rt_str_drop(&k);
  }
  CHECK(all && rt_map_len(&big) == 5000);
  rt_map_s_drop(&big, 8, NULL);
}

// ---- builtins, printing, threads ----------------------------------------------------------
static void *thread_body(void *p) {
  int64_t *blk = p;  // {n, result}
  rt_list l = rt_list_new();
  for (int64_t i = 0; i < blk[0]; i++) rt_list_push(&l, &i, 8);
  int64_t sum = 0;
  for (int64_t i = 0; i < l.len; i++) sum = rt_add(sum, ((int64_t *)l.data)[i], &L);
  rt_list_drop(&l, 8, NULL);
  RtBuf *b = rt_print_buf();
  rtbuf_puts(b, "thread line");
  rt_print_line(b);
  blk[1] = sum;
  return blk;
}

static void test_builtins(void) {
  rt_list a = rt_args();
  CHECK(a.len == 0);
  rt_list_drop(&a, sizeof(rt_str), rt_str_drop_elem);
  double t0 = rt_clock();
  rt_sleep(0.01, &L);
  double t1 = rt_clock();
  CHECK(t1 - t0 >= 0.009 && t1 - t0 < 5);
  // read_file of this test's own source.
  rt_str p = S("tests/native/test_toyrt.c");
  rt_str src = rt_read_file(&p, &L);
  rt_str needle = S("test_toyrt.c — the native runtime's unit test");
  CHECK(rt_str_contains(&src, &needle));
  rt_str_drop(&p), rt_str_drop(&src), rt_str_drop(&needle);
  rt_str ep = S("/dev/null");
  rt_str empty = rt_read_file(&ep, &L);
  CHECK(empty.len == 0 && empty.ptr == NULL);
  rt_str_drop(&ep);

  rt_thread *ts[4];
  int64_t *blks[4];
  for (int i = 0; i < 4; i++) {
    blks[i] = rt_alloc(2 * sizeof(int64_t));
    blks[i][0] = 100000 * (i + 1);
    ts[i] = rt_spawn(thread_body, blks[i], "thread_body");
  }
  for (int i = 0; i < 4; i++) {
    int64_t *r = rt_join(ts[i]);
    int64_t n = 100000 * (i + 1);
    CHECK(r == blks[i] && r[1] == n * (n - 1) / 2);
    rt_free(r);
  }
}

// ---- modes run in a re-executed child ----------------------------------------------------------
static int depth_sink;
static int recurse(int n) {
  volatile char pad[256];
  pad[0] = (char)n;
  depth_sink += pad[0];
  return n == 0 ? 0 : recurse(n + 1) + pad[0];  // never reaches 0: overflows
}
static void *recurse_thread(void *p) {
  (void)p;
  recurse(1);
  return NULL;
}

static int child_mode(const char *mode) {
  RtBuf *b = rt_print_buf();
  if (strcmp(mode, "leak") == 0) {
    rt_str s = S("leaked");
    rt_buf_put_str(b, &s);
    rt_print_line(b);
    return 0;  // s is never dropped
  }
  if (strcmp(mode, "overflow") == 0 || strcmp(mode, "overflow-thread") == 0) {
    rtbuf_puts(b, "printed first");
    rt_print_line(b);
    if (mode[8]) rt_join(rt_spawn(recurse_thread, NULL, "recurse_thread"));
    else recurse(1);
    return 0;
  }
  if (strcmp(mode, "args") == 0) {
    rt_list a = rt_args();
    CHECK(a.len == 1 && str_is(a.data, "args"));
    rt_list_drop(&a, sizeof(rt_str), rt_str_drop_elem);
    rt_str line;
    CHECK(rt_read_line(&line) && str_is(&line, "line one"));
    rt_str_drop(&line);
    CHECK(rt_read_line(&line) && str_is(&line, "last"));
    rt_str_drop(&line);
    CHECK(!rt_read_line(&line));
    return failed ? 1 : 0;
  }
  return 2;
}

static void test_exits(void) {
  if (COUNTED) {
    expect_exit(NULL, "leak", "LAB_CHECK_LEAKS=1", 70, "leaked\n",
                "lab: leak check: 1 allocations still alive at exit\n", __LINE__);
    expect_exit(NULL, "leak", "-LAB_CHECK_LEAKS", 0, "leaked\n", "", __LINE__);
  }
  expect_exit(NULL, "args", NULL, 0, "", "", __LINE__);
  expect_exit(NULL, "overflow", NULL, 1, "printed first\n",
              "fatal runtime error: stack overflow (recursion too deep)\n", __LINE__);
  expect_exit(NULL, "overflow-thread", NULL, 1, "printed first\n",
              "Exception in thread 1 (recurse_thread):\n"
              "fatal runtime error: stack overflow (recursion too deep)\n", __LINE__);
}

void toy_main(void) {
  rt_list args = rt_args();
  if (args.len > 0) {
    char mode[64];
    rt_str *m = args.data;
    snprintf(mode, sizeof mode, "%.*s", (int)m->len, m->ptr);
    rt_list_drop(&args, sizeof(rt_str), rt_str_drop_elem);
    int st = child_mode(mode);
    if (st) {
      rt_flush_stdout();
      exit(st);
    }
    return;
  }
  rt_list_drop(&args, sizeof(rt_str), rt_str_drop_elem);
  test_arith();
  test_strings();
  test_convert();
  test_lists();
  test_maps();
  test_builtins();
  test_panics();
  test_exits();
  if (COUNTED) {
    CHECK(rt_live_allocations() == 0);
    RtAllocStats st;
    rt_alloc_stats(&st);
    CHECK(st.allocs > 0 && st.allocs == st.frees && st.live_bytes == 0 && st.peak_live_bytes > 0);
  }
  RtBuf *b = rt_print_buf();
  rtbuf_printf(b, "test_toyrt: %d passed, %d failed", passed, failed);
  rt_print_line(b);
  if (failed) {
    rt_flush_stdout();
    exit(1);
  }
}
