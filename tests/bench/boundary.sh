#!/bin/sh
# boundary.sh [LAB] — the hybrid boundary's cost per call, per list element,
# and the break-even size (docs/hybrid.md, docs/results.md "The hybrid
# boundary").
# Per call: the `calls` loop of tests/bench/boundary.toy (N calls of a trivial
# function) in interp (an interpreted call), hybrid (a crossing), native, and
# its CPython twin calling a Python function, the C extension and PyO3; minus
# each one's `loop` (the same work without the calls): ns per call.
# Per element: for n = 1, 10, …, 10^6 it times one call of `total(&v)` on a list of n ints
# (tests/bench/boundary.toy `sweep N`, timed inside the program with clock()):
#   interp   the function interpreted: a bytecode loop over boxed ints
#   hybrid   #[native]: the list converted (n unboxings), then a C loop
#   CPython  a C extension's total() (boundary_ext.c: PySequence_Fast and
#            PyLong_AsLongLong per item), the reference
#   Python   the same loop in pure Python
# and prints a table: ns per call and per element, and where hybrid starts to
# win. Medians of 3 runs each (of 5, wall time of the whole process, for the
# per-call part). Needs a C compiler; the CPython columns need python3 and
# its headers (python3-dev); PyO3's, cargo and Debian's librust-pyo3-dev
# (built offline from /usr/share/cargo/registry into build/bench/pyo3).
# --markdown: the same as a section of docs/results.md (`make results` appends it).
md=0
if [ "${1:-}" = --markdown ]; then md=1; shift; fi
L=${1:-./lab}
cd "$(dirname "$0")/../.." || exit 1
. tests/bench/lib.sh  # median
if [ $md = 1 ]; then
    out=$(sh "$0" "$L") || exit 1
    echo
    echo "### The boundary per call and per element (tests/bench/boundary.sh)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1 /proc/loadavg) at the end, $(nproc) CPUs; wall times, medians."
    echo
    echo '```'
    echo "$out"
    echo '```'
    echo
    echo "$out" | awk '
        /^  hybrid:/ { hy = $(NF - 1) } /^  interp:/ { it = $(NF - 1) } /C extension/ { ce = $(NF - 1) } /PyO3 function/ { po = $(NF - 1) }
        # the per-element table: n, 5 times, "|", 3 slopes, the ratio
        /^ *[0-9]+ / && $1 >= 1000 && $1 <= 100000 { nh++; sh += $8; if ($9 != "-") { nc++; sc += $9 } if ($10 != "-") { np++; sp += $10 } }
        /^ *[0-9]+ / && be == "" && $NF + 0 > 1 { be = $1 }
        END {
            printf "Per call, an iteration that crosses into compiled code costs %s ns against %s ns for an interpreted call", hy, it
            if (ce != "") printf ", and %s ns (C extension) and %s ns (PyO3) in CPython", ce, (po != "" ? po : "-")
            printf ". Each row includes the interpreted loop around the call, which is most of it; what the call adds is the same order in all of them, tens of nanoseconds, as the published 20–70 ns per PyO3 call. A crossing costs about what an interpreted call costs: moving a function that does little per call cannot pay. "
            if (nh) printf "Per element (n = 1,000 to 100,000), converting a list costs %.1f ns in the lab", sh / nh
            if (nc) printf ", %.1f ns in the C extension", sc / nc
            if (np) printf " and %.1f ns through PyO3", sp / np
            printf ": the lab and the C extension do the same work per element (check the type, load the unboxed value into a new array); PyO3 0.17 extracts a `Vec<i64>` through the sequence protocol, one object at a time with its error handling, hence slower. "
            if (be != "") printf "A function that reads every element once wins in hybrid mode from n = %s on.\n", be
        }'
    exit 0
fi
PY=${PYTHON:-/usr/bin/python3}
CC=${CC:-cc}
mkdir -p build/bench
have_ext=0
if [ -x "$PY" ] && inc=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null) &&
   [ -f "$inc/Python.h" ] && $CC -O2 -shared -fPIC -I"$inc" -o build/bench/boundary_ext.so tests/bench/boundary_ext.c; then
    have_ext=1
fi
# PyO3, from Debian's crates, offline.
have_pyo3=0
if [ -x "$PY" ] && command -v cargo >/dev/null 2>&1 && ls -d /usr/share/cargo/registry/pyo3-0.17* >/dev/null 2>&1; then
    d=build/bench/pyo3
    mkdir -p "$d/src" "$d/.cargo"
    cp tests/bench/boundary_pyo3.rs "$d/src/lib.rs"
    printf '[package]\nname = "boundary_pyo3"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\nname = "boundary_pyo3"\ncrate-type = ["cdylib"]\n\n[dependencies]\npyo3 = { version = "0.17", features = ["extension-module"] }\n' >"$d/Cargo.toml"
    printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' >"$d/.cargo/config.toml"
    if (cd "$d" && PYO3_PYTHON="$PY" cargo build --release -q 2>"../pyo3.log"); then
        cp "$d/target/release/libboundary_pyo3.so" build/bench/boundary_pyo3.so && have_pyo3=1
    fi
fi

