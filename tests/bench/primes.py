# Twin of primes.toy: count the primes below N by trial division over T
# threads (threading.Thread; CPython's GIL lets one run at a time).
import sys
import threading


def count(n, t, k, out):
    c = 0
    j = k
    while 2 * j + 1 < n:
        p = 2 * j + 1
        if p >= 3:
            prime = True
            d = 3
            while d * d <= p:
                if p % d == 0:
                    prime = False
                    break
                d += 2
            if prime:
                c += 1
        j += t
    out[k] = c


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    t = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    out = [0] * t
    hs = [threading.Thread(target=count, args=(n, t, k, out)) for k in range(t)]
    for h in hs:
        h.start()
    for h in hs:
        h.join()
    print(1 + sum(out))


main()
