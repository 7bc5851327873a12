// rt_core.c — the native runtime's machinery (runtime/native/toyrt.h): counted
// allocation, panics, buffered stdout, the stack-overflow handler, threads and
// main(), which runs the generated program's toy_main().
//
// Notes about the implementation.
// - Counting is compiled in only with RT_COUNTED — the runtime that `lab run
//   --stats`, `lab compare`'s counted run and the test suite's leak check
//   (LAB_CHECK_LEAKS) link — as interp's counters are only in the counted
//   lab. There every block carries a 16-byte header with its size, so rt_free
//   needs no size from the generated code and the live-byte count stays
//   exact; the counters are relaxed atomics: threads allocate concurrently,
//   and nothing orders by them — they are read at exit, after every thread
//   was joined. Without RT_COUNTED (plain runs, `lab build`: what is timed)
//   an allocation is malloc's, and nothing more.
// - stdout is the runtime's own 64 KiB buffer written with write(2), under a
//   mutex, rather than stdio's: the stack-overflow handler can then flush it
//   with async-signal-safe calls only.
// - Stack overflow: each thread runs with an alternate signal stack, and the
//   SIGSEGV/SIGBUS handler checks that the faulting address lies in (or just
//   below) the faulting thread's stack. Any other fault is a bug in the
//   runtime or the generator, not the program's recursion: it is re-raised
//   with the default action rather than reported as something it is not.
#define _GNU_SOURCE  // pthread_getattr_np: the bounds of the main thread's stack
#include "toyrt.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rt_argc_;      // the program's arguments, for rt_args (rt_builtins.c)
char **rt_argv_;
static _Thread_local int thread_no;  // 0 in main; 1, 2… in spawned threads (rt_spawn)
#ifdef RT_COUNTED
static void write_counts(void);
#define PANIC_COUNTS() write_counts()
#else
#define PANIC_COUNTS() ((void)0)
#endif

// ---- allocation ---------------------------------------------------------------------
#ifdef RT_COUNTED
#ifdef RT_LIBRARY
// A hybrid library's counted runtime keeps every live block on one list: a
// panic leaves the compiled frames' values behind (docs/hybrid.md), and the
// list keeps them reachable and counted (rt_live_allocations) rather than
// lost, until the program, which the panic is ending, exits.
typedef union Header {
  struct {
    size_t size;
    union Header *prev, *next;
  };
  max_align_t align;
} Header;
static Header live_list = {.prev = &live_list, .next = &live_list};
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static void live_link(Header *h) {
  pthread_mutex_lock(&live_lock);
  h->prev = &live_list;
  h->next = live_list.next;
  live_list.next->prev = h;
  live_list.next = h;
  pthread_mutex_unlock(&live_lock);
}
static void live_unlink(Header *h) {
  pthread_mutex_lock(&live_lock);
  h->prev->next = h->next;
  h->next->prev = h->prev;
  pthread_mutex_unlock(&live_lock);
}
#else
typedef union Header {
  size_t size;
  max_align_t align;  // keeps the block after the header aligned for anything
} Header;
#define live_link(h) ((void)0)
#define live_unlink(h) ((void)0)
#endif

static atomic_llong n_allocs, n_frees, n_bytes, n_live_bytes, n_peak;

// ---- costs per line (toyrt.h RT_LINE): each thread its own rows ----
#ifdef RT_LINES_COUNTED
_Thread_local int rt_line;
_Thread_local rt_line_counts *rt_line_rows;
int rt_nlines;
enum { LINE_THREADS = 64 };  // threads kept apart; later ones share the last slot
static rt_line_counts *line_tables[LINE_THREADS];
static pthread_mutex_t line_mutex = PTHREAD_MUTEX_INITIALIZER;

