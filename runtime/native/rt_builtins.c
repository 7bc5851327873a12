// rt_builtins.c — the builtin functions of SPEC §5 as native programs call
// them (runtime/native/toyrt.h "Builtins"): arguments, files, stdin, time and
// the conversions, whose rules are runtime/convert.c's (shared with interp's
// vm/builtin_fns.c). Messages match interp's word for word.
#include "toyrt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "convert.h"

extern int rt_argc_;  // set by main() (rt_core.c)
extern char **rt_argv_;

rt_list rt_args(void) {
  int n = rt_argc_ > 1 ? rt_argc_ - 1 : 0;
  rt_list l = rt_list_with_cap(n, sizeof(rt_str));
  for (int i = 0; i < n; i++) {
    rt_str a = rt_str_from_cstr(rt_argv_[i + 1]);
    rt_list_push(&l, &a, sizeof a);
  }
  return l;
}

// Raises kind with prefix, the string quoted as inside a container, suffix.
static _Noreturn void panic_quoted(const rt_loc *loc, RtErrorKind kind, const char *prefix,
                                   const rt_str *s, const char *suffix) {
  RtBuf b;
  rtbuf_init(&b);
  rt_buf_put_str_quoted(&b, s);
  if (b.oom) rt_panic_oom();
  rt_panic(loc, kind, "%s%s%s", prefix, b.data ? b.data : "\"\"", suffix);
}

// ---- files and stdin --------------------------------------------------------------
rt_str rt_read_file(const rt_str *path, const rt_loc *loc) {
  int e = 0;
  int fd = -1;
  if (path->len && memchr(path->ptr, 0, (size_t)path->len)) {
    e = EINVAL;  // a NUL byte inside the path (as interp)
  } else {
    char *cpath = rt_alloc((size_t)path->len + 1);
    if (path->len) memcpy(cpath, path->ptr, (size_t)path->len);
    cpath[path->len] = '\0';
    fd = open(cpath, O_RDONLY | O_CLOEXEC);
    if (fd < 0) e = errno;
    rt_free(cpath);
  }
  rt_str r = {NULL, 0, 0};
  while (!e) {
    if (r.len == r.cap) {
      int64_t cap = r.cap ? r.cap * 2 : 4096;
      if (cap > PTRDIFF_MAX / 4) rt_panic_oom();
      r.ptr = rt_realloc(r.ptr, (size_t)cap);
      r.cap = cap;
    }
    ssize_t n = read(fd, r.ptr + r.len, (size_t)(r.cap - r.len));
    if (n < 0) {
      if (errno != EINTR) e = errno;
    } else if (n == 0) {
      break;
    } else {
      r.len += n;
    }
  }
  if (fd >= 0) close(fd);
  if (e) {
    rt_str_drop(&r);
    if (e == ENOMEM) rt_panic_oom();
    char suffix[256];
    snprintf(suffix, sizeof suffix, ": %s", strerror(e));
    panic_quoted(loc, RT_OS, "cannot read ", path, suffix);
  }
  if (r.len == 0) rt_str_drop(&r);  // keep the invariant: empty owns nothing
  return r;
}

bool rt_read_line(rt_str *out) {
  rt_flush_stdout();  // a prompt printed before reading must be seen
  char *line = NULL;
  size_t cap = 0;
  errno = 0;
  ssize_t n = getline(&line, &cap, stdin);
  int e = errno;
  if (n < 0) {
    free(line);
    if (e == ENOMEM || e == EOVERFLOW) rt_panic_oom();
    return false;
  }
  if (n > 0 && line[n - 1] == '\n') n--;
  *out = rt_str_lit(line, n);
  free(line);
  return true;
}

// ---- time -------------------------------------------------------------------------
double rt_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void rt_sleep(double s, const rt_loc *loc) {
  if (!(s >= 0)) rt_panic(loc, RT_VALUE, "sleep length must be non-negative");
  if (s > 1e15) rt_panic(loc, RT_OVERFLOW, "sleep length is too large");
  struct timespec ts;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
  }
}

// ---- conversions ------------------------------------------------------------------
int64_t rt_int_of_float(double f, const rt_loc *loc) {
  int64_t v;
  if (rt_float_to_int(f, &v)) return v;
  RtBuf b;
  rtbuf_init(&b);
  rt_msg_float_to_int(&b, f);
  if (b.oom) rt_panic_oom();
  rt_panic(loc, RT_VALUE, "%s", b.data);
}

int64_t rt_int_of_str(const rt_str *s, const rt_loc *loc) {
  int64_t v;
  if (!rt_parse_int(s->ptr, s->len, &v)) panic_quoted(loc, RT_VALUE, RT_MSG_INT_LITERAL, s, "");
  return v;
}

double rt_float_of_str(const rt_str *s, const rt_loc *loc) {
  double v;
  if (!rt_parse_float(s->ptr, s->len, &v)) panic_quoted(loc, RT_VALUE, RT_MSG_FLOAT_LITERAL, s, "");
  return v;
}

void rt_panic_str(const rt_str *msg, const rt_loc *loc) {
  rt_panic(loc, RT_PANIC, "%.*s", (int)(msg->len > INT32_MAX ? INT32_MAX : msg->len),
           msg->ptr ? msg->ptr : "");
}
