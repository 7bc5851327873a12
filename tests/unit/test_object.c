// test_object.c — unit test of the interp object model (vm/object.h) and the
// shared runtime formatting (runtime/format.h): every operator, method,
// builtin, printing case and error message, ending with no live object;
// and the shared runtime's removal of a temporary tree (runtime/cleanup.h).
//
//   make test          (builds it as build/debug/test_object and runs it first)
//
// Add -fsanitize=address,undefined to run it under the sanitizers. Float
// expectations are Python 3.11's repr() of the same values.
#include "object.h"
#include "suggest.h"
#include "alloc.h"

#include "builtins.h"
#include "table.h"
#include "print.h"
#include "builtin_fns.h"
#include "str.h"
#include "ops.h"
#include "methods.h"
#include "list.h"
#include "cleanup.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures, checks;

#define CHECK(cond)                                                              \
  do {                                                                           \
    checks++;                                                                    \
    if (!(cond)) {                                                               \
      failures++;                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
    }                                                                            \
  } while (0)

static void check_streq(int line, const char *got, const char *want) {
  checks++;
  if (strcmp(got, want) != 0) {
    failures++;
    fprintf(stderr, "test_object.c:%d: got   <%s>\n                   want  <%s>\n", line, got, want);
  }
}
#define CHECK_STREQ(got, want) check_streq(__LINE__, got, want)

static void report_unexpected_error(int line) {
  failures++;
  fprintf(stderr, "test_object.c:%d: unexpected %s: %s\n", line, rt_error_name(obj_error_kind()),
          obj_error_msg());
  obj_error_clear();
}

// Prints o (stolen) at top level or inside a container, and compares.
static void expect_print(int line, Obj *o, bool top, const char *want) {
  checks++;
  if (!o) {
    report_unexpected_error(line);
    return;
  }
  RtBuf b;
  rtbuf_init(&b);
  print_to(&b, o, top);
  check_streq(line, b.data ? b.data : "", want);
  checks--;
  rtbuf_free(&b);
  DECREF(o);
}
#define EXPECT_PRINT(o, want) expect_print(__LINE__, (o), true, (want))
#define EXPECT_REPR(o, want) expect_print(__LINE__, (o), false, (want))

// r must be NULL with `kind: msg` pending; the error is cleared.
static void expect_err(int line, Obj *r, RtErrorKind kind, const char *msg) {
  checks++;
  if (r) {
    failures++;
    fprintf(stderr, "test_object.c:%d: expected %s: %s, got a value\n", line, rt_error_name(kind), msg);
    DECREF(r);
    return;
  }
  if (!obj_error_pending() || obj_error_kind() != kind || strcmp(obj_error_msg(), msg) != 0) {
    failures++;
    fprintf(stderr, "test_object.c:%d: expected %s: %s\n                   got      %s: %s\n", line,
            rt_error_name(kind), msg, obj_error_pending() ? rt_error_name(obj_error_kind()) : "(none)",
            obj_error_msg());
  }
  obj_error_clear();
}
#define EXPECT_ERR(r, kind, msg) expect_err(__LINE__, (r), (kind), (msg))

// r must be a bool object (stolen) equal to want.
static void expect_bool(int line, Obj *r, bool want) {
  checks++;
  if (!r) {
    report_unexpected_error(line);
    return;
  }
  if (r->type != T_BOOL || (int_value(r) != 0) != want) {
    failures++;
    fprintf(stderr, "test_object.c:%d: expected %s\n", line, want ? "true" : "false");
  }
  DECREF(r);
}
#define EXPECT_BOOL(r, want) expect_bool(__LINE__, (r), (want))

static Obj *S(const char *s) { return str_from_cstr(s); }
static Obj *I(int64_t v) { return alloc_int(v); }
static Obj *F(double v) { return alloc_float(v); }

// A list of the given items (stolen).
static Obj *L(int n, ...) {
  va_list ap;
  va_start(ap, n);
  Obj *l = list_new(n);
  for (int i = 0; i < n; i++) list_append_steal(l, va_arg(ap, Obj *));
  va_end(ap);
  return l;
}

static Obj *T(int n, ...) {
  va_list ap;
  va_start(ap, n);
  Obj *t = tuple_new(n);
  for (int i = 0; i < n; i++) ((TupleObj *)t)->items[i] = va_arg(ap, Obj *);
  va_end(ap);
  return t;
}

// recv.name(args…): the receiver is borrowed, the args are stolen.
static Obj *call(Obj *recv, const char *name, int n, ...) {
  Obj *args[8];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, Obj *);
  va_end(ap);
  Obj *r = methods_call(recv, rt_method_lookup(name), name, args, n);
  for (int i = 0; i < n; i++) DECREF(args[i]);
  return r;
}

// name(args…) for a builtin; the args are stolen.
static Obj *bcall(const char *name, int n, ...) {
  Obj *args[8];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) args[i] = va_arg(ap, Obj *);
  va_end(ap);
  Obj *r = builtin_fns_call(rt_builtin_lookup(name), args, n);
  for (int i = 0; i < n; i++) DECREF(args[i]);
  return r;
}

// a op b with both operands stolen.
static Obj *bin(BinOp op, Obj *a, Obj *b) {
  Obj *r = ops_binary(op, a, b);
  DECREF(a);
  DECREF(b);
  return r;
}

static bool eq(Obj *a, Obj *b) {
  bool r = ops_eq(a, b);
  DECREF(a);
  DECREF(b);
  return r;
}

static int cmp(Obj *a, Obj *b) {
  int c = 99;
  if (ops_compare(a, b, &c) < 0) c = -99;
  obj_error_clear();
  DECREF(a);
  DECREF(b);
  return c;
}

static void expect_float(int line, double v, const char *want) {
  RtBuf b;
  rtbuf_init(&b);
  rt_fmt_float(&b, v);
  check_streq(line, b.data, want);
  rtbuf_free(&b);
}
#define EXPECT_FLOAT(v, want) expect_float(__LINE__, (v), (want))

static void expect_quoted(int line, const char *s, size_t n, const char *want) {
  RtBuf b;
  rtbuf_init(&b);
  rt_fmt_str_quoted(&b, s, n);
  check_streq(line, b.data, want);
  rtbuf_free(&b);
}
#define EXPECT_QUOTED(s, want) expect_quoted(__LINE__, (s), sizeof(s) - 1, (want))

