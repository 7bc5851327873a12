#!/bin/sh
# run.sh NAME... — runs each libFuzzer harness build/fuzz/fuzz_NAME for
# $FUZZ_SECONDS (default 60) seconds, $FUZZ_JOBS (default 1) at a time, on a
# working corpus build/fuzz/corpus-NAME seeded from tests/fuzz/lf/corpus/NAME
# (or tests/fuzz/corpus for the front end; the checker's also from
# tests/ownership and tests/types). Logs go to build/fuzz/NAME.log; a
# crashing input to build/fuzz/NAME-crash-*. Exits 1 if any harness failed.
# Called by `make fuzz` (docs/reliability.md).
set -u
cd "$(dirname "$0")/../../.."
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
dir=build/fuzz
status=0
run_one() {
    name=$1
    seeds=tests/fuzz/lf/corpus/$name
    [ "$name" = front ] && seeds=tests/fuzz/corpus
    [ "$name" = vm_ft ] && seeds=tests/fuzz/lf/corpus/vm  # the same harness, free-threaded
    mkdir -p "$dir/corpus-$name"
    cp "$seeds"/* "$dir/corpus-$name/" 2>/dev/null
    # The checker's harness also starts from every ownership and type test,
    # the programs its ownership mutants are made from.
    [ "$name" = check ] && for f in tests/ownership/*.toy tests/types/*.toy; do
        cp "$f" "$dir/corpus-$name/seed-$(basename "$f")"
    done
    opts=""
    case $name in vm | vm_ft) opts="-close_fd_mask=3 -rss_limit_mb=2048 -timeout=10" ;; esac
    # shellcheck disable=SC2086
    "$dir/fuzz_$name" -max_total_time="$secs" -print_final_stats=1 -dict=tests/fuzz/lf/toy.dict \
        -artifact_prefix="$dir/$name-" $opts "$dir/corpus-$name" >"$dir/$name.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$name.log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "fuzz $name: ${execs:-?} execs in ${secs}s, no crash"
    else
        echo "fuzz $name: FAILED (exit $rc), see $dir/$name.log:"
        grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$dir/$name.log" | head -n 8
        return 1
    fi
}
pids=""
n=0
for name in "$@"; do
    if [ "$jobs" -gt 1 ]; then
        run_one "$name" > "$dir/$name.result" &
        pids="$pids $!"
        n=$((n + 1))
        if [ $n -ge "$jobs" ]; then
            for p in $pids; do wait "$p" || status=1; done
            pids=""
            n=0
        fi
    else
        run_one "$name" || status=1
    fi
done
for p in $pids; do wait "$p" || status=1; done
if [ "$jobs" -gt 1 ]; then for name in "$@"; do cat "$dir/$name.result"; done; fi
exit $status
