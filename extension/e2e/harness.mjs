// Test harness: serves the fixture pages on 127.0.0.1 and launches the browser that
// DRAFTGUARD_BROWSER names (chromium or firefox) with the built extension, through the
// driver layer (driver.mjs), which also records every network request and reads the
// extension's closed shadow roots (the page itself cannot see into them, which is the point).

import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { buildFixtures } from "./build-fixtures.mjs";
import { BROWSER, launch as driverLaunch, extensionDir, removeStaleManagedPolicies, until } from "./driver.mjs";
import { serveSites } from "./sites.mjs";

export { BROWSER, until };

const here = path.dirname(fileURLToPath(import.meta.url));
/** The unpacked build of the extension for this browser. */
export const EXTENSION = extensionDir();
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

/** The browser (driver.mjs) with the built extension loaded, after removing managed policy
 * that a killed test run left behind. */
export function launch(options) {
  removeStaleManagedPolicies();
  return driverLaunch(options);
}

/** Every element inside the extension's closed shadow roots matching `pred({ name, attrs })`. */
export const shadowQuery = (page, pred) => page.shadowQuery(pred);

/** Clicks an element found by shadowQuery (by its box on screen). */
export const shadowClick = (page, node) => page.shadowClick(node);

/**
 * A `useBrowser` patch: the build's content script starts by hiding `CSS.highlights` from
 * its own world (the page's world keeps it), as in a browser without the CSS Custom
 * Highlight API, so underlines take the overlay fallback.
 * @param {string} dir the build's copy
 */
export function hideHighlightApi(dir) {
  const loader = path.join(dir, "src", "content", "loader.js");
  fs.writeFileSync(
    loader,
    `globalThis.CSS = new Proxy(CSS, { get: (t, k) => (k === "highlights" ? undefined : t[k]), has: (t, k) => k !== "highlights" && k in t });\n${fs.readFileSync(loader, "utf8")}`,
  );
}

/**
 * Registers before/after hooks for a test file: fixture server (if `serve`), the real-site
 * fixtures on their real host names over HTTPS (if `sites`: `env.sites.url(host, path)`),
 * and browser (with Firefox `prefs`). `patch(dir)`, if given, changes a copy of the build in `dir`,
 * which the browser then loads: a test-only variant that exists only for that test file.
 * Returns an object whose `srv` and `browser` are set once the hooks have run.
 */
export function useBrowser({ serve = true, sites = false, patch = null, prefs = undefined } = {}) {
  const env = { srv: null, sites: null, browser: null, dir: null };
  before(async () => {
    let extension;
    if (patch) {
      env.dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-e2e-build-"));
      fs.cpSync(EXTENSION, env.dir, { recursive: true });
      await patch(env.dir);
      extension = env.dir;
    }
    if (serve) env.srv = await serveFixtures();
    if (sites) env.sites = await serveSites();
    env.browser = await launch({ extension, prefs, hostMap: env.sites?.hostMap });
  });
  after(async () => {
    await env.browser?.close();
    env.srv?.server.close();
    await env.sites?.close();
    if (env.dir) fs.rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}