// ---- runtime/ ------------------------------------------------------------------------
static void test_format(void) {
  RtBuf b;
  rtbuf_init(&b);
  rt_fmt_int(&b, 0);
  rtbuf_putc(&b, ' ');
  rt_fmt_int(&b, -1);
  rtbuf_putc(&b, ' ');
  rt_fmt_int(&b, INT64_MIN);
  rtbuf_putc(&b, ' ');
  rt_fmt_int(&b, INT64_MAX);
  CHECK_STREQ(b.data, "0 -1 -9223372036854775808 9223372036854775807");
  b.len = 0;
  char big[600];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  rtbuf_printf(&b, "<%s>%d", big, 7);
  CHECK(b.len == 602 && b.data[0] == '<' && strcmp(b.data + 600, ">7") == 0);
  rtbuf_free(&b);

  EXPECT_FLOAT(0.1, "0.1");
  EXPECT_FLOAT(1.0, "1.0");
  EXPECT_FLOAT(1e20, "1e+20");
  EXPECT_FLOAT(1e16, "1e+16");
  EXPECT_FLOAT(1e15, "1000000000000000.0");
  EXPECT_FLOAT(1e-05, "1e-05");
  EXPECT_FLOAT(0.0001, "0.0001");
  EXPECT_FLOAT(1.0 / 3.0, "0.3333333333333333");
  EXPECT_FLOAT(2.0 / 3.0, "0.6666666666666666");
  EXPECT_FLOAT(2.5e-3, "0.0025");
  EXPECT_FLOAT(-0.0, "-0.0");
  EXPECT_FLOAT(0.0, "0.0");
  EXPECT_FLOAT(INFINITY, "inf");
  EXPECT_FLOAT(-INFINITY, "-inf");
  EXPECT_FLOAT(NAN, "nan");
  EXPECT_FLOAT(5e-324, "5e-324");
  EXPECT_FLOAT(1.5e-323, "1.5e-323");
  EXPECT_FLOAT(1.7976931348623157e+308, "1.7976931348623157e+308");
  EXPECT_FLOAT(123456789.123, "123456789.123");
  EXPECT_FLOAT(100.0, "100.0");
  EXPECT_FLOAT(123456789012345.0, "123456789012345.0");
  EXPECT_FLOAT(1.5e300, "1.5e+300");
  EXPECT_FLOAT(ldexp(1.0, 60), "1.152921504606847e+18");
  EXPECT_FLOAT(1e22, "1e+22");
  EXPECT_FLOAT(1e23, "1e+23");
  EXPECT_FLOAT(0.3, "0.3");
  EXPECT_FLOAT(-1.5, "-1.5");
  EXPECT_FLOAT(9007199254740993.0, "9007199254740992.0");
  EXPECT_FLOAT(1234567890123456.7, "1234567890123456.8");
  EXPECT_FLOAT(12345678901234567.0, "1.2345678901234568e+16");
  EXPECT_FLOAT(0.00012345, "0.00012345");
  EXPECT_FLOAT(1e-7, "1e-07");
  EXPECT_FLOAT(ldexp(1.0, -1017), "7.120236347223045e-307");  // lopsided rounding interval

  EXPECT_QUOTED("plain", "\"plain\"");
  EXPECT_QUOTED("a\"b\\c\n\t\r", "\"a\\\"b\\\\c\\n\\t\\r\"");
  EXPECT_QUOTED("nul\0x", "\"nul\\0x\"");
  EXPECT_QUOTED("\x01\x1f\x7f", "\"\\x01\\x1f\\x7f\"");
  EXPECT_QUOTED("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  EXPECT_QUOTED("\xff", "\"\\xff\"");
  EXPECT_QUOTED("\xe2\x82", "\"\\xe2\\x82\"");
  EXPECT_QUOTED("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");   // a surrogate
  EXPECT_QUOTED("\xc0\xaf", "\"\\xc0\\xaf\"");           // overlong
  EXPECT_QUOTED("\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\"");  // above U+10FFFF
  EXPECT_QUOTED("", "\"\"");

  char buf[128];
  CHECK_STREQ(rt_error_name(RT_TYPE), "TypeError");
  CHECK_STREQ(rt_error_name(RT_ZERO_DIV), "ZeroDivisionError");
  CHECK_STREQ(rt_error_name(RT_PANIC), "Panic");
  CHECK_STREQ(rt_error_name(RT_MEMORY), "MemoryError");
  CHECK_STREQ(rt_msg_overflow(buf, "add"), "attempt to add with overflow");
  CHECK_STREQ(rt_msg_overflow(buf, "calculate the remainder"),
              "attempt to calculate the remainder with overflow");
  CHECK_STREQ(rt_msg_index(buf, 5, 3), "index out of bounds: the len is 3 but the index is 5");
  CHECK(rt_builtin_lookup("print") == BI_print);
  CHECK(rt_builtin_lookup("max") == BI_max);
  CHECK(rt_builtin_lookup("nope") == -1);
  CHECK(rt_builtins[BI_min].min_args == 2 && rt_builtins[BI_print].max_args == -1);
  CHECK_STREQ(rt_builtins[BI_sqrt].name, "sqrt");
}

// ---- construction, singletons, allocation ----------------------------------------------
static void test_alloc(void) {
  Obj *a = I(5), *b = I(5);
  CHECK(a == b && a->rc >= IMMORTAL_RC);
  CHECK(I(-5) == &obj_small_ints[0].h);
  DECREF(obj_small_ints);
  Obj *c = I(257), *d = I(257);
  CHECK(c != d && c->rc == 1 && int_value(c) == 257);
  Obj *e = I(-6);
  CHECK(e->rc == 1 && int_value(e) == -6);
  DECREF(a);
  DECREF(b);
  DECREF(c);
  DECREF(d);
  DECREF(e);
#ifdef LAB_DEBUG
  int64_t before = obj_live_count();
  Obj *f = F(1.5);
  CHECK(obj_live_count() == before + 1);
  DECREF(f);
  CHECK(obj_live_count() == before);
#endif
  Obj *t = bool_obj(true), *n = none_obj();
  CHECK(t == TRUE_OBJ && n == NONE);
  DECREF(t);
  DECREF(n);
#ifndef LAB_NO_POOL
  // Block reuse: a freed int's block comes back for the next one.
  Obj *x = I(1000);
  void *px = x;
  DECREF(x);
  x = I(1001);
  CHECK((void *)x == px);
  DECREF(x);
#endif
  // Raw buffers of every size class, and the malloc side.
  for (size_t sz = 1; sz <= 2000; sz += 37) {
    char *p = obj_buf_alloc(sz);
    memset(p, 0xab, sz);
    p = obj_buf_realloc(p, sz, sz * 2);
    CHECK((unsigned char)p[sz - 1] == 0xab);
    obj_buf_free(p, sz * 2);
  }
  StrObj *i1 = str_intern("field", 5), *i2 = str_intern("field", 5);
  CHECK(i1 == i2 && i1->h.aux == 1 && i1->hash != 0);
  CHECK(str_intern("", 0) != NULL);
  // Many interned strings force the intern table to grow.
  char name[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof name, "name%d", i);
    str_intern(name, (int64_t)strlen(name));
  }
  CHECK(str_intern("name500", 7) == str_intern("name500", 7));
}

// ---- operators -------------------------------------------------------------------------------
static void test_arith(void) {
  EXPECT_PRINT(bin(BIN_ADD, I(2), I(3)), "5");
  EXPECT_PRINT(bin(BIN_SUB, I(2), I(300)), "-298");
  EXPECT_PRINT(bin(BIN_MUL, I(-7), I(6)), "-42");
  EXPECT_PRINT(bin(BIN_DIV, I(-7), I(2)), "-3");
  EXPECT_PRINT(bin(BIN_DIV, I(7), I(-2)), "-3");
  EXPECT_PRINT(bin(BIN_MOD, I(-7), I(3)), "-1");
  EXPECT_PRINT(bin(BIN_MOD, I(7), I(-3)), "1");
  EXPECT_PRINT(bin(BIN_AND, I(12), I(10)), "8");
  EXPECT_PRINT(bin(BIN_OR, I(12), I(10)), "14");
  EXPECT_PRINT(bin(BIN_XOR, I(12), I(10)), "6");
  EXPECT_PRINT(bin(BIN_SHL, I(1), I(63)), "-9223372036854775808");
  EXPECT_PRINT(bin(BIN_SHL, I(3), I(63)), "-9223372036854775808");
  EXPECT_PRINT(bin(BIN_SHR, I(-8), I(1)), "-4");
  EXPECT_PRINT(bin(BIN_SHR, I(-1), I(63)), "-1");
  EXPECT_PRINT(bin(BIN_ADD, I(INT64_MAX - 1), I(1)), "9223372036854775807");
  EXPECT_ERR(bin(BIN_ADD, I(INT64_MAX), I(1)), RT_OVERFLOW, "attempt to add with overflow");
  EXPECT_ERR(bin(BIN_SUB, I(INT64_MIN), I(1)), RT_OVERFLOW, "attempt to subtract with overflow");
  EXPECT_ERR(bin(BIN_MUL, I(INT64_MAX / 2 + 1), I(2)), RT_OVERFLOW, "attempt to multiply with overflow");
  EXPECT_ERR(bin(BIN_DIV, I(1), I(0)), RT_ZERO_DIV, "attempt to divide by zero");
  EXPECT_ERR(bin(BIN_MOD, I(1), I(0)), RT_ZERO_DIV,
             "attempt to calculate the remainder with a divisor of zero");
  EXPECT_ERR(bin(BIN_DIV, I(INT64_MIN), I(-1)), RT_OVERFLOW, "attempt to divide with overflow");
  EXPECT_ERR(bin(BIN_MOD, I(INT64_MIN), I(-1)), RT_OVERFLOW,
             "attempt to calculate the remainder with overflow");
  EXPECT_ERR(bin(BIN_SHL, I(1), I(64)), RT_OVERFLOW, "attempt to shift left with overflow");
  EXPECT_ERR(bin(BIN_SHL, I(1), I(-1)), RT_OVERFLOW, "attempt to shift left with overflow");
  EXPECT_ERR(bin(BIN_SHR, I(1), I(64)), RT_OVERFLOW, "attempt to shift right with overflow");

  EXPECT_PRINT(bin(BIN_ADD, I(1), F(0.5)), "1.5");
  EXPECT_PRINT(bin(BIN_MUL, F(0.1), I(3)), "0.30000000000000004");
  EXPECT_PRINT(bin(BIN_DIV, I(1), I(3)), "0");
  EXPECT_PRINT(bin(BIN_DIV, F(1), I(3)), "0.3333333333333333");
  EXPECT_PRINT(bin(BIN_DIV, F(1), F(0)), "inf");
  EXPECT_PRINT(bin(BIN_DIV, F(-1), I(0)), "-inf");
  EXPECT_PRINT(bin(BIN_DIV, F(0), F(0)), "nan");
  EXPECT_PRINT(bin(BIN_MOD, F(7.5), I(2)), "1.5");
  EXPECT_PRINT(bin(BIN_MOD, F(-7.5), I(2)), "-1.5");
  EXPECT_PRINT(bin(BIN_SUB, F(0.5), F(0.25)), "0.25");
  EXPECT_ERR(bin(BIN_AND, F(1.5), F(1.0)), RT_TYPE,
             "unsupported operand type(s) for &: 'float' and 'float'");
  EXPECT_ERR(bin(BIN_SHL, F(1.5), I(1)), RT_TYPE,
             "unsupported operand type(s) for <<: 'float' and 'int'");

  EXPECT_PRINT(bin(BIN_AND, bool_obj(true), bool_obj(false)), "false");
  EXPECT_PRINT(bin(BIN_OR, bool_obj(true), bool_obj(false)), "true");
  EXPECT_PRINT(bin(BIN_XOR, bool_obj(true), bool_obj(true)), "false");
  EXPECT_ERR(bin(BIN_ADD, bool_obj(true), I(1)), RT_TYPE,
             "unsupported operand type(s) for +: 'bool' and 'int'");
  EXPECT_ERR(bin(BIN_AND, bool_obj(true), I(1)), RT_TYPE,
             "unsupported operand type(s) for &: 'bool' and 'int'");

  EXPECT_PRINT(bin(BIN_ADD, S("ab"), S("cd")), "abcd");
  EXPECT_PRINT(bin(BIN_ADD, S(""), S("")), "");
  EXPECT_PRINT(bin(BIN_ADD, L(2, I(1), S("x")), L(1, F(2.5))), "[1, \"x\", 2.5]");
  EXPECT_ERR(bin(BIN_ADD, I(1), S("a")), RT_TYPE, "unsupported operand type(s) for +: 'int' and 'str'");
  EXPECT_ERR(bin(BIN_SUB, S("a"), S("b")), RT_TYPE, "unsupported operand type(s) for -: 'str' and 'str'");
  EXPECT_ERR(bin(BIN_MUL, S("a"), I(3)), RT_TYPE, "unsupported operand type(s) for *: 'str' and 'int'");
  EXPECT_ERR(bin(BIN_ADD, none_obj(), I(1)), RT_TYPE,
             "unsupported operand type(s) for +: 'NoneType' and 'int'");
  EXPECT_ERR(bin(BIN_DIV, L(0), table_new_map()), RT_TYPE, "unsupported operand type(s) for /: 'list' and 'map'");

  Obj *x = I(INT64_MIN);
  EXPECT_ERR(ops_negate(x), RT_OVERFLOW, "attempt to negate with overflow");
  DECREF(x);
  x = I(5);
  EXPECT_PRINT(ops_negate(x), "-5");
  EXPECT_PRINT(ops_not(x), "-6");
  DECREF(x);
  x = F(0.0);
  EXPECT_PRINT(ops_negate(x), "-0.0");
  DECREF(x);
  x = S("s");
  EXPECT_ERR(ops_negate(x), RT_TYPE, "bad operand type for unary -: 'str'");
  EXPECT_ERR(ops_not(x), RT_TYPE, "bad operand type for unary !: 'str'");
  DECREF(x);
  EXPECT_PRINT(ops_not(TRUE_OBJ), "false");
  EXPECT_PRINT(ops_not(FALSE_OBJ), "true");
}

