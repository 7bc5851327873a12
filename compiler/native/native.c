// native.c — the native-mode driver: turns generated C into a cached
// executable with the system C compiler, and runs it (SPEC §7–8).
//
// The cache lives in $XDG_CACHE_HOME/lab (or ~/.cache/lab), mode 0700:
//   rt-HASH/          the native runtime, written from the copy embedded in
//                     this binary and compiled once per runtime and compiler
//                     (HASH covers both), each variant the first time it is
//                     needed: checked/ and unchecked/ (--unchecked), and
//                     the same -counted (RT_COUNTED: --stats, compare's
//                     counted run, LAB_CHECK_LEAKS) — what is timed counts
//                     nothing
//   bin/HASH          one executable per program: the hash covers the source
//                     text and path, the options, $CC and this lab binary
// Everything is built inside a fresh mkdtemp() directory and renamed into
// place when complete, so a concurrent or interrupted run never sees half a
// file, and no file is ever created under a predictable name in a shared
// directory; a signal that stops the lab removes the directory
// (runtime/cleanup.h). When the cache cannot be created or written (a
// read-only home, a full disk) the driver falls back to a private temporary
// directory that is removed at exit, and compiles every time.
//
// The C compiler's messages are never shown for a program the checker
// accepted: generated C that does not compile is a lab bug, so it is reported
// as one (exit 4) with the path of the saved compiler output.
#include "native.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "embedded.h"
#include "readall.h"
#include "xalloc.h"
#include "clock.h"
#include "strops.h"
#include "cleanup.h"

#ifndef LAB_VERSION
#define LAB_VERSION "0.1.0"
#endif

// ---- small helpers -------------------------------------------------------------

static char *fmt(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *s = rt_xmalloc(n);
  snprintf(s, n, "%s%s%s", a, b, c);
  return s;
}

static uint64_t fnv_str(uint64_t h, const char *s) { return rt_fnv1a(h, s, strlen(s) + 1); }

const char *nat_cc_command(void) {
  const char *cc = getenv("CC");
  return cc && cc[strspn(cc, " \t")] ? cc : "cc";  // unset, empty or blank: cc
}

// Extra flags for every native compile, runtime included: `make test-asan`
// sets LAB_CFLAGS="-fsanitize=address,undefined" so that the programs the
// code generator writes run sanitized too. Part of every cache key.
static const char *extra_cflags(void) {
  const char *f = getenv("LAB_CFLAGS");
  return f ? f : "";
}

// Writes `len` bytes to a new file (O_EXCL, mode 0600). Returns false on error.
static bool write_new_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  int e = rt_write_fd(fd, data, len);
  if (close(fd) != 0 && !e) e = errno;
  errno = e;
  return e == 0;
}

// ---- where things go ------------------------------------------------------------

static char *private_tmp;  // the fallback directory, removed by nat_cleanup()

static bool make_dir(const char *path) { return mkdir(path, 0700) == 0 || errno == EEXIST; }

// The cache directory (created 0700), or NULL when it cannot be used.
static char *cache_dir(void) {
  static char *dir;
  static bool tried;
  if (tried) return dir;
  tried = true;
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  char *base;
  if (xdg && xdg[0] == '/') base = rt_xstrdup(xdg);
  else if (home && home[0] == '/') base = fmt(home, "/.cache", "");
  else return NULL;
  char *d = fmt(base, "/lab", "");
  bool ok = make_dir(base) && make_dir(d);
  free(base);
  char *bin = fmt(d, "/bin", "");
  ok = ok && make_dir(bin) && access(d, W_OK) == 0 && access(bin, W_OK) == 0;
  free(bin);
  if (!ok) {
    free(d);
    return NULL;
  }
  dir = d;
  return dir;
}

const char *nat_temp_root(void) {
  const char *t = getenv("TMPDIR");
  struct stat st;
  if (t && t[0] == '/' && stat(t, &st) == 0 && S_ISDIR(st.st_mode) && access(t, W_OK | X_OK) == 0) return t;
  return "/tmp";
}

