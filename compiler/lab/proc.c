// proc.c — see proc.h.
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "native.h"
#include "readall.h"
#include "cleanup.h"
#include "xalloc.h"

// An unlinked temporary file under $TMPDIR (or /tmp): it goes when closed.
static int temp_fd(void) {
  char path[4096];
  snprintf(path, sizeof path, "%s/labproc-XXXXXX", nat_temp_root());
  int fd = mkstemp(path);
  if (fd >= 0) unlink(path);
  return fd;
}

bool proc_tempdir(char *dir, size_t size, const char *name) {
  if ((size_t)snprintf(dir, size, "%s/lab-%s-XXXXXX", nat_temp_root(), name) >= size) {
    errno = ENAMETOOLONG;
    return false;
  }
  return rt_make_temp_dir(dir);
}

// All of fd from its start, NUL-terminated; NULL when out of memory.
static char *slurp_fd(int fd, size_t *len) {
  char *buf;
  *len = 0;
  if (lseek(fd, 0, SEEK_SET) < 0) return calloc(1, 1);
  return rt_read_fd(fd, (size_t)-1, &buf, len) == 0 ? buf : NULL;
}

static bool fail(Proc *p, const char *what) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  p->status = -1;
  p->out = strdup("");
  p->err = strdup(msg);
  p->err_len = p->err ? strlen(p->err) : 0;
  return false;
}

// Whether a captured output file has grown past max bytes.
static bool too_big(int fd, long long max) {
  struct stat st;
  return max > 0 && fstat(fd, &st) == 0 && st.st_size > max;
}

// Waits for pid, with rusage. Without a deadline (0) or an output cap, a
// plain wait4. Otherwise it stops the child at `deadline_ms`, or when one of
// fds[0..1] (its captured stdout and stderr) grows past max_output, waking
// every 50 ms to look; it waits on a pidfd, so that the child's end is seen
// at once (compare times such runs), or, on a kernel without pidfds, sleeps
// 1 ms at a time. Stopping is SIGTERM, on which a lab child removes its
// temporary directories (runtime/cleanup.h), then SIGKILL if it is still
// there a second later. Returns the wait status, or PROC_TIMEOUT or
// PROC_FLOOD.
static int wait_child(pid_t pid, double deadline_ms, const int fds[2], long long max_output, struct rusage *ru) {
  int st = 0;
  if (deadline_ms <= 0 && max_output <= 0) {
    while (wait4(pid, &st, 0, ru) < 0 && errno == EINTR) {}
    return st;
  }
  int pidfd = -1;
#ifdef SYS_pidfd_open
  pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
  int why = 0;
  double kill_at = 0;  // once stopping: when SIGKILL follows its SIGTERM
  for (double next_look = 0;;) {
    pid_t w = wait4(pid, &st, WNOHANG, ru);
    if (w == pid || (w < 0 && errno != EINTR)) break;
    double now = rt_now_ms();
    if (now >= next_look) {
      if (!why) {
        if (deadline_ms > 0 && now > deadline_ms) why = PROC_TIMEOUT;
        else if (too_big(fds[0], max_output) || too_big(fds[1], max_output)) why = PROC_FLOOD;
        if (why) {
          kill(pid, SIGTERM);
          kill_at = now + 1000;
        }
      } else if (now > kill_at) {
        kill(pid, SIGKILL);
        while (wait4(pid, &st, 0, ru) < 0 && errno == EINTR) {}
        break;
      }
      next_look = now + 50;
    }
    if (pidfd >= 0) {
      struct pollfd pf = {pidfd, POLLIN, 0};
      poll(&pf, 1, (int)(next_look - now) + 1);
    } else {
      nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    }
  }
  if (pidfd >= 0) close(pidfd);
  return why ? why : st;
}

