// runner.c — the test runner behind `make test` (docs/testing.md).
//
//   build/runner --lab ./lab [--debug-lab build/debug/lab] [--modes interp,native,hybrid]
//                [--run-flag FLAG]... [-v] [--stress] [--filter SUBSTR] [-j N] [--timeout SECS] DIR|FILE...
//
// Every *.toy file under the given directories is a test that carries its
// expectations in comments (`// expect: 3`, `// expect runtime error: …`,
// `// error: E0382`, …; the full list is in docs/testing.md and in
// parse_directives() below). Each file is run once per mode as
//   LAB run --mode=MODE [--run-flag FLAGs] [flags] PATH [-- args]
// with the repository root as working directory, a timeout, and its stdout,
// stderr and exit status captured in full. Files under a directory named
// `corpus` are fuzz regression inputs: each is run as `LAB parse FILE` and
// must exit 0 or 2 (or 3, refused as a binary file) without being killed by
// a signal.
//
// Hybrid mode runs only the files with a `#[native]` function (plan_for).
// A test that passes in interp or hybrid mode with exit code 0 is run once more with
// the debug build (--debug-lab), which exits 70 when objects leak: it must
// print the same stdout and exit 0 as well.
//
// Tests run in parallel: the runner forks one worker per test (at most -j at a
// time); a worker runs the lab, judges the result and sends back one status
// byte and a report. Reports are printed in path order, so output is stable.
//
// Written in plain C11 + POSIX because a fresh Debian machine may lack python3.
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// ---- small utilities ----------------------------------------------------------

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("runner: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = xrealloc(NULL, n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

// A growable byte buffer; data is always NUL-terminated (it may also contain
// NUL bytes, so len is what counts).
typedef struct Buf {
  char *data;
  size_t len, cap;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->len + n + 1 > cap) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

__attribute__((format(printf, 2, 3))) static void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  char *tmp = xrealloc(NULL, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(tmp, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf_put(b, tmp, (size_t)n);
  free(tmp);
}

static const char *buf_str(const Buf *b) { return b->data ? b->data : ""; }

typedef struct StrVec {
  char **v;
  int n, cap;
} StrVec;

static void vec_push(StrVec *sv, char *s) {
  if (sv->n == sv->cap) {
    sv->cap = sv->cap ? sv->cap * 2 : 8;
    sv->v = xrealloc(sv->v, sizeof(char *) * (size_t)sv->cap);
  }
  sv->v[sv->n++] = s;
}

// Splits s on whitespace (and commas when `commas`) and appends the words.
static void split_words(StrVec *out, const char *s, bool commas) {
  while (*s) {
    while (*s && (isspace((unsigned char)*s) || (commas && *s == ','))) s++;
    const char *start = s;
    while (*s && !isspace((unsigned char)*s) && !(commas && *s == ',')) s++;
    if (s > start) vec_push(out, xstrndup(start, (size_t)(s - start)));
  }
}

static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_cloexec(int fd) { fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC); }

static bool starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

// ---- options ------------------------------------------------------------------

static const char *opt_lab;
static const char *opt_debug_lab;
static StrVec opt_run_flags;  // --run-flag: added to every `lab run` (after --mode)
static bool opt_interp = true, opt_native = false, opt_hybrid = false;
static bool opt_verbose;
static bool opt_stress;  // --stress: the stress build; `// stress: skip` tests are skipped
static const char *opt_filter;
static int opt_jobs;
static double opt_timeout = 60.0;

// ---- test files and their directives -------------------------------------------

typedef struct ErrMark {
  char *code;
  int line;
} ErrMark;

typedef struct Test {
  char *path;
  bool is_corpus;     // a fuzz input: `LAB parse FILE`, exit 0 or 2
  Buf expect_out;     // `// expect:` lines, each + "\n"
  bool has_interp_expect;
  Buf interp_out;     // `// interp expect:` lines
  char *rt_error;     // `// expect runtime error:` text, or NULL
  int rt_line;
  ErrMark *errs;      // `// error: CODE` marks
  int nerrs;
  StrVec args, flags;
  bool has_stdin;
  Buf stdin_data;
  bool only_interp, only_native, only_hybrid;  // `// mode:`
  bool has_native_fn;  // a line starts with `#[native`: the test runs in hybrid mode too
  ErrMark *hy_errs;    // `// hybrid error: CODE` marks: what only hybrid mode rejects
  int nhy_errs;
  bool leaks_allowed;
  bool stress_skip;   // `// stress: skip`: its output depends on when the collector runs
  int exit_code;      // `// exit: N`, or -1
  StrVec cmd;         // `// cmd: dis --fn f {file}`: run `LAB dis --fn f PATH` instead
  StrVec stderr_has;  // `// expect stderr: TEXT`: stderr must contain each TEXT
  StrVec env;         // `// env: NAME=VALUE`: set for the lab it runs
  char *bad;          // a malformed test: why
} Test;

static Test *tests;
static int ntests, captests;

static Test *add_test(const char *path, bool corpus) {
  if (ntests == captests) {
    captests = captests ? captests * 2 : 64;
    tests = xrealloc(tests, sizeof(Test) * (size_t)captests);
  }
  Test *t = &tests[ntests++];
  memset(t, 0, sizeof *t);
  t->path = xstrdup(path);
  t->is_corpus = corpus;
  t->exit_code = -1;
  return t;
}

static void free_test(Test *t) {
  free(t->path);
  free(t->expect_out.data);
  free(t->interp_out.data);
  free(t->rt_error);
  for (int i = 0; i < t->nerrs; i++) free(t->errs[i].code);
  free(t->errs);
  for (int i = 0; i < t->cmd.n; i++) free(t->cmd.v[i]);
  free(t->cmd.v);
  for (int i = 0; i < t->stderr_has.n; i++) free(t->stderr_has.v[i]);
  free(t->stderr_has.v);
  for (int i = 0; i < t->env.n; i++) free(t->env.v[i]);
  free(t->env.v);
  for (int i = 0; i < t->args.n; i++) free(t->args.v[i]);
  free(t->args.v);
  for (int i = 0; i < t->flags.n; i++) free(t->flags.v[i]);
  free(t->flags.v);
  free(t->stdin_data.data);
  free(t->bad);
}

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

// Collects *.toy files under path (or corpus files under a `corpus` folder).
static void walk(const char *path, bool in_corpus) {
  struct stat st;
  if (stat(path, &st) != 0) die("cannot read %s: %s", path, strerror(errno));
  if (S_ISREG(st.st_mode)) {
    if (in_corpus || has_suffix(path, ".toy")) add_test(path, in_corpus);
    return;
  }
  if (!S_ISDIR(st.st_mode)) return;
  DIR *d = opendir(path);
  if (!d) die("cannot open directory %s: %s", path, strerror(errno));
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;  // ., .., hidden files
    // The course's exercises (starter code that may not check yet, and the
    // reference solutions) are tested by `lab grade`: tests/exercises/check.sh.
    if (!in_corpus && strcmp(e->d_name, "exercises") == 0) continue;
    Buf child = {0};
    buf_printf(&child, "%s/%s", path, e->d_name);
    bool corpus = in_corpus || strcmp(e->d_name, "corpus") == 0;
    struct stat cst;
    if (stat(child.data, &cst) == 0 && (S_ISDIR(cst.st_mode) || S_ISREG(cst.st_mode)))
      walk(child.data, corpus);
    free(child.data);
  }
  closedir(d);
}

