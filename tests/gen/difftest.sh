#!/bin/sh
# difftest.sh — the differential tester (issue 9, docs/reliability.md).
#
#   sh tests/gen/difftest.sh [-n N] [-s SEED] [-j JOBS] [-p] [-o DIR]
#
# Generates N programs (build/gen/gen SEED, SEED+1, …), checks each with
# `lab check` (a program the checker rejects is a generator or checker bug),
# runs it in all three modes (the generator marks a random prefix of its
# functions #[native] for hybrid mode) and compares stdout, the exit code and,
# when the modes stop with a runtime error, the error's kind (interp's and
# hybrid's last stderr line `Kind: message`, native's `panic at FILE:L:C:
# Kind: message`). A failing
# program is minimized — blocks and lines deleted one at a time, keeping each
# deletion that keeps it accepted and failing — and both versions are left in
# DIR (default build/difftest) as fail-SEED.toy and fail-SEED.min.toy.
#
# -p: soundness probes instead. For each seed, the program with each probe
# appended (gen SEED -m move|alias|dangle) must be rejected by `lab check`,
# or, if accepted, behave identically in both modes.
#
# Environment: LAB (default ./lab), GEN (default build/gen/gen), CC and
# LAB_CFLAGS (default -O0: native programs compile faster) for native mode,
# INTERP_FLAGS (default none) for interp mode's runs: `--gil=off` compares
# the free-threaded interpreter with the other two.
# Exit status 0 when every program agreed, 1 otherwise.
set -u
n=100
seed=1
jobs=2
probes=0
dir=build/difftest
while [ $# -gt 0 ]; do
    case $1 in
    -n) n=$2; shift 2 ;;
    -s) seed=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -o) dir=$2; shift 2 ;;
    -p) probes=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "difftest: unknown argument $1 (see --help)" >&2; exit 3 ;;
    esac
done
LAB=${LAB:-./lab}
GEN=${GEN:-build/gen/gen}
LAB_CFLAGS=${LAB_CFLAGS:--O0}
export LAB_CFLAGS
INTERP_FLAGS=${INTERP_FLAGS:-}
mkdir -p "$dir"

# runs FILE TAG: $dir/TAG.{out,err,rc} for each mode
run_modes() {
    # shellcheck disable=SC2086 # INTERP_FLAGS: words on purpose
    timeout 30 "$LAB" run "$1" --mode=interp $INTERP_FLAGS >"$2.i.out" 2>"$2.i.err" </dev/null
    echo $? >"$2.i.rc"
    timeout 60 "$LAB" run "$1" --mode=native >"$2.n.out" 2>"$2.n.err" </dev/null
    echo $? >"$2.n.rc"
    timeout 60 "$LAB" run "$1" --mode=hybrid >"$2.h.out" 2>"$2.h.err" </dev/null
    echo $? >"$2.h.rc"
}

# The error kind of a runtime error's stderr: `OverflowError`, or nothing.
err_kind() {
    tail -n 1 "$1" | sed -n -e 's/^panic at [^ ]*: \([A-Za-z]*\): .*/\1/p' -e 's/^\([A-Za-z]*Error\|Panic\): .*/\1/p' | head -n 1
}

