#!/bin/sh
# tests/exercises/formats.sh LAB — `lab grade`'s machine-readable reports
# (issue 22, docs/instructor.md) on exercise 03's starter (some tests pass,
# some fail): --json, --csv and --autolab parse and agree with the text
# report's score, and --gradescope's results.json follows Gradescope's
# documented format (gradescope-autograders.readthedocs.io, "Output
# format"): only its keys, a status and visibility from its lists, test
# scores that add up to the total. The checks that parse use python3; without
# it they are skipped with a line saying so.
set -u
. tests/exercises/lib.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-formats.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -R examples/exercises/03-borrow-fix "$tmp/" || exit 1
"$LAB" grade --dir "$tmp" 3 >"$tmp/text" 2>&1
score=$(sed -n 's/^Score: \([0-9]*\)\/\([0-9]*\)$/\1 \2/p' "$tmp/text")
[ -n "$score" ]
check "the text report has a score ($score)" $?
"$LAB" grade --dir "$tmp" 3 --json >"$tmp/json" 2>"$tmp/err"; st=$?
[ $st = 1 ] && [ ! -s "$tmp/err" ]
check "--json exits 1 (not full marks) and says nothing on stderr" $?
"$LAB" grade --dir "$tmp" 3 --csv >"$tmp/csv" 2>/dev/null
"$LAB" grade --dir "$tmp" 3 --autolab >"$tmp/autolab" 2>/dev/null
(cd "$tmp" && "$LAB" grade --dir "$tmp" 3 --gradescope >"$tmp/gs.out" 2>&1)
[ -f "$tmp/results.json" ] && grep -q "^wrote results.json: " "$tmp/gs.out"
check "--gradescope writes results.json in the current folder" $?
"$LAB" grade --dir "$tmp" 3 --gradescope="$tmp/other.json" >/dev/null 2>&1
[ -f "$tmp/other.json" ]
check "--gradescope=FILE writes FILE" $?

# --lock: the predictions recorded before measuring, then compared.
cp -R examples/exercises/01-predict-sum "$tmp/" || exit 1
"$LAB" grade --dir "$tmp" 1 --lock >"$tmp/lock.out" 2>&1 && grep -qx "01-predict-sum: locked answers.txt" "$tmp/lock.out" &&
  grep -q "^answers.txt [0-9a-f]\{16\} [0-9]*$" "$tmp/01-predict-sum/.grade-lock"
check "--lock records answers.txt's hash and time in .grade-lock" $?
"$LAB" grade --dir "$tmp" 1 2>/dev/null | grep -q "^  lock answers.txt: unchanged since it was locked, "
check "grading after --lock: answers.txt unchanged" $?
echo "interp.ints = 12345" >>"$tmp/01-predict-sum/answers.txt"
"$LAB" grade --dir "$tmp" 1 2>/dev/null | grep -q "^  lock answers.txt: CHANGED since it was locked, "
check "grading after the answers changed: CHANGED" $?

if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: python3 is missing: the --json, --csv, --autolab and results.json parsing checks"
else
  python3 - "$tmp" $score <<'PY'
import csv, json, sys
tmp, got, mx = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = 0
def check(name, ok):
    global bad
    print(("ok   " if ok else "FAIL ") + name)
    bad += not ok
j = json.load(open(tmp + "/json"))
check("--json: score and max as the text report's", j["score"] == got and j["max"] == mx)
check("--json: each test has exercise, name, points, max, pass, message",
      all({"exercise", "name", "points", "max", "pass", "message"} <= set(t) for t in j["tests"]))
check("--json: the points add up", sum(t["points"] for t in j["tests"]) == got and sum(t["max"] for t in j["tests"]) == mx)
rows = list(csv.DictReader(open(tmp + "/csv")))
check("--csv: a row per test, the same points", len(rows) == len(j["tests"]) and
      [int(r["points"]) for r in rows] == [t["points"] for t in j["tests"]])
a = json.loads(open(tmp + "/autolab").read().splitlines()[-1])
check("--autolab: {\"scores\": {exercise: points}}", a == {"scores": {"03-borrow-fix": got}})
g = json.load(open(tmp + "/results.json"))
top = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
       "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
per = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
       "visibility", "extra_data"}
vis = {"hidden", "after_due_date", "after_published", "visible"}
check("results.json: only Gradescope's top-level keys", set(g) <= top)
check("results.json: score is a number, the total", isinstance(g["score"], (int, float)) and g["score"] == got)
check("results.json: each test only Gradescope's keys", all(set(t) <= per for t in g["tests"]))
check("results.json: each test has a name, score and max_score",
      all(isinstance(t["name"], str) and isinstance(t["score"], (int, float)) and
          isinstance(t["max_score"], (int, float)) for t in g["tests"]))
check("results.json: status passed or failed, visibility from the list",
      all(t["status"] in ("passed", "failed") and t["visibility"] in vis for t in g["tests"]) and
      g["visibility"] in vis and g["stdout_visibility"] in vis)
check("results.json: the tests' scores add up to score", sum(t["score"] for t in g["tests"]) == g["score"])
print(f"formats: {6 + 7 - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
  st=$?
  [ $st = 0 ] || fail=$((fail + 1))
fi
summary