static int cmp_tests(const void *a, const void *b) {
  return strcmp(((const Test *)a)->path, ((const Test *)b)->path);
}

static bool read_whole_file(const char *path, Buf *out) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_put(out, chunk, n);
  bool ok = !ferror(f);
  fclose(f);
  if (!out->data) buf_put(out, "", 0);
  return ok;
}

static void mark_bad(Test *t, int line, const char *why) {
  if (t->bad) return;  // the first problem is enough
  Buf b = {0};
  buf_printf(&b, "malformed test, line %d: %s", line, why);
  t->bad = b.data;
}

// The text after `pat` in line (one leading space dropped), or NULL.
static const char *directive(const char *line, const char *pat) {
  const char *p = strstr(line, pat);
  if (!p) return NULL;
  p += strlen(pat);
  if (*p == ' ') p++;
  return p;
}

// Reads the directives of one test file. They may sit anywhere on a line, after
// code (`print(1); // expect: 1`) or alone; each kind is recognised by its exact
// spelling, so `// interp expect:` is not mistaken for `// expect:`.
static void parse_directives(Test *t) {
  Buf src = {0};
  if (!read_whole_file(t->path, &src)) {
    mark_bad(t, 0, "cannot read the file");
    return;
  }
  // The file is bytes: a syntax test may hold a NUL byte, which must not end
  // the scan (it reads as a space here, so a directive after it still counts).
  const char *p = src.data, *end = src.data + src.len;
  int lineno = 0;
  while (p < end) {
    lineno++;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    char *line = xstrndup(p, len);
    for (size_t i = 0; i < len; i++)
      if (line[i] == '\0') line[i] = ' ';
    if (len && line[len - 1] == '\r') line[--len] = '\0';
    p = nl ? nl + 1 : end;
    const char *lead = line;
    while (*lead == ' ' || *lead == '\t') lead++;
    if (strncmp(lead, "#[native", 8) == 0) t->has_native_fn = true;
    if (!strstr(line, "//")) {
      free(line);
      continue;
    }
    const char *v;
    if ((v = directive(line, "// expect runtime error:"))) {
      if (t->rt_error) mark_bad(t, lineno, "more than one `// expect runtime error:`");
      else if (!*v) mark_bad(t, lineno, "`// expect runtime error:` without a message");
      free(t->rt_error);
      t->rt_error = xstrdup(v);
      t->rt_line = lineno;
    } else if ((v = directive(line, "// hybrid error:"))) {
      StrVec w = {0};
      split_words(&w, v, false);
      if (w.n == 0) mark_bad(t, lineno, "`// hybrid error:` without a code");
      else {
        t->hy_errs = xrealloc(t->hy_errs, sizeof(ErrMark) * (size_t)(t->nhy_errs + 1));
        t->hy_errs[t->nhy_errs].code = xstrdup(w.v[0]);
        t->hy_errs[t->nhy_errs].line = lineno;
        t->nhy_errs++;
      }
      for (int i = 0; i < w.n; i++) free(w.v[i]);
      free(w.v);
    } else if ((v = directive(line, "// interp expect:"))) {
      t->has_interp_expect = true;
      buf_puts(&t->interp_out, v);
      buf_puts(&t->interp_out, "\n");
    } else if ((v = directive(line, "// expect:"))) {
      buf_puts(&t->expect_out, v);
      buf_puts(&t->expect_out, "\n");
    } else if ((v = directive(line, "// error:"))) {
      StrVec w = {0};
      split_words(&w, v, false);
      // `// error: CODE`, or several on one line: `// error: L0104 error: L0104`.
      // Words after the codes are free text.
      if (w.n == 0) mark_bad(t, lineno, "`// error:` without a code");
      for (int i = 0; i < w.n; i += 2) {
        if (i > 0 && (strcmp(w.v[i - 1], "error:") != 0)) break;
        t->errs = xrealloc(t->errs, sizeof(ErrMark) * (size_t)(t->nerrs + 1));
        t->errs[t->nerrs].code = xstrdup(w.v[i]);
        t->errs[t->nerrs].line = lineno;
        t->nerrs++;
      }
      for (int i = 0; i < w.n; i++) free(w.v[i]);
      free(w.v);
    } else if ((v = directive(line, "// cmd:"))) {
      split_words(&t->cmd, v, false);
      if (t->cmd.n == 0) mark_bad(t, lineno, "`// cmd:` without a command");
    } else if ((v = directive(line, "// expect stderr:"))) {
      vec_push(&t->stderr_has, xstrdup(v));
    } else if ((v = directive(line, "// env:"))) {
      if (!strchr(v, '=')) mark_bad(t, lineno, "`// env:` takes NAME=VALUE");
      vec_push(&t->env, xstrdup(v));
    } else if ((v = directive(line, "// args:"))) {
      split_words(&t->args, v, false);
    } else if ((v = directive(line, "// stdin:"))) {
      t->has_stdin = true;
      buf_puts(&t->stdin_data, v);
      buf_puts(&t->stdin_data, "\n");
    } else if ((v = directive(line, "// flags:"))) {
      split_words(&t->flags, v, false);
    } else if ((v = directive(line, "// mode:"))) {
      StrVec w = {0};
      split_words(&w, v, true);
      for (int i = 0; i < w.n; i++) {
        if (strcmp(w.v[i], "interp") == 0) t->only_interp = true;
        else if (strcmp(w.v[i], "native") == 0) t->only_native = true;
        else if (strcmp(w.v[i], "hybrid") == 0) t->only_hybrid = true;
        else mark_bad(t, lineno, "`// mode:` takes interp, native or hybrid");
        free(w.v[i]);
      }
      free(w.v);
    } else if ((v = directive(line, "// stress:"))) {
      if (strncmp(v, "skip", 4) == 0) t->stress_skip = true;
      else mark_bad(t, lineno, "`// stress:` takes `skip`");
    } else if ((v = directive(line, "// leaks:"))) {
      if (strncmp(v, "allowed", 7) == 0) t->leaks_allowed = true;
      else mark_bad(t, lineno, "`// leaks:` takes `allowed`");
    } else if ((v = directive(line, "// exit:"))) {
      char *num_end;
      long n = strtol(v, &num_end, 10);
      if (num_end == v || n < 0 || n > 255) mark_bad(t, lineno, "`// exit:` takes a number 0..255");
      t->exit_code = (int)n;
    }
    free(line);
  }
  if (t->rt_error && t->nerrs) mark_bad(t, t->rt_line, "a test cannot expect both a runtime and a compile error");
  if (t->cmd.n && (t->rt_error || t->nerrs))
    mark_bad(t, 0, "a `// cmd:` test checks stdout, stderr and `// exit:` only");
  if (t->exit_code >= 0 && (t->rt_error || t->nerrs))
    mark_bad(t, 0, "`// exit:` is only for tests that expect neither a runtime nor a compile error");
  free(src.data);
}