bool proc_run(char *const *argv, const ProcOpts *opts, Proc *p) {
  static const ProcOpts none;
  if (!opts) opts = &none;
  memset(p, 0, sizeof *p);
  int ofd = temp_fd(), efd = ofd >= 0 ? temp_fd() : -1;
  if (ofd < 0 || efd < 0) {
    if (ofd >= 0) close(ofd);
    return fail(p, "cannot create a temporary file");
  }
  fflush(stdout);
  fflush(stderr);
  pid_t parent = getpid();
  double t0 = rt_now_ms();
  pid_t pid = fork();
  if (pid < 0) {
    close(ofd);
    close(efd);
    return fail(p, "cannot start a child process");
  }
  if (pid == 0) {
    // The child goes when its parent goes: a `lab compare` stopped by the
    // user (or by `timeout`) leaves no run going on behind it. SIGTERM, on
    // which a lab child removes its temporary directories.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    // A file of input: opened afresh through /proc, so each run reads it
    // from its start.
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", opts->input_fd);
    int in = open(opts->input_fd > 0 ? path : "/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, 0);
    dup2(ofd, 1);
    dup2(efd, 2);
    for (const char *const *e = opts->env; e && *e; e++) putenv((char *)*e);
    if (opts->cwd && chdir(opts->cwd) != 0) {
      fprintf(stderr, "cannot enter %s: %s\n", opts->cwd, strerror(errno));
      _exit(127);
    }
    execvp(argv[0], argv);
    fprintf(stderr, "cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  int fds[2] = {ofd, efd};
  int st = wait_child(pid, opts->timeout_s > 0 ? t0 + opts->timeout_s * 1000.0 : 0, fds, opts->max_output, &ru);
  p->wall_ms = rt_now_ms() - t0;
  p->user_ms = rt_timeval_ms(ru.ru_utime);
  p->sys_ms = rt_timeval_ms(ru.ru_stime);
  p->rss_kb = (double)ru.ru_maxrss;
  p->status = st < 0 ? st : WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
  if (st == PROC_FLOOD) {  // keep what fits
    if (too_big(ofd, opts->max_output) && ftruncate(ofd, opts->max_output) != 0) {}
    if (too_big(efd, opts->max_output) && ftruncate(efd, opts->max_output) != 0) {}
  }
  p->out = slurp_fd(ofd, &p->out_len);
  p->err = slurp_fd(efd, &p->err_len);
  close(ofd);
  close(efd);
  if (!p->out || !p->err) {
    proc_free(p);
    errno = ENOMEM;
    return fail(p, "cannot read the child's output");
  }
  return true;
}

bool proc_lab_ended(const char *cmd, const char *mode, bool ok, Proc *p, double timeout_s) {
  if (!ok)
    fprintf(stderr, "lab %s: %s\n", cmd, p->err);
  else if (p->status == PROC_TIMEOUT)
    fprintf(stderr,
            "lab %s: the %s run did not finish within %g s (a loop that never ends?) and was stopped; "
            "`--time-limit SECS` gives it longer (0: no limit)\n",
            cmd, mode, timeout_s);
  else if (p->status == PROC_FLOOD)
    fprintf(stderr, "lab %s: the %s run printed more than %lld MiB; stopped (lab %s holds the output of what it runs)\n",
            cmd, mode, PROC_LAB_MAX_OUTPUT >> 20, cmd);
  else
    return true;
  proc_free(p);
  return false;
}

void proc_free(Proc *p) {
  free(p->out);
  free(p->err);
  p->out = p->err = NULL;
  p->out_len = p->err_len = 0;
}

size_t proc_last_line(const char *s, size_t end, size_t *start) {
  while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r')) end--;
  for (*start = end; *start > 0 && s[*start - 1] != '\n'; --*start) {}
  return end;
}

// The last non-empty line of a child's stderr, if it is a JSON object.
const char *proc_stats_line(const Proc *c) {
  if (!c->err || c->err_len == 0) return NULL;
  size_t start, end = proc_last_line(c->err, c->err_len, &start);
  if (end == start || c->err[start] != '{') return NULL;
  c->err[end] = '\0';  // the line ends here; the rest was newlines
  return c->err + start;
}

// This lab's stdin, spooled on first use into an unlinked temporary file
// when it is a file or a pipe: the fd, or -1.
static int lab_input_fd(void) {
  static int fd = -2;
  if (fd != -2) return fd;
  fd = -1;
  struct stat st;
  if (fstat(0, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) return -1;
  int t = temp_fd();
  if (t < 0) return -1;
  char buf[1 << 16];
  long long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (total + n > PROC_LAB_MAX_OUTPUT) {
      fprintf(stderr, "lab: stdin holds more than %lld MiB; the runs read its first %lld MiB\n",
              PROC_LAB_MAX_OUTPUT >> 20, PROC_LAB_MAX_OUTPUT >> 20);
      n = (ssize_t)(PROC_LAB_MAX_OUTPUT - total);
    }
    if (rt_write_fd(t, buf, (size_t)n) != 0) {
      close(t);
      return -1;
    }
    if ((total += n) >= PROC_LAB_MAX_OUTPUT) break;
  }
  return fd = t;
}

bool proc_run_lab(const char *const *args, int nargs, char *const *prog_args, int nprog, const char *const *env,
                  double timeout_s, Proc *p) {
  char **av = rt_xcalloc((size_t)(nargs + nprog) + 3, sizeof *av);
  int k = 0;
  av[k++] = "/proc/self/exe";
  for (int i = 0; i < nargs; i++) av[k++] = (char *)args[i];
  av[k++] = "--";
  for (int i = 0; i < nprog; i++) av[k++] = prog_args[i];
  ProcOpts o = {.env = env, .timeout_s = timeout_s, .max_output = PROC_LAB_MAX_OUTPUT, .input_fd = lab_input_fd()};
  bool ok = proc_run(av, &o, p);
  free(av);
  return ok;
}