// A fresh private directory to build in: inside the cache when it is usable,
// else under $TMPDIR. NULL (with a message) when neither works.
static char *build_dir(void) {
  char *cache = cache_dir();
  char *tmpl = cache ? fmt(cache, "/tmp-XXXXXX", "") : NULL;
  if (tmpl && rt_make_temp_dir(tmpl)) return tmpl;
  free(tmpl);
  if (!private_tmp) {
    char *p = fmt(nat_temp_root(), "/lab-XXXXXX", "");
    if (!rt_make_temp_dir(p)) {
      fprintf(stderr, "lab: cannot create a temporary directory in %s: %s\n", nat_temp_root(), strerror(errno));
      free(p);
      return NULL;
    }
    private_tmp = p;
  }
  char *sub = fmt(private_tmp, "/b-XXXXXX", "");
  if (mkdtemp(sub)) return sub;
  fprintf(stderr, "lab: cannot create a directory in %s: %s\n", private_tmp, strerror(errno));
  free(sub);
  return NULL;
}

void nat_cleanup(void) {
  if (private_tmp) rt_remove_tree(private_tmp);
  free(private_tmp);
  private_tmp = NULL;
}

// What distinguishes this lab binary from another build: its version, size,
// modification time and inode (a rebuilt lab makes a new executable).
static uint64_t lab_identity(void) {
  uint64_t h = fnv_str(RT_FNV_BASIS, LAB_VERSION);
  struct stat st;
  if (stat("/proc/self/exe", &st) == 0) {
    h = rt_fnv1a(h, &st.st_size, sizeof st.st_size);
    h = rt_fnv1a(h, &st.st_mtim, sizeof st.st_mtim);
    h = rt_fnv1a(h, &st.st_ino, sizeof st.st_ino);
  }
  return h;
}

uint64_t nat_cache_key(const Source *src, const NativeOptions *opts) {
  uint64_t h = lab_identity();
  h = fnv_str(h, nat_cc_command());
  h = fnv_str(h, extra_cflags());
  h = fnv_str(h, src->path);
  h = rt_fnv1a(h, src->text, src->len);
  h = rt_fnv1a(h, &opts->unchecked, sizeof opts->unchecked);
  h = rt_fnv1a(h, &opts->counted, sizeof opts->counted);
  h = rt_fnv1a(h, &opts->recursion_limit, sizeof opts->recursion_limit);
  h = rt_fnv1a(h, &opts->library, sizeof opts->library);
  return h;
}

static char *hex(uint64_t h) {
  char *s = rt_xmalloc(17);
  snprintf(s, 17, "%016llx", (unsigned long long)h);
  return s;
}

char *nat_cached(uint64_t key) {
  char *cache = cache_dir();
  if (!cache) return NULL;
  char *k = hex(key);
  char *bin = fmt(cache, "/bin/", k);
  free(k);
  if (access(bin, X_OK) == 0) return bin;
  free(bin);
  return NULL;
}

// ---- running the C compiler -------------------------------------------------------

// Splits $CC into words (so that CC="gcc -m64" works), then the given
// arguments, then the words of $LAB_CFLAGS. The words point into *words_out,
// which the caller frees with the array.
static char **cc_argv(const char **extra, int nextra, char **words_out) {
  size_t ncc = strlen(nat_cc_command()), nfl = strlen(extra_cflags());
  char *words = *words_out = rt_xmalloc(ncc + nfl + 2);
  memcpy(words, nat_cc_command(), ncc + 1);
  memcpy(words + ncc + 1, extra_cflags(), nfl + 1);
  char **argv = rt_xmalloc(sizeof(char *) * (size_t)(nextra + 2 * 32 + 1));
  int n = 0;
  for (char *tok = strtok(words, " \t"); tok && n < 32; tok = strtok(NULL, " \t")) argv[n++] = tok;
  for (int i = 0; i < nextra; i++) argv[n++] = (char *)extra[i];
  int limit = n + 32;
  for (char *tok = strtok(words + ncc + 1, " \t"); tok && n < limit; tok = strtok(NULL, " \t")) argv[n++] = tok;
  argv[n] = NULL;
  return argv;
}

