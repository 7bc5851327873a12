#!/bin/sh
# tests/all.sh — what `make test` runs, stage after stage (the Makefile has
# built ./lab, build/debug/lab, build/counted/lab, build/runner and the
# native runtime's unit tests first). Each stage says what it is as it
# starts; its own output follows. A stage that ends with `N passed, N failed`
# adds those counts; any other counts as one check, passed if it exits 0.
# Every stage runs even after one fails, and the last line is the verdict:
#   PASS: N passed, 0 failed, N skipped
#   FAIL: N passed, N failed, N skipped (failed: STAGE, …)
# Exit code 0 iff nothing failed. Environment: MODES (default interp,native,hybrid).
set -u
cd "$(dirname "$0")/.." || exit 1
MODES=${MODES:-interp,native,hybrid}
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$PWD/build/cache}"
log=build/test-stage.log
passed=0 failed=0 skipped=0 bad=""
n=0

stage() {  # stage NAME COMMAND...
  name=$1
  shift
  n=$((n + 1))
  printf '\n==> [%d] %s\n' "$n" "$name"
  # Shown as it comes (tee), kept for its counts; the status through a file.
  { "$@" 2>&1; echo $? >"$log.status"; } | tee "$log"
  st=$(cat "$log.status")
  # Every `[word: ]N passed, N failed[, N skipped]` line of the stage, summed.
  counts=$(sed -n -E 's/^([A-Za-z_]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\2 \3 \5/p' "$log" |
    awk '{ p += $1; f += $2; s += $3 } END { if (NR) print p, f, s + 0 }')
  if [ -n "$counts" ]; then
    set -- $counts
    passed=$((passed + $1))
    failed=$((failed + $2))
    skipped=$((skipped + $3))
    [ "$st" != 0 ] && [ "$2" = 0 ] && failed=$((failed + 1))  # failed without saying so
  elif [ "$st" = 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  [ "$st" != 0 ] && bad="$bad${bad:+, }$name"
  # A stage's own lines saying what it left out count as skipped checks.
  skipped=$((skipped + $(grep -c '^skipped: ' "$log")))
}

errors_doc() {
  ./lab explain --all | cmp -s - docs/errors.md && return 0
  echo "docs/errors.md is out of date: ./lab explain --all > docs/errors.md"
  return 1
}

# The summaries of the `lab` command in README.md and docs/spec.md name
# every long option that each command's usage (the first paragraph of `lab
# CMD --help`) names.
usage_docs() {
  usage_doc README.md '/^## The `lab` command/,/^## /p'
  readme=$?
  usage_doc docs/spec.md '/^## 8\. The `lab` command/,/^## /p' && return $readme
}

usage_doc() {  # usage_doc FILE SED-RANGE
  block=$(sed -n "$2" "$1")
  st=0
  for cmd in $(./lab --help | awk '/^commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }'); do
    lines=$(echo "$block" | grep "^\./lab $cmd ")
    if [ -z "$lines" ]; then
      echo "$1: no ./lab $cmd line"
      st=1
      continue
    fi
    for opt in $(./lab "$cmd" --help | awk 'NF == 0 { exit } { print }' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
      echo "$lines" | grep -q -- "$opt" && continue
      echo "$1: ./lab $cmd does not show $opt (lab $cmd --help does)"
      st=1
    done
  done
  return $st
}

stage "the native runtime's unit tests (optimized)" sh -c \
  'LAB_CHECK_LEAKS=1 build/nrt-release/test_toyrt && build/nrt-release/test_unchecked'
stage "the native runtime's unit tests (ASan + UBSan)" sh -c \
  'LAB_CHECK_LEAKS=1 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 build/nrt-asan/test_toyrt &&
   ASAN_OPTIONS=detect_leaks=1 build/nrt-asan/test_unchecked'
stage "the object model's unit test" build/debug/test_object
stage "native mode's executable cache" sh tests/native/cache.sh ./lab
stage "functions too big for the C compiler in one piece" sh tests/native/split.sh ./lab
stage "docs/errors.md is lab explain --all" errors_doc
stage "README.md and docs/spec.md show every command's options" usage_docs
stage "the test suite: tests/ and examples/, modes $MODES" \
  build/runner --lab ./lab --debug-lab build/debug/lab --modes "$MODES" tests examples
stage "the free-threaded build's reference counting: interp and hybrid with --rc=atomic, --rc=biased" sh -c \
  'for rc in atomic biased; do
     echo "--rc=$rc:"
     build/runner --lab ./lab --debug-lab build/ft-debug/lab --modes interp,hybrid --run-flag --rc=$rc tests examples || exit 1
   done'
stage "free threading: interp with --gil=off, threads in parallel (leak-checked by build/ft-debug/lab)" \
  build/runner --lab ./lab --debug-lab build/ft-debug/lab --modes interp --run-flag --gil=off tests examples
stage "free threading: the race example, with and without the GIL" sh tests/threads/race_runs.sh ./lab 50
stage "inputs students produce by accident" sh tests/robust/inputs.sh ./lab
stage "the first-week workflow" sh tests/robust/workflow.sh ./lab
stage "the tour's snippets run as docs/tour.md says" sh tests/robust/tour.sh ./lab
stage "lab profile: each example's lines add up to its --stats totals, both modes" sh tests/profile/sums.sh ./lab
stage "lab profile as a student meets it" sh tests/profile/cli.sh ./lab
stage "hybrid mode's costs: --stats, profile, compare" sh tests/hybrid/cli.sh ./lab
stage "lab trace: the committed traces, determinism, usage" sh tests/trace/check.sh ./lab
stage "lab view without a browser" sh tests/view/cli.sh ./lab
stage "lab view in a real browser (headless chromium)" sh tests/view/run.sh ./lab build/view
stage "the floor plan: what may include what (docs/architecture.md)" sh tests/robust/layout.sh
stage "the course's exercises and their grader" sh tests/exercises/check.sh ./lab
stage "lab grade's reports: --json, --csv, --autolab, Gradescope's results.json" sh tests/exercises/formats.sh ./lab
stage "lab grade --class: a class of submissions, one that loops, one that floods, one past the parser's limits" sh tests/exercises/class.sh ./lab
stage "make autograder: Gradescope's zip, and its run_autograder on three layouts of submission" sh tests/exercises/autograder.sh ./lab
rm -f "$log" "$log.status"

echo
if [ "$failed" = 0 ]; then
  echo "PASS: $passed passed, 0 failed, $skipped skipped"
  exit 0
fi
echo "FAIL: $passed passed, $failed failed, $skipped skipped (failed: $bad)"
exit 1
