#!/bin/sh
# run.sh — the benchmark table of issue 2 (`make bench`).
#
# Runs each Toy benchmark in tests/bench/ with `./lab run` (interp mode) and
# its Python twin (NAME.py), RUNS times each (default 5), and prints the
# median wall times and their ratio. Python is $PYTHON if set, else Debian's
# optimized /usr/bin/python3 if present, else python3 from PATH.
#
#   sh tests/bench/run.sh              all benchmarks
#   RUNS=9 sh tests/bench/run.sh fib   one benchmark, more runs
#   LAB=build/debug/lab sh tests/bench/run.sh
set -eu

cd "$(dirname "$0")/../.."
LAB=${LAB:-./lab}
RUNS=${RUNS:-5}
BENCHES=${*:-"fib sum hello"}

if [ ! -x "$LAB" ]; then
    echo "run.sh: $LAB not found; build it with \`make\`" >&2
    exit 1
fi

if [ -n "${PYTHON:-}" ]; then
    PY=$PYTHON
elif [ -x /usr/bin/python3 ]; then
    PY=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then
    PY=$(command -v python3)
else
    PY=
    echo "note: no python3 found (set PYTHON=...): showing lab times only"
fi

# The stopwatch: a tiny C program, so that fork/exec of `date` is not timed.
TIMEIT=build/bench-timeit
mkdir -p build
if [ ! -x "$TIMEIT" ] || [ tests/bench/timeit.c -nt "$TIMEIT" ]; then
    ${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$TIMEIT" tests/bench/timeit.c
fi

echo "lab: $LAB ($("$LAB" --version 2>/dev/null || echo '?'))"
[ -n "$PY" ] && echo "python: $PY ($("$PY" --version 2>&1))"
echo "median of $RUNS runs, wall time"
echo
printf '%-10s %14s %14s %10s\n' benchmark "lab interp" python "lab/python"

for b in $BENCHES; do
    toy=tests/bench/$b.toy
    py=tests/bench/$b.py
    if [ ! -f "$toy" ]; then
        echo "run.sh: no benchmark $toy" >&2
        exit 1
    fi
    # Same output from both, or the comparison means nothing.
    lab_out=$("$LAB" run "$toy")
    if [ -n "$PY" ] && [ -f "$py" ]; then
        py_out=$("$PY" "$py")
        if [ "$lab_out" != "$py_out" ]; then
            echo "run.sh: $b: lab printed '$lab_out' but python printed '$py_out'" >&2
            exit 1
        fi
    fi
    lab_t=$("$TIMEIT" "$RUNS" "$LAB" run "$toy")
    if [ -n "$PY" ] && [ -f "$py" ]; then
        py_t=$("$TIMEIT" "$RUNS" "$PY" "$py")
        ratio=$(awk -v a="$lab_t" -v b="$py_t" 'BEGIN { printf "%.2fx", a / b }')
        py_s=$(awk -v t="$py_t" 'BEGIN { printf "%.3f s", t }')
    else
        ratio=-
        py_s=-
    fi
    lab_s=$(awk -v t="$lab_t" 'BEGIN { printf "%.3f s", t }')
    printf '%-10s %14s %14s %10s\n' "$b" "$lab_s" "$py_s" "$ratio"
    if [ "$b" = hello ]; then
        hello_ms=$(awk -v t="$lab_t" 'BEGIN { printf "%.2f", t * 1000 }')
    fi
done

if [ -n "${hello_ms:-}" ]; then
    echo
    echo "hello-world start-up: lab run takes $hello_ms ms (target: <= 5 ms)"
fi
echo "targets (issue 2): fib and sum at most 1.00x CPython"
