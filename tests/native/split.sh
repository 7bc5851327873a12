#!/bin/sh
# split.sh — functions too big for the C compiler in one piece (issue 20,
# compiler/native/cgen_stmt.c: st_pieces). A generated program whose `big`
# (parameters, strings, a conditional move, a borrowed temporary, deferred
# lets, shadowing, loops, a match, an early return in a later piece) and
# `main` are past the threshold must be written in pieces, print what interp
# mode prints, free everything exactly once (the leak check; ASan too in
# `make test-asan`, which sets LAB_CFLAGS), and panic from inside a piece
# (`-- panic`) as interp raises. The pieces are compiled in parts of their
# own, side by side; the C as emit-c shows it must also be one whole program.
# One executable (a counted one, for the leak check) serves both runs.
#
#   sh tests/native/split.sh [LAB]
set -u
LAB=${1:-./lab}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
check() {  # check WHAT CONDITION...
    what=$1
    shift
    if "$@"; then echo "ok   $what"; pass=$((pass + 1)); else echo "FAIL $what"; fail=$((fail + 1)); fi
}

gen() {  # gen N: N blocks in `big` and 12N statements in `main`
    awk -v n="$1" 'BEGIN {
      print "struct P { x: int, name: str }"
      print "fn consume(s: str) -> int { return s.len(); }"
      print "fn big(n: int, label: str, early: bool) -> int {"
      print "    let mut total = 0;"
      print "    let mut names: [str] = [];"
      for (i = 0; i < n; i++) {
        print "    let s" i " = \"w\" + str(" i ");"
        print "    let p" i " = P { x: " i ", name: s" i ".clone() };"
        print "    if total % 3 == 0 { total += consume(s" i "); }"
        print "    names.push(p" i ".name.clone());"
        print "    let r" i " = &p" i ".name;"
        print "    let h" i " = &str(" i " * 2);"
        print "    total += r" i ".len() + p" i ".x + h" i ".len();"
        print "    let d" i ";"
        print "    if n > " i " { d" i " = " i "; } else { d" i " = 0; }"
        print "    total += d" i ";"
        print "    for j in 0..2 { let t = str(j); total += t.len(); }"
        print "    match total % 2 { 0 => { total += 1; } _ => {} }"
        print "    let mut total = total + 0;"
        if (i == n - 3) print "    if early { print(\"early\", label, total); return total; }"
      }
      print "    print(label, total, names.len());"
      print "    return total + names.len();"
      print "}"
      print "fn main() {"
      print "    print(big(" n ", \"x\", false));"
      print "    print(big(" n ", \"y\", true));"
      print "    let mut v: [str] = [];"
      for (i = 0; i < 4 * n; i++) {
        print "    let m" i " = str(" i ") + \"!\";"
        print "    v.push(m" i ".clone());"
        print "    if v.len() > 100000 { return; }"
      }
      print "    if args().len() > 0 { print(v[v.len()]); }"
      print "    print(v.len(), v[" 4 * n - 1 "]);"
      print "}"
    }'
}

gen 120 >"$work/ok.toy"
"$LAB" emit-c "$work/ok.toy" >"$work/ok.c" 2>&1
check "big and main are written in pieces, with a frame each" \
    sh -c "grep -q 'u_big__p3(' '$work/ok.c' && grep -q 'u_main__p2(' '$work/ok.c' && grep -q 'typedef struct fr_big' '$work/ok.c'"
check "pieces with a loop are optimized at -O1, straight-line ones not at all" \
    sh -c "grep -q 'optimize(\"O1\"))) bool u_big__p3(' '$work/ok.c' && grep -q 'optimize(\"O0\"))) bool u_main__p2(' '$work/ok.c' && ! grep -q 'optimize(\"O1\"))) bool u_main__p' '$work/ok.c'"
# What a piece holds: a straight-line one (-O0) calls rt_list_push, one with
# a loop (-O1) stores in place (RT_LIST_PUSH).
piece() { awk -v f="$1" 'index($0, " bool " f "(") && /\{$/ { on = 1 } on { print } on && /^}/ { exit }' "$work/ok.c"; }
piece u_main__p2 >"$work/main_p2.c"
piece u_big__p3 >"$work/big_p3.c"
check "a push is a call in a straight-line piece, in place in one with a loop" \
    sh -c "grep -q 'rt_list_push(r' '$work/main_p2.c' && ! grep -q RT_LIST_PUSH '$work/main_p2.c' && grep -q 'RT_LIST_PUSH(r' '$work/big_p3.c'"

check "the pieces are compiled apart from the rest, in parts (LAB_NPARTS)" \
    sh -c "grep -q '^#define LAB_NPARTS [2-9]' '$work/ok.c' && grep -q '^#if LAB_IN_PART(1)' '$work/ok.c'"

"$LAB" run "$work/ok.toy" >"$work/ok.interp" 2>"$work/ok.interp.err"
st=$?
check "interp runs the program (exit $st)" test "$st" = 0
LAB_CHECK_LEAKS=1 "$LAB" run --mode=native "$work/ok.toy" >"$work/ok.native" 2>"$work/ok.native.err"
st=$?
check "native, under the leak check${LAB_CFLAGS:+ and $LAB_CFLAGS}, exits 0 (exit $st)" test "$st" = 0
check "native prints what interp prints" cmp -s "$work/ok.interp" "$work/ok.native"
check "the early return in a later piece returns its value" grep -qx "early y [0-9]*" "$work/ok.native"
# Without LAB_PARTS_FROM the C is one whole program, as emit-c shows it.
rt=$(ls -td "${XDG_CACHE_HOME:-$HOME/.cache}"/lab/rt-* 2>/dev/null | head -1)
check "compiled as one file, the C is the whole program" \
    ${CC:-cc} -fsyntax-only -std=gnu11 -Werror=implicit-function-declaration -I"$rt" -DRT_CHECKED -DRT_UNCOUNTED "$work/ok.c"

"$LAB" run "$work/ok.toy" -- panic >"$work/p.interp" 2>"$work/p.interp.err"
si=$?
LAB_CHECK_LEAKS=1 "$LAB" run --mode=native "$work/ok.toy" -- panic >"$work/p.native" 2>"$work/p.native.err"
sn=$?
check "a panic inside a piece: exit 1 in both modes (interp $si, native $sn)" test "$si" = 1 -a "$sn" = 1
check "a panic inside a piece: the same output before it" cmp -s "$work/p.interp" "$work/p.native"
line=$(grep -n 'print(v\[v.len()\])' "$work/ok.toy" | cut -d: -f1)
check "a panic inside a piece: interp raises it on line $line" grep -q "line $line, in main" "$work/p.interp.err"
check "a panic inside a piece: native names the line ($line) and the error" \
    grep -q "panic at .*ok.toy:$line:.*IndexError: index out of bounds: the len is 480 but the index is 480" "$work/p.native.err"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