rt_line_counts *rt_line_rows_(void) {
  int slot = thread_no < LINE_THREADS ? thread_no : LINE_THREADS - 1;
  pthread_mutex_lock(&line_mutex);
  if (!line_tables[slot]) {
    // Not rt_alloc: the rows are the counting's, not the program's.
    line_tables[slot] = calloc((size_t)rt_nlines + 1, sizeof(rt_line_counts));
    if (!line_tables[slot]) rt_panic_oom();
  }
  rt_line_rows = line_tables[slot];
  pthread_mutex_unlock(&line_mutex);
  return rt_line_rows;
}

// The line file of docs/profile.md, read by `lab profile`.
static void write_lines(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) return;
  fprintf(f, "lab-lines 1 native %d\nfields allocs frees bytes list_regrowths clones bounds_checks overflow_checks\n",
          rt_nlines);
  for (int t = 0; t < LINE_THREADS; t++) {
    rt_line_counts *rows = line_tables[t];
    for (int l = 0; rows && l <= rt_nlines; l++) {
      const rt_line_counts *r = &rows[l];
      if (!(r->allocs | r->frees | r->bytes | r->list_regrowths | r->clones | r->bounds_checks | r->overflow_checks))
        continue;
      fprintf(f, "%d %d %lld %lld %lld %lld %lld %lld %lld\n", t, l, (long long)r->allocs, (long long)r->frees,
              (long long)r->bytes, (long long)r->list_regrowths, (long long)r->clones, (long long)r->bounds_checks,
              (long long)r->overflow_checks);
    }
  }
  fclose(f);
}
#endif  // RT_LINES_COUNTED

static void count_growth(int64_t grown) {
  long long live = atomic_fetch_add_explicit(&n_live_bytes, grown, memory_order_relaxed) + grown;
  if (grown > 0) {
    atomic_fetch_add_explicit(&n_bytes, grown, memory_order_relaxed);
    RT_LINE_COUNT(bytes, grown);
    long long peak = atomic_load_explicit(&n_peak, memory_order_relaxed);
    while (live > peak &&
           !atomic_compare_exchange_weak_explicit(&n_peak, &peak, live, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
  }
}

void *rt_alloc(size_t n) {
  if (n > (size_t)PTRDIFF_MAX - sizeof(Header)) rt_panic_oom();
  Header *h = malloc(sizeof(Header) + n);
  if (!h) rt_panic_oom();
  h->size = n;
  live_link(h);
  atomic_fetch_add_explicit(&n_allocs, 1, memory_order_relaxed);
  RT_LINE_COUNT(allocs, 1);
  count_growth((int64_t)n);
  return h + 1;
}

void *rt_realloc(void *p, size_t n) {
  if (!p) return rt_alloc(n);
  if (n > (size_t)PTRDIFF_MAX - sizeof(Header)) rt_panic_oom();
  Header *h = (Header *)p - 1;
  size_t old = h->size;
  live_unlink(h);
  Header *moved = realloc(h, sizeof(Header) + n);
  if (!moved) {
    live_link(h);
    rt_panic_oom();
  }
  h = moved;
  h->size = n;
  live_link(h);
  count_growth((int64_t)n - (int64_t)old);
  return h + 1;
}

void rt_free(void *p) {
  if (!p) return;
  Header *h = (Header *)p - 1;
  live_unlink(h);
  atomic_fetch_add_explicit(&n_frees, 1, memory_order_relaxed);
  RT_LINE_COUNT(frees, 1);
  atomic_fetch_sub_explicit(&n_live_bytes, (long long)h->size, memory_order_relaxed);
#ifdef RT_STRESS
  // `make test-stress`: a freed block is filled with 0xdb, so that a value
  // read after its drop is garbage the program cannot mistake for data.
  memset(p, 0xdb, h->size);
#endif
  free(h);
}

void rt_alloc_stats(RtAllocStats *out) {
  out->allocs = atomic_load(&n_allocs);
  out->frees = atomic_load(&n_frees);
  out->bytes_allocated = atomic_load(&n_bytes);
  out->live_bytes = atomic_load(&n_live_bytes);
  out->peak_live_bytes = atomic_load(&n_peak);
}

int64_t rt_live_allocations(void) { return atomic_load(&n_allocs) - atomic_load(&n_frees); }

#else  // uncounted: malloc's blocks as they are

void *rt_alloc(size_t n) {
  void *p = n <= (size_t)PTRDIFF_MAX ? malloc(n ? n : 1) : NULL;
  if (!p) rt_panic_oom();
  return p;
}

void *rt_realloc(void *p, size_t n) {
  void *q = n <= (size_t)PTRDIFF_MAX ? realloc(p, n ? n : 1) : NULL;
  if (!q) rt_panic_oom();
  return q;
}

void rt_free(void *p) { free(p); }

void rt_alloc_stats(RtAllocStats *out) { memset(out, 0, sizeof *out); }

int64_t rt_live_allocations(void) { return 0; }
#endif

// n * size, or a MemoryError (not a wrap) when it overflows.
static size_t array_bytes(int64_t n, size_t size) {
  size_t total;
  if (n < 0 || __builtin_mul_overflow((size_t)n, size, &total)) rt_panic_oom();
  return total;
}

void *rt_alloc_array(int64_t n, size_t size) { return rt_alloc(array_bytes(n, size)); }

// n * size zero bytes: calloc's pages, which the kernel hands out zeroed
// and only when touched (Rust's alloc_zeroed behind `vec![0; n]`). The
// counted runtime zeroes a counted block instead.
void *rt_alloc_zeroed_array(int64_t n, size_t size) {
  size_t total = array_bytes(n, size);
#ifdef RT_COUNTED
  void *p = rt_alloc(total);
  memset(p, 0, total);
  return p;
#else
  void *p = total <= (size_t)PTRDIFF_MAX ? calloc(total ? total : 1, 1) : NULL;
  if (!p) rt_panic_oom();
  return p;
#endif
}

// ---- stdout -----------------------------------------------------------------------
// Writes all of s (async-signal-safe); false with errno set if a write
// fails. A closed pipe ends the program through SIGPIPE, as it does interp.
static bool write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    s += w;
    n -= (size_t)w;
  }
  return true;
}

