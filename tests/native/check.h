// check.h — the assertion the native runtime's C tests share
// (test_toyrt.c, test_unchecked.c): CHECK counts passes and reports each
// failure with its file and line; the test's main prints the totals.
#ifndef LAB_TESTS_NATIVE_CHECK_H
#define LAB_TESTS_NATIVE_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) passed++;                                                          \
    else {                                                                       \
      failed++;                                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
    }                                                                            \
  } while (0)

#endif