# differs TAG: prints why the modes differ, or nothing.
differs() {
    for m in i n h; do
        if grep -q -e "ERROR: AddressSanitizer" -e "ERROR: LeakSanitizer" -e ": runtime error: " -e "leak check" "$1.$m.err"; then
            echo "sanitizer or leak report on stderr ($m)"; return
        fi
    done
    ri=$(cat "$1.i.rc") rn=$(cat "$1.n.rc") rh=$(cat "$1.h.rc")
    if [ "$ri" != "$rn" ]; then echo "exit code: interp $ri, native $rn"; return; fi
    # While minimizing, a deletion can leave `#[native]` on a function that
    # hybrid mode may not compile (on main, say: L0114): such a candidate
    # says nothing about the difference being chased, so hybrid sits it out.
    if [ "$rh" = 2 ] && [ "$ri" != 2 ] && [ "${minimizing:-0}" = 1 ]; then rh=$ri; cp "$1.i.out" "$1.h.out"; fi
    if [ "$ri" != "$rh" ]; then echo "exit code: interp $ri, hybrid $rh"; return; fi
    if [ "$ri" = 124 ]; then echo "timeout in every mode"; return; fi
    if ! cmp -s "$1.i.out" "$1.n.out"; then echo "stdout differs (interp, native)"; return; fi
    if ! cmp -s "$1.i.out" "$1.h.out"; then echo "stdout differs (interp, hybrid)"; return; fi
    if [ "$ri" = 1 ]; then
        ki=$(err_kind "$1.i.err") kn=$(err_kind "$1.n.err") kh=$(err_kind "$1.h.err")
        if [ -n "$ki" ] && [ -n "$kn" ] && [ "$ki" != "$kn" ]; then echo "error kind: interp $ki, native $kn"; fi
        if [ -n "$ki" ] && [ -n "$kh" ] && [ "$ki" != "$kh" ]; then echo "error kind: interp $ki, hybrid $kh"; fi
    fi
}

# still_fails FILE TAG: the file is accepted by the checker and the modes differ.
still_fails() {
    "$LAB" check "$1" >/dev/null 2>&1 || return 1
    run_modes "$1" "$2"
    [ -n "$(differs "$2")" ]
}

# The deletable units of a file, largest first: `START END` line ranges — a
# line that opens a block (ends with `{`) with everything to its matching
# close, or a single line that neither opens nor closes one.
units() {
    awk '
    { line[NR] = $0 }
    END {
        for (i = 1; i <= NR; i++) {
            t = line[i]; sub(/^[ \t]+/, "", t)
            if (t ~ /^}/ || t == "") continue
            if (t ~ /\{$/) {
                d = 0
                for (j = i; j <= NR; j++) {
                    s = line[j]
                    d += gsub(/\{/, "{", s) - gsub(/\}/, "}", s)
                    if (d <= 0) break
                }
                if (j <= NR) print (j - i + 1), i, j
            } else {
                print 1, i, i
            }
        }
    }' "$1" | sort -k1,1nr -k2,2n | cut -d' ' -f2,3
}

