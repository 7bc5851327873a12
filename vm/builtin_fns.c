// builtins.c — the builtin functions of runtime/builtins.h as interp mode
// runs them (SPEC §5 "Builtin functions", docs/semantics.md "Builtins").
// gc() and the thread machinery are the VM's. Builtins borrow their
// arguments. The blocking ones (sleep, read_file, read_line) call the
// VM's blocking hooks around the system call, so that it can release the GIL,
// and touch no object in between.
#include "builtin_fns.h"
#include "alloc.h"
#include "object.h"

#include "builtins.h"
#include "convert.h"
#include "clock.h"
#include "readall.h"
#include "ops.h"
#include "str.h"
#include "list.h"
#include "print.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static int prog_argc;
static char **prog_argv;

void builtin_fns_set_args(int argc, char **argv) {
  prog_argc = argc;
  prog_argv = argv;
}

static void blocking_begin(void) {
  if (obj_blocking_begin_hook) obj_blocking_begin_hook();
}

static void blocking_end(void) {
  if (obj_blocking_end_hook) obj_blocking_end_hook();
}

// Raises kind with `prefix` followed by the string quoted as inside a
// container: invalid literal for int(): "abc".
static Obj *raise_quoted(RtErrorKind kind, const char *prefix, StrObj *s, const char *suffix) {
  RtBuf b;
  rtbuf_init(&b);
  rt_fmt_str_quoted(&b, s->data, (size_t)s->len);
  obj_raise(kind, "%s%s%s", prefix, b.data, suffix);
  rtbuf_free(&b);
  return NULL;
}

// ---- conversions ------------------------------------------------------------------
// The rules are runtime/convert.h's, shared with native mode.
static Obj *bi_int(Obj *x) {
  switch ((ObjType)x->type) {
  case T_INT: INCREF(x); return x;
  case T_BOOL: return alloc_int(int_value(x));
  case T_FLOAT: {
    double f = float_value(x);
    int64_t v;
    if (rt_float_to_int(f, &v)) return alloc_int(v);
    RtBuf b;
    rtbuf_init(&b);
    rt_msg_float_to_int(&b, f);
    obj_raise(RT_VALUE, "%s", b.data ? b.data : RT_MSG_OOM);
    rtbuf_free(&b);
    return NULL;
  }
  case T_STR: {
    StrObj *s = (StrObj *)x;
    int64_t v;
    if (!rt_parse_int(s->data, s->len, &v)) return raise_quoted(RT_VALUE, RT_MSG_INT_LITERAL, s, "");
    return alloc_int(v);
  }
  default:
    return obj_raise(RT_TYPE, "int() argument must be a str, int, float or bool, not '%s'",
                     ops_type_name(x));
  }
}

// float(s): what C's strtod accepts, with surrounding whitespace.
static Obj *bi_float(Obj *x) {
  switch ((ObjType)x->type) {
  case T_FLOAT: INCREF(x); return x;
  case T_INT:
  case T_BOOL: return alloc_float((double)int_value(x));
  case T_STR: {
    StrObj *s = (StrObj *)x;
    double v;
    if (rt_parse_float(s->data, s->len, &v)) return alloc_float(v);
    return raise_quoted(RT_VALUE, RT_MSG_FLOAT_LITERAL, s, "");
  }
  default:
    return obj_raise(RT_TYPE, "float() argument must be a str, int, float or bool, not '%s'",
                     ops_type_name(x));
  }
}

// ---- input and output ---------------------------------------------------------------
// print(a, b, …): one line, arguments separated by a space, one fwrite;
// nothing at all if an argument cannot be printed (RecursionError,
// MemoryError).
static Obj *bi_print(Obj **args, int nargs) {
  RtBuf b;
  rtbuf_init(&b);
  for (int i = 0; i < nargs; i++) {
    if (i) rtbuf_putc(&b, ' ');
    if (!print_to(&b, args[i], true)) {
      rtbuf_free(&b);
      return NULL;
    }
  }
  rtbuf_putc(&b, '\n');
  if (b.oom) {
    rtbuf_free(&b);
    return obj_raise(RT_MEMORY, RT_MSG_OOM);
  }
  size_t n = fwrite(b.data, 1, b.len, stdout);
  int err = errno;
  rtbuf_free(&b);
  // A full disk or a closed stdout (`> /dev/full`, `>&-`) is an error, as in
  // Python; it shows when the buffer is written, here or at the end (vm_run).
  if (n < b.len || ferror(stdout)) {
    clearerr(stdout);
    return obj_raise(RT_OS, RT_MSG_STDOUT "%s", strerror(err));
  }
  return none_obj();
}

static Obj *bi_read_file(Obj *p) {
  if (p->type != T_STR)
    return obj_raise(RT_TYPE, "read_file() argument must be str, not '%s'", ops_type_name(p));
  StrObj *path = (StrObj *)p;
  char *data = NULL;
  size_t len = 0;
  int e;
  if ((int64_t)strlen(path->data) != path->len) {
    e = EINVAL;  // a NUL byte inside the path
  } else {
    blocking_begin();  // rt_read_path touches no object: the GIL is released
    e = rt_read_path(path->data, (size_t)PTRDIFF_MAX, &data, &len);
    blocking_end();
  }
  if (e == ENOMEM) return obj_raise(RT_MEMORY, RT_MSG_OOM);
  if (e) {
    char suffix[256];
    snprintf(suffix, sizeof suffix, ": %s", strerror(e));
    return raise_quoted(RT_OS, "cannot read ", path, suffix);
  }
  Obj *s = str_new(data, (int64_t)len);
  free(data);
  return s;
}

