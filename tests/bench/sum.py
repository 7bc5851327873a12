# Twin of sum.toy: build an N-int list with append in a for loop (N from
# argv, default 10 million), then sum it with a loop (not the builtin sum(),
# which would skip the interpreter loop the Toy version pays for).
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    v = []
    for i in range(n):
        v.append(i)
    total = 0
    for x in v:
        total += x
    print(total)


main()
