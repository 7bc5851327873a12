// cli.h — what the `lab` commands share (compiler/lab/main.c, compare.c,
// bench.c, grade.c): the exit codes of SPEC §8, usage errors, `--help`
// detection, and the one option loop.
#ifndef LAB_CLI_H
#define LAB_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "suggest.h"

// Exit codes (SPEC §8): 0 success; 1 runtime error; 2 program rejected at
// compile time; 3 usage error or unreadable input file; 4 C compiler missing
// or failed (native mode).
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_REJECTED = 2, EXIT_USAGE = 3, EXIT_CC = 4 };

#define LAB_VERSION "0.1.0"  // `lab --version`, and what `lab view` pages record

// Prints `lab: ` + fmt (with arg) and where to get help — `lab CMD --help`,
// or `lab --help` when cmd is NULL — on stderr; returns EXIT_USAGE.
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
// `s` as a message quotes it: whole, or its first CLI_QUOTE_MAX bytes (cut on
// a character boundary) and how long it is, in buf — an argument can be a
// megabyte long, and a message must stay a line.
enum { CLI_QUOTE_MAX = 160 };
const char *cli_quote(const char *s, char *buf, size_t cap);

// True when --help or -h comes before any `--`.
bool cli_want_help(int argc, char **argv);

// The one option loop of the `lab` commands. Each call of cli_next() gives
// the next argument: an option — *opt its name, *val the text after its
// `=`, or for an option named in `valued` without `=` the next argument,
// else NULL — or a positional argument (*opt NULL, *val the argument). It
// returns false at the end, or at `--` (then `rest` is the index after it,
// else argc), or after a usage error (`status`: a valued option without its
// value). What an option means, and the messages for unknown or bad ones,
// are the command's.
typedef struct CliIter {
  int argc;
  char **argv;
  const char *cmd;               // for messages: "run", "bench" …
  const char *const *valued;     // options that take a value, NULL-terminated
  int i;
  int rest;                      // the index after `--`, or argc
  int status;                    // EXIT_OK, or EXIT_USAGE after a message
  const char *arg;               // the current argument, whole (for messages)
  char name[64];                 // the current option's name (before `=`)
} CliIter;
CliIter cli_iter(int argc, char **argv, const char *cmd, const char *const *valued);
bool cli_next(CliIter *it, const char **opt, const char **val);

// " (did you mean `PREFIXBEST`?)" for s's best candidate into buf, or ""
// when it has none: the end of an "unknown …" message.
const char *cli_guess(const Suggest *s, const char *prefix, char *buf, size_t size);

// "unknown option `X` for `lab CMD`", with the closest option that the
// command's --help text names (`--mod` → `--mode`) when one is close;
// returns EXIT_USAGE.
int cli_unknown_option(const CliIter *it, const char *help);

// An option's whole-number value in lo..hi into *out; else a usage error
// ("OPT wants a number from LO to HI, not `V`") and EXIT_USAGE.
int cli_int(const char *cmd, const char *opt, const char *v, long lo, long hi, int *out);
// --mode=V of the commands that look at both models (profile, trace, view):
// interp, native or both; else a usage error and EXIT_USAGE.
int cli_mode3(const char *cmd, const char *v);
// Splits path at its last `/`: its folder into dir ("." when it has none,
// "/" at the root) and the rest, returned. NULL when dir would not fit.
const char *cli_split_path(const char *path, char *dir, size_t size);
// A file a command will write when its work is done (a page, a chart, a
// gradebook), asked about before that work — which can take minutes — rather
// than after: EXIT_OK when path is not a folder and it, or the folder it
// goes in, takes writes; else "lab CMD: cannot write PATH: REASON" and
// EXIT_USAGE.
int cli_output(const char *cmd, const char *path);


#endif
