// Twin of sleepy.toy in C: T POSIX threads, each R rounds of a 10 ms sleep
// and a little arithmetic.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { int64_t k, rounds, acc; } Job;

static void *worker(void *arg) {
  Job *job = arg;
  for (int64_t r = 0; r < job->rounds; r++) {
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
    for (int64_t i = 0; i < 1000; i++) job->acc += (i * job->k + r) % 7;
  }
  return NULL;
}

int main(int argc, char **argv) {
  int64_t t = argc > 1 ? atoll(argv[1]) : 2, rounds = argc > 2 ? atoll(argv[2]) : 2;
  Job *jobs = calloc((size_t)t, sizeof *jobs);
  pthread_t *th = calloc((size_t)t, sizeof *th);
  for (int64_t k = 0; k < t; k++) {
    jobs[k] = (Job){k, rounds, 0};
    if (pthread_create(&th[k], NULL, worker, &jobs[k]) != 0) return 1;
  }
  int64_t total = 0;
  for (int64_t k = 0; k < t; k++) {
    pthread_join(th[k], NULL);
    total += jobs[k].acc;
  }
  printf("%lld\n", (long long)total);
  return 0;
}