static bool is_syntax_code(const char *code) { return starts_with(code, "L01"); }

// ---- running one process ---------------------------------------------------------

typedef struct Run {
  Buf out, err;
  int status;        // from waitpid
  bool timed_out;
  bool exec_failed;
} Run;

static volatile sig_atomic_t current_child;  // the worker's running lab, for SIGINT

static void on_interrupt(int sig) {
  if (current_child > 0) kill(-(pid_t)current_child, SIGKILL);
  _exit(128 + sig);
}

// Runs argv[0] with argv, feeding it `in` (or /dev/null when in is NULL),
// capturing stdout and stderr completely, killing it (and its process group)
// after opt_timeout seconds.
static void run_process(char **argv, const Buf *in, Run *r) {
  memset(r, 0, sizeof *r);
  int outp[2], errp[2], inp[2] = {-1, -1};
  if (pipe(outp) || pipe(errp)) die("pipe: %s", strerror(errno));
  if (in && pipe(inp)) die("pipe: %s", strerror(errno));
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);  // so a timeout kills whatever the lab started, too
    int infd = in ? inp[0] : open("/dev/null", O_RDONLY);
    if (infd < 0) _exit(127);
    dup2(infd, 0);
    dup2(outp[1], 1);
    dup2(errp[1], 2);
    if (in) close(inp[1]);
    close(outp[0]);
    close(errp[0]);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    execv(argv[0], argv);
    fprintf(stderr, "runner: cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);  // also here, to win the race with the child
  current_child = pid;
  close(outp[1]);
  close(errp[1]);
  int infd = -1;
  size_t in_off = 0;
  if (in) {
    close(inp[0]);
    infd = inp[1];
    fcntl(infd, F_SETFL, fcntl(infd, F_GETFL) | O_NONBLOCK);
    if (in->len == 0) {
      close(infd);
      infd = -1;
    }
  }
  int outfd = outp[0], errfd = errp[0];
  double deadline = now_sec() + opt_timeout;
  bool killed = false;
  char chunk[65536];
  while (outfd >= 0 || errfd >= 0 || infd >= 0) {
    struct pollfd fds[3];
    int nfds = 0, io = -1, ie = -1, ii = -1;
    if (outfd >= 0) { io = nfds; fds[nfds].fd = outfd; fds[nfds++].events = POLLIN; }
    if (errfd >= 0) { ie = nfds; fds[nfds].fd = errfd; fds[nfds++].events = POLLIN; }
    if (infd >= 0) { ii = nfds; fds[nfds].fd = infd; fds[nfds++].events = POLLOUT; }
    double left = deadline - now_sec();
    if (left <= 0 && !killed) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      killed = r->timed_out = true;
      deadline = now_sec() + 5;  // grace period to drain the pipes
      continue;
    }
    if (left <= 0 && killed) break;  // something outside the group holds a pipe
    int ms = (int)(left * 1000) + 1;
    int n = poll(fds, (nfds_t)nfds, ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("poll: %s", strerror(errno));
    }
    if (io >= 0 && fds[io].revents) {
      ssize_t k = read(outfd, chunk, sizeof chunk);
      if (k > 0) buf_put(&r->out, chunk, (size_t)k);
      else if (k == 0 || errno != EINTR) { close(outfd); outfd = -1; }
    }
    if (ie >= 0 && fds[ie].revents) {
      ssize_t k = read(errfd, chunk, sizeof chunk);
      if (k > 0) buf_put(&r->err, chunk, (size_t)k);
      else if (k == 0 || errno != EINTR) { close(errfd); errfd = -1; }
    }
    if (ii >= 0 && fds[ii].revents) {
      ssize_t k = write(infd, in->data + in_off, in->len - in_off);
      if (k > 0) in_off += (size_t)k;
      if ((k < 0 && errno != EAGAIN && errno != EINTR) || in_off == in->len) {
        close(infd);  // done, or the lab stopped reading (EPIPE)
        infd = -1;
      }
    }
  }
  if (outfd >= 0) close(outfd);
  if (errfd >= 0) close(errfd);
  if (infd >= 0) close(infd);
  // The pipes are closed; wait for the exit, still under the deadline.
  for (;;) {
    pid_t w = waitpid(pid, &r->status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) die("waitpid: %s", strerror(errno));
    if (now_sec() > deadline && !killed) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      killed = r->timed_out = true;
    }
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  current_child = 0;
  if (!r->out.data) buf_put(&r->out, "", 0);
  if (!r->err.data) buf_put(&r->err, "", 0);
  if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 127 &&
      strstr(r->err.data, "runner: cannot execute "))
    r->exec_failed = true;
}

