// cdp.mjs — a small client of the Chrome DevTools Protocol over a pipe
// (chromium --remote-debugging-pipe: we write to its fd 3, read its fd 4;
// messages are JSON texts ended by a NUL byte). Enough for tests/view/: open
// a page, watch its requests, run script in it, click, press keys, capture.
// No package: Node's standard library and Debian's chromium.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function launch(browser) {
  const profile = mkdtempSync(join(tmpdir(), "lab-view-chromium-"));
  const proc = spawn(browser, [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  let stderr = "";
  proc.stdio[2].on("data", (d) => { stderr += d; });
  const out = proc.stdio[3], inp = proc.stdio[4];
  let next = 1, buf = Buffer.alloc(0);
  const pending = new Map(), listeners = [];
  inp.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    let z;
    while ((z = buf.indexOf(0)) >= 0) {
      const msg = JSON.parse(buf.subarray(0, z).toString("utf8"));
      buf = buf.subarray(z + 1);
      if (msg.id && pending.has(msg.id)) {
        const { resolve, reject, method } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(method + ": " + msg.error.message));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of listeners.slice()) l(msg);
      }
    }
  });
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject, method });
      out.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
    });
  const on = (fn) => listeners.push(fn);
  const waitFor = (pred, ms = 20000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("timed out waiting for an event")), ms);
      const l = (m) => {
        if (pred(m)) {
          clearTimeout(t);
          listeners.splice(listeners.indexOf(l), 1);
          resolve(m);
        }
      };
      listeners.push(l);
    });
  await send("Browser.getVersion").catch((e) => { throw new Error("chromium did not answer: " + e.message + "\n" + stderr); });
  return {
    send, on, waitFor,
    version: () => send("Browser.getVersion"),
    async close() {
      try { await send("Browser.close"); } catch { /* already gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      proc.kill("SIGKILL");
      rmSync(profile, { recursive: true, force: true });
    },
    // A new tab, its session, and what it requested.
    async page({ width = 1280, height = 800, dark = false } = {}) {
      const { targetId } = await send("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
      const s = (method, params) => send(method, params, sessionId);
      const requests = [];
      on((m) => { if (m.sessionId === sessionId && m.method === "Network.requestWillBeSent") requests.push(m.params.request.url); });
      await s("Network.enable");
      await s("Page.enable");
      await s("Runtime.enable");
      await s("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
      await s("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: dark ? "dark" : "light" }] });
      const errors = [];
      on((m) => {
        if (m.sessionId !== sessionId) return;
        if (m.method === "Runtime.exceptionThrown") errors.push(m.params.exceptionDetails.exception?.description || m.params.exceptionDetails.text);
        if (m.method === "Runtime.consoleAPICalled" && m.params.type === "error") errors.push(m.params.args.map((a) => a.value).join(" "));
      });
      return {
        requests, errors,
        async goto(url) {
          const loaded = waitFor((m) => m.sessionId === sessionId && m.method === "Page.loadEventFired");
          await s("Page.navigate", { url });
          await loaded;
        },
        async eval(expr) {
          const r = await s("Runtime.evaluate", { expression: expr, returnByValue: true, awaitPromise: true });
          if (r.exceptionDetails) throw new Error("in the page: " + (r.exceptionDetails.exception?.description || r.exceptionDetails.text));
          return r.result.value;
        },
        async click(x, y) {
          for (const type of ["mouseMoved", "mousePressed", "mouseReleased"])
            await s("Input.dispatchMouseEvent", { type, x, y, button: "left", clickCount: 1 });
        },
        async key(key, code = key) {
          for (const type of ["keyDown", "keyUp"]) await s("Input.dispatchKeyEvent", { type, key, code, windowsVirtualKeyCode: { ArrowDown: 40, ArrowUp: 38, End: 35, Home: 36 }[key] || 0 });
        },
        async screenshot() {
          const { data } = await s("Page.captureScreenshot", { format: "png" });
          return Buffer.from(data, "base64");
        },
        async pdf() {
          const { data } = await s("Page.printToPDF", { printBackground: false });
          return Buffer.from(data, "base64");
        },
        close: () => send("Target.closeTarget", { targetId }),
      };
    },
  };
}
