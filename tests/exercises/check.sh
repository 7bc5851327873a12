#!/bin/sh
# tests/exercises/check.sh LAB — the course's exercises against their grader
# (make test runs it; docs/instructor.md):
#   - each reference solution here (tests/exercises/NN-name/, the files that
#     differ from the starter code) earns full marks: `lab grade` exits 0;
#   - each untouched starter (examples/exercises/NN-name/) does not: exit 1;
#   - every exercise has a handout, docs/exercises/NN-name.md.
# Reference solutions live here, outside examples/, so students do not get them.
set -u
LAB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=build/grade-ref
fail=0
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
for ex in examples/exercises/[0-9]*/; do
  name=$(basename "$ex")
  bad=0
  [ -f "docs/exercises/$name.md" ] || { echo "FAIL $name: no handout docs/exercises/$name.md"; fail=1; bad=1; }
  if [ ! -d "tests/exercises/$name" ]; then
    echo "FAIL $name: no reference solution in tests/exercises/$name"; fail=1; bad=1; continue
  fi
  cp -R "$ex" "$OUT/$name" && cp -R "tests/exercises/$name/." "$OUT/$name/" || exit 1
  "$LAB" grade --dir "$OUT" "$name" > "$OUT/$name.ref.log" 2>&1
  st=$?
  if [ $st -ne 0 ]; then
    echo "FAIL $name: the reference solution does not earn full marks (exit $st):"
    grep -v '^  ok' "$OUT/$name.ref.log"; fail=1; bad=1
  fi
  "$LAB" grade "$name" > "$OUT/$name.starter.log" 2>&1
  st=$?
  if [ $st -ne 1 ]; then
    echo "FAIL $name: the untouched starter code should score less than full marks (exit 1), got exit $st:"
    cat "$OUT/$name.starter.log"; fail=1; bad=1
  fi
  [ $bad -eq 0 ] && echo "ok $name: reference $(grep '^Score' "$OUT/$name.ref.log"), starter $(grep '^Score' "$OUT/$name.starter.log")"
done
exit $fail