static StructDef *point_def, *unit_def;
static EnumDef *status_def;

static Obj *point(int64_t x, int64_t y) {
  Obj *p = table_new_struct(point_def);
  Obj *vx = I(x), *vy = I(y);
  // Set out of declaration order: printing must still follow the declaration.
  ops_set_field(p, point_def->fields[1], vy);
  ops_set_field(p, point_def->fields[0], vx);
  DECREF(vx);
  DECREF(vy);
  return p;
}

static Obj *enum_val(int v) {
  Obj *e = (Obj *)status_def->values[v];
  INCREF(e);
  return e;
}

static Obj *M(int n, ...) {  // a map of n key/value pairs (stolen)
  va_list ap;
  va_start(ap, n);
  Obj *m = table_new_map();
  for (int i = 0; i < n; i++) {
    Obj *k = va_arg(ap, Obj *), *v = va_arg(ap, Obj *);
    ops_store_index(m, k, v);
    DECREF(k);
    DECREF(v);
  }
  va_end(ap);
  return m;
}

static void test_eq_compare(void) {
  CHECK(eq(I(1), F(1.0)));
  CHECK(eq(F(1.0), I(1)));
  CHECK(!eq(I(1), F(1.5)));
  CHECK(!eq(I(9007199254740993), F(9007199254740992.0)));
  CHECK(!eq(I(1), S("1")));
  CHECK(!eq(I(1), bool_obj(true)));
  CHECK(eq(none_obj(), none_obj()));
  CHECK(!eq(none_obj(), obj_some_steal(none_obj())));
  CHECK(eq(S("abc"), S("abc")));
  CHECK(!eq(S("abc"), S("abd")));
  CHECK(!eq(F(NAN), F(NAN)));
  Obj *nanl = L(1, F(NAN));
  CHECK(!ops_eq(nanl, nanl));  // identity is no shortcut: as native mode
  DECREF(nanl);
  CHECK(eq(L(3, I(1), L(1, S("x")), F(2.0)), L(3, F(1.0), L(1, S("x")), I(2))));
  CHECK(!eq(L(2, I(1), I(2)), L(1, I(1))));
  CHECK(eq(T(2, I(1), S("a")), T(2, I(1), S("a"))));
  CHECK(!eq(T(2, I(1), S("a")), L(2, I(1), S("a"))));
  CHECK(eq(M(2, S("a"), I(1), S("b"), I(2)), M(2, S("b"), I(2), S("a"), I(1))));
  CHECK(!eq(M(1, S("a"), I(1)), M(1, S("a"), I(2))));
  CHECK(!eq(M(1, S("a"), I(1)), M(2, S("a"), I(1), S("b"), I(1))));
  CHECK(eq(point(1, 2), point(1, 2)));
  CHECK(!eq(point(1, 2), point(2, 1)));
  CHECK(eq(obj_some_steal(I(3)), obj_some_steal(F(3.0))));
  CHECK(eq(enum_val(1), enum_val(1)));
  CHECK(!eq(enum_val(1), enum_val(2)));

  CHECK(cmp(I(1), I(2)) == -1);
  CHECK(cmp(I(2), I(2)) == 0);
  CHECK(cmp(F(2.5), I(2)) == 1);
  CHECK(cmp(I(2), F(2.5)) == -1);
  CHECK(cmp(I(INT64_MAX), F(9223372036854775808.0)) == -1);
  CHECK(cmp(I(INT64_MIN), F(-9223372036854775808.0)) == 0);
  CHECK(cmp(I(-3), F(-3.5)) == 1);
  CHECK(cmp(F(NAN), F(1)) == 2);
  CHECK(cmp(I(1), F(NAN)) == 2);
  CHECK(cmp(F(NAN), I(1)) == 2);
  CHECK(cmp(S("ab"), S("abc")) == -1);
  CHECK(cmp(S("b"), S("abc")) == 1);
  CHECK(cmp(S("\xc3\xa9"), S("z")) == 1);  // bytewise: é > z
  CHECK(cmp(T(2, I(1), S("b")), T(2, I(1), S("a"))) == 1);
  CHECK(cmp(T(1, I(1)), T(2, I(1), I(0))) == -1);
  CHECK(cmp(T(2, I(1), L(0)), T(2, I(2), L(0))) == -1);
  CHECK(cmp(L(0), L(0)) == -99);
  Obj *a = L(0), *b = L(0);
  int c;
  CHECK(ops_compare(a, b, &c) == -1);
  EXPECT_ERR(NULL, RT_TYPE, "'<' not supported between instances of 'list' and 'list'");
  EXPECT_ERR(ops_richcompare(CMP_GE, a, b), RT_TYPE,
             "'>=' not supported between instances of 'list' and 'list'");
  DECREF(a);
  DECREF(b);
  a = I(1);
  b = S("x");
  EXPECT_ERR(ops_richcompare(CMP_LE, a, b), RT_TYPE,
             "'<=' not supported between instances of 'int' and 'str'");
  DECREF(b);
  b = F(NAN);
  for (int op = CMP_LT; op <= CMP_GE; op++) EXPECT_BOOL(ops_richcompare((CmpOp)op, a, b), false);
  DECREF(b);
  b = I(1);
  EXPECT_BOOL(ops_richcompare(CMP_LT, a, b), false);
  EXPECT_BOOL(ops_richcompare(CMP_LE, a, b), true);
  EXPECT_BOOL(ops_richcompare(CMP_GT, a, b), false);
  EXPECT_BOOL(ops_richcompare(CMP_GE, a, b), true);
  DECREF(a);
  DECREF(b);
  a = bool_obj(true);
  b = bool_obj(false);
  EXPECT_ERR(ops_richcompare(CMP_GT, a, b), RT_TYPE,
             "'>' not supported between instances of 'bool' and 'bool'");
}