static void free_run(Run *r) {
  free(r->out.data);
  free(r->err.data);
}

// ---- judging a run -------------------------------------------------------------

// Appends s (n bytes) to b for display: quoted, control bytes escaped, long
// text cut with a note (display only; comparisons always use the full text).
static void put_shown(Buf *b, const char *s, size_t n) {
  size_t lim = n > 200 ? 200 : n;
  buf_puts(b, "\"");
  for (size_t i = 0; i < lim; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') buf_printf(b, "\\%c", c);
    else if (c == '\n') buf_puts(b, "\\n");
    else if (c == '\t') buf_puts(b, "\\t");
    else if (c < 0x20 || c == 0x7f) buf_printf(b, "\\x%02x", c);
    else buf_put(b, (const char *)&s[i], 1);
  }
  buf_puts(b, "\"");
  if (lim < n) buf_printf(b, "... (%zu more bytes)", n - lim);
}

// Text split into lines (without their '\n'); a final newline does not start
// another line. The lines point into the text.
typedef struct Line {
  const char *s;
  size_t n;
} Line;

typedef struct Lines {
  Line *v;
  int n;
} Lines;

static Lines split_lines(const Buf *b) {
  Lines ls = {0};
  const char *p = buf_str(b), *end = p + b->len;
  int cap = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    if (ls.n == cap) {
      cap = cap ? cap * 2 : 16;
      ls.v = xrealloc(ls.v, sizeof(Line) * (size_t)cap);
    }
    ls.v[ls.n].s = p;
    ls.v[ls.n++].n = (size_t)(e - p);
    p = nl ? nl + 1 : end;
  }
  return ls;
}

static bool line_is(Line l, const char *s) { return l.n == strlen(s) && memcmp(l.s, s, l.n) == 0; }

// Explains how got differs from want (stdout), first differing line first.
static void explain_stdout(Buf *msg, const Buf *want, const Buf *got) {
  Lines w = split_lines(want), g = split_lines(got);
  int i = 0;
  while (i < w.n && i < g.n && w.v[i].n == g.v[i].n && memcmp(w.v[i].s, g.v[i].s, w.v[i].n) == 0) i++;
  if (i == w.n && i == g.n) {
    // Same lines: only a final newline differs.
    buf_printf(msg, "    stdout differs at the end: expected %s final newline\n",
               (want->len && want->data[want->len - 1] == '\n') ? "a" : "no");
  } else {
    buf_printf(msg, "    stdout line %d:\n      expected ", i + 1);
    if (i < w.n) put_shown(msg, w.v[i].s, w.v[i].n);
    else buf_puts(msg, "<end of output>");
    buf_puts(msg, "\n      got      ");
    if (i < g.n) put_shown(msg, g.v[i].s, g.v[i].n);
    else buf_puts(msg, "<end of output>");
    buf_printf(msg, "\n      (expected %d lines, got %d)\n", w.n, g.n);
  }
  free(w.v);
  free(g.v);
}

// The last `max` lines of stderr, indented, for a failure report.
static void stderr_excerpt(Buf *msg, const Buf *err, int max) {
  if (err->len == 0) {
    buf_puts(msg, "    stderr: (empty)\n");
    return;
  }
  Lines ls = split_lines(err);
  int from = ls.n > max ? ls.n - max : 0;
  buf_printf(msg, "    stderr%s:\n", from ? " (last lines)" : "");
  for (int i = from; i < ls.n; i++) {
    size_t n = ls.v[i].n;
    buf_puts(msg, "      | ");
    buf_put(msg, ls.v[i].s, n > 300 ? 300 : n);
    if (n > 300) buf_puts(msg, "...");
    buf_puts(msg, "\n");
  }
  free(ls.v);
}

static void describe_status(Buf *msg, const Run *r) {
  if (r->timed_out) buf_printf(msg, "timed out after %g s", opt_timeout);
  else if (WIFSIGNALED(r->status))
    buf_printf(msg, "killed by signal %d (%s)", WTERMSIG(r->status), strsignal(WTERMSIG(r->status)));
  else buf_printf(msg, "exit code %d", WEXITSTATUS(r->status));
}

// Sanitizer reports fail a test whatever its exit code (test-asan).
static const char *sanitizer_report(const Buf *err) {
  static const char *marks[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                "SUMMARY: UndefinedBehaviorSanitizer", "SUMMARY: AddressSanitizer"};
  for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
    if (strstr(buf_str(err), marks[i])) return marks[i];
  return NULL;
}

// Checks what every run needs; returns false (with a message) on a timeout,
// a signal, a failed exec or a sanitizer report.
static bool check_basics(Buf *msg, const Run *r) {
  if (r->exec_failed) {
    buf_puts(msg, "could not execute the lab\n");
    stderr_excerpt(msg, &r->err, 3);
    return false;
  }
  if (r->timed_out || WIFSIGNALED(r->status)) {
    describe_status(msg, r);
    buf_puts(msg, "\n");
    stderr_excerpt(msg, &r->err, 8);
    return false;
  }
  const char *san = sanitizer_report(&r->err);
  if (san) {
    buf_printf(msg, "sanitizer report (%s)\n", san);
    stderr_excerpt(msg, &r->err, 20);
    return false;
  }
  return true;
}

static bool check_exit(Buf *msg, const Run *r, int want) {
  if (WEXITSTATUS(r->status) == want) return true;
  buf_printf(msg, "expected exit code %d, got ", want);
  describe_status(msg, r);
  buf_puts(msg, "\n");
  return false;
}