// This thread's line being built (toyrt.h rt_print_buf).
static _Thread_local RtBuf print_buf;

RtBuf *rt_print_buf(void) {
  print_buf.len = 0;
  if (print_buf.data) print_buf.data[0] = '\0';
  print_buf.oom = false;
  return &print_buf;
}

#ifdef RT_LIBRARY
// A hybrid library (docs/hybrid.md) prints through the VM's own stdio
// stream, so that the lines of both sides come out in the order they were
// printed; stdio's lock keeps each line whole.

void rt_flush_stdout(void) { fflush(stdout); }

void rt_print_line(RtBuf *b) {
  rtbuf_putc(b, '\n');
  if (b->oom) rt_panic_oom();
  size_t n = fwrite(b->data, 1, b->len, stdout);
  bool failed = n < b->len || ferror(stdout);
  int e = errno;
  if (failed) clearerr(stdout);
  // The threads are the VM's: none ends through this runtime, so the line's
  // buffer is not kept for the next one.
  rtbuf_free(b);
  if (RT_UNLIKELY(failed)) rt_panic(rt_alloc_site, RT_OS, RT_MSG_STDOUT "%s", strerror(e ? e : EIO));
}
#else
#define OUT_CAP (64 * 1024)
static char out_buf[OUT_CAP];
static size_t out_len;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static int out_error;  // errno of the first write to stdout that failed (under out_lock)

static void flush_locked(void) {
  if (out_len && !write_all(1, out_buf, out_len) && !out_error) out_error = errno;
  out_len = 0;
}

// A full disk or a closed stdout (`> /dev/full`, `>&-`) is an error, as in
// Python and interp: OSError at the statement that printed (rt_alloc_site),
// once the buffer is written. e: out_error, read under out_lock.
static void check_stdout(int e) {
  if (RT_UNLIKELY(e)) rt_panic(rt_alloc_site, RT_OS, RT_MSG_STDOUT "%s", strerror(e));
}

