# Twin of sleepy.toy: T threads, each R rounds of a 10 ms sleep and a little
# arithmetic (time.sleep releases the GIL).
import sys
import threading
import time


def worker(k, rounds, out):
    acc = 0
    for r in range(rounds):
        time.sleep(0.01)
        for i in range(1000):
            acc += (i * k + r) % 7
    out[k] = acc


def main():
    t = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    out = [0] * t
    hs = [threading.Thread(target=worker, args=(k, rounds, out)) for k in range(t)]
    for h in hs:
        h.start()
    for h in hs:
        h.join()
    print(sum(out))


main()
