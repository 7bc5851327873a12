#!/bin/sh
# faults.sh — the fault table (issue 9, docs/reliability.md): runs each fault
# case in both modes, checks that each ends as expected — the expected exit
# code, never a signal or a hang — and prints the table in Markdown.
#
#   sh tests/fault/faults.sh [LAB]            print the table (exit 1 if a case failed)
#   sh tests/fault/faults.sh --check [LAB]    also compare it with docs/reliability.md
#
# A row shows, for each mode, the exit code and the last line of stderr
# (paths of the scratch directory shortened to F). The table between the
# `faults:begin` and `faults:end` markers of docs/reliability.md is this
# script's output; `make faults` checks it, `make faults-doc` rewrites it.
set -u
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
LAB=${1:-./lab}
case $LAB in /*) ;; *) LAB=$(pwd)/$LAB ;; esac
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/toy-faults-XXXXXX")  # not lab-*: tests/native/cache.sh counts those
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"
cd "$work" || exit 1
fail=0
table="$work/table.md"
echo "| case | interp | native | exit (interp / native) |" >"$table"
echo "|---|---|---|---|" >>"$table"

# last line of stderr, shortened, with | escaped for the table; native
# mode's warnings (each up to its blank line, then their count) left out
summary() {
    sed -e '/^warning: `[^`]*` generated /d' -e '/^warning: /,/^$/d' "$1" >"$1.nw"
    { grep -m 1 "^error\[" "$1.nw" || grep -m 1 "^lab: " "$1.nw" || tail -n 1 "$1.nw"; } | sed -e "s|$work/||g" -e 's/tmp-[A-Za-z0-9]*/tmp-XXXXXX/g' -e 's/|/\\|/g' | cut -c1-90
}

# row NAME EXPECT_I EXPECT_N CMD_I CMD_N — each CMD is run by sh -c in $work
# ("-" means the case does not apply to that mode).
row() {
    name=$1 ei=$2 en=$3
    if [ "$4" = - ]; then ri=-; si="(not applicable)"; else
        timeout "${ROW_TIMEOUT:-120}" sh -c "$4" >out.i 2>err.i </dev/null; ri=$?; si=$(summary err.i)
        [ -z "$si" ] && si="(no error; stdout: $(head -c 40 out.i | cat -v | tr '\n' ' '))"
    fi
    if [ "$5" = - ]; then rn=-; sn="(not applicable)"; else
        timeout "${ROW_TIMEOUT:-120}" sh -c "$5" >out.n 2>err.n </dev/null; rn=$?; sn=$(summary err.n)
        [ -z "$sn" ] && sn="(no error; stdout: $(head -c 40 out.n | cat -v | tr '\n' ' '))"
    fi
    ok=ok
    [ "$ri" = "$ei" ] || ok=FAIL
    [ "$rn" = "$en" ] || ok=FAIL
    if [ $ok = FAIL ]; then
        echo "FAIL $name: exit interp $ri (want $ei), native $rn (want $en)" >&2
        echo "  interp: $si" >&2
        echo "  native: $sn" >&2
        fail=1
    fi
    printf "| %s | \`%s\` | \`%s\` | %s / %s |\n" "$name" "$si" "$sn" "$ri" "$rn" >>"$table"
}

L="$LAB"

