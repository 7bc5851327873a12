#!/bin/sh
# cli.sh LAB — `lab profile` as a student meets it (docs/profile.md): usage
# errors, a rejected program, a failing one, threads, the collector's pauses
# on the allocating line, and the figures of a small program pinned down.
# Prints one line per check, then `N passed, N failed`.
L=${1:-./lab}
case $L in /*) ;; *) L=$PWD/$L ;; esac
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-profile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
check() {  # check NAME CONDITION-EXIT-STATUS
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; head -c 1500 "$tmp/out" "$tmp/err" 2>/dev/null; fi
}
run() { "$L" profile "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

[ "$(run --help)" = 0 ] && grep -q '^usage: lab profile FILE' "$tmp/out"; check "--help" $?
[ "$(run)" = 3 ] && grep -q 'needs a FILE' "$tmp/err"; check "no FILE: exit 3" $?
[ "$(run examples/fib.toy --mode=fast)" = 3 ] && grep -q 'unknown mode `fast`' "$tmp/err"; check "bad --mode: exit 3" $?
[ "$(run examples/fib.toy --top 0)" = 3 ]; check "bad --top: exit 3" $?
[ "$(run no/such.toy)" = 3 ] && grep -q 'cannot read' "$tmp/err"; check "missing file: exit 3" $?
printf 'fn main() {\n    let x = ;\n}\n' >"$tmp/syntax.toy"
[ "$(run "$tmp/syntax.toy")" = 2 ] && grep -q 'error\[' "$tmp/err"; check "syntax error: exit 2 with the diagnostic" $?

# A small program's figures, exactly (both modes are deterministic here).
cat >"$tmp/push.toy" <<'TOY'
fn main() {
    let mut v: [int] = [];
    for i in 0..1000 {
        v.push(i);
    }
    print(v.len());
}
TOY
[ "$(run --json "$tmp/push.toy")" = 0 ]
j=$tmp/out
grep -q '^    {"line": 3, "bytecodes": 4005, "alloc.int": 744,' "$j" &&
    grep -q '^    {"line": 4, "bytecodes": 4000, "increfs": 2000, "decrefs": 2000,' "$j"
check "interp: the loop line boxes 744 ints (past the cache), push only increfs" $?
grep -q '^    {"line": 4, "allocs": 1, "bytes": 8192, "list_regrowths": 9}' "$j" &&
    grep -q '^    {"line": 7, "frees": 1}' "$j"
check "native: push allocates one buffer grown 9 times; the drop is on the closing brace" $?
grep -q '^    {"line": 7, "bytecodes": 1, "freed": 745, "decrefs": 1004}' "$j"
check "interp: the list and its 744 ints are freed on the closing brace" $?
grep -q '{"line": 4, "moves": 0, "borrows": 1, "drops": 0' "$j" &&
    grep -q '{"line": 7, "moves": 0, "borrows": 0, "drops": 1' "$j"
check "compile time: push borrows v mutably; v's drop is inserted at the closing brace" $?
[ "$(grep -c '"sums_equal_stats": true' "$j")" = 2 ]; check "both runs: the lines add up to --stats" $?
[ "$(run "$tmp/push.toy")" = 0 ] && grep -q '^>    3 ' "$tmp/out" && grep -q 'Top 5 lines by interp objects allocated' "$tmp/out"
check "text: the hottest lines marked, then the top lines" $?

# A word count: the loop's words are lent (views of the text, docs/native.md
# "Split pieces lent"), so the loop's line allocates nothing and `m[w] = …`
# copies each of the 5 distinct words once (plus the map's entries and index).
cat >"$tmp/words.toy" <<'TOY'
fn main() {
    let text = "the cat and the hat and the bat";
    let mut counts: {str: int} = {};
    for w in text.split_whitespace() {
        let seen = counts.get(&w).unwrap_or(0);
        counts[w] = seen + 1;
    }
    print(counts.len());
}
TOY
[ "$(run --json --mode=native "$tmp/words.toy")" = 0 ] && ! grep -q '^    {"line": 4, "allocs"' "$j" &&
    grep -q '^    {"line": 6, "allocs": 7, "bytes": 463,' "$j" && grep -q '^    {"line": 9, "frees": 8}' "$j"
check "native: a word count's words are lent, a new key copied once" $?

# Rejected in native mode: interp's costs alone, and why.
[ "$(run examples/cycles.toy)" = 0 ] && grep -q 'native: the checker rejects this program' "$tmp/out" &&
    grep -q 'interp run' "$tmp/out" && ! grep -q 'native run' "$tmp/out"
check "a program native rejects: interp's costs, and the first error" $?

# The collector's pauses are on the lines whose allocations made them due
# (or an explicit gc()), and sum to --stats' pause total (tests/profile/sums.sh).
"$L" profile --json --mode=interp examples/cycles.toy >"$j" 2>"$tmp/err"
awk -v src=examples/cycles.toy '
    BEGIN { while ((getline s < src) > 0) text[++n] = s }
    /^    \{"line": / && /gc_collections/ {
        match($0, /"line": [0-9]+/); l = substr($0, RSTART + 8, RLENGTH - 8) + 0
        if ($0 !~ /"alloc\.(struct|list|map|tuple|some)"/ && text[l] !~ /gc\(\)/) { print "line " l " collects without allocating"; bad = 1 }
        seen = 1
    }
    END { exit !(seen && !bad) }' "$j"
check "interp: every collection is charged to an allocating line (or gc())" $?

[ "$(run --mode=native examples/cycles.toy)" = 2 ] && grep -q 'error\[E0382\]' "$tmp/err"
check "--mode=native alone on a program native rejects: its diagnostics, exit 2" $?

# A failing program: its costs up to the error, its exit code and message.
printf 'fn main() {\n    let v = [1, 2];\n    print(v[5]);\n}\n' >"$tmp/fail.toy"
[ "$(run "$tmp/fail.toy")" = 0 ] && grep -q 'interp: exit code 1' "$tmp/out" && grep -q 'IndexError' "$tmp/out"
check "a program that fails: profiled up to the error, the error shown" $?

# A thread's error ends the process at once: the lines are still there,
# without --stats totals to compare them with.
[ "$(run --mode=interp tests/threads/panic_in_thread.toy)" = 0 ] && grep -q 'interp: exit code 1; the run ended at once' "$tmp/out" &&
    grep -q 'ZeroDivisionError' "$tmp/out" && grep -q '14 .*return 10 / n;' "$tmp/out"
check "a program whose thread panics: its lines up to the end, the error shown" $?

# Threads: per thread in --json, each thread's events on its own lines.
[ "$(run --json --mode=interp examples/threads/primes.toy)" = 0 ] && [ "$(grep -c '{"thread": ' "$j")" -ge 2 ]
check "threads: --json gives each thread's lines" $?

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