void rt_flush_stdout(void) {
  pthread_mutex_lock(&out_lock);
  flush_locked();
  pthread_mutex_unlock(&out_lock);
}


void rt_print_line(RtBuf *b) {
  rtbuf_putc(b, '\n');
  if (b->oom) rt_panic_oom();
  pthread_mutex_lock(&out_lock);
  if (out_len + b->len > OUT_CAP) flush_locked();
  if (b->len > OUT_CAP) {
    if (!write_all(1, b->data, b->len) && !out_error) out_error = errno;
  } else {
    memcpy(out_buf + out_len, b->data, b->len);
    out_len += b->len;
  }
  int e = out_error;
  pthread_mutex_unlock(&out_lock);
  b->len = 0;
  b->data[0] = '\0';
  check_stdout(e);
}

#endif  // RT_LIBRARY

// ---- panics -----------------------------------------------------------------------
static pthread_mutex_t panic_lock = PTHREAD_MUTEX_INITIALIZER;

// This thread's number (0: main) and function, for the panic header.
static _Thread_local const char *thread_name;

// "Exception in thread N (fn):\n" for a spawned thread, into b.
static void thread_header(RtBuf *b) {
  if (thread_no > 0) rtbuf_printf(b, "Exception in thread %d (%s):\n", thread_no, thread_name);
}

// The first thread to panic prints and exits; any other waits here forever
// (the process ends under it). _exit: no atexit work, no other thread's
// stdio state touched.
static void panic_begin(void) {
  pthread_mutex_lock(&panic_lock);
  rt_flush_stdout();
}

#ifdef RT_LIBRARY
// ---- the boundary of a hybrid library (docs/hybrid.md) ----
const LabHost *lab_host;
_Thread_local rt_boundary *rt_boundary_top;

void rt_library_init(const LabHost *h) {
  lab_host = h;
  rt_argc_ = h->argc;
  rt_argv_ = h->argv;
}

// A panic under a boundary: the message is kept here and the compiled code
// is left by longjmp to the wrapper, which raises it in the VM
// (rt_boundary_raise). What the compiled frames owned is not dropped: the
// exception ends the program (Toy has no try), as an unwinding panic would.
static _Thread_local struct {
  RtErrorKind kind;
  const rt_loc *loc;
  char msg[512];
} panic_info;

void rt_boundary_raise(rt_boundary *b) {
  rt_boundary_top = b->prev;
  rt_walk_depth = 0;
  if (b->released) lab_host->take_gil();
  const rt_loc *l = panic_info.loc;
  lab_host->panic((int)panic_info.kind, panic_info.msg, l ? l->file : NULL, l ? l->line : 0, l ? l->col : 0);
}
#endif

// The message is written with one write(2), so that it arrives whole.
void rt_panic(const rt_loc *loc, RtErrorKind kind, const char *fmt, ...) {
  va_list ap;
#ifdef RT_LIBRARY
  if (rt_boundary_top) {
    panic_info.kind = kind;
    panic_info.loc = loc;
    va_start(ap, fmt);
    vsnprintf(panic_info.msg, sizeof panic_info.msg, fmt, ap);
    va_end(ap);
    longjmp(rt_boundary_top->jb, 1);
  }
#endif
  panic_begin();
  RtBuf b;
  rtbuf_init(&b);
  thread_header(&b);
  if (loc) rtbuf_printf(&b, "panic at %s:%d:%d: %s: ", loc->file, loc->line, loc->col, rt_error_name(kind));
  else rtbuf_printf(&b, "panic: %s: ", rt_error_name(kind));
  va_start(ap, fmt);
  char small[512];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n < sizeof small) {
    rtbuf_put(&b, small, (size_t)n);
  } else if (n >= 0) {
    char *big = malloc((size_t)n + 1);
    if (big) {
      va_start(ap, fmt);
      vsnprintf(big, (size_t)n + 1, fmt, ap);
      va_end(ap);
      rtbuf_put(&b, big, (size_t)n);
      free(big);
    } else {
      b.oom = true;
    }
  }
  rtbuf_putc(&b, '\n');
  if (b.oom) {
    static const char msg[] = "MemoryError: " RT_MSG_OOM "\n";
    write_all(2, msg, sizeof msg - 1);
  } else {
    write_all(2, b.data, b.len);
  }
  PANIC_COUNTS();
  _exit(1);
}

