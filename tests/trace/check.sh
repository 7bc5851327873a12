#!/bin/sh
# check.sh LAB [--update] — `lab trace` (docs/trace.md): the traces of a few
# examples, text and JSON, against committed expectations (tests/trace/*.txt,
# *.json: deterministic on every machine, so any difference is a change of
# behaviour — `--update` rewrites them after a deliberate one); a trace made
# twice is the same; usage errors. Prints one line per check, then
# `N passed, N failed`.
L=${1:-./lab}
case $L in /*) ;; *) L=$PWD/$L ;; esac
update=0
[ "${2:-}" = --update ] && update=1
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-trace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
check() {
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; head -c 2000 "$tmp/diff" 2>/dev/null; fi
}

# NAME FILE STEPS: the example's trace, as text and as JSON.
for spec in "refcount examples/lessons/refcount.toy 40" "ownership examples/lessons/ownership.toy 60" \
            "cycles examples/cycles.toy 80" "aliasing examples/lessons/aliasing.toy 100"; do
    set -- $spec
    for kind in txt json; do
        want=tests/trace/$1.$kind
        if [ $kind = json ]; then "$L" trace --json --max-steps "$3" "$2" >"$tmp/got" 2>"$tmp/err"
        else "$L" trace --max-steps "$3" "$2" >"$tmp/got" 2>"$tmp/err"; fi
        rc=$?
        if [ $update = 1 ] && [ $rc = 0 ]; then cp "$tmp/got" "$want"; fi
        [ $rc = 0 ] && diff -u "$want" "$tmp/got" >"$tmp/diff"
        check "$2: the $kind trace ($3 steps) is the committed one" $?
    done
done

# The same trace twice, with a program that allocates, frees and collects.
"$L" trace --json --max-steps 1200 examples/cycles.toy >"$tmp/a" 2>/dev/null && "$L" trace --json --max-steps 1200 examples/cycles.toy >"$tmp/b" 2>/dev/null &&
    cmp -s "$tmp/a" "$tmp/b" && grep -q "\"collections\": 1" "$tmp/a"
check "a trace is deterministic (cycles.toy, 1,200 steps with allocations, frees and a collection; twice)" $?
"$L" trace --json --max-steps 5 examples/fib.toy >"$tmp/a" 2>/dev/null && grep -q '"truncated": true' "$tmp/a" &&
    [ "$(grep -c '^ {"step": ' "$tmp/a")" = 5 ]
check "--max-steps 5: five steps, then truncated" $?

# A program that never ends: the trace ends at its last step, and so does the run.
printf 'fn main() {\n    let mut x = 0;\n    while true { x += 1; }\n}\n' >"$tmp/forever.toy"
timeout 60 "$L" trace --mode=interp --json --max-steps 30 "$tmp/forever.toy" >"$tmp/a" 2>"$tmp/diff" &&
    [ "$(grep -c '^ {"step": ' "$tmp/a")" = 30 ] && grep -q '"truncated": true' "$tmp/a"
check "a program that never ends: 30 steps (a one-line loop steps each time round), then the trace ends" $?

# A thread's panic ends the process at once: the trace is still whole.
"$L" trace --mode=interp --json tests/threads/panic_in_thread.toy >"$tmp/a" 2>"$tmp/diff" &&
    grep -q '"interp_exit": 1' "$tmp/a" && grep -q '"truncated": false' "$tmp/a" && [ "$(grep -c '^ {"step": ' "$tmp/a")" -gt 0 ]
check "a program whose thread panics: a whole trace, and its exit code 1" $?

# A spawned thread runs untraced, but what it allocates counts in the main
# thread's step after the join; the text says so.
printf 'fn work(n: int) -> [int] {\n    let mut v: [int] = [];\n    for i in 0..n {\n        v.push(i * 1000);\n    }\n    return v;\n}\n\nfn main() {\n    let h = spawn work(500);\n    let v = h.join();\n    print(v.len());\n}\n' >"$tmp/thread.toy"
"$L" trace --mode=interp --json "$tmp/thread.toy" >"$tmp/a" 2>"$tmp/diff" && grep -q '"threads": 1}' "$tmp/a" &&
    [ "$(grep -A1 '"line": 12, "fn": "main"' "$tmp/a" | sed -n 's/.*"allocs": \([0-9]*\).*/\1/p')" -ge 500 ] &&
    "$L" trace --mode=interp "$tmp/thread.toy" >"$tmp/b" 2>&1 && grep -q '^  (1 spawned thread ran untraced' "$tmp/b" &&
    "$L" trace --mode=interp --json examples/fib.toy --max-steps 3 | grep -q '"threads": 0}'
check "a spawned thread: \"threads\": 1, its 500 allocations in the step after the join, the text says it ran untraced" $?

"$L" trace >"$tmp/diff" 2>&1; [ $? = 3 ]; check "no FILE: exit 3" $?
"$L" trace examples/fib.toy --max-steps 0 >"$tmp/diff" 2>&1; [ $? = 3 ]; check "--max-steps 0: exit 3" $?
"$L" trace --help >"$tmp/diff" 2>&1 && grep -q '^usage: lab trace FILE' "$tmp/diff"; check "--help" $?
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
