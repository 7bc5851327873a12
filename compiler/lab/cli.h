// cli.h — what the `lab` commands share (compiler/lab/main.c, compiler/lab/compare.c):
// the exit codes of SPEC §8, usage errors, `--help` detection, and clocks.
#ifndef LAB_CLI_H
#define LAB_CLI_H

#include <stdbool.h>

// Exit codes (SPEC §8): 0 success; 1 runtime error; 2 program rejected at
// compile time; 3 usage error or unreadable input file; 4 C compiler missing
// or failed (native mode).
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_REJECTED = 2, EXIT_USAGE = 3, EXIT_CC = 4 };

// Prints `lab: ` + fmt (with arg) and where to get help — `lab CMD --help`,
// or `lab --help` when cmd is NULL — on stderr; returns EXIT_USAGE.
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

// True when --help or -h comes before any `--`.
bool cli_want_help(int argc, char **argv);


#endif
