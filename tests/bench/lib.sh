# lib.sh — what the benchmark scripts share (sourced by threads.sh,
# counting.sh, ab.sh, boundary.sh, specialize.sh, ablate.sh, ft.sh and
# gil_off.sh; it runs nothing itself).

# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# cpu_time OUT CMD...: runs CMD (output discarded) and appends its CPU time,
# user + sys seconds, to the file OUT; with PEAK_RSS=1, the peak RSS in KiB
# after it on the same line.
cpu_time() {
  out=$1
  shift
  /usr/bin/time -f "%U %S %M" -o "$out.t" "$@" >/dev/null 2>&1
  if [ "${PEAK_RSS:-0}" = 1 ]; then awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$out.t" >>"$out"
  else awk '{ printf "%.3f\n", $1 + $2 }' "$out.t" >>"$out"; fi
  rm -f "$out.t"
}

# need_timeit: sets TIMEIT to build/bench/timeit (tests/bench/timeit.c: the
# median wall time of N runs), compiling it first if it is missing or older
# than its source. Run from the repository's root.
need_timeit() {
  TIMEIT=build/bench/timeit
  mkdir -p build/bench
  if [ ! -x "$TIMEIT" ] || [ tests/bench/timeit.c -nt "$TIMEIT" ]; then
    ${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$TIMEIT" tests/bench/timeit.c || return 1
  fi
}

# The one-thread rows of `lab bench` (compiler/lab/bench.c) as NAME:STEM:ARGS
# (tests/bench/STEM.toy, ARGS comma-separated), for ft.sh and gil_off.sh,
# at the sizes their tables in docs/free-threading.md were measured with
# (`lab bench` now runs nbody 500000: natively 100000 steps took 10 ms,
# too short for this machine's noise).
ONE_THREAD_ROWS="fib:fib:35 sum:sum:10000000 sort:sort:1000000 wordcount:wordcount:1000000
binary_trees:binary_trees:13 nbody:nbody:100000 logs_struct:logs:300000,struct
logs_map:logs:300000,map list_grown:list:10000000,grown list_prealloc:list:10000000,prealloc
primes_1t:primes:600000,1"

# ratio A B: A / B as "1.23x", or "-" if either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "%.2fx", a / b; else printf "-" }'; }

# need_ft NAME: the free-threaded build must be there (NAME: the script, for
# the message); exits 1 if it is not.
need_ft() {
  [ -x build/ft/lab ] || { echo "$1: build/ft/lab is missing: run make"; exit 1; }
}
