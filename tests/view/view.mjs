// view.mjs LAB OUTDIR — `lab view` pages in a real browser (docs/view.md):
// Debian's chromium, headless, driven through the DevTools protocol
// (tests/view/cdp.mjs). For six programs — two native mode rejects — it
// writes the page, opens it from file:// at 1280×800 and checks, after the
// page's script has run:
//   - the three panes, one source row per line;
//   - a real click on a source line highlights that line's bytecode and C
//     rows (and only those), a click on a C row selects its source line, the
//     arrow keys move the selection;
//   - every figure of the heat gutter equals `lab profile --json`'s, run
//     separately, for each measure;
//   - the rejected programs' diagnostics on their lines, each caret under
//     its span (after tabs and wide characters too), `lab explain`'s text
//     one click away, interp's costs beside them;
//   - the request log holds the page itself and nothing else;
//   - no script error; the page prints (PDF); its size;
//   - on a long program, the bytecode pane's line and offset columns;
//   - on a program that fails as it runs, its errors in the summary and the
//     panic under its line.
// Screenshots (light, and one dark) go to OUTDIR: `make view-shots` copies
// them into docs/view/. Prints one line per check, `N passed, N failed`.
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { launch } from "./cdp.mjs";

const [lab, outdir] = [resolve(process.argv[2] || "./lab"), resolve(process.argv[3] || "build/view")];
const browser = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(outdir, { recursive: true });
let pass = 0, fail = 0;
const check = (name, ok, why = "") => {
  if (ok) { pass++; console.log("ok   " + name); } else { fail++; console.log("FAIL " + name + (why ? ": " + why : "")); }
};

const PAGES = [
  { name: "fib", file: "examples/fib.toy", accepted: true },
  { name: "ownership", file: "examples/lessons/ownership.toy", accepted: true },
  { name: "cycles", file: "examples/cycles.toy", accepted: false, shotLine: 43 },
  { name: "aliasing", file: "examples/lessons/aliasing.toy", accepted: true, shotLine: 14 },
  { name: "hybrid", file: "examples/lessons/hybrid.toy", accepted: true, hybridLine: 45 },
  { name: "columns", file: "tests/cli/check_columns.toy", accepted: false },  // tabs and wide characters
];

