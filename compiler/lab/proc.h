// proc.h — running a child process with its output captured, and reading the
// one-object JSON that `lab run --stats=json` prints. Shared by the commands
// that run other programs: `lab compare`, `lab bench` and `lab grade`.
#ifndef LAB_PROC_H
#define LAB_PROC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ProcOpts {
  const char *cwd;          // run there (NULL: here)
  const char *const *env;   // "NAME=VALUE" entries set in the child, NULL-terminated (NULL: none)
  double timeout_s;         // killed with SIGKILL after this long (0: no limit)
  long long max_output;     // killed when its stdout or stderr grows past this many bytes (0: no limit)
  int input_fd;             // > 0: a file the child reads, from its start, as stdin (else /dev/null)
} ProcOpts;

// A Proc's status when the child was killed at a limit of its ProcOpts.
enum { PROC_TIMEOUT = -1, PROC_FLOOD = -2 };

typedef struct Proc {
  int status;  // exit code; 128 + signal; 127 if exec failed; PROC_TIMEOUT or PROC_FLOOD
  double wall_ms, user_ms, sys_ms;
  double rss_kb;              // peak RSS (wait4's ru_maxrss)
  char *out, *err;            // everything it wrote, NUL-terminated (malloc'd)
  size_t out_len, err_len;
} Proc;

// Runs argv (argv[0] is looked up on PATH unless it contains a '/') with
// stdin from opts->input_fd or /dev/null, and stdout and stderr captured (into unlinked files
// under $TMPDIR, cut at max_output when it was killed there). Returns false when the
// child could not be set up; then p->err says why and p->out is "".
// Either way the caller frees p with proc_free.
bool proc_run(char *const *argv, const ProcOpts *opts, Proc *p);
void proc_free(Proc *p);
// A new private directory $TMPDIR/lab-NAME-XXXXXX (or under /tmp) into dir;
// false (errno set) if it cannot be made. rt_remove_tree removes it, and so
// does a signal that stops the lab first (runtime/cleanup.h).
bool proc_tempdir(char *dir, size_t size, const char *name);

// `lab ARGS… -- PROG_ARGS…` run by this very executable (/proc/self/exe) as
// proc_run does, with env added (NULL: none), a time limit (0: none) and
// PROC_LAB_MAX_OUTPUT bytes of output at most: how `compare`, `profile`,
// `trace` and `view` run the programs they measure. Each run reads the
// whole of this lab's stdin when that is a file or a pipe (`lab compare
// wc.toy < words.txt`; read once, at most PROC_LAB_MAX_OUTPUT bytes), else
// /dev/null: a terminal is never waited on.
#define PROC_LAB_MAX_OUTPUT (64LL << 20)
// That rule as the --help of `lab CMD` says it.
#define PROC_STDIN_HELP(cmd)                                                      \
  "The program's stdin is lab " cmd "'s own when that is a file or a pipe\n"     \
  "(`lab " cmd " wc.toy < words.txt`): read once, and given whole to every run;\n" \
  "otherwise the program reads nothing (a terminal is never waited on).\n"
bool proc_run_lab(const char *const *args, int nargs, char *const *prog_args, int nprog, const char *const *env,
                  double timeout_s, Proc *p);
// The time limit of each run that `compare`, `profile` and `view` start
// (their --time-limit; 0: none).
#define PROC_LAB_TIMEOUT_S 60
// `ok`, what proc_run_lab returned for `lab CMD`'s run of a program in
// `mode` ("interp"): true when the run came to its own end; else false,
// having said why on stderr (it could not be started, or was stopped at a
// limit), and p freed.
bool proc_lab_ended(const char *cmd, const char *mode, bool ok, Proc *p, double timeout_s);
// The last non-empty line of s[0..end): its start in *start, and its end
// (before the line breaks after it) returned; both 0 when there is none.
size_t proc_last_line(const char *s, size_t end, size_t *start);
// The `--stats=json` object a `lab run` child printed: the last non-empty
// line of its stderr if it is a JSON object (cut there, in place), or NULL.
const char *proc_stats_line(const Proc *c);

#endif
