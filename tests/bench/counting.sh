#!/bin/sh
# counting.sh [LAB] — what the native runtime's counting costs (issue 15):
# each program built twice with `lab build`, plain (what plain runs and
# `lab bench` time) and --counted (the runtime --stats and the leak check
# link: relaxed atomic counters and a 16-byte size header on every block),
# run RUNS times each, interleaved; prints the median CPU time (user + sys)
# and peak RSS of each and their ratio. `make bench-counting` runs it;
# docs/benchmarks.md has the figures. Environment: RUNS (default 9).
set -u
L=${1:-./lab}
RUNS=${RUNS:-9}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-counting.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"  # median, cpu_time
printf '%-14s %-8s %12s %12s %10s %10s\n' program args "plain CPU s" "counted" ratio "RSS ratio"
for spec in "binary_trees 16" "wordcount 1000000" "sum 10000000"; do
  set -- $spec
  name=$1 arg=$2
  "$L" build "tests/bench/$name.toy" -o "$tmp/$name-plain" >/dev/null || exit 1
  "$L" build --counted "tests/bench/$name.toy" -o "$tmp/$name-counted" >/dev/null || exit 1
  : >"$tmp/plain.t"
  : >"$tmp/counted.t"
  i=0
  while [ $i -lt "$RUNS" ]; do
    for v in plain counted; do
      PEAK_RSS=1 cpu_time "$tmp/$v.t" "$tmp/$name-$v" "$arg"
    done
    i=$((i + 1))
  done
  p=$(cut -d' ' -f1 "$tmp/plain.t" | median) c=$(cut -d' ' -f1 "$tmp/counted.t" | median)
  pr=$(cut -d' ' -f2 "$tmp/plain.t" | median) cr=$(cut -d' ' -f2 "$tmp/counted.t" | median)
  printf '%-14s %-8s %12.3f %12.3f %9.2fx %9.2fx\n' "$name" "$arg" "$p" "$c" \
    "$(awk -v a="$c" -v b="$p" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
    "$(awk -v a="$cr" -v b="$pr" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
echo "($RUNS interleaved runs each, medians; load at the start: $(cut -d' ' -f1 /proc/loadavg))"
