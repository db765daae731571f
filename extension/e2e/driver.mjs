// The browser driver the end-to-end tests, the demo and the benches share: one small
// interface over two automation stacks, so every test body runs unchanged in both browsers.
//
//   DRAFTGUARD_BROWSER=chromium (default)  Debian's Chromium through playwright-core (CDP)
//   DRAFTGUARD_BROWSER=firefox             Firefox ESR through puppeteer-core (WebDriver BiDi)
//
// The contract, for both:
// - `launch(options)` starts the browser on a fresh (or the given) profile with the built
//   extension (dist/<browser>) loaded, and resolves to a Browser:
//     name, extensionId (the host of the extension's own URLs), extensionUrl(path),
//     newPage(), openExtensionPage(path), extensionEval(fn, arg) (runs in an extension page
//     or the worker, where `chrome.tabs` is available), stopBackground() (stops the
//     worker or event page as the browser does when it is idle), backgroundRunning(),
//     requests (every request
//     the browser made, with its body), close().
// - A page is the part of Playwright's Page that the tests use (goto, click, fill,
//   keyboard, mouse, evaluate, $eval, $$eval, textContent, isChecked, isDisabled, isHidden,
//   isVisible, waitForSelector, waitForTimeout, bringToFront, reload, screenshot,
//   setViewportSize, on("console"), close), plus shadowQuery(pred) and shadowClick(node),
//   which read and click inside the extension's CLOSED shadow roots, which the page's own
//   scripts cannot see into:
//     Chromium: DevTools `DOM.getDocument` with `pierce: true`;
//     Firefox: WebDriver BiDi `script.evaluate` with `serializationOptions.includeShadowTree:
//     "all"`, which serializes closed shadow roots with their nodes' shared ids.
//   No test-only build of the extension is involved.
// - Managed policy (managedPolicy(browser)): where that browser reads an admin's policy
//   (machine-wide files, so every caller holds /tmp/draftguard-browser.lock).

import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GECKO_ID } from "../tools/manifest.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The browser this process drives. */
export const BROWSER = process.env.DRAFTGUARD_BROWSER ?? "chromium";
if (!["chromium", "firefox"].includes(BROWSER)) throw new Error(`DRAFTGUARD_BROWSER must be chromium or firefox`);
/** The unpacked build `make extension` writes for each browser. */
export const extensionDir = (browser = BROWSER) => path.resolve(here, `../../dist/${browser}`);
/** Firefox gives each profile's extension a random UUID unless a pref fixes it: fixed here,
 * so extension pages have known URLs. */
const FIREFOX_UUID = "5d1a9f0e-6c2b-4b7e-9a41-d7a1e3c0f2b8";

/**
 * @typedef {object} LaunchOptions
 * @property {boolean} [headless]
 * @property {string} [extension]  an unpacked build (default: dist/<browser>)
 * @property {string} [profile]  a profile directory to use and keep (default: a fresh one, removed on close)
 * @property {Record<string, string | number | boolean>} [prefs]  Firefox preferences (ignored by Chromium)
 * @property {HostMap} [hostMap]  real host names served locally over HTTPS (see below)
 */

/**
 * Real host names (x.com, www.linkedin.com, ...) answered by a local HTTPS server with a
 * throwaway certificate (e2e/sites.mjs), so a page's location is the real site's and the
 * extension picks the site's adapter as it would there:
 *   Chromium: `--host-resolver-rules="MAP x.com 127.0.0.1:PORT, ..."` and
 *     `--ignore-certificate-errors` (the certificate is self-signed);
 *   Firefox: every request already goes through the recording proxy, which tunnels a
 *     CONNECT to a mapped host to 127.0.0.1:PORT instead of resolving it, and the session
 *     accepts the self-signed certificate (WebDriver `acceptInsecureCerts`). No DNS, no
 *     root, no port 443.
 * @typedef {{ hosts: string[], port: number }} HostMap
 */

/** @param {LaunchOptions} [options] */
export function launch(options = {}) {
  return BROWSER === "firefox" ? launchFirefox(options) : launchChromium(options);
}

