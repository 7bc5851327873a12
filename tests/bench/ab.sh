#!/bin/sh
# ab.sh OLD_LAB NEW_LAB — is a change slower? Two builds of the lab (say the
# ./lab of the commit before, built in a git worktree, and this one) run the
# same benchmark programs, plain runs (nothing counted), interleaved: prints
# the median CPU time (user + sys) of RUNS runs of each, per mode, and the
# ratio new/old. /usr/bin/time's resolution is 10 ms: for a small change,
# compare instruction counts too (valgrind --tool=callgrind).
# Environment: RUNS (default 7).
set -u
OLD=$1 NEW=$2
RUNS=${RUNS:-7}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-ab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/lib.sh"  # median, cpu_time
for spec in "fib 32" "sum 10000000" "binary_trees 14" "wordcount 1000000"; do
  set -- $spec
  XDG_CACHE_HOME=$tmp/c1 "$OLD" build "tests/bench/$1.toy" -o "$tmp/$1-old" >/dev/null 2>&1
  XDG_CACHE_HOME=$tmp/c2 "$NEW" build "tests/bench/$1.toy" -o "$tmp/$1-new" >/dev/null 2>&1
  for mode in interp native; do
    : >"$tmp/old"
    : >"$tmp/new"
    i=0
    while [ $i -lt "$RUNS" ]; do
      if [ $mode = native ]; then
        cpu_time "$tmp/old" "$tmp/$1-old" "$2"
        cpu_time "$tmp/new" "$tmp/$1-new" "$2"
      else
        cpu_time "$tmp/old" "$OLD" run "tests/bench/$1.toy" -- "$2"
        cpu_time "$tmp/new" "$NEW" run "tests/bench/$1.toy" -- "$2"
      fi
      i=$((i + 1))
    done
    a=$(median <"$tmp/old") b=$(median <"$tmp/new")
    printf '%-18s %-7s old %6.2f s  new %6.2f s  new/old %.2f\n' "$1 $2" $mode "$a" "$b" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN { print (a > 0 ? b / a : 0) }')"
  done
done
echo "($RUNS interleaved runs each, medians; load: $(cut -d' ' -f1-3 /proc/loadavg))"
