#!/bin/sh
# race_runs.sh — the race example (examples/threads/race.toy) run RUNS times
# with the GIL and RUNS times with --gil=off (issue 21, docs/free-threading.md
# "The race, 1,000 times"). Every run must end with exit 0 and say that no
# update was counted twice; the lost updates of each configuration are
# summed and printed. A crash, a hang (60 s per run) or a wrong count fails.
#
#   sh tests/threads/race_runs.sh [LAB] [RUNS] [N]
#
# make test runs 50 of each; .ci/run runs 1,000.
LAB=${1:-./lab}
RUNS=${2:-1000}
N=${3:-20000}
EX=examples/threads/race.toy
case "$RUNS$N" in
  '' | *[!0-9]*) echo "usage: sh tests/threads/race_runs.sh [LAB] [RUNS] [N] (RUNS and N whole numbers)" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for cfg in "--gil=on --switch-interval=0.05" "--gil=off"; do
  lost=0 lossy=0 i=0
  while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    # shellcheck disable=SC2086 # cfg is two words on purpose
    timeout 60 "$LAB" run $cfg "$EX" -- "$N" show >"$tmp/out" 2>"$tmp/err"
    st=$?
    if [ $st -ne 0 ] || ! grep -q "counted at most 2\*n: true" "$tmp/out"; then
      echo "FAIL: run $i of \`lab run $cfg $EX -- $N show\` ended with exit $st:"
      cat "$tmp/out" "$tmp/err" | head -20
      fail=1
      break
    fi
    l=$(sed -n 's/.*lost: \([0-9-]*\)$/\1/p' "$tmp/out")
    lost=$((lost + l))
    [ "$l" -gt 0 ] && lossy=$((lossy + 1))
  done
  [ $fail = 1 ] && break
  echo "$cfg: $RUNS runs of 2 threads x $N updates: no crash, none counted twice; $lossy runs lost updates, $lost lost in all"
done
if [ $fail = 1 ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "2 passed, 0 failed"
