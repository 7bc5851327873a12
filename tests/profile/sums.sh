#!/bin/sh
# sums.sh LAB [FILE…] — `lab profile`'s exact accounting (docs/profile.md): on
# every example (or the FILEs given), in both modes, the per-line figures of
# `lab profile --json` must add up to the totals of the --stats line of the
# same run, which the JSON carries beside them: objects allocated, freed,
# increfs, decrefs, bytecodes, calls, bytes, collections, what they freed and
# their pause time (interp); blocks allocated, freed and bytes (native). The sums are made
# here, from the JSON, not by lab. Prints one line per file, then
# `N passed, N failed`.
L=${1:-./lab}
shift
case $L in /*) ;; *) L=$PWD/$L ;; esac
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || set -- $(find examples -name '*.toy' | sort)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-sums.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
for f in "$@"; do
    args=$(sed -n 's#^// args: ##p' "$f" | head -1)
    # shellcheck disable=SC2086
    timeout 300 "$L" profile --json "$f" -- $args >"$tmp/out" 2>"$tmp/err"
    rc=$?
    verdict=$(awk '
        function num(s, key,   m) {  # the number after "key": in s
            if (match(s, "\"" key "\": -?[0-9.]+")) { m = substr(s, RSTART, RLENGTH); sub(/.*: /, "", m); return m + 0 }
            return "none"
        }
        /^  "interp": / { mode = "interp"; stats[mode] = $0; next }
        /^  "native": / { mode = "native"; stats[mode] = $0; next }
        /^  "compile": / { mode = ""; next }
        /^    \{"line": / && mode != "" {
            n = split($0, kv, ", ")
            for (i = 1; i <= n; i++) {
                split(kv[i], p, ": ")
                k = p[1]; gsub(/[{"} ]/, "", k); v = p[2]; gsub(/[^0-9-]/, "", v)
                if (k == "line") continue
                sum[mode, k] += v
                if (k ~ /^alloc\./) sum[mode, "alloc"] += v
            }
        }
        function want(mode, field, key,   t) {
            t = num(stats[mode], key)
            if (t == "none") return
            checked++
            if (sum[mode, field] + 0 != t) { bad = bad " " mode ":" field "=" (sum[mode, field] + 0) "/" t }
        }
        END {
            if (!("interp" in stats)) { print "no interp run"; exit }
            want("interp", "alloc", "objects_allocated_total"); want("interp", "freed", "objects_freed")
            want("interp", "increfs", "increfs"); want("interp", "decrefs", "decrefs")
            want("interp", "bytecodes", "bytecodes"); want("interp", "calls", "calls")
            want("interp", "bytes", "bytes_allocated"); want("interp", "gc_collections", "gc_collections")
            want("interp", "gc_collected", "gc_collected")
            t = num(stats["interp"], "gc_pause_total_ms")  # printed to the microsecond
            if (t != "none") {
                checked++
                d = sum["interp", "gc_pause_ns"] / 1e6 - t
                if (d > 0.0006 || d < -0.0006) bad = bad " interp:gc_pause_ms=" sum["interp", "gc_pause_ns"] / 1e6 "/" t
            }
            if ("native" in stats) {
                want("native", "allocs", "allocs"); want("native", "frees", "frees")
                want("native", "bytes", "bytes_allocated")
            }
            print (bad == "" ? "ok " checked : "differ" bad)
        }' "$tmp/out")
    case $rc:$verdict in
    0:ok*)
        pass=$((pass + 1))
        echo "ok   $f (${verdict#ok } totals)"
        ;;
    *)
        fail=$((fail + 1))
        echo "FAIL $f: exit $rc, $verdict"
        head -c 800 "$tmp/err"
        ;;
    esac
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