static bool check_stdout(Buf *msg, const Run *r, const Buf *want) {
  if (r->out.len == want->len && memcmp(buf_str(&r->out), buf_str(want), want->len) == 0)
    return true;
  buf_puts(msg, "stdout differs\n");
  explain_stdout(msg, want, &r->out);
  return false;
}

// Parses `  File "PATH", line N, in FN`; returns N or -1, and the path.
static int traceback_file_line(Line l, char **path) {
  const char *pre = "  File \"", *li = ", line ";
  size_t pl = strlen(pre);
  const char *end = l.s + l.n;
  if (l.n < pl || memcmp(l.s, pre, pl) != 0) return -1;
  const char *q = memchr(l.s + pl, '"', l.n - pl);
  if (!q) return -1;
  const char *rest = q + 1;
  if ((size_t)(end - rest) < strlen(li) || strncmp(rest, li, strlen(li)) != 0) return -1;
  rest += strlen(li);
  if (rest >= end || !isdigit((unsigned char)*rest)) return -1;
  int line = 0;
  while (rest < end && isdigit((unsigned char)*rest) && line < 100000000) line = line * 10 + (*rest++ - '0');
  *path = xstrndup(l.s + pl, (size_t)(q - (l.s + pl)));
  return line;
}

// interp: stderr is a traceback ending in TEXT whose innermost frame (its
// last `File` line) is on the directive's line, in this file.
static bool check_traceback(Buf *msg, const Test *t, const Run *r) {
  const char *head = "Traceback (most recent call last):";
  Lines ls = split_lines(&r->err);
  bool ok = true;
  if (ls.n == 0 || !line_is(ls.v[0], head)) {
    buf_printf(msg, "expected a traceback on stderr (first line \"%s\")\n", head);
    ok = false;
  } else if (!line_is(ls.v[ls.n - 1], t->rt_error)) {
    buf_puts(msg, "wrong error:\n      expected ");
    put_shown(msg, t->rt_error, strlen(t->rt_error));
    buf_puts(msg, "\n      got      ");
    put_shown(msg, ls.v[ls.n - 1].s, ls.v[ls.n - 1].n);
    buf_puts(msg, "\n");
    ok = false;
  } else {
    int fline = -1;
    char *fpath = NULL;
    for (int i = ls.n - 1; i > 0 && fline < 0; i--) fline = traceback_file_line(ls.v[i], &fpath);
    if (fline < 0) {
      buf_puts(msg, "traceback has no `  File \"PATH\", line N, in FN` line\n");
      ok = false;
    } else if (fline != t->rt_line) {
      buf_printf(msg, "error raised at line %d, expected line %d\n", fline, t->rt_line);
      ok = false;
    } else if (strcmp(fpath, t->path) != 0) {
      buf_printf(msg, "traceback names file \"%s\", expected \"%s\"\n", fpath, t->path);
      ok = false;
    }
    free(fpath);
  }
  if (!ok) stderr_excerpt(msg, &r->err, 8);
  free(ls.v);
  return ok;
}

// native: stderr's last line is `panic at PATH:N:COL: TEXT`.
static bool check_panic(Buf *msg, const Test *t, const Run *r) {
  Lines ls = split_lines(&r->err);
  Buf pre = {0};
  buf_printf(&pre, "panic at %s:%d:", t->path, t->rt_line);
  bool ok = false;
  if (ls.n > 0) {
    Line last = ls.v[ls.n - 1];
    const char *end = last.s + last.n;
    if (last.n > pre.len && memcmp(last.s, pre.data, pre.len) == 0) {
      const char *p = last.s + pre.len, *col = p;
      while (p < end && isdigit((unsigned char)*p)) p++;
      size_t tl = strlen(t->rt_error);
      ok = p > col && (size_t)(end - p) == tl + 2 && p[0] == ':' && p[1] == ' ' &&
           memcmp(p + 2, t->rt_error, tl) == 0;
    }
  }
  if (!ok) {
    buf_printf(msg, "expected stderr to end with \"%sCOL: %s\"\n", pre.data, t->rt_error);
    stderr_excerpt(msg, &r->err, 8);
  }
  free(pre.data);
  free(ls.v);
  return ok;
}

static int cmp_marks(const void *a, const void *b) {
  const ErrMark *x = a, *y = b;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  return strcmp(x->code, y->code);
}

