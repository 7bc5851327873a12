#!/bin/sh
# figures.sh — the figures issue 5 asks the lab to show (docs/benchmarks.md):
#  1. examples/sum.toy (10M ints): interp's allocations, refcount operations
#     and peak live bytes against native's, and CPython's peak RSS for
#     list(range(10_000_000));
#  2. binary trees at depth 16 (tests/bench/binary_trees.toy): the share of
#     interp's time spent in the cycle collector and its longest pause,
#     against CPython's (measured with gc.callbacks).
# Counts come from `lab run --stats=json` (the counted build); nothing here
# is a timed test.
#
#   sh tests/bench/figures.sh [DEPTH]     (default 16)
set -u
cd "$(dirname "$0")/../.."
LAB=${LAB:-./lab}
DEPTH=${1:-16}
if [ -n "${PYTHON:-}" ]; then PY=$PYTHON
elif [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then PY=$(command -v python3)
else PY=; fi

# key JSON NAME: a number from a flat --stats=json line.
key() { printf '%s\n' "$1" | tr ',{}' '\n\n\n' | awk -F': ' -v k="\"$2\"" '$1 ~ k { print $2; exit }' | tr -d ' '; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

echo "== examples/sum.toy: 10M ints =="
i=$("$LAB" run --stats=json examples/sum.toy 2>&1 >/dev/null | tail -1)
n=$("$LAB" run --mode=native --stats=json examples/sum.toy 2>&1 >/dev/null | tail -1)
inc=$(key "$i" increfs); dec=$(key "$i" decrefs)
printf '%-26s %18s %18s\n' "" interp native
printf '%-26s %18s %18s\n' "objects / allocations" "$(key "$i" objects_allocated_total)" "$(key "$n" allocs)"
printf '%-26s %18s %18s\n' "  of which ints" "$(key "$i" int)" "-"
printf '%-26s %18s %18s\n' "refcount operations" "$((inc + dec))" 0
printf '%-26s %18s %18s\n' "bytes allocated" "$(mb "$(key "$i" bytes_allocated)")" "$(mb "$(key "$n" bytes_allocated)")"
printf '%-26s %18s %18s\n' "peak live bytes" "$(mb "$(key "$i" peak_live_bytes)")" "$(mb "$(key "$n" peak_live_bytes)")"
printf '%-26s %15s KiB %15s KiB\n' "peak RSS" "$(key "$i" peak_rss_kib)" "$(key "$n" peak_rss_kib)"
echo "peak live bytes, interp / native: $(awk -v a="$(key "$i" peak_live_bytes)" -v b="$(key "$n" peak_live_bytes)" 'BEGIN { printf "%.2fx", a / b }')"
if [ -n "$PY" ]; then
    rss=$("$PY" -c 'import resource; l = list(range(10_000_000)); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)')
    echo "CPython ($("$PY" --version 2>&1)) list(range(10_000_000)): peak RSS $rss KiB"
fi

echo
echo "== binary trees, depth $DEPTH =="
i=$("$LAB" run --stats=json tests/bench/binary_trees.toy -- "$DEPTH" 2>&1 >/dev/null | tail -1)
wall=$(key "$i" wall_ms); pause=$(key "$i" gc_pause_total_ms)
echo "lab interp: wall $wall ms; $(key "$i" gc_collections) collections, $(key "$i" gc_collected) objects collected;" \
    "GC pauses $pause ms ($(awk -v p="$pause" -v w="$wall" 'BEGIN { printf "%.0f%%", 100 * p / w }') of the run)," \
    "longest $(key "$i" gc_pause_max_ms) ms"
if [ -n "$PY" ]; then
    g=$(BT_GC_STATS=1 "$PY" tests/bench/binary_trees.py "$DEPTH" 2>&1 >/dev/null | grep '^cpython-gc' | tail -1)
    set -- $g
    echo "CPython:    wall $6 ms; $2 collections, $3 objects collected;" \
        "GC pauses $4 ms ($(awk -v p="$4" -v w="$6" 'BEGIN { printf "%.0f%%", 100 * p / w }') of the run), longest $5 ms"
fi
