#!/bin/sh
# workflow.sh LAB — what a student does in the first week (issue 14):
#   - `lab build DIR/FILE.toy` writes DIR/FILE, beside the source, as its
#     --help says, and prints that path; `-o` never over a device, pipe or
#     directory;
#   - `lab compare` on a program too short to time says so (`(too short)`
#     in the time rows and a note), and does not on one long enough;
#   - native mode's warnings (issue 22): shown by `check`, `run
#     --mode=native` and `build`, never by interp, never changing the exit
#     code, and gone with `--no-warnings`;
#   - a program that reads stdin gets the same input in every run of
#     compare, profile, trace and view, from a file or a pipe (it got
#     /dev/null), and nothing from a terminal;
#   - a $TMPDIR that is missing or not a directory is passed over for /tmp,
#     as gcc and Python's tempfile do (compare, profile, trace and view
#     stopped with "cannot create a temporary directory");
#   - `lab view -o` into a missing folder, onto a folder or under a file
#     fails at once (exit 3), before running the program; so do `lab bench
#     --svg/--markdown` and `lab grade --class --out/--gradescope`;
#   - a copy of ./lab elsewhere, asked for --stats (the counted build beside
#     it), says which file it looked for and to link instead; a link works.
# Prints one line per check, then `N passed, N failed`.
L=${1:-./lab}
case $L in /*) ;; *) L=$PWD/$L ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-workflow.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
check() {  # check NAME CONDITION-EXIT-STATUS
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
mkdir -p "$tmp/src"
printf 'fn main() {\n    print("hi");\n}\n' >"$tmp/src/hi.toy"
(cd "$tmp" && "$L" build src/hi.toy >out 2>err)
check "lab build src/hi.toy exits 0" $?
[ -x "$tmp/src/hi" ] && [ ! -e "$tmp/hi" ]
check "lab build src/hi.toy writes src/hi, beside the source" $?
grep -qx "wrote src/hi (run it: src/hi)" "$tmp/out"
check "lab build prints the path it wrote" $?
[ "$("$tmp/src/hi")" = hi ]
check "the executable runs" $?
(cd "$tmp/src" && "$L" build hi.toy >out 2>&1 && grep -qx "wrote hi (run it: ./hi)" out)
check "lab build hi.toy in its folder says ./hi" $?
# -o never replaces what is not a regular file (as root, `-o /dev/null`
# renamed the executable over the device): a pipe, a directory, a link to one.
mkfifo "$tmp/pipe" && mkdir "$tmp/dir" && ln -s pipe "$tmp/link"
for o in pipe dir link; do
    "$L" build "$tmp/src/hi.toy" -o "$tmp/$o" >/dev/null 2>"$tmp/err"
    [ $? = 3 ] && grep -q "will not write the executable over .*$o: it is a" "$tmp/err"
    check "lab build -o $o: refused, exit 3" $?
done
[ -p "$tmp/pipe" ] && [ -d "$tmp/dir" ] && [ -L "$tmp/link" ]
check "the pipe, the directory and the link are still there" $?

"$L" compare -n 1 "$tmp/src/hi.toy" >"$tmp/cmp" 2>/dev/null
check "lab compare on a 1 ms program exits 0" $?
grep -q "wall time .*(too short)" "$tmp/cmp" && grep -q "^note: too short to time: " "$tmp/cmp"
check "lab compare says a 1 ms program is too short to time" $?
# 40 ms asleep: long enough in either mode on any machine.
printf 'fn main() {\n    sleep(0.04);\n    print("done");\n}\n' >"$tmp/long.toy"
"$L" compare -n 1 "$tmp/long.toy" >"$tmp/cmp" 2>/dev/null
! grep -q "too short" "$tmp/cmp"
check "lab compare says nothing of the kind on a program long enough" $?
printf 'fn unused_fn() {}\nfn main() {\n    let x = 1;\n    let mut y = 2;\n    print(y);\n    return;\n    print(y);\n}\n' >"$tmp/w.toy"
"$L" check "$tmp/w.toy" >/dev/null 2>"$tmp/err"
check "lab check with warnings exits 0" $?
grep -q "^warning: unused variable: \`x\`" "$tmp/err" && grep -q "^warning: variable does not need to be mutable" "$tmp/err" &&
  grep -q "^warning: unreachable statement" "$tmp/err" && grep -q "^warning: function \`unused_fn\` is never used" "$tmp/err" &&
  grep -q "generated 4 warnings" "$tmp/err"
check "lab check shows the four kinds of warning" $?
[ "$("$L" run --mode=native "$tmp/w.toy" 2>"$tmp/err")" = 2 ] && grep -q "^warning: unused variable" "$tmp/err"
check "lab run --mode=native shows them and runs" $?
"$L" run --mode=native --no-warnings "$tmp/w.toy" >/dev/null 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
  "$L" check --no-warnings "$tmp/w.toy" 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
  "$L" build --no-warnings "$tmp/w.toy" -o "$tmp/w" >/dev/null 2>"$tmp/err" && [ ! -s "$tmp/err" ]
check "--no-warnings hides them (run, check, build)" $?
"$L" run "$tmp/w.toy" >/dev/null 2>"$tmp/err" && [ ! -s "$tmp/err" ]
check "interp mode shows none (Python has no such warnings)" $?
# echo.toy prints each line it reads: 6 bytes of output for three lines.
printf 'fn main() {\n    let mut line = read_line();\n    while line.is_some() {\n        print(line.unwrap());\n        line = read_line();\n    }\n}\n' >"$tmp/echo.toy"
printf 'a\nb\nc\n' >"$tmp/three.txt"
"$L" compare "$tmp/echo.toy" -n 3 --json <"$tmp/three.txt" >"$tmp/out" 2>"$tmp/err" &&
  grep -q '"stdout_identical": true' "$tmp/out" && grep -q '"stdout_bytes": 6,' "$tmp/out"
check "lab compare < file: every run reads the whole file" $?
printf 'a\nb\nc\n' | "$L" profile "$tmp/echo.toy" --json 2>"$tmp/err" | grep -q '{"line": 4, "bytecodes": 12,' &&
  printf 'a\nb\nc\n' | "$L" profile "$tmp/echo.toy" --mode=native --json 2>"$tmp/err" | grep -q '{"line": 4, "frees": 3}'
check "lab profile from a pipe: line 4 runs three times in each mode" $?
printf 'a\nb\nc\n' | "$L" trace "$tmp/echo.toy" --mode=interp 2>"$tmp/err" >"$tmp/trace.txt" &&
  [ "$(grep -c 'line    4  main' "$tmp/trace.txt")" = 3 ]
check "lab trace from a pipe: three steps on line 4" $?
"$L" compare "$tmp/echo.toy" -n 1 --json </dev/null >"$tmp/out" 2>"$tmp/err" && grep -q '"stdout_bytes": 0,' "$tmp/out"
check "lab compare < /dev/null: the program reads nothing" $?
printf 'fn main() {\n    print(1);\n}\n' >"$tmp/one.toy"
for t in "$tmp/missing" "$tmp/one.toy"; do
    for c in "compare -n 1" profile trace "view -o $tmp/one.html" "run --mode=native"; do
        TMPDIR=$t "$L" $c "$tmp/one.toy" >/dev/null 2>"$tmp/err" && ! grep -q "cannot create" "$tmp/err"
        check "TMPDIR=$(basename "$t") lab ${c%% *}: exit 0, nothing it could not create" $?
    done
done
# `lab view -o` where no page can go says so before it runs the program
# (an endless one would take its minute first, then fail to write).
printf 'fn main() {\n    while true {\n    }\n}\n' >"$tmp/endless.toy"
for o in "$tmp/missing/page.html" "$tmp" "$tmp/one.toy/page.html"; do
    timeout 20 "$L" view "$tmp/endless.toy" -o "$o" >/dev/null 2>"$tmp/err"
    [ $? = 3 ] && grep -q "^lab view: cannot write $o: " "$tmp/err"
    check "lab view -o $(echo "$o" | sed "s|$tmp|TMP|"): exit 3 at once, cannot write" $?
done
# Where the page would go by default (beside FILE) it says how to put it elsewhere.
mkdir "$tmp/endless.html"
timeout 20 "$L" view "$tmp/endless.toy" >/dev/null 2>"$tmp/err"
[ $? = 3 ] && grep -q "^lab view: cannot write $tmp/endless.html: Is a directory" "$tmp/err" &&
  grep -q "^  (\`-o OUT.html\` writes the page elsewhere)" "$tmp/err"
check "lab view FILE where FILE.html cannot be written: exit 3 at once, -o named" $?
# So do bench's chart and table, and grade's gradebook and results.json.
mkdir -p "$tmp/class/alice"
for c in "bench fib --svg $tmp/missing/b.svg" "bench fib --markdown $tmp" "grade --class $tmp/class --out $tmp/missing/gb" \
    "grade 1 --gradescope=$tmp/missing/results.json"; do
    timeout 20 "$L" $c >/dev/null 2>"$tmp/err"
    [ $? = 3 ] && grep -q "^lab ${c%% *}: cannot write $tmp" "$tmp/err"
    check "lab $(echo "$c" | sed "s|$tmp|TMP|g"): exit 3 at once, cannot write" $?
done
# A lab copied out of its folder cannot find its counted build; a link can.
mkdir -p "$tmp/bin"
cp "$L" "$tmp/bin/lab" && ln -s "$L" "$tmp/bin/linked"
"$tmp/bin/lab" run --stats "$tmp/src/hi.toy" >/dev/null 2>"$tmp/err"
[ $? = 3 ] && grep -q "^lab: this run needs build/counted/lab beside this lab ($tmp/bin/build/counted/lab)" "$tmp/err" &&
  grep -q "link to it instead" "$tmp/err"
check "a copy of lab elsewhere, run --stats: exit 3, the counted build it looked for, and to link instead" $?
"$tmp/bin/linked" run --stats "$tmp/src/hi.toy" >"$tmp/out" 2>"$tmp/err" && grep -qx hi "$tmp/out" && grep -q "lab stats: interp mode" "$tmp/err"
check "a link to lab elsewhere, run --stats: the counted build runs it" $?
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
