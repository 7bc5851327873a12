#!/bin/sh
# gil_off.sh — what removing the GIL costs one thread, and what it buys two
# (issue 21, docs/free-threading.md). Median wall time of RUNS (default 5)
# runs of each `lab bench` row in interp mode:
#   default     ./lab: the GIL, plain counts, the specializer on
#   spec off    ./lab --specialize=off: as --gil=off has it off (CPython
#               3.13t too), this separates the specializer's share
#   biased      build/ft/lab --rc=biased --specialize=off: the free-threaded
#               build's header and biased counting, with the GIL
#   gil off     ./lab --gil=off: biased counting, every container operation
#               under the container's lock, the collector stopping the world
# The overhead is split in three factors whose product is gil off / default:
#   specializer = spec off / default, counting = biased / spec off,
#   locking = gil off / biased
# and the last column counts the per-object lock acquisitions (one counted
# run). Then primes on 1 and 2 threads (the same work), with and without the
# GIL: the speed-up is the 1-thread time over the 2-thread time.
#
#   sh tests/bench/gil_off.sh                 every row
#   RUNS=9 sh tests/bench/gil_off.sh fib sum  some rows, more runs
set -u
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
. tests/bench/lib.sh
need_timeit || exit 1
need_ft gil_off.sh
rows="$ONE_THREAD_ROWS"
want=${*:-}
echo "median wall time of $RUNS runs, seconds; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %8s %8s %8s %8s %9s %9s %9s %9s %12s\n' row default "spec off" biased "gil off" total \
    specializer counting locking "locks taken"
for r in $rows; do
    name=${r%%:*} rest=${r#*:}
    stem=${rest%%:*} args=$(echo "${rest#*:}" | tr ',' ' ')
    if [ -n "$want" ] && ! echo " $want " | grep -q " $name "; then continue; fi
    toy=tests/bench/$stem.toy
    d=$("$TIMEIT" "$RUNS" ./lab run "$toy" -- $args 2>/dev/null || echo -)
    s=$("$TIMEIT" "$RUNS" ./lab run --specialize=off "$toy" -- $args 2>/dev/null || echo -)
    b=$("$TIMEIT" "$RUNS" build/ft/lab run --rc=biased --specialize=off "$toy" -- $args 2>/dev/null || echo -)
    g=$("$TIMEIT" "$RUNS" ./lab run --gil=off "$toy" -- $args 2>/dev/null || echo -)
    j=$(./lab run --gil=off --stats=json "$toy" -- $args 2>&1 >/dev/null | tail -1)
    locks=$(printf '%s\n' "$j" | sed -n 's/.*"lock_acquisitions": \([0-9]*\).*/\1/p')
    printf '%-14s %8.3f %8.3f %8.3f %8.3f %9s %9s %9s %9s %12s\n' "$name" "$d" "$s" "$b" "$g" "$(ratio "$g" "$d")" \
        "$(ratio "$s" "$d")" "$(ratio "$b" "$s")" "$(ratio "$g" "$b")" "$locks"
done
if [ -z "$want" ] || echo " $want " | grep -q " primes "; then
    echo
    echo "primes below 600000, the same work on 1 and 2 threads (examples/threads/primes.toy)"
    printf '%-10s %10s %10s %9s\n' config "1 thread" "2 threads" speed-up
    for cfg in "--gil=on" "--gil=off"; do
        one=$("$TIMEIT" "$RUNS" ./lab run $cfg examples/threads/primes.toy -- 1 600000 2>/dev/null || echo -)
        two=$("$TIMEIT" "$RUNS" ./lab run $cfg examples/threads/primes.toy -- 2 600000 2>/dev/null || echo -)
        printf '%-10s %10.3f %10.3f %9s\n' "$cfg" "$one" "$two" "$(ratio "$one" "$two")"
    done
fi
