// vm.h — the interp-mode virtual machine: runs compiled bytecode.
#ifndef LAB_VM_H
#define LAB_VM_H

#include "code.h"

typedef struct VmOptions {
  int recursion_limit;   // frames deeper than this raise RecursionError
  int argc;              // program arguments, for args()
  char **argv;
} VmOptions;

// Runs the program's main. Returns the process exit
// code: 0, or 1 after printing a Python-style traceback to stderr.
int vm_run(BcProgram *p, const VmOptions *opts);

#endif