// A C compiler started by cc_start, waited for by cc_wait.
typedef struct CcJob {
  pid_t pid;
  char **argv;
  char *words;  // what argv's words point into
} CcJob;

static void cc_free(CcJob *job) {
  free(job->words);
  free(job->argv);
}

// Starts the C compiler with `args`, its output going to `log`. False when it
// could not be started (errno says why).
static bool cc_start(const char **args, int nargs, const char *log, CcJob *job) {
  char **argv = job->argv = cc_argv(args, nargs, &job->words);
  int pipefd[2];  // reports an exec failure from the child
  pid_t pid = -1;
  if (pipe(pipefd) == 0) {
    fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
    pid = job->pid = fork();
    if (pid < 0) close(pipefd[0]), close(pipefd[1]);
  }
  if (pid < 0) {
    int err = errno;
    cc_free(job);
    errno = err;
    return false;
  }
  if (pid == 0) {
    setpgid(0, 0);  // a group of its own, which a signal that stops the lab kills (cleanup.h)
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    execvp(argv[0], argv);
    int err = errno;
    ssize_t w = write(pipefd[1], &err, sizeof err);
    (void)w;
    _exit(127);
  }
  setpgid(pid, pid);  // as the child does, whichever runs first
  rt_track_group(pid);
  close(pipefd[1]);
  int err = 0;
  ssize_t got = read(pipefd[0], &err, sizeof err);
  close(pipefd[0]);
  if (got != (ssize_t)sizeof err) return true;
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  rt_untrack_group(pid);
  cc_free(job);
  errno = err;
  return false;
}

