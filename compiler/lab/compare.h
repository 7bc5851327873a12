// compare.h — `lab compare FILE [-n RUNS] [--json] [-- ARGS...]` (SPEC §8):
// runs a program in both modes and prints what each cost, side by side.
#ifndef LAB_COMPARE_H
#define LAB_COMPARE_H

// argv holds the arguments after `compare`. Returns the exit code.
int cmd_compare(int argc, char **argv);

#endif