minimize() {
    minimizing=1
    file=$1 tag=$2 cand="$2.cand.toy"
    progress=1
    while [ $progress = 1 ]; do
        progress=0
        for u in $(units "$file" | tr ' ' ':'); do
            a=${u%:*} b=${u#*:}
            sed "${a},${b}d" "$file" >"$cand"
            if still_fails "$cand" "$tag.m"; then
                cp "$cand" "$file"
                progress=1
                break
            fi
        done
    done
    # blank lines never matter, but check
    sed '/^[[:space:]]*$/d' "$file" >"$cand"
    if still_fails "$cand" "$tag.m"; then cp "$cand" "$file"; fi
    rm -f "$cand" "$tag".m.*
    minimizing=0
}

# worker W: the seeds s with (s - seed) % jobs == W; one result line per program.
worker() {
    w=$1
    res="$dir/results.$w"
    : >"$res"
    i=$w
    while [ "$i" -lt "$n" ]; do
        s=$((seed + i))
        i=$((i + jobs))
        if [ $probes = 1 ]; then
            for kind in move alias dangle; do
                f="$dir/probe-$s-$kind.toy" tag="$dir/w$w"
                "$GEN" "$s" -m "$kind" >"$f"
                # gen's last line says whether the probe is a violation or a near miss
                what=violation
                tail -n 1 "$f" | grep -q "near miss" && what=nearmiss
                "$LAB" check "$f" >/dev/null 2>"$tag.check"
                rc=$?
                if [ $rc = 2 ]; then
                    code=$(sed -n 's/^error\[\([A-Z0-9]*\)\].*/\1/p' "$tag.check" | tail -n 1)
                    # a near miss the checker rejects: stricter than Rust, kept for a look
                    [ $what = nearmiss ] && cp "$f" "$dir/nearmiss-rejected-$s-$kind.toy"
                    echo "$s $kind $what rejected $code" >>"$res"
                    rm -f "$f"
                elif [ $rc = 0 ]; then
                    run_modes "$f" "$tag"
                    why=$(differs "$tag")
                    if [ -z "$why" ]; then
                        [ $what = violation ] && cp "$f" "$dir/violation-accepted-$s-$kind.toy"
                        echo "$s $kind $what accepted-same" >>"$res"
                        rm -f "$f"
                    else
                        echo "$s $kind $what accepted-DIFFERENT $why" >>"$res"
                    fi
                else
                    echo "$s $kind $what check-exit-$rc" >>"$res"
                fi
            done
            continue
        fi
        f="$dir/prog-$s.toy" tag="$dir/w$w"
        "$GEN" "$s" >"$f"
        if ! "$LAB" check "$f" >/dev/null 2>"$tag.check"; then
            cp "$f" "$dir/rejected-$s.toy"
            cp "$tag.check" "$dir/rejected-$s.err"
            echo "$s REJECTED $(grep -m1 '^error' "$tag.check")" >>"$res"
            rm -f "$f"
            continue
        fi
        run_modes "$f" "$tag"
        why=$(differs "$tag")
        if [ -z "$why" ]; then
            echo "$s ok $(cat "$tag.i.rc") $(err_kind "$tag.i.err")" >>"$res"
            rm -f "$f"
            continue
        fi
        cp "$f" "$dir/fail-$s.toy"
        cp "$f" "$dir/fail-$s.min.toy"
        minimize "$dir/fail-$s.min.toy" "$tag"
        echo "$s MISMATCH $why ($(wc -l <"$dir/fail-$s.min.toy") lines after minimizing)" >>"$res"
        rm -f "$f"
    done
    rm -f "$dir/w$w".*
}

start=$(date +%s)
w=0
pids=""
while [ $w -lt "$jobs" ]; do
    worker $w &
    pids="$pids $!"
    w=$((w + 1))
done
for p in $pids; do wait "$p"; done
cat "$dir"/results.* >"$dir/results"
rm -f "$dir"/results.*
secs=$(($(date +%s) - start))

if [ $probes = 1 ]; then
    r="$dir/results"
    total=$(wc -l <"$r")
    echo "difftest -p: $total probes from $n seeds (from $seed) in ${secs}s"
    for k in move alias dangle; do
        printf '  %-6s violations: %s rejected, %s accepted (identical in both modes); near misses: %s accepted (identical), %s rejected; codes:' "$k" \
            "$(grep -c " $k violation rejected" "$r")" "$(grep -c " $k violation accepted-same" "$r")" \
            "$(grep -c " $k nearmiss accepted-same" "$r")" "$(grep -c " $k nearmiss rejected" "$r")"
        grep " $k violation rejected" "$r" | awk '{print $5}' | sort | uniq -c | awk '{printf " %s×%s", $2, $1}'
        echo
    done
    # Failures: a mode difference, a checker crash, a near miss rejected.
    bad=$(grep -c -v ' violation rejected\| accepted-same' "$r")
    echo "  failed: $bad"
    grep -v ' violation rejected\| accepted-same' "$r" | head -n 20
    [ "$bad" = 0 ]
    exit $?
fi
ok=$(grep -c ' ok ' "$dir/results")
errs=$(grep -c ' ok 1 ' "$dir/results")
bad=$(grep -c -v ' ok ' "$dir/results")
echo "difftest: $n programs generated from seed $seed in ${secs}s: $ok compared and identical ($errs of them ending in the same runtime error), $bad failed"
grep ' ok 1 ' "$dir/results" | awk '{print $4}' | sort | uniq -c | awk '{printf "  runtime errors: %s×%s\n", $2, $1}'
grep -v ' ok ' "$dir/results" | head -n 20
[ "$bad" = 0 ]
