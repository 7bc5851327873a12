// cli.c — what the `lab` commands share (see cli.h).
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, const char *arg) {
  fprintf(stderr, "lab: ");
  fprintf(stderr, fmt, arg);
  if (cmd) fprintf(stderr, "\n(see `lab %s --help`)\n", cmd);
  else fprintf(stderr, "\n(see `lab --help`)\n");
  return EXIT_USAGE;
}

bool cli_want_help(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) return false;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
  }
  return false;
}


