# Twin of logs.toy: N records as instances of a plain class (`struct`) or as
# one dict per record (`map`), scanned three times.
import sys


class Rec:
    def __init__(self, level, latency, size, status):
        self.level = level
        self.latency = latency
        self.size = size
        self.status = status


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    use_map = len(sys.argv) > 2 and sys.argv[2] == "map"
    x = 3
    errors = slow = nbytes = 0
    if use_map:
        recs = []
        for i in range(n):
            x = (x * 1103515245 + 12345) % 2147483648
            recs.append({"level": x % 4, "latency": (x // 4) % 1000, "size": (x // 4096) % 65536,
                         "status": 200 + (x // 64) % 5 * 100})
        for p in range(3):
            for r in recs:
                if r["level"] == 3 and r["status"] >= 500:
                    errors += 1
                if r["latency"] > 900:
                    slow += r["latency"]
                nbytes += r["size"]
    else:
        recs = []
        for i in range(n):
            x = (x * 1103515245 + 12345) % 2147483648
            recs.append(Rec(x % 4, (x // 4) % 1000, (x // 4096) % 65536, 200 + (x // 64) % 5 * 100))
        for p in range(3):
            for r in recs:
                if r.level == 3 and r.status >= 500:
                    errors += 1
                if r.latency > 900:
                    slow += r.latency
                nbytes += r.size
    print(errors, slow, nbytes)


main()