// Compile errors: every `error[CODE]: …` followed by ` --> PATH:LINE:COL`
// gives one (CODE, LINE) pair; the set must equal the expected one. (A
// code-less `error: …` line counts only when a `-->` line follows it, so
// rustc's closing "could not compile" line is ignored.)
static bool check_diagnostics(Buf *msg, const Test *t, const Run *r, bool syntax_only, bool hybrid) {
  ErrMark *want = NULL, *got = NULL;
  int nwant = 0, ngot = 0;
  const ErrMark *marks = hybrid && t->nhy_errs ? t->hy_errs : t->errs;
  int nmarks = hybrid && t->nhy_errs ? t->nhy_errs : t->nerrs;
  for (int i = 0; i < nmarks; i++) {
    if (syntax_only && !is_syntax_code(marks[i].code)) continue;
    want = xrealloc(want, sizeof(ErrMark) * (size_t)(nwant + 1));
    want[nwant++] = marks[i];
  }
  Lines ls = split_lines(&r->err);
  Buf why = {0};
  for (int i = 0; i + 1 < ls.n; i++) {
    Line l = ls.v[i];
    char *code;
    if (l.n > 6 && memcmp(l.s, "error[", 6) == 0) {
      const char *close = memchr(l.s, ']', l.n);
      if (!close) continue;
      code = xstrndup(l.s + 6, (size_t)(close - (l.s + 6)));
    } else if (l.n >= 6 && memcmp(l.s, "error:", 6) == 0) {
      code = xstrdup("(no code)");
    } else {
      continue;
    }
    const char *a = ls.v[i + 1].s, *aend = a + ls.v[i + 1].n;
    while (a < aend && *a == ' ') a++;
    if (aend - a < 4 || strncmp(a, "--> ", 4) != 0) {
      free(code);
      continue;
    }
    a += 4;
    // PATH:LINE:COL, parsed from the right: PATH may contain ':'.
    const char *c2 = aend;
    while (c2 > a && c2[-1] != ':') c2--;            // c2: start of COL
    const char *c1 = c2 > a ? c2 - 1 : a;
    while (c1 > a && c1[-1] != ':') c1--;            // c1: start of LINE
    int line = c1 > a ? atoi(c1) : -1;
    size_t plen = c1 > a ? (size_t)(c1 - 1 - a) : 0;
    if (line <= 0) {
      buf_printf(&why, "    cannot read the location of error[%s] (stderr line %d)\n", code, i + 2);
    } else if (plen != strlen(t->path) || memcmp(a, t->path, plen) != 0) {
      buf_printf(&why, "    error[%s] names file \"%.*s\", expected \"%s\"\n", code, (int)plen, a, t->path);
    }
    got = xrealloc(got, sizeof(ErrMark) * (size_t)(ngot + 1));
    got[ngot].code = code;
    got[ngot++].line = line;
  }
  qsort(want, (size_t)nwant, sizeof *want, cmp_marks);
  qsort(got, (size_t)ngot, sizeof *got, cmp_marks);
  // Walk both sorted lists: report what is missing and what is extra.
  int i = 0, j = 0;
  while (i < nwant || j < ngot) {
    int c = i >= nwant ? 1 : j >= ngot ? -1 : cmp_marks(&want[i], &got[j]);
    if (c == 0) {
      i++, j++;
    } else if (c < 0) {
      buf_printf(&why, "    missing    error[%s] on line %d\n", want[i].code, want[i].line);
      i++;
    } else {
      buf_printf(&why, "    unexpected error[%s] on line %d\n", got[j].code, got[j].line);
      j++;
    }
  }
  bool ok = why.len == 0;
  if (!ok) {
    buf_puts(msg, "compile errors differ\n");
    buf_puts(msg, why.data);
    stderr_excerpt(msg, &r->err, 12);
  }
  free(why.data);
  for (int k = 0; k < ngot; k++) free(got[k].code);
  free(got);
  free(want);
  free(ls.v);
  return ok;
}

// ---- one test in one mode ---------------------------------------------------------

typedef enum { R_PASS = 'P', R_FAIL = 'F', R_SKIP = 'S' } Result;

static char **build_argv(const char *lab, const Test *t, const char *mode) {
  StrVec a = {0};
  vec_push(&a, (char *)lab);
  if (t->is_corpus) {
    vec_push(&a, "parse");
    vec_push(&a, t->path);
  } else if (t->cmd.n) {
    for (int i = 0; i < t->cmd.n; i++) vec_push(&a, strcmp(t->cmd.v[i], "{file}") == 0 ? t->path : t->cmd.v[i]);
  } else {
    vec_push(&a, "run");
    Buf m = {0};
    buf_printf(&m, "--mode=%s", mode);
    vec_push(&a, m.data);  // leaked with the worker, which exits soon
    for (int i = 0; i < opt_run_flags.n; i++) vec_push(&a, opt_run_flags.v[i]);
    for (int i = 0; i < t->flags.n; i++) vec_push(&a, t->flags.v[i]);
    vec_push(&a, t->path);
    if (t->args.n) {
      vec_push(&a, "--");
      for (int i = 0; i < t->args.n; i++) vec_push(&a, t->args.v[i]);
    }
  }
  vec_push(&a, NULL);
  return a.v;
}

// Decides whether the test runs in this mode; fills what it must do.
typedef struct Plan {
  bool skip;
  bool compile_error, syntax_only;  // expect exit 2 and these diagnostics
  bool runtime_error;               // expect exit 1 and a traceback / panic
  const Buf *stdout_want;
  int exit_want;
} Plan;

// Hybrid mode (docs/hybrid.md) runs the tests that have #[native]
// functions, with native mode's expectations: the program native mode
// accepts prints the same in all three modes. `// hybrid error: CODE` marks
// what only hybrid mode rejects (a #[native] function calling one that is
// not, say).
static Plan plan_for(const Test *t, const char *mode) {
  Plan p = {0};
  bool interp = strcmp(mode, "interp") == 0, hybrid = strcmp(mode, "hybrid") == 0;
  bool only_this = interp ? t->only_interp : hybrid ? t->only_hybrid : t->only_native;
  if ((t->only_interp || t->only_native || t->only_hybrid) && !only_this) {
    p.skip = true;
    return p;
  }
  if (hybrid && (!t->has_native_fn || t->cmd.n)) {
    p.skip = true;
    return p;
  }
  if (hybrid && t->nhy_errs > 0) {
    p.compile_error = true;
    p.exit_want = 2;
    static const Buf none = {0};
    p.stdout_want = &none;
    return p;
  }
  if (opt_stress && t->stress_skip) {
    p.skip = true;
    return p;
  }
  int nsyntax = 0;
  for (int i = 0; i < t->nerrs; i++) nsyntax += is_syntax_code(t->errs[i].code);
  static const Buf empty = {0};
  if (t->cmd.n) {
    // A command test (`// cmd:`) does not depend on the mode: run it once.
    p.skip = !interp;
    p.exit_want = t->exit_code >= 0 ? t->exit_code : 0;
    p.stdout_want = &t->expect_out;
  } else if (nsyntax > 0) {
    // A file with syntax errors stops before type checking, in every mode.
    p.compile_error = p.syntax_only = true;
    p.exit_want = 2;
    p.stdout_want = &empty;
  } else if (t->nerrs > 0 && !interp) {
    p.compile_error = true;
    p.exit_want = 2;
    p.stdout_want = &empty;
  } else if (t->nerrs > 0) {
    // Native-only checks: interp runs the program anyway, if told what to expect.
    if (!t->has_interp_expect) p.skip = true;
    p.stdout_want = &t->interp_out;
    p.exit_want = 0;
  } else if (t->rt_error) {
    p.runtime_error = true;
    p.exit_want = 1;
    p.stdout_want = &t->expect_out;
  } else {
    p.exit_want = t->exit_code >= 0 ? t->exit_code : 0;
    p.stdout_want = &t->expect_out;
  }
  return p;
}

