// Twin of binary_trees.toy in C: every node its own malloc, freed when the
// tree is dropped (as native mode's owned ?Node fields are).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node { struct Node *left, *right; } Node;

static Node *make(int d) {
  Node *n = malloc(sizeof *n);
  if (!n) abort();
  n->left = d ? make(d - 1) : NULL;
  n->right = d ? make(d - 1) : NULL;
  return n;
}
static int64_t check(const Node *n) {
  return 1 + (n->left ? check(n->left) : 0) + (n->right ? check(n->right) : 0);
}
static void drop(Node *n) {
  if (!n) return;
  drop(n->left);
  drop(n->right);
  free(n);
}

int main(int argc, char **argv) {
  int max_depth = argc > 1 ? atoi(argv[1]) : 6, min_depth = 4, stretch = max_depth + 1;
  Node *s = make(stretch);
  printf("stretch tree of depth %d check: %lld\n", stretch, (long long)check(s));
  drop(s);
  Node *long_lived = make(max_depth);
  for (int d = min_depth; d <= max_depth; d += 2) {
    int64_t iterations = (int64_t)1 << (max_depth - d + min_depth), total = 0;
    for (int64_t i = 0; i < iterations; i++) {
      Node *t = make(d);
      total += check(t);
      drop(t);
    }
    printf("%lld trees of depth %d check: %lld\n", (long long)iterations, d, (long long)total);
  }
  printf("long lived tree of depth %d check: %lld\n", max_depth, (long long)check(long_lived));
  drop(long_lived);
  return 0;
}