// read_line() -> ?str: the next line of stdin without its '\n', None at EOF.
static Obj *bi_read_line(void) {
  char *line = NULL;
  size_t cap = 0;
  blocking_begin();
  errno = 0;
  ssize_t n = getline(&line, &cap, stdin);
  int e = errno;
  blocking_end();
  if (n < 0) {
    free(line);
    if (e == ENOMEM || e == EOVERFLOW) return obj_raise(RT_MEMORY, RT_MSG_OOM);
    return none_obj();
  }
  if (n > 0 && line[n - 1] == '\n') n--;
  Obj *s = str_new(line, n);
  free(line);
  return s ? obj_some_steal(s) : NULL;
}

// ---- time ---------------------------------------------------------------------------------
static Obj *bi_clock(void) {
  return alloc_float((double)rt_now_ns() * 1e-9);
}

static Obj *bi_sleep(Obj *x) {
  double s;
  if (x->type == T_FLOAT) s = float_value(x);
  else if (x->type == T_INT) s = (double)int_value(x);
  else return obj_raise(RT_TYPE, "sleep() argument must be float, not '%s'", ops_type_name(x));
  if (!(s >= 0)) return obj_raise(RT_VALUE, "sleep length must be non-negative");
  if (s > 1e15) return obj_raise(RT_OVERFLOW, "sleep length is too large");
  struct timespec ts;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
  blocking_begin();
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
  }
  blocking_end();
  return none_obj();
}

// ---- math ---------------------------------------------------------------------------------
static bool is_number(Obj *x) { return x->type == T_INT || x->type == T_FLOAT; }

static Obj *bi_sqrt(Obj *x) {
  if (!is_number(x))
    return obj_raise(RT_TYPE, "sqrt() argument must be int or float, not '%s'", ops_type_name(x));
  // IEEE: the root of a negative number is nan, not an error (docs/semantics.md).
  return alloc_float(sqrt(x->type == T_FLOAT ? float_value(x) : (double)int_value(x)));
}

static Obj *bi_abs(Obj *x) {
  if (x->type == T_INT) {
    int64_t v = int_value(x);
    if (v >= 0) {
      INCREF(x);
      return x;
    }
    if (v == INT64_MIN) {
      char buf[128];
      return obj_raise(RT_OVERFLOW, "%s", rt_msg_overflow(buf, "negate"));
    }
    return alloc_int(-v);
  }
  if (x->type == T_FLOAT) return alloc_float(fabs(float_value(x)));
  return obj_raise(RT_TYPE, "bad operand type for abs(): '%s'", ops_type_name(x));
}

// min(a, b) is b if b < a, else a; max(a, b) is b if b > a, else a (Python:
// the first of equal values wins, and a NaN second argument is never chosen).
static Obj *bi_minmax(Obj *a, Obj *b, bool is_max) {
  if (!is_number(a) || !is_number(b))
    return obj_raise(RT_TYPE, "%s() arguments must be int or float, not '%s' and '%s'",
                     is_max ? "max" : "min", ops_type_name(a), ops_type_name(b));
  int c;
  if (ops_compare(b, a, &c) < 0) return NULL;
  Obj *r = c == (is_max ? 1 : -1) ? b : a;
  INCREF(r);
  return r;
}

// ---- dispatch -------------------------------------------------------------------------------
Obj *builtin_fns_call(int id, Obj **args, int nargs) {
  if (id < 0 || id >= BI_COUNT) return obj_raise(RT_NAME, "no builtin number %d", id);
  const BuiltinInfo *bi = &rt_builtins[id];
  if (nargs < bi->min_args || (bi->max_args >= 0 && nargs > bi->max_args)) {
    int want = nargs < bi->min_args ? bi->min_args : bi->max_args;
    if (want == 0) return obj_raise(RT_TYPE, "%s() takes no arguments (%d given)", bi->name, nargs);
    return obj_raise(RT_TYPE, "%s() takes %d argument%s (%d given)", bi->name, want,
                     want == 1 ? "" : "s", nargs);
  }
  switch ((BuiltinId)id) {
  case BI_print: return bi_print(args, nargs);
  case BI_int: return bi_int(args[0]);
  case BI_float: return bi_float(args[0]);
  case BI_str: return print_to_str(args[0]);
  case BI_args: {
    Obj *l = list_new(prog_argc);
    for (int i = 0; i < prog_argc; i++) {
      Obj *a = str_from_cstr(prog_argv[i]);
      if (!a) {
        DECREF(l);
        return NULL;
      }
      list_append_steal(l, a);  // the room is there: cannot fail
    }
    return l;
  }
  case BI_read_file: return bi_read_file(args[0]);
  case BI_read_line: return bi_read_line();
  case BI_clock: return bi_clock();
  case BI_sleep: return bi_sleep(args[0]);
  case BI_gc: return alloc_int(0);  // the VM's own; no collector yet (docs/semantics.md)
  case BI_assert:
    if (!ops_truthy(args[0])) return obj_raise(RT_ASSERT, RT_MSG_ASSERT);
    return none_obj();
  case BI_panic: {
    RtBuf b;
    rtbuf_init(&b);
    if (print_to(&b, args[0], true)) obj_raise(RT_PANIC, "%s", b.data ? b.data : "");
    rtbuf_free(&b);
    return NULL;
  }
  case BI_sqrt: return bi_sqrt(args[0]);
  case BI_abs: return bi_abs(args[0]);
  case BI_min: return bi_minmax(args[0], args[1], false);
  case BI_max: return bi_minmax(args[0], args[1], true);
  case BI_COUNT: break;
  }
  return obj_raise(RT_NAME, "no builtin number %d", id);
}