static Result run_test(const Test *t, const char *mode, Buf *msg) {
  if (t->bad) {
    buf_printf(msg, "%s\n", t->bad);
    return R_FAIL;
  }
  Run r;
  if (t->is_corpus) {
    char **argv = build_argv(opt_lab, t, mode);
    run_process(argv, NULL, &r);
    free(argv);
    Result res = R_PASS;
    if (!check_basics(msg, &r)) res = R_FAIL;
    else if (WEXITSTATUS(r.status) != 0 && WEXITSTATUS(r.status) != 2 &&
             !(WEXITSTATUS(r.status) == 3 && strstr(buf_str(&r.err), "looks like a binary file, not Toy source"))) {
      buf_printf(msg, "`lab parse` must exit 0 or 2 (or 3 for a binary file), got exit code %d\n",
                 WEXITSTATUS(r.status));
      stderr_excerpt(msg, &r.err, 8);
      res = R_FAIL;
    }
    free_run(&r);
    return res;
  }
  Plan p = plan_for(t, mode);
  if (p.skip) return R_SKIP;
  // Debug builds check for leaked objects at exit when this is set; each
  // test runs in its own worker process, so setting it here is local.
  if (t->leaks_allowed) unsetenv("LAB_CHECK_LEAKS");
  else setenv("LAB_CHECK_LEAKS", "1", 1);
  for (int i = 0; i < t->env.n; i++) putenv(t->env.v[i]);  // stays valid: the worker exits
  const Buf *in = t->has_stdin ? &t->stdin_data : NULL;
  char **argv = build_argv(opt_lab, t, mode);
  run_process(argv, in, &r);
  free(argv);
  bool ok = check_basics(msg, &r);
  if (ok) {
    bool exit_ok = check_exit(msg, &r, p.exit_want);
    bool out_ok = check_stdout(msg, &r, p.stdout_want);
    ok = exit_ok && out_ok;
    if (exit_ok && p.compile_error)
      ok = check_diagnostics(msg, t, &r, p.syntax_only, strcmp(mode, "hybrid") == 0) && ok;
    else if (exit_ok && p.runtime_error)
      ok = (strcmp(mode, "native") != 0 ? check_traceback(msg, t, &r) : check_panic(msg, t, &r)) && ok;
    else if (!ok) stderr_excerpt(msg, &r.err, 8);
    for (int i = 0; i < t->stderr_has.n; i++) {
      if (!strstr(buf_str(&r.err), t->stderr_has.v[i])) {
        if (ok) stderr_excerpt(msg, &r.err, 8);
        buf_printf(msg, "stderr should contain: %s\n", t->stderr_has.v[i]);
        ok = false;
      }
    }
  }
  free_run(&r);
  // Leak check: the debug build exits 70 when objects are still alive.
  if (ok && opt_debug_lab && strcmp(mode, "native") != 0 && p.exit_want == 0 && !t->cmd.n &&
      !p.compile_error && !p.runtime_error && !t->leaks_allowed) {
    argv = build_argv(opt_debug_lab, t, mode);
    run_process(argv, in, &r);
    free(argv);
    Buf sub = {0};
    bool dok = check_basics(&sub, &r);
    if (dok) {
      bool e = check_exit(&sub, &r, 0);
      bool o = check_stdout(&sub, &r, p.stdout_want);
      dok = e && o;
      if (!dok) stderr_excerpt(&sub, &r.err, 8);
    }
    if (!dok) {
      buf_printf(msg, "leak check (debug build %s) failed: ", opt_debug_lab);
      buf_puts(msg, buf_str(&sub));
      ok = false;
    }
    free(sub.data);
    free_run(&r);
  }
  return ok ? R_PASS : R_FAIL;
}

// ---- scheduling: one forked worker per job, at most opt_jobs at a time -------------

typedef struct Job {
  int test;
  const char *mode;   // "interp", "native", or "parse" for corpus files
  pid_t pid;
  int fd;
  Buf report;         // status byte + message, as sent by the worker
  bool done;
  Result res;
} Job;

static void finish_job(Job *j) {
  int st;
  while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR) {}
  if (j->report.len == 0 || !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
    Buf m = {0};
    buf_printf(&m, "F");
    buf_printf(&m, "the runner's worker died (%s %d)\n", WIFSIGNALED(st) ? "signal" : "exit",
               WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    free(j->report.data);
    j->report = m;
  }
  j->res = (Result)j->report.data[0];
  j->done = true;
}

static void start_job(Job *j) {
  int p[2];
  if (pipe(p)) die("pipe: %s", strerror(errno));
  set_cloexec(p[0]);
  set_cloexec(p[1]);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    close(p[0]);
    signal(SIGINT, on_interrupt);
    signal(SIGTERM, on_interrupt);
    Buf msg = {0};
    Result res = run_test(&tests[j->test], j->mode, &msg);
    char c = (char)res;
    Buf all = {0};
    buf_put(&all, &c, 1);
    buf_put(&all, buf_str(&msg), msg.len);
    size_t off = 0;
    while (off < all.len) {
      ssize_t k = write(p[1], all.data + off, all.len - off);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) _exit(1);
      off += (size_t)k;
    }
    _exit(0);
  }
  close(p[1]);
  j->pid = pid;
  j->fd = p[0];
}

static void print_job(const Job *j) {
  const Test *t = &tests[j->test];
  if (j->res == R_FAIL) {
    printf("FAIL %s [%s]: %s", t->path, j->mode, j->report.data + 1);
    if (j->report.len > 1 && j->report.data[j->report.len - 1] != '\n') printf("\n");
  } else if (opt_verbose && j->res == R_PASS) {
    printf("pass %s [%s]\n", t->path, j->mode);
  } else if (opt_verbose && j->res == R_SKIP) {
    printf("skip %s [%s]\n", t->path, j->mode);
  }
  fflush(stdout);
}

