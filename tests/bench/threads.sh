#!/bin/sh
# threads.sh — the figures of docs/threads.md (issue 6): what threads buy in
# each mode. Not a test (timings vary with the machine and its load); run it
# by hand or with `make bench-threads`:
#
#   sh tests/bench/threads.sh [LAB]        (default ./lab)
#
# Prints one table, after a control: the speedup two plain C threads get
# over one right now (on a shared machine, often far below the core count);
#  - primes.toy with 1, 2 and 4 threads in both modes: the wall time (best
#    of RUNS interleaved runs, measured by the program itself with clock())
#    and the speedup over 1 thread; plus CPU / wall of one 2-thread run
#    (--stats=json);
#  - sleepy.toy (4 threads x 5 naps of 100 ms) in both modes: the wall time
#    next to one thread's naps (0.5 s) and the sum of all naps (2 s);
#  - convoy.toy in both modes: the I/O thread's mean request latency alone
#    and beside a CPU-bound thread;
#  - race.toy in interp mode: updates lost out of 2 x 1,000,000, at the
#    default switch interval and at 0.05 ms (native rejects it: E0382).
# Environment: RUNS (default 5), PRIMES_INTERP (limit, default 300000),
# PRIMES_NATIVE (default 3000000).
set -eu
LAB=${1:-./lab}
RUNS=${RUNS:-5}
PI=${PRIMES_INTERP:-300000}
PN=${PRIMES_NATIVE:-3000000}
EX=examples/threads

. "$(dirname "$0")/lib.sh"  # median

# The program's own "wall seconds:" figure, median of RUNS runs.
wall() {
    i=0
    while [ $i -lt "$RUNS" ]; do
        "$LAB" run "$@" | awk '/^wall seconds:/ { print $3 }'
        i=$((i + 1))
    done | median
}

# CPU / wall of one --stats=json run.
parallelism() {
    "$LAB" run --stats=json "$@" 2>&1 >/dev/null | tr ',' '\n' | awk -F': ' '/"parallelism"/ { print $2 }'
}

"$LAB" run --mode=native $EX/primes.toy >/dev/null  # compile once, outside the timings

# A control: how much parallelism the machine gives this session right now.
# Two plain C threads summing integers, against one doing the same work.
cat > "${TMPDIR:-/tmp}/lab-par-$$.c" <<'EOF_C'
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
static void *spin(void *p) {
  volatile unsigned long x = 0;
  for (unsigned long i = 0, n = (unsigned long)p; i < n; i++) x += i;
  return NULL;
}
int main(int argc, char **argv) {
  int t = argc > 1 ? atoi(argv[1]) : 1;
  pthread_t th[8];
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < t && i < 8; i++) pthread_create(&th[i], 0, spin, (void *)(600000000UL / t));
  for (int i = 0; i < t && i < 8; i++) pthread_join(th[i], 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
EOF_C
ctl=${TMPDIR:-/tmp}/lab-par-$$
${CC:-cc} -O1 -pthread -o "$ctl" "$ctl.c"
c1=$(for i in 1 2 3; do "$ctl" 1; done | sort -g | head -1)
c2=$(for i in 1 2 3; do "$ctl" 2; done | sort -g | head -1)
rm -f "$ctl" "$ctl.c"

echo "lab threads benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(a shared machine: other jobs ran at the same time; read the ratios, not the digits)"
echo "control, plain C: 1 thread ${c1} s, 2 threads ${c2} s: speedup $(awk -v a="$c1" -v b="$c2" 'BEGIN { printf "%.2f", a / b }')x available to this session now"
echo
# The runs of the three thread counts are interleaved, so that a change of
# the machine's load hits all of them alike; the best of RUNS is reported
# (as timeit does: on a shared machine the noise only ever adds time).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=0
while [ $r -lt "$RUNS" ]; do
    for n in 1 2 4; do
        "$LAB" run $EX/primes.toy -- $n "$PI" t | awk '/^wall seconds:/ { print $3 }' >> "$tmp/i$n"
        "$LAB" run --mode=native $EX/primes.toy -- $n "$PN" t | awk '/^wall seconds:/ { print $3 }' >> "$tmp/n$n"
    done
    r=$((r + 1))
done
best() { sort -g "$1" | head -1; }
printf '%-34s %14s %14s\n' "primes.toy (best of $RUNS)" "interp" "native"
printf '%-34s %14s %14s\n' "  limit" "$PI" "$PN"
for n in 1 2 4; do
    ti=$(best "$tmp/i$n")
    tn=$(best "$tmp/n$n")
    eval "ti$n=$ti tn$n=$tn"
    printf '%-34s %12.3f s %12.3f s\n' "  $n thread(s): wall" "$ti" "$tn"
done
for n in 2 4; do
    eval "si=\$(awk -v a=\$ti1 -v b=\$ti$n 'BEGIN { printf \"%.2f\", a / b }')"
    eval "sn=\$(awk -v a=\$tn1 -v b=\$tn$n 'BEGIN { printf \"%.2f\", a / b }')"
    printf '%-34s %13sx %13sx\n' "  speedup, $n threads over 1" "$si" "$sn"
done
printf '%-34s %14s %14s\n' "  CPU / wall, 2 threads" "$(parallelism $EX/primes.toy -- 2 "$PI")" \
    "$(parallelism --mode=native $EX/primes.toy -- 2 "$PN")"
echo
printf '%-34s %14s %14s\n' "sleepy.toy (4 x 5 x 100 ms)" "interp" "native"
si=$(wall $EX/sleepy.toy -- 4 5 100 t)
sn=$(wall --mode=native $EX/sleepy.toy -- 4 5 100 t)
printf '%-34s %12.3f s %12.3f s\n' "  wall (one thread's naps: 0.5 s," "$si" "$sn"
printf '%-34s\n' "   all naps together: 2.0 s)"
echo
printf '%-34s %14s %14s\n' "convoy.toy (50 requests)" "interp" "native"
ci=$("$LAB" run $EX/convoy.toy -- 50 5000000 t)
cn=$("$LAB" run --mode=native $EX/convoy.toy -- 50 300000000 t)
printf '%-34s %12s us %12s us\n' "  mean request latency, alone" \
    "$(echo "$ci" | awk -F': ' '/alone/ { print $2 }')" "$(echo "$cn" | awk -F': ' '/alone/ { print $2 }')"
printf '%-34s %12s us %12s us\n' "  beside a CPU-bound thread" \
    "$(echo "$ci" | awk -F': ' '/beside/ { print $2 }')" "$(echo "$cn" | awk -F': ' '/beside/ { print $2 }')"
echo
printf '%-34s %14s %14s\n' "race.toy (2 x 1,000,000 updates)" "interp" "native"
for si in 5 0.05; do
    lost=$("$LAB" run --switch-interval=$si $EX/race.toy -- 1000000 show | awk '/^updates:/ { print $6 }')
    printf '%-34s %14s %14s\n' "  lost, --switch-interval=$si" "$lost" "E0382"
done