static void test_index_fields(void) {
  Obj *l = L(3, I(10), I(20), I(30));
  Obj *i = I(1);
  EXPECT_PRINT(ops_index(l, i), "20");
  Obj *v = S("new");
  CHECK(ops_store_index(l, i, v) == 0);
  DECREF(v);
  DECREF(i);
  EXPECT_REPR(ops_clone(l), "[10, \"new\", 30]");
  i = I(5);
  EXPECT_ERR(ops_index(l, i), RT_INDEX, "index out of bounds: the len is 3 but the index is 5");
  CHECK(ops_store_index(l, i, i) == -1);
  EXPECT_ERR(NULL, RT_INDEX, "index out of bounds: the len is 3 but the index is 5");
  DECREF(i);
  i = I(-1);
  EXPECT_ERR(ops_index(l, i), RT_INDEX, "index out of bounds: the len is 3 but the index is -1");
  DECREF(i);
  i = S("0");
  EXPECT_ERR(ops_index(l, i), RT_TYPE, "list indices must be integers, not 'str'");
  DECREF(i);
  DECREF(l);

  Obj *t = T(2, I(1), S("x"));
  i = I(1);
  EXPECT_REPR(ops_index(t, i), "\"x\"");
  CHECK(ops_store_index(t, i, i) == -1);
  EXPECT_ERR(NULL, RT_TYPE, "'tuple' object does not support item assignment");
  DECREF(i);
  EXPECT_PRINT(ops_tuple_get(t, 0), "1");
  EXPECT_ERR(ops_tuple_get(t, 2), RT_INDEX, "index out of bounds: the len is 2 but the index is 2");
  DECREF(t);
  t = I(3);
  EXPECT_ERR(ops_tuple_get(t, 0), RT_ATTRIBUTE, "'int' object has no attribute '0'");

  Obj *m = M(2, S("a"), I(1), I(7), S("seven"));
  Obj *k = S("a");
  EXPECT_PRINT(ops_index(m, k), "1");
  DECREF(k);
  k = I(7);
  EXPECT_PRINT(ops_index(m, k), "seven");
  DECREF(k);
  k = S("k");
  EXPECT_ERR(ops_index(m, k), RT_KEY, "key not found: \"k\"");
  DECREF(k);
  k = I(8);
  EXPECT_ERR(ops_index(m, k), RT_KEY, "key not found: 8");
  DECREF(k);
  k = L(0);
  EXPECT_ERR(ops_index(m, k), RT_TYPE, "unhashable type: 'list'");
  CHECK(ops_store_index(m, k, k) == -1);
  EXPECT_ERR(NULL, RT_TYPE, "unhashable type: 'list'");
  DECREF(k);
  k = F(1.0);
  EXPECT_ERR(ops_index(m, k), RT_TYPE, "unhashable type: 'float'");
  DECREF(k);
  k = S("a");
  v = F(2.5);
  ops_store_index(m, k, v);
  DECREF(k);
  DECREF(v);
  EXPECT_PRINT(m, "{\"a\": 2.5, 7: \"seven\"}");

  Obj *s = S("abc");
  EXPECT_ERR(ops_index(s, t), RT_TYPE, "'str' object is not subscriptable");
  CHECK(ops_store_index(s, t, t) == -1);
  EXPECT_ERR(NULL, RT_TYPE, "'str' object does not support item assignment");
  DECREF(s);
  DECREF(t);

  Obj *p = point(1, 2);
  StrObj *fx = str_intern("x", 1), *fz = str_intern("z", 1);
  EXPECT_PRINT(ops_get_field(p, fx), "1");
  EXPECT_ERR(ops_get_field(p, fz), RT_ATTRIBUTE, "'Point' object has no attribute 'z'. Did you mean: 'x'?");
  v = S("zed");
  CHECK(ops_set_field(p, fz, v) == 0);  // Python: adds the field
  DECREF(v);
  EXPECT_PRINT(ops_get_field(p, fz), "zed");
  EXPECT_PRINT(ops_clone(p), "Point { x: 1, y: 2, z: \"zed\" }");
  v = I(5);
  EXPECT_ERR(ops_get_field(v, fx), RT_ATTRIBUTE, "'int' object has no attribute 'x'");
  CHECK(ops_set_field(v, fx, v) == -1);
  EXPECT_ERR(NULL, RT_ATTRIBUTE, "'int' object has no attribute 'x'");
  DECREF(v);
  DECREF(p);
}

static void test_print(void) {
  EXPECT_PRINT(I(42), "42");
  EXPECT_PRINT(F(2.0), "2.0");
  EXPECT_PRINT(bool_obj(true), "true");
  EXPECT_PRINT(bool_obj(false), "false");
  EXPECT_PRINT(none_obj(), "None");
  EXPECT_PRINT(S("raw \"s\"\n"), "raw \"s\"\n");
  EXPECT_REPR(S("raw \"s\"\n"), "\"raw \\\"s\\\"\\n\"");
  EXPECT_PRINT(obj_some_steal(I(3)), "Some(3)");
  EXPECT_PRINT(obj_some_steal(S("x")), "Some(\"x\")");
  EXPECT_PRINT(obj_some_steal(obj_some_steal(none_obj())), "Some(Some(None))");
  EXPECT_PRINT(L(2, I(1), I(2)), "[1, 2]");
  EXPECT_PRINT(L(0), "[]");
  EXPECT_PRINT(L(3, S("a"), F(0.1), L(1, L(0))), "[\"a\", 0.1, [[]]]");
  EXPECT_PRINT(M(1, S("a"), I(1)), "{\"a\": 1}");
  EXPECT_PRINT(table_new_map(), "{}");
  EXPECT_PRINT(M(2, I(1), L(1, S("v")), I(-2), obj_some_steal(F(1e20))),
               "{1: [\"v\"], -2: Some(1e+20)}");
  EXPECT_PRINT(T(2, I(1), S("x")), "(1, \"x\")");
  EXPECT_PRINT(T(1, I(1)), "(1,)");
  EXPECT_PRINT(T(0), "()");
  EXPECT_PRINT(point(1, 2), "Point { x: 1, y: 2 }");
  EXPECT_PRINT(table_new_struct(unit_def), "Unit");
  Obj *half = table_new_struct(point_def);
  Obj *v = S("s");
  ops_set_field(half, point_def->fields[1], v);
  DECREF(v);
  EXPECT_PRINT(half, "Point { y: \"s\" }");
  EXPECT_PRINT(enum_val(1), "Status::Paid");
  EXPECT_PRINT(L(2, enum_val(0), T(2, point(0, -1), none_obj())),
               "[Status::Pending, (Point { x: 0, y: -1 }, None)]");
  EXPECT_PRINT(L(3, F(INFINITY), F(NAN), F(-0.0)), "[inf, nan, -0.0]");

  // A list that contains itself (only interp mode can build one).
  Obj *cyc = L(1, I(1));
  list_append(cyc, cyc);
  RtBuf b;
  rtbuf_init(&b);
  print_to(&b, cyc, true);
  CHECK_STREQ(b.data, "[1, [...]]");
  rtbuf_free(&b);
  // Break the cycle so that everything is freed.
  Obj *popped = call(cyc, "pop", 0);
  DECREF(popped);
  DECREF(cyc);

  Obj *o = I(7);
  EXPECT_PRINT(print_to_str(o), "7");
  DECREF(o);
  o = S("same");
  Obj *s = print_to_str(o);
  CHECK(s == o);
  DECREF(s);
  DECREF(o);
  o = L(1, S("q"));
  EXPECT_REPR(print_to_str(o), "\"[\\\"q\\\"]\"");
  DECREF(o);

  Obj *deep = L(0);
  for (int i = 0; i < 20000; i++) deep = L(1, deep);
  rtbuf_init(&b);
  // Deeper than the walk limit: a RecursionError, as Python's repr() raises.
  CHECK(!print_to(&b, deep, true));
  CHECK(obj_error_pending() && obj_error_kind() == RT_RECURSION);
  obj_error_clear();
  rtbuf_free(&b);
  DECREF(deep);  // also exercises the trashcan
}

