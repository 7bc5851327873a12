#!/bin/sh
# run.sh — kept for old habits: the benchmark driver is `lab bench`
# (compiler/lab/bench.c, docs/benchmarks.md). RUNS=N still sets the number of runs.
#
#   sh tests/bench/run.sh                  the whole suite
#   RUNS=9 sh tests/bench/run.sh fib sum   some benchmarks, more runs
cd "$(dirname "$0")/../.." || exit 3
exec "${LAB:-./lab}" bench -n "${RUNS:-5}" "$@"
