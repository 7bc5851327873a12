# lib.sh — what the benchmark scripts share (sourced by threads.sh,
# counting.sh, ab.sh, boundary.sh, specialize.sh, ablate.sh and ft.sh; it
# runs nothing itself).

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
