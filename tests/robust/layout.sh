#!/bin/sh
# layout.sh — the floor plan of docs/architecture.md ("What may include
# what"), checked on every `#include "…"` of the lab's sources: each is
# resolved as the compiler does (the including file's folder first, then
# the Makefile's -I order) and the folder it lands in must be one the
# including folder may use. Then no header may reach itself through its
# includes (no circles), and the native runtime's files (runtime/native/FILES,
# compiled alone from the cache) include only each other. Prints one line per broken rule, then
# `N passed, N failed`.
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-layout.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
IDIRS="compiler/front compiler/bytecode compiler/check compiler/native compiler/lab vm runtime"

# The folders each folder may include from (its own always).
allowed() {
    case $1 in
    compiler/front) echo "runtime" ;;
    compiler/bytecode) echo "compiler/front vm runtime" ;;
    compiler/check) echo "compiler/front runtime" ;;
    compiler/native) echo "compiler/front compiler/check runtime" ;;
    compiler/lab) echo "compiler/front compiler/bytecode compiler/check compiler/native vm runtime" ;;
    vm) echo "runtime" ;;
    runtime) echo "" ;;
    runtime/native) echo "" ;;
    esac
}

# Where `#include "h"` from folder d lands: d first, then -I order
# (build/gen is generated, and allowed to all).
resolve() {
    [ -f "$1/$2" ] && { echo "$1"; return; }
    for i in $IDIRS; do [ -f "$i/$2" ] && { echo "$i"; return; }; done
    echo "?"
}

pass=0 fail=0
: >"$tmp/edges"
for f in $(ls compiler/*/*.[ch] compiler/front/lexer.re vm/*.[ch] runtime/*.[ch] runtime/native/*.[ch] 2>/dev/null); do
    d=$(dirname "$f")
    ok=$(allowed "$d")
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        to=$(resolve "$d" "$h")
        echo "$f $to/$h" >>"$tmp/edges"
        if [ "$to" = "$d" ] || { [ "$to" = "?" ] && [ -f "build/gen/$h" ]; }; then
            pass=$((pass + 1))
            continue
        fi
        # The native runtime is compiled alone, from the files
        # runtime/native/FILES lists: those include only each other.
        if grep -qx "$f" runtime/native/FILES; then
            if grep -qx "$to/$h" runtime/native/FILES; then
                pass=$((pass + 1))
            else
                fail=$((fail + 1))
                echo "FAIL $f includes $to/$h, which runtime/native/FILES does not carry"
            fi
            continue
        fi
        case " $ok " in
        *" $to "*) pass=$((pass + 1)) ;;
        *)
            fail=$((fail + 1))
            echo "FAIL $f includes $h from $to/ ($d/ may include: ${ok:-nothing of the lab's})"
            ;;
        esac
    done
done

# Circles among headers: repeatedly drop headers that include no header
# still in the set; what cannot be dropped lies on (or behind) a circle.
grep '\.h .*\.h$' "$tmp/edges" | sort -u >"$tmp/hh"
while :; do
    # Keep the edges into headers that include a header themselves.
    awk '{ print $1 }' "$tmp/hh" | sort -u >"$tmp/sources"
    awk 'NR == FNR { s[$1] = 1; next } ($2 in s) { print }' "$tmp/sources" "$tmp/hh" >"$tmp/next"
    if cmp -s "$tmp/next" "$tmp/hh"; then break; fi
    mv "$tmp/next" "$tmp/hh"
done
if [ -s "$tmp/hh" ]; then
    fail=$((fail + 1))
    echo "FAIL headers include each other in a circle (these includes are on it or lead to it):"
    sed 's/^/  /' "$tmp/hh"
else
    pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
