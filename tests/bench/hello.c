// Benchmark twin of hello.toy in plain C: start-up cost.
#include <stdio.h>

int main(void) {
  puts("Hello, world!");
  return 0;
}
