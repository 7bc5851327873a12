#!/bin/sh
# tests/exercises/class.sh LAB [N] [TIMEOUT] — `lab grade --class` on a
# generated class of N (default 8) submissions of exercise 03 (issue 22):
# the reference solution, the starter, a half fix (correct, but with a
# clone), and the three a grader must contain: one that loops, one that
# floods its output, one that is a megabyte of nested parentheses (past the
# parser's depth limit). Every submission is graded; the looping and
# flooding runs are stopped (TIMEOUT seconds, default 2; 1 MiB) and score
# zero with the reason; the gradebook has a row per student, the details a
# row per test, the histogram is an SVG. Prints the time it took.
set -u
. tests/exercises/lib.sh
N=${2:-8}
T=${3:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-class.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
ex=examples/exercises/03-borrow-fix
i=0
while [ $i -lt "$N" ]; do
  i=$((i + 1))
  s=$(printf 's%02d' $i)
  mkdir -p "$tmp/class/$s/03-borrow-fix"
  cp "$ex/grade.spec" "$ex/expected.txt" "$tmp/class/$s/03-borrow-fix/"
  case $((i % 3)) in
    0) cp tests/exercises/03-borrow-fix/accounts.toy "$tmp/class/$s/03-borrow-fix/" ;;  # full marks
    1) cp "$ex/accounts.toy" "$tmp/class/$s/03-borrow-fix/" ;;                           # the starter
    2) sed 's/accounts\[0\]/accounts[0].clone()/' tests/exercises/03-borrow-fix/accounts.toy \
         >"$tmp/class/$s/03-borrow-fix/accounts.toy" ;;                                      # a clone
  esac
done
for s in loops floods nested; do
  mkdir -p "$tmp/class/$s/03-borrow-fix"
  cp "$ex/grade.spec" "$ex/expected.txt" "$tmp/class/$s/03-borrow-fix/"
done
printf 'fn main() {\n    let mut n = 0;\n    while true { n += 1; }\n}\n' >"$tmp/class/loops/03-borrow-fix/accounts.toy"
printf 'fn main() {\n    while true { print("spam spam spam spam spam spam spam spam"); }\n}\n' \
  >"$tmp/class/floods/03-borrow-fix/accounts.toy"
awk 'BEGIN { printf "fn main() {\n    print("; for (i = 0; i < 500000; i++) printf "("; print "1);\n}" }' \
  >"$tmp/class/nested/03-borrow-fix/accounts.toy"
total=$((N + 3))

start=$(date +%s)
(cd "$tmp" && "$LAB" grade --class class --timeout "$T" 3 >out 2>err)
st=$?
secs=$(($(date +%s) - start))
cat "$tmp/out"
[ $st = 0 ]
check "lab grade --class exits 0 ($total submissions in ${secs} s)" $?
[ "$(tail -n +2 "$tmp/gradebook.csv" | wc -l)" = $total ]
check "gradebook.csv: a row per student ($total)" $?
head -1 "$tmp/gradebook.csv" | grep -q '^student,"03-borrow-fix: native-accepts (4)",.*,total,max,note$'
check "gradebook.csv: a column per test, then total and max" $?
grep -q '^"s03",4,2,2,2,10,10,' "$tmp/gradebook.csv"
check "the reference solution: full marks (10/10)" $?
grep -q '^"s01",0,2,2,0,4,10,' "$tmp/gradebook.csv"
check "the starter: 4/10, as lab grade gives it alone" $?
grep -q '^"loops",' "$tmp/gradebook.csv" && grep '"loops","03-borrow-fix","interp-output",0,2,' "$tmp/gradebook-tests.csv" | grep -q "did not finish"
check "the submission that loops: stopped, zero on its runs, with the reason" $?
grep '"floods","03-borrow-fix","interp-output",0,2,' "$tmp/gradebook-tests.csv" | grep -q "stopped after 1024 KiB of output"
check "the submission that floods: stopped after 1 MiB, zero, with the reason" $?
grep -q '^"nested",0,2,0,0,2,10,' "$tmp/gradebook.csv"
check "the megabyte of parentheses: rejected, graded 2/10 (no clone in it)" $?
[ "$(tail -n +2 "$tmp/gradebook-tests.csv" | wc -l)" = $((total * 4)) ]
check "gradebook-tests.csv: a row per student and test ($((total * 4)))" $?
head -c 5 "$tmp/gradebook.svg" | grep -q '^<svg ' && tail -1 "$tmp/gradebook.svg" | grep -q '^</svg>$' &&
  [ "$(grep -c '<rect x=' "$tmp/gradebook.svg")" = 10 ]
check "gradebook.svg: an SVG with ten bars" $?
summary