# ---- deep recursion ---------------------------------------------------------------
cat >rec.toy <<'EOF'
fn down(n: int) -> int {
    return down(n + 1) + 1;
}
fn main() {
    print(down(0));
}
EOF
row "unbounded recursion" 1 1 "$L run rec.toy" "$L run --mode=native rec.toy"
# (`keep`, dropped after the call, stops the C compiler making a loop of it)
cat >recu.toy <<'EOF'
fn down(n: int) -> int {
    let keep = [n];
    return down(n + 1) + keep[0];
}
fn main() {
    print(down(0));
}
EOF
row "unbounded recursion, native --unchecked (no call count)" - 1 - "$L run --mode=native --unchecked recu.toy"
cat >tail.toy <<'EOF'
fn spin(n: int) -> int {
    return spin(n + 1);
}
fn main() {
    print(spin(0));
}
EOF
row "unbounded tail recursion (the C compiler makes it a loop)" 1 1 "$L run tail.toy" "$L run --mode=native tail.toy"
cat >deepval.toy <<'EOF'
struct Node { v: int, next: ?Node }
fn main() {
    let mut n = Node { v: 0, next: None };
    for i in 0..100000 {
        n = Node { v: i, next: Some(n) };
    }
    print(n == n.clone());
}
EOF
row "clone and == of a 100,000-node struct chain" 1 1 "$L run deepval.toy" "$L run --mode=native deepval.toy"
row "unbounded recursion, --recursion-limit=100000000 (ulimit -v 2 GB)" 1 - "ulimit -v 2000000; $L run --recursion-limit=100000000 rec.toy" -

# ---- memory exhausted under ulimit -v -----------------------------------------------
cat >grow.toy <<'EOF'
fn main() {
    let limit = int(args()[0]);
    let mut v: [str] = [];
    let chunk = "0123456789abcdef".repeat(64);
    while v.len() < limit {
        v.push(chunk.clone());
    }
    print(v.len());
}
EOF
# Compiled (and cached) first without the limit: the limited run only runs it.
"$L" run --mode=native grow.toy -- 1 >/dev/null 2>&1
row "list grown until malloc fails (ulimit -v 400 MB)" 1 1 \
    "ulimit -v 400000; $L run grow.toy -- 100000000" \
    "ulimit -v 400000; $L run --mode=native grow.toy -- 100000000"

# ---- integer edges ----------------------------------------------------------------------
edge() {  # edge NAME EXPR EXPECT
    printf 'fn main() {\n    let m = -9223372036854775807 - 1;\n    let n = 9223372036854775807;\n    let k = -1;\n    print(m, n);\n    print(%s);\n}\n' "$2" >"edge-$1.toy"
    row "\`$2\`" "$3" "$3" "$L run edge-$1.toy" "$L run --mode=native edge-$1.toy"
}
edge max "n + 1" 1
edge min "m - 1" 1
edge neg "-m" 1
edge div "m / k" 1
edge rem "m % k" 1
edge abs "abs(m)" 1
edge mul "m * k" 1
edge ok "m / 2 + n / 2" 0

# ---- bytes in source and strings ----------------------------------------------------------
printf 'fn main() {\n    print("caf\351");\n}\n' >badutf8.toy
row "invalid UTF-8 in a string literal" 2 2 "$L run badutf8.toy" "$L run --mode=native badutf8.toy"
printf 'fn main() {\n    let x = 1;\377\n}\n' >badutf8b.toy
row "invalid UTF-8 between tokens" 2 2 "$L run badutf8b.toy" "$L run --mode=native badutf8b.toy"
printf 'fn main() {\n    print(1);\000\n}\n' >nul.toy
row "NUL byte in the first 8 KiB of source (a binary file)" 3 3 "$L run nul.toy" "$L run --mode=native nul.toy"
printf '\377\376f\000n\000' >utf16.toy
row "UTF-16 source" 3 3 "$L run utf16.toy" "$L run --mode=native utf16.toy"
cp "$(command -v sh)" prog
row "an executable given as source (\`lab run prog\`)" 3 3 "$L run prog" "$L run --mode=native prog"
printf 'fn main() {\n    print("a\000b");\n}\n' >nulstr.toy
row "raw NUL byte inside a string literal (a binary file)" 3 3 "$L run nulstr.toy" "$L run --mode=native nulstr.toy"
printf 'fn main() {\n    let s = "a\\0b\\u{10FFFF}";\n    print(s.len(), [s]);\n}\n' >nulesc.toy
row "\`\\0\` and \`\\u{10FFFF}\` escapes in a string" 0 0 "$L run nulesc.toy" "$L run --mode=native nulesc.toy"
printf 'fn main() {\n    print("\\xff");\n}\n' >hexesc.toy
row "\`\\xff\` escape (not UTF-8)" 2 2 "$L run hexesc.toy" "$L run --mode=native hexesc.toy"

