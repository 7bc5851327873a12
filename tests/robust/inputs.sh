#!/bin/sh
# inputs.sh LAB — inputs a student produces by accident (issue 14) must end
# with a clear message, a defined exit code and bounded output, in time
# linear in their size: a binary, a megabyte-long line, random bytes, a file
# of thousands of errors, a long flat expression, a 100 KB argument; output
# that cannot be written (`> /dev/full`, `>&-`) or whose reader goes away
# (`| head`); a program that never ends or prints forever under compare,
# profile and view; an empty argument or option value. Each case runs
# under a generous timeout (a hang guard, not a timing) and its stderr must
# stay under 64 KiB. Prints one line per case, then `N passed, N failed`.
L=${1:-./lab}
case $L in /*) ;; *) L=$PWD/$L ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-inputs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
# case NAME EXIT FILE [RUN-FLAGS…]: `lab run` on FILE exits EXIT with at most
# 64 KiB on stderr, within 60 s.
case_() {
    name=$1 want=$2 file=$3
    shift 3
    timeout 60 "$L" run "$@" "$file" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    size=$(wc -c <"$tmp/err")
    if [ "$rc" = "$want" ] && [ "$size" -le 65536 ]; then
        pass=$((pass + 1))
        echo "ok   $name (exit $rc, $size bytes of diagnostics)"
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $rc (want $want), $size bytes on stderr"
        head -c 600 "$tmp/err"
    fi
}
prog='fn main() {\n    print(1);\n}\n'
printf "$prog" >"$tmp/ok.toy"
# A valid program, then a 1 MB line of `@`: 20 errors shown, the line cut.
{ printf "$prog"; head -c 1000000 /dev/zero | tr '\0' '@'; echo; } >"$tmp/at.toy"
case_ "1 MB line of @ after a valid program" 2 "$tmp/at.toy"
grep -q "aborting after 20 errors (999980 more not shown)" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL: no 'aborting after 20 errors' line"; }
# Every source line shown is at most ~200 columns wide.
awk 'length($0) > 220 { bad = 1 } END { exit bad }' "$tmp/err" || { fail=$((fail + 1)); echo "FAIL: a diagnostic line wider than 220 columns"; }
# 2 MB of base64: identifiers and stray symbols, thousands of errors.
head -c 1500000 /dev/urandom | base64 -w 0 >"$tmp/b64.toy"
case_ "2 MB of base64 on one line" 2 "$tmp/b64.toy" --mode=native
# Random bytes without NUL (tr drops it): invalid UTF-8 everywhere.
head -c 1000000 /dev/urandom | tr -d '\000' >"$tmp/rnd.toy"
case_ "1 MB of random bytes" 2 "$tmp/rnd.toy"
# 50,000 lines each with an error.
awk 'BEGIN { print "fn main() {"; for (i = 0; i < 50000; i++) print "    let x" i " = y" i ";"; print "}" }' >"$tmp/many.toy"
case_ "50,000 undefined names" 2 "$tmp/many.toy" --mode=native
# Binaries: an executable, a NUL byte, UTF-16.
cp "$(command -v sh)" "$tmp/prog"
case_ "an executable" 3 "$tmp/prog"
grep -q "did you mean" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL: no 'did you mean' for an executable"; }
printf 'fn main() {\n    print(1);\000\n}\n' >"$tmp/nul.toy"
case_ "a NUL byte" 3 "$tmp/nul.toy"
printf '\377\376f\000n\000' >"$tmp/u16.toy"
case_ "UTF-16 text" 3 "$tmp/u16.toy"
# A NUL byte past the first 8 KiB is the lexer's error (L0104), exit 2.
{ printf "$prog"; awk 'BEGIN { for (i = 0; i < 400; i++) print "// padding padding padding" }'; printf 'x\000\n'; } >"$tmp/latenul.toy"
case_ "a NUL byte after 8 KiB of text" 2 "$tmp/latenul.toy"
# A 100,000-character identifier in a message is cut.
{ printf 'fn main() {\n    print('; head -c 100000 /dev/zero | tr '\0' 'a'; printf ');\n}\n'; } >"$tmp/longname.toy"
case_ "a 100,000-character unknown name" 2 "$tmp/longname.toy" --mode=native
# A long flat chain `1 + 1 + … + 1` is no nesting: 1,200 terms run in both
# modes and print the same; past 2,000 operators it is L0112, "expression
# too long", not "nesting too deep".
chain() {
    awk -v n="$1" 'BEGIN { printf "fn main() {\n    let x = "; for (i = 0; i < n; i++) printf "1 + "
        print "1;\n    print(x);\n    let s = \"a\""; for (i = 0; i < n; i++) printf ".clone()"
        print ";\n    print(s);\n}" }'
}
chain 1200 >"$tmp/chain.toy"
for mode in interp native; do
    case_ "1,200-term chain, $mode" 0 "$tmp/chain.toy" --mode=$mode
    [ "$(tr '\n' ' ' <"$tmp/out")" = "1201 a " ] || { fail=$((fail + 1)); echo "FAIL: 1,200-term chain printed $(head -c 100 "$tmp/out")"; }
done
chain 2001 >"$tmp/chain2.toy"
case_ "2,001-term chain" 2 "$tmp/chain2.toy"
grep -q "error\[L0112\]: expression too long" "$tmp/err" || { fail=$((fail + 1)); echo "FAIL: no L0112 for a 2,001-term chain"; }
# A long `else if` chain: each `else if` nests a level. 900 branches run in
# both modes; 1,500 are one L0109 that says the levels are `else if`s.
elifs() {
    awk -v n="$1" 'BEGIN { print "fn main() {\n    let x = " n - 1 ";\n    if x == 0 {\n        print(0);\n    }"
        for (i = 1; i < n; i++) print "    else if x == " i " {\n        print(" i ");\n    }"; print "}" }'
}
elifs 900 >"$tmp/elif900.toy"
for mode in interp native; do
    case_ "900-branch else-if chain, $mode" 0 "$tmp/elif900.toy" --mode=$mode
    [ "$(cat "$tmp/out")" = 899 ] || { fail=$((fail + 1)); echo "FAIL: the 900-branch chain printed $(head -c 100 "$tmp/out")"; }
done
elifs 1500 >"$tmp/elif1500.toy"
case_ "1,500-branch else-if chain" 2 "$tmp/elif1500.toy"
[ "$(grep -c '^error\[' "$tmp/err")" = 1 ] && grep -q "of them \`else if\`s" "$tmp/err" ||
    { fail=$((fail + 1)); echo "FAIL: a 1,500-branch chain is not one L0109 about else if"; head -c 600 "$tmp/err"; }
# Output that cannot be written — a full disk, a closed stdout — is an
# OSError, exit 1, in both modes, as in Python: at the print whose write
# fails, or at the end for the last of the output.
awk 'BEGIN { print "fn main() {\n    print(\"hi\");\n    for i in 0..100000 {\n        print(i);\n    }\n}" }' >"$tmp/out.toy"
printf 'fn main() {\n    print("hi");\n}\n' >"$tmp/short.toy"
for mode in interp native; do
    for prog in out short; do
        for how in full closed; do
            if [ $how = full ]; then "$L" run --mode=$mode "$tmp/$prog.toy" >/dev/full 2>"$tmp/err"; rc=$?
            else "$L" run --mode=$mode "$tmp/$prog.toy" >&- 2>"$tmp/err"; rc=$?; fi
            if [ $rc = 1 ] && grep -q "OSError: cannot write to stdout: " "$tmp/err"; then
                pass=$((pass + 1)); echo "ok   $mode, $prog.toy, stdout $how (exit 1, $(tail -n 1 "$tmp/err"))"
            else
                fail=$((fail + 1)); echo "FAIL $mode, $prog.toy, stdout $how: exit $rc"; head -c 600 "$tmp/err"
            fi
        done
    done
done
# A reader that goes away (`| head`) ends the program quietly through
# SIGPIPE in both modes: status 141 as the shell shows it, nothing on stderr.
for mode in interp native; do
    { timeout 60 "$L" run --mode=$mode "$tmp/out.toy" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -n 2 >"$tmp/head"
    if [ "$(cat "$tmp/rc")" = 141 ] && [ ! -s "$tmp/err" ] && [ "$(tr '\n' ' ' <"$tmp/head")" = "hi 0 " ]; then
        pass=$((pass + 1)); echo "ok   $mode, stdout piped into head -n 2 (status 141, quiet)"
    else
        fail=$((fail + 1)); echo "FAIL $mode, stdout piped into head -n 2: status $(cat "$tmp/rc")"; head -c 600 "$tmp/err"
    fi
done
# A 100,000-byte argument is quoted cut, in a usage error or an unreadable path.
long=$(head -c 100000 /dev/zero | tr '\0' 'x')
for args in "run --mode=$long x.toy" "explain $long" "$long" "run $tmp/$long"; do
    "$L" $args >/dev/null 2>"$tmp/err"
    rc=$? size=$(wc -c <"$tmp/err")
    if [ $rc = 3 ] && [ "$size" -lt 1000 ] && grep -q "(100[0-9]* bytes)" "$tmp/err"; then
        pass=$((pass + 1)); echo "ok   a 100 KB argument (lab ${args%%xxxx*}…): exit 3, $size bytes"
    else
        fail=$((fail + 1)); echo "FAIL a 100 KB argument (lab ${args%%xxxx*}…): exit $rc, $size bytes"
    fi
done
# The commands that run a program to measure it stop a run that never ends
# (--time-limit) or prints past 64 MiB, and say so; one stopped from outside
# (`timeout`, or Ctrl-C) leaves no run behind.
printf 'fn main() {\n    let mut i = 0;\n    while true {\n        i += 1;\n    }\n}\n' >"$tmp/endless.toy"
printf 'fn main() {\n    let mut i = 0;\n    while true {\n        print(i);\n        i += 1;\n    }\n}\n' >"$tmp/flood.toy"
limited() {  # limited NAME WANT-EXIT WANT-STDERR LAB-ARGS…
    name=$1 want=$2 text=$3
    shift 3
    timeout 120 "$L" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc = "$want" ] && grep -q "$text" "$tmp/err"; then
        pass=$((pass + 1)); echo "ok   $name (exit $rc: $(head -c 120 "$tmp/err"))"
    else
        fail=$((fail + 1)); echo "FAIL $name: exit $rc (want $want)"; head -c 600 "$tmp/err"
    fi
}
stopped="did not finish within 2 s (a loop that never ends?) and was stopped"
limited "compare, an endless loop" 1 "lab compare: the native run $stopped" compare --time-limit 2 "$tmp/endless.toy"
limited "profile, an endless loop" 1 "lab profile: the interp run $stopped" profile --time-limit 2 "$tmp/endless.toy"
limited "view, an endless loop" 0 "lab view: no per-line costs: .*the interp run $stopped" view --time-limit 2 -o "$tmp/endless.html" "$tmp/endless.toy"
limited "compare, endless output" 1 "lab compare: the native run printed more than 64 MiB; stopped" compare "$tmp/flood.toy"
limited "profile, endless output" 1 "lab profile: the interp run printed more than 64 MiB; stopped" profile "$tmp/flood.toy"
timeout 2 "$L" compare --time-limit 0 "$tmp/endless.toy" >/dev/null 2>&1
sleep 1
if pgrep -f "$tmp/endless" >/dev/null; then
    fail=$((fail + 1)); echo "FAIL a compare stopped by timeout left its runs going:"; pgrep -af "$tmp/endless"; pkill -9 -f "$tmp/endless"
else
    pass=$((pass + 1)); echo "ok   a compare stopped by timeout leaves no run behind"
fi
# Killed alone (an editor's stop button, a grader's kill PID, a closed
# terminal): its runs go with it, the `lab run --stats` that re-executes
# build/counted/lab too, and so do the temporary directories of all of
# them, in $TMPDIR and in the cache (runtime/cleanup.h); so do those of a
# run stopped at --time-limit, and of a build stopped mid-compile, whose C
# compilers stop too.
mkdir "$tmp/t" "$tmp/c"
leftovers() { find "$tmp/t" "$tmp/c" -maxdepth 2 \( -name 'lab-*' -o -name 'tmp-*' \) | sed "s|$tmp/||"; }
no_leftovers() {  # no_leftovers WHAT
    if [ -n "$(leftovers)" ]; then
        fail=$((fail + 1)); echo "FAIL $1 left temporary files:"; leftovers
        rm -rf "$tmp/t"/* "$tmp/c/lab"/tmp-*
    else
        pass=$((pass + 1)); echo "ok   $1 leaves no temporary directory"
    fi
}
for run in "TERM compare" "TERM profile" "HUP view" "TERM trace"; do
    sig=${run%% *} cmd=${run#* }
    TMPDIR=$tmp/t XDG_CACHE_HOME=$tmp/c "$L" $cmd --time-limit 0 "$tmp/endless.toy" >/dev/null 2>&1 &
    pid=$!
    sleep 2
    kill -$sig $pid
    wait $pid 2>/dev/null
    sleep 1
    if pgrep -f "$tmp/endless" >/dev/null; then
        fail=$((fail + 1)); echo "FAIL a $cmd killed alone (SIG$sig) left its runs going:"; pgrep -af "$tmp/endless"; pkill -9 -f "$tmp/endless"
    else
        pass=$((pass + 1)); echo "ok   a $cmd killed alone (SIG$sig) leaves no run behind"
    fi
    no_leftovers "a $cmd killed alone"
done
TMPDIR=$tmp/t XDG_CACHE_HOME=$tmp/c "$L" profile --mode=native --time-limit 1 "$tmp/endless.toy" >/dev/null 2>&1
no_leftovers "a native profile run stopped at --time-limit"
awk 'BEGIN { print "fn main() {"; print "    let mut s = 0;"; for (i = 0; i < 20000; i++) print "    s += " i " % 7;"; print "    print(s);"; print "}" }' >"$tmp/big.toy"
TMPDIR=$tmp/t XDG_CACHE_HOME=$tmp/c "$L" build "$tmp/big.toy" -o "$tmp/big" >/dev/null 2>&1 &
pid=$!
sleep 2
kill $pid
wait $pid 2>/dev/null
sleep 1
if pgrep -f "$tmp/c/" >/dev/null; then
    fail=$((fail + 1)); echo "FAIL a build killed alone left its C compilers going:"; pgrep -af "$tmp/c/" | cut -c1-200; pkill -9 -f "$tmp/c/"
else
    pass=$((pass + 1)); echo "ok   a build killed alone mid-compile stops its C compilers"
fi
no_leftovers "a build stopped mid-compile"
# A native program ended by SIGKILL, the out-of-memory killer's signal, is
# reported with that likely cause (exit 1).
XDG_CACHE_HOME=$tmp/c "$L" run --mode=native "$tmp/endless.toy" >/dev/null 2>"$tmp/err" &
pid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do sleep 1; pkill -9 -f "$tmp/c/lab/bin/" && break; done
wait $pid
rc=$?
if [ $rc = 1 ] && grep -q "killed by signal 9 (Killed): the system's out-of-memory killer" "$tmp/err"; then
    pass=$((pass + 1)); echo "ok   a native program killed by SIGKILL: exit 1, the out-of-memory killer named"
else
    fail=$((fail + 1)); echo "FAIL a native program killed by SIGKILL: exit $rc"; head -c 600 "$tmp/err"
fi
# An empty argument or value (`lab run $FILE` with FILE unset, `-o ""`,
# `--svg=`) is a usage error at once that says so, before any work: `lab
# bench --svg=` ran the whole suite, then failed to write "".
for c in "run @E" "parse @E" "view OK -o @E" "build OK -o @E" "bench --svg= fib" "grade --dir=" "run --stats= OK" \
    "compare -n @E OK"; do
    set --
    for w in $c; do
        case $w in @E) set -- "$@" "" ;; OK) set -- "$@" "$tmp/ok.toy" ;; *) set -- "$@" "$w" ;; esac
    done
    timeout 20 "$L" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    case $c in
        *=*) msg="has nothing after \`=\`" ;;
        *-o*|*-n*) msg="needs a value, and it is empty" ;;
        *) msg="an empty argument: a file or a name was expected here" ;;
    esac
    name=$(echo "lab $c" | sed 's/@E/""/; s/OK/ok.toy/')
    if [ $rc = 3 ] && grep -q "$msg" "$tmp/err" && [ ! -s "$tmp/out" ]; then
        pass=$((pass + 1)); echo "ok   $name: exit 3, $msg"
    else
        fail=$((fail + 1)); echo "FAIL $name: exit $rc"; head -c 600 "$tmp/err"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
