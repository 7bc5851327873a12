#!/bin/sh
# ablate.sh — the measured effect of interp mode's ablation switches
# (docs/interp.md "Ablation switches"). For each benchmark and each
# configuration: the median wall time of RUNS (default 5) uncounted runs
# (./lab), and one counted run's figures (./lab run --stats=json).
#
#   sh tests/bench/ablate.sh                 all four benchmarks
#   RUNS=9 sh tests/bench/ablate.sh fib      one benchmark, more runs
set -u
cd "$(dirname "$0")/../.."
LAB=${LAB:-./lab}
RUNS=${RUNS:-5}
BENCHES=${*:-"fib sum structs trees"}
. tests/bench/lib.sh
need_timeit || exit 1
# key JSON NAME: one number from the --stats=json object.
key() { printf '%s\n' "$1" | sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p"; }
echo "median of $RUNS runs, wall time in seconds; counts from one --stats run"
printf '%-8s %-22s %8s %7s %11s %11s %11s %13s %11s\n' benchmark switch time ratio objects ints \
    structs field-lookups bytes
for b in $BENCHES; do
    toy=tests/bench/$b.toy
    base=
    for sw in "" --no-small-int-cache --struct-fields=slots --alloc=malloc; do
        t=$("$TIMEIT" "$RUNS" "$LAB" run $sw "$toy" 2>/dev/null || echo -)
        [ -z "$sw" ] && base=$t
        j=$("$LAB" run $sw --stats=json "$toy" 2>&1 >/dev/null | tail -1)
        ints=$(printf '%s\n' "$j" | sed -n 's/.*"int": \([0-9]*\).*/\1/p')
        structs=$(printf '%s\n' "$j" | sed -n 's/.*"struct": \([0-9]*\).*/\1/p')
        printf '%-8s %-22s %8.4f %6.2fx %11s %11s %11s %13s %11s\n' "$b" "${sw:-(default)}" "$t" \
            "$(awk -v a="$t" -v b="$base" 'BEGIN { print a / b }')" "$(key "$j" objects_allocated_total)" \
            "$ints" "$structs" "$(key "$j" field_lookups)" "$(key "$j" bytes_allocated)"
    done
done
