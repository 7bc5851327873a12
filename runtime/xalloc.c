// xalloc.c — allocation that cannot fail quietly (see xalloc.h).
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rterror.h"

_Noreturn void rt_out_of_memory(void) {
  fflush(stdout);
  fprintf(stderr, "MemoryError: %s\n", RT_MSG_OOM);
  exit(1);
}

void *rt_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) rt_out_of_memory();
  return p;
}

void *rt_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) rt_out_of_memory();
  return p;
}

void *rt_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) rt_out_of_memory();
  return p;
}

char *rt_xstrndup(const char *s, size_t n) {
  char *p = rt_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *rt_xstrdup(const char *s) { return rt_xstrndup(s, strlen(s)); }