static void test_truthy_clone_iter(void) {
  Obj *vals[] = {none_obj(), bool_obj(false), I(0), F(0.0), S(""), L(0), table_new_map(), T(0),
                 bool_obj(true), I(-1), F(0.5), S("x"), L(1, I(0)), obj_some_steal(I(0)),
                 point(0, 0), enum_val(0)};
  for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
    CHECK(ops_truthy(vals[i]) == (i >= 8));
    DECREF(vals[i]);
  }

  Obj *orig = L(2, L(1, I(1)), M(1, S("k"), L(0)));
  Obj *cl = ops_clone(orig);
  CHECK(ops_eq(orig, cl) && cl != orig);
  CHECK(((ListObj *)cl)->items[0] != ((ListObj *)orig)->items[0]);
  list_append_steal(((ListObj *)cl)->items[0], I(2));
  EXPECT_PRINT(ops_clone(orig), "[[1], {\"k\": []}]");
  EXPECT_PRINT(cl, "[[1, 2], {\"k\": []}]");
  Obj *p = point(3, 4), *pc = ops_clone(p);
  CHECK(pc != p && ops_eq(p, pc));
  DECREF(p);
  EXPECT_PRINT(pc, "Point { x: 3, y: 4 }");
  EXPECT_PRINT(ops_clone(orig), "[[1], {\"k\": []}]");
  Obj *sm = obj_some_steal(L(0)), *smc = ops_clone(sm);
  CHECK(((SomeObj *)sm)->v != ((SomeObj *)smc)->v);
  DECREF(sm);
  DECREF(smc);
  Obj *tup = T(1, L(0)), *tc = ops_clone(tup);
  CHECK(tc != tup && ((TupleObj *)tc)->items[0] != ((TupleObj *)tup)->items[0]);
  DECREF(tup);
  DECREF(tc);

  // A list iterator re-reads the length: items pushed during the loop are seen.
  Obj *it = ops_iter_new(orig);
  int n = 0;
  for (Obj *x; (x = ops_iter_next(it)); n++) {
    if (n == 0) list_append_steal(orig, I(99));
    DECREF(x);
  }
  CHECK(n == 3);
  DECREF(it);
  DECREF(orig);

  Obj *m = M(4, S("a"), I(1), S("b"), I(2), S("c"), I(3), S("d"), I(4));
  Obj *k = S("b");
  EXPECT_PRINT(call(m, "remove", 1, k), "Some(2)");
  it = ops_iter_new(m);
  RtBuf b;
  rtbuf_init(&b);
  for (Obj *x; (x = ops_iter_next(it));) {
    print_to(&b, x, true);
    DECREF(x);
  }
  CHECK_STREQ(b.data, "acd");
  rtbuf_free(&b);
  DECREF(it);
  DECREF(m);
  Obj *five = I(5);
  EXPECT_ERR(ops_iter_new(five), RT_TYPE, "'int' object is not iterable");
  DECREF(five);
}

static void test_table(void) {
  // Insert, remove half, re-add: order is insertion order with removals skipped.
  Obj *m = table_new_map();
  for (int i = 0; i < 2000; i++) {
    Obj *k = I(i * 7), *v = I(i);
    ops_store_index(m, k, v);
    DECREF(k);
    DECREF(v);
  }
  Table *t = &((MapObj *)m)->t;
  CHECK(t->len == 2000);
  for (int i = 0; i < 2000; i += 2) {
    Obj *k = I(i * 7);
    Obj *v = table_pop(t, k, str_key_hash(k));
    CHECK(v && int_value(v) == i);
    XDECREF(v);
    CHECK(table_pop(t, k, str_key_hash(k)) == NULL);
    DECREF(k);
  }
  CHECK(t->len == 1000);
  for (int i = 0; i < 2000; i += 2) {  // re-added at the end
    Obj *k = I(i * 7), *v = I(-i);
    ops_store_index(m, k, v);
    DECREF(k);
    DECREF(v);
  }
  Obj *keys = call(m, "keys", 0);
  ListObj *kl = (ListObj *)keys;
  bool ok = kl->len == 2000;
  for (int64_t j = 0; ok && j < 1000; j++) ok = int_value(kl->items[j]) == (2 * j + 1) * 7;
  for (int64_t j = 0; ok && j < 1000; j++) ok = int_value(kl->items[1000 + j]) == 2 * j * 7;
  CHECK(ok);
  DECREF(keys);
  for (int i = 0; i < 2000; i++) {
    Obj *k = I(i * 7);
    Obj *v = table_get(t, k, str_key_hash(k));
    CHECK(v && int_value(v) == (i % 2 ? i : -i));
    DECREF(k);
  }
  // Churn: insert and remove many keys while the table stays small; the
  // entries array must be compacted rather than grown without bound.
  for (int i = 0; i < 100000; i++) {
    Obj *k = S("churn"), *v = I(i);
    ops_store_index(m, k, v);
    Obj *r = table_pop(t, k, str_key_hash(k));
    DECREF(r);
    DECREF(k);
    DECREF(v);
  }
  CHECK(t->len == 2000 && t->cap < 10000);
  table_clear(t);
  CHECK(t->len == 0 && t->entries == NULL);
  Obj *k = S("after");
  CHECK(table_get(t, k, str_key_hash(k)) == NULL);
  ops_store_index(m, k, k);
  DECREF(k);
  EXPECT_PRINT(m, "{\"after\": \"after\"}");

  // String keys equal by content though distinct objects.
  m = M(1, S("key"), I(1));
  Obj *k2 = str_new("key", 3);
  EXPECT_PRINT(ops_index(m, k2), "1");
  DECREF(k2);
  DECREF(m);
}

static void test_list_methods(void) {
  Obj *l = L(0);
  EXPECT_PRINT(call(l, "push", 1, I(3)), "None");
  DECREF(call(l, "push", 1, I(1)));
  DECREF(call(l, "push", 1, I(2)));
  EXPECT_PRINT(call(l, "len", 0), "3");
  EXPECT_PRINT(call(l, "pop", 0), "Some(2)");
  DECREF(call(l, "insert", 2, I(0), S("a")));
  DECREF(call(l, "insert", 2, I(3), S("z")));
  EXPECT_PRINT(ops_clone(l), "[\"a\", 3, 1, \"z\"]");
  EXPECT_ERR(call(l, "insert", 2, I(5), I(0)), RT_INDEX,
             "index out of bounds: the len is 4 but the index is 5");
  EXPECT_ERR(call(l, "insert", 2, S("0"), I(0)), RT_TYPE,
             "insert() argument 1 must be int, not 'str'");
  EXPECT_PRINT(call(l, "remove", 1, I(0)), "a");
  EXPECT_ERR(call(l, "remove", 1, I(3)), RT_INDEX,
             "index out of bounds: the len is 3 but the index is 3");
  EXPECT_BOOL(call(l, "contains", 1, F(3.0)), true);
  EXPECT_BOOL(call(l, "contains", 1, S("q")), false);
  DECREF(call(l, "swap", 2, I(0), I(2)));
  EXPECT_PRINT(ops_clone(l), "[\"z\", 1, 3]");
  EXPECT_ERR(call(l, "swap", 2, I(0), I(3)), RT_INDEX,
             "index out of bounds: the len is 3 but the index is 3");
  DECREF(call(l, "reverse", 0));
  EXPECT_PRINT(ops_clone(l), "[3, 1, \"z\"]");
  // A failed sort raises and keeps every item.
  EXPECT_ERR(call(l, "sort", 0), RT_TYPE, "'<' not supported between instances of 'str' and 'int'");
  EXPECT_PRINT(call(l, "len", 0), "3");
  EXPECT_PRINT(call(l, "clear", 0), "None");
  EXPECT_PRINT(ops_clone(l), "[]");
  EXPECT_PRINT(call(l, "pop", 0), "None");
  EXPECT_ERR(call(l, "push", 2, I(1), I(2)), RT_TYPE, "push() takes 1 argument (2 given)");
  EXPECT_ERR(call(l, "len", 1, I(1)), RT_TYPE, "len() takes no arguments (1 given)");
  EXPECT_ERR(call(l, "insert", 1, I(1)), RT_TYPE, "insert() takes 2 arguments (1 given)");
  EXPECT_ERR(call(l, "upper", 0), RT_ATTRIBUTE, "'list' object has no attribute 'upper'");
  EXPECT_ERR(call(l, "foo", 0), RT_ATTRIBUTE, "'list' object has no attribute 'foo'");
  CHECK(rt_method_lookup("foo") == -1 && rt_method_lookup("unwrap_or") == MT_unwrap_or);

  // Sorting: ints (many, against a check), strings, tuples, mixed numbers (stable).
  uint64_t seed = 12345;
  for (int i = 0; i < 5000; i++) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    list_append_steal(l, I((int64_t)(seed >> 40) - 5000000));
  }
  DECREF(call(l, "sort", 0));
  ListObj *ll = (ListObj *)l;
  bool sorted = ll->len == 5000;
  for (int64_t i = 1; sorted && i < ll->len; i++) sorted = int_value(ll->items[i - 1]) <= int_value(ll->items[i]);
  CHECK(sorted);
  DECREF(l);
  l = L(5, S("pear"), S("apple"), S("fig"), S(""), S("apple pie"));
  DECREF(call(l, "sort", 0));
  EXPECT_PRINT(ops_clone(l), "[\"\", \"apple\", \"apple pie\", \"fig\", \"pear\"]");
  EXPECT_PRINT(call(l, "join", 1, S(", ")), ", apple, apple pie, fig, pear");
  DECREF(l);
  l = L(4, T(2, I(2), S("b")), T(2, I(1), S("z")), T(2, I(2), S("a")), T(1, I(1)));
  DECREF(call(l, "sort", 0));
  EXPECT_PRINT(l, "[(1,), (1, \"z\"), (2, \"a\"), (2, \"b\")]");
  l = L(20, F(2.0), I(1), F(1.0), I(0), I(2), F(0.5), I(1), F(1.0), I(3), F(-1.0), I(1), F(1.0),
        I(0), I(2), F(0.5), I(1), F(1.0), I(3), F(-1.0), I(1));
  DECREF(call(l, "sort", 0));  // stable: equal values keep their order
  EXPECT_PRINT(l, "[-1.0, -1.0, 0, 0, 0.5, 0.5, 1, 1.0, 1, 1.0, 1, 1.0, 1, 1.0, 1, 2.0, 2, 2, 3, 3]");
  l = L(3, S("a"), I(1), S("b"));
  EXPECT_ERR(call(l, "join", 1, S("-")), RT_TYPE, "join() sequence item 1: expected str, not 'int'");
  EXPECT_ERR(call(l, "join", 1, I(0)), RT_TYPE, "join() argument must be str, not 'int'");
  DECREF(l);
  l = L(0);
  EXPECT_PRINT(call(l, "join", 1, S(",")), "");
  DECREF(l);
}