/** Polls `fn` until it returns a truthy value (or throws after `ms`). */
export async function until(fn, ms = 5000, what = "condition") {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- Chromium: playwright-core over CDP -------------------------------------------------

/** Debian's Chromium, quiet and headless-friendly: no sandbox (root), no background traffic. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Chromium's flags for a HostMap. @param {HostMap | undefined} hostMap */
export function hostMapArgs(hostMap) {
  if (!hostMap) return [];
  const rules = hostMap.hosts.map((h) => `MAP ${h} 127.0.0.1:${hostMap.port}`).join(", ");
  return [`--host-resolver-rules=${rules}`, "--ignore-certificate-errors"];
}

async function launchChromium({ headless = true, extension = extensionDir("chromium"), profile, hostMap } = {}) {
  const { chromium } = await import("playwright-core");
  const userDataDir = profile ?? fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-e2e-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless,
    args: [
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      ...CHROMIUM_ARGS,
      ...hostMapArgs(hostMap),
    ],
    ignoreHTTPSErrors: Boolean(hostMap),
  });
  const requests = [];
  context.on("request", (r) => requests.push({ url: r.url(), body: r.postData() ?? "" }));
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker", { timeout: 20000 });
  const extensionId = new URL(worker.url()).host;
  /** An extension page of our own, for the DevTools ServiceWorker domain. */
  let helper = null;
  /** Runs `fn(cdp, status)` with the ServiceWorker domain of the extension's own page, which
   * reaches its worker; `status()` is the worker's last reported running status. */
  const workerDomain = async (fn) => {
    if (!helper) {
      helper = await context.newPage();
      await helper.goto(`chrome-extension://${extensionId}/manifest.json`); // a page of ours that never wakes the worker
    }
    const cdp = await context.newCDPSession(helper);
    try {
      let last = null;
      /** Every status reported in this session: a stop followed at once by a restart under
       * load must still count as stopped. */
      const seen = new Set();
      cdp.on("ServiceWorker.workerVersionUpdated", (e) => {
        for (const v of e.versions)
          if (v.scriptURL.includes(extensionId)) {
            last = v.runningStatus;
            seen.add(last);
          }
      });
      await cdp.send("ServiceWorker.enable");
      return await fn(cdp, () => last, seen);
    } finally {
      await cdp.detach();
    }
  };
  const wrap = (page) => Object.assign(page, chromiumShadow(page));
  return {
    name: "chromium",
    extensionId,
    extensionUrl: (p) => `chrome-extension://${extensionId}/${p}`,
    requests,
    newPage: async () => wrap(await context.newPage()),
    async openExtensionPage(p) {
      const page = wrap(await context.newPage());
      await page.goto(`chrome-extension://${extensionId}/${p}`);
      return page;
    },
    // The worker of the moment (a stopped worker is replaced by a new one).
    extensionEval: async (fn, arg) => {
      const w = context.serviceWorkers().find((x) => x.url().includes(extensionId)) ?? worker;
      return w.evaluate(fn, arg);
    },
    stopBackground: () =>
      workerDomain(async (cdp, _status, seen) => {
        await cdp.send("ServiceWorker.stopAllWorkers");
        // Generous: on a loaded 2-core machine DevTools reports the stop late.
        await until(() => seen.has("stopped"), 20000, "the worker to stop");
      }),
    backgroundRunning: () =>
      workerDomain(async (_cdp, status) => (await until(status, 15000, "the worker's status")) === "running"),
    async close() {
      await context.close();
      if (!profile) fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Closed shadow roots through DevTools: the whole DOM, pierced. */
function chromiumShadow(page) {
  const withCdp = async (fn) => {
    const cdp = await page.context().newCDPSession(page);
    try {
      return await fn(cdp);
    } finally {
      await cdp.detach();
    }
  };
  return {
    shadowQuery: (pred) =>
      withCdp(async (cdp) => {
        const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
        const text = (n) => (n.nodeType === 3 ? n.nodeValue : (n.children ?? []).map(text).join(""));
        return collect(root, {
          // A same-origin iframe's document is the frame element's contentDocument.
          children: (n) => [...(n.children ?? []), ...(n.contentDocument ? [n.contentDocument] : [])],
          shadowRoots: (n) => n.shadowRoots ?? [],
          element: (n) => {
            if (n.nodeType !== 1) return null;
            const attrs = {};
            for (let i = 0; i < (n.attributes?.length ?? 0); i += 2) attrs[n.attributes[i]] = n.attributes[i + 1];
            return { name: n.nodeName.toLowerCase(), attrs, text: text(n), backendNodeId: n.backendNodeId };
          },
          pred,
        });
      }),
    shadowClick: (node) =>
      withCdp(async (cdp) => {
        const { model } = await cdp.send("DOM.getBoxModel", { backendNodeId: node.backendNodeId });
        const [x1, y1, , , x3, y3] = model.content;
        await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
      }),
  };
}

/**
 * Every element inside a shadow root under `root` for which `pred({ name, attrs })` holds,
 * as `{ name, attrs, text, ...handle }` (the handle is what shadowClick needs).
 */
function collect(root, { children, shadowRoots, element, pred }) {
  const out = [];
  const walk = (n, inShadow) => {
    const el = element(n);
    if (inShadow && el && pred({ name: el.name, attrs: el.attrs })) out.push(el);
    for (const c of children(n)) walk(c, inShadow);
    for (const s of shadowRoots(n)) walk(s, true);
  };
  walk(root, false);
  return out;
}

// ---- Firefox: puppeteer-core over WebDriver BiDi ------------------------------------------

async function launchFirefox({
  headless = true,
  extension = extensionDir("firefox"),
  profile,
  prefs = {},
  hostMap,
} = {}) {
  const { default: puppeteer } = await import("puppeteer-core");
  const proxy = await recordingProxy(hostMap);
  const browser = await puppeteer.launch({
    browser: "firefox",
    acceptInsecureCerts: Boolean(hostMap),
    executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr",
    headless,
    userDataDir: profile,
    // Lets WebDriver open the extension's own pages (moz-extension://) and reach the
    // browser's chrome scope, where stopBackground() suspends the event page.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      // Every request goes through the recording proxy, 127.0.0.1 included.
      "network.proxy.type": 1,
      "network.proxy.http": "127.0.0.1",
      "network.proxy.http_port": proxy.port,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": proxy.port,
      "network.proxy.no_proxies_on": "",
      "network.proxy.allow_hijacking_localhost": true,
      // A restart of the same profile keeps the (temporarily installed) extension's storage
      // and UUID, as an installed extension's are kept across browser restarts.
      "extensions.webextensions.keepStorageOnUninstall": true,
      "extensions.webextensions.keepUuidOnUninstall": true,
      "devtools.console.stdout.content": true,
      ...prefs,
    },
  });
  await browser.installExtension(extension);
  const conn = browser.connection;
  const bidi = async (method, params) => (await conn.send(method, params)).result;
  const contextOf = (page) => {
    const id = page.mainFrame()._id;
    if (!id) throw new Error("puppeteer-core changed: no browsing context id on the frame");
    return id;
  };
  const wrap = (page) => firefoxPage(page, (method, params) => bidi(method, params), contextOf);
  /** An extension page of our own, opened on first use, where extensionEval runs. */
  let helper = null;
  /** `background`: in a window of its own that does not take the focus (the helper). */
  const openExtensionPage = async (p, { background = false } = {}) => {
    const page = await browser.newPage(background ? { type: "window", background: true } : undefined);
    // page.goto waits for a load event puppeteer does not see across the switch to the
    // extension process; the BiDi command itself waits for the document to complete.
    await bidi("browsingContext.navigate", {
      context: contextOf(page),
      url: `moz-extension://${FIREFOX_UUID}/${p}`,
      wait: "complete",
    });
    return wrap(page);
  };
  /** Runs `expression` in the browser's chrome scope (the main window). */
  const chromeEval = async (expression) => {
    const tree = await bidi("browsingContext.getTree", { "moz:scope": "chrome" });
    const res = await bidi("script.evaluate", {
      expression,
      target: { context: tree.contexts[0].context },
      awaitPromise: true,
    });
    if (res.type !== "success") throw new Error(`chrome scope: ${JSON.stringify(res.exceptionDetails?.text)}`);
    return res.result.value;
  };
  return {
    name: "firefox",
    extensionId: FIREFOX_UUID,
    extensionUrl: (p) => `moz-extension://${FIREFOX_UUID}/${p}`,
    requests: proxy.requests,
    newPage: async () => wrap(await browser.newPage()),
    openExtensionPage,
    async extensionEval(fn, arg) {
      helper ??= await openExtensionPage("src/popup/popup.html", { background: true });
      return helper.evaluate(fn, arg);
    },
    // What Firefox does to an idle event page (extensions.background.idle.timeout), now.
    async stopBackground() {
      const state = await chromeEval(
        `(async () => { const ext = WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension;
           await ext.terminateBackground(); return ext.backgroundState; })()`,
      );
      if (state !== "stopped") throw new Error(`the background did not stop: ${state}`);
    },
    backgroundRunning: async () =>
      (await chromeEval(
        `(async () => WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension.backgroundState)()`,
      )) === "running",
    async close() {
      await browser.close();
      await proxy.close();
    },
  };
}

/** A page of Firefox with the part of Playwright's Page API the tests use. */
function firefoxPage(page, bidi, contextOf) {
  const $ = async (sel) => {
    const el = await page.$(sel);
    if (!el) throw new Error(`no element matches ${sel}`);
    return el;
  };
  const keys = (combo) => (combo.length > 1 ? combo.split("+") : [combo]);
  const press = async (combo) => {
    const ks = keys(combo);
    for (const k of ks.slice(0, -1)) await page.keyboard.down(k);
    await page.keyboard.press(ks.at(-1));
    for (const k of ks.slice(0, -1).reverse()) await page.keyboard.up(k);
  };
  const console_ = [];
  page.on("console", (m) => {
    for (const fn of console_) fn(m);
  });
  return {
    raw: page,
    goto: (url) => page.goto(url),
    click: (sel) => page.click(sel),
    async fill(sel, text) {
      await (await $(sel)).evaluate((e, t) => {
        e.focus();
        e.select();
        document.execCommand("insertText", false, t);
      }, text);
    },
    keyboard: { type: (t) => page.keyboard.type(t), press },
    mouse: { click: (x, y) => page.mouse.click(x, y) },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    $eval: (sel, fn, arg) => page.$eval(sel, fn, arg),
    $$eval: (sel, fn, arg) => page.$$eval(sel, fn, arg),
    textContent: (sel) => page.$eval(sel, (e) => e.textContent),
    isChecked: (sel) => page.$eval(sel, (e) => e.checked),
    isDisabled: (sel) => page.$eval(sel, (e) => e.disabled),
    isVisible: (sel) =>
      page.evaluate((s) => {
        const e = document.querySelector(s);
        return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
      }, sel),
    async isHidden(sel) {
      return !(await this.isVisible(sel));
    },
    waitForSelector: (sel, opts) => page.waitForSelector(sel, opts),
    waitForTimeout: sleep,
    bringToFront: () => page.bringToFront(),
    reload: () => page.reload(),
    screenshot: (opts) => page.screenshot(opts),
    setViewportSize: (size) => page.setViewport(size),
    on(event, fn) {
      if (event !== "console") throw new Error(`firefoxPage: no "${event}" event`);
      console_.push(fn);
    },
    close: () => page.close(),
    // The page's document and those of its frames (each frame is a browsing context of
    // its own in WebDriver BiDi): the extension's UI for a composer in an iframe is there.
    async shadowQuery(pred) {
      const top = contextOf(page);
      const { contexts } = await bidi("browsingContext.getTree", { root: top });
      const all = [];
      const walk = (c) => {
        all.push(c.context);
        for (const child of c.children ?? []) walk(child);
      };
      for (const c of contexts) walk(c);
      const out = [];
      for (const context of all) {
        const res = await bidi("script.evaluate", {
          expression: "document.documentElement",
          target: { context },
          awaitPromise: false,
          serializationOptions: { maxDomDepth: null, includeShadowTree: "all" },
        });
        if (res.type !== "success") throw new Error("could not serialize the document");
        const text = (n) =>
          n.value?.nodeType === 3 ? n.value.nodeValue : (n.value?.children ?? []).map(text).join("");
        out.push(
          ...collect(res.result, {
            children: (n) => n.value?.children ?? [],
            shadowRoots: (n) => (n.value?.shadowRoot ? [n.value.shadowRoot] : []),
            element: (n) =>
              n.value?.nodeType === 1
                ? {
                    name: n.value.localName,
                    attrs: n.value.attributes ?? {},
                    text: text(n),
                    sharedId: n.sharedId,
                    context,
                  }
                : null,
            pred,
          }),
        );
      }
      return out;
    },
    async shadowClick(node) {
      // The node's box in its own frame, moved by each (same-origin) frame element's box.
      const res = await bidi("script.callFunction", {
        functionDeclaration: `(n) => {
          const r = n.getBoundingClientRect();
          let x = r.x + r.width / 2, y = r.y + r.height / 2;
          for (let w = n.ownerDocument.defaultView; w.frameElement; w = w.parent) {
            const f = w.frameElement.getBoundingClientRect();
            x += f.x + w.frameElement.clientLeft;
            y += f.y + w.frameElement.clientTop;
          }
          return [x, y];
        }`,
        arguments: [{ sharedId: node.sharedId }],
        target: { context: node.context ?? contextOf(page) },
        awaitPromise: false,
      });
      if (res.type !== "success") throw new Error(`could not find the node to click: ${res.exceptionDetails?.text}`);
      const [x, y] = res.result.value.map((v) => v.value);
      await page.mouse.click(x, y);
    },
  };
}

/**
 * An HTTP proxy on 127.0.0.1 that records every request (URL and body) and passes it on;
 * HTTPS is tunnelled (CONNECT), so its host and port are recorded. A tunnel to a host of
 * `hostMap` goes to 127.0.0.1:hostMap.port instead.
 * @param {HostMap} [hostMap]
 */
function recordingProxy(hostMap) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ url: req.url, body: body.toString("utf8") });
      const up = http.request(req.url, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on("error", () => res.headersSent || res.writeHead(502).end());
      up.end(body);
    });
  });
  server.on("connect", (req, socket, head) => {
    requests.push({ url: `https://${req.url}/`, body: "" });
    const [host, port] = req.url.split(":");
    const mapped = hostMap?.hosts.includes(host);
    const up = net.connect(mapped ? hostMap.port : Number(port) || 443, mapped ? "127.0.0.1" : host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      up.write(head);
      up.pipe(socket).pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
  });
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        requests,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(r);
          }),
      }),
    ),
  );
}

