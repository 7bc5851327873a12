// bigstack.c — see bigstack.h.
#include <pthread.h>
#include <stdbool.h>

#include "bigstack.h"

typedef struct Call {
  void (*fn)(void *);
  void *arg;
} Call;

static void *trampoline(void *p) {
  Call *c = p;
  c->fn(c->arg);
  return NULL;
}

void bigstack_run(void (*fn)(void *), void *arg) {
  Call c = {fn, arg};
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
