// bigstack.c — see bigstack.h.
#include <pthread.h>
#include <stdbool.h>
#include <sys/prctl.h>

#include "bigstack.h"

typedef struct Call {
  void (*fn)(void *);
  void *arg;
  int pdeath;  // the calling thread's parent-death signal
} Call;

static void *trampoline(void *p) {
  Call *c = p;
  // A new thread starts without its creator's parent-death signal, and an
  // exec from it (`lab run --stats` re-executing build/counted/lab) would
  // leave the process without one: a child run that `lab profile` or `lab
  // compare` started would then go on after them when they are killed.
  if (c->pdeath) prctl(PR_SET_PDEATHSIG, c->pdeath);
  c->fn(c->arg);
  return NULL;
}

void bigstack_run(void (*fn)(void *), void *arg) {
  Call c = {fn, arg, 0};
  if (prctl(PR_GET_PDEATHSIG, &c.pdeath) != 0) c.pdeath = 0;
  pthread_attr_t attr;
  pthread_t t;
  bool made = false;
  if (pthread_attr_init(&attr) == 0) {
    made = pthread_attr_setstacksize(&attr, BIGSTACK_SIZE) == 0 && pthread_create(&t, &attr, trampoline, &c) == 0;
    pthread_attr_destroy(&attr);
  }
  if (made) pthread_join(t, NULL);
  else fn(arg);
}
