#!/bin/sh
# compile.sh [LAB] — `make bench-compile`: native mode's compile phases on
# generated programs of 1k, 10k and 100k lines, to show how each grows
# (issue 20: every phase linear). Two shapes:
#   funcs  many functions of realistic size (tests/bench/gen_check.sh)
#   main   one `main` of that many statements (lets, +=, pushes, struct
#          literals and field reads, one after another)
# For each: `lab emit-c --phases` (parse, type check, borrow check, C
# generation, and the C's size), the wall time of `lab check` and of `lab
# run` in interp mode (the bytecode compiler, then the run), and of `lab
# build` (the whole native compile: the phases, then the C compiler, in
# parts side by side for a function written in pieces; a 300 s limit).
# Times in ms; the last
# column is each phase's time per 1,000 lines, which stays flat when the
# growth is linear.
L=${1:-./lab}
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-compile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
gen_main() {  # gen_main STATEMENTS: one main of that many statements
    awk -v n="$1" 'BEGIN {
      print "struct P { x: int, y: int }"
      print "fn main() {"
      print "    let mut s = 0;"
      print "    let mut v: [int] = [];"
      for (i = 0; i < n; i++) {
        k = i % 5
        if (k == 0) print "    let a" i " = s + " i ";"
        else if (k == 1) print "    s += a" (i - 1) " % 7;"
        else if (k == 2) print "    v.push(s);"
        else if (k == 3) print "    let p" i " = P { x: s, y: " i " };"
        else print "    s = s + p" (i - 1) ".x % 3;"
      }
      print "    print(s, v.len());"
      print "}"
    }'
}
ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", (e - s) / 1e6 }'; }
# A private cache holding this lab's native runtime, compiled by one native
# run, so that `lab build` times the program alone.
XDG_CACHE_HOME=$tmp/cache "$L" run --mode=native tests/bench/hello.toy >/dev/null 2>&1
printf '%-6s %7s | %8s %9s %9s %8s %9s | %8s %8s %9s | %s\n' shape lines parse typecheck borrowck cgen "C bytes" check interp "lab build" "lab's phases per 1k lines"
for shape in funcs main; do
    for n in ${SIZES:-1000 10000 100000}; do
        f=$tmp/$shape$n.toy
        if [ $shape = funcs ]; then sh tests/bench/gen_check.sh $n >"$f"; else gen_main $n >"$f"; fi
        lines=$(wc -l <"$f")
        ph=$("$L" emit-c "$f" --phases 2>&1 >"$tmp/out.c" | sed -n 's/^phases: //p')
        p=$(echo "$ph" | sed 's/.*parse \([0-9.]*\).*/\1/') t=$(echo "$ph" | sed 's/.*typecheck \([0-9.]*\).*/\1/')
        b=$(echo "$ph" | sed 's/.*borrowck \([0-9.]*\).*/\1/') g=$(echo "$ph" | sed 's/.*cgen \([0-9.]*\).*/\1/')
        bytes=$(echo "$ph" | sed 's/.*, \([0-9]*\) bytes.*/\1/')
        s=$(date +%s%N); "$L" check "$f" >/dev/null 2>&1; e=$(date +%s%N); chk=$(ms "$s" "$e")
        s=$(date +%s%N); "$L" run "$f" >/dev/null 2>&1; e=$(date +%s%N); run=$(ms "$s" "$e")
        s=$(date +%s%N)
        if XDG_CACHE_HOME=$tmp/cache timeout 300 "$L" build "$f" -o "$tmp/out" >/dev/null 2>&1; then
            e=$(date +%s%N); build_ms=$(ms "$s" "$e")
        else
            build_ms=">300000"
        fi
        per=$(awk -v p="$p" -v t="$t" -v b="$b" -v g="$g" -v l="$lines" 'BEGIN { printf "%.1f", (p + t + b + g) * 1000 / l }')
        printf '%-6s %7s | %8.1f %9.1f %9.1f %8.1f %9s | %8s %8s %9s | %s ms\n' $shape "$lines" "$p" "$t" "$b" "$g" "$bytes" "$chk" "$run" "$build_ms" "$per"
    done
done