// ---- managed policy ------------------------------------------------------------------------

const CHROME_ID = JSON.parse(fs.readFileSync(path.join(here, "../extension-id.json"), "utf8")).id;
const CHROMIUM_DIR = "/etc/chromium/policies/managed";
const FIREFOX_FILE = "/etc/firefox/policies/policies.json";
/** Who wrote FIREFOX_FILE (a pid), and the file it replaced, if any. */
const FIREFOX_OWNER = `${FIREFOX_FILE}.draftguard-e2e-owner`;
const FIREFOX_SAVED = `${FIREFOX_FILE}.draftguard-e2e-saved`;

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Removes managed policy that a test process left behind when it was killed: it would turn
 * every later browser on this machine into a managed one. Chromium: the files named
 * draftguard-e2e-PID-*.json; Firefox: policies.json when its owner file names a dead pid
 * (the admin's own file, if there was one, is put back).
 */
export function removeStaleManagedPolicies() {
  let names = [];
  try {
    names = fs.readdirSync(CHROMIUM_DIR);
  } catch {
    /* no such folder */
  }
  for (const name of names) {
    const pid = Number(/^draftguard-e2e-(\d+)-/.exec(name)?.[1]);
    if (pid && !alive(pid)) fs.rmSync(path.join(CHROMIUM_DIR, name), { force: true });
  }
  const owner = Number(fs.existsSync(FIREFOX_OWNER) && fs.readFileSync(FIREFOX_OWNER, "utf8"));
  if (owner && !alive(owner)) restoreFirefoxPolicies();
}

function restoreFirefoxPolicies() {
  if (!fs.existsSync(FIREFOX_OWNER)) return;
  if (fs.existsSync(FIREFOX_SAVED)) fs.renameSync(FIREFOX_SAVED, FIREFOX_FILE);
  else fs.rmSync(FIREFOX_FILE, { force: true });
  fs.rmSync(FIREFOX_OWNER, { force: true });
}

/**
 * Where `browser` reads its admin's policy, as the README's admin guide writes it:
 *   Chromium: a file in /etc/chromium/policies/managed/ with
 *     { "3rdparty": { "extensions": { CHROME_ID: settings } } }, re-read while running;
 *   Firefox: /etc/firefox/policies/policies.json with
 *     { "policies": { "3rdparty": { "Extensions": { GECKO_ID: settings } } } }, read at start.
 * The file is removed when the process exits, however it exits.
 */
export function managedPolicy(browser = BROWSER) {
  const file =
    browser === "firefox"
      ? FIREFOX_FILE
      : path.join(CHROMIUM_DIR, `draftguard-e2e-${process.pid}-${Math.random().toString(16).slice(2, 10)}.json`);
  const remove = () => (browser === "firefox" ? restoreFirefoxPolicies() : fs.rmSync(file, { force: true }));
  process.on("exit", remove);
  for (const signal of ["SIGINT", "SIGTERM"])
    process.on(signal, () => {
      remove();
      process.exit(130);
    });
  return {
    file,
    /** Firefox reads policies.json only when it starts. */
    appliesWhileRunning: browser !== "firefox",
    /** Writes `settings` as the extension's managed configuration. */
    write(settings) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (browser === "firefox") {
        if (!fs.existsSync(FIREFOX_OWNER)) {
          if (fs.existsSync(FIREFOX_FILE)) fs.renameSync(FIREFOX_FILE, FIREFOX_SAVED);
          fs.writeFileSync(FIREFOX_OWNER, String(process.pid));
        }
        const doc = { policies: { "3rdparty": { Extensions: { [GECKO_ID]: settings } } } };
        fs.writeFileSync(file, JSON.stringify(doc, null, 2));
      } else {
        fs.writeFileSync(file, JSON.stringify({ "3rdparty": { extensions: { [CHROME_ID]: settings } } }, null, 2));
      }
    },
    remove,
  };
}
