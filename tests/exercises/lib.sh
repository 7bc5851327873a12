# lib.sh — what the grader's scripts share (sourced by autograder.sh,
# class.sh and formats.sh; it runs nothing itself).

# LAB: the lab to test, as an absolute path (the scripts change directory).
LAB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

# check NAME STATUS: one test, passed when STATUS is 0.
pass=0 fail=0
check() {
  if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}

# summary: the runner's last line, and the exit status.
summary() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