static void test_str_methods(void) {
  Obj *s = S("  Hello, World \t\n");
  EXPECT_PRINT(call(s, "len", 0), "17");
  EXPECT_PRINT(call(s, "trim", 0), "Hello, World");
  EXPECT_PRINT(call(s, "lower", 0), "  hello, world \t\n");
  EXPECT_PRINT(call(s, "upper", 0), "  HELLO, WORLD \t\n");
  EXPECT_PRINT(call(s, "split_whitespace", 0), "[\"Hello,\", \"World\"]");
  EXPECT_PRINT(call(s, "split", 1, S(",")), "[\"  Hello\", \" World \\t\\n\"]");
  EXPECT_BOOL(call(s, "starts_with", 1, S("  He")), true);
  EXPECT_BOOL(call(s, "starts_with", 1, S("He")), false);
  EXPECT_BOOL(call(s, "ends_with", 1, S("\n")), true);
  EXPECT_BOOL(call(s, "ends_with", 1, S("a very long suffix indeed")), false);
  EXPECT_BOOL(call(s, "contains", 1, S("World")), true);
  EXPECT_BOOL(call(s, "contains", 1, S("world")), false);
  EXPECT_BOOL(call(s, "contains", 1, S("")), true);
  EXPECT_PRINT(call(s, "find", 1, S("o")), "Some(6)");
  EXPECT_PRINT(call(s, "find", 1, S("xyz")), "None");
  EXPECT_PRINT(call(s, "find", 1, S("")), "Some(0)");
  EXPECT_ERR(call(s, "split", 1, S("")), RT_VALUE, "empty separator");
  EXPECT_ERR(call(s, "split", 1, I(1)), RT_TYPE, "split() argument must be str, not 'int'");
  EXPECT_ERR(call(s, "push", 1, I(1)), RT_ATTRIBUTE, "'str' object has no attribute 'push'");
  EXPECT_ERR(call(s, "trim", 1, I(1)), RT_TYPE, "trim() takes no arguments (1 given)");
  Obj *c = call(s, "clone", 0);
  CHECK(c == s);
  DECREF(c);
  DECREF(s);

  s = S("a,b,,c,");
  EXPECT_PRINT(call(s, "split", 1, S(",")), "[\"a\", \"b\", \"\", \"c\", \"\"]");
  EXPECT_PRINT(call(s, "split", 1, S(",,")), "[\"a,b\", \"c,\"]");
  EXPECT_PRINT(call(s, "replace", 2, S(","), S("; ")), "a; b; ; c; ");
  EXPECT_PRINT(call(s, "replace", 2, S("x"), S("y")), "a,b,,c,");
  EXPECT_ERR(call(s, "replace", 2, S(","), I(1)), RT_TYPE,
             "replace() argument 2 must be str, not 'int'");
  DECREF(s);
  s = S("h\xc3\xa9");
  EXPECT_PRINT(call(s, "replace", 2, S(""), S("-")), "-h-\xc3\xa9-");
  EXPECT_PRINT(call(s, "len", 0), "3");
  EXPECT_PRINT(call(s, "upper", 0), "H\xc3\xa9");
  DECREF(s);
  s = S("ab");
  EXPECT_PRINT(call(s, "repeat", 1, I(3)), "ababab");
  EXPECT_PRINT(call(s, "repeat", 1, I(0)), "");
  EXPECT_ERR(call(s, "repeat", 1, I(-1)), RT_VALUE, "negative repeat count");
  EXPECT_ERR(call(s, "repeat", 1, I(INT64_MAX)), RT_MEMORY, "out of memory");
  DECREF(s);
  s = S("");
  EXPECT_PRINT(call(s, "split", 1, S(",")), "[\"\"]");
  EXPECT_PRINT(call(s, "split_whitespace", 0), "[]");
  EXPECT_PRINT(call(s, "trim", 0), "");
  DECREF(s);
  s = S("aaa");
  EXPECT_PRINT(call(s, "replace", 2, S("aa"), S("b")), "ba");
  EXPECT_PRINT(call(s, "find", 1, S("aaaa")), "None");
  DECREF(s);
}

