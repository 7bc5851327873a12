// Twin of idle.toy in C: wait 50 ms, print one word; the figure is peak RSS.
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts = {0, 50000000};
  nanosleep(&ts, NULL);
  puts("idle");
  return 0;
}
