# Twin of binary_trees.toy (benchmarks game shape). With BT_GC_STATS=1 it
# also reports CPython's cycle-collector figures on stderr: collections,
# objects collected, total and longest pause (gc.callbacks).
import gc, os, sys, time

class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right

def make(d):
    if d == 0:
        return Node(None, None)
    return Node(make(d - 1), make(d - 1))

def check(n):
    c = 1
    if n.left is not None:
        c += check(n.left)
    if n.right is not None:
        c += check(n.right)
    return c

pauses, collected, t0 = [], [0], [0.0]
def on_gc(phase, info):
    if phase == "start":
        t0[0] = time.perf_counter()
    else:
        pauses.append(time.perf_counter() - t0[0])
        collected[0] += info.get("collected", 0)

def main():
    max_depth = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    min_depth = 4
    stretch = max_depth + 1
    print("stretch tree of depth", stretch, "check:", check(make(stretch)))
    long_lived = make(max_depth)
    d = min_depth
    while d <= max_depth:
        iterations = 1 << (max_depth - d + min_depth)
        total = 0
        for i in range(iterations):
            total += check(make(d))
        print(iterations, "trees of depth", d, "check:", total)
        d += 2
    print("long lived tree of depth", max_depth, "check:", check(long_lived))

if os.environ.get("BT_GC_STATS"):
    gc.callbacks.append(on_gc)
start = time.perf_counter()
main()
wall = time.perf_counter() - start
if os.environ.get("BT_GC_STATS"):
    print(f"cpython-gc {len(pauses)} {collected[0]} {sum(pauses)*1e3:.3f} {max(pauses, default=0)*1e3:.3f} {wall*1e3:.3f}",
          file=sys.stderr)
