#!/bin/sh
# specialize.sh [LAB] — what the specializing adaptive interpreter (PEP 659,
# vm/specialize.c) saves: each row of interp's benchmarks run with
# --specialize=on and =off, alternating, 5 times; the median wall times and
# their ratio, beside the specialization counts of one --stats=json run
# (hits and misses over all families). docs/interp.md quotes a run.
L=${1:-./lab}
cd "$(dirname "$0")/../.." || exit 1
. tests/bench/lib.sh  # median
wall() {
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000))
}
printf '%-14s %10s %10s %8s %12s %10s\n' row "on (ms)" "off (ms)" "off/on" hits misses
for row in "fib 30" "sum 2000000" "nbody 30000" "logs 100000 struct" "binary_trees 12" "primes 200000 1" "sort 300000"; do
    set -- $row
    prog=tests/bench/$1.toy
    shift
    on="" off=""
    for k in 1 2 3 4 5; do
        on="$on $(wall "$L" run "$prog" -- "$@")"
        off="$off $(wall "$L" run --specialize=off "$prog" -- "$@")"
    done
    mon=$(echo $on | tr ' ' '\n' | median) moff=$(echo $off | tr ' ' '\n' | median)
    stats=$("$L" run --stats=json "$prog" -- "$@" 2>&1 >/dev/null | tail -1)
    hits=$(echo "$stats" | grep -o '"hits": [0-9]*' | awk '{ s += $2 } END { print s + 0 }')
    misses=$(echo "$stats" | grep -o '"misses": [0-9]*' | awk '{ s += $2 } END { print s + 0 }')
    printf '%-14s %10.1f %10.1f %7.2fx %12s %10s\n' "${row%% *}" "$(echo "$mon" | awk '{ print $1 / 1000 }')" \
        "$(echo "$moff" | awk '{ print $1 / 1000 }')" "$(awk -v a="$moff" -v b="$mon" 'BEGIN { print a / b }')" "$hits" "$misses"
done
