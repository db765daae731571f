// Test harness: serves the fixture pages on 127.0.0.1, launches Debian's Chromium with
// the built extension (playwright-core, no browser download), records every network
// request, and reads the extension's closed shadow roots through the DevTools protocol
// (the page itself cannot see into them, which is the point).

import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { buildFixtures } from "./build-fixtures.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const EXTENSION = path.resolve(here, "../../dist/extension");
const FIXTURES = path.join(here, "fixtures");
const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".map": "application/json",
};

export async function serveFixtures() {
  await buildFixtures(); // the editor-library composers (fixtures/build/, git-ignored)
  const server = http.createServer((req, res) => {
    const file = path.join(FIXTURES, path.normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (!file.startsWith(FIXTURES) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Removes managed policy files that admin.test.mjs left behind when its process was killed
 * (they are named draftguard-e2e-PID-*.json): Chromium applies every file in the folder, so
 * a stale one would turn every later run into a managed browser.
 */
export function removeStaleManagedPolicies(dir = "/etc/chromium/policies/managed") {
  let names = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^draftguard-e2e-(\d+)-/.exec(name)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
      continue;
    } catch {
      /* that process is gone */
    }
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Chromium on a fresh profile with the unpacked extension at `extension` loaded. */
export async function launch({ headless = true, extension = EXTENSION } = {}) {
  removeStaleManagedPolicies();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-e2e-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless,
    args: [
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const requests = [];
  context.on("request", (r) => requests.push({ url: r.url(), body: r.postData() ?? "" }));
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker", { timeout: 20000 });
  return {
    context,
    worker,
    requests,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Every element inside closed shadow roots matching `pred(node)`, via CDP. */
export async function shadowQuery(page, pred) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
    const out = [];
    const text = (n) => (n.nodeType === 3 ? n.nodeValue : (n.children ?? []).map(text).join(""));
    const walk = (n, inShadow) => {
      const attrs = {};
      for (let i = 0; i < (n.attributes?.length ?? 0); i += 2) attrs[n.attributes[i]] = n.attributes[i + 1];
      if (inShadow && n.nodeType === 1 && pred({ name: n.nodeName.toLowerCase(), attrs })) {
        out.push({ nodeId: n.nodeId, backendNodeId: n.backendNodeId, text: text(n), attrs });
      }
      for (const c of n.children ?? []) walk(c, inShadow);
      for (const s of n.shadowRoots ?? []) walk(s, true);
    };
    walk(root, false);
    return out;
  } finally {
    await cdp.detach();
  }
}

/** Clicks an element found by shadowQuery (by its box on screen). */
export async function shadowClick(page, node) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { model } = await cdp.send("DOM.getBoxModel", { backendNodeId: node.backendNodeId });
    const [x1, y1, , , x3, y3] = model.content;
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  } finally {
    await cdp.detach();
  }
}

/** Polls `fn` until it returns a truthy value (or throws after `ms`). */
export async function until(fn, ms = 5000, what = "condition") {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/**
 * Registers before/after hooks for a test file: fixture server (if `serve`) and browser.
 * Returns an object whose `srv` and `browser` are set once the hooks have run.
 */
export function useBrowser({ serve = true } = {}) {
  const env = { srv: null, browser: null };
  before(async () => {
    if (serve) env.srv = await serveFixtures();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.srv?.server.close();
  });
  return env;
}
