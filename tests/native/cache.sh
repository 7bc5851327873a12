#!/bin/sh
# cache.sh — native mode's executable cache (SPEC §8, issue 3), run by
# `make test`: a second `lab run --mode=native` of an unchanged program must
# not invoke the C compiler; a changed program or other flags must; the cache
# is private (directories 0700, files not group/world-writable); a cache that
# cannot be used still works (a private temporary directory instead).
#
#   sh tests/native/cache.sh [LAB]
set -u
LAB=${1:-./lab}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail=0
check() {  # check WHAT CONDITION...
    what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

# A C compiler that counts its invocations, then runs the real one.
real_cc=$(command -v "${CC:-cc}")
cat > "$work/cc" <<EOS
#!/bin/sh
echo x >> "$work/cc-calls"
exec "$real_cc" "\$@"
EOS
chmod +x "$work/cc"
calls() { [ -f "$work/cc-calls" ] && wc -l < "$work/cc-calls" || echo 0; }

printf 'fn main() {\n    print("cached", 1 + 2);\n}\n' > "$work/p.toy"
export XDG_CACHE_HOME="$work/cache" CC="$work/cc"

out=$("$LAB" run --mode=native "$work/p.toy")
check "first run prints the right output" [ "$out" = "cached 3" ]
first=$(calls)
check "first run invokes the C compiler" [ "$first" -gt 0 ]
out=$("$LAB" run --mode=native "$work/p.toy")
check "second run prints the same" [ "$out" = "cached 3" ]
check "second run does not invoke the C compiler" [ "$(calls)" -eq "$first" ]

"$LAB" run --mode=native --unchecked "$work/p.toy" > /dev/null
check "--unchecked is another executable: compiled" [ "$(calls)" -gt "$first" ]
n=$(calls)
printf 'fn main() {\n    print("changed");\n}\n' > "$work/p.toy"
out=$("$LAB" run --mode=native "$work/p.toy")
check "a changed source is recompiled" [ "$out" = "changed" ] && [ "$(calls)" -gt "$n" ]

check "the cache directory is private (0700)" [ "$(stat -c %a "$work/cache/lab")" = 700 ]
bad=$(find "$work/cache/lab" -perm /022 | head -1)
check "nothing in the cache is group- or world-writable" [ -z "$bad" ]

# An unusable cache (here a file where the directory should be: this works
# even as root, whom permission bits do not stop) falls back to a private
# temporary directory, removed afterwards.
: > "$work/not-a-dir"
printf 'fn main() {\n    print("no cache");\n}\n' > "$work/q.toy"
# A private TMPDIR, so that other processes' lab-* directories cannot race.
mkdir "$work/tmp"
out=$(TMPDIR="$work/tmp" XDG_CACHE_HOME="$work/not-a-dir" HOME="$work/not-a-dir" "$LAB" run --mode=native "$work/q.toy" 2>&1)
check "an unusable cache still compiles and runs" [ "$out" = "no cache" ]
left=$(ls -A "$work/tmp" | wc -l)
check "and leaves no temporary directory behind" [ "$left" -eq 0 ]

[ $fail -eq 0 ] && echo "cache.sh: all passed" || echo "cache.sh: FAILED"
exit $fail
