# Twin of boundary.toy: the same loops, the #[native] functions replaced by a
# C extension's (boundary_ext.c, which `lab bench` builds into build/bench/):
# CPython calling C, the reference for hybrid mode's boundary. With
# BOUNDARY_EXT=boundary_pyo3 the same functions through PyO3 (boundary_pyo3.rs,
# built by tests/bench/boundary.sh); with BOUNDARY_EXT=python, plain Python
# functions (no boundary at all: CPython calling CPython).
import importlib
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.getcwd(), "build", "bench"))


class PurePython:
    @staticmethod
    def step(s, i):
        return (s + i) % 1000003

    @staticmethod
    def steps(n):
        s = 0
        for i in range(n):
            s = (s + i) % 1000003
        return s

    @staticmethod
    def total(v):
        s = 0
        for x in v:
            s += x
        return s

    @staticmethod
    def spin(n, x):
        for i in range(n):
            x = (x * 1103515245 + 12345 + i) % 2147483648
        return x


_name = os.environ.get("BOUNDARY_EXT", "boundary_ext")
boundary_ext = PurePython if _name == "python" else importlib.import_module(_name)


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "calls"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    if kind == "calls":
        s = 0
        step = boundary_ext.step
        for i in range(n):
            s = step(s, i)
        print(s)
    elif kind == "loop":
        print(boundary_ext.steps(n))
    elif kind == "list":
        v = []
        for i in range(n):
            v.append(i)
        s = 0
        for r in range(10):
            s += boundary_ext.total(v) + r
        print(s)
    elif kind == "threads":
        out = [0, 0]

        def run(k):
            out[k] = boundary_ext.spin(n, k + 1)

        ts = [threading.Thread(target=run, args=(k,)) for k in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        print(out[0], out[1])
    elif kind == "sweep":
        v = list(range(n))
        reps = max(5, 2000000 // (n + 10))
        t0 = time.perf_counter()
        s = 0
        for _ in range(reps):
            s += boundary_ext.total(v) % 7
        t1 = time.perf_counter()
        print(n, reps, (t1 - t0) / reps * 1e9, "true" if s > -1 else "false")
    else:
        print("unknown kind", kind)


main()
