// view.js — renders the data `lab view` embedded in the page (docs/view.md).
// No library, no request: the data is the <script id="lab-data"> element.
// Program text is only ever put into the page as text (textContent).
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("lab-data").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };
  const fmt = (v) => (v === undefined || v === null ? "" : Number(v).toLocaleString("en-US"));
  const srcLines = D.source.replace(/\n$/, "").split("\n");
  const P = D.profile || {};

  // ---- per-line figures (lab profile --json) -----------------------------------
  const byLine = (block) => {
    const m = new Map();
    if (block && block.lines) for (const o of block.lines) m.set(o.line, o);
    return m;
  };
  const I = byLine(P.interp), N = byLine(P.native), C = byLine(P.compile);
  // Hybrid mode (a program with #[native] functions): the boundary's costs per line.
  const PH = (D.profile_hybrid && D.profile_hybrid.hybrid) || null;
  const HY = byLine(PH);
  const sumKeys = (o, pred) => {
    let s = 0;
    if (o) for (const k in o) if (k !== "line" && pred(k)) s += o[k];
    return s;
  };
  // The measures of the gutter: [interp value, native value] of a line.
  const MEASURES = {
    alloc: { name: "allocations", i: (o) => sumKeys(o, (k) => k.startsWith("alloc.")), n: (o) => (o ? o.allocs || 0 : 0) },
    rc: { name: "refcount operations (interp) / drops (native)", i: (o) => (o ? (o.increfs || 0) + (o.decrefs || 0) : 0), n: (o) => (o ? o.frees || 0 : 0) },
    bytecodes: { name: "bytecodes executed (interp)", i: (o) => (o ? o.bytecodes || 0 : 0), n: () => null },
    checks: { name: "checks run (native)", i: () => null, n: (o) => (o ? (o.bounds_checks || 0) + (o.overflow_checks || 0) : 0) },
  };
  let measure = "alloc";

  // ---- the three panes ---------------------------------------------------------
  const rows = { src: [], dis: [], c: [] }; // per pane: [{el, line}]
  const hue = (line) => (line * 47) % 360;

  function addRow(pane, line, lnText, build) {
    const r = el("div", "row");
    r.dataset.line = line;
    if (line > 0) r.style.setProperty("--hue", hue(line));
    else r.classList.add("none");
    r.appendChild(el("span", "ln", lnText));
    const tx = el("span", "tx");
    build(tx, r);
    r.appendChild(tx);
    $(pane).appendChild(r);
    rows[pane].push({ el: r, line });
    return r;
  }

  // Source, with the gutter and (for a rejected program) the diagnostics.
  const diags = (D.syntax_diagnostics || []).concat(D.diagnostics || []);
  const marks = new Map(); // line -> [{col, len, primary, text}]
  for (const d of diags)
    for (const l of d.labels) {
      if (!marks.has(l.line)) marks.set(l.line, []);
      marks.get(l.line).push(l);
    }
  // A native panic (lab compare's "error" of a failing run), under its column.
  const panic = D.compare && D.compare.native && /^panic at .*?:(\d+):(\d+): (.*)$/.exec(D.compare.native.error || "");
  if (panic) {
    if (!marks.has(+panic[1])) marks.set(+panic[1], []);
    marks.get(+panic[1]).push({ line: +panic[1], col: +panic[2], len: 1, primary: true, text: panic[3] });
  }
  srcLines.forEach((text, idx) => {
    const line = idx + 1;
    const cs = Array.from(text); // by characters, as col and len count them
    const r = addRow("src", line, line, (tx) => {
      const ms = (marks.get(line) || []).slice().sort((a, b) => a.col - b.col);
      const part = (a, b) => cs.slice(a, b).join("");
      let at = 0;
      for (const m of ms) {
        const s = Math.max(m.col - 1, at), e = Math.min(cs.length, m.col - 1 + Math.max(m.len, 1));
        if (s > at) tx.appendChild(document.createTextNode(part(at, s)));
        if (e > s) tx.appendChild(el("span", m.primary ? "u1" : "u2", part(s, e)));
        at = Math.max(at, e);
      }
      tx.appendChild(document.createTextNode(part(at)));
    });
    r.setAttribute("role", "option");
    r.id = "L" + line;
    const hi = el("span", "heat i"), hn = el("span", "heat n");
    r.insertBefore(hn, r.children[1]);
    r.insertBefore(hi, hn);
    for (const m of marks.get(line) || []) {
      if (!m.text) continue;
      // Indented by the line's own text, hidden, so the caret sits under its
      // column whatever the tabs and wide characters before it.
      const a = el("span", "ann " + (m.primary ? "p" : "s"));
      a.append(el("span", "pad", cs.slice(0, Math.max(0, m.col - 1)).join("")), (m.primary ? "^ " : "- ") + m.text);
      r.appendChild(a);
    }
  });

  function paintGutter() {
    const M = MEASURES[measure];
    let maxI = 0, maxN = 0;
    for (let l = 1; l <= srcLines.length; l++) {
      maxI = Math.max(maxI, M.i(I.get(l)) || 0);
      maxN = Math.max(maxN, M.n(N.get(l)) || 0);
    }
    const alpha = (v, max) => (v > 0 && max > 0 ? (0.12 + 0.6 * Math.log1p(v) / Math.log1p(max)).toFixed(3) : 0);
    for (const { el: r, line } of rows.src) {
      const vi = P.interp ? M.i(I.get(line)) : null, vn = P.native ? M.n(N.get(line)) : null;
      const [hi, hn] = r.querySelectorAll(".heat");
      hi.textContent = vi ? compact(vi) : "";
      hn.textContent = vn ? compact(vn) : "";
      hi.dataset.value = vi === null ? "" : vi;
      hn.dataset.value = vn === null ? "" : vn;
      hi.style.setProperty("--a", alpha(vi, maxI));
      hn.style.setProperty("--a", alpha(vn, maxN));
      hi.title = "interp " + M.name + ": " + fmt(vi || 0);
      hn.title = "native " + M.name + ": " + fmt(vn || 0);
    }
  }
  function compact(v) {
    if (v < 10000) return String(v);
    if (v < 1e6) return (v / 1e3).toFixed(v < 1e5 ? 1 : 0) + "k";
    if (v < 1e9) return (v / 1e6).toFixed(v < 1e8 ? 1 : 0) + "M";
    return (v / 1e9).toFixed(1) + "G";
  }

  // Bytecode: "Disassembly of NAME (line N): …", then instructions whose
  // first column is the source line when it changes.
  const codeLines = new Set();  // the source lines that have instructions
  if (D.dis) {
    let cur = 0;
    // The line and offset columns as wide as their widest entries, one blank apart.
    const INSN = /^\s*(\d+)?\s+(\d+) (?=[A-Z_])/;
    let lw = 4, ow = 5;
    for (const m of D.dis.matchAll(new RegExp(INSN.source, "gm"))) {
      if (m[1]) lw = Math.max(lw, m[1].length);
      ow = Math.max(ow, m[2].length);
    }
    for (let text of D.dis.replace(/\n$/, "").split("\n")) {
      let m;
      if ((m = /^Disassembly of \S+ \(line (\d+)\)/.exec(text))) cur = +m[1];
      else if ((m = /^\s*(\d+)\s+\d+ [A-Z_]/.exec(text))) codeLines.add((cur = +m[1]));
      const isHead = /^Disassembly of|^\s+slots:/.test(text);
      // dis pads its columns for a terminal; a pane is narrower.
      const shown = text.replace(INSN, (all, ln, off) => (ln || "").padStart(lw) + " " + off.padStart(ow) + " ").replace(/(\S) {3,}/g, "$1  ");
      addRow("dis", text.trim() === "" ? 0 : cur, "", (tx) => {
        text = shown;
        const hash = text.indexOf("  # ");
        if (isHead) tx.appendChild(el("span", "fnhead", text));
        else if (hash < 0) tx.textContent = text;
        else {
          tx.appendChild(document.createTextNode(text.slice(0, hash + 2)));
          const c = el("span", "cost");
          const rest = text.slice(hash + 2);
          const a = rest.indexOf("ALLOC");
          if (a < 0) c.textContent = rest;
          else {
            c.appendChild(document.createTextNode(rest.slice(0, a)));
            c.appendChild(el("b", "", "ALLOC"));
            c.appendChild(document.createTextNode(rest.slice(a + 5)));
          }
          tx.appendChild(c);
        }
      });
    }
  } else {
    $("dis").appendChild(el("p", "cm", D.parsed ? "(interp mode not shown: --mode=native)" : "(no bytecode: the program does not parse)"));
  }

  // C: RT_LINE(n) names the source line of what follows; `// fn NAME (line N)`
  // opens a function. Drops and checks get a tag.
  const CHECK = /\brt_(add|sub|mul|div|rem|neg|shl|shr|list_at|call_depth|abs_i|int_of_float|int_of_str|float_of_str|assert)\(/;
  if (D.c) {
    let cur = 0;
    for (const text of D.c.replace(/\n$/, "").split("\n")) {
      let m;
      if ((m = /^\s*RT_LINE\((\d+)\);/.exec(text))) cur = +m[1];
      else if ((m = /^\/\/ fn \S+ \(line (\d+)\)/.exec(text))) cur = +m[1];
      else if (/^(\/\/ The runtime's main|static |typedef |#)/.test(text) && !/^static .*\bu_\w+\(.*\) \{$/.test(text)) cur = 0;
      const r = addRow("c", cur, "", (tx) => {
        const cm = text.indexOf("/*");
        if (cm < 0) tx.appendChild(document.createTextNode(text));
        else {
          tx.appendChild(document.createTextNode(text.slice(0, cm)));
          tx.appendChild(el("span", "cm", text.slice(cm)));
        }
      });
      // Drops and checks marked in the number column, so the code keeps its indentation.
      const ln = r.querySelector(".ln");
      if (/\/\* drop /.test(text) || /drop flag/.test(text)) ln.appendChild(el("span", "tag drop", "drop"));
      else if (CHECK.test(text)) ln.appendChild(el("span", "tag check", "check"));
    }
  } else {
    $("panes").classList.add("no-c");
    const why = !D.parsed ? "(no C: the program does not parse)"
      : !D.checked ? "(native mode not shown: --mode=interp)"
      : "(no C: native mode rejects this program — the diagnostics are on the source lines, and below. The costs beside the source are what interp does with it.)";
    $("c").appendChild(el("p", "cm", why));
  }

  // ---- selection: one source line, its bytecode and C, in one colour ------------
  let selected = 0;
  function highlight(line, cls) {
    for (const pane of ["src", "dis", "c"])
      for (const { el: r, line: l } of rows[pane]) r.classList.toggle(cls, line > 0 && l === line);
  }
  function select(line, scroll) {
    selected = line;
    highlight(line, "sel");
    for (const { el: r, line: l } of rows.src) r.setAttribute("aria-selected", l === line ? "true" : "false");
    if (scroll)
      for (const pane of ["src", "dis", "c"]) {
        // Scroll the pane only (not the page) to the line's first row.
        const first = rows[pane].find((x) => x.line === line), box = $(pane);
        if (!first) continue;
        const top = first.el.offsetTop;
        if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 30) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
      }
    if (line > 0 && location.hash !== "#L" + line) history.replaceState(null, "", "#L" + line);
    showDetail(line);
    if (typeof renderPerms === "function" && line > 0) renderPerms(line);
  }
  for (const pane of ["src", "dis", "c"]) {
    $(pane).addEventListener("mouseover", (e) => {
      const r = e.target.closest(".row");
      highlight(r ? +r.dataset.line : 0, "hl");
    });
    $(pane).addEventListener("mouseleave", () => highlight(0, "hl"));
    $(pane).addEventListener("click", (e) => {
      const r = e.target.closest(".row");
      if (r && +r.dataset.line > 0) select(+r.dataset.line, true);
    });
  }
  $("src").addEventListener("keydown", (e) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[e.key];
    let line = selected || 1;
    if (step) line = Math.min(srcLines.length, Math.max(1, line + step));
    else if (e.key === "Home") line = 1;
    else if (e.key === "End") line = srcLines.length;
    else return;
    e.preventDefault();
    select(line, true);
  });

  function showDetail(line) {
    const box = $("detail");
    box.textContent = "";
    if (!line) return;
    box.appendChild(el("h2", "", "Line " + line + ": " + (srcLines[line - 1] || "").trim()));
    const i = I.get(line), n = N.get(line), c = C.get(line);
    const groups = [];
    if (P.interp) groups.push(["interp run", "i", [["objects allocated", MEASURES.alloc.i(i)], ["increfs", i && i.increfs], ["decrefs", i && i.decrefs], ["frees", i && i.freed], ["bytecodes", i && i.bytecodes], ["bytes", i && i.bytes], ["calls", i && i.calls], ["collections", i && i.gc_collections], ["GIL waits", i && i.gil_waits]]]);
    if (P.native) groups.push(["native run", "n", [["blocks allocated", n && n.allocs], ["frees (drops)", n && n.frees], ["list growths", n && n.list_regrowths], ["clones", n && n.clones], ["bounds checks", n && n.bounds_checks], ["arithmetic checks", n && n.overflow_checks], ["bytes", n && n.bytes]]]);
    if (P.compile && P.compile.accepted) groups.push(["native compile", "n", [["moves", c && c.moves], ["borrows", c && c.borrows], ["drops inserted", c && c.drops], ["drop flags", c && c.drop_flags], ["checks inserted", c && c.checks]]]);
    const h = HY.get(line);
    if (PH && h && h.hy_calls) groups.push(["hybrid boundary", "h", [["crossings into #[native] code", h.hy_calls], ["values converted", h.hy_values], ["bytes copied", h.hy_bytes], ["ms converting", h.hy_convert_ns && Math.round(h.hy_convert_ns / 1e4) / 100]]]);
    for (const [title, cls, items] of groups) {
      const p = el("p", "fig");
      p.appendChild(el("b", cls, title + ": "));
      const parts = items.filter(([, v]) => v).map(([k, v]) => fmt(v) + " " + k);
      p.appendChild(document.createTextNode(parts.length ? parts.join(" · ") : "nothing"));
      box.appendChild(p);
    }
  }

  // ---- diagnostics ----------------------------------------------------------------
  if (diags.length) {
    const box = $("diagnostics");
    box.hidden = false;
    box.appendChild(el("h2", "", diags.length === 1 ? "1 error" : diags.length + " errors"));
    box.appendChild(el("p", "", D.parsed ? "Native mode rejects this program: its checker is the Rust model's, and these are rustc's rules. Interp runs it anyway — the costs beside the source are what interp does with it." : "The program does not parse (in either mode)."));
    for (const d of diags) {
      const div = el("div", "diag");
      div.appendChild(el("span", "code", "error" + (d.code ? "[" + d.code + "]" : "")));
      div.appendChild(document.createTextNode(": " + d.message + " "));
      const at = d.labels.find((l) => l.primary) || d.labels[0];
      if (at) {
        const go = el("button", "", "line " + at.line);
        go.addEventListener("click", () => select(at.line, true));
        div.appendChild(go);
      }
      const ex = d.code && D.explain[d.code];
      if (ex) {
        const b = el("button", "", "lab explain " + d.code);
        b.setAttribute("aria-expanded", "false");
        const text = el("div", "explain", d.code + ": " + ex.title + "\n\n" + ex.text + "\nLesson: " + ex.lesson);
        text.hidden = true;
        b.addEventListener("click", () => {
          text.hidden = !text.hidden;
          b.setAttribute("aria-expanded", String(!text.hidden));
        });
        div.appendChild(b);
        div.appendChild(text);
      }
      for (const note of d.notes) div.appendChild(el("div", "note", (note.help ? "help: " : "note: ") + note.text));
      box.appendChild(div);
      // help: on the primary line too
      if (at) {
        const r = $("L" + at.line);
        for (const note of d.notes) if (r) r.appendChild(el("span", "ann h", "= " + (note.help ? "help: " : "note: ") + note.text));
      }
    }
  }

  // ---- summary, compare table, charts, timeline ------------------------------------
  const sum = $("summary");
  const add = (cls, text) => sum.appendChild(el("span", cls, text));
  if (!D.parsed) add("bad", "does not parse · ");
  else if (D.checked && !D.accepted) add("bad", "native mode rejects it · interp runs it · ");
  else if (D.accepted) add("good", "accepted by native's checker · ");
  if (P.interp) add("", "interp exit " + P.interp.exit + " · ");
  if (P.native) add("", "native exit " + P.native.exit + " · ");
  // How a failing run ended (lab compare's "error"; the panic is also under its line).
  const ended = ["interp", "native"].filter((m) => D.compare && D.compare[m] && D.compare[m].error);
  if (ended.length) add("bad", "the run ends with an error — " + ended.map((m) => m + ": " + D.compare[m].error).join(" · ") + " · ");
  add("", "select a line (or use the arrow keys in the source pane) to see its costs and code");
  if (D.profile_error) add("bad", " · no per-line costs: " + D.profile_error);

  const CMP = D.compare;
  if (CMP) {
    const t = el("table");
    const th = el("thead");
    const hr = el("tr");
    const HC = CMP.hybrid || null;
    if (HC) $("runhead").textContent = "The run, in all three modes (hybrid: the #[native] functions compiled)";
    for (const h of HC ? ["", "interp", "native", "hybrid", "interp / native"] : ["", "interp", "native", "interp / native"]) hr.appendChild(el("th", "", h));
    th.appendChild(hr);
    t.appendChild(th);
    const ROWS = [["wall time (ms, median)", "wall_ms"], ["user time (ms)", "user_ms"], ["peak RSS (KiB)", "peak_rss_kib"], ["allocations", "allocations"], ["bytes allocated", "bytes_allocated"], ["peak live bytes", "peak_live_bytes"], ["refcount operations", "refcount_ops"], ["GC collections", "gc_collections"], ["GC pause total (ms)", "gc_pause_total_ms"]];
    if (HC) ROWS.push(["boundary crossings", "boundary_crossings"], ["values converted", "values_converted"], ["bytes copied at the boundary", "bytes_copied"], ["converting (ms)", "convert_ms"]);
    for (const [name, k] of ROWS) {
      const tr = el("tr");
      tr.appendChild(el("td", "", name));
      const a = CMP.interp[k], b = CMP.native[k];
      tr.appendChild(el("td", "", a === undefined || a === null ? "—" : fmt(a)));
      tr.appendChild(el("td", "", b === undefined || b === null ? "—" : fmt(b)));
      if (HC) tr.appendChild(el("td", "", HC[k] === undefined || HC[k] === null ? "—" : fmt(HC[k])));
      const r = CMP.ratio && CMP.ratio[k];  // null when a side is 0 (a run too short for a user time)
      tr.appendChild(el("td", "", r === undefined || r === null ? "" : r.toFixed(2) + "×"));
      t.appendChild(tr);
    }
    $("compare").appendChild(t);
    if (CMP.too_short_to_time) $("compare").appendChild(el("p", "warnbox", "The run is too short to time reliably (under 20 ms): compare the counts, not the times, or give the program more work."));
    if (!CMP.stdout_identical) $("compare").appendChild(el("p", "warnbox", "The two modes printed different output."));
    $("charts").appendChild(bars("Wall time (ms)", CMP.interp.wall_ms, CMP.native.wall_ms, HC && HC.wall_ms));
    $("charts").appendChild(bars("Peak RSS (KiB)", CMP.interp.peak_rss_kib, CMP.native.peak_rss_kib, HC && HC.peak_rss_kib));
    $("charts").appendChild(bars("Bytes allocated", CMP.interp.bytes_allocated, CMP.native.bytes_allocated, HC && HC.bytes_allocated));
  } else {
    $("compare").appendChild(el("p", "cm", D.compare_error || "(no compare: only one mode was asked for)"));
  }
  function bars(title, a, b, hy) {
    const three = hy !== undefined && hy !== null;
    const w = 300, h = three ? 102 : 76, max = Math.max(a || 0, b || 0, hy || 0) || 1;
    const s = svgEl("svg", { width: w, height: h, role: "img", "aria-label": title + ": interp " + a + ", native " + b + (three ? ", hybrid " + hy : "") });
    s.appendChild(svgEl("text", { x: 0, y: 12 })).textContent = title;
    const rows = [["interp", a, "bi", 22], ["native", b, "bn", 48]];
    if (three) rows.push(["hybrid", hy, "bh", 74]);
    rows.forEach(([name, v, cls, y]) => {
      s.appendChild(svgEl("text", { x: 0, y: y + 13 })).textContent = name;
      s.appendChild(svgEl("rect", { x: 50, y, width: Math.max(1, ((w - 130) * (v || 0)) / max), height: 18, class: cls }));
      s.appendChild(svgEl("text", { x: 54 + ((w - 130) * (v || 0)) / max, y: y + 13 })).textContent = fmt(Math.round((v || 0) * 100) / 100);
    });
    return s;
  }

  // The timeline: interp's collections where they happened (x: time, height:
  // generation; click one for its line), then native's drops per source line.
  (function timeline() {
    const box = $("timeline");
    const W = 1000, run = (P.interp && P.interp.run_ms) || 0, ev = (P.interp && P.interp.gc_events) || [];
    const s = svgEl("svg", { viewBox: "0 0 " + W + " 150", width: "100%", role: "img", "aria-label": "Timeline of the interp run with " + ev.length + " cycle collections, and native drops per line" });
    s.appendChild(svgEl("text", { x: 0, y: 12 })).textContent = P.interp ? "interp: " + ev.length + " cycle collection" + (ev.length === 1 ? "" : "s") + " over " + run.toFixed(1) + " ms (height: generation; click one for the line that triggered it)" : "interp: not run";
    s.appendChild(svgEl("line", { x1: 0, x2: W, y1: 62, y2: 62, class: "axis" }));
    for (const [t, pause, gen, freed, line] of ev) {
      const x = run > 0 ? (W * t) / run : 0, w = run > 0 ? Math.max(2, (W * pause) / run) : 2, hgt = 14 + 12 * gen;
      const r = svgEl("rect", { x: x.toFixed(1), y: 62 - hgt, width: w.toFixed(1), height: hgt, class: "gcbar gc" + Math.min(gen, 2) });
      const tip = svgEl("title", {});
      tip.textContent = "at " + t.toFixed(3) + " ms: generation " + gen + ", " + pause.toFixed(3) + " ms pause, " + freed + " objects freed, charged to line " + line;
      r.appendChild(tip);
      r.addEventListener("click", () => select(line, true));
      s.appendChild(r);
    }
    // Native's drops (frees) per line.
    const drops = [];
    for (let l = 1; l <= srcLines.length; l++) drops.push(N.get(l) ? N.get(l).frees || 0 : 0);
    const maxD = Math.max(0, ...drops);
    s.appendChild(svgEl("text", { x: 0, y: 84 })).textContent = P.native ? "native: drops (frees) per source line, line 1 at the left" + (maxD ? "" : " — none") : "native: not run";
    s.appendChild(svgEl("line", { x1: 0, x2: W, y1: 146, y2: 146, class: "axis" }));
    const bw = W / Math.max(1, srcLines.length);
    drops.forEach((d, k) => {
      if (!d) return;
      const hgt = 4 + (50 * Math.log1p(d)) / Math.log1p(maxD);
      const r = svgEl("rect", { x: (k * bw).toFixed(1), y: (146 - hgt).toFixed(1), width: Math.max(1, bw - 1).toFixed(1), height: hgt.toFixed(1), class: "gcbar bn" });
      const tip = svgEl("title", {});
      tip.textContent = "line " + (k + 1) + ": " + fmt(d) + " frees";
      r.appendChild(tip);
      r.addEventListener("click", () => select(k + 1, true));
      s.appendChild(r);
    });
    box.appendChild(s);
  })();


  // ---- the stepper (lab trace --json) --------------------------------------------------
  const T = D.trace || {};
  const STEPS = (T.interp && T.interp.steps) || [];
  const NFNS = (T.native && T.native.functions) || [];
  let cur = 0;

  // The permissions table of the function holding `line`: a row per variable,
  // a column per line with facts; `line`'s column (or the one before) marked.
  function renderPerms(line) {
    const box = $("perms");
    box.textContent = "";
    if (!T.native) {
      box.appendChild(el("p", "cm", D.trace_error ? "(no trace: " + D.trace_error + ")" : "(native mode not shown)"));
      return;
    }
    const fn = NFNS.find((f) => line >= f.line && line <= f.end_line);
    if (!fn) {
      box.appendChild(el("p", "cm", "(line " + line + " is in no function)"));
      return;
    }
    // The lines with facts, and the lines where a variable is dropped (a
    // scope's `}`), in order.
    const cols = fn.lines.slice();
    for (const v of fn.locals) for (const d of v.drops) if (!cols.some((c) => c.line === d.line)) cols.push({ line: d.line, vars: [] });
    cols.sort((a, b) => a.line - b.line);
    const lines = cols.map((l) => l.line);
    let now = -1;
    lines.forEach((l, k) => { if (l <= line) now = k; });
    const errLines = new Set();
    for (const d of D.diagnostics || []) for (const lb of d.labels) if (lb.primary) errLines.add(lb.line);
    const t = el("table");
    const hr = el("tr");
    hr.appendChild(el("th", "", "fn " + fn.name + " · line"));
    lines.forEach((l, k) => {
      const th = el("th", (k === now ? "now " : "") + (errLines.has(l) ? "err" : ""), l);
      if (errLines.has(l)) th.title = "the checker rejects this line: a permission is missing";
      hr.appendChild(th);
    });
    t.appendChild(hr);
    for (const v of fn.locals) {
      const tr = el("tr");
      tr.appendChild(el("th", "", v.name + (v.mut ? " (mut)" : "") + ": " + v.type));
      cols.forEach((L, k) => {
        const f = L.vars.find((x) => x.name === v.name);
        let text = "", cls = "none", title = "";
        if (f && f.state === "init") { text = f.perm || "–"; cls = ""; }
        else if (f && f.state === "moved") { text = "moved"; cls = "moved"; }
        else if (f && f.state === "maybe") { text = "maybe"; cls = "moved"; title = "initialized on some paths only: a drop flag decides"; }
        if (f && f.borrowed_by) title = "borrowed by " + f.borrowed_by.map((b) => (b.by || "a temporary") + (b.mut ? " (mutably)" : "")).join(", ");
        if (v.drops.some((d) => d.line === L.line)) { cls += " drop"; title = (title ? title + "; " : "") + "dropped here"; text += " ↓"; }
        const td = el("td", (k === now ? "now " : "") + cls, text);
        td.dataset.var = v.name;
        td.dataset.line = L.line;
        if (title) td.title = title;
        tr.appendChild(td);
      });
      t.appendChild(tr);
    }
    box.appendChild(t);
    box.appendChild(el("p", "cm", "After each line: R may read, W may write, O owns (may move or drop); ↓ dropped there; a borrow lasts until the last use of its reference."));
  }

  // The heap of a step: frames, then objects in columns by distance, arrows.
  function renderHeap(k) {
    const box = $("heap"), ev = $("events");
    box.textContent = "";
    ev.textContent = "";
    const st = STEPS[k];
    if (!st) {
      box.appendChild(el("p", "cm", D.trace_error ? "(no trace: " + D.trace_error + ")" : "(interp mode not traced)"));
      return;
    }
    const e = st.events;
    ev.appendChild(document.createTextNode("Since the step before: " + e.allocs + " allocated, " + e.increfs + " increfs, " + e.decrefs + " decrefs, " + e.frees + " freed"));
    if (e.collections) ev.appendChild(el("span", "gc", " · the cycle collector ran and freed " + e.collected + " objects"));
    const prev = new Set(k > 0 && STEPS[k - 1] ? STEPS[k - 1].heap.map((o) => o.id) : []);
    const byId = new Map(st.heap.map((o) => [o.id, o]));
    const depth = new Map();
    for (const f of st.frames) f.locals = f.locals.filter((l) => l.name !== undefined);  // not {"more": true}
    for (const f of st.frames) for (const l of f.locals) if (l.ref !== null && !depth.has(l.ref)) depth.set(l.ref, 1);
    for (const o of st.heap) {
      const d = depth.get(o.id) || 1;
      for (const [, to] of o.refs || []) if (byId.has(to) && !depth.has(to)) depth.set(to, d + 1);
    }
    const FW = 150, OW = 170, OH = 34, GAP = 44, ROW = 16;
    const cols = new Map();
    const pos = new Map();
    for (const o of st.heap) {
      const d = depth.get(o.id) || 1;
      if (!cols.has(d)) cols.set(d, 0);
      const y = 24 + cols.get(d) * (OH + 10);
      cols.set(d, cols.get(d) + 1);
      pos.set(o.id, { x: FW + GAP + (d - 1) * (OW + GAP), y });
    }
    // Frames: outermost first, each a box with its locals.
    let fy = 24;
    const localPos = [];
    const fbox = [];
    for (const f of st.frames) {
      const h = 18 + ROW * Math.max(1, f.locals.length);
      fbox.push({ f, y: fy, h });
      f.locals.forEach((l, i) => localPos.push({ l, x: FW - 8, y: fy + 18 + i * ROW + 11 }));
      fy += h + 10;
    }
    const maxCol = Math.max(0, ...[...cols.keys()]);
    const W = FW + GAP + maxCol * (OW + GAP) + 10;
    const H = Math.max(fy, 24 + Math.max(0, ...[...cols.values()]) * (OH + 10)) + 10;
    const s = svgEl("svg", { width: W, height: H, role: "img", "aria-label": "The heap at step " + k });
    const defs = svgEl("defs", {});
    const mk = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    mk.appendChild(svgEl("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "currentColor" }));
    defs.appendChild(mk);
    s.appendChild(defs);
    s.appendChild(svgEl("text", { x: 0, y: 14 })).textContent = "frames";
    if (maxCol) s.appendChild(svgEl("text", { x: FW + GAP, y: 14 })).textContent = "objects (refcount in the badge; ∞ immortal; new ones outlined)";
    for (const { f, y, h } of fbox) {
      s.appendChild(svgEl("rect", { x: 0, y, width: FW, height: h, rx: 4, class: "frame" }));
      s.appendChild(svgEl("text", { x: 6, y: y + 13 })).textContent = f.fn + " · line " + f.line;
      f.locals.forEach((l, i) => {
        const t = svgEl("text", { x: 12, y: y + 18 + i * ROW + 12, class: "mono" });
        t.textContent = l.name + (l.ref === null ? " (unset)" : "");
        s.appendChild(t);
      });
    }
    const edge = (x1, y1, x2, y2, label) => {
      const mx = (x1 + x2) / 2;
      s.appendChild(svgEl("path", { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2 - 2} ${y2}`, class: "edge" }));
      if (label) s.appendChild(svgEl("text", { x: x2 - 4, y: y2 - 4, "text-anchor": "end", class: "edgelabel" })).textContent = label;
    };
    for (const { l, x, y } of localPos) {
      const p = pos.get(l.ref);
      if (p) edge(x, y - 4, p.x, p.y + OH / 2);
    }
    for (const o of st.heap) {
      const p = pos.get(o.id);
      const g = svgEl("g", { "data-id": o.id });
      g.appendChild(svgEl("rect", { x: p.x, y: p.y, width: OW, height: OH, rx: 4, class: "obj" + (prev.has(o.id) ? "" : " new") + (o.immortal ? " imm" : "") }));
      g.appendChild(svgEl("text", { x: p.x + 6, y: p.y + 13, class: "mono" })).textContent = o.type + " #" + o.id;
      const pv = svgEl("text", { x: p.x + 6, y: p.y + 27, class: "mono" });
      pv.textContent = o.preview.length > 20 ? o.preview.slice(0, 19) + "…" : o.preview;
      g.appendChild(pv);
      const badge = o.immortal ? "∞" : String(o.rc);
      g.appendChild(svgEl("rect", { x: p.x + OW - 28, y: p.y + 4, width: 24, height: 14, rx: 7, class: "badge" + (o.immortal ? " imm" : "") }));
      const bt = svgEl("text", { x: p.x + OW - 16, y: p.y + 15, "text-anchor": "middle", class: "badgetext" });
      bt.textContent = badge;
      bt.dataset.rc = badge;
      g.appendChild(bt);
      const tip = svgEl("title", {});
      tip.textContent = o.type + " #" + o.id + ": " + o.preview + " — refcount " + badge;
      g.appendChild(tip);
      s.appendChild(g);
      let n = 0;
      for (const [label, to] of o.refs || []) {
        const q = pos.get(to);
        if (!q || n++ > 8) continue;
        edge(p.x + OW, p.y + OH / 2, q.x, q.y + OH / 2, label);
      }
    }
    box.appendChild(s);
    if (st.heap_truncated) box.appendChild(el("p", "cm", "(more objects than shown: lab trace --json has up to 100 per step)"));
  }

  // Why "run to selected line" finds no later step at `line`.
  function notReached(line) {
    const stop = T.interp.truncated ? " (the trace stops after " + STEPS.length + " steps: lab trace --max-steps)" : "";
    if (STEPS.some((st) => st.line === line)) return "line " + line + " is not reached after step " + cur + stop;
    if (!codeLines.has(line)) return "line " + line + " has no bytecode of its own: select a line with code";
    const ran = MEASURES.bytecodes.i(I.get(line)) > 0;  // in the profiled run, on any thread
    if (ran && !T.interp.truncated) return "line " + line + " runs only on spawned threads: the trace follows the main thread";
    if (P.interp && !ran) return "line " + line + " never runs in interp mode";
    return "line " + line + " is not reached in the steps traced" + stop;
  }

  function step(k) {
    if (!STEPS.length) return;
    cur = Math.max(0, Math.min(STEPS.length - 1, k));
    const st = STEPS[cur];
    $("slider").value = cur;
    $("steplabel").textContent = "step " + cur + " of " + (STEPS.length - 1) + " · line " + st.line + " (" + st.fn + ")" + (T.interp.truncated && cur === STEPS.length - 1 ? " · the trace stops here" : "");
    renderHeap(cur);
    select(st.line, true);  // both modes in lockstep: the panes and the permissions follow
  }
  if (STEPS.length) {
    $("slider").max = STEPS.length - 1;
    // Before the first step: what the controls do, rather than an empty box.
    $("steplabel").textContent = STEPS.length + " steps traced" + (T.interp.truncated ? " (the first " + STEPS.length + ": lab trace --max-steps)" : "");
    $("heap").appendChild(el("p", "cm", "forward ▶ (or →), the slider, or “run to selected line” steps through interp's run of the main thread: its frames, the objects they reach, and each object's refcount." +
      (T.interp.threads > 0 ? (T.interp.threads > 1 ? " The " + T.interp.threads + " spawned threads run untraced; their" : " The spawned thread runs untraced; its") + " allocations and refcount operations count in the main thread's steps, most often the step after a join." : "")));
    $("back").addEventListener("click", () => step(cur - 1));
    $("fwd").addEventListener("click", () => step(cur + 1));
    $("slider").addEventListener("input", () => step(+$("slider").value));
    $("runto").addEventListener("click", () => {
      for (let k = cur + 1; k < STEPS.length; k++) if (STEPS[k].line === selected) return step(k);
      $("steplabel").textContent = notReached(selected);
    });
    $("stepper").addEventListener("keydown", (e) => {
      if (e.target.id === "slider") return;
      if (e.key === "ArrowRight") { step(cur + 1); e.preventDefault(); }
      if (e.key === "ArrowLeft") { step(cur - 1); e.preventDefault(); }
    });
  } else {
    for (const id of ["back", "fwd", "slider", "runto"]) $(id).disabled = true;
    renderHeap(0);
  }

  // ---- start ------------------------------------------------------------------------
  for (const input of document.querySelectorAll('input[name="measure"]'))
    input.addEventListener("change", () => {
      measure = input.value;
      paintGutter();
    });
  paintGutter();
  // A line named in the address (#L12), else the line that allocates most.
  const m = /^#L(\d+)$/.exec(location.hash);
  let start = m ? +m[1] : 0;
  if (!start) {
    let best = 0;
    for (let l = 1; l <= srcLines.length; l++) {
      const v = (MEASURES.alloc.i(I.get(l)) || 0) + (MEASURES.alloc.n(N.get(l)) || 0) + (MEASURES.rc.i(I.get(l)) || 0);
      if (v > best) (best = v), (start = l);
    }
  }
  // A rejected program opens on its first error.
  if (!m && diags.length && diags[0].labels.length) start = (diags[0].labels.find((l) => l.primary) || diags[0].labels[0]).line;
  if (start) {
    select(start, true);
    if (!m) history.replaceState(null, "", location.pathname + location.search);
  }
  document.documentElement.dataset.ready = "1";
})();