static void test_map_option_methods(void) {
  Obj *m = table_new_map();
  EXPECT_PRINT(call(m, "insert", 2, S("b"), I(2)), "None");
  DECREF(call(m, "insert", 2, S("a"), I(1)));
  DECREF(call(m, "insert", 2, I(3), L(0)));
  DECREF(call(m, "insert", 2, S("b"), I(20)));  // replacing keeps the place
  EXPECT_PRINT(ops_clone(m), "{\"b\": 20, \"a\": 1, 3: []}");
  EXPECT_PRINT(call(m, "len", 0), "3");
  EXPECT_PRINT(call(m, "get", 1, S("a")), "Some(1)");
  EXPECT_PRINT(call(m, "get", 1, S("zz")), "None");
  EXPECT_BOOL(call(m, "contains_key", 1, I(3)), true);
  EXPECT_BOOL(call(m, "contains_key", 1, S("3")), false);
  EXPECT_PRINT(call(m, "keys", 0), "[\"b\", \"a\", 3]");
  EXPECT_PRINT(call(m, "remove", 1, S("b")), "Some(20)");
  EXPECT_PRINT(call(m, "remove", 1, S("b")), "None");
  EXPECT_PRINT(call(m, "keys", 0), "[\"a\", 3]");
  EXPECT_ERR(call(m, "get", 1, L(0)), RT_TYPE, "unhashable type: 'list'");
  EXPECT_ERR(call(m, "insert", 2, T(0), I(1)), RT_TYPE, "unhashable type: 'tuple'");
  EXPECT_ERR(call(m, "insert", 1, I(1)), RT_TYPE, "insert() takes 2 arguments (1 given)");
  EXPECT_ERR(call(m, "push", 1, I(1)), RT_ATTRIBUTE, "'map' object has no attribute 'push'");
  Obj *mc = call(m, "clone", 0);
  CHECK(mc != m && ops_eq(m, mc));
  DECREF(mc);
  DECREF(m);

  Obj *sm = obj_some_steal(S("v")), *n = none_obj();
  EXPECT_BOOL(call(sm, "is_some", 0), true);
  EXPECT_BOOL(call(sm, "is_none", 0), false);
  EXPECT_BOOL(call(n, "is_some", 0), false);
  EXPECT_BOOL(call(n, "is_none", 0), true);
  EXPECT_PRINT(call(sm, "unwrap", 0), "v");
  EXPECT_ERR(call(n, "unwrap", 0), RT_VALUE, "called unwrap() on a None value");
  EXPECT_PRINT(call(sm, "unwrap_or", 1, S("d")), "v");
  EXPECT_PRINT(call(n, "unwrap_or", 1, S("d")), "d");
  EXPECT_ERR(call(n, "len", 0), RT_ATTRIBUTE, "'NoneType' object has no attribute 'len'");
  EXPECT_ERR(call(sm, "push", 0), RT_ATTRIBUTE, "'Some' object has no attribute 'push'");
  EXPECT_ERR(call(sm, "unwrap_or", 0), RT_TYPE, "unwrap_or() takes 1 argument (0 given)");
  EXPECT_PRINT(call(sm, "clone", 0), "Some(\"v\")");
  DECREF(sm);
  DECREF(n);

  Obj *i = I(4), *p = point(1, 2);
  EXPECT_ERR(call(i, "push", 1, I(1)), RT_ATTRIBUTE, "'int' object has no attribute 'push'");
  EXPECT_ERR(call(i, "len", 0), RT_ATTRIBUTE, "'int' object has no attribute 'len'");
  EXPECT_PRINT(call(i, "clone", 0), "4");
  EXPECT_PRINT(call(p, "clone", 0), "Point { x: 1, y: 2 }");
  EXPECT_ERR(call(p, "len", 0), RT_ATTRIBUTE, "'Point' object has no attribute 'len'");
  DECREF(i);
  DECREF(p);
  Obj *e = enum_val(2);
  EXPECT_ERR(call(e, "unwrap", 0), RT_ATTRIBUTE, "'Status' object has no attribute 'unwrap'");
  DECREF(e);

  // A thread handle (vm/ makes them; dealloc and join's fallback are here).
  ThreadObj *th = obj_alloc(sizeof(ThreadObj), T_THREAD);
  th->result = L(1, I(7));
  EXPECT_PRINT(call((Obj *)th, "join", 0), "[7]");
  EXPECT_ERR(call((Obj *)th, "join", 1, I(1)), RT_TYPE, "join() takes no arguments (1 given)");
  EXPECT_ERR(call((Obj *)th, "len", 0), RT_ATTRIBUTE, "'thread' object has no attribute 'len'");
  EXPECT_PRINT((Obj *)th, "<thread>");
}

// Runs print(...) with stdout sent to a file and returns what it wrote.
static char captured[4096];
static void capture_print(int n, Obj **args) {
  fflush(stdout);
  int saved = dup(1);
  FILE *f = tmpfile();
  dup2(fileno(f), 1);
  Obj *r = builtin_fns_call(BI_print, args, n);
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  CHECK(r == NONE);
  if (r) DECREF(r);
  rewind(f);
  size_t len = fread(captured, 1, sizeof captured - 1, f);
  captured[len] = '\0';
  fclose(f);
}

static void test_builtins(void) {
  Obj *args[3] = {S("a"), L(2, S("b"), F(1.5)), obj_some_steal(S("c"))};
  capture_print(3, args);
  CHECK_STREQ(captured, "a [\"b\", 1.5] Some(\"c\")\n");
  capture_print(0, args);
  CHECK_STREQ(captured, "\n");
  for (int i = 0; i < 3; i++) DECREF(args[i]);

  EXPECT_PRINT(bcall("int", 1, S("  -42 ")), "-42");
  EXPECT_PRINT(bcall("int", 1, S("+1_000_000")), "1000000");
  EXPECT_PRINT(bcall("int", 1, S("9223372036854775807")), "9223372036854775807");
  EXPECT_PRINT(bcall("int", 1, S("-9223372036854775808")), "-9223372036854775808");
  EXPECT_ERR(bcall("int", 1, S("9223372036854775808")), RT_VALUE,
             "invalid literal for int(): \"9223372036854775808\"");
  EXPECT_ERR(bcall("int", 1, S("abc")), RT_VALUE, "invalid literal for int(): \"abc\"");
  EXPECT_ERR(bcall("int", 1, S("")), RT_VALUE, "invalid literal for int(): \"\"");
  EXPECT_ERR(bcall("int", 1, S("_1")), RT_VALUE, "invalid literal for int(): \"_1\"");
  EXPECT_ERR(bcall("int", 1, S("1_")), RT_VALUE, "invalid literal for int(): \"1_\"");
  EXPECT_ERR(bcall("int", 1, S("1__0")), RT_VALUE, "invalid literal for int(): \"1__0\"");
  EXPECT_ERR(bcall("int", 1, S("1.5")), RT_VALUE, "invalid literal for int(): \"1.5\"");
  EXPECT_ERR(bcall("int", 1, S("- 1")), RT_VALUE, "invalid literal for int(): \"- 1\"");
  EXPECT_ERR(bcall("int", 1, str_new("1\0", 2)), RT_VALUE, "invalid literal for int(): \"1\\0\"");
  EXPECT_PRINT(bcall("int", 1, F(3.9)), "3");
  EXPECT_PRINT(bcall("int", 1, F(-3.9)), "-3");
  EXPECT_PRINT(bcall("int", 1, bool_obj(true)), "1");
  EXPECT_PRINT(bcall("int", 1, I(12)), "12");
  EXPECT_ERR(bcall("int", 1, F(NAN)), RT_VALUE, "cannot convert float nan to int");
  EXPECT_ERR(bcall("int", 1, F(-INFINITY)), RT_VALUE, "cannot convert float -inf to int");
  EXPECT_ERR(bcall("int", 1, F(1e19)), RT_VALUE, "cannot convert float 1e+19 to int");
  EXPECT_PRINT(bcall("int", 1, F(-9223372036854775808.0)), "-9223372036854775808");
  EXPECT_ERR(bcall("int", 1, L(0)), RT_TYPE,
             "int() argument must be a str, int, float or bool, not 'list'");
  EXPECT_PRINT(bcall("float", 1, S(" 2.5 ")), "2.5");
  EXPECT_PRINT(bcall("float", 1, S("1e3")), "1000.0");
  EXPECT_PRINT(bcall("float", 1, S("-inf")), "-inf");
  EXPECT_PRINT(bcall("float", 1, I(3)), "3.0");
  EXPECT_PRINT(bcall("float", 1, F(0.5)), "0.5");
  EXPECT_ERR(bcall("float", 1, S("abc")), RT_VALUE, "could not convert string to float: \"abc\"");
  EXPECT_ERR(bcall("float", 1, S("")), RT_VALUE, "could not convert string to float: \"\"");
  EXPECT_ERR(bcall("float", 1, S("1.5x")), RT_VALUE, "could not convert string to float: \"1.5x\"");
  EXPECT_ERR(bcall("float", 1, none_obj()), RT_TYPE,
             "float() argument must be a str, int, float or bool, not 'NoneType'");
  EXPECT_REPR(bcall("str", 1, L(1, S("x"))), "\"[\\\"x\\\"]\"");
  EXPECT_REPR(bcall("str", 1, F(0.1)), "\"0.1\"");

  char *argv[] = {"one", "two words"};
  builtin_fns_set_args(2, argv);
  EXPECT_PRINT(bcall("args", 0), "[\"one\", \"two words\"]");
  EXPECT_ERR(bcall("args", 1, I(1)), RT_TYPE, "args() takes no arguments (1 given)");

  char path[] = "/tmp/lab_test_objectXXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, "line one\nline two\n\nlast", 23) == 23);
  close(fd);
  EXPECT_PRINT(bcall("read_file", 1, S(path)), "line one\nline two\n\nlast");
  EXPECT_ERR(bcall("read_file", 1, S("/nonexistent/x")), RT_OS,
             "cannot read \"/nonexistent/x\": No such file or directory");
  EXPECT_ERR(bcall("read_file", 1, S("/")), RT_OS, "cannot read \"/\": Is a directory");
  EXPECT_ERR(bcall("read_file", 1, I(1)), RT_TYPE, "read_file() argument must be str, not 'int'");
  // read_line from a redirected stdin.
  FILE *in = freopen(path, "r", stdin);
  CHECK(in != NULL);
  EXPECT_PRINT(bcall("read_line", 0), "Some(\"line one\")");
  EXPECT_PRINT(bcall("read_line", 0), "Some(\"line two\")");
  EXPECT_PRINT(bcall("read_line", 0), "Some(\"\")");
  EXPECT_PRINT(bcall("read_line", 0), "Some(\"last\")");
  EXPECT_PRINT(bcall("read_line", 0), "None");
  unlink(path);

  Obj *t0 = bcall("clock", 0);
  EXPECT_PRINT(bcall("sleep", 1, F(0.002)), "None");
  EXPECT_PRINT(bcall("sleep", 1, I(0)), "None");
  Obj *t1 = bcall("clock", 0);
  CHECK(t0->type == T_FLOAT && float_value(t1) - float_value(t0) >= 0.002);
  DECREF(t0);
  DECREF(t1);
  EXPECT_ERR(bcall("sleep", 1, F(-1)), RT_VALUE, "sleep length must be non-negative");
  EXPECT_ERR(bcall("sleep", 1, F(NAN)), RT_VALUE, "sleep length must be non-negative");

  EXPECT_PRINT(bcall("assert", 1, bool_obj(true)), "None");
  EXPECT_ERR(bcall("assert", 1, bool_obj(false)), RT_ASSERT, "assertion failed");
  EXPECT_ERR(bcall("panic", 1, S("boom")), RT_PANIC, "boom");
  EXPECT_PRINT(bcall("gc", 0), "0");

  EXPECT_PRINT(bcall("sqrt", 1, F(2.25)), "1.5");
  EXPECT_PRINT(bcall("sqrt", 1, I(16)), "4.0");
  EXPECT_PRINT(bcall("sqrt", 1, F(-1)), "nan");
  EXPECT_ERR(bcall("sqrt", 1, S("4")), RT_TYPE, "sqrt() argument must be int or float, not 'str'");
  EXPECT_ERR(bcall("sqrt", 2, F(1), F(2)), RT_TYPE, "sqrt() takes 1 argument (2 given)");
  EXPECT_PRINT(bcall("abs", 1, I(-5)), "5");
  EXPECT_PRINT(bcall("abs", 1, I(5)), "5");
  EXPECT_PRINT(bcall("abs", 1, F(-2.5)), "2.5");
  EXPECT_PRINT(bcall("abs", 1, F(-0.0)), "0.0");
  EXPECT_ERR(bcall("abs", 1, I(INT64_MIN)), RT_OVERFLOW, "attempt to negate with overflow");
  EXPECT_ERR(bcall("abs", 1, S("x")), RT_TYPE, "bad operand type for abs(): 'str'");
  EXPECT_PRINT(bcall("min", 2, I(3), I(-2)), "-2");
  EXPECT_PRINT(bcall("max", 2, I(3), I(-2)), "3");
  EXPECT_PRINT(bcall("min", 2, F(1.5), F(0.5)), "0.5");
  EXPECT_PRINT(bcall("max", 2, I(1), F(1.0)), "1");  // the first of equals
  EXPECT_PRINT(bcall("min", 2, F(1.0), I(1)), "1.0");
  EXPECT_PRINT(bcall("max", 2, I(1), F(1.5)), "1.5");
  EXPECT_ERR(bcall("min", 1, I(1)), RT_TYPE, "min() takes 2 arguments (1 given)");
  EXPECT_ERR(bcall("max", 2, S("a"), S("b")), RT_TYPE,
             "max() arguments must be int or float, not 'str' and 'str'");
}