const b = await launch(browser);
try {
  for (const P of PAGES) {
    const html = resolve(outdir, P.name + ".html");
    execFileSync(lab, ["view", P.file, "-o", html, "-n", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    const size = statSync(html).size;
    check(`${P.name}: the page is self-contained and small (${(size / 1024).toFixed(0)} KB)`, size < 500 * 1024);
    const prof = JSON.parse(execFileSync(lab, ["profile", "--json", P.file], { encoding: "utf8", maxBuffer: 64 << 20 }));
    const url = "file://" + html;
    const page = await b.page();
    await page.goto(url);
    const ready = await page.eval(`new Promise(r => { const t = () => document.documentElement.dataset.ready ? r(true) : setTimeout(t, 20); t(); setTimeout(() => r(false), 10000); })`);
    check(`${P.name}: the page's script ran`, ready && page.errors.length === 0, page.errors.join("; "));

    const nlines = (await page.eval(`JSON.parse(document.getElementById("lab-data").textContent).source`)).replace(/\n$/, "").split("\n").length;
    const counts = await page.eval(`[...["src","dis","c"]].map(id => document.querySelectorAll("#" + id + " .row").length)`);
    check(`${P.name}: three panes, one source row per line (${counts.join(", ")} rows)`,
      counts[0] === nlines && counts[1] > 0 && (P.accepted ? counts[2] > 0 : counts[2] === 0));

    // A source line with bytecode (and C): click it for real.
    const target = await page.eval(`(() => {
      const has = (id, l) => [...document.querySelectorAll("#" + id + " .row")].some(r => +r.dataset.line === l);
      for (const r of document.querySelectorAll("#src .row")) { const l = +r.dataset.line;
        if (has("dis", l) && (${P.accepted} ? has("c", l) : true) && r.querySelector(".heat.i").dataset.value > 0) return l; }
      return 0; })()`);
    await page.eval(`(() => { const r = document.getElementById("L${target}"); const box = document.getElementById("src"); box.scrollTop = r.offsetTop - 40; })()`);
    const at = await page.eval(`(() => { const q = document.getElementById("L${target}").querySelector(".tx").getBoundingClientRect(); return [q.left + 8, q.top + q.height / 2]; })()`);
    await page.click(at[0], at[1]);
    const sel = await page.eval(`["src","dis","c"].map(id => [...document.querySelectorAll("#" + id + " .row.sel")].map(r => +r.dataset.line))`);
    const only = (a) => a.length > 0 && a.every((l) => l === target);
    check(`${P.name}: clicking source line ${target} highlights its bytecode (${sel[1].length} rows)${P.accepted ? ` and its C (${sel[2].length} rows)` : ""}, and nothing else`,
      sel[0].length === 1 && sel[0][0] === target && only(sel[1]) && (P.accepted ? only(sel[2]) : true), JSON.stringify(sel));
    const hue = await page.eval(`["src","dis","c"].map(id => { const r = document.querySelector("#" + id + " .row.sel"); return r ? getComputedStyle(r).backgroundColor : ""; })`);
    check(`${P.name}: in one colour (${hue[0]})`, hue[0] && hue[1] === hue[0] && (!P.accepted || hue[2] === hue[0]), hue.join(" / "));

    if (P.accepted) {
      // The reverse: a C row of another line selects its source line.
      const other = await page.eval(`(() => { const r = [...document.querySelectorAll("#c .row")].find(r => +r.dataset.line > 0 && +r.dataset.line !== ${target});
        r.scrollIntoView({block: "center"}); const q = r.getBoundingClientRect(); return [+r.dataset.line, q.left + 30, q.top + q.height / 2]; })()`);
      await page.click(other[1], other[2]);
      const now = await page.eval(`[...document.querySelectorAll("#src .row.sel")].map(r => +r.dataset.line)`);
      check(`${P.name}: clicking a C row of line ${other[0]} selects source line ${other[0]}`, now.length === 1 && now[0] === other[0], JSON.stringify(now));
    }

    // The keyboard: focus the source pane, arrow down.
    const before = await page.eval(`(document.getElementById("src").focus(), +document.querySelector("#src .row.sel").dataset.line)`);
    await page.key("ArrowDown");
    const after = await page.eval(`+document.querySelector("#src .row.sel").dataset.line`);
    check(`${P.name}: the down arrow moves the selection (line ${before} → ${after})`, after === Math.min(before + 1, nlines));

    // The gutter against `lab profile --json`, run apart, for each measure.
    const want = (m, mode, o) => {
      if ((mode === "i" && m === "checks") || (mode === "n" && m === "bytecodes")) return null;  // not a measure of that mode
      if (!o) return 0;
      if (mode === "i") return m === "alloc" ? Object.keys(o).filter((k) => k.startsWith("alloc.")).reduce((s, k) => s + o[k], 0)
        : m === "rc" ? (o.increfs || 0) + (o.decrefs || 0) : m === "bytecodes" ? o.bytecodes || 0 : null;
      return m === "alloc" ? o.allocs || 0 : m === "rc" ? o.frees || 0 : m === "checks" ? (o.bounds_checks || 0) + (o.overflow_checks || 0) : null;
    };
    const deterministic = !P.file.includes("threads");
    let bad = [];
    for (const m of ["alloc", "rc", "bytecodes", "checks"]) {
      await page.eval(`(() => { const i = document.querySelector('input[name="measure"][value="${m}"]'); i.click(); })()`);
      const shown = await page.eval(`[...document.querySelectorAll("#src .row")].map(r => [...r.querySelectorAll(".heat")].map(h => h.dataset.value))`);
      const I = new Map((prof.interp?.lines || []).map((o) => [o.line, o])), N = new Map((prof.native?.lines || []).map((o) => [o.line, o]));
      shown.forEach(([vi, vn], k) => {
        const wi = want(m, "i", I.get(k + 1)), wn = prof.native ? want(m, "n", N.get(k + 1)) : null;
        if (String(wi ?? "") !== String(vi) && !(wi === 0 && vi === "0")) bad.push(`${m} interp line ${k + 1}: ${vi} ≠ ${wi}`);
        if (String(wn ?? "") !== String(vn) && !(wn === 0 && vn === "0")) bad.push(`${m} native line ${k + 1}: ${vn} ≠ ${wn}`);
      });
    }
    if (deterministic) check(`${P.name}: every gutter figure equals lab profile --json's, for the 4 measures`, bad.length === 0, bad.slice(0, 4).join("; "));
    await page.eval(`document.querySelector('input[name="measure"][value="alloc"]').click()`);

    if (!P.accepted) {
      const d = await page.eval(`(() => { const box = document.getElementById("diagnostics");
        const u = document.querySelector("#src .u1"); const row = u && u.closest(".row");
        const btn = [...box.querySelectorAll("button")].find(b => b.textContent.startsWith("lab explain"));
        if (btn) btn.click();
        const ex = box.querySelector(".explain");
        return { shown: !box.hidden, line: row ? +row.dataset.line : 0, ann: row ? row.querySelectorAll(".ann").length : 0,
                 explain: ex && !ex.hidden ? ex.textContent.slice(0, 60) : "", cpane: document.getElementById("c").textContent.slice(0, 40),
                 interp: [...document.querySelectorAll("#src .heat.i")].filter(h => h.dataset.value > 0).length }; })()`);
      check(`${P.name}: the diagnostic is on line ${d.line} (primary span underlined, ${d.ann} labels and notes)`, d.shown && d.line > 0 && d.ann >= 1);
      check(`${P.name}: lab explain's text one click away ("${d.explain.slice(0, 40)}…")`, /^E\d{4}: /.test(d.explain));
      check(`${P.name}: interp's costs still beside the source (${d.interp} lines), no C`, d.interp > 0 && d.cpane.startsWith("(no C: native mode rejects"));
      // Each primary label's caret stands under its underline's first character.
      const off = await page.eval(`[...document.querySelectorAll("#src .row")].filter(r => r.querySelector(".u1") && r.querySelector(".ann.p .pad"))
        .map(r => Math.round(r.querySelector(".ann.p .pad").getBoundingClientRect().right - r.querySelector(".u1").getBoundingClientRect().left))`);
      check(`${P.name}: each caret under its span's first character (${off.length} lines, offsets ${off.join(" ")} px)`, off.length > 0 && off.every((x) => Math.abs(x) <= 1));
    } else {
      const fig = await page.eval(`[document.querySelectorAll("#compare tr").length, document.querySelectorAll("#charts svg").length, document.querySelectorAll("#timeline svg").length]`);
      check(`${P.name}: the compare table, bar charts and timeline (${fig.join(", ")})`, fig[0] >= 8 && fig[1] === 3 && fig[2] === 1);
    }
    const gc = await page.eval(`document.querySelectorAll("#timeline rect.gcbar.gc0, #timeline rect.gcbar.gc1, #timeline rect.gcbar.gc2").length`);
    const wantGc = (prof.interp?.gc_events || []).length;
    check(`${P.name}: the timeline places each of the ${wantGc} collections`, gc === wantGc);

    // The stepper against `lab trace --json`, run apart with the page's limits.
    const trace = JSON.parse(execFileSync(lab, ["trace", "--json", "--max-steps", "150", "--max-objects", "16", P.file], { encoding: "utf8", maxBuffer: 256 << 20 }));
    const steps = trace.interp.steps;
    for (const k of [0, 1, 2, 1]) {  // forward twice, back once
      const now = await page.eval(`+document.getElementById("slider").value`);
      if (k > now) await page.eval(`document.getElementById("fwd").click()`);
      else if (k < now) await page.eval(`document.getElementById("back").click()`);
    }
    const shown = await page.eval(`({ step: +document.getElementById("slider").value, label: document.getElementById("steplabel").textContent,
      badges: [...document.querySelectorAll("#heap g[data-id]")].map(g => [+g.dataset.id, g.querySelector(".badgetext").dataset.rc]),
      sel: +document.querySelector("#src .row.sel").dataset.line,
      cells: [...document.querySelectorAll("#perms td.now")].map(td => [td.dataset.var, td.textContent]) })`);
    const st = steps[1];
    const wantBadges = st.heap.map((o) => [o.id, o.immortal ? "∞" : String(o.rc)]);
    check(`${P.name}: stepper: forward, forward, back is step 1 (line ${st.line}), the panes follow`, shown.step === 1 && shown.label.startsWith("step 1 of") && shown.sel === st.line, JSON.stringify([shown.step, shown.label, shown.sel]));
    check(`${P.name}: stepper: the heap at step 1 is the trace's (${wantBadges.length} objects, their refcounts)`, JSON.stringify(shown.badges) === JSON.stringify(wantBadges), JSON.stringify(shown.badges) + " vs " + JSON.stringify(wantBadges));
    // And the step with the largest heap, through the slider.
    let big = 0;
    steps.forEach((x, k) => { if (x.heap.length > steps[big].heap.length) big = k; });
    const bigGot = await page.eval(`(() => { const s = document.getElementById("slider"); s.value = ${big}; s.dispatchEvent(new Event("input"));
      return [...document.querySelectorAll("#heap g[data-id]")].map(g => [+g.dataset.id, g.querySelector(".badgetext").dataset.rc]); })()`);
    const bigWant = steps[big].heap.map((o) => [o.id, o.immortal ? "∞" : String(o.rc)]);
    check(`${P.name}: stepper: the slider to step ${big}, whose heap (${bigWant.length} objects, their refcounts) is the trace's`, JSON.stringify(bigGot) === JSON.stringify(bigWant));
    await page.eval(`(() => { const s = document.getElementById("slider"); s.value = 1; s.dispatchEvent(new Event("input")); })()`);
    const fn = (trace.native?.functions || []).find((f) => st.line >= f.line && st.line <= f.end_line);
    if (fn) {
      const cols = fn.lines.slice();
      for (const v of fn.locals) for (const d of v.drops) if (!cols.some((c) => c.line === d.line)) cols.push({ line: d.line, vars: [] });
      cols.sort((a, b) => a.line - b.line);
      const L = [...cols].reverse().find((l) => l.line <= st.line);
      const want = L ? fn.locals.map((v) => { const f = L.vars.find((x) => x.name === v.name); return [v.name, f && f.state === "init" ? f.perm || "–" : f && f.state === "moved" ? "moved" : f && f.state === "maybe" ? "maybe" : ""]; }) : [];
      const got = shown.cells.map(([v, t]) => [v, t.replace(/ ↓$/, "")]);
      check(`${P.name}: stepper: the permissions at line ${L ? L.line : "?"} are the trace's`, JSON.stringify(got) === JSON.stringify(want), JSON.stringify(got) + " vs " + JSON.stringify(want));
    }

    if (P.hybridLine) {
      // Hybrid mode (docs/hybrid.md): the compare table's third column, and
      // the boundary's costs of a line against `lab profile --mode=hybrid`.
      const hp = JSON.parse(execFileSync(lab, ["profile", "--json", "--mode=hybrid", P.file], { encoding: "utf8", maxBuffer: 64 << 20 }));
      const hl = hp.hybrid.lines.find((o) => o.line === P.hybridLine);
      const got = await page.eval(`(() => { const r = document.getElementById("L${P.hybridLine}"); r.scrollIntoView({block: "center"});
        const q = r.querySelector(".tx").getBoundingClientRect(); return [q.left + 8, q.top + q.height / 2]; })()`);
      await page.click(got[0], got[1]);
      const d = await page.eval(`({ detail: document.getElementById("detail").textContent,
        head: [...document.querySelectorAll("#compare th")].map(t => t.textContent),
        rows: [...document.querySelectorAll("#compare td:first-child")].map(t => t.textContent) })`);
      const want = `${Number(hl.hy_calls).toLocaleString("en-US")} crossings into #[native] code · ${Number(hl.hy_values).toLocaleString("en-US")} values converted`;
      check(`${P.name}: line ${P.hybridLine}'s detail has the boundary's figures of lab profile --mode=hybrid (${want})`, d.detail.includes("hybrid boundary: " + want), d.detail);
      check(`${P.name}: the compare table has a hybrid column and the boundary's rows`, d.head.includes("hybrid") && d.rows.includes("boundary crossings"), JSON.stringify(d.head));
    }

    check(`${P.name}: no network request but the page itself`, page.requests.length === 1 && page.requests[0] === url, JSON.stringify(page.requests));
    const pdf = await page.pdf();
    check(`${P.name}: prints (${(pdf.length / 1024).toFixed(0)} KB of PDF)`, pdf.length > 1000 && pdf.subarray(0, 4).toString() === "%PDF");

    // The screenshot of the selected hottest line, as a student first sees it.
    await page.goto(url);
    await page.eval(`new Promise(r => setTimeout(r, 200))`);
    writeFileSync(resolve(outdir, P.name + ".png"), await page.screenshot());
    // The stepper at the first step of line shotLine.
    if (P.shotLine) {
      const k = steps.findIndex((x) => x.line === P.shotLine);
      await page.eval(`(() => { const s = document.getElementById("slider"); s.value = ${k}; s.dispatchEvent(new Event("input"));
        document.getElementById("stepper").scrollIntoView(); })()`);
      await page.eval(`new Promise(r => setTimeout(r, 100))`);
      writeFileSync(resolve(outdir, P.name + "-stepper.png"), await page.screenshot());
    }
    // …and the figures below the panes.
    await page.eval(`(document.getElementById(${P.accepted} ? "figures" : "diagnostics").scrollIntoView(), new Promise(r => setTimeout(r, 100)))`);
    writeFileSync(resolve(outdir, P.name + "-figures.png"), await page.screenshot());
    await page.close();
  }
  // Dark, by prefers-color-scheme.
  const dark = await b.page({ dark: true });
  const url = "file://" + resolve(outdir, "ownership.html");
  await dark.goto(url);
  await dark.eval(`new Promise(r => setTimeout(r, 200))`);
  const bg = await dark.eval(`getComputedStyle(document.body).backgroundColor`);
  check(`dark mode: prefers-color-scheme gives a dark page (${bg})`, /rgb\((\d+), (\d+), (\d+)\)/.test(bg) && +bg.match(/\d+/)[0] < 60);
  writeFileSync(resolve(outdir, "ownership-dark.png"), await dark.screenshot());
  await dark.close();

  // A long program: the bytecode pane keeps 4-digit lines and 5-digit
  // offsets apart (they ran together, "300238971 LOAD"), the same pairs as
  // `lab dis`.
  const longToy = resolve(outdir, "long.toy"), longHtml = resolve(outdir, "long.html");
  writeFileSync(longToy, "fn main() {\n    let mut s = 0;\n" + "    s = s + s % 7 + 1;\n".repeat(1100) + "    print(s);\n}\n");
  execFileSync(lab, ["view", longToy, "-o", longHtml, "-n", "1", "--mode=interp"], { stdio: ["ignore", "pipe", "pipe"] });
  const INSN = /^\s*(\d+)?\s+(\d+) [A-Z_]/;
  const pairs = (rows) => rows.map((t) => INSN.exec(t)).filter(Boolean).map((m) => (m[1] || "") + ":" + m[2]);
  const want = pairs(execFileSync(lab, ["dis", longToy], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\n"));
  const lp = await b.page();
  await lp.goto("file://" + longHtml);
  await lp.eval(`new Promise(r => { const t = () => document.documentElement.dataset.ready ? r(true) : setTimeout(t, 20); t(); setTimeout(() => r(false), 10000); })`);
  const got = pairs(await lp.eval(`[...document.querySelectorAll("#dis .row")].map(r => r.querySelector(".tx") ? r.querySelector(".tx").textContent : r.textContent)`));
  const last = want[want.length - 1] || "";
  check(`a 1,104-line program: the bytecode pane's lines and offsets are lab dis's (${got.length} instructions, the last ${last})`,
    got.length === want.length && got.every((x, i) => x === want[i]) && /^\d{4}:\d{5}$/.test(last), got.find((x, i) => x !== want[i]));
  await lp.close();

  // A program that fails as it runs: the summary says how each mode ended,
  // and native's panic sits under its line.
  const failToy = resolve(outdir, "fails.toy"), failHtml = resolve(outdir, "fails.html");
  writeFileSync(failToy, "fn main() {\n    let v = [1, 2, 3];\n    let mut t = 0;\n    for i in 0..4 {\n        t += v[i];\n    }\n    print(t);\n}\n");
  execFileSync(lab, ["view", failToy, "-o", failHtml, "-n", "1"], { stdio: ["ignore", "pipe", "pipe"] });
  const fp = await b.page();
  await fp.goto("file://" + failHtml);
  await fp.eval(`new Promise(r => { const t = () => document.documentElement.dataset.ready ? r(true) : setTimeout(t, 20); t(); setTimeout(() => r(false), 10000); })`);
  const fail = await fp.eval(`({ sum: document.getElementById("summary").textContent, ann: [...document.querySelectorAll("#L5 .ann.p")].map(a => a.textContent) })`);
  check(`a failing program: the summary has both modes' errors, the panic is under line 5 (${JSON.stringify(fail.ann)})`,
    fail.sum.includes("interp: IndexError: index out of bounds") && fail.sum.includes("native: panic at ") &&
    fail.ann.length === 1 && fail.ann[0].endsWith("^ IndexError: index out of bounds: the len is 3 but the index is 3"), fail.sum);
  await fp.close();

  // A program with a thread: before any step the stepper says what its
  // controls do; "run to selected line" on a line only the spawned thread
  // runs says so (the trace follows the main thread), on a line that
  // never runs, that it never runs, and on a blank line, that it has no code.
  const thrToy = resolve(outdir, "thread.toy"), thrHtml = resolve(outdir, "thread.html");
  writeFileSync(thrToy, "fn work(n: int) -> int {\n    let mut s = 0;\n    for i in 0..n {\n        s += i;\n    }\n    return s;\n}\n\n" +
    "fn main() {\n    let h = spawn work(10);\n    let r = h.join();\n    if r > 100 {\n        print(\"big\");\n    }\n    print(r);\n}\n");
  execFileSync(lab, ["view", thrToy, "-o", thrHtml, "-n", "1"], { stdio: ["ignore", "pipe", "pipe"] });
  const tp = await b.page();
  await tp.goto("file://" + thrHtml);
  await tp.eval(`new Promise(r => { const t = () => document.documentElement.dataset.ready ? r(true) : setTimeout(t, 20); t(); setTimeout(() => r(false), 10000); })`);
  const before = await tp.eval(`({ label: document.getElementById("steplabel").textContent, heap: document.getElementById("heap").textContent })`);
  check(`a thread: before the first step, the stepper says how many steps, what forward shows, and that the thread runs untraced (${before.label})`,
    /^\d+ steps traced$/.test(before.label) && before.heap.includes("forward") && before.heap.includes("The spawned thread runs untraced; its allocations"), JSON.stringify(before));
  const runTo = async (line) => {
    const xy = await tp.eval(`(() => { const r = document.getElementById("L${line}"); r.scrollIntoView({block: "center"});
      const q = r.querySelector(".tx").getBoundingClientRect(); return [q.left + 8, q.top + q.height / 2]; })()`);
    await tp.click(xy[0], xy[1]);
    return tp.eval(`(() => { document.getElementById("runto").click(); return document.getElementById("steplabel").textContent; })()`);
  };
  const onThread = await runTo(4), never = await runTo(13), blank = await runTo(8);
  check(`a thread: run to line 4, which only the spawned thread runs: "${onThread}"`, onThread === "line 4 runs only on spawned threads: the trace follows the main thread");
  check(`a thread: run to line 13, which never runs: "${never}"`, never === "line 13 never runs in interp mode");
  check(`a thread: run to line 8, a blank line: "${blank}"`, blank === "line 8 has no bytecode of its own: select a line with code");
  check("a thread: no script error", tp.errors.length === 0, tp.errors.join("; "));
  await tp.close();
} catch (e) {
  check("the browser session", false, e.stack || String(e));
} finally {
  await b.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