# ---- enormous literals and deep nesting --------------------------------------------------
printf 'fn main() {\n    print(99999999999999999999999999999999);\n}\n' >bigint.toy
row "integer literal beyond i64" 2 2 "$L run bigint.toy" "$L run --mode=native bigint.toy"
printf 'fn main() {\n    print(9223372036854775808);\n}\n' >bigint2.toy
row "9223372036854775808 (i64::MAX + 1)" 2 2 "$L run bigint2.toy" "$L run --mode=native bigint2.toy"
printf 'fn main() {\n    print(1e400, -1e400, 1e-400);\n}\n' >bigfloat.toy
row "float literals beyond f64" 0 0 "$L run bigfloat.toy" "$L run --mode=native bigfloat.toy"
awk 'BEGIN { printf "fn main() {\n    let s = \""; for (i = 0; i < 1000000; i++) printf "x"; printf "\";\n    print(s.len());\n}\n" }' >bigstr.toy
row "1 MB string literal" 0 0 "$L run bigstr.toy" "$L run --mode=native bigstr.toy"
awk 'BEGIN { printf "fn main() {\n    print("; for (i = 0; i < 10000; i++) printf "("; printf "1"; for (i = 0; i < 10000; i++) printf ")"; printf ");\n}\n" }' >deepexpr.toy
row "10,000 nested parentheses" 2 2 "$L run deepexpr.toy" "$L run --mode=native deepexpr.toy"
awk 'BEGIN { printf "fn main() {\n"; for (i = 0; i < 10000; i++) printf "if true {\n"; printf "print(1);\n"; for (i = 0; i < 10000; i++) printf "}\n"; printf "}\n" }' >deepblock.toy
row "10,000 nested blocks" 2 2 "$L run deepblock.toy" "$L run --mode=native deepblock.toy"
awk 'BEGIN { printf "fn main() {\n    print("; for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"; printf ");\n}\n" }' >deeplist.toy
row "10,000 nested list literals" 2 2 "$L run deeplist.toy" "$L run --mode=native deeplist.toy"

# 2,000 errors quoting one 18 KB line: 36 MB of diagnostics, written at once (a
# write per character took minutes; found by fuzzing). Must end within 10 s.
awk 'BEGIN { printf "fn main() {\n    let x = 1;"; for (i = 0; i < 2000; i++) printf " let = 1;"; printf "\n}\n" }' >manyerr.toy
ROW_TIMEOUT=10
row "2,000 syntax errors on one 18 KB line (within 10 s)" 2 2 "$L run manyerr.toy" "$L run --mode=native manyerr.toy"
{ printf 'fn main() {\n    print(1);\n}\n'; head -c 1000000 /dev/zero | tr '\0' '@'; echo; } >atline.toy
row "a valid program, then a 1 MB line of \`@\` (within 10 s)" 2 2 "$L run atline.toy" "$L run --mode=native atline.toy"
ROW_TIMEOUT=120
chain() {
    awk -v n="$1" 'BEGIN { printf "fn main() {\n    print("; for (i = 0; i < n; i++) printf "1 + "; print "1);\n}" }'
}
chain 1200 >chain.toy
row "flat chain \`1 + 1 + … + 1\`, 1,200 terms" 0 0 "$L run chain.toy" "$L run --mode=native chain.toy"
chain 2001 >chain2.toy
row "flat chain of 2,001 terms" 2 2 "$L run chain2.toy" "$L run --mode=native chain2.toy"

# ---- the checker ---------------------------------------------------------------------------
printf 'struct P { name: str }\nfn take(p: &mut P) -> str {\n    return p.name;\n}\nfn main() {\n    let mut p = P { name: "a" };\n    print(take(&mut p));\n}\n' >mutmove.toy
row "moving a field out from behind \`&mut\` (the checker crashed)" 0 2 "$L run mutmove.toy" "$L run --mode=native mutmove.toy"

