# Twin of list.toy: fill N ints by append (`grown`) or into [0] * n
# (`prealloc`), then sum them in a loop.
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    pre = len(sys.argv) > 2 and sys.argv[2] == "prealloc"
    total = 0
    if pre:
        v = [0] * n
        for i in range(n):
            v[i] = i * 3
    else:
        v = []
        for i in range(n):
            v.append(i * 3)
    for x in v:
        total += x
    print(total)


main()