// Waits for a compiler cc_start started: 0 on success, else its exit status
// (128 + the signal that ended it).
static int cc_wait(CcJob *job) {
  int st;
  while (waitpid(job->pid, &st, 0) < 0 && errno == EINTR) {}
  rt_untrack_group(job->pid);
  cc_free(job);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// Runs the C compiler with `args`, its output going to `log`. Returns 0 on
// success, -1 when the compiler could not be started, else its exit status.
static int run_cc(const char **args, int nargs, const char *log) {
  CcJob job;
  return cc_start(args, nargs, log, &job) ? cc_wait(&job) : -1;
}

static void cc_missing(void) {
  fprintf(stderr,
          "lab: cannot run the C compiler `%s`: %s\n"
          "  native mode compiles through C: install gcc (apt-get install gcc) or set CC\n",
          nat_cc_command(), strerror(errno));
}

// Whether the C compiler, with the flags it is given, compiles a one-line
// program (in the directory of `log`): if not, a failure is the compiler's.
static bool cc_works(const char *log) {
  char *dir = rt_xstrdup(log);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  char *src = fmt(dir, "/cc-probe.c", ""), *obj = fmt(dir, "/cc-probe.o", ""), *plog = fmt(dir, "/cc-probe.log", "");
  FILE *f = fopen(src, "w");
  bool ok = false;
  if (f) {
    fputs("int main(void) { return 0; }\n", f);
    ok = fclose(f) == 0;
  }
  if (ok) {
    const char *args[] = {"-c", "-o", obj, src};
    ok = run_cc(args, 4, plog) == 0;
  }
  unlink(src);
  unlink(obj);
  unlink(plog);
  free(src);
  free(obj);
  free(plog);
  free(dir);
  return ok;
}

// Copies the compiler's log next to the cache (or leaves it in place) and
// reports the failure as what it is: a compiler that does not work (it
// fails on a one-line program too: `CC=false`, a bad LAB_CFLAGS), or else a
// bug in the C that lab generated.
static void cc_failed(const char *what, const char *log, int status) {
  bool broken = !cc_works(log);
  char *keep = NULL;
  char *cache = cache_dir();
  if (cache) {
    keep = fmt(cache, "/last-cc-error.log", "");
    if (rename(log, keep) != 0) {
      free(keep);
      keep = NULL;
    }
  }
  if (broken)
    fprintf(stderr,
            "lab: the C compiler `%s`%s%s does not work: it failed (status %d) on %s,\n"
            "  and on a one-line C program too. Native mode compiles through C: set CC to a\n"
            "  working compiler (CC=cc, CC=gcc or CC=clang) or install gcc (apt-get install gcc)%s.\n"
            "  The compiler's messages are in %s\n",
            nat_cc_command(), *extra_cflags() ? " with LAB_CFLAGS=" : "", extra_cflags(), status, what,
            *extra_cflags() ? ", and check LAB_CFLAGS" : "", keep ? keep : log);
  else
    fprintf(stderr,
            "lab: internal error: the C compiler `%s` failed (status %d) on %s.\n"
            "  This is a bug in lab, not in your program; please report it.\n"
            "  The compiler's messages are in %s\n",
            nat_cc_command(), status, what, keep ? keep : log);
  free(keep);
}

// ---- the runtime -----------------------------------------------------------------

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

// The runtime variant a program links: its directory under rt-HASH/.
static const char *variant_of(const NativeOptions *o) {
  static const char *const names[2][2][2] = {
      {{"checked", "checked-counted"}, {"unchecked", "unchecked-counted"}},
      {{"lib-checked", "lib-checked-counted"}, {"lib-unchecked", "lib-unchecked-counted"}}};
  return names[o->library][o->unchecked][o->counted];
}

// Compiles every embedded .c file of the runtime in dir into out/NAME.o.
static int compile_runtime_variant(const char *dir, const char *out, const NativeOptions *o) {
  char *log = fmt(dir, "/cc.log", "");
  char *inc = fmt("-I", dir, "");
  int status = 0;
  for (int i = 0; i < lab_embedded_count && status == 0; i++) {
    const char *name = lab_embedded_files[i].name;
    if (!name || !has_suffix(name, ".c")) continue;
    char *src = fmt(dir, "/", name);
    char *obj = fmt(out, "/", name);
    obj[strlen(obj) - 1] = 'o';
    const char *args[] = {NAT_OPT_LEVEL, "-std=gnu11", "-w", "-c", inc,
                          o->unchecked ? "-DRT_UNCHECKED" : "-DRT_CHECKED",
                          o->counted ? "-DRT_COUNTED" : "-DRT_UNCOUNTED", "-D_DEFAULT_SOURCE",
                          "-D_POSIX_C_SOURCE=200809L", o->library ? "-DRT_LIBRARY" : "-DRT_PROGRAM",
                          o->library ? "-fPIC" : "-DRT_EXECUTABLE", "-o", obj, src};
    status = run_cc(args, (int)(sizeof args / sizeof *args), log);
    if (status != 0) {
      if (status < 0) cc_missing();
      else cc_failed("the native runtime", log, status);
    }
    free(src);
    free(obj);
  }
  free(inc);
  free(log);
  return status;
}

// rt/VARIANT for the options, compiled on first use into a fresh directory
// renamed into place (so a concurrent lab never sees half of it). 0, or the
// exit status.
static int runtime_variant(const char *rt, const NativeOptions *o) {
  char *final = fmt(rt, "/", variant_of(o));
  int status = 0;
  if (access(final, F_OK) != 0) {
    char *tmp = fmt(rt, "/tmp-XXXXXX", "");
    if (!rt_make_temp_dir(tmp)) {
      fprintf(stderr, "lab: cannot create a directory in %s: %s\n", rt, strerror(errno));
      status = 3;
    } else if (compile_runtime_variant(rt, tmp, o) != 0) {
      status = NAT_CC_FAILED;
      rt_remove_tree(tmp);  // cc_failed() has kept the compiler's log
    } else if (rename(tmp, final) != 0) {
      rt_remove_tree(tmp);  // another lab got there first (or renames fail: then
      if (access(final, F_OK) != 0) status = 3;  // there is nowhere to keep it)
    } else {
      rt_untrack_temp(tmp);
    }
    free(tmp);
  }
  free(final);
  return status;
}

// The directory of the runtime's sources for this runtime and compiler,
// written on first use. NULL (with *status set) on failure.
static char *runtime_dir(int *status) {
  static char *dir;
  if (dir) return dir;
  uint64_t h = fnv_str(RT_FNV_BASIS, LAB_VERSION);
  h = fnv_str(h, nat_cc_command());
  h = fnv_str(h, NAT_OPT_LEVEL);
  h = fnv_str(h, extra_cflags());
  for (int i = 0; i < lab_embedded_count; i++) {
    if (!lab_embedded_files[i].name) continue;
    h = fnv_str(h, lab_embedded_files[i].name);
    h = rt_fnv1a(h, lab_embedded_files[i].data, (size_t)lab_embedded_files[i].len);
  }
  char *k = hex(h), *cache = cache_dir();
  char *final = cache ? fmt(cache, "/rt-", k) : NULL;
  free(k);
  if (final && access(final, F_OK) == 0) return dir = final;

  char *tmp = build_dir();
  if (!tmp) {
    *status = 3;
    free(final);
    return NULL;
  }
  for (int i = 0; i < lab_embedded_count; i++) {
    const LabEmbeddedFile *f = &lab_embedded_files[i];
    if (!f->name) continue;
    char *p = fmt(tmp, "/", f->name);
    bool ok = write_new_file(p, f->data, (size_t)f->len);
    free(p);
    if (!ok) {
      fprintf(stderr, "lab: cannot write the native runtime into %s: %s\n", tmp, strerror(errno));
      *status = 3;
      rt_remove_tree(tmp);
      free(tmp);
      free(final);
      return NULL;
    }
  }
  if (final && rename(tmp, final) == 0) {
    rt_untrack_temp(tmp);
    free(tmp);
    return dir = final;
  }
  if (final && access(final, F_OK) == 0) {  // another lab got there first
    rt_remove_tree(tmp);
    free(tmp);
    return dir = final;
  }
  free(final);
  return dir = tmp;  // no cache: use it where it is (removed by nat_cleanup)
}

// ---- programs ----------------------------------------------------------------------

// `cc LEAD... -o out IN... OBJS... -lm -pthread`: a program from C sources or
// objects IN and the runtime's objects OBJS.
static int cc_program(const char **lead, int nlead, const char *out, const char **in, int nin, char **objs,
                      int nobj, const char *log) {
  const char **args = rt_xmalloc(sizeof(char *) * (size_t)(nlead + nin + nobj + 5));
  int n = 0;
  for (int i = 0; i < nlead; i++) args[n++] = lead[i];
  args[n++] = "-o";
  args[n++] = out;
  for (int i = 0; i < nin; i++) args[n++] = in[i];
  for (int i = 0; i < nobj; i++) args[n++] = objs[i];
  args[n++] = "-lm";
  args[n++] = "-pthread";
  int st = run_cc(args, n, log);
  free(args);
  return st;
}

// How many parts the generated C has (cgen.c: LAB_NPARTS), 0 for none.
static int parts_of(const char *csrc) {
  static const char mark[] = "\n#define LAB_NPARTS ";
  const char *m = strstr(csrc, mark);
  return m ? atoi(m + sizeof mark - 1) : 0;
}

// Compiles a program's nparts parts (cgen.c) into objects in dir, side by
// side: part 0 at NAT_OPT_LEVEL, the pieces' parts shared out among the processors at
// -O0 (each piece keeps its own optimize attribute), one C compiler each.
// The objects' paths go to obj[0..*nobj). Returns 0, -1 when the compiler
// could not be started, or the first failure's status, *log then naming its
// output.
static int compile_parts(const char **flags, int nflags, const char *c, const char *dir, int nparts,
                         const char **obj, int *nobj, char **log) {
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  int nwork = ncpu < 1 ? 1 : ncpu > nparts - 1 ? nparts - 1 : (int)ncpu, njobs = 1 + nwork, st = 0;
  CcJob *jobs = rt_xcalloc((size_t)njobs, sizeof *jobs);
  char **logs = rt_xcalloc((size_t)njobs, sizeof *logs);
  bool *started = rt_xcalloc((size_t)njobs, sizeof *started);
  const char **args = rt_xmalloc(sizeof(char *) * (size_t)(nflags + 8));
  *nobj = 0;
  for (int j = 0; j < njobs; j++) {
    int from = j == 0 ? 0 : 1 + (nparts - 1) * (j - 1) / nwork, to = j == 0 ? 0 : (nparts - 1) * j / nwork;
    char name[64];
    snprintf(name, sizeof name, "/part%d", j);
    char *o = fmt(dir, name, ".o");
    logs[j] = fmt(dir, name, ".log");
    char dfrom[40], dto[40];
    snprintf(dfrom, sizeof dfrom, "-DLAB_PARTS_FROM=%d", from);
    snprintf(dto, sizeof dto, "-DLAB_PARTS_TO=%d", to);
    int n = 0;
    args[n++] = j == 0 ? NAT_OPT_LEVEL : "-O0";
    for (int i = 0; i < nflags; i++) args[n++] = flags[i];
    args[n++] = dfrom;
    args[n++] = dto;
    args[n++] = "-c";
    args[n++] = "-o";
    args[n++] = o;
    args[n++] = c;
    obj[(*nobj)++] = o;
    if (!(started[j] = cc_start(args, n, logs[j], &jobs[j]))) {
      st = -1;
      break;
    }
  }
  int err = errno;
  for (int j = 0; j < njobs; j++) {
    if (!started[j]) continue;
    int s = cc_wait(&jobs[j]);
    if (s != 0 && st == 0) {
      st = s;
      free(*log);
      *log = rt_xstrdup(logs[j]);
    }
  }
  for (int j = 0; j < njobs; j++) free(logs[j]);
  free(logs);
  free(started);
  free(jobs);
  free(args);
  errno = err;
  return st;
}

// Compiles csrc into an executable inside a fresh build directory; returns the
// executable's path (the caller renames or copies it) and the directory.
static char *compile_program(const char *csrc, const NativeOptions *opts, char **dir_out, int *status) {
  char *rt = runtime_dir(status);
  if (!rt) return NULL;
  if ((*status = runtime_variant(rt, opts)) != 0) return NULL;
  char *dir = build_dir();
  if (!dir) {
    *status = 3;
    return NULL;
  }
  char *c = fmt(dir, "/prog.c", ""), *exe = fmt(dir, opts->library ? "/prog.so" : "/prog", ""),
       *log = fmt(dir, "/cc.log", "");
  if (!write_new_file(c, csrc, strlen(csrc))) {
    fprintf(stderr, "lab: cannot write %s: %s\n", c, strerror(errno));
    *status = 3;
    free(c), free(exe), free(log);
    rt_remove_tree(dir);
    free(dir);
    return NULL;
  }
  const char *variant = variant_of(opts);
  char *inc = fmt("-I", rt, "");
  // Toy never reads errno, and sqrt(-1) is NaN either way: without
  // -fno-math-errno gcc guards every inlined sqrt with a call that only sets
  // errno (Rust's f64::sqrt is the bare instruction).
  const char *flags[] = {"-std=gnu11", "-w", "-fno-math-errno", inc,
                         opts->unchecked ? "-DRT_UNCHECKED" : "-DRT_CHECKED",
                         opts->counted ? "-DRT_COUNTED" : "-DRT_UNCOUNTED"};
  int nflags = (int)(sizeof flags / sizeof *flags);
  // The program's C (or its parts' objects), then every runtime object of the variant.
  char **objs = rt_xmalloc(sizeof(char *) * (size_t)(lab_embedded_count + 1));
  int nobj = 0;
  for (int i = 0; i < lab_embedded_count; i++) {
    const char *name = lab_embedded_files[i].name;
    if (!name || !has_suffix(name, ".c")) continue;
    char *base = fmt(rt, "/", variant);
    char *o = fmt(base, "/", name);
    free(base);
    o[strlen(o) - 1] = 'o';
    objs[nobj++] = o;
  }
  int nparts = opts->library ? 0 : parts_of(csrc), st = 0;
  const char **lead = rt_xmalloc(sizeof(char *) * (size_t)(nflags + 4)), **parts = NULL;
  const char *whole[] = {c}, **in = whole;
  int nlead = 0, nin = 1;
  if (nparts > 1) {  // the parts compiled, then only linked
    in = parts = rt_xmalloc(sizeof(char *) * (size_t)nparts);
    st = compile_parts(flags, nflags, c, dir, nparts, parts, &nin, &log);
  } else {
    lead[nlead++] = NAT_OPT_LEVEL;
    for (int i = 0; i < nflags; i++) lead[nlead++] = flags[i];
    if (opts->library) {
      lead[nlead++] = "-DRT_LIBRARY";
      lead[nlead++] = "-shared";
      lead[nlead++] = "-fPIC";
    }
  }
  if (st == 0) st = cc_program(lead, nlead, exe, in, nin, objs, nobj, log);
  for (int i = 0; parts && i < nin; i++) free((char *)parts[i]);
  free(parts);
  free(lead);
  for (int i = 0; i < nobj; i++) free(objs[i]);
  free(objs);
  free(inc);
  free(c);
  if (st != 0) {
    if (st < 0) cc_missing();
    else cc_failed("the generated C", log, st);
    *status = NAT_CC_FAILED;
    free(exe);
    free(log);
    if (st < 0) rt_remove_tree(dir);
    else rt_untrack_temp(dir);  // kept, with what the compiler was given
    free(dir);
    return NULL;
  }
  free(log);
  *dir_out = dir;
  return exe;
}

char *nat_compile(const char *csrc, uint64_t key, const NativeOptions *opts, int *status) {
  char *dir;
  char *exe = compile_program(csrc, opts, &dir, status);
  if (!exe) return NULL;
  char *cache = cache_dir();
  if (cache && strncmp(dir, cache, strlen(cache)) == 0) {
    char *k = hex(key);
    char *bin = fmt(cache, "/bin/", k);
    free(k);
    if (rename(exe, bin) == 0) {
      rt_remove_tree(dir);
      free(dir);
      free(exe);
      return bin;
    }
    free(bin);
  }
  free(dir);  // a private build directory: removed by nat_cleanup()
  return exe;
}

// What kind of file st is, for a message.
static const char *file_kind(const struct stat *st) {
  return S_ISDIR(st->st_mode) ? "a directory" : S_ISCHR(st->st_mode) ? "a character device"
       : S_ISBLK(st->st_mode) ? "a block device" : S_ISFIFO(st->st_mode) ? "a pipe"
       : S_ISSOCK(st->st_mode) ? "a socket" : "not a regular file";
}

int nat_build_to(const char *csrc, const char *out, const NativeOptions *opts) {
  // OUT is replaced by renaming over it: never over what is not a regular
  // file (`-o /dev/null` as root would put the executable in its place).
  struct stat ost;
  if (stat(out, &ost) == 0 && !S_ISREG(ost.st_mode)) {
    fprintf(stderr, "lab: will not write the executable over %s: it is %s; give -o the path of a file\n", out,
            file_kind(&ost));
    return 3;
  }
  int status = 0;
  char *dir;
  char *exe = compile_program(csrc, opts, &dir, &status);
  if (!exe) return status;
  // Write OUT through a temporary name beside it, then rename: never a half file.
  char *tmp = fmt(out, ".tmp-XXXXXX", "");
  int fd = mkstemp(tmp);
  if (fd >= 0) rt_track_temp(tmp);
  int in = open(exe, O_RDONLY | O_CLOEXEC);
  bool ok = fd >= 0 && in >= 0;
  char buf[1 << 16];
  ssize_t r;
  while (ok && (r = read(in, buf, sizeof buf)) > 0)
    if (write(fd, buf, (size_t)r) != r) ok = false;
  if (in >= 0) close(in);
  if (fd >= 0 && close(fd) != 0) ok = false;
  mode_t mask = umask(0);
  umask(mask);
  ok = ok && chmod(tmp, 0777 & ~mask) == 0 && rename(tmp, out) == 0;
  if (!ok) {
    fprintf(stderr, "lab: cannot write %s: %s\n", out, strerror(errno));
    rt_remove_tree(tmp);
    status = 3;
  } else {
    rt_untrack_temp(tmp);
  }
  free(tmp);
  rt_remove_tree(dir);
  free(dir);
  free(exe);
  return status;
}

int nat_exec(const char *exe, int argc, char **argv, NatRunStats *stats) {
  fflush(stdout);
  char *dir = NULL, *counts = NULL;
  if (stats) {  // the runtime writes its counters into a file of our own
    dir = build_dir();
    if (dir) counts = fmt(dir, "/counts", "");
  }
  double t0 = rt_now_ms();
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "lab: cannot start %s: %s\n", exe, strerror(errno));
    return 1;
  }
  if (pid == 0) {
    // The program goes when this lab goes: a lab stopped at a time limit
    // (lab grade, lab trace) leaves no program running on.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    char **av = rt_xmalloc(sizeof(char *) * (size_t)(argc + 2));
    av[0] = (char *)exe;
    for (int i = 0; i < argc; i++) av[i + 1] = argv[i];
    av[argc + 1] = NULL;
    if (counts) setenv("LAB_NATIVE_STATS", counts, 1);
    execv(exe, av);
    fprintf(stderr, "lab: cannot run %s: %s\n", exe, strerror(errno));
    _exit(1);
  }
  int st;
  struct rusage ru;
  while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR) {}
  double t1 = rt_now_ms();
  if (stats) {
    memset(stats, 0, sizeof *stats);
    stats->wall_ms = t1 - t0;
    stats->user_ms = rt_timeval_ms(ru.ru_utime);
    stats->sys_ms = rt_timeval_ms(ru.ru_stime);
    stats->peak_rss_kib = ru.ru_maxrss;
    FILE *f = counts ? fopen(counts, "r") : NULL;
    if (f) {
      stats->have_allocs = fscanf(f, "%lld %lld %lld %lld", &stats->allocs, &stats->frees,
                                  &stats->bytes_allocated, &stats->peak_live_bytes) == 4;
      if (stats->have_allocs && fscanf(f, "%lld", &stats->threads) != 1) stats->threads = 0;
      fclose(f);
    }
    if (dir) rt_remove_tree(dir);
    free(dir);
    free(counts);
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  // A reader that went away (`| head`) ends the program quietly through
  // SIGPIPE, as it ends interp mode (the lab with it): the shell sees 141.
  if (WTERMSIG(st) == SIGPIPE) return 128 + SIGPIPE;
  fprintf(stderr, "lab: the program was killed by signal %d (%s)%s\n", WTERMSIG(st), strsignal(WTERMSIG(st)),
          WTERMSIG(st) == SIGKILL ? ": the system's out-of-memory killer ends a program so when memory runs out "
                                    "(or someone ran `kill -9`)"
                                  : "");
  return 1;
}
