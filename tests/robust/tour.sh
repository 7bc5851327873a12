#!/bin/sh
# tour.sh LAB — docs/tour.md's snippets do what the tour says (issue 22):
# each ``` block that is Toy code runs in both modes with exit 0 — a block
# with `fn main` as it is, a block of statements wrapped in `fn main() { … }`
# with its struct/enum/fn/const items above — except a block with `…` (a
# shape, not a program) and the ownership example, which native mode must
# reject with E0382 as the tour says. Prints a line per block.
L=${1:-./lab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-tour.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
check() {  # check NAME STATUS
  if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
# Every code block's first line number, after the first (the shell commands).
for start in $(awk '/^```/ { n++; if (n % 2 == 1) print NR }' docs/tour.md | tail -n +2); do
  awk -v s="$start" 'NR > s { if (/^```/) exit; print }' docs/tour.md >"$tmp/block"
  first=$(head -1 "$tmp/block" | cut -c1-40)
  if grep -q '…' "$tmp/block"; then
    echo "     line $start ($first): a shape with …, not run"
    continue
  fi
  if grep -q '^fn main' "$tmp/block"; then
    cp "$tmp/block" "$tmp/t.toy"
  else
    { grep -E '^(struct|enum|fn|const) ' "$tmp/block"; echo 'fn main() {'
      grep -vE '^(struct|enum|fn|const) ' "$tmp/block"; echo '}'; } >"$tmp/t.toy"
  fi
  "$L" run "$tmp/t.toy" >/dev/null 2>"$tmp/err"
  check "line $start ($first): runs in interp mode" $?
  if grep -q 'native: E0382' "$tmp/block"; then
    "$L" run --mode=native "$tmp/t.toy" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && grep -q 'error\[E0382\]' "$tmp/err"
    check "line $start ($first): native mode rejects it with E0382, as the tour says" $?
  else
    "$L" run --mode=native --no-warnings "$tmp/t.toy" >/dev/null 2>"$tmp/err"
    check "line $start ($first): runs in native mode" $?
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
