#!/bin/sh
# run.sh — the benchmark table of issues 2 and 3 (`make bench`).
#
# For each benchmark NAME in tests/bench/ it times, RUNS times each (default
# 5) in this one invocation, and reports medians of wall time:
#   interp     ./lab run NAME.toy
#   native     ./lab run --mode=native NAME.toy   (after one warm-up run that
#              fills the cache, so the C compiler is not timed)
#   unchecked  the same with --unchecked
#   CPython    NAME.py  ($PYTHON, else Debian's optimized /usr/bin/python3,
#              else python3)
#   C          NAME.c compiled with $CC -O2 (default cc)
#   Rust       NAME.rs compiled with rustc -O, when rustc is present
# and checks that every one of them prints the same thing. A column whose
# toolchain (or mode) is missing shows "-". Then it times native mode's
# first compile of a 300-line program (compile300.toy) in a fresh cache.
#
#   sh tests/bench/run.sh                  all benchmarks
#   RUNS=9 sh tests/bench/run.sh fib35     one benchmark, more runs
set -u

cd "$(dirname "$0")/../.."
LAB=${LAB:-./lab}
RUNS=${RUNS:-5}
BENCHES=${*:-"hello fib fib35 sum"}
CC=${CC:-cc}
OUT=build/bench
mkdir -p "$OUT"

if [ ! -x "$LAB" ]; then
    echo "run.sh: $LAB not found; build it with \`make\`" >&2
    exit 1
fi
if [ -n "${PYTHON:-}" ]; then PY=$PYTHON
elif [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then PY=$(command -v python3)
else PY=; fi
RUSTC=$(command -v rustc 2>/dev/null || true)

TIMEIT=$OUT/timeit
if [ ! -x "$TIMEIT" ] || [ tests/bench/timeit.c -nt "$TIMEIT" ]; then
    $CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$TIMEIT" tests/bench/timeit.c || exit 1
fi

echo "lab: $LAB ($("$LAB" --version 2>/dev/null || echo '?')), CC=$CC"
[ -n "$PY" ] && echo "python: $PY ($("$PY" --version 2>&1))" || echo "python: none (set PYTHON=...)"
[ -n "$RUSTC" ] && echo "rust: $($RUSTC --version)" || echo "rust: none"
echo "median of $RUNS runs, wall time in seconds"
echo

# secs CMD...: the median wall time of CMD, or "-" if it fails.
secs() { "$TIMEIT" "$RUNS" "$@" 2>/dev/null || echo -; }
# ratio A B: A/B to two decimals, or "-".
ratio() {
    case "$1$2" in *-*) echo - ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }' ;; esac
}
num() { case "$1" in -) echo - ;; *) awk -v t="$1" 'BEGIN { printf "%.4f", t }' ;; esac; }

printf '%-8s %9s %9s %9s %9s %9s %9s | %8s %8s %8s %8s\n' benchmark interp native unchecked CPython C Rust \
    int/nat int/py nat/C unch/C
for b in $BENCHES; do
    toy=tests/bench/$b.toy
    [ -f "$toy" ] || { echo "run.sh: no benchmark $toy" >&2; exit 1; }
    want=$("$LAB" run "$toy")
    check() {  # check LABEL CMD...: same output as interp, or the column is dropped
        label=$1
        shift
        got=$("$@" 2>/dev/null) || return 1
        [ "$got" = "$want" ] || { echo "run.sh: $b: $label printed '$got', interp '$want'" >&2; return 1; }
    }
    i_t=$(secs "$LAB" run "$toy")
    n_t=-; u_t=-; p_t=-; c_t=-; r_t=-
    if check native "$LAB" run --mode=native "$toy"; then n_t=$(secs "$LAB" run --mode=native "$toy"); fi
    if check unchecked "$LAB" run --mode=native --unchecked "$toy"; then
        u_t=$(secs "$LAB" run --mode=native --unchecked "$toy")
    fi
    if [ -n "$PY" ] && [ -f "tests/bench/$b.py" ] && check python "$PY" "tests/bench/$b.py"; then
        p_t=$(secs "$PY" "tests/bench/$b.py")
    fi
    if [ -f "tests/bench/$b.c" ] && $CC -O2 -o "$OUT/$b-c" "tests/bench/$b.c" && check C "$OUT/$b-c"; then
        c_t=$(secs "$OUT/$b-c")
    fi
    if [ -n "$RUSTC" ] && [ -f "tests/bench/$b.rs" ] && $RUSTC -O -o "$OUT/$b-rs" "tests/bench/$b.rs" 2>/dev/null &&
        check Rust "$OUT/$b-rs"; then
        r_t=$(secs "$OUT/$b-rs")
    fi
    printf '%-8s %9s %9s %9s %9s %9s %9s | %8s %8s %8s %8s\n' "$b" "$(num "$i_t")" "$(num "$n_t")" \
        "$(num "$u_t")" "$(num "$p_t")" "$(num "$c_t")" "$(num "$r_t")" "$(ratio "$i_t" "$n_t")" \
        "$(ratio "$i_t" "$p_t")" "$(ratio "$n_t" "$c_t")" "$(ratio "$u_t" "$c_t")"
    # A C twin with native mode's overflow checks, where one exists.
    if [ -f "tests/bench/${b}_checked.c" ] && $CC -O2 -o "$OUT/$b-ck" "tests/bench/${b}_checked.c" &&
        check "checked C" "$OUT/$b-ck"; then
        k_t=$(secs "$OUT/$b-ck")
        echo "         C with the same overflow checks ($b""_checked.c): $(num "$k_t") s;" \
            "native / checked C = $(ratio "$n_t" "$k_t")"
    fi
    if [ "$b" = hello ]; then
        echo "         start-up: interp $(awk -v t="$i_t" 'BEGIN{printf "%.2f", t*1000}') ms," \
            "cached native $(case $n_t in -) echo -;; *) awk -v t="$n_t" 'BEGIN{printf "%.2f", t*1000}';; esac) ms" \
            "(targets: <= 5 ms each)"
    fi
done

# First compile of a 300-line program, in a fresh cache whose runtime is
# already built (the runtime is compiled once per lab, not per program).
echo
fresh=$(mktemp -d)
if XDG_CACHE_HOME=$fresh "$LAB" run --mode=native tests/bench/hello.toy >/dev/null 2>&1; then
    t0=$(date +%s%N)
    XDG_CACHE_HOME=$fresh "$LAB" build tests/bench/compile300.toy -o "$OUT/compile300" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "first native compile of compile300.toy ($(wc -l < tests/bench/compile300.toy) lines, C compiler included):" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') s (target: <= 1.5 s)"
else
    echo "first native compile: native mode unavailable"
fi
rm -rf "$fresh"
echo "targets: interp <= 1.0x CPython on fib and sum (issue 2);" \
    "native <= 1.15x C on fib35 (unchecked <= 1.05x), <= 1.3x C on sum (issue 3)"
