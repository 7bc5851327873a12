#!/bin/sh
# make-autograder.sh OUT.zip [EXERCISE...] — `make autograder`: the zip
# Gradescope's autograder takes (docs/instructor.md, "Gradescope"): at its
# root setup.sh and run_autograder, as Gradescope's documentation asks, and
# lab/, this lab's sources from the last commit (`git archive HEAD`) without
# tests/ (which holds the reference solutions) and docs/.
#   setup.sh        installs gcc, make and re2c from the distribution's
#                   packages and builds ./lab and the builds it re-executes
#   run_autograder  lays the student's files over the exercises' starters —
#                   never over a grade.spec or an expected output — and runs
#                   `lab grade EXERCISE… --gradescope=results/results.json`
# EXERCISE: the exercises this assignment grades (default: all).
# AUTOGRADER_ROOT (default /autograder) moves the whole layout, for testing.
set -eu
out=$1
shift
exercises="$*"
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-autograder.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/lab"
git archive HEAD -- Makefile README.md compiler vm runtime examples | tar -x -C "$tmp/lab"

cat >"$tmp/setup.sh" <<'SETUP'
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends gcc make re2c
make -C "${AUTOGRADER_ROOT:-/autograder}/source/lab"   # ./lab and the builds it re-executes (counted, free-threaded)
SETUP

cat >"$tmp/run_autograder" <<RUN
#!/bin/sh
# Gradescope runs this for each submission (in \${AUTOGRADER_ROOT:-/autograder}).
ROOT=\${AUTOGRADER_ROOT:-/autograder}
LAB=\$ROOT/source/lab
work=\$(mktemp -d)
cp -R "\$LAB/examples/exercises" "\$work/exercises"
sub=\$ROOT/submission
# The submission is a checkout, its examples/exercises, the exercise folders
# themselves, or the loose files of one exercise.
src=\$sub
[ -d "\$sub/examples/exercises" ] && src=\$sub/examples/exercises
for ex in "\$work"/exercises/[0-9]*/; do
  name=\$(basename "\$ex")
  from=\$src/\$name
  if [ ! -d "\$from" ] && [ "\$(echo $exercises | wc -w)" = 1 ]; then from=\$src; fi  # loose files
  [ -d "\$from" ] || continue
  for f in "\$from"/*; do
    b=\$(basename "\$f")
    case \$b in grade.spec|expected*) continue ;; esac  # the instructor's, never the student's
    [ -f "\$f" ] && cp "\$f" "\$ex/\$b"
  done
done
mkdir -p "\$ROOT/results"
cd "\$work/exercises" && "\$LAB/lab" grade --dir "\$work/exercises" $exercises --gradescope="\$ROOT/results/results.json"
status=\$?
rm -rf "\$work"
# exit 0 (full marks) and 1 (some test failed) are grades; anything else is a problem to see
[ \$status -le 1 ]
RUN
chmod +x "$tmp/setup.sh" "$tmp/run_autograder"
rm -f "$out"
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$tmp" && zip -q -r "$out_abs" setup.sh run_autograder lab)
echo "wrote $out (exercises: ${exercises:-all}): upload it as the assignment's autograder (docs/instructor.md)"