void rt_panic_overflow(const rt_loc *loc, const char *op) {
  char buf[128];
  rt_panic(loc, RT_OVERFLOW, "%s", rt_msg_overflow(buf, op));
}

void rt_panic_index(const rt_loc *loc, int64_t index, int64_t len) {
  char buf[128];
  rt_panic(loc, RT_INDEX, "%s", rt_msg_index(buf, index, len));
}

void rt_panic_unwrap(const rt_loc *loc) { rt_panic(loc, RT_VALUE, "%s", RT_MSG_UNWRAP_NONE); }

_Thread_local const rt_loc *rt_alloc_site;

void rt_panic_recursion(const rt_loc *loc) { rt_panic(loc, RT_RECURSION, "%s", RT_MSG_RECURSION); }

_Thread_local int rt_walk_depth;
_Thread_local const rt_loc *rt_walk_site;

void rt_panic_walk(const char *msg) { rt_panic(rt_walk_site, RT_RECURSION, "%s", msg); }

void rt_panic_oom(void) {
  if (rt_alloc_site) rt_panic(rt_alloc_site, RT_MEMORY, "%s", RT_MSG_OOM);
#ifdef RT_LIBRARY
  if (rt_boundary_top) rt_panic(NULL, RT_MEMORY, "%s", RT_MSG_OOM);
#endif
  panic_begin();
  if (thread_no > 0) {
    char head[160];
    int n = snprintf(head, sizeof head, "Exception in thread %d (%s):\n", thread_no, thread_name);
    if (n > 0) write_all(2, head, (size_t)n < sizeof head ? (size_t)n : sizeof head - 1);
  }
  static const char msg[] = "MemoryError: " RT_MSG_OOM "\n";
  write_all(2, msg, sizeof msg - 1);
  PANIC_COUNTS();
  _exit(1);
}

// ---- stack overflow ---------------------------------------------------------------
// (Not in a hybrid library: the VM's process owns the signal handlers; the
// recursion limit bounds the compiled calls there.)
#ifndef RT_LIBRARY
#define ALT_STACK_SIZE (64 * 1024)
static char main_alt_stack[ALT_STACK_SIZE];

// The faulting thread's stack, [stack_lo, stack_hi); both 0 when unknown.
static _Thread_local uintptr_t stack_lo, stack_hi;

static void record_stack_bounds(void) {
  pthread_attr_t attr;
  void *addr;
  size_t size;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
    stack_lo = (uintptr_t)addr;
    stack_hi = (uintptr_t)addr + size;
  }
  pthread_attr_destroy(&attr);
}

static void on_fault(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  uintptr_t a = (uintptr_t)info->si_addr;
  // The guard area lies below the stack; a frame larger than it can fault a
  // little further down.
  const uintptr_t slack = 1024 * 1024;
  bool overflow = stack_hi == 0 || (a < stack_hi && a + slack >= stack_lo);
  if (!overflow) {
    signal(sig, SIG_DFL);  // returning re-executes the access: the default action
    return;
  }
  // Flush what the program printed, as best an async-signal-safe handler can
  // (the buffer is not locked: printing never recurses deeply).
  write_all(1, out_buf, out_len);
  if (thread_no > 0) {  // the header, without stdio (async-signal-safe)
    char num[24], *e = num + sizeof num, *d = e;
    for (unsigned v = (unsigned)thread_no; d == e || v; v /= 10) *--d = (char)('0' + v % 10);
    static const char pre[] = "Exception in thread ";
    write_all(2, pre, sizeof pre - 1);
    write_all(2, d, (size_t)(e - d));
    write_all(2, " (", 2);
    write_all(2, thread_name, strlen(thread_name));
    write_all(2, "):\n", 3);
  }
  static const char msg[] = "fatal runtime error: stack overflow (recursion too deep)\n";
  write_all(2, msg, sizeof msg - 1);
  _exit(1);  // no counts: a signal handler may not write files
}

