#!/bin/sh
# cli.sh LAB — hybrid mode's costs as a student reads them (docs/hybrid.md):
# the boundary's counts in --stats, exactly; the library cached on the second
# run; `lab profile --mode=hybrid` charging each crossing to the line of its
# call; `lab compare` with its third column; usage errors. Prints one line per
# check, then `N passed, N failed`.
L=${1:-./lab}
case $L in /*) ;; *) L=$PWD/$L ;; esac
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-hybrid.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME="$tmp/cache"
pass=0 fail=0
check() {  # check NAME CONDITION-EXIT-STATUS
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; head -c 1500 "$tmp/out" "$tmp/err" 2>/dev/null; fi
}
num() {  # num KEY FILE: the number after "KEY": in the boundary object of FILE
    sed -n 's/.*"boundary": {//p' "$2" | tr ',' '\n' | sed -n "s/^ *\"$1\": *\([0-9.]*\).*/\1/p" | head -1
}

cat >"$tmp/sum.toy" <<'TOY'
#[native]
fn total(v: &[int]) -> int {
    let mut s = 0;
    for x in v { s += x; }
    return s;
}

fn main() {
    let v = [1, 2, 3, 4];
    let mut s = 0;
    for i in 0..10 { s += total(&v) + i; }
    print(s);
}
TOY
"$L" run --mode=hybrid --stats=json "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && [ "$(cat "$tmp/out")" = 145 ]; check "hybrid runs the program: 145" $?
[ "$(num calls "$tmp/err")" = 10 ]; check "10 crossings" $?
[ "$(num values_in "$tmp/err")" = 50 ] && [ "$(num values_out "$tmp/err")" = 10 ]
check "values converted: 10 x (a list + 4 ints) in, 10 ints out" $?
[ "$(num bytes_in "$tmp/err")" = 320 ] && [ "$(num bytes_out "$tmp/err")" = 80 ]; check "bytes copied: 320 in, 80 out" $?
grep -q '"cached": false' "$tmp/err"; check "the first run compiles the library" $?
"$L" run --mode=hybrid --stats "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
grep -q 'cached library' "$tmp/err" && grep -q '^  crossings  *10 ' "$tmp/err"; check "the second run loads it from the cache; the table" $?

"$L" profile --mode=hybrid --json "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && grep -q '"hybrid": {"exit": 0, "sums_equal_stats": true' "$tmp/out"; check "profile --mode=hybrid: the lines add up" $?
grep -q '{"line": 11, .*"hy_calls": 10, "hy_values": 60' "$tmp/out"; check "profile: the 10 crossings and 60 values on line 11" $?
"$L" profile --mode=hybrid "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
grep -q 'hybrid run' "$tmp/out" && grep -q 'cross' "$tmp/out"; check "profile's table has the boundary's columns" $?

LAB_COMPARE_REDACT=1 "$L" compare --json -n 1 "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && grep -q '"hybrid": {.*"boundary_crossings": 10, "values_converted": 60, "bytes_copied": 400' "$tmp/out"
check "compare: the third column with the boundary" $?
grep -q 'identical in all three modes' "$tmp/err"; check "compare: stdout identical in all three modes" $?

"$L" run --mode=hybird "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
[ $? = 3 ] && grep -q 'unknown mode `hybird` (interp, native or hybrid)' "$tmp/err"; check "a misspelt mode: exit 3" $?
"$L" run --mode=hybrid --gc=off "$tmp/sum.toy" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && [ "$(cat "$tmp/out")" = 145 ]; check "interp's options apply to hybrid's VM" $?
printf 'fn main() { print(1); }\n' >"$tmp/plain.toy"
"$L" run --mode=hybrid "$tmp/plain.toy" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && [ "$(cat "$tmp/out")" = 1 ]; check "no #[native] function: the VM runs it all" $?

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
