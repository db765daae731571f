// Runs bench.html in headless Chromium and prints the results:
//   make browser-bench

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../e2e/driver.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const routes = {
  "/": path.join(here, "bench.html"),
  "/pkg/": path.join(root, "dist/pkg/"),
  "/fixture/": path.join(root, "dist/bench/"),
};
const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".yaml": "text/plain",
  ".txt": "text/plain",
  ".json": "application/json",
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x").pathname;
  const prefix = Object.keys(routes)
    .filter((p) => url === p || (p.endsWith("/") && p !== "/" && url.startsWith(p)))
    .sort((a, b) => b.length - a.length)[0];
  const file = prefix === "/" ? routes["/"] : prefix ? path.join(routes[prefix], url.slice(prefix.length)) : null;
  if (!file || !fs.existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.benchResults || window.benchError, null, { timeout: 120000 });
  const err = await page.evaluate(() => window.benchError);
  if (err) throw new Error(err);
  console.log(JSON.stringify(await page.evaluate(() => window.benchResults), null, 2));
} finally {
  await browser.close();
  server.close();
}
