#!/bin/sh
# tests/exercises/autograder.sh LAB — `make autograder` (issue 22,
# docs/instructor.md "Gradescope"): the zip holds setup.sh and
# run_autograder at its root and the lab's sources without tests/; run as
# Gradescope runs it (AUTOGRADER_ROOT standing for /autograder, this ./lab
# standing for the one setup.sh builds), run_autograder grades a submission
# of loose files, of exercise folders, or a checkout, writes
# results/results.json, and ignores a grade.spec the student sent.
set -u
. tests/exercises/lib.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-autograder-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! command -v zip >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1 || ! git rev-parse -q --verify HEAD >/dev/null 2>&1; then
  echo "skipped: make autograder's checks (they need zip, unzip and this repository's git history)"
  echo "0 passed, 0 failed"
  exit 0
fi
sh compiler/tools/make-autograder.sh "$tmp/autograder.zip" 3 >/dev/null
check "make-autograder.sh writes the zip" $?
unzip -q "$tmp/autograder.zip" -d "$tmp/zip"
[ -x "$tmp/zip/setup.sh" ] && [ -x "$tmp/zip/run_autograder" ] && [ -f "$tmp/zip/lab/Makefile" ] && [ ! -e "$tmp/zip/lab/tests" ]
check "the zip: setup.sh and run_autograder at its root, the lab without tests/" $?
grep -q "apt-get install -y --no-install-recommends gcc make re2c" "$tmp/zip/setup.sh" && bash -n "$tmp/zip/setup.sh"
check "setup.sh installs gcc, make and re2c, and parses" $?

grade() {  # grade NAME: run_autograder on $tmp/ag/submission; prints the score
  rm -rf "$tmp/ag"
  mkdir -p "$tmp/ag/source"
  cp -R "$tmp/zip/lab" "$tmp/ag/source/lab"
  cp "$LAB" "$tmp/ag/source/lab/lab"
  mkdir -p "$tmp/ag/source/lab/build/counted"
  cp "$(dirname "$LAB")/build/counted/lab" "$tmp/ag/source/lab/build/counted/lab"
  cp -R "$tmp/sub" "$tmp/ag/submission"
  AUTOGRADER_ROOT="$tmp/ag" sh "$tmp/zip/run_autograder" >"$tmp/ag.out" 2>&1
  sed -n 's/^  "score": \([0-9]*\),$/\1/p' "$tmp/ag/results/results.json" 2>/dev/null
}
ref=tests/exercises/03-borrow-fix/accounts.toy
rm -rf "$tmp/sub" && mkdir -p "$tmp/sub" && cp "$ref" "$tmp/sub/"
[ "$(grade loose)" = 10 ]
check "a submission of loose files (the reference solution): 10 of 10 in results.json" $?
rm -rf "$tmp/sub" && mkdir -p "$tmp/sub/03-borrow-fix" && cp "$ref" "$tmp/sub/03-borrow-fix/"
[ "$(grade folders)" = 10 ]
check "a submission of exercise folders: graded the same" $?
rm -rf "$tmp/sub" && mkdir -p "$tmp/sub/examples/exercises/03-borrow-fix" &&
  cp examples/exercises/03-borrow-fix/accounts.toy "$tmp/sub/examples/exercises/03-borrow-fix/" &&
  printf '100 free output accounts.toy accounts.toy\n' >"$tmp/sub/examples/exercises/03-borrow-fix/grade.spec"
[ "$(grade checkout)" = 4 ]
check "a checkout with the starter and its own grade.spec: 4 of 10, the student's spec ignored" $?
summary
