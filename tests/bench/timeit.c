// timeit.c — the stopwatch of tests/bench/run.sh.
//
//   timeit RUNS CMD [ARGS...]
//
// Runs CMD RUNS times (stdin from /dev/null, stdout and stderr discarded) and
// prints the median wall time in seconds. Timing fork+exec+wait from C
// keeps the shell's own overhead out of millisecond-scale numbers such as
// hello-world start-up. Exits 1 if any run fails.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3 || atoi(argv[1]) <= 0) {
    fprintf(stderr, "usage: timeit RUNS CMD [ARGS...]\n");
    return 2;
  }
  int runs = atoi(argv[1]);
  double *t = malloc(sizeof(double) * (size_t)runs);
  if (!t) return 2;
  for (int i = 0; i < runs; i++) {
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
      perror("timeit: fork");
      return 2;
    }
    if (pid == 0) {
      int null = open("/dev/null", O_RDWR);
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
      execvp(argv[2], argv + 2);
      _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0) {
      perror("timeit: waitpid");
      return 2;
    }
    t[i] = now() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      fprintf(stderr, "timeit: `%s` failed (status %d)\n", argv[2], st);
      return 1;
    }
  }
  qsort(t, (size_t)runs, sizeof *t, cmp_double);
  printf("%.6f\n", runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2);
  free(t);
  return 0;
}