static void usage(void) {
  fprintf(stderr,
          "usage: runner --lab LAB [--debug-lab LAB] [--modes interp,native,hybrid] [--run-flag FLAG]... [-v] [--stress]\n"
          "              [--filter SUBSTR] [-j N] [--timeout SECS] DIR|FILE...\n");
  exit(2);
}

static void check_executable(const char *what, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) die("%s %s does not exist (build it with `make`)", what, path);
  if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) die("%s %s is not an executable file", what, path);
}

int main(int argc, char **argv) {
  StrVec roots = {0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (strcmp(a, "--lab") == 0 && more) opt_lab = argv[++i];
    else if (strcmp(a, "--debug-lab") == 0 && more) opt_debug_lab = argv[++i];
    else if (strcmp(a, "--run-flag") == 0 && more) vec_push(&opt_run_flags, argv[++i]);
    else if (strcmp(a, "--modes") == 0 && more) {
      StrVec m = {0};
      split_words(&m, argv[++i], true);
      opt_interp = opt_native = opt_hybrid = false;
      for (int k = 0; k < m.n; k++) {
        if (strcmp(m.v[k], "interp") == 0) opt_interp = true;
        else if (strcmp(m.v[k], "native") == 0) opt_native = true;
        else if (strcmp(m.v[k], "hybrid") == 0) opt_hybrid = true;
        else die("unknown mode `%s` (interp, native, hybrid)", m.v[k]);
        free(m.v[k]);
      }
      free(m.v);
      if (!opt_interp && !opt_native && !opt_hybrid) die("--modes needs interp, native and/or hybrid");
    } else if (strcmp(a, "-v") == 0) opt_verbose = true;
    else if (strcmp(a, "--stress") == 0) opt_stress = true;
    else if (strcmp(a, "--filter") == 0 && more) opt_filter = argv[++i];
    else if (strcmp(a, "-j") == 0 && more) opt_jobs = atoi(argv[++i]);
    else if (starts_with(a, "-j") && isdigit((unsigned char)a[2])) opt_jobs = atoi(a + 2);
    else if (strcmp(a, "--timeout") == 0 && more) opt_timeout = atof(argv[++i]);
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) usage();
    else if (a[0] == '-') {
      fprintf(stderr, "runner: unknown option %s\n", a);
      usage();
    } else vec_push(&roots, (char *)a);
  }
  if (!opt_lab || roots.n == 0) usage();
  if (opt_timeout <= 0) die("--timeout must be positive");
  check_executable("the lab", opt_lab);
  if (opt_debug_lab) check_executable("the debug lab", opt_debug_lab);
  if (opt_jobs <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    opt_jobs = n > 0 ? (int)n : 1;
  }
  signal(SIGPIPE, SIG_IGN);

  for (int i = 0; i < roots.n; i++) {
    char *r = xstrdup(roots.v[i]);
    for (size_t n = strlen(r); n > 1 && r[n - 1] == '/'; n--) r[n - 1] = '\0';
    const char *base = strrchr(r, '/');
    walk(r, strcmp(base ? base + 1 : r, "corpus") == 0);
    free(r);
  }
  qsort(tests, (size_t)ntests, sizeof *tests, cmp_tests);

  // One job per (file, mode); corpus files once, as "parse".
  Job *jobs = NULL;
  int njobs = 0;
  for (int i = 0; i < ntests; i++) {
    Test *t = &tests[i];
    if (opt_filter && !strstr(t->path, opt_filter)) continue;
    if (!t->is_corpus) parse_directives(t);
    const char *modes[3];
    int nm = 0;
    if (t->is_corpus) modes[nm++] = "parse";
    else {
      if (opt_interp) modes[nm++] = "interp";
      if (opt_native) modes[nm++] = "native";
      if (opt_hybrid && (t->has_native_fn || t->only_hybrid) && !t->cmd.n) modes[nm++] = "hybrid";
    }
    for (int k = 0; k < nm; k++) {
      jobs = xrealloc(jobs, sizeof(Job) * (size_t)(njobs + 1));
      memset(&jobs[njobs], 0, sizeof(Job));
      jobs[njobs].test = i;
      jobs[njobs].mode = modes[k];
      jobs[njobs].fd = -1;
      njobs++;
    }
  }
  if (njobs == 0) fprintf(stderr, "runner: warning: no tests found\n");

  // Run: keep up to opt_jobs workers busy; print reports in job order.
  int next_start = 0, next_print = 0, running = 0;
  int passed = 0, failed = 0, skipped = 0;
  struct pollfd *pfds = xrealloc(NULL, sizeof(struct pollfd) * (size_t)opt_jobs);
  int *pjob = xrealloc(NULL, sizeof(int) * (size_t)opt_jobs);
  while (next_print < njobs) {
    while (running < opt_jobs && next_start < njobs) {
      start_job(&jobs[next_start++]);
      running++;
    }
    int np = 0;
    for (int k = next_print; k < next_start && np < opt_jobs; k++)
      if (jobs[k].fd >= 0) {
        pfds[np].fd = jobs[k].fd;
        pfds[np].events = POLLIN;
        pjob[np++] = k;
      }
    if (np > 0) {
      if (poll(pfds, (nfds_t)np, -1) < 0) {
        if (errno == EINTR) continue;
        die("poll: %s", strerror(errno));
      }
      for (int k = 0; k < np; k++) {
        if (!pfds[k].revents) continue;
        Job *j = &jobs[pjob[k]];
        char chunk[65536];
        ssize_t n = read(j->fd, chunk, sizeof chunk);
        if (n > 0) {
          buf_put(&j->report, chunk, (size_t)n);
        } else if (n == 0 || errno != EINTR) {
          close(j->fd);
          j->fd = -1;
          finish_job(j);
          running--;
        }
      }
    }
    while (next_print < next_start && jobs[next_print].done) {
      Job *j = &jobs[next_print++];
      print_job(j);
      if (j->res == R_PASS) passed++;
      else if (j->res == R_FAIL) failed++;
      else skipped++;
      free(j->report.data);
    }
  }
  free(pfds);
  free(pjob);
  free(jobs);
  free(roots.v);
  for (int i = 0; i < ntests; i++) free_test(&tests[i]);
  free(tests);
  if (skipped) printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  else printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
