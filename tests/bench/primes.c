// Twin of primes.toy in C: count the primes below N by trial division over
// T POSIX threads running in parallel.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int64_t n, t, k, c; } Job;

static void *count(void *arg) {
  Job *job = arg;
  int64_t c = 0;
  for (int64_t j = job->k; 2 * j + 1 < job->n; j += job->t) {
    int64_t p = 2 * j + 1;
    if (p < 3) continue;
    int prime = 1;
    for (int64_t d = 3; d * d <= p; d += 2)
      if (p % d == 0) {
        prime = 0;
        break;
      }
    c += prime;
  }
  job->c = c;
  return NULL;
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 2000, t = argc > 2 ? atoll(argv[2]) : 2;
  Job *jobs = calloc((size_t)t, sizeof *jobs);
  pthread_t *th = calloc((size_t)t, sizeof *th);
  for (int64_t k = 0; k < t; k++) {
    jobs[k] = (Job){n, t, k, 0};
    if (pthread_create(&th[k], NULL, count, &jobs[k]) != 0) return 1;
  }
  int64_t total = 1;
  for (int64_t k = 0; k < t; k++) {
    pthread_join(th[k], NULL);
    total += jobs[k].c;
  }
  printf("%lld\n", (long long)total);
  return 0;
}
