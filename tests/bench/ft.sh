#!/bin/sh
# ft.sh — what thread-safe reference counting costs one thread (issue 21,
# docs/free-threading.md): each `lab bench` row in interp mode, the median
# wall time of RUNS (default 5) runs in four configurations:
#   default       ./lab: plain counts, the 16-byte object header
#   ft plain      build/ft/lab --rc=plain: the free-threaded build's 32-byte
#                 header and its mode switch, counts still plain
#   ft atomic     --rc=atomic: every count update an atomic read-modify-write
#   ft biased     --rc=biased: the owner's updates plain, the rest atomic
# with each one's ratio to the default, and, from one counted run, how many
# count updates were plain (the owner's) and atomic.
#
#   sh tests/bench/ft.sh                  every row
#   RUNS=9 sh tests/bench/ft.sh fib sum   some rows, more runs
set -u
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
. tests/bench/lib.sh
need_timeit || exit 1
need_ft ft.sh
# The rows of `lab bench` (compiler/lab/bench.c) that run Toy code in one thread.
rows="$ONE_THREAD_ROWS primes_2t:primes:600000,2"
want=${*:-}
echo "median wall time of $RUNS runs, seconds; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %8s %14s %14s %14s %12s %12s\n' row default "ft plain" "ft atomic" "ft biased" "biased: own" "shared"
for r in $rows; do
    name=${r%%:*} rest=${r#*:}
    stem=${rest%%:*} args=$(echo "${rest#*:}" | tr ',' ' ')
    if [ -n "$want" ] && ! echo " $want " | grep -q " $name "; then continue; fi
    toy=tests/bench/$stem.toy
    d=$("$TIMEIT" "$RUNS" ./lab run "$toy" -- $args 2>/dev/null || echo -)
    p=$("$TIMEIT" "$RUNS" build/ft/lab run --rc=plain "$toy" -- $args 2>/dev/null || echo -)
    a=$("$TIMEIT" "$RUNS" build/ft/lab run --rc=atomic "$toy" -- $args 2>/dev/null || echo -)
    b=$("$TIMEIT" "$RUNS" build/ft/lab run --rc=biased "$toy" -- $args 2>/dev/null || echo -)
    j=$(./lab run --rc=biased --stats=json "$toy" -- $args 2>&1 >/dev/null | tail -1)
    own=$(printf '%s\n' "$j" | sed -n 's/.*"rc": {[^}]*"local": \([0-9]*\).*/\1/p')
    shared=$(printf '%s\n' "$j" | sed -n 's/.*"rc": {[^}]*"shared": \([0-9]*\).*/\1/p')
    printf '%-14s %8.3f %7.3f %6s %7.3f %6s %7.3f %6s %12s %12s\n' "$name" "$d" "$p" "$(ratio "$p" "$d")" \
        "$a" "$(ratio "$a" "$d")" "$b" "$(ratio "$b" "$d")" "$own" "$shared"
done
