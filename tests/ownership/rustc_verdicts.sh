#!/bin/sh
# rustc_verdicts.sh [FILE.toy…] — checks that rustc agrees with the lab's
# borrow checker on the conformance suite (issue 4).
#
# Each test in tests/ownership/ carries the equivalent Rust program in
# `// rs:` lines and rustc's expected verdict in a `// rustc:` line: `ok`
# (rustc accepts it) or an error code (rustc rejects it with that code; the
# Toy program's own `// error:` code is the same unless docs/ownership.md
# explains the difference). This script extracts each Rust program, runs
# `rustc --emit=metadata` (type and borrow checking, no code generation) and
# compares. Prints one line per disagreement and a summary; exits 0 when
# rustc agrees everywhere, 1 otherwise, and 0 with a note when rustc is absent.
RUSTC=${RUSTC:-rustc}
if ! command -v "$RUSTC" >/dev/null 2>&1; then
  echo "rustc_verdicts: $RUSTC not found; skipped"
  exit 0
fi
dir=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 0 ] && set -- "$dir"/*.toy
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rustc_verdicts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
agree=0 disagree=0 skipped=0
for f in "$@"; do
  want=$(sed -n 's|^// rustc: *\([A-Za-z0-9]*\).*|\1|p' "$f" | head -n 1)
  if [ -z "$want" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  sed -n -e 's|^// rs: \(.*\)$|\1|p' -e 's|^// rs:$||p' "$f" > "$tmp/prog.rs"
  "$RUSTC" --edition 2021 --crate-name prog --emit=metadata -o "$tmp/prog.rmeta" -A warnings \
    "$tmp/prog.rs" > "$tmp/out" 2>&1
  rc=$?
  if [ "$want" = ok ]; then
    if [ $rc -eq 0 ]; then
      agree=$((agree + 1))
    else
      disagree=$((disagree + 1))
      echo "DISAGREE $f: rustc rejects it: $(grep -m1 '^error' "$tmp/out")"
    fi
  else
    if [ $rc -ne 0 ] && grep -q "^error\[$want\]" "$tmp/out"; then
      agree=$((agree + 1))
    elif [ $rc -eq 0 ]; then
      disagree=$((disagree + 1))
      echo "DISAGREE $f: rustc accepts it (expected $want)"
    else
      disagree=$((disagree + 1))
      echo "DISAGREE $f: expected $want, rustc says: $(grep -m1 '^error' "$tmp/out")"
    fi
  fi
done
echo "rustc_verdicts: $agree agree, $disagree disagree, $skipped without a Rust program ($("$RUSTC" --version))"
[ $disagree -eq 0 ]
