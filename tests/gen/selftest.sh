#!/bin/sh
# selftest.sh — checks that the differential driver catches a difference and
# minimizes it: a stand-in lab whose native mode prints one line too many for
# any program that calls `.reverse()` must make difftest.sh fail on such a
# program and leave a minimized copy of at most 10 lines that still calls it.
#
#   sh tests/gen/selftest.sh [LAB] [GEN]     (run by .ci/run)
set -u
LAB=${1:-./lab}
GEN=${2:-build/gen/gen}
case $LAB in /*) ;; *) LAB=$(pwd)/$LAB ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/toy-selftest-XXXXXX")
trap 'rm -rf "$work"' EXIT
cat >"$work/lab" <<EOS
#!/bin/sh
case "\$*" in
*--mode=native*)
    for a in "\$@"; do f=\$a; case \$a in *.toy) break ;; esac; done
    if grep -q '\\.reverse()' "\$f"; then "$LAB" "\$@"; st=\$?; echo extra; exit \$st; fi ;;
esac
exec "$LAB" "\$@"
EOS
chmod +x "$work/lab"
seed=1
while ! "$GEN" $seed | grep -q '\.reverse()'; do
    seed=$((seed + 1))
    [ $seed -gt 500 ] && { echo "selftest: no program with .reverse() in seeds 1..500"; exit 1; }
done
if LAB="$work/lab" GEN="$GEN" sh tests/gen/difftest.sh -n 1 -s $seed -j 1 -o "$work/out" >"$work/log" 2>&1; then
    echo "selftest: FAILED: the driver did not notice the difference (seed $seed)"
    exit 1
fi
min="$work/out/fail-$seed.min.toy"
lines=$(wc -l <"$min")
if [ "$lines" -le 10 ] && grep -q '\.reverse()' "$min" && "$LAB" check "$min" >/dev/null 2>&1; then
    echo "selftest: ok: seed $seed, $(wc -l <"$work/out/fail-$seed.toy") lines minimized to $lines"
else
    echo "selftest: FAILED: minimized program has $lines lines:"
    cat "$min"
    exit 1
fi