// Gives the calling thread an alternate signal stack (mem, ALT_STACK_SIZE).
static void install_alt_stack(void *mem) {
  stack_t ss = {.ss_sp = mem, .ss_size = ALT_STACK_SIZE, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  record_stack_bounds();
}

static void remove_alt_stack(void) {
  stack_t ss = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
  sigaltstack(&ss, NULL);
}

static void install_fault_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
}

#endif  // !RT_LIBRARY

// ---- threads ----------------------------------------------------------------------
struct rt_thread {
  pthread_t tid;
  void *(*fn)(void *);
  void *arg, *result;
  int no;
  const char *name;
};

static atomic_int next_thread_no = 1;

static void *thread_start(void *p) {
  rt_thread *t = p;
  thread_no = t->no;
  thread_name = t->name;
#ifdef RT_LIBRARY
  t->result = t->fn(t->arg);
  rtbuf_free(&print_buf);
#else
  void *alt = rt_alloc(ALT_STACK_SIZE);
  install_alt_stack(alt);
  t->result = t->fn(t->arg);
  rtbuf_free(&print_buf);
  remove_alt_stack();
  rt_free(alt);
#endif
  rt_str_cache_flush();
  return NULL;
}

rt_thread *rt_spawn(void *(*fn)(void *), void *arg, const char *name) {
  rt_thread *t = rt_alloc(sizeof *t);
  t->fn = fn;
  t->arg = arg;
  t->result = NULL;
  t->name = name ? name : "?";
  t->no = atomic_fetch_add(&next_thread_no, 1);
  int e = pthread_create(&t->tid, NULL, thread_start, t);
  if (e == EAGAIN || e == ENOMEM) rt_panic_oom();
  if (e != 0) rt_panic(NULL, RT_OS, "cannot start a thread: %s", strerror(e));
  return t;
}

void *rt_join(rt_thread *t) {
  pthread_join(t->tid, NULL);
  void *r = t->result;
  rt_free(t);
  return r;
}

#ifdef RT_COUNTED
// `lab run --stats` and `lab profile` name files (in their private
// directories) for the counts: at the end of the program, or at its panic
// (what was counted up to there, as interp's --stats after an error).
static void write_counts(void) {
  const char *stats_path = getenv("LAB_NATIVE_STATS");
  if (stats_path && *stats_path) {
    RtAllocStats s;
    rt_alloc_stats(&s);
    FILE *f = fopen(stats_path, "w");
    if (f) {
      fprintf(f, "%lld %lld %lld %lld %lld\n", (long long)s.allocs, (long long)s.frees, (long long)s.bytes_allocated,
              (long long)s.peak_live_bytes, (long long)atomic_load(&next_thread_no) - 1);
      fclose(f);
    }
  }
#ifdef RT_LINES_COUNTED
  const char *lines_path = getenv("LAB_NATIVE_LINES");
  if (lines_path && *lines_path) write_lines(lines_path);
#endif
}
#endif

// ---- entry point ------------------------------------------------------------------
#ifndef RT_LIBRARY

int main(int argc, char **argv) {
  rt_argc_ = argc;
  rt_argv_ = argv;
  install_alt_stack(main_alt_stack);
  install_fault_handlers();
  toy_main();
  rt_flush_stdout();
  rt_alloc_site = NULL;  // the program has ended: no statement to name
  check_stdout(out_error);  // no other thread runs now
  rtbuf_free(&print_buf);
#ifdef RT_COUNTED
  write_counts();
  int64_t live = rt_live_allocations();
  if (live != 0 && getenv("LAB_CHECK_LEAKS")) {
    fprintf(stderr, "lab: leak check: %lld allocations still alive at exit\n", (long long)live);
    return 70;
  }
#endif
  return 0;
}
#endif  // !RT_LIBRARY