# ---- files ---------------------------------------------------------------------------------
row "missing source file" 3 3 "$L run no-such.toy" "$L run --mode=native no-such.toy"
mkdir -p adir.toy
row "source path is a directory" 3 3 "$L run adir.toy" "$L run --mode=native adir.toy"
# Permission bits do not stop root; a read that fails does, for every user.
ln -s /proc/self/mem unreadable.toy
row "unreadable source file (read fails: /proc/self/mem)" 3 3 "$L run unreadable.toy" "$L run --mode=native unreadable.toy"

# ---- output that cannot be written -----------------------------------------------------------
printf 'fn main() {\n    print("hi");\n}\n' >out.toy
row "stdout is full (> /dev/full)" 1 1 "$L run out.toy >/dev/full" "$L run --mode=native out.toy >/dev/full"
row "stdout is closed (>&-)" 1 1 "$L run out.toy >&-" "$L run --mode=native out.toy >&-"

# ---- the C compiler and the cache ----------------------------------------------------------
printf 'fn main() {\n    print("hi");\n}\n' >hi.toy
row "C compiler absent (CC=/no/such/cc)" - 4 - "CC=/no/such/cc XDG_CACHE_HOME=$work/c1 $L run --mode=native hi.toy"
printf '#!/bin/sh\necho "cc: internal compiler error" >&2\nexit 1\n' >badcc
chmod +x badcc
row "C compiler fails (exits 1)" - 4 - "CC=$work/badcc XDG_CACHE_HOME=$work/c2 $L run --mode=native hi.toy"
row "C compiler is \`false\` (CC=false)" - 4 - "CC=false XDG_CACHE_HOME=$work/c2b $L run --mode=native hi.toy"
# A compiler that compiles a one-line program but fails on lab's C: lab's bug.
printf '#!/bin/sh\ncase "$*" in *cc-probe*) exec cc "$@" ;; esac\necho "error: lab generated bad C" >&2\nexit 1\n' >pickycc
chmod +x pickycc
row "C compiler fails on lab's C only (a bug in lab)" - 4 - "CC=$work/pickycc XDG_CACHE_HOME=$work/c2c $L run --mode=native hi.toy"
printf '#!/bin/sh\nkill -SEGV $$\n' >crashcc
chmod +x crashcc
row "C compiler dies of a signal" - 4 - "CC=$work/crashcc XDG_CACHE_HOME=$work/c3 $L run --mode=native hi.toy"
row "cache directory read-only (XDG_CACHE_HOME=/proc)" - 0 - "XDG_CACHE_HOME=/proc $L run --mode=native hi.toy"
: >notadir
row "cache path is a file" - 0 - "XDG_CACHE_HOME=$work/notadir HOME=$work/notadir $L run --mode=native hi.toy"
full="r=\$( (trap '' XFSZ; ulimit -f 0; XDG_CACHE_HOME=$work/c4 $L run --mode=native hi.toy 2>&1 >/dev/null; echo EXIT=\$?) ); echo \"\$r\" | grep -v EXIT= >&2; exit \$(echo \"\$r\" | sed -n 's/^EXIT=//p')"
# stderr goes through a pipe: under ulimit -f 0 it could not be written to a file
row "disk full (ulimit -f 0: every write fails)" - 3 - "$full"

cd "$root" || exit 1
cat "$table"
if [ $check = 1 ]; then
    doc=docs/reliability.md
    sed -n '/<!-- faults:begin -->/,/<!-- faults:end -->/p' "$doc" | sed '1d;$d' >"$work/doc-table.md"
    if ! cmp -s "$table" "$work/doc-table.md"; then
        echo "faults.sh: the table in $doc is out of date (make faults-doc):" >&2
        diff "$work/doc-table.md" "$table" >&2
        fail=1
    fi
fi
[ $fail = 0 ] && echo "faults.sh: all cases ended as expected" >&2
exit $fail
