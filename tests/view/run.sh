#!/bin/sh
# run.sh LAB [OUTDIR] — the browser tests of `lab view` (tests/view/view.mjs)
# when Debian's chromium and Node.js are here; otherwise one line saying they
# were skipped and how to get them (`.ci/run` installs both).
L=${1:-./lab}
OUT=${2:-build/view}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ] || ! command -v node >/dev/null 2>&1; then
    echo "skipped: the browser tests of lab view (they need Debian's chromium and Node.js: apt-get install chromium nodejs)"
    exit 0
fi
CHROMIUM=$browser exec node "$(dirname "$0")/view.mjs" "$L" "$OUT"