// Long chains free without deep C recursion (the trashcan in object.c).
static void test_deep(void) {
  StrObj *next = point_def->fields[0];
  Obj *head = none_obj();
  for (int i = 0; i < 1000000; i++) {
    Obj *node = table_new_struct(point_def);
    ops_set_field(node, next, head);
    DECREF(head);
    head = obj_some_steal(node);
  }
  DECREF(head);
  Obj *l = L(0);
  for (int i = 0; i < 1000000; i++) l = L(1, l);
  DECREF(l);
  CHECK(1);
}

// runtime/suggest.h: the closest name within max(len, 3) / 3 edits.
static const char *best_of(const char *name, const char *const *cands) {
  Suggest s;
  suggest_begin(&s, name);
  for (int i = 0; cands[i]; i++) suggest_try(&s, cands[i]);
  return suggest_best(&s);
}

static void test_suggest(void) {
  const char *names[] = {"total", "count", "compute", "Point", "print", NULL};
  const char *b;
  CHECK((b = best_of("totl", names)) && strcmp(b, "total") == 0);      // a deletion
  CHECK((b = best_of("tOtal", names)) && strcmp(b, "total") == 0);     // case only
  CHECK((b = best_of("comptue", names)) && strcmp(b, "compute") == 0); // a swap of neighbours
  CHECK((b = best_of("point", names)) && strcmp(b, "Point") == 0);
  CHECK((b = best_of("prnit", names)) && strcmp(b, "print") == 0);
  CHECK(best_of("total", names) == NULL);    // the name itself is no suggestion
  CHECK(best_of("xyz", names) == NULL);      // nothing close
  CHECK(best_of("tal", names) == NULL);      // 2 edits: over max(3, 3) / 3 = 1
  CHECK(best_of("cmpute", names) && strcmp(best_of("cmpute", names), "compute") == 0);
  CHECK(best_of("", names) == NULL);
  const char *none[] = {NULL};
  CHECK(best_of("total", none) == NULL);
  char longname[200];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  const char *longs[] = {longname, NULL};
  CHECK(best_of("aaaa", longs) == NULL);     // past 64 characters: never compared
}

// rt_remove_tree: nested folders, a folder of more entries than one
// getdents buffer holds, and links removed, never followed.
static void put(const char *path) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) fclose(f);
}
static void test_remove_tree(void) {
  char root[] = "/tmp/lab-unit-XXXXXX", p[4200], keep[4200];
  if (!mkdtemp(root)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(keep, sizeof keep, "%s/keep", root);  // outside the tree, reached by links
  CHECK(mkdir(keep, 0700) == 0);
  snprintf(p, sizeof p, "%s/keep/file", root);
  put(p);
  snprintf(p, sizeof p, "%s/t", root);
  CHECK(mkdir(p, 0700) == 0);
  snprintf(p, sizeof p, "%s/t/a", root);
  CHECK(mkdir(p, 0700) == 0);
  snprintf(p, sizeof p, "%s/t/a/b", root);
  CHECK(mkdir(p, 0700) == 0);
  snprintf(p, sizeof p, "%s/t/a/b/deep", root);
  put(p);
  for (int i = 0; i < 300; i++) {
    snprintf(p, sizeof p, "%s/t/a/file-with-a-long-name-%03d", root, i);
    put(p);
  }
  snprintf(p, sizeof p, "%s/t/link", root);
  CHECK(symlink(keep, p) == 0);
  snprintf(p, sizeof p, "%s/t", root);
  rt_track_temp(p);
  rt_remove_tree(p);
  CHECK(access(p, F_OK) != 0);
  snprintf(p, sizeof p, "%s/keep/file", root);
  CHECK(access(p, F_OK) == 0);
  snprintf(p, sizeof p, "%s/tlink", root);  // a link given as the tree: the link goes
  CHECK(symlink(keep, p) == 0);
  rt_remove_tree(p);
  CHECK(access(p, F_OK) != 0);
  snprintf(p, sizeof p, "%s/keep/file", root);
  CHECK(access(p, F_OK) == 0);
  rt_remove_tree(root);
  CHECK(access(root, F_OK) != 0);
  rt_remove_tree(root);  // gone already: nothing happens
}

int main(void) {
  obj_init();
  test_remove_tree();
  test_suggest();
  const char *pf[] = {"x", "y"};
  point_def = structdef_new("Point", 2, pf);
  unit_def = structdef_new("Unit", 0, NULL);
  const char *sv[] = {"Pending", "Paid", "Failed"};
  status_def = enumdef_new("Status", 3, sv);

  test_format();
  test_alloc();
  test_arith();
  test_eq_compare();
  test_index_fields();
  test_print();
  test_truthy_clone_iter();
  test_table();
  test_list_methods();
  test_str_methods();
  test_map_option_methods();
  test_builtins();
  test_deep();

  CHECK(!obj_error_pending());
  int64_t live = obj_live_count();
  checks++;
  if (live != 0) {
    failures++;
    fprintf(stderr, "test_object.c: %lld objects still alive at the end\n", (long long)live);
  }
  structdef_free(point_def);
  structdef_free(unit_def);
  enumdef_free(status_def);
  obj_finish();
  printf("test_object: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