# Per call: wall ms of N calls, minus the same loop's work without the calls.
N=2000000
wall() {  # wall CMD...: the median wall time of 5 runs, in ms
    for k in 1 2 3 4 5; do
        s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000))
    done | median | awk '{ printf "%.1f", $1 / 1000 }'
}
per_call() {  # per_call NAME CALLS-CMD... :: LOOP-CMD...: ns per call
    name=$1; shift
    calls="" loop="" into=calls
    for a in "$@"; do
        if [ "$a" = :: ]; then into=loop; continue; fi
        if [ $into = calls ]; then calls="$calls '$a'"; else loop="$loop '$a'"; fi
    done
    c=$(eval wall $calls) l=$(eval wall $loop)
    printf '  %-34s %10s ms %10s ms %9.1f ns\n' "$name" "$c" "$l" "$(awk -v c="$c" -v l="$l" -v n=$N 'BEGIN { print (c - l) * 1e6 / n }')"
}
"$L" run --mode=hybrid tests/bench/boundary.toy -- calls 10 >/dev/null  # the library, compiled and cached
echo "Per call: $N iterations of a loop calling a trivial function, minus the run without the calls"
echo "(the loop's work done once, compiled; median of 5, wall): an interpreted iteration plus the call"
printf '  %-34s %13s %13s %12s\n' "" "N calls" "no calls" "per iteration"
T=tests/bench/boundary.toy
per_call "interp: an interpreted call" "$L" run --mode=interp $T -- calls $N :: "$L" run --mode=interp $T -- loop 1
per_call "hybrid: a #[native] call" "$L" run --mode=hybrid $T -- calls $N :: "$L" run --mode=hybrid $T -- loop $N
if [ -x "$PY" ]; then
    per_call "CPython: a Python function" env BOUNDARY_EXT=python "$PY" tests/bench/boundary.py calls $N :: env BOUNDARY_EXT=python "$PY" tests/bench/boundary.py loop 1
fi
[ $have_ext = 1 ] && per_call "CPython: a C extension function" "$PY" tests/bench/boundary.py calls $N :: "$PY" tests/bench/boundary.py loop $N
[ $have_pyo3 = 1 ] && per_call "CPython: a PyO3 function" env BOUNDARY_EXT=boundary_pyo3 "$PY" tests/bench/boundary.py calls $N :: env BOUNDARY_EXT=boundary_pyo3 "$PY" tests/bench/boundary.py loop $N
echo "  (every row's loop is interpreted, by the lab's VM or by CPython: the rows differ in the call)"
echo

cat >build/bench/boundary_pure.py <<'PY'
import sys, time
n = int(sys.argv[1]); v = list(range(n)); reps = max(5, 2000000 // (n + 10))
def total(v):
    s = 0
    for x in v:
        s += x
    return s
t0 = time.perf_counter(); s = 0
for _ in range(reps): s += total(v) % 7
print(n, reps, (time.perf_counter() - t0) / reps * 1e9)
PY
ns() {  # ns CMD...: the median of 3 runs' ns per call (the third field)
    for k in 1 2 3; do "$@" | awk '{print $3}'; done | median
}
echo "Per element: one call of total(&v) on a list of n ints (ns per call, timed inside each program)"
printf '%9s %12s %12s %12s %12s %12s | %9s %9s %9s %9s\n' n "interp ns" "hybrid ns" "CPython+C ns" "PyO3 ns" "Python ns" \
    "hy ns/el" "C-ext/el" "PyO3/el" "int/hyb"
prev_h="" prev_c="" prev_o="" prev_n=""
for n in 1 10 100 1000 10000 100000 1000000; do
    i=$(ns "$L" run --mode=interp tests/bench/boundary.toy -- sweep $n)
    h=$(ns "$L" run --mode=hybrid tests/bench/boundary.toy -- sweep $n)
    c=- p=- o=-
    if [ $have_ext = 1 ]; then c=$(ns "$PY" tests/bench/boundary.py sweep $n); fi
    if [ $have_pyo3 = 1 ]; then o=$(ns env BOUNDARY_EXT=boundary_pyo3 "$PY" tests/bench/boundary.py sweep $n); fi
    if [ -x "$PY" ]; then p=$(ns "$PY" build/bench/boundary_pure.py $n); fi
    # per element: the slope from the previous row (the fixed cost of a call cancels)
    he=- ce=- oe=-
    slope() { awk -v a="$1" -v b="$2" -v m="$prev_n" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / (n - m) }'; }
    if [ -n "$prev_n" ]; then
        he=$(slope "$prev_h" "$h")
        [ "$c" != - ] && ce=$(slope "$prev_c" "$c")
        [ "$o" != - ] && oe=$(slope "$prev_o" "$o")
    fi
    r=$(awk -v a="$i" -v b="$h" 'BEGIN { printf "%.2fx", a / b }')
    int0() { if [ "$1" = - ]; then echo -; else printf '%.0f' "$1"; fi; }
    printf '%9s %12.0f %12.0f %12s %12s %12s | %9s %9s %9s %9s\n' "$n" "$i" "$h" "$(int0 "$c")" "$(int0 "$o")" \
        "$(int0 "$p")" "$he" "$ce" "$oe" "$r"
    prev_h=$h prev_c=$c prev_o=$o prev_n=$n
done
[ $have_ext = 1 ] || echo "note: no C extension reference (needs python3 and python3-dev)"
[ $have_pyo3 = 1 ] || echo "note: no PyO3 reference (needs cargo and Debian's librust-pyo3-dev)"
echo "int/hyb > 1.00x: the #[native] call is faster than interpreting the function (the break-even is the first such n)."
