# Twin of sort.toy: sort N pseudo-random ints with list.sort().
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    v = []
    x = 42
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        v.append(x)
    v.sort()
    check = 0
    for i in range(n):
        check += v[i] * (i % 7 + 1)
    print(v[0], v[n // 2], v[n - 1], check)


main()
